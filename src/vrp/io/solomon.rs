//! Solomon's classic text layout (also the harness's `<name>.solomon.txt` projection of a
//! mutual-aid instance):
//!
//! ```text
//! C101
//! VEHICLE
//! NUMBER     CAPACITY
//!   25         200
//! CUSTOMER
//! CUST NO.  XCOORD.   YCOORD.    DEMAND   READY TIME  DUE DATE   SERVICE   TIME
//!     0      40         50          0          0       1236          0
//!     1      45         68         10        912        967         90
//! ```
//!
//! The first customer row is the depot; rows are taken in file order (the customer numbers
//! are not used, as in the harness). DIMACS conventions, like a VRPLIB CVRPTW file.

use super::invalid;
use super::vrplib::{demands, integer, number, points, vrptw};
use crate::error::Result;
use crate::vrp::model::Problem;

/// Whether the text has Solomon's `VEHICLE` and `CUST…` headings.
pub fn looks_like(text: &str) -> bool {
    let mut lines = text.lines().map(str::trim);
    lines.any(|l| l.eq_ignore_ascii_case("VEHICLE")) && lines.any(|l| l.to_ascii_uppercase().starts_with("CUST"))
}

pub fn parse(text: &str, name: &str) -> Result<Problem> {
    let lines: Vec<(usize, &str)> =
        text.lines().enumerate().map(|(i, l)| (i + 1, l.trim())).filter(|(_, l)| !l.is_empty()).collect();
    let heading = |from: usize, word: &str| {
        lines[from..].iter().position(|(_, l)| l.to_ascii_uppercase().starts_with(word)).map(|p| p + from)
    };
    let number_at = heading(0, "NUMBER").ok_or_else(|| invalid("there is no VEHICLE NUMBER CAPACITY heading"))?;
    let (fleet_line, fleet) =
        lines.get(number_at + 1).ok_or_else(|| invalid("the file ends after the NUMBER heading"))?;
    let fleet: Vec<i64> = fleet.split_whitespace().filter_map(integer).collect();
    let [vehicles, capacity] = fleet[..] else {
        return Err(invalid(format!("line {fleet_line}: expected the vehicle count and the capacity")));
    };
    if vehicles < 0 || capacity <= 0 {
        return Err(invalid(format!("line {fleet_line}: the vehicle count and the capacity must be positive")));
    }
    let mut table = heading(number_at + 2, "CUST").ok_or_else(|| invalid("there is no CUSTOMER table"))?;
    // `CUSTOMER`, then the column headings (`CUST NO.  XCOORD. …`), then the rows.
    while lines.get(table + 1).is_some_and(|(_, l)| l.split_whitespace().next().and_then(number).is_none()) {
        table += 1;
    }
    let mut rows: Vec<[f64; 7]> = Vec::new();
    for &(line_no, line) in &lines[table + 1..] {
        let values: Vec<f64> = line.split_whitespace().map_while(number).collect();
        let row: [f64; 7] = values.try_into().map_err(|_| {
            invalid(format!("line {line_no}: expected 7 numbers (customer, x, y, demand, ready, due, service)"))
        })?;
        if line.split_whitespace().count() != 7 {
            return Err(invalid(format!("line {line_no}: expected 7 numbers")));
        }
        rows.push(row);
    }
    if rows.is_empty() {
        return Err(invalid("the CUSTOMER table has no rows"));
    }
    let points = points(rows.iter().map(|r| (r[1], r[2])))?;
    let demand = demands(rows.iter().map(|r| r[3]), rows.len(), "the CUSTOMER table")?;
    let windows: Vec<(f64, f64)> = rows.iter().map(|r| (r[4], r[5])).collect();
    let service: Vec<f64> = rows.iter().map(|r| r[6]).collect();
    vrptw(name, &points, &demand, &windows, &service, Some(vehicles), capacity)
}
