//! A region pack is untrusted input like an operation file (it comes beside one on a USB stick):
//! before its arrays are read, its schema holds only the tables Aidmap writes (no view, no
//! trigger: a view replacing `array` looped forever), every array has the length its `info`
//! says (a huge blob took 3.9 GB), and once read every coordinate is a number inside the pack's
//! box (a NaN latitude panicked in rstar).

use std::collections::HashMap;

use rusqlite::Connection;

use super::RegionInfo;
use crate::error::{Error, Result};

fn damaged(what: impl Into<String>) -> Error {
    Error::RegionDamaged(what.into())
}

const TABLES: &[&str] = &[
    "meta",
    "array",
    "place",
    "place_fts",
    "place_fts_data",
    "place_fts_idx",
    "place_fts_docsize",
    "place_fts_config",
];

/// Arrays whose size is not fixed by the graph: the most each may hold.
const MAX_FREE_ARRAY: i64 = 1 << 30;

/// Only Aidmap's tables (and SQLite's own indexes of them).
pub fn schema(conn: &Connection) -> Result<()> {
    let mut stmt = conn.prepare("SELECT type, name FROM sqlite_schema")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    for row in rows {
        let (kind, name) = row?;
        let ok = match kind.as_str() {
            "table" => TABLES.contains(&name.as_str()),
            "index" => name.starts_with("sqlite_autoindex_"),
            _ => false,
        };
        if !ok {
            return Err(damaged(format!("it holds a {kind} Aidmap does not write")));
        }
    }
    Ok(())
}

/// Every array's length, read without reading the arrays, against what `info` says.
pub fn array_sizes(conn: &Connection, info: &RegionInfo) -> Result<()> {
    let mut stmt = conn.prepare("SELECT name, length(data) FROM array")?;
    let sizes: HashMap<String, i64> =
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
    let (n, m) = (info.graph_nodes as i64, info.graph_arcs as i64);
    for (name, &len) in &sizes {
        let expected = match name.as_str() {
            "lat" | "lon" => Some(8 * n),
            "first_out" => Some(4 * (n + 1)),
            "order" => Some(4 * n),
            "head" | "time_ds" | "length_m" | "arc_way" => Some(4 * m),
            "basemap.pmtiles" if info.basemap_bytes > 0 => Some(info.basemap_bytes as i64),
            "basemap.pmtiles" | "way_ids" | "way_names" | "water_xy" | "water_ring_ends" | "water_poly_ends"
            | "water_sea" => None,
            _ => return Err(damaged("it holds an array Aidmap does not write")),
        };
        match expected {
            Some(e) if e != len => return Err(damaged(format!("its {name} array does not fit the road graph"))),
            None if len > MAX_FREE_ARRAY => return Err(damaged(format!("its {name} array is too large"))),
            _ => {}
        }
    }
    Ok(())
}

/// The pack's box is four numbers in range.
pub fn bounds(info: &RegionInfo) -> Result<()> {
    let [s, w, n, e] = info.bounds;
    let ok = [s, w, n, e].iter().all(|v| v.is_finite())
        && (-90.0..=90.0).contains(&s)
        && (-90.0..=90.0).contains(&n)
        && (-180.0..=180.0).contains(&w)
        && (-180.0..=180.0).contains(&e)
        && s <= n
        && w <= e;
    if ok {
        Ok(())
    } else {
        Err(damaged("its bounds are not a box on the map"))
    }
}

/// Every (lat, lon) is a number inside the box (a little margin: roads the extract cut run on).
pub fn coordinates(info: &RegionInfo, lat: &[f64], lon: &[f64]) -> Result<()> {
    let [s, w, n, e] = info.bounds;
    let margin = 0.5;
    let inside = lat.iter().zip(lon).all(|(&la, &lo)| {
        la.is_finite() && lo.is_finite() && la >= s - margin && la <= n + margin && lo >= w - margin && lo <= e + margin
    });
    if inside {
        Ok(())
    } else {
        Err(damaged("its road points are not all numbers inside its box"))
    }
}
