//! The embedded demo operation: households on real Monaco street addresses (from the OSM extract)
//! with fictional names and phones and realistic needs. Deterministic for a seed and a date.

pub mod area;
mod names;
pub mod osm;
mod supplies;

use std::path::Path;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use geo::Contains;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rusqlite::Transaction;

use crate::clock::{timestamp, Stamp};
use crate::error::Result;
use crate::household::{self, Consent, HouseholdInput};
use crate::need::{self, NeedInput};
use crate::store::operation::NewOperation;
use crate::store::Store;
use crate::vocab::*;

#[derive(Debug, Clone)]
pub struct DemoOptions {
    pub households: u32,
    pub seed: u64,
    /// The demo's "today": needs are requested in the days before it.
    pub date: NaiveDate,
}

impl DemoOptions {
    pub fn new(date: NaiveDate) -> Self {
        DemoOptions { households: 300, seed: 7, date }
    }
}

/// Makes sure the demo operation at `operation` has its region pack, built from the same
/// embedded Monaco extract. The demo pack is the app's own: when it was made by an older
/// release (an older tile schema) or a newer one, it is remade, never migrated.
pub fn ensure_region_pack(operation: &Path, now: DateTime<Utc>) -> Result<()> {
    let pack = crate::region::pack_path_for(operation);
    let stale = crate::region::RegionPack::open(&pack).map(|p| p.info().tiles_schema < crate::region::tiles::SCHEMA);
    if matches!(stale, Ok(true) | Err(crate::Error::TooNew { .. })) {
        std::fs::remove_file(&pack)?;
    }
    if !pack.exists() {
        crate::region::build_from_bytes(osm::MONACO_PBF, "monaco.osm.pbf", &pack, now, &mut |_, _| true)?;
    }
    Ok(())
}

/// Writes a new demo operation file at `path` (refuses to replace an existing file).
pub fn write(path: &Path, opts: &DemoOptions, installation_id: &str) -> Result<Store> {
    let op = NewOperation {
        name: "Demo — Monaco flood response".to_string(),
        is_demo: true,
        demo_date: Some(opts.date.format("%Y-%m-%d").to_string()),
    };
    let now = morning(opts.date);
    Store::create_with(path, &op, installation_id, now, None, |tx, stamp| populate(tx, stamp, opts))
}

fn morning(date: NaiveDate) -> DateTime<Utc> {
    Utc.from_utc_datetime(&date.and_hms_opt(8, 0, 0).expect("valid time"))
}

/// A UUIDv7 from the seeded generator, time-ordered by `at`.
fn seeded_id(rng: &mut ChaCha8Rng, at: DateTime<Utc>) -> String {
    let random: [u8; 10] = rng.gen();
    uuid::Builder::from_unix_timestamp_millis(at.timestamp_millis() as u64, &random).into_uuid().to_string()
}

fn weighted<T: Copy>(rng: &mut ChaCha8Rng, items: &[(T, u32)]) -> T {
    let total: u32 = items.iter().map(|i| i.1).sum();
    let mut pick = rng.gen_range(0..total);
    for &(item, w) in items {
        if pick < w {
            return item;
        }
        pick -= w;
    }
    items[0].0
}

fn populate(conn: &Transaction<'_>, stamp: &Stamp, opts: &DemoOptions) -> Result<()> {
    let extract = osm::monaco()?;
    let mut rng = ChaCha8Rng::seed_from_u64(opts.seed);
    // The extract reaches into France; the demo stays inside the Monaco boundary.
    let boundary = osm::monaco_boundary();
    let along_streets = osm::street_places(extract, &boundary, 35.0);
    let mut addresses: Vec<&osm::Address> = extract
        .addresses
        .iter()
        .filter(|a| boundary.contains(&geo::Point::new(a.lon, a.lat)))
        .chain(&along_streets)
        .collect();
    if addresses.is_empty() {
        return Err(crate::error::Error::Internal("the embedded extract has no addresses".into()));
    }
    addresses.shuffle(&mut rng);
    let start = morning(opts.date);
    for i in 0..opts.households {
        // Monaco is mostly apartment buildings: past the first pass, addresses take several units.
        let address = addresses[i as usize % addresses.len()];
        let unit = i as usize / addresses.len();
        let mut input = household_input(&mut rng, address, unit, opts.date);
        if !boundary.contains(&geo::Point::new(input.lon, input.lat)) {
            // The few metres of jitter must not carry a household across the border.
            (input.lat, input.lon) = (address.lat, address.lon);
        }
        let id = seeded_id(&mut rng, start + Duration::milliseconds(i as i64));
        household::insert_with_id(conn, stamp, &id, &input)?;
        let cold_chain = input.vulnerabilities.contains(&Vulnerability::ColdChain);
        let n_needs = weighted(&mut rng, &[(0u32, 8), (1, 45), (2, 32), (3, 15)]);
        for k in 0..n_needs {
            let (input, status) = need_input(&mut rng, opts.date, cold_chain && k == 0);
            let need_id = seeded_id(&mut rng, start + Duration::milliseconds(i as i64));
            need::insert_with_id(conn, stamp, &need_id, &id, &input)?;
            if status != NeedStatus::Open {
                need::set_status(conn, stamp, &need_id, status)?;
            }
        }
    }
    let (sites, volunteers) = supplies::populate(conn, stamp, &mut rng, opts.date)?;
    // Its own random stream, so the households, sites and volunteers above stay as they were.
    let mut rules_rng = ChaCha8Rng::seed_from_u64(opts.seed ^ 0x5EED_CA7A);
    supplies::catalogue_rules(conn, stamp, &mut rules_rng, opts.date)?;
    let detail = format!(
        "demo operation generated: {} fictional households, {sites} supply sites, {volunteers} volunteers",
        opts.households
    );
    crate::store::record_change(conn, stamp, crate::audit::AuditAction::Create, "operation", &[], &detail)?;
    Ok(())
}

fn household_input(rng: &mut ChaCha8Rng, a: &osm::Address, unit: usize, date: NaiveDate) -> HouseholdInput {
    let given = names::GIVEN.choose(rng).copied().unwrap_or("Ana");
    let family = names::FAMILY.choose(rng).copied().unwrap_or("Applewood");
    let mut address =
        if a.housenumber.is_empty() { a.street.clone() } else { format!("{} {}", a.housenumber, a.street) };
    if unit > 0 {
        address = format!("{address}, apt {}{}", 1 + unit % 9, (b'A' + (unit / 9 % 6) as u8) as char);
    }
    // ~3 m of jitter so units of one building do not sit exactly on top of each other.
    let lat = a.lat + rng.gen_range(-0.00003..0.00003);
    let lon = a.lon + rng.gen_range(-0.00004..0.00004);
    let mut vulnerabilities = Vec::new();
    for (v, pct) in [
        (Vulnerability::ColdChain, 6),
        (Vulnerability::Oxygen, 3),
        (Vulnerability::Dialysis, 1),
        (Vulnerability::MobilityLimited, 10),
        (Vulnerability::Infant, 8),
        (Vulnerability::Pregnant, 3),
        (Vulnerability::Pets, 20),
        (Vulnerability::NoVehicle, 25),
        (Vulnerability::LivesAlone, 12),
    ] {
        if rng.gen_range(0..100) < pct {
            vulnerabilities.push(v);
        }
    }
    let mut languages = vec![weighted(rng, names::LANGUAGES).to_string()];
    if rng.gen_bool(0.2) {
        let second = weighted(rng, names::LANGUAGES).to_string();
        if second != languages[0] {
            languages.push(second);
        }
    }
    let consent_given = rng.gen_bool(0.85);
    let consent_date = date - Duration::days(rng.gen_range(0..4));
    HouseholdInput {
        name: format!("{given} {family}"),
        phones: vec![format!(
            "+377 555 {:02} {:02} {:02}",
            rng.gen_range(0..100),
            rng.gen_range(0..100),
            rng.gen_range(0..100)
        )],
        address,
        lat,
        lon,
        location_source: LocationSource::Imported,
        adults: rng.gen_range(1..=3),
        children: weighted(rng, &[(0, 55), (1, 20), (2, 15), (3, 10)]),
        seniors: weighted(rng, &[(0, 60), (1, 30), (2, 10)]),
        vulnerabilities,
        languages,
        access_notes: if rng.gen_bool(0.3) {
            names::ACCESS_NOTES.choose(rng).copied().unwrap_or_default().to_string()
        } else {
            String::new()
        },
        consent: if consent_given {
            Consent {
                status: ConsentStatus::Given,
                date: Some(consent_date.format("%Y-%m-%d").to_string()),
                scope: "deliveries and driver contact".into(),
                basis: Some(LegalBasis::Consent),
            }
        } else {
            Consent {
                status: ConsentStatus::Refused,
                date: Some(consent_date.format("%Y-%m-%d").to_string()),
                scope: String::new(),
                basis: Some(LegalBasis::VitalInterest),
            }
        },
        status: if rng.gen_bool(0.03) { HouseholdStatus::Closed } else { HouseholdStatus::Active },
        notes: String::new(),
        notes_for_driver: false,
        landmark: String::new(),
    }
}

fn need_input(rng: &mut ChaCha8Rng, date: NaiveDate, cold_chain: bool) -> (NeedInput, NeedStatus) {
    let category = if cold_chain {
        Category::Medicine
    } else {
        weighted(
            rng,
            &[
                (Category::Water, 30),
                (Category::Food, 28),
                (Category::Hygiene, 10),
                (Category::BabySupplies, 6),
                (Category::Medicine, 6),
                (Category::Cleaning, 8),
                (Category::Shelter, 5),
                (Category::Fuel, 3),
                (Category::Other, 4),
            ],
        )
    };
    let (quantity, unit, note) = match category {
        Category::Water => (6.0 * rng.gen_range(1..=4) as f64, "L", ""),
        Category::Food => (rng.gen_range(1..=3) as f64, "parcel", ""),
        Category::Hygiene => (1.0, "kit", ""),
        Category::BabySupplies => (rng.gen_range(1..=2) as f64, "pack", "Diapers size 3 and formula"),
        Category::Medicine if cold_chain => (1.0, "pack", "Insulin — keep cold"),
        Category::Medicine => (1.0, "box", "Prescription refill"),
        Category::Cleaning => (1.0, "kit", "Mud clean-up"),
        Category::Shelter => (rng.gen_range(1..=2) as f64, "tarp", "Roof leaking"),
        Category::Fuel => (10.0, "L", "Generator"),
        Category::Other => (1.0, "item", "Phone charger"),
    };
    let urgency = if cold_chain {
        Urgency::Critical
    } else {
        weighted(rng, &[(Urgency::Critical, 6), (Urgency::High, 22), (Urgency::Normal, 52), (Urgency::Low, 20)])
    };
    let requested = morning(date) - Duration::minutes(rng.gen_range(30..(3 * 24 * 60)));
    let wanted_by =
        rng.gen_bool(0.3).then(|| (date + Duration::days(rng.gen_range(0..3))).format("%Y-%m-%d").to_string());
    let status = weighted(
        rng,
        &[(NeedStatus::Open, 78), (NeedStatus::Assigned, 8), (NeedStatus::Delivered, 10), (NeedStatus::Cancelled, 4)],
    );
    let input = NeedInput {
        category,
        item_id: None,
        quantity,
        unit: unit.into(),
        urgency,
        requested_at: Some(timestamp(requested)),
        wanted_by,
        notes: note.into(),
        notes_for_driver: false,
    };
    (input, status)
}
