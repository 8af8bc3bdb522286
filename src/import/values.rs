//! Reading cell text as the data model's values: numbers with either decimal mark, dates in
//! three formats, yes/no in three languages, and vocabulary words in three languages.

use chrono::NaiveDate;

use crate::text::fold;
use crate::vocab::{Category, Urgency, Vulnerability};

/// `12`, `12.5`, `12,5` (a decimal comma); `None` for anything else.
pub fn number(cell: &str) -> Option<f64> {
    let c = cell.trim().replace(' ', "");
    let c = if c.contains(',') && !c.contains('.') { c.replace(',', ".") } else { c.replace(',', "") };
    c.parse::<f64>().ok().filter(|v| v.is_finite())
}

pub fn count(cell: &str) -> Option<u32> {
    number(cell).filter(|v| *v >= 0.0 && v.fract() == 0.0 && *v <= 1000.0).map(|v| v as u32)
}

/// `2026-11-25`, `25/11/2026` or `25.11.2026` (day first, or month first with `mdy`), and
/// `2026-11-25T10:00:00` (the date part); `None` when not a date.
pub fn date(cell: &str, month_first: bool) -> Option<NaiveDate> {
    let c = cell.trim();
    let day_part = c.split(['T', ' ']).next().unwrap_or(c);
    if let Ok(d) = NaiveDate::parse_from_str(day_part, "%Y-%m-%d") {
        return Some(d);
    }
    let parts: Vec<&str> = day_part.split(['/', '.', '-']).collect();
    if parts.len() != 3 {
        return None;
    }
    let n: Vec<u32> = parts.iter().filter_map(|p| p.parse().ok()).collect();
    if n.len() != 3 {
        return None;
    }
    let year = if n[2] < 100 { 2000 + n[2] as i32 } else { n[2] as i32 };
    let (d, m) = if month_first { (n[1], n[0]) } else { (n[0], n[1]) };
    NaiveDate::from_ymd_opt(year, m, d)
}

/// Yes / no in English, Spanish and French (and 1/0, true/false, x).
pub fn yes_no(cell: &str) -> Option<bool> {
    match fold(cell.trim()).as_str() {
        "yes" | "y" | "si" | "oui" | "o" | "true" | "1" | "x" | "ok" | "agree" | "acepto" | "d'accord" => Some(true),
        "no" | "n" | "non" | "false" | "0" => Some(false),
        _ => None,
    }
}

fn matches(cell: &str, words: &[&str]) -> bool {
    let f = fold(cell.trim());
    words.iter().any(|w| f == *w || f.split(|c: char| !c.is_alphanumeric()).any(|t| t == *w))
}

pub fn category(cell: &str) -> Option<Category> {
    let table: &[(Category, &[&str])] = &[
        (Category::Water, &["water", "agua", "eau"]),
        (Category::Food, &["food", "comida", "alimentos", "alimentacion", "nourriture", "alimentation", "repas"]),
        (
            Category::BabySupplies,
            &["baby", "bebe", "nappies", "diapers", "panales", "couches", "formula", "baby_supplies"],
        ),
        (
            Category::Medicine,
            &[
                "medicine",
                "medicines",
                "medication",
                "medications",
                "medicina",
                "medicinas",
                "medicamentos",
                "medicaments",
                "medicament",
                "insulin",
                "insulina",
                "insuline",
            ],
        ),
        (Category::Hygiene, &["hygiene", "higiene", "toiletries", "aseo"]),
        (Category::Cleaning, &["cleaning", "limpieza", "nettoyage", "menage"]),
        (Category::Fuel, &["fuel", "gas", "petrol", "combustible", "gasolina", "carburant", "essence"]),
        (Category::Shelter, &["shelter", "tarp", "tarps", "refugio", "lona", "abri", "bache", "tente", "tent"]),
        (Category::Other, &["other", "otro", "otros", "autre", "autres"]),
    ];
    Category::parse(&fold(cell.trim())).or_else(|| table.iter().find(|(_, w)| matches(cell, w)).map(|(c, _)| *c))
}

pub fn urgency(cell: &str) -> Option<Urgency> {
    let table: &[(Urgency, &[&str])] = &[
        (
            Urgency::Critical,
            &["critical", "critica", "critico", "critique", "emergency", "emergencia", "urgence vitale", "1"],
        ),
        (Urgency::High, &["high", "urgent", "alta", "urgente", "haute", "elevee", "2"]),
        (Urgency::Normal, &["normal", "medium", "media", "moyenne", "3"]),
        (Urgency::Low, &["low", "baja", "basse", "faible", "4"]),
    ];
    Urgency::parse(&fold(cell.trim())).or_else(|| table.iter().find(|(_, w)| matches(cell, w)).map(|(u, _)| *u))
}

pub fn vulnerability(cell: &str) -> Option<Vulnerability> {
    let table: &[(Vulnerability, &[&str])] = &[
        (Vulnerability::Oxygen, &["oxygen", "oxigeno", "oxygene"]),
        (Vulnerability::ColdChain, &["cold chain", "insulin", "insulina", "insuline", "fridge", "nevera", "frigo"]),
        (Vulnerability::Dialysis, &["dialysis", "dialisis", "dialyse"]),
        (
            Vulnerability::MobilityLimited,
            &["mobility", "wheelchair", "movilidad", "silla de ruedas", "mobilite", "fauteuil"],
        ),
        (Vulnerability::Infant, &["infant", "baby", "bebe", "nourrisson"]),
        (Vulnerability::Pregnant, &["pregnant", "embarazada", "enceinte"]),
        (Vulnerability::Pets, &["pets", "pet", "mascotas", "animales", "animaux"]),
        (Vulnerability::NoVehicle, &["no vehicle", "no car", "sin coche", "sans voiture"]),
        (Vulnerability::HearingImpaired, &["hearing", "deaf", "sordo", "sourd", "auditive"]),
        (Vulnerability::VisionImpaired, &["vision", "blind", "ciego", "aveugle", "visuelle"]),
        (Vulnerability::LivesAlone, &["lives alone", "alone", "vive solo", "sola", "seul", "seule"]),
    ];
    Vulnerability::parse(&fold(cell.trim()).replace(' ', "_"))
        .or_else(|| table.iter().find(|(_, w)| w.iter().any(|w| fold(cell).contains(w))).map(|(v, _)| *v))
}

/// A multi-value cell: split on the separator (and on new lines), trimmed, empties dropped.
pub fn split(cell: &str, separator: &str) -> Vec<String> {
    cell.split(|c: char| separator.contains(c) || c == '\n')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_three_formats() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 25);
        assert_eq!(date("2026-11-25", false), d);
        assert_eq!(date("25/11/2026", false), d);
        assert_eq!(date("25.11.26", false), d);
        assert_eq!(date("11/25/2026", true), d);
        assert_eq!(date("2026-11-25T09:30:00", false), d);
        assert_eq!(date("31/02/2026", false), None);
        assert_eq!(date("next week", false), None);
    }

    #[test]
    fn words_in_three_languages() {
        assert_eq!(category("Agua potable"), Some(Category::Water));
        assert_eq!(category("Médicaments"), Some(Category::Medicine));
        assert_eq!(urgency("Urgente"), Some(Urgency::High));
        assert_eq!(yes_no("Sí"), Some(true));
        assert_eq!(yes_no("Non"), Some(false));
        assert_eq!(vulnerability("Necesita insulina en nevera"), Some(Vulnerability::ColdChain));
        assert_eq!(number("12,5"), Some(12.5));
        assert_eq!(number("1,200.5"), Some(1200.5));
        assert_eq!(split("Water; Food\nBaby", ";"), ["Water", "Food", "Baby"]);
    }
}
