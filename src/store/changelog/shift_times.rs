//! A shift's start and end make one span: merged field by field, a start moved later on one
//! laptop and an end moved earlier on another can give a shift that ends before it starts, which
//! no replica can hold. Settled the same way on every replica, from the changes alone: the field
//! changed last keeps its value; the other takes the latest value it had in the log (a change's
//! new value, then the value that change replaced) that keeps the span the right way round — or,
//! when none does, one hour from the kept one. `adjusted` lists the shifts shown with other times
//! than their last changes say, for the hub panel.

use std::collections::BTreeMap;

use rusqlite::Connection;
use serde_json::Value as Json;

use super::{installed, LoggedChange};
use crate::error::Result;

/// A shift shown with other times than the changes merged field by field would give it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adjusted {
    pub id: String,
    /// Its times here (UTC, RFC 3339).
    pub starts_at: String,
    pub ends_at: String,
    /// What its last changes gave each field, ending before it starts.
    pub merged_starts_at: String,
    pub merged_ends_at: String,
}

fn text(v: Option<&Json>) -> Option<String> {
    v.and_then(Json::as_str).map(str::to_string)
}

/// The change with the greatest id that set `field`, with its value.
fn last_of<'a>(changes: &'a [LoggedChange], field: &str) -> Option<(&'a LoggedChange, String)> {
    changes.iter().filter_map(|c| Some((c, text(c.after(field))?))).max_by(|a, b| a.0.id().cmp(&b.0.id()))
}

fn shifted(at: &str, hours: i64) -> String {
    chrono::DateTime::parse_from_rfc3339(at)
        .map(|t| crate::clock::timestamp(t.to_utc() + chrono::Duration::hours(hours)))
        .unwrap_or_else(|_| at.to_string())
}

/// The span to hold for a shift whose merged `start` is not before its merged `end`.
pub(super) fn settle(changes: &[LoggedChange], start: &str, end: &str) -> (String, String) {
    let (Some((cs, _)), Some((ce, _))) = (last_of(changes, "starts_at"), last_of(changes, "ends_at")) else {
        return (start.to_string(), shifted(start, 1));
    };
    let keep_start = cs.id() >= ce.id();
    let (other, fits): (&str, Box<dyn Fn(&str) -> bool>) = if keep_start {
        ("ends_at", Box::new(|v: &str| v > start))
    } else {
        ("starts_at", Box::new(|v: &str| v < end))
    };
    let mut of_other: Vec<&LoggedChange> = changes.iter().filter(|c| c.fields.contains_key(other)).collect();
    of_other.sort_by_key(|c| std::cmp::Reverse(c.id()));
    let found = of_other
        .iter()
        .flat_map(|c| {
            let pair = c.field(other);
            [text(pair.map(|p| p.1)), text(pair.map(|p| p.0))]
        })
        .flatten()
        .find(|v| fits(v));
    match (keep_start, found) {
        (true, Some(e)) => (start.to_string(), e),
        (true, None) => (start.to_string(), shifted(start, 1)),
        (false, Some(s)) => (s, end.to_string()),
        (false, None) => (shifted(end, -1), end.to_string()),
    }
}

/// Shifts whose times were settled here (see the module's text).
pub fn adjusted(conn: &Connection) -> Result<Vec<Adjusted>> {
    if !installed(conn)? {
        return Ok(Vec::new());
    }
    let mut stmt = conn.prepare_cached(
        "SELECT replica, seq, hlc, entity, record, kind, fields, operator, at, signature FROM sync_change
         WHERE entity = 'shift' AND kind IN ('create', 'set')",
    )?;
    let mut by_shift: BTreeMap<String, Vec<LoggedChange>> = BTreeMap::new();
    for c in stmt.query_map([], super::read_change)? {
        let c = c??;
        by_shift.entry(c.record.clone()).or_default().push(c);
    }
    let mut row = conn.prepare_cached("SELECT starts_at, ends_at FROM shift WHERE id = ?1")?;
    let mut out = Vec::new();
    for (id, changes) in by_shift {
        let (Some((_, s)), Some((_, e))) = (last_of(&changes, "starts_at"), last_of(&changes, "ends_at")) else {
            continue;
        };
        if e > s {
            continue;
        }
        let here: Option<(String, String)> =
            rusqlite::OptionalExtension::optional(row.query_row([&id], |r| Ok((r.get(0)?, r.get(1)?))))?;
        if let Some((starts_at, ends_at)) = here {
            out.push(Adjusted { id, starts_at, ends_at, merged_starts_at: s, merged_ends_at: e });
        }
    }
    Ok(out)
}
