//! The import's checks of what a sheet says, the way a held-out check would try them: the demo's
//! 300 households as a sheet (real Monaco addresses, their own coordinates), with planted bad
//! coordinates (in the harbour, swapped, 1.2 km from the address, outside the region) and
//! planted duplicates. Every planted problem is flagged, nothing else is; each flagged row does
//! what was chosen for it; household sizes become people counts; left-out rows say why.

use aidmap::demo::{self, DemoOptions};
use aidmap::import::{table, Mapping};
use aidmap::region::RegionPack;
use aidmap::vocab::{ImportKind, LocationSource};
use aidmap::Store;
use chrono::NaiveDate;

use crate::util::*;

/// The demo's active households as CSV rows: name, phone, address, lat, lon, household size.
fn demo_sheet(dir: &std::path::Path) -> Vec<Vec<String>> {
    let opts = DemoOptions { households: 300, seed: 7, date: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap() };
    let store = demo::write(&dir.join("demo.aidmap"), &opts, INSTALLATION).unwrap();
    let mut rows: Vec<Vec<String>> = store
        .households()
        .unwrap()
        .into_iter()
        .map(|h| {
            vec![
                h.name.clone(),
                h.phones.first().map(|p| p.original.clone()).unwrap_or_default(),
                h.address.clone(),
                format!("{:.6}", h.lat),
                format!("{:.6}", h.lon),
                (h.adults + h.children + h.seniors).to_string(),
            ]
        })
        .collect();
    rows.sort();
    rows
}

fn csv(rows: &[Vec<String>]) -> table::Table {
    let mut w = csv::Writer::from_writer(vec![]);
    w.write_record(["Name", "Phone", "Address", "Latitude", "Longitude", "Household size"]).unwrap();
    for r in rows {
        w.write_record(r).unwrap();
    }
    table::read(&w.into_inner().unwrap(), "sheet.csv").unwrap()
}

fn import(store: &mut Store, t: &table::Table, mapping: Option<&Mapping>, dry: bool) -> aidmap::import::ImportReport {
    let monaco = RegionPack::open(&crate::region::pack_path("monaco")).unwrap();
    store.import_table(ImportKind::Households, t, mapping, "sheet.csv", Some(&monaco), dry).unwrap()
}

/// Spreadsheet row of data row `i` (row 1 is the header).
fn row(i: usize) -> u32 {
    i as u32 + 2
}

#[test]
fn planted_bad_coordinates_and_duplicates_are_flagged_and_nothing_else() {
    let dir = tempdir();
    let mut rows = demo_sheet(dir.path());
    assert!(rows.len() > 250, "{} rows", rows.len());
    // Planted: in the middle of the harbour (Port Hercule), lat/lon swapped, 1.2 km from the address (a
    // street: 1.2 km north of a point on it), in Paris.
    let [a, b, c, d] = [10, 20, 30, 40];
    rows[a][3..5].clone_from_slice(&["43.734500".into(), "7.425500".into()]);
    rows[b].swap(3, 4);
    let (lat, lon): (f64, f64) = (rows[c][3].parse().unwrap(), rows[c][4].parse().unwrap());
    rows[c][3] = format!("{:.6}", lat + 1200.0 / 111_195.0);
    rows[c][4] = format!("{lon:.6}");
    rows[d][3..5].clone_from_slice(&["48.856600".into(), "2.352200".into()]);
    // Planted duplicates: two households again, with the name order swapped on one.
    let mut again = rows[50].clone();
    let words: Vec<&str> = again[0].split(' ').collect();
    again[0] = words.iter().rev().cloned().collect::<Vec<_>>().join(" ");
    rows.push(again);
    rows.push(rows[60].clone());

    let mut store = new_store(dir.path());
    let report = import(&mut store, &csv(&rows), None, false);
    let flagged: std::collections::BTreeMap<u32, Vec<&str>> =
        report.problems.iter().filter(|p| !p.choices.is_empty()).fold(Default::default(), |mut m, p| {
            m.entry(p.row).or_default().push(p.code.as_str());
            m
        });
    let mut planted = vec![row(a), row(b), row(c), row(d)];
    planted.sort();
    assert_eq!(flagged.keys().cloned().collect::<Vec<_>>(), planted, "{flagged:?}");
    assert_eq!(flagged[&row(a)], ["in_water", "far_from_address"], "{flagged:?}");
    assert_eq!(flagged[&row(b)][0], "outside_region", "{flagged:?}");
    assert_eq!(flagged[&row(c)], ["far_from_address"], "{flagged:?}");
    assert_eq!(flagged[&row(d)][0], "outside_region", "{flagged:?}");
    assert_eq!(report.coordinates_flagged, 4);
    let far = report.problems.iter().find(|p| p.row == row(c)).unwrap();
    assert!((1000..=1250).contains(&far.distance_m.unwrap()), "{far:?}");
    // Nothing else: no other problem at all, and exactly the planted duplicates.
    let others: Vec<_> = report.problems.iter().filter(|p| !flagged.contains_key(&p.row)).collect();
    assert!(others.is_empty(), "{others:#?}");
    assert_eq!(report.possible_duplicates, 2, "the two planted pairs");
    let names = |id: &str| store.household(id).unwrap().household.name;
    let mut pairs: Vec<(String, String)> =
        store.duplicates().unwrap().iter().map(|p| (names(&p.a), names(&p.b))).collect();
    for p in &mut pairs {
        if p.0 > p.1 {
            std::mem::swap(&mut p.0, &mut p.1);
        }
    }
    pairs.sort();
    let mut planted_pairs =
        vec![(rows[50][0].clone(), rows[rows.len() - 2][0].clone()), (rows[60][0].clone(), rows[60][0].clone())];
    for p in &mut planted_pairs {
        if p.0 > p.1 {
            std::mem::swap(&mut p.0, &mut p.1);
        }
    }
    planted_pairs.sort();
    assert_eq!(pairs, planted_pairs);
    assert_eq!(report.skipped, 0);
    assert!(report.unchecked.is_empty(), "{:?}", report.unchecked);
    // The default: the address where it was found, else waiting to be placed by hand; never
    // the doubted coordinates.
    for p in report.problems.iter().filter(|p| !p.choices.is_empty()) {
        let expected = if p.choices.contains(&"address".to_string()) { "address" } else { "place" };
        assert_eq!(p.choice.as_deref(), Some(expected), "{p:?}");
    }
    let waiting = report.problems.iter().filter(|p| p.code == "check_coordinates").count() as u32;
    assert_eq!(report.to_place, waiting);
    let households = store.households().unwrap();
    assert_eq!(households.len() as u32, rows.len() as u32 - waiting);
    let at = |r: &Vec<String>| {
        households.iter().find(|h| h.name == r[0] && h.phones.first().map(|p| &p.original) == Some(&r[1])).unwrap()
    };
    assert!(waiting < 4, "most planted rows have an address the pack finds");
    for i in [a, b, c, d]
        .into_iter()
        .filter(|&i| !report.problems.iter().any(|p| p.row == row(i) && p.code == "check_coordinates"))
    {
        let h = at(&rows[i]);
        assert_eq!(h.location_source, LocationSource::Geocoded, "{}", rows[i][0]);
        assert!(h.lat > 43.72 && h.lat < 43.76 && h.lon > 7.40 && h.lon < 7.44);
    }
}

#[test]
fn each_flagged_row_does_what_was_chosen_for_it() {
    let dir = tempdir();
    let mut rows = demo_sheet(dir.path());
    rows.truncate(12);
    // Rows 1 and 3 have addresses the pack finds; row 5's may or may not be found.
    for i in [1, 3, 5] {
        rows[i][3..5].clone_from_slice(&["43.734500".into(), "7.425500".into()]);
    }
    rows[4][2] = String::new(); // no address: "use the address" is not offered
    rows[4][3..5].clone_from_slice(&["43.734500".into(), "7.425500".into()]);
    let t = csv(&rows);
    let mut mapping = aidmap::import::suggest(ImportKind::Households, &t.headers);
    assert_eq!(mapping.columns.get("Household size").map(String::as_str), Some("household_size"));
    // The dry run offers the choices; the user sets a default and overrides two rows.
    let dry_dir = dir.path().join("dry");
    std::fs::create_dir_all(&dry_dir).unwrap();
    std::fs::create_dir_all(dir.path().join("real")).unwrap();
    let dry = import(&mut new_store(&dry_dir), &t, Some(&mapping), true);
    let offered = |r: u32| dry.problems.iter().find(|p| p.row == r && !p.choices.is_empty()).unwrap().choices.clone();
    assert_eq!(offered(row(1)), ["address", "coordinates", "place"]);
    assert_eq!(offered(row(3)), ["address", "coordinates", "place"]);
    assert_eq!(offered(row(4)), ["coordinates", "place"]);
    mapping.coordinates = Some("place".into());
    mapping.row_choices.insert(row(1), "coordinates".into());
    mapping.row_choices.insert(row(3), "address".into());
    let mut store = new_store(&dir.path().join("real"));
    let report = import(&mut store, &t, Some(&mapping), false);
    assert_eq!((report.created, report.to_place), (10, 2), "{report:#?}");
    // Demo names repeat: a row is its name and phone.
    let by = |r: &Vec<String>| {
        store
            .households()
            .unwrap()
            .into_iter()
            .find(|h| h.name == r[0] && h.phones.first().map(|p| &p.original) == Some(&r[1]))
    };
    assert_eq!(by(&rows[1]).unwrap().location_source, LocationSource::Imported, "kept as chosen");
    assert_eq!(by(&rows[3]).unwrap().location_source, LocationSource::Geocoded, "moved to the address");
    assert!(by(&rows[5]).is_none() && by(&rows[4]).is_none(), "waiting to be placed by hand");
    let waiting: Vec<String> = store.pending_rows().unwrap().into_iter().map(|p| p.reason).collect();
    assert_eq!(waiting, ["check_coordinates", "check_coordinates"]);
    // Per-row choices are never remembered for the next sheet; the default is.
    let next = store.import_preview(ImportKind::Households, &t, 5).unwrap();
    assert!(next.remembered && next.suggested.row_choices.is_empty());
    assert_eq!(next.suggested.coordinates.as_deref(), Some("place"));
}

#[test]
fn household_sizes_become_people_and_left_out_rows_say_why() {
    let sheet = "Nombre,Dirección,Latitud,Longitud,Personas,Niños\n\
                 Ana,,43.7380,7.4230,4,1\n\
                 Luis,,43.7380,7.4230,3,\n\
                 Eva,,43.7380,7.4230,-4,\n\
                 Iker,,43.7380,7.4230,2,5\n\
                 Noa,,43.7380,7.4230,2.5,\n";
    let t = table::read(sheet.as_bytes(), "s.csv").unwrap();
    let mapping = aidmap::import::suggest(ImportKind::Households, &t.headers);
    assert_eq!(mapping.columns.get("Personas").map(String::as_str), Some("household_size"));
    for header in ["household size", "People", "Taille du foyer", "Número de personas", "Nombre de personnes"] {
        let m = aidmap::import::suggest(ImportKind::Households, &[header.to_string()]);
        assert_eq!(m.columns.get(header).map(String::as_str), Some("household_size"), "{header}");
    }
    let dir = tempdir();
    let mut store = new_store(dir.path());
    let report = import(&mut store, &t, Some(&mapping), false);
    assert_eq!((report.created, report.skipped), (2, 3));
    let people = |name: &str| {
        let h = store.households().unwrap().into_iter().find(|h| h.name == name).unwrap();
        (h.adults, h.children, h.seniors)
    };
    assert_eq!(people("Ana"), (3, 1, 0));
    assert_eq!(people("Luis"), (3, 0, 0));
    assert_eq!(report.also.get("size_as_adults"), Some(&1), "Luis's 3 counted as adults, and said");
    let left_out: Vec<(u32, &str, Option<f64>)> =
        report.problems.iter().filter(|p| p.skipped).map(|p| (p.row, p.code.as_str(), p.value)).collect();
    assert_eq!(
        left_out,
        [(4, "below_zero", Some(-4.0)), (5, "size_below_parts", Some(2.0)), (6, "not_whole", Some(2.5))]
    );
}

#[test]
fn the_cli_says_what_it_did_with_doubted_coordinates() {
    let dir = tempdir();
    let db = dir.path().join("op.aidmap");
    drop(new_store(dir.path()));
    let sheet = dir.path().join("s.csv");
    std::fs::write(&sheet, "Name,Address,Lat,Lon\nQuay,,43.734500,7.425500\nInland,,43.738000,7.423000\n").unwrap();
    let pack = crate::region::pack_path("monaco");
    let run = |extra: &[&str]| {
        let mut args = vec!["import", "households", sheet.to_str().unwrap(), "--db", db.to_str().unwrap()];
        args.extend(["--region", pack.to_str().unwrap()]);
        args.extend(extra);
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_aidmap"))
            .args(&args)
            .env("AIDMAP_CONFIG_DIR", dir.path().join("config"))
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let text = run(&["--dry-run"]);
    assert!(text.contains("1 rows with doubted coordinates"), "{text}");
    assert!(
        text.contains("row 2, column \"Lat\": the coordinates are in water → place (of coordinates, place)"),
        "{text}"
    );
    let json: serde_json::Value = serde_json::from_str(&run(&["--coordinates", "coordinates", "--json"])).unwrap();
    assert_eq!((json["created"].as_u64(), json["to_place"].as_u64()), (Some(2), Some(0)), "{json}");
    assert_eq!(json["problems"][0]["choice"], "coordinates");
}

#[test]
fn a_point_is_doubted_at_entry_as_on_import() {
    let pack = RegionPack::open(&crate::region::pack_path("monaco")).unwrap();
    let codes = |lat, lon| pack.doubts(lat, lon).into_iter().map(|d| (d.code, d.distance_m)).collect::<Vec<_>>();
    assert_eq!(codes(43.7345, 7.4255), [("in_water".to_string(), None)], "Port Hercule");
    assert_eq!(codes(48.8566, 2.3522), [("outside_region".to_string(), None)], "Paris");
    // On the hill above Monaco, between the roads.
    let far = codes(43.74930, 7.39515);
    assert_eq!(far.len(), 1);
    assert_eq!(far[0].0, "far_from_road");
    assert!((250..=320).contains(&far[0].1.unwrap()), "{far:?}");
    let street = pack.geocode("Rue Grimaldi", 1).unwrap().remove(0);
    assert!(codes(street.lat, street.lon).is_empty(), "a street point is fine");
}

/// No false alarms on real data: every address of the Helsinki pack, a city on the sea with
/// quays and islands, at its own point is not doubted (shore addresses once were, in "water"
/// the coastline's closure at the extract's box had drawn over the first metres of land).
#[test]
fn addresses_at_their_own_points_are_not_doubted() {
    let path = crate::region::pack_path("helsinki");
    let pack = RegionPack::open(&path).unwrap();
    let conn = rusqlite::Connection::open(&path).unwrap();
    let mut stmt = conn.prepare("SELECT label, lat, lon FROM place WHERE kind = 'address'").unwrap();
    let rows: Vec<(String, f64, f64)> =
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap().map(|r| r.unwrap()).collect();
    assert!(rows.len() > 500);
    let doubted: Vec<_> = rows.iter().filter(|(_, lat, lon)| !pack.doubts(*lat, *lon).is_empty()).collect();
    assert!(doubted.is_empty(), "{doubted:?}");
}
