//! Arbitrary bytes as an operation file (`*.aidmap`): `Store::unlock` with a passphrase and
//! `Store::open` without one must return an error or a store, never panic. A store that opens is
//! read a little (the file is untrusted: every row read goes through the same decoding the app
//! uses). Errors are fine; panics are not.

#![no_main]

use aidmap::{OpenMode, Store};
use aidmap_fuzz::{remove_with_sidecars, scratch_dir};
use libfuzzer_sys::fuzz_target;

const INSTALLATION: &str = "fuzz-installation";
const PASSPHRASE: &str = "fuzz passphrase 1";

/// A fresh copy of the input, with no sidecars left from the previous run.
fn write_input(path: &std::path::Path, data: &[u8]) {
    remove_with_sidecars(path);
    std::fs::write(path, data).expect("writing the fuzz input");
}

fn read_some(store: &Store) {
    let _ = store.info();
    let _ = store.households();
    let _ = store.household_pins();
    let _ = store.search_households("a", 20, 0);
    let _ = store.count_households(None);
    let _ = aidmap::need::list(store.conn(), None);
}

fuzz_target!(|data: &[u8]| {
    let path = scratch_dir().join("input.aidmap");

    write_input(&path, data);
    if let Ok(store) = Store::unlock(&path, INSTALLATION, OpenMode::Auto, Some(PASSPHRASE)) {
        read_some(&store);
    }

    // Unlocking read-write may have migrated the file: start again from the input.
    write_input(&path, data);
    if let Ok(store) = Store::open(&path, INSTALLATION) {
        read_some(&store);
    }

    remove_with_sidecars(&path);
});
