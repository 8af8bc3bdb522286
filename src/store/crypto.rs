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

/// Key schemes, so the cost can rise without making older files unreadable:
/// 1. Argon2id 19 MiB, 2 passes (OWASP's minimum; ~27 ms a guess on a laptop: too cheap for a
///    stolen one) — files written before scheme 2;
/// 2. Argon2id 256 MiB, 3 passes, 1 lane (`cargo bench --bench store`: ~0.5–1 s a guess).
///
/// SQLCipher keeps the salt in clear at the start of the file; a scheme-2 salt ends in
/// `SCHEME2_TAG` (15 random bytes remain). A scheme-1 file whose random salt happens to end in
/// the tag (1 in 256) is tried with both. Files are re-keyed to the current scheme on the next
/// successful read-write unlock (`Store::unlock`).
pub const CURRENT_SCHEME: u8 = 2;
const SCHEME2_TAG: u8 = 0xA2;

fn cost(scheme: u8) -> (u32, u32) {
    match scheme {
        1 => (19 * 1024, 2),
        _ => (256 * 1024, 3),
    }
}

/// The scheme a file's salt says it was keyed with.
pub fn scheme_of(salt: &[u8; SALT_LEN]) -> u8 {
    if salt[SALT_LEN - 1] == SCHEME2_TAG {
        2
    } else {
        1
    }
}

/// The derived key, its salt and scheme; the key is wiped from memory when dropped.
pub struct Key {
    key: Zeroizing<[u8; 32]>,
    salt: [u8; SALT_LEN],
    scheme: u8,
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Key(…)")
    }
}

impl Key {
    /// The key for a file's salt, with the scheme its salt says.
    pub fn derive(passphrase: &str, salt: [u8; SALT_LEN]) -> Result<Key> {
        Self::derive_with(passphrase, salt, scheme_of(&salt))
    }

    pub fn derive_with(passphrase: &str, salt: [u8; SALT_LEN], scheme: u8) -> Result<Key> {
        let (memory, passes) = cost(scheme);
        let params = argon2::Params::new(memory, passes, 1, Some(32))
            .map_err(|e| Error::Internal(format!("argon2 parameters: {e}")))?;
        let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
        let mut key = Zeroizing::new([0u8; 32]);
        argon
            .hash_password_into(passphrase.as_bytes(), &salt, key.as_mut())
            .map_err(|e| Error::Internal(format!("argon2: {e}")))?;
        Ok(Key { key, salt, scheme })
    }

    /// A key for a new file, with a fresh random salt marked with the current scheme.
    pub fn new_for(passphrase: &str) -> Result<Key> {
        let mut salt = [0u8; SALT_LEN];
        rand::rngs::OsRng.fill_bytes(&mut salt);
        salt[SALT_LEN - 1] = SCHEME2_TAG;
        Self::derive_with(passphrase, salt, CURRENT_SCHEME)
    }

    /// Whether the key uses the current scheme (else the file is re-keyed at unlock).
    pub fn is_current(&self) -> bool {
        self.scheme == CURRENT_SCHEME
    }

    pub fn scheme(&self) -> u8 {
        self.scheme
    }

    /// SQLCipher's raw-key form, `x'<key><salt>'`, for `PRAGMA key` and `ATTACH … KEY`.
    pub fn raw(&self) -> Zeroizing<String> {
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
        let other = Key::derive_with(passphrase, self.salt, self.scheme)?;
        Ok(other.key.as_ref() == self.key.as_ref())
    }

    /// A copy of the key (for a backup or a restore keyed like its source).
    pub fn duplicate(&self) -> Key {
        Key { key: Zeroizing::new(*self.key), salt: self.salt, scheme: self.scheme }
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
    let refuse = |rule| Err(Error::Validation(vec![crate::error::FieldError { field: "passphrase".into(), rule }]));
    if passphrase.chars().count() < 8 {
        return refuse(crate::error::Rule::TooShort);
    }
    if !strong_enough(passphrase) {
        return refuse(crate::error::Rule::TooWeak);
    }
    Ok(())
}

/// Strong enough for a file that may be stolen: `zxcvbn` scores it 3 or more (of 4), or it is
/// four words or more (a phrase a tired volunteer can type and remember). `12345678` and
/// `password1` are not.
pub fn strong_enough(passphrase: &str) -> bool {
    let words = passphrase.split_whitespace().filter(|w| w.chars().count() >= 3).count();
    if words >= 4 {
        return true;
    }
    zxcvbn::zxcvbn(passphrase, &[]).score() >= zxcvbn::Score::Three
}
