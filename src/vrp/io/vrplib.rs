//! VRPLIB `.vrp` files with `EDGE_WEIGHT_TYPE : EUC_2D`: CVRP (Uchoa X) and CVRPTW (Solomon and
//! Gehring–Homberger as CVRPLIB ships them). Node 1 is the depot; the rows of every section
//! must list the nodes in order (1, 2, 3…). The conventions are the harness's (see `io`).

use super::{checked, invalid, matrix, Format, MAX_COORD};
use crate::error::Result;
use crate::vrp::model::{Problem, Stop, Time, Vehicle};

/// The largest time (window, service) a file may give, before scaling.
const MAX_TIME: f64 = 1e12;

#[derive(Clone, Copy, PartialEq)]
enum Section {
    Coords,
    Demand,
    Windows,
    Service,
    Depot,
}

impl Section {
    fn from_key(key: &str) -> Option<Section> {
        Some(match key {
            "NODE_COORD_SECTION" => Section::Coords,
            "DEMAND_SECTION" => Section::Demand,
            "TIME_WINDOW_SECTION" => Section::Windows,
            "SERVICE_TIME_SECTION" => Section::Service,
            "DEPOT_SECTION" => Section::Depot,
            _ => return None,
        })
    }

    /// Numbers per row after the node id.
    fn width(self) -> usize {
        match self {
            Section::Coords | Section::Windows => 2,
            Section::Demand | Section::Service => 1,
            Section::Depot => 0,
        }
    }
}

#[derive(Default)]
struct Sections {
    coords: Option<Vec<Vec<f64>>>,
    demand: Option<Vec<Vec<f64>>>,
    windows: Option<Vec<Vec<f64>>>,
    service: Option<Vec<Vec<f64>>>,
    depots: Option<Vec<i64>>,
    depot_done: bool,
}

impl Sections {
    fn rows(&mut self, s: Section) -> &mut Option<Vec<Vec<f64>>> {
        match s {
            Section::Coords => &mut self.coords,
            Section::Demand => &mut self.demand,
            Section::Windows => &mut self.windows,
            // The depot list is kept apart (`depots`); never asked for here.
            Section::Service | Section::Depot => &mut self.service,
        }
    }
}

#[derive(Default)]
struct Header {
    dimension: Option<usize>,
    capacity: Option<i64>,
    vehicles: Option<i64>,
    service_time: Option<f64>,
}

/// Reads a VRPLIB instance; `name` is the problem's name (the harness names instances after
/// their file, not their `NAME` line).
pub fn parse(text: &str, name: &str) -> Result<(Problem, Format)> {
    let mut header = Header::default();
    let mut sections = Sections::default();
    let mut current: Option<Section> = None;
    for (i, raw) in text.lines().enumerate() {
        let line_no = i + 1;
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        if line.eq_ignore_ascii_case("EOF") {
            break;
        }
        let (key, value) = match line.split_once(':') {
            Some((k, v)) => (k.trim().to_ascii_uppercase(), Some(v.trim())),
            None => (line.split_whitespace().next().unwrap_or("").to_ascii_uppercase(), None),
        };
        if key.ends_with("_SECTION") {
            let section = Section::from_key(&key)
                .ok_or_else(|| invalid(format!("line {line_no}: this section is not supported")))?;
            let fresh = match section {
                Section::Depot => sections.depots.replace(Vec::new()).is_none(),
                s => sections.rows(s).replace(Vec::new()).is_none(),
            };
            if !fresh {
                return Err(invalid(format!("line {line_no}: the section appears twice")));
            }
            current = Some(section);
            continue;
        }
        if let Some(value) = value {
            current = None;
            header_line(&mut header, &key, value, line_no)?;
            continue;
        }
        match current {
            Some(Section::Depot) => {
                if sections.depot_done {
                    return Err(invalid(format!("line {line_no}: data after the depot list's -1")));
                }
                for token in line.split_whitespace() {
                    let id = integer(token)
                        .ok_or_else(|| invalid(format!("line {line_no}: a depot must be a node number")))?;
                    if id == -1 {
                        sections.depot_done = true;
                    } else if sections.depot_done {
                        return Err(invalid(format!("line {line_no}: data after the depot list's -1")));
                    } else {
                        sections.depots.get_or_insert_with(Vec::new).push(id);
                    }
                }
            }
            Some(section) => {
                let rows = sections.rows(section).get_or_insert_with(Vec::new);
                rows.push(data_row(line, section.width(), rows.len() + 1, line_no)?);
            }
            None => return Err(invalid(format!("line {line_no}: expected KEY : VALUE or a section name"))),
        }
    }
    build(header, sections, name)
}

fn header_line(header: &mut Header, key: &str, value: &str, line_no: usize) -> Result<()> {
    let bad = |what: &str| invalid(format!("line {line_no}: {key} must be {what}"));
    match key {
        "DIMENSION" => {
            header.dimension =
                Some(integer(value).and_then(|v| usize::try_from(v).ok()).ok_or_else(|| bad("a node count"))?)
        }
        "CAPACITY" => {
            header.capacity = Some(integer(value).filter(|&c| c > 0).ok_or_else(|| bad("a positive integer"))?)
        }
        "VEHICLES" => header.vehicles = Some(integer(value).filter(|&v| v >= 0).ok_or_else(|| bad("a vehicle count"))?),
        "SERVICE_TIME" => {
            header.service_time =
                Some(number(value).filter(|s| (0.0..=MAX_TIME).contains(s)).ok_or_else(|| bad("a time"))?)
        }
        "EDGE_WEIGHT_TYPE" if !value.eq_ignore_ascii_case("EUC_2D") => {
            return Err(invalid(format!("line {line_no}: only EDGE_WEIGHT_TYPE EUC_2D is supported")))
        }
        _ => {}
    }
    Ok(())
}

/// A section row: the node id (which must be `expected`) and `width` numbers.
fn data_row(line: &str, width: usize, expected: usize, line_no: usize) -> Result<Vec<f64>> {
    let tokens: Vec<&str> = line.split_whitespace().collect();
    if tokens.len() != width + 1 {
        return Err(invalid(format!("line {line_no}: expected a node number and {width} values")));
    }
    if integer(tokens[0]) != i64::try_from(expected).ok() {
        return Err(invalid(format!("line {line_no}: expected node {expected} (nodes must be listed in order)")));
    }
    tokens[1..].iter().map(|t| number(t).ok_or_else(|| invalid(format!("line {line_no}: expected numbers")))).collect()
}

fn build(header: Header, sections: Sections, name: &str) -> Result<(Problem, Format)> {
    let coords = sections.coords.ok_or_else(|| invalid("there is no NODE_COORD_SECTION"))?;
    let n1 = coords.len();
    if n1 == 0 {
        return Err(invalid("NODE_COORD_SECTION lists no node"));
    }
    if header.dimension.is_some_and(|d| d != n1) {
        return Err(invalid("DIMENSION differs from the number of nodes in NODE_COORD_SECTION"));
    }
    if let Some(depots) = &sections.depots {
        if depots.len() > 1 || depots.first().is_some_and(|&d| d != 1) {
            return Err(invalid("the depot must be node 1, and only node 1"));
        }
    }
    let capacity = header.capacity.ok_or_else(|| invalid("there is no CAPACITY"))?;
    let points = points(coords.iter().map(|r| (r[0], r[1])))?;
    let demand_rows = sections.demand.ok_or_else(|| invalid("there is no DEMAND_SECTION"))?;
    let demand = demands(demand_rows.iter().map(|r| r[0]), n1, "DEMAND_SECTION")?;
    match sections.windows {
        Some(rows) => {
            if rows.len() != n1 {
                return Err(invalid("TIME_WINDOW_SECTION must list every node"));
            }
            let service: Vec<f64> = match (sections.service, header.service_time) {
                (Some(rows), _) if rows.len() != n1 => {
                    return Err(invalid("SERVICE_TIME_SECTION must list every node"))
                }
                (Some(rows), _) => rows.iter().map(|r| r[0]).collect(),
                (None, s) => vec![s.unwrap_or(0.0); n1],
            };
            let windows: Vec<(f64, f64)> = rows.iter().map(|r| (r[0], r[1])).collect();
            let problem = vrptw(name, &points, &demand, &windows, &service, header.vehicles, capacity)?;
            Ok((problem, Format::Cvrptw))
        }
        None => Ok((cvrp(name, &points, &demand, header.vehicles, capacity)?, Format::Cvrp)),
    }
}

/// Coordinates, each finite and within `MAX_COORD`.
pub(super) fn points(coords: impl Iterator<Item = (f64, f64)>) -> Result<Vec<(f64, f64)>> {
    let ok = |v: f64| v.is_finite() && v.abs() <= MAX_COORD;
    coords
        .enumerate()
        .map(|(i, (x, y))| {
            if ok(x) && ok(y) {
                Ok((x, y))
            } else {
                Err(invalid(format!("node {} has coordinates out of range", i + 1)))
            }
        })
        .collect()
}

/// Demands: whole, non-negative numbers, one per node.
pub(super) fn demands(values: impl Iterator<Item = f64>, n1: usize, what: &str) -> Result<Vec<i64>> {
    let demand: Vec<i64> = values
        .enumerate()
        .map(|(i, d)| {
            whole(d)
                .filter(|&d| d >= 0)
                .ok_or_else(|| invalid(format!("node {}: a demand must be a whole number ≥ 0", i + 1)))
        })
        .collect::<Result<_>>()?;
    if demand.len() != n1 {
        return Err(invalid(format!("{what} must list every node")));
    }
    Ok(demand)
}

/// The DIMACS problem (Solomon, Gehring–Homberger): travel = `floor(10·d + 1e-9)` tenths, windows
/// and service ×10 (rounded, ties to even), no service at the depot, every vehicle's shift =
/// the depot's window. Node 0 is the depot. The fleet: `vehicles`, or one per stop; a count
/// above the number of stops is cut to it (a route serves at least one stop, so no solution
/// changes).
pub(super) fn vrptw(
    name: &str,
    points: &[(f64, f64)],
    demand: &[i64],
    windows: &[(f64, f64)],
    service: &[f64],
    vehicles: Option<i64>,
    capacity: i64,
) -> Result<Problem> {
    let n1 = points.len();
    let travel = matrix(points, |d| (10.0 * d + 1e-9).floor() as i64);
    let tenths = |v: f64, i: usize| {
        if v.is_finite() && v.abs() <= MAX_TIME {
            Ok((10.0 * v).round_ties_even() as Time)
        } else {
            Err(invalid(format!("node {}: a time is out of range", i + 1)))
        }
    };
    let mut tw = Vec::with_capacity(n1);
    for (i, &(a, b)) in windows.iter().enumerate() {
        tw.push((tenths(a, i)?, tenths(b, i)?));
    }
    let stops = (1..n1)
        .map(|k| {
            Ok(Stop {
                id: k.to_string(),
                location: k,
                demand: vec![demand[k]],
                service: tenths(service[k], k)?,
                tw: tw[k],
                required: true,
                penalty: 0,
                skills: 0,
                vehicle: None,
                allowed: None,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let count = fleet(vehicles.unwrap_or(n1 as i64 - 1), n1);
    let shift = tw[0];
    checked(Problem {
        name: name.to_string(),
        dims: 1,
        size: n1,
        duration: travel.clone(),
        distance: travel,
        stops,
        vehicles: homogeneous(count, capacity, shift),
    })
}

/// The CVRPLIB problem (Uchoa X): distance = `round(d)` (ties to even), no windows (every
/// window and the shift are `[0, Σ matrix + 1]`, as in the harness), fleet `vehicles` or
/// `min(n, ceil(1.3·k) + 2)` with `k = ceil(total demand / capacity)`.
pub(super) fn cvrp(
    name: &str,
    points: &[(f64, f64)],
    demand: &[i64],
    vehicles: Option<i64>,
    capacity: i64,
) -> Result<Problem> {
    let n1 = points.len();
    let travel = matrix(points, |d| d.round_ties_even() as i64);
    let horizon = travel.iter().fold(0i64, |a, &b| a.saturating_add(b)).saturating_add(1);
    let total: i64 = demand.iter().fold(0i64, |a, &b| a.saturating_add(b));
    let k = (total as f64 / capacity as f64).ceil();
    let default = ((1.3 * k).ceil() + 2.0).min((n1 - 1) as f64) as i64;
    let count = fleet(vehicles.unwrap_or(default), n1);
    let stops = (1..n1)
        .map(|k| Stop {
            id: k.to_string(),
            location: k,
            demand: vec![demand[k]],
            service: 0,
            tw: (0, horizon),
            required: true,
            penalty: 0,
            skills: 0,
            vehicle: None,
            allowed: None,
        })
        .collect();
    checked(Problem {
        name: name.to_string(),
        dims: 1,
        size: n1,
        duration: travel.clone(),
        distance: travel,
        stops,
        vehicles: homogeneous(count, capacity, (0, horizon)),
    })
}

fn fleet(count: i64, n1: usize) -> usize {
    usize::try_from(count).unwrap_or(0).min(n1 - 1)
}

/// `count` identical vehicles at the depot, costed per unit of distance.
fn homogeneous(count: usize, capacity: i64, shift: (Time, Time)) -> Vec<Vehicle> {
    (0..count)
        .map(|i| Vehicle {
            id: format!("v{}", i + 1),
            capacity: vec![capacity],
            shift,
            start: 0,
            end: 0,
            skills: 0,
            max_duration: shift.1.saturating_sub(shift.0).max(0),
            fixed_cost: 0,
            cost_per_second: 0,
            cost_per_metre: 1,
        })
        .collect()
}

/// A number (finite).
pub(super) fn number(token: &str) -> Option<f64> {
    token.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// A whole number written as `12` or `12.0`.
pub(super) fn integer(token: &str) -> Option<i64> {
    token.parse::<i64>().ok().or_else(|| number(token).and_then(whole))
}

pub(super) fn whole(v: f64) -> Option<i64> {
    (v.is_finite() && v.fract() == 0.0 && v.abs() < 1e15).then_some(v as i64)
}
