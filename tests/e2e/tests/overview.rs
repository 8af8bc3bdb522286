//! The coordinator's overview in the real app: the Dashboard's figures equal `aidmap report`'s
//! JSON for the same day and the situation report PDF is written; households selected with a box
//! on the map get the same need added, then undone; a household located by a plus code shows it
//! and its route sheet carries it. Screenshots: the dashboard, the selection, the situation report.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use aidmap::household::HouseholdInput;
use aidmap::item::ItemInput;
use aidmap::need::NeedInput;
use aidmap::plan::types::{PlanRequest, StopOutcome};
use aidmap::site::SiteInput;
use aidmap::stock::StockChange;
use aidmap::vehicle::VehicleInput;
use aidmap::vocab::{Category, Role, SiteKind, Urgency, VehicleKind};
use aidmap::volunteer::{ShiftInput, VolunteerInput};
use aidmap_e2e::App;
use chrono::TimeZone;

fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

fn midnight(day: chrono::NaiveDate) -> chrono::DateTime<chrono::Utc> {
    chrono::Local.from_local_datetime(&day.and_time(chrono::NaiveTime::MIN)).earliest().unwrap().to_utc()
}

/// An operation with a day of runs done today: eight households near the Port of Monaco, a depot
/// with water, a driver on shift today; planned, dispatched, five stops with outcomes.
fn operation(dir: &Path) -> PathBuf {
    let path = dir.join("hub.aidmap");
    let mut store = aidmap::Store::create(&path, "Hub Port", "e2e").unwrap();
    let site = store.create_site(&SiteInput::new("Port depot", SiteKind::Warehouse, 43.7352, 7.4237)).unwrap().id;
    let water = store
        .create_item(&ItemInput {
            name: "Water 1.5 L".into(),
            category: Category::Water,
            unit: "bottle".into(),
            weight_kg: 1.5,
            volume_l: 1.6,
            cold_chain: false,
            low_threshold: None,
            contents_amount: Some(1.5),
            contents_unit: "L".into(),
            medical: false,
        })
        .unwrap()
        .id;
    // Water asked by category alone is loaded as this item.
    store.set_category_default(Category::Water, Some(&water)).unwrap();
    store
        .change_stock(&StockChange::Receive {
            site_id: site.clone(),
            item_id: water.clone(),
            quantity: 200.0,
            expiry: None,
            reason: "donation".into(),
        })
        .unwrap();
    let van = store
        .create_vehicle(&VehicleInput {
            name: "Van".into(),
            owner_id: None,
            kind: VehicleKind::Van,
            capacity_kg: 800.0,
            capacity_l: 3000.0,
            seats: 2,
            capabilities: vec![],
            active: true,
        })
        .unwrap()
        .id;
    let dan = store
        .create_volunteer(&VolunteerInput {
            name: "Dan".into(),
            phone: String::new(),
            roles: vec![Role::Driver],
            languages: vec![],
            home_lat: None,
            home_lon: None,
            notes: String::new(),
            active: true,
        })
        .unwrap()
        .id;
    let start = midnight(today());
    let at = |h: i64| aidmap::clock::timestamp(start + chrono::Duration::hours(h));
    store
        .add_shift(
            &dan,
            &ShiftInput {
                starts_at: at(0),
                ends_at: at(23),
                vehicle_id: Some(van),
                start_site_id: Some(site.clone()),
                end_site_id: Some(site.clone()),
            },
        )
        .unwrap();
    // Tomorrow's shift, for what is planned after the test's changes.
    store
        .add_shift(
            &dan,
            &ShiftInput {
                starts_at: at(24 + 8),
                ends_at: at(24 + 18),
                vehicle_id: store.vehicles().unwrap().first().map(|v| v.id.clone()),
                start_site_id: Some(site.clone()),
                end_site_id: Some(site),
            },
        )
        .unwrap();
    let streets = ["Quai Antoine Ier", "Rue Grimaldi", "Boulevard Albert Ier", "Rue Princesse Caroline"];
    for k in 0..8 {
        let mut h = HouseholdInput::at(
            &format!("Household {k}"),
            43.7340 + 0.0004 * (k / 4) as f64,
            7.4210 + 0.0006 * (k % 4) as f64,
        );
        h.address = format!("{} {}", k + 1, streets[k % 4]);
        let id = store.create_household(&h).unwrap().id;
        let need = NeedInput {
            category: Category::Water,
            item_id: Some(water.clone()),
            quantity: 6.0,
            unit: "bottle".into(),
            urgency: if k < 3 { Urgency::Critical } else { Urgency::Normal },
            requested_at: None,
            wanted_by: None,
            notes: String::new(),
            notes_for_driver: false,
        };
        store.add_need(&id, &need).unwrap();
    }
    let req = PlanRequest::for_day(today(), start, 2, 1);
    let view = aidmap::plan::create(&mut store, None, &req, Some(30), &AtomicBool::new(false)).unwrap();
    store.dispatch_plan(&view.info.id).unwrap();
    let stops: Vec<String> = view.runs.iter().flat_map(|r| &r.stops).map(|s| s.id.clone()).collect();
    let outcomes = [
        StopOutcome::Delivered,
        StopOutcome::Delivered,
        StopOutcome::NobodyHome,
        StopOutcome::Refused,
        StopOutcome::Delivered,
    ];
    for (stop, outcome) in stops.iter().zip(outcomes) {
        store.record_stop_outcome(&view.info.id, stop, Some(outcome)).unwrap();
    }
    drop(store);
    aidmap::recent::push(dir, &path, "Hub Port").unwrap();
    path
}

/// `aidmap report` of today, as JSON (the CLI built beside the app by `make test`).
fn cli_report(path: &Path) -> serde_json::Value {
    let cli = aidmap_e2e::workspace_root().join("target/debug/aidmap");
    assert!(cli.exists(), "{} is missing: build it with `cargo build -p aidmap`", cli.display());
    let out = std::process::Command::new(cli)
        .args(["report", "--db"])
        .arg(path)
        .args(["--date", &today().to_string(), "--format", "json"])
        .env("AIDMAP_CONFIG_DIR", path.parent().unwrap().join("cli-config"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

async fn text_of(app: &App, testid: &str) -> String {
    let v = app
        .wait_js(testid, &format!("document.querySelector('[data-testid={testid}]')?.textContent.trim() ?? null"))
        .await;
    v.as_str().unwrap().to_string()
}

async fn js(app: &App, script: &str) -> serde_json::Value {
    app.client.execute(script, vec![]).await.expect("script")
}

#[tokio::test(flavor = "multi_thread")]
async fn the_dashboard_equals_the_cli_and_writes_the_situation_report() {
    let data = tempfile::tempdir().unwrap();
    let path = operation(data.path());
    let cli = cli_report(&path);
    let pdf = data.path().join("sitrep.pdf");
    let app = App::launch_with(data.path(), &[("AIDMAP_E2E_PICK_FILES", &pdf.display().to_string())]).await;
    app.wait_css("[data-testid=plain-badge]").await;
    app.wait_css("[data-testid=dashboard-toggle]").await.click().await.unwrap();
    app.wait_css("[data-testid=dashboard]").await;
    app.wait_js("figures", "document.querySelector('[data-testid=dash-open-total]') !== null").await;

    for (prefix, period) in [("today", "today"), ("week", "last_7_days"), ("total", "since_start")] {
        for key in ["households_reached", "delivered", "partly", "nobody_home", "refused", "unsafe"] {
            let shown = text_of(&app, &format!("dash-{prefix}-{key}")).await;
            assert_eq!(shown, cli[period][key].to_string(), "{prefix} {key}");
        }
    }
    assert_eq!(cli["today"]["delivered"], 3, "the operation's own outcomes");
    assert_eq!(text_of(&app, "dash-open-total").await, cli["open_needs"]["total"].to_string());
    for u in ["critical", "high", "normal", "low"] {
        assert_eq!(text_of(&app, &format!("dash-open-{u}")).await, cli["open_needs"][u].to_string(), "{u}");
    }
    let oldest: Vec<String> = serde_json::from_value(
        js(&app, "return [...document.querySelectorAll('[data-testid=dash-oldest]')].map(r => r.dataset.household)")
            .await,
    )
    .unwrap();
    let cli_oldest: Vec<String> = cli["oldest_critical"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["household_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(oldest, cli_oldest);
    let stock: Vec<String> = serde_json::from_value(
        js(&app, "return [...document.querySelectorAll('[data-testid=dash-stock]')].map(r => r.dataset.item)").await,
    )
    .unwrap();
    assert_eq!(stock.len(), cli["stock"].as_array().unwrap().len());
    assert_eq!(text_of(&app, "dash-drivers").await, cli["volunteers"]["active_drivers"].to_string());
    app.wait_js("areas on the map", "Number(document.querySelector('[data-testid=map]').dataset.reportAreas) > 0")
        .await;
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    app.screenshot("dashboard").await;

    app.wait_css("[data-testid=dash-save-pdf]").await.click().await.unwrap();
    // Written whole (a .part file renamed) before the dialog says so.
    app.wait_css_for("[data-testid=dash-saved]", std::time::Duration::from_secs(120)).await;
    assert!(pdf.exists(), "the situation report PDF");
    let text = std::process::Command::new("pdftotext").arg("-layout").arg(&pdf).arg("-").output().unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("Situation report") && !text.contains("Household 1"), "{text}");
    let png = data.path().join("sitrep");
    std::process::Command::new("pdftoppm")
        .args(["-r", "60", "-f", "1", "-l", "1", "-png", "-singlefile"])
        .arg(&pdf)
        .arg(&png)
        .status()
        .unwrap();
    std::fs::copy(png.with_extension("png"), aidmap_e2e::artifacts_dir().join("situation-report.png")).unwrap();
    app.quit().await;
}

/// With the lasso tool on, a plain drag around the map's middle: a ring of 24 points, `radius`
/// the fraction of the map's width and height (events on the map's canvas).
async fn lasso(app: &App, radius: f64) {
    let script = format!(
        "const c = document.querySelector('[data-testid=map] canvas'); const r = c.getBoundingClientRect();
         const at = (fx, fy) => ({{ clientX: r.left + r.width * fx, clientY: r.top + r.height * fy, bubbles: true, button: 0, buttons: 1 }});
         const p = (k) => [0.5 + {radius} * Math.cos(k * Math.PI / 12), 0.5 + {radius} * Math.sin(k * Math.PI / 12)];
         c.dispatchEvent(new MouseEvent('mousedown', at(...p(0))));
         for (let k = 1; k <= 24; k++) c.dispatchEvent(new MouseEvent('mousemove', at(...p(k))));
         c.dispatchEvent(new MouseEvent('mouseup', at(...p(24))));
         return true;"
    );
    js(app, &script).await;
}

/// Shift+drag over the map, as a person does with the mouse (events on the map's canvas).
async fn shift_drag(app: &App, from: (f64, f64), to: (f64, f64)) {
    let script = format!(
        "const c = document.querySelector('[data-testid=map] canvas'); const r = c.getBoundingClientRect();
         const at = (fx, fy) => ({{ clientX: r.left + r.width * fx, clientY: r.top + r.height * fy, bubbles: true, shiftKey: true, button: 0, buttons: 1 }});
         c.dispatchEvent(new MouseEvent('mousedown', at({}, {})));
         for (let i = 1; i <= 10; i++) {{ const f = i / 10; c.dispatchEvent(new MouseEvent('mousemove', at({} + ({} - {}) * f, {} + ({} - {}) * f))); }}
         c.dispatchEvent(new MouseEvent('mouseup', at({}, {})));
         return true;",
        from.0, from.1, from.0, to.0, from.0, from.1, to.1, from.1, to.0, to.1
    );
    js(app, &script).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lasso_selection_gets_a_need_added_then_undone_and_a_plus_code_locates_a_household() {
    let data = tempfile::tempdir().unwrap();
    let path = operation(data.path());
    let app = App::launch(data.path()).await;
    app.wait_css("[data-testid=plain-badge]").await;
    app.wait_js("pins", "document.querySelector('[data-testid=map-count]')?.textContent.includes('8')").await;
    // The map's layers are on (the lasso's among them) and it has settled on the households.
    app.wait_js("map ready", "document.querySelector('[data-testid=map]').dataset.lasso === 'off'").await;
    tokio::time::sleep(std::time::Duration::from_millis(1000)).await;
    // The lasso tool, then a ring drawn around the households: all eight are selected.
    app.wait_css("[data-testid=lasso-button]").await.click().await.unwrap();
    app.wait_css("[data-testid=selection-empty]").await;
    app.wait_js("lasso on", "document.querySelector('[data-testid=map]').dataset.lasso === 'on'").await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    lasso(&app, 0.4).await;
    app.wait_js("eight selected", "document.querySelector('[data-testid=map]').dataset.selected === '8'").await;
    app.wait_css("[data-testid=selection]").await;
    assert_eq!(text_of(&app, "selection-count").await, "8 households selected");
    let before: u32 = js(&app, "return Number(document.querySelector('[data-testid=map]').dataset.selectedOpenNeeds)")
        .await
        .as_u64()
        .unwrap() as u32;
    app.screenshot("selection").await;

    app.wait_css("[data-testid=bulk-add-need]").await.click().await.unwrap();
    app.wait_css("[data-testid=bulk-need-form] [data-testid=need-form]").await;
    js(&app, "const q = document.querySelector('[data-testid=bulk-need-form] input[name=quantity]'); q.value = '4'; q.dispatchEvent(new Event('input', {bubbles: true})); return true;").await;
    app.submit_need("[data-testid=bulk-need-form]").await;
    let question = text_of(&app, "bulk-confirm-text").await;
    assert!(question.contains('8'), "{question}");
    app.wait_css("[data-testid=bulk-confirm]").await.click().await.unwrap();
    app.wait_js(
        "a need more for each",
        &format!("Number(document.querySelector('[data-testid=map]').dataset.selectedOpenNeeds) === {}", before + 8),
    )
    .await;
    app.wait_css("[data-testid=bulk-undo]").await.click().await.unwrap();
    app.wait_js(
        "undone",
        &format!("Number(document.querySelector('[data-testid=map]').dataset.selectedOpenNeeds) === {before}"),
    )
    .await;

    // Shift+drag a box over the empty top of the map: a new, empty selection; then over it all.
    shift_drag(&app, (0.05, 0.02), (0.95, 0.15)).await;
    app.wait_js("none in the box", "document.querySelector('[data-testid=map]').dataset.selected === '0'").await;
    shift_drag(&app, (0.02, 0.02), (0.98, 0.98)).await;
    app.wait_js("eight in the box", "document.querySelector('[data-testid=map]').dataset.selected === '8'").await;

    // A household without an address, located by its plus code typed where the address goes,
    // with a landmark; the panel shows its code.
    app.wait_css("[data-testid=selection-clear]").await.click().await.unwrap();
    let code = aidmap::pluscode::encode(43.7350, 7.4200, 10);
    js(&app, "document.activeElement?.blur(); return true;").await;
    app.wait_css("[data-testid=new-household]").await.click().await.unwrap();
    app.wait_css("[data-testid=household-form]").await;
    app.wait_css("form input[name=name]").await.send_keys("Tent family").await.unwrap();
    app.wait_css("form input[name=address]").await.send_keys(&code).await.unwrap();
    app.wait_css("[data-testid=locate]").await.click().await.unwrap();
    app.wait_js("located", "document.querySelector('input[name=lat]').value.startsWith('43.735')").await;
    app.wait_css("form input[name=landmark]").await.send_keys("Blue tent behind the church").await.unwrap();
    app.wait_js(
        "plus code shown",
        &format!("document.querySelector('[data-testid=plus-code]')?.textContent.includes('{code}')"),
    )
    .await;
    app.screenshot("plus-code-form").await;
    app.wait_css("[data-testid=household-submit]").await.click().await.unwrap();
    // Its need form opens: six bottles of water.
    app.wait_css("[data-testid=need-form] input[name=quantity]").await;
    js(&app, "const q = document.querySelector('[data-testid=need-form] input[name=quantity]'); q.value = '6'; q.dispatchEvent(new Event('input', {bubbles: true})); return true;").await;
    app.submit_need("body").await;
    app.wait_js(
        "its plus code in the panel",
        &format!("document.querySelector('[data-testid=household-plus-code]')?.textContent.includes('{code}')"),
    )
    .await;
    // Its water saved (the CLI plans it below).
    app.wait_css("[data-testid=household-panel] [data-testid=need][data-status=open]").await;

    // One audit entry for the action, one for its undo, each naming the eight households.
    app.quit().await;
    let store = aidmap::Store::open(&path, "e2e").unwrap();
    let log = store.audit(&Default::default(), 20, 0).unwrap();
    let bulk: Vec<_> = log.items.iter().filter(|e| e.detail.contains("bulk add_need")).collect();
    assert_eq!(bulk.len(), 2, "{:?}", log.items.iter().map(|e| &e.detail).collect::<Vec<_>>());
    assert!(bulk.iter().any(|e| e.record_ids.len() == 8));
    drop(store);

    // Tomorrow's route sheet carries the tent's plus code and landmark.
    let cli = aidmap_e2e::workspace_root().join("target/debug/aidmap");
    let tomorrow = (today() + chrono::Duration::days(1)).to_string();
    let config = data.path().join("cli-config");
    let run = |args: &[&str]| {
        let out = std::process::Command::new(&cli).args(args).env("AIDMAP_CONFIG_DIR", &config).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    };
    let db = path.display().to_string();
    run(&["plan", "--db", &db, "--date", &tomorrow, "--seconds", "1"]);
    let sheets = data.path().join("sheets");
    run(&[
        "export",
        "sheets",
        "--db",
        &db,
        "--format",
        "csv",
        "--date",
        &tomorrow,
        "--out",
        &sheets.display().to_string(),
    ]);
    let csv: String =
        std::fs::read_dir(&sheets).unwrap().map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap()).collect();
    assert!(csv.contains(&code) && csv.contains("Blue tent behind the church"), "{csv}");
}
