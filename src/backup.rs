//! Backups of an operation: manual ones (`Store::backup_to`), scheduled ones kept in a folder
//! (the newest N), and restore, which checks a backup thoroughly before writing a new operation
//! file from it. A backup is itself an operation file, encrypted like its source.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use crate::audit::AuditAction;
use crate::error::{Error, Result};
use crate::store::{copy, OpenMode, Store};

/// File names of scheduled backups: `<operation-slug>-<id prefix>-<UTC time>.aidmap`, so the
/// newest sort last and rotation never touches another operation's backups.
fn prefix(store: &Store) -> Result<String> {
    let info = store.info()?;
    let slug: String = crate::text::fold(&info.name)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    let slug: String = slug.chars().take(40).collect();
    let id: String = info.id.chars().filter(|c| c.is_ascii_hexdigit()).rev().take(8).collect();
    Ok(format!("{}-{}-", if slug.is_empty() { "operation" } else { &slug }, id.chars().rev().collect::<String>()))
}

/// Writes a scheduled backup into `folder` and deletes the oldest ones beyond `keep`.
/// Returns the new file.
pub fn scheduled(store: &mut Store, folder: &Path, keep: u32, now: DateTime<Utc>) -> Result<PathBuf> {
    if !folder.is_dir() {
        return Err(Error::FileNotFound);
    }
    let prefix = prefix(store)?;
    let out = folder.join(format!("{prefix}{}.aidmap", now.format("%Y%m%d-%H%M%S-%3f")));
    store.backup_to(&out)?;
    // Only files named exactly like our scheduled backups count (never a restored copy or the
    // open operation, whatever its name), the one just written is always kept (even when the
    // clock went backwards), and the oldest of the others go.
    let is_ours = |name: &str| {
        name.strip_prefix(&prefix).and_then(|rest| rest.strip_suffix(".aidmap")).is_some_and(|stamp| {
            stamp.len() == 19
                && stamp.char_indices().all(|(i, c)| if matches!(i, 8 | 15) { c == '-' } else { c.is_ascii_digit() })
        })
    };
    let mut others: Vec<PathBuf> = std::fs::read_dir(folder)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p != &out && p != store.path())
        .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(is_ours))
        .collect();
    others.sort();
    let excess = (others.len() + 1).saturating_sub(keep.max(1) as usize);
    for old in &others[..excess.min(others.len())] {
        std::fs::remove_file(old)?;
    }
    Ok(out)
}

/// Checks a backup (full integrity check, foreign keys) and writes it as a new operation at
/// `out` (never over an existing file), keyed like the backup. The restore is audited in the
/// new file.
pub fn restore(
    backup: &Path,
    out: &Path,
    installation_id: &str,
    passphrase: Option<&str>,
    operator: &str,
) -> Result<Store> {
    if out.exists() {
        return Err(Error::FileExists);
    }
    let (source, key) = Store::open_snapshot(backup, passphrase)?;
    copy::full_check(&source)?;
    copy::copy_verified(backup, key.as_ref(), out, key.as_ref())?;
    drop(source);
    let mut store = Store::unlock(out, installation_id, OpenMode::Auto, passphrase)?;
    store.set_operator(operator)?;
    let name = backup.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    store.record(AuditAction::Restore, "operation", &[], &name)?;
    Ok(store)
}
