// The Hub network dialog against a mocked backend: a laptop waiting to be accepted shows its
// fingerprint before Accept, a conflict shows both values as people read them, an import from
// a folder says what became of each file, and Syncthing's laptops can be added.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import type { HubView } from "../../lib/bindings/HubView";
import type { SyncImport } from "../../lib/bindings/SyncImport";
import { setLanguage } from "../../lib/i18n/index.svelte";
import { polyfillDom } from "../../test/dom";
import HubDialog from "./HubDialog.svelte";

beforeAll(() => {
  setLanguage("en");
  polyfillDom();
});
afterEach(() => {
  cleanup();
  clearMocks();
});

const view = (): HubView => ({
  status: {
    replica: {
      id: "0190aaaa-0000-7000-8000-00000000self", name: "Hub Nord — laptop 1", status: "self", fingerprint: "aaaa-bbbb-cccc-dddd-eeee",
      changes: 12n, pending: 12n, last_contact: null, vouched_by: null,
    },
    peers: [
      {
        id: "0190bbbb-0000-7000-8000-0000000peer2", name: "Hub Sud", status: "held", fingerprint: "1a2b-3c4d-5e6f-7a8b-9c0d",
        changes: 0n, pending: 12n, last_contact: "2026-12-05T14:05:00Z", vouched_by: null,
      },
      {
        id: "0190cccc-0000-7000-8000-0000000peer3", name: "", status: "accepted", fingerprint: "ffff-eeee-dddd-cccc-bbbb",
        changes: 7n, pending: 0n, last_contact: null, vouched_by: null,
      },
    ],
    conflicts: [
      {
        entity: "household", record: "0190dddd-0000-7000-8000-00000house1", label: "Ana Ruiz", field: "address",
        winner: { value: "\"3 Rue Basse\"", replica: "0190cccc-0000-7000-8000-0000000peer3", replica_name: "Hub Est", operator: "Ana", at: "2026-12-05T10:00:00Z" },
        other: { value: "\"5 Rue Haute\"", replica: "0190aaaa-0000-7000-8000-00000000self", replica_name: "", operator: "Bruno", at: "2026-12-05T09:00:00Z" },
      },
    ],
    to_count: [{ site_id: "s1", site: "Depot Nord", item_id: "i1", item: "Water 5 L", quantity: -3 }],
    renamed: [{ item_id: "i9", shown: "Insulin pens (2)", wanted: "Insulin pens" }],
    adjusted_shifts: [
      {
        shift_id: "sh1", volunteer: "Ana Driver",
        starts_at: "2026-12-07T16:00:00.000Z", ends_at: "2026-12-07T17:00:00.000Z",
        merged_starts_at: "2026-12-07T16:00:00.000Z", merged_ends_at: "2026-12-07T15:00:00.000Z",
      },
    ],
  },
  link: null,
  syncthing_installed: true,
  default_folder: "/ops/flood.sync",
});

type Call = { cmd: string; args: Record<string, unknown> };

function backend(state: HubView, more: (cmd: string, args: Record<string, unknown>) => unknown = () => null): Call[] {
  const calls: Call[] = [];
  mockIPC((cmd, payload) => {
    const args = (payload ?? {}) as Record<string, unknown>;
    calls.push({ cmd, args });
    if (cmd === "hub_state") return state;
    return more(cmd, args);
  });
  return calls;
}

describe("hub network dialog", () => {
  it("shows a held laptop's fingerprint and accepts it only after the confirmation", async () => {
    const calls = backend(view());
    render(HubDialog, { onclose: () => {}, ondata: () => {} });
    const held = await screen.findByText("Hub Sud");
    const row = held.closest("tr")!;
    expect(row.dataset.status).toBe("held");
    expect(within(row).getByText("waiting for you to accept")).toBeTruthy();
    expect(within(row).getByText("1a2b-3c4d-5e6f-7a8b-9c0d")).toBeTruthy();
    // The unnamed peer goes by its short id.
    expect(screen.getByText("#000peer3")).toBeTruthy();
    expect(screen.getByTestId("hub-self-changes").textContent).toBe("12 changes made here");

    await fireEvent.click(within(row).getByTestId("hub-accept"));
    const confirm = screen.getByTestId("hub-accept-confirm-dialog");
    expect(within(confirm).getByTestId("hub-accept-fingerprint").textContent).toBe("1a2b-3c4d-5e6f-7a8b-9c0d");
    expect(confirm.textContent).toContain("Compare it with the fingerprint shown on that laptop");
    expect(calls.some((c) => c.cmd === "hub_accept")).toBe(false);

    const before = calls.filter((c) => c.cmd === "hub_state").length;
    await fireEvent.click(screen.getByTestId("hub-accept-confirm"));
    await waitFor(() => expect(calls.find((c) => c.cmd === "hub_accept")?.args).toEqual({ peer: "0190bbbb-0000-7000-8000-0000000peer2" }));
    await waitFor(() => expect(calls.filter((c) => c.cmd === "hub_state").length).toBeGreaterThan(before));
    expect(screen.queryByTestId("hub-accept-confirm-dialog")).toBeNull();
  });

  it("shows both values of a conflict without JSON quotes, and uses the other", async () => {
    const calls = backend(view());
    let reloaded = 0;
    render(HubDialog, { onclose: () => {}, ondata: () => reloaded++ });
    const conflict = await screen.findByTestId("hub-conflict");
    expect(within(conflict).getByTestId("hub-conflict-winner").textContent).toBe("3 Rue Basse");
    expect(within(conflict).getByTestId("hub-conflict-other").textContent).toBe("5 Rue Haute");
    expect(conflict.textContent).toContain("Household Ana Ruiz");
    expect(conflict.textContent).toContain("Address");
    expect(conflict.textContent).toContain("Ana");
    expect(conflict.textContent).toContain("Hub Est");
    // Unnamed replica: its short id.
    expect(conflict.textContent).toContain("#0000self");
    expect(screen.getByTestId("hub-to-count").textContent).toContain("Depot Nord");
    expect(screen.getByTestId("hub-renamed-row").textContent).toBe("“Insulin pens (2)” was added as “Insulin pens”");
    expect(screen.getByTestId("hub-shift-row").textContent).toContain("Ana Driver:");
    expect(screen.getByTestId("hub-shift-row").textContent).toContain("(the changes said");

    await fireEvent.click(within(conflict).getByTestId("hub-use-other"));
    await waitFor(() =>
      expect(calls.find((c) => c.cmd === "hub_resolve")?.args).toEqual({
        entity: "household", record: "0190dddd-0000-7000-8000-00000house1", field: "address", keep: "other",
      }),
    );
    await waitFor(() => expect(reloaded).toBe(1));
  });

  it("says no conflicts and no changes yet on a fresh copy", async () => {
    const v = view();
    v.status = { replica: null, peers: [], conflicts: [], to_count: [], renamed: [], adjusted_shifts: [] };
    backend(v);
    render(HubDialog, { onclose: () => {}, ondata: () => {} });
    expect((await screen.findByTestId("hub-conflicts-empty")).textContent).toBe("No conflicts.");
    expect(screen.getByTestId("hub-self-none").textContent).toBe("This copy has made no changes yet.");
    expect(screen.queryByTestId("hub-to-count")).toBeNull();
    expect(screen.queryByTestId("hub-renamed")).toBeNull();
    expect(screen.queryByTestId("hub-shifts")).toBeNull();
  });

  it("saves this laptop's name with Enter", async () => {
    const calls = backend(view());
    render(HubDialog, { onclose: () => {}, ondata: () => {} });
    const name = (await screen.findByTestId("hub-name")) as HTMLInputElement;
    await waitFor(() => expect(name.value).toBe("Hub Nord — laptop 1"));
    await fireEvent.input(name, { target: { value: "  Hub Nord — laptop 2 " } });
    await fireEvent.submit(name.form!);
    await waitFor(() => expect(calls.find((c) => c.cmd === "hub_set_name")?.args).toEqual({ name: "Hub Nord — laptop 2" }));
  });

  it("imports from a picked folder and tells what became of each file", async () => {
    const report: SyncImport = {
      files: [
        { outcome: "applied", file: "/media/usb/a.bundle", changes: 4n, conflicts: 1n, from: "0190cccc-0000-7000-8000-0000000peer3" },
        { outcome: "held", file: "/media/usb/b.bundle", replica: "r9", name: "Hub Ouest", fingerprint: "9999-8888-7777-6666-5555" },
        { outcome: "refused", file: "/media/usb/c.bundle", reason: "the signature does not match" },
        { outcome: "already_known", file: "/media/usb/d.bundle" },
      ],
      applied: 1n, already_known: 1n, held: 1n, refused: 1n, changes: 4n,
    };
    const calls = backend(view(), (cmd) => {
      if (cmd === "e2e_pick_file") return "/media/usb";
      if (cmd === "hub_import") return report;
      return null;
    });
    let reloaded = 0;
    render(HubDialog, { onclose: () => {}, ondata: () => reloaded++ });
    await fireEvent.click(await screen.findByTestId("hub-accept-new"));
    await fireEvent.click(screen.getByTestId("hub-import"));
    const summary = await screen.findByTestId("hub-import-result");
    expect(calls.find((c) => c.cmd === "hub_import")?.args).toEqual({ folder: "/media/usb", acceptNewPeers: true });
    expect(summary.textContent).toBe("4 changes applied. Files: 1 applied, 1 already known, 1 held, 1 refused.");
    const files = screen.getAllByTestId("hub-import-file");
    expect(files.map((f) => f.dataset.outcome)).toEqual(["applied", "held", "refused", "already_known"]);
    expect(files[0].textContent).toContain("4 changes from #000peer3.");
    expect(files[0].textContent).toContain("1 conflict to review.");
    expect(files[1].textContent).toContain("9999-8888-7777-6666-5555");
    expect(files[2].textContent).toContain("the signature does not match");
    expect(reloaded).toBe(1);
  });

  it("exports into a picked folder", async () => {
    const calls = backend(view(), (cmd) => {
      if (cmd === "e2e_pick_file") return "/media/usb";
      if (cmd === "hub_export") return { files: ["a.bundle", "b.bundle"], changes: 12n };
      return null;
    });
    render(HubDialog, { onclose: () => {}, ondata: () => {} });
    await fireEvent.click(await screen.findByTestId("hub-export"));
    expect((await screen.findByTestId("hub-export-result")).textContent).toBe("12 changes in 2 files written.");
    expect(calls.find((c) => c.cmd === "hub_export")?.args).toEqual({ folder: "/media/usb" });
  });

  it("starts Syncthing LAN only, shows the link and adds a laptop", async () => {
    const v = view();
    const calls = backend(v, (cmd) => {
      if (cmd === "hub_start_syncthing" || cmd === "hub_add_device") {
        v.link = {
          device_id: "MFZWI3D-BONSGYC-ABCDEFG-HIJKLMN-OPQRSTU-VWXYZ23-4567ABC-DEFGHIJ",
          qr_svg: "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1 1\"><rect width=\"1\" height=\"1\"/></svg>",
          folder: "/ops/flood.sync", listen: "tcp://0.0.0.0:22000", relays: false,
          devices: [{ id: "P56IOI7-MZJNU2Y-IQGDREY-DM2MGTI-MGL3BXN-PQ6W5BM-TBBZ4TJ-XZWICQ2", name: "Hub Sud", connected: true }],
        };
        return v.link;
      }
      return null;
    });
    render(HubDialog, { onclose: () => {}, ondata: () => {} });
    await fireEvent.click(await screen.findByTestId("hub-start-syncthing"));
    await waitFor(() => expect(calls.find((c) => c.cmd === "hub_start_syncthing")?.args).toEqual({ relays: false }));
    expect((await screen.findByTestId("hub-device-id")).textContent).toBe("MFZWI3D-BONSGYC-ABCDEFG-HIJKLMN-OPQRSTU-VWXYZ23-4567ABC-DEFGHIJ");
    expect(screen.getByTestId("hub-qr").querySelector("svg")).toBeTruthy();
    expect(screen.getByTestId("hub-device").textContent).toContain("P56IOI7");

    await fireEvent.input(screen.getByTestId("hub-add-id"), { target: { value: " P56IOI7-MZJNU2Y " } });
    await fireEvent.input(screen.getByTestId("hub-add-name"), { target: { value: "Hub Sud" } });
    await fireEvent.click(screen.getByTestId("hub-add-device"));
    await waitFor(() =>
      expect(calls.find((c) => c.cmd === "hub_add_device")?.args).toEqual({ id: "P56IOI7-MZJNU2Y", name: "Hub Sud", address: null }),
    );
  });

  it("says when Syncthing is not installed", async () => {
    backend({ ...view(), syncthing_installed: false });
    render(HubDialog, { onclose: () => {}, ondata: () => {} });
    expect((await screen.findByTestId("hub-syncthing-missing")).textContent).toContain("syncthing package is not installed");
    expect(screen.queryByTestId("hub-start-syncthing")).toBeNull();
  });
});
