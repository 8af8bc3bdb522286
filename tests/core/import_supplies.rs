//! Spreadsheet import of sites with stock and of volunteers with vehicles and shifts: rows
//! naming the same site or phone fill one record, stock arrives as recorded receipts, bad cells
//! are reported by row and column, and a dry run writes nothing.

use aidmap::import::table;
use aidmap::vocab::{Capability, Category, ImportKind, MovementKind, Role, SiteKind, VehicleKind};
use aidmap::Store;

use crate::util::*;

fn read(name: &str) -> table::Table {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import").join(name);
    table::read(&std::fs::read(path).unwrap(), name).unwrap()
}

fn import(store: &mut Store, kind: ImportKind, name: &str, dry_run: bool) -> aidmap::import::ImportReport {
    store.import_table(kind, &read(name), None, name, None, dry_run).unwrap()
}

fn codes(report: &aidmap::import::ImportReport) -> Vec<(u32, &str)> {
    report.problems.iter().map(|p| (p.row, p.code.as_str())).collect()
}

#[test]
fn sites_and_their_stock_come_in_as_recorded_receipts() {
    let dir = tempdir();
    let mut store = new_store(dir.path());
    let dry = import(&mut store, ImportKind::Sites, "sites-es.csv", true);
    assert_eq!(
        rows(&store, "site") + rows(&store, "item") + rows(&store, "stock_movement"),
        0,
        "a dry run writes nothing"
    );

    let report = import(&mut store, ImportKind::Sites, "sites-es.csv", false);
    assert_eq!((report.rows, report.created, report.skipped), (7, 2, 4), "{report:#?}");
    assert_eq!((dry.created, dry.skipped, &dry.also), (report.created, report.skipped, &report.also));
    assert_eq!(report.also.get("items"), Some(&3));
    assert_eq!(report.also.get("stock"), Some(&3));
    let found = codes(&report);
    for expected in [(4, "invalid"), (6, "not_placed"), (7, "unknown_value"), (7, "invalid"), (8, "required")] {
        assert!(found.contains(&expected), "{expected:?} in {found:?}");
    }
    let text = serde_json::to_string(&report.problems).unwrap();
    for secret in ["Nave espacial", "Punto sin lugar", "abc"] {
        assert!(!text.contains(secret), "{secret} leaked into {text}");
    }

    let sites = store.sites_with_stock().unwrap();
    assert_eq!(sites.len(), 2);
    let port = sites.iter().find(|s| s.site.name == "Almacén del puerto").unwrap();
    assert_eq!((port.site.kind, port.site.lat, port.site.lon), (SiteKind::Warehouse, 43.735, 7.421));
    assert_eq!(port.site.hours, vec![Some("08:00-20:00".to_string()); 7]);
    let mut stock: Vec<(&str, f64)> = port.stock.iter().map(|r| (r.item.name.as_str(), r.quantity)).collect();
    stock.sort_by(|a, b| a.0.cmp(b.0));
    assert_eq!(stock, [("Agua embotellada 1.5 L", 600.0), ("Arroz 1 kg", 200.0)]);
    let fridge = sites.iter().find(|s| s.site.name == "Nevera comunitaria").unwrap();
    assert_eq!(fridge.site.kind, SiteKind::CommunityFridge);
    assert_eq!(fridge.stock[0].item.category, Category::Medicine);
    assert_eq!(fridge.stock[0].next_expiry.as_deref(), Some("2027-01-31"));
    // Every level is explained by its movements: receipts naming the file.
    let history = store.stock_history(&port.site.id, 10).unwrap();
    assert!(history.iter().all(|m| m.kind == MovementKind::Received && m.reason == "import sites-es.csv"));

    // The same sheet again: the sites are found by name, the stock is received once more.
    let again = import(&mut store, ImportKind::Sites, "sites-es.csv", false);
    assert_eq!(again.created, 0);
    assert!(codes(&again).contains(&(2, "existing")));
    assert_eq!(store.sites().unwrap().len(), 2);
    assert_eq!(store.items().unwrap().len(), 3);
    let port = store.stock(&port.site.id).unwrap();
    assert!(port.iter().any(|r| r.item.name == "Arroz 1 kg" && r.quantity == 400.0));
    let entries = store.audit(&Default::default(), 100, 0).unwrap().items;
    assert_eq!(entries.iter().filter(|e| e.action == aidmap::audit::AuditAction::Import).count(), 2);
}

#[test]
fn volunteers_with_vehicles_and_shifts_one_per_phone() {
    let dir = tempdir();
    let mut store = new_store(dir.path());
    let report = import(&mut store, ImportKind::Volunteers, "volunteers-fr.csv", false);
    assert_eq!((report.rows, report.created, report.skipped), (6, 4, 1), "{report:#?}");
    assert_eq!(report.also.get("vehicles"), Some(&3));
    assert_eq!(report.also.get("shifts"), Some(&2));
    let found = codes(&report);
    for expected in
        [(5, "unknown_value"), (5, "out_of_range"), (6, "required"), (7, "unknown_value"), (7, "invalid_time")]
    {
        assert!(found.contains(&expected), "{expected:?} in {found:?}");
    }
    let people = store.volunteer_details().unwrap();
    assert_eq!(people.len(), 4);
    let marie = people.iter().find(|d| d.volunteer.name == "Marie Curie").unwrap();
    assert_eq!(marie.volunteer.roles, [Role::Driver, Role::Intake]);
    assert_eq!(marie.volunteer.languages, ["fr", "en"]);
    assert_eq!(marie.vehicles.len(), 1, "the second row's van is the same van");
    let van = &marie.vehicles[0];
    assert_eq!((van.kind, van.capacity_kg, van.capacity_l), (VehicleKind::Van, 800.0, 3000.0));
    assert_eq!(van.capabilities, [Capability::HighClearance, Capability::Cooler]);
    assert_eq!(marie.shifts.len(), 2);
    assert!(marie.shifts.iter().all(|s| s.vehicle_id.as_deref() == Some(van.id.as_str())));
    let jean = people.iter().find(|d| d.volunteer.name == "Jean Valjean").unwrap();
    assert_eq!((jean.volunteer.roles.as_slice(), jean.vehicles.len()), ([Role::Packer].as_slice(), 0));

    // A second sheet with Marie's phone adds to her.
    let again = import(&mut store, ImportKind::Volunteers, "volunteers-fr.csv", false);
    assert_eq!(again.created, 0, "{again:#?}");
    assert!(codes(&again).contains(&(2, "existing")));
    assert_eq!(store.volunteer_details().unwrap().len(), 4);
}

#[test]
fn the_suggested_mapping_reads_spanish_and_french_supply_headers() {
    let sites = aidmap::import::suggest(ImportKind::Sites, &read("sites-es.csv").headers);
    let field = |h: &str| sites.columns.get(h).map(String::as_str);
    assert_eq!(field("Sitio"), Some("name"));
    assert_eq!(field("Producto"), Some("item"));
    assert_eq!(field("Cantidad"), Some("quantity"));
    assert_eq!(field("Peso (kg)"), Some("weight_kg"));
    assert_eq!(field("Caducidad"), Some("expiry"));
    let people = aidmap::import::suggest(ImportKind::Volunteers, &read("volunteers-fr.csv").headers);
    let field = |h: &str| people.columns.get(h).map(String::as_str);
    assert_eq!(field("Nom"), Some("name"));
    assert_eq!(field("Capacité (kg)"), Some("capacity_kg"));
    assert_eq!(field("Capacité (L)"), Some("capacity_l"));
    assert_eq!(field("Début"), Some("shift_start"));
    assert_eq!(field("Fin"), Some("shift_end"));
    assert_eq!(people.columns.len(), 10, "{people:?}");
}

/// A sheet as a hub writes it: "Cooler yes/no", the date and the times in separate columns,
/// dates in any usual order, the start site by name. Every shift gets its start site, so it can
/// drive; a word that is not yes/no and an unknown site are said, by row and column.
#[test]
fn a_natural_volunteer_sheet_gives_shifts_that_can_drive() {
    let dir = tempdir();
    let mut store = new_store(dir.path());
    for name in ["Kallio depot", "Harbour kitchen"] {
        store.create_site(&aidmap::site::SiteInput::new(name, SiteKind::Warehouse, 60.18, 24.95)).unwrap();
    }
    let table = read("volunteers-natural.csv");
    let mapping = aidmap::import::suggest(ImportKind::Volunteers, &table.headers);
    let field = |h: &str| mapping.columns.get(h).map(String::as_str);
    assert_eq!(
        [field("Cooler yes/no"), field("Date"), field("From"), field("To"), field("Depot")],
        [Some("cooler"), Some("shift_date"), Some("shift_start"), Some("shift_end"), Some("start_site")]
    );
    let report =
        store.import_table(ImportKind::Volunteers, &table, Some(&mapping), "natural.csv", None, false).unwrap();
    let problems: Vec<(u32, Option<&str>, &str)> =
        report.problems.iter().map(|p| (p.row, p.column.as_deref(), p.code.as_str())).collect();
    assert_eq!(
        problems,
        [(5, Some("Cooler yes/no"), "not_yes_no"), (5, Some("Depot"), "unknown_site")],
        "{problems:?}"
    );
    let rows = store.shifts_between("2026-12-04T00:00:00Z", "2026-12-06T23:59:59Z").unwrap();
    assert_eq!(rows.len(), 4);
    let sites = store.sites().unwrap();
    let named = |n: &str| sites.iter().find(|s| s.name == n).unwrap().id.clone();
    for r in &rows {
        let expected = match r.volunteer_name.as_str() {
            "Sofía Ruiz" => Some(named("Harbour kitchen")),
            "Noor Haddad" => None,
            _ => Some(named("Kallio depot")),
        };
        assert_eq!(r.shift.start_site_id, expected, "{}", r.volunteer_name);
        assert_eq!(r.shift.end_site_id, expected, "back where it started");
        let start = chrono::DateTime::parse_from_rfc3339(&r.shift.starts_at).unwrap().with_timezone(&chrono::Local);
        assert_eq!(start.date_naive(), chrono::NaiveDate::from_ymd_opt(2026, 12, 5).unwrap(), "{}", r.volunteer_name);
    }
    let ana = rows.iter().find(|r| r.volunteer_name == "Ana Lindqvist").unwrap();
    assert!(ana.vehicle.as_ref().unwrap().capabilities.contains(&Capability::Cooler));
    let sofia = rows.iter().find(|r| r.volunteer_name == "Sofía Ruiz").unwrap();
    assert!(sofia.vehicle.as_ref().unwrap().capabilities.contains(&Capability::Cooler), "sí is yes");
    let pekka = rows.iter().find(|r| r.volunteer_name == "Pekka Virtanen").unwrap();
    assert!(pekka.vehicle.as_ref().unwrap().capabilities.is_empty());
}

/// The mapping chosen for a sheet is offered again for the next sheet with the same headers
/// (this operation's), not for another sheet.
#[test]
fn the_mapping_used_for_a_sheet_is_offered_for_the_next_one_with_the_same_headers() {
    let dir = tempdir();
    let mut store = new_store(dir.path());
    let table = read("volunteers-natural.csv");
    let first = store.import_preview(ImportKind::Volunteers, &table, 5).unwrap();
    assert!(!first.remembered);
    // The coordinator says "Depot" is where shifts end, not where they start.
    let mut chosen = first.suggested.clone();
    chosen.columns.insert("Depot".into(), "end_site".into());
    chosen.separator = Some("|".into());
    store.import_table(ImportKind::Volunteers, &table, Some(&chosen), "week-1.csv", None, false).unwrap();
    let again = store.import_preview(ImportKind::Volunteers, &table, 5).unwrap();
    assert!(again.remembered);
    assert_eq!(again.suggested, chosen);
    // Another kind, or other headers: the usual suggestion.
    assert!(!store.import_preview(ImportKind::Households, &table, 5).unwrap().remembered);
    let other = read("volunteers-fr.csv");
    assert!(!store.import_preview(ImportKind::Volunteers, &other, 5).unwrap().remembered);
    // A dry run remembers nothing.
    store.import_table(ImportKind::Volunteers, &other, None, "x.csv", None, true).unwrap();
    assert!(!store.import_preview(ImportKind::Volunteers, &other, 5).unwrap().remembered);
}

#[test]
fn items_an_import_creates_without_weight_are_said_never_zero_silently() {
    let dir = tempdir();
    let mut store = new_store(dir.path());
    let sheet = "Site,Latitude,Longitude,Item,Unit,Quantity,Weight\n\
                 Depot,43.735,7.421,Blankets,blanket,40,\n\
                 Depot,43.735,7.421,Soap,bar,100,0.1\n";
    let t = table::read(sheet.as_bytes(), "s.csv").unwrap();
    let report = store.import_table(ImportKind::Sites, &t, None, "s.csv", None, false).unwrap();
    assert_eq!(report.also.get("items"), Some(&2));
    assert_eq!(report.also.get("items_weight_unknown"), Some(&1));
    assert_eq!(codes(&report), [(2, "weight_unknown")]);
}
