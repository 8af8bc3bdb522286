//! Helpers shared by the fuzz targets in `fuzz_targets/`.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

static SCRATCH: OnceLock<PathBuf> = OnceLock::new();

extern "C" fn remove_scratch() {
    if let Some(dir) = SCRATCH.get() {
        let _ = std::fs::remove_dir_all(dir);
    }
}

const PREFIX: &str = "aidmap-fuzz-";

/// A private directory for this fuzzing process, removed when libFuzzer exits normally (it ends
/// with `exit()`, which runs `atexit` handlers). A crashed or killed process leaves its directory
/// behind; the next fuzzing process removes it. In `/dev/shm` when available: the store fsyncs
/// every commit (`synchronous = FULL`), which costs nothing on tmpfs.
pub fn scratch_dir() -> &'static Path {
    SCRATCH.get_or_init(|| {
        let shm = Path::new("/dev/shm");
        let parent = if shm.is_dir() { shm.to_path_buf() } else { std::env::temp_dir() };
        remove_stale(&parent);
        let prefix = format!("{PREFIX}{}-", std::process::id());
        let dir = tempfile::Builder::new()
            .prefix(&prefix)
            .tempdir_in(&parent)
            .or_else(|_| tempfile::Builder::new().prefix(&prefix).tempdir())
            .expect("creating the fuzz scratch directory");
        let path = dir.keep();
        // SAFETY: registers a plain `extern "C" fn()` that touches only `SCRATCH`.
        unsafe { libc::atexit(remove_scratch) };
        path
    })
}

/// Removes the scratch directories of fuzzing processes that are gone (`aidmap-fuzz-<pid>-…`).
fn remove_stale(parent: &Path) {
    if !Path::new("/proc/self").exists() {
        return; // no way to tell a live process from a dead one
    }
    let Ok(entries) = std::fs::read_dir(parent) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(|n| n.strip_prefix(PREFIX)).and_then(|rest| rest.split('-').next())
        else {
            continue;
        };
        if pid.parse::<u32>().is_ok() && !Path::new("/proc").join(pid).exists() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Removes an operation file and the sidecars SQLite may leave next to it.
pub fn remove_with_sidecars(path: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal", ".creating", ".creating-wal", ".creating-shm", ".creating-journal"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(p));
    }
}

/// A fresh, empty operation in the scratch directory (a new file name each call).
pub fn new_store(stem: &str) -> (aidmap::Store, PathBuf) {
    static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let path = scratch_dir().join(format!("{stem}-{n}.aidmap"));
    remove_with_sidecars(&path);
    let store = aidmap::Store::create(&path, "fuzz", "fuzz-installation").expect("creating the fuzz operation");
    (store, path)
}
