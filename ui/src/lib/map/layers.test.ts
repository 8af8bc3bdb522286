import { describe, expect, it } from "vitest";
import type { HouseholdDetail } from "../bindings/HouseholdDetail";
import type { Need } from "../bindings/Need";
import type { HouseholdPin } from "../bindings/HouseholdPin";
import {
  CLICKABLE_LAYERS, CLUSTER_RADII, NO_NEED_RANK, ON_RUN_RANK, RANK_COLORS, RANK_KEYS, SELECTED_LAYER, bounds, closuresToGeoJSON,
  clusterLabel, clusterRadius, clusterRingSvg, draftGeometry, draftToGeoJSON, householdSource, layerStack, pinFromDetail, beforeId, layerOrder, layersOf,
  pinRank, pinsToGeoJSON, rankColor, rankCounts, regionBounds, ringSegments, selectedFilter, urgencyRank,
} from "./layers";

const pin = (p: Partial<HouseholdPin>): HouseholdPin => ({ id: "x", lat: 0, lon: 0, urgency: null, open_needs: 0, on_run: 0, ...p });

describe("map layer logic", () => {
  it("ranks urgencies critical first and no need last", () => {
    expect(["critical", "high", "normal", "low"].map((u) => urgencyRank(u as never))).toEqual([0, 1, 2, 3]);
    expect(urgencyRank(null)).toBe(NO_NEED_RANK);
  });

  it("turns pins into GeoJSON points at [lon, lat] with the rank", () => {
    const fc = pinsToGeoJSON([
      { id: "a", lat: 43.7, lon: 7.4, urgency: "high", open_needs: 2, on_run: 0 },
      { id: "b", lat: 43.8, lon: 7.5, urgency: null, open_needs: 0, on_run: 0 },
      { id: "c", lat: 43.9, lon: 7.6, urgency: null, open_needs: 0, on_run: 3 },
    ]);
    expect(fc.features.map((f) => f.geometry.coordinates)).toEqual([[7.4, 43.7], [7.5, 43.8], [7.6, 43.9]]);
    expect(fc.features.map((f) => f.properties)).toEqual([
      { id: "a", rank: 1, n: 2 },
      { id: "b", rank: NO_NEED_RANK, n: 0 },
      { id: "c", rank: ON_RUN_RANK, n: 0 },
    ]);
  });

  it("ranks a household whose needs are all on a dispatched run apart from no open need", () => {
    expect(pinRank(pin({ on_run: 2 }))).toBe(ON_RUN_RANK);
    expect(pinRank(pin({}))).toBe(NO_NEED_RANK);
    // Still an open need: its urgency wins, however many are out on a run.
    expect(pinRank(pin({ urgency: "low", open_needs: 1, on_run: 5 }))).toBe(3);
    expect(ON_RUN_RANK).toBeLessThan(NO_NEED_RANK);
    expect(RANK_COLORS[ON_RUN_RANK]).not.toBe(RANK_COLORS[NO_NEED_RANK]);
    // Drawn hollow with a thick ring of its colour, unlike any other dot.
    const points = layerStack().find((l) => l.id === "household-points")!;
    const paint = (points as { paint: Record<string, unknown> }).paint;
    expect(JSON.stringify(paint["circle-stroke-color"])).toContain(RANK_COLORS[ON_RUN_RANK]);
    expect(paint["circle-stroke-width"]).toEqual(["case", ["==", ["get", "rank"], ON_RUN_RANK], 3, 1.5]);
    expect(JSON.stringify(paint["circle-color"])).toContain("#ffffff");
  });

  it("counts each cluster's members per rank and colours points by rank", () => {
    const src = householdSource({ type: "FeatureCollection", features: [] });
    expect(src.cluster).toBe(true);
    const props = src.clusterProperties as Record<string, unknown>;
    expect(Object.keys(props)).toEqual(RANK_KEYS);
    expect(props.r4).toEqual(["+", ["case", ["==", ["get", "rank"], 4], 1, 0]]);
    expect(rankCounts({ r0: 2, r1: 0, r3: 5, r5: "7", point_count: 14 })).toEqual([2, 0, 0, 5, 0, 7]);
    const expr = rankColor(["get", "rank"]);
    expect(expr[0]).toBe("match");
    expect(expr[3]).toBe(RANK_COLORS[0]);
    expect(expr[expr.length - 1]).toBe(RANK_COLORS[NO_NEED_RANK]);
    expect(expr.slice(2, -1)).toEqual(RANK_COLORS.slice(0, -1).flatMap((c, i) => [i, c]));
  });

  it("splits a cluster's ring by urgency, most urgent first, in proportion", () => {
    expect(ringSegments([0, 0, 0, 0, 0, 0])).toEqual([]);
    const segs = ringSegments([1, 0, 2, 0, 1, 4]);
    expect(segs.map((s) => s.rank)).toEqual([0, 2, 4, 5]);
    expect(segs.map((s) => s.color)).toEqual([RANK_COLORS[0], RANK_COLORS[2], RANK_COLORS[ON_RUN_RANK], RANK_COLORS[NO_NEED_RANK]]);
    expect(segs.map((s) => s.size)).toEqual([0.125, 0.25, 0.125, 0.5]);
    expect(segs.map((s) => s.start)).toEqual([0, 0.125, 0.375, 0.5]);
    // One rank only: one full ring.
    expect(ringSegments([0, 9, 0, 0, 0, 0])).toEqual([{ rank: 1, color: RANK_COLORS[1], start: 0, size: 1 }]);
  });

  it("draws the ring as SVG arcs the size of the cluster's circle", () => {
    expect(clusterRadius(1)).toBe(14);
    expect(clusterRadius(10)).toBe(18);
    expect(clusterRadius(999)).toBe(30);
    expect(clusterRadius(100000)).toBe(38);
    const clusters = layerStack().find((l) => l.id === "household-clusters")!;
    const radius = (clusters as { paint: Record<string, unknown> }).paint["circle-radius"];
    expect(radius).toEqual(["step", ["get", "point_count"], CLUSTER_RADII[0][1], ...CLUSTER_RADII.slice(1).flat()]);
    const svg = clusterRingSvg([3, 0, 1, 0, 0, 0], 18);
    expect(svg).toContain('width="36" height="36"');
    expect(svg.match(/<circle /g)).toHaveLength(2);
    expect(svg).toContain(`stroke="${RANK_COLORS[0]}"`);
    expect(svg).toContain(`stroke="${RANK_COLORS[2]}"`);
    expect(svg).not.toContain(`stroke="${RANK_COLORS[1]}"`);
    // The critical arc is 3/4 of the circumference, the normal one starts where it ends.
    const [w, r] = [6, 15];
    const c = 2 * Math.PI * r;
    expect(svg).toContain(`stroke-width="${w}" stroke-dasharray="${(0.75 * c).toFixed(2)} ${c.toFixed(2)}" stroke-dashoffset="0.00"`);
    expect(svg).toContain(`stroke-dashoffset="${(-0.75 * c).toFixed(2)}"`);
  });

  it("rings only the selected household's dot", () => {
    expect(selectedFilter("h1")).toEqual(["all", ["!", ["has", "point_count"]], ["==", ["get", "id"], "h1"]]);
    expect(selectedFilter(null)).toEqual(["all", ["!", ["has", "point_count"]], ["==", ["get", "id"], ""]]);
    const ids = layerStack().map((l) => l.id);
    expect(ids.indexOf(SELECTED_LAYER)).toBe(ids.indexOf("household-points") + 1);
    expect(CLICKABLE_LAYERS).not.toContain(SELECTED_LAYER);
  });

  it("turns a region pack's box into west, south, east, north", () => {
    expect(regionBounds([43.72, 7.40, 43.75, 7.44])).toEqual([7.40, 43.72, 7.44, 43.75]);
    expect(regionBounds([0, 0, 0, 0])).toBeNull();
    expect(regionBounds([43.75, 7.40, 43.72, 7.44])).toBeNull();
    expect(regionBounds([Number.NaN, 7.40, 43.72, 7.44])).toBeNull();
    expect(regionBounds(null)).toBeNull();
  });

  it("keeps the area under the households and clusters under single points", () => {
    const ids = layerStack().map((l) => l.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.indexOf("area-roads-major")).toBeLessThan(ids.indexOf("household-clusters"));
    expect(ids.indexOf("household-clusters")).toBeLessThan(ids.indexOf("household-points"));
    // Households are on top of the map, the closures and the sites; only a plan's layers
    // (plan.test.ts) and the shape being drawn are above.
    const plan = ids.filter((l) => l.startsWith("plan-"));
    expect(ids.slice(-5 - plan.length, -3 - plan.length)).toEqual(CLICKABLE_LAYERS.filter((l) => l.startsWith("household")));
    expect(ids[ids.length - 3 - plan.length]).toBe(SELECTED_LAYER);
    expect(ids.indexOf("closure-lines")).toBeLessThan(ids.indexOf("site-icons"));
    expect(ids.indexOf("site-low-counts")).toBeLessThan(ids.indexOf("household-clusters"));
    expect(ids.slice(-2)).toEqual(["closure-draft-line", "closure-draft-points"]);
  });

  it("adds layers in the stack's order whatever order they come in", () => {
    // The map as it grows: layers added one source at a time, in a shuffled order.
    const stack = layerStack({ basemap: true });
    const sources = [...new Set(stack.map((l) => ("source" in l ? l.source : "")))];
    const shuffled = [...sources.slice(3), ...sources.slice(0, 3)].reverse();
    const map: string[] = [];
    for (const source of shuffled) {
      for (const l of layersOf(source, { basemap: source === "basemap" })) {
        const before = beforeId(l.id, (id) => map.includes(id));
        if (before === undefined) map.push(l.id);
        else map.splice(map.indexOf(before), 0, l.id);
      }
    }
    expect(map).toEqual(stack.map((l) => l.id));
    expect(layerOrder()).toEqual(map);
    expect(beforeId("not-a-layer", () => true)).toBeUndefined();
    expect(beforeId("closure-draft-points", () => true)).toBeUndefined();
    expect(beforeId("household-points", (id) => id === SELECTED_LAYER || id === "closure-draft-line")).toBe(SELECTED_LAYER);
  });

  it("turns closures and the shape being drawn into GeoJSON", () => {
    const closures = closuresToGeoJSON([
      { id: "c1", name: "Bridge", active: false, high_clearance_only: false, updated_at: "", geometry: { type: "LineString", coordinates: [[7.4, 43.7], [7.41, 43.71]] } },
    ]);
    expect(closures.features[0].properties).toEqual({ id: "c1", name: "Bridge", active: false });
    const pts: [number, number][] = [[0, 0], [1, 0], [1, 1]];
    expect(draftGeometry(pts.slice(0, 1), "line")).toBeNull();
    expect(draftGeometry(pts.slice(0, 2), "line")).toEqual({ type: "LineString", coordinates: [[0, 0], [1, 0]] });
    expect(draftGeometry(pts.slice(0, 2), "area")).toBeNull();
    expect(draftGeometry(pts, "area")).toEqual({ type: "Polygon", coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] });
    const draft = draftToGeoJSON(pts, "area");
    expect(draft.features.map((f) => f.geometry.type)).toEqual(["Point", "Point", "Point", "LineString"]);
    expect((draft.features[3].geometry as { coordinates: unknown[] }).coordinates).toHaveLength(4);
  });

  it("computes bounds, or null for no pins", () => {
    expect(bounds([])).toBeNull();
    expect(
      bounds([
        pin({ id: "a", lat: 1, lon: 5 }),
        pin({ id: "b", lat: -2, lon: 7 }),
      ]),
    ).toEqual([5, -2, 7, 1]);
  });

  it("derives a pin from a household's open needs only", () => {
    const need = (urgency: Need["urgency"], status: Need["status"]): Need => ({
      id: urgency + status, household_id: "h", category: "water", quantity: 1, unit: "L", urgency,
      requested_at: "", wanted_by: null, status, notes: "", notes_for_driver: false, item_id: null, item_name: null,
      item_source: "none", item_quantity: null, item_unit: null, created_at: "", updated_at: "", updated_by: "",
    });
    const d = { household: { id: "h", lat: 1, lon: 2 }, needs: [need("critical", "delivered"), need("low", "open"), need("high", "open")] };
    expect(pinFromDetail(d as unknown as HouseholdDetail)).toEqual({ id: "h", lat: 1, lon: 2, urgency: "high", open_needs: 2, on_run: 0 });
    const none = { ...d, needs: [need("critical", "cancelled")] };
    expect(pinFromDetail(none as unknown as HouseholdDetail).urgency).toBeNull();
    // Needs on a dispatched run (assigned) count as on the run, like the backend's pins.
    const out = { ...d, needs: [need("normal", "assigned"), need("high", "assigned"), need("low", "delivered")] };
    const p = pinFromDetail(out as unknown as HouseholdDetail);
    expect(p).toEqual({ id: "h", lat: 1, lon: 2, urgency: null, open_needs: 0, on_run: 2 });
    expect(pinRank(p)).toBe(ON_RUN_RANK);
  });

  it("abbreviates large cluster counts", () => {
    expect([clusterLabel(7), clusterLabel(1234), clusterLabel(45678)]).toEqual(["7", "1.2k", "46k"]);
  });
});
