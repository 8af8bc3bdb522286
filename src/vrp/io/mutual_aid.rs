//! `mutual-aid-vrp/1`: the JSON instances of the benchmark's held-out set (and of
//! `aidmap vrp generate`). One hub (location 0), stops at locations 1..=n in file order, one
//! vehicle per driver. Travel seconds `round(hypot / speed_mps)` (ties to even, as numpy)
//! are both the duration and the "distance" matrix; the cost is travel seconds plus the
//! penalties of optional stops left out.

use serde::{Deserialize, Serialize, Serializer};
use serde_json::Value;

use super::{checked, invalid, matrix, MAX_COORD};
use crate::error::Result;
use crate::vrp::model::{Problem, Stop, Time, Vehicle};

pub const FORMAT: &str = "mutual-aid-vrp/1";

/// A stop's window when it has none: 08:00 to 20:00.
pub const DEFAULT_WINDOW: (Time, Time) = (8 * 3600, 20 * 3600);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Instance {
    pub format: String,
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    #[serde(default, skip_serializing_if = "Value::is_null")]
    pub generator: Value,
    #[serde(default, skip_serializing_if = "Value::is_null")]
    pub units: Value,
    pub travel: Travel,
    #[serde(default, skip_serializing_if = "Value::is_null")]
    pub objective: Value,
    pub hub: Hub,
    pub drivers: Vec<Driver>,
    pub stops: Vec<StopSpec>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Travel {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    #[serde(serialize_with = "whole_as_integer")]
    pub speed_mps: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hub {
    #[serde(default = "hub_id")]
    pub id: String,
    #[serde(serialize_with = "whole_as_integer")]
    pub x: f64,
    #[serde(serialize_with = "whole_as_integer")]
    pub y: f64,
    pub open_s: Time,
    pub close_s: Time,
}

fn hub_id() -> String {
    "hub".into()
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Driver {
    pub id: String,
    /// car, estate, van, truck (informational).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vehicle: Option<String>,
    /// Parcels.
    pub capacity: i64,
    pub shift: (Time, Time),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StopSpec {
    pub id: String,
    #[serde(serialize_with = "whole_as_integer")]
    pub x: f64,
    #[serde(serialize_with = "whole_as_integer")]
    pub y: f64,
    /// Parcels.
    pub demand: i64,
    pub service_s: Time,
    /// Service must start inside; none = `DEFAULT_WINDOW`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tw: Option<(Time, Time)>,
    /// 1 urgent, 2 normal, 3 low (informational: `required` decides).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<u8>,
    #[serde(default = "yes")]
    pub required: bool,
    /// Seconds: the cost of leaving an optional stop unserved.
    #[serde(default)]
    pub penalty: i64,
    /// -1 = scattered (informational).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub neighbourhood: Option<i64>,
}

fn yes() -> bool {
    true
}

/// Coordinates in whole metres are written as JSON integers (`11120`, not `11120.0`).
fn whole_as_integer<S: Serializer>(v: &f64, s: S) -> std::result::Result<S::Ok, S::Error> {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        s.serialize_i64(*v as i64)
    } else {
        s.serialize_f64(*v)
    }
}

/// Reads a `mutual-aid-vrp/1` instance; `name` is used when the file has none.
pub fn parse(text: &str, name: &str) -> Result<Problem> {
    let value: Value = serde_json::from_str(text).map_err(|e| json_error(&e))?;
    match value.get("format") {
        None if !value.is_object() => return Err(invalid("the file is not a JSON object")),
        None => return Err(invalid(format!("the file has no \"format\" field (expected \"{FORMAT}\")"))),
        Some(f) if f.as_str() != Some(FORMAT) => {
            return Err(invalid(format!("the \"format\" field is not \"{FORMAT}\"; this version reads only that")))
        }
        Some(_) => {}
    }
    let instance: Instance = serde_json::from_str(text).map_err(|e| json_error(&e))?;
    to_problem(&instance, name)
}

/// A JSON error as its place in the file and its category, never the text around it.
fn json_error(e: &serde_json::Error) -> crate::error::Error {
    use serde_json::error::Category;
    let what = match e.classify() {
        Category::Io | Category::Eof => "the JSON ends too early",
        Category::Syntax => "the JSON is malformed",
        Category::Data => "a field is missing or has the wrong type",
    };
    invalid(format!("{what} (line {}, column {})", e.line(), e.column()))
}

/// The routing problem of an instance; `name` is used when the instance has none.
pub fn to_problem(instance: &Instance, name: &str) -> Result<Problem> {
    let speed = instance.travel.speed_mps;
    if !(speed.is_finite() && speed > 0.0) {
        return Err(invalid("travel.speed_mps must be a positive number"));
    }
    let hub = &instance.hub;
    if hub.open_s > hub.close_s {
        return Err(invalid("the hub closes before it opens"));
    }
    let coord = |v: f64| v.is_finite() && v.abs() <= MAX_COORD;
    if !coord(hub.x) || !coord(hub.y) {
        return Err(invalid("the hub's coordinates are out of range"));
    }
    let mut points = vec![(hub.x, hub.y)];
    let mut ids = std::collections::HashSet::new();
    let mut stops = Vec::with_capacity(instance.stops.len());
    for (k, s) in instance.stops.iter().enumerate() {
        let at = |why: &str| invalid(format!("stop {} (stops[{k}]): {why}", k + 1));
        if !coord(s.x) || !coord(s.y) {
            return Err(at("coordinates out of range"));
        }
        if s.id.is_empty() || !ids.insert(s.id.as_str()) {
            return Err(at("its id is empty or the same as an earlier stop's"));
        }
        points.push((s.x, s.y));
        stops.push(Stop {
            id: s.id.clone(),
            location: k + 1,
            demand: vec![s.demand],
            service: s.service_s,
            tw: s.tw.unwrap_or(DEFAULT_WINDOW),
            required: s.required,
            penalty: s.penalty,
            skills: 0,
            vehicle: None,
            allowed: None,
        });
    }
    let mut driver_ids = std::collections::HashSet::new();
    let mut vehicles = Vec::with_capacity(instance.drivers.len());
    for (i, d) in instance.drivers.iter().enumerate() {
        let at = |why: &str| invalid(format!("driver {} (drivers[{i}]): {why}", i + 1));
        if d.id.is_empty() || !driver_ids.insert(d.id.as_str()) {
            return Err(at("its id is empty or the same as an earlier driver's"));
        }
        if d.shift.0 > d.shift.1 {
            return Err(at("the shift ends before it starts"));
        }
        // The route leaves the hub no earlier than max(shift start, opening) and is back by
        // min(shift end, closing); a shift outside the hub's hours leaves an empty one.
        let start = d.shift.0.max(hub.open_s);
        let shift = (start, d.shift.1.min(hub.close_s).max(start));
        vehicles.push(Vehicle {
            id: d.id.clone(),
            capacity: vec![d.capacity],
            shift,
            start: 0,
            end: 0,
            skills: 0,
            max_duration: shift.1.saturating_sub(shift.0),
            fixed_cost: 0,
            cost_per_second: 1,
            cost_per_metre: 0,
        });
    }
    let travel = matrix(&points, |d| (d / speed).round_ties_even() as i64);
    if travel.iter().any(|&t| t >= crate::vrp::model::UNREACHABLE) {
        return Err(invalid("travel.speed_mps is too small for these distances"));
    }
    let name = if instance.name.is_empty() { name.to_string() } else { instance.name.clone() };
    checked(Problem { name, dims: 1, size: points.len(), duration: travel.clone(), distance: travel, stops, vehicles })
}

/// The instance as JSON text the harness reads: fields in the order of the format's
/// description, one per line, and one driver and one stop per line.
pub fn to_json(instance: &Instance) -> String {
    fn json<T: Serialize + ?Sized>(v: &T) -> String {
        serde_json::to_string(v).unwrap_or_else(|_| "null".into())
    }
    fn list<T: Serialize>(items: &[T]) -> String {
        if items.is_empty() {
            return "[]".into();
        }
        let lines: Vec<String> = items.iter().map(|i| format!("    {}", json(i))).collect();
        format!("[\n{}\n  ]", lines.join(",\n"))
    }
    let mut fields = vec![("format", json(&instance.format)), ("name", json(&instance.name))];
    if let Some(seed) = instance.seed {
        fields.push(("seed", json(&seed)));
    }
    for (key, value) in [("generator", &instance.generator), ("units", &instance.units)] {
        if !value.is_null() {
            fields.push((key, json(value)));
        }
    }
    fields.push(("travel", json(&instance.travel)));
    if !instance.objective.is_null() {
        fields.push(("objective", json(&instance.objective)));
    }
    fields.push(("hub", json(&instance.hub)));
    fields.push(("drivers", list(&instance.drivers)));
    fields.push(("stops", list(&instance.stops)));
    let body: Vec<String> = fields.iter().map(|(k, v)| format!("  \"{k}\": {v}")).collect();
    format!("{{\n{}\n}}\n", body.join(",\n"))
}
