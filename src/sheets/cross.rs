//! The cross street of a stop, printed after its address ("near Rue Grimaldi") so a driver can
//! find a door in a street where the house numbers are gone: the nearest street, along the
//! stop's own street, that meets it. Read off the region pack's road graph, whose arcs carry
//! their way's name; no pack, no cross street.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

use crate::region::router::Router;
use crate::text::fold;

/// How far along its own street a cross street may be.
const REACH_M: u64 = 400;
/// A stop further than this from any road has no street to speak of.
const SNAP_M: f64 = 250.0;

/// The road graph with arcs both ways, for walking along streets whatever their one-way rules.
pub struct Streets<'a> {
    router: &'a Router,
    /// Undirected adjacency (CSR): per node, (neighbour, arc).
    first: Vec<u32>,
    next: Vec<(u32, u32)>,
}

impl<'a> Streets<'a> {
    pub fn new(router: &'a Router) -> Streets<'a> {
        let g = router.graph();
        let tail = g.tail();
        let mut degree = vec![0u32; g.node_count() + 1];
        for (a, &t) in tail.iter().enumerate() {
            degree[t as usize] += 1;
            degree[g.head[a] as usize] += 1;
        }
        let mut first = vec![0u32; g.node_count() + 1];
        for n in 0..g.node_count() {
            first[n + 1] = first[n] + degree[n];
        }
        let mut fill = first.clone();
        let mut next = vec![(0u32, 0u32); first[g.node_count()] as usize];
        for (a, &t) in tail.iter().enumerate() {
            let h = g.head[a];
            next[fill[t as usize] as usize] = (h, a as u32);
            fill[t as usize] += 1;
            next[fill[h as usize] as usize] = (t, a as u32);
            fill[h as usize] += 1;
        }
        Streets { router, first, next }
    }

    fn name(&self, arc: u32) -> &str {
        let g = self.router.graph();
        g.way_names.get(g.arc_way[arc as usize] as usize).map_or("", |s| s.trim())
    }

    fn around(&self, n: u32) -> &[(u32, u32)] {
        &self.next[self.first[n as usize] as usize..self.first[n as usize + 1] as usize]
    }

    /// The name of the street the stop is on: one at its node that its address names, else the
    /// one most of the node's roads carry.
    fn own(&self, node: u32, address: &str) -> Option<String> {
        let address = fold(address);
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for &(_, arc) in self.around(node) {
            let name = self.name(arc);
            if !name.is_empty() {
                *counts.entry(name).or_default() += 1;
            }
        }
        // The longest name the address holds ("Avenue de la Costa" over "Costa"), then by
        // name, so the choice never depends on the map's iteration order.
        let named = counts
            .keys()
            .filter(|n| address.contains(&fold(n)))
            .max_by(|a, b| a.chars().count().cmp(&b.chars().count()).then(b.cmp(a)));
        if let Some(named) = named {
            return Some(named.to_string());
        }
        counts.into_iter().max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0))).map(|(n, _)| n.to_string())
    }

    /// The nearest street meeting the stop's own street, within `REACH_M` along it.
    pub fn cross_street(&self, lat: f64, lon: f64, address: &str) -> Option<String> {
        let snap = self.router.snap(lat, lon).filter(|s| s.distance_m <= SNAP_M)?;
        let own = self.own(snap.node, address)?;
        let folded_address = fold(address);
        let g = self.router.graph();
        let mut best: HashMap<u32, u64> = HashMap::from([(snap.node, 0)]);
        let mut heap = BinaryHeap::from([Reverse((0u64, snap.node))]);
        while let Some(Reverse((d, n))) = heap.pop() {
            if best.get(&n).is_some_and(|&b| b < d) {
                continue;
            }
            let mut along = Vec::new();
            let mut crossing: Option<&str> = None;
            for &(m, arc) in self.around(n) {
                let name = self.name(arc);
                if name == own {
                    along.push((m, arc));
                } else if !name.is_empty() && !folded_address.contains(&fold(name)) {
                    crossing = Some(crossing.map_or(name, |c| c.min(name)));
                }
            }
            if let Some(name) = crossing {
                return Some(name.to_string());
            }
            for (m, arc) in along {
                let nd = d + u64::from(g.length_m[arc as usize]);
                if nd <= REACH_M && best.get(&m).is_none_or(|&b| nd < b) {
                    best.insert(m, nd);
                    heap.push(Reverse((nd, m)));
                }
            }
        }
        None
    }
}
