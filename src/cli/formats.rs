//! The command line's file formats: JSON and formula-safe CSV output, and the points CSV that
//! `route matrix` reads.

use std::io::Write;
use std::path::Path;

use aidmap::need::Need;
use aidmap::{csv_safe, Error};

/// Points from a CSV with a header `id,lat,lon`.
pub fn read_points(path: &Path) -> Result<(Vec<String>, Vec<(f64, f64)>), Error> {
    let mut r = csv::Reader::from_path(path).map_err(|e| match e.kind() {
        csv::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::NotFound => Error::FileNotFound,
        _ => csv_error(e),
    })?;
    let (mut ids, mut coords) = (vec![], vec![]);
    for (line, row) in r.records().enumerate() {
        let row = row.map_err(csv_error)?;
        let bad = || Error::Internal(format!("points file, row {}: expected id,lat,lon with numbers", line + 2));
        let lat: f64 = row.get(1).and_then(|v| v.trim().parse().ok()).ok_or_else(bad)?;
        let lon: f64 = row.get(2).and_then(|v| v.trim().parse().ok()).ok_or_else(bad)?;
        if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
            return Err(bad());
        }
        ids.push(row.get(0).unwrap_or_default().to_string());
        coords.push((lat, lon));
    }
    Ok((ids, coords))
}

pub fn write_json<T: serde::Serialize>(out: &mut impl Write, rows: &[T]) -> Result<(), Error> {
    serde_json::to_writer_pretty(&mut *out, rows).map_err(|e| match e.io_error_kind() {
        Some(kind) => Error::Io(kind.into()),
        None => Error::Internal(e.to_string()),
    })?;
    writeln!(out)?;
    Ok(())
}

pub fn csv_error(e: csv::Error) -> Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => Error::Io(e),
        other => Error::Io(std::io::Error::other(format!("{other:?}"))),
    }
}

fn write_csv<const N: usize>(
    out: &mut impl Write,
    header: [&str; N],
    rows: impl Iterator<Item = [String; N]>,
) -> Result<(), Error> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(header).map_err(csv_error)?;
    for row in rows {
        // Numbers (coordinates, counts) stay numbers; every other cell is formula-safe, phones too.
        let cell =
            |c: &String| if c.parse::<f64>().is_ok() && !c.starts_with('+') { c.clone() } else { csv_safe::cell(c) };
        w.write_record(row.iter().map(cell)).map_err(csv_error)?;
    }
    w.flush()?;
    Ok(())
}

pub fn needs_csv(out: &mut impl Write, rows: &[Need]) -> Result<(), Error> {
    let header = [
        "id",
        "household_id",
        "category",
        "quantity",
        "unit",
        "urgency",
        "requested_at",
        "wanted_by",
        "status",
        "notes",
        "created_at",
        "updated_at",
        "updated_by",
    ];
    write_csv(
        out,
        header,
        rows.iter().map(|n| {
            [
                n.id.clone(),
                n.household_id.clone(),
                n.category.key().into(),
                n.quantity.to_string(),
                n.unit.clone(),
                n.urgency.key().into(),
                n.requested_at.clone(),
                n.wanted_by.clone().unwrap_or_default(),
                n.status.key().into(),
                n.notes.clone(),
                n.created_at.clone(),
                n.updated_at.clone(),
                n.updated_by.clone(),
            ]
        }),
    )
}

/// Households, sites (one row per site and stocked item) or volunteers as CSV with every
/// column, through the same writer as the app's export (`aidmap::export`); `only` limits the
/// households written.
pub fn export_csv(
    store: &aidmap::Store,
    out: &mut impl Write,
    kind: aidmap::export::ExportKind,
    only: Option<&std::collections::HashSet<String>>,
) -> Result<(), Error> {
    let req = aidmap::export::ExportRequest {
        kind,
        format: aidmap::export::ExportFormat::Csv,
        columns: aidmap::export::all_columns(kind),
        household_ids: None,
    };
    let now = chrono::Utc::now();
    store.snapshot(|tx| aidmap::export::write_only(tx, &req, only, now, out))?;
    Ok(())
}
