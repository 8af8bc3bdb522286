//! Reads the embedded Monaco OSM extract (ODbL, © OpenStreetMap contributors; see
//! `src/demo/ATTRIBUTION.md`): street addresses for demo households, and roads, buildings
//! and the extract boundary for the demo area outline the map draws until region packs exist.

use std::collections::HashMap;
use std::sync::OnceLock;

use geo::{Centroid, Coord, LineString, Polygon};
use osmpbf::{Element, ElementReader};

use crate::error::{Error, Result};

pub const MONACO_PBF: &[u8] = include_bytes!("monaco.osm.pbf");
pub const MONACO_POLY: &str = include_str!("monaco.poly");

#[derive(Debug, Clone)]
pub struct Address {
    pub housenumber: String,
    pub street: String,
    pub lat: f64,
    pub lon: f64,
}

#[derive(Debug, Clone)]
pub struct Road {
    pub class: String,
    pub name: Option<String>,
    pub line: LineString<f64>,
}

#[derive(Debug, Default)]
pub struct Extract {
    pub addresses: Vec<Address>,
    pub roads: Vec<Road>,
    pub buildings: Vec<Polygon<f64>>,
}

const ROAD_CLASSES: &[&str] = &[
    "motorway",
    "trunk",
    "primary",
    "secondary",
    "tertiary",
    "unclassified",
    "residential",
    "living_street",
    "service",
    "pedestrian",
    "motorway_link",
    "trunk_link",
    "primary_link",
    "secondary_link",
    "tertiary_link",
];

/// The Monaco extract, parsed once per process.
pub fn monaco() -> Result<&'static Extract> {
    static EXTRACT: OnceLock<std::result::Result<Extract, String>> = OnceLock::new();
    EXTRACT.get_or_init(|| read(MONACO_PBF).map_err(|e| e.to_string())).as_ref().map_err(|e| Error::Internal(e.clone()))
}

/// Reads the roads, buildings and addresses of an OSM PBF extract. A damaged or hostile file is an
/// error, never a crash: `osmpbf` 0.3.8 can panic on integer overflow in its delta decoding (found
/// by `fuzz/fuzz_targets/osm_pbf.rs`; debug builds check overflow), so its panics become errors.
pub fn read(pbf: &[u8]) -> Result<Extract> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_unchecked(pbf)))
        .unwrap_or_else(|_| Err(Error::Corrupt("the OSM extract is damaged".into())))
}

fn read_unchecked(pbf: &[u8]) -> Result<Extract> {
    let reader = ElementReader::new(std::io::Cursor::new(pbf));
    let mut nodes: HashMap<i64, Coord<f64>> = HashMap::new();
    let mut out = Extract::default();
    let node_address = |tags: &mut dyn Iterator<Item = (&str, &str)>, lat: f64, lon: f64, out: &mut Extract| {
        let (mut number, mut street) = (None, None);
        for (k, v) in tags {
            match k {
                "addr:housenumber" => number = Some(v.to_string()),
                "addr:street" => street = Some(v.to_string()),
                _ => {}
            }
        }
        if let (Some(housenumber), Some(street)) = (number, street) {
            out.addresses.push(Address { housenumber, street, lat, lon });
        }
    };
    reader
        .for_each(|element| match element {
            Element::Node(n) => {
                nodes.insert(n.id(), Coord { x: n.lon(), y: n.lat() });
                node_address(&mut n.tags(), n.lat(), n.lon(), &mut out);
            }
            Element::DenseNode(n) => {
                nodes.insert(n.id(), Coord { x: n.lon(), y: n.lat() });
                node_address(&mut n.tags(), n.lat(), n.lon(), &mut out);
            }
            Element::Way(w) => {
                let tags: HashMap<&str, &str> = w.tags().collect();
                let coords: Vec<Coord<f64>> = w.refs().filter_map(|id| nodes.get(&id).copied()).collect();
                if coords.len() < 2 {
                    return;
                }
                let line = LineString::new(coords);
                if let Some(class) = tags.get("highway").filter(|c| ROAD_CLASSES.contains(c)) {
                    out.roads.push(Road {
                        class: class.to_string(),
                        name: tags.get("name").map(|s| s.to_string()),
                        line: line.clone(),
                    });
                }
                if tags.contains_key("building") && line.is_closed() && line.0.len() >= 4 {
                    let polygon = Polygon::new(line, vec![]);
                    if let (Some(n), Some(s), Some(c)) =
                        (tags.get("addr:housenumber"), tags.get("addr:street"), polygon.centroid())
                    {
                        out.addresses.push(Address {
                            housenumber: n.to_string(),
                            street: s.to_string(),
                            lat: c.y(),
                            lon: c.x(),
                        });
                    }
                    out.buildings.push(polygon);
                }
            }
            Element::Relation(_) => {}
        })
        .map_err(|e| Error::Internal(format!("reading OSM extract: {e}")))?;
    Ok(out)
}

/// The extract's boundary ring from an Osmosis `.poly` file, as (lon, lat).
pub fn boundary(poly: &str) -> Vec<(f64, f64)> {
    poly.lines()
        .filter_map(|line| {
            let mut it = line.split_whitespace();
            let lon = it.next()?.parse::<f64>().ok()?;
            let lat = it.next()?.parse::<f64>().ok()?;
            it.next().is_none().then_some((lon, lat))
        })
        .collect()
}

/// The extract's boundary (`monaco.poly`) as a polygon.
pub fn monaco_boundary() -> Polygon<f64> {
    Polygon::new(LineString::from(boundary(MONACO_POLY)), vec![])
}

const STREET_CLASSES: &[&str] =
    &["residential", "living_street", "unclassified", "tertiary", "secondary", "primary", "pedestrian"];

/// Points along the named streets inside `area`, about every `spacing_m` metres, each with the
/// street's name and no house number: most Monaco buildings carry no address in OSM, and
/// households live along every street, not only at the few numbered addresses.
pub fn street_places(extract: &Extract, area: &Polygon<f64>, spacing_m: f64) -> Vec<Address> {
    use geo::Contains;
    let mut out = Vec::new();
    for road in extract.roads.iter().filter(|r| STREET_CLASSES.contains(&r.class.as_str())) {
        let Some(name) = &road.name else { continue };
        let mut carried = spacing_m / 2.0; // distance walked since the last point
        for segment in road.line.lines() {
            // Equirectangular metres are exact enough over one street segment.
            let k = 111_320.0;
            let dx = (segment.end.x - segment.start.x) * k * segment.start.y.to_radians().cos();
            let dy = (segment.end.y - segment.start.y) * k;
            let length = (dx * dx + dy * dy).sqrt();
            let mut at = spacing_m - carried;
            while at <= length {
                let f = at / length;
                let c = Coord {
                    x: segment.start.x + f * (segment.end.x - segment.start.x),
                    y: segment.start.y + f * (segment.end.y - segment.start.y),
                };
                if area.contains(&c) {
                    out.push(Address { housenumber: String::new(), street: name.clone(), lat: c.y, lon: c.x });
                }
                at += spacing_m;
            }
            carried = length - (at - spacing_m);
        }
    }
    out
}
