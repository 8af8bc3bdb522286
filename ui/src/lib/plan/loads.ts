// What a plan loads, as the core stored it when the plan was saved (PlanStop.loads): the
// board, the dispatch question and the outcome dialog read these exactly and never recompute
// them. Also the needs left off the runs said with their specifics. Pure: unit-tested
// (loads.test.ts); the words come from the caller (`t`) through message keys and parameters.
import type { Category } from "../bindings/Category";
import type { PlanLoad } from "../bindings/PlanLoad";
import type { PlanNeed } from "../bindings/PlanNeed";
import type { PlanStop } from "../bindings/PlanStop";
import type { PlanView } from "../bindings/PlanView";
import type { StopOutcome } from "../bindings/StopOutcome";
import type { UnservedNeed } from "../bindings/UnservedNeed";
import type { PlanKey } from "../i18n/plan.en";

const EPS = 1e-9;

/** A quantity as the core writes it on sheets (`sheets::number`): "12", "1.5", never "12.0". */
export function number(x: number): string {
  const r = Math.round(x * 1000) / 1000;
  return String(r === 0 ? 0 : r);
}

/** One need of a stop with its load (null: a plan saved before loads were stored). */
export type NeedLoad = { need: PlanNeed; load: PlanLoad | null };

/** A stop's needs, each with the load stored for it (by need id). */
export function needLoads(stop: PlanStop): NeedLoad[] {
  const loads = stop.loads ?? [];
  return stop.needs.map((need) => ({ need, load: loads.find((l) => l.need_id === need.need_id) ?? null }));
}

/** After an outcome, what was handed over of a load when it is not all of it (null: nothing to say). */
export function deliveredShort(load: PlanLoad, outcome: StopOutcome | null): { delivered: number; loaded: number } | null {
  if (outcome === null || load.delivered === null) return null;
  if (Math.abs(load.delivered - load.quantity) <= EPS) return null;
  // Nobody home, refused, unsafe: the outcome already says nothing was handed over.
  if (outcome !== "partly" && outcome !== "delivered" && load.delivered <= EPS) return null;
  return { delivered: load.delivered, loaded: load.quantity };
}

/** Loads standing in for another item, grouped: "Water jerrycan 10 L instead of Water 1.5 L ×3". */
export type Substitution = {
  item_id: string;
  item_name: string;
  for_id: string;
  for_name: string;
  unit: string;
  /** How many needs are loaded this way. */
  count: number;
  /** Of the substitute, in its units. */
  quantity: number;
};

export function substitutionsOf(stops: PlanStop[]): Substitution[] {
  const out = new Map<string, Substitution>();
  for (const s of stops) {
    for (const l of s.loads ?? []) {
      if (!l.substitute_for) continue;
      const key = `${l.item_id}\u0000${l.substitute_for}`;
      const g = out.get(key);
      if (g) {
        g.count += 1;
        g.quantity += l.quantity;
      } else {
        out.set(key, {
          item_id: l.item_id, item_name: l.item_name, for_id: l.substitute_for, for_name: l.substitute_for_name ?? l.substitute_for,
          unit: l.unit, count: 1, quantity: l.quantity,
        });
      }
    }
  }
  return [...out.values()].sort((a, b) => b.count - a.count || a.item_name.localeCompare(b.item_name) || a.for_name.localeCompare(b.for_name));
}

/** Every substitution on a plan's runs. */
export function substitutions(view: PlanView): Substitution[] {
  return substitutionsOf(view.runs.flatMap((r) => r.stops));
}

export const substitutionCount = (list: Substitution[]) => list.reduce((n, s) => n + s.count, 0);

/** One item a depot issues for the plan's runs. */
export type IssueLine = { item_id: string; item_name: string; unit: string; quantity: number; cold_chain: boolean; substitutes: number };
export type DepotIssue = { site_id: string; site_name: string; runs: number; lines: IssueLine[] };

/** What Dispatch issues, per depot: the stored loads of its runs added up per item (by name). */
export function issueByDepot(view: PlanView): DepotIssue[] {
  const out: DepotIssue[] = [];
  for (const r of view.runs) {
    const loads = r.stops.flatMap((s) => s.loads ?? []);
    if (loads.length === 0) continue;
    let depot = out.find((d) => d.site_id === r.site_id);
    if (!depot) out.push((depot = { site_id: r.site_id, site_name: r.site_name, runs: 0, lines: [] }));
    depot.runs += 1;
    for (const l of loads) {
      let line = depot.lines.find((x) => x.item_id === l.item_id);
      if (!line) depot.lines.push((line = { item_id: l.item_id, item_name: l.item_name, unit: l.unit, quantity: 0, cold_chain: false, substitutes: 0 }));
      line.quantity += l.quantity;
      line.cold_chain ||= l.cold_chain;
      if (l.substitute_for) line.substitutes += 1;
    }
  }
  for (const d of out) d.lines.sort((a, b) => a.item_name.localeCompare(b.item_name));
  return out;
}

/** One item of a stop in the "Partly delivered" dialog: loaded, and handed over (the default). */
export type PartlyLine = { item_id: string; item_name: string; unit: string; loaded: number; handed: number; cold_chain: boolean };

/** A stop's loads per item. What was handed over starts at everything loaded, or at what was
 * recorded when the stop is already partly delivered (correcting it). */
export function partlyLines(stop: PlanStop): PartlyLine[] {
  const out: PartlyLine[] = [];
  const again = stop.outcome === "partly";
  for (const l of stop.loads ?? []) {
    let line = out.find((x) => x.item_id === l.item_id);
    if (!line) out.push((line = { item_id: l.item_id, item_name: l.item_name, unit: l.unit, loaded: 0, handed: 0, cold_chain: false }));
    line.loaded += l.quantity;
    line.handed += again && l.delivered !== null ? l.delivered : l.quantity;
    line.cold_chain ||= l.cold_chain;
  }
  for (const line of out) {
    line.loaded = round(line.loaded);
    line.handed = Math.min(line.loaded, round(line.handed));
  }
  return out;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** An amount typed in the dialog: a finite number from 0 to what was loaded. */
export function handedValid(value: number | null | undefined, loaded: number): boolean {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 && value <= loaded + EPS;
}

/** What the backend takes for "partly": [item id, quantity handed over] per item; null while one is out of range. */
export function partlyDelivered(lines: PartlyLine[], handed: (number | null | undefined)[]): [string, number][] | null {
  if (handed.length !== lines.length || lines.some((l, i) => !handedValid(handed[i], l.loaded))) return null;
  return lines.map((l, i) => [l.item_id, handed[i] as number]);
}

/** A need's item in words: its item's name, else its category ("Food"); numbers in the user's
 * format when `amount` is given (else as the core writes them). */
type Words = { category: (c: Category) => string; amount?: (n: number) => string };
const itemOf = (u: UnservedNeed, w: Words) => u.item_name ?? w.category(u.category);

/** The specific sentence for why a need is not on a run, for the reasons that have one. */
export function reasonDetail(u: UnservedNeed, w: Words): { key: PlanKey; params: Record<string, string> } | null {
  const item = itemOf(u, w);
  switch (u.reason) {
    case "not_stocked":
      return { key: "plan.reason_detail.not_stocked", params: { item } };
    case "not_enough_stock":
      return u.missing !== null && u.missing > EPS
        ? { key: "plan.reason_detail.not_enough_stock", params: { item, missing: (w.amount ?? number)(u.missing) } }
        : { key: "plan.reason_detail.not_enough_stock_unknown", params: { item } };
    case "item_not_chosen":
      return { key: u.category === "medicine" ? "plan.reason_detail.item_not_chosen_named" : "plan.reason_detail.item_not_chosen", params: {} };
    case "unit_not_convertible":
      return { key: "plan.reason_detail.unit_not_convertible", params: { unit: u.unit, item } };
    default:
      return null;
  }
}

/** Needs waiting for an item (`item_not_chosen`) per category, most first; medicine must name its item. */
export function waitingForItem(unserved: UnservedNeed[]): { category: Category; count: number; named: boolean }[] {
  const counts = new Map<Category, number>();
  for (const u of unserved) if (u.reason === "item_not_chosen") counts.set(u.category, (counts.get(u.category) ?? 0) + 1);
  return [...counts]
    .map(([category, count]) => ({ category, count, named: category === "medicine" }))
    .sort((a, b) => b.count - a.count || a.category.localeCompare(b.category));
}

/** Critical needs not on a run, in the order they came (most urgent first). */
export function criticalUnserved(unserved: UnservedNeed[]): UnservedNeed[] {
  return unserved.filter((u) => u.urgency === "critical");
}
