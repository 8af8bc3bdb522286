//! What the planning board sends and sees: the request (which needs, shifts and depots, how long
//! to search), a saved plan as the board shows it (runs with their stops, times, loads and
//! violations; needs left unserved with why), the layout the board edits by hand (undo and redo
//! resend an earlier layout), and the outcome of a stop.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::vocab::{Category, Urgency};

/// Life cycle of a saved plan. One draft per day: planning the day again discards the old draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum PlanStatus {
    /// Reserves stock at the runs' depots; editable.
    Draft,
    /// Stock issued, needs assigned; stops get outcomes.
    Dispatched,
    /// Every stop has an outcome.
    Completed,
    /// Replaced or thrown away; kept for the record, reserves nothing.
    Discarded,
}

impl PlanStatus {
    pub fn key(self) -> &'static str {
        match self {
            PlanStatus::Draft => "draft",
            PlanStatus::Dispatched => "dispatched",
            PlanStatus::Completed => "completed",
            PlanStatus::Discarded => "discarded",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Draft, Self::Dispatched, Self::Completed, Self::Discarded].into_iter().find(|x| x.key() == s)
    }
}

/// What to plan: a day, and which of its needs, shifts and depots.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PlanRequest {
    /// The local date, `YYYY-MM-DD`.
    pub day: String,
    /// That date's local midnight (RFC 3339); every time of the plan counts from it.
    pub day_start: String,
    /// Open needs of these urgencies (empty: all).
    pub urgencies: Vec<Urgency>,
    /// Open needs of these categories (empty: all).
    pub categories: Vec<Category>,
    /// Only households inside this GeoJSON Polygon (lon, lat), or everywhere.
    #[ts(type = "{ type: \"Polygon\", coordinates: number[][][] } | null")]
    pub area: Option<serde_json::Value>,
    /// These shifts of the day (None: every shift of the day with a vehicle and a start site).
    pub shift_ids: Option<Vec<String>>,
    /// Only runs loading at these depots (None: any).
    pub site_ids: Option<Vec<String>>,
    /// Only these households (a selection on the map: "plan only these"); None: any.
    #[serde(default)]
    pub household_ids: Option<Vec<String>>,
    /// Search time limit, seconds (1–600).
    pub seconds: u32,
    pub seed: u64,
}

impl PlanRequest {
    /// Every open need against every shift of `day`, whose local midnight is `day_start`.
    pub fn for_day(day: chrono::NaiveDate, day_start: chrono::DateTime<chrono::Utc>, seconds: u32, seed: u64) -> Self {
        PlanRequest {
            day: day.to_string(),
            day_start: crate::clock::timestamp(day_start),
            urgencies: vec![],
            categories: vec![],
            area: None,
            shift_ids: None,
            site_ids: None,
            household_ids: None,
            seconds,
            seed,
        }
    }
}

/// A shift of the day as the board offers it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ShiftChoice {
    pub shift_id: String,
    pub driver: String,
    pub vehicle: Option<String>,
    pub site_id: Option<String>,
    pub site_name: Option<String>,
    pub starts_at: String,
    pub ends_at: String,
    pub capacity_kg: f64,
    pub capacity_l: f64,
    pub cooler: bool,
    pub high_clearance: bool,
    /// Why it cannot drive (`no_vehicle`, `no_start_site`), or None.
    pub idle: Option<String>,
}

/// Counts of the open needs a request would plan, and the day's shifts and depots.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct PlanChoices {
    pub needs: u32,
    pub households: u32,
    /// Open needs already in another day's draft (left out).
    pub in_other_drafts: u32,
    pub shifts: Vec<ShiftChoice>,
    /// Active sites with stock: (id, name).
    pub depots: Vec<(String, String)>,
    /// The draft this day already has (planning again replaces it).
    pub existing_draft: Option<String>,
    /// Likely duplicate households (not reviewed) that both have needs in this request: both
    /// would get a delivery. Review them under Duplicates before planning.
    pub duplicates: u32,
}

/// Progress of a search, sent while it runs.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct PlanProgress {
    pub elapsed_ms: u64,
    pub iterations: u64,
    /// Best cost so far (seconds of driving plus penalties), None before the first solution.
    pub best_cost: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum StopOutcome {
    /// Everything handed over: the needs are delivered.
    Delivered,
    /// Some handed over: the needs return to open for another run (the items stay handed over).
    Partly,
    /// Nothing handed over: the needs return to open and the items to the depot.
    NobodyHome,
    Refused,
    Unsafe,
}

impl StopOutcome {
    pub fn key(self) -> &'static str {
        match self {
            StopOutcome::Delivered => "delivered",
            StopOutcome::Partly => "partly",
            StopOutcome::NobodyHome => "nobody_home",
            StopOutcome::Refused => "refused",
            StopOutcome::Unsafe => "unsafe",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        use StopOutcome::*;
        [Delivered, Partly, NobodyHome, Refused, Unsafe].into_iter().find(|x| x.key() == s)
    }
}

/// A rule a run breaks after hand edits (the board shows these rather than forbidding edits).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Violation {
    /// `late` (after the stop's window), `over_capacity`, `after_shift` (back after the shift
    /// ends), `no_cooler`, `not_stocked` (the run's depot lacks the items), `high_clearance`,
    /// `unreachable`, `replan` (a draft saved before needs named items: plan the day again),
    /// `far_from_road` (over 200 m from the pack's nearest road), `weight_unknown` (an item with
    /// neither weight nor volume: the load shown is lighter than it is).
    pub kind: String,
    /// The stop it concerns, if one.
    pub stop_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct PlanNeed {
    pub need_id: String,
    pub household_id: String,
    pub category: Category,
    pub urgency: Urgency,
    /// The need as asked when planned ("18" "L").
    pub quantity: f64,
    pub unit: String,
    /// The catalogue item it is loaded as (on a run), or asks for (unserved), if any.
    pub item_id: Option<String>,
    pub item_name: Option<String>,
    pub cold_chain: bool,
    /// Of its item, what the depots lacked (`not_enough_stock`).
    pub missing: Option<f64>,
}

/// What one need is loaded as, stored when the plan was saved: the board, dispatch, the sheets
/// and the outcomes all read these; nothing recomputes them from stock that has moved since.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct PlanLoad {
    pub need_id: String,
    pub item_id: String,
    pub item_name: String,
    /// In the item's units.
    pub quantity: f64,
    /// The item's unit ("bottle").
    pub unit: String,
    /// The need's own item when this is a substitute (a catalogue rule allowed it).
    pub substitute_for: Option<String>,
    pub substitute_for_name: Option<String>,
    /// The need as asked when it was in another unit: "18 L" for 12 × Water 1.5 L.
    pub asked: Option<String>,
    pub kg: f64,
    pub litres: f64,
    pub cold_chain: bool,
    /// Handed over, once the stop has an outcome.
    pub delivered: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct PlanStop {
    pub id: String,
    pub lat: f64,
    pub lon: f64,
    /// The first household's name and address (the board is the coordinator's view).
    pub label: String,
    pub address: String,
    pub households: u32,
    pub needs: Vec<PlanNeed>,
    /// One per need, in the order of `needs`.
    pub loads: Vec<PlanLoad>,
    pub locked: bool,
    /// When service starts (RFC 3339), by the plan's road times.
    pub eta: String,
    /// Kilograms, litres, pieces still on board after this stop.
    pub load_after: [f64; 3],
    pub outcome: Option<StopOutcome>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct PlanRun {
    pub id: String,
    pub shift_id: Option<String>,
    pub driver: String,
    pub vehicle: String,
    pub site_id: String,
    pub site_name: String,
    pub locked: bool,
    pub stops: Vec<PlanStop>,
    pub shift_start: String,
    pub shift_end: String,
    pub departure: String,
    pub back: String,
    pub drive_s: i64,
    pub distance_m: i64,
    /// Load at departure and the vehicle's capacity: kilograms, litres, pieces (each unit of
    /// each item loaded: 12 bottles and 1 parcel are 13; uncapped: capacity 0).
    pub load: [f64; 3],
    pub capacity: [f64; 2],
    pub violations: Vec<Violation>,
    /// The road geometry (lon, lat) from depot through every stop and back, when the operation
    /// has a region pack; straight legs otherwise.
    pub path: Vec<[f64; 2]>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct UnservedNeed {
    #[serde(flatten)]
    #[ts(flatten)]
    pub need: PlanNeed,
    /// The stop it belongs to (None: left out before planning); put back on a run by layout.
    pub stop_id: Option<String>,
    pub lat: f64,
    pub lon: f64,
    pub label: String,
    /// `item_not_chosen` (no item named and no category default), `unit_not_convertible` (its
    /// unit is neither the item's unit nor its contents unit), `no_cooler`, `not_stocked` (no
    /// chosen depot holds the item or an allowed substitute), `not_enough_stock` (`missing`
    /// says how much), `no_capacity`, `unreachable`, `outside_every_shift`, `high_clearance`,
    /// `not_chosen` (the fleet is full, or skipping a low-priority need is cheaper), `removed`
    /// (taken off a run by hand).
    pub reason: String,
}

/// Stock a plan takes from a depot.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct PlanStock {
    pub site_id: String,
    pub site_name: String,
    pub item_id: String,
    pub item_name: String,
    pub quantity: f64,
    /// On hand at the depot now (before this plan is issued).
    pub on_hand: f64,
    /// Reserved by other drafts.
    pub reserved_elsewhere: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct PlanInfo {
    pub id: String,
    pub day: String,
    pub status: PlanStatus,
    pub created_at: String,
    pub created_by: String,
    pub runs: u32,
    pub stops: u32,
    pub needs_served: u32,
    pub unserved: u32,
    pub drive_s: i64,
    /// Road times are straight-line estimates (no region pack when planned).
    pub estimated: bool,
    /// The laptop that made the plan, when it is another replica: only it changes, dispatches
    /// or closes the plan; here it is read-only ("planned on Hub Nord — laptop 1").
    pub made_elsewhere: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct PlanView {
    pub info: PlanInfo,
    pub runs: Vec<PlanRun>,
    pub unserved: Vec<UnservedNeed>,
    pub stock: Vec<PlanStock>,
    /// Every run within capacity, windows, shifts and skills.
    pub feasible: bool,
}

/// The part of a plan the board edits: which stops each run visits in which order, and what is
/// locked. Undo/redo send an earlier layout back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PlanLayout {
    pub runs: Vec<RunLayout>,
    /// Stops taken off every run by hand (their needs show as unserved, `removed`).
    pub removed: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RunLayout {
    pub run_id: String,
    pub locked: bool,
    pub stops: Vec<StopLayout>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StopLayout {
    pub stop_id: String,
    /// Keeps this stop on this run when re-optimising.
    pub locked: bool,
}
