//! The coordinator's overview on a hand-computed operation: two days of runs with known
//! outcomes, known stock movements and shifts give exactly known figures; the situation report
//! carries no personal data (sentinel) and the CLI's JSON equals the core's figures.

use std::sync::atomic::AtomicBool;

use aidmap::household::HouseholdInput;
use aidmap::item::ItemInput;
use aidmap::need::NeedInput;
use aidmap::plan::types::{PlanRequest, StopOutcome};
use aidmap::report::{Report, ReportRequest};
use aidmap::sheets::SheetLanguage;
use aidmap::site::SiteInput;
use aidmap::stock::StockChange;
use aidmap::vehicle::VehicleInput;
use aidmap::vocab::{Capability, Category, Role, SiteKind, Urgency, VehicleKind};
use aidmap::volunteer::{ShiftInput, VolunteerInput};
use aidmap::{ReportFormat, Store};

use crate::util::*;

const SENTINEL: &str = "SENTINEL-XYZ";

struct Operation {
    store: Store,
    clock: TestClock,
    households: Vec<String>,
    site: String,
    water: String,
}

fn household(store: &mut Store, n: usize, lat: f64, lon: f64) -> String {
    let mut h = HouseholdInput::at(&format!("{SENTINEL} household {n}"), lat, lon);
    h.phones = vec!["+377 98 76 54 32".into()];
    h.address = format!("{SENTINEL} {n} street");
    h.access_notes = format!("{SENTINEL} access");
    h.notes = format!("{SENTINEL} notes");
    h.adults = 1;
    store.create_household(&h).unwrap().id
}

fn need(store: &mut Store, household: &str, water: &str, urgency: Urgency, at: &str) -> String {
    let input = NeedInput {
        category: Category::Water,
        item_id: Some(water.into()),
        quantity: 6.0,
        unit: "bottle 1.5 L".into(),
        urgency,
        requested_at: Some(at.into()),
        wanted_by: None,
        notes: format!("{SENTINEL} need note"),
        notes_for_driver: false,
    };
    store.add_need(household, &input).unwrap().id
}

fn plan_day(store: &mut Store, day: &str) -> aidmap::plan::types::PlanView {
    let date: chrono::NaiveDate = day.parse().unwrap();
    let start = time(&format!("{day}T00:00:00Z"));
    let req = PlanRequest::for_day(date, start, 2, 1);
    aidmap::plan::create(store, None, &req, Some(20), &AtomicBool::new(false)).unwrap()
}

/// The stop of `plan` that serves `household`.
fn stop_of(view: &aidmap::plan::types::PlanView, household: &str) -> String {
    view.runs
        .iter()
        .flat_map(|r| &r.stops)
        .find(|s| s.needs.iter().any(|n| n.household_id == household))
        .unwrap_or_else(|| panic!("{household} on a run"))
        .id
        .clone()
}

/// Dec 1: one run, H0 delivered. Dec 3 (the report's day): one run of 8 h to H1 (delivered),
/// H2 (nobody home), H3 (refused). H4's critical need arrives after the plan. Shifts: Dec 4
/// with the cooler van, Dec 5 without a vehicle.
fn operation(dir: &std::path::Path) -> Operation {
    let clock = TestClock::new("2026-11-30T08:00:00Z");
    let mut store = clock.install(new_store(dir));
    let site = store.create_site(&SiteInput::new("Depot", SiteKind::Warehouse, 43.7300, 7.4200)).unwrap().id;
    let water = store
        .create_item(&ItemInput {
            name: "Water 1.5 L".into(),
            category: Category::Water,
            unit: "bottle 1.5 L".into(),
            weight_kg: 1.5,
            volume_l: 1.6,
            cold_chain: false,
            low_threshold: None,
            contents_amount: Some(1.5),
            contents_unit: "L".into(),
            medical: false,
        })
        .unwrap()
        .id;
    store
        .change_stock(&StockChange::Receive {
            site_id: site.clone(),
            item_id: water.clone(),
            quantity: 100.0,
            expiry: None,
            reason: "donation".into(),
        })
        .unwrap();
    let van = store
        .create_vehicle(&VehicleInput {
            name: "Van".into(),
            owner_id: None,
            kind: VehicleKind::Van,
            capacity_kg: 500.0,
            capacity_l: 2000.0,
            seats: 2,
            capabilities: vec![Capability::Cooler],
            active: true,
        })
        .unwrap()
        .id;
    let volunteer = |name: &str, roles: Vec<Role>| VolunteerInput {
        name: name.into(),
        phone: String::new(),
        roles,
        languages: vec![],
        home_lat: None,
        home_lon: None,
        notes: String::new(),
        active: true,
    };
    let dan = store.create_volunteer(&volunteer("Dan", vec![Role::Driver])).unwrap().id;
    store.create_volunteer(&volunteer("Eve", vec![Role::Driver, Role::Packer])).unwrap();
    store.create_volunteer(&volunteer("Pat", vec![Role::Packer])).unwrap();
    let shift = |from: &str, to: &str, vehicle: bool| ShiftInput {
        starts_at: from.into(),
        ends_at: to.into(),
        vehicle_id: vehicle.then(|| van.clone()),
        start_site_id: Some(site.clone()),
        end_site_id: Some(site.clone()),
    };
    store.add_shift(&dan, &shift("2026-12-01T09:00:00Z", "2026-12-01T12:00:00Z", true)).unwrap();
    store.add_shift(&dan, &shift("2026-12-03T08:00:00Z", "2026-12-03T16:00:00Z", true)).unwrap();
    store.add_shift(&dan, &shift("2026-12-04T09:00:00Z", "2026-12-04T13:00:00Z", true)).unwrap();
    store.add_shift(&dan, &shift("2026-12-05T09:00:00Z", "2026-12-05T13:00:00Z", false)).unwrap();

    let points = [(43.7310, 7.4210), (43.7320, 7.4230), (43.7340, 7.4180), (43.7290, 7.4250), (43.7330, 7.4260)];
    let households: Vec<String> =
        points.iter().enumerate().map(|(n, &(lat, lon))| household(&mut store, n, lat, lon)).collect();
    need(&mut store, &households[0], &water, Urgency::High, "2026-11-30T08:00:00Z");

    clock.set("2026-12-01T07:00:00Z");
    let first = plan_day(&mut store, "2026-12-01");
    store.dispatch_plan(&first.info.id).unwrap();
    clock.set("2026-12-01T10:00:00Z");
    store.record_stop_outcome(&first.info.id, &stop_of(&first, &households[0]), Some(StopOutcome::Delivered)).unwrap();

    clock.set("2026-12-02T09:00:00Z");
    need(&mut store, &households[1], &water, Urgency::Critical, "2026-12-02T09:00:00Z");
    need(&mut store, &households[2], &water, Urgency::Critical, "2026-11-28T09:00:00Z");
    need(&mut store, &households[3], &water, Urgency::Normal, "2026-12-02T09:00:00Z");

    clock.set("2026-12-03T07:00:00Z");
    let second = plan_day(&mut store, "2026-12-03");
    assert_eq!(second.info.needs_served, 3, "the three needs on the one run");
    store.dispatch_plan(&second.info.id).unwrap();
    for (k, outcome, at) in [
        (1, StopOutcome::Delivered, "2026-12-03T09:00:00Z"),
        (2, StopOutcome::NobodyHome, "2026-12-03T10:00:00Z"),
        (3, StopOutcome::Refused, "2026-12-03T11:00:00Z"),
    ] {
        clock.set(at);
        store.record_stop_outcome(&second.info.id, &stop_of(&second, &households[k]), Some(outcome)).unwrap();
    }
    clock.set("2026-12-03T12:00:00Z");
    need(&mut store, &households[4], &water, Urgency::Critical, "2026-12-03T12:00:00Z");
    clock.set("2026-12-03T18:00:00Z");
    Operation { store, clock, households, site, water }
}

fn request() -> ReportRequest {
    ReportRequest { day: "2026-12-03".into(), day_start: "2026-12-03T00:00:00Z".into() }
}

#[test]
fn a_known_operation_gives_known_figures() {
    let dir = tempdir();
    let op = operation(dir.path());
    let r: Report = op.store.report(None, &request()).unwrap();

    // Today: H1 delivered, H2 nobody home, H3 refused; one household reached.
    assert_eq!(
        (r.today.delivered, r.today.nobody_home, r.today.refused, r.today.partly, r.today.unsafe_),
        (1, 1, 1, 0, 0)
    );
    assert_eq!(r.today.households_reached, 1);
    // The week adds H0 on Dec 1.
    assert_eq!((r.last_7_days.delivered, r.last_7_days.households_reached, r.last_7_days.visits()), (2, 2, 4));
    assert_eq!(r.since_start, r.last_7_days);
    assert_eq!(r.per_day.len(), 14);
    assert_eq!(r.per_day.first().unwrap().day, "2026-11-20");
    let day = |d: &str| r.per_day.iter().find(|x| x.day == d).unwrap();
    assert_eq!(
        (day("2026-12-01").outcomes.delivered, day("2026-12-01").hours_on_runs, day("2026-12-01").drivers),
        (1, 3.0, 1)
    );
    assert_eq!(day("2026-12-02").outcomes.visits(), 0);
    assert_eq!((day("2026-12-03").outcomes.visits(), day("2026-12-03").hours_on_runs), (3, 8.0));

    // Open needs at 18:00 on Dec 3: H2's back open (critical, asked Nov 28: 5 days 9 h), H3's
    // back open (normal, Dec 2 09:00: 33 h), H4's new critical one (6 h); H0's and H1's delivered.
    let o = &r.open_needs;
    assert_eq!((o.total, o.critical, o.high, o.normal, o.low), (3, 2, 0, 1, 0));
    assert_eq!((o.under_1_day, o.days_1_to_3, o.days_3_to_7, o.over_7_days), (1, 1, 1, 0));
    // Oldest first, each with why it waits.
    let oldest: Vec<(&str, u32, &str)> =
        r.oldest_critical.iter().map(|w| (w.household_id.as_str(), w.days_waiting, w.reason.as_str())).collect();
    assert_eq!(
        oldest,
        vec![(op.households[2].as_str(), 5, "back_open"), (op.households[4].as_str(), 0, "not_planned")]
    );

    // Stock: 100 received; 6 issued Dec 1, 18 issued Dec 3 of which 12 came back. Issued per day
    // over Dec 1–3: (6 + 18 − 12) ÷ 3 = 4; on hand 100 − 6 − 6 = 88; cover 88 ÷ 4 = 22 days.
    assert_eq!(r.stock.len(), 1);
    let s = &r.stock[0];
    assert_eq!(
        (s.item_id.as_str(), s.on_hand, s.reserved, s.issued_per_day, s.days_of_cover),
        (op.water.as_str(), 88.0, 0.0, 4.0, Some(22.0))
    );

    // Volunteers: Dan and Eve drive; Dec 4 one shift with the cooler van, Dec 5 one without.
    let v = &r.volunteers;
    assert_eq!(v.active_drivers, 2);
    let ahead: Vec<(&str, u32, u32)> =
        v.shifts_ahead.iter().map(|s| (s.day.as_str(), s.shifts, s.with_vehicle)).collect();
    assert_eq!(ahead, vec![("2026-12-04", 1, 1), ("2026-12-05", 1, 0), ("2026-12-06", 0, 0)]);
    assert_eq!((v.vehicles_tomorrow, v.coolers_tomorrow, v.high_clearance_tomorrow), (1, 1, 0));

    // No pack: a grid. All five households lie in one 0.01° square; its needs and visits.
    assert_eq!(r.areas_by, "grid");
    let total: u32 = r.areas.iter().map(|a| a.households).sum();
    assert_eq!(total, 5);
    assert_eq!(r.areas.iter().map(|a| a.open_needs).sum::<u32>(), 3);
    assert_eq!(r.areas.iter().map(|a| a.visits_7_days).sum::<u32>(), 4);
    assert!(r.areas.iter().all(|a| a.outline.len() >= 4 && a.outline.first() == a.outline.last()));
    let _ = (&op.site, &op.clock);
}

#[test]
fn a_draft_reserves_stock_and_low_cover_comes_first() {
    let dir = tempdir();
    let mut op = operation(dir.path());
    // A second item with little stock issued fast: under two days of cover, listed first.
    let soap = op
        .store
        .create_item(&ItemInput {
            name: "Soap".into(),
            category: Category::Hygiene,
            unit: "bar".into(),
            weight_kg: 0.1,
            volume_l: 0.1,
            cold_chain: false,
            low_threshold: None,
            contents_amount: None,
            contents_unit: String::new(),
            medical: false,
        })
        .unwrap()
        .id;
    op.store
        .change_stock(&StockChange::Receive {
            site_id: op.site.clone(),
            item_id: soap.clone(),
            quantity: 40.0,
            expiry: None,
            reason: String::new(),
        })
        .unwrap();
    op.store
        .change_stock(&StockChange::Issue {
            site_id: op.site.clone(),
            item_id: soap.clone(),
            quantity: 30.0,
            reason: String::new(),
        })
        .unwrap();
    // Tomorrow's draft takes the reopened needs' water (12 bottles) and H4's (6).
    op.clock.set("2026-12-03T19:00:00Z");
    let draft = plan_day(&mut op.store, "2026-12-04");
    let r = op.store.report(None, &request()).unwrap();
    assert_eq!(r.stock[0].item, "Soap");
    // 10 on hand, 30 issued today: 10 per day, one day of cover.
    assert_eq!((r.stock[0].on_hand, r.stock[0].issued_per_day, r.stock[0].days_of_cover), (10.0, 10.0, Some(1.0)));
    let water = &r.stock[1];
    let reserved = 6.0 * draft.info.needs_served as f64;
    assert_eq!(water.reserved, reserved);
    assert_eq!(water.days_of_cover, Some((88.0 - reserved) / 4.0));
    // On a draft run now: the oldest critical need says so.
    assert!(r.oldest_critical.iter().any(|w| w.reason == "on_run"), "{:?}", r.oldest_critical);
}

/// The PDF's text as a reader gets it (pdftotext, poppler-utils, as the route sheets' tests).
fn pdf_text(path: &std::path::Path) -> String {
    let out = std::process::Command::new("pdftotext").arg("-layout").arg(path).arg("-").output().expect("pdftotext");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    text.lines().map(|l| l.split_whitespace().collect::<Vec<_>>().join(" ")).collect::<Vec<_>>().join("\n")
}

#[test]
fn the_situation_report_carries_counts_only_in_every_language() {
    let dir = tempdir();
    let mut op = operation(dir.path());
    let r = op.store.report(None, &request()).unwrap();
    for (language, title) in [
        (SheetLanguage::En, "Situation report"),
        (SheetLanguage::Es, "Informe de situación"),
        (SheetLanguage::Fr, "Rapport de situation"),
    ] {
        let path = dir.path().join(format!("report-{}.pdf", language.code()));
        op.store.save_report(&r, ReportFormat::Pdf, language, &path).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        assert!(bytes.starts_with(b"%PDF"));
        let text = pdf_text(&path);
        assert!(text.contains(title), "{text}");
        assert!(text.contains("2026-12-03"));
        for secret in [SENTINEL, "98 76 54 32", "+377", &op.households[0], &r.oldest_critical[0].need_id] {
            assert!(!text.contains(secret) && !String::from_utf8_lossy(&bytes).contains(secret), "{secret} in the PDF");
        }
    }
    let csv = aidmap::report::csv::write(&r).unwrap();
    let csv = String::from_utf8(csv).unwrap();
    assert!(!csv.contains(SENTINEL) && !csv.contains("98 76 54 32"));
    assert!(csv.contains("deliveries,today,delivered,1"), "{csv}");
    let log = op.store.audit(&Default::default(), 50, 0).unwrap();
    assert_eq!(log.items.iter().filter(|e| e.entity == "report").count(), 3);
}

#[test]
fn the_cli_report_equals_the_core_figures() {
    let dir = tempdir();
    let op = operation(dir.path());
    let path = op.store.path().to_path_buf();
    drop(op.store);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_aidmap"))
        .args(["report", "--db"])
        .arg(&path)
        .args(["--date", "2026-12-03", "--format", "json"])
        .env("TZ", "UTC")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let cli: Report = serde_json::from_slice(&out.stdout).unwrap();
    let store = Store::open(&path, INSTALLATION).unwrap();
    let mut core = store.report(None, &request()).unwrap();
    // Made at the CLI's own time; every figure but the needs' ages is the same.
    core.made_at = cli.made_at.clone();
    assert_eq!(
        (&cli.today, &cli.last_7_days, &cli.per_day, &cli.stock, &cli.volunteers),
        (&core.today, &core.last_7_days, &core.per_day, &core.stock, &core.volunteers)
    );
    assert_eq!(cli.open_needs.total, core.open_needs.total);
    assert_eq!(cli.areas.len(), core.areas.len());

    let pdf = dir.path().join("sitrep.pdf");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_aidmap"))
        .args(["report", "--db"])
        .arg(&path)
        .args(["--date", "2026-12-03", "--format", "pdf", "--language", "fr", "--out"])
        .arg(&pdf)
        .env("TZ", "UTC")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(pdf_text(&pdf).contains("Rapport de situation"));
}

/// "Plan only these": a selection's households are the only ones a plan considers.
#[test]
fn planning_only_a_selection() {
    let dir = tempdir();
    let mut op = operation(dir.path());
    op.clock.set("2026-12-03T19:00:00Z");
    let date: chrono::NaiveDate = "2026-12-04".parse().unwrap();
    let mut req = PlanRequest::for_day(date, time("2026-12-04T00:00:00Z"), 2, 1);
    req.household_ids = Some(vec![op.households[4].clone()]);
    let view = aidmap::plan::create(&mut op.store, None, &req, Some(20), &AtomicBool::new(false)).unwrap();
    let planned: Vec<&str> =
        view.runs.iter().flat_map(|r| &r.stops).flat_map(|s| &s.needs).map(|n| n.household_id.as_str()).collect();
    assert_eq!(planned, vec![op.households[4].as_str()]);
    assert_eq!(view.info.needs_served + view.info.unserved, 1, "the other open needs are not in this plan");
}
