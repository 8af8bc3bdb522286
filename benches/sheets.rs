//! Route sheets at the operation's design size: `cargo bench -p aidmap --bench sheets -- [RUNS] [STOPS_PER_RUN]`
//! (default 80 runs of 25 stops: a 2,000-stop, 80-driver day).
//!
//! A plain binary (no harness). It builds the Monaco region pack from the test fixture (roads,
//! basemap), writes a demo operation there and plans its next day on the pack's roads, reads
//! the day's sheets (packets: households, cross streets, basemap tiles), then makes RUNS sheets
//! of STOPS_PER_RUN stops each by dealing the planned stops out again (Monaco's demo day has
//! fewer drivers and stops than a design-size day; each made-up run keeps the road path and
//! basemap of the run it copies). It times writing all of them as PDF (one file per run plus
//! the combined file, as "Print all runs" does), phone HTML, GPX and CSV.

use std::sync::atomic::AtomicBool;
use std::time::Instant;

use aidmap::demo::{self, DemoOptions};
use aidmap::plan::types::PlanRequest;
use aidmap::sheets::files::{self, SheetFormat, Which};
use aidmap::sheets::Sheet;
use chrono::TimeZone;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    let runs: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(80);
    let per_run: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(25);
    let dir = tempfile::tempdir().unwrap();
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/demo/monaco.osm.pbf");
    let pack_path = dir.path().join("monaco.region");
    let t = Instant::now();
    aidmap::region::build(&fixture, &pack_path, chrono::Utc::now(), &mut |_, _| true).unwrap();
    let region = aidmap::region::RegionPack::open(&pack_path).unwrap();
    println!("Monaco region pack built in {:.1} s", t.elapsed().as_secs_f64());

    let date = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    let mut store =
        demo::write(&dir.path().join("demo.aidmap"), &DemoOptions { households: 3_000, seed: 5, date }, "bench")
            .unwrap();
    let day = date + chrono::Days::new(1);
    let start = chrono::Utc.from_utc_datetime(&day.and_time(chrono::NaiveTime::MIN));
    let t = Instant::now();
    let request = PlanRequest::for_day(day, start, 5, 1);
    let view = aidmap::plan::create(&mut store, Some(&region), &request, None, &AtomicBool::new(false)).unwrap();
    println!("demo of 3,000 households planned on the roads in {:.1} s", t.elapsed().as_secs_f64());

    let t = Instant::now();
    let mut planned = files::sheets(&store, Some(&region), &Which::Plan(&view.info.id), &Default::default()).unwrap();
    files::add_basemap(&region, &mut planned).unwrap();
    let planned_stops: usize = planned.iter().map(|s| s.stops.len()).sum();
    println!(
        "packets of the planned day ({} runs, {planned_stops} stops; cross streets, basemap): {:.0} ms",
        planned.len(),
        ms(t)
    );
    let crossed = planned.iter().flat_map(|s| &s.stops).filter(|s| s.cross_street.is_some()).count();
    println!("  {crossed} of {planned_stops} stops have a cross street");

    // RUNS sheets of STOPS_PER_RUN stops, dealt from the planned stops in turn.
    let pool: Vec<_> = planned.iter().flat_map(|s| s.stops.iter().cloned()).collect();
    assert!(!pool.is_empty(), "the demo day has stops");
    let mut k = 0;
    let sheets: Vec<Sheet> = (0..runs)
        .map(|r| {
            let mut sheet = planned[r % planned.len()].clone();
            sheet.run_number = r + 1;
            sheet.run_id = format!("bench-run-{r:03}");
            sheet.stops = (0..per_run)
                .map(|n| {
                    let mut stop = pool[k % pool.len()].clone();
                    k += 1;
                    stop.number = n + 1;
                    stop
                })
                .collect();
            sheet
        })
        .collect();
    let stops: usize = sheets.iter().map(|s| s.stops.len()).sum();
    for (name, format) in [
        ("PDF A4 (per run + combined)", SheetFormat::Pdf { paper: aidmap::sheets::pdf::Paper::A4, combined: true }),
        ("phone HTML", SheetFormat::Html),
        ("GPX", SheetFormat::Gpx),
        ("CSV", SheetFormat::Csv),
    ] {
        let out = dir.path().join(format.key());
        let t = Instant::now();
        let written = files::export(&mut store, &sheets, format, &out).unwrap();
        let bytes: u64 = written.iter().map(|f| std::fs::metadata(f).unwrap().len()).sum();
        println!(
            "{name}: {runs} runs, {stops} stops: {} files, {:.1} MB in {:.0} ms",
            written.len(),
            bytes as f64 / 1e6,
            ms(t)
        );
    }
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}
