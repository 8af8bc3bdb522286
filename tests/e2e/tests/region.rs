//! The demo's region pack in the real app: address search as you type flies the map to the
//! result, and a new household is located from its address.

use aidmap_e2e::fantoccini::Locator;
use aidmap_e2e::App;

#[tokio::test(flavor = "multi_thread")]
async fn address_search_and_locate_from_address() {
    let data = tempfile::tempdir().unwrap();
    let app = App::launch(data.path()).await;
    app.wait_css("[data-testid=demo-badge]").await;
    assert!(data.path().join("demo.region").exists(), "the demo gets its Monaco region pack");

    // Search with a typo and no accents.
    let search = app.wait_css("[data-testid=address-search] input").await;
    search.send_keys("avenue princese grace").await.unwrap();
    let first = app.wait_css("[data-testid=address-result]").await;
    let label = first.text().await.unwrap();
    assert!(label.contains("Princesse Grace"), "{label}");
    app.screenshot("address-search").await;
    let before = app.wait_js("centre", "document.querySelector('[data-testid=map]').dataset.center").await;
    first.click().await.unwrap();
    app.wait_js("map moved", &format!("document.querySelector('[data-testid=map]').dataset.center !== {before}")).await;
    app.wait_js("results closed", "!document.querySelector('[data-testid=address-results]')").await;

    // A new household placed by its address.
    app.wait_css("[data-testid=new-household]").await.click().await.unwrap();
    let form = app.wait_css("[data-testid=household-form]").await;
    // The form focuses its name field when it opens (autofocus, applied at the next frame):
    // type elsewhere only after that, or the rest of the keys land in the name.
    app.wait_js("name focused", "document.activeElement?.getAttribute('name') === 'name'").await;
    form.find(Locator::Css("input[name=address]")).await.unwrap().send_keys("Boulevard de Belgique").await.unwrap();
    app.wait_js("typed", "document.querySelector('input[name=address]').value === 'Boulevard de Belgique'").await;
    let lat_before = form.find(Locator::Css("input[name=lat]")).await.unwrap().prop("value").await.unwrap();
    app.wait_css("[data-testid=locate]").await.click().await.unwrap();
    let located = app.wait_css("[data-testid=located]").await.text().await.unwrap();
    assert!(located.contains("Boulevard de Belgique"), "{located}");
    let lat_after = form.find(Locator::Css("input[name=lat]")).await.unwrap().prop("value").await.unwrap();
    assert_ne!(lat_before, lat_after, "the pin moved to the address");
    app.screenshot("located-from-address").await;
    app.quit().await;
}

/// The demo's basemap at city zoom: streets, buildings, labels and the sea, all from the pack's
/// own tiles and the glyphs the app ships (the test fails if any of them is missing).
#[tokio::test(flavor = "multi_thread")]
async fn basemap_shows_streets_labels_and_sea_at_city_zoom() {
    let data = tempfile::tempdir().unwrap();
    let app = App::launch(data.path()).await;
    app.wait_css("[data-testid=demo-badge]").await;
    app.wait_js("map loaded", "document.querySelector('[data-testid=map]')?.dataset.loaded === 'true'").await;
    let zoom = "Number(document.querySelector('[data-testid=map]').dataset.zoom ?? 0)";
    app.wait_js(
        "the sea drawn at the opening zoom",
        "JSON.parse(document.querySelector('[data-testid=map]').dataset.basemap ?? '{}').sea > 0",
    )
    .await;
    app.screenshot("basemap-town").await;
    while app.wait_js("zoom", zoom).await.as_f64().unwrap() < 15.0 {
        let before = app.wait_js("zoom", zoom).await;
        app.wait_css(".maplibregl-ctrl-zoom-in").await.click().await.unwrap();
        app.wait_js("zoomed in", &format!("{zoom} > {before}")).await;
    }
    let drawn = "(() => { const b = JSON.parse(document.querySelector('[data-testid=map]').dataset.basemap ?? '{}'); \
        return b.labels > 0 && b.sea > 0 && b.roads > 0 && b.buildings > 0 ? b : null; })()";
    let counts = app.wait_js("streets, buildings, labels and sea drawn", drawn).await;
    eprintln!("basemap at zoom 15: {counts}");
    app.screenshot("basemap-city").await;
    app.quit().await;
}

/// A closure drawn on the map with the mouse: saved, listed, switched off and on, and in the
/// operation file (audited).
#[tokio::test(flavor = "multi_thread")]
async fn draw_a_closure_on_the_map() {
    use aidmap_e2e::fantoccini::actions::{InputSource, MouseActions, PointerAction, MOUSE_BUTTON_LEFT};
    use std::time::Duration;
    let data = tempfile::tempdir().unwrap();
    let app = App::launch(data.path()).await;
    app.wait_css("[data-testid=demo-badge]").await;
    app.wait_js("map loaded", "document.querySelector('[data-testid=map]')?.dataset.loaded === 'true'").await;
    app.wait_css("[data-testid=closures-button]").await.click().await.unwrap();
    app.wait_css("[data-testid=closure-empty]").await;
    app.wait_css("[data-testid=draw-area]").await.click().await.unwrap();

    // Two clicks on empty map, spaced apart in time, then a double-click on the third point,
    // which finishes the shape (its two clicks count as one point).
    let canvas = app.wait_css(".maplibregl-canvas").await;
    let mut mouse = MouseActions::new("mouse".into());
    let click = |m: MouseActions| {
        m.then(PointerAction::Down { button: MOUSE_BUTTON_LEFT }).then(PointerAction::Up { button: MOUSE_BUTTON_LEFT })
    };
    for (x, y) in [(150.0, 150.0), (260.0, 150.0)] {
        mouse = click(mouse.then(PointerAction::MoveToElement { element: canvas.clone(), duration: None, x, y }))
            .then(PointerAction::Pause { duration: Duration::from_millis(600) });
    }
    mouse = mouse.then(PointerAction::MoveToElement { element: canvas.clone(), duration: None, x: 200.0, y: 240.0 });
    mouse = click(click(mouse).then(PointerAction::Pause { duration: Duration::from_millis(50) }));
    app.client.perform_actions(mouse).await.unwrap();
    // Under load MapLibre sometimes sees WebDriver's two quick clicks as two clicks, not a
    // double-click (a clean-clone run did): then Finish, the other way to end the shape.
    let mut finished = false;
    for _ in 0..30 {
        if app.client.find(Locator::Css("input[name=closure-name]")).await.is_ok() {
            finished = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    if !finished {
        app.wait_css("[data-testid=closure-finish]").await.click().await.unwrap();
    }
    let name = app.wait_css("input[name=closure-name]").await;
    name.send_keys("Flooded square").await.unwrap();
    app.screenshot("closure-drawn").await;
    app.wait_css("[data-testid=closure-save]").await.click().await.unwrap();
    app.wait_css("[data-testid=closure][data-active=true]").await;
    let button = app.wait_css("[data-testid=closures-button]").await.text().await.unwrap();
    assert!(button.contains("(1)"), "{button}");
    // Switch it off, then on again.
    app.wait_css("[data-testid=closure] input[type=checkbox]").await.click().await.unwrap();
    app.wait_css("[data-testid=closure][data-active=false]").await;
    app.wait_css("[data-testid=closure] input[type=checkbox]").await.click().await.unwrap();
    app.wait_css("[data-testid=closure][data-active=true]").await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    app.screenshot("closure-saved").await;
    app.quit().await;

    let store = aidmap::Store::open_with(&data.path().join("demo.aidmap"), "e2e", aidmap::OpenMode::ReadOnly).unwrap();
    let closures = store.closures().unwrap();
    assert_eq!(closures.len(), 1);
    assert_eq!((closures[0].name.as_str(), closures[0].active), ("Flooded square", true));
    assert_eq!(closures[0].geometry["type"], "Polygon");
    let ring = closures[0].geometry["coordinates"][0].as_array().unwrap().len();
    assert_eq!(ring, 4, "three points and the closing one");
    let log = store
        .audit(&aidmap::audit::AuditFilter { entity: Some("closure".into()), ..Default::default() }, 10, 0)
        .unwrap();
    assert_eq!(log.total, 3, "created, switched off, switched on");
}

/// An operation without a region pack: the hint offers both ways in. A Protomaps `.pmtiles`
/// file becomes its map (a basemap-only pack: the hint now says there are no roads), then an
/// OSM extract adds roads and search and keeps the chosen basemap. The native file picker is
/// answered by `AIDMAP_E2E_PICK_FILES`; everything else is the real app.
#[tokio::test(flavor = "multi_thread")]
async fn basemap_file_then_extract_from_the_map_hint() {
    let data = tempfile::tempdir().unwrap();
    let path = data.path().join("hub.aidmap");
    let mut store = aidmap::Store::create(&path, "Hub West", "e2e").unwrap();
    store.create_household(&aidmap::household::HouseholdInput::at("Near the port", 43.7347, 7.4206)).unwrap();
    drop(store);
    aidmap::recent::push(data.path(), &path, "Hub West").unwrap();
    let fixtures = aidmap_e2e::workspace_root().join("src/demo");
    let pbf = std::fs::read(fixtures.join("monaco.osm.pbf")).unwrap();
    let ex = aidmap::region::extract::read(&pbf, &mut |_| true).unwrap();
    let cut = aidmap::region::tiles::cut(&ex, &mut |_| true).unwrap();
    let pmtiles = data.path().join("monaco-protomaps.pmtiles");
    std::fs::write(&pmtiles, aidmap::region::tiles::pmtiles(&cut, [43.72, 7.40, 43.76, 7.44]).unwrap()).unwrap();
    let not_a_basemap = fixtures.join("monaco.osm.pbf");
    let picks = [not_a_basemap.clone(), pmtiles.clone(), fixtures.join("monaco.osm.pbf")]
        .map(|p| p.display().to_string())
        .join("\n");
    let app = App::launch_with(data.path(), &[("AIDMAP_E2E_PICK_FILES", &picks)]).await;
    app.wait_css("[data-testid=plain-badge]").await;
    let hint = app.wait_css("[data-testid=region-hint]").await.text().await.unwrap();
    assert!(hint.contains("straight-line estimates"), "{hint}");
    app.screenshot("region-hint").await;

    // A file that is not a basemap: said so, nothing changed.
    app.wait_css("[data-testid=use-basemap]").await.click().await.unwrap();
    let refusal = app.wait_css("[data-testid=message-text]").await.text().await.unwrap();
    assert!(refusal.contains("not a vector basemap"), "{refusal}");
    app.screenshot("basemap-refused").await;
    app.wait_css("[data-testid=message-dialog] button.primary").await.click().await.unwrap();
    app.wait_js("dialog closed", "!document.querySelector('[data-testid=message-dialog]')").await;
    assert!(!data.path().join("hub.region").exists());

    // The basemap file: the map draws it, the hint says there are no roads yet.
    app.wait_css("[data-testid=use-basemap]").await.click().await.unwrap();
    app.wait_js("toast", "document.body.innerText.includes('The map now uses monaco-protomaps.pmtiles')").await;
    let drawn = "JSON.parse(document.querySelector('[data-testid=map]').dataset.basemap ?? '{}').roads > 0";
    app.wait_js("basemap drawn", drawn).await;
    let hint = app.wait_css("[data-testid=region-hint]").await.text().await.unwrap();
    assert!(hint.contains("no roads or addresses"), "{hint}");
    app.screenshot("basemap-file").await;

    // Then the extract: roads and search arrive, the chosen basemap stays.
    app.wait_css("[data-testid=import-extract]").await.click().await.unwrap();
    app.wait_css("[data-testid=address-search] input").await.send_keys("Belgique").await.unwrap();
    app.wait_css_for("[data-testid=address-result]", std::time::Duration::from_secs(120)).await;
    app.quit().await;
    let pack = aidmap::region::RegionPack::open(&data.path().join("hub.region")).unwrap();
    assert_eq!(pack.info().basemap_source.as_deref(), Some("monaco-protomaps.pmtiles"));
    assert!(pack.router().is_some());
    let store = aidmap::Store::open_with(&path, "e2e", aidmap::OpenMode::ReadOnly).unwrap();
    let log = store
        .audit(&aidmap::audit::AuditFilter { entity: Some("region".into()), ..Default::default() }, 10, 0)
        .unwrap();
    assert_eq!(log.total, 2, "the basemap and the import are audited");
}

/// Place household on map: the pin stands exactly where the user clicked and the cursor is in
/// Name, so typed letters go there (not to the app's single-key shortcuts).
#[tokio::test(flavor = "multi_thread")]
async fn place_on_map_pins_at_the_click_and_focuses_name() {
    use aidmap_e2e::fantoccini::actions::{InputSource, MouseActions, PointerAction, MOUSE_BUTTON_LEFT};
    let data = tempfile::tempdir().unwrap();
    let app = App::launch(data.path()).await;
    app.wait_css("[data-testid=demo-badge]").await;
    app.wait_js("map loaded", "document.querySelector('[data-testid=map]')?.dataset.loaded === 'true'").await;
    app.wait_css("[data-testid=place-pin]").await.click().await.unwrap();
    let canvas = app.wait_css(".maplibregl-canvas").await;
    let (dx, dy) = (-220.0, 150.0);
    let mouse = MouseActions::new("mouse".into())
        .then(PointerAction::MoveToElement { element: canvas.clone(), duration: None, x: dx, y: dy })
        .then(PointerAction::Down { button: MOUSE_BUTTON_LEFT })
        .then(PointerAction::Up { button: MOUSE_BUTTON_LEFT });
    app.client.perform_actions(mouse).await.unwrap();
    app.wait_js("cursor in Name", "document.activeElement?.name === 'name'").await;
    app.client.active_element().await.unwrap().send_keys("Ada Lovelace").await.unwrap();
    let typed = app.wait_js("typed", "document.querySelector('input[name=name]').value").await;
    assert_eq!(typed, "Ada Lovelace", "letters went to Name, not to shortcuts");
    let off = app
        .wait_js(
            "pin drawn",
            &format!(
                "(() => {{ const c = document.querySelector('.maplibregl-canvas').getBoundingClientRect(); const p = document.querySelector('[data-testid=selected-pin]')?.getBoundingClientRect(); if (!p) return null; return [p.left + p.width / 2 - (c.left + c.width / 2 + ({dx})), p.bottom - (c.top + c.height / 2 + ({dy}))]; }})()"
            ),
        )
        .await;
    let off: Vec<f64> = serde_json::from_value(off).unwrap();
    assert!(off[0].abs() <= 3.0 && off[1].abs() <= 8.0, "the pin's tip is where the click was: {off:?}");
    app.screenshot("place-on-map").await;
    app.quit().await;
}
