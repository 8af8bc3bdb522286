//! The engine on small made-up problems: feasible results, the same result for the same seed,
//! and the reasons for stops no vehicle can serve.

use std::sync::atomic::AtomicBool;

use rand::{Rng, SeedableRng};

use super::{solve, Params};
use crate::vrp::model::{Problem, Solution, Stop, Unserved, Vehicle, UNREACHABLE};

/// Clients on a 100 × 100 square around a central depot, Euclidean ×10 integer times.
fn square(n: usize, vehicles: usize, capacity: i64, windows: bool, seed: u64) -> Problem {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let mut xy = vec![(50.0f64, 50.0f64)];
    xy.extend((0..n).map(|_| (rng.gen_range(0.0..100.0), rng.gen_range(0.0..100.0))));
    let size = n + 1;
    let mut m = vec![0i64; size * size];
    for i in 0..size {
        for j in 0..size {
            m[i * size + j] = ((xy[i].0 - xy[j].0).hypot(xy[i].1 - xy[j].1) * 10.0) as i64;
        }
    }
    let stops = (0..n)
        .map(|k| {
            let tw = if windows {
                let a = rng.gen_range(0..8000);
                (a, a + rng.gen_range(600..3000))
            } else {
                (0, 100_000)
            };
            Stop {
                id: format!("s{k}"),
                location: k + 1,
                demand: vec![rng.gen_range(1..20)],
                service: 100,
                tw,
                required: true,
                penalty: 0,
                skills: 0,
                vehicle: None,
                allowed: None,
            }
        })
        .collect();
    let vehicles = (0..vehicles)
        .map(|k| Vehicle {
            id: format!("v{k}"),
            capacity: vec![capacity],
            shift: (0, 12_000),
            start: 0,
            end: 0,
            skills: 0,
            max_duration: i64::MAX / 4,
            fixed_cost: 0,
            cost_per_second: 0,
            cost_per_metre: 1,
        })
        .collect();
    Problem { name: "square".into(), dims: 1, size, duration: m.clone(), distance: m, stops, vehicles }
}

/// An own check: every route within capacity and windows, every stop once.
fn check(p: &Problem, s: &Solution) -> i64 {
    let mut seen = vec![false; p.stops.len()];
    let mut cost = 0;
    for r in &s.routes {
        let v = &p.vehicles[r.vehicle];
        let (mut t, mut at, mut load) = (v.shift.0, v.start, 0);
        for &c in &r.stops {
            assert!(!seen[c], "stop {c} twice");
            seen[c] = true;
            let st = &p.stops[c];
            cost += p.distance(at, st.location);
            t = (t + p.duration(at, st.location)).max(st.tw.0);
            assert!(t <= st.tw.1, "stop {c} late: {t} > {}", st.tw.1);
            t += st.service;
            load += st.demand[0];
            at = st.location;
        }
        cost += p.distance(at, v.end);
        assert!(t + p.duration(at, v.end) <= v.shift.1, "back late");
        assert!(load <= v.capacity[0], "over capacity");
    }
    for (c, &was) in seen.iter().enumerate() {
        assert!(was || s.unserved.iter().any(|u| u.0 == c), "stop {c} neither served nor unserved");
    }
    cost
}

fn run(p: &Problem, iterations: u64, seed: u64) -> Solution {
    let params = Params { seed, max_iterations: Some(iterations), ..Params::default() };
    solve(p, &params, &AtomicBool::new(false), &mut |_| {}).unwrap()
}

#[test]
fn capacitated_and_time_windowed_problems_come_out_feasible() {
    for (windows, seed) in [(false, 1), (true, 2), (true, 3)] {
        let p = square(60, 12, 100, windows, seed);
        let s = run(&p, 300, seed);
        assert!(s.unserved.is_empty(), "{:?}", s.unserved);
        check(&p, &s);
    }
}

#[test]
fn the_same_seed_gives_the_same_routes_and_search_beats_the_start() {
    let p = square(50, 10, 80, true, 5);
    let a = run(&p, 200, 9);
    assert_eq!(a, run(&p, 200, 9));
    let start = check(&p, &run(&p, 0, 9));
    let searched = check(&p, &a);
    assert!(searched <= start, "{searched} > {start}");
}

#[test]
fn stops_no_vehicle_can_serve_say_why() {
    let mut p = square(8, 2, 100, false, 7);
    p.stops[0].skills = 0b10; // a cooler nobody has
    p.stops[1].demand = vec![500]; // more than any vehicle carries
    p.stops[2].tw = (50_000, 60_000); // after every shift
    let loc = p.stops[3].location;
    for o in 0..p.size {
        if o != loc {
            p.duration[o * p.size + loc] = UNREACHABLE;
            p.distance[o * p.size + loc] = UNREACHABLE;
        }
    }
    p.stops[4].required = false; // optional, cheap to skip
    p.stops[4].penalty = 0;
    let s = run(&p, 50, 1);
    let why = |c: usize| s.unserved.iter().find(|u| u.0 == c).map(|u| u.1);
    assert_eq!(why(0), Some(Unserved::SkillMissing));
    assert_eq!(why(1), Some(Unserved::NoCapacity));
    assert_eq!(why(2), Some(Unserved::OutsideEveryShift));
    assert_eq!(why(3), Some(Unserved::Unreachable));
    assert_eq!(why(4), Some(Unserved::NotChosen));
    check(&p, &s);
}

#[test]
fn a_stop_pinned_to_a_vehicle_is_served_by_that_vehicle() {
    let mut p = square(40, 6, 100, false, 11);
    for (k, stop) in p.stops.iter_mut().enumerate().take(10) {
        stop.vehicle = Some(k % 3 + 2);
    }
    for seed in [1, 2] {
        let s = run(&p, 300, seed);
        assert!(s.unserved.is_empty(), "{:?}", s.unserved);
        check(&p, &s);
        for r in &s.routes {
            for &c in &r.stops {
                if let Some(v) = p.stops[c].vehicle {
                    assert_eq!(r.vehicle, v, "stop {c} pinned to vehicle {v}");
                }
            }
        }
    }
}
