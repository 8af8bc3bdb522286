//! Replicas converge: random edits of a few fields on three replicas, changes exchanged in
//! random orders, partly and more than once; once everyone has everything, every replica shows
//! the same value and the same open conflicts for every field (`aidmap::sync::register`).

use std::collections::BTreeMap;

use aidmap::sync::hlc::Hlc;
use aidmap::sync::register::{open_conflicts, winner, ChangeId, FieldChange};
use proptest::prelude::*;
use serde_json::json;

#[derive(Debug, Clone)]
enum Step {
    /// Replica edits field to value; its clock is `skew` ms off.
    Edit { replica: usize, field: usize, value: u8 },
    /// Replica `from` sends `to` the changes it knows, every `every`-th one.
    Send { from: usize, to: usize, every: usize },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (0..3usize, 0..3usize, 0..4u8).prop_map(|(replica, field, value)| Step::Edit { replica, field, value }),
        (0..3usize, 0..3usize, 1..4usize).prop_map(|(from, to, every)| Step::Send { from, to, every }),
    ]
}

#[derive(Default, Clone)]
struct Replica {
    clock: Hlc,
    /// field → the changes this replica has (a set by id).
    fields: BTreeMap<usize, Vec<FieldChange>>,
}

impl Replica {
    fn take(&mut self, field: usize, c: FieldChange, now: i64) {
        let remote: Hlc = c.id.hlc.parse().unwrap();
        self.clock = Hlc::receive(self.clock, remote, now).unwrap();
        let have = self.fields.entry(field).or_default();
        if !have.iter().any(|x| x.id == c.id) {
            have.push(c);
        }
    }

    fn view(&self) -> BTreeMap<usize, (serde_json::Value, usize)> {
        self.fields
            .iter()
            .map(|(f, changes)| (*f, (winner(changes).unwrap().value.clone(), open_conflicts(changes).len())))
            .collect()
    }
}

fn run(steps: &[Step], skews: [i64; 3], order: &[usize]) -> Vec<Replica> {
    let names = ["a", "b", "c"];
    let mut replicas = vec![Replica::default(); 3];
    let mut now = 1_000_000i64;
    for s in steps {
        now += 7;
        match *s {
            Step::Edit { replica, field, value } => {
                let r = &mut replicas[replica];
                let base = r.fields.get(&field).and_then(|c| winner(c)).map(|w| w.value.clone());
                r.clock = Hlc::tick(r.clock, now + skews[replica]);
                let change = FieldChange {
                    id: ChangeId::new(r.clock, names[replica]),
                    base,
                    value: json!(value),
                    operator: names[replica].into(),
                };
                r.fields.entry(field).or_default().push(change);
            }
            Step::Send { from, to, every } => {
                let sent: Vec<(usize, FieldChange)> = replicas[from]
                    .fields
                    .iter()
                    .flat_map(|(f, cs)| cs.iter().map(move |c| (*f, c.clone())))
                    .step_by(every)
                    .collect();
                for (f, c) in sent {
                    replicas[to].take(f, c, now + skews[to]);
                }
            }
        }
    }
    // Everyone sends everything to everyone, in the given order, twice (duplicates).
    for _ in 0..2 {
        for &from in order {
            for to in 0..3 {
                let sent: Vec<(usize, FieldChange)> =
                    replicas[from].fields.iter().flat_map(|(f, cs)| cs.iter().map(move |c| (*f, c.clone()))).collect();
                for (f, c) in sent {
                    now += 1;
                    replicas[to].take(f, c, now + skews[to]);
                }
            }
        }
    }
    replicas
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn three_replicas_converge_whatever_the_order(
        steps in proptest::collection::vec(step(), 1..60),
        skews in proptest::array::uniform3(-5_000i64..5_000),
        order in Just(vec![0usize, 1, 2]).prop_shuffle(),
    ) {
        let replicas = run(&steps, skews, &order);
        let views: Vec<_> = replicas.iter().map(Replica::view).collect();
        prop_assert_eq!(&views[0], &views[1]);
        prop_assert_eq!(&views[1], &views[2]);
        // The same conflicts, not only as many.
        for f in replicas[0].fields.keys() {
            let c: Vec<_> = replicas.iter().map(|r| open_conflicts(&r.fields[f])).collect();
            prop_assert_eq!(&c[0], &c[1]);
            prop_assert_eq!(&c[1], &c[2]);
        }
    }
}

/// The scenario, by hand: two replicas change different fields of one household (both
/// kept, no conflict) and the same field (the same winner on both, one review item on each).
#[test]
fn different_fields_both_survive_and_the_same_field_is_one_conflict() {
    let mk = |ms, replica: &str, base: &str, value: &str| FieldChange {
        id: ChangeId::new(Hlc { ms, counter: 0 }, replica),
        base: Some(json!(base)),
        value: json!(value),
        operator: replica.into(),
    };
    let phone_on_a = mk(10, "a", "+377 1", "+377 2");
    let address_on_b = mk(11, "b", "Rue A", "Rue B");
    let notes_on_a = mk(12, "a", "", "gate code 12");
    let notes_on_b = mk(13, "b", "", "dog in the yard");
    for order in [[0, 1], [1, 0]] {
        let changes = [vec![phone_on_a.clone(), notes_on_a.clone()], vec![address_on_b.clone(), notes_on_b.clone()]];
        let mut phone = Vec::new();
        let mut address = Vec::new();
        let mut notes = Vec::new();
        for i in order {
            for c in &changes[i] {
                match c.value.as_str().unwrap() {
                    v if v.starts_with('+') => phone.push(c.clone()),
                    v if v.starts_with("Rue") => address.push(c.clone()),
                    _ => notes.push(c.clone()),
                }
            }
        }
        assert_eq!(winner(&phone).unwrap().value, json!("+377 2"));
        assert_eq!(winner(&address).unwrap().value, json!("Rue B"));
        assert!(open_conflicts(&phone).is_empty() && open_conflicts(&address).is_empty());
        assert_eq!(winner(&notes).unwrap().value, json!("dog in the yard"));
        let conflicts = open_conflicts(&notes);
        assert_eq!(conflicts.len(), 1);
        assert_eq!((&conflicts[0].winner, &conflicts[0].other), (&notes_on_b.id, &notes_on_a.id));
    }
}
