//! Spreadsheet import in the real app: 500 households from a CSV through the import dialog
//! (mapping suggested from the headers, rows checked, then imported), one duplicate resolved by
//! a merge, and the households on the map. The native file picker is answered by
//! `AIDMAP_E2E_PICK_FILES`; everything else is the real app.

use aidmap_e2e::App;

#[tokio::test(flavor = "multi_thread")]
async fn import_500_households_and_merge_a_duplicate() {
    let data = tempfile::tempdir().unwrap();
    let path = data.path().join("hub.aidmap");
    drop(aidmap::Store::create(&path, "Hub South", "e2e").unwrap());
    aidmap::recent::push(data.path(), &path, "Hub South").unwrap();
    let csv = aidmap_e2e::workspace_root().join("tests/fixtures/import/households-500.csv");
    let app = App::launch_with(data.path(), &[("AIDMAP_E2E_PICK_FILES", &csv.display().to_string())]).await;
    app.wait_css("[data-testid=plain-badge]").await;
    app.wait_css("[data-testid=import-button]").await.click().await.unwrap();
    app.wait_css("[data-testid=import-preview]").await;
    // The mapping was suggested from the English headers.
    let name = app.wait_js("name column", "document.querySelector('[data-testid=\"map-Name\"]').value").await;
    assert_eq!(name, "name");
    app.wait_css("[data-testid=import-check]").await.click().await.unwrap();
    app.wait_js("dry run", "document.querySelector('[data-testid=import-report]')?.dataset.dry === 'true'").await;
    app.screenshot("import-checked").await;
    app.wait_css("[data-testid=import-run]").await.click().await.unwrap();
    app.wait_js("imported", "document.querySelector('[data-testid=import-report]')?.dataset.created === '500' && document.querySelector('[data-testid=import-report]')?.dataset.dry === 'false'").await;
    app.screenshot("import-done").await;
    app.wait_css("[data-testid=import-close]").await.click().await.unwrap();
    app.wait_js("500 on the map", "document.querySelector('[data-testid=map-count]').dataset.count === '500'").await;

    // Resolve one duplicate: merge the best pair.
    app.wait_css("[data-testid=duplicates-button]").await.click().await.unwrap();
    app.wait_css("[data-testid=dup-compare]").await;
    // The list names both households of each pair, best first.
    app.wait_css("[data-testid=dup-pair-side]").await;
    app.screenshot("duplicates-list").await;
    app.screenshot("duplicates").await;
    app.wait_css("[data-testid=dup-merge]").await.click().await.unwrap();
    app.wait_css("[data-testid=dup-merged]").await;
    app.wait_css("[data-testid=dup-close]").await.click().await.unwrap();
    app.wait_js("499 on the map", "document.querySelector('[data-testid=map-count]').dataset.count === '499'").await;
    app.screenshot("after-merge").await;
    app.quit().await;

    let store = aidmap::Store::open_with(&path, "e2e", aidmap::OpenMode::ReadOnly).unwrap();
    assert_eq!(store.households().unwrap().len(), 499);
    assert_eq!(store.conn().query_row("SELECT count(*) FROM merge_record", [], |r| r.get::<_, i64>(0)).unwrap(), 1);
    let imports: i64 = store.conn().query_row("SELECT count(*) FROM import_record", [], |r| r.get(0)).unwrap();
    assert_eq!(imports, 1, "the dry run left nothing");
}

/// Doubted coordinates in the demo (which has the Monaco region pack): one row in the harbour,
/// one 1.2 km from its street, one fine. Check rows flags the two with their distances and a
/// choice each; "place by hand" for all, then keeping one row's coordinates, changes the
/// Import button's counts; the import does exactly that.
#[tokio::test(flavor = "multi_thread")]
async fn doubted_coordinates_are_flagged_in_check_rows_with_a_choice_per_row() {
    let data = tempfile::tempdir().unwrap();
    // Where the pack puts Rue Grimaldi (the same embedded extract the demo's pack is built from).
    let pack = data.path().join("probe.region");
    aidmap::region::build_from_bytes(
        aidmap::demo::osm::MONACO_PBF,
        "monaco.osm.pbf",
        &pack,
        chrono::Utc::now(),
        &mut |_, _| true,
    )
    .unwrap();
    let street = aidmap::region::RegionPack::open(&pack).unwrap().geocode("Rue Grimaldi", 1).unwrap().remove(0);
    std::fs::remove_file(&pack).unwrap();
    let csv = data.path().join("households.csv");
    std::fs::write(
        &csv,
        format!(
            "Name,Phone,Address,Latitude,Longitude,Household size,Needs\n\
             Quay Harbour,+377 600 000 001,Boulevard Albert 1er,43.734500,7.425500,3,Water\n\
             Far Away,+377 600 000 002,Rue Grimaldi,{:.6},{:.6},2,Food\n\
             Right Here,+377 600 000 003,Rue Grimaldi,{:.6},{:.6},1,Food\n",
            street.lat + 1200.0 / 111_195.0,
            street.lon,
            street.lat,
            street.lon
        ),
    )
    .unwrap();
    let app = App::launch_with(data.path(), &[("AIDMAP_E2E_PICK_FILES", &csv.display().to_string())]).await;
    app.wait_css("[data-testid=import-button]").await.click().await.unwrap();
    app.wait_css("[data-testid=import-preview]").await;
    let size = app.wait_js("size column", "document.querySelector('[data-testid=\"map-Household size\"]').value").await;
    assert_eq!(size, "household_size");
    app.wait_css("[data-testid=import-check]").await.click().await.unwrap();
    app.wait_js("dry run", "document.querySelector('[data-testid=import-report]')?.dataset.dry === 'true'").await;
    let rows = app
        .wait_js(
            "flagged rows",
            "(() => { const r = [...document.querySelectorAll('[data-testid=import-coordinates-row]')]; return r.length === 2 ? r.map(e => e.dataset.row + ':' + e.textContent) : null; })()",
        )
        .await;
    let rows: Vec<String> = serde_json::from_value(rows).unwrap();
    assert!(rows[0].starts_with("2:") && rows[0].contains("in water"), "{rows:?}");
    assert!(rows[1].starts_with("3:") && rows[1].contains(" m from the address"), "{rows:?}");
    let label = app.wait_js("counts", "document.querySelector('[data-testid=import-run]').textContent").await;
    assert_eq!(label.as_str().unwrap().trim(), "Import — households: 2, needs: 2");
    app.screenshot("import-check-coordinates").await;

    // Row 2's address is not in the pack, so it waits by default; row 3 goes to its street.
    // Place both by hand, then keep row 3's coordinates after all.
    app.client
        .execute(
            "const s = document.querySelector('[data-testid=import-coordinates-default]'); s.value = 'place'; s.dispatchEvent(new Event('change', {bubbles: true})); document.querySelector('[data-testid=import-coordinates-apply]').click(); return true;",
            vec![],
        )
        .await
        .unwrap();
    app.wait_js(
        "re-checked",
        "document.querySelector('[data-testid=import-run]').textContent.trim() === 'Import — households: 1, needs: 1'",
    )
    .await;
    app.client
        .execute(
            "const s = document.querySelector('[data-testid=import-coordinates-row][data-row=\"3\"] select'); s.value = 'coordinates'; s.dispatchEvent(new Event('change', {bubbles: true})); return true;",
            vec![],
        )
        .await
        .unwrap();
    app.wait_js(
        "re-checked again",
        "document.querySelector('[data-testid=import-run]').textContent.trim() === 'Import — households: 2, needs: 2'",
    )
    .await;
    app.wait_js(
        "each row's choice shown",
        "[...document.querySelectorAll('[data-testid=import-coordinates-row] select')].map(s => s.value).join() === 'place,coordinates' && !document.querySelector('[data-testid=import-run]').disabled",
    )
    .await;
    app.wait_css("[data-testid=import-run]").await.click().await.unwrap();
    app.wait_js("imported", "document.querySelector('[data-testid=import-report]')?.dataset.created === '2' && document.querySelector('[data-testid=import-report]')?.dataset.dry === 'false'").await;
    app.quit().await;

    // The app may still be closing the file (its last write in the WAL): read once it shows.
    let demo = data.path().join("demo.aidmap");
    let open = || aidmap::Store::open_with(&demo, "e2e", aidmap::OpenMode::ReadOnly).unwrap();
    for _ in 0..40 {
        if open().households().unwrap().iter().any(|h| h.name == "Right Here") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    let store = open();
    let find = |name: &str| store.households().unwrap().into_iter().find(|h| h.name == name);
    assert!(find("Right Here").is_some(), "the import is in the file");
    assert!(find("Quay Harbour").is_none(), "waits to be placed by hand");
    let far = find("Far Away").unwrap();
    assert_eq!(far.location_source, aidmap::vocab::LocationSource::Imported);
    assert!((far.lat - street.lat - 1200.0 / 111_195.0).abs() < 1e-5, "kept where the sheet put it");
    assert_eq!(find("Right Here").unwrap().adults, 1);
    let waiting: Vec<String> = store.pending_rows().unwrap().into_iter().map(|p| p.reason).collect();
    assert_eq!(waiting, ["check_coordinates"]);
}

/// The same doubts at entry: a new household's pin typed into the harbour, then onto the hill
/// above Monaco between the roads, is said under the coordinates before it reaches a plan.
#[tokio::test(flavor = "multi_thread")]
async fn a_typed_location_in_water_or_far_from_roads_is_said_at_entry() {
    let data = tempfile::tempdir().unwrap();
    let app = App::launch(data.path()).await;
    app.wait_css("[data-testid=new-household]").await.click().await.unwrap();
    app.wait_css("input[name=lat]").await;
    let set = |lat: &'static str, lon: &'static str| {
        format!(
            "for (const [n, v] of [['lat', '{lat}'], ['lon', '{lon}']]) {{ const e = document.querySelector(`input[name=${{n}}]`); e.value = v; e.dispatchEvent(new Event('input', {{bubbles: true}})); }} return true;"
        )
    };
    app.client.execute(&set("43.7345", "7.4255"), vec![]).await.unwrap();
    app.wait_css("[data-testid=location-doubt][data-code=in_water]").await;
    app.client.execute(&set("43.7493", "7.39515"), vec![]).await.unwrap();
    let text = app
        .wait_js(
            "far from road",
            "document.querySelector('[data-testid=location-doubt][data-code=far_from_road]')?.textContent",
        )
        .await;
    assert!(text.as_str().unwrap().contains(" m from the nearest road"), "{text}");
    app.screenshot("household-far-from-road").await;
    app.quit().await;
}
