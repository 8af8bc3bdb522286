import { describe, expect, it } from "vitest";
import type { CatalogueRules } from "../bindings/CatalogueRules";
import type { NeedPlanState } from "../bindings/NeedPlanState";
import { en } from "../i18n/en";
import { format } from "../i18n/index.svelte";
import { fuel, insulin, ITEMS, item, milk, need, nappies, oxygen, paracetamol, parcel, water15, water5, ice } from "./fixture";
import { conversionPreview, matchedInput, needItem, needToInput, planStateText, reasonText, REASONS, toMatchReason } from "./needs";
import { filterItems, flatten, groupItems, matches, moveActive, suggests } from "./picker";
import {
  categoryRule, cleanItemInput, defaultChoices, defaultOf, emptyItem, groupCandidates, groupProblems, isKit, itemToInput,
  kitOf, kitProblems, kitsPossible, move, removeAt,
} from "./rules";
import { contentsOf, fold, pickUnit, sameUnit, toItemUnits, unitChoices, unitKey } from "./units";

describe("units (as the core compares them)", () => {
  it("folds case, accents, spaces, plurals and spellings of litres and kilograms", () => {
    expect(["L", "l", "Litres", "liter", "LITERS", " ltr "].map(unitKey)).toEqual(Array(6).fill("l"));
    expect(["kg", "Kilo", "kilos", "kilograms"].map(unitKey)).toEqual(Array(4).fill("kg"));
    expect(unitKey("Bottles")).toBe("bottle");
    expect(unitKey("boxes")).toBe("box");
    expect(unitKey("glass")).toBe("glass");
    expect(unitKey("Pack  of   40")).toBe("pack of 40");
    expect(unitKey("Bouteilles")).toBe("bouteille");
    expect(fold("Paracétamol ÑANDÚ")).toBe("paracetamol nandu");
    expect(sameUnit("Litre", "L")).toBe(true);
    expect(sameUnit("can", "L")).toBe(false);
  });

  it("converts a quantity asked in the contents unit to item units, rounded up", () => {
    expect(toItemUnits(18, "L", water15)).toEqual({ units: 12, asked: 18 });
    expect(toItemUnits(19, "litres", water15)).toEqual({ units: 13, asked: 19 });
    expect(toItemUnits(0.3, "L", item("x", { unit: "cup", contents_amount: 0.1, contents_unit: "L" }))).toEqual({ units: 3, asked: 0.3 });
    expect(toItemUnits(1, "L", water5)).toEqual({ units: 1, asked: 1 });
    expect(toItemUnits(6, "bottles", water15)).toEqual({ units: 6, asked: null });
    expect(toItemUnits(18, "L", fuel)).toBeNull();
    // A description is not a measure: nothing converts through it.
    expect(toItemUnits(2, "family of 4, 3 days", parcel)).toBeNull();
    expect(contentsOf(parcel)).toBeNull();
    expect(contentsOf(water15)).toEqual({ amount: 1.5, unit: "L" });
  });

  it("offers the item's unit then its contents unit, keeping the one already asked", () => {
    expect(unitChoices(water15)).toEqual(["bottle", "L"]);
    expect(unitChoices(parcel)).toEqual(["parcel"]);
    expect(unitChoices(item("x", { unit: "L", contents_amount: 1, contents_unit: "litre" }))).toEqual(["L"]);
    expect(pickUnit(water15, "litres")).toBe("L");
    expect(pickUnit(water15, "kit")).toBe("bottle");
  });
});

describe("item picker", () => {
  it("matches every word of the query in the name, without case or accents", () => {
    expect(matches(paracetamol, "PARACETAMOL")).toBe(true);
    expect(matches(water15, "wat 1.5")).toBe(true);
    expect(matches(water15, "water 2")).toBe(false);
    expect(matches(water15, "  ")).toBe(true);
    expect(filterItems(ITEMS, "water").map((i) => i.id)).toEqual(["w15", "w5"]);
  });

  it("suggests items from the household's vulnerabilities", () => {
    expect(suggests(["cold_chain"], insulin)).toBe(true);
    expect(suggests(["cold_chain"], paracetamol)).toBe(true);
    expect(suggests(["cold_chain"], ice)).toBe(true);
    expect(suggests(["cold_chain"], water15)).toBe(false);
    expect(suggests(["oxygen"], oxygen)).toBe(true);
    expect(suggests(["dialysis"], insulin)).toBe(true);
    expect(suggests(["dialysis"], paracetamol)).toBe(false);
    expect(suggests(["infant"], milk)).toBe(true);
    expect(suggests(["pregnant"], nappies)).toBe(true);
    expect(suggests(["pets", "lives_alone"], milk)).toBe(false);
  });

  it("groups by category in the vocabulary's order, suggested first, each item once", () => {
    const groups = groupItems(ITEMS, "", { vulnerabilities: ["infant"] });
    expect(groups.map((g) => g.key)).toEqual(["suggested", "water", "food", "medicine", "fuel", "other"]);
    expect(groups[0].items.map((i) => i.id)).toEqual(["milk", "nap"]);
    expect(flatten(groups)).toHaveLength(ITEMS.length);
    // The need's category leads after the suggestions; names starting with the query first.
    const fuelFirst = groupItems(ITEMS, "", { first: "fuel" });
    expect(fuelFirst[0].key).toBe("fuel");
    const typed = groupItems([water5, water15, item("sw", { name: "Sparkling water", category: "water" })], "wat");
    expect(typed[0].items.map((i) => i.id)).toEqual(["w15", "w5", "sw"]);
    // Only what the caller allows (no medical items for substitutes).
    const noMedical = flatten(groupItems(ITEMS, "", { only: (i) => !i.medical }));
    expect(noMedical.some((i) => i.medical)).toBe(false);
    expect(groupItems(ITEMS, "zzz")).toEqual([]);
  });

  it("moves the highlight with wrapping", () => {
    expect(moveActive(-1, 1, 3)).toBe(0);
    expect(moveActive(-1, -1, 3)).toBe(2);
    expect(moveActive(2, 1, 3)).toBe(0);
    expect(moveActive(0, -1, 3)).toBe(2);
    expect(moveActive(0, 1, 0)).toBe(-1);
  });
});

const rules: CatalogueRules = {
  defaults: [["food", "fp"], ["water", "w15"]],
  groups: [{ id: "g1", name: "Water", basis: "contents", items: ["w15", "w5"] }],
  kits: [["kit", [{ item_id: "w15", quantity: 2 }, { item_id: "fp", quantity: 1 }]], ["empty", []]],
};

describe("catalogue rules", () => {
  it("tells what a category-only need is loaded as", () => {
    expect(defaultOf(rules, "food")).toBe("fp");
    expect(defaultOf(null, "food")).toBeNull();
    expect(categoryRule(rules, ITEMS, "food")).toEqual({ kind: "default", item: parcel });
    expect(categoryRule(rules, ITEMS, "fuel")).toEqual({ kind: "none" });
    expect(categoryRule(rules, ITEMS, "medicine")).toEqual({ kind: "named_only" });
    // A default whose item is gone is no default.
    expect(categoryRule(rules, [], "food")).toEqual({ kind: "none" });
    expect(defaultChoices(ITEMS, "medicine")).toEqual([]);
    expect(defaultChoices(ITEMS, "other").map((i) => i.id)).toEqual(["ice"]);
  });

  it("edits items as inputs", () => {
    expect(itemToInput(water15)).toEqual({ ...emptyItem("water"), name: "Water 1.5 L", unit: "bottle", weight_kg: 1, volume_l: 1, contents_amount: 1.5, contents_unit: "L" });
    const blank = { ...emptyItem(), weight_kg: null as unknown as number, low_threshold: NaN, contents_amount: NaN, contents_unit: " L " };
    expect(cleanItemInput(blank)).toMatchObject({ weight_kg: 0, low_threshold: null, contents_amount: null, contents_unit: "L" });
  });

  it("moves and removes list entries", () => {
    expect(move(["a", "b", "c"], 1, -1)).toEqual(["b", "a", "c"]);
    expect(move(["a", "b", "c"], 1, 1)).toEqual(["a", "c", "b"]);
    expect(move(["a", "b", "c"], 0, -1)).toEqual(["a", "b", "c"]);
    expect(move(["a", "b", "c"], 2, 1)).toEqual(["a", "b", "c"]);
    expect(removeAt(["a", "b", "c"], 1)).toEqual(["a", "c"]);
  });

  it("offers and checks substitution group members as the core does", () => {
    expect(groupCandidates(ITEMS, { basis: "unit", items: ["w15"] }).map((i) => i.id)).not.toContain("ins");
    expect(groupCandidates(ITEMS, { basis: "unit", items: ["w15"] }).map((i) => i.id)).not.toContain("w15");
    expect(groupCandidates(ITEMS, { basis: "contents", items: [] }).map((i) => i.id)).toEqual(["w15", "w5"]);
    expect(groupProblems({ id: "", name: " ", basis: "unit", items: ["w15"] }, ITEMS)).toEqual(["name", "too_few"]);
    expect(groupProblems({ id: "", name: "W", basis: "contents", items: ["w15", "fuel"] }, ITEMS)).toEqual(["no_contents"]);
    expect(groupProblems({ id: "", name: "M", basis: "unit", items: ["ins", "para", "para"] }, ITEMS)).toEqual(["duplicate", "medical"]);
    expect(groupProblems(rules.groups[0], ITEMS)).toEqual([]);
  });

  it("reads kits and how many the held components make", () => {
    expect(isKit(rules, "kit")).toBe(true);
    expect(isKit(rules, "empty")).toBe(false);
    expect(kitOf(rules, "nope")).toEqual([]);
    const held: Record<string, number> = { w15: 9, fp: 3 };
    expect(kitsPossible(kitOf(rules, "kit"), (id) => held[id] ?? 0)).toBe(3);
    held.fp = 10;
    expect(kitsPossible(kitOf(rules, "kit"), (id) => held[id] ?? 0)).toBe(4);
    expect(kitsPossible([], () => 5)).toBeNull();
    expect(kitProblems("kit", [{ item_id: "kit", quantity: 1 }, { item_id: "a", quantity: 0 }, { item_id: "", quantity: 1 }])).toEqual(["empty_item", "self", "quantity"]);
    expect(kitProblems("kit", kitOf(rules, "kit"))).toEqual([]);
  });
});

// A translator like t() in English, without the locale formatting of numbers.
const tr = (key: string, params?: Record<string, string | number>) => format((en as Record<string, string>)[key] ?? key, params);

describe("needs and their items", () => {
  it("tells what a need is loaded as", () => {
    expect(needItem(need())).toEqual({ kind: "item", units: 12, name: "Water 1.5 L", byDefault: false, asked: { quantity: 18, unit: "L" } });
    expect(needItem(need({ quantity: 6, unit: "bottles", item_quantity: 6 }))).toMatchObject({ kind: "item", asked: null });
    expect(needItem(need({ item_source: "default" }))).toMatchObject({ byDefault: true });
    expect(needItem(need({ item_id: "fuel", item_name: "Fuel can 10 L", item_quantity: null, item_unit: "can" }))).toEqual({
      kind: "no_convert", unit: "L", name: "Fuel can 10 L", byDefault: false,
    });
    expect(needItem(need({ item_id: null, item_name: null, item_source: "none", item_quantity: null, item_unit: null }))).toEqual({ kind: "waits" });
  });

  it("says why a need is to match", () => {
    expect(toMatchReason(need())).toBeNull();
    expect(toMatchReason(need({ item_id: null, item_source: "none" }))).toBe("no_item");
    expect(toMatchReason(need({ item_quantity: null }))).toBe("no_convert");
  });

  it("turns a need back into its input, naming only an item it named", () => {
    expect(needToInput(need())).toMatchObject({ item_id: "w15", quantity: 18, unit: "L", category: "water" });
    expect(needToInput(need({ item_source: "default" })).item_id).toBeNull();
    const matched = matchedInput(need({ category: "other", item_id: null, item_source: "none" }), water15, 12, "bottle");
    expect(matched).toMatchObject({ item_id: "w15", category: "water", quantity: 12, unit: "bottle", urgency: "high" });
    expect(Object.keys(matched).sort()).toEqual(
      ["category", "item_id", "notes", "notes_for_driver", "quantity", "requested_at", "unit", "urgency", "wanted_by"],
    );
  });

  it("previews the conversion as the core will store it", () => {
    expect(conversionPreview(18, "L", water15)).toEqual({ units: 12, name: "Water 1.5 L", asked: { quantity: 18, unit: "L" } });
    expect(conversionPreview(3, "bottle", water15)).toEqual({ units: 3, name: "Water 1.5 L", asked: null });
    expect(conversionPreview(18, "L", fuel)).toBeNull();
    expect(conversionPreview(0, "L", water15)).toBeNull();
    expect(tr("needs.preview_converted", { quantity: 18, unit: "L", units: 12, item: "Water 1.5 L" })).toBe("18 L → 12 × Water 1.5 L");
  });
});

describe("plan states in words", () => {
  const state = (extra: Partial<NeedPlanState>): NeedPlanState => ({
    need_id: "n1", plan_id: "p1", day: "2026-12-05", status: "draft", run: null, driver: null, reason: null,
    item_name: "Water 1.5 L", quantity: 12, unit: "bottle", site_name: null, missing: null, text: "", ...extra,
  });

  it("says which run carries the need", () => {
    expect(planStateText(state({ run: 3, driver: "Inès H." }), tr)).toBe("On run 3 (Inès H.) on 2026-12-05");
    expect(planStateText(state({ run: 1 }), tr)).toBe("On run 1 on 2026-12-05");
  });

  it("words every reason key", () => {
    for (const r of REASONS) {
      const text = reasonText(state({ reason: r }), tr);
      expect(text, r).not.toContain("need_reason");
      expect(text, r).not.toMatch(/\{\w+\}/);
    }
    expect(planStateText(state({ reason: "not_enough_stock", missing: 4 }), tr)).toBe("Not served on 2026-12-05: not enough Water 1.5 L: 8 of 12");
    expect(reasonText(state({ reason: "not_stocked" }), tr)).toBe("no Water 1.5 L at any chosen depot");
    expect(reasonText(state({ reason: "not_stocked", item_name: null }), tr)).toBe("no its item at any chosen depot");
    expect(reasonText(state({ reason: "no_cooler" }), tr)).toBe("no vehicle with a cooler on shift");
    // No reason stored: taken off by hand; an unknown key is shown as it is.
    expect(reasonText(state({ reason: null }), tr)).toBe("taken off the runs by hand");
    expect(reasonText(state({ reason: "new_reason" }), tr)).toBe("new_reason");
  });
});
