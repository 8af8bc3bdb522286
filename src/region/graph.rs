//! The car road graph of a region: nodes with coordinates and directed arcs in CSR order, each
//! with a travel time (deciseconds), a length (metres) and the way it belongs to.

use std::collections::HashMap;

use super::extract::{default_speed, haversine_m, Oneway, RoadWay};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct RoadGraph {
    pub lat: Vec<f64>,
    pub lon: Vec<f64>,
    /// CSR: arcs of node `n` are `first_out[n]..first_out[n + 1]`.
    pub first_out: Vec<u32>,
    pub head: Vec<u32>,
    /// Travel time in deciseconds (at least 1).
    pub time_ds: Vec<u32>,
    pub length_m: Vec<u32>,
    /// Index into `way_ids` / `way_names` of each arc.
    pub arc_way: Vec<u32>,
    pub way_ids: Vec<i64>,
    pub way_names: Vec<String>,
}

impl RoadGraph {
    pub fn node_count(&self) -> usize {
        self.lat.len()
    }

    pub fn arc_count(&self) -> usize {
        self.head.len()
    }

    /// Whether an arc leads from `from` to `to`.
    pub fn has_arc(&self, from: usize, to: usize) -> bool {
        self.head[self.first_out[from] as usize..self.first_out[from + 1] as usize].contains(&(to as u32))
    }

    pub fn tail(&self) -> Vec<u32> {
        let mut tail = Vec::with_capacity(self.arc_count());
        for n in 0..self.node_count() {
            for _ in self.first_out[n]..self.first_out[n + 1] {
                tail.push(n as u32);
            }
        }
        tail
    }

    pub fn arcs_of(&self, n: u32) -> std::ops::Range<usize> {
        self.first_out[n as usize] as usize..self.first_out[n as usize + 1] as usize
    }

    pub fn build(roads: &[RoadWay]) -> RoadGraph {
        let mut index: HashMap<i64, u32> = HashMap::new();
        let mut g = RoadGraph::default();
        // (tail, head, time, length, way)
        let mut arcs: Vec<(u32, u32, u32, u32, u32)> = Vec::new();
        let mut way_index: HashMap<i64, u32> = HashMap::new();
        for road in roads {
            let way = *way_index.entry(road.way_id).or_insert_with(|| {
                g.way_ids.push(road.way_id);
                g.way_names.push(road.name.clone().unwrap_or_default());
                (g.way_ids.len() - 1) as u32
            });
            let speed = road.maxspeed_kmh.or_else(|| default_speed(&road.class)).unwrap_or(20.0);
            let mut id = |osm: i64, lat: f64, lon: f64, g: &mut RoadGraph| {
                *index.entry(osm).or_insert_with(|| {
                    g.lat.push(lat);
                    g.lon.push(lon);
                    (g.lat.len() - 1) as u32
                })
            };
            for w in road.nodes.windows(2) {
                let a = id(w[0].0, w[0].1, w[0].2, &mut g);
                let b = id(w[1].0, w[1].1, w[1].2, &mut g);
                if a == b {
                    continue;
                }
                let length = haversine_m(w[0].1, w[0].2, w[1].1, w[1].2);
                // Rounded, not rounded up: a ceiling on every short OSM segment adds up on curvy roads.
                let time = ((length / (speed / 3.6)) * 10.0).round().max(1.0) as u32;
                let length = length.round() as u32;
                if road.oneway != Oneway::Backward {
                    arcs.push((a, b, time, length, way));
                }
                if road.oneway != Oneway::Forward {
                    arcs.push((b, a, time, length, way));
                }
            }
        }
        arcs.sort_unstable();
        arcs.dedup_by(|x, y| x.0 == y.0 && x.1 == y.1 && x.2 >= y.2); // keep the faster of parallel arcs
        let n = g.lat.len();
        g.first_out = vec![0; n + 1];
        for a in &arcs {
            g.first_out[a.0 as usize + 1] += 1;
        }
        for i in 0..n {
            g.first_out[i + 1] += g.first_out[i];
        }
        for (_, head, time, length, way) in arcs {
            g.head.push(head);
            g.time_ds.push(time);
            g.length_m.push(length);
            g.arc_way.push(way);
        }
        g
    }

    /// Nodes of the largest strongly connected component: every node in it can reach every
    /// other, so points are snapped only to these (a car park island would strand them).
    pub fn largest_scc(&self) -> Vec<bool> {
        let n = self.node_count();
        // Kosaraju, iterative. Pass 1: finish order on the forward graph.
        let mut visited = vec![false; n];
        let mut order = Vec::with_capacity(n);
        for start in 0..n {
            if visited[start] {
                continue;
            }
            visited[start] = true;
            let mut stack = vec![(start as u32, self.first_out[start] as usize)];
            while let Some((node, next)) = stack.last_mut() {
                if *next < self.first_out[*node as usize + 1] as usize {
                    let h = self.head[*next] as usize;
                    *next += 1;
                    if !visited[h] {
                        visited[h] = true;
                        stack.push((h as u32, self.first_out[h] as usize));
                    }
                } else {
                    order.push(*node);
                    stack.pop();
                }
            }
        }
        // Pass 2: components on the reverse graph, in reverse finish order.
        let tail = self.tail();
        let mut rev_first = vec![0u32; n + 1];
        for &h in &self.head {
            rev_first[h as usize + 1] += 1;
        }
        for i in 0..n {
            rev_first[i + 1] += rev_first[i];
        }
        let mut fill = rev_first.clone();
        let mut rev_head = vec![0u32; self.arc_count()];
        for (arc, &h) in self.head.iter().enumerate() {
            rev_head[fill[h as usize] as usize] = tail[arc];
            fill[h as usize] += 1;
        }
        let mut comp = vec![u32::MAX; n];
        let mut sizes: Vec<usize> = Vec::new();
        for &root in order.iter().rev() {
            if comp[root as usize] != u32::MAX {
                continue;
            }
            let c = sizes.len() as u32;
            sizes.push(0);
            let mut stack = vec![root];
            comp[root as usize] = c;
            while let Some(v) = stack.pop() {
                sizes[c as usize] += 1;
                for i in rev_first[v as usize]..rev_first[v as usize + 1] {
                    let u = rev_head[i as usize];
                    if comp[u as usize] == u32::MAX {
                        comp[u as usize] = c;
                        stack.push(u);
                    }
                }
            }
        }
        let biggest = (0..sizes.len()).max_by_key(|&c| sizes[c]).map(|c| c as u32);
        comp.iter().map(|&c| Some(c) == biggest).collect()
    }
}
