//! Planning a day of the demo operation and living with the plan: a saved draft whose runs are
//! feasible, every open need served once or unserved with a reason, cold-chain needs only with a
//! cooler, depot stock never over-promised; hand edits shown as violations, locks kept when
//! re-optimising; dispatch issuing stock and assigning needs; outcomes closing or reopening
//! needs and returning stock.

use std::collections::HashMap;
use std::sync::atomic::AtomicBool;

use aidmap::demo::{self, DemoOptions};
use aidmap::plan::types::{PlanLayout, PlanRequest, PlanStatus, PlanView, RunLayout, StopLayout, StopOutcome};
use aidmap::vocab::{Capability, NeedStatus};
use aidmap::Store;
use chrono::TimeZone;

use crate::util::*;

const REASONS: [&str; 12] = [
    "item_not_chosen",
    "unit_not_convertible",
    "no_cooler",
    "not_stocked",
    "not_enough_stock",
    "no_capacity",
    "unreachable",
    "outside_every_shift",
    "high_clearance",
    "not_chosen",
    "household_not_active",
    "removed",
];

fn demo_store(dir: &std::path::Path) -> Store {
    let date = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    demo::write(
        &dir.join("demo.aidmap"),
        &DemoOptions { households: 120, seed: 3, date },
        "0193a5b0-0000-7000-8000-000000000001",
    )
    .unwrap()
}

/// The demo's planning day (its shifts are the day after its date).
fn request() -> PlanRequest {
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
    let start = chrono::Utc.from_utc_datetime(&day.and_time(chrono::NaiveTime::MIN));
    PlanRequest::for_day(day, start, 5, 1)
}

fn plan(store: &mut Store, req: &PlanRequest) -> PlanView {
    aidmap::plan::create(store, None, req, Some(30), &AtomicBool::new(false)).unwrap()
}

fn layout(view: &PlanView) -> PlanLayout {
    PlanLayout {
        runs: view
            .runs
            .iter()
            .map(|r| RunLayout {
                run_id: r.id.clone(),
                locked: r.locked,
                stops: r.stops.iter().map(|s| StopLayout { stop_id: s.id.clone(), locked: s.locked }).collect(),
            })
            .collect(),
        removed: vec![],
    }
}

fn level(store: &Store, site: &str, item: &str) -> f64 {
    store.stock(site).unwrap().iter().find(|r| r.item.id == item).map_or(0.0, |r| r.quantity)
}

#[test]
fn a_demo_day_plans_into_a_saved_feasible_draft_with_reasons_for_the_rest() {
    let dir = tempdir();
    let mut store = demo_store(dir.path());
    let view = plan(&mut store, &request());
    assert_eq!(view.info.status, PlanStatus::Draft);
    assert!(view.feasible, "{:?}", view.runs.iter().flat_map(|r| &r.violations).collect::<Vec<_>>());
    assert!(view.info.estimated, "no region pack: straight-line estimates");
    assert!(view.info.runs > 0 && view.info.needs_served > 0);
    assert_eq!(store.plans().unwrap().len(), 1);
    assert_eq!(store.plans().unwrap()[0].needs_served, view.info.needs_served);

    let open = store.needs(Some(NeedStatus::Open)).unwrap();
    let mut seen: Vec<&str> =
        view.runs.iter().flat_map(|r| &r.stops).flat_map(|s| s.needs.iter().map(|n| n.need_id.as_str())).collect();
    seen.extend(view.unserved.iter().map(|u| u.need.need_id.as_str()));
    seen.sort();
    let before = seen.len();
    seen.dedup();
    assert_eq!(before, seen.len(), "a need twice");
    assert_eq!(seen.len(), open.len(), "every open need is served or unserved");
    for u in &view.unserved {
        assert!(REASONS.contains(&u.reason.as_str()), "{}", u.reason);
    }
    // Stops in time order within the shift; loads within capacity.
    for run in &view.runs {
        let times: Vec<&str> = run.stops.iter().map(|s| s.eta.as_str()).collect();
        assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");
        assert!(run.departure >= run.shift_start && run.back <= run.shift_end);
        assert!(run.load[0] <= run.capacity[0] && run.load[1] <= run.capacity[1]);
        // Pieces to carry: every unit of every item loaded, not the count of need lines.
        let pieces: f64 = run.stops.iter().flat_map(|s| &s.loads).map(|l| l.quantity.ceil()).sum();
        let lines: usize = run.stops.iter().map(|s| s.loads.len()).sum();
        assert_eq!(run.load[2], pieces);
        assert!(run.stops.is_empty() || run.load[2] >= lines as f64);
    }
    assert!(view.runs.iter().any(|r| r.load[2] > r.stops.iter().map(|s| s.loads.len()).sum::<usize>() as f64));
    // Cold-chain needs ride only with a cooler.
    let vehicles = store.vehicles().unwrap();
    let shifts = store.volunteer_details().unwrap();
    let vehicle_of = |shift: &str| {
        let s = shifts.iter().flat_map(|v| &v.shifts).find(|s| s.id == shift).unwrap();
        vehicles.iter().find(|v| Some(&v.id) == s.vehicle_id.as_ref()).unwrap()
    };
    let cold = view
        .runs
        .iter()
        .flat_map(|r| r.stops.iter().map(move |s| (r, s)))
        .filter(|(_, s)| s.needs.iter().any(|n| n.cold_chain));
    let mut cold_count = 0;
    for (run, _) in cold {
        cold_count += 1;
        assert!(vehicle_of(run.shift_id.as_deref().unwrap()).capabilities.contains(&Capability::Cooler));
    }
    assert!(cold_count > 0 || view.unserved.iter().any(|u| u.need.cold_chain), "the demo has cold-chain needs");
    // No depot gives more than it holds.
    for s in &view.stock {
        assert!(s.quantity <= s.on_hand + 1e-9, "{} {}: {} of {}", s.site_name, s.item_name, s.quantity, s.on_hand);
    }
}

#[test]
fn planning_the_day_again_replaces_its_draft_and_the_same_seed_gives_the_same_plan() {
    let dir = tempdir();
    let mut store = demo_store(dir.path());
    let first = plan(&mut store, &request());
    let second = plan(&mut store, &request());
    let plans = store.plans().unwrap();
    assert_eq!(plans.len(), 2);
    assert_eq!(plans.iter().filter(|p| p.status == PlanStatus::Draft).count(), 1);
    assert_eq!(store.plan_view(None, &first.info.id).unwrap().info.status, PlanStatus::Discarded);
    let order = |v: &PlanView| -> Vec<Vec<Vec<String>>> {
        v.runs
            .iter()
            .map(|r| r.stops.iter().map(|s| s.needs.iter().map(|n| n.need_id.clone()).collect()).collect())
            .collect()
    };
    assert_eq!(order(&first), order(&second), "same seed, same iterations: same runs");
}

#[test]
fn filters_pick_needs_and_shifts_and_choices_count_them() {
    let dir = tempdir();
    let mut store = demo_store(dir.path());
    let all = store.plan_choices(&request()).unwrap();
    assert!(all.needs > 0 && !all.shifts.is_empty() && !all.depots.is_empty());
    let mut critical = request();
    critical.urgencies = vec![aidmap::vocab::Urgency::Critical];
    let some = store.plan_choices(&critical).unwrap();
    assert!(some.needs < all.needs);
    let usable: Vec<String> = all.shifts.iter().filter(|s| s.idle.is_none()).map(|s| s.shift_id.clone()).collect();
    critical.shift_ids = Some(usable[..1].to_vec());
    let view = plan(&mut store, &critical);
    assert!(view.runs.len() == 1, "only the chosen shift drives");
    let critical_needs = store.needs(Some(NeedStatus::Open)).unwrap();
    for n in view.runs.iter().flat_map(|r| &r.stops).flat_map(|s| &s.needs) {
        assert_eq!(n.urgency, aidmap::vocab::Urgency::Critical);
        assert!(critical_needs.iter().any(|c| c.id == n.need_id));
    }
    assert_eq!(store.plan_choices(&request()).unwrap().existing_draft.as_deref(), Some(view.info.id.as_str()));
    // An area nowhere near Monaco picks nothing.
    let mut far = request();
    far.area =
        Some(serde_json::json!({"type": "Polygon", "coordinates": [[[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]]]}));
    assert_eq!(store.plan_choices(&far).unwrap().needs, 0);
}

#[test]
fn hand_edits_show_violations_locks_survive_reoptimising_and_undo_is_a_layout() {
    let dir = tempdir();
    let mut store = demo_store(dir.path());
    let view = plan(&mut store, &request());
    let id = view.info.id.clone();
    let busy: Vec<usize> = (0..view.runs.len()).filter(|&i| view.runs[i].stops.len() >= 2).collect();
    assert!(busy.len() >= 2, "two runs with stops");
    // Two runs from one depot if there are (a stop moved between them keeps its stock).
    let same = busy
        .iter()
        .flat_map(|&x| busy.iter().map(move |&y| (x, y)))
        .find(|&(x, y)| x != y && view.runs[x].site_id == view.runs[y].site_id);
    let (a, b) = same.unwrap_or((busy[0], busy[1]));
    let before = layout(&view);

    // Pile every stop of every run onto run a: over capacity or after the shift.
    let mut piled = before.clone();
    let all: Vec<StopLayout> = piled.runs.iter_mut().flat_map(|r| std::mem::take(&mut r.stops)).collect();
    piled.runs[a].stops = all;
    store.set_plan_layout(&id, &piled).unwrap();
    let edited = store.plan_view(None, &id).unwrap();
    assert!(!edited.feasible);
    let kinds: Vec<&str> = edited.runs[a].violations.iter().map(|v| v.kind.as_str()).collect();
    assert!(kinds.contains(&"over_capacity") || kinds.contains(&"after_shift"), "{kinds:?}");

    // Undo = the earlier layout back.
    store.set_plan_layout(&id, &before).unwrap();
    let undone = store.plan_view(None, &id).unwrap();
    assert_eq!(layout(&undone), before);
    assert!(undone.feasible);

    // A layout that forgets a run or repeats a stop is refused, changing nothing.
    let mut bad = before.clone();
    bad.runs.pop();
    assert!(store.set_plan_layout(&id, &bad).is_err());
    let mut twice = before.clone();
    let dup = twice.runs[a].stops[0].clone();
    twice.runs[b].stops.push(dup);
    assert!(store.set_plan_layout(&id, &twice).is_err());
    assert_eq!(layout(&store.plan_view(None, &id).unwrap()), before);

    // Move run a's first stop to run b and lock it there; lock run a whole; remove one stop.
    let mut moved = before.clone();
    let mut stop = moved.runs[a].stops.remove(0);
    stop.locked = true;
    let moved_id = stop.stop_id.clone();
    moved.runs[b].stops.push(stop);
    moved.runs[a].locked = true;
    let removed = moved.runs[b].stops.remove(0).stop_id;
    moved.removed.push(removed.clone());
    store.set_plan_layout(&id, &moved).unwrap();
    let v = store.plan_view(None, &id).unwrap();
    assert!(v.unserved.iter().any(|u| u.stop_id.as_deref() == Some(removed.as_str()) && u.reason == "removed"));
    let locked_run: Vec<String> = v.runs[a].stops.iter().map(|s| s.id.clone()).collect();

    let again = aidmap::plan::reoptimise(&mut store, None, &id, 5, 2, Some(30), &AtomicBool::new(false)).unwrap();
    let after: Vec<String> = again.runs[a].stops.iter().map(|s| s.id.clone()).collect();
    assert_eq!(after, locked_run, "a locked run keeps its stops in order");
    assert!(again.runs[b].stops.iter().any(|s| s.id == moved_id && s.locked), "a locked stop stays on its run");
    if same.is_some() {
        assert!(again.feasible, "{:?}", again.runs.iter().flat_map(|r| &r.violations).collect::<Vec<_>>());
    }
    // The removed stop is placed again (or left out with a reason) by re-optimising.
    let back = again.runs.iter().flat_map(|r| &r.stops).any(|s| s.id == removed);
    assert!(back || again.unserved.iter().any(|u| u.stop_id.as_deref() == Some(removed.as_str())));
}

#[test]
fn dispatch_issues_stock_and_outcomes_close_or_reopen_needs_and_return_stock() {
    let dir = tempdir();
    let mut store = demo_store(dir.path());
    let view = plan(&mut store, &request());
    let id = view.info.id.clone();
    let stock_before: HashMap<(String, String), f64> = view
        .stock
        .iter()
        .map(|s| ((s.site_id.clone(), s.item_id.clone()), level(&store, &s.site_id, &s.item_id)))
        .collect();
    let assigned = store.dispatch_plan(&id).unwrap();
    assert_eq!(assigned as u32, view.info.needs_served);
    for s in &view.stock {
        let now = level(&store, &s.site_id, &s.item_id);
        assert!((stock_before[&(s.site_id.clone(), s.item_id.clone())] - s.quantity - now).abs() < 1e-9);
    }
    let dispatched = store.plan_view(None, &id).unwrap();
    assert_eq!(dispatched.info.status, PlanStatus::Dispatched);
    for n in dispatched.runs.iter().flat_map(|r| &r.stops).flat_map(|s| &s.needs) {
        assert_eq!(aidmap::need::get(store.conn(), &n.need_id).unwrap().status, NeedStatus::Assigned);
    }
    assert!(store.set_plan_layout(&id, &layout(&dispatched)).is_err(), "a dispatched plan is not edited");
    assert!(store.dispatch_plan(&id).is_err(), "dispatched once");

    let run = dispatched.runs.iter().find(|r| r.stops.len() >= 2).unwrap();
    let (first, second) = (&run.stops[0], &run.stops[1]);
    store.record_stop_outcome(&id, &first.id, Some(StopOutcome::Delivered)).unwrap();
    for n in &first.needs {
        assert_eq!(aidmap::need::get(store.conn(), &n.need_id).unwrap().status, NeedStatus::Delivered);
    }
    let item = second.needs.iter().find_map(|n| n.item_id.clone()).unwrap();
    let before = level(&store, &run.site_id, &item);
    store.record_stop_outcome(&id, &second.id, Some(StopOutcome::NobodyHome)).unwrap();
    let returned: f64 = second.needs.iter().filter(|n| n.item_id.as_deref() == Some(&item)).map(|n| n.quantity).sum();
    assert!((level(&store, &run.site_id, &item) - before - returned).abs() < 1e-9, "items back at the depot");
    for n in &second.needs {
        assert_eq!(aidmap::need::get(store.conn(), &n.need_id).unwrap().status, NeedStatus::Open);
    }
    // A corrected outcome undoes the return.
    store.record_stop_outcome(&id, &second.id, Some(StopOutcome::Delivered)).unwrap();
    assert!((level(&store, &run.site_id, &item) - before).abs() < 1e-9);

    // Every stop done: the plan is completed.
    for s in dispatched.runs.iter().flat_map(|r| &r.stops) {
        store.record_stop_outcome(&id, &s.id, Some(StopOutcome::Delivered)).unwrap();
    }
    assert_eq!(store.plan_view(None, &id).unwrap().info.status, PlanStatus::Completed);
    let log = store.audit(&Default::default(), 500, 0).unwrap();
    assert!(log.items.iter().any(|e| e.entity == "plan" && e.detail.starts_with("dispatched")));
}

#[test]
fn a_depot_short_of_stock_leaves_needs_unserved_and_drafts_reserve_stock() {
    let dir = tempdir();
    let mut store = demo_store(dir.path());
    let full = plan(&mut store, &request());
    // Take nearly everything out of the busiest depot item, then plan again.
    let busiest = full.stock.iter().max_by(|a, b| a.quantity.total_cmp(&b.quantity)).unwrap().clone();
    store.discard_plan(&full.info.id).unwrap();
    let keep = busiest.quantity / 4.0;
    store
        .change_stock(&aidmap::stock::StockChange::Count {
            site_id: busiest.site_id.clone(),
            item_id: busiest.item_id.clone(),
            counted: keep,
            reason: "test".into(),
        })
        .unwrap();
    let short = plan(&mut store, &request());
    let taken: f64 = short
        .stock
        .iter()
        .filter(|s| s.site_id == busiest.site_id && s.item_id == busiest.item_id)
        .map(|s| s.quantity)
        .sum();
    assert!(taken <= keep + 1e-9, "{taken} > {keep}");
    assert!(short.feasible);
    // The draft's stock is reserved for other days' drafts.
    let reserved = aidmap::stock::reserved(store.conn(), None).unwrap();
    assert!(reserved.values().sum::<f64>() > 0.0);
}

#[test]
fn the_cli_plans_a_date_saves_the_draft_and_lists_plans() {
    let dir = tempdir();
    let store = demo_store(dir.path());
    drop(store);
    let db = dir.path().join("demo.aidmap");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_aidmap"))
        .args(["plan", "--db", db.to_str().unwrap(), "--date", "2026-11-26", "--iterations", "20"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("2026-11-26: draft plan "), "{text}");
    assert!(text.contains("run 1: "), "{text}");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_aidmap"))
        .args(["plans", "list", "--db", db.to_str().unwrap(), "--json"])
        .output()
        .unwrap();
    let plans: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(plans.as_array().unwrap().len(), 1);
    assert_eq!(plans[0]["status"], "draft");
    assert_eq!(plans[0]["day"], "2026-11-26");

    // The day's sheets, in Spanish whatever the operation's choice.
    let sheets = dir.path().join("sheets");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_aidmap"))
        .args(["export", "sheets", "--db", db.to_str().unwrap(), "--date", "2026-11-26", "--format", "html"])
        .args(["--language", "es", "--out", sheets.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let first = String::from_utf8_lossy(&out.stdout).lines().next().unwrap().to_string();
    let page = std::fs::read_to_string(first).unwrap();
    assert!(page.contains("<html lang=\"es\"") && page.contains("nadie en casa"));
}

#[test]
fn stops_inside_a_high_clearance_closure_go_only_to_high_clearance_vehicles() {
    let dir = tempdir();
    let mut store = demo_store(dir.path());
    let open = store.needs(Some(NeedStatus::Open)).unwrap();
    let homes = store.households().unwrap();
    let home = homes.iter().find(|h| open.iter().any(|n| n.household_id == h.id)).unwrap();
    let d = 0.0004;
    let (x, y) = (home.lon, home.lat);
    let square = serde_json::json!({"type": "Polygon", "coordinates": [[
        [x - d, y - d], [x + d, y - d], [x + d, y + d], [x - d, y + d], [x - d, y - d]
    ]]});
    let input = aidmap::closure::ClosureInput {
        name: "Flooded lane".into(),
        geometry: square,
        active: true,
        high_clearance_only: true,
    };
    store.create_closure(&input).unwrap();
    assert!(store.closure_shapes().unwrap().is_empty(), "its roads stay open for routing");
    let view = plan(&mut store, &request());
    let high: Vec<String> = store
        .volunteer_details()
        .unwrap()
        .iter()
        .flat_map(|v| &v.shifts)
        .filter(|s| {
            let vehicle = store.vehicles().unwrap().into_iter().find(|v| Some(&v.id) == s.vehicle_id.as_ref());
            vehicle.is_some_and(|v| v.capabilities.contains(&Capability::HighClearance))
        })
        .map(|s| s.id.clone())
        .collect();
    let mine = |need: &str| open.iter().any(|n| n.id == need && n.household_id == home.id);
    for run in &view.runs {
        if run.stops.iter().flat_map(|s| &s.needs).any(|n| mine(&n.need_id)) {
            assert!(high.contains(run.shift_id.as_ref().unwrap()), "served by a vehicle without high clearance");
        }
    }
    if high.is_empty() {
        assert!(view.unserved.iter().filter(|u| mine(&u.need.need_id)).all(|u| u.reason == "high_clearance"));
    }
}

#[test]
fn a_draft_shows_as_reserved_in_the_depot_stock_until_dispatched() {
    let dir = tempdir();
    let mut store = demo_store(dir.path());
    let view = plan(&mut store, &request());
    let s = &view.stock[0];
    let row = |store: &Store| store.stock(&s.site_id).unwrap().into_iter().find(|r| r.item.id == s.item_id).unwrap();
    assert!((row(&store).reserved - s.quantity).abs() < 1e-9);
    store.dispatch_plan(&view.info.id).unwrap();
    assert_eq!(row(&store).reserved, 0.0, "issued, no longer reserved");
}
