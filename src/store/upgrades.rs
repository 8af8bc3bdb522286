//! The Rust steps of migrations, run right after their SQL in the same transaction. Each is
//! frozen with its schema version: it reads and writes the columns that exist at that version
//! with its own SQL, never through today's domain types (a later column would not exist yet
//! when an old file is upgraded), and depends only on leaf modules.

use rusqlite::{params, Transaction};

use crate::error::Result;
use crate::vocab::{unit_key, Category};

/// Schema 2: fills `search_text` for households written before it existed.
pub fn backfill_search_text(tx: &Transaction<'_>) -> Result<()> {
    let rows: Vec<(String, String, String)> = tx
        .prepare("SELECT id, name, address FROM household")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut update = tx.prepare("UPDATE household SET search_text = ?2 WHERE id = ?1")?;
    for (id, name, address) in rows {
        update.execute(params![id, crate::text::household_search_text(&name, &address)])?;
    }
    Ok(())
}

/// Schema 9: a need gets an item only when its category has exactly one (non-medical) item,
/// or its unit is exactly one such item's unit; medicine needs never (they must name their
/// item: someone who knows picks it, never a unit match). Nothing else is guessed.
pub fn assign_items(tx: &Transaction<'_>) -> Result<()> {
    struct Item {
        id: String,
        category: Category,
        unit: String,
        medical: bool,
    }
    let items: Vec<Item> = tx
        .prepare("SELECT id, category, unit, medical FROM item ORDER BY category, name COLLATE NOCASE")?
        .query_map([], |r| Ok(Item { id: r.get(0)?, category: r.get(1)?, unit: r.get(2)?, medical: r.get(3)? }))?
        .collect::<rusqlite::Result<_>>()?;
    let needs: Vec<(String, Category, String)> = tx
        .prepare("SELECT id, category, unit FROM need WHERE item_id IS NULL AND purged_at IS NULL")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut stmt = tx.prepare("UPDATE need SET item_id = ?2 WHERE id = ?1")?;
    for (id, category, unit) in needs {
        if category == Category::Medicine {
            continue;
        }
        let of: Vec<&Item> = items.iter().filter(|i| i.category == category && !i.medical).collect();
        let by_unit: Vec<&&Item> = of.iter().filter(|i| unit_key(&i.unit) == unit_key(&unit)).collect();
        let chosen = match (of.as_slice(), by_unit.as_slice()) {
            ([one], _) => Some(one.id.as_str()),
            (_, [one]) => Some(one.id.as_str()),
            _ => None,
        };
        if let Some(item) = chosen {
            stmt.execute(params![id, item])?;
        }
    }
    Ok(())
}
