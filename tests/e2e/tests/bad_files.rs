//! Files the app cannot open normally: it says so, opens what it can, and writes nothing.

use std::os::unix::fs::PermissionsExt;

use aidmap::demo::{self, DemoOptions};
use aidmap::vocab::HouseholdStatus;
use aidmap_e2e::fantoccini::Locator;
use aidmap_e2e::App;

#[tokio::test(flavor = "multi_thread")]
async fn a_damaged_last_operation_is_reported_and_left_unchanged() {
    let data = tempfile::tempdir().unwrap();
    let bogus = data.path().join("notes.aidmap");
    let bytes = b"These are not the households you are looking for.\n".repeat(200);
    std::fs::write(&bogus, &bytes).unwrap();
    aidmap::recent::push(data.path(), &bogus, "Notes").unwrap();

    let app = App::launch(data.path()).await;
    let text = app.wait_css("[data-testid=message-text]").await.text().await.unwrap();
    assert!(text.contains("not an Aidmap operation"), "message was: {text}");
    app.wait_css("[data-testid=demo-badge]").await; // the demo opened instead
    app.screenshot("bad-file-message").await;
    app.quit().await;

    assert_eq!(std::fs::read(&bogus).unwrap(), bytes, "the file is unchanged");
    assert!(!data.path().join("notes.aidmap-wal").exists());
    assert!(!data.path().join("notes.aidmap-shm").exists());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_read_only_operation_opens_with_a_banner_and_no_editing() {
    let data = tempfile::tempdir().unwrap();
    let path = data.path().join("archive.aidmap");
    let opts = DemoOptions { households: 40, seed: 11, date: chrono_date() };
    let store = demo::write(&path, &opts, "e2e").unwrap();
    let active = store.count_households(Some(HouseholdStatus::Active)).unwrap();
    drop(store);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
    aidmap::recent::push(data.path(), &path, "Archive").unwrap();
    let before = std::fs::read(&path).unwrap();

    let app = App::launch(data.path()).await;
    app.wait_css("[data-testid=readonly-banner]").await;
    let count = app.wait_js("map count", "document.querySelector('[data-testid=map-count]')?.dataset.count").await;
    assert_eq!(count.as_str().unwrap().parse::<u32>().unwrap(), active);
    let new_button = app.wait_css("[data-testid=new-household]").await;
    assert_eq!(new_button.attr("disabled").await.unwrap().as_deref(), Some("true"));
    app.wait_css("[data-testid=household-list] [data-row]").await.click().await.unwrap();
    app.wait_css("[data-testid=household-panel]").await;
    assert!(app.client.find(Locator::Css("[data-testid=edit-household]")).await.is_err(), "no Edit button");
    assert!(app.client.find(Locator::Css("[data-testid=add-need]")).await.is_err(), "no Add need button");
    app.screenshot("read-only").await;
    app.quit().await;

    assert_eq!(std::fs::read(&path).unwrap(), before, "the read-only file is unchanged");
}

fn chrono_date() -> aidmap_e2e::NaiveDate {
    aidmap_e2e::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
}

/// An operation file with a trigger added outside Aidmap (it would rewrite every phone on the
/// next audit entry): the app refuses it in plain words and the file stays byte-identical.
/// Opened as the last operation, which goes through the same open as File › Open.
#[tokio::test(flavor = "multi_thread")]
async fn an_operation_changed_outside_aidmap_is_refused_and_left_unchanged() {
    let data = tempfile::tempdir().unwrap();
    let path = data.path().join("received.aidmap");
    let opts = DemoOptions { households: 20, seed: 5, date: chrono_date() };
    let store = demo::write(&path, &opts, "e2e").unwrap();
    store
        .conn()
        .execute_batch("CREATE TRIGGER steal AFTER INSERT ON audit BEGIN UPDATE household SET phones = '[]'; END;")
        .unwrap();
    drop(store);
    aidmap::recent::push(data.path(), &path, "Received").unwrap();
    let before = std::fs::read(&path).unwrap();

    let app = App::launch(data.path()).await;
    let text = app.wait_css("[data-testid=message-text]").await.text().await.unwrap();
    assert!(text.contains("changed outside Aidmap"), "message was: {text}");
    app.screenshot("changed-schema-refused").await;
    app.quit().await;
    assert_eq!(std::fs::read(&path).unwrap(), before, "the file is byte-identical");
}

/// A damaged region pack beside an operation (NaN latitudes once panicked the open): the
/// operation opens, and the app says the pack is damaged — not the operation.
#[tokio::test(flavor = "multi_thread")]
async fn a_damaged_region_pack_is_said_and_the_operation_opens() {
    let data = tempfile::tempdir().unwrap();
    let path = data.path().join("hub.aidmap");
    drop(aidmap::Store::create(&path, "Hub North", "e2e").unwrap());
    let pack = aidmap::region::pack_path_for(&path);
    aidmap::region::build_from_bytes(
        aidmap::demo::osm::MONACO_PBF,
        "monaco.osm.pbf",
        &pack,
        chrono::Utc::now(),
        &mut |_, _| true,
    )
    .unwrap();
    let conn = rusqlite::Connection::open(&pack).unwrap();
    let mut lat: Vec<u8> = conn.query_row("SELECT data FROM array WHERE name = 'lat'", [], |r| r.get(0)).unwrap();
    lat[..8].copy_from_slice(&f64::NAN.to_le_bytes());
    conn.execute("UPDATE array SET data = ?1 WHERE name = 'lat'", [lat]).unwrap();
    drop(conn);
    aidmap::recent::push(data.path(), &path, "Hub North").unwrap();

    let app = App::launch(data.path()).await;
    app.wait_css("[data-testid=plain-badge]").await;
    let said = app
        .wait_js(
            "the pack is said to be damaged",
            "[...document.querySelectorAll('[data-testid=toast]')].map(t => t.textContent).find(t => t.includes('region pack'))",
        )
        .await;
    assert!(
        said.as_str().unwrap().contains("damaged") && said.as_str().unwrap().contains("The operation itself is fine"),
        "{said}"
    );
    // The map's hint says the same, not "no region pack".
    let hint = app.wait_js("the map hint", "document.querySelector('[data-testid=region-hint]')?.textContent").await;
    assert!(hint.as_str().unwrap().contains("damaged"), "{hint}");
    app.screenshot("region-pack-damaged").await;
    app.quit().await;
}
