//! Catalogue item names are unique (without regard to ASCII case), but two hubs can each add an
//! item of the same name before they meet. Refusing the other hub's change would stop every later
//! change of that hub too; so the name is settled the same way on every replica, from the set of
//! changes alone: the item created first (by its creation's HLC, then replica id; items older than
//! sync first) keeps the name, each later one is shown as "Name (2)", "Name (3)"… — never a
//! name another item wants. The name each item was given stays in the log (`wanted`); renaming
//! one of them (a normal change) settles the names again everywhere. `renamed` lists the items
//! shown under another name than they were given, for the hub panel.

use std::collections::{BTreeMap, HashMap, HashSet};

use rusqlite::{Connection, Transaction};

use super::register::ChangeId;
use super::{from_json, installed, LoggedChange};
use crate::error::Result;

/// An item shown under another name than the one it was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Renamed {
    pub id: String,
    /// The name it has here (with its number).
    pub shown: String,
    /// The name it was given, which an item created earlier on another laptop holds.
    pub wanted: String,
}

struct Entry {
    id: String,
    shown: String,
    wanted: String,
    /// Its creation in the log; `None` for an item made before the operation was synced.
    created: Option<ChangeId>,
}

fn entries(conn: &Connection) -> Result<Vec<Entry>> {
    let mut given: HashMap<String, (ChangeId, String)> = HashMap::new();
    let mut created: HashMap<String, ChangeId> = HashMap::new();
    let mut stmt = conn.prepare_cached(
        "SELECT replica, seq, hlc, entity, record, kind, fields, operator, at, signature FROM sync_change
         WHERE entity = 'item' AND kind IN ('create', 'set')",
    )?;
    let changes: Vec<LoggedChange> = stmt
        .query_map([], super::read_change)?
        .collect::<rusqlite::Result<Vec<_>>>()?
        .into_iter()
        .collect::<Result<Vec<_>>>()?;
    for c in changes {
        let id = c.id();
        if c.kind == "create" {
            let first = created.entry(c.record.clone()).or_insert_with(|| id.clone());
            if id < *first {
                *first = id.clone();
            }
        }
        if let Some(rusqlite::types::Value::Text(name)) = c.after("name").map(from_json).transpose()? {
            match given.get(&c.record) {
                Some((at, _)) if *at >= id => {}
                _ => {
                    given.insert(c.record.clone(), (id, name));
                }
            }
        }
    }
    let mut stmt = conn.prepare_cached("SELECT id, name FROM item")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    let mut out = Vec::new();
    for row in rows {
        let (id, shown) = row?;
        let wanted = given.get(&id).map(|(_, n)| n.clone()).unwrap_or_else(|| shown.clone());
        out.push(Entry { created: created.get(&id).cloned(), id, shown, wanted });
    }
    Ok(out)
}

/// SQLite's NOCASE: ASCII letters only.
fn fold(name: &str) -> String {
    name.to_ascii_lowercase()
}

/// The name each item is shown under: `(id, name)` for every item, first created first.
fn settled(mut items: Vec<Entry>) -> Vec<(Entry, String)> {
    items.sort_by(|a, b| (a.created.is_some(), &a.created, &a.id).cmp(&(b.created.is_some(), &b.created, &b.id)));
    let wanted: HashSet<String> = items.iter().map(|e| fold(&e.wanted)).collect();
    let mut taken: HashSet<String> = HashSet::new();
    let mut out = Vec::with_capacity(items.len());
    for e in items {
        let name = if taken.contains(&fold(&e.wanted)) {
            (2..)
                .map(|n| format!("{} ({n})", e.wanted))
                .find(|c| !taken.contains(&fold(c)) && !wanted.contains(&fold(c)))
                .expect("a free number")
        } else {
            e.wanted.clone()
        };
        taken.insert(fold(&name));
        out.push((e, name));
    }
    out
}

/// Gives every item the name `settled` says, in the caller's transaction (the writes are not
/// this replica's changes: the caller forgets them with `forget_pending`).
pub(crate) fn settle(tx: &Transaction<'_>) -> Result<()> {
    if !installed(tx)? {
        return Ok(());
    }
    let moves: BTreeMap<String, String> =
        settled(entries(tx)?).into_iter().filter(|(e, name)| e.shown != *name).map(|(e, n)| (e.id, n)).collect();
    if moves.is_empty() {
        return Ok(());
    }
    // Out of the way first, so no two items hold one name in between.
    let mut update = tx.prepare_cached("UPDATE item SET name = ?2 WHERE id = ?1")?;
    for id in moves.keys() {
        update.execute([id, &format!("\u{1}{id}")])?;
    }
    for (id, name) in &moves {
        update.execute([id, name])?;
    }
    Ok(())
}

/// The name an item may take now without meeting another's (`settle` gives the right one after).
pub(crate) fn free_for(tx: &Connection, id: &str, name: &str) -> Result<String> {
    let held: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM item WHERE name = ?1 COLLATE NOCASE AND id <> ?2)",
        [name, id],
        |r| r.get(0),
    )?;
    Ok(if held { format!("\u{1}{id}") } else { name.to_string() })
}

/// Items shown under another name than they were given (another hub's item holds it).
pub fn renamed(conn: &Connection) -> Result<Vec<Renamed>> {
    if !installed(conn)? {
        return Ok(Vec::new());
    }
    let mut out: Vec<Renamed> = entries(conn)?
        .into_iter()
        .filter(|e| e.shown != e.wanted)
        .map(|e| Renamed { id: e.id, shown: e.shown, wanted: e.wanted })
        .collect();
    out.sort_by(|a, b| a.shown.cmp(&b.shown));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(id: &str, wanted: &str, created: Option<&str>) -> Entry {
        Entry {
            id: id.into(),
            shown: wanted.into(),
            wanted: wanted.into(),
            created: created.map(|h| ChangeId { hlc: h.into(), replica: "r".into() }),
        }
    }

    fn names(items: Vec<Entry>) -> Vec<(String, String)> {
        let mut out: Vec<_> = settled(items).into_iter().map(|(e, n)| (e.id, n)).collect();
        out.sort();
        out
    }

    #[test]
    fn the_first_created_keeps_the_name_and_later_ones_are_numbered() {
        let got = names(vec![e("b", "Insulin", Some("2")), e("a", "insulin", Some("1")), e("c", "Insulin", Some("3"))]);
        assert_eq!(
            got,
            [("a".into(), "insulin".into()), ("b".into(), "Insulin (2)".into()), ("c".into(), "Insulin (3)".into())]
        );
    }

    #[test]
    fn a_number_never_takes_a_name_another_item_was_given() {
        let got = names(vec![e("a", "Water", None), e("b", "Water", Some("1")), e("c", "Water (2)", Some("2"))]);
        assert_eq!(
            got,
            [("a".into(), "Water".into()), ("b".into(), "Water (3)".into()), ("c".into(), "Water (2)".into())]
        );
    }

    #[test]
    fn the_order_they_are_read_in_does_not_matter() {
        let one = names(vec![e("a", "Soap", Some("5")), e("b", "SOAP", Some("4"))]);
        let two = names(vec![e("b", "SOAP", Some("4")), e("a", "Soap", Some("5"))]);
        assert_eq!(one, two);
        assert_eq!(one[1], ("b".into(), "SOAP".into()));
    }
}
