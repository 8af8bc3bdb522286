// The dashboard's areas on the map while it is open: each area's outline shaded by its open
// needs relative to the area with the most (five steps), a thicker edge where critical needs
// wait, and the place's name (grid squares, named by their centre, go unlabelled). Pure
// functions: unit-tested; the layers take their place in `layerStack` (under the households).
import type { FillLayerSpecification, LayerSpecification, LineLayerSpecification, SymbolLayerSpecification } from "maplibre-gl";
import type { FeatureCollection, Polygon } from "geojson";
import type { AreaFigures } from "../bindings/AreaFigures";
import { FONTS } from "./basemap";

export const REPORT_AREAS = "report-areas";
export const REPORT_AREA_COLOR = "#c0392b";
/** Fill opacity per step: 0 = no open need … 4 = as many as the area with the most. */
export const REPORT_AREA_OPACITY = [0.04, 0.14, 0.26, 0.38, 0.5] as const;
const TOP_STEP = REPORT_AREA_OPACITY.length - 1;

export type ReportAreaProps = {
  key: string;
  /** The place's name; "" for a grid square. */
  name: string;
  open: number;
  critical: number;
  step: number;
  opacity: number;
};

/** The shade step of an area with `open` needs when the most any area has is `most`. */
export function shadeStep(open: number, most: number): number {
  if (!(open > 0) || !(most > 0)) return 0;
  return Math.min(TOP_STEP, Math.max(1, Math.ceil((open / most) * TOP_STEP)));
}

/** The largest number of open needs of any area (0 for none). */
export function mostOpen(areas: readonly AreaFigures[]): number {
  return areas.reduce((m, a) => Math.max(m, a.open_needs), 0);
}

const closedRing = (ring: readonly [number, number][]) =>
  ring.length >= 4 && ring.every(([x, y]) => Number.isFinite(x) && Number.isFinite(y));

/** The report's areas as polygons; an outline too short to be a ring is left out. */
export function reportAreasToGeoJSON(areas: readonly AreaFigures[]): FeatureCollection<Polygon, ReportAreaProps> {
  const most = mostOpen(areas);
  return {
    type: "FeatureCollection",
    features: areas
      .filter((a) => closedRing(a.outline))
      .map((a) => {
        const ring = a.outline.map(([lon, lat]) => [lon, lat]);
        const [first, last] = [ring[0], ring[ring.length - 1]];
        if (first[0] !== last[0] || first[1] !== last[1]) ring.push([...first]);
        const step = shadeStep(a.open_needs, most);
        return {
          type: "Feature" as const,
          geometry: { type: "Polygon" as const, coordinates: [ring] },
          properties: {
            key: a.key,
            name: a.key.startsWith("place:") ? a.label : "",
            open: a.open_needs,
            critical: a.critical_needs,
            step,
            opacity: REPORT_AREA_OPACITY[step],
          },
        };
      }),
  };
}

export function reportAreaLayers(): LayerSpecification[] {
  const fill: FillLayerSpecification = {
    id: "report-area-fill", type: "fill", source: REPORT_AREAS,
    paint: { "fill-color": REPORT_AREA_COLOR, "fill-opacity": ["get", "opacity"] },
  };
  const outline: LineLayerSpecification = {
    id: "report-area-outline", type: "line", source: REPORT_AREAS,
    paint: {
      "line-color": "#922b21",
      "line-opacity": 0.7,
      "line-width": ["case", [">", ["get", "critical"], 0], 2.5, 1],
    },
  };
  const labels: SymbolLayerSpecification = {
    id: "report-area-labels", type: "symbol", source: REPORT_AREAS, filter: ["!=", ["get", "name"], ""],
    layout: { "text-field": ["get", "name"], "text-font": [FONTS.regular], "text-size": 11, "text-optional": true },
    paint: { "text-color": "#641e16", "text-halo-color": "#ffffff", "text-halo-width": 1.5 },
  };
  return [fill, outline, labels];
}
