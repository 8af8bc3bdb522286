//! Commands that protect the data: the operator profile, locking, passphrases, backups, the
//! audit log, settings and retention. Each is a few lines over the core.

use std::path::PathBuf;

use aidmap::audit::{AuditFilter, AuditPage};
use aidmap::retention::PurgeReport;
use aidmap::settings::OperationSettings;
use aidmap::store::operation::OperationInfo;
use tauri::{AppHandle, State};

use crate::error::CmdResult;
use crate::session;
use crate::state::AppState;

/// The operator profile the audit log names for this session's changes (chosen at unlock).
#[tauri::command(async)]
pub fn set_operator(state: State<'_, AppState>, name: String) -> CmdResult<()> {
    Ok(state.with_store(|s| s.set_operator(&name))?)
}

/// Closes the operation and forgets its key; the UI asks for the passphrase again.
#[tauri::command(async)]
pub fn lock_operation(window: tauri::Window, state: State<'_, AppState>) -> CmdResult<()> {
    state.close()?;
    // The window title named the operation and its path: nothing of it stays while locked.
    let _ = window.set_title("Aidmap");
    Ok(())
}

#[tauri::command(async)]
pub fn change_passphrase(state: State<'_, AppState>, current: String, new: String) -> CmdResult<()> {
    Ok(state.with_store(|s| s.change_passphrase(&current, &new))?)
}

#[tauri::command(async)]
pub fn encrypt_operation(state: State<'_, AppState>, passphrase: String) -> CmdResult<OperationInfo> {
    Ok(state.with_store(|s| {
        s.encrypt(&passphrase)?;
        s.info()
    })?)
}

#[tauri::command(async)]
pub fn backup_operation(state: State<'_, AppState>, path: PathBuf) -> CmdResult<()> {
    Ok(state.with_store(|s| s.backup_to(&path))?)
}

/// Checks a backup, writes it as a new operation at `out` and opens that.
#[tauri::command(async)]
pub fn restore_backup(
    app: AppHandle,
    state: State<'_, AppState>,
    backup: PathBuf,
    out: PathBuf,
    passphrase: Option<String>,
    operator: String,
) -> CmdResult<OperationInfo> {
    let store = aidmap::backup::restore(&backup, &out, &state.installation_id, passphrase.as_deref(), &operator)?;
    Ok(session::switch_to(&app, store)?)
}

#[tauri::command(async)]
pub fn audit_log(state: State<'_, AppState>, filter: AuditFilter, limit: u32, offset: u32) -> CmdResult<AuditPage> {
    Ok(state.with_store(|s| s.audit(&filter, limit, offset))?)
}

#[tauri::command(async)]
pub fn operation_settings(state: State<'_, AppState>) -> CmdResult<OperationSettings> {
    Ok(state.with_store(|s| s.settings())?)
}

#[tauri::command(async)]
pub fn set_operation_settings(state: State<'_, AppState>, settings: OperationSettings) -> CmdResult<OperationSettings> {
    Ok(state.with_store(|s| s.set_settings(&settings))?)
}

#[tauri::command(async)]
pub fn purge_preview(state: State<'_, AppState>) -> CmdResult<PurgeReport> {
    Ok(state.with_store(|s| s.purge_preview())?)
}

#[tauri::command(async)]
pub fn purge(state: State<'_, AppState>) -> CmdResult<PurgeReport> {
    Ok(state.with_store(|s| s.purge())?)
}
