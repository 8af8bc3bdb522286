// A plan on the map: each run's road path in its colour, numbered stops (the number is the
// place in the run), the depots, the area the plan was limited to, and the needs left unserved
// as grey rings. Locked runs and stops get a dark outline, the selected stop a larger ring,
// stops with a problem a red dot. Pure functions: unit-tested (plan.test.ts); the layers take
// their place in `layerStack`.
import type { CircleLayerSpecification, LayerSpecification, LineLayerSpecification, SymbolLayerSpecification, FillLayerSpecification, ExpressionSpecification } from "maplibre-gl";
import type { Feature, FeatureCollection, Polygon } from "geojson";
import type { PlanView } from "../bindings/PlanView";
import { FONTS } from "./basemap";

export const PLAN = "plan";

/** Twelve run colours, told apart by hue on the light basemap; each with the ink (white or
 * dark) its stop numbers are written in. Run i gets colour i mod 12. */
export const RUN_COLORS = [
  "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#7e57c2", "#17becf",
  "#e377c2", "#8c564b", "#bcbd22", "#393b79", "#637939", "#1b2631",
] as const;
const DARK_INK = "#1b2631";

export function runColor(index: number): string {
  return RUN_COLORS[((index % RUN_COLORS.length) + RUN_COLORS.length) % RUN_COLORS.length];
}

/** WCAG relative luminance of `#rrggbb`. */
export function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrast(a: string, b: string): number {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

/** White or dark text, whichever reads better on `color`. */
export function inkFor(color: string): string {
  return contrast(color, "#ffffff") >= contrast(color, DARK_INK) ? "#ffffff" : DARK_INK;
}

export type PlanFeatureKind = "area" | "path" | "depot" | "unserved" | "stop";

/** What the board draws: the view (if one is open), the area chosen in the set-up, the
 * selected stop. */
export type PlanMapInput = { view: PlanView | null; area?: Polygon | null; selected?: string | null; onlyRun?: string | null };

export function planToGeoJSON({ view, area = null, selected = null, onlyRun = null }: PlanMapInput): FeatureCollection {
  const features: Feature[] = [];
  if (area) features.push({ type: "Feature", geometry: area, properties: { kind: "area" } });
  if (!view) return { type: "FeatureCollection", features };
  // "Show one run": only its path, depot and stops (a big day's map stays readable); each run
  // keeps its colour and number.
  const shown = (run: PlanView["runs"][number]) => onlyRun === null || run.id === onlyRun;
  const depots = new Set<string>();
  view.runs.forEach((run, i) => {
    if (!shown(run)) return;
    const color = runColor(i);
    if (run.path.length >= 2) {
      features.push({
        type: "Feature",
        geometry: { type: "LineString", coordinates: run.path.map(([lon, lat]) => [lon, lat]) },
        properties: { kind: "path", run_id: run.id, color, locked: run.locked },
      });
    }
    if (run.path.length > 0 && !depots.has(run.site_id)) {
      depots.add(run.site_id);
      features.push({ type: "Feature", geometry: { type: "Point", coordinates: [...run.path[0]] }, properties: { kind: "depot", site_id: run.site_id, name: run.site_name } });
    }
  });
  const seen = new Set<string>();
  for (const u of onlyRun === null ? view.unserved : []) {
    if (seen.has(u.household_id)) continue;
    seen.add(u.household_id);
    features.push({ type: "Feature", geometry: { type: "Point", coordinates: [u.lon, u.lat] }, properties: { kind: "unserved", household_id: u.household_id, reason: u.reason } });
  }
  // Stops last, so a later run's stop is drawn over an earlier run's path.
  view.runs.forEach((run, i) => {
    if (!shown(run)) return;
    const problems = new Set(run.violations.map((v) => v.stop_id));
    run.stops.forEach((s, k) => {
      features.push({
        type: "Feature",
        geometry: { type: "Point", coordinates: [s.lon, s.lat] },
        properties: {
          kind: "stop", stop_id: s.id, run_id: run.id, n: k + 1, label: String(k + 1), color: runColor(i), ink: inkFor(runColor(i)),
          locked: s.locked || run.locked, selected: s.id === selected, problem: problems.has(s.id), done: s.outcome !== null,
        },
      });
    });
  });
  return { type: "FeatureCollection", features };
}

/** Where the board asks the map to look: one point, or a box [west, south, east, north]. */
export type MapFocus = { center: [number, number] } | { bounds: [number, number, number, number] };

/** [west, south, east, north] around a plan's paths, stops and unserved needs, or null. */
export function planBounds(view: PlanView): [number, number, number, number] | null {
  const points: number[][] = [...view.runs.flatMap((r) => [...r.path, ...r.stops.map((s) => [s.lon, s.lat])]), ...view.unserved.map((u) => [u.lon, u.lat])];
  if (points.length === 0) return null;
  const lons = points.map((p) => p[0]);
  const lats = points.map((p) => p[1]);
  return [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)];
}

const kind = (k: PlanFeatureKind): ExpressionSpecification => ["==", ["get", "kind"], k];

/** The plan's layers, bottom to top; they go above the household pins in `layerStack`. */
export function planLayers(): LayerSpecification[] {
  const areaFill: FillLayerSpecification = {
    id: "plan-area-fill", type: "fill", source: PLAN, filter: kind("area"),
    paint: { "fill-color": "#1f6f8b", "fill-opacity": 0.08 },
  };
  const areaLine: LineLayerSpecification = {
    id: "plan-area-line", type: "line", source: PLAN, filter: kind("area"),
    paint: { "line-color": "#1f6f8b", "line-width": 2, "line-dasharray": [3, 2] },
  };
  // A casing under each path: white, or dark when the run is locked.
  const casing: LineLayerSpecification = {
    id: "plan-path-casing", type: "line", source: PLAN, filter: kind("path"),
    layout: { "line-join": "round", "line-cap": "round" },
    paint: { "line-color": ["case", ["get", "locked"], "#1b2631", "#ffffff"], "line-width": ["case", ["get", "locked"], 8, 6], "line-opacity": 0.9 },
  };
  const paths: LineLayerSpecification = {
    id: "plan-paths", type: "line", source: PLAN, filter: kind("path"),
    layout: { "line-join": "round", "line-cap": "round" },
    paint: { "line-color": ["get", "color"], "line-width": 3.5 },
  };
  const unserved: CircleLayerSpecification = {
    id: "plan-unserved", type: "circle", source: PLAN, filter: kind("unserved"),
    paint: { "circle-radius": 7, "circle-color": "rgba(0,0,0,0)", "circle-stroke-color": "#7f8c8d", "circle-stroke-width": 2.5 },
  };
  const depots: CircleLayerSpecification = {
    id: "plan-depots", type: "circle", source: PLAN, filter: kind("depot"),
    paint: { "circle-radius": 15, "circle-color": "rgba(0,0,0,0)", "circle-stroke-color": "#1b2631", "circle-stroke-width": 3 },
  };
  const stops: CircleLayerSpecification = {
    id: "plan-stops", type: "circle", source: PLAN, filter: kind("stop"),
    paint: {
      "circle-radius": ["case", ["get", "selected"], 14, 10],
      "circle-color": ["get", "color"],
      "circle-opacity": ["case", ["get", "done"], 0.55, 1],
      "circle-stroke-color": ["case", ["get", "selected"], "#f1c40f", ["get", "locked"], "#1b2631", "#ffffff"],
      "circle-stroke-width": ["case", ["get", "selected"], 4, ["get", "locked"], 3.5, 2],
    },
  };
  const numbers: SymbolLayerSpecification = {
    id: "plan-stop-numbers", type: "symbol", source: PLAN, filter: kind("stop"),
    layout: { "text-field": ["get", "label"], "text-font": [FONTS.bold], "text-size": 11, "text-allow-overlap": true, "text-ignore-placement": true },
    paint: { "text-color": ["get", "ink"] },
  };
  const problems: CircleLayerSpecification = {
    id: "plan-stop-problems", type: "circle", source: PLAN, filter: ["all", kind("stop"), ["get", "problem"]],
    paint: { "circle-radius": 4.5, "circle-color": "#c0392b", "circle-stroke-color": "#ffffff", "circle-stroke-width": 1.5, "circle-translate": [9, -9] },
  };
  return [areaFill, areaLine, casing, paths, unserved, depots, stops, numbers, problems];
}

/** Layers whose click selects a stop (features carry `stop_id`). */
export const PLAN_CLICKABLE = ["plan-stop-numbers", "plan-stops"];
