//! The native menu. Its labels come from the UI's i18n layer (`set_menu`), so every string the
//! user sees has one source; choosing an item sends a `menu` event back to the UI.

use std::collections::HashMap;

use aidmap::recent::RecentEntry;
use serde::Serialize;
use tauri::menu::{Menu, MenuBuilder, MenuItemBuilder, PredefinedMenuItem, SubmenuBuilder};
use tauri::{AppHandle, Emitter, Wry};

#[derive(Clone, Serialize)]
pub struct MenuEvent {
    pub action: String,
    pub path: Option<String>,
}

fn label<'a>(labels: &'a HashMap<String, String>, key: &'a str) -> &'a str {
    labels.get(key).map(String::as_str).unwrap_or(key)
}

/// What the open operation allows: `encrypted` decides between "Change passphrase" and
/// "Encrypt this operation"; `writable` greys out what would change the file.
#[derive(Clone, Copy, Default)]
pub struct OpState {
    pub open: bool,
    pub encrypted: bool,
    pub writable: bool,
    /// The demo stays unencrypted ("demo — not for real data").
    pub demo: bool,
}

pub fn build(
    app: &AppHandle,
    labels: &HashMap<String, String>,
    recent: &[RecentEntry],
    op: OpState,
) -> tauri::Result<Menu<Wry>> {
    let l = |k| label(labels, k);
    let mut recent_menu = SubmenuBuilder::new(app, l("open_recent"));
    if recent.is_empty() {
        recent_menu = recent_menu.item(&MenuItemBuilder::with_id("none", l("no_recent")).enabled(false).build(app)?);
    }
    for (i, entry) in recent.iter().enumerate() {
        recent_menu = recent_menu.item(&MenuItemBuilder::with_id(format!("recent:{i}"), &entry.path).build(app)?);
    }
    let file = SubmenuBuilder::new(app, l("file"))
        .item(&MenuItemBuilder::with_id("new", l("new")).accelerator("CmdOrCtrl+N").build(app)?)
        .item(&MenuItemBuilder::with_id("open", l("open")).accelerator("CmdOrCtrl+O").build(app)?)
        .item(&recent_menu.build()?)
        .separator()
        .item(&MenuItemBuilder::with_id("import", l("import")).enabled(op.open && op.writable).build(app)?)
        .item(&MenuItemBuilder::with_id("export", l("export")).enabled(op.open).build(app)?)
        .item(
            &SubmenuBuilder::new(app, l("region"))
                .item(
                    &MenuItemBuilder::with_id("import-region", l("import_region"))
                        .enabled(op.open && op.writable)
                        .build(app)?,
                )
                .item(
                    &MenuItemBuilder::with_id("use-basemap", l("use_basemap"))
                        .enabled(op.open && op.writable)
                        .build(app)?,
                )
                .build()?,
        )
        .separator()
        .item(&MenuItemBuilder::with_id("backup", l("backup")).enabled(op.open).build(app)?)
        .item(&MenuItemBuilder::with_id("hub-network", l("hub_network")).enabled(op.open && op.writable).build(app)?)
        .item(&MenuItemBuilder::with_id("restore", l("restore")).build(app)?)
        .separator()
        .item(&MenuItemBuilder::with_id("audit", l("audit")).enabled(op.open).build(app)?)
        .item(
            &MenuItemBuilder::with_id("change-passphrase", l("change_passphrase"))
                .enabled(op.open && op.encrypted && op.writable)
                .build(app)?,
        )
        .item(
            &MenuItemBuilder::with_id("encrypt", l("encrypt"))
                .enabled(op.open && !op.encrypted && op.writable && !op.demo)
                .build(app)?,
        )
        .item(
            &MenuItemBuilder::with_id("lock", l("lock"))
                .accelerator("CmdOrCtrl+L")
                .enabled(op.open && op.encrypted)
                .build(app)?,
        )
        .separator()
        .item(&MenuItemBuilder::with_id("settings", l("settings")).accelerator("CmdOrCtrl+,").build(app)?)
        .separator()
        .item(&MenuItemBuilder::with_id("quit", l("quit")).accelerator("CmdOrCtrl+Q").build(app)?)
        .build()?;
    let edit = SubmenuBuilder::new(app, l("edit"))
        .item(&PredefinedMenuItem::undo(app, None)?)
        .item(&PredefinedMenuItem::redo(app, None)?)
        .separator()
        .item(&PredefinedMenuItem::cut(app, None)?)
        .item(&PredefinedMenuItem::copy(app, None)?)
        .item(&PredefinedMenuItem::paste(app, None)?)
        .item(&PredefinedMenuItem::select_all(app, None)?)
        .build()?;
    let help = SubmenuBuilder::new(app, l("help"))
        .item(&MenuItemBuilder::with_id("demo", l("open_demo")).build(app)?)
        .item(&MenuItemBuilder::with_id("about", l("about")).build(app)?)
        .build()?;
    MenuBuilder::new(app).items(&[&file, &edit, &help]).build()
}

/// Forwards a chosen item to the UI, which owns the dialogs.
pub fn on_event(app: &AppHandle, id: &str, recent: &[RecentEntry]) {
    if id == "quit" {
        app.exit(0);
        return;
    }
    let event = match id.strip_prefix("recent:").and_then(|i| i.parse::<usize>().ok()) {
        Some(i) => match recent.get(i) {
            Some(entry) => MenuEvent { action: "open-recent".into(), path: Some(entry.path.clone()) },
            None => return,
        },
        None => MenuEvent { action: id.to_string(), path: None },
    };
    let _ = app.emit("menu", event);
}
