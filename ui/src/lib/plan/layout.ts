// The hand-edited arrangement of a plan (which stops each run visits, in which order, what is
// locked, what was taken off), as pure functions over `PlanLayout`, and the undo/redo history
// of layouts. The board sends every new layout to the backend, which re-checks it. Functions
// return the layout they were given when they change nothing.
import type { PlanLayout } from "../bindings/PlanLayout";
import type { PlanView } from "../bindings/PlanView";
import type { StopLayout } from "../bindings/StopLayout";

/** Stops of the view taken off every run by hand (their needs show as unserved, `removed`). */
export function removedStops(view: PlanView): string[] {
  const out: string[] = [];
  for (const u of view.unserved) if (u.reason === "removed" && u.stop_id && !out.includes(u.stop_id)) out.push(u.stop_id);
  return out;
}

/** The layout a view shows now. Stops left out when planning are in neither list: the backend
 * leaves stops a layout does not mention where they are. */
export function layoutOf(view: PlanView): PlanLayout {
  return {
    runs: view.runs.map((r) => ({ run_id: r.id, locked: r.locked, stops: r.stops.map((s) => ({ stop_id: s.id, locked: s.locked })) })),
    removed: removedStops(view),
  };
}

function copy(layout: PlanLayout): PlanLayout {
  return { runs: layout.runs.map((r) => ({ ...r, stops: r.stops.map((s) => ({ ...s })) })), removed: [...layout.removed] };
}

/** Takes a stop out of its run (or out of the removed list) in `layout`, in place. */
function take(layout: PlanLayout, stopId: string): StopLayout | null {
  for (const run of layout.runs) {
    const i = run.stops.findIndex((s) => s.stop_id === stopId);
    if (i >= 0) return run.stops.splice(i, 1)[0];
  }
  const r = layout.removed.indexOf(stopId);
  if (r >= 0) {
    layout.removed.splice(r, 1);
    return { stop_id: stopId, locked: false };
  }
  return null;
}

/** Where a stop is: its run and position, or null (removed or unknown). */
export function findStop(layout: PlanLayout, stopId: string): { runId: string; index: number } | null {
  for (const run of layout.runs) {
    const index = run.stops.findIndex((s) => s.stop_id === stopId);
    if (index >= 0) return { runId: run.run_id, index };
  }
  return null;
}

/** Moves a stop to `index` of run `toRunId` (the position it ends up at, clamped; Infinity: the
 * end). A removed stop moved onto a run is no longer removed. Unknown ids change nothing. */
export function moveStop(layout: PlanLayout, stopId: string, toRunId: string, index: number): PlanLayout {
  const next = copy(layout);
  const run = next.runs.find((r) => r.run_id === toRunId);
  if (!run) return layout;
  const stop = take(next, stopId);
  if (!stop) return layout;
  run.stops.splice(Math.max(0, Math.min(index, run.stops.length)), 0, stop);
  return next;
}

/** One place earlier (-1) or later (+1) on its own run. */
export function shiftStop(layout: PlanLayout, stopId: string, delta: number): PlanLayout {
  const at = findStop(layout, stopId);
  if (!at) return layout;
  const length = layout.runs.find((r) => r.run_id === at.runId)!.stops.length;
  const index = at.index + delta;
  if (index < 0 || index >= length) return layout;
  return moveStop(layout, stopId, at.runId, index);
}

/** The index a dragged stop gets when dropped on run `runId` before the stop `beforeId`
 * (null: at the end), counted without the dragged stop; "before itself" leaves it in place. */
export function dropIndex(layout: PlanLayout, stopId: string, runId: string, beforeId: string | null): number {
  const all = layout.runs.find((r) => r.run_id === runId)?.stops ?? [];
  if (beforeId === stopId) {
    const own = all.findIndex((s) => s.stop_id === stopId);
    if (own >= 0) return own;
  }
  const stops = all.filter((s) => s.stop_id !== stopId);
  if (beforeId === null) return stops.length;
  const i = stops.findIndex((s) => s.stop_id === beforeId);
  return i < 0 ? stops.length : i;
}

export function setStopLock(layout: PlanLayout, stopId: string, locked: boolean): PlanLayout {
  const next = copy(layout);
  for (const run of next.runs) for (const s of run.stops) if (s.stop_id === stopId) s.locked = locked;
  return next;
}

export function setRunLock(layout: PlanLayout, runId: string, locked: boolean): PlanLayout {
  const next = copy(layout);
  for (const run of next.runs) if (run.run_id === runId) run.locked = locked;
  return next;
}

/** Takes a stop off every run: its needs show as unserved (`removed`). */
export function removeStop(layout: PlanLayout, stopId: string): PlanLayout {
  if (layout.removed.includes(stopId)) return layout;
  const next = copy(layout);
  const stop = take(next, stopId);
  if (!stop) return layout;
  next.removed.push(stopId);
  return next;
}

/** Puts a stop that is on no run (removed by hand, or left out when planning) at the end of
 * run `runId`. A stop already on a run stays where it is. */
export function addBack(layout: PlanLayout, stopId: string, runId: string): PlanLayout {
  if (findStop(layout, stopId)) return layout;
  const next = copy(layout);
  const run = next.runs.find((r) => r.run_id === runId);
  if (!run) return layout;
  next.removed = next.removed.filter((s) => s !== stopId);
  run.stops.push({ stop_id: stopId, locked: false });
  return next;
}

export function sameLayout(a: PlanLayout, b: PlanLayout): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

const snapshot = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

/** Undo and redo over snapshots: `record` the state before each change; `undo(current)` gives
 * the state to go back to and keeps `current` for redo. */
export class History<T> {
  // (JSON snapshots: layouts are plain data, and a Svelte state proxy cannot be structured-cloned.)
  private past: T[] = [];
  private future: T[] = [];
  constructor(private readonly limit = 100) {}

  get canUndo(): boolean {
    return this.past.length > 0;
  }
  get canRedo(): boolean {
    return this.future.length > 0;
  }
  /** What undo would go back to, without moving. */
  peekUndo(): T | undefined {
    return this.past[this.past.length - 1];
  }
  peekRedo(): T | undefined {
    return this.future[this.future.length - 1];
  }
  record(before: T): void {
    this.past.push(snapshot(before));
    if (this.past.length > this.limit) this.past.shift();
    this.future = [];
  }
  undo(current: T): T | undefined {
    const prev = this.past.pop();
    if (prev !== undefined) this.future.push(snapshot(current));
    return prev;
  }
  redo(current: T): T | undefined {
    const next = this.future.pop();
    if (next !== undefined) this.past.push(snapshot(current));
    return next;
  }
  clear(): void {
    this.past = [];
    this.future = [];
  }
}
