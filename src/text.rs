//! Text folding for search: lower case, accents removed ("Chloé" → "chloe", "Ñandú" → "nandu"),
//! so that intake volunteers find a household however the name was typed.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

pub fn fold(s: &str) -> String {
    s.nfd().filter(|c| !is_combining_mark(*c)).flat_map(char::to_lowercase).collect()
}

/// What household search matches against: the name and the address, folded.
pub fn household_search_text(name: &str, address: &str) -> String {
    fold(&format!("{} {}", name.trim(), address.trim()))
}

/// A quantity as people write it: "12", "1.5", never "12.0".
pub fn number(x: f64) -> String {
    let r = (x * 1000.0).round() / 1000.0;
    if r.fract() == 0.0 {
        format!("{}", r as i64)
    } else {
        format!("{r}")
    }
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn folds_case_and_accents() {
        assert_eq!(fold("CHLOÉ Ñandú"), "chloe nandu");
        assert_eq!(fold("Allée Lazare Sauvaigo"), "allee lazare sauvaigo");
        assert_eq!(fold("Straße"), "straße");
    }
}
