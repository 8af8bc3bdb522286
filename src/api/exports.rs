//! Exports to a file: written beside the target and renamed into place (a failure leaves no
//! partial file), from one read snapshot, and recorded in the audit log with the column keys and
//! the row count — never values. A read-only operation can still be exported; there is nowhere
//! to record it then.

use std::path::Path;

use crate::audit::AuditAction;
use crate::error::{Error, Result};
use crate::export::{self, ExportRequest, ExportSummary};
use crate::files::{rename_durably, sibling};
use crate::store::Store;

impl Store {
    /// Writes the export `req` to `path` (replacing a file already there, but never the
    /// operation's own files) and records it in the audit log.
    pub fn export_to(&mut self, req: &ExportRequest, path: &Path) -> Result<ExportSummary> {
        // Unknown columns are refused before anything touches the disk.
        export::resolve(req.kind, &req.columns)?;
        if self.is_own_file(path) {
            return Err(Error::FileExists);
        }
        if path.is_dir() {
            return Err(std::io::Error::from(std::io::ErrorKind::IsADirectory).into());
        }
        let tmp = sibling(path, ".partial");
        let result = self.export_via(req, &tmp, path);
        if result.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        result
    }

    fn export_via(&mut self, req: &ExportRequest, tmp: &Path, path: &Path) -> Result<ExportSummary> {
        let now = self.now();
        let mut file = std::fs::File::create(tmp)?;
        let summary = {
            // One snapshot for every query of the export (sites and their stock, volunteers and
            // their vehicles), even while another window writes.
            let only: Option<std::collections::HashSet<String>> =
                req.household_ids.as_ref().map(|ids| ids.iter().cloned().collect());
            self.snapshot(|tx| export::write_only(tx, req, only.as_ref(), now, &mut file))?
        };
        file.sync_all()?;
        drop(file);
        // Recorded before the file appears under its name: no export goes unrecorded.
        if !self.read_only() {
            let detail = format!(
                "{} {}: {} rows, columns {}",
                req.kind.key(),
                req.format.key(),
                summary.rows,
                summary.columns.join(",")
            );
            // A selection's export names its households.
            let ids: Vec<&str> = req.household_ids.iter().flatten().map(String::as_str).collect();
            self.record(AuditAction::Export, req.kind.entity(), &ids, &detail)?;
        }
        rename_durably(tmp, path)?;
        Ok(summary)
    }

    /// Whether `path` is the operation file or one of its SQLite side files.
    fn is_own_file(&self, path: &Path) -> bool {
        let Ok(target) = std::fs::canonicalize(path) else { return false };
        ["", "-wal", "-shm", "-journal"]
            .iter()
            .filter_map(|suffix| std::fs::canonicalize(sibling(self.path(), suffix)).ok())
            .any(|own| own == target)
    }
}
