// The selection pane's list: one call for the first rows of the selection (not one per
// household), the place shown as the address or else the landmark, and how many more there are.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { cleanup, render, screen, waitFor } from "@testing-library/svelte";
import type { HouseholdPage } from "../../lib/bindings/HouseholdPage";
import { setLanguage } from "../../lib/i18n/index.svelte";
import { polyfillDom } from "../../test/dom";
import SelectionPane from "./SelectionPane.svelte";

beforeAll(() => {
  setLanguage("en");
  polyfillDom();
});
afterEach(() => {
  cleanup();
  clearMocks();
});

const row = (id: string, name: string, address: string, landmark: string) => ({
  id, name, address, landmark, phone: null, status: "active" as const, urgency: null, open_needs: 0,
});

describe("selection pane", () => {
  it("lists the selection from one call, with landmarks where there is no address and the rest counted", async () => {
    const calls: { cmd: string; args: Record<string, unknown> }[] = [];
    const ids = Array.from({ length: 250 }, (_, i) => `h${i}`);
    mockIPC((cmd, payload) => {
      const args = (payload ?? {}) as Record<string, unknown>;
      calls.push({ cmd, args });
      if (cmd === "households_of") {
        const page: HouseholdPage = {
          total: 250,
          items: [row("h1", "Ana", "3 Rue Basse", ""), row("h2", "Tent family", "", "Blue tent behind the church")],
        };
        return page;
      }
      if (cmd === "items") return [];
      if (cmd === "report") throw { code: "internal", message: "not in this test" };
      return null;
    });
    render(SelectionPane, {
      ids, how: "lasso", readOnly: false, onselect: () => {}, onclear: () => {}, onhousehold: () => {},
      onexport: () => {}, onplan: () => {}, onchanged: () => {},
    });
    await waitFor(() => expect(screen.getByTestId("selection-list").textContent).toContain("Tent family"));
    const list = screen.getByTestId("selection-list").textContent ?? "";
    expect(list).toContain("3 Rue Basse");
    expect(list).toContain("Blue tent behind the church");
    expect(screen.getByTestId("selection-more").textContent).toBe("… and 248 more");
    expect(calls.filter((c) => c.cmd === "households_of")).toEqual([{ cmd: "households_of", args: { ids, limit: 200 } }]);
    expect(calls.some((c) => c.cmd === "get_household")).toBe(false);
  });
});
