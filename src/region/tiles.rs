//! The basemap: Mapbox Vector Tiles in the Protomaps basemap schema (layers `roads`,
//! `buildings`, `water`, `landuse`, `places`, with `kind` / `kind_detail` / `name`), cut from the
//! extract by Aidmap itself and packed into one PMTiles archive (crates `mvt`, `pmtiles`).
//!
//! Hand-written here, not a tiling library: the input is already in memory as simple lines and
//! rings, and clipping to a square (Sutherland–Hodgman, Liang–Barsky) plus quantizing is all a
//! city extract needs.

use std::collections::HashMap;

use mvt::{GeomEncoder, GeomType};
use pmtiles::{PmTilesWriter, TileCoord, TileType};

use super::extract::{MapShape, RegionExtract};
use crate::error::{Error, Result};

pub const EXTENT: u32 = 4096;
/// Geometry reaches this far past a tile's edge, so lines and fills join without seams.
const BUFFER: f64 = 64.0;
pub const MIN_ZOOM: u8 = 12;
pub const MAX_ZOOM: u8 = 15;
/// Layer order inside a tile (the style decides the drawing order).
pub const LAYERS: [&str; 5] = ["landuse", "water", "buildings", "roads", "places"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Point,
    Line,
    Area,
}

/// One feature before cutting: projected later, per zoom.
struct Source<'a> {
    layer: &'static str,
    kind: &'a str,
    kind_detail: Option<&'a str>,
    name: Option<&'a str>,
    points: Vec<(f64, f64)>,
    geom: Kind,
    min_zoom: u8,
}

/// Protomaps road kinds from OSM highway classes.
fn road_kind(class: &str) -> (&'static str, u8) {
    match class.trim_end_matches("_link") {
        "motorway" => ("highway", 12),
        "trunk" | "primary" | "secondary" => ("major_road", 12),
        "tertiary" | "unclassified" | "residential" | "living_street" | "road" => ("minor_road", 13),
        _ => ("other", 14),
    }
}

fn sources(ex: &RegionExtract) -> Vec<Source<'_>> {
    let mut out = Vec::new();
    for r in &ex.roads {
        let (kind, min_zoom) = road_kind(&r.class);
        out.push(Source {
            layer: "roads",
            kind,
            kind_detail: Some(&r.class),
            name: r.name.as_deref(),
            points: r.nodes.iter().map(|&(_, lat, lon)| (lon, lat)).collect(),
            geom: Kind::Line,
            min_zoom,
        });
    }
    for s in &ex.shapes {
        let MapShape { layer, kind, name, points, area } = s;
        let min_zoom = match *layer {
            "buildings" => 14,
            "roads" => 14,
            _ => 12,
        };
        out.push(Source {
            layer,
            kind,
            kind_detail: None,
            name: name.as_deref(),
            points: points.clone(),
            geom: if *area { Kind::Area } else { Kind::Line },
            min_zoom,
        });
    }
    for p in ex.places.iter().filter(|p| p.kind == super::extract::PlaceKind::Place) {
        out.push(Source {
            layer: "places",
            kind: "neighbourhood",
            kind_detail: None,
            name: Some(&p.label),
            points: vec![(p.lon, p.lat)],
            geom: Kind::Point,
            min_zoom: 12,
        });
    }
    out
}

/// Web Mercator, in pixels of a world `2^z × EXTENT` wide.
fn project(lon: f64, lat: f64, z: u8) -> (f64, f64) {
    let n = (1u64 << z) as f64 * EXTENT as f64;
    let lat = lat.clamp(-85.051_128, 85.051_128).to_radians();
    let x = (lon + 180.0) / 360.0 * n;
    let y = (1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / std::f64::consts::PI) / 2.0 * n;
    (x, y)
}

/// Sutherland–Hodgman against the square [lo, hi]².
fn clip_ring(ring: &[(f64, f64)], lo: f64, hi: f64) -> Vec<(f64, f64)> {
    let mut pts: Vec<(f64, f64)> = ring.to_vec();
    let edges: [(usize, f64, bool); 4] = [(0, lo, true), (0, hi, false), (1, lo, true), (1, hi, false)];
    for (axis, edge, keep_above) in edges {
        if pts.is_empty() {
            break;
        }
        let inside = |p: &(f64, f64)| {
            let v = if axis == 0 { p.0 } else { p.1 };
            if keep_above {
                v >= edge
            } else {
                v <= edge
            }
        };
        let cut = |a: &(f64, f64), b: &(f64, f64)| {
            let (va, vb) = if axis == 0 { (a.0, b.0) } else { (a.1, b.1) };
            let t = (edge - va) / (vb - va);
            (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t)
        };
        let input = std::mem::take(&mut pts);
        for i in 0..input.len() {
            let (cur, prev) = (&input[i], &input[(i + input.len() - 1) % input.len()]);
            match (inside(prev), inside(cur)) {
                (true, true) => pts.push(*cur),
                (true, false) => pts.push(cut(prev, cur)),
                (false, true) => {
                    pts.push(cut(prev, cur));
                    pts.push(*cur);
                }
                (false, false) => {}
            }
        }
    }
    pts
}

/// Liang–Barsky per segment; consecutive kept segments are stitched into parts.
fn clip_line(line: &[(f64, f64)], lo: f64, hi: f64) -> Vec<Vec<(f64, f64)>> {
    let mut parts: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut current: Vec<(f64, f64)> = Vec::new();
    for w in line.windows(2) {
        let ((x0, y0), (x1, y1)) = (w[0], w[1]);
        let (dx, dy) = (x1 - x0, y1 - y0);
        let (mut t0, mut t1) = (0.0f64, 1.0f64);
        let mut visible = true;
        for (p, q) in [(-dx, x0 - lo), (dx, hi - x0), (-dy, y0 - lo), (dy, hi - y0)] {
            if p == 0.0 {
                if q < 0.0 {
                    visible = false;
                }
            } else {
                let r = q / p;
                if p < 0.0 {
                    t0 = t0.max(r);
                } else {
                    t1 = t1.min(r);
                }
            }
        }
        if !visible || t0 > t1 {
            if current.len() >= 2 {
                parts.push(std::mem::take(&mut current));
            }
            current.clear();
            continue;
        }
        let a = (x0 + dx * t0, y0 + dy * t0);
        let b = (x0 + dx * t1, y0 + dy * t1);
        if current.last() != Some(&a) {
            if current.len() >= 2 {
                parts.push(std::mem::take(&mut current));
            }
            current = vec![a];
        }
        current.push(b);
        if t1 < 1.0 {
            parts.push(std::mem::take(&mut current));
        }
    }
    if current.len() >= 2 {
        parts.push(current);
    }
    parts
}

/// Rounds to the tile grid and drops repeated points.
fn quantize(points: &[(f64, f64)]) -> Vec<(i32, i32)> {
    let mut out: Vec<(i32, i32)> = Vec::with_capacity(points.len());
    for &(x, y) in points {
        let p = (x.round() as i32, y.round() as i32);
        if out.last() != Some(&p) {
            out.push(p);
        }
    }
    out
}

/// Twice the signed area (tile coordinates, y down): positive = clockwise on screen, which the
/// MVT spec requires of an exterior ring.
fn area2(ring: &[(i32, i32)]) -> i64 {
    let n = ring.len();
    (0..n)
        .map(|i| {
            let (a, b) = (ring[i], ring[(i + 1) % n]);
            a.0 as i64 * b.1 as i64 - b.0 as i64 * a.1 as i64
        })
        .sum()
}

struct Cut<'a> {
    src: &'a Source<'a>,
    parts: Vec<Vec<(i32, i32)>>,
}

/// Cuts every feature into tiles from `MIN_ZOOM` to `MAX_ZOOM`; returns (z, x, y, MVT bytes).
pub fn cut(ex: &RegionExtract, progress: &mut dyn FnMut(u64) -> bool) -> Result<Vec<(u8, u32, u32, Vec<u8>)>> {
    let sources = sources(ex);
    let mut tiles: Vec<(u8, u32, u32, Vec<u8>)> = Vec::new();
    for z in MIN_ZOOM..=MAX_ZOOM {
        let mut by_tile: HashMap<(u32, u32), Vec<Cut<'_>>> = HashMap::new();
        let max_index = (1u32 << z) - 1;
        for src in sources.iter().filter(|s| s.min_zoom <= z) {
            let world: Vec<(f64, f64)> = src.points.iter().map(|&(lon, lat)| project(lon, lat, z)).collect();
            let (mut minx, mut miny, mut maxx, mut maxy) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
            for &(x, y) in &world {
                (minx, miny, maxx, maxy) = (minx.min(x), miny.min(y), maxx.max(x), maxy.max(y));
            }
            let e = EXTENT as f64;
            let tx0 = (((minx - BUFFER) / e).floor().max(0.0) as u32).min(max_index);
            let tx1 = (((maxx + BUFFER) / e).floor().max(0.0) as u32).min(max_index);
            let ty0 = (((miny - BUFFER) / e).floor().max(0.0) as u32).min(max_index);
            let ty1 = (((maxy + BUFFER) / e).floor().max(0.0) as u32).min(max_index);
            for tx in tx0..=tx1 {
                for ty in ty0..=ty1 {
                    let local: Vec<(f64, f64)> =
                        world.iter().map(|&(x, y)| (x - tx as f64 * e, y - ty as f64 * e)).collect();
                    let parts: Vec<Vec<(i32, i32)>> = match src.geom {
                        Kind::Point => {
                            let p = local[0];
                            if (0.0..e).contains(&p.0) && (0.0..e).contains(&p.1) {
                                vec![quantize(&[p])]
                            } else {
                                vec![]
                            }
                        }
                        Kind::Line => clip_line(&local, -BUFFER, e + BUFFER)
                            .iter()
                            .map(|p| quantize(p))
                            .filter(|p| p.len() >= 2)
                            .collect(),
                        Kind::Area => {
                            let mut ring = quantize(&clip_ring(&local[..local.len() - 1], -BUFFER, e + BUFFER));
                            if ring.len() > 1 && ring.first() == ring.last() {
                                ring.pop();
                            }
                            let a = area2(&ring);
                            if ring.len() < 3 || a == 0 {
                                vec![]
                            } else {
                                if a < 0 {
                                    ring.reverse();
                                }
                                vec![ring]
                            }
                        }
                    };
                    if !parts.is_empty() {
                        by_tile.entry((tx, ty)).or_default().push(Cut { src, parts });
                    }
                }
            }
        }
        let mut keys: Vec<_> = by_tile.keys().copied().collect();
        keys.sort();
        for (x, y) in keys {
            let cuts = &by_tile[&(x, y)];
            tiles.push((z, x, y, encode(cuts)?));
            if tiles.len() % 256 == 0 && !progress(tiles.len() as u64) {
                return Err(Error::Cancelled);
            }
        }
    }
    Ok(tiles)
}

fn mvt_error(e: mvt::Error) -> Error {
    Error::Internal(format!("encoding a map tile: {e}"))
}

fn encode(cuts: &[Cut<'_>]) -> Result<Vec<u8>> {
    let mut tile = mvt::Tile::new(EXTENT);
    for name in LAYERS {
        let mut layer = tile.create_layer(name);
        let mut any = false;
        for c in cuts.iter().filter(|c| c.src.layer == name) {
            let tp = match c.src.geom {
                Kind::Point => GeomType::Point,
                Kind::Line => GeomType::Linestring,
                Kind::Area => GeomType::Polygon,
            };
            let mut enc = GeomEncoder::new(tp);
            for part in &c.parts {
                for &(x, y) in part {
                    enc.add_point(x as f64, y as f64).map_err(mvt_error)?;
                }
                if tp != GeomType::Point {
                    enc.complete_geom().map_err(mvt_error)?;
                }
            }
            let mut feature = layer.into_feature(enc.encode().map_err(mvt_error)?);
            feature.add_tag_string("kind", c.src.kind);
            if let Some(d) = c.src.kind_detail {
                feature.add_tag_string("kind_detail", d);
            }
            if let Some(n) = c.src.name {
                feature.add_tag_string("name", n);
            }
            layer = feature.into_layer();
            any = true;
        }
        if any {
            tile.add_layer(layer).map_err(mvt_error)?;
        }
    }
    tile.to_bytes().map_err(mvt_error)
}

/// Packs tiles into one PMTiles archive (gzip-compressed MVT), with bounds and a centre.
pub fn pmtiles(tiles: &[(u8, u32, u32, Vec<u8>)], bounds: [f64; 4]) -> Result<Vec<u8>> {
    let pm = |e: pmtiles::PmtError| Error::Internal(format!("writing the basemap archive: {e}"));
    let [min_lat, min_lon, max_lat, max_lon] = bounds;
    let metadata = serde_json::json!({
        "name": "Aidmap basemap",
        "attribution": "© OpenStreetMap contributors",
        "vector_layers": LAYERS.iter().map(|l| serde_json::json!({"id": l, "fields": {"kind": "String", "name": "String"}})).collect::<Vec<_>>(),
    });
    let mut out = std::io::Cursor::new(Vec::new());
    let mut writer = PmTilesWriter::new(TileType::Mvt)
        .min_zoom(MIN_ZOOM)
        .max_zoom(MAX_ZOOM)
        .bounds(min_lon, min_lat, max_lon, max_lat)
        .center((min_lon + max_lon) / 2.0, (min_lat + max_lat) / 2.0)
        .center_zoom(14)
        .metadata(&metadata.to_string())
        .create(&mut out)
        .map_err(pm)?;
    let mut sorted: Vec<&(u8, u32, u32, Vec<u8>)> = tiles.iter().collect();
    sorted.sort_by_key(|(z, x, y, _)| {
        TileCoord::new(*z, *x, *y).map(|c| u64::from(pmtiles::TileId::from(c))).unwrap_or(u64::MAX)
    });
    for (z, x, y, data) in sorted {
        writer.add_tile(TileCoord::new(*z, *x, *y).map_err(pm)?, data).map_err(pm)?;
    }
    writer.finalize().map_err(pm)?;
    Ok(out.into_inner())
}
