//! Needs and deliveries by area: each active household belongs to the nearest of the region
//! pack's named places (neighbourhoods, quarters, villages), or, without a pack or places, to a
//! square of a grid (0.01°, about 1 km). Each area's shape on the map is the convex hull of its
//! households (a small square around one or two).

use std::collections::HashMap;

use geo::{Area, ConvexHull, Coord, MultiPoint, Point};
use rstar::{primitives::GeomWithData, RTree};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::Result;

/// One area's figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AreaFigures {
    /// `place:<label>` or `grid:<row>:<col>`.
    pub key: String,
    /// The place's name, or the grid square's centre ("43.735, 7.425").
    pub label: String,
    pub households: u32,
    pub open_needs: u32,
    pub critical_needs: u32,
    /// Visits with any outcome in the last 7 days up to the report's day.
    pub visits_7_days: u32,
    /// Of them delivered or partly.
    pub delivered_7_days: u32,
    /// The area's outline, (lon, lat) pairs, closed.
    pub outline: Vec<[f64; 2]>,
}

/// The grid's square size in degrees.
const GRID: f64 = 0.01;
/// Half the side of the square drawn around an area of one or two households, degrees.
const SMALL: f64 = 0.0008;

type PlaceTree = RTree<GeomWithData<[f64; 2], usize>>;

/// The figures per area; `visits` are (day index, household id, outcome) as the report reads
/// them. Returns how areas were made (`places` or `grid`) and the areas, most open needs first.
pub fn figures(
    conn: &rusqlite::Connection,
    places: Option<&[(String, f64, f64)]>,
    visits: &[(i64, String, String)],
) -> Result<(String, Vec<AreaFigures>)> {
    let places = places.filter(|p| !p.is_empty());
    // Places indexed by a plain (lon, lat·k) point: nearest by degrees is close enough to pick a
    // neighbourhood, with longitude shrunk by the latitude's cosine.
    let tree: Option<(PlaceTree, f64)> = places.map(|p| {
        let k = p.iter().map(|x| x.1).sum::<f64>() / p.len() as f64;
        let k = k.to_radians().cos().max(0.1);
        let items = p.iter().enumerate().map(|(i, x)| GeomWithData::new([x.2 * k, x.1], i)).collect();
        (RTree::bulk_load(items), k)
    });
    let area_of = |lat: f64, lon: f64| -> (String, String) {
        if let (Some((tree, k)), Some(places)) = (&tree, places) {
            if let Some(hit) = tree.nearest_neighbor(&[lon * k, lat]) {
                let name = &places[hit.data].0;
                return (format!("place:{name}"), name.clone());
            }
        }
        let (row, col) = ((lat / GRID).floor() as i64, (lon / GRID).floor() as i64);
        let centre = ((row as f64 + 0.5) * GRID, (col as f64 + 0.5) * GRID);
        (format!("grid:{row}:{col}"), format!("{:.3}, {:.3}", centre.0, centre.1))
    };

    struct Acc {
        label: String,
        figures: (u32, u32, u32, u32, u32),
        points: Vec<Coord>,
    }
    let mut areas: HashMap<String, Acc> = HashMap::new();
    let mut household_area: HashMap<String, String> = HashMap::new();
    let mut stmt = conn.prepare(
        "SELECT h.id, h.lat, h.lon,
                (SELECT count(*) FROM need n WHERE n.household_id = h.id AND n.status IN ('open', 'assigned')),
                (SELECT count(*) FROM need n WHERE n.household_id = h.id AND n.status IN ('open', 'assigned')
                                                  AND n.urgency = 'critical')
         FROM household h WHERE h.status = 'active'",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, f64>(1)?, r.get::<_, f64>(2)?, r.get::<_, u32>(3)?, r.get::<_, u32>(4)?))
    })?;
    for row in rows {
        let (id, lat, lon, open, critical) = row?;
        let (key, label) = area_of(lat, lon);
        let acc = areas.entry(key.clone()).or_insert_with(|| Acc { label, figures: (0, 0, 0, 0, 0), points: vec![] });
        acc.figures.0 += 1;
        acc.figures.1 += open;
        acc.figures.2 += critical;
        acc.points.push(Coord { x: lon, y: lat });
        household_area.insert(id, key);
    }
    for (_, household, outcome) in visits.iter().filter(|v| v.0 >= -6 && v.0 <= 0) {
        if let Some(acc) = household_area.get(household).and_then(|k| areas.get_mut(k)) {
            acc.figures.3 += 1;
            if matches!(outcome.as_str(), "delivered" | "partly") {
                acc.figures.4 += 1;
            }
        }
    }
    let mut out: Vec<AreaFigures> = areas
        .into_iter()
        .map(|(key, acc)| AreaFigures {
            key,
            label: acc.label,
            households: acc.figures.0,
            open_needs: acc.figures.1,
            critical_needs: acc.figures.2,
            visits_7_days: acc.figures.3,
            delivered_7_days: acc.figures.4,
            outline: outline(&acc.points),
        })
        .collect();
    out.sort_by(|a, b| {
        b.open_needs.cmp(&a.open_needs).then(b.households.cmp(&a.households)).then(a.label.cmp(&b.label))
    });
    Ok((if places.is_some() { "places" } else { "grid" }.to_string(), out))
}

/// The convex hull of the points, or a small square around them when the hull has no area.
fn outline(points: &[Coord]) -> Vec<[f64; 2]> {
    let hull = MultiPoint::from(points.iter().map(|&c| Point::from(c)).collect::<Vec<_>>()).convex_hull();
    if hull.unsigned_area() > 0.0 {
        return hull.exterior().coords().map(|c| [c.x, c.y]).collect();
    }
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for c in points {
        (x0, y0, x1, y1) = (x0.min(c.x), y0.min(c.y), x1.max(c.x), y1.max(c.y));
    }
    let (x0, y0, x1, y1) = (x0 - SMALL, y0 - SMALL, x1 + SMALL, y1 + SMALL);
    vec![[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]
}
