//! Supply sites: depots, distribution points, community fridges, drop-offs and shelters, with
//! their place on the map and opening hours. Their stock is in `stock`.

use rusqlite::{params, Connection, Row, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::audit::AuditAction;
use crate::clock::Stamp;
use crate::error::{Result, Rule};
use crate::validate::{Checker, MAX_LONG, MAX_SHORT};
use crate::vocab::SiteKind;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SiteInput {
    pub name: String,
    pub kind: SiteKind,
    pub lat: f64,
    pub lon: f64,
    pub address: String,
    pub contact: String,
    pub notes: String,
    /// Opening hours per weekday, Monday first: `null` = closed, else `"HH:MM-HH:MM"`.
    pub hours: Vec<Option<String>>,
    pub active: bool,
    /// Where it is when there is no street address (schema 13).
    #[serde(default)]
    pub landmark: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Site {
    pub id: String,
    pub name: String,
    pub kind: SiteKind,
    pub lat: f64,
    pub lon: f64,
    pub address: String,
    pub contact: String,
    pub notes: String,
    pub hours: Vec<Option<String>>,
    pub active: bool,
    pub updated_at: String,
    #[serde(default)]
    pub landmark: String,
}

/// A site on the map: where, what, and how many of its items are low.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct SitePin {
    pub id: String,
    pub name: String,
    pub kind: SiteKind,
    pub lat: f64,
    pub lon: f64,
    pub active: bool,
    /// Items with stock at this site.
    pub items: u32,
    /// Items at or below their low threshold (stocked here, or stocked nowhere).
    pub low: u32,
}

/// `HH:MM-HH:MM` with the end after the start.
pub fn valid_hours(span: &str) -> bool {
    let parse = |t: &str| chrono::NaiveTime::parse_from_str(t.trim(), "%H:%M").ok();
    match span.split_once('-') {
        Some((a, b)) => matches!((parse(a), parse(b)), (Some(a), Some(b)) if b > a),
        None => false,
    }
}

impl SiteInput {
    pub fn new(name: &str, kind: SiteKind, lat: f64, lon: f64) -> Self {
        SiteInput {
            name: name.into(),
            kind,
            lat,
            lon,
            address: String::new(),
            contact: String::new(),
            notes: String::new(),
            hours: vec![None; 7],
            active: true,
            landmark: String::new(),
        }
    }

    pub fn validate(&self) -> Result<()> {
        let mut c = Checker::default();
        c.required("name", &self.name);
        c.max_len("name", &self.name, MAX_SHORT);
        c.range("lat", self.lat, -90.0, 90.0);
        c.range("lon", self.lon, -180.0, 180.0);
        c.max_len("address", &self.address, MAX_SHORT);
        c.max_len("contact", &self.contact, MAX_SHORT);
        c.max_len("notes", &self.notes, MAX_LONG);
        if self.hours.len() != 7 || self.hours.iter().flatten().any(|h| !valid_hours(h)) {
            c.fail("hours", Rule::Unknown);
        }
        c.finish()
    }
}

const COLUMNS: &str = "id, name, kind, lat, lon, address, contact, notes, hours, active, updated_at, landmark";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Site> {
    let hours: String = r.get(8)?;
    Ok(Site {
        id: r.get(0)?,
        name: r.get(1)?,
        kind: r.get(2)?,
        lat: r.get(3)?,
        lon: r.get(4)?,
        address: r.get(5)?,
        contact: r.get(6)?,
        notes: r.get(7)?,
        hours: serde_json::from_str(&hours).unwrap_or_else(|_| vec![None; 7]),
        active: r.get(9)?,
        updated_at: r.get(10)?,
        landmark: r.get(11)?,
    })
}

pub fn get(conn: &Connection, id: &str) -> Result<Site> {
    crate::query::one(conn, &format!("SELECT {COLUMNS} FROM site WHERE id = ?1"), id, "site", from_row)
}

pub fn list(conn: &Connection) -> Result<Vec<Site>> {
    crate::query::all(
        conn,
        &format!("SELECT {COLUMNS} FROM site ORDER BY active DESC, name COLLATE NOCASE"),
        [],
        from_row,
    )
}

pub fn pins(conn: &Connection) -> Result<Vec<SitePin>> {
    let mut stmt = conn.prepare_cached(
        "SELECT s.id, s.name, s.kind, s.lat, s.lon, s.active,
                (SELECT count(*) FROM stock_level l WHERE l.site_id = s.id AND l.quantity > 0),
                (SELECT count(*) FROM stock_level l JOIN item i ON i.id = l.item_id
                  WHERE l.site_id = s.id AND i.low_threshold IS NOT NULL AND l.quantity <= i.low_threshold)
         FROM site s ORDER BY s.name COLLATE NOCASE",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(SitePin {
            id: r.get(0)?,
            name: r.get(1)?,
            kind: r.get(2)?,
            lat: r.get(3)?,
            lon: r.get(4)?,
            active: r.get(5)?,
            items: r.get(6)?,
            low: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn hours_json(input: &SiteInput) -> Result<String> {
    let trimmed: Vec<Option<String>> = input.hours.iter().map(|h| h.as_ref().map(|s| s.replace(' ', ""))).collect();
    Ok(serde_json::to_string(&trimmed)?)
}

/// Writes the site under `id`: a new row, or new values for an existing one.
fn save(conn: &Transaction<'_>, stamp: &Stamp, id: &str, input: &SiteInput) -> Result<()> {
    input.validate()?;
    conn.execute(
        "INSERT INTO site (id, name, kind, lat, lon, address, contact, notes, hours, active,
                           created_at, updated_at, updated_by, landmark)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11, ?12, ?13)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind, lat = excluded.lat,
             lon = excluded.lon, address = excluded.address, contact = excluded.contact, notes = excluded.notes,
             hours = excluded.hours, active = excluded.active, updated_at = excluded.updated_at,
             updated_by = excluded.updated_by, landmark = excluded.landmark",
        params![
            id,
            input.name.trim(),
            input.kind,
            input.lat,
            input.lon,
            input.address.trim(),
            input.contact.trim(),
            input.notes,
            hours_json(input)?,
            input.active,
            stamp.now,
            stamp.by,
            input.landmark.trim()
        ],
    )?;
    Ok(())
}

pub fn insert(conn: &Transaction<'_>, stamp: &Stamp, input: &SiteInput) -> Result<Site> {
    let id = crate::ids::new_id();
    let created = insert_with_id(conn, stamp, &id, input)?;
    crate::store::record_change(conn, stamp, AuditAction::Create, "site", &[&id], "")?;
    Ok(created)
}

/// `insert` under a given id and without its audit entry: for bulk writers (the demo, imports),
/// which record one entry with counts.
pub fn insert_with_id(conn: &Transaction<'_>, stamp: &Stamp, id: &str, input: &SiteInput) -> Result<Site> {
    save(conn, stamp, id, input)?;
    get(conn, id)
}

pub fn update(conn: &Transaction<'_>, stamp: &Stamp, id: &str, input: &SiteInput) -> Result<Site> {
    let before = get(conn, id)?;
    save(conn, stamp, id, input)?;
    let after = get(conn, id)?;
    let changed = crate::audit::changed(&[
        ("name", before.name != after.name),
        ("kind", before.kind != after.kind),
        ("location", (before.lat, before.lon) != (after.lat, after.lon)),
        ("address", before.address != after.address),
        ("landmark", before.landmark != after.landmark),
        ("contact", before.contact != after.contact),
        ("notes", before.notes != after.notes),
        ("hours", before.hours != after.hours),
        ("active", before.active != after.active),
    ]);
    crate::store::record_change(conn, stamp, AuditAction::Update, "site", &[id], &changed)?;
    Ok(after)
}
