//! Arbitrary bytes into the region-pack reader (`aidmap::region::extract::read`, which a user's
//! OSM extract goes through) and, when they parse, the graph and router built from them. Errors
//! are fine; a panic escaping them is not. As in `osm_pbf`, caught decoder panics are allowed.

#![no_main]

use aidmap::region::graph::RoadGraph;
use aidmap::region::router::Router;
use libfuzzer_sys::fuzz_target;

static DEFAULT_HOOK: std::sync::Once = std::sync::Once::new();

fuzz_target!(|data: &[u8]| {
    DEFAULT_HOOK.call_once(|| drop(std::panic::take_hook()));
    let Ok(extract) = aidmap::region::extract::read(data, &mut |_| true) else { return };
    let graph = RoadGraph::build(&extract.roads);
    if graph.node_count() < 2 || graph.node_count() > 50_000 {
        return;
    }
    let router = Router::new(graph.clone(), &Router::contraction_order(&graph));
    let pts: Vec<(f64, f64)> = (0..graph.node_count().min(5)).map(|n| (graph.lat[n], graph.lon[n])).collect();
    let table = router.table(&pts, &pts);
    assert_eq!(table.durations_s.len(), pts.len());
});
