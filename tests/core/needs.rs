//! Needs through `Store`: adding, validation, status transitions, filtering.

use aidmap::need::{Need, NeedInput};
use aidmap::vocab::{Category, NeedStatus, Urgency};
use aidmap::{Error, FieldError, Rule, Store};

use crate::util::*;

/// A store with one household (Alice) on a fixed clock.
fn setup(dir: &std::path::Path) -> (Store, TestClock, String) {
    let clock = TestClock::new("2026-11-25T08:00:00Z");
    let mut store = clock.install(new_store(dir));
    let id = store.create_household(&alice()).unwrap().id;
    (store, clock, id)
}

fn water() -> NeedInput {
    NeedInput::new(Category::Water, 12.0, "L", Urgency::High)
}

fn rejected(result: aidmap::Result<Need>) -> Vec<FieldError> {
    match result {
        Err(Error::Validation(fields)) => fields,
        other => panic!("expected a validation error, got {other:?}"),
    }
}

fn field(name: &str, rule: Rule) -> FieldError {
    FieldError { field: name.into(), rule }
}

#[test]
fn add_need_fills_defaults_and_stamps() {
    let dir = tempdir();
    let (mut store, _clock, household) = setup(dir.path());
    let mut input = water();
    input.unit = " L ".into();
    input.wanted_by = Some("2026-11-26".into());
    input.notes = " Two packs of 6 ".into();
    let need = store.add_need(&household, &input).unwrap();

    assert!(uuid::Uuid::parse_str(&need.id).is_ok());
    assert_eq!(need.household_id, household);
    assert_eq!((need.category, need.quantity, need.unit.as_str()), (Category::Water, 12.0, "L"));
    assert_eq!((need.urgency, need.status), (Urgency::High, NeedStatus::Open));
    assert_eq!(need.requested_at, "2026-11-25T08:00:00.000Z", "no request time means now");
    assert_eq!(need.wanted_by.as_deref(), Some("2026-11-26"));
    assert_eq!(need.notes, "Two packs of 6");
    assert_eq!(
        (need.created_at.as_str(), need.updated_at.as_str()),
        ("2026-11-25T08:00:00.000Z", "2026-11-25T08:00:00.000Z")
    );
    assert_eq!(need.updated_by, INSTALLATION);

    let mut earlier = NeedInput::new(Category::Medicine, 1.0, "box", Urgency::Critical);
    earlier.requested_at = Some("2026-11-24T18:30:00.000Z".into());
    let medicine = store.add_need(&household, &earlier).unwrap();
    assert_eq!(medicine.requested_at, "2026-11-24T18:30:00.000Z");

    let detail = store.household(&household).unwrap();
    assert_eq!(detail.needs, [need.clone(), medicine.clone()], "newest request first");
    let pin = store.household_pins().unwrap().pop().unwrap();
    assert_eq!((pin.urgency, pin.open_needs), (Some(Urgency::Critical), 2));
}

#[test]
fn invalid_needs_are_rejected_and_change_nothing() {
    let dir = tempdir();
    let (mut store, _clock, household) = setup(dir.path());
    let cases: Vec<(fn(&mut NeedInput), FieldError)> = vec![
        (|n| n.quantity = 0.0, field("quantity", Rule::MustBePositive)),
        (|n| n.quantity = -1.0, field("quantity", Rule::MustBePositive)),
        (|n| n.quantity = f64::NAN, field("quantity", Rule::NotANumber)),
        (|n| n.quantity = f64::INFINITY, field("quantity", Rule::NotANumber)),
        (|n| n.unit = String::new(), field("unit", Rule::Required)),
        (|n| n.unit = "   ".into(), field("unit", Rule::Required)),
        (|n| n.wanted_by = Some("2026-02-30".into()), field("wanted_by", Rule::InvalidDate)),
        (|n| n.wanted_by = Some("next week".into()), field("wanted_by", Rule::InvalidDate)),
        (|n| n.requested_at = Some("yesterday".into()), field("requested_at", Rule::InvalidDate)),
    ];
    let existing = store.add_need(&household, &water()).unwrap();
    for (break_it, expected) in cases {
        let mut input = water();
        break_it(&mut input);
        assert_eq!(rejected(store.add_need(&household, &input)), std::slice::from_ref(&expected), "add");
        assert_eq!(rejected(store.update_need(&existing.id, &input)), [expected], "update");
    }
    assert_eq!(store.needs(None).unwrap(), std::slice::from_ref(&existing));

    let mut input = water();
    input.quantity = 0.0;
    input.unit = String::new();
    assert_eq!(
        rejected(store.add_need(&household, &input)),
        [field("quantity", Rule::MustBePositive), field("unit", Rule::Required)]
    );

    let unknown = "0193a5b0-0000-7000-8000-000000000000";
    assert!(matches!(store.add_need(unknown, &water()), Err(Error::NotFound("household"))));
    assert!(matches!(store.update_need(unknown, &water()), Err(Error::NotFound("need"))));
    assert!(matches!(store.set_need_status(unknown, NeedStatus::Assigned), Err(Error::NotFound("need"))));
    assert_eq!(store.needs(None).unwrap(), [existing]);
}

#[test]
fn update_need_keeps_status_and_request_time() {
    let dir = tempdir();
    let (mut store, clock, household) = setup(dir.path());
    let need = store.add_need(&household, &water()).unwrap();
    store.set_need_status(&need.id, NeedStatus::Assigned).unwrap();

    clock.set("2026-11-25T10:00:00Z");
    let updated = store.update_need(&need.id, &NeedInput::new(Category::Food, 2.0, "parcel", Urgency::Low)).unwrap();
    assert_eq!(
        (updated.category, updated.quantity, updated.unit.as_str(), updated.urgency),
        (Category::Food, 2.0, "parcel", Urgency::Low)
    );
    assert_eq!(updated.status, NeedStatus::Assigned);
    assert_eq!(updated.requested_at, need.requested_at);
    assert_eq!(
        (updated.created_at.as_str(), updated.updated_at.as_str()),
        ("2026-11-25T08:00:00.000Z", "2026-11-25T10:00:00.000Z")
    );
}

#[test]
fn status_transitions_follow_the_life_cycle() {
    let dir = tempdir();
    let (mut store, clock, household) = setup(dir.path());
    let need = store.add_need(&household, &water()).unwrap();

    clock.set("2026-11-25T09:00:00Z");
    let assigned = store.set_need_status(&need.id, NeedStatus::Assigned).unwrap();
    assert_eq!(assigned.status, NeedStatus::Assigned);
    assert_eq!(assigned.updated_at, "2026-11-25T09:00:00.000Z");

    clock.set("2026-11-25T11:15:00Z");
    let delivered = store.set_need_status(&need.id, NeedStatus::Delivered).unwrap();
    assert_eq!(delivered.status, NeedStatus::Delivered);
    assert_eq!(delivered.updated_at, "2026-11-25T11:15:00.000Z");
    assert_eq!(delivered.created_at, need.created_at);
    assert_eq!(Need { status: need.status, updated_at: need.updated_at.clone(), ..delivered.clone() }, need);

    clock.set("2026-11-25T12:00:00Z");
    for refused in [NeedStatus::Assigned, NeedStatus::Failed, NeedStatus::Cancelled] {
        assert_eq!(
            rejected(store.set_need_status(&need.id, refused)),
            [field("status", Rule::NotAllowed)],
            "{refused:?}"
        );
        assert_eq!(
            store.needs(None).unwrap(),
            std::slice::from_ref(&delivered),
            "the refused change left the row as it was"
        );
    }
    let pin = store.household_pins().unwrap().pop().unwrap();
    assert_eq!((pin.urgency, pin.open_needs), (None, 0), "a delivered need is not open");

    // Open → cancelled → open again (a new attempt) is allowed; open → failed is not.
    let other = store.add_need(&household, &water()).unwrap();
    assert_eq!(rejected(store.set_need_status(&other.id, NeedStatus::Failed)), [field("status", Rule::NotAllowed)]);
    assert_eq!(store.set_need_status(&other.id, NeedStatus::Cancelled).unwrap().status, NeedStatus::Cancelled);
    assert_eq!(store.set_need_status(&other.id, NeedStatus::Open).unwrap().status, NeedStatus::Open);
}

#[test]
fn needs_filter_by_status() {
    let dir = tempdir();
    let (mut store, _clock, household) = setup(dir.path());
    let mut ids = Vec::new();
    for status in
        [NeedStatus::Open, NeedStatus::Assigned, NeedStatus::Open, NeedStatus::Delivered, NeedStatus::Cancelled]
    {
        let need = store.add_need(&household, &water()).unwrap();
        if status != NeedStatus::Open {
            store.set_need_status(&need.id, status).unwrap_or_else(|e| panic!("{status:?}: {e}"));
        }
        ids.push((need.id, status));
    }

    let all = store.needs(None).unwrap();
    assert_eq!(all.len(), 5);
    let mut sorted = all.iter().map(|n| n.id.clone()).collect::<Vec<_>>();
    sorted.sort();
    assert_eq!(all.iter().map(|n| n.id.clone()).collect::<Vec<_>>(), sorted, "id order");
    for status in NeedStatus::ALL.iter().copied() {
        let listed: Vec<String> = store.needs(Some(status)).unwrap().into_iter().map(|n| n.id).collect();
        let expected: Vec<String> = ids.iter().filter(|(_, s)| *s == status).map(|(id, _)| id.clone()).collect();
        assert_eq!(listed, expected, "{status:?}");
    }
    assert_eq!(store.needs(Some(NeedStatus::Open)).unwrap().len(), 2);
    assert_eq!(store.info().unwrap().open_needs, 2);
}
