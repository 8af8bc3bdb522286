// Catalogue records for tests: a few items of the demo's kinds, and needs about them.
import type { Item } from "../bindings/Item";
import type { Need } from "../bindings/Need";

export function item(id: string, extra: Partial<Item> = {}): Item {
  return {
    id, name: id, category: "other", unit: "item", weight_kg: 1, volume_l: 1, cold_chain: false, low_threshold: null,
    contents_amount: null, contents_unit: "", medical: false, ...extra,
  };
}

export const water15 = item("w15", { name: "Water 1.5 L", category: "water", unit: "bottle", contents_amount: 1.5, contents_unit: "L" });
export const water5 = item("w5", { name: "Water 5 L", category: "water", unit: "jerrycan", contents_amount: 5, contents_unit: "litres" });
export const parcel = item("fp", { name: "Food parcel (family, 3 days)", category: "food", unit: "parcel", contents_unit: "family of 4, 3 days" });
export const insulin = item("ins", { name: "Insulin cooler pack", category: "medicine", unit: "pack", cold_chain: true, medical: true });
export const paracetamol = item("para", { name: "Paracétamol 500 mg", category: "medicine", unit: "box" });
export const oxygen = item("oxy", { name: "Oxygen cylinder", category: "other", unit: "cylinder", medical: true });
export const milk = item("milk", { name: "Infant formula", category: "baby_supplies", unit: "tin" });
export const nappies = item("nap", { name: "Nappies size 3", category: "baby_supplies", unit: "pack" });
export const fuel = item("fuel", { name: "Fuel can 10 L", category: "fuel", unit: "can" });
export const ice = item("ice", { name: "Ice packs", category: "other", unit: "bag", cold_chain: true });
export const ITEMS: Item[] = [water15, water5, parcel, insulin, paracetamol, oxygen, milk, nappies, fuel, ice];

export function need(extra: Partial<Need> = {}): Need {
  return {
    id: "n1", household_id: "h1", category: "water", quantity: 18, unit: "L", urgency: "high", requested_at: "2026-12-01T09:00:00.000Z",
    wanted_by: null, status: "open", notes: "", notes_for_driver: false, item_id: "w15", item_name: "Water 1.5 L",
    item_source: "named", item_quantity: 12, item_unit: "bottle", created_at: "", updated_at: "", updated_by: "", ...extra,
  };
}
