//! Sites with stock imported from a Spanish sheet through the import dialog (the sheet's kind
//! chosen in the dialog), then exports through the export dialog: households as CSV with the
//! default columns (no personal details) and as GeoJSON with names switched on. The native file
//! pickers are answered by `AIDMAP_E2E_PICK_FILES`; everything else is the real app.

use aidmap_e2e::App;

async fn select(app: &App, css: &str, value: &str) {
    let js = format!(
        "const e = document.querySelector('{css}'); e.value = '{value}'; e.dispatchEvent(new Event('change', {{bubbles: true}})); return true;"
    );
    app.client.execute(&js, vec![]).await.expect("select");
}

#[tokio::test(flavor = "multi_thread")]
async fn import_sites_then_export_households() {
    let data = tempfile::tempdir().unwrap();
    let path = data.path().join("hub.aidmap");
    {
        let mut store = aidmap::Store::create(&path, "Hub North", "e2e").unwrap();
        let mut h = aidmap::household::HouseholdInput::at("Zoé Sentinelle", 43.7384, 7.4246);
        h.phones = vec!["+377 600 42 42 42".into()];
        h.notes = "SENTINEL-NOTE".into();
        store.create_household(&h).unwrap();
    }
    aidmap::recent::push(data.path(), &path, "Hub North").unwrap();
    let root = aidmap_e2e::workspace_root();
    let sheet = root.join("tests/fixtures/import/sites-es.csv");
    let csv_out = data.path().join("households.csv");
    let geojson_out = data.path().join("households.geojson");
    let picks = format!("{}\n{}\n{}", sheet.display(), csv_out.display(), geojson_out.display());
    let app = App::launch_with(data.path(), &[("AIDMAP_E2E_PICK_FILES", &picks)]).await;
    app.wait_css("[data-testid=plain-badge]").await;

    // Import: the sheet holds sites and stock.
    app.wait_css("[data-testid=import-button]").await.click().await.unwrap();
    app.wait_css("[data-testid=import-preview]").await;
    select(&app, "[data-testid=import-kind]", "sites").await;
    app.wait_js("site name column", "document.querySelector('[data-testid=\"map-Sitio\"]')?.value === 'name'").await;
    app.wait_css("[data-testid=import-run]").await.click().await.unwrap();
    app.wait_js("two sites", "document.querySelector('[data-testid=import-report]')?.dataset.created === '2'").await;
    let also = app.wait_css("[data-testid=import-also]").await.text().await.unwrap();
    assert!(also.contains('3'), "{also}");
    app.screenshot("import-sites-done").await;
    app.wait_css("[data-testid=import-close]").await.click().await.unwrap();
    app.wait_js("sites on the map", "document.querySelector('[data-testid=map]').dataset.sites === '2'").await;

    // Export households as CSV with the defaults: personal columns start off.
    app.wait_css("[data-testid=tab-households]").await.click().await.unwrap();
    app.wait_css("[data-testid=export-button]").await.click().await.unwrap();
    app.wait_css("[data-testid=export-col-name]").await;
    // Personal columns start off; the others on.
    app.wait_js(
        "name off, status on",
        "!document.querySelector('[data-testid=export-col-name]').checked && document.querySelector('[data-testid=export-col-status]').checked",
    )
    .await;
    app.screenshot("export-dialog").await;
    app.wait_css("[data-testid=export-run]").await.click().await.unwrap();
    app.wait_js("exported", "document.querySelector('[data-testid=export-done]')?.dataset.rows === '1'").await;
    app.wait_css("[data-testid=export-close]").await.click().await.unwrap();

    // GeoJSON with the name switched on: the warning shows, the name is in the file.
    app.wait_css("[data-testid=export-button]").await.click().await.unwrap();
    app.wait_css("[data-testid=export-col-name]").await.click().await.unwrap();
    app.wait_css("[data-testid=export-personal-warning]").await;
    select(&app, "[data-testid=export-format]", "geojson").await;
    app.screenshot("export-personal").await;
    app.wait_css("[data-testid=export-run]").await.click().await.unwrap();
    app.wait_css("[data-testid=export-done]").await;
    app.wait_css("[data-testid=export-close]").await.click().await.unwrap();
    app.quit().await;

    let csv = std::fs::read_to_string(&csv_out).unwrap();
    assert!(csv.starts_with("id,status,lat,lon"), "{csv}");
    for secret in ["Sentinelle", "SENTINEL-NOTE", "600 42"] {
        assert!(!csv.contains(secret), "{secret} in the default export");
    }
    let geojson: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&geojson_out).unwrap()).unwrap();
    assert_eq!(geojson["features"][0]["properties"]["name"], "Zoé Sentinelle");
    assert!(!geojson.to_string().contains("SENTINEL-NOTE"));

    let store = aidmap::Store::open_with(&path, "e2e", aidmap::OpenMode::ReadOnly).unwrap();
    assert_eq!(store.sites().unwrap().len(), 2);
    let exports = store
        .audit(
            &aidmap::audit::AuditFilter { action: Some(aidmap::audit::AuditAction::Export), ..Default::default() },
            10,
            0,
        )
        .unwrap();
    assert_eq!(exports.items.len(), 2, "both exports recorded");
}
