//! Where each need stands in planning: on a run of a day's plan, or not served that day and why,
//! with the specifics a coordinator acts on ("no Insulin cooler pack at any chosen depot", "not
//! enough stock: 6 of 12"). Read from the latest plan (not discarded) that holds the need.

use std::collections::HashMap;

use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;

use super::types::PlanStatus;
use crate::error::Result;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct NeedPlanState {
    pub need_id: String,
    pub plan_id: String,
    pub day: String,
    pub status: PlanStatus,
    /// 1-based number of its run in the plan, when on one.
    pub run: Option<u32>,
    pub driver: Option<String>,
    /// Why not served (a planning reason key), when not on a run.
    pub reason: Option<String>,
    /// The item it is loaded as or asks for, its quantity (item units) and unit.
    pub item_name: Option<String>,
    pub quantity: f64,
    pub unit: Option<String>,
    /// The depot of its run, when on one.
    pub site_name: Option<String>,
    /// `not_enough_stock`: how much of the item the depots lacked.
    pub missing: Option<f64>,
    /// The same in one English sentence (the CLI; the app words it in the user's language).
    pub text: String,
}

fn sentence(s: &NeedPlanState) -> String {
    let item = s.item_name.as_deref().unwrap_or("its item");
    let q = crate::text::number(s.quantity);
    if let Some(run) = s.run {
        let driver = s.driver.as_deref().map(|d| format!(" ({d})")).unwrap_or_default();
        return format!("on run {run}{driver} of {}: {q} × {item}", s.day);
    }
    let why = match s.reason.as_deref().unwrap_or("removed") {
        "item_not_chosen" => "no item chosen yet (name one, or set a default for its category)".to_string(),
        "unit_not_convertible" => {
            format!("its unit does not convert to {item} (name the quantity in the item's units)")
        }
        "not_stocked" => format!("no {item} (nor an allowed substitute) at any chosen depot"),
        "not_enough_stock" => {
            let have = (s.quantity - s.missing.unwrap_or(s.quantity)).max(0.0);
            format!("not enough {item}: {} of {q}", crate::text::number(have))
        }
        "no_cooler" => "no vehicle with a cooler on shift".into(),
        "high_clearance" => "no high-clearance vehicle on shift".into(),
        "no_capacity" => "no run has room for it".into(),
        "unreachable" => "no road reaches it".into(),
        "outside_every_shift" => "no shift can reach it in time".into(),
        "not_chosen" => "left for another day (the runs are full)".into(),
        "household_not_active" => "the household is closed".into(),
        "removed" => "taken off the runs by hand".into(),
        other => other.to_string(),
    };
    format!("not served on {}: {why}", s.day)
}

/// The plan state of every need that is in a plan (draft, dispatched or completed), by need id;
/// `only` limits it to some needs.
pub fn of_needs(conn: &Connection, only: Option<&[String]>) -> Result<HashMap<String, NeedPlanState>> {
    let mut stmt = conn.prepare_cached(
        "SELECT n.need_id, p.id, p.day, p.status, r.position, r.driver, n.reason, i.name, n.quantity,
                CASE WHEN n.reason = 'unit_not_convertible' THEN n.asked_unit ELSE i.unit END,
                sr.name,
                n.missing, s.run_id IS NOT NULL
         FROM plan_need n JOIN plan p ON p.id = n.plan_id
              LEFT JOIN plan_stop s ON s.id = n.stop_id
              LEFT JOIN plan_run r ON r.id = s.run_id
              LEFT JOIN site sr ON sr.id = r.site_id
              LEFT JOIN item i ON i.id = n.item_id
         WHERE p.status <> 'discarded'
         ORDER BY p.day, p.created_at",
    )?;
    let rows = stmt.query_map([], |r| {
        let status: String = r.get(3)?;
        let on_run: bool = r.get(12)?;
        let position: Option<i64> = r.get(4)?;
        Ok(NeedPlanState {
            need_id: r.get(0)?,
            plan_id: r.get(1)?,
            day: r.get(2)?,
            status: PlanStatus::parse(&status).unwrap_or(PlanStatus::Draft),
            run: position.filter(|_| on_run).map(|p| p as u32 + 1),
            driver: if on_run { r.get(5)? } else { None },
            reason: if on_run {
                None
            } else {
                Some(r.get::<_, Option<String>>(6)?.unwrap_or_else(|| "removed".into()))
            },
            item_name: r.get(7)?,
            quantity: r.get(8)?,
            unit: r.get(9)?,
            site_name: r.get(10)?,
            missing: r.get(11)?,
            text: String::new(),
        })
    })?;
    let mut out: HashMap<String, NeedPlanState> = HashMap::new();
    for row in rows {
        let mut s = row?;
        if only.is_some_and(|ids| !ids.contains(&s.need_id)) {
            continue;
        }
        s.text = sentence(&s);
        // Later days (and later plans of a day) replace earlier ones.
        out.insert(s.need_id.clone(), s);
    }
    Ok(out)
}
