//! Road closures: named lines or areas the hub draws on the map; routing avoids the active
//! ones (see `region::router`). They live in the operation file and every change is audited.

use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::audit::AuditAction;
use crate::clock::Stamp;
use crate::error::{Error, Result, Rule};
use crate::region::router::ClosureShape;
use crate::validate::{Checker, MAX_SHORT};

/// What the map sends when a closure is drawn or renamed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ClosureInput {
    pub name: String,
    /// A GeoJSON LineString or Polygon geometry (lon, lat).
    #[ts(type = "{ type: \"LineString\" | \"Polygon\", coordinates: unknown }")]
    pub geometry: serde_json::Value,
    pub active: bool,
    /// Passable by high-clearance vehicles only: its roads stay open for routing, and stops
    /// inside it (a Polygon) go only to vehicles with high clearance.
    #[serde(default)]
    pub high_clearance_only: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Closure {
    pub id: String,
    pub name: String,
    #[ts(type = "{ type: \"LineString\" | \"Polygon\", coordinates: unknown }")]
    pub geometry: serde_json::Value,
    pub active: bool,
    pub high_clearance_only: bool,
    pub updated_at: String,
}

impl ClosureInput {
    pub fn validate(&self) -> Result<()> {
        let mut c = Checker::default();
        c.required("name", &self.name);
        c.max_len("name", &self.name, MAX_SHORT);
        let shape_ok = matches!(self.geometry["type"].as_str(), Some("LineString") | Some("Polygon"))
            && crate::region::closure_geojson::parse(&self.geometry.to_string()).is_ok()
            && self.geometry.to_string().len() < 200_000;
        if !shape_ok {
            c.fail("geometry", Rule::Unknown);
        }
        c.finish()
    }
}

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(Closure, String)> {
    Ok((
        Closure {
            id: r.get(0)?,
            name: r.get(1)?,
            geometry: serde_json::Value::Null,
            active: r.get(3)?,
            updated_at: r.get(4)?,
            high_clearance_only: r.get(5)?,
        },
        r.get(2)?,
    ))
}

fn finish((mut c, g): (Closure, String)) -> Result<Closure> {
    c.geometry = serde_json::from_str(&g)?;
    Ok(c)
}

pub fn get(conn: &Connection, id: &str) -> Result<Closure> {
    let row = conn
        .query_row(
            "SELECT id, name, geometry, active, updated_at, high_clearance_only FROM closure WHERE id = ?1",
            [id],
            from_row,
        )
        .optional()?;
    finish(row.ok_or(Error::NotFound("closure"))?)
}

pub fn list(conn: &Connection) -> Result<Vec<Closure>> {
    let mut stmt = conn.prepare(
        "SELECT id, name, geometry, active, updated_at, high_clearance_only FROM closure ORDER BY created_at, id",
    )?;
    let rows = stmt.query_map([], from_row)?;
    rows.map(|r| finish(r?)).collect()
}

pub fn insert(conn: &Transaction<'_>, stamp: &Stamp, input: &ClosureInput) -> Result<Closure> {
    input.validate()?;
    let id = crate::ids::new_id();
    conn.execute(
        "INSERT INTO closure (id, name, geometry, active, created_at, updated_at, updated_by, high_clearance_only)
         VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6, ?7)",
        params![
            id,
            input.name.trim(),
            input.geometry.to_string(),
            input.active,
            stamp.now,
            stamp.by,
            input.high_clearance_only
        ],
    )?;
    crate::store::record_change(conn, stamp, AuditAction::Create, "closure", &[&id], "")?;
    get(conn, &id)
}

pub fn update(conn: &Transaction<'_>, stamp: &Stamp, id: &str, input: &ClosureInput) -> Result<Closure> {
    input.validate()?;
    let before = get(conn, id)?;
    conn.execute(
        "UPDATE closure SET name = ?2, geometry = ?3, active = ?4, updated_at = ?5, updated_by = ?6,
                            high_clearance_only = ?7 WHERE id = ?1",
        params![
            id,
            input.name.trim(),
            input.geometry.to_string(),
            input.active,
            stamp.now,
            stamp.by,
            input.high_clearance_only
        ],
    )?;
    let mut changed = vec![];
    if before.name != input.name.trim() {
        changed.push("name");
    }
    if before.geometry != input.geometry {
        changed.push("geometry");
    }
    if before.active != input.active {
        changed.push(if input.active { "switched on" } else { "switched off" });
    }
    if before.high_clearance_only != input.high_clearance_only {
        changed.push("high_clearance_only");
    }
    crate::store::record_change(conn, stamp, AuditAction::Update, "closure", &[id], &changed.join(", "))?;
    get(conn, id)
}

pub fn delete(conn: &Transaction<'_>, stamp: &Stamp, id: &str) -> Result<()> {
    if conn.execute("DELETE FROM closure WHERE id = ?1", [id])? == 0 {
        return Err(Error::NotFound("closure"));
    }
    crate::store::record_change(conn, stamp, AuditAction::Delete, "closure", &[id], "")
}

/// The shapes of the active closures that close roads, for the router (high-clearance-only
/// ones leave their roads open: one matrix serves every vehicle, and the stops inside them are
/// kept for high-clearance vehicles by planning instead).
pub fn active_shapes(conn: &Connection) -> Result<Vec<ClosureShape>> {
    let mut out = Vec::new();
    for c in list(conn)?.into_iter().filter(|c| c.active && !c.high_clearance_only) {
        out.extend(crate::region::closure_geojson::parse(&c.geometry.to_string())?);
    }
    Ok(out)
}
