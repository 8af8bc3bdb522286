//! Disk full and read-only media: a write fails with a clear error and the operation stays
//! consistent, with every committed change still there.

use aidmap::household::HouseholdInput;
use aidmap::{Error, ErrorCode};

use crate::util::*;

#[test]
fn a_full_disk_fails_the_write_cleanly_and_loses_nothing() {
    let dir = tempdir();
    let mut store = new_store(dir.path());
    let first = store.create_household(&alice()).unwrap();
    // SQLite reports SQLITE_FULL when the file may not grow: the same path as a full disk.
    let pages: i64 = store.conn().query_row("PRAGMA page_count", [], |r| r.get(0)).unwrap();
    store.conn().query_row(&format!("PRAGMA max_page_count = {pages}"), [], |r| r.get::<_, i64>(0)).unwrap();
    let mut big = alice();
    big.notes = "x".repeat(9_000);
    let mut failed = None;
    for _ in 0..50 {
        if let Err(e) = store.create_household(&big) {
            failed = Some(e);
            break;
        }
    }
    let err = failed.expect("the write must fail once the file cannot grow");
    assert!(matches!(err, Error::DiskFull), "{err:?}");
    assert_eq!(err.code(), ErrorCode::DiskFull);
    assert!(err.to_string().contains("disk is full"), "{err}");
    assert_intact(&store);
    // The failed transaction left nothing behind; earlier ones are all there.
    let kept = rows(&store, "household");
    assert_eq!(rows(&store, "audit"), kept, "one audit entry per household, none for the failed one");
    assert_eq!(store.household(&first.id).unwrap().household.name, "Alice Martin");
    // Space comes back: writing works again.
    store.conn().query_row("PRAGMA max_page_count = 1000000", [], |r| r.get::<_, i64>(0)).unwrap();
    store.create_household(&HouseholdInput::at("After", 43.7, 7.4)).unwrap();
}

#[test]
fn read_only_media_opens_read_only_and_refuses_writes() {
    let dir = tempdir();
    let mut store = new_store(dir.path());
    store.create_household(&alice()).unwrap();
    drop(store);
    let path = dir.path().join("op.aidmap");
    // Read-only media: the file cannot be written (mode 0444 is what a read-only mount shows
    // to a non-root user; as root the mode is ignored, so the store is asked to be read-only).
    let mut perms = std::fs::metadata(&path).unwrap().permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&path, perms).unwrap();
    let mut store = aidmap::Store::open_with(&path, INSTALLATION, aidmap::OpenMode::Auto).unwrap();
    assert!(store.read_only());
    let err = store.create_household(&alice()).unwrap_err();
    assert_eq!(err.code(), ErrorCode::ReadOnly);
    assert_eq!(store.households().unwrap().len(), 1);
}

/// A real short write: the writer process may not grow any file past 2 MB (`ulimit -f`, with
/// SIGXFSZ ignored so the kernel returns EFBIG like a full disk returns ENOSPC).
#[test]
fn a_writer_that_hits_the_file_size_limit_stops_with_a_clear_message_and_loses_nothing() {
    let dir = tempdir();
    run_until_full(&dir.path().join("full.aidmap"), r#"trap '' XFSZ; ulimit -f 4096; exec "$0" "$1" 0 7"#);
}

/// A real full file system: a 2 MB tmpfs (needs root to mount; skipped with a note otherwise).
#[test]
fn a_writer_on_a_full_file_system_stops_with_a_clear_message_and_loses_nothing() {
    let dir = tempdir();
    let mnt = dir.path().join("small-disk");
    std::fs::create_dir(&mnt).unwrap();
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=2m", "tmpfs", mnt.to_str().unwrap()])
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        eprintln!("skipped: cannot mount a tmpfs here (not root); the file-size-limit test covers short writes");
        return;
    }
    struct Unmount<'a>(&'a std::path::Path);
    impl Drop for Unmount<'_> {
        fn drop(&mut self) {
            let _ = std::process::Command::new("umount").arg(self.0).status();
        }
    }
    let _unmount = Unmount(&mnt);
    let last = run_until_full(&mnt.join("full.aidmap"), r#"exec "$0" "$1" 0 7"#);
    assert!(last.starts_with("failed DiskFull: the disk is full"), "ENOSPC is reported as a full disk: {last}");
}

/// Runs the crash writer under `wrapper` (sh) until a commit fails; checks the message and the
/// file; returns the writer's last line.
fn run_until_full(db: &std::path::Path, wrapper: &str) -> String {
    drop(aidmap::Store::create(db, "Full disk", INSTALLATION).unwrap());
    let writer = env!("CARGO_BIN_EXE_aidmap-crash-writer");
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(wrapper)
        .arg(writer)
        .arg(db)
        .env_remove("AIDMAP_PASSPHRASE")
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let last = stdout.lines().last().unwrap_or_default();
    assert_eq!(out.status.code(), Some(3), "the writer stopped on a failed commit: {last}");
    // SQLite reports ENOSPC as SQLITE_FULL and EFBIG as a write error: both say what happened
    // and that the change was not saved.
    assert!(
        last.starts_with("failed DiskFull: the disk is full")
            || last.starts_with("failed Io: the disk could not be written"),
        "{last}"
    );
    assert!(last.ends_with("not saved") || last.contains("not saved;"), "{last}");
    let reported: Vec<&str> = stdout.lines().filter_map(|l| l.strip_prefix("committed ")).collect();
    assert!(reported.len() > 10, "it wrote for a while first: {stdout}");
    // Reopen without the limit (on tmpfs: still full, so read-only is fine too).
    let store = aidmap::Store::open_with(db, INSTALLATION, aidmap::OpenMode::ReadOnly).unwrap();
    assert_intact(&store);
    for id in reported {
        store.household(id).unwrap();
    }
    last.to_string()
}
