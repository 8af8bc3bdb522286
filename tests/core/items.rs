//! Needs name catalogue items: conversions between the units people use and item units,
//! category defaults, substitution rules (never for a medical item), kits, and what the
//! to-match queue holds. Nothing is guessed.

use aidmap::catalogue::{self, ItemSource, KitComponent, SubstitutionBasis, SubstitutionGroup};
use aidmap::error::Error;
use aidmap::item::ItemInput;
use aidmap::need::NeedInput;
use aidmap::vocab::{Category, Urgency};
use aidmap::Store;

use crate::util::*;

fn water_bottle() -> ItemInput {
    ItemInput::new("Water 1.5 L", Category::Water, "bottle", 1.55, 1.6).with_contents(Some(1.5), "L")
}

fn store_with_household(dir: &std::path::Path) -> (Store, String) {
    let mut store = new_store(dir);
    let h = store.create_household(&alice()).unwrap();
    (store, h.id)
}

#[test]
fn litres_of_water_become_bottles_rounded_up_and_other_units_do_not_convert() {
    let dir = tempdir();
    let (mut store, h) = store_with_household(dir.path());
    let bottle = store.create_item(&water_bottle()).unwrap();
    let cases =
        [(18.0, "L", 12.0), (19.0, "litres", 13.0), (0.3, "l", 1.0), (12.0, "bottles", 12.0), (3.0, "Bottle", 3.0)];
    for (q, unit, bottles) in cases {
        let need = store.add_need(&h, &NeedInput::of_item(&bottle, q, unit, Urgency::High)).unwrap();
        assert_eq!(need.item_quantity, Some(bottles), "{q} {unit}");
        assert_eq!(need.item_source, ItemSource::Named);
        assert_eq!((need.quantity, need.unit.as_str()), (q, unit), "the need keeps what was asked");
    }
    // 18 kg of water is neither bottles nor litres: refused, naming the unit field.
    let err = store.add_need(&h, &NeedInput::of_item(&bottle, 18.0, "kg", Urgency::High)).unwrap_err();
    assert!(matches!(&err, Error::Validation(f) if f[0].field == "unit"), "{err:?}");
    // An item of another category is refused too.
    let mut input = NeedInput::of_item(&bottle, 1.0, "bottle", Urgency::High);
    input.category = Category::Food;
    assert!(matches!(store.add_need(&h, &input), Err(Error::Validation(f)) if f[0].field == "item_id"));
    assert_eq!(catalogue::to_item_units(18.0, "L", &bottle), Some((12.0, Some(18.0))));
    assert_eq!(catalogue::to_item_units(18.0, "gallons", &bottle), None);
}

#[test]
fn a_category_only_need_uses_the_default_and_waits_without_one() {
    let dir = tempdir();
    let (mut store, h) = store_with_household(dir.path());
    let bottle = store.create_item(&water_bottle()).unwrap();
    let parcel = store.create_item(&ItemInput::new("Food parcel", Category::Food, "parcel", 9.0, 14.0)).unwrap();
    store.create_item(&ItemInput::new("Rice 1 kg", Category::Food, "bag", 1.0, 1.3)).unwrap();
    let water = store.add_need(&h, &NeedInput::new(Category::Water, 6.0, "L", Urgency::Normal)).unwrap();
    assert_eq!((water.item_id.as_deref(), water.item_source), (None, ItemSource::None), "no default yet: it waits");
    assert_eq!(store.needs_to_match().unwrap().len(), 1);

    store.set_category_default(Category::Water, Some(&bottle.id)).unwrap();
    store.set_category_default(Category::Food, Some(&parcel.id)).unwrap();
    let water = store.needs(None).unwrap().into_iter().find(|n| n.id == water.id).unwrap();
    assert_eq!(water.item_id.as_deref(), Some(bottle.id.as_str()));
    assert_eq!((water.item_source, water.item_quantity), (ItemSource::Default, Some(4.0)));
    assert!(store.needs_to_match().unwrap().is_empty());
    // "5 kg of food" with a food-parcel default does not convert: it waits, said so.
    let food = store.add_need(&h, &NeedInput::new(Category::Food, 5.0, "kg", Urgency::Normal)).unwrap();
    assert_eq!((food.item_source, food.item_quantity), (ItemSource::Default, None));
    assert_eq!(store.needs_to_match().unwrap().iter().map(|n| &n.id).collect::<Vec<_>>(), [&food.id]);
}

#[test]
fn medicine_gets_no_default_and_medical_items_are_never_substitutes() {
    let dir = tempdir();
    let mut store = new_store(dir.path());
    let insulin = store
        .create_item(&ItemInput {
            medical: true,
            cold_chain: true,
            ..ItemInput::new("Insulin cooler pack", Category::Medicine, "pack", 0.4, 1.2)
        })
        .unwrap();
    let kit = store.create_item(&ItemInput::new("First-aid kit", Category::Medicine, "kit", 0.8, 2.5)).unwrap();
    assert!(store.set_category_default(Category::Medicine, Some(&kit.id)).is_err(), "medicine names its item");
    let group = SubstitutionGroup {
        id: String::new(),
        name: "Medicine".into(),
        basis: SubstitutionBasis::Unit,
        items: vec![insulin.id.clone(), kit.id.clone()],
    };
    assert!(store.save_substitution_group(&group).is_err(), "a medical item is never in a substitution group");
    // Even if one got in (an older or hand-edited file), the catalogue never offers it.
    outside(&store)
        .execute_batch(&format!(
            "INSERT INTO substitution_group VALUES ('g', 'x', 'unit', '', '', '');
             INSERT INTO substitution_member VALUES ('g', '{}', 0), ('g', '{}', 1);",
            insulin.id, kit.id
        ))
        .unwrap();
    let cat = catalogue::Catalogue::read(store.conn()).unwrap();
    assert!(cat.substitutes(&insulin.id, 1.0).is_empty());
    assert!(cat.substitutes(&kit.id, 1.0).is_empty());
    // A depot with first-aid kits but no insulin cannot supply an insulin need.
    assert_eq!(cat.choose(&insulin.id, 1.0, &|i| if i == kit.id { 6.0 } else { 0.0 }), None);
}

#[test]
fn substitutes_by_contents_count_litres_and_by_unit_count_one_for_one() {
    let dir = tempdir();
    let mut store = new_store(dir.path());
    let bottle = store.create_item(&water_bottle()).unwrap();
    let can = store
        .create_item(&ItemInput::new("Water 5 L", Category::Water, "can", 5.1, 5.5).with_contents(Some(5.0), "L"))
        .unwrap();
    let rice = store.create_item(&ItemInput::new("Rice 1 kg", Category::Food, "bag", 1.0, 1.3)).unwrap();
    let pasta = store.create_item(&ItemInput::new("Pasta 1 kg", Category::Food, "bag", 1.0, 1.8)).unwrap();
    let groups = [
        ("Water", SubstitutionBasis::Contents, vec![bottle.id.clone(), can.id.clone()]),
        ("Rice or pasta", SubstitutionBasis::Unit, vec![rice.id.clone(), pasta.id.clone()]),
    ];
    for (name, basis, items) in groups {
        store
            .save_substitution_group(&SubstitutionGroup { id: String::new(), name: name.into(), basis, items })
            .unwrap();
    }
    let cat = catalogue::Catalogue::read(store.conn()).unwrap();
    // 12 bottles (18 L) → 4 cans of 5 L (20 L), rounded up; 3 rice → 3 pasta.
    assert_eq!(cat.substitutes(&bottle.id, 12.0), [(can.id.clone(), 4.0)]);
    assert_eq!(cat.substitutes(&rice.id, 3.0), [(pasta.id.clone(), 3.0)]);
    // The item itself first when the depot has enough; a substitute only when it does not.
    let (b, c) = (bottle.id.clone(), can.id.clone());
    let stock = |bottles: f64, cans: f64| {
        let (b, c) = (b.clone(), c.clone());
        move |i: &str| {
            if i == b {
                bottles
            } else if i == c {
                cans
            } else {
                0.0
            }
        }
    };
    assert_eq!(cat.choose(&bottle.id, 12.0, &stock(12.0, 10.0)).unwrap().substitute_for, None);
    let sub = cat.choose(&bottle.id, 12.0, &stock(5.0, 10.0)).unwrap();
    assert_eq!(
        (sub.item.as_str(), sub.quantity, sub.substitute_for.as_deref()),
        (can.id.as_str(), 4.0, Some(bottle.id.as_str()))
    );
    // A contents group needs contents on every member.
    let plain = store.create_item(&ItemInput::new("Water jug", Category::Water, "jug", 4.0, 4.0)).unwrap();
    let bad = SubstitutionGroup {
        id: String::new(),
        name: "x".into(),
        basis: SubstitutionBasis::Contents,
        items: vec![bottle.id, plain.id],
    };
    assert!(store.save_substitution_group(&bad).is_err());
}

#[test]
fn packing_kits_turns_components_into_kits_through_movements() {
    let dir = tempdir();
    let mut store = new_store(dir.path());
    let site = store
        .create_site(&aidmap::site::SiteInput::new("Depot", aidmap::vocab::SiteKind::Warehouse, 43.73, 7.42))
        .unwrap();
    let parcel = store.create_item(&ItemInput::new("Food parcel", Category::Food, "parcel", 9.0, 14.0)).unwrap();
    let rice = store.create_item(&ItemInput::new("Rice 1 kg", Category::Food, "bag", 1.0, 1.3)).unwrap();
    let cans = store.create_item(&ItemInput::new("Canned beans", Category::Food, "can", 0.4, 0.4)).unwrap();
    store
        .set_kit(
            &parcel.id,
            &[
                KitComponent { item_id: rice.id.clone(), quantity: 3.0 },
                KitComponent { item_id: cans.id.clone(), quantity: 6.0 },
            ],
        )
        .unwrap();
    let receive = |item: &str, q: f64| aidmap::stock::StockChange::Receive {
        site_id: site.id.clone(),
        item_id: item.into(),
        quantity: q,
        expiry: None,
        reason: "donation".into(),
    };
    store.change_stock(&receive(&rice.id, 10.0)).unwrap();
    store.change_stock(&receive(&cans.id, 30.0)).unwrap();
    let pack = |kits: f64| aidmap::stock::StockChange::PackKits {
        site_id: site.id.clone(),
        kit_id: parcel.id.clone(),
        kits,
        reason: "packing".into(),
    };
    assert!(store.change_stock(&pack(4.0)).is_err(), "4 kits need 12 rice, 10 on hand: refused whole");
    let moves = store.change_stock(&pack(3.0)).unwrap();
    assert_eq!(moves.len(), 3);
    let level = |i: &str| store.stock(&site.id).unwrap().iter().find(|r| r.item.id == i).map_or(0.0, |r| r.quantity);
    assert_eq!((level(&parcel.id), level(&rice.id), level(&cans.id)), (3.0, 1.0, 12.0));
}
