//! Export of households, sites with stock and volunteers as CSV and GeoJSON: personal fields off
//! by default, formula-safe cells, valid GeoJSON, the audit entry (keys and counts, no values),
//! refused columns, purged households left out, and the `aidmap export` command.

use std::path::Path;
use std::process::{Command, Output};

use aidmap::audit::{AuditEntry, AuditFilter};
use aidmap::error::Rule;
use aidmap::export::{self, ExportFormat, ExportKind, ExportRequest, ExportSummary};
use aidmap::household::HouseholdInput;
use aidmap::item::ItemInput;
use aidmap::need::NeedInput;
use aidmap::settings::{OperationSettings, Retention};
use aidmap::site::SiteInput;
use aidmap::stock::StockChange;
use aidmap::vehicle::VehicleInput;
use aidmap::vocab::{AuditAction, Capability, Category, HouseholdStatus, Role, SiteKind, Urgency, VehicleKind};
use aidmap::volunteer::{ShiftInput, VolunteerInput};
use aidmap::{Error, OpenMode, Store};
use serde_json::Value;

use crate::util::*;

const SENTINEL: &str = "SENTINEL-XYZ";
const SENTINEL_PHONE: &str = "+377 98 76 54 32";

fn request(kind: ExportKind, format: ExportFormat, columns: &[&str]) -> ExportRequest {
    ExportRequest { kind, format, columns: columns.iter().map(|c| c.to_string()).collect(), household_ids: None }
}

/// The export as text, through the plain function.
fn export(store: &Store, req: &ExportRequest) -> (String, ExportSummary) {
    let mut out = Vec::new();
    let summary = export::write_at(store.conn(), req, chrono::Utc::now(), &mut out).expect("export");
    assert_eq!(summary.bytes, out.len() as u64, "bytes counted");
    (String::from_utf8(out).expect("UTF-8"), summary)
}

fn csv_rows(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r.records().map(|row| row.unwrap().iter().map(String::from).collect()).collect();
    (header, rows)
}

fn features(text: &str) -> Vec<Value> {
    let doc: Value = serde_json::from_str(text).expect("valid JSON");
    assert_eq!(doc["type"], "FeatureCollection");
    doc["features"].as_array().expect("features").clone()
}

/// A household whose every personal field holds the sentinel.
fn sentinel_household() -> HouseholdInput {
    let mut h = alice();
    h.name = format!("{SENTINEL} name");
    h.phones = vec![SENTINEL_PHONE.into()];
    h.address = format!("{SENTINEL} address");
    h.notes = format!("{SENTINEL} notes");
    h.access_notes = format!("{SENTINEL} access");
    h.landmark = format!("{SENTINEL} landmark");
    h.languages = vec![SENTINEL.into()];
    h
}

fn exports(store: &Store) -> Vec<AuditEntry> {
    store.audit(&AuditFilter { action: Some(AuditAction::Export), ..Default::default() }, 100, 0).unwrap().items
}

#[test]
fn personal_columns_are_off_by_default() {
    for kind in [ExportKind::Households, ExportKind::Sites] {
        let cols = export::columns(kind);
        assert!(cols.iter().any(|c| c.personal), "{kind:?} has personal columns");
        assert!(cols.iter().filter(|c| c.personal).all(|c| !c.default), "{kind:?}: personal columns off");
    }
    let households: Vec<String> = export::columns(ExportKind::Households).into_iter().map(|c| c.key).collect();
    for key in ["name", "phones", "address", "access_notes", "notes", "languages", "vulnerabilities", "consent"] {
        assert!(export::columns(ExportKind::Households).iter().any(|c| c.key == key && c.personal), "{key}");
    }
    assert!(households.starts_with(&["id".into(), "status".into(), "lat".into(), "lon".into()]));
    let volunteers = export::columns(ExportKind::Volunteers);
    assert!(volunteers.iter().any(|c| c.key == "name" && c.personal && c.default), "a contact list by nature");
    assert!(volunteers.iter().any(|c| c.key == "home_lat" && c.personal && !c.default));
}

#[test]
fn default_exports_leave_out_every_personal_field() {
    let dir = tempdir();
    let mut store = new_store(dir.path());
    let h = store.create_household(&sentinel_household()).unwrap();
    store.add_need(&h.id, &NeedInput::new(Category::Water, 6.0, "L", Urgency::High)).unwrap();
    store.add_need(&h.id, &NeedInput::new(Category::Food, 1.0, "box", Urgency::Low)).unwrap();
    let plain = store.create_household(&HouseholdInput::at("Bob", 43.74, 7.43)).unwrap();

    let (csv, summary) = export(&store, &request(ExportKind::Households, ExportFormat::Csv, &[]));
    let defaults = [
        "id",
        "status",
        "lat",
        "lon",
        "adults",
        "children",
        "seniors",
        "open_needs",
        "most_urgent",
        "location_source",
        "updated_at",
    ];
    assert_eq!(summary.columns, defaults);
    assert_eq!(summary.rows, 2);
    let (header, rows) = csv_rows(&csv);
    assert_eq!(header, defaults);
    let row = rows.iter().find(|r| r[0] == h.id).unwrap();
    assert_eq!(row[1..], ["active", "43.7325", "7.4189", "2", "1", "0", "2", "high", "geocoded", &h.updated_at]);
    let bob = rows.iter().find(|r| r[0] == plain.id).unwrap();
    assert_eq!((bob[7].as_str(), bob[8].as_str()), ("0", ""), "no open need: no urgency");

    let (geojson, _) = export(&store, &request(ExportKind::Households, ExportFormat::Geojson, &[]));
    for text in [&csv, &geojson] {
        assert!(!text.contains(SENTINEL), "personal value in a default export:\n{text}");
        assert!(!text.contains("98 76") && !text.contains("98765432"), "phone in a default export");
        assert!(!text.contains("Bob") && !text.contains("pets") && !text.contains("deliveries"));
    }

    // Chosen, each personal column carries its value.
    let personal =
        ["id", "name", "phones", "address", "notes", "access_notes", "languages", "vulnerabilities", "consent"];
    let (csv, _) = export(&store, &request(ExportKind::Households, ExportFormat::Csv, &personal));
    let (header, rows) = csv_rows(&csv);
    assert_eq!(header, personal);
    let row = rows.iter().find(|r| r[0] == h.id).unwrap();
    assert_eq!(row[1], format!("{SENTINEL} name"));
    assert_eq!(row[2], format!("'{SENTINEL_PHONE}"), "a phone is written as text");
    assert_eq!(row[3], format!("{SENTINEL} address"));
    assert_eq!(row[4], format!("{SENTINEL} notes"));
    assert_eq!(row[5], format!("{SENTINEL} access"));
    assert_eq!(row[6], SENTINEL);
    assert_eq!(row[7], "infant; pets", "lists joined with \"; \"");
    assert_eq!(row[8], "status: given; date: 2026-11-24; scope: deliveries; basis: consent");
    let (geojson, _) = export(&store, &request(ExportKind::Households, ExportFormat::Geojson, &personal));
    let feature = features(&geojson).into_iter().find(|f| f["properties"]["id"] == h.id.as_str()).unwrap();
    let p = &feature["properties"];
    assert_eq!(p["name"], format!("{SENTINEL} name").as_str());
    assert_eq!(p["phones"], serde_json::json!([SENTINEL_PHONE]));
    assert_eq!(p["address"], format!("{SENTINEL} address").as_str());
    assert_eq!(p["notes"], format!("{SENTINEL} notes").as_str());
    assert_eq!(p["access_notes"], format!("{SENTINEL} access").as_str());
    assert_eq!(p["consent"]["status"], "given");
    let keys: Vec<&str> = p.as_object().unwrap().keys().map(String::as_str).collect();
    let mut expected = personal.to_vec();
    expected.sort();
    assert_eq!(keys, expected, "exactly the chosen columns");
}

#[test]
fn csv_cells_that_look_like_formulas_are_escaped() {
    let dir = tempdir();
    let mut store = new_store(dir.path());
    let mut input = alice();
    input.name = "=HYPERLINK(\"http://evil.example\",\"click\")".into();
    input.notes = "@SUM(A1:A9)".into();
    input.address = "-2+3".into();
    store.create_household(&input).unwrap();
    let (csv, _) =
        export(&store, &request(ExportKind::Households, ExportFormat::Csv, &["name", "notes", "address", "phones"]));
    let (_, rows) = csv_rows(&csv);
    assert_eq!(rows[0][0], "'=HYPERLINK(\"http://evil.example\",\"click\")");
    assert_eq!(rows[0][1], "'@SUM(A1:A9)");
    assert_eq!(rows[0][2], "'-2+3", "a leading minus is a formula to spreadsheets");
    assert_eq!(rows[0][3], "'+377 93 15 20 00", "phones are text: a spreadsheet reads +377… as a formula");
    // GeoJSON is data, not a spreadsheet: the value as it is.
    let (geojson, _) = export(&store, &request(ExportKind::Households, ExportFormat::Geojson, &["name"]));
    assert_eq!(features(&geojson)[0]["properties"]["name"], input.name.as_str());
}

#[test]
fn geojson_is_a_feature_collection_of_points_at_lon_lat() {
    let dir = tempdir();
    let mut store = new_store(dir.path());
    let mut ids = Vec::new();
    for i in 0..5 {
        let h = store.create_household(&HouseholdInput::at("X", 43.70 + i as f64 * 0.01, 7.40 + i as f64 * 0.002));
        ids.push(h.unwrap().id);
    }
    // lat and lon not chosen: the location is the geometry all the same.
    let (text, summary) = export(&store, &request(ExportKind::Households, ExportFormat::Geojson, &["id", "adults"]));
    assert_eq!(summary.rows, 5);
    assert_eq!(summary.columns, ["id", "adults", "lat", "lon"], "the geometry counts as exported");
    let all = features(&text);
    assert_eq!(all.len(), 5);
    for f in &all {
        assert_eq!(f["type"], "Feature");
        assert_eq!(f["geometry"]["type"], "Point");
        let id = f["properties"]["id"].as_str().unwrap();
        let i = ids.iter().position(|x| x == id).unwrap();
        let coords: Vec<f64> =
            f["geometry"]["coordinates"].as_array().unwrap().iter().map(|c| c.as_f64().unwrap()).collect();
        assert_eq!(coords, [7.40 + i as f64 * 0.002, 43.70 + i as f64 * 0.01], "[lon, lat]");
        let keys: Vec<&str> = f["properties"].as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, ["adults", "id"], "lat/lon not repeated as properties");
    }
    // An empty operation: a valid, empty collection.
    let dir = tempdir();
    let empty = new_store(dir.path());
    let (text, summary) = export(&empty, &request(ExportKind::Households, ExportFormat::Geojson, &[]));
    assert_eq!((summary.rows, features(&text).len()), (0, 0));
    let (text, _) = export(&empty, &request(ExportKind::Households, ExportFormat::Csv, &[]));
    assert_eq!(text.lines().count(), 1, "the header only");
}

#[test]
fn sites_export_their_stock_per_item() {
    let dir = tempdir();
    let mut store = new_store(dir.path());
    let mut depot = SiteInput::new("Depot North", SiteKind::Warehouse, 43.74, 7.42);
    depot.contact = format!("{SENTINEL} contact");
    depot.notes = format!("{SENTINEL} site notes");
    let depot = store.create_site(&depot).unwrap();
    let empty = store.create_site(&SiteInput::new("Fridge Port", SiteKind::CommunityFridge, 43.73, 7.425)).unwrap();
    let mut water = ItemInput::new("Water 1.5 L", Category::Water, "bottle", 1.55, 1.5);
    water.low_threshold = Some(5.0);
    let water = store.create_item(&water).unwrap();
    let rice = store.create_item(&ItemInput::new("Rice 1 kg", Category::Food, "bag", 1.0, 1.2)).unwrap();
    for (item, quantity) in [(&water, 4.0), (&rice, 30.0)] {
        store
            .change_stock(&StockChange::Receive {
                site_id: depot.id.clone(),
                item_id: item.id.clone(),
                quantity,
                expiry: None,
                reason: "donation".into(),
            })
            .unwrap();
    }

    let (csv, summary) = export(&store, &request(ExportKind::Sites, ExportFormat::Csv, &[]));
    assert!(!csv.contains(SENTINEL), "site contact and notes are off by default");
    let (header, rows) = csv_rows(&csv);
    assert_eq!(
        header,
        [
            "id",
            "name",
            "kind",
            "lat",
            "lon",
            "address",
            "active",
            "updated_at",
            "item",
            "category",
            "unit",
            "quantity",
            "low",
            "next_expiry"
        ]
    );
    assert_eq!(summary.rows, 3, "two items at the depot, one row for the site without stock");
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let at_depot: Vec<(&str, &str, &str)> = rows
        .iter()
        .filter(|r| r[0] == depot.id)
        .map(|r| (r[col("item")].as_str(), r[col("quantity")].as_str(), r[col("low")].as_str()))
        .collect();
    assert_eq!(at_depot.len(), 2);
    assert!(at_depot.contains(&("Water 1.5 L", "4", "true")));
    assert!(at_depot.contains(&("Rice 1 kg", "30", "false")));
    let fridge = rows.iter().find(|r| r[0] == empty.id).unwrap();
    assert_eq!((fridge[col("name")].as_str(), fridge[col("item")].as_str()), ("Fridge Port", ""));

    // Without item columns: one row per site.
    let (csv, summary) = export(&store, &request(ExportKind::Sites, ExportFormat::Csv, &["id", "name", "contact"]));
    assert_eq!(summary.rows, 2);
    assert!(csv.contains(&format!("{SENTINEL} contact")), "chosen: the contact is there");

    let (text, summary) = export(&store, &request(ExportKind::Sites, ExportFormat::Geojson, &[]));
    let features = features(&text);
    assert_eq!((summary.rows, features.len()), (2, 2), "one feature per site");
    let f = features.iter().find(|f| f["properties"]["id"] == depot.id.as_str()).unwrap();
    assert_eq!(f["geometry"]["coordinates"], serde_json::json!([7.42, 43.74]));
    let stock = f["properties"]["stock"].as_array().unwrap();
    assert_eq!(stock.len(), 2);
    let water_row = stock.iter().find(|s| s["item"] == "Water 1.5 L").unwrap();
    assert_eq!((water_row["quantity"].as_f64(), water_row["low"].as_bool()), (Some(4.0), Some(true)));
    assert_eq!(water_row["category"], "water");
    let f = features.iter().find(|f| f["properties"]["id"] == empty.id.as_str()).unwrap();
    assert_eq!(f["properties"]["stock"], serde_json::json!([]));
}

#[test]
fn volunteers_export_with_vehicles_and_next_shifts() {
    let dir = tempdir();
    let clock = TestClock::new("2026-11-26T12:00:00Z");
    let mut store = clock.install(new_store(dir.path()));
    let mut ana = VolunteerInput::new("Ana Driver", &[Role::Driver, Role::Packer]);
    ana.phone = "+377 600 00 01".into();
    ana.languages = vec!["fr".into(), "en".into()];
    ana.home_lat = Some(43.735);
    ana.home_lon = Some(7.421);
    let ana = store.create_volunteer(&ana).unwrap();
    let ben = store.create_volunteer(&VolunteerInput::new("Ben Intake", &[Role::Intake])).unwrap();
    for (name, kind, kg, l, caps) in [
        ("Blue van", VehicleKind::Van, 800.0, 3000.0, vec![Capability::Cooler]),
        ("Old car", VehicleKind::Car, 300.0, 400.0, vec![Capability::HighClearance, Capability::Cooler]),
    ] {
        let mut v = VehicleInput::new(name, kind, kg, l);
        v.owner_id = Some(ana.id.clone());
        v.capabilities = caps;
        store.create_vehicle(&v).unwrap();
    }
    let shift = |from: &str, to: &str| ShiftInput {
        starts_at: from.into(),
        ends_at: to.into(),
        vehicle_id: None,
        start_site_id: None,
        end_site_id: None,
    };
    store.add_shift(&ana.id, &shift("2026-11-25T08:00:00Z", "2026-11-25T12:00:00Z")).unwrap();
    store.add_shift(&ana.id, &shift("2026-11-26T08:00:00Z", "2026-11-26T14:00:00Z")).unwrap();
    store.add_shift(&ana.id, &shift("2026-11-27T08:00:00Z", "2026-11-27T14:00:00Z")).unwrap();

    let path = dir.path().join("volunteers.csv");
    let summary = store.export_to(&request(ExportKind::Volunteers, ExportFormat::Csv, &[]), &path).unwrap();
    assert_eq!(summary.rows, 2);
    let (header, rows) = csv_rows(&std::fs::read_to_string(&path).unwrap());
    assert_eq!(
        header,
        [
            "id",
            "name",
            "phone",
            "roles",
            "languages",
            "active",
            "vehicle_kinds",
            "capacity_kg",
            "capacity_l",
            "capabilities",
            "next_shifts"
        ]
    );
    let row = rows.iter().find(|r| r[0] == ana.id).unwrap();
    assert_eq!(row[1..4], ["Ana Driver", "'+377 600 00 01", "driver; packer"]);
    assert_eq!(row[4..], ["fr; en", "true", "van; car", "800; 300", "3000; 400", "high_clearance; cooler", "2"]);
    let row = rows.iter().find(|r| r[0] == ben.id).unwrap();
    assert_eq!(row[6..], ["", "", "", "", "0"]);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(!text.contains("43.735"), "the home location is off by default");

    // GeoJSON: the home is the geometry only when chosen.
    let (text, _) = export(&store, &request(ExportKind::Volunteers, ExportFormat::Geojson, &[]));
    assert!(features(&text).iter().all(|f| f["geometry"].is_null()));
    let (text, _) = export(
        &store,
        &request(ExportKind::Volunteers, ExportFormat::Geojson, &["id", "name", "home_lat", "home_lon"]),
    );
    let features = features(&text);
    let f = features.iter().find(|f| f["properties"]["id"] == ana.id.as_str()).unwrap();
    assert_eq!(f["geometry"]["coordinates"], serde_json::json!([7.421, 43.735]));
    assert!(f["properties"].get("home_lat").is_none());
    assert!(features.iter().find(|f| f["properties"]["id"] == ben.id.as_str()).unwrap()["geometry"].is_null());
}

#[test]
fn an_export_to_a_file_is_audited_with_keys_and_counts_only() {
    let dir = tempdir();
    let mut store = new_store(dir.path());
    store.create_household(&sentinel_household()).unwrap();
    store.create_household(&alice()).unwrap();
    let path = dir.path().join("households.csv");
    let req = request(ExportKind::Households, ExportFormat::Csv, &["id", "name", "phones", "notes"]);
    let summary = store.export_to(&req, &path).unwrap();
    assert_eq!(summary.rows, 2);
    let written = std::fs::read(&path).unwrap();
    assert_eq!(summary.bytes, written.len() as u64);
    assert!(String::from_utf8(written).unwrap().contains(SENTINEL));
    assert!(!sibling(&path, ".partial").exists());

    let log = exports(&store);
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].entity, "household");
    assert_eq!(log[0].detail, "households csv: 2 rows, columns id,name,phones,notes");
    assert!(log[0].record_ids.is_empty());
    let all = store.audit(&AuditFilter::default(), 1000, 0).unwrap().items;
    for e in &all {
        let line = format!("{} {} {:?}", e.entity, e.detail, e.record_ids);
        assert!(!line.contains(SENTINEL) && !line.contains("98 76"), "personal value in the audit log: {line}");
    }

    // Again: the file is replaced, and recorded again.
    store.export_to(&request(ExportKind::Sites, ExportFormat::Geojson, &[]), &path).unwrap();
    let log = exports(&store);
    assert_eq!(log.len(), 2);
    assert_eq!(log[0].entity, "site");
    assert!(log[0].detail.starts_with("sites geojson: 0 rows, columns id,name,kind,lat,lon"), "{}", log[0].detail);
    assert_eq!(features(&std::fs::read_to_string(&path).unwrap()).len(), 0);

    // Never over the operation itself.
    let own = store.path().to_path_buf();
    assert!(matches!(store.export_to(&req, &own), Err(Error::FileExists)));
    assert_intact(&store);
}

#[test]
fn a_read_only_operation_can_be_exported_without_an_audit_entry() {
    let dir = tempdir();
    let mut store = new_store(dir.path());
    store.create_household(&alice()).unwrap();
    let db = store.path().to_path_buf();
    drop(store);
    let mut ro = Store::open_with(&db, INSTALLATION, OpenMode::ReadOnly).unwrap();
    let path = dir.path().join("out.geojson");
    let summary = ro.export_to(&request(ExportKind::Households, ExportFormat::Geojson, &[]), &path).unwrap();
    assert_eq!(summary.rows, 1);
    assert_eq!(features(&std::fs::read_to_string(&path).unwrap()).len(), 1);
    assert!(exports(&ro).is_empty());
}

#[test]
fn an_unknown_column_is_refused_and_no_file_is_written() {
    let dir = tempdir();
    let mut store = new_store(dir.path());
    store.create_household(&alice()).unwrap();
    let path = dir.path().join("out.csv");
    for (kind, column) in
        [(ExportKind::Households, "password"), (ExportKind::Sites, "phones"), (ExportKind::Volunteers, "consent")]
    {
        let req = request(kind, ExportFormat::Csv, &["id", column]);
        let err = store.export_to(&req, &path).unwrap_err();
        assert!(
            matches!(&err, Error::Validation(f) if f.len() == 1 && f[0].field == "columns" && f[0].rule == Rule::Unknown),
            "{err:?}"
        );
        assert!(export::write_at(store.conn(), &req, chrono::Utc::now(), &mut Vec::new()).is_err());
    }
    assert!(!path.exists() && !sibling(&path, ".partial").exists());
    assert!(exports(&store).is_empty(), "nothing exported, nothing recorded");
    // Blanks and repeats are not errors.
    let (_, summary) =
        export(&store, &request(ExportKind::Households, ExportFormat::Csv, &[" id", "", "id", "status "]));
    assert_eq!(summary.columns, ["id", "status"]);
}

#[test]
fn a_failed_export_leaves_no_file() {
    let dir = tempdir();
    let mut store = new_store(dir.path());
    let path = dir.path().join("missing-folder").join("out.csv");
    let err = store.export_to(&request(ExportKind::Households, ExportFormat::Csv, &[]), &path).unwrap_err();
    assert!(matches!(err, Error::Io(_)), "{err:?}");
    assert!(!path.exists());
    let err = store.export_to(&request(ExportKind::Households, ExportFormat::Csv, &[]), dir.path()).unwrap_err();
    assert!(matches!(err, Error::Io(_)), "a folder: {err:?}");
    assert!(exports(&store).is_empty());
}

#[test]
fn purged_households_are_never_exported() {
    let dir = tempdir();
    let clock = TestClock::new("2026-09-01T10:00:00Z");
    let mut store = clock.install(new_store(dir.path()));
    let mut closed = alice();
    closed.status = HouseholdStatus::Closed;
    let old = store.create_household(&closed).unwrap();
    clock.set("2026-11-25T10:00:00Z");
    let kept = store.create_household(&alice()).unwrap();
    let s = OperationSettings {
        retention: Retention { needs_days: Some(30), households_days: Some(30) },
        ..Default::default()
    };
    store.set_settings(&s).unwrap();
    assert_eq!(store.purge().unwrap().households, 1);

    for format in [ExportFormat::Csv, ExportFormat::Geojson] {
        let (text, summary) = export(&store, &request(ExportKind::Households, format, &["id", "adults"]));
        assert_eq!(summary.rows, 1, "{format:?}");
        assert!(text.contains(&kept.id) && !text.contains(&old.id), "{format:?}: {text}");
    }
}

#[test]
fn the_demo_exports_in_every_kind_and_format() {
    let dir = tempdir();
    let date = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    let store = aidmap::demo::write(
        &dir.path().join("demo.aidmap"),
        &aidmap::demo::DemoOptions { households: 300, seed: 7, date },
        INSTALLATION,
    )
    .unwrap();
    let active = store.count_households(None).unwrap();
    for kind in [ExportKind::Households, ExportKind::Sites, ExportKind::Volunteers] {
        let all: Vec<String> = export::columns(kind).into_iter().map(|c| c.key).collect();
        let all: Vec<&str> = all.iter().map(String::as_str).collect();
        let (csv, summary) = export(&store, &request(kind, ExportFormat::Csv, &all));
        assert_eq!(summary.columns, all);
        let (header, rows) = csv_rows(&csv);
        assert_eq!(header.len(), all.len());
        assert_eq!(rows.len() as u32, summary.rows);
        assert!(rows.iter().all(|r| r.len() == all.len()));
        let (text, summary) = export(&store, &request(kind, ExportFormat::Geojson, &all));
        assert_eq!(features(&text).len() as u32, summary.rows, "{kind:?}");
    }
    let (_, summary) = export(&store, &request(ExportKind::Households, ExportFormat::Csv, &[]));
    assert_eq!(summary.rows, active);
}

fn sibling(path: &Path, suffix: &str) -> std::path::PathBuf {
    aidmap::files::sibling(path, suffix)
}

fn aidmap_cli(config: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_aidmap"))
        .args(args)
        .env("AIDMAP_CONFIG_DIR", config)
        .env_remove("XDG_CONFIG_HOME")
        .env_remove("AIDMAP_OPERATOR")
        .env_remove("AIDMAP_PASSPHRASE")
        .output()
        .expect("run aidmap")
}

fn stdout_of(out: &Output) -> String {
    assert!(out.status.success(), "exit {:?}, stderr: {}", out.status, String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout.clone()).unwrap()
}

#[test]
fn the_export_command_writes_the_file_and_says_so() {
    let dir = tempdir();
    let config = dir.path().join("config");
    let db = dir.path().join("demo.aidmap");
    let db = db.to_str().unwrap();
    stdout_of(&aidmap_cli(&config, &["demo", db, "--households", "20", "--seed", "3", "--date", "2026-11-25"]));

    let csv = dir.path().join("households.csv");
    let line = stdout_of(&aidmap_cli(
        &config,
        &["export", "households", "--db", db, "--format", "csv", "--out", csv.to_str().unwrap()],
    ));
    assert_eq!(
        line,
        format!(
            "exported 20 households to {} (columns: id,status,lat,lon,adults,children,seniors,open_needs,most_urgent,location_source,updated_at)\n",
            csv.display()
        )
    );
    let (header, rows) = csv_rows(&std::fs::read_to_string(&csv).unwrap());
    assert_eq!((header.len(), rows.len()), (11, 20));

    let geojson = dir.path().join("households.geojson");
    let line = stdout_of(&aidmap_cli(
        &config,
        &[
            "export",
            "households",
            "--db",
            db,
            "--format",
            "geojson",
            "--columns",
            "id,name",
            "--out",
            geojson.to_str().unwrap(),
        ],
    ));
    assert!(line.starts_with("exported 20 households to ") && line.ends_with("(columns: id,name,lat,lon)\n"), "{line}");
    assert_eq!(features(&std::fs::read_to_string(&geojson).unwrap()).len(), 20);

    let sites = dir.path().join("sites.csv");
    let line = stdout_of(&aidmap_cli(
        &config,
        &["export", "sites", "--db", db, "--format", "csv", "--out", sites.to_str().unwrap()],
    ));
    assert!(line.starts_with("exported ") && line.contains(" site rows "), "{line}");
    let volunteers = dir.path().join("volunteers.geojson");
    let line = stdout_of(&aidmap_cli(
        &config,
        &["export", "volunteers", "--db", db, "--format", "geojson", "--out", volunteers.to_str().unwrap()],
    ));
    assert!(line.starts_with("exported ") && line.contains(" volunteers to "), "{line}");

    // An unknown column: one line on stderr, no file.
    let bad = dir.path().join("bad.csv");
    let out = aidmap_cli(
        &config,
        &[
            "export",
            "households",
            "--db",
            db,
            "--format",
            "csv",
            "--columns",
            "id,secret",
            "--out",
            bad.to_str().unwrap(),
        ],
    );
    assert!(!out.status.success() && out.stdout.is_empty());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    assert!(stderr.contains("columns has an unknown value"), "{stderr}");
    assert!(!bad.exists());
    let out = aidmap_cli(&config, &["export", "households", "--db", db, "--format", "xlsx", "--out", "x"]);
    assert!(!out.status.success());

    let store = Store::open_with(Path::new(db), INSTALLATION, OpenMode::ReadOnly).unwrap();
    let log = exports(&store);
    assert_eq!(log.len(), 4);
    assert!(log.iter().all(|e| e.operator == "command line"));
    assert_eq!(log[3].detail, "households csv: 20 rows, columns id,status,lat,lon,adults,children,seniors,open_needs,most_urgent,location_source,updated_at");
    assert_eq!(log[0].entity, "volunteer");
}
