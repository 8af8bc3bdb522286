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

/// The most one tile may inflate to (a real vector tile is tens of KB; a crafted one was 512 MiB).
pub const MAX_TILE: u64 = 8 * 1024 * 1024;
/// The most the archive's metadata may inflate to (a crafted block took 3.2 GB).
pub const MAX_METADATA: u64 = 1024 * 1024;
/// The largest `.pmtiles` file "Use basemap file…" takes.
pub const MAX_FILE: u64 = 2 * 1024 * 1024 * 1024;

/// Reads a `.pmtiles` file given as the basemap, its size checked before reading.
pub fn read_file(path: &std::path::Path) -> Result<Vec<u8>> {
    crate::read_limit::read_within(path, MAX_FILE, Error::NotABasemap("it is larger than 2 GB"))
}

/// Inflates `bytes` (the archive's compression byte: 1 none, 2 gzip) to at most `cap` bytes;
/// `None` past the cap or for a compression Aidmap does not read.
fn inflate_capped(compression: u8, bytes: &[u8], cap: u64) -> Option<Vec<u8>> {
    use std::io::Read;
    match compression {
        0 | 1 => (bytes.len() as u64 <= cap).then(|| bytes.to_vec()),
        2 => {
            let mut out = Vec::new();
            flate2::read::GzDecoder::new(bytes).take(cap + 1).read_to_end(&mut out).ok()?;
            (out.len() as u64 <= cap).then_some(out)
        }
        _ => None,
    }
}

/// All leaf directories together may inflate to this much (the `pmtiles` reader inflates each
/// one it reads without a bound; this checks the whole section once, before it reads any).
pub const MAX_LEAVES: u64 = 64 * 1024 * 1024;

/// Whether the leaf directories inflate within `MAX_LEAVES` (gzip members back to back).
fn leaves_fit(archive: &[u8]) -> bool {
    use std::io::Read;
    let field = |i: usize| archive.get(i..i + 8).map(|b| u64::from_le_bytes(b.try_into().expect("8 bytes")));
    let (Some(offset), Some(length)) = (field(40), field(48)) else { return false };
    if length == 0 {
        return true;
    }
    let Some(raw) = archive.get(offset as usize..(offset as usize).saturating_add(length as usize)) else {
        return false;
    };
    match archive.get(97) {
        Some(0 | 1) => length <= MAX_LEAVES,
        Some(2) => {
            let mut counted = 0u64;
            let mut buf = vec![0u8; 64 * 1024];
            let mut reader = flate2::read::MultiGzDecoder::new(raw).take(MAX_LEAVES + 1);
            loop {
                match reader.read(&mut buf) {
                    Ok(0) => return counted <= MAX_LEAVES,
                    Ok(n) => counted += n as u64,
                    Err(_) => return false,
                }
            }
        }
        _ => false,
    }
}

/// One directory as the `pmtiles` reader will parse it, checked first: its entry count must fit
/// the bytes (each entry takes at least four), every number must be a well-formed varint and
/// every sum must fit. The crate allocates `vec![…; n_entries]` from the untrusted count and adds
/// ids and offsets unchecked (a 30-byte directory asked for 24 GB and aborted the process).
/// Returns the leaf pointers (offset, length) it holds; `None` also when a tile entry lies
/// past `data_length` (the reader adds its offset to the data section's unchecked).
fn directory_entries(raw: &[u8], data_length: u64) -> Option<Vec<(u64, u64)>> {
    fn varint(bytes: &[u8], at: &mut usize) -> Option<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = *bytes.get(*at)?;
            *at += 1;
            value |= u64::from(byte & 0x7f).checked_shl(shift)?;
            if byte & 0x80 == 0 {
                return Some(value);
            }
        }
        None
    }
    let mut at = 0;
    let n = usize::try_from(varint(raw, &mut at)?).ok()?;
    if n.checked_mul(4)? > raw.len().saturating_sub(at) {
        return None;
    }
    let mut tile_id = 0u64;
    let mut run_lengths = Vec::with_capacity(n);
    let mut lengths = Vec::with_capacity(n);
    for _ in 0..n {
        tile_id = tile_id.checked_add(varint(raw, &mut at)?)?;
    }
    for _ in 0..n {
        run_lengths.push(u32::try_from(varint(raw, &mut at)?).ok()?);
    }
    for _ in 0..n {
        lengths.push(u32::try_from(varint(raw, &mut at)?).ok()?);
    }
    let mut leaves = Vec::new();
    let mut last: Option<(u64, u32)> = None;
    for k in 0..n {
        let offset = match varint(raw, &mut at)? {
            0 => {
                let (o, l) = last?;
                o.checked_add(u64::from(l))?
            }
            v => v - 1,
        };
        last = Some((offset, lengths[k]));
        if run_lengths[k] == 0 {
            leaves.push((offset, u64::from(lengths[k])));
        } else if offset.checked_add(u64::from(lengths[k]))? > data_length {
            return None;
        }
    }
    Some(leaves)
}

/// How deep leaf directories may nest (the writers make one level; the reader recurses).
const MAX_DEPTH: usize = 4;

/// Whether the root directory and every leaf directory it reaches parse safely
/// (`directory_entries`), each inflated within `MAX_LEAVES`, the leaves inside their section.
fn directories_fit(archive: &[u8]) -> bool {
    let field = |i: usize| archive.get(i..i + 8).map(|b| u64::from_le_bytes(b.try_into().expect("8 bytes")));
    let (Some(root_offset), Some(root_length), Some(leaf_offset), Some(leaf_length), Some(data_length)) =
        (field(8), field(16), field(40), field(48), field(64))
    else {
        return false;
    };
    let Some(&compression) = archive.get(97) else { return false };
    let slice = |offset: u64, length: u64| -> Option<&[u8]> {
        let start = usize::try_from(offset).ok()?;
        archive.get(start..start.checked_add(usize::try_from(length).ok()?)?)
    };
    let parse = |raw: &[u8]| directory_entries(&inflate_capped(compression, raw, MAX_LEAVES)?, data_length);
    let Some(mut pending) = slice(root_offset, root_length).and_then(parse) else { return false };
    let mut visited = 0usize;
    for _ in 0..MAX_DEPTH {
        let mut next = Vec::new();
        for (offset, length) in pending {
            if offset.checked_add(length).is_none_or(|end| end > leaf_length) {
                return false;
            }
            visited += 1;
            // Every leaf once per level at most: a directory listing itself many times over
            // would otherwise multiply the work.
            if visited > 1_000_000 {
                return false;
            }
            let Some(raw) = slice(leaf_offset + offset, length) else { return false };
            let Some(leaves) = parse(raw) else { return false };
            next.extend(leaves);
        }
        if next.is_empty() {
            return true;
        }
        pending = next;
    }
    false
}

/// The archive's metadata, inflated within `MAX_METADATA` (not through the `pmtiles` reader,
/// which inflates without a bound). The header's sections must fit (`sections_fit`).
fn metadata_of(archive: &[u8]) -> Option<String> {
    let field = |i: usize| archive.get(i..i + 8).map(|b| u64::from_le_bytes(b.try_into().expect("8 bytes")));
    let (offset, length) = (field(24)? as usize, field(32)? as usize);
    let raw = archive.get(offset..offset.checked_add(length)?)?;
    String::from_utf8(inflate_capped(*archive.get(97)?, raw, MAX_METADATA)?).ok()
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
    if !leaves_fit(archive) {
        return Err(Error::NotABasemap("its directories are too large once inflated"));
    }
    if !directories_fit(archive) {
        return Err(Error::NotABasemap("its directory cannot be read"));
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
    let read_directory = || -> Result<()> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .map_err(|e| Error::Internal(format!("starting a reader: {e}")))?;
        runtime.block_on(async {
            AsyncPmTilesReader::try_from_source(InMemory(Bytes::copy_from_slice(archive)))
                .await
                .map(|_| ())
                .map_err(|_| Error::NotABasemap("its directory cannot be read"))
        })
    };
    std::thread::scope(|scope| scope.spawn(read_directory).join())
        .unwrap_or(Err(Error::NotABasemap("the file is damaged")))?;
    // Metadata inflated within a cap, here, not by the reader (a gzip bomb took 3.2 GB).
    let metadata = metadata_of(archive).ok_or(Error::NotABasemap("its metadata is too large or cannot be read"))?;
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
    /// The header's tile compression byte (1 none, 2 gzip).
    compression: u8,
}

impl Basemap {
    pub async fn from_bytes(archive: Vec<u8>) -> Result<Basemap> {
        if !sections_fit(&archive) {
            return Err(Error::Corrupt("basemap archive is truncated".into()));
        }
        if !leaves_fit(&archive) {
            return Err(Error::Corrupt("basemap directories are too large once inflated".into()));
        }
        if !directories_fit(&archive) {
            return Err(Error::Corrupt("basemap directory cannot be read".into()));
        }
        let compression = archive.get(98).copied().unwrap_or(0);
        let reader = AsyncPmTilesReader::try_from_source(InMemory(Bytes::from(archive)))
            .await
            .map_err(|e| Error::Corrupt(format!("basemap archive: {e}")))?;
        Ok(Basemap { reader, compression })
    }

    /// The tile's MVT bytes (uncompressed), or `None` where the map has nothing. Inflated here
    /// within `MAX_TILE` (the reader's own inflating has no bound).
    pub async fn tile(&self, z: u8, x: u32, y: u32) -> Result<Option<Vec<u8>>> {
        let Ok(coord) = TileCoord::new(z, x, y) else { return Ok(None) };
        let Some(raw) = self.reader.get_tile(coord).await.map_err(|e| Error::Corrupt(format!("basemap tile: {e}")))?
        else {
            return Ok(None);
        };
        inflate_capped(self.compression, &raw, MAX_TILE)
            .map(Some)
            .ok_or_else(|| Error::Corrupt("a basemap tile is larger than 8 MB once inflated".into()))
    }
}

#[cfg(test)]
mod bomb_tests {
    use super::*;

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        use std::io::Write;
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        e.write_all(bytes).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn tiles_and_metadata_inflate_within_their_caps() {
        let small = gzip(b"a tile");
        assert_eq!(inflate_capped(2, &small, MAX_TILE).unwrap(), b"a tile");
        // 64 MiB of zeros in about 64 KiB: refused at the cap, not inflated whole.
        let bomb = gzip(&vec![0u8; 64 << 20]);
        assert!(bomb.len() < 256 << 10);
        assert!(inflate_capped(2, &bomb, MAX_TILE).is_none());
        assert!(inflate_capped(2, &gzip(&vec![b' '; 2 << 20]), MAX_METADATA).is_none());
        assert!(inflate_capped(3, &small, MAX_TILE).is_none(), "brotli is not read");
    }

    /// A root directory claiming 2³⁰ entries in a few bytes: the reader would allocate 24 GB.
    #[test]
    fn a_directory_whose_count_does_not_fit_its_bytes_is_refused() {
        let mut archive = vec![0u8; 127];
        archive[..7].copy_from_slice(b"PMTiles");
        archive[7] = 3;
        let root = [0x80, 0x80, 0x80, 0x80, 0x04, 1, 1, 1, 1];
        archive[8..16].copy_from_slice(&127u64.to_le_bytes());
        archive[16..24].copy_from_slice(&(root.len() as u64).to_le_bytes());
        archive[97] = 1;
        archive.extend_from_slice(&root);
        assert!(!directories_fit(&archive));
        assert!(check(&archive).is_err());
        // One entry pointing at a tile past the (empty) data section: refused too.
        let one = [1, 1, 1, 1, 5];
        archive.truncate(127);
        archive[16..24].copy_from_slice(&(one.len() as u64).to_le_bytes());
        archive.extend_from_slice(&one);
        assert!(!directories_fit(&archive));
        archive[64..72].copy_from_slice(&8u64.to_le_bytes());
        assert!(directories_fit(&archive), "offset 4 + length 1 within 8 bytes of data");
    }

    #[test]
    fn leaf_directories_are_measured_before_any_is_read() {
        // A header whose leaf section (offset 127) is a gzip bomb of 80 MiB.
        let bomb = gzip(&vec![0u8; 80 << 20]);
        let mut archive = vec![0u8; 127];
        archive[..7].copy_from_slice(b"PMTiles");
        archive[40..48].copy_from_slice(&127u64.to_le_bytes());
        archive[48..56].copy_from_slice(&(bomb.len() as u64).to_le_bytes());
        archive[97] = 2;
        archive.extend_from_slice(&bomb);
        assert!(!leaves_fit(&archive));
        let small = gzip(b"a leaf");
        archive.truncate(127);
        archive[48..56].copy_from_slice(&(small.len() as u64).to_le_bytes());
        archive.extend_from_slice(&small);
        assert!(leaves_fit(&archive));
    }
}
