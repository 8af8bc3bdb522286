//! Merging two records of one household: the kept record takes, field by field, the values the
//! user picks from the other; the other's needs move over; the other record goes. Everything the
//! merge changed is recorded, so `undo` puts both records back as they were.

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::audit::{self, AuditAction};
use crate::error::{Error, FieldError, Result, Rule};
use crate::household::{self, Household, HouseholdInput};
use crate::store::Stamp;

/// The fields a merge can take from the other record.
pub const FIELDS: [&str; 11] = [
    "name",
    "phones",
    "address",
    "people",
    "vulnerabilities",
    "languages",
    "access_notes",
    "consent",
    "notes",
    "status",
    "all_phones",
];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MergeRequest {
    pub kept_id: String,
    pub merged_id: String,
    /// Fields whose value comes from the merged record (`address` brings its location;
    /// `people` the three counts; `all_phones` keeps the numbers of both).
    pub take: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct MergeRecord {
    pub id: String,
    pub at: String,
    pub kept_id: String,
    pub merged_id: String,
    pub fields: Vec<String>,
    pub recorded_by: String,
    pub undone_at: Option<String>,
}

pub fn input_of(h: &Household) -> HouseholdInput {
    HouseholdInput {
        name: h.name.clone(),
        phones: h.phones.iter().map(|p| p.original.clone()).collect(),
        address: h.address.clone(),
        lat: h.lat,
        lon: h.lon,
        location_source: h.location_source,
        adults: h.adults,
        children: h.children,
        seniors: h.seniors,
        vulnerabilities: h.vulnerabilities.clone(),
        languages: h.languages.clone(),
        access_notes: h.access_notes.clone(),
        consent: h.consent.clone(),
        status: h.status,
        notes: h.notes.clone(),
        notes_for_driver: h.notes_for_driver,
    }
}

fn combined(kept: &Household, other: &Household, take: &[String]) -> HouseholdInput {
    let mut out = input_of(kept);
    let from = input_of(other);
    let has = |f: &str| take.iter().any(|t| t == f);
    if has("name") {
        out.name = from.name.clone();
    }
    if has("phones") {
        out.phones = from.phones.clone();
    }
    if has("all_phones") {
        for p in &from.phones {
            if !out.phones.contains(p) {
                out.phones.push(p.clone());
            }
        }
    }
    if has("address") {
        (out.address, out.lat, out.lon, out.location_source) =
            (from.address.clone(), from.lat, from.lon, from.location_source);
    }
    if has("people") {
        (out.adults, out.children, out.seniors) = (from.adults, from.children, from.seniors);
    }
    if has("vulnerabilities") {
        out.vulnerabilities = from.vulnerabilities.clone();
    }
    if has("languages") {
        out.languages = from.languages.clone();
    }
    if has("access_notes") {
        out.access_notes = from.access_notes.clone();
    }
    if has("consent") {
        out.consent = from.consent.clone();
    }
    if has("notes") {
        out.notes = from.notes.clone();
        out.notes_for_driver = from.notes_for_driver;
    }
    if has("status") {
        out.status = from.status;
    }
    out
}

pub fn merge(conn: &Connection, stamp: &Stamp, req: &MergeRequest) -> Result<MergeRecord> {
    if req.kept_id == req.merged_id || req.take.iter().any(|f| !FIELDS.contains(&f.as_str())) {
        return Err(Error::Validation(vec![FieldError { field: "take".into(), rule: Rule::NotAllowed }]));
    }
    let kept = household::get(conn, &req.kept_id)?;
    let other = household::get(conn, &req.merged_id)?;
    household::update(conn, stamp, &kept.id, &combined(&kept, &other, &req.take))?;
    let moved: Vec<String> = crate::need::for_household(conn, &other.id)?.into_iter().map(|n| n.id).collect();
    conn.execute(
        "UPDATE need SET household_id = ?1, updated_at = ?3, updated_by = ?4 WHERE household_id = ?2",
        params![kept.id, other.id, stamp.now, stamp.by],
    )?;
    conn.execute("DELETE FROM household WHERE id = ?1", [&other.id])?;
    let id = crate::ids::new_id();
    conn.execute(
        "INSERT INTO merge_record (id, at, kept_id, merged_id, kept_before, merged_row, moved_needs, fields, recorded_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            id,
            stamp.now,
            kept.id,
            other.id,
            serde_json::to_string(&kept)?,
            serde_json::to_string(&other)?,
            serde_json::to_string(&moved)?,
            serde_json::to_string(&req.take)?,
            stamp.operator
        ],
    )?;
    let detail = format!("fields taken: {}; needs moved: {}", req.take.join(", "), moved.len());
    audit::record(conn, stamp, AuditAction::Merge, "household", &[&kept.id, &other.id, &id], &detail)?;
    get(conn, &id)
}

/// Puts both records back as they were before the merge `id`.
pub fn undo(conn: &Connection, stamp: &Stamp, id: &str) -> Result<MergeRecord> {
    let (kept_before, merged_row, moved, undone): (String, String, String, Option<String>) = conn
        .query_row(
            "SELECT kept_before, merged_row, moved_needs, undone_at FROM merge_record WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?
        .ok_or(Error::NotFound("merge"))?;
    if undone.is_some() {
        return Err(Error::Validation(vec![FieldError { field: "merge".into(), rule: Rule::NotAllowed }]));
    }
    let kept: Household = serde_json::from_str(&kept_before)?;
    let other: Household = serde_json::from_str(&merged_row)?;
    let moved: Vec<String> = serde_json::from_str(&moved)?;
    household::update(conn, stamp, &kept.id, &input_of(&kept))?;
    household::insert_with_id(conn, stamp, &other.id, &input_of(&other))?;
    conn.execute(
        "UPDATE household SET created_at = ?2, updated_at = ?3, updated_by = ?4 WHERE id = ?1",
        params![other.id, other.created_at, other.updated_at, other.updated_by],
    )?;
    for need in &moved {
        conn.execute("UPDATE need SET household_id = ?1 WHERE id = ?2", params![other.id, need])?;
    }
    conn.execute("UPDATE merge_record SET undone_at = ?2 WHERE id = ?1", params![id, stamp.now])?;
    audit::record(conn, stamp, AuditAction::Merge, "household", &[&kept.id, &other.id, id], "merge undone")?;
    get(conn, id)
}

pub fn get(conn: &Connection, id: &str) -> Result<MergeRecord> {
    crate::rows::one(
        conn,
        "SELECT id, at, kept_id, merged_id, fields, recorded_by, undone_at FROM merge_record WHERE id = ?1",
        id,
        "merge",
        |r| {
            let fields: String = r.get(4)?;
            Ok(MergeRecord {
                id: r.get(0)?,
                at: r.get(1)?,
                kept_id: r.get(2)?,
                merged_id: r.get(3)?,
                fields: serde_json::from_str(&fields).unwrap_or_default(),
                recorded_by: r.get(5)?,
                undone_at: r.get(6)?,
            })
        },
    )
}
