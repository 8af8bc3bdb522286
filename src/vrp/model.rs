//! The routing problem the engine solves, independent of where it came from (the planning
//! board, a VRPLIB/Solomon file, a `mutual-aid-vrp/1` instance): locations with a duration and
//! a distance matrix supplied by the caller, stops with demands in several dimensions, service
//! times, time windows and skills, required or optional with a penalty, and vehicles (one route
//! each) with capacities, a shift, start and end locations, skills and costs.
//!
//! All quantities are integers (seconds, metres, units of load, cost units): exact, repeatable
//! arithmetic. Readers scale fractional inputs (Solomon: ×10).

use serde::{Deserialize, Serialize};

/// Seconds (or the instance's time unit).
pub type Time = i64;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stop {
    pub id: String,
    /// Row/column of the matrices.
    pub location: usize,
    /// One entry per load dimension (`Problem::dims`): kg, litres, parcels…
    pub demand: Vec<i64>,
    pub service: Time,
    /// Service must start within `[tw.0, tw.1]`; arriving earlier means waiting.
    pub tw: (Time, Time),
    /// A required stop must be served; an optional one costs `penalty` when left out.
    pub required: bool,
    pub penalty: i64,
    /// Skills a vehicle needs to serve it (bit set: cooler, high clearance…).
    pub skills: u64,
    /// Only this vehicle (index) may serve it: a stop the dispatcher locked to a run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vehicle: Option<usize>,
    /// Only these vehicles (indices) may serve it, when set: e.g. the runs whose depot stocks
    /// its items. Per-stop lists keep the skill bits few however many items the catalogue has.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed: Option<Vec<usize>>,
}

impl Stop {
    /// Vehicle `v` has the skills, and is the pinned one and among the allowed ones if any.
    pub fn servable_by(&self, v: usize, vehicle: &Vehicle) -> bool {
        self.skills & vehicle.skills == self.skills
            && self.vehicle.is_none_or(|p| p == v)
            && self.allowed.as_ref().is_none_or(|a| a.contains(&v))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Vehicle {
    pub id: String,
    /// One entry per load dimension.
    pub capacity: Vec<i64>,
    /// The route leaves `start` no earlier than `shift.0` and is back at `end` by `shift.1`.
    pub shift: (Time, Time),
    pub start: usize,
    pub end: usize,
    /// Skills the vehicle has (bit set).
    pub skills: u64,
    /// Longest route (from leaving `start` to arriving at `end`, waiting included).
    pub max_duration: Time,
    /// Cost of using the vehicle at all.
    pub fixed_cost: i64,
    /// Cost per second driven and per metre driven (service and waiting are not costed).
    pub cost_per_second: i64,
    pub cost_per_metre: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    pub name: String,
    /// Number of load dimensions.
    pub dims: usize,
    /// Number of locations: the matrices are `size × size`, row-major, `[from * size + to]`.
    pub size: usize,
    pub duration: Vec<Time>,
    pub distance: Vec<i64>,
    pub stops: Vec<Stop>,
    pub vehicles: Vec<Vehicle>,
}

/// Marks an unreachable pair in a matrix (no road between them).
pub const UNREACHABLE: i64 = i64::MAX / 1024;

impl Problem {
    #[inline]
    pub fn duration(&self, from: usize, to: usize) -> Time {
        self.duration[from * self.size + to]
    }

    #[inline]
    pub fn distance(&self, from: usize, to: usize) -> i64 {
        self.distance[from * self.size + to]
    }

    /// Checks the shape: matrix sizes, locations in range, one demand/capacity per dimension,
    /// windows and shifts in order. Returns a sentence naming the first problem.
    pub fn check(&self) -> Result<(), String> {
        let n = self.size;
        if self.duration.len() != n * n || self.distance.len() != n * n {
            return Err(format!("the matrices must be {n} × {n}"));
        }
        if self.duration.iter().chain(&self.distance).any(|&v| v < 0) {
            return Err("the matrices must not hold negative values".into());
        }
        for (i, s) in self.stops.iter().enumerate() {
            if s.location >= n {
                return Err(format!("stop {} is at location {} of {n}", i + 1, s.location));
            }
            if s.demand.len() != self.dims || s.demand.iter().any(|&d| d < 0) {
                return Err(format!("stop {} needs {} non-negative demands", i + 1, self.dims));
            }
            if s.tw.0 > s.tw.1 || s.service < 0 || s.penalty < 0 {
                return Err(format!("stop {} has a window ending before it starts or a negative time", i + 1));
            }
        }
        for (i, v) in self.vehicles.iter().enumerate() {
            if v.start >= n || v.end >= n {
                return Err(format!("vehicle {} starts or ends outside the {n} locations", i + 1));
            }
            if v.capacity.len() != self.dims || v.capacity.iter().any(|&c| c < 0) {
                return Err(format!("vehicle {} needs {} non-negative capacities", i + 1, self.dims));
            }
            if v.shift.0 > v.shift.1 || v.max_duration < 0 {
                return Err(format!("vehicle {} has a shift ending before it starts", i + 1));
            }
        }
        if self.vehicles.is_empty() && self.stops.iter().any(|s| s.required) {
            return Err("required stops but no vehicle".into());
        }
        Ok(())
    }
}

/// Why a stop is left out of a solution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unserved {
    /// No vehicle has the skills it needs.
    SkillMissing,
    /// No vehicle can reach it (and come back) by road.
    Unreachable,
    /// No vehicle can be there within its window during its shift.
    OutsideEveryShift,
    /// Its demand exceeds every vehicle's capacity.
    NoCapacity,
    /// It could be served alone, but not together with the rest: the fleet is full (or, for an
    /// optional stop, serving it costs more than its penalty).
    NotChosen,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Route {
    /// Index into `Problem::vehicles`.
    pub vehicle: usize,
    /// Indices into `Problem::stops`, in visiting order.
    pub stops: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Solution {
    /// Only routes with at least one stop.
    pub routes: Vec<Route>,
    /// Stops not in any route, each with why.
    pub unserved: Vec<(usize, Unserved)>,
}
