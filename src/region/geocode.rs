//! Address search in a region pack: addresses (`addr:street` + `addr:housenumber`), streets and
//! named places, found as you type. Exact and partial queries go through an SQLite FTS5
//! trigram index (substring match on accent-free lower-case text); when that finds too little
//! (typos, a missing letter: "Manerheimintie"), candidates sharing trigrams with the query are
//! re-ranked by edit distance (crate `strsim`).

use rusqlite::{params, Connection};
use serde::Serialize;
use ts_rs::TS;

use crate::error::Result;
use crate::text::fold;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct GeocodeResult {
    pub label: String,
    /// `address`, `street` or `place`.
    pub kind: String,
    pub lat: f64,
    pub lon: f64,
    /// 0–1, higher is better.
    pub score: f64,
}

/// The pack's named places (neighbourhoods, quarters, villages): label, lat, lon.
pub fn places(conn: &Connection) -> Result<Vec<(String, f64, f64)>> {
    let mut stmt = conn.prepare("SELECT label, lat, lon FROM place WHERE kind = 'place' ORDER BY id")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Creates the search tables of a new pack.
pub fn create_schema(conn: &Connection) -> Result<()> {
    conn.execute_batch(
        "CREATE TABLE place (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, label TEXT NOT NULL,
                             search TEXT NOT NULL, lat REAL NOT NULL, lon REAL NOT NULL);
         CREATE VIRTUAL TABLE place_fts USING fts5(search, content='place', content_rowid='id', tokenize='trigram');",
    )?;
    Ok(())
}

pub fn insert(conn: &Connection, places: &[super::extract::Place]) -> Result<()> {
    let mut stmt = conn.prepare("INSERT INTO place (kind, label, search, lat, lon) VALUES (?1, ?2, ?3, ?4, ?5)")?;
    let mut seen = std::collections::HashSet::new();
    for p in places {
        let search = fold(&p.label);
        if !seen.insert((p.kind, search.clone())) {
            continue; // the same address on a node and its building
        }
        stmt.execute(params![p.kind.key(), p.label, search, p.lat, p.lon])?;
    }
    conn.execute("INSERT INTO place_fts (place_fts) VALUES ('rebuild')", [])?;
    Ok(())
}

struct Row {
    id: i64,
    kind: String,
    label: String,
    search: String,
    lat: f64,
    lon: f64,
}

fn rows(conn: &Connection, sql: &str, arg: &str) -> Result<Vec<Row>> {
    rows2(conn, sql, arg, "")
}

/// `rows` for statements with a second parameter (`?2`); the extra one is ignored otherwise.
fn rows2(conn: &Connection, sql: &str, arg: &str, arg2: &str) -> Result<Vec<Row>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let n = stmt.parameter_count();
    let rows = stmt.query_map(rusqlite::params_from_iter([arg, arg2].into_iter().take(n)), |r| {
        Ok(Row { id: r.get(0)?, kind: r.get(1)?, label: r.get(2)?, search: r.get(3)?, lat: r.get(4)?, lon: r.get(5)? })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

const SELECT: &str = "SELECT p.id, p.kind, p.label, p.search, p.lat, p.lon FROM place p";

/// How well `label` (folded) matches the folded query: 1 for a prefix, a little less for a
/// match later in the text, shorter labels first among equals.
fn exact_score(q: &str, search: &str) -> f64 {
    let pos = search.find(q).unwrap_or(search.len());
    let start = if pos == 0 {
        1.0
    } else if search[..pos].ends_with(' ') {
        0.95
    } else {
        0.9
    };
    start - (search.len() as f64 - q.len() as f64).max(0.0) / 1000.0
}

/// Best edit-distance similarity between the query and a window of the label of about the
/// query's length, starting at a word.
fn fuzzy_score(q: &str, search: &str) -> f64 {
    let qn = q.chars().count();
    let chars: Vec<char> = search.chars().collect();
    let mut best: f64 = 0.0;
    for start in 0..chars.len() {
        if start > 0 && chars[start - 1] != ' ' {
            continue;
        }
        for len in qn.saturating_sub(2)..=qn + 2 {
            if start + len > chars.len() || len == 0 {
                continue;
            }
            let window: String = chars[start..start + len].iter().collect();
            best = best.max(strsim::normalized_damerau_levenshtein(q, &window));
        }
    }
    best
}

/// Up to `limit` results for `query`, best first.
pub fn search(conn: &Connection, query: &str, limit: usize) -> Result<Vec<GeocodeResult>> {
    let q = fold(query.trim());
    let q = q.split_whitespace().collect::<Vec<_>>().join(" ");
    if q.is_empty() {
        return Ok(vec![]);
    }
    let mut found: Vec<(f64, Row)> = Vec::new();
    if q.chars().count() >= 3 {
        let phrase = format!("\"{}\"", q.replace('"', "\"\""));
        // Matches at the start, then at the start of a word, then the shortest: the best ones are
        // never cut by the limit.
        let sql = format!(
            "{SELECT} JOIN place_fts f ON f.rowid = p.id WHERE place_fts MATCH ?1
             ORDER BY (instr(p.search, ?2) = 1) DESC, (instr(p.search, ' ' || ?2) > 0) DESC, length(p.search) LIMIT 500"
        );
        for r in rows2(conn, &sql, &phrase, &q)? {
            found.push((exact_score(&q, &r.search), r));
        }
    } else {
        let like = format!("{}%", q.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
        for r in rows(conn, &format!("{SELECT} WHERE p.search LIKE ?1 ESCAPE '\\' LIMIT 500"), &like)? {
            found.push((exact_score(&q, &r.search), r));
        }
    }
    if found.len() < limit && q.chars().count() >= 4 {
        // Typos: anything sharing trigrams with the query, re-ranked by edit distance.
        let chars: Vec<char> = q.chars().collect();
        let mut grams: Vec<String> = chars.windows(3).map(|w| w.iter().collect::<String>()).collect();
        grams.sort();
        grams.dedup();
        grams.truncate(24);
        let any = grams.iter().map(|g| format!("\"{}\"", g.replace('"', "\"\""))).collect::<Vec<_>>().join(" OR ");
        let sql =
            format!("{SELECT} JOIN place_fts f ON f.rowid = p.id WHERE place_fts MATCH ?1 ORDER BY f.rank LIMIT 300");
        let known: std::collections::HashSet<i64> = found.iter().map(|(_, r)| r.id).collect();
        for r in rows(conn, &sql, &any)? {
            if known.contains(&r.id) {
                continue;
            }
            let score = fuzzy_score(&q, &r.search) * 0.85;
            if score >= 0.85 * 0.75 {
                found.push((score, r));
            }
        }
    }
    // Best first; a street or a place before the addresses on it when the query has no number.
    let has_digit = q.chars().any(|c| c.is_ascii_digit());
    let kind_bonus = |k: &str| match (k, has_digit) {
        ("address", true) => 0.02,
        ("street", false) | ("place", false) => 0.02,
        _ => 0.0,
    };
    found.sort_by(|a, b| {
        (b.0 + kind_bonus(&b.1.kind)).total_cmp(&(a.0 + kind_bonus(&a.1.kind))).then_with(|| a.1.label.cmp(&b.1.label))
    });
    Ok(found
        .into_iter()
        .take(limit)
        .map(|(score, r)| GeocodeResult {
            label: r.label,
            kind: r.kind,
            lat: r.lat,
            lon: r.lon,
            score: (score * 1000.0).round() / 1000.0,
        })
        .collect())
}
