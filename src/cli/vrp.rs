//! `aidmap solve`, `aidmap vrp generate` and `aidmap vrp check`: routing instances from files
//! (VRPLIB, Solomon, `mutual-aid-vrp/1`), solved, generated or checked.

use std::io::Write;
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use aidmap::vrp::evaluate::{evaluate, Evaluation};
use aidmap::vrp::io::{self, Format};
use aidmap::vrp::{self, Params, Problem};
use aidmap::Error;

/// Solves an instance file for `seconds` (checked by the argument parser); the solution JSON goes to `out` (or stdout) and one
/// summary line to stderr.
pub fn solve(
    stdout: &mut impl Write,
    instance: &Path,
    seconds: f64,
    seed: u64,
    iterations: Option<u64>,
    out: Option<&Path>,
) -> Result<(), Error> {
    let started = Instant::now();
    let (problem, format) = io::read_with_format(instance)?;
    let params = Params { seed, time_limit: Duration::from_secs_f64(seconds), max_iterations: iterations };
    let cancel = AtomicBool::new(false);
    let solution = vrp::solve(&problem, &params, &cancel, &mut |_| {}).map_err(Error::Internal)?;
    let mut text = Vec::new();
    io::write_solution(&problem, &solution, &mut text)?;
    match out {
        Some(path) => std::fs::write(path, &text)?,
        None => stdout.write_all(&text)?,
    }
    let evaluation = evaluate(&problem, &solution);
    eprintln!("{}", summary(&problem, format, &evaluation, Some(started.elapsed())));
    Ok(())
}

/// Writes a generated `mutual-aid-vrp/1` instance.
pub fn generate(stdout: &mut impl Write, stops: usize, seed: u64, out: &Path) -> Result<(), Error> {
    let instance = vrp::generate::generate(stops, seed);
    std::fs::write(out, io::mutual_aid::to_json(&instance))?;
    writeln!(
        stdout,
        "wrote {} ({} stops, {} drivers, {} optional)",
        out.display(),
        instance.stops.len(),
        instance.drivers.len(),
        instance.stops.iter().filter(|s| !s.required).count()
    )?;
    Ok(())
}

/// Checks a solution file (JSON or VRPLIB `.sol`) against an instance: the summary line, then
/// the violations; with `json`, the whole evaluation (schedules included).
pub fn check(stdout: &mut impl Write, instance: &Path, solution: &Path, json: bool) -> Result<(), Error> {
    let (problem, format) = io::read_with_format(instance)?;
    let text = std::fs::read_to_string(solution).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Error::FileNotFound,
        _ => e.into(),
    })?;
    let solution = io::read_solution(&problem, &text)?;
    let evaluation = evaluate(&problem, &solution);
    if json {
        serde_json::to_writer_pretty(&mut *stdout, &evaluation)?;
        writeln!(stdout)?;
        return Ok(());
    }
    writeln!(stdout, "{}", summary(&problem, format, &evaluation, None))?;
    for v in &evaluation.violations {
        writeln!(stdout, "{v}")?;
    }
    Ok(())
}

/// `cost 827.3, 10 vehicles, 100 served, 0 unserved, feasible, 10.0 s` (costs in the file's
/// units: tenths are shown as decimals for Solomon and CVRPTW files).
fn summary(problem: &Problem, format: Format, e: &Evaluation, elapsed: Option<Duration>) -> String {
    let scale = format.scale();
    let cost = if scale == 1 { e.cost.to_string() } else { format!("{:.1}", e.cost as f64 / scale as f64) };
    let required = e.unserved.iter().filter(|&&s| problem.stops[s].required).count();
    let unserved = match required {
        0 => format!("{} unserved", e.unserved.len()),
        r => format!("{} unserved ({r} required)", e.unserved.len()),
    };
    let feasible =
        if e.feasible { "feasible".to_string() } else { format!("infeasible ({} violations)", e.violations.len()) };
    let time = elapsed.map(|t| format!(", {:.1} s", t.as_secs_f64())).unwrap_or_default();
    format!("cost {cost}, {} vehicles, {} served, {unserved}, {feasible}{time}", e.routes.len(), e.served)
}

/// `aidmap plan`: plans the day, saves the draft and prints it (lines, or the plan as JSON).
pub fn plan(
    store: &mut aidmap::Store,
    out: &mut impl Write,
    date: chrono::NaiveDate,
    (seconds, seed, iterations): (u32, u64, Option<u64>),
    json: bool,
) -> Result<(), Error> {
    use chrono::TimeZone;
    let midnight = chrono::Local
        .from_local_datetime(&date.and_time(chrono::NaiveTime::MIN))
        .earliest()
        .map(|t| t.to_utc())
        .ok_or(Error::Internal("no local midnight that day".into()))?;
    let pack = open_pack(store)?;
    let request = aidmap::plan::types::PlanRequest::for_day(date, midnight, seconds, seed);
    let plan = aidmap::plan::create(store, pack.as_ref(), &request, iterations, &AtomicBool::new(false))?;
    if json {
        serde_json::to_writer_pretty(&mut *out, &plan)?;
        writeln!(out)?;
        return Ok(());
    }
    let hm = |t: &str| {
        chrono::DateTime::parse_from_rfc3339(t)
            .map(|t| t.with_timezone(&chrono::Local).format("%H:%M").to_string())
            .unwrap_or_default()
    };
    let info = &plan.info;
    writeln!(
        out,
        "{date}: draft plan {} saved: {} runs, {} stops, {} needs served, {} unserved, {} min driving{}",
        info.id,
        info.runs,
        info.stops,
        info.needs_served,
        info.unserved,
        info.drive_s / 60,
        if info.estimated { " (straight-line estimates: no region pack)" } else { "" }
    )?;
    for (i, run) in plan.runs.iter().enumerate().filter(|(_, r)| !r.stops.is_empty()) {
        writeln!(
            out,
            "run {}: {} ({}) from {}, {} stops, {}–{}, {:.1} km, load {:.0} kg / {:.0} L / {:.0} parcels{}",
            i + 1,
            run.driver,
            run.vehicle,
            run.site_name,
            run.stops.len(),
            hm(&run.departure),
            hm(&run.back),
            run.distance_m as f64 / 1000.0,
            run.load[0],
            run.load[1],
            run.load[2],
            if run.violations.is_empty() { String::new() } else { format!(" — {} problems", run.violations.len()) }
        )?;
    }
    let mut reasons: Vec<&str> = plan.unserved.iter().map(|u| u.reason.as_str()).collect();
    reasons.sort();
    reasons.dedup();
    for r in reasons {
        writeln!(out, "unserved ({r}): {}", plan.unserved.iter().filter(|u| u.reason == r).count())?;
    }
    Ok(())
}

/// `aidmap plans list`.
pub fn plans(store: &aidmap::Store, out: &mut impl Write, json: bool) -> Result<(), Error> {
    let plans = store.plans()?;
    if json {
        serde_json::to_writer_pretty(&mut *out, &plans)?;
        writeln!(out)?;
        return Ok(());
    }
    if plans.is_empty() {
        writeln!(out, "no saved plans")?;
    }
    for p in plans {
        writeln!(
            out,
            "{}  {}  {:<10}  {} runs, {} stops, {} needs served, {} unserved  (by {}, {})",
            p.day,
            p.id,
            p.status.key(),
            p.runs,
            p.stops,
            p.needs_served,
            p.unserved,
            p.created_by,
            p.created_at
        )?;
    }
    Ok(())
}

/// `aidmap export sheets`: the route sheets of a run or a date into a folder.
pub fn sheets(
    store: &mut aidmap::Store,
    out: &mut impl Write,
    (format, paper, combined, language): (
        crate::args::ExportFormatArg,
        aidmap::sheets::pdf::Paper,
        bool,
        Option<aidmap::sheets::SheetLanguage>,
    ),
    dir: &Path,
    run: Option<&str>,
    date: Option<chrono::NaiveDate>,
) -> Result<(), Error> {
    use crate::args::ExportFormatArg;
    use aidmap::sheets::files::{self, SheetFormat, Which};
    let format = match format {
        ExportFormatArg::Gpx => SheetFormat::Gpx,
        ExportFormatArg::Html => SheetFormat::Html,
        ExportFormatArg::Csv => SheetFormat::Csv,
        ExportFormatArg::Pdf => SheetFormat::Pdf { paper, combined },
        ExportFormatArg::Geojson => return Err(Error::Internal("route sheets export as pdf, gpx, html or csv".into())),
    };
    let day = date.map(|d| d.to_string());
    let which = match (run, &day) {
        (Some(run), _) => Which::Run(run),
        (None, Some(day)) => Which::Day(day),
        (None, None) => return Err(Error::Internal("route sheets need --run ID or --date YYYY-MM-DD".into())),
    };
    let pack = open_pack(store)?;
    let mut options = store.sheet_options()?;
    if let Some(language) = language {
        options.language = language;
    }
    let written = files::write(store, pack.as_ref(), &which, &options, format, dir)?;
    for path in &written {
        writeln!(out, "{}", path.display())?;
    }
    Ok(())
}

/// The operation's region pack beside it, with the operation's active closures applied.
pub(crate) fn open_pack(store: &aidmap::Store) -> Result<Option<aidmap::region::RegionPack>, Error> {
    let path = aidmap::region::pack_path_for(store.path());
    if !path.exists() {
        return Ok(None);
    }
    let mut pack = aidmap::region::RegionPack::open(&path)?;
    let shapes = store.closure_shapes()?;
    if let Some(router) = pack.router_mut() {
        router.set_closures(&shapes);
    }
    Ok(Some(pack))
}
