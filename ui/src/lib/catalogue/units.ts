// Units as the core compares them, and the conversion of a quantity asked in an item's contents
// unit into item units ("18 L" of 1.5 L bottles = 12). Mirrors `catalogue::unit_key` and
// `catalogue::to_units` in the Rust core so the form shows what the core will store.
import type { Item } from "../bindings/Item";

/** Lower case without accents: "Chloé" → "chloe" (the core's `text::fold`). */
export function fold(s: string): string {
  return s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
}

const LITRES = new Set(["l", "lt", "ltr", "litre", "litres", "liter", "liters"]);
const KILOS = new Set(["kg", "kgs", "kilo", "kilos", "kilogram", "kilograms", "kilogramme", "kilogrammes"]);
const GRAMS = new Set(["g", "gram", "grams", "gramme", "grammes"]);
const MILLILITRES = new Set(["ml", "millilitre", "millilitres", "milliliter", "milliliters"]);

/** A unit as compared: case, accents, spaces, plural "s" and spellings of litres and
 * kilograms folded ("Litres" = "l", "Bottles" = "bottle", "boxes" = "box"). */
export function unitKey(unit: string): string {
  const u = fold(unit.trim()).split(/\s+/).filter(Boolean).join(" ");
  if (LITRES.has(u)) return "l";
  if (KILOS.has(u)) return "kg";
  if (GRAMS.has(u)) return "g";
  if (MILLILITRES.has(u)) return "ml";
  if (u.length > 3 && (u.endsWith("ches") || u.endsWith("shes") || u.endsWith("xes"))) return u.slice(0, -2);
  if (u.length > 2 && u.endsWith("s") && !u.endsWith("ss")) return u.slice(0, -1);
  return u;
}

/** What one unit of the item holds as a measure (1.5, "L"), or null (none, or a description). */
export function contentsOf(item: Pick<Item, "contents_amount" | "contents_unit">): { amount: number; unit: string } | null {
  const amount = item.contents_amount;
  const unit = item.contents_unit.trim();
  return amount !== null && amount > 0 && unit ? { amount, unit } : null;
}

export type Conversion = {
  /** The quantity in item units (rounded up from contents). */
  units: number;
  /** The quantity asked, when it was in the contents unit (converted); null when one for one. */
  asked: number | null;
};

/** A quantity asked in `unit` as units of `item`, or null when the unit is neither the item's
 * unit nor its contents unit (the need then waits: nothing is guessed). */
export function toItemUnits(quantity: number, unit: string, item: Pick<Item, "unit" | "contents_amount" | "contents_unit">): Conversion | null {
  const key = unitKey(unit);
  if (key === "" || key === unitKey(item.unit)) return { units: quantity, asked: null };
  const contents = contentsOf(item);
  if (contents && key === unitKey(contents.unit)) {
    // Rounded up: 18 L of 1.5 L bottles is 12, 19 L is 13 (the epsilon keeps 0.3 / 0.1 at 3).
    const units = Math.max(1, Math.ceil(quantity / contents.amount - 1e-9));
    return { units, asked: quantity };
  }
  return null;
}

/** The units a need for the item may be asked in: its unit, then its contents unit. */
export function unitChoices(item: Pick<Item, "unit" | "contents_amount" | "contents_unit">): string[] {
  const out = [item.unit.trim()];
  const contents = contentsOf(item);
  if (contents && unitKey(contents.unit) !== unitKey(item.unit)) out.push(contents.unit);
  return out;
}

/** The unit choice matching `unit` (same key), else the item's own unit. */
export function pickUnit(item: Pick<Item, "unit" | "contents_amount" | "contents_unit">, unit: string): string {
  const key = unitKey(unit);
  return unitChoices(item).find((u) => unitKey(u) === key) ?? item.unit.trim();
}

/** Same unit, as the core compares them. */
export function sameUnit(a: string, b: string): boolean {
  return unitKey(a) === unitKey(b);
}
