//! Sites, the item catalogue and stock: levels are always the sum of recorded movements, stock
//! never goes negative except by an explicit count, history cannot be rewritten; and what is
//! short against open needs.

use aidmap::error::Rule;
use aidmap::item::ItemInput;
use aidmap::need::NeedInput;
use aidmap::site::SiteInput;
use aidmap::stock::StockChange;
use aidmap::vocab::{Category, MovementKind, SiteKind, Urgency};
use aidmap::{Error, Store};

use crate::util::*;

fn setup(store: &mut Store) -> (String, String, String) {
    let a = store.create_site(&SiteInput::new("Depot North", SiteKind::Warehouse, 43.74, 7.42)).unwrap();
    let b = store.create_site(&SiteInput::new("Fridge Port", SiteKind::CommunityFridge, 43.73, 7.42)).unwrap();
    let mut water = ItemInput::new("Water 1.5 L", Category::Water, "bottle", 1.55, 1.5);
    water.low_threshold = Some(5.0);
    let water = store.create_item(&water).unwrap();
    (a.id, b.id, water.id)
}

fn receive(site: &str, item: &str, quantity: f64) -> StockChange {
    StockChange::Receive {
        site_id: site.into(),
        item_id: item.into(),
        quantity,
        expiry: None,
        reason: "donation".into(),
    }
}

fn refused_for(err: Error, field: &str, rule: Rule) -> bool {
    matches!(err, Error::Validation(f) if f.iter().any(|e| e.field == field && e.rule == rule))
}

#[test]
fn levels_are_the_sum_of_movements_and_never_go_negative_without_a_count() {
    let dir = tempdir();
    let mut store = new_store(dir.path());
    let (a, b, water) = setup(&mut store);
    store.change_stock(&receive(&a, &water, 10.0)).unwrap();
    store
        .change_stock(&StockChange::Issue {
            site_id: a.clone(),
            item_id: water.clone(),
            quantity: 3.0,
            reason: "run 1".into(),
        })
        .unwrap();
    let legs = store
        .change_stock(&StockChange::Transfer {
            from_site_id: a.clone(),
            to_site_id: b.clone(),
            item_id: water.clone(),
            quantity: 4.0,
            reason: "fridge restock".into(),
        })
        .unwrap();
    assert_eq!(legs.len(), 2);
    assert_eq!(legs[0].transfer_id, legs[1].transfer_id);
    assert_eq!((legs[0].quantity, legs[1].quantity), (-4.0, 4.0));

    // More than the site holds: refused, nothing recorded.
    let before = rows(&store, "stock_movement");
    let too_much =
        StockChange::Issue { site_id: a.clone(), item_id: water.clone(), quantity: 3.5, reason: String::new() };
    assert!(refused_for(store.change_stock(&too_much).unwrap_err(), "quantity", Rule::OutOfRange));
    let move_too_much = StockChange::Transfer {
        from_site_id: b.clone(),
        to_site_id: a.clone(),
        item_id: water.clone(),
        quantity: 4.5,
        reason: String::new(),
    };
    assert!(refused_for(store.change_stock(&move_too_much).unwrap_err(), "quantity", Rule::OutOfRange));
    assert_eq!(rows(&store, "stock_movement"), before);

    // A stock-take finds 2 at A (3 recorded): the movement is the difference.
    let count =
        StockChange::Count { site_id: a.clone(), item_id: water.clone(), counted: 2.0, reason: "one broken".into() };
    let counted = store.change_stock(&count).unwrap();
    assert_eq!((counted[0].kind, counted[0].quantity, counted[0].counted), (MovementKind::Counted, -1.0, Some(2.0)));

    for (site, expected) in [(&a, 2.0), (&b, 4.0)] {
        let level = store.stock(site).unwrap()[0].quantity;
        assert_eq!(level, expected);
        assert_eq!(aidmap::stock::sum_of_movements(store.conn(), site, &water).unwrap(), level);
    }
    assert!(store.stock(&a).unwrap()[0].low, "2 is below the threshold of 5");
    assert!(store.stock(&b).unwrap()[0].low);
    let pins = store.site_pins().unwrap();
    assert!(pins.iter().all(|p| p.items == 1 && p.low == 1), "{pins:?}");

    // History, newest first, with who recorded it.
    let history = store.stock_history(&a, 10).unwrap();
    let kinds: Vec<_> = history.iter().map(|m| m.kind).collect();
    assert_eq!(kinds, [MovementKind::Counted, MovementKind::TransferOut, MovementKind::Issued, MovementKind::Received]);
    assert_eq!(history[0].reason, "one broken");
}

#[test]
fn stock_history_cannot_be_rewritten_and_bad_changes_are_refused() {
    let dir = tempdir();
    let mut store = new_store(dir.path());
    let (a, b, water) = setup(&mut store);
    store.change_stock(&receive(&a, &water, 10.0)).unwrap();
    assert!(store.conn().execute("UPDATE stock_movement SET quantity = 100", []).is_err());
    assert!(store.conn().execute("DELETE FROM stock_movement", []).is_err());
    assert_eq!(store.stock(&a).unwrap()[0].quantity, 10.0);

    for (change, field, rule) in [
        (receive(&a, &water, 0.0), "quantity", Rule::MustBePositive),
        (receive(&a, &water, -2.0), "quantity", Rule::MustBePositive),
        (receive(&a, &water, f64::NAN), "quantity", Rule::NotANumber),
        (
            StockChange::Receive {
                site_id: a.clone(),
                item_id: water.clone(),
                quantity: 1.0,
                expiry: Some("31/12/2026".into()),
                reason: String::new(),
            },
            "expiry",
            Rule::InvalidDate,
        ),
        (
            StockChange::Transfer {
                from_site_id: b.clone(),
                to_site_id: b.clone(),
                item_id: water.clone(),
                quantity: 1.0,
                reason: String::new(),
            },
            "to_site_id",
            Rule::NotAllowed,
        ),
        (
            StockChange::Count { site_id: a.clone(), item_id: water.clone(), counted: -1.0, reason: String::new() },
            "counted",
            Rule::OutOfRange,
        ),
    ] {
        assert!(refused_for(store.change_stock(&change).unwrap_err(), field, rule), "{change:?}");
    }
    assert!(matches!(store.change_stock(&receive("nope", &water, 1.0)), Err(Error::NotFound("site"))));
    assert!(matches!(store.change_stock(&receive(&a, "nope", 1.0)), Err(Error::NotFound("item"))));
    // Every recorded change is in the audit log, with quantities but no names.
    let log =
        store.audit(&aidmap::audit::AuditFilter { entity: Some("stock".into()), ..Default::default() }, 10, 0).unwrap();
    assert_eq!(log.total, 1);
    assert_eq!(log.items[0].detail, "received 10");
}

#[test]
fn sites_check_their_hours_and_items_their_names() {
    let dir = tempdir();
    let mut store = new_store(dir.path());
    let mut site = SiteInput::new("Shelter", SiteKind::Shelter, 43.7, 7.4);
    site.hours = vec![Some("09:00-17:00".into()), None, None, None, None, Some("10:00 - 12:00".into()), None];
    let saved = store.create_site(&site).unwrap();
    assert_eq!(saved.hours[5].as_deref(), Some("10:00-12:00"));
    site.hours[1] = Some("17:00-09:00".into());
    assert!(refused_for(store.update_site(&saved.id, &site).unwrap_err(), "hours", Rule::Unknown));
    site.hours = vec![None; 6];
    assert!(refused_for(store.create_site(&site).unwrap_err(), "hours", Rule::Unknown));

    store.create_item(&ItemInput::new("Rice 1 kg", Category::Food, "bag", 1.0, 1.2)).unwrap();
    let again = store.create_item(&ItemInput::new("rice 1 KG", Category::Food, "bag", 1.0, 1.2)).unwrap_err();
    assert!(refused_for(again, "name", Rule::NotAllowed), "names are unique, whatever the case");
}

#[test]
fn what_is_short_compares_open_needs_with_stock_on_hand() {
    let dir = tempdir();
    let mut store = new_store(dir.path());
    let (a, _, water) = setup(&mut store);
    store.change_stock(&receive(&a, &water, 6.0)).unwrap();
    let rice = store.create_item(&ItemInput::new("Rice 1 kg", Category::Food, "bag", 1.0, 1.2)).unwrap();
    store.change_stock(&receive(&a, &rice.id, 50.0)).unwrap();
    let h = store.create_household(&alice()).unwrap();
    store.add_need(&h.id, &NeedInput::new(Category::Water, 12.0, "bottles", Urgency::High)).unwrap();
    store.add_need(&h.id, &NeedInput::new(Category::Food, 5.0, "kg", Urgency::Normal)).unwrap();
    store.add_need(&h.id, &NeedInput::new(Category::Medicine, 1.0, "box", Urgency::Critical)).unwrap();
    let short = store.shortages().unwrap();
    let get = |c: Category| short.iter().find(|s| s.category == c).unwrap().clone();
    // Water names no item and has no default: it waits, and counts in no item's total.
    assert_eq!((get(Category::Water).waiting, get(Category::Water).items.len()), (1, 0));
    store.set_category_default(Category::Water, Some(&water)).unwrap();
    store.set_category_default(Category::Food, Some(&rice.id)).unwrap();
    let short = store.shortages().unwrap();
    let get = |c: Category| short.iter().find(|s| s.category == c).unwrap().clone();
    let w = get(Category::Water);
    assert_eq!((w.items[0].requested, w.items[0].on_hand, w.short, w.waiting), (12.0, 6.0, true, 0));
    // 5 kg of food is not 5 bags of rice unless the rice says it holds 1 kg: it waits.
    assert_eq!((get(Category::Food).waiting, get(Category::Food).short), (1, false));
    let medicine = get(Category::Medicine);
    assert_eq!((medicine.open_needs, medicine.households, medicine.waiting, medicine.short), (1, 1, 1, false));
    assert!(short.iter().all(|s| s.category != Category::Fuel), "categories with neither are left out");
}
