//! Applying another replica's changes: one transaction per bundle, idempotent (a change already
//! in the log is skipped), and refused whole — changing nothing — when any change in it could
//! not be applied as it is.

use std::collections::BTreeSet;

use rusqlite::{OptionalExtension, Transaction};

use super::bundle::{BundleHeader, Refusal};
use crate::clock::Stamp;
use crate::error::Result;
use crate::store::changelog::hlc::Hlc;
use crate::store::changelog::{self, from_json, synced, LoggedChange, Mode, SelfReplica, SYNCED};

/// Checks a received change against what this release knows, and that its origin signed it
/// (`origin_key`), before anything is written.
fn check(
    c: &LoggedChange,
    header: &BundleHeader,
    origin_key: &str,
    conn: &Transaction<'_>,
) -> std::result::Result<(), Refusal> {
    let bad = |why: &str| Refusal::BadChange(why.to_string());
    if c.replica != header.origin || c.seq < header.first_seq || c.seq > header.last_seq {
        return Err(bad("a change outside the bundle's range"));
    }
    let s = synced(&c.entity).ok_or_else(|| bad("an unknown kind of record"))?;
    let kind_ok = match s.mode {
        Mode::Append => c.kind == "append",
        _ => matches!(c.kind.as_str(), "create" | "set" | "delete"),
    };
    if !kind_ok {
        return Err(bad("a change of an unknown kind"));
    }
    let cols = s.columns(conn).map_err(|_| bad("a record's fields"))?;
    let personal = changelog::personal(&c.entity);
    for (field, entry) in &c.fields {
        if !cols.contains(field) {
            return Err(bad("an unknown field"));
        }
        match entry {
            serde_json::Value::Array(p) if p.len() == 2 && from_json(&p[0]).is_ok() && from_json(&p[1]).is_ok() => {}
            // Only a purged record's personal fields are kept as hashes.
            serde_json::Value::Object(_) if personal.contains(&field.as_str()) => {}
            _ => return Err(bad("a field's value")),
        }
    }
    if c.kind == "create" || c.kind == "append" {
        // A purged record's creation no longer holds its personal fields (`scrub_if_purged`).
        if cols.iter().any(|col| !c.fields.contains_key(col) && !personal.contains(&col.as_str())) {
            return Err(bad("a new record without all its fields"));
        }
    }
    if s.mode != Mode::Append {
        // One record, one id: the key in its one written form, never changed by a field.
        let key = s.key_of(&c.record).map_err(|_| bad("a record id"))?;
        if key.iter().any(|k| !matches!(k, rusqlite::types::Value::Text(_)))
            || s.record_id(&key).ok().as_deref() != Some(c.record.as_str())
        {
            return Err(bad("a record id"));
        }
        for (name, part) in s.key.iter().zip(&key) {
            match (c.kind.as_str(), c.after(name)) {
                ("create", Some(after)) if from_json(after).ok().as_ref() == Some(part) => {}
                ("create", _) => return Err(bad("a new record under another id")),
                (_, Some(_)) => return Err(bad("a change of a record's id")),
                _ => {}
            }
        }
        // What is this laptop's alone (where it backs up) never comes from another.
        if s.local_records.contains(&c.record.as_str()) {
            return Err(bad("a setting of another laptop"));
        }
    }
    c.hlc.parse::<Hlc>().map_err(|_| bad("a clock reading"))?;
    if !c.verify(origin_key) {
        return Err(bad("a change its replica did not sign"));
    }
    Ok(())
}

/// The plans a change of a plan's table touches: the row's plan here and the one it names.
fn plans_of(tx: &Transaction<'_>, c: &LoggedChange) -> Result<Vec<String>> {
    let mut out = Vec::new();
    match c.entity.as_str() {
        "plan" => out.push(c.record.clone()),
        "plan_need" => {
            if let Some(rusqlite::types::Value::Text(t)) =
                synced("plan_need").expect("synced").key_of(&c.record)?.first()
            {
                out.push(t.clone());
            }
        }
        table => {
            let here: Option<String> = tx
                .query_row(&format!("SELECT plan_id FROM main.{table} WHERE id = ?1"), [&c.record], |r| r.get(0))
                .optional()?;
            out.extend(here);
        }
    }
    if let Some(plan) = c.after("plan_id").and_then(|v| v.as_str()) {
        out.push(plan.to_string());
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// What applying one bundle did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Applied {
    /// Changes new to this replica.
    pub changes: u64,
    /// Records whose fields now have a conflict waiting for review.
    pub conflicts: u64,
}

/// Applies `changes` (the bundle's payload) in the caller's transaction.
pub fn apply(
    tx: &Transaction<'_>,
    stamp: &Stamp,
    me: &SelfReplica,
    header: &BundleHeader,
    origin_key: &str,
    changes: &[LoggedChange],
    now_ms: i64,
) -> Result<std::result::Result<Applied, Refusal>> {
    let last: i64 = tx
        .query_row("SELECT last_seq FROM sync_replica WHERE id = ?1", [&header.origin], |r| r.get(0))
        .optional()?
        .unwrap_or(0);
    let last = last as u64;
    if header.last_seq <= last {
        return Ok(Err(Refusal::AlreadyApplied { replica: header.origin.clone(), last_applied: last }));
    }
    if header.first_seq > last + 1 {
        return Ok(Err(Refusal::Gap { replica: header.origin.clone(), first: last + 1, last: header.first_seq - 1 }));
    }
    let expected = header.last_seq - header.first_seq + 1;
    if changes.len() as u64 != expected || changes.iter().enumerate().any(|(i, c)| c.seq != header.first_seq + i as u64)
    {
        return Ok(Err(Refusal::BadChange("the bundle's changes do not match its range".into())));
    }
    for c in changes {
        if let Err(refusal) = check(c, header, origin_key, tx) {
            return Ok(Err(refusal));
        }
    }
    let mut clock = me.hlc;
    for c in changes.iter().filter(|c| c.seq > last) {
        let reading: Hlc = c.hlc.parse()?;
        clock = match Hlc::receive(clock, reading, now_ms) {
            Ok(clock) => clock,
            Err(_) => {
                return Ok(Err(Refusal::BadChange(
                    "a change dated more than a day ahead of this laptop's clock (check the clocks)".into(),
                )))
            }
        };
    }
    // Plans change only on the replica that made them.
    for c in changes.iter().filter(|c| c.seq > last && synced(&c.entity).is_some_and(|s| s.mode == Mode::Owned)) {
        // A run whose shift was removed on another laptop: the foreign key's SET NULL.
        if c.entity == "plan_run"
            && c.kind == "set"
            && c.fields.len() == 1
            && c.after("shift_id").is_some_and(|v| v.is_null())
        {
            continue;
        }
        // The plan the row is in here, and the plan the change puts it in: both the origin's.
        for plan in plans_of(tx, c)? {
            let owner: Option<String> = tx
                .query_row("SELECT replica FROM sync_plan_owner WHERE plan_id = ?1", [&plan], |r| r.get(0))
                .optional()?;
            match owner {
                None if c.entity == "plan" && c.kind == "create" => {
                    tx.execute("INSERT INTO sync_plan_owner (plan_id, replica) VALUES (?1, ?2)", [&plan, &c.replica])?;
                }
                Some(owner) if owner == c.replica => {}
                _ => return Ok(Err(Refusal::BadChange("a change to a plan by a replica that did not make it".into()))),
            }
        }
    }
    tx.execute_batch("PRAGMA defer_foreign_keys = ON")?;
    let mut fresh = Vec::new();
    for c in changes.iter().filter(|c| c.seq > last) {
        if changelog::insert(tx, c)? {
            fresh.push(c);
        }
    }
    // Each touched record once, parents before children.
    let touched: BTreeSet<(usize, &str, &str)> = fresh
        .iter()
        .filter(|c| c.kind != "append")
        .map(|c| {
            (
                SYNCED.iter().position(|s| s.table == c.entity).unwrap_or(usize::MAX),
                c.entity.as_str(),
                c.record.as_str(),
            )
        })
        .collect();
    for c in fresh.iter().filter(|c| c.kind == "append") {
        changelog::append(tx, c)?;
    }
    let mut conflicts = 0;
    for (_, entity, record) in &touched {
        let s = synced(entity).expect("checked");
        changelog::scrub_if_purged(tx, entity, record)?;
        changelog::materialize(tx, s, record)?;
        changelog::refresh_conflicts(tx, entity, record)?;
        conflicts += tx.query_row(
            "SELECT COUNT(DISTINCT field) FROM sync_conflict WHERE entity = ?1 AND record = ?2",
            [entity, record],
            |r| r.get::<_, i64>(0),
        )? as u64;
    }
    // Two hubs may have given items one name: settled alike everywhere (`changelog::names`).
    if touched.iter().any(|(_, entity, _)| *entity == "item") {
        changelog::settle_names(tx)?;
    }
    changelog::forget_pending(tx)?;
    tx.execute(
        "UPDATE sync_replica SET last_seq = ?2, last_contact = ?3 WHERE id = ?1",
        rusqlite::params![header.origin, header.last_seq as i64, stamp.now],
    )?;
    let has_of_ours = header.seen.get(&me.id).copied().unwrap_or(0) as i64;
    tx.execute(
        "UPDATE sync_replica SET last_contact = ?2, has_of_ours = MAX(has_of_ours, ?3),
            name = CASE WHEN ?4 = '' THEN name ELSE ?4 END WHERE id = ?1",
        rusqlite::params![header.replica_id, stamp.now, has_of_ours, header.replica_name],
    )?;
    tx.execute("UPDATE sync_replica SET hlc = ?2 WHERE id = ?1", rusqlite::params![me.id, clock.to_string()])?;
    Ok(Ok(Applied { changes: fresh.len() as u64, conflicts }))
}
