//! Water areas of a region (the sea closed from its coastlines, lakes, rivers drawn as areas,
//! docks), kept in the pack so an import can tell that a point lies in water. Stored as three
//! flat arrays (`water_xy` lon/lat pairs, `water_ring_ends`, `water_poly_ends`) like the road
//! graph; a pack built before them has none and says so (`RegionPack::water` is `None`).

use geo::{Contains, Coord, LineString, Point, Polygon};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{RTree, AABB};

use super::coast::{self, Polygon as Rings};
use super::extract::RegionExtract;

/// The water polygons of an extract: the sea inside its box first (how many is the second
/// value), then every water area mapped as such (lakes, docks, riverbanks).
pub fn of_extract(ex: &RegionExtract) -> (Vec<Rings>, u32) {
    let mut out = Vec::new();
    if let Some((min_lat, min_lon, max_lat, max_lon)) = ex.bounds {
        let bbox = coast::Bbox { x0: min_lon, y0: min_lat, x1: max_lon, y1: max_lat };
        out.extend(coast::sea(&ex.coastlines, bbox));
    }
    let sea = out.len() as u32;
    for s in ex.shapes.iter().filter(|s| s.layer == "water" && s.area && s.points.len() >= 4) {
        out.push(std::iter::once(s.points.clone()).chain(s.holes.iter().cloned()).collect());
    }
    (out, sea)
}

/// Which water a point is in. The sea is closed from coastlines cut at the extract's box, so it
/// is less sure near the shore than a mapped water area.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaterKind {
    Sea,
    Mapped,
}

/// The three arrays of `polygons`: (lon, lat) pairs, ring ends (in points), polygon ends (in
/// rings).
pub fn encode(polygons: &[Rings]) -> (Vec<f64>, Vec<u32>, Vec<u32>) {
    let (mut xy, mut ring_ends, mut poly_ends) = (Vec::new(), Vec::new(), Vec::new());
    for p in polygons {
        for ring in p {
            for &(x, y) in ring {
                xy.extend([x, y]);
            }
            ring_ends.push((xy.len() / 2) as u32);
        }
        poly_ends.push(ring_ends.len() as u32);
    }
    (xy, ring_ends, poly_ends)
}

type Indexed = GeomWithData<Rectangle<[f64; 2]>, usize>;

/// Water polygons with an index of their boxes: "is this point in water?" in microseconds.
pub struct Water {
    polygons: Vec<Polygon<f64>>,
    index: RTree<Indexed>,
    /// The first `sea` polygons are the sea.
    sea: usize,
}

impl Water {
    /// From the three arrays; `None` when they do not fit together (a damaged pack).
    pub fn decode(xy: &[f64], ring_ends: &[u32], poly_ends: &[u32], sea: u32) -> Option<Water> {
        let points = xy.len() / 2;
        let mut rings: Vec<LineString<f64>> = Vec::with_capacity(ring_ends.len());
        let mut start = 0usize;
        for &end in ring_ends {
            let end = end as usize;
            if end < start || end > points {
                return None;
            }
            rings.push((start..end).map(|i| Coord { x: xy[2 * i], y: xy[2 * i + 1] }).collect());
            start = end;
        }
        let mut polygons = Vec::with_capacity(poly_ends.len());
        let mut first = 0usize;
        for &end in poly_ends {
            let end = end as usize;
            if end <= first || end > rings.len() {
                return None;
            }
            polygons.push(Polygon::new(rings[first].clone(), rings[first + 1..end].to_vec()));
            first = end;
        }
        let boxes = polygons
            .iter()
            .enumerate()
            .filter_map(|(i, p)| {
                use geo::BoundingRect;
                p.bounding_rect().map(|r| GeomWithData::new(Rectangle::from_corners(r.min().into(), r.max().into()), i))
            })
            .collect();
        Some(Water { polygons, index: RTree::bulk_load(boxes), sea: sea as usize })
    }

    /// Whether (lat, lon) lies inside a water area (not on its shore line).
    pub fn contains(&self, lat: f64, lon: f64) -> bool {
        self.kind_at(lat, lon).is_some()
    }

    /// The water (lat, lon) lies in, a mapped area before the sea.
    pub fn kind_at(&self, lat: f64, lon: f64) -> Option<WaterKind> {
        let p = Point::new(lon, lat);
        let mut found = None;
        for b in self.index.locate_in_envelope_intersecting(&AABB::from_point([lon, lat])) {
            if self.polygons[b.data].contains(&p) {
                if b.data >= self.sea {
                    return Some(WaterKind::Mapped);
                }
                found = Some(WaterKind::Sea);
            }
        }
        found
    }

    pub fn len(&self) -> usize {
        self.polygons.len()
    }

    pub fn is_empty(&self) -> bool {
        self.polygons.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lake_with_an_island() {
        let lake = vec![
            vec![(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0), (0.0, 0.0)],
            vec![(0.4, 0.4), (0.6, 0.4), (0.6, 0.6), (0.4, 0.6), (0.4, 0.4)],
        ];
        let (xy, rings, polys) = encode(&[lake]);
        let w = Water::decode(&xy, &rings, &polys, 0).unwrap();
        assert!(w.contains(0.2, 0.2));
        assert!(!w.contains(0.5, 0.5), "the island is land");
        assert!(!w.contains(2.0, 2.0));
        assert_eq!(w.kind_at(0.2, 0.2), Some(WaterKind::Mapped));
        assert!(Water::decode(&xy, &[99], &polys, 0).is_none(), "ring past the points");
    }
}
