//! Merging two records of one household: the kept record takes, field by field, the values the
//! user picks from the other; the other's needs move over; the other record goes. Everything the
//! merge changed is recorded, so `undo` puts both records back as they were.

use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::audit::AuditAction;
use crate::clock::Stamp;
use crate::error::{Error, FieldError, Result, Rule};
use crate::household::{self, Household, HouseholdInput};

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
        landmark: h.landmark.clone(),
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
        // The address goes with its place: pin, landmark and all.
        (out.address, out.lat, out.lon, out.location_source, out.landmark) =
            (from.address.clone(), from.lat, from.lon, from.location_source, from.landmark.clone());
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

/// Pairs (kept household's need, merged household's need) of open needs for the same item, each
/// need in one pair at most.
fn identical_open_needs(
    mine: &[crate::need::Need],
    theirs: &[crate::need::Need],
) -> Vec<(crate::need::Need, crate::need::Need)> {
    use crate::vocab::NeedStatus::Open;
    let mut used: Vec<&str> = Vec::new();
    let mut out = Vec::new();
    for t in theirs.iter().filter(|t| t.status == Open && t.item_id.is_some() && t.item_quantity.is_some()) {
        let twin = mine.iter().find(|m| {
            m.status == Open && m.item_id == t.item_id && m.item_quantity.is_some() && !used.contains(&m.id.as_str())
        });
        if let Some(m) = twin {
            used.push(&m.id);
            out.push((m.clone(), t.clone()));
        }
    }
    out
}

pub fn merge(conn: &Transaction<'_>, stamp: &Stamp, req: &MergeRequest) -> Result<MergeRecord> {
    if req.kept_id == req.merged_id || req.take.iter().any(|f| !FIELDS.contains(&f.as_str())) {
        return Err(Error::Validation(vec![FieldError { field: "take".into(), rule: Rule::NotAllowed }]));
    }
    let kept = household::get(conn, &req.kept_id)?;
    let other = household::get(conn, &req.merged_id)?;
    household::update(conn, stamp, &kept.id, &combined(&kept, &other, &req.take))?;
    let theirs = crate::need::for_household(conn, &other.id)?;
    let folds = identical_open_needs(&crate::need::for_household(conn, &kept.id)?, &theirs);
    let moved: Vec<String> = theirs.into_iter().map(|n| n.id).collect();
    conn.execute(
        "UPDATE need SET household_id = ?1, updated_at = ?3, updated_by = ?4 WHERE household_id = ?2",
        params![kept.id, other.id, stamp.now, stamp.by],
    )?;
    // Identical open needs become one: the kept household's need takes the larger quantity and
    // the more urgent urgency; the other is cancelled (so nobody gets "1 × Rice" twice).
    for (mine, theirs) in &folds {
        let (q, unit) = if theirs.item_quantity > mine.item_quantity {
            (theirs.quantity, theirs.unit.as_str())
        } else {
            (mine.quantity, mine.unit.as_str())
        };
        conn.execute(
            "UPDATE need SET quantity = ?2, unit = ?3, urgency = ?4, updated_at = ?5, updated_by = ?6 WHERE id = ?1",
            params![mine.id, q, unit, mine.urgency.min(theirs.urgency), stamp.now, stamp.by],
        )?;
        crate::need::set_status(conn, stamp, &theirs.id, crate::vocab::NeedStatus::Cancelled)?;
    }
    let folded: Vec<serde_json::Value> =
        folds.iter().map(|(k, m)| serde_json::json!({ "kept": k, "merged": m })).collect();
    conn.execute("DELETE FROM household WHERE id = ?1", [&other.id])?;
    let id = crate::ids::new_id();
    conn.execute(
        "INSERT INTO merge_record (id, at, kept_id, merged_id, kept_before, merged_row, moved_needs, fields, recorded_by,
                                   folded_needs)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            id,
            stamp.now,
            kept.id,
            other.id,
            serde_json::to_string(&kept)?,
            serde_json::to_string(&other)?,
            serde_json::to_string(&moved)?,
            serde_json::to_string(&req.take)?,
            stamp.operator,
            serde_json::to_string(&folded)?
        ],
    )?;
    let detail = format!(
        "fields taken: {}; needs moved: {}; identical open needs made one: {}",
        req.take.join(", "),
        moved.len(),
        folds.len()
    );
    crate::store::record_change(conn, stamp, AuditAction::Merge, "household", &[&kept.id, &other.id, &id], &detail)?;
    get(conn, &id)
}

/// Puts both records back as they were before the merge `id`.
pub fn undo(conn: &Transaction<'_>, stamp: &Stamp, id: &str) -> Result<MergeRecord> {
    let (kept_before, merged_row, moved, undone, folded): (String, String, String, Option<String>, String) = conn
        .query_row(
            "SELECT kept_before, merged_row, moved_needs, undone_at, folded_needs FROM merge_record WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
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
    // The needs made one: both exactly as they were.
    let folded: Vec<serde_json::Value> = serde_json::from_str(&folded)?;
    for f in &folded {
        for (key, home) in [("kept", &kept.id), ("merged", &other.id)] {
            let n: crate::need::Need = serde_json::from_value(f[key].clone())?;
            conn.execute(
                "UPDATE need SET household_id = ?2, quantity = ?3, unit = ?4, urgency = ?5, status = ?6,
                                 updated_at = ?7, updated_by = ?8 WHERE id = ?1",
                params![n.id, home, n.quantity, n.unit, n.urgency, n.status, n.updated_at, n.updated_by],
            )?;
        }
    }
    conn.execute("UPDATE merge_record SET undone_at = ?2 WHERE id = ?1", params![id, stamp.now])?;
    crate::store::record_change(
        conn,
        stamp,
        AuditAction::Merge,
        "household",
        &[&kept.id, &other.id, id],
        "merge undone",
    )?;
    get(conn, id)
}

pub fn get(conn: &Connection, id: &str) -> Result<MergeRecord> {
    crate::query::one(
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
