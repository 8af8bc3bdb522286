//! Export of households, sites with their stock, and volunteers as CSV or GeoJSON, for printing,
//! spreadsheets and other GIS tools. The caller chooses the columns; personal fields (names,
//! phones, addresses, notes…) are off by default. Rows are written one at a time, so a large
//! operation never sits in memory as a whole.
//!
//! - CSV: a header of column keys, then one row per household, per volunteer, or per site and
//!   stocked item (a site without stock, or an export without item columns: one row per site).
//!   Every cell goes through `csv_safe::cell`; lists are joined with `"; "`.
//! - GeoJSON: a `FeatureCollection` with one `Point` feature per household or site; the point
//!   (`[lon, lat]`) is the location, always present, so `lat` and `lon` are never repeated as
//!   properties (and always count as exported). A site's stock is a `stock` array property. A
//!   volunteer's geometry is their home only when `home_lat` and `home_lon` are both chosen
//!   (personal, off by default), and `null` otherwise.
//!
//! `write_at` is a plain function over a connection; `Store::export_to` writes a file and records
//! the export in the audit log (column keys and counts, never values). The two writers are in
//! `writers.rs`, what each kind of record puts in them in `records.rs`.

mod records;
pub(crate) mod writers;

use records::{households, sites, volunteers};
use writers::{Counter, CsvRows, GeojsonRows, Rows};

use std::io::Write;

use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, FieldError, Result, Rule};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ExportKind {
    Households,
    Sites,
    Volunteers,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ExportFormat {
    Csv,
    Geojson,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExportRequest {
    pub kind: ExportKind,
    pub format: ExportFormat,
    /// Chosen column keys, in the order they are written; empty = the defaults.
    pub columns: Vec<String>,
    /// Households only: just these (a selection on the map); `None`: every household.
    #[serde(default)]
    pub household_ids: Option<Vec<String>>,
}

/// A column the export dialog offers.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ExportColumn {
    pub key: String,
    /// Personal data (name, phone, address, notes…): off by default (except for volunteers, whose
    /// export is a contact list by nature; flagged all the same).
    pub personal: bool,
    pub default: bool,
}

/// What was written.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ExportSummary {
    /// Data rows: CSV lines after the header, or GeoJSON features.
    pub rows: u32,
    /// The keys of the columns whose data is in the file, in order (for GeoJSON households and
    /// sites, `lat` and `lon` always: they are the geometry).
    pub columns: Vec<String>,
    #[ts(type = "number")]
    pub bytes: u64,
}

impl ExportKind {
    pub fn key(self) -> &'static str {
        match self {
            ExportKind::Households => "households",
            ExportKind::Sites => "sites",
            ExportKind::Volunteers => "volunteers",
        }
    }

    /// The audit log's entity for this kind.
    pub fn entity(self) -> &'static str {
        match self {
            ExportKind::Households => "household",
            ExportKind::Sites => "site",
            ExportKind::Volunteers => "volunteer",
        }
    }
}

impl ExportFormat {
    pub fn key(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Geojson => "geojson",
        }
    }

    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Geojson => "geojson",
        }
    }
}

/// (key, personal, default)
type Spec = (&'static str, bool, bool);

const HOUSEHOLD_COLUMNS: &[Spec] = &[
    ("id", false, true),
    ("status", false, true),
    ("lat", false, true),
    ("lon", false, true),
    ("adults", false, true),
    ("children", false, true),
    ("seniors", false, true),
    ("open_needs", false, true),
    ("most_urgent", false, true),
    ("location_source", false, true),
    ("updated_at", false, true),
    ("plus_code", false, false),
    ("name", true, false),
    ("phones", true, false),
    ("address", true, false),
    ("landmark", true, false),
    ("access_notes", true, false),
    ("notes", true, false),
    ("languages", true, false),
    ("vulnerabilities", true, false),
    ("consent", true, false),
];

/// The item columns of a site export: one CSV row per stocked item, the `stock` array in GeoJSON.
const ITEM_COLUMNS: &[&str] = &["item", "category", "unit", "quantity", "low", "next_expiry"];

const SITE_COLUMNS: &[Spec] = &[
    ("id", false, true),
    ("name", false, true),
    ("kind", false, true),
    ("lat", false, true),
    ("lon", false, true),
    ("address", false, true),
    ("active", false, true),
    ("updated_at", false, true),
    ("item", false, true),
    ("category", false, true),
    ("unit", false, true),
    ("quantity", false, true),
    ("low", false, true),
    ("next_expiry", false, true),
    ("contact", true, false),
    ("notes", true, false),
];

const VOLUNTEER_COLUMNS: &[Spec] = &[
    ("id", false, true),
    ("name", true, true),
    ("phone", true, true),
    ("roles", false, true),
    ("languages", true, true),
    ("active", false, true),
    ("vehicle_kinds", false, true),
    ("capacity_kg", false, true),
    ("capacity_l", false, true),
    ("capabilities", false, true),
    ("next_shifts", false, true),
    ("home_lat", true, false),
    ("home_lon", true, false),
    ("notes", true, false),
];

fn specs(kind: ExportKind) -> &'static [Spec] {
    match kind {
        ExportKind::Households => HOUSEHOLD_COLUMNS,
        ExportKind::Sites => SITE_COLUMNS,
        ExportKind::Volunteers => VOLUNTEER_COLUMNS,
    }
}

/// Every column an export of `kind` can have, in their usual order.
pub fn columns(kind: ExportKind) -> Vec<ExportColumn> {
    specs(kind)
        .iter()
        .map(|&(key, personal, default)| ExportColumn { key: key.to_string(), personal, default })
        .collect()
}

/// The columns to write: the chosen ones (trimmed, blanks and repeats dropped) or the defaults.
/// An unknown key is a validation error on `columns`.
pub fn resolve(kind: ExportKind, chosen: &[String]) -> Result<Vec<&'static str>> {
    let specs = specs(kind);
    let mut out: Vec<&'static str> = Vec::new();
    for key in chosen.iter().map(|k| k.trim()).filter(|k| !k.is_empty()) {
        let Some(&(known, _, _)) = specs.iter().find(|s| s.0 == key) else {
            return Err(Error::Validation(vec![FieldError { field: "columns".into(), rule: Rule::Unknown }]));
        };
        if !out.contains(&known) {
            out.push(known);
        }
    }
    if out.is_empty() {
        out = specs.iter().filter(|s| s.2).map(|s| s.0).collect();
    }
    Ok(out)
}

/// Writes the export to `out` (see the module's doc for the formats); `now` decides which
/// shifts are still to come (`next_shifts`).
pub fn write_at(
    conn: &Connection,
    req: &ExportRequest,
    now: DateTime<Utc>,
    out: &mut dyn Write,
) -> Result<ExportSummary> {
    write_only(conn, req, None, now, out)
}

/// Every column key of `kind`, personal ones included (the CLI's full listings).
pub fn all_columns(kind: ExportKind) -> Vec<String> {
    specs(kind).iter().map(|s| s.0.to_string()).collect()
}

/// `write_at` limited to the households in `only` (the CLI's `households list --search`);
/// `None` writes every record. Sites and volunteers are always written whole.
pub fn write_only(
    conn: &Connection,
    req: &ExportRequest,
    only: Option<&std::collections::HashSet<String>>,
    now: DateTime<Utc>,
    out: &mut dyn Write,
) -> Result<ExportSummary> {
    let mut cols = resolve(req.kind, &req.columns)?;
    if req.format == ExportFormat::Geojson && req.kind != ExportKind::Volunteers {
        for key in ["lat", "lon"] {
            if !cols.contains(&key) {
                cols.push(key);
            }
        }
    }
    let mut sink = Counter { inner: std::io::BufWriter::with_capacity(1 << 16, out), bytes: 0 };
    let mut writer = match req.format {
        ExportFormat::Csv => Rows::Csv(CsvRows::new(&mut sink, &cols)?),
        ExportFormat::Geojson => Rows::Geojson(GeojsonRows::new(&mut sink)?),
    };
    let rows = match req.kind {
        ExportKind::Households => households(conn, &cols, only, &mut writer)?,
        ExportKind::Sites => sites(conn, &cols, &mut writer)?,
        ExportKind::Volunteers => volunteers(conn, &cols, now, &mut writer)?,
    };
    writer.finish()?;
    sink.flush()?;
    Ok(ExportSummary { rows, columns: cols.iter().map(|c| c.to_string()).collect(), bytes: sink.bytes })
}
