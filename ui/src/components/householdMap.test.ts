// The household list and the new-household form against a mocked backend: the count line says
// how many rows are on the map, a household out on a run has its own dot, Name takes the cursor
// away from the map after a placing click, and Locate tells the map where the pin went.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type { HouseholdPin } from "../lib/bindings/HouseholdPin";
import type { HouseholdSummary } from "../lib/bindings/HouseholdSummary";
import type { OperationInfo } from "../lib/bindings/OperationInfo";
import { emptyHousehold } from "../lib/forms";
import { setLanguage } from "../lib/i18n/index.svelte";
import NewHousehold from "./NewHousehold.svelte";
import Sidebar from "./Sidebar.svelte";

beforeAll(() => setLanguage("en"));
afterEach(() => {
  cleanup();
  clearMocks();
});

const op: OperationInfo = {
  id: "op", name: "Test", is_demo: false, demo_date: null, path: "/tmp/t.aidmap", read_only: false, encrypted: false,
  schema_version: 1, households: 3, open_needs: 0, audit_break: null,
};
const row = (id: string, status: HouseholdSummary["status"] = "active"): HouseholdSummary => ({
  id, name: `Name ${id}`, address: "", landmark: "", phone: null, status, urgency: null, open_needs: 0,
});
const pin = (id: string, on_run = 0): HouseholdPin => ({ id, lat: 43.7, lon: 7.4, urgency: null, open_needs: 0, on_run });

describe("household list and map", () => {
  it("says how many listed households are on the map, and draws one out on a run apart", async () => {
    mockIPC((cmd) => (cmd === "search_households" ? { total: 3, items: [row("a"), row("b"), row("c", "closed")] } : null));
    render(Sidebar, { op, version: 1, selectedId: null, onselect: () => {}, pins: [pin("a"), pin("b", 2)], pending: 1 });
    const count = await screen.findByTestId("list-count");
    await waitFor(() =>
      expect(count.textContent?.trim()).toBe("Showing 3 of 3 · 2 on the map (1 closed, not on the map) · 1 imported row without a location"),
    );
    expect(count.dataset.onMap).toBe("2");
    expect(count.dataset.offMap).toBe("1");
    const dots = Array.from(document.querySelectorAll("[data-row] .dot")).map((d) => (d.classList.contains("on_run") ? "on_run" : d.classList.contains("none") ? "none" : "?"));
    expect(dots).toEqual(["none", "on_run", "none"]);
  });

  it("puts the cursor in Name even when the map has it, and flies the map to a located address", async () => {
    mockIPC((cmd) => (cmd === "geocode" ? [{ label: "Rue Grimaldi 3", kind: "address", lat: 43.7312345678, lon: 7.4198765432, score: 1 }] : null));
    // The map's canvas keeps the focus after a click.
    const canvas = document.createElement("canvas");
    canvas.tabIndex = 0;
    document.body.append(canvas);
    canvas.focus();
    const located: [number, number][] = [];
    const { component } = render(NewHousehold, {
      draft: emptyHousehold(43.71, 7.41),
      oncancel: () => {},
      oncreated: () => {},
      onlocate: (lat: number, lon: number) => located.push([lat, lon]),
    });
    component.focusName();
    expect(document.activeElement?.getAttribute("name")).toBe("name");
    const address = document.querySelector<HTMLInputElement>("input[name=address]")!;
    await fireEvent.input(address, { target: { value: "rue grimaldi 3" } });
    await fireEvent.click(screen.getByTestId("locate"));
    await waitFor(() => expect(located).toEqual([[43.731235, 7.419877]]));
    canvas.remove();
  });
});
