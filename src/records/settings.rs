//! Per-operation settings, kept in the operation file (table `setting`, one JSON value per key)
//! so they travel with it. Changing one is audited.

use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use ts_rs::TS;

use crate::audit::AuditAction;
use crate::clock::Stamp;
use crate::error::Result;
use crate::validate::{Checker, MAX_LONG};

/// How long personal data is kept once it is no longer needed. `None` = never purge.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Retention {
    /// Days after a need was delivered, cancelled or failed before its notes are removed.
    pub needs_days: Option<u32>,
    /// Days after a household was closed before its personal fields are removed.
    pub households_days: Option<u32>,
}

/// Automatic backups while the operation is open in the app.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BackupSchedule {
    /// Folder for the backups; `None` = automatic backups off.
    pub folder: Option<String>,
    pub every_minutes: u32,
    /// How many automatic backups to keep (oldest are deleted).
    pub keep: u32,
}

impl Default for BackupSchedule {
    fn default() -> Self {
        BackupSchedule { folder: None, every_minutes: 60, keep: 10 }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OperationSettings {
    pub retention: Retention,
    pub backup: BackupSchedule,
    /// Parts stored in the file that were not valid (or not readable) and are shown as their
    /// defaults instead: the Settings dialog says so, and saving writes the shown values.
    /// Ignored on save.
    #[serde(default)]
    pub set_aside: Vec<SettingsPart>,
}

/// A part of the operation's settings, stored under its own key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SettingsPart {
    Retention,
    Backup,
}

impl OperationSettings {
    pub fn validate(&self) -> Result<()> {
        let mut c = Checker::default();
        for (field, days) in [
            ("retention.needs_days", self.retention.needs_days),
            ("retention.households_days", self.retention.households_days),
        ] {
            if let Some(d) = days {
                c.range(field, d as f64, 1.0, 3650.0);
            }
        }
        c.range("backup.every_minutes", self.backup.every_minutes as f64, 5.0, 7.0 * 24.0 * 60.0);
        c.range("backup.keep", self.backup.keep as f64, 1.0, 1000.0);
        if let Some(folder) = &self.backup.folder {
            c.required("backup.folder", folder);
            c.max_len("backup.folder", folder, MAX_LONG);
        }
        c.finish()
    }
}

/// A stored value by key; the default when there is none (not when it does not read).
pub fn read<T: DeserializeOwned + Default>(conn: &Connection, key: &str) -> Result<T> {
    let value: Option<String> =
        conn.query_row("SELECT value FROM setting WHERE key = ?1", [key], |r| r.get(0)).optional()?;
    Ok(match value {
        Some(v) => serde_json::from_str(&v)?,
        None => T::default(),
    })
}

/// Stores a value under `key`, stamped. Callers audit it.
pub fn write<T: Serialize>(conn: &Transaction<'_>, stamp: &Stamp, key: &str, value: &T) -> Result<()> {
    conn.execute(
        "INSERT INTO setting (key, value, updated_at, updated_by) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at,
             updated_by = excluded.updated_by",
        params![key, serde_json::to_string(value)?, stamp.now, stamp.by],
    )?;
    Ok(())
}

/// The operation's settings, checked on read as on write: a file from elsewhere may hold any
/// values (backups every 0 minutes keeping 0 would loop and delete every backup). A part that
/// does not validate is read as its default (backups off, nothing purged) — the safe side — and
/// named in `set_aside`, never silently.
pub fn get(conn: &Connection) -> Result<OperationSettings> {
    let mut set_aside = Vec::new();
    let retention = read::<Retention>(conn, "retention")
        .ok()
        .filter(|r| OperationSettings { retention: r.clone(), ..Default::default() }.validate().is_ok());
    let backup = read::<BackupSchedule>(conn, "backup")
        .ok()
        .filter(|b| OperationSettings { backup: b.clone(), ..Default::default() }.validate().is_ok());
    if retention.is_none() {
        set_aside.push(SettingsPart::Retention);
    }
    if backup.is_none() {
        set_aside.push(SettingsPart::Backup);
    }
    Ok(OperationSettings { retention: retention.unwrap_or_default(), backup: backup.unwrap_or_default(), set_aside })
}

/// Saves the settings and audits which ones changed.
pub fn set(conn: &Transaction<'_>, stamp: &Stamp, value: &OperationSettings) -> Result<OperationSettings> {
    value.validate()?;
    let before = get(conn)?;
    // A part set aside on read is written back as shown, so the file holds valid values again.
    if before.retention != value.retention || before.set_aside.contains(&SettingsPart::Retention) {
        write(conn, stamp, "retention", &value.retention)?;
        crate::store::record_change(conn, stamp, AuditAction::Settings, "setting", &[], "retention")?;
    }
    if before.backup != value.backup || before.set_aside.contains(&SettingsPart::Backup) {
        write(conn, stamp, "backup", &value.backup)?;
        crate::store::record_change(conn, stamp, AuditAction::Settings, "setting", &[], "backup")?;
    }
    get(conn)
}
