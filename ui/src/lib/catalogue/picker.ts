// The item picker's list: items matching what was typed (case- and accent-insensitive, every
// word a substring of the name), grouped under their categories, with the items the
// household's vulnerabilities suggest first.
import type { Category } from "../bindings/Category";
import type { Item } from "../bindings/Item";
import type { Vulnerability } from "../bindings/Vulnerability";
import { fold } from "./units";

/** The vocabulary's order (the core's `Category`). */
export const CATEGORY_ORDER: Category[] = [
  "water", "food", "baby_supplies", "medicine", "hygiene", "cleaning", "fuel", "shelter", "other",
];

export type PickerGroup = { key: "suggested" | Category; items: Item[] };

/** True when the item's name holds every word of the query ("wat 1.5" finds "Water 1.5 L"). */
export function matches(item: Pick<Item, "name">, query: string): boolean {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const name = fold(item.name);
  return words.every((w) => name.includes(w));
}

export function filterItems(items: Item[], query: string): Item[] {
  return items.filter((i) => matches(i, query));
}

/** Whether a household with these vulnerabilities is likely to need the item: cold chain →
 * cold-chain and medicine items; oxygen or dialysis → medical items; an infant or a pregnancy
 * → baby supplies. */
export function suggests(vulnerabilities: readonly Vulnerability[], item: Item): boolean {
  const has = (v: Vulnerability) => vulnerabilities.includes(v);
  if (has("cold_chain") && (item.cold_chain || item.category === "medicine")) return true;
  if ((has("oxygen") || has("dialysis")) && item.medical) return true;
  if ((has("infant") || has("pregnant")) && item.category === "baby_supplies") return true;
  return false;
}

/** Where a name starts with the query it comes first, then by name. */
function byRelevance(query: string) {
  const q = fold(query.trim());
  return (a: Item, b: Item) => {
    if (q) {
      const sa = fold(a.name).startsWith(q) ? 0 : 1;
      const sb = fold(b.name).startsWith(q) ? 0 : 1;
      if (sa !== sb) return sa - sb;
    }
    return a.name.localeCompare(b.name, undefined, { sensitivity: "base", numeric: true });
  };
}

export type GroupOptions = {
  vulnerabilities?: readonly Vulnerability[];
  /** A category whose items come right after the suggested ones (the need's category). */
  first?: Category | null;
  /** Only items for which this holds (e.g. not medical). */
  only?: (item: Item) => boolean;
};

/** The groups to show, in order: "suggested", then the categories (`first` leading); an item
 * is shown once, in the first group it belongs to. Empty groups are left out. */
export function groupItems(items: Item[], query: string, options: GroupOptions = {}): PickerGroup[] {
  const vulnerabilities = options.vulnerabilities ?? [];
  const found = filterItems(items, query).filter((i) => !options.only || options.only(i)).sort(byRelevance(query));
  const suggested = found.filter((i) => suggests(vulnerabilities, i));
  const rest = found.filter((i) => !suggested.includes(i));
  const order = options.first ? [options.first, ...CATEGORY_ORDER.filter((c) => c !== options.first)] : CATEGORY_ORDER;
  const groups: PickerGroup[] = [];
  if (suggested.length) groups.push({ key: "suggested", items: suggested });
  for (const c of order) {
    const of = rest.filter((i) => i.category === c);
    if (of.length) groups.push({ key: c, items: of });
  }
  return groups;
}

/** The groups' items in the order the arrow keys move through them. */
export function flatten(groups: PickerGroup[]): Item[] {
  return groups.flatMap((g) => g.items);
}

/** The next active index for ArrowDown (+1) / ArrowUp (-1), wrapping; -1 when the list is
 * empty. From "none" (-1), down goes to the first and up to the last. */
export function moveActive(active: number, delta: 1 | -1, count: number): number {
  if (count === 0) return -1;
  if (active < 0) return delta > 0 ? 0 : count - 1;
  return (active + delta + count) % count;
}
