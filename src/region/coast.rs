//! The sea, from `natural=coastline` ways: OSM draws coastlines with the land on the left, so
//! joined into chains and closed along the extract's box they bound the sea on their right.
//!
//! Written here rather than taken from `osmcoastline`: that tool works on the planet and writes
//! shapefiles; a city extract needs only its few chains closed against one rectangle.

use std::collections::HashMap;

use super::rings::{signed_area2, with_holes};

/// (lon, lat) rings of one polygon: the first is the outer ring, the rest are holes.
pub type Polygon = Vec<Vec<(f64, f64)>>;

/// A rectangle in (lon, lat): min x, min y, max x, max y.
#[derive(Debug, Clone, Copy)]
pub struct Bbox {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

impl Bbox {
    /// Where a point on the edge lies along the boundary, clockwise from the top-left corner,
    /// one unit per side: top 0..1, right 1..2, bottom 2..3, left 3..4.
    fn perimeter(&self, (x, y): (f64, f64)) -> f64 {
        let (w, h) = ((self.x1 - self.x0).max(f64::MIN_POSITIVE), (self.y1 - self.y0).max(f64::MIN_POSITIVE));
        let d = [(self.y1 - y).abs(), (self.x1 - x).abs(), (y - self.y0).abs(), (x - self.x0).abs()];
        let side = (0..4).min_by(|&a, &b| d[a].total_cmp(&d[b])).unwrap_or(0);
        match side {
            0 => ((x - self.x0) / w).clamp(0.0, 1.0),
            1 => 1.0 + ((self.y1 - y) / h).clamp(0.0, 1.0),
            2 => 2.0 + ((self.x1 - x) / w).clamp(0.0, 1.0),
            _ => (3.0 + ((y - self.y0) / h).clamp(0.0, 1.0)) % 4.0,
        }
    }

    /// The corner at perimeter position 0, 1, 2 or 3.
    fn corner(&self, k: usize) -> (f64, f64) {
        [(self.x0, self.y1), (self.x1, self.y1), (self.x1, self.y0), (self.x0, self.y0)][k % 4]
    }

    /// The nearest point on the boundary.
    fn nearest_edge_point(&self, (x, y): (f64, f64)) -> (f64, f64) {
        let (x, y) = (x.clamp(self.x0, self.x1), y.clamp(self.y0, self.y1));
        let d = [self.y1 - y, self.x1 - x, y - self.y0, x - self.x0];
        match (0..4).min_by(|&a, &b| d[a].total_cmp(&d[b])).unwrap_or(0) {
            0 => (x, self.y1),
            1 => (self.x1, y),
            2 => (x, self.y0),
            _ => (self.x0, y),
        }
    }

    fn ring(&self) -> Vec<(f64, f64)> {
        (0..4).map(|k| self.corner(k)).collect()
    }
}

/// Joins ways (node id, lon, lat) that share end nodes into chains.
fn join(ways: &[Vec<(i64, f64, f64)>]) -> Vec<Vec<(i64, f64, f64)>> {
    let mut chains: Vec<Option<Vec<(i64, f64, f64)>>> =
        ways.iter().filter(|w| w.len() >= 2).cloned().map(Some).collect();
    let mut by_start: HashMap<i64, usize> = HashMap::new();
    for (i, c) in chains.iter().enumerate() {
        let c = c.as_ref().expect("all present");
        if c.first().map(|p| p.0) != c.last().map(|p| p.0) {
            by_start.insert(c[0].0, i);
        }
    }
    for i in 0..chains.len() {
        while let Some(chain) = chains[i].as_ref() {
            let (first, last) = (chain[0].0, chain[chain.len() - 1].0);
            if first == last {
                break;
            }
            match by_start.get(&last).copied() {
                Some(j) if j != i && chains[j].is_some() => {
                    let next = chains[j].take().expect("checked");
                    by_start.remove(&last);
                    chains[i].as_mut().expect("checked").extend_from_slice(&next[1..]);
                }
                _ => break,
            }
        }
    }
    chains.into_iter().flatten().collect()
}

/// Sea polygons inside `bbox` from the coastline ways in it. Chains that stop inside the box
/// (the extract cut them) are carried straight to the nearest edge.
pub fn sea(ways: &[Vec<(i64, f64, f64)>], bbox: Bbox) -> Vec<Polygon> {
    let mut islands: Vec<Vec<(f64, f64)>> = Vec::new();
    // Open chains with their entry and exit positions on the boundary.
    let mut open: Vec<(f64, Vec<(f64, f64)>, f64)> = Vec::new();
    for chain in join(ways) {
        let mut pts: Vec<(f64, f64)> = chain.iter().map(|&(_, x, y)| (x, y)).collect();
        if chain[0].0 == chain[chain.len() - 1].0 {
            if pts.len() >= 4 {
                pts.pop();
                islands.push(pts);
            }
            continue;
        }
        let (first, last) = (bbox.nearest_edge_point(pts[0]), bbox.nearest_edge_point(pts[pts.len() - 1]));
        if first != pts[0] {
            pts.insert(0, first);
        }
        if last != pts[pts.len() - 1] {
            pts.push(last);
        }
        open.push((bbox.perimeter(first), pts, bbox.perimeter(last)));
    }
    let mut outers: Vec<Vec<(f64, f64)>> = Vec::new();
    if open.is_empty() {
        if !islands.is_empty() {
            outers.push(bbox.ring());
        }
    } else {
        let mut used = vec![false; open.len()];
        for start in 0..open.len() {
            if used[start] {
                continue;
            }
            used[start] = true;
            let mut ring = open[start].1.clone();
            let mut at = open[start].2;
            // Walk clockwise along the box to the next chain's entry (the sea stays on the right).
            for _ in 0..open.len() {
                let ahead = |t: f64| (t - at).rem_euclid(4.0);
                let next = (0..open.len())
                    .filter(|&j| !used[j] || j == start)
                    .min_by(|&a, &b| ahead(open[a].0).total_cmp(&ahead(open[b].0)))
                    .unwrap_or(start);
                let to = open[next].0;
                let mut k = at.floor() as usize + 1;
                while k as f64 - at < ahead(to) {
                    ring.push(bbox.corner(k));
                    k += 1;
                }
                if next == start {
                    break;
                }
                used[next] = true;
                ring.extend_from_slice(&open[next].1);
                at = open[next].2;
            }
            if ring.len() >= 3 && signed_area2(&ring).abs() > 0.0 {
                outers.push(ring);
            }
        }
    }
    with_holes(outers, islands)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::region::rings::contains;

    const BOX: Bbox = Bbox { x0: 0.0, y0: 0.0, x1: 10.0, y1: 10.0 };

    fn way(ids: &[i64], pts: &[(f64, f64)]) -> Vec<(i64, f64, f64)> {
        ids.iter().zip(pts).map(|(&i, &(x, y))| (i, x, y)).collect()
    }

    #[test]
    fn a_coast_across_the_box_makes_the_sea_on_its_right() {
        // Walking east with the land on the left: land to the north, sea to the south.
        let w = way(&[1, 2, 3], &[(0.0, 5.0), (5.0, 5.0), (10.0, 5.0)]);
        let sea = sea(&[w], BOX);
        assert_eq!(sea.len(), 1);
        let ring = &sea[0][0];
        assert!(contains(ring, (5.0, 2.0)), "south is sea: {ring:?}");
        assert!(!contains(ring, (5.0, 8.0)), "north is land");
        assert!((signed_area2(ring).abs() / 2.0 - 50.0).abs() < 1e-9);
    }

    #[test]
    fn ways_are_joined_and_cut_ends_carried_to_the_edge() {
        // Two ways sharing node 2, both ends short of the box: sea to the west of x ≈ 4.
        let a = way(&[1, 2], &[(4.0, 9.0), (4.0, 5.0)]);
        let b = way(&[2, 3], &[(4.0, 5.0), (4.0, 1.0)]);
        let sea = sea(&[b, a], BOX);
        assert_eq!(sea.len(), 1);
        assert!(contains(&sea[0][0], (2.0, 5.0)));
        assert!(!contains(&sea[0][0], (7.0, 5.0)));
    }

    #[test]
    fn an_island_is_a_hole_in_the_sea() {
        let coast = way(&[1, 2], &[(0.0, 8.0), (10.0, 8.0)]);
        // Counter-clockwise: land on the left.
        let island = way(&[5, 6, 7, 8, 5], &[(4.0, 3.0), (6.0, 3.0), (6.0, 5.0), (4.0, 5.0), (4.0, 3.0)]);
        let sea = sea(&[coast, island], BOX);
        assert_eq!(sea.len(), 1);
        assert_eq!(sea[0].len(), 2, "outer ring and one hole");
    }

    #[test]
    fn no_coastline_means_no_sea() {
        assert!(sea(&[], BOX).is_empty());
    }
}
