//! The report's figures as one long CSV table: `section, subject, measure, value`, one figure a
//! row, so a spreadsheet can pivot it. Anonymous like the situation report: waiting needs by
//! their ids, never a name.

use super::{OutcomeCounts, Report};
use crate::error::Result;

fn csv_error(e: csv::Error) -> crate::error::Error {
    crate::error::Error::Internal(format!("CSV: {e}"))
}

/// The report as CSV bytes.
pub fn write(report: &Report) -> Result<Vec<u8>> {
    let mut rows: Vec<[String; 4]> = Vec::new();
    let row = |rows: &mut Vec<[String; 4]>, section: &str, subject: &str, measure: &str, value: String| {
        rows.push([section.into(), subject.into(), measure.into(), value]);
    };
    row(&mut rows, "report", "", "day", report.day.clone());
    row(&mut rows, "report", "", "made_at", report.made_at.clone());
    let outcomes = |rows: &mut Vec<[String; 4]>, subject: &str, c: &OutcomeCounts| {
        for (measure, value) in [
            ("households_reached", c.households_reached),
            ("delivered", c.delivered),
            ("partly", c.partly),
            ("nobody_home", c.nobody_home),
            ("refused", c.refused),
            ("unsafe", c.unsafe_),
        ] {
            row(rows, "deliveries", subject, measure, value.to_string());
        }
    };
    outcomes(&mut rows, "today", &report.today);
    outcomes(&mut rows, "last_7_days", &report.last_7_days);
    outcomes(&mut rows, "since_start", &report.since_start);
    for d in &report.per_day {
        outcomes(&mut rows, &d.day, &d.outcomes);
        row(&mut rows, "runs", &d.day, "hours_on_runs", d.hours_on_runs.to_string());
        row(&mut rows, "runs", &d.day, "drivers", d.drivers.to_string());
    }
    let n = &report.open_needs;
    for (measure, value) in [
        ("total", n.total),
        ("critical", n.critical),
        ("high", n.high),
        ("normal", n.normal),
        ("low", n.low),
        ("under_1_day", n.under_1_day),
        ("days_1_to_3", n.days_1_to_3),
        ("days_3_to_7", n.days_3_to_7),
        ("over_7_days", n.over_7_days),
    ] {
        row(&mut rows, "open_needs", "", measure, value.to_string());
    }
    for w in &report.oldest_critical {
        row(&mut rows, "oldest_critical", &w.need_id, "days_waiting", w.days_waiting.to_string());
        row(&mut rows, "oldest_critical", &w.need_id, "reason", w.reason.clone());
    }
    for a in &report.areas {
        for (measure, value) in [
            ("households", a.households),
            ("open_needs", a.open_needs),
            ("critical_needs", a.critical_needs),
            ("visits_7_days", a.visits_7_days),
            ("delivered_7_days", a.delivered_7_days),
        ] {
            row(&mut rows, &format!("area_{}", report.areas_by), &a.label, measure, value.to_string());
        }
    }
    for s in &report.stock {
        let subject = format!("{} ({})", s.item, s.unit);
        row(&mut rows, "stock", &subject, "on_hand", s.on_hand.to_string());
        row(&mut rows, "stock", &subject, "reserved", s.reserved.to_string());
        row(&mut rows, "stock", &subject, "issued_per_day", s.issued_per_day.to_string());
        row(&mut rows, "stock", &subject, "days_of_cover", s.days_of_cover.map(|d| d.to_string()).unwrap_or_default());
    }
    let v = &report.volunteers;
    row(&mut rows, "volunteers", "", "active_drivers", v.active_drivers.to_string());
    for s in &v.shifts_ahead {
        row(&mut rows, "volunteers", &s.day, "shifts", s.shifts.to_string());
        row(&mut rows, "volunteers", &s.day, "shifts_with_vehicle", s.with_vehicle.to_string());
    }
    row(&mut rows, "volunteers", "tomorrow", "vehicles", v.vehicles_tomorrow.to_string());
    row(&mut rows, "volunteers", "tomorrow", "vehicles_with_cooler", v.coolers_tomorrow.to_string());
    row(&mut rows, "volunteers", "tomorrow", "vehicles_high_clearance", v.high_clearance_tomorrow.to_string());
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["section", "subject", "measure", "value"]).map_err(csv_error)?;
    for r in &rows {
        w.write_record(r.iter().map(|c| crate::csv_safe::cell(c))).map_err(csv_error)?;
    }
    w.into_inner().map_err(|e| crate::error::Error::Internal(format!("CSV: {e}")))
}
