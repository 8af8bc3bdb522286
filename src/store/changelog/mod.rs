//! The change log: what every write changed, field by field, recorded where the write happens,
//! so that other replicas of the operation can apply it (issue 18, "hubs working together").
//!
//! Capture is generic. On the store's connection, TEMP triggers on every synced table copy the
//! row as it was before its first change in the transaction (or only its key, for a new row)
//! into a TEMP table; TEMP objects live in the connection, never in the file, so the file's
//! schema stays exactly the migrations' (`guard`). Before `Store::write` commits, `capture` reads
//! them, compares each row with what it is now, and appends one change per changed record to
//! `sync_change`: every writer is covered without knowing about sync, and a bulk import writes
//! one audit entry but a change per record.
//!
//! Merge is per field (`merge`): a record's value is, field by field, the change with the
//! greatest (HLC, replica id) — a function of the set of changes, not of their order.

mod capture;
pub mod hlc;
mod merge;
mod names;
pub mod register;
mod replica;
mod shift_times;

use rusqlite::types::Value;
use rusqlite::{Connection, Transaction};
use serde_json::Value as Json;
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

pub(crate) use capture::capture;
pub use capture::choose;
pub use merge::{append, materialize, refresh_conflicts, scrub_if_purged};
pub(crate) use names::settle as settle_names;
pub use names::{renamed, Renamed};
pub use replica::{advance, ensure_self, secret, Place, SelfReplica};
pub use shift_times::{adjusted as adjusted_shifts, Adjusted as AdjustedShift};

/// How a table's rows merge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Per-field last-writer-wins; removal is a tombstone change.
    Fields,
    /// History rows (stock movements, audit entries): only added, merged as a union.
    Append,
    /// Per field, but only the replica that made the plan may change it.
    Owned,
}

/// One table other replicas receive.
#[derive(Debug)]
pub struct Synced {
    pub table: &'static str,
    pub key: &'static [&'static str],
    pub mode: Mode,
    /// Columns never sent: derived here (search text, counts kept by triggers) or local.
    pub local: &'static [&'static str],
    /// Records of this machine alone (settings keys such as where this laptop backs up).
    pub local_records: &'static [&'static str],
}

const STAMPS: &[&str] = &["updated_at", "updated_by"];

/// Every synced table, parents before children (a plan before its runs).
pub const SYNCED: &[Synced] = &[
    t("operation", &["id"], Mode::Fields, &[]),
    Synced { local_records: &["backup", "sync"], ..t("setting", &["key"], Mode::Fields, &[]) },
    t("household", &["id"], Mode::Fields, &["open_rank", "open_needs", "search_text", "phones_search"]),
    t("item", &["id"], Mode::Fields, &[]),
    t("site", &["id"], Mode::Fields, &[]),
    t("need", &["id"], Mode::Fields, &[]),
    t("closure", &["id"], Mode::Fields, &[]),
    t("volunteer", &["id"], Mode::Fields, &[]),
    t("vehicle", &["id"], Mode::Fields, &[]),
    t("shift", &["id"], Mode::Fields, &[]),
    t("category_default", &["category"], Mode::Fields, &[]),
    t("substitution_group", &["id"], Mode::Fields, &[]),
    t("substitution_member", &["group_id", "item_id"], Mode::Fields, &[]),
    t("kit_component", &["kit_id", "component_id"], Mode::Fields, &[]),
    t("duplicate_dismissal", &["a", "b"], Mode::Fields, &[]),
    t("import_record", &["id"], Mode::Fields, &[]),
    t("placement_queue", &["id"], Mode::Fields, &[]),
    t("merge_record", &["id"], Mode::Fields, &[]),
    t("stock_movement", &["id"], Mode::Append, &["seq"]),
    t("plan", &["id"], Mode::Owned, &[]),
    t("plan_run", &["id"], Mode::Owned, &[]),
    t("plan_stop", &["id"], Mode::Owned, &[]),
    t("plan_need", &["plan_id", "need_id"], Mode::Owned, &[]),
    // Last: entries written while capturing are captured in the same pass.
    t("audit", &["seq"], Mode::Append, &["seq", "hash"]),
];

const fn t(table: &'static str, key: &'static [&'static str], mode: Mode, local: &'static [&'static str]) -> Synced {
    Synced { table, key, mode, local, local_records: &[] }
}

/// The synced table `name`, for a change that names it (from another replica: untrusted).
pub fn synced(name: &str) -> Option<&'static Synced> {
    SYNCED.iter().find(|s| s.table == name)
}

/// Personal fields a purge blanks: a purged record's log keeps none of their values.
pub fn personal(table: &str) -> &'static [&'static str] {
    match table {
        "household" => &[
            "name",
            "phones",
            "address",
            "lat",
            "lon",
            "vulnerabilities",
            "languages",
            "access_notes",
            "consent_scope",
            "notes",
            "landmark",
        ],
        "need" => &["notes"],
        _ => &[],
    }
}

/// Whether a field's concurrent changes are a conflict for a person (stamps are not).
pub fn reviewed(field: &str) -> bool {
    !STAMPS.contains(&field) && field != "created_at"
}

impl Synced {
    /// The columns a change carries, in table order (read from the schema once per call site).
    pub fn columns(&self, conn: &Connection) -> Result<Vec<String>> {
        let mut stmt = conn.prepare_cached(&format!("SELECT name FROM pragma_table_info('{}')", self.table))?;
        let all = stmt.query_map([], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(all.into_iter().filter(|c| !self.local.contains(&c.as_str())).collect())
    }

    /// Every column of the table (the TEMP copy holds them all).
    fn all_columns(&self, conn: &Connection) -> Result<Vec<String>> {
        let mut stmt = conn.prepare_cached(&format!("SELECT name FROM pragma_table_info('{}')", self.table))?;
        let all = stmt.query_map([], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(all)
    }

    /// The record id a change names: the key's text, or a JSON array of the key's parts.
    pub fn record_id(&self, key: &[Value]) -> Result<String> {
        if let [Value::Text(single)] = key {
            return Ok(single.clone());
        }
        if self.mode == Mode::Append && self.table == "audit" {
            return Ok(String::new());
        }
        let parts: Vec<Json> = key.iter().map(to_json).collect::<Result<_>>()?;
        Ok(serde_json::to_string(&parts)?)
    }

    /// The key values of a record id (the inverse of `record_id`).
    pub fn key_of(&self, record: &str) -> Result<Vec<Value>> {
        if self.key.len() == 1 {
            return Ok(vec![Value::Text(record.to_string())]);
        }
        let parts: Vec<Json> =
            serde_json::from_str(record).map_err(|_| Error::Corrupt(format!("a {} record id", self.table)))?;
        if parts.len() != self.key.len() {
            return Err(Error::Corrupt(format!("a {} record id", self.table)));
        }
        parts.iter().map(from_json).collect()
    }

    fn temp(&self) -> String {
        format!("temp.sync_old_{}", self.table)
    }

    fn key_where(&self, first_param: usize) -> String {
        self.key
            .iter()
            .enumerate()
            .map(|(i, k)| format!("{k} = ?{}", first_param + i))
            .collect::<Vec<_>>()
            .join(" AND ")
    }
}

/// A stored value as JSON: exact (floats round-trip), never a blob.
pub fn to_json(v: &Value) -> Result<Json> {
    Ok(match v {
        Value::Null => Json::Null,
        Value::Integer(i) => Json::from(*i),
        Value::Real(f) => {
            serde_json::Number::from_f64(*f).map(Json::Number).ok_or_else(|| Error::Corrupt("a number".into()))?
        }
        Value::Text(s) => Json::String(s.clone()),
        Value::Blob(_) => return Err(Error::Internal("a synced column holds bytes".into())),
    })
}

/// A JSON value as stored; arrays and objects are refused (a change carries scalars).
pub fn from_json(v: &Json) -> Result<Value> {
    Ok(match v {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Integer(*b as i64),
        Json::Number(n) => match n.as_i64() {
            Some(i) => Value::Integer(i),
            None => Value::Real(n.as_f64().ok_or_else(|| Error::Corrupt("a number".into()))?),
        },
        Json::String(s) => Value::Text(s.clone()),
        _ => return Err(Error::Corrupt("a change holds a list where a value belongs".into())),
    })
}

/// Installs the TEMP copies and triggers on the store's connection (schema 12 and later).
pub(crate) fn install(conn: &Connection) -> Result<()> {
    if crate::store::schema::version(conn)? < 12 {
        return Ok(());
    }
    let mut sql = String::new();
    for s in SYNCED {
        let cols = s.all_columns(conn)?;
        // Unqualified in trigger bodies (SQLite allows no schema there); TEMP names come first.
        let temp = format!("sync_old_{}", s.table);
        let key = s.key.join(", ");
        sql.push_str(&format!(
            "CREATE TEMP TABLE IF NOT EXISTS sync_old_{t} ({c}, _existed INTEGER NOT NULL, PRIMARY KEY ({key}));\n",
            t = s.table,
            c = cols.join(", "),
        ));
        let new_key = s.key.iter().map(|k| format!("NEW.{k}")).collect::<Vec<_>>().join(", ");
        let old_all = cols.iter().map(|c| format!("OLD.{c}")).collect::<Vec<_>>().join(", ");
        let all = cols.join(", ");
        let t = s.table;
        // Not INSERT OR IGNORE: an outer statement's conflict clause (an upsert) overrides a
        // trigger's.
        let matching = |row: &str| s.key.iter().map(|k| format!("{k} IS {row}.{k}")).collect::<Vec<_>>().join(" AND ");
        let (old_match, new_match) = (matching("OLD"), matching("NEW"));
        sql.push_str(&format!(
            "CREATE TEMP TRIGGER IF NOT EXISTS sync_i_{t} AFTER INSERT ON main.{t} BEGIN
                INSERT INTO {temp} ({key}, _existed) SELECT {new_key}, 0 WHERE NOT EXISTS
                    (SELECT 1 FROM {temp} WHERE {new_match}); END;\n"
        ));
        if s.mode != Mode::Append {
            sql.push_str(&format!(
                "CREATE TEMP TRIGGER IF NOT EXISTS sync_u_{t} AFTER UPDATE ON main.{t} BEGIN
                    INSERT INTO {temp} ({all}, _existed) SELECT {old_all}, 1 WHERE NOT EXISTS
                        (SELECT 1 FROM {temp} WHERE {old_match});
                    INSERT INTO {temp} ({key}, _existed) SELECT {new_key}, 0 WHERE NOT EXISTS
                        (SELECT 1 FROM {temp} WHERE {new_match}); END;
                 CREATE TEMP TRIGGER IF NOT EXISTS sync_d_{t} AFTER DELETE ON main.{t} BEGIN
                    INSERT INTO {temp} ({all}, _existed) SELECT {old_all}, 1 WHERE NOT EXISTS
                        (SELECT 1 FROM {temp} WHERE {old_match}); END;\n"
            ));
        }
    }
    conn.execute_batch(&sql)?;
    Ok(())
}

/// Forgets what the TEMP copies hold (after applying other replicas' changes: those are not
/// this replica's to record again).
pub(crate) fn forget_pending(tx: &Transaction<'_>) -> Result<()> {
    if !installed(tx)? {
        return Ok(());
    }
    for s in SYNCED {
        tx.prepare_cached(&format!("DELETE FROM {}", s.temp()))?.execute([])?;
    }
    Ok(())
}

fn installed(conn: &Connection) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM temp.sqlite_master WHERE name = 'sync_old_audit')")?
        .query_row([], |r| r.get(0))?)
}

/// A record's row as it is now (synced columns), or `None` when there is none.
pub fn current(tx: &Connection, s: &Synced, cols: &[String], key: &[Value]) -> Result<Option<Vec<Value>>> {
    let sql = format!("SELECT {} FROM main.{} WHERE {}", cols.join(", "), s.table, s.key_where(1));
    let mut stmt = tx.prepare_cached(&sql)?;
    let mut rows = stmt.query(rusqlite::params_from_iter(key.iter()))?;
    match rows.next()? {
        Some(r) => Ok(Some((0..cols.len()).map(|i| r.get::<_, Value>(i)).collect::<rusqlite::Result<_>>()?)),
        None => Ok(None),
    }
}

/// One change as the log keeps it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LoggedChange {
    pub replica: String,
    pub seq: u64,
    pub hlc: String,
    pub entity: String,
    pub record: String,
    pub kind: String,
    /// field → [value before, value after]
    pub fields: serde_json::Map<String, Json>,
    pub operator: String,
    pub at: String,
    /// Ed25519 (hex) by `replica` over `digest()`.
    pub signature: String,
}

/// A field's entry in a change: `[before, after]`; once the record is purged, a personal
/// field keeps only hashes (`{"h": [before, after]}`), or, in the purge itself, the hash of the
/// value before and the blank after (`{"hb": before, "a": after}`). The digest is the same in
/// every form, so a scrubbed change keeps its signature.
fn entry_hashes(entry: &Json) -> Option<([u8; 32], [u8; 32])> {
    let hash = |v: &Json| -> [u8; 32] { Sha256::digest(v.to_string().as_bytes()).into() };
    let unhex = |v: &Json| -> Option<[u8; 32]> {
        let text = v.as_str()?;
        let mut out = [0u8; 32];
        if text.len() != 64 {
            return None;
        }
        for (i, b) in out.iter_mut().enumerate() {
            *b = u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok()?;
        }
        Some(out)
    };
    match entry {
        Json::Array(pair) if pair.len() == 2 => Some((hash(&pair[0]), hash(&pair[1]))),
        Json::Object(o) if o.len() == 1 => match o.get("h")? {
            Json::Array(h) if h.len() == 2 => Some((unhex(&h[0])?, unhex(&h[1])?)),
            _ => None,
        },
        Json::Object(o) if o.len() == 2 => Some((unhex(o.get("hb")?)?, hash(o.get("a")?))),
        _ => None,
    }
}

fn hex32(bytes: &[u8; 32]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl LoggedChange {
    pub fn id(&self) -> register::ChangeId {
        register::ChangeId { hlc: self.hlc.clone(), replica: self.replica.clone() }
    }

    /// The field's (before, after), when this change set it and still holds both values.
    pub fn field(&self, name: &str) -> Option<(&Json, &Json)> {
        match self.fields.get(name)? {
            Json::Array(pair) if pair.len() == 2 => Some((&pair[0], &pair[1])),
            _ => None,
        }
    }

    /// The value this change gave the field, when it still holds it.
    pub fn after(&self, name: &str) -> Option<&Json> {
        match self.fields.get(name)? {
            Json::Array(pair) if pair.len() == 2 => Some(&pair[1]),
            Json::Object(o) if o.len() == 2 => o.get("a"),
            _ => None,
        }
    }

    /// What the signature covers: every part of the change, each field by the hashes of its
    /// values (`None` when an entry is malformed).
    pub fn digest(&self) -> Option<[u8; 32]> {
        let mut h = Sha256::new();
        let seq = self.seq.to_string();
        for part in [&self.replica, &seq, &self.hlc, &self.entity, &self.record, &self.kind, &self.operator, &self.at] {
            h.update((part.len() as u64).to_le_bytes());
            h.update(part.as_bytes());
        }
        for (name, entry) in &self.fields {
            let (before, after) = entry_hashes(entry)?;
            h.update((name.len() as u64).to_le_bytes());
            h.update(name.as_bytes());
            h.update(before);
            h.update(after);
        }
        Some(h.finalize().into())
    }

    /// Signs the change as its replica (`secret`: that replica's signing key).
    pub fn sign(&mut self, secret: &[u8; 32]) -> Result<()> {
        use ed25519_dalek::Signer;
        let digest = self.digest().ok_or_else(|| Error::Internal("a change to sign is malformed".into()))?;
        let signature = ed25519_dalek::SigningKey::from_bytes(secret).sign(&digest);
        self.signature = signature.to_bytes().iter().map(|b| format!("{b:02x}")).collect();
        Ok(())
    }

    /// Whether `public_hex` (the replica's key) signed this change as it is.
    pub fn verify(&self, public_hex: &str) -> bool {
        let unhex = |text: &str, out: &mut [u8]| -> bool {
            if text.len() != 2 * out.len() {
                return false;
            }
            for (i, b) in out.iter_mut().enumerate() {
                match text.get(2 * i..2 * i + 2).and_then(|d| u8::from_str_radix(d, 16).ok()) {
                    Some(v) => *b = v,
                    None => return false,
                }
            }
            true
        };
        let (mut key, mut sig) = ([0u8; 32], [0u8; 64]);
        if !unhex(public_hex, &mut key) || !unhex(&self.signature, &mut sig) {
            return false;
        }
        let (Some(digest), Ok(key)) = (self.digest(), ed25519_dalek::VerifyingKey::from_bytes(&key)) else {
            return false;
        };
        key.verify_strict(&digest, &ed25519_dalek::Signature::from_bytes(&sig)).is_ok()
    }

    /// Keeps only the hashes of `name`'s values (a purged record's personal field); in the
    /// purge itself (`keep_after`), the blank it wrote stays.
    pub fn scrub(&mut self, name: &str, keep_after: bool) {
        let Some(entry) = self.fields.get(name) else { return };
        let Some((before, after)) = entry_hashes(entry) else { return };
        let replaced = match (keep_after, self.after(name)) {
            (true, Some(value)) => serde_json::json!({ "hb": hex32(&before), "a": value }),
            _ => serde_json::json!({ "h": [hex32(&before), hex32(&after)] }),
        };
        self.fields.insert(name.to_string(), replaced);
    }
}

/// Appends one change to the log (ignored when that replica's change `seq` is there already).
pub fn insert(tx: &Transaction<'_>, c: &LoggedChange) -> Result<bool> {
    let n = tx
        .prepare_cached(
            "INSERT OR IGNORE INTO sync_change (replica, seq, hlc, entity, record, kind, fields, operator, at, signature)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )?
        .execute(rusqlite::params![
            c.replica,
            c.seq as i64,
            c.hlc,
            c.entity,
            c.record,
            c.kind,
            serde_json::to_string(&c.fields)?,
            c.operator,
            c.at,
            c.signature
        ])?;
    Ok(n == 1)
}

/// The changes of one record, in id order.
pub fn of_record(tx: &Connection, entity: &str, record: &str) -> Result<Vec<LoggedChange>> {
    let mut stmt = tx.prepare_cached(
        "SELECT replica, seq, hlc, entity, record, kind, fields, operator, at, signature FROM sync_change
         WHERE entity = ?1 AND record = ?2",
    )?;
    let mut out = stmt
        .query_map([entity, record], read_change)?
        .collect::<rusqlite::Result<Vec<_>>>()?
        .into_iter()
        .collect::<Result<Vec<_>>>()?;
    out.sort_by(|a, b| (&a.hlc, &a.replica, a.seq).cmp(&(&b.hlc, &b.replica, b.seq)));
    Ok(out)
}

/// The changes of `replica` numbered `first..=last`, in order.
pub fn range(conn: &Connection, replica: &str, first: u64, last: u64) -> Result<Vec<LoggedChange>> {
    let mut stmt = conn.prepare_cached(
        "SELECT replica, seq, hlc, entity, record, kind, fields, operator, at, signature FROM sync_change
         WHERE replica = ?1 AND seq BETWEEN ?2 AND ?3 ORDER BY seq",
    )?;
    let out = stmt
        .query_map(rusqlite::params![replica, first as i64, last as i64], read_change)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    out.into_iter().collect()
}

fn read_change(r: &rusqlite::Row<'_>) -> rusqlite::Result<Result<LoggedChange>> {
    let fields: String = r.get(6)?;
    let seq: i64 = r.get(1)?;
    Ok((|| {
        Ok(LoggedChange {
            replica: r.get(0)?,
            seq: seq as u64,
            hlc: r.get(2)?,
            entity: r.get(3)?,
            record: r.get(4)?,
            kind: r.get(5)?,
            fields: serde_json::from_str(&fields)?,
            operator: r.get(7)?,
            at: r.get(8)?,
            signature: r.get(9)?,
        })
    })())
}
