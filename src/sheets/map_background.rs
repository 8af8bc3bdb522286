//! The printed map's background, from the region pack's basemap (PMTiles of Protomaps-schema
//! vector tiles, the same the app's map draws): water, parks, buildings and roads under the
//! route, so a driver sees streets, not a line on grey. Tiles are decoded with `mvt-reader`,
//! each once per export however many runs share it, at the zoom that shows the run's box in a
//! few tiles. Shapes are kept in Web Mercator world units (0..1), ready for any page scale.

use std::collections::HashMap;
use std::sync::Arc;

use geo_types::Geometry;

use crate::error::{Error, Result};
use crate::region::pmtiles_archive::Basemap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Layer {
    Water,
    Green,
    Building,
    /// Paths, tracks, service roads.
    Path,
    MinorRoad,
    MajorRoad,
}

/// Drawing order, bottom first (the route and stops go on top).
pub const ORDER: [Layer; 6] =
    [Layer::Water, Layer::Green, Layer::Building, Layer::Path, Layer::MinorRoad, Layer::MajorRoad];

impl Layer {
    pub fn is_area(self) -> bool {
        matches!(self, Layer::Water | Layer::Green | Layer::Building)
    }
}

/// One feature's rings (areas: outer ring then holes) or lines, in world units.
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    pub layer: Layer,
    pub parts: Vec<Vec<(f64, f64)>>,
}

/// A box in world units: (x0, y0, x1, y1), y down.
pub type WorldBox = (f64, f64, f64, f64);

/// Enough tiles across a box for streets to read at sheet size, and no more than this.
const TILES_ACROSS: f64 = 3.0;
const MAX_TILES: usize = 36;

fn layer_of(layer: &str, kind: &str) -> Option<Layer> {
    match (layer, kind) {
        ("water", _) => Some(Layer::Water),
        ("landuse", "park" | "forest" | "wood" | "grass" | "garden" | "nature_reserve" | "cemetery" | "meadow")
        | ("landuse", "playground" | "pitch" | "golf_course" | "recreation_ground" | "village_green") => {
            Some(Layer::Green)
        }
        ("buildings", _) => Some(Layer::Building),
        ("roads", "highway" | "major_road") => Some(Layer::MajorRoad),
        ("roads", "minor_road") => Some(Layer::MinorRoad),
        ("roads", _) => Some(Layer::Path),
        _ => None,
    }
}

/// The zoom for a box: about `TILES_ACROSS` tiles over its longer side, within the archive's
/// zooms, and at most `MAX_TILES` tiles.
fn zoom_for(b: WorldBox, min_zoom: u8, max_zoom: u8) -> u8 {
    let (lo, hi) = (min_zoom.min(max_zoom), max_zoom.max(min_zoom));
    let span = (b.2 - b.0).max(b.3 - b.1).max(1e-9);
    let wanted = (TILES_ACROSS / span).log2().floor();
    let mut z = if wanted.is_finite() { wanted.clamp(lo as f64, hi as f64) as u8 } else { lo };
    while z > lo && count_in(b, z) > MAX_TILES {
        z -= 1;
    }
    z
}

/// The tile range (x0, y0, x1, y1) covering a box at zoom `z`.
fn range(b: WorldBox, z: u8) -> (u32, u32, u32, u32) {
    let n = 1u32 << z;
    let cell = |v: f64| ((v.clamp(0.0, 1.0) * n as f64).floor() as u32).min(n - 1);
    (cell(b.0), cell(b.1), cell(b.2), cell(b.3))
}

fn count_in(b: WorldBox, z: u8) -> usize {
    let (x0, y0, x1, y1) = range(b, z);
    (x1.saturating_sub(x0) as usize + 1) * (y1.saturating_sub(y0) as usize + 1)
}

fn tiles_in(b: WorldBox, z: u8) -> Vec<(u32, u32)> {
    let (x0, y0, x1, y1) = range(b, z);
    (y0..=y1).flat_map(|y| (x0..=x1).map(move |x| (x, y))).collect()
}

/// A tile's shapes in world units.
fn decode(bytes: Vec<u8>, z: u8, x: u32, y: u32) -> Result<Vec<Shape>> {
    let bad = |_| Error::Corrupt("basemap tile cannot be read".into());
    let reader = mvt_reader::Reader::new(bytes).map_err(bad)?;
    let n = (1u64 << z) as f64;
    let mut shapes = Vec::new();
    for meta in reader.get_layer_metadata().map_err(bad)? {
        let extent = f64::from(meta.extent.max(1));
        let world =
            |c: geo_types::Coord<f32>| ((x as f64 + c.x as f64 / extent) / n, (y as f64 + c.y as f64 / extent) / n);
        for f in reader.get_features(meta.layer_index).map_err(bad)? {
            let kind = f.properties.as_ref().and_then(|p| match p.get("kind") {
                Some(mvt_reader::feature::Value::String(s)) => Some(s.clone()),
                _ => None,
            });
            let Some(layer) = layer_of(&meta.name, kind.as_deref().unwrap_or("")) else { continue };
            let mut parts: Vec<Vec<(f64, f64)>> = Vec::new();
            let ring = |r: &geo_types::LineString<f32>| r.0.iter().map(|c| world(*c)).collect::<Vec<_>>();
            match &f.geometry {
                Geometry::Polygon(p) if layer.is_area() => {
                    parts.push(ring(p.exterior()));
                    parts.extend(p.interiors().iter().map(ring));
                }
                Geometry::MultiPolygon(mp) if layer.is_area() => {
                    for p in mp {
                        parts.push(ring(p.exterior()));
                        parts.extend(p.interiors().iter().map(ring));
                    }
                }
                Geometry::LineString(l) if !layer.is_area() => parts.push(ring(l)),
                Geometry::MultiLineString(ml) if !layer.is_area() => parts.extend(ml.iter().map(ring)),
                _ => continue,
            }
            parts.retain(|p| p.len() >= 2);
            if !parts.is_empty() {
                shapes.push(Shape { layer, parts });
            }
        }
    }
    Ok(shapes)
}

/// Shapes under each box, from one basemap archive. Runs on a thread of its own with a runtime
/// of its own (the `pmtiles` reader is async; callers may be inside another runtime).
pub fn shapes(archive: Vec<u8>, min_zoom: u8, max_zoom: u8, boxes: &[WorldBox]) -> Result<Vec<Vec<Arc<Vec<Shape>>>>> {
    let work = move || -> Result<Vec<Vec<Arc<Vec<Shape>>>>> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .map_err(|e| Error::Internal(format!("starting a reader: {e}")))?;
        runtime.block_on(async {
            let basemap = Basemap::from_bytes(archive).await?;
            let mut cache: HashMap<(u8, u32, u32), Arc<Vec<Shape>>> = HashMap::new();
            let mut out = Vec::with_capacity(boxes.len());
            for &b in boxes {
                let z = zoom_for(b, min_zoom, max_zoom);
                let mut tiles = Vec::new();
                if count_in(b, z) > MAX_TILES {
                    // Too wide a run even at the archive's least zoom (a stop far out): the
                    // map is drawn without a basemap rather than from hundreds of tiles.
                    out.push(tiles);
                    continue;
                }
                for (x, y) in tiles_in(b, z) {
                    if let Some(shapes) = cache.get(&(z, x, y)) {
                        tiles.push(shapes.clone());
                        continue;
                    }
                    // A tile that cannot be read or decoded is left blank, not the whole map.
                    let shapes = match basemap.tile(z, x, y).await {
                        Ok(Some(bytes)) => Arc::new(decode(bytes, z, x, y).unwrap_or_default()),
                        _ => Arc::new(Vec::new()),
                    };
                    cache.insert((z, x, y), shapes.clone());
                    tiles.push(shapes);
                }
                out.push(tiles);
            }
            Ok(out)
        })
    };
    std::thread::scope(|scope| scope.spawn(work).join()).unwrap_or(Err(Error::Corrupt("basemap is damaged".into())))
}
