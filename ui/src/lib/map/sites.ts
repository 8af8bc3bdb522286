// Supply sites on the map: a dark square per site (its own symbol, unlike the round household
// dots), the name from zoom 14, and a red badge with the number of low items. Pure functions:
// unit-tested; the layers take their place in `layerStack`.
import type { CircleLayerSpecification, LayerSpecification, SymbolLayerSpecification } from "maplibre-gl";
import type { FeatureCollection, Point } from "geojson";
import type { SitePin } from "../bindings/SitePin";
import { FONTS } from "./basemap";

export const SITES = "sites";
export const SITE_ICON = "site-square";

export type SiteProps = { site_id: string; name: string; kind: string; low: number; active: boolean };

export function sitesToGeoJSON(pins: SitePin[]): FeatureCollection<Point, SiteProps> {
  return {
    type: "FeatureCollection",
    features: pins.map((p) => ({
      type: "Feature",
      geometry: { type: "Point", coordinates: [p.lon, p.lat] },
      properties: { site_id: p.id, name: p.name, kind: p.kind, low: p.low, active: p.active },
    })),
  };
}

export function siteLayers(): LayerSpecification[] {
  const icons: SymbolLayerSpecification = {
    id: "site-icons", type: "symbol", source: SITES,
    layout: {
      "icon-image": SITE_ICON,
      "icon-allow-overlap": true,
      "text-field": ["step", ["zoom"], "", 14, ["get", "name"]],
      "text-font": [FONTS.bold],
      "text-size": 12,
      "text-offset": [0, 1.3],
      "text-anchor": "top",
      "text-optional": true,
    },
    paint: {
      "icon-opacity": ["case", ["get", "active"], 1, 0.45],
      "text-color": "#263238",
      "text-halo-color": "#ffffff",
      "text-halo-width": 1.5,
    },
  };
  const badge: CircleLayerSpecification = {
    id: "site-low-badges", type: "circle", source: SITES, filter: [">", ["get", "low"], 0],
    paint: { "circle-radius": 8, "circle-color": "#c0392b", "circle-stroke-color": "#ffffff", "circle-stroke-width": 1.5, "circle-translate": [11, -11] },
  };
  const badgeText: SymbolLayerSpecification = {
    id: "site-low-counts", type: "symbol", source: SITES, filter: [">", ["get", "low"], 0],
    layout: { "text-field": ["to-string", ["get", "low"]], "text-font": [FONTS.bold], "text-size": 10, "text-allow-overlap": true },
    paint: { "text-color": "#ffffff", "text-translate": [11, -11] },
  };
  return [icons, badge, badgeText];
}

/** The square drawn for a site: 22 px, slate with a white border and a white "box" mark. */
export function siteIcon(): { width: number; height: number; data: Uint8Array } {
  const size = 22;
  const data = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const edge = x < 2 || y < 2 || x >= size - 2 || y >= size - 2;
      const mark = x >= 7 && x <= 14 && y >= 7 && y <= 14 && (x === 7 || x === 14 || y === 7 || y === 14 || y === 10);
      const [r, g, b] = edge || mark ? [255, 255, 255] : [38, 70, 83];
      data.set([r, g, b, 255], (y * size + x) * 4);
    }
  }
  return { width: size, height: size, data };
}
