//! The one write path. `Store::write` opens every write transaction on the operation and hands
//! its writers a `&Transaction` and the `Stamp`; each writer stamps the rows it changes
//! (`updated_at`, `updated_by`) and calls `record` once per change. `record` is the only place a
//! change is recorded: the audit entry (hash-chained) now, and the change log for other replicas
//! next, in the same transaction, so nothing is ever written without its record or recorded
//! without being written.
//!
//! Debug builds enforce it: an SQLite authorizer on the store's connection refuses any INSERT,
//! UPDATE or DELETE prepared outside `Store::write` (`WriteGuard`), and `Store::write` refuses to
//! commit a transaction that changed rows without recording a change.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use rusqlite::hooks::{AuthAction, AuthContext, Authorization};
use rusqlite::{Connection, Transaction};

use crate::audit::{self, AuditAction};
use crate::clock::Stamp;
use crate::error::Result;

/// Records one change in the caller's transaction: `action` on `entity` (`ids`: the records,
/// the first one the record changed), with `detail` naming what changed — never personal values.
pub fn record(
    tx: &Transaction<'_>,
    stamp: &Stamp,
    action: AuditAction,
    entity: &str,
    ids: &[&str],
    detail: &str,
) -> Result<()> {
    audit::append(tx, stamp, action, entity, ids, detail)?;
    // Issue 18 (hubs working together) records the change for other replicas here.
    Ok(())
}

/// How many changes were recorded on this connection so far (the audit log's last sequence
/// number): `Store::write` compares it before and after.
pub(crate) fn recorded(conn: &Connection) -> Result<i64> {
    Ok(conn.prepare_cached("SELECT COALESCE(MAX(seq), 0) FROM audit")?.query_row([], |r| r.get(0))?)
}

/// Whether a write transaction of the store is open; the authorizer reads it.
#[derive(Clone, Default)]
pub(crate) struct WriteGuard(Arc<AtomicBool>);

impl WriteGuard {
    /// Installs the authorizer on `conn` (debug builds; release builds rely on the type of the
    /// writers' first parameter and on the tests run in debug).
    pub(crate) fn install(&self, conn: &Connection) {
        if cfg!(debug_assertions) {
            let open = self.0.clone();
            conn.authorizer(Some(move |ctx: AuthContext<'_>| match ctx.action {
                AuthAction::Insert { table_name }
                | AuthAction::Update { table_name, .. }
                | AuthAction::Delete { table_name }
                    if ctx.database_name == Some("main")
                        && !table_name.starts_with("sqlite_")
                        && !open.load(Ordering::SeqCst) =>
                {
                    Authorization::Deny
                }
                _ => Authorization::Allow,
            }));
        }
    }

    /// Marks a write open until the returned value is dropped (also on a panic).
    pub(crate) fn open(&self) -> impl Drop + '_ {
        struct Open<'a>(&'a AtomicBool);
        impl Drop for Open<'_> {
            fn drop(&mut self) {
                self.0.store(false, Ordering::SeqCst);
            }
        }
        self.0.store(true, Ordering::SeqCst);
        Open(&self.0)
    }
}
