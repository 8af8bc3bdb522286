//! The writer of the crash test (`tests/core/crash.rs`): commits transactions into an operation
//! as fast as it can and prints `committed <household id>` after each commit, until it is killed.
//!
//! Each transaction writes one household whose `adults` field says how many needs it gets, those
//! needs, their audit entries, and (every other time) marks an earlier need delivered — so a
//! partial transaction would show as a household whose needs or audit entries do not add up.
//!
//! On a failed commit it prints `failed <code>: <message>` and exits with status 3.
//!
//! Usage: aidmap-crash-writer DB RUN SEED (passphrase in AIDMAP_PASSPHRASE); RUN `apply:FOLDER`
//! applies the change bundles of FOLDER instead.

use std::io::Write;

use aidmap::audit::AuditAction;
use aidmap::household::{self, HouseholdInput};
use aidmap::need::{self, NeedInput};
use aidmap::vocab::{Category, NeedStatus, Urgency};
use aidmap::{OpenMode, Store};
use rand::{Rng, SeedableRng};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, db, run, seed] = &args[..] else {
        eprintln!("usage: aidmap-crash-writer DB RUN SEED");
        std::process::exit(2);
    };
    let passphrase = std::env::var("AIDMAP_PASSPHRASE").ok();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed.parse().expect("seed"));
    let mut store = Store::unlock(db.as_ref(), "crash-writer", OpenMode::Auto, passphrase.as_deref()).expect("open");
    store.set_operator("crash writer").expect("operator");
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    writeln!(out, "ready").unwrap();
    out.flush().unwrap();
    // `RUN` = `apply:FOLDER`: apply the change bundles of FOLDER (one transaction per bundle),
    // then print `applied N` — the crash test kills it while it applies.
    if let Some(folder) = run.strip_prefix("apply:") {
        let now = store.now();
        match aidmap::sync::exchange::import_from(&mut store, folder.as_ref(), true, now) {
            Ok(report) => writeln!(out, "applied {}", report.changes).unwrap(),
            Err(e) => {
                writeln!(out, "failed {:?}: {e}", e.code()).unwrap();
                std::process::exit(3);
            }
        }
        return;
    }
    for i in 0u64.. {
        let needs = rng.gen_range(1..=3u32);
        let deliver = i % 2 == 1;
        let id = store.write(|tx, stamp| {
            let mut input = HouseholdInput::at(&format!("crash {run} {i}"), 43.73, 7.42);
            input.adults = needs;
            input.notes = "x".repeat(rng.gen_range(0..2000));
            let id = household::insert(tx, stamp, &input)?;
            aidmap::store::record_change(tx, stamp, AuditAction::Create, "household", &[&id], "")?;
            for _ in 0..needs {
                let n = need::insert(tx, stamp, &id, &NeedInput::new(Category::Water, 2.0, "L", Urgency::High))?;
                aidmap::store::record_change(tx, stamp, AuditAction::Create, "need", &[&n, &id], "")?;
            }
            if deliver {
                let open: Option<String> = tx
                    .query_row("SELECT id FROM need WHERE status = 'open' ORDER BY random() LIMIT 1", [], |r| r.get(0))
                    .ok();
                if let Some(n) = open {
                    need::set_status(tx, stamp, &n, NeedStatus::Delivered)?;
                    aidmap::store::record_change(tx, stamp, AuditAction::Update, "need", &[&n], "status: delivered")?;
                }
            }
            Ok(id)
        });
        let id = match id {
            Ok(id) => id,
            Err(e) => {
                // What a user would be told (the disk-full test checks it), then stop.
                writeln!(out, "failed {:?}: {e}", e.code()).unwrap();
                out.flush().unwrap();
                std::process::exit(3);
            }
        };
        writeln!(out, "committed {id}").unwrap();
        out.flush().unwrap();
    }
}
