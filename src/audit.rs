//! The audit trail: an append-only log inside the operation of who did what to which records.
//! Entries name record ids, field names, counts and file names — never personal values. The
//! table refuses UPDATE and DELETE (migration 3), so history cannot be rewritten.

use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::Result;
use crate::store::Stamp;
pub use crate::vocab::AuditAction;

/// One line of the log.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: String,
    pub operator: String,
    pub installation: String,
    pub action: AuditAction,
    /// `household`, `need`, `operation`, `setting`…
    pub entity: String,
    pub record_ids: Vec<String>,
    pub detail: String,
}

/// What the viewer filters by; every field is optional.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AuditFilter {
    pub action: Option<AuditAction>,
    pub operator: Option<String>,
    pub entity: Option<String>,
    /// Entries naming this record id.
    pub record_id: Option<String>,
    /// Inclusive `YYYY-MM-DD` bounds (UTC).
    pub from: Option<String>,
    pub to: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct AuditPage {
    pub total: u32,
    pub items: Vec<AuditEntry>,
    /// Every operator name in the log, for the filter.
    pub operators: Vec<String>,
}

/// Appends one entry in the caller's transaction, stamped with its time and operator.
/// The names of the fields that changed, for an update's entry ("name, hours").
pub fn changed(fields: &[(&str, bool)]) -> String {
    fields.iter().filter(|(_, c)| *c).map(|(f, _)| *f).collect::<Vec<_>>().join(", ")
}

pub fn record(
    conn: &Connection,
    stamp: &Stamp,
    action: AuditAction,
    entity: &str,
    ids: &[&str],
    detail: &str,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO audit (at, operator, installation, action, entity, record_ids, detail)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![stamp.now, stamp.operator, stamp.by, action, entity, serde_json::to_string(ids)?, detail])?;
    Ok(())
}

/// Newest first.
pub fn list(conn: &Connection, filter: &AuditFilter, limit: u32, offset: u32) -> Result<AuditPage> {
    let to_end = filter.to.as_ref().map(|d| format!("{d}T23:59:59.999Z"));
    let record = filter.record_id.as_ref().map(|id| {
        let id = id.replace('"', "").replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        format!("%\"{id}\"%")
    });
    let filter_sql = "(?1 IS NULL OR action = ?1) AND (?2 IS NULL OR operator = ?2) AND (?3 IS NULL OR entity = ?3)
        AND (?4 IS NULL OR record_ids LIKE ?4 ESCAPE '\\') AND (?5 IS NULL OR at >= ?5) AND (?6 IS NULL OR at <= ?6)";
    let args = params![filter.action, filter.operator, filter.entity, record, filter.from, to_end];
    let total: u32 = conn.query_row(&format!("SELECT COUNT(*) FROM audit WHERE {filter_sql}"), args, |r| r.get(0))?;
    let sql = format!(
        "SELECT seq, at, operator, installation, action, entity, record_ids, detail FROM audit
         WHERE {filter_sql} ORDER BY seq DESC LIMIT ?7 OFFSET ?8"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(
        params![filter.action, filter.operator, filter.entity, record, filter.from, to_end, limit, offset],
        |r| {
            Ok((
                AuditEntry {
                    seq: r.get(0)?,
                    at: r.get(1)?,
                    operator: r.get(2)?,
                    installation: r.get(3)?,
                    action: r.get(4)?,
                    entity: r.get(5)?,
                    record_ids: vec![],
                    detail: r.get(7)?,
                },
                r.get::<_, String>(6)?,
            ))
        },
    )?;
    let mut items = Vec::new();
    for row in rows {
        let (mut e, ids) = row?;
        e.record_ids = serde_json::from_str(&ids)?;
        items.push(e);
    }
    let operators = conn
        .prepare("SELECT DISTINCT operator FROM audit ORDER BY operator COLLATE NOCASE")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(AuditPage { total, items, operators })
}

pub fn count(conn: &Connection) -> Result<u32> {
    Ok(conn.query_row("SELECT COUNT(*) FROM audit", [], |r| r.get(0))?)
}
