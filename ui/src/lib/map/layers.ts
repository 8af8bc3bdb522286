// Map layer logic, kept free of the DOM so it can be unit-tested: how households become GeoJSON,
// how they are coloured and clustered, and the one list that fixes the z-order of every layer.
import type {
  CircleLayerSpecification,
  FillLayerSpecification,
  GeoJSONSourceSpecification,
  LayerSpecification,
  LineLayerSpecification,
  StyleSpecification,
  ExpressionSpecification,
} from "maplibre-gl";
import type { Feature, FeatureCollection, Point } from "geojson";
import type { HouseholdDetail } from "../bindings/HouseholdDetail";
import type { HouseholdPin } from "../bindings/HouseholdPin";
import type { Closure } from "../bindings/Closure";
import type { Urgency } from "../bindings/Urgency";
import { basemapLayers, GLYPHS_URL } from "./basemap";
import { siteLayers } from "./sites";
import { PLAN_CLICKABLE, planLayers } from "./plan";

export const URGENCIES: Urgency[] = ["critical", "high", "normal", "low"];
/** Rank used on the map: 0 = critical … 3 = low, 4 = no open need. */
export const NO_NEED_RANK = 4;
export const RANK_COLORS = ["#c0392b", "#e67e22", "#2874a6", "#7d8f69", "#a6acaf"] as const;

export function urgencyRank(u: Urgency | null): number {
  return u === null ? NO_NEED_RANK : URGENCIES.indexOf(u);
}

export type PinProps = { id: string; rank: number; n: number };

export function pinsToGeoJSON(pins: HouseholdPin[]): FeatureCollection<Point, PinProps> {
  return {
    type: "FeatureCollection",
    features: pins.map(
      (p): Feature<Point, PinProps> => ({
        type: "Feature",
        id: undefined,
        geometry: { type: "Point", coordinates: [p.lon, p.lat] },
        properties: { id: p.id, rank: urgencyRank(p.urgency), n: p.open_needs },
      }),
    ),
  };
}

/** [west, south, east, north] around all pins, or null when there are none. */
export function bounds(pins: HouseholdPin[]): [number, number, number, number] | null {
  if (pins.length === 0) return null;
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const p of pins) {
    w = Math.min(w, p.lon);
    e = Math.max(e, p.lon);
    s = Math.min(s, p.lat);
    n = Math.max(n, p.lat);
  }
  return [w, s, e, n];
}

/** Colour by rank: a `match` on the `rank` property (points) or the cluster's `top` (clusters). */
export function rankColor(get: ExpressionSpecification): ExpressionSpecification {
  return ["match", get, 0, RANK_COLORS[0], 1, RANK_COLORS[1], 2, RANK_COLORS[2], 3, RANK_COLORS[3], RANK_COLORS[4]];
}

export const HOUSEHOLDS = "households";
export const AREA = "area";
export const CLOSURES = "closures";

export const DRAFT = "closure-draft";

export type DrawMode = "line" | "area";

/** Closures as map features: `active` decides red or grey. */
export function closuresToGeoJSON(closures: Closure[]): FeatureCollection {
  return {
    type: "FeatureCollection",
    features: closures.map((c) => ({
      type: "Feature",
      geometry: c.geometry as Feature["geometry"],
      properties: { id: c.id, name: c.name, active: c.active },
    })),
  };
}

/** The shape being drawn: its points, and the line or ring they make so far. */
export function draftToGeoJSON(points: [number, number][], mode: DrawMode): FeatureCollection {
  const features: Feature[] = points.map((p) => ({ type: "Feature", geometry: { type: "Point", coordinates: p }, properties: {} }));
  if (points.length >= 2) {
    const ring = mode === "area" && points.length >= 3 ? [...points, points[0]] : points;
    features.push({ type: "Feature", geometry: { type: "LineString", coordinates: ring }, properties: {} });
  }
  return { type: "FeatureCollection", features };
}

/** The finished geometry, or null while there are too few points (2 for a line, 3 for an area). */
export function draftGeometry(points: [number, number][], mode: DrawMode): Closure["geometry"] | null {
  if (mode === "line") return points.length >= 2 ? { type: "LineString", coordinates: points } : null;
  return points.length >= 3 ? { type: "Polygon", coordinates: [[...points, points[0]]] } : null;
}

export function householdSource(data: FeatureCollection): GeoJSONSourceSpecification {
  return {
    type: "geojson",
    data,
    cluster: true,
    clusterRadius: 40,
    clusterMaxZoom: 15,
    // A cluster is as urgent as its most urgent household.
    clusterProperties: { top: ["min", ["get", "rank"]] },
  };
}

export function areaSource(data: FeatureCollection): GeoJSONSourceSpecification {
  return { type: "geojson", data, attribution: "© OpenStreetMap contributors" };
}

const byKind = (kind: string): ExpressionSpecification => ["==", ["get", "kind"], kind];
const MAJOR_ROADS = ["motorway", "trunk", "primary", "secondary", "tertiary", "motorway_link", "trunk_link", "primary_link", "secondary_link", "tertiary_link"];

/** Every layer, bottom to top: the z-order lives here and nowhere else. With a basemap, its
 * layers come first (at the bottom). */
export function layerStack(opts: { basemap?: boolean } = {}): LayerSpecification[] {
  const buildings: FillLayerSpecification = {
    id: "area-buildings", type: "fill", source: AREA, filter: byKind("building"), minzoom: 14,
    paint: { "fill-color": "#e0dbd2", "fill-outline-color": "#d0c9bd" },
  };
  const minorRoads: LineLayerSpecification = {
    id: "area-roads-minor", type: "line", source: AREA,
    filter: ["all", byKind("road"), ["!", ["in", ["get", "class"], ["literal", MAJOR_ROADS]]]],
    paint: { "line-color": "#ffffff", "line-width": ["interpolate", ["linear"], ["zoom"], 13, 0.6, 17, 5] },
  };
  const majorRoads: LineLayerSpecification = {
    id: "area-roads-major", type: "line", source: AREA,
    filter: ["all", byKind("road"), ["in", ["get", "class"], ["literal", MAJOR_ROADS]]],
    paint: { "line-color": "#fbe3b5", "line-width": ["interpolate", ["linear"], ["zoom"], 12, 1, 17, 9] },
  };
  const boundaryLine: LineLayerSpecification = {
    id: "area-boundary-line", type: "line", source: AREA, filter: byKind("boundary"),
    paint: { "line-color": "#8e8a80", "line-width": 1.5, "line-dasharray": [3, 2] },
  };
  const clusters: CircleLayerSpecification = {
    id: "household-clusters", type: "circle", source: HOUSEHOLDS, filter: ["has", "point_count"],
    paint: {
      "circle-color": rankColor(["get", "top"]),
      "circle-opacity": 0.85,
      "circle-radius": ["step", ["get", "point_count"], 14, 10, 18, 50, 24, 200, 30, 1000, 38],
      "circle-stroke-color": "#ffffff",
      "circle-stroke-width": 2,
    },
  };
  const points: CircleLayerSpecification = {
    id: "household-points", type: "circle", source: HOUSEHOLDS, filter: ["!", ["has", "point_count"]],
    paint: {
      "circle-color": rankColor(["get", "rank"]),
      "circle-radius": ["interpolate", ["linear"], ["zoom"], 12, 5, 18, 9],
      "circle-stroke-color": "#ffffff",
      "circle-stroke-width": 1.5,
    },
  };
  const closed = ["case", ["get", "active"], "#c0392b", "#7f8c8d"] as ExpressionSpecification;
  const closureAreas: FillLayerSpecification = {
    id: "closure-areas", type: "fill", source: CLOSURES, filter: ["==", ["geometry-type"], "Polygon"],
    paint: { "fill-color": closed, "fill-opacity": ["case", ["get", "active"], 0.25, 0.1] },
  };
  const closureLines: LineLayerSpecification = {
    id: "closure-lines", type: "line", source: CLOSURES,
    paint: { "line-color": closed, "line-width": 4, "line-dasharray": [2, 1] },
  };
  const draftLine: LineLayerSpecification = {
    id: "closure-draft-line", type: "line", source: DRAFT, filter: ["==", ["geometry-type"], "LineString"],
    paint: { "line-color": "#c0392b", "line-width": 3, "line-dasharray": [1, 1] },
  };
  const draftPoints: CircleLayerSpecification = {
    id: "closure-draft-points", type: "circle", source: DRAFT, filter: ["==", ["geometry-type"], "Point"],
    paint: { "circle-color": "#ffffff", "circle-radius": 5, "circle-stroke-color": "#c0392b", "circle-stroke-width": 2 },
  };
  return [
    ...(opts.basemap ? basemapLayers() : []),
    buildings, minorRoads, majorRoads, boundaryLine, closureAreas, closureLines, ...siteLayers(), clusters, points, ...planLayers(), draftLine, draftPoints,
  ];
}

/** Layers a click selects something on, in the order clicks look at them. */
export const CLICKABLE_LAYERS = [...PLAN_CLICKABLE, "household-clusters", "household-points", "site-icons"];

/** The base style: a plain background; sources and layers are added once data arrives. Glyphs
 * for labels ship inside the app (`ui/public/glyphs`, made by `make glyphs`). */
export function baseStyle(): StyleSpecification {
  return {
    version: 8,
    glyphs: GLYPHS_URL,
    sources: {},
    layers: [{ id: "background", type: "background", paint: { "background-color": "#eceae4" } }],
  };
}

/** Cluster count labels, drawn as HTML markers. */
export function clusterLabel(count: number): string {
  if (count >= 10000) return `${Math.round(count / 1000)}k`;
  if (count >= 1000) return `${(count / 1000).toFixed(1)}k`;
  return String(count);
}

/** The map point of one household after a change (same rule as the backend's pins query). */
export function pinFromDetail(d: HouseholdDetail): HouseholdPin {
  const open = d.needs.filter((n) => n.status === "open");
  const rank = Math.min(NO_NEED_RANK, ...open.map((n) => urgencyRank(n.urgency)));
  return {
    id: d.household.id,
    lat: d.household.lat,
    lon: d.household.lon,
    urgency: rank === NO_NEED_RANK ? null : URGENCIES[rank],
    open_needs: open.length,
  };
}
