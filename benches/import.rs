//! Spreadsheet import at a real size: `cargo bench -p aidmap --bench import`.
//!
//! A plain binary (no harness). Writes a 100,000-household CSV (names, phones, needs; about one
//! household in fifty entered twice with another spelling), then times reading it, importing it
//! with its coordinates (no geocoding), importing the same households by address with the
//! address search of the Helsinki region pack, importing them with both (each row's coordinates
//! checked against the pack and its address: water, roads, distance), and the duplicate scan
//! over the 100,000.

use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

use aidmap::import::table;
use aidmap::region::RegionPack;
use aidmap::vocab::ImportKind;
use aidmap::Store;
use rand::{Rng, SeedableRng};

const HOUSEHOLDS: usize = 100_000;
const INSTALLATION: &str = "0193a5b0-0000-7000-8000-0000000bench";
const FIRST: &[&str] =
    &["Aino", "Eero", "Matti", "Liisa", "Juha", "Sanna", "Mika", "Anna", "Pekka", "Maria", "Olli", "Laura"];
const LAST: &[&str] = &[
    "Virtanen",
    "Korhonen",
    "Mäkinen",
    "Nieminen",
    "Hämäläinen",
    "Laine",
    "Heikkinen",
    "Koskinen",
    "Järvinen",
    "Lehtonen",
];

/// `(with coordinates, with addresses, with both)`: the same households, so the imports compare.
fn sheets(addresses: &[(String, f64, f64)]) -> (String, String, String) {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
    let mut coords = String::from("Name,Phone,Latitude,Longitude,Adults,Children,Needs,Urgency\n");
    let mut by_address = String::from("Name,Phone,Address,Adults,Children,Needs,Urgency\n");
    let mut both = String::from("Name,Phone,Address,Latitude,Longitude,Adults,Children,Needs,Urgency\n");
    let mut i = 0;
    while i < HOUSEHOLDS {
        let name = format!("{} {} {}", FIRST[rng.gen_range(0..FIRST.len())], LAST[rng.gen_range(0..LAST.len())], i);
        let phone = format!("+358 40 {:07}", rng.gen_range(0..10_000_000));
        let (address, lat, lon) = &addresses[rng.gen_range(0..addresses.len())];
        let needs = ["Water", "Food; Water", "Medicine", "Baby supplies; Food", "Hygiene"][rng.gen_range(0..5)];
        let urgency = ["critical", "high", "normal", "low"][rng.gen_range(0..4)];
        let (adults, children) = (rng.gen_range(1..4), rng.gen_range(0..4));
        let copies = if rng.gen_bool(0.02) { 2 } else { 1 };
        for c in 0..copies.min(HOUSEHOLDS - i) {
            // A second entry of the same household: the name typed differently, same phone.
            let name = if c == 0 { name.clone() } else { name.to_uppercase() };
            let (lat, lon) = (lat + c as f64 * 0.00005, lon - c as f64 * 0.00005);
            writeln!(coords, "{name},{phone},{lat:.6},{lon:.6},{adults},{children},\"{needs}\",{urgency}").unwrap();
            writeln!(by_address, "{name},{phone},\"{address}\",{adults},{children},\"{needs}\",{urgency}").unwrap();
            writeln!(both, "{name},{phone},\"{address}\",{lat:.6},{lon:.6},{adults},{children},\"{needs}\",{urgency}")
                .unwrap();
            i += 1;
        }
    }
    (coords, by_address, both)
}

/// Every address of the pack with its place (the pack is a plain SQLite file).
fn addresses(pack: &Path) -> Vec<(String, f64, f64)> {
    let conn = rusqlite::Connection::open(pack).expect("the pack");
    let mut stmt = conn.prepare("SELECT label, lat, lon FROM place WHERE kind = 'address' ORDER BY id").unwrap();
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap();
    rows.collect::<Result<_, _>>().unwrap()
}

fn timed<T>(label: &str, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    println!("  {label:<44} {:8.2} s", start.elapsed().as_secs_f64());
    out
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let pack_path = dir.path().join("helsinki.region");
    aidmap::region::build(
        &root.join("tests/fixtures/helsinki.osm.pbf"),
        &pack_path,
        chrono::Utc::now(),
        &mut |_, _| true,
    )
    .expect("Helsinki pack");
    let pack = RegionPack::open(&pack_path).expect("open pack");
    let places = addresses(&pack_path);
    let (with_coords, with_addresses, with_both) = sheets(&places);
    println!(
        "aidmap import benchmark: {HOUSEHOLDS} households ({:.1} MB CSV), {} Helsinki addresses",
        with_coords.len() as f64 / 1e6,
        places.len()
    );

    let sheet = timed("read CSV (parse, encoding, shape)", || table::read(with_coords.as_bytes(), "h.csv").unwrap());
    let mut store = Store::create(&dir.path().join("coords.aidmap"), "Bench", INSTALLATION).unwrap();
    let report = timed("import with coordinates (no geocoding)", || {
        store.import_table(ImportKind::Households, &sheet, None, "h.csv", None, false).unwrap()
    });
    println!(
        "    {} created, {} skipped, {} possible duplicates",
        report.created, report.skipped, report.possible_duplicates
    );
    let pairs = timed("duplicate scan over all households", || store.duplicates().unwrap());
    println!("    {} likely duplicate pairs (about {} entered twice)", pairs.len(), HOUSEHOLDS / 50);

    let sheet = table::read(with_addresses.as_bytes(), "a.csv").unwrap();
    let mut store = Store::create(&dir.path().join("addresses.aidmap"), "Bench", INSTALLATION).unwrap();
    let report = timed("import by address, Helsinki address search", || {
        store.import_table(ImportKind::Households, &sheet, None, "a.csv", Some(&pack), false).unwrap()
    });
    let g = &report.geocoded;
    println!(
        "    {} created, {} to place; addresses {} found, {} ambiguous, {} not found",
        report.created, report.to_place, g.matched, g.ambiguous, g.not_found
    );

    let sheet = table::read(with_both.as_bytes(), "b.csv").unwrap();
    let mut store = Store::create(&dir.path().join("both.aidmap"), "Bench", INSTALLATION).unwrap();
    let report = timed("import with both, coordinates checked", || {
        store.import_table(ImportKind::Households, &sheet, None, "b.csv", Some(&pack), false).unwrap()
    });
    println!(
        "    {} created, {} to place; {} rows with doubted coordinates",
        report.created, report.to_place, report.coordinates_flagged
    );
    let mut by_code: std::collections::BTreeMap<&str, usize> = Default::default();
    for p in report.problems.iter().filter(|p| !p.choices.is_empty()) {
        *by_code.entry(p.code.as_str()).or_default() += 1;
    }
    println!("    doubts by reason: {by_code:?}");
}
