//! Vehicles: a volunteer's own or the hub's, with capacities and what they can do (high
//! clearance for flooded roads, a cooler for the cold chain, a wheelchair lift, a trailer).

use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::audit::AuditAction;
use crate::clock::Stamp;
use crate::error::Result;
use crate::validate::{Checker, MAX_SHORT};
use crate::vocab::{Capability, VehicleKind};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct VehicleInput {
    pub name: String,
    /// The volunteer who owns it; `null` for the hub's own.
    pub owner_id: Option<String>,
    pub kind: VehicleKind,
    pub capacity_kg: f64,
    pub capacity_l: f64,
    pub seats: u32,
    pub capabilities: Vec<Capability>,
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Vehicle {
    pub id: String,
    pub name: String,
    pub owner_id: Option<String>,
    pub kind: VehicleKind,
    pub capacity_kg: f64,
    pub capacity_l: f64,
    pub seats: u32,
    pub capabilities: Vec<Capability>,
    pub active: bool,
}

impl VehicleInput {
    pub fn new(name: &str, kind: VehicleKind, capacity_kg: f64, capacity_l: f64) -> Self {
        VehicleInput {
            name: name.into(),
            owner_id: None,
            kind,
            capacity_kg,
            capacity_l,
            seats: 2,
            capabilities: vec![],
            active: true,
        }
    }

    pub fn validate(&self) -> Result<()> {
        let mut c = Checker::default();
        c.required("name", &self.name);
        c.max_len("name", &self.name, MAX_SHORT);
        c.range("capacity_kg", self.capacity_kg, 0.0, 50_000.0);
        c.range("capacity_l", self.capacity_l, 0.0, 100_000.0);
        c.range("seats", self.seats as f64, 0.0, 100.0);
        c.finish()
    }
}

const COLUMNS: &str = "id, name, owner_id, kind, capacity_kg, capacity_l, seats, capabilities, active";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Vehicle> {
    let caps: String = r.get(7)?;
    Ok(Vehicle {
        id: r.get(0)?,
        name: r.get(1)?,
        owner_id: r.get(2)?,
        kind: r.get(3)?,
        capacity_kg: r.get(4)?,
        capacity_l: r.get(5)?,
        seats: r.get(6)?,
        capabilities: serde_json::from_str(&caps).unwrap_or_default(),
        active: r.get(8)?,
    })
}

pub fn get(conn: &Connection, id: &str) -> Result<Vehicle> {
    crate::query::one(conn, &format!("SELECT {COLUMNS} FROM vehicle WHERE id = ?1"), id, "vehicle", from_row)
}

pub fn list(conn: &Connection) -> Result<Vec<Vehicle>> {
    crate::query::all(conn, &format!("SELECT {COLUMNS} FROM vehicle ORDER BY name COLLATE NOCASE"), [], from_row)
}

fn capabilities(input: &VehicleInput) -> Result<String> {
    let mut caps = input.capabilities.clone();
    caps.sort();
    caps.dedup();
    Ok(serde_json::to_string(&caps)?)
}

/// Writes the vehicle under `id`: a new row, or new values for an existing one.
fn save(conn: &Transaction<'_>, stamp: &Stamp, id: &str, input: &VehicleInput) -> Result<()> {
    input.validate()?;
    if let Some(owner) = &input.owner_id {
        // The owner must exist (read here, not through `volunteer`, which lists vehicles).
        let found: Option<i64> =
            conn.query_row("SELECT 1 FROM volunteer WHERE id = ?1", [owner], |r| r.get(0)).optional()?;
        if found.is_none() {
            return Err(crate::error::Error::NotFound("volunteer"));
        }
    }
    conn.execute(
        "INSERT INTO vehicle (id, name, owner_id, kind, capacity_kg, capacity_l, seats, capabilities, active,
                              created_at, updated_at, updated_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?11)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, owner_id = excluded.owner_id, kind = excluded.kind,
             capacity_kg = excluded.capacity_kg, capacity_l = excluded.capacity_l, seats = excluded.seats,
             capabilities = excluded.capabilities, active = excluded.active, updated_at = excluded.updated_at,
             updated_by = excluded.updated_by",
        params![
            id,
            input.name.trim(),
            input.owner_id,
            input.kind,
            input.capacity_kg,
            input.capacity_l,
            input.seats,
            capabilities(input)?,
            input.active,
            stamp.now,
            stamp.by
        ],
    )?;
    Ok(())
}

pub fn insert(conn: &Transaction<'_>, stamp: &Stamp, input: &VehicleInput) -> Result<Vehicle> {
    let id = crate::ids::new_id();
    let created = insert_with_id(conn, stamp, &id, input)?;
    crate::store::record_change(conn, stamp, AuditAction::Create, "vehicle", &[&id], "")?;
    Ok(created)
}

/// `insert` under a given id and without its audit entry: for bulk writers (the demo, imports),
/// which record one entry with counts.
pub fn insert_with_id(conn: &Transaction<'_>, stamp: &Stamp, id: &str, input: &VehicleInput) -> Result<Vehicle> {
    save(conn, stamp, id, input)?;
    get(conn, id)
}

pub fn update(conn: &Transaction<'_>, stamp: &Stamp, id: &str, input: &VehicleInput) -> Result<Vehicle> {
    get(conn, id)?;
    save(conn, stamp, id, input)?;
    crate::store::record_change(conn, stamp, AuditAction::Update, "vehicle", &[id], "")?;
    get(conn, id)
}
