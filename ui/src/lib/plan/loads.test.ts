import { beforeAll, describe, expect, it } from "vitest";
import type { UnservedNeed } from "../bindings/UnservedNeed";
import { setLanguage, t, tk } from "../i18n/index.svelte";
import { load, need, run, stop, view } from "./fixture";
import {
  criticalUnserved, deliveredShort, handedValid, issueByDepot, needLoads, number, partlyDelivered, partlyLines, reasonDetail,
  substitutionCount, substitutions, waitingForItem,
} from "./loads";

beforeAll(() => setLanguage("en"));

const unserved = (id: string, extra: Partial<UnservedNeed> = {}): UnservedNeed => ({
  ...need(id), stop_id: null, lat: 0, lon: 0, label: `Home ${id}`, reason: "not_stocked", ...extra,
});
const words = { category: (c: string) => tk("category", c) };
const sentence = (u: UnservedNeed) => {
  const d = reasonDetail(u, words);
  return d ? t(d.key, d.params) : null;
};

/** Water 5 L asked as 18 L, loaded as a 10 L jerrycan twice (a catalogue substitution). */
const jerrycan = (needId: string, extra = {}) =>
  load(needId, {
    item_id: "i-can", item_name: "Water jerrycan 10 L", quantity: 2, unit: "jerrycan", substitute_for: "i-w5",
    substitute_for_name: "Water 5 L", asked: "18 L", ...extra,
  });

describe("numbers as the core writes them", () => {
  it("drops .0 and keeps at most three decimals", () => {
    expect(number(12)).toBe("12");
    expect(number(12.0)).toBe("12");
    expect(number(1.5)).toBe("1.5");
    expect(number(0.1 + 0.2)).toBe("0.3");
    expect(number(2 / 3)).toBe("0.667");
    expect(number(-0)).toBe("0");
  });
});

describe("a stop's loads", () => {
  it("pairs each need with its stored load, by need id", () => {
    const s = stop("a", 0, 0, {
      needs: [need("n1"), need("n2")],
      loads: [load("n2", { item_name: "Rice" }), load("n1", { item_name: "Water 1.5 L", quantity: 12, asked: "18 L" })],
    });
    expect(needLoads(s).map(({ need: n, load: l }) => [n.need_id, l?.item_name])).toEqual([["n1", "Water 1.5 L"], ["n2", "Rice"]]);
    // An old plan without loads: the need alone.
    expect(needLoads({ ...s, loads: [] }).map((x) => x.load)).toEqual([null, null]);
  });

  it("says what was handed over only after an outcome and where it differs", () => {
    const l = load("n1", { quantity: 12 });
    expect(deliveredShort(l, null)).toBeNull();
    expect(deliveredShort({ ...l, delivered: 12 }, "delivered")).toBeNull();
    expect(deliveredShort({ ...l, delivered: 8 }, "partly")).toEqual({ delivered: 8, loaded: 12 });
    expect(deliveredShort({ ...l, delivered: 0 }, "partly")).toEqual({ delivered: 0, loaded: 12 });
    // Nobody home: the outcome already says nothing was handed over.
    expect(deliveredShort({ ...l, delivered: 0 }, "nobody_home")).toBeNull();
    expect(deliveredShort({ ...l, delivered: null }, "partly")).toBeNull();
  });
});

describe("substitutions", () => {
  it("groups every substituted load of the plan by item and the item it stands in for", () => {
    const v = view();
    v.runs[0].stops[0].loads = [jerrycan("n-a")];
    v.runs[0].stops[1].loads = [jerrycan("n-b", { quantity: 1 })];
    v.runs[1].stops[0] = stop("c", 0, 0, {
      needs: [need("n-c1"), need("n-c2")],
      loads: [jerrycan("n-c1"), load("n-c2", { item_id: "i-rice", item_name: "Rice 1 kg", substitute_for: "i-pasta", substitute_for_name: "Pasta 500 g" })],
    });
    const list = substitutions(v);
    expect(list.map((s) => [s.item_name, s.for_name, s.count, s.quantity])).toEqual([
      ["Water jerrycan 10 L", "Water 5 L", 3, 5],
      ["Rice 1 kg", "Pasta 500 g", 1, 6],
    ]);
    expect(substitutionCount(list)).toBe(4);
    expect(t("plan.substitutions.title", { count: substitutionCount(list) })).toBe("4 substitutions:");
    expect(t("plan.substitutions.line", { item: list[0].item_name, own: list[0].for_name, count: list[0].count })).toBe(
      "Water jerrycan 10 L instead of Water 5 L ×3",
    );
    expect(substitutions(view())).toEqual([]);
  });

  it("adds up what each depot issues at dispatch from the stored loads", () => {
    const v = view();
    v.runs.push(run("r3", [stop("x", 0, 0, { loads: [jerrycan("n-x", { cold_chain: true })] })], { site_id: "depot-2", site_name: "Church" }));
    const depots = issueByDepot(v);
    expect(depots.map((d) => [d.site_name, d.runs])).toEqual([["Main depot", 2], ["Church", 1]]);
    expect(depots[0].lines).toEqual([{ item_id: "i-water", item_name: "Water", unit: "bottle", quantity: 18, cold_chain: false, substitutes: 0 }]);
    expect(depots[1].lines[0]).toMatchObject({ item_name: "Water jerrycan 10 L", quantity: 2, cold_chain: true, substitutes: 1 });
  });
});

describe("partly delivered", () => {
  const s = stop("a", 0, 0, {
    needs: [need("n1"), need("n2"), need("n3")],
    loads: [load("n1", { quantity: 12 }), load("n2", { quantity: 3 }), load("n3", { item_id: "i-rice", item_name: "Rice", unit: "bag", quantity: 2 })],
  });

  it("starts with everything loaded, per item", () => {
    expect(partlyLines(s)).toEqual([
      { item_id: "i-water", item_name: "Water", unit: "bottle", loaded: 15, handed: 15, cold_chain: false },
      { item_id: "i-rice", item_name: "Rice", unit: "bag", loaded: 2, handed: 2, cold_chain: false },
    ]);
  });

  it("starts from what was recorded when correcting a partly delivered stop", () => {
    const again = { ...s, outcome: "partly" as const, loads: s.loads.map((l) => ({ ...l, delivered: l.item_id === "i-rice" ? 0 : l.quantity - 1 })) };
    expect(partlyLines(again).map((l) => [l.item_id, l.loaded, l.handed])).toEqual([["i-water", 15, 13], ["i-rice", 2, 0]]);
  });

  it("sends [item, handed over] pairs only when every amount is from 0 to what was loaded", () => {
    const lines = partlyLines(s);
    expect(partlyDelivered(lines, [8, 0])).toEqual([["i-water", 8], ["i-rice", 0]]);
    expect(partlyDelivered(lines, [15, 2])).toEqual([["i-water", 15], ["i-rice", 2]]);
    expect(partlyDelivered(lines, [16, 0])).toBeNull();
    expect(partlyDelivered(lines, [-1, 0])).toBeNull();
    expect(partlyDelivered(lines, [null, 0])).toBeNull();
    expect(partlyDelivered(lines, [Number.NaN, 0])).toBeNull();
    expect(partlyDelivered(lines, [1])).toBeNull();
    expect(handedValid(2.5, 2.5)).toBe(true);
    expect(handedValid(undefined, 2)).toBe(false);
  });
});

describe("why a need is not on a run", () => {
  it("words each reason with its specifics", () => {
    expect(sentence(unserved("a", { reason: "not_stocked", item_name: "Water 1.5 L" }))).toBe("No Water 1.5 L (nor an allowed substitute) at any chosen depot");
    expect(sentence(unserved("b", { reason: "not_enough_stock", item_name: "Water 1.5 L", quantity: 18, unit: "L", missing: 4 }))).toBe(
      "Not enough Water 1.5 L: 4 missing",
    );
    expect(sentence(unserved("c", { reason: "not_enough_stock", item_name: "Rice", missing: null }))).toBe("Not enough Rice at the chosen depots");
    expect(sentence(unserved("d", { reason: "item_not_chosen", item_id: null, item_name: null, category: "food" }))).toBe("No item chosen");
    expect(sentence(unserved("e", { reason: "item_not_chosen", item_id: null, item_name: null, category: "medicine" }))).toBe(
      "No item named (medicine needs name their item)",
    );
    expect(sentence(unserved("f", { reason: "unit_not_convertible", unit: "sack", item_name: "Rice 1 kg" }))).toBe("sack does not convert to Rice 1 kg");
    // Without an item, its category.
    expect(sentence(unserved("g", { reason: "not_stocked", item_id: null, item_name: null, category: "hygiene" }))).toBe(
      "No Hygiene (nor an allowed substitute) at any chosen depot",
    );
    // Numbers in the user's format when asked.
    const fr = reasonDetail(unserved("i", { reason: "not_enough_stock", missing: 1.5 }), { ...words, amount: (n) => n.toLocaleString("fr") });
    expect(fr?.params.missing).toBe("1,5");
    // The rest say it with the group's heading.
    expect(sentence(unserved("h", { reason: "no_capacity" }))).toBeNull();
  });

  it("counts needs waiting for an item per category, most first; medicine must name its item", () => {
    const list = [
      ...Array.from({ length: 3 }, (_, i) => unserved(`f${i}`, { reason: "item_not_chosen", category: "food" })),
      unserved("m", { reason: "item_not_chosen", category: "medicine" }),
      unserved("w", { reason: "not_stocked", category: "water" }),
    ];
    const waiting = waitingForItem(list);
    expect(waiting).toEqual([{ category: "food", count: 3, named: false }, { category: "medicine", count: 1, named: true }]);
    expect(t("plan.waiting.default", { count: 23, category: tk("category", "food") })).toBe("23 needs wait for an item: set a default for Food");
    expect(t("plan.waiting.named", { count: 1, category: tk("category", "medicine") })).toBe("1 need for Medicine waits for an item: name its item");
  });

  it("lists critical needs not on a run in the order they came", () => {
    const list = [unserved("a", { urgency: "critical" }), unserved("b", { urgency: "high" }), unserved("c", { urgency: "critical", reason: "removed" })];
    expect(criticalUnserved(list).map((u) => u.need_id)).toEqual(["a", "c"]);
  });
});
