//! A record's state from its changes: per field, the change with the greatest (HLC, replica
//! id); the record exists when its latest creation or removal is a creation. Conflicts are
//! recomputed from the same set (`register`), so every replica that holds the same changes
//! shows the same values and the same conflicts, whatever order they arrived in.
//!
//! Purge: the change that purges a record carries every personal field (blanked); once a
//! record is purged, the log keeps no personal value of it in any other change, and changes that
//! arrive later (made before the purge was seen) lose their personal fields on arrival.

use std::collections::BTreeSet;

use rusqlite::types::Value;
use rusqlite::{OptionalExtension, Transaction};
use serde_json::Value as Json;

use super::register::{open_conflicts, FieldChange};
use super::{current, from_json, of_record, personal, reviewed, synced, LoggedChange, Mode, Synced};
use crate::error::{Error, Result};

/// Settles what a change just added to the log implies: a purge scrubs the record's log, a
/// change of fields refreshes the record's conflicts.
pub(crate) fn after_insert(tx: &Transaction<'_>, change: &LoggedChange) -> Result<()> {
    scrub_if_purged(tx, &change.entity, &change.record)?;
    if change.kind == "set" && change.fields.keys().any(|f| reviewed(f)) {
        refresh_conflicts(tx, &change.entity, &change.record)?;
    }
    Ok(())
}

/// The change that purged the record, if it is purged (the winner of `purged_at`).
fn purge_change(changes: &[LoggedChange]) -> Option<&LoggedChange> {
    changes
        .iter()
        .filter(|c| c.after("purged_at").is_some())
        .max_by(|a, b| a.id().cmp(&b.id()))
        .filter(|c| c.after("purged_at").is_some_and(|after| !after.is_null()))
}

/// Removes every personal value of a purged record from the log but the purge's own blanks.
pub fn scrub_if_purged(tx: &Transaction<'_>, entity: &str, record: &str) -> Result<()> {
    let fields = personal(entity);
    if fields.is_empty() {
        return Ok(());
    }
    let changes = of_record(tx, entity, record)?;
    let Some(purge) = purge_change(&changes).map(|p| (p.replica.clone(), p.seq)) else { return Ok(()) };
    let mut update = tx.prepare_cached("UPDATE sync_change SET fields = ?3 WHERE replica = ?1 AND seq = ?2")?;
    for c in &changes {
        let mut scrubbed = c.clone();
        let the_purge = c.replica == purge.0 && c.seq == purge.1;
        for f in fields {
            scrubbed.scrub(f, the_purge);
        }
        if scrubbed.fields != c.fields {
            update.execute(rusqlite::params![c.replica, c.seq as i64, serde_json::to_string(&scrubbed.fields)?])?;
        }
    }
    tx.prepare_cached(
        "DELETE FROM sync_conflict WHERE entity = ?1 AND record = ?2 AND field IN (SELECT value FROM json_each(?3))",
    )?
    .execute(rusqlite::params![entity, record, serde_json::to_string(fields)?])?;
    Ok(())
}

/// Recomputes the open conflicts of one record from its changes.
pub fn refresh_conflicts(tx: &Transaction<'_>, entity: &str, record: &str) -> Result<()> {
    let changes = of_record(tx, entity, record)?;
    tx.prepare_cached("DELETE FROM sync_conflict WHERE entity = ?1 AND record = ?2")?.execute([entity, record])?;
    let fields: BTreeSet<&str> =
        changes.iter().flat_map(|c| c.fields.keys().map(String::as_str)).filter(|f| reviewed(f)).collect();
    let mut insert = tx.prepare_cached(
        "INSERT OR IGNORE INTO sync_conflict (entity, record, field, winner_replica, winner_seq, other_replica, other_seq)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for field in fields {
        let of_field: Vec<(&LoggedChange, FieldChange)> = changes
            .iter()
            .filter_map(|c| {
                let (before, after) = c.field(field)?;
                Some((
                    c,
                    FieldChange {
                        id: c.id(),
                        base: (c.kind != "create").then(|| before.clone()),
                        value: after.clone(),
                        operator: c.operator.clone(),
                    },
                ))
            })
            .collect();
        let register: Vec<FieldChange> = of_field.iter().map(|(_, f)| f.clone()).collect();
        for conflict in open_conflicts(&register) {
            let seq_of = |id: &super::register::ChangeId| {
                of_field.iter().find(|(c, _)| c.id() == *id).map(|(c, _)| c.seq as i64).unwrap_or_default()
            };
            insert.execute(rusqlite::params![
                entity,
                record,
                field,
                conflict.winner.replica,
                seq_of(&conflict.winner),
                conflict.other.replica,
                seq_of(&conflict.other)
            ])?;
        }
    }
    Ok(())
}

/// Writes one record as its changes say it is (fields and tables of `Mode::Fields` or `Owned`).
pub fn materialize(tx: &Transaction<'_>, s: &Synced, record: &str) -> Result<()> {
    let changes = of_record(tx, s.table, record)?;
    let key = s.key_of(record)?;
    let cols = s.columns(tx)?;
    let now = current(tx, s, &cols, &key)?;
    let exists = changes
        .iter()
        .filter(|c| c.kind == "create" || c.kind == "delete")
        .max_by(|a, b| a.id().cmp(&b.id()))
        .map(|c| c.kind == "create")
        .unwrap_or(now.is_some());
    let key_where = s.key_where(1);
    if !exists {
        if now.is_some() {
            if s.table == "household" {
                follow_merge(tx, record)?;
            }
            tx.prepare_cached(&format!("DELETE FROM main.{} WHERE {key_where}", s.table))?
                .execute(rusqlite::params_from_iter(key.iter()))?;
        }
        return Ok(());
    }
    let purge = purge_change(&changes);
    let mut values = Vec::with_capacity(cols.len());
    for (i, col) in cols.iter().enumerate() {
        let from = match purge {
            Some(p) if personal(s.table).contains(&col.as_str()) => Some(p),
            _ => changes.iter().filter(|c| c.after(col).is_some()).max_by(|a, b| a.id().cmp(&b.id())),
        };
        let value = match (from.and_then(|c| c.after(col)), &now) {
            (Some(after), _) => from_json(after)?,
            (None, Some(row)) => row[i].clone(),
            // A purged record's creation passed on before its purge arrives: blanks until then.
            (None, None) if personal(s.table).contains(&col.as_str()) => blank(col),
            (None, None) => return Err(Error::Corrupt(format!("a {} record without its field {col}", s.table))),
        };
        values.push(value);
    }
    // A need for a household merged away (on another laptop, before this need was seen there)
    // belongs to the household it was merged into, on every replica alike.
    if s.table == "need" {
        if let Some(i) = cols.iter().position(|c| c == "household_id") {
            if let Value::Text(household) = &values[i] {
                if let Some(kept) = merged_into(tx, household)? {
                    values[i] = Value::Text(kept);
                }
            }
        }
    }
    // A start and an end changed apart may make a span that ends before it starts.
    if s.table == "shift" {
        let at = |name: &str| cols.iter().position(|c| c == name);
        if let (Some(si), Some(ei)) = (at("starts_at"), at("ends_at")) {
            if let (Value::Text(start), Value::Text(end)) = (&values[si], &values[ei]) {
                if end <= start {
                    let (start, end) = super::shift_times::settle(&changes, start, end);
                    values[si] = Value::Text(start);
                    values[ei] = Value::Text(end);
                }
            }
        }
    }
    // Another hub's item may hold the name: a stand-in until `names::settle` gives the right one.
    if s.table == "item" {
        if let Some(i) = cols.iter().position(|c| c == "name") {
            if let Value::Text(name) = &values[i] {
                values[i] = Value::Text(super::names::free_for(tx, record, name)?);
            }
        }
    }
    match &now {
        Some(row) => {
            let changed: Vec<usize> = (0..cols.len()).filter(|&i| row[i] != values[i]).collect();
            if !changed.is_empty() {
                let set =
                    changed.iter().enumerate().map(|(n, &i)| format!("{} = ?{}", cols[i], n + 1)).collect::<Vec<_>>();
                let sql =
                    format!("UPDATE main.{} SET {} WHERE {}", s.table, set.join(", "), s.key_where(changed.len() + 1));
                let params: Vec<&Value> = changed.iter().map(|&i| &values[i]).chain(key.iter()).collect();
                tx.prepare_cached(&sql)?.execute(rusqlite::params_from_iter(params))?;
            }
        }
        None => {
            let marks = (1..=cols.len()).map(|i| format!("?{i}")).collect::<Vec<_>>().join(", ");
            let sql = format!("INSERT INTO main.{} ({}) VALUES ({marks})", s.table, cols.join(", "));
            tx.prepare_cached(&sql)?.execute(rusqlite::params_from_iter(values.iter()))?;
        }
    }
    if s.table == "household" {
        derive_household(tx, record)?;
        if now.is_none() {
            needs_come_back(tx, record)?;
        }
    }
    Ok(())
}

/// Where the household `id` went when it is not here: the household a merge (in the log, so
/// also one whose record is not written yet) kept in its place, followed through later merges.
/// `None` when it is here, or was never merged away.
fn merged_into(tx: &Transaction<'_>, id: &str) -> Result<Option<String>> {
    let mut at = id.to_string();
    let mut moved = false;
    // A chain of merges is short; the bound keeps a cycle (merge, undo, merge back) finite.
    for _ in 0..32 {
        let here: bool = tx
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM main.household WHERE id = ?1)")?
            .query_row([&at], |r| r.get(0))?;
        if here {
            return Ok(moved.then_some(at));
        }
        let kept: Option<String> = tx
            .prepare_cached(
                "SELECT json_extract(fields, '$.kept_id[1]') FROM sync_change
                 WHERE entity = 'merge_record' AND kind = 'create' AND json_extract(fields, '$.merged_id[1]') = ?1
                 ORDER BY hlc DESC, replica DESC LIMIT 1",
            )?
            .query_row([&at], |r| r.get(0))
            .optional()?
            .flatten();
        match kept {
            Some(kept) if kept != at => {
                at = kept;
                moved = true;
            }
            _ => return Ok(None),
        }
    }
    Ok(None)
}

/// Before a household merged away is removed here: the needs still naming it (added on a laptop
/// that had not seen the merge) move to the household it was merged into, instead of going with
/// it. Not a change of theirs: every replica derives the same from the same changes.
fn follow_merge(tx: &Transaction<'_>, household: &str) -> Result<()> {
    let kept: Option<String> = tx
        .prepare_cached(
            "SELECT json_extract(fields, '$.kept_id[1]') FROM sync_change
             WHERE entity = 'merge_record' AND kind = 'create' AND json_extract(fields, '$.merged_id[1]') = ?1
             ORDER BY hlc DESC, replica DESC LIMIT 1",
        )?
        .query_row([household], |r| r.get(0))
        .optional()?
        .flatten();
    if let Some(kept) = kept.filter(|k| k != household) {
        // The kept one may have been merged away in turn (and removed first).
        let kept = merged_into(tx, &kept)?.unwrap_or(kept);
        tx.prepare_cached("UPDATE need SET household_id = ?2 WHERE household_id = ?1")?.execute([household, &kept])?;
    }
    Ok(())
}

/// A household back (a merge undone): the needs whose changes name it are written again, so a
/// need that followed the merge returns to it — whatever order the changes arrived in.
pub(crate) fn needs_come_back(tx: &Transaction<'_>, household: &str) -> Result<()> {
    // Households are removed only by merges: without any, nothing to look for (an import of
    // 100,000 households asks this once per household).
    let merges: bool = tx
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM sync_change WHERE entity = 'merge_record')")?
        .query_row([], |r| r.get(0))?;
    if !merges {
        return Ok(());
    }
    let was_removed: bool = tx
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM sync_change WHERE entity = 'household' AND record = ?1 AND kind = 'delete')",
        )?
        .query_row([household], |r| r.get(0))?;
    if !was_removed {
        return Ok(());
    }
    let needs: Vec<String> = tx
        .prepare_cached(
            "SELECT DISTINCT record FROM sync_change
             WHERE entity = 'need' AND json_extract(fields, '$.household_id[1]') = ?1",
        )?
        .query_map([household], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let s = super::synced("need").expect("a synced table");
    for need in needs {
        materialize(tx, s, &need)?;
    }
    Ok(())
}

/// What a purge leaves in a personal field.
fn blank(col: &str) -> Value {
    match col {
        "name" => Value::Text("—".into()),
        "phones" | "vulnerabilities" | "languages" => Value::Text("[]".into()),
        "lat" | "lon" => Value::Real(0.0),
        _ => Value::Text(String::new()),
    }
}

/// The household's search columns, kept here from its fields (never sent).
fn derive_household(tx: &Transaction<'_>, id: &str) -> Result<()> {
    let (name, address, phones, purged): (String, String, String, bool) = tx
        .prepare_cached("SELECT name, address, phones, purged_at IS NOT NULL FROM household WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
    let (search, phones_search) = if purged {
        (String::new(), String::new())
    } else {
        let phones: Vec<Json> = serde_json::from_str(&phones).unwrap_or_default();
        let numbers: Vec<&str> =
            phones.iter().filter_map(|p| p.get("normalized")?.as_str()).map(|n| n.trim_start_matches('+')).collect();
        (crate::text::household_search_text(&name, &address), numbers.join(" "))
    };
    tx.prepare_cached(
        "UPDATE household SET search_text = ?2, phones_search = ?3
         WHERE id = ?1 AND (search_text IS NOT ?2 OR phones_search IS NOT ?3)",
    )?
    .execute(rusqlite::params![id, search, phones_search])?;
    Ok(())
}

/// Adds a history row another replica added (a stock movement, an audit entry), once.
pub fn append(tx: &Transaction<'_>, change: &LoggedChange) -> Result<()> {
    let s =
        synced(&change.entity).filter(|s| s.mode == Mode::Append).ok_or_else(|| Error::Corrupt("an append".into()))?;
    let cols = s.columns(tx)?;
    let mut values = Vec::with_capacity(cols.len());
    for c in &cols {
        let (_, after) = change.field(c).ok_or_else(|| Error::Corrupt(format!("a {} row without {c}", s.table)))?;
        values.push(from_json(after)?);
    }
    if s.table == "audit" {
        let text = |v: &Value| match v {
            Value::Text(t) => Ok(t.clone()),
            _ => Err(Error::Corrupt("an audit entry".into())),
        };
        let fields: Vec<String> = values.iter().map(text).collect::<Result<_>>()?;
        crate::audit::append_received(tx, &fields)?;
        return Ok(());
    }
    // A movement already here (the same id) is the same movement, arrived by another route.
    let id_at = cols.iter().position(|c| c == "id").ok_or_else(|| Error::Corrupt("a history row".into()))?;
    let exists: bool = tx
        .prepare_cached(&format!("SELECT EXISTS (SELECT 1 FROM main.{} WHERE id = ?1)", s.table))?
        .query_row([&values[id_at]], |r| r.get(0))?;
    if !exists {
        let marks = (1..=cols.len()).map(|i| format!("?{i}")).collect::<Vec<_>>().join(", ");
        let sql = format!("INSERT INTO main.{} ({}) VALUES ({marks})", s.table, cols.join(", "));
        tx.prepare_cached(&sql)?.execute(rusqlite::params_from_iter(values.iter()))?;
    }
    Ok(())
}
