//! Changes to a saved plan, each inside the caller's transaction: the board's hand-edited
//! layout, dispatching (stock issued from the depots, needs assigned), a stop's outcome
//! (needs delivered or open again, undelivered items back to the depot), and discarding a draft.

use std::collections::{BTreeMap, HashSet};

use rusqlite::Transaction;

use super::rows::{self, Saved};
use super::types::{PlanLayout, PlanStatus, StopOutcome};
use crate::audit::{self, AuditAction};
use crate::error::{Error, Result};
use crate::error::{FieldError, Rule};
use crate::stock::StockChange;
use crate::store::Stamp;
use crate::vocab::NeedStatus;

fn refused(field: &str, rule: Rule) -> Error {
    Error::Validation(vec![FieldError { field: field.into(), rule }])
}

fn draft(tx: &Transaction<'_>, id: &str) -> Result<Saved> {
    let saved = rows::load(tx, id)?;
    if saved.plan.status != PlanStatus::Draft {
        return Err(refused("status", Rule::NotAllowed));
    }
    Ok(saved)
}

/// Applies a layout: every run of the plan once, every stop of the plan once (on a run or in
/// `removed`). Feasibility is not checked here: the view shows what the layout breaks.
pub fn set_layout(tx: &Transaction<'_>, stamp: &Stamp, id: &str, layout: &PlanLayout) -> Result<()> {
    let saved = draft(tx, id)?;
    let runs: HashSet<&str> = saved.runs.iter().map(|r| r.id.as_str()).collect();
    let stops: HashSet<&str> = saved.stops.iter().map(|s| s.id.as_str()).collect();
    let laid_runs: Vec<&str> = layout.runs.iter().map(|r| r.run_id.as_str()).collect();
    let laid_stops: Vec<&str> = layout
        .runs
        .iter()
        .flat_map(|r| r.stops.iter().map(|s| s.stop_id.as_str()))
        .chain(layout.removed.iter().map(String::as_str))
        .collect();
    let unique = |v: &[&str]| v.iter().collect::<HashSet<_>>().len() == v.len();
    if laid_runs.len() != runs.len() || !unique(&laid_runs) || !laid_runs.iter().all(|r| runs.contains(r)) {
        return Err(refused("runs", Rule::NotAllowed));
    }
    // Stops the layout does not mention stay where they are (e.g. left out before planning).
    if !unique(&laid_stops) || !laid_stops.iter().all(|s| stops.contains(s)) {
        return Err(refused("stops", Rule::NotAllowed));
    }
    for run in &layout.runs {
        rows::set_run_locked(tx, &run.run_id, run.locked)?;
        for (pos, stop) in run.stops.iter().enumerate() {
            rows::place_stop(tx, &stop.stop_id, Some(&run.run_id), pos as i64, stop.locked)?;
        }
    }
    for stop in &layout.removed {
        rows::place_stop(tx, stop, None, 0, false)?;
    }
    // A stop put on a run by hand has no "why not served" any more; one taken off shows as removed.
    for n in &saved.needs {
        let Some(stop) = n.stop_id.as_deref() else { continue };
        let on_run = layout.runs.iter().any(|r| r.stops.iter().any(|s| s.stop_id == stop));
        if on_run || layout.removed.iter().any(|s| s == stop) {
            let was_placed = saved.stops.iter().any(|s| s.id == stop && s.run_id.is_some());
            let reason = if on_run || was_placed { None } else { n.reason.as_deref() };
            rows::set_need(tx, id, &n.need_id, reason, n.item_id.as_deref())?;
        }
    }
    rows::touch(tx, stamp, id)?;
    audit::record(tx, stamp, AuditAction::Update, "plan", &[id], "layout edited")
}

/// Draft → dispatched: the items each run carries are issued from its depot (refused, changing
/// nothing, when a depot has too little), the needs on runs become assigned.
pub fn dispatch(tx: &Transaction<'_>, stamp: &Stamp, id: &str) -> Result<usize> {
    let saved = draft(tx, id)?;
    let mut issue: BTreeMap<(String, String), f64> = BTreeMap::new();
    let mut assigned = 0;
    for run in &saved.runs {
        for stop in saved.stops_of(&run.id) {
            for n in saved.needs_of(&stop.id) {
                let need = crate::need::get(tx, &n.need_id)?;
                if need.status != NeedStatus::Open {
                    return Err(refused("needs", Rule::NotAllowed));
                }
                crate::need::set_status(tx, stamp, &n.need_id, NeedStatus::Assigned)?;
                assigned += 1;
                if let Some(item) = &n.item_id {
                    *issue.entry((run.site_id.clone(), item.clone())).or_default() += n.quantity;
                }
            }
        }
    }
    let reason = format!("supply runs of {}", saved.plan.day);
    for ((site_id, item_id), quantity) in issue {
        let change = StockChange::Issue { site_id, item_id, quantity, reason: reason.clone() };
        crate::stock::apply_with_ids(tx, stamp, &change, &mut crate::ids::new_id).map_err(|e| match e {
            Error::Validation(_) => refused("stock", Rule::OutOfRange),
            other => other,
        })?;
    }
    rows::set_status(tx, stamp, id, PlanStatus::Dispatched)?;
    audit::record(tx, stamp, AuditAction::Update, "plan", &[id], &format!("dispatched: {assigned} needs assigned"))?;
    Ok(assigned)
}

/// Records what happened at a stop of a dispatched plan (None clears a mistaken entry and undoes
/// its effects). Delivered: the needs are delivered. Otherwise they are open again, and for
/// nobody home / refused / unsafe the items go back to the run's depot.
pub fn record_outcome(
    tx: &Transaction<'_>,
    stamp: &Stamp,
    id: &str,
    stop_id: &str,
    outcome: Option<StopOutcome>,
) -> Result<()> {
    let saved = rows::load(tx, id)?;
    if !matches!(saved.plan.status, PlanStatus::Dispatched | PlanStatus::Completed) {
        return Err(refused("status", Rule::NotAllowed));
    }
    let stop = saved.stops.iter().find(|s| s.id == stop_id).ok_or(Error::NotFound("stop"))?;
    let run =
        stop.run_id.as_deref().and_then(|r| saved.runs.iter().find(|x| x.id == r)).ok_or(Error::NotFound("run"))?;
    if stop.outcome == outcome {
        return Ok(());
    }
    let returns = |o: Option<StopOutcome>| {
        matches!(o, Some(StopOutcome::NobodyHome | StopOutcome::Refused | StopOutcome::Unsafe))
    };
    let reason = format!("returned from a supply run of {}", saved.plan.day);
    for n in saved.needs_of(stop_id) {
        let Ok(need) = crate::need::get(tx, &n.need_id) else { continue };
        // Undo the earlier outcome's effect on stock, then apply the new one.
        if let Some(item) = &n.item_id {
            if returns(stop.outcome) && !returns(outcome) {
                let change = StockChange::Issue {
                    site_id: run.site_id.clone(),
                    item_id: item.clone(),
                    quantity: n.quantity,
                    reason: "outcome corrected".into(),
                };
                crate::stock::apply_with_ids(tx, stamp, &change, &mut crate::ids::new_id)
                    .map_err(|_| refused("stock", Rule::OutOfRange))?;
            } else if returns(outcome) && !returns(stop.outcome) {
                let change = StockChange::Receive {
                    site_id: run.site_id.clone(),
                    item_id: item.clone(),
                    quantity: n.quantity,
                    expiry: None,
                    reason: reason.clone(),
                };
                crate::stock::apply_with_ids(tx, stamp, &change, &mut crate::ids::new_id)?;
            }
        }
        let next = match outcome {
            Some(StopOutcome::Delivered) => NeedStatus::Delivered,
            Some(_) => NeedStatus::Open,
            None => NeedStatus::Assigned,
        };
        // Delivered → assigned is not a need transition; go through open.
        if need.status == NeedStatus::Delivered && next == NeedStatus::Assigned {
            crate::need::set_status(tx, stamp, &n.need_id, NeedStatus::Open)?;
        }
        if need.status != next {
            crate::need::set_status(tx, stamp, &n.need_id, next)?;
        }
    }
    rows::set_outcome(tx, stamp, stop_id, outcome)?;
    let after = rows::load(tx, id)?;
    let all_done = after.stops.iter().filter(|s| s.run_id.is_some()).all(|s| s.outcome.is_some());
    let status = if all_done { PlanStatus::Completed } else { PlanStatus::Dispatched };
    if status != after.plan.status {
        rows::set_status(tx, stamp, id, status)?;
    }
    let what = outcome.map_or("cleared", |o| o.key());
    audit::record(tx, stamp, AuditAction::Update, "plan", &[id, stop_id], &format!("stop outcome: {what}"))
}

pub fn discard(tx: &Transaction<'_>, stamp: &Stamp, id: &str) -> Result<()> {
    draft(tx, id)?;
    rows::set_status(tx, stamp, id, PlanStatus::Discarded)?;
    audit::record(tx, stamp, AuditAction::Update, "plan", &[id], "discarded")
}
