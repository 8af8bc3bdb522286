//! Arbitrary bytes as a `.pmtiles` basemap file (File › Region › Use basemap file…, which can
//! come from anywhere): `basemap::check` accepts or refuses, never panics; an accepted archive
//! opens for the tile server and answers tiles.

#![no_main]

use aidmap::region::pmtiles_archive::{check, Basemap};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(found) = check(data) else { return };
    let rt = tokio::runtime::Builder::new_current_thread().build().expect("a runtime");
    rt.block_on(async {
        let basemap = Basemap::from_bytes(data.to_vec()).await.expect("a checked archive opens");
        for z in [found.min_zoom, found.max_zoom] {
            let _ = basemap.tile(z, 0, 0).await;
        }
    });
});
