//! A run's pages as drawing ops: the header, the map, a QR code per Google Maps leg, then one
//! block per stop, breaking pages between blocks. Text widths are estimated from DejaVu Sans'
//! average advance (0.55 em) for wrapping: exact shaping would need a text layout engine for a
//! few address lines.

use super::{map, text, Op, Paper, GREY, INK, MARGIN};
use crate::error::{Error, Result};
use crate::sheets::{links, Sheet, Words};

/// Splits text into lines that fit `width` at `size` (estimated advances); a word longer than
/// a line (a URL, a code, text in a script without spaces) is cut.
fn wrap(s: &str, size: f32, width: f32) -> Vec<String> {
    let per_line = ((width / (size * 0.55)) as usize).max(8);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in s.split_whitespace() {
        let chars: Vec<char> = word.chars().collect();
        for piece in chars.chunks(per_line) {
            let piece: String = piece.iter().collect();
            if !line.is_empty() && line.chars().count() + 1 + piece.chars().count() > per_line {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(&piece);
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// `wrap` as (size, bold, line) entries, continuation lines indented by `indent`.
fn wrapped(s: &str, size: f32, bold: bool, width: f32, indent: &str) -> Vec<(f32, bool, String)> {
    let lines = wrap(s, size, width - indent.chars().count() as f32 * size * 0.55);
    lines.into_iter().enumerate().map(|(k, l)| (size, bold, if k == 0 { l } else { format!("{indent}{l}") })).collect()
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
    // One rectangle per horizontal run of dark modules (a third of the drawing of one per module).
    let mut rects = Vec::new();
    for (row, line) in colors.chunks(n).enumerate() {
        let mut col = 0;
        while col < n {
            if line[col] != qrcode::Color::Dark {
                col += 1;
                continue;
            }
            let start = col;
            while col < n && line[col] == qrcode::Color::Dark {
                col += 1;
            }
            let (cx, cy) = ((start + quiet) as f32, (row + quiet) as f32);
            rects.push((x + cx * cell, y + cy * cell, (col - start) as f32 * cell, cell));
        }
    }
    Ok(Op::Rects { rects, color: (0, 0, 0) })
}

/// The lines of a stop's block under its heading: (size, bold, text).
fn stop_lines(s: &crate::sheets::SheetStop, w: &Words, width: f32) -> Vec<(f32, bool, String)> {
    let mut lines: Vec<(f32, bool, String)> = wrapped(&s.place(), 14.0, false, width, "");
    if let Some(c) = &s.cross_street {
        lines.extend(wrapped(&format!("{} {c}", w.near), 12.0, false, width, ""));
    }
    if let Some(p) = &s.phone {
        lines.extend(wrapped(&format!("{}: {p}", w.phone), 13.0, false, width, ""));
    }
    if let Some(a) = &s.access_notes {
        lines.extend(wrapped(&format!("{}: {a}", w.access), 12.0, false, width, ""));
    }
    if let Some(n) = &s.driver_notes {
        lines.extend(wrapped(&format!("{}: {n}", w.for_driver), 12.0, false, width, ""));
    }
    let mut flags = Vec::new();
    if s.cold_chain {
        flags.push(w.cold_chain);
    }
    if s.medical_priority {
        flags.push(w.medical_priority);
    }
    if !flags.is_empty() {
        lines.push((12.0, true, flags.join("   ")));
    }
    for item in &s.items {
        lines.extend(wrapped(&format!("☐  {}", item.text()), 14.0, false, width, "     "));
    }
    lines.push((13.0, false, format!("☐ {}      ☐ {}      ☐ {}", w.delivered, w.nobody_home, w.refused)));
    lines
}

/// The header: run, driver and vehicle, depot, times and distance, "destroy after"; returns
/// where the map goes.
fn header(sheet: &Sheet, w: &Words, width: f32, ops: &mut Vec<Op>) -> f32 {
    let mut y = MARGIN + 20.0;
    ops.push(text(MARGIN, y, 20.0, true, w.title(sheet.run_number, &sheet.day)));
    y += 22.0;
    let who = format!("{}: {}   ·   {}: {}", w.driver, sheet.driver, w.vehicle, sheet.vehicle);
    for (size, bold, line) in wrapped(&who, 13.0, false, width, "") {
        ops.push(text(MARGIN, y, size, bold, line));
        y += 18.0;
    }
    let from = if sheet.depot_address.is_empty() {
        sheet.depot.clone()
    } else {
        format!("{}, {}", sheet.depot, sheet.depot_address)
    };
    for (size, bold, line) in wrapped(&format!("{}: {from}", w.loads_at), 13.0, false, width, "") {
        ops.push(text(MARGIN, y, size, bold, line));
        y += 18.0;
    }
    let times = format!(
        "{} {} – {} {}   ·   {:.1} km   ·   {} {}",
        w.start,
        sheet.start,
        w.back,
        sheet.end,
        sheet.distance_km,
        sheet.stops.len(),
        w.stops
    );
    ops.push(text(MARGIN, y, 13.0, false, times));
    y += 16.0;
    ops.push(Op::Text { x: MARGIN, y, size: 10.0, bold: false, text: w.destroy(&sheet.destroy_after), color: GREY });
    y + 10.0
}

/// One run's pages.
pub fn layout(sheet: &Sheet, paper: Paper) -> Result<Vec<Vec<Op>>> {
    let w = Words::of(sheet.language);
    let (pw, ph) = paper.size();
    let width = pw - 2.0 * MARGIN;
    let mut pages: Vec<Vec<Op>> = Vec::new();
    let mut ops = Vec::new();
    let mut y = header(sheet, w, width, &mut ops);
    let map_h = (ph * 0.36).min(300.0);
    map::map(sheet, (MARGIN, y, width, map_h), &mut ops);
    y += map_h + 14.0;
    let title = w.title(sheet.run_number, &sheet.day);
    let bottom = ph - MARGIN;
    // A new page, headed "Run 3 — … (continued)"; returns where its content starts.
    let break_page = |pages: &mut Vec<Vec<Op>>, ops: &mut Vec<Op>| -> f32 {
        pages.push(std::mem::take(ops));
        let y = MARGIN + 12.0;
        let more = format!("{title} ({})", w.continued);
        ops.push(Op::Text { x: MARGIN, y, size: 10.0, bold: false, text: more, color: GREY });
        y + 18.0
    };
    // One QR code per Google Maps leg, in as many rows as it takes.
    let legs = links::google(sheet);
    let q = 100.0;
    let per_row = (((width + 16.0) / (q + 16.0)) as usize).max(1);
    for (k, leg) in legs.iter().enumerate() {
        if k % per_row == 0 && k > 0 {
            y += q + 26.0;
        }
        if k % per_row == 0 && y + q + 26.0 > bottom {
            y = break_page(&mut pages, &mut ops);
        }
        let x = MARGIN + (k % per_row) as f32 * (q + 16.0);
        ops.push(qr(x, y, q, &leg.url)?);
        let (a, b) = (leg.stops[0], *leg.stops.last().unwrap_or(&0));
        ops.push(text(x + 6.0, y + q + 4.0, 8.0, true, "Google Maps"));
        ops.push(text(x + 6.0, y + q + 14.0, 8.0, false, format!("{} {a}–{b}", w.stops)));
    }
    if !legs.is_empty() {
        y += q + 26.0;
    }

    for s in &sheet.stops {
        let lines = stop_lines(s, w, width - 90.0);
        let height = 26.0 + lines.iter().map(|l| l.0 + 6.0).sum::<f32>() + 30.0;
        // A block starts on a new page unless it fits (or is taller than any page: then it
        // starts here and breaks between its lines).
        if y + height.max(90.0) > bottom && y > MARGIN + 40.0 {
            y = break_page(&mut pages, &mut ops);
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
        let heading = format!("{}   {}", s.eta, s.alias);
        ops.push(text(MARGIN + 30.0, y, 16.0, true, &heading));
        ops.push(qr(pw - MARGIN - 64.0, y - 16.0, 64.0, &format!("geo:{:.6},{:.6}", s.lat, s.lon))?);
        ops.push(Op::Text {
            x: pw - MARGIN - 60.0,
            y: y + 52.0,
            size: 7.0,
            bold: false,
            text: w.navigate.into(),
            color: GREY,
        });
        y += 6.0;
        for (size, bold, l) in lines {
            if y + size + 6.0 > bottom {
                y = break_page(&mut pages, &mut ops);
                ops.push(text(MARGIN + 30.0, y, 12.0, true, format!("{} {heading} ({})", s.number, w.continued)));
                y += 6.0;
            }
            y += size + 6.0;
            ops.push(text(MARGIN + 30.0, y, size, bold, l));
        }
        if y + 30.0 > bottom {
            y = break_page(&mut pages, &mut ops);
        }
        y += 20.0;
        ops.push(text(MARGIN + 30.0, y, 12.0, false, format!("{}:", w.notes)));
        ops.push(Op::Line { points: vec![(MARGIN + 72.0, y), (pw - MARGIN - 70.0, y)], width: 0.5, color: INK });
        y += 10.0;
    }
    pages.push(ops);
    Ok(pages)
}
