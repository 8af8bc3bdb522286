//! The problem as the search reads it: one interleaved (distance, time) matrix, a segment per
//! client and per vehicle end, vehicle costs, and each client's granular neighbourhood — the
//! few clients a good route would plausibly put next to it (Toth & Vigo's granular search).

use super::segment::{excess, Dur, Penalties, Seg, MAX_DIMS};
use crate::vrp::model::{Problem, UNREACHABLE};

pub struct VehicleData {
    pub capacity: [i64; MAX_DIMS],
    pub start: Seg,
    pub end: Seg,
    pub max_duration: i64,
    pub skills: u64,
    pub fixed: i64,
    pub per_metre: i64,
    pub per_second: i64,
    /// Vehicles with the same profile are interchangeable; the search tries one empty vehicle
    /// per profile.
    pub profile: usize,
}

pub struct Data {
    pub size: usize,
    /// `[from * size + to] = (distance, time)`.
    edges: Vec<(i64, i64)>,
    pub clients: Vec<Seg>,
    pub required: Vec<bool>,
    pub penalty: Vec<i64>,
    pub skills: Vec<u64>,
    pub vehicles: Vec<VehicleData>,
    /// Per client, the nearest clients by a time-window-aware proximity, nearest first.
    pub neighbours: Vec<Vec<u32>>,
    /// Clients the search may route (the others are unserved before it starts).
    pub active: Vec<bool>,
    /// Some client needs a skill or is pinned to a vehicle (else skill checks are skipped).
    pub skilled: bool,
    /// Per client: the only vehicle allowed to serve it.
    pub pinned: Vec<Option<u32>>,
    /// Per client: the vehicles allowed to serve it, as a bit set over vehicle indices, `words`
    /// u64 per client in one flat vector (no pointer chase in the hot checks); `restricted`
    /// says which clients have such a list.
    allowed: Vec<u64>,
    words: usize,
    restricted: Vec<bool>,
}

/// Neighbourhood size (PyVRP and HGS-CVRP use 20–40).
const NEIGHBOURS: usize = 40;

impl Data {
    pub fn new(p: &Problem, active: Vec<bool>) -> Data {
        let size = p.size;
        let edges =
            p.distance.iter().zip(&p.duration).map(|(&d, &t)| (d.min(UNREACHABLE), t.min(UNREACHABLE))).collect();
        let load = |demand: &[i64]| {
            let mut l = [0; MAX_DIMS];
            l[..demand.len()].copy_from_slice(demand);
            l
        };
        let clients: Vec<Seg> = p
            .stops
            .iter()
            .map(|s| Seg {
                first: s.location as u32,
                last: s.location as u32,
                distance: 0,
                travel: 0,
                load: load(&s.demand),
                dur: Dur { duration: s.service, time_warp: 0, early: s.tw.0, late: s.tw.1 },
            })
            .collect();
        let words = p.vehicles.len().div_ceil(64).max(1);
        // A list naming every vehicle restricts nothing.
        let restricted: Vec<bool> = p
            .stops
            .iter()
            .map(|s| s.allowed.as_ref().is_some_and(|l| (0..p.vehicles.len()).any(|v| !l.contains(&v))))
            .collect();
        let mut allowed = vec![0u64; p.stops.len() * words];
        for (i, s) in p.stops.iter().enumerate().filter(|(i, _)| restricted[*i]) {
            for &v in s.allowed.iter().flatten().filter(|&&v| v < p.vehicles.len()) {
                allowed[i * words + v / 64] |= 1 << (v % 64);
            }
        }
        // Vehicles are interchangeable only if the same stops allow them: a signature of which
        // restricted stops allow each vehicle joins the profile key.
        let signature = |v: usize| -> u64 {
            use std::hash::{Hash, Hasher};
            let mut h = std::collections::hash_map::DefaultHasher::new();
            for i in (0..p.stops.len()).filter(|&i| restricted[i]) {
                if allowed[i * words + v / 64] >> (v % 64) & 1 == 1 {
                    i.hash(&mut h);
                }
            }
            h.finish()
        };
        let mut profiles: Vec<(Vec<i64>, (i64, i64), usize, usize, u64, i64, i64, i64, i64, u64)> = Vec::new();
        let vehicles = p
            .vehicles
            .iter()
            .enumerate()
            .map(|(index, v)| {
                let key = (
                    v.capacity.clone(),
                    v.shift,
                    v.start,
                    v.end,
                    v.skills,
                    v.max_duration,
                    v.fixed_cost,
                    v.cost_per_metre,
                    v.cost_per_second,
                    signature(index),
                );
                let profile = profiles.iter().position(|k| *k == key).unwrap_or_else(|| {
                    profiles.push(key);
                    profiles.len() - 1
                });
                let depot = |loc: usize| Seg {
                    first: loc as u32,
                    last: loc as u32,
                    distance: 0,
                    travel: 0,
                    load: [0; MAX_DIMS],
                    dur: Dur { duration: 0, time_warp: 0, early: v.shift.0, late: v.shift.1 },
                };
                VehicleData {
                    capacity: load(&v.capacity),
                    start: depot(v.start),
                    end: depot(v.end),
                    max_duration: v.max_duration,
                    skills: v.skills,
                    fixed: v.fixed_cost,
                    per_metre: v.cost_per_metre,
                    per_second: v.cost_per_second,
                    profile,
                }
            })
            .collect();
        let mut data = Data {
            size,
            edges,
            clients,
            required: p.stops.iter().map(|s| s.required).collect(),
            penalty: p.stops.iter().map(|s| s.penalty).collect(),
            skills: p.stops.iter().map(|s| s.skills).collect(),
            vehicles,
            neighbours: vec![],
            active,
            skilled: p.stops.iter().any(|s| s.skills != 0 || s.vehicle.is_some()) || restricted.iter().any(|&r| r),
            pinned: p.stops.iter().map(|s| s.vehicle.map(|v| v as u32)).collect(),
            allowed,
            words,
            restricted,
        };
        data.neighbours = data.granular(NEIGHBOURS);
        data
    }

    #[inline]
    pub fn edge(&self, from: usize, to: usize) -> (i64, i64) {
        // SAFETY-free fast path: the index is checked by the slice.
        self.edges[from * self.size + to]
    }

    pub fn n(&self) -> usize {
        self.clients.len()
    }

    /// The cost of a whole route segment (start depot … end depot) of vehicle `v`.
    #[inline]
    pub fn route_cost(&self, v: usize, seg: &Seg, pen: &Penalties) -> i64 {
        let veh = &self.vehicles[v];
        let over = (seg.dur.duration - veh.max_duration).max(0);
        veh.fixed
            + veh.per_metre * seg.distance
            + veh.per_second * seg.travel
            + pen.load * excess(&seg.load, &veh.capacity)
            + pen.time_warp * (seg.dur.time_warp + over)
    }

    /// Feasible as a route of `v`: within capacity, windows, shift and maximum duration.
    pub fn route_feasible(&self, v: usize, seg: &Seg) -> bool {
        let veh = &self.vehicles[v];
        excess(&seg.load, &veh.capacity) == 0 && seg.dur.time_warp == 0 && seg.dur.duration <= veh.max_duration
    }

    pub fn can_serve(&self, v: usize, client: usize) -> bool {
        let need = self.skills[client];
        need & self.vehicles[v].skills == need
            && self.pinned[client].is_none_or(|p| p as usize == v)
            && (!self.restricted[client] || self.allowed[client * self.words + v / 64] >> (v % 64) & 1 == 1)
    }

    /// Proximity of `j` following `i` (Vidal et al. 2013): the travel cost plus the waiting and
    /// time warp the pair would force, so that neighbours are close in time as well as space.
    fn proximity(&self, i: usize, j: usize) -> i64 {
        let (a, b) = (&self.clients[i], &self.clients[j]);
        let (dist, time) = self.edge(a.first as usize, b.first as usize);
        let wait = (b.dur.early - time - a.dur.duration - a.dur.late).max(0);
        let warp = (a.dur.early + a.dur.duration + time - b.dur.late).max(0);
        let cost = if self.vehicles.iter().all(|v| v.per_metre == 0) { time } else { dist };
        cost.saturating_add(wait / 5).saturating_add(warp)
    }

    fn granular(&self, k: usize) -> Vec<Vec<u32>> {
        let n = self.n();
        (0..n)
            .map(|i| {
                if !self.active[i] {
                    return vec![];
                }
                let mut near: Vec<(i64, u32)> = (0..n)
                    .filter(|&j| j != i && self.active[j])
                    .map(|j| (self.proximity(i, j).min(self.proximity(j, i)), j as u32))
                    .collect();
                let k = k.min(near.len());
                if k > 0 && k < near.len() {
                    near.select_nth_unstable(k - 1);
                }
                near.truncate(k);
                near.sort_unstable();
                near.into_iter().map(|(_, j)| j).collect()
            })
            .collect()
    }
}
