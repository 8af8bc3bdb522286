//! The command line's file formats: JSON and formula-safe CSV output, and the points CSV that
//! `route matrix` reads.

use std::io::Write;
use std::path::Path;

use aidmap::household::Household;
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
    serde_json::to_writer_pretty(&mut *out, rows).map_err(|e| Error::Internal(e.to_string()))?;
    writeln!(out)?;
    Ok(())
}

pub fn csv_error(e: csv::Error) -> Error {
    Error::Io(std::io::Error::other(e))
}

fn write_csv<const N: usize>(
    out: &mut impl Write,
    header: [&str; N],
    rows: impl Iterator<Item = [String; N]>,
) -> Result<(), Error> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(header).map_err(csv_error)?;
    for row in rows {
        w.write_record(row.iter().map(|c| csv_safe::cell(c))).map_err(csv_error)?;
    }
    w.flush()?;
    Ok(())
}

pub fn households_csv(out: &mut impl Write, rows: &[Household]) -> Result<(), Error> {
    let header = [
        "id",
        "name",
        "phones",
        "address",
        "lat",
        "lon",
        "location_source",
        "adults",
        "children",
        "seniors",
        "vulnerabilities",
        "languages",
        "access_notes",
        "consent_status",
        "consent_date",
        "consent_scope",
        "consent_basis",
        "status",
        "notes",
        "created_at",
        "updated_at",
        "updated_by",
    ];
    write_csv(
        out,
        header,
        rows.iter().map(|h| {
            [
                h.id.clone(),
                h.name.clone(),
                h.phones.iter().map(|p| p.original.as_str()).collect::<Vec<_>>().join("; "),
                h.address.clone(),
                h.lat.to_string(),
                h.lon.to_string(),
                h.location_source.key().into(),
                h.adults.to_string(),
                h.children.to_string(),
                h.seniors.to_string(),
                h.vulnerabilities.iter().map(|v| v.key()).collect::<Vec<_>>().join("; "),
                h.languages.join("; "),
                h.access_notes.clone(),
                h.consent.status.key().into(),
                h.consent.date.clone().unwrap_or_default(),
                h.consent.scope.clone(),
                h.consent.basis.map(|b| b.key()).unwrap_or_default().into(),
                h.status.key().into(),
                h.notes.clone(),
                h.created_at.clone(),
                h.updated_at.clone(),
                h.updated_by.clone(),
            ]
        }),
    )
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
