//! Protecting the data in the real app: the operator profile chosen at unlock, Lock (personal
//! details leave the screen), changing the passphrase, the audit log viewer, retention purge
//! and the consent legal basis — each checked against the operation file.

use aidmap::household::HouseholdInput;
use aidmap::vocab::{AuditAction, HouseholdStatus, LegalBasis};
use aidmap::{OpenMode, Store};
use aidmap_e2e::fantoccini::Locator;
use aidmap_e2e::App;

const PASS: &str = "blue river 42 lanterns";
const NEW_PASS: &str = "seven quiet harbour bells";
const SECRET: &str = "Zebulon Quixote";

async fn unlock(app: &App, passphrase: &str, operator: Option<&str>) {
    let dialog = app.wait_css("[data-testid=unlock-dialog]").await;
    dialog.find(Locator::Css("input[name=passphrase]")).await.unwrap().send_keys(passphrase).await.unwrap();
    if let Some(name) = operator {
        let field = dialog.find(Locator::Css("input[name=operator]")).await.unwrap();
        field.clear().await.unwrap();
        field.send_keys(name).await.unwrap();
    }
    app.wait_css("[data-testid=unlock-submit]").await.click().await.unwrap();
    app.wait_css("[data-testid=encrypted-badge]").await;
}

async fn body_text(app: &App) -> String {
    app.wait_js("page text", "document.body.innerText").await.as_str().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn lock_change_passphrase_and_audit() {
    let data = tempfile::tempdir().unwrap();
    let path = data.path().join("shelter.aidmap");
    let mut store = Store::create_encrypted(&path, "Shelter North", "e2e", Some(PASS)).unwrap();
    let mut input = HouseholdInput::at(SECRET, 43.7325, 7.4189);
    input.consent.basis = Some(LegalBasis::VitalInterest);
    let h = store.create_household(&input).unwrap();
    drop(store);
    aidmap::recent::push(data.path(), &path, "Shelter North").unwrap();

    let app = App::launch(data.path()).await;
    unlock(&app, PASS, Some("Night Dispatcher")).await;
    app.screenshot("unlocked-with-operator").await;
    let who = app.wait_js("operator shown", "document.querySelector('[data-testid=operator-name]')?.textContent").await;
    assert!(who.as_str().unwrap().contains("Night Dispatcher"), "{who}");

    // The panel shows the consent legal basis.
    app.wait_css("[data-testid=household-list] [data-row]").await.click().await.unwrap();
    let consent = app.wait_css("[data-testid=consent]").await.text().await.unwrap();
    assert!(consent.contains("Vital interest"), "{consent}");
    assert!(body_text(&app).await.contains(SECRET));

    // Lock: nothing personal stays on screen — not even a search typed before — and the
    // passphrase brings it back.
    app.wait_css("[data-testid=search]").await.send_keys("Zebulon").await.unwrap();
    app.wait_css("[data-testid=lock]").await.click().await.unwrap();
    app.wait_css("[data-testid=locked-screen]").await;
    app.wait_css("[data-testid=unlock-dialog]").await;
    let text = body_text(&app).await;
    assert!(!text.contains(SECRET) && !text.contains("Shelter North"), "locked screen shows data: {text}");
    let html = app.wait_js("html", "document.documentElement.outerHTML").await;
    assert!(!html.as_str().unwrap().contains(SECRET), "no personal detail left in the page");
    let search = app.wait_js("search box", "document.querySelector('[data-testid=search]').value === ''").await;
    assert_eq!(search, true, "the search text is cleared on lock");
    app.screenshot("locked").await;
    unlock(&app, PASS, None).await;
    app.wait_js("list back", &format!("document.body.innerText.includes({SECRET:?})")).await;

    // Change the passphrase from Settings.
    app.wait_css("[data-testid=settings]").await.click().await.unwrap();
    app.wait_css("[data-testid=open-change-passphrase]").await.click().await.unwrap();
    let dialog = app.wait_css("[data-testid=passphrase-dialog]").await;
    dialog.find(Locator::Css("input[name=current-passphrase]")).await.unwrap().send_keys(PASS).await.unwrap();
    dialog.find(Locator::Css("input[name=new-passphrase]")).await.unwrap().send_keys(NEW_PASS).await.unwrap();
    dialog.find(Locator::Css("input[name=confirm-passphrase]")).await.unwrap().send_keys(NEW_PASS).await.unwrap();
    app.screenshot("change-passphrase").await;
    app.wait_css("[data-testid=passphrase-submit]").await.click().await.unwrap();
    app.wait_js("dialog closed", "!document.querySelector('[data-testid=passphrase-dialog]')").await;

    // The audit log viewer shows the change, by the operator chosen at unlock.
    app.wait_css("[data-testid=settings]").await.click().await.unwrap();
    app.wait_css("[data-testid=open-audit]").await.click().await.unwrap();
    app.wait_css("[data-testid=audit-dialog] [data-testid=audit-row][data-action=rekey]").await;
    let table = app.wait_css("[data-testid=audit-dialog] table").await.text().await.unwrap();
    assert!(table.contains("Night Dispatcher") && table.contains("Passphrase changed"), "{table}");
    assert!(!table.contains(SECRET), "the log never shows personal values");
    app.wait_css("[data-testid=audit-action]").await.select_by_value("create").await.unwrap();
    app.wait_js("filtered", "document.querySelectorAll('[data-testid=audit-row]').length == 1 && document.querySelector('[data-testid=audit-row]').dataset.action == 'create'").await;
    app.screenshot("audit-log").await;
    app.quit().await;

    // In the file: the new passphrase opens it, the old one does not, the rekey is audited.
    assert!(Store::unlock(&path, "e2e", OpenMode::ReadOnly, Some(PASS)).is_err());
    let store = Store::unlock(&path, "e2e", OpenMode::ReadOnly, Some(NEW_PASS)).unwrap();
    let log = store.audit(&Default::default(), 10, 0).unwrap();
    assert!(log.items.iter().any(|e| e.action == AuditAction::Rekey && e.operator == "Night Dispatcher"));
    assert_eq!(store.household(&h.id).unwrap().household.name, SECRET);
}

#[tokio::test(flavor = "multi_thread")]
async fn retention_purge_from_settings() {
    let data = tempfile::tempdir().unwrap();
    let path = data.path().join("old.aidmap");
    let long_ago = chrono::DateTime::parse_from_rfc3339("2026-01-10T10:00:00Z").unwrap().to_utc();
    let mut store = Store::create(&path, "Old operation", "e2e").unwrap().with_clock(move || long_ago);
    let mut closed = HouseholdInput::at("Closed Family", 43.7325, 7.4189);
    closed.status = HouseholdStatus::Closed;
    let gone = store.create_household(&closed).unwrap();
    store.create_household(&HouseholdInput::at("Active Family", 43.733, 7.419)).unwrap();
    drop(store);
    aidmap::recent::push(data.path(), &path, "Old operation").unwrap();

    let app = App::launch(data.path()).await;
    app.wait_css("[data-testid=plain-badge]").await;
    app.wait_css("[data-testid=settings]").await.click().await.unwrap();
    let days = app.wait_css("[data-testid=retention-households]").await;
    days.send_keys("30").await.unwrap();
    // Kept when the field is left (no separate Save).
    days.send_keys("\t").await.unwrap();
    app.wait_js("saved", "document.querySelector('[data-testid=settings-status]').dataset.state === 'saved'").await;
    app.wait_css("[data-testid=purge]").await.click().await.unwrap();
    let confirm = app.wait_css("[data-testid=purge-confirm]").await.text().await.unwrap();
    assert!(confirm.contains("personal details are removed: 1."), "{confirm}");
    app.screenshot("purge-confirm").await;
    app.wait_css("[data-testid=purge-confirm-button]").await.click().await.unwrap();
    let totals = app.wait_css("[data-testid=purge-totals]").await.text().await.unwrap();
    assert!(totals.contains("households: 1, people: 1"), "{totals}");

    // Encrypt this (unencrypted) operation from Settings.
    app.wait_css("[data-testid=open-encrypt]").await.click().await.unwrap();
    let dialog = app.wait_css("[data-testid=passphrase-dialog]").await;
    dialog.find(Locator::Css("input[name=new-passphrase]")).await.unwrap().send_keys(PASS).await.unwrap();
    dialog.find(Locator::Css("input[name=confirm-passphrase]")).await.unwrap().send_keys(PASS).await.unwrap();
    app.wait_css("[data-testid=passphrase-submit]").await.click().await.unwrap();
    app.wait_css("[data-testid=encrypted-badge]").await;
    app.wait_css("[data-testid=lock]").await;
    app.quit().await;

    assert!(!std::fs::read(&path).unwrap().starts_with(b"SQLite format 3\0"), "the file is encrypted now");
    let store = Store::unlock(&path, "e2e", OpenMode::Auto, Some(PASS)).unwrap();
    assert_eq!(store.household(&gone.id).unwrap().household.name, aidmap::retention::PURGED_NAME);
    assert_eq!(store.settings().unwrap().retention.households_days, Some(30));
    let actions: Vec<AuditAction> =
        store.audit(&Default::default(), 10, 0).unwrap().items.iter().map(|e| e.action).collect();
    assert_eq!(actions[..3], [AuditAction::Encrypt, AuditAction::Purge, AuditAction::Settings]);
}

/// Scheduled backups run in the app while the operation is open, keep the newest N and say so.
/// The schedule's clock is sped up for the test (a "minute" of 100 ms).
#[tokio::test(flavor = "multi_thread")]
async fn scheduled_backups_run_and_rotate() {
    let data = tempfile::tempdir().unwrap();
    let folder = data.path().join("usb-backups");
    std::fs::create_dir(&folder).unwrap();
    let path = data.path().join("hub.aidmap");
    let mut store = Store::create_encrypted(&path, "Hub East", "e2e", Some(PASS)).unwrap();
    store.create_household(&HouseholdInput::at(SECRET, 43.7325, 7.4189)).unwrap();
    let mut settings = store.settings().unwrap();
    settings.backup.folder = Some(folder.display().to_string());
    settings.backup.every_minutes = 5;
    settings.backup.keep = 2;
    store.set_settings(&settings).unwrap();
    drop(store);
    aidmap::recent::push(data.path(), &path, "Hub East").unwrap();

    let app =
        App::launch_with(data.path(), &[("AIDMAP_BACKUP_TICK_MS", "200"), ("AIDMAP_BACKUP_MINUTE_MS", "100")]).await;
    unlock(&app, PASS, Some("Backup Tester")).await;
    app.wait_js("a backup toast", "[...document.querySelectorAll('[data-testid=toast]')].some(t => t.textContent.includes('Automatic backup written'))").await;
    let count = || std::fs::read_dir(&folder).unwrap().count();
    for _ in 0..100 {
        if count() >= 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    tokio::time::sleep(std::time::Duration::from_secs(2)).await; // a few more rounds of rotation
    app.quit().await;
    // The app's schedule may still be running as the session closes (a "minute" is 100 ms here),
    // rotating files away while an unlock (half a second) reads one: take a snapshot of the
    // folder first, all of it in one go.
    let snapshot = data.path().join("snapshot");
    let mut files = Vec::new();
    for _ in 0..50 {
        let _ = std::fs::remove_dir_all(&snapshot);
        std::fs::create_dir(&snapshot).unwrap();
        let names: Vec<_> = std::fs::read_dir(&folder).unwrap().map(|e| e.unwrap().path()).collect();
        if names.iter().any(|p| p.extension().is_none_or(|e| e != "aidmap")) {
            // A backup being written (its temporary name): look again.
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            continue;
        }
        let copied: Vec<_> = names
            .iter()
            .filter_map(|p| {
                let to = snapshot.join(p.file_name().unwrap());
                std::fs::copy(p, &to).ok().map(|_| to)
            })
            .collect();
        if copied.len() == names.len() && names.len() == 2 {
            files = copied;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(files.len(), 2, "only the newest two are kept: {files:?}");
    for f in &files {
        let backup =
            Store::unlock(f, "e2e", OpenMode::ReadOnly, Some(PASS)).expect("a backup opens with the passphrase");
        assert_eq!(backup.households().unwrap()[0].name, SECRET);
    }
    let store = Store::unlock(&path, "e2e", OpenMode::ReadOnly, Some(PASS)).unwrap();
    let backups = store
        .audit(&aidmap::audit::AuditFilter { action: Some(AuditAction::Backup), ..Default::default() }, 100, 0)
        .unwrap();
    assert!(backups.total >= 3, "every backup is audited ({} entries)", backups.total);
    assert!(backups.items.iter().all(|e| e.operator == "Backup Tester"));
}

/// Lock clears every view that can hold personal data, dialogs included: the import preview
/// (the sheet's names and phones), the duplicates review (side by side), the export dialog, the
/// planning board.
#[tokio::test(flavor = "multi_thread")]
async fn lock_forgets_open_dialogs_and_the_planning_board() {
    const PHONE: &str = "+377 555 44 33 22";
    let data = tempfile::tempdir().unwrap();
    let path = data.path().join("hub.aidmap");
    let mut store = Store::create_encrypted(&path, "Hub West", "e2e", Some(PASS)).unwrap();
    for name in [SECRET, "Quixote Zebulon"] {
        let mut input = HouseholdInput::at(name, 43.7325, 7.4189);
        input.phones = vec![PHONE.into()];
        input.consent.basis = Some(LegalBasis::VitalInterest);
        store.create_household(&input).unwrap();
    }
    drop(store);
    aidmap::recent::push(data.path(), &path, "Hub West").unwrap();
    let csv = aidmap_e2e::workspace_root().join("tests/fixtures/import/households-500.csv");
    let app = App::launch_with(data.path(), &[("AIDMAP_E2E_PICK_FILES", &csv.display().to_string())]).await;
    unlock(&app, PASS, Some("Lock Tester")).await;
    unlocked(&app).await;

    // The import preview: names and phones of the sheet's rows.
    js_click(&app, "[data-testid=import-button]").await;
    app.wait_css("[data-testid=import-preview]").await;
    app.wait_js("a row of the sheet shown", "document.body.innerText.includes('Ana Applewood')").await;
    app.client.execute("document.querySelector('[data-testid=lock]').click(); return true;", vec![]).await.unwrap();
    app.wait_css("[data-testid=locked-screen]").await;
    let html = app.wait_js("html", "document.documentElement.outerHTML").await;
    assert!(!html.as_str().unwrap().contains("Ana Applewood"), "the import preview is gone");
    unlock(&app, PASS, None).await;
    unlocked(&app).await;
    assert!(app.client.find(Locator::Css("[data-testid=import-preview]")).await.is_err(), "and does not come back");

    // The duplicates review, side by side.
    js_click(&app, "[data-testid=duplicates-button]").await;
    js_click(&app, "[data-testid=dup-pair]").await;
    app.wait_css("[data-testid=dup-compare]").await;
    app.wait_js(
        "the pair shown",
        &format!("document.querySelector('[data-testid=dup-compare]').innerText.includes({:?})", SECRET),
    )
    .await;
    app.wait_css("[data-testid=lock]").await;
    app.client.execute("document.querySelector('[data-testid=lock]').click(); return true;", vec![]).await.unwrap();
    app.wait_css("[data-testid=locked-screen]").await;
    gone(&app, "duplicates dialog").await;
    unlock(&app, PASS, None).await;
    unlocked(&app).await;

    // The export dialog with personal columns switched on.
    js_click(&app, "[data-testid=export-button]").await;
    app.wait_css("[data-testid=export-dialog]").await;
    app.client.execute("document.querySelector('[data-testid=lock]').click(); return true;", vec![]).await.unwrap();
    app.wait_css("[data-testid=locked-screen]").await;
    assert!(app.client.find(Locator::Css("[data-testid=export-dialog]")).await.is_err(), "the export dialog closed");
    gone(&app, "export dialog").await;
    unlock(&app, PASS, None).await;
    unlocked(&app).await;

    // A household's panel and the planning board.
    js_click(&app, "[data-testid=household-list] [data-row]").await;
    js_click(&app, "[data-testid=open-planning]").await;
    app.wait_css("[data-testid=planning-board]").await;
    app.client.execute("document.querySelector('[data-testid=lock]').click(); return true;", vec![]).await.unwrap();
    app.wait_css("[data-testid=locked-screen]").await;
    assert!(app.client.find(Locator::Css("[data-testid=planning-board]")).await.is_err(), "the board closed");
    gone(&app, "household panel and planning board").await;
    app.screenshot("locked-after-dialogs").await;
    app.quit().await;
}

/// No name or phone of the test's households anywhere in the page.
async fn gone(app: &App, what: &str) {
    let html = app.wait_js("html", "document.documentElement.outerHTML").await.as_str().unwrap().to_string();
    assert!(
        !html.contains(SECRET) && !html.contains("Quixote") && !html.contains("44 33 22"),
        "{what}: data left in the page"
    );
}

/// The unlock dialog is gone and the operation's list is there (the dialog's closing frame can
/// still cover the page for a moment).
async fn unlocked(app: &App) {
    app.wait_js("unlocked", "!document.querySelector('[data-testid=unlock-dialog]') && !!document.querySelector('[data-testid=household-list]')").await;
}

async fn js_click(app: &App, css: &str) {
    app.wait_css(css).await;
    let js = format!("document.querySelector({css:?}).click(); return true;");
    app.client.execute(&js, vec![]).await.expect("click");
}

/// Settings keep every change as it is made; one that cannot be kept is never dropped
/// silently: Close asks, and Cancel keeps the dialog open with the field in red.
#[tokio::test(flavor = "multi_thread")]
async fn settings_keep_changes_at_once_and_ask_before_dropping_one() {
    let data = tempfile::tempdir().unwrap();
    let app = App::launch(data.path()).await;
    app.wait_css("[data-testid=settings]").await.click().await.unwrap();
    let set = |css: &str, v: &str| {
        format!("const e = document.querySelector('{css}'); e.value = '{v}'; e.dispatchEvent(new Event('input', {{bubbles: true}})); e.dispatchEvent(new Event('change', {{bubbles: true}})); return true;")
    };
    app.wait_css("[data-testid=autolock]").await;
    app.wait_css("[data-testid=retention-needs]").await;
    app.client.execute(&set("[data-testid=autolock]", "7"), vec![]).await.unwrap();
    app.client.execute(&set("[data-testid=retention-needs]", "45"), vec![]).await.unwrap();
    app.wait_js("kept", "document.querySelector('[data-testid=settings-status]').dataset.state === 'saved'").await;
    // Backups every 2 minutes is below the minimum: not kept, and said.
    app.client.execute(&set("[data-testid=backup-every]", "2"), vec![]).await.unwrap();
    app.wait_js("not kept", "document.querySelector('[data-testid=settings-status]').dataset.state === 'invalid'")
        .await;
    app.client
        .execute("document.querySelector('[data-testid=settings-close]').click(); return true;", vec![])
        .await
        .unwrap();
    app.wait_js("asked", "document.querySelector('[data-testid=settings-discard-dialog]')?.open === true").await;
    app.screenshot("settings-discard-question").await;
    app.client
        .execute("[...document.querySelectorAll('[data-testid=settings-discard-dialog] button')].find(b => b.dataset.testid !== 'settings-discard').click(); return true;", vec![])
        .await
        .unwrap();
    app.wait_js("still open", "!document.querySelector('[data-testid=settings-discard-dialog]') && !!document.querySelector('[data-testid=settings-dialog]')").await;
    app.client.execute(&set("[data-testid=backup-every]", "10"), vec![]).await.unwrap();
    app.wait_js("kept again", "document.querySelector('[data-testid=settings-status]').dataset.state === 'saved'")
        .await;
    app.client
        .execute("document.querySelector('[data-testid=settings-close]').click(); return true;", vec![])
        .await
        .unwrap();
    app.wait_js("closed", "!document.querySelector('[data-testid=settings-dialog]')").await;
    let autolock = app.client.execute("return localStorage.getItem('aidmap.autolock_minutes')", vec![]).await.unwrap();
    app.quit().await;

    let store = Store::open_with(&data.path().join("demo.aidmap"), "e2e", aidmap::OpenMode::ReadOnly).unwrap();
    let settings = store.settings().unwrap();
    assert_eq!((settings.retention.needs_days, settings.backup.every_minutes), (Some(45), 10));
    assert!(autolock.to_string().contains('7'), "auto-lock kept: {autolock}");
}
