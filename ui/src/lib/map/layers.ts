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
import { reportAreaLayers } from "./reportAreas";

export const URGENCIES: Urgency[] = ["critical", "high", "normal", "low"];
/** Rank used on the map: 0 = critical … 3 = low, 4 = every need on a dispatched run, 5 = no
 * open need. Lower is more urgent. */
export const ON_RUN_RANK = 4;
export const NO_NEED_RANK = 5;
/** One colour per rank; on a run is drawn as a ring of its colour around a white dot. */
export const RANK_COLORS = ["#c0392b", "#e67e22", "#2874a6", "#7d8f69", "#7d3c98", "#a6acaf"] as const;
/** Cluster properties counting the members of each rank: `r0` … `r5`. */
export const RANK_KEYS = RANK_COLORS.map((_, i) => `r${i}`);

export function urgencyRank(u: Urgency | null): number {
  return u === null ? NO_NEED_RANK : URGENCIES.indexOf(u);
}

/** A pin's rank: its most urgent open need; with none open, "on a run" when needs are out for
 * delivery, else "no open need". */
export function pinRank(p: Pick<HouseholdPin, "urgency" | "open_needs" | "on_run">): number {
  if (p.urgency !== null) return urgencyRank(p.urgency);
  return p.open_needs === 0 && p.on_run > 0 ? ON_RUN_RANK : NO_NEED_RANK;
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
        properties: { id: p.id, rank: pinRank(p), n: p.open_needs },
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

/** A region pack's box ([min_lat, min_lon, max_lat, max_lon]) as [west, south, east, north],
 * or null when it is not a usable box (a basemap-only pack may have none). */
export function regionBounds(b: readonly [number, number, number, number] | null | undefined): [number, number, number, number] | null {
  if (!b || !b.every(Number.isFinite)) return null;
  const [s, w, n, e] = b;
  if (s > n || w > e || (s === 0 && w === 0 && n === 0 && e === 0)) return null;
  if (s < -90 || n > 90 || w < -180 || e > 180) return null;
  return [w, s, e, n];
}

/** Colour by rank: a `match` on the `rank` property. */
export function rankColor(get: ExpressionSpecification): ExpressionSpecification {
  const pairs = RANK_COLORS.slice(0, -1).flatMap((c, i) => [i, c]);
  return ["match", get, ...pairs, RANK_COLORS[RANK_COLORS.length - 1]] as ExpressionSpecification;
}

/** A single household's fill: its rank's colour; "on a run" is hollow (white inside its ring). */
export function pointFill(): ExpressionSpecification {
  return ["case", ["==", ["get", "rank"], ON_RUN_RANK], "#ffffff", rankColor(["get", "rank"])];
}

/** Counts per rank summed over each cluster's members (MapLibre `clusterProperties`). */
export function clusterRankCounts(): Record<string, ExpressionSpecification> {
  return Object.fromEntries(RANK_KEYS.map((k, i) => [k, ["+", ["case", ["==", ["get", "rank"], i], 1, 0]]]));
}

/** A cluster's members per rank, read from its properties (missing counts as 0). */
export function rankCounts(props: Record<string, unknown>): number[] {
  return RANK_KEYS.map((k) => {
    const v = Number(props[k]);
    return Number.isFinite(v) && v > 0 ? v : 0;
  });
}

export type RingSegment = { rank: number; color: string; start: number; size: number };

/** The ring split by urgency: one segment per rank that has members, most urgent first,
 * starting at the top and going clockwise. `start` and `size` are fractions of the circle. */
export function ringSegments(counts: readonly number[]): RingSegment[] {
  const total = counts.reduce((a, b) => a + Math.max(0, b), 0);
  if (total <= 0) return [];
  const out: RingSegment[] = [];
  let start = 0;
  counts.forEach((c, rank) => {
    if (c <= 0) return;
    const size = c / total;
    out.push({ rank, color: RANK_COLORS[rank] ?? RANK_COLORS[NO_NEED_RANK], start, size });
    start += size;
  });
  return out;
}

/** Cluster circle radius (px) by member count: [from count, radius] steps. */
export const CLUSTER_RADII: readonly (readonly [number, number])[] = [[0, 14], [10, 18], [50, 24], [200, 30], [1000, 38]];

export function clusterRadius(count: number): number {
  let r = CLUSTER_RADII[0][1];
  for (const [from, radius] of CLUSTER_RADII) if (count >= from) r = radius;
  return r;
}

function clusterRadiusExpression(): ExpressionSpecification {
  const steps = CLUSTER_RADII.slice(1).flatMap(([from, r]) => [from, r]);
  return ["step", ["get", "point_count"], CLUSTER_RADII[0][1], ...steps] as ExpressionSpecification;
}

/** The SVG of a cluster's ring (drawn over its white circle, same radius): one arc per
 * segment, as dashes of a circle's stroke so a single segment is a full ring. */
export function clusterRingSvg(counts: readonly number[], radius: number): string {
  const width = Math.max(4, Math.round(radius * 0.32));
  const r = radius - width / 2;
  const c = 2 * Math.PI * r;
  const size = radius * 2;
  const arcs = ringSegments(counts)
    .map((s) => {
      const len = (s.size * c).toFixed(2);
      const offset = (-s.start * c).toFixed(2);
      return `<circle cx="${radius}" cy="${radius}" r="${r}" fill="none" stroke="${s.color}" stroke-width="${width}" stroke-dasharray="${len} ${c.toFixed(2)}" stroke-dashoffset="${offset}" transform="rotate(-90 ${radius} ${radius})"/>`;
    })
    .join("");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}" aria-hidden="true">${arcs}</svg>`;
}

/** Only the selected household's dot (none when nothing is selected). */
export function selectedFilter(id: string | null): ExpressionSpecification {
  // Pins always have an id, so "" matches nothing.
  return ["all", ["!", ["has", "point_count"]], ["==", ["get", "id"], id ?? ""]];
}

export const HOUSEHOLDS = "households";
export const SELECTED_LAYER = "household-selected";
const POINT_RADIUS: ExpressionSpecification = ["interpolate", ["linear"], ["zoom"], 12, 5, 18, 9];
export const AREA = "area";
export const CLOSURES = "closures";

export const DRAFT = "closure-draft";
/** Many households selected (lasso, box or filter) and the lasso being drawn. */
export const SELECTION = "selection";

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
    // How many members of each rank: the cluster's ring is split by urgency.
    clusterProperties: clusterRankCounts(),
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
    // A white disc with a white edge; the ring split by urgency and the count are HTML
    // markers over it (MapView), the same size (`clusterRadius`).
    paint: {
      "circle-color": "#ffffff",
      "circle-opacity": 0.92,
      "circle-radius": clusterRadiusExpression(),
      "circle-stroke-color": "#ffffff",
      "circle-stroke-width": 2,
    },
  };
  const points: CircleLayerSpecification = {
    id: "household-points", type: "circle", source: HOUSEHOLDS, filter: ["!", ["has", "point_count"]],
    paint: {
      "circle-color": pointFill(),
      "circle-radius": POINT_RADIUS,
      // On a run: a thick ring of its colour around a white dot; others a thin white edge.
      "circle-stroke-color": ["case", ["==", ["get", "rank"], ON_RUN_RANK], RANK_COLORS[ON_RUN_RANK], "#ffffff"],
      "circle-stroke-width": ["case", ["==", ["get", "rank"], ON_RUN_RANK], 3, 1.5],
    },
  };
  // The household selected (in the list or on the map): a dark ring around its dot.
  const selectedPoint: CircleLayerSpecification = {
    id: SELECTED_LAYER, type: "circle", source: HOUSEHOLDS, filter: selectedFilter(null),
    paint: {
      "circle-color": "rgba(0,0,0,0)",
      "circle-radius": ["interpolate", ["linear"], ["zoom"], 12, 10, 18, 15],
      "circle-stroke-color": "#1b2631",
      "circle-stroke-width": 3,
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
  // The households of a selection: a dark ring each (wider than the dot it sits under); the
  // lasso or box being drawn, dashed, under the dots so they stay clickable and visible.
  const selectionPoints: CircleLayerSpecification = {
    id: "selection-points", type: "circle", source: SELECTION, filter: ["==", ["get", "kind"], "selected"],
    paint: {
      "circle-color": "rgba(0,0,0,0)",
      "circle-radius": ["interpolate", ["linear"], ["zoom"], 12, 8, 18, 13],
      "circle-stroke-color": "#1b2631",
      "circle-stroke-width": 2,
    },
  };
  const lassoLine: LineLayerSpecification = {
    id: "selection-lasso", type: "line", source: SELECTION, filter: ["==", ["get", "kind"], "lasso"],
    paint: { "line-color": "#1b2631", "line-width": 2, "line-dasharray": [2, 1] },
  };
  return [
    ...(opts.basemap ? basemapLayers() : []),
    // The dashboard's shaded areas (only while it is open) lie on the map, under everything drawn on it.
    buildings, minorRoads, majorRoads, boundaryLine, ...reportAreaLayers(), closureAreas, closureLines, ...siteLayers(), selectionPoints, lassoLine, clusters, points, selectedPoint, ...planLayers(), draftLine, draftPoints,
  ];
}

/** The layers drawn from one source, in their `layerStack` order (with `basemap`, the basemap's). */
export function layersOf(source: string, opts: { basemap?: boolean } = {}): LayerSpecification[] {
  return layerStack(opts).filter((l) => "source" in l && l.source === source);
}

let stackIds: readonly string[] | undefined;

/** Every layer id, bottom to top, the basemap's included. */
export function layerOrder(): readonly string[] {
  return (stackIds ??= layerStack({ basemap: true }).map((l) => l.id));
}

/** Where a layer goes so that the map keeps `layerStack`'s order whatever order the layers are
 * added in: under the first layer above it in the stack that the map has now (`present`), or
 * on top (undefined) when there is none. */
export function beforeId(id: string, present: (id: string) => boolean, order: readonly string[] = layerOrder()): string | undefined {
  const at = order.indexOf(id);
  if (at < 0) return undefined;
  return order.slice(at + 1).find(present);
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
    on_run: d.needs.filter((n) => n.status === "assigned").length,
  };
}
