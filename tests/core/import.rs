//! Spreadsheet import: a Spanish Google-Forms-like CSV placed with the Monaco region's address
//! search, a Windows-1252 French CSV, an XLSX with a formula and dates, and the bad inputs
//! (empty, binary, wrong cell counts, bad numbers and dates); all in one transaction, recorded.

use aidmap::import::table;
use aidmap::region::RegionPack;
use aidmap::vocab::{Category, ImportKind, LocationSource, Urgency, Vulnerability};
use aidmap::{Error, Store};

use crate::util::*;

fn fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import").join(name)
}

fn read(name: &str) -> table::Table {
    table::read(&std::fs::read(fixture(name)).unwrap(), name).unwrap()
}

fn import(store: &mut Store, name: &str, region: Option<&RegionPack>, dry_run: bool) -> aidmap::import::ImportReport {
    store.import_table(ImportKind::Households, &read(name), None, name, region, dry_run).unwrap()
}

#[test]
fn a_spanish_form_export_is_imported_and_placed_with_the_region() {
    let dir = tempdir();
    let mut store = new_store(dir.path());
    let monaco = RegionPack::open(&crate::region::pack_path("monaco")).unwrap();
    let report = import(&mut store, "households-es.csv", Some(&monaco), false);
    assert_eq!((report.rows, report.created, report.skipped, report.to_place), (7, 3, 2, 2), "{report:#?}");
    assert_eq!(report.encoding, "UTF-8");
    assert_eq!((report.geocoded.matched, report.geocoded.not_found), (2, 1));
    let codes: Vec<(u32, &str)> = report.problems.iter().map(|p| (p.row, p.code.as_str())).collect();
    for expected in [
        (4, "invalid_date"),
        (5, "required"),
        (6, "not_a_number"),
        (6, "unknown_value"),
        (6, "invalid_date"),
        (6, "not_found"),
        (7, "too_many_cells"),
        (8, "no_address"),
    ] {
        assert!(codes.contains(&expected), "{expected:?} in {codes:?}");
    }
    // No cell value in any message: they name rows, columns and rules.
    let text = serde_json::to_string(&report.problems).unwrap();
    for secret in ["Pedro", "Unicornios", "mañana", "Calle que no existe", "+377"] {
        assert!(!text.contains(secret), "{secret} leaked into {text}");
    }

    let households = store.households().unwrap();
    assert_eq!(households.len(), 3);
    let lucia = households.iter().find(|h| h.name == "Lucía Fernández").unwrap();
    assert_eq!((lucia.lat, lucia.lon, lucia.location_source), (43.738, 7.423, LocationSource::Imported));
    assert_eq!((lucia.adults, lucia.children), (2, 1));
    assert_eq!(lucia.phones[0].normalized, "+37761234567 8".replace(' ', ""));
    let needs = store.household(&lucia.id).unwrap().needs;
    let mut cats: Vec<_> = needs.iter().map(|n| (n.category, n.quantity, n.urgency, n.wanted_by.clone())).collect();
    cats.sort_by_key(|c| c.0);
    assert_eq!(
        cats,
        [
            (Category::Water, 6.0, Urgency::High, Some("2026-11-27".into())),
            (Category::Food, 6.0, Urgency::High, Some("2026-11-27".into()))
        ]
    );
    let jorge = households.iter().find(|h| h.name == "Jorge Martín").unwrap();
    assert_eq!(jorge.location_source, LocationSource::Geocoded);
    assert!(jorge.vulnerabilities.contains(&Vulnerability::ColdChain));
    assert_eq!(store.household(&jorge.id).unwrap().needs[0].urgency, Urgency::Critical);

    // The two rows waiting for a pin; one placed by hand becomes a household with its need.
    let pending = store.pending_rows().unwrap();
    assert_eq!(pending.len(), 2);
    let pedro = pending.iter().find(|p| p.reason == "not_found").unwrap();
    let id = store.place_pending(&pedro.id, 43.735, 7.421).unwrap();
    let placed = store.household(&id).unwrap();
    assert_eq!((placed.household.location_source, placed.needs.len()), (LocationSource::Pin, 1));
    assert_eq!(store.pending_rows().unwrap().len(), 1);

    // One audit entry for the import, one record with its counts.
    let log = store
        .audit(
            &aidmap::audit::AuditFilter { action: Some(aidmap::audit::AuditAction::Import), ..Default::default() },
            10,
            0,
        )
        .unwrap();
    assert_eq!(log.total, 1);
    assert!(log.items[0].detail.starts_with("households-es.csv: 7 rows, 3 created, 2 skipped, 2 to place"));
    assert_eq!(rows(&store, "import_record"), 1);
}

#[test]
fn without_a_region_rows_without_coordinates_wait_and_a_dry_run_writes_nothing() {
    let dir = tempdir();
    let mut store = new_store(dir.path());
    let dry = import(&mut store, "households-es.csv", None, true);
    assert_eq!((dry.created, dry.to_place, dry.import_id.clone()), (1, 4, None));
    for table in ["household", "need", "placement_queue", "import_record", "audit"] {
        assert_eq!(rows(&store, table), if table == "audit" { rows(&store, "audit") } else { 0 }, "{table}");
    }
    assert!(store.households().unwrap().is_empty());
    let real = import(&mut store, "households-es.csv", None, false);
    assert_eq!((real.created, real.to_place), (1, 4));
    assert!(real.problems.iter().any(|p| p.code == "no_region"));
}

#[test]
fn windows_1252_semicolons_and_french_headers() {
    let dir = tempdir();
    let mut store = new_store(dir.path());
    let report = import(&mut store, "households-fr-1252.csv", None, false);
    assert_eq!((report.encoding.as_str(), report.created), ("Windows-1252", 2));
    let names: Vec<String> = store.households().unwrap().into_iter().map(|h| h.name).collect();
    assert!(
        names.contains(&"Hélène Müller".to_string()) && names.contains(&"François Lefèvre".to_string()),
        "{names:?}"
    );
    assert_eq!(store.needs(None).unwrap().len(), 3);
}

#[test]
fn xlsx_with_a_formula_and_dates() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};
    let dir = tempdir();
    let path = dir.path().join("hub.xlsx");
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["Name", "Latitude", "Longitude", "Needs", "Quantity", "Wanted by"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    let date = Format::new().set_num_format("dd/mm/yyyy");
    sheet.write_string(1, 0, "Olga Brightwater").unwrap();
    sheet.write_number(1, 1, 43.7381).unwrap();
    sheet.write_number(1, 2, 7.4231).unwrap();
    sheet.write_string(1, 3, "Water").unwrap();
    sheet.write_formula(1, 4, Formula::new("=2*3").set_result("6")).unwrap();
    sheet.write_datetime_with_format(1, 5, ExcelDateTime::from_ymd(2026, 11, 28).unwrap(), &date).unwrap();
    book.save(&path).unwrap();

    let table = table::read(&std::fs::read(&path).unwrap(), "hub.xlsx").unwrap();
    assert_eq!(table.encoding, "XLSX");
    assert!(
        table.problems.iter().any(|p| p.code == "formula" && p.row == 2 && p.column.as_deref() == Some("Quantity")),
        "{:?}",
        table.problems
    );
    let mut store = new_store(dir.path());
    let report = store.import_table(ImportKind::Households, &table, None, "hub.xlsx", None, false).unwrap();
    assert_eq!(report.created, 1, "{report:#?}");
    let need = &store.needs(None).unwrap()[0];
    assert_eq!((need.quantity, need.wanted_by.as_deref()), (6.0, Some("2026-11-28")));
}

#[test]
fn unreadable_files_are_refused_with_a_reason() {
    let bad: [(&str, Vec<u8>); 5] = [
        ("empty.csv", vec![]),
        ("blank.csv", b"\n\n  \n".to_vec()),
        (
            "map.csv",
            std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/demo/monaco.osm.pbf")).unwrap(),
        ),
        ("fake.xlsx", b"PK\x03\x04 not really a workbook".to_vec()),
        ("huge.csv", vec![b'a'; table::MAX_BYTES + 1]),
    ];
    for (name, bytes) in bad {
        match table::read(&bytes, name) {
            Err(Error::UnreadableFile(why)) => assert!(!why.is_empty()),
            other => panic!("{name}: {other:?}"),
        }
    }
    // Headers only: no rows, nothing written, not an error.
    let dir = tempdir();
    let mut store = new_store(dir.path());
    let table = table::read(b"Name,Phone\n", "h.csv").unwrap();
    let report = store.import_table(ImportKind::Households, &table, None, "h.csv", None, false).unwrap();
    assert_eq!((report.rows, report.created), (0, 0));
}

#[test]
fn a_50_mb_sheet_is_read_with_its_bad_row_named_and_a_larger_one_is_refused() {
    let row = "Household name with a long enough text,+377 600 000 000,\"Rue Grimaldi 12, Monaco\",43.73,7.42,water\n";
    let rows = 50 * 1024 * 1024 / row.len() + 2;
    let mut text = String::with_capacity(52 * 1024 * 1024);
    text.push_str("Name,Phone,Address,Latitude,Longitude,Needs\n");
    for i in 0..rows {
        text.push_str(if i == rows - 2 { "a,b,c,d,e,f,g\n" } else { row });
    }
    assert!(text.len() >= 50 * 1024 * 1024);
    let t = table::read(text.as_bytes(), "big.csv").unwrap();
    assert_eq!(t.rows.len(), rows);
    let bad = t.problems.iter().find(|p| p.code == "too_many_cells").expect("the long row");
    assert_eq!(bad.row as usize, rows); // header is row 1, so data row rows-1 (0-based rows-2) is row `rows`
    let huge = vec![b'a'; table::MAX_BYTES + 1];
    assert!(matches!(table::read(&huge, "huge.csv"), Err(Error::UnreadableFile(_))));
}
