//! Small helpers that collect field errors so one rejected form reports every problem at once.

use crate::error::{Error, FieldError, Rule};

#[derive(Default)]
pub struct Checker {
    errors: Vec<FieldError>,
}

pub const MAX_SHORT: usize = 200;
pub const MAX_LONG: usize = 10_000;

impl Checker {
    pub fn fail(&mut self, field: &str, rule: Rule) {
        self.errors.push(FieldError { field: field.to_string(), rule });
    }

    pub fn required(&mut self, field: &str, value: &str) {
        if value.trim().is_empty() {
            self.fail(field, Rule::Required);
        }
    }

    /// Length limit and storable characters: every text field goes through here.
    pub fn max_len(&mut self, field: &str, value: &str, max: usize) {
        if value.chars().count() > max {
            self.fail(field, Rule::TooLong);
        }
        self.characters(field, value);
    }

    /// Refuses control characters (NUL, escape…) other than line breaks and tabs: they cannot be
    /// stored faithfully (SQLite text functions stop at NUL), shown, or printed. Found by fuzzing.
    pub fn characters(&mut self, field: &str, value: &str) {
        // U+FFFE / U+FFFF are not characters at all (XML refuses them: a GPX with one would not load).
        if value
            .chars()
            .any(|c| (c.is_control() && !matches!(c, '\n' | '\r' | '\t')) || matches!(c, '\u{FFFE}' | '\u{FFFF}'))
        {
            self.fail(field, Rule::InvalidCharacters);
        }
    }

    pub fn range(&mut self, field: &str, value: f64, min: f64, max: f64) {
        if !value.is_finite() {
            self.fail(field, Rule::NotANumber);
        } else if value < min || value > max {
            self.fail(field, Rule::OutOfRange);
        }
    }

    pub fn date(&mut self, field: &str, value: Option<&str>) {
        if let Some(v) = value {
            if chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d").is_err() {
                self.fail(field, Rule::InvalidDate);
            }
        }
    }

    /// An RFC 3339 time whose UTC form still has a four-digit year (it is stored in UTC).
    pub fn datetime(&mut self, field: &str, value: &str) {
        use chrono::Datelike;
        match chrono::DateTime::parse_from_rfc3339(value) {
            Ok(t) if (1..=9999).contains(&t.to_utc().year()) => {}
            _ => self.fail(field, Rule::InvalidDate),
        }
    }

    pub fn finish(self) -> Result<(), Error> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(Error::Validation(self.errors))
        }
    }
}

/// Trims text fields and turns empty optional strings into `None`.
pub fn opt(value: &Option<String>) -> Option<String> {
    value.as_ref().map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}
