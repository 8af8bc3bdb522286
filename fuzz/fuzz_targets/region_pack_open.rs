//! Arbitrary bytes as a region pack file (`NAME.region` beside an operation, which can arrive on
//! a USB stick): `RegionPack::open` returns a pack or an error, never panics; a pack that opens
//! answers a table, a path and a search (a basemap-only pack: a search).

#![no_main]

use aidmap::region::RegionPack;
use aidmap_fuzz::{remove_with_sidecars, scratch_dir};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = scratch_dir().join("input.region");
    remove_with_sidecars(&path);
    std::fs::write(&path, data).expect("writing the fuzz input");
    let Ok(pack) = RegionPack::open(&path) else { return };
    let [a, b, c, d] = pack.info().bounds;
    let pts = [(a, b), (c, d), ((a + c) / 2.0, (b + d) / 2.0)];
    if let Some(router) = pack.router() {
        let _ = router.table(&pts, &pts);
        let _ = router.path(pts[0], pts[1]);
    }
    let _ = pack.geocode("main street 1", 5);
});
