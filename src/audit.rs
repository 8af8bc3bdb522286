//! The audit trail: an append-only log inside the operation of who did what to which records.
//! Entries name record ids, field names, counts and file names — never personal values. The
//! table refuses UPDATE and DELETE (migration 3), so history cannot be rewritten by Aidmap, and
//! each entry is chained to the one before by a hash (migration 11), so a change made outside
//! Aidmap shows where it was made (`check_chain`).

use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::clock::Stamp;
use crate::error::Result;
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

/// The names of the fields that changed, for an update's entry ("name, hours").
pub fn changed(fields: &[(&str, bool)]) -> String {
    fields.iter().filter(|(_, c)| *c).map(|(f, _)| *f).collect::<Vec<_>>().join(", ")
}

/// Appends one entry in the caller's transaction, stamped with its time and operator. Called
/// only by `store::record_change` (the one write path).
pub(crate) fn append(
    conn: &Transaction<'_>,
    stamp: &Stamp,
    action: AuditAction,
    entity: &str,
    ids: &[&str],
    detail: &str,
) -> Result<()> {
    let prev: String = conn
        .prepare_cached("SELECT hash FROM audit ORDER BY seq DESC LIMIT 1")?
        .query_row([], |r| r.get(0))
        .optional()?
        .unwrap_or_default();
    let record_ids = serde_json::to_string(ids)?;
    let fields =
        [stamp.now.as_str(), stamp.operator.as_str(), stamp.by.as_str(), action.key(), entity, &record_ids, detail];
    let hash = entry_hash(&prev, &fields);
    conn.prepare_cached(
        "INSERT INTO audit (at, operator, installation, action, entity, record_ids, detail, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![stamp.now, stamp.operator, stamp.by, action, entity, record_ids, detail, hash])?;
    Ok(())
}

/// Appends an entry another replica wrote (`fields`: at, operator, installation, action,
/// entity, record ids, detail), chained here like any other. Called only while applying changes.
pub(crate) fn append_received(conn: &Transaction<'_>, fields: &[String]) -> Result<()> {
    let [at, operator, installation, action, entity, record_ids, detail] = fields else {
        return Err(crate::error::Error::Corrupt("an audit entry".into()));
    };
    let prev: String = conn
        .prepare_cached("SELECT hash FROM audit ORDER BY seq DESC LIMIT 1")?
        .query_row([], |r| r.get(0))
        .optional()?
        .unwrap_or_default();
    let refs: Vec<&str> = fields.iter().map(String::as_str).collect();
    let hash = entry_hash(&prev, &refs);
    conn.prepare_cached(
        "INSERT INTO audit (at, operator, installation, action, entity, record_ids, detail, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![at, operator, installation, action, entity, record_ids, detail, hash])?;
    Ok(())
}

/// SHA-256 (hex) of the previous entry's hash and this entry's fields, each length-prefixed so
/// no two different entries hash alike.
pub fn entry_hash(prev: &str, fields: &[&str]) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for part in std::iter::once(prev).chain(fields.iter().copied()) {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

const TRIGGER_NO_UPDATE: &str = "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;";

/// Schema 11's step: chains the entries written before, then puts the append-only trigger back.
pub fn chain_on_upgrade(tx: &rusqlite::Transaction<'_>) -> Result<()> {
    let rows: Vec<(i64, Vec<String>)> = tx
        .prepare("SELECT seq, at, operator, installation, action, entity, record_ids, detail FROM audit ORDER BY seq")?
        .query_map([], |r| {
            Ok((r.get(0)?, (1..8).map(|i| r.get::<_, String>(i)).collect::<rusqlite::Result<Vec<_>>>()?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut prev = String::new();
    let mut update = tx.prepare("UPDATE audit SET hash = ?2 WHERE seq = ?1")?;
    for (seq, fields) in rows {
        let refs: Vec<&str> = fields.iter().map(String::as_str).collect();
        prev = entry_hash(&prev, &refs);
        update.execute(params![seq, prev])?;
    }
    tx.execute_batch(TRIGGER_NO_UPDATE)?;
    Ok(())
}

/// Where the audit log's chain breaks, if it does: the first entry whose hash does not follow
/// from the entries before it (changed, inserted or removed outside Aidmap).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ChainBreak {
    #[ts(type = "number")]
    pub seq: i64,
    pub at: String,
}

pub fn check_chain(conn: &Connection) -> Result<Option<ChainBreak>> {
    let mut stmt = conn.prepare(
        "SELECT seq, at, operator, installation, action, entity, record_ids, detail, hash FROM audit ORDER BY seq",
    )?;
    let mut rows = stmt.query([])?;
    let (mut prev, mut expected_seq) = (String::new(), None::<i64>);
    while let Some(r) = rows.next()? {
        let seq: i64 = r.get(0)?;
        let fields: Vec<String> = (1..8).map(|i| r.get::<_, String>(i)).collect::<rusqlite::Result<_>>()?;
        let stored: String = r.get(8)?;
        let refs: Vec<&str> = fields.iter().map(String::as_str).collect();
        let hash = entry_hash(&prev, &refs);
        // A removed entry leaves a gap in seq (AUTOINCREMENT never reuses one).
        let gap = expected_seq.is_some_and(|e| seq != e);
        if hash != stored || gap {
            return Ok(Some(ChainBreak { seq, at: fields[0].clone() }));
        }
        prev = stored;
        expected_seq = Some(seq + 1);
    }
    Ok(None)
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
