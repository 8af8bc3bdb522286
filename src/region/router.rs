//! Driving times and distances on a region's road graph with a customizable contraction
//! hierarchy (crate `cch`): the hierarchy is built once per pack; road closures only
//! re-customize the weights (closed arcs get an infinite weight), they never rebuild it.
//! Plain Dijkstra (`dijkstra`) is kept as the test oracle.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use cch::graph::Graph;
use cch::{Cch, Customizer, Metric, INF_WEIGHT};
use geo::{Coord, Point};
use rstar::primitives::GeomWithData;
use rstar::RTree;
use serde::Serialize;

use super::graph::RoadGraph;

/// A closure as the router sees it: a line across a road, or an area.
#[derive(Debug, Clone)]
pub enum ClosureShape {
    Line(geo::LineString<f64>),
    Area(geo::Polygon<f64>),
}

/// An axis-aligned square of half-side `half` degrees around `center` (lon, lat): the simplest
/// area closure, used by tests and benchmarks.
pub fn square(center: Point<f64>, half: f64) -> geo::Polygon<f64> {
    let (x, y) = (center.x(), center.y());
    geo::Polygon::new(
        geo::LineString::from(vec![
            (x - half, y - half),
            (x + half, y - half),
            (x + half, y + half),
            (x - half, y + half),
            (x - half, y - half),
        ]),
        vec![],
    )
}

/// Where a point was snapped: the nearest node of the main road network.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Snap {
    pub node: u32,
    pub distance_m: f64,
}

/// A many-to-many table; `None` = unreachable.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table {
    pub durations_s: Vec<Vec<Option<f64>>>,
    pub distances_m: Vec<Vec<Option<f64>>>,
    pub snaps: Vec<Snap>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Path {
    pub duration_s: f64,
    pub distance_m: f64,
    /// (lat, lon) along the roads.
    pub points: Vec<(f64, f64)>,
}

type NodePoint = GeomWithData<[f64; 2], u32>;
type Segment = rstar::primitives::Line<[f64; 2]>;

pub struct Router {
    graph: RoadGraph,
    cch: Cch,
    closed: Vec<bool>,
    time: Metric,
    length: Metric,
    snap_index: RTree<NodePoint>,
    /// Every road segment, built on first use (only the import's checks ask for it).
    segment_index: std::sync::OnceLock<RTree<Segment>>,
    /// Road segments (tail, head) by street name folded, built on first use.
    streets: std::sync::OnceLock<std::collections::HashMap<String, Vec<(u32, u32)>>>,
    /// Metres per degree of longitude at the region's latitude (for the snap index).
    lon_scale: f64,
}

const LAT_SCALE: f64 = 111_195.0;
/// Speed on a snap leg (from a point to its road node: a drive, a yard, the last metres on
/// foot), metres per second: 10 km/h.
pub const SNAP_SPEED_MS: f64 = 10.0 / 3.6;

/// A point farther than this from every road is outside the region: unreachable, not snapped.
pub const MAX_SNAP_M: f64 = 1_000.0;

impl Router {
    /// Builds the hierarchy. `order` is a contraction order computed at pack build time
    /// (`contraction_order`), so opening a pack does not repeat it.
    pub fn new(graph: RoadGraph, order: &[u32]) -> Router {
        let input =
            Graph { first_out: graph.first_out.clone(), head: graph.head.clone(), weight: graph.time_ds.clone() };
        let cch = Cch::build(&input, order);
        let main = graph.largest_scc();
        let mid_lat = if graph.lat.is_empty() {
            0.0
        } else {
            (graph.lat.iter().cloned().fold(f64::INFINITY, f64::min)
                + graph.lat.iter().cloned().fold(f64::NEG_INFINITY, f64::max))
                / 2.0
        };
        let lon_scale = LAT_SCALE * mid_lat.to_radians().cos();
        let points: Vec<NodePoint> = (0..graph.node_count())
            .filter(|&n| main[n])
            .map(|n| GeomWithData::new([graph.lon[n] * lon_scale, graph.lat[n] * LAT_SCALE], n as u32))
            .collect();
        let closed = vec![false; graph.arc_count()];
        let (time, length) = {
            let c = cch.customizer();
            (c.customize(&graph.time_ds), c.customize(&graph.length_m))
        };
        Router {
            graph,
            cch,
            closed,
            time,
            length,
            snap_index: RTree::bulk_load(points),
            segment_index: std::sync::OnceLock::new(),
            streets: std::sync::OnceLock::new(),
            lon_scale,
        }
    }

    /// A fill-in reducing contraction order (inertial flow nested dissection).
    pub fn contraction_order(graph: &RoadGraph) -> Vec<u32> {
        let lat: Vec<f32> = graph.lat.iter().map(|&v| v as f32).collect();
        let lon: Vec<f32> = graph.lon.iter().map(|&v| v as f32).collect();
        cch::inertial_order(graph.node_count() as u32, &graph.tail(), &graph.head, &lat, &lon)
    }

    pub fn graph(&self) -> &RoadGraph {
        &self.graph
    }

    /// Closes every arc a shape crosses and re-customizes the metrics (no rebuild).
    /// Returns how many arcs are closed.
    pub fn set_closures(&mut self, shapes: &[ClosureShape]) -> usize {
        let g = &self.graph;
        let tail = g.tail();
        let mut closed = vec![false; g.arc_count()];
        if !shapes.is_empty() {
            let index = super::closure_index::ClosureIndex::new(shapes);
            for (arc, flag) in closed.iter_mut().enumerate() {
                let (a, b) = (tail[arc] as usize, g.head[arc] as usize);
                *flag = index.closes(Coord { x: g.lon[a], y: g.lat[a] }, Coord { x: g.lon[b], y: g.lat[b] });
            }
        }
        let count = closed.iter().filter(|&&c| c).count();
        let masked =
            |w: &[u32]| -> Vec<u32> { w.iter().zip(&closed).map(|(&w, &c)| if c { INF_WEIGHT } else { w }).collect() };
        let c: Customizer<'_> = self.cch.customizer();
        self.time = c.customize(&masked(&g.time_ds));
        self.length = c.customize(&masked(&g.length_m));
        self.closed = closed;
        count
    }

    pub fn closed_arcs(&self) -> usize {
        self.closed.iter().filter(|&&c| c).count()
    }

    /// The nearest node of the main network to (lat, lon), if one is within `MAX_SNAP_M`.
    pub fn snap(&self, lat: f64, lon: f64) -> Option<Snap> {
        if !lat.is_finite() || !lon.is_finite() {
            return None;
        }
        let q = [lon * self.lon_scale, lat * LAT_SCALE];
        self.snap_index
            .nearest_neighbor(&q)
            .map(|p| {
                let n = p.data as usize;
                Snap {
                    node: p.data,
                    distance_m: super::extract::haversine_m(lat, lon, self.graph.lat[n], self.graph.lon[n]),
                }
            })
            .filter(|s| s.distance_m <= MAX_SNAP_M)
    }

    /// Metres from (lat, lon) to the nearest road of the pack, any road a car can use (the
    /// nearest point of a segment, not of a node: nodes can be far apart on a straight road).
    pub fn road_distance_m(&self, lat: f64, lon: f64) -> Option<f64> {
        if !lat.is_finite() || !lon.is_finite() {
            return None;
        }
        let index = self.segment_index.get_or_init(|| {
            let g = &self.graph;
            let at = |n: usize| [g.lon[n] * self.lon_scale, g.lat[n] * LAT_SCALE];
            let mut segments = Vec::with_capacity(g.arc_count());
            for tail in 0..g.node_count() {
                for a in g.first_out[tail] as usize..g.first_out[tail + 1] as usize {
                    let head = g.head[a] as usize;
                    // Each two-way street once; a one-way arc has no twin, so keep it too.
                    if tail < head || !g.has_arc(head, tail) {
                        segments.push(Segment::new(at(tail), at(head)));
                    }
                }
            }
            RTree::bulk_load(segments)
        });
        use rstar::PointDistance;
        let q = [lon * self.lon_scale, lat * LAT_SCALE];
        index.nearest_neighbor(&q).map(|s| s.distance_2(&q).sqrt())
    }

    /// Metres from (lat, lon) to the nearest part of the street named `name` (case and accents
    /// aside); `None` when no road of the pack has that name.
    pub fn street_distance_m(&self, lat: f64, lon: f64, name: &str) -> Option<f64> {
        let streets = self.streets.get_or_init(|| {
            let g = &self.graph;
            let mut by_name: std::collections::HashMap<String, Vec<(u32, u32)>> = Default::default();
            for tail in 0..g.node_count() {
                for a in g.first_out[tail] as usize..g.first_out[tail + 1] as usize {
                    let name = &g.way_names[g.arc_way[a] as usize];
                    if !name.is_empty() {
                        by_name.entry(crate::text::fold(name)).or_default().push((tail as u32, g.head[a]));
                    }
                }
            }
            by_name
        });
        use rstar::PointDistance;
        let g = &self.graph;
        let at = |n: u32| [g.lon[n as usize] * self.lon_scale, g.lat[n as usize] * LAT_SCALE];
        let q = [lon * self.lon_scale, lat * LAT_SCALE];
        streets
            .get(&crate::text::fold(name.trim()))?
            .iter()
            .map(|&(t, h)| Segment::new(at(t), at(h)).distance_2(&q).sqrt())
            .min_by(f64::total_cmp)
    }

    /// Durations (fastest route) and distances (shortest route) between every pair of points.
    /// Distances are the length of the shortest road route, which can be shorter than the
    /// length of the fastest one. Both include the snap legs, as OSRM does: from each point to
    /// the road node it snapped to, at `SNAP_SPEED_MS` — so two households 100 m apart whose
    /// nodes are 6 m apart are never 6 m apart by road. A point to itself is 0.
    pub fn table(&self, sources: &[(f64, f64)], targets: &[(f64, f64)]) -> Table {
        let snap_all = |pts: &[(f64, f64)]| -> Vec<Snap> {
            pts.iter()
                .map(|&(lat, lon)| self.snap(lat, lon).unwrap_or(Snap { node: 0, distance_m: f64::INFINITY }))
                .collect()
        };
        let (s, t) = (snap_all(sources), snap_all(targets));
        let (times, lengths) = if self.graph.node_count() == 0 {
            (vec![INF_WEIGHT; s.len() * t.len()], vec![INF_WEIGHT; s.len() * t.len()])
        } else {
            let sn: Vec<u32> = s.iter().map(|x| x.node).collect();
            let tn: Vec<u32> = t.iter().map(|x| x.node).collect();
            let view = self.cch.view();
            // The two metrics are independent queries: run them side by side.
            rayon::join(
                || cch::distance_matrix(&view, &self.time.view(), &sn, &tn),
                || cch::distance_matrix(&view, &self.length.view(), &sn, &tn),
            )
        };
        let usable = |i: usize, j: usize| s[i].distance_m.is_finite() && t[j].distance_m.is_finite();
        let same = |i: usize, j: usize| sources[i] == targets[j];
        // Snap legs: metres (distances) or seconds (durations) added to the road part.
        let legs = |i: usize, j: usize, per_metre: f64| (s[i].distance_m + t[j].distance_m) * per_metre;
        let cell = |v: u32, per: f64, ok: bool, extra: f64| (ok && v < INF_WEIGHT).then(|| v as f64 / per + extra);
        let rows = |m: &[u32], scale: f64, per_metre: f64| -> Vec<Vec<Option<f64>>> {
            (0..s.len())
                .map(|i| {
                    (0..t.len())
                        .map(|j| match same(i, j) && usable(i, j) {
                            true => Some(0.0),
                            false => cell(m[i * t.len() + j], scale, usable(i, j), legs(i, j, per_metre)),
                        })
                        .collect()
                })
                .collect()
        };
        let mut snaps = s.clone();
        snaps.extend(t.iter().copied());
        Table { durations_s: rows(&times, 10.0, 1.0 / SNAP_SPEED_MS), distances_m: rows(&lengths, 1.0, 1.0), snaps }
    }

    /// The fastest route between two points, with its geometry.
    pub fn path(&self, from: (f64, f64), to: (f64, f64)) -> Option<Path> {
        let (a, b) = (self.snap(from.0, from.1)?, self.snap(to.0, to.1)?);
        let nodes = cch::node_path(&self.cch.view(), &self.time.view(), a.node, b.node)?;
        let (mut time, mut length) = (0u64, 0u64);
        for w in nodes.windows(2) {
            let arc = self
                .graph
                .arcs_of(w[0])
                .filter(|&arc| self.graph.head[arc] == w[1] && !self.closed[arc])
                .min_by_key(|&arc| self.graph.time_ds[arc])?;
            time += self.graph.time_ds[arc] as u64;
            length += self.graph.length_m[arc] as u64;
        }
        let mut points = vec![from];
        points.extend(nodes.iter().map(|&n| (self.graph.lat[n as usize], self.graph.lon[n as usize])));
        points.push(to);
        let legs = a.distance_m + b.distance_m;
        Some(Path { duration_s: time as f64 / 10.0 + legs / SNAP_SPEED_MS, distance_m: length as f64 + legs, points })
    }

    /// Test oracle: plain Dijkstra on the same graph and closures; travel time in deciseconds.
    pub fn dijkstra(&self, from: u32, to: u32) -> Option<u64> {
        self.dijkstra_by(from, to, &self.graph.time_ds)
    }

    /// Test oracle for distances: the shortest road length in metres.
    pub fn dijkstra_length(&self, from: u32, to: u32) -> Option<u64> {
        self.dijkstra_by(from, to, &self.graph.length_m)
    }

    fn dijkstra_by(&self, from: u32, to: u32, weight: &[u32]) -> Option<u64> {
        let g = &self.graph;
        let mut dist = vec![u64::MAX; g.node_count()];
        let mut heap = BinaryHeap::new();
        dist[from as usize] = 0;
        heap.push(Reverse((0u64, from)));
        while let Some(Reverse((d, v))) = heap.pop() {
            if v == to {
                return Some(d);
            }
            if d > dist[v as usize] {
                continue;
            }
            for arc in g.arcs_of(v) {
                if self.closed[arc] {
                    continue;
                }
                let (h, nd) = (g.head[arc], d + weight[arc] as u64);
                if nd < dist[h as usize] {
                    dist[h as usize] = nd;
                    heap.push(Reverse((nd, h)));
                }
            }
        }
        None
    }

    /// A point as a `geo` point (lon, lat) — for callers building closure shapes.
    pub fn node_point(&self, n: u32) -> Point<f64> {
        Point::new(self.graph.lon[n as usize], self.graph.lat[n as usize])
    }
}
