//! The item catalogue: what sites stock and runs carry, with the weight and volume per unit
//! that vehicle capacities are checked against.

use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::audit::AuditAction;
use crate::clock::Stamp;
use crate::error::{Error, FieldError, Result, Rule};
use crate::validate::{Checker, MAX_SHORT};
use crate::vocab::Category;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ItemInput {
    pub name: String,
    pub category: Category,
    /// What one unit is: "bottle 1.5 L", "box", "pack of 40".
    pub unit: String,
    pub weight_kg: f64,
    pub volume_l: f64,
    pub cold_chain: bool,
    /// Below this quantity at a site, the item shows as low there.
    pub low_threshold: Option<f64>,
    /// What one unit holds, as a measure ("1.5" + "L") used to convert needs asked in that
    /// unit, or a description alone ("family of 4, 3 days", amount None).
    #[serde(default)]
    pub contents_amount: Option<f64>,
    #[serde(default)]
    pub contents_unit: String,
    /// Insulin, oxygen, prescription medicine: never substituted automatically.
    #[serde(default)]
    pub medical: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Item {
    pub id: String,
    pub name: String,
    pub category: Category,
    pub unit: String,
    pub weight_kg: f64,
    pub volume_l: f64,
    pub cold_chain: bool,
    pub low_threshold: Option<f64>,
    #[serde(default)]
    pub contents_amount: Option<f64>,
    #[serde(default)]
    pub contents_unit: String,
    #[serde(default)]
    pub medical: bool,
}

impl Item {
    /// "Water 1.5 L" with its contents when they are a measure: what one unit holds.
    pub fn contents(&self) -> Option<(f64, &str)> {
        self.contents_amount
            .filter(|a| *a > 0.0 && !self.contents_unit.trim().is_empty())
            .map(|a| (a, self.contents_unit.trim()))
    }
}

impl ItemInput {
    pub fn new(name: &str, category: Category, unit: &str, weight_kg: f64, volume_l: f64) -> Self {
        ItemInput {
            name: name.into(),
            category,
            unit: unit.into(),
            weight_kg,
            volume_l,
            cold_chain: false,
            low_threshold: None,
            contents_amount: None,
            contents_unit: String::new(),
            medical: false,
        }
    }

    /// With contents: one unit holds `amount` `unit` (1.5 L).
    pub fn with_contents(mut self, amount: Option<f64>, unit: &str) -> Self {
        self.contents_amount = amount;
        self.contents_unit = unit.into();
        self
    }

    pub fn validate(&self) -> Result<()> {
        let mut c = Checker::default();
        c.required("name", &self.name);
        c.max_len("name", &self.name, MAX_SHORT);
        c.required("unit", &self.unit);
        c.max_len("unit", &self.unit, 40);
        c.range("weight_kg", self.weight_kg, 0.0, 10_000.0);
        c.range("volume_l", self.volume_l, 0.0, 100_000.0);
        if let Some(t) = self.low_threshold {
            c.range("low_threshold", t, 0.0, 1e9);
        }
        if let Some(a) = self.contents_amount {
            if !a.is_finite() || a <= 0.0 {
                c.fail("contents_amount", Rule::MustBePositive);
            } else if self.contents_unit.trim().is_empty() {
                c.fail("contents_unit", Rule::Required);
            }
        }
        c.max_len("contents_unit", &self.contents_unit, 60);
        c.finish()
    }
}

const COLUMNS: &str =
    "id, name, category, unit, weight_kg, volume_l, cold_chain, low_threshold, contents_amount, contents_unit, medical";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Item> {
    Ok(Item {
        id: r.get(0)?,
        name: r.get(1)?,
        category: r.get(2)?,
        unit: r.get(3)?,
        weight_kg: r.get(4)?,
        volume_l: r.get(5)?,
        cold_chain: r.get(6)?,
        low_threshold: r.get(7)?,
        contents_amount: r.get(8)?,
        contents_unit: r.get(9)?,
        medical: r.get(10)?,
    })
}

pub fn get(conn: &Connection, id: &str) -> Result<Item> {
    crate::query::one(conn, &format!("SELECT {COLUMNS} FROM item WHERE id = ?1"), id, "item", from_row)
}

pub fn list(conn: &Connection) -> Result<Vec<Item>> {
    crate::query::all(conn, &format!("SELECT {COLUMNS} FROM item ORDER BY category, name COLLATE NOCASE"), [], from_row)
}

fn name_taken(conn: &Connection, name: &str, except: &str) -> Result<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM item WHERE name = ?1 COLLATE NOCASE AND id != ?2",
            params![name.trim(), except],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// Writes the item under `id`: a new row, or new values for an existing one (its `created_at`
/// stays).
fn save(conn: &Transaction<'_>, stamp: &Stamp, id: &str, input: &ItemInput) -> Result<()> {
    input.validate()?;
    if name_taken(conn, &input.name, id)? {
        return Err(Error::Validation(vec![FieldError { field: "name".into(), rule: Rule::NotAllowed }]));
    }
    conn.execute(
        "INSERT INTO item (id, name, category, unit, weight_kg, volume_l, cold_chain, low_threshold,
                           created_at, updated_at, updated_by, contents_amount, contents_unit, medical)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?10, ?11, ?12, ?13)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, category = excluded.category, unit = excluded.unit,
             weight_kg = excluded.weight_kg, volume_l = excluded.volume_l, cold_chain = excluded.cold_chain,
             low_threshold = excluded.low_threshold, updated_at = excluded.updated_at, updated_by = excluded.updated_by,
             contents_amount = excluded.contents_amount, contents_unit = excluded.contents_unit,
             medical = excluded.medical",
        params![
            id,
            input.name.trim(),
            input.category,
            input.unit.trim(),
            input.weight_kg,
            input.volume_l,
            input.cold_chain,
            input.low_threshold,
            stamp.now,
            stamp.by,
            input.contents_amount,
            input.contents_unit.trim(),
            input.medical
        ],
    )?;
    Ok(())
}

pub fn insert(conn: &Transaction<'_>, stamp: &Stamp, input: &ItemInput) -> Result<Item> {
    let id = crate::ids::new_id();
    let created = insert_with_id(conn, stamp, &id, input)?;
    crate::store::record_change(conn, stamp, AuditAction::Create, "item", &[&id], "")?;
    Ok(created)
}

/// `insert` under a given id and without its audit entry: for bulk writers (the demo, imports),
/// which record one entry with counts.
pub fn insert_with_id(conn: &Transaction<'_>, stamp: &Stamp, id: &str, input: &ItemInput) -> Result<Item> {
    save(conn, stamp, id, input)?;
    get(conn, id)
}

pub fn update(conn: &Transaction<'_>, stamp: &Stamp, id: &str, input: &ItemInput) -> Result<Item> {
    get(conn, id)?;
    save(conn, stamp, id, input)?;
    // A default item that becomes medical or moves to another category stops being the default
    // (needs naming only their category must not be loaded as medicine).
    let cleared = conn.execute(
        "DELETE FROM category_default WHERE item_id = ?1 AND (category <> ?2 OR ?3)",
        params![id, input.category, input.medical],
    )?;
    if cleared > 0 {
        crate::store::record_change(
            conn,
            stamp,
            AuditAction::Update,
            "category_default",
            &[id],
            "cleared: the item changed",
        )?;
    }
    crate::store::record_change(conn, stamp, AuditAction::Update, "item", &[id], "")?;
    get(conn, id)
}
