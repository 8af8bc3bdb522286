//! The two queries every table module makes: one row by id, and a list.

use rusqlite::{Connection, OptionalExtension, Params, Row};

use crate::error::{Error, Result};

/// The row `sql` selects by `id`, or `NotFound(what)`.
pub fn one<T>(
    conn: &Connection,
    sql: &str,
    id: &str,
    what: &'static str,
    map: fn(&Row<'_>) -> rusqlite::Result<T>,
) -> Result<T> {
    conn.prepare_cached(sql)?.query_row([id], map).optional()?.ok_or(Error::NotFound(what))
}

/// Every row `sql` selects.
pub fn all<T>(
    conn: &Connection,
    sql: &str,
    params: impl Params,
    map: fn(&Row<'_>) -> rusqlite::Result<T>,
) -> Result<Vec<T>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map(params, map)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
