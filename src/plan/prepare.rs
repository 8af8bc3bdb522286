//! Reading what a plan needs from the operation (in one go, so the search itself runs without
//! the store): the needs and shifts a request picks, or a saved plan's unlocked part to
//! re-optimise, as the engine's problem.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use geo::{Contains, Point, Polygon};

use super::problem::{self, RunSpec, StopSpec, COOLER, HIGH_CLEARANCE};
use super::stored::{self, RunRow, Saved};
use super::types::{PlanChoices, PlanRequest, ShiftChoice};
use crate::catalogue::Catalogue;
use crate::error::{Error, Result};
use crate::household::Household;
use crate::item::Item;
use crate::need::Need;
use crate::region::RegionPack;
use crate::site::Site;
use crate::stock::StockRow;
use crate::vocab::{Capability, NeedStatus};
use crate::volunteer::ShiftRow;
use crate::vrp::Problem;
use crate::Store;

/// The operation's catalogue, depots and households as planning reads them.
pub struct Context {
    pub catalogue: Catalogue,
    pub sites: HashMap<String, Site>,
    /// Stock on hand per active site.
    pub stock: HashMap<String, Vec<StockRow>>,
    pub households: HashMap<String, Household>,
    /// Polygons of active "high clearance only" closures.
    pub rough: Vec<Polygon<f64>>,
    /// On hand per site, per item, from `stock` (looked up by `&str` without allocating: the
    /// allowed runs of every stop ask it for every need and depot).
    pub levels: HashMap<String, HashMap<String, f64>>,
}

impl Context {
    /// Reads the catalogue, depots, closures and households (all, or only `only`).
    pub fn read(store: &Store, only: Option<&HashSet<String>>) -> Result<Context> {
        let mut sites = HashMap::new();
        let mut stock = HashMap::new();
        for s in store.sites()? {
            if s.active {
                stock.insert(s.id.clone(), store.stock(&s.id)?);
            }
            sites.insert(s.id.clone(), s);
        }
        let rough = store
            .closures()?
            .into_iter()
            .filter(|c| c.active && c.high_clearance_only)
            .filter_map(|c| polygon(&c.geometry))
            .collect();
        let levels = stock
            .iter()
            .map(|(site, rows): (&String, &Vec<StockRow>)| {
                (site.clone(), rows.iter().map(|r| (r.item.id.clone(), r.quantity)).collect())
            })
            .collect();
        Ok(Context {
            levels,
            catalogue: Catalogue::read(store.conn())?,
            sites,
            stock,
            households: match only {
                None => store.households()?.into_iter().map(|h| (h.id.clone(), h)).collect(),
                Some(ids) => ids
                    .iter()
                    .filter_map(|id| crate::household::get(store.conn(), id).ok().map(|h| (id.clone(), h)))
                    .collect(),
            },
            rough,
        })
    }

    pub fn depot_stock(&self, site_id: &str) -> &[StockRow] {
        self.stock.get(site_id).map(Vec::as_slice).unwrap_or(&[])
    }

    pub fn item(&self, id: Option<&str>) -> Option<&Item> {
        id.and_then(|id| self.catalogue.item(id))
    }

    /// Quantity of `item` on hand at `site` (0 when it has none).
    pub fn on_hand(&self, site: &str, item: &str) -> f64 {
        self.levels.get(site).and_then(|m| m.get(item)).copied().unwrap_or(0.0).max(0.0)
    }

    /// The depot has the need's item, or an allowed substitute, in stock at all.
    pub fn stocks(&self, site: &str, need: &Need) -> bool {
        let (Some(item), Some(q)) = (need.item_id.as_deref(), need.item_quantity) else { return false };
        self.catalogue.choose(item, q, &|i| self.on_hand(site, i)).is_some()
    }

    /// The depot holds enough of the need's item, or of an allowed substitute, for this need
    /// alone (other needs may still take it first: the stock check when saving decides).
    pub fn can_supply(&self, site: &str, need: &Need) -> bool {
        let (Some(item), Some(q)) = (need.item_id.as_deref(), need.item_quantity) else { return false };
        self.catalogue
            .choose(item, q, &|i| self.on_hand(site, i))
            .is_some_and(|c| self.on_hand(site, &c.item) + 1e-9 >= c.quantity)
    }

    pub fn needs_high_clearance(&self, at: (f64, f64)) -> bool {
        let p = Point::new(at.1, at.0);
        self.rough.iter().any(|poly| poly.contains(&p))
    }

    /// A need needs the cold chain: its item does, or it is medicine for a household that does.
    pub fn cold_chain(&self, need: &Need, item: Option<&Item>) -> bool {
        problem::cold_chain(need, item, self.households.get(&need.household_id))
    }

    /// A stop's spec as the search sees it: each need as its own item (substitutes are chosen
    /// when the plan is saved, against the depot's quantities).
    pub fn stop_spec(&self, at: (f64, f64), needs: &[&Need], latest: i64) -> StopSpec {
        let loaded: Vec<(&Need, Option<(&Item, f64)>, bool)> = needs
            .iter()
            .map(|n| {
                let item = self.item(n.item_id.as_deref());
                (*n, item.zip(n.item_quantity), self.cold_chain(n, item))
            })
            .collect();
        problem::stop_spec(at, &loaded, self.needs_high_clearance(at), latest)
    }
}

/// A GeoJSON Polygon (lon, lat) as a geo polygon.
pub fn polygon(geometry: &serde_json::Value) -> Option<Polygon<f64>> {
    crate::region::closure_geojson::polygon_of(geometry)
}

/// A stop the search places: an existing one (re-optimising) or a new group of needs.
#[derive(Debug, Clone)]
pub struct StopDraft {
    pub id: String,
    pub households: Vec<String>,
    pub at: (f64, f64),
    pub needs: Vec<Need>,
}

/// Everything a search and its saving need.
pub struct Prepared {
    pub day: String,
    pub day_start: DateTime<Utc>,
    pub request: PlanRequest,
    /// The saved plan being re-optimised.
    pub saved: Option<Saved>,
    /// The runs the problem's vehicles stand for, in order.
    pub runs: Vec<RunRow>,
    pub stops: Vec<StopDraft>,
    /// Needs left out before the search, with why (`household_not_active`).
    pub left_out: Vec<(Need, &'static str)>,
    /// Re-optimising: needs of the saved plan taken off their stops (closed since, or without
    /// an item now), with why; and stops left with no need, taken off their runs.
    pub dropped: Vec<(String, &'static str)>,
    pub emptied: Vec<String>,
    pub problem: Problem,
    pub estimated: bool,
    pub ctx: Context,
}

fn parse_time(at: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(at).map(|t| t.to_utc()).map_err(|_| Error::Internal(format!("bad time {at}")))
}

/// Seconds after `day_start`.
pub fn offset(day_start: DateTime<Utc>, at: &str) -> i64 {
    parse_time(at).map(|t| (t - day_start).num_seconds()).unwrap_or(0)
}

/// Latest start of a stop: the end of the day when a need is wanted by then, else a day later.
fn latest(day: &str, needs: &[&Need]) -> i64 {
    if needs.iter().any(|n| n.wanted_by.as_deref().is_some_and(|w| w <= day)) {
        86_400
    } else {
        2 * 86_400
    }
}

fn run_skills(vehicle: &crate::vehicle::Vehicle) -> u64 {
    let mut s = 0;
    if vehicle.capabilities.contains(&Capability::Cooler) {
        s |= COOLER;
    }
    if vehicle.capabilities.contains(&Capability::HighClearance) {
        s |= HIGH_CLEARANCE;
    }
    s
}

/// The day's shifts, each with why it cannot drive (None: it can).
fn day_shifts(store: &Store, ctx: &Context, day_start: DateTime<Utc>) -> Result<Vec<(ShiftRow, Option<&'static str>)>> {
    let stamp = crate::clock::timestamp;
    let rows = store.shifts_between(&stamp(day_start), &stamp(day_start + chrono::Duration::days(1)))?;
    Ok(rows
        .into_iter()
        .filter(|r| parse_time(&r.shift.starts_at).is_ok_and(|t| t >= day_start))
        .map(|r| {
            let idle = if r.vehicle.is_none() {
                Some("no_vehicle")
            } else if r.shift.start_site_id.as_deref().is_none_or(|s| !ctx.stock.contains_key(s)) {
                Some("no_start_site")
            } else {
                None
            };
            (r, idle)
        })
        .collect())
}

/// The open needs a request picks (not in another day's draft), and how many are in one.
fn picked_needs(store: &Store, ctx: &Context, req: &PlanRequest) -> Result<(Vec<Need>, u32)> {
    let elsewhere = stored::needs_in_drafts(store.conn(), &req.day)?;
    let area = req.area.as_ref().and_then(polygon);
    let only: Option<std::collections::HashSet<&str>> =
        req.household_ids.as_ref().map(|ids| ids.iter().map(String::as_str).collect());
    let mut in_other = 0;
    let needs = store
        .needs(Some(NeedStatus::Open))?
        .into_iter()
        .filter(|n| req.urgencies.is_empty() || req.urgencies.contains(&n.urgency))
        .filter(|n| req.categories.is_empty() || req.categories.contains(&n.category))
        .filter(|n| only.as_ref().is_none_or(|only| only.contains(n.household_id.as_str())))
        .filter(|n| {
            let Some(area) = &area else { return true };
            ctx.households.get(&n.household_id).is_some_and(|h| area.contains(&Point::new(h.lon, h.lat)))
        })
        .filter(|n| {
            let other = elsewhere.contains(&n.id);
            in_other += other as u32;
            !other
        })
        .collect();
    Ok((needs, in_other))
}

fn check(req: &PlanRequest) -> Result<DateTime<Utc>> {
    let bad = |field: &str| {
        Error::Validation(vec![crate::error::FieldError { field: field.into(), rule: crate::error::Rule::OutOfRange }])
    };
    if chrono::NaiveDate::parse_from_str(&req.day, "%Y-%m-%d").is_err() {
        return Err(bad("day"));
    }
    if !(1..=600).contains(&req.seconds) {
        return Err(bad("seconds"));
    }
    if req.area.as_ref().is_some_and(|a| polygon(a).is_none()) {
        return Err(bad("area"));
    }
    parse_time(&req.day_start).map_err(|_| bad("day_start"))
}

pub fn choices(store: &Store, req: &PlanRequest) -> Result<PlanChoices> {
    let day_start = check(req)?;
    let ctx = Context::read(store, None)?;
    let (needs, in_other_drafts) = picked_needs(store, &ctx, req)?;
    let households: HashSet<&str> = needs.iter().map(|n| n.household_id.as_str()).collect();
    let shifts = day_shifts(store, &ctx, day_start)?
        .into_iter()
        .map(|(r, idle)| {
            let site = r.shift.start_site_id.as_deref().and_then(|s| ctx.sites.get(s));
            let caps = |c: Capability| r.vehicle.as_ref().is_some_and(|v| v.capabilities.contains(&c));
            ShiftChoice {
                shift_id: r.shift.id.clone(),
                driver: r.volunteer_name.clone(),
                vehicle: r.vehicle.as_ref().map(|v| v.name.clone()),
                site_id: site.map(|s| s.id.clone()),
                site_name: site.map(|s| s.name.clone()),
                starts_at: r.shift.starts_at.clone(),
                ends_at: r.shift.ends_at.clone(),
                capacity_kg: r.vehicle.as_ref().map_or(0.0, |v| v.capacity_kg),
                capacity_l: r.vehicle.as_ref().map_or(0.0, |v| v.capacity_l),
                cooler: caps(Capability::Cooler),
                high_clearance: caps(Capability::HighClearance),
                idle: idle.map(str::to_string),
            }
        })
        .collect();
    let mut depots: Vec<(String, String)> = ctx
        .stock
        .iter()
        .filter(|(_, rows)| rows.iter().any(|r| r.quantity > 0.0))
        .map(|(id, _)| (id.clone(), ctx.sites[id].name.clone()))
        .collect();
    depots.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(PlanChoices {
        needs: needs.len() as u32,
        households: households.len() as u32,
        in_other_drafts,
        shifts,
        depots,
        existing_draft: stored::draft_for(store.conn(), &req.day)?,
        duplicates: {
            let homes: HashSet<String> = households.iter().map(|h| h.to_string()).collect();
            crate::duplicates::among(store.conn(), &homes)?.len() as u32
        },
    })
}

/// A new plan's problem: the request's needs against its shifts.
pub fn new_plan(store: &Store, region: Option<&RegionPack>, req: &PlanRequest) -> Result<Prepared> {
    let day_start = check(req)?;
    let ctx = Context::read(store, None)?;
    let (needs, _) = picked_needs(store, &ctx, req)?;
    let mut runs = Vec::new();
    for (r, idle) in day_shifts(store, &ctx, day_start)? {
        let (Some(vehicle), None, Some(site)) = (&r.vehicle, idle, r.shift.start_site_id.clone()) else { continue };
        if req.shift_ids.as_ref().is_some_and(|ids| !ids.contains(&r.shift.id))
            || req.site_ids.as_ref().is_some_and(|ids| !ids.contains(&site))
        {
            continue;
        }
        let end = r.shift.end_site_id.clone().filter(|s| ctx.sites.contains_key(s)).unwrap_or_else(|| site.clone());
        runs.push(RunRow {
            id: crate::ids::new_id(),
            position: runs.len() as i64,
            shift_id: Some(r.shift.id.clone()),
            driver: r.volunteer_name.clone(),
            vehicle: vehicle.name.clone(),
            site_id: site,
            end_site_id: end,
            starts_at: r.shift.starts_at.clone(),
            ends_at: r.shift.ends_at.clone(),
            capacity_kg: vehicle.capacity_kg,
            capacity_l: vehicle.capacity_l,
            skills: run_skills(vehicle),
            locked: false,
        });
    }
    // Needs no chosen run could ever carry are left out before grouping, so that they do not
    // keep the rest of their household's needs off the runs: no item yet, a unit that does not
    // convert, an item no chosen depot stocks (nor a substitute), cold chain without a cooler.
    let depots: Vec<&str> = {
        let mut d: Vec<&str> = runs.iter().map(|r| r.site_id.as_str()).collect();
        d.sort();
        d.dedup();
        d
    };
    let fleet = runs.iter().fold(0, |acc, r| acc | r.skills);
    let mut left_out: Vec<(Need, &'static str)> = Vec::new();
    let needs: Vec<Need> = needs
        .into_iter()
        .filter(|n| {
            let why = if n.item_id.is_none() {
                Some("item_not_chosen")
            } else if n.item_quantity.is_none() {
                Some("unit_not_convertible")
            } else if !depots.iter().any(|d| ctx.stocks(d, n)) {
                Some("not_stocked")
            } else if !depots.iter().any(|d| ctx.can_supply(d, n)) {
                Some("not_enough_stock")
            } else if fleet & COOLER == 0 && ctx.cold_chain(n, ctx.item(n.item_id.as_deref())) {
                Some("no_cooler")
            } else {
                None
            };
            if let Some(why) = why {
                left_out.push((n.clone(), why));
            }
            why.is_none()
        })
        .collect();
    let households: Vec<Household> = ctx.households.values().cloned().collect();
    let (groups, skipped) = problem::group(&households, &needs);
    let mut stops: Vec<StopDraft> = Vec::new();
    for (homes, needs) in groups {
        let h = &ctx.households[&homes[0]];
        let at = (h.lat, h.lon);
        for part in split_by_depot(&ctx, &depots, needs.into_iter().cloned().collect()) {
            let mut households: Vec<String> = Vec::new();
            for n in &part {
                if !households.contains(&n.household_id) {
                    households.push(n.household_id.clone());
                }
            }
            stops.push(StopDraft { id: crate::ids::new_id(), at, households, needs: part });
        }
    }
    left_out.extend(skipped.into_iter().map(|n| (n.clone(), "household_not_active")));
    let (problem, estimated) = build(&ctx, &req.day, day_start, &runs, &stops, &HashMap::new(), region);
    Ok(Prepared {
        day: req.day.clone(),
        day_start,
        request: req.clone(),
        saved: None,
        runs,
        stops,
        left_out,
        dropped: Vec::new(),
        emptied: Vec::new(),
        problem,
        estimated,
        ctx,
    })
}

/// A building's needs as stops that one depot can each supply: needs most urgent first join the
/// first part whose common depots still include one stocking them, else start a new part (a
/// household asking for water stocked only at one depot and insulin only at another is two stops).
fn split_by_depot(ctx: &Context, depots: &[&str], mut needs: Vec<Need>) -> Vec<Vec<Need>> {
    needs.sort_by(|a, b| (a.urgency, &a.id).cmp(&(b.urgency, &b.id)));
    let mut parts: Vec<(Vec<&str>, Vec<Need>)> = Vec::new();
    for n in needs {
        let can: Vec<&str> = depots.iter().copied().filter(|d| ctx.can_supply(d, &n)).collect();
        match parts.iter_mut().find(|(common, _)| common.iter().any(|d| can.contains(d))) {
            Some((common, list)) => {
                common.retain(|d| can.contains(d));
                list.push(n);
            }
            None => parts.push((can, vec![n])),
        }
    }
    parts.into_iter().map(|(_, list)| list).collect()
}

/// The engine's problem for these runs and stops; `pins` keeps a stop (id) on a run (index).
fn build(
    ctx: &Context,
    day: &str,
    day_start: DateTime<Utc>,
    runs: &[RunRow],
    stops: &[StopDraft],
    pins: &HashMap<String, usize>,
    region: Option<&RegionPack>,
) -> (Problem, bool) {
    let specs: Vec<RunSpec> = runs
        .iter()
        .map(|r| {
            let at = |id: &str| ctx.sites.get(id).map(|s| (s.lat, s.lon)).unwrap_or((0.0, 0.0));
            RunSpec {
                start: at(&r.site_id),
                end: at(&r.end_site_id),
                shift: (offset(day_start, &r.starts_at), offset(day_start, &r.ends_at)),
                capacity_kg: r.capacity_kg,
                capacity_l: r.capacity_l,
                skills: r.skills,
            }
        })
        .collect();
    let mut depots: Vec<&str> = runs.iter().map(|r| r.site_id.as_str()).collect();
    depots.sort();
    depots.dedup();
    let stop_specs: Vec<StopSpec> = stops
        .iter()
        .map(|s| {
            let needs: Vec<&Need> = s.needs.iter().collect();
            let pinned = pins.get(&s.id).copied();
            let mut spec = ctx.stop_spec(s.at, &needs, latest(day, &needs));
            // Only runs whose depot stocks every item of the stop (or an allowed substitute).
            // (Checked per depot, not per run: a day has far fewer depots than runs.)
            let ok: Vec<&str> = depots.iter().copied().filter(|d| needs.iter().all(|n| ctx.can_supply(d, n))).collect();
            spec.allowed = Some(
                runs.iter().enumerate().filter(|(_, r)| ok.contains(&r.site_id.as_str())).map(|(i, _)| i).collect(),
            );
            // A stop locked to a run stays on it even where the run breaks a rule (the board
            // shows the violation): the dispatcher's word overrides the skills.
            match pinned {
                Some(_) => {
                    StopSpec { pinned, skills: 0, urgency: spec.urgency.min(crate::vocab::Urgency::Normal), ..spec }
                }
                None => spec,
            }
        })
        .collect();
    problem::assemble(&specs, &stop_specs, region)
}

/// A saved draft's problem for re-optimising: its locked runs stay as they are (left out of the
/// problem), its other stops are placed again, locked ones on their run.
pub fn saved_plan(
    store: &Store,
    region: Option<&RegionPack>,
    saved: Saved,
    seconds: u32,
    seed: u64,
) -> Result<Prepared> {
    let mut request: PlanRequest = serde_json::from_str(&saved.plan.request)
        .map_err(|_| Error::Internal("the plan's request is not readable".into()))?;
    request.seconds = seconds.clamp(1, 600);
    request.seed = seed;
    let day_start = parse_time(&saved.plan.day_start)?;
    let ctx = Context::read(store, Some(&saved.needs.iter().map(|n| n.household_id.clone()).collect()))?;
    let runs: Vec<RunRow> = saved.runs.iter().filter(|r| !r.locked).cloned().collect();
    let index: HashMap<&str, usize> = runs.iter().enumerate().map(|(i, r)| (r.id.as_str(), i)).collect();
    let locked_runs: HashSet<&str> = saved.runs.iter().filter(|r| r.locked).map(|r| r.id.as_str()).collect();
    let mut pins = HashMap::new();
    let mut stops = Vec::new();
    let current: HashMap<String, Need> = store.needs(None)?.into_iter().map(|n| (n.id.clone(), n)).collect();
    let (mut dropped, mut emptied) = (Vec::new(), Vec::new());
    for s in &saved.stops {
        if s.run_id.as_deref().is_some_and(|r| locked_runs.contains(r)) {
            continue;
        }
        // Needs closed since, or without an item now (a default cleared), leave the stop: they
        // are not placed again with a load nobody checked.
        let mut needs: Vec<Need> = Vec::new();
        for row in saved.needs.iter().filter(|n| n.stop_id.as_deref() == Some(s.id.as_str())) {
            let why = match current.get(&row.need_id) {
                Some(c) if c.status != NeedStatus::Open => Some("removed"),
                Some(c) if c.item_id.is_none() => Some("item_not_chosen"),
                Some(c) if c.item_quantity.is_none() => Some("unit_not_convertible"),
                Some(c) => {
                    needs.push(c.clone());
                    None
                }
                None => Some("removed"),
            };
            if let Some(why) = why {
                dropped.push((row.need_id.clone(), why));
            }
        }
        if needs.is_empty() {
            if s.run_id.is_some() {
                emptied.push(s.id.clone());
            }
            continue;
        }
        if s.locked {
            if let Some(&r) = s.run_id.as_deref().and_then(|r| index.get(r)) {
                pins.insert(s.id.clone(), r);
            }
        }
        let mut households: Vec<String> = needs.iter().map(|n| n.household_id.clone()).collect();
        households.dedup();
        stops.push(StopDraft { id: s.id.clone(), households, at: (s.lat, s.lon), needs });
    }
    let (problem, estimated) = build(&ctx, &saved.plan.day, day_start, &runs, &stops, &pins, region);
    Ok(Prepared {
        day: saved.plan.day.clone(),
        day_start,
        request,
        saved: Some(saved),
        runs,
        stops,
        left_out: Vec::new(),
        dropped,
        emptied,
        problem,
        estimated,
        ctx,
    })
}
