//! The operation's API: what the desktop app and the CLI ask of an open operation. Each method
//! is a few lines: a read calls the module that holds the concept with the store's connection,
//! a write runs it inside `Store::write` (which opens the transaction and stamps it). This layer
//! sits above the domain modules; the store below it knows none of them.

mod bulk;
mod exports;
mod imports;
mod plans;
mod region;
mod reports;
mod supplies;

pub use imports::{preview as import_preview, ImportPreview, PendingRow};
pub use reports::ReportFormat;

use crate::audit::{AuditAction, AuditFilter, AuditPage};
use crate::error::Result;
use crate::household::{self, Household, HouseholdDetail, HouseholdInput, HouseholdPage, HouseholdPin};
use crate::need::{self, Need, NeedInput};
use crate::retention::{self, PurgeReport};
use crate::settings::{self, OperationSettings};
use crate::store::Store;
use crate::vocab::{HouseholdStatus, NeedStatus};

impl Store {
    pub fn closures(&self) -> Result<Vec<crate::closure::Closure>> {
        crate::closure::list(self.conn())
    }

    pub fn create_closure(&mut self, input: &crate::closure::ClosureInput) -> Result<crate::closure::Closure> {
        self.write(|tx, stamp| crate::closure::insert(tx, stamp, input))
    }

    pub fn update_closure(
        &mut self,
        id: &str,
        input: &crate::closure::ClosureInput,
    ) -> Result<crate::closure::Closure> {
        self.write(|tx, stamp| crate::closure::update(tx, stamp, id, input))
    }

    pub fn delete_closure(&mut self, id: &str) -> Result<()> {
        self.write(|tx, stamp| crate::closure::delete(tx, stamp, id))
    }

    /// The shapes of the active closures, for the router.
    pub fn closure_shapes(&self) -> Result<Vec<crate::region::router::ClosureShape>> {
        crate::closure::active_shapes(self.conn())
    }

    pub fn audit(&self, filter: &AuditFilter, limit: u32, offset: u32) -> Result<AuditPage> {
        crate::audit::list(self.conn(), filter, limit, offset)
    }

    pub fn settings(&self) -> Result<OperationSettings> {
        settings::get(self.conn())
    }

    pub fn set_settings(&mut self, value: &OperationSettings) -> Result<OperationSettings> {
        self.write(|tx, stamp| settings::set(tx, stamp, value))
    }

    /// What a purge under the current retention settings would remove now.
    pub fn purge_preview(&self) -> Result<PurgeReport> {
        retention::preview(self.conn(), &self.settings()?.retention, self.now())
    }

    pub fn purge(&mut self) -> Result<PurgeReport> {
        let rules = self.settings()?.retention;
        let now = self.now();
        let report = self.write(|tx, stamp| retention::purge(tx, stamp, &rules, now))?;
        // Old page images in the WAL would still hold the purged values: fold them in now.
        self.checkpoint()?;
        Ok(report)
    }

    pub fn create_household(&mut self, input: &HouseholdInput) -> Result<Household> {
        self.write(|tx, stamp| {
            let id = household::insert(tx, stamp, input)?;
            crate::store::record_change(tx, stamp, AuditAction::Create, "household", &[&id], "")?;
            household::get(tx, &id)
        })
    }

    pub fn update_household(&mut self, id: &str, input: &HouseholdInput) -> Result<Household> {
        self.write(|tx, stamp| {
            let before = household::get(tx, id)?;
            let after = household::update(tx, stamp, id, input)?;
            crate::store::record_change(
                tx,
                stamp,
                AuditAction::Update,
                "household",
                &[id],
                &household::changed_fields(&before, &after),
            )?;
            Ok(after)
        })
    }

    pub fn move_household(&mut self, id: &str, lat: f64, lon: f64) -> Result<Household> {
        self.write(|tx, stamp| {
            let h = household::move_to(tx, stamp, id, lat, lon)?;
            crate::store::record_change(tx, stamp, AuditAction::Update, "household", &[id], "location")?;
            Ok(h)
        })
    }

    pub fn household(&self, id: &str) -> Result<HouseholdDetail> {
        household::detail(self.conn(), id)
    }

    pub fn households(&self) -> Result<Vec<Household>> {
        household::all(self.conn())
    }

    pub fn household_pins(&self) -> Result<Vec<HouseholdPin>> {
        household::pins(self.conn())
    }

    pub fn search_households(&self, query: &str, limit: u32, offset: u32) -> Result<HouseholdPage> {
        household::search(self.conn(), query, limit, offset)
    }

    /// A selection's households for its list: the first `limit`, and how many there are.
    pub fn households_of(&self, ids: &[String], limit: u32) -> Result<HouseholdPage> {
        household::of_ids(self.conn(), ids, limit)
    }

    pub fn count_households(&self, status: Option<HouseholdStatus>) -> Result<u32> {
        household::count(self.conn(), status)
    }

    pub fn add_need(&mut self, household_id: &str, input: &NeedInput) -> Result<Need> {
        self.write(|tx, stamp| {
            let id = need::insert(tx, stamp, household_id, input)?;
            crate::store::record_change(tx, stamp, AuditAction::Create, "need", &[&id, household_id], "")?;
            need::get(tx, &id)
        })
    }

    pub fn update_need(&mut self, id: &str, input: &NeedInput) -> Result<Need> {
        self.write(|tx, stamp| {
            let need = need::update(tx, stamp, id, input)?;
            crate::store::record_change(tx, stamp, AuditAction::Update, "need", &[id, &need.household_id], "")?;
            Ok(need)
        })
    }

    pub fn set_need_status(&mut self, id: &str, status: NeedStatus) -> Result<Need> {
        self.write(|tx, stamp| {
            let need = need::set_status(tx, stamp, id, status)?;
            let detail = format!("status: {}", status.key());
            crate::store::record_change(tx, stamp, AuditAction::Update, "need", &[id, &need.household_id], &detail)?;
            Ok(need)
        })
    }

    pub fn needs(&self, status: Option<NeedStatus>) -> Result<Vec<Need>> {
        need::list(self.conn(), status)
    }
}
