//! Language switching in Settings, longer strings, and a right-to-left layout.

use aidmap_e2e::App;

#[tokio::test(flavor = "multi_thread")]
async fn switching_language_relabels_the_ui_and_rtl_mirrors_the_layout() {
    let data = tempfile::tempdir().unwrap();
    let app = App::launch(data.path()).await;
    app.wait_css("[data-testid=demo-badge]").await;
    assert_eq!(app.wait_css("[data-testid=new-household]").await.text().await.unwrap(), "New household");
    // At city zoom the clusters show the mix of urgencies (a ring split by urgency), not all red.
    let mixed = app
        .wait_js(
            "clusters with an urgency mix",
            "(() => { const r = [...document.querySelectorAll('.cluster-ring')].map(e => e.dataset.mix.split(',').filter(n => Number(n) > 0).length); return r.length > 3 && r.filter(n => n >= 2).length > r.length / 2 ? r : null; })()",
        )
        .await;
    assert!(mixed.as_array().unwrap().len() > 3, "{mixed}");
    app.screenshot("clusters-urgency-mix").await;

    app.wait_css("[data-testid=settings]").await.click().await.unwrap();
    app.wait_css("[data-testid=language]").await.select_by_value("fr").await.unwrap();
    app.wait_js(
        "French labels",
        "document.querySelector('[data-testid=new-household]').textContent.trim() == 'Nouveau foyer'",
    )
    .await;
    assert_eq!(app.client.execute("return document.documentElement.lang", vec![]).await.unwrap(), "fr");
    close_settings(&app).await;

    // Open a household so the panel and its longer French strings are on screen.
    app.wait_css("[data-testid=household-list] [data-row]").await.click().await.unwrap();
    app.wait_css("[data-testid=household-panel]").await;
    app.screenshot("french").await;
    // Nothing in the header or the panel overflows horizontally.
    let overflow = app
        .client
        .execute(
            "return [...document.querySelectorAll('header, [data-testid=household-panel]')]
                .filter(e => e.scrollWidth > e.clientWidth + 1).length",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(overflow, 0, "elements overflow horizontally in French");
    // The header is one row at 1280 px (its buttons never wrap under the operation's name).
    let one_row = "(() => { const b = [...document.querySelector('header').querySelectorAll('button')].map(e => e.getBoundingClientRect().top); return Math.max(...b) - Math.min(...b) < 4; })()";
    assert_eq!(app.wait_js("header buttons", one_row).await, true, "French header on one row");
    // Spanish, whose labels are the longest.
    app.wait_css("[data-testid=settings]").await.click().await.unwrap();
    app.wait_css("[data-testid=language]").await.select_by_value("es").await.unwrap();
    app.wait_js("Spanish labels", "document.documentElement.lang === 'es'").await;
    close_settings(&app).await;
    app.wait_js("Spanish header on one row", one_row).await;
    let header = app
        .client
        .execute(
            "return document.querySelector('header').scrollWidth <= document.querySelector('header').clientWidth + 1",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(header, true, "the Spanish header does not overflow");
    app.screenshot("spanish-header").await;
    app.wait_css("[data-testid=open-planning]").await.click().await.unwrap();
    app.wait_css("[data-testid=plan-day]").await;
    // The day is written in the UI language's order (day first in Spanish), whatever the
    // system locale (the tests run under en_US).
    let tomorrow = (chrono::Local::now().date_naive() + chrono::Duration::days(1)).format("%Y-%m-%d").to_string();
    app.client
        .execute(&format!("const e = document.querySelector('[data-testid=plan-day]'); e.value = '{tomorrow}'; e.dispatchEvent(new Event('input', {{bubbles: true}})); e.dispatchEvent(new Event('change', {{bubbles: true}})); e.blur(); return true;"), vec![])
        .await
        .unwrap();
    let shown = app.wait_js("day shown", "document.querySelector('[data-testid=plan-day]').value").await;
    let expected = (chrono::Local::now().date_naive() + chrono::Duration::days(1)).format("%d/%m/%Y").to_string();
    assert_eq!(shown, expected.as_str(), "day first in Spanish");
    app.screenshot("spanish-plan-day").await;
    app.wait_css("[data-testid=close-planning]").await.click().await.unwrap();

    // Right-to-left: the list moves to the right of the map, the panel to the left.
    app.client.execute("document.documentElement.dir = 'rtl'", vec![]).await.unwrap();
    let sides = app
        .client
        .execute(
            "const x = s => document.querySelector(s).getBoundingClientRect().left;
             return [x('aside'), x('[data-testid=map]'), x('[data-testid=household-panel]')]",
            vec![],
        )
        .await
        .unwrap();
    let sides: Vec<f64> = sides.as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).collect();
    assert!(sides[0] > sides[1], "in RTL the list is right of the map: {sides:?}");
    assert!(sides[2] < sides[0], "in RTL the panel is on the left: {sides:?}");
    // The header still fits at 1280 px, mirrored: one row, nothing cut off.
    app.wait_js("RTL header on one row", one_row).await;
    let fits = app
        .client
        .execute(
            "const h = document.querySelector('header'); return h.scrollWidth <= h.clientWidth + 1 && [...h.querySelectorAll('button, [data-testid=operator-name]')].every(e => { const r = e.getBoundingClientRect(); return r.left >= 0 && r.right <= window.innerWidth; })",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(fits, true, "the RTL header fits");
    app.screenshot("rtl").await;
    app.quit().await;
}

/// Closes Settings once its operation settings have arrived (the dialog grows then and the
/// button moves), by a click in the page.
async fn close_settings(app: &App) {
    app.wait_css("[data-testid=retention-needs]").await;
    app.client
        .execute("document.querySelector('[data-testid=settings-dialog] button.primary').click(); return true;", vec![])
        .await
        .unwrap();
    app.wait_js("settings closed", "!document.querySelector('[data-testid=settings-dialog]')").await;
}
