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
    Ok(state.with_region(|r| match r {
        Some(pack) => pack.geocode(&query, limit.min(50)),
        None => Ok(vec![]),
    })??)
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
    let fresh = aidmap::files::sibling(&target, ".new");
    let _ = std::fs::remove_file(&fresh);
    let chosen_basemap =
        RegionPack::open(&target).ok().and_then(|old| Some((old.info().basemap_source.clone()?, old.basemap().ok()??)));
    let built = region::build(&extract, &fresh, chrono::Utc::now(), &mut |phase, count| {
        let _ = app.emit("region-progress", RegionProgress { phase: phase.to_string(), count });
        !app.state::<AppState>().region_cancel.load(Ordering::SeqCst)
    })
    .and_then(|info| match chosen_basemap {
        None => Ok(info),
        Some((name, archive)) => {
            let with = aidmap::files::sibling(&fresh, ".basemap");
            let info = region::use_basemap::with_basemap(&fresh, archive, &name, &with, chrono::Utc::now());
            let moved = info.and_then(|info| aidmap::files::rename_durably(&with, &fresh).map(|_| info));
            let _ = std::fs::remove_file(&with);
            moved
        }
    });
    let detail = |info: &RegionInfo| format!("region pack from {}", info.source);
    install(&state, &target, &fresh, built, detail)
}

/// File › Region › Use basemap file…: a Protomaps `.pmtiles` archive becomes the pack's basemap
/// (a basemap-only pack without one), swapped in like an import.
#[tauri::command(async)]
pub fn use_basemap(state: State<'_, AppState>, file: PathBuf) -> CmdResult<RegionInfo> {
    let target = writable_pack_path(&state)?;
    let archive = region::pmtiles_archive::read_file(&file)?;
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let fresh = aidmap::files::sibling(&target, ".new");
    let _ = std::fs::remove_file(&fresh);
    let built = region::use_basemap::with_basemap(&target, archive, &name, &fresh, chrono::Utc::now());
    install(&state, &target, &fresh, built, |info| {
        format!("basemap from {}", info.basemap_source.as_deref().unwrap_or_default())
    })
}

/// Opens the new pack at `fresh` and swaps it in for `target` — only if the same operation is
/// still open (a lock or a switch during a long import must not give another operation this
/// pack) — and audits it. On any failure `fresh` is removed and the old pack stays.
fn install(
    state: &AppState,
    target: &std::path::Path,
    fresh: &std::path::Path,
    built: aidmap::Result<RegionInfo>,
    detail: impl Fn(&RegionInfo) -> String,
) -> CmdResult<RegionInfo> {
    let result = built.and_then(|info| RegionPack::open(fresh).map(|pack| (info, pack))).and_then(|(info, pack)| {
        let detail = detail(&info);
        state.with_store(|s| {
            if region::pack_path_for(s.path()) != target {
                return Err(aidmap::Error::Cancelled);
            }
            drop(state.region.lock().map_err(|_| aidmap::Error::Internal("state lock poisoned".into()))?.take());
            aidmap::files::rename_durably(fresh, target)?;
            state.set_region(Some(pack))?;
            s.record(AuditAction::Import, "region", &[], &detail)
        })?;
        Ok(info)
    });
    match result {
        Ok(info) => {
            apply_closures(state)?;
            Ok(info)
        }
        Err(e) => {
            let _ = std::fs::remove_file(fresh);
            Err(e.into())
        }
    }
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
