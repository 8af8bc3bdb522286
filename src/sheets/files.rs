//! Writing sheets to a folder: which plan (a run, or a date's dispatched plan — else its draft),
//! one file per run (CSV: one file for all), each written under a temporary name and renamed,
//! recorded in the audit log before it appears (what, how many, never values).

use std::path::{Path, PathBuf};

use super::{file_stem, from_view, Sheet, SheetOptions};
use crate::audit::AuditAction;
use crate::error::{Error, Result};
use crate::files::{rename_durably, sibling};
use crate::plan::types::PlanStatus;
use crate::region::RegionPack;
use crate::Store;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetFormat {
    Gpx,
    Html,
    Csv,
    /// One PDF per run; `combined`: also one file with every run.
    Pdf {
        paper: super::pdf::Paper,
        combined: bool,
    },
}

impl SheetFormat {
    pub fn key(self) -> &'static str {
        match self {
            SheetFormat::Gpx => "gpx",
            SheetFormat::Html => "html",
            SheetFormat::Csv => "csv",
            SheetFormat::Pdf { .. } => "pdf",
        }
    }
}

/// The sheet formats the app offers, as the UI names them (a typed choice end to end: an unknown
/// name never reaches the core).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum SheetChoice {
    /// PDF on A4 paper.
    Pdf,
    /// PDF on US Letter paper.
    PdfLetter,
    Html,
    Gpx,
    Csv,
}

impl SheetChoice {
    /// The format to write; `combined`: PDFs also in one file with every run.
    pub fn format(self, combined: bool) -> SheetFormat {
        use super::pdf::Paper;
        match self {
            SheetChoice::Pdf => SheetFormat::Pdf { paper: Paper::A4, combined },
            SheetChoice::PdfLetter => SheetFormat::Pdf { paper: Paper::Letter, combined },
            SheetChoice::Html => SheetFormat::Html,
            SheetChoice::Gpx => SheetFormat::Gpx,
            SheetChoice::Csv => SheetFormat::Csv,
        }
    }
}

/// What to export: one run, or every run of a date.
pub enum Which<'a> {
    Run(&'a str),
    Day(&'a str),
    /// Every run of this plan.
    Plan(&'a str),
}

/// The plan and sheets `which` names.
pub fn sheets(
    store: &Store,
    region: Option<&RegionPack>,
    which: &Which<'_>,
    options: &SheetOptions,
) -> Result<Vec<Sheet>> {
    let plans = store.plans()?;
    let (plan_id, run) = match which {
        Which::Run(run) => {
            let plan: String = store
                .conn()
                .query_row("SELECT plan_id FROM plan_run WHERE id = ?1", [run], |r| r.get(0))
                .map_err(|_| Error::NotFound("run"))?;
            (plan, Some(*run))
        }
        Which::Plan(id) => (id.to_string(), None),
        Which::Day(day) => {
            let pick = |status: PlanStatus| plans.iter().find(|p| p.day == *day && p.status == status);
            let plan = pick(PlanStatus::Dispatched)
                .or_else(|| pick(PlanStatus::Completed))
                .or_else(|| pick(PlanStatus::Draft))
                .ok_or(Error::NotFound("plan"))?;
            (plan.id.clone(), None)
        }
    };
    let view = store.plan_view(region, &plan_id)?;
    let streets = region.and_then(|r| r.router()).map(super::cross::Streets::new);
    from_view(store, &view, run, options, streets.as_ref())
}

/// What the app and the CLI call: the sheets `which` names, with the basemap under their maps
/// when they are PDFs (no other format draws a map, so no tile is decoded for them), written
/// into `dir`.
pub fn write(
    store: &mut Store,
    region: Option<&RegionPack>,
    which: &Which<'_>,
    options: &SheetOptions,
    format: SheetFormat,
    dir: &Path,
) -> Result<Vec<PathBuf>> {
    let mut list = sheets(store, region, which, options)?;
    if let (Some(pack), SheetFormat::Pdf { .. }) = (region, format) {
        add_basemap(pack, &mut list)?;
    }
    export(store, &list, format, dir)
}

/// One stop as the sheets would carry it with `options`, for the export dialog's preview: the
/// stop of the plan with the most optional fields filled, so the toggles show their effect.
pub fn preview(
    store: &Store,
    region: Option<&RegionPack>,
    plan_id: &str,
    options: &SheetOptions,
) -> Result<Option<super::SheetPreview>> {
    let view = store.plan_view(region, plan_id)?;
    let streets = region.and_then(|r| r.router()).map(super::cross::Streets::new);
    let all = SheetOptions {
        fields: super::SheetFields { phone: true, access_notes: true, flags: true, driver_notes: true },
        ..options.clone()
    };
    let richest = |sheets: &[Sheet]| -> Option<(usize, usize)> {
        let filled = |s: &super::SheetStop| {
            [s.phone.is_some(), s.access_notes.is_some(), s.driver_notes.is_some(), s.cold_chain || s.medical_priority]
                .iter()
                .filter(|b| **b)
                .count()
        };
        let mut best: Option<(usize, usize, usize)> = None;
        for (i, sheet) in sheets.iter().enumerate() {
            for (k, stop) in sheet.stops.iter().enumerate() {
                if best.is_none_or(|b| filled(stop) > b.2) {
                    best = Some((i, k, filled(stop)));
                }
            }
        }
        best.map(|(i, k, _)| (i, k))
    };
    // The stop is picked with every field on, so switching one off shows it gone.
    let full = from_view(store, &view, None, &all, streets.as_ref())?;
    let Some((i, k)) = richest(&full) else { return Ok(None) };
    let sheets = from_view(store, &view, Some(&full[i].run_id), options, streets.as_ref())?;
    let sheet = &sheets[0];
    Ok(Some(super::SheetPreview {
        title: super::Words::of(options.language).title(sheet.run_number, &sheet.day),
        driver: sheet.driver.clone(),
        destroy: super::Words::of(options.language).destroy(&sheet.destroy_after),
        stop: sheet.stops[k].clone(),
    }))
}

/// Puts the basemap under each sheet's map, where the pack has one (a damaged basemap leaves
/// the map without it rather than failing the export).
pub fn add_basemap(pack: &RegionPack, sheets: &mut [Sheet]) -> Result<()> {
    let Some(archive) = pack.basemap()? else { return Ok(()) };
    let info = pack.info();
    let boxes: Vec<_> = sheets.iter().map(super::pdf::map::world_box).collect();
    if let Ok(tiles) = super::map_background::shapes(archive, info.min_zoom, info.max_zoom, &boxes) {
        for (sheet, tiles) in sheets.iter_mut().zip(tiles) {
            sheet.basemap = tiles;
        }
    }
    Ok(())
}

fn write_one(path: &Path, f: impl FnOnce(&mut std::fs::File) -> Result<()>) -> Result<()> {
    let tmp = sibling(path, ".part");
    let result = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        f(&mut file)?;
        file.sync_all()?;
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Writes the sheets into `dir`; returns the files written. All or nothing: every file is
/// written under a temporary name first, the export is recorded in the audit log, then the
/// files are renamed; any failure on the way (a render, a full disk, the log) removes what this
/// export wrote, so no half set of sheets with personal data is left behind.
pub fn export(store: &mut Store, sheets: &[Sheet], format: SheetFormat, dir: &Path) -> Result<Vec<PathBuf>> {
    if sheets.is_empty() {
        return Err(Error::NotFound("run"));
    }
    std::fs::create_dir_all(dir)?;
    let mut files: Vec<PathBuf> = Vec::new();
    let mut renamed = 0;
    let result = (|| {
        write_parts(sheets, format, dir, &mut files)?;
        let stops: usize = sheets.iter().map(|s| s.stops.len()).sum();
        let detail = format!("route sheets {}: {} runs, {stops} stops", format.key(), sheets.len());
        let ids: Vec<&str> = sheets.iter().map(|s| s.run_id.as_str()).collect();
        if !store.read_only() {
            store.record(AuditAction::Export, "plan", &ids, &detail)?;
        }
        for path in &files {
            rename_durably(&sibling(path, ".part"), path)?;
            renamed += 1;
        }
        Ok(())
    })();
    if result.is_err() {
        for (k, path) in files.iter().enumerate() {
            let _ = std::fs::remove_file(if k < renamed { path.clone() } else { sibling(path, ".part") });
        }
    }
    result.map(|()| files)
}

/// Every file of the export under its temporary name; `files` gets each final name as its
/// temporary file is complete.
fn write_parts(sheets: &[Sheet], format: SheetFormat, dir: &Path, files: &mut Vec<PathBuf>) -> Result<()> {
    match format {
        SheetFormat::Csv => {
            let name = if sheets.len() == 1 { file_stem(&sheets[0]) } else { format!("{}-runs", sheets[0].day) };
            let path = dir.join(format!("{name}.csv"));
            write_one(&path, |f| super::csv::write(sheets, f))?;
            files.push(path);
        }
        SheetFormat::Pdf { paper, combined } => {
            // Rendering is the slow part: the runs' files on every core, the combined file
            // beside them (it renders every run again: krilla cannot join documents). All are
            // rendered before any is written.
            use rayon::prelude::*;
            let (singles, all) = rayon::join(
                || {
                    sheets
                        .par_iter()
                        .map(|s| super::pdf::render(std::slice::from_ref(s), paper))
                        .collect::<Result<Vec<_>>>()
                },
                || (combined && sheets.len() > 1).then(|| super::pdf::render(sheets, paper)).transpose(),
            );
            let (singles, all) = (singles?, all?);
            let names = sheets.iter().map(|s| format!("{}.pdf", file_stem(s)));
            let all = all.map(|bytes| (format!("{}-all-runs.pdf", sheets[0].day), bytes));
            for (name, bytes) in names.zip(singles).chain(all) {
                let path = dir.join(name);
                write_one(&path, |f| Ok(std::io::Write::write_all(f, &bytes)?))?;
                files.push(path);
            }
        }
        SheetFormat::Gpx | SheetFormat::Html => {
            for sheet in sheets {
                let path = dir.join(format!("{}.{}", file_stem(sheet), format.key()));
                write_one(&path, |f| match format {
                    SheetFormat::Gpx => super::gpx::write(sheet, f),
                    _ => super::html::write(sheet, f),
                })?;
                files.push(path);
            }
        }
    }
    Ok(())
}
