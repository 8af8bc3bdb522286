//! Dashboard commands: the figures of a day, and saving them (JSON, CSV, the situation report
//! PDF) to a file the user picked.

use std::path::PathBuf;

use aidmap::report::{Report, ReportRequest};
use aidmap::sheets::SheetLanguage;
use aidmap::ReportFormat;
use tauri::State;

use crate::error::CmdResult;
use crate::state::AppState;

#[tauri::command(async)]
pub fn report(state: State<'_, AppState>, request: ReportRequest) -> CmdResult<Report> {
    Ok(state.with_store(|s| state.with_region(|r| s.report(r, &request))?)?)
}

#[tauri::command(async)]
pub fn save_report(
    state: State<'_, AppState>,
    request: ReportRequest,
    format: ReportFormat,
    language: SheetLanguage,
    path: PathBuf,
) -> CmdResult<()> {
    Ok(state.with_store(|s| {
        let report = state.with_region(|r| s.report(r, &request))??;
        s.save_report(&report, format, language, &path)
    })?)
}
