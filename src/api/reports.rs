//! The dashboard's figures and the situation report on the operation.

use std::path::Path;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::audit::AuditAction;
use crate::error::Result;
use crate::files::{rename_durably, sibling};
use crate::region::RegionPack;
use crate::report::{self, Report, ReportRequest};
use crate::sheets::SheetLanguage;
use crate::store::Store;

/// The files a report is saved as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum ReportFormat {
    Json,
    Csv,
    Pdf,
}

impl ReportFormat {
    pub fn key(self) -> &'static str {
        match self {
            ReportFormat::Json => "json",
            ReportFormat::Csv => "csv",
            ReportFormat::Pdf => "pdf",
        }
    }
}

impl Store {
    /// The figures of `req`'s day; areas from the pack's named places when it has them.
    pub fn report(&self, pack: Option<&RegionPack>, req: &ReportRequest) -> Result<Report> {
        let places = pack.map(RegionPack::places).transpose()?;
        report::build(self.conn(), places.as_deref(), req, self.now())
    }

    /// Writes `report` to `path` (complete or not at all) and records the export in the audit
    /// log. The PDF and CSV carry counts only; the JSON is the dashboard's data as it is.
    pub fn save_report(
        &mut self,
        report: &Report,
        format: ReportFormat,
        language: SheetLanguage,
        path: &Path,
    ) -> Result<()> {
        let bytes = match format {
            ReportFormat::Json => serde_json::to_vec_pretty(report)?,
            ReportFormat::Csv => report::csv::write(report)?,
            ReportFormat::Pdf => report::pdf::render(report, language)?,
        };
        let part = sibling(path, ".part");
        let written = (|| {
            std::fs::write(&part, &bytes)?;
            if !self.read_only() {
                let detail = format!("situation report {} of {}", format.key(), report.day);
                self.record(AuditAction::Export, "report", &[], &detail)?;
            }
            rename_durably(&part, path)
        })();
        if written.is_err() {
            let _ = std::fs::remove_file(&part);
        }
        written
    }
}
