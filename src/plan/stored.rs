//! Saved plans in the operation file (`migrations/0007_plans.sql`): plain functions on a
//! connection or an open transaction; `Store` opens the transactions.

use std::collections::{HashMap, HashSet};

use rusqlite::{params, Connection, OptionalExtension, Transaction};

use super::types::{PlanInfo, PlanStatus, StopOutcome};
use crate::clock::Stamp;
use crate::error::{Error, Result};

#[derive(Debug, Clone, PartialEq)]
pub struct PlanRow {
    pub id: String,
    pub day: String,
    pub day_start: String,
    pub status: PlanStatus,
    pub request: String,
    pub estimated: bool,
    pub created_at: String,
    pub created_by: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RunRow {
    pub id: String,
    pub position: i64,
    pub shift_id: Option<String>,
    pub driver: String,
    pub vehicle: String,
    pub site_id: String,
    pub end_site_id: String,
    pub starts_at: String,
    pub ends_at: String,
    pub capacity_kg: f64,
    pub capacity_l: f64,
    /// Cooler and high-clearance bits.
    pub skills: u64,
    pub locked: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StopRow {
    pub id: String,
    pub run_id: Option<String>,
    pub position: i64,
    pub lat: f64,
    pub lon: f64,
    pub locked: bool,
    pub outcome: Option<StopOutcome>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NeedRow {
    pub need_id: String,
    pub household_id: String,
    pub stop_id: Option<String>,
    pub reason: Option<String>,
    /// The load: what the need is loaded as (item units), from which depot, and the need's own
    /// item when this is a substitute. Stored when the plan is saved; never recomputed.
    pub item_id: Option<String>,
    pub quantity: f64,
    pub substitute_for: Option<String>,
    pub site_id: Option<String>,
    /// The need as asked when planned ("18" "L").
    pub asked_quantity: Option<f64>,
    pub asked_unit: Option<String>,
    /// Handed over, once the stop has an outcome.
    pub delivered: Option<f64>,
    /// Of its own item, what the depots lacked (`not_enough_stock`).
    pub missing: Option<f64>,
}

/// A saved plan, whole.
#[derive(Debug, Clone, PartialEq)]
pub struct Saved {
    pub plan: PlanRow,
    /// In plan order.
    pub runs: Vec<RunRow>,
    /// By run, then position; stops off every run last.
    pub stops: Vec<StopRow>,
    pub needs: Vec<NeedRow>,
}

impl Saved {
    pub fn stops_of<'a>(&'a self, run_id: &'a str) -> impl Iterator<Item = &'a StopRow> + 'a {
        self.stops.iter().filter(move |s| s.run_id.as_deref() == Some(run_id))
    }

    pub fn needs_of<'a>(&'a self, stop_id: &'a str) -> impl Iterator<Item = &'a NeedRow> + 'a {
        self.needs.iter().filter(move |n| n.stop_id.as_deref() == Some(stop_id))
    }
}

fn status(s: String) -> rusqlite::Result<PlanStatus> {
    PlanStatus::parse(&s).ok_or_else(|| rusqlite::Error::InvalidColumnType(0, s, rusqlite::types::Type::Text))
}

pub fn insert_plan(conn: &Transaction<'_>, stamp: &Stamp, p: &PlanRow) -> Result<()> {
    conn.execute(
        "INSERT INTO plan (id, day, day_start, status, request, estimated, created_at, created_by, updated_at, updated_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?7, ?9)",
        params![p.id, p.day, p.day_start, p.status.key(), p.request, p.estimated, stamp.now, stamp.operator, stamp.by],
    )?;
    Ok(())
}

pub fn insert_run(conn: &Connection, plan_id: &str, r: &RunRow) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO plan_run (id, plan_id, position, shift_id, driver, vehicle, site_id, end_site_id, starts_at,
                               ends_at, capacity_kg, capacity_l, skills, locked)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    )?
    .execute(params![
        r.id,
        plan_id,
        r.position,
        r.shift_id,
        r.driver,
        r.vehicle,
        r.site_id,
        r.end_site_id,
        r.starts_at,
        r.ends_at,
        r.capacity_kg,
        r.capacity_l,
        r.skills as i64,
        r.locked
    ])?;
    Ok(())
}

pub fn insert_stop(conn: &Connection, plan_id: &str, s: &StopRow) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO plan_stop (id, plan_id, run_id, position, lat, lon, locked) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![s.id, plan_id, s.run_id, s.position, s.lat, s.lon, s.locked])?;
    Ok(())
}

pub fn insert_need(conn: &Connection, plan_id: &str, n: &NeedRow) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO plan_need (plan_id, need_id, household_id, stop_id, reason, item_id, quantity, substitute_for,
                                site_id, asked_quantity, asked_unit, delivered, missing)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?
    .execute(params![
        plan_id,
        n.need_id,
        n.household_id,
        n.stop_id,
        n.reason,
        n.item_id,
        n.quantity,
        n.substitute_for,
        n.site_id,
        n.asked_quantity,
        n.asked_unit,
        n.delivered,
        n.missing
    ])?;
    Ok(())
}

/// Rewrites a need's stop, reason and load (re-optimising).
pub fn set_load(conn: &Connection, plan_id: &str, n: &NeedRow) -> Result<()> {
    conn.prepare_cached(
        "UPDATE plan_need SET stop_id = ?3, reason = ?4, item_id = ?5, quantity = ?6, substitute_for = ?7,
                              site_id = ?8, asked_quantity = ?9, asked_unit = ?10, missing = ?11
         WHERE plan_id = ?1 AND need_id = ?2",
    )?
    .execute(params![
        plan_id,
        n.need_id,
        n.stop_id,
        n.reason,
        n.item_id,
        n.quantity,
        n.substitute_for,
        n.site_id,
        n.asked_quantity,
        n.asked_unit,
        n.missing
    ])?;
    Ok(())
}

/// Keeps the need as it was asked (plans saved before schema 9 did not).
pub fn set_asked(conn: &Connection, plan_id: &str, need_id: &str, quantity: f64, unit: &str) -> Result<()> {
    conn.prepare_cached(
        "UPDATE plan_need SET asked_quantity = ?3, asked_unit = ?4 WHERE plan_id = ?1 AND need_id = ?2",
    )?
    .execute(params![plan_id, need_id, quantity, unit])?;
    Ok(())
}

/// The need is also in a plan made after `plan_id` that is not discarded.
pub fn in_later_plan(conn: &Connection, plan_id: &str, need_id: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM plan_need n JOIN plan p ON p.id = n.plan_id, plan this
                            WHERE this.id = ?1 AND n.need_id = ?2 AND p.id <> this.id
                              AND p.status <> 'discarded' AND p.created_at > this.created_at)",
        )?
        .query_row(params![plan_id, need_id], |r| r.get(0))?)
}

/// Takes a need off its stop: not served, for `reason`, with no depot (re-optimising found it
/// closed, or without an item).
pub fn unplace_need(conn: &Connection, plan_id: &str, need_id: &str, reason: &str) -> Result<()> {
    conn.prepare_cached(
        "UPDATE plan_need SET stop_id = NULL, reason = ?3, site_id = NULL WHERE plan_id = ?1 AND need_id = ?2",
    )?
    .execute(params![plan_id, need_id, reason])?;
    Ok(())
}

/// Records what was handed over of a need's load (None: the outcome was cleared).
pub fn set_delivered(conn: &Connection, plan_id: &str, need_id: &str, delivered: Option<f64>) -> Result<()> {
    conn.prepare_cached("UPDATE plan_need SET delivered = ?3 WHERE plan_id = ?1 AND need_id = ?2")?
        .execute(params![plan_id, need_id, delivered])?;
    Ok(())
}

/// Moves a stop (to a run and position, or off every run) and sets its lock.
pub fn place_stop(conn: &Connection, id: &str, run_id: Option<&str>, position: i64, locked: bool) -> Result<()> {
    conn.prepare_cached("UPDATE plan_stop SET run_id = ?2, position = ?3, locked = ?4 WHERE id = ?1")?
        .execute(params![id, run_id, position, locked])?;
    Ok(())
}

pub fn set_run_locked(conn: &Connection, id: &str, locked: bool) -> Result<()> {
    conn.execute("UPDATE plan_run SET locked = ?2 WHERE id = ?1", params![id, locked])?;
    Ok(())
}

/// Sets why a need is not served (None: it is) and the depot its load comes from; the load's
/// item and quantity stay as they were decided.
pub fn set_need(
    conn: &Connection,
    plan_id: &str,
    need_id: &str,
    reason: Option<&str>,
    site_id: Option<&str>,
) -> Result<()> {
    conn.prepare_cached("UPDATE plan_need SET reason = ?3, site_id = ?4 WHERE plan_id = ?1 AND need_id = ?2")?
        .execute(params![plan_id, need_id, reason, site_id])?;
    Ok(())
}

/// Moves a need to another stop of the plan.
pub fn move_need(conn: &Connection, plan_id: &str, need_id: &str, stop_id: &str) -> Result<()> {
    conn.prepare_cached("UPDATE plan_need SET stop_id = ?3 WHERE plan_id = ?1 AND need_id = ?2")?
        .execute(params![plan_id, need_id, stop_id])?;
    Ok(())
}

pub fn set_outcome(conn: &Transaction<'_>, stamp: &Stamp, stop_id: &str, outcome: Option<StopOutcome>) -> Result<()> {
    conn.execute(
        "UPDATE plan_stop SET outcome = ?2, outcome_at = ?3, outcome_by = ?4 WHERE id = ?1",
        params![
            stop_id,
            outcome.map(|o| o.key()),
            outcome.map(|_| stamp.now.clone()),
            outcome.map(|_| stamp.operator.clone())
        ],
    )?;
    Ok(())
}

pub fn set_status(conn: &Transaction<'_>, stamp: &Stamp, id: &str, next: PlanStatus) -> Result<()> {
    let dispatched = if next == PlanStatus::Dispatched { Some(stamp.now.as_str()) } else { None };
    conn.execute(
        "UPDATE plan SET status = ?2, updated_at = ?3, updated_by = ?4, dispatched_at = coalesce(?5, dispatched_at)
         WHERE id = ?1",
        params![id, next.key(), stamp.now, stamp.by, dispatched],
    )?;
    Ok(())
}

pub fn touch(conn: &Transaction<'_>, stamp: &Stamp, id: &str) -> Result<()> {
    conn.execute("UPDATE plan SET updated_at = ?2, updated_by = ?3 WHERE id = ?1", params![id, stamp.now, stamp.by])?;
    Ok(())
}

fn plan_row(conn: &Connection, id: &str) -> Result<PlanRow> {
    conn.query_row(
        "SELECT id, day, day_start, status, request, estimated, created_at, created_by FROM plan WHERE id = ?1",
        [id],
        |r| {
            Ok(PlanRow {
                id: r.get(0)?,
                day: r.get(1)?,
                day_start: r.get(2)?,
                status: status(r.get(3)?)?,
                request: r.get(4)?,
                estimated: r.get(5)?,
                created_at: r.get(6)?,
                created_by: r.get(7)?,
            })
        },
    )
    .optional()?
    .ok_or(Error::NotFound("plan"))
}

pub fn load(conn: &Connection, id: &str) -> Result<Saved> {
    let plan = plan_row(conn, id)?;
    let mut stmt = conn.prepare(
        "SELECT id, position, shift_id, driver, vehicle, site_id, end_site_id, starts_at, ends_at, capacity_kg,
                capacity_l, skills, locked
         FROM plan_run WHERE plan_id = ?1 ORDER BY position",
    )?;
    let runs = stmt
        .query_map([id], |r| {
            Ok(RunRow {
                id: r.get(0)?,
                position: r.get(1)?,
                shift_id: r.get(2)?,
                driver: r.get(3)?,
                vehicle: r.get(4)?,
                site_id: r.get(5)?,
                end_site_id: r.get(6)?,
                starts_at: r.get(7)?,
                ends_at: r.get(8)?,
                capacity_kg: r.get(9)?,
                capacity_l: r.get(10)?,
                skills: r.get::<_, i64>(11)? as u64,
                locked: r.get(12)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let order: HashMap<&str, i64> = runs.iter().map(|r| (r.id.as_str(), r.position)).collect();
    let mut stmt = conn.prepare(
        "SELECT id, run_id, position, lat, lon, locked, outcome FROM plan_stop WHERE plan_id = ?1 ORDER BY position, id",
    )?;
    let mut stops = stmt
        .query_map([id], |r| {
            let outcome: Option<String> = r.get(6)?;
            Ok(StopRow {
                id: r.get(0)?,
                run_id: r.get(1)?,
                position: r.get(2)?,
                lat: r.get(3)?,
                lon: r.get(4)?,
                locked: r.get(5)?,
                outcome: outcome.as_deref().and_then(StopOutcome::parse),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    stops.sort_by_key(|s| (s.run_id.as_deref().and_then(|r| order.get(r)).copied().unwrap_or(i64::MAX), s.position));
    let mut stmt = conn.prepare(
        "SELECT need_id, household_id, stop_id, reason, item_id, quantity, substitute_for, site_id, asked_quantity,
                asked_unit, delivered, missing
         FROM plan_need WHERE plan_id = ?1 ORDER BY need_id",
    )?;
    let needs = stmt
        .query_map([id], |r| {
            Ok(NeedRow {
                need_id: r.get(0)?,
                household_id: r.get(1)?,
                stop_id: r.get(2)?,
                reason: r.get(3)?,
                item_id: r.get(4)?,
                quantity: r.get(5)?,
                substitute_for: r.get(6)?,
                site_id: r.get(7)?,
                asked_quantity: r.get(8)?,
                asked_unit: r.get(9)?,
                delivered: r.get(10)?,
                missing: r.get(11)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Saved { plan, runs, stops, needs })
}

/// Every saved plan, newest day first, with its counts.
pub fn list(conn: &Connection) -> Result<Vec<PlanInfo>> {
    let mut stmt = conn.prepare(
        "SELECT p.id, p.day, p.status, p.created_at, p.created_by, p.estimated,
                (SELECT count(*) FROM plan_run r WHERE r.plan_id = p.id
                   AND EXISTS (SELECT 1 FROM plan_stop s WHERE s.run_id = r.id)),
                (SELECT count(*) FROM plan_stop s WHERE s.plan_id = p.id AND s.run_id IS NOT NULL),
                (SELECT count(*) FROM plan_need n JOIN plan_stop s ON s.id = n.stop_id
                   WHERE n.plan_id = p.id AND s.run_id IS NOT NULL),
                (SELECT count(*) FROM plan_need n LEFT JOIN plan_stop s ON s.id = n.stop_id
                   WHERE n.plan_id = p.id AND s.run_id IS NULL),
                p.id
         FROM plan p ORDER BY p.day DESC, p.created_at DESC",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(PlanInfo {
            id: r.get(0)?,
            day: r.get(1)?,
            status: status(r.get(2)?)?,
            created_at: r.get(3)?,
            created_by: r.get(4)?,
            estimated: r.get(5)?,
            runs: r.get(6)?,
            stops: r.get(7)?,
            needs_served: r.get(8)?,
            unserved: r.get(9)?,
            drive_s: 0,
            made_elsewhere: None,
        })
    })?;
    let mut plans: Vec<PlanInfo> = rows.collect::<rusqlite::Result<_>>()?;
    for p in &mut plans {
        p.made_elsewhere = made_elsewhere(conn, &p.id)?;
    }
    Ok(plans)
}

/// The name (or id) of the replica that made the plan, when it is not this one.
pub fn made_elsewhere(conn: &Connection, plan_id: &str) -> Result<Option<String>> {
    let owner: Option<(String, String)> = conn
        .query_row(
            "SELECT o.replica, COALESCE(r.name, '') FROM sync_plan_owner o LEFT JOIN sync_replica r ON r.id = o.replica
             WHERE o.plan_id = ?1 AND o.replica IS NOT (SELECT id FROM sync_replica WHERE status = 'self')",
            [plan_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    Ok(owner.map(
        |(id, name)| if name.is_empty() { format!("laptop #{}", &id[id.len().saturating_sub(8)..]) } else { name },
    ))
}

/// The day's draft, if it has one.
pub fn draft_for(conn: &Connection, day: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT id FROM plan WHERE day = ?1 AND status = 'draft' ORDER BY created_at DESC", [day], |r| {
            r.get(0)
        })
        .optional()?)
}

/// Needs on a run of a draft other than `except` (another day's draft holds them).
pub fn needs_in_drafts(conn: &Connection, except_day: &str) -> Result<HashSet<String>> {
    let mut stmt = conn.prepare(
        "SELECT n.need_id FROM plan_need n JOIN plan p ON p.id = n.plan_id JOIN plan_stop s ON s.id = n.stop_id
         WHERE p.status = 'draft' AND p.day <> ?1 AND s.run_id IS NOT NULL",
    )?;
    let rows = stmt.query_map([except_day], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
