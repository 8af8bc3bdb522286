//! The fields an import can fill, and the header words (English, Spanish, French) that suggest
//! them. Headers are compared folded (case and accents ignored) and by their words, so
//! "Teléfono de contacto" finds `phones` and "Nom et prénom" finds `name`.

use serde::Serialize;
use ts_rs::TS;

use super::Mapping;
use crate::vocab::ImportKind;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct FieldInfo {
    pub key: String,
    pub required: bool,
    /// Takes several values split by the separator.
    pub multiple: bool,
}

/// (field, required, multiple, header words)
type Spec = (&'static str, bool, bool, &'static [&'static str]);

const HOUSEHOLD: &[Spec] = &[
    (
        "name",
        true,
        false,
        &[
            "name",
            "full name",
            "household",
            "family",
            "contact name",
            "nombre",
            "apellidos",
            "familia",
            "nom",
            "prenom",
            "famille",
            "foyer",
        ],
    ),
    (
        "phones",
        false,
        true,
        &["phone", "telephone", "mobile", "cell", "whatsapp", "telefono", "movil", "celular", "tel", "portable"],
    ),
    (
        "address",
        false,
        false,
        &["address", "street", "location", "where", "direccion", "domicilio", "calle", "adresse", "rue"],
    ),
    ("lat", false, false, &["lat", "latitude", "latitud"]),
    ("lon", false, false, &["lon", "lng", "long", "longitude", "longitud"]),
    ("adults", false, false, &["adults", "adultos", "adultes"]),
    ("children", false, false, &["children", "kids", "minors", "ninos", "menores", "enfants", "mineurs"]),
    ("seniors", false, false, &["seniors", "elderly", "over 65", "mayores", "ancianos", "personnes agees", "aines"]),
    (
        "household_size",
        false,
        false,
        &[
            "household size",
            "size",
            "people",
            "persons",
            "number of people",
            "how many people",
            "members",
            "personas",
            "numero de personas",
            "miembros",
            "tamano del hogar",
            "integrantes",
            "taille du foyer",
            "personnes",
            "nombre de personnes",
            "membres",
        ],
    ),
    (
        "vulnerabilities",
        false,
        true,
        &[
            "vulnerabilities",
            "medical",
            "health",
            "conditions",
            "vulnerabilidades",
            "salud",
            "medico",
            "vulnerabilites",
            "sante",
        ],
    ),
    ("languages", false, true, &["languages", "language", "idiomas", "idioma", "langues", "langue"]),
    (
        "access_notes",
        false,
        false,
        &["access", "directions", "how to get", "acceso", "indicaciones", "acces", "digicode"],
    ),
    (
        "notes",
        false,
        false,
        &["notes", "comments", "remarks", "notas", "comentarios", "observaciones", "remarques", "commentaires"],
    ),
    (
        "consent",
        false,
        false,
        &["consent", "agree", "permission", "consentimiento", "acepto", "consentement", "accord"],
    ),
    (
        "needs",
        false,
        true,
        &["needs", "need", "what do you need", "request", "necesidades", "necesita", "besoins", "besoin"],
    ),
    ("quantity", false, false, &["quantity", "how many", "amount", "cantidad", "cuantos", "quantite", "combien"]),
    ("unit", false, false, &["unit", "unidad", "unite"]),
    ("urgency", false, false, &["urgency", "priority", "urgent", "urgencia", "prioridad", "urgence", "priorite"]),
    (
        "wanted_by",
        false,
        false,
        &["wanted by", "needed by", "deadline", "date", "fecha", "para cuando", "date limite", "pour quand"],
    ),
];

const SITE: &[Spec] = &[
    (
        "name",
        true,
        false,
        &[
            "site",
            "site name",
            "depot",
            "location name",
            "name",
            "sitio",
            "lugar",
            "deposito",
            "nombre",
            "site",
            "lieu",
            "nom",
        ],
    ),
    ("kind", false, false, &["kind", "type", "site type", "tipo", "genre", "type de site"]),
    ("address", false, false, &["address", "street", "direccion", "domicilio", "calle", "adresse", "rue"]),
    ("lat", false, false, &["lat", "latitude", "latitud"]),
    ("lon", false, false, &["lon", "lng", "long", "longitude", "longitud"]),
    ("contact", false, false, &["contact", "phone", "telephone", "contacto", "telefono", "tel"]),
    ("hours", false, false, &["hours", "opening hours", "open", "horario", "horas", "horaires", "heures"]),
    ("notes", false, false, &["notes", "comments", "notas", "comentarios", "remarques", "commentaires"]),
    ("item", false, false, &["item", "product", "article", "goods", "supply", "producto", "articulo", "produit"]),
    ("category", false, false, &["category", "categoria", "categorie"]),
    ("unit", false, false, &["unit", "unidad", "unite"]),
    (
        "quantity",
        false,
        false,
        &["quantity", "qty", "stock", "on hand", "amount", "cantidad", "existencias", "quantite"],
    ),
    ("weight_kg", false, false, &["weight", "kg", "weight kg", "peso", "poids"]),
    ("volume_l", false, false, &["volume", "litres", "liters", "volume l", "volumen", "litros"]),
    ("cold_chain", false, false, &["cold chain", "cold", "refrigerated", "fridge", "frio", "refrigerado", "froid"]),
    ("expiry", false, false, &["expiry", "expires", "best before", "caducidad", "vence", "peremption", "expiration"]),
    ("low_threshold", false, false, &["low", "threshold", "minimum", "min", "minimo", "seuil"]),
];

const VOLUNTEER: &[Spec] = &[
    ("name", true, false, &["name", "full name", "volunteer", "driver", "nombre", "voluntario", "nom", "benevole"]),
    (
        "phone",
        false,
        false,
        &["phone", "telephone", "mobile", "cell", "whatsapp", "telefono", "movil", "tel", "portable"],
    ),
    ("roles", false, true, &["roles", "role", "can help with", "rol", "funcion", "tareas", "role", "taches"]),
    ("languages", false, true, &["languages", "language", "idiomas", "idioma", "langues", "langue"]),
    ("home_address", false, false, &["address", "home", "home address", "direccion", "domicilio", "adresse"]),
    ("home_lat", false, false, &["lat", "latitude", "latitud"]),
    ("home_lon", false, false, &["lon", "lng", "long", "longitude", "longitud"]),
    ("notes", false, false, &["notes", "comments", "notas", "comentarios", "remarques", "commentaires"]),
    ("vehicle", false, false, &["vehicle", "car", "vehicle type", "vehiculo", "coche", "vehicule", "voiture"]),
    (
        "capacity_kg",
        false,
        false,
        &["capacity", "capacity kg", "payload", "kg", "capacidad", "carga", "capacite", "charge"],
    ),
    (
        "capacity_l",
        false,
        false,
        &["capacity l", "capacidad l", "capacite l", "litres", "liters", "volume", "litros", "volumen"],
    ),
    ("seats", false, false, &["seats", "passengers", "asientos", "plazas", "places", "sieges"]),
    ("capabilities", false, true, &["capabilities", "equipment", "features", "4x4", "equipamiento", "equipement"]),
    ("cooler", false, false, &["cooler", "cooler yes no", "has cooler", "nevera", "refrigerado", "glaciere", "frigo"]),
    ("high_clearance", false, false, &["4x4", "high clearance", "4x4 yes no", "todoterreno", "tout terrain"]),
    ("shift_date", false, false, &["date", "shift date", "day", "fecha", "dia", "jour"]),
    ("shift_start", false, false, &["shift start", "available from", "from", "start", "desde", "inicio", "debut"]),
    (
        "shift_end",
        false,
        false,
        &["shift end", "available until", "until", "to", "till", "end", "hasta", "fin", "jusqu a"],
    ),
    (
        "start_site",
        false,
        false,
        &[
            "start site",
            "depot",
            "site",
            "base",
            "loads at",
            "start at",
            "deposito",
            "sitio",
            "depart de",
            "site de depart",
        ],
    ),
    (
        "end_site",
        false,
        false,
        &["end site", "returns to", "back to", "end at", "sitio final", "site d arrivee", "retour"],
    ),
];

fn specs(kind: ImportKind) -> &'static [Spec] {
    match kind {
        ImportKind::Households => HOUSEHOLD,
        ImportKind::Sites => SITE,
        ImportKind::Volunteers => VOLUNTEER,
    }
}

pub fn fields_of(kind: ImportKind) -> Vec<FieldInfo> {
    specs(kind).iter().map(|&(key, required, multiple, _)| FieldInfo { key: key.into(), required, multiple }).collect()
}

/// How well a header names a field: 3 = the whole header is one of its words, 2 = all of a
/// word's tokens are in the header, 0 = no match.
fn score(header: &str, words: &[&str]) -> u8 {
    let h = crate::text::fold(header);
    let tokens: Vec<&str> = h.split(|c: char| !c.is_alphanumeric()).filter(|t| !t.is_empty()).collect();
    words
        .iter()
        .map(|w| {
            if h.trim() == *w {
                3
            } else if w.split(' ').all(|p| tokens.contains(&p)) {
                2
            } else {
                0
            }
        })
        .max()
        .unwrap_or(0)
}

/// The mapping suggested from the headers: each field goes to the column naming it best (a
/// column fills one field at most).
pub fn suggest(kind: ImportKind, headers: &[String]) -> Mapping {
    let mut mapping = Mapping::default();
    let mut taken = vec![false; headers.len()];
    let mut candidates: Vec<(u8, usize, &str)> = Vec::new();
    for &(key, _, _, words) in specs(kind) {
        for (i, h) in headers.iter().enumerate() {
            let s = score(h, words);
            if s > 0 {
                candidates.push((s, i, key));
            }
        }
    }
    candidates.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, i, key) in candidates {
        if taken[i] || mapping.columns.values().any(|k| k == key) {
            continue;
        }
        taken[i] = true;
        mapping.columns.insert(headers[i].clone(), key.to_string());
    }
    mapping
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_in_three_languages_find_their_fields() {
        let headers: Vec<String> = [
            "Nombre y apellidos",
            "Teléfono de contacto",
            "Dirección",
            "Niños",
            "¿Qué necesita?",
            "Urgencia",
            "Marca temporal",
        ]
        .map(String::from)
        .to_vec();
        let m = suggest(ImportKind::Households, &headers);
        let field = |h: &str| m.columns.get(h).map(String::as_str);
        assert_eq!(field("Nombre y apellidos"), Some("name"));
        assert_eq!(field("Teléfono de contacto"), Some("phones"));
        assert_eq!(field("Dirección"), Some("address"));
        assert_eq!(field("Niños"), Some("children"));
        assert_eq!(field("¿Qué necesita?"), Some("needs"));
        assert_eq!(field("Urgencia"), Some("urgency"));
        assert_eq!(field("Marca temporal"), None);
        let fr: Vec<String> = ["Nom", "Téléphone", "Adresse", "Besoins", "Langues"].map(String::from).to_vec();
        let m = suggest(ImportKind::Households, &fr);
        assert_eq!(m.columns.len(), 5, "{m:?}");
    }
}
