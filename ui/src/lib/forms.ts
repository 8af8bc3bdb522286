// Form state helpers shared by the household and need forms: defaults, conversions between the
// stored records and the editable inputs, and error messages in the user's language.
import type { Category } from "./bindings/Category";
import { dateLocale } from "./datetime";
import type { FieldError } from "./bindings/FieldError";
import type { Household } from "./bindings/Household";
import type { HouseholdInput } from "./bindings/HouseholdInput";
import type { NeedInput } from "./bindings/NeedInput";
import type { NeedStatus } from "./bindings/NeedStatus";
import type { Vulnerability } from "./bindings/Vulnerability";
import { ApiError } from "./api";
import { t, tk } from "./i18n/index.svelte";
import type { MessageKey } from "./i18n/en";

export const CATEGORIES: Category[] = [
  "water", "food", "baby_supplies", "medicine", "hygiene", "cleaning", "fuel", "shelter", "other",
];
export const VULNERABILITIES: Vulnerability[] = [
  "oxygen", "cold_chain", "dialysis", "mobility_limited", "infant", "pregnant", "pets", "no_vehicle",
  "hearing_impaired", "vision_impaired", "lives_alone",
];
export const DEFAULT_UNITS: Record<Category, string> = {
  water: "L", food: "parcel", baby_supplies: "pack", medicine: "box", hygiene: "kit",
  cleaning: "kit", fuel: "L", shelter: "tarp", other: "item",
};

export function emptyHousehold(lat: number, lon: number, source: HouseholdInput["location_source"] = "pin"): HouseholdInput {
  return {
    name: "", phones: [], address: "", lat, lon, location_source: source,
    adults: 1, children: 0, seniors: 0, vulnerabilities: [], languages: [], access_notes: "",
    consent: { status: "unknown", date: null, scope: "", basis: null }, status: "active", notes: "",
    notes_for_driver: false, landmark: "",
  };
}

export function toInput(h: Household): HouseholdInput {
  return {
    name: h.name, phones: h.phones.map((p) => p.original), address: h.address, lat: h.lat, lon: h.lon,
    location_source: h.location_source, adults: h.adults, children: h.children, seniors: h.seniors,
    vulnerabilities: [...h.vulnerabilities], languages: [...h.languages], access_notes: h.access_notes,
    consent: { ...h.consent }, status: h.status, notes: h.notes,
    notes_for_driver: h.notes_for_driver, landmark: h.landmark,
  };
}

export function emptyNeed(category: Category = "water"): NeedInput {
  return {
    category, item_id: null, quantity: 1, unit: DEFAULT_UNITS[category], urgency: "normal", requested_at: null,
    wanted_by: null, notes: "", notes_for_driver: false,
  };
}

/** A stored need as its input again (it keeps naming its item only when it named one). */
export { needToInput } from "./catalogue/needs";

/** "a; b , c" → ["a", "b", "c"] */
export function splitList(text: string, separators = /[;,]/): string[] {
  return text.split(separators).map((s) => s.trim()).filter((s) => s.length > 0);
}

/** Status changes offered for a need in a given status (mirrors the core's transitions). */
export function nextStatuses(status: NeedStatus): { status: NeedStatus; label: MessageKey }[] {
  switch (status) {
    case "open":
      return [
        { status: "assigned", label: "needs.action.assign" },
        { status: "delivered", label: "needs.action.deliver" },
        { status: "cancelled", label: "needs.action.cancel" },
      ];
    case "assigned":
      return [
        { status: "delivered", label: "needs.action.deliver" },
        { status: "failed", label: "needs.action.fail" },
        { status: "open", label: "needs.action.reopen" },
      ];
    default:
      return [{ status: "open", label: "needs.action.reopen" }];
  }
}

export function fieldLabel(field: string): string {
  return tk("field", field);
}

export function fieldErrorText(e: FieldError): string {
  return tk("rule", e.rule, { field: fieldLabel(e.field) });
}

/** Field → message, for showing validation errors beside their inputs. */
export function fieldErrors(e: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (e instanceof ApiError) for (const f of e.fields) out[f.field] ??= fieldErrorText(f);
  return out;
}

/** A sentence for any failed command, in the user's language. */
export function errorText(e: unknown): string {
  const err = e instanceof ApiError ? e : new ApiError({ code: "internal", message: String(e), fields: [] });
  return tk("error", err.code, { message: err.message });
}

export function formatWhen(iso: string, lang: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(dateLocale(lang), { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
}

export { t };
