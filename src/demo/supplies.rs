//! The demo's supplies and people: an item catalogue with weights and volumes, four sites in
//! Monaco stocked for every need category (some items short or low, so shortages show), and 25
//! volunteers — 15 drivers with varied vehicles — with shifts on the three days after the
//! demo's date. Deterministic for the seed, like the households.

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rusqlite::Transaction;

use super::{names, seeded_id};
use crate::clock::Stamp;
use crate::error::Result;
use crate::item::ItemInput;
use crate::site::SiteInput;
use crate::stock::StockChange;
use crate::vehicle::VehicleInput;
use crate::vocab::*;
use crate::volunteer::{ShiftInput, VolunteerInput};

/// (name, category, unit, kg, litres, cold chain, low threshold, stock per site range)
type ItemSpec = (&'static str, Category, &'static str, f64, f64, bool, f64, (u32, u32));

const ITEMS: &[ItemSpec] = &[
    ("Water 1.5 L", Category::Water, "bottle", 1.55, 1.6, false, 60.0, (10, 70)),
    ("Water jerrycan 10 L", Category::Water, "jerrycan", 10.4, 11.0, false, 10.0, (2, 12)),
    ("Food parcel (family, 3 days)", Category::Food, "parcel", 9.0, 14.0, false, 10.0, (8, 40)),
    ("Rice 1 kg", Category::Food, "bag", 1.0, 1.3, false, 20.0, (20, 90)),
    ("Canned vegetables", Category::Food, "can", 0.45, 0.4, false, 30.0, (30, 120)),
    ("Infant formula 800 g", Category::BabySupplies, "tin", 0.9, 1.6, false, 8.0, (0, 9)),
    ("Nappies (pack of 40)", Category::BabySupplies, "pack", 1.3, 6.0, false, 6.0, (0, 8)),
    ("Insulin cooler pack", Category::Medicine, "pack", 0.4, 1.2, true, 4.0, (0, 6)),
    ("First-aid kit", Category::Medicine, "kit", 0.8, 2.5, false, 3.0, (2, 10)),
    ("Hygiene kit", Category::Hygiene, "kit", 1.2, 3.0, false, 10.0, (5, 30)),
    ("Cleaning kit (bucket, bleach, gloves)", Category::Cleaning, "kit", 3.5, 15.0, false, 5.0, (3, 18)),
    ("Fuel can 10 L", Category::Fuel, "can", 9.2, 11.5, false, 4.0, (0, 6)),
    ("Tarpaulin 4×6 m", Category::Shelter, "tarp", 2.8, 6.0, false, 5.0, (2, 14)),
    ("Blanket", Category::Shelter, "blanket", 1.5, 8.0, false, 10.0, (6, 30)),
];

/// (name, kind, lat, lon, address, weekday hours, weekend hours)
const SITES: &[(&str, SiteKind, f64, f64, &str, &str, Option<&str>)] = &[
    (
        "Port Hercule warehouse",
        SiteKind::Warehouse,
        43.7352,
        7.4237,
        "Quai Antoine Ier",
        "07:00-19:00",
        Some("08:00-14:00"),
    ),
    (
        "Fontvieille distribution point",
        SiteKind::DistributionPoint,
        43.7302,
        7.4169,
        "Rue de l'Industrie",
        "09:00-18:00",
        Some("09:00-13:00"),
    ),
    (
        "Monte-Carlo community fridge",
        SiteKind::CommunityFridge,
        43.7407,
        7.4268,
        "Boulevard des Moulins",
        "08:00-20:00",
        Some("08:00-20:00"),
    ),
    (
        "Larvotto donation drop-off",
        SiteKind::DonationDropoff,
        43.7462,
        7.4335,
        "Avenue Princesse Grace",
        "10:00-17:00",
        None,
    ),
];

/// Vehicle kinds of the 15 drivers (the first ones own them), with capacities and capabilities.
const FLEET: &[(VehicleKind, f64, f64, u32, &[Capability])] = &[
    (VehicleKind::Car, 300.0, 450.0, 4, &[]),
    (VehicleKind::Car, 280.0, 400.0, 4, &[Capability::Cooler]),
    (VehicleKind::Van, 900.0, 3500.0, 2, &[]),
    (VehicleKind::Van, 800.0, 3000.0, 3, &[Capability::Cooler]),
    (VehicleKind::Pickup, 650.0, 1300.0, 4, &[Capability::HighClearance]),
    (VehicleKind::Pickup, 700.0, 1400.0, 2, &[Capability::HighClearance, Capability::Trailer]),
    (VehicleKind::CargoBike, 90.0, 250.0, 1, &[]),
    (VehicleKind::Car, 320.0, 500.0, 5, &[Capability::WheelchairLift]),
    (VehicleKind::Motorbike, 25.0, 60.0, 1, &[]),
    (VehicleKind::Car, 300.0, 420.0, 4, &[]),
    (VehicleKind::Van, 1000.0, 4000.0, 3, &[Capability::HighClearance]),
    (VehicleKind::Car, 260.0, 380.0, 4, &[Capability::Cooler]),
    (VehicleKind::Truck, 3000.0, 16000.0, 2, &[Capability::HighClearance, Capability::Trailer]),
];

/// Returns how many sites and volunteers it wrote.
pub fn populate(
    conn: &Transaction<'_>,
    stamp: &Stamp,
    rng: &mut ChaCha8Rng,
    date: NaiveDate,
) -> Result<(usize, usize)> {
    let at = Utc.from_utc_datetime(&date.and_hms_opt(7, 0, 0).expect("valid time"));
    let next_id = |rng: &mut ChaCha8Rng| seeded_id(rng, at);
    let mut items = Vec::new();
    for &(name, category, unit, kg, l, cold, low, range) in ITEMS {
        let mut input = ItemInput::new(name, category, unit, kg, l);
        input.cold_chain = cold;
        input.low_threshold = Some(low);
        items.push((crate::item::insert_with_id(conn, stamp, &next_id(rng), &input)?, range));
    }
    let mut sites = Vec::new();
    for &(name, kind, lat, lon, address, weekdays, weekend) in SITES {
        let mut input = SiteInput::new(name, kind, lat, lon);
        input.address = address.into();
        input.contact =
            format!("+377 555 {:02} {:02} {:02}", rng.gen_range(10..99), rng.gen_range(10..99), rng.gen_range(10..99));
        input.hours = (0..7).map(|d| if d < 5 { Some(weekdays.into()) } else { weekend.map(String::from) }).collect();
        sites.push(crate::site::insert_with_id(conn, stamp, &next_id(rng), &input)?);
    }
    // Every site gets most items; the warehouse gets the most. Ranges are set so that water,
    // baby supplies, medicine and fuel run short against the demo's open needs.
    for (k, site) in sites.iter().enumerate() {
        for (item, (lo, hi)) in &items {
            if k > 0 && rng.gen_bool(0.3) {
                continue;
            }
            let scale = if k == 0 { 2 } else { 1 };
            let quantity = rng.gen_range(*lo..=*hi) * scale;
            if quantity == 0 {
                continue;
            }
            let expiry = matches!(item.category, Category::Food | Category::Medicine | Category::BabySupplies)
                .then(|| (date + Duration::days(rng.gen_range(20..400))).format("%Y-%m-%d").to_string());
            let change = StockChange::Receive {
                site_id: site.id.clone(),
                item_id: item.id.clone(),
                quantity: quantity as f64,
                expiry,
                reason: "donation".into(),
            };
            crate::stock::apply_with_ids(conn, stamp, &change, &mut || next_id(rng))?;
        }
    }
    // 25 volunteers: 15 drivers (some also pack), 4 packers, 3 dispatchers, 3 intake.
    let mut vehicles = Vec::new();
    for i in 0..25 {
        let roles: Vec<Role> = match i {
            0..=9 => vec![Role::Driver],
            10..=14 => vec![Role::Driver, Role::Packer],
            15..=18 => vec![Role::Packer],
            19..=21 => vec![Role::Dispatcher],
            _ => vec![Role::Intake],
        };
        let name = format!(
            "{} {}",
            names::GIVEN.choose(rng).copied().unwrap_or("Ana"),
            names::FAMILY.choose(rng).copied().unwrap_or("Applewood")
        );
        let mut input = VolunteerInput::new(&name, &roles);
        input.phone =
            format!("+377 555 {:02} {:02} {:02}", rng.gen_range(10..99), rng.gen_range(10..99), rng.gen_range(10..99));
        input.languages = if rng.gen_bool(0.6) { vec!["fr".into()] } else { vec!["fr".into(), "en".into()] };
        if roles.contains(&Role::Driver) {
            let home = &sites[rng.gen_range(0..sites.len())];
            input.home_lat = Some(home.lat + rng.gen_range(-0.004..0.004));
            input.home_lon = Some(home.lon + rng.gen_range(-0.004..0.004));
        }
        let volunteer = crate::volunteer::insert_with_id(conn, stamp, &next_id(rng), &input)?;
        if roles.contains(&Role::Driver) {
            let vehicle = match FLEET.get(i) {
                Some(&(kind, kg, l, seats, caps)) => {
                    let mut v = VehicleInput::new(
                        &format!("{}'s {}", name.split(' ').next().unwrap_or("A"), kind.key().replace('_', " ")),
                        kind,
                        kg,
                        l,
                    );
                    v.owner_id = Some(volunteer.id.clone());
                    v.seats = seats;
                    v.capabilities = caps.to_vec();
                    Some(crate::vehicle::insert_with_id(conn, stamp, &next_id(rng), &v)?)
                }
                None => None, // the last two drive the hub's vehicles
            };
            vehicles.push((volunteer, vehicle));
        }
    }
    let mut hub_van = VehicleInput::new("Hub van (refrigerated)", VehicleKind::Van, 750.0, 2800.0);
    hub_van.capabilities = vec![Capability::Cooler];
    let hub_van = crate::vehicle::insert_with_id(conn, stamp, &next_id(rng), &hub_van)?;
    let mut hub_truck = VehicleInput::new("Hub truck", VehicleKind::Truck, 2500.0, 14000.0);
    hub_truck.capabilities = vec![Capability::HighClearance];
    let hub_truck = crate::vehicle::insert_with_id(conn, stamp, &next_id(rng), &hub_truck)?;
    // Shifts on the three days after the demo's date: mornings 08-13 and afternoons 13-18,
    // Monaco time (UTC+1 in winter), starting and ending at a site.
    for (k, (volunteer, own)) in vehicles.iter().enumerate() {
        let vehicle = own.clone().unwrap_or_else(|| if k % 2 == 0 { hub_van.clone() } else { hub_truck.clone() });
        for day in 1..=3 {
            if !rng.gen_bool(0.7) {
                continue;
            }
            let (start, end) = if rng.gen_bool(0.5) { (7, 12) } else { (12, 17) };
            let d = date + Duration::days(day);
            let time = |h: u32| Utc.from_utc_datetime(&d.and_hms_opt(h, 0, 0).expect("valid time")).to_rfc3339();
            let site = &sites[rng.gen_range(0..sites.len())];
            let shift = ShiftInput {
                starts_at: time(start),
                ends_at: time(end),
                vehicle_id: Some(vehicle.id.clone()),
                start_site_id: Some(site.id.clone()),
                end_site_id: Some(site.id.clone()),
            };
            crate::volunteer::add_shift_with_id(conn, stamp, &next_id(rng), &volunteer.id, &shift)?;
        }
    }
    Ok((sites.len(), 25))
}

/// The demo catalogue's rules (schema 9): contents of the measured items, medical items, a
/// prescription bag and pasta with their stock, category defaults (none for medicine),
/// substitution groups (water by litres, rice for pasta), the food parcel as a kit, and the
/// demo's medicine needs naming their item. Other needs name only their category, as intake
/// often hears them; "other" needs (a phone charger) wait for an item in the "to match" queue.
pub fn catalogue_rules(conn: &Transaction<'_>, stamp: &Stamp, rng: &mut ChaCha8Rng, date: NaiveDate) -> Result<()> {
    use crate::catalogue::{SubstitutionBasis, SubstitutionGroup};
    let at = Utc.from_utc_datetime(&date.and_hms_opt(7, 30, 0).expect("valid time"));
    let id_of = |name: &str| -> Result<String> {
        Ok(conn.query_row("SELECT id FROM item WHERE name = ?1", [name], |r| r.get(0))?)
    };
    let contents: &[(&str, f64, &str, bool)] = &[
        ("Water 1.5 L", 1.5, "L", false),
        ("Water jerrycan 10 L", 10.0, "L", false),
        ("Rice 1 kg", 1.0, "kg", false),
        ("Fuel can 10 L", 10.0, "L", false),
        ("Nappies (pack of 40)", 40.0, "nappies", false),
        ("Infant formula 800 g", 0.8, "kg", false),
        ("Insulin cooler pack", 0.0, "", true),
        ("First-aid kit", 0.0, "", false),
    ];
    for &(name, amount, unit, medical) in contents {
        conn.execute(
            "UPDATE item SET contents_amount = ?2, contents_unit = ?3, medical = ?4 WHERE name = ?1",
            rusqlite::params![name, (amount > 0.0).then_some(amount), unit, medical],
        )?;
    }
    conn.execute(
        "UPDATE item SET contents_unit = 'family of 4, 3 days' WHERE name = 'Food parcel (family, 3 days)'",
        [],
    )?;
    let new_items = [
        ItemInput { medical: true, ..ItemInput::new("Prescription medicine bag", Category::Medicine, "box", 0.3, 1.0) },
        ItemInput::new("Pasta 1 kg", Category::Food, "bag", 1.0, 1.8).with_contents(Some(1.0), "kg"),
    ];
    let sites: Vec<String> = crate::query::all(conn, "SELECT id FROM site ORDER BY name", [], |r| r.get(0))?;
    for input in &new_items {
        let item = crate::item::insert_with_id(conn, stamp, &seeded_id(rng, at), input)?;
        for site in &sites {
            let quantity = rng.gen_range(0..=12) as f64;
            if quantity == 0.0 {
                continue;
            }
            let change = StockChange::Receive {
                site_id: site.clone(),
                item_id: item.id.clone(),
                quantity,
                expiry: Some((date + Duration::days(rng.gen_range(30..300))).format("%Y-%m-%d").to_string()),
                reason: "donation".into(),
            };
            crate::stock::apply_with_ids(conn, stamp, &change, &mut || seeded_id(rng, at))?;
        }
    }
    let defaults: &[(Category, &str)] = &[
        (Category::Water, "Water 1.5 L"),
        (Category::Food, "Food parcel (family, 3 days)"),
        (Category::BabySupplies, "Nappies (pack of 40)"),
        (Category::Hygiene, "Hygiene kit"),
        (Category::Cleaning, "Cleaning kit (bucket, bleach, gloves)"),
        (Category::Fuel, "Fuel can 10 L"),
        (Category::Shelter, "Tarpaulin 4×6 m"),
    ];
    for &(category, name) in defaults {
        conn.execute(
            "INSERT INTO category_default (category, item_id, updated_at, updated_by) VALUES (?1, ?2, ?3, ?4)",
            rusqlite::params![category, id_of(name)?, stamp.now, stamp.by],
        )?;
    }
    let groups = [
        ("Water by litres", SubstitutionBasis::Contents, ["Water 1.5 L", "Water jerrycan 10 L"]),
        ("Rice or pasta", SubstitutionBasis::Unit, ["Rice 1 kg", "Pasta 1 kg"]),
    ];
    for (name, basis, items) in groups {
        let group = SubstitutionGroup {
            id: seeded_id(rng, at),
            name: name.into(),
            basis,
            items: items.iter().map(|i| id_of(i)).collect::<Result<_>>()?,
        };
        conn.execute(
            "INSERT INTO substitution_group (id, name, basis, created_at, updated_at, updated_by) VALUES (?1, ?2, ?3, ?4, ?4, ?5)",
            rusqlite::params![group.id, group.name, basis.key(), stamp.now, stamp.by],
        )?;
        for (pos, item) in group.items.iter().enumerate() {
            conn.execute(
                "INSERT INTO substitution_member (group_id, item_id, position) VALUES (?1, ?2, ?3)",
                rusqlite::params![group.id, item, pos as i64],
            )?;
        }
    }
    let parcel = id_of("Food parcel (family, 3 days)")?;
    let parts = [("Rice 1 kg", 3.0), ("Pasta 1 kg", 2.0), ("Canned vegetables", 6.0)];
    for (name, quantity) in parts {
        conn.execute(
            "INSERT INTO kit_component (kit_id, component_id, quantity) VALUES (?1, ?2, ?3)",
            rusqlite::params![parcel, id_of(name)?, quantity],
        )?;
    }
    // Medicine needs name their item: insulin for the cold-chain ones, else a prescription bag.
    conn.execute(
        "UPDATE need SET item_id = ?1 WHERE category = 'medicine' AND notes LIKE 'Insulin%'",
        [id_of("Insulin cooler pack")?],
    )?;
    conn.execute(
        "UPDATE need SET item_id = ?1 WHERE category = 'medicine' AND item_id IS NULL",
        [id_of("Prescription medicine bag")?],
    )?;
    Ok(())
}
