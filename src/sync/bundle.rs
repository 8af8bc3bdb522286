//! A change bundle: what one replica sends the others, as one file — on a USB stick, a shared
//! folder or through Syncthing. Anyone may carry it; only replicas of the same operation can
//! read it, and only the replica that wrote it can have written it.
//!
//! Layout (integers little-endian):
//!
//! ```text
//! "AIDMAPCB"        8 bytes, the magic
//! format            u16 (FORMAT)
//! header length     u32, then the header: JSON `BundleHeader` (who, which operation, which changes)
//! nonce             24 bytes
//! payload length    u32, then the payload sealed with XChaCha20-Poly1305 under the operation's
//!                   bundle key (`ContentKey`), with every byte before the nonce as associated data
//! signature         64 bytes: Ed25519 by the header's signer over every byte before it
//! ```
//!
//! `open` checks in an order that never decrypts or parses more than it has to: size, magic,
//! format, lengths, header, signature, operation, schema, the sender's key and sequence, and only
//! then the payload. Every refusal says why (`Refusal`) and names no personal data. The nonce is
//! a parameter (time and randomness are parameters): callers draw it at random.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub const MAGIC: &[u8; 8] = b"AIDMAPCB";
/// The bundle format this release writes and reads.
pub const FORMAT: u16 = 1;
/// The largest bundle read: a first sync of a 100,000-household operation fits many times over.
pub const MAX_BUNDLE_BYTES: usize = 512 << 20;
/// The largest header read (it is a few hundred bytes).
const MAX_HEADER_BYTES: usize = 64 << 10;
const NONCE_LEN: usize = 24;
const SIGNATURE_LEN: usize = 64;

/// Who sent the bundle, for which operation, and which of the sender's changes it carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BundleHeader {
    pub operation_id: String,
    /// The replica that wrote and signed the bundle (the sender).
    pub replica_id: String,
    /// The sender's name for people ("Hub Nord — laptop 2").
    #[serde(default)]
    pub replica_name: String,
    /// The sender's public key (hex), checked against the one accepted for that replica.
    pub signer: String,
    /// The replica that made the changes: the sender, or another replica whose changes the
    /// sender passes on (hub C that only meets hub B still receives hub A's changes).
    pub origin: String,
    /// The origin's public key as the sender accepted it (hex).
    pub origin_key: String,
    /// What the sender had applied of each replica's changes when it wrote the bundle (its last
    /// sequence number per replica): the receiver learns what the sender still lacks.
    #[serde(default)]
    pub seen: std::collections::BTreeMap<String, u64>,
    /// The operation file's schema version at the sender.
    pub schema_version: u32,
    /// The origin's change sequence numbers in the bundle, first to last.
    pub first_seq: u64,
    pub last_seq: u64,
    /// When it was written (RFC 3339), for people; merges use the changes' clocks.
    pub created_at: String,
}

/// Why a bundle was not applied. Nothing was changed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("this file is not a change bundle")]
    NotABundle,
    #[error("this change bundle is larger than {0} MB")]
    TooLarge(usize),
    #[error("this change bundle is cut short (copied only in part?)")]
    Truncated,
    #[error("this change bundle was written by a newer version of Aidmap (format {0}): update Aidmap to read it")]
    NewerFormat(u16),
    #[error(
        "this change bundle comes from an operation with a newer structure (schema {0}): update Aidmap to apply it"
    )]
    NewerSchema(u32),
    #[error("this change bundle belongs to another operation")]
    OtherOperation,
    #[error("this change bundle was changed after it was written (its signature does not match)")]
    BadSignature,
    #[error("this change bundle cannot be read with this operation's key (changed, or from another operation)")]
    Undecryptable,
    #[error("changes from a replica not accepted yet ({replica}, key {fingerprint}): accept it to apply them")]
    UnknownReplica { replica: String, fingerprint: String },
    #[error("replica {replica} signs with another key than the one accepted for it: not applied")]
    SignerChanged { replica: String },
    #[error("these changes were already applied (up to change {last_applied} of replica {replica})")]
    AlreadyApplied { replica: String, last_applied: u64 },
    #[error("changes {first} to {last} of replica {replica} are missing here: waiting for them before these")]
    Gap { replica: String, first: u64, last: u64 },
    #[error("replica {replica} passes on changes of {origin} under another key than the one accepted here")]
    OriginChanged { replica: String, origin: String },
    #[error("this change bundle holds a change Aidmap cannot apply ({0})")]
    BadChange(String),
}

/// The key bundles of one operation are sealed with, derived from the operation's key
/// (HKDF-SHA256): someone holding the stick without the passphrase reads nothing. A plain
/// (unencrypted) operation has no key to derive from: its bundles are sealed with a key derived
/// from the operation id alone — signed, and unreadable to other operations, but not secret
/// (as the plain operation file itself is not).
pub struct ContentKey([u8; 32]);

impl ContentKey {
    pub fn derive(operation_key: Option<&[u8]>, operation_id: &str) -> ContentKey {
        let hk = hkdf::Hkdf::<Sha256>::new(Some(b"aidmap change bundle v1"), operation_key.unwrap_or_default());
        let mut key = [0u8; 32];
        hk.expand(operation_id.as_bytes(), &mut key).expect("32 bytes is a valid HKDF-SHA256 length");
        ContentKey(key)
    }
}

/// A replica's own signing key. Its public half travels in every bundle header; other replicas
/// accept it once (trust on first use), by its fingerprint.
pub struct ReplicaKey(SigningKey);

impl ReplicaKey {
    /// From 32 secret bytes (kept in the operation file; drawn at random when the replica is
    /// made).
    pub fn from_secret(secret: &[u8; 32]) -> ReplicaKey {
        ReplicaKey(SigningKey::from_bytes(secret))
    }

    /// The public key, as the header carries it (hex).
    pub fn public(&self) -> String {
        hex(self.0.verifying_key().as_bytes())
    }
}

/// What people compare to accept a replica: the first 20 hex digits of the SHA-256 of its
/// public key, in groups of four ("3f2a-91c0-…").
pub fn fingerprint(public_hex: &str) -> String {
    let digest = Sha256::digest(public_hex.as_bytes());
    let digits = hex(&digest[..10]);
    digits.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join("-")
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex<const N: usize>(text: &str) -> Option<[u8; N]> {
    if text.len() != 2 * N {
        return None;
    }
    let mut out = [0u8; N];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

/// Writes a bundle carrying `payload`, signed by `signer` (whose public key the header must
/// name).
pub fn seal(
    header: &BundleHeader,
    payload: &[u8],
    key: &ContentKey,
    signer: &ReplicaKey,
    nonce: [u8; NONCE_LEN],
) -> crate::error::Result<Vec<u8>> {
    if header.signer != signer.public() {
        return Err(crate::error::Error::Internal("a bundle header names another signer".into()));
    }
    let header_json = serde_json::to_vec(header)?;
    let mut out = Vec::with_capacity(payload.len() + header_json.len() + 128);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT.to_le_bytes());
    out.extend_from_slice(&(header_json.len() as u32).to_le_bytes());
    out.extend_from_slice(&header_json);
    let sealed = XChaCha20Poly1305::new(Key::from_slice(&key.0))
        .encrypt(XNonce::from_slice(&nonce), Payload { msg: payload, aad: &out })
        .map_err(|_| crate::error::Error::Internal("sealing a bundle failed".into()))?;
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&(sealed.len() as u32).to_le_bytes());
    out.extend_from_slice(&sealed);
    let signature = signer.0.sign(&out);
    out.extend_from_slice(&signature.to_bytes());
    Ok(out)
}

/// What the receiving replica knows of a sender.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Known {
    /// Never accepted: its bundles are held until a person accepts its key.
    Unknown,
    /// Accepted with this public key (hex).
    Accepted { signer: String },
}

/// A bundle that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opened {
    pub header: BundleHeader,
    pub payload: Vec<u8>,
}

/// Reads a bundle's parts in order; running past its end is `Truncated`.
struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], Refusal> {
        let part =
            self.bytes.get(self.at..self.at.checked_add(n).ok_or(Refusal::Truncated)?).ok_or(Refusal::Truncated)?;
        self.at += n;
        Ok(part)
    }
}

/// Reads a bundle for the operation `operation_id` (schema `schema_version` or older), or says
/// why not. `known` answers what this replica knows of the sender.
pub fn open(
    bytes: &[u8],
    operation_id: &str,
    schema_version: u32,
    key: &ContentKey,
    known: impl FnOnce(&str) -> Known,
) -> Result<Opened, Refusal> {
    if bytes.len() > MAX_BUNDLE_BYTES {
        return Err(Refusal::TooLarge(MAX_BUNDLE_BYTES >> 20));
    }
    if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
        return Err(if MAGIC.starts_with(bytes) && !bytes.is_empty() {
            Refusal::Truncated
        } else {
            Refusal::NotABundle
        });
    }
    let mut c = Cursor { bytes, at: MAGIC.len() };
    let format = u16::from_le_bytes(c.take(2)?.try_into().expect("2 bytes"));
    if format > FORMAT {
        return Err(Refusal::NewerFormat(format));
    }
    if format != FORMAT {
        return Err(Refusal::NotABundle);
    }
    let header_len = u32::from_le_bytes(c.take(4)?.try_into().expect("4 bytes")) as usize;
    if header_len > MAX_HEADER_BYTES {
        return Err(Refusal::NotABundle);
    }
    let header_bytes = c.take(header_len)?;
    let aad_end = c.at;
    let nonce = c.take(NONCE_LEN)?;
    let sealed_len = u32::from_le_bytes(c.take(4)?.try_into().expect("4 bytes")) as usize;
    let sealed = c.take(sealed_len)?;
    let signed_end = c.at;
    let signature = c.take(SIGNATURE_LEN)?;
    if c.at != bytes.len() {
        return Err(Refusal::BadSignature);
    }
    let header: BundleHeader = serde_json::from_slice(header_bytes).map_err(|_| Refusal::BadSignature)?;
    let public = unhex::<32>(&header.signer).ok_or(Refusal::BadSignature)?;
    let verifying = VerifyingKey::from_bytes(&public).map_err(|_| Refusal::BadSignature)?;
    let signature = Signature::from_bytes(signature.try_into().expect("64 bytes"));
    verifying.verify_strict(&bytes[..signed_end], &signature).map_err(|_| Refusal::BadSignature)?;
    if header.operation_id != operation_id {
        return Err(Refusal::OtherOperation);
    }
    if header.schema_version > schema_version {
        return Err(Refusal::NewerSchema(header.schema_version));
    }
    match known(&header.replica_id) {
        Known::Unknown => {
            return Err(Refusal::UnknownReplica {
                replica: header.replica_id.clone(),
                fingerprint: fingerprint(&header.signer),
            })
        }
        Known::Accepted { signer, .. } if signer != header.signer => {
            return Err(Refusal::SignerChanged { replica: header.replica_id.clone() })
        }
        Known::Accepted { .. } => {}
    }
    let payload = XChaCha20Poly1305::new(Key::from_slice(&key.0))
        .decrypt(XNonce::from_slice(nonce), Payload { msg: sealed, aad: &bytes[..aad_end] })
        .map_err(|_| Refusal::Undecryptable)?;
    Ok(Opened { header, payload })
}

#[cfg(test)]
mod tests {
    use super::*;

    const OP: &str = "op-1";

    fn header(signer: &ReplicaKey) -> BundleHeader {
        BundleHeader {
            operation_id: OP.into(),
            replica_id: "replica-a".into(),
            replica_name: "Hub Nord".into(),
            signer: signer.public(),
            origin: "replica-a".into(),
            origin_key: signer.public(),
            seen: Default::default(),
            schema_version: 11,
            first_seq: 1,
            last_seq: 12,
            created_at: "2026-12-05T10:00:00.000Z".into(),
        }
    }

    fn sealed() -> (Vec<u8>, ReplicaKey) {
        let signer = ReplicaKey::from_secret(&[7; 32]);
        let key = ContentKey::derive(Some(&[1; 32]), OP);
        let bytes = seal(&header(&signer), b"the changes", &key, &signer, [9; 24]).unwrap();
        (bytes, signer)
    }

    fn accepted(signer: &ReplicaKey) -> impl FnOnce(&str) -> Known + '_ {
        move |_| Known::Accepted { signer: signer.public() }
    }

    fn key() -> ContentKey {
        ContentKey::derive(Some(&[1; 32]), OP)
    }

    #[test]
    fn a_sealed_bundle_opens_for_its_operation() {
        let (bytes, signer) = sealed();
        let opened = open(&bytes, OP, 11, &key(), accepted(&signer)).unwrap();
        assert_eq!(opened.payload, b"the changes");
        assert_eq!(opened.header, header(&signer));
        // The payload is not in the file as written.
        assert!(!bytes.windows(11).any(|w| w == b"the changes"));
    }

    #[test]
    fn any_changed_byte_is_refused() {
        let (bytes, signer) = sealed();
        for i in 0..bytes.len() {
            let mut bad = bytes.clone();
            bad[i] ^= 0x20;
            let got = open(&bad, OP, 11, &key(), accepted(&signer));
            assert!(got.is_err(), "byte {i} changed and still opened");
        }
    }

    #[test]
    fn every_truncation_and_extension_is_refused_without_a_panic() {
        let (bytes, signer) = sealed();
        for n in 0..bytes.len() {
            assert!(open(&bytes[..n], OP, 11, &key(), accepted(&signer)).is_err(), "{n} bytes");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(open(&longer, OP, 11, &key(), accepted(&signer)).is_err());
        assert_eq!(open(b"PK\x03\x04 a zip", OP, 11, &key(), accepted(&signer)), Err(Refusal::NotABundle));
        assert_eq!(open(&bytes[..5], OP, 11, &key(), accepted(&signer)), Err(Refusal::Truncated));
    }

    #[test]
    fn another_operation_or_key_or_a_newer_schema_is_refused() {
        let (bytes, signer) = sealed();
        assert_eq!(open(&bytes, "op-2", 11, &key(), accepted(&signer)), Err(Refusal::OtherOperation));
        let other_key = ContentKey::derive(Some(&[2; 32]), OP);
        assert_eq!(open(&bytes, OP, 11, &other_key, accepted(&signer)), Err(Refusal::Undecryptable));
        let plain_key = ContentKey::derive(None, OP);
        assert_eq!(open(&bytes, OP, 11, &plain_key, accepted(&signer)), Err(Refusal::Undecryptable));
        assert_eq!(open(&bytes, OP, 10, &key(), accepted(&signer)), Err(Refusal::NewerSchema(11)));
    }

    #[test]
    fn unknown_changed_and_replayed_senders_are_refused() {
        let (bytes, signer) = sealed();
        let Err(Refusal::UnknownReplica { replica, fingerprint: shown }) =
            open(&bytes, OP, 11, &key(), |_| Known::Unknown)
        else {
            panic!("an unknown sender's bundle opened")
        };
        assert_eq!(replica, "replica-a");
        assert_eq!(shown, fingerprint(&signer.public()));
        assert_eq!(shown.len(), 24, "{shown}");
        let impostor = ReplicaKey::from_secret(&[8; 32]);
        assert_eq!(
            open(&bytes, OP, 11, &key(), |_| Known::Accepted { signer: impostor.public() }),
            Err(Refusal::SignerChanged { replica: "replica-a".into() })
        );
        assert!(open(&bytes, OP, 11, &key(), |_| Known::Accepted { signer: signer.public() }).is_ok());
    }

    #[test]
    fn a_header_naming_someone_else_is_neither_written_nor_read() {
        let signer = ReplicaKey::from_secret(&[7; 32]);
        let other = ReplicaKey::from_secret(&[8; 32]);
        assert!(seal(&header(&other), b"x", &key(), &signer, [0; 24]).is_err());
        // A bundle re-signed by someone else under the first signer's name.
        let (mut bytes, _) = sealed();
        let end = bytes.len() - SIGNATURE_LEN;
        let forged = other.0.sign(&bytes[..end]).to_bytes();
        bytes[end..].copy_from_slice(&forged);
        assert_eq!(open(&bytes, OP, 11, &key(), accepted(&signer)), Err(Refusal::BadSignature));
    }

    #[test]
    fn a_newer_format_asks_for_an_update() {
        let (mut bytes, signer) = sealed();
        bytes[8..10].copy_from_slice(&2u16.to_le_bytes());
        assert_eq!(open(&bytes, OP, 11, &key(), accepted(&signer)), Err(Refusal::NewerFormat(2)));
    }
}
