// The catalogue's rules as the screens use them: which item a category-only need is loaded as,
// the editable forms of items, substitution groups and kits, and small list edits.
import type { CatalogueRules } from "../bindings/CatalogueRules";
import type { Category } from "../bindings/Category";
import type { Item } from "../bindings/Item";
import type { ItemInput } from "../bindings/ItemInput";
import type { KitComponent } from "../bindings/KitComponent";
import type { SubstitutionGroup } from "../bindings/SubstitutionGroup";
import { contentsOf } from "./units";

/** Categories whose needs must name their item: no default may be set (the core's
 * `needs_named_item`). */
export function needsNamedItem(category: Category): boolean {
  return category === "medicine";
}

/** The category's default item id, if one is set. */
export function defaultOf(rules: CatalogueRules | null, category: Category): string | null {
  return rules?.defaults.find(([c]) => c === category)?.[1] ?? null;
}

/** What a need naming only its category is loaded as. */
export type CategoryRule =
  | { kind: "named_only" }
  | { kind: "default"; item: Item }
  | { kind: "none" };

export function categoryRule(rules: CatalogueRules | null, items: Item[], category: Category): CategoryRule {
  if (needsNamedItem(category)) return { kind: "named_only" };
  const id = defaultOf(rules, category);
  const item = id ? items.find((i) => i.id === id) : undefined;
  return item ? { kind: "default", item } : { kind: "none" };
}

/** Items that may be a category's default: of that category and not medical. */
export function defaultChoices(items: Item[], category: Category): Item[] {
  if (needsNamedItem(category)) return [];
  return items.filter((i) => i.category === category && !i.medical);
}

export function emptyItem(category: Category = "water"): ItemInput {
  return {
    name: "", category, unit: "", weight_kg: 0, volume_l: 0, cold_chain: false, low_threshold: null,
    contents_amount: null, contents_unit: "", medical: false,
  };
}

export function itemToInput(i: Item): ItemInput {
  return {
    name: i.name, category: i.category, unit: i.unit, weight_kg: i.weight_kg, volume_l: i.volume_l,
    cold_chain: i.cold_chain, low_threshold: i.low_threshold, contents_amount: i.contents_amount,
    contents_unit: i.contents_unit, medical: i.medical,
  };
}

/** An item input as sent: blank number fields become null, contents without an amount keep
 * only their description. */
export function cleanItemInput(input: ItemInput): ItemInput {
  const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
  return {
    ...input,
    weight_kg: num(input.weight_kg) ?? 0,
    volume_l: num(input.volume_l) ?? 0,
    low_threshold: num(input.low_threshold),
    contents_amount: num(input.contents_amount),
    contents_unit: input.contents_unit.trim(),
  };
}

/** Moves the element at `index` by `delta` places (up: -1, down: +1); unchanged at an end. */
export function move<T>(list: readonly T[], index: number, delta: -1 | 1): T[] {
  const to = index + delta;
  if (index < 0 || index >= list.length || to < 0 || to >= list.length) return [...list];
  const out = [...list];
  [out[index], out[to]] = [out[to], out[index]];
  return out;
}

export function removeAt<T>(list: readonly T[], index: number): T[] {
  return list.filter((_, i) => i !== index);
}

export function emptyGroup(): SubstitutionGroup {
  return { id: "", name: "", basis: "unit", items: [] };
}

/** Items that may join a group: not medical, not already in it, and with a measured contents
 * when the group counts by contents. */
export function groupCandidates(items: Item[], group: Pick<SubstitutionGroup, "basis" | "items">): Item[] {
  return items.filter(
    (i) => !i.medical && !group.items.includes(i.id) && (group.basis === "unit" || contentsOf(i) !== null),
  );
}

export type GroupProblem = "name" | "too_few" | "medical" | "no_contents" | "duplicate";

/** What the core would refuse in a group, checked before sending it. */
export function groupProblems(group: SubstitutionGroup, items: Item[]): GroupProblem[] {
  const out: GroupProblem[] = [];
  const byId = new Map(items.map((i) => [i.id, i]));
  if (!group.name.trim()) out.push("name");
  if (group.items.length < 2) out.push("too_few");
  if (new Set(group.items).size !== group.items.length) out.push("duplicate");
  const members = group.items.map((id) => byId.get(id)).filter((i): i is Item => !!i);
  if (members.some((i) => i.medical)) out.push("medical");
  if (group.basis === "contents" && members.some((i) => contentsOf(i) === null)) out.push("no_contents");
  return out;
}

/** The components of a kit item, or [] when it is not a kit. */
export function kitOf(rules: CatalogueRules | null, kitId: string): KitComponent[] {
  return rules?.kits.find(([k]) => k === kitId)?.[1] ?? [];
}

export function isKit(rules: CatalogueRules | null, itemId: string): boolean {
  return kitOf(rules, itemId).length > 0;
}

export type KitProblem = "self" | "quantity" | "empty_item";

/** What the core would refuse in a kit's components. */
export function kitProblems(kitId: string, components: KitComponent[]): KitProblem[] {
  const out: KitProblem[] = [];
  if (components.some((c) => !c.item_id)) out.push("empty_item");
  if (components.some((c) => c.item_id === kitId)) out.push("self");
  if (components.some((c) => !(Number.isFinite(c.quantity) && c.quantity > 0))) out.push("quantity");
  return out;
}

/** How many whole kits the held components make (null: not a kit). */
export function kitsPossible(components: KitComponent[], held: (itemId: string) => number): number | null {
  if (components.length === 0) return null;
  return Math.max(0, Math.min(...components.map((c) => Math.floor(held(c.item_id) / c.quantity + 1e-9))));
}
