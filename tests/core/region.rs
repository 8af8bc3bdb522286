//! Region packs: building from OSM extracts (Monaco, and Helsinki, which is clipped at its box
//! and has missing node references), routing checked against a Dijkstra oracle, oneway streets,
//! closures, address search, and bad input.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use aidmap::region::router::ClosureShape;
use aidmap::region::{self, RegionPack};
use aidmap::Error;
use rand::{Rng, SeedableRng};

use crate::util::*;

/// A test input: the demo's own Monaco extract lives with the demo code (`src/demo/`), every
/// other file in `tests/fixtures/`.
pub fn fixture(name: &str) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let demo = root.join("src/demo").join(name);
    if demo.exists() {
        demo
    } else {
        root.join("tests/fixtures").join(name)
    }
}

/// Packs are built once per test binary.
pub fn pack_path(name: &str) -> PathBuf {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    let dir = DIR.get_or_init(tempdir);
    let out = dir.path().join(format!("{name}.region"));
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _guard = LOCK.lock().unwrap();
    if !out.exists() {
        region::build(&fixture(&format!("{name}.osm.pbf")), &out, chrono::Utc::now(), &mut |_, _| true).unwrap();
    }
    out
}

pub fn open(name: &str) -> RegionPack {
    RegionPack::open(&pack_path(name)).unwrap()
}

#[test]
fn monaco_matrix_agrees_with_the_dijkstra_oracle() {
    let pack = open("monaco");
    let router = pack.router().unwrap();
    let g = router.graph();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(4);
    let points: Vec<(f64, f64)> = (0..40)
        .map(|_| {
            let n = rng.gen_range(0..g.node_count());
            (g.lat[n] + rng.gen_range(-0.0003..0.0003), g.lon[n] + rng.gen_range(-0.0003..0.0003))
        })
        .collect();
    let table = router.table(&points, &points);
    let snaps = &table.snaps[..points.len()];
    let snapped: Vec<bool> = snaps.iter().map(|s| s.distance_m.is_finite()).collect();
    assert!(snapped.iter().filter(|&&s| s).count() >= 30, "most random road points snap");
    let mut reachable = 0;
    let close = |a: Option<f64>, b: Option<f64>| match (a, b) {
        (Some(a), Some(b)) => (a - b).abs() < 1e-6,
        (a, b) => a == b,
    };
    for i in 0..points.len() {
        for j in 0..points.len() {
            // Road part by the oracle, plus the snap legs at each end (a point to itself: 0).
            let legs = snaps[i].distance_m + snaps[j].distance_m;
            let (speed, zero) = (aidmap::region::router::SNAP_SPEED_MS, i == j);
            let oracle = (snapped[i] && snapped[j])
                .then(|| {
                    router.dijkstra(snaps[i].node, snaps[j].node).map(|ds| {
                        if zero {
                            0.0
                        } else {
                            ds as f64 / 10.0 + legs / speed
                        }
                    })
                })
                .flatten();
            assert!(close(table.durations_s[i][j], oracle), "pair {i}->{j}: {:?} {oracle:?}", table.durations_s[i][j]);
            let length = (snapped[i] && snapped[j])
                .then(|| {
                    router
                        .dijkstra_length(snaps[i].node, snaps[j].node)
                        .map(|m| if zero { 0.0 } else { m as f64 + legs })
                })
                .flatten();
            assert!(close(table.distances_m[i][j], length), "distance {i}->{j}");
            // Never shorter by road than in a straight line (a few metres of rounding aside).
            if let Some(d) = table.distances_m[i][j] {
                let straight = aidmap::region::extract::haversine_m(points[i].0, points[i].1, points[j].0, points[j].1);
                assert!(d >= straight - 3.0, "{i}->{j}: {d} m by road, {straight} m straight");
            }
            reachable += oracle.is_some() as usize;
            if i == j && snapped[i] {
                assert_eq!(table.durations_s[i][j], Some(0.0));
            }
        }
    }
    let n = snapped.iter().filter(|&&s| s).count();
    assert_eq!(reachable, n * n, "snapped points are on the main network, so all their pairs connect");
    // A path has the duration of the table and follows the roads.
    let (i, j) = (snapped.iter().position(|&s| s).unwrap(), snapped.iter().rposition(|&s| s).unwrap());
    let path = router.path(points[i], points[j]).unwrap();
    assert!(close(Some(path.duration_s), table.durations_s[i][j]));
    assert_eq!(path.points.first(), Some(&points[i]), "the path starts at the point, not its road node");
    assert!(path.points.len() >= 2 && path.distance_m >= table.distances_m[i][j].unwrap());
}

#[test]
fn oneway_streets_are_respected() {
    let pack = open("monaco");
    let router = pack.router().unwrap();
    let g = router.graph();
    let tail = g.tail();
    // An arc a->b with no arc b->a: a oneway segment.
    let arc = (0..g.arc_count())
        .find(|&arc| {
            let (a, b) = (tail[arc], g.head[arc]);
            g.time_ds[arc] > 20 && !g.arcs_of(b).any(|x| g.head[x] == a)
        })
        .expect("Monaco has oneway streets");
    let (a, b) = (tail[arc] as usize, g.head[arc] as usize);
    let (pa, pb) = ((g.lat[a], g.lon[a]), (g.lat[b], g.lon[b]));
    let t = router.table(&[pa, pb], &[pa, pb]);
    let (ab, ba) = (t.durations_s[0][1].unwrap(), t.durations_s[1][0].unwrap());
    assert!(ab <= g.time_ds[arc] as f64 / 10.0, "with the oneway: {ab}");
    assert!(ba > ab, "against the oneway it takes a detour: {ba} vs {ab}");
}

#[test]
fn closures_avoid_closed_roads_and_can_be_lifted() {
    let mut pack = open("monaco");
    let g = pack.router().unwrap().graph().clone();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(9);
    let n = |rng: &mut rand_chacha::ChaCha8Rng| {
        let n = rng.gen_range(0..g.node_count());
        (g.lat[n], g.lon[n])
    };
    let (from, to) = (n(&mut rng), n(&mut rng));
    let before = pack.router().unwrap().table(&[from], &[to]).durations_s[0][0].unwrap();
    // A small square around the destination's node: every road into it is closed.
    let snap = pack.router().unwrap().snap(to.0, to.1).unwrap();
    let c = pack.router().unwrap().node_point(snap.node);
    let d = 0.0002;
    let square = aidmap::region::router::square(c, d);
    let closed = pack.router_mut().unwrap().set_closures(&[ClosureShape::Area(square)]);
    assert!(closed > 0);
    assert_eq!(pack.router().unwrap().table(&[from], &[to]).durations_s[0][0], None, "unreachable, reported as such");
    assert_eq!(
        pack.router().unwrap().dijkstra(pack.router().unwrap().snap(from.0, from.1).unwrap().node, snap.node),
        None
    );
    // A line across the fastest path makes the trip longer (or impossible), never shorter.
    pack.router_mut().unwrap().set_closures(&[]);
    let path = pack.router().unwrap().path(from, to).unwrap();
    let mid = path.points[path.points.len() / 2];
    let (p, q) = (path.points[path.points.len() / 2 - 1], mid);
    let (mx, my) = ((p.1 + q.1) / 2.0, (p.0 + q.0) / 2.0);
    let (dx, dy) = (q.1 - p.1, q.0 - p.0);
    let across = geo::LineString::from(vec![(mx - dy, my + dx), (mx + dy, my - dx)]);
    pack.router_mut().unwrap().set_closures(&[ClosureShape::Line(across)]);
    let after = pack.router().unwrap().table(&[from], &[to]).durations_s[0][0];
    assert!(after.is_none_or(|t| t > before), "{after:?} vs {before}");
    pack.router_mut().unwrap().set_closures(&[]);
    assert_eq!(pack.router().unwrap().table(&[from], &[to]).durations_s[0][0], Some(before));
}

#[test]
fn helsinki_imports_despite_missing_nodes_and_finds_addresses() {
    let pack = open("helsinki");
    let info = pack.info();
    assert!(info.missing_node_refs > 0 && info.ways_skipped > 0, "the clipped extract reports what it skipped");
    assert!(info.addresses > 1000, "~1,470 addresses: {}", info.addresses);
    let top = |q: &str| pack.geocode(q, 5).unwrap().into_iter().next().unwrap_or_else(|| panic!("nothing for {q:?}"));
    assert_eq!(top("Mannerheimintie").label, "Mannerheimintie");
    assert_eq!(top("mannerh").label, "Mannerheimintie", "partial");
    assert_eq!(top("Manerheimintie").label, "Mannerheimintie", "misspelled");
    assert_eq!(top("ALEKSANTERINKATU 52").label, "Aleksanterinkatu 52, Helsinki", "exact address, any case");
    assert_eq!(top("Aleksanterinktu").label, "Aleksanterinkatu", "a letter missing");
    // Missing diacritics: a label with ä or ö found by its plain spelling.
    let conn = rusqlite::Connection::open(pack_path("helsinki")).unwrap();
    let label: String = conn
        .query_row(
            "SELECT label FROM place WHERE label GLOB '*[äöå]*' AND kind = 'street' ORDER BY label LIMIT 1",
            [],
            |r| r.get(0),
        )
        .expect("Helsinki has streets with ä or ö");
    let plain: String = label
        .chars()
        .map(|c| match c {
            'ä' | 'å' => 'a',
            'ö' => 'o',
            c => c,
        })
        .collect();
    assert_eq!(top(&plain).label, label, "{plain:?} finds {label:?}");
    for r in pack.geocode("Mannerheimintie", 10).unwrap() {
        let [a, b, c, d] = info.bounds;
        assert!(
            (a - 0.01..=c + 0.01).contains(&r.lat) && (b - 0.01..=d + 0.01).contains(&r.lon),
            "{r:?} inside the region"
        );
    }
    assert!(pack.geocode("   ", 5).unwrap().is_empty());
}

#[test]
fn bad_extracts_give_a_clear_error_and_no_pack() {
    let dir = tempdir();
    let bytes = std::fs::read(fixture("monaco.osm.pbf")).unwrap();
    let truncated = dir.path().join("truncated.osm.pbf");
    std::fs::write(&truncated, &bytes[..bytes.len() / 3]).unwrap();
    let random = dir.path().join("random.osm.pbf");
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
    std::fs::write(&random, (0..50_000).map(|_| rng.gen::<u8>()).collect::<Vec<_>>()).unwrap();
    for input in [&truncated, &random, &dir.path().join("missing.osm.pbf")] {
        let out = dir.path().join("out.region");
        let err = region::build(input, &out, chrono::Utc::now(), &mut |_, _| true).unwrap_err();
        assert!(matches!(err, Error::Corrupt(_) | Error::FileNotFound), "{}: {err:?}", input.display());
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert!(left.iter().all(|n| !n.to_string_lossy().starts_with("out.region")), "{left:?}");
    }
    // Cancelled in any phase: nothing left behind.
    for phase in region::PHASES {
        let out = dir.path().join("cancelled.region");
        let err =
            region::build(&fixture("helsinki.osm.pbf"), &out, chrono::Utc::now(), &mut |p, _| p != phase).unwrap_err();
        assert!(matches!(err, Error::Cancelled), "{phase}: {err:?}");
        assert!(std::fs::read_dir(dir.path()).unwrap().all(|e| !e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .starts_with("cancelled")));
    }
    // Not a pack.
    assert!(matches!(RegionPack::open(&fixture("operation-v1.aidmap")), Err(Error::NotARegion)));
}

#[test]
fn closures_live_in_the_operation_are_audited_and_drive_the_router() {
    use aidmap::closure::ClosureInput;
    use aidmap::vocab::AuditAction;
    let dir = tempdir();
    let mut store = new_store(dir.path());
    let mut pack = open("monaco");
    let g = pack.router().unwrap().graph().clone();
    let (from, to) = ((g.lat[10], g.lon[10]), (g.lat[5000], g.lon[5000]));
    let before = pack.router().unwrap().table(&[from], &[to]).durations_s[0][0].unwrap();
    let node = pack.router().unwrap().snap(to.0, to.1).unwrap().node;
    let c = pack.router().unwrap().node_point(node);
    let d = 0.0002;
    let square = serde_json::json!({"type": "Polygon", "coordinates": [[
        [c.x() - d, c.y() - d], [c.x() + d, c.y() - d], [c.x() + d, c.y() + d], [c.x() - d, c.y() + d], [c.x() - d, c.y() - d]
    ]]});
    let bad = ClosureInput {
        name: " ".into(),
        geometry: serde_json::json!({"type": "Point", "coordinates": [7.4, 43.7]}),
        active: true,
        high_clearance_only: false,
    };
    let Err(Error::Validation(fields)) = store.create_closure(&bad) else { panic!("a bad closure was saved") };
    assert_eq!(fields.iter().map(|f| f.field.as_str()).collect::<Vec<_>>(), ["name", "geometry"]);

    let mut input =
        ClosureInput { name: "Flooded square".into(), geometry: square, active: true, high_clearance_only: false };
    let closure = store.create_closure(&input).unwrap();
    pack.router_mut().unwrap().set_closures(&store.closure_shapes().unwrap());
    assert_eq!(pack.router().unwrap().table(&[from], &[to]).durations_s[0][0], None);

    input.active = false;
    store.update_closure(&closure.id, &input).unwrap();
    pack.router_mut().unwrap().set_closures(&store.closure_shapes().unwrap());
    assert_eq!(
        pack.router().unwrap().table(&[from], &[to]).durations_s[0][0],
        Some(before),
        "switched off: open again"
    );

    store.delete_closure(&closure.id).unwrap();
    assert!(store.closures().unwrap().is_empty());
    let log: Vec<(AuditAction, String)> =
        store.audit(&Default::default(), 10, 0).unwrap().items.into_iter().map(|e| (e.action, e.detail)).collect();
    assert_eq!(
        log,
        [
            (AuditAction::Delete, "".into()),
            (AuditAction::Update, "switched off".into()),
            (AuditAction::Create, "".into())
        ]
    );
}

#[test]
fn route_matrix_and_geocode_from_the_command_line() {
    let dir = tempdir();
    let points = dir.path().join("points.csv");
    std::fs::write(&points, "id,lat,lon\nhub,43.7325,7.4189\nmarket,43.7384,7.4246\n").unwrap();
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_aidmap"))
            .args(args)
            .env("AIDMAP_CONFIG_DIR", dir.path())
            .output()
            .unwrap()
    };
    let region = pack_path("monaco");
    let out = run(&["route", "matrix", "--region", region.to_str().unwrap(), "--points", points.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["ids"], serde_json::json!(["hub", "market"]));
    assert_eq!(v["estimated"], false);
    assert!(v["durations_s"][0][1].as_f64().unwrap() > 0.0 && v["distances_m"][1][0].as_f64().unwrap() > 0.0);

    // A closure around the market (GeoJSON): unreachable pairs are null.
    let closures = dir.path().join("closures.geojson");
    let d = 0.003;
    std::fs::write(&closures, serde_json::json!({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, "geometry": {
        "type": "Polygon", "coordinates": [[[7.4246 - d, 43.7384 - d], [7.4246 + d, 43.7384 - d], [7.4246 + d, 43.7384 + d], [7.4246 - d, 43.7384 + d], [7.4246 - d, 43.7384 - d]]]}}]}).to_string()).unwrap();
    let out = run(&[
        "route",
        "matrix",
        "--region",
        region.to_str().unwrap(),
        "--points",
        points.to_str().unwrap(),
        "--closures",
        closures.to_str().unwrap(),
    ]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["durations_s"][0][1], serde_json::Value::Null);

    // No region: estimates, said so.
    let out = run(&["route", "matrix", "--points", points.to_str().unwrap(), "--format", "csv"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("straight-line estimates"));
    let csv = String::from_utf8(out.stdout).unwrap();
    assert!(csv.starts_with("from,to,duration_s,distance_m\n") && csv.lines().count() == 5, "{csv}");

    let out = run(&["geocode", "--region", pack_path("helsinki").to_str().unwrap(), "Manerheimintie"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["label"], "Mannerheimintie");
    assert!(v[0]["lat"].as_f64().is_some() && v[0]["score"].as_f64().unwrap() > 0.5);
    let out = run(&["region", "info", pack_path("helsinki").to_str().unwrap()]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["source"], "helsinki.osm.pbf");
    let out = run(&[
        "route",
        "matrix",
        "--region",
        region.to_str().unwrap(),
        "--points",
        dir.path().join("nope.csv").to_str().unwrap(),
    ]);
    assert!(!out.status.success() && String::from_utf8_lossy(&out.stderr).lines().count() == 1);
}

/// Oneway semantics on a hand-made network, independent of any extract: `oneway=yes` allows
/// only A→B, `oneway=-1` only B→A, none both.
#[test]
fn oneway_tags_decide_the_direction() {
    use aidmap::region::extract::{Oneway, RoadWay};
    use aidmap::region::graph::RoadGraph;
    use aidmap::region::router::Router;
    let way = |id: i64, oneway: Oneway, a: (i64, f64, f64), b: (i64, f64, f64)| RoadWay {
        way_id: id,
        class: "residential".into(),
        name: None,
        nodes: vec![a, b],
        oneway,
        maxspeed_kmh: None,
    };
    let (a, b, c) = ((1, 43.73, 7.42), (2, 43.731, 7.42), (3, 43.731, 7.421));
    for (oneway, ab, ba) in [(Oneway::Forward, true, false), (Oneway::Backward, false, true), (Oneway::No, true, true)]
    {
        // a-b with the tag under test; b-c and c-a two-way, so every node stays reachable.
        let roads = [way(1, oneway, a, b), way(2, Oneway::No, b, c), way(3, Oneway::No, c, a)];
        let graph = RoadGraph::build(&roads);
        let router = Router::new(graph.clone(), &Router::contraction_order(&graph));
        let t = router.table(&[(a.1, a.2), (b.1, b.2)], &[(a.1, a.2), (b.1, b.2)]);
        let direct = |from: f64| from < 20.0; // ~111 m at 25 km/h = 16 s; the detour is longer
        assert_eq!(direct(t.durations_s[0][1].unwrap()), ab, "{oneway:?} a→b {:?}", t.durations_s[0][1]);
        assert_eq!(direct(t.durations_s[1][0].unwrap()), ba, "{oneway:?} b→a {:?}", t.durations_s[1][0]);
    }
}

#[test]
fn points_outside_the_region_are_unreachable_not_snapped_far_away() {
    let pack = open("monaco");
    let inside = (43.7384, 7.4246);
    let far = (43.9, 7.9); // ~45 km away
    let t = pack.router().unwrap().table(&[inside, far, (f64::NAN, 7.4)], &[inside, far]);
    assert!(t.durations_s[0][0].is_some());
    assert_eq!((t.durations_s[0][1], t.durations_s[1][0], t.durations_s[2][0]), (None, None, None));
    assert!(pack.router().unwrap().path(inside, far).is_none());
}
