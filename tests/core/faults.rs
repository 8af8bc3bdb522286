//! Disk full and read-only media: a write fails with a clear error and the operation stays
//! consistent, with every committed change still there.

use aidmap::household::HouseholdInput;
use aidmap::{Error, ErrorCode};

use crate::util::*;

#[test]
fn a_full_disk_fails_the_write_cleanly_and_loses_nothing() {
    let dir = tempdir();
    let mut store = new_store(dir.path());
    let first = store.create_household(&alice()).unwrap();
    // SQLite reports SQLITE_FULL when the file may not grow: the same path as a full disk.
    let pages: i64 = store.conn().query_row("PRAGMA page_count", [], |r| r.get(0)).unwrap();
    store.conn().query_row(&format!("PRAGMA max_page_count = {pages}"), [], |r| r.get::<_, i64>(0)).unwrap();
    let mut big = alice();
    big.notes = "x".repeat(9_000);
    let mut failed = None;
    for _ in 0..50 {
        if let Err(e) = store.create_household(&big) {
            failed = Some(e);
            break;
        }
    }
    let err = failed.expect("the write must fail once the file cannot grow");
    assert!(matches!(err, Error::DiskFull), "{err:?}");
    assert_eq!(err.code(), ErrorCode::DiskFull);
    assert!(err.to_string().contains("disk is full"), "{err}");
    assert_intact(&store);
    // The failed transaction left nothing behind; earlier ones are all there.
    let kept = rows(&store, "household");
    assert_eq!(rows(&store, "audit"), kept, "one audit entry per household, none for the failed one");
    assert_eq!(store.household(&first.id).unwrap().household.name, "Alice Martin");
    // Space comes back: writing works again.
    store.conn().query_row("PRAGMA max_page_count = 1000000", [], |r| r.get::<_, i64>(0)).unwrap();
    store.create_household(&HouseholdInput::at("After", 43.7, 7.4)).unwrap();
}

#[test]
fn read_only_media_opens_read_only_and_refuses_writes() {
    let dir = tempdir();
    let mut store = new_store(dir.path());
    store.create_household(&alice()).unwrap();
    drop(store);
    let path = dir.path().join("op.aidmap");
    // Read-only media: the file cannot be written (mode 0444 is what a read-only mount shows
    // to a non-root user; as root the mode is ignored, so the store is asked to be read-only).
    let mut perms = std::fs::metadata(&path).unwrap().permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&path, perms).unwrap();
    let mut store = aidmap::Store::open_with(&path, INSTALLATION, aidmap::OpenMode::Auto).unwrap();
    assert!(store.read_only());
    let err = store.create_household(&alice()).unwrap_err();
    assert_eq!(err.code(), ErrorCode::ReadOnly);
    assert_eq!(store.households().unwrap().len(), 1);
}
