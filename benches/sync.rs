//! Hubs working together, measured (`cargo bench -p aidmap --bench sync`; needs `syncthing`):
//!
//! - sealing and opening a 1 MB change bundle (the crypto alone);
//! - a bundle of 1,000 edits (one household field each, 1,000 writes on replica A): its size,
//!   and applying it on replica B (a copy of A's file);
//! - a first sync: 100,000 households written on A in one transaction, carried to B;
//! - one change from its commit on A until applied on B through the hub link (20 changes);
//! - a file written into one Syncthing's shared folder until it is whole in the other's, two
//!   real processes on loopback, 20 times: median and worst. (The change log is not built yet,
//!   so this is the transport's share of "a change on A visible on B".)

use std::time::{Duration, Instant};

use aidmap::sync::bundle::{open, seal, BundleHeader, ContentKey, Known, ReplicaKey};
use aidmap::sync::syncthing::{free_port, Options, Syncthing};

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// 1,000 edits on A, carried to B through a folder: size of the bundle, time to apply.
fn thousand_edits() {
    use aidmap::sync::exchange;
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("a")).unwrap();
    std::fs::create_dir_all(dir.path().join("b")).unwrap();
    let date = chrono::NaiveDate::from_ymd_opt(2026, 12, 5).unwrap();
    let options = aidmap::demo::DemoOptions { households: 1_000, seed: 1, date };
    let mut a = aidmap::demo::write(&dir.path().join("a/op.aidmap"), &options, "bench-a").unwrap();
    a.checkpoint().unwrap();
    std::fs::copy(dir.path().join("a/op.aidmap"), dir.path().join("b/op.aidmap")).unwrap();
    let mut b = aidmap::Store::open(&dir.path().join("b/op.aidmap"), "bench-b").unwrap();
    let ids: Vec<String> = a.households().unwrap().into_iter().map(|h| h.id).collect();
    let started = Instant::now();
    for (i, id) in ids.iter().cycle().take(1_000).enumerate() {
        let mut input = a.household(id).unwrap().household.to_input();
        input.notes = format!("edit {i}");
        a.update_household(id, &input).unwrap();
    }
    let edits = started.elapsed();
    let folder = dir.path().join("stick");
    let now = a.now();
    let report = exchange::export_to(&mut a, &folder, now).unwrap();
    let bytes: u64 = report.files.iter().map(|f| std::fs::metadata(folder.join(f)).unwrap().len()).sum();
    let started = Instant::now();
    let now = b.now();
    let got = exchange::import_from(&mut b, &folder, true, now).unwrap();
    let applied = started.elapsed();
    println!(
        "1,000 edits (each a write with its audit entry, {} on A): bundle of {} changes, {:.0} KB; applied on B in {} ({} changes)",
        ms(edits),
        report.changes,
        bytes as f64 / 1024.0,
        ms(applied),
        got.changes
    );
}

/// A bulk write of 100,000 households on A (as an import makes them: one transaction, one
/// audit entry, a change per household), carried to B, a copy made before: the capture's cost,
/// the bundles, and B's apply.
fn first_sync() {
    use aidmap::sync::exchange;
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("a")).unwrap();
    std::fs::create_dir_all(dir.path().join("b")).unwrap();
    let mut a = aidmap::Store::create(&dir.path().join("a/op.aidmap"), "Bench", "bench-a").unwrap();
    std::fs::copy(dir.path().join("a/op.aidmap"), dir.path().join("b/op.aidmap")).unwrap();
    let mut b = aidmap::Store::open(&dir.path().join("b/op.aidmap"), "bench-b").unwrap();
    let started = Instant::now();
    a.write(|tx, stamp| {
        for i in 0..100_000 {
            let mut input =
                aidmap::household::HouseholdInput::at(&format!("Household {i}"), 43.73 + (i % 100) as f64 * 1e-4, 7.42);
            input.address = format!("{} Rue Grimaldi", i % 300);
            aidmap::household::insert(tx, stamp, &input)?;
        }
        aidmap::store::record_change(tx, stamp, aidmap::audit::AuditAction::Import, "household", &[], "bench")
    })
    .unwrap();
    let written = started.elapsed();
    let folder = dir.path().join("stick");
    let started = Instant::now();
    let now = a.now();
    let report = exchange::export_to(&mut a, &folder, now).unwrap();
    let exported = started.elapsed();
    let bytes: u64 = report.files.iter().map(|f| std::fs::metadata(folder.join(f)).unwrap().len()).sum();
    let started = Instant::now();
    let now = b.now();
    let got = exchange::import_from(&mut b, &folder, true, now).unwrap();
    let applied = started.elapsed();
    let households: i64 = b.conn().query_row("SELECT COUNT(*) FROM household", [], |r| r.get(0)).unwrap();
    println!(
        "100,000 households written on A in one transaction with their changes: {}; exported {} changes in {} files ({:.1} MB) in {}; applied on B in {} ({households} households there)",
        ms(written),
        report.changes,
        report.files.len(),
        bytes as f64 / 1048576.0,
        ms(exported),
        ms(applied),
    );
    assert_eq!(got.changes, report.changes);
}

/// One household change from its commit on A until applied on B, through the app's own hub
/// link (`sync::hub`: a bundle written, Syncthing on loopback, the bundle applied), both ticking
/// every 50 ms (the app ticks every second: add up to a second on each side).
fn change_to_other_laptop() {
    use aidmap::sync::hub::{self, Hub, HubOptions};
    let Some(binary) = hub::find_binary() else {
        println!("syncthing is not installed: the laptop-to-laptop latency is not measured");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let date = chrono::NaiveDate::from_ymd_opt(2026, 12, 5).unwrap();
    for side in ["a", "b"] {
        std::fs::create_dir_all(dir.path().join(side)).unwrap();
    }
    let options = aidmap::demo::DemoOptions { households: 200, seed: 1, date };
    drop(aidmap::demo::write(&dir.path().join("a/op.aidmap"), &options, "setup").unwrap());
    std::fs::copy(dir.path().join("a/op.aidmap"), dir.path().join("b/op.aidmap")).unwrap();
    let mut a = aidmap::Store::open(&dir.path().join("a/op.aidmap"), "bench-a").unwrap();
    let mut b = aidmap::Store::open(&dir.path().join("b/op.aidmap"), "bench-b").unwrap();
    let id = a.info().unwrap().id;
    let (pa, pb) = (free_port().unwrap(), free_port().unwrap());
    let start = |side: &str, port: u16| {
        Hub::start(
            &HubOptions {
                binary: binary.clone(),
                home: dir.path().join(format!("home-{side}")),
                folder: dir.path().join(format!("{side}/op.aidmap-sync")),
                relays: false,
                listen: Some(format!("tcp://127.0.0.1:{port}")),
            },
            &id,
        )
        .unwrap()
    };
    let (mut hub_a, mut hub_b) = (start("a", pa), start("b", pb));
    let (ia, ib) = (hub_a.link().unwrap().device_id, hub_b.link().unwrap().device_id);
    hub_a.add_device(&ib, "b", Some(&format!("tcp://127.0.0.1:{pb}"))).unwrap();
    hub_b.add_device(&ia, "a", Some(&format!("tcp://127.0.0.1:{pa}"))).unwrap();
    let ids: Vec<String> = a.households().unwrap().into_iter().map(|h| h.id).take(21).collect();
    let mut times = Vec::new();
    for (i, hid) in ids.iter().enumerate() {
        let mut input = a.household(hid).unwrap().household.to_input();
        input.notes = format!("change {i}");
        let started = Instant::now();
        a.update_household(hid, &input).unwrap();
        loop {
            let now = a.now();
            hub_a.tick(&mut a, now).unwrap();
            let now = b.now();
            if let Some(r) = hub_b.tick(&mut b, now).unwrap() {
                // The first bundle from A waits for acceptance, as in the app.
                if r.held > 0 {
                    let peer = aidmap::sync::status::status(b.conn())
                        .unwrap()
                        .peers
                        .into_iter()
                        .find(|p| p.status == "held")
                        .unwrap();
                    aidmap::sync::exchange::accept(&mut b, &peer.id).unwrap();
                }
            }
            if b.household(hid).unwrap().household.notes == input.notes {
                break;
            }
            assert!(started.elapsed() < Duration::from_secs(120), "change {i} never arrived");
            std::thread::sleep(Duration::from_millis(50));
        }
        // The first includes connecting and accepting the laptop: not counted.
        if i > 0 {
            times.push(started.elapsed());
        }
    }
    times.sort();
    println!(
        "one change from commit on A to applied on B (hub link, Syncthing on loopback, 20 changes): median {}, worst {}",
        ms(times[times.len() / 2]),
        ms(times[times.len() - 1])
    );
}

fn main() {
    thousand_edits();
    first_sync();
    change_to_other_laptop();
    let signer = ReplicaKey::from_secret(&[7; 32]);
    let key = ContentKey::derive(Some(&[1; 32]), "op");
    let header = BundleHeader {
        operation_id: "op".into(),
        replica_id: "a".into(),
        replica_name: String::new(),
        signer: signer.public(),
        origin: "a".into(),
        origin_key: signer.public(),
        seen: Default::default(),
        schema_version: 11,
        first_seq: 1,
        last_seq: 1_000,
        created_at: String::new(),
    };
    let payload: Vec<u8> = (0..1_000_000u32).map(|i| (i % 251) as u8).collect();
    let started = Instant::now();
    let bytes = seal(&header, &payload, &key, &signer, [1; 24]).unwrap();
    let sealed = started.elapsed();
    let started = Instant::now();
    let known = |_: &str| Known::Accepted { signer: signer.public() };
    open(&bytes, "op", 11, &key, known).unwrap();
    println!("bundle of 1 MB: sealed in {}, checked and opened in {}", ms(sealed), ms(started.elapsed()));

    let dir = tempfile::tempdir().unwrap();
    let start = |name: &str, port: u16| {
        Syncthing::start(&Options {
            binary: "syncthing".into(),
            home: dir.path().join(name),
            api_port: free_port().unwrap(),
            api_key: format!("bench-{name}"),
            listen: format!("tcp://127.0.0.1:{port}"),
            relays: false,
        })
        .expect("syncthing starts (Debian package syncthing)")
    };
    let (pa, pb) = (free_port().unwrap(), free_port().unwrap());
    let (a, b) = (start("a", pa), start("b", pb));
    let (ia, ib) = (a.device_id().unwrap(), b.device_id().unwrap());
    a.add_device(&ib, "b", &[format!("tcp://127.0.0.1:{pb}")]).unwrap();
    b.add_device(&ia, "a", &[format!("tcp://127.0.0.1:{pa}")]).unwrap();
    let (fa, fb) = (dir.path().join("fa"), dir.path().join("fb"));
    a.share_folder("f", "f", &fa, std::slice::from_ref(&ib)).unwrap();
    b.share_folder("f", "f", &fb, std::slice::from_ref(&ia)).unwrap();
    let mut times = Vec::new();
    for i in 0..20 {
        let data = format!("change {i}").repeat(200).into_bytes();
        let started = Instant::now();
        std::fs::write(fa.join(format!("{i:03}.bundle")), &data).unwrap();
        while std::fs::read(fb.join(format!("{i:03}.bundle"))).ok().as_deref() != Some(&data[..]) {
            assert!(started.elapsed() < Duration::from_secs(120), "file {i} never arrived");
            std::thread::sleep(Duration::from_millis(20));
        }
        times.push(started.elapsed());
    }
    times.sort();
    println!(
        "file written on A until whole on B (Syncthing, loopback, 20 files): median {}, worst {} (the first includes connecting)",
        ms(times[times.len() / 2]),
        ms(times[times.len() - 1])
    );
}
