//! Reads closure shapes from GeoJSON (the CLI's `--closures FILE.geojson`): every LineString,
//! MultiLineString, Polygon and MultiPolygon in a FeatureCollection, Feature or bare geometry.

use geo::{Coord, LineString, Polygon};
use serde_json::Value;

use super::router::ClosureShape;
use crate::error::{Error, Result};

fn bad(what: &str) -> Error {
    Error::Validation(vec![crate::error::FieldError {
        field: format!("closures.{what}"),
        rule: crate::error::Rule::Unknown,
    }])
}

fn ring(v: &Value) -> Result<LineString<f64>> {
    let pts = v.as_array().ok_or_else(|| bad("coordinates"))?;
    let coords = pts
        .iter()
        .map(|p| {
            let p = p.as_array().ok_or_else(|| bad("coordinates"))?;
            match (p.first().and_then(Value::as_f64), p.get(1).and_then(Value::as_f64)) {
                (Some(x), Some(y)) if x.is_finite() && y.is_finite() => Ok(Coord { x, y }),
                _ => Err(bad("coordinates")),
            }
        })
        .collect::<Result<Vec<_>>>()?;
    if coords.len() < 2 {
        return Err(bad("coordinates"));
    }
    Ok(LineString::new(coords))
}

fn polygon(v: &Value) -> Result<Polygon<f64>> {
    let rings = v.as_array().ok_or_else(|| bad("coordinates"))?;
    let mut rings = rings.iter().map(ring);
    let outer = rings.next().ok_or_else(|| bad("coordinates"))??;
    Ok(Polygon::new(outer, rings.collect::<Result<_>>()?))
}

fn geometry(g: &Value, out: &mut Vec<ClosureShape>) -> Result<()> {
    let c = &g["coordinates"];
    match g["type"].as_str() {
        Some("LineString") => out.push(ClosureShape::Line(ring(c)?)),
        Some("MultiLineString") => {
            for l in c.as_array().ok_or_else(|| bad("coordinates"))? {
                out.push(ClosureShape::Line(ring(l)?));
            }
        }
        Some("Polygon") => out.push(ClosureShape::Area(polygon(c)?)),
        Some("MultiPolygon") => {
            for p in c.as_array().ok_or_else(|| bad("coordinates"))? {
                out.push(ClosureShape::Area(polygon(p)?));
            }
        }
        _ => return Err(bad("type")),
    }
    Ok(())
}

pub fn parse(text: &str) -> Result<Vec<ClosureShape>> {
    let v: Value = serde_json::from_str(text).map_err(|_| bad("json"))?;
    let mut out = Vec::new();
    match v["type"].as_str() {
        Some("FeatureCollection") => {
            for f in v["features"].as_array().ok_or_else(|| bad("features"))? {
                geometry(&f["geometry"], &mut out)?;
            }
        }
        Some("Feature") => geometry(&v["geometry"], &mut out)?,
        _ => geometry(&v, &mut out)?,
    }
    Ok(out)
}

/// A bare GeoJSON Polygon geometry (lon, lat), as drawn in the app (a planning area, a closure).
pub fn polygon_of(geometry: &Value) -> Option<Polygon<f64>> {
    (geometry["type"].as_str() == Some("Polygon")).then(|| polygon(&geometry["coordinates"]).ok()).flatten()
}
