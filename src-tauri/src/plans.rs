//! Planning board commands. A search runs without holding the operation: it is prepared under
//! the lock, searched outside it (progress as `plan-progress` events, `plan_cancel` keeps the
//! best so far), and saved under the lock again.

use std::sync::atomic::Ordering;

use aidmap::plan::types::{PlanChoices, PlanInfo, PlanLayout, PlanRequest, PlanView, StopOutcome};
use tauri::{AppHandle, Emitter, Manager, State};

use crate::error::CmdResult;
use crate::state::AppState;

fn view(state: &AppState, id: &str) -> aidmap::Result<PlanView> {
    state.with_store(|s| state.with_region(|r| s.plan_view(r, id))?)
}

/// A new search starts uncancelled: called before preparing, so a Cancel pressed while the
/// day's data is prepared stops the search as soon as it begins instead of being forgotten.
fn begin(state: &AppState) {
    state.plan_cancel.store(false, Ordering::SeqCst);
}

fn search(app: &AppHandle, prepared: &aidmap::plan::Prepared) -> aidmap::Result<aidmap::vrp::Solution> {
    let state = app.state::<AppState>();
    aidmap::plan::search(prepared, &state.plan_cancel, &mut |p| {
        let _ = app.emit("plan-progress", p);
    })
}

#[tauri::command(async)]
pub fn plan_choices(state: State<'_, AppState>, request: PlanRequest) -> CmdResult<PlanChoices> {
    Ok(state.with_store(|s| s.plan_choices(&request))?)
}

#[tauri::command(async)]
pub fn plan_create(app: AppHandle, state: State<'_, AppState>, request: PlanRequest) -> CmdResult<PlanView> {
    begin(&state);
    let prepared = state.with_store(|s| state.with_region(|r| s.prepare_plan(r, &request))?)?;
    let solution = search(&app, &prepared)?;
    let id = state.with_store(|s| s.save_new_plan(&prepared, &solution))?;
    Ok(view(&state, &id)?)
}

#[tauri::command(async)]
pub fn plan_reoptimise(
    app: AppHandle,
    state: State<'_, AppState>,
    id: String,
    seconds: u32,
    seed: u64,
) -> CmdResult<PlanView> {
    begin(&state);
    let prepared = state.with_store(|s| state.with_region(|r| s.prepare_reoptimise(r, &id, seconds, seed))?)?;
    let solution = search(&app, &prepared)?;
    state.with_store(|s| s.save_reoptimised(&prepared, &solution))?;
    Ok(view(&state, &id)?)
}

#[tauri::command(async)]
pub fn plan_cancel(state: State<'_, AppState>) -> CmdResult<()> {
    state.plan_cancel.store(true, Ordering::SeqCst);
    Ok(())
}

#[tauri::command(async)]
pub fn plans_list(state: State<'_, AppState>) -> CmdResult<Vec<PlanInfo>> {
    Ok(state.with_store(|s| s.plans())?)
}

#[tauri::command(async)]
pub fn plan_get(state: State<'_, AppState>, id: String) -> CmdResult<PlanView> {
    Ok(view(&state, &id)?)
}

#[tauri::command(async)]
pub fn plan_set_layout(state: State<'_, AppState>, id: String, layout: PlanLayout) -> CmdResult<PlanView> {
    state.with_store(|s| s.set_plan_layout(&id, &layout))?;
    Ok(view(&state, &id)?)
}

#[tauri::command(async)]
pub fn plan_dispatch(state: State<'_, AppState>, id: String) -> CmdResult<PlanView> {
    state.with_store(|s| s.dispatch_plan(&id))?;
    Ok(view(&state, &id)?)
}

#[tauri::command(async)]
pub fn plan_record_outcome(
    state: State<'_, AppState>,
    id: String,
    stop_id: String,
    outcome: Option<StopOutcome>,
    delivered: Option<Vec<(String, f64)>>,
) -> CmdResult<PlanView> {
    let delivered = delivered.unwrap_or_default();
    state.with_store(|s| s.record_stop_outcome_with(&id, &stop_id, outcome, &delivered))?;
    Ok(view(&state, &id)?)
}

#[tauri::command(async)]
pub fn need_plan_states(
    state: State<'_, AppState>,
    household_id: String,
) -> CmdResult<Vec<aidmap::plan::state::NeedPlanState>> {
    Ok(state.with_store(|s| s.need_plan_states(&household_id))?)
}

#[tauri::command(async)]
pub fn plan_discard(state: State<'_, AppState>, id: String) -> CmdResult<PlanInfo> {
    state
        .with_store(|s| {
            s.discard_plan(&id)?;
            s.plans()?.into_iter().find(|p| p.id == id).ok_or(aidmap::Error::NotFound("plan"))
        })
        .map_err(Into::into)
}

/// Route sheets of a plan's runs (all, or `run_id`) into `dir` in the chosen format. Returns
/// the files written.
#[tauri::command(async)]
pub fn export_sheets(
    state: State<'_, AppState>,
    plan_id: String,
    run_id: Option<String>,
    format: aidmap::sheets::files::SheetChoice,
    dir: std::path::PathBuf,
) -> CmdResult<Vec<String>> {
    use aidmap::sheets::files::{self, Which};
    let format = format.format(run_id.is_none());
    let which = match &run_id {
        Some(run) => Which::Run(run),
        None => Which::Plan(&plan_id),
    };
    let written = state.with_store(|s| {
        let options = s.sheet_options()?;
        state.with_region(|r| files::write(s, r, &which, &options, format, &dir))?
    })?;
    Ok(written.iter().map(|p| p.display().to_string()).collect())
}

#[tauri::command(async)]
pub fn sheet_options(state: State<'_, AppState>) -> CmdResult<aidmap::sheets::SheetOptions> {
    Ok(state.with_store(|s| s.sheet_options())?)
}

#[tauri::command(async)]
pub fn set_sheet_options(
    state: State<'_, AppState>,
    options: aidmap::sheets::SheetOptions,
) -> CmdResult<aidmap::sheets::SheetOptions> {
    Ok(state.with_store(|s| s.set_sheet_options(&options))?)
}

/// One stop of the plan exactly as the sheets would carry it with the operation's options.
#[tauri::command(async)]
pub fn sheet_preview(state: State<'_, AppState>, plan_id: String) -> CmdResult<Option<aidmap::sheets::SheetPreview>> {
    let preview = state.with_store(|s| {
        let options = s.sheet_options()?;
        state.with_region(|r| aidmap::sheets::files::preview(s, r, &plan_id, &options))?
    })?;
    Ok(preview)
}

/// The plan's packing list for the depots (`csv` or `pdf`) into `dir`; returns the file written.
#[tauri::command(async)]
pub fn export_packing(
    state: State<'_, AppState>,
    plan_id: String,
    format: aidmap::packing::PackingFormat,
    dir: std::path::PathBuf,
) -> CmdResult<Vec<String>> {
    use aidmap::packing;
    let path = state.with_store(|s| packing::export(s, &plan_id, format, &dir))?;
    Ok(vec![path.display().to_string()])
}
