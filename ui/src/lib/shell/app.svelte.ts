// What the main window does: open, create, restore, back up and lock operations, select
// households, sites and volunteers, place and draw on the map, and the keyboard shortcuts. Its
// state is the `session`, the `selection` and the `dialog` (state.ts) plus the window's own
// settings; App.svelte draws it. Lock drops the session, the selection and the dialog at once.
import { tick, untrack } from "svelte";
import type { FeatureCollection } from "geojson";
import { api, ApiError } from "../api";
import type { ErrorReport } from "../bindings/ErrorReport";
import type { HouseholdDetail } from "../bindings/HouseholdDetail";
import type { HubChanges } from "../bindings/HubChanges";
import type { OperationInfo } from "../bindings/OperationInfo";
import type { RegionInfo } from "../bindings/RegionInfo";
import type { AreaFigures } from "../bindings/AreaFigures";
import type { Closure } from "../bindings/Closure";
import type { PendingRow } from "../bindings/PendingRow";
import { emptyHousehold, errorText } from "../forms";
import { formatDateTime } from "../datetime";
import { t } from "../i18n/index.svelte";
import { regionBounds } from "../map/layers";
import type { MapFocus } from "../map/plan";
import { lastOperator, rememberOperator } from "../operator";
import { toast } from "../../components/Toasts.svelte";
import type { SideView } from "../../components/supplies/types";
import { baseName, operationTarget, pickFile, pickOperation, today } from "./files";
import { inFormOrDialog, onControl, typing } from "./keys";
import { Session, type Point } from "./session.svelte";
import { holdsKeys, lock, noDialog, noSelection, open, togglePane, unlockDialog, type Dialog, type Selection, type Panes, type Shell } from "./state";

/** What the window asks of the map component (MapView.svelte). */
export type MapHandle = {
  center(): Point;
  flyTo(lat: number, lon: number, minZoom?: number): void;
  focus(f: MapFocus): void;
  finishDrawing(): void;
  resize(): void;
};

export class AppState {
  session = $state<Session | null>(null);
  selection = $state<Selection>(noSelection());
  dialog = $state<Dialog>(noDialog());
  /** The path of the operation Lock (or auto-lock) closed; its data is off screen until unlocked. */
  locked = $state<string | null>(null);

  // The window's own state, kept from one operation to the next (none of it an operation's data).
  operator = $state(lastOperator() || "");
  failure = $state<string | null>(null);
  busyText = $state<string | null>(null);
  loading = $state(true);
  sideView = $state<SideView>("households");
  /** Bumped after every change the side lists show (and on open and lock): they reload. */
  listVersion = $state(0);
  /** The OSM extract being imported into the region pack (a job that outlives a lock). */
  regionImport = $state<string | null>(null);
  /** The household whose need form should open (just saved; the `A` shortcut). */
  addNeedFor = $state<string | null>(null);

  /** The components the window drives (bound by App.svelte and MapArea.svelte). */
  map = $state<MapHandle | undefined>();
  board = $state<{ setArea(g: { type: string; coordinates: unknown }): void; selectStop(id: string): void; setHouseholds(ids: string[]): void } | undefined>();
  panel = $state<{ focusName(): void } | undefined>();
  sidebar = $state<{ focusSearch(): void } | undefined>();

  readOnly = $derived(this.session?.readOnly ?? false);

  private shell(): Shell {
    return { session: this.session, selection: this.selection, dialog: this.dialog, locked: this.locked };
  }

  private apply(next: Shell) {
    this.session = next.session;
    this.selection = next.selection;
    this.dialog = next.dialog;
    this.locked = next.locked;
  }

  private async attempt(action: () => Promise<unknown>) {
    try {
      await action();
    } catch (e) {
      this.failure = errorText(e);
    }
  }

  /** Shows `text` while `action` runs; its error goes to the error message. */
  private async whileBusy(text: string, action: () => Promise<unknown>) {
    this.busyText = text;
    await this.attempt(action).finally(() => (this.busyText = null));
  }

  /** The operation the app opened at start, and the passphrase of the one it reopens. */
  start = async () => {
    await this.attempt(async () => {
      const start = await api.startup();
      const needsUnlock = start.reopen_error?.code === "passphrase_required" && !!start.reopen_path;
      // The unlock dialog asks who is working: no second question before it.
      await this.show(start.operation, !needsUnlock);
      if (needsUnlock && start.reopen_path) {
        this.dialog = unlockDialog(start.reopen_path, "unlock");
      } else if (start.reopen_error) {
        this.failure = `${t("error.reopen")} ${errorText(new ApiError(start.reopen_error))}`;
      }
    }).finally(() => (this.loading = false));
  };

  /** A new session for an opened operation: nothing selected, its data loaded. */
  show = async (info: OperationInfo, askName = true) => {
    const previous = this.session;
    // The planning board stays open from one operation to the next (it starts again for a new one).
    const s = new Session(info, { planning: previous?.planning, dashboard: previous?.dashboard, askOperator: askName && !info.encrypted && !this.operator });
    if (previous?.op.path === info.path) s.planMap = previous.planMap;
    this.apply(open(this.shell(), s));
    // The audit log's hash chain breaks: it was changed outside Aidmap from that entry on.
    if (info.audit_break) {
      this.failure = t("audit.broken", { seq: info.audit_break.seq, at: formatDateTime(info.audit_break.at) });
    }
    if (this.operator) await api.setOperator(this.operator).catch(() => {});
    document.title = `${info.name} — ${info.path} — Aidmap`;
    await s.loadHouseholds();
    await s.loadSites();
    this.listVersion++;
    this.loading = false;
    const damaged = await s.loadRegion();
    if (damaged) toast(errorText(damaged));
    await s.loadClosures();
    // Without basemap tiles the demo draws its street outline instead (large, only decoration:
    // households first, the streets when ready).
    if (info.is_demo && !s.region?.tiles) api.demoArea().then((a) => (s.area = a)).catch(() => {});
  };

  /** Closes the operation in the backend (its key is wiped) and drops the session, the
   * selection and every dialog: nothing personal stays on screen or here. The passphrase is
   * needed to come back. */
  lockNow = async () => {
    if (!this.session?.op.encrypted) return;
    await this.attempt(async () => {
      await api.lockOperation();
      this.apply(lock(this.shell()));
      this.addNeedFor = null;
      this.listVersion++;
      document.title = "Aidmap";
    });
  };

  setOperator = (name: string) => {
    this.operator = name;
    rememberOperator(name);
    if (this.session) api.setOperator(name).catch((e) => (this.failure = errorText(e)));
  };

  /** The who-is-working question answered. */
  chooseOperator = (name: string) => {
    this.setOperator(name);
    if (this.session) this.session.askOperator = false;
  };

  menu = (action: string, path: string | null = null) => {
    const op = this.session?.op;
    if (action === "new") this.dialog = { kind: "new-operation" };
    else if (action === "open") this.openFile();
    else if (action === "open-recent" && path) this.openPath(path);
    else if (action === "demo") this.attempt(async () => this.show(await api.openDemo()));
    else if (action === "settings") this.dialog = { kind: "settings" };
    else if (action === "about") this.dialog = { kind: "about" };
    else if (action === "backup") this.backupNow();
    else if (action === "hub-network" && op && !op.read_only) this.dialog = { kind: "hub" };
    else if (action === "restore") this.restoreFrom();
    else if (action === "audit" && op) this.dialog = { kind: "audit" };
    else if (action === "change-passphrase" && op?.encrypted) this.dialog = { kind: "change-passphrase" };
    else if (action === "encrypt" && op && !op.encrypted) this.dialog = { kind: "encrypt" };
    else if (action === "lock") this.lockNow();
    else if (action === "import-region") this.chooseExtract();
    else if (action === "use-basemap") this.chooseBasemap();
    else if (action === "import") this.chooseImport();
    else if (action === "export" && op) this.dialog = { kind: "export" };
  };

  private async openFile() {
    const path = await pickOperation();
    if (path) await this.openPath(path);
  }

  /** Opens a file; an encrypted one first asks for its passphrase. */
  private async openPath(path: string) {
    try {
      await this.show(await api.openOperation(path));
    } catch (e) {
      if (e instanceof ApiError && e.code === "passphrase_required") this.dialog = unlockDialog(path, "unlock");
      else this.failure = errorText(e);
    }
  }

  tryUnlock = async (passphrase: string, name: string) => {
    if (this.dialog.kind !== "unlock") return;
    const { path, mode, out } = this.dialog;
    this.operator = name;
    rememberOperator(name);
    if (mode === "restore" && out) return this.restore(path, out, passphrase);
    this.dialog.busy = true;
    try {
      await this.show(await api.openOperation(path, passphrase));
      this.dialog = noDialog();
    } catch (e) {
      if (e instanceof ApiError && e.code === "wrong_passphrase") this.dialog = unlockDialog(path, mode, { error: errorText(e) });
      else {
        this.dialog = noDialog();
        this.failure = errorText(e);
      }
    }
  };

  /** Cancel in the unlock dialog: a locked operation stays locked (the user can open another). */
  cancelUnlock = () => {
    this.dialog = noDialog();
    const s = this.session;
    if (s && !s.op.encrypted && !this.operator && !this.locked) s.askOperator = true;
  };

  /** Unlock on the locked screen. */
  askUnlock = () => {
    if (this.locked) this.dialog = unlockDialog(this.locked, "locked");
  };

  createOperation = async (name: string, passphrase: string | null, who: string) => {
    this.operator = who;
    rememberOperator(who);
    const file = await operationTarget(`${name}.aidmap`);
    if (!file) return;
    await this.attempt(async () => {
      await this.show(await api.newOperation(file, name, passphrase));
      this.dialog = noDialog();
    });
  };

  private async backupNow() {
    if (!this.session) return;
    const file = await operationTarget(`${this.session.op.name}-backup-${today()}.aidmap`);
    if (!file) return;
    await this.whileBusy(t("backup.busy"), async () => {
      await api.backupOperation(file);
      toast(t("backup.done", { file: baseName(file) }));
    });
  }

  private async restoreFrom() {
    const backup = await pickOperation(t("backup.pick"));
    if (!backup) return;
    const out = await operationTarget(baseName(backup).replace(/\.aidmap$/, "") + "-restored.aidmap", t("backup.restore_target"));
    if (out) await this.restore(backup, out, null);
  }

  private async restore(backup: string, out: string, passphrase: string | null) {
    this.busyText = t("backup.restore_busy");
    try {
      await this.show(await api.restoreBackup(backup, out, passphrase, this.operator || lastOperator() || "unnamed operator"));
      if (this.dialog.kind === "unlock") this.dialog = noDialog();
      toast(t("backup.restored", { file: baseName(out) }));
    } catch (e) {
      if (e instanceof ApiError && (e.code === "passphrase_required" || e.code === "wrong_passphrase")) {
        this.dialog = unlockDialog(backup, "restore", { out, error: e.code === "wrong_passphrase" ? errorText(e) : null });
      } else {
        if (this.dialog.kind === "unlock") this.dialog = noDialog();
        this.failure = errorText(e);
      }
    } finally {
      this.busyText = null;
    }
  }

  chooseExtract = async () => {
    if (!this.session || this.readOnly) return;
    const file = await pickFile(t("dialog.extract_filter"), "pbf");
    if (typeof file === "string") this.regionImport = file;
  };

  chooseBasemap = async () => {
    const s = this.session;
    if (!s || this.readOnly) return;
    const file = await pickFile(t("dialog.basemap_filter"), "pmtiles");
    if (typeof file !== "string") return;
    await this.whileBusy(t("region.basemap_busy"), async () => {
      s.region = await api.useBasemap(file);
      toast(t("region.basemap_done", { file: baseName(file) }));
    });
  };

  /** The region pack is built: the map goes to it (it stayed blank grey elsewhere until a search). */
  regionReady = (info: RegionInfo) => {
    this.regionImport = null;
    if (this.session) this.session.region = info;
    toast(t("region.ready", { addresses: info.addresses, streets: info.streets }));
    const box = regionBounds(info.bounds);
    if (box) this.map?.focus({ bounds: box });
  };

  chooseImport = async () => {
    if (!this.session || this.readOnly) return;
    const file = await pickFile(t("dialog.spreadsheet_filter"), "csv;xlsx");
    if (file) this.dialog = { kind: "import", file };
  };

  /** After an import, a merge or a placement: pins, list, and the waiting rows. */
  householdsChanged = async () => {
    await this.session?.loadHouseholds();
    this.listVersion++;
  };

  /** After a change to sites or stock: the map's squares and badges, and the lists. */
  suppliesChanged = async () => {
    await this.session?.loadSites(true);
    this.listVersion++;
  };

  /** Changes from other laptops were applied here (Hub network): the map's pins and squares,
   * the closures, the side lists and the open household show them. */
  hubDataChanged = async () => {
    const s = this.session;
    if (!s) return;
    await s.loadHouseholds().catch(() => {});
    await s.loadSites(true);
    await s.loadClosures();
    this.listVersion++;
    // The open household may have been changed (or merged away) elsewhere.
    await this.refreshSelected().catch(() => {});
  };

  /** What arrived through Syncthing (the `hub_changes` event): a notice ("12 changes from Hub
   * Nord"), and the new data on screen. A laptop waiting to be accepted, or a refused file,
   * offers to open the Hub network. */
  hubChanges = async ({ report, from }: HubChanges) => {
    const changes = Number(report.changes);
    const held = Number(report.held);
    const refused = Number(report.refused);
    const parts: string[] = [];
    if (changes > 0) parts.push(t("hub.arrived", { count: changes, from: from.join(", ") || t("hub.another_laptop") }));
    if (held > 0) parts.push(t("hub.arrived_held"));
    if (refused > 0) parts.push(t("hub.arrived_refused", { count: refused }));
    if (parts.length) {
      const open = held > 0 || refused > 0 ? { label: t("hub.open"), run: () => this.menu("hub-network") } : undefined;
      toast(parts.join(" — "), open);
    }
    if (changes > 0) await this.hubDataChanged();
  };

  private lastHubError = { text: "", at: 0 };

  /** A background exchange failed (the `hub_error` event). It is tried again every second: the
   * same failure is told once a minute, not every time. */
  hubError = (report: ErrorReport) => {
    // A Syncthing failure says so itself; any other (a disk full, a damaged file) is put in context.
    const message = errorText(new ApiError(report));
    const text = report.code === "syncthing" ? message : t("hub.sync_failed", { message });
    const now = Date.now();
    if (text === this.lastHubError.text && now - this.lastHubError.at < 60_000) return;
    this.lastHubError = { text, at: now };
    toast(text);
  };

  /** Households were purged (Settings): pins and list again; an open household may be gone. */
  purged = async () => {
    const s = this.session;
    if (s) s.pins = await api.householdPins();
    this.listVersion++;
    if (this.selection.kind === "household") this.selection = noSelection();
  };

  /** A waiting import row: the next click on the map places it. */
  placePending = (row: PendingRow) => {
    if (this.session) this.session.placing = { pending: { id: row.id, name: row.name } };
  };

  /** A click on the map while placing: the waiting row goes there, or a new household's form opens. */
  placeAt = async (lat: number, lon: number) => {
    const s = this.session;
    const row = s?.placing?.pending;
    if (!s || !row) return this.startDraft(lat, lon);
    s.placing = null;
    await this.attempt(async () => {
      const id = await api.placePending(row.id, lat, lon);
      await this.householdsChanged();
      toast(t("pending.placed", { name: row.name }));
      await this.select(id);
    });
  };

  select = async (id: string) => {
    await this.attempt(async () => {
      if (this.selection.kind !== "household") this.selection = noSelection();
      const session = this.session;
      if (session) session.placing = null;
      const detail = await api.getHousehold(id);
      // Locked (or another operation opened) while it was read: never show it on that screen.
      if (this.session !== session || !session) return;
      this.selection = { kind: "household", detail };
    });
  };

  /** A household chosen in a list: open it and fly the map to its dot (at street level, where
   *  clusters have opened), which the map rings while it is selected. */
  showHousehold = async (id: string) => {
    await this.select(id);
    const h = this.selection.kind === "household" ? this.selection.detail.household : null;
    if (h && h.id === id) this.map?.flyTo(h.lat, h.lon, 16);
  };

  openSite = (id: string | null) => {
    this.selection = { kind: "site", id, at: this.map?.center() ?? { lat: 0, lon: 0 } };
  };

  /** A site's square clicked on the map: the sites list and its panel. */
  siteOnMap = (id: string) => {
    this.sideView = "sites";
    this.openSite(id);
  };

  openVolunteer = (id: string | null) => {
    this.selection = { kind: "volunteer", id };
  };

  /** After a change to one household: refresh its pin, the panel and the list. */
  changed = (next: HouseholdDetail) => {
    this.selection = { kind: "household", detail: next };
    this.session?.updatePin(next);
    this.listVersion++;
  };

  refreshSelected = async () => {
    if (this.selection.kind === "household") this.changed(await api.getHousehold(this.selection.detail.household.id));
  };

  /** The new household was saved: its panel, and its need form at once (keyboard-first intake). */
  created = async (id: string) => {
    this.selection = noSelection();
    await this.select(id);
    if (this.selection.kind === "household") this.changed(this.selection.detail);
    toast(t("household.created"));
    this.addNeedFor = id;
  };

  /** A new household's form with its pin at (lat, lon): where the map was clicked, or the
   *  map's centre for New household. The cursor goes to Name, away from the map (a click left
   *  the focus on the map, where typed letters were taken as shortcuts). */
  private startDraft(lat: number, lon: number) {
    if (!this.session) return;
    this.session.placing = null;
    this.selection = { kind: "new-household", draft: emptyHousehold(lat, lon) };
    tick().then(() => this.panel?.focusName());
  }

  newHousehold = () => {
    if (this.readOnly) return;
    const c = this.map?.center() ?? { lat: 0, lon: 0 };
    this.startDraft(c.lat, c.lon);
  };

  /** A pin dragged: the new household's pin, or a saved household moved. */
  moved = async (id: string, lat: number, lon: number) => {
    if (!id && this.selection.kind === "new-household") {
      this.selection = { kind: "new-household", draft: { ...this.selection.draft, lat, lon, location_source: "pin" } };
      return;
    }
    await this.attempt(async () => {
      await api.moveHousehold(id, lat, lon);
      await this.refreshSelected();
      toast(t("household.moved"));
    });
  };

  togglePlacing = () => {
    const s = this.session;
    if (s) s.placing = s.placing ? null : { pending: null };
  };

  /** Opens or closes the planning board or the dashboard (one closes the other). Closing the
   * board cancels drawing its area; closing the dashboard takes its areas off the map. */
  private togglePane(which: keyof Panes) {
    const s = this.session;
    if (!s) return;
    const next = togglePane({ planning: s.planning, dashboard: s.dashboard }, which);
    s.planning = next.planning;
    s.dashboard = next.dashboard;
    if (!s.planning && s.drawing?.forPlan) s.setDrawing(null);
    if (!s.dashboard) s.reportAreas = null;
    if (s.planning || s.dashboard) {
      s.many = null;
      s.lasso = false;
    }
  }

  togglePlanning = () => this.togglePane("planning");

  toggleDashboard = () => this.togglePane("dashboard");

  /** A selection of many households: from the map (lasso or box) or a filter. Opening it
   * closes the planning board and the dashboard, whose places it takes. */
  selectMany = (ids: string[], how: "lasso" | "box" | "filter" | null) => {
    const s = this.session;
    if (!s) return;
    if (s.planning) this.togglePane("planning");
    if (s.dashboard) this.togglePane("dashboard");
    s.many = { ids, how };
  };

  /** The lasso tool: on opens the (empty) selection with its filter; off leaves a selection. */
  toggleLasso = () => {
    const s = this.session;
    if (!s) return;
    s.lasso = !s.lasso;
    if (s.lasso && !s.many) this.selectMany([], null);
  };

  clearMany = () => {
    const s = this.session;
    if (!s) return;
    s.many = null;
    s.lasso = false;
  };

  /** "Plan only these": the planning board opens with the selection as what it plans. */
  planOnly = async (ids: string[]) => {
    const s = this.session;
    if (!s) return;
    s.many = null;
    s.lasso = false;
    if (!s.planning) this.togglePane("planning");
    await tick();
    this.board?.setHouseholds(ids);
  };

  /** The dashboard's report changed (or failed: null): its areas on the map. */
  reportAreas = (areas: AreaFigures[] | null) => {
    const s = this.session;
    if (s?.dashboard) s.reportAreas = areas;
  };

  /** The planning board's area: start drawing it, finish it, or cancel. */
  planArea = (action: "start" | "finish" | "cancel") => {
    if (action === "start") this.session?.setDrawing("area", true);
    else if (action === "finish") this.map?.finishDrawing();
    else this.session?.setDrawing(null);
  };

  /** What the planning board draws on the map (it may call this from its own effect). */
  planMap = (data: FeatureCollection) => {
    untrack(() => this.session && (this.session.planMap = data));
  };

  /** The map finished a shape: the planning board's area, or a closure to name. */
  drawn = (g: Closure["geometry"]) => {
    const s = this.session;
    if (s?.drawing?.forPlan) {
      this.board?.setArea(g);
      s.setDrawing(null);
    } else if (s?.drawing) s.drawing.drawn = g;
  };

  key = (e: KeyboardEvent) => {
    const s = this.session;
    const modal = holdsKeys(this.dialog);
    if (s?.drawing && !s.drawing.drawn && e.key === "Enter" && !typing(e) && !onControl(e) && !modal && !this.failure) {
      e.preventDefault();
      this.map?.finishDrawing();
      return;
    }
    if (e.ctrlKey && e.shiftKey && !e.altKey && e.key.toLowerCase() === "p" && s && !modal) {
      e.preventDefault();
      this.togglePlanning();
      return;
    }
    if (e.key === "Escape") {
      if (modal || this.failure) return;
      if (s?.drawing) s.setDrawing(null);
      else if (s?.placing) s.placing = null;
      else if (s?.lasso) s.lasso = false;
      else if (this.selection.kind !== "none") this.selection = noSelection();
      // Nothing else open: Escape closes the dashboard (not while typing its date), and the
      // focus goes back to its button.
      else if (s?.dashboard && !typing(e)) {
        this.toggleDashboard();
        tick().then(() => document.querySelector<HTMLElement>("[data-testid=dashboard-toggle]")?.focus());
      }
      return;
    }
    if (typing(e) || inFormOrDialog(e) || e.ctrlKey || e.metaKey || e.altKey || modal) return;
    if (e.key === "/") {
      e.preventDefault();
      this.sidebar?.focusSearch();
    } else if (e.key === "n" && !this.readOnly) {
      e.preventDefault();
      this.newHousehold();
    } else if (e.key === "a" && !this.readOnly && this.selection.kind === "household") {
      e.preventDefault();
      this.addNeedFor = this.selection.detail.household.id;
    } else if (e.key === "p" && !this.readOnly) {
      e.preventDefault();
      this.togglePlacing();
    }
  };
}
