//! Import, duplicates, merge and placement commands. The file is read here and handed to the
//! core; the import runs with the open region pack for the address search.

use std::path::PathBuf;

use aidmap::api::{ImportPreview, PendingRow};
use aidmap::duplicates::DuplicatePair;
use aidmap::household::HouseholdDetail;
use aidmap::import::{ImportReport, Mapping, Table};
use aidmap::merge::{MergeRecord, MergeRequest};
use aidmap::vocab::ImportKind;
use serde::Serialize;
use tauri::State;

use crate::error::CmdResult;
use crate::state::AppState;

fn read(file: &std::path::Path) -> aidmap::Result<(Table, String)> {
    aidmap::import::table::read_file(file)
}

#[tauri::command(async)]
pub fn import_preview(state: State<'_, AppState>, file: PathBuf, kind: ImportKind) -> CmdResult<ImportPreview> {
    let (table, _) = read(&file)?;
    Ok(state.with_store(|s| s.import_preview(kind, &table, 5))?)
}

#[tauri::command(async)]
pub fn import_file(
    state: State<'_, AppState>,
    file: PathBuf,
    kind: ImportKind,
    mapping: Mapping,
    dry_run: bool,
) -> CmdResult<ImportReport> {
    let (table, name) = read(&file)?;
    // Store first, then region: the one lock order.
    Ok(state
        .with_store(|s| state.with_region(|r| s.import_table(kind, &table, Some(&mapping), &name, r, dry_run))?)?)
}

#[tauri::command(async)]
pub fn duplicates(state: State<'_, AppState>) -> CmdResult<Vec<DuplicatePair>> {
    Ok(state.with_store(|s| s.duplicates())?)
}

/// Both records of a pair, for the side-by-side view.
#[derive(Serialize)]
pub struct PairDetail {
    a: HouseholdDetail,
    b: HouseholdDetail,
}

#[tauri::command(async)]
pub fn duplicate_pair(state: State<'_, AppState>, a: String, b: String) -> CmdResult<PairDetail> {
    Ok(state.with_store(|s| Ok(PairDetail { a: s.household(&a)?, b: s.household(&b)? }))?)
}

#[tauri::command(async)]
pub fn dismiss_duplicate(state: State<'_, AppState>, a: String, b: String) -> CmdResult<()> {
    Ok(state.with_store(|s| s.dismiss_duplicate(&a, &b))?)
}

#[tauri::command(async)]
pub fn merge_households(state: State<'_, AppState>, request: MergeRequest) -> CmdResult<MergeRecord> {
    Ok(state.with_store(|s| s.merge_households(&request))?)
}

#[tauri::command(async)]
pub fn undo_merge(state: State<'_, AppState>, id: String) -> CmdResult<MergeRecord> {
    Ok(state.with_store(|s| s.undo_merge(&id))?)
}

#[tauri::command(async)]
pub fn pending_rows(state: State<'_, AppState>) -> CmdResult<Vec<PendingRow>> {
    Ok(state.with_store(|s| s.pending_rows())?)
}

#[tauri::command(async)]
pub fn place_pending(state: State<'_, AppState>, id: String, lat: f64, lon: f64) -> CmdResult<String> {
    Ok(state.with_store(|s| s.place_pending(&id, lat, lon))?)
}
