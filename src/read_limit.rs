//! Reading a file from outside within a size limit: its size is checked before a byte is read
//! (a 3 GB "spreadsheet" was read whole before its limit was checked), and the read stops at
//! the limit even if the file grows meanwhile.

use std::io::Read;
use std::path::Path;

use crate::error::{Error, Result};

/// The file's bytes, or `too_large` when it holds more than `max` bytes.
pub fn read_within(path: &Path, max: u64, too_large: Error) -> Result<Vec<u8>> {
    let len = std::fs::metadata(path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Error::FileNotFound,
            _ => e.into(),
        })?
        .len();
    if len > max {
        return Err(too_large);
    }
    let mut bytes = Vec::with_capacity(len as usize);
    std::fs::File::open(path)?.take(max + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(too_large);
    }
    Ok(bytes)
}
