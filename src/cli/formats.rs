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

/// One row per site and item (a site without stock: one row with the item columns empty).
pub fn sites_csv(out: &mut impl Write, sites: &[aidmap::stock::SiteStock]) -> Result<(), Error> {
    let header =
        ["site_id", "site", "kind", "lat", "lon", "address", "active", "item", "category", "unit", "quantity", "low"];
    let rows = sites.iter().flat_map(|s| {
        let site = |item: [String; 5]| -> [String; 12] {
            let [a, b, c, d, e] = item;
            [
                s.site.id.clone(),
                s.site.name.clone(),
                s.site.kind.key().into(),
                s.site.lat.to_string(),
                s.site.lon.to_string(),
                s.site.address.clone(),
                s.site.active.to_string(),
                a,
                b,
                c,
                d,
                e,
            ]
        };
        let mut rows: Vec<[String; 12]> = s
            .stock
            .iter()
            .map(|r| {
                site([
                    r.item.name.clone(),
                    r.item.category.key().into(),
                    r.item.unit.clone(),
                    r.quantity.to_string(),
                    r.low.to_string(),
                ])
            })
            .collect();
        if rows.is_empty() {
            rows.push(site(Default::default()));
        }
        rows
    });
    write_csv(out, header, rows)
}

/// One row per volunteer; roles, languages and vehicles joined with `;`.
pub fn volunteers_csv(out: &mut impl Write, rows: &[aidmap::volunteer::VolunteerDetail]) -> Result<(), Error> {
    let header =
        ["id", "name", "phone", "roles", "languages", "active", "vehicles", "capacity_kg", "shifts", "next_shift"];
    let join = |v: Vec<String>| v.join(";");
    write_csv(
        out,
        header,
        rows.iter().map(|d| {
            let v = &d.volunteer;
            [
                v.id.clone(),
                v.name.clone(),
                v.phone.clone(),
                join(v.roles.iter().map(|r| r.key().to_string()).collect()),
                join(v.languages.clone()),
                v.active.to_string(),
                join(d.vehicles.iter().map(|x| x.name.clone()).collect()),
                d.vehicles.iter().fold(0.0, |kg, x| kg + x.capacity_kg).to_string(),
                d.shifts.len().to_string(),
                d.shifts.first().map(|s| s.starts_at.clone()).unwrap_or_default(),
            ]
        }),
    )
}
