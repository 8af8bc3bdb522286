//! The optimiser against the independent checker: on random small problems (property tests) every
//! returned solution respects every constraint and accounts for every stop once; on tiny problems
//! it finds the optimum a brute-force enumeration finds.

use std::sync::atomic::AtomicBool;

use aidmap::vrp::evaluate::evaluate;
use aidmap::vrp::{solve, Params, Problem, Route, Solution, Stop, Vehicle};
use proptest::prelude::*;

/// A problem on a line-and-offset grid: locations 0..vehicles are depots, then one per stop.
#[allow(clippy::too_many_arguments)]
fn problem(
    xy: &[(i64, i64)],
    demand: &[i64],
    windows: &[(i64, i64)],
    optional: &[bool],
    skills: &[u64],
    capacity: &[i64],
    vehicle_skills: &[u64],
    shift_end: i64,
) -> Problem {
    let n = xy.len();
    let depots = capacity.len();
    let mut points = vec![(0i64, 0i64); depots];
    points.extend_from_slice(xy);
    let size = points.len();
    let mut m = vec![0i64; size * size];
    for i in 0..size {
        for j in 0..size {
            let (a, b) = (points[i], points[j]);
            m[i * size + j] = (((a.0 - b.0).pow(2) + (a.1 - b.1).pow(2)) as f64).sqrt().round() as i64;
        }
    }
    let stops = (0..n)
        .map(|k| Stop {
            id: format!("s{k}"),
            location: depots + k,
            demand: vec![demand[k]],
            service: 5,
            tw: windows[k],
            required: !optional[k],
            penalty: if optional[k] { 60 } else { 0 },
            skills: skills[k],
            vehicle: None,
            allowed: None,
        })
        .collect();
    let vehicles = (0..depots)
        .map(|v| Vehicle {
            id: format!("v{v}"),
            capacity: vec![capacity[v]],
            shift: (0, shift_end),
            start: v,
            end: v,
            skills: vehicle_skills[v],
            max_duration: i64::MAX / 4,
            fixed_cost: 10,
            cost_per_second: 1,
            cost_per_metre: 0,
        })
        .collect();
    Problem { name: "prop".into(), dims: 1, size, duration: m.clone(), distance: m, stops, vehicles }
}

fn run(p: &Problem, iterations: u64, seed: u64) -> Solution {
    let params = Params { seed, max_iterations: Some(iterations), ..Params::default() };
    solve(p, &params, &AtomicBool::new(false), &mut |_| {}).unwrap()
}

fn arb_problem() -> impl Strategy<Value = Problem> {
    (1usize..=14, 1usize..=3).prop_flat_map(|(n, v)| {
        (
            proptest::collection::vec((-100i64..100, -100i64..100), n),
            proptest::collection::vec(0i64..30, n),
            proptest::collection::vec((0i64..600, 30i64..400), n),
            proptest::collection::vec(proptest::bool::weighted(0.3), n),
            proptest::collection::vec(prop_oneof![4 => Just(0u64), 1 => Just(1u64)], n),
            proptest::collection::vec(10i64..80, v),
            proptest::collection::vec(prop_oneof![Just(0u64), Just(1u64)], v),
            300i64..1500,
        )
            .prop_map(|(xy, demand, w, optional, skills, capacity, vs, end)| {
                let windows: Vec<(i64, i64)> = w.iter().map(|&(a, len)| (a, a + len)).collect();
                problem(&xy, &demand, &windows, &optional, &skills, &capacity, &vs, end)
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn every_returned_solution_respects_every_constraint(p in arb_problem(), seed in 0u64..1000) {
        let s = run(&p, 40, seed);
        let e = evaluate(&p, &s);
        // The only thing the checker may report is a required stop left out — and the engine
        // must list it as unserved with a reason.
        for v in &e.violations {
            prop_assert!(v.starts_with("required stop "), "{}", v);
        }
        let mut seen = vec![0; p.stops.len()];
        for r in &s.routes {
            for &c in &r.stops {
                seen[c] += 1;
            }
        }
        for &(c, _) in &s.unserved {
            seen[c] += 1;
        }
        prop_assert!(seen.iter().all(|&k| k == 1), "every stop served or unserved exactly once: {:?}", seen);
    }
}

/// Every way to split the stops between the vehicles and order each route; the cheapest feasible
/// cost by the checker (optional stops may be left out).
fn brute_force(p: &Problem) -> i64 {
    let n = p.stops.len();
    let v = p.vehicles.len();
    let mut best = i64::MAX;
    // Each stop: 0 = left out, 1..=v = that vehicle.
    let total = (v + 1).pow(n as u32);
    for code in 0..total {
        let mut c = code;
        let mut groups = vec![Vec::new(); v];
        let mut ok = true;
        for s in 0..n {
            let k = c % (v + 1);
            c /= v + 1;
            if k == 0 {
                ok &= !p.stops[s].required;
            } else {
                groups[k - 1].push(s);
            }
        }
        if !ok {
            continue;
        }
        // Best order per route independently (routes do not interact).
        let mut cost = 0i64;
        let mut feasible = true;
        for (veh, g) in groups.iter().enumerate() {
            if g.is_empty() {
                continue;
            }
            let mut perm = g.clone();
            let mut route_best = i64::MAX;
            permute(&mut perm, 0, &mut |order| {
                let sol = Solution { routes: vec![Route { vehicle: veh, stops: order.to_vec() }], unserved: vec![] };
                let e = evaluate(p, &sol);
                let only_unserved = e.violations.iter().all(|x| x.starts_with("required stop "));
                if only_unserved {
                    route_best = route_best.min(e.cost - e.penalty);
                }
            });
            if route_best == i64::MAX {
                feasible = false;
                break;
            }
            cost += route_best;
        }
        if feasible {
            let penalty: i64 =
                (0..n).filter(|s| !groups.iter().any(|g| g.contains(s))).map(|s| p.stops[s].penalty).sum();
            best = best.min(cost + penalty);
        }
    }
    best
}

fn permute(v: &mut Vec<usize>, k: usize, f: &mut dyn FnMut(&[usize])) {
    if k == v.len() {
        f(v);
        return;
    }
    for i in k..v.len() {
        v.swap(k, i);
        permute(v, k + 1, f);
        v.swap(k, i);
    }
}

#[test]
fn tiny_problems_are_solved_to_the_brute_force_optimum() {
    let mut rng = 7u64;
    let mut next = |m: i64| {
        rng = rng.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((rng >> 33) as i64).rem_euclid(m)
    };
    let mut solved = 0;
    for case in 0..12 {
        let n = 4 + case % 4; // 4..=7 stops
        let v = 1 + case % 2; // 1 or 2 vehicles
        let xy: Vec<(i64, i64)> = (0..n).map(|_| (next(200) - 100, next(200) - 100)).collect();
        let demand: Vec<i64> = (0..n).map(|_| 1 + next(10)).collect();
        let windows: Vec<(i64, i64)> = (0..n)
            .map(|_| {
                let a = next(400);
                (a, a + 150 + next(500))
            })
            .collect();
        let optional: Vec<bool> = (0..n).map(|_| next(4) == 0).collect();
        let p = problem(&xy, &demand, &windows, &optional, &vec![0; n], &vec![25; v], &vec![0; v], 1500);
        let optimum = brute_force(&p);
        let s = run(&p, 300, case as u64);
        let e = evaluate(&p, &s);
        if optimum == i64::MAX {
            assert!(!e.feasible, "case {case}: no feasible split exists");
            continue;
        }
        assert!(e.feasible, "case {case}: {:?}", e.violations);
        assert_eq!(e.cost, optimum, "case {case}: {n} stops, {v} vehicles");
        solved += 1;
    }
    assert!(solved >= 8, "only {solved} of 12 cases had a feasible split: the generator is too tight");
}
