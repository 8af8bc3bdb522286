//! `aidmap report`: the Dashboard's figures of a day as JSON or CSV, or the situation report PDF.

use std::io::Write;
use std::path::Path;

use aidmap::report::ReportRequest;
use aidmap::{Error, ReportFormat, Store};

pub fn report(
    store: &mut Store,
    out: &mut impl Write,
    date: Option<chrono::NaiveDate>,
    format: &str,
    file: Option<&Path>,
    language: &str,
) -> Result<(), Error> {
    use chrono::TimeZone;
    let date = date.unwrap_or_else(|| chrono::Local::now().date_naive());
    let midnight = chrono::Local
        .from_local_datetime(&date.and_time(chrono::NaiveTime::MIN))
        .earliest()
        .map(|t| t.to_utc())
        .ok_or(Error::Internal("no local midnight that day".into()))?;
    let request = ReportRequest { day: date.to_string(), day_start: aidmap::clock::timestamp(midnight) };
    let pack = super::vrp::open_pack(store)?;
    let report = store.report(pack.as_ref(), &request)?;
    let format = match format {
        "csv" => ReportFormat::Csv,
        "pdf" => ReportFormat::Pdf,
        _ => ReportFormat::Json,
    };
    let language = serde_json::from_value(serde_json::Value::String(language.into()))?;
    match file {
        Some(path) => {
            store.save_report(&report, format, language, path)?;
            writeln!(out, "{} report of {} written to {}", format.key(), report.day, path.display())?;
        }
        None if format == ReportFormat::Pdf => {
            return Err(Error::Internal("a PDF report needs --out FILE".into()));
        }
        None if format == ReportFormat::Csv => out.write_all(&aidmap::report::csv::write(&report)?)?,
        None => {
            serde_json::to_writer_pretty(&mut *out, &report)?;
            writeln!(out)?;
        }
    }
    Ok(())
}
