//! The `aidmap` command line: a thin shell over the core, for scripts, tests and support.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use aidmap::audit::AuditFilter;
use aidmap::demo::{self, DemoOptions};
use aidmap::export::{ExportFormat, ExportKind, ExportRequest};
use aidmap::vocab::{AuditAction, ImportKind};
use aidmap::{backup, csv_safe, ids, region, Error, OpenMode, Store};
use clap::Parser;

mod args;
mod formats;
mod import;
mod items;
mod report;
mod sync;
mod vrp;
use args::*;
use formats::{csv_error, export_csv, needs_csv, read_points, write_json};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // Usage errors are one line on stderr like every other error; help and version print as usual.
        Err(e) if e.use_stderr() && e.kind() != clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            eprintln!("aidmap: {}", one_line(&e));
            return ExitCode::from(2);
        }
        Err(e) => e.exit(),
    };
    let passphrase = match passphrase(cli.passphrase_file.as_deref()) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("aidmap: {e}");
            return ExitCode::FAILURE;
        }
    };
    let ctx = Ctx { passphrase, operator: cli.operator };
    match run(cli.command, &ctx) {
        Ok(()) => ExitCode::SUCCESS,
        // The reader went away (`| head`): not an error of ours.
        Err(Error::Io(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("aidmap: {e}");
            ExitCode::FAILURE
        }
    }
}

/// A clap error's message without the usage and "try --help" hints that follow it.
fn one_line(e: &clap::Error) -> String {
    let text = e.to_string();
    let message: Vec<&str> = text.lines().map(str::trim).take_while(|l| !l.is_empty()).collect();
    message.join(" ").trim_start_matches("error: ").to_string()
}

fn installation() -> Result<String, Error> {
    Ok(ids::installation_id(&ids::cli_config_dir())?)
}

/// The passphrase from `--passphrase-file` (first line) or `AIDMAP_PASSPHRASE`, if any.
fn passphrase(file: Option<&Path>) -> Result<Option<String>, String> {
    if let Some(file) = file {
        let text = std::fs::read_to_string(file).map_err(|e| format!("cannot read the passphrase file: {e}"))?;
        return Ok(Some(text.lines().next().unwrap_or("").to_string()));
    }
    Ok(std::env::var("AIDMAP_PASSPHRASE").ok())
}

pub(crate) struct Ctx {
    passphrase: Option<String>,
    operator: String,
}

impl Ctx {
    pub(crate) fn open(&self, db: &Path, mode: OpenMode) -> Result<Store, Error> {
        let mut store = Store::unlock(db, &installation()?, mode, self.passphrase.as_deref())?;
        store.set_operator(&self.operator)?;
        Ok(store)
    }

    /// Opens for a listing of personal data, which the audit log records as an export when the
    /// file can be written.
    fn open_for_export(&self, db: &Path) -> Result<Store, Error> {
        self.open(db, OpenMode::Auto)
    }
}

fn audit_export(store: &mut Store, entity: &str, what: &str, rows: usize) -> Result<(), Error> {
    if store.read_only() {
        return Ok(());
    }
    let detail = format!("command line: {what}, {rows} rows");
    store.record(AuditAction::Export, entity, &[], &detail)
}

fn run(command: Command, ctx: &Ctx) -> Result<(), Error> {
    let passphrase = ctx.passphrase.as_deref();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match command {
        Command::Demo { out: path, households, seed, date } => {
            let date = date.unwrap_or_else(|| chrono::Local::now().date_naive());
            let started = std::time::Instant::now();
            let store = demo::write(&path, &DemoOptions { households, seed, date }, &installation()?)?;
            let info = store.info()?;
            writeln!(
                out,
                "wrote {} ({} active households, {} open needs) in {:.1} s",
                path.display(),
                info.households,
                info.open_needs,
                started.elapsed().as_secs_f64()
            )?;
        }
        Command::New { file, name } => {
            let store = Store::create_encrypted(&file, &name, &installation()?, passphrase)?;
            let how = if store.encrypted() { "encrypted" } else { "not encrypted: no passphrase given" };
            writeln!(out, "created {} ({how})", file.display())?;
        }
        Command::Sync { action } => sync::run(ctx, action, &mut out)?,
        Command::Households { action: HouseholdsAction::Set { db, id, fields } } => {
            sync::set_household(ctx, &db, &id, &fields, &mut out)?
        }
        Command::Households { action: HouseholdsAction::Merge { db, keep, merge, take } } => {
            let mut store = ctx.open(&db, OpenMode::Auto)?;
            let request = aidmap::merge::MergeRequest { kept_id: keep, merged_id: merge, take };
            let record = store.merge_households(&request)?;
            writeln!(out, "merged {} into {} (merge {})", record.merged_id, record.kept_id, record.id)?;
        }
        Command::Households { action: HouseholdsAction::List { db, format, search } } => {
            let mut store = ctx.open_for_export(&db)?;
            let only: Option<std::collections::HashSet<String>> = match search {
                None => None,
                Some(text) => {
                    Some(store.search_households(&text, 10_000, 0)?.items.into_iter().map(|h| h.id).collect())
                }
            };
            let households: Vec<_> = store
                .households()?
                .into_iter()
                .filter(|h| only.as_ref().is_none_or(|only| only.contains(&h.id)))
                .collect();
            // Recorded before anything is printed: no unrecorded export.
            audit_export(&mut store, "household", "households list", households.len())?;
            match format {
                Format::Json => write_json(&mut out, &households)?,
                Format::Csv => export_csv(&store, &mut out, ExportKind::Households, only.as_ref())?,
            }
        }
        Command::Sites { action: ListAction::List { db, format } } => {
            let store = ctx.open(&db, OpenMode::ReadOnly)?;
            let sites = store.sites_with_stock()?;
            match format {
                Format::Json => write_json(&mut out, &sites)?,
                Format::Csv => export_csv(&store, &mut out, ExportKind::Sites, None)?,
            }
        }
        Command::Volunteers { action: ListAction::List { db, format } } => {
            let mut store = ctx.open_for_export(&db)?;
            let volunteers = store.volunteer_details()?;
            audit_export(&mut store, "volunteer", "volunteers list", volunteers.len())?;
            match format {
                Format::Json => write_json(&mut out, &volunteers)?,
                Format::Csv => export_csv(&store, &mut out, ExportKind::Volunteers, None)?,
            }
        }
        Command::Needs { action: NeedsAction::List { db, status, format } } => {
            let mut store = ctx.open_for_export(&db)?;
            let needs = store.needs(status)?;
            audit_export(&mut store, "need", "needs list", needs.len())?;
            match format {
                Format::Json => write_json(&mut out, &items::needs_with_plans(&store, needs)?)?,
                Format::Csv => needs_csv(&mut out, &needs)?,
            }
        }
        Command::Needs {
            action: NeedsAction::Add { db, household, item, quantity, unit, urgency, wanted_by, notes },
        } => {
            let mut store = ctx.open(&db, OpenMode::Auto)?;
            let need = items::NewNeed {
                household: &household,
                item: &item,
                quantity,
                unit: unit.as_deref(),
                urgency: &urgency,
                wanted_by,
                notes: &notes,
            };
            items::add_need(&mut store, &mut out, need)?;
        }
        Command::Items { action: ListAction::List { db, format } } => {
            let store = ctx.open(&db, OpenMode::ReadOnly)?;
            items::items(&store, &mut out, matches!(format, Format::Csv))?;
        }
        Command::Backup { db, out: file } => {
            let mut store = ctx.open(&db, OpenMode::Auto)?;
            store.backup_to(&file)?;
            let how = if store.encrypted() { "encrypted with the operation's passphrase" } else { "not encrypted" };
            writeln!(out, "backed up {} to {} (verified; {how})", db.display(), file.display())?;
        }
        Command::Restore { file, out: db } => {
            let store = backup::restore(&file, &db, &installation()?, passphrase, &ctx.operator)?;
            let info = store.info()?;
            writeln!(
                out,
                "restored {} to {} (integrity checked; {} active households, {} open needs)",
                file.display(),
                db.display(),
                info.households,
                info.open_needs
            )?;
        }
        Command::Audit { db, json, action, by, record, since, until, limit } => {
            let store = ctx.open(&db, OpenMode::ReadOnly)?;
            let filter = AuditFilter {
                action,
                operator: by,
                entity: None,
                record_id: record,
                from: since.map(|d| d.to_string()),
                to: until.map(|d| d.to_string()),
            };
            let page = store.audit(&filter, limit, 0)?;
            if json {
                write_json(&mut out, &page.items)?;
            } else {
                // Operator and file names are user text: a CR/LF in an imported file's name
                // forged a second audit line on the terminal. Controls are printed escaped.
                let clean = |s: &str| -> String {
                    s.chars()
                        .flat_map(|c| if c.is_control() { c.escape_default().collect() } else { vec![c] })
                        .collect()
                };
                for e in &page.items {
                    writeln!(
                        out,
                        "{}  {:<8} {:<10} {}  by {}{}{}",
                        e.at,
                        e.action.key(),
                        e.entity,
                        e.record_ids.join(","),
                        clean(&e.operator),
                        if e.detail.is_empty() { "" } else { "  — " },
                        clean(&e.detail)
                    )?;
                }
                writeln!(out, "{} of {} entries", page.items.len(), page.total)?;
            }
        }
        Command::Region { action: RegionAction::Build { extract, out: file } } => {
            let started = std::time::Instant::now();
            let mut last = String::new();
            let info = region::build(&extract, &file, chrono::Utc::now(), &mut |phase, n| {
                if phase != last {
                    eprintln!("{phase}…");
                    last = phase.to_string();
                } else if n > 0 {
                    eprintln!("{phase}: {n} elements");
                }
                true
            })?;
            writeln!(
                out,
                "built {} in {:.1} s: {} road ways ({} nodes, {} arcs), {} addresses, {} streets, {} places; skipped {} missing node references and {} ways",
                file.display(),
                started.elapsed().as_secs_f64(),
                info.road_ways,
                info.graph_nodes,
                info.graph_arcs,
                info.addresses,
                info.streets,
                info.places,
                info.missing_node_refs,
                info.ways_skipped
            )?;
        }
        Command::Region { action: RegionAction::Info { region: file } } => {
            let pack = region::RegionPack::open(&file)?;
            serde_json::to_writer_pretty(&mut out, pack.info()).map_err(|e| Error::Internal(e.to_string()))?;
            writeln!(out)?;
        }
        Command::Region { action: RegionAction::Basemap { region: file, pmtiles } } => {
            let info =
                region::replace::Replacement::with_basemap_file(&file, &pmtiles, chrono::Utc::now())?.put_in_place()?;
            let name = info.basemap_source.as_deref().unwrap_or_default();
            eprintln!("basemap: {} tiles, zooms {}-{}, from {name}", info.tiles, info.min_zoom, info.max_zoom);
        }
        Command::Route { action: RouteAction::Matrix { region: file, points, closures, format } } => {
            let (ids, coords) = read_points(&points)?;
            let (table, estimated) = match file {
                Some(file) => {
                    let mut pack = region::RegionPack::open(&file)?;
                    match pack.router_mut() {
                        Some(router) => {
                            if let Some(c) = closures {
                                let shapes = region::closure_geojson::parse(&std::fs::read_to_string(&c)?)?;
                                router.set_closures(&shapes);
                            }
                            (router.table(&coords, &coords), false)
                        }
                        None => {
                            eprintln!("aidmap: the region pack has a basemap but no roads: straight-line estimates");
                            (region::estimate_table(&coords, &coords), true)
                        }
                    }
                }
                None => {
                    eprintln!(
                        "aidmap: no region pack: straight-line estimates (× {}, at {} km/h)",
                        region::DETOUR_FACTOR,
                        region::ESTIMATE_SPEED_KMH
                    );
                    (region::estimate_table(&coords, &coords), true)
                }
            };
            match format {
                Format::Json => {
                    // Straight to a buffered writer, no intermediate JSON tree: a 1000×1000 table is
                    // two million numbers.
                    #[derive(serde::Serialize)]
                    struct Matrix<'a> {
                        ids: &'a [String],
                        durations_s: &'a [Vec<Option<f64>>],
                        distances_m: &'a [Vec<Option<f64>>],
                        estimated: bool,
                    }
                    let matrix = Matrix {
                        ids: &ids,
                        durations_s: &table.durations_s,
                        distances_m: &table.distances_m,
                        estimated,
                    };
                    let mut buffered = std::io::BufWriter::with_capacity(1 << 20, &mut out);
                    serde_json::to_writer(&mut buffered, &matrix).map_err(|e| Error::Internal(e.to_string()))?;
                    writeln!(buffered)?;
                    buffered.flush()?;
                }
                Format::Csv => {
                    let mut w = csv::Writer::from_writer(&mut out);
                    w.write_record(["from", "to", "duration_s", "distance_m"]).map_err(csv_error)?;
                    for (i, from) in ids.iter().enumerate() {
                        for (j, to) in ids.iter().enumerate() {
                            let f = |v: Option<f64>| v.map(|v| format!("{v:.1}")).unwrap_or_default();
                            w.write_record([
                                csv_safe::cell(from),
                                csv_safe::cell(to),
                                f(table.durations_s[i][j]),
                                f(table.distances_m[i][j]),
                            ])
                            .map_err(csv_error)?;
                        }
                    }
                    w.flush()?;
                }
            }
        }
        Command::Geocode { region: file, query, limit } => {
            let pack = region::RegionPack::open(&file)?;
            write_json(&mut out, &region::locate(Some(&pack), &query, limit)?)?;
        }
        Command::Import { kind, file, db, mapping, region, coordinates, dry_run, json } => {
            let mut store = ctx.open(&db, OpenMode::Auto)?;
            let kind = match kind {
                ImportKindArg::Households => ImportKind::Households,
                ImportKindArg::Sites => ImportKind::Sites,
                ImportKindArg::Volunteers => ImportKind::Volunteers,
            };
            let args = import::ImportArgs {
                kind,
                file: &file,
                mapping: mapping.as_deref(),
                region: region.as_deref(),
                coordinates: coordinates.as_deref(),
                dry_run,
                json,
            };
            import::import(&mut store, &mut out, &args)?;
        }
        Command::Export {
            kind: ExportKindArg::Sheets,
            db,
            format,
            out: dir,
            run,
            date,
            paper,
            combined,
            language,
            ..
        } => {
            let mut store = ctx.open(&db, OpenMode::Auto)?;
            let paper =
                if paper == "letter" { aidmap::sheets::pdf::Paper::Letter } else { aidmap::sheets::pdf::Paper::A4 };
            let language = language.and_then(|l| serde_json::from_value(serde_json::Value::String(l)).ok());
            let sheet = (format, paper, combined, language);
            vrp::sheets(&mut store, &mut out, sheet, &dir, run.as_deref(), date)?;
        }
        Command::Export { kind: ExportKindArg::Packing, db, format, out: dir, date, .. } => {
            let mut store = ctx.open(&db, OpenMode::Auto)?;
            let pdf = match format {
                ExportFormatArg::Pdf => true,
                ExportFormatArg::Csv => false,
                _ => return Err(Error::Internal("packing lists export as pdf or csv".into())),
            };
            items::packing(&mut store, &mut out, date, pdf, &dir)?;
        }
        Command::Export { kind, db, format, columns, out: file, .. } => {
            let mut store = ctx.open(&db, OpenMode::Auto)?;
            let kind = match kind {
                ExportKindArg::Households => ExportKind::Households,
                ExportKindArg::Sites => ExportKind::Sites,
                _ => ExportKind::Volunteers,
            };
            let format = match format {
                ExportFormatArg::Csv => ExportFormat::Csv,
                ExportFormatArg::Geojson => ExportFormat::Geojson,
                _ => return Err(Error::Internal("households, sites and volunteers export as csv or geojson".into())),
            };
            let summary = store.export_to(&ExportRequest { kind, format, columns, household_ids: None }, &file)?;
            let what = match (kind, format) {
                (ExportKind::Sites, ExportFormat::Csv) => "site rows (one per site and item)",
                _ => kind.key(),
            };
            writeln!(
                out,
                "exported {} {what} to {} (columns: {})",
                summary.rows,
                file.display(),
                summary.columns.join(",")
            )?;
        }
        Command::Duplicates { db, json } => {
            let store = ctx.open(&db, OpenMode::ReadOnly)?;
            import::duplicates(&store, &mut out, json)?;
        }
        Command::Solve { instance, seconds, seed, iterations, out: file } => {
            vrp::solve(&mut out, &instance, seconds, seed, iterations, file.as_deref())?;
        }
        Command::Plan { db, date, seconds, seed, iterations, json } => {
            let mut store = ctx.open(&db, OpenMode::Auto)?;
            vrp::plan(&mut store, &mut out, date, (seconds, seed, iterations), json)?;
        }
        Command::Report { db, date, format, out: file, language } => {
            let mut store = ctx.open(&db, OpenMode::Auto)?;
            report::report(&mut store, &mut out, date, &format, file.as_deref(), &language)?;
        }
        Command::Plans { action: PlansAction::List { db, json } } => {
            let store = ctx.open(&db, OpenMode::ReadOnly)?;
            vrp::plans(&store, &mut out, json)?;
        }
        Command::Plans { action: PlansAction::Show { db, plan, date, json } } => {
            let store = ctx.open(&db, OpenMode::ReadOnly)?;
            let id = items::plan_id(&store, plan.as_deref(), date)?;
            let pack = vrp::open_pack(&store)?;
            items::show(&store.plan_view(pack.as_ref(), &id)?, &mut out, json)?;
        }
        Command::Plans { action: PlansAction::Dispatch { db, plan } } => {
            let mut store = ctx.open(&db, OpenMode::Auto)?;
            let assigned = store.dispatch_plan(&plan)?;
            writeln!(out, "dispatched {plan}: {assigned} needs assigned")?;
        }
        Command::Plans { action: PlansAction::Outcome { db, plan, stop, outcome, delivered } } => {
            let mut store = ctx.open(&db, OpenMode::Auto)?;
            items::outcome(&mut store, &mut out, &plan, &stop, &outcome, &delivered)?;
        }
        Command::Vrp { action: VrpAction::Generate { stops, seed, out: file } } => {
            vrp::generate(&mut out, stops, seed, &file)?;
        }
        Command::Vrp { action: VrpAction::Check { instance, solution, json } } => {
            vrp::check(&mut out, &instance, &solution, json)?;
        }
        Command::Purge { db, dry_run } => {
            let mut store = ctx.open(&db, OpenMode::Auto)?;
            let report = if dry_run { store.purge_preview()? } else { store.purge()? };
            let verb = if dry_run { "would purge" } else { "purged" };
            writeln!(
                out,
                "{verb} {} households and {} needs; purged so far: {} households ({} people), {} needs",
                report.households,
                report.needs,
                report.purged_households_total,
                report.purged_people_total,
                report.purged_needs_total
            )?;
        }
    }
    Ok(())
}
