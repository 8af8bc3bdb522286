import { describe, expect, it } from "vitest";
import type { Feature, Point, Polygon } from "geojson";
import { view } from "../plan/fixture";
import { layerStack, CLICKABLE_LAYERS } from "./layers";
import { PLAN, PLAN_CLICKABLE, RUN_COLORS, contrast, inkFor, planBounds, planLayers, planToGeoJSON, runColor } from "./plan";

const ofKind = (features: Feature[], kind: string) => features.filter((f) => f.properties?.kind === kind);

describe("a plan on the map", () => {
  it("draws each run's path in its colour, from the depot and back", () => {
    const fc = planToGeoJSON({ view: view() });
    const paths = ofKind(fc.features, "path");
    expect(paths.map((f) => f.properties)).toEqual([
      { kind: "path", run_id: "r1", color: RUN_COLORS[0], locked: false },
      { kind: "path", run_id: "r2", color: RUN_COLORS[1], locked: true },
    ]);
    expect((paths[0].geometry as { coordinates: number[][] }).coordinates).toEqual([[7.42, 43.73], [7.43, 43.74], [7.44, 43.75], [7.42, 43.73]]);
    // Both runs load at the same depot: one depot ring, at the start of the path.
    const depots = ofKind(fc.features, "depot");
    expect(depots).toHaveLength(1);
    expect((depots[0].geometry as Point).coordinates).toEqual([7.42, 43.73]);
    expect(depots[0].properties).toEqual({ kind: "depot", site_id: "depot-1", name: "Main depot" });
  });

  it("numbers the stops by their place in the run, marks locks, problems and the selection", () => {
    const v = view();
    v.runs[0].stops[0].outcome = "delivered";
    const stops = ofKind(planToGeoJSON({ view: v, selected: "b" }).features, "stop");
    expect(stops.map((f) => [f.properties?.stop_id, f.properties?.label, f.properties?.run_id])).toEqual([
      ["a", "1", "r1"], ["b", "2", "r1"], ["c", "1", "r2"],
    ]);
    expect(stops.map((f) => f.properties?.locked)).toEqual([false, true, true]); // b locked; c on a locked run
    expect(stops.map((f) => f.properties?.selected)).toEqual([false, true, false]);
    expect(stops.map((f) => f.properties?.problem)).toEqual([false, false, true]); // c is late
    expect(stops.map((f) => f.properties?.done)).toEqual([true, false, false]);
    expect(stops[0].properties?.color).toBe(RUN_COLORS[0]);
    expect((stops[2].geometry as Point).coordinates).toEqual([7.41, 43.72]);
  });

  it("shows unserved needs once per household, and the chosen area", () => {
    const v = view();
    v.unserved.push({ ...v.unserved[1], need_id: "n-e2" }); // a second need of the same household
    const area: Polygon = { type: "Polygon", coordinates: [[[7, 43], [8, 43], [8, 44], [7, 43]]] };
    const fc = planToGeoJSON({ view: v, area });
    expect(ofKind(fc.features, "unserved").map((f) => f.properties)).toEqual([
      { kind: "unserved", household_id: "h-n-d", reason: "removed" },
      { kind: "unserved", household_id: "h-n-e", reason: "not_chosen" },
    ]);
    expect(ofKind(fc.features, "area")[0].geometry).toEqual(area);
    // Without a plan, only the area.
    expect(planToGeoJSON({ view: null, area }).features.map((f) => f.properties?.kind)).toEqual(["area"]);
    expect(planToGeoJSON({ view: null }).features).toEqual([]);
  });

  it("shows one run alone, keeping its colour and numbers, without the unserved", () => {
    const fc = planToGeoJSON({ view: view(), onlyRun: "r2" });
    expect(ofKind(fc.features, "path").map((f) => f.properties?.run_id)).toEqual(["r2"]);
    expect(ofKind(fc.features, "path")[0].properties?.color).toBe(RUN_COLORS[1]);
    expect(ofKind(fc.features, "stop").map((f) => [f.properties?.stop_id, f.properties?.label])).toEqual([["c", "1"]]);
    expect(ofKind(fc.features, "unserved")).toHaveLength(0);
    expect(ofKind(planToGeoJSON({ view: view(), onlyRun: null }).features, "stop")).toHaveLength(3);
  });

  it("frames the whole plan", () => {
    expect(planBounds(view())).toEqual([7.41, 43.72, 7.46, 43.77]);
    expect(planBounds({ ...view(), runs: [], unserved: [] })).toBeNull();
  });

  it("has twelve distinct colours, numbers readable on each", () => {
    expect(new Set(RUN_COLORS).size).toBe(12);
    expect(runColor(0)).toBe(RUN_COLORS[0]);
    expect(runColor(13)).toBe(RUN_COLORS[1]);
    for (const c of RUN_COLORS) expect(contrast(c, inkFor(c)), c).toBeGreaterThanOrEqual(4.5);
    expect(inkFor("#ffffff")).not.toBe("#ffffff");
    expect(contrast("#000000", "#ffffff")).toBeCloseTo(21, 5);
  });

  it("sits above the households and under the shape being drawn; stops are clickable", () => {
    const ids = layerStack().map((l) => l.id);
    const plan = planLayers().map((l) => l.id);
    expect(planLayers().every((l) => "source" in l && l.source === PLAN)).toBe(true);
    expect(ids.slice(-2 - plan.length, -2)).toEqual(plan);
    expect(ids.indexOf("household-points")).toBeLessThan(ids.indexOf(plan[0]));
    for (const l of PLAN_CLICKABLE) expect(CLICKABLE_LAYERS).toContain(l);
    // Clicks look at the stops before the households under them.
    expect(CLICKABLE_LAYERS.indexOf("plan-stops")).toBeLessThan(CLICKABLE_LAYERS.indexOf("household-points"));
    // Numbers use a font that ships with the app.
    const numbers = planLayers().find((l) => l.id === "plan-stop-numbers");
    expect(numbers?.type === "symbol" && numbers.layout?.["text-font"]).toEqual(["Noto Sans Bold"]);
  });
});
