// The planning board's pure logic: the set-up form and the request it makes, local times and
// durations, what a plan's stock, unserved needs and violations add up to, and keyboard rules.
// Kept free of the DOM and of Svelte so it is unit-tested (board.test.ts).
import type { Polygon } from "geojson";
import type { Category } from "../bindings/Category";
import type { PlanChoices } from "../bindings/PlanChoices";
import type { PlanInfo } from "../bindings/PlanInfo";
import type { PlanRequest } from "../bindings/PlanRequest";
import type { PlanRun } from "../bindings/PlanRun";
import type { PlanStock } from "../bindings/PlanStock";
import type { PlanView } from "../bindings/PlanView";
import type { StopOutcome } from "../bindings/StopOutcome";
import type { UnservedNeed } from "../bindings/UnservedNeed";
import type { Urgency } from "../bindings/Urgency";
import type { PlanKey } from "../i18n/plan.en";

export const PLAN_URGENCIES: Urgency[] = ["critical", "high", "normal", "low"];
export const PLAN_CATEGORIES: Category[] = ["water", "food", "baby_supplies", "medicine", "hygiene", "cleaning", "fuel", "shelter", "other"];
export const OUTCOMES: StopOutcome[] = ["delivered", "partly", "nobody_home", "refused", "unsafe"];
/** Why a need was left out, in the order the board lists them (most actionable first). */
export const UNSERVED_REASONS = [
  "removed", "item_not_chosen", "unit_not_convertible", "not_enough_stock", "not_stocked", "no_cooler", "high_clearance", "no_capacity", "outside_every_shift",
  "unreachable", "not_chosen", "household_not_active",
] as const;
export const VIOLATIONS = ["late", "over_capacity", "after_shift", "no_cooler", "not_stocked", "high_clearance", "unreachable", "replan", "far_from_road", "weight_unknown"] as const;
export const SECONDS = { min: 1, max: 600, default: 10 } as const;

/** What the set-up form holds. Shifts and depots are kept as what was unticked, so the usable
 * ones start ticked and stay so when the counts refresh. */
export type SetupForm = {
  day: string;
  urgencies: Urgency[];
  categories: Category[];
  area: Polygon | null;
  /** Only these households (a selection: "plan only these"); absent or null: any. */
  households?: string[] | null;
  excludedShifts: string[];
  excludedDepots: string[];
  seconds: number;
};

/** A search under way (Plan or Re-optimise): seconds used of the limit, best cost so far. */
export type SearchState = { kind: "create" | "reoptimise"; limit: number; started: number; elapsed: number; best: number | null; cancelling: boolean };

/** The search time to use: the form's, kept within the backend's limits. */
export function clampSeconds(n: number): number {
  return Number.isFinite(n) ? Math.min(SECONDS.max, Math.max(SECONDS.min, Math.round(n))) : SECONDS.default;
}

const pad = (n: number) => String(n).padStart(2, "0");

export function defaultForm(day: string): SetupForm {
  return { day, urgencies: [...PLAN_URGENCIES], categories: [...PLAN_CATEGORIES], area: null, excludedShifts: [], excludedDepots: [], seconds: SECONDS.default };
}

/** The local midnight that starts `day`, as RFC 3339 (UTC). */
export function dayStart(day: string): string {
  const [y, m, d] = day.split("-").map(Number);
  return new Date(y, m - 1, d).toISOString();
}

export function usableShifts(choices: PlanChoices | null): string[] {
  return (choices?.shifts ?? []).filter((s) => !s.idle).map((s) => s.shift_id);
}

/** What keeps the form from planning (a message key), or null. */
export function formProblem(form: SetupForm, choices: PlanChoices | null): PlanKey | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(form.day)) return "plan.setup.pick_day";
  if (form.urgencies.length === 0) return "plan.setup.pick_urgency";
  if (form.categories.length === 0) return "plan.setup.pick_category";
  if (!Number.isInteger(form.seconds) || form.seconds < SECONDS.min || form.seconds > SECONDS.max) return "plan.setup.seconds_range";
  if (!choices) return null;
  const usable = usableShifts(choices);
  if (usable.length === 0) return "plan.setup.no_shifts";
  if (usable.every((id) => form.excludedShifts.includes(id))) return "plan.setup.pick_shift";
  if (choices.depots.length > 0 && choices.depots.every(([id]) => form.excludedDepots.includes(id))) return "plan.setup.pick_depot";
  if (choices.needs === 0) return "plan.setup.no_needs";
  return null;
}

/** The request for the form: "all" is sent as [] (urgencies, categories) or null (shifts, depots). */
export function buildRequest(form: SetupForm, choices: PlanChoices | null, seed: number): PlanRequest {
  const all = <T>(list: T[], chosen: T[]) => list.every((x) => chosen.includes(x));
  const usable = usableShifts(choices);
  const shifts = usable.filter((id) => !form.excludedShifts.includes(id));
  const depots = (choices?.depots ?? []).map(([id]) => id);
  const chosenDepots = depots.filter((id) => !form.excludedDepots.includes(id));
  return {
    day: form.day,
    day_start: dayStart(form.day),
    urgencies: all(PLAN_URGENCIES, form.urgencies) ? [] : PLAN_URGENCIES.filter((u) => form.urgencies.includes(u)),
    categories: all(PLAN_CATEGORIES, form.categories) ? [] : PLAN_CATEGORIES.filter((c) => form.categories.includes(c)),
    area: form.area ? { type: "Polygon", coordinates: form.area.coordinates } : null,
    shift_ids: shifts.length === usable.length ? null : shifts,
    site_ids: chosenDepots.length === depots.length ? null : chosenDepots,
    household_ids: form.households ?? null,
    seconds: form.seconds,
    seed: BigInt(seed),
  };
}

/** A random seed for a search (each Plan or Re-optimise tries a new one). */
export function newSeed(): number {
  return Math.floor(Math.random() * 2 ** 31);
}

/** Local `HH:MM` of an RFC 3339 time ("" when unreadable). */
export function hhmm(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? "" : `${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Whole hours and minutes of a duration in seconds (rounded to the minute). The 64-bit fields
 * of the bindings arrive as numbers: anything numeric is accepted. */
export function hoursMinutes(seconds: number | bigint): { h: number; m: number } {
  const total = Math.max(0, Math.round(Number(seconds) / 60));
  return { h: Math.floor(total / 60), m: total % 60 };
}

export function km(meters: number | bigint): string {
  return (Number(meters) / 1000).toFixed(1);
}

/** Load over capacity as a fraction (0…, may pass 1), or null when there is no capacity. */
export function fraction(load: number, capacity: number): number | null {
  return capacity > 0 ? load / capacity : null;
}

/** Leaves no earlier than the shift starts and is back by the time it ends. */
export function fitsShift(run: PlanRun): boolean {
  const at = (s: string) => new Date(s).getTime();
  return at(run.departure) >= at(run.shift_start) && at(run.back) <= at(run.shift_end);
}

/** Violations of a run by stop id (run-wide ones under ""). */
export function problemsByStop(run: PlanRun): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const v of run.violations) {
    const key = v.stop_id ?? "";
    out.set(key, [...(out.get(key) ?? []), v.kind]);
  }
  return out;
}

export function problemCount(view: PlanView): number {
  return view.runs.reduce((n, r) => n + r.violations.length, 0);
}

export type StockLine = PlanStock & { available: number; fits: boolean };

/** The stock a plan takes, by depot: what it takes against on hand minus other drafts. */
export function stockByDepot(stock: PlanStock[]): { site_id: string; site_name: string; lines: StockLine[] }[] {
  const out: { site_id: string; site_name: string; lines: StockLine[] }[] = [];
  for (const s of stock) {
    let depot = out.find((d) => d.site_id === s.site_id);
    if (!depot) out.push((depot = { site_id: s.site_id, site_name: s.site_name, lines: [] }));
    const available = s.on_hand - s.reserved_elsewhere;
    depot.lines.push({ ...s, available, fits: s.quantity <= available + 1e-9 });
  }
  return out;
}

/** Unserved needs grouped by reason, in the board's order (reasons it does not know last). */
export function groupUnserved(list: UnservedNeed[]): { reason: string; needs: UnservedNeed[] }[] {
  const rank = (r: string) => {
    const i = (UNSERVED_REASONS as readonly string[]).indexOf(r);
    return i < 0 ? UNSERVED_REASONS.length : i;
  };
  const groups = new Map<string, UnservedNeed[]>();
  for (const u of list) groups.set(u.reason, [...(groups.get(u.reason) ?? []), u]);
  return [...groups].map(([reason, needs]) => ({ reason, needs })).sort((a, b) => rank(a.reason) - rank(b.reason) || a.reason.localeCompare(b.reason));
}

/** What Dispatch will do: the quantity issued, from how many depots, and the needs assigned. */
export function dispatchSummary(view: PlanView): { items: number; depots: number; needs: number } {
  const items = view.stock.reduce((n, s) => n + s.quantity, 0);
  return { items: Math.round(items * 10) / 10, depots: new Set(view.stock.map((s) => s.site_id)).size, needs: view.info.needs_served };
}

/** Saved plans newest day first; discarded ones only when asked for. */
export function sortPlans(plans: PlanInfo[], withDiscarded: boolean): PlanInfo[] {
  return plans
    .filter((p) => withDiscarded || p.status !== "discarded")
    .sort((a, b) => b.day.localeCompare(a.day) || b.created_at.localeCompare(a.created_at));
}

/** A field where typing goes (Ctrl+Z there undoes the typing, not the board). */
export function isTextField(el: Element | null): boolean {
  if (!el) return false;
  if ((el as HTMLElement).isContentEditable || el.tagName === "TEXTAREA") return true;
  if (el.tagName !== "INPUT") return false;
  const type = (el as HTMLInputElement).type;
  return !["checkbox", "radio", "button", "submit", "reset", "range", "color", "file", "image"].includes(type);
}

/** Ctrl+Z undoes; Ctrl+Shift+Z and Ctrl+Y redo (Cmd on macOS). */
export function historyKey(e: { key: string; ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }): "undo" | "redo" | null {
  if (!(e.ctrlKey || e.metaKey) || e.altKey) return null;
  const k = e.key.toLowerCase();
  if (k === "z") return e.shiftKey ? "redo" : "undo";
  if (k === "y" && !e.shiftKey) return "redo";
  return null;
}
