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
        let end = offset.saturating_add(length).min(self.0.len());
        Ok(self.0.slice(offset.min(end)..end))
    }
}

pub struct Basemap {
    reader: AsyncPmTilesReader<InMemory>,
}

impl Basemap {
    pub async fn from_bytes(archive: Vec<u8>) -> Result<Basemap> {
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
