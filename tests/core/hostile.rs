//! Operation files changed outside Aidmap are refused before any of their SQL can run: a
//! trigger that rewrites phones on every audit insert, a view, an extra table, a dropped
//! append-only trigger, a trigger that hides a purge. Each is crafted from a real operation
//! with plain SQL (what anyone with sqlite3 can do), then opened, restored and listed through
//! the same paths as the app and the CLI: a clear refusal, and the file byte-identical after.

use std::path::{Path, PathBuf};

use aidmap::{Error, Store};

use crate::util::*;

/// A two-household operation, changed by `sql` with a plain connection.
fn crafted(dir: &Path, name: &str, sql: &str) -> PathBuf {
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

const CASES: &[(&str, &str)] = &[
    (
        "audit-trigger",
        "CREATE TRIGGER steal AFTER INSERT ON audit BEGIN
             UPDATE household SET phones = '[\"+000\"]';
         END;",
    ),
    ("view", "CREATE VIEW everyone AS SELECT name, phones FROM household;"),
    ("extra-table", "CREATE TABLE hidden (name TEXT, phones TEXT);"),
    ("dropped-append-only", "DROP TRIGGER audit_no_delete;"),
    (
        "purge-ignored",
        "CREATE TRIGGER keep BEFORE UPDATE OF name ON household BEGIN SELECT RAISE(IGNORE); END;",
    ),
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
        conn.query_row("SELECT length(randomblob(?1))", [aidmap::store::guard::MAX_VALUE_BYTES as i64 + 1], |r| r.get(0));
    assert!(big.is_err());
}
