//! Integration tests of the Aidmap core, one binary with a module per area (ripgrep style), so
//! the crate is linked once.

#[path = "core/util.rs"]
mod util;

#[path = "core/advisories.rs"]
mod advisories;
#[path = "core/audit.rs"]
mod audit;
#[path = "core/backup.rs"]
mod backup;
#[path = "core/basemap.rs"]
mod basemap;
#[path = "core/bulk.rs"]
mod bulk;
#[path = "core/cli.rs"]
mod cli;
#[path = "core/crash.rs"]
mod crash;
#[path = "core/demo.rs"]
mod demo;
#[path = "core/duplicates.rs"]
mod duplicates;
#[path = "core/encryption.rs"]
mod encryption;
#[path = "core/export.rs"]
mod export;
#[path = "core/faults.rs"]
mod faults;
#[path = "core/fuzz_found.rs"]
mod fuzz_found;
#[path = "core/hostile.rs"]
mod hostile;
#[path = "core/hostile_inputs.rs"]
mod hostile_inputs;
#[path = "core/households.rs"]
mod households;
#[path = "core/import.rs"]
mod import;
#[path = "core/import_checks.rs"]
mod import_checks;
#[path = "core/import_supplies.rs"]
mod import_supplies;
#[path = "core/items.rs"]
mod items;
#[path = "core/loads.rs"]
mod loads;
#[path = "core/migrations.rs"]
mod migrations;
#[path = "core/needs.rs"]
mod needs;
#[path = "core/plan.rs"]
mod plan;
#[path = "core/pluscode.rs"]
mod pluscode;
#[path = "core/region.rs"]
mod region;
#[path = "core/report.rs"]
mod report;
#[path = "core/retention.rs"]
mod retention;
#[path = "core/sheets.rs"]
mod sheets;
#[path = "core/sheets_content.rs"]
mod sheets_content;
#[path = "core/sheets_pdf.rs"]
mod sheets_pdf;
#[path = "core/structure.rs"]
mod structure;
#[path = "core/supplies.rs"]
mod supplies;
#[path = "core/sync_merge.rs"]
mod sync_merge;
#[path = "core/sync_property.rs"]
mod sync_property;
#[path = "core/sync_replicas.rs"]
mod sync_replicas;
#[path = "core/sync_rules.rs"]
mod sync_rules;
#[path = "core/syncthing.rs"]
mod syncthing;
#[path = "core/upgrade.rs"]
mod upgrade;
#[path = "core/volunteers.rs"]
mod volunteers;
#[path = "core/vrp_engine.rs"]
mod vrp_engine;
#[path = "core/vrp_io.rs"]
mod vrp_io;
