//! The overview map of a run: the basemap (water, parks, buildings, roads) where the region pack
//! has one, the road route, the depot and numbered stops, a north arrow, a scale bar and the
//! OpenStreetMap attribution, all clipped to the map's frame. Web Mercator, north up.

use super::{text, Op, GREY, INK, ROUTE};
use crate::sheets::map_background::{Layer, Shape, WorldBox, ORDER};
use crate::sheets::Sheet;

/// Web Mercator, in units of the world width (y down).
pub fn mercator(lat: f64, lon: f64) -> (f64, f64) {
    let x = (lon + 180.0) / 360.0;
    let s = lat.to_radians().sin().clamp(-0.9999, 0.9999);
    let y = 0.5 - (((1.0 + s) / (1.0 - s)).ln()) / (4.0 * std::f64::consts::PI);
    (x, y)
}

/// The width : height of the map frames on A4 and Letter lie between these.
const ASPECTS: (f64, f64) = (1.6, 2.0);
/// Empty space around the route, as a share of its size.
const PAD: f64 = 0.08;
/// About 150 m: a run of one stop next to its depot still shows its streets.
const MIN_SPAN: f64 = 150.0 / 40_075_016.686;

/// The route's box (depot, stops and road path), padded.
fn route_box(sheet: &Sheet) -> WorldBox {
    let mut pts: Vec<(f64, f64)> = sheet.path.iter().map(|p| mercator(p[1], p[0])).collect();
    pts.extend(sheet.stops.iter().map(|s| mercator(s.lat, s.lon)));
    pts.push(mercator(sheet.depot_at.0, sheet.depot_at.1));
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for &(x, y) in &pts {
        (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
    }
    let (cx, cy) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
    let w = ((x1 - x0) * (1.0 + 2.0 * PAD)).max(MIN_SPAN);
    let h = ((y1 - y0) * (1.0 + 2.0 * PAD)).max(MIN_SPAN);
    (cx - w / 2.0, cy - h / 2.0, cx + w / 2.0, cy + h / 2.0)
}

/// Everything any paper's map frame can show of the run: the basemap must cover this.
pub fn world_box(sheet: &Sheet) -> WorldBox {
    let (x0, y0, x1, y1) = route_box(sheet);
    let (w, h) = (x1 - x0, y1 - y0);
    let (w2, h2) = (w.max(h * ASPECTS.1), h.max(w / ASPECTS.0));
    let (cx, cy) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
    (cx - w2 / 2.0, cy - h2 / 2.0, cx + w2 / 2.0, cy + h2 / 2.0)
}

/// A layer's colour and line width (areas: 0).
fn style(layer: Layer) -> ((u8, u8, u8), f32) {
    match layer {
        Layer::Water => ((190, 214, 235), 0.0),
        Layer::Green => ((214, 232, 206), 0.0),
        Layer::Building => ((222, 217, 210), 0.0),
        Layer::Path => ((205, 205, 205), 0.6),
        Layer::MinorRoad => ((255, 255, 255), 2.4),
        Layer::MajorRoad => ((252, 236, 190), 3.6),
    }
}

/// The page's map frame: (x0, y0, x1, y1).
type Frame = (f32, f32, f32, f32);

/// A tile's (or every tile's) shapes of one layer as page paths, made no finer than print
/// shows, since the PDF's size is mostly its map: points rounded to a tenth of a point and
/// dropped within 0.8 pt of the last one kept, parts wholly outside the frame left out, and
/// areas smaller than 1.5 pt across (a shed at city scale) too.
fn page_paths<'a>(
    tiles: impl Iterator<Item = &'a Vec<Shape>>,
    layer: Layer,
    at: &dyn Fn((f64, f64)) -> (f32, f32),
    frame: Frame,
) -> Vec<Vec<(f32, f32)>> {
    let mut paths = Vec::new();
    for tile in tiles {
        for shape in tile.iter().filter(|s| s.layer == layer) {
            for part in &shape.parts {
                let mut path: Vec<(f32, f32)> = Vec::with_capacity(part.len());
                let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
                for &p in part {
                    let (x, y) = at(p);
                    let q = ((x * 10.0).round() / 10.0, (y * 10.0).round() / 10.0);
                    (x0, y0, x1, y1) = (x0.min(q.0), y0.min(q.1), x1.max(q.0), y1.max(q.1));
                    if path.last().is_none_or(|l: &(f32, f32)| (l.0 - q.0).abs() + (l.1 - q.1).abs() > 0.8) {
                        path.push(q);
                    }
                }
                let outside = x1 < frame.0 || y1 < frame.1 || x0 > frame.2 || y0 > frame.3;
                let tiny = layer.is_area() && x1 - x0 < 1.5 && y1 - y0 < 1.5;
                if path.len() >= 2 && !outside && !tiny {
                    paths.push(path);
                }
            }
        }
    }
    paths
}

/// The basemap, layer by layer. Areas are filled tile by tile: neighbouring tiles overlap by
/// their buffer, and one even-odd path over both would leave the overlap empty. Lines are
/// stroked all at once, so a tile's road casing never crosses its neighbour's road.
fn basemap(sheet: &Sheet, at: &dyn Fn((f64, f64)) -> (f32, f32), frame: Frame, ops: &mut Vec<Op>) {
    for layer in ORDER {
        let (color, width) = style(layer);
        if layer.is_area() {
            for tile in &sheet.basemap {
                let paths = page_paths(std::iter::once(tile.as_ref()), layer, at, frame);
                if !paths.is_empty() {
                    ops.push(Op::Shapes { paths, fill: Some(color), stroke: None });
                }
            }
            continue;
        }
        let paths = page_paths(sheet.basemap.iter().map(|t| t.as_ref()), layer, at, frame);
        if paths.is_empty() {
            continue;
        }
        // Roads get a grey casing under their fill.
        if width > 1.0 {
            ops.push(Op::Shapes { paths: paths.clone(), fill: None, stroke: Some((width + 1.2, (170, 170, 170))) });
        }
        ops.push(Op::Shapes { paths, fill: None, stroke: Some((width, color)) });
    }
}

/// The overview map in the box (x, y, w, h).
pub(super) fn map(sheet: &Sheet, (bx, by, bw, bh): (f32, f32, f32, f32), ops: &mut Vec<Op>) {
    // Land colour under a basemap; a plain light grey without one.
    let ground = if sheet.basemap.is_empty() { (246, 247, 249) } else { (242, 239, 233) };
    ops.push(Op::Frame { x: bx, y: by, w: bw, h: bh, fill: ground });
    let (x0, y0, x1, y1) = route_box(sheet);
    let scale = (bw as f64 / (x1 - x0)).min(bh as f64 / (y1 - y0));
    let (cx, cy) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
    let at = |(x, y): (f64, f64)| -> (f32, f32) {
        (bx + bw / 2.0 + ((x - cx) * scale) as f32, by + bh / 2.0 + ((y - cy) * scale) as f32)
    };
    ops.push(Op::Clip { x: bx, y: by, w: bw, h: bh });
    basemap(sheet, &at, (bx, by, bx + bw, by + bh), ops);
    let route: Vec<(f32, f32)> = sheet.path.iter().map(|p| at(mercator(p[1], p[0]))).collect();
    if route.len() >= 2 {
        ops.push(Op::Line { points: route.clone(), width: 5.0, color: (255, 255, 255) });
        ops.push(Op::Line { points: route, width: 2.5, color: ROUTE });
    }
    let depot = at(mercator(sheet.depot_at.0, sheet.depot_at.1));
    ops.push(Op::Rects { rects: vec![(depot.0 - 6.0, depot.1 - 6.0, 12.0, 12.0)], color: INK });
    for s in &sheet.stops {
        let (x, y) = at(mercator(s.lat, s.lon));
        ops.push(Op::Circle { x, y, r: 9.0, color: (255, 255, 255) });
        ops.push(Op::Circle { x, y, r: 8.0, color: INK });
        let label = s.number.to_string();
        let w = label.len() as f32 * 4.4;
        ops.push(Op::Text { x: x - w / 2.0, y: y + 3.0, size: 8.0, bold: true, text: label, color: (255, 255, 255) });
    }
    ops.push(Op::Unclip);
    // North arrow, top right.
    let (nx, ny) = (bx + bw - 20.0, by + 14.0);
    ops.push(Op::Line {
        points: vec![(nx, ny + 22.0), (nx, ny), (nx - 5.0, ny + 8.0), (nx, ny), (nx + 5.0, ny + 8.0)],
        width: 1.5,
        color: INK,
    });
    ops.push(text(nx - 4.0, ny + 34.0, 10.0, true, "N"));
    // Scale bar, bottom left: a round number of metres about a fifth of the box.
    let lat = sheet.depot_at.0.to_radians();
    let metres_per_unit = 40_075_016.686 * lat.cos();
    let metres_per_pt = metres_per_unit / scale;
    let target = metres_per_pt * (bw as f64 / 5.0);
    let nice = [50.0, 100.0, 200.0, 250.0, 500.0, 1000.0, 2000.0, 5000.0, 10_000.0, 20_000.0, 50_000.0];
    let metres = nice.iter().copied().find(|&m| m >= target).unwrap_or(50_000.0);
    let len = (metres / metres_per_pt) as f32;
    let (sx, sy) = (bx + 10.0, by + bh - 12.0);
    ops.push(Op::Rects { rects: vec![(sx - 4.0, sy - 12.0, len + 52.0, 18.0)], color: (255, 255, 255) });
    ops.push(Op::Line {
        points: vec![(sx, sy - 4.0), (sx, sy), (sx + len, sy), (sx + len, sy - 4.0)],
        width: 1.5,
        color: INK,
    });
    let label = if metres >= 1000.0 { format!("{} km", metres / 1000.0) } else { format!("{metres} m") };
    ops.push(text(sx + len + 4.0, sy + 2.0, 8.0, false, label));
    ops.push(Op::Rects { rects: vec![(bx + bw - 134.0, by + bh - 14.0, 133.0, 13.0)], color: (255, 255, 255) });
    ops.push(Op::Text {
        x: bx + bw - 130.0,
        y: by + bh - 5.0,
        size: 7.0,
        bold: false,
        text: "© OpenStreetMap contributors".into(),
        color: GREY,
    });
}
