// The window against a mocked backend: an encrypted operation open with a household selected,
// a place-on-map in progress and the import dialog up; Lock leaves nothing of it behind.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type { HouseholdDetail } from "../bindings/HouseholdDetail";
import type { OperationInfo } from "../bindings/OperationInfo";
import { setLanguage } from "../i18n/index.svelte";
import { AppState } from "./app.svelte";

beforeAll(() => setLanguage("en"));
afterEach(() => clearMocks());

const op: OperationInfo = {
  id: "op", name: "Flood Relief", is_demo: false, demo_date: null, path: "/ops/flood.aidmap", read_only: false, encrypted: true,
  schema_version: 1, households: 1, open_needs: 1, audit_break: null,
};
const detail = {
  household: { id: "hh-1", name: "Ana Secreta", phones: [{ original: "+34 600 111 222", normalized: "+34600111222" }], address: "Calle Oculta 7", lat: 43.7, lon: 7.4, status: "active" },
  needs: [],
} as unknown as HouseholdDetail;

function backend(calls: string[]) {
  mockIPC((cmd) => {
    calls.push(cmd);
    if (cmd === "household_pins") return [{ id: "hh-1", lat: 43.7, lon: 7.4, urgency: "high", open_needs: 1, on_run: 0 }];
    if (cmd === "pending_rows") return [{ id: "row-1", row_number: 2, name: "Bea Oculta", address: "", reason: "", file_name: "people.xlsx" }];
    if (cmd === "site_pins") return [{ id: "s1", name: "Depot", kind: "depot", lat: 43.7, lon: 7.4, low: 0, active: true }];
    if (cmd === "closures") return [];
    if (cmd === "get_household") return detail;
    return null;
  });
}

describe("Lock", () => {
  it("clears the session, the selection and the dialogs", async () => {
    const calls: string[] = [];
    backend(calls);
    const app = new AppState();
    app.operator = "Coordinator";
    await app.show(op);
    await app.select("hh-1");
    app.session!.found = { lat: 43.7, lon: 7.4, label: "Calle Oculta 7" };
    app.session!.planning = true;
    app.placePending({ id: "row-1", row_number: 2, name: "Bea Oculta", address: "", reason: "", file_name: "people.xlsx" });
    app.dialog = { kind: "import", file: "/home/me/people.xlsx" };
    app.addNeedFor = "hh-1";
    expect(app.session?.pins).toHaveLength(1);
    expect(app.selection.kind).toBe("household");
    const version = app.listVersion;

    await app.lockNow();

    expect(calls).toContain("lock_operation");
    expect(app.failure).toBeNull();
    expect(app.session).toBeNull();
    expect(app.selection).toEqual({ kind: "none" });
    expect(app.dialog).toEqual({ kind: "unlock", path: "/ops/flood.aidmap", mode: "locked", error: null, busy: false });
    expect(app.locked).toBe("/ops/flood.aidmap");
    expect(app.readOnly).toBe(false);
    expect(app.listVersion).toBeGreaterThan(version);
    expect(document.title).toBe("Aidmap");
    const left = JSON.stringify({ session: app.session, selection: app.selection, dialog: app.dialog, addNeedFor: app.addNeedFor });
    for (const secret of ["Ana Secreta", "Bea Oculta", "Calle Oculta", "+34", "people.xlsx", "hh-1", "Flood Relief"]) expect(left).not.toContain(secret);
  });

  it("leaves a plain operation open (there is no passphrase to come back with)", async () => {
    const calls: string[] = [];
    backend(calls);
    const app = new AppState();
    app.operator = "Coordinator";
    await app.show({ ...op, encrypted: false });
    await app.select("hh-1");
    await app.lockNow();
    expect(calls).not.toContain("lock_operation");
    expect(app.session?.op.name).toBe("Flood Relief");
    expect(app.selection.kind).toBe("household");
  });

  it("unlocking starts a new session with nothing selected", async () => {
    const calls: string[] = [];
    mockIPC((cmd) => {
      calls.push(cmd);
      if (cmd === "open_operation") return op;
      if (cmd === "household_pins" || cmd === "pending_rows" || cmd === "site_pins" || cmd === "closures") return [];
      return null;
    });
    const app = new AppState();
    app.operator = "Coordinator";
    await app.show(op);
    await app.lockNow();
    await app.tryUnlock("a long passphrase", "Coordinator");
    expect(calls).toContain("open_operation");
    expect(app.locked).toBeNull();
    expect(app.dialog).toEqual({ kind: "none" });
    expect(app.session?.op.path).toBe("/ops/flood.aidmap");
    expect(app.session?.planning).toBe(false);
    expect(app.selection).toEqual({ kind: "none" });
  });
});

describe("the dashboard", () => {
  const area = { key: "place:Port", label: "Port", households: 1, open_needs: 1, critical_needs: 0, visits_7_days: 0, delivered_7_days: 0, outline: [] };

  it("takes the planning board's place, shades its areas while open, and Escape closes it last", async () => {
    backend([]);
    const app = new AppState();
    app.operator = "Coordinator";
    await app.show({ ...op, encrypted: false });
    const s = app.session!;
    app.togglePlanning();
    app.toggleDashboard();
    expect([s.planning, s.dashboard]).toEqual([false, true]);
    app.reportAreas([area]);
    expect(s.reportAreas).toEqual([area]);

    // Escape first closes the household open from the dashboard, then the dashboard.
    await app.select("hh-1");
    app.key(new KeyboardEvent("keydown", { key: "Escape" }));
    expect(app.selection.kind).toBe("none");
    expect(s.dashboard).toBe(true);
    app.key(new KeyboardEvent("keydown", { key: "Escape" }));
    expect(s.dashboard).toBe(false);
    expect(s.reportAreas).toBeNull();

    // A late report after closing draws nothing; opening the board closes the dashboard.
    app.reportAreas([area]);
    expect(s.reportAreas).toBeNull();
    app.toggleDashboard();
    app.togglePlanning();
    expect([s.planning, s.dashboard]).toEqual([true, false]);
  });
});
