//! Turning a search's solution into a saved plan: the runs' stops, the stock check (a depot
//! cannot give more than it has, less what other drafts reserve), reasons for what is left out,
//! and the rows written for a new plan or over a re-optimised one.

use std::collections::HashMap;

use rusqlite::Transaction;

use super::prepare::Prepared;
use super::problem::{COOLER, HIGH_CLEARANCE};
use super::stored::{self, NeedRow, StopRow};
use super::types::PlanStatus;
use crate::audit::AuditAction;
use crate::catalogue::Choice;
use crate::clock::Stamp;
use crate::error::Result;
use crate::need::Need;
use crate::vrp::{Solution, Unserved};

/// Where each of the problem's stops ends up: (run index, position), or why not served.
pub struct Placement {
    pub placed: Vec<Option<(usize, usize)>>,
    pub reasons: Vec<Option<&'static str>>,
    /// Per stop, per need: what it is loaded as (None: not on a run).
    pub loads: Vec<Vec<Option<Choice>>>,
    /// Per stop: its needs (indices) its run's depot cannot cover although it covers the others
    /// (split off into a stop of their own, left out with `not_enough_stock`), or every need of
    /// a stop no depot could supply, with the quantity of its own item missing.
    pub short: Vec<Vec<(usize, f64)>>,
}

fn reason(p: &Prepared, stop: usize, why: Unserved) -> &'static str {
    let skills = p.problem.stops[stop].skills;
    let fleet = p.problem.vehicles.iter().fold(0, |acc, v| acc | v.skills);
    match why {
        Unserved::SkillMissing if skills & COOLER != 0 && fleet & COOLER == 0 => "no_cooler",
        Unserved::SkillMissing if skills & HIGH_CLEARANCE != 0 && fleet & HIGH_CLEARANCE == 0 => "high_clearance",
        Unserved::SkillMissing => "not_stocked",
        Unserved::NoCapacity => "no_capacity",
        Unserved::Unreachable => "unreachable",
        Unserved::OutsideEveryShift => "outside_every_shift",
        Unserved::NotChosen => "not_chosen",
    }
}

/// Stock still available per (site, item).
type Stock = HashMap<(String, String), f64>;

/// What a need is loaded as when nothing is chosen for it: its own item and quantity.
pub fn own(need: &Need) -> Choice {
    Choice {
        item: need.item_id.clone().unwrap_or_default(),
        quantity: need.item_quantity.unwrap_or(need.quantity),
        substitute_for: None,
    }
}

/// What run `run`'s depot can give each need of stop `s` from `available`, most urgent need
/// first: the item, or a substitute the catalogue allows, with enough on hand — or the quantity
/// of its own item missing. Nothing is taken.
fn supply(p: &Prepared, s: usize, run: usize, available: &Stock) -> Vec<Result<Choice, f64>> {
    let site = &p.runs[run].site_id;
    let needs = &p.stops[s].needs;
    let mut order: Vec<usize> = (0..needs.len()).collect();
    order.sort_by_key(|&k| needs[k].urgency);
    let mut taken: HashMap<String, f64> = HashMap::new();
    let mut out: Vec<Result<Choice, f64>> = vec![Err(0.0); needs.len()];
    for k in order {
        let need = &needs[k];
        let left = |i: &str| {
            available.get(&(site.clone(), i.to_string())).copied().unwrap_or(0.0) - taken.get(i).copied().unwrap_or(0.0)
        };
        let mine = own(need);
        out[k] = match p.ctx.catalogue.choose(&mine.item, mine.quantity, &|i| left(i).max(0.0)) {
            Some(c) if left(&c.item) + 1e-9 >= c.quantity => {
                *taken.entry(c.item.clone()).or_default() += c.quantity;
                Ok(c)
            }
            _ => Err((mine.quantity - left(&mine.item).max(0.0)).max(0.0)),
        };
    }
    out
}

fn take(available: &mut Stock, site: &str, choices: &[&Choice]) {
    for c in choices {
        *available.entry((site.to_string(), c.item.clone())).or_default() -= c.quantity;
    }
}

/// The route's driving time if it respects every rule (skills and allowed runs, capacity,
/// windows, shift end, roads), else None. One pass over the route, no allocation: the stock
/// check tries every position of every run for each stop it re-offers, inside the write
/// transaction (the full evaluator scans every stop of the problem each time — measured at
/// minutes with hundreds of re-offered stops).
fn route_cost(p: &Prepared, vehicle: usize, stops: &[usize]) -> Option<i64> {
    let pr = &p.problem;
    let v = &pr.vehicles[vehicle];
    let mut load = [0i64; 3];
    for &s in stops {
        let stop = &pr.stops[s];
        if !stop.servable_by(vehicle, v) {
            return None;
        }
        for (k, d) in stop.demand.iter().enumerate().take(3) {
            load[k] += d;
        }
    }
    if load.iter().zip(&v.capacity).any(|(l, c)| l > c) {
        return None;
    }
    let (mut t, mut at, mut driving) = (v.shift.0, v.start, 0i64);
    for &s in stops {
        let stop = &pr.stops[s];
        let leg = pr.duration(at, stop.location);
        if leg >= crate::vrp::model::UNREACHABLE {
            return None;
        }
        driving += leg;
        let start = (t + leg).max(stop.tw.0);
        if start > stop.tw.1 {
            return None;
        }
        t = start + stop.service;
        at = stop.location;
    }
    let back = pr.duration(at, v.end);
    if back >= crate::vrp::model::UNREACHABLE || t + back > v.shift.1 {
        return None;
    }
    Some(driving + back)
}

/// The solution's placement after the stock check: stops are given stock most urgent first
/// (then the longest waiting, then in run order), each need its item — or a substitute the catalogue allows — from what
/// its run's depot still has; a stop its depot cannot supply at all is taken off and offered to
/// the other runs whose depots still can, at the cheapest position that keeps the run within its
/// rules (the search does not see quantities, only which depots stock what); what no run can
/// take is left out with `not_enough_stock`. `reserved` is what other drafts (and this plan's
/// locked runs) take. The loads chosen here are what the plan stores.
pub fn place(p: &Prepared, solution: &Solution, reserved: &HashMap<(String, String), f64>) -> Placement {
    let n = p.stops.len();
    let mut routes: Vec<Vec<usize>> = vec![Vec::new(); p.runs.len()];
    let mut on: Vec<Option<usize>> = vec![None; n];
    for route in &solution.routes {
        routes[route.vehicle] = route.stops.clone();
        for &s in &route.stops {
            on[s] = Some(route.vehicle);
        }
    }
    let mut reasons = vec![None; n];
    for &(s, why) in &solution.unserved {
        reasons[s] = Some(reason(p, s, why));
    }
    let mut available: Stock = HashMap::new();
    for (site, rows) in &p.ctx.stock {
        for row in rows {
            let key = (site.clone(), row.item.id.clone());
            let taken = reserved.get(&key).copied().unwrap_or(0.0);
            available.insert(key, row.quantity - taken);
        }
    }
    let mut loads: Vec<Vec<Option<Choice>>> = p.stops.iter().map(|s| vec![None; s.needs.len()]).collect();
    let urgency = |s: usize| p.stops[s].needs.iter().map(|x| x.urgency).min();
    // Of equally urgent stops, the one asked earliest first: short stock goes to those who
    // have waited longest.
    let asked = |s: usize| p.stops[s].needs.iter().map(|x| x.requested_at.as_str()).min().unwrap_or("");
    let mut order: Vec<usize> = (0..n).filter(|&s| on[s].is_some()).collect();
    // Locked stops take their stock first (they stay whatever the stock says).
    order.sort_by_key(|&s| (p.problem.stops[s].vehicle.is_none(), urgency(s), asked(s), on[s]));
    let mut dropped = Vec::new();
    let mut short: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n];
    for s in order {
        let run = on[s].unwrap();
        let site = p.runs[run].site_id.clone();
        let given = supply(p, s, run, &available);
        if p.problem.stops[s].vehicle.is_some() {
            // Locked: its needs go as they can; what the depot lacks shows as a violation.
            for (k, g) in given.into_iter().enumerate() {
                loads[s][k] = Some(g.unwrap_or_else(|_| own(&p.stops[s].needs[k])));
            }
            take(&mut available, &site, &loads[s].iter().flatten().collect::<Vec<_>>());
            continue;
        }
        if given.iter().all(|g| g.is_err()) {
            routes[run].retain(|&x| x != s);
            on[s] = None;
            dropped.push(s);
            continue;
        }
        for (k, g) in given.into_iter().enumerate() {
            match g {
                Ok(c) => loads[s][k] = Some(c),
                Err(missing) => short[s].push((k, missing)),
            }
        }
        take(&mut available, &site, &loads[s].iter().flatten().collect::<Vec<_>>());
    }
    // Offer each dropped stop, most urgent (then longest waiting) first, to the runs whose
    // depots still supply it whole.
    dropped.sort_by_key(|&s| (urgency(s), asked(s)));
    // Each run's cost as it stands, recomputed only when a stop is inserted into it.
    let mut before_cost: HashMap<usize, Option<i64>> = HashMap::new();
    for s in dropped {
        let mut best: Option<(i64, usize, usize, Vec<Choice>)> = None;
        let mut supplied = false;
        for run in 0..p.runs.len() {
            if !p.problem.stops[s].servable_by(run, &p.problem.vehicles[run]) {
                continue;
            }
            let Ok(choices) = supply(p, s, run, &available).into_iter().collect::<Result<Vec<Choice>, f64>>() else {
                continue;
            };
            supplied = true;
            let before = *before_cost.entry(run).or_insert_with(|| route_cost(p, run, &routes[run]));
            let Some(before) = before else { continue };
            for pos in 0..=routes[run].len() {
                let mut tried = routes[run].clone();
                tried.insert(pos, s);
                if let Some(cost) = route_cost(p, run, &tried) {
                    if best.as_ref().is_none_or(|b| cost - before < b.0) {
                        best = Some((cost - before, run, pos, choices.clone()));
                    }
                }
            }
        }
        match best {
            Some((_, run, pos, choices)) => {
                take(&mut available, &p.runs[run].site_id, &choices.iter().collect::<Vec<_>>());
                loads[s] = choices.into_iter().map(Some).collect();
                routes[run].insert(pos, s);
                before_cost.remove(&run);
                on[s] = Some(run);
            }
            // A depot could still supply it, but no run has room or time for it.
            None if supplied => reasons[s] = Some("no_capacity"),
            None => {
                reasons[s] = Some("not_enough_stock");
                // What is missing: each need's own item against the best-stocked chosen depot.
                for (k, need) in p.stops[s].needs.iter().enumerate() {
                    let mine = own(need);
                    let most = p
                        .runs
                        .iter()
                        .map(|r| available.get(&(r.site_id.clone(), mine.item.clone())).copied().unwrap_or(0.0))
                        .fold(0.0f64, f64::max);
                    short[s].push((k, (mine.quantity - most).max(0.0)));
                }
            }
        }
    }
    let mut placed = vec![None; n];
    for (run, stops) in routes.iter().enumerate() {
        for (pos, &s) in stops.iter().enumerate() {
            placed[s] = Some((run, pos));
        }
    }
    Placement { placed, reasons, loads, short }
}

/// The stored row of need `k` of stop `s`: its load (item, quantity, depot, substitution) when
/// on a run, else its own item with why not and how much was missing.
fn need_row(p: &Prepared, placement: &Placement, s: usize, k: usize, stop_id: String) -> NeedRow {
    let need = &p.stops[s].needs[k];
    let at = placement.placed[s];
    let missing = placement.short[s].iter().find(|(i, _)| *i == k).map(|(_, m)| *m);
    let split_off = at.is_some() && missing.is_some();
    let load = match (&placement.loads[s][k], split_off) {
        (Some(c), false) => c.clone(),
        _ => own(need),
    };
    let reason = if split_off { Some("not_enough_stock".into()) } else { placement.reasons[s].map(str::to_string) };
    NeedRow {
        need_id: need.id.clone(),
        household_id: need.household_id.clone(),
        stop_id: Some(stop_id),
        site_id: at.filter(|_| !split_off).map(|(r, _)| p.runs[r].site_id.clone()),
        reason,
        item_id: Some(load.item).filter(|i| !i.is_empty()),
        quantity: load.quantity,
        substitute_for: load.substitute_for,
        asked_quantity: Some(need.quantity),
        asked_unit: Some(need.unit.clone()),
        delivered: None,
        missing: if at.is_none() || split_off { missing } else { None },
    }
}

/// A stop of its own, off every run, for the needs of `stop` its depot could not cover.
fn split_stop(
    tx: &Transaction<'_>,
    plan: &str,
    stop: &super::prepare::StopDraft,
    short: &[(usize, f64)],
    placed: bool,
) -> Result<Option<String>> {
    if short.is_empty() || !placed {
        return Ok(None);
    }
    let id = crate::ids::new_id();
    let row = StopRow {
        id: id.clone(),
        run_id: None,
        position: 0,
        lat: stop.at.0,
        lon: stop.at.1,
        locked: false,
        outcome: None,
    };
    stored::insert_stop(tx, plan, &row)?;
    Ok(Some(id))
}

/// Writes a new draft (replacing the day's draft, which becomes discarded); returns its id.
pub fn write_new(tx: &Transaction<'_>, stamp: &Stamp, p: &Prepared, placement: &Placement) -> Result<String> {
    let replaced = stored::draft_for(tx, &p.day)?;
    if let Some(old) = &replaced {
        stored::set_status(tx, stamp, old, PlanStatus::Discarded)?;
        crate::store::record_change(
            tx,
            stamp,
            AuditAction::Update,
            "plan",
            &[old],
            "discarded: replaced by a new plan",
        )?;
    }
    let id = crate::ids::new_id();
    let plan = stored::PlanRow {
        id: id.clone(),
        day: p.day.clone(),
        day_start: crate::clock::timestamp(p.day_start),
        status: PlanStatus::Draft,
        request: serde_json::to_string(&p.request)?,
        estimated: p.estimated,
        created_at: stamp.now.clone(),
        created_by: stamp.operator.clone(),
    };
    stored::insert_plan(tx, stamp, &plan)?;
    for run in &p.runs {
        stored::insert_run(tx, &id, run)?;
    }
    for (s, stop) in p.stops.iter().enumerate() {
        let at = placement.placed[s];
        let row = StopRow {
            id: stop.id.clone(),
            run_id: at.map(|(r, _)| p.runs[r].id.clone()),
            position: at.map_or(0, |(_, pos)| pos as i64),
            lat: stop.at.0,
            lon: stop.at.1,
            locked: false,
            outcome: None,
        };
        stored::insert_stop(tx, &id, &row)?;
        let split = split_stop(tx, &id, stop, &placement.short[s], at.is_some())?;
        for k in 0..stop.needs.len() {
            let short = placement.short[s].iter().any(|(i, _)| *i == k);
            let home = match (&split, short) {
                (Some(other), true) => other.clone(),
                _ => stop.id.clone(),
            };
            stored::insert_need(tx, &id, &need_row(p, placement, s, k, home))?;
        }
    }
    for (need, why) in &p.left_out {
        stored::insert_need(
            tx,
            &id,
            &NeedRow {
                need_id: need.id.clone(),
                household_id: need.household_id.clone(),
                stop_id: None,
                reason: Some(why.to_string()),
                item_id: need.item_id.clone(),
                quantity: need.item_quantity.unwrap_or(need.quantity),
                substitute_for: None,
                site_id: None,
                asked_quantity: Some(need.quantity),
                asked_unit: Some(need.unit.clone()),
                delivered: None,
                missing: (*why == "not_enough_stock").then(|| {
                    let mine = own(need);
                    let most = p.runs.iter().map(|r| p.ctx.on_hand(&r.site_id, &mine.item)).fold(0.0f64, f64::max);
                    (mine.quantity - most).max(0.0)
                }),
            },
        )?;
    }
    let served = placement.placed.iter().filter(|x| x.is_some()).count();
    // What was saved, as the board shows it: runs with stops (of the shifts offered).
    let used =
        (0..p.runs.len()).filter(|r| placement.placed.iter().any(|x| x.is_some_and(|(run, _)| run == *r))).count();
    let detail = format!("{used} runs ({} shifts), {served} of {} stops planned", p.runs.len(), p.stops.len());
    crate::store::record_change(tx, stamp, AuditAction::Create, "plan", &[&id], &detail)?;
    Ok(id)
}

/// Writes a re-optimised layout over the plan's unlocked part.
pub fn write_again(tx: &Transaction<'_>, stamp: &Stamp, p: &Prepared, placement: &Placement) -> Result<()> {
    let saved = p.saved.as_ref().expect("re-optimising a saved plan");
    let id = &saved.plan.id;
    for (s, stop) in p.stops.iter().enumerate() {
        let at = placement.placed[s];
        let locked = saved.stops.iter().any(|x| x.id == stop.id && x.locked) && at.is_some();
        stored::place_stop(tx, &stop.id, at.map(|(r, _)| p.runs[r].id.as_str()), at.map_or(0, |a| a.1 as i64), locked)?;
        let split = split_stop(tx, id, stop, &placement.short[s], at.is_some())?;
        for k in 0..stop.needs.len() {
            let short = placement.short[s].iter().any(|(i, _)| *i == k);
            let home = match (&split, short) {
                (Some(other), true) => other.clone(),
                _ => stop.id.clone(),
            };
            stored::set_load(tx, id, &need_row(p, placement, s, k, home))?;
        }
    }
    for stop in &p.emptied {
        stored::place_stop(tx, stop, None, 0, false)?;
    }
    for (need, why) in &p.dropped {
        stored::unplace_need(tx, id, need, why)?;
    }
    stored::touch(tx, stamp, id)?;
    let served = placement.placed.iter().filter(|x| x.is_some()).count();
    crate::store::record_change(
        tx,
        stamp,
        AuditAction::Update,
        "plan",
        &[id],
        &format!("re-optimised: {served} of {} stops placed", p.stops.len()),
    )
}
