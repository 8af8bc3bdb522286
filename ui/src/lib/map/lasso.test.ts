import { describe, expect, it } from "vitest";
import type { HouseholdPin } from "../bindings/HouseholdPin";
import { boxRing, closeRing, indexPins, selectInRing, type LonLat } from "./lasso";

const pin = (id: string, lon: number, lat: number): HouseholdPin => ({ id, lat, lon, urgency: null, open_needs: 0, on_run: 0 });

describe("lasso selection", () => {
  const pins = [pin("a", 7.41, 43.73), pin("b", 7.42, 43.73), pin("c", 7.43, 43.73), pin("d", 7.42, 43.75)];
  const index = indexPins(pins);

  it("selects the pins inside a box, in the pins' order", () => {
    expect(selectInRing(index, boxRing([7.415, 43.72], [7.435, 43.74]))).toEqual(["b", "c"]);
    expect(selectInRing(index, boxRing([7.435, 43.74], [7.415, 43.72]))).toEqual(["b", "c"]);
  });

  it("tests the ring itself, not only its bounding box", () => {
    // A triangle whose box holds "d" too, but whose inside does not.
    const ring = closeRing([[7.405, 43.725], [7.435, 43.725], [7.435, 43.76]] as LonLat[])!;
    expect(selectInRing(index, ring)).toEqual(["a", "b", "c"]);
  });

  it("needs three distinct points for a lasso", () => {
    expect(closeRing([[1, 1], [1, 1], [2, 2]])).toBeNull();
    expect(closeRing([[0, 0], [1, 0], [1, 1]])).toEqual([[0, 0], [1, 0], [1, 1], [0, 0]]);
    expect(selectInRing(indexPins([]), boxRing([0, 0], [1, 1]))).toEqual([]);
  });

  it("answers 100,000 pins from the index", () => {
    const many: HouseholdPin[] = [];
    for (let i = 0; i < 100_000; i++) many.push(pin(`h${i}`, 7.4 + (i % 1000) * 0.0001, 43.7 + Math.floor(i / 1000) * 0.0001));
    const big = indexPins(many);
    // A box over 10 × 10 of the grid's points.
    const ids = selectInRing(big, boxRing([7.40005, 43.70005], [7.40095, 43.70095]));
    expect(ids.length).toBe(81);
  });
});
