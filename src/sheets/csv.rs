//! The stops of a sheet for spreadsheets: one row per stop, every cell formula-escaped.

use std::io::Write;

use super::Sheet;
use crate::csv_safe::cell;
use crate::error::Result;
use crate::export::writers::csv_error;

pub const HEADER: [&str; 15] = [
    "run",
    "stop",
    "eta",
    "name",
    "address",
    "cross_street",
    "phone",
    "items",
    "access_notes",
    "driver_notes",
    "flags",
    "lat",
    "lon",
    "plus_code",
    "landmark",
];

pub fn write(sheets: &[Sheet], out: impl Write) -> Result<()> {
    let mut w = ::csv::Writer::from_writer(out);
    w.write_record(HEADER).map_err(csv_error)?;
    for sheet in sheets {
        for s in &sheet.stops {
            let items: Vec<String> = s.items.iter().map(|i| i.text()).collect();
            let words = super::Words::of(sheet.language);
            let mut flags = Vec::new();
            if s.cold_chain {
                flags.push(words.cold_chain);
            }
            if s.medical_priority {
                flags.push(words.medical_priority);
            }
            w.write_record([
                cell(&sheet.run_number.to_string()),
                cell(&s.number.to_string()),
                cell(&s.eta),
                cell(&s.alias),
                cell(&s.address),
                cell(s.cross_street.as_deref().unwrap_or("")),
                cell(s.phone.as_deref().unwrap_or("")),
                cell(&items.join("; ")),
                cell(s.access_notes.as_deref().unwrap_or("")),
                cell(s.driver_notes.as_deref().unwrap_or("")),
                cell(&flags.join("; ")),
                format!("{:.6}", s.lat),
                format!("{:.6}", s.lon),
                cell(s.plus_code.as_deref().unwrap_or("")),
                cell(s.landmark.as_deref().unwrap_or("")),
            ])
            .map_err(csv_error)?;
        }
    }
    w.flush()?;
    Ok(())
}
