//! The audit trail: every change is recorded with who, when, what and which ids — never values —
//! and the log cannot be rewritten.

use aidmap::audit::AuditFilter;
use aidmap::need::NeedInput;
use aidmap::vocab::{AuditAction, Category, NeedStatus, Urgency};

use crate::util::*;

#[test]
fn changes_are_recorded_with_operator_and_ids_but_no_personal_values() {
    let dir = tempdir();
    let clock = TestClock::new("2026-11-25T09:00:00Z");
    let mut store = clock.install(new_store(dir.path()));
    store.set_operator("  Dispatcher Ana ").unwrap();
    assert!(store.set_operator(" ").is_err());
    let h = store.create_household(&alice()).unwrap();
    clock.set("2026-11-25T09:05:00Z");
    let mut edit = alice();
    edit.phones = vec!["+377 99 99 99 99".into()];
    edit.notes = "Diabetic, lives alone".into();
    store.update_household(&h.id, &edit).unwrap();
    let n = store.add_need(&h.id, &NeedInput::new(Category::Medicine, 1.0, "box", Urgency::Critical)).unwrap();
    store.set_need_status(&n.id, NeedStatus::Delivered).unwrap();
    store.move_household(&h.id, 43.74, 7.43).unwrap();

    let page = store.audit(&AuditFilter::default(), 100, 0).unwrap();
    let got: Vec<(AuditAction, &str, &str)> =
        page.items.iter().rev().map(|e| (e.action, e.entity.as_str(), e.detail.as_str())).collect();
    assert_eq!(
        got,
        vec![
            (AuditAction::Create, "household", ""),
            (AuditAction::Update, "household", "phones, notes"),
            (AuditAction::Create, "need", ""),
            (AuditAction::Update, "need", "status: delivered"),
            (AuditAction::Update, "household", "location"),
        ]
    );
    assert!(page.items.iter().all(|e| e.operator == "Dispatcher Ana" && e.installation == INSTALLATION));
    assert!(page.items.iter().all(|e| e.record_ids.contains(&h.id)));
    assert_eq!(page.items[4].at, "2026-11-25T09:00:00.000Z");
    assert_eq!(page.operators, vec!["Dispatcher Ana".to_string()]);

    // Nothing personal anywhere in the log.
    let dump: String = store
        .conn()
        .prepare("SELECT operator || at || action || entity || record_ids || detail FROM audit")
        .unwrap()
        .query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    // The phone as typed and as normalised (not a bare "377": random record ids can hold it).
    for secret in ["Alice", "Martin", "Grimaldi", "+377 93", "37793152000", "Diabetic", "Ring twice"] {
        assert!(!dump.contains(secret), "audit log contains {secret:?}");
    }
}

#[test]
fn the_viewer_filters() {
    let dir = tempdir();
    let clock = TestClock::new("2026-11-20T09:00:00Z");
    let mut store = clock.install(new_store(dir.path()));
    store.set_operator("Ana").unwrap();
    let a = store.create_household(&alice()).unwrap();
    clock.set("2026-11-22T09:00:00Z");
    store.set_operator("Ben").unwrap();
    let b = store.create_household(&alice()).unwrap();
    store.update_household(&b.id, &alice()).unwrap();
    let f = |action, operator: Option<&str>, record: Option<&str>, from: Option<&str>, to: Option<&str>| AuditFilter {
        action,
        operator: operator.map(String::from),
        entity: None,
        record_id: record.map(String::from),
        from: from.map(String::from),
        to: to.map(String::from),
    };
    let total = |filter: AuditFilter| store.audit(&filter, 10, 0).unwrap().total;
    assert_eq!(total(f(None, None, None, None, None)), 3);
    assert_eq!(total(f(Some(AuditAction::Create), None, None, None, None)), 2);
    assert_eq!(total(f(None, Some("Ben"), None, None, None)), 2);
    assert_eq!(total(f(None, None, Some(&a.id), None, None)), 1);
    assert_eq!(total(f(None, None, None, Some("2026-11-21"), None)), 2);
    assert_eq!(total(f(None, None, None, None, Some("2026-11-20"))), 1);
    assert_eq!(store.audit(&AuditFilter::default(), 1, 1).unwrap().items[0].action, AuditAction::Create);
}

#[test]
fn the_log_is_append_only() {
    let dir = tempdir();
    let mut store = new_store(dir.path());
    store.create_household(&alice()).unwrap();
    for sql in ["UPDATE audit SET operator = 'someone else'", "DELETE FROM audit", "UPDATE audit SET detail = ''"] {
        let err = outside(&store).execute(sql, []).unwrap_err();
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
    assert_eq!(rows(&store, "audit"), 1);
}

#[test]
fn a_rejected_change_leaves_no_audit_entry() {
    let dir = tempdir();
    let mut store = new_store(dir.path());
    let mut bad = alice();
    bad.name = " ".into();
    assert!(store.create_household(&bad).is_err());
    assert!(store.update_household("no-such-id", &alice()).is_err());
    assert_eq!(rows(&store, "audit"), 0);
}
