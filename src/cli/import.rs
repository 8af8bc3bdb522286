//! `aidmap import` and `aidmap duplicates`: the report as text lines, or JSON with `--json`.

use std::io::Write;
use std::path::Path;

use aidmap::import::{Mapping, Table};
use aidmap::region::RegionPack;
use aidmap::vocab::ImportKind;
use aidmap::{Error, Store};

pub struct ImportArgs<'a> {
    pub kind: ImportKind,
    pub file: &'a Path,
    pub mapping: Option<&'a Path>,
    pub region: Option<&'a Path>,
    /// What to do with rows whose coordinates are doubted, over the mapping's.
    pub coordinates: Option<&'a str>,
    pub dry_run: bool,
    pub json: bool,
}

pub fn import(store: &mut Store, out: &mut impl Write, args: &ImportArgs<'_>) -> Result<(), Error> {
    let ImportArgs { kind, file, mapping, region, coordinates, dry_run, json } = *args;
    let (table, name): (Table, String) = aidmap::import::table::read_file(file)?;
    // A mapping file that does not read is said as such (it once came out as "this operation
    // file is damaged", the error of stored JSON).
    let mut mapping: Option<Mapping> = match mapping {
        Some(m) => Some(
            serde_json::from_str(&std::fs::read_to_string(m)?)
                .map_err(|_| Error::UnreadableFile("the --mapping file is not a mapping (JSON with \"columns\")"))?,
        ),
        None => None,
    };
    if let Some(c) = coordinates {
        let m = mapping.get_or_insert_with(|| aidmap::import::suggest(kind, &table.headers));
        m.coordinates = Some(c.to_string());
    }
    // The operation's own region pack unless another is named.
    let pack_path = region.map(Path::to_path_buf).unwrap_or_else(|| aidmap::region::pack_path_for(store.path()));
    let pack = if pack_path.exists() { Some(RegionPack::open(&pack_path)?) } else { None };
    let report = store.import_table(kind, &table, mapping.as_ref(), &name, pack.as_ref(), dry_run)?;
    if json {
        serde_json::to_writer_pretty(&mut *out, &report)?;
        writeln!(out)?;
        return Ok(());
    }
    let verb = if dry_run { "would import" } else { "imported" };
    writeln!(
        out,
        "{verb} {name} ({}): {} rows, {} {} created, {} skipped, {} waiting to be placed on the map",
        report.encoding,
        report.rows,
        report.created,
        kind.key(),
        report.skipped,
        report.to_place
    )?;
    let g = &report.geocoded;
    if g.matched + g.ambiguous + g.not_found > 0 {
        writeln!(out, "addresses: {} found, {} ambiguous, {} not found", g.matched, g.ambiguous, g.not_found)?;
    }
    if report.needs_created > 0 {
        writeln!(out, "{} needs created with the households", report.needs_created)?;
    }
    if report.coordinates_flagged > 0 {
        writeln!(
            out,
            "{} rows with doubted coordinates (each below, with what was done: --coordinates to choose)",
            report.coordinates_flagged
        )?;
    }
    for u in &report.unchecked {
        match u.as_str() {
            "water" => {
                writeln!(out, "water not checked: the region pack predates water areas (import the extract again)")?
            }
            _ => writeln!(out, "coordinates not checked: no region pack")?,
        }
    }
    if report.possible_duplicates > 0 {
        writeln!(out, "{} possible duplicates: see `aidmap duplicates`", report.possible_duplicates)?;
    }
    const SHOWN: usize = 100;
    for p in report.problems.iter().take(SHOWN) {
        let column = p.column.as_deref().map(|c| format!(", column \"{c}\"")).unwrap_or_default();
        let mut detail = String::new();
        if let Some(d) = p.distance_m {
            detail.push_str(&format!(" ({d} m)"));
        }
        if let Some(v) = p.value {
            detail.push_str(&format!(" (the cell holds {v})"));
        }
        if let Some(c) = &p.choice {
            detail.push_str(&format!(" → {c} (of {})", p.choices.join(", ")));
        }
        writeln!(out, "row {}{column}: {}{detail}", p.row, p.message)?;
    }
    if report.problems.len() > SHOWN {
        writeln!(out, "… and {} more problems (all of them with --json)", report.problems.len() - SHOWN)?;
    }
    Ok(())
}

pub fn duplicates(store: &Store, out: &mut impl Write, json: bool) -> Result<(), Error> {
    let pairs = store.duplicates()?;
    if json {
        serde_json::to_writer_pretty(&mut *out, &pairs)?;
        writeln!(out)?;
    } else {
        for p in &pairs {
            writeln!(out, "{} {} {:.2} {}", p.a, p.b, p.score, p.reasons.join(","))?;
        }
        writeln!(out, "{} likely duplicate pairs", pairs.len())?;
    }
    Ok(())
}
