//! Consistent, verified copies of an open operation: backups, restores, re-keying and
//! encrypting a plain file all go through `copy_verified`. The copy is a new file with the
//! schema the migrations make for the source's version, filled table by table from the source
//! attached to it, inside one read transaction, so it is a snapshot — never a raw file copy of
//! a live database, and never the source's schema (a received file's triggers and views stay
//! behind; `sqlcipher_export` copied them). Why not `VACUUM INTO` or the backup API: both copy
//! pages under the source's own key, while re-keying and encrypting need a copy under another
//! key. It is written under a temporary name, checked (application
//! id, schema version, full integrity check, foreign keys, row counts per table) and only then
//! renamed into place.

use std::collections::BTreeMap;
use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use super::crypto::Key;
use super::schema;
use crate::error::{Error, Result};

/// Rows per table: what a copy must match.
pub(crate) type Counts = BTreeMap<String, i64>;

pub(crate) fn counts(conn: &Connection, db: &str) -> Result<Counts> {
    let tables: Vec<String> = conn
        .prepare(&format!(
            "SELECT name FROM {db}.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        ))?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Counts::new();
    for t in tables {
        let n: i64 = conn.query_row(&format!("SELECT COUNT(*) FROM {db}.\"{t}\""), [], |r| r.get(0))?;
        out.insert(t, n);
    }
    Ok(out)
}

use crate::files::{rename_durably, sibling};

/// Writes a verified copy of the operation at `src` (opened with `src_key`) to `dest` (which
/// must not exist), encrypted with `key` or plain without one.
pub(crate) fn copy_verified(src: &Path, src_key: Option<&Key>, dest: &Path, key: Option<&Key>) -> Result<()> {
    if dest.exists() {
        return Err(Error::FileExists);
    }
    let tmp = sibling(dest, ".partial");
    crate::files::remove_with_sidecars(&tmp);
    let result = export(src, src_key, &tmp, key).and_then(|expected| check(&tmp, key, &expected));
    if let Err(e) = result {
        crate::files::remove_with_sidecars(&tmp);
        return Err(e);
    }
    if let Err(e) = rename_durably(&tmp, dest) {
        crate::files::remove_with_sidecars(&tmp);
        return Err(e);
    }
    Ok(())
}

/// Copies through a connection of its own (an in-memory hub with source and copy attached), so it
/// works the same for a read-only store, a live one (WAL readers see every committed change) and
/// a backup being restored.
fn export(src: &Path, src_key: Option<&Key>, tmp: &Path, key: Option<&Key>) -> Result<Counts> {
    let triggers = fresh_schema(src, src_key, tmp, key)?;
    let expected = export_data(src, src_key, tmp, key)?;
    // The copy's triggers, back exactly as the migrations wrote them.
    let dest = Connection::open(tmp)?;
    super::guard::harden(&dest)?;
    if let Some(key) = key {
        key.apply(&dest)?;
    }
    for sql in triggers {
        dest.execute_batch(&format!("{sql};"))?;
    }
    dest.close().map_err(|(_, e)| Error::from(e))?;
    Ok(expected)
}

/// Creates the copy with the schema the migrations make for the source's version, its triggers
/// set aside (returned, to be put back once the data is in).
fn fresh_schema(src: &Path, src_key: Option<&Key>, tmp: &Path, key: Option<&Key>) -> Result<Vec<String>> {
    let source = Connection::open_with_flags(src, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    super::guard::harden(&source)?;
    if let Some(k) = src_key {
        k.apply(&source)?;
    }
    let version = schema::version(&source)?;
    drop(source);
    let mut dest = Connection::open(tmp)?;
    super::guard::harden(&dest)?;
    if let Some(key) = key {
        key.apply(&dest)?;
    }
    schema::migrate_to(&mut dest, version)?;
    let triggers: Vec<(String, String)> = dest
        .prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' ORDER BY name")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (name, _) in &triggers {
        dest.execute_batch(&format!("DROP TRIGGER \"{name}\";"))?;
    }
    dest.close().map_err(|(_, e)| Error::from(e))?;
    Ok(triggers.into_iter().map(|(_, sql)| sql).collect())
}

fn export_data(src: &Path, src_key: Option<&Key>, tmp: &Path, key: Option<&Key>) -> Result<Counts> {
    let conn = Connection::open_in_memory()?;
    super::guard::harden(&conn)?;
    // Tables are filled in name order, not in the order their references need: the copy's
    // foreign keys are checked whole afterwards (`check`), not row by row.
    conn.pragma_update(None, "foreign_keys", false)?;
    let conn = &conn;
    for (name, path, key) in [("src", src, src_key), ("aidmap_copy", tmp, key)] {
        let raw = key.map(|k| k.raw());
        let key_sql = raw.as_ref().map(|r| r.as_str()).unwrap_or("");
        conn.execute(
            &format!("ATTACH DATABASE ?1 AS {name} KEY ?2"),
            rusqlite::params![path.to_string_lossy(), key_sql],
        )?;
    }
    let result = (|| {
        conn.execute_batch("PRAGMA aidmap_copy.synchronous = FULL; BEGIN;")?;
        let inner = (|| {
            let expected = counts(conn, "src")?;
            // The data goes into the schema the migrations made (`fresh_schema`), table by
            // table, never the source's schema itself: a copy cannot carry a trigger or a view
            // the source might hold. Derived rows (stock levels, open-need counts) come over
            // as they are, with the copy's triggers set aside meanwhile.
            let tables: Vec<String> = conn
                .prepare(
                    "SELECT name FROM aidmap_copy.sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
                )?
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            for t in &tables {
                conn.execute(&format!("INSERT INTO aidmap_copy.\"{t}\" SELECT * FROM src.\"{t}\""), [])?;
            }
            let has_sequence: bool =
                conn.query_row("SELECT COUNT(*) > 0 FROM src.sqlite_schema WHERE name = 'sqlite_sequence'", [], |r| {
                    r.get(0)
                })?;
            if has_sequence {
                conn.execute_batch(
                    "DELETE FROM aidmap_copy.sqlite_sequence;
                     INSERT INTO aidmap_copy.sqlite_sequence (name, seq) SELECT name, seq FROM src.sqlite_sequence;",
                )?;
            }
            Ok::<_, Error>(expected)
        })();
        match inner {
            Ok(expected) => {
                conn.execute_batch("COMMIT;")?;
                Ok(expected)
            }
            Err(e) => {
                let _ = conn.execute_batch("ROLLBACK;");
                Err(e)
            }
        }
    })();
    let detach = conn.execute_batch("DETACH DATABASE aidmap_copy; DETACH DATABASE src;");
    let expected = result?;
    detach?;
    Ok(expected)
}

/// Opens the written copy on its own and checks it thoroughly.
fn check(tmp: &Path, key: Option<&Key>, expected: &Counts) -> Result<()> {
    let conn = Connection::open_with_flags(tmp, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    super::guard::harden(&conn)?;
    if let Some(key) = key {
        key.apply(&conn)?;
    }
    full_check(&conn)?;
    // The copy holds exactly the schema Aidmap makes for its version: sqlcipher_export copies
    // whatever the source's schema holds, so this is checked on the copy too, not only on the
    // source when it was opened.
    super::guard::check_schema(&conn, schema::version(&conn)?)?;
    if &counts(&conn, "main")? != expected {
        return Err(Error::Corrupt("the copy does not hold every row of the original".into()));
    }
    Ok(())
}

/// Application id, full integrity check and foreign keys: what a backup must pass before it is
/// trusted (restore runs this on the backup first).
pub(crate) fn full_check(conn: &Connection) -> Result<()> {
    if schema::application_id(conn)? != schema::APPLICATION_ID {
        return Err(Error::NotAnOperation);
    }
    let integrity: Vec<String> =
        conn.prepare("PRAGMA integrity_check")?.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    if integrity != ["ok"] {
        return Err(Error::Corrupt("integrity check failed".into()));
    }
    let orphans: i64 = conn.query_row("SELECT COUNT(*) FROM pragma_foreign_key_check", [], |r| r.get(0))?;
    if orphans > 0 {
        return Err(Error::Corrupt(format!("{orphans} rows point to records that do not exist")));
    }
    Ok(())
}
