//! Route operators: SWAP* between two routes, and exchanging the vehicles of two routes (or
//! moving a whole route to an unused vehicle).

use super::super::route::{Route, NOWHERE};
use super::super::segment::Seg;
use super::super::state::State;
use super::{Search, SWAP_STAR_NEIGHBOURS};

impl<'d> Search<'d> {
    /// SWAP* over every pair of non-empty routes of which one changed since last tested.
    pub(super) fn swap_star_pass(&mut self, s: &mut State) -> bool {
        let mut improved = false;
        let n = s.routes.len();
        for r1 in 0..n {
            if s.routes[r1].is_empty() {
                continue;
            }
            let since = self.swapped[r1];
            self.swapped[r1] = s.stamp;
            // Only routes that pass near this one: those holding a close neighbour of one of its
            // clients (SWAP*'s polar sectors, without needing coordinates).
            let mut near = vec![false; n];
            for &c in &s.routes[r1].clients {
                for &v in self.data.neighbours[c as usize].iter().take(SWAP_STAR_NEIGHBOURS) {
                    let r = s.at[v as usize].0;
                    if r != NOWHERE {
                        near[r as usize] = true;
                    }
                }
            }
            for r2 in 0..n {
                if r2 == r1 || s.routes[r1].stamp.max(s.routes[r2].stamp) <= since {
                    continue;
                }
                // Another vehicle for the whole route (or the two routes' vehicles exchanged).
                if self.swap_vehicles(s, r1, r2) {
                    improved = true;
                    if s.routes[r1].is_empty() {
                        break;
                    }
                    continue;
                }
                if r2 < r1 || !near[r2] || s.routes[r2].is_empty() {
                    continue;
                }
                if self.swap_star(s, r1, r2) {
                    improved = true;
                }
                if s.routes[r1].is_empty() {
                    break;
                }
            }
        }
        improved
    }

    /// SWAP* (Vidal 2022): U leaves route `r1` and V leaves `r2`, and each goes to its best place
    /// in the other route, not only where the other was. Places are estimated from travel cost
    /// (the three best insertion points of each client), and the best pair is then priced exactly.
    fn swap_star(&self, s: &mut State, r1: usize, r2: usize) -> bool {
        let data = self.data;
        let (a, b) = (&s.routes[r1], &s.routes[r2]);
        let cost = |veh: usize, x: usize, y: usize| -> i64 {
            let (d, t) = data.edge(x, y);
            let v = &data.vehicles[veh];
            v.per_metre * d + v.per_second * t
        };
        let loc = |r: &Route, p: usize| r.node(data, p).first as usize;
        // For each client of `from`, its three cheapest insertion points in `into` (after position p).
        let top3 = |from: &Route, into: &Route| -> Vec<[(i64, usize); 3]> {
            let veh = into.vehicle;
            (1..=from.len())
                .map(|q| {
                    let c = loc(from, q);
                    let mut best = [(i64::MAX, 0usize); 3];
                    for p in 0..=into.len() {
                        let (x, y) = (loc(into, p), loc(into, p + 1));
                        let delta = cost(veh, x, c) + cost(veh, c, y) - cost(veh, x, y);
                        if delta < best[2].0 {
                            best[2] = (delta, p);
                            if best[2].0 < best[1].0 {
                                best.swap(1, 2);
                                if best[1].0 < best[0].0 {
                                    best.swap(0, 1);
                                }
                            }
                        }
                    }
                    best
                })
                .collect()
        };
        let (ins_b_in_a, ins_a_in_b) = (top3(b, a), top3(a, b));
        let removal = |r: &Route, p: usize| {
            let veh = r.vehicle;
            let (x, c, y) = (loc(r, p - 1), loc(r, p), loc(r, p + 1));
            cost(veh, x, c) + cost(veh, c, y) - cost(veh, x, y)
        };
        // Best place for a client of the other route in `into` once position `gone` is empty:
        // in its place, or one of its three best points not next to it.
        let place = |into: &Route, gone: usize, c: usize, top: &[(i64, usize); 3]| -> (i64, usize, bool) {
            let veh = into.vehicle;
            let (x, y) = (loc(into, gone - 1), loc(into, gone + 1));
            let g = loc(into, gone);
            let in_place = cost(veh, x, c) + cost(veh, c, y) - cost(veh, x, g) - cost(veh, g, y);
            let mut best = (in_place, gone, true);
            for &(delta, p) in top {
                if delta == i64::MAX || p == gone || p + 1 == gone {
                    continue;
                }
                let d = delta - removal(into, gone);
                if d < best.0 {
                    best = (d, p, false);
                }
            }
            best
        };
        let mut best: Option<(i64, usize, usize, (usize, bool), (usize, bool))> = None;
        for pu in 1..=a.len() {
            let u = a.clients[pu - 1] as usize;
            if !data.can_serve(b.vehicle, u) {
                continue;
            }
            for pv in 1..=b.len() {
                let v = b.clients[pv - 1] as usize;
                if !data.can_serve(a.vehicle, v) {
                    continue;
                }
                let (d1, p1, in1) = place(a, pu, loc(b, pv), &ins_b_in_a[pv - 1]);
                let (d2, p2, in2) = place(b, pv, loc(a, pu), &ins_a_in_b[pu - 1]);
                let delta = d1 + d2;
                if best.as_ref().is_none_or(|x| delta < x.0) {
                    best = Some((delta, pu, pv, (p1, in1), (p2, in2)));
                }
            }
        }
        let Some((estimate, pu, pv, (p1, in1), (p2, in2))) = best else { return false };
        // The estimate counts travel only: when both routes are feasible, a pair that does not
        // shorten them cannot pay; otherwise it may still cut excess load or time warp.
        if estimate >= 0 && data.route_feasible(a.vehicle, a.whole()) && data.route_feasible(b.vehicle, b.whole()) {
            return false;
        }
        let rebuild = |r: &Route, gone: usize, c: u32, p: usize, in_place: bool| -> Vec<u32> {
            let mut out = Vec::with_capacity(r.len());
            if p == 0 && !in_place {
                out.push(c);
            }
            for q in 1..=r.len() {
                if q == gone {
                    if in_place {
                        out.push(c);
                    }
                } else {
                    out.push(r.clients[q - 1]);
                }
                if q == p && !in_place {
                    out.push(c);
                }
            }
            out
        };
        let new_a = rebuild(a, pu, b.clients[pv - 1], p1, in1);
        let new_b = rebuild(b, pv, a.clients[pu - 1], p2, in2);
        let price = |veh: usize, clients: &[u32]| -> i64 {
            let mut seg = data.vehicles[veh].start;
            for &c in clients {
                seg = Seg::merge(data, &seg, &data.clients[c as usize]);
            }
            seg = Seg::merge(data, &seg, &data.vehicles[veh].end);
            data.route_cost(veh, &seg, &self.pen)
        };
        let after = price(a.vehicle, &new_a) + price(b.vehicle, &new_b);
        if after < a.cost + b.cost {
            s.set_route(data, &self.pen, r1, new_a);
            s.set_route(data, &self.pen, r2, new_b);
            return true;
        }
        false
    }

    /// Exchanges the vehicles of routes `r1` and `r2` (one may be empty: the route moves to an
    /// unused vehicle) when that is cheaper — a long route may sit on a short shift, or a big
    /// load on a small van, and moving its clients one by one would never get it across.
    fn swap_vehicles(&self, s: &mut State, r1: usize, r2: usize) -> bool {
        let data = self.data;
        let (a, b) = (&s.routes[r1], &s.routes[r2]);
        let (va, vb) = (a.vehicle, b.vehicle);
        if a.is_empty() || data.vehicles[va].profile == data.vehicles[vb].profile {
            return false;
        }
        if b.is_empty() && r2 < r1 {
            // One empty vehicle per profile is enough: the first of them.
            if s.routes[..r2]
                .iter()
                .any(|r| r.is_empty() && data.vehicles[r.vehicle].profile == data.vehicles[vb].profile)
            {
                return false;
            }
        }
        let fits = |clients: &[u32], v: usize| clients.iter().all(|&c| data.can_serve(v, c as usize));
        if data.skilled && (!fits(&a.clients, vb) || !fits(&b.clients, va)) {
            return false;
        }
        let under = |route: &Route, v: usize| -> i64 {
            if route.is_empty() {
                return 0;
            }
            let veh = &data.vehicles[v];
            data.route_cost(v, &Seg::merge3(data, &veh.start, &route.inner, &veh.end), &self.pen)
        };
        if under(a, vb) + under(b, va) < a.cost + b.cost {
            let (ca, cb) = (a.clients.clone(), b.clients.clone());
            s.set_route(data, &self.pen, r1, cb);
            s.set_route(data, &self.pen, r2, ca);
            return true;
        }
        false
    }
}
