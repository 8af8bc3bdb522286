//! The `aidmap` command line, run as a separate process.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use aidmap::vocab::NeedStatus;
use aidmap::{OpenMode, Store};
use serde_json::Value;

use crate::util::*;

const HOUSEHOLD_FIELDS: [&str; 21] = [
    "id",
    "name",
    "phones",
    "address",
    "landmark",
    "lat",
    "lon",
    "location_source",
    "adults",
    "children",
    "seniors",
    "vulnerabilities",
    "languages",
    "access_notes",
    "consent",
    "status",
    "notes",
    "notes_for_driver",
    "created_at",
    "updated_at",
    "updated_by",
];

/// A temp dir with its own config folder (installation id) and a 50-household demo `demo.aidmap`.
struct Fixture {
    dir: tempfile::TempDir,
}

impl Fixture {
    fn new() -> Self {
        let fixture = Fixture { dir: tempdir() };
        let out = fixture.run(&[
            "demo",
            fixture.db().to_str().unwrap(),
            "--households",
            "50",
            "--seed",
            "3",
            "--date",
            "2026-11-25",
        ]);
        let stdout = success(&out);
        assert!(stdout.starts_with("wrote ") && stdout.contains("in"), "{stdout}");
        fixture
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("demo.aidmap")
    }

    fn config(&self) -> PathBuf {
        self.dir.path().join("config")
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_aidmap"))
            .args(args)
            .env("AIDMAP_CONFIG_DIR", self.config())
            .env_remove("XDG_CONFIG_HOME")
            .output()
            .expect("run aidmap")
    }

    fn run_on_db(&self, args: &[&str]) -> Output {
        let mut all = args.to_vec();
        let db = self.db();
        all.extend(["--db", db.to_str().unwrap()]);
        self.run(&all)
    }
}

fn success(out: &Output) -> String {
    assert!(out.status.success(), "exit {:?}, stderr: {}", out.status, String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout.clone()).expect("UTF-8 output")
}

/// Non-zero exit, nothing on stdout, exactly one line on stderr; returns that line.
fn failure(out: &Output) -> String {
    assert!(!out.status.success(), "expected a failure, stdout: {}", String::from_utf8_lossy(&out.stdout));
    assert!(out.stdout.is_empty(), "stdout should be empty: {}", String::from_utf8_lossy(&out.stdout));
    let stderr = String::from_utf8(out.stderr.clone()).unwrap();
    assert_eq!(stderr.trim_end().lines().count(), 1, "one line on stderr, got {stderr:?}");
    stderr.trim_end().to_string()
}

fn json_rows(stdout: &str) -> Vec<serde_json::Map<String, Value>> {
    let value: Value = serde_json::from_str(stdout).expect("valid JSON");
    value.as_array().expect("a JSON array").iter().map(|v| v.as_object().expect("an object").clone()).collect()
}

#[test]
fn households_list_as_json() {
    let fx = Fixture::new();
    let rows = json_rows(&success(&fx.run_on_db(&["households", "list"])));
    assert_eq!(rows.len(), 50);

    let installation = std::fs::read_to_string(fx.config().join("installation-id")).unwrap();
    let installation = installation.trim();
    assert!(uuid::Uuid::parse_str(installation).is_ok());
    let mut expected: Vec<&str> = HOUSEHOLD_FIELDS.to_vec();
    expected.sort();
    for row in &rows {
        let mut keys: Vec<&str> = row.keys().map(String::as_str).collect();
        keys.sort();
        assert_eq!(keys, expected);
        assert!(row["name"].as_str().is_some_and(|n| !n.is_empty()));
        assert!(row["lat"].is_f64() && row["lon"].is_f64());
        assert!(row["phones"]
            .as_array()
            .is_some_and(|p| p[0]["original"].is_string() && p[0]["normalized"].is_string()));
        assert!(row["consent"]["status"].is_string());
        assert_eq!(row["location_source"], "imported");
        assert_eq!(row["updated_by"], installation, "the CLI signs with its installation id");
    }

    // The same households the core reads, in the same order.
    let store = Store::open_with(&fx.db(), "reader", OpenMode::ReadOnly).unwrap();
    let ids: Vec<String> = store.households().unwrap().into_iter().map(|h| h.id).collect();
    assert_eq!(rows.iter().map(|r| r["id"].as_str().unwrap().to_string()).collect::<Vec<_>>(), ids);

    // The same seed and date give the same file content from the CLI too (a second installation).
    let other = Fixture::new();
    let again = json_rows(&success(&other.run_on_db(&["households", "list"])));
    let strip = |rows: &[serde_json::Map<String, Value>]| {
        rows.iter()
            .map(|r| {
                let mut r = r.clone();
                r.remove("updated_by");
                r
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(strip(&again), strip(&rows));
}

#[test]
fn households_list_as_csv() {
    let fx = Fixture::new();
    let stdout = success(&fx.run_on_db(&["households", "list", "--format", "csv"]));
    let mut reader = csv::Reader::from_reader(stdout.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    // The same columns and writer as the app's export, every column (personal ones too).
    assert_eq!(header, aidmap::export::all_columns(aidmap::export::ExportKind::Households));
    for column in ["id", "name", "phones", "address", "lat", "lon", "consent", "status", "updated_at"] {
        assert!(header.iter().any(|h| h == column), "missing column {column}");
    }
    let phones = header.iter().position(|h| h == "phones").unwrap();
    let records: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("well-formed CSV")).collect();
    assert_eq!(records.len(), 50);
    let lat = header.iter().position(|h| h == "lat").unwrap();
    for record in &records {
        assert_eq!(record.len(), header.len());
        let lat: f64 = record[lat].parse().expect("lat is a number");
        assert!((43.7..43.8).contains(&lat));
        assert!(
            record[phones].starts_with("'+377"),
            "phones are written as text, never as formulas: {:?}",
            &record[phones]
        );
    }
    // --search limits the CSV as it limits the JSON.
    let all = json_rows(&success(&fx.run_on_db(&["households", "list"])));
    let street = all[0]["address"].as_str().unwrap().split(',').next().unwrap().to_string();
    let found = json_rows(&success(&fx.run_on_db(&["households", "list", "--search", &street])));
    let csv = success(&fx.run_on_db(&["households", "list", "--search", &street, "--format", "csv"]));
    assert!(!found.is_empty() && found.len() < 50, "{} found", found.len());
    assert_eq!(csv.lines().count() - 1, found.len());
}

#[test]
fn needs_list_filters_by_status() {
    let fx = Fixture::new();
    let all = json_rows(&success(&fx.run_on_db(&["needs", "list"])));
    let open = json_rows(&success(&fx.run_on_db(&["needs", "list", "--status", "open"])));
    assert!(!open.is_empty() && open.len() < all.len(), "{} open of {}", open.len(), all.len());
    assert!(open.iter().all(|n| n["status"] == "open"));
    let store = Store::open_with(&fx.db(), "reader", OpenMode::ReadOnly).unwrap();
    assert_eq!(open.len(), store.needs(Some(NeedStatus::Open)).unwrap().len());
    assert_eq!(all.len(), store.needs(None).unwrap().len());

    let csv_out = success(&fx.run_on_db(&["needs", "list", "--status", "open", "--format", "csv"]));
    let mut reader = csv::Reader::from_reader(csv_out.as_bytes());
    let status = reader.headers().unwrap().iter().position(|h| h == "status").expect("status column");
    let records: Vec<_> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), open.len());
    assert!(records.iter().all(|r| &r[status] == "open"));
}

fn assert_unchanged(path: &Path, before: &[u8]) {
    assert_eq!(std::fs::read(path).unwrap(), before, "{} changed", path.display());
}

#[test]
fn errors_are_one_line_on_stderr() {
    let fx = Fixture::new();
    let dir = fx.dir.path();

    let missing = dir.join("missing.aidmap");
    let line = failure(&fx.run(&["households", "list", "--db", missing.to_str().unwrap()]));
    assert!(line.contains("not found"), "{line}");
    assert!(!missing.exists());

    let text = dir.join("notes.txt");
    std::fs::write(&text, "not a database\n").unwrap();
    let line = failure(&fx.run(&["needs", "list", "--db", text.to_str().unwrap()]));
    assert!(line.contains("not an Aidmap operation"), "{line}");
    assert_unchanged(&text, b"not a database\n");

    let line = failure(&fx.run_on_db(&["needs", "list", "--status", "bogus"]));
    assert!(line.contains("bogus") && line.contains("open, assigned"), "{line}");
    let line = failure(&fx.run(&["households", "list"]));
    assert!(line.contains("--db"), "{line}");
    // Help is not an error.
    assert!(success(&fx.run(&["needs", "list", "--help"])).contains("--status"));

    // Writing a demo over an existing file is refused and leaves it alone.
    let line = failure(&fx.run(&["demo", text.to_str().unwrap(), "--households", "5"]));
    assert!(line.contains("already exists"), "{line}");
    assert_unchanged(&text, b"not a database\n");
}

#[test]
fn backup_restore_and_audit_from_the_command_line() {
    let fx = Fixture::new();
    let dir = fx.dir.path();
    let backup = dir.join("backup.aidmap");
    let restored = dir.join("restored.aidmap");
    let b = backup.to_str().unwrap();
    let said = success(&fx.run_on_db(&["backup", "--out", b, "--operator", "Night shift"]));
    assert!(said.starts_with("backed up ") && said.contains("verified"), "{said}");
    let line = failure(&fx.run_on_db(&["backup", "--out", b]));
    assert!(line.contains("already exists"), "{line}");

    let said = success(&fx.run(&["restore", b, "--out", restored.to_str().unwrap()]));
    assert!(said.starts_with("restored ") && said.contains("integrity checked"), "{said}");
    let original = json_rows(&success(&fx.run_on_db(&["households", "list"])));
    let copy = json_rows(&success(&fx.run(&["households", "list", "--db", restored.to_str().unwrap()])));
    assert_eq!(original, copy);

    // The original's log: demo creation, the backup by "Night shift", the households export.
    let entries = json_rows(&success(&fx.run_on_db(&["audit", "--json"])));
    let got: Vec<(&str, &str)> =
        entries.iter().map(|e| (e["action"].as_str().unwrap(), e["operator"].as_str().unwrap())).collect();
    assert_eq!(got, [("export", "command line"), ("backup", "Night shift"), ("create", "unnamed operator")]);
    assert_eq!(entries[0]["detail"], "command line: households list, 50 rows");
    let text = success(&fx.run_on_db(&["audit", "--action", "backup"]));
    assert!(text.contains("backup") && text.contains("by Night shift") && text.ends_with("1 of 1 entries\n"), "{text}");
    let line = failure(&fx.run_on_db(&["audit", "--action", "steal"]));
    assert!(line.contains("unknown action"), "{line}");

    let purge = success(&fx.run_on_db(&["purge", "--dry-run"]));
    assert!(purge.starts_with("would purge 0 households and 0 needs"), "{purge}");
}

#[test]
fn sites_and_volunteers_lists_from_the_demo() {
    let fixture = Fixture::new();
    let sites = json_rows(&success(&fixture.run_on_db(&["sites", "list"])));
    assert_eq!(sites.len(), 4);
    for site in &sites {
        for key in ["id", "name", "kind", "lat", "lon", "hours", "active", "stock"] {
            assert!(site.contains_key(key), "{key} in {site:?}");
        }
    }
    let stock: Vec<&Value> = sites.iter().flat_map(|s| s["stock"].as_array().unwrap()).collect();
    assert!(stock.iter().all(|r| r["item"]["weight_kg"].is_number() && r["quantity"].as_f64().unwrap() > 0.0));
    assert!(stock.iter().any(|r| r["low"] == true), "some items are low");
    let categories: std::collections::BTreeSet<&str> =
        stock.iter().map(|r| r["item"]["category"].as_str().unwrap()).collect();
    assert!(categories.len() >= 8, "stock for every need category: {categories:?}");

    let volunteers = json_rows(&success(&fixture.run_on_db(&["volunteers", "list"])));
    assert_eq!(volunteers.len(), 25);
    let drivers: Vec<_> = volunteers
        .iter()
        .filter(|v| v["volunteer"]["roles"].as_array().unwrap().iter().any(|r| r == "driver"))
        .collect();
    assert_eq!(drivers.len(), 15);
    assert!(drivers.iter().filter(|d| !d["vehicles"].as_array().unwrap().is_empty()).count() >= 12);
    let shift_days: std::collections::BTreeSet<String> = volunteers
        .iter()
        .flat_map(|v| {
            v["shifts"].as_array().unwrap().iter().map(|s| s["starts_at"].as_str().unwrap()[..10].to_string())
        })
        .collect();
    assert_eq!(shift_days.into_iter().collect::<Vec<_>>(), ["2026-11-26", "2026-11-27", "2026-11-28"]);

    let csv = success(&fixture.run_on_db(&["volunteers", "list", "--format", "csv"]));
    let columns = aidmap::export::all_columns(aidmap::export::ExportKind::Volunteers).join(",");
    assert!(csv.starts_with(&format!("{columns}\n")), "{}", csv.lines().next().unwrap());
    assert_eq!(csv.lines().count(), 26);
    let csv = success(&fixture.run_on_db(&["sites", "list", "--format", "csv"]));
    assert_eq!(csv.lines().count() - 1, stock.len(), "one row per site and item");
    // Listing volunteers prints personal data: it is recorded as an export.
    let store = Store::open_with(&fixture.db(), INSTALLATION, OpenMode::ReadOnly).unwrap();
    let log = store
        .audit(&aidmap::audit::AuditFilter { entity: Some("volunteer".into()), ..Default::default() }, 100, 0)
        .unwrap();
    assert!(log.items.iter().any(|e| e.detail == "command line: volunteers list, 25 rows"));
}

/// The supply loop from a script: a need named by its item, the items list, a plan shown with
/// its loads, dispatched unchanged, an outcome with an amount, the packing list.
#[test]
fn needs_add_items_list_plans_show_dispatch_outcome_and_packing() {
    let fx = Fixture::new();
    let households = json_rows(&success(&fx.run_on_db(&["households", "list"])));
    let household = households[0]["id"].as_str().unwrap().to_string();
    let out = success(&fx.run_on_db(&[
        "needs",
        "add",
        "--household",
        &household,
        "--item",
        "water 1.5 l",
        "--quantity",
        "18",
        "--unit",
        "L",
        "--urgency",
        "critical",
    ]));
    assert!(out.contains("12 × Water 1.5 L (18 L)"), "{out}");
    let line = failure(&fx.run_on_db(&[
        "needs",
        "add",
        "--household",
        &household,
        "--item",
        "Water 1.5 L",
        "--quantity",
        "3",
        "--unit",
        "kg",
    ]));
    assert!(line.contains("unit"), "{line}");
    let need_id = out.split(':').next().unwrap().to_string();

    let items = json_rows(&success(&fx.run_on_db(&["items", "list"])));
    let water = items.iter().find(|i| i["name"] == "Water 1.5 L").unwrap();
    assert_eq!((water["contents_amount"].as_f64(), water["contents_unit"].as_str()), (Some(1.5), Some("L")));
    assert_eq!(water["default_for"], "water");
    assert!(items.iter().filter(|i| i["category"] == "medicine").all(|i| i["default_for"].is_null()));
    let csv = success(&fx.run_on_db(&["items", "list", "--format", "csv"]));
    assert!(csv.starts_with("id,name,category,unit,contents_amount"));

    let needs = json_rows(&success(&fx.run_on_db(&["needs", "list"])));
    let mine = needs.iter().find(|n| n["id"] == need_id.as_str()).unwrap();
    assert_eq!(
        (mine["item_name"].as_str(), mine["item_source"].as_str(), mine["item_quantity"].as_f64()),
        (Some("Water 1.5 L"), Some("named"), Some(12.0))
    );
    assert!(mine["plan"].is_null(), "in no plan yet");

    success(&fx.run_on_db(&["plan", "--date", "2026-11-26", "--iterations", "30"]));
    let shown: Value =
        serde_json::from_str(&success(&fx.run_on_db(&["plans", "show", "--date", "2026-11-26", "--json"]))).unwrap();
    let plan_id = shown["info"]["id"].as_str().unwrap().to_string();
    let loads: Vec<&Value> = shown["runs"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["stops"].as_array().unwrap())
        .flat_map(|s| s["loads"].as_array().unwrap())
        .collect();
    assert!(!loads.is_empty());
    for l in &loads {
        for key in ["need_id", "item_id", "item_name", "quantity", "unit", "substitute_for"] {
            assert!(l.get(key).is_some(), "a load carries {key}: {l}");
        }
    }
    for u in shown["unserved"].as_array().unwrap() {
        assert!(u["reason"].is_string() && u.get("item_name").is_some(), "{u}");
    }
    let needs = json_rows(&success(&fx.run_on_db(&["needs", "list"])));
    let planned = needs.iter().find(|n| n["id"] == need_id.as_str()).unwrap();
    let text = planned["plan"]["text"].as_str().unwrap();
    assert!(text.starts_with("on run ") || text.starts_with("not served on 2026-11-26: "), "{text}");

    let out = success(&fx.run_on_db(&["plans", "dispatch", "--plan", &plan_id]));
    assert!(out.starts_with(&format!("dispatched {plan_id}: ")), "{out}");
    let after: Value =
        serde_json::from_str(&success(&fx.run_on_db(&["plans", "show", "--plan", &plan_id, "--json"]))).unwrap();
    assert_eq!(after["runs"], shown["runs"], "dispatch changes no run, stop or load");
    assert_eq!(after["info"]["status"], "dispatched");

    // Stop 1 partly: one unit fewer of its first item than loaded.
    let first = &after["runs"].as_array().unwrap().iter().flat_map(|r| r["stops"].as_array().unwrap()).next().unwrap()
        ["loads"][0];
    let (item, loaded) = (first["item_name"].as_str().unwrap(), first["quantity"].as_f64().unwrap());
    let amount = format!("{item}={}", loaded - 1.0);
    success(&fx.run_on_db(&[
        "plans",
        "outcome",
        "--plan",
        &plan_id,
        "--stop",
        "1",
        "--outcome",
        "partly",
        "--delivered",
        &amount,
    ]));
    let line = failure(&fx.run_on_db(&["plans", "outcome", "--plan", &plan_id, "--stop", "2", "--outcome", "partly"]));
    assert!(line.contains("delivered"), "partly says how much: {line}");

    let dir = fx.dir.path().join("packing");
    let out = success(&fx.run_on_db(&[
        "export",
        "packing",
        "--date",
        "2026-11-26",
        "--format",
        "csv",
        "--out",
        dir.to_str().unwrap(),
    ]));
    assert!(out.trim().ends_with("2026-11-26-packing.csv"), "{out}");
    let text = std::fs::read_to_string(out.trim()).unwrap();
    assert!(text.starts_with("depot,run,driver,vehicle,item,unit,quantity,cold_chain"));
}

#[test]
fn households_list_search_and_merge_from_the_command_line() {
    let fx = Fixture::new();
    let all = json_rows(&success(&fx.run_on_db(&["households", "list"])));
    let street = all[0]["address"].as_str().unwrap().split(',').next().unwrap().to_string();
    let word = street.split_whitespace().rfind(|w| w.chars().count() >= 6).unwrap_or(&street).to_string();
    let typo = format!("{}q", &word[..word.len() - 1]);
    let found = json_rows(&success(&fx.run_on_db(&["households", "list", "--search", &typo])));
    assert!(found.iter().any(|h| h["id"] == all[0]["id"]), "{typo:?} finds {street:?}");
    assert!(found.len() < all.len());

    let (keep, merge) = (all[0]["id"].as_str().unwrap(), all[1]["id"].as_str().unwrap());
    let out =
        success(&fx.run_on_db(&["households", "merge", "--keep", keep, "--merge", merge, "--take", "all_phones"]));
    assert!(out.starts_with(&format!("merged {merge} into {keep}")), "{out}");
    let after = json_rows(&success(&fx.run_on_db(&["households", "list"])));
    assert_eq!(after.len(), all.len() - 1);
    let line = failure(&fx.run_on_db(&["households", "merge", "--keep", keep, "--merge", keep]));
    assert!(line.contains("take") || line.contains("invalid"), "{line}");
}
