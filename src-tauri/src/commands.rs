//! The IPC surface: each command is a few lines that call the core and map its errors.
//! Commands run off the main thread (`async`), so a slow disk never freezes the window.

use std::collections::HashMap;
use std::path::PathBuf;

use aidmap::household::{Household, HouseholdDetail, HouseholdInput, HouseholdPage, HouseholdPin};
use aidmap::need::{Need, NeedInput};
use aidmap::recent;
use aidmap::store::operation::OperationInfo;
use aidmap::store::operation::Startup;
use aidmap::vocab::NeedStatus;
use aidmap::{ErrorReport, Store};
use tauri::{AppHandle, State};

use crate::error::CmdResult;
use crate::session;
use crate::state::AppState;

/// Opens the last operation, or the demo on first launch. When the last one cannot be opened
/// the demo opens instead and the reason comes back so the UI can say why.
#[tauri::command(async)]
pub fn startup(app: AppHandle, state: State<'_, AppState>) -> CmdResult<Startup> {
    let mut reopen_error = None;
    let last = recent::load(&state.config_dir).into_iter().next().map(|e| e.path);
    if let Some(path) = &last {
        match session::open(&app, &PathBuf::from(path), None) {
            Ok(operation) => return Ok(Startup { operation, reopen_error: None, reopen_path: None }),
            Err(e) => reopen_error = Some(ErrorReport::from(&e)),
        }
    }
    let reopen_path = reopen_error.as_ref().and(last);
    Ok(Startup { operation: session::open_demo(&app)?, reopen_error, reopen_path })
}

#[tauri::command(async)]
pub fn open_demo(app: AppHandle) -> CmdResult<OperationInfo> {
    Ok(session::open_demo(&app)?)
}

#[tauri::command(async)]
pub fn open_operation(app: AppHandle, path: PathBuf, passphrase: Option<String>) -> CmdResult<OperationInfo> {
    Ok(session::open(&app, &path, passphrase.as_deref())?)
}

#[tauri::command(async)]
pub fn new_operation(
    app: AppHandle,
    state: State<'_, AppState>,
    path: PathBuf,
    name: String,
    passphrase: Option<String>,
) -> CmdResult<OperationInfo> {
    let store = Store::create_encrypted(&path, &name, &state.installation_id, passphrase.as_deref())?;
    Ok(session::switch_to(&app, store)?)
}

/// Rebuilds the native menu with labels in the UI's language and the current recent list.
#[tauri::command(async)]
pub fn set_menu(app: AppHandle, state: State<'_, AppState>, labels: HashMap<String, String>) -> CmdResult<()> {
    let op = state
        .with_store(|s| {
            Ok(crate::menu::OpState {
                open: true,
                encrypted: s.encrypted(),
                writable: !s.read_only(),
                demo: s.info()?.is_demo,
            })
        })
        .unwrap_or_default();
    let menu = crate::menu::build(&app, &labels, &recent::load(&state.config_dir), op)?;
    app.set_menu(menu)?;
    Ok(())
}

/// The demo area outline (roads, buildings, boundary) as GeoJSON text.
#[tauri::command(async)]
pub fn demo_area() -> CmdResult<tauri::ipc::Response> {
    Ok(tauri::ipc::Response::new(aidmap::demo::area::geojson()?.to_string()))
}

#[tauri::command(async)]
pub fn household_pins(state: State<'_, AppState>) -> CmdResult<Vec<HouseholdPin>> {
    Ok(state.with_store(|s| s.household_pins())?)
}

#[tauri::command(async)]
pub fn search_households(
    state: State<'_, AppState>,
    query: String,
    limit: u32,
    offset: u32,
) -> CmdResult<HouseholdPage> {
    Ok(state.with_store(|s| s.search_households(&query, limit, offset))?)
}

#[tauri::command(async)]
pub fn households_of(state: State<'_, AppState>, ids: Vec<String>, limit: u32) -> CmdResult<HouseholdPage> {
    Ok(state.with_store(|s| s.households_of(&ids, limit))?)
}

#[tauri::command(async)]
pub fn get_household(state: State<'_, AppState>, id: String) -> CmdResult<HouseholdDetail> {
    Ok(state.with_store(|s| s.household(&id))?)
}

#[tauri::command(async)]
pub fn create_household(state: State<'_, AppState>, input: HouseholdInput) -> CmdResult<Household> {
    Ok(state.with_store(|s| s.create_household(&input))?)
}

#[tauri::command(async)]
pub fn update_household(state: State<'_, AppState>, id: String, input: HouseholdInput) -> CmdResult<Household> {
    Ok(state.with_store(|s| s.update_household(&id, &input))?)
}

#[tauri::command(async)]
pub fn move_household(state: State<'_, AppState>, id: String, lat: f64, lon: f64) -> CmdResult<Household> {
    Ok(state.with_store(|s| s.move_household(&id, lat, lon))?)
}

#[tauri::command(async)]
pub fn add_need(state: State<'_, AppState>, household_id: String, input: NeedInput) -> CmdResult<Need> {
    Ok(state.with_store(|s| s.add_need(&household_id, &input))?)
}

#[tauri::command(async)]
pub fn update_need(state: State<'_, AppState>, id: String, input: NeedInput) -> CmdResult<Need> {
    Ok(state.with_store(|s| s.update_need(&id, &input))?)
}

#[tauri::command(async)]
pub fn set_need_status(state: State<'_, AppState>, id: String, status: NeedStatus) -> CmdResult<Need> {
    Ok(state.with_store(|s| s.set_need_status(&id, status))?)
}

/// The end-to-end tests' stand-in for the native file picker, which WebDriver cannot reach:
/// `AIDMAP_E2E_PICK_FILES` (paths separated by newlines) answers the next pickers in order.
/// Only in builds with the `e2e` feature; in any other build this always returns `None` and the
/// native dialog opens.
#[tauri::command]
pub fn e2e_pick_file(state: tauri::State<'_, AppState>) -> Option<String> {
    let mut picks = state.e2e_picks.lock().ok()?;
    (cfg!(feature = "e2e") && !picks.is_empty()).then(|| picks.remove(0))
}
