//! Retention settings and the purge: personal fields go, anonymous counts stay, the audit says so.

use aidmap::household::HouseholdInput;
use aidmap::need::NeedInput;
use aidmap::settings::{OperationSettings, Retention};
use aidmap::vocab::{AuditAction, Category, ConsentStatus, HouseholdStatus, LegalBasis, NeedStatus, Urgency};
use aidmap::Error;

use crate::util::*;

#[test]
fn settings_are_validated_saved_and_audited() {
    let dir = tempdir();
    let mut store = new_store(dir.path());
    assert_eq!(store.settings().unwrap(), OperationSettings::default());
    let mut s = OperationSettings::default();
    s.retention.needs_days = Some(0);
    s.backup.keep = 0;
    let Err(Error::Validation(fields)) = store.set_settings(&s) else { panic!("invalid settings accepted") };
    let names: Vec<_> = fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(names, ["retention.needs_days", "backup.keep"]);
    s.retention = Retention { needs_days: Some(30), households_days: Some(90) };
    s.backup.keep = 5;
    s.backup.folder = Some("/media/usb/backups".into());
    assert_eq!(store.set_settings(&s).unwrap(), s);
    drop(store);
    let store = aidmap::Store::open(&dir.path().join("op.aidmap"), INSTALLATION).unwrap();
    assert_eq!(store.settings().unwrap(), s, "settings live in the operation file");
    let details: Vec<String> =
        store.audit(&Default::default(), 10, 0).unwrap().items.into_iter().map(|e| e.detail).collect();
    assert_eq!(details, ["backup", "retention"]);
}

#[test]
fn purge_removes_personal_fields_of_old_closed_households_and_keeps_counts() {
    let dir = tempdir();
    let clock = TestClock::new("2026-09-01T10:00:00Z");
    let mut store = clock.install(new_store(dir.path()));
    // Closed in September with a delivered need: due after 30 days.
    let mut closed = alice();
    closed.status = HouseholdStatus::Closed;
    let mut first = closed.clone();
    first.name = "Zed Purgeable".into();
    first.phones = vec!["+377 11 22 33 44".into()];
    let old = store.create_household(&first).unwrap();
    let mut need = NeedInput::new(Category::Medicine, 1.0, "box", Urgency::Critical);
    need.notes = "Insulin, keep cold".into();
    let n = store.add_need(&old.id, &need).unwrap();
    store.set_need_status(&n.id, NeedStatus::Delivered).unwrap();
    // Closed but with an open need: kept. Active: kept.
    let with_open = store.create_household(&closed).unwrap();
    store.add_need(&with_open.id, &NeedInput::new(Category::Water, 1.0, "L", Urgency::Low)).unwrap();
    let active = store.create_household(&alice()).unwrap();
    // Closed recently: kept.
    clock.set("2026-11-20T10:00:00Z");
    let recent = store.create_household(&closed).unwrap();

    clock.set("2026-11-25T10:00:00Z");
    assert_eq!(store.purge().unwrap().households, 0, "no retention set: nothing purged");
    let s = OperationSettings {
        retention: Retention { needs_days: Some(30), households_days: Some(30) },
        ..Default::default()
    };
    store.set_settings(&s).unwrap();
    let preview = store.purge_preview().unwrap();
    assert_eq!((preview.households, preview.needs), (1, 1));
    let report = store.purge().unwrap();
    assert_eq!((report.households, report.needs), (1, 1), "the need went with its household, and is counted");
    assert_eq!((report.purged_households_total, report.purged_people_total, report.purged_needs_total), (1, 3, 1));

    let h = store.household(&old.id).unwrap();
    assert_eq!(h.household.name, aidmap::retention::PURGED_NAME);
    assert!(h.household.phones.is_empty() && h.household.address.is_empty() && h.household.access_notes.is_empty());
    assert!(h.household.vulnerabilities.is_empty() && h.household.languages.is_empty());
    assert_eq!((h.household.lat, h.household.lon), (43.73, 7.42), "location rounded to ~1 km");
    assert_eq!((h.household.adults, h.household.children), (2, 1), "people counts kept");
    assert_eq!(h.needs[0].notes, "");
    assert_eq!((h.needs[0].category, h.needs[0].quantity), (Category::Medicine, 1.0), "what was delivered is kept");
    for kept in [&with_open, &active, &recent] {
        assert_eq!(store.household(&kept.id).unwrap().household.name, "Alice Martin");
    }
    // Purged households leave the list and the map, and cannot be edited back.
    assert_eq!(store.search_households("", 100, 0).unwrap().total, 3);
    assert!(matches!(store.update_household(&old.id, &alice()), Err(Error::NotFound(_))));
    let purges = store
        .audit(&aidmap::audit::AuditFilter { action: Some(AuditAction::Purge), ..Default::default() }, 10, 0)
        .unwrap();
    assert_eq!(purges.total, 2, "households and needs");
    assert!(purges.items.iter().any(|e| e.entity == "need" && e.record_ids == vec![n.id.clone()]));
    assert!(purges.items.iter().any(|e| e.entity == "household" && e.record_ids == vec![old.id.clone()]));
    // What is purged stays purged: no editing it back, no new needs on it.
    assert!(matches!(store.update_need(&n.id, &need), Err(Error::NotFound(_))));
    assert!(matches!(store.set_need_status(&n.id, NeedStatus::Open), Err(Error::NotFound(_))));
    assert!(matches!(store.add_need(&old.id, &need), Err(Error::NotFound(_))));
    // The purged values are not left in the file's free space (secure_delete) or WAL.
    drop(store);
    let bytes = std::fs::read(dir.path().join("op.aidmap")).unwrap();
    for secret in [&b"Insulin, keep cold"[..], b"Zed Purgeable", b"zed purgeable", b"377 11 22 33 44"] {
        assert!(
            !bytes.windows(secret.len()).any(|w| w == secret),
            "{:?} left in the file",
            String::from_utf8_lossy(secret)
        );
    }
    assert!(bytes.windows(10).any(|w| w == b"Ring twice"), "the households kept are still there");
    let mut store = aidmap::Store::open(&dir.path().join("op.aidmap"), INSTALLATION).unwrap();
    assert_eq!(store.purge().unwrap().households, 0, "a second purge finds nothing new");
    assert_intact(&store);
}

#[test]
fn consent_basis_is_stored_and_checked() {
    let dir = tempdir();
    let mut store = new_store(dir.path());
    let h = store.create_household(&alice()).unwrap();
    assert_eq!(h.consent.basis, Some(LegalBasis::Consent));
    let mut input = HouseholdInput::at("Unreachable person", 43.73, 7.42);
    input.consent.basis = Some(LegalBasis::VitalInterest);
    assert_eq!(store.create_household(&input).unwrap().consent.basis, Some(LegalBasis::VitalInterest));
    input.consent.basis = Some(LegalBasis::Consent);
    input.consent.status = ConsentStatus::Refused;
    let Err(Error::Validation(f)) = store.create_household(&input) else { panic!("consent basis without consent") };
    assert_eq!(f[0].field, "consent.basis");
}
