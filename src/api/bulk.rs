//! Acting once on many households: a selection from a list filter, bulk actions and their undo,
//! each one transaction with one audit entry naming the records.

use std::collections::HashSet;

use crate::audit::AuditAction;
use crate::bulk::{self, BulkAction, BulkOutcome, BulkUndo, SelectionFilter};
use crate::error::Result;
use crate::store::Store;

impl Store {
    /// The households a list filter selects.
    pub fn select_households(&self, filter: &SelectionFilter) -> Result<Vec<String>> {
        bulk::matching(self.conn(), filter, self.now())
    }

    /// `action` on every household of `ids`; the audit entry names the households acted on.
    pub fn bulk(&mut self, ids: &[String], action: &BulkAction) -> Result<BulkOutcome> {
        self.write(|tx, stamp| {
            let outcome = bulk::apply(tx, stamp, ids, action)?;
            let skipped: HashSet<&str> = outcome.skipped.iter().map(|(id, _)| id.as_str()).collect();
            let mut seen = HashSet::new();
            let acted: Vec<&str> =
                ids.iter().map(String::as_str).filter(|id| !skipped.contains(id) && seen.insert(*id)).collect();
            let detail = bulk::audit_detail(&outcome, false);
            crate::store::record_change(tx, stamp, AuditAction::Update, "household", &acted, &detail)?;
            Ok(outcome)
        })
    }

    /// Restores what a bulk action changed; the audit entry names the records restored.
    pub fn bulk_undo(&mut self, outcome: &BulkOutcome) -> Result<u32> {
        self.write(|tx, stamp| {
            let n = bulk::undo(tx, stamp, &outcome.undo)?;
            let u: &BulkUndo = &outcome.undo;
            let ids: Vec<&str> = u
                .households
                .iter()
                .map(|(id, _)| id.as_str())
                .chain(u.urgencies.iter().map(|(id, _)| id.as_str()))
                .chain(u.statuses.iter().map(|(id, _)| id.as_str()))
                .chain(u.added.iter().map(String::as_str))
                .collect();
            let entity = if u.households.is_empty() { "need" } else { "household" };
            crate::store::record_change(
                tx,
                stamp,
                AuditAction::Update,
                entity,
                &ids,
                &bulk::audit_detail(outcome, true),
            )?;
            Ok(n)
        })
    }
}

impl Store {
    /// The door-knock list of the households `ids` as a PDF at `path` (complete or not at all),
    /// recorded in the audit log with the households it names.
    pub fn save_door_knock(
        &mut self,
        ids: &[String],
        language: crate::sheets::SheetLanguage,
        path: &std::path::Path,
    ) -> Result<()> {
        let day = self.now().date_naive().to_string();
        let bytes = crate::sheets::door_knock::render(self.conn(), ids, language, &day)?;
        let part = crate::files::sibling(path, ".part");
        let written = (|| {
            std::fs::write(&part, &bytes)?;
            if !self.read_only() {
                let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
                self.record(
                    AuditAction::Export,
                    "household",
                    &refs,
                    &format!("door-knock list: {} households", ids.len()),
                )?;
            }
            crate::files::rename_durably(&part, path)
        })();
        if written.is_err() {
            let _ = std::fs::remove_file(&part);
        }
        written
    }
}
