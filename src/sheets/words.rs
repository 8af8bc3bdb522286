//! The words printed on route sheets, in the languages the app speaks (English, Spanish, French):
//! drivers may not read the coordinator's language, so the sheet's language is chosen per
//! operation. Only fixed labels are translated; what the operation holds (names, addresses,
//! catalogue items, notes) goes out as typed.

use serde::{Deserialize, Serialize};

use crate::vocab::Category;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum SheetLanguage {
    #[default]
    En,
    Es,
    Fr,
}

impl SheetLanguage {
    pub fn code(self) -> &'static str {
        match self {
            SheetLanguage::En => "en",
            SheetLanguage::Es => "es",
            SheetLanguage::Fr => "fr",
        }
    }
}

/// Fixed labels of a sheet in one language.
pub struct Words {
    pub run: &'static str,
    pub driver: &'static str,
    pub vehicle: &'static str,
    pub loads_at: &'static str,
    pub start: &'static str,
    pub back: &'static str,
    pub stops: &'static str,
    /// Followed by the date and a full stop.
    pub destroy_after: &'static str,
    pub continued: &'static str,
    pub phone: &'static str,
    pub access: &'static str,
    pub near: &'static str,
    pub for_driver: &'static str,
    pub cold_chain: &'static str,
    pub medical_priority: &'static str,
    pub delivered: &'static str,
    pub nobody_home: &'static str,
    pub refused: &'static str,
    pub notes: &'static str,
    pub navigate: &'static str,
    pub call: &'static str,
    /// "Google Maps: stops" before "1–10".
    pub google_stops: &'static str,
    /// Per-stop links line: "Open in".
    pub open_in: &'static str,
    /// "— instead of Water 5 L": a substitute the catalogue allowed.
    pub instead_of: &'static str,
    /// Packing lists: title, the depot's total over its runs, kits to make up from components.
    pub packing: &'static str,
    pub to_load: &'static str,
    pub unpacked_kits: &'static str,
    /// Category names, for needs not loaded as a catalogue item.
    /// Each category by its vocabulary key (`Category::key`).
    categories: &'static [(&'static str, &'static str)],
}

const EN: Words = Words {
    run: "Run",
    driver: "Driver",
    vehicle: "Vehicle",
    loads_at: "Loads at",
    start: "Start",
    back: "back",
    stops: "stops",
    destroy_after: "Personal information: destroy this sheet after",
    instead_of: "instead of",
    packing: "Packing list",
    to_load: "All runs together",
    unpacked_kits: "not packed as kits: load their components",
    continued: "continued",
    phone: "Phone",
    access: "Access",
    near: "near",
    for_driver: "Note",
    cold_chain: "COLD CHAIN",
    medical_priority: "MEDICAL PRIORITY",
    delivered: "delivered",
    nobody_home: "nobody home",
    refused: "refused",
    notes: "Notes",
    navigate: "Navigate",
    call: "Call",
    google_stops: "Google Maps: stops",
    open_in: "Open in",
    categories: &[
        ("water", "water"),
        ("food", "food"),
        ("baby_supplies", "baby supplies"),
        ("medicine", "medicine"),
        ("hygiene", "hygiene"),
        ("cleaning", "cleaning"),
        ("fuel", "fuel"),
        ("shelter", "shelter"),
        ("other", "other"),
    ],
};

const ES: Words = Words {
    run: "Ruta",
    driver: "Conductor",
    vehicle: "Vehículo",
    loads_at: "Carga en",
    start: "Salida",
    back: "regreso",
    stops: "paradas",
    destroy_after: "Datos personales: destruya esta hoja después del",
    instead_of: "en lugar de",
    packing: "Lista de carga",
    to_load: "Todas las rutas juntas",
    unpacked_kits: "kits sin armar: cargar sus componentes",
    continued: "continuación",
    phone: "Teléfono",
    access: "Acceso",
    near: "cerca de",
    for_driver: "Nota",
    cold_chain: "CADENA DE FRÍO",
    medical_priority: "PRIORIDAD MÉDICA",
    delivered: "entregado",
    nobody_home: "nadie en casa",
    refused: "rechazado",
    notes: "Notas",
    navigate: "Navegar",
    call: "Llamar",
    google_stops: "Google Maps: paradas",
    open_in: "Abrir en",
    categories: &[
        ("water", "agua"),
        ("food", "alimentos"),
        ("baby_supplies", "artículos para bebé"),
        ("medicine", "medicamentos"),
        ("hygiene", "higiene"),
        ("cleaning", "limpieza"),
        ("fuel", "combustible"),
        ("shelter", "refugio"),
        ("other", "otros"),
    ],
};

const FR: Words = Words {
    run: "Tournée",
    driver: "Chauffeur",
    vehicle: "Véhicule",
    loads_at: "Chargement à",
    start: "Départ",
    back: "retour",
    stops: "arrêts",
    destroy_after: "Données personnelles : détruire cette feuille après le",
    instead_of: "au lieu de",
    packing: "Liste de chargement",
    to_load: "Toutes les tournées ensemble",
    unpacked_kits: "kits non préparés : charger leurs composants",
    continued: "suite",
    phone: "Téléphone",
    access: "Accès",
    near: "près de",
    for_driver: "Note",
    cold_chain: "CHAÎNE DU FROID",
    medical_priority: "PRIORITÉ MÉDICALE",
    delivered: "livré",
    nobody_home: "personne",
    refused: "refusé",
    notes: "Notes",
    navigate: "Itinéraire",
    call: "Appeler",
    google_stops: "Google Maps : arrêts",
    open_in: "Ouvrir dans",
    categories: &[
        ("water", "eau"),
        ("food", "nourriture"),
        ("baby_supplies", "articles pour bébé"),
        ("medicine", "médicaments"),
        ("hygiene", "hygiène"),
        ("cleaning", "nettoyage"),
        ("fuel", "carburant"),
        ("shelter", "abri"),
        ("other", "autre"),
    ],
};

impl Words {
    pub fn of(language: SheetLanguage) -> &'static Words {
        match language {
            SheetLanguage::En => &EN,
            SheetLanguage::Es => &ES,
            SheetLanguage::Fr => &FR,
        }
    }

    /// The category's word, found by its vocabulary key (a test checks every language has
    /// every category; the key itself would show otherwise, never another category's word).
    pub fn category(&self, category: Category) -> &'static str {
        self.categories.iter().find(|(k, _)| *k == category.key()).map_or(category.key(), |(_, w)| *w)
    }

    /// "Run 3 — 2026-12-02".
    pub fn title(&self, number: usize, day: &str) -> String {
        format!("{} {number} — {day}", self.run)
    }

    pub fn destroy(&self, date: &str) -> String {
        format!("{} {date}.", self.destroy_after)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_names_every_category_by_its_key() {
        for language in [SheetLanguage::En, SheetLanguage::Es, SheetLanguage::Fr] {
            let words = Words::of(language);
            assert_eq!(words.categories.len(), Category::ALL.len());
            for c in Category::ALL {
                assert!(words.categories.iter().any(|(k, _)| *k == c.key()), "{language:?} lacks {}", c.key());
            }
        }
        assert_eq!(Words::of(SheetLanguage::Fr).category(Category::BabySupplies), "articles pour bébé");
    }
}
