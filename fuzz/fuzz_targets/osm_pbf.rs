//! Arbitrary bytes into the OSM PBF reader (`aidmap::demo::osm::read`): errors are fine, panics
//! that escape it are not.
//!
//! `read` turns panics of the `osmpbf` decoder (integer overflow in its delta decoding, found by
//! this target) into "damaged extract" errors with `catch_unwind`. libfuzzer-sys's panic hook
//! aborts on every panic, even a caught one, so this target puts Rust's default hook back: a
//! caught panic is then printed and the run goes on, while a panic that escapes `read` still
//! unwinds into libfuzzer-sys, which aborts and records the input.

#![no_main]

use libfuzzer_sys::fuzz_target;

static DEFAULT_HOOK: std::sync::Once = std::sync::Once::new();

fuzz_target!(|data: &[u8]| {
    DEFAULT_HOOK.call_once(|| drop(std::panic::take_hook()));
    if let Ok(extract) = aidmap::demo::osm::read(data) {
        // What `read` promises about what it returns.
        for road in &extract.roads {
            assert!(road.line.0.len() >= 2, "a road with fewer than 2 points");
        }
        for building in &extract.buildings {
            assert!(building.exterior().0.len() >= 4, "a building ring with fewer than 4 points");
        }
    }
});
