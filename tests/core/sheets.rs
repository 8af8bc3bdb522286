//! Route sheets for drivers: GPX 1.1 that a GPX library reads back into the same stops in order
//! and a track along the roads, phone HTML with no external requests, CSV with formulas escaped,
//! Google legs of at most ten stops, and a sentinel in every field a driver must not get that
//! appears in no output.

use std::sync::atomic::AtomicBool;

use aidmap::demo::{self, DemoOptions};
use aidmap::plan::types::{PlanRequest, PlanView};
use aidmap::sheets::files::{self, SheetFormat, Which};
use aidmap::sheets::{links, SheetOptions};
use aidmap::vocab::ConsentStatus;
use aidmap::Store;
use chrono::TimeZone;

use crate::util::*;

const SENTINEL: &str = "Qzxsentinel";

pub fn planned(dir: &std::path::Path, region: Option<&aidmap::region::RegionPack>) -> (Store, PlanView) {
    let date = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    let mut store = demo::write(
        &dir.join("demo.aidmap"),
        &DemoOptions { households: 120, seed: 3, date },
        "0193a5b0-0000-7000-8000-000000000001",
    )
    .unwrap();
    let day = date + chrono::Days::new(1);
    let start = chrono::Utc.from_utc_datetime(&day.and_time(chrono::NaiveTime::MIN));
    let request = PlanRequest::for_day(day, start, 5, 1);
    let view = aidmap::plan::create(&mut store, region, &request, Some(30), &AtomicBool::new(false)).unwrap();
    (store, view)
}

fn read_all(paths: &[std::path::PathBuf]) -> String {
    paths.iter().map(|p| std::fs::read_to_string(p).unwrap()).collect::<Vec<_>>().join("\n")
}

#[test]
fn no_excluded_field_reaches_any_sheet_format() {
    let dir = tempdir();
    let (mut store, view) = planned(dir.path(), None);
    let stop = &view.runs.iter().find(|r| !r.stops.is_empty()).unwrap().stops[0];
    let id = stop.needs[0].household_id.clone();
    let h = store.households().unwrap().into_iter().find(|h| h.id == id).unwrap();
    let mut input = aidmap::merge::input_of(&h);
    input.name = format!("Zoë {SENTINEL}surname");
    input.notes = format!("{SENTINEL}notes");
    input.phones = vec!["+377 555 98 76 54".into()];
    input.consent.status = ConsentStatus::Refused;
    input.consent.basis = Some(aidmap::vocab::LegalBasis::VitalInterest);
    input.consent.scope = format!("{SENTINEL}scope");
    input.access_notes = format!("Ring twice {SENTINEL}access");
    store.update_household(&id, &input).unwrap();
    let need = aidmap::need::get(store.conn(), &stop.needs[0].need_id).unwrap();
    let mut need_input = aidmap::need::NeedInput::new(need.category, need.quantity, &need.unit, need.urgency);
    need_input.notes = format!("{SENTINEL}need");
    store.update_need(&need.id, &need_input).unwrap();

    let which = Which::Run(&view.runs.iter().find(|r| r.stops.iter().any(|s| s.id == stop.id)).unwrap().id);
    let mut out = Vec::new();
    let sheets = files::sheets(&store, None, &which, &SheetOptions::default()).unwrap();
    for format in [SheetFormat::Gpx, SheetFormat::Html, SheetFormat::Csv] {
        out.extend(files::export(&mut store, &sheets, format, &dir.path().join("out")).unwrap());
    }
    let text = read_all(&out);
    assert!(text.contains("Zoë"), "the first name goes out");
    assert!(text.contains(&format!("{SENTINEL}access")), "access notes go out by default");
    for field in ["surname", "notes", "scope", "need"] {
        assert!(!text.contains(&format!("{SENTINEL}{field}")), "{field} reached a sheet");
    }
    for phone in ["555 98 76 54", "55598765"] {
        assert!(!text.contains(phone), "a phone without consent reached a sheet");
    }
    for v in ["oxygen", "dialysis", "cold_chain", "mobility", "pregnant", "infant"] {
        assert!(!text.to_lowercase().contains(v), "vulnerability {v} in words");
    }

    // Access notes switched off: gone too.
    let mut options = SheetOptions::default();
    options.fields.access_notes = false;
    let sheets = files::sheets(&store, None, &which, &options).unwrap();
    let mut out = Vec::new();
    for format in [SheetFormat::Gpx, SheetFormat::Html, SheetFormat::Csv] {
        out.extend(files::export(&mut store, &sheets, format, &dir.path().join("off")).unwrap());
    }
    assert!(!read_all(&out).contains(SENTINEL));
    let log = store.audit(&Default::default(), 50, 0).unwrap();
    assert!(log.items.iter().any(|e| e.detail.starts_with("route sheets gpx")));
    assert!(!log.items.iter().any(|e| e.detail.contains(SENTINEL)));
}

#[test]
fn gpx_reads_back_with_the_stops_in_order_and_a_track_along_the_roads() {
    let dir = tempdir();
    let region = crate::region::open("monaco");
    let (mut store, view) = planned(dir.path(), Some(&region));
    let sheets = files::sheets(&store, Some(&region), &Which::Day(&view.info.day), &Default::default()).unwrap();
    assert_eq!(sheets.len() as u32, view.info.runs);
    let paths = files::export(&mut store, &sheets, SheetFormat::Gpx, dir.path()).unwrap();
    for (sheet, path) in sheets.iter().zip(&paths) {
        let text = std::fs::read_to_string(path).unwrap();
        assert!(text.contains("http://www.topografix.com/GPX/1/1"), "GPX 1.1 namespace");
        let lint =
            std::process::Command::new("xmllint").arg("--noout").arg(path).status().expect("xmllint (libxml2-utils)");
        assert!(lint.success(), "well-formed XML");
        let gpx = gpx::read(std::io::BufReader::new(std::fs::File::open(path).unwrap())).unwrap();
        assert_eq!(gpx.version, gpx::GpxVersion::Gpx11);
        let names: Vec<String> = gpx.waypoints.iter().map(|w| w.name.clone().unwrap()).collect();
        let expected: Vec<String> = sheet.stops.iter().map(|s| format!("{}. {}", s.number, s.alias)).collect();
        assert_eq!(names, expected);
        for (w, s) in gpx.waypoints.iter().zip(&sheet.stops) {
            assert!((w.point().y() - s.lat).abs() < 1e-6 && (w.point().x() - s.lon).abs() < 1e-6);
        }
        let track = &gpx.tracks[0].segments[0].points;
        assert!(track.len() > sheet.stops.len() + 2, "the track follows the roads, not straight legs");
    }
}

#[test]
fn html_makes_no_request_and_csv_escapes_formulas() {
    let dir = tempdir();
    let (mut store, view) = planned(dir.path(), None);
    let run = view.runs.iter().find(|r| !r.stops.is_empty()).unwrap();
    let id = run.stops[0].needs[0].household_id.clone();
    let h = store.households().unwrap().into_iter().find(|h| h.id == id).unwrap();
    let mut input = aidmap::merge::input_of(&h);
    input.name = "=HYPERLINK(\"x\") Smith".into();
    store.update_household(&id, &input).unwrap();
    let sheets = files::sheets(&store, None, &Which::Run(&run.id), &Default::default()).unwrap();
    let html = files::export(&mut store, &sheets, SheetFormat::Html, dir.path()).unwrap();
    let text = std::fs::read_to_string(&html[0]).unwrap();
    for needle in ["src=", "<link", "url(", "@import", "fetch(", "XMLHttpRequest"] {
        assert!(!text.contains(needle), "{needle} in the HTML");
    }
    for (at, _) in text.match_indices("http") {
        let before = &text[at.saturating_sub(6)..at];
        assert!(before.ends_with("href=\""), "only links the driver taps: {}", &text[at..at + 40]);
        let allowed = ["https://www.google.com/maps/dir/", "https://maps.apple.com/?daddr="];
        assert!(allowed.iter().any(|a| text[at..].starts_with(a)), "{}", &text[at..at + 40]);
    }
    assert!(text.contains("localStorage") && text.contains("geo:") && text.contains("om://route?dll="));
    assert!(!text.contains("<script src"));
    let csv = files::export(&mut store, &sheets, SheetFormat::Csv, dir.path()).unwrap();
    let rows = std::fs::read_to_string(&csv[0]).unwrap();
    assert!(rows.contains("'=HYPERLINK"), "{rows}");
}

#[test]
fn google_legs_hold_at_most_ten_stops_and_follow_on() {
    let dir = tempdir();
    let (store, view) = planned(dir.path(), None);
    let mut sheet = files::sheets(&store, None, &Which::Day(&view.info.day), &Default::default()).unwrap().remove(0);
    let base = sheet.stops[0].clone();
    sheet.stops = (0..23)
        .map(|k| aidmap::sheets::SheetStop { number: k + 1, lat: base.lat + k as f64 * 1e-4, ..base.clone() })
        .collect();
    let legs = links::google(&sheet);
    assert_eq!(legs.iter().map(|l| l.stops.len()).collect::<Vec<_>>(), [10, 10, 3]);
    assert_eq!(legs.iter().flat_map(|l| l.stops.clone()).collect::<Vec<_>>(), (1..=23).collect::<Vec<_>>());
    // Each leg starts where the last ended.
    let last_of_first = &sheet.stops[9];
    assert!(legs[1].url.contains(&format!("origin={:.6},{:.6}", last_of_first.lat, last_of_first.lon)));
    assert!(legs.iter().all(|l| l.url.matches("%7C").count() <= 8));
    let per = links::per_stop(&sheet);
    assert_eq!(per.iter().filter(|l| l.target == "geo").count(), 23);
    assert!(per.iter().all(|l| !l.url.contains(&base.alias)), "coordinates only in URLs");
}

#[test]
fn field_choices_are_kept_per_operation_and_checked() {
    let dir = tempdir();
    let (mut store, view) = planned(dir.path(), None);
    assert_eq!(store.sheet_options().unwrap(), SheetOptions::default());
    let mut options = SheetOptions::default();
    options.fields.phone = false;
    options.destroy_after_days = 1;
    store.set_sheet_options(&options).unwrap();
    assert_eq!(store.sheet_options().unwrap(), options);
    let sheets = files::sheets(&store, None, &Which::Plan(&view.info.id), &store.sheet_options().unwrap()).unwrap();
    assert!(sheets.iter().flat_map(|s| &s.stops).all(|s| s.phone.is_none()));
    assert_eq!(sheets[0].destroy_after, "2026-11-27");
    options.destroy_after_days = 0;
    assert!(store.set_sheet_options(&options).is_err());
}

/// Hostile text on a sheet: a 200-character CJK driver name (600 bytes) still makes files, a
/// U+FFFF or a control character in an address (written past validation, as an old or foreign
/// file may hold) never makes a GPX a reader refuses, and a U+202E in an address cannot reverse
/// the phone page's line (user text is isolated in `<bdi>`).
#[test]
fn hostile_text_on_sheets_is_contained() {
    let dir = tempdir();
    let (mut store, view) = planned(dir.path(), None);
    outside(&store).execute("UPDATE volunteer SET name = ?1", ["運".repeat(200)]).unwrap();
    outside(&store)
        .execute("UPDATE household SET address = 'Rue \u{202E}idlamirG' || char(65535) || char(7)", [])
        .unwrap();
    let sheets = files::sheets(&store, None, &Which::Day(&view.info.day), &Default::default()).unwrap();
    for format in [SheetFormat::Gpx, SheetFormat::Html] {
        let out = dir.path().join(format!("{format:?}"));
        std::fs::create_dir_all(&out).unwrap();
        let paths = files::export(&mut store, &sheets, format, &out).unwrap();
        for p in &paths {
            assert!(p.file_name().unwrap().len() <= 255, "{p:?}");
            let text = std::fs::read_to_string(p).unwrap();
            if format == SheetFormat::Gpx {
                assert!(!text.contains('\u{FFFF}') && !text.contains('\u{7}'));
                gpx::read(std::io::BufReader::new(std::fs::File::open(p).unwrap())).expect("a GPX reader takes it");
            } else {
                assert!(
                    text.contains("<bdi>Rue \u{202E}idlamirG</bdi>") || text.contains("<bdi>Rue \u{202E}idlamirG"),
                    "isolated"
                );
            }
        }
    }
}
