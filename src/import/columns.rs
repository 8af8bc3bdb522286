//! What every kind of import shares: where a row's cells go, the problem code of a failed
//! rule, and placing an address with the region pack's address search.

use std::collections::HashMap;

use super::{ImportReport, Mapping, Table};
use crate::error::Rule;
use crate::region::RegionPack;
use crate::vocab::LocationSource;

pub fn code(rule: Rule) -> &'static str {
    match rule {
        Rule::Required => "required",
        Rule::NotANumber => "not_a_number",
        Rule::OutOfRange | Rule::MustBePositive | Rule::TooLong | Rule::TooShort => "out_of_range",
        Rule::InvalidDate => "invalid_date",
        _ => "invalid",
    }
}

/// Where a row's cells go: field → column index.
pub struct Columns<'a> {
    index: HashMap<&'a str, usize>,
    headers: &'a [String],
}

impl<'a> Columns<'a> {
    pub fn new(table: &'a Table, mapping: &'a Mapping) -> Self {
        let index = mapping
            .columns
            .iter()
            .filter_map(|(header, field)| table.headers.iter().position(|h| h == header).map(|i| (field.as_str(), i)))
            .collect();
        Columns { index, headers: &table.headers }
    }

    pub fn cell<'r>(&self, row: &'r [String], field: &str) -> Option<&'r str> {
        self.index.get(field).and_then(|&i| row.get(i)).map(|s| s.as_str()).filter(|s| !s.is_empty())
    }

    pub fn header(&self, field: &str) -> String {
        self.index.get(field).and_then(|&i| self.headers.get(i)).cloned().unwrap_or_else(|| field.to_string())
    }
}

#[derive(Clone, Copy)]
pub enum Placed {
    At(f64, f64, LocationSource),
    Waiting(&'static str),
}

/// Places addresses with the region pack's address search, remembering each address it has
/// looked up: a sheet often has many rows at one address (a block of flats), and one search
/// costs a few milliseconds, so 100,000 rows would otherwise take minutes.
pub struct Geocoder<'r> {
    region: Option<&'r RegionPack>,
    /// Each address looked up: where it was placed, and what matched.
    seen: HashMap<String, (Placed, Matched)>,
}

impl<'r> Geocoder<'r> {
    pub fn new(region: Option<&'r RegionPack>) -> Self {
        Geocoder { region: region.filter(|p| p.info().addresses + p.info().streets > 0), seen: HashMap::new() }
    }

    pub fn place(&mut self, address: &str, report: &mut ImportReport) -> Placed {
        if address.trim().is_empty() {
            return Placed::Waiting("no_address");
        }
        // A plus code in the address column places the row by itself (a full code even without
        // a pack; a short one near a place the pack knows).
        if crate::pluscode::find_in(address).is_some() {
            if let Some(r) = crate::region::locate(self.region, address, 1).ok().and_then(|v| v.into_iter().next()) {
                report.geocoded.matched += 1;
                return Placed::At(r.lat, r.lon, LocationSource::Geocoded);
            }
        }
        let Some(pack) = self.region else {
            return Placed::Waiting("no_region");
        };
        let placed = self.found(pack, address).0;
        match placed {
            Placed::At(..) => report.geocoded.matched += 1,
            Placed::Waiting("ambiguous") => report.geocoded.ambiguous += 1,
            Placed::Waiting(_) => report.geocoded.not_found += 1,
        }
        placed
    }

    /// Where the pack finds `address` (to check a row's own coordinates against), if it finds
    /// it; not counted in the report's geocoding figures.
    pub fn reference(&mut self, address: &str) -> Option<(f64, f64, Matched)> {
        let pack = self.region?;
        if address.trim().is_empty() {
            return None;
        }
        match self.found(pack, address) {
            (Placed::At(lat, lon, _), m) => Some((lat, lon, m)),
            _ => None,
        }
    }

    fn found(&mut self, pack: &RegionPack, address: &str) -> (Placed, Matched) {
        let key = crate::text::fold(address.trim());
        self.seen.entry(key).or_insert_with(|| search(pack, address)).clone()
    }
}

/// What an address search matched: a house number (a point), a street (a line: its name), or
/// a named place (an area whose point says little).
#[derive(Debug, Clone, PartialEq)]
pub enum Matched {
    House,
    Street(String),
    Place,
}

fn search(pack: &RegionPack, address: &str) -> (Placed, Matched) {
    let found = crate::region::locate(Some(pack), address, 5).unwrap_or_default();
    match found.as_slice() {
        [] => (Placed::Waiting("not_found"), Matched::Place),
        [best, ..] if best.score < 0.5 => (Placed::Waiting("not_found"), Matched::Place),
        [best, next, ..]
            if next.score >= best.score - 0.05
                && crate::region::extract::haversine_m(best.lat, best.lon, next.lat, next.lon) > 150.0 =>
        {
            (Placed::Waiting("ambiguous"), Matched::Place)
        }
        [best, ..] => {
            let matched = match best.kind.as_str() {
                "address" | "plus_code" => Matched::House,
                "street" => Matched::Street(best.label.clone()),
                _ => Matched::Place,
            };
            (Placed::At(best.lat, best.lon, LocationSource::Geocoded), matched)
        }
    }
}

/// The sheet's coordinates from the `lat` and `lon` fields: `Ok(None)` when both are empty,
/// `Err(())` when they are not a valid pair.
pub fn coords(cols: &Columns<'_>, row: &[String], lat: &str, lon: &str) -> std::result::Result<Option<(f64, f64)>, ()> {
    use super::values::number;
    match (cols.cell(row, lat).map(number), cols.cell(row, lon).map(number)) {
        (Some(Some(la)), Some(Some(lo))) if (-90.0..=90.0).contains(&la) && (-180.0..=180.0).contains(&lo) => {
            Ok(Some((la, lo)))
        }
        (None, None) => Ok(None),
        _ => Err(()),
    }
}

/// The data model's own checks of a row as problems that leave the row out (field names are
/// mapped back to the sheet's column headers).
pub fn rejected(checked: &crate::error::Result<()>, number: u32, cols: &Columns<'_>) -> Vec<super::RowProblem> {
    match checked {
        Err(crate::error::Error::Validation(fields)) => fields
            .iter()
            .map(|f| {
                let field = f.field.split('.').next().unwrap_or(&f.field);
                super::RowProblem::new(number, None, code(f.rule)).at(&cols.header(field)).skips()
            })
            .collect(),
        _ => vec![],
    }
}

/// The problems found in one row so far.
pub struct RowCheck<'c, 'a> {
    pub number: u32,
    pub problems: Vec<super::RowProblem>,
    cols: &'c Columns<'a>,
}

impl<'c, 'a> RowCheck<'c, 'a> {
    pub fn new(number: u32, cols: &'c Columns<'a>) -> Self {
        RowCheck { number, problems: Vec::new(), cols }
    }

    /// A problem in `field`'s column that does not leave the row out.
    pub fn flag(&mut self, field: &str, code: &str) {
        self.problems.push(super::RowProblem::new(self.number, None, code).at(&self.cols.header(field)));
    }

    /// A problem in `field`'s column that leaves the row out.
    pub fn reject(&mut self, field: &str, code: &str) {
        self.problems.push(super::RowProblem::new(self.number, None, code).at(&self.cols.header(field)).skips());
    }

    /// The data model's own checks.
    pub fn validated(&mut self, checked: &crate::error::Result<()>) {
        self.problems.extend(rejected(checked, self.number, self.cols));
    }

    pub fn skipped(&self) -> bool {
        self.problems.iter().any(|p| p.skipped)
    }

    /// A number ≥ 0 in `field`, if the cell has one (a problem if it has something else).
    pub fn amount(&mut self, row: &[String], field: &str) -> Option<f64> {
        let c = self.cols.cell(row, field)?;
        let v = super::values::number(c).filter(|v| *v >= 0.0);
        if v.is_none() {
            self.flag(field, "not_a_number");
        }
        v
    }
}

/// The data rows the reader did not already leave out (a row with too many cells, say), each
/// with its spreadsheet row number; the left-out ones are counted in `report.skipped`.
pub fn readable<'t>(table: &'t Table, report: &mut ImportReport) -> Vec<(&'t [String], u32)> {
    let left_out: std::collections::HashSet<u32> = table.problems.iter().filter(|p| p.skipped).map(|p| p.row).collect();
    let rows: Vec<(&[String], u32)> = table
        .rows
        .iter()
        .zip(&table.row_numbers)
        .filter(|(_, n)| !left_out.contains(n))
        .map(|(r, &n)| (r.as_slice(), n))
        .collect();
    report.skipped += (table.rows.len() - rows.len()) as u32;
    rows
}
