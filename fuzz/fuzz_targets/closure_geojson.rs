//! Arbitrary text as closure GeoJSON (`aidmap route matrix --closures FILE`, and what the map
//! sends): the parser returns shapes or an error, and the shapes close arcs of a small road
//! graph without panicking.

#![no_main]

use std::sync::OnceLock;

use aidmap::region::extract::{Oneway, RoadWay};
use aidmap::region::graph::RoadGraph;
use aidmap::region::router::Router;
use libfuzzer_sys::fuzz_target;

fn router() -> &'static std::sync::Mutex<Router> {
    static ROUTER: OnceLock<std::sync::Mutex<Router>> = OnceLock::new();
    ROUTER.get_or_init(|| {
        let grid: Vec<RoadWay> = (0..10i64)
            .flat_map(|i| {
                (0..10i64).map(move |j| RoadWay {
                    way_id: i * 10 + j,
                    class: "residential".into(),
                    name: None,
                    nodes: vec![
                        (i * 11 + j, 43.73 + i as f64 * 0.001, 7.42 + j as f64 * 0.001),
                        (i * 11 + j + 1, 43.73 + i as f64 * 0.001, 7.42 + (j + 1) as f64 * 0.001),
                    ],
                    oneway: Oneway::No,
                    maxspeed_kmh: None,
                })
            })
            .collect();
        let g = RoadGraph::build(&grid);
        std::sync::Mutex::new(Router::new(g.clone(), &Router::contraction_order(&g)))
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(shapes) = aidmap::region::closure_geojson::parse(text) else { return };
    let mut r = router().lock().unwrap();
    r.set_closures(&shapes);
    let _ = r.table(&[(43.73, 7.42)], &[(43.739, 7.429)]);
});
