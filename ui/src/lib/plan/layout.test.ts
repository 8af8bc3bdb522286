import { describe, expect, it } from "vitest";
import type { PlanLayout } from "../bindings/PlanLayout";
import {
  History, addBack, dropIndex, findStop, layoutOf, moveStop, removeStop, removedStops, sameLayout, setRunLock, setStopLock,
  shiftStop,
} from "./layout";
import { view } from "./fixture";

const order = (l: PlanLayout) => l.runs.map((r) => r.stops.map((s) => s.stop_id).join(""));

describe("plan layout", () => {
  it("reads the layout of a view, with the stops removed by hand", () => {
    const v = view();
    expect(layoutOf(v)).toEqual({
      runs: [
        { run_id: "r1", locked: false, stops: [{ stop_id: "a", locked: false }, { stop_id: "b", locked: true }] },
        { run_id: "r2", locked: true, stops: [{ stop_id: "c", locked: false }] },
      ],
      // d was removed by hand; e was left out when planning (it stays where it is).
      removed: ["d"],
    });
    // Two needs of one removed stop: the stop once.
    v.unserved.push({ ...v.unserved[0], need_id: "n-d2" });
    expect(removedStops(v)).toEqual(["d"]);
  });

  it("moves a stop within its run and to another run, at the position given", () => {
    const l = layoutOf(view());
    expect(order(moveStop(l, "a", "r1", 1))).toEqual(["ba", "c"]);
    expect(order(moveStop(l, "a", "r2", 0))).toEqual(["b", "ac"]);
    expect(order(moveStop(l, "a", "r2", Infinity))).toEqual(["b", "ca"]);
    expect(order(moveStop(l, "c", "r1", -5))).toEqual(["cab", ""]);
    // The lock travels with the stop; the original is untouched.
    expect(moveStop(l, "b", "r2", 0).runs[1].stops[0]).toEqual({ stop_id: "b", locked: true });
    expect(order(l)).toEqual(["ab", "c"]);
    // Unknown stop or run: nothing changes.
    expect(moveStop(l, "zz", "r1", 0)).toBe(l);
    expect(moveStop(l, "a", "r9", 0)).toBe(l);
  });

  it("moves up and down, not past either end", () => {
    const l = layoutOf(view());
    expect(order(shiftStop(l, "b", -1))).toEqual(["ba", "c"]);
    expect(order(shiftStop(l, "a", 1))).toEqual(["ba", "c"]);
    expect(shiftStop(l, "a", -1)).toBe(l);
    expect(shiftStop(l, "b", 1)).toBe(l);
    expect(findStop(l, "c")).toEqual({ runId: "r2", index: 0 });
    expect(findStop(l, "zz")).toBeNull();
  });

  it("finds the drop position without the dragged stop", () => {
    const l = moveStop(layoutOf(view()), "c", "r1", Infinity); // r1: a b c
    expect(dropIndex(l, "a", "r1", "c")).toBe(1); // a dropped before c: b a c
    expect(order(moveStop(l, "a", "r1", dropIndex(l, "a", "r1", "c")))).toEqual(["bac", ""]);
    expect(dropIndex(l, "c", "r1", "a")).toBe(0);
    expect(dropIndex(l, "a", "r1", null)).toBe(2);
    expect(dropIndex(l, "a", "r2", null)).toBe(0);
    expect(dropIndex(l, "b", "r1", "b")).toBe(1);
  });

  it("locks stops and runs", () => {
    const l = layoutOf(view());
    expect(setStopLock(l, "a", true).runs[0].stops[0].locked).toBe(true);
    expect(setStopLock(l, "b", false).runs[0].stops[1].locked).toBe(false);
    expect(setRunLock(l, "r1", true).runs[0].locked).toBe(true);
    expect(setRunLock(l, "r2", false).runs[1].locked).toBe(false);
    expect(l.runs[0].stops[0].locked).toBe(false);
  });

  it("removes a stop and adds it back at the end of a run", () => {
    const l = layoutOf(view());
    const removed = removeStop(l, "a");
    expect(order(removed)).toEqual(["b", "c"]);
    expect(removed.removed).toEqual(["d", "a"]);
    expect(removeStop(removed, "a")).toBe(removed);
    const back = addBack(removed, "a", "r2");
    expect(order(back)).toEqual(["b", "ca"]);
    expect(back.removed).toEqual(["d"]);
    // A stop left out when planning (in neither list) can be put on a run too.
    expect(order(addBack(l, "e", "r1"))).toEqual(["abe", "c"]);
    // A stop already on a run, or an unknown run, changes nothing.
    expect(addBack(l, "b", "r2")).toBe(l);
    expect(addBack(removed, "a", "r9")).toBe(removed);
    // Moving a removed stop onto a run also takes it off the removed list.
    expect(moveStop(removed, "a", "r1", 0).removed).toEqual(["d"]);
    expect(sameLayout(back, l)).toBe(false);
    expect(sameLayout(addBack(removed, "a", "r1"), moveStop(l, "a", "r1", Infinity))).toBe(true);
  });

  it("undoes and redoes layouts", () => {
    const h = new History<PlanLayout>();
    const a = layoutOf(view());
    const b = removeStop(a, "a");
    const c = shiftStop(b, "b", 1);
    expect(h.canUndo).toBe(false);
    expect(h.undo(a)).toBeUndefined();
    h.record(a); // a → b
    h.record(b); // b → c
    expect(h.peekUndo()).toEqual(b);
    expect(h.undo(c)).toEqual(b);
    expect(h.undo(b)).toEqual(a);
    expect(h.canUndo).toBe(false);
    expect(h.canRedo).toBe(true);
    expect(h.peekRedo()).toEqual(b);
    expect(h.redo(a)).toEqual(b);
    expect(h.redo(b)).toEqual(c);
    expect(h.redo(c)).toBeUndefined();
    // A new change after an undo forgets what could be redone.
    h.undo(c);
    h.record(b);
    expect(h.canRedo).toBe(false);
    // Snapshots: changing the original afterwards does not change history.
    a.removed.push("x");
    h.clear();
    expect(h.canUndo || h.canRedo).toBe(false);
    const small = new History<number>(2);
    [1, 2, 3].forEach((n) => small.record(n));
    expect([small.undo(4), small.undo(3), small.undo(2)]).toEqual([3, 2, undefined]);
  });
});
