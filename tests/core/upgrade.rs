//! Older operation files open without loss. `tests/fixtures/operation-v<N>.aidmap` is a demo
//! written by the release whose schema was version N, with its households and needs exported as
//! JSON beside it by that release's CLI. Add one fixture per new schema version. (Version 4's
//! also holds one road closure, added with sqlite3 in the shape the schema-4 app writes, since
//! that release's CLI could not draw one. Version 6's holds a Spanish households sheet and a
//! French volunteers sheet imported by its CLI, with rows waiting to be placed on the map.
//! Version 7's holds a draft plan of supply runs made by its CLI's `plan`. Version 9's holds
//! needs naming catalogue items and a dispatched plan with its stored loads and one outcome,
//! made by its CLI's `demo`, `plan`, `plans dispatch` and `plans outcome`, with the plan as
//! `plans show --json` printed it. Version 10's holds three rows whose own coordinates the
//! Monaco pack doubted (in water, far from the address, far from any road), waiting to be
//! placed by hand, imported by its CLI with `--coordinates place`. Version 11's audit entries
//! carry their hash chain, written by its CLI's `demo` and `import`.)

use aidmap::household::Household;
use aidmap::need::Need;
use aidmap::store::schema;
use aidmap::vocab::Urgency;
use aidmap::Store;

use crate::util::*;

fn fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// A copy of a fixture in a temp dir (opening upgrades it in place).
fn copy_of(version: u32, dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join(format!("operation-v{version}.aidmap"));
    std::fs::copy(fixture(&format!("operation-v{version}.aidmap")), &path).unwrap();
    path
}

fn expected<T: serde::de::DeserializeOwned>(name: &str) -> T {
    serde_json::from_str(&std::fs::read_to_string(fixture(name)).unwrap()).unwrap()
}

fn upgrades_without_loss(version: u32) {
    let dir = tempdir();
    let path = copy_of(version, dir.path());
    let raw = rusqlite::Connection::open(&path).unwrap();
    assert_eq!(schema::version(&raw).unwrap(), version, "the fixture is a version {version} file");
    drop(raw);

    let store = Store::open(&path, INSTALLATION).unwrap();
    assert_eq!(store.info().unwrap().schema_version, schema::latest_version());
    let households: Vec<Household> = expected(&format!("operation-v{version}.households.json"));
    let needs: Vec<Need> = expected(&format!("operation-v{version}.needs.json"));
    assert!(!households.is_empty() && !needs.is_empty());
    assert_eq!(store.households().unwrap(), households, "every household, every field");
    // Fields added since (schema 9: the need's item) are compared by their own tests.
    let as_before = |mut n: Need| {
        (n.item_id, n.item_name, n.item_source, n.item_quantity, n.item_unit) =
            (None, None, Default::default(), None, None);
        n
    };
    let upgraded: Vec<Need> = store.needs(None).unwrap().into_iter().map(as_before).collect();
    let needs: Vec<Need> = needs.into_iter().map(as_before).collect();
    assert_eq!(upgraded, needs, "every need, every field");
    assert_intact(&store);
}

#[test]
fn a_version_1_file_upgrades_without_loss() {
    upgrades_without_loss(1);
}

#[test]
fn a_version_2_file_upgrades_without_loss() {
    upgrades_without_loss(2);
}

#[test]
fn a_version_3_file_upgrades_without_loss_and_keeps_its_audit_log() {
    upgrades_without_loss(3);
    let dir = tempdir();
    let store = Store::open(&copy_of(3, dir.path()), INSTALLATION).unwrap();
    let log = store.audit(&Default::default(), 10, 0).unwrap();
    let actions: Vec<_> = log.items.iter().map(|e| e.action.key()).collect();
    assert_eq!(actions, ["export", "export", "create"], "the demo's creation and the two exports made the fixture");
    assert!(store.closures().unwrap().is_empty());
}

#[test]
fn a_version_4_file_upgrades_without_loss_and_keeps_its_closures() {
    upgrades_without_loss(4);
    let dir = tempdir();
    let store = Store::open(&copy_of(4, dir.path()), INSTALLATION).unwrap();
    let closures = store.closures().unwrap();
    assert_eq!(closures.len(), 1);
    assert_eq!((closures[0].name.as_str(), closures[0].active), ("Flooded underpass", true));
    assert_eq!(closures[0].geometry["coordinates"][1][0], 7.421);
    assert_eq!(store.closure_shapes().unwrap().len(), 1);
}

#[test]
fn a_version_5_file_upgrades_without_loss_of_sites_stock_or_volunteers() {
    upgrades_without_loss(5);
    let dir = tempdir();
    let store = Store::open(&copy_of(5, dir.path()), INSTALLATION).unwrap();
    let json = |v: &dyn erased::Ser| serde_json::from_str::<serde_json::Value>(&v.json()).unwrap();
    let sites: serde_json::Value = expected("operation-v5.sites.json");
    assert_eq!(without_new_item_fields(json(&store.sites_with_stock().unwrap())), sites, "every site, item and level");
    let volunteers: serde_json::Value = expected("operation-v5.volunteers.json");
    assert_eq!(json(&store.volunteer_details().unwrap()), volunteers, "every volunteer, vehicle and shift");
}

#[test]
fn a_version_6_file_upgrades_without_loss_of_its_imports_or_rows_waiting_to_be_placed() {
    upgrades_without_loss(6);
    let dir = tempdir();
    let store = Store::open(&copy_of(6, dir.path()), INSTALLATION).unwrap();
    let json = |v: &dyn erased::Ser| serde_json::from_str::<serde_json::Value>(&v.json()).unwrap();
    assert_eq!(
        without_new_item_fields(json(&store.sites_with_stock().unwrap())),
        expected::<serde_json::Value>("operation-v6.sites.json")
    );
    let volunteers: serde_json::Value = expected("operation-v6.volunteers.json");
    assert_eq!(json(&store.volunteer_details().unwrap()), volunteers, "every volunteer, vehicle and shift");
    assert_eq!(store.pending_rows().unwrap().len(), 4, "the imported rows still waiting to be placed");
}

#[test]
fn a_version_7_file_upgrades_without_loss_of_its_plan() {
    upgrades_without_loss(7);
    let dir = tempdir();
    let store = Store::open(&copy_of(7, dir.path()), INSTALLATION).unwrap();
    let json = |v: &dyn erased::Ser| serde_json::from_str::<serde_json::Value>(&v.json()).unwrap();
    let plans = store.plans().unwrap();
    // `made_elsewhere` came with schema 12: an old file's plans were made here.
    let mut listed = json(&plans);
    for p in listed.as_array_mut().unwrap() {
        assert_eq!(p.as_object_mut().unwrap().remove("made_elsewhere"), Some(serde_json::Value::Null));
    }
    assert_eq!(listed, expected::<serde_json::Value>("operation-v7.plans.json"), "the plan, as listed");
    let view = store.plan_view(None, &plans[0].id).unwrap();
    assert_eq!(view.runs.iter().map(|r| r.stops.len()).sum::<usize>(), 90, "every stop of every run");
    // Its items were chosen by category before schema 9: the board says to plan again, and it
    // is never dispatched as it is.
    assert!(view.runs.iter().flat_map(|r| &r.violations).any(|v| v.kind == "replan"));
    assert!(!view.feasible);
    let mut store = store;
    assert!(store.dispatch_plan(&plans[0].id).is_err(), "an old draft is planned again, not dispatched");
    let households = store.households().unwrap();
    assert!(households.iter().all(|h| !h.notes_for_driver), "no note was written for drivers before schema 8");
}

#[test]
fn a_version_9_file_keeps_its_needs_items_and_its_dispatched_plan_loads() {
    // (Today the latest schema: this pins what it holds; the next schema upgrades it.)
    upgrades_without_loss(9);
    let dir = tempdir();
    let store = Store::open(&copy_of(9, dir.path()), INSTALLATION).unwrap();
    let needs: Vec<Need> = expected("operation-v9.needs.json");
    assert_eq!(store.needs(None).unwrap(), needs, "every need with its item, as this release wrote it");
    let plan: serde_json::Value = expected("operation-v9.plan.json");
    let id = plan["info"]["id"].as_str().unwrap();
    let view = serde_json::to_value(store.plan_view(None, id).unwrap()).unwrap();
    assert_eq!(view["runs"], plan["runs"], "every run, stop and load");
    assert_eq!(view["unserved"], plan["unserved"]);
    assert_eq!(view["info"]["status"], "dispatched");
}

/// The JSON of a list without the item fields schema 9 added (contents, medical) and the site's
/// landmark schema 13 added (empty on upgrade), which older releases did not write.
fn without_new_item_fields(mut v: serde_json::Value) -> serde_json::Value {
    match &mut v {
        serde_json::Value::Object(map) => {
            if map.contains_key("low_threshold") {
                for key in ["contents_amount", "contents_unit", "medical"] {
                    map.remove(key);
                }
            }
            if map.contains_key("hours") && map.get("landmark").is_some_and(|l| l == "") {
                map.remove("landmark");
            }
            for x in map.values_mut() {
                *x = without_new_item_fields(x.take());
            }
        }
        serde_json::Value::Array(list) => {
            for x in list.iter_mut() {
                *x = without_new_item_fields(x.take());
            }
        }
        _ => {}
    }
    v
}

#[test]
fn a_version_7_file_gets_items_for_its_needs_only_where_nothing_is_guessed() {
    use aidmap::catalogue::ItemSource;
    let dir = tempdir();
    let store = Store::open(&copy_of(7, dir.path()), INSTALLATION).unwrap();
    let needs = store.needs(None).unwrap();
    let items = store.items().unwrap();
    let item = |name: &str| items.iter().find(|i| i.name == name).unwrap().id.clone();
    for n in &needs {
        let expected = match (n.category.key(), n.unit.as_str()) {
            ("food", "parcel") => Some(item("Food parcel (family, 3 days)")),
            ("hygiene", _) => Some(item("Hygiene kit")),
            ("cleaning", _) => Some(item("Cleaning kit (bucket, bleach, gloves)")),
            ("baby_supplies", "pack") => Some(item("Nappies (pack of 40)")),
            ("fuel", _) => Some(item("Fuel can 10 L")),
            // Two water items, neither in litres; medicine in boxes; tarps; no "other" item.
            _ => None,
        };
        assert_eq!(n.item_id, expected, "{} {} {}", n.quantity, n.unit, n.category.key());
        assert_eq!(n.item_source, if expected.is_some() { ItemSource::Named } else { ItemSource::None });
    }
    // Medicine items of an older file are medical: never a default, never substituted.
    assert!(items.iter().filter(|i| i.category.key() == "medicine").all(|i| i.medical));
    // Fuel asked in litres of a can whose contents an old catalogue never said: no conversion.
    assert!(needs.iter().filter(|n| n.category.key() == "fuel").all(|n| n.item_quantity.is_none()));
    assert!(needs.iter().filter(|n| n.unit == "parcel").all(|n| n.item_quantity == Some(n.quantity)));
}

/// Serialises any of the lists above for comparison with the fixture's JSON.
mod erased {
    pub trait Ser {
        fn json(&self) -> String;
    }
    impl<T: serde::Serialize> Ser for T {
        fn json(&self) -> String {
            serde_json::to_string(self).unwrap()
        }
    }
}

#[test]
fn an_upgraded_file_has_an_empty_audit_log_and_default_settings() {
    let dir = tempdir();
    let mut store = Store::open(&copy_of(2, dir.path()), INSTALLATION).unwrap();
    assert_eq!(store.audit(&Default::default(), 10, 0).unwrap().total, 0);
    assert_eq!(store.settings().unwrap(), Default::default());
    let id = store.households().unwrap()[0].id.clone();
    let mut input = aidmap::household::HouseholdInput::at("Renamed", 43.73, 7.42);
    input.consent.basis = Some(aidmap::vocab::LegalBasis::VitalInterest);
    store.update_household(&id, &input).unwrap();
    assert_eq!(store.audit(&Default::default(), 10, 0).unwrap().total, 1);
}

#[test]
fn an_old_backup_restores_into_the_current_schema() {
    let dir = tempdir();
    let out = dir.path().join("restored.aidmap");
    let store = aidmap::backup::restore(&fixture("operation-v1.aidmap"), &out, INSTALLATION, None, "Ann").unwrap();
    assert_eq!(store.info().unwrap().schema_version, schema::latest_version());
    let households: Vec<Household> = expected("operation-v1.households.json");
    assert_eq!(store.households().unwrap(), households);
}

#[test]
fn upgraded_files_get_the_derived_columns_filled() {
    let dir = tempdir();
    let store = Store::open(&copy_of(1, dir.path()), INSTALLATION).unwrap();
    let needs: Vec<Need> = expected("operation-v1.needs.json");
    for pin in store.household_pins().unwrap() {
        let open: Vec<&Need> =
            needs.iter().filter(|n| n.household_id == pin.id && n.status == aidmap::vocab::NeedStatus::Open).collect();
        assert_eq!(pin.open_needs as usize, open.len(), "open needs of {}", pin.id);
        let most_urgent: Option<Urgency> = open.iter().map(|n| n.urgency).min();
        assert_eq!(pin.urgency, most_urgent, "most urgent open need of {}", pin.id);
    }
    // search_text was back-filled: an accent-free, upper-case query finds the accented address.
    let households: Vec<Household> = expected("operation-v1.households.json");
    let accented = households.iter().find(|h| !h.address.is_ascii()).expect("an accented address");
    let query = aidmap::text::fold(&accented.address).to_uppercase();
    let found = store.search_households(&query, 100, 0).unwrap();
    assert!(found.items.iter().any(|s| s.id == accented.id), "{query:?} finds {:?}", accented.address);
}

#[test]
fn a_version_10_file_keeps_its_rows_waiting_for_doubted_coordinates() {
    upgrades_without_loss(10);
    let dir = tempdir();
    let store = Store::open(&copy_of(10, dir.path()), INSTALLATION).unwrap();
    let waiting: Vec<(String, u32)> =
        store.pending_rows().unwrap().into_iter().map(|p| (p.reason, p.row_number)).collect();
    assert_eq!(
        waiting,
        [
            ("check_coordinates".to_string(), 2),
            ("check_coordinates".to_string(), 3),
            ("check_coordinates".to_string(), 4)
        ]
    );
}

#[test]
fn a_version_11_file_keeps_its_audit_chain() {
    upgrades_without_loss(11);
    let dir = tempdir();
    let store = Store::open(&copy_of(11, dir.path()), INSTALLATION).unwrap();
    assert_eq!(store.info().unwrap().audit_break, None);
    let chained: i64 = store.conn().query_row("SELECT COUNT(*) FROM audit WHERE hash != ''", [], |r| r.get(0)).unwrap();
    assert!(chained >= 2, "{chained}");
}

#[test]
fn a_version_12_file_keeps_its_replicas_change_log_and_conflicts() {
    // (Schema 13 upgrades it: the landmark columns.) Made by the command line of its release:
    // a demo, a copy of it as a second replica, the same address
    // changed on both, the copy's changes exported and imported into the first.
    upgrades_without_loss(12);
    let dir = tempdir();
    let store = Store::open(&copy_of(12, dir.path()), INSTALLATION).unwrap();
    let status = aidmap::sync::status::status(store.conn()).unwrap();
    assert!(status.replica.is_some(), "the replica that made the file");
    assert_eq!(status.peers.len(), 1);
    assert_eq!((status.peers[0].status.as_str(), status.peers[0].changes), ("accepted", 2));
    assert_eq!(status.conflicts.len(), 1);
    let c = &status.conflicts[0];
    assert_eq!(
        (c.field.as_str(), c.winner.value.as_str(), c.other.value.as_str()),
        ("address", "\"5 Quai Antoine\"", "\"3 Rue Basse\"")
    );
    let logged: i64 = store.conn().query_row("SELECT COUNT(*) FROM sync_change", [], |r| r.get(0)).unwrap();
    assert!(logged >= 5, "{logged}");
}

#[test]
fn a_version_13_file_keeps_its_landmarks() {
    // (Today the latest schema: this pins what it holds; the next schema upgrades it.) Made by
    // this release's command line: a 12-household demo, one household's address replaced by a
    // landmark, another given a landmark beside its address.
    upgrades_without_loss(13);
    let dir = tempdir();
    let store = Store::open(&copy_of(13, dir.path()), INSTALLATION).unwrap();
    let households = store.households().unwrap();
    let with: Vec<(&str, &str)> = households
        .iter()
        .filter(|h| !h.landmark.is_empty())
        .map(|h| (h.address.as_str(), h.landmark.as_str()))
        .collect();
    assert_eq!(with.len(), 2);
    assert!(with.contains(&("", "Blue tent behind the church")));
    let detail = store.household(&households.iter().find(|h| h.address.is_empty()).unwrap().id).unwrap();
    assert!(aidmap::pluscode::is_full(&detail.plus_code));
}
