//! Volunteers with roles and shifts, vehicles with capacities and capabilities: filters by role
//! and by availability, the day view, and bad input.

use aidmap::error::Rule;
use aidmap::site::SiteInput;
use aidmap::vehicle::VehicleInput;
use aidmap::vocab::{Capability, Role, SiteKind, VehicleKind};
use aidmap::volunteer::{ShiftInput, VolunteerFilter, VolunteerInput};
use aidmap::Error;

use crate::util::*;

fn shift(starts_at: &str, ends_at: &str) -> ShiftInput {
    ShiftInput {
        starts_at: starts_at.into(),
        ends_at: ends_at.into(),
        vehicle_id: None,
        start_site_id: None,
        end_site_id: None,
    }
}

#[test]
fn volunteers_are_found_by_role_and_by_availability() {
    let dir = tempdir();
    let mut store = new_store(dir.path());
    let depot = store.create_site(&SiteInput::new("Depot", SiteKind::Warehouse, 43.74, 7.42)).unwrap();
    let ana = store.create_volunteer(&VolunteerInput::new("Ana Driver", &[Role::Driver, Role::Packer])).unwrap();
    let ben = store.create_volunteer(&VolunteerInput::new("Ben Intake", &[Role::Intake])).unwrap();
    let mut van = VehicleInput::new("Blue van", VehicleKind::Van, 800.0, 3000.0);
    van.owner_id = Some(ana.id.clone());
    van.capabilities = vec![Capability::Cooler, Capability::HighClearance, Capability::Cooler];
    let van = store.create_vehicle(&van).unwrap();
    assert_eq!(van.capabilities, [Capability::HighClearance, Capability::Cooler], "deduplicated");
    let mut s = shift("2026-11-26T08:00:00+01:00", "2026-11-26T14:00:00+01:00");
    s.vehicle_id = Some(van.id.clone());
    s.start_site_id = Some(depot.id.clone());
    let saved = store.add_shift(&ana.id, &s).unwrap();
    assert_eq!(saved.starts_at, "2026-11-26T07:00:00.000Z", "stored in UTC");
    store.add_shift(&ben.id, &shift("2026-11-27T09:00:00Z", "2026-11-27T12:00:00Z")).unwrap();

    let names = |store: &aidmap::Store, f: VolunteerFilter| -> Vec<String> {
        store.volunteers(&f).unwrap().into_iter().map(|v| v.name).collect()
    };
    assert_eq!(names(&store, VolunteerFilter::default()), ["Ana Driver", "Ben Intake"]);
    assert_eq!(names(&store, VolunteerFilter { role: Some(Role::Driver), ..Default::default() }), ["Ana Driver"]);
    let day = |d: &str| VolunteerFilter {
        available_from: Some(format!("{d}T00:00:00Z")),
        available_until: Some(format!("{d}T23:59:59Z")),
        ..Default::default()
    };
    assert_eq!(names(&store, day("2026-11-26")), ["Ana Driver"]);
    assert_eq!(names(&store, day("2026-11-27")), ["Ben Intake"]);
    assert!(names(&store, day("2026-11-28")).is_empty());

    let detail = store.volunteer(&ana.id).unwrap();
    assert_eq!((detail.vehicles.len(), detail.shifts.len()), (1, 1));
    let rows = store.shifts_between("2026-11-26T00:00:00Z", "2026-11-27T00:00:00Z").unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].volunteer_name, "Ana Driver");
    assert_eq!(rows[0].vehicle.as_ref().map(|v| v.name.as_str()), Some("Blue van"));

    // A volunteer made inactive leaves the list (unless asked) and the day view.
    let mut input = VolunteerInput::new("Ana Driver", &[Role::Driver]);
    input.active = false;
    store.update_volunteer(&ana.id, &input).unwrap();
    assert_eq!(names(&store, VolunteerFilter::default()), ["Ben Intake"]);
    assert_eq!(names(&store, VolunteerFilter { include_inactive: true, ..Default::default() }).len(), 2);
    assert!(store.shifts_between("2026-11-26T00:00:00Z", "2026-11-27T00:00:00Z").unwrap().is_empty());
    store.delete_shift(&saved.id).unwrap();
    let log = store
        .audit(&aidmap::audit::AuditFilter { entity: Some("volunteer".into()), ..Default::default() }, 10, 0)
        .unwrap();
    assert_eq!(log.items[0].detail, "roles, active", "field names only");
}

#[test]
fn bad_shifts_and_vehicles_are_refused() {
    let dir = tempdir();
    let mut store = new_store(dir.path());
    let v = store.create_volunteer(&VolunteerInput::new("Cy", &[Role::Driver])).unwrap();
    let refused = |e: Error, field: &str, rule: Rule| matches!(e, Error::Validation(f) if f.iter().any(|x| x.field == field && x.rule == rule));
    let backwards = store.add_shift(&v.id, &shift("2026-11-26T14:00:00Z", "2026-11-26T08:00:00Z")).unwrap_err();
    assert!(refused(backwards, "ends_at", Rule::OutOfRange));
    let garbled = store.add_shift(&v.id, &shift("tomorrow", "2026-11-26T08:00:00Z")).unwrap_err();
    assert!(refused(garbled, "starts_at", Rule::InvalidDate));
    let mut s = shift("2026-11-26T08:00:00Z", "2026-11-26T10:00:00Z");
    s.vehicle_id = Some("no such van".into());
    assert!(matches!(store.add_shift(&v.id, &s), Err(Error::NotFound("vehicle"))));
    assert!(matches!(
        store.add_shift("nobody", &shift("2026-11-26T08:00:00Z", "2026-11-26T10:00:00Z")),
        Err(Error::NotFound("volunteer"))
    ));
    let heavy = VehicleInput::new("Tank", VehicleKind::Truck, -5.0, 10.0);
    assert!(refused(store.create_vehicle(&heavy).unwrap_err(), "capacity_kg", Rule::OutOfRange));
    let mut half_home = VolunteerInput::new("Di", &[]);
    half_home.home_lat = Some(43.7);
    assert!(refused(store.create_volunteer(&half_home).unwrap_err(), "home_lat", Rule::Required));
    assert_eq!(rows(&store, "shift"), 0);
}

#[test]
fn shifts_are_edited_and_given_a_start_site_together() {
    let dir = tempdir();
    let mut store = new_store(dir.path());
    let depot = store.create_site(&SiteInput::new("Depot", SiteKind::Warehouse, 43.74, 7.42)).unwrap();
    let ana = store.create_volunteer(&VolunteerInput::new("Ana Driver", &[Role::Driver])).unwrap();
    let first = store.add_shift(&ana.id, &shift("2026-12-05T08:00:00Z", "2026-12-05T12:00:00Z")).unwrap();
    let second = store.add_shift(&ana.id, &shift("2026-12-06T08:00:00Z", "2026-12-06T12:00:00Z")).unwrap();

    // Edited in place: same id, new times, the volunteer kept.
    let mut later = shift("2026-12-05T09:00:00Z", "2026-12-05T13:00:00Z");
    later.end_site_id = Some(depot.id.clone());
    let edited = store.update_shift(&first.id, &later).unwrap();
    assert_eq!((edited.id.as_str(), edited.volunteer_id.as_str()), (first.id.as_str(), ana.id.as_str()));
    assert_eq!(edited.starts_at, "2026-12-05T09:00:00.000Z");
    assert_eq!(edited.end_site_id.as_deref(), Some(depot.id.as_str()));
    assert!(matches!(store.update_shift("nope", &later), Err(Error::NotFound("shift"))));
    let backwards = shift("2026-12-05T14:00:00Z", "2026-12-05T08:00:00Z");
    assert!(store.update_shift(&first.id, &backwards).is_err());
    assert_eq!(store.volunteer(&ana.id).unwrap().shifts[0].starts_at, "2026-12-05T09:00:00.000Z", "unchanged");

    // Both shifts get the depot as start site in one step, one audit entry naming them.
    let ids = vec![first.id.clone(), second.id.clone()];
    assert_eq!(store.set_shifts_start_site(&ids, &depot.id).unwrap(), 2);
    assert_eq!(store.set_shifts_start_site(&ids, &depot.id).unwrap(), 0, "already set: nothing changes");
    let shifts = store.volunteer(&ana.id).unwrap().shifts;
    assert!(shifts.iter().all(|s| s.start_site_id.as_deref() == Some(depot.id.as_str())));
    assert!(matches!(store.set_shifts_start_site(&ids, "no-site"), Err(Error::NotFound(_))));
    let log =
        store.audit(&aidmap::audit::AuditFilter { entity: Some("shift".into()), ..Default::default() }, 10, 0).unwrap();
    assert_eq!(log.items[0].detail, "start site of 2 shifts");
    assert_eq!(log.items[1].detail, "times, end site");
}
