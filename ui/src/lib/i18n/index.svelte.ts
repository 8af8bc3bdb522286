// The one i18n layer: every string the user sees comes from `t()`. The language follows the
// system locale unless chosen in Settings (kept in localStorage); the document direction
// follows the language so right-to-left locales lay out mirrored (the CSS uses logical properties).
import { en as coreEn, type MessageKey as CoreKey } from "./en";
import { es } from "./es";
import { fr } from "./fr";
import { dashboardEn } from "./dashboard.en";
import { dashboardEs } from "./dashboard.es";
import { dashboardFr } from "./dashboard.fr";
import { selectionEn } from "./selection.en";
import { selectionEs } from "./selection.es";
import { selectionFr } from "./selection.fr";

/** English with the domain catalogues kept beside en.ts (the dashboard's): the reference. */
export const en = { ...coreEn, ...dashboardEn, ...selectionEn } as const;
export type MessageKey = CoreKey | keyof typeof dashboardEn | keyof typeof selectionEn;
export type Messages = Record<MessageKey, string>;

export const catalogues: Record<string, Messages> = {
  en,
  es: { ...es, ...dashboardEs, ...selectionEs },
  fr: { ...fr, ...dashboardFr, ...selectionFr },
};
export const languages = Object.keys(catalogues);
export const languageNames: Record<string, string> = { en: "English", es: "Español", fr: "Français" };
const RTL = new Set(["ar", "he", "fa", "ur"]);
const STORAGE_KEY = "aidmap.language";

/** The best supported language for a list of BCP 47 tags (e.g. navigator.languages). */
export function pickLanguage(tags: readonly string[]): string {
  for (const tag of tags) {
    const base = tag.toLowerCase().split("-")[0];
    if (base in catalogues) return base;
  }
  return "en";
}

export function systemLanguage(): string {
  return pickLanguage(typeof navigator === "undefined" ? [] : navigator.languages ?? [navigator.language]);
}

function storedChoice(): string | null {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    return v && v in catalogues ? v : null;
  } catch {
    return null;
  }
}

export const i18n = $state({ choice: storedChoice() as string | null, system: systemLanguage() });

export function currentLanguage(): string {
  return i18n.choice ?? i18n.system;
}

/** Chooses a language (`null` = follow the system) and remembers it. */
export function setLanguage(choice: string | null) {
  i18n.choice = choice && choice in catalogues ? choice : null;
  try {
    if (i18n.choice) localStorage.setItem(STORAGE_KEY, i18n.choice);
    else localStorage.removeItem(STORAGE_KEY);
  } catch {
    /* storage unavailable: the choice lasts for this session */
  }
  applyDocumentLanguage();
}

export function direction(lang: string): "rtl" | "ltr" {
  return RTL.has(lang.split("-")[0]) ? "rtl" : "ltr";
}

export function applyDocumentLanguage() {
  if (typeof document === "undefined") return;
  const lang = currentLanguage();
  document.documentElement.lang = lang;
  document.documentElement.dir = direction(lang);
}

export function format(template: string, params?: Record<string, string | number>): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (m, k) => (k in params ? String(params[k]) : m));
}

/** Translates a key; unknown keys fall back to English, then to the key itself. */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
  const lang = currentLanguage();
  const cat = catalogues[lang] ?? en;
  const localised = params && Object.fromEntries(
    Object.entries(params).map(([k, v]) => [k, typeof v === "number" ? v.toLocaleString(lang) : v]),
  );
  // Singular where a catalogue has a `_one` form and the count is 1 ("1 household").
  const one = params?.count === 1 ? (`${key}_one` as MessageKey) : null;
  const template = (one && (cat[one] ?? en[one])) || cat[key] || en[key] || key;
  return format(template, localised);
}

/** Whether `key` is a message (a key built at run time, e.g. from a backend's reason code). */
export function hasMessage(key: string): key is MessageKey {
  return key in en;
}

/** Translates a key built at run time (vocabulary values: `category.water`, …). */
export function tk(prefix: string, value: string, params?: Record<string, string | number>): string {
  const key = `${prefix}.${value}` as MessageKey;
  return key in en ? t(key, params) : value;
}
