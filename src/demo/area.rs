//! The demo area outline as GeoJSON: roads, buildings and the extract boundary, drawn by the map
//! under the households while no region pack provides a basemap.

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
    let mut features = Vec::new();
    let boundary = osm::boundary(osm::MONACO_POLY);
    features.push(json!({
        "type": "Feature",
        "properties": {"kind": "boundary"},
        "geometry": {"type": "Polygon", "coordinates": [ring(boundary.into_iter())]},
    }));
    for b in &extract.buildings {
        features.push(json!({
            "type": "Feature",
            "properties": {"kind": "building"},
            "geometry": {"type": "Polygon", "coordinates": [ring(b.exterior().coords().map(|c| (c.x, c.y)))]},
        }));
    }
    for r in &extract.roads {
        features.push(json!({
            "type": "Feature",
            "properties": {"kind": "road", "class": r.class, "name": r.name},
            "geometry": {"type": "LineString", "coordinates": ring(r.line.coords().map(|c| (c.x, c.y)))},
        }));
    }
    Ok(json!({"type": "FeatureCollection", "features": features}).to_string())
}
