//! Encryption at rest: SQLCipher with an Argon2id-derived raw key, salt in the file header.

use std::process::Command;

use aidmap::household::HouseholdInput;
use aidmap::need::NeedInput;
use aidmap::vocab::{Category, Urgency};
use aidmap::{Error, OpenMode, Rule, Store};

use crate::util::*;

const PASS: &str = "correct horse battery";
const SECRET_NAME: &str = "Zebulon Quixotic-Household";

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn encrypted_operation(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("secret.aidmap");
    let mut store = Store::create_encrypted(&path, "Secret operation", INSTALLATION, Some(PASS)).unwrap();
    assert!(store.encrypted());
    let h = store.create_household(&HouseholdInput::at(SECRET_NAME, 43.73, 7.42)).unwrap();
    store.add_need(&h.id, &NeedInput::new(Category::Medicine, 1.0, "box", Urgency::Critical)).unwrap();
    path
}

#[test]
fn nothing_personal_is_readable_in_the_file_or_its_wal() {
    let dir = tempdir();
    let path = encrypted_operation(dir.path());
    // While a store is open the WAL holds the latest pages: check it too.
    let open = Store::unlock(&path, INSTALLATION, OpenMode::Auto, Some(PASS)).unwrap();
    for file in [path.clone(), dir.path().join("secret.aidmap-wal")] {
        if let Ok(bytes) = std::fs::read(&file) {
            assert!(!bytes.starts_with(b"SQLite format 3\0"), "{} has a plain SQLite header", file.display());
            for needle in [SECRET_NAME.as_bytes(), b"Secret operation", b"CREATE TABLE"] {
                assert!(!contains(&bytes, needle), "{} reveals {:?}", file.display(), String::from_utf8_lossy(needle));
            }
        }
    }
    drop(open);
}

#[test]
fn opening_needs_the_right_passphrase() {
    let dir = tempdir();
    let path = encrypted_operation(dir.path());
    let before = std::fs::read(&path).unwrap();
    assert!(matches!(Store::open(&path, INSTALLATION), Err(Error::PassphraseRequired)));
    assert!(matches!(
        Store::unlock(&path, INSTALLATION, OpenMode::Auto, Some("wrong horse battery")),
        Err(Error::WrongPassphrase)
    ));
    assert_eq!(std::fs::read(&path).unwrap(), before, "failed attempts change nothing");
    let store = Store::unlock(&path, INSTALLATION, OpenMode::Auto, Some(PASS)).unwrap();
    let found = store.search_households("quixotic", 10, 0).unwrap();
    assert_eq!(found.total, 1);
    assert_eq!(store.household(&found.items[0].id).unwrap().needs.len(), 1);
    assert!(store.info().unwrap().encrypted);
}

#[test]
fn random_pages_without_or_with_a_passphrase_are_refused_and_untouched() {
    use rand::{RngCore, SeedableRng};
    let dir = tempdir();
    let path = dir.path().join("random.aidmap");
    let mut bytes = vec![0u8; 16 * 4096];
    rand_chacha::ChaCha8Rng::seed_from_u64(9).fill_bytes(&mut bytes);
    std::fs::write(&path, &bytes).unwrap();
    assert!(matches!(Store::open(&path, INSTALLATION), Err(Error::PassphraseRequired)));
    assert!(matches!(Store::unlock(&path, INSTALLATION, OpenMode::Auto, Some(PASS)), Err(Error::WrongPassphrase)));
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
    for suffix in ["-wal", "-shm", "-journal"] {
        assert!(!dir.path().join(format!("random.aidmap{suffix}")).exists(), "{suffix} left behind");
    }
}

#[test]
fn short_passphrases_are_refused_and_plain_files_ignore_one() {
    let dir = tempdir();
    let Err(err) = Store::create_encrypted(&dir.path().join("a.aidmap"), "A", INSTALLATION, Some("short")) else {
        panic!("a 5-character passphrase was accepted");
    };
    assert_eq!(err.fields().first().map(|f| f.rule), Some(Rule::TooShort));
    assert!(!dir.path().join("a.aidmap").exists());
    let plain = new_store(dir.path());
    assert!(!plain.info().unwrap().encrypted);
    drop(plain);
    let again = Store::unlock(&dir.path().join("op.aidmap"), INSTALLATION, OpenMode::Auto, Some(PASS)).unwrap();
    assert!(!again.encrypted());
}

#[test]
fn cli_wrong_passphrase_is_one_clear_line() {
    let dir = tempdir();
    let bin = env!("CARGO_BIN_EXE_aidmap");
    let db = dir.path().join("cli.aidmap");
    let good = dir.path().join("good.txt");
    let bad = dir.path().join("bad.txt");
    std::fs::write(&good, format!("{PASS}\n")).unwrap();
    std::fs::write(&bad, "not the passphrase\n").unwrap();
    let run = |args: &[&str], env: Option<&str>| {
        let mut cmd = Command::new(bin);
        cmd.args(args).env("AIDMAP_CONFIG_DIR", dir.path().join("config")).env_remove("AIDMAP_PASSPHRASE");
        if let Some(p) = env {
            cmd.env("AIDMAP_PASSPHRASE", p);
        }
        cmd.output().unwrap()
    };
    let db_s = db.to_str().unwrap();
    let created = run(&["new", db_s, "--name", "CLI op", "--passphrase-file", good.to_str().unwrap()], None);
    assert!(created.status.success(), "{}", String::from_utf8_lossy(&created.stderr));
    assert!(String::from_utf8_lossy(&created.stdout).contains("(encrypted)"));

    for (args, env) in [
        (vec!["households", "list", "--db", db_s, "--passphrase-file", bad.to_str().unwrap()], None),
        (vec!["households", "list", "--db", db_s], Some("also wrong")),
        (vec!["households", "list", "--db", db_s], None),
    ] {
        let out = run(&args, env);
        assert!(!out.status.success());
        assert!(out.stdout.is_empty());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(stderr.lines().count(), 1, "one line, no SQLCipher noise: {stderr:?}");
        assert!(stderr.contains("passphrase"), "{stderr}");
    }
    let ok = run(&["households", "list", "--db", db_s], Some(PASS));
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    assert_eq!(String::from_utf8_lossy(&ok.stdout).trim(), "[]");
}

/// A file keyed the way files were before key scheme 2 (Argon2id 19 MiB, 2 passes), written
/// with plain SQLCipher as an older Aidmap did: it opens, and is re-keyed to the current scheme
/// on that unlock (its salt then carries the scheme-2 tag), audited, and opens again.
#[test]
fn an_older_key_scheme_opens_and_is_upgraded_on_unlock() {
    let dir = tempdir();
    let plain = new_store(dir.path());
    let plain_path = plain.path().to_path_buf();
    drop(plain);
    let legacy = dir.path().join("legacy.aidmap");
    let mut salt = [7u8; 16];
    salt[15] = 0x11; // not the scheme-2 tag
    let params = argon2::Params::new(19 * 1024, 2, 1, Some(32)).unwrap();
    let mut key = [0u8; 32];
    argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
        .hash_password_into(PASS.as_bytes(), &salt, &mut key)
        .unwrap();
    let hex: String = key.iter().chain(salt.iter()).map(|b| format!("{b:02x}")).collect();
    let conn = rusqlite::Connection::open(&plain_path).unwrap();
    conn.execute_batch(&format!(
        "ATTACH DATABASE '{}' AS enc KEY \"x'{hex}'\"; SELECT sqlcipher_export('enc');",
        legacy.display()
    ))
    .unwrap();
    let version: i64 = conn.query_row("PRAGMA main.user_version", [], |r| r.get(0)).unwrap();
    let app_id: i64 = conn.query_row("PRAGMA main.application_id", [], |r| r.get(0)).unwrap();
    conn.execute_batch(&format!(
        "PRAGMA enc.user_version = {version}; PRAGMA enc.application_id = {app_id}; DETACH DATABASE enc;"
    ))
    .unwrap();
    drop(conn);
    assert_eq!(std::fs::read(&legacy).unwrap()[..16], salt, "the salt is in clear at the start");

    let store = Store::unlock(&legacy, INSTALLATION, OpenMode::Auto, Some(PASS)).unwrap();
    let log = store.audit(&aidmap::audit::AuditFilter::default(), 10, 0).unwrap();
    assert!(log.items.iter().any(|e| e.detail == "key derivation upgraded"), "audited");
    drop(store);
    let head = std::fs::read(&legacy).unwrap();
    assert_eq!(
        aidmap::store::crypto::scheme_of(&head[..16].try_into().unwrap()),
        aidmap::store::crypto::CURRENT_SCHEME
    );
    assert!(Store::unlock(&legacy, INSTALLATION, OpenMode::Auto, Some(PASS)).is_ok(), "opens again");
    assert!(matches!(
        Store::unlock(&legacy, INSTALLATION, OpenMode::Auto, Some("wrong wrong wrong")),
        Err(Error::WrongPassphrase)
    ));
}

#[test]
fn easy_passphrases_are_refused_in_the_core() {
    for weak in ["12345678", "password1", "aaaaaaaaaa", "qwertyuiop", "monaco2026"] {
        match aidmap::store::crypto::check_passphrase(weak) {
            Err(Error::Validation(f)) => assert_eq!(f[0].rule, Rule::TooWeak, "{weak}"),
            other => panic!("{weak}: {other:?}"),
        }
    }
    for strong in ["blue river 42 lanterns", "staple orbit lantern kettle", "Xq7!vR2#pL9z"] {
        assert!(aidmap::store::crypto::check_passphrase(strong).is_ok(), "{strong}");
    }
}
