//! The operation: one disaster response, one file. Its name and demo flag live in `operation`.

use std::path::Path;

use rusqlite::{params, Connection, Transaction};
use serde::Serialize;
use ts_rs::TS;

use super::schema;
use crate::clock::Stamp;
use crate::error::{Error, ErrorReport, Result};
use crate::validate::{Checker, MAX_SHORT};

pub struct NewOperation {
    pub name: String,
    pub is_demo: bool,
    /// The demo's "today", `YYYY-MM-DD`.
    pub demo_date: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct OperationInfo {
    pub id: String,
    pub name: String,
    pub is_demo: bool,
    pub demo_date: Option<String>,
    pub path: String,
    pub read_only: bool,
    pub encrypted: bool,
    pub schema_version: u32,
    pub households: u32,
    pub open_needs: u32,
    /// Where the audit log was changed outside Aidmap (its hash chain breaks), if it was.
    pub audit_break: Option<crate::audit::ChainBreak>,
}

/// What the app opens at launch, and why the last operation could not be reopened, if so.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Startup {
    pub operation: OperationInfo,
    pub reopen_error: Option<ErrorReport>,
    /// The operation that could not be reopened (an encrypted one waits for its passphrase).
    pub reopen_path: Option<String>,
}

pub fn insert(conn: &Transaction<'_>, stamp: &Stamp, op: &NewOperation) -> Result<()> {
    let mut c = Checker::default();
    c.required("name", &op.name);
    c.max_len("name", &op.name, MAX_SHORT);
    c.date("demo_date", op.demo_date.as_deref());
    c.finish()?;
    conn.execute(
        "INSERT INTO operation (id, name, is_demo, demo_date, created_at, updated_at, updated_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6)",
        params![crate::ids::new_id(), op.name.trim(), op.is_demo, op.demo_date, stamp.now, stamp.by],
    )?;
    Ok(())
}

pub fn info(conn: &Connection, path: &Path, read_only: bool, encrypted: bool) -> Result<OperationInfo> {
    let (id, name, is_demo, demo_date) = conn
        .query_row("SELECT id, name, is_demo, demo_date FROM operation LIMIT 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .map_err(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => Error::Corrupt("operation record missing".into()),
            e => e.into(),
        })?;
    Ok(OperationInfo {
        id,
        name,
        is_demo,
        demo_date,
        path: path.display().to_string(),
        read_only,
        encrypted,
        schema_version: schema::version(conn)?,
        households: conn.query_row("SELECT COUNT(*) FROM household WHERE status = 'active'", [], |r| r.get(0))?,
        open_needs: conn.query_row("SELECT COUNT(*) FROM need WHERE status = 'open'", [], |r| r.get(0))?,
        audit_break: None,
    })
}
