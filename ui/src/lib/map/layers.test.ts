import { describe, expect, it } from "vitest";
import type { HouseholdDetail } from "../bindings/HouseholdDetail";
import type { Need } from "../bindings/Need";
import {
  CLICKABLE_LAYERS, NO_NEED_RANK, RANK_COLORS, bounds, closuresToGeoJSON, clusterLabel, draftGeometry, draftToGeoJSON,
  householdSource, layerStack, pinFromDetail,
  pinsToGeoJSON, rankColor, urgencyRank,
} from "./layers";

describe("map layer logic", () => {
  it("ranks urgencies critical first and no need last", () => {
    expect(["critical", "high", "normal", "low"].map((u) => urgencyRank(u as never))).toEqual([0, 1, 2, 3]);
    expect(urgencyRank(null)).toBe(NO_NEED_RANK);
  });

  it("turns pins into GeoJSON points at [lon, lat] with the rank", () => {
    const fc = pinsToGeoJSON([
      { id: "a", lat: 43.7, lon: 7.4, urgency: "high", open_needs: 2 },
      { id: "b", lat: 43.8, lon: 7.5, urgency: null, open_needs: 0 },
    ]);
    expect(fc.features.map((f) => f.geometry.coordinates)).toEqual([[7.4, 43.7], [7.5, 43.8]]);
    expect(fc.features.map((f) => f.properties)).toEqual([
      { id: "a", rank: 1, n: 2 },
      { id: "b", rank: 4, n: 0 },
    ]);
  });

  it("colours clusters by their most urgent member", () => {
    const src = householdSource({ type: "FeatureCollection", features: [] });
    expect(src.cluster).toBe(true);
    expect(src.clusterProperties).toEqual({ top: ["min", ["get", "rank"]] });
    const expr = rankColor(["get", "top"]);
    expect(expr[0]).toBe("match");
    expect(expr[3]).toBe(RANK_COLORS[0]);
    expect(expr[expr.length - 1]).toBe(RANK_COLORS[NO_NEED_RANK]);
  });

  it("keeps the area under the households and clusters under single points", () => {
    const ids = layerStack().map((l) => l.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.indexOf("area-roads-major")).toBeLessThan(ids.indexOf("household-clusters"));
    expect(ids.indexOf("household-clusters")).toBeLessThan(ids.indexOf("household-points"));
    // Households are on top of the map, the closures and the sites; only a plan's layers
    // (plan.test.ts) and the shape being drawn are above.
    const plan = ids.filter((l) => l.startsWith("plan-"));
    expect(ids.slice(-4 - plan.length, -2 - plan.length)).toEqual(CLICKABLE_LAYERS.filter((l) => l.startsWith("household")));
    expect(ids.indexOf("closure-lines")).toBeLessThan(ids.indexOf("site-icons"));
    expect(ids.indexOf("site-low-counts")).toBeLessThan(ids.indexOf("household-clusters"));
    expect(ids.slice(-2)).toEqual(["closure-draft-line", "closure-draft-points"]);
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
        { id: "a", lat: 1, lon: 5, urgency: null, open_needs: 0 },
        { id: "b", lat: -2, lon: 7, urgency: null, open_needs: 0 },
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
    expect(pinFromDetail(d as unknown as HouseholdDetail)).toEqual({ id: "h", lat: 1, lon: 2, urgency: "high", open_needs: 2 });
    const none = { ...d, needs: [need("critical", "cancelled")] };
    expect(pinFromDetail(none as unknown as HouseholdDetail).urgency).toBeNull();
  });

  it("abbreviates large cluster counts", () => {
    expect([clusterLabel(7), clusterLabel(1234), clusterLabel(45678)]).toEqual(["7", "1.2k", "46k"]);
  });
});
