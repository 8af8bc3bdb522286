//! Hubs working together in the real window: changes made on another laptop (a copy of the
//! operation, driven here through the core as that laptop's app would) arrive through a folder
//! — the sender held until accepted by its fingerprint, then applied — a conflict is reviewed
//! and settled, and the settlement travels back. Folder choices are answered through
//! `AIDMAP_E2E_PICK_FILES`; everything else is the real app.

use aidmap::household::HouseholdInput;
use aidmap::sync::exchange;
use aidmap::sync::status;
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
    here.checkpoint().unwrap();
    std::fs::copy(&path, laptop_b.join("flood.aidmap")).unwrap();
    let mut b = Store::open(&laptop_b.join("flood.aidmap"), "laptop-b").unwrap();
    // The same field changed on both, without seeing each other; B also takes a new call.
    let mut input = here.household(&ana.id).unwrap().household.to_input();
    input.address = "3 Rue Basse".into();
    here.update_household(&ana.id, &input).unwrap();
    drop(here);
    std::thread::sleep(std::time::Duration::from_millis(20));
    let mut input = b.household(&ana.id).unwrap().household.to_input();
    input.address = "5 Quai Antoine".into();
    b.update_household(&ana.id, &input).unwrap();
    b.create_household(&HouseholdInput::at("Bea Nord", 43.7330, 7.4200)).unwrap();
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
