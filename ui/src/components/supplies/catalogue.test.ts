// The catalogue dialog and packing kits against a mocked backend: the count on the button,
// item edits, category defaults (medicine disabled), a substitution group built with the
// keyboard-first picker, kits, matching a waiting need, and "Pack kits…" at a site.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { polyfillDom } from "../../test/dom";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type { CatalogueRules } from "../../lib/bindings/CatalogueRules";
import type { StockRow } from "../../lib/bindings/StockRow";
import { ITEMS, need, parcel, water15 } from "../../lib/catalogue/fixture";
import { setLanguage } from "../../lib/i18n/index.svelte";
import SitePanel from "./SitePanel.svelte";
import SitesList from "./SitesList.svelte";

beforeAll(() => {
  setLanguage("en");
  polyfillDom();
});

afterEach(() => {
  cleanup();
  clearMocks();
});

function backend(start: Partial<CatalogueRules> = {}, stock: StockRow[] = []) {
  let rules: CatalogueRules = { defaults: [], groups: [], kits: [], ...start };
  let waiting = [
    need({ id: "n1", household_id: "h1", category: "water", item_id: null, item_name: null, item_source: "none", item_quantity: null, item_unit: null }),
    need({ id: "n2", household_id: "h2", category: "fuel", item_id: "fuel", item_name: "Fuel can 10 L", item_quantity: null, item_unit: "can" }),
  ];
  const calls: { cmd: string; args: Record<string, unknown> }[] = [];
  mockIPC((cmd, raw) => {
    const args = (raw ?? {}) as Record<string, unknown>;
    calls.push({ cmd, args });
    switch (cmd) {
      case "items": return ITEMS;
      case "catalogue_rules": return rules;
      case "needs_to_match": return waiting;
      case "site_pins": return [];
      case "shortages": return [];
      case "get_household": return { household: { id: args.id, name: args.id === "h1" ? "Famille Rossi" : "Casa Pérez" }, needs: [] };
      case "set_category_default": {
        const others = rules.defaults.filter(([c]) => c !== args.category);
        rules = { ...rules, defaults: args.itemId ? [...others, [args.category as never, args.itemId as string]] : others };
        return rules;
      }
      case "save_substitution_group": {
        const g = args.group as CatalogueRules["groups"][number];
        rules = { ...rules, groups: [...rules.groups, { ...g, id: "g-new" }] };
        return rules;
      }
      case "delete_substitution_group":
        rules = { ...rules, groups: rules.groups.filter((g) => g.id !== args.id) };
        return rules;
      case "set_kit":
        rules = { ...rules, kits: [...rules.kits.filter(([k]) => k !== args.kitId), [args.kitId as string, args.components as never]] };
        return rules;
      case "update_need":
        waiting = waiting.filter((n) => n.id !== args.id);
        return need();
      case "update_item": case "create_item": return { ...water15, ...(args.input as object) };
      case "get_site": return { id: "s1", name: "Depot", kind: "warehouse", lat: 0, lon: 0, address: "", contact: "", notes: "", hours: Array(7).fill(null), active: true };
      case "site_stock": return stock;
      case "stock_history": return [];
      case "change_stock": return [];
      default: return null;
    }
  });
  return calls;
}

async function openDialog() {
  render(SitesList, { version: 0, readOnly: false, selectedId: null, onselect: () => {}, onnew: () => {} });
  const button = screen.getByTestId("catalogue-button");
  await waitFor(() => expect(button.textContent?.trim()).toBe("Catalogue… (2 to match)"));
  await fireEvent.click(button);
  await waitFor(() => expect(screen.getByTestId("catalogue-items")).toBeTruthy());
}

describe("catalogue dialog", () => {
  it("lists items by category and saves an edit", async () => {
    const calls = backend({ defaults: [["food", "fp"]] });
    await openDialog();
    const table = screen.getByTestId("catalogue-items");
    expect([...table.querySelectorAll("tr.category")].map((r) => r.textContent)).toEqual(["Water", "Food", "Baby supplies", "Medicine", "Fuel", "Other"]);
    const insulin = table.querySelector("[data-id=ins]")!;
    expect(insulin.textContent).toContain("❄");
    expect(insulin.textContent).toContain("medical");
    expect(table.querySelector("[data-id=fp]")!.textContent).toContain("default");
    await fireEvent.click(table.querySelector("[data-id=w15] [data-testid=catalogue-edit-item]")!);
    const form = screen.getByTestId("catalogue-item-form");
    await fireEvent.input(form.querySelector("input[name=item-low]")!, { target: { value: "20" } });
    await fireEvent.submit(form);
    await waitFor(() => expect(calls.some((c) => c.cmd === "update_item")).toBe(true));
    expect(calls.find((c) => c.cmd === "update_item")!.args).toEqual({
      id: "w15",
      input: { name: "Water 1.5 L", category: "water", unit: "bottle", weight_kg: 1, volume_l: 1, cold_chain: false, low_threshold: 20, contents_amount: 1.5, contents_unit: "L", medical: false },
    });
  });

  it("sets category defaults; medicine has none", async () => {
    const calls = backend();
    await openDialog();
    await fireEvent.click(screen.getByTestId("catalogue-tab-defaults"));
    const medicine = screen.getByTestId("default-medicine") as HTMLSelectElement;
    expect(medicine.disabled).toBe(true);
    expect(document.getElementById(medicine.getAttribute("aria-describedby")!)?.textContent?.trim()).toBe("Medicine needs must name their item.");
    const food = screen.getByTestId("default-food") as HTMLSelectElement;
    await fireEvent.change(food, { target: { value: parcel.id } });
    await waitFor(() => expect(calls.some((c) => c.cmd === "set_category_default")).toBe(true));
    expect(calls.find((c) => c.cmd === "set_category_default")!.args).toEqual({ category: "food", itemId: "fp" });
    // Medical items are never offered as defaults.
    const other = screen.getByTestId("default-other") as HTMLSelectElement;
    expect([...other.options].map((o) => o.value)).toEqual(["", "ice"]);
  });

  it("builds a substitution group in order, without medical items, and deletes one after asking", async () => {
    const calls = backend({ groups: [{ id: "g1", name: "Old", basis: "unit", items: ["w15", "w5"] }] });
    await openDialog();
    await fireEvent.click(screen.getByTestId("catalogue-tab-groups"));
    await fireEvent.click(screen.getByTestId("catalogue-add-group"));
    await fireEvent.input(screen.getByTestId("group-name"), { target: { value: "Drinking water" } });
    const add = screen.getByTestId("group-add-input");
    await fireEvent.keyDown(add, { key: "ArrowDown" });
    const offered = screen.getAllByTestId("group-add-option").map((o) => o.dataset.id);
    expect(offered).not.toContain("ins");
    expect(offered).not.toContain("oxy");
    await fireEvent.input(add, { target: { value: "water" } });
    await fireEvent.keyDown(add, { key: "ArrowDown" });
    await fireEvent.keyDown(add, { key: "Enter" });
    await fireEvent.input(add, { target: { value: "water" } });
    await fireEvent.keyDown(add, { key: "Enter" });
    expect(screen.getByTestId("group-members").textContent).toMatch(/Water 5 L.*Water 1\.5 L/s);
    await fireEvent.click(screen.getAllByRole("button", { name: "Move Water 1.5 L up" })[0]);
    await fireEvent.click(screen.getByLabelText("By contents (litres for litres)"));
    await fireEvent.click(screen.getByTestId("group-save"));
    await waitFor(() => expect(calls.some((c) => c.cmd === "save_substitution_group")).toBe(true));
    expect(calls.find((c) => c.cmd === "save_substitution_group")!.args).toEqual({
      group: { id: "", name: "Drinking water", basis: "contents", items: ["w15", "w5"] },
    });
    await waitFor(() => expect(screen.getAllByTestId("catalogue-group")).toHaveLength(2));
    await fireEvent.click(screen.getAllByTestId("group-delete")[0]);
    await fireEvent.click(screen.getByTestId("group-delete-confirm"));
    await waitFor(() => expect(calls.find((c) => c.cmd === "delete_substitution_group")?.args).toEqual({ id: "g1" }));
  });

  it("sets a kit's components", async () => {
    const calls = backend();
    await openDialog();
    await fireEvent.click(screen.getByTestId("catalogue-tab-kits"));
    await fireEvent.click(screen.getByTestId("catalogue-add-kit"));
    const kit = screen.getByTestId("kit-item-input");
    await fireEvent.input(kit, { target: { value: "ice" } });
    await fireEvent.keyDown(kit, { key: "Enter" });
    const add = screen.getByTestId("kit-add-input");
    await fireEvent.input(add, { target: { value: "water 1.5" } });
    await fireEvent.keyDown(add, { key: "Enter" });
    await fireEvent.input(screen.getByLabelText("Quantity of Water 1.5 L per kit"), { target: { value: "2" } });
    await fireEvent.click(screen.getByTestId("kit-save"));
    await waitFor(() => expect(calls.find((c) => c.cmd === "set_kit")?.args).toEqual({ kitId: "ice", components: [{ item_id: "w15", quantity: 2 }] }));
    await waitFor(() => expect(screen.getByTestId("catalogue-kit").textContent).toContain("2 × Water 1.5 L"));
  });

  it("names the item of a waiting need, in a unit that converts", async () => {
    const calls = backend();
    await openDialog();
    await fireEvent.click(screen.getByTestId("catalogue-tab-match"));
    expect(screen.getByTestId("catalogue-tab-match").textContent).toBe("To match (2)");
    await waitFor(() => expect(screen.getAllByTestId("to-match-household").map((b) => b.textContent?.trim())).toEqual(["Famille Rossi", "Casa Pérez"]));
    const rows = screen.getAllByTestId("to-match-need");
    expect(rows[1].textContent).toContain("L does not convert to Fuel can 10 L");
    await fireEvent.click(rows[0].querySelector("[data-testid=to-match-choose]")!);
    const picker = screen.getByTestId("match-item-input");
    await fireEvent.keyDown(picker, { key: "ArrowDown" });
    // The need's category leads.
    expect(screen.getAllByTestId("match-item-option")[0].dataset.id).toBe("w15");
    await fireEvent.keyDown(picker, { key: "Enter" });
    expect((screen.getByTestId("match-unit") as HTMLSelectElement).value).toBe("L");
    expect(screen.getByTestId("to-match-form").textContent).toContain("18 L → 12 × Water 1.5 L");
    await fireEvent.click(screen.getByTestId("to-match-save"));
    await waitFor(() => expect(calls.some((c) => c.cmd === "update_need")).toBe(true));
    expect(calls.find((c) => c.cmd === "update_need")!.args).toEqual({
      id: "n1",
      input: { category: "water", item_id: "w15", quantity: 18, unit: "L", urgency: "high", requested_at: "2026-12-01T09:00:00.000Z", wanted_by: null, notes: "", notes_for_driver: false },
    });
    await waitFor(() => expect(screen.getByTestId("catalogue-tab-match").textContent).toBe("To match (1)"));
  });

  it("keeps a unit that does not convert until one is chosen", async () => {
    backend();
    await openDialog();
    await fireEvent.click(screen.getByTestId("catalogue-tab-match"));
    const rows = screen.getAllByTestId("to-match-need");
    await fireEvent.click(rows[1].querySelector("[data-testid=to-match-choose]")!);
    await waitFor(() => expect(screen.getByTestId("match-item-input")).toBeTruthy());
    const unit = screen.getByTestId("match-unit") as HTMLSelectElement;
    expect(unit.value).toBe("L");
    expect((screen.getByTestId("to-match-save") as HTMLButtonElement).disabled).toBe(true);
    await fireEvent.change(unit, { target: { value: "can" } });
    expect((screen.getByTestId("to-match-save") as HTMLButtonElement).disabled).toBe(false);
  });
});

describe("site panel: pack kits", () => {
  it("packs kits from the components held here", async () => {
    const kitItem = { ...ITEMS[9] };
    const stock: StockRow[] = [
      { item: water15, quantity: 9, low: false, next_expiry: null },
      { item: kitItem, quantity: 1, low: false, next_expiry: null },
    ];
    const calls = backend({ kits: [["ice", [{ item_id: "w15", quantity: 2 }]]] }, stock);
    render(SitePanel, { siteId: "s1", at: { lat: 0, lon: 0 }, readOnly: false, onchanged: () => {}, onclose: () => {} });
    await waitFor(() => expect(screen.getByTestId("stock-pack-row")).toBeTruthy());
    await fireEvent.click(screen.getByTestId("stock-pack-row"));
    await waitFor(() => expect(screen.getByTestId("kits-possible").textContent).toBe("4 kits can be packed from what is held here."));
    expect(screen.getByTestId("kit-components").textContent).toContain("2 × Water 1.5 L (9 held here)");
    await fireEvent.input(screen.getByTestId("stock-quantity"), { target: { value: "3" } });
    await fireEvent.input(document.querySelector("input[name=reason]")!, { target: { value: "Saturday session" } });
    await fireEvent.click(screen.getByTestId("stock-save"));
    await waitFor(() => expect(calls.some((c) => c.cmd === "change_stock")).toBe(true));
    expect(calls.find((c) => c.cmd === "change_stock")!.args).toEqual({
      change: { kind: "pack_kits", site_id: "s1", kit_id: "ice", kits: 3, reason: "Saturday session" },
    });
  });
});
