// One import problem as the user reads it: the rule in their language, with the distance or
// the number it is about ("coordinates 1.2 km from the address", "−4 is below zero").
import type { RowProblem } from "../../lib/bindings/RowProblem";
import { currentLanguage, tk } from "../../lib/i18n/index.svelte";

/** "435 m", "1.2 km" in the UI language's number format. */
export function distanceText(metres: number, lang = currentLanguage()): string {
  if (metres < 1000) return `${new Intl.NumberFormat(lang, { maximumFractionDigits: 0 }).format(metres)} m`;
  return `${new Intl.NumberFormat(lang, { maximumFractionDigits: 1 }).format(metres / 1000)} km`;
}

export function problemText(p: RowProblem): string {
  const params: Record<string, string | number> = {};
  if (p.distance_m !== null) params.distance = distanceText(p.distance_m);
  if (p.value !== null) params.value = new Intl.NumberFormat(currentLanguage()).format(p.value);
  return tk("import.problem", p.code, params);
}
