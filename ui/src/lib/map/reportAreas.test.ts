import { describe, expect, it } from "vitest";
import type { AreaFigures } from "../bindings/AreaFigures";
import { layerStack } from "./layers";
import { REPORT_AREA_OPACITY, REPORT_AREAS, reportAreaLayers, reportAreasToGeoJSON, shadeStep } from "./reportAreas";

const square = (lon: number, lat: number): [number, number][] => [[lon, lat], [lon + 0.01, lat], [lon + 0.01, lat + 0.01], [lon, lat + 0.01], [lon, lat]];
const area = (key: string, label: string, open: number, critical = 0, outline = square(7.4, 43.7)): AreaFigures => ({
  key, label, households: open + 1, open_needs: open, critical_needs: critical, visits_7_days: 0, delivered_7_days: 0, outline,
});

describe("the dashboard's areas on the map", () => {
  it("shades by open needs relative to the area with the most, in five steps", () => {
    expect([0, 1, 3, 5, 6, 8].map((n) => shadeStep(n, 8))).toEqual([0, 1, 2, 3, 3, 4]);
    expect(shadeStep(1, 100)).toBe(1); // any open need shows
    expect(shadeStep(5, 0)).toBe(0);
    expect(shadeStep(Number.NaN, 3)).toBe(0);
    expect(REPORT_AREA_OPACITY).toHaveLength(5);
    expect([...REPORT_AREA_OPACITY]).toEqual([...REPORT_AREA_OPACITY].sort((a, b) => a - b));
  });

  it("turns areas into polygons with their shade; only places are named", () => {
    const open = square(7.42, 43.72).slice(0, 4); // not closed: closed here
    const fc = reportAreasToGeoJSON([
      area("place:Port", "Port", 8, 2),
      area("grid:3:4", "43.735, 7.425", 2, 0, open),
      area("place:Nowhere", "Nowhere", 1, 0, [[7.4, 43.7], [7.41, 43.7]]),
      area("place:Quiet", "Quiet", 0),
    ]);
    expect(fc.features.map((f) => f.properties.key)).toEqual(["place:Port", "grid:3:4", "place:Quiet"]);
    const [port, grid, quiet] = fc.features;
    expect(port.geometry).toEqual({ type: "Polygon", coordinates: [square(7.4, 43.7)] });
    expect(port.properties).toEqual({ key: "place:Port", name: "Port", open: 8, critical: 2, step: 4, opacity: REPORT_AREA_OPACITY[4] });
    expect(grid.properties.name).toBe("");
    expect(grid.properties.step).toBe(1);
    const ring = grid.geometry.coordinates[0];
    expect(ring).toHaveLength(5);
    expect(ring[4]).toEqual(ring[0]);
    expect(quiet.properties).toMatchObject({ step: 0, opacity: REPORT_AREA_OPACITY[0] });
    expect(reportAreasToGeoJSON([]).features).toEqual([]);
  });

  it("lies under the closures, the sites and the households, over the demo area", () => {
    const ids = layerStack().map((l) => l.id);
    const mine = reportAreaLayers().map((l) => l.id);
    expect(mine).toEqual(["report-area-fill", "report-area-outline", "report-area-labels"]);
    const at = mine.map((id) => ids.indexOf(id));
    expect(at).toEqual([at[0], at[0] + 1, at[0] + 2]);
    expect(at[0]).toBeGreaterThan(ids.indexOf("area-boundary-line"));
    for (const above of ["closure-areas", "site-icons", "household-clusters", "household-points"]) expect(at[2]).toBeLessThan(ids.indexOf(above));
    expect(reportAreaLayers().every((l) => "source" in l && l.source === REPORT_AREAS)).toBe(true);
  });
});
