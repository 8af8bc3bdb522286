// The dashboard's logic, kept free of the DOM so it can be unit-tested: the report asked for a
// local date, the figures' keys in the order the cards show them, numbers as the cards write
// them, the reason a critical need waits in words, and the deliveries chart's data.
import type { DayOutcomes } from "./bindings/DayOutcomes";
import type { OpenNeeds } from "./bindings/OpenNeeds";
import type { OutcomeCounts } from "./bindings/OutcomeCounts";
import type { ReportFormat } from "./bindings/ReportFormat";
import type { ReportRequest } from "./bindings/ReportRequest";
import type { SheetLanguage } from "./bindings/SheetLanguage";
import type { WaitingNeed } from "./bindings/WaitingNeed";
import { dateLocale } from "./datetime";
import { hasMessage, type MessageKey } from "./i18n/index.svelte";

/** The outcome rows of the deliveries table, households reached first. */
export const OUTCOME_KEYS = ["households_reached", "delivered", "partly", "nobody_home", "refused", "unsafe"] as const satisfies readonly (keyof OutcomeCounts)[];
export type OutcomeKey = (typeof OUTCOME_KEYS)[number];

/** The periods of the deliveries table and the prefix of their cells' test ids. */
export const PERIODS = [
  { key: "today", testid: "today" },
  { key: "last_7_days", testid: "week" },
  { key: "since_start", testid: "total" },
] as const;

export const URGENCY_KEYS = ["critical", "high", "normal", "low"] as const satisfies readonly (keyof OpenNeeds)[];
export const AGE_KEYS = ["under_1_day", "days_1_to_3", "days_3_to_7", "over_7_days"] as const satisfies readonly (keyof OpenNeeds)[];

/** Stock under this many days of cover is short (the report lists it first). */
export const LOW_COVER_DAYS = 2;

const pad = (n: number) => String(n).padStart(2, "0");

/** `YYYY-MM-DD` of a date in local time. */
export function localDate(d: Date = new Date()): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** A real `YYYY-MM-DD` date (not 2026-02-31)? */
export function isDay(day: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(y, mo - 1, d);
  return date.getFullYear() === y && date.getMonth() === mo - 1 && date.getDate() === d;
}

/** The report of a local date: the date and its local midnight (RFC 3339, UTC). */
export function reportRequest(day: string): ReportRequest {
  if (!isDay(day)) throw new RangeError(`not a date: ${day}`);
  const [y, m, d] = day.split("-").map(Number);
  return { day, day_start: new Date(y, m - 1, d).toISOString() };
}

/** A `YYYY-MM-DD` day as a local Date at midnight (for formatting). */
export function dayDate(day: string): Date {
  const [y, m, d] = day.split("-").map(Number);
  return new Date(y, m - 1, d);
}

/** A day for a column or a bar: "5 Dec" (the locale's order). */
export function shortDay(day: string, locale = dateLocale()): string {
  return isDay(day) ? dayDate(day).toLocaleDateString(locale, { day: "numeric", month: "short" }) : day;
}

/** A day for a row: "Sat 5 Dec". */
export function weekDay(day: string, locale = dateLocale()): string {
  return isDay(day) ? dayDate(day).toLocaleDateString(locale, { weekday: "short", day: "numeric", month: "short" }) : day;
}

/** A count as its cell shows it: the integer alone. */
export function count(n: number): string {
  return String(Math.round(n));
}

/** A rate or a number of days with at most one decimal ("2.5", "3"). */
export function decimal(n: number): string {
  const r = Math.round(n * 10) / 10;
  return String(Object.is(r, -0) ? 0 : r);
}

/** Days of cover as its cell shows it: at most one decimal, "—" when nothing was issued. */
export function coverText(days: number | null): string {
  return days === null || !Number.isFinite(days) ? "—" : decimal(days);
}

/** Short of stock: under two days of cover (none issued is never short). */
export function lowCover(days: number | null): boolean {
  return days !== null && days < LOW_COVER_DAYS;
}

/** The words for why a critical need still waits: the dashboard's own keys (on a run, back
 * open, never planned), else the planning board's; null when neither knows it (the report's
 * English sentence is shown then). */
export function reasonKey(reason: WaitingNeed["reason"]): MessageKey | null {
  for (const key of [`dash.reason.${reason}`, `plan.reason.${reason}`]) if (hasMessage(key)) return key;
  return null;
}

/** Visits that handed something over, and the others. */
export function handedOver(o: OutcomeCounts): number {
  return o.delivered + o.partly;
}

export function notHandedOver(o: OutcomeCounts): number {
  return o.nobody_home + o.refused + o.unsafe;
}

/** Nothing recorded at all (no visit with an outcome). */
export function noVisits(o: OutcomeCounts): boolean {
  return handedOver(o) + notHandedOver(o) === 0;
}

export const CHART_COLORS = { handed: "#1e8449", other: "#d68910" } as const;

export type DayChartData = {
  labels: string[];
  datasets: { key: "handed" | "other"; label: string; data: number[]; backgroundColor: string; stack: string }[];
};

/** The deliveries chart: one stacked bar per day, delivered + partly under the other outcomes. */
export function dayChartData(days: readonly DayOutcomes[], words: { handed: string; other: string }, label: (day: string) => string): DayChartData {
  return {
    labels: days.map((d) => label(d.day)),
    datasets: [
      { key: "handed", label: words.handed, data: days.map((d) => handedOver(d.outcomes)), backgroundColor: CHART_COLORS.handed, stack: "visits" },
      { key: "other", label: words.other, data: days.map((d) => notHandedOver(d.outcomes)), backgroundColor: CHART_COLORS.other, stack: "visits" },
    ],
  };
}

/** The last `n` days of `per_day` (it is oldest first), the most recent first. */
export function recentDays<T>(perDay: readonly T[], n: number): T[] {
  return perDay.slice(-n).reverse();
}

/** The PDF's language: the UI's when the sheets speak it, else English. */
export function reportLanguage(ui: string): SheetLanguage {
  return ui === "es" || ui === "fr" ? ui : "en";
}

/** A file name offered for a saved report: "Flood Relief-situation-report-2026-12-05.pdf". */
export function reportFileName(operation: string, what: string, day: string, format: ReportFormat): string {
  const safe = (s: string) => s.replace(/[\\/:*?"<>|]+/g, "-").trim();
  return `${safe(operation) || "aidmap"}-${safe(what)}-${day}.${format}`;
}
