import { describe, expect, it } from "vitest";
import { SITES, siteIcon, siteLayers, sitesToGeoJSON } from "./sites";

describe("sites on the map", () => {
  it("turns site pins into points with their low-stock count", () => {
    const fc = sitesToGeoJSON([
      { id: "s1", name: "Depot", kind: "warehouse", lat: 43.73, lon: 7.42, active: true, items: 12, low: 3 },
      { id: "s2", name: "Fridge", kind: "community_fridge", lat: 43.74, lon: 7.43, active: false, items: 0, low: 0 },
    ]);
    expect(fc.features[0].geometry.coordinates).toEqual([7.42, 43.73]);
    expect(fc.features[0].properties).toEqual({ site_id: "s1", name: "Depot", kind: "warehouse", low: 3, active: true });
    expect(fc.features[1].properties.active).toBe(false);
  });

  it("draws a square with a badge only where items are low", () => {
    const layers = siteLayers();
    expect(layers.every((l) => "source" in l && l.source === SITES)).toBe(true);
    const badges = layers.filter((l) => l.id.startsWith("site-low"));
    expect(badges.length).toBe(2);
    for (const b of badges) expect("filter" in b && b.filter).toEqual([">", ["get", "low"], 0]);
    const icon = siteIcon();
    expect(icon.data.length).toBe(icon.width * icon.height * 4);
    // Opaque everywhere, white at the border.
    expect(icon.data[3]).toBe(255);
    expect([...icon.data.slice(0, 3)]).toEqual([255, 255, 255]);
  });
});
