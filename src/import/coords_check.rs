//! A row's own coordinates checked against the region pack before they are trusted: a sheet's
//! lat/lon can be swapped, rounded, copied from the wrong row or made by a broken geocoder, and
//! a pin in the harbour sends a driver there. Flagged when the point is outside the pack's box,
//! in water, farther than `FAR_FROM_ROAD_M` from every road, or farther than
//! `FAR_FROM_ADDRESS_M` from where the pack finds the row's address: its house number, or
//! anywhere along its street when the address names only a street (a named place's point says
//! little about where in it a home is, so it is never compared).

use super::columns::Matched;
use crate::region::extract::haversine_m;
use crate::region::RegionPack;

/// Farther than this from the address's house number: the coordinates are doubted.
pub const FAR_FROM_ADDRESS_M: f64 = 250.0;

/// What a flagged row may do, in the order offered: go where the address was found, keep the
/// sheet's coordinates, or wait to be placed by hand.
pub const USE_ADDRESS: &str = "address";
pub const KEEP_COORDINATES: &str = "coordinates";
pub const PLACE_BY_HAND: &str = "place";

/// One reason to doubt a row's coordinates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Flag {
    /// `outside_region`, `in_water`, `far_from_road` or `far_from_address`.
    pub code: &'static str,
    pub distance_m: Option<f64>,
}

/// The reasons to doubt (lat, lon); `found` is where the row's address was found, if it was.
pub fn flags(pack: &RegionPack, lat: f64, lon: f64, found: Option<&(f64, f64, Matched)>) -> Vec<Flag> {
    let mut out: Vec<Flag> = pack
        .doubts(lat, lon)
        .into_iter()
        .map(|d| Flag {
            code: match d.code.as_str() {
                "outside_region" => "outside_region",
                "in_water" => "in_water",
                _ => "far_from_road",
            },
            distance_m: d.distance_m.map(f64::from),
        })
        .collect();
    let away = match found {
        Some((a_lat, a_lon, Matched::House)) => Some(haversine_m(lat, lon, *a_lat, *a_lon)),
        Some((_, _, Matched::Street(name))) => pack.router().and_then(|r| r.street_distance_m(lat, lon, name)),
        _ => None,
    };
    if let Some(d) = away.filter(|d| *d > FAR_FROM_ADDRESS_M) {
        out.push(Flag { code: "far_from_address", distance_m: Some(d) });
    }
    out
}

/// The choices a flagged row offers: the address only when it was found.
pub fn choices(found: Option<&(f64, f64, Matched)>) -> Vec<String> {
    let mut c = Vec::new();
    if found.is_some() {
        c.push(USE_ADDRESS.to_string());
    }
    c.extend([KEEP_COORDINATES.to_string(), PLACE_BY_HAND.to_string()]);
    c
}

/// What the import does with a flagged row: the row's own choice, else the default for all
/// flagged rows, else the address when it was found, else placing by hand (never the doubted
/// coordinates unless someone chose them).
pub fn chosen(choices: &[String], row: Option<&String>, default: Option<&String>) -> String {
    [row, default]
        .into_iter()
        .flatten()
        .find(|c| choices.contains(c))
        .cloned()
        .unwrap_or_else(|| if choices.iter().any(|c| c == USE_ADDRESS) { USE_ADDRESS } else { PLACE_BY_HAND }.into())
}
