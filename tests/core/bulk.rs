//! Select many, act once: a filter's selection, bulk actions with one audit entry naming the
//! households, their undo; the selection's export and door-knock list; planning only a
//! selection.

use aidmap::audit::AuditFilter;
use aidmap::bulk::{BulkAction, SelectionFilter};
use aidmap::export::{ExportFormat, ExportKind, ExportRequest};
use aidmap::household::HouseholdInput;
use aidmap::need::NeedInput;
use aidmap::sheets::SheetLanguage;
use aidmap::vocab::{Category, HouseholdStatus, NeedStatus, Urgency};
use aidmap::Store;

use crate::util::*;

fn need(urgency: Urgency, category: Category) -> NeedInput {
    NeedInput {
        category,
        item_id: None,
        quantity: 2.0,
        unit: "kit".into(),
        urgency,
        requested_at: None,
        wanted_by: None,
        notes: String::new(),
        notes_for_driver: false,
    }
}

/// Six households on a line of longitudes 7.410 … 7.415; the first four have open needs.
fn street(store: &mut Store) -> Vec<String> {
    let mut ids = vec![];
    for k in 0..6 {
        let mut h = HouseholdInput::at(&format!("Household {k}"), 43.73, 7.410 + 0.001 * k as f64);
        h.address = format!("{k} Rue Basse");
        ids.push(store.create_household(&h).unwrap().id);
    }
    store.add_need(&ids[0], &need(Urgency::Normal, Category::Water)).unwrap();
    store.add_need(&ids[1], &need(Urgency::High, Category::Food)).unwrap();
    store.add_need(&ids[2], &need(Urgency::Normal, Category::Water)).unwrap();
    store.add_need(&ids[3], &need(Urgency::Low, Category::Hygiene)).unwrap();
    ids
}

fn urgencies(store: &Store, ids: &[String]) -> Vec<Urgency> {
    let needs = store.needs(None).unwrap();
    ids.iter()
        .flat_map(|id| {
            needs.iter().filter(move |n| &n.household_id == id && n.status == NeedStatus::Open).map(|n| n.urgency)
        })
        .collect()
}

#[test]
fn a_filter_selects_by_need_area_and_status() {
    let dir = tempdir();
    let mut store = new_store(dir.path());
    let ids = street(&mut store);
    let water = SelectionFilter { categories: vec![Category::Water], ..Default::default() };
    assert_eq!(store.select_households(&water).unwrap(), vec![ids[0].clone(), ids[2].clone()]);
    let urgent = SelectionFilter { urgencies: vec![Urgency::High, Urgency::Low], ..Default::default() };
    assert_eq!(store.select_households(&urgent).unwrap(), vec![ids[1].clone(), ids[3].clone()]);
    // A box around the middle three.
    let area = vec![[7.4105, 43.72], [7.4135, 43.72], [7.4135, 43.74], [7.4105, 43.74], [7.4105, 43.72]];
    let boxed = SelectionFilter { area: Some(area), ..Default::default() };
    assert_eq!(store.select_households(&boxed).unwrap(), ids[1..4].to_vec());
    // Nobody was ever visited: "not visited for 3 days" is everyone active.
    let unvisited = SelectionFilter { not_visited_days: Some(3), ..Default::default() };
    assert_eq!(store.select_households(&unvisited).unwrap().len(), 6);
    let closed = SelectionFilter { status: Some(HouseholdStatus::Closed), ..Default::default() };
    assert!(store.select_households(&closed).unwrap().is_empty());
}

#[test]
fn setting_urgency_on_a_selection_is_one_audit_entry_and_undoes_exactly() {
    let dir = tempdir();
    let mut store = new_store(dir.path());
    let ids = street(&mut store);
    let before = urgencies(&store, &ids);
    let audit_before = store.audit(&AuditFilter::default(), 1000, 0).unwrap().total;
    let chosen = ids[0..5].to_vec();
    let outcome = store.bulk(&chosen, &BulkAction::SetUrgency { urgency: Urgency::Critical }).unwrap();
    assert_eq!((outcome.households, outcome.needs), (4, 4));
    assert_eq!(outcome.skipped, vec![(ids[4].clone(), "no_open_needs".to_string())]);
    assert_eq!(urgencies(&store, &ids), vec![Urgency::Critical; 4]);
    let log = store.audit(&AuditFilter::default(), 1000, 0).unwrap();
    assert_eq!(log.total, audit_before + 1, "one audit entry");
    let entry = &log.items[0];
    assert_eq!(entry.entity, "household");
    assert_eq!(entry.record_ids.len(), 4, "names the households acted on: {:?}", entry.record_ids);
    assert!(entry.detail.contains("set_urgency"));

    assert_eq!(store.bulk_undo(&outcome).unwrap(), 4);
    assert_eq!(urgencies(&store, &ids), before);
    assert_eq!(store.audit(&AuditFilter::default(), 1000, 0).unwrap().total, audit_before + 2);
}

#[test]
fn adding_a_need_to_each_cancelling_and_closing_undo() {
    let dir = tempdir();
    let mut store = new_store(dir.path());
    let ids = street(&mut store);
    let open = |s: &Store| s.needs(Some(NeedStatus::Open)).unwrap().len();
    assert_eq!(open(&store), 4);

    let water = NeedInput { quantity: 6.0, unit: "bottle".into(), ..need(Urgency::High, Category::Water) };
    let added = store.bulk(&ids, &BulkAction::AddNeed { need: water }).unwrap();
    assert_eq!((added.households, added.needs), (6, 6));
    assert_eq!(open(&store), 10);
    store.bulk_undo(&added).unwrap();
    assert_eq!(open(&store), 4, "the added needs are cancelled by undo");

    let cancelled = store.bulk(&ids[0..2], &BulkAction::CancelNeeds).unwrap();
    assert_eq!(cancelled.needs, 2);
    assert_eq!(open(&store), 2);
    store.bulk_undo(&cancelled).unwrap();
    assert_eq!(open(&store), 4);

    let closed = store.bulk(&ids[4..], &BulkAction::CloseHouseholds).unwrap();
    assert_eq!(closed.households, 2);
    assert_eq!(store.count_households(Some(HouseholdStatus::Closed)).unwrap(), 2);
    // A closed household gets no new need.
    let more = store.bulk(&ids[3..], &BulkAction::AddNeed { need: need(Urgency::Low, Category::Food) }).unwrap();
    assert_eq!((more.households, more.skipped.len()), (1, 2));
    store.bulk_undo(&closed).unwrap();
    assert_eq!(store.count_households(Some(HouseholdStatus::Closed)).unwrap(), 0);

    // A bad need or an empty selection changes nothing.
    let bad = NeedInput { quantity: -1.0, ..need(Urgency::Low, Category::Food) };
    assert!(store.bulk(&ids, &BulkAction::AddNeed { need: bad }).is_err());
    assert!(store.bulk(&[], &BulkAction::CancelNeeds).is_err());
    assert_eq!(open(&store), 5);
}

#[test]
fn a_selection_exports_and_prints_only_its_households() {
    let dir = tempdir();
    let mut store = new_store(dir.path());
    let ids = street(&mut store);
    let mut landmark = store.household(&ids[1]).unwrap().household.to_input();
    landmark.address = String::new();
    landmark.landmark = "Blue tent behind the church".into();
    store.update_household(&ids[1], &landmark).unwrap();

    let csv = dir.path().join("selection.csv");
    let req = ExportRequest {
        kind: ExportKind::Households,
        format: ExportFormat::Csv,
        columns: vec!["id".into(), "plus_code".into(), "landmark".into()],
        household_ids: Some(ids[1..3].to_vec()),
    };
    let summary = store.export_to(&req, &csv).unwrap();
    assert_eq!(summary.rows, 2);
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.contains(&ids[1]) && text.contains(&ids[2]) && !text.contains(&ids[0]));
    assert!(text.contains("Blue tent behind the church"));

    let pdf = dir.path().join("door-knock.pdf");
    store.save_door_knock(&ids[0..3], SheetLanguage::En, &pdf).unwrap();
    let out = std::process::Command::new("pdftotext").arg("-layout").arg(&pdf).arg("-").output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Door-knock list") && text.contains("3 households"), "{text}");
    assert!(text.contains("Household 0") && text.contains("Household 2") && !text.contains("Household 3"));
    let code = store.household(&ids[1]).unwrap().plus_code;
    assert!(text.contains(&code) && text.contains("Blue tent behind the church"), "no address: plus code and landmark");
    let log = store.audit(&AuditFilter::default(), 10, 0).unwrap();
    assert!(log.items[0].detail.starts_with("door-knock list") && log.items[0].record_ids.len() == 3);
}

/// The selection pane's list: one call gives the first rows (most urgent first) and how many of
/// the ids are households; a landmark stands in the row of a household without an address.
#[test]
fn a_selection_is_listed_in_one_call_most_urgent_first() {
    let dir = tempdir();
    let mut store = new_store(dir.path());
    let ids = street(&mut store);
    let mut tent = HouseholdInput::at("Tent family", 43.73, 7.42);
    tent.landmark = "Blue tent behind the church".into();
    let tent = store.create_household(&tent).unwrap().id;
    let mut chosen = vec![ids[0].clone(), ids[1].clone(), ids[5].clone(), tent.clone(), "no-such-id".to_string()];
    let page = store.households_of(&chosen, 3).unwrap();
    assert_eq!(page.total, 4, "four of the five ids are households");
    let listed: Vec<&str> = page.items.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(listed, [ids[1].as_str(), ids[0].as_str(), ids[5].as_str()], "high, normal, then none, by name");
    chosen.retain(|id| *id == tent);
    let page = store.households_of(&chosen, 3).unwrap();
    assert_eq!((page.items[0].address.as_str(), page.items[0].landmark.as_str()), ("", "Blue tent behind the church"));
}
