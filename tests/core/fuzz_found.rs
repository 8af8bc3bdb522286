//! Inputs the fuzzers (`fuzz/`) found that once broke Aidmap, kept as regression tests. The same
//! files are seeds in `fuzz/corpus/`.

use aidmap::household::HouseholdInput;
use aidmap::need::NeedInput;
use aidmap::{Error, Rule};

use crate::util::*;

fn found(name: &str) -> Vec<u8> {
    std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz-found").join(name))
        .unwrap()
}

/// `osmpbf` 0.3.8 panics on integer overflow in delta-coded ids and coordinates (debug builds):
/// `read` reports a damaged extract instead.
#[test]
fn hostile_osm_extracts_are_errors_not_crashes() {
    for name in [
        "crash-dense-lon-overflow.osm.pbf",
        "crash-dense-id-add-overflow.osm.pbf",
        "crash-way-ref-add-overflow.osm.pbf",
    ] {
        match aidmap::demo::osm::read(&found(name)) {
            Err(Error::Corrupt(_)) => {}
            other => panic!("{name}: {:?}", other.map(|e| e.roads.len())),
        }
    }
}

fn single_rule(e: Error) -> (String, Rule) {
    let Error::Validation(fields) = e else { panic!("{e:?}") };
    (fields[0].field.clone(), fields[0].rule)
}

/// A NUL passed validation but SQLite's CHECK (its `length()` stops at NUL) refused the row:
/// control characters are now a validation error, reported on the field.
#[test]
fn control_characters_are_refused_by_validation() {
    let dir = tempdir();
    let mut store = new_store(dir.path());
    let input: HouseholdInput = serde_json::from_slice(&found("crash-nul-leading-name.json")).unwrap();
    assert_eq!(single_rule(store.create_household(&input).unwrap_err()), ("name".into(), Rule::InvalidCharacters));
    let mut ok = HouseholdInput::at("Line\\tbreaks\nare fine", 43.73, 7.42);
    ok.notes = "first line\r\nsecond\tline".into();
    let h = store.create_household(&ok).unwrap();
    let need: NeedInput = serde_json::from_slice(&found("crash-nul-unit.json")).unwrap();
    assert_eq!(single_rule(store.add_need(&h.id, &need).unwrap_err()), ("unit".into(), Rule::InvalidCharacters));
    let mut bad = alice();
    bad.phones = vec!["+377\u{1b}[31m".into()];
    assert_eq!(single_rule(store.create_household(&bad).unwrap_err()), ("phones".into(), Rule::InvalidCharacters));
}

/// Request times typed with an offset are stored in UTC so they sort correctly as text.
#[test]
fn request_times_are_stored_in_utc() {
    let dir = tempdir();
    let mut store = new_store(dir.path());
    let h = store.create_household(&alice()).unwrap();
    let mut need = NeedInput::new(aidmap::vocab::Category::Water, 1.0, "L", aidmap::vocab::Urgency::Low);
    need.requested_at = Some("2026-11-25T10:30:00+01:00".into());
    let n = store.add_need(&h.id, &need).unwrap();
    assert_eq!(n.requested_at, "2026-11-25T09:30:00.000Z");
}

/// The `basemap_file` fuzzer's find (CI, stop 22): a directory whose entry count made the
/// `pmtiles` reader allocate 12 GB. Refused before the reader sees it.
#[test]
fn a_pmtiles_directory_count_bomb_is_refused() {
    let archive = found("oom-pmtiles-directory-count.pmtiles");
    assert!(aidmap::region::pmtiles_archive::check(&archive).is_err());
    let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
    assert!(rt.block_on(aidmap::region::pmtiles_archive::Basemap::from_bytes(archive)).is_err());
}
