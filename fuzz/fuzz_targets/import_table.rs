//! Arbitrary bytes as a spreadsheet a hub imports (File › Import…): read as CSV and as XLSX,
//! and when a table comes out, its suggested mapping imported as a dry run into an operation.
//! Refusals are fine; a panic is not, and a dry run must write nothing.

#![no_main]

use std::sync::{Mutex, OnceLock};

use aidmap::import::table;
use aidmap::vocab::ImportKind;
use aidmap::Store;
use aidmap_fuzz::scratch_dir;
use libfuzzer_sys::fuzz_target;

static STORE: OnceLock<Mutex<Store>> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let store = STORE.get_or_init(|| {
        let path = scratch_dir().join("import.aidmap");
        Mutex::new(Store::create(&path, "Fuzz", "0193a5b0-0000-7000-8000-00000000fuzz").expect("a store"))
    });
    for name in ["sheet.csv", "sheet.xlsx"] {
        let Ok(t) = table::read(data, name) else { continue };
        assert!(t.rows.iter().all(|r| r.len() == t.headers.len()), "rows as wide as the header");
        let mut store = store.lock().unwrap_or_else(|e| e.into_inner());
        if let Ok(report) = store.import_table(ImportKind::Households, &t, None, name, None, true) {
            assert!(report.created + report.skipped + report.to_place <= report.rows);
        }
        assert!(store.households().expect("households").is_empty(), "a dry run writes nothing");
    }
});
