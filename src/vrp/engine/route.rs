//! Routes of a solution in the search, each with its prefix and suffix segments cached, so a
//! move is evaluated by joining a few cached pieces.

use super::data::Data;
use super::segment::{Penalties, Seg};

/// Not in any route.
pub const NOWHERE: u32 = u32::MAX;

#[derive(Clone)]
pub struct Route {
    pub vehicle: usize,
    pub clients: Vec<u32>,
    /// `pre[p]`: positions `0..=p` (0 = start depot, 1..=m the clients, m+1 = end depot).
    pub pre: Vec<Seg>,
    /// `suf[p]`: positions `p..=m+1`.
    pub suf: Vec<Seg>,
    /// `tail[p]`: the clients at positions `p..=m` without the end depot (`p` in 1..=m), so a
    /// tail can end at another vehicle's depot (2-opt* between different shifts).
    pub tail: Vec<Seg>,
    /// Location of each position `0..=m+1`.
    pub locs: Vec<u32>,
    /// The clients alone, without the depots (vehicle-independent; meaningless when empty):
    /// the same clients under another vehicle cost `start ⊕ inner ⊕ end` of that vehicle.
    pub inner: Seg,
    /// Cost under the penalties it was last updated with (0 when empty).
    pub cost: i64,
    /// When it last changed (for skipping pairs already tested).
    pub stamp: u64,
}

impl Route {
    pub fn new(vehicle: usize) -> Route {
        Route {
            vehicle,
            clients: vec![],
            pre: vec![],
            suf: vec![],
            tail: vec![],
            locs: vec![],
            inner: Seg::default(),
            cost: 0,
            stamp: 0,
        }
    }

    pub fn len(&self) -> usize {
        self.clients.len()
    }

    pub fn is_empty(&self) -> bool {
        self.clients.is_empty()
    }

    /// The segment of one position.
    #[inline]
    pub fn node<'d>(&self, data: &'d Data, p: usize) -> &'d Seg {
        if p == 0 {
            &data.vehicles[self.vehicle].start
        } else if p > self.clients.len() {
            &data.vehicles[self.vehicle].end
        } else {
            &data.clients[self.clients[p - 1] as usize]
        }
    }

    /// The segment of positions `i..=j` (`i <= j`).
    #[inline]
    pub fn between(&self, data: &Data, i: usize, j: usize) -> Seg {
        if i == 0 {
            return self.pre[j];
        }
        if j == self.clients.len() + 1 {
            return self.suf[i];
        }
        let mut s = *self.node(data, i);
        for p in i + 1..=j {
            s = Seg::merge(data, &s, self.node(data, p));
        }
        s
    }

    /// The segment of positions `j..=i` walked backwards (`i <= j`): a reversed piece.
    pub fn reversed(&self, data: &Data, i: usize, j: usize) -> Seg {
        let mut s = *self.node(data, j);
        for p in (i..j).rev() {
            s = Seg::merge(data, &s, self.node(data, p));
        }
        s
    }

    /// Recomputes the caches and the cost after `clients` changed.
    pub fn update(&mut self, data: &Data, pen: &Penalties, stamp: u64) {
        let m = self.clients.len();
        self.pre.clear();
        self.suf.clear();
        self.pre.push(data.vehicles[self.vehicle].start);
        for p in 1..=m + 1 {
            let next = Seg::merge(data, &self.pre[p - 1], self.node(data, p));
            self.pre.push(next);
        }
        self.suf.resize(m + 2, Seg::default());
        self.suf[m + 1] = data.vehicles[self.vehicle].end;
        for p in (0..=m).rev() {
            self.suf[p] = Seg::merge(data, self.node(data, p), &self.suf[p + 1]);
        }
        self.tail.clear();
        self.tail.resize(m + 1, Seg::default());
        if m > 0 {
            self.tail[m] = data.clients[self.clients[m - 1] as usize];
            for p in (1..m).rev() {
                self.tail[p] = Seg::merge(data, &data.clients[self.clients[p - 1] as usize], &self.tail[p + 1]);
            }
            self.inner = self.tail[1];
        }
        self.locs.clear();
        self.locs.push(data.vehicles[self.vehicle].start.first);
        self.locs.extend(self.clients.iter().map(|&c| data.clients[c as usize].first));
        self.locs.push(data.vehicles[self.vehicle].end.first);
        self.cost = if m == 0 { 0 } else { data.route_cost(self.vehicle, &self.pre[m + 1], pen) };
        self.stamp = stamp;
    }

    /// The whole route as one segment.
    pub fn whole(&self) -> &Seg {
        &self.pre[self.clients.len() + 1]
    }
}
