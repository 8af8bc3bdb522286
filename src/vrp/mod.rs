//! Vehicle routing: the supply-run optimiser. `model` is the problem and solution, `evaluate`
//! the independent check and cost of a solution, `io` the instance and solution files
//! (VRPLIB, Solomon, `mutual-aid-vrp/1`), `generate` a generator of mutual-aid instances for
//! benchmarks, and `engine` the search itself (hybrid genetic search / iterated local search
//! after Vidal 2022 and Wouda, Lan & Kool 2024, written from the papers).

pub mod engine;
pub mod evaluate;
pub mod generate;
pub mod io;
pub mod model;

pub use engine::{solve, Params, Progress};
pub use model::{Problem, Route, Solution, Stop, Unserved, Vehicle};
