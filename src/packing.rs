//! Packing lists for the packers at each depot: per run, the items and counts to load, read from
//! the plan's stored loads (never recomputed). A kit (a food parcel) that the depot does not hold
//! packed in the quantity the runs take is listed with its components, so the packers can make up
//! the difference. No personal data: depots, runs, drivers' first names and initials, items.
//! CSV (formula-safe) and PDF (A4, the route sheets' embedded font).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;
use ts_rs::TS;

use crate::audit::AuditAction;
use crate::catalogue::Catalogue;
use crate::csv_safe::cell;
use crate::error::{Error, Result};
use crate::files::{rename_durably, sibling};
use crate::plan::types::{PlanStatus, PlanView};
use crate::sheets::words::SheetLanguage;
use crate::sheets::{number, Words};
use crate::Store;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct PackingLine {
    pub item_id: String,
    pub item_name: String,
    pub unit: String,
    pub quantity: f64,
    pub cold_chain: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct PackingRun {
    pub run_number: usize,
    /// First name and surname initial.
    pub driver: String,
    pub vehicle: String,
    pub lines: Vec<PackingLine>,
}

/// A kit the runs take more of than the depot holds packed: how many to make up, and from what.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct KitToPack {
    pub item_name: String,
    pub kits: f64,
    /// (component name, unit, quantity for all those kits).
    pub components: Vec<(String, String, f64)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct PackingDepot {
    pub site_id: String,
    pub site_name: String,
    pub runs: Vec<PackingRun>,
    /// Every run of this depot together.
    pub totals: Vec<PackingLine>,
    pub kits_to_pack: Vec<KitToPack>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct PackingList {
    pub plan_id: String,
    pub day: String,
    pub depots: Vec<PackingDepot>,
}

fn add(lines: &mut Vec<PackingLine>, line: &PackingLine) {
    match lines.iter_mut().find(|l| l.item_id == line.item_id) {
        Some(l) => l.quantity += line.quantity,
        None => lines.push(line.clone()),
    }
}

/// The packing list of a plan, from its view's stored loads. `on_hand` (site, item) is what the
/// depot holds now: kits are expanded only for a draft (a dispatched plan has issued them).
pub fn from_view(view: &PlanView, catalogue: &Catalogue, on_hand: &dyn Fn(&str, &str) -> f64) -> PackingList {
    let mut depots: Vec<PackingDepot> = Vec::new();
    for (k, run) in view.runs.iter().enumerate() {
        if run.stops.is_empty() {
            continue;
        }
        let mut lines: Vec<PackingLine> = Vec::new();
        for load in run.stops.iter().flat_map(|s| &s.loads) {
            let line = PackingLine {
                item_id: load.item_id.clone(),
                item_name: load.item_name.clone(),
                unit: load.unit.clone(),
                quantity: load.quantity,
                cold_chain: catalogue.item(&load.item_id).is_some_and(|i| i.cold_chain),
            };
            add(&mut lines, &line);
        }
        lines.sort_by(|a, b| a.item_name.cmp(&b.item_name));
        let depot = match depots.iter_mut().position(|d| d.site_id == run.site_id) {
            Some(i) => &mut depots[i],
            None => {
                depots.push(PackingDepot {
                    site_id: run.site_id.clone(),
                    site_name: run.site_name.clone(),
                    runs: vec![],
                    totals: vec![],
                    kits_to_pack: vec![],
                });
                depots.last_mut().unwrap()
            }
        };
        for l in &lines {
            add(&mut depot.totals, l);
        }
        depot.runs.push(PackingRun {
            run_number: k + 1,
            driver: crate::sheets::driver_label(&run.driver),
            vehicle: run.vehicle.clone(),
            lines,
        });
    }
    for depot in &mut depots {
        depot.totals.sort_by(|a, b| a.item_name.cmp(&b.item_name));
        if view.info.status != PlanStatus::Draft {
            continue;
        }
        for total in &depot.totals {
            let Some(parts) = catalogue.kit(&total.item_id) else { continue };
            let kits = (total.quantity - on_hand(&depot.site_id, &total.item_id).max(0.0)).max(0.0).ceil();
            if kits <= 0.0 {
                continue;
            }
            let components = parts
                .iter()
                .filter_map(|p| catalogue.item(&p.item_id).map(|i| (i.name.clone(), i.unit.clone(), p.quantity * kits)))
                .collect();
            depot.kits_to_pack.push(KitToPack { item_name: total.item_name.clone(), kits, components });
        }
    }
    PackingList { plan_id: view.info.id.clone(), day: view.info.day.clone(), depots }
}

pub const HEADER: [&str; 8] = ["depot", "run", "driver", "vehicle", "item", "unit", "quantity", "cold_chain"];

/// One row per depot, run and item; then per depot the kits to make up from components (run
/// "kits").
pub fn write_csv(list: &PackingList, out: impl Write) -> Result<()> {
    let mut w = ::csv::Writer::from_writer(out);
    w.write_record(HEADER).map_err(crate::export::writers::csv_error)?;
    for d in &list.depots {
        for r in &d.runs {
            for l in &r.lines {
                w.write_record([
                    cell(&d.site_name),
                    r.run_number.to_string(),
                    cell(&r.driver),
                    cell(&r.vehicle),
                    cell(&l.item_name),
                    cell(&l.unit),
                    number(l.quantity),
                    l.cold_chain.to_string(),
                ])
                .map_err(crate::export::writers::csv_error)?;
            }
        }
        for k in &d.kits_to_pack {
            for (name, unit, q) in &k.components {
                w.write_record([
                    cell(&d.site_name),
                    "kits".into(),
                    String::new(),
                    String::new(),
                    cell(&format!("{} → {name}", k.item_name)),
                    cell(unit),
                    number(*q),
                    "false".into(),
                ])
                .map_err(crate::export::writers::csv_error)?;
            }
        }
    }
    w.flush()?;
    Ok(())
}

/// The list as an A4 PDF: one page (or more) per depot, each run's items with ☐ boxes.
pub fn write_pdf(list: &PackingList, language: SheetLanguage) -> Result<Vec<u8>> {
    use krilla::color::rgb;
    use krilla::geom::Point;
    use krilla::page::PageSettings;
    use krilla::paint::{Fill, FillRule};
    use krilla::text::{Font, TextDirection};
    let regular = Font::new(crate::sheets::pdf::REGULAR.into(), 0).ok_or(Error::Internal("font".into()))?;
    let bold = Font::new(crate::sheets::pdf::BOLD.into(), 0).ok_or(Error::Internal("font".into()))?;
    let w = Words::of(language);
    // Lines first (text, size, bold, indent), then pages.
    let mut pages: Vec<Vec<(String, f32, bool, f32)>> = Vec::new();
    for d in &list.depots {
        let mut lines = vec![(format!("{} — {} — {}", w.packing, d.site_name, list.day), 16.0, true, 0.0)];
        for r in &d.runs {
            lines.push((String::new(), 8.0, false, 0.0));
            lines.push((format!("{} {} · {} · {}", w.run, r.run_number, r.driver, r.vehicle), 13.0, true, 0.0));
            for l in &r.lines {
                let cold = if l.cold_chain { format!("  ❄ {}", w.cold_chain) } else { String::new() };
                lines.push((
                    format!("☐  {} × {} ({}){cold}", number(l.quantity), l.item_name, l.unit),
                    12.0,
                    false,
                    12.0,
                ));
            }
        }
        lines.push((String::new(), 8.0, false, 0.0));
        lines.push((w.to_load.to_string(), 13.0, true, 0.0));
        for l in &d.totals {
            lines.push((format!("{} × {} ({})", number(l.quantity), l.item_name, l.unit), 11.0, false, 12.0));
        }
        for k in &d.kits_to_pack {
            lines.push((String::new(), 8.0, false, 0.0));
            lines.push((format!("{} × {} — {}", number(k.kits), k.item_name, w.unpacked_kits), 12.0, true, 0.0));
            for (name, unit, q) in &k.components {
                lines.push((format!("☐  {} × {name} ({unit})", number(*q)), 11.0, false, 12.0));
            }
        }
        pages.push(lines);
    }
    let (pw, ph) = crate::sheets::pdf::Paper::A4.size();
    let mut document = krilla::Document::new();
    let ink = Some(Fill {
        paint: rgb::Color::new(17, 17, 17).into(),
        opacity: krilla::num::NormalizedF32::ONE,
        rule: FillRule::NonZero,
    });
    for lines in pages {
        let mut chunks: Vec<Vec<(String, f32, bool, f32)>> = vec![vec![]];
        let mut y = 48.0;
        for line in lines {
            y += line.1 * 1.5;
            if y > ph - 40.0 {
                chunks.push(vec![]);
                y = 48.0 + line.1 * 1.5;
            }
            chunks.last_mut().unwrap().push(line);
        }
        for chunk in chunks {
            let settings = PageSettings::from_wh(pw, ph).ok_or(Error::Internal("page size".into()))?;
            let mut page = document.start_page_with(settings);
            let mut surface = page.surface();
            surface.set_fill(ink.clone());
            let mut y = 48.0;
            for (text, size, b, indent) in chunk {
                y += size * 1.5;
                if !text.is_empty() {
                    let font = if b { bold.clone() } else { regular.clone() };
                    surface.draw_text(Point::from_xy(40.0 + indent, y), font, size, &text, false, TextDirection::Auto);
                }
            }
            surface.finish();
            page.finish();
        }
    }
    document.finish().map_err(|e| Error::Internal(format!("PDF: {e:?}")))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum PackingFormat {
    Csv,
    Pdf,
}

/// The packing list of `plan_id` (or the day's dispatched plan, else its draft) written into
/// `dir` as `DAY-packing.csv|pdf`, under a temporary name, recorded in the audit log, renamed.
pub fn export(store: &mut Store, plan_id: &str, format: PackingFormat, dir: &Path) -> Result<PathBuf> {
    let view = store.plan_view(None, plan_id)?;
    let catalogue = Catalogue::read(store.conn())?;
    let mut levels: BTreeMap<(String, String), f64> = BTreeMap::new();
    for d in view.runs.iter().map(|r| r.site_id.clone()) {
        for row in store.stock(&d)? {
            levels.insert((d.clone(), row.item.id.clone()), row.quantity);
        }
    }
    let list =
        from_view(&view, &catalogue, &|s, i| levels.get(&(s.to_string(), i.to_string())).copied().unwrap_or(0.0));
    if list.depots.is_empty() {
        return Err(Error::NotFound("run"));
    }
    std::fs::create_dir_all(dir)?;
    let (ext, bytes) = match format {
        PackingFormat::Csv => {
            let mut buf = Vec::new();
            write_csv(&list, &mut buf)?;
            ("csv", buf)
        }
        PackingFormat::Pdf => ("pdf", write_pdf(&list, store.sheet_options()?.language)?),
    };
    let path = dir.join(format!("{}-packing.{ext}", list.day));
    let tmp = sibling(&path, ".part");
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(&bytes)?;
        f.sync_all()?;
        if !store.read_only() {
            let detail = format!("packing list {ext}: {} depots", list.depots.len());
            store.record(AuditAction::Export, "plan", &[plan_id], &detail)?;
        }
        rename_durably(&tmp, &path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map(|()| path)
}
