//! Crash safety: a writer process is killed with SIGKILL at random moments, again and again;
//! after every kill the operation must pass `PRAGMA integrity_check` and `foreign_key_check`,
//! hold every transaction the writer reported as committed, and no partial one.
//!
//! `make test` runs 20 kills; the full run is
//! `AIDMAP_CRASH_KILLS=200 cargo test -p aidmap --test tests crash -- --nocapture`.

use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use aidmap::{OpenMode, Store};
use rand::{Rng, SeedableRng};

use crate::util::*;

const PASS: &str = "crash test passphrase";

#[test]
fn killed_writers_never_lose_or_split_a_transaction() {
    let kills: u32 = std::env::var("AIDMAP_CRASH_KILLS").ok().and_then(|v| v.parse().ok()).unwrap_or(20);
    let dir = tempdir();
    let db = dir.path().join("crash.aidmap");
    drop(Store::create_encrypted(&db, "Crash test", INSTALLATION, Some(PASS)).unwrap());
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(20261125);
    let mut reported: HashSet<String> = HashSet::new();
    let mut killed_mid_run = 0;
    for run in 0..kills {
        let mut child = Command::new(env!("CARGO_BIN_EXE_aidmap-crash-writer"))
            .args([db.to_str().unwrap(), &run.to_string(), &rng.gen::<u32>().to_string()])
            .env("AIDMAP_PASSPHRASE", PASS)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the writer");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        assert_eq!(lines.next().expect("writer output").unwrap(), "ready", "run {run}: the writer opened the file");
        let reader = std::thread::spawn(move || lines.map_while(Result::ok).collect::<Vec<_>>());
        std::thread::sleep(Duration::from_millis(rng.gen_range(1..120)));
        child.kill().expect("SIGKILL");
        let status = child.wait().unwrap();
        if status.code().is_none() {
            killed_mid_run += 1;
        }
        for line in reader.join().unwrap() {
            if let Some(id) = line.strip_prefix("committed ") {
                reported.insert(id.to_string());
            }
        }
        check(&db, &reported, run);
    }
    let store = Store::unlock(&db, INSTALLATION, OpenMode::ReadOnly, Some(PASS)).unwrap();
    let households = rows(&store, "household");
    println!(
        "crash test: {kills} SIGKILLs ({killed_mid_run} while writing), {} transactions reported, {households} committed, audit entries {}",
        reported.len(),
        rows(&store, "audit")
    );
    assert!(reported.len() as u32 >= kills, "the writer got work done between kills");
}

fn check(db: &std::path::Path, reported: &HashSet<String>, run: u32) {
    let store = Store::unlock(db, INSTALLATION, OpenMode::ReadOnly, Some(PASS))
        .unwrap_or_else(|e| panic!("run {run}: the operation does not open after a kill: {e}"));
    assert_intact(&store);
    let conn = store.conn();
    // Every household has exactly the needs and audit entries its transaction wrote (counted
    // in one pass over each table, so the check stays linear as the file grows).
    let partial: Vec<String> = conn
        .prepare(
            "WITH needs AS (SELECT household_id AS id, COUNT(*) AS n FROM need GROUP BY household_id),
                  logged AS (SELECT json_extract(record_ids, '$[1]') AS id, COUNT(*) AS n FROM audit
                             WHERE entity = 'need' AND action = 'create' GROUP BY 1),
                  created AS (SELECT json_extract(record_ids, '$[0]') AS id, COUNT(*) AS n FROM audit
                              WHERE entity = 'household' AND action = 'create' GROUP BY 1)
             SELECT h.id FROM household h
             LEFT JOIN needs ON needs.id = h.id LEFT JOIN logged ON logged.id = h.id LEFT JOIN created ON created.id = h.id
             WHERE h.adults != COALESCE(needs.n, 0) OR h.adults != COALESCE(logged.n, 0) OR COALESCE(created.n, 0) != 1",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    assert!(partial.is_empty(), "run {run}: partial transactions {partial:?}");
    let present: HashSet<String> = conn
        .prepare("SELECT id FROM household")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    let lost: Vec<&String> = reported.difference(&present).collect();
    assert!(lost.is_empty(), "run {run}: reported but missing {lost:?}");
    let delivered_without_audit: i64 = conn
        .query_row(
            "WITH logged AS (SELECT DISTINCT json_extract(record_ids, '$[0]') AS id FROM audit
                             WHERE entity = 'need' AND action = 'update')
             SELECT COUNT(*) FROM need n WHERE n.status = 'delivered' AND n.id NOT IN (SELECT id FROM logged)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(delivered_without_audit, 0, "run {run}: a status change without its audit entry");
}

/// Applying another replica's changes is one transaction: a process killed while it applies
/// leaves the operation as it was or fully updated, never in between (issue 18).
#[test]
fn killed_while_applying_changes_the_operation_is_unchanged_or_fully_updated() {
    let kills: u32 = std::env::var("AIDMAP_CRASH_KILLS").ok().and_then(|v| v.parse().ok()).unwrap_or(20) / 2;
    let dir = tempdir();
    let a_path = dir.path().join("a.aidmap");
    let mut a = Store::create_encrypted(&a_path, "Crash test", INSTALLATION, Some(PASS)).unwrap();
    let ids: Vec<String> = (0..150)
        .map(|i| {
            let mut h = alice();
            h.name = format!("Household {i}");
            a.create_household(&h).unwrap().id
        })
        .collect();
    a.checkpoint().unwrap();
    let b0 = dir.path().join("b0.aidmap");
    std::fs::copy(&a_path, &b0).unwrap();
    for (i, id) in ids.iter().enumerate() {
        let mut input = a.household(id).unwrap().household.to_input();
        input.notes = format!("visited {i}");
        a.update_household(id, &input).unwrap();
    }
    let folder = dir.path().join("stick");
    let now = a.now();
    let sent = aidmap::sync::exchange::export_to(&mut a, &folder, now).unwrap();
    let count = |store: &Store| -> i64 {
        store.conn().query_row("SELECT COUNT(*) FROM sync_change", [], |r| r.get(0)).unwrap()
    };
    let before = count(&Store::unlock(&b0, "checker", OpenMode::ReadOnly, Some(PASS)).unwrap());
    let expected = count(&a) - before;
    assert!(sent.changes as i64 >= expected && expected > 0);
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(20261205);
    let (mut unchanged, mut updated) = (0, 0);
    for run in 0..kills {
        let b = dir.path().join(format!("b{}.aidmap", run + 1));
        std::fs::copy(&b0, &b).unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_aidmap-crash-writer"))
            .args([b.to_str().unwrap(), &format!("apply:{}", folder.display()), "0"])
            .env("AIDMAP_PASSPHRASE", PASS)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the writer");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        assert_eq!(lines.next().expect("writer output").unwrap(), "ready");
        std::thread::sleep(Duration::from_millis(rng.gen_range(1..400)));
        child.kill().expect("SIGKILL");
        child.wait().unwrap();
        let store = Store::unlock(&b, "checker", OpenMode::Auto, Some(PASS)).unwrap();
        assert_intact(&store);
        let visited: i64 = store
            .conn()
            .query_row("SELECT COUNT(*) FROM household WHERE notes LIKE 'visited %'", [], |r| r.get(0))
            .unwrap();
        // The checker's own open writes nothing; what the writer logged is all of it or none.
        let logged = count(&store) - before;
        match visited {
            0 => {
                assert_eq!(logged, 0, "run {run}: nothing applied, nothing logged");
                unchanged += 1;
            }
            150 => {
                assert_eq!(logged, expected, "run {run}: all applied, all logged");
                updated += 1;
            }
            n => panic!("run {run}: {n} of 150 households updated: a partial apply"),
        }
    }
    println!("apply crash test: {kills} SIGKILLs, {unchanged} left unchanged, {updated} fully updated");
}
