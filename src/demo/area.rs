//! The demo area outline as GeoJSON: roads, buildings and the extract boundary, drawn by the map
//! under the households while no region pack provides a basemap.

use geo::{BoundingRect, Intersects};
use serde_json::{json, Value};

use super::osm;
use std::sync::OnceLock;

use crate::error::{Error, Result};

fn round(v: f64) -> f64 {
    (v * 1e6).round() / 1e6
}

fn ring(coords: impl Iterator<Item = (f64, f64)>) -> Value {
    Value::Array(coords.map(|(x, y)| json!([round(x), round(y)])).collect())
}

/// A GeoJSON FeatureCollection; each feature has a `kind` of `boundary`, `building` or `road`
/// (roads also carry `class` and `name`). Built once per process.
pub fn geojson() -> Result<&'static str> {
    static GEOJSON: OnceLock<std::result::Result<String, String>> = OnceLock::new();
    GEOJSON.get_or_init(|| build().map_err(|e| e.to_string())).as_deref().map_err(|e| Error::Internal(e.to_string()))
}

fn build() -> Result<String> {
    let extract = osm::monaco()?;
    // The extract reaches well into France: keep what lies around Monaco itself.
    let area = osm::monaco_boundary().bounding_rect().ok_or_else(|| Error::Internal("empty boundary".into()))?;
    let area = geo::Rect::new(
        geo::coord! { x: area.min().x - 0.003, y: area.min().y - 0.002 },
        geo::coord! { x: area.max().x + 0.003, y: area.max().y + 0.002 },
    );
    let mut features = Vec::new();
    let boundary = osm::boundary(osm::MONACO_POLY);
    features.push(json!({
        "type": "Feature",
        "properties": {"kind": "boundary"},
        "geometry": {"type": "Polygon", "coordinates": [ring(boundary.into_iter())]},
    }));
    for b in extract.buildings.iter().filter(|b| area.intersects(*b)) {
        features.push(json!({
            "type": "Feature",
            "properties": {"kind": "building"},
            "geometry": {"type": "Polygon", "coordinates": [ring(b.exterior().coords().map(|c| (c.x, c.y)))]},
        }));
    }
    for r in extract.roads.iter().filter(|r| area.intersects(&r.line)) {
        features.push(json!({
            "type": "Feature",
            "properties": {"kind": "road", "class": r.class, "name": r.name},
            "geometry": {"type": "LineString", "coordinates": ring(r.line.coords().map(|c| (c.x, c.y)))},
        }));
    }
    Ok(json!({"type": "FeatureCollection", "features": features}).to_string())
}
