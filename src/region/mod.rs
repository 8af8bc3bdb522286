//! Region packs: everything Aidmap needs about a place, built offline from one OSM extract and
//! kept in one SQLite file beside the operation — the car road graph with its contraction order
//! (routing, `router`), and the address search index (`geocode`). Map tiles join later.
//!
//! A pack holds public OpenStreetMap data only, so it is not encrypted.

pub mod closure_geojson;
pub mod closure_index;
pub mod coast;
pub mod extract;
pub mod geocode;
pub mod graph;
pub mod pack_check;
pub mod pmtiles_archive;
pub mod replace;
pub mod rings;
pub mod router;
pub mod tiles;
pub mod use_basemap;
pub mod water;

use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OpenFlags, OptionalExtension};
use serde::Serialize;
use ts_rs::TS;

use crate::error::{Error, Result};
use graph::RoadGraph;
use router::Router;

/// Marks a SQLite file as an Aidmap region pack ("AIDR").
pub const APPLICATION_ID: i32 = 0x4149_4452;
/// Pack format; a pack of another format is rebuilt from its extract, never migrated.
pub const FORMAT: u32 = 1;

/// What `aidmap region info` prints and the app shows.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize, TS)]
#[ts(export)]
pub struct RegionInfo {
    pub source: String,
    #[ts(type = "number")]
    pub source_bytes: u64,
    pub built_at: String,
    /// [min_lat, min_lon, max_lat, max_lon]
    pub bounds: [f64; 4],
    #[ts(type = "number")]
    pub road_ways: u64,
    #[ts(type = "number")]
    pub graph_nodes: u64,
    #[ts(type = "number")]
    pub graph_arcs: u64,
    #[ts(type = "number")]
    pub addresses: u64,
    #[ts(type = "number")]
    pub streets: u64,
    #[ts(type = "number")]
    pub places: u64,
    #[ts(type = "number")]
    pub missing_node_refs: u64,
    #[ts(type = "number")]
    pub ways_skipped: u64,
    /// Basemap tiles in the pack's PMTiles archive, and its size (0 for packs built before it).
    #[serde(default)]
    #[ts(type = "number")]
    pub tiles: u64,
    #[serde(default)]
    #[ts(type = "number")]
    pub basemap_bytes: u64,
    /// Which cut of the basemap tiles the pack holds (`tiles::SCHEMA`; 0 before it was
    /// recorded): the demo's pack is rebuilt when it is older.
    #[serde(default)]
    pub tiles_schema: u32,
    /// The zooms the basemap has tiles for (MapLibre over-zooms past the last).
    #[serde(default = "default_min_zoom")]
    pub min_zoom: u8,
    #[serde(default = "default_max_zoom")]
    pub max_zoom: u8,
    /// The `.pmtiles` file the basemap came from, when the user chose one (File › Region › Use
    /// basemap file…) instead of the tiles Aidmap cuts from the extract.
    #[serde(default)]
    pub basemap_source: Option<String>,
    /// Seconds per build phase: read, graph, order, addresses, write.
    pub phase_seconds: Vec<(String, f64)>,
}

fn default_min_zoom() -> u8 {
    12 // packs written before the zooms were recorded were cut from z12
}
fn default_max_zoom() -> u8 {
    tiles::MAX_ZOOM
}

/// The build phases, in order, for progress reports.
pub const PHASES: [&str; 6] = ["read", "roads", "graph", "addresses", "tiles", "write"];

fn u32s(v: &[u32]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_le_bytes()).collect()
}
fn f64s(v: &[f64]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_le_bytes()).collect()
}
fn i64s(v: &[i64]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_le_bytes()).collect()
}
fn chunks<const N: usize>(b: &[u8]) -> Result<impl Iterator<Item = [u8; N]> + '_> {
    if !b.len().is_multiple_of(N) {
        return Err(Error::RegionDamaged("an array has a bad length".into()));
    }
    Ok(b.chunks_exact(N).map(|c| c.try_into().unwrap()))
}

/// Builds a pack from an extract at `out` (a new file, written under a temporary name and
/// renamed when complete: a failed or cancelled build leaves nothing). `progress(phase, count)`
/// returning `false` cancels.
pub fn build(
    pbf: &Path,
    out: &Path,
    built_at: DateTime<Utc>,
    progress: &mut dyn FnMut(&str, u64) -> bool,
) -> Result<RegionInfo> {
    let bytes = std::fs::read(pbf).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Error::FileNotFound,
        _ => e.into(),
    })?;
    let source = pbf.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    build_from_bytes(&bytes, &source, out, built_at, progress)
}

/// `build` from bytes in memory (the demo's embedded Monaco extract).
pub fn build_from_bytes(
    bytes: &[u8],
    source: &str,
    out: &Path,
    built_at: DateTime<Utc>,
    progress: &mut dyn FnMut(&str, u64) -> bool,
) -> Result<RegionInfo> {
    write_new(out, |tmp| build_into(bytes, source, tmp, built_at, progress))
}

/// Writes a new pack at `out` through `write(tmp)`: under a temporary name, renamed when
/// complete, removed on any error (a failed or cancelled write leaves nothing).
fn write_new(out: &Path, write: impl FnOnce(&Path) -> Result<RegionInfo>) -> Result<RegionInfo> {
    if out.exists() {
        return Err(Error::FileExists);
    }
    let tmp = crate::files::sibling(out, ".partial");
    let _ = std::fs::remove_file(&tmp);
    let result = write(&tmp);
    match result {
        Ok(info) => {
            crate::files::rename_durably(&tmp, out)?;
            Ok(info)
        }
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            let _ = std::fs::remove_file(crate::files::sibling(&tmp, "-journal"));
            Err(e)
        }
    }
}

fn build_into(
    bytes: &[u8],
    source: &str,
    tmp: &Path,
    built_at: DateTime<Utc>,
    progress: &mut dyn FnMut(&str, u64) -> bool,
) -> Result<RegionInfo> {
    let mut phases = Vec::new();
    let mut t = Instant::now();
    let lap = |name: &str, t: &mut Instant, phases: &mut Vec<(String, f64)>| {
        phases.push((name.to_string(), t.elapsed().as_secs_f64()));
        *t = Instant::now();
    };
    if !progress("read", 0) {
        return Err(Error::Cancelled);
    }
    let ex = extract::read(bytes, &mut |n| progress("read", n))?;
    if ex.nodes_read == 0 {
        return Err(Error::Corrupt("the file holds no OpenStreetMap nodes".into()));
    }
    lap("read", &mut t, &mut phases);
    if !progress("roads", ex.roads.len() as u64) {
        return Err(Error::Cancelled);
    }
    let graph = RoadGraph::build(&ex.roads);
    if graph.node_count() < 2 {
        return Err(Error::Corrupt("the extract has no roads a car can use".into()));
    }
    lap("roads", &mut t, &mut phases);
    if !progress("graph", graph.arc_count() as u64) {
        return Err(Error::Cancelled);
    }
    let order = Router::contraction_order(&graph);
    lap("graph", &mut t, &mut phases);
    if !progress("addresses", ex.places.len() as u64) {
        return Err(Error::Cancelled);
    }
    let mut conn = new_pack(tmp)?;
    let tx = conn.transaction()?;
    geocode::insert(&tx, &ex.places)?;
    lap("addresses", &mut t, &mut phases);
    if !progress("tiles", 0) {
        return Err(Error::Cancelled);
    }
    let tiles = tiles::cut(&ex, &mut |n| progress("tiles", n))?;
    let (a, b, c, d) = ex.bounds.unwrap_or_default();
    let basemap = tiles::pmtiles(&tiles, [a, b, c, d])?;
    tx.execute("INSERT INTO array (name, data) VALUES ('basemap.pmtiles', ?1)", [&basemap])?;
    lap("tiles", &mut t, &mut phases);
    if !progress("write", 0) {
        return Err(Error::Cancelled);
    }
    let (water_polygons, sea) = water::of_extract(&ex);
    let (water_xy, water_rings, water_polys) = water::encode(&water_polygons);
    let arrays: [(&str, Vec<u8>); 14] = [
        ("lat", f64s(&graph.lat)),
        ("lon", f64s(&graph.lon)),
        ("first_out", u32s(&graph.first_out)),
        ("head", u32s(&graph.head)),
        ("time_ds", u32s(&graph.time_ds)),
        ("length_m", u32s(&graph.length_m)),
        ("arc_way", u32s(&graph.arc_way)),
        ("way_ids", i64s(&graph.way_ids)),
        ("way_names", serde_json::to_vec(&graph.way_names).map_err(|e| Error::Internal(e.to_string()))?),
        ("order", u32s(&order)),
        ("water_xy", f64s(&water_xy)),
        ("water_ring_ends", u32s(&water_rings)),
        ("water_poly_ends", u32s(&water_polys)),
        ("water_sea", u32s(&[sea])),
    ];
    for (name, data) in arrays {
        tx.execute("INSERT INTO array (name, data) VALUES (?1, ?2)", params![name, data])?;
    }
    let count = |kind: &str| ex.places.iter().filter(|p| p.kind.key() == kind).count() as u64;
    lap("write", &mut t, &mut phases);
    let info = RegionInfo {
        source: source.to_string(),
        source_bytes: bytes.len() as u64,
        built_at: crate::clock::timestamp(built_at),
        bounds: [a, b, c, d],
        road_ways: ex.roads.iter().map(|r| r.way_id).collect::<std::collections::HashSet<_>>().len() as u64,
        graph_nodes: graph.node_count() as u64,
        graph_arcs: graph.arc_count() as u64,
        addresses: count("address"),
        streets: count("street"),
        places: count("place"),
        missing_node_refs: ex.missing_node_refs,
        ways_skipped: ex.ways_skipped,
        tiles: tiles.len() as u64,
        basemap_bytes: basemap.len() as u64,
        tiles_schema: tiles::SCHEMA,
        min_zoom: tiles::MIN_ZOOM,
        max_zoom: tiles::MAX_ZOOM,
        basemap_source: None,
        phase_seconds: phases,
    };
    tx.execute(
        "INSERT INTO meta (key, value) VALUES ('info', ?1)",
        [serde_json::to_string(&info).map_err(|e| Error::Internal(e.to_string()))?],
    )?;
    tx.pragma_update(None, "user_version", FORMAT)?;
    tx.commit()?;
    conn.close().map_err(|(_, e)| Error::from(e))?;
    Ok(info)
}

/// A new, empty pack file: its id and tables (the `info` row and `user_version` come last, when
/// the content is complete).
fn new_pack(path: &Path) -> Result<Connection> {
    let conn = Connection::open(path)?;
    conn.pragma_update(None, "application_id", APPLICATION_ID)?;
    conn.pragma_update(None, "journal_mode", "DELETE")?;
    conn.execute_batch(
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
         CREATE TABLE array (name TEXT PRIMARY KEY, data BLOB NOT NULL);",
    )?;
    geocode::create_schema(&conn)?;
    Ok(conn)
}

/// Where an operation keeps its region pack: beside it, same name, extension `.region`.
pub fn pack_path_for(operation: &Path) -> PathBuf {
    operation.with_extension("region")
}

/// An open region pack: its search index and a router ready for queries.
pub struct RegionPack {
    conn: Connection,
    path: PathBuf,
    info: RegionInfo,
    router: Option<Router>,
    /// Water areas; `None` for a pack built before they were kept (or a basemap-only pack).
    water: Option<water::Water>,
}

impl RegionPack {
    /// `open` for the app: on another thread, with a panic caught and a time limit, so a
    /// damaged pack beside an operation never takes the app down or hangs it; says the pack is
    /// damaged (not the operation).
    pub fn open_guarded(path: &Path, limit: std::time::Duration) -> Result<RegionPack> {
        let (tx, rx) = std::sync::mpsc::channel();
        let path = path.to_path_buf();
        std::thread::spawn(move || {
            let opened = std::panic::catch_unwind(|| RegionPack::open(&path))
                .unwrap_or_else(|_| Err(Error::RegionDamaged("reading it failed".into())));
            let _ = tx.send(opened);
        });
        match rx.recv_timeout(limit) {
            Ok(opened) => opened,
            Err(_) => Err(Error::RegionDamaged("opening it took too long".into())),
        }
    }

    pub fn open(path: &Path) -> Result<RegionPack> {
        if !path.exists() {
            return Err(Error::FileNotFound);
        }
        let conn =
            Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
        crate::store::guard::defend(&conn)?;
        let app: i32 = conn.query_row("PRAGMA application_id", [], |r| r.get(0)).map_err(|_| Error::NotARegion)?;
        let version: u32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if app != APPLICATION_ID {
            return Err(Error::NotARegion);
        }
        if version != FORMAT {
            return Err(Error::TooNew { found: version, supported: FORMAT });
        }
        pack_check::schema(&conn)?;
        let info: String = conn
            .query_row("SELECT value FROM meta WHERE key = 'info'", [], |r| r.get(0))
            .optional()?
            .ok_or(Error::NotARegion)?;
        let info: RegionInfo =
            serde_json::from_str(&info).map_err(|_| Error::RegionDamaged("its description does not read".into()))?;
        pack_check::bounds(&info)?;
        pack_check::array_sizes(&conn, &info)?;
        let array = |name: &str| -> Result<Vec<u8>> {
            conn.query_row("SELECT data FROM array WHERE name = ?1", [name], |r| r.get(0))
                .optional()?
                .ok_or_else(|| Error::RegionDamaged(format!("it lacks its {name} array")))
        };
        let u32v =
            |name: &str| -> Result<Vec<u32>> { Ok(chunks::<4>(&array(name)?)?.map(u32::from_le_bytes).collect()) };
        let f64v =
            |name: &str| -> Result<Vec<f64>> { Ok(chunks::<8>(&array(name)?)?.map(f64::from_le_bytes).collect()) };
        if info.graph_nodes == 0 {
            // A basemap-only pack (`basemap_file`): a map to look at, no roads to route on.
            return Ok(RegionPack { conn, path: path.to_path_buf(), info, router: None, water: None });
        }
        let graph = RoadGraph {
            lat: f64v("lat")?,
            lon: f64v("lon")?,
            first_out: u32v("first_out")?,
            head: u32v("head")?,
            time_ds: u32v("time_ds")?,
            length_m: u32v("length_m")?,
            arc_way: u32v("arc_way")?,
            way_ids: chunks::<8>(&array("way_ids")?)?.map(i64::from_le_bytes).collect(),
            way_names: serde_json::from_slice(&array("way_names")?)
                .map_err(|_| Error::RegionDamaged("its street names do not read".into()))?,
        };
        let order = u32v("order")?;
        pack_check::coordinates(&info, &graph.lat, &graph.lon)?;
        validate(&graph, &order)?;
        let router = Router::new(graph, &order);
        let water = match (f64v("water_xy"), u32v("water_ring_ends"), u32v("water_poly_ends"), u32v("water_sea")) {
            (Ok(xy), Ok(rings), Ok(polys), Ok(sea)) if xy.iter().all(|v| v.is_finite()) => {
                sea.first().and_then(|&n| water::Water::decode(&xy, &rings, &polys, n))
            }
            _ => None,
        };
        Ok(RegionPack { conn, path: path.to_path_buf(), info, router: Some(router), water })
    }

    pub fn info(&self) -> &RegionInfo {
        &self.info
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The road router; `None` for a basemap-only pack (distances are then estimates).
    pub fn router(&self) -> Option<&Router> {
        self.router.as_ref()
    }

    /// Water areas, when the pack keeps them (packs built before did not).
    pub fn water(&self) -> Option<&water::Water> {
        self.water.as_ref()
    }

    /// What is doubtful about a household at (lat, lon): outside the pack's box, in water, or
    /// farther than `FAR_FROM_ROAD_M` from every road (the route would end short of the door).
    /// Empty when the point is fine. Entry (typed coordinates, Locate, a dragged pin) and
    /// imports ask the same question.
    pub fn doubts(&self, lat: f64, lon: f64) -> Vec<PointDoubt> {
        if !self.contains(lat, lon) {
            return vec![PointDoubt { code: "outside_region".into(), distance_m: None }];
        }
        let road = self.router().and_then(|r| r.road_distance_m(lat, lon));
        // A mapped water area (a lake, a dock) is sure. The sea is closed from coastlines cut at
        // the extract's box, so near the shore it can cover the first metres of land: a point
        // beside a road is then taken to be on the quay (Helsinki's shore addresses were
        // flagged without this).
        let in_water = match self.water().and_then(|w| w.kind_at(lat, lon)) {
            Some(water::WaterKind::Mapped) => true,
            Some(water::WaterKind::Sea) => road.is_none_or(|d| d > WATER_SHORE_M),
            None => false,
        };
        if in_water {
            return vec![PointDoubt { code: "in_water".into(), distance_m: None }];
        }
        match road {
            Some(d) if d > FAR_FROM_ROAD_M => {
                vec![PointDoubt { code: "far_from_road".into(), distance_m: Some(d.round() as u32) }]
            }
            _ => vec![],
        }
    }

    /// Whether (lat, lon) is inside the extract's box.
    pub fn contains(&self, lat: f64, lon: f64) -> bool {
        let [s, w, n, e] = self.info.bounds;
        (s..=n).contains(&lat) && (w..=e).contains(&lon)
    }

    pub fn router_mut(&mut self) -> Option<&mut Router> {
        self.router.as_mut()
    }

    /// The basemap archive (PMTiles), if the pack has one.
    pub fn basemap(&self) -> Result<Option<Vec<u8>>> {
        Ok(self.conn.query_row("SELECT data FROM array WHERE name = 'basemap.pmtiles'", [], |r| r.get(0)).optional()?)
    }

    pub fn geocode(&self, query: &str, limit: usize) -> Result<Vec<geocode::GeocodeResult>> {
        geocode::search(&self.conn, query, limit)
    }

    /// The named places (neighbourhoods, quarters, villages): label, lat, lon.
    pub fn places(&self) -> Result<Vec<(String, f64, f64)>> {
        geocode::places(&self.conn)
    }
}

/// Address search that also takes a plus code (`pluscode::find_in`): a full code anywhere, a
/// short code with a place found in the pack (`9G8F+6X Monaco`), or alone near the pack's
/// centre. Without a pack only full codes are found. A plus code's result has kind
/// `plus_code` and its label is the full code (with the place typed, if any).
pub fn locate(pack: Option<&RegionPack>, query: &str, limit: usize) -> Result<Vec<geocode::GeocodeResult>> {
    if let Some((code, rest)) = crate::pluscode::find_in(query) {
        let reference = if crate::pluscode::is_full(&code) {
            Some((0.0, 0.0))
        } else if let Some(pack) = pack {
            let near = if rest.is_empty() { None } else { pack.geocode(&rest, 1)?.into_iter().next() };
            let b = pack.info().bounds;
            Some(near.map_or(((b[0] + b[2]) / 2.0, (b[1] + b[3]) / 2.0), |r| (r.lat, r.lon)))
        } else {
            None
        };
        let full = reference.and_then(|(lat, lon)| crate::pluscode::recover_nearest(&code, lat, lon));
        if let Some(area) = full.as_deref().and_then(crate::pluscode::decode) {
            let (lat, lon) = area.center();
            let full = full.unwrap_or_default();
            let label = if rest.is_empty() { full } else { format!("{full} ({rest})") };
            return Ok(vec![geocode::GeocodeResult { label, kind: "plus_code".into(), lat, lon, score: 1.0 }]);
        }
        return Ok(vec![]);
    }
    match pack {
        Some(pack) => pack.geocode(query, limit),
        None => Ok(vec![]),
    }
}

/// The arrays must describe a well-formed graph before the router trusts them.
fn validate(g: &RoadGraph, order: &[u32]) -> Result<()> {
    let (n, m) = (g.lat.len(), g.head.len());
    let bad = n == 0
        || m == 0
        || g.lon.len() != n
        || g.first_out.len() != n + 1
        || g.first_out.first() != Some(&0)
        || g.first_out.last().map(|&x| x as usize) != Some(m)
        || g.first_out.windows(2).any(|w| w[0] > w[1])
        || g.head.iter().any(|&h| h as usize >= n)
        || [g.time_ds.len(), g.length_m.len(), g.arc_way.len()].iter().any(|&l| l != m)
        || g.arc_way.iter().any(|&w| w as usize >= g.way_ids.len())
        || order.len() != n
        || {
            let mut seen = vec![false; n];
            order.iter().any(|&o| o as usize >= n || std::mem::replace(&mut seen[o as usize], true))
        };
    if bad {
        return Err(Error::RegionDamaged("its road graph is inconsistent".into()));
    }
    Ok(())
}

/// Why a point is doubtful (`RegionPack::doubts`): `outside_region`, `in_water` or
/// `far_from_road` with the distance in metres.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct PointDoubt {
    pub code: String,
    pub distance_m: Option<u32>,
}

/// A point farther than this from every road of the pack is doubted: at entry, on import and
/// on the planning board (`far_from_road`), the route would end short of the door.
pub const FAR_FROM_ROAD_M: f64 = 200.0;

/// A point in water but this close to a road is taken to be on the shore (`RegionPack::doubts`).
pub const WATER_SHORE_M: f64 = 30.0;

/// Road distance is this much longer than the straight line, on average in towns (a common
/// rule of thumb for urban grids; used only without a region pack, and always labelled).
pub const DETOUR_FACTOR: f64 = 1.3;
/// Average driving speed assumed without a region pack, km/h.
pub const ESTIMATE_SPEED_KMH: f64 = 25.0;

/// Without a region pack: straight-line distance times `DETOUR_FACTOR`, at `ESTIMATE_SPEED_KMH`.
/// Callers must show these as estimates.
pub fn estimate_table(sources: &[(f64, f64)], targets: &[(f64, f64)]) -> router::Table {
    let dist = |a: (f64, f64), b: (f64, f64)| extract::haversine_m(a.0, a.1, b.0, b.1) * DETOUR_FACTOR;
    let distances_m: Vec<Vec<Option<f64>>> =
        sources.iter().map(|&s| targets.iter().map(|&t| Some(dist(s, t).round())).collect()).collect();
    let durations_s = distances_m
        .iter()
        .map(|row| row.iter().map(|d| d.map(|d| (d / (ESTIMATE_SPEED_KMH / 3.6) * 10.0).round() / 10.0)).collect())
        .collect();
    router::Table { durations_s, distances_m, snaps: vec![] }
}
