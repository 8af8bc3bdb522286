//! Region pack commands: import an OSM extract (with progress events and cancel), the pack's
//! info, and address search. The pack lives beside the operation (`aidmap::region`).

use std::path::PathBuf;
use std::sync::atomic::Ordering;

use aidmap::closure::{Closure, ClosureInput};
use aidmap::region::geocode::GeocodeResult;
use aidmap::region::{self, RegionInfo, RegionPack};
use aidmap::vocab::AuditAction;
use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager, State};

use crate::error::CmdResult;
use crate::state::AppState;

#[derive(Clone, Serialize)]
pub struct RegionProgress {
    pub phase: String,
    pub count: u64,
}

#[tauri::command(async)]
pub fn region_info(state: State<'_, AppState>) -> CmdResult<Option<RegionInfo>> {
    Ok(state.with_region(|r| r.map(|p| p.info().clone()))?)
}

#[tauri::command(async)]
pub fn geocode(state: State<'_, AppState>, query: String, limit: usize) -> CmdResult<Vec<GeocodeResult>> {
    Ok(state.with_region(|r| match r {
        Some(pack) => pack.geocode(&query, limit.min(50)),
        None => Ok(vec![]),
    })??)
}

#[tauri::command(async)]
pub fn cancel_region_import(state: State<'_, AppState>) {
    state.region_cancel.store(true, Ordering::SeqCst);
}

/// Builds the open operation's region pack from `extract`, replacing the old one only when the
/// new one is complete. Progress goes out as `region-progress` events.
#[tauri::command(async)]
pub fn import_region(app: AppHandle, state: State<'_, AppState>, extract: PathBuf) -> CmdResult<RegionInfo> {
    let target = state.with_store(|s| {
        if s.read_only() {
            return Err(aidmap::Error::ReadOnly);
        }
        Ok(region::pack_path_for(s.path()))
    })?;
    state.region_cancel.store(false, Ordering::SeqCst);
    let fresh = aidmap::store::copy::sibling(&target, ".new");
    let _ = std::fs::remove_file(&fresh);
    let built = region::build(&extract, &fresh, &mut |phase, count| {
        let _ = app.emit("region-progress", RegionProgress { phase: phase.to_string(), count });
        !app.state::<AppState>().region_cancel.load(Ordering::SeqCst)
    })
    .and_then(|info| RegionPack::open(&fresh).map(|pack| (info, pack)));
    let (info, pack) = match built {
        Ok(x) => x,
        Err(e) => {
            let _ = std::fs::remove_file(&fresh);
            return Err(e.into());
        }
    };
    // Install it only if the same operation is still open (a lock or a switch during a long
    // import must not give another operation this pack).
    let detail = format!("region pack from {}", info.source);
    let installed = state.with_store(|s| {
        if region::pack_path_for(s.path()) != target {
            return Err(aidmap::Error::Cancelled);
        }
        drop(state.region.lock().map_err(|_| aidmap::Error::Internal("state lock poisoned".into()))?.take());
        aidmap::store::copy::rename_durably(&fresh, &target)?;
        state.set_region(Some(pack))?;
        s.write(|tx, stamp| aidmap::audit::record(tx, stamp, AuditAction::Import, "region", &[], &detail))
    });
    if let Err(e) = installed {
        let _ = std::fs::remove_file(&fresh);
        return Err(e.into());
    }
    apply_closures(&state)?;
    Ok(info)
}

/// Re-applies the operation's active closures to the region's router (after a change, or
/// when either is opened). Holds the store lock throughout (store, then region: the one lock
/// order), so two quick changes can never apply an older set of closures last.
pub fn apply_closures(state: &AppState) -> aidmap::Result<usize> {
    state.with_store(|s| {
        let shapes = s.closure_shapes()?;
        let mut guard = state.region.lock().map_err(|_| aidmap::Error::Internal("state lock poisoned".into()))?;
        Ok(guard.as_mut().map(|pack| pack.router_mut().set_closures(&shapes)).unwrap_or(0))
    })
}

#[tauri::command(async)]
pub fn closures(state: State<'_, AppState>) -> CmdResult<Vec<Closure>> {
    Ok(state.with_store(|s| s.closures())?)
}

#[tauri::command(async)]
pub fn create_closure(state: State<'_, AppState>, input: ClosureInput) -> CmdResult<Closure> {
    let c = state.with_store(|s| s.create_closure(&input))?;
    apply_closures(&state)?;
    Ok(c)
}

#[tauri::command(async)]
pub fn update_closure(state: State<'_, AppState>, id: String, input: ClosureInput) -> CmdResult<Closure> {
    let c = state.with_store(|s| s.update_closure(&id, &input))?;
    apply_closures(&state)?;
    Ok(c)
}

#[tauri::command(async)]
pub fn delete_closure(state: State<'_, AppState>, id: String) -> CmdResult<()> {
    state.with_store(|s| s.delete_closure(&id))?;
    apply_closures(&state)?;
    Ok(())
}
