//! Region pack figures: `cargo bench -p aidmap --bench region`.
//!
//! For the Monaco and Helsinki extracts in `tests/fixtures/`: pack build time by phase and pack
//! size, opening a pack (CCH build + customization), a 1000×1000 duration/distance table on
//! random points, 100 point-to-point paths, re-customizing for a closure, and geocoding latency
//! (p50/p99 over queries taken from the pack's own addresses, some misspelled).

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use aidmap::region::router::ClosureShape;
use aidmap::region::{self, RegionPack};
use rand::{Rng, SeedableRng};

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn percentile(times: &mut [Duration], p: f64) -> Duration {
    times.sort();
    times[((times.len() - 1) as f64 * p).round() as usize]
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["monaco", "helsinki"] {
        let pbf = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/{name}.osm.pbf"));
        let out = dir.path().join(format!("{name}.region"));
        let started = Instant::now();
        let info = region::build(&pbf, &out, chrono::Utc::now(), &mut |_, _| true).unwrap();
        let build = started.elapsed();
        println!("== {name} ({} KB extract)", std::fs::metadata(&pbf).unwrap().len() / 1024);
        let phases: Vec<String> = info.phase_seconds.iter().map(|(p, s)| format!("{p} {:.0} ms", s * 1000.0)).collect();
        println!(
            "pack build        {} ({}); pack {} KB; {} nodes, {} arcs, {} addresses",
            ms(build),
            phases.join(", "),
            std::fs::metadata(&out).unwrap().len() / 1024,
            info.graph_nodes,
            info.graph_arcs,
            info.addresses
        );
        let started = Instant::now();
        let mut pack = RegionPack::open(&out).unwrap();
        println!("open pack         {} (CCH build + 2 customizations)", ms(started.elapsed()));

        let g = pack.router().unwrap().graph().clone();
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
        let point = |rng: &mut rand_chacha::ChaCha8Rng| {
            let n = rng.gen_range(0..g.node_count());
            (g.lat[n] + rng.gen_range(-0.0005..0.0005), g.lon[n] + rng.gen_range(-0.0005..0.0005))
        };
        let points: Vec<(f64, f64)> = (0..1000).map(|_| point(&mut rng)).collect();
        let started = Instant::now();
        let table = black_box(pack.router().unwrap().table(&points, &points));
        let reachable = table.durations_s.iter().flatten().filter(|v| v.is_some()).count();
        println!("1000×1000 table   {} (durations + distances; {reachable} reachable pairs)", ms(started.elapsed()));

        let started = Instant::now();
        let mut found = 0;
        for i in 0..100 {
            found += black_box(pack.router().unwrap().path(points[i], points[999 - i])).is_some() as usize;
        }
        println!("100 paths         {} ({found} found, with geometry)", ms(started.elapsed()));

        let c = pack.router().unwrap().node_point(pack.router().unwrap().snap(points[0].0, points[0].1).unwrap().node);
        let d = 0.001;
        let square = aidmap::region::router::square(c, d);
        let started = Instant::now();
        let closed = pack.router_mut().unwrap().set_closures(&[ClosureShape::Area(square)]);
        println!("closure           {} ({closed} arcs closed, re-customized, no rebuild)", ms(started.elapsed()));

        // A flood extent as real ones come: a wiggly ring of 500,000 vertices around the same
        // point (the closure index: every edge in an R-tree; it once took minutes).
        let flood = |n: usize| {
            let ring: geo::LineString<f64> = (0..=n)
                .map(|i| {
                    let t = i as f64 / n as f64 * std::f64::consts::TAU;
                    let r = 0.004 * (1.0 + 0.15 * (t * 40.0).sin() + 0.02 * ((i % 7) as f64 - 3.0) / 3.0);
                    (c.x() + r * 1.4 * t.cos(), c.y() + r * t.sin())
                })
                .collect();
            geo::Polygon::new(ring, vec![])
        };
        for n in [50_000, 500_000] {
            let shape = ClosureShape::Area(flood(n));
            let started = Instant::now();
            let closed = pack.router_mut().unwrap().set_closures(std::slice::from_ref(&shape));
            println!("flood {n:>7} pts {} ({closed} arcs closed)", ms(started.elapsed()));
        }
        // The same 50,000-vertex extent the way it was applied before: every arc in its box
        // tested against the whole polygon (the 500,000 one took minutes that way).
        {
            use geo::{BoundingRect, Intersects};
            let area = flood(50_000);
            let g = pack.router().unwrap().graph();
            let tail = g.tail();
            let bx = area.bounding_rect().unwrap();
            let started = Instant::now();
            let mut closed = 0;
            for arc in 0..g.arc_count() {
                let (a, b) = (tail[arc] as usize, g.head[arc] as usize);
                let seg = geo::Line::new((g.lon[a], g.lat[a]), (g.lon[b], g.lat[b]));
                closed += (seg.bounding_rect().intersects(&bx) && area.intersects(&seg)) as usize;
            }
            println!("flood  50000 pts, old way {} ({closed} arcs closed)", ms(started.elapsed()));
        }
        pack.router_mut().unwrap().set_closures(&[]);

        // Geocoding: labels of the pack's own places, half of them with a letter dropped.
        let conn = rusqlite::Connection::open(&out).unwrap();
        let labels: Vec<String> = conn
            .prepare("SELECT label FROM place ORDER BY random() LIMIT 200")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        let mut times = Vec::new();
        let mut hits = 0;
        for (i, label) in labels.iter().enumerate() {
            let query: String = if i % 2 == 0 {
                label.clone()
            } else {
                let chars: Vec<char> = label.chars().collect();
                let drop = chars.len() / 2;
                chars.iter().enumerate().filter(|(j, _)| *j != drop).map(|(_, c)| c).collect()
            };
            let started = Instant::now();
            let results = black_box(pack.geocode(&query, 5).unwrap());
            times.push(started.elapsed());
            hits += results.iter().any(|r| &r.label == label) as usize;
        }
        println!(
            "geocode           p50 {}, p99 {} over {} queries (half misspelled); the place is in the top 5 for {hits}",
            ms(percentile(&mut times, 0.5)),
            ms(percentile(&mut times, 0.99)),
            labels.len()
        );
    }
}
