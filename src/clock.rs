//! Time as data: who changes a row and when (`Stamp`), the text form every timestamp is stored
//! in, and the clock type the store is given (tests pass a fixed one). A leaf: depends on
//! nothing in the crate.

use chrono::{DateTime, SecondsFormat, Utc};

/// Who changes a row, and when: written to `updated_at` / `updated_by` (the installation) and
/// to the audit log (the operator profile, too).
#[derive(Debug, Clone)]
pub struct Stamp {
    pub now: String,
    pub by: String,
    pub operator: String,
}

impl Stamp {
    pub fn new(now: DateTime<Utc>, by: &str, operator: &str) -> Self {
        Stamp { now: timestamp(now), by: by.to_string(), operator: operator.to_string() }
    }
}

/// The operator name used until someone picks a profile (the CLI's default, too).
pub const DEFAULT_OPERATOR: &str = "unnamed operator";

/// RFC 3339 UTC with milliseconds: sorts as text.
pub fn timestamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Where the current time comes from.
pub type Clock = Box<dyn Fn() -> DateTime<Utc> + Send>;
