//! Supply sites and volunteers in the real app: the demo's sites on the map and in the list with
//! what is short; a site's stock changed through recorded movements; volunteers by role, the day
//! view, and a shift added.

use aidmap_e2e::fantoccini::Locator;
use aidmap_e2e::App;

async fn set_value(app: &App, css: &str, value: &str) {
    // Date and time inputs take keys unreliably through WebDriver: set the value as the UI would.
    let js = format!(
        "const e = document.querySelector('{css}'); e.value = '{value}'; e.dispatchEvent(new Event('input', {{bubbles: true}})); e.dispatchEvent(new Event('change', {{bubbles: true}})); return true;"
    );
    app.client.execute(&js, vec![]).await.expect("set value");
}

#[tokio::test(flavor = "multi_thread")]
async fn sites_stock_and_what_is_short() {
    let data = tempfile::tempdir().unwrap();
    let app = App::launch(data.path()).await;
    app.wait_css("[data-testid=demo-badge]").await;
    app.wait_js("sites on the map", "document.querySelector('[data-testid=map]').dataset.sites === '4'").await;
    app.wait_css("[data-testid=tab-sites]").await.click().await.unwrap();
    app.wait_js("four sites", "document.querySelectorAll('[data-testid=site-row]').length === 4").await;
    app.wait_css("[data-testid=shortage][data-short=true]").await;
    app.screenshot("sites-list").await;

    // The warehouse: its stock, then 25 more of its first item received and a count.
    let rows = app.client.find_all(Locator::Css("[data-testid=site-row]")).await.unwrap();
    let mut warehouse = None;
    for r in rows {
        if r.text().await.unwrap().contains("Port Hercule") {
            warehouse = Some(r);
        }
    }
    warehouse.expect("the demo's warehouse").click().await.unwrap();
    app.wait_css("[data-testid=stock-table]").await;
    let before = app.wait_css("[data-testid=stock-history]").await.text().await.unwrap();
    app.wait_css("[data-testid=stock-receive]").await.click().await.unwrap();
    app.wait_css("[data-testid=stock-quantity]").await.send_keys("25").await.unwrap();
    app.wait_css("input[name=reason]").await.send_keys("Red Cross delivery").await.unwrap();
    app.save_stock().await;
    app.wait_js(
        "the movement listed",
        "document.querySelector('[data-testid=stock-history]').innerText.includes('Red Cross delivery')",
    )
    .await;
    let after = app.wait_css("[data-testid=stock-history]").await.text().await.unwrap();
    assert!(after.contains("+25") && after.len() > before.len(), "{after}");
    // Issuing more than the site holds is refused with the field's message.
    app.wait_css("[data-testid=stock-issue]").await.click().await.unwrap();
    app.wait_css("[data-testid=stock-quantity]").await.send_keys("100000").await.unwrap();
    app.save_stock().await;
    app.wait_css("[data-testid=stock-form] .field-error").await;
    app.screenshot("site-panel").await;

    // A new site located from its address with the demo's region pack.
    app.wait_css("[data-testid=new-site]").await.click().await.unwrap();
    let form = app.wait_css("[data-testid=site-form]").await;
    let lat_before =
        app.wait_js("lat", "document.querySelector('[data-testid=site-form] input[type=number]').value").await;
    form.find(Locator::Css("input[name=site-address]"))
        .await
        .unwrap()
        .send_keys("Boulevard de Belgique")
        .await
        .unwrap();
    app.wait_js("typed", "document.querySelector('input[name=site-address]').value === 'Boulevard de Belgique'").await;
    app.wait_css("[data-testid=site-locate]").await.click().await.unwrap();
    let located = app.wait_css("[data-testid=site-located]").await.text().await.unwrap();
    assert!(located.contains("Boulevard de Belgique"), "{located}");
    let lat_after =
        app.wait_js("lat", "document.querySelector('[data-testid=site-form] input[type=number]').value").await;
    assert_ne!(lat_before, lat_after, "the location moved to the address");
    app.wait_js(
        "address shown",
        "document.querySelector('input[name=site-address]').value === 'Boulevard de Belgique'",
    )
    .await;
    app.client
        .execute(
            "document.querySelector('input[name=site-address]').scrollIntoView({block: 'center'}); return true;",
            vec![],
        )
        .await
        .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    app.screenshot("site-located").await;
    app.quit().await;

    let store = aidmap::Store::open_with(&data.path().join("demo.aidmap"), "e2e", aidmap::OpenMode::ReadOnly).unwrap();
    let site = store.sites().unwrap().into_iter().find(|s| s.name.contains("Port Hercule")).unwrap();
    let history = store.stock_history(&site.id, 100).unwrap();
    assert_eq!(history[0].reason, "Red Cross delivery");
    assert_eq!(history[0].quantity, 25.0);
    for row in store.stock(&site.id).unwrap() {
        assert_eq!(aidmap::stock::sum_of_movements(store.conn(), &site.id, &row.item.id).unwrap(), row.quantity);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn volunteers_by_role_day_view_and_a_new_shift() {
    let data = tempfile::tempdir().unwrap();
    let app = App::launch(data.path()).await;
    app.wait_css("[data-testid=demo-badge]").await;
    app.wait_css("[data-testid=tab-volunteers]").await.click().await.unwrap();
    app.wait_js("25 volunteers", "document.querySelectorAll('[data-testid=volunteer-row]').length === 25").await;
    set_value(&app, "[data-testid=role-filter]", "driver").await;
    app.wait_js("15 drivers", "document.querySelectorAll('[data-testid=volunteer-row]').length === 15").await;

    // The day view of tomorrow: the demo's shifts.
    let tomorrow = (chrono::Local::now().date_naive() + chrono::Duration::days(1)).format("%Y-%m-%d").to_string();
    set_value(&app, "[data-testid=day-filter]", &tomorrow).await;
    app.wait_css("[data-testid=day-view-toggle]").await.click().await.unwrap();
    app.wait_css("[data-testid=day-row]").await;
    app.screenshot("volunteers-day-view").await;

    // A volunteer's panel: add a shift the day after tomorrow.
    app.wait_css("[data-testid=day-view-toggle]").await.click().await.unwrap();
    app.wait_css("[data-testid=volunteer-row]").await.click().await.unwrap();
    app.wait_css("[data-testid=volunteer-panel] [data-testid=vehicles]").await;
    let shifts_before = app.client.find_all(Locator::Css("[data-testid=shift]")).await.unwrap().len();
    app.wait_css("[data-testid=add-shift]").await.click().await.unwrap();
    let later = (chrono::Local::now().date_naive() + chrono::Duration::days(5)).format("%Y-%m-%d").to_string();
    set_value(&app, "input[name=shift-day]", &later).await;
    set_value(&app, "input[name=shift-from]", "14:00").await;
    set_value(&app, "input[name=shift-to]", "18:30").await;
    // The form sits at the bottom of the panel, under the volunteer's shifts: scroll to it as a
    // user would (WebKitWebDriver does not scroll inner panels by itself).
    let save = app.wait_css("[data-testid=shift-save]").await;
    app.client
        .execute(
            "arguments[0].scrollIntoView({block: 'center'}); return true;",
            vec![serde_json::to_value(&save).unwrap()],
        )
        .await
        .unwrap();
    save.click().await.unwrap();
    app.wait_js(
        "the shift listed",
        &format!("document.querySelectorAll('[data-testid=shift]').length === {}", shifts_before + 1),
    )
    .await;
    app.screenshot("volunteer-panel").await;

    // Removing a shift asks first, in the app's own dialog: Cancel keeps it. (The new shift is
    // the latest, listed last.)
    let count = |n: usize| format!("document.querySelectorAll('[data-testid=shift]').length === {n}");
    let remove_last = "const b = [...document.querySelectorAll('[data-testid=shift-remove]')].pop(); b.scrollIntoView({block: 'center'}); b.click(); return true;";
    app.client.execute(remove_last, vec![]).await.unwrap();
    app.wait_js(
        "the question shown",
        "document.querySelector('[data-testid=confirm-shift-remove-dialog]')?.open === true",
    )
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    app.screenshot("shift-remove-question").await;
    app.client
        .execute("[...document.querySelectorAll('[data-testid=confirm-shift-remove-dialog] button')].find(b => b.dataset.testid !== 'confirm-shift-remove').click(); return true;", vec![])
        .await
        .unwrap();
    app.wait_js("the question gone", "!document.querySelector('[data-testid=confirm-shift-remove-dialog]')").await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    app.wait_js("cancel kept the shift", &count(shifts_before + 1)).await;

    // Edit the new shift in place: it starts at 15:00 and has no start site any more.
    let edit_last = "const b = [...document.querySelectorAll('[data-testid=shift-edit]')].pop(); b.scrollIntoView({block: 'center'}); b.click(); return true;";
    app.client.execute(edit_last, vec![]).await.unwrap();
    app.wait_css("[data-testid=shift-form]").await;
    let day = app.wait_js("day filled in", "document.querySelector('input[name=shift-day]').dataset.value").await;
    assert_eq!(day, later.as_str(), "the form holds the shift being edited");
    set_value(&app, "input[name=shift-from]", "15:00").await;
    set_value(&app, "select[name=shift-site]", "").await;
    app.client
        .execute("const b = document.querySelector('[data-testid=shift-save]'); b.scrollIntoView({block: 'center'}); b.click(); return true;", vec![])
        .await
        .unwrap();
    app.wait_js("form closed", "!document.querySelector('[data-testid=shift-form]')").await;
    app.wait_js("still one more shift, not two", &count(shifts_before + 1)).await;

    // The planning board for that day says the shift cannot drive and sets its start site.
    app.wait_css("[data-testid=open-planning]").await.click().await.unwrap();
    app.wait_css("[data-testid=planning-board]").await;
    set_value(&app, "[data-testid=plan-day]", &later).await;
    app.wait_css("[data-testid=plan-set-start]").await;
    app.screenshot("plan-set-start-site").await;
    app.client
        .execute("document.querySelector('[data-testid=plan-set-start-button]').click(); return true;", vec![])
        .await
        .unwrap();
    app.wait_js("the shift can drive", "!document.querySelector('[data-testid=plan-set-start]') && document.querySelectorAll('[data-testid=plan-shift]:not(:disabled)').length > 0").await;
    app.quit().await;

    let store = aidmap::Store::open_with(&data.path().join("demo.aidmap"), "e2e", aidmap::OpenMode::ReadOnly).unwrap();
    let from = format!("{later}T00:00:00Z");
    let until = format!("{later}T23:59:59Z");
    let rows = store.shifts_between(&from, &until).unwrap();
    assert_eq!(rows.len(), 1, "the new shift, the only one that day");
    assert!(rows[0].shift.ends_at > rows[0].shift.starts_at);
    let starts = chrono::DateTime::parse_from_rfc3339(&rows[0].shift.starts_at).unwrap().with_timezone(&chrono::Local);
    assert_eq!(starts.format("%H:%M").to_string(), "15:00", "edited");
    assert!(rows[0].shift.start_site_id.is_some(), "set from the planning board");
}
