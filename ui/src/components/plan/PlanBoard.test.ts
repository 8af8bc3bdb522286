// The planning board against a mocked backend: it opens the day's draft, sends each hand edit
// as a whole layout (and undoes it), shows the stored loads and substitutions, asks before
// dispatching, records outcomes (partly with amounts), exports the packing list, and plans
// with progress.
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { polyfillDom } from "../../test/dom";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { emit } from "@tauri-apps/api/event";
import type { PlanLayout } from "../../lib/bindings/PlanLayout";
import type { PlanStop } from "../../lib/bindings/PlanStop";
import type { PlanView } from "../../lib/bindings/PlanView";
import { setLanguage } from "../../lib/i18n/index.svelte";
import { load, need, view as fixture, stop } from "../../lib/plan/fixture";
import PlanBoard from "./PlanBoard.svelte";

beforeAll(() => {
  setLanguage("en");
  polyfillDom();
  globalThis.CSS ??= { escape: (s: string) => s } as unknown as typeof CSS;
});

afterEach(async () => {
  cleanup();
  await new Promise((r) => setTimeout(r, 0)); // the board's unlisten runs after unmounting
  clearMocks();
});

/** A backend holding one draft: layouts rearrange its stops (d starts removed by hand). */
function backend(start: PlanView = fixture(), extra: (cmd: string, args: Record<string, unknown>) => unknown = () => null) {
  let current = structuredClone(start);
  const stops = new Map<string, PlanStop>([...current.runs.flatMap((r) => r.stops), stop("d", 7.45, 43.76)].map((s) => [s.id, s]));
  const calls: { cmd: string; args: Record<string, unknown> }[] = [];
  const apply = (layout: PlanLayout): PlanView => {
    const runs = current.runs.map((r) => {
      const laid = layout.runs.find((x) => x.run_id === r.id)!;
      return { ...r, locked: laid.locked, stops: laid.stops.map((s) => ({ ...stops.get(s.stop_id)!, locked: s.locked })) };
    });
    const unserved = layout.removed.map((id) => ({ ...stops.get(id)!.needs[0], stop_id: id, lat: 0, lon: 0, label: `Stop ${id}`, reason: "removed" }));
    return { ...current, runs, unserved: [...unserved, ...current.unserved.filter((u) => u.reason !== "removed")] };
  };
  mockIPC(
    (cmd, args) => {
      calls.push({ cmd, args: (args ?? {}) as Record<string, unknown> });
      const a = args as Record<string, unknown>;
      switch (cmd) {
        case "plans_list":
          return [current.info];
        case "plan_choices":
          return { needs: 5, households: 4, in_other_drafts: 0, shifts: [], depots: [["depot-1", "Main depot"]], existing_draft: current.info.id, duplicates: 0 };
        case "plan_get":
          return current;
        case "plan_set_layout":
          return (current = apply(a.layout as PlanLayout));
        case "plan_dispatch":
          return (current = { ...current, info: { ...current.info, status: "dispatched" } });
        case "plan_record_outcome":
          return current;
      }
      return extra(cmd, a);
    },
    { shouldMockEvents: true },
  );
  return { calls, layouts: () => calls.filter((c) => c.cmd === "plan_set_layout").map((c) => c.args.layout as PlanLayout) };
}

function mount() {
  const props = { readOnly: false, drawingArea: false, onarea: vi.fn(), onmap: vi.fn(), onfocus: vi.fn(), onchanged: vi.fn(), onclose: vi.fn() };
  return { props, ...render(PlanBoard, { props }) };
}

const order = (l: PlanLayout) => l.runs.map((r) => r.stops.map((s) => s.stop_id).join(""));
const rows = () => screen.getAllByTestId("plan-stop").map((r) => r.dataset.stopId).join("");
const inStop = (id: string, testid: string) => document.querySelector<HTMLElement>(`[data-stop-id="${id}"] [data-testid="${testid}"]`)!;

describe("planning board", () => {
  it("shows a plan made on another laptop read-only, saying where it was made", async () => {
    const elsewhere = fixture();
    elsewhere.info = { ...elsewhere.info, made_elsewhere: "Hub Nord laptop 1" };
    backend(elsewhere);
    mount();
    await screen.findByTestId("plan-review");
    expect((await screen.findByTestId("plan-elsewhere")).textContent).toContain("Planned on Hub Nord laptop 1");
    expect(screen.queryByTestId("plan-dispatch")).toBeNull();
  });

  it("opens the day's draft and shows its runs, stops, problems and unserved needs", async () => {
    backend();
    const { props } = mount();
    await screen.findByTestId("plan-review");
    expect(screen.getAllByTestId("plan-run-card").map((c) => c.dataset.runId)).toEqual(["r1", "r2"]);
    expect(rows()).toBe("abc");
    expect(screen.getByTestId("plan-feasible").dataset.feasible).toBe("false");
    expect(screen.getByTestId("plan-feasible").textContent).toContain("2 problems");
    expect(screen.getAllByTestId("run-violation").map((v) => v.dataset.kind)).toEqual(["late", "after_shift"]);
    expect(document.querySelector('[data-stop-id="c"] [data-testid="stop-violation"]')).not.toBeNull();
    expect(screen.getAllByTestId("unserved-need").map((u) => u.dataset.reason)).toEqual(["removed", "not_chosen"]);
    // The map got the plan, and was asked to frame it.
    const last = props.onmap.mock.calls.at(-1)![0];
    expect(last.features.filter((f: { properties: { kind: string } }) => f.properties.kind === "stop")).toHaveLength(3);
    expect(props.onfocus).toHaveBeenCalledWith({ bounds: [7.41, 43.72, 7.46, 43.77] });
  });

  it("sends every edit as the whole layout, and undoes and redoes it", async () => {
    const b = backend();
    mount();
    await screen.findByTestId("plan-review");
    await fireEvent.click(inStop("a", "stop-down"));
    await waitFor(() => expect(rows()).toBe("bac"));
    expect(b.layouts()[0]).toEqual({
      runs: [
        { run_id: "r1", locked: false, stops: [{ stop_id: "b", locked: true }, { stop_id: "a", locked: false }] },
        { run_id: "r2", locked: true, stops: [{ stop_id: "c", locked: false }] },
      ],
      removed: ["d"],
    });
    await fireEvent.click(inStop("c", "stop-remove"));
    await waitFor(() => expect(rows()).toBe("ba"));
    expect(b.layouts()[1].removed).toEqual(["d", "c"]);
    const lock = document.querySelector<HTMLElement>('[data-run-id="r1"] [data-testid="run-lock"]')!;
    await fireEvent.click(lock);
    await waitFor(() => expect(b.layouts()).toHaveLength(3));
    expect(b.layouts()[2].runs[0].locked).toBe(true);
    // Moving with the list: to the end of the other run.
    const move = inStop("a", "stop-move-run") as HTMLSelectElement;
    move.value = "r2";
    await fireEvent.change(move);
    await waitFor(() => expect(b.layouts()).toHaveLength(4));
    expect(order(b.layouts()[3])).toEqual(["b", "a"]);
    await waitFor(() => expect(document.querySelector('[data-run-id="r2"] [data-stop-id="a"]')).not.toBeNull());
    // Undo three times: back to before the lock and the removal; redo once.
    await fireEvent.click(screen.getByTestId("plan-undo"));
    await waitFor(() => expect(b.layouts()).toHaveLength(5));
    expect(order(b.layouts()[4])).toEqual(["ba", ""]);
    await fireEvent.click(screen.getByTestId("plan-undo"));
    await fireEvent.click(screen.getByTestId("plan-undo"));
    await waitFor(() => expect(rows()).toBe("bac"));
    expect(b.layouts()[6]).toEqual(b.layouts()[0]);
    // Ctrl+Shift+Z / Ctrl+Y redo only while the board has focus.
    (document.activeElement as HTMLElement | null)?.blur();
    await fireEvent.keyDown(window, { key: "z", ctrlKey: true, shiftKey: true });
    expect(b.layouts()).toHaveLength(7);
    screen.getByTestId("plan-redo").focus();
    await fireEvent.keyDown(window, { key: "y", ctrlKey: true });
    await waitFor(() => expect(rows()).toBe("ba"));
    // A removed stop goes back on a run from the unserved list.
    const back = screen.getAllByTestId("unserved-add-back")[0] as HTMLSelectElement;
    back.value = "r2";
    await fireEvent.change(back);
    await waitFor(() => expect(rows()).toContain("d"));
  });

  it("moves stops by drag and drop, within a run and onto another", async () => {
    const b = backend();
    mount();
    await screen.findByTestId("plan-review");
    const row = (id: string) => document.querySelector<HTMLElement>(`[data-testid=plan-stop][data-stop-id="${id}"]`)!;
    const dataTransfer = { setData: () => {}, effectAllowed: "", dropEffect: "" };
    // b onto the top half of a: b goes first.
    await fireEvent.dragStart(row("b"), { dataTransfer });
    await fireEvent.dragOver(row("a"), { dataTransfer, clientY: 0 });
    await fireEvent.drop(row("a"), { dataTransfer });
    await waitFor(() => expect(b.layouts()).toHaveLength(1));
    expect(order(b.layouts()[0])).toEqual(["ba", "c"]);
    await waitFor(() => expect(rows()).toBe("bac"));
    // a onto the other run's list below its stops: at its end.
    await fireEvent.dragStart(row("a"), { dataTransfer });
    await fireEvent.dragOver(row("c").parentElement!, { dataTransfer });
    await fireEvent.drop(row("c").parentElement!, { dataTransfer });
    await waitFor(() => expect(b.layouts()).toHaveLength(2));
    expect(order(b.layouts()[1])).toEqual(["b", "ca"]);
  });

  it("asks before dispatching, then offers outcomes instead of edits", async () => {
    const b = backend();
    const { props } = mount();
    await screen.findByTestId("plan-review");
    await fireEvent.click(screen.getByTestId("plan-dispatch"));
    expect(screen.getByTestId("dispatch-question").textContent).toContain("mark 3 needs assigned");
    await fireEvent.click(screen.getByTestId("confirm-dispatch"));
    await waitFor(() => expect(screen.getByTestId("plan-status").dataset.status).toBe("dispatched"));
    expect(b.calls.some((c) => c.cmd === "plan_dispatch")).toBe(true);
    expect(props.onchanged).toHaveBeenCalled();
    expect(screen.queryAllByTestId("stop-up")).toHaveLength(0);
    const outcome = screen.getAllByTestId("stop-outcome")[0] as HTMLSelectElement;
    outcome.value = "nobody_home";
    await fireEvent.change(outcome);
    await waitFor(() =>
      expect(b.calls.find((c) => c.cmd === "plan_record_outcome")?.args).toEqual({ id: "p1", stopId: "a", outcome: "nobody_home", delivered: null }),
    );
  });

  it("shows each stop's loads exactly, every substitution, and critical needs left out first", async () => {
    const v = fixture();
    v.runs[0].stops[0] = stop("a", 7.43, 43.74, {
      needs: [need("n-a1", { quantity: 18, unit: "L", item_name: "Water 1.5 L" }), need("n-a2", { cold_chain: true, category: "medicine" })],
      loads: [
        load("n-a1", { item_id: "i-w15", item_name: "Water 1.5 L", quantity: 12, asked: "18 L" }),
        load("n-a2", { item_id: "i-ins", item_name: "Insulin pen", quantity: 1, unit: "pen", cold_chain: true }),
      ],
    });
    v.runs[1].stops[0].loads = [
      load("n-c", { item_id: "i-can", item_name: "Water jerrycan 10 L", quantity: 2, substitute_for: "i-w5", substitute_for_name: "Water 5 L", asked: "18 L" }),
    ];
    v.unserved = [
      { ...need("n-x", { urgency: "critical", item_name: "Water 1.5 L", missing: 4 }), stop_id: null, lat: 0, lon: 0, label: "Home x", reason: "not_enough_stock" },
      ...Array.from({ length: 3 }, (_, i) => ({
        ...need(`n-f${i}`, { category: "food" as const, item_id: null, item_name: null }), stop_id: null, lat: 0, lon: 0, label: `Home f${i}`, reason: "item_not_chosen",
      })),
      ...v.unserved,
    ];
    backend(v);
    mount();
    await screen.findByTestId("plan-review");
    const loads = (id: string) => [...document.querySelectorAll<HTMLElement>(`[data-stop-id="${id}"] [data-testid=stop-load]`)];
    expect(loads("a").map((l) => l.textContent!.replace(/\s+/g, " ").trim())).toEqual(["12 × Water 1.5 L (18 L)", "1 × Insulin pen ❄"]);
    const sub = loads("c")[0];
    expect(sub.dataset.substituteFor).toBe("i-w5");
    const mark = sub.querySelector<HTMLElement>("[data-testid=stop-load-substitute]")!;
    expect(mark.textContent).toContain("⇄ instead of Water 5 L");
    expect(mark.title).toBe("A catalogue substitution rule allowed Water jerrycan 10 L in place of Water 5 L");
    // The review says every substitution, and the critical need left out comes first, with why.
    expect(screen.getByTestId("plan-substitutions").textContent).toContain("1 substitution:");
    expect(screen.getByTestId("plan-substitution").textContent).toContain("Water jerrycan 10 L instead of Water 5 L ×1");
    const critical = screen.getByTestId("plan-critical-unserved");
    expect(critical.compareDocumentPosition(screen.getAllByTestId("plan-run-card")[0]) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(critical.textContent).toContain("Critical needs not on a run");
    expect(critical.querySelector("[data-testid=unserved-why]")!.textContent).toBe("Not enough Water 1.5 L: 4 missing");
    expect(screen.getByTestId("plan-waiting-item").textContent).toContain("3 needs wait for an item: set a default for Food");
    expect(screen.getAllByTestId("unserved-need").map((u) => u.dataset.reason)).toEqual([
      "removed", "item_not_chosen", "item_not_chosen", "item_not_chosen", "not_enough_stock", "not_chosen",
    ]);
    // Dispatch lists the substitutions and what each depot issues.
    await fireEvent.click(screen.getByTestId("plan-dispatch"));
    const dialog = screen.getByTestId("confirm-dispatch-dialog");
    expect(dialog.querySelector("[data-testid=plan-substitution]")!.textContent).toContain("Water jerrycan 10 L instead of Water 5 L");
    expect([...dialog.querySelectorAll("[data-testid=dispatch-line]")].map((l) => l.textContent!.replace(/\s+/g, " ").trim())).toEqual([
      "1 × Insulin pen ❄", "6 × Water", "12 × Water 1.5 L", "2 × Water jerrycan 10 L ⇄ 1 as a substitute",
    ]);
  });

  it("asks how much was handed over for a partly delivered stop, and shows it after", async () => {
    const v = fixture();
    v.info.status = "dispatched";
    v.runs[0].stops[0] = stop("a", 7.43, 43.74, {
      needs: [need("n-a1"), need("n-a2"), need("n-a3")],
      loads: [
        load("n-a1", { item_id: "i-w15", item_name: "Water 1.5 L", quantity: 12 }),
        load("n-a2", { item_id: "i-w15", item_name: "Water 1.5 L", quantity: 4 }),
        load("n-a3", { item_id: "i-rice", item_name: "Rice", unit: "bag", quantity: 2 }),
      ],
    });
    const b = backend(v);
    mount();
    await screen.findByTestId("plan-review");
    const outcome = inStop("a", "stop-outcome") as HTMLSelectElement;
    // Esc cancels: nothing recorded, the list shows no outcome still.
    outcome.value = "partly";
    await fireEvent.change(outcome);
    let dialog = await screen.findByTestId("partly-dialog");
    expect(outcome.value).toBe("");
    await fireEvent(dialog, new Event("cancel", { cancelable: true }));
    await waitFor(() => expect(screen.queryByTestId("partly-dialog")).toBeNull());
    expect(b.calls.some((c) => c.cmd === "plan_record_outcome")).toBe(false);
    // One amount per item, everything loaded to start with; out of range cannot be recorded.
    outcome.value = "partly";
    await fireEvent.change(outcome);
    dialog = await screen.findByTestId("partly-dialog");
    const amounts = screen.getAllByTestId("partly-amount") as HTMLInputElement[];
    expect(amounts.map((a) => [a.value, a.max])).toEqual([["16", "16"], ["2", "2"]]);
    await fireEvent.input(amounts[0], { target: { value: "17" } });
    expect((screen.getByTestId("partly-confirm") as HTMLButtonElement).disabled).toBe(true);
    await fireEvent.input(amounts[0], { target: { value: "10" } });
    await fireEvent.input(amounts[1], { target: { value: "0" } });
    expect((screen.getByTestId("partly-confirm") as HTMLButtonElement).disabled).toBe(false);
    // Enter in an amount records it.
    await fireEvent.submit(dialog.querySelector("form")!);
    await waitFor(() =>
      expect(b.calls.find((c) => c.cmd === "plan_record_outcome")?.args).toEqual({
        id: "p1", stopId: "a", outcome: "partly", delivered: [["i-w15", 10], ["i-rice", 0]],
      }),
    );
    expect(screen.queryByTestId("partly-dialog")).toBeNull();
  });

  it("shows handed-over amounts where they differ from what was loaded", async () => {
    const v = fixture();
    v.info.status = "dispatched";
    v.runs[0].stops[0] = stop("a", 7.43, 43.74, {
      outcome: "partly",
      needs: [need("n-a1"), need("n-a2")],
      loads: [load("n-a1", { item_name: "Water 1.5 L", quantity: 12, delivered: 8 }), load("n-a2", { item_id: "i-rice", item_name: "Rice", quantity: 2, delivered: 2 })],
    });
    backend(v);
    mount();
    await screen.findByTestId("plan-review");
    expect([...document.querySelectorAll('[data-stop-id="a"] [data-testid=stop-load-delivered]')].map((e) => e.textContent)).toEqual([
      "8 of 12 handed over",
    ]);
    // Correcting the amounts starts from what was recorded.
    await fireEvent.click(inStop("a", "stop-partly-amounts"));
    await screen.findByTestId("partly-dialog");
    expect((screen.getAllByTestId("partly-amount") as HTMLInputElement[]).map((a) => a.value)).toEqual(["8", "2"]);
  });

  it("says which item a depot lacks when dispatch is refused", async () => {
    mockIPC((cmd) => {
      if (cmd === "plans_list") return [fixture().info];
      if (cmd === "plan_choices") return { needs: 5, households: 4, in_other_drafts: 0, shifts: [], depots: [], existing_draft: "p1", duplicates: 0 };
      if (cmd === "plan_get") return fixture();
      if (cmd === "plan_dispatch") {
        return Promise.reject({ code: "not_enough_stock", message: "not enough Water 1.5 L at Main depot: 20 needed, 12 on hand; nothing was changed", fields: [] });
      }
      return null;
    });
    mount();
    await screen.findByTestId("plan-review");
    await fireEvent.click(screen.getByTestId("plan-dispatch"));
    await fireEvent.click(screen.getByTestId("confirm-dispatch"));
    const error = await screen.findByTestId("plan-error");
    expect(error.textContent).toContain("Dispatch refused, nothing was issued: not enough Water 1.5 L at Main depot: 20 needed, 12 on hand");
  });

  it("writes the packing list into the picked folder", async () => {
    const b = backend(fixture(), (cmd, a) => {
      if (cmd === "e2e_pick_file") return "/tmp/packing";
      if (cmd === "export_packing") return [`${a.dir}/2026-03-02-packing.${a.format}`];
      return null;
    });
    mount();
    await screen.findByTestId("plan-review");
    await fireEvent.click(screen.getByTestId("plan-packing"));
    await screen.findByTestId("packing-dialog");
    const csv = screen.getAllByTestId("packing-format").find((r) => (r as HTMLInputElement).value === "csv")!;
    await fireEvent.click(csv);
    await fireEvent.click(screen.getByTestId("packing-save"));
    await screen.findByTestId("packing-written");
    expect(b.calls.find((c) => c.cmd === "export_packing")?.args).toEqual({ planId: "p1", format: "csv", dir: "/tmp/packing" });
    expect(screen.getByTestId("packing-dialog").textContent).toContain("/tmp/packing/2026-03-02-packing.csv");
  });

  it("plans a day with progress, and Esc cancels keeping the best so far", async () => {
    let finish: (v: PlanView) => void = () => {};
    const calls: string[] = [];
    mockIPC(
      (cmd) => {
        calls.push(cmd);
        if (cmd === "plans_list") return [];
        if (cmd === "plan_choices") {
          return {
            needs: 5, households: 4, in_other_drafts: 0, depots: [], existing_draft: null, duplicates: 2,
            shifts: [{ shift_id: "s1", driver: "Ana", vehicle: "Van", site_id: "d", site_name: "Depot", starts_at: "2026-03-02T08:00:00Z", ends_at: "2026-03-02T12:00:00Z", capacity_kg: 300, capacity_l: 400, cooler: false, high_clearance: false, idle: null }],
          };
        }
        if (cmd === "plan_create") return new Promise<PlanView>((resolve) => (finish = resolve));
        return null;
      },
      { shouldMockEvents: true },
    );
    mount();
    await waitFor(() => expect(screen.getByTestId("plan-counts").dataset.needs).toBe("5"));
    expect(screen.getByTestId("plan-counts").textContent).toContain("5 open needs at 4 households");
    await fireEvent.submit(screen.getByTestId("plan-setup"));
    await screen.findByTestId("plan-progress");
    await emit("plan-progress", { elapsed_ms: 2500, iterations: 100, best_cost: 4321 });
    await waitFor(() => expect(screen.getByTestId("plan-progress").dataset.best).toBe("4321"));
    await fireEvent.keyDown(window, { key: "Escape" });
    expect(calls).toContain("plan_cancel");
    finish(fixture());
    await screen.findByTestId("plan-review");
    expect(screen.queryByTestId("plan-progress")).toBeNull();
  });
});
