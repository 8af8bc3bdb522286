//! Acting once on many households (a lasso on the map, or a list filter): set the urgency of
//! their open needs, add the same need to each, cancel their open needs, close them. Each action
//! is one transaction with one audit entry naming the households, and returns what undoing it
//! takes: the earlier values of exactly what it changed, restored by `undo` in one transaction.
//!
//! A selection is also made here from a filter (`matching`): urgency, need category or item,
//! household status, an area (a polygon) and "not visited for N days".

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use geo::{Contains, Coord, LineString, Point, Polygon};
use rusqlite::{params, Connection, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::clock::Stamp;
use crate::error::{Error, FieldError, Result, Rule};
use crate::need::{self, NeedInput};
use crate::vocab::{Category, HouseholdStatus, NeedStatus, Urgency};

/// What to do to every household of a selection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum BulkAction {
    /// Their open (or assigned) needs take this urgency.
    SetUrgency { urgency: Urgency },
    /// The same need added to each ("Water 1.5 L × 6 for everyone in the flooded area").
    AddNeed { need: NeedInput },
    /// Their open needs are cancelled (needs on a dispatched run are left alone).
    CancelNeeds,
    /// The households are closed (their open needs stay as they are).
    CloseHouseholds,
}

impl BulkAction {
    fn key(&self) -> &'static str {
        match self {
            BulkAction::SetUrgency { .. } => "set_urgency",
            BulkAction::AddNeed { .. } => "add_need",
            BulkAction::CancelNeeds => "cancel_needs",
            BulkAction::CloseHouseholds => "close_households",
        }
    }
}

/// What an action changed, and what undoing it restores.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BulkOutcome {
    /// `set_urgency`, `add_need`, `cancel_needs` or `close_households`.
    pub action: String,
    /// Households acted on (those of the selection that exist and are not purged).
    pub households: u32,
    /// Needs changed or added.
    pub needs: u32,
    /// Households of the selection left alone, with why (`not_found`, `closed`, `no_open_needs`).
    pub skipped: Vec<(String, String)>,
    pub undo: BulkUndo,
}

/// The earlier values of what an action changed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BulkUndo {
    /// Needs and their urgency before.
    pub urgencies: Vec<(String, Urgency)>,
    /// Needs and their status before (cancelled needs; an added need is cancelled by undo).
    pub statuses: Vec<(String, NeedStatus)>,
    /// Needs the action added: undo cancels them.
    pub added: Vec<String>,
    /// Households and their status before.
    pub households: Vec<(String, HouseholdStatus)>,
}

/// The most households one action takes (a county-sized selection is still one transaction).
pub const MAX_SELECTION: usize = 100_000;

fn refused(field: &str, rule: Rule) -> Error {
    Error::Validation(vec![FieldError { field: field.into(), rule }])
}

/// Active or closed households among `ids` that exist (not purged), in the order given.
fn existing(tx: &Connection, ids: &[String]) -> Result<(Vec<(String, HouseholdStatus)>, Vec<(String, String)>)> {
    let mut stmt = tx.prepare_cached("SELECT status FROM household WHERE id = ?1 AND purged_at IS NULL")?;
    let mut seen = HashSet::new();
    let (mut found, mut skipped) = (Vec::new(), Vec::new());
    for id in ids {
        if !seen.insert(id.as_str()) {
            continue;
        }
        match stmt.query_row([id], |r| r.get::<_, HouseholdStatus>(0)) {
            Ok(status) => found.push((id.clone(), status)),
            Err(rusqlite::Error::QueryReturnedNoRows) => skipped.push((id.clone(), "not_found".into())),
            Err(e) => return Err(e.into()),
        }
    }
    Ok((found, skipped))
}

/// Open or assigned needs of a household (not purged), with urgency and status.
fn open_needs(tx: &Connection, household: &str) -> Result<Vec<(String, Urgency, NeedStatus)>> {
    let mut stmt = tx.prepare_cached(
        "SELECT id, urgency, status FROM need
         WHERE household_id = ?1 AND status IN ('open', 'assigned') AND purged_at IS NULL ORDER BY id",
    )?;
    let rows = stmt.query_map([household], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Applies `action` to the households `ids` in the caller's transaction (the audit entry is the
/// caller's, with `audit_detail`).
pub fn apply(tx: &Transaction<'_>, stamp: &Stamp, ids: &[String], action: &BulkAction) -> Result<BulkOutcome> {
    if ids.is_empty() {
        return Err(refused("households", Rule::Required));
    }
    if ids.len() > MAX_SELECTION {
        return Err(refused("households", Rule::OutOfRange));
    }
    if let BulkAction::AddNeed { need } = action {
        need.validate()?;
    }
    let (found, mut skipped) = existing(tx, ids)?;
    let mut undo = BulkUndo::default();
    let mut acted = 0u32;
    let mut needs = 0u32;
    for (id, status) in &found {
        match action {
            BulkAction::SetUrgency { urgency } => {
                let open = open_needs(tx, id)?;
                if open.is_empty() {
                    skipped.push((id.clone(), "no_open_needs".into()));
                    continue;
                }
                for (need_id, before, _) in open.into_iter().filter(|n| n.1 != *urgency) {
                    tx.execute(
                        "UPDATE need SET urgency = ?2, updated_at = ?3, updated_by = ?4 WHERE id = ?1",
                        params![need_id, urgency, stamp.now, stamp.by],
                    )?;
                    undo.urgencies.push((need_id, before));
                    needs += 1;
                }
            }
            BulkAction::AddNeed { need: input } => {
                if *status != HouseholdStatus::Active {
                    skipped.push((id.clone(), "closed".into()));
                    continue;
                }
                let need_id = need::insert(tx, stamp, id, input)?;
                undo.added.push(need_id);
                needs += 1;
            }
            BulkAction::CancelNeeds => {
                // Needs on a dispatched run are on their way: their outcome settles them.
                let open: Vec<_> = open_needs(tx, id)?.into_iter().filter(|n| n.2 == NeedStatus::Open).collect();
                if open.is_empty() {
                    skipped.push((id.clone(), "no_open_needs".into()));
                    continue;
                }
                for (need_id, _, before) in open {
                    need::set_status(tx, stamp, &need_id, NeedStatus::Cancelled)?;
                    undo.statuses.push((need_id, before));
                    needs += 1;
                }
            }
            BulkAction::CloseHouseholds => {
                if *status == HouseholdStatus::Closed {
                    skipped.push((id.clone(), "closed".into()));
                    continue;
                }
                set_household_status(tx, stamp, id, HouseholdStatus::Closed)?;
                undo.households.push((id.clone(), *status));
            }
        }
        acted += 1;
    }
    Ok(BulkOutcome { action: action.key().into(), households: acted, needs, skipped, undo })
}

fn set_household_status(tx: &Transaction<'_>, stamp: &Stamp, id: &str, status: HouseholdStatus) -> Result<()> {
    tx.execute(
        "UPDATE household SET status = ?2, updated_at = ?3, updated_by = ?4 WHERE id = ?1 AND purged_at IS NULL",
        params![id, status, stamp.now, stamp.by],
    )?;
    Ok(())
}

/// The audit entry's words for an outcome: counts and the action, never personal values.
pub fn audit_detail(outcome: &BulkOutcome, undoing: bool) -> String {
    format!(
        "{}bulk {}: {} households, {} needs",
        if undoing { "undo " } else { "" },
        outcome.action,
        outcome.households,
        outcome.needs
    )
}

/// Restores what an action changed (`BulkOutcome::undo`), in the caller's transaction. Records
/// changed since by someone else keep their later value for the fields the action did not touch.
pub fn undo(tx: &Transaction<'_>, stamp: &Stamp, undo: &BulkUndo) -> Result<u32> {
    let mut n = 0;
    for (id, urgency) in &undo.urgencies {
        n += tx.execute(
            "UPDATE need SET urgency = ?2, updated_at = ?3, updated_by = ?4 WHERE id = ?1 AND purged_at IS NULL",
            params![id, urgency, stamp.now, stamp.by],
        )? as u32;
    }
    for (id, status) in &undo.statuses {
        need::set_status(tx, stamp, id, *status)?;
        n += 1;
    }
    for id in &undo.added {
        // A need added by mistake is cancelled (a status other replicas follow), not removed.
        if need::get(tx, id)?.status == NeedStatus::Open {
            need::set_status(tx, stamp, id, NeedStatus::Cancelled)?;
        }
        n += 1;
    }
    for (id, status) in &undo.households {
        set_household_status(tx, stamp, id, *status)?;
        n += 1;
    }
    Ok(n)
}

/// Which households a list filter selects (all conditions together; empty ones ignored).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SelectionFilter {
    /// With an open need of one of these urgencies.
    #[serde(default)]
    pub urgencies: Vec<Urgency>,
    /// With an open need of one of these categories.
    #[serde(default)]
    pub categories: Vec<Category>,
    /// With an open need of this catalogue item.
    #[serde(default)]
    pub item_id: Option<String>,
    /// Of this status (None: active).
    #[serde(default)]
    pub status: Option<HouseholdStatus>,
    /// Inside this ring of (lon, lat) points.
    #[serde(default)]
    pub area: Option<Vec<[f64; 2]>>,
    /// Not visited (no stop outcome recorded) for at least this many days, or never.
    #[serde(default)]
    pub not_visited_days: Option<u32>,
}

/// The households `filter` selects, in id order.
pub fn matching(conn: &Connection, filter: &SelectionFilter, now: DateTime<Utc>) -> Result<Vec<String>> {
    let status = filter.status.unwrap_or(HouseholdStatus::Active);
    let needs_filter = !filter.urgencies.is_empty() || !filter.categories.is_empty() || filter.item_id.is_some();
    let mut with_need: Option<HashSet<String>> = None;
    if needs_filter {
        let mut stmt = conn.prepare(
            "SELECT household_id, urgency, category, item_id FROM need
             WHERE status IN ('open', 'assigned') AND purged_at IS NULL",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Urgency>(1)?,
                r.get::<_, Category>(2)?,
                r.get::<_, Option<String>>(3)?,
            ))
        })?;
        let mut set = HashSet::new();
        for row in rows {
            let (household, urgency, category, item) = row?;
            let ok = (filter.urgencies.is_empty() || filter.urgencies.contains(&urgency))
                && (filter.categories.is_empty() || filter.categories.contains(&category))
                && filter.item_id.as_ref().is_none_or(|i| item.as_ref() == Some(i));
            if ok {
                set.insert(household);
            }
        }
        with_need = Some(set);
    }
    let last_visit: Option<HashMap<String, String>> = match filter.not_visited_days {
        None => None,
        Some(_) => {
            let mut stmt = conn.prepare(
                "SELECT n.household_id, max(s.outcome_at) FROM plan_need n JOIN plan_stop s ON s.id = n.stop_id
                 WHERE s.outcome_at IS NOT NULL GROUP BY n.household_id",
            )?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            Some(rows.collect::<rusqlite::Result<_>>()?)
        }
    };
    let cutoff = filter.not_visited_days.map(|d| crate::clock::timestamp(now - chrono::Duration::days(i64::from(d))));
    let polygon = filter.area.as_ref().filter(|ring| ring.len() >= 3).map(|ring| {
        Polygon::new(LineString::from(ring.iter().map(|p| Coord { x: p[0], y: p[1] }).collect::<Vec<_>>()), vec![])
    });
    let mut stmt =
        conn.prepare("SELECT id, lat, lon FROM household WHERE status = ?1 AND purged_at IS NULL ORDER BY id")?;
    let rows = stmt.query_map([status], |r| Ok((r.get::<_, String>(0)?, r.get::<_, f64>(1)?, r.get::<_, f64>(2)?)))?;
    let mut out = Vec::new();
    for row in rows {
        let (id, lat, lon) = row?;
        if with_need.as_ref().is_some_and(|s| !s.contains(&id)) {
            continue;
        }
        if polygon.as_ref().is_some_and(|p| !p.contains(&Point::new(lon, lat))) {
            continue;
        }
        if let (Some(visits), Some(cutoff)) = (&last_visit, &cutoff) {
            if visits.get(&id).is_some_and(|at| at > cutoff) {
                continue;
            }
        }
        out.push(id);
    }
    Ok(out)
}
