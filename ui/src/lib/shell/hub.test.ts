// The window and the Hub network: the menu item opens the dialog for a writable operation;
// changes that arrive through Syncthing are told ("12 changes from Hub Nord") and shown (pins,
// lists and the open household reload); a failing background exchange is told once, not every
// second.
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type { HouseholdDetail } from "../bindings/HouseholdDetail";
import type { OperationInfo } from "../bindings/OperationInfo";
import type { SyncImport } from "../bindings/SyncImport";
import { setLanguage } from "../i18n/index.svelte";
import { AppState } from "./app.svelte";

const toasts = vi.hoisted(() => [] as { text: string; action?: { label: string; run: () => void } }[]);
vi.mock("../../components/Toasts.svelte", () => ({
  toast: (text: string, action?: { label: string; run: () => void }) => toasts.push({ text, action }),
}));

beforeAll(() => setLanguage("en"));
beforeEach(() => (toasts.length = 0));
afterEach(() => clearMocks());

const op: OperationInfo = {
  id: "op", name: "Flood Relief", is_demo: false, demo_date: null, path: "/ops/flood.aidmap", read_only: false, encrypted: false,
  schema_version: 1, households: 1, open_needs: 1, audit_break: null,
};
const detail = {
  household: { id: "hh-1", name: "Ana", phones: [], address: "3 Rue Basse", lat: 43.7, lon: 7.4, status: "active" },
  needs: [],
} as unknown as HouseholdDetail;

function backend(calls: string[]) {
  mockIPC((cmd) => {
    calls.push(cmd);
    if (cmd === "household_pins" || cmd === "pending_rows" || cmd === "site_pins" || cmd === "closures") return [];
    if (cmd === "get_household") return detail;
    return null;
  });
}

const report = (changes: number, held = 0, refused = 0): SyncImport => ({
  files: [], applied: 1n, already_known: 0n, held: BigInt(held), refused: BigInt(refused), changes: BigInt(changes),
});

describe("hub network in the window", () => {
  it("opens from the File menu, not for a read-only operation", async () => {
    backend([]);
    const app = new AppState();
    app.operator = "Coordinator";
    await app.show({ ...op, read_only: true });
    app.menu("hub-network");
    expect(app.dialog.kind).toBe("none");
    await app.show(op);
    app.menu("hub-network");
    expect(app.dialog.kind).toBe("hub");
  });

  it("tells what arrived and reloads what the window shows", async () => {
    const calls: string[] = [];
    backend(calls);
    const app = new AppState();
    app.operator = "Coordinator";
    await app.show(op);
    await app.select("hh-1");
    const version = app.listVersion;
    calls.length = 0;

    await app.hubChanges({ report: report(12), from: ["Hub Nord", "Hub Sud"] });
    expect(toasts.map((t) => t.text)).toEqual(["12 changes from Hub Nord, Hub Sud"]);
    expect(calls).toEqual(expect.arrayContaining(["household_pins", "site_pins", "closures", "get_household"]));
    expect(app.listVersion).toBeGreaterThan(version);

    await app.hubChanges({ report: report(1, 1), from: ["Hub Nord"] });
    expect(toasts[1].text).toBe("1 change from Hub Nord — a new laptop waits to be accepted (File › Hub network…)");
    toasts[1].action?.run();
    expect(app.dialog.kind).toBe("hub");
  });

  it("reloads nothing when no change was applied", async () => {
    const calls: string[] = [];
    backend(calls);
    const app = new AppState();
    app.operator = "Coordinator";
    await app.show(op);
    calls.length = 0;
    await app.hubChanges({ report: report(0), from: [] });
    expect(toasts).toEqual([]);
    expect(calls).toEqual([]);
  });

  it("tells a failing background exchange once, not every second", () => {
    const app = new AppState();
    const failure = { code: "syncthing" as const, message: "connection refused", fields: [] };
    app.hubError(failure);
    app.hubError(failure);
    expect(toasts.map((t) => t.text)).toEqual([
      "Syncthing, which carries changes between laptops, could not be used: connection refused",
    ]);
    app.hubError({ code: "io", message: "no space left", fields: [] });
    expect(toasts.map((t) => t.text)[1]).toBe("Exchanging changes with the other laptops failed: The file could not be read or written: no space left");
  });
});
