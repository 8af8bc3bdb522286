//! Identifiers: UUIDv7 primary keys and the id of this installation (who last changed a row).

use std::path::Path;

/// A new UUIDv7 as lowercase text (time-ordered, so inserts stay append-mostly in the b-tree).
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// Reads the installation id kept in `dir/installation-id`, creating it on first use.
pub fn installation_id(dir: &Path) -> std::io::Result<String> {
    let path = dir.join("installation-id");
    if let Ok(text) = std::fs::read_to_string(&path) {
        let id = text.trim();
        if uuid::Uuid::parse_str(id).is_ok() {
            return Ok(id.to_string());
        }
    }
    std::fs::create_dir_all(dir)?;
    let id = new_id();
    std::fs::write(&path, &id)?;
    Ok(id)
}

/// Where the command line keeps its installation id: `$AIDMAP_CONFIG_DIR`, else
/// `$XDG_CONFIG_HOME/aidmap`, else `~/.config/aidmap`. (The desktop app uses Tauri's config dir.)
pub fn cli_config_dir() -> std::path::PathBuf {
    use std::path::PathBuf;
    if let Some(dir) = std::env::var_os("AIDMAP_CONFIG_DIR") {
        return PathBuf::from(dir);
    }
    if let Some(dir) = std::env::var_os("XDG_CONFIG_HOME") {
        return PathBuf::from(dir).join("aidmap");
    }
    let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_else(std::env::temp_dir);
    home.join(".config").join("aidmap")
}
