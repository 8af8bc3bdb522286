//! Households through `Store`: create, read, update, move, search, validation, map pins, stamps.

use std::collections::HashSet;

use aidmap::household::{Household, HouseholdInput};
use aidmap::need::NeedInput;
use aidmap::phone::Phone;
use aidmap::vocab::{Category, HouseholdStatus, LocationSource, NeedStatus, Urgency, Vulnerability};
use aidmap::{Error, FieldError, Rule, Store};

use crate::util::*;

fn field(name: &str, rule: Rule) -> FieldError {
    FieldError { field: name.into(), rule }
}

fn validation_fields(result: aidmap::Result<Household>) -> Vec<FieldError> {
    match result {
        Err(Error::Validation(fields)) => fields,
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[test]
fn create_read_update_move() {
    let dir = tempdir();
    let mut store = new_store(dir.path());
    let mut input = alice();
    input.name = "  Alice Martin ".into();
    let created = store.create_household(&input).unwrap();

    assert!(uuid::Uuid::parse_str(&created.id).is_ok(), "id {:?}", created.id);
    assert_eq!(created.name, "Alice Martin", "text is trimmed");
    assert_eq!(created.phones, [Phone { original: "+377 93 15 20 00".into(), normalized: "+37793152000".into() }]);
    assert_eq!(created.address, "12 Rue Grimaldi");
    assert_eq!((created.lat, created.lon, created.location_source), (43.7325, 7.4189, LocationSource::Geocoded));
    assert_eq!((created.adults, created.children, created.seniors), (2, 1, 0));
    assert_eq!(created.vulnerabilities, [Vulnerability::Infant, Vulnerability::Pets], "sorted");
    assert_eq!(created.languages, ["fr", "it"]);
    assert_eq!(created.consent, alice().consent);
    assert_eq!(created.status, HouseholdStatus::Active);

    let detail = store.household(&created.id).unwrap();
    assert_eq!(detail.household, created);
    assert!(detail.needs.is_empty());

    let mut changed = alice();
    changed.name = "Alice Martin-Rossi".into();
    changed.phones = vec!["06 12 34 56 78".into(), " ".into()];
    changed.seniors = 1;
    changed.status = HouseholdStatus::Closed;
    let updated = store.update_household(&created.id, &changed).unwrap();
    assert_eq!(updated.id, created.id);
    assert_eq!(updated.name, "Alice Martin-Rossi");
    assert_eq!(updated.phones.len(), 1, "blank phones are dropped");
    assert_eq!(updated.phones[0].normalized, "0612345678");
    assert_eq!((updated.seniors, updated.status), (1, HouseholdStatus::Closed));
    assert_eq!(store.household(&created.id).unwrap().household, updated);

    let moved = store.move_household(&created.id, 43.7401, 7.4266).unwrap();
    assert_eq!((moved.lat, moved.lon), (43.7401, 7.4266));
    assert_eq!(moved.location_source, LocationSource::Pin);
    let unmoved = Household {
        lat: updated.lat,
        lon: updated.lon,
        location_source: updated.location_source,
        updated_at: updated.updated_at.clone(),
        ..moved.clone()
    };
    assert_eq!(unmoved, updated, "moving changes only the location and the stamp");
    assert_eq!(store.household(&created.id).unwrap().household, moved);
    assert_eq!(store.count_households(None).unwrap(), 1);

    let missing = "0193a5b0-0000-7000-8000-000000000000";
    assert!(matches!(store.household(missing), Err(Error::NotFound("household"))));
    assert!(matches!(store.update_household(missing, &alice()), Err(Error::NotFound("household"))));
    assert!(matches!(store.move_household(missing, 43.7, 7.4), Err(Error::NotFound("household"))));
}

/// Alice, Bruno and Chloé, with their ids.
fn three_households(store: &mut Store) -> [String; 3] {
    let a = store.create_household(&alice()).unwrap().id;
    let mut bruno = HouseholdInput::at("Bruno ROSSI", 43.7384, 7.4246);
    bruno.address = "3 Boulevard Albert 1er".into();
    bruno.phones = vec!["06 12 34 56 78".into()];
    let b = store.create_household(&bruno).unwrap().id;
    let mut chloe = HouseholdInput::at("Chloé Dubois", 43.7311, 7.4197);
    chloe.address = "7 Avenue de la Costa, 100% flooded".into();
    chloe.phones = vec!["0033 4 93 00 11 22".into()];
    let c = store.create_household(&chloe).unwrap().id;
    [a, b, c]
}

fn found(store: &Store, query: &str) -> Vec<String> {
    let page = store.search_households(query, 50, 0).unwrap();
    assert_eq!(page.total as usize, page.items.len(), "{query:?}");
    let mut ids: Vec<String> = page.items.into_iter().map(|s| s.id).collect();
    ids.sort();
    ids
}

#[test]
fn search_by_name_address_and_phone() {
    let dir = tempdir();
    let mut store = new_store(dir.path());
    let [a, b, c] = three_households(&mut store);
    let ids = |v: &[&String]| {
        let mut v: Vec<String> = v.iter().map(|s| s.to_string()).collect();
        v.sort();
        v
    };

    // Name: substring, any case.
    assert_eq!(found(&store, "alice"), ids(&[&a]));
    assert_eq!(found(&store, "MARTIN"), ids(&[&a]));
    assert_eq!(found(&store, "rossi"), ids(&[&b]));
    assert_eq!(found(&store, " dubois "), ids(&[&c]));
    // Address.
    assert_eq!(found(&store, "grimaldi"), ids(&[&a]));
    assert_eq!(found(&store, "boulevard albert"), ids(&[&b]));
    assert_eq!(found(&store, "avenue"), ids(&[&c]));
    // LIKE wildcards in the query are literal.
    assert_eq!(found(&store, "100%"), ids(&[&c]));
    assert!(found(&store, "%").len() == 1 && found(&store, "_").is_empty());
    // Phone digits, however the query is formatted.
    for q in ["93 15 20", "93.15.20.00", "+377 93 15", "(93) 15-20-00", "37793152000", "00377 93 15 20 00"] {
        assert_eq!(found(&store, q), ids(&[&a]), "phone query {q:?}");
    }
    for q in ["06 12 34", "0612345678", "06-12-34-56-78"] {
        assert_eq!(found(&store, q), ids(&[&b]), "phone query {q:?}");
    }
    for q in ["+33 4 93 00 11 22", "0033493001122", "93 00 11"] {
        assert_eq!(found(&store, q), ids(&[&c]), "phone query {q:?}");
    }
    assert!(found(&store, "nobody here").is_empty());
    assert!(found(&store, "999 999").is_empty());

    let page = store.search_households("alice", 10, 0).unwrap();
    assert_eq!(page.items[0].name, "Alice Martin");
    assert_eq!(page.items[0].address, "12 Rue Grimaldi");
    assert_eq!(page.items[0].phone.as_deref(), Some("+377 93 15 20 00"));
}

#[test]
fn empty_query_pages_through_everything() {
    let dir = tempdir();
    let mut store = new_store(dir.path());
    let all: HashSet<String> = three_households(&mut store).into_iter().collect();

    let first = store.search_households("", 2, 0).unwrap();
    let second = store.search_households("  ", 2, 2).unwrap();
    assert_eq!((first.total, first.items.len()), (3, 2));
    assert_eq!((second.total, second.items.len()), (3, 1));
    let paged: HashSet<String> = first.items.iter().chain(&second.items).map(|s| s.id.clone()).collect();
    assert_eq!(paged, all);
    assert_eq!(store.search_households("", 2, 3).unwrap().items.len(), 0);
}

#[test]
fn invalid_households_are_rejected_and_change_nothing() {
    let dir = tempdir();
    let mut store = new_store(dir.path());
    let existing = store.create_household(&alice()).unwrap();
    let cases: Vec<(&str, fn(&mut HouseholdInput), Rule)> = vec![
        ("name", |h| h.name = "   ".into(), Rule::Required),
        ("lat", |h| h.lat = 91.0, Rule::OutOfRange),
        ("lon", |h| h.lon = -181.0, Rule::OutOfRange),
        ("lat", |h| h.lat = f64::NAN, Rule::NotANumber),
        ("lon", |h| h.lon = f64::INFINITY, Rule::NotANumber),
        ("consent.date", |h| h.consent.date = Some("2026-02-30".into()), Rule::InvalidDate),
        ("consent.date", |h| h.consent.date = Some("25/11/2026".into()), Rule::InvalidDate),
        ("name", |h| h.name = "x".repeat(201), Rule::TooLong),
        ("phones", |h| h.phones = vec!["call me".into()], Rule::NotANumber),
    ];
    for (name, break_it, rule) in cases {
        let mut input = alice();
        break_it(&mut input);
        assert_eq!(validation_fields(store.create_household(&input)), [field(name, rule)], "create, {name}");
        assert_eq!(
            validation_fields(store.update_household(&existing.id, &input)),
            [field(name, rule)],
            "update, {name}"
        );
        assert_eq!(rows(&store, "household"), 1);
        assert_eq!(store.household(&existing.id).unwrap().household, existing);
    }

    // One rejected form reports every problem at once.
    let mut input = alice();
    input.name = String::new();
    input.lat = 91.0;
    input.consent.date = Some("soon".into());
    let fields = validation_fields(store.create_household(&input));
    assert_eq!(
        fields,
        [field("name", Rule::Required), field("lat", Rule::OutOfRange), field("consent.date", Rule::InvalidDate)]
    );

    for (lat, lon, expected) in
        [(91.0, 7.4, field("lat", Rule::OutOfRange)), (43.7, f64::NAN, field("lon", Rule::NotANumber))]
    {
        assert_eq!(validation_fields(store.move_household(&existing.id, lat, lon)), [expected]);
    }
    assert_eq!(store.household(&existing.id).unwrap().household, existing);
    assert_eq!(rows(&store, "household"), 1);
}

#[test]
fn pins_list_active_households_with_their_most_urgent_open_need() {
    let dir = tempdir();
    let mut store = new_store(dir.path());
    let add = |store: &mut Store, name: &str, status: HouseholdStatus, needs: &[(Urgency, NeedStatus)]| {
        let mut input = HouseholdInput::at(name, 43.73, 7.42);
        input.status = status;
        let id = store.create_household(&input).unwrap().id;
        for &(urgency, need_status) in needs {
            let need = store.add_need(&id, &NeedInput::new(Category::Water, 6.0, "L", urgency)).unwrap();
            if need_status != NeedStatus::Open {
                store.set_need_status(&need.id, need_status).unwrap();
            }
        }
        id
    };
    use HouseholdStatus::{Active, Closed};
    use NeedStatus::{Cancelled, Delivered, Open};
    let a =
        add(&mut store, "A", Active, &[(Urgency::High, Open), (Urgency::Critical, Delivered), (Urgency::Normal, Open)]);
    let b = add(&mut store, "B", Active, &[]);
    let c = add(&mut store, "C", Closed, &[(Urgency::Critical, Open)]);
    let d = add(&mut store, "D", Active, &[(Urgency::Low, Open), (Urgency::Critical, Cancelled)]);
    let e = add(&mut store, "E", Active, &[(Urgency::Critical, Delivered)]);

    let pins = store.household_pins().unwrap();
    let pin = |id: &str| pins.iter().find(|p| p.id == id).map(|p| (p.urgency, p.open_needs));
    assert_eq!(pins.len(), 4);
    assert_eq!(pin(&a), Some((Some(Urgency::High), 2)));
    assert_eq!(pin(&b), Some((None, 0)));
    assert_eq!(pin(&c), None, "closed households are not on the map");
    assert_eq!(pin(&d), Some((Some(Urgency::Low), 1)));
    assert_eq!(pin(&e), Some((None, 0)));
    assert!(pins.iter().all(|p| (p.lat, p.lon) == (43.73, 7.42)));

    // Search ranks by the same urgency: A (high) before D (low) before the households without needs.
    let order: Vec<String> = store.search_households("", 10, 0).unwrap().items.into_iter().map(|s| s.id).collect();
    assert_eq!(order, [a, d, b, e, c]);
}

#[test]
fn rows_carry_exact_timestamps_and_author() {
    let dir = tempdir();
    let clock = TestClock::new("2026-11-25T08:00:00Z");
    let mut store = clock.install(new_store(dir.path()));

    let created = store.create_household(&alice()).unwrap();
    assert_eq!(created.created_at, "2026-11-25T08:00:00.000Z");
    assert_eq!(created.updated_at, "2026-11-25T08:00:00.000Z");
    assert_eq!(created.updated_by, INSTALLATION);

    clock.set("2026-11-25T09:30:15.250Z");
    let updated = store.update_household(&created.id, &alice()).unwrap();
    assert_eq!(updated.created_at, "2026-11-25T08:00:00.000Z");
    assert_eq!(updated.updated_at, "2026-11-25T09:30:15.250Z");

    clock.set("2026-11-26T00:00:01+02:00");
    let moved = store.move_household(&created.id, 43.74, 7.43).unwrap();
    assert_eq!(
        (moved.created_at.as_str(), moved.updated_at.as_str()),
        ("2026-11-25T08:00:00.000Z", "2026-11-25T22:00:01.000Z")
    );

    // Another installation editing the same file signs its change.
    let path = store.path().to_path_buf();
    drop(store);
    let mut other = clock.install(Store::open(&path, "other-installation").unwrap());
    clock.set("2026-11-27T12:00:00Z");
    let edited = other.update_household(&created.id, &alice()).unwrap();
    assert_eq!(edited.updated_by, "other-installation");
    assert_eq!(edited.updated_at, "2026-11-27T12:00:00.000Z");
    assert_eq!(edited.created_at, created.created_at);
}

#[test]
fn the_list_search_tolerates_a_typo_and_a_missing_accent() {
    let dir = tempdir();
    let mut store = new_store(dir.path());
    let mut input = alice();
    input.name = "Ilse Baumann".into();
    input.address = "14 Rue Grimaldi".into();
    store.create_household(&input).unwrap();
    input.name = "Chloé Martin".into();
    input.address = "3 Boulevard des Moulins".into();
    input.phones = vec!["+377 93 50 12 34".into()];
    store.create_household(&input).unwrap();
    let names = |q: &str| -> Vec<String> {
        store.search_households(q, 10, 0).unwrap().items.into_iter().map(|h| h.name).collect()
    };
    assert_eq!(names("Grimaldy"), ["Ilse Baumann"], "one letter off");
    assert_eq!(names("baumann"), ["Ilse Baumann"]);
    assert_eq!(names("Bauman"), ["Ilse Baumann"], "a letter missing");
    assert_eq!(names("chloe"), ["Chloé Martin"], "no accent");
    assert_eq!(names("Mouluns"), ["Chloé Martin"]);
    assert_eq!(names("50 12"), ["Chloé Martin"], "a partial phone number");
    assert!(names("Zzyzx").is_empty(), "nothing close: nothing");
}
