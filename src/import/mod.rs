//! Spreadsheet import (`File › Import…`, `aidmap import`): CSV or XLSX in, each column mapped to
//! a field (suggested from the header, in English, Spanish or French), every row checked with a
//! message per problem, households placed with the region's address search, and the whole
//! import written in one transaction and recorded. Messages name rows, columns and rules, never
//! the values in the cells.

mod columns;
pub mod coords_check;
mod fields;
mod households;
mod remembered;
mod sites;
pub mod table;
pub use remembered::{remember_mapping, remembered_mapping};
mod values;
mod volunteers;

use std::collections::BTreeMap;

use rusqlite::{params, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use fields::{fields_of, suggest, FieldInfo};
pub use households::Pending;
pub use table::Table;

use crate::clock::Stamp;
use crate::error::Result;
use crate::region::RegionPack;
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
    /// What to do with every row whose coordinates are doubted (`coords_check`): `address`,
    /// `coordinates` or `place`; unset = the address when found, else place by hand.
    #[serde(default)]
    pub coordinates: Option<String>,
    /// One row's choice (spreadsheet row number → choice), over `coordinates`. Never remembered
    /// for the next sheet.
    #[serde(default)]
    pub row_choices: BTreeMap<u32, String>,
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
    /// Metres, for doubted coordinates ("1.2 km from the address").
    #[ts(type = "number | null")]
    pub distance_m: Option<u32>,
    /// The number in the cell, for a count that is not one ("−4 is below zero"); numbers only,
    /// never names or other text.
    pub value: Option<f64>,
    /// For doubted coordinates: what the user may choose (`address`, `coordinates`, `place`),
    /// and what this import does with the row.
    pub choices: Vec<String>,
    pub choice: Option<String>,
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
            distance_m: None,
            value: None,
            choices: vec![],
            choice: None,
        }
    }

    pub fn distance(mut self, metres: Option<f64>) -> Self {
        self.distance_m = metres.map(|m| m.round() as u32);
        self
    }

    pub fn value(mut self, v: f64) -> Self {
        self.value = Some(v);
        self
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
        "outside_region" => "the coordinates are outside the region pack's area",
        "in_water" => "the coordinates are in water",
        "far_from_road" => "the coordinates are far from any road",
        "far_from_address" => "the coordinates are far from where the address is",
        "check_coordinates" => "doubted coordinates; waiting to be placed on the map",
        "below_zero" => "below zero; the row is left out",
        "weight_unknown" => {
            "a new catalogue item with no weight or volume: set them in the catalogue, or runs cannot check their load"
        }
        "not_whole" => "not a whole number; the row is left out",
        "too_large" => "more than 1000; the row is left out",
        "size_below_parts" => "the household size is less than the children and seniors given; the row is left out",
        "size_as_adults" => {
            "the household size is counted as adults (the sheet has no children or seniors for this row)"
        }
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
    /// Needs the created households bring (rows waiting to be placed bring theirs later).
    pub needs_created: u32,
    /// Rows whose coordinates were doubted (`coords_check`), each flagged in `problems`.
    pub coordinates_flagged: u32,
    /// Checks that could not be made, by code: `water` (a region pack built before water areas
    /// were kept), `coordinates` (no region pack: coordinates are taken as they are).
    pub unchecked: Vec<String>,
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
    conn: &Transaction<'_>,
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
        needs_created: 0,
        coordinates_flagged: 0,
        unchecked: vec![],
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
        crate::store::record_change(
            conn,
            stamp,
            crate::audit::AuditAction::Import,
            kind.key(),
            &[&import_id],
            &detail,
        )?;
        report.import_id = Some(import_id);
    }
    Ok(report)
}
