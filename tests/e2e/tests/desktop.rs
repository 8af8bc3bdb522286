//! The real app in a real window: launch on the demo, add a household and a need through the
//! UI, restart, and find them again — checked against the operation file itself.

use aidmap::vocab::{HouseholdStatus, NeedStatus};
use aidmap::{OpenMode, Store};
use aidmap_e2e::fantoccini::Locator;
use aidmap_e2e::App;

const NAME: &str = "Zz E2E Household";

fn open_db(data_dir: &std::path::Path) -> Store {
    Store::open_with(&data_dir.join("demo.aidmap"), "e2e-reader", OpenMode::ReadOnly).expect("demo operation file")
}

#[tokio::test(flavor = "multi_thread")]
async fn demo_add_household_and_need_then_restart() {
    let data = tempfile::tempdir().unwrap();

    // First launch: the demo operation opens and every active household is on the map.
    let app = App::launch(data.path()).await;
    app.wait_css("[data-testid=demo-badge]").await;
    let shown =
        app.wait_js("households on the map", "document.querySelector('[data-testid=map-count]')?.dataset.count").await;
    let shown: u32 = shown.as_str().unwrap().parse().unwrap();
    let in_db = open_db(data.path()).count_households(Some(HouseholdStatus::Active)).unwrap();
    assert!(in_db > 250, "the demo has about 300 households, found {in_db}");
    assert_eq!(shown, in_db, "households on the map vs. active households in the file");
    app.wait_js("map loaded", "document.querySelector('[data-testid=map]')?.dataset.loaded === 'true'").await;
    tokio::time::sleep(std::time::Duration::from_secs(2)).await; // let tiles and clusters settle
    let shot = app.screenshot("main-window").await;
    assert!(std::fs::metadata(&shot).unwrap().len() > 10_000, "screenshot has content");

    // Add a household with the keyboard-first form.
    app.wait_css("[data-testid=new-household]").await.click().await.unwrap();
    let form = app.wait_css("[data-testid=household-form]").await;
    // Wait for the form's own focus on the name field (autofocus, at the next frame).
    app.wait_js("name focused", "document.activeElement?.getAttribute('name') === 'name'").await;
    form.find(Locator::Css("input[name=name]")).await.unwrap().send_keys(NAME).await.unwrap();
    form.find(Locator::Css("input[name=phones]")).await.unwrap().send_keys("+377 555 99 88 77").await.unwrap();
    form.find(Locator::Css("input[name=address]")).await.unwrap().send_keys("1 Place du Palais").await.unwrap();
    // A note written for the driver, marked so it goes on route sheets.
    let notes = form.find(Locator::Css("textarea[name=notes]")).await.unwrap();
    app.client
        .execute(
            "arguments[0].scrollIntoView({block: 'center'}); return true;",
            vec![serde_json::to_value(&notes).unwrap()],
        )
        .await
        .unwrap();
    notes.send_keys("Blue door, side entrance").await.unwrap();
    app.wait_css("[data-testid=household-notes-for-driver]").await;
    app.client
        .execute("document.querySelector('[data-testid=household-notes-for-driver]').click(); return true;", vec![])
        .await
        .unwrap();
    app.wait_js("marked", "document.querySelector('[data-testid=household-notes-for-driver]').checked").await;
    app.wait_css("[data-testid=household-submit]").await.click().await.unwrap();
    let title = app.wait_css("[data-testid=household-panel] h2").await;
    assert_eq!(title.text().await.unwrap(), NAME);
    app.screenshot("household-added").await;

    // Add a need to it: the form opens at once after saving the household (keyboard-first).
    let need_form = app.wait_css("[data-testid=need-form]").await;
    app.wait_js("the item picker focused", "document.activeElement?.dataset.testid === 'need-item-input'").await;
    need_form.find(Locator::Css("select[name=category]")).await.unwrap().select_by_value("medicine").await.unwrap();
    let quantity = need_form.find(Locator::Css("input[name=quantity]")).await.unwrap();
    quantity.clear().await.unwrap();
    quantity.send_keys("2").await.unwrap();
    need_form.find(Locator::Css("input[name=urgency][value=critical]")).await.unwrap().click().await.unwrap();
    app.submit_need("body").await;
    app.wait_css("[data-testid=need][data-status=open]").await;
    app.wait_js(
        "map count grew",
        &format!("document.querySelector('[data-testid=map-count]').dataset.count == {}", in_db + 1),
    )
    .await;
    app.screenshot("need-added").await;

    // Cancelling a need offers Undo, which puts it back to open.
    app.wait_css("[data-testid=need] button[data-action=cancelled]").await.click().await.unwrap();
    app.wait_css("[data-testid=need][data-status=cancelled]").await;
    app.wait_css("[data-testid=toast-action]").await.click().await.unwrap();
    app.wait_css("[data-testid=need][data-status=open]").await;

    // The window title names the operation and its file.
    let title = app.client.title().await.unwrap();
    assert!(title.starts_with("Demo — Monaco flood response — "), "title: {title}");
    assert!(title.contains("demo.aidmap"), "title: {title}");
    app.quit().await;

    // The file has them.
    let store = open_db(data.path());
    let found = store.search_households(NAME, 10, 0).unwrap();
    assert_eq!(found.total, 1);
    let detail = store.household(&found.items[0].id).unwrap();
    assert_eq!(detail.household.phones[0].normalized, "+377555998877");
    assert_eq!(detail.household.notes, "Blue door, side entrance");
    assert!(detail.household.notes_for_driver, "the notes were marked for the driver");
    assert_eq!(detail.needs.len(), 1);
    assert_eq!(detail.needs[0].quantity, 2.0);
    assert_eq!(detail.needs[0].status, NeedStatus::Open);
    drop(store);

    // Restart: the same operation reopens and the household and its need are still there.
    let app = App::launch(data.path()).await;
    app.wait_css("[data-testid=demo-badge]").await;
    app.wait_css("[data-testid=search]").await.send_keys("E2E Household").await.unwrap();
    app.wait_js("search result", &format!("[...document.querySelectorAll('[data-testid=household-list] [data-row]')].length == 1 && document.querySelector('[data-testid=household-list] [data-row] .name').textContent == '{NAME}'")).await;
    app.wait_css("[data-testid=household-list] [data-row]").await.click().await.unwrap();
    let title = app.wait_css("[data-testid=household-panel] h2").await;
    assert_eq!(title.text().await.unwrap(), NAME);
    let needs = app.client.find_all(Locator::Css("[data-testid=need]")).await.unwrap();
    assert_eq!(needs.len(), 1);
    let shown = app.wait_js("count", "document.querySelector('[data-testid=map-count]')?.dataset.count").await;
    assert_eq!(shown.as_str().unwrap().parse::<u32>().unwrap(), in_db + 1);
    app.screenshot("after-restart").await;
    app.quit().await;
}
