//! Likely duplicates on a fixture with known duplicates (precision and recall printed), and
//! merging two records of one household, then undoing it.

use std::collections::BTreeSet;

use aidmap::household::HouseholdInput;
use aidmap::merge::MergeRequest;
use aidmap::need::NeedInput;
use aidmap::vocab::{Category, Urgency};
use aidmap::Store;
use rand::{Rng, SeedableRng};

use crate::util::*;

const GIVEN: [&str; 20] = [
    "Ana", "Luis", "Marie", "Pierre", "Sofía", "Omar", "Fátima", "Giulia", "Marco", "Elena", "Jean", "Carmen", "Noah",
    "Amira", "Chen", "Olga", "Tomás", "Inès", "Yusuf", "Léa",
];
const FAMILY: [&str; 20] = [
    "García",
    "Dupont",
    "Rossi",
    "Müller",
    "Kowalski",
    "Nguyen",
    "Haddad",
    "Silva",
    "Papadopoulos",
    "Novak",
    "Okafor",
    "Jensen",
    "Moreau",
    "Ibáñez",
    "Costa",
    "Petrov",
    "Sato",
    "Larsen",
    "Benali",
    "Fischer",
];

fn at(name: &str, lat: f64, lon: f64, phone: Option<String>, address: &str) -> HouseholdInput {
    let mut h = HouseholdInput::at(name, lat, lon);
    h.phones = phone.into_iter().collect();
    h.address = address.into();
    h
}

fn typo(name: &str, rng: &mut impl Rng) -> String {
    let mut chars: Vec<char> = name.chars().collect();
    let i = rng.gen_range(1..chars.len() - 1);
    chars.swap(i, i + 1);
    chars.into_iter().collect()
}

fn strip_accents(s: &str) -> String {
    aidmap::text::fold(s)
        .split(' ')
        .map(|w| {
            let mut c = w.chars();
            c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// 300 distinct households, 30 known duplicates of them in three styles, and 20 neighbours in
/// the same buildings who are not duplicates. Returns the true duplicate pairs (as id pairs).
fn fixture(store: &mut Store) -> BTreeSet<(String, String)> {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
    let mut base = Vec::new();
    for i in 0..300 {
        let name = format!("{} {}", GIVEN[i % 20], FAMILY[(i / 20 + i * 7) % 20]);
        let name = if i >= 200 { format!("{name} {}", ["Jr", "Sr", "II", "Bis"][i % 4]) } else { name };
        let (lat, lon) = (rng.gen_range(43.725..43.75), rng.gen_range(7.41..7.44));
        let phone =
            format!("+377 6 {:02} {:02} {:02} {:02}", i / 100, (i / 10) % 10 + 10, i % 10 + 20, rng.gen_range(10..99));
        let address = format!("{} Rue Test {}", i % 40 + 1, i);
        let input = at(&name, lat, lon, Some(phone.clone()), &address);
        let id = store.create_household(&input).unwrap().id;
        base.push((id, input));
    }
    let mut truth = BTreeSet::new();
    for k in 0..30 {
        let (id, b) = &base[k * 9 + 3];
        let dup = match k % 3 {
            // The same phone written another way, a typo in the name.
            0 => at(&typo(&b.name, &mut rng), b.lat + 0.001, b.lon, Some(b.phones[0].replace("+377 ", "00377 ")), ""),
            // The same address, the name without accents and in another order.
            1 => {
                let words: Vec<&str> = b.name.split(' ').collect();
                at(&strip_accents(&format!("{}, {}", words[1], words[0])), b.lat + 0.002, b.lon, None, &b.address)
            }
            // A few metres away, one letter different, no phone.
            _ => at(&typo(&b.name, &mut rng), b.lat + 0.00008, b.lon + 0.00005, None, ""),
        };
        let d = store.create_household(&dup).unwrap().id;
        truth.insert((id.clone().min(d.clone()), id.clone().max(d)));
    }
    for k in 0..20 {
        let (_, b) = &base[k * 13 + 1];
        let neighbour = format!("{} {}", GIVEN[(k + 7) % 20], FAMILY[(k + 3) % 20]);
        store.create_household(&at(&format!("{neighbour} Nb"), b.lat, b.lon, None, &b.address)).unwrap();
    }
    truth
}

#[test]
fn known_duplicates_are_found_with_high_precision_and_recall() {
    let dir = tempdir();
    let mut store = new_store(dir.path());
    let truth = fixture(&mut store);
    let found = store.duplicates().unwrap();
    let reported: BTreeSet<(String, String)> =
        found.iter().map(|p| (p.a.clone().min(p.b.clone()), p.a.clone().max(p.b.clone()))).collect();
    let tp = reported.intersection(&truth).count() as f64;
    let (precision, recall) = (tp / reported.len().max(1) as f64, tp / truth.len() as f64);
    eprintln!(
        "duplicates: {} reported, {} true; precision {precision:.3}, recall {recall:.3}",
        reported.len(),
        truth.len()
    );
    assert!(precision >= 0.9, "precision {precision}");
    assert!(recall >= 0.9, "recall {recall}");
    assert!(found.iter().all(|p| (0.5..=1.0).contains(&p.score) && !p.reasons.is_empty()));
    assert!(found.windows(2).all(|w| w[0].score >= w[1].score), "best first");
    // Kept as two households: not offered again.
    store.dismiss_duplicate(&found[0].b, &found[0].a).unwrap();
    assert_eq!(store.duplicates().unwrap().len(), found.len() - 1);
}

#[test]
fn a_merge_moves_needs_takes_chosen_fields_and_can_be_undone() {
    let dir = tempdir();
    let mut store = new_store(dir.path());
    let kept =
        store.create_household(&at("Ana García", 43.73, 7.42, Some("+377 6 12 34 56 78".into()), "3 Rue A")).unwrap();
    let other = store
        .create_household(&at("Ana Garcia Lopez", 43.7301, 7.4201, Some("06 99 99 99 99".into()), "3 Rue A, 2nd floor"))
        .unwrap();
    store.add_need(&kept.id, &NeedInput::new(Category::Water, 6.0, "L", Urgency::High)).unwrap();
    let moved = store.add_need(&other.id, &NeedInput::new(Category::Food, 1.0, "parcel", Urgency::Normal)).unwrap();
    let before = store.households().unwrap();

    let req = MergeRequest {
        kept_id: kept.id.clone(),
        merged_id: other.id.clone(),
        take: vec!["address".into(), "all_phones".into()],
    };
    let record = store.merge_households(&req).unwrap();
    let after = store.household(&kept.id).unwrap();
    assert_eq!(after.household.name, "Ana García", "the kept name stays");
    assert_eq!(after.household.address, "3 Rue A, 2nd floor", "the address taken, with its place");
    assert_eq!((after.household.lat, after.household.lon), (43.7301, 7.4201));
    assert_eq!(after.household.phones.len(), 2, "both numbers");
    assert_eq!(after.needs.len(), 2, "the other's need moved over");
    assert!(store.household(&other.id).is_err(), "the other record is gone");
    assert_eq!(store.households().unwrap().len(), 1);
    let log = store
        .audit(
            &aidmap::audit::AuditFilter { action: Some(aidmap::audit::AuditAction::Merge), ..Default::default() },
            10,
            0,
        )
        .unwrap();
    assert_eq!(log.items[0].record_ids, [kept.id.clone(), other.id.clone(), record.id.clone()]);
    assert!(!log.items[0].detail.contains("Ana"), "field names only");

    store.undo_merge(&record.id).unwrap();
    let restored = store.households().unwrap();
    assert_eq!(restored.len(), 2);
    for (a, b) in before.iter().zip(&restored) {
        let strip = |h: &aidmap::household::Household| {
            let mut h = h.clone();
            (h.updated_at, h.updated_by) = (String::new(), String::new());
            h
        };
        assert_eq!(strip(a), strip(b), "every field as before");
    }
    let other_after = restored.iter().find(|h| h.id == other.id).unwrap();
    assert_eq!(other_after.created_at, other.created_at, "the record's own history is kept");
    assert_eq!(store.household(&other.id).unwrap().needs[0].id, moved.id, "its need came back");
    assert!(store.undo_merge(&record.id).is_err(), "undone once only");
    let same = MergeRequest { kept_id: kept.id.clone(), merged_id: kept.id.clone(), take: vec![] };
    assert!(store.merge_households(&same).is_err());
}

#[test]
fn a_merge_makes_identical_open_needs_one_and_undo_restores_both_exactly() {
    let dir = tempdir();
    let mut store = new_store(dir.path());
    let rice = store.create_item(&aidmap::item::ItemInput::new("Rice 1 kg", Category::Food, "bag", 1.0, 1.3)).unwrap();
    let water = store
        .create_item(
            &aidmap::item::ItemInput::new("Water 1.5 L", Category::Water, "bottle", 1.55, 1.6)
                .with_contents(Some(1.5), "L"),
        )
        .unwrap();
    let mut a = alice();
    a.name = "Søren Castillo".into();
    let kept = store.create_household(&a).unwrap();
    a.name = "Castillo Søren".into();
    let other = store.create_household(&a).unwrap();
    let rice_a = store.add_need(&kept.id, &NeedInput::of_item(&rice, 1.0, "bag", Urgency::Normal)).unwrap();
    let rice_b = store.add_need(&other.id, &NeedInput::of_item(&rice, 1.0, "bag", Urgency::High)).unwrap();
    let water_a = store.add_need(&kept.id, &NeedInput::of_item(&water, 6.0, "L", Urgency::Normal)).unwrap();
    let water_b = store.add_need(&other.id, &NeedInput::of_item(&water, 12.0, "bottle", Urgency::Normal)).unwrap();
    let tarp = store.add_need(&other.id, &NeedInput::new(Category::Shelter, 1.0, "tarp", Urgency::Low)).unwrap();
    let before: Vec<aidmap::need::Need> = store.needs(None).unwrap();

    let req = MergeRequest { kept_id: kept.id.clone(), merged_id: other.id.clone(), take: vec![] };
    let record = store.merge_households(&req).unwrap();
    let needs = store.household(&kept.id).unwrap().needs;
    let open: Vec<&aidmap::need::Need> = needs.iter().filter(|n| n.status == aidmap::vocab::NeedStatus::Open).collect();
    assert_eq!(open.len(), 3, "one rice, one water, the tarp: {open:?}");
    let rice_now = open.iter().find(|n| n.id == rice_a.id).unwrap();
    assert_eq!((rice_now.quantity, rice_now.urgency), (1.0, Urgency::High), "the more urgent of the two");
    let water_now = open.iter().find(|n| n.id == water_a.id).unwrap();
    assert_eq!(
        (water_now.quantity, water_now.unit.as_str(), water_now.item_quantity),
        (12.0, "bottle", Some(12.0)),
        "the larger of 4 and 12 bottles"
    );
    assert!(open.iter().any(|n| n.id == tarp.id), "a need of its own moves over");
    for gone in [&rice_b.id, &water_b.id] {
        assert_eq!(needs.iter().find(|n| &n.id == gone).unwrap().status, aidmap::vocab::NeedStatus::Cancelled);
    }
    store.undo_merge(&record.id).unwrap();
    let mut after = store.needs(None).unwrap();
    let mut before = before;
    after.sort_by(|a, b| a.id.cmp(&b.id));
    before.sort_by(|a, b| a.id.cmp(&b.id));
    let strip = |mut n: aidmap::need::Need| {
        // Moved needs keep the merge's stamp (as before this change); the folded ones are exact.
        if n.id == tarp.id {
            (n.updated_at, n.updated_by) = (String::new(), String::new());
        }
        n
    };
    assert_eq!(after.into_iter().map(strip).collect::<Vec<_>>(), before.into_iter().map(strip).collect::<Vec<_>>());
}
