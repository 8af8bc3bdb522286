//! Needs: what a household asks for, how much, how urgently, and where the request stands.

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, FieldError, Result, Rule};
use crate::store::Stamp;
use crate::validate::{opt, Checker, MAX_LONG};
use crate::vocab::{Category, NeedStatus, Urgency};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NeedInput {
    pub category: Category,
    pub quantity: f64,
    pub unit: String,
    pub urgency: Urgency,
    /// RFC 3339; `null` means now.
    pub requested_at: Option<String>,
    /// `YYYY-MM-DD`, optional.
    pub wanted_by: Option<String>,
    pub notes: String,
    /// The notes are written for the driver: they go out on route sheets (others never do).
    #[serde(default)]
    pub notes_for_driver: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Need {
    pub id: String,
    pub household_id: String,
    pub category: Category,
    pub quantity: f64,
    pub unit: String,
    pub urgency: Urgency,
    pub requested_at: String,
    pub wanted_by: Option<String>,
    pub status: NeedStatus,
    pub notes: String,
    /// The notes are written for the driver: they go out on route sheets (others never do).
    #[serde(default)]
    pub notes_for_driver: bool,
    pub created_at: String,
    pub updated_at: String,
    pub updated_by: String,
}

impl NeedInput {
    pub fn new(category: Category, quantity: f64, unit: &str, urgency: Urgency) -> Self {
        NeedInput {
            category,
            quantity,
            unit: unit.into(),
            urgency,
            requested_at: None,
            wanted_by: None,
            notes: String::new(),
            notes_for_driver: false,
        }
    }

    pub fn validate(&self) -> Result<()> {
        let mut c = Checker::default();
        if !self.quantity.is_finite() {
            c.fail("quantity", Rule::NotANumber);
        } else if self.quantity <= 0.0 {
            c.fail("quantity", Rule::MustBePositive);
        } else if self.quantity > 1e9 {
            c.fail("quantity", Rule::OutOfRange);
        }
        c.required("unit", &self.unit);
        c.max_len("unit", &self.unit, 40);
        if let Some(at) = opt(&self.requested_at) {
            c.datetime("requested_at", &at);
        }
        c.date("wanted_by", opt(&self.wanted_by).as_deref());
        c.max_len("notes", &self.notes, MAX_LONG);
        c.finish()
    }
}

/// A validated RFC 3339 time in the stored form (UTC, milliseconds), so times sort as text
/// whatever offset they were typed with.
fn utc(at: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(at)
        .map(|t| crate::store::timestamp(t.to_utc()))
        .unwrap_or_else(|_| at.to_string())
}

/// Adds an open need to a household and returns its id.
pub fn insert(conn: &Connection, stamp: &Stamp, household_id: &str, input: &NeedInput) -> Result<String> {
    let id = crate::ids::new_id();
    insert_with_id(conn, stamp, &id, household_id, input)?;
    Ok(id)
}

pub fn insert_with_id(conn: &Connection, stamp: &Stamp, id: &str, household_id: &str, input: &NeedInput) -> Result<()> {
    input.validate()?;
    let exists: bool = conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM household WHERE id = ?1 AND purged_at IS NULL)")?
        .query_row([household_id], |r| r.get(0))?;
    if !exists {
        return Err(Error::NotFound("household"));
    }
    let requested_at = opt(&input.requested_at).map(|at| utc(&at)).unwrap_or_else(|| stamp.now.clone());
    conn.prepare_cached(
        "INSERT INTO need (id, household_id, category, quantity, unit, urgency, requested_at, wanted_by, status, notes,
                           created_at, updated_at, updated_by, notes_for_driver)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'open', ?9, ?10, ?10, ?11, ?12)",
    )?
    .execute(params![
        id,
        household_id,
        input.category,
        input.quantity,
        input.unit.trim(),
        input.urgency,
        requested_at,
        opt(&input.wanted_by),
        input.notes.trim(),
        stamp.now,
        stamp.by,
        input.notes_for_driver
    ])?;
    Ok(())
}

pub fn update(conn: &Connection, stamp: &Stamp, id: &str, input: &NeedInput) -> Result<Need> {
    input.validate()?;
    let current = get(conn, id)?;
    let requested_at = opt(&input.requested_at).map(|at| utc(&at)).unwrap_or(current.requested_at);
    let changed = conn.execute(
        "UPDATE need SET category = ?2, quantity = ?3, unit = ?4, urgency = ?5, requested_at = ?6, wanted_by = ?7,
                         notes = ?8, updated_at = ?9, updated_by = ?10, notes_for_driver = ?11
         WHERE id = ?1 AND purged_at IS NULL",
        params![
            id,
            input.category,
            input.quantity,
            input.unit.trim(),
            input.urgency,
            requested_at,
            opt(&input.wanted_by),
            input.notes.trim(),
            stamp.now,
            stamp.by,
            input.notes_for_driver
        ],
    )?;
    if changed == 0 {
        // Purged by retention: what is left is anonymous and stays as it is.
        return Err(Error::NotFound("need"));
    }
    get(conn, id)
}

pub fn set_status(conn: &Connection, stamp: &Stamp, id: &str, status: NeedStatus) -> Result<Need> {
    let current = get(conn, id)?;
    if !current.status.can_become(status) {
        return Err(Error::Validation(vec![FieldError { field: "status".into(), rule: Rule::NotAllowed }]));
    }
    let changed = conn.execute(
        "UPDATE need SET status = ?2, updated_at = ?3, updated_by = ?4 WHERE id = ?1 AND purged_at IS NULL",
        params![id, status, stamp.now, stamp.by],
    )?;
    if changed == 0 {
        return Err(Error::NotFound("need"));
    }
    get(conn, id)
}

const COLUMNS: &str = "id, household_id, category, quantity, unit, urgency, requested_at, wanted_by, status, notes,
    created_at, updated_at, updated_by, notes_for_driver";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Need> {
    Ok(Need {
        id: r.get(0)?,
        household_id: r.get(1)?,
        category: r.get(2)?,
        quantity: r.get(3)?,
        unit: r.get(4)?,
        urgency: r.get(5)?,
        requested_at: r.get(6)?,
        wanted_by: r.get(7)?,
        status: r.get(8)?,
        notes: r.get(9)?,
        created_at: r.get(10)?,
        updated_at: r.get(11)?,
        updated_by: r.get(12)?,
        notes_for_driver: r.get(13)?,
    })
}

pub fn get(conn: &Connection, id: &str) -> Result<Need> {
    let sql = format!("SELECT {COLUMNS} FROM need WHERE id = ?1");
    conn.query_row(&sql, [id], from_row).optional()?.ok_or(Error::NotFound("need"))
}

/// A household's needs, open ones first, then newest first.
pub fn for_household(conn: &Connection, household_id: &str) -> Result<Vec<Need>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM need WHERE household_id = ?1
         ORDER BY status <> 'open', requested_at DESC, id DESC"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([household_id], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// All needs, optionally of one status, in id order (the CLI's `needs list`).
pub fn list(conn: &Connection, status: Option<NeedStatus>) -> Result<Vec<Need>> {
    let sql = format!("SELECT {COLUMNS} FROM need WHERE ?1 IS NULL OR status = ?1 ORDER BY id");
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([status], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn count(conn: &Connection, status: Option<NeedStatus>) -> Result<u32> {
    Ok(conn.query_row("SELECT COUNT(*) FROM need WHERE ?1 IS NULL OR status = ?1", [status], |r| r.get(0))?)
}
