//! Replacing the pack beside an operation (File › Import OSM extract…, Use basemap file…, and
//! the CLI's `region basemap`): the new pack is written beside the old one under a temporary
//! name — the old stays in use until then — and renamed over it in one durable step. A
//! replacement dropped before it is put in place removes its file, so a failed, cancelled or
//! superseded import leaves nothing behind.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use super::{build, pmtiles_archive, use_basemap, RegionInfo, RegionPack};
use crate::error::Result;
use crate::files::{rename_durably, sibling};

pub struct Replacement {
    target: PathBuf,
    fresh: PathBuf,
    info: RegionInfo,
    /// What the audit log says of it ("region pack from monaco.osm.pbf").
    detail: String,
    placed: bool,
}

impl Replacement {
    /// A pack for `target` built from the OSM extract at `extract`; a basemap file the old pack
    /// was given is kept. `progress` as for `region::build` (false cancels).
    pub fn from_extract(
        target: &Path,
        extract: &Path,
        now: DateTime<Utc>,
        progress: &mut dyn FnMut(&str, u64) -> bool,
    ) -> Result<Replacement> {
        let fresh = sibling(target, ".new");
        let _ = std::fs::remove_file(&fresh);
        let chosen_basemap = RegionPack::open(target)
            .ok()
            .and_then(|old| Some((old.info().basemap_source.clone()?, old.basemap().ok()??)));
        let mut r = Replacement {
            target: target.to_path_buf(),
            fresh: fresh.clone(),
            info: build(extract, &fresh, now, progress)?,
            detail: String::new(),
            placed: false,
        };
        if let Some((name, archive)) = chosen_basemap {
            let with = sibling(&fresh, ".basemap");
            let info = use_basemap::with_basemap(&fresh, archive, &name, &with, now)
                .and_then(|info| rename_durably(&with, &fresh).map(|_| info));
            let _ = std::fs::remove_file(&with);
            r.info = info?;
        }
        r.detail = format!("region pack from {}", r.info.source);
        Ok(r)
    }

    /// `target` with the Protomaps `.pmtiles` archive at `file` as its basemap (a basemap-only
    /// pack when there was none).
    pub fn with_basemap_file(target: &Path, file: &Path, now: DateTime<Utc>) -> Result<Replacement> {
        let archive = pmtiles_archive::read_file(file)?;
        let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let fresh = sibling(target, ".new");
        let _ = std::fs::remove_file(&fresh);
        // A failed write removes its own file (`write_new`).
        let info = use_basemap::with_basemap(target, archive, &name, &fresh, now)?;
        Ok(Replacement {
            target: target.to_path_buf(),
            fresh,
            info,
            detail: format!("basemap from {name}"),
            placed: false,
        })
    }

    pub fn info(&self) -> &RegionInfo {
        &self.info
    }

    /// The pack this one replaces.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// The audit entry's detail.
    pub fn detail(&self) -> &str {
        &self.detail
    }

    /// Opens the new pack (checked like any other) before it is put in place.
    pub fn open(&self) -> Result<RegionPack> {
        RegionPack::open(&self.fresh)
    }

    /// Renames the new pack over the old one; a pack opened with `open` stays valid.
    pub fn put_in_place(mut self) -> Result<RegionInfo> {
        rename_durably(&self.fresh, &self.target)?;
        self.placed = true;
        Ok(self.info.clone())
    }
}

impl Drop for Replacement {
    fn drop(&mut self) {
        if !self.placed {
            let _ = std::fs::remove_file(&self.fresh);
        }
    }
}
