//! An operation file is untrusted input: it may come on a USB stick from another hub, as a
//! backup, or be edited by hand. SQLite runs whatever a file's schema holds — triggers fire on
//! our own writes, views run on our reads — so before any use a file's schema must be exactly
//! the one Aidmap's migrations make for its version (`check_schema`), and every connection is
//! hardened: defensive mode (no writes to the schema or shadow tables), `trusted_schema=OFF`
//! (no SQL functions with side effects from the schema), and limits on string/blob length and
//! statement size. While a file is being checked a deadline stops any statement that runs too
//! long (a recursive view, a huge `quick_check`).

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use rusqlite::config::DbConfig;
use rusqlite::limits::Limit;
use rusqlite::Connection;

use crate::error::{Error, Result};

/// The longest string or blob a connection accepts (the largest thing Aidmap stores is a plan's
/// JSON or an import row; 64 MiB is far beyond both).
pub const MAX_VALUE_BYTES: i32 = 64 * 1024 * 1024;
/// How long opening checks may run before the file is given up on.
pub const CHECK_DEADLINE: Duration = Duration::from_secs(30);

/// Defensive mode and no trusted schema: for every connection to a file from outside
/// (operations, region packs).
pub fn defend(conn: &Connection) -> Result<()> {
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA, false)?;
    conn.pragma_update(None, "trusted_schema", false)?;
    Ok(())
}

/// Hardens a connection to an operation before it reads anything of the file's.
pub fn harden(conn: &Connection) -> Result<()> {
    defend(conn)?;
    conn.set_limit(Limit::SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)?;
    conn.set_limit(Limit::SQLITE_LIMIT_SQL_LENGTH, 1_000_000)?;
    conn.set_limit(Limit::SQLITE_LIMIT_TRIGGER_DEPTH, 10)?;
    Ok(())
}

/// Runs `f` with a deadline: a statement still running after `limit` is interrupted and the
/// file is reported damaged.
pub fn with_deadline<T>(conn: &Connection, limit: Duration, f: impl FnOnce() -> Result<T>) -> Result<T> {
    let until = Instant::now() + limit;
    conn.progress_handler(10_000, Some(move || Instant::now() > until));
    let out = f();
    conn.progress_handler(10_000, None::<fn() -> bool>);
    match out {
        Err(Error::Sqlite(e)) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::OperationInterrupted) => {
            Err(Error::Corrupt("checking the file took too long".into()))
        }
        other => other,
    }
}

/// One schema object as compared: type, name, table, and its SQL with whitespace normalised.
type Entry = (String, String, String, String);

fn normalise(sql: &str) -> String {
    sql.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn entries(conn: &Connection) -> Result<Vec<Entry>> {
    let mut stmt =
        conn.prepare("SELECT type, name, tbl_name, COALESCE(sql, '') FROM sqlite_schema ORDER BY type, name")?;
    let rows = stmt.query_map([], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (kind, name, table, sql) = row?;
        // Tables SQLite keeps for itself (AUTOINCREMENT counters, ANALYZE statistics) hold no
        // code; their contents are data, checked like any data.
        if kind == "table" && name.starts_with("sqlite_") {
            continue;
        }
        out.push((kind, name, table, normalise(&sql)));
    }
    Ok(out)
}

/// The schema the migrations make for `version`, built once per version in memory.
fn expected(version: u32) -> Result<Vec<Entry>> {
    static CACHE: OnceLock<Mutex<HashMap<u32, Vec<Entry>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(e) = cache.lock().map_err(|_| Error::Internal("schema cache".into()))?.get(&version) {
        return Ok(e.clone());
    }
    let mut conn = Connection::open_in_memory()?;
    super::schema::migrate_to(&mut conn, version)?;
    let made = entries(&conn)?;
    cache.lock().map_err(|_| Error::Internal("schema cache".into()))?.insert(version, made.clone());
    Ok(made)
}

/// What differs between a file's schema and the one its version should have, as names only.
pub fn schema_differences(conn: &Connection, version: u32) -> Result<Vec<String>> {
    let want = expected(version)?;
    let have = entries(conn)?;
    let mut out = Vec::new();
    for e in &have {
        if !want.contains(e) {
            let changed = want.iter().any(|w| w.0 == e.0 && w.1 == e.1);
            out.push(format!("{} {} {}", if changed { "changed" } else { "extra" }, e.0, e.1));
        }
    }
    for w in &want {
        if !have.iter().any(|e| e.0 == w.0 && e.1 == w.1) {
            out.push(format!("missing {} {}", w.0, w.1));
        }
    }
    Ok(out)
}

/// Refuses a file whose schema is not exactly what Aidmap makes for its version.
pub fn check_schema(conn: &Connection, version: u32) -> Result<()> {
    let differences = schema_differences(conn, version)?;
    if differences.is_empty() {
        Ok(())
    } else {
        Err(Error::SchemaChanged(differences.join(", ")))
    }
}
