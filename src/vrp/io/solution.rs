//! Solution files: the harness's JSON (`{"routes": [{"driver": "d01", "stops": ["s0007", …]}]}`,
//! stops in visiting order, start and end implied, unlisted stops unserved) and VRPLIB `.sol`
//! (`Route #1: 5 3 7`, customer numbers = matrix indices).
//!
//! Written with driver and stop ids, except for problems read from VRPLIB or Solomon files
//! (stop ids are their matrix indices and the fleet is uniform): there without a driver and
//! with integer stops, as the harness wants them.

use std::collections::HashMap;
use std::io::Write;

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::vrp::model::{Problem, Route, Solution, Unserved};

fn invalid(why: impl Into<String>) -> Error {
    Error::InvalidSolution(why.into())
}

#[derive(Deserialize)]
struct FileSolution {
    routes: Vec<FileRoute>,
}

#[derive(Deserialize)]
struct FileRoute {
    #[serde(default)]
    driver: Option<String>,
    #[serde(default)]
    stops: Vec<StopRef>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum StopRef {
    Index(u64),
    Id(String),
}

/// Reads a solution of `problem`: the JSON above or a VRPLIB `.sol` text. Routes without a
/// driver take the vehicles no other route names, in order. Stops listed twice or routes
/// sharing a driver are kept as they are (`evaluate` reports them); unknown drivers or stops
/// are refused. Stops in no route are unserved (`Unserved::NotChosen`).
pub fn read_solution(problem: &Problem, text: &str) -> Result<Solution> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let routes: Vec<(Option<String>, Vec<StopRef>)> = if text.trim_start().starts_with('{') {
        let file: FileSolution = serde_json::from_str(text).map_err(|e| {
            invalid(format!(
                "expected {{\"routes\": [{{\"driver\": …, \"stops\": […]}}]}} (line {}, column {})",
                e.line(),
                e.column()
            ))
        })?;
        file.routes.into_iter().map(|r| (r.driver, r.stops)).collect()
    } else {
        vrplib_routes(text)?
    };
    let by_location: HashMap<usize, usize> =
        problem.stops.iter().enumerate().rev().map(|(i, s)| (s.location, i)).collect();
    let by_id: HashMap<&str, usize> = problem.stops.iter().enumerate().map(|(i, s)| (s.id.as_str(), i)).collect();
    let vehicles: HashMap<&str, usize> = problem.vehicles.iter().enumerate().map(|(i, v)| (v.id.as_str(), i)).collect();
    let mut named = vec![false; problem.vehicles.len()];
    for (k, (driver, _)) in routes.iter().enumerate() {
        if let Some(d) = driver {
            let v = *vehicles.get(d.as_str()).ok_or_else(|| invalid(format!("route {}: unknown driver", k + 1)))?;
            named[v] = true;
        }
    }
    let mut free = (0..problem.vehicles.len()).filter(|&v| !named[v]);
    let mut out = Solution { routes: Vec::new(), unserved: Vec::new() };
    let mut served = vec![false; problem.stops.len()];
    for (k, (driver, refs)) in routes.into_iter().enumerate() {
        let vehicle = match driver {
            Some(d) => vehicles[d.as_str()],
            None => free.next().ok_or_else(|| invalid(format!("route {}: more routes than vehicles", k + 1)))?,
        };
        let mut stops = Vec::with_capacity(refs.len());
        for (p, r) in refs.into_iter().enumerate() {
            let found = match &r {
                StopRef::Id(id) => by_id.get(id.as_str()).copied().or_else(|| {
                    (!id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
                        .then(|| id.parse::<usize>().ok().and_then(|l| by_location.get(&l).copied()))
                        .flatten()
                }),
                StopRef::Index(i) => usize::try_from(*i).ok().and_then(|l| by_location.get(&l).copied()),
            };
            let s = found.ok_or_else(|| invalid(format!("route {}, position {}: unknown stop", k + 1, p + 1)))?;
            served[s] = true;
            stops.push(s);
        }
        if !stops.is_empty() {
            out.routes.push(Route { vehicle, stops });
        }
    }
    out.unserved = (0..problem.stops.len()).filter(|&s| !served[s]).map(|s| (s, Unserved::NotChosen)).collect();
    Ok(out)
}

/// `Route #1: 5 3 7` lines; other lines (`Cost 827.3`) are ignored.
fn vrplib_routes(text: &str) -> Result<Vec<(Option<String>, Vec<StopRef>)>> {
    let mut routes = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if !line.to_ascii_lowercase().starts_with("route") {
            continue;
        }
        let (_, rest) =
            line.split_once(':').ok_or_else(|| invalid(format!("line {}: expected Route #k: stops", i + 1)))?;
        let stops = rest
            .split_whitespace()
            .map(|t| t.parse::<u64>().map(StopRef::Index))
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|_| invalid(format!("line {}: stops must be customer numbers", i + 1)))?;
        routes.push((None, stops));
    }
    if routes.is_empty() && !text.lines().any(|l| l.trim().to_ascii_lowercase().starts_with("cost")) {
        return Err(invalid("neither a JSON solution nor VRPLIB Route lines"));
    }
    Ok(routes)
}

/// Whether solutions of `problem` are written the VRPLIB/Solomon way: every stop's id is its
/// matrix index and every vehicle is the same but for its id.
pub fn uses_indices(problem: &Problem) -> bool {
    let same = |a: &crate::vrp::model::Vehicle, b: &crate::vrp::model::Vehicle| {
        (&a.capacity, a.shift, a.start, a.end, a.skills, a.max_duration)
            == (&b.capacity, b.shift, b.start, b.end, b.skills, b.max_duration)
            && (a.fixed_cost, a.cost_per_second, a.cost_per_metre)
                == (b.fixed_cost, b.cost_per_second, b.cost_per_metre)
    };
    problem.stops.iter().all(|s| s.id == s.location.to_string())
        && problem.vehicles.windows(2).all(|w| same(&w[0], &w[1]))
}

/// Writes `solution` as the harness's solution JSON, one route per line.
pub fn write_solution(problem: &Problem, solution: &Solution, w: &mut impl Write) -> Result<()> {
    let indices = uses_indices(problem);
    let mut lines = Vec::with_capacity(solution.routes.len());
    for (k, route) in solution.routes.iter().enumerate().filter(|(_, r)| !r.stops.is_empty()) {
        let vehicle = problem
            .vehicles
            .get(route.vehicle)
            .ok_or_else(|| Error::Internal(format!("route {} names a vehicle the problem does not have", k + 1)))?;
        let mut stops = Vec::with_capacity(route.stops.len());
        for &s in &route.stops {
            let stop = problem
                .stops
                .get(s)
                .ok_or_else(|| Error::Internal(format!("route {} names a stop the problem does not have", k + 1)))?;
            stops.push(if indices { serde_json::json!(stop.location) } else { serde_json::json!(stop.id) });
        }
        let stops = serde_json::Value::Array(stops);
        lines.push(if indices {
            format!("{{\"stops\": {stops}}}")
        } else {
            format!("{{\"driver\": {}, \"stops\": {stops}}}", serde_json::Value::String(vehicle.id.clone()))
        });
    }
    if lines.is_empty() {
        writeln!(w, "{{\"routes\": []}}")?;
    } else {
        writeln!(w, "{{\"routes\": [\n  {}\n]}}", lines.join(",\n  "))?;
    }
    Ok(())
}
