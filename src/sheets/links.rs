//! Navigation links for a run: Google Maps directions in legs of at most 10 stops (its limit:
//! nine waypoints and a destination), each leg starting where the last ended; Apple Maps and
//! Organic Maps, which take one destination, one link per stop; and a `geo:` URI per stop (OsmAnd
//! and most Android navigation apps). Coordinates only: no names or addresses in a URL.

use serde::Serialize;

use super::{Sheet, SheetStop};

/// Google Maps takes nine waypoints and a destination.
pub const GOOGLE_LEG: usize = 10;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Leg {
    /// `google`, `apple`, `organic`, `geo`.
    pub target: &'static str,
    /// Stop numbers the link covers, in order.
    pub stops: Vec<usize>,
    pub url: String,
}

fn at(lat: f64, lon: f64) -> String {
    format!("{lat:.6},{lon:.6}")
}

pub fn google(sheet: &Sheet) -> Vec<Leg> {
    let mut legs = Vec::new();
    let mut origin = sheet.depot_at;
    for chunk in sheet.stops.chunks(GOOGLE_LEG) {
        let (last, via) = chunk.split_last().expect("chunks are not empty");
        let mut url = format!(
            "https://www.google.com/maps/dir/?api=1&origin={}&destination={}&travelmode=driving",
            at(origin.0, origin.1),
            at(last.lat, last.lon)
        );
        if !via.is_empty() {
            let points: Vec<String> = via.iter().map(|s| at(s.lat, s.lon)).collect();
            url.push_str("&waypoints=");
            url.push_str(&points.join("%7C"));
        }
        legs.push(Leg { target: "google", stops: chunk.iter().map(|s| s.number).collect(), url });
        origin = (last.lat, last.lon);
    }
    legs
}

/// A stop's links for the targets that take one destination.
pub fn for_stop(s: &SheetStop) -> Vec<Leg> {
    let p = at(s.lat, s.lon);
    vec![
        Leg { target: "apple", stops: vec![s.number], url: format!("https://maps.apple.com/?daddr={p}&dirflg=d") },
        Leg { target: "organic", stops: vec![s.number], url: format!("om://route?dll={p}&type=vehicle") },
        Leg { target: "geo", stops: vec![s.number], url: format!("geo:{p}") },
    ]
}

/// The app a link opens, as its users know it.
pub fn app_name(target: &str) -> &'static str {
    match target {
        "google" => "Google Maps",
        "apple" => "Apple Maps",
        "organic" => "Organic Maps",
        _ => "OsmAnd (geo:)",
    }
}

/// One link per stop for the targets that take one destination.
pub fn per_stop(sheet: &Sheet) -> Vec<Leg> {
    sheet.stops.iter().flat_map(for_stop).collect()
}

pub fn all(sheet: &Sheet) -> Vec<Leg> {
    let mut legs = google(sheet);
    legs.extend(per_stop(sheet));
    legs
}
