//! Backups, restore, changing the passphrase and encrypting a plain operation.

use aidmap::household::HouseholdInput;
use aidmap::need::NeedInput;
use aidmap::vocab::{AuditAction, Category, Urgency};
use aidmap::{backup, Error, OpenMode, Store};

use crate::util::*;

const PASS: &str = "correct horse battery";
const NEW_PASS: &str = "staple orbit lantern";

fn filled(store: &mut Store, n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            let h = store.create_household(&HouseholdInput::at(&format!("Household {i}"), 43.73, 7.42)).unwrap();
            store.add_need(&h.id, &NeedInput::new(Category::Water, 2.0, "L", Urgency::High)).unwrap();
            h.id
        })
        .collect()
}

fn snapshot(store: &Store) -> (Vec<aidmap::household::Household>, Vec<aidmap::need::Need>) {
    (store.households().unwrap(), store.needs(None).unwrap())
}

fn actions(store: &Store) -> Vec<AuditAction> {
    store.audit(&Default::default(), 1000, 0).unwrap().items.iter().map(|e| e.action).collect()
}

#[test]
fn an_encrypted_backup_restores_every_record() {
    let dir = tempdir();
    let path = dir.path().join("op.aidmap");
    let mut store = Store::create_encrypted(&path, "Op", INSTALLATION, Some(PASS)).unwrap();
    filled(&mut store, 25);
    let out = dir.path().join("backup.aidmap");
    store.backup_to(&out).unwrap();
    assert!(actions(&store).contains(&AuditAction::Backup));
    // The backup is encrypted with the same passphrase, and is not a plain SQLite file.
    assert!(!std::fs::read(&out).unwrap().starts_with(b"SQLite format 3\0"));
    assert!(matches!(Store::open(&out, INSTALLATION), Err(Error::PassphraseRequired)));
    assert!(matches!(
        backup::restore(&out, &dir.path().join("r.aidmap"), INSTALLATION, Some("wrong pass 123"), "Ann"),
        Err(Error::WrongPassphrase)
    ));

    let restored_path = dir.path().join("restored.aidmap");
    let restored = backup::restore(&out, &restored_path, INSTALLATION, Some(PASS), "Ann").unwrap();
    assert_eq!(snapshot(&restored), snapshot(&store));
    assert!(restored.encrypted());
    assert_intact(&restored);
    let last = &restored.audit(&Default::default(), 1, 0).unwrap().items[0];
    assert_eq!(
        (last.action, last.operator.as_str(), last.detail.as_str()),
        (AuditAction::Restore, "Ann", "backup.aidmap")
    );
}

#[test]
fn backup_never_overwrites_and_leaves_no_partial_file() {
    let dir = tempdir();
    let mut store = new_store(dir.path());
    filled(&mut store, 3);
    let out = dir.path().join("exists.aidmap");
    std::fs::write(&out, b"keep me").unwrap();
    assert!(matches!(store.backup_to(&out), Err(Error::FileExists)));
    assert_eq!(std::fs::read(&out).unwrap(), b"keep me");
    let missing_dir = dir.path().join("no such folder").join("b.aidmap");
    assert!(store.backup_to(&missing_dir).is_err());
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert!(names.iter().all(|n| !n.to_string_lossy().contains("partial")), "{names:?}");
}

#[test]
fn restore_refuses_a_damaged_backup_and_an_existing_target() {
    let dir = tempdir();
    let mut store = new_store(dir.path());
    filled(&mut store, 200);
    let out = dir.path().join("b.aidmap");
    store.backup_to(&out).unwrap();
    let target = dir.path().join("target.aidmap");
    std::fs::write(&target, b"x").unwrap();
    assert!(matches!(backup::restore(&out, &target, INSTALLATION, None, "Ann"), Err(Error::FileExists)));
    std::fs::remove_file(&target).unwrap();

    // Damage a page in the middle of the backup (not the header).
    let mut bytes = std::fs::read(&out).unwrap();
    let mid = bytes.len() / 2;
    for b in &mut bytes[mid..mid + 3000] {
        *b ^= 0x5a;
    }
    std::fs::write(&out, &bytes).unwrap();
    let err = backup::restore(&out, &target, INSTALLATION, None, "Ann").map(|_| ()).unwrap_err();
    assert!(matches!(err, Error::Corrupt(_)), "{err:?}");
    assert!(!target.exists(), "nothing is written from a damaged backup");
}

#[test]
fn scheduled_backups_keep_the_newest_n() {
    let dir = tempdir();
    let folder = dir.path().join("backups");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("someone-else.aidmap"), b"not ours").unwrap();
    let mut store = new_store(dir.path());
    filled(&mut store, 2);
    let mut made = vec![];
    for minute in 0..5 {
        let now = time(&format!("2026-11-25T10:0{minute}:00Z"));
        made.push(backup::scheduled(&mut store, &folder, 3, now).unwrap());
    }
    let mut left: Vec<_> = std::fs::read_dir(&folder).unwrap().map(|e| e.unwrap().path()).collect();
    left.sort();
    assert_eq!(left.len(), 4, "three backups and the foreign file: {left:?}");
    for kept in &made[2..] {
        assert!(left.contains(kept), "{kept:?} kept");
        Store::open(kept, INSTALLATION).unwrap();
    }
    assert!(left.contains(&folder.join("someone-else.aidmap")));
    assert!(made[0].file_name().unwrap().to_string_lossy().starts_with("test-operation-"));

    // A file that merely starts like our backups (a restored copy) is never rotated away, and a
    // backup made with the clock set back is kept although it sorts first.
    let name = made[4].file_name().unwrap().to_string_lossy().replace(".aidmap", "-restored.aidmap");
    std::fs::copy(&made[4], folder.join(&name)).unwrap();
    let back = backup::scheduled(&mut store, &folder, 3, time("2026-11-24T08:00:00Z")).unwrap();
    assert!(back.exists(), "the newest backup survives its own rotation");
    assert!(folder.join(&name).exists(), "a restored copy is not a scheduled backup");
    let ours = std::fs::read_dir(&folder).unwrap().filter(|e| e.as_ref().unwrap().path() != folder.join(&name)).count();
    assert_eq!(ours, 4, "three backups and the foreign file");
}

#[test]
fn rekey_is_refused_while_another_connection_has_the_file_open() {
    let dir = tempdir();
    let path = dir.path().join("op.aidmap");
    let mut store = Store::create_encrypted(&path, "Op", INSTALLATION, Some(PASS)).unwrap();
    filled(&mut store, 3);
    let mut other = Store::unlock(&path, INSTALLATION, OpenMode::Auto, Some(PASS)).unwrap();
    assert!(matches!(store.change_passphrase(PASS, NEW_PASS), Err(Error::Busy)));
    // Both still work on the old passphrase, and nothing was lost.
    filled(&mut other, 1);
    filled(&mut store, 1);
    drop(other);
    store.change_passphrase(PASS, NEW_PASS).unwrap();
    drop(store);
    let store = Store::unlock(&path, INSTALLATION, OpenMode::Auto, Some(NEW_PASS)).unwrap();
    assert_eq!(store.households().unwrap().len(), 5);
    assert_intact(&store);
}

#[test]
fn changing_the_passphrase_rekeys_in_place() {
    let dir = tempdir();
    let path = dir.path().join("op.aidmap");
    let mut store = Store::create_encrypted(&path, "Op", INSTALLATION, Some(PASS)).unwrap();
    filled(&mut store, 10);
    let before = snapshot(&store);
    assert!(matches!(store.change_passphrase("not the passphrase", NEW_PASS), Err(Error::WrongPassphrase)));
    assert!(matches!(store.change_passphrase(PASS, "short"), Err(Error::Validation(_))));
    store.change_passphrase(PASS, NEW_PASS).unwrap();
    // The open store keeps working on the re-keyed file.
    filled(&mut store, 1);
    assert!(actions(&store).contains(&AuditAction::Rekey));
    drop(store);
    assert!(matches!(Store::unlock(&path, INSTALLATION, OpenMode::Auto, Some(PASS)), Err(Error::WrongPassphrase)));
    let store = Store::unlock(&path, INSTALLATION, OpenMode::Auto, Some(NEW_PASS)).unwrap();
    assert_eq!(store.households().unwrap().len(), before.0.len() + 1);
    assert_intact(&store);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert!(
        leftovers.iter().all(|n| !n.to_string_lossy().contains(".rekey") && !n.to_string_lossy().ends_with(".old")),
        "{leftovers:?}"
    );
}

#[test]
fn a_plain_operation_can_be_encrypted() {
    let dir = tempdir();
    let path = dir.path().join("op.aidmap");
    let mut store = new_store(dir.path());
    filled(&mut store, 10);
    let before = snapshot(&store);
    assert!(matches!(store.change_passphrase(PASS, NEW_PASS), Err(Error::NotEncrypted)));
    store.encrypt(PASS).unwrap();
    assert!(store.encrypted() && store.info().unwrap().encrypted);
    assert!(matches!(store.encrypt(PASS), Err(Error::AlreadyEncrypted)));
    drop(store);
    let bytes = std::fs::read(&path).unwrap();
    assert!(!bytes.starts_with(b"SQLite format 3\0"));
    assert!(!bytes.windows(11).any(|w| w == b"Household 1"), "no plain text left in the file");
    let store = Store::unlock(&path, INSTALLATION, OpenMode::Auto, Some(PASS)).unwrap();
    assert_eq!(snapshot(&store), before);
    assert!(actions(&store).contains(&AuditAction::Encrypt));
    let names: Vec<String> =
        std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert!(
        names.iter().all(|n| n.starts_with("op.aidmap") && !n.contains(".old") && !n.contains(".rekey")),
        "{names:?}"
    );
}

#[test]
fn a_read_only_operation_can_be_backed_up_but_not_rekeyed() {
    let dir = tempdir();
    let path = dir.path().join("op.aidmap");
    let mut store = Store::create_encrypted(&path, "Op", INSTALLATION, Some(PASS)).unwrap();
    filled(&mut store, 2);
    drop(store);
    let mut ro = Store::unlock(&path, INSTALLATION, OpenMode::ReadOnly, Some(PASS)).unwrap();
    ro.backup_to(&dir.path().join("b.aidmap")).unwrap();
    assert!(matches!(ro.change_passphrase(PASS, NEW_PASS), Err(Error::ReadOnly)));
    Store::unlock(&dir.path().join("b.aidmap"), INSTALLATION, OpenMode::Auto, Some(PASS)).unwrap();
}
