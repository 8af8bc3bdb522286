// A small plan view for the unit tests of the board's pure modules (two runs, one unserved need
// removed by hand, one not chosen). The 64-bit fields arrive as JSON numbers at run time,
// whatever ts-rs says (bigint): so they are numbers here too.
import type { PlanLoad } from "../bindings/PlanLoad";
import type { PlanNeed } from "../bindings/PlanNeed";
import type { PlanRun } from "../bindings/PlanRun";
import type { PlanStop } from "../bindings/PlanStop";
import type { PlanView } from "../bindings/PlanView";

export function need(id: string, extra: Partial<PlanNeed> = {}): PlanNeed {
  return {
    need_id: id, household_id: `h-${id}`, category: "water", urgency: "normal", quantity: 6, unit: "L",
    item_id: "i-water", item_name: "Water", cold_chain: false, missing: null, ...extra,
  };
}

/** What a need is loaded as: by default 6 × Water (its own item, asked in its unit). */
export function load(needId: string, extra: Partial<PlanLoad> = {}): PlanLoad {
  return {
    need_id: needId, item_id: "i-water", item_name: "Water", quantity: 6, unit: "bottle", substitute_for: null,
    substitute_for_name: null, asked: null, kg: 6, litres: 6, cold_chain: false, delivered: null, ...extra,
  };
}

/** A stop; its loads follow its needs (one each, as `load`) unless given. */
export function stop(id: string, lon: number, lat: number, extra: Partial<PlanStop> = {}): PlanStop {
  const needs = extra.needs ?? [need(`n-${id}`)];
  return {
    id, lat, lon, label: `Stop ${id}`, address: `${id} Rue`, households: 1, needs, loads: needs.map((n) => load(n.need_id)), locked: false,
    eta: "2026-03-02T09:30:00Z", load_after: [10, 5, 1], outcome: null, ...extra,
  };
}

export function run(id: string, stops: PlanStop[], extra: Partial<PlanRun> = {}): PlanRun {
  const depot: [number, number] = [7.42, 43.73];
  return {
    id, shift_id: `sh-${id}`, driver: `Driver ${id}`, vehicle: "Van", site_id: "depot-1", site_name: "Main depot",
    locked: false, stops, shift_start: "2026-03-02T08:00:00Z", shift_end: "2026-03-02T13:00:00Z",
    departure: "2026-03-02T08:10:00Z", back: "2026-03-02T11:00:00Z", drive_s: 3600 as unknown as bigint,
    distance_m: 12000 as unknown as bigint, load: [40, 20, 4], capacity: [300, 400], violations: [],
    path: [depot, ...stops.map((s): [number, number] => [s.lon, s.lat]), depot], ...extra,
  };
}

export function view(): PlanView {
  return {
    info: {
      id: "p1", day: "2026-03-02", status: "draft", created_at: "2026-03-01T18:00:00Z", created_by: "Ana", runs: 2, stops: 3,
      needs_served: 3, unserved: 2, drive_s: 7200 as unknown as bigint, estimated: false, made_elsewhere: null,
    },
    runs: [
      run("r1", [stop("a", 7.43, 43.74), stop("b", 7.44, 43.75, { locked: true })]),
      run("r2", [stop("c", 7.41, 43.72)], { locked: true, violations: [{ kind: "late", stop_id: "c" }, { kind: "after_shift", stop_id: null }] }),
    ],
    unserved: [
      { ...need("n-d"), stop_id: "d", lat: 43.76, lon: 7.45, label: "Stop d", reason: "removed" },
      { ...need("n-e", { urgency: "low" }), stop_id: "e", lat: 43.77, lon: 7.46, label: "Stop e", reason: "not_chosen" },
    ],
    stock: [],
    feasible: false,
  };
}
