//! A saved plan is a fact: the loads stored when it is saved are what the board shows, what
//! dispatch issues, what the sheets and packing lists carry and what outcomes return — before
//! and after dispatch, whatever the stock does meanwhile.

use std::collections::BTreeMap;
use std::sync::atomic::AtomicBool;

use aidmap::demo::{self, DemoOptions};
use aidmap::need::NeedInput;
use aidmap::plan::types::{PlanRequest, PlanStatus, PlanView, StopOutcome};
use aidmap::sheets::files::{self, Which};
use aidmap::vocab::{NeedStatus, Urgency, Vulnerability};
use aidmap::Store;
use chrono::TimeZone;

use crate::util::*;

fn demo_store(dir: &std::path::Path, seed: u64, households: u32) -> Store {
    let date = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    demo::write(
        &dir.join("demo.aidmap"),
        &DemoOptions { households, seed, date },
        "0193a5b0-0000-7000-8000-000000000001",
    )
    .unwrap()
}

fn request(day: u32) -> PlanRequest {
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, day).unwrap();
    let start = chrono::Utc.from_utc_datetime(&day.and_time(chrono::NaiveTime::MIN));
    PlanRequest::for_day(day, start, 5, 1)
}

fn plan(store: &mut Store, req: &PlanRequest) -> PlanView {
    aidmap::plan::create(store, None, req, Some(40), &AtomicBool::new(false)).unwrap()
}

/// Per (site, item): what the plan's loads take.
fn loads_by_depot(view: &PlanView) -> BTreeMap<(String, String), f64> {
    let mut out = BTreeMap::new();
    for run in &view.runs {
        for l in run.stops.iter().flat_map(|s| &s.loads) {
            *out.entry((run.site_id.clone(), l.item_id.clone())).or_default() += l.quantity;
        }
    }
    out
}

/// Per (site, item): what was issued for the plan's day.
fn issued(store: &Store, day: &str) -> BTreeMap<(String, String), f64> {
    let mut stmt = store
        .conn()
        .prepare("SELECT site_id, item_id, -sum(quantity) FROM stock_movement WHERE kind = 'issued' AND reason = ?1 GROUP BY 1, 2")
        .unwrap();
    let rows = stmt.query_map([format!("supply runs of {day}")], |r| Ok(((r.get(0)?, r.get(1)?), r.get(2)?))).unwrap();
    rows.map(Result::unwrap).collect()
}

/// What the route sheets carry, per run and stop: "12 × Water 1.5 L (18 L)" etc.
fn sheet_items(store: &Store, plan_id: &str) -> Vec<Vec<String>> {
    let options = store.sheet_options().unwrap();
    let sheets = files::sheets(store, None, &Which::Plan(plan_id), &options).unwrap();
    sheets.iter().flat_map(|s| s.stops.iter().map(|st| st.items.iter().map(|i| i.text()).collect())).collect()
}

fn load_texts(view: &PlanView) -> Vec<Vec<String>> {
    view.runs
        .iter()
        .flat_map(|r| &r.stops)
        .map(|s| {
            s.loads
                .iter()
                .map(|l| {
                    let mut t = format!("{} × {}", aidmap::sheets::number(l.quantity), l.item_name);
                    if let Some(a) = &l.asked {
                        t.push_str(&format!(" ({a})"));
                    }
                    if let Some(o) = &l.substitute_for_name {
                        t.push_str(&format!(" — instead of {o}"));
                    }
                    t
                })
                .collect()
        })
        .collect()
}

/// The plan's JSON without what dispatch legitimately changes: its status, and each depot's
/// stock on hand now (the loads have left the depots; what the plan takes stays).
fn facts(view: &PlanView) -> serde_json::Value {
    let mut v = serde_json::to_value(view).unwrap();
    v["info"]["status"] = serde_json::Value::Null;
    for s in v["stock"].as_array_mut().unwrap() {
        s["on_hand"] = serde_json::Value::Null;
        s["reserved_elsewhere"] = serde_json::Value::Null;
    }
    v
}

/// Every promise of the issue on one demo day: stored loads = sheet items = issued movements,
/// no medical item substituted, conversions exact, the plan unchanged by dispatch.
fn check_day(seed: u64) {
    let dir = tempdir();
    let mut store = demo_store(dir.path(), seed, 150);
    let view = plan(&mut store, &request(26));
    let items = store.items().unwrap();
    let needs: BTreeMap<String, aidmap::need::Need> =
        store.needs(None).unwrap().into_iter().map(|n| (n.id.clone(), n)).collect();
    let mut loads = 0;
    for stop in view.runs.iter().flat_map(|r| &r.stops) {
        assert_eq!(stop.loads.len(), stop.needs.len(), "one load per need");
        for l in &stop.loads {
            loads += 1;
            let need = &needs[&l.need_id];
            let own = need.item_id.as_deref().expect("a planned need has an item");
            match &l.substitute_for {
                None => {
                    assert_eq!(l.item_id, own);
                    assert_eq!(
                        Some(l.quantity),
                        need.item_quantity,
                        "conversion exact for {} {}",
                        need.quantity,
                        need.unit
                    );
                }
                Some(sub_for) => {
                    assert_eq!(sub_for, own);
                    let item = items.iter().find(|i| i.id == *own).unwrap();
                    assert!(!item.medical, "{} substituted", item.name);
                    assert!(!items.iter().find(|i| i.id == l.item_id).unwrap().medical);
                }
            }
        }
    }
    assert!(loads > 0);
    assert_eq!(sheet_items(&store, &view.info.id), load_texts(&view), "the sheets carry exactly the loads");
    let before = facts(&view);
    store.dispatch_plan(&view.info.id).unwrap();
    let after = store.plan_view(None, &view.info.id).unwrap();
    assert_eq!(after.info.status, PlanStatus::Dispatched);
    assert_eq!(facts(&after), before, "dispatch changes nothing but the status (seed {seed})");
    assert_eq!(issued(&store, &view.info.day), loads_by_depot(&view), "dispatch issues exactly the loads");
    assert_eq!(sheet_items(&store, &view.info.id), load_texts(&view), "sheets after dispatch too");
}

#[test]
fn loads_sheets_and_issued_stock_agree_and_dispatch_changes_nothing_over_several_demo_days() {
    for seed in [3, 11, 29] {
        check_day(seed);
    }
}

#[test]
fn an_insulin_household_rides_on_a_cooler_run_with_insulin_never_a_first_aid_kit() {
    let dir = tempdir();
    let mut store = demo_store(dir.path(), 3, 60);
    let mut input = alice();
    input.name = "Rosa Insulina".into();
    input.vulnerabilities = vec![Vulnerability::ColdChain];
    let h = store.create_household(&input).unwrap();
    let insulin = store.items().unwrap().into_iter().find(|i| i.name == "Insulin cooler pack").unwrap();
    let need = store.add_need(&h.id, &NeedInput::of_item(&insulin, 1.0, "pack", Urgency::Critical)).unwrap();
    let view = plan(&mut store, &request(26));
    let (run, stop) = view
        .runs
        .iter()
        .find_map(|r| r.stops.iter().find(|s| s.needs.iter().any(|n| n.need_id == need.id)).map(|s| (r, s)))
        .expect("the critical insulin need is on a run");
    let load = stop.loads.iter().find(|l| l.need_id == need.id).unwrap();
    assert_eq!(
        (load.item_name.as_str(), load.quantity, load.substitute_for.as_deref()),
        ("Insulin cooler pack", 1.0, None)
    );
    assert!(load.cold_chain);
    assert!(run.violations.is_empty(), "{:?}", run.violations);
    let state = store.need_plan_states(&h.id).unwrap();
    assert!(state[0].text.starts_with(&format!("on run {}", state[0].run.unwrap())), "{}", state[0].text);
}

#[test]
fn partly_delivered_leaves_the_remainder_open_and_returns_the_rest_exactly_and_clearing_undoes_it() {
    let dir = tempdir();
    let mut store = demo_store(dir.path(), 3, 60);
    let h = store.create_household(&alice()).unwrap();
    let water = store.items().unwrap().into_iter().find(|i| i.name == "Water 1.5 L").unwrap();
    let need = store.add_need(&h.id, &NeedInput::of_item(&water, 18.0, "L", Urgency::Critical)).unwrap();
    let view = plan(&mut store, &request(26));
    let (run, stop) = view
        .runs
        .iter()
        .find_map(|r| {
            r.stops.iter().find(|s| s.needs.iter().any(|n| n.need_id == need.id)).map(|s| (r.clone(), s.clone()))
        })
        .expect("on a run");
    let load = stop.loads.iter().find(|l| l.need_id == need.id).unwrap().clone();
    assert_eq!((load.quantity, load.asked.as_deref()), (12.0, Some("18 L")), "{load:?}");
    store.dispatch_plan(&view.info.id).unwrap();
    let level = |store: &Store| {
        store.stock(&run.site_id).unwrap().iter().find(|r| r.item.id == water.id).map_or(0.0, |r| r.quantity)
    };
    let dispatched = level(&store);
    // Other needs of the stop loaded as water too are handed over whole (the default).
    let same_item: f64 =
        stop.loads.iter().filter(|l| l.item_id == water.id && l.need_id != need.id).map(|l| l.quantity).sum();
    store
        .record_stop_outcome_with(
            &view.info.id,
            &stop.id,
            Some(StopOutcome::Partly),
            &[(water.id.clone(), 8.0 + same_item)],
        )
        .unwrap();
    let after = store.needs(None).unwrap().into_iter().find(|n| n.id == need.id).unwrap();
    // The stop's other water loads come first in need order; whatever our need got, the rest is open.
    let got = store
        .plan_view(None, &view.info.id)
        .unwrap()
        .runs
        .iter()
        .flat_map(|r| &r.stops)
        .flat_map(|s| &s.loads)
        .find(|l| l.need_id == need.id)
        .unwrap()
        .delivered
        .unwrap();
    assert!(got < 12.0);
    assert_eq!(after.status, NeedStatus::Open);
    assert_eq!((after.quantity, after.unit.as_str()), (12.0 - got, "bottle"), "the remainder, in bottles");
    assert_eq!(level(&store), dispatched + (12.0 - got), "what was not handed over is back at the depot");
    // Clearing the outcome restores the need as asked and issues the returned bottles again.
    store.record_stop_outcome_with(&view.info.id, &stop.id, None, &[]).unwrap();
    let cleared = store.needs(None).unwrap().into_iter().find(|n| n.id == need.id).unwrap();
    assert_eq!((cleared.quantity, cleared.unit.as_str(), cleared.status), (18.0, "L", NeedStatus::Assigned));
    assert_eq!(level(&store), dispatched);
    // Delivered: everything handed over.
    store.record_stop_outcome(&view.info.id, &stop.id, Some(StopOutcome::Delivered)).unwrap();
    assert_eq!(store.needs(None).unwrap().into_iter().find(|n| n.id == need.id).unwrap().status, NeedStatus::Delivered);
    assert_eq!(level(&store), dispatched);
}

#[test]
fn dispatch_is_refused_whole_naming_the_item_a_depot_lost_since_planning() {
    let dir = tempdir();
    let mut store = demo_store(dir.path(), 3, 80);
    let view = plan(&mut store, &request(26));
    let ((site, item), quantity) = loads_by_depot(&view).into_iter().next().expect("a load");
    let on_hand = store.stock(&site).unwrap().iter().find(|r| r.item.id == item).unwrap().quantity;
    let change = aidmap::stock::StockChange::Issue {
        site_id: site.clone(),
        item_id: item.clone(),
        quantity: on_hand - quantity + 1.0,
        reason: "spoiled".into(),
    };
    store.change_stock(&change).unwrap();
    let movements = rows(&store, "stock_movement");
    let err = store.dispatch_plan(&view.info.id).unwrap_err();
    let name = store.items().unwrap().into_iter().find(|i| i.id == item).unwrap().name;
    assert_eq!(err.code(), aidmap::ErrorCode::NotEnoughStock);
    assert!(err.to_string().contains(&name), "{err}");
    assert_eq!(rows(&store, "stock_movement"), movements, "nothing issued");
    assert_eq!(store.plan_view(None, &view.info.id).unwrap().info.status, PlanStatus::Draft);
}

#[test]
fn a_stop_moved_to_a_depot_without_its_item_shows_not_stocked_and_keeps_its_item() {
    let dir = tempdir();
    let mut store = demo_store(dir.path(), 3, 120);
    let view = plan(&mut store, &request(26));
    // A load whose item some other run's depot does not hold at all.
    let mut found = None;
    'outer: for run in view.runs.iter().filter(|r| !r.stops.is_empty()) {
        for stop in &run.stops {
            for other in view.runs.iter().filter(|o| o.site_id != run.site_id) {
                let stock = store.stock(&other.site_id).unwrap();
                if stop.loads.iter().any(|l| !stock.iter().any(|s| s.item.id == l.item_id && s.quantity > 0.0)) {
                    found = Some((stop.id.clone(), other.id.clone()));
                    break 'outer;
                }
            }
        }
    }
    let (stop_id, to_run) = found.expect("a stop some depot cannot supply");
    let mut layout = aidmap::plan::types::PlanLayout {
        runs: view
            .runs
            .iter()
            .map(|r| aidmap::plan::types::RunLayout {
                run_id: r.id.clone(),
                locked: false,
                stops: r
                    .stops
                    .iter()
                    .filter(|s| s.id != stop_id)
                    .map(|s| aidmap::plan::types::StopLayout { stop_id: s.id.clone(), locked: false })
                    .collect(),
            })
            .collect(),
        removed: vec![],
    };
    layout
        .runs
        .iter_mut()
        .find(|r| r.run_id == to_run)
        .unwrap()
        .stops
        .push(aidmap::plan::types::StopLayout { stop_id: stop_id.clone(), locked: false });
    let before: Vec<_> = view.runs.iter().flat_map(|r| &r.stops).find(|s| s.id == stop_id).unwrap().loads.clone();
    store.set_plan_layout(&view.info.id, &layout).unwrap();
    let moved = store.plan_view(None, &view.info.id).unwrap();
    let run = moved.runs.iter().find(|r| r.id == to_run).unwrap();
    let stop = run.stops.iter().find(|s| s.id == stop_id).unwrap();
    assert_eq!(stop.loads, before, "the items stay as decided; nothing is swapped");
    assert!(run.violations.iter().any(|v| v.kind == "not_stocked" && v.stop_id.as_deref() == Some(stop_id.as_str())));
}

#[test]
fn the_packing_list_is_the_loads_per_depot_and_run_with_kits_made_up_from_components() {
    let dir = tempdir();
    let mut store = demo_store(dir.path(), 3, 120);
    let view = plan(&mut store, &request(26));
    let out = dir.path().join("packing");
    let path = aidmap::packing::export(&mut store, &view.info.id, aidmap::packing::PackingFormat::Csv, &out).unwrap();
    let mut csv_total: BTreeMap<(String, String), f64> = BTreeMap::new();
    for row in csv::Reader::from_path(&path).unwrap().records() {
        let row = row.unwrap();
        if &row[1] != "kits" {
            *csv_total.entry((row[0].to_string(), row[4].to_string())).or_default() += row[6].parse::<f64>().unwrap();
        }
    }
    let mut expected: BTreeMap<(String, String), f64> = BTreeMap::new();
    for run in &view.runs {
        for l in run.stops.iter().flat_map(|s| &s.loads) {
            *expected.entry((run.site_name.clone(), l.item_name.clone())).or_default() += l.quantity;
        }
    }
    assert_eq!(csv_total, expected);
    // The demo's food parcel is a kit: what a depot lacks of packed parcels comes as components.
    let catalogue = aidmap::catalogue::Catalogue::read(store.conn()).unwrap();
    let list = aidmap::packing::from_view(&view, &catalogue, &|_, _| 0.0);
    let parcels = list.depots.iter().flat_map(|d| &d.kits_to_pack).find(|k| k.item_name.starts_with("Food parcel"));
    let parcels = parcels.expect("food parcels on some run");
    assert!(parcels.components.iter().any(|(name, _, q)| name == "Rice 1 kg" && *q == parcels.kits * 3.0));
    let pdf = aidmap::packing::export(&mut store, &view.info.id, aidmap::packing::PackingFormat::Pdf, &out).unwrap();
    assert!(std::fs::read(pdf).unwrap().starts_with(b"%PDF"));
}

#[test]
fn drivers_with_one_first_name_get_distinct_sheet_names_and_phones_are_text_in_csv() {
    assert_eq!(aidmap::sheets::driver_label("Inès Hazelnut"), "Inès H.");
    assert_eq!(aidmap::sheets::driver_label("Inès Ironwood"), "Inès I.");
    assert_eq!(aidmap::sheets::driver_label("Cher"), "Cher");
    assert_eq!(aidmap::csv_safe::cell("+377 555 01 02"), "'+377 555 01 02");
}

#[test]
fn partly_needs_amounts_and_an_outcome_is_not_corrected_once_its_needs_moved_on() {
    let dir = tempdir();
    let mut store = demo_store(dir.path(), 3, 60);
    let view = plan(&mut store, &request(26));
    store.dispatch_plan(&view.info.id).unwrap();
    let stop = view.runs.iter().flat_map(|r| &r.stops).next().unwrap().clone();
    let err = store.record_stop_outcome(&view.info.id, &stop.id, Some(StopOutcome::Partly)).unwrap_err();
    assert!(matches!(&err, aidmap::Error::Validation(f) if f[0].field == "delivered"), "{err:?}");
    // Nobody home: the needs are open again and planned the next day…
    store.record_stop_outcome(&view.info.id, &stop.id, Some(StopOutcome::NobodyHome)).unwrap();
    let movements = rows(&store, "stock_movement");
    plan(&mut store, &request(27));
    // …so correcting the first outcome would issue their items twice: refused, nothing moves.
    let err = store.record_stop_outcome(&view.info.id, &stop.id, Some(StopOutcome::Delivered)).unwrap_err();
    assert!(matches!(&err, aidmap::Error::Validation(f) if f[0].field == "outcome"), "{err:?}");
    assert_eq!(rows(&store, "stock_movement"), movements);
}

#[test]
fn re_optimising_after_a_default_is_cleared_takes_those_needs_off_the_runs() {
    let dir = tempdir();
    let mut store = demo_store(dir.path(), 3, 120);
    let view = plan(&mut store, &request(26));
    let water: Vec<String> = view
        .runs
        .iter()
        .flat_map(|r| &r.stops)
        .flat_map(|s| &s.needs)
        .filter(|n| n.category == aidmap::vocab::Category::Water)
        .map(|n| n.need_id.clone())
        .collect();
    assert!(!water.is_empty());
    store.set_category_default(aidmap::vocab::Category::Water, None).unwrap();
    let again =
        aidmap::plan::reoptimise(&mut store, None, &view.info.id, 5, 2, Some(30), &AtomicBool::new(false)).unwrap();
    let on_runs: Vec<&str> =
        again.runs.iter().flat_map(|r| &r.stops).flat_map(|s| &s.needs).map(|n| n.need_id.as_str()).collect();
    for id in &water {
        let named = store.needs(None).unwrap().into_iter().find(|n| &n.id == id).unwrap().item_source;
        if named == aidmap::catalogue::ItemSource::None {
            assert!(!on_runs.contains(&id.as_str()), "a need without an item stays on no run");
            let u = again.unserved.iter().find(|u| &u.need.need_id == id).expect("listed as not served");
            assert_eq!(u.reason, "item_not_chosen");
        }
    }
    assert!(again.runs.iter().flat_map(|r| &r.stops).all(|s| !s.needs.is_empty()), "no empty stop left on a run");
    // Loads on runs are still exactly what was decided for each need still there.
    for s in again.runs.iter().flat_map(|r| &r.stops) {
        assert_eq!(s.loads.len(), s.needs.len());
    }
}

#[test]
fn a_stop_far_from_every_road_or_with_a_weightless_item_is_flagged_never_silent() {
    let dir = tempdir();
    let mut store = demo_store(dir.path(), 3, 60);
    let pack = crate::region::open("monaco");
    let router = pack.router().unwrap();
    // A point 250–900 m from the nearest road node (the sea off Monaco, or a hillside).
    let mut far = None;
    'search: for k in 1..40 {
        for (dlat, dlon) in [(0.0, 1.0), (-1.0, 1.0), (-1.0, 0.0), (1.0, 1.0)] {
            let (lat, lon) = (43.735 + dlat * 0.0007 * k as f64, 7.425 + dlon * 0.0007 * k as f64);
            if router.snap(lat, lon).is_some_and(|s| (250.0..900.0).contains(&s.distance_m)) {
                far = Some((lat, lon));
                break 'search;
            }
        }
    }
    let (lat, lon) = far.expect("a point far from the roads but inside the pack");
    let mut input = alice();
    (input.lat, input.lon) = (lat, lon);
    let h = store.create_household(&input).unwrap();
    let feather = store
        .create_item(&aidmap::item::ItemInput::new("Solar lamp", aidmap::vocab::Category::Other, "lamp", 0.0, 0.0))
        .unwrap();
    let site = store.sites().unwrap()[0].id.clone();
    let receive = aidmap::stock::StockChange::Receive {
        site_id: site,
        item_id: feather.id.clone(),
        quantity: 50.0,
        expiry: None,
        reason: "gift".into(),
    };
    store.change_stock(&receive).unwrap();
    let need = store.add_need(&h.id, &NeedInput::of_item(&feather, 1.0, "lamp", Urgency::Critical)).unwrap();
    let view = aidmap::plan::create(&mut store, Some(&pack), &request(26), Some(40), &AtomicBool::new(false)).unwrap();
    let (run, stop) = view
        .runs
        .iter()
        .find_map(|r| r.stops.iter().find(|s| s.needs.iter().any(|n| n.need_id == need.id)).map(|s| (r, s)))
        .expect("planned");
    let kinds: Vec<&str> = run
        .violations
        .iter()
        .filter(|v| v.stop_id.as_deref() == Some(stop.id.as_str()))
        .map(|v| v.kind.as_str())
        .collect();
    assert!(kinds.contains(&"far_from_road"), "{kinds:?}");
    assert!(kinds.contains(&"weight_unknown"), "{kinds:?}");
    assert!(!view.feasible);
}

#[test]
fn the_board_counts_likely_duplicates_among_the_days_households_until_reviewed() {
    let dir = tempdir();
    let mut store = demo_store(dir.path(), 3, 60);
    let before = store.plan_choices(&request(26)).unwrap().duplicates;
    let a = store.create_household(&alice()).unwrap();
    let b = store.create_household(&alice()).unwrap();
    for h in [&a, &b] {
        store.add_need(&h.id, &NeedInput::new(aidmap::vocab::Category::Food, 1.0, "parcel", Urgency::High)).unwrap();
    }
    assert_eq!(store.plan_choices(&request(26)).unwrap().duplicates, before + 1, "both would get a delivery");
    store.dismiss_duplicate(&a.id, &b.id).unwrap();
    assert_eq!(store.plan_choices(&request(26)).unwrap().duplicates, before, "reviewed: kept as two");
}
