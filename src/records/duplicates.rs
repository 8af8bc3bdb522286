//! Likely duplicate households: the same phone number, the same address or a place within
//! ~30 m, and similar names (accent- and case-insensitive, Jaro–Winkler from `strsim`).
//!
//! Candidates come from blocks (one phone, one address, one ~30 m grid cell and its
//! neighbours), so 100,000 households are not compared pairwise; each candidate pair is then
//! scored. A pair is reported at a score of 0.5 or more: the same phone alone is enough, the
//! same address or a nearby place needs a similar name too (neighbours in one building are not
//! duplicates).

use std::collections::{BTreeSet, HashMap};

use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;

use crate::error::Result;
use crate::text::fold;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct DuplicatePair {
    pub a: String,
    pub b: String,
    /// 0–1.
    pub score: f64,
    /// `same_phone`, `same_address`, `within_30m`, `same_name`, `similar_name`.
    pub reasons: Vec<String>,
}

const NEAR_M: f64 = 30.0;
/// Blocks larger than this (a shared hub phone, a big building) are not compared pairwise.
const MAX_BLOCK: usize = 60;
pub const THRESHOLD: f64 = 0.5;

struct Row {
    id: String,
    name: String,
    phones: Vec<String>,
    address: String,
    lat: f64,
    lon: f64,
}

fn load(conn: &Connection, keep: &dyn Fn(&str) -> bool) -> Result<Vec<Row>> {
    let mut stmt = conn.prepare(
        "SELECT id, name, phones_search, address, lat, lon FROM household
         WHERE status = 'active' AND purged_at IS NULL ORDER BY id",
    )?;
    let rows = stmt.query_map([], |r| {
        let id: String = r.get(0)?;
        if !keep(&id) {
            return Ok(None);
        }
        let phones: String = r.get(2)?;
        let address: String = r.get(3)?;
        Ok(Some(Row {
            id,
            name: fold(&r.get::<_, String>(1)?).split_whitespace().collect::<Vec<_>>().join(" "),
            phones: phones.split_whitespace().filter(|p| p.len() >= 6).map(String::from).collect(),
            address: fold(&address)
                .split(|c: char| !c.is_alphanumeric())
                .filter(|t| !t.is_empty())
                .collect::<Vec<_>>()
                .join(" "),
            lat: r.get(4)?,
            lon: r.get(5)?,
        }))
    })?;
    Ok(rows.filter_map(|r| r.transpose()).collect::<rusqlite::Result<_>>()?)
}

fn pairs_in(block: &[usize], out: &mut BTreeSet<(usize, usize)>) {
    if block.len() < 2 || block.len() > MAX_BLOCK {
        return;
    }
    for (k, &i) in block.iter().enumerate() {
        for &j in &block[k + 1..] {
            out.insert((i.min(j), i.max(j)));
        }
    }
}

/// Names compared word-order-free ("Ana García" and "GARCIA, Ana" are the same name) by edit
/// distance, so a shared first name alone ("Ana Applewood", "Ana Brightwater") is not similar.
fn name_similarity(a: &str, b: &str) -> f64 {
    let sorted = |s: &str| {
        let mut w: Vec<&str> = s.split(|c: char| !c.is_alphanumeric()).filter(|t| !t.is_empty()).collect();
        w.sort_unstable();
        w.join(" ")
    };
    strsim::normalized_damerau_levenshtein(a, b).max(strsim::normalized_damerau_levenshtein(&sorted(a), &sorted(b)))
}

fn score(a: &Row, b: &Row) -> (f64, Vec<String>) {
    let mut reasons = Vec::new();
    let mut keep = 1.0;
    let mut add = |reason: &str, weight: f64| {
        reasons.push(reason.to_string());
        keep *= 1.0 - weight;
    };
    if a.phones.iter().any(|p| b.phones.contains(p)) {
        add("same_phone", 0.7);
    }
    if !a.address.is_empty() && a.address == b.address {
        add("same_address", 0.35);
    } else if crate::region::extract::haversine_m(a.lat, a.lon, b.lat, b.lon) <= NEAR_M {
        add("within_30m", 0.2);
    }
    let sim = name_similarity(&a.name, &b.name);
    if a.name == b.name {
        add("same_name", 0.6);
    } else if sim >= 0.85 {
        add("similar_name", 0.45 * sim);
    }
    ((1.0 - keep).clamp(0.0, 1.0), reasons)
}

fn candidates(rows: &[Row]) -> BTreeSet<(usize, usize)> {
    let mut by_phone: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut by_address: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut by_cell: HashMap<(i64, i64), Vec<usize>> = HashMap::new();
    let cell_deg = NEAR_M / 111_195.0;
    let cell = |r: &Row| {
        ((r.lat / cell_deg).floor() as i64, (r.lon / (cell_deg / r.lat.to_radians().cos().max(0.1))).floor() as i64)
    };
    for (i, r) in rows.iter().enumerate() {
        for p in &r.phones {
            by_phone.entry(p).or_default().push(i);
        }
        if !r.address.is_empty() {
            by_address.entry(&r.address).or_default().push(i);
        }
        by_cell.entry(cell(r)).or_default().push(i);
    }
    let mut out = BTreeSet::new();
    by_phone.values().chain(by_address.values()).for_each(|b| pairs_in(b, &mut out));
    for (&(y, x), members) in &by_cell {
        let mut near: Vec<usize> = members.clone();
        for (dy, dx) in [(0, 1), (1, -1), (1, 0), (1, 1)] {
            if let Some(m) = by_cell.get(&(y + dy, x + dx)) {
                near.extend(m);
            }
        }
        pairs_in(&near, &mut out);
    }
    out
}

/// Every likely duplicate pair among the active households, best first, except pairs the user
/// kept as two households (`dismiss`).
pub fn find(conn: &Connection) -> Result<Vec<DuplicatePair>> {
    pairs_of(conn, load(conn, &|_| true)?)
}

/// The likely duplicate pairs (not kept as two) of which both households are among `ids`: on a
/// planning day, two records of one household that would both get a delivery.
pub fn among(conn: &Connection, ids: &std::collections::HashSet<String>) -> Result<Vec<DuplicatePair>> {
    pairs_of(conn, load(conn, &|id| ids.contains(id))?)
}

fn pairs_of(conn: &Connection, rows: Vec<Row>) -> Result<Vec<DuplicatePair>> {
    let dismissed: std::collections::HashSet<(String, String)> =
        crate::query::all(conn, "SELECT a, b FROM duplicate_dismissal", [], |r| Ok((r.get(0)?, r.get(1)?)))?
            .into_iter()
            .collect();
    let mut pairs: Vec<DuplicatePair> = candidates(&rows)
        .into_iter()
        .filter(|&(i, j)| !dismissed.contains(&ordered(&rows[i].id, &rows[j].id)))
        .filter_map(|(i, j)| {
            let (s, reasons) = score(&rows[i], &rows[j]);
            (s >= THRESHOLD).then(|| DuplicatePair {
                a: rows[i].id.clone(),
                b: rows[j].id.clone(),
                score: (s * 1000.0).round() / 1000.0,
                reasons,
            })
        })
        .collect();
    pairs.sort_by(|x, y| y.score.total_cmp(&x.score).then_with(|| x.a.cmp(&y.a)));
    Ok(pairs)
}

/// How many likely duplicate pairs involve one of `ids` (an import's new households).
pub fn involving(conn: &Connection, ids: &[String]) -> Result<u32> {
    let set: std::collections::HashSet<&str> = ids.iter().map(String::as_str).collect();
    Ok(find(conn)?.iter().filter(|p| set.contains(p.a.as_str()) || set.contains(p.b.as_str())).count() as u32)
}

fn ordered(a: &str, b: &str) -> (String, String) {
    (a.min(b).to_string(), a.max(b).to_string())
}

/// Records that `a` and `b` are two households: the pair is not offered again.
pub fn dismiss(conn: &rusqlite::Transaction<'_>, stamp: &crate::clock::Stamp, a: &str, b: &str) -> Result<()> {
    let (a, b) = ordered(a, b);
    conn.execute(
        "INSERT OR IGNORE INTO duplicate_dismissal (a, b, at, recorded_by) VALUES (?1, ?2, ?3, ?4)",
        rusqlite::params![a, b, stamp.now, stamp.operator],
    )?;
    crate::store::record_change(
        conn,
        stamp,
        crate::audit::AuditAction::Update,
        "household",
        &[&a, &b],
        "kept as two households",
    )
}
