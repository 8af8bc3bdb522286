//! Households (and their needs) from spreadsheet rows. A row without coordinates is placed with
//! the region pack's address search; one that cannot be placed waits in the placement queue.

use rusqlite::{params, Transaction};
use serde::{Deserialize, Serialize};

use super::columns::{coords, readable, rejected, Columns, Geocoder, Placed};
use super::coords_check;
use super::values;
use super::{ImportReport, Mapping, RowProblem, Table};
use crate::clock::Stamp;
use crate::error::Result;
use crate::household::{Consent, HouseholdInput};
use crate::need::NeedInput;
use crate::region::RegionPack;
use crate::vocab::{Category, ConsentStatus, HouseholdStatus, LegalBasis, LocationSource, Urgency};

/// A row waiting to be placed: what becomes the household and its needs once it has a pin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pending {
    pub household: HouseholdInput,
    pub needs: Vec<NeedInput>,
}

pub fn import(
    conn: &Transaction<'_>,
    stamp: &Stamp,
    import_id: &str,
    table: &Table,
    mapping: &Mapping,
    region: Option<&RegionPack>,
    report: &mut ImportReport,
) -> Result<()> {
    let cols = Columns::new(table, mapping);
    let mut geocoder = Geocoder::new(region);
    let separator = mapping.separator.clone().unwrap_or_else(|| ";".into());
    let month_first = mapping.date_order.as_deref() == Some("mdy");
    let mut created_ids = Vec::new();
    if region.is_none() {
        report.unchecked.push("coordinates".into());
    } else if region.is_some_and(|r| r.water().is_none()) {
        report.unchecked.push("water".into());
    }
    for (row, number) in readable(table, report) {
        let mut doubted_choice: Option<(String, Option<(f64, f64)>)> = None;
        let mut problems: Vec<RowProblem> = Vec::new();
        let text = |field: &str| cols.cell(row, field).unwrap_or_default().to_string();
        let list = |field: &str| cols.cell(row, field).map(|c| values::split(c, &separator)).unwrap_or_default();

        let mut h = HouseholdInput::at(&text("name"), 0.0, 0.0);
        h.phones = list("phones");
        h.address = text("address");
        h.access_notes = text("access_notes");
        h.notes = text("notes");
        h.languages = list("languages");
        h.status = HouseholdStatus::Active;
        // People: the sheet's adults / children / seniors, or its household size (adults are
        // then the size less the children and seniors given; counted in `also`).
        let mut counts = [None; 4];
        for (i, field) in ["adults", "children", "seniors", "household_size"].into_iter().enumerate() {
            if let Some(c) = cols.cell(row, field) {
                match values::people(c) {
                    Ok(n) => counts[i] = Some(n),
                    // Text is ignored like any unreadable cell; a number that cannot be a
                    // head count (−4, 2.5, 40000) means the row is wrong: it is left out.
                    Err(("not_a_number", _)) => {
                        problems.push(RowProblem::new(number, None, "not_a_number").at(&cols.header(field)))
                    }
                    Err((code, v)) => {
                        let p = RowProblem::new(number, None, code).at(&cols.header(field)).skips();
                        problems.push(if let Some(v) = v { p.value(v) } else { p });
                    }
                }
            }
        }
        let [adults, children, seniors, size] = counts;
        (h.children, h.seniors) = (children.unwrap_or(0), seniors.unwrap_or(0));
        h.adults = match (adults, size) {
            (Some(a), _) => a,
            (None, Some(size)) => match size.checked_sub(h.children + h.seniors) {
                Some(a) => {
                    if children.is_none() && seniors.is_none() && size > 0 {
                        *report.also.entry("size_as_adults".into()).or_default() += 1;
                    }
                    a
                }
                None => {
                    problems.push(
                        RowProblem::new(number, None, "size_below_parts")
                            .at(&cols.header("household_size"))
                            .value(size as f64)
                            .skips(),
                    );
                    0
                }
            },
            (None, None) => 0,
        };
        let mut problem =
            |field: &str, code: &str| problems.push(RowProblem::new(number, None, code).at(&cols.header(field)));
        for v in list("vulnerabilities") {
            match values::vulnerability(&v) {
                Some(v) if !h.vulnerabilities.contains(&v) => h.vulnerabilities.push(v),
                Some(_) => {}
                None => problem("vulnerabilities", "unknown_value"),
            }
        }
        if let Some(c) = cols.cell(row, "consent") {
            match values::yes_no(c) {
                Some(true) => {
                    h.consent =
                        Consent { status: ConsentStatus::Given, basis: Some(LegalBasis::Consent), ..Consent::default() }
                }
                Some(false) => h.consent = Consent { status: ConsentStatus::Refused, ..Consent::default() },
                None => problem("consent", "unknown_value"),
            }
        }
        // Needs: one per category named in the needs cell.
        let quantity = match cols.cell(row, "quantity").map(values::number) {
            Some(Some(q)) if q > 0.0 => q,
            Some(_) => {
                problem("quantity", "not_a_number");
                1.0
            }
            None => 1.0,
        };
        let urgency = match cols.cell(row, "urgency") {
            Some(c) => values::urgency(c).unwrap_or_else(|| {
                problem("urgency", "unknown_value");
                Urgency::Normal
            }),
            None => Urgency::Normal,
        };
        let wanted_by = match cols.cell(row, "wanted_by") {
            Some(c) => match values::date(c, month_first) {
                Some(d) => Some(d.format("%Y-%m-%d").to_string()),
                None => {
                    problem("wanted_by", "invalid_date");
                    None
                }
            },
            None => None,
        };
        let mut needs: Vec<NeedInput> = Vec::new();
        for word in list("needs") {
            match values::category(&word) {
                Some(c) if !needs.iter().any(|n| n.category == c) => {
                    let unit = cols.cell(row, "unit").unwrap_or(default_unit(c));
                    let mut n = NeedInput::new(c, quantity, unit, urgency);
                    n.wanted_by = wanted_by.clone();
                    needs.push(n);
                }
                Some(_) => {}
                None => problem("needs", "unknown_value"),
            }
        }
        // Where: the sheet's coordinates, else the address search, else the placement queue.
        let coords = coords(&cols, row, "lat", "lon").unwrap_or_else(|()| {
            problem("lat", "out_of_range");
            None
        });
        // Coordinates from the sheet are checked against the pack before they are trusted.
        let mut doubted = Vec::new();
        if let (Some((lat, lon)), Some(pack)) = (coords, region) {
            let found = geocoder.reference(&h.address);
            let flags = coords_check::flags(pack, lat, lon, found.as_ref());
            if !flags.is_empty() {
                let choices = coords_check::choices(found.as_ref());
                let choice =
                    coords_check::chosen(&choices, mapping.row_choices.get(&number), mapping.coordinates.as_ref());
                for f in flags {
                    let mut p = RowProblem::new(number, None, f.code).at(&cols.header("lat")).distance(f.distance_m);
                    p.choices = choices.clone();
                    p.choice = Some(choice.clone());
                    doubted.push(p);
                }
                doubted_choice = Some((choice, found.map(|(lat, lon, _)| (lat, lon))));
            }
        }
        // The data model's own checks; a row that fails them is left out.
        let checked = h.validate().and_then(|_| needs.iter().try_for_each(|n| n.validate()));
        problems.extend(rejected(&checked, number, &cols));
        let skip = problems.iter().any(|p| p.skipped);
        report.problems.extend(problems);
        if skip {
            report.skipped += 1;
            continue;
        }
        checked?;
        if !doubted.is_empty() {
            report.coordinates_flagged += 1;
            report.problems.extend(doubted);
        }
        let placed = match (coords, doubted_choice) {
            (Some(_), Some((choice, house))) => match (choice.as_str(), house) {
                (coords_check::USE_ADDRESS, Some((lat, lon))) => Placed::At(lat, lon, LocationSource::Geocoded),
                (coords_check::KEEP_COORDINATES, _) => {
                    let (lat, lon) = coords.unwrap_or_default();
                    Placed::At(lat, lon, LocationSource::Imported)
                }
                _ => Placed::Waiting("check_coordinates"),
            },
            (Some((lat, lon)), None) => Placed::At(lat, lon, LocationSource::Imported),
            (None, _) => geocoder.place(&h.address, report),
        };
        if let Placed::At(lat, lon, source) = placed {
            (h.lat, h.lon, h.location_source) = (lat, lon, source);
        }
        match placed {
            Placed::Waiting(reason) => {
                report.to_place += 1;
                report.problems.push(RowProblem::new(number, None, reason).at(&cols.header("address")));
                if !report.dry_run {
                    let pending = serde_json::to_string(&Pending { household: h, needs })?;
                    conn.prepare_cached(
                        "INSERT INTO placement_queue (id, import_id, row_number, input, reason, created_at)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    )?
                    .execute(params![
                        crate::ids::new_id(),
                        import_id,
                        number,
                        pending,
                        reason,
                        stamp.now
                    ])?;
                }
            }
            Placed::At(..) => {
                report.created += 1;
                report.needs_created += needs.len() as u32;
                if !report.dry_run {
                    let id = crate::household::insert(conn, stamp, &h)?;
                    for n in &needs {
                        crate::need::insert(conn, stamp, &id, n)?;
                    }
                    created_ids.push(id);
                }
            }
        }
    }
    if !report.dry_run && !created_ids.is_empty() {
        report.possible_duplicates = crate::duplicates::involving(conn, &created_ids)?;
    }
    Ok(())
}

/// The unit a need gets when the sheet has none.
fn default_unit(c: Category) -> &'static str {
    match c {
        Category::Water => "L",
        Category::Food => "parcels",
        Category::Fuel => "L",
        _ => "items",
    }
}
