// Declares the app's own commands in an app manifest so that capabilities/main.json can grant
// them to the main window only (nothing is allowed by default).
const COMMANDS: &[&str] = &[
    "startup",
    "open_demo",
    "open_operation",
    "new_operation",
    "set_menu",
    "demo_area",
    "household_pins",
    "search_households",
    "get_household",
    "create_household",
    "update_household",
    "move_household",
    "add_need",
    "update_need",
    "set_need_status",
    "set_operator",
    "lock_operation",
    "change_passphrase",
    "encrypt_operation",
    "backup_operation",
    "restore_backup",
    "audit_log",
    "operation_settings",
    "set_operation_settings",
    "purge_preview",
    "purge",
    "region_info",
    "geocode",
    "import_region",
    "cancel_region_import",
    "use_basemap",
    "e2e_pick_file",
    "closures",
    "create_closure",
    "update_closure",
    "delete_closure",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("failed to run tauri-build");
}
