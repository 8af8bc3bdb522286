//! Replicas of one operation exchanging changes through a folder (issue 18): the scenarios the
//! issue names, on real operation files.

use std::path::{Path, PathBuf};

use aidmap::household::HouseholdInput;
use aidmap::item::ItemInput;
use aidmap::need::NeedInput;
use aidmap::settings::{OperationSettings, Retention};
use aidmap::site::SiteInput;
use aidmap::stock::StockChange;
use aidmap::sync::exchange::{self, FileOutcome};
use aidmap::sync::status::{self, Keep};
use aidmap::vocab::{Category, HouseholdStatus, SiteKind, Urgency};
use aidmap::Store;

use crate::util::{alice, tempdir, TestClock};

pub const A: &str = "0193a5b0-0000-7000-8000-0000000000a1";
const B: &str = "0193a5b0-0000-7000-8000-0000000000b2";

/// Replica A with one household, and B: a copy of A's file opened on another installation.
pub fn two_replicas(dir: &Path, clock: &TestClock) -> (Store, Store, String) {
    std::fs::create_dir_all(dir.join("a")).unwrap();
    std::fs::create_dir_all(dir.join("b")).unwrap();
    let path_a = dir.join("a/op.aidmap");
    let mut a = clock.install(Store::create(&path_a, "Flood", A).unwrap());
    let h = a.create_household(&alice()).unwrap();
    a.checkpoint().unwrap();
    std::fs::copy(&path_a, dir.join("b/op.aidmap")).unwrap();
    let b = clock.install(Store::open(&dir.join("b/op.aidmap"), B).unwrap());
    (a, b, h.id)
}

pub fn folder(dir: &Path, name: &str) -> PathBuf {
    dir.join(name)
}

/// `from` writes what it has into `dir`; `to` applies it (accepting new replicas).
pub fn send(from: &mut Store, to: &mut Store, dir: &Path) -> exchange::SyncImport {
    let now = from.now();
    exchange::export_to(from, dir, now).unwrap();
    let now = to.now();
    exchange::import_from(to, dir, true, now).unwrap()
}

pub fn household(store: &Store, id: &str) -> HouseholdInput {
    let h = store.household(id).unwrap().household;
    let mut input = alice();
    input.name = h.name;
    input.address = h.address;
    input.notes = h.notes;
    input.access_notes = h.access_notes;
    input.phones = h.phones.iter().map(|p| p.original.clone()).collect();
    input.lat = h.lat;
    input.lon = h.lon;
    input.status = h.status;
    input
}

/// Every synced table's rows, in key order, as text: replicas that hold the same changes hold
/// the same rows. (The audit log is compared as a set of entries: its order and hash chain are
/// each file's own.)
pub fn content(store: &Store) -> Vec<String> {
    let mut out = Vec::new();
    for s in aidmap::store::changelog::SYNCED {
        let cols = s.columns(store.conn()).unwrap();
        let sql = format!("SELECT {} FROM {} ORDER BY {}", cols.join(", "), s.table, cols.join(", "));
        let mut stmt = store.conn().prepare(&sql).unwrap();
        let rows = stmt
            .query_map([], |r| {
                let values: Vec<String> =
                    (0..cols.len()).map(|i| format!("{:?}", r.get::<_, rusqlite::types::Value>(i).unwrap())).collect();
                Ok(format!("{}: {}", s.table, values.join(" | ")))
            })
            .unwrap();
        let mut rows: Vec<String> = rows.map(Result::unwrap).filter(|r| !r.contains("Text(\"sync\")")).collect();
        rows.sort();
        out.extend(rows);
    }
    for table in ["stock_level", "sync_change", "sync_conflict", "sync_plan_owner"] {
        let mut stmt = store.conn().prepare(&format!("SELECT * FROM {table}")).unwrap();
        let n = stmt.column_count();
        let mut rows: Vec<String> = stmt
            .query_map([], |r| {
                Ok((0..n)
                    .map(|i| format!("{:?}", r.get::<_, rusqlite::types::Value>(i).unwrap()))
                    .collect::<Vec<_>>()
                    .join(" | "))
            })
            .unwrap()
            .map(|r| format!("{table}: {}", r.unwrap()))
            .collect();
        rows.sort();
        out.extend(rows);
    }
    out
}

#[test]
fn different_fields_of_one_household_both_survive_without_conflict() {
    let dir = tempdir();
    let clock = TestClock::new("2026-12-05T09:00:00Z");
    let (mut a, mut b, id) = two_replicas(dir.path(), &clock);
    let mut on_a = household(&a, &id);
    on_a.address = "3 Rue Basse".into();
    a.update_household(&id, &on_a).unwrap();
    clock.set("2026-12-05T09:01:00Z");
    let mut on_b = household(&b, &id);
    on_b.access_notes = "Side door".into();
    b.update_household(&id, &on_b).unwrap();

    let stick = folder(dir.path(), "stick");
    let got = send(&mut a, &mut b, &stick);
    assert_eq!(got.applied, 1, "{got:?}");
    let got = send(&mut b, &mut a, &stick);
    assert_eq!(got.applied, 1, "{got:?}");
    for store in [&a, &b] {
        let h = store.household(&id).unwrap().household;
        assert_eq!((h.address.as_str(), h.access_notes.as_str()), ("3 Rue Basse", "Side door"));
        assert!(status::status(store.conn()).unwrap().conflicts.is_empty());
    }
    assert_eq!(content(&a), content(&b));
    // Household search follows the merged address on both.
    assert_eq!(
        a.conn().query_row("SELECT search_text FROM household", [], |r| r.get::<_, String>(0)).unwrap(),
        "alice martin 3 rue basse"
    );
    assert_eq!(content(&a), content(&b));
}

#[test]
fn the_same_field_on_two_replicas_has_one_winner_and_one_review_item_on_each() {
    let dir = tempdir();
    let clock = TestClock::new("2026-12-05T09:00:00Z");
    let (mut a, mut b, id) = two_replicas(dir.path(), &clock);
    let mut on_a = household(&a, &id);
    on_a.address = "3 Rue Basse".into();
    a.update_household(&id, &on_a).unwrap();
    clock.set("2026-12-05T09:05:00Z");
    let mut on_b = household(&b, &id);
    on_b.address = "5 Quai Antoine".into();
    b.update_household(&id, &on_b).unwrap();

    let stick = folder(dir.path(), "stick");
    send(&mut a, &mut b, &stick);
    send(&mut b, &mut a, &stick);
    for store in [&a, &b] {
        assert_eq!(store.household(&id).unwrap().household.address, "5 Quai Antoine", "the later change wins");
        let s = status::status(store.conn()).unwrap();
        assert_eq!(s.conflicts.len(), 1, "{:?}", s.conflicts);
        let c = &s.conflicts[0];
        assert_eq!((c.entity.as_str(), c.field.as_str()), ("household", "address"));
        assert_eq!((c.winner.value.as_str(), c.other.value.as_str()), ("\"5 Quai Antoine\"", "\"3 Rue Basse\""));
        assert_eq!(c.other.at, "2026-12-05T09:00:00.000Z");
    }
    assert_eq!(content(&a), content(&b));

    // On A, the coordinator keeps A's value: a new change, settled on both.
    clock.set("2026-12-05T09:10:00Z");
    status::resolve(&mut a, "household", &id, "address", Keep::Other).unwrap();
    send(&mut a, &mut b, &stick);
    for store in [&a, &b] {
        assert_eq!(store.household(&id).unwrap().household.address, "3 Rue Basse");
        assert!(status::status(store.conn()).unwrap().conflicts.is_empty());
    }
    assert_eq!(content(&a), content(&b));
}

#[test]
fn a_bundle_applied_twice_or_by_two_routes_changes_nothing_the_second_time() {
    let dir = tempdir();
    let clock = TestClock::new("2026-12-05T09:00:00Z");
    let (mut a, mut b, id) = two_replicas(dir.path(), &clock);
    let site = a.create_site(&SiteInput::new("Depot", SiteKind::Warehouse, 43.74, 7.42)).unwrap();
    let item = a.create_item(&ItemInput::new("Water 1.5 L", Category::Water, "bottle", 1.55, 1.6)).unwrap();
    a.change_stock(&StockChange::Receive {
        site_id: site.id.clone(),
        item_id: item.id.clone(),
        quantity: 10.0,
        expiry: None,
        reason: String::new(),
    })
    .unwrap();
    a.add_need(&id, &NeedInput::new(Category::Water, 6.0, "L", Urgency::High)).unwrap();
    let stick = folder(dir.path(), "stick");
    let usb = folder(dir.path(), "usb");
    let first = send(&mut a, &mut b, &stick);
    assert_eq!(first.applied, 1);
    let before = content(&b);
    // The same folder again, and the same changes through another folder.
    let again = import(&mut b, &stick, false).unwrap();
    assert_eq!((again.applied, again.already_known), (0, 1), "{again:?}");
    export(&mut a, &usb).unwrap();
    let other_route = import(&mut b, &usb, false).unwrap();
    assert_eq!(other_route.applied, 0, "{other_route:?}");
    assert_eq!(content(&b), before);
    let level: f64 = b.conn().query_row("SELECT quantity FROM stock_level", [], |r| r.get(0)).unwrap();
    assert_eq!(level, 10.0, "the movement counted once");
    assert_eq!(content(&a), content(&b));
}

pub fn export(store: &mut Store, dir: &Path) -> aidmap::error::Result<exchange::SyncExport> {
    let now = store.now();
    exchange::export_to(store, dir, now)
}

pub fn import(store: &mut Store, dir: &Path, accept: bool) -> aidmap::error::Result<exchange::SyncImport> {
    let now = store.now();
    exchange::import_from(store, dir, accept, now)
}

#[test]
fn concurrent_issues_sum_to_the_right_level_and_ask_for_a_count() {
    let dir = tempdir();
    let clock = TestClock::new("2026-12-05T09:00:00Z");
    let (mut a, mut b, _) = two_replicas(dir.path(), &clock);
    let site = a.create_site(&SiteInput::new("Depot", SiteKind::Warehouse, 43.74, 7.42)).unwrap();
    let item = a.create_item(&ItemInput::new("Water 1.5 L", Category::Water, "bottle", 1.55, 1.6)).unwrap();
    let receive = StockChange::Receive {
        site_id: site.id.clone(),
        item_id: item.id.clone(),
        quantity: 10.0,
        expiry: None,
        reason: String::new(),
    };
    a.change_stock(&receive).unwrap();
    let stick = folder(dir.path(), "stick");
    send(&mut a, &mut b, &stick);
    let issue =
        StockChange::Issue { site_id: site.id.clone(), item_id: item.id.clone(), quantity: 7.0, reason: String::new() };
    a.change_stock(&issue).unwrap();
    b.change_stock(&issue).unwrap();
    send(&mut a, &mut b, &stick);
    send(&mut b, &mut a, &stick);
    for store in [&a, &b] {
        let level: f64 = store.conn().query_row("SELECT quantity FROM stock_level", [], |r| r.get(0)).unwrap();
        assert_eq!(level, -4.0, "10 received, 7 issued on each laptop");
        let s = status::status(store.conn()).unwrap();
        assert_eq!(s.to_count.len(), 1);
        assert_eq!((s.to_count[0].site.as_str(), s.to_count[0].quantity), ("Depot", -4.0));
    }
    assert_eq!(content(&a), content(&b));
}

#[test]
fn a_purge_reaches_the_other_replica_and_an_old_bundle_does_not_bring_the_data_back() {
    let dir = tempdir();
    let clock = TestClock::new("2026-09-01T09:00:00Z");
    let (mut a, mut b, id) = two_replicas(dir.path(), &clock);
    let mut closed = household(&a, &id);
    closed.status = HouseholdStatus::Closed;
    closed.notes = "Lives with her son".into();
    a.update_household(&id, &closed).unwrap();
    let old_stick = folder(dir.path(), "old");
    send(&mut a, &mut b, &old_stick);
    assert_eq!(b.household(&id).unwrap().household.notes, "Lives with her son");
    // Meanwhile on B, someone adds to the notes without having seen the purge.
    clock.set("2026-11-01T09:00:00Z");
    let settings = OperationSettings {
        retention: Retention { needs_days: Some(30), households_days: Some(30) },
        ..Default::default()
    };
    a.set_settings(&settings).unwrap();
    let report = a.purge().unwrap();
    assert_eq!(report.households, 1);
    clock.set("2026-11-01T09:30:00Z");
    let mut late = household(&b, &id);
    late.access_notes = "Code 1234".into();
    b.update_household(&id, &late).unwrap();

    let stick = folder(dir.path(), "stick");
    let got = send(&mut a, &mut b, &stick);
    assert_eq!((got.applied, got.refused), (1, 0), "{got:?}");
    send(&mut b, &mut a, &stick);
    // The old stick again, on both.
    import(&mut b, &old_stick, true).unwrap();
    import(&mut a, &old_stick, true).unwrap();
    for store in [&a, &b] {
        let h = store.household(&id).unwrap().household;
        assert_eq!(h.name, aidmap::retention::PURGED_NAME, "{}", store.path().display());
        assert_eq!((h.notes.as_str(), h.access_notes.as_str(), h.address.as_str()), ("", "", ""));
        // Nothing of the personal values is left in the change log either.
        let log: String =
            store.conn().query_row("SELECT group_concat(fields, ' ') FROM sync_change", [], |r| r.get(0)).unwrap();
        for gone in ["Alice Martin", "Lives with her son", "Code 1234", "Grimaldi", "93 15 20 00"] {
            assert!(!log.contains(gone), "{gone} still in the log");
        }
    }
    assert_eq!(content(&a), content(&b));
}

#[test]
fn a_stranger_is_held_until_accepted_and_tampered_or_foreign_bundles_are_refused() {
    let dir = tempdir();
    let clock = TestClock::new("2026-12-05T09:00:00Z");
    let (mut a, mut b, id) = two_replicas(dir.path(), &clock);
    let mut on_b = household(&b, &id);
    on_b.notes = "Call first".into();
    b.update_household(&id, &on_b).unwrap();
    let stick = folder(dir.path(), "stick");
    export(&mut b, &stick).unwrap();
    // A never saw B: held, with B's fingerprint, nothing applied.
    let got = import(&mut a, &stick, false).unwrap();
    assert_eq!((got.applied, got.held), (0, 1), "{got:?}");
    let FileOutcome::Held { replica, fingerprint, .. } = &got.files[0] else { panic!("{got:?}") };
    assert_eq!(fingerprint.len(), 24);
    assert_eq!(a.household(&id).unwrap().household.notes, "");
    let peers = status::status(a.conn()).unwrap().peers;
    assert!(peers.iter().any(|p| &p.id == replica && p.status == "held" && &p.fingerprint == fingerprint));
    exchange::accept(&mut a, replica).unwrap();
    let got = import(&mut a, &stick, false).unwrap();
    assert_eq!(got.applied, 1, "{got:?}");
    assert_eq!(a.household(&id).unwrap().household.notes, "Call first");

    // A bundle changed on the way, and one from another operation: refused, nothing changed.
    let mut on_b = household(&b, &id);
    on_b.notes = "Call twice".into();
    b.update_household(&id, &on_b).unwrap();
    let tampered = folder(dir.path(), "tampered");
    export(&mut b, &tampered).unwrap();
    let (files, _) = aidmap::sync::folder::list(&tampered).unwrap();
    let newest = files.iter().find(|f| &f.replica == replica).unwrap();
    let mut bytes = std::fs::read(&newest.path).unwrap();
    let n = bytes.len();
    bytes[n - 80] ^= 1;
    std::fs::write(&newest.path, &bytes).unwrap();
    let before = content(&a);
    let got = import(&mut a, &tampered, false).unwrap();
    assert_eq!(got.refused, 1, "{got:?}");
    assert!(matches!(&got.files.iter().find(|f| matches!(f, FileOutcome::Refused { .. })).unwrap(),
        FileOutcome::Refused { reason, .. } if reason.contains("signature")));
    assert_eq!(content(&a), before);

    let other = dir.path().join("other");
    std::fs::create_dir_all(&other).unwrap();
    let mut stranger =
        Store::create(&other.join("op.aidmap"), "Other", "0193a5b0-0000-7000-8000-0000000000c3").unwrap();
    stranger.create_household(&alice()).unwrap();
    let foreign = folder(dir.path(), "foreign");
    export(&mut stranger, &foreign).unwrap();
    let got = import(&mut a, &foreign, true).unwrap();
    assert_eq!(got.refused, 1, "{got:?}");
    assert_eq!(content(&a), before);
}

#[test]
fn hub_c_that_meets_only_hub_b_still_receives_hub_a_changes() {
    let dir = tempdir();
    let clock = TestClock::new("2026-12-05T09:00:00Z");
    let (mut a, mut b, id) = two_replicas(dir.path(), &clock);
    std::fs::create_dir_all(dir.path().join("c")).unwrap();
    b.checkpoint().unwrap();
    std::fs::copy(b.path(), dir.path().join("c/op.aidmap")).unwrap();
    let mut c =
        clock.install(Store::open(&dir.path().join("c/op.aidmap"), "0193a5b0-0000-7000-8000-0000000000c3").unwrap());
    let mut on_a = household(&a, &id);
    on_a.notes = "From A".into();
    a.update_household(&id, &on_a).unwrap();
    let ab = folder(dir.path(), "ab");
    let bc = folder(dir.path(), "bc");
    send(&mut a, &mut b, &ab);
    let got = send(&mut b, &mut c, &bc);
    assert!(got.applied >= 1, "{got:?}");
    assert_eq!(c.household(&id).unwrap().household.notes, "From A");
    assert_eq!(content(&b), content(&c));
}

#[test]
fn a_plan_changes_only_on_the_replica_that_made_it() {
    let dir = tempdir();
    let clock = TestClock::new("2026-12-05T09:00:00Z");
    let (mut a, mut b, _) = two_replicas(dir.path(), &clock);
    // A plan row made on A, sent to B.
    let plan_id = "0193a5b0-0000-7000-8000-00000000p1an".replace("p1an", "0001");
    a.write(|tx, stamp| {
        tx.execute(
            "INSERT INTO plan (id, day, day_start, status, created_at, created_by, updated_at, updated_by)
             VALUES (?1, '2026-12-06', '2026-12-05T23:00:00Z', 'draft', ?2, ?3, ?2, ?4)",
            rusqlite::params![plan_id, stamp.now, stamp.operator, stamp.by],
        )?;
        aidmap::store::record_change(tx, stamp, aidmap::audit::AuditAction::Create, "plan", &[&plan_id], "test plan")
    })
    .unwrap();
    send(&mut a, &mut b, &folder(dir.path(), "stick"));
    let err = b
        .write(|tx, stamp| {
            tx.execute("UPDATE plan SET status = 'discarded' WHERE id = ?1", [&plan_id])?;
            aidmap::store::record_change(tx, stamp, aidmap::audit::AuditAction::Update, "plan", &[&plan_id], "status")
        })
        .unwrap_err();
    assert_eq!(err.code(), aidmap::error::ErrorCode::OwnedElsewhere);
    let status: String = b.conn().query_row("SELECT status FROM plan", [], |r| r.get(0)).unwrap();
    assert_eq!(status, "draft");
}

/// The command line as a script drives it: `households set` on a copy, `sync export`, a held
/// replica, `sync status --json`, `sync accept`, `sync import --json`.
#[test]
fn the_command_line_carries_a_change_between_two_copies() {
    let dir = tempdir();
    let run = |config: &str, args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_aidmap"))
            .args(args)
            .env("AIDMAP_CONFIG_DIR", dir.path().join(config))
            .env_remove("XDG_CONFIG_HOME")
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let a = dir.path().join("a.aidmap");
    let b = dir.path().join("b.aidmap");
    let stick = dir.path().join("stick");
    let (a_s, b_s, stick_s) = (a.to_str().unwrap(), b.to_str().unwrap(), stick.to_str().unwrap());
    run("ca", &["demo", a_s, "--households", "20", "--seed", "2", "--date", "2026-12-05"]);
    std::fs::copy(&a, &b).unwrap();
    let list: serde_json::Value = serde_json::from_str(&run("ca", &["households", "list", "--db", a_s])).unwrap();
    let id = list[0]["id"].as_str().unwrap().to_string();
    run("cb", &["households", "set", "--db", b_s, "--id", &id, "notes=Call first", "adults=3"]);
    assert!(run("cb", &["sync", "export", "--db", b_s, "--to", stick_s]).contains("1 files"));
    let held = run("ca", &["sync", "import", "--db", a_s, "--from", stick_s]);
    assert!(held.contains("1 held"), "{held}");
    let status: serde_json::Value =
        serde_json::from_str(&run("ca", &["sync", "status", "--db", a_s, "--json"])).unwrap();
    let peer = status["peers"].as_array().unwrap().iter().find(|p| p["status"] == "held").unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    run("ca", &["sync", "accept", "--db", a_s, "--peer", &peer]);
    let report: serde_json::Value =
        serde_json::from_str(&run("ca", &["sync", "import", "--db", a_s, "--from", stick_s, "--json"])).unwrap();
    assert_eq!(report["applied"], 1, "{report}");
    let list: serde_json::Value = serde_json::from_str(&run("ca", &["households", "list", "--db", a_s])).unwrap();
    let h = list.as_array().unwrap().iter().find(|h| h["id"] == id.as_str()).unwrap();
    assert_eq!((h["notes"].as_str(), h["adults"].as_u64()), (Some("Call first"), Some(3)), "{h}");
    // Again: nothing new.
    let again = run("ca", &["sync", "import", "--db", a_s, "--from", stick_s]);
    assert!(again.contains("0 applied") && again.contains("1 already known"), "{again}");
}

/// A merge of duplicates travels as the changes it made: on the other replica the merged
/// household is closed, its needs belong to the kept one, and the merge record is there.
#[test]
fn a_merge_of_duplicates_travels_as_its_changes() {
    let dir = tempdir();
    let clock = TestClock::new("2026-12-05T09:00:00Z");
    let (mut a, mut b, kept) = two_replicas(dir.path(), &clock);
    let mut twin = alice();
    twin.phones = vec!["+377 93 15 20 01".into()];
    let merged = a.create_household(&twin).unwrap().id;
    let need = a.add_need(&merged, &NeedInput::new(Category::Food, 2.0, "box", Urgency::Normal)).unwrap();
    let stick = folder(dir.path(), "stick");
    send(&mut a, &mut b, &stick);
    let request = aidmap::merge::MergeRequest { kept_id: kept.clone(), merged_id: merged.clone(), take: vec![] };
    let record = a.merge_households(&request).unwrap();
    send(&mut a, &mut b, &stick);
    for store in [&a, &b] {
        assert!(store.household(&merged).is_err(), "the merged record is gone (its data in the merge record)");
        let kept_needs = store.household(&kept).unwrap().needs;
        assert!(kept_needs.iter().any(|n| n.id == need.id), "the need moved to the kept household");
        let merges: i64 = store
            .conn()
            .query_row("SELECT COUNT(*) FROM merge_record WHERE id = ?1", [&record.id], |r| r.get(0))
            .unwrap();
        assert_eq!(merges, 1);
    }
    assert_eq!(content(&a), content(&b));
}

/// A replica passing on changes cannot forge them: a change "by" replica A that A did not sign
/// is refused, and so is a peer's attempt to set where this laptop backs up.
#[test]
fn forged_changes_and_another_laptops_settings_are_refused() {
    use aidmap::store::changelog::LoggedChange;
    use aidmap::sync::bundle::{seal, BundleHeader, ContentKey, ReplicaKey};

    let dir = tempdir();
    let clock = TestClock::new("2026-12-05T09:00:00Z");
    let (mut a, mut b, id) = two_replicas(dir.path(), &clock);
    let mut on_b = household(&b, &id);
    on_b.notes = "From B".into();
    b.update_household(&id, &on_b).unwrap();
    send(&mut b, &mut a, &folder(dir.path(), "first"));
    let status_b = status::status(b.conn()).unwrap();
    let me_b = status_b.replica.unwrap();
    let former_a = status_b.peers.iter().find(|p| p.status == "former").unwrap().id.clone();
    let secret_b: Vec<u8> =
        b.conn().query_row("SELECT secret FROM sync_replica WHERE status = 'self'", [], |r| r.get(0)).unwrap();
    let signer = ReplicaKey::from_secret(&secret_b.try_into().unwrap());
    let shared: Vec<u8> = b.conn().query_row("SELECT secret FROM sync_secret", [], |r| r.get(0)).unwrap();
    let key = ContentKey::derive(Some(&shared), &b.info().unwrap().id);
    let key_a: String =
        b.conn().query_row("SELECT public_key FROM sync_replica WHERE id = ?1", [&former_a], |r| r.get(0)).unwrap();
    let last_a: i64 =
        b.conn().query_row("SELECT last_seq FROM sync_replica WHERE id = ?1", [&former_a], |r| r.get(0)).unwrap();
    let fields = |pairs: &[(&str, serde_json::Value)]| -> serde_json::Map<String, serde_json::Value> {
        pairs.iter().map(|(k, v)| (k.to_string(), serde_json::json!([null, v]))).collect()
    };
    let write = |dir: &Path, origin: &str, origin_key: &str, change: LoggedChange| {
        let header = BundleHeader {
            operation_id: b.info().unwrap().id,
            replica_id: me_b.id.clone(),
            replica_name: String::new(),
            signer: signer.public(),
            origin: origin.to_string(),
            origin_key: origin_key.to_string(),
            seen: Default::default(),
            schema_version: aidmap::store::schema::latest_version(),
            first_seq: change.seq,
            last_seq: change.seq,
            created_at: String::new(),
        };
        let bytes =
            seal(&header, &serde_json::to_vec(std::slice::from_ref(&change)).unwrap(), &key, &signer, [5; 24]).unwrap();
        aidmap::sync::folder::put(
            dir,
            &aidmap::sync::folder::bundle_name(origin, change.seq, change.seq).unwrap(),
            &bytes,
        )
        .unwrap();
    };
    // B passes on a change "by" A that B made up (signed with B's key, not A's).
    let mut forged = LoggedChange {
        replica: former_a.clone(),
        seq: last_a as u64 + 1,
        hlc: "0001764925200000-000000".into(),
        entity: "household".into(),
        record: id.clone(),
        kind: "set".into(),
        fields: serde_json::Map::new(),
        operator: "nobody".into(),
        at: "2026-12-05T09:00:00.000Z".into(),
        signature: String::new(),
    };
    forged.fields.insert("notes".into(), serde_json::json!(["From B", "Forged"]));
    forged.sign(&signer_secret(&b)).unwrap();
    let forgery = folder(dir.path(), "forgery");
    write(&forgery, &former_a, &key_a, forged);
    // Hub C, a copy of B's file that knows A's key, receives it from B.
    std::fs::create_dir_all(dir.path().join("c")).unwrap();
    b.checkpoint().unwrap();
    std::fs::copy(b.path(), dir.path().join("c/op.aidmap")).unwrap();
    let mut c =
        clock.install(Store::open(&dir.path().join("c/op.aidmap"), "0193a5b0-0000-7000-8000-0000000000c3").unwrap());
    let before_c = content(&c);
    let got = import(&mut c, &forgery, true).unwrap();
    assert_eq!(got.refused, 1, "{got:?}");
    assert!(format!("{got:?}").contains("did not sign"), "{got:?}");
    assert_eq!(content(&c), before_c);
    let before = content(&a);

    // B's own change to the setting that says where A backs up: refused.
    let mut setting = LoggedChange {
        replica: me_b.id.clone(),
        seq: me_b.changes + 1,
        hlc: "0001764925200000-000001".into(),
        entity: "setting".into(),
        record: "backup".into(),
        kind: "create".into(),
        fields: fields(&[
            ("key", serde_json::json!("backup")),
            ("value", serde_json::json!("{\"folder\":\"/tmp/elsewhere\"}")),
            ("updated_at", serde_json::json!("2026-12-05T09:00:00.000Z")),
            ("updated_by", serde_json::json!("x")),
        ]),
        operator: "nobody".into(),
        at: "2026-12-05T09:00:00.000Z".into(),
        signature: String::new(),
    };
    setting.sign(&signer_secret(&b)).unwrap();
    let settings = folder(dir.path(), "settings");
    write(&settings, &me_b.id, &signer.public(), setting);
    let got = import(&mut a, &settings, false).unwrap();
    assert_eq!(got.refused, 1, "{got:?}");
    assert!(format!("{got:?}").contains("another laptop"), "{got:?}");
    assert_eq!(content(&a), before);
}

fn signer_secret(store: &Store) -> [u8; 32] {
    let secret: Vec<u8> =
        store.conn().query_row("SELECT secret FROM sync_replica WHERE status = 'self'", [], |r| r.get(0)).unwrap();
    secret.try_into().unwrap()
}
