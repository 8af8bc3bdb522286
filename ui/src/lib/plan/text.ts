// Words for the planning board that need the i18n layer: durations, amounts, days, and the
// backend's refusals said in terms of a plan.
import { ApiError } from "../api";
import { errorText } from "../forms";
import { currentLanguage, t } from "../i18n/index.svelte";
import { hoursMinutes } from "./board";

export function durationText(seconds: number | bigint): string {
  const { h, m } = hoursMinutes(seconds);
  return h > 0 ? t("plan.duration", { h, m: String(m).padStart(2, "0") }) : t("plan.minutes", { m });
}

/** A quantity: at most one decimal, in the user's number format. */
export function amount(n: number): string {
  return n.toLocaleString(currentLanguage(), { maximumFractionDigits: 1 });
}

/** A loaded or handed-over quantity exactly as stored (up to three decimals), in the user's number format. */
export function exact(n: number): string {
  return n.toLocaleString(currentLanguage(), { maximumFractionDigits: 3 });
}

/** `YYYY-MM-DD` as a full local date ("Monday 2 March 2026"). */
export function dayText(day: string): string {
  const [y, m, d] = day.split("-").map(Number);
  if (!y || !m || !d) return day;
  return new Date(y, m - 1, d).toLocaleDateString(currentLanguage(), { weekday: "long", day: "numeric", month: "long", year: "numeric" });
}

/** What went wrong, in words about the plan where the backend's refusal says which part. */
export function planErrorText(e: unknown): string {
  // Dispatch refused whole: the core's message names the item, the depot, needed and on hand.
  if (e instanceof ApiError && e.code === "not_enough_stock") return t("plan.error.not_enough_stock", { message: e.message });
  if (e instanceof ApiError && e.code === "validation") {
    const fields = e.fields.map((f) => f.field);
    if (fields.includes("status")) return t("plan.error.status");
    if (fields.includes("stock")) return t("plan.error.stock");
    if (fields.includes("delivered")) return t("plan.error.delivered");
    if (fields.includes("needs")) return t("plan.error.needs");
    if (fields.includes("runs") || fields.includes("stops")) return t("plan.error.layout");
    if (fields.includes("area")) return t("plan.error.area");
    if (fields.includes("seconds")) return t("plan.setup.seconds_range");
    if (fields.includes("day") || fields.includes("day_start")) return t("plan.setup.pick_day");
  }
  return errorText(e);
}
