//! Phone numbers: keep what the caller typed, and a normalised form for search and duplicates.
//!
//! Normalisation is deliberately small (digits, a leading `+`, `00` → `+`): intake volunteers type
//! numbers from many countries and we must never reject or rewrite one wrongly. Full E.164 parsing
//! (crate `phonenumber`) needs a home region per operation; revisit with the import issue.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Phone {
    pub original: String,
    pub normalized: String,
}

pub fn normalize(raw: &str) -> String {
    let trimmed = raw.trim();
    let mut out = String::with_capacity(trimmed.len());
    for (i, c) in trimmed.chars().enumerate() {
        if c.is_ascii_digit() {
            out.push(c);
        } else if c == '+' && i == 0 {
            out.push('+');
        }
    }
    if let Some(rest) = out.strip_prefix("00") {
        out = format!("+{rest}");
    }
    out
}

pub fn phone(raw: &str) -> Phone {
    Phone { original: raw.trim().to_string(), normalized: normalize(raw) }
}

/// The digits of a search query, if it looks like a phone number (at least 3 digits).
/// A leading `00` international prefix is dropped, as `normalize` turns it into the `+` that the
/// stored search form omits.
pub fn query_digits(query: &str) -> Option<String> {
    let mut digits: String = query.chars().filter(|c| c.is_ascii_digit()).collect();
    if let Some(rest) = digits.strip_prefix("00").filter(|rest| rest.len() >= 3) {
        digits = rest.to_string();
    }
    (digits.len() >= 3 && query.chars().all(|c| c.is_ascii_digit() || " +-()./".contains(c))).then_some(digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_common_forms() {
        assert_eq!(normalize(" +377 93 15 20 00 "), "+37793152000");
        assert_eq!(normalize("00377-93.15.20.00"), "+37793152000");
        assert_eq!(normalize("(555) 010-1234"), "5550101234");
        assert_eq!(normalize("call 555 0101 ext"), "5550101");
    }

    #[test]
    fn query_digits_only_for_phone_like_queries() {
        assert_eq!(query_digits("93 15"), Some("9315".into()));
        assert_eq!(query_digits("Rue 12"), None);
        assert_eq!(query_digits("12"), None);
        assert_eq!(query_digits("00377 93 15"), Some("3779315".into()));
    }
}
