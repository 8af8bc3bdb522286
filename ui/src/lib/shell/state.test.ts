// Lock and a switch of operation: nothing of the operation that was open stays reachable from
// the window's state (no session, nothing selected, no dialog holding its data).
import { describe, expect, it } from "vitest";
import type { HouseholdDetail } from "../bindings/HouseholdDetail";
import type { OperationInfo } from "../bindings/OperationInfo";
import { emptyHousehold } from "../forms";
import { Session } from "./session.svelte";
import { holdsKeys, listSelection, lock, mapSelection, open, togglePane, type Dialog, type Selection, type Shell } from "./state";

const info = (path: string, name: string): OperationInfo => ({
  id: `id-${name}`, name, is_demo: false, demo_date: null, path, read_only: false, encrypted: true,
  schema_version: 1, households: 1, open_needs: 1, audit_break: null,
});

// Personal details that must never survive a lock.
const SECRETS = ["Ana Secreta", "+34 600 111 222", "Calle Oculta 7", "insulin in the fridge", "Flood Relief", "/home/me/people.xlsx", "hh-1"];

const detail = {
  household: {
    id: "hh-1", name: "Ana Secreta", phones: [{ original: "+34 600 111 222", normalized: "+34600111222" }],
    address: "Calle Oculta 7", lat: 43.7, lon: 7.4, status: "active", notes: "insulin in the fridge",
  },
  needs: [],
} as unknown as HouseholdDetail;

/** An operation open with everything loaded, a household selected and the import dialog open. */
function busyShell(selection: Selection, dialog: Dialog): Shell {
  const session = new Session(info("/ops/flood.aidmap", "Flood Relief"), { planning: true });
  session.pins = [{ id: "hh-1", lat: 43.7, lon: 7.4, urgency: "high", open_needs: 1, on_run: 0 }];
  session.sitePins = [{ id: "s1", name: "Depot", kind: "depot", lat: 43.7, lon: 7.4, low: 0, active: true } as never];
  session.found = { lat: 43.7, lon: 7.4, label: "Calle Oculta 7" };
  session.placing = { pending: { id: "row-1", name: "Ana Secreta" } };
  session.setDrawing("area", true);
  session.planMap = { type: "FeatureCollection", features: [] };
  return { session, selection, dialog, locked: null };
}

/** Everything reachable from the state, as text (the session is a class: its fields are read). */
function reachable(shell: Shell): string {
  const s = shell.session;
  const session = s && { op: s.op, pins: s.pins, sites: s.sitePins, found: s.found, placing: s.placing, drawing: s.drawing, plan: s.planMap };
  return JSON.stringify({ ...shell, session });
}

describe("lock", () => {
  const cases: [string, Selection, Dialog][] = [
    ["a household and the import dialog", { kind: "household", detail }, { kind: "import", file: "/home/me/people.xlsx" }],
    ["a new household's form and the export dialog", { kind: "new-household", draft: { ...emptyHousehold(43.7, 7.4), name: "Ana Secreta", notes: "insulin in the fridge" } }, { kind: "export" }],
    ["a site and the settings", { kind: "site", id: "s1", at: { lat: 43.7, lon: 7.4 } }, { kind: "settings" }],
    ["a volunteer and the pending rows", { kind: "volunteer", id: "v1" }, { kind: "pending" }],
  ];
  for (const [what, selection, dialog] of cases) {
    it(`clears the session, ${what}`, () => {
      const before = busyShell(selection, dialog);
      expect(reachable(before)).toContain("Ana Secreta");
      const after = lock(before);
      expect(after.session).toBeNull();
      expect(after.selection).toEqual({ kind: "none" });
      // Only the way back in: the passphrase dialog for the locked file.
      expect(after.dialog).toEqual({ kind: "unlock", path: "/ops/flood.aidmap", mode: "locked", error: null, busy: false });
      expect(after.locked).toBe("/ops/flood.aidmap");
      const left = reachable(after);
      for (const secret of SECRETS) expect(left).not.toContain(secret);
      expect(mapSelection(after.selection)).toBeNull();
      expect(listSelection(after.selection)).toEqual({ household: null, site: null, volunteer: null });
    });
  }

  it("does not change the state it was given", () => {
    const before = busyShell({ kind: "household", detail }, { kind: "none" });
    lock(before);
    expect(before.session?.op.name).toBe("Flood Relief");
    expect(before.selection.kind).toBe("household");
  });
});

describe("switching operation", () => {
  it("starts a new session with nothing selected and none of the old one's data", () => {
    const before = busyShell({ kind: "household", detail }, { kind: "none" });
    const next = new Session(info("/ops/other.aidmap", "Other"));
    const after = open({ ...before, locked: "/ops/flood.aidmap" }, next);
    expect(after.session).toBe(next);
    expect(after.selection).toEqual({ kind: "none" });
    expect(after.locked).toBeNull();
    expect(next.pins).toEqual([]);
    expect(next.found).toBeNull();
    expect(next.placing).toBeNull();
    expect(next.drawing).toBeNull();
    expect(next.planMap).toBeNull();
    const left = reachable(after);
    for (const secret of SECRETS) expect(left).not.toContain(secret);
  });
});

describe("selection", () => {
  it("puts the selected household, or a new household's pin, on the map", () => {
    expect(mapSelection({ kind: "household", detail })).toEqual({ id: "hh-1", lat: 43.7, lon: 7.4 });
    expect(mapSelection({ kind: "new-household", draft: emptyHousehold(1, 2) })).toEqual({ id: "", lat: 1, lon: 2 });
    expect(mapSelection({ kind: "site", id: "s1", at: { lat: 1, lon: 2 } })).toBeNull();
    expect(listSelection({ kind: "site", id: "s1", at: { lat: 1, lon: 2 } })).toEqual({ household: null, site: "s1", volunteer: null });
    expect(listSelection({ kind: "volunteer", id: "v1" })).toEqual({ household: null, site: null, volunteer: "v1" });
  });

  it("leaves the keys to the app under the unlock, import and export dialogs only", () => {
    expect(holdsKeys({ kind: "none" })).toBe(false);
    expect(holdsKeys({ kind: "settings" })).toBe(true);
    expect(holdsKeys({ kind: "import", file: "x.csv" })).toBe(false);
    expect(holdsKeys({ kind: "unlock", path: "p", mode: "unlock", error: null, busy: false })).toBe(false);
  });
});

describe("the side list's place", () => {
  it("holds the planning board or the dashboard, never both", () => {
    const closed = { planning: false, dashboard: false };
    expect(togglePane(closed, "dashboard")).toEqual({ planning: false, dashboard: true });
    expect(togglePane(closed, "planning")).toEqual({ planning: true, dashboard: false });
    // Opening one closes the other; toggling the open one closes it.
    expect(togglePane({ planning: true, dashboard: false }, "dashboard")).toEqual({ planning: false, dashboard: true });
    expect(togglePane({ planning: false, dashboard: true }, "planning")).toEqual({ planning: true, dashboard: false });
    expect(togglePane({ planning: false, dashboard: true }, "dashboard")).toEqual(closed);
    expect(togglePane({ planning: true, dashboard: false }, "planning")).toEqual(closed);
  });

  it("starts a session with the dashboard open only when the planning board is not", () => {
    expect(new Session(info("/ops/a.aidmap", "A"), { dashboard: true }).dashboard).toBe(true);
    expect(new Session(info("/ops/a.aidmap", "A"), { planning: true, dashboard: true }).dashboard).toBe(false);
    expect(new Session(info("/ops/a.aidmap", "A")).dashboard).toBe(false);
  });
});
