//! `aidmap needs add`, `needs list` (with each need's item and plan state), `items list`,
//! `plans show|dispatch|outcome` and `export packing`: the supply loop from a script, exactly as
//! the app runs it.

use std::io::Write;
use std::path::Path;

use aidmap::need::{Need, NeedInput};
use aidmap::plan::state::NeedPlanState;
use aidmap::plan::types::{PlanStatus, PlanView, StopOutcome};
use aidmap::vocab::Urgency;
use aidmap::{Error, Store};
use serde::Serialize;

use crate::formats::write_json;

/// An item by id, else by name (case-insensitive).
fn item_of(store: &Store, name_or_id: &str) -> Result<aidmap::item::Item, Error> {
    let items = store.items()?;
    items
        .iter()
        .find(|i| i.id == name_or_id)
        .or_else(|| items.iter().find(|i| i.name.eq_ignore_ascii_case(name_or_id.trim())))
        .cloned()
        .ok_or(Error::NotFound("item"))
}

pub struct NewNeed<'a> {
    pub household: &'a str,
    pub item: &'a str,
    pub quantity: f64,
    pub unit: Option<&'a str>,
    pub urgency: &'a str,
    pub wanted_by: Option<chrono::NaiveDate>,
    pub notes: &'a str,
}

pub fn add_need(store: &mut Store, out: &mut impl Write, n: NewNeed<'_>) -> Result<(), Error> {
    let item = item_of(store, n.item)?;
    let urgency = Urgency::parse(n.urgency).unwrap_or(Urgency::Normal);
    let mut input = NeedInput::of_item(&item, n.quantity, n.unit.unwrap_or(&item.unit), urgency);
    input.wanted_by = n.wanted_by.map(|d| d.to_string());
    input.notes = n.notes.into();
    let need = store.add_need(n.household, &input)?;
    writeln!(
        out,
        "{}: {} × {} ({} {})",
        need.id,
        aidmap::sheets::number(need.item_quantity.unwrap_or(need.quantity)),
        item.name,
        aidmap::sheets::number(need.quantity),
        need.unit
    )?;
    Ok(())
}

/// A need as `needs list --format json` prints it: its fields (with its effective item) and
/// where it stands in planning.
#[derive(Serialize)]
pub struct ListedNeed {
    #[serde(flatten)]
    pub need: Need,
    pub plan: Option<NeedPlanState>,
}

pub fn needs_with_plans(store: &Store, needs: Vec<Need>) -> Result<Vec<ListedNeed>, Error> {
    let mut states = aidmap::plan::state::of_needs(store.conn(), None)?;
    Ok(needs.into_iter().map(|n| ListedNeed { plan: states.remove(&n.id), need: n }).collect())
}

#[derive(Serialize)]
struct ListedItem {
    #[serde(flatten)]
    item: aidmap::item::Item,
    /// It is its category's default item.
    default_for: Option<aidmap::vocab::Category>,
}

pub fn items(store: &Store, out: &mut impl Write, csv: bool) -> Result<(), Error> {
    let rules = store.catalogue_rules()?;
    let rows: Vec<ListedItem> = store
        .items()?
        .into_iter()
        .map(|item| ListedItem { default_for: rules.defaults.iter().find(|d| d.1 == item.id).map(|d| d.0), item })
        .collect();
    if !csv {
        return write_json(out, &rows);
    }
    let mut w = csv::Writer::from_writer(out);
    let header = ["id", "name", "category", "unit", "contents_amount", "contents_unit", "weight_kg", "volume_l"];
    let header2 = ["cold_chain", "medical", "default_for"];
    w.write_record(header.iter().chain(&header2)).map_err(crate::formats::csv_error)?;
    for r in rows {
        let i = &r.item;
        w.write_record([
            i.id.clone(),
            aidmap::csv_safe::cell(&i.name),
            i.category.key().into(),
            aidmap::csv_safe::cell(&i.unit),
            i.contents_amount.map(|a| a.to_string()).unwrap_or_default(),
            aidmap::csv_safe::cell(&i.contents_unit),
            i.weight_kg.to_string(),
            i.volume_l.to_string(),
            i.cold_chain.to_string(),
            i.medical.to_string(),
            r.default_for.map(|c| c.key().to_string()).unwrap_or_default(),
        ])
        .map_err(crate::formats::csv_error)?;
    }
    w.flush()?;
    Ok(())
}

/// The plan `plan` names, or the day's dispatched plan (else completed, else draft).
pub fn plan_id(store: &Store, plan: Option<&str>, date: Option<chrono::NaiveDate>) -> Result<String, Error> {
    if let Some(id) = plan {
        return Ok(id.to_string());
    }
    let day = date.map(|d| d.to_string()).ok_or(Error::Internal("give --plan ID or --date YYYY-MM-DD".into()))?;
    let plans = store.plans()?;
    let pick = |s: PlanStatus| plans.iter().find(|p| p.day == day && p.status == s);
    pick(PlanStatus::Dispatched)
        .or_else(|| pick(PlanStatus::Completed))
        .or_else(|| pick(PlanStatus::Draft))
        .map(|p| p.id.clone())
        .ok_or(Error::NotFound("plan"))
}

pub fn show(view: &PlanView, out: &mut impl Write, json: bool) -> Result<(), Error> {
    if json {
        serde_json::to_writer_pretty(&mut *out, view)?;
        writeln!(out)?;
        return Ok(());
    }
    let i = &view.info;
    writeln!(
        out,
        "{} {} ({}): {} runs, {} stops, {} needs served, {} unserved",
        i.day,
        i.id,
        i.status.key(),
        i.runs,
        i.stops,
        i.needs_served,
        i.unserved
    )?;
    let mut n = 0;
    for (k, run) in view.runs.iter().enumerate().filter(|(_, r)| !r.stops.is_empty()) {
        writeln!(
            out,
            "run {}: {} ({}) from {}, {:.1} kg, {:.1} L{}",
            k + 1,
            run.driver,
            run.vehicle,
            run.site_name,
            run.load[0],
            run.load[1],
            if run.violations.is_empty() { String::new() } else { format!(" — {} problems", run.violations.len()) }
        )?;
        for stop in &run.stops {
            n += 1;
            let loads: Vec<String> = stop
                .loads
                .iter()
                .map(|l| {
                    let mut s = format!("{} × {}", aidmap::sheets::number(l.quantity), l.item_name);
                    if let Some(a) = &l.asked {
                        s.push_str(&format!(" ({a})"));
                    }
                    if let Some(o) = &l.substitute_for_name {
                        s.push_str(&format!(" instead of {o}"));
                    }
                    s
                })
                .collect();
            let outcome = stop.outcome.map(|o| format!(" [{}]", o.key())).unwrap_or_default();
            writeln!(out, "  stop {n} {}: {}{outcome}", stop.id, loads.join("; "))?;
        }
    }
    for u in &view.unserved {
        let item = u.need.item_name.as_deref().unwrap_or("-");
        writeln!(
            out,
            "unserved {} ({}): {} {} {item}",
            u.need.need_id,
            u.reason,
            aidmap::sheets::number(u.need.quantity),
            u.need.unit
        )?;
    }
    Ok(())
}

/// The stop `stop` names: a 1-based number in plan order (runs in order), or an id.
fn stop_id(view: &PlanView, stop: &str) -> Result<String, Error> {
    let stops: Vec<&aidmap::plan::types::PlanStop> = view.runs.iter().flat_map(|r| &r.stops).collect();
    if let Ok(n) = stop.parse::<usize>() {
        return stops.get(n.wrapping_sub(1)).map(|s| s.id.clone()).ok_or(Error::NotFound("stop"));
    }
    stops.iter().find(|s| s.id == stop).map(|s| s.id.clone()).ok_or(Error::NotFound("stop"))
}

pub fn outcome(
    store: &mut Store,
    out: &mut impl Write,
    plan: &str,
    stop: &str,
    outcome: &str,
    delivered: &[String],
) -> Result<(), Error> {
    let view = store.plan_view(None, plan)?;
    let stop = stop_id(&view, stop)?;
    let outcome = if outcome == "clear" { None } else { StopOutcome::parse(outcome) };
    let mut amounts = Vec::new();
    for d in delivered {
        let (item, q) =
            d.split_once('=').ok_or(Error::Internal(format!("--delivered {d:?}: expected ITEM=QUANTITY")))?;
        let q: f64 = q
            .trim()
            .parse()
            .map_err(|_| Error::Internal(format!("--delivered {d:?}: the quantity is not a number")))?;
        amounts.push((item_of(store, item)?.id, q));
    }
    store.record_stop_outcome_with(plan, &stop, outcome, &amounts)?;
    writeln!(out, "stop {stop}: {}", outcome.map_or("cleared", |o| o.key()))?;
    Ok(())
}

pub fn packing(
    store: &mut Store,
    out: &mut impl Write,
    date: Option<chrono::NaiveDate>,
    pdf: bool,
    dir: &Path,
) -> Result<(), Error> {
    let id = plan_id(store, None, date)?;
    let format = if pdf { aidmap::packing::PackingFormat::Pdf } else { aidmap::packing::PackingFormat::Csv };
    let path = aidmap::packing::export(store, &id, format, dir)?;
    writeln!(out, "{}", path.display())?;
    Ok(())
}
