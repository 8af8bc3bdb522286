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
