//! Saved supply-run plans. Thin: each method opens the transaction and calls `plan`.

use std::collections::HashMap;

use crate::error::{Error, Result};
use crate::plan::stored;
use crate::plan::types::{PlanChoices, PlanInfo, PlanLayout, PlanRequest, PlanStatus, PlanView, StopOutcome};
use crate::plan::{edit, prepare, save, Prepared};
use crate::region::RegionPack;
use crate::store::Store;
use crate::vrp::Solution;

impl Store {
    pub fn plan_choices(&self, request: &PlanRequest) -> Result<PlanChoices> {
        prepare::choices(self, request)
    }

    pub fn prepare_plan(&self, region: Option<&RegionPack>, request: &PlanRequest) -> Result<Prepared> {
        prepare::new_plan(self, region, request)
    }

    /// Saves a searched plan as the day's draft (the old draft, if any, is discarded); returns its id.
    pub fn save_new_plan(&mut self, prepared: &Prepared, solution: &Solution) -> Result<String> {
        self.write(|tx, stamp| {
            // The day's old draft is about to be replaced: its reservations do not count.
            let replaced = stored::draft_for(tx, &prepared.day)?;
            let reserved = crate::stock::reserved(tx, replaced.as_deref())?;
            let placement = save::place(prepared, solution, &reserved);
            save::write_new(tx, stamp, prepared, &placement)
        })
    }

    pub fn prepare_reoptimise(
        &self,
        region: Option<&RegionPack>,
        id: &str,
        seconds: u32,
        seed: u64,
    ) -> Result<Prepared> {
        let saved = stored::load(self.conn(), id)?;
        if saved.plan.status != PlanStatus::Draft {
            return Err(Error::Validation(vec![crate::error::FieldError {
                field: "status".into(),
                rule: crate::error::Rule::NotAllowed,
            }]));
        }
        prepare::saved_plan(self, region, saved, seconds, seed)
    }

    /// Saves a re-optimised layout; the plan's locked runs keep their stock first.
    pub fn save_reoptimised(&mut self, prepared: &Prepared, solution: &Solution) -> Result<()> {
        let saved = prepared.saved.as_ref().ok_or(Error::Internal("not a saved plan".into()))?;
        self.write(|tx, stamp| {
            let current = stored::load(tx, &saved.plan.id)?;
            if current.plan.status != PlanStatus::Draft {
                return Err(Error::Validation(vec![crate::error::FieldError {
                    field: "status".into(),
                    rule: crate::error::Rule::NotAllowed,
                }]));
            }
            let mut reserved: HashMap<(String, String), f64> = crate::stock::reserved(tx, Some(&saved.plan.id))?;
            for run in current.runs.iter().filter(|r| r.locked) {
                for stop in current.stops_of(&run.id) {
                    for n in current.needs_of(&stop.id) {
                        if let Some(item) = &n.item_id {
                            *reserved.entry((run.site_id.clone(), item.clone())).or_default() += n.quantity;
                        }
                    }
                }
            }
            let placement = save::place(prepared, solution, &reserved);
            save::write_again(tx, stamp, prepared, &placement)
        })
    }

    /// Where each need of a household stands in planning (needs in no plan are left out).
    pub fn need_plan_states(&self, household_id: &str) -> Result<Vec<crate::plan::state::NeedPlanState>> {
        let ids: Vec<String> =
            crate::need::for_household(self.conn(), household_id)?.into_iter().map(|n| n.id).collect();
        let mut states: Vec<_> = crate::plan::state::of_needs(self.conn(), Some(&ids))?.into_values().collect();
        states.sort_by(|a, b| a.need_id.cmp(&b.need_id));
        Ok(states)
    }

    pub fn plans(&self) -> Result<Vec<PlanInfo>> {
        stored::list(self.conn())
    }

    pub fn plan_view(&self, region: Option<&RegionPack>, id: &str) -> Result<PlanView> {
        crate::plan::view::view(self, region, id)
    }

    pub fn set_plan_layout(&mut self, id: &str, layout: &PlanLayout) -> Result<()> {
        self.write(|tx, stamp| edit::set_layout(tx, stamp, id, layout))
    }

    /// Returns how many needs became assigned.
    pub fn dispatch_plan(&mut self, id: &str) -> Result<usize> {
        self.write(|tx, stamp| edit::dispatch(tx, stamp, id))
    }

    pub fn record_stop_outcome(&mut self, id: &str, stop_id: &str, outcome: Option<StopOutcome>) -> Result<()> {
        self.write(|tx, stamp| edit::record_outcome(tx, stamp, id, stop_id, outcome, &[]))
    }

    /// A stop's outcome with what was handed over per item (`partly`).
    pub fn record_stop_outcome_with(
        &mut self,
        id: &str,
        stop_id: &str,
        outcome: Option<StopOutcome>,
        delivered: &[(String, f64)],
    ) -> Result<()> {
        self.write(|tx, stamp| edit::record_outcome(tx, stamp, id, stop_id, outcome, delivered))
    }

    pub fn sheet_options(&self) -> Result<crate::sheets::SheetOptions> {
        crate::sheets::sheet_options(self.conn())
    }

    pub fn set_sheet_options(&mut self, options: &crate::sheets::SheetOptions) -> Result<crate::sheets::SheetOptions> {
        self.write(|tx, stamp| crate::sheets::set_sheet_options(tx, stamp, options))
    }

    pub fn discard_plan(&mut self, id: &str) -> Result<()> {
        self.write(|tx, stamp| edit::discard(tx, stamp, id))
    }
}
