//! Reading the pack's basemap archive: tiles by z/x/y for the app's `tiles://` scheme. The
//! archive is small (a city is a few MB), so it is read into memory once and served from there
//! through the `pmtiles` crate's reader.

use bytes::Bytes;
use pmtiles::{AsyncBackend, AsyncPmTilesReader, PmtResult, TileCoord};

use crate::error::{Error, Result};

/// The archive's bytes as a `pmtiles` backend.
pub struct InMemory(Bytes);

impl AsyncBackend for InMemory {
    async fn read(&self, offset: usize, length: usize) -> PmtResult<Bytes> {
        // The crate asks for up to `length` bytes and copes with fewer, except where a range
        // lies wholly or partly past the end of a damaged archive: refused here, since it
        // would panic on the short slice.
        let end = offset.saturating_add(length).min(self.0.len());
        if offset > end {
            return Err(pmtiles::PmtError::UnexpectedNumberOfBytesReturned(length, 0));
        }
        Ok(self.0.slice(offset..end))
    }
}

/// Whether the header's sections (root directory, metadata, leaves, tile data) lie inside the
/// archive. The `pmtiles` reader slices them without checking and would panic on a truncated
/// file, so every archive is checked here before a reader sees it.
fn sections_fit(archive: &[u8]) -> bool {
    let field = |i: usize| archive.get(i..i + 8).map(|b| u64::from_le_bytes(b.try_into().expect("8 bytes")));
    // An empty section may point anywhere, except the root directory, which the reader slices.
    let fits = |k: usize, limit: u64| match (field(8 + 16 * k), field(16 + 16 * k)) {
        (Some(offset), Some(length)) => {
            (length == 0 && k > 0) || (offset >= 127 && offset.checked_add(length).is_some_and(|end| end <= limit))
        }
        _ => false,
    };
    let len = archive.len() as u64;
    // The spec puts the root directory within the first 16 KiB, and the reader relies on it.
    archive.len() >= 127 && fits(0, len.min(16_384)) && (1..4).all(|k| fits(k, len))
}

/// A `.pmtiles` file checked for use as the basemap.
#[derive(Debug, Clone, PartialEq)]
pub struct BasemapCheck {
    pub tiles: u64,
    pub min_zoom: u8,
    pub max_zoom: u8,
    /// [min_lat, min_lon, max_lat, max_lon]
    pub bounds: [f64; 4],
}

/// The Protomaps layers the style needs at least.
const NEEDED_LAYERS: [&str; 3] = ["earth", "water", "roads"];

/// Checks that `archive` is a PMTiles v3 archive of vector tiles in the Protomaps schema (the
/// layers the app's style draws), so the map will show something.
pub fn check(archive: &[u8]) -> Result<BasemapCheck> {
    use pmtiles::{Header, TileType};
    if !archive.starts_with(b"PMTiles") || archive.len() < 127 {
        return Err(Error::NotABasemap("not a PMTiles archive"));
    }
    if !sections_fit(archive) {
        return Err(Error::NotABasemap("the file is truncated or damaged"));
    }
    let header = Header::try_from_bytes(Bytes::copy_from_slice(&archive[..127]))
        .map_err(|_| Error::NotABasemap("not a PMTiles archive"))?;
    if header.spec_version() != 3 {
        return Err(Error::NotABasemap("only PMTiles version 3 is read"));
    }
    if header.tile_type != TileType::Mvt {
        return Err(Error::NotABasemap("its tiles are images, not vector tiles"));
    }
    // The reader is async: it runs on a runtime of its own, on a thread of its own (callers may
    // be inside another runtime, such as the app's commands, where blocking on one panics).
    // Belt and braces over `sections_fit`: a panic in the reader on a crafted file is a refusal.
    let read_metadata = || -> Result<String> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .map_err(|e| Error::Internal(format!("starting a reader: {e}")))?;
        runtime.block_on(async {
            let reader = AsyncPmTilesReader::try_from_source(InMemory(Bytes::copy_from_slice(archive)))
                .await
                .map_err(|_| Error::NotABasemap("its directory cannot be read"))?;
            reader.get_metadata().await.map_err(|_| Error::NotABasemap("its metadata cannot be read"))
        })
    };
    let metadata = std::thread::scope(|scope| scope.spawn(read_metadata).join())
        .unwrap_or(Err(Error::NotABasemap("the file is damaged")))?;
    let metadata: serde_json::Value =
        serde_json::from_str(&metadata).map_err(|_| Error::NotABasemap("its metadata is not JSON"))?;
    let layers: Vec<&str> = metadata["vector_layers"]
        .as_array()
        .map(|a| a.iter().filter_map(|l| l["id"].as_str()).collect())
        .unwrap_or_default();
    if !NEEDED_LAYERS.iter().all(|l| layers.contains(l)) {
        return Err(Error::NotABasemap("it lacks the Protomaps layers (earth, water, roads)"));
    }
    Ok(BasemapCheck {
        tiles: header.n_addressed_tiles().map_or(0, |n| n.get()),
        min_zoom: header.min_zoom,
        max_zoom: header.max_zoom,
        bounds: [header.min_latitude, header.min_longitude, header.max_latitude, header.max_longitude],
    })
}

pub struct Basemap {
    reader: AsyncPmTilesReader<InMemory>,
}

impl Basemap {
    pub async fn from_bytes(archive: Vec<u8>) -> Result<Basemap> {
        if !sections_fit(&archive) {
            return Err(Error::Corrupt("basemap archive is truncated".into()));
        }
        let reader = AsyncPmTilesReader::try_from_source(InMemory(Bytes::from(archive)))
            .await
            .map_err(|e| Error::Corrupt(format!("basemap archive: {e}")))?;
        Ok(Basemap { reader })
    }

    /// The tile's MVT bytes (uncompressed), or `None` where the map has nothing.
    pub async fn tile(&self, z: u8, x: u32, y: u32) -> Result<Option<Vec<u8>>> {
        let Ok(coord) = TileCoord::new(z, x, y) else { return Ok(None) };
        let tile =
            self.reader.get_tile_decompressed(coord).await.map_err(|e| Error::Corrupt(format!("basemap tile: {e}")))?;
        Ok(tile.map(|b| b.to_vec()))
    }
}
