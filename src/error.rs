//! Typed errors of the core. Messages never contain personal data (names, phones, addresses):
//! they name fields and rules only, so they are safe to log and to show.

use serde::Serialize;
use ts_rs::TS;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The fixed set of error codes the UI and the CLI understand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ErrorCode {
    Validation,
    NotFound,
    ReadOnly,
    NotAnOperation,
    TooNew,
    Corrupt,
    SchemaChanged,
    FileNotFound,
    FileExists,
    Io,
    Busy,
    NoOperation,
    PassphraseRequired,
    WrongPassphrase,
    DiskFull,
    Cancelled,
    NotARegion,
    RegionDamaged,
    NotABasemap,
    UnreadableFile,
    NotEnoughStock,
    NotEncrypted,
    AlreadyEncrypted,
    DemoStaysPlain,
    Syncthing,
    OwnedElsewhere,
    Internal,
}

/// Which validation rule a field broke; the UI turns it into a sentence in the user's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Rule {
    Required,
    OutOfRange,
    MustBePositive,
    NotANumber,
    Unknown,
    TooLong,
    InvalidDate,
    NotAllowed,
    TooShort,
    InvalidCharacters,
    /// A passphrase that is easy to guess (`crypto::strong_enough`).
    TooWeak,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct FieldError {
    pub field: String,
    pub rule: Rule,
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what = match self.rule {
            Rule::Required => "is required",
            Rule::OutOfRange => "is out of range",
            Rule::MustBePositive => "must be greater than zero",
            Rule::NotANumber => "must be a number",
            Rule::Unknown => "has an unknown value",
            Rule::TooLong => "is too long",
            Rule::InvalidDate => "is not a valid date",
            Rule::NotAllowed => "cannot change that way",
            Rule::TooShort => "is too short",
            Rule::InvalidCharacters => "contains control characters",
            Rule::TooWeak => "is too easy to guess (use four words or more, or a longer mix)",
        };
        write!(f, "{} {}", self.field, what)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("invalid input: {}", join(.0))]
    Validation(Vec<FieldError>),
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("this operation is open read-only; changes cannot be saved")]
    ReadOnly,
    #[error("this file is not an Aidmap operation")]
    NotAnOperation,
    #[error("this operation was saved by a newer Aidmap (schema {found}, this version knows up to {supported}); please update Aidmap")]
    TooNew { found: u32, supported: u32 },
    #[error("this operation file is damaged ({0})")]
    Corrupt(String),
    /// The file's tables, indexes, triggers or views are not the ones Aidmap makes: it was
    /// changed outside Aidmap and may run code of its own. The detail names schema objects.
    #[error("this file's structure was changed outside Aidmap; it was not opened ({0})")]
    SchemaChanged(String),
    #[error("file not found")]
    FileNotFound,
    #[error("a file with that name already exists; choose another name")]
    FileExists,
    #[error("no operation is open")]
    NoOperation,
    #[error("this operation is encrypted: a passphrase is needed to open it")]
    PassphraseRequired,
    #[error("wrong passphrase (or the file is not an Aidmap operation)")]
    WrongPassphrase,
    #[error("the operation is busy in another window or process; try again")]
    Busy,
    #[error("this file is not an Aidmap region pack")]
    NotARegion,
    /// A region pack that is not what Aidmap writes (a view, a trigger, arrays that do not fit,
    /// coordinates that are not numbers). The detail names the part.
    #[error("the region pack is damaged ({0}); import the extract again (File › Region)")]
    RegionDamaged(String),
    #[error("this file is not a vector basemap (a PMTiles archive in the Protomaps schema): {0}")]
    NotABasemap(&'static str),
    #[error("this file cannot be imported: {0}")]
    UnreadableFile(&'static str),
    /// A routing instance (VRPLIB, Solomon, `mutual-aid-vrp/1`) that cannot be read: the message
    /// names the line, field or rule, never a value.
    #[error("this routing instance cannot be read: {0}")]
    InvalidInstance(String),
    /// A routing solution file that does not fit its instance.
    #[error("this routing solution cannot be read: {0}")]
    InvalidSolution(String),
    /// A depot holds less than a plan's loads take: the catalogue item, the run (number) whose
    /// depot it is, and the quantities — no site or personal name.
    #[error("not enough {item} at the depot of run {run}: {wanted} needed, {on_hand} on hand; nothing was changed")]
    NotEnoughStock { item: String, run: usize, wanted: f64, on_hand: f64 },
    #[error("cancelled; nothing was changed")]
    Cancelled,
    #[error("this operation is not encrypted")]
    NotEncrypted,
    #[error("this operation is already encrypted")]
    AlreadyEncrypted,
    #[error("the demo operation holds no real data and stays unencrypted; create a new operation for real data")]
    DemoStaysPlain,
    /// Syncthing could not be started or did not answer as expected (no personal data: the
    /// API path and Syncthing's reason).
    #[error("syncthing: {0}")]
    Syncthing(String),
    /// A plan belongs to the replica that made it (named here): read-only on the others.
    #[error("this plan was made on {0}: only that laptop changes, dispatches or closes it; here it is read-only")]
    OwnedElsewhere(String),
    #[error("the disk is full: this change was not saved; free some space and try again")]
    DiskFull,
    #[error("the disk could not be written (it may be full, removed or failing): this change was not saved")]
    DiskError,
    #[error("file error: {0}")]
    Io(std::io::Error),
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
    #[error("internal error: {0}")]
    Internal(String),
}

fn join(errors: &[FieldError]) -> String {
    errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("; ")
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ffi::ErrorCode as C;
        match e.sqlite_error_code() {
            Some(C::DatabaseBusy) | Some(C::DatabaseLocked) => Error::Busy,
            Some(C::ReadOnly) => Error::ReadOnly,
            Some(C::NotADatabase) => Error::NotAnOperation,
            Some(C::DatabaseCorrupt) => Error::Corrupt("database disk image is malformed".into()),
            Some(C::DiskFull) => Error::DiskFull,
            Some(C::SystemIoFailure) => Error::DiskError,
            _ => Error::Sqlite(e),
        }
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        match e.kind() {
            std::io::ErrorKind::StorageFull | std::io::ErrorKind::FileTooLarge => Error::DiskFull,
            _ => Error::Io(e),
        }
    }
}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        Error::Corrupt(format!("stored JSON: {e}"))
    }
}

impl Error {
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Validation(_) => ErrorCode::Validation,
            Error::NotFound(_) => ErrorCode::NotFound,
            Error::ReadOnly => ErrorCode::ReadOnly,
            Error::NotAnOperation => ErrorCode::NotAnOperation,
            Error::TooNew { .. } => ErrorCode::TooNew,
            Error::Corrupt(_) => ErrorCode::Corrupt,
            Error::SchemaChanged(_) => ErrorCode::SchemaChanged,
            Error::FileNotFound => ErrorCode::FileNotFound,
            Error::FileExists => ErrorCode::FileExists,
            Error::Busy => ErrorCode::Busy,
            Error::NoOperation => ErrorCode::NoOperation,
            Error::PassphraseRequired => ErrorCode::PassphraseRequired,
            Error::WrongPassphrase => ErrorCode::WrongPassphrase,
            Error::Io(_) | Error::DiskError => ErrorCode::Io,
            Error::DiskFull => ErrorCode::DiskFull,
            Error::Cancelled => ErrorCode::Cancelled,
            Error::NotEnoughStock { .. } => ErrorCode::NotEnoughStock,
            Error::NotARegion => ErrorCode::NotARegion,
            Error::RegionDamaged(_) => ErrorCode::RegionDamaged,
            Error::NotABasemap(_) => ErrorCode::NotABasemap,
            Error::UnreadableFile(_) | Error::InvalidInstance(_) | Error::InvalidSolution(_) => {
                ErrorCode::UnreadableFile
            }
            Error::NotEncrypted => ErrorCode::NotEncrypted,
            Error::AlreadyEncrypted => ErrorCode::AlreadyEncrypted,
            Error::DemoStaysPlain => ErrorCode::DemoStaysPlain,
            Error::Syncthing(_) => ErrorCode::Syncthing,
            Error::OwnedElsewhere(_) => ErrorCode::OwnedElsewhere,
            Error::Sqlite(_) | Error::Internal(_) => ErrorCode::Internal,
        }
    }

    /// The field errors of a validation error (empty for other errors).
    pub fn fields(&self) -> &[FieldError] {
        match self {
            Error::Validation(f) => f,
            _ => &[],
        }
    }
}

/// What the UI receives for any failed command: a fixed code, a message without personal data,
/// and for validation errors the fields at fault.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ErrorReport {
    pub code: ErrorCode,
    pub message: String,
    pub fields: Vec<FieldError>,
}

impl From<&Error> for ErrorReport {
    fn from(e: &Error) -> Self {
        ErrorReport { code: e.code(), message: e.to_string(), fields: e.fields().to_vec() }
    }
}
