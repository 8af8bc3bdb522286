//! Retention: personal data is kept only as long as the operation needs it. A purge removes the
//! personal fields of households closed and needs finished longer ago than the operation's
//! retention settings, keeps the anonymous facts (people counts, categories, quantities, dates,
//! an area rounded to about 1 km) for reports, marks the rows `purged_at` and audits the purge
//! with the record ids.

use chrono::{DateTime, Duration, Utc};
use rusqlite::{params, Connection, Transaction};
use serde::Serialize;
use ts_rs::TS;

use crate::audit::AuditAction;
use crate::clock::{timestamp, Stamp};
use crate::error::Result;
use crate::settings::Retention;

/// What a purge removed (or would remove), and the anonymous totals kept from every purge so far.
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct PurgeReport {
    pub households: u32,
    pub needs: u32,
    pub purged_households_total: u32,
    pub purged_people_total: u32,
    pub purged_needs_total: u32,
}

/// Placeholder name of a purged household (the column cannot be empty).
pub const PURGED_NAME: &str = "—";

fn cutoff(now: DateTime<Utc>, days: Option<u32>) -> Option<String> {
    days.map(|d| timestamp(now - Duration::days(d as i64)))
}

const HOUSEHOLDS_DUE: &str = "SELECT id FROM household h
    WHERE ?1 IS NOT NULL AND h.purged_at IS NULL AND h.status = 'closed' AND h.updated_at < ?1
      AND NOT EXISTS (SELECT 1 FROM need n WHERE n.household_id = h.id AND n.status IN ('open', 'assigned'))
    ORDER BY id";
const NEEDS_DUE: &str = "SELECT id FROM need
    WHERE ?1 IS NOT NULL AND purged_at IS NULL AND status IN ('delivered', 'cancelled', 'failed') AND updated_at < ?1
    ORDER BY id";

fn ids(conn: &Connection, sql: &str, cutoff: &Option<String>) -> Result<Vec<String>> {
    Ok(conn.prepare(sql)?.query_map([cutoff], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?)
}

fn totals(conn: &Connection, report: &mut PurgeReport) -> Result<()> {
    (report.purged_households_total, report.purged_people_total) = conn.query_row(
        "SELECT COUNT(*), COALESCE(SUM(adults + children + seniors), 0) FROM household WHERE purged_at IS NOT NULL",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    report.purged_needs_total =
        conn.query_row("SELECT COUNT(*) FROM need WHERE purged_at IS NOT NULL", [], |r| r.get(0))?;
    Ok(())
}

/// The households due, and every need due: finished ones past their limit and all the needs of
/// the households due (they are about the same people).
fn due(conn: &Connection, rules: &Retention, now: DateTime<Utc>) -> Result<(Vec<String>, Vec<String>)> {
    let households = ids(conn, HOUSEHOLDS_DUE, &cutoff(now, rules.households_days))?;
    let mut needs = ids(conn, NEEDS_DUE, &cutoff(now, rules.needs_days))?;
    let mut of_household = conn.prepare("SELECT id FROM need WHERE household_id = ?1 AND purged_at IS NULL")?;
    for h in &households {
        for id in of_household.query_map([h], |r| r.get::<_, String>(0))? {
            needs.push(id?);
        }
    }
    needs.sort();
    needs.dedup();
    Ok((households, needs))
}

pub fn preview(conn: &Connection, rules: &Retention, now: DateTime<Utc>) -> Result<PurgeReport> {
    let (households, needs) = due(conn, rules, now)?;
    let mut report =
        PurgeReport { households: households.len() as u32, needs: needs.len() as u32, ..Default::default() };
    totals(conn, &mut report)?;
    Ok(report)
}

/// Purges what is due at `now`, in the caller's transaction.
pub fn purge(conn: &Transaction<'_>, stamp: &Stamp, rules: &Retention, now: DateTime<Utc>) -> Result<PurgeReport> {
    let (households, needs) = due(conn, rules, now)?;
    let mut household_stmt = conn.prepare(
        "UPDATE household SET name = ?2, phones = '[]', phones_search = '', address = '',
            lat = round(lat, 2), lon = round(lon, 2), vulnerabilities = '[]', languages = '[]', access_notes = '',
            landmark = '', consent_scope = '', notes = '', search_text = '', purged_at = ?3, updated_at = ?3, updated_by = ?4
         WHERE id = ?1",
    )?;
    for id in &households {
        household_stmt.execute(params![id, PURGED_NAME, stamp.now, stamp.by])?;
    }
    let mut need_stmt = conn.prepare(
        "UPDATE need SET notes = '', purged_at = ?2, updated_at = ?2, updated_by = ?3 WHERE id = ?1 AND purged_at IS NULL",
    )?;
    let mut purged_needs = 0;
    for id in &needs {
        purged_needs += need_stmt.execute(params![id, stamp.now, stamp.by])?;
    }
    if !households.is_empty() {
        let ids: Vec<&str> = households.iter().map(String::as_str).collect();
        let detail = format!("{} households closed before the retention limit", ids.len());
        crate::store::record_change(conn, stamp, AuditAction::Purge, "household", &ids, &detail)?;
    }
    if purged_needs > 0 {
        let ids: Vec<&str> = needs.iter().map(String::as_str).collect();
        let detail = format!("{purged_needs} needs: finished before the retention limit, or of purged households");
        crate::store::record_change(conn, stamp, AuditAction::Purge, "need", &ids, &detail)?;
    }
    let mut report =
        PurgeReport { households: households.len() as u32, needs: purged_needs as u32, ..Default::default() };
    totals(conn, &mut report)?;
    Ok(report)
}
