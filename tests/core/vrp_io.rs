//! Routing instances and solutions: the readers (VRPLIB, Solomon, `mutual-aid-vrp/1`), the
//! independent checker against the best-known solutions, the generator, the solution files and
//! the `solve` / `vrp` commands.

use std::path::{Path, PathBuf};
use std::process::Command;

use aidmap::vrp::evaluate::evaluate;
use aidmap::vrp::generate::generate;
use aidmap::vrp::io::{self, mutual_aid, Format};
use aidmap::vrp::model::{Problem, Route, Solution, Stop, Unserved, Vehicle, UNREACHABLE};
use aidmap::{Error, ErrorCode};

use crate::util::tempdir;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/vrp").join(name)
}

fn read(name: &str) -> (Problem, Format) {
    io::read_with_format(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn bks(name: &str) -> (Problem, Solution) {
    let (problem, _) = read(&format!("{name}.vrp"));
    let text = std::fs::read_to_string(fixture(&format!("{name}.sol"))).unwrap();
    let solution = io::read_solution(&problem, &text).unwrap();
    (problem, solution)
}

#[test]
fn best_known_solutions_cost_exactly_their_bks_and_are_feasible() {
    // DIMACS tenths for the Solomon files, whole distances for X.
    for (name, format, cost, routes) in [
        ("C101", Format::Cvrptw, 8273, 10),
        ("R101", Format::Cvrptw, 16377, 20),
        ("X-n101-k25", Format::Cvrp, 27591, 26),
    ] {
        assert_eq!(read(&format!("{name}.vrp")).1, format);
        let (problem, solution) = bks(name);
        assert_eq!(problem.name, name);
        assert_eq!(solution.routes.len(), routes);
        assert!(solution.unserved.is_empty());
        let e = evaluate(&problem, &solution);
        assert_eq!(e.violations, Vec::<String>::new(), "{name}");
        assert!(e.feasible);
        assert_eq!((e.cost, e.distance), (cost, cost), "{name}");
        assert_eq!(e.served, 100);
        assert_eq!(e.routes.len(), routes);
    }
}

#[test]
fn vrplib_conventions_are_the_harness_ones() {
    let (c101, _) = read("C101.vrp");
    assert_eq!((c101.size, c101.stops.len(), c101.dims), (101, 100, 1));
    // Depot (40, 50) to node 2 (45, 68): √349 = 18.68… → 186 tenths; service 90 → 900.
    assert_eq!(c101.distance(0, 1), 186);
    assert_eq!(c101.duration(0, 1), 186);
    let s = &c101.stops[0];
    assert_eq!((s.id.as_str(), s.location, s.demand[0], s.tw, s.service), ("1", 1, 10, (9120, 9670), 900));
    assert!(c101.stops.iter().all(|s| s.required && s.penalty == 0));
    assert_eq!(c101.vehicles.len(), 25);
    let v = &c101.vehicles[0];
    assert_eq!((v.shift, v.capacity[0], v.start, v.end), ((0, 12360), 200, 0, 0));
    assert_eq!((v.cost_per_metre, v.cost_per_second, v.fixed_cost), (1, 0, 0));
    assert_eq!(c101.duration, c101.distance);

    let (x, _) = read("X-n101-k25.vrp");
    // (365, 689) to (146, 180): √307042 = 554.1 → 554.
    assert_eq!(x.distance(0, 1), 554);
    // No fleet size in the file: ceil(1.3·k) + 2 with k = ceil(demand / capacity).
    let demand: i64 = x.stops.iter().map(|s| s.demand[0]).sum();
    let k = (demand as f64 / 206.0).ceil();
    assert_eq!(x.vehicles.len(), ((1.3 * k).ceil() + 2.0) as usize);
    assert!(x.stops.iter().all(|s| s.service == 0 && s.tw.0 == 0));
}

#[test]
fn solomon_text_reads_as_the_vrplib_file() {
    let (txt, format) = read("C101.txt");
    assert_eq!(format, Format::Solomon);
    let (vrp, _) = read("C101.vrp");
    assert_eq!(txt, Problem { name: "C101".into(), ..vrp });
    // The harness's projection of a mutual-aid instance is named `<name>-sol`.
    let text = std::fs::read(fixture("C101.txt")).unwrap();
    assert_eq!(io::parse(&text, "ma-0200-s1.solomon.txt").unwrap().0.name, "ma-0200-s1-sol");
    let text = std::fs::read_to_string(fixture("C101.sol")).unwrap();
    assert_eq!(evaluate(&txt, &io::read_solution(&txt, &text).unwrap()).cost, 8273);
}

#[test]
fn broken_solutions_are_reported() {
    let (problem, good) = bks("C101");
    let id = |s: usize| problem.stops[s].id.clone();

    // A stop twice: in its own route and in another one.
    let mut twice = good.clone();
    let s = twice.routes[0].stops[0];
    twice.routes[1].stops.push(s);
    let e = evaluate(&problem, &twice);
    assert!(!e.feasible);
    assert!(
        e.violations.iter().any(|v| v.starts_with("route 2 (vehicle v2): stop ")
            && v.contains(&format!("stop {} is also served by route 1", id(s)))),
        "{:?}",
        e.violations
    );
    let mut same_route = good.clone();
    same_route.routes[0].stops.push(s);
    let e = evaluate(&problem, &same_route);
    assert!(e.violations.iter().any(|v| v.contains(&format!("stop {} is served twice", id(s)))), "{:?}", e.violations);

    // Over capacity: two routes driven as one.
    let mut heavy = good.clone();
    let second = heavy.routes.remove(1);
    heavy.routes[0].stops.extend(second.stops);
    let load: i64 = heavy.routes[0].stops.iter().map(|&s| problem.stops[s].demand[0]).sum();
    let e = evaluate(&problem, &heavy);
    assert!(
        e.violations.contains(&format!("route 1 (vehicle v1): loads {load}, over the capacity of 200")),
        "{:?}",
        e.violations
    );

    // Late: a route driven backwards misses windows (C101's are narrow).
    let mut late = good.clone();
    late.routes[0].stops.reverse();
    let e = evaluate(&problem, &late);
    assert!(
        e.violations
            .iter()
            .any(|v| v.starts_with("route 1 (vehicle v1): stop ") && v.contains("after its window ends at")),
        "{:?}",
        e.violations
    );
    let schedule = &e.routes[0];
    assert!(schedule.visits.iter().any(|v| v.start > problem.stops[v.stop].tw.1));

    // A required stop left out; a vehicle driving two routes; a stop "unserved" yet served.
    let mut missing = good.clone();
    let dropped = missing.routes[3].stops.pop().unwrap();
    missing.routes[4].vehicle = missing.routes[5].vehicle;
    missing.unserved.push((missing.routes[0].stops[0], Unserved::NotChosen));
    let e = evaluate(&problem, &missing);
    assert!(e.violations.contains(&format!("required stop {} is not served", id(dropped))), "{:?}", e.violations);
    assert!(e.violations.iter().any(|v| v.starts_with("route 6 (vehicle v6): the vehicle already drives route 5")));
    assert!(e.violations.iter().any(|v| v.contains("is listed as unserved (NotChosen) but route 1 serves it")));
    assert_eq!(e.unserved, vec![dropped]);

    // Indices out of range are reported, not a panic.
    let nonsense = Solution {
        routes: vec![Route { vehicle: 99, stops: vec![0] }, Route { vehicle: 0, stops: vec![500] }],
        unserved: vec![(700, Unserved::NotChosen)],
    };
    let e = evaluate(&problem, &nonsense);
    assert!(!e.feasible);
    assert!(e.violations.iter().any(|v| v == "route 1: vehicle index 99 of 25 vehicles"));
    assert!(e.violations.iter().any(|v| v == "route 2 (vehicle v1): stop index 500 of 100 stops"));
}

/// A depot and three stops on a line, 100 s apart; stop 2 opens late.
fn tiny() -> Problem {
    let pos = [0i64, 100, 200, 300];
    let matrix: Vec<i64> = pos.iter().flat_map(|a| pos.iter().map(move |b| (a - b).abs())).collect();
    let stop = |k: usize, tw: (i64, i64)| Stop {
        id: format!("s{k}"),
        location: k,
        demand: vec![1, 2],
        service: 10,
        tw,
        required: k != 3,
        penalty: 500,
        skills: if k == 3 { 0b10 } else { 0 },
        vehicle: None,
        allowed: None,
    };
    Problem {
        name: "tiny".into(),
        dims: 2,
        size: 4,
        duration: matrix.clone(),
        distance: matrix.iter().map(|d| d * 3).collect(),
        stops: vec![stop(1, (0, 10_000)), stop(2, (1000, 1100)), stop(3, (0, 10_000))],
        vehicles: vec![Vehicle {
            id: "van".into(),
            capacity: vec![3, 10],
            shift: (0, 5000),
            start: 0,
            end: 0,
            skills: 0b01,
            max_duration: 1500,
            fixed_cost: 1000,
            cost_per_second: 2,
            cost_per_metre: 1,
        }],
    }
}

#[test]
fn schedules_waiting_durations_costs_and_skills() {
    let problem = tiny();
    problem.check().unwrap();
    let two =
        Solution { routes: vec![Route { vehicle: 0, stops: vec![0, 1] }], unserved: vec![(2, Unserved::NotChosen)] };
    let e = evaluate(&problem, &two);
    assert!(e.feasible, "{:?}", e.violations);
    let r = &e.routes[0];
    // Leaves at 0, s1 at 100 (serves to 110), s2 at 210, waits until 1000, leaves 1010, back 1210.
    assert_eq!((r.departure, r.arrival), (0, 1210));
    assert_eq!(
        r.visits.iter().map(|v| (v.arrival, v.start, v.departure)).collect::<Vec<_>>(),
        [(100, 100, 110), (210, 1000, 1010)]
    );
    assert_eq!(r.visits.iter().map(|v| v.load_after.clone()).collect::<Vec<_>>(), [vec![1, 2], vec![0, 0]]);
    assert_eq!(r.load, vec![2, 4]);
    // The wait can be avoided by leaving later: latest departure 1100 - 210 = 890, span 420.
    assert_eq!((r.latest_departure, r.span), (Some(890), 420));
    assert_eq!((r.duration, r.distance), (400, 1200));
    assert_eq!(r.cost, 1000 + 1200 + 2 * 400);
    assert_eq!((e.penalty, e.cost), (500, 1000 + 1200 + 800 + 500));

    // Waiting a later departure avoids does not count against the maximum duration.
    let mut tight = problem.clone();
    tight.vehicles[0].max_duration = 420;
    assert!(evaluate(&tight, &two).feasible);
    tight.vehicles[0].max_duration = 419;
    assert_eq!(evaluate(&tight, &two).violations, ["route 1 (vehicle van): takes 420, longer than its maximum of 419"]);

    // The third stop needs a skill the van lacks; a smaller van is overloaded in dimension 1.
    let all = Solution { routes: vec![Route { vehicle: 0, stops: vec![0, 1, 2] }], unserved: vec![] };
    let e = evaluate(&problem, &all);
    assert!(
        e.violations.contains(&"route 1 (vehicle van): stop s3 needs skills the vehicle lacks".to_string()),
        "{:?}",
        e.violations
    );
    assert!(!e.violations.iter().any(|v| v.contains("loads")), "{:?}", e.violations);
    let mut heavy = problem.clone();
    heavy.vehicles[0].capacity = vec![2, 10];
    let e = evaluate(&heavy, &all);
    assert!(
        e.violations.contains(&"route 1 (vehicle van): loads 3 in dimension 1, over the capacity of 2".to_string()),
        "{:?}",
        e.violations
    );

    // An unreachable leg; then a shift ending too early, which no later departure mends, and
    // a maximum duration the route cannot keep.
    let mut strict = problem.clone();
    strict.duration[4 + 2] = UNREACHABLE;
    let e = evaluate(&strict, &two);
    assert!(
        e.violations.contains(&"route 1 (vehicle van): no road from location 1 to location 2".to_string()),
        "{:?}",
        e.violations
    );
    assert!(!e.feasible);
    let mut short = problem.clone();
    short.vehicles[0].max_duration = 400;
    short.vehicles[0].shift.1 = 1200;
    let e = evaluate(&short, &two);
    assert_eq!(e.routes[0].latest_departure, None);
    assert_eq!(
        e.violations,
        [
            "route 1 (vehicle van): back at 1210, after the shift ends at 1200",
            "route 1 (vehicle van): takes 1210, longer than its maximum of 400"
        ]
    );
}

#[test]
fn the_generator_is_deterministic_and_follows_the_recipe() {
    // The same file as the fixture, byte for byte: a seed names an instance for good.
    let fifty = generate(50, 1);
    let expected = std::fs::read_to_string(fixture("ma-0050-s1.json")).unwrap();
    assert_eq!(mutual_aid::to_json(&fifty), expected);
    assert_eq!(generate(120, 7), generate(120, 7));
    assert_ne!(generate(120, 7), generate(120, 8));

    for (n, seed) in [(50, 1), (400, 2), (2500, 3)] {
        let g = generate(n, seed);
        assert_eq!((g.format.as_str(), g.stops.len()), (mutual_aid::FORMAT, n));
        assert_eq!(g.name, format!("ma-{n:04}-s{seed}"));
        assert_eq!(g.drivers.len(), ((n as f64 / 25.0).round() as usize).clamp(10, 80));
        let required: Vec<_> = g.stops.iter().filter(|s| s.required).collect();
        let demand: i64 = required.iter().map(|s| s.demand).sum();
        let capacity: i64 = g.drivers.iter().map(|d| d.capacity).sum();
        assert!(4 * capacity >= 5 * demand, "{n}: capacity {capacity} for {demand}");
        let work: i64 = required.iter().map(|s| s.service_s + 240).sum();
        let hours: i64 =
            g.drivers.iter().map(|d| (d.shift.1.min(g.hub.close_s) - d.shift.0.max(g.hub.open_s)).max(0)).sum();
        let full = g.drivers.iter().all(|d| d.shift.0 <= g.hub.open_s && d.shift.1 >= g.hub.close_s);
        assert!(2 * hours >= 3 * work || full, "{n}: {hours} s of drivers for {work} s");
        for s in &g.stops {
            assert!((1..=8).contains(&s.demand) && (300..=600).contains(&s.service_s));
            assert!((0.0..=20_000.0).contains(&s.x) && (0.0..=20_000.0).contains(&s.y));
            assert_eq!(s.required, s.priority != Some(3));
            assert!(if s.required { s.penalty == 0 } else { (900..=2700).contains(&s.penalty) });
            let (a, b) = s.tw.unwrap();
            assert!(
                (a, b) == mutual_aid::DEFAULT_WINDOW
                    || (a >= 9 * 3600 && b <= 19 * 3600 && [2, 3, 4].contains(&((b - a) / 3600)))
            );
        }
        let scattered = g.stops.iter().filter(|s| s.neighbourhood == Some(-1)).count();
        assert!(n < 400 || (scattered as f64 / n as f64 - 0.10).abs() < 0.03, "{scattered} scattered of {n}");
        // The reader reads what the generator writes.
        let problem = io::parse(mutual_aid::to_json(&g).as_bytes(), "x.json").unwrap().0;
        assert_eq!(
            (problem.stops.len(), problem.vehicles.len(), problem.name.as_str()),
            (n, g.drivers.len(), g.name.as_str())
        );
    }
}

#[test]
fn mutual_aid_conventions() {
    let (p, format) = read("ma-0050-s1.json");
    assert_eq!(format, Format::MutualAid);
    let spec: mutual_aid::Instance =
        serde_json::from_str(&std::fs::read_to_string(fixture("ma-0050-s1.json")).unwrap()).unwrap();
    assert_eq!((p.size, p.dims, p.vehicles.len()), (51, 1, 10));
    let (hx, hy) = (spec.hub.x, spec.hub.y);
    for (k, s) in spec.stops.iter().enumerate() {
        let travel = ((hx - s.x).powi(2) + (hy - s.y).powi(2)).sqrt() / 6.0;
        assert_eq!(p.duration(0, k + 1), travel.round_ties_even() as i64);
        assert_eq!(p.distance(k + 1, 0), p.duration(0, k + 1));
        let stop = &p.stops[k];
        assert_eq!(
            (stop.id.as_str(), stop.location, stop.demand[0], stop.service, stop.required),
            (s.id.as_str(), k + 1, s.demand, s.service_s, s.required)
        );
        assert_eq!(stop.tw, s.tw.unwrap());
    }
    for (v, d) in p.vehicles.iter().zip(&spec.drivers) {
        assert_eq!(v.id, d.id);
        assert_eq!(v.shift, (d.shift.0.max(spec.hub.open_s), d.shift.1.min(spec.hub.close_s)));
        assert_eq!((v.cost_per_second, v.cost_per_metre, v.start, v.end, v.capacity[0]), (1, 0, 0, 0, d.capacity));
    }
    // Nothing served: the penalties of the optional stops, infeasible for the required ones.
    let e = evaluate(&p, &Solution { routes: vec![], unserved: vec![] });
    let penalties: i64 = spec.stops.iter().filter(|s| !s.required).map(|s| s.penalty).sum();
    assert_eq!((e.cost, e.penalty), (penalties, penalties));
    assert_eq!(e.violations.len(), spec.stops.iter().filter(|s| s.required).count());

    // No window: 08:00–20:00; no `required`: required.
    let text = r#"{"format": "mutual-aid-vrp/1", "travel": {"speed_mps": 5},
        "hub": {"x": 0, "y": 0, "open_s": 30000, "close_s": 60000},
        "drivers": [{"id": "a", "capacity": 4, "shift": [20000, 50000]}],
        "stops": [{"id": "x", "x": 30, "y": 40, "demand": 1, "service_s": 60},
                  {"id": "y", "x": 7.5, "y": 0, "demand": 1, "service_s": 60, "required": false, "penalty": 9}]}"#;
    let (p, _) = io::parse(text.as_bytes(), "small.json").unwrap();
    assert_eq!(p.name, "small");
    assert_eq!((p.stops[0].tw, p.stops[0].required, p.stops[1].penalty), ((28800, 72000), true, 9));
    assert_eq!(p.vehicles[0].shift, (30000, 50000));
    // 50 m at 5 m/s; 7.5 m / 5 = 1.5 → 2 (ties to even), 0.5 → 0 below.
    assert_eq!((p.duration(0, 1), p.duration(0, 2)), (10, 2));
    let half = text.replace("\"x\": 7.5", "\"x\": 2.5");
    assert_eq!(io::parse(half.as_bytes(), "small.json").unwrap().0.duration(0, 2), 0);
}

#[test]
fn solutions_round_trip() {
    // Mutual aid: drivers and stop ids.
    let (problem, _) = read("ma-0050-s1.json");
    let solution = Solution {
        routes: vec![Route { vehicle: 3, stops: vec![4, 0, 17] }, Route { vehicle: 0, stops: vec![2, 1] }],
        unserved: (0..50).filter(|s| ![4, 0, 17, 2, 1].contains(s)).map(|s| (s, Unserved::NotChosen)).collect(),
    };
    let mut text = Vec::new();
    io::write_solution(&problem, &solution, &mut text).unwrap();
    let text = String::from_utf8(text).unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json["routes"][0]["driver"], "d04");
    assert_eq!(json["routes"][0]["stops"], serde_json::json!(["s0005", "s0001", "s0018"]));
    assert_eq!(io::read_solution(&problem, &text).unwrap(), solution);

    // VRPLIB: no driver, matrix indices; routes without a driver take the vehicles in order.
    let (problem, bks) = bks("C101");
    let mut text = Vec::new();
    io::write_solution(&problem, &bks, &mut text).unwrap();
    let text = String::from_utf8(text).unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert!(json["routes"][0].get("driver").is_none());
    assert_eq!(json["routes"][0]["stops"][0], 5);
    assert_eq!(io::read_solution(&problem, &text).unwrap(), bks);

    // Stops as digit strings are matrix indices too; an empty route is dropped.
    let mixed = r#"{"routes": [{"stops": ["5", 3]}, {"stops": []}, {"driver": "v9", "stops": [7]}]}"#;
    let read = io::read_solution(&problem, mixed).unwrap();
    assert_eq!(read.routes, [Route { vehicle: 0, stops: vec![4, 2] }, Route { vehicle: 8, stops: vec![6] }]);
    assert_eq!(read.unserved.len(), 97);

    for bad in [
        r#"{"routes": [{"driver": "nobody", "stops": [1]}]}"#,
        r#"{"routes": [{"stops": [0]}]}"#,
        r#"{"routes": [{"stops": ["s0001"]}]}"#,
        r#"{"routes": [{"stops": [-1]}]}"#,
        r#"{"routes": "#,
        "Route #1: 1 2 x",
        "hello",
    ] {
        let e = io::read_solution(&problem, bad).unwrap_err();
        assert!(matches!(e, Error::InvalidSolution(_)), "{bad}: {e}");
        assert_eq!(e.code(), ErrorCode::UnreadableFile);
    }
    let many = format!("{{\"routes\": [{}]}}", vec!["{\"stops\": [1]}"; 26].join(","));
    assert!(io::read_solution(&problem, &many).unwrap_err().to_string().contains("more routes than vehicles"));
}

fn refused(bytes: &[u8], name: &str) -> String {
    match io::parse(bytes, name) {
        Err(e @ Error::InvalidInstance(_)) => {
            assert_eq!(e.code(), ErrorCode::UnreadableFile);
            e.to_string()
        }
        Err(e) => panic!("{name}: not an InvalidInstance: {e}"),
        Ok(_) => panic!("{name}: accepted"),
    }
}

fn refused_with(bytes: &[u8], name: &str, needle: &str) {
    let message = refused(bytes, name);
    assert!(message.contains(needle), "{name}: {message:?} does not say {needle:?}");
}

#[test]
fn bad_instances_are_refused_never_a_panic() {
    let json = std::fs::read_to_string(fixture("ma-0050-s1.json")).unwrap();
    let c101 = std::fs::read_to_string(fixture("C101.vrp")).unwrap();
    let solomon = std::fs::read_to_string(fixture("C101.txt")).unwrap();
    refused_with(b"", "a.vrp", "empty");
    refused_with(b" \n\t\n", "a.json", "empty");
    refused_with(&[0xff, 0xfe, 0x00], "a.vrp", "UTF-8");
    refused_with(&json.as_bytes()[..json.len() / 2], "a.json", "ends too early");
    refused_with(json.replace("mutual-aid-vrp/1", "mutual-aid-vrp/2").as_bytes(), "a.json", "\"format\" field is not");
    refused_with(json.replacen("\"format\": \"mutual-aid-vrp/1\",", "", 1).as_bytes(), "a.json", "no \"format\" field");
    refused_with(b"[1, 2]", "a.json", "not a JSON object");
    refused_with(json.replacen("\"id\":\"s0002\"", "\"id\":\"s0001\"", 1).as_bytes(), "a.json", "stop 2 (stops[1])");
    refused_with(json.replacen("\"speed_mps\":6", "\"speed_mps\":0", 1).as_bytes(), "a.json", "speed_mps");
    refused_with(json.replacen("\"service_s\":", "\"service_s\":-", 1).as_bytes(), "a.json", "stop 1");
    refused_with(
        json.replacen("\"service_s\":", "\"service_s\":\"Alice\",\"x\":", 1).as_bytes(),
        "a.json",
        "wrong type",
    );
    assert!(!refused(json.replacen("\"service_s\":", "\"service_s\":\"Alice\",\"x\":", 1).as_bytes(), "a.json")
        .contains("Alice"));

    let head = |text: &str, lines: usize| text.lines().take(lines).map(|l| format!("{l}\n")).collect::<String>();
    refused_with(head(&c101, 160).as_bytes(), "a.vrp", "DEMAND_SECTION must list every node");
    refused_with(c101.replace("DIMENSION : 101", "DIMENSION : 102").as_bytes(), "a.vrp", "DIMENSION");
    refused_with(c101.replace("EUC_2D", "EXPLICIT").as_bytes(), "a.vrp", "EUC_2D");
    refused_with(c101.replace("\n3 45 70\n", "\n4 45 70\n").as_bytes(), "a.vrp", "line 11: expected node 3");
    refused_with(c101.replace("CAPACITY : 200", "CAPACITY : -5").as_bytes(), "a.vrp", "CAPACITY");
    refused_with(c101.replace("DEPOT_SECTION\n1", "DEPOT_SECTION\n2").as_bytes(), "a.vrp", "depot");
    refused_with(c101.replace("\n2 912 967\n", "\n2 967 912\n").as_bytes(), "a.vrp", "stop 1");
    refused_with(b"hello world\n", "a.vrp", "line 1");
    refused_with(solomon.replace("25         200", "25").as_bytes(), "a.txt", "line 5");
    refused_with(format!("{} 51 25 85\n", head(&solomon, 60)).as_bytes(), "a.txt", "line 61: expected 7 numbers");

    // Every prefix of every fixture: an answer, never a panic.
    for text in [&json, &c101, &solomon] {
        for cut in (0..text.len()).step_by(7).filter(|&c| text.is_char_boundary(c)) {
            let _ = io::parse(&text.as_bytes()[..cut], "prefix");
        }
    }
}

#[test]
fn cli_generates_solves_and_checks() {
    let dir = tempdir();
    let run = |args: &[&str]| Command::new(env!("CARGO_BIN_EXE_aidmap")).args(args).output().expect("run aidmap");
    let generated = dir.path().join("ma.json");
    let out = run(&["vrp", "generate", "--stops", "50", "--seed", "1", "--out", generated.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        std::fs::read_to_string(&generated).unwrap(),
        std::fs::read_to_string(fixture("ma-0050-s1.json")).unwrap()
    );

    let c101 = fixture("C101.vrp");
    let out = run(&["vrp", "check", c101.to_str().unwrap(), fixture("C101.sol").to_str().unwrap()]);
    assert_eq!(String::from_utf8_lossy(&out.stdout), "cost 827.3, 10 vehicles, 100 served, 0 unserved, feasible\n");

    // Whatever the search finds, the solution file is one the readers take back.
    for instance in [c101, generated] {
        let solution = dir.path().join("solution.json");
        let out = run(&[
            "solve",
            instance.to_str().unwrap(),
            "--seconds",
            "0.2",
            "--seed",
            "3",
            "--out",
            solution.to_str().unwrap(),
        ]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(out.stdout.is_empty());
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(
            stderr.starts_with("cost ") && stderr.contains(" served, ") && stderr.trim_end().ends_with(" s"),
            "{stderr}"
        );
        let problem = io::read(&instance).unwrap();
        io::read_solution(&problem, &std::fs::read_to_string(&solution).unwrap()).unwrap();
    }

    let out = run(&["solve", "nowhere.vrp", "--seconds", "1"]);
    assert!(!out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stderr), "aidmap: file not found\n");
    let out = run(&["solve", "nowhere.vrp", "--seconds", "0"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a positive number of seconds"));
}
