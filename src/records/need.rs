//! Needs: what a household asks for, how much, how urgently, and where the request stands.

use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::catalogue::ItemSource;
use crate::clock::Stamp;
use crate::error::{Error, FieldError, Result, Rule};
use crate::validate::{opt, Checker, MAX_LONG};
use crate::vocab::{Category, NeedStatus, Urgency};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NeedInput {
    pub category: Category,
    /// The catalogue item asked for (of `category`); None: only the category (its default item
    /// applies, or the need waits for one).
    #[serde(default)]
    pub item_id: Option<String>,
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
    /// The item it is loaded as: the one it names, else its category's default (`item_source`).
    #[serde(default)]
    pub item_id: Option<String>,
    #[serde(default)]
    pub item_name: Option<String>,
    #[serde(default)]
    pub item_source: ItemSource,
    /// `quantity` in the item's units (18 L of 1.5 L bottles: 12), or None when the need's unit
    /// is neither the item's unit nor its contents unit (the need waits: nothing is guessed).
    #[serde(default)]
    pub item_quantity: Option<f64>,
    /// The item's unit ("bottle").
    #[serde(default)]
    pub item_unit: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub updated_by: String,
}

impl NeedInput {
    pub fn new(category: Category, quantity: f64, unit: &str, urgency: Urgency) -> Self {
        NeedInput {
            category,
            item_id: None,
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

    /// A need for `quantity` `unit` of a catalogue item (its category follows the item).
    pub fn of_item(item: &crate::item::Item, quantity: f64, unit: &str, urgency: Urgency) -> Self {
        NeedInput { item_id: Some(item.id.clone()), ..NeedInput::new(item.category, quantity, unit, urgency) }
    }

    /// The named item exists, is of the need's category, and the unit converts to it.
    fn check_item(&self, conn: &Connection) -> Result<()> {
        let Some(id) = opt(&self.item_id) else { return Ok(()) };
        let item = crate::item::get(conn, &id)
            .map_err(|_| Error::Validation(vec![FieldError { field: "item_id".into(), rule: Rule::Unknown }]))?;
        if item.category != self.category {
            return Err(Error::Validation(vec![FieldError { field: "item_id".into(), rule: Rule::NotAllowed }]));
        }
        if crate::catalogue::to_item_units(self.quantity, &self.unit, &item).is_none() {
            return Err(Error::Validation(vec![FieldError { field: "unit".into(), rule: Rule::NotAllowed }]));
        }
        Ok(())
    }
}

/// A validated RFC 3339 time in the stored form (UTC, milliseconds), so times sort as text
/// whatever offset they were typed with.
fn utc(at: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(at)
        .map(|t| crate::clock::timestamp(t.to_utc()))
        .unwrap_or_else(|_| at.to_string())
}

/// Adds an open need to a household and returns its id.
pub fn insert(conn: &Transaction<'_>, stamp: &Stamp, household_id: &str, input: &NeedInput) -> Result<String> {
    let id = crate::ids::new_id();
    insert_with_id(conn, stamp, &id, household_id, input)?;
    Ok(id)
}

pub fn insert_with_id(
    conn: &Transaction<'_>,
    stamp: &Stamp,
    id: &str,
    household_id: &str,
    input: &NeedInput,
) -> Result<()> {
    input.validate()?;
    input.check_item(conn)?;
    let exists: bool = conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM household WHERE id = ?1 AND purged_at IS NULL)")?
        .query_row([household_id], |r| r.get(0))?;
    if !exists {
        return Err(Error::NotFound("household"));
    }
    let requested_at = opt(&input.requested_at).map(|at| utc(&at)).unwrap_or_else(|| stamp.now.clone());
    conn.prepare_cached(
        "INSERT INTO need (id, household_id, category, quantity, unit, urgency, requested_at, wanted_by, status, notes,
                           created_at, updated_at, updated_by, notes_for_driver, item_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'open', ?9, ?10, ?10, ?11, ?12, ?13)",
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
        input.notes_for_driver,
        opt(&input.item_id)
    ])?;
    Ok(())
}

pub fn update(conn: &Transaction<'_>, stamp: &Stamp, id: &str, input: &NeedInput) -> Result<Need> {
    input.validate()?;
    input.check_item(conn)?;
    let current = get(conn, id)?;
    let requested_at = opt(&input.requested_at).map(|at| utc(&at)).unwrap_or(current.requested_at);
    let changed = conn.execute(
        "UPDATE need SET category = ?2, quantity = ?3, unit = ?4, urgency = ?5, requested_at = ?6, wanted_by = ?7,
                         notes = ?8, updated_at = ?9, updated_by = ?10, notes_for_driver = ?11, item_id = ?12
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
            input.notes_for_driver,
            opt(&input.item_id)
        ],
    )?;
    if changed == 0 {
        // Purged by retention: what is left is anonymous and stays as it is.
        return Err(Error::NotFound("need"));
    }
    get(conn, id)
}

/// Sets what remains to deliver (a partial delivery), or restores the quantity as asked.
pub fn set_quantity(conn: &Transaction<'_>, stamp: &Stamp, id: &str, quantity: f64, unit: &str) -> Result<()> {
    let changed = conn.execute(
        "UPDATE need SET quantity = ?2, unit = ?3, updated_at = ?4, updated_by = ?5 WHERE id = ?1 AND purged_at IS NULL",
        params![id, quantity, unit, stamp.now, stamp.by],
    )?;
    if changed == 0 {
        return Err(Error::NotFound("need"));
    }
    Ok(())
}

pub fn set_status(conn: &Transaction<'_>, stamp: &Stamp, id: &str, status: NeedStatus) -> Result<Need> {
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

/// The need's columns, then its effective item (named, else its category's default) with what
/// converting its quantity needs.
const COLUMNS: &str = "n.id, n.household_id, n.category, n.quantity, n.unit, n.urgency, n.requested_at, n.wanted_by,
    n.status, n.notes, n.created_at, n.updated_at, n.updated_by, n.notes_for_driver,
    i.id, i.name, CASE WHEN n.item_id IS NOT NULL THEN 'named' WHEN d.item_id IS NOT NULL THEN 'default' END,
    i.unit, i.contents_amount, i.contents_unit";
const FROM: &str = "need n LEFT JOIN category_default d ON n.item_id IS NULL AND d.category = n.category
    LEFT JOIN item i ON i.id = coalesce(n.item_id, d.item_id)";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Need> {
    let source: Option<String> = r.get(16)?;
    let item_unit: Option<String> = r.get(17)?;
    let contents_amount: Option<f64> = r.get(18)?;
    let contents_unit: Option<String> = r.get(19)?;
    let quantity: f64 = r.get(3)?;
    let unit: String = r.get(4)?;
    let item_quantity = item_unit.as_deref().and_then(|u| {
        let contents = contents_amount.zip(contents_unit.as_deref().filter(|c| !c.trim().is_empty()));
        crate::catalogue::to_units(quantity, &unit, u, contents).map(|(q, _)| q)
    });
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
        item_id: r.get(14)?,
        item_name: r.get(15)?,
        item_source: match source.as_deref() {
            Some("named") => ItemSource::Named,
            Some("default") => ItemSource::Default,
            _ => ItemSource::None,
        },
        item_quantity,
        item_unit,
    })
}

pub fn get(conn: &Connection, id: &str) -> Result<Need> {
    let sql = format!("SELECT {COLUMNS} FROM {FROM} WHERE n.id = ?1");
    conn.query_row(&sql, [id], from_row).optional()?.ok_or(Error::NotFound("need"))
}

/// A household's needs, open ones first, then newest first.
pub fn for_household(conn: &Connection, household_id: &str) -> Result<Vec<Need>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM {FROM} WHERE n.household_id = ?1
         ORDER BY n.status <> 'open', n.requested_at DESC, n.id DESC"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([household_id], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// All needs, optionally of one status, in id order (the CLI's `needs list`).
pub fn list(conn: &Connection, status: Option<NeedStatus>) -> Result<Vec<Need>> {
    let sql = format!("SELECT {COLUMNS} FROM {FROM} WHERE ?1 IS NULL OR n.status = ?1 ORDER BY n.id");
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([status], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn count(conn: &Connection, status: Option<NeedStatus>) -> Result<u32> {
    Ok(conn.query_row("SELECT COUNT(*) FROM need WHERE ?1 IS NULL OR status = ?1", [status], |r| r.get(0))?)
}
