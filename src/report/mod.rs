//! The coordinator's overview: the figures of the Dashboard tab and of `aidmap report`, and the
//! situation report made from them (`pdf.rs`, anonymous counts only) and their CSV (`csv.rs`).
//!
//! Every figure is read from what was stored when it happened (stop outcomes with their time,
//! stock movements, the plan's stored loads and reasons, shifts), never recomputed from state
//! that has since moved. Days are the local days counted from the request's `day_start` (24-hour
//! steps). Deliveries, hours and issues are as of the report's day; open needs, stock on hand and
//! reservations are as they stand now (said on the report).

mod areas;
pub mod csv;
pub mod pdf;
mod words;

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Duration, Utc};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::clock::timestamp;
use crate::error::{Error, Result};
use crate::vocab::{Category, Urgency};

pub use areas::AreaFigures;

/// What report to make: the local day and its midnight (as the planning board's request).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReportRequest {
    /// `YYYY-MM-DD`, the local date reported.
    pub day: String,
    /// That date's local midnight, RFC 3339.
    pub day_start: String,
}

/// Visits by their outcome: one per household per stop with an outcome recorded.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OutcomeCounts {
    pub delivered: u32,
    pub partly: u32,
    pub nobody_home: u32,
    pub refused: u32,
    #[serde(rename = "unsafe")]
    pub unsafe_: u32,
    /// Distinct households handed something (delivered or partly).
    pub households_reached: u32,
}

impl OutcomeCounts {
    pub fn visits(&self) -> u32 {
        self.delivered + self.partly + self.nobody_home + self.refused + self.unsafe_
    }
}

/// One day of the deliveries chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DayOutcomes {
    pub day: String,
    pub outcomes: OutcomeCounts,
    /// Driving hours that day: the shift spans of the runs of dispatched or completed plans.
    pub hours_on_runs: f64,
    /// Drivers on those runs.
    pub drivers: u32,
}

/// Open needs (open or on a plan, not yet delivered) by urgency and by age.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OpenNeeds {
    pub total: u32,
    pub critical: u32,
    pub high: u32,
    pub normal: u32,
    pub low: u32,
    /// By time since requested: under a day, 1–3 days, 3–7 days, a week or more.
    pub under_1_day: u32,
    pub days_1_to_3: u32,
    pub days_3_to_7: u32,
    pub over_7_days: u32,
}

/// A critical need still waiting, and why it is not on a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct WaitingNeed {
    pub need_id: String,
    pub household_id: String,
    /// The household's name: for the dashboard only, never printed in the situation report.
    pub household_name: String,
    pub category: Category,
    pub quantity: f64,
    pub unit: String,
    pub requested_at: String,
    /// Whole days waiting.
    pub days_waiting: u32,
    /// Planning's reason key (`not_enough_stock`, `no_cooler`…), `on_run` when it is on a run
    /// of a plan, `back_open` when a visit handed nothing over (nobody home, refused, unsafe,
    /// partly), or `not_planned` when no plan has held it.
    pub reason: String,
    /// The same in one English sentence (the CLI; the app words the key itself).
    pub text: String,
}

/// Stock of one item across active sites, and how long it lasts at the recent rate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StockCover {
    pub item_id: String,
    pub item: String,
    pub unit: String,
    pub on_hand: f64,
    /// Taken by draft plans' stored loads.
    pub reserved: f64,
    /// Issued per day, the average of the report day and the two before.
    pub issued_per_day: f64,
    /// (on hand − reserved) ÷ issued per day; `None` when nothing was issued.
    pub days_of_cover: Option<f64>,
}

/// Volunteers and vehicles.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct VolunteerFigures {
    /// Active volunteers with the driver role.
    pub active_drivers: u32,
    /// Shifts starting on each of the next three days (day, shifts, of them with a vehicle).
    pub shifts_ahead: Vec<ShiftsOnDay>,
    /// Distinct vehicles on a shift tomorrow, and of them with a cooler / high clearance.
    pub vehicles_tomorrow: u32,
    pub coolers_tomorrow: u32,
    pub high_clearance_tomorrow: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ShiftsOnDay {
    pub day: String,
    pub shifts: u32,
    pub with_vehicle: u32,
}

/// Everything the dashboard and the situation report show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Report {
    pub day: String,
    /// When it was made (RFC 3339): open needs and stock are as of then.
    pub made_at: String,
    pub operation: String,
    pub today: OutcomeCounts,
    pub last_7_days: OutcomeCounts,
    pub since_start: OutcomeCounts,
    /// The last 14 days up to the report day, oldest first.
    pub per_day: Vec<DayOutcomes>,
    pub open_needs: OpenNeeds,
    /// The oldest critical needs still waiting (up to 10), oldest first.
    pub oldest_critical: Vec<WaitingNeed>,
    /// `places` (the region pack's named places) or `grid` (no pack, or a pack without places).
    pub areas_by: String,
    pub areas: Vec<AreaFigures>,
    /// Items under 2 days of cover first (fewest days first), then the rest by name.
    pub stock: Vec<StockCover>,
    pub volunteers: VolunteerFigures,
}

const CHART_DAYS: i64 = 14;
const OLDEST_SHOWN: usize = 10;
/// Items with less cover than this come first.
pub const LOW_COVER_DAYS: f64 = 2.0;

fn parse_time(at: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(at).ok().map(|t| t.to_utc())
}

/// The local day `offset` days from the report's day, as `YYYY-MM-DD`.
fn day_name(day: chrono::NaiveDate, offset: i64) -> String {
    (day + Duration::days(offset)).to_string()
}

/// The report for `req`, places from the region pack's named places when given, made at `now`.
pub fn build(
    conn: &Connection,
    places: Option<&[(String, f64, f64)]>,
    req: &ReportRequest,
    now: DateTime<Utc>,
) -> Result<Report> {
    let bad = |f: &str| {
        Error::Validation(vec![crate::error::FieldError { field: f.into(), rule: crate::error::Rule::InvalidDate }])
    };
    let day: chrono::NaiveDate = req.day.parse().map_err(|_| bad("day"))?;
    let start = parse_time(&req.day_start).ok_or_else(|| bad("day_start"))?;
    let end = start + Duration::days(1);
    let day_index = |t: DateTime<Utc>| (t - start).num_seconds().div_euclid(86_400);

    // Visits: (household, stop) with an outcome, in plans not discarded, up to the day's end.
    let mut visits: Vec<(i64, String, String)> = Vec::new();
    {
        let mut stmt = conn.prepare(
            "SELECT DISTINCT n.household_id, s.id, s.outcome, s.outcome_at
             FROM plan_stop s JOIN plan_need n ON n.stop_id = s.id JOIN plan p ON p.id = s.plan_id
             WHERE s.outcome IS NOT NULL AND s.outcome_at IS NOT NULL AND p.status <> 'discarded'
               AND s.outcome_at < ?1",
        )?;
        let rows = stmt.query_map([timestamp(end)], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?))
        })?;
        for row in rows {
            let (household, outcome, at) = row?;
            if let Some(t) = parse_time(&at) {
                visits.push((day_index(t), household, outcome));
            }
        }
    }
    // Visits on local days from..=to (day 0 is the report's day).
    let count = |from: i64, to: i64| -> OutcomeCounts {
        let mut c = OutcomeCounts::default();
        let mut reached = HashSet::new();
        for (_, household, outcome) in visits.iter().filter(|v| v.0 >= from && v.0 <= to) {
            match outcome.as_str() {
                "delivered" => c.delivered += 1,
                "partly" => c.partly += 1,
                "nobody_home" => c.nobody_home += 1,
                "refused" => c.refused += 1,
                "unsafe" => c.unsafe_ += 1,
                _ => continue,
            }
            if matches!(outcome.as_str(), "delivered" | "partly") {
                reached.insert(household.as_str());
            }
        }
        c.households_reached = reached.len() as u32;
        c
    };
    let today = count(0, 0);
    let last_7_days = count(-6, 0);
    let since_start = count(i64::MIN, 0);

    // Runs of dispatched or completed plans, per local day of their start.
    let mut runs_by_day: HashMap<i64, (f64, HashSet<String>)> = HashMap::new();
    {
        let mut stmt = conn.prepare(
            "SELECT r.driver, r.starts_at, r.ends_at FROM plan_run r JOIN plan p ON p.id = r.plan_id
             WHERE p.status IN ('dispatched', 'completed') AND r.starts_at < ?1",
        )?;
        let rows = stmt.query_map([timestamp(end)], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))
        })?;
        for row in rows {
            let (driver, from, until) = row?;
            if let (Some(from), Some(until)) = (parse_time(&from), parse_time(&until)) {
                let entry = runs_by_day.entry(day_index(from)).or_default();
                entry.0 += (until - from).num_seconds().max(0) as f64 / 3600.0;
                entry.1.insert(driver);
            }
        }
    }
    let per_day = (1 - CHART_DAYS..=0)
        .map(|d| {
            let (hours, drivers) = runs_by_day.get(&d).cloned().unwrap_or_default();
            let outcomes = count(d, d);
            DayOutcomes { day: day_name(day, d), outcomes, hours_on_runs: round2(hours), drivers: drivers.len() as u32 }
        })
        .collect();

    let (open_needs, oldest_critical) = open_needs(conn, now)?;
    let (areas_by, areas) = areas::figures(conn, places, &visits)?;
    Ok(Report {
        day: req.day.clone(),
        made_at: timestamp(now),
        operation: conn.query_row("SELECT name FROM operation LIMIT 1", [], |r| r.get(0)).unwrap_or_default(),
        today,
        last_7_days,
        since_start,
        per_day,
        open_needs,
        oldest_critical,
        areas_by,
        areas,
        stock: stock_cover(conn, start, end)?,
        volunteers: volunteers(conn, day, start)?,
    })
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn open_needs(conn: &Connection, now: DateTime<Utc>) -> Result<(OpenNeeds, Vec<WaitingNeed>)> {
    let mut figures = OpenNeeds::default();
    let mut critical = Vec::new();
    let mut stmt = conn.prepare(
        "SELECT n.id, n.household_id, h.name, n.category, n.quantity, n.unit, n.urgency, n.requested_at, n.status
         FROM need n JOIN household h ON h.id = n.household_id
         WHERE n.status IN ('open', 'assigned') AND h.status = 'active'
         ORDER BY n.requested_at, n.id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, Category>(3)?,
            r.get::<_, f64>(4)?,
            r.get::<_, String>(5)?,
            r.get::<_, Urgency>(6)?,
            r.get::<_, String>(7)?,
            r.get::<_, String>(8)?,
        ))
    })?;
    for row in rows {
        let (id, household_id, name, category, quantity, unit, urgency, requested_at, status) = row?;
        figures.total += 1;
        match urgency {
            Urgency::Critical => figures.critical += 1,
            Urgency::High => figures.high += 1,
            Urgency::Normal => figures.normal += 1,
            Urgency::Low => figures.low += 1,
        }
        let hours = parse_time(&requested_at).map_or(0, |t| (now - t).num_hours().max(0));
        match hours {
            h if h < 24 => figures.under_1_day += 1,
            h if h < 72 => figures.days_1_to_3 += 1,
            h if h < 168 => figures.days_3_to_7 += 1,
            _ => figures.over_7_days += 1,
        }
        if urgency == Urgency::Critical && critical.len() < OLDEST_SHOWN {
            critical.push(WaitingNeed {
                need_id: id,
                household_id,
                household_name: name,
                category,
                quantity,
                unit,
                requested_at,
                days_waiting: (hours / 24) as u32,
                // Kept to tell "back open after a visit" from "on a run" below.
                reason: status,
                text: String::new(),
            });
        }
    }
    let ids: Vec<String> = critical.iter().map(|w| w.need_id.clone()).collect();
    let states = crate::plan::state::of_needs(conn, Some(&ids))?;
    for w in &mut critical {
        let open = w.reason == "open";
        match states.get(&w.need_id) {
            // Open again while a dispatched plan still has it on a run: the visit handed over
            // nothing, or not all (nobody home, refused, unsafe, partly).
            Some(s) if s.run.is_some() && open && s.status != crate::plan::types::PlanStatus::Draft => {
                w.reason = "back_open".into();
                w.text = format!("open again after a visit on {} that did not hand it all over", s.day);
            }
            Some(s) if s.run.is_some() => {
                w.reason = "on_run".into();
                w.text = s.text.clone();
            }
            Some(s) => {
                w.reason = s.reason.clone().unwrap_or_else(|| "removed".into());
                w.text = s.text.clone();
            }
            None => {
                w.reason = "not_planned".into();
                w.text = "not in any plan yet".into();
            }
        }
    }
    Ok((figures, critical))
}

fn stock_cover(conn: &Connection, start: DateTime<Utc>, end: DateTime<Utc>) -> Result<Vec<StockCover>> {
    let reserved: HashMap<String, f64> =
        crate::stock::reserved(conn, None)?.into_iter().fold(HashMap::new(), |mut m, ((_, item), q)| {
            *m.entry(item).or_default() += q;
            m
        });
    let mut issued: HashMap<String, f64> = HashMap::new();
    {
        let mut stmt = conn.prepare(
            // Issued, less what came back from runs (nobody home, refused…): what was used.
            "SELECT item_id, -sum(quantity) FROM stock_movement
             WHERE at >= ?1 AND at < ?2
               AND (kind = 'issued' OR (kind = 'received' AND reason LIKE 'returned from a supply run%'))
             GROUP BY item_id",
        )?;
        let rows = stmt.query_map([timestamp(start - Duration::days(2)), timestamp(end)], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, f64>(1)?))
        })?;
        for row in rows {
            let (item, q) = row?;
            issued.insert(item, q);
        }
    }
    let mut stmt = conn.prepare(
        "SELECT i.id, i.name, i.unit, coalesce(sum(CASE WHEN s.active = 1 THEN l.quantity END), 0)
         FROM item i LEFT JOIN stock_level l ON l.item_id = i.id LEFT JOIN site s ON s.id = l.site_id
         GROUP BY i.id ORDER BY i.name COLLATE NOCASE",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, f64>(3)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (item_id, item, unit, on_hand) = row?;
        let reserved = reserved.get(&item_id).copied().unwrap_or(0.0);
        let per_day = issued.get(&item_id).copied().unwrap_or(0.0).max(0.0) / 3.0;
        if on_hand == 0.0 && reserved == 0.0 && per_day == 0.0 {
            continue;
        }
        let days_of_cover = (per_day > 0.0).then(|| round2(((on_hand - reserved) / per_day).max(0.0)));
        out.push(StockCover {
            item_id,
            item,
            unit,
            on_hand: round2(on_hand),
            reserved: round2(reserved),
            issued_per_day: round2(per_day),
            days_of_cover,
        });
    }
    // Low cover first (fewest days first), the rest keep the name order.
    let low = |c: &StockCover| c.days_of_cover.filter(|&d| d < LOW_COVER_DAYS);
    out.sort_by(|a, b| match (low(a), low(b)) {
        (Some(x), Some(y)) => x.total_cmp(&y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    Ok(out)
}

fn volunteers(conn: &Connection, day: chrono::NaiveDate, start: DateTime<Utc>) -> Result<VolunteerFigures> {
    let active_drivers: u32 = conn.query_row(
        "SELECT count(*) FROM volunteer WHERE active = 1 AND EXISTS (SELECT 1 FROM json_each(roles) WHERE value = 'driver')",
        [],
        |r| r.get(0),
    )?;
    let mut stmt = conn.prepare(
        "SELECT s.starts_at, s.vehicle_id, coalesce(v.capabilities, '[]')
         FROM shift s JOIN volunteer p ON p.id = s.volunteer_id LEFT JOIN vehicle v ON v.id = s.vehicle_id
         WHERE p.active = 1 AND s.starts_at >= ?1 AND s.starts_at < ?2",
    )?;
    let rows = stmt.query_map([timestamp(start + Duration::days(1)), timestamp(start + Duration::days(4))], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?, r.get::<_, String>(2)?))
    })?;
    let mut ahead: BTreeMap<i64, ShiftsOnDay> =
        (1..=3).map(|d| (d, ShiftsOnDay { day: day_name(day, d), ..Default::default() })).collect();
    let mut tomorrow: HashMap<String, Vec<String>> = HashMap::new();
    for row in rows {
        let (at, vehicle, capabilities) = row?;
        let Some(t) = parse_time(&at) else { continue };
        let d = (t - start).num_seconds().div_euclid(86_400);
        let Some(entry) = ahead.get_mut(&d) else { continue };
        entry.shifts += 1;
        if let Some(vehicle) = vehicle {
            entry.with_vehicle += 1;
            if d == 1 {
                tomorrow.insert(vehicle, serde_json::from_str(&capabilities).unwrap_or_default());
            }
        }
    }
    let has = |c: &str| tomorrow.values().filter(|caps| caps.iter().any(|x| x == c)).count() as u32;
    Ok(VolunteerFigures {
        active_drivers,
        shifts_ahead: ahead.into_values().collect(),
        vehicles_tomorrow: tomorrow.len() as u32,
        coolers_tomorrow: has("cooler"),
        high_clearance_tomorrow: has("high_clearance"),
    })
}
