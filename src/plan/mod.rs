//! Planning a day's supply runs: the operation's open needs, driver shifts and sites become a
//! routing problem (`problem`), the optimiser solves it, and the result reads as runs of stops
//! with arrival times and loads, plus the needs left unserved and why. Plans are not stored yet:
//! the planning board (saved drafts, hand edits, dispatch) builds on this.

pub mod problem;
pub mod types;

use std::sync::atomic::AtomicBool;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::error::{Error, Result};
use crate::region::RegionPack;
use crate::vocab::NeedStatus;
use crate::vrp::evaluate::evaluate;
use crate::vrp::{self, Params, Unserved};
use crate::Store;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlannedStop {
    pub households: Vec<String>,
    pub needs: Vec<String>,
    /// When service starts, seconds after the day's midnight.
    pub arrival_s: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlannedRun {
    pub shift_id: String,
    pub driver: String,
    pub vehicle: String,
    pub stops: Vec<PlannedStop>,
    pub departure_s: i64,
    pub return_s: i64,
    pub drive_s: i64,
    pub distance_m: i64,
    /// Load at departure: kilograms, litres, parcels.
    pub load: [f64; 3],
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnservedNeed {
    pub need_id: String,
    pub household_id: String,
    /// `no_cooler`, `not_stocked`, `no_capacity`, `unreachable`, `outside_every_shift`,
    /// `not_chosen` (the fleet is full, or skipping a low-priority need is cheaper),
    /// `household_not_active`.
    pub reason: &'static str,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanSummary {
    pub runs: Vec<PlannedRun>,
    pub unserved: Vec<UnservedNeed>,
    /// Shifts of the day that cannot drive, with why (`no_vehicle`, `no_start_site`).
    pub idle_shifts: Vec<(String, &'static str)>,
    pub needs_served: usize,
    pub drive_s: i64,
    /// Road times from the region pack (false) or straight-line estimates (true).
    pub estimated: bool,
    /// Every run within its vehicle's capacity and its driver's shift (needs that could not be
    /// planned are listed in `unserved`, not counted here).
    pub feasible: bool,
}

fn reason(why: Unserved, cooler_needed: bool, fleet_has_cooler: bool) -> &'static str {
    match why {
        Unserved::SkillMissing if cooler_needed && !fleet_has_cooler => "no_cooler",
        Unserved::SkillMissing => "not_stocked",
        Unserved::NoCapacity => "no_capacity",
        Unserved::Unreachable => "unreachable",
        Unserved::OutsideEveryShift => "outside_every_shift",
        Unserved::NotChosen => "not_chosen",
    }
}

/// Plans the day that starts at `day_start` (local midnight, as UTC): the driver shifts that
/// begin that day against every open need.
pub fn plan_day(
    store: &Store,
    region: Option<&RegionPack>,
    day_start: DateTime<Utc>,
    params: &Params,
    cancel: &AtomicBool,
) -> Result<PlanSummary> {
    let until = day_start + chrono::Duration::days(1);
    let stamp = |t: DateTime<Utc>| crate::store::timestamp(t);
    let shifts: Vec<_> = store
        .shifts_between(&stamp(day_start), &stamp(until))?
        .into_iter()
        .filter(|r| chrono::DateTime::parse_from_rfc3339(&r.shift.starts_at).is_ok_and(|t| t.to_utc() >= day_start))
        .collect();
    let households = store.households()?;
    let needs = store.needs(Some(NeedStatus::Open))?;
    let items = store.items()?;
    let sites: Vec<_> = store
        .sites()?
        .into_iter()
        .filter(|s| s.active)
        .map(|s| {
            let stock = store.stock(&s.id)?;
            Ok((s, stock))
        })
        .collect::<Result<_>>()?;
    let inputs = problem::Inputs {
        households: &households,
        open_needs: &needs,
        items: &items,
        sites: &sites,
        shifts: &shifts,
        day_start,
    };
    let built = problem::build(&inputs, region)?;
    let solution = vrp::solve(&built.problem, params, cancel, &mut |_| {}).map_err(Error::Internal)?;
    let eval = evaluate(&built.problem, &solution);
    let fleet_has_cooler = built.problem.vehicles.iter().any(|v| v.skills & problem::COOLER != 0);
    let runs: Vec<PlannedRun> = solution
        .routes
        .iter()
        .zip(&eval.routes)
        .map(|(route, schedule)| PlannedRun {
            shift_id: built.shifts[route.vehicle].0.clone(),
            driver: built.shifts[route.vehicle].1.clone(),
            vehicle: built.shifts[route.vehicle].2.clone(),
            stops: route
                .stops
                .iter()
                .zip(&schedule.visits)
                .map(|(&s, visit)| PlannedStop {
                    households: built.stops[s].0.clone(),
                    needs: built.stops[s].1.clone(),
                    arrival_s: visit.start,
                })
                .collect(),
            departure_s: schedule.departure,
            return_s: schedule.arrival,
            drive_s: schedule.duration,
            distance_m: schedule.distance,
            load: [0, 1, 2]
                .map(|d| schedule.load.get(d).copied().unwrap_or(0) as f64 / if d < 2 { 1000.0 } else { 1.0 }),
        })
        .collect();
    let mut unserved: Vec<UnservedNeed> = built
        .skipped
        .iter()
        .map(|id| UnservedNeed {
            need_id: id.clone(),
            household_id: needs.iter().find(|n| &n.id == id).map(|n| n.household_id.clone()).unwrap_or_default(),
            reason: "household_not_active",
        })
        .collect();
    for &(s, why) in &solution.unserved {
        let stop = &built.problem.stops[s];
        let why = reason(why, stop.skills & problem::COOLER != 0, fleet_has_cooler);
        for need in &built.stops[s].1 {
            let household_id = needs.iter().find(|n| &n.id == need).map(|n| n.household_id.clone()).unwrap_or_default();
            unserved.push(UnservedNeed { need_id: need.clone(), household_id, reason: why });
        }
    }
    Ok(PlanSummary {
        needs_served: runs.iter().flat_map(|r| &r.stops).map(|s| s.needs.len()).sum(),
        drive_s: eval.duration,
        runs,
        unserved,
        idle_shifts: built.idle,
        estimated: built.estimated,
        feasible: eval.violations.iter().all(|v| v.starts_with("required stop ")),
    })
}
