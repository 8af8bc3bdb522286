//! How replicas agree on one field of one record (a household's address, a need's urgency…):
//! per-field last-writer-wins by (HLC, replica id), with conflicts found, never lost.
//!
//! A field's state is a function of the *set* of changes made to it, never of the order they
//! arrived in, so every replica that has received the same changes shows the same value and the
//! same conflicts — whatever the route (USB stick, Syncthing, twice through both):
//!
//! - **The value** is the change with the greatest (HLC, replica id).
//! - **A conflict** is two changes by different replicas from the same earlier value (`base`)
//!   to different values: both were made without seeing the other. It stays open until a later
//!   change is made from either value (someone saw it and chose — choosing writes that change).
//!
//! Changes to different fields of one record are separate registers: both survive.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::hlc::Hlc;

/// One change's identity: the replica's clock reading when it was made, and the replica.
/// Readings of one replica never repeat, so this is unique.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ChangeId {
    pub hlc: String,
    pub replica: String,
}

impl ChangeId {
    pub fn new(hlc: Hlc, replica: &str) -> ChangeId {
        ChangeId { hlc: hlc.to_string(), replica: replica.to_string() }
    }
}

/// A change of one field: from `base` (the value its writer saw; `None` for a new record) to
/// `value`, by `operator` on `id.replica`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldChange {
    pub id: ChangeId,
    pub base: Option<Value>,
    pub value: Value,
    pub operator: String,
}

/// Two changes made without seeing each other, for a person to review: `winner` is shown
/// (it won by clock on every replica), `other` is the value it replaced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conflict {
    pub winner: ChangeId,
    pub other: ChangeId,
}

/// The value the field has: the change with the greatest id.
pub fn winner(changes: &[FieldChange]) -> Option<&FieldChange> {
    changes.iter().max_by(|a, b| a.id.cmp(&b.id))
}

/// The open conflicts among `changes`, in a fixed order (by winner, then other).
pub fn open_conflicts(changes: &[FieldChange]) -> Vec<Conflict> {
    let mut out = Vec::new();
    for (i, a) in changes.iter().enumerate() {
        for b in &changes[i + 1..] {
            if a.id == b.id || a.id.replica == b.id.replica || a.base != b.base || a.value == b.value {
                continue;
            }
            let (winner, other) = if a.id > b.id { (a, b) } else { (b, a) };
            // Settled when someone later changed the field from either value.
            let settled = changes.iter().any(|c| {
                c.id > winner.id && c.base.as_ref().is_some_and(|base| *base == winner.value || *base == other.value)
            });
            if !settled {
                out.push(Conflict { winner: winner.id.clone(), other: other.id.clone() });
            }
        }
    }
    out.sort_by(|x, y| (&x.winner, &x.other).cmp(&(&y.winner, &y.other)));
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn change(ms: i64, replica: &str, base: Option<Value>, value: Value) -> FieldChange {
        FieldChange {
            id: ChangeId::new(Hlc { ms, counter: 0 }, replica),
            base,
            value,
            operator: format!("operator on {replica}"),
        }
    }

    #[test]
    fn the_later_change_wins_and_concurrent_edits_are_a_conflict() {
        let created = change(1, "a", None, json!("Rue A"));
        let on_a = change(5, "a", Some(json!("Rue A")), json!("Rue B"));
        let on_b = change(6, "b", Some(json!("Rue A")), json!("Rue C"));
        let all = [created.clone(), on_a.clone(), on_b.clone()];
        assert_eq!(winner(&all).unwrap().value, json!("Rue C"));
        assert_eq!(open_conflicts(&all), [Conflict { winner: on_b.id.clone(), other: on_a.id.clone() }]);
        // The same value from both sides is no conflict.
        let same = change(6, "b", Some(json!("Rue A")), json!("Rue B"));
        assert!(open_conflicts(&[created.clone(), on_a.clone(), same]).is_empty());
        // An edit made after seeing the other is no conflict.
        let after = change(7, "b", Some(json!("Rue B")), json!("Rue D"));
        assert!(open_conflicts(&[created.clone(), on_a.clone(), after]).is_empty());
        // Choosing a value in the review writes a change from it: the conflict is settled.
        let chosen = change(9, "a", Some(json!("Rue C")), json!("Rue B"));
        assert!(open_conflicts(&[created, on_a, on_b, chosen.clone()]).is_empty());
    }

    #[test]
    fn ties_on_the_clock_fall_to_the_replica_id() {
        let x = change(5, "a", Some(json!(1)), json!(2));
        let y = change(5, "b", Some(json!(1)), json!(3));
        assert_eq!(winner(&[x.clone(), y.clone()]).unwrap().value, json!(3));
        assert_eq!(winner(&[y, x]).unwrap().value, json!(3));
    }
}
