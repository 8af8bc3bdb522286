//! Instance and solution files, with the conventions of the benchmark harness
//! (`shared/bench/vrp/problem.py`) so that costs compare exactly with its checker:
//!
//! * VRPLIB `.vrp` CVRP (Uchoa X): Euclidean distances rounded to integers (ties to even, as
//!   numpy rounds), no windows, fleet `VEHICLES` or `min(n, ceil(1.3·k) + 2)` with
//!   `k = ceil(total demand / capacity)`.
//! * VRPLIB `.vrp` CVRPTW and Solomon `.txt` (Solomon, Gehring–Homberger; also the harness's
//!   `<name>.solomon.txt` projection): DIMACS convention, distances truncated to one decimal and
//!   stored in tenths (`floor(10·d + 1e-9)`), windows and service times ×10, the vehicles' shift
//!   is the depot's window. Costs are in tenths (`Format::scale`).
//! * `mutual-aid-vrp/1` JSON: travel seconds `round(hypot / speed_mps)`, one vehicle per driver
//!   with its shift cut to the hub's hours, cost = travel seconds + penalties.
//!
//! Every reader returns a `Problem` that passes `Problem::check`; refusals are
//! `Error::InvalidInstance` naming a line or a field, never a value.

use std::path::Path;

use crate::error::{Error, Result};
use crate::vrp::model::Problem;

pub mod mutual_aid;
pub mod solomon;
pub mod solution;
pub mod vrplib;

pub use solution::{read_solution, write_solution};

/// Which kind of file an instance came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// VRPLIB without time windows (costs in distance units).
    Cvrp,
    /// VRPLIB with a `TIME_WINDOW_SECTION` (costs in tenths).
    Cvrptw,
    /// Solomon's text layout (costs in tenths).
    Solomon,
    /// `mutual-aid-vrp/1` JSON (costs in seconds).
    MutualAid,
}

impl Format {
    /// What a cost of the problem is divided by to be reported in the file's own units
    /// (10 for the DIMACS tenths of Solomon and CVRPTW files, 1 otherwise).
    pub fn scale(self) -> i64 {
        match self {
            Format::Cvrptw | Format::Solomon => 10,
            Format::Cvrp | Format::MutualAid => 1,
        }
    }
}

/// Reads an instance file of any supported format (chosen by its content).
pub fn read(path: &Path) -> Result<Problem> {
    Ok(read_with_format(path)?.0)
}

/// Reads an instance file and says which format it was.
pub fn read_with_format(path: &Path) -> Result<(Problem, Format)> {
    let bytes = std::fs::read(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Error::FileNotFound,
        _ => e.into(),
    })?;
    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    parse(&bytes, &file_name)
}

/// Reads an instance from its bytes; `file_name` gives the problem its name (as the harness
/// names it: without the extension, `<name>.solomon.txt` becomes `<name>-sol`) when the file
/// has no name of its own.
pub fn parse(bytes: &[u8], file_name: &str) -> Result<(Problem, Format)> {
    let text = std::str::from_utf8(bytes).map_err(|_| invalid("the file is not UTF-8 text"))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(invalid("the file is empty"));
    }
    let name = instance_name(file_name);
    if text.trim_start().starts_with(['{', '[']) || file_name.ends_with(".json") {
        return Ok((mutual_aid::parse(text, &name)?, Format::MutualAid));
    }
    if solomon::looks_like(text) {
        return Ok((solomon::parse(text, &name)?, Format::Solomon));
    }
    vrplib::parse(text, &name)
}

/// The harness's instance name for a file name.
pub fn instance_name(file_name: &str) -> String {
    for (ext, suffix) in [(".solomon.txt", "-sol"), (".txt", ""), (".vrp", ""), (".json", "")] {
        if let Some(stem) = file_name.strip_suffix(ext) {
            return format!("{stem}{suffix}");
        }
    }
    file_name.to_string()
}

pub(crate) fn invalid(why: impl Into<String>) -> Error {
    Error::InvalidInstance(why.into())
}

/// Checks the shape of a freshly read problem.
pub(crate) fn checked(problem: Problem) -> Result<Problem> {
    problem.check().map_err(invalid)?;
    Ok(problem)
}

/// Coordinates beyond this (in absolute value) are refused: distances stay far below
/// `UNREACHABLE` and every sum of them fits an `i64`.
pub(crate) const MAX_COORD: f64 = 1e9;

/// Euclidean distance as numpy computes it in the harness (`sqrt(dx² + dy²)`, not `hypot`).
#[inline]
pub(crate) fn euclid(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (dx, dy) = (a.0 - b.0, a.1 - b.1);
    (dx * dx + dy * dy).sqrt()
}

/// A full matrix from a function of two locations.
pub(crate) fn matrix(points: &[(f64, f64)], f: impl Fn(f64) -> i64) -> Vec<i64> {
    let n = points.len();
    let mut m = Vec::with_capacity(n * n);
    for &a in points {
        for &b in points {
            m.push(f(euclid(a, b)));
        }
    }
    m
}
