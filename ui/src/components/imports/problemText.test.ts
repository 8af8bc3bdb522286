import { describe, expect, it } from "vitest";
import { distanceText, problemText } from "./problemText";
import type { RowProblem } from "../../lib/bindings/RowProblem";

const problem = (code: string, extra: Partial<RowProblem> = {}): RowProblem => ({
  row: 7,
  column: "Household size",
  code,
  message: "",
  skipped: false,
  distance_m: null,
  value: null,
  choices: [],
  choice: null,
  ...extra,
});

describe("import problem text", () => {
  it("formats distances in metres, then kilometres, in the language's format", () => {
    expect(distanceText(435, "en")).toBe("435 m");
    expect(distanceText(1234, "en")).toBe("1.2 km");
    expect(distanceText(1234, "fr")).toBe("1,2 km");
  });
  it("says the number and the distance a problem is about", () => {
    expect(problemText(problem("below_zero", { value: -4, skipped: true }))).toBe("-4 is below zero; left out");
    expect(problemText(problem("far_from_address", { distance_m: 1200 }))).toBe("coordinates 1.2 km from the address");
  });
});
