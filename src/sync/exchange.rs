//! The folder transport from the operation's side: export what a folder lacks, import what the
//! operation lacks, accept a replica, and what this replica knows of its peers.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{DateTime, Utc};
use rand::RngCore;
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;
use ts_rs::TS;

use super::apply::apply;
use super::bundle::{self, BundleHeader, ContentKey, Known, Refusal, ReplicaKey};
use super::folder;
use crate::audit::AuditAction;
use crate::error::{Error, Result};
use crate::store::changelog::{self, LoggedChange, SelfReplica};
use crate::store::{record_change, Store};

/// The most changes one bundle file holds (a first sync is several files).
pub const CHANGES_PER_BUNDLE: u64 = 20_000;

#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct SyncExport {
    /// Bundle files written into the folder.
    pub files: Vec<String>,
    /// Changes they hold.
    pub changes: u64,
}

/// What became of one bundle file on import.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum FileOutcome {
    Applied {
        file: String,
        changes: u64,
        conflicts: u64,
        from: String,
    },
    AlreadyKnown {
        file: String,
    },
    /// From a replica nobody accepted yet: kept until someone does.
    Held {
        file: String,
        replica: String,
        name: String,
        fingerprint: String,
    },
    Refused {
        file: String,
        reason: String,
    },
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct SyncImport {
    pub files: Vec<FileOutcome>,
    pub applied: u64,
    pub already_known: u64,
    pub held: u64,
    pub refused: u64,
    /// Changes applied, over all files.
    pub changes: u64,
}

/// The key bundles are sealed with: from the secret every copy of this operation holds (made
/// with the operation; a passphrase change leaves it as it is).
fn content_key(store: &Store) -> Result<ContentKey> {
    let id = store.info()?.id;
    let secret: Vec<u8> = store.conn().query_row("SELECT secret FROM sync_secret WHERE id = 1", [], |r| r.get(0))?;
    Ok(ContentKey::derive(Some(&secret), &id))
}

fn me(store: &mut Store) -> Result<SelfReplica> {
    let place = store.place();
    let before: Option<String> =
        store.conn().query_row("SELECT id FROM sync_replica WHERE status = 'self'", [], |r| r.get(0)).optional()?;
    let me = store.write(|tx, stamp| {
        let me = changelog::ensure_self(tx, &place)?;
        if before.as_deref() != Some(me.id.as_str()) {
            record_change(
                tx,
                stamp,
                AuditAction::Sync,
                "replica",
                &[&me.id],
                "this copy of the operation is a replica",
            )?;
        }
        Ok(me)
    })?;
    Ok(me)
}

/// What each replica's changes this one holds: 1..=n.
fn holdings(conn: &Connection) -> Result<Vec<(String, String, u64)>> {
    let mut stmt = conn.prepare(
        "SELECT id, public_key, last_seq FROM sync_replica WHERE status <> 'held' AND last_seq > 0 ORDER BY id",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get::<_, i64>(2)? as u64)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Writes into `dir` every change this replica holds that the folder lacks, as bundles signed
/// by this replica.
pub fn export_to(store: &mut Store, dir: &Path, now: DateTime<Utc>) -> Result<SyncExport> {
    if store.read_only() {
        return Err(Error::ReadOnly);
    }
    let me = me(store)?;
    std::fs::create_dir_all(dir)?;
    let (present, _) = folder::list(dir)?;
    let key = content_key(store)?;
    let signer = ReplicaKey::from_secret(&me.secret);
    let operation_id = store.info()?.id;
    let held = holdings(store.conn())?;
    let seen: BTreeMap<String, u64> = held.iter().map(|(id, _, n)| (id.clone(), *n)).collect();
    let mut report = SyncExport::default();
    for (origin, origin_key, have) in &held {
        let covered: Vec<(u64, u64)> =
            present.iter().filter(|b| &b.replica == origin).map(|b| (b.first, b.last)).collect();
        for (first, last) in missing(&covered, *have) {
            let changes = changelog::range(store.conn(), origin, first, last)?;
            if changes.len() as u64 != last - first + 1 {
                return Err(Error::Corrupt("the change log has a gap".into()));
            }
            let header = BundleHeader {
                operation_id: operation_id.clone(),
                replica_id: me.id.clone(),
                replica_name: me.name.clone(),
                signer: signer.public(),
                origin: origin.clone(),
                origin_key: origin_key.clone(),
                seen: seen.clone(),
                schema_version: crate::store::schema::latest_version(),
                first_seq: first,
                last_seq: last,
                created_at: crate::clock::timestamp(now),
            };
            let mut nonce = [0u8; 24];
            rand::rngs::OsRng.fill_bytes(&mut nonce);
            let bytes = bundle::seal(&header, &serde_json::to_vec(&changes)?, &key, &signer, nonce)?;
            let name = folder::bundle_name(origin, first, last)?;
            if folder::put(dir, &name, &bytes)? {
                report.changes += changes.len() as u64;
                report.files.push(name);
            }
        }
    }
    if !report.files.is_empty() {
        let detail = format!("{} changes in {} files to a folder", report.changes, report.files.len());
        store.record(AuditAction::Sync, "changes", &[], &detail)?;
    }
    Ok(report)
}

/// The ranges of 1..=have that `covered` lacks, cut to `CHANGES_PER_BUNDLE`.
fn missing(covered: &[(u64, u64)], have: u64) -> Vec<(u64, u64)> {
    let mut out = Vec::new();
    let mut n = 1;
    while n <= have {
        if let Some(&(_, last)) = covered.iter().filter(|(f, l)| *f <= n && n <= *l).max_by_key(|(_, l)| *l) {
            n = last + 1;
            continue;
        }
        let next_cover = covered.iter().filter(|(f, _)| *f > n).map(|(f, _)| *f).min().unwrap_or(u64::MAX);
        let end = have.min(next_cover - 1).min(n + CHANGES_PER_BUNDLE - 1);
        out.push((n, end));
        n = end + 1;
    }
    out
}

fn known(conn: &Connection, replica: &str) -> Result<Option<(String, String)>> {
    Ok(conn
        .query_row("SELECT public_key, status FROM sync_replica WHERE id = ?1", [replica], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?)
}

/// Applies what `dir` holds that this operation lacks, one bundle (one transaction) at a time.
/// With `accept_new_peers`, replicas never seen before are accepted as they come (their key's
/// fingerprint is in the report and the audit log); otherwise their bundles are held.
pub fn import_from(store: &mut Store, dir: &Path, accept_new_peers: bool, now: DateTime<Utc>) -> Result<SyncImport> {
    if store.read_only() {
        return Err(Error::ReadOnly);
    }
    let mut me = me(store)?;
    let (files, _) = folder::list(dir)?;
    let key = content_key(store)?;
    let operation_id = store.info()?.id;
    let schema = crate::store::schema::latest_version();
    let mut report = SyncImport::default();
    for file in files {
        let name = file.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if file.replica == me.id {
            continue;
        }
        let have: u64 = store
            .conn()
            .query_row("SELECT last_seq FROM sync_replica WHERE id = ?1 AND status <> 'held'", [&file.replica], |r| {
                r.get::<_, i64>(0)
            })
            .optional()?
            .unwrap_or(0) as u64;
        if file.last <= have {
            report.already_known += 1;
            report.files.push(FileOutcome::AlreadyKnown { file: name });
            continue;
        }
        let at = Place { path: &file.path, name: &name, replica: &file.replica };
        // Whatever goes wrong with one file is that file's outcome: the others still apply.
        let outcome = import_one(store, &mut me, &at, &key, &operation_id, schema, accept_new_peers, now)
            .unwrap_or_else(|e| FileOutcome::Refused { file: name.clone(), reason: e.to_string() });
        match &outcome {
            FileOutcome::Applied { changes, .. } => {
                report.applied += 1;
                report.changes += changes;
            }
            FileOutcome::AlreadyKnown { .. } => report.already_known += 1,
            FileOutcome::Held { .. } => report.held += 1,
            FileOutcome::Refused { .. } => report.refused += 1,
        }
        report.files.push(outcome);
    }
    Ok(report)
}

/// One bundle file in the folder.
struct Place<'a> {
    path: &'a Path,
    name: &'a str,
    /// The origin its name says it holds changes of.
    replica: &'a str,
}

#[allow(clippy::too_many_arguments)]
fn import_one(
    store: &mut Store,
    me: &mut SelfReplica,
    at: &Place<'_>,
    key: &ContentKey,
    operation_id: &str,
    schema: u32,
    accept_new: bool,
    now: DateTime<Utc>,
) -> Result<FileOutcome> {
    let name = at.name;
    let refused = |reason: String| FileOutcome::Refused { file: name.to_string(), reason };
    let too_large = Error::UnreadableFile("larger than a change bundle can be");
    let bytes = match crate::read_limit::read_within(at.path, bundle::MAX_BUNDLE_BYTES as u64, too_large) {
        Ok(b) => b,
        Err(Error::UnreadableFile(_)) => {
            return Ok(refused(Refusal::TooLarge(bundle::MAX_BUNDLE_BYTES >> 20).to_string()))
        }
        Err(e) => return Ok(refused(format!("it could not be read ({e})"))),
    };
    let lookup = |conn: &Connection, replica: &str| match known(conn, replica) {
        Ok(Some((public_key, status))) if status != "held" => Known::Accepted { signer: public_key },
        _ => Known::Unknown,
    };
    let mut opened = bundle::open(&bytes, operation_id, schema, key, |r| lookup(store.conn(), r));
    if let Err(Refusal::UnknownReplica { replica, fingerprint }) = &opened {
        // `open` checked the signature before saying who: record who it is, held or accepted.
        let (replica, fingerprint) = (replica.clone(), fingerprint.clone());
        let Some((public_key, replica_name)) = peek_signer(&bytes) else {
            return Ok(refused("this change bundle's sender could not be read".into()));
        };
        let before = known(store.conn(), &replica)?;
        let status = if accept_new { "accepted" } else { "held" };
        if before.is_none() || (accept_new && before.as_ref().is_some_and(|(_, s)| s == "held")) {
            store.write(|tx, stamp| {
                tx.execute(
                    "INSERT INTO sync_replica (id, name, public_key, status, first_seen) VALUES (?1, ?2, ?3, ?4, ?5)
                     ON CONFLICT (id) DO UPDATE SET status = ?4 WHERE status = 'held' AND public_key = ?3",
                    rusqlite::params![replica, replica_name, public_key, status, stamp.now],
                )?;
                let detail = format!("{status} replica {replica} (key {fingerprint})");
                record_change(tx, stamp, AuditAction::Sync, "replica", &[&replica], &detail)
            })?;
        }
        if !accept_new {
            return Ok(FileOutcome::Held { file: name.to_string(), replica, name: replica_name, fingerprint });
        }
        opened = bundle::open(&bytes, operation_id, schema, key, |r| lookup(store.conn(), r));
    }
    let opened = match opened {
        Ok(o) => o,
        Err(Refusal::AlreadyApplied { .. }) => return Ok(FileOutcome::AlreadyKnown { file: name.to_string() }),
        Err(r) => return Ok(refused(r.to_string())),
    };
    let header = opened.header;
    if header.origin != at.replica || header.origin == me.id {
        return Ok(refused("this change bundle holds other changes than its name says".into()));
    }
    // Whose changes: the sender's own (signed with the key just checked), or another
    // replica's passed on — whose key must be the one known here; a replica never seen is
    // taken on the word of the accepted sender, one that waits for a person keeps waiting.
    let (origin_key, vouch) = if header.origin == header.replica_id {
        if header.origin_key != header.signer {
            return Ok(refused(Refusal::BadSignature.to_string()));
        }
        (header.signer.clone(), false)
    } else {
        match known(store.conn(), &header.origin)? {
            Some((k, status)) if status == "held" => {
                return Ok(FileOutcome::Held {
                    file: name.to_string(),
                    replica: header.origin.clone(),
                    name: String::new(),
                    fingerprint: bundle::fingerprint(&k),
                })
            }
            Some((k, _)) if k != header.origin_key => {
                return Ok(refused(
                    Refusal::OriginChanged { replica: header.replica_id.clone(), origin: header.origin.clone() }
                        .to_string(),
                ))
            }
            Some((k, _)) => (k, false),
            None => (header.origin_key.clone(), true),
        }
    };
    let changes: Vec<LoggedChange> = match serde_json::from_slice(&opened.payload) {
        Ok(c) => c,
        Err(_) => return Ok(refused(Refusal::BadChange("its changes cannot be read".into()).to_string())),
    };
    let now_ms = now.timestamp_millis();
    let snapshot = me.clone();
    let result = store.write(|tx, stamp| {
        if vouch {
            tx.execute(
                "INSERT INTO sync_replica (id, public_key, status, vouched_by, first_seen) VALUES (?1, ?2, 'accepted', ?3, ?4)",
                rusqlite::params![header.origin, origin_key, header.replica_id, stamp.now],
            )?;
            let detail = format!("accepted replica {} passed on by {}", header.origin, header.replica_id);
            record_change(tx, stamp, AuditAction::Sync, "replica", &[&header.origin], &detail)?;
        }
        let applied = match apply(tx, stamp, &snapshot, &header, &origin_key, &changes, now_ms)? {
            Ok(a) => a,
            Err(refusal) => return Err(Refused(refusal).into()),
        };
        let detail = format!("{} changes of replica {} from {name}", applied.changes, header.origin);
        record_change(tx, stamp, AuditAction::Sync, "changes", &[&header.origin], &detail)?;
        Ok(applied)
    });
    match result {
        Ok(applied) => {
            me.hlc = store
                .conn()
                .query_row("SELECT hlc FROM sync_replica WHERE id = ?1", [&me.id], |r| r.get::<_, String>(0))?
                .parse()
                .unwrap_or(me.hlc);
            Ok(FileOutcome::Applied {
                file: name.to_string(),
                changes: applied.changes,
                conflicts: applied.conflicts,
                from: header.origin.clone(),
            })
        }
        Err(Error::Internal(reason)) if reason.starts_with(REFUSED) => match reason[REFUSED.len()..].to_string() {
            r if r.starts_with("these changes were already applied") => {
                Ok(FileOutcome::AlreadyKnown { file: name.to_string() })
            }
            r => Ok(refused(r)),
        },
        Err(Error::Sqlite(e)) => {
            Ok(refused(format!("its changes do not fit this operation ({e}); nothing was changed")))
        }
        Err(e) => Err(e),
    }
}

const REFUSED: &str = "refused: ";

/// A refusal carried out of `Store::write` (which rolls back on any error).
struct Refused(Refusal);

impl From<Refused> for Error {
    fn from(r: Refused) -> Error {
        Error::Internal(format!("{REFUSED}{}", r.0))
    }
}

/// The public key and name a bundle's header names (the header is read only to show who sent
/// it; nothing is applied).
fn peek_signer(bytes: &[u8]) -> Option<(String, String)> {
    let len = u32::from_le_bytes(bytes.get(10..14)?.try_into().ok()?) as usize;
    let header: BundleHeader = serde_json::from_slice(bytes.get(14..14usize.checked_add(len)?)?).ok()?;
    Some((header.signer, header.replica_name))
}

/// Accepts a held replica: its bundles apply from the next import on.
pub fn accept(store: &mut Store, replica: &str) -> Result<()> {
    let fingerprint = match known(store.conn(), replica)? {
        Some((k, _)) => bundle::fingerprint(&k),
        None => return Err(Error::NotFound("replica")),
    };
    store.write(|tx, stamp| {
        tx.execute("UPDATE sync_replica SET status = 'accepted' WHERE id = ?1 AND status = 'held'", [replica])?;
        record_change(tx, stamp, AuditAction::Sync, "replica", &[replica], &format!("accepted (key {fingerprint})"))
    })
}

/// Names this replica for the others ("Hub Nord — laptop 2").
pub fn set_name(store: &mut Store, name: &str) -> Result<()> {
    let name = name.trim();
    let mut c = crate::validate::Checker::default();
    c.max_len("name", name, crate::validate::MAX_SHORT);
    c.finish()?;
    let me = me(store)?;
    store.write(|tx, stamp| {
        tx.execute("UPDATE sync_replica SET name = ?2 WHERE id = ?1", [&me.id, name])?;
        record_change(tx, stamp, AuditAction::Sync, "replica", &[&me.id], "named")
    })
}
