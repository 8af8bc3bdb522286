//! Sites and their stock from spreadsheet rows: one row per site, or one row per item a site
//! holds (rows naming the same site fill one site). Quantities arrive as `received` movements,
//! so the stock stays explainable; items the catalogue lacks are added to it. A row naming a
//! site already in the operation adds its stock there and leaves the site's details alone.

use std::collections::HashMap;

use super::columns::{coords, readable, Columns, Geocoder, Placed, RowCheck};
use super::{values, ImportReport, Mapping, Table};
use crate::clock::Stamp;
use crate::error::Result;
use crate::item::ItemInput;
use crate::region::RegionPack;
use crate::site::SiteInput;
use crate::stock::StockChange;
use crate::text::fold;
use crate::vocab::{Category, SiteKind};
use rusqlite::Transaction;

pub(super) fn bump(report: &mut ImportReport, what: &str) {
    *report.also.entry(what.to_string()).or_default() += 1;
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
    let month_first = mapping.date_order.as_deref() == Some("mdy");
    let reason = format!("import {}", report.file_name);
    // Folded name → id, for the operation's sites and items and those this import adds.
    let mut sites: HashMap<String, String> =
        crate::site::list(conn)?.into_iter().map(|s| (fold(s.name.trim()), s.id)).collect();
    let existing_sites: Vec<String> = sites.keys().cloned().collect();
    let mut items: HashMap<String, String> =
        crate::item::list(conn)?.into_iter().map(|i| (fold(i.name.trim()), i.id)).collect();
    for (row, number) in readable(table, report) {
        let mut check = RowCheck::new(number, &cols);
        let text = |field: &str| cols.cell(row, field).unwrap_or_default().to_string();
        let name = text("name");
        let key = fold(name.trim());

        // The site: one already known by name, else a new one from this row.
        let mut new_site = None;
        if !sites.contains_key(&key) || key.is_empty() {
            let mut s = SiteInput::new(&name, SiteKind::DistributionPoint, 0.0, 0.0);
            s.address = text("address");
            s.contact = text("contact");
            s.notes = text("notes");
            if let Some(c) = cols.cell(row, "kind") {
                match values::site_kind(c) {
                    Some(k) => s.kind = k,
                    None => check.flag("kind", "unknown_value"),
                }
            }
            if let Some(c) = cols.cell(row, "hours") {
                if crate::site::valid_hours(c) {
                    s.hours = vec![Some(c.replace(' ', "")); 7];
                } else {
                    check.flag("hours", "unknown_value");
                }
            }
            let at = coords(&cols, row, "lat", "lon").unwrap_or_else(|()| {
                check.flag("lat", "out_of_range");
                None
            });
            check.validated(&s.validate());
            if !check.skipped() {
                let placed = match at {
                    Some((lat, lon)) => Placed::At(lat, lon, crate::vocab::LocationSource::Imported),
                    None => geocoder.place(&s.address, report),
                };
                match placed {
                    Placed::At(lat, lon, _) => (s.lat, s.lon) = (lat, lon),
                    Placed::Waiting(_) => check.reject("address", "not_placed"),
                }
            }
            new_site = Some(s);
        } else if existing_sites.contains(&key) {
            check.flag("name", "existing");
        }

        // The stock the row brings, if any.
        let mut receipt = None;
        if let Some(item_name) = cols.cell(row, "item") {
            let category = match cols.cell(row, "category") {
                Some(c) => values::category(c).unwrap_or_else(|| {
                    check.flag("category", "unknown_value");
                    Category::Other
                }),
                None => values::category(item_name).unwrap_or(Category::Other),
            };
            let mut item = ItemInput::new(item_name, category, cols.cell(row, "unit").unwrap_or("items"), 0.0, 0.0);
            item.weight_kg = check.amount(row, "weight_kg").unwrap_or(0.0);
            item.volume_l = check.amount(row, "volume_l").unwrap_or(0.0);
            item.low_threshold = check.amount(row, "low_threshold");
            // A wrong quantity leaves the row out: the stock must not silently differ from the sheet.
            let quantity = match cols.cell(row, "quantity") {
                Some(c) => values::number(c).filter(|q| *q >= 0.0).unwrap_or_else(|| {
                    check.reject("quantity", "invalid");
                    0.0
                }),
                None => 0.0,
            };
            if let Some(c) = cols.cell(row, "cold_chain") {
                match values::yes_no(c) {
                    Some(b) => item.cold_chain = b,
                    None => check.flag("cold_chain", "unknown_value"),
                }
            }
            let expiry = match cols.cell(row, "expiry") {
                Some(c) => values::date(c, month_first).map(|d| d.format("%Y-%m-%d").to_string()).or_else(|| {
                    check.flag("expiry", "invalid_date");
                    None
                }),
                None => None,
            };
            check.validated(&item.validate());
            receipt = Some((item, quantity, expiry));
        }

        let skip = check.skipped();
        report.problems.extend(check.problems);
        if skip {
            report.skipped += 1;
            continue;
        }
        let site_id = match new_site {
            Some(s) => {
                report.created += 1;
                let id = crate::ids::new_id();
                if !report.dry_run {
                    crate::site::insert_with_id(conn, stamp, &id, &s)?;
                }
                sites.insert(key, id.clone());
                id
            }
            None => sites[&key].clone(),
        };
        if let Some((item, quantity, expiry)) = receipt {
            let item_key = fold(item.name.trim());
            let item_id = match items.get(&item_key) {
                Some(id) => id.clone(),
                None => {
                    let id = crate::ids::new_id();
                    if !report.dry_run {
                        crate::item::insert_with_id(conn, stamp, &id, &item)?;
                    }
                    bump(report, "items");
                    // Never a silent 0 kg: a run would seem to carry it for free. Said per row
                    // and counted; the board flags loads of it (`weight_unknown`).
                    if item.weight_kg == 0.0 && item.volume_l == 0.0 {
                        bump(report, "items_weight_unknown");
                        report
                            .problems
                            .push(super::RowProblem::new(number, None, "weight_unknown").at(&cols.header("item")));
                    }
                    items.insert(item_key, id.clone());
                    id
                }
            };
            if quantity > 0.0 {
                if !report.dry_run {
                    let change = StockChange::Receive { site_id, item_id, quantity, expiry, reason: reason.clone() };
                    crate::stock::apply_with_ids(conn, stamp, &change, &mut crate::ids::new_id)?;
                }
                bump(report, "stock");
            }
        }
    }
    Ok(())
}
