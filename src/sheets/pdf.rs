//! The printable route sheet (A4 or US Letter), made with `krilla` (PDF with embedded, subset
//! DejaVu Sans): a header (run, date, driver's first name, vehicle, depot, start and end,
//! distance, "destroy after"), an overview map of the route drawn by Aidmap itself (route line,
//! numbered stops, depot, north arrow, scale bar, OSM attribution), a QR code per Google Maps leg,
//! then one block per stop in large type: number, time, first name, address, phone, access notes,
//! flags, the items with ☐ boxes, a delivered / nobody home / refused tick row, a notes line and a
//! QR code that opens navigation to the stop. Several runs make one document, each run starting
//! on a new page.
//!
//! Layout first (`Op`s per page), rendering second, so page breaks are decided before any
//! drawing. Text widths are estimated from DejaVu Sans' average advance (0.55 em) for wrapping:
//! exact shaping would need a text layout engine for a few address lines.

use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::text::{Font, TextDirection};
use krilla::Document;

use super::{links, Sheet};
use crate::error::{Error, Result};

static REGULAR: &[u8] = include_bytes!("fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("fonts/DejaVuSans-Bold.ttf");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paper {
    A4,
    Letter,
}

impl Paper {
    fn size(self) -> (f32, f32) {
        match self {
            Paper::A4 => (595.0, 842.0),
            Paper::Letter => (612.0, 792.0),
        }
    }
}

const MARGIN: f32 = 36.0;
const INK: (u8, u8, u8) = (17, 17, 17);
const ROUTE: (u8, u8, u8) = (31, 95, 139);
const GREY: (u8, u8, u8) = (120, 120, 120);

enum Op {
    Text { x: f32, y: f32, size: f32, bold: bool, text: String, color: (u8, u8, u8) },
    Line { points: Vec<(f32, f32)>, width: f32, color: (u8, u8, u8) },
    Rects { rects: Vec<(f32, f32, f32, f32)>, color: (u8, u8, u8) },
    Circle { x: f32, y: f32, r: f32, color: (u8, u8, u8) },
    Frame { x: f32, y: f32, w: f32, h: f32 },
}

fn text(x: f32, y: f32, size: f32, bold: bool, s: impl Into<String>) -> Op {
    Op::Text { x, y, size, bold, text: s.into(), color: INK }
}

/// Splits text into lines that fit `width` at `size` (estimated advances).
fn wrap(s: &str, size: f32, width: f32) -> Vec<String> {
    let per_line = ((width / (size * 0.55)) as usize).max(8);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in s.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > per_line {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// A QR code as dark squares, `size` points wide, top-left at (x, y).
fn qr(x: f32, y: f32, size: f32, data: &str) -> Result<Op> {
    // Level L: the densest link (ten stops) stays readable by a phone camera at this size.
    let code = qrcode::QrCode::with_error_correction_level(data.as_bytes(), qrcode::EcLevel::L)
        .map_err(|e| Error::Internal(format!("QR code: {e}")))?;
    let n = code.width();
    let quiet = 4;
    let cell = size / (n + 2 * quiet) as f32;
    let colors = code.to_colors();
    let mut rects = Vec::new();
    for (i, c) in colors.iter().enumerate() {
        if *c == qrcode::Color::Dark {
            let (cx, cy) = ((i % n + quiet) as f32, (i / n + quiet) as f32);
            rects.push((x + cx * cell, y + cy * cell, cell, cell));
        }
    }
    Ok(Op::Rects { rects, color: (0, 0, 0) })
}

/// Web Mercator, in units of the world width.
fn mercator(lat: f64, lon: f64) -> (f64, f64) {
    let x = (lon + 180.0) / 360.0;
    let s = lat.to_radians().sin().clamp(-0.9999, 0.9999);
    let y = 0.5 - (((1.0 + s) / (1.0 - s)).ln()) / (4.0 * std::f64::consts::PI);
    (x, y)
}

/// The overview map in the box (x, y, w, h).
fn map(sheet: &Sheet, (bx, by, bw, bh): (f32, f32, f32, f32), ops: &mut Vec<Op>) {
    ops.push(Op::Frame { x: bx, y: by, w: bw, h: bh });
    let mut pts: Vec<(f64, f64)> = sheet.path.iter().map(|p| mercator(p[1], p[0])).collect();
    pts.extend(sheet.stops.iter().map(|s| mercator(s.lat, s.lon)));
    pts.push(mercator(sheet.depot_at.0, sheet.depot_at.1));
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for &(x, y) in &pts {
        (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
    }
    let pad = 18.0;
    let span = (x1 - x0).max(y1 - y0).max(1e-7);
    let scale = ((bw - 2.0 * pad) as f64 / (x1 - x0).max(1e-9)).min((bh - 2.0 * pad) as f64 / (y1 - y0).max(1e-9));
    let scale = if scale.is_finite() { scale } else { (bw as f64 - 2.0 * pad as f64) / span };
    let (cx, cy) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
    let at = |(x, y): (f64, f64)| -> (f32, f32) {
        (bx + bw / 2.0 + ((x - cx) * scale) as f32, by + bh / 2.0 + ((y - cy) * scale) as f32)
    };
    let route: Vec<(f32, f32)> = sheet.path.iter().map(|p| at(mercator(p[1], p[0]))).collect();
    if route.len() >= 2 {
        ops.push(Op::Line { points: route, width: 2.5, color: ROUTE });
    }
    let depot = at(mercator(sheet.depot_at.0, sheet.depot_at.1));
    ops.push(Op::Rects { rects: vec![(depot.0 - 6.0, depot.1 - 6.0, 12.0, 12.0)], color: INK });
    for s in &sheet.stops {
        let (x, y) = at(mercator(s.lat, s.lon));
        ops.push(Op::Circle { x, y, r: 8.0, color: INK });
        let label = s.number.to_string();
        let w = label.len() as f32 * 4.4;
        ops.push(Op::Text { x: x - w / 2.0, y: y + 3.0, size: 8.0, bold: true, text: label, color: (255, 255, 255) });
    }
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
    ops.push(Op::Line {
        points: vec![(sx, sy - 4.0), (sx, sy), (sx + len, sy), (sx + len, sy - 4.0)],
        width: 1.5,
        color: INK,
    });
    let label = if metres >= 1000.0 { format!("{} km", metres / 1000.0) } else { format!("{metres} m") };
    ops.push(text(sx + len + 4.0, sy + 2.0, 8.0, false, label));
    ops.push(Op::Text {
        x: bx + bw - 130.0,
        y: by + bh - 6.0,
        size: 7.0,
        bold: false,
        text: "© OpenStreetMap contributors".into(),
        color: GREY,
    });
}

/// One run's pages.
fn layout(sheet: &Sheet, paper: Paper) -> Result<Vec<Vec<Op>>> {
    let (pw, ph) = paper.size();
    let width = pw - 2.0 * MARGIN;
    let mut pages: Vec<Vec<Op>> = Vec::new();
    let mut ops = Vec::new();
    let mut y = MARGIN + 20.0;
    let title = format!("Run {} — {}", sheet.run_number, sheet.day);
    ops.push(text(MARGIN, y, 20.0, true, &title));
    y += 22.0;
    ops.push(text(MARGIN, y, 13.0, false, format!("Driver: {}   ·   Vehicle: {}", sheet.driver, sheet.vehicle)));
    y += 18.0;
    let from = if sheet.depot_address.is_empty() {
        sheet.depot.clone()
    } else {
        format!("{}, {}", sheet.depot, sheet.depot_address)
    };
    ops.push(text(MARGIN, y, 13.0, false, format!("Loads at: {from}")));
    y += 18.0;
    ops.push(text(
        MARGIN,
        y,
        13.0,
        false,
        format!(
            "Start {} – back {}   ·   {:.1} km   ·   {} stops",
            sheet.start,
            sheet.end,
            sheet.distance_km,
            sheet.stops.len()
        ),
    ));
    y += 16.0;
    ops.push(Op::Text {
        x: MARGIN,
        y,
        size: 10.0,
        bold: false,
        text: format!("Personal information: destroy this sheet after {}.", sheet.destroy_after),
        color: GREY,
    });
    y += 10.0;
    let map_h = (ph * 0.36).min(300.0);
    map(sheet, (MARGIN, y, width, map_h), &mut ops);
    y += map_h + 14.0;
    // One QR code per Google Maps leg.
    let legs = links::google(sheet);
    let q = 100.0;
    for (k, leg) in legs.iter().enumerate() {
        let x = MARGIN + k as f32 * (q + 16.0);
        if x + q > pw - MARGIN {
            break;
        }
        ops.push(qr(x, y, q, &leg.url)?);
        let (a, b) = (leg.stops[0], *leg.stops.last().unwrap_or(&0));
        ops.push(text(x + 4.0, y + q + 10.0, 8.0, false, format!("Google Maps {a}–{b}")));
    }
    if !legs.is_empty() {
        y += q + 22.0;
    }

    for s in &sheet.stops {
        let mut lines: Vec<(f32, bool, String)> = Vec::new();
        for l in wrap(&s.address, 14.0, width - 90.0) {
            lines.push((14.0, false, l));
        }
        if let Some(p) = &s.phone {
            lines.push((13.0, false, format!("Phone: {p}")));
        }
        if let Some(a) = &s.access_notes {
            for l in wrap(&format!("Access: {a}"), 12.0, width - 90.0) {
                lines.push((12.0, false, l));
            }
        }
        let mut flags = Vec::new();
        if s.cold_chain {
            flags.push("COLD CHAIN");
        }
        if s.medical_priority {
            flags.push("MEDICAL PRIORITY");
        }
        if !flags.is_empty() {
            lines.push((12.0, true, flags.join("   ")));
        }
        for item in &s.items {
            lines.push((14.0, false, format!("☐  {}", item.text())));
        }
        lines.push((13.0, false, "☐ delivered      ☐ nobody home      ☐ refused".into()));
        let height = 26.0 + lines.iter().map(|l| l.0 + 6.0).sum::<f32>() + 30.0;
        if y + height.max(90.0) > ph - MARGIN {
            pages.push(std::mem::take(&mut ops));
            y = MARGIN + 12.0;
            ops.push(Op::Text {
                x: MARGIN,
                y,
                size: 10.0,
                bold: false,
                text: format!("{title} (continued)"),
                color: GREY,
            });
            y += 18.0;
        }
        ops.push(Op::Line { points: vec![(MARGIN, y), (pw - MARGIN, y)], width: 0.5, color: GREY });
        y += 22.0;
        ops.push(Op::Circle { x: MARGIN + 11.0, y: y - 6.0, r: 11.0, color: INK });
        let n = s.number.to_string();
        ops.push(Op::Text {
            x: MARGIN + 11.0 - n.len() as f32 * 4.4,
            y: y - 1.5,
            size: 12.0,
            bold: true,
            text: n,
            color: (255, 255, 255),
        });
        ops.push(text(MARGIN + 30.0, y, 16.0, true, format!("{}   {}", s.eta, s.alias)));
        ops.push(qr(pw - MARGIN - 64.0, y - 16.0, 64.0, &format!("geo:{:.6},{:.6}", s.lat, s.lon))?);
        y += 6.0;
        for (size, bold, l) in lines {
            y += size + 6.0;
            ops.push(text(MARGIN + 30.0, y, size, bold, l));
        }
        y += 20.0;
        ops.push(text(MARGIN + 30.0, y, 12.0, false, "Notes:"));
        ops.push(Op::Line { points: vec![(MARGIN + 72.0, y), (pw - MARGIN - 70.0, y)], width: 0.5, color: INK });
        y += 10.0;
    }
    pages.push(ops);
    Ok(pages)
}

fn color((r, g, b): (u8, u8, u8)) -> krilla::paint::Paint {
    rgb::Color::new(r, g, b).into()
}

fn fill(c: (u8, u8, u8)) -> Option<Fill> {
    Some(Fill { paint: color(c), opacity: NormalizedF32::ONE, rule: Default::default() })
}

/// Renders the runs' sheets as one PDF (each run from a new page).
pub fn render(sheets: &[Sheet], paper: Paper) -> Result<Vec<u8>> {
    let regular = Font::new(REGULAR.into(), 0).ok_or(Error::Internal("font".into()))?;
    let bold = Font::new(BOLD.into(), 0).ok_or(Error::Internal("font".into()))?;
    let (pw, ph) = paper.size();
    let mut document = Document::new();
    for sheet in sheets {
        for ops in layout(sheet, paper)? {
            let settings = PageSettings::from_wh(pw, ph).ok_or(Error::Internal("page size".into()))?;
            let mut page = document.start_page_with(settings);
            let mut surface = page.surface();
            for op in ops {
                match op {
                    Op::Text { x, y, size, bold: b, text, color: c } => {
                        surface.set_stroke(None);
                        surface.set_fill(fill(c));
                        let font = if b { bold.clone() } else { regular.clone() };
                        surface.draw_text(Point::from_xy(x, y), font, size, &text, false, TextDirection::Auto);
                    }
                    Op::Line { points, width, color: c } => {
                        let mut pb = PathBuilder::new();
                        for (i, (x, y)) in points.iter().enumerate() {
                            if i == 0 {
                                pb.move_to(*x, *y)
                            } else {
                                pb.line_to(*x, *y)
                            }
                        }
                        if let Some(path) = pb.finish() {
                            surface.set_fill(None);
                            surface.set_stroke(Some(Stroke { paint: color(c), width, ..Default::default() }));
                            surface.draw_path(&path);
                        }
                    }
                    Op::Rects { rects, color: c } => {
                        let mut pb = PathBuilder::new();
                        for (x, y, w, h) in rects {
                            if let Some(r) = Rect::from_xywh(x, y, w, h) {
                                pb.push_rect(r);
                            }
                        }
                        if let Some(path) = pb.finish() {
                            surface.set_stroke(None);
                            surface.set_fill(fill(c));
                            surface.draw_path(&path);
                        }
                    }
                    Op::Circle { x, y, r, color: c } => {
                        // Four cubic Béziers (k = 0.5523 of the radius).
                        let k = 0.5523 * r;
                        let mut pb = PathBuilder::new();
                        pb.move_to(x + r, y);
                        pb.cubic_to(x + r, y + k, x + k, y + r, x, y + r);
                        pb.cubic_to(x - k, y + r, x - r, y + k, x - r, y);
                        pb.cubic_to(x - r, y - k, x - k, y - r, x, y - r);
                        pb.cubic_to(x + k, y - r, x + r, y - k, x + r, y);
                        pb.close();
                        if let Some(path) = pb.finish() {
                            surface.set_stroke(None);
                            surface.set_fill(fill(c));
                            surface.draw_path(&path);
                        }
                    }
                    Op::Frame { x, y, w, h } => {
                        let mut pb = PathBuilder::new();
                        if let Some(r) = Rect::from_xywh(x, y, w, h) {
                            pb.push_rect(r);
                        }
                        if let Some(path) = pb.finish() {
                            surface.set_fill(fill((246, 247, 249)));
                            surface.set_stroke(Some(Stroke { paint: color(GREY), width: 0.75, ..Default::default() }));
                            surface.draw_path(&path);
                        }
                    }
                }
            }
            surface.finish();
            page.finish();
        }
    }
    document.finish().map_err(|e| Error::Internal(format!("PDF: {e:?}")))
}
