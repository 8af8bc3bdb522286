//! The situation report: one or two A4 pages of anonymous counts for a shift handover or a
//! coalition meeting, drawn with the route sheets' PDF engine (`sheets::pdf`). Only counts,
//! item names and area names go on it: never a household's name, phone or address, nor a
//! need's id (checked by a sentinel test in `tests/core/report.rs`).

use super::words::{reason, words, Words};
use super::{OutcomeCounts, Report};
use crate::error::Result;
use crate::sheets::pdf::{render_pages, text, Op, Paper, GREY, INK, MARGIN, ROUTE};
use crate::sheets::SheetLanguage;

const LIGHT: (u8, u8, u8) = (150, 190, 215);
const RULE: (u8, u8, u8) = (200, 200, 200);
const LINE: f32 = 13.0;
/// Most areas and items listed before "… more".
const AREAS_SHOWN: usize = 12;
const ITEMS_SHOWN: usize = 16;

struct Pages {
    pages: Vec<Vec<Op>>,
    y: f32,
    height: f32,
}

impl Pages {
    fn new(height: f32) -> Self {
        Pages { pages: vec![vec![]], y: MARGIN, height }
    }
    fn ops(&mut self) -> &mut Vec<Op> {
        self.pages.last_mut().expect("a page")
    }
    /// Room for `h` more points on this page, or a new page.
    fn room(&mut self, h: f32) {
        if self.y + h > self.height - MARGIN {
            self.pages.push(vec![]);
            self.y = MARGIN;
        }
    }
    fn heading(&mut self, s: &str) {
        self.room(LINE * 4.0);
        self.y += 10.0;
        let y = self.y + 11.0;
        self.ops().push(text(MARGIN, y, 12.0, true, s));
        self.y += LINE + 4.0;
    }
    /// One table row: the cells at the columns' x positions (the first left, the rest numbers).
    fn row(&mut self, cells: &[String], xs: &[f32], bold: bool) {
        self.room(LINE);
        let y = self.y + 9.5;
        for (cell, &x) in cells.iter().zip(xs) {
            self.ops().push(text(x, y, 9.0, bold, cell.clone()));
        }
        self.y += LINE;
    }
    fn rule(&mut self, width: f32) {
        let y = self.y + 2.0;
        self.ops().push(Op::Line { points: vec![(MARGIN, y), (MARGIN + width, y)], width: 0.5, color: RULE });
        self.y += 4.0;
    }
}

fn n(x: f64) -> String {
    crate::text::number(x)
}

/// The report as a PDF in `language`.
pub fn render(report: &Report, language: SheetLanguage) -> Result<Vec<u8>> {
    let w = words(language);
    let paper = Paper::A4;
    let (pw, ph) = paper.size();
    let width = pw - 2.0 * MARGIN;
    let mut p = Pages::new(ph);

    let title = format!("{} — {}", w.title, report.day);
    let y = p.y;
    p.ops().push(text(MARGIN, y + 16.0, 17.0, true, title));
    p.y += 24.0;
    let y = p.y;
    p.ops().push(text(MARGIN, y + 10.0, 9.0, false, report.operation.clone()));
    p.y += LINE;
    let made = report.made_at.get(..16).unwrap_or(&report.made_at).replace('T', " ");
    let line = format!("{} {made} UTC. {}", w.as_of, w.anonymous);
    let y = p.y;
    p.ops().push(Op::Text { x: MARGIN, y: y + 10.0, size: 8.5, bold: false, text: line, color: GREY });
    p.y += LINE;

    deliveries(&mut p, report, w, width);
    per_day_chart(&mut p, report, w, width);
    needs(&mut p, report, w, language, width);
    areas(&mut p, report, w, width);
    stock(&mut p, report, w, width);
    volunteers(&mut p, report, w);
    render_pages(p.pages, paper)
}

fn deliveries(p: &mut Pages, r: &Report, w: &Words, width: f32) {
    p.heading(w.deliveries);
    let xs = [MARGIN, MARGIN + 230.0, MARGIN + 320.0, MARGIN + 410.0];
    p.row(&[String::new(), w.today.into(), w.last_7_days.into(), w.since_start.into()], &xs, true);
    p.rule(width);
    let periods: [&OutcomeCounts; 3] = [&r.today, &r.last_7_days, &r.since_start];
    let lines: [(&str, fn(&OutcomeCounts) -> u32); 6] = [
        (w.households_reached, |c| c.households_reached),
        (w.delivered, |c| c.delivered),
        (w.partly, |c| c.partly),
        (w.nobody_home, |c| c.nobody_home),
        (w.refused, |c| c.refused),
        (w.unsafe_, |c| c.unsafe_),
    ];
    for (i, (label, f)) in lines.iter().enumerate() {
        let mut cells = vec![label.to_string()];
        cells.extend(periods.iter().map(|c| f(c).to_string()));
        p.row(&cells, &xs, i == 0);
    }
}

/// Visits per day as bars: delivered or partly (dark), the other outcomes stacked (light).
fn per_day_chart(p: &mut Pages, r: &Report, w: &Words, width: f32) {
    p.heading(w.per_day);
    let h = 70.0;
    p.room(h + 20.0);
    let top = p.y;
    let most = r.per_day.iter().map(|d| d.outcomes.visits()).max().unwrap_or(0).max(1) as f32;
    let slot = width / r.per_day.len().max(1) as f32;
    let (mut dark, mut light) = (vec![], vec![]);
    for (i, d) in r.per_day.iter().enumerate() {
        let x = MARGIN + i as f32 * slot + slot * 0.15;
        let bw = slot * 0.7;
        let handed = (d.outcomes.delivered + d.outcomes.partly) as f32;
        let other = d.outcomes.visits() as f32 - handed;
        let hd = h * handed / most;
        let ho = h * other / most;
        dark.push((x, top + h - hd, bw, hd));
        light.push((x, top + h - hd - ho, bw, ho));
        let total = d.outcomes.visits();
        if total > 0 {
            p.ops().push(text(x, top + h - hd - ho - 2.0, 6.5, false, total.to_string()));
        }
        let label = d.day.get(5..).unwrap_or(&d.day).to_string();
        p.ops().push(Op::Text { x, y: top + h + 9.0, size: 6.5, bold: false, text: label, color: GREY });
    }
    p.ops().push(Op::Rects { rects: dark.into_iter().filter(|r| r.3 > 0.0).collect(), color: ROUTE });
    p.ops().push(Op::Rects { rects: light.into_iter().filter(|r| r.3 > 0.0).collect(), color: LIGHT });
    p.ops().push(Op::Line { points: vec![(MARGIN, top + h), (MARGIN + width, top + h)], width: 0.5, color: INK });
    p.y = top + h + 14.0;
}

fn needs(p: &mut Pages, r: &Report, w: &Words, language: SheetLanguage, width: f32) {
    let o = &r.open_needs;
    p.heading(&format!("{} — {}", w.open_needs, o.total));
    let xs = [MARGIN, MARGIN + 120.0, MARGIN + 260.0, MARGIN + 400.0];
    let rows = [
        (w.critical, o.critical, w.under_1_day, o.under_1_day),
        (w.high, o.high, w.days_1_to_3, o.days_1_to_3),
        (w.normal, o.normal, w.days_3_to_7, o.days_3_to_7),
        (w.low, o.low, w.over_7_days, o.over_7_days),
    ];
    p.row(&[w.total.into(), o.total.to_string(), w.by_age.into(), String::new()], &xs, true);
    p.rule(width);
    for (a, x, b, y) in rows {
        p.row(&[a.into(), x.to_string(), b.into(), y.to_string()], &xs, false);
    }
    if r.oldest_critical.is_empty() {
        return;
    }
    p.heading(w.oldest_critical);
    let xs = [MARGIN, MARGIN + 190.0, MARGIN + 250.0];
    let categories = crate::sheets::Words::of(language);
    for need in &r.oldest_critical {
        let what = format!("{} · {} {}", categories.category(need.category), n(need.quantity), need.unit);
        p.row(&[what, need.days_waiting.to_string(), reason(language, &need.reason).into()], &xs, false);
    }
}

fn areas(p: &mut Pages, r: &Report, w: &Words, width: f32) {
    if r.areas.is_empty() {
        return;
    }
    p.heading(w.areas);
    let xs = [MARGIN, MARGIN + 200.0, MARGIN + 270.0, MARGIN + 340.0, MARGIN + 410.0];
    p.row(&[w.area.into(), w.households.into(), w.open_needs.into(), w.critical.into(), w.visits_7.into()], &xs, true);
    p.rule(width);
    for a in r.areas.iter().take(AREAS_SHOWN) {
        let cells = [
            a.label.clone(),
            a.households.to_string(),
            a.open_needs.to_string(),
            a.critical_needs.to_string(),
            a.visits_7_days.to_string(),
        ];
        p.row(&cells, &xs, false);
    }
    if r.areas.len() > AREAS_SHOWN {
        p.row(&[format!("… {} {}", r.areas.len() - AREAS_SHOWN, w.more_areas)], &xs, false);
    }
}

fn stock(p: &mut Pages, r: &Report, w: &Words, width: f32) {
    if r.stock.is_empty() {
        return;
    }
    p.heading(w.stock);
    let xs = [MARGIN, MARGIN + 200.0, MARGIN + 270.0, MARGIN + 340.0, MARGIN + 420.0];
    p.row(
        &[w.item.into(), w.on_hand.into(), w.reserved.into(), w.issued_per_day.into(), w.days_cover.into()],
        &xs,
        true,
    );
    p.rule(width);
    for s in r.stock.iter().take(ITEMS_SHOWN) {
        let low = s.days_of_cover.is_some_and(|d| d < super::LOW_COVER_DAYS);
        let cells = [
            format!("{} ({})", s.item, s.unit),
            n(s.on_hand),
            n(s.reserved),
            n(s.issued_per_day),
            s.days_of_cover.map(n).unwrap_or_else(|| "—".into()),
        ];
        p.row(&cells, &xs, low);
    }
    if r.stock.len() > ITEMS_SHOWN {
        p.row(&[format!("… {} {}", r.stock.len() - ITEMS_SHOWN, w.more_items)], &xs, false);
    }
}

fn volunteers(p: &mut Pages, r: &Report, w: &Words) {
    let v = &r.volunteers;
    p.heading(w.volunteers);
    let xs = [MARGIN, MARGIN + 200.0];
    let hours: f64 = r.per_day.iter().rev().take(7).map(|d| d.hours_on_runs).sum();
    p.row(&[w.active_drivers.into(), v.active_drivers.to_string()], &xs, false);
    p.row(&[w.hours_on_runs.into(), n(hours)], &xs, false);
    for s in &v.shifts_ahead {
        let line = format!("{} ({} {})", s.shifts, s.with_vehicle, w.with_vehicle);
        p.row(&[format!("{} {}", w.shifts_ahead, s.day), line], &xs, false);
    }
    let tomorrow = format!(
        "{} ({} {}, {} {})",
        v.vehicles_tomorrow, v.coolers_tomorrow, w.coolers, v.high_clearance_tomorrow, w.high_clearance
    );
    p.row(&[w.vehicles_tomorrow.into(), tomorrow], &xs, false);
}
