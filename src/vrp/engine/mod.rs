//! The search: iterated local search with ruin and recreate, late acceptance and adaptive
//! penalties for excess load and time warp (the penalty management of Vidal 2022
//! and PyVRP, Wouda, Lan & Kool 2024), over a granular local search whose moves are priced in
//! constant time from cached route segments. Written for Aidmap from those papers.
//!
//! Deterministic for a seed when stopped by `max_iterations`; stops at the time limit, the
//! iteration limit, or when `cancel` is set; reports the best cost as it goes. Stops that no
//! vehicle could serve even alone are left out before the search, each with its reason.

mod data;
mod ls;
mod route;
mod ruin;
mod segment;
mod state;

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use self::data::Data;
use self::segment::{Penalties, MAX_DIMS};
use self::state::State;
use super::model::{Problem, Route, Solution, Unserved, UNREACHABLE};

#[derive(Debug, Clone)]
pub struct Params {
    pub seed: u64,
    pub time_limit: Duration,
    /// Stop after this many iterations (tests use it for exact, repeatable results).
    pub max_iterations: Option<u64>,
}

impl Default for Params {
    fn default() -> Self {
        Params { seed: 1, time_limit: Duration::from_secs(10), max_iterations: None }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    pub elapsed: Duration,
    pub iterations: u64,
    /// Cost of the best feasible solution so far (`None` until one is found).
    pub best_cost: Option<i64>,
}

/// Clients removed per ruin, on average (SISR's c̄).
const AVG_REMOVED: f64 = 15.0;
/// Late-acceptance history length.
const HISTORY: usize = 100;
/// Iterations between penalty updates.
const PENALTY_WINDOW: u32 = 10;
/// The starting penalties are this many times a typical edge cost per unit of excess: the
/// search starts close to feasible (measured on mutual-aid instances of 200–2,000 stops: a
/// weak start leaves routes that are never repaired well).
const PENALTY_START: i64 = 10;

/// Why a stop cannot be served by any vehicle even on its own, if so.
fn alone(p: &Problem, stop: usize) -> Option<Unserved> {
    let s = &p.stops[stop];
    let skilled: Vec<_> = p.vehicles.iter().enumerate().filter(|(i, v)| s.servable_by(*i, v)).map(|(_, v)| v).collect();
    if skilled.is_empty() {
        return Some(Unserved::SkillMissing);
    }
    let roomy: Vec<_> = skilled.into_iter().filter(|v| s.demand.iter().zip(&v.capacity).all(|(d, c)| d <= c)).collect();
    if roomy.is_empty() {
        return Some(Unserved::NoCapacity);
    }
    let reachable: Vec<_> = roomy
        .into_iter()
        .filter(|v| p.duration(v.start, s.location) < UNREACHABLE && p.duration(s.location, v.end) < UNREACHABLE)
        .collect();
    if reachable.is_empty() {
        return Some(Unserved::Unreachable);
    }
    let in_time = reachable.iter().any(|v| {
        let arrive = v.shift.0 + p.duration(v.start, s.location);
        let start = arrive.max(s.tw.0);
        let back = start + s.service + p.duration(s.location, v.end);
        let began = (s.tw.0 - p.duration(v.start, s.location)).max(v.shift.0);
        start <= s.tw.1 && back <= v.shift.1 && back - began <= v.max_duration
    });
    if !in_time {
        return Some(Unserved::OutsideEveryShift);
    }
    None
}

/// Starting penalties: a unit of excess load or time warp costs about what a typical edge does
/// per unit of demand or time.
fn initial_penalties(data: &Data) -> Penalties {
    let n = data.n();
    let actives: Vec<usize> = (0..n).filter(|&c| data.active[c]).collect();
    if actives.is_empty() {
        return Penalties { load: 1, time_warp: 1 };
    }
    let veh = &data.vehicles[0];
    let (mut cost, mut time, mut demand) = (0i64, 0i64, 0i64);
    let step = (actives.len() / 50).max(1);
    let mut samples = 0i64;
    for (k, &i) in actives.iter().enumerate().step_by(step) {
        let j = actives[(k + actives.len() / 2 + 1) % actives.len()];
        let (d, t) = data.edge(data.clients[i].first as usize, data.clients[j].first as usize);
        if d >= UNREACHABLE || t >= UNREACHABLE {
            continue;
        }
        cost += veh.per_metre * d + veh.per_second * t;
        time += t;
        demand += data.clients[i].load.iter().sum::<i64>();
        samples += 1;
    }
    let samples = samples.max(1);
    let avg_cost = (cost / samples).max(1);
    Penalties {
        load: PENALTY_START * (avg_cost / (demand / samples).max(1)).clamp(1, 100_000),
        time_warp: PENALTY_START * (avg_cost / (time / samples).max(1)).clamp(1, 100_000),
    }
}

/// Leaves out clients of infeasible routes until every route is feasible (only used when the
/// search found no feasible solution in its time).
fn repair(data: &Data, s: &mut State) -> Vec<usize> {
    let zero = Penalties { load: 0, time_warp: 0 };
    let mut dropped = Vec::new();
    for r in 0..s.routes.len() {
        while !s.routes[r].is_empty() && !data.route_feasible(s.routes[r].vehicle, s.routes[r].whole()) {
            // Drop the client whose removal leaves the least violation.
            let route = &s.routes[r];
            let veh = route.vehicle;
            let m = route.len();
            let best = (1..=m)
                .min_by_key(|&p| {
                    let seg = self::segment::Seg::merge(data, &route.pre[p - 1], &route.suf[p + 1]);
                    let big = Penalties { load: 1_000_000, time_warp: 1_000 };
                    data.route_cost(veh, &seg, &big)
                })
                .unwrap();
            let c = route.clients[best - 1] as usize;
            s.remove(data, &zero, c);
            dropped.push(c);
        }
    }
    dropped
}

/// Solves `problem`; returns the best feasible solution found. Stops no vehicle can serve, and
/// (when no feasible solution was found in time) stops that had to be left out, are listed as
/// unserved with their reasons.
pub fn solve(
    problem: &Problem,
    params: &Params,
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(&Progress),
) -> Result<Solution, String> {
    problem.check()?;
    if problem.dims > MAX_DIMS {
        return Err(format!("at most {MAX_DIMS} load dimensions"));
    }
    let started = Instant::now();
    let mut unserved: Vec<(usize, Unserved)> = Vec::new();
    let mut active = vec![true; problem.stops.len()];
    for (i, a) in active.iter_mut().enumerate() {
        if let Some(why) = alone(problem, i) {
            *a = false;
            unserved.push((i, why));
        }
    }
    let data = Data::new(problem, active);
    let mut rng = ChaCha8Rng::seed_from_u64(params.seed);
    let mut pen = initial_penalties(&data);
    let mut search = ls::Search::new(&data, pen);

    // Start: every client inserted where it costs least, in a random order, then improved.
    let mut current = State::empty(&data);
    let mut order: Vec<usize> = (0..data.n()).filter(|&c| data.active[c]).collect();
    rand::seq::SliceRandom::shuffle(order.as_mut_slice(), &mut rng);
    ruin::recreate(&data, &pen, &mut current, &mut rng, order);
    search.run(&mut current, &mut rng);
    let mut current_cost = current.cost(&data);
    let mut best: Option<(i64, State)> = None;
    if current.feasible(&data) {
        best = Some((current.objective(&data), current.clone()));
    }
    let avg_removed = AVG_REMOVED.min(data.n() as f64 / 4.0).max(1.0);

    // Late acceptance (Burke & Bykov 2017): a candidate is kept when it beats the current
    // solution or the one of `HISTORY` iterations ago.
    let mut history = vec![current_cost; HISTORY];
    let mut iterations: u64 = 0;
    let mut clock = current.stamp;
    let (mut feasible_load, mut feasible_tw, mut window) = (0u32, 0u32, 0u32);
    let mut last_report = Instant::now();
    let report = |best: &Option<(i64, State)>, iterations: u64, progress: &mut dyn FnMut(&Progress)| {
        progress(&Progress { elapsed: started.elapsed(), iterations, best_cost: best.as_ref().map(|b| b.0) });
    };
    report(&best, 0, progress);
    loop {
        let elapsed = started.elapsed();
        let done = match params.max_iterations {
            Some(max) => iterations >= max,
            None => elapsed >= params.time_limit,
        };
        if done || cancel.load(Ordering::Relaxed) || data.n() == 0 {
            break;
        }
        iterations += 1;

        let mut cand = current.clone();
        cand.stamp = clock;
        let removed = ruin::ruin(&data, &pen, &mut cand, &mut rng, avg_removed);
        ruin::recreate(&data, &pen, &mut cand, &mut rng, removed);
        search.run(&mut cand, &mut rng);
        // Feasibility statistics for the penalty update.
        let load_ok = cand
            .routes
            .iter()
            .all(|r| r.is_empty() || self::segment::excess(&r.whole().load, &data.vehicles[r.vehicle].capacity) == 0);
        let tw_ok = cand.routes.iter().all(|r| {
            r.is_empty()
                || (r.whole().dur.time_warp == 0 && r.whole().dur.duration <= data.vehicles[r.vehicle].max_duration)
        });
        feasible_load += load_ok as u32;
        feasible_tw += tw_ok as u32;
        window += 1;
        // An infeasible result is sometimes repaired under much higher penalties.
        if !(load_ok && tw_ok) && rng.gen_bool(0.5) {
            let saved = search.pen;
            search.pen = Penalties { load: pen.load * 10, time_warp: pen.time_warp * 10 };
            cand.touch_infeasible(&data);
            search.run(&mut cand, &mut rng);
            search.pen = saved;
            cand.touch_infeasible(&data);
            cand.reprice(&data, &pen);
        }
        clock = clock.max(cand.stamp);
        if cand.feasible(&data) {
            let obj = cand.objective(&data);
            if best.as_ref().is_none_or(|b| obj < b.0) {
                best = Some((obj, cand.clone()));
            }
        }
        let cand_cost = cand.cost(&data);
        let slot = (iterations as usize) % history.len();
        let accept = cand_cost < history[slot] || cand_cost <= current_cost;
        history[slot] = if accept { cand_cost } else { current_cost };
        if accept {
            current = cand;
            current_cost = cand_cost;
        }
        if window >= PENALTY_WINDOW {
            let adjust = |p: i64, ok: u32| -> i64 {
                let share = ok as f64 / window as f64;
                if share < 0.45 {
                    ((p as f64 * 1.3).ceil() as i64).min(1_000_000_000)
                } else if share > 0.55 {
                    ((p as f64 * 0.85) as i64).max(1)
                } else {
                    p
                }
            };
            let next =
                Penalties { load: adjust(pen.load, feasible_load), time_warp: adjust(pen.time_warp, feasible_tw) };
            if next != pen {
                pen = next;
                search.pen = pen;
                search.reset();
                current.reprice(&data, &pen);
                current_cost = current.cost(&data);
            }
            (feasible_load, feasible_tw, window) = (0, 0, 0);
        }
        if last_report.elapsed() >= Duration::from_millis(200) {
            report(&best, iterations, progress);
            last_report = Instant::now();
        }
    }
    report(&best, iterations, progress);

    let mut result = match best {
        Some((_, s)) => s,
        None => {
            let mut s = current;
            for c in repair(&data, &mut s) {
                unserved.push((c, Unserved::NotChosen));
            }
            s
        }
    };
    for c in 0..data.n() {
        if data.active[c] && !result.routed(c) && !unserved.iter().any(|u| u.0 == c) {
            unserved.push((c, Unserved::NotChosen));
        }
    }
    unserved.sort_by_key(|u| u.0);
    let routes = std::mem::take(&mut result.routes)
        .into_iter()
        .filter(|r| !r.is_empty())
        .map(|r| Route { vehicle: r.vehicle, stops: r.clients.iter().map(|&c| c as usize).collect() })
        .collect();
    Ok(Solution { routes, unserved })
}

#[cfg(test)]
mod tests;
