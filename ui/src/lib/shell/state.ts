// The window's state in three parts, and the moves between them (pure: unit-tested).
// - `session`: the open operation and all that was loaded from it (session.svelte.ts);
// - `selection`: the one thing open in the side panel: a household, a new household's form, a
//   site or a volunteer, or nothing;
// - `dialog`: the one modal open.
// Lock drops the session, the selection and the dialog together, leaving only the path of the
// locked file (needed to unlock it); opening another operation starts a new session with
// nothing selected.
import type { HouseholdDetail } from "../bindings/HouseholdDetail";
import type { HouseholdInput } from "../bindings/HouseholdInput";
import type { Point, Session } from "./session.svelte";

export type Selection =
  | { kind: "none" }
  | { kind: "household"; detail: HouseholdDetail }
  | { kind: "new-household"; draft: HouseholdInput }
  /** `id` null: the form for a new site, placed at `at`. */
  | { kind: "site"; id: string | null; at: Point }
  /** `id` null: the form for a new volunteer. */
  | { kind: "volunteer"; id: string | null };

export type UnlockMode = "unlock" | "locked" | "restore";

/** Modals opened from the menu, the header or the side list. */
export type MenuDialog = "new-operation" | "settings" | "about" | "audit" | "change-passphrase" | "encrypt" | "duplicates" | "pending" | "hub";

export type Dialog =
  | { kind: "none" }
  | { kind: MenuDialog }
  /** The passphrase of `path`: to open it, to come back to it after a lock, or to restore it
   * (as a backup) to `out`. */
  | { kind: "unlock"; path: string; mode: UnlockMode; error: string | null; busy: boolean; out?: string }
  /** A spreadsheet to import. */
  | { kind: "import"; file: string }
  | { kind: "export"; householdIds?: string[] };

export type Shell = {
  session: Session | null;
  selection: Selection;
  dialog: Dialog;
  /** The path of the operation Lock (or auto-lock) closed; its data is off screen until unlocked. */
  locked: string | null;
};

export const noSelection = (): Selection => ({ kind: "none" });
export const noDialog = (): Dialog => ({ kind: "none" });

export function unlockDialog(path: string, mode: UnlockMode, more: { error?: string | null; out?: string } = {}): Dialog {
  return { kind: "unlock", path, mode, error: more.error ?? null, busy: false, ...(more.out === undefined ? {} : { out: more.out }) };
}

/** Lock: nothing of the operation stays reachable; the passphrase is asked to come back. */
export function lock(shell: Shell): Shell {
  const path = shell.session?.op.path ?? shell.locked;
  if (path === null) return { session: null, selection: noSelection(), dialog: noDialog(), locked: null };
  return { session: null, selection: noSelection(), dialog: unlockDialog(path, "locked"), locked: path };
}

/** Another operation (or the same one again) is open: a new session, nothing selected. An open
 * dialog stays (the unlock or new-operation dialog closes itself once the file is open). */
export function open(shell: Shell, session: Session): Shell {
  return { session, selection: noSelection(), dialog: shell.dialog, locked: null };
}

/** The household selected on the map, or the new household's pin (no id yet). */
export function mapSelection(selection: Selection): { id: string; lat: number; lon: number } | null {
  if (selection.kind === "household") {
    const h = selection.detail.household;
    return { id: h.id, lat: h.lat, lon: h.lon };
  }
  if (selection.kind === "new-household") return { id: "", lat: selection.draft.lat, lon: selection.draft.lon };
  return null;
}

/** What the side lists highlight. */
export function listSelection(selection: Selection): { household: string | null; site: string | null; volunteer: string | null } {
  return {
    household: selection.kind === "household" ? selection.detail.household.id : null,
    site: selection.kind === "site" ? selection.id : null,
    volunteer: selection.kind === "volunteer" ? selection.id : null,
  };
}

/** The dialogs that keep the app's keys (Escape, Enter, the shortcuts) to themselves; the
 * unlock, import and export dialogs never did. */
export function holdsKeys(dialog: Dialog): boolean {
  return dialog.kind !== "none" && dialog.kind !== "unlock" && dialog.kind !== "import" && dialog.kind !== "export";
}

/** What takes the side list's place: the planning board, the dashboard, or neither. */
export type Panes = { planning: boolean; dashboard: boolean };

/** Opens or closes the planning board or the dashboard; opening one closes the other. */
export function togglePane(panes: Panes, which: keyof Panes): Panes {
  const open = !panes[which];
  return { planning: which === "planning" && open, dashboard: which === "dashboard" && open };
}
