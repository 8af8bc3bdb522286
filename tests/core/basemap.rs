//! The basemap: tiles cut from the extracts decode with the Protomaps layers, the sea is
//! assembled from coastlines on the right side, and the pack's PMTiles archive reads back.

use aidmap::region::coast;

use crate::region::{fixture, open};

/// A minimal MVT reader for the test: layer name → (feature count, names, geometry types).
fn decode_mvt(bytes: &[u8]) -> std::collections::BTreeMap<String, (usize, Vec<String>, Vec<u64>)> {
    fn varint(b: &[u8], i: &mut usize) -> u64 {
        let (mut v, mut s) = (0u64, 0);
        loop {
            let x = b[*i];
            *i += 1;
            v |= ((x & 0x7f) as u64) << s;
            if x < 0x80 {
                return v;
            }
            s += 7;
        }
    }
    /// (field, wire type, payload slice or varint value)
    fn fields(b: &[u8]) -> Vec<(u64, &[u8], u64)> {
        let (mut i, mut out) = (0, vec![]);
        while i < b.len() {
            let key = varint(b, &mut i);
            match key & 7 {
                0 => out.push((key >> 3, &b[0..0], varint(b, &mut i))),
                2 => {
                    let n = varint(b, &mut i) as usize;
                    out.push((key >> 3, &b[i..i + n], 0));
                    i += n;
                }
                w => panic!("wire type {w}"),
            }
        }
        out
    }
    let mut out = std::collections::BTreeMap::new();
    for (f, layer, _) in fields(bytes) {
        assert_eq!(f, 3, "a tile holds only layers");
        let lf = fields(layer);
        let name = lf.iter().find(|x| x.0 == 1).map(|x| String::from_utf8(x.1.to_vec()).unwrap()).unwrap();
        let keys: Vec<String> =
            lf.iter().filter(|x| x.0 == 3).map(|x| String::from_utf8(x.1.to_vec()).unwrap()).collect();
        let values: Vec<Option<String>> = lf
            .iter()
            .filter(|x| x.0 == 4)
            .map(|x| fields(x.1).iter().find(|v| v.0 == 1).map(|v| String::from_utf8(v.1.to_vec()).unwrap()))
            .collect();
        let (mut n, mut names, mut types) = (0, vec![], vec![]);
        for feature in lf.iter().filter(|x| x.0 == 2) {
            n += 1;
            for (ff, payload, v) in fields(feature.1) {
                if ff == 3 {
                    types.push(v);
                }
                if ff == 2 {
                    let (mut i, mut tags) = (0, vec![]);
                    while i < payload.len() {
                        tags.push(varint(payload, &mut i) as usize);
                    }
                    for kv in tags.chunks(2) {
                        if keys[kv[0]] == "name" {
                            names.push(values[kv[1]].clone().unwrap());
                        }
                    }
                }
            }
        }
        out.insert(name, (n, names, types));
    }
    out
}

#[test]
fn monaco_basemap_tiles_decode_with_the_protomaps_layers() {
    use aidmap::region::tiles;
    let bytes = std::fs::read(fixture("monaco.osm.pbf")).unwrap();
    let ex = aidmap::region::extract::read(&bytes, &mut |_| true).unwrap();
    let cut = tiles::cut(&ex, &mut |_| true).unwrap();
    assert!((tiles::MIN_ZOOM..=tiles::MAX_ZOOM).all(|z| cut.iter().any(|t| t.0 == z)), "every zoom has tiles");
    // The tile over the Prince's Palace at z15 has roads with names, buildings, and a place.
    let (x, y) = (17059, 11948); // z15 tile of 43.7315 N, 7.4200 E
    let palace = cut.iter().find(|t| (t.0, t.1, t.2) == (15, x, y)).expect("the palace tile");
    let layers = decode_mvt(&palace.3);
    assert!(layers.contains_key("roads") && layers.contains_key("buildings"), "{:?}", layers.keys());
    assert!(layers["roads"].1.iter().any(|n| n.contains("Rue")), "named streets: {:?}", layers["roads"].1);
    assert!(layers["buildings"].2.iter().all(|&t| t == 3), "buildings are polygons");
    assert!(layers["roads"].2.iter().all(|&t| t == 2), "roads are lines");
    // Across the set: land (earth), water (the sea, the port), parks/landuse and place labels.
    let all: std::collections::BTreeSet<String> = cut.iter().flat_map(|t| decode_mvt(&t.3).into_keys()).collect();
    for layer in ["earth", "water", "roads", "buildings", "landuse", "places"] {
        assert!(all.contains(layer), "{layer} in {all:?}");
    }
    // The archive: a PMTiles v3 header addressing every tile.
    let archive = tiles::pmtiles(&cut, [43.72, 7.40, 43.76, 7.44]).unwrap();
    assert_eq!(&archive[..7], b"PMTiles");
    assert_eq!(archive[7], 3);
    let addressed = u64::from_le_bytes(archive[72..80].try_into().unwrap());
    assert_eq!(addressed, cut.len() as u64);
    // And it is in the pack, where the app's tile server reads the very same tiles back.
    let pack = open("monaco");
    assert_eq!(pack.info().tiles, cut.len() as u64);
    let archive = pack.basemap().unwrap().unwrap();
    assert_eq!(archive.len() as u64, pack.info().basemap_bytes);
    let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
    let basemap = rt.block_on(aidmap::region::pmtiles_archive::Basemap::from_bytes(archive)).unwrap();
    assert_eq!(rt.block_on(basemap.tile(15, x, y)).unwrap().as_deref(), Some(&palace.3[..]));
    assert_eq!(rt.block_on(basemap.tile(15, 0, 0)).unwrap(), None, "nothing far from the region");
    assert_eq!(rt.block_on(basemap.tile(30, 0, 0)).unwrap(), None, "an impossible tile is just absent");
}

/// The sea polygons of an extract, for point-in-sea checks in (lon, lat).
fn sea_of(name: &str) -> Vec<coast::Polygon> {
    let bytes = std::fs::read(fixture(name)).unwrap();
    let ex = aidmap::region::extract::read(&bytes, &mut |_| true).unwrap();
    let (y0, x0, y1, x1) = ex.bounds.unwrap();
    coast::sea(&ex.coastlines, coast::Bbox { x0, y0, x1, y1 })
}

fn in_sea(sea: &[coast::Polygon], lat: f64, lon: f64) -> bool {
    use geo::Contains;
    sea.iter().any(|p| {
        let ring = |r: &Vec<(f64, f64)>| {
            geo::LineString::from(r.iter().map(|&(x, y)| geo::coord! { x: x, y: y }).collect::<Vec<_>>())
        };
        geo::Polygon::new(ring(&p[0]), p[1..].iter().map(ring).collect()).contains(&geo::point! { x: lon, y: lat })
    })
}

#[test]
fn the_sea_comes_from_coastlines_on_the_right_side() {
    // Monaco: open sea off Monte-Carlo and in Port Hercule; land at the Casino and the Palace.
    let monaco = sea_of("monaco.osm.pbf");
    assert!(!monaco.is_empty());
    assert!(in_sea(&monaco, 43.7350, 7.4400), "open sea east of Port Hercule");
    assert!(in_sea(&monaco, 43.7345, 7.4235), "Port Hercule");
    assert!(!in_sea(&monaco, 43.7394, 7.4276), "the Casino is on land");
    assert!(!in_sea(&monaco, 43.7314, 7.4200), "the Palace is on land");
    // Helsinki's centre, clipped at its box with coastline chains cut short: Kaisaniemenlahti
    // bay is water; the Central Station and the Senate Square are not.
    let helsinki = sea_of("helsinki.osm.pbf");
    assert!(in_sea(&helsinki, 60.1785, 24.9425), "Kaisaniemenlahti");
    assert!(!in_sea(&helsinki, 60.1710, 24.9414), "Central Station is on land");
    assert!(!in_sea(&helsinki, 60.1695, 24.9525), "Senate Square is on land");
}

/// Monaco's tiles as a standalone `.pmtiles` file, as a Protomaps extract would come.
fn monaco_pmtiles() -> Vec<u8> {
    let bytes = std::fs::read(fixture("monaco.osm.pbf")).unwrap();
    let ex = aidmap::region::extract::read(&bytes, &mut |_| true).unwrap();
    let cut = aidmap::region::tiles::cut(&ex, &mut |_| true).unwrap();
    aidmap::region::tiles::pmtiles(&cut, [43.72, 7.40, 43.76, 7.44]).unwrap()
}

#[test]
fn a_pmtiles_file_becomes_the_basemap_with_or_without_a_pack() {
    use aidmap::region::{use_basemap::with_basemap, RegionPack};
    let dir = crate::util::tempdir();
    let archive = monaco_pmtiles();

    // No pack yet: a basemap-only pack, a map with no roads to route on.
    let out = dir.path().join("only.region");
    let info =
        with_basemap(&dir.path().join("none.region"), archive.clone(), "monaco.pmtiles", &out, chrono::Utc::now())
            .unwrap();
    assert_eq!(info.basemap_source.as_deref(), Some("monaco.pmtiles"));
    assert_eq!((info.min_zoom, info.max_zoom, info.graph_nodes), (10, 15, 0));
    let pack = RegionPack::open(&out).unwrap();
    assert!(pack.router().is_none());
    assert_eq!(pack.basemap().unwrap().as_deref(), Some(&archive[..]));
    assert!(pack.geocode("Monaco", 5).unwrap().is_empty());
    assert!((info.bounds[0] - 43.72).abs() < 1e-6 && (info.bounds[3] - 7.44).abs() < 1e-6);

    // Over an existing pack: roads and search stay, the basemap is the file's; the old pack is
    // not touched (the caller swaps the new file in).
    let existing = dir.path().join("helsinki.region");
    std::fs::copy(crate::region::pack_path("helsinki"), &existing).unwrap();
    let before = std::fs::read(&existing).unwrap();
    let out = dir.path().join("helsinki-new.region");
    let info = with_basemap(&existing, archive.clone(), "monaco.pmtiles", &out, chrono::Utc::now()).unwrap();
    assert_eq!(std::fs::read(&existing).unwrap(), before);
    let pack = RegionPack::open(&out).unwrap();
    assert!(pack.router().is_some(), "still routes");
    assert!(!pack.geocode("Mannerheimintie", 5).unwrap().is_empty(), "still searches");
    assert_eq!(pack.basemap().unwrap().as_deref(), Some(&archive[..]));
    assert_eq!(info.tiles, pack.info().tiles);
    assert!(info.graph_nodes > 0 && info.basemap_source.is_some());
    // From inside an async runtime too, as the app's commands call it.
    let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
    assert_eq!(rt.block_on(async { aidmap::region::pmtiles_archive::check(&archive) }).unwrap().max_zoom, 15);
}

#[test]
fn files_that_are_not_vector_basemaps_are_refused_and_leave_nothing() {
    use aidmap::region::use_basemap::with_basemap;
    use aidmap::Error;
    let dir = crate::util::tempdir();
    let out = dir.path().join("x.region");
    let none = dir.path().join("none.region");
    let random: Vec<u8> = (0..5000u32).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8).collect();
    let mut truncated = monaco_pmtiles();
    truncated.truncate(200);
    // A valid PMTiles archive whose layers are not the Protomaps ones.
    let mut other = std::io::Cursor::new(Vec::new());
    let mut w = pmtiles::PmTilesWriter::new(pmtiles::TileType::Mvt)
        .metadata(r#"{"vector_layers":[{"id":"transportation"},{"id":"landcover"}]}"#)
        .create(&mut other)
        .unwrap();
    w.add_tile(pmtiles::TileCoord::new(0, 0, 0).unwrap(), &[0x1a, 0]).unwrap();
    w.finalize().unwrap();
    for (what, bytes) in
        [("random", random), ("truncated", truncated), ("other schema", other.into_inner()), ("empty", vec![])]
    {
        let err = with_basemap(&none, bytes, "x.pmtiles", &out, chrono::Utc::now()).unwrap_err();
        assert!(matches!(err, Error::NotABasemap(_)), "{what}: {err:?}");
        assert!(!out.exists() && !none.exists(), "{what}: nothing written");
    }
}

#[test]
fn the_command_line_sets_a_basemap_file() {
    let dir = crate::util::tempdir();
    let pm = dir.path().join("monaco.pmtiles");
    std::fs::write(&pm, monaco_pmtiles()).unwrap();
    let region = dir.path().join("op.region");
    let run = |args: &[&std::ffi::OsStr]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_aidmap")).args(args).output().unwrap()
    };
    let o = run(&["region".as_ref(), "basemap".as_ref(), region.as_os_str(), pm.as_os_str()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = run(&["region".as_ref(), "info".as_ref(), region.as_os_str()]);
    let info: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(info["basemap_source"], "monaco.pmtiles");
    let o = run(&["region".as_ref(), "basemap".as_ref(), region.as_os_str(), fixture("monaco.osm.pbf").as_os_str()]);
    assert!(!o.status.success());
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("not a vector basemap"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// Multipolygon relations (buildings around courtyards, lakes with islands) become areas with
/// holes; their untagged member ways are joined into rings.
#[test]
fn multipolygon_relations_become_areas_with_holes() {
    let shapes = |name: &str| {
        let bytes = std::fs::read(fixture(name)).unwrap();
        aidmap::region::extract::read(&bytes, &mut |_| true).unwrap().shapes
    };
    let monaco = shapes("monaco.osm.pbf");
    let fairmont = monaco.iter().find(|s| s.name.as_deref() == Some("Fairmont")).expect("the Fairmont hotel");
    assert_eq!((fairmont.layer, fairmont.holes.len()), ("buildings", 1));
    assert_eq!(fairmont.points.first(), fairmont.points.last(), "a closed ring");
    let helsinki = shapes("helsinki.osm.pbf");
    let with_holes = helsinki.iter().filter(|s| !s.holes.is_empty()).count();
    assert!(with_holes >= 50, "Helsinki's courtyard blocks: {with_holes}");
}

/// A replacement pack beside an operation: written under a temporary name, put in place and
/// audited by the store; one built for another operation's pack is refused and leaves nothing.
#[test]
fn a_replacement_pack_goes_in_place_only_beside_its_operation() {
    use aidmap::audit::AuditFilter;
    use aidmap::region::{pack_path_for, replace::Replacement, RegionPack};
    let dir = crate::util::tempdir();
    let file = dir.path().join("monaco.pmtiles");
    std::fs::write(&file, monaco_pmtiles()).unwrap();
    let mut store = crate::util::new_store(dir.path());
    let target = pack_path_for(store.path());
    let built = Replacement::with_basemap_file(&target, &file, crate::util::time("2026-12-05T10:00:00Z")).unwrap();
    assert!(!target.exists(), "nothing in place before the swap");
    let pack = built.open().unwrap();
    let info = store.install_region(built).unwrap();
    assert_eq!(info.built_at, "2026-12-05T10:00:00.000Z", "the time given, not the clock's");
    assert_eq!(RegionPack::open(&target).unwrap().info(), &info);
    assert_eq!(pack.info().basemap_source.as_deref(), Some("monaco.pmtiles"), "an opened pack stays valid");
    let log = store.audit(&AuditFilter::default(), 10, 0).unwrap();
    assert!(log.items.iter().any(|e| e.entity == "region" && e.detail == "basemap from monaco.pmtiles"));

    let elsewhere = dir.path().join("other.region");
    let built = Replacement::with_basemap_file(&elsewhere, &file, chrono::Utc::now()).unwrap();
    assert!(matches!(store.install_region(built), Err(aidmap::Error::Cancelled)));
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().map(|e| e.file_name()).collect();
    assert!(!left.iter().any(|n| n.to_string_lossy().starts_with("other.region")), "{left:?}");
}
