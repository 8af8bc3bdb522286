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
    let basemap = rt.block_on(aidmap::region::basemap::Basemap::from_bytes(archive)).unwrap();
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
        let ring = |r: &Vec<(f64, f64)>| geo::LineString::from(r.iter().map(|&(x, y)| geo::coord! { x: x, y: y }).collect::<Vec<_>>());
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
