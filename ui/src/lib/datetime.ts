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
