//! CSV cells that spreadsheets will not run as formulas (OWASP "CSV injection").

/// Prefixes a cell that a spreadsheet would read as a formula with `'`. Plain numbers and phone
/// numbers (`+377 555 01 02`, `-3.5`) stay as they are: they cannot carry a formula.
pub fn cell(value: &str) -> String {
    let risky = matches!(value.chars().next(), Some('=' | '+' | '-' | '@' | '\t' | '\r'));
    let number_like = !value.is_empty() && value.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c));
    if risky && !number_like {
        format!("'{value}")
    } else {
        value.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn escapes_formulas_but_not_numbers() {
        assert_eq!(cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("+377 555 01 02"), "+377 555 01 02");
        assert_eq!(cell("-3.5"), "-3.5");
        assert_eq!(cell("-1+cmd|' /C calc'!A0"), "'-1+cmd|' /C calc'!A0");
        assert_eq!(cell("Rue Grimaldi"), "Rue Grimaldi");
    }
}
