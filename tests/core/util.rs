//! Helpers shared by the test modules.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use aidmap::household::{Consent, HouseholdInput};
use aidmap::vocab::{ConsentStatus, HouseholdStatus, LegalBasis, LocationSource, Vulnerability};
use aidmap::Store;
use chrono::{DateTime, Utc};

pub const INSTALLATION: &str = "0193a5b0-0000-7000-8000-00000000aaaa";

pub fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

/// A new, empty operation `op.aidmap` in `dir`.
pub fn new_store(dir: &Path) -> Store {
    Store::create(&dir.join("op.aidmap"), "Test operation", INSTALLATION).expect("create operation")
}

pub fn time(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339).expect("test time").with_timezone(&Utc)
}

/// A clock the test moves by hand.
#[derive(Clone)]
pub struct TestClock(Arc<Mutex<DateTime<Utc>>>);

impl TestClock {
    pub fn new(rfc3339: &str) -> Self {
        TestClock(Arc::new(Mutex::new(time(rfc3339))))
    }

    pub fn set(&self, rfc3339: &str) {
        *self.0.lock().unwrap() = time(rfc3339);
    }

    pub fn install(&self, store: Store) -> Store {
        let clock = self.clone();
        store.with_clock(move || *clock.0.lock().unwrap())
    }
}

/// The SQLite side files that exist next to `path`.
pub fn sidecars(path: &Path) -> Vec<PathBuf> {
    ["-wal", "-shm", "-journal"]
        .iter()
        .map(|suffix| {
            let mut p = path.as_os_str().to_owned();
            p.push(suffix);
            PathBuf::from(p)
        })
        .filter(|p| p.exists())
        .collect()
}

pub fn rows(store: &Store, table: &str) -> i64 {
    store.conn().query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0)).unwrap()
}

/// A fully filled-in household, as the intake form would send it.
pub fn alice() -> HouseholdInput {
    HouseholdInput {
        name: "Alice Martin".into(),
        phones: vec!["+377 93 15 20 00".into()],
        address: "12 Rue Grimaldi".into(),
        lat: 43.7325,
        lon: 7.4189,
        location_source: LocationSource::Geocoded,
        adults: 2,
        children: 1,
        seniors: 0,
        vulnerabilities: vec![Vulnerability::Pets, Vulnerability::Infant],
        languages: vec!["fr".into(), "it".into()],
        access_notes: "Ring twice, 3rd floor".into(),
        consent: Consent {
            status: ConsentStatus::Given,
            date: Some("2026-11-24".into()),
            scope: "deliveries".into(),
            basis: Some(LegalBasis::Consent),
        },
        status: HouseholdStatus::Active,
        notes: String::new(),
        notes_for_driver: false,
        landmark: String::new(),
    }
}

/// `PRAGMA integrity_check` and `foreign_key_check` of a file, opened on its own.
pub fn assert_intact(store: &Store) {
    let check: String = store.conn().query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(check, "ok");
    let orphans: i64 =
        store.conn().query_row("SELECT COUNT(*) FROM pragma_foreign_key_check", [], |r| r.get(0)).unwrap();
    assert_eq!(orphans, 0, "foreign keys");
}

/// A second connection to a plain operation file, as a tool outside Aidmap would open it: for
/// tests that plant what Aidmap itself never writes (the store's own connection refuses writes
/// outside `Store::write` in debug builds).
pub fn outside(store: &Store) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(store.path()).unwrap();
    conn.busy_timeout(std::time::Duration::from_secs(5)).unwrap();
    conn
}
