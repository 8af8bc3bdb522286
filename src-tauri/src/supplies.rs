//! Supplies and people commands: the item catalogue, sites and stock, volunteers, shifts and
//! vehicles. One call into the core each.

use aidmap::catalogue::{CatalogueRules, KitComponent, SubstitutionGroup};
use aidmap::item::{Item, ItemInput};
use aidmap::need::Need;
use aidmap::site::{Site, SiteInput, SitePin};
use aidmap::stock::{Movement, Shortage, StockChange, StockRow};
use aidmap::vehicle::{Vehicle, VehicleInput};
use aidmap::vocab::Category;
use aidmap::volunteer::{Shift, ShiftInput, ShiftRow, Volunteer, VolunteerDetail, VolunteerFilter, VolunteerInput};
use tauri::State;

use crate::error::CmdResult;
use crate::state::AppState;

#[tauri::command(async)]
pub fn items(state: State<'_, AppState>) -> CmdResult<Vec<Item>> {
    Ok(state.with_store(|s| s.items())?)
}

#[tauri::command(async)]
pub fn create_item(state: State<'_, AppState>, input: ItemInput) -> CmdResult<Item> {
    Ok(state.with_store(|s| s.create_item(&input))?)
}

#[tauri::command(async)]
pub fn update_item(state: State<'_, AppState>, id: String, input: ItemInput) -> CmdResult<Item> {
    Ok(state.with_store(|s| s.update_item(&id, &input))?)
}

#[tauri::command(async)]
pub fn site_pins(state: State<'_, AppState>) -> CmdResult<Vec<SitePin>> {
    Ok(state.with_store(|s| s.site_pins())?)
}

#[tauri::command(async)]
pub fn sites(state: State<'_, AppState>) -> CmdResult<Vec<Site>> {
    Ok(state.with_store(|s| s.sites())?)
}

#[tauri::command(async)]
pub fn get_site(state: State<'_, AppState>, id: String) -> CmdResult<Site> {
    Ok(state.with_store(|s| s.site(&id))?)
}

#[tauri::command(async)]
pub fn create_site(state: State<'_, AppState>, input: SiteInput) -> CmdResult<Site> {
    Ok(state.with_store(|s| s.create_site(&input))?)
}

#[tauri::command(async)]
pub fn update_site(state: State<'_, AppState>, id: String, input: SiteInput) -> CmdResult<Site> {
    Ok(state.with_store(|s| s.update_site(&id, &input))?)
}

#[tauri::command(async)]
pub fn site_stock(state: State<'_, AppState>, id: String) -> CmdResult<Vec<StockRow>> {
    Ok(state.with_store(|s| s.stock(&id))?)
}

#[tauri::command(async)]
pub fn stock_history(state: State<'_, AppState>, id: String, limit: u32) -> CmdResult<Vec<Movement>> {
    Ok(state.with_store(|s| s.stock_history(&id, limit.min(500)))?)
}

#[tauri::command(async)]
pub fn change_stock(state: State<'_, AppState>, change: StockChange) -> CmdResult<Vec<Movement>> {
    Ok(state.with_store(|s| s.change_stock(&change))?)
}

#[tauri::command(async)]
pub fn shortages(state: State<'_, AppState>) -> CmdResult<Vec<Shortage>> {
    Ok(state.with_store(|s| s.shortages())?)
}

#[tauri::command(async)]
pub fn volunteers(state: State<'_, AppState>, filter: VolunteerFilter) -> CmdResult<Vec<Volunteer>> {
    Ok(state.with_store(|s| s.volunteers(&filter))?)
}

#[tauri::command(async)]
pub fn get_volunteer(state: State<'_, AppState>, id: String) -> CmdResult<VolunteerDetail> {
    Ok(state.with_store(|s| s.volunteer(&id))?)
}

#[tauri::command(async)]
pub fn create_volunteer(state: State<'_, AppState>, input: VolunteerInput) -> CmdResult<Volunteer> {
    Ok(state.with_store(|s| s.create_volunteer(&input))?)
}

#[tauri::command(async)]
pub fn update_volunteer(state: State<'_, AppState>, id: String, input: VolunteerInput) -> CmdResult<Volunteer> {
    Ok(state.with_store(|s| s.update_volunteer(&id, &input))?)
}

#[tauri::command(async)]
pub fn add_shift(state: State<'_, AppState>, volunteer_id: String, input: ShiftInput) -> CmdResult<Shift> {
    Ok(state.with_store(|s| s.add_shift(&volunteer_id, &input))?)
}

#[tauri::command(async)]
pub fn update_shift(state: State<'_, AppState>, id: String, input: ShiftInput) -> CmdResult<Shift> {
    Ok(state.with_store(|s| s.update_shift(&id, &input))?)
}

#[tauri::command(async)]
pub fn set_shifts_start_site(state: State<'_, AppState>, shift_ids: Vec<String>, site_id: String) -> CmdResult<u32> {
    Ok(state.with_store(|s| s.set_shifts_start_site(&shift_ids, &site_id))?)
}

#[tauri::command(async)]
pub fn delete_shift(state: State<'_, AppState>, id: String) -> CmdResult<()> {
    Ok(state.with_store(|s| s.delete_shift(&id))?)
}

#[tauri::command(async)]
pub fn shifts_between(state: State<'_, AppState>, from: String, until: String) -> CmdResult<Vec<ShiftRow>> {
    Ok(state.with_store(|s| s.shifts_between(&from, &until))?)
}

#[tauri::command(async)]
pub fn vehicles(state: State<'_, AppState>) -> CmdResult<Vec<Vehicle>> {
    Ok(state.with_store(|s| s.vehicles())?)
}

#[tauri::command(async)]
pub fn create_vehicle(state: State<'_, AppState>, input: VehicleInput) -> CmdResult<Vehicle> {
    Ok(state.with_store(|s| s.create_vehicle(&input))?)
}

#[tauri::command(async)]
pub fn update_vehicle(state: State<'_, AppState>, id: String, input: VehicleInput) -> CmdResult<Vehicle> {
    Ok(state.with_store(|s| s.update_vehicle(&id, &input))?)
}

#[tauri::command(async)]
pub fn catalogue_rules(state: State<'_, AppState>) -> CmdResult<CatalogueRules> {
    Ok(state.with_store(|s| s.catalogue_rules())?)
}

#[tauri::command(async)]
pub fn set_category_default(
    state: State<'_, AppState>,
    category: Category,
    item_id: Option<String>,
) -> CmdResult<CatalogueRules> {
    Ok(state.with_store(|s| {
        s.set_category_default(category, item_id.as_deref())?;
        s.catalogue_rules()
    })?)
}

#[tauri::command(async)]
pub fn save_substitution_group(state: State<'_, AppState>, group: SubstitutionGroup) -> CmdResult<CatalogueRules> {
    Ok(state.with_store(|s| {
        s.save_substitution_group(&group)?;
        s.catalogue_rules()
    })?)
}

#[tauri::command(async)]
pub fn delete_substitution_group(state: State<'_, AppState>, id: String) -> CmdResult<CatalogueRules> {
    Ok(state.with_store(|s| {
        s.delete_substitution_group(&id)?;
        s.catalogue_rules()
    })?)
}

#[tauri::command(async)]
pub fn set_kit(state: State<'_, AppState>, kit_id: String, components: Vec<KitComponent>) -> CmdResult<CatalogueRules> {
    Ok(state.with_store(|s| {
        s.set_kit(&kit_id, &components)?;
        s.catalogue_rules()
    })?)
}

#[tauri::command(async)]
pub fn needs_to_match(state: State<'_, AppState>) -> CmdResult<Vec<Need>> {
    Ok(state.with_store(|s| s.needs_to_match())?)
}
