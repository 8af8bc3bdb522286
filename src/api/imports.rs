//! Imports, duplicates, merges and the placement queue on the operation: each write in one
//! transaction (an import is all or nothing; a dry run is rolled back).

use serde::Serialize;
use ts_rs::TS;

use crate::duplicates::DuplicatePair;
use crate::error::Result;
use crate::import::{self, FieldInfo, ImportReport, Mapping, Table};
use crate::merge::{MergeRecord, MergeRequest};
use crate::region::RegionPack;
use crate::store::Store;
use crate::vocab::ImportKind;

/// What the import dialog shows before anything is written.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ImportPreview {
    pub headers: Vec<String>,
    /// The first rows, as read.
    pub rows: Vec<Vec<String>>,
    pub total_rows: u32,
    pub encoding: String,
    pub suggested: Mapping,
    pub fields: Vec<FieldInfo>,
    /// `suggested` is the mapping last used for a sheet with these headers.
    pub remembered: bool,
}

/// A row waiting for its pin.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct PendingRow {
    pub id: String,
    pub row_number: u32,
    pub name: String,
    pub address: String,
    pub reason: String,
    pub file_name: String,
}

pub fn preview(kind: ImportKind, table: &Table, rows: usize) -> ImportPreview {
    ImportPreview {
        headers: table.headers.clone(),
        rows: table.rows.iter().take(rows).cloned().collect(),
        total_rows: table.rows.len() as u32,
        encoding: table.encoding.clone(),
        suggested: import::suggest(kind, &table.headers),
        fields: import::fields_of(kind),
        remembered: false,
    }
}

impl Store {
    /// `preview`, offering the mapping last used for a sheet with the same headers (this
    /// operation's), else the suggested one; `remembered` says which.
    pub fn import_preview(&self, kind: ImportKind, table: &Table, rows: usize) -> Result<ImportPreview> {
        let mut p = preview(kind, table, rows);
        if let Some(m) = crate::import::remembered_mapping(self.conn(), kind, &table.headers)? {
            p.suggested = m;
            p.remembered = true;
        }
        Ok(p)
    }

    /// Imports `table` (mapping: the given one, or the suggested one). A dry run checks every
    /// row and reports, then rolls back.
    pub fn import_table(
        &mut self,
        kind: ImportKind,
        table: &Table,
        mapping: Option<&Mapping>,
        file_name: &str,
        region: Option<&RegionPack>,
        dry_run: bool,
    ) -> Result<ImportReport> {
        let suggested;
        let mapping = match mapping {
            Some(m) => m,
            None => {
                suggested = import::suggest(kind, &table.headers);
                &suggested
            }
        };
        let run = |tx: &rusqlite::Transaction<'_>, stamp: &crate::clock::Stamp| {
            let report = import::run(tx, stamp, kind, table, mapping, file_name, region, dry_run)?;
            if !dry_run {
                crate::import::remember_mapping(tx, stamp, kind, &table.headers, mapping)?;
            }
            Ok(report)
        };
        let report = if dry_run { self.dry_run(run)? } else { self.write(run)? };
        Ok(report)
    }

    pub fn duplicates(&self) -> Result<Vec<DuplicatePair>> {
        crate::duplicates::find(self.conn())
    }

    pub fn dismiss_duplicate(&mut self, a: &str, b: &str) -> Result<()> {
        self.write(|tx, stamp| crate::duplicates::dismiss(tx, stamp, a, b))
    }

    pub fn merge_households(&mut self, req: &MergeRequest) -> Result<MergeRecord> {
        self.write(|tx, stamp| crate::merge::merge(tx, stamp, req))
    }

    pub fn undo_merge(&mut self, id: &str) -> Result<MergeRecord> {
        self.write(|tx, stamp| crate::merge::undo(tx, stamp, id))
    }

    pub fn pending_rows(&self) -> Result<Vec<PendingRow>> {
        crate::query::all(
            self.conn(),
            "SELECT q.id, q.row_number, q.input, q.reason, r.file_name FROM placement_queue q
             JOIN import_record r ON r.id = q.import_id ORDER BY r.at, q.row_number",
            [],
            |r| {
                let input: String = r.get(2)?;
                let v: serde_json::Value = serde_json::from_str(&input).unwrap_or_default();
                Ok(PendingRow {
                    id: r.get(0)?,
                    row_number: r.get(1)?,
                    name: v["household"]["name"].as_str().unwrap_or_default().to_string(),
                    address: v["household"]["address"].as_str().unwrap_or_default().to_string(),
                    reason: r.get(3)?,
                    file_name: r.get(4)?,
                })
            },
        )
    }

    /// Places a waiting row at (lat, lon): it becomes a household with its needs.
    pub fn place_pending(&mut self, id: &str, lat: f64, lon: f64) -> Result<String> {
        self.write(|tx, stamp| {
            let input: String =
                crate::query::one(tx, "SELECT input FROM placement_queue WHERE id = ?1", id, "pending row", |r| {
                    r.get(0)
                })?;
            let mut pending: import::Pending = serde_json::from_str(&input)?;
            (pending.household.lat, pending.household.lon) = (lat, lon);
            pending.household.location_source = crate::vocab::LocationSource::Pin;
            let household = crate::household::insert(tx, stamp, &pending.household)?;
            for n in &pending.needs {
                crate::need::insert(tx, stamp, &household, n)?;
            }
            tx.execute("DELETE FROM placement_queue WHERE id = ?1", [id])?;
            crate::store::record_change(
                tx,
                stamp,
                crate::audit::AuditAction::Create,
                "household",
                &[&household],
                "placed from an import",
            )?;
            Ok(household)
        })
    }
}
