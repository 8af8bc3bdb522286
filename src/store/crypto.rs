//! Encryption at rest. Operation files are SQLCipher databases keyed with a raw 256-bit key
//! derived from the passphrase with Argon2id. The Argon2 salt is the 16-byte salt SQLCipher keeps
//! in plain text at the start of the file (we pass it inside the raw key, `x'<key><salt>'`), so
//! the file alone carries everything needed to unlock it with the passphrase.

use std::fmt;

use rand::RngCore;
use rusqlite::Connection;
use zeroize::Zeroizing;

use crate::error::{Error, Result};

pub const SALT_LEN: usize = 16;
/// SQLCipher's page size; an encrypted file is always a whole number of pages.
pub const PAGE_SIZE: u64 = 4096;

/// Argon2id cost: 19 MiB, 2 passes, 1 lane (OWASP's minimum for Argon2id; ~0.1 s here). Changing
/// these makes existing files unreadable: a new cost needs a new, versioned key scheme.
const ARGON2_MEMORY_KIB: u32 = 19 * 1024;
const ARGON2_PASSES: u32 = 2;

/// The derived key and its salt; wiped from memory when dropped.
pub struct Key {
    key: Zeroizing<[u8; 32]>,
    salt: [u8; SALT_LEN],
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Key(…)")
    }
}

impl Key {
    pub fn derive(passphrase: &str, salt: [u8; SALT_LEN]) -> Result<Key> {
        let params = argon2::Params::new(ARGON2_MEMORY_KIB, ARGON2_PASSES, 1, Some(32))
            .map_err(|e| Error::Internal(format!("argon2 parameters: {e}")))?;
        let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
        let mut key = Zeroizing::new([0u8; 32]);
        argon
            .hash_password_into(passphrase.as_bytes(), &salt, key.as_mut())
            .map_err(|e| Error::Internal(format!("argon2: {e}")))?;
        Ok(Key { key, salt })
    }

    /// A key for a new file, with a fresh random salt.
    pub fn new_for(passphrase: &str) -> Result<Key> {
        let mut salt = [0u8; SALT_LEN];
        rand::rngs::OsRng.fill_bytes(&mut salt);
        Self::derive(passphrase, salt)
    }

    /// SQLCipher's raw-key form, `x'<key><salt>'`, for `PRAGMA key` and `ATTACH … KEY`.
    pub(crate) fn raw(&self) -> Zeroizing<String> {
        let mut hex = Zeroizing::new(String::with_capacity(2 * (32 + SALT_LEN) + 3));
        hex.push_str("x'");
        for b in self.key.iter().chain(self.salt.iter()) {
            hex.push_str(&format!("{b:02x}"));
        }
        hex.push('\'');
        hex
    }

    pub fn salt(&self) -> [u8; SALT_LEN] {
        self.salt
    }

    /// Whether `passphrase` derives this key (same salt).
    pub fn matches(&self, passphrase: &str) -> Result<bool> {
        let other = Key::derive(passphrase, self.salt)?;
        Ok(other.key.as_ref() == self.key.as_ref())
    }

    /// A copy of the key (for a backup or a restore keyed like its source).
    pub fn duplicate(&self) -> Key {
        Key { key: Zeroizing::new(*self.key), salt: self.salt }
    }

    /// Keys a fresh connection. Must run before anything else touches the database.
    pub fn apply(&self, conn: &Connection) -> Result<()> {
        conn.pragma_update(None, "key", self.raw().as_str())?;
        // A wrong key must not print HMAC failures on the console: we report it ourselves.
        // (SQLCipher 4.6 takes this only once the connection has a key.)
        conn.execute_batch("PRAGMA cipher_log_level = NONE;")?;
        Ok(())
    }
}

/// Checks a passphrase before it protects real data: the UI shows the hint, the core refuses
/// passphrases that are too short to matter.
pub fn check_passphrase(passphrase: &str) -> Result<()> {
    if passphrase.chars().count() < 8 {
        return Err(Error::Validation(vec![crate::error::FieldError {
            field: "passphrase".into(),
            rule: crate::error::Rule::TooShort,
        }]));
    }
    Ok(())
}
