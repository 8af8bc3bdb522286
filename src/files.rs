//! Writing files so that a crash or a power cut leaves either the old file or the whole new
//! one: a temporary name beside the target (same file system), a synced rename, and the
//! clean-up of SQLite's side files. A leaf: depends on nothing in the crate but `error`.

use std::path::{Path, PathBuf};

use crate::error::Result;

/// `path` + `suffix`, next to it (same file system, so the final rename is atomic).
pub fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(suffix);
    PathBuf::from(p)
}

/// Renames `from` over `to` and syncs the directory so the rename survives a power cut.
pub fn rename_durably(from: &Path, to: &Path) -> Result<()> {
    std::fs::File::open(from)?.sync_all()?;
    std::fs::rename(from, to)?;
    if let Some(dir) = to.parent().filter(|d| !d.as_os_str().is_empty()) {
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
    }
    Ok(())
}

/// Removes a SQLite file and its side files (`-wal`, `-shm`, `-journal`), ignoring missing ones.
pub fn remove_with_sidecars(path: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let _ = std::fs::remove_file(sibling(path, suffix));
    }
}
