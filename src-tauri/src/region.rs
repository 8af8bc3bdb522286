//! Region pack commands: import an OSM extract (with progress events and cancel), the pack's
//! info, and address search. The pack lives beside the operation (`aidmap::region`).

use std::path::PathBuf;
use std::sync::atomic::Ordering;

use aidmap::closure::{Closure, ClosureInput};
use aidmap::region::geocode::GeocodeResult;
use aidmap::region::replace::Replacement;
use aidmap::region::{self, RegionInfo};
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
    let info = state.with_region(|r| r.map(|p| p.info().clone()))?;
    if info.is_none() {
        if let Some(why) =
            state.region_damaged.lock().map_err(|_| aidmap::Error::Internal("state lock".into()))?.clone()
        {
            return Err(aidmap::Error::RegionDamaged(why).into());
        }
    }
    Ok(info)
}

#[tauri::command(async)]
pub fn geocode(state: State<'_, AppState>, query: String, limit: usize) -> CmdResult<Vec<GeocodeResult>> {
    Ok(state.with_region(|r| aidmap::region::locate(r, &query, limit.min(50)))??)
}

/// The plus code (10 digits) of a place, shown under the form's coordinates.
#[tauri::command]
pub fn plus_code(lat: f64, lon: f64) -> String {
    aidmap::pluscode::encode(lat, lon, 10)
}

/// What is doubtful about a household's location (outside the pack, in water, far from every
/// road); nothing without a region pack.
#[tauri::command(async)]
pub fn location_doubts(state: State<'_, AppState>, lat: f64, lon: f64) -> CmdResult<Vec<aidmap::region::PointDoubt>> {
    Ok(state.with_region(|r| r.map(|pack| pack.doubts(lat, lon)).unwrap_or_default())?)
}

#[tauri::command(async)]
pub fn cancel_region_import(state: State<'_, AppState>) {
    state.region_cancel.store(true, Ordering::SeqCst);
}

/// Where the open operation's pack goes; refused when the operation is read-only.
fn writable_pack_path(state: &AppState) -> aidmap::Result<PathBuf> {
    state.with_store(|s| {
        if s.read_only() {
            return Err(aidmap::Error::ReadOnly);
        }
        Ok(region::pack_path_for(s.path()))
    })
}

/// Builds the open operation's region pack from `extract`, replacing the old one only when the
/// new one is complete. Progress goes out as `region-progress` events. A basemap file the user
/// chose for the old pack is kept.
#[tauri::command(async)]
pub fn import_region(app: AppHandle, state: State<'_, AppState>, extract: PathBuf) -> CmdResult<RegionInfo> {
    let target = writable_pack_path(&state)?;
    state.region_cancel.store(false, Ordering::SeqCst);
    let built = Replacement::from_extract(&target, &extract, chrono::Utc::now(), &mut |phase, count| {
        let _ = app.emit("region-progress", RegionProgress { phase: phase.to_string(), count });
        !app.state::<AppState>().region_cancel.load(Ordering::SeqCst)
    })?;
    install(&state, built)
}

/// File › Region › Use basemap file…: a Protomaps `.pmtiles` archive becomes the pack's basemap
/// (a basemap-only pack without one), swapped in like an import.
#[tauri::command(async)]
pub fn use_basemap(state: State<'_, AppState>, file: PathBuf) -> CmdResult<RegionInfo> {
    let target = writable_pack_path(&state)?;
    let built = Replacement::with_basemap_file(&target, &file, chrono::Utc::now())?;
    install(&state, built)
}

/// Opens the new pack, puts it in place of the open operation's (the core refuses a pack built
/// for another operation) and hands it to the router with the active closures.
fn install(state: &AppState, built: Replacement) -> CmdResult<RegionInfo> {
    let pack = built.open()?;
    let info = state.with_store(|s| {
        drop(state.region.lock().map_err(|_| aidmap::Error::Internal("state lock poisoned".into()))?.take());
        let info = s.install_region(built)?;
        state.set_region(Some(pack))?;
        Ok(info)
    })?;
    apply_closures(state)?;
    Ok(info)
}

/// Re-applies the operation's active closures to the region's router (after a change, or
/// when either is opened). Holds the store lock throughout (store, then region: the one lock
/// order), so two quick changes can never apply an older set of closures last.
pub fn apply_closures(state: &AppState) -> aidmap::Result<usize> {
    state.with_store(|s| {
        let shapes = s.closure_shapes()?;
        let mut guard = state.region.lock().map_err(|_| aidmap::Error::Internal("state lock poisoned".into()))?;
        Ok(guard.as_mut().and_then(|pack| pack.router_mut()).map(|r| r.set_closures(&shapes)).unwrap_or(0))
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
