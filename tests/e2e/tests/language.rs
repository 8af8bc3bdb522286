//! Language switching in Settings, longer strings, and a right-to-left layout.

use aidmap_e2e::App;

#[tokio::test(flavor = "multi_thread")]
async fn switching_language_relabels_the_ui_and_rtl_mirrors_the_layout() {
    let data = tempfile::tempdir().unwrap();
    let app = App::launch(data.path()).await;
    app.wait_css("[data-testid=demo-badge]").await;
    assert_eq!(app.wait_css("[data-testid=new-household]").await.text().await.unwrap(), "New household");

    app.wait_css("[data-testid=settings]").await.click().await.unwrap();
    app.wait_css("[data-testid=language]").await.select_by_value("fr").await.unwrap();
    app.wait_js(
        "French labels",
        "document.querySelector('[data-testid=new-household]').textContent.trim() == 'Nouveau foyer'",
    )
    .await;
    assert_eq!(app.client.execute("return document.documentElement.lang", vec![]).await.unwrap(), "fr");
    app.wait_css("[data-testid=settings-dialog] button.primary").await.click().await.unwrap();

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
    app.wait_css("[data-testid=settings-dialog] button.primary").await.click().await.unwrap();
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
    app.screenshot("rtl").await;
    app.quit().await;
}
