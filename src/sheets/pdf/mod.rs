//! The printable route sheet (A4 or US Letter), made with `krilla` (PDF with embedded, subset
//! DejaVu Sans): a header (run, date, driver's first name, vehicle, depot, start and end,
//! distance, "destroy after"), an overview map of the route drawn by Aidmap itself (route line,
//! numbered stops, depot, north arrow, scale bar, OSM attribution), a QR code per Google Maps leg,
//! then one block per stop in large type: number, time, first name, address, phone, access notes,
//! flags, the items with ☐ boxes, a delivered / nobody home / refused tick row, a notes line and a
//! QR code that opens navigation to the stop. Several runs make one document, each run starting
//! on a new page.
//!
//! Layout first (`layout`: `Op`s per page, `map`: the overview map), rendering second (here), so
//! page breaks are decided before any drawing. The fixed words are in the sheet's language.

mod layout;
pub mod map;

use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule, LineCap, LineJoin, Stroke};
use krilla::text::{Font, TextDirection};
use krilla::Document;

use super::Sheet;
use crate::error::{Error, Result};

pub(crate) static REGULAR: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
pub(crate) static BOLD: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paper {
    A4,
    Letter,
}

impl Paper {
    pub fn size(self) -> (f32, f32) {
        match self {
            Paper::A4 => (595.0, 842.0),
            Paper::Letter => (612.0, 792.0),
        }
    }
}

pub(crate) const MARGIN: f32 = 36.0;
pub(crate) const INK: (u8, u8, u8) = (17, 17, 17);
pub(crate) const ROUTE: (u8, u8, u8) = (31, 95, 139);
pub(crate) const GREY: (u8, u8, u8) = (120, 120, 120);

/// One drawing operation of a page (PDF points, y down from the top).
pub(crate) enum Op {
    Text {
        x: f32,
        y: f32,
        size: f32,
        bold: bool,
        text: String,
        color: (u8, u8, u8),
    },
    Line {
        points: Vec<(f32, f32)>,
        width: f32,
        color: (u8, u8, u8),
    },
    Rects {
        rects: Vec<(f32, f32, f32, f32)>,
        color: (u8, u8, u8),
    },
    Circle {
        x: f32,
        y: f32,
        r: f32,
        color: (u8, u8, u8),
    },
    Frame {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        fill: (u8, u8, u8),
    },
    /// Many paths drawn at once (a basemap layer): filled, stroked, or both.
    Shapes {
        paths: Vec<Vec<(f32, f32)>>,
        fill: Option<(u8, u8, u8)>,
        stroke: Option<(f32, (u8, u8, u8))>,
    },
    /// Later ops draw only inside this rectangle, until `Unclip`.
    Clip {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
    },
    Unclip,
}

pub(crate) fn text(x: f32, y: f32, size: f32, bold: bool, s: impl Into<String>) -> Op {
    Op::Text { x, y, size, bold, text: s.into(), color: INK }
}

fn color((r, g, b): (u8, u8, u8)) -> krilla::paint::Paint {
    rgb::Color::new(r, g, b).into()
}

fn fill(c: (u8, u8, u8)) -> Option<Fill> {
    fill_rule(c, FillRule::NonZero)
}

/// Even-odd for basemap areas: a ring inside another is a hole whatever its winding.
fn fill_rule(c: (u8, u8, u8), rule: FillRule) -> Option<Fill> {
    Some(Fill { paint: color(c), opacity: NormalizedF32::ONE, rule })
}

/// Renders the runs' sheets as one PDF (each run from a new page).
pub fn render(sheets: &[Sheet], paper: Paper) -> Result<Vec<u8>> {
    let mut pages = Vec::new();
    for sheet in sheets {
        pages.extend(layout::layout(sheet, paper)?);
    }
    render_pages(pages, paper)
}

/// Draws laid-out pages as one PDF (the route sheets and the situation report share it).
pub(crate) fn render_pages(pages: Vec<Vec<Op>>, paper: Paper) -> Result<Vec<u8>> {
    let regular = Font::new(REGULAR.into(), 0).ok_or(Error::Internal("font".into()))?;
    let bold = Font::new(BOLD.into(), 0).ok_or(Error::Internal("font".into()))?;
    let (pw, ph) = paper.size();
    let mut document = Document::new();
    {
        for ops in pages {
            let settings = PageSettings::from_wh(pw, ph).ok_or(Error::Internal("page size".into()))?;
            let mut page = document.start_page_with(settings);
            let mut surface = page.surface();
            let mut clips = 0;
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
                    Op::Shapes { paths, fill: f, stroke } => {
                        let mut pb = PathBuilder::new();
                        for path in &paths {
                            for (i, (x, y)) in path.iter().enumerate() {
                                if i == 0 {
                                    pb.move_to(*x, *y)
                                } else {
                                    pb.line_to(*x, *y)
                                }
                            }
                            if f.is_some() {
                                pb.close();
                            }
                        }
                        if let Some(path) = pb.finish() {
                            surface.set_fill(f.and_then(|c| fill_rule(c, FillRule::EvenOdd)));
                            surface.set_stroke(stroke.map(|(width, c)| Stroke {
                                paint: color(c),
                                width,
                                line_cap: LineCap::Round,
                                line_join: LineJoin::Round,
                                ..Default::default()
                            }));
                            surface.draw_path(&path);
                        }
                    }
                    Op::Clip { x, y, w, h } => {
                        let mut pb = PathBuilder::new();
                        if let Some(r) = Rect::from_xywh(x, y, w, h) {
                            pb.push_rect(r);
                        }
                        if let Some(path) = pb.finish() {
                            surface.push_clip_path(&path, &FillRule::NonZero);
                            clips += 1;
                        }
                    }
                    Op::Unclip => {
                        if clips > 0 {
                            surface.pop();
                            clips -= 1;
                        }
                    }
                    Op::Frame { x, y, w, h, fill: ground } => {
                        let mut pb = PathBuilder::new();
                        if let Some(r) = Rect::from_xywh(x, y, w, h) {
                            pb.push_rect(r);
                        }
                        if let Some(path) = pb.finish() {
                            surface.set_fill(fill(ground));
                            surface.set_stroke(Some(Stroke { paint: color(GREY), width: 0.75, ..Default::default() }));
                            surface.draw_path(&path);
                        }
                    }
                }
            }
            for _ in 0..clips {
                surface.pop();
            }
            surface.finish();
            page.finish();
        }
    }
    document.finish().map_err(|e| Error::Internal(format!("PDF: {e:?}")))
}
