//! The route sheets' options, kept per operation (setting `sheets`) and audited on change.

use rusqlite::{Connection, Transaction};

use super::SheetOptions;
use crate::audit::AuditAction;
use crate::clock::Stamp;
use crate::error::Result;
use crate::validate::Checker;

/// The route sheets' optional fields and "destroy after" days, saved per operation.
pub fn sheet_options(conn: &Connection) -> Result<SheetOptions> {
    crate::settings::read(conn, "sheets")
}

pub fn set_sheet_options(conn: &Transaction<'_>, stamp: &Stamp, value: &SheetOptions) -> Result<SheetOptions> {
    let mut c = Checker::default();
    c.range("destroy_after_days", value.destroy_after_days as f64, 1.0, 90.0);
    c.finish()?;
    if sheet_options(conn)? != *value {
        crate::settings::write(conn, stamp, "sheets", value)?;
        crate::store::record_change(conn, stamp, AuditAction::Settings, "setting", &[], "route sheets")?;
    }
    sheet_options(conn)
}
