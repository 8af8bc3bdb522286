//! Protecting the file itself: changing the passphrase, encrypting a plain operation (both swap
//! in a verified copy) and writing backups. Kept apart from `mod.rs`, which opens and writes.

use std::path::Path;

use rusqlite::Connection;

use super::crypto::{self, Key};
use super::{connect, copy, Store};
use crate::audit::AuditAction;
use crate::error::{Error, Result};
use crate::files::{remove_with_sidecars, rename_durably, sibling};

impl Store {
    /// Re-keys the operation with a new passphrase: a verified copy under the new key replaces
    /// the file (atomic rename), so a crash at any point leaves either the old or the new file,
    /// never a half-rekeyed one.
    pub fn change_passphrase(&mut self, current: &str, new: &str) -> Result<()> {
        if self.read_only {
            return Err(Error::ReadOnly);
        }
        let old = self.key.as_ref().ok_or(Error::NotEncrypted)?;
        if !old.matches(current)? {
            return Err(Error::WrongPassphrase);
        }
        crypto::check_passphrase(new)?;
        let key = Key::new_for(new)?;
        self.replace_file(key, AuditAction::Rekey, "passphrase changed")
    }

    /// Re-keys a file keyed with an older scheme to the current one, same passphrase.
    pub(crate) fn upgrade_key(&mut self, passphrase: &str) -> Result<()> {
        let key = Key::new_for(passphrase)?;
        self.replace_file(key, AuditAction::Rekey, "key derivation upgraded")
    }

    /// Encrypts a plain operation in place: writes an encrypted copy, verifies it, then swaps it
    /// for the plain file and overwrites the plain file before deleting it (best effort: an SSD
    /// or a journaling file system may keep old blocks; see README › Security).
    pub fn encrypt(&mut self, passphrase: &str) -> Result<()> {
        if self.read_only {
            return Err(Error::ReadOnly);
        }
        if self.key.is_some() {
            return Err(Error::AlreadyEncrypted);
        }
        if self.info()?.is_demo {
            return Err(Error::DemoStaysPlain);
        }
        crypto::check_passphrase(passphrase)?;
        let key = Key::new_for(passphrase)?;
        self.replace_file(key, AuditAction::Encrypt, "operation encrypted")
    }

    /// Swaps the file for a verified copy under `key`. Order matters:
    /// 1. our write lock is held while the copy is made, so no change can slip in unseen;
    /// 2. the audit entry is written into the copy, so the new file records its own re-key;
    /// 3. our connection closes; a WAL left behind means another process or window still has
    ///    the operation open, and the swap is refused (`Busy`) rather than losing its changes;
    /// 4. the old file gets a second name (hard link) and the copy is renamed over the path in
    ///    one atomic step, so the path always holds a whole operation, old or new;
    /// 5. the old file is overwritten (when it was unencrypted) and removed.
    fn replace_file(&mut self, key: Key, action: AuditAction, detail: &str) -> Result<()> {
        let was_plain = self.key.is_none();
        let fresh = sibling(&self.path, ".rekey");
        remove_with_sidecars(&fresh);
        let stamp = self.stamp();
        self.conn.execute_batch("BEGIN IMMEDIATE;")?;
        let copied = copy::copy_verified(&self.path, self.key.as_ref(), &fresh, Some(&key)).and_then(|()| {
            let mut conn = connect(&fresh, false, Some(&key))?;
            let tx = conn.transaction()?;
            crate::store::record_change(&tx, &stamp, action, "operation", &[], detail)?;
            tx.commit()?;
            conn.close().map_err(|(_, e)| Error::from(e))
        });
        let _ = self.conn.execute_batch("ROLLBACK;");
        if let Err(e) = copied {
            remove_with_sidecars(&fresh);
            return Err(e);
        }
        let _ = self.conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
        let conn = std::mem::replace(&mut self.conn, Connection::open_in_memory()?);
        if let Err((conn, e)) = conn.close() {
            self.conn = conn;
            remove_with_sidecars(&fresh);
            return Err(e.into());
        }
        let reopen_old = |this: &mut Self, e: Error| {
            remove_with_sidecars(&fresh);
            let (conn, _) = Self::open_rw(&this.path, this.key.as_ref())?;
            this.writing.install(&conn);
            this.conn = conn;
            Err(e)
        };
        if sibling(&self.path, "-wal").exists() {
            return reopen_old(self, Error::Busy);
        }
        let old = sibling(&self.path, ".old");
        let _ = std::fs::remove_file(&old);
        // A second name for the old file, so it can be wiped after the swap. A file system
        // without hard links (FAT on a USB stick) just skips the wipe.
        let linked = std::fs::hard_link(&self.path, &old).is_ok();
        if let Err(e) = rename_durably(&fresh, &self.path) {
            let _ = std::fs::remove_file(&old);
            return reopen_old(self, e);
        }
        self.key = Some(key);
        if linked {
            if was_plain {
                wipe(&old);
            }
            let _ = std::fs::remove_file(&old);
        }
        // The swap is done: from here on the new file and key are the operation.
        let (conn, _) = Self::open_rw(&self.path, self.key.as_ref())?;
        self.writing.install(&conn);
        self.conn = conn;
        Ok(())
    }

    /// Writes a consistent, verified copy of the operation to `out` (a new file), encrypted with
    /// this operation's key when it has one, and records it in the audit log.
    pub fn backup_to(&mut self, out: &Path) -> Result<()> {
        copy::copy_verified(&self.path, self.key.as_ref(), out, self.key.as_ref())?;
        if !self.read_only {
            let name = file_name(out);
            self.record(AuditAction::Backup, "operation", &[], &name)?;
        }
        Ok(())
    }
}

fn file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

/// Overwrites a file's bytes with zeros before it is deleted (best effort).
fn wipe(path: &Path) {
    use std::io::{Seek, Write};
    if let Ok(mut f) = std::fs::OpenOptions::new().write(true).open(path) {
        let len = f.metadata().map(|m| m.len()).unwrap_or(0);
        let zeros = vec![0u8; 64 * 1024];
        let _ = f.seek(std::io::SeekFrom::Start(0));
        let mut left = len;
        while left > 0 {
            let n = left.min(zeros.len() as u64) as usize;
            if f.write_all(&zeros[..n]).is_err() {
                break;
            }
            left -= n as u64;
        }
        let _ = f.sync_all();
    }
}
