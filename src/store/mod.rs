//! The operation file. `Store` owns the connection, opens every write transaction and stamps rows
//! with the time and this installation's id; the plain functions in `household`/`need` take a
//! `&Connection` and never commit on their own.

mod change;
pub mod changelog;
pub mod copy;
pub mod crypto;
pub mod guard;
pub mod operation;
mod protect;
pub mod schema;
mod upgrades;

use std::io::Read;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

use crate::error::{Error, Result};
use crypto::Key;
use operation::{NewOperation, OperationInfo};

use crate::clock::{Clock, Stamp, DEFAULT_OPERATOR};
pub use change::record as record_change;
use change::WriteGuard;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenMode {
    /// Read-write when the file allows it, read-only otherwise.
    Auto,
    ReadOnly,
}

pub struct Store {
    conn: Connection,
    path: PathBuf,
    installation_id: String,
    read_only: bool,
    key: Option<Key>,
    operator: String,
    clock: Clock,
    /// Where the audit log's hash chain breaks, checked when the file was opened.
    audit_break: Option<crate::audit::ChainBreak>,
    /// Open while `write` runs: outside it the connection refuses writes (debug builds).
    writing: WriteGuard,
}

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// What the first bytes of a file say it is.
enum FileKind {
    Plain,
    /// Not plain SQLite but shaped like a SQLCipher file; its first 16 bytes are the salt.
    Encrypted([u8; crypto::SALT_LEN]),
}

/// Refuses anything that is neither a SQLite nor a SQLCipher file before SQLite touches it (so
/// nothing is ever written to it).
fn check_header(path: &Path) -> Result<FileKind> {
    let mut file = std::fs::File::open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Error::FileNotFound,
        _ => Error::Io(e),
    })?;
    let len = file.metadata()?.len();
    let mut header = [0u8; 16];
    match file.read_exact(&mut header) {
        Ok(()) if &header == SQLITE_MAGIC => Ok(FileKind::Plain),
        // An encrypted file is whole pages of random-looking bytes; anything else is not ours.
        Ok(()) if len >= crypto::PAGE_SIZE && len % crypto::PAGE_SIZE == 0 => Ok(FileKind::Encrypted(header)),
        Ok(()) => Err(Error::NotAnOperation),
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Err(Error::NotAnOperation),
        Err(e) => Err(Error::Io(e)),
    }
}

fn configure(conn: &Connection, read_only: bool) -> Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.pragma_update(None, "foreign_keys", true)?;
    if read_only {
        conn.pragma_update(None, "query_only", true)?;
    } else {
        let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(Error::Internal(format!("could not enable WAL (journal mode {mode})")));
        }
        conn.pragma_update(None, "synchronous", "FULL")?;
        // Deleted and overwritten personal data is zeroed in the file, not left in free space.
        conn.pragma_update(None, "secure_delete", true)?;
    }
    Ok(())
}

/// Checks that an open connection is an intact Aidmap operation this version can read.
/// Its schema must be exactly the one the migrations make for its version (`guard`), checked
/// under a deadline before anything else of the file's is read.
fn verify(conn: &Connection) -> Result<()> {
    let app_id = schema::application_id(conn)?;
    if app_id != schema::APPLICATION_ID {
        return Err(Error::NotAnOperation);
    }
    let version = schema::version(conn)?;
    if version > schema::latest_version() {
        return Err(Error::TooNew { found: version, supported: schema::latest_version() });
    }
    guard::with_deadline(conn, guard::CHECK_DEADLINE, || {
        guard::check_schema(conn, version)?;
        let check: String = conn.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
        if check != "ok" {
            return Err(Error::Corrupt("integrity check failed".into()));
        }
        Ok(())
    })
}

fn connect(path: &Path, read_only: bool, key: Option<&Key>) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_NO_MUTEX
        | if read_only { OpenFlags::SQLITE_OPEN_READ_ONLY } else { OpenFlags::SQLITE_OPEN_READ_WRITE };
    let conn = Connection::open_with_flags(path, flags)?;
    guard::harden(&conn)?;
    if let Some(key) = key {
        key.apply(&conn)?;
    }
    Ok(conn)
}

impl Store {
    /// Opens an existing operation: read-write if the file is writable, read-only (with
    /// `read_only()` true) if it is not. Never creates or changes a file that is not an operation.
    pub fn open(path: &Path, installation_id: &str) -> Result<Store> {
        Self::open_with(path, installation_id, OpenMode::Auto)
    }

    pub fn open_with(path: &Path, installation_id: &str, mode: OpenMode) -> Result<Store> {
        Self::unlock(path, installation_id, mode, None)
    }

    /// Opens a plain or an encrypted operation. An encrypted one needs `passphrase`
    /// (`PassphraseRequired` without it, `WrongPassphrase` with a wrong one); a plain one
    /// ignores it.
    pub fn unlock(path: &Path, installation_id: &str, mode: OpenMode, passphrase: Option<&str>) -> Result<Store> {
        let key = match check_header(path)? {
            FileKind::Plain => None,
            FileKind::Encrypted(salt) => Some(Key::derive(passphrase.ok_or(Error::PassphraseRequired)?, salt)?),
        };
        let mut store = match Self::unlock_with(path, installation_id, mode, key) {
            // A scheme-1 file whose random salt ends like a scheme-2 one (1 in 256).
            Err(Error::WrongPassphrase) => match check_header(path)? {
                FileKind::Encrypted(salt) if crypto::scheme_of(&salt) == 2 => {
                    let legacy = Key::derive_with(passphrase.unwrap_or_default(), salt, 1)?;
                    Self::unlock_with(path, installation_id, mode, Some(legacy))?
                }
                _ => return Err(Error::WrongPassphrase),
            },
            other => other?,
        };
        // A file keyed with an older, cheaper scheme is re-keyed to the current one now, while
        // the passphrase is at hand (a verified copy swapped in, as for a passphrase change).
        if let (Some(p), false, Some(false)) = (passphrase, store.read_only, store.key.as_ref().map(Key::is_current)) {
            store.upgrade_key(p)?;
        }
        Ok(store)
    }

    fn unlock_with(path: &Path, installation_id: &str, mode: OpenMode, key: Option<Key>) -> Result<Store> {
        let writable = mode == OpenMode::Auto && !std::fs::metadata(path)?.permissions().readonly();
        let opened = if writable { Self::open_rw(path, key.as_ref()) } else { Self::open_ro(path, key.as_ref()) };
        let (conn, read_only) = match opened {
            // With a key, "not a database" means the key is wrong (or the file is not ours).
            Err(Error::NotAnOperation) if key.is_some() => return Err(Error::WrongPassphrase),
            other => other?,
        };
        let audit_break = crate::audit::check_chain(&conn)?;
        let writing = WriteGuard::default();
        writing.install(&conn);
        Ok(Store {
            conn,
            path: path.to_path_buf(),
            installation_id: installation_id.to_string(),
            read_only,
            key,
            operator: DEFAULT_OPERATOR.to_string(),
            clock: Box::new(Utc::now),
            audit_break,
            writing,
        })
    }

    /// A read-only connection to an operation file of any schema this version can read, for
    /// copying it (restore): unlike `open_ro`, an older schema is fine (the copy is migrated).
    pub(crate) fn open_snapshot(path: &Path, passphrase: Option<&str>) -> Result<(Connection, Option<Key>)> {
        let key = match check_header(path)? {
            FileKind::Plain => None,
            FileKind::Encrypted(salt) => Some(Key::derive(passphrase.ok_or(Error::PassphraseRequired)?, salt)?),
        };
        let conn = match connect(path, true, key.as_ref()).and_then(|c| verify(&c).map(|_| c)) {
            Err(Error::NotAnOperation) if key.is_some() => return Err(Error::WrongPassphrase),
            other => other?,
        };
        conn.pragma_update(None, "query_only", true)?;
        Ok((conn, key))
    }

    fn open_rw(path: &Path, key: Option<&Key>) -> Result<(Connection, bool)> {
        let mut conn = connect(path, false, key)?;
        verify(&conn)?;
        match configure(&conn, false) {
            Err(Error::ReadOnly) => return Self::open_ro(path, key),
            other => other?,
        }
        schema::migrate(&mut conn)?;
        changelog::install(&conn)?;
        Ok((conn, false))
    }

    fn open_ro(path: &Path, key: Option<&Key>) -> Result<(Connection, bool)> {
        let conn = connect(path, true, key)?;
        verify(&conn)?;
        configure(&conn, true)?;
        if schema::version(&conn)? < schema::latest_version() {
            // An older file needs an upgrade we cannot write.
            return Err(Error::ReadOnly);
        }
        Ok((conn, true))
    }

    /// Creates a new operation file at `path`, filled by `populate` in the same transaction.
    /// The file appears under its name only once complete; an existing file is never replaced.
    /// With a passphrase the file is encrypted (see `crypto`).
    pub fn create_with(
        path: &Path,
        op: &NewOperation,
        installation_id: &str,
        now: DateTime<Utc>,
        passphrase: Option<&str>,
        populate: impl FnOnce(&Transaction<'_>, &Stamp) -> Result<()>,
    ) -> Result<Store> {
        if path.exists() {
            return Err(Error::FileExists);
        }
        let key = match passphrase {
            Some(p) => {
                crypto::check_passphrase(p)?;
                Some(Key::new_for(p)?)
            }
            None => None,
        };
        let mut tmp = path.as_os_str().to_owned();
        tmp.push(".creating");
        let tmp = PathBuf::from(tmp);
        crate::files::remove_with_sidecars(&tmp);
        let result = (|| {
            let mut conn = Connection::open(&tmp)?;
            if let Some(key) = &key {
                key.apply(&conn)?;
            }
            configure(&conn, false)?;
            schema::migrate(&mut conn)?;
            let stamp = Stamp::new(now, installation_id, DEFAULT_OPERATOR);
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            operation::insert(&tx, &stamp, op)?;
            // Every copy of this operation seals its change bundles with this one secret.
            changelog::secret(&tx)?;
            populate(&tx, &stamp)?;
            tx.commit()?;
            conn.close().map_err(|(_, e)| e)?;
            std::fs::rename(&tmp, path)?;
            Ok(())
        })();
        if let Err(e) = result {
            crate::files::remove_with_sidecars(&tmp);
            return Err(e);
        }
        Self::unlock(path, installation_id, OpenMode::Auto, passphrase)
    }

    /// A new, empty operation; encrypted when a passphrase is given.
    pub fn create(path: &Path, name: &str, installation_id: &str) -> Result<Store> {
        Self::create_encrypted(path, name, installation_id, None)
    }

    pub fn create_encrypted(path: &Path, name: &str, installation_id: &str, passphrase: Option<&str>) -> Result<Store> {
        let op = NewOperation { name: name.to_string(), is_demo: false, demo_date: None };
        Self::create_with(path, &op, installation_id, Utc::now(), passphrase, |_, _| Ok(()))
    }

    /// Replaces the clock (tests pass a fixed time).
    pub fn with_clock(mut self, clock: impl Fn() -> DateTime<Utc> + Send + 'static) -> Self {
        self.clock = Box::new(clock);
        self
    }

    /// The operator profile the audit log names for this session's changes.
    pub fn set_operator(&mut self, name: &str) -> Result<()> {
        let name = name.trim();
        let mut c = crate::validate::Checker::default();
        c.required("operator", name);
        c.max_len("operator", name, crate::validate::MAX_SHORT);
        c.finish()?;
        self.operator = name.to_string();
        Ok(())
    }

    pub fn operator(&self) -> &str {
        &self.operator
    }

    pub fn stamp(&self) -> Stamp {
        Stamp::new((self.clock)(), &self.installation_id, &self.operator)
    }

    pub fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn read_only(&self) -> bool {
        self.read_only
    }

    /// Read access for queries the store does not wrap (tests, benchmarks, the CLI).
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Runs `f` in one IMMEDIATE transaction; any error rolls everything back.
    pub fn write<T>(&mut self, f: impl FnOnce(&Transaction<'_>, &Stamp) -> Result<T>) -> Result<T> {
        self.transact(true, f)
    }

    /// Runs `f` as a write and rolls it back (an import's dry run): what it would do, changing
    /// nothing.
    pub fn dry_run<T>(&mut self, f: impl FnOnce(&Transaction<'_>, &Stamp) -> Result<T>) -> Result<T> {
        self.transact(false, f)
    }

    fn transact<T>(&mut self, commit: bool, f: impl FnOnce(&Transaction<'_>, &Stamp) -> Result<T>) -> Result<T> {
        if self.read_only {
            return Err(Error::ReadOnly);
        }
        let stamp = self.stamp();
        let place = self.place();
        let _open = self.writing.open();
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let (changes, recorded) = (tx.total_changes(), change::recorded(&tx)?);
        let value = f(&tx, &stamp)?;
        if commit {
            changelog::capture(&tx, &stamp, &place)?;
        }
        // Every change is recorded (see `change`): a write that changed rows and recorded
        // nothing is a bug in its writer, refused in debug builds before it commits.
        if commit && cfg!(debug_assertions) && tx.total_changes() > changes && change::recorded(&tx)? == recorded {
            return Err(Error::Internal("a write changed rows without recording the change".into()));
        }
        if commit {
            tx.commit()?;
        } else {
            tx.rollback()?;
        }
        Ok(value)
    }

    /// Records an event that changes no row (an export, a backup, a restore) as a change of its
    /// own, through the same path.
    pub fn record(
        &mut self,
        action: crate::audit::AuditAction,
        entity: &str,
        ids: &[&str],
        detail: &str,
    ) -> Result<()> {
        self.write(|tx, stamp| change::record(tx, stamp, action, entity, ids, detail))
    }

    /// Runs the reads of `f` on one snapshot (an export's queries agree with each other even
    /// while another window writes); changes nothing.
    pub fn snapshot<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let tx = self.conn.unchecked_transaction()?;
        let value = f(&tx)?;
        tx.rollback()?;
        Ok(value)
    }

    pub fn info(&self) -> Result<OperationInfo> {
        let mut info = operation::info(&self.conn, &self.path, self.read_only, self.encrypted())?;
        info.audit_break = self.audit_break.clone();
        Ok(info)
    }

    /// Folds the WAL into the file (after a purge: old page images would still hold the
    /// purged values).
    pub fn checkpoint(&self) -> Result<()> {
        self.conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    }

    /// Where this copy of the operation lives: a copy elsewhere is another replica.
    pub fn place(&self) -> changelog::Place {
        let path = std::fs::canonicalize(&self.path).unwrap_or_else(|_| self.path.clone());
        changelog::Place { installation: self.installation_id.clone(), path: path.to_string_lossy().into_owned() }
    }

    /// The raw key material bundles are sealed with (see `sync::bundle::ContentKey`); `None` for
    /// a plain operation.
    pub fn key_material(&self) -> Option<zeroize::Zeroizing<String>> {
        self.key.as_ref().map(Key::raw)
    }

    pub fn encrypted(&self) -> bool {
        self.key.is_some()
    }
}
