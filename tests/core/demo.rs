//! The demo generator: deterministic, inside Monaco, and large enough for a stress test.

use std::path::Path;

use aidmap::demo::{self, osm, DemoOptions};
use aidmap::vocab::{HouseholdStatus, NeedStatus};
use aidmap::Store;
use chrono::NaiveDate;
use geo::{Contains, LineString, Point, Polygon};

use crate::util::*;

fn options(households: u32, seed: u64) -> DemoOptions {
    DemoOptions { households, seed, date: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap() }
}

fn write(dir: &Path, name: &str, opts: &DemoOptions) -> Store {
    demo::write(&dir.join(name), opts, INSTALLATION).expect("write demo")
}

fn monaco() -> Polygon<f64> {
    let ring = osm::boundary(osm::MONACO_POLY);
    assert!(ring.len() > 10, "the boundary has {} points", ring.len());
    Polygon::new(LineString::from(ring), vec![])
}

/// Every household lies inside Monaco and has an address; returns how many were checked.
fn assert_inside_monaco(store: &Store) -> usize {
    let monaco = monaco();
    let households = store.households().unwrap();
    for h in &households {
        assert!(monaco.contains(&Point::new(h.lon, h.lat)), "{} at ({}, {}) is outside Monaco", h.id, h.lat, h.lon);
        assert!(!h.address.trim().is_empty(), "{} has no address", h.id);
    }
    households.len()
}

#[test]
fn same_seed_and_date_give_the_same_operation() {
    let dir = tempdir();
    let a = write(dir.path(), "a.aidmap", &options(250, 11));
    let b = write(dir.path(), "b.aidmap", &options(250, 11));

    let (households, needs) = (a.households().unwrap(), a.needs(None).unwrap());
    assert_eq!(households.len(), 250);
    assert!(needs.len() > 250, "about 1.5 needs per household, got {}", needs.len());
    assert_eq!(b.households().unwrap(), households);
    assert_eq!(b.needs(None).unwrap(), needs);
    assert!(households.iter().all(|h| h.updated_by == INSTALLATION && h.created_at == "2026-11-25T08:00:00.000Z"));

    let c = write(dir.path(), "c.aidmap", &options(250, 12));
    let other = c.households().unwrap();
    assert_eq!(other.len(), 250);
    let same_ids = other.iter().zip(&households).filter(|(x, y)| x.id == y.id).count();
    let same_names = other.iter().zip(&households).filter(|(x, y)| x.name == y.name).count();
    assert_eq!(same_ids, 0, "a different seed gives different ids");
    assert!(same_names < 50, "a different seed gives different people ({same_names} of 250 alike)");
    assert_ne!(c.needs(None).unwrap(), needs);

    // The date matters too: it moves every timestamp.
    let d = write(
        dir.path(),
        "d.aidmap",
        &DemoOptions { date: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(), ..options(250, 11) },
    );
    let later = d.households().unwrap();
    assert!(later.iter().all(|h| h.created_at == "2026-12-01T08:00:00.000Z"));
    assert_ne!(later, households);
}

#[test]
fn demo_households_are_in_monaco_with_realistic_data() {
    let dir = tempdir();
    let store = write(dir.path(), "demo.aidmap", &options(2_000, 7));
    assert_eq!(assert_inside_monaco(&store), 2_000);

    let households = store.households().unwrap();
    assert!(households.iter().all(|h| h.phones.len() == 1 && h.phones[0].normalized.starts_with("+377")));
    assert!(households.iter().all(|h| h.adults >= 1 && !h.name.trim().is_empty()));
    let needs = store.needs(None).unwrap();
    let ids: std::collections::HashSet<&str> = households.iter().map(|h| h.id.as_str()).collect();
    assert!(needs.iter().all(|n| ids.contains(n.household_id.as_str()) && n.quantity > 0.0));
    let open = needs.iter().filter(|n| n.status == NeedStatus::Open).count();
    assert!(open > needs.len() / 2, "most demo needs are open ({open} of {})", needs.len());
    assert!(needs.iter().any(|n| n.status == NeedStatus::Delivered));
    // Needs were requested before the demo's "today", in the last three days.
    assert!(needs.iter().all(|n| n.requested_at.as_str() < "2026-11-25T08:00:00.000Z"
        && n.requested_at.as_str() >= "2026-11-22T08:00:00.000Z"));
}

#[test]
fn operation_info_marks_the_demo() {
    let dir = tempdir();
    let store = write(dir.path(), "demo.aidmap", &options(120, 5));
    let info = store.info().unwrap();
    assert!(info.is_demo);
    assert_eq!(info.demo_date.as_deref(), Some("2026-11-25"));
    assert!(info.name.contains("Demo"), "{}", info.name);
    assert!(!info.read_only);
    assert_eq!(info.schema_version, aidmap::store::schema::latest_version());
    assert_eq!(info.households, store.count_households(Some(HouseholdStatus::Active)).unwrap());
    assert_eq!(info.open_needs as usize, store.needs(Some(NeedStatus::Open)).unwrap().len());

    // A regular operation is not a demo.
    let plain = new_store(dir.path()).info().unwrap();
    assert!(!plain.is_demo);
    assert_eq!(plain.demo_date, None);
    assert_eq!((plain.households, plain.open_needs), (0, 0));
}

#[test]
fn hundred_thousand_households() {
    let dir = tempdir();
    let path = dir.path().join("big.aidmap");
    let store = demo::write(&path, &options(100_000, 7), INSTALLATION).unwrap();

    assert_eq!(store.count_households(None).unwrap(), 100_000);
    let active = store.count_households(Some(HouseholdStatus::Active)).unwrap();
    assert!((95_000..99_000).contains(&active), "about 3% closed, {active} active");
    let info = store.info().unwrap();
    assert_eq!(info.households, active);
    let needs = rows(&store, "need");
    assert!((140_000..170_000).contains(&needs), "about 1.54 needs per household, got {needs}");
    assert_eq!(store.household_pins().unwrap().len(), active as usize);
    assert_eq!(store.search_households("", 50, 0).unwrap().total, 100_000);
    assert_eq!(assert_inside_monaco(&store), 100_000);

    // Reopening the file finds everything.
    drop(store);
    let store = Store::open(&path, INSTALLATION).unwrap();
    assert_eq!(store.count_households(None).unwrap(), 100_000);
    assert_eq!(store.info().unwrap().open_needs, info.open_needs);
}
