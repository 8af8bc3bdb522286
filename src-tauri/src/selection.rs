//! Many households at once: a selection from a list filter, bulk actions and their undo, the
//! door-knock list of a selection.

use std::path::PathBuf;

use aidmap::bulk::{BulkAction, BulkOutcome, SelectionFilter};
use aidmap::sheets::SheetLanguage;
use tauri::State;

use crate::error::CmdResult;
use crate::state::AppState;

#[tauri::command(async)]
pub fn select_households(state: State<'_, AppState>, filter: SelectionFilter) -> CmdResult<Vec<String>> {
    Ok(state.with_store(|s| s.select_households(&filter))?)
}

#[tauri::command(async)]
pub fn bulk_households(state: State<'_, AppState>, ids: Vec<String>, action: BulkAction) -> CmdResult<BulkOutcome> {
    Ok(state.with_store(|s| s.bulk(&ids, &action))?)
}

#[tauri::command(async)]
pub fn bulk_undo(state: State<'_, AppState>, outcome: BulkOutcome) -> CmdResult<u32> {
    Ok(state.with_store(|s| s.bulk_undo(&outcome))?)
}

#[tauri::command(async)]
pub fn save_door_knock(
    state: State<'_, AppState>,
    ids: Vec<String>,
    language: SheetLanguage,
    path: PathBuf,
) -> CmdResult<()> {
    Ok(state.with_store(|s| s.save_door_knock(&ids, language, &path))?)
}
