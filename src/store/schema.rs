//! The schema: numbered migrations from `migrations/`, embedded, applied one transaction per step
//! and tracked with `PRAGMA user_version`. Append-only: never edit a migration that has landed.

use rusqlite::{Connection, Transaction, TransactionBehavior};

use crate::error::{Error, Result};

/// Marks a SQLite file as an Aidmap operation ("AIDP").
pub const APPLICATION_ID: i32 = 0x4149_4450;

/// One schema step: its SQL, and optionally Rust that runs after it in the same transaction
/// (for data SQLite cannot compute itself, like Unicode-folded search text).
pub struct Migration {
    pub version: u32,
    pub sql: &'static str,
    pub after: Option<fn(&Transaction<'_>) -> Result<()>>,
}

pub const MIGRATIONS: &[Migration] = &[
    Migration { version: 1, sql: include_str!("../../migrations/0001_init.sql"), after: None },
    Migration {
        version: 2,
        sql: include_str!("../../migrations/0002_household_search.sql"),
        after: Some(super::upgrades::backfill_search_text),
    },
    Migration { version: 3, sql: include_str!("../../migrations/0003_audit_retention.sql"), after: None },
    Migration { version: 4, sql: include_str!("../../migrations/0004_closures.sql"), after: None },
    Migration { version: 5, sql: include_str!("../../migrations/0005_supplies_volunteers.sql"), after: None },
    Migration { version: 6, sql: include_str!("../../migrations/0006_imports_merges.sql"), after: None },
    Migration { version: 7, sql: include_str!("../../migrations/0007_plans.sql"), after: None },
    Migration { version: 8, sql: include_str!("../../migrations/0008_driver_notes.sql"), after: None },
    Migration {
        version: 9,
        sql: include_str!("../../migrations/0009_need_items.sql"),
        after: Some(super::upgrades::assign_items),
    },
    Migration { version: 10, sql: include_str!("../../migrations/0010_doubted_coordinates.sql"), after: None },
    Migration {
        version: 11,
        sql: include_str!("../../migrations/0011_audit_chain.sql"),
        after: Some(crate::audit::chain_on_upgrade),
    },
    Migration { version: 12, sql: include_str!("../../migrations/0012_replicas.sql"), after: None },
    Migration { version: 13, sql: include_str!("../../migrations/0013_landmarks.sql"), after: None },
];

pub fn latest_version() -> u32 {
    MIGRATIONS.last().map(|m| m.version).unwrap_or(0)
}

pub fn version(conn: &Connection) -> Result<u32> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
}

pub fn application_id(conn: &Connection) -> Result<i32> {
    Ok(conn.query_row("PRAGMA application_id", [], |r| r.get(0))?)
}

/// Brings the schema up to `target` (normally the latest). Idempotent; refuses a newer file.
pub fn migrate_to(conn: &mut Connection, target: u32) -> Result<()> {
    for m in MIGRATIONS.iter().filter(|m| m.version <= target) {
        let step = m.version;
        // IMMEDIATE: a second process migrating at the same moment waits, then sees the new version.
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let current = version(&tx)?;
        if current > latest_version() {
            return Err(Error::TooNew { found: current, supported: latest_version() });
        }
        if current >= step {
            continue;
        }
        if current == 0 {
            tx.pragma_update(None, "application_id", APPLICATION_ID)?;
        }
        tx.execute_batch(m.sql)?;
        if let Some(after) = m.after {
            after(&tx)?;
        }
        tx.pragma_update(None, "user_version", step)?;
        tx.commit()?;
    }
    Ok(())
}

pub fn migrate(conn: &mut Connection) -> Result<()> {
    migrate_to(conn, latest_version())
}
