//! Spreadsheet import (`File › Import…`, `aidmap import`): CSV or XLSX in, each column mapped to
//! a field (suggested from the header, in English, Spanish or French), every row checked with a
//! message per problem, households placed with the region's address search, and the whole
//! import written in one transaction and recorded. Messages name rows, columns and rules, never
//! the values in the cells.

mod columns;
mod fields;
mod households;
mod sites;
pub mod table;
mod values;
mod volunteers;

use std::collections::BTreeMap;

use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use fields::{fields_of, suggest, FieldInfo};
pub use households::Pending;
pub use table::Table;

use crate::error::Result;
use crate::region::RegionPack;
use crate::store::Stamp;
use crate::vocab::ImportKind;

/// Which field each column fills, and how cells with several values are split.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Mapping {
    /// Column header → field key (`name`, `phones`, `address`…); unmapped columns are ignored.
    pub columns: BTreeMap<String, String>,
    /// Splits multi-value cells (phones, languages, vulnerabilities, needs); default `;`.
    #[serde(default)]
    pub separator: Option<String>,
    /// How to read `01/02/2026`: `dmy` (default) or `mdy`.
    #[serde(default)]
    pub date_order: Option<String>,
}

/// One problem in one row. `code` is fixed (the UI translates it); `message` is its English text.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct RowProblem {
    /// Spreadsheet row number (1 = the header row).
    pub row: u32,
    pub column: Option<String>,
    #[serde(skip)]
    pub column_index: Option<usize>,
    pub code: String,
    pub message: String,
    /// The row is left out of the import because of it.
    pub skipped: bool,
}

impl RowProblem {
    pub fn new(row: u32, column_index: Option<usize>, code: &str) -> Self {
        RowProblem {
            row,
            column: None,
            column_index,
            code: code.into(),
            message: describe(code).into(),
            skipped: false,
        }
    }

    pub fn skips(mut self) -> Self {
        self.skipped = true;
        self
    }

    pub fn at(mut self, column: &str) -> Self {
        self.column = Some(column.to_string());
        self
    }
}

fn describe(code: &str) -> &'static str {
    match code {
        "too_many_cells" => "more cells than the header has columns; the row is left out",
        "too_few_cells" => "fewer cells than the header has columns; the missing ones are taken as empty",
        "formula" => "a formula: its last computed value is used",
        "required" => "required, but empty; the row is left out",
        "not_a_number" => "not a number; ignored",
        "out_of_range" => "out of range; ignored",
        "invalid_date" => "not a date (use YYYY-MM-DD or DD/MM/YYYY); ignored",
        "unknown_value" => "a value Aidmap does not know; ignored",
        "invalid" => "not valid; the row is left out",
        "not_found" => "the address was not found; waiting to be placed on the map",
        "ambiguous" => "the address matches several places; waiting to be placed on the map",
        "no_region" => "no coordinates and no region pack to find the address; waiting to be placed on the map",
        "no_address" => "no coordinates and no address; waiting to be placed on the map",
        "not_placed" => "no coordinates, and the address was not found in the region; the row is left out",
        "existing" => "adds to a record already in the operation (same name or phone)",
        "invalid_time" => "not a date and time (use YYYY-MM-DD HH:MM); ignored",
        _ => "a problem",
    }
}

/// Geocoding results of an import.
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct GeocodeCounts {
    pub matched: u32,
    pub ambiguous: u32,
    pub not_found: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ImportReport {
    pub kind: ImportKind,
    pub file_name: String,
    pub encoding: String,
    pub rows: u32,
    pub created: u32,
    pub skipped: u32,
    /// Rows kept aside until someone places them on the map.
    pub to_place: u32,
    pub geocoded: GeocodeCounts,
    /// Of the created households, how many look like an existing one or another new one.
    pub possible_duplicates: u32,
    /// What else the rows made, by kind: `items` (new catalogue items), `stock` (receipts),
    /// `vehicles`, `shifts`, `existing` (rows that added to a site or volunteer already there).
    pub also: BTreeMap<String, u32>,
    pub problems: Vec<RowProblem>,
    pub dry_run: bool,
    pub import_id: Option<String>,
}

/// Reads, checks and (unless `dry_run`) writes an import in `conn`'s open transaction: the
/// caller commits or rolls back, so a cancel or an error leaves the operation unchanged.
pub fn run(
    conn: &Connection,
    stamp: &Stamp,
    kind: ImportKind,
    table: &Table,
    mapping: &Mapping,
    file_name: &str,
    region: Option<&RegionPack>,
    dry_run: bool,
) -> Result<ImportReport> {
    let mut report = ImportReport {
        kind,
        file_name: file_name.to_string(),
        encoding: table.encoding.clone(),
        rows: table.rows.len() as u32,
        created: 0,
        skipped: 0,
        to_place: 0,
        geocoded: GeocodeCounts::default(),
        possible_duplicates: 0,
        also: BTreeMap::new(),
        problems: table.problems.clone(),
        dry_run,
        import_id: None,
    };
    if table.headers.is_empty() {
        return Err(crate::error::Error::UnreadableFile("it has no header row"));
    }
    let import_id = crate::ids::new_id();
    // The record first: rows waiting to be placed refer to it. Its counts are set at the end.
    conn.execute(
        "INSERT INTO import_record (id, at, kind, file_name, encoding, rows_read, created, skipped, to_place, recorded_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, 0, 0, ?7)",
        params![import_id, stamp.now, kind, file_name, table.encoding, report.rows, stamp.operator],
    )?;
    match kind {
        ImportKind::Households => households::import(conn, stamp, &import_id, table, mapping, region, &mut report)?,
        ImportKind::Sites => sites::import(conn, stamp, table, mapping, region, &mut report)?,
        ImportKind::Volunteers => volunteers::import(conn, stamp, table, mapping, region, &mut report)?,
    }
    report.problems.sort_by_key(|p| p.row);
    if !dry_run {
        conn.execute(
            "UPDATE import_record SET created = ?2, skipped = ?3, to_place = ?4 WHERE id = ?1",
            params![import_id, report.created, report.skipped, report.to_place],
        )?;
        let mut detail = format!(
            "{file_name}: {} rows, {} created, {} skipped, {} to place",
            report.rows, report.created, report.skipped, report.to_place
        );
        for (what, n) in &report.also {
            detail.push_str(&format!(", {n} {what}"));
        }
        crate::audit::record(conn, stamp, crate::audit::AuditAction::Import, kind.key(), &[&import_id], &detail)?;
        report.import_id = Some(import_id);
    }
    Ok(report)
}
