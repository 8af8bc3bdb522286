// The open operation and everything the window loaded from it or holds about it: households and
// sites on the map, the region pack, closures, the address-search marker, a place-on-map or a
// drawing in progress, the planning board and what it draws, the dashboard and its areas. One
// object, so that Lock or a switch of operation drops all of it at once (`session = null`, or a new Session).
import type { FeatureCollection } from "geojson";
import { api, ApiError } from "../api";
import type { AreaFigures } from "../bindings/AreaFigures";
import type { Closure } from "../bindings/Closure";
import type { HouseholdDetail } from "../bindings/HouseholdDetail";
import type { HouseholdPin } from "../bindings/HouseholdPin";
import type { OperationInfo } from "../bindings/OperationInfo";
import type { RegionInfo } from "../bindings/RegionInfo";
import type { SitePin } from "../bindings/SitePin";
import { pinFromDetail, type DrawMode } from "../map/layers";

export type Point = { lat: number; lon: number };

/** The address-search result on the map (a marker until the next one or a cleared search). */
export type Found = Point & { label: string };

/** Placing a pin by a click on the map: a new household there, or a waiting import row. */
export type Placing = { pending: { id: string; name: string } | null };

/** A shape being drawn on the map: a closure, or the planning board's area (`forPlan`).
 * `drawn` is the finished closure shape while it is being named. */
export type Drawing = { mode: DrawMode; forPlan: boolean; drawn: Closure["geometry"] | null };

export class Session {
  op = $state<OperationInfo>(null!);
  pins = $state<HouseholdPin[]>([]);
  sitePins = $state<SitePin[]>([]);
  /** Import rows waiting for a pin. */
  pendingCount = $state(0);
  region = $state<RegionInfo | null>(null);
  /** The pack beside the operation could not be opened (the map hint says so). */
  regionDamaged = $state(false);
  closures = $state<Closure[]>([]);
  /** The demo's street outline (drawn when the pack has no basemap tiles). */
  area = $state<FeatureCollection | null>(null);
  found = $state<Found | null>(null);
  placing = $state<Placing | null>(null);
  drawing = $state<Drawing | null>(null);
  /** The planning board is open (in place of the side list), and what it draws on the map. */
  planning = $state(false);
  planMap = $state.raw<FeatureCollection | null>(null);
  /** The dashboard is open (in place of the side list; never with the planning board), and
   * the areas of the report it shows, shaded on the map while it is open. */
  dashboard = $state(false);
  reportAreas = $state.raw<AreaFigures[] | null>(null);
  /** Households selected together (the map's lasso or box, or a filter), shown in place of the
   * side list; null: none. The lasso tool makes a plain drag draw on the map. */
  many = $state<{ ids: string[]; how: "lasso" | "box" | "filter" | null } | null>(null);
  lasso = $state(false);
  /** A plain operation is open and nobody said who is working: ask before any change. */
  askOperator = $state(false);

  constructor(op: OperationInfo, init: { planning?: boolean; dashboard?: boolean; askOperator?: boolean } = {}) {
    this.op = op;
    this.planning = init.planning ?? false;
    this.dashboard = !this.planning && (init.dashboard ?? false);
    this.askOperator = init.askOperator ?? false;
  }

  get readOnly(): boolean {
    return this.op.read_only;
  }

  /** Starts (or ends, with null) a drawing; a new one starts empty. */
  setDrawing(mode: DrawMode | null, forPlan = false) {
    this.drawing = mode === null ? null : { mode, forPlan, drawn: null };
  }

  /** Household pins and the number of rows waiting for one. */
  async loadHouseholds() {
    this.pins = await api.householdPins();
    this.pendingCount = (await api.pendingRows().catch(() => [])).length;
  }

  async loadSites(keep = false) {
    this.sitePins = await api.sitePins().catch(() => (keep ? this.sitePins : []));
  }

  async loadClosures() {
    this.closures = await api.closures().catch(() => []);
  }

  /** The region pack's summary; a damaged pack beside the operation is said so (routing and
   * search are off until it is imported again), never as a damaged operation. Returns the error
   * to show, if any. */
  async loadRegion(): Promise<unknown> {
    this.regionDamaged = false;
    try {
      this.region = await api.regionInfo();
      return null;
    } catch (e) {
      this.regionDamaged = e instanceof ApiError && e.code === "region_damaged";
      this.region = null;
      return e;
    }
  }

  /** One household changed: its pin follows (gone when it is no longer active). */
  updatePin(next: HouseholdDetail) {
    const pin = pinFromDetail(next);
    this.pins = [...this.pins.filter((p) => p.id !== pin.id), ...(next.household.status === "active" ? [pin] : [])];
  }
}
