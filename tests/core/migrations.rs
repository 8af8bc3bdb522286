//! The operation file: schema migrations, and what `Store::open` / `Store::create` accept, refuse
//! and leave untouched.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::sync::{Arc, Barrier};

use aidmap::household::HouseholdInput;
use aidmap::need::NeedInput;
use aidmap::store::schema;
use aidmap::vocab::{Category, Urgency};
use aidmap::{Error, OpenMode, Store};
use rand::{RngCore, SeedableRng};
use rusqlite::Connection;

use crate::util::*;

/// Every table's definition and columns (`pragma_table_info`) and every index, comparable as text.
fn schema_of(conn: &Connection) -> Vec<String> {
    let mut out = Vec::new();
    let mut tables = conn
        .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .unwrap();
    let tables: Vec<(String, String)> =
        tables.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().collect::<Result<_, _>>().unwrap();
    for (table, sql) in tables {
        out.push(format!("table {table}: {sql}"));
        let mut cols = conn
            .prepare("SELECT cid, name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(?1) ORDER BY cid")
            .unwrap();
        let cols = cols
            .query_map([&table], |r| {
                Ok(format!(
                    "column {table}.{} #{} {} notnull={} default={:?} pk={}",
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, i64>(3)?,
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, i64>(5)?
                ))
            })
            .unwrap();
        out.extend(cols.map(Result::unwrap));
    }
    let mut indexes = conn
        .prepare("SELECT name, tbl_name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') ORDER BY name")
        .unwrap();
    let indexes = indexes
        .query_map([], |r| {
            Ok(format!(
                "index {} on {}: {:?}",
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?
            ))
        })
        .unwrap();
    out.extend(indexes.map(Result::unwrap));
    out
}

fn tables(snapshot: &[String]) -> Vec<&str> {
    snapshot.iter().filter_map(|l| l.strip_prefix("table ")).map(|l| l.split(':').next().unwrap()).collect()
}

/// An operation file with some households and needs, closed again.
fn closed_operation(path: &Path, households: u32) {
    let mut store = Store::create(path, "Closed operation", INSTALLATION).unwrap();
    for i in 0..households {
        let h = store.create_household(&HouseholdInput::at(&format!("Household {i:04}"), 43.73, 7.42)).unwrap();
        store.add_need(&h.id, &NeedInput::new(Category::Water, 6.0, "L", Urgency::High)).unwrap();
    }
}

#[test]
fn fresh_schema_equals_migration_one_upgraded() {
    let dir = tempdir();
    let fresh = new_store(dir.path());

    let mut stepwise = Connection::open(dir.path().join("stepwise.db")).unwrap();
    schema::migrate_to(&mut stepwise, 1).unwrap();
    assert_eq!(schema::version(&stepwise).unwrap(), 1);
    assert_eq!(schema::application_id(&stepwise).unwrap(), schema::APPLICATION_ID);
    schema::migrate(&mut stepwise).unwrap();
    assert_eq!(schema::version(&stepwise).unwrap(), schema::latest_version());

    let expected = schema_of(fresh.conn());
    let expected_tables = [
        "audit",
        "category_default",
        "closure",
        "duplicate_dismissal",
        "household",
        "import_record",
        "item",
        "kit_component",
        "merge_record",
        "need",
        "operation",
    ];
    let more = [
        "placement_queue",
        "plan",
        "plan_need",
        "plan_run",
        "plan_stop",
        "setting",
        "shift",
        "site",
        "stock_level",
        "stock_movement",
        "substitution_group",
        "substitution_member",
        "sync_change",
        "sync_conflict",
        "sync_plan_owner",
        "sync_replica",
        "sync_secret",
        "vehicle",
        "volunteer",
    ];
    assert_eq!(tables(&expected), [&expected_tables[..], &more[..]].concat());
    assert!(expected.iter().any(|l| l.starts_with("index household_name on household")));
    assert!(expected.iter().any(|l| l.starts_with("column need.household_id")));
    assert_eq!(schema_of(&stepwise), expected);
    assert_eq!(schema::version(fresh.conn()).unwrap(), schema::latest_version());
    assert_eq!(schema::application_id(fresh.conn()).unwrap(), schema::APPLICATION_ID);
}

#[test]
fn migrating_twice_is_a_no_op() {
    let dir = tempdir();
    let path = dir.path().join("op.aidmap");
    closed_operation(&path, 3);

    let mut conn = Connection::open(&path).unwrap();
    let (version, snapshot) = (schema::version(&conn).unwrap(), schema_of(&conn));
    schema::migrate(&mut conn).unwrap();
    schema::migrate(&mut conn).unwrap();
    assert_eq!(schema::version(&conn).unwrap(), version);
    assert_eq!(schema_of(&conn), snapshot);
    drop(conn);

    // Opening (which migrates) twice keeps the data and the schema.
    for _ in 0..2 {
        let store = Store::open(&path, INSTALLATION).unwrap();
        assert_eq!(schema_of(store.conn()), snapshot);
        assert_eq!(store.count_households(None).unwrap(), 3);
        assert_eq!(store.needs(None).unwrap().len(), 3);
    }
}

#[test]
fn newer_schema_is_refused_with_too_new() {
    let dir = tempdir();
    let path = dir.path().join("future.aidmap");
    closed_operation(&path, 1);
    let future = schema::latest_version() + 1;
    Connection::open(&path).unwrap().pragma_update(None, "user_version", future).unwrap();
    let before = fs::read(&path).unwrap();

    for mode in [OpenMode::Auto, OpenMode::ReadOnly] {
        match Store::open_with(&path, INSTALLATION, mode) {
            Err(Error::TooNew { found, supported }) => {
                assert_eq!((found, supported), (future, schema::latest_version()));
            }
            other => panic!("expected TooNew, got {:?}", other.map(|_| ())),
        }
    }
    let mut conn = Connection::open(&path).unwrap();
    assert!(matches!(schema::migrate(&mut conn), Err(Error::TooNew { .. })));
    drop(conn);
    assert_eq!(fs::read(&path).unwrap(), before, "a refused file must not change");
}

#[test]
fn sqlite_file_of_another_app_is_refused() {
    let dir = tempdir();
    for app_id in [0x1234_5678, 0] {
        let path = dir.path().join(format!("other-{app_id}.sqlite"));
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "application_id", app_id).unwrap();
        conn.execute_batch(
            "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('keep');",
        )
        .unwrap();
        drop(conn);
        let before = fs::read(&path).unwrap();

        assert!(matches!(Store::open(&path, INSTALLATION), Err(Error::NotAnOperation)), "app id {app_id:#x}");
        assert_eq!(fs::read(&path).unwrap(), before);
        assert!(sidecars(&path).is_empty(), "{:?}", sidecars(&path));
        let conn = Connection::open(&path).unwrap();
        assert_eq!(schema::version(&conn).unwrap(), 0, "must not be migrated");
    }
}

#[test]
fn non_sqlite_files_are_refused_and_left_untouched() {
    let dir = tempdir();
    // Random bytes in whole 4 KiB pages look exactly like an encrypted operation; those are tested
    // with the wrong-passphrase cases in encryption.rs. Any other size cannot be one.
    let mut random = vec![0u8; 64 * 1024 + 100];
    rand_chacha::ChaCha8Rng::seed_from_u64(42).fill_bytes(&mut random);
    let cases: [(&str, Vec<u8>); 4] = [
        ("households.csv", b"name,phone\nAlice Martin,+377 93 15 20 00\n".to_vec()),
        ("random.bin", random),
        ("empty.aidmap", Vec::new()),
        ("short.aidmap", b"SQLite format".to_vec()),
    ];
    for (name, bytes) in cases {
        let path = dir.path().join(name);
        fs::write(&path, &bytes).unwrap();
        for mode in [OpenMode::Auto, OpenMode::ReadOnly] {
            let result = Store::open_with(&path, INSTALLATION, mode);
            assert!(matches!(result, Err(Error::NotAnOperation)), "{name}: {:?}", result.map(|_| ()));
        }
        assert_eq!(fs::read(&path).unwrap(), bytes, "{name} changed");
        assert!(sidecars(&path).is_empty(), "{name}: {:?}", sidecars(&path));
    }
}

#[test]
fn damaged_operation_gives_a_clear_error_and_is_left_untouched() {
    let dir = tempdir();
    let original = dir.path().join("original.aidmap");
    closed_operation(&original, 300);
    let good = fs::read(&original).unwrap();
    assert!(good.len() > 8 * 4096, "the fixture should span many pages ({} bytes)", good.len());

    let mut garbage_pages = good.clone();
    garbage_pages[2 * 4096..good.len() - 4096].fill(0xA5);
    let mut bad_header = good.clone();
    bad_header[16..100].fill(0xFF);
    let cases = [
        ("half", good[..good.len() / 2].to_vec()),
        ("one page", good[..4096].to_vec()),
        ("header only", good[..100].to_vec()),
        ("garbage pages", garbage_pages),
        ("bad header", bad_header),
    ];
    for (name, bytes) in cases {
        let path = dir.path().join(format!("{name}.aidmap"));
        fs::write(&path, &bytes).unwrap();
        let result = Store::open(&path, INSTALLATION);
        match &result {
            Err(e @ (Error::Corrupt(_) | Error::NotAnOperation)) => {
                let message = e.to_string();
                assert!(
                    message.contains("damaged") || message.contains("not an Aidmap operation"),
                    "{name}: {message}"
                );
            }
            other => panic!("{name}: expected Corrupt or NotAnOperation, got {:?}", other.as_ref().map(|_| ())),
        }
        drop(result);
        assert_eq!(fs::read(&path).unwrap(), bytes, "{name} changed");
        assert!(sidecars(&path).is_empty(), "{name}: {:?}", sidecars(&path));
    }
}

#[test]
fn missing_file_is_file_not_found_and_not_created() {
    let dir = tempdir();
    for path in [dir.path().join("nope.aidmap"), dir.path().join("no-dir").join("nope.aidmap")] {
        for mode in [OpenMode::Auto, OpenMode::ReadOnly] {
            assert!(matches!(Store::open_with(&path, INSTALLATION, mode), Err(Error::FileNotFound)));
        }
        assert!(!path.exists());
        assert!(sidecars(&path).is_empty());
    }
}

#[test]
fn read_only_file_opens_read_only() {
    let dir = tempdir();
    let path = dir.path().join("shared.aidmap");
    let id = {
        let mut store = Store::create(&path, "Read-only", INSTALLATION).unwrap();
        let h = store.create_household(&alice()).unwrap();
        store.add_need(&h.id, &NeedInput::new(Category::Food, 1.0, "parcel", Urgency::Normal)).unwrap();
        h.id
    };
    fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).unwrap();
    let before = fs::read(&path).unwrap();

    let mut store = Store::open(&path, INSTALLATION).unwrap();
    assert!(store.read_only());
    assert!(store.info().unwrap().read_only);
    assert_eq!(store.household(&id).unwrap().household.name, "Alice Martin");
    assert_eq!(store.household_pins().unwrap().len(), 1);
    assert_eq!(store.search_households("alice", 10, 0).unwrap().total, 1);
    let need_id = store.needs(None).unwrap()[0].id.clone();

    assert!(matches!(store.create_household(&alice()), Err(Error::ReadOnly)));
    assert!(matches!(store.update_household(&id, &alice()), Err(Error::ReadOnly)));
    assert!(matches!(store.move_household(&id, 43.74, 7.43), Err(Error::ReadOnly)));
    let water = NeedInput::new(Category::Water, 6.0, "L", Urgency::High);
    assert!(matches!(store.add_need(&id, &water), Err(Error::ReadOnly)));
    assert!(matches!(store.set_need_status(&need_id, aidmap::vocab::NeedStatus::Assigned), Err(Error::ReadOnly)));
    // Even a raw statement cannot write through a read-only store.
    assert!(store.conn().execute("DELETE FROM household", []).is_err());
    assert_eq!(store.count_households(None).unwrap(), 1);
    drop(store);
    assert_eq!(fs::read(&path).unwrap(), before);

    // A writable file can be opened read-only on request.
    fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
    let mut store = Store::open_with(&path, INSTALLATION, OpenMode::ReadOnly).unwrap();
    assert!(store.read_only());
    assert!(matches!(store.create_household(&alice()), Err(Error::ReadOnly)));
    assert!(!Store::open(&path, INSTALLATION).unwrap().read_only());
}

#[test]
fn two_stores_on_one_file_write_concurrently() {
    let dir = tempdir();
    let path = dir.path().join("busy.aidmap");
    drop(Store::create(&path, "Two windows", INSTALLATION).unwrap());
    let start = Arc::new(Barrier::new(2));
    let writers: Vec<_> = ["window-a", "window-b"]
        .into_iter()
        .map(|who| {
            let (path, start) = (path.clone(), start.clone());
            std::thread::spawn(move || {
                let mut store = Store::open(&path, who).unwrap();
                start.wait();
                for i in 0..200 {
                    store.create_household(&HouseholdInput::at(&format!("{who} {i}"), 43.73, 7.42)).unwrap();
                }
            })
        })
        .collect();
    for w in writers {
        w.join().expect("writer thread");
    }

    let store = Store::open(&path, INSTALLATION).unwrap();
    let check: String = store.conn().query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(check, "ok");
    assert_eq!(store.count_households(None).unwrap(), 400);
    for who in ["window-a", "window-b"] {
        let n: i64 = store
            .conn()
            .query_row("SELECT COUNT(DISTINCT name) FROM household WHERE updated_by = ?1", [who], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 200, "{who}");
    }
}

#[test]
fn create_refuses_an_existing_path() {
    let dir = tempdir();
    let text = dir.path().join("notes.txt");
    fs::write(&text, "do not overwrite").unwrap();
    let operation = dir.path().join("op.aidmap");
    closed_operation(&operation, 2);
    let op_bytes = fs::read(&operation).unwrap();

    for path in [&text, &operation] {
        assert!(matches!(Store::create(path, "Again", INSTALLATION), Err(Error::FileExists)));
    }
    assert_eq!(fs::read_to_string(&text).unwrap(), "do not overwrite");
    assert_eq!(fs::read(&operation).unwrap(), op_bytes);
    let mut names: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    names.sort();
    assert_eq!(names, ["notes.txt", "op.aidmap"], "no temporary or side files are left behind");
    assert_eq!(Store::open(&operation, INSTALLATION).unwrap().count_households(None).unwrap(), 2);
}

/// Migrations are append-only: a released one is never edited (files written by its release
/// hold exactly what it made, and the schema allow-list compares against it). Each file's
/// SHA-256 (first 16 hex digits) as released; a new migration adds a line here.
#[test]
fn released_migrations_are_never_edited() {
    use sha2::{Digest, Sha256};
    let released = [
        ("0001_init.sql", "4aa82ac149e3b76d"),
        ("0002_household_search.sql", "91ecf9b89561c7fd"),
        ("0003_audit_retention.sql", "9789108692433425"),
        ("0004_closures.sql", "d15ad2ecbd91918e"),
        ("0005_supplies_volunteers.sql", "7d9613c48dba655c"),
        ("0006_imports_merges.sql", "f85bf66752d5e5f3"),
        ("0007_plans.sql", "0e899e778f058dbe"),
        ("0008_driver_notes.sql", "f21a63240933f4f7"),
        // Schema 9's merge_record.folded_needs was added within the session that introduced
        // schema 9, before it was first released (stop 20); the released file is this one.
        ("0009_need_items.sql", "68d0322f4c54545c"),
        ("0010_doubted_coordinates.sql", "cd2b3bd33346200a"),
        ("0011_audit_chain.sql", "9af1ecce216bc9f9"),
        ("0012_replicas.sql", "609cf7fdac336e8c"),
        ("0013_landmarks.sql", "c305135514de0005"),
    ];
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    for (name, expected) in released {
        let digest = Sha256::digest(std::fs::read(dir.join(name)).unwrap());
        let hex: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, expected, "{name} was edited: add a new migration instead");
    }
    let files = std::fs::read_dir(&dir)
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().extension().is_some_and(|x| x == "sql"))
        .count();
    assert_eq!(files, released.len(), "a new migration: add its digest here once it is released");
}
