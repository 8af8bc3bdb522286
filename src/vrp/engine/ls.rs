//! Granular local search: for each client U and each V among its neighbours, the first
//! improving move of relocate (one or two clients), swap (1–1, 2–1, 2–2), 2-opt* between
//! routes and 2-opt within a route; optional clients are inserted or dropped when that pays;
//! a client may move to an empty vehicle. Pairs whose routes have not changed since they were
//! last tested are skipped. Every move is priced from cached route pieces.

use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

use super::data::Data;
use super::segment::{Penalties, Seg};
use super::state::State;

mod routes;

/// A piece of a new route: positions `i..=j` of a route (forwards or reversed), or one client.
#[derive(Clone, Copy)]
enum Piece {
    Span(usize, usize, usize),
    Rev(usize, usize, usize),
    Client(usize),
}

/// How many of a client's neighbours make its route "near" another for SWAP*.
const SWAP_STAR_NEIGHBOURS: usize = 10;

pub struct Search<'d> {
    pub data: &'d Data,
    pub pen: Penalties,
    tested: Vec<u64>,
    order: Vec<usize>,
    /// Per route, the stamp when its SWAP* pairs were last tested.
    swapped: Vec<u64>,
}

impl<'d> Search<'d> {
    pub fn new(data: &'d Data, pen: Penalties) -> Self {
        let order: Vec<usize> = (0..data.n()).filter(|&c| data.active[c]).collect();
        Search { data, pen, tested: vec![0; data.n()], order, swapped: vec![0; data.vehicles.len()] }
    }

    /// Forgets which pairs were tested (after the penalties changed, every move is worth a look).
    pub fn reset(&mut self) {
        self.tested.iter_mut().for_each(|t| *t = 0);
        self.swapped.iter_mut().for_each(|t| *t = 0);
    }

    /// Runs the search to a local optimum of `s` under the current penalties.
    pub fn run(&mut self, s: &mut State, rng: &mut ChaCha8Rng) {
        s.reprice(self.data, &self.pen);
        self.order.shuffle(rng);
        let order = std::mem::take(&mut self.order);
        loop {
            let mut improved = false;
            for &u in &order {
                if self.client(s, u) {
                    improved = true;
                }
            }
            if !improved && !self.swap_star_pass(s) {
                break;
            }
        }
        self.order = order;
    }

    /// Tries the moves of client `u`; true when one was applied.
    fn client(&mut self, s: &mut State, u: usize) -> bool {
        let data = self.data;
        if !s.routed(u) {
            return self.insert_unrouted(s, u);
        }
        let last = self.tested[u];
        self.tested[u] = s.stamp;
        let mut applied = false;
        for k in 0..data.neighbours[u].len() {
            let v = data.neighbours[u][k] as usize;
            if !s.routed(v) || !s.routed(u) {
                continue;
            }
            let (ru, rv) = (s.at[u].0 as usize, s.at[v].0 as usize);
            if s.routes[ru].stamp.max(s.routes[rv].stamp) <= last {
                continue;
            }
            if self.node_moves(s, u, v) {
                applied = true;
            }
        }
        if s.routed(u) && !data.required[u] && self.drop_optional(s, u) {
            return true;
        }
        if s.routed(u) && self.to_empty_vehicle(s, u) {
            applied = true;
        }
        applied
    }

    fn seg_of(&self, s: &State, pieces: &[Piece]) -> Seg {
        let data = self.data;
        let one = |p: &Piece| -> Seg {
            match *p {
                Piece::Span(r, i, j) => s.routes[r].between(data, i, j),
                Piece::Rev(r, i, j) => s.routes[r].reversed(data, i, j),
                Piece::Client(c) => data.clients[c],
            }
        };
        let mut seg = one(&pieces[0]);
        for p in &pieces[1..] {
            seg = Seg::merge(data, &seg, &one(p));
        }
        seg
    }

    /// The cost of route `r` (its vehicle) rebuilt from `pieces`; `clients` = how many it holds.
    fn price(&self, s: &State, r: usize, pieces: &[Piece], clients: usize) -> i64 {
        if clients == 0 {
            return 0;
        }
        let seg = self.seg_of(s, pieces);
        self.data.route_cost(s.routes[r].vehicle, &seg, &self.pen)
    }

    /// The clients of route `r` rebuilt from `pieces` (only client positions are kept).
    fn build(&self, s: &State, pieces: &[Piece]) -> Vec<u32> {
        let mut out = Vec::new();
        for p in pieces {
            match *p {
                Piece::Span(r, i, j) => {
                    let route = &s.routes[r];
                    for q in i..=j {
                        if q >= 1 && q <= route.len() {
                            out.push(route.clients[q - 1]);
                        }
                    }
                }
                Piece::Rev(r, i, j) => {
                    let route = &s.routes[r];
                    for q in (i..=j).rev() {
                        if q >= 1 && q <= route.len() {
                            out.push(route.clients[q - 1]);
                        }
                    }
                }
                Piece::Client(c) => out.push(c as u32),
            }
        }
        out
    }

    /// Applies a two-route change when it improves the penalised cost by at least 1.
    /// A lower bound of what route `r` rebuilt from `pieces` costs: its travel alone (penalties
    /// are never negative), from prefix differences and the joining edges, in O(pieces).
    fn bound(&self, s: &State, r: usize, pieces: &[Piece], clients: usize) -> Option<i64> {
        if clients == 0 {
            return Some(0);
        }
        let data = self.data;
        let veh = &data.vehicles[s.routes[r].vehicle];
        let (mut dist, mut time, mut last) = (0i64, 0i64, None::<usize>);
        for p in pieces {
            let (first, end, d, t) = match *p {
                Piece::Span(q, i, j) => {
                    let route = &s.routes[q];
                    let (a, b) = (&route.pre[i], &route.pre[j]);
                    // Spans ending at the end depot of another vehicle are only used when the
                    // ends are alike (2-opt*), so the prefix difference is the piece's own cost.
                    (route.locs[i] as usize, route.locs[j] as usize, b.distance - a.distance, b.travel - a.travel)
                }
                Piece::Rev(..) => return None,
                Piece::Client(c) => {
                    let l = data.clients[c].first as usize;
                    (l, l, 0, 0)
                }
            };
            if let Some(prev) = last {
                let (ed, et) = data.edge(prev, first);
                dist += ed;
                time += et;
            }
            dist += d;
            time += t;
            last = Some(end);
        }
        Some(veh.fixed + veh.per_metre * dist + veh.per_second * time)
    }

    fn try_pair(&self, s: &mut State, r1: usize, a: &[Piece], n1: usize, r2: usize, b: &[Piece], n2: usize) -> bool {
        let before = s.routes[r1].cost + s.routes[r2].cost;
        if let (Some(l1), Some(l2)) = (self.bound(s, r1, a, n1), self.bound(s, r2, b, n2)) {
            if l1 + l2 >= before {
                return false;
            }
        }
        let c1 = self.price(s, r1, a, n1);
        if c1 >= before {
            // Route 2 cannot cost less than nothing: no improvement possible.
            return false;
        }
        let after = c1 + self.price(s, r2, b, n2);
        if after < before {
            let (ca, cb) = (self.build(s, a), self.build(s, b));
            s.set_route(self.data, &self.pen, r1, ca);
            s.set_route(self.data, &self.pen, r2, cb);
            return true;
        }
        false
    }

    fn try_one(&self, s: &mut State, r: usize, pieces: &[Piece], n: usize) -> bool {
        if self.bound(s, r, pieces, n).is_some_and(|l| l >= s.routes[r].cost) {
            return false;
        }
        if self.price(s, r, pieces, n) < s.routes[r].cost {
            let c = self.build(s, pieces);
            s.set_route(self.data, &self.pen, r, c);
            return true;
        }
        false
    }

    /// The node moves between `u` and its neighbour `v`.
    fn node_moves(&self, s: &mut State, u: usize, v: usize) -> bool {
        use Piece::*;
        let data = self.data;
        let (ru, pu) = (s.at[u].0 as usize, s.at[u].1 as usize);
        let (rv, pv) = (s.at[v].0 as usize, s.at[v].1 as usize);
        let (mu, mv) = (s.routes[ru].len(), s.routes[rv].len());
        let (veh_u, veh_v) = (s.routes[ru].vehicle, s.routes[rv].vehicle);
        if ru != rv {
            let u_fits_v = data.can_serve(veh_v, u);
            let v_fits_u = data.can_serve(veh_u, v);
            // Relocate U after V, and before V.
            if u_fits_v {
                for after in [pv, pv - 1] {
                    if self.try_pair(
                        s,
                        ru,
                        &[Span(ru, 0, pu - 1), Span(ru, pu + 1, mu + 1)],
                        mu - 1,
                        rv,
                        &[Span(rv, 0, after), Client(u), Span(rv, after + 1, mv + 1)],
                        mv + 1,
                    ) {
                        return true;
                    }
                }
            }
            // Relocate U and the next client after V.
            if pu < mu {
                let x = s.routes[ru].clients[pu] as usize;
                if u_fits_v
                    && data.can_serve(veh_v, x)
                    && self.try_pair(
                        s,
                        ru,
                        &[Span(ru, 0, pu - 1), Span(ru, pu + 2, mu + 1)],
                        mu - 2,
                        rv,
                        &[Span(rv, 0, pv), Client(u), Client(x), Span(rv, pv + 1, mv + 1)],
                        mv + 2,
                    )
                {
                    return true;
                }
            }
            // Swap U and V.
            if u_fits_v && v_fits_u {
                if self.try_pair(
                    s,
                    ru,
                    &[Span(ru, 0, pu - 1), Client(v), Span(ru, pu + 1, mu + 1)],
                    mu,
                    rv,
                    &[Span(rv, 0, pv - 1), Client(u), Span(rv, pv + 1, mv + 1)],
                    mv,
                ) {
                    return true;
                }
                // Swap (U, X) with V, and (U, X) with (V, Y).
                if pu < mu {
                    let x = s.routes[ru].clients[pu] as usize;
                    if data.can_serve(veh_v, x) {
                        if self.try_pair(
                            s,
                            ru,
                            &[Span(ru, 0, pu - 1), Client(v), Span(ru, pu + 2, mu + 1)],
                            mu - 1,
                            rv,
                            &[Span(rv, 0, pv - 1), Client(u), Client(x), Span(rv, pv + 1, mv + 1)],
                            mv + 1,
                        ) {
                            return true;
                        }
                        if pv < mv {
                            let y = s.routes[rv].clients[pv] as usize;
                            if data.can_serve(veh_u, y)
                                && self.try_pair(
                                    s,
                                    ru,
                                    &[Span(ru, 0, pu - 1), Client(v), Client(y), Span(ru, pu + 2, mu + 1)],
                                    mu,
                                    rv,
                                    &[Span(rv, 0, pv - 1), Client(u), Client(x), Span(rv, pv + 2, mv + 1)],
                                    mv,
                                )
                            {
                                return true;
                            }
                        }
                    }
                }
            }
            // 2-opt*: U's route keeps its head up to U and takes V's tail after V; V's the other way.
            if self.two_opt_star(s, ru, pu, rv, pv) {
                return true;
            }
            return false;
        }
        // Same route.
        let r = ru;
        let m = mu;
        // Relocate U after V.
        if pv + 1 != pu && pv != pu {
            let pieces: Vec<Piece> = if pv < pu {
                vec![Span(r, 0, pv), Client(u), Span(r, pv + 1, pu - 1), Span(r, pu + 1, m + 1)]
            } else {
                vec![Span(r, 0, pu - 1), Span(r, pu + 1, pv), Client(u), Span(r, pv + 1, m + 1)]
            };
            if self.try_one(s, r, &pieces, m) {
                return true;
            }
        }
        // Swap U and V.
        let (p, q) = (pu.min(pv), pu.max(pv));
        let (a, b) = (s.routes[r].clients[p - 1] as usize, s.routes[r].clients[q - 1] as usize);
        let pieces: Vec<Piece> = if q == p + 1 {
            vec![Span(r, 0, p - 1), Client(b), Client(a), Span(r, q + 1, m + 1)]
        } else {
            vec![Span(r, 0, p - 1), Client(b), Span(r, p + 1, q - 1), Client(a), Span(r, q + 1, m + 1)]
        };
        if self.try_one(s, r, &pieces, m) {
            return true;
        }
        // 2-opt: reverse the clients between U and V (U's successor … V).
        if pu < pv && pv > pu + 1 {
            let pieces = [Span(r, 0, pu), Rev(r, pu + 1, pv), Span(r, pv + 1, m + 1)];
            if self.try_one(s, r, &pieces, m) {
                return true;
            }
        }
        false
    }

    fn two_opt_star(&self, s: &mut State, ru: usize, pu: usize, rv: usize, pv: usize) -> bool {
        use Piece::*;
        let data = self.data;
        let (mu, mv) = (s.routes[ru].len(), s.routes[rv].len());
        let (veh_u, veh_v) = (s.routes[ru].vehicle, s.routes[rv].vehicle);
        let tail_ok = |from: usize, p: usize, veh: usize| {
            s.routes[from].clients[p..].iter().all(|&c| data.can_serve(veh, c as usize))
        };
        if data.skilled && (!tail_ok(ru, pu, veh_v) || !tail_ok(rv, pv, veh_u)) {
            return false;
        }
        let same_end = data.vehicles[veh_u].end == data.vehicles[veh_v].end;
        // The tails end at the other route's end depot: when both vehicles end alike, a cached
        // suffix serves; otherwise the tail is walked and the right end added.
        let (a, b): (Vec<Piece>, Vec<Piece>) = if same_end {
            (vec![Span(ru, 0, pu), Span(rv, pv + 1, mv + 1)], vec![Span(rv, 0, pv), Span(ru, pu + 1, mu + 1)])
        } else {
            return self.two_opt_star_walked(s, ru, pu, rv, pv);
        };
        self.try_pair(s, ru, &a, pu + (mv - pv), rv, &b, pv + (mu - pu))
    }

    fn two_opt_star_walked(&self, s: &mut State, ru: usize, pu: usize, rv: usize, pv: usize) -> bool {
        let data = self.data;
        let (mu, mv) = (s.routes[ru].len(), s.routes[rv].len());
        let (veh_u, veh_v) = (s.routes[ru].vehicle, s.routes[rv].vehicle);
        let join = |r: usize, p: usize, other: usize, q: usize, m_other: usize, veh: usize| -> Seg {
            let mut seg = s.routes[r].pre[p];
            if q < m_other {
                seg = Seg::merge(data, &seg, &s.routes[other].tail[q + 1]);
            }
            Seg::merge(data, &seg, &data.vehicles[veh].end)
        };
        let (n1, n2) = (pu + (mv - pv), pv + (mu - pu));
        let c1 = if n1 == 0 { 0 } else { data.route_cost(veh_u, &join(ru, pu, rv, pv, mv, veh_u), &self.pen) };
        let c2 = if n2 == 0 { 0 } else { data.route_cost(veh_v, &join(rv, pv, ru, pu, mu, veh_v), &self.pen) };
        if c1 + c2 < s.routes[ru].cost + s.routes[rv].cost {
            let mut a: Vec<u32> = s.routes[ru].clients[..pu].to_vec();
            a.extend_from_slice(&s.routes[rv].clients[pv..]);
            let mut b: Vec<u32> = s.routes[rv].clients[..pv].to_vec();
            b.extend_from_slice(&s.routes[ru].clients[pu..]);
            s.set_route(data, &self.pen, ru, a);
            s.set_route(data, &self.pen, rv, b);
            return true;
        }
        false
    }

    /// An unrouted client goes in where it costs least, if that beats leaving it out.
    fn insert_unrouted(&self, s: &mut State, u: usize) -> bool {
        let data = self.data;
        let mut rng = rand::SeedableRng::seed_from_u64(0);
        if let Some((delta, r, p)) = s.best_insertion(data, &self.pen, u, false, 0.0, &mut rng) {
            if delta < data.penalty[u] || data.required[u] {
                s.insert(data, &self.pen, u, r, p);
                return true;
            }
        }
        false
    }

    /// An optional client leaves its route when that saves more than its penalty.
    fn drop_optional(&self, s: &mut State, u: usize) -> bool {
        use Piece::*;
        let (r, p) = (s.at[u].0 as usize, s.at[u].1 as usize);
        let m = s.routes[r].len();
        let without = self.price(s, r, &[Span(r, 0, p - 1), Span(r, p + 1, m + 1)], m - 1);
        if without + self.data.penalty[u] < s.routes[r].cost {
            s.remove(self.data, &self.pen, u);
            return true;
        }
        false
    }

    /// Moves `u` alone into an empty vehicle (one per profile) when that is cheaper.
    fn to_empty_vehicle(&self, s: &mut State, u: usize) -> bool {
        use Piece::*;
        let data = self.data;
        let (ru, pu) = (s.at[u].0 as usize, s.at[u].1 as usize);
        let mu = s.routes[ru].len();
        let mut seen: Vec<usize> = Vec::new();
        for rv in 0..s.routes.len() {
            let route = &s.routes[rv];
            let profile = data.vehicles[route.vehicle].profile;
            if !route.is_empty() || seen.contains(&profile) || !data.can_serve(route.vehicle, u) {
                continue;
            }
            seen.push(profile);
            if self.try_pair(
                s,
                ru,
                &[Span(ru, 0, pu - 1), Span(ru, pu + 1, mu + 1)],
                mu - 1,
                rv,
                &[Span(rv, 0, 0), Client(u), Span(rv, 1, 1)],
                1,
            ) {
                return true;
            }
        }
        false
    }
}
