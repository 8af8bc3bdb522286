//! Arbitrary bytes into the region-pack reader (`aidmap::region::extract::read`, which a user's
//! OSM extract goes through) and, when they parse, the basemap tiles cut from them (sea from
//! coastlines included) and the graph and router built from them. Errors are fine; a panic
//! escaping them is not. As in `osm_pbf`, caught decoder panics are allowed.

#![no_main]

use aidmap::region::graph::RoadGraph;
use aidmap::region::router::Router;
use libfuzzer_sys::fuzz_target;

static DEFAULT_HOOK: std::sync::Once = std::sync::Once::new();

fuzz_target!(|data: &[u8]| {
    DEFAULT_HOOK.call_once(|| drop(std::panic::take_hook()));
    let Ok(extract) = aidmap::region::extract::read(data, &mut |_| true) else { return };
    // Tiles only for city-sized boxes: a box spanning the globe is a legitimate (huge) job,
    // not a bug, and would only time out.
    if let Some((a, b, c, d)) = extract.bounds {
        if (c - a).abs() < 0.05 && (d - b).abs() < 0.05 {
            let tiles = aidmap::region::tiles::cut(&extract, &mut |_| true).expect("cutting tiles");
            aidmap::region::tiles::pmtiles(&tiles, [a, b, c, d]).expect("packing tiles");
        }
    }
    let graph = RoadGraph::build(&extract.roads);
    if graph.node_count() < 2 || graph.node_count() > 50_000 {
        return;
    }
    let router = Router::new(graph.clone(), &Router::contraction_order(&graph));
    let pts: Vec<(f64, f64)> = (0..graph.node_count().min(5)).map(|n| (graph.lat[n], graph.lon[n])).collect();
    let table = router.table(&pts, &pts);
    assert_eq!(table.durations_s.len(), pts.len());
});
