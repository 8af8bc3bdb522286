//! The independent check of a solution: schedule, loads, violations and cost. It shares no
//! code with the search, so a bug in one is caught by the other, and it follows the benchmark
//! harness's checker (`problem.py`): costs of the `.sol` best-known solutions come out exact.
//!
//! Each route gets its earliest schedule: it leaves its start at `shift.0`, drives, waits when
//! early, serves; service must start by the stop's `tw.1`, and the vehicle must be back at its
//! end by `shift.1`. The route's duration (for `max_duration`) is the shortest the visits
//! allow: the departure may be put off as long as no window and the shift end are missed, so
//! waiting that a later departure avoids does not count. Deliveries only: a vehicle leaves
//! with everything its route delivers.

use serde::Serialize;

use super::model::{Problem, Solution, Time, UNREACHABLE};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    /// Σ over used vehicles of `fixed_cost + cost_per_metre·distance + cost_per_second·duration`
    /// + the penalties of the optional stops not served.
    pub cost: i64,
    /// Σ of the distance matrix over every driven leg.
    pub distance: i64,
    /// Σ of the duration matrix over every driven leg (driving only: no service, no waiting).
    pub duration: Time,
    /// Σ of the penalties of the optional stops not served.
    pub penalty: i64,
    /// No violation.
    pub feasible: bool,
    /// One sentence per broken rule (routes numbered from 1).
    pub violations: Vec<String>,
    /// Routes with at least one stop, in the solution's order.
    pub routes: Vec<RouteSchedule>,
    /// Stops served at least once.
    pub served: usize,
    /// Stops in no route (indices into `Problem::stops`).
    pub unserved: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RouteSchedule {
    /// Index into `Problem::vehicles`.
    pub vehicle: usize,
    /// Leaves its start (the shift's start).
    pub departure: Time,
    /// The latest departure that still makes every window and the shift end (`None` when
    /// even the earliest does not).
    pub latest_departure: Option<Time>,
    /// Arrives back at its end.
    pub arrival: Time,
    pub distance: i64,
    /// Driving only.
    pub duration: Time,
    /// Shortest time from leaving the start to arriving at the end, waiting included.
    pub span: Time,
    /// Loaded at the start, per dimension.
    pub load: Vec<i64>,
    /// This route's share of the cost (fixed cost and driving).
    pub cost: i64,
    pub visits: Vec<Visit>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Visit {
    /// Index into `Problem::stops`.
    pub stop: usize,
    pub arrival: Time,
    /// Service starts (after waiting for the window to open).
    pub start: Time,
    pub departure: Time,
    /// Still on board after this stop, per dimension.
    pub load_after: Vec<i64>,
}

/// Checks and costs `solution` against `problem`. Never panics: routes or stops that name
/// nothing in the problem are reported and left out.
pub fn evaluate(problem: &Problem, solution: &Solution) -> Evaluation {
    let mut violations = Vec::new();
    let mut seen_in: Vec<Option<usize>> = vec![None; problem.stops.len()];
    let mut driven_by: Vec<Option<usize>> = vec![None; problem.vehicles.len()];
    let mut routes = Vec::new();
    let (mut cost, mut distance, mut duration) = (0i64, 0i64, 0i64);
    for (r, route) in solution.routes.iter().enumerate() {
        if route.stops.is_empty() {
            continue;
        }
        let Some(vehicle) = problem.vehicles.get(route.vehicle) else {
            violations.push(format!(
                "route {}: vehicle index {} of {} vehicles",
                r + 1,
                route.vehicle,
                problem.vehicles.len()
            ));
            continue;
        };
        let label = format!("route {} (vehicle {})", r + 1, vehicle.id);
        if let Some(first) = driven_by[route.vehicle].replace(r) {
            violations.push(format!("{label}: the vehicle already drives route {}", first + 1));
        }
        let mut stops = Vec::with_capacity(route.stops.len());
        for &s in &route.stops {
            if s >= problem.stops.len() {
                violations.push(format!("{label}: stop index {s} of {} stops", problem.stops.len()));
                continue;
            }
            let stop = &problem.stops[s];
            match seen_in[s] {
                Some(other) if other == r => violations.push(format!("{label}: stop {} is served twice", stop.id)),
                Some(other) => {
                    violations.push(format!("{label}: stop {} is also served by route {}", stop.id, other + 1))
                }
                None => seen_in[s] = Some(r),
            }
            if stop.skills & !vehicle.skills != 0 {
                violations.push(format!("{label}: stop {} needs skills the vehicle lacks", stop.id));
            }
            if stop.vehicle.is_some_and(|v| v != route.vehicle) {
                violations.push(format!("{label}: stop {} is locked to another vehicle", stop.id));
            }
            if stop.allowed.as_ref().is_some_and(|a| !a.contains(&route.vehicle)) {
                violations.push(format!("{label}: stop {} is not allowed on this vehicle", stop.id));
            }
            stops.push(s);
        }
        if stops.is_empty() {
            continue;
        }
        let schedule = schedule(problem, route.vehicle, &stops, &label, &mut violations);
        cost = cost.saturating_add(schedule.cost);
        distance = distance.saturating_add(schedule.distance);
        duration = duration.saturating_add(schedule.duration);
        routes.push(schedule);
    }
    for (s, reason) in &solution.unserved {
        match (problem.stops.get(*s), seen_in.get(*s).copied().flatten()) {
            (None, _) => violations.push(format!("unserved stop index {s} of {} stops", problem.stops.len())),
            (Some(stop), Some(r)) => violations.push(format!(
                "stop {} is listed as unserved ({reason:?}) but route {} serves it",
                stop.id,
                r + 1
            )),
            (Some(_), None) => {}
        }
    }
    let mut penalty = 0i64;
    let mut unserved = Vec::new();
    for (s, stop) in problem.stops.iter().enumerate() {
        if seen_in[s].is_some() {
            continue;
        }
        unserved.push(s);
        if stop.required {
            violations.push(format!("required stop {} is not served", stop.id));
        } else {
            penalty = penalty.saturating_add(stop.penalty);
        }
    }
    Evaluation {
        cost: cost.saturating_add(penalty),
        distance,
        duration,
        penalty,
        feasible: violations.is_empty(),
        violations,
        routes,
        served: problem.stops.len() - unserved.len(),
        unserved,
    }
}

/// The earliest schedule of one route (stops already checked to exist), its loads and cost.
fn schedule(problem: &Problem, v: usize, stops: &[usize], label: &str, violations: &mut Vec<String>) -> RouteSchedule {
    let vehicle = &problem.vehicles[v];
    let size = problem.size;
    let inside = |l: usize| l < size;
    // A leg's duration and distance, or None (reported) when it is unreachable or off the matrix.
    let leg = |from: usize, to: usize, violations: &mut Vec<String>| -> (Time, i64) {
        let cell = from.checked_mul(size).and_then(|c| c.checked_add(to)).filter(|_| inside(from) && inside(to));
        let found = cell.and_then(|c| Some((*problem.duration.get(c)?, *problem.distance.get(c)?)));
        let Some((t, d)) = found else {
            violations.push(format!("{label}: a leg leaves the {size} locations of the matrices"));
            return (0, 0);
        };
        if t >= UNREACHABLE || d >= UNREACHABLE {
            violations.push(format!("{label}: no road from location {from} to location {to}"));
            return (0, 0);
        }
        (t, d)
    };
    let dims = problem.dims;
    let mut load = vec![0i64; dims];
    for &s in stops {
        for (k, l) in load.iter_mut().enumerate() {
            *l = l.saturating_add(problem.stops[s].demand.get(k).copied().unwrap_or(0));
        }
    }
    for (k, (&l, &c)) in load.iter().zip(&vehicle.capacity).enumerate() {
        if l > c {
            let dim = if dims > 1 { format!(" in dimension {}", k + 1) } else { String::new() };
            violations.push(format!("{label}: loads {l}{dim}, over the capacity of {c}"));
        }
    }

    // Legs (start → stops → end), each (duration, distance).
    let mut legs = Vec::with_capacity(stops.len() + 1);
    let mut at = vehicle.start;
    for &s in stops {
        let to = problem.stops[s].location;
        legs.push(leg(at, to, violations));
        at = to;
    }
    legs.push(leg(at, vehicle.end, violations));

    let departure = vehicle.shift.0;
    let mut t = departure;
    let mut on_board = load.clone();
    let mut visits = Vec::with_capacity(stops.len());
    let mut on_time = true;
    for (i, &s) in stops.iter().enumerate() {
        let stop = &problem.stops[s];
        let arrival = t.saturating_add(legs[i].0);
        let start = arrival.max(stop.tw.0);
        if start > stop.tw.1 {
            on_time = false;
            violations
                .push(format!("{label}: stop {} served at {start}, after its window ends at {}", stop.id, stop.tw.1));
        }
        t = start.saturating_add(stop.service);
        for (k, l) in on_board.iter_mut().enumerate() {
            *l = l.saturating_sub(stop.demand.get(k).copied().unwrap_or(0));
        }
        visits.push(Visit { stop: s, arrival, start, departure: t, load_after: on_board.clone() });
    }
    let arrival = t.saturating_add(legs[stops.len()].0);
    if arrival > vehicle.shift.1 {
        on_time = false;
        violations.push(format!("{label}: back at {arrival}, after the shift ends at {}", vehicle.shift.1));
    }

    // Latest departure: backwards, the latest each service may start without missing a
    // later window or the shift end. When the earliest schedule keeps every window, so does
    // any departure up to that one (a later departure never arrives anywhere earlier).
    let mut latest = vehicle.shift.1.saturating_sub(legs[stops.len()].0);
    for (i, &s) in stops.iter().enumerate().rev() {
        let stop = &problem.stops[s];
        latest = latest.saturating_sub(stop.service).min(stop.tw.1).saturating_sub(legs[i].0);
    }
    let latest_departure = (on_time && latest >= departure).then_some(latest);
    // The shortest span: depart as late as allowed (waiting absorbed), then earliest again.
    let span = {
        let mut t = latest_departure.unwrap_or(departure);
        let leave = t;
        for (i, &s) in stops.iter().enumerate() {
            let stop = &problem.stops[s];
            t = t.saturating_add(legs[i].0).max(stop.tw.0).saturating_add(stop.service);
        }
        t.saturating_add(legs[stops.len()].0).saturating_sub(leave)
    };
    if span > vehicle.max_duration {
        violations.push(format!("{label}: takes {span}, longer than its maximum of {}", vehicle.max_duration));
    }

    let duration = legs.iter().fold(0i64, |a, l| a.saturating_add(l.0));
    let distance = legs.iter().fold(0i64, |a, l| a.saturating_add(l.1));
    let cost = vehicle
        .fixed_cost
        .saturating_add(vehicle.cost_per_metre.saturating_mul(distance))
        .saturating_add(vehicle.cost_per_second.saturating_mul(duration));
    RouteSchedule { vehicle: v, departure, latest_departure, arrival, distance, duration, span, load, cost, visits }
}
