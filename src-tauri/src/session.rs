//! Switching the open operation: open it in the core, remember it as recent, title the window.

use std::path::Path;

use aidmap::store::operation::OperationInfo;
use aidmap::{recent, Store};
use tauri::{AppHandle, Manager};

use crate::state::AppState;

pub fn switch_to(app: &AppHandle, store: Store) -> aidmap::Result<OperationInfo> {
    let state = app.state::<AppState>();
    let info = store.info()?;
    // Remembering the file is a convenience: failing to write the list must not fail the open.
    let _ = recent::push(&state.config_dir, store.path(), &info.name);
    // The region pack beside it, if any; a damaged one only means no routing or search, and
    // the user is told (`region_info`).
    let pack = aidmap::region::pack_path_for(store.path());
    let (region, damaged) = if pack.exists() {
        match aidmap::region::RegionPack::open_guarded(&pack, std::time::Duration::from_secs(60)) {
            Ok(p) => (Some(p), None),
            Err(aidmap::Error::RegionDamaged(why)) => (None, Some(why)),
            Err(e) => (None, Some(e.to_string())),
        }
    } else {
        (None, None)
    };
    *state.region_damaged.lock().map_err(|_| aidmap::Error::Internal("state lock poisoned".into()))? = damaged;
    *state.store.lock().map_err(|_| aidmap::Error::Internal("state lock poisoned".into()))? = Some(store);
    state.set_region(region)?;
    // A closure that cannot be applied must not keep the operation from opening.
    let _ = crate::region::apply_closures(&state);
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.set_title(&format!("{} — {} — Aidmap", info.name, info.path));
    }
    Ok(info)
}

pub fn open(app: &AppHandle, path: &Path, passphrase: Option<&str>) -> aidmap::Result<OperationInfo> {
    let state = app.state::<AppState>();
    let store = Store::unlock(path, &state.installation_id, aidmap::OpenMode::Auto, passphrase)?;
    switch_to(app, store)
}

/// Opens the demo operation, writing it first if this installation has none yet.
pub fn open_demo(app: &AppHandle) -> aidmap::Result<OperationInfo> {
    let state = app.state::<AppState>();
    let path = state.demo_path();
    if !path.exists() {
        std::fs::create_dir_all(&state.data_dir)?;
        let today = chrono::Local::now().date_naive();
        aidmap::demo::write(&path, &aidmap::demo::DemoOptions::new(today), &state.installation_id)?;
    }
    aidmap::demo::ensure_region_pack(&path, chrono::Utc::now())?;
    open(app, &path, None)
}
