//! Volunteers — drivers, packers, dispatchers, intake — and their availability as dated shifts,
//! each with the vehicle it uses and where it starts and ends.

use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::audit::AuditAction;
use crate::clock::Stamp;
use crate::error::{Error, FieldError, Result, Rule};
use crate::validate::{Checker, MAX_LONG, MAX_SHORT};
use crate::vehicle::Vehicle;
use crate::vocab::Role;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct VolunteerInput {
    pub name: String,
    pub phone: String,
    pub roles: Vec<Role>,
    pub languages: Vec<String>,
    pub home_lat: Option<f64>,
    pub home_lon: Option<f64>,
    pub notes: String,
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Volunteer {
    pub id: String,
    pub name: String,
    pub phone: String,
    pub roles: Vec<Role>,
    pub languages: Vec<String>,
    pub home_lat: Option<f64>,
    pub home_lon: Option<f64>,
    pub notes: String,
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ShiftInput {
    /// RFC 3339.
    pub starts_at: String,
    pub ends_at: String,
    pub vehicle_id: Option<String>,
    pub start_site_id: Option<String>,
    pub end_site_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Shift {
    pub id: String,
    pub volunteer_id: String,
    pub starts_at: String,
    pub ends_at: String,
    pub vehicle_id: Option<String>,
    pub start_site_id: Option<String>,
    pub end_site_id: Option<String>,
}

/// A volunteer with their vehicles and shifts (the panel, and `volunteers list` JSON).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct VolunteerDetail {
    pub volunteer: Volunteer,
    pub vehicles: Vec<Vehicle>,
    pub shifts: Vec<Shift>,
}

/// A shift in the day view: who, with what.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ShiftRow {
    pub shift: Shift,
    pub volunteer_name: String,
    pub roles: Vec<Role>,
    pub vehicle: Option<Vehicle>,
}

/// Which volunteers the list shows.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct VolunteerFilter {
    pub role: Option<Role>,
    /// With a shift overlapping [available_from, available_until) (RFC 3339; the UI sends the
    /// bounds of a local day).
    pub available_from: Option<String>,
    pub available_until: Option<String>,
    pub include_inactive: bool,
}

impl VolunteerInput {
    pub fn new(name: &str, roles: &[Role]) -> Self {
        VolunteerInput {
            name: name.into(),
            phone: String::new(),
            roles: roles.to_vec(),
            languages: vec![],
            home_lat: None,
            home_lon: None,
            notes: String::new(),
            active: true,
        }
    }

    pub fn validate(&self) -> Result<()> {
        let mut c = Checker::default();
        c.required("name", &self.name);
        c.max_len("name", &self.name, MAX_SHORT);
        c.max_len("phone", &self.phone, 40);
        c.max_len("notes", &self.notes, MAX_LONG);
        for l in &self.languages {
            c.max_len("languages", l, 20);
        }
        match (self.home_lat, self.home_lon) {
            (Some(lat), Some(lon)) => {
                c.range("home_lat", lat, -90.0, 90.0);
                c.range("home_lon", lon, -180.0, 180.0);
            }
            (None, None) => {}
            _ => c.fail("home_lat", Rule::Required),
        }
        c.finish()
    }
}

fn utc(at: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(at)
        .map(|t| crate::clock::timestamp(t.to_utc()))
        .unwrap_or_else(|_| at.to_string())
}

impl ShiftInput {
    pub fn validate(&self) -> Result<()> {
        let mut c = Checker::default();
        c.datetime("starts_at", &self.starts_at);
        c.datetime("ends_at", &self.ends_at);
        let mut errors = c.finish().err();
        if errors.is_none() && utc(&self.ends_at) <= utc(&self.starts_at) {
            errors = Some(Error::Validation(vec![FieldError { field: "ends_at".into(), rule: Rule::OutOfRange }]));
        }
        errors.map_or(Ok(()), Err)
    }
}

const COLUMNS: &str = "id, name, phone, roles, languages, home_lat, home_lon, notes, active";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Volunteer> {
    let (roles, languages): (String, String) = (r.get(3)?, r.get(4)?);
    Ok(Volunteer {
        id: r.get(0)?,
        name: r.get(1)?,
        phone: r.get(2)?,
        roles: serde_json::from_str(&roles).unwrap_or_default(),
        languages: serde_json::from_str(&languages).unwrap_or_default(),
        home_lat: r.get(5)?,
        home_lon: r.get(6)?,
        notes: r.get(7)?,
        active: r.get(8)?,
    })
}

pub fn get(conn: &Connection, id: &str) -> Result<Volunteer> {
    crate::query::one(conn, &format!("SELECT {COLUMNS} FROM volunteer WHERE id = ?1"), id, "volunteer", from_row)
}

pub fn list(conn: &Connection, filter: &VolunteerFilter) -> Result<Vec<Volunteer>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM volunteer v
         WHERE (?1 OR active = 1)
           AND (?2 IS NULL OR EXISTS (SELECT 1 FROM json_each(v.roles) WHERE value = ?2))
           AND (?3 IS NULL OR EXISTS (SELECT 1 FROM shift s
                                      WHERE s.volunteer_id = v.id AND s.ends_at > ?3 AND s.starts_at < ?4))
         ORDER BY name COLLATE NOCASE, id"
    );
    let window = filter.available_from.is_some() || filter.available_until.is_some();
    let from = window.then(|| filter.available_from.as_deref().map(utc).unwrap_or_default());
    let until = filter.available_until.as_deref().map(utc).unwrap_or_else(|| "9999".into());
    crate::query::all(conn, &sql, params![filter.include_inactive, filter.role.map(|r| r.key()), from, until], from_row)
}

fn json<T: Serialize>(v: &T) -> Result<String> {
    Ok(serde_json::to_string(v)?)
}

/// Writes the volunteer under `id`: a new row, or new values for an existing one.
fn save(conn: &Transaction<'_>, stamp: &Stamp, id: &str, input: &VolunteerInput) -> Result<()> {
    input.validate()?;
    conn.execute(
        "INSERT INTO volunteer (id, name, phone, roles, languages, home_lat, home_lon, notes, active,
                                created_at, updated_at, updated_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?11)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, phone = excluded.phone, roles = excluded.roles,
             languages = excluded.languages, home_lat = excluded.home_lat, home_lon = excluded.home_lon,
             notes = excluded.notes, active = excluded.active, updated_at = excluded.updated_at,
             updated_by = excluded.updated_by",
        params![
            id,
            input.name.trim(),
            input.phone.trim(),
            json(&input.roles)?,
            json(&input.languages)?,
            input.home_lat,
            input.home_lon,
            input.notes,
            input.active,
            stamp.now,
            stamp.by
        ],
    )?;
    Ok(())
}

pub fn insert(conn: &Transaction<'_>, stamp: &Stamp, input: &VolunteerInput) -> Result<Volunteer> {
    let id = crate::ids::new_id();
    let created = insert_with_id(conn, stamp, &id, input)?;
    crate::store::record_change(conn, stamp, AuditAction::Create, "volunteer", &[&id], "")?;
    Ok(created)
}

/// `insert` under a given id and without its audit entry: for bulk writers (the demo, imports),
/// which record one entry with counts.
pub fn insert_with_id(conn: &Transaction<'_>, stamp: &Stamp, id: &str, input: &VolunteerInput) -> Result<Volunteer> {
    save(conn, stamp, id, input)?;
    get(conn, id)
}

pub fn update(conn: &Transaction<'_>, stamp: &Stamp, id: &str, input: &VolunteerInput) -> Result<Volunteer> {
    let before = get(conn, id)?;
    save(conn, stamp, id, input)?;
    let after = get(conn, id)?;
    let changed = crate::audit::changed(&[
        ("name", before.name != after.name),
        ("phone", before.phone != after.phone),
        ("roles", before.roles != after.roles),
        ("languages", before.languages != after.languages),
        ("home", (before.home_lat, before.home_lon) != (after.home_lat, after.home_lon)),
        ("notes", before.notes != after.notes),
        ("active", before.active != after.active),
    ]);
    crate::store::record_change(conn, stamp, AuditAction::Update, "volunteer", &[id], &changed)?;
    Ok(after)
}

const SHIFT: &str = "SELECT id, volunteer_id, starts_at, ends_at, vehicle_id, start_site_id, end_site_id FROM shift";

fn shift_row(r: &Row<'_>) -> rusqlite::Result<Shift> {
    Ok(Shift {
        id: r.get(0)?,
        volunteer_id: r.get(1)?,
        starts_at: r.get(2)?,
        ends_at: r.get(3)?,
        vehicle_id: r.get(4)?,
        start_site_id: r.get(5)?,
        end_site_id: r.get(6)?,
    })
}

pub fn shifts_of(conn: &Connection, volunteer_id: &str) -> Result<Vec<Shift>> {
    crate::query::all(conn, &format!("{SHIFT} WHERE volunteer_id = ?1 ORDER BY starts_at"), [volunteer_id], shift_row)
}

pub fn detail(conn: &Connection, id: &str) -> Result<VolunteerDetail> {
    let volunteer = get(conn, id)?;
    let vehicles = crate::vehicle::list(conn)?.into_iter().filter(|v| v.owner_id.as_deref() == Some(id)).collect();
    Ok(VolunteerDetail { volunteer, vehicles, shifts: shifts_of(conn, id)? })
}

fn check_refs(conn: &Connection, input: &ShiftInput) -> Result<()> {
    if let Some(v) = &input.vehicle_id {
        crate::vehicle::get(conn, v)?;
    }
    for s in [&input.start_site_id, &input.end_site_id].into_iter().flatten() {
        crate::site::get(conn, s)?;
    }
    Ok(())
}

pub fn add_shift(conn: &Transaction<'_>, stamp: &Stamp, volunteer_id: &str, input: &ShiftInput) -> Result<Shift> {
    let id = crate::ids::new_id();
    let shift = add_shift_with_id(conn, stamp, &id, volunteer_id, input)?;
    crate::store::record_change(conn, stamp, AuditAction::Create, "shift", &[&id, volunteer_id], "")?;
    Ok(shift)
}

/// `add_shift` under a given id and without its audit entry (bulk writers).
pub fn add_shift_with_id(
    conn: &Transaction<'_>,
    stamp: &Stamp,
    id: &str,
    volunteer_id: &str,
    input: &ShiftInput,
) -> Result<Shift> {
    input.validate()?;
    get(conn, volunteer_id)?;
    check_refs(conn, input)?;
    conn.execute(
        "INSERT INTO shift (id, volunteer_id, starts_at, ends_at, vehicle_id, start_site_id, end_site_id,
                            created_at, updated_at, updated_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9)",
        params![
            id,
            volunteer_id,
            utc(&input.starts_at),
            utc(&input.ends_at),
            input.vehicle_id,
            input.start_site_id,
            input.end_site_id,
            stamp.now,
            stamp.by
        ],
    )?;
    Ok(conn.query_row(&format!("{SHIFT} WHERE id = ?1"), [id], shift_row)?)
}

/// Changes a shift's times, vehicle or sites (the volunteer stays).
pub fn update_shift(conn: &Transaction<'_>, stamp: &Stamp, id: &str, input: &ShiftInput) -> Result<Shift> {
    input.validate()?;
    check_refs(conn, input)?;
    let before: Shift = conn
        .query_row(&format!("{SHIFT} WHERE id = ?1"), [id], shift_row)
        .optional()?
        .ok_or(Error::NotFound("shift"))?;
    conn.execute(
        "UPDATE shift SET starts_at = ?2, ends_at = ?3, vehicle_id = ?4, start_site_id = ?5, end_site_id = ?6,
                          updated_at = ?7, updated_by = ?8
         WHERE id = ?1",
        params![
            id,
            utc(&input.starts_at),
            utc(&input.ends_at),
            input.vehicle_id,
            input.start_site_id,
            input.end_site_id,
            stamp.now,
            stamp.by
        ],
    )?;
    let after = conn.query_row(&format!("{SHIFT} WHERE id = ?1"), [id], shift_row)?;
    let changed = crate::audit::changed(&[
        ("times", (&before.starts_at, &before.ends_at) != (&after.starts_at, &after.ends_at)),
        ("vehicle", before.vehicle_id != after.vehicle_id),
        ("start site", before.start_site_id != after.start_site_id),
        ("end site", before.end_site_id != after.end_site_id),
    ]);
    crate::store::record_change(conn, stamp, AuditAction::Update, "shift", &[id, &after.volunteer_id], &changed)?;
    Ok(after)
}

/// Sets the start site of several shifts at once (the planning board's "set the start site of
/// these 7 shifts"): one audit entry naming them all. Returns how many changed.
pub fn set_start_site(conn: &Transaction<'_>, stamp: &Stamp, shift_ids: &[String], site_id: &str) -> Result<u32> {
    crate::site::get(conn, site_id)?;
    let mut changed: Vec<&str> = Vec::new();
    for id in shift_ids {
        let n = conn.execute(
            "UPDATE shift SET start_site_id = ?2, updated_at = ?3, updated_by = ?4
             WHERE id = ?1 AND start_site_id IS NOT ?2",
            params![id, site_id, stamp.now, stamp.by],
        )?;
        if n == 0 && conn.query_row("SELECT COUNT(*) FROM shift WHERE id = ?1", [id], |r| r.get::<_, i64>(0))? == 0 {
            return Err(Error::NotFound("shift"));
        }
        if n > 0 {
            changed.push(id);
        }
    }
    if !changed.is_empty() {
        let detail = format!("start site of {} shifts", changed.len());
        crate::store::record_change(conn, stamp, AuditAction::Update, "shift", &changed, &detail)?;
    }
    Ok(changed.len() as u32)
}

pub fn delete_shift(conn: &Transaction<'_>, stamp: &Stamp, id: &str) -> Result<()> {
    if conn.execute("DELETE FROM shift WHERE id = ?1", [id])? == 0 {
        return Err(Error::NotFound("shift"));
    }
    crate::store::record_change(conn, stamp, AuditAction::Delete, "shift", &[id], "")
}

/// Every shift overlapping [from, until), earliest first: the day view.
pub fn shifts_between(conn: &Connection, from: &str, until: &str) -> Result<Vec<ShiftRow>> {
    let vehicles = crate::vehicle::list(conn)?;
    let mut stmt = conn.prepare_cached(
        "SELECT s.id, s.volunteer_id, s.starts_at, s.ends_at, s.vehicle_id, s.start_site_id, s.end_site_id,
                v.name, v.roles
         FROM shift s JOIN volunteer v ON v.id = s.volunteer_id
         WHERE s.ends_at > ?1 AND s.starts_at < ?2 AND v.active = 1
         ORDER BY s.starts_at, v.name COLLATE NOCASE",
    )?;
    let rows = stmt.query_map(params![utc(from), utc(until)], |r| {
        let roles: String = r.get(8)?;
        Ok((shift_row(r)?, r.get::<_, String>(7)?, roles))
    })?;
    rows.map(|row| {
        let (shift, volunteer_name, roles) = row?;
        let vehicle = shift.vehicle_id.as_ref().and_then(|id| vehicles.iter().find(|v| &v.id == id).cloned());
        Ok(ShiftRow { shift, volunteer_name, roles: serde_json::from_str(&roles).unwrap_or_default(), vehicle })
    })
    .collect()
}
