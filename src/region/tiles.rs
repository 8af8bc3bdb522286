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

use super::coast;
use super::extract::{MapShape, RegionExtract};
use crate::error::{Error, Result};

pub const EXTENT: u32 = 4096;
/// Geometry reaches this far past a tile's edge, so lines and fills join without seams.
const BUFFER: f64 = 64.0;
/// Bumped when the tiles change in a way users should get by rebuilding (2: earth, sea,
/// place labels, z10-11, the style's `min_zoom` / `population_rank` / `is_link`; 3: the pack
/// also keeps its water areas, for the import's "in water" check; 4: which of them are sea).
pub const SCHEMA: u32 = 4;
pub const MIN_ZOOM: u8 = 10;
pub const MAX_ZOOM: u8 = 15;
/// Layer order inside a tile (the style decides the drawing order).
pub const LAYERS: [&str; 6] = ["earth", "landuse", "water", "buildings", "roads", "places"];

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
    /// (lon, lat). A line or point: one part. An area: outer ring (closed or not), then holes.
    parts: Vec<Vec<(f64, f64)>>,
    geom: Kind,
    min_zoom: u8,
    /// The schema's `population_rank` of a place (bigger = more important).
    rank: Option<u8>,
    is_link: bool,
}

impl<'a> Source<'a> {
    fn new(layer: &'static str, kind: &'a str, geom: Kind, parts: Vec<Vec<(f64, f64)>>, min_zoom: u8) -> Self {
        Source { layer, kind, kind_detail: None, name: None, parts, geom, min_zoom, rank: None, is_link: false }
    }
}

/// Protomaps road kinds from OSM highway classes, and the zoom they appear from.
fn road_kind(class: &str) -> (&'static str, u8) {
    match class.trim_end_matches("_link") {
        "motorway" => ("highway", 10),
        "trunk" | "primary" => ("major_road", 10),
        "secondary" => ("major_road", 11),
        "tertiary" => ("minor_road", 12),
        "unclassified" | "residential" | "living_street" | "road" => ("minor_road", 13),
        _ => ("other", 14),
    }
}

fn sources(ex: &RegionExtract) -> Vec<Source<'_>> {
    let mut out = Vec::new();
    if let Some((min_lat, min_lon, max_lat, max_lon)) = ex.bounds {
        // Land everywhere in the extract's box; the sea is drawn over it as water.
        let bbox = coast::Bbox { x0: min_lon, y0: min_lat, x1: max_lon, y1: max_lat };
        let land = vec![(min_lon, min_lat), (max_lon, min_lat), (max_lon, max_lat), (min_lon, max_lat)];
        out.push(Source::new("earth", "earth", Kind::Area, vec![land], MIN_ZOOM));
        for polygon in coast::sea(&ex.coastlines, bbox) {
            out.push(Source::new("water", "ocean", Kind::Area, polygon, MIN_ZOOM));
        }
    }
    for r in &ex.roads {
        let (kind, min_zoom) = road_kind(&r.class);
        let points = r.nodes.iter().map(|&(_, lat, lon)| (lon, lat)).collect();
        out.push(Source {
            kind_detail: Some(&r.class),
            name: r.name.as_deref(),
            is_link: r.class.ends_with("_link"),
            ..Source::new("roads", kind, Kind::Line, vec![points], min_zoom)
        });
    }
    for s in &ex.shapes {
        let MapShape { layer, kind, kind_detail, name, points, holes, area } = s;
        let (min_zoom, rank) = match (*layer, kind_detail.as_deref()) {
            ("buildings" | "roads", _) => (14, None),
            ("places", Some("city")) => (MIN_ZOOM, Some(12)),
            ("places", Some("town")) => (MIN_ZOOM, Some(10)),
            ("places", Some("village" | "hamlet")) => (12, Some(8)),
            ("places", _) => (12, Some(6)),
            _ => (MIN_ZOOM, None),
        };
        let geom = match (points.len(), area) {
            (1, _) => Kind::Point,
            (_, true) => Kind::Area,
            _ => Kind::Line,
        };
        out.push(Source {
            kind_detail: kind_detail.as_deref(),
            name: name.as_deref(),
            rank,
            ..Source::new(layer, kind, geom, std::iter::once(points).chain(holes).cloned().collect(), min_zoom)
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

/// An area's rings (outer first, in tile pixels) clipped to the tile: the outer ring clockwise
/// on screen, holes anticlockwise, as MVT wants; nothing if the outer ring vanishes.
fn polygon_in_tile(rings: Vec<Vec<(f64, f64)>>, e: f64) -> Vec<Vec<(i32, i32)>> {
    let mut out = Vec::with_capacity(rings.len());
    for (i, mut ring) in rings.into_iter().enumerate() {
        if ring.len() > 1 && ring.first() == ring.last() {
            ring.pop();
        }
        let mut q = quantize(&clip_ring(&ring, -BUFFER, e + BUFFER));
        if q.len() > 1 && q.first() == q.last() {
            q.pop();
        }
        let a = area2(&q);
        if q.len() < 3 || a == 0 {
            if i == 0 {
                return vec![];
            }
            continue;
        }
        if (a < 0) == (i == 0) {
            q.reverse();
        }
        out.push(q);
    }
    out
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
            let world: Vec<Vec<(f64, f64)>> =
                src.parts.iter().map(|p| p.iter().map(|&(lon, lat)| project(lon, lat, z)).collect()).collect();
            let (mut minx, mut miny, mut maxx, mut maxy) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
            for &(x, y) in world.first().into_iter().flatten() {
                (minx, miny, maxx, maxy) = (minx.min(x), miny.min(y), maxx.max(x), maxy.max(y));
            }
            if minx > maxx {
                continue;
            }
            let e = EXTENT as f64;
            let tx0 = (((minx - BUFFER) / e).floor().max(0.0) as u32).min(max_index);
            let tx1 = (((maxx + BUFFER) / e).floor().max(0.0) as u32).min(max_index);
            let ty0 = (((miny - BUFFER) / e).floor().max(0.0) as u32).min(max_index);
            let ty1 = (((maxy + BUFFER) / e).floor().max(0.0) as u32).min(max_index);
            for tx in tx0..=tx1 {
                for ty in ty0..=ty1 {
                    let (ox, oy) = (tx as f64 * e, ty as f64 * e);
                    let local = |part: &Vec<(f64, f64)>| -> Vec<(f64, f64)> {
                        part.iter().map(|&(x, y)| (x - ox, y - oy)).collect()
                    };
                    let parts = match src.geom {
                        Kind::Point => {
                            let p = local(&world[0])[0];
                            if (0.0..e).contains(&p.0) && (0.0..e).contains(&p.1) {
                                vec![quantize(&[p])]
                            } else {
                                vec![]
                            }
                        }
                        Kind::Line => clip_line(&local(&world[0]), -BUFFER, e + BUFFER)
                            .iter()
                            .map(|p| quantize(p))
                            .filter(|p| p.len() >= 2)
                            .collect(),
                        Kind::Area => polygon_in_tile(world.iter().map(local).collect(), e),
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
            if tiles.len().is_multiple_of(256) && !progress(tiles.len() as u64) {
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
            feature.add_tag_uint("min_zoom", c.src.min_zoom.into());
            if let Some(d) = c.src.kind_detail {
                feature.add_tag_string("kind_detail", d);
            }
            if let Some(n) = c.src.name {
                feature.add_tag_string("name", n);
            }
            if let Some(r) = c.src.rank {
                feature.add_tag_uint("population_rank", r.into());
            }
            if c.src.is_link {
                feature.add_tag_bool("is_link", true);
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
