//! Arbitrary bytes as a routing instance file (`aidmap solve`; instances and solutions can come
//! from anywhere): each reader (VRPLIB, Solomon, `mutual-aid-vrp/1`, and `parse`, which picks
//! one) accepts or refuses, never panics. An accepted problem passes `Problem::check`; a route
//! with every stop on the first vehicle evaluates, and its solution file reads back the same.
//! The bytes are also read as a solution of a small fixed instance.

#![no_main]

use std::sync::OnceLock;

use aidmap::vrp::evaluate::evaluate;
use aidmap::vrp::io::{self, mutual_aid, solomon, vrplib};
use aidmap::vrp::model::{Problem, Route, Solution, Unserved};
use libfuzzer_sys::fuzz_target;

const SMALL: &str = "NAME : small\nCAPACITY : 10\nNODE_COORD_SECTION\n1 0 0\n2 3 4\n3 6 8\n\
                     DEMAND_SECTION\n1 0\n2 4\n3 5\nDEPOT_SECTION\n1\n-1\nEOF\n";

static FIXED: OnceLock<Problem> = OnceLock::new();

fn exercise(problem: &Problem) {
    problem.check().expect("a reader returned a problem that fails its own check");
    let solution = if problem.vehicles.is_empty() || problem.stops.is_empty() {
        let unserved = (0..problem.stops.len()).map(|s| (s, Unserved::NotChosen)).collect();
        Solution { routes: vec![], unserved }
    } else {
        Solution { routes: vec![Route { vehicle: 0, stops: (0..problem.stops.len()).collect() }], unserved: vec![] }
    };
    let e = evaluate(problem, &solution);
    assert_eq!(e.feasible, e.violations.is_empty());
    assert_eq!(e.served + e.unserved.len(), problem.stops.len());
    let mut text = Vec::new();
    io::write_solution(problem, &solution, &mut text).expect("a solution of the problem is written");
    let text = String::from_utf8(text).expect("solution files are UTF-8");
    let back = io::read_solution(problem, &text).expect("a written solution reads back");
    assert_eq!(back, solution, "the solution file reads back the same");
}

fuzz_target!(|data: &[u8]| {
    for name in ["instance.vrp", "instance.json", "instance.solomon.txt"] {
        if let Ok((problem, _)) = io::parse(data, name) {
            exercise(&problem);
        }
    }
    if let Ok(text) = std::str::from_utf8(data) {
        for problem in [vrplib::parse(text, "x").map(|p| p.0), solomon::parse(text, "x"), mutual_aid::parse(text, "x")]
            .into_iter()
            .flatten()
        {
            exercise(&problem);
        }
        let fixed = FIXED.get_or_init(|| vrplib::parse(SMALL, "small").expect("the fixed instance").0);
        if let Ok(solution) = io::read_solution(fixed, text) {
            let e = evaluate(fixed, &solution);
            assert_eq!(e.feasible, e.violations.is_empty());
        }
    }
});
