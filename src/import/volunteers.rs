//! Volunteers, their vehicles and shifts from spreadsheet rows (a sign-up form's export, say).
//! Rows with the same phone number — or the same name when there is no phone — are one
//! volunteer; a phone already in the operation adds the row's vehicle and shift to that
//! volunteer instead of making a second one.

use std::collections::HashMap;

use rusqlite::Transaction;

use super::columns::{coords, readable, Columns, Geocoder, Placed, RowCheck};
use super::sites::bump;
use super::{values, ImportReport, Mapping, Table};
use crate::clock::Stamp;
use crate::error::Result;
use crate::region::RegionPack;
use crate::text::fold;
use crate::vehicle::VehicleInput;
use crate::vocab::{Capability, VehicleKind};
use crate::volunteer::{ShiftInput, VolunteerFilter, VolunteerInput};

/// Who a row is: the normalised phone, else the folded name.
fn identity(phone: &str, name: &str) -> String {
    let p = crate::phone::normalize(phone);
    if p.len() >= 3 {
        format!("tel:{p}")
    } else {
        format!("name:{}", fold(name.trim()))
    }
}

pub fn import(
    conn: &Transaction<'_>,
    stamp: &Stamp,
    table: &Table,
    mapping: &Mapping,
    region: Option<&RegionPack>,
    report: &mut ImportReport,
) -> Result<()> {
    let cols = Columns::new(table, mapping);
    let mut geocoder = Geocoder::new(region);
    let separator = mapping.separator.clone().unwrap_or_else(|| ";".into());
    let month_first = mapping.date_order.as_deref() == Some("mdy");
    let all = VolunteerFilter { include_inactive: true, ..VolunteerFilter::default() };
    // Identity → id, for the operation's volunteers (by phone only) and this import's.
    let mut people: HashMap<String, String> = crate::volunteer::list(conn, &all)?
        .into_iter()
        .filter(|v| crate::phone::normalize(&v.phone).len() >= 3)
        .map(|v| (identity(&v.phone, &v.name), v.id))
        .collect();
    let existing: Vec<String> = people.keys().cloned().collect();
    // Sites by folded name, for shifts' start and end sites.
    let sites: Vec<(String, String)> =
        crate::site::list(conn)?.into_iter().map(|s| (s.id, fold(s.name.trim()))).collect();
    // (volunteer id, folded vehicle name) → vehicle id, for vehicles this import adds.
    let mut vehicles: HashMap<(String, String), String> = HashMap::new();
    for (row, number) in readable(table, report) {
        let mut check = RowCheck::new(number, &cols);
        let text = |field: &str| cols.cell(row, field).unwrap_or_default().to_string();
        let list = |field: &str| cols.cell(row, field).map(|c| values::split(c, &separator)).unwrap_or_default();

        let mut v = VolunteerInput::new(&text("name"), &[]);
        v.phone = text("phone");
        v.notes = text("notes");
        v.languages = list("languages");
        for r in list("roles") {
            match values::role(&r) {
                Some(r) if !v.roles.contains(&r) => v.roles.push(r),
                Some(_) => {}
                None => check.flag("roles", "unknown_value"),
            }
        }
        let who = identity(&v.phone, &v.name);
        let known = people.get(&who).cloned();
        if known.is_none() {
            let home = coords(&cols, row, "home_lat", "home_lon").unwrap_or_else(|()| {
                check.flag("home_lat", "out_of_range");
                None
            });
            let home = match (home, cols.cell(row, "home_address")) {
                (Some(at), _) => Some(at),
                (None, Some(address)) => match geocoder.place(address, report) {
                    Placed::At(lat, lon, _) => Some((lat, lon)),
                    Placed::Waiting(_) => None,
                },
                (None, None) => None,
            };
            (v.home_lat, v.home_lon) = (home.map(|h| h.0), home.map(|h| h.1));
            check.validated(&v.validate());
        } else if existing.contains(&who) {
            check.flag("phone", "existing");
        }

        // A vehicle when the row names one or gives a capacity.
        let mut vehicle = None;
        let kind_cell = cols.cell(row, "vehicle");
        let capacity_kg = check.amount(row, "capacity_kg");
        let capacity_l = check.amount(row, "capacity_l");
        if kind_cell.is_some() || capacity_kg.is_some() {
            let kind = match kind_cell.map(values::vehicle_kind) {
                Some(Some(k)) => k,
                Some(None) => {
                    check.flag("vehicle", "unknown_value");
                    VehicleKind::Car
                }
                None => VehicleKind::Car,
            };
            let name = kind_cell.unwrap_or(kind.key());
            let mut input = VehicleInput::new(name, kind, capacity_kg.unwrap_or(0.0), capacity_l.unwrap_or(0.0));
            if let Some(seats) = cols.cell(row, "seats") {
                match values::count(seats) {
                    Some(n) => input.seats = n,
                    None => check.flag("seats", "not_a_number"),
                }
            }
            for c in list("capabilities") {
                match values::capability(&c) {
                    Some(c) if !input.capabilities.contains(&c) => input.capabilities.push(c),
                    Some(_) => {}
                    None => check.flag("capabilities", "unknown_value"),
                }
            }
            // Yes/no columns for one capability each ("Cooler yes/no").
            for (field, capability) in [("cooler", Capability::Cooler), ("high_clearance", Capability::HighClearance)] {
                match cols.cell(row, field).map(values::yes_no) {
                    Some(Some(true)) if !input.capabilities.contains(&capability) => {
                        input.capabilities.push(capability)
                    }
                    Some(Some(_)) | None => {}
                    Some(None) => check.flag(field, "not_yes_no"),
                }
            }
            check.validated(&input.validate());
            vehicle = Some(input);
        }

        // A shift when the row gives both ends.
        let mut shift = None;
        // A date and time in one cell, or the date in its own column and the times in theirs.
        let day = cols.cell(row, "shift_date");
        let time = |check: &mut RowCheck<'_, '_>, field: &str| {
            let c = cols.cell(row, field)?;
            let t = values::datetime(c, month_first)
                .or_else(|| day.and_then(|d| values::datetime(&format!("{} {}", d.trim(), c.trim()), month_first)));
            if t.is_none() {
                check.flag(field, "invalid_time");
            }
            t
        };
        let (start, end) = (time(&mut check, "shift_start"), time(&mut check, "shift_end"));
        // Sites by name: without a start site, a shift cannot drive.
        let site = |check: &mut RowCheck<'_, '_>, field: &str| -> Option<String> {
            let name = cols.cell(row, field)?;
            let found = sites.iter().find(|(_, n)| *n == fold(name.trim())).map(|(id, _)| id.clone());
            if found.is_none() {
                check.flag(field, "unknown_site");
            }
            found
        };
        let start_site = site(&mut check, "start_site");
        let end_site = site(&mut check, "end_site").or_else(|| start_site.clone());
        if let (Some(starts_at), Some(ends_at)) = (start, end) {
            let input =
                ShiftInput { starts_at, ends_at, vehicle_id: None, start_site_id: start_site, end_site_id: end_site };
            match input.validate() {
                Ok(()) => shift = Some(input),
                Err(_) => check.flag("shift_end", "out_of_range"),
            }
        }

        let skip = check.skipped();
        report.problems.extend(check.problems);
        if skip {
            report.skipped += 1;
            continue;
        }
        let volunteer_id = match known {
            Some(id) => id,
            None => {
                let id = crate::ids::new_id();
                if !report.dry_run {
                    crate::volunteer::insert_with_id(conn, stamp, &id, &v)?;
                }
                report.created += 1;
                people.insert(who, id.clone());
                id
            }
        };
        let mut vehicle_id = None;
        if let Some(mut input) = vehicle {
            let key = (volunteer_id.clone(), fold(input.name.trim()));
            vehicle_id = Some(match vehicles.get(&key) {
                Some(id) => id.clone(),
                None => {
                    let id = crate::ids::new_id();
                    input.owner_id = Some(volunteer_id.clone());
                    if !report.dry_run {
                        crate::vehicle::insert_with_id(conn, stamp, &id, &input)?;
                    }
                    bump(report, "vehicles");
                    vehicles.insert(key, id.clone());
                    id
                }
            });
        }
        if let Some(mut input) = shift {
            input.vehicle_id = vehicle_id;
            if !report.dry_run {
                crate::volunteer::add_shift_with_id(conn, stamp, &crate::ids::new_id(), &volunteer_id, &input)?;
            }
            bump(report, "shifts");
        }
    }
    Ok(())
}
