// The planning board against a mocked backend: it opens the day's draft, sends each hand edit
// as a whole layout (and undoes it), asks before dispatching, and plans with progress.
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { emit } from "@tauri-apps/api/event";
import type { PlanLayout } from "../../lib/bindings/PlanLayout";
import type { PlanStop } from "../../lib/bindings/PlanStop";
import type { PlanView } from "../../lib/bindings/PlanView";
import { setLanguage } from "../../lib/i18n/index.svelte";
import { view as fixture, stop } from "../../lib/plan/fixture";
import PlanBoard from "./PlanBoard.svelte";

beforeAll(() => {
  setLanguage("en");
  // What jsdom lacks.
  HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
    this.open = true;
  };
  HTMLDialogElement.prototype.close ??= function (this: HTMLDialogElement) {
    this.open = false;
  };
  Element.prototype.scrollIntoView ??= () => {};
  globalThis.CSS ??= { escape: (s: string) => s } as unknown as typeof CSS;
});

afterEach(async () => {
  cleanup();
  await new Promise((r) => setTimeout(r, 0)); // the board's unlisten runs after unmounting
  clearMocks();
});

/** A backend holding one draft: layouts rearrange its stops (d starts removed by hand). */
function backend(start: PlanView = fixture()) {
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
          return { needs: 5, households: 4, in_other_drafts: 0, shifts: [], depots: [["depot-1", "Main depot"]], existing_draft: current.info.id };
        case "plan_get":
          return current;
        case "plan_set_layout":
          return (current = apply(a.layout as PlanLayout));
        case "plan_dispatch":
          return (current = { ...current, info: { ...current.info, status: "dispatched" } });
        case "plan_record_outcome":
          return current;
      }
      return null;
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
    await waitFor(() => expect(b.calls.find((c) => c.cmd === "plan_record_outcome")?.args).toEqual({ id: "p1", stopId: "a", outcome: "nobody_home" }));
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
            needs: 5, households: 4, in_other_drafts: 0, depots: [], existing_draft: null,
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
