//! The route optimiser on public benchmark instances: `cargo bench -p aidmap --bench vrp -- [SECONDS] [INSTANCE…]`.
//!
//! A plain binary (no harness). For each instance (default: every `.vrp` in
//! `../shared/data/vrp/{solomon,homberger,uchoa_x}`, else the fixtures in `tests/fixtures/vrp`)
//! it runs the engine single-threaded for SECONDS (default 10), checks the result with the
//! independent evaluator, and prints the cost, the best-known cost from the `.sol` beside it
//! and the gap. The side-by-side comparison with PyVRP, OR-Tools and vrp-cli is
//! `../shared/bench/vrp/run.py --external aidmap='target/release/aidmap solve …'`.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use aidmap::vrp::{evaluate::evaluate, io, solve, Params};

fn instances(args: &[String]) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shared = root.join("../shared/data/vrp");
    let dirs: Vec<PathBuf> = if shared.exists() {
        ["solomon", "homberger", "uchoa_x"].iter().map(|d| shared.join(d)).collect()
    } else {
        vec![root.join("tests/fixtures/vrp")]
    };
    let mut all: Vec<PathBuf> = dirs
        .iter()
        .flat_map(|d| std::fs::read_dir(d).into_iter().flatten().flatten().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "vrp"))
        .collect();
    all.sort();
    if !args.is_empty() {
        all.retain(|p| args.iter().any(|a| p.file_stem().is_some_and(|s| s.to_string_lossy() == *a)));
    }
    all
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    let (seconds, names) = match args.first().and_then(|a| a.parse::<f64>().ok()) {
        Some(s) => (s, args[1..].to_vec()),
        None => (10.0, args),
    };
    println!("aidmap vrp benchmark: {seconds} s per instance, one thread, seed 1");
    println!(
        "{:<14} {:>5} {:>12} {:>12} {:>8} {:>7} {:>9}",
        "instance", "n", "cost", "best known", "gap %", "routes", "feasible"
    );
    let mut gaps = Vec::new();
    for path in instances(&names) {
        let problem = match io::read(&path) {
            Ok(p) => p,
            Err(e) => {
                println!("{}: {e}", path.display());
                continue;
            }
        };
        let bks = std::fs::read_to_string(path.with_extension("sol"))
            .ok()
            .and_then(|t| io::read_solution(&problem, &t).ok())
            .map(|s| evaluate(&problem, &s).cost);
        let params = Params { seed: 1, time_limit: Duration::from_secs_f64(seconds), max_iterations: None };
        let started = Instant::now();
        let solution = solve(&problem, &params, &AtomicBool::new(false), &mut |_| {}).expect("solve");
        let took = started.elapsed().as_secs_f64();
        let eval = evaluate(&problem, &solution);
        let gap = bks.map(|b| 100.0 * (eval.cost - b) as f64 / b as f64);
        if let Some(g) = gap {
            gaps.push(g);
        }
        println!(
            "{:<14} {:>5} {:>12} {:>12} {:>8} {:>7} {:>9}   ({took:.1} s)",
            problem.name,
            problem.stops.len(),
            eval.cost,
            bks.map(|b| b.to_string()).unwrap_or_default(),
            gap.map(|g| format!("{g:.2}")).unwrap_or_default(),
            solution.routes.len(),
            eval.feasible,
        );
    }
    if !gaps.is_empty() {
        println!("mean gap {:.2} % over {} instances", gaps.iter().sum::<f64>() / gaps.len() as f64, gaps.len());
    }
}
