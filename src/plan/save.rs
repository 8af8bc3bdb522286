//! Turning a search's solution into a saved plan: the runs' stops, the stock check (a depot
//! cannot give more than it has, less what other drafts reserve), reasons for what is left out,
//! and the rows written for a new plan or over a re-optimised one.

use std::collections::HashMap;

use rusqlite::Transaction;

use super::prepare::Prepared;
use super::problem::{COOLER, HIGH_CLEARANCE};
use super::rows::{self, NeedRow, StopRow};
use super::types::PlanStatus;
use crate::audit::{self, AuditAction};
use crate::error::Result;
use crate::store::Stamp;
use crate::vrp::{Solution, Unserved};

/// Where each of the problem's stops ends up: (run index, position), or why not served.
pub struct Placement {
    pub placed: Vec<Option<(usize, usize)>>,
    pub reasons: Vec<Option<&'static str>>,
    /// Per stop: its needs (indices) its run's depot cannot cover although it covers the others;
    /// they are split off into a stop of their own, left out with `not_enough_stock`.
    pub short: Vec<Vec<usize>>,
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

/// What a stop takes from a run's depot: (item, quantity) per need with an item.
fn wants(p: &Prepared, stop: usize, run: usize) -> Vec<(String, f64)> {
    let depot = p.ctx.depot_stock(&p.runs[run].site_id);
    p.stops[stop]
        .needs
        .iter()
        .filter_map(|need| super::problem::item_for(&p.ctx.items, depot, need).map(|i| (i.id.clone(), need.quantity)))
        .collect()
}

type Stock = HashMap<(String, String), f64>;

fn covers(available: &Stock, site: &str, wants: &[(String, f64)]) -> bool {
    wants.iter().all(|(item, _)| {
        let total: f64 = wants.iter().filter(|(i, _)| i == item).map(|(_, q)| q).sum();
        available.get(&(site.to_string(), item.clone())).copied().unwrap_or(0.0) + 1e-9 >= total
    })
}

fn take(available: &mut Stock, site: &str, wants: Vec<(String, f64)>) {
    for (item, q) in wants {
        *available.entry((site.to_string(), item)).or_default() -= q;
    }
}

/// The route's driving time if it respects every rule (capacity, windows, shift, skills).
fn route_cost(p: &Prepared, vehicle: usize, stops: &[usize]) -> Option<i64> {
    let solution = Solution { routes: vec![crate::vrp::Route { vehicle, stops: stops.to_vec() }], unserved: vec![] };
    let e = crate::vrp::evaluate::evaluate(&p.problem, &solution);
    e.violations.iter().all(|v| v.starts_with("required stop ")).then_some(e.duration)
}

/// The solution's placement after the stock check: stops are given stock most urgent first
/// (then in run order); a stop whose items its run's depot can no longer cover is taken off and
/// offered to the other runs whose depots still can, at the cheapest position that keeps the
/// run within its rules (the search does not see quantities, only which depot stocks what); what
/// no run can take is left out with `not_enough_stock`. `reserved` is what other drafts (and
/// this plan's locked runs) take.
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
    let urgency = |s: usize| p.stops[s].needs.iter().map(|x| x.urgency).min();
    let mut order: Vec<usize> = (0..n).filter(|&s| on[s].is_some()).collect();
    // Locked stops take their stock first (they stay whatever the stock says).
    order.sort_by_key(|&s| (p.problem.stops[s].vehicle.is_none(), urgency(s), on[s]));
    let mut dropped = Vec::new();
    let mut short = vec![Vec::new(); n];
    for s in order {
        let run = on[s].unwrap();
        let site = &p.runs[run].site_id;
        let want = wants(p, s, run);
        if p.problem.stops[s].vehicle.is_some() || covers(&available, site, &want) {
            take(&mut available, site, want);
            continue;
        }
        // Hand over what the depot still has, most urgent need first.
        let depot = p.ctx.depot_stock(site);
        let mut needs: Vec<usize> = (0..p.stops[s].needs.len()).collect();
        needs.sort_by_key(|&k| p.stops[s].needs[k].urgency);
        let mut given = Vec::new();
        for k in needs {
            let need = &p.stops[s].needs[k];
            let want: Vec<(String, f64)> = super::problem::item_for(&p.ctx.items, depot, need)
                .map(|i| (i.id.clone(), need.quantity))
                .into_iter()
                .collect();
            if covers(&available, site, &want) {
                take(&mut available, site, want);
                given.push(k);
            } else {
                short[s].push(k);
            }
        }
        if given.is_empty() {
            short[s].clear();
            routes[run].retain(|&x| x != s);
            on[s] = None;
            dropped.push(s);
        }
    }
    // Offer each dropped stop, most urgent first, to the runs whose depots still cover it.
    dropped.sort_by_key(|&s| urgency(s));
    for s in dropped {
        let mut best: Option<(i64, usize, usize)> = None;
        for (run, spec) in p.runs.iter().enumerate() {
            let site = &spec.site_id;
            if !p.problem.vehicles[run].skills & p.problem.stops[s].skills != 0
                || !covers(&available, site, &wants(p, s, run))
            {
                continue;
            }
            let Some(before) = route_cost(p, run, &routes[run]) else { continue };
            for pos in 0..=routes[run].len() {
                let mut tried = routes[run].clone();
                tried.insert(pos, s);
                if let Some(cost) = route_cost(p, run, &tried) {
                    if best.is_none_or(|b| cost - before < b.0) {
                        best = Some((cost - before, run, pos));
                    }
                }
            }
        }
        match best {
            Some((_, run, pos)) => {
                take(&mut available, &p.runs[run].site_id, wants(p, s, run));
                routes[run].insert(pos, s);
                on[s] = Some(run);
            }
            None => reasons[s] = Some("not_enough_stock"),
        }
    }
    let mut placed = vec![None; n];
    for (run, stops) in routes.iter().enumerate() {
        for (pos, &s) in stops.iter().enumerate() {
            placed[s] = Some((run, pos));
        }
    }
    Placement { placed, reasons, short }
}

fn item_of(p: &Prepared, run: Option<usize>, need: &crate::need::Need) -> Option<String> {
    let depot = run.map(|r| p.ctx.depot_stock(&p.runs[r].site_id)).unwrap_or(&[]);
    super::problem::item_for(&p.ctx.items, depot, need).map(|i| i.id.clone())
}

/// A stop of its own, off every run, for the needs of `stop` its depot could not cover.
fn split_stop(
    tx: &Transaction<'_>,
    plan: &str,
    stop: &super::prepare::StopDraft,
    short: &[usize],
) -> Result<Option<String>> {
    if short.is_empty() {
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
    rows::insert_stop(tx, plan, &row)?;
    Ok(Some(id))
}

/// Writes a new draft (replacing the day's draft, which becomes discarded); returns its id.
pub fn write_new(tx: &Transaction<'_>, stamp: &Stamp, p: &Prepared, placement: &Placement) -> Result<String> {
    let replaced = rows::draft_for(tx, &p.day)?;
    if let Some(old) = &replaced {
        rows::set_status(tx, stamp, old, PlanStatus::Discarded)?;
        audit::record(tx, stamp, AuditAction::Update, "plan", &[old], "discarded: replaced by a new plan")?;
    }
    let id = crate::ids::new_id();
    let plan = rows::PlanRow {
        id: id.clone(),
        day: p.day.clone(),
        day_start: crate::store::timestamp(p.day_start),
        status: PlanStatus::Draft,
        request: serde_json::to_string(&p.request)?,
        estimated: p.estimated,
        created_at: stamp.now.clone(),
        created_by: stamp.operator.clone(),
    };
    rows::insert_plan(tx, stamp, &plan)?;
    for run in &p.runs {
        rows::insert_run(tx, &id, run)?;
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
        rows::insert_stop(tx, &id, &row)?;
        let split = split_stop(tx, &id, stop, &placement.short[s])?;
        for (k, need) in stop.needs.iter().enumerate() {
            let short = placement.short[s].contains(&k);
            rows::insert_need(
                tx,
                &id,
                &NeedRow {
                    need_id: need.id.clone(),
                    household_id: need.household_id.clone(),
                    stop_id: Some(if short { split.clone().unwrap_or_default() } else { stop.id.clone() }),
                    reason: if short {
                        Some("not_enough_stock".into())
                    } else {
                        placement.reasons[s].map(str::to_string)
                    },
                    item_id: item_of(p, at.map(|a| a.0), need),
                    quantity: need.quantity,
                },
            )?;
        }
    }
    for (need, why) in &p.left_out {
        rows::insert_need(
            tx,
            &id,
            &NeedRow {
                need_id: need.id.clone(),
                household_id: need.household_id.clone(),
                stop_id: None,
                reason: Some(why.to_string()),
                item_id: None,
                quantity: need.quantity,
            },
        )?;
    }
    let served = placement.placed.iter().filter(|x| x.is_some()).count();
    let detail = format!("{} runs, {served} of {} stops planned", p.runs.len(), p.stops.len());
    audit::record(tx, stamp, AuditAction::Create, "plan", &[&id], &detail)?;
    Ok(id)
}

/// Writes a re-optimised layout over the plan's unlocked part.
pub fn write_again(tx: &Transaction<'_>, stamp: &Stamp, p: &Prepared, placement: &Placement) -> Result<()> {
    let saved = p.saved.as_ref().expect("re-optimising a saved plan");
    let id = &saved.plan.id;
    for (s, stop) in p.stops.iter().enumerate() {
        let at = placement.placed[s];
        let locked = saved.stops.iter().any(|x| x.id == stop.id && x.locked) && at.is_some();
        rows::place_stop(tx, &stop.id, at.map(|(r, _)| p.runs[r].id.as_str()), at.map_or(0, |a| a.1 as i64), locked)?;
        let split = split_stop(tx, id, stop, &placement.short[s])?;
        for (k, need) in stop.needs.iter().enumerate() {
            let item = item_of(p, at.map(|a| a.0), need);
            match &split {
                Some(other) if placement.short[s].contains(&k) => {
                    rows::move_need(tx, id, &need.id, other)?;
                    rows::set_need(tx, id, &need.id, Some("not_enough_stock"), item.as_deref())?;
                }
                _ => rows::set_need(tx, id, &need.id, placement.reasons[s], item.as_deref())?,
            }
        }
    }
    rows::touch(tx, stamp, id)?;
    let served = placement.placed.iter().filter(|x| x.is_some()).count();
    audit::record(
        tx,
        stamp,
        AuditAction::Update,
        "plan",
        &[id],
        &format!("re-optimised: {served} of {} stops placed", p.stops.len()),
    )
}
