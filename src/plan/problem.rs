//! A day's supply runs as a routing problem: the open needs of active households become stops
//! (households at one building merged into one stop), the day's driver shifts with a vehicle
//! become vehicles starting and ending at their sites, and the matrix comes from the region
//! pack's roads (or straight-line estimates without one).
//!
//! Loads have three dimensions: kilograms and litres (a need's quantity times its item's
//! weight and volume per unit, the item being the catalogue's item of the need's category,
//! preferring one with the need's unit) and parcels (one per need). Skills carry two rules: a
//! cold-chain need goes only in a vehicle with a cooler, and a stop's items must be stocked at
//! the run's start site (one skill bit per category stocked there).

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::error::Result;
use crate::household::Household;
use crate::item::Item;
use crate::need::Need;
use crate::region::RegionPack;
use crate::site::Site;
use crate::stock::StockRow;
use crate::vocab::{Capability, Category, HouseholdStatus, Urgency, Vulnerability};
use crate::volunteer::ShiftRow;
use crate::vrp::model::{Problem, Stop, Vehicle, UNREACHABLE};

/// Skill bit of a vehicle with a cooler.
pub const COOLER: u64 = 1;

/// Skill bit of "its start site stocks this category".
fn stocked(c: Category) -> u64 {
    1 << (1 + c as u64)
}

/// What the problem's stops and vehicles stand for.
#[derive(Debug, Clone, PartialEq)]
pub struct Built {
    pub problem: Problem,
    /// Per stop: the households and needs it serves.
    pub stops: Vec<(Vec<String>, Vec<String>)>,
    /// Per vehicle: the shift it is, the driver's name and the vehicle's name.
    pub shifts: Vec<(String, String, String)>,
    /// Shifts of the day that cannot drive (no vehicle, no start site), with why.
    pub idle: Vec<(String, &'static str)>,
    /// Open needs left out before planning: their household is not active (or not found).
    pub skipped: Vec<String>,
    /// Distances and times are straight-line estimates (no region pack).
    pub estimated: bool,
}

/// Everything the builder reads, so tests can hand it made-up data.
pub struct Inputs<'a> {
    pub households: &'a [Household],
    pub open_needs: &'a [Need],
    pub items: &'a [Item],
    pub sites: &'a [(Site, Vec<StockRow>)],
    pub shifts: &'a [ShiftRow],
    /// Midnight of the planning day; every time in the problem is seconds after it.
    pub day_start: DateTime<Utc>,
}

/// Seconds after `day_start` of an RFC 3339 time.
fn seconds(day_start: DateTime<Utc>, at: &str) -> Option<i64> {
    DateTime::parse_from_rfc3339(at).ok().map(|t| (t.to_utc() - day_start).num_seconds())
}

/// The item a need is loaded as: the catalogue's item of its category, one with its unit first.
fn item_for<'i>(items: &'i [Item], need: &Need) -> Option<&'i Item> {
    let of_category = || items.iter().filter(|i| i.category == need.category);
    of_category().find(|i| i.unit.eq_ignore_ascii_case(&need.unit)).or_else(|| of_category().next())
}

pub fn build(inputs: &Inputs<'_>, region: Option<&RegionPack>) -> Result<Built> {
    let Inputs { households, open_needs, items, sites, shifts, day_start } = *inputs;
    let mut points: Vec<(f64, f64)> = Vec::new();
    let mut at = |p: (f64, f64)| -> usize {
        points.iter().position(|q| *q == p).unwrap_or_else(|| {
            points.push(p);
            points.len() - 1
        })
    };

    // Vehicles: the day's shifts with a vehicle and a start site.
    let site_of: HashMap<&str, &(Site, Vec<StockRow>)> = sites.iter().map(|s| (s.0.id.as_str(), s)).collect();
    let (mut vehicles, mut shift_ids, mut idle) = (Vec::new(), Vec::new(), Vec::new());
    for row in shifts {
        let Some(vehicle) = &row.vehicle else {
            idle.push((row.shift.id.clone(), "no_vehicle"));
            continue;
        };
        let start = row.shift.start_site_id.as_deref().and_then(|id| site_of.get(id));
        let Some((start_site, stock)) = start.map(|s| (&s.0, &s.1)) else {
            idle.push((row.shift.id.clone(), "no_start_site"));
            continue;
        };
        let end_site =
            row.shift.end_site_id.as_deref().and_then(|id| site_of.get(id)).map(|s| &s.0).unwrap_or(start_site);
        let (Some(from), Some(until)) =
            (seconds(day_start, &row.shift.starts_at), seconds(day_start, &row.shift.ends_at))
        else {
            idle.push((row.shift.id.clone(), "bad_times"));
            continue;
        };
        let mut skills = 0;
        if vehicle.capabilities.contains(&Capability::Cooler) {
            skills |= COOLER;
        }
        for s in stock.iter().filter(|s| s.quantity > 0.0) {
            skills |= stocked(s.item.category);
        }
        vehicles.push(Vehicle {
            id: row.shift.id.clone(),
            capacity: vec![
                (vehicle.capacity_kg * 1000.0).round() as i64,
                (vehicle.capacity_l * 1000.0).round() as i64,
                1_000,
            ],
            shift: (from.max(0), until.max(from.max(0))),
            start: at((start_site.lat, start_site.lon)),
            end: at((end_site.lat, end_site.lon)),
            skills,
            max_duration: i64::MAX / 4,
            fixed_cost: 0,
            cost_per_second: 1,
            cost_per_metre: 0,
        });
        shift_ids.push((row.shift.id.clone(), row.volunteer_name.clone(), vehicle.name.clone()));
    }

    // Stops: open needs by household, households at one building (~15 m) merged.
    let by_id: HashMap<&str, &Household> = households.iter().map(|h| (h.id.as_str(), h)).collect();
    let mut groups: Vec<((i64, i64), Vec<&Household>, Vec<&Need>)> = Vec::new();
    let mut skipped = Vec::new();
    for need in open_needs {
        let Some(h) = by_id.get(need.household_id.as_str()).filter(|h| h.status == HouseholdStatus::Active) else {
            skipped.push(need.id.clone());
            continue;
        };
        let cell = ((h.lat * 7000.0).round() as i64, (h.lon * 7000.0).round() as i64);
        match groups.iter_mut().find(|g| g.0 == cell) {
            Some(g) => {
                if !g.1.iter().any(|x| x.id == h.id) {
                    g.1.push(h);
                }
                g.2.push(need);
            }
            None => groups.push((cell, vec![h], vec![need])),
        }
    }
    let mut stops = Vec::new();
    let mut served = Vec::new();
    for (_, homes, needs) in &groups {
        let (mut kg, mut litres) = (0f64, 0f64);
        let mut skills = 0;
        for need in needs {
            if let Some(item) = item_for(items, need) {
                kg += need.quantity * item.weight_kg;
                litres += need.quantity * item.volume_l;
                if item.cold_chain {
                    skills |= COOLER;
                }
            }
            skills |= stocked(need.category);
        }
        if homes.iter().any(|h| h.vulnerabilities.contains(&Vulnerability::ColdChain))
            && needs.iter().any(|n| n.category == Category::Medicine)
        {
            skills |= COOLER;
        }
        let urgent = needs.iter().map(|n| n.urgency).min().unwrap_or(Urgency::Low);
        let required = urgent != Urgency::Low;
        let home = homes[0];
        stops.push(Stop {
            id: home.id.clone(),
            location: at((home.lat, home.lon)),
            demand: vec![(kg * 1000.0).round() as i64, (litres * 1000.0).round() as i64, needs.len() as i64],
            service: 300 + 60 * needs.len() as i64,
            tw: (0, 2 * 86_400),
            required,
            penalty: if required { 0 } else { 1_800 },
            skills,
        });
        served.push((homes.iter().map(|h| h.id.clone()).collect(), needs.iter().map(|n| n.id.clone()).collect()));
    }

    // The matrix over every point, by road when there is a pack.
    let table = match region.and_then(|r| r.router()) {
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
    let problem = Problem { name: "plan".into(), dims: 3, size, duration, distance, stops, vehicles };
    Ok(Built {
        problem,
        stops: served,
        shifts: shift_ids,
        idle,
        skipped,
        estimated: region.and_then(|r| r.router()).is_none(),
    })
}
