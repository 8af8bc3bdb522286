//! What this replica knows of the others: peers, pending changes, conflicts waiting for review,
//! and stock levels a merge took below zero (to be counted).

use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::bundle::fingerprint;
use crate::audit::AuditAction;
use crate::error::{Error, Result};
use crate::store::changelog::{self, of_record};
use crate::store::{record_change, Store};

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct PeerView {
    pub id: String,
    pub name: String,
    /// `self`, `former` (the copy this one was made from), `accepted`, `held` (waiting for a
    /// person to accept its key).
    pub status: String,
    pub fingerprint: String,
    /// Its changes applied here.
    pub changes: u64,
    /// This replica's changes it had not received when last heard from (for `self`: all of
    /// this replica's changes).
    pub pending: u64,
    pub last_contact: Option<String>,
    /// Accepted because this replica passed its changes on.
    pub vouched_by: Option<String>,
}

/// One side of a conflict: the value and who set it when.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ConflictSide {
    /// The value as JSON text.
    pub value: String,
    pub replica: String,
    pub replica_name: String,
    pub operator: String,
    pub at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ConflictView {
    pub entity: String,
    pub record: String,
    /// What people call the record (a household's name, a need's household and category);
    /// empty when it has no name.
    pub label: String,
    pub field: String,
    /// Shown on every replica: it won by clock.
    pub winner: ConflictSide,
    pub other: ConflictSide,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct StockToCount {
    pub site_id: String,
    pub site: String,
    pub item_id: String,
    pub item: String,
    pub quantity: f64,
}

/// A catalogue item shown under another name than it was given: another hub's item, made
/// earlier, was given that name (`changelog::names`). Renaming one of them settles it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct RenamedItem {
    pub item_id: String,
    /// Its name here, with a number.
    pub shown: String,
    /// The name it was given.
    pub wanted: String,
}

/// A shift whose start and end were changed apart on two laptops, so that merged it would end
/// before it starts: shown with the time its last change kept and the other time it had before
/// (`changelog::shift_times`). Check it with the driver.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct AdjustedShiftView {
    pub shift_id: String,
    pub volunteer: String,
    /// Its times here (UTC, RFC 3339).
    pub starts_at: String,
    pub ends_at: String,
    /// The times the two laptops' changes gave it, merged field by field.
    pub merged_starts_at: String,
    pub merged_ends_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct SyncStatus {
    /// This replica (`None` until its first change).
    pub replica: Option<PeerView>,
    pub peers: Vec<PeerView>,
    pub conflicts: Vec<ConflictView>,
    /// Levels below zero after changes from elsewhere were merged: count the stock.
    pub to_count: Vec<StockToCount>,
    /// Items two hubs gave one name: the later one is numbered.
    pub renamed: Vec<RenamedItem>,
    /// Shifts whose times were changed apart on two laptops.
    pub adjusted_shifts: Vec<AdjustedShiftView>,
}

/// Which value a person keeps in a conflict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum Keep {
    Winner,
    Other,
}

pub fn status(conn: &Connection) -> Result<SyncStatus> {
    let mut stmt = conn.prepare(
        "SELECT id, name, status, public_key, last_seq, has_of_ours, last_contact, vouched_by FROM sync_replica
         ORDER BY status <> 'self', name, id",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, i64>(4)? as u64,
                r.get::<_, i64>(5)? as u64,
                r.get::<_, Option<String>>(6)?,
                r.get::<_, Option<String>>(7)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mine = rows.iter().find(|r| r.2 == "self").map(|r| r.4).unwrap_or(0);
    let mut replica = None;
    let mut peers = Vec::new();
    for (id, name, status, key, changes, has_of_ours, last_contact, vouched_by) in rows {
        let view = PeerView {
            fingerprint: fingerprint(&key),
            pending: if status == "self" { changes } else { mine.saturating_sub(has_of_ours) },
            id,
            name,
            status,
            changes,
            last_contact,
            vouched_by,
        };
        if view.status == "self" {
            replica = Some(view);
        } else {
            peers.push(view);
        }
    }
    let renamed = changelog::renamed(conn)?
        .into_iter()
        .map(|r| RenamedItem { item_id: r.id, shown: r.shown, wanted: r.wanted })
        .collect();
    let mut adjusted_shifts = Vec::new();
    for a in changelog::adjusted_shifts(conn)? {
        let volunteer: String = conn
            .query_row(
                "SELECT v.name FROM shift s JOIN volunteer v ON v.id = s.volunteer_id WHERE s.id = ?1",
                [&a.id],
                |r| r.get(0),
            )
            .unwrap_or_default();
        adjusted_shifts.push(AdjustedShiftView {
            shift_id: a.id,
            volunteer,
            starts_at: a.starts_at,
            ends_at: a.ends_at,
            merged_starts_at: a.merged_starts_at,
            merged_ends_at: a.merged_ends_at,
        });
    }
    Ok(SyncStatus { replica, peers, conflicts: conflicts(conn)?, to_count: to_count(conn)?, renamed, adjusted_shifts })
}

fn replica_name(conn: &Connection, id: &str) -> Result<String> {
    Ok(rusqlite::OptionalExtension::optional(conn.query_row(
        "SELECT name FROM sync_replica WHERE id = ?1",
        [id],
        |r| r.get::<_, String>(0),
    ))?
    .unwrap_or_default())
}

fn conflicts(conn: &Connection) -> Result<Vec<ConflictView>> {
    let mut stmt = conn.prepare(
        "SELECT entity, record, field, winner_replica, winner_seq, other_replica, other_seq FROM sync_conflict
         ORDER BY entity, record, field",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, i64>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, i64>(6)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut out = Vec::new();
    for (entity, record, field, wr, ws, or, os) in rows {
        let changes = of_record(conn, &entity, &record)?;
        let side = |replica: &str, seq: i64| -> Result<ConflictSide> {
            let c = changes
                .iter()
                .find(|c| c.replica == replica && c.seq == seq as u64)
                .ok_or_else(|| Error::Corrupt("a conflict names a change the log lacks".into()))?;
            let value = c.field(&field).map(|(_, after)| after.to_string()).unwrap_or_default();
            Ok(ConflictSide {
                value,
                replica: replica.to_string(),
                replica_name: replica_name(conn, replica)?,
                operator: c.operator.clone(),
                at: c.at.clone(),
            })
        };
        out.push(ConflictView {
            winner: side(&wr, ws)?,
            other: side(&or, os)?,
            label: label(conn, &entity, &record)?,
            entity,
            record,
            field,
        });
    }
    Ok(out)
}

fn label(conn: &Connection, entity: &str, record: &str) -> Result<String> {
    let sql = match entity {
        "household" | "site" | "item" | "volunteer" | "vehicle" | "closure" | "substitution_group" => {
            format!("SELECT name FROM {entity} WHERE id = ?1")
        }
        "need" => {
            "SELECT h.name || ' — ' || n.category FROM need n JOIN household h ON h.id = n.household_id WHERE n.id = ?1"
                .to_string()
        }
        _ => return Ok(String::new()),
    };
    Ok(rusqlite::OptionalExtension::optional(conn.query_row(&sql, [record], |r| r.get::<_, String>(0)))?
        .unwrap_or_default())
}

fn to_count(conn: &Connection) -> Result<Vec<StockToCount>> {
    let mut stmt = conn.prepare(
        "SELECT l.site_id, s.name, l.item_id, i.name, l.quantity FROM stock_level l
         JOIN site s ON s.id = l.site_id JOIN item i ON i.id = l.item_id
         WHERE l.quantity < 0 ORDER BY s.name, i.name",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(StockToCount {
            site_id: r.get(0)?,
            site: r.get(1)?,
            item_id: r.get(2)?,
            item: r.get(3)?,
            quantity: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Settles a conflict with the value a person keeps: a new change, sent like any other.
pub fn resolve(store: &mut Store, entity: &str, record: &str, field: &str, keep: Keep) -> Result<()> {
    let view = conflicts(store.conn())?
        .into_iter()
        .find(|c| c.entity == entity && c.record == record && c.field == field)
        .ok_or_else(|| Error::NotFound("conflict"))?;
    let chosen = match keep {
        Keep::Winner => view.winner.value,
        Keep::Other => view.other.value,
    };
    let value: serde_json::Value = serde_json::from_str(&chosen)?;
    let place = store.place();
    store.write(|tx, stamp| {
        changelog::choose(tx, stamp, &place, entity, record, field, &value)?;
        record_change(tx, stamp, AuditAction::Update, entity, &[record], &format!("{field}: chosen in review"))
    })
}
