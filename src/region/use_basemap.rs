//! File › Region › Use basemap file…: a Protomaps `.pmtiles` extract becomes the basemap of the
//! operation's region pack (the pack stays the one file beside the operation). Without a pack,
//! a basemap-only pack is made: a map to look at, with routing left to estimates.

use std::path::Path;

use rusqlite::{params, Connection};

use super::{new_pack, pmtiles_archive as basemap, write_new, RegionInfo, RegionPack, FORMAT};
use crate::error::{Error, Result};

/// Writes a new pack at `out`: the pack at `existing` (if there is one) with `archive` as its
/// basemap. `source` is the file's name, kept in the pack's info. `existing` is not touched;
/// the caller swaps `out` in.
pub fn with_basemap(
    existing: &Path,
    archive: Vec<u8>,
    source: &str,
    out: &Path,
    built_at: chrono::DateTime<chrono::Utc>,
) -> Result<RegionInfo> {
    let bytes = archive.len() as u64;
    let check = basemap::check(&archive)?;
    write_new(out, |tmp| {
        let (mut conn, mut info) = if existing.exists() {
            let info = RegionPack::open(existing)?.info().clone();
            std::fs::copy(existing, tmp)?;
            (Connection::open(tmp)?, info)
        } else {
            let info = RegionInfo {
                source: String::new(),
                source_bytes: 0,
                built_at: crate::clock::timestamp(built_at),
                bounds: check.bounds,
                road_ways: 0,
                graph_nodes: 0,
                graph_arcs: 0,
                addresses: 0,
                streets: 0,
                places: 0,
                missing_node_refs: 0,
                ways_skipped: 0,
                tiles: 0,
                basemap_bytes: 0,
                tiles_schema: 0,
                min_zoom: 0,
                max_zoom: 0,
                basemap_source: None,
                phase_seconds: vec![],
            };
            (new_pack(tmp)?, info)
        };
        info.tiles = check.tiles;
        info.basemap_bytes = bytes;
        info.min_zoom = check.min_zoom;
        info.max_zoom = check.max_zoom;
        info.basemap_source = Some(source.to_string());
        let tx = conn.transaction()?;
        tx.execute("INSERT OR REPLACE INTO array (name, data) VALUES ('basemap.pmtiles', ?1)", [&archive])?;
        tx.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('info', ?1)",
            params![serde_json::to_string(&info).map_err(|e| Error::Internal(e.to_string()))?],
        )?;
        tx.pragma_update(None, "user_version", FORMAT)?;
        tx.commit()?;
        conn.close().map_err(|(_, e)| Error::from(e))?;
        Ok(info)
    })
}
