// Intake against a mocked backend: the need form's item picker (typing, arrows, Enter, Esc,
// suggestions), the live conversion and what a category alone means, the payload sent; the
// need list's items and plan states.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type { CatalogueRules } from "../../lib/bindings/CatalogueRules";
import type { HouseholdDetail } from "../../lib/bindings/HouseholdDetail";
import type { NeedPlanState } from "../../lib/bindings/NeedPlanState";
import { ITEMS, need } from "../../lib/catalogue/fixture";
import { setLanguage } from "../../lib/i18n/index.svelte";
import NeedForm from "../NeedForm.svelte";
import NeedList from "../NeedList.svelte";

beforeAll(() => {
  setLanguage("en");
  Element.prototype.scrollIntoView ??= () => {};
});

afterEach(() => {
  cleanup();
  clearMocks();
});

const RULES: CatalogueRules = { defaults: [["food", "fp"]], groups: [], kits: [] };

function backend(states: NeedPlanState[] = []) {
  const calls: { cmd: string; args: Record<string, unknown> }[] = [];
  mockIPC((cmd, args) => {
    calls.push({ cmd, args: (args ?? {}) as Record<string, unknown> });
    switch (cmd) {
      case "items": return ITEMS;
      case "catalogue_rules": return RULES;
      case "need_plan_states": return states;
      case "add_need": case "update_need": return need();
      case "get_household": return detail();
      default: return null;
    }
  });
  return calls;
}

function detail(extra: Partial<HouseholdDetail> = {}): HouseholdDetail {
  return {
    household: {
      id: "h1", name: "Famille Test", phones: [], address: "", lat: 0, lon: 0, location_source: "pin", adults: 1, children: 0, seniors: 0,
      vulnerabilities: ["infant"], languages: [], access_notes: "", consent: { status: "unknown", date: null, scope: "", basis: null },
      status: "active", notes: "", notes_for_driver: false, landmark: "", created_at: "", updated_at: "", updated_by: "",
    },
    needs: [],
    plus_code: "8FVC9G8F+6X",
    ...extra,
  };
}

const combobox = () => screen.getByTestId("need-item-input") as HTMLInputElement;

describe("need form: the item picker", () => {
  it("filters as one types, moves with the arrows, chooses with Enter and shows the conversion", async () => {
    const calls = backend();
    render(NeedForm, { householdId: "h1", vulnerabilities: [], ondone: () => {}, oncancel: () => {} });
    await waitFor(() => expect(calls.some((c) => c.cmd === "items")).toBe(true));
    const box = combobox();
    await fireEvent.input(box, { target: { value: "WATER" } });
    expect(box.getAttribute("aria-expanded")).toBe("true");
    expect(screen.getAllByTestId("need-item-option")).toHaveLength(2);
    expect(screen.getByRole("group", { name: "Water" })).toBeTruthy();
    await fireEvent.keyDown(box, { key: "ArrowDown" });
    const active = box.getAttribute("aria-activedescendant")!;
    expect(document.getElementById(active)?.dataset.id).toBe("w5");
    await fireEvent.keyDown(box, { key: "ArrowUp" });
    await fireEvent.keyDown(box, { key: "Enter" });
    expect(box.getAttribute("aria-expanded")).toBe("false");
    expect(box.value).toBe("Water 1.5 L");
    // The category follows the item; the unit is one of its units.
    expect((document.querySelector("select[name=category]") as HTMLSelectElement).value).toBe("water");
    const unit = screen.getByTestId("need-unit") as HTMLSelectElement;
    expect([...unit.options].map((o) => o.value)).toEqual(["bottle", "L"]);
    await fireEvent.change(unit, { target: { value: "L" } });
    await fireEvent.input(document.querySelector("input[name=quantity]")!, { target: { value: "18" } });
    expect(screen.getByTestId("need-preview").textContent?.trim()).toBe("18 L → 12 × Water 1.5 L");
    await fireEvent.click(screen.getByTestId("need-submit"));
    await waitFor(() => expect(calls.some((c) => c.cmd === "add_need")).toBe(true));
    expect(calls.find((c) => c.cmd === "add_need")!.args).toEqual({
      householdId: "h1",
      input: { category: "water", item_id: "w15", quantity: 18, unit: "L", urgency: "normal", requested_at: null, wanted_by: null, notes: "", notes_for_driver: false },
    });
  });

  it("puts what the vulnerabilities suggest first, and Esc closes the list without cancelling the form", async () => {
    backend();
    let cancelled = false;
    render(NeedForm, { householdId: "h1", vulnerabilities: ["cold_chain"], ondone: () => {}, oncancel: () => (cancelled = true) });
    await waitFor(() => expect(screen.getByTestId("need-rule-none")).toBeTruthy());
    const box = combobox();
    await fireEvent.keyDown(box, { key: "ArrowDown" });
    const groups = screen.getAllByRole("group").map((g) => g.getAttribute("aria-labelledby")).map((id) => document.getElementById(id!)?.textContent?.trim());
    expect(groups[0]).toBe("Suggested for this household");
    const suggested = screen.getAllByRole("group")[0].querySelectorAll("[role=option]");
    expect([...suggested].map((o) => (o as HTMLElement).dataset.id).sort()).toEqual(["ice", "ins", "para"]);
    // Cold-chain items are marked, medical items tagged.
    expect(suggested[0].textContent).toContain("❄");
    expect(screen.getAllByRole("group")[0].textContent).toContain("medical");
    await fireEvent.keyDown(box, { key: "Escape" });
    expect(box.getAttribute("aria-expanded")).toBe("false");
    expect(cancelled).toBe(false);
    await fireEvent.keyDown(box, { key: "Escape" });
    expect(cancelled).toBe(true);
  });

  it("says what applies to a category alone", async () => {
    backend();
    render(NeedForm, { householdId: "h1", ondone: () => {}, oncancel: () => {} });
    const category = () => document.querySelector("select[name=category]") as HTMLSelectElement;
    await waitFor(() => expect(screen.getByTestId("need-rule-none").textContent).toContain("No default for Water: this need will wait for an item."));
    await fireEvent.change(category(), { target: { value: "food" } });
    expect(screen.getByTestId("need-rule-default").textContent).toBe("Food → Food parcel (family, 3 days), by default");
    await fireEvent.change(category(), { target: { value: "medicine" } });
    expect(screen.getByTestId("need-rule-named-only").textContent).toBe("Medicine needs must name their item.");
    // No item chosen: the need names its category only.
    expect(combobox().value).toBe("");
  });

  it("clears the item when the text is emptied, and offers only the category", async () => {
    backend();
    render(NeedForm, { householdId: "h1", ondone: () => {}, oncancel: () => {} });
    await waitFor(() => expect(screen.getByTestId("need-rule-none")).toBeTruthy());
    const box = combobox();
    await fireEvent.input(box, { target: { value: "fuel" } });
    await fireEvent.keyDown(box, { key: "Enter" });
    expect(box.value).toBe("Fuel can 10 L");
    await fireEvent.click(screen.getByTestId("need-only-category"));
    expect(box.value).toBe("");
    expect((document.querySelector("input[name=unit]") as HTMLInputElement).value).toBe("L");
    await fireEvent.input(box, { target: { value: "nappies" } });
    await fireEvent.keyDown(box, { key: "Enter" });
    expect(box.value).toBe("Nappies size 3");
    await fireEvent.input(box, { target: { value: "" } });
    await fireEvent.blur(box);
    expect(box.value).toBe("");
    expect(screen.queryByTestId("need-unit")).toBeNull();
  });
});

describe("need list", () => {
  it("shows each need's item, its default, what waits, and where it stands in planning", async () => {
    backend([
      { need_id: "a", plan_id: "p", day: "2026-12-05", status: "draft", run: 3, driver: "Inès H.", reason: null, item_name: "Water 1.5 L", quantity: 12, unit: "bottle", site_name: "Port", missing: null, text: "" },
      { need_id: "b", plan_id: "p", day: "2026-12-05", status: "draft", run: null, driver: null, reason: "not_enough_stock", item_name: "Food parcel", quantity: 4, unit: "parcel", site_name: null, missing: 1, text: "" },
    ]);
    const needs = [
      need({ id: "a" }),
      need({ id: "b", category: "food", quantity: 4, unit: "parcel", item_id: "fp", item_name: "Food parcel", item_source: "default", item_quantity: 4, item_unit: "parcel" }),
      need({ id: "c", category: "other", item_id: null, item_name: null, item_source: "none", item_quantity: null, item_unit: null }),
      need({ id: "d", category: "fuel", item_id: "fuel", item_name: "Fuel can 10 L", item_quantity: null, item_unit: "can" }),
    ];
    render(NeedList, { detail: detail({ needs }), readOnly: false, onchanged: () => {} });
    const rows = screen.getAllByTestId("need");
    expect(rows[0].querySelector("[data-testid=need-item-line]")?.textContent).toBe("12 × Water 1.5 L");
    expect(rows[0].textContent).toContain("(18 L)");
    expect(rows[1].querySelector("[data-testid=need-by-default]")?.textContent).toBe("by default");
    expect(rows[1].textContent).not.toContain("(4 parcel)");
    expect(rows[2].querySelector("[data-testid=need-waits]")).toBeTruthy();
    expect(rows[3].querySelector("[data-testid=need-no-convert]")?.textContent).toContain("L does not convert to Fuel can 10 L");
    await waitFor(() => expect(rows[0].querySelector("[data-testid=need-plan]")?.textContent?.trim()).toBe("On run 3 (Inès H.) on 2026-12-05"));
    expect(rows[1].querySelector("[data-testid=need-plan]")?.textContent?.trim()).toBe("Not served on 2026-12-05: not enough Food parcel: 3 of 4");
    // Needs without an item offer to choose one; the form opens in place with the need's values.
    const choose = rows[2].querySelector("button[data-action=edit]") as HTMLButtonElement;
    expect(choose.textContent?.trim()).toBe("Choose item…");
    await fireEvent.click(choose);
    expect(screen.getByTestId("need-form")).toBeTruthy();
    expect((document.querySelector("input[name=quantity]") as HTMLInputElement).value).toBe("18");
  });
});
