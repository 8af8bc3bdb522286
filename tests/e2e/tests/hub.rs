//! Hubs working together in the real window: changes made on another laptop (a copy of the
//! operation, driven here through the core as that laptop's app would) arrive through a folder
//! — the sender held until accepted by its fingerprint, then applied — a conflict is reviewed
//! and settled, and the settlement travels back. Folder choices are answered through
//! `AIDMAP_E2E_PICK_FILES`; everything else is the real app.

use aidmap::household::HouseholdInput;
use aidmap::item::ItemInput;
use aidmap::sync::exchange;
use aidmap::sync::status;
use aidmap::vocab::{Category, Role};
use aidmap::volunteer::{ShiftInput, VolunteerInput};
use aidmap::Store;
use aidmap_e2e::fantoccini::Locator;
use aidmap_e2e::App;

async fn click(app: &App, css: &str) {
    // By script: dialogs lay out again as their data arrives.
    app.wait_css(css).await;
    app.client.execute(&format!("document.querySelector({css:?}).click(); return true;"), vec![]).await.expect("click");
}

#[tokio::test(flavor = "multi_thread")]
async fn changes_from_another_laptop_arrive_and_a_conflict_is_settled_in_review() {
    let data = tempfile::tempdir().unwrap();
    let path = data.path().join("flood.aidmap");
    let laptop_b = data.path().join("laptop-b");
    std::fs::create_dir_all(&laptop_b).unwrap();
    let (incoming, outgoing) = (data.path().join("stick-in"), data.path().join("stick-out"));

    // The operation, and laptop B's copy of it.
    let mut here = Store::create(&path, "Flood North", "setup").unwrap();
    let ana = here.create_household(&HouseholdInput::at("Ana Ruiz", 43.7325, 7.4189)).unwrap();
    let driver = here.create_volunteer(&VolunteerInput::new("Ben Driver", &[Role::Driver])).unwrap();
    let span = |s: &str, e: &str| ShiftInput {
        starts_at: s.into(),
        ends_at: e.into(),
        vehicle_id: None,
        start_site_id: None,
        end_site_id: None,
    };
    let shift = here.add_shift(&driver.id, &span("2026-12-07T12:00:00Z", "2026-12-07T17:00:00Z")).unwrap();
    here.checkpoint().unwrap();
    std::fs::copy(&path, laptop_b.join("flood.aidmap")).unwrap();
    let mut b = Store::open(&laptop_b.join("flood.aidmap"), "laptop-b").unwrap();
    // The same field changed on both, without seeing each other; B also takes a new call.
    let mut input = here.household(&ana.id).unwrap().household.to_input();
    input.address = "3 Rue Basse".into();
    here.update_household(&ana.id, &input).unwrap();
    // Both laptops add an item of one name, and move the shift's two ends apart.
    here.create_item(&ItemInput::new("Insulin pens", Category::Medicine, "box", 0.2, 0.3)).unwrap();
    here.update_shift(&shift.id, &span("2026-12-07T12:00:00Z", "2026-12-07T15:00:00Z")).unwrap();
    drop(here);
    std::thread::sleep(std::time::Duration::from_millis(20));
    let mut input = b.household(&ana.id).unwrap().household.to_input();
    input.address = "5 Quai Antoine".into();
    b.update_household(&ana.id, &input).unwrap();
    b.create_household(&HouseholdInput::at("Bea Nord", 43.7330, 7.4200)).unwrap();
    b.create_item(&ItemInput::new("Insulin pens", Category::Medicine, "box", 0.2, 0.3)).unwrap();
    b.update_shift(&shift.id, &span("2026-12-07T16:00:00Z", "2026-12-07T17:00:00Z")).unwrap();
    exchange::set_name(&mut b, "Hub Nord laptop 2").unwrap();
    let now = b.now();
    exchange::export_to(&mut b, &incoming, now).unwrap();
    aidmap::recent::push(data.path(), &path, "Flood North").unwrap();

    let picks = format!("{}\n{}\n{}", incoming.display(), incoming.display(), outgoing.display());
    let app = App::launch_with(data.path(), &[("AIDMAP_E2E_PICK_FILES", &picks)]).await;
    app.wait_css("[data-testid=household-list] [data-row]").await;
    click(&app, "[data-testid=settings]").await;
    click(&app, "[data-testid=open-hub]").await;
    app.wait_css("[data-testid=hub-folder]").await;
    app.screenshot("hub-network").await;

    // Import: laptop B is new here, so its changes wait until someone accepts its key.
    click(&app, "[data-testid=hub-import]").await;
    let result = app.wait_css("[data-testid=hub-import-result]").await.text().await.unwrap();
    assert!(result.contains("1") && result.to_lowercase().contains("held"), "{result}");
    let peer = app.wait_css("[data-testid=hub-peer][data-status=held]").await;
    let shown = peer.find(Locator::Css("[data-testid=hub-peer-fingerprint]")).await.unwrap().text().await.unwrap();
    let expected = status::status(b.conn()).unwrap().replica.unwrap().fingerprint;
    assert_eq!(shown, expected, "the fingerprint to compare with laptop B's");
    assert!(!app.wait_js("list", "document.body.innerText").await.as_str().unwrap().contains("Bea Nord"));
    click(&app, "[data-testid=hub-peer][data-status=held] [data-testid=hub-accept]").await;
    let confirm = app.wait_css("[data-testid=hub-accept-fingerprint]").await.text().await.unwrap();
    assert_eq!(confirm, expected);
    app.screenshot("hub-accept").await;
    click(&app, "[data-testid=hub-accept-confirm]").await;
    app.wait_css("[data-testid=hub-peer][data-status=accepted]").await;

    // Import again: applied, with one conflict for review.
    click(&app, "[data-testid=hub-import]").await;
    app.wait_js("applied", "document.querySelector('[data-testid=hub-import-file][data-outcome=applied]') !== null")
        .await;
    let conflict = app.wait_css("[data-testid=hub-conflict]").await;
    let winner = conflict.find(Locator::Css("[data-testid=hub-conflict-winner]")).await.unwrap().text().await.unwrap();
    let other = conflict.find(Locator::Css("[data-testid=hub-conflict-other]")).await.unwrap().text().await.unwrap();
    assert_eq!((winner.as_str(), other.as_str()), ("5 Quai Antoine", "3 Rue Basse"), "the later change is shown");
    let named = conflict.text().await.unwrap();
    assert!(named.contains("Ana Ruiz"), "the household by its name: {named}");
    app.screenshot("hub-conflict").await;
    // Neither the second "Insulin pens" nor the shift moved apart stopped the import: both are
    // settled and listed for a person to check.
    let renamed = app.wait_css("[data-testid=hub-renamed-row]").await.text().await.unwrap();
    assert_eq!(renamed, "“Insulin pens (2)” was added as “Insulin pens”");
    let shifted = app.wait_css("[data-testid=hub-shift-row]").await.text().await.unwrap();
    assert!(shifted.starts_with("Ben Driver:"), "{shifted}");
    app.client
        .execute(
            "document.querySelector('[data-testid=hub-shifts]').scrollIntoView({block: 'end'}); return true;",
            vec![],
        )
        .await
        .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    app.screenshot("hub-settled-by-rule").await;
    app.wait_js("new household on the map list", "document.body.innerText.includes('Bea Nord')").await;

    // Keep this laptop's value: the conflict is settled here, and the choice goes out.
    click(&app, "[data-testid=hub-use-other]").await;
    app.wait_css("[data-testid=hub-conflicts-empty]").await;
    click(&app, "[data-testid=hub-export]").await;
    let written = app.wait_css("[data-testid=hub-export-result]").await.text().await.unwrap();
    assert!(!written.is_empty(), "{written}");
    app.screenshot("hub-settled").await;
    app.quit().await;

    let here = Store::open_with(&path, "checker", aidmap::OpenMode::ReadOnly).unwrap();
    assert_eq!(here.household(&ana.id).unwrap().household.address, "3 Rue Basse");
    let now = b.now();
    let back = exchange::import_from(&mut b, &outgoing, true, now).unwrap();
    assert_eq!(back.refused, 0, "{back:?}");
    assert_eq!(b.household(&ana.id).unwrap().household.address, "3 Rue Basse", "the choice reached laptop B");
    assert!(status::status(b.conn()).unwrap().conflicts.is_empty(), "settled there too");
}

async fn open_hub(app: &App) {
    click(app, "[data-testid=settings]").await;
    click(app, "[data-testid=open-hub]").await;
    app.wait_css("[data-testid=hub-syncthing]").await;
}

/// Starts Syncthing from the dialog and returns this laptop's device ID.
async fn start_syncthing(app: &App) -> String {
    click(app, "[data-testid=hub-start-syncthing]").await;
    app.wait_css_for("[data-testid=hub-device-id]", std::time::Duration::from_secs(60)).await.text().await.unwrap()
}

async fn add_laptop(app: &App, id: &str, name: &str, address: &str) {
    let set = |field: &str, value: &str| {
        format!(
            "const f = document.querySelector('[data-testid={field}]'); f.value = {value:?}; f.dispatchEvent(new Event('input', {{bubbles: true}})); return true;"
        )
    };
    for (field, value) in [("hub-add-id", id), ("hub-add-name", name), ("hub-add-address", address)] {
        app.wait_css(&format!("[data-testid={field}]")).await;
        app.client.execute(&set(field, value), vec![]).await.expect("type");
    }
    click(app, "[data-testid=hub-add-device]").await;
    app.wait_css("[data-testid=hub-device]").await;
}

/// Two app instances, each with its own config and a copy of one operation, paired through
/// Syncthing on loopback from their Hub network dialogs: a household added in one window
/// appears in the other once its laptop is accepted there; both then change its address off
/// the network, and back on it both show the same conflict, settled on one for both.
#[tokio::test(flavor = "multi_thread")]
async fn two_windows_on_one_operation_through_syncthing() {
    let (data_a, data_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let date = chrono::NaiveDate::from_ymd_opt(2026, 12, 5).unwrap();
    let options = aidmap::demo::DemoOptions { households: 40, seed: 5, date };
    drop(aidmap::demo::write(&data_a.path().join("demo.aidmap"), &options, "setup").unwrap());
    std::fs::copy(data_a.path().join("demo.aidmap"), data_b.path().join("demo.aidmap")).unwrap();
    let (port_a, port_b) = (free_port(), free_port());
    let listen_a = format!("tcp://127.0.0.1:{port_a}");
    let listen_b = format!("tcp://127.0.0.1:{port_b}");
    let a = App::launch_with(data_a.path(), &[("AIDMAP_E2E_SYNCTHING_LISTEN", &listen_a)]).await;
    let b = App::launch_with(data_b.path(), &[("AIDMAP_E2E_SYNCTHING_LISTEN", &listen_b)]).await;
    for app in [&a, &b] {
        app.wait_css("[data-testid=demo-badge]").await;
        open_hub(app).await;
    }
    let id_a = start_syncthing(&a).await;
    let id_b = start_syncthing(&b).await;
    assert_ne!(id_a, id_b);
    add_laptop(&a, &id_b, "Laptop B", &listen_b).await;
    add_laptop(&b, &id_a, "Laptop A", &listen_a).await;
    a.screenshot("hub-syncthing-a").await;
    for app in [&a, &b] {
        click(app, "[data-testid=hub-close]").await;
    }

    // A new call taken on laptop A.
    const NAME: &str = "Zz Synced Household";
    click(&a, "[data-testid=new-household]").await;
    let form = a.wait_css("[data-testid=household-form]").await;
    a.wait_js("name focused", "document.activeElement?.getAttribute('name') === 'name'").await;
    form.find(Locator::Css("input[name=name]")).await.unwrap().send_keys(NAME).await.unwrap();
    form.find(Locator::Css("input[name=address]")).await.unwrap().send_keys("1 Place du Palais").await.unwrap();
    a.wait_css("[data-testid=household-submit]").await.click().await.unwrap();
    a.wait_css("[data-testid=household-panel] h2").await;

    // On laptop B: laptop A waits to be accepted; once it is, the household appears.
    open_hub(&b).await;
    b.wait_css_for("[data-testid=hub-peer][data-status=held]", std::time::Duration::from_secs(90)).await;
    b.screenshot("hub-syncthing-b-held").await;
    click(&b, "[data-testid=hub-peer][data-status=held] [data-testid=hub-accept]").await;
    click(&b, "[data-testid=hub-accept-confirm]").await;
    b.wait_css("[data-testid=hub-peer][data-status=accepted]").await;
    click(&b, "[data-testid=hub-close]").await;
    b.wait_js("the household from laptop A", &format!("document.body.innerText.includes({NAME:?})")).await;
    b.screenshot("hub-syncthing-b-arrived").await;

    // Both laptops off the network, each changes the household's address.
    for (app, address) in [(&a, "10 Rue Alpha"), (&b, "20 Rue Beta")] {
        open_hub(app).await;
        click(app, "[data-testid=hub-stop-syncthing]").await;
        app.wait_css("[data-testid=hub-start-syncthing]").await;
        click(app, "[data-testid=hub-close]").await;
        edit_address(app, NAME, address).await;
    }
    // Back on the network: A accepts B, and both show the same conflict.
    for app in [&a, &b] {
        open_hub(app).await;
        start_syncthing(app).await;
    }
    a.wait_css_for("[data-testid=hub-peer][data-status=held]", std::time::Duration::from_secs(90)).await;
    click(&a, "[data-testid=hub-peer][data-status=held] [data-testid=hub-accept]").await;
    click(&a, "[data-testid=hub-accept-confirm]").await;
    let mut shown = Vec::new();
    for app in [&a, &b] {
        let conflict = app.wait_css_for("[data-testid=hub-conflict]", std::time::Duration::from_secs(90)).await;
        let winner =
            conflict.find(Locator::Css("[data-testid=hub-conflict-winner]")).await.unwrap().text().await.unwrap();
        shown.push(winner);
    }
    assert_eq!(shown[0], shown[1], "the same value wins on both laptops");
    assert_eq!(shown[0], "20 Rue Beta", "the later change wins");
    a.screenshot("hub-syncthing-conflict-a").await;
    // Settled on A with A's value; B follows.
    click(&a, "[data-testid=hub-use-other]").await;
    a.wait_css("[data-testid=hub-conflicts-empty]").await;
    b.wait_css_for("[data-testid=hub-conflicts-empty]", std::time::Duration::from_secs(90)).await;
    click(&b, "[data-testid=hub-close]").await;
    b.wait_js("A's address chosen on B", "document.body.innerText.includes('10 Rue Alpha')").await;
    a.quit().await;
    b.quit().await;
}

/// Opens the household named `name` from the list and saves a new address with the form.
async fn edit_address(app: &App, name: &str, address: &str) {
    let row = format!(
        "[...document.querySelectorAll('[data-testid=household-list] [data-row]')].find(r => r.innerText.includes({name:?}))"
    );
    app.wait_js("the household in the list", &format!("{row} !== undefined")).await;
    app.client.execute(&format!("{row}.click(); return true;"), vec![]).await.expect("open the household");
    click(app, "[data-testid=edit-household]").await;
    let form = app.wait_css("[data-testid=household-form]").await;
    let field = form.find(Locator::Css("input[name=address]")).await.unwrap();
    field.clear().await.unwrap();
    field.send_keys(address).await.unwrap();
    click(app, "[data-testid=household-submit]").await;
    app.wait_js("saved", &format!("document.body.innerText.includes({address:?})")).await;
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}
