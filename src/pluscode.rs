//! Open Location Codes ("plus codes", <https://plus.codes>): places without a street address
//! ("the blue tent behind the church") located by a code such as `8FVC9G8F+6X`, or a short code
//! with a place (`9G8F+6X Monaco`).
//!
//! Written here from the published specification (github.com/google/open-location-code,
//! `docs/specification.md`) rather than taken from a crate: the crates.io crate
//! `open-location-code` is at 0.1.0 on geo 0.4 (2017) and the newer code in Google's repository
//! is not published; `pluscodes` has no short codes. Checked against the specification's
//! official test vectors (`tests/fixtures/pluscode/*.csv`, Apache-2.0) in
//! `tests/core/pluscode.rs`: validity, encoding (degrees and integers), decoding, shortening and
//! recovering short codes. A leaf module: it depends on nothing of the crate.

const ALPHABET: &[u8; 20] = b"23456789CFGHJMPQRVWX";
const SEPARATOR: char = '+';
const SEPARATOR_POSITION: usize = 8;
const PADDING: char = '0';
const BASE: i64 = 20;
const PAIR_LENGTH: usize = 10;
const GRID_LENGTH: usize = 5;
const GRID_COLUMNS: i64 = 4;
const GRID_ROWS: i64 = 5;
const MAX_LENGTH: usize = 15;
const MIN_LENGTH: usize = 2;
/// Degrees × this is the latitude as an integer at the finest precision (8000 × 5⁵).
pub const LAT_MULTIPLIER: i64 = 8000 * 3125;
/// Degrees × this is the longitude as an integer at the finest precision (8000 × 4⁵).
pub const LON_MULTIPLIER: i64 = 8000 * 1024;
/// The cell sizes in degrees of each pair of digits.
const PAIR_RESOLUTIONS: [f64; 5] = [20.0, 1.0, 0.05, 0.0025, 0.000125];

/// The area a full code stands for, in degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CodeArea {
    pub south: f64,
    pub west: f64,
    pub north: f64,
    pub east: f64,
    /// Significant digits (padding and separator not counted).
    pub length: usize,
}

impl CodeArea {
    /// The centre of the area, (lat, lon): where a located household's pin goes.
    pub fn center(&self) -> (f64, f64) {
        // The specification caps the centre at the poles and the antimeridian.
        (((self.south + self.north) / 2.0).min(90.0), ((self.west + self.east) / 2.0).min(180.0))
    }
}

fn digit_value(c: char) -> Option<i64> {
    let c = c.to_ascii_uppercase();
    ALPHABET.iter().position(|&a| a as char == c).map(|i| i as i64)
}

/// Whether `code` is a valid plus code, full or short (letters in either case).
pub fn is_valid(code: &str) -> bool {
    if code.len() < 2 || !code.is_ascii() {
        return false;
    }
    let Some(sep) = code.find(SEPARATOR) else { return false };
    if code.rfind(SEPARATOR) != Some(sep) || sep > SEPARATOR_POSITION || sep % 2 == 1 {
        return false;
    }
    // A single digit after the separator is not allowed.
    if code.len() - sep - 1 == 1 {
        return false;
    }
    if let Some(pad) = code.find(PADDING) {
        // Padding only in full codes, from an even place, one block of an even length, and
        // then nothing after the separator.
        if sep < SEPARATOR_POSITION || pad == 0 || pad % 2 == 1 || code.len() > sep + 1 {
            return false;
        }
        let block = &code[pad..sep];
        if block.len() % 2 == 1 || block.chars().any(|c| c != PADDING) {
            return false;
        }
    }
    code.chars().all(|c| c == SEPARATOR || c == PADDING || digit_value(c).is_some())
}

/// Whether `code` is a valid short code (four or more leading digits left off).
pub fn is_short(code: &str) -> bool {
    is_valid(code) && code.find(SEPARATOR).is_some_and(|sep| sep < SEPARATOR_POSITION)
}

/// Whether `code` is a valid full code that stands for a place on Earth.
pub fn is_full(code: &str) -> bool {
    if !is_valid(code) || is_short(code) {
        return false;
    }
    let mut chars = code.chars();
    // The first latitude digit cannot reach 90°, the first longitude digit 180°.
    let first_lat = chars.next().and_then(digit_value).map_or(0, |v| v * BASE);
    let first_lon = chars.next().and_then(digit_value).map_or(0, |v| v * BASE);
    first_lat < 180 && first_lon < 360
}

/// Latitude and longitude in degrees as the specification's integers (floor, clipped, wrapped).
pub fn to_integers(lat: f64, lon: f64) -> (i64, i64) {
    let lat_max = 180 * LAT_MULTIPLIER;
    let lon_max = 360 * LON_MULTIPLIER;
    let lat = ((lat * LAT_MULTIPLIER as f64).floor() as i64 + 90 * LAT_MULTIPLIER).clamp(0, lat_max - 1);
    let lon = ((lon * LON_MULTIPLIER as f64).floor() as i64 + 180 * LON_MULTIPLIER).rem_euclid(lon_max);
    (lat, lon)
}

/// The code of `length` significant digits (2, 4, 6, 8, 10 to 15; others are brought into
/// that range) for a place in degrees. 10 digits is a cell of about 14 × 14 m.
pub fn encode(lat: f64, lon: f64, length: usize) -> String {
    let (lat, lon) = to_integers(lat, lon);
    encode_integers(lat, lon, length)
}

/// `encode` from the specification's integers (`to_integers`).
pub fn encode_integers(mut lat: i64, mut lon: i64, length: usize) -> String {
    let mut length = length.clamp(MIN_LENGTH, MAX_LENGTH);
    if length < PAIR_LENGTH && length % 2 == 1 {
        length += 1;
    }
    let mut reversed = Vec::with_capacity(MAX_LENGTH + 1);
    if length > PAIR_LENGTH {
        for _ in 0..GRID_LENGTH {
            let index = (lat % GRID_ROWS) * GRID_COLUMNS + lon % GRID_COLUMNS;
            reversed.push(ALPHABET[index as usize]);
            lat /= GRID_ROWS;
            lon /= GRID_COLUMNS;
        }
    } else {
        lat /= GRID_ROWS.pow(GRID_LENGTH as u32);
        lon /= GRID_COLUMNS.pow(GRID_LENGTH as u32);
    }
    let mut pairs = Vec::with_capacity(PAIR_LENGTH);
    for _ in 0..PAIR_LENGTH / 2 {
        pairs.push(ALPHABET[(lon % BASE) as usize]);
        lon /= BASE;
        pairs.push(ALPHABET[(lat % BASE) as usize]);
        lat /= BASE;
    }
    // Most significant first: the pairs, then the grid digits.
    let digits: Vec<u8> = pairs.iter().rev().chain(reversed.iter().rev()).copied().collect();
    let mut code = String::with_capacity(MAX_LENGTH + 1);
    for (i, &d) in digits.iter().take(length).enumerate() {
        if i == SEPARATOR_POSITION {
            code.push(SEPARATOR);
        }
        code.push(d as char);
    }
    if length < SEPARATOR_POSITION {
        code.extend(std::iter::repeat_n(PADDING, SEPARATOR_POSITION - length));
    }
    if length <= SEPARATOR_POSITION {
        code.push(SEPARATOR);
    }
    code
}

/// The area a full code stands for; `None` for anything else (short codes need `recover`).
/// Digits after the fifteenth are ignored, as the specification says.
pub fn decode(code: &str) -> Option<CodeArea> {
    if !is_full(code) {
        return None;
    }
    let digits: Vec<i64> = code
        .chars()
        .filter(|&c| c != SEPARATOR && c != PADDING)
        .take(MAX_LENGTH)
        .map(|c| digit_value(c).expect("checked by is_full"))
        .collect();
    let mut lat = -90 * LAT_MULTIPLIER;
    let mut lon = -180 * LON_MULTIPLIER;
    let mut lat_place = LAT_MULTIPLIER * BASE * BASE;
    let mut lon_place = LON_MULTIPLIER * BASE * BASE;
    for (i, &d) in digits.iter().enumerate() {
        if i < PAIR_LENGTH {
            if i % 2 == 0 {
                lat_place /= BASE;
                lat += lat_place * d;
            } else {
                lon_place /= BASE;
                lon += lon_place * d;
            }
        } else {
            lat_place /= GRID_ROWS;
            lon_place /= GRID_COLUMNS;
            lat += lat_place * (d / GRID_COLUMNS);
            lon += lon_place * (d % GRID_COLUMNS);
        }
    }
    Some(CodeArea {
        south: lat as f64 / LAT_MULTIPLIER as f64,
        west: lon as f64 / LON_MULTIPLIER as f64,
        north: (lat + lat_place) as f64 / LAT_MULTIPLIER as f64,
        east: (lon + lon_place) as f64 / LON_MULTIPLIER as f64,
        length: digits.len(),
    })
}

fn clip_latitude(lat: f64) -> f64 {
    lat.clamp(-90.0, 90.0)
}

fn normalize_longitude(mut lon: f64) -> f64 {
    if !lon.is_finite() {
        return 0.0;
    }
    lon = lon.rem_euclid(360.0);
    if lon >= 180.0 {
        lon -= 360.0;
    }
    lon
}

/// The cell height in degrees of a code with `length` digits.
fn precision(length: usize) -> f64 {
    if length <= PAIR_LENGTH {
        (BASE as f64).powi(2 - (length / 2) as i32)
    } else {
        (BASE as f64).powi(-3) / (GRID_ROWS as f64).powi((length - PAIR_LENGTH) as i32)
    }
}

/// The full code nearest to the reference place (degrees) that ends in the short `code`: the
/// way `9G8F+6X` with "Monaco" becomes `8FVC9G8F+6X`. A full code comes back as it is (upper
/// case); `None` when `code` is neither.
pub fn recover_nearest(code: &str, ref_lat: f64, ref_lon: f64) -> Option<String> {
    if !is_short(code) {
        return is_full(code).then(|| code.to_ascii_uppercase());
    }
    let ref_lat = clip_latitude(ref_lat);
    let ref_lon = normalize_longitude(ref_lon);
    let prefix_length = SEPARATOR_POSITION - code.find(SEPARATOR)?;
    let resolution = precision(prefix_length);
    let half = resolution / 2.0;
    // The reference's own digits, rounded down to the resolution, fill in what is missing.
    let reference =
        encode((ref_lat / resolution).floor() * resolution, (ref_lon / resolution).floor() * resolution, PAIR_LENGTH);
    let full = format!("{}{}", &reference[..prefix_length], code.to_ascii_uppercase());
    let area = decode(&full)?;
    let (mut lat, mut lon) = (((area.south + area.north) / 2.0).min(90.0), ((area.west + area.east) / 2.0).min(180.0));
    // The nearest match may lie in the neighbouring cell of that size.
    if ref_lat + half < lat && lat - resolution >= -90.0 {
        lat -= resolution;
    } else if ref_lat - half > lat && lat + resolution <= 90.0 {
        lat += resolution;
    }
    if ref_lon + half < lon {
        lon -= resolution;
    } else if ref_lon - half > lon {
        lon += resolution;
    }
    Some(encode(lat, lon, area.length))
}

/// `code` with as many leading digits left off as the reference place allows (4, 6 or 8); the
/// code unchanged when it is too far, padded or too short. `None` if `code` is not full.
pub fn shorten(code: &str, ref_lat: f64, ref_lon: f64) -> Option<String> {
    if !is_full(code) {
        return None;
    }
    if code.contains(PADDING) {
        return Some(code.to_string());
    }
    let area = decode(code)?;
    if area.length < 6 {
        return Some(code.to_string());
    }
    let (lat, lon) = area.center();
    let range = (lat - clip_latitude(ref_lat)).abs().max((lon - normalize_longitude(ref_lon)).abs());
    for i in (1..=PAIR_RESOLUTIONS.len() - 2).rev() {
        // Within 0.3 of the cell (the specification's margin, under its 0.5 limit).
        if range < PAIR_RESOLUTIONS[i] * 0.3 {
            return Some(code[(i + 1) * 2..].to_string());
        }
    }
    Some(code.to_string())
}

/// A plus code found in what someone typed where an address goes: the code and the rest of the
/// text (a place, for a short code). `"9G8F+6X Monaco"` → `("9G8F+6X", "Monaco")`.
pub fn find_in(text: &str) -> Option<(String, String)> {
    let words: Vec<&str> = text.split([' ', ',']).filter(|w| !w.is_empty()).collect();
    // At least four digits before the "+", and two after in a short code: "22+" or "AB+1" in
    // an address are not taken for codes.
    let looks_like_code =
        |w: &str| is_valid(w) && w.find(SEPARATOR).is_some_and(|sep| sep >= 4 && (is_full(w) || w.len() - sep > 2));
    let index = words.iter().position(|w| looks_like_code(w))?;
    let rest: Vec<&str> = words.iter().enumerate().filter(|&(i, _)| i != index).map(|(_, w)| *w).collect();
    Some((words[index].to_ascii_uppercase(), rest.join(" ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_monaco_code_round_trips() {
        let code = encode(43.7384, 7.4246, 10);
        assert!(is_full(&code));
        let (lat, lon) = decode(&code).unwrap().center();
        assert!((lat - 43.7384).abs() < 0.0002 && (lon - 7.4246).abs() < 0.0002);
        // Near the reference more digits go: within 0.015° of it, six.
        let short = shorten(&code, 43.74, 7.42).unwrap();
        assert!(is_short(&short) && code.ends_with(&short), "{short}");
        assert_eq!(shorten(&code, 43.5, 7.2).unwrap(), code[4..], "four within 0.3°");
        assert_eq!(recover_nearest(&short, 43.74, 7.42).unwrap(), code);
    }

    #[test]
    fn a_code_is_found_in_typed_text() {
        assert_eq!(find_in("9G8F+6X Monaco"), Some(("9G8F+6X".into(), "Monaco".into())));
        assert_eq!(find_in("8fvc9g8f+6x"), Some(("8FVC9G8F+6X".into(), String::new())));
        assert_eq!(find_in("12 rue Grimaldi"), None);
        assert_eq!(find_in("Avenue 1+1"), None);
        assert_eq!(find_in("22+ rue Basse"), None);
        assert_eq!(find_in("8FVC9G00+"), Some(("8FVC9G00+".into(), String::new())));
    }
}
