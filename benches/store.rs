//! Store figures for a large operation: `cargo bench -p aidmap --bench store`.
//!
//! A plain binary (no harness): writes a 100,000-household demo once, then times opening it,
//! loading the map pins and searching, each as the median of `RUNS` runs.

use std::hint::black_box;
use std::time::{Duration, Instant};

use aidmap::demo::{self, DemoOptions};
use aidmap::Store;

const HOUSEHOLDS: u32 = 100_000;
const RUNS: usize = 20;
const PAGE: u32 = 50;
const INSTALLATION: &str = "0193a5b0-0000-7000-8000-0000000bench";

fn median<T>(mut f: impl FnMut() -> T) -> Duration {
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            black_box(f());
            start.elapsed()
        })
        .collect();
    times.sort();
    times[RUNS / 2]
}

fn show(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s >= 1.0 {
        format!("{s:8.2} s ")
    } else {
        format!("{:8.2} ms", s * 1e3)
    }
}

fn row(label: &str, d: Duration, note: &str) {
    println!("  {label:<36} {}  {note}", show(d));
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("bench.aidmap");
    let opts =
        DemoOptions { households: HOUSEHOLDS, seed: 7, date: chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap() };

    println!("aidmap store benchmark: {HOUSEHOLDS} households, medians of {RUNS} runs");
    let start = Instant::now();
    let store = demo::write(&path, &opts, INSTALLATION).expect("write demo");
    let written = start.elapsed();
    let needs: i64 = store.conn().query_row("SELECT COUNT(*) FROM need", [], |r| r.get(0)).unwrap();
    drop(store);
    row("write demo (demo::write)", written, &format!("(1 run, {needs} needs)"));

    let open = median(|| Store::open(&path, INSTALLATION).expect("open"));
    row("open (Store::open)", open, "");

    // A backup: a fresh schema filled table by table from the operation, then checked whole.
    {
        let mut store = Store::open(&path, INSTALLATION).expect("open");
        let out = dir.path().join("backup.aidmap");
        let started = Instant::now();
        store.backup_to(&out).expect("backup");
        row("backup (copy_verified)", started.elapsed(), "(1 run: fresh schema, data, full check)");
        let _ = std::fs::remove_file(&out);
    }

    // What a stolen laptop costs an attacker per guess, and a volunteer per unlock: the key
    // derivation (Argon2id, key scheme 2) dominates both.
    let key = aidmap::store::crypto::Key::new_for("blue river 42 lanterns").unwrap();
    let salt = key.salt();
    let guess = median(|| aidmap::store::crypto::Key::derive("wrong guess 1234", salt).unwrap());
    row("one passphrase guess (scheme 2)", guess, "(Argon2id 256 MiB, t=3)");
    let legacy = median(|| aidmap::store::crypto::Key::derive_with("wrong guess 1234", salt, 1).unwrap());
    row("one guess, old scheme 1", legacy, "(Argon2id 19 MiB, t=2: files before)");
    let secret = dir.path().join("secret.aidmap");
    drop(
        Store::create_with(
            &secret,
            &aidmap::store::operation::NewOperation { name: "Bench".into(), is_demo: false, demo_date: None },
            INSTALLATION,
            chrono::Utc::now(),
            Some("blue river 42 lanterns"),
            |_, _| Ok(()),
        )
        .unwrap(),
    );
    let unlock = median(|| {
        Store::unlock(&secret, INSTALLATION, aidmap::OpenMode::Auto, Some("blue river 42 lanterns")).unwrap()
    });
    row("unlock an encrypted operation", unlock, "");

    let store = Store::open(&path, INSTALLATION).expect("open");
    let pins = store.household_pins().unwrap().len();
    row("map pins (household_pins)", median(|| store.household_pins().unwrap()), &format!("({pins} pins)"));

    // Fragments taken from real rows, so each query has matches.
    let sample = store.households().unwrap().into_iter().nth(HOUSEHOLDS as usize / 3).unwrap();
    let family = sample.name.split_whitespace().last().unwrap().to_lowercase();
    let name = family.chars().skip(1).take(4).collect::<String>();
    let digits: String = sample.phones[0].normalized.chars().filter(char::is_ascii_digit).collect();
    let phone = format!("{} {}", &digits[digits.len() - 6..digits.len() - 3], &digits[digits.len() - 3..]);
    let street = sample.address.split(',').next().unwrap();
    let address = street.split_whitespace().rfind(|w| w.chars().count() >= 5).unwrap_or(street).to_string();

    // A typo no household has as typed: the search falls back to edit distance.
    let typo = format!("{}q", &address[..address.len() - 1]);
    for (label, query) in [
        ("name", name.as_str()),
        ("phone", phone.as_str()),
        ("address", address.as_str()),
        ("address with a typo", typo.as_str()),
        ("first page, empty query", ""),
    ] {
        let total = store.search_households(query, PAGE, 0).unwrap().total;
        let time = median(|| store.search_households(query, PAGE, 0).unwrap());
        row(&format!("search {label} {query:?}"), time, &format!("({total} matches, first {PAGE})"));
    }

    // The Dashboard's figures of the demo's day (no pack: a grid of areas), and a selection.
    let day = opts.date;
    let request = aidmap::report::ReportRequest { day: day.to_string(), day_start: format!("{day}T00:00:00.000Z") };
    let areas = store.report(None, &request).unwrap().areas.len();
    row(
        "dashboard figures (Store::report)",
        median(|| store.report(None, &request).unwrap()),
        &format!("({areas} grid areas)"),
    );
    let critical =
        aidmap::bulk::SelectionFilter { urgencies: vec![aidmap::vocab::Urgency::Critical], ..Default::default() };
    let selected = store.select_households(&critical).unwrap();
    row(
        "select by filter (critical)",
        median(|| store.select_households(&critical).unwrap()),
        &format!("({} households)", selected.len()),
    );
    drop(store);
    {
        let mut store = Store::open(&path, INSTALLATION).expect("open");
        let ids: Vec<String> = store.households().unwrap().into_iter().take(10_000).map(|h| h.id).collect();
        let started = Instant::now();
        let action = aidmap::bulk::BulkAction::SetUrgency { urgency: aidmap::vocab::Urgency::High };
        let outcome = store.bulk(&ids, &action).unwrap();
        row(
            "bulk: urgency of 10,000 households",
            started.elapsed(),
            &format!("(1 run, {} needs, one audit entry)", outcome.needs),
        );
        let started = Instant::now();
        store.bulk_undo(&outcome).unwrap();
        row("bulk: its undo", started.elapsed(), "(1 run)");
    }

    let size = std::fs::metadata(&path).unwrap().len();
    println!(
        "  {:<36} {:8.1} MB  ({:.0} bytes per household)",
        "file size",
        size as f64 / 1e6,
        size as f64 / HOUSEHOLDS as f64
    );
}
