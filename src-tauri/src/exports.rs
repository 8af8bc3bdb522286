//! Export commands: the columns offered for a kind, and writing the chosen export to a file the
//! user picked (the core writes it under a temporary name and records it in the audit log).

use std::path::PathBuf;

use aidmap::export::{ExportColumn, ExportKind, ExportRequest, ExportSummary};
use tauri::State;

use crate::error::CmdResult;
use crate::state::AppState;

#[tauri::command]
pub fn export_columns(kind: ExportKind) -> Vec<ExportColumn> {
    aidmap::export::columns(kind)
}

#[tauri::command(async)]
pub fn export_data(state: State<'_, AppState>, request: ExportRequest, path: PathBuf) -> CmdResult<ExportSummary> {
    Ok(state.with_store(|s| s.export_to(&request, &path))?)
}
