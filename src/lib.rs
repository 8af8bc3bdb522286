//! Aidmap core: the domain, the operation file (SQLite) and the demo generator.
//!
//! This crate never depends on Tauri or a webview: `src-tauri/` adapts it to the desktop app
//! and `src/cli/` (the `aidmap` binary) to the command line. See README › Architecture.

pub mod api;
pub mod audit;
pub mod backup;
pub mod clock;
pub mod csv_safe;
pub mod demo;
pub mod error;
pub mod export;
pub mod files;
pub mod ids;
pub mod import;
pub mod packing;
pub mod phone;
pub mod plan;
pub mod pluscode;
pub mod query;
pub mod read_limit;
pub mod recent;
pub mod records;
pub mod region;
pub mod report;
pub mod sheets;
pub mod store;
pub mod sync;
pub mod text;
pub mod validate;
pub mod vocab;
pub mod vrp;

// Domain records keep their short paths (`aidmap::household`, `crate::need`).
pub use records::{
    bulk, catalogue, closure, duplicates, household, item, merge, need, retention, settings, site, stock, vehicle,
    volunteer,
};

pub use api::ReportFormat;
pub use error::{Error, ErrorCode, ErrorReport, FieldError, Result, Rule};
pub use store::{OpenMode, Store};
