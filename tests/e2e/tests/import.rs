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
    app.wait_js("imported", "document.querySelector('[data-testid=import-report]')?.dataset.created === '500'").await;
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
