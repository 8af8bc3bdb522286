//! This file's own replica: its id, signing key, change numbers and clock. A file copied to
//! another laptop (or beside itself) notices on its first write that it is not where its replica
//! lives — another installation or another path — and becomes a new replica; the one it was
//! copied from stays known as an accepted peer ('former'), with every change it made so far.

use ed25519_dalek::SigningKey;
use rand::RngCore;
use rusqlite::{params, OptionalExtension, Transaction};

use super::hlc::Hlc;
use crate::error::Result;

/// Where this copy of the operation lives (copy detection).
#[derive(Debug, Clone)]
pub struct Place {
    pub installation: String,
    pub path: String,
}

#[derive(Debug, Clone)]
pub struct SelfReplica {
    pub id: String,
    pub name: String,
    pub public_key: String,
    pub secret: [u8; 32],
    /// Its last change number.
    pub seq: u64,
    /// The greatest clock reading seen here.
    pub hlc: Hlc,
}

/// The replica this copy is, made now when there is none here yet.
pub fn ensure_self(tx: &Transaction<'_>, place: &Place) -> Result<SelfReplica> {
    let found = tx
        .query_row(
            "SELECT id, name, public_key, secret, installation, file_path, last_seq, hlc FROM sync_replica
             WHERE status = 'self'",
            [],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<Vec<u8>>>(3)?,
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, Option<String>>(5)?,
                    r.get::<_, i64>(6)?,
                    r.get::<_, String>(7)?,
                ))
            },
        )
        .optional()?;
    let mut hlc = Hlc::default();
    if let Some((id, name, public_key, secret, installation, path, seq, clock)) = found {
        hlc = if clock.is_empty() { Hlc::default() } else { clock.parse()? };
        let here = installation.as_deref() == Some(place.installation.as_str()) && path.as_deref() == Some(&place.path);
        if let (true, Some(secret)) = (here, secret.and_then(|s| <[u8; 32]>::try_from(s.as_slice()).ok())) {
            return Ok(SelfReplica { id, name, public_key, secret, seq: seq as u64, hlc });
        }
        // A copy: the replica it was copied from is a peer from now on.
        tx.execute(
            "UPDATE sync_replica SET status = 'former', secret = NULL, installation = NULL, file_path = NULL
             WHERE id = ?1",
            [&id],
        )?;
    }
    self::secret(tx)?;
    let mut secret = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut secret);
    let public_key = hex(SigningKey::from_bytes(&secret).verifying_key().as_bytes());
    let id = crate::ids::new_id();
    tx.execute(
        "INSERT INTO sync_replica (id, public_key, secret, installation, file_path, status, hlc)
         VALUES (?1, ?2, ?3, ?4, ?5, 'self', ?6)",
        params![id, public_key, secret.to_vec(), place.installation, place.path, hlc.to_string()],
    )?;
    // Plans made before replicas existed belong to the first replica that writes here.
    tx.execute(
        "INSERT INTO sync_plan_owner (plan_id, replica)
         SELECT id, ?1 FROM plan WHERE id NOT IN (SELECT plan_id FROM sync_plan_owner)",
        [&id],
    )?;
    Ok(SelfReplica { id, name: String::new(), public_key, secret, seq: 0, hlc })
}

/// The secret this operation's bundles are sealed with, made now if the file has none yet.
pub fn secret(tx: &Transaction<'_>) -> Result<[u8; 32]> {
    let found: Option<Vec<u8>> =
        tx.query_row("SELECT secret FROM sync_secret WHERE id = 1", [], |r| r.get(0)).optional()?;
    if let Some(secret) = found.and_then(|s| <[u8; 32]>::try_from(s.as_slice()).ok()) {
        return Ok(secret);
    }
    let mut secret = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut secret);
    tx.execute("INSERT OR REPLACE INTO sync_secret (id, secret) VALUES (1, ?1)", [secret.to_vec()])?;
    Ok(secret)
}

/// Saves this replica's last change number and clock.
pub fn advance(tx: &Transaction<'_>, me: &SelfReplica) -> Result<()> {
    tx.prepare_cached("UPDATE sync_replica SET last_seq = ?2, hlc = ?3 WHERE id = ?1")?.execute(params![
        me.id,
        me.seq as i64,
        me.hlc.to_string()
    ])?;
    Ok(())
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
