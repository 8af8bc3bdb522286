//! Which road segments a set of closures closes, fast at any closure size: a real flood
//! extent has 500,000 vertices, and testing every arc in its box against the whole ring took
//! minutes. Every closure edge goes into an R-tree; an arc is closed when it crosses or touches
//! an edge (found through its box), or when it lies inside an area (ray parity, counting only
//! the edges the R-tree finds on the ray). The result is exactly `geo`'s `intersects` — no
//! simplification, so a closure is never made smaller than drawn.

use std::collections::HashMap;

use geo::{Coord, Intersects, Line};
use rstar::primitives::GeomWithData;
use rstar::{RTree, AABB};

use super::router::ClosureShape;

type Edge = GeomWithData<rstar::primitives::Line<[f64; 2]>, (u32, bool)>;

pub struct ClosureIndex {
    /// Every edge of every closure, with its closure's number and whether it bounds an area.
    edges: RTree<Edge>,
    /// The right edge of all closures: rays for the inside test stop there.
    max_x: f64,
}

impl ClosureIndex {
    pub fn new(shapes: &[ClosureShape]) -> ClosureIndex {
        let mut edges = Vec::new();
        let mut max_x = f64::NEG_INFINITY;
        let mut push = |a: Coord<f64>, b: Coord<f64>, shape: u32, area: bool| {
            if [a.x, a.y, b.x, b.y].iter().all(|v| v.is_finite()) {
                max_x = max_x.max(a.x).max(b.x);
                edges.push(GeomWithData::new(rstar::primitives::Line::new([a.x, a.y], [b.x, b.y]), (shape, area)));
            }
        };
        for (i, s) in shapes.iter().enumerate() {
            match s {
                ClosureShape::Line(line) => {
                    for l in line.lines() {
                        push(l.start, l.end, i as u32, false);
                    }
                    // A one-point line still closes what passes through it.
                    if line.0.len() == 1 {
                        push(line.0[0], line.0[0], i as u32, false);
                    }
                }
                ClosureShape::Area(area) => {
                    for ring in std::iter::once(area.exterior()).chain(area.interiors()) {
                        // Rings are closed: geo's lines() includes the closing edge when the
                        // first point is repeated; add it when it is not.
                        for l in ring.lines() {
                            push(l.start, l.end, i as u32, true);
                        }
                        if let (Some(&first), Some(&last)) = (ring.0.first(), ring.0.last()) {
                            if first != last {
                                push(last, first, i as u32, true);
                            }
                        }
                    }
                }
            }
        }
        ClosureIndex { edges: RTree::bulk_load(edges), max_x }
    }

    /// Whether the road segment a–b (lon, lat) is closed.
    pub fn closes(&self, a: Coord<f64>, b: Coord<f64>) -> bool {
        if self.edges.size() == 0 {
            return false;
        }
        let segment = Line::new(a, b);
        let envelope = AABB::from_corners([a.x.min(b.x), a.y.min(b.y)], [a.x.max(b.x), a.y.max(b.y)]);
        let crosses = self.edges.locate_in_envelope_intersecting(&envelope).any(|e| {
            let [s, t] = [e.geom().from, e.geom().to];
            Line::new(Coord { x: s[0], y: s[1] }, Coord { x: t[0], y: t[1] }).intersects(&segment)
        });
        crosses || self.inside_an_area(a)
    }

    /// Ray parity from `p` towards +x, per area: odd means inside that area (holes count too).
    fn inside_an_area(&self, p: Coord<f64>) -> bool {
        if p.x > self.max_x {
            return false;
        }
        let ray = AABB::from_corners([p.x, p.y], [self.max_x, p.y]);
        let mut parity: HashMap<u32, bool> = HashMap::new();
        for e in self.edges.locate_in_envelope_intersecting(&ray) {
            let (shape, area) = e.data;
            if !area {
                continue;
            }
            let ([x1, y1], [x2, y2]) = (e.geom().from, e.geom().to);
            if (y1 > p.y) != (y2 > p.y) {
                let x = x1 + (p.y - y1) * (x2 - x1) / (y2 - y1);
                if x > p.x {
                    let odd = parity.entry(shape).or_insert(false);
                    *odd = !*odd;
                }
            }
        }
        parity.values().any(|&odd| odd)
    }
}
