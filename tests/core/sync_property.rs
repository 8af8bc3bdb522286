//! The merge as a property: random edits on three replicas, changes carried through two
//! folders in random orders and more than once — whatever the route, all three end with the
//! same rows (issue 18).

use aidmap::item::ItemInput;
use aidmap::need::NeedInput;
use aidmap::site::SiteInput;
use aidmap::stock::StockChange;
use aidmap::vocab::{Category, SiteKind, Urgency};
use aidmap::Store;

use crate::sync_replicas::{content, export, import, A};
use crate::util::{alice, tempdir, TestClock};

/// One step of the property test: an edit on a replica, or a replica exchanging with a folder.
#[derive(Debug, Clone)]
enum Step {
    /// Replica `r` sets field `f` (0 name, 1 notes, 2 adults) of household `h` to value `v`.
    Set {
        r: usize,
        h: usize,
        f: usize,
        v: u8,
    },
    /// Replica `r` adds a need to household `h`.
    Need {
        r: usize,
        h: usize,
    },
    /// Replica `r` receives (`issue` false) or issues stock.
    Stock {
        r: usize,
        issue: bool,
        q: u8,
    },
    /// Replica `r` writes what folder `d` lacks, or applies what it holds.
    Export {
        r: usize,
        d: usize,
    },
    Import {
        r: usize,
        d: usize,
    },
}

fn step() -> impl proptest::strategy::Strategy<Value = Step> {
    use proptest::prelude::*;
    prop_oneof![
        3 => (0..3usize, 0..3usize, 0..3usize, 0..4u8).prop_map(|(r, h, f, v)| Step::Set { r, h, f, v }),
        1 => (0..3usize, 0..3usize).prop_map(|(r, h)| Step::Need { r, h }),
        1 => (0..3usize, any::<bool>(), 1..9u8).prop_map(|(r, issue, q)| Step::Stock { r, issue, q }),
        2 => (0..3usize, 0..2usize).prop_map(|(r, d)| Step::Export { r, d }),
        2 => (0..3usize, 0..2usize).prop_map(|(r, d)| Step::Import { r, d }),
    ]
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(32))]

    /// Random edits on three replicas, changes carried through two folders in random order and
    /// more than once: once everyone has everything, all three hold the same rows in every table.
    #[test]
    fn three_replicas_end_equal_whatever_the_order(steps in proptest::collection::vec(step(), 1..40)) {
        let dir = tempdir();
        let clock = TestClock::new("2026-12-05T09:00:00Z");
        let base = dir.path().join("base.aidmap");
        let (site, item, households) = {
            let mut s = clock.install(Store::create(&base, "Flood", A).unwrap());
            let site = s.create_site(&SiteInput::new("Depot", SiteKind::Warehouse, 43.74, 7.42)).unwrap().id;
            let item = s.create_item(&ItemInput::new("Water 1.5 L", Category::Water, "bottle", 1.55, 1.6)).unwrap().id;
            let hs: Vec<String> = (0..3).map(|_| s.create_household(&alice()).unwrap().id).collect();
            s.checkpoint().unwrap();
            (site, item, hs)
        };
        let mut replicas: Vec<Store> = (0..3)
            .map(|i| {
                let d = dir.path().join(format!("r{i}"));
                std::fs::create_dir_all(&d).unwrap();
                std::fs::copy(&base, d.join("op.aidmap")).unwrap();
                let installation = format!("0193a5b0-0000-7000-8000-00000000000{i}");
                clock.install(Store::open(&d.join("op.aidmap"), &installation).unwrap())
            })
            .collect();
        let folders = [dir.path().join("f0"), dir.path().join("f1")];
        let mut minute = 0;
        for s in &steps {
            minute += 1;
            // Some steps share a millisecond: ties fall to the replica id.
            clock.set(&format!("2026-12-05T{:02}:{:02}:00Z", 10 + minute / 60 / 2, (minute / 2) % 60));
            match *s {
                Step::Set { r, h, f, v } => {
                    let store = &mut replicas[r];
                    let mut input = store.household(&households[h]).unwrap().household.to_input();
                    match f {
                        0 => input.name = format!("Name {v}"),
                        1 => input.notes = format!("Note {v}"),
                        _ => input.adults = v as u32,
                    }
                    store.update_household(&households[h], &input).unwrap();
                }
                Step::Need { r, h } => {
                    replicas[r].add_need(&households[h], &NeedInput::new(Category::Water, 6.0, "L", Urgency::High)).unwrap();
                }
                Step::Stock { r, issue, q } => {
                    let change = if issue {
                        StockChange::Issue { site_id: site.clone(), item_id: item.clone(), quantity: q as f64, reason: String::new() }
                    } else {
                        StockChange::Receive { site_id: site.clone(), item_id: item.clone(), quantity: q as f64, expiry: None, reason: String::new() }
                    };
                    // An issue beyond the level is refused here as in the app; that is no change.
                    let _ = replicas[r].change_stock(&change);
                }
                Step::Export { r, d } => {
                    export(&mut replicas[r], &folders[d]).unwrap();
                }
                Step::Import { r, d } => {
                    if folders[d].exists() {
                        let got = import(&mut replicas[r], &folders[d], true).unwrap();
                        proptest::prop_assert_eq!(got.refused, 0, "{:?}", got);
                    }
                }
            }
        }
        // Everyone meets everyone through one folder, twice (changes passed on arrive too).
        let all = dir.path().join("all");
        for _ in 0..2 {
            for r in &mut replicas {
                export(r, &all).unwrap();
            }
            for r in &mut replicas {
                let got = import(r, &all, true).unwrap();
                proptest::prop_assert_eq!(got.refused, 0, "{:?}", got);
            }
        }
        let first = content(&replicas[0]);
        for other in &replicas[1..] {
            proptest::prop_assert_eq!(&content(other), &first);
        }
    }
}
