//! CSV cells that spreadsheets will not run as formulas (OWASP "CSV injection").

/// Prefixes every cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return with `'`,
/// so spreadsheets read it as text. Phone numbers included: `+377 555 01 02` is read as a formula
/// (and shows an error) by spreadsheet programs. Coordinates and counts are written as numbers by
/// the callers, not through here.
pub fn cell(value: &str) -> String {
    if matches!(value.chars().next(), Some('=' | '+' | '-' | '@' | '\t' | '\r')) {
        format!("'{value}")
    } else {
        value.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn escapes_formulas_and_phones() {
        assert_eq!(cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("+377 555 01 02"), "'+377 555 01 02");
        assert_eq!(cell("-3.5"), "'-3.5");
        assert_eq!(cell("\tx"), "'\tx");
        assert_eq!(cell("\rx"), "'\rx");
        assert_eq!(cell("06 12 34 56 78"), "06 12 34 56 78");
        assert_eq!(cell("-1+cmd|' /C calc'!A0"), "'-1+cmd|' /C calc'!A0");
        assert_eq!(cell("Rue Grimaldi"), "Rue Grimaldi");
    }
}
