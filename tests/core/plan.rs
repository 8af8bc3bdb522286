//! Planning a day of the demo operation: its driver shifts against its open needs, every run
//! feasible, every need served at most once, cold-chain needs only in vehicles with a cooler,
//! and the rest unserved with a reason.

use std::sync::atomic::AtomicBool;

use aidmap::demo::{self, DemoOptions};
use aidmap::vocab::Capability;
use aidmap::vrp::Params;
use chrono::TimeZone;

use crate::util::*;

#[test]
fn a_demo_day_plans_into_feasible_runs_with_reasons_for_the_rest() {
    let dir = tempdir();
    let date = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    let path = dir.path().join("demo.aidmap");
    let store =
        demo::write(&path, &DemoOptions { households: 120, seed: 3, date }, "0193a5b0-0000-7000-8000-000000000001")
            .unwrap();
    let day = chrono::Utc.from_utc_datetime(&(date + chrono::Days::new(1)).and_time(chrono::NaiveTime::MIN));
    let params = Params { seed: 1, max_iterations: Some(30), ..Params::default() };
    let plan = aidmap::plan::plan_day(&store, None, day, &params, &AtomicBool::new(false)).unwrap();
    assert!(plan.feasible);
    assert!(plan.estimated, "no region pack: straight-line estimates");
    assert!(!plan.runs.is_empty());
    let open = store.needs(Some(aidmap::vocab::NeedStatus::Open)).unwrap();
    let mut seen: Vec<&str> =
        plan.runs.iter().flat_map(|r| &r.stops).flat_map(|s| s.needs.iter().map(String::as_str)).collect();
    seen.extend(plan.unserved.iter().map(|u| u.need_id.as_str()));
    seen.sort();
    let before = seen.len();
    seen.dedup();
    assert_eq!(before, seen.len(), "a need twice");
    assert_eq!(seen.len(), open.len(), "every open need is served or unserved");
    for u in &plan.unserved {
        assert!([
            "no_cooler",
            "not_stocked",
            "no_capacity",
            "unreachable",
            "outside_every_shift",
            "not_chosen",
            "household_not_active"
        ]
        .contains(&u.reason));
    }
    // Stops are in time order and within the day.
    for run in &plan.runs {
        let times: Vec<i64> = run.stops.iter().map(|s| s.arrival_s).collect();
        assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");
        assert!(run.departure_s >= 0 && run.return_s <= 86_400);
    }
    // Cold-chain needs ride only with a cooler.
    let vehicles = store.vehicles().unwrap();
    let rows = store
        .shifts_between(&aidmap::store::timestamp(day), &aidmap::store::timestamp(day + chrono::Duration::days(1)))
        .unwrap();
    // The rule: the need's item (the category's item with the need's unit, else its first) is
    // cold-chain, or it is medicine for a household that needs the cold chain.
    let items = store.items().unwrap();
    let households = store.households().unwrap();
    let cold: Vec<&str> = open
        .iter()
        .filter(|n| {
            let of = || items.iter().filter(|i| i.category == n.category);
            let item = of().find(|i| i.unit.eq_ignore_ascii_case(&n.unit)).or_else(|| of().next());
            let home = households.iter().find(|h| h.id == n.household_id).unwrap();
            item.is_some_and(|i| i.cold_chain)
                || (n.category == aidmap::vocab::Category::Medicine
                    && home.vulnerabilities.contains(&aidmap::vocab::Vulnerability::ColdChain))
        })
        .map(|n| n.id.as_str())
        .collect();
    assert!(!cold.is_empty(), "the demo has cold-chain needs");
    for run in &plan.runs {
        let row = rows.iter().find(|r| r.shift.id == run.shift_id).unwrap();
        let vehicle = vehicles.iter().find(|v| Some(&v.id) == row.shift.vehicle_id.as_ref()).unwrap();
        let carries_cold = run.stops.iter().flat_map(|s| &s.needs).any(|n| cold.contains(&n.as_str()));
        assert!(!carries_cold || vehicle.capabilities.contains(&Capability::Cooler), "cold chain without a cooler");
    }
}
