//! Aidmap desktop: the Tauri 2 shell. Only this crate knows about IPC; it holds no SQL and no
//! domain rules (see README › Architecture).

mod backups;
mod commands;
mod error;
mod exports;
mod hub;
mod imports;
mod menu;
mod plans;
mod protection;
mod region;
mod reports;
mod selection;
mod session;
mod state;
mod supplies;
mod tiles;

use std::path::PathBuf;
use std::sync::Mutex;

use tauri::Manager;

use state::AppState;

/// `AIDMAP_DATA_DIR` puts config and data in one folder (tests and portable installs).
fn dirs(app: &tauri::App) -> tauri::Result<(PathBuf, PathBuf)> {
    if let Some(dir) = std::env::var_os("AIDMAP_DATA_DIR") {
        let dir = PathBuf::from(dir);
        return Ok((dir.clone(), dir));
    }
    Ok((app.path().app_config_dir()?, app.path().app_data_dir()?))
}

/// The app's own pages: `tauri://localhost` (built UI on Linux/macOS), `http(s)://tauri.localhost`
/// (Windows) and the Vite dev server on localhost.
fn is_app_url(url: &tauri::Url) -> bool {
    match url.scheme() {
        "tauri" => url.host_str() == Some("localhost"),
        "http" | "https" => matches!(url.host_str(), Some("tauri.localhost") | Some("localhost")),
        "about" => url.path() == "blank",
        _ => false,
    }
}

/// Blocks every navigation away from the app (a link in user text, a dropped URL, a redirect):
/// no remote content is ever loaded into the window.
fn navigation_guard<R: tauri::Runtime>() -> tauri::plugin::TauriPlugin<R> {
    tauri::plugin::Builder::new("navigation-guard").on_navigation(|_, url| is_app_url(url)).build()
}

pub fn run() {
    tauri::Builder::default()
        .plugin(navigation_guard())
        .plugin(tauri_plugin_dialog::init())
        .register_asynchronous_uri_scheme_protocol("tiles", tiles::handle)
        .setup(|app| {
            let (config_dir, data_dir) = dirs(app)?;
            let installation_id = aidmap::ids::installation_id(&config_dir)?;
            app.manage(AppState {
                store: Mutex::new(None),
                installation_id,
                config_dir,
                data_dir,
                last_backup: Mutex::new(None),
                region: Mutex::new(None),
                region_damaged: Mutex::new(None),
                region_cancel: Default::default(),
                plan_cancel: Default::default(),
                region_generation: Default::default(),
                hub: Mutex::new(None),
                e2e_picks: Mutex::new(
                    std::env::var("AIDMAP_E2E_PICK_FILES")
                        .ok()
                        .filter(|_| cfg!(feature = "e2e"))
                        .map(|v| v.lines().map(str::to_string).collect())
                        .unwrap_or_default(),
                ),
            });
            app.manage(tiles::TileCache::default());
            backups::start(app.handle().clone());
            hub::start(app.handle().clone());
            Ok(())
        })
        .on_menu_event(|app, event| {
            let recent = aidmap::recent::load(&app.state::<AppState>().config_dir);
            menu::on_event(app, event.id().as_ref(), &recent);
        })
        .invoke_handler(tauri::generate_handler![
            plans::plan_choices,
            plans::export_sheets,
            plans::sheet_options,
            plans::set_sheet_options,
            plans::sheet_preview,
            plans::plan_create,
            plans::plan_reoptimise,
            plans::plan_cancel,
            plans::plans_list,
            plans::plan_get,
            plans::plan_set_layout,
            plans::plan_dispatch,
            plans::plan_record_outcome,
            plans::plan_discard,
            plans::need_plan_states,
            supplies::catalogue_rules,
            supplies::set_category_default,
            supplies::save_substitution_group,
            supplies::delete_substitution_group,
            supplies::set_kit,
            supplies::needs_to_match,
            plans::export_packing,
            commands::startup,
            commands::open_demo,
            commands::open_operation,
            commands::new_operation,
            commands::set_menu,
            commands::demo_area,
            commands::household_pins,
            commands::search_households,
            commands::households_of,
            commands::get_household,
            commands::create_household,
            commands::update_household,
            commands::move_household,
            commands::add_need,
            commands::update_need,
            commands::set_need_status,
            protection::set_operator,
            protection::lock_operation,
            protection::change_passphrase,
            protection::encrypt_operation,
            protection::backup_operation,
            hub::hub_state,
            hub::hub_set_name,
            hub::hub_export,
            hub::hub_import,
            hub::hub_accept,
            hub::hub_resolve,
            hub::hub_start_syncthing,
            hub::hub_stop_syncthing,
            hub::hub_add_device,
            protection::restore_backup,
            protection::audit_log,
            protection::operation_settings,
            protection::set_operation_settings,
            protection::purge_preview,
            protection::purge,
            region::region_info,
            region::geocode,
            region::location_doubts,
            region::plus_code,
            region::import_region,
            region::use_basemap,
            commands::e2e_pick_file,
            imports::import_preview,
            imports::import_file,
            exports::export_columns,
            exports::export_data,
            reports::report,
            reports::save_report,
            selection::select_households,
            selection::bulk_households,
            selection::bulk_undo,
            selection::save_door_knock,
            imports::duplicates,
            imports::duplicate_pair,
            imports::dismiss_duplicate,
            imports::merge_households,
            imports::undo_merge,
            imports::pending_rows,
            imports::place_pending,
            supplies::items,
            supplies::create_item,
            supplies::update_item,
            supplies::site_pins,
            supplies::sites,
            supplies::get_site,
            supplies::create_site,
            supplies::update_site,
            supplies::site_stock,
            supplies::stock_history,
            supplies::change_stock,
            supplies::shortages,
            supplies::volunteers,
            supplies::get_volunteer,
            supplies::create_volunteer,
            supplies::update_volunteer,
            supplies::add_shift,
            supplies::update_shift,
            supplies::set_shifts_start_site,
            supplies::delete_shift,
            supplies::shifts_between,
            supplies::vehicles,
            supplies::create_vehicle,
            supplies::update_vehicle,
            region::cancel_region_import,
            region::closures,
            region::create_closure,
            region::update_closure,
            region::delete_closure,
        ])
        .build(tauri::generate_context!())
        .expect("error while building Aidmap")
        .run(|app, event| {
            // Quitting stops the operation's Syncthing (the process exits without dropping
            // the app's state).
            if let tauri::RunEvent::Exit = event {
                if let Some(hub) = app.state::<AppState>().hub.lock().ok().and_then(|mut h| h.take()) {
                    let _ = hub.stop();
                }
            }
        });
}
