//! A day's supply runs as a routing problem: groups of needs (one stop per building) and runs
//! (one per driver shift with a vehicle and a depot) become the engine's stops and vehicles, and
//! the matrix comes from the region pack's roads (or straight-line estimates without one).
//!
//! Loads have three dimensions: kilograms and litres (a need's quantity in item units times its
//! item's weight and volume per unit) and parcels (one per need). Skills carry two rules: a
//! cold-chain need goes only in a vehicle with a cooler, a stop inside a "high clearance only"
//! closure only in a high-clearance vehicle. Which runs may carry a stop's items is a list per
//! stop (the runs whose depot stocks each item or an allowed substitute), not skill bits: the
//! catalogue may hold hundreds of items.

use std::collections::HashMap;

use crate::household::Household;
use crate::item::Item;
use crate::need::Need;
use crate::region::RegionPack;
use crate::vocab::{Category, HouseholdStatus, Urgency, Vulnerability};
use crate::vrp::model::{Problem, Stop, Vehicle, UNREACHABLE};

/// Skill bit of a vehicle with a cooler.
pub const COOLER: u64 = 1;
/// Skill bit of a high-clearance vehicle.
pub const HIGH_CLEARANCE: u64 = 2;

/// A need needs the cold chain: its item does, or it is medicine for a household that does.
pub fn cold_chain(need: &Need, item: Option<&Item>, home: Option<&Household>) -> bool {
    item.is_some_and(|i| i.cold_chain)
        || (need.category == Category::Medicine
            && home.is_some_and(|h| h.vulnerabilities.contains(&Vulnerability::ColdChain)))
}

/// One run to plan.
#[derive(Debug, Clone, PartialEq)]
pub struct RunSpec {
    pub start: (f64, f64),
    pub end: (f64, f64),
    /// Seconds after the day's midnight.
    pub shift: (i64, i64),
    pub capacity_kg: f64,
    pub capacity_l: f64,
    /// Cooler and high-clearance bits.
    pub skills: u64,
}

/// One stop to plan: needs of the households at one building.
#[derive(Debug, Clone, PartialEq)]
pub struct StopSpec {
    pub at: (f64, f64),
    pub kg: f64,
    pub litres: f64,
    pub needs: usize,
    pub urgency: Urgency,
    /// Cooler and high-clearance bits the stop needs.
    pub skills: u64,
    /// Latest start, seconds after the day's midnight.
    pub latest: i64,
    /// Only this run (index) may serve it.
    pub pinned: Option<usize>,
    /// Only these runs (indices) may: their depots stock every item of the stop (or a substitute).
    pub allowed: Option<Vec<usize>>,
}

/// Groups open needs of active households into stops: households within ~15 m of each other (one
/// building) share one. Returns the groups (household ids, needs) and the needs left out because
/// their household is not active.
/// Households (ids) at one building and their needs.
pub type Group<'n> = (Vec<String>, Vec<&'n Need>);

pub fn group<'n>(households: &[Household], needs: &'n [Need]) -> (Vec<Group<'n>>, Vec<&'n Need>) {
    let by_id: HashMap<&str, &Household> = households.iter().map(|h| (h.id.as_str(), h)).collect();
    let mut cells: HashMap<(i64, i64), usize> = HashMap::new();
    let mut groups: Vec<Group<'n>> = Vec::new();
    let mut skipped = Vec::new();
    for need in needs {
        let Some(h) = by_id.get(need.household_id.as_str()).filter(|h| h.status == HouseholdStatus::Active) else {
            skipped.push(need);
            continue;
        };
        let cell = ((h.lat * 7000.0).round() as i64, (h.lon * 7000.0).round() as i64);
        let g = *cells.entry(cell).or_insert_with(|| {
            groups.push((Vec::new(), Vec::new()));
            groups.len() - 1
        });
        if !groups[g].0.contains(&h.id) {
            groups[g].0.push(h.id.clone());
        }
        groups[g].1.push(need);
    }
    (groups, skipped)
}

/// A stop's load and skills from its needs: each with the item and quantity (item units) it is
/// loaded as, and whether it needs the cold chain.
pub fn stop_spec(
    at: (f64, f64),
    needs: &[(&Need, Option<(&Item, f64)>, bool)],
    high_clearance: bool,
    latest: i64,
) -> StopSpec {
    let (mut kg, mut litres, mut skills) = (0f64, 0f64, if high_clearance { HIGH_CLEARANCE } else { 0 });
    for (_, load, cold) in needs {
        if let Some((item, quantity)) = load {
            kg += quantity * item.weight_kg;
            litres += quantity * item.volume_l;
        }
        if *cold {
            skills |= COOLER;
        }
    }
    StopSpec {
        at,
        kg,
        litres,
        needs: needs.len(),
        urgency: needs.iter().map(|n| n.0.urgency).min().unwrap_or(Urgency::Low),
        skills,
        latest,
        pinned: None,
        allowed: None,
    }
}

/// Service time at a stop: five minutes, plus one per need.
pub fn service_s(needs: usize) -> i64 {
    300 + 60 * needs as i64
}

/// A low-urgency stop is optional; skipping it costs half an hour of driving.
pub const LOW_PENALTY: i64 = 1_800;

/// The engine's problem for these runs and stops, and whether its times are estimates.
pub fn assemble(runs: &[RunSpec], stops: &[StopSpec], region: Option<&RegionPack>) -> (Problem, bool) {
    let mut points: Vec<(f64, f64)> = Vec::new();
    let mut index: HashMap<(u64, u64), usize> = HashMap::new();
    let mut at = |p: (f64, f64)| -> usize {
        *index.entry((p.0.to_bits(), p.1.to_bits())).or_insert_with(|| {
            points.push(p);
            points.len() - 1
        })
    };
    let vehicles: Vec<Vehicle> = runs
        .iter()
        .enumerate()
        .map(|(i, r)| Vehicle {
            id: format!("run{i}"),
            capacity: vec![(r.capacity_kg * 1000.0).round() as i64, (r.capacity_l * 1000.0).round() as i64, 1_000],
            shift: (r.shift.0.max(0), r.shift.1.max(r.shift.0.max(0))),
            start: at(r.start),
            end: at(r.end),
            skills: r.skills,
            max_duration: i64::MAX / 4,
            fixed_cost: 0,
            cost_per_second: 1,
            cost_per_metre: 0,
        })
        .collect();
    let stops: Vec<Stop> = stops
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let required = s.urgency != Urgency::Low;
            Stop {
                id: format!("stop{i}"),
                location: at(s.at),
                demand: vec![(s.kg * 1000.0).round() as i64, (s.litres * 1000.0).round() as i64, s.needs as i64],
                service: service_s(s.needs),
                tw: (0, s.latest.max(0)),
                required,
                penalty: if required { 0 } else { LOW_PENALTY },
                skills: s.skills,
                vehicle: s.pinned,
                allowed: if s.pinned.is_some() { None } else { s.allowed.clone() },
            }
        })
        .collect();
    let router = region.and_then(|r| r.router());
    let table = match router {
        Some(router) => router.table(&points, &points),
        None => crate::region::estimate_table(&points, &points),
    };
    let size = points.len();
    let cell = |v: Option<f64>| v.map(|x| x.round() as i64).unwrap_or(UNREACHABLE);
    let mut duration = vec![0; size * size];
    let mut distance = vec![0; size * size];
    for i in 0..size {
        for j in 0..size {
            duration[i * size + j] = cell(table.durations_s[i][j]);
            distance[i * size + j] = cell(table.distances_m[i][j]);
        }
    }
    (Problem { name: "plan".into(), dims: 3, size, duration, distance, stops, vehicles }, router.is_none())
}
