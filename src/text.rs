//! Text folding for search: lower case, accents removed ("Chloé" → "chloe", "Ñandú" → "nandu"),
//! so that intake volunteers find a household however the name was typed.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

pub fn fold(s: &str) -> String {
    s.nfd().filter(|c| !is_combining_mark(*c)).flat_map(char::to_lowercase).collect()
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
