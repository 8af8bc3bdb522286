//! Rules that span records or fields, which a merge of two replicas' changes could break,
//! settled from the changes alone on every replica instead of refusing a bundle (issue 18):
//! item names two hubs gave alike, needs of a household merged away elsewhere, a shift's start
//! and end moved apart.

use aidmap::item::ItemInput;
use aidmap::need::NeedInput;
use aidmap::vocab::{Category, Urgency};
use aidmap::Store;

use crate::sync_replicas::{content, folder, household, send, two_replicas};
use crate::util::{alice, tempdir, TestClock};

/// Two hubs each add an item of the same name before they meet: neither hub's changes are
/// refused; on both, the item made first keeps the name and the other is "… (2)", listed for the
/// hub panel; when the first is renamed, the second gets its name on both.
#[test]
fn two_hubs_adding_an_item_of_one_name_both_keep_syncing() {
    let dir = tempdir();
    let clock = TestClock::new("2026-12-05T09:00:00Z");
    let (mut a, mut b, _) = two_replicas(dir.path(), &clock);
    let on_a = a.create_item(&ItemInput::new("Insulin pens", Category::Medicine, "box", 0.2, 0.3)).unwrap();
    clock.set("2026-12-05T09:01:00Z");
    let on_b = b.create_item(&ItemInput::new("insulin pens", Category::Medicine, "box", 0.2, 0.3)).unwrap();
    // B goes on working: a later change of B's must arrive too.
    let mut later = household(&b, &b.households().unwrap()[0].id);
    later.notes = "Second floor".into();
    let household_id = b.households().unwrap()[0].id.clone();
    b.update_household(&household_id, &later).unwrap();

    let stick = folder(dir.path(), "stick");
    let got = send(&mut b, &mut a, &stick);
    assert_eq!((got.applied, got.refused), (1, 0), "{got:?}");
    let got = send(&mut a, &mut b, &stick);
    assert_eq!((got.applied, got.refused), (1, 0), "{got:?}");
    let name = |s: &Store, id: &str| s.items().unwrap().into_iter().find(|i| i.id == id).unwrap().name;
    for store in [&a, &b] {
        assert_eq!(name(store, &on_a.id), "Insulin pens", "made first, keeps its name");
        assert_eq!(name(store, &on_b.id), "insulin pens (2)");
        assert_eq!(store.household(&household_id).unwrap().household.notes, "Second floor");
        let renamed = aidmap::store::changelog::renamed(store.conn()).unwrap();
        assert_eq!(renamed.len(), 1);
        assert_eq!((renamed[0].shown.as_str(), renamed[0].wanted.as_str()), ("insulin pens (2)", "insulin pens"));
    }
    assert_eq!(content(&a), content(&b));

    // A renames its item: B's gets the name it was given, on both.
    clock.set("2026-12-05T09:05:00Z");
    let mut input = ItemInput::new("Insulin pens (rapid)", Category::Medicine, "box", 0.2, 0.3);
    input.cold_chain = on_a.cold_chain;
    a.update_item(&on_a.id, &input).unwrap();
    assert_eq!(name(&a, &on_b.id), "insulin pens", "settled where the name was freed");
    send(&mut a, &mut b, &stick);
    for store in [&a, &b] {
        assert_eq!(name(store, &on_b.id), "insulin pens");
        assert!(aidmap::store::changelog::renamed(store.conn()).unwrap().is_empty());
    }
    assert_eq!(content(&a), content(&b));
}

/// Laptop B takes a call for a household while laptop A merges that household away as a
/// duplicate: the need is neither lost on B nor refused on A — on both it belongs to the
/// household kept, whichever way the changes travel first; undoing the merge brings it back.
#[test]
fn a_need_added_while_its_household_is_merged_away_elsewhere_follows_the_merge() {
    for a_first in [true, false] {
        let dir = tempdir();
        let clock = TestClock::new("2026-12-05T09:00:00Z");
        let (mut a, mut b, kept) = two_replicas(dir.path(), &clock);
        let mut twin = alice();
        twin.phones = vec!["+377 93 15 20 01".into()];
        let merged = a.create_household(&twin).unwrap().id;
        let stick = folder(dir.path(), "stick");
        send(&mut a, &mut b, &stick);

        clock.set("2026-12-05T09:10:00Z");
        let call = b.add_need(&merged, &NeedInput::new(Category::Water, 6.0, "bottle", Urgency::High)).unwrap();
        let request = aidmap::merge::MergeRequest { kept_id: kept.clone(), merged_id: merged.clone(), take: vec![] };
        let record = a.merge_households(&request).unwrap();
        let (first, second) = if a_first { (&mut a, &mut b) } else { (&mut b, &mut a) };
        let got = send(first, second, &stick);
        assert_eq!(got.refused, 0, "{got:?}");
        let got = send(second, first, &stick);
        assert_eq!(got.refused, 0, "{got:?}");
        for store in [&a, &b] {
            assert!(store.household(&merged).is_err(), "merged away");
            let needs = store.household(&kept).unwrap().needs;
            assert!(needs.iter().any(|n| n.id == call.id), "the call's need is with the kept household");
        }
        assert_eq!(content(&a), content(&b), "a_first = {a_first}");

        clock.set("2026-12-05T09:20:00Z");
        a.undo_merge(&record.id).unwrap();
        send(&mut a, &mut b, &stick);
        for store in [&a, &b] {
            let needs = store.household(&merged).unwrap().needs;
            assert!(needs.iter().any(|n| n.id == call.id), "back with the household it was asked for");
        }
        assert_eq!(content(&a), content(&b), "after the undo, a_first = {a_first}");
    }
}

/// Merged twice over (H2 into H1, then H1 into H0) before laptop B hears of it: B's need for H2
/// ends with H0 on both laptops.
#[test]
fn a_need_follows_a_chain_of_merges() {
    let dir = tempdir();
    let clock = TestClock::new("2026-12-05T09:00:00Z");
    let (mut a, mut b, h0) = two_replicas(dir.path(), &clock);
    let mut twin = alice();
    twin.phones = vec!["+377 93 15 20 01".into()];
    let h1 = a.create_household(&twin).unwrap().id;
    twin.phones = vec!["+377 93 15 20 02".into()];
    let h2 = a.create_household(&twin).unwrap().id;
    let stick = folder(dir.path(), "stick");
    send(&mut a, &mut b, &stick);

    clock.set("2026-12-05T09:10:00Z");
    let call = b.add_need(&h2, &NeedInput::new(Category::Food, 1.0, "box", Urgency::Normal)).unwrap();
    for (kept, merged) in [(&h1, &h2), (&h0, &h1)] {
        let request = aidmap::merge::MergeRequest { kept_id: kept.clone(), merged_id: merged.clone(), take: vec![] };
        a.merge_households(&request).unwrap();
    }
    let got = send(&mut a, &mut b, &stick);
    assert_eq!(got.refused, 0, "{got:?}");
    let got = send(&mut b, &mut a, &stick);
    assert_eq!(got.refused, 0, "{got:?}");
    for store in [&a, &b] {
        assert!(store.household(&h0).unwrap().needs.iter().any(|n| n.id == call.id), "with the household kept last");
    }
    assert_eq!(content(&a), content(&b));
}

/// One laptop moves a shift's start later, another its end earlier: merged field by field the
/// shift would end before it starts. Neither laptop's changes are refused; on both, the change
/// made last keeps its time and the other goes back to the time it replaced; the hub panel's
/// status lists the shift.
#[test]
fn a_shift_moved_apart_on_two_laptops_keeps_a_span_on_both() {
    use aidmap::vocab::Role;
    use aidmap::volunteer::{ShiftInput, VolunteerInput};
    let dir = tempdir();
    let clock = TestClock::new("2026-12-05T09:00:00Z");
    let (mut a, mut b, _) = two_replicas(dir.path(), &clock);
    let driver = a.create_volunteer(&VolunteerInput::new("Ana Driver", &[Role::Driver])).unwrap();
    let times = |s: &str, e: &str| ShiftInput {
        starts_at: s.into(),
        ends_at: e.into(),
        vehicle_id: None,
        start_site_id: None,
        end_site_id: None,
    };
    let shift = a.add_shift(&driver.id, &times("2026-12-07T12:00:00Z", "2026-12-07T17:00:00Z")).unwrap();
    let stick = folder(dir.path(), "stick");
    send(&mut a, &mut b, &stick);

    clock.set("2026-12-05T10:00:00Z");
    b.update_shift(&shift.id, &times("2026-12-07T12:00:00Z", "2026-12-07T15:00:00Z")).unwrap();
    clock.set("2026-12-05T10:05:00Z");
    a.update_shift(&shift.id, &times("2026-12-07T16:00:00Z", "2026-12-07T17:00:00Z")).unwrap();
    let got = send(&mut b, &mut a, &stick);
    assert_eq!(got.refused, 0, "{got:?}");
    let got = send(&mut a, &mut b, &stick);
    assert_eq!(got.refused, 0, "{got:?}");
    for store in [&a, &b] {
        let s = store.shifts_between("2026-12-07T00:00:00Z", "2026-12-07T23:59:59Z").unwrap();
        assert_eq!(s.len(), 1);
        let span = (s[0].shift.starts_at.as_str(), s[0].shift.ends_at.as_str());
        assert_eq!(
            span,
            ("2026-12-07T16:00:00.000Z", "2026-12-07T17:00:00.000Z"),
            "A's start, made last; the end it replaced"
        );
        let listed = aidmap::store::changelog::adjusted_shifts(store.conn()).unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].merged_ends_at, "2026-12-07T15:00:00.000Z");
    }
    assert_eq!(content(&a), content(&b));
}
