//! The folder transport: a folder that carries bundles between replicas — a USB stick, a shared
//! drive, or a folder Syncthing keeps in step. The folder holds the union of what has passed
//! through it: a replica adds its bundles and never removes anyone's, so hub C that only meets
//! hub B's stick still receives hub A's changes.
//!
//! Each bundle is one file named for its sender and the range of the sender's changes it holds:
//! `<replica>.<first>-<last>.aidmap-changes` (sequence numbers zero-padded to 12 digits, so a
//! listing sorts by replica, then range). A bundle is written under a `.partial` name and
//! renamed, so a reader (or Syncthing, told to ignore `*.partial`) never sees half a file.
//! Anything else in the folder — Syncthing's `.stfolder`, its temporary files, a user's notes —
//! is left alone and listed apart, never read as a bundle.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::files::{rename_durably, sibling};

pub const EXTENSION: &str = "aidmap-changes";

/// What Syncthing must not carry (written as the folder's `.stignore`).
pub const STIGNORE: &str = "// Aidmap: bundles being written\n*.partial\n";

/// One bundle file found in the folder.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct BundleFile {
    pub replica: String,
    pub first: u64,
    pub last: u64,
    pub path: PathBuf,
}

/// The file name of a bundle of `replica`'s changes `first..=last`.
pub fn bundle_name(replica: &str, first: u64, last: u64) -> Result<String> {
    if replica.is_empty() || !replica.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err(Error::Internal("a replica id is letters, digits and '-'".into()));
    }
    if first == 0 || last < first {
        return Err(Error::Internal("a bundle holds changes first..=last, from 1".into()));
    }
    Ok(format!("{replica}.{first:012}-{last:012}.{EXTENSION}"))
}

/// Reads a bundle file name back; `None` for any other file.
pub fn parse_name(name: &str) -> Option<(String, u64, u64)> {
    let stem = name.strip_suffix(&format!(".{EXTENSION}"))?;
    let (replica, range) = stem.split_once('.')?;
    let (first, last) = range.split_once('-')?;
    if first.len() != 12 || last.len() != 12 || !first.bytes().chain(last.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (first, last) = (first.parse().ok()?, last.parse().ok()?);
    (bundle_name(replica, first, last).ok()? == name).then(|| (replica.to_string(), first, last))
}

/// The bundles in `dir`, sorted by replica and range, and how many other files it holds.
pub fn list(dir: &Path) -> Result<(Vec<BundleFile>, usize)> {
    let mut bundles = Vec::new();
    let mut others = 0;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        match name.to_str().and_then(parse_name) {
            Some((replica, first, last)) if entry.file_type()?.is_file() => {
                bundles.push(BundleFile { replica, first, last, path: entry.path() })
            }
            _ => others += 1,
        }
    }
    bundles.sort();
    Ok((bundles, others))
}

/// The bundles of `dir` worth opening for a replica that has applied each sender's changes up
/// to `applied(sender)`: those holding anything newer, in the order to apply them.
pub fn to_apply(bundles: &[BundleFile], self_replica: &str, applied: impl Fn(&str) -> u64) -> Vec<BundleFile> {
    bundles.iter().filter(|b| b.replica != self_replica && b.last > applied(&b.replica)).cloned().collect()
}

/// Writes `bytes` as the bundle `name` in `dir` (under a `.partial` name, then renamed), unless
/// a file of that name is already there. Returns whether it wrote. Also writes the folder's
/// `.stignore` when it has none.
pub fn put(dir: &Path, name: &str, bytes: &[u8]) -> Result<bool> {
    std::fs::create_dir_all(dir)?;
    let ignore = dir.join(".stignore");
    if !ignore.exists() {
        std::fs::write(&ignore, STIGNORE)?;
    }
    let target = dir.join(name);
    if target.exists() {
        return Ok(false);
    }
    let partial = sibling(&target, ".partial");
    std::fs::write(&partial, bytes)?;
    if let Err(e) = rename_durably(&partial, &target) {
        let _ = std::fs::remove_file(&partial);
        return Err(e);
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_read_back_and_nothing_else_is_a_bundle() {
        let name = bundle_name("7f3a-replica", 1, 250).unwrap();
        assert_eq!(name, "7f3a-replica.000000000001-000000000250.aidmap-changes");
        assert_eq!(parse_name(&name), Some(("7f3a-replica".into(), 1, 250)));
        for other in [
            ".stfolder",
            ".stignore",
            "notes.txt",
            "7f3a.000000000001-000000000250.aidmap-changes.partial",
            ".syncthing.7f3a.000000000001-000000000250.aidmap-changes.tmp",
            "7f3a.1-250.aidmap-changes",
            "7f3a.000000000250-000000000001.aidmap-changes",
            "../x.000000000001-000000000002.aidmap-changes",
            "a b.000000000001-000000000002.aidmap-changes",
        ] {
            assert_eq!(parse_name(other), None, "{other}");
        }
        assert!(bundle_name("../evil", 1, 2).is_err());
        assert!(bundle_name("a", 0, 2).is_err());
        assert!(bundle_name("a", 3, 2).is_err());
    }

    #[test]
    fn the_folder_keeps_the_union_and_lists_what_to_apply() {
        let dir = tempfile::tempdir().unwrap();
        let stick = dir.path().join("stick");
        // Hub A writes two bundles, hub B one; B's stick also carried A's first.
        assert!(put(&stick, &bundle_name("a", 1, 10).unwrap(), b"a1").unwrap());
        assert!(put(&stick, &bundle_name("a", 11, 12).unwrap(), b"a2").unwrap());
        assert!(put(&stick, &bundle_name("b", 1, 5).unwrap(), b"b1").unwrap());
        // Writing a bundle that is already there changes nothing.
        assert!(!put(&stick, &bundle_name("a", 1, 10).unwrap(), b"other bytes").unwrap());
        assert_eq!(std::fs::read(stick.join(bundle_name("a", 1, 10).unwrap())).unwrap(), b"a1");
        std::fs::write(stick.join("readme.txt"), "hello").unwrap();
        std::fs::create_dir(stick.join(".stfolder")).unwrap();
        let (bundles, others) = list(&stick).unwrap();
        assert_eq!(
            bundles.iter().map(|b| (b.replica.as_str(), b.first, b.last)).collect::<Vec<_>>(),
            [("a", 1, 10), ("a", 11, 12), ("b", 1, 5)]
        );
        assert_eq!(others, 3, ".stignore, readme.txt and .stfolder");
        assert_eq!(std::fs::read_to_string(stick.join(".stignore")).unwrap(), STIGNORE);
        // Hub C has applied A's changes up to 10 and none of B's.
        let applied = |r: &str| if r == "a" { 10 } else { 0 };
        let todo: Vec<_> = to_apply(&bundles, "c", applied).into_iter().map(|b| (b.replica, b.last)).collect();
        assert_eq!(todo, [("a".to_string(), 12), ("b".to_string(), 5)]);
        // A never applies its own.
        assert!(to_apply(&bundles, "a", |_| 0).iter().all(|b| b.replica != "a"));
        // No partial file is left.
        assert!(!std::fs::read_dir(&stick)
            .unwrap()
            .flatten()
            .any(|e| e.file_name().to_string_lossy().ends_with(".partial")));
    }
}
