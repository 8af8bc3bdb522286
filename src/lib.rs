//! Aidmap core: the domain, the operation file (SQLite) and the demo generator.
//!
//! This crate never depends on Tauri or a webview: `src-tauri/` adapts it to the desktop app
//! and `src/cli/` (the `aidmap` binary) to the command line. See README › Architecture.

pub mod api;
pub mod audit;
pub mod backup;
pub mod catalogue;
pub mod clock;
pub mod closure;
pub mod csv_safe;
pub mod demo;
pub mod duplicates;
pub mod error;
pub mod export;
pub mod files;
pub mod household;
pub mod ids;
pub mod import;
pub mod item;
pub mod merge;
pub mod need;
pub mod packing;
pub mod phone;
pub mod plan;
pub mod query;
pub mod read_limit;
pub mod recent;
pub mod region;
pub mod retention;
pub mod settings;
pub mod sheets;
pub mod site;
pub mod stock;
pub mod store;
pub mod text;
pub mod validate;
pub mod vehicle;
pub mod vocab;
pub mod volunteer;
pub mod vrp;

pub use error::{Error, ErrorCode, ErrorReport, FieldError, Result, Rule};
pub use store::{OpenMode, Store};
