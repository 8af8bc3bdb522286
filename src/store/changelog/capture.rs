//! Turns what a write transaction changed into changes in the log (see the module's text).

use rusqlite::types::Value;
use rusqlite::Transaction;
use serde_json::{Map, Value as Json};

use super::hlc::Hlc;
use super::replica::{advance, ensure_self, Place, SelfReplica};
use super::{current, insert, installed, to_json, LoggedChange, Mode, SYNCED};
use crate::clock::Stamp;
use crate::error::{Error, Result};

/// Records in `sync_change` every record the transaction changed, as this replica's changes.
/// Returns how many it recorded.
pub(crate) fn capture(tx: &Transaction<'_>, stamp: &Stamp, place: &Place) -> Result<usize> {
    if !installed(tx)? {
        return Ok(0);
    }
    let now_ms = chrono::DateTime::parse_from_rfc3339(&stamp.now).map(|t| t.timestamp_millis()).unwrap_or_default();
    let mut me: Option<SelfReplica> = None;
    let mut recorded = Vec::new();
    for s in SYNCED {
        let all = s.all_columns(tx)?;
        let rows: Vec<(Vec<Value>, bool)> = {
            let mut stmt = tx.prepare_cached(&format!("SELECT {}, _existed FROM {}", all.join(", "), s.temp()))?;
            let rows = stmt.query_map([], |r| {
                let values = (0..all.len()).map(|i| r.get::<_, Value>(i)).collect::<rusqlite::Result<Vec<_>>>()?;
                Ok((values, r.get::<_, i64>(all.len())? == 1))
            })?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        if rows.is_empty() {
            continue;
        }
        tx.prepare_cached(&format!("DELETE FROM {}", s.temp()))?.execute([])?;
        let cols = s.columns(tx)?;
        let at = |name: &str| all.iter().position(|c| c == name).expect("a column of the table");
        for (old, existed) in rows {
            let key: Vec<Value> = s.key.iter().map(|k| old[at(k)].clone()).collect();
            let record = s.record_id(&key)?;
            if s.local_records.contains(&record.as_str()) {
                continue;
            }
            let new = current(tx, s, &cols, &key)?;
            // Each replica keeps its own record of exchanging changes: sending it on would make
            // every import a change to send back, for ever.
            if s.table == "audit" && new.as_ref().and_then(|row| row.get(3)) == Some(&Value::Text("sync".into())) {
                continue;
            }
            let mut fields = Map::new();
            let kind = match (existed, new) {
                (false, None) => continue,
                (false, Some(now)) => {
                    for (c, v) in cols.iter().zip(&now) {
                        fields.insert(c.clone(), Json::Array(vec![Json::Null, to_json(v)?]));
                    }
                    if s.mode == Mode::Append {
                        "append"
                    } else {
                        "create"
                    }
                }
                (true, None) => "delete",
                (true, Some(now)) => {
                    for (c, v) in cols.iter().zip(&now) {
                        let before = &old[at(c)];
                        if before != v {
                            fields.insert(c.clone(), Json::Array(vec![to_json(before)?, to_json(v)?]));
                        }
                    }
                    if fields.is_empty() {
                        continue;
                    }
                    // A purge carries every personal field, blanked, even those already blank:
                    // a replica that had another value must blank it too.
                    if fields.get("purged_at").is_some_and(|p| p[0].is_null() && !p[1].is_null()) {
                        for f in super::personal(s.table) {
                            if let Some(i) = cols.iter().position(|c| c == f) {
                                fields
                                    .entry(f.to_string())
                                    .or_insert(Json::Array(vec![to_json(&old[at(f)])?, to_json(&now[i])?]));
                            }
                        }
                    }
                    "set"
                }
            };
            let me = match &mut me {
                Some(me) => me,
                None => me.insert(ensure_self(tx, place)?),
            };
            if s.mode == Mode::Owned {
                // The plan the row belonged to and the plan it belongs to now: both must be ours.
                let plan_col = if s.table == "plan" { "id" } else { "plan_id" };
                let now_plan = current(tx, s, &[plan_col.to_string()], &key)?.and_then(|row| row.into_iter().next());
                // A run whose shift was removed keeps its driver as planned: clearing the shift
                // (the foreign key's SET NULL) is no change to another laptop's plan.
                let shift_cleared = s.table == "plan_run"
                    && kind == "set"
                    && fields.keys().all(|f| f == "shift_id")
                    && fields.get("shift_id").is_some_and(|p| p[1].is_null());
                if !shift_cleared {
                    for plan in [Some(old[at(plan_col)].clone()), now_plan].into_iter().flatten() {
                        check_owner(tx, s.table, &record, &plan, kind, me)?;
                    }
                }
            }
            me.seq += 1;
            me.hlc = Hlc::tick(me.hlc, now_ms);
            let mut change = LoggedChange {
                replica: me.id.clone(),
                seq: me.seq,
                hlc: me.hlc.to_string(),
                entity: s.table.to_string(),
                record,
                kind: kind.to_string(),
                fields,
                operator: stamp.operator.clone(),
                at: stamp.now.clone(),
                signature: String::new(),
            };
            log_own(tx, &mut change, me)?;
            recorded.push(change);
        }
    }
    if let Some(me) = &me {
        advance(tx, me)?;
    }
    for change in &recorded {
        super::merge::after_insert(tx, change)?;
    }
    // A name freed here may be the one another hub's item was given.
    if recorded.iter().any(|c| c.entity == "item" && (c.kind != "set" || c.fields.contains_key("name"))) {
        super::names::settle(tx)?;
    }
    // A household back here (a merge undone): needs added elsewhere for it return to it.
    for c in recorded.iter().filter(|c| c.entity == "household" && c.kind == "create") {
        super::merge::needs_come_back(tx, &c.record)?;
    }
    super::forget_pending(tx)?;
    Ok(recorded.len())
}

/// Signs a change of this replica and adds it to the log; its number must be new.
fn log_own(tx: &Transaction<'_>, change: &mut LoggedChange, me: &SelfReplica) -> Result<()> {
    change.sign(&me.secret)?;
    if !insert(tx, change)? {
        return Err(Error::Internal("this replica's change number was used already".into()));
    }
    Ok(())
}

/// Only the replica that made a plan changes it.
fn check_owner(
    tx: &Transaction<'_>,
    table: &str,
    record: &str,
    plan: &Value,
    kind: &str,
    me: &SelfReplica,
) -> Result<()> {
    let plan_id = match plan {
        Value::Text(id) => id.clone(),
        _ => return Ok(()),
    };
    let owner: Option<String> = rusqlite::OptionalExtension::optional(
        tx.prepare_cached("SELECT replica FROM sync_plan_owner WHERE plan_id = ?1")?
            .query_row([&plan_id], |r| r.get(0)),
    )?;
    match owner {
        None if table == "plan" && kind == "create" => {
            tx.prepare_cached("INSERT INTO sync_plan_owner (plan_id, replica) VALUES (?1, ?2)")?
                .execute([record, me.id.as_str()])?;
            Ok(())
        }
        None => Ok(()),
        Some(owner) if owner == me.id => Ok(()),
        Some(owner) => {
            let name: Option<String> = rusqlite::OptionalExtension::optional(
                tx.prepare_cached("SELECT name FROM sync_replica WHERE id = ?1")?.query_row([&owner], |r| r.get(0)),
            )?;
            Err(Error::OwnedElsewhere(name.filter(|n| !n.is_empty()).unwrap_or(owner)))
        }
    }
}

/// Settles a conflict with the value a person chose (`value`, one of the two): a change of this
/// replica from the value shown now, even when it keeps that value, so every replica sees the
/// conflict settled.
pub fn choose(
    tx: &Transaction<'_>,
    stamp: &Stamp,
    place: &Place,
    entity: &str,
    record: &str,
    field: &str,
    value: &Json,
) -> Result<()> {
    let s = super::synced(entity).ok_or_else(|| Error::NotFound("record"))?;
    let cols = s.columns(tx)?;
    let i = cols.iter().position(|c| c == field).ok_or_else(|| Error::NotFound("field"))?;
    let row = current(tx, s, &cols, &s.key_of(record)?)?.ok_or_else(|| Error::NotFound("record"))?;
    super::from_json(value)?;
    let mut me = ensure_self(tx, place)?;
    let now_ms = chrono::DateTime::parse_from_rfc3339(&stamp.now).map(|t| t.timestamp_millis()).unwrap_or_default();
    me.seq += 1;
    me.hlc = Hlc::tick(me.hlc, now_ms);
    let mut fields = Map::new();
    fields.insert(field.to_string(), Json::Array(vec![to_json(&row[i])?, value.clone()]));
    if s.mode == Mode::Owned {
        return Err(Error::Internal("plans are not merged field by field in review".into()));
    }
    let mut change = LoggedChange {
        replica: me.id.clone(),
        seq: me.seq,
        hlc: me.hlc.to_string(),
        entity: entity.to_string(),
        record: record.to_string(),
        kind: "set".into(),
        fields,
        operator: stamp.operator.clone(),
        at: stamp.now.clone(),
        signature: String::new(),
    };
    log_own(tx, &mut change, &me)?;
    advance(tx, &me)?;
    super::merge::materialize(tx, s, record)?;
    super::merge::refresh_conflicts(tx, entity, record)?;
    if entity == "item" {
        super::names::settle(tx)?;
    }
    super::forget_pending(tx)?;
    Ok(())
}
