//! Syncthing for real (the transport between laptops and hubs): two `syncthing` processes on
//! 127.0.0.1, each with its own home and ports, paired through their REST APIs only; a file
//! written into A's shared folder appears, whole, in B's. Needs the Debian package `syncthing`
//! (`make test` installs it).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use aidmap::sync::syncthing::{free_port, Options, Syncthing};

fn binary() -> PathBuf {
    let found = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .map(|d| d.join("syncthing"))
        .find(|p| p.is_file());
    found.expect("the syncthing binary is on PATH (Debian package syncthing; make test installs it)")
}

fn start(home: PathBuf, listen_port: u16) -> Syncthing {
    let options = Options {
        binary: binary(),
        home,
        api_port: free_port().unwrap(),
        api_key: format!("test-key-{listen_port}"),
        listen: format!("tcp://127.0.0.1:{listen_port}"),
        relays: false,
    };
    Syncthing::start(&options).expect("syncthing starts")
}

#[test]
fn two_syncthings_pair_through_their_apis_and_carry_a_file() {
    let dir = crate::util::tempdir();
    let (port_a, port_b) = (free_port().unwrap(), free_port().unwrap());
    let a = start(dir.path().join("home-a"), port_a);
    let b = start(dir.path().join("home-b"), port_b);
    let (id_a, id_b) = (a.device_id().unwrap(), b.device_id().unwrap());
    assert_ne!(id_a, id_b);
    assert_eq!(id_a.len(), 63, "a device ID: {id_a}");

    a.add_device(&id_b, "Hub Nord — laptop 2", &[format!("tcp://127.0.0.1:{port_b}")]).unwrap();
    b.add_device(&id_a, "Hub Nord — laptop 1", &[format!("tcp://127.0.0.1:{port_a}")]).unwrap();
    let (folder_a, folder_b) = (dir.path().join("sync-a"), dir.path().join("sync-b"));
    a.share_folder("aidmap-op-1", "Flood response", &folder_a, std::slice::from_ref(&id_b)).unwrap();
    b.share_folder("aidmap-op-1", "Flood response", &folder_b, std::slice::from_ref(&id_a)).unwrap();

    let bytes: Vec<u8> = (0..50_000u32).map(|i| (i * 7 % 251) as u8).collect();
    let started = Instant::now();
    std::fs::write(folder_a.join("replica-a-000001.bundle"), &bytes).unwrap();
    let arrived = folder_b.join("replica-a-000001.bundle");
    let limit = Duration::from_secs(90);
    while std::fs::read(&arrived).ok().as_deref() != Some(&bytes[..]) {
        assert!(
            started.elapsed() < limit,
            "the file did not reach B within {limit:?} (connected: {:?}, B's folder: {:?})",
            a.connected(&id_b),
            b.folder_status("aidmap-op-1").map(|s| s.state)
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    println!("a file written on A was whole on B after {} ms", started.elapsed().as_millis());
    assert!(a.connected(&id_b).unwrap() && b.connected(&id_a).unwrap());
    a.stop().unwrap();
    b.stop().unwrap();
}

/// Two replicas of one operation, each with the app's own hub link (`sync::hub`): a need added
/// on replica A appears on replica B through two real Syncthings on loopback, paired through
/// their REST APIs only; B's first bundle from A waits until A is accepted, as in the app.
#[test]
fn a_need_added_on_replica_a_appears_on_replica_b() {
    use aidmap::need::NeedInput;
    use aidmap::sync::hub::{Hub, HubOptions};
    use aidmap::vocab::{Category, Urgency};
    use aidmap::Store;

    let dir = crate::util::tempdir();
    for side in ["a", "b"] {
        std::fs::create_dir_all(dir.path().join(side)).unwrap();
    }
    let mut a = Store::create(&dir.path().join("a/op.aidmap"), "Flood", "installation-a").unwrap();
    let h = a.create_household(&crate::util::alice()).unwrap();
    a.checkpoint().unwrap();
    std::fs::copy(dir.path().join("a/op.aidmap"), dir.path().join("b/op.aidmap")).unwrap();
    let mut b = Store::open(&dir.path().join("b/op.aidmap"), "installation-b").unwrap();
    let id = a.info().unwrap().id;
    let (pa, pb) = (free_port().unwrap(), free_port().unwrap());
    let start = |side: &str, port: u16| {
        Hub::start(
            &HubOptions {
                binary: binary(),
                home: dir.path().join(format!("home-{side}")),
                folder: dir.path().join(format!("{side}/op.aidmap-sync")),
                relays: false,
                listen: Some(format!("tcp://127.0.0.1:{port}")),
            },
            &id,
        )
        .expect("syncthing starts")
    };
    let (mut hub_a, mut hub_b) = (start("a", pa), start("b", pb));
    let (ia, ib) = (hub_a.link().unwrap().device_id, hub_b.link().unwrap().device_id);
    hub_a.add_device(&ib, "Laptop B", Some(&format!("tcp://127.0.0.1:{pb}"))).unwrap();
    hub_b.add_device(&ia, "Laptop A", Some(&format!("tcp://127.0.0.1:{pa}"))).unwrap();
    assert_eq!(hub_b.link().unwrap().devices.len(), 1);

    let need = a.add_need(&h.id, &NeedInput::new(Category::Water, 6.0, "L", Urgency::Critical)).unwrap();
    let started = Instant::now();
    let limit = Duration::from_secs(90);
    loop {
        let now = a.now();
        hub_a.tick(&mut a, now).unwrap();
        let now = b.now();
        if let Some(report) = hub_b.tick(&mut b, now).unwrap() {
            if report.held > 0 {
                let held =
                    aidmap::sync::status::status(b.conn()).unwrap().peers.into_iter().find(|p| p.status == "held");
                aidmap::sync::exchange::accept(&mut b, &held.unwrap().id).unwrap();
            }
        }
        if b.household(&h.id).unwrap().needs.iter().any(|n| n.id == need.id) {
            break;
        }
        assert!(started.elapsed() < limit, "the need did not reach B within {limit:?}");
        std::thread::sleep(Duration::from_millis(100));
    }
    println!("a need added on A was on B after {} ms", started.elapsed().as_millis());
    let on_b = b.household(&h.id).unwrap().needs.into_iter().find(|n| n.id == need.id).unwrap();
    assert_eq!((on_b.quantity, on_b.urgency), (6.0, Urgency::Critical));
    hub_a.stop().unwrap();
    hub_b.stop().unwrap();
}
