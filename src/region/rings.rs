//! Polygon rings from OSM ways: multipolygon relations give their outlines as several ways, in
//! any order and direction, which close into rings only when joined end to end.

/// Joins ways (node id, lon, lat) into closed rings, reversing ways where needed. Ways that do
/// not close (a clipped extract lacks a piece) are dropped: an open outline is no area.
pub fn assemble(mut ways: Vec<Vec<(i64, f64, f64)>>) -> Vec<Vec<(f64, f64)>> {
    ways.retain(|w| w.len() >= 2);
    let mut rings = Vec::new();
    while let Some(mut ring) = ways.pop() {
        loop {
            let (first, last) = (ring[0].0, ring[ring.len() - 1].0);
            if first == last {
                if ring.len() >= 4 {
                    rings.push(ring.iter().map(|&(_, x, y)| (x, y)).collect());
                }
                break;
            }
            let Some(i) = ways.iter().position(|w| w[0].0 == last || w[w.len() - 1].0 == last) else { break };
            let mut next = ways.swap_remove(i);
            if next[0].0 != last {
                next.reverse();
            }
            ring.extend_from_slice(&next[1..]);
        }
    }
    rings
}

/// Twice the signed area in (lon, lat); positive = counter-clockwise.
pub fn signed_area2(ring: &[(f64, f64)]) -> f64 {
    let n = ring.len();
    (0..n).map(|i| ring[i].0 * ring[(i + 1) % n].1 - ring[(i + 1) % n].0 * ring[i].1).sum()
}

/// Whether `(x, y)` lies inside the ring (even-odd rule).
pub fn contains(ring: &[(f64, f64)], (x, y): (f64, f64)) -> bool {
    let mut inside = false;
    let n = ring.len();
    for i in 0..n {
        let (a, b) = (ring[i], ring[(i + n - 1) % n]);
        if (a.1 > y) != (b.1 > y) && x < (b.0 - a.0) * (y - a.1) / (b.1 - a.1) + a.0 {
            inside = !inside;
        }
    }
    inside
}

/// Outer rings with the inner rings that lie inside each (by their first point).
pub fn with_holes(outers: Vec<Vec<(f64, f64)>>, inners: Vec<Vec<(f64, f64)>>) -> Vec<Vec<Vec<(f64, f64)>>> {
    let mut polygons: Vec<Vec<Vec<(f64, f64)>>> = outers.into_iter().map(|r| vec![r]).collect();
    for inner in inners {
        if let Some(p) = polygons.iter_mut().find(|p| contains(&p[0], inner[0])) {
            p.push(inner);
        }
    }
    polygons
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ways_in_any_order_and_direction_close_into_a_ring() {
        // A square from three ways: 1→2, 3→2 (reversed), 3→4→1.
        let ways = vec![
            vec![(1, 0.0, 0.0), (2, 1.0, 0.0)],
            vec![(3, 1.0, 1.0), (2, 1.0, 0.0)],
            vec![(3, 1.0, 1.0), (4, 0.0, 1.0), (1, 0.0, 0.0)],
        ];
        let rings = assemble(ways);
        assert_eq!(rings.len(), 1);
        assert_eq!(rings[0].len(), 5);
        assert!((signed_area2(&rings[0]).abs() - 2.0).abs() < 1e-12);
    }

    #[test]
    fn an_outline_with_a_missing_piece_is_dropped() {
        let ways = vec![vec![(1, 0.0, 0.0), (2, 1.0, 0.0)], vec![(3, 1.0, 1.0), (4, 0.0, 1.0)]];
        assert!(assemble(ways).is_empty());
    }

    #[test]
    fn holes_go_to_the_ring_around_them() {
        let outer = vec![(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0), (0.0, 0.0)];
        let far = vec![(20.0, 0.0), (30.0, 0.0), (30.0, 10.0), (20.0, 0.0)];
        let hole = vec![(4.0, 4.0), (6.0, 4.0), (6.0, 6.0), (4.0, 4.0)];
        let p = with_holes(vec![far, outer], vec![hole]);
        assert_eq!((p[0].len(), p[1].len()), (1, 2));
    }
}
