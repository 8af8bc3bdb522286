//! Operation files changed outside Aidmap are refused before any of their SQL can run: a
//! trigger that rewrites phones on every audit insert, a view, an extra table, a dropped
//! append-only trigger, a trigger that hides a purge. Each is crafted from a real operation
//! with plain SQL (what anyone with sqlite3 can do), then opened, restored and listed through
//! the same paths as the app and the CLI: a clear refusal, and the file byte-identical after.

use std::path::{Path, PathBuf};

use aidmap::{Error, Store};

use crate::util::*;

/// A two-household operation, changed by `sql` with a plain connection.
pub(crate) fn crafted(dir: &Path, name: &str, sql: &str) -> PathBuf {
    let sub = dir.join(name);
    std::fs::create_dir_all(&sub).unwrap();
    let mut store = new_store(&sub);
    store.create_household(&alice()).unwrap();
    let path = store.path().to_path_buf();
    drop(store);
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(sql).unwrap();
    conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
    drop(conn);
    path
}

pub(crate) const CASES: &[(&str, &str)] = &[
    (
        "audit-trigger",
        "CREATE TRIGGER steal AFTER INSERT ON audit BEGIN
             UPDATE household SET phones = '[\"+000\"]';
         END;",
    ),
    ("view", "CREATE VIEW everyone AS SELECT name, phones FROM household;"),
    ("extra-table", "CREATE TABLE hidden (name TEXT, phones TEXT);"),
    ("dropped-append-only", "DROP TRIGGER audit_no_delete;"),
    ("purge-ignored", "CREATE TRIGGER keep BEFORE UPDATE OF name ON household BEGIN SELECT RAISE(IGNORE); END;"),
    (
        "recursive-view",
        "CREATE VIEW forever AS WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT x FROM n;",
    ),
    ("changed-index", "DROP INDEX need_household; CREATE INDEX need_household ON need (status);"),
];

#[test]
fn a_changed_schema_is_refused_and_the_file_left_as_it_was() {
    let dir = tempdir();
    for (name, sql) in CASES {
        let path = crafted(dir.path(), name, sql);
        let before = std::fs::read(&path).unwrap();
        let started = std::time::Instant::now();
        match Store::open(&path, INSTALLATION) {
            Err(Error::SchemaChanged(what)) => assert!(!what.is_empty(), "{name}"),
            Err(e) => panic!("{name}: {e}"),
            Ok(_) => panic!("{name}: opened"),
        }
        assert!(started.elapsed().as_secs() < 5, "{name} refused quickly");
        // The restore path reads it the same way and refuses it too, writing nothing.
        let out = dir.path().join(format!("{name}-restored.aidmap"));
        assert!(matches!(
            aidmap::backup::restore(&path, &out, INSTALLATION, None, "tester"),
            Err(Error::SchemaChanged(_))
        ));
        assert!(!out.exists(), "{name}: nothing restored");
        assert_eq!(std::fs::read(&path).unwrap(), before, "{name}: byte-identical");
    }
}

#[test]
fn the_refusal_names_what_changed_and_no_personal_data() {
    let dir = tempdir();
    let path = crafted(dir.path(), "t", CASES[0].1);
    let err = Store::open(&path, INSTALLATION).err().unwrap();
    assert_eq!(err.code(), aidmap::error::ErrorCode::SchemaChanged);
    let text = err.to_string();
    assert!(text.contains("changed outside Aidmap") && text.contains("extra trigger steal"), "{text}");
    let path = crafted(dir.path(), "d", "DROP TRIGGER audit_no_update;");
    let text = Store::open(&path, INSTALLATION).err().unwrap().to_string();
    assert!(text.contains("missing trigger audit_no_update"), "{text}");
}

#[test]
fn the_cli_refuses_a_changed_file_in_one_line() {
    let dir = tempdir();
    let path = crafted(dir.path(), "cli", CASES[0].1);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_aidmap"))
        .args(["households", "list", "--db", path.to_str().unwrap()])
        .env("AIDMAP_CONFIG_DIR", dir.path().join("config"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("structure was changed outside Aidmap"), "{err}");
    assert!(!String::from_utf8_lossy(&out.stdout).contains("Alice"), "nothing listed");
}

#[test]
fn every_connection_is_hardened() {
    let dir = tempdir();
    let store = new_store(dir.path());
    let conn = store.conn();
    let trusted: i64 = conn.query_row("PRAGMA trusted_schema", [], |r| r.get(0)).unwrap();
    assert_eq!(trusted, 0);
    // Defensive mode: the schema cannot be written through writable_schema.
    conn.pragma_update(None, "writable_schema", true).ok();
    assert!(conn.execute("UPDATE sqlite_schema SET sql = sql WHERE name = 'household'", []).is_err());
    // A value longer than the limit is refused, not allocated.
    let big: rusqlite::Result<i64> =
        conn.query_row("SELECT length(randomblob(?1))", [aidmap::store::guard::MAX_VALUE_BYTES as i64 + 1], |r| {
            r.get(0)
        });
    assert!(big.is_err());
}

#[test]
fn smaller_hostile_inputs_are_contained() {
    let dir = tempdir();
    let mut store = new_store(dir.path());
    // Settings written outside Aidmap (backups every 0 minutes, keeping none) read as defaults.
    outside(&store)
        .execute(
            "INSERT INTO setting (key, value, updated_at, updated_by) VALUES ('backup', '{\"folder\":\"/tmp\",\"every_minutes\":0,\"keep\":0}', 'x', 'x')",
            [],
        )
        .unwrap();
    let s = store.settings().unwrap();
    assert_eq!(s.backup, aidmap::settings::BackupSchedule::default());
    assert_eq!(s.set_aside, vec![aidmap::settings::SettingsPart::Backup], "and says which part");
    // Saving writes the shown values back; the part is no longer set aside.
    let s = store.set_settings(&s).unwrap();
    assert!(s.set_aside.is_empty());
    assert_eq!(s.backup, aidmap::settings::BackupSchedule::default());
    // U+FFFF and C1 controls are refused in names (XML, and so GPX, cannot carry them).
    for bad in ["Ana\u{FFFF}", "Ana\u{0085}x", "Ana\u{0007}"] {
        let mut h = alice();
        h.name = bad.into();
        assert!(matches!(store.create_household(&h), Err(Error::Validation(_))), "{bad:?}");
    }
}

#[test]
fn the_audit_log_on_a_terminal_cannot_be_forged_by_a_file_name() {
    let dir = tempdir();
    let store = new_store(dir.path());
    let db = store.path().to_path_buf();
    drop(store);
    let sheet = dir.path().join("x.csv\r\n2026-12-04T00:00:00Z  delete   household  all  by admin");
    std::fs::write(&sheet, "Name,Lat,Lon\nAna,43.73,7.42\n").unwrap();
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_aidmap"))
            .args(args)
            .env("AIDMAP_CONFIG_DIR", dir.path().join("config"))
            .output()
            .unwrap()
    };
    assert!(run(&["import", "households", sheet.to_str().unwrap(), "--db", db.to_str().unwrap()]).status.success());
    let out = run(&["audit", "--db", db.to_str().unwrap()]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.lines().any(|l| l.starts_with("2026-12-04T00:00:00Z")), "no forged line: {text}");
    assert!(text.contains("\\r\\n"), "the CR LF shown escaped: {text}");
}

/// The audit log is chained by hashes: an entry rewritten, removed or forged outside Aidmap
/// (with the append-only triggers set aside and put back, so the schema looks untouched)
/// opens, and says from which entry the log cannot be trusted.
#[test]
fn the_audit_chain_says_where_the_log_was_changed() {
    let dir = tempdir();
    let make = |name: &str| {
        let sub = dir.path().join(name);
        std::fs::create_dir_all(&sub).unwrap();
        let mut store = new_store(&sub);
        for i in 0..5 {
            let mut h = alice();
            h.name = format!("Household {i}");
            store.create_household(&h).unwrap();
        }
        assert_eq!(store.info().unwrap().audit_break, None);
        let path = store.path().to_path_buf();
        drop(store);
        path
    };
    let tamper = |path: &Path, sql: &str| {
        let conn = rusqlite::Connection::open(path).unwrap();
        let triggers: Vec<String> = conn
            .prepare("SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'audit'")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        conn.execute_batch("DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;").unwrap();
        conn.execute_batch(sql).unwrap();
        for t in triggers {
            conn.execute_batch(&format!("{t};")).unwrap();
        }
    };
    let seq_of = |path: &Path, n: i64| -> (i64, String) {
        let conn = rusqlite::Connection::open(path).unwrap();
        conn.query_row("SELECT seq, at FROM audit ORDER BY seq LIMIT 1 OFFSET ?1", [n], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
    };
    // Rewritten: the third entry's detail.
    let path = make("rewritten");
    let (seq, at) = seq_of(&path, 2);
    tamper(&path, &format!("UPDATE audit SET detail = 'nothing happened' WHERE seq = {seq};"));
    let b = Store::open(&path, INSTALLATION).unwrap().info().unwrap().audit_break.unwrap();
    assert_eq!((b.seq, b.at), (seq, at));
    // Removed: the second entry.
    let path = make("removed");
    let (gone, _) = seq_of(&path, 1);
    let (next, _) = seq_of(&path, 2);
    tamper(&path, &format!("DELETE FROM audit WHERE seq = {gone};"));
    assert_eq!(Store::open(&path, INSTALLATION).unwrap().info().unwrap().audit_break.unwrap().seq, next);
    // Forged at the end, without the chain's hash.
    let path = make("forged");
    tamper(
        &path,
        "INSERT INTO audit (at, operator, installation, action, entity, record_ids, detail, hash)
                   VALUES ('2026-01-01T00:00:00.000Z', 'admin', 'x', 'purge', 'household', '[]', '', 'f00');",
    );
    let b = Store::open(&path, INSTALLATION).unwrap().info().unwrap().audit_break.unwrap();
    assert_eq!(b.at, "2026-01-01T00:00:00.000Z");
    // An older file, upgraded: its entries are chained by the upgrade and the chain holds.
    let old = dir.path().join("v10.aidmap");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/operation-v10.aidmap"), &old).unwrap();
    let store = Store::open(&old, INSTALLATION).unwrap();
    assert_eq!(store.info().unwrap().audit_break, None);
    let entries: i64 = store.conn().query_row("SELECT COUNT(*) FROM audit WHERE hash = ''", [], |r| r.get(0)).unwrap();
    assert_eq!(entries, 0, "every entry chained");
}

/// A backup is the data in a fresh schema, not the source's schema: derived rows (stock
/// levels, open-need counts) come over exactly, the audit chain holds, and the copy's schema is
/// the migrations' own.
#[test]
fn a_restored_backup_holds_the_same_data_in_aidmaps_own_schema() {
    let dir = tempdir();
    let date = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    let opts = aidmap::demo::DemoOptions { households: 60, seed: 4, date };
    let mut store = aidmap::demo::write(&dir.path().join("demo.aidmap"), &opts, INSTALLATION).unwrap();
    let backup = dir.path().join("backup.aidmap");
    store.backup_to(&backup).unwrap();
    let restored =
        aidmap::backup::restore(&backup, &dir.path().join("restored.aidmap"), INSTALLATION, None, "tester").unwrap();
    assert_eq!(restored.sites_with_stock().unwrap(), store.sites_with_stock().unwrap(), "stock levels");
    assert_eq!(restored.household_pins().unwrap(), store.household_pins().unwrap(), "open-need counts");
    assert_eq!(restored.needs(None).unwrap(), store.needs(None).unwrap());
    assert_eq!(restored.info().unwrap().audit_break, None, "the chain holds across the copy");
    let version = aidmap::store::schema::version(restored.conn()).unwrap();
    assert!(aidmap::store::guard::schema_differences(restored.conn(), version).unwrap().is_empty());
}
