//! Arbitrary bytes as a change bundle from another replica (a USB stick or a synced folder can
//! hold anything): `sync::bundle::open` refuses or opens, never panics; and any bytes sealed as
//! a payload open back to themselves.

#![no_main]

use aidmap::sync::bundle::{open, seal, BundleHeader, ContentKey, Known, ReplicaKey};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let key = ContentKey::derive(Some(&[1; 32]), "op-1");
    let signer = ReplicaKey::from_secret(&[7; 32]);
    let known = |_: &str| Known::Accepted { signer: signer.public() };
    let _ = open(data, "op-1", 99, &key, known);
    let header = BundleHeader {
        operation_id: "op-1".into(),
        replica_id: "replica-a".into(),
        replica_name: String::new(),
        signer: signer.public(),
        origin: "replica-a".into(),
        origin_key: signer.public(),
        seen: Default::default(),
        schema_version: 11,
        first_seq: 1,
        last_seq: 1,
        created_at: String::new(),
    };
    let sealed = seal(&header, data, &key, &signer, [3; 24]).expect("any payload seals");
    let opened = open(&sealed, "op-1", 11, &key, known).expect("a sealed bundle opens");
    assert_eq!(opened.payload, data);
});
