//! Changes to a saved plan, each inside the caller's transaction: the board's hand-edited
//! layout, dispatching (stock issued from the depots, needs assigned), a stop's outcome
//! (needs delivered or open again, undelivered items back to the depot), and discarding a draft.

use std::collections::{BTreeMap, HashSet};

use rusqlite::Transaction;

use super::stored::{self, Saved};
use super::types::{PlanLayout, PlanStatus, StopOutcome};
use crate::audit::AuditAction;
use crate::clock::Stamp;
use crate::error::{Error, Result};
use crate::error::{FieldError, Rule};
use crate::stock::StockChange;
use crate::vocab::NeedStatus;

fn refused(field: &str, rule: Rule) -> Error {
    Error::Validation(vec![FieldError { field: field.into(), rule }])
}

fn draft(tx: &Transaction<'_>, id: &str) -> Result<Saved> {
    let saved = stored::load(tx, id)?;
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
        stored::set_run_locked(tx, &run.run_id, run.locked)?;
        for (pos, stop) in run.stops.iter().enumerate() {
            stored::place_stop(tx, &stop.stop_id, Some(&run.run_id), pos as i64, stop.locked)?;
        }
    }
    for stop in &layout.removed {
        stored::place_stop(tx, stop, None, 0, false)?;
    }
    // A stop put on a run by hand has no "why not served" any more; one taken off shows as
    // removed. Its loads keep their items: only the depot they are drawn from follows the run
    // (the view shows `not_stocked` where that depot lacks an item; nothing is swapped).
    for n in &saved.needs {
        let Some(stop) = n.stop_id.as_deref() else { continue };
        let on = layout.runs.iter().find(|r| r.stops.iter().any(|s| s.stop_id == stop));
        if on.is_some() || layout.removed.iter().any(|s| s == stop) {
            let was_placed = saved.stops.iter().any(|s| s.id == stop && s.run_id.is_some());
            let reason = if on.is_some() || was_placed { None } else { n.reason.as_deref() };
            let site = on.and_then(|r| saved.runs.iter().find(|x| x.id == r.run_id)).map(|r| r.site_id.as_str());
            stored::set_need(tx, id, &n.need_id, reason, site)?;
        }
    }
    stored::touch(tx, stamp, id)?;
    crate::store::record_change(tx, stamp, AuditAction::Update, "plan", &[id], "layout edited")
}

/// Draft → dispatched: exactly the stored loads are issued from each run's depot (refused whole,
/// changing nothing, when a depot has too little of an item, naming it), the needs on runs
/// become assigned, and each substitution is recorded in the need's history.
pub fn dispatch(tx: &Transaction<'_>, stamp: &Stamp, id: &str) -> Result<usize> {
    let saved = draft(tx, id)?;
    // A draft saved before needs named items (schema 8 and older) chose its items by category
    // and quantity as typed: it is never dispatched as it is, only planned again.
    let on_run = |stop: &Option<String>| {
        stop.as_deref().is_some_and(|s| saved.stops.iter().any(|x| x.id == s && x.run_id.is_some()))
    };
    if saved.needs.iter().any(|n| on_run(&n.stop_id) && n.asked_quantity.is_none()) {
        return Err(refused("plan", Rule::NotAllowed));
    }
    let mut issue: BTreeMap<(String, String), f64> = BTreeMap::new();
    let mut assigned = 0;
    let mut substituted = 0;
    for run in &saved.runs {
        for stop in saved.stops_of(&run.id) {
            for n in saved.needs_of(&stop.id) {
                let need = crate::need::get(tx, &n.need_id)?;
                if need.status != NeedStatus::Open {
                    return Err(refused("needs", Rule::NotAllowed));
                }
                crate::need::set_status(tx, stamp, &n.need_id, NeedStatus::Assigned)?;
                assigned += 1;
                let Some(item) = &n.item_id else { continue };
                *issue.entry((run.site_id.clone(), item.clone())).or_default() += n.quantity;
                if let Some(own) = &n.substitute_for {
                    substituted += 1;
                    let name = |i: &str| crate::item::get(tx, i).map(|x| x.name).unwrap_or_default();
                    let detail = format!("loaded {} × {} instead of {}", n.quantity, name(item), name(own));
                    crate::store::record_change(tx, stamp, AuditAction::Update, "need", &[&n.need_id, id], &detail)?;
                }
            }
        }
    }
    let reason = format!("supply runs of {}", saved.plan.day);
    for ((site_id, item_id), quantity) in issue {
        let on_hand = crate::stock::level(tx, &site_id, &item_id)?;
        if quantity > on_hand + 1e-9 {
            // Named by the first run loading there (site names can name a person's garage).
            let run = saved.runs.iter().position(|r| r.site_id == site_id).map_or(0, |k| k + 1);
            return Err(Error::NotEnoughStock {
                item: crate::item::get(tx, &item_id)?.name,
                run,
                wanted: quantity,
                on_hand,
            });
        }
        let change = StockChange::Issue { site_id, item_id, quantity, reason: reason.clone() };
        crate::stock::apply_with_ids(tx, stamp, &change, &mut crate::ids::new_id)?;
    }
    stored::set_status(tx, stamp, id, PlanStatus::Dispatched)?;
    let detail = format!("dispatched: {assigned} needs assigned, {substituted} substituted");
    crate::store::record_change(tx, stamp, AuditAction::Update, "plan", &[id], &detail)?;
    Ok(assigned)
}

/// Records what happened at a stop of a dispatched plan (None clears a mistaken entry and undoes
/// its effects exactly). `delivered` says, per item, how much was handed over when not all of it
/// (the default is everything loaded for delivered and partly, nothing otherwise); it is shared
/// among the stop's loads of that item in need order.
///
/// Per need: all of its load handed over → delivered; some → open again with the remainder (in
/// its own item's units) as its quantity; none → open again. What was loaded and not handed over
/// goes back to the run's depot.
pub fn record_outcome(
    tx: &Transaction<'_>,
    stamp: &Stamp,
    id: &str,
    stop_id: &str,
    outcome: Option<StopOutcome>,
    delivered: &[(String, f64)],
) -> Result<()> {
    let saved = stored::load(tx, id)?;
    if !matches!(saved.plan.status, PlanStatus::Dispatched | PlanStatus::Completed) {
        return Err(refused("status", Rule::NotAllowed));
    }
    let stop = saved.stops.iter().find(|s| s.id == stop_id).ok_or(Error::NotFound("stop"))?;
    let run =
        stop.run_id.as_deref().and_then(|r| saved.runs.iter().find(|x| x.id == r)).ok_or(Error::NotFound("run"))?;
    let loads: Vec<&stored::NeedRow> = saved.needs_of(stop_id).collect();
    // "Partly" says how much of each item was handed over; without amounts it says nothing.
    if outcome == Some(StopOutcome::Partly) && delivered.is_empty() && loads.iter().any(|n| n.item_id.is_some()) {
        return Err(refused("delivered", Rule::Required));
    }
    for (item, q) in delivered {
        let carried: f64 = loads.iter().filter(|n| n.item_id.as_deref() == Some(item)).map(|n| n.quantity).sum();
        if !q.is_finite() || *q < 0.0 || *q > carried + 1e-9 || outcome != Some(StopOutcome::Partly) {
            return Err(refused("delivered", Rule::OutOfRange));
        }
    }
    if stop.outcome == outcome && delivered.is_empty() {
        return Ok(());
    }
    let site = run.site_id.clone();
    let move_stock = |item: &str, quantity: f64, back: bool, why: &str| -> Result<()> {
        if quantity <= 1e-9 {
            return Ok(());
        }
        let change = if back {
            StockChange::Receive {
                site_id: site.clone(),
                item_id: item.into(),
                quantity,
                expiry: None,
                reason: why.into(),
            }
        } else {
            StockChange::Issue { site_id: site.clone(), item_id: item.into(), quantity, reason: why.into() }
        };
        crate::stock::apply_with_ids(tx, stamp, &change, &mut crate::ids::new_id)
            .map(|_| ())
            .map_err(|_| refused("stock", Rule::OutOfRange))
    };
    // An outcome is corrected only while its needs have not moved on to a later plan: undoing
    // it then would issue their items twice (and overwrite what that plan decided).
    if stop.outcome.is_some() {
        for n in &loads {
            if stored::in_later_plan(tx, id, &n.need_id)? {
                return Err(refused("outcome", Rule::NotAllowed));
            }
        }
    }
    // 1. Undo the earlier outcome: returned items are issued again, needs back to assigned with
    //    their quantity as asked.
    if stop.outcome.is_some() {
        for n in &loads {
            let Ok(need) = crate::need::get(tx, &n.need_id) else { continue };
            // Plans recorded before schema 9 kept no amounts: delivered and partly kept everything.
            let kept = matches!(stop.outcome, Some(StopOutcome::Delivered | StopOutcome::Partly));
            let handed = n.delivered.unwrap_or(if kept { n.quantity } else { 0.0 });
            if let Some(item) = &n.item_id {
                move_stock(item, n.quantity - handed, false, "outcome corrected")?;
            }
            if let (Some(q), Some(u)) = (n.asked_quantity, n.asked_unit.as_deref()) {
                if need.quantity != q || need.unit != u {
                    crate::need::set_quantity(tx, stamp, &n.need_id, q, u)?;
                }
            }
            if need.status == NeedStatus::Delivered {
                crate::need::set_status(tx, stamp, &n.need_id, NeedStatus::Open)?;
            }
            if crate::need::get(tx, &n.need_id)?.status != NeedStatus::Assigned {
                crate::need::set_status(tx, stamp, &n.need_id, NeedStatus::Assigned)?;
            }
            stored::set_delivered(tx, id, &n.need_id, None)?;
        }
    }
    // 2. Apply the new one.
    if let Some(outcome) = outcome {
        let mut left: BTreeMap<&str, f64> = delivered.iter().map(|(i, q)| (i.as_str(), *q)).collect();
        let reason = format!("returned from a supply run of {}", saved.plan.day);
        for n in &loads {
            let Ok(need) = crate::need::get(tx, &n.need_id) else { continue };
            let handed = match (outcome, n.item_id.as_deref()) {
                (StopOutcome::Delivered, _) => n.quantity,
                (StopOutcome::Partly, Some(item)) => match left.get_mut(item) {
                    Some(rest) => {
                        let h = rest.min(n.quantity);
                        *rest -= h;
                        h
                    }
                    None => n.quantity,
                },
                (StopOutcome::Partly, None) => n.quantity,
                _ => 0.0,
            };
            if let Some(item) = &n.item_id {
                move_stock(item, n.quantity - handed, true, &reason)?;
            }
            stored::set_delivered(tx, id, &n.need_id, Some(handed))?;
            if handed + 1e-9 >= n.quantity {
                crate::need::set_status(tx, stamp, &n.need_id, NeedStatus::Delivered)?;
                continue;
            }
            crate::need::set_status(tx, stamp, &n.need_id, NeedStatus::Open)?;
            if handed > 0.0 {
                // Plans dispatched before schema 9 kept no "as asked": keep it now, so clearing
                // this outcome restores the need exactly.
                if n.asked_quantity.is_none() {
                    stored::set_asked(tx, id, &n.need_id, need.quantity, &need.unit)?;
                }
                // The remainder, in the need's own item units (a substitute's share converted back).
                let own_total = need.item_quantity.unwrap_or(n.quantity);
                let remaining = (own_total * (n.quantity - handed) / n.quantity - 1e-9).ceil().max(1.0);
                let unit = need.item_unit.clone().unwrap_or_else(|| need.unit.clone());
                crate::need::set_quantity(tx, stamp, &n.need_id, remaining, &unit)?;
            }
        }
    }
    stored::set_outcome(tx, stamp, stop_id, outcome)?;
    let after = stored::load(tx, id)?;
    let all_done = after.stops.iter().filter(|s| s.run_id.is_some()).all(|s| s.outcome.is_some());
    let status = if all_done { PlanStatus::Completed } else { PlanStatus::Dispatched };
    if status != after.plan.status {
        stored::set_status(tx, stamp, id, status)?;
    }
    let what = outcome.map_or("cleared", |o| o.key());
    crate::store::record_change(
        tx,
        stamp,
        AuditAction::Update,
        "plan",
        &[id, stop_id],
        &format!("stop outcome: {what}"),
    )
}

pub fn discard(tx: &Transaction<'_>, stamp: &Stamp, id: &str) -> Result<()> {
    draft(tx, id)?;
    stored::set_status(tx, stamp, id, PlanStatus::Discarded)?;
    crate::store::record_change(tx, stamp, AuditAction::Update, "plan", &[id], "discarded")
}
