//! Planning a day's supply runs and keeping the plans: a request's open needs, driver shifts
//! and depots become a routing problem (`prepare`, `problem`), the optimiser searches it, the
//! result is checked against depot stock and saved as a draft (`save`, `rows`); the board shows
//! it (`view`), edits it by hand, re-optimises what is not locked, dispatches it and records
//! each stop's outcome (`edit`).
//!
//! Reading (`prepare_*`), searching (`search`) and saving (`Store::save_*`) are separate steps
//! so the app can run the search without holding the operation.

pub mod edit;
pub mod prepare;
pub mod problem;
pub mod save;
pub mod state;
pub mod stored;
pub mod types;
pub mod view;

use std::sync::atomic::AtomicBool;
use std::time::Duration;

pub use prepare::Prepared;
use types::{PlanProgress, PlanRequest, PlanView};

use crate::error::{Error, Result};
use crate::region::RegionPack;
use crate::vrp::{self, Params, Solution};
use crate::Store;

/// Runs the optimiser on a prepared plan for its request's time (or until `cancel`), reporting
/// the best cost as it goes.
pub fn search(p: &Prepared, cancel: &AtomicBool, progress: &mut dyn FnMut(&PlanProgress)) -> Result<Solution> {
    search_with(p, None, cancel, progress)
}

/// `search` stopping after `iterations` instead of the time limit (exact tests).
pub fn search_with(
    p: &Prepared,
    iterations: Option<u64>,
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(&PlanProgress),
) -> Result<Solution> {
    let params = Params {
        seed: p.request.seed,
        time_limit: Duration::from_secs(p.request.seconds.into()),
        max_iterations: iterations,
    };
    vrp::solve(&p.problem, &params, cancel, &mut |s| {
        progress(&PlanProgress {
            elapsed_ms: s.elapsed.as_millis() as u64,
            iterations: s.iterations,
            best_cost: s.best_cost,
        })
    })
    .map_err(Error::Internal)
}

/// Plans a request start to end (the CLI and tests; the app runs the steps itself).
pub fn create(
    store: &mut Store,
    region: Option<&RegionPack>,
    request: &PlanRequest,
    iterations: Option<u64>,
    cancel: &AtomicBool,
) -> Result<PlanView> {
    let prepared = prepare::new_plan(store, region, request)?;
    let solution = search_with(&prepared, iterations, cancel, &mut |_| {})?;
    let id = store.save_new_plan(&prepared, &solution)?;
    view::view(store, region, &id)
}

/// Re-optimises a draft's unlocked part start to end.
pub fn reoptimise(
    store: &mut Store,
    region: Option<&RegionPack>,
    id: &str,
    seconds: u32,
    seed: u64,
    iterations: Option<u64>,
    cancel: &AtomicBool,
) -> Result<PlanView> {
    let prepared = store.prepare_reoptimise(region, id, seconds, seed)?;
    let solution = search_with(&prepared, iterations, cancel, &mut |_| {})?;
    store.save_reoptimised(&prepared, &solution)?;
    view::view(store, region, id)
}
