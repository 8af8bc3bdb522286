//! Reading cell text as the data model's values: numbers with either decimal mark, dates in
//! three formats, yes/no in three languages, and vocabulary words in three languages.

use chrono::NaiveDate;

use crate::text::fold;
use crate::vocab::{Capability, Category, Role, SiteKind, Urgency, VehicleKind, Vulnerability};

/// `12`, `12.5`, `12,5` (a decimal comma); `None` for anything else.
pub fn number(cell: &str) -> Option<f64> {
    let c = cell.trim().replace(' ', "");
    let c = if c.contains(',') && !c.contains('.') { c.replace(',', ".") } else { c.replace(',', "") };
    c.parse::<f64>().ok().filter(|v| v.is_finite())
}

pub fn count(cell: &str) -> Option<u32> {
    people(cell).ok()
}

/// A count of people (0–1000), or why it is not one: the problem code and the number read.
pub fn people(cell: &str) -> Result<u32, (&'static str, Option<f64>)> {
    let v = number(cell).ok_or(("not_a_number", None))?;
    if v < 0.0 {
        Err(("below_zero", Some(v)))
    } else if v.fract() != 0.0 {
        Err(("not_whole", Some(v)))
    } else if v > 1000.0 {
        Err(("too_large", Some(v)))
    } else {
        Ok(v as u32)
    }
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
        "yes" | "y" | "si" | "oui" | "o" | "true" | "1" | "x" | "ok" | "agree" | "acepto" | "d'accord" | "✓" | "✔"
        | "vrai" | "verdadero" => Some(true),
        "no" | "n" | "non" | "false" | "0" | "faux" | "falso" | "" | "-" => Some(false),
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

/// A vocabulary word: its key (`distribution_point`, with spaces for underscores), else the first
/// entry of `table` one of whose words the cell is or contains as a whole word.
fn word<T: Copy>(cell: &str, parse: fn(&str) -> Option<T>, table: &[(T, &[&str])]) -> Option<T> {
    let f = fold(cell.trim());
    parse(&f.replace([' ', '-'], "_")).or_else(|| {
        table
            .iter()
            .find(|(_, w)| w.iter().any(|w| f == *w || (w.contains(' ') && f.contains(w)) || matches(cell, &[w])))
            .map(|(v, _)| *v)
    })
}

pub fn site_kind(cell: &str) -> Option<SiteKind> {
    let table: &[(SiteKind, &[&str])] = &[
        (
            SiteKind::CommunityFridge,
            &["community fridge", "fridge", "nevera", "frigo", "refrigerateur", "frigo solidaire"],
        ),
        (
            SiteKind::DistributionPoint,
            &["distribution", "distribution point", "reparto", "punto de reparto", "point de distribution"],
        ),
        (SiteKind::DonationDropoff, &["donation", "drop off", "dropoff", "donaciones", "collecte", "dons"]),
        (SiteKind::Shelter, &["shelter", "refugio", "albergue", "abri", "refuge", "hebergement"]),
        (SiteKind::Warehouse, &["warehouse", "depot", "store", "almacen", "bodega", "entrepot"]),
    ];
    word(cell, SiteKind::parse, table)
}

pub fn role(cell: &str) -> Option<Role> {
    let table: &[(Role, &[&str])] = &[
        (
            Role::Driver,
            &["driver", "driving", "conductor", "conductora", "chofer", "chauffeur", "conducteur", "conductrice"],
        ),
        (
            Role::Packer,
            &["packer", "packing", "sorting", "empaquetar", "empaque", "embalaje", "emballage", "tri", "preparation"],
        ),
        (
            Role::Dispatcher,
            &[
                "dispatcher",
                "dispatch",
                "coordinator",
                "coordinador",
                "coordinadora",
                "coordination",
                "coordinateur",
                "coordinatrice",
            ],
        ),
        (Role::Intake, &["intake", "phones", "hotline", "reception", "recepcion", "acogida", "accueil", "permanence"]),
    ];
    word(cell, Role::parse, table)
}

pub fn vehicle_kind(cell: &str) -> Option<VehicleKind> {
    let table: &[(VehicleKind, &[&str])] = &[
        (VehicleKind::CargoBike, &["cargo bike", "bike", "bicycle", "bicicleta", "velo", "velo cargo", "biporteur"]),
        (VehicleKind::Motorbike, &["motorbike", "motorcycle", "scooter", "moto", "motocicleta"]),
        (VehicleKind::Pickup, &["pickup", "pick up", "ute", "camioneta pickup"]),
        (VehicleKind::Truck, &["truck", "lorry", "camion", "poids lourd"]),
        (
            VehicleKind::Van,
            &["van", "minivan", "furgoneta", "furgon", "camioneta", "fourgon", "fourgonnette", "utilitaire"],
        ),
        (VehicleKind::Car, &["car", "sedan", "estate", "coche", "auto", "carro", "turismo", "voiture"]),
    ];
    word(cell, VehicleKind::parse, table)
}

pub fn capability(cell: &str) -> Option<Capability> {
    let table: &[(Capability, &[&str])] = &[
        (
            Capability::HighClearance,
            &["high clearance", "4x4", "4wd", "awd", "off road", "todoterreno", "4 x 4", "tout terrain"],
        ),
        (
            Capability::Cooler,
            &["cooler", "cool box", "fridge", "refrigerated", "nevera", "refrigerado", "glaciere", "frigo"],
        ),
        (Capability::WheelchairLift, &["wheelchair", "lift", "ramp", "silla de ruedas", "rampa", "fauteuil", "rampe"]),
        (Capability::Trailer, &["trailer", "remolque", "remorque"]),
    ];
    word(cell, Capability::parse, table)
}

/// A date and time: `2026-12-02T08:00`, `2026-12-02 08:00`, `02/12/2026 8:00` (day first, or
/// month first with `mdy`), or RFC 3339 with an offset. Without an offset it is this computer's
/// local time. Returns RFC 3339.
pub fn datetime(cell: &str, month_first: bool) -> Option<String> {
    let c = cell.trim();
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(c) {
        return Some(t.to_rfc3339());
    }
    let (day, time) = c.split_once(['T', ' '])?;
    let date = date(day, month_first)?;
    let time = time.trim();
    let time = chrono::NaiveTime::parse_from_str(time, "%H:%M")
        .or_else(|_| chrono::NaiveTime::parse_from_str(time, "%H:%M:%S"))
        .or_else(|_| chrono::NaiveTime::parse_from_str(time, "%Hh%M"))
        .ok()?;
    use chrono::TimeZone;
    let local = chrono::Local.from_local_datetime(&date.and_time(time)).earliest()?;
    Some(local.to_rfc3339())
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
        let t = |s| datetime(s, false).map(|t| chrono::DateTime::parse_from_rfc3339(&t).unwrap().naive_local());
        let want = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap().and_hms_opt(8, 30, 0);
        assert_eq!(t("2026-12-02 08:30"), want);
        assert_eq!(t("02/12/2026 8:30"), want);
        assert_eq!(t("2026-12-02T08:30:00"), want);
        assert_eq!(datetime("2026-12-02T08:30:00+01:00", false).as_deref(), Some("2026-12-02T08:30:00+01:00"));
        assert_eq!(datetime("2026-12-02", false), None);
        assert_eq!(datetime("tomorrow 8:00", false), None);
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
        assert_eq!(site_kind("Community fridge"), Some(SiteKind::CommunityFridge));
        assert_eq!(site_kind("Almacén"), Some(SiteKind::Warehouse));
        assert_eq!(site_kind("distribution_point"), Some(SiteKind::DistributionPoint));
        assert_eq!(role("Conductora"), Some(Role::Driver));
        assert_eq!(role("Accueil"), Some(Role::Intake));
        assert_eq!(vehicle_kind("Furgoneta"), Some(VehicleKind::Van));
        assert_eq!(vehicle_kind("Cargo bike"), Some(VehicleKind::CargoBike));
        assert_eq!(capability("4x4"), Some(Capability::HighClearance));
        assert_eq!(capability("Glacière"), Some(Capability::Cooler));
        assert_eq!(site_kind("spaceship"), None);
    }
}
