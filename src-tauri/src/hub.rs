//! Hub network: replicas of the operation exchanging changes through a folder (USB stick,
//! shared drive) or through Syncthing, started here for the operation. Each command is a few
//! lines over `aidmap::sync`; a background task ticks the Syncthing link every second and tells
//! the UI what arrived (`hub_changes`).

use std::path::PathBuf;
use std::time::Duration;

use aidmap::sync::exchange::{self, SyncExport, SyncImport};
use aidmap::sync::hub::{self, Hub, HubLink, HubOptions, HubView};
use aidmap::sync::status::{self, Keep};
use aidmap::Error;
use tauri::{AppHandle, Emitter, Manager, State};

use crate::error::CmdResult;
use crate::state::AppState;

fn hub_lock(state: &AppState) -> aidmap::Result<std::sync::MutexGuard<'_, Option<Hub>>> {
    state.hub.lock().map_err(|_| Error::Internal("state lock poisoned".into()))
}

#[tauri::command(async)]
pub fn hub_state(state: State<'_, AppState>) -> CmdResult<HubView> {
    let link = match hub_lock(&state)?.as_ref() {
        Some(h) => Some(h.link()?),
        None => None,
    };
    Ok(state.with_store(|s| hub::view(s, link))?)
}

#[tauri::command(async)]
pub fn hub_set_name(state: State<'_, AppState>, name: String) -> CmdResult<()> {
    Ok(state.with_store(|s| exchange::set_name(s, &name))?)
}

#[tauri::command(async)]
pub fn hub_export(state: State<'_, AppState>, folder: PathBuf) -> CmdResult<SyncExport> {
    Ok(state.with_store(|s| {
        let now = s.now();
        exchange::export_to(s, &folder, now)
    })?)
}

#[tauri::command(async)]
pub fn hub_import(state: State<'_, AppState>, folder: PathBuf, accept_new_peers: bool) -> CmdResult<SyncImport> {
    Ok(state.with_store(|s| {
        let now = s.now();
        exchange::import_from(s, &folder, accept_new_peers, now)
    })?)
}

#[tauri::command(async)]
pub fn hub_accept(state: State<'_, AppState>, peer: String) -> CmdResult<()> {
    Ok(state.with_store(|s| exchange::accept(s, &peer))?)
}

#[tauri::command(async)]
pub fn hub_resolve(
    state: State<'_, AppState>,
    entity: String,
    record: String,
    field: String,
    keep: Keep,
) -> CmdResult<()> {
    Ok(state.with_store(|s| status::resolve(s, &entity, &record, &field, keep))?)
}

/// Starts Syncthing for the open operation (LAN only unless `relays`).
#[tauri::command(async)]
pub fn hub_start_syncthing(state: State<'_, AppState>, relays: bool) -> CmdResult<HubLink> {
    let binary = hub::find_binary()
        .ok_or_else(|| Error::Syncthing("the syncthing program is not installed (Debian package syncthing)".into()))?;
    let (operation_id, folder) = state.with_store(|s| Ok((s.info()?.id, hub::default_folder(s.path()))))?;
    let mut guard = hub_lock(&state)?;
    if let Some(old) = guard.take() {
        old.stop()?;
    }
    let home = state.config_dir.join("syncthing").join(&operation_id);
    // The end-to-end test runs two app instances on one machine: each listens on loopback.
    let listen = std::env::var("AIDMAP_E2E_SYNCTHING_LISTEN").ok().filter(|_| cfg!(feature = "e2e"));
    let started = Hub::start(&HubOptions { binary, home, folder, relays, listen }, &operation_id)?;
    let link = started.link()?;
    *guard = Some(started);
    Ok(link)
}

#[tauri::command(async)]
pub fn hub_stop_syncthing(state: State<'_, AppState>) -> CmdResult<()> {
    if let Some(h) = hub_lock(&state)?.take() {
        h.stop()?;
    }
    Ok(())
}

#[tauri::command(async)]
pub fn hub_add_device(
    state: State<'_, AppState>,
    id: String,
    name: String,
    address: Option<String>,
) -> CmdResult<HubLink> {
    let mut guard = hub_lock(&state)?;
    let h = guard.as_mut().ok_or_else(|| Error::Syncthing("Syncthing is not running for this operation".into()))?;
    h.add_device(&id, &name, address.as_deref())?;
    Ok(h.link()?)
}

/// Every second while Syncthing runs: write new changes into the folder, apply what arrived.
pub fn start(app: AppHandle) {
    tauri::async_runtime::spawn(async move {
        loop {
            tokio::time::sleep(Duration::from_secs(1)).await;
            let app = app.clone();
            let _ = tauri::async_runtime::spawn_blocking(move || tick(&app)).await;
        }
    });
}

fn tick(app: &AppHandle) {
    let state = app.state::<AppState>();
    let Ok(mut guard) = state.hub.lock() else { return };
    let Some(h) = guard.as_mut() else { return };
    let result = state.with_store(|s| {
        let now = s.now();
        let report = h.tick(s, now)?;
        report.map(|r| hub::changes(s, r)).transpose()
    });
    drop(guard);
    match result {
        Ok(Some(changes)) => {
            let _ = app.emit("hub_changes", changes);
        }
        Ok(None) | Err(Error::NoOperation) => {}
        Err(e) => {
            let _ = app.emit("hub_error", aidmap::ErrorReport::from(&e));
        }
    }
}
