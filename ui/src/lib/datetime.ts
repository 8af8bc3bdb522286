// Dates and times as the user reads them: in the UI language, with the system's regional
// variant when it speaks that language (en-GB, es-MX, fr-CA), else the language's usual one;
// always 24-hour, and dates with the month as a word, so 05/12 is never read as 12 May in one
// place and 5 December in another.
import { currentLanguage } from "./i18n/index.svelte";

const USUAL: Record<string, string> = { en: "en-GB", es: "es-ES", fr: "fr-FR" };

function systemTags(): readonly string[] {
  return typeof navigator === "undefined" ? [] : (navigator.languages ?? [navigator.language]);
}

/** The locale dates and times are written in for `lang`. */
export function dateLocale(lang = currentLanguage(), system: readonly string[] = systemTags()): string {
  const regional = system.find((tag) => tag.toLowerCase().split("-")[0] === lang && tag.includes("-"));
  return regional ?? USUAL[lang] ?? lang;
}

function valid(iso: string | Date): Date | null {
  const d = iso instanceof Date ? iso : new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** "14:05". */
export function formatTime(iso: string | Date, locale = dateLocale()): string {
  const d = valid(iso);
  return d ? d.toLocaleTimeString(locale, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }) : String(iso);
}

/** "Sat 5 Dec 2026" (the order the locale uses). */
export function formatDay(iso: string | Date, locale = dateLocale()): string {
  const d = valid(iso);
  return d ? d.toLocaleDateString(locale, { weekday: "short", day: "numeric", month: "short", year: "numeric" }) : String(iso);
}

/** "5 Dec 2026, 14:05". */
export function formatDateTime(iso: string | Date, locale = dateLocale()): string {
  const d = valid(iso);
  return d
    ? d.toLocaleString(locale, { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" })
    : String(iso);
}

/** Local "HH:MM" for a time input (24-hour whatever the locale). */
export function inputTime(iso: string): string {
  const d = valid(iso);
  const p = (n: number) => String(n).padStart(2, "0");
  return d ? `${p(d.getHours())}:${p(d.getMinutes())}` : "";
}

type Part = "day" | "month" | "year";

/** The order of day, month and year in the locale's numeric dates ("05/12/2026" in en-GB,
 * "12/5/2026" in en-US, "2026-12-05" in sv), and the separator between them. */
export function datePattern(locale = dateLocale()): { order: Part[]; sep: string } {
  const parts = new Intl.DateTimeFormat(locale, { day: "2-digit", month: "2-digit", year: "numeric" }).formatToParts(
    new Date(2026, 11, 5),
  );
  const order = parts.map((p) => p.type).filter((t): t is Part => t === "day" || t === "month" || t === "year");
  const sep = parts.find((p) => p.type === "literal")?.value ?? "/";
  return { order: order.length === 3 ? order : ["day", "month", "year"], sep };
}

/** `YYYY-MM-DD` as typed in the locale ("05/12/2026"); "" for anything else. */
export function formatInputDate(iso: string, locale = dateLocale()): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return "";
  const { order, sep } = datePattern(locale);
  const by: Record<Part, string> = { year: m[1], month: m[2], day: m[3] };
  return order.map((p) => by[p]).join(sep);
}

/** A typed date as `YYYY-MM-DD`: the locale's order with any of / . - as separator, or ISO;
 * `null` when it is not a real date (31/02, 13 as a month). */
export function parseInputDate(text: string, locale = dateLocale()): string | null {
  const t = text.trim();
  let y: number, mo: number, d: number;
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  if (iso) {
    [y, mo, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  } else {
    const nums = t.split(/[/.\-\s]+/).filter(Boolean);
    if (nums.length !== 3 || nums.some((n) => !/^\d+$/.test(n))) return null;
    const { order } = datePattern(locale);
    const by = Object.fromEntries(order.map((p, i) => [p, Number(nums[i])])) as Record<Part, number>;
    [y, mo, d] = [by.year < 100 ? 2000 + by.year : by.year, by.month, by.day];
  }
  const date = new Date(y, mo - 1, d);
  if (date.getFullYear() !== y || date.getMonth() !== mo - 1 || date.getDate() !== d) return null;
  const p = (n: number) => String(n).padStart(2, "0");
  return `${y}-${p(mo)}-${p(d)}`;
}
