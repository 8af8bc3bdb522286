//! An encrypted operation: the app asks for the passphrase, says plainly when it is wrong, and
//! opens with the right one.

use aidmap::household::HouseholdInput;
use aidmap::Store;
use aidmap_e2e::fantoccini::Locator;
use aidmap_e2e::App;

#[tokio::test(flavor = "multi_thread")]
async fn an_encrypted_operation_asks_for_its_passphrase() {
    let data = tempfile::tempdir().unwrap();
    let path = data.path().join("shelter.aidmap");
    let mut store = Store::create_encrypted(&path, "Shelter North", "e2e", Some("blue river 42 lanterns")).unwrap();
    for i in 0..3 {
        store.create_household(&HouseholdInput::at(&format!("Household {i}"), 43.73 + i as f64 * 0.001, 7.42)).unwrap();
    }
    drop(store);
    aidmap::recent::push(data.path(), &path, "Shelter North").unwrap();

    let app = App::launch(data.path()).await;
    let dialog = app.wait_css("[data-testid=unlock-dialog]").await;
    let input = dialog.find(Locator::Css("input[name=passphrase]")).await.unwrap();
    input.send_keys("blue river 41 lanterns").await.unwrap();
    // Who is working: the operator profile the audit log records (required to unlock).
    dialog.find(Locator::Css("input[name=operator]")).await.unwrap().send_keys("Dispatcher Ana").await.unwrap();
    app.wait_css("[data-testid=unlock-submit]").await.click().await.unwrap();
    let error = app.wait_css("[data-testid=unlock-error]").await.text().await.unwrap();
    assert!(error.contains("Wrong passphrase"), "{error}");
    app.screenshot("unlock-wrong").await;

    input.clear().await.unwrap();
    input.send_keys("blue river 42 lanterns").await.unwrap();
    app.wait_css("[data-testid=unlock-submit]").await.click().await.unwrap();
    app.wait_css("[data-testid=encrypted-badge]").await;
    app.wait_js("three households", "document.querySelector('[data-testid=map-count]')?.dataset.count == '3'").await;
    let name =
        app.wait_js("operation name", "document.querySelector('[data-testid=operation-name]')?.textContent").await;
    assert_eq!(name, "Shelter North");
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await; // let the map draw
    app.screenshot("unlocked").await;
    app.quit().await;
}
