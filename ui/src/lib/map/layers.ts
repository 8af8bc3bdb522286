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
import type { Urgency } from "../bindings/Urgency";

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

/** Every layer, bottom to top: the z-order lives here and nowhere else. */
export function layerStack(): LayerSpecification[] {
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
  return [buildings, minorRoads, majorRoads, boundaryLine, clusters, points];
}

export const CLICKABLE_LAYERS = ["household-clusters", "household-points"];

/** The base style: a plain background; sources and layers are added once data arrives. */
export function baseStyle(): StyleSpecification {
  return {
    version: 8,
    sources: {},
    layers: [{ id: "background", type: "background", paint: { "background-color": "#eceae4" } }],
  };
}

/** Cluster count labels drawn as HTML (no glyphs are available offline until region packs). */
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
