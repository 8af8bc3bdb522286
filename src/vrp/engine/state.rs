//! A solution as the search holds it: one route per vehicle (most may be empty), where each
//! client is, and the penalised cost. Moves change routes through `set_route`, which keeps the
//! caches, the positions and the modification stamps right.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::data::Data;
use super::route::{Route, NOWHERE};
use super::segment::{Penalties, Seg};

#[derive(Clone)]
pub struct State {
    pub routes: Vec<Route>,
    /// Per client: (route, position 1..=m), or `(NOWHERE, 0)` when unrouted.
    pub at: Vec<(u32, u32)>,
    pub stamp: u64,
}

impl State {
    pub fn empty(data: &Data) -> State {
        let mut s = State {
            routes: (0..data.vehicles.len()).map(Route::new).collect(),
            at: vec![(NOWHERE, 0); data.n()],
            stamp: 1,
        };
        let pen = Penalties { load: 0, time_warp: 0 };
        for r in &mut s.routes {
            r.update(data, &pen, 0);
        }
        s
    }

    pub fn routed(&self, c: usize) -> bool {
        self.at[c].0 != NOWHERE
    }

    /// Replaces route `r`'s clients and refreshes everything that depends on them.
    pub fn set_route(&mut self, data: &Data, pen: &Penalties, r: usize, clients: Vec<u32>) {
        self.stamp += 1;
        for &c in &self.routes[r].clients {
            if self.at[c as usize].0 == r as u32 {
                self.at[c as usize] = (NOWHERE, 0);
            }
        }
        let route = &mut self.routes[r];
        route.clients = clients;
        for (i, &c) in route.clients.iter().enumerate() {
            self.at[c as usize] = (r as u32, i as u32 + 1);
        }
        route.update(data, pen, self.stamp);
    }

    /// Marks the infeasible routes as changed, so the next search looks at them again (under
    /// other penalties, moves that were not worth it there may be now).
    pub fn touch_infeasible(&mut self, data: &Data) {
        self.stamp += 1;
        for r in &mut self.routes {
            if !r.is_empty() && !data.route_feasible(r.vehicle, r.whole()) {
                r.stamp = self.stamp;
            }
        }
    }

    /// Re-prices every route (after the penalties changed).
    pub fn reprice(&mut self, data: &Data, pen: &Penalties) {
        for r in &mut self.routes {
            r.cost = if r.is_empty() { 0 } else { data.route_cost(r.vehicle, r.whole(), pen) };
        }
    }

    /// Penalised cost: routes plus the penalties of unrouted optional clients.
    pub fn cost(&self, data: &Data) -> i64 {
        let unrouted: i64 = (0..data.n()).filter(|&c| data.active[c] && !self.routed(c)).map(|c| data.penalty[c]).sum();
        self.routes.iter().map(|r| r.cost).sum::<i64>() + unrouted
    }

    /// Every route within capacity, windows and shifts, and every active required client routed.
    pub fn feasible(&self, data: &Data) -> bool {
        self.routes.iter().all(|r| r.is_empty() || data.route_feasible(r.vehicle, r.whole()))
            && (0..data.n()).all(|c| !data.active[c] || !data.required[c] || self.routed(c))
    }

    /// Cost without penalties (only meaningful when feasible).
    pub fn objective(&self, data: &Data) -> i64 {
        let pen = Penalties { load: 0, time_warp: 0 };
        let routes: i64 =
            self.routes.iter().filter(|r| !r.is_empty()).map(|r| data.route_cost(r.vehicle, r.whole(), &pen)).sum();
        let unrouted: i64 = (0..data.n()).filter(|&c| data.active[c] && !self.routed(c)).map(|c| data.penalty[c]).sum();
        routes + unrouted
    }

    /// Removes client `c` from its route.
    pub fn remove(&mut self, data: &Data, pen: &Penalties, c: usize) {
        let (r, p) = self.at[c];
        if r == NOWHERE {
            return;
        }
        let mut clients = std::mem::take(&mut self.routes[r as usize].clients);
        clients.remove(p as usize - 1);
        self.at[c] = (NOWHERE, 0);
        self.set_route(data, pen, r as usize, clients);
    }

    /// Inserts `c` in route `r` after position `p` (0 = first).
    pub fn insert(&mut self, data: &Data, pen: &Penalties, c: usize, r: usize, p: usize) {
        let mut clients = std::mem::take(&mut self.routes[r].clients);
        clients.insert(p, c as u32);
        self.set_route(data, pen, r, clients);
    }

    /// The cheapest place for unrouted `c`: among positions after its neighbours, at the start of
    /// their routes, and in one empty vehicle of each profile (all routes when `exhaustive`).
    /// Returns (delta cost, route, position after which to insert).
    pub fn best_insertion(
        &self,
        data: &Data,
        pen: &Penalties,
        c: usize,
        exhaustive: bool,
        blink: f64,
        rng: &mut ChaCha8Rng,
    ) -> Option<(i64, usize, usize)> {
        let node = &data.clients[c];
        let mut best: Option<(i64, usize, usize)> = None;
        let consider = |r: usize, p: usize, best: &mut Option<(i64, usize, usize)>| {
            let route = &self.routes[r];
            if !data.can_serve(route.vehicle, c) {
                return;
            }
            let seg = Seg::merge3(data, &route.pre[p], node, &route.suf[p + 1]);
            let delta = data.route_cost(route.vehicle, &seg, pen) - route.cost;
            if best.is_none_or(|b| delta < b.0) {
                *best = Some((delta, r, p));
            }
        };
        if exhaustive {
            for r in 0..self.routes.len() {
                if self.routes[r].is_empty() {
                    continue;
                }
                for p in 0..=self.routes[r].len() {
                    if blink > 0.0 && rng.gen_bool(blink) {
                        continue;
                    }
                    consider(r, p, &mut best);
                }
            }
        } else {
            for &v in &data.neighbours[c] {
                let (r, p) = self.at[v as usize];
                if r == NOWHERE || (blink > 0.0 && rng.gen_bool(blink)) {
                    continue;
                }
                consider(r as usize, p as usize, &mut best);
                consider(r as usize, p as usize - 1, &mut best);
            }
        }
        let mut seen_profiles: Vec<usize> = Vec::new();
        for (r, route) in self.routes.iter().enumerate() {
            let profile = data.vehicles[route.vehicle].profile;
            if route.is_empty() && !seen_profiles.contains(&profile) {
                seen_profiles.push(profile);
                consider(r, 0, &mut best);
            }
        }
        best
    }
}
