//! A saved plan as the board shows it: each run's schedule recomputed leg by leg from the road
//! router (or estimates), with its load, path and the rules it breaks after hand edits; the
//! needs left unserved with why; the stock the plan takes from each depot.
//!
//! The schedule is computed here rather than by the engine's evaluator because a hand-edited
//! run needs the road geometry of each leg anyway, and one path query gives both.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};

use super::prepare::{offset, Context};
use super::problem::{self, HIGH_CLEARANCE};
use super::stored::{self, Saved};
use super::types::*;
use crate::error::Result;
use crate::need::Need;
use crate::region::RegionPack;
use crate::Store;

pub use crate::region::FAR_FROM_ROAD_M;

struct Leg {
    duration: f64,
    distance: f64,
    points: Vec<[f64; 2]>,
    reachable: bool,
}

fn leg(region: Option<&RegionPack>, from: (f64, f64), to: (f64, f64)) -> Leg {
    let straight = vec![[from.1, from.0], [to.1, to.0]];
    if from == to {
        return Leg { duration: 0.0, distance: 0.0, points: straight, reachable: true };
    }
    if let Some(router) = region.and_then(|r| r.router()) {
        return match router.path(from, to) {
            Some(p) => Leg {
                duration: p.duration_s,
                distance: p.distance_m,
                points: p.points.iter().map(|&(lat, lon)| [lon, lat]).collect(),
                reachable: true,
            },
            None => Leg { duration: 0.0, distance: 0.0, points: straight, reachable: false },
        };
    }
    let t = crate::region::estimate_table(&[from], &[to]);
    Leg {
        duration: t.durations_s[0][0].unwrap_or(0.0),
        distance: t.distances_m[0][0].unwrap_or(0.0),
        points: straight,
        reachable: true,
    }
}

fn at(day_start: DateTime<Utc>, seconds: i64) -> String {
    crate::clock::timestamp(day_start + chrono::Duration::seconds(seconds))
}

/// The plan's needs with their current details (a need purged or merged away since is left out).
fn current_needs(store: &Store, saved: &Saved) -> HashMap<String, Need> {
    saved
        .needs
        .iter()
        .filter_map(|n| crate::need::get(store.conn(), &n.need_id).ok().map(|x| (n.need_id.clone(), x)))
        .collect()
}

pub fn view(store: &Store, region: Option<&RegionPack>, id: &str) -> Result<PlanView> {
    let saved = stored::load(store.conn(), id)?;
    let homes: HashSet<String> = saved.needs.iter().map(|n| n.household_id.clone()).collect();
    let ctx = Context::read(store, Some(&homes))?;
    let needs = current_needs(store, &saved);
    let day_start = DateTime::parse_from_rfc3339(&saved.plan.day_start).map(|t| t.to_utc()).unwrap_or_default();
    let draft = saved.plan.status == PlanStatus::Draft;
    let reserved = if draft { crate::stock::reserved(store.conn(), Some(id))? } else { HashMap::new() };

    let plan_need = |row: &stored::NeedRow| -> Option<PlanNeed> {
        let need = needs.get(&row.need_id)?;
        let item = ctx.item(row.item_id.as_deref());
        Some(PlanNeed {
            need_id: row.need_id.clone(),
            household_id: row.household_id.clone(),
            category: need.category,
            urgency: need.urgency,
            quantity: row.asked_quantity.unwrap_or(need.quantity),
            unit: row.asked_unit.clone().unwrap_or_else(|| need.unit.clone()),
            item_id: item.map(|i| i.id.clone()),
            item_name: item.map(|i| i.name.clone()),
            cold_chain: problem::cold_chain(need, item, ctx.households.get(&row.household_id)),
            missing: row.missing,
        })
    };
    // The stored load, as shown: weights from the catalogue, the asked quantity when converted.
    let plan_load = |row: &stored::NeedRow, need: &PlanNeed| -> Option<PlanLoad> {
        let item = ctx.item(row.item_id.as_deref())?;
        let own = row.substitute_for.as_deref().and_then(|i| ctx.item(Some(i)));
        let asked = match (row.asked_quantity, row.asked_unit.as_deref()) {
            (Some(q), Some(u))
                if crate::catalogue::unit_key(u) != crate::catalogue::unit_key(&own.unwrap_or(item).unit)
                    || own.is_some() =>
            {
                Some(format!("{} {}", crate::text::number(q), u))
            }
            _ => None,
        };
        Some(PlanLoad {
            need_id: row.need_id.clone(),
            item_id: item.id.clone(),
            item_name: item.name.clone(),
            quantity: row.quantity,
            unit: item.unit.clone(),
            substitute_for: own.map(|i| i.id.clone()),
            substitute_for_name: own.map(|i| i.name.clone()),
            asked,
            kg: row.quantity * item.weight_kg,
            litres: row.quantity * item.volume_l,
            cold_chain: need.cold_chain,
            delivered: row.delivered,
        })
    };
    let label = |household_id: &str| -> (String, String) {
        ctx.households.get(household_id).map(|h| (h.name.clone(), h.address.clone())).unwrap_or_default()
    };

    let mut taken: HashMap<(String, String), f64> = HashMap::new();
    let mut runs = Vec::new();
    for run in &saved.runs {
        let site = ctx.sites.get(&run.site_id);
        let end_site = ctx.sites.get(&run.end_site_id).or(site);
        let depot_at = site.map(|s| (s.lat, s.lon)).unwrap_or_default();
        let end_at = end_site.map(|s| (s.lat, s.lon)).unwrap_or(depot_at);
        let (shift_start, shift_end) = (offset(day_start, &run.starts_at), offset(day_start, &run.ends_at));
        let stops: Vec<&stored::StopRow> = saved.stops_of(&run.id).collect();
        let mut violations = Vec::new();
        let mut path: Vec<[f64; 2]> = vec![[depot_at.1, depot_at.0]];
        let (mut t, mut drive, mut dist, mut prev) = (shift_start.max(0) as f64, 0f64, 0f64, depot_at);
        let mut planned = Vec::new();
        let mut total = [0f64; 3];
        for stop in &stops {
            let rows: Vec<&stored::NeedRow> =
                saved.needs_of(&stop.id).filter(|r| needs.contains_key(&r.need_id)).collect();
            let pn: Vec<PlanNeed> = rows.iter().filter_map(|r| plan_need(r)).collect();
            let loads: Vec<PlanLoad> = rows.iter().zip(&pn).filter_map(|(r, n)| plan_load(r, n)).collect();
            let full: Vec<&Need> = rows.iter().filter_map(|r| needs.get(&r.need_id)).collect();
            let l = leg(region, prev, (stop.lat, stop.lon));
            if !l.reachable {
                violations.push(Violation { kind: "unreachable".into(), stop_id: Some(stop.id.clone()) });
            }
            path.extend(l.points.into_iter().skip(1));
            t += l.duration;
            drive += l.duration;
            dist += l.distance;
            let latest = if full.iter().any(|n| n.wanted_by.as_deref().is_some_and(|w| w <= saved.plan.day.as_str())) {
                86_400.0
            } else {
                f64::INFINITY
            };
            if t > latest {
                violations.push(Violation { kind: "late".into(), stop_id: Some(stop.id.clone()) });
            }
            if pn.iter().any(|n| n.cold_chain) && run.skills & problem::COOLER == 0 {
                violations.push(Violation { kind: "no_cooler".into(), stop_id: Some(stop.id.clone()) });
            }
            if ctx.needs_high_clearance((stop.lat, stop.lon)) && run.skills & HIGH_CLEARANCE == 0 {
                violations.push(Violation { kind: "high_clearance".into(), stop_id: Some(stop.id.clone()) });
            }
            // Far from every road of the pack: the route ends short of the door (never silent).
            if let Some(d) = region.and_then(|r| r.router()).and_then(|r| r.road_distance_m(stop.lat, stop.lon)) {
                if d > FAR_FROM_ROAD_M {
                    violations.push(Violation { kind: "far_from_road".into(), stop_id: Some(stop.id.clone()) });
                }
            }
            // An item with no weight and no volume makes the load look lighter than it is.
            if loads.iter().any(|l| ctx.item(Some(&l.item_id)).is_some_and(|i| i.weight_kg == 0.0 && i.volume_l == 0.0))
            {
                violations.push(Violation { kind: "weight_unknown".into(), stop_id: Some(stop.id.clone()) });
            }
            // A draft saved before schema 9 chose its items by category: it must be planned again.
            if draft && rows.iter().any(|r| r.asked_quantity.is_none()) {
                violations.push(Violation { kind: "replan".into(), stop_id: Some(stop.id.clone()) });
            }
            // Only a draft is checked against stock: once dispatched, the loads have left.
            if draft && (loads.len() < pn.len() || loads.iter().any(|l| ctx.on_hand(&run.site_id, &l.item_id) <= 0.0)) {
                violations.push(Violation { kind: "not_stocked".into(), stop_id: Some(stop.id.clone()) });
            }
            for l in &loads {
                *taken.entry((run.site_id.clone(), l.item_id.clone())).or_default() += l.quantity;
            }
            let spec = (loads.iter().map(|l| l.kg).sum::<f64>(), loads.iter().map(|l| l.litres).sum::<f64>());
            let eta = t.round() as i64;
            t += problem::service_s(full.len()) as f64;
            // Pieces to carry (12 bottles and 1 parcel are 13), not need lines.
            let pieces: f64 = loads.iter().map(|l| l.quantity.ceil()).sum();
            let load = [spec.0, spec.1, pieces];
            for d in 0..3 {
                total[d] += load[d];
            }
            let (name, address) = rows.first().map(|r| label(&r.household_id)).unwrap_or_default();
            let households: HashSet<&str> = rows.iter().map(|r| r.household_id.as_str()).collect();
            planned.push((
                PlanStop {
                    id: stop.id.clone(),
                    lat: stop.lat,
                    lon: stop.lon,
                    label: name,
                    address,
                    households: households.len() as u32,
                    needs: pn,
                    loads,
                    locked: stop.locked,
                    eta: at(day_start, eta),
                    load_after: [0.0; 3],
                    outcome: stop.outcome,
                },
                load,
            ));
            prev = (stop.lat, stop.lon);
        }
        let home = leg(region, prev, end_at);
        if !home.reachable && !stops.is_empty() {
            violations.push(Violation { kind: "unreachable".into(), stop_id: None });
        }
        path.extend(home.points.into_iter().skip(1));
        if !stops.is_empty() {
            drive += home.duration;
            dist += home.distance;
            t += home.duration;
        }
        if t.round() as i64 > shift_end {
            violations.push(Violation { kind: "after_shift".into(), stop_id: None });
        }
        if total[0] > run.capacity_kg + 1e-6 || total[1] > run.capacity_l + 1e-6 {
            violations.push(Violation { kind: "over_capacity".into(), stop_id: None });
        }
        let mut on_board = total;
        let stops_out = planned
            .into_iter()
            .map(|(mut s, load)| {
                for d in 0..3 {
                    on_board[d] -= load[d];
                }
                s.load_after = on_board.map(|x| (x.max(0.0) * 1000.0).round() / 1000.0);
                s
            })
            .collect();
        runs.push(PlanRun {
            id: run.id.clone(),
            shift_id: run.shift_id.clone(),
            driver: run.driver.clone(),
            vehicle: run.vehicle.clone(),
            site_id: run.site_id.clone(),
            site_name: site.map(|s| s.name.clone()).unwrap_or_default(),
            locked: run.locked,
            stops: stops_out,
            shift_start: run.starts_at.clone(),
            shift_end: run.ends_at.clone(),
            departure: at(day_start, shift_start.max(0)),
            back: at(day_start, t.round() as i64),
            drive_s: drive.round() as i64,
            distance_m: dist.round() as i64,
            load: total.map(|x| (x * 1000.0).round() / 1000.0),
            capacity: [run.capacity_kg, run.capacity_l],
            violations,
            path: if stops.is_empty() { Vec::new() } else { path },
        });
    }

    // Stock per depot and item; a run-level violation where a depot is short.
    let mut stock: Vec<PlanStock> = taken
        .iter()
        .map(|((site, item), &quantity)| {
            let on_hand = ctx.depot_stock(site).iter().find(|s| &s.item.id == item).map_or(0.0, |s| s.quantity);
            PlanStock {
                site_id: site.clone(),
                site_name: ctx.sites.get(site).map(|s| s.name.clone()).unwrap_or_default(),
                item_id: item.clone(),
                item_name: ctx.item(Some(item)).map(|i| i.name.clone()).unwrap_or_default(),
                quantity,
                on_hand,
                reserved_elsewhere: reserved.get(&(site.clone(), item.clone())).copied().unwrap_or(0.0),
            }
        })
        .collect();
    stock.sort_by(|a, b| (&a.site_name, &a.item_name).cmp(&(&b.site_name, &b.item_name)));
    if draft {
        for s in stock.iter().filter(|s| s.quantity > s.on_hand - s.reserved_elsewhere + 1e-9) {
            for run in runs.iter_mut().filter(|r| r.site_id == s.site_id && !r.stops.is_empty()) {
                let uses = run.stops.iter().flat_map(|x| &x.loads).any(|l| l.item_id == s.item_id);
                if uses && !run.violations.iter().any(|v| v.kind == "not_stocked" && v.stop_id.is_none()) {
                    run.violations.push(Violation { kind: "not_stocked".into(), stop_id: None });
                }
            }
        }
    }

    let placed: HashSet<&str> = saved.stops.iter().filter(|s| s.run_id.is_some()).map(|s| s.id.as_str()).collect();
    let stop_at: HashMap<&str, (f64, f64)> = saved.stops.iter().map(|s| (s.id.as_str(), (s.lat, s.lon))).collect();
    let mut unserved: Vec<UnservedNeed> = saved
        .needs
        .iter()
        .filter(|n| n.stop_id.as_deref().is_none_or(|s| !placed.contains(s)))
        .filter_map(|row| {
            let need = plan_need(row)?;
            let home = ctx.households.get(&row.household_id);
            let (lat, lon) = row
                .stop_id
                .as_deref()
                .and_then(|s| stop_at.get(s).copied())
                .or(home.map(|h| (h.lat, h.lon)))
                .unwrap_or_default();
            Some(UnservedNeed {
                need,
                stop_id: row.stop_id.clone(),
                lat,
                lon,
                label: home.map(|h| h.name.clone()).unwrap_or_default(),
                reason: row.reason.clone().unwrap_or_else(|| "removed".into()),
            })
        })
        .collect();
    // Critical first: the board lists them at the top of its review.
    unserved.sort_by_key(|u| u.need.urgency);
    let feasible = runs.iter().all(|r| r.violations.is_empty());
    let info = PlanInfo {
        id: saved.plan.id.clone(),
        day: saved.plan.day.clone(),
        status: saved.plan.status,
        created_at: saved.plan.created_at.clone(),
        created_by: saved.plan.created_by.clone(),
        runs: runs.iter().filter(|r| !r.stops.is_empty()).count() as u32,
        stops: runs.iter().map(|r| r.stops.len() as u32).sum(),
        needs_served: runs.iter().flat_map(|r| &r.stops).map(|s| s.needs.len() as u32).sum(),
        unserved: unserved.len() as u32,
        drive_s: runs.iter().map(|r| r.drive_s).sum(),
        estimated: region.and_then(|r| r.router()).is_none(),
        made_elsewhere: stored::made_elsewhere(store.conn(), &saved.plan.id)?,
    };
    Ok(PlanView { info, runs, unserved, stock, feasible })
}
