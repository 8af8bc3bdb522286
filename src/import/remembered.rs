//! Mappings remembered per sheet layout: the columns chosen for a sheet are offered again for
//! the next sheet with the same headers (kept as settings of the operation).

use rusqlite::{Connection, OptionalExtension, Transaction};

use super::Mapping;
use crate::clock::Stamp;
use crate::error::Result;
use crate::vocab::ImportKind;

/// The setting key of a sheet's headers for one kind of import: the same headers (case, accents
/// and spacing aside) in the same order give the same key. FNV-1a, not a secret: it only has to
/// tell sheets apart.
fn mapping_key(kind: ImportKind, headers: &[String]) -> String {
    let text: String = headers
        .iter()
        .map(|h| crate::text::fold(h).split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\u{1f}");
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        hash ^= b as u64;
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("import_mapping:{}:{hash:016x}", kind.key())
}

/// The mapping last used for a sheet with these headers, if any.
pub fn remembered_mapping(conn: &Connection, kind: ImportKind, headers: &[String]) -> Result<Option<Mapping>> {
    let key = mapping_key(kind, headers);
    let value: Option<String> =
        conn.query_row("SELECT value FROM setting WHERE key = ?1", [&key], |r| r.get(0)).optional()?;
    // A stored mapping that no longer reads is as good as none.
    Ok(value.and_then(|v| serde_json::from_str(&v).ok()))
}

/// Keeps the mapping an import used, for the next sheet with the same headers.
pub fn remember_mapping(
    conn: &Transaction<'_>,
    stamp: &Stamp,
    kind: ImportKind,
    headers: &[String],
    mapping: &Mapping,
) -> Result<()> {
    let kept = Mapping { row_choices: Default::default(), ..mapping.clone() };
    crate::settings::write(conn, stamp, &mapping_key(kind, headers), &kept)
}
