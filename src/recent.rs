//! The "Open recent" list and the last operation, kept in the installation's config folder.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

const FILE: &str = "recent.json";
const MAX: usize = 10;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RecentEntry {
    pub path: String,
    pub name: String,
}

/// Most recent first. A missing or unreadable list is an empty one (it is only a convenience).
pub fn load(dir: &Path) -> Vec<RecentEntry> {
    std::fs::read_to_string(dir.join(FILE)).ok().and_then(|s| serde_json::from_str(&s).ok()).unwrap_or_default()
}

/// Puts `path` first, drops duplicates and entries past the tenth; written atomically.
pub fn push(dir: &Path, path: &Path, name: &str) -> std::io::Result<Vec<RecentEntry>> {
    let path_text = path.display().to_string();
    let mut list = load(dir);
    list.retain(|e| e.path != path_text);
    list.insert(0, RecentEntry { path: path_text, name: name.to_string() });
    list.truncate(MAX);
    std::fs::create_dir_all(dir)?;
    let tmp: PathBuf = dir.join(format!("{FILE}.tmp"));
    std::fs::write(&tmp, serde_json::to_string_pretty(&list).map_err(std::io::Error::other)?)?;
    std::fs::rename(tmp, dir.join(FILE))?;
    Ok(list)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newest_first_without_duplicates() {
        let dir = tempfile::tempdir().unwrap();
        push(dir.path(), Path::new("/a.aidmap"), "A").unwrap();
        push(dir.path(), Path::new("/b.aidmap"), "B").unwrap();
        let list = push(dir.path(), Path::new("/a.aidmap"), "A2").unwrap();
        assert_eq!(list.iter().map(|e| e.name.as_str()).collect::<Vec<_>>(), ["A2", "B"]);
        assert_eq!(load(dir.path()), list);
    }
}
