// The one thin typed module between the UI and the Rust backend. Every command goes through
// `call`, which turns a failed command into an `ApiError` with the backend's fixed code.
// Types come from `bindings/`, generated from the Rust structs by ts-rs (`cargo test`).
import { invoke } from "@tauri-apps/api/core";
import type { PackingFormat } from "./bindings/PackingFormat";
import type { SheetChoice } from "./bindings/SheetChoice";
import type { FeatureCollection } from "geojson";
import type { ErrorCode } from "./bindings/ErrorCode";
import type { ErrorReport } from "./bindings/ErrorReport";
import type { FieldError } from "./bindings/FieldError";
import type { Household } from "./bindings/Household";
import type { HouseholdDetail } from "./bindings/HouseholdDetail";
import type { HouseholdInput } from "./bindings/HouseholdInput";
import type { HouseholdPage } from "./bindings/HouseholdPage";
import type { HouseholdPin } from "./bindings/HouseholdPin";
import type { Need } from "./bindings/Need";
import type { NeedInput } from "./bindings/NeedInput";
import type { NeedStatus } from "./bindings/NeedStatus";
import type { OperationInfo } from "./bindings/OperationInfo";
import type { Startup } from "./bindings/Startup";
import type { AuditFilter } from "./bindings/AuditFilter";
import type { AuditPage } from "./bindings/AuditPage";
import type { OperationSettings } from "./bindings/OperationSettings";
import type { PurgeReport } from "./bindings/PurgeReport";
import type { GeocodeResult } from "./bindings/GeocodeResult";
import type { PointDoubt } from "./bindings/PointDoubt";
import type { RegionInfo } from "./bindings/RegionInfo";
import type { Closure } from "./bindings/Closure";
import type { ClosureInput } from "./bindings/ClosureInput";
import type { ImportPreview } from "./bindings/ImportPreview";
import type { ImportReport } from "./bindings/ImportReport";
import type { HubView } from "./bindings/HubView";
import type { HubLink } from "./bindings/HubLink";
import type { SyncExport } from "./bindings/SyncExport";
import type { SyncImport } from "./bindings/SyncImport";
import type { Keep } from "./bindings/Keep";
import type { ImportKind } from "./bindings/ImportKind";
import type { Mapping } from "./bindings/Mapping";
import type { ExportColumn } from "./bindings/ExportColumn";
import type { ExportKind } from "./bindings/ExportKind";
import type { Report } from "./bindings/Report";
import type { BulkAction } from "./bindings/BulkAction";
import type { BulkOutcome } from "./bindings/BulkOutcome";
import type { SelectionFilter } from "./bindings/SelectionFilter";
import type { ReportRequest } from "./bindings/ReportRequest";
import type { ReportFormat } from "./bindings/ReportFormat";
import type { SheetLanguage } from "./bindings/SheetLanguage";
import type { ExportRequest } from "./bindings/ExportRequest";
import type { ExportSummary } from "./bindings/ExportSummary";
import type { DuplicatePair } from "./bindings/DuplicatePair";
import type { MergeRequest } from "./bindings/MergeRequest";
import type { MergeRecord } from "./bindings/MergeRecord";
import type { PendingRow } from "./bindings/PendingRow";
import type { Item } from "./bindings/Item";
import type { Category } from "./bindings/Category";
import type { CatalogueRules } from "./bindings/CatalogueRules";
import type { SubstitutionGroup } from "./bindings/SubstitutionGroup";
import type { KitComponent } from "./bindings/KitComponent";
import type { NeedPlanState } from "./bindings/NeedPlanState";
import type { ItemInput } from "./bindings/ItemInput";
import type { Site } from "./bindings/Site";
import type { SiteInput } from "./bindings/SiteInput";
import type { SitePin } from "./bindings/SitePin";
import type { StockRow } from "./bindings/StockRow";
import type { Movement } from "./bindings/Movement";
import type { StockChange } from "./bindings/StockChange";
import type { Shortage } from "./bindings/Shortage";
import type { Volunteer } from "./bindings/Volunteer";
import type { VolunteerDetail } from "./bindings/VolunteerDetail";
import type { VolunteerFilter } from "./bindings/VolunteerFilter";
import type { VolunteerInput } from "./bindings/VolunteerInput";
import type { Shift } from "./bindings/Shift";
import type { ShiftInput } from "./bindings/ShiftInput";
import type { ShiftRow } from "./bindings/ShiftRow";
import type { Vehicle } from "./bindings/Vehicle";
import type { SheetOptions } from "./bindings/SheetOptions";
import type { SheetPreview } from "./bindings/SheetPreview";
import type { VehicleInput } from "./bindings/VehicleInput";
import type { PlanChoices } from "./bindings/PlanChoices";
import type { PlanInfo } from "./bindings/PlanInfo";
import type { PlanLayout } from "./bindings/PlanLayout";
import type { PlanRequest } from "./bindings/PlanRequest";
import type { PlanView } from "./bindings/PlanView";
import type { StopOutcome } from "./bindings/StopOutcome";

export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly fields: FieldError[];
  constructor(report: ErrorReport) {
    super(report.message);
    this.name = "ApiError";
    this.code = report.code;
    this.fields = report.fields;
  }
}

function isReport(e: unknown): e is ErrorReport {
  return typeof e === "object" && e !== null && "code" in e && "message" in e;
}

/** Normalises whatever a failed invoke throws into an ApiError. */
export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  if (isReport(e)) return new ApiError({ code: e.code, message: e.message, fields: e.fields ?? [] });
  return new ApiError({ code: "internal", message: String(e), fields: [] });
}

/** A plan request as JSON can carry it: the seed is a 64-bit integer in Rust (`bigint` in the
 * bindings), which JSON.stringify refuses; seeds the UI makes stay below 2^31. */
function planRequest(request: PlanRequest): Record<string, unknown> {
  return { ...request, seed: Number(request.seed) };
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    throw toApiError(e);
  }
}

export const api = {
  startup: () => call<Startup>("startup"),
  openDemo: () => call<OperationInfo>("open_demo"),
  openOperation: (path: string, passphrase: string | null = null) =>
    call<OperationInfo>("open_operation", { path, passphrase }),
  newOperation: (path: string, name: string, passphrase: string | null) =>
    call<OperationInfo>("new_operation", { path, name, passphrase }),
  setMenu: (labels: Record<string, string>) => call<void>("set_menu", { labels }),
  demoArea: () => call<FeatureCollection>("demo_area"),
  householdPins: () => call<HouseholdPin[]>("household_pins"),
  searchHouseholds: (query: string, limit = 100, offset = 0) =>
    call<HouseholdPage>("search_households", { query, limit, offset }),
  /** A selection's households for its list: the first `limit`, in the list's order. */
  householdsOf: (ids: string[], limit: number) => call<HouseholdPage>("households_of", { ids, limit }),
  getHousehold: (id: string) => call<HouseholdDetail>("get_household", { id }),
  createHousehold: (input: HouseholdInput) => call<Household>("create_household", { input }),
  updateHousehold: (id: string, input: HouseholdInput) => call<Household>("update_household", { id, input }),
  moveHousehold: (id: string, lat: number, lon: number) => call<Household>("move_household", { id, lat, lon }),
  addNeed: (householdId: string, input: NeedInput) => call<Need>("add_need", { householdId, input }),
  updateNeed: (id: string, input: NeedInput) => call<Need>("update_need", { id, input }),
  setNeedStatus: (id: string, status: NeedStatus) => call<Need>("set_need_status", { id, status }),
  setOperator: (name: string) => call<void>("set_operator", { name }),
  lockOperation: () => call<void>("lock_operation"),
  changePassphrase: (current: string, next: string) => call<void>("change_passphrase", { current, new: next }),
  encryptOperation: (passphrase: string) => call<OperationInfo>("encrypt_operation", { passphrase }),
  backupOperation: (path: string) => call<void>("backup_operation", { path }),
  hubState: () => call<HubView>("hub_state"),
  hubSetName: (name: string) => call<void>("hub_set_name", { name }),
  hubExport: (folder: string) => call<SyncExport>("hub_export", { folder }),
  hubImport: (folder: string, acceptNewPeers: boolean) => call<SyncImport>("hub_import", { folder, acceptNewPeers }),
  hubAccept: (peer: string) => call<void>("hub_accept", { peer }),
  hubResolve: (entity: string, record: string, field: string, keep: Keep) =>
    call<void>("hub_resolve", { entity, record, field, keep }),
  hubStartSyncthing: (relays: boolean) => call<HubLink>("hub_start_syncthing", { relays }),
  hubStopSyncthing: () => call<void>("hub_stop_syncthing"),
  hubAddDevice: (id: string, name: string, address: string | null) =>
    call<HubLink>("hub_add_device", { id, name, address }),
  restoreBackup: (backup: string, out: string, passphrase: string | null, operator: string) =>
    call<OperationInfo>("restore_backup", { backup, out, passphrase, operator }),
  auditLog: (filter: AuditFilter, limit = 200, offset = 0) => call<AuditPage>("audit_log", { filter, limit, offset }),
  operationSettings: () => call<OperationSettings>("operation_settings"),
  setOperationSettings: (settings: OperationSettings) => call<OperationSettings>("set_operation_settings", { settings }),
  purgePreview: () => call<PurgeReport>("purge_preview"),
  purge: () => call<PurgeReport>("purge"),
  regionInfo: () => call<RegionInfo | null>("region_info"),
  geocode: (query: string, limit = 8) => call<GeocodeResult[]>("geocode", { query, limit }),
  plusCode: (lat: number, lon: number) => call<string>("plus_code", { lat, lon }),
  locationDoubts: (lat: number, lon: number) => call<PointDoubt[]>("location_doubts", { lat, lon }),
  importRegion: (extract: string) => call<RegionInfo>("import_region", { extract }),
  cancelRegionImport: () => call<void>("cancel_region_import"),
  useBasemap: (file: string) => call<RegionInfo>("use_basemap", { file }),
  /** End-to-end tests only: the file to pick instead of opening the native dialog. */
  e2ePickFile: () => call<string | null>("e2e_pick_file"),
  closures: () => call<Closure[]>("closures"),
  createClosure: (input: ClosureInput) => call<Closure>("create_closure", { input }),
  updateClosure: (id: string, input: ClosureInput) => call<Closure>("update_closure", { id, input }),
  deleteClosure: (id: string) => call<void>("delete_closure", { id }),
  // Supplies and people.
  items: () => call<Item[]>("items"),
  createItem: (input: ItemInput) => call<Item>("create_item", { input }),
  updateItem: (id: string, input: ItemInput) => call<Item>("update_item", { id, input }),
  sitePins: () => call<SitePin[]>("site_pins"),
  sites: () => call<Site[]>("sites"),
  getSite: (id: string) => call<Site>("get_site", { id }),
  createSite: (input: SiteInput) => call<Site>("create_site", { input }),
  updateSite: (id: string, input: SiteInput) => call<Site>("update_site", { id, input }),
  siteStock: (id: string) => call<StockRow[]>("site_stock", { id }),
  stockHistory: (id: string, limit = 50) => call<Movement[]>("stock_history", { id, limit }),
  changeStock: (change: StockChange) => call<Movement[]>("change_stock", { change }),
  shortages: () => call<Shortage[]>("shortages"),
  volunteers: (filter: VolunteerFilter) => call<Volunteer[]>("volunteers", { filter }),
  getVolunteer: (id: string) => call<VolunteerDetail>("get_volunteer", { id }),
  createVolunteer: (input: VolunteerInput) => call<Volunteer>("create_volunteer", { input }),
  updateVolunteer: (id: string, input: VolunteerInput) => call<Volunteer>("update_volunteer", { id, input }),
  addShift: (volunteerId: string, input: ShiftInput) => call<Shift>("add_shift", { volunteerId, input }),
  updateShift: (id: string, input: ShiftInput) => call<Shift>("update_shift", { id, input }),
  setShiftsStartSite: (shiftIds: string[], siteId: string) => call<number>("set_shifts_start_site", { shiftIds, siteId }),
  deleteShift: (id: string) => call<void>("delete_shift", { id }),
  shiftsBetween: (from: string, until: string) => call<ShiftRow[]>("shifts_between", { from, until }),
  vehicles: () => call<Vehicle[]>("vehicles"),
  createVehicle: (input: VehicleInput) => call<Vehicle>("create_vehicle", { input }),
  updateVehicle: (id: string, input: VehicleInput) => call<Vehicle>("update_vehicle", { id, input }),
  // Spreadsheet import, duplicates and merges, rows waiting to be placed.
  importPreview: (file: string, kind: ImportKind) => call<ImportPreview>("import_preview", { file, kind }),
  importFile: (file: string, kind: ImportKind, mapping: Mapping, dryRun: boolean) =>
    call<ImportReport>("import_file", { file, kind, mapping, dryRun }),
  // Export: the columns offered, and writing a chosen export to a file.
  exportColumns: (kind: ExportKind) => call<ExportColumn[]>("export_columns", { kind }),
  exportData: (request: ExportRequest, path: string) => call<ExportSummary>("export_data", { request, path }),
  // Many households at once: a filter's selection, bulk actions and their undo, door-knock list.
  selectHouseholds: (filter: SelectionFilter) => call<string[]>("select_households", { filter }),
  bulkHouseholds: (ids: string[], action: BulkAction) => call<BulkOutcome>("bulk_households", { ids, action }),
  bulkUndo: (outcome: BulkOutcome) => call<number>("bulk_undo", { outcome }),
  saveDoorKnock: (ids: string[], language: SheetLanguage, path: string) =>
    call<void>("save_door_knock", { ids, language, path }),
  // Dashboard: the figures of a day, and saving them (JSON, CSV, situation report PDF).
  report: (request: ReportRequest) => call<Report>("report", { request }),
  saveReport: (request: ReportRequest, format: ReportFormat, language: SheetLanguage, path: string) =>
    call<void>("save_report", { request, format, language, path }),
  duplicates: () => call<DuplicatePair[]>("duplicates"),
  duplicatePair: (a: string, b: string) => call<{ a: HouseholdDetail; b: HouseholdDetail }>("duplicate_pair", { a, b }),
  dismissDuplicate: (a: string, b: string) => call<void>("dismiss_duplicate", { a, b }),
  mergeHouseholds: (request: MergeRequest) => call<MergeRecord>("merge_households", { request }),
  undoMerge: (id: string) => call<MergeRecord>("undo_merge", { id }),
  pendingRows: () => call<PendingRow[]>("pending_rows"),
  placePending: (id: string, lat: number, lon: number) => call<string>("place_pending", { id, lat, lon }),
  // Drivers' route sheets of a plan (all runs, or one) written into a folder; returns the files.
  exportSheets: (planId: string, runId: string | null, format: SheetChoice, dir: string) =>
    call<string[]>("export_sheets", { planId, runId, format, dir }),
  sheetOptions: () => call<SheetOptions>("sheet_options"),
  setSheetOptions: (options: SheetOptions) => call<SheetOptions>("set_sheet_options", { options }),
  // One stop of the plan exactly as the sheets would carry it now (null: no stops).
  sheetPreview: (planId: string) => call<SheetPreview | null>("sheet_preview", { planId }),
  // Supply-run planning. planCreate and planReoptimise search for up to `seconds`, sending
  // "plan-progress" events (PlanProgress) meanwhile; planCancel stops them early (they then
  // resolve with the best plan found so far).
  planChoices: (request: PlanRequest) => call<PlanChoices>("plan_choices", { request: planRequest(request) }),
  planCreate: (request: PlanRequest) => call<PlanView>("plan_create", { request: planRequest(request) }),
  planCancel: () => call<void>("plan_cancel"),
  plansList: () => call<PlanInfo[]>("plans_list"),
  planGet: (id: string) => call<PlanView>("plan_get", { id }),
  planSetLayout: (id: string, layout: PlanLayout) => call<PlanView>("plan_set_layout", { id, layout }),
  planReoptimise: (id: string, seconds: number, seed: number) => call<PlanView>("plan_reoptimise", { id, seconds, seed }),
  planDispatch: (id: string) => call<PlanView>("plan_dispatch", { id }),
  // `delivered`: per item id, how much was handed over (partly); default everything loaded.
  planRecordOutcome: (id: string, stopId: string, outcome: StopOutcome | null, delivered: [string, number][] | null = null) =>
    call<PlanView>("plan_record_outcome", { id, stopId, outcome, delivered }),
  // Where each need of a household stands in planning (on run N of a day, or why not served).
  needPlanStates: (householdId: string) => call<NeedPlanState[]>("need_plan_states", { householdId }),
  // The depots' packing list of a plan (csv or pdf) into a folder; returns the file written.
  exportPacking: (planId: string, format: PackingFormat, dir: string) =>
    call<string[]>("export_packing", { planId, format, dir }),
  // Catalogue rules: category defaults, substitution groups, kits; needs waiting for an item.
  catalogueRules: () => call<CatalogueRules>("catalogue_rules"),
  setCategoryDefault: (category: Category, itemId: string | null) =>
    call<CatalogueRules>("set_category_default", { category, itemId }),
  saveSubstitutionGroup: (group: SubstitutionGroup) => call<CatalogueRules>("save_substitution_group", { group }),
  deleteSubstitutionGroup: (id: string) => call<CatalogueRules>("delete_substitution_group", { id }),
  setKit: (kitId: string, components: KitComponent[]) => call<CatalogueRules>("set_kit", { kitId, components }),
  needsToMatch: () => call<Need[]>("needs_to_match"),
  planDiscard: (id: string) => call<PlanInfo>("plan_discard", { id }),
};

export type Api = typeof api;
