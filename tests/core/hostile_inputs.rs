//! Files from outside other than operations are untrusted too: spreadsheets (a forged
//! dimension, a shared-string amplification, a zip bomb, a 3 GB CSV), region packs (a view, a
//! trigger, arrays that do not fit, NaN coordinates), basemaps (a metadata bomb), a huge flood
//! closure, and the committed corpus of such files run through the CLI under `ulimit -v`.

use std::path::{Path, PathBuf};

use crate::hostile::{crafted, CASES};
use crate::util::*;

/// A minimal workbook: the first sheet's XML, shared strings, and an extra part (a bomb).
fn xlsx(sheet: &str, shared: Option<&str>, extra: Option<(&str, usize)>) -> Vec<u8> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let mut part = |name: &str, body: &[u8]| {
        zip.start_file(name, opts).unwrap();
        zip.write_all(body).unwrap();
    };
    part(
        "[Content_Types].xml",
        br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#,
    );
    part(
        "_rels/.rels",
        br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
    );
    part(
        "xl/workbook.xml",
        br#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
    );
    part(
        "xl/_rels/workbook.xml.rels",
        br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#,
    );
    let sheet = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{sheet}</sheetData></worksheet>"#
    );
    part("xl/worksheets/sheet1.xml", sheet.as_bytes());
    if let Some(s) = shared {
        let body = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>{s}</t></si></sst>"#
        );
        part("xl/sharedStrings.xml", body.as_bytes());
    }
    if let Some((name, size)) = extra {
        zip.start_file(name, opts).unwrap();
        let chunk = vec![b'a'; 1 << 20];
        for _ in 0..size / chunk.len() {
            zip.write_all(&chunk).unwrap();
        }
    }
    zip.finish().unwrap().into_inner()
}

#[test]
fn hostile_spreadsheets_are_refused_with_the_limit_named() {
    use aidmap::import::table;
    // A well-formed one reads.
    let ok = xlsx(
        r#"<row r="1"><c r="A1" t="inlineStr"><is><t>Name</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>Ana</t></is></c></row>"#,
        None,
        None,
    );
    let t = table::read(&ok, "ok.xlsx").unwrap();
    assert_eq!((t.headers.clone(), t.rows.len()), (vec!["Name".to_string()], 1));
    let unreadable = |bytes: &[u8]| match table::read(bytes, "x.xlsx") {
        Err(aidmap::Error::UnreadableFile(why)) => why,
        other => panic!("{other:?}"),
    };
    // 1.6 KB with cells at A1 and XFD1048576 once asked for 512 GiB and aborted the process.
    let corner = xlsx(
        r#"<row r="1"><c r="A1" t="inlineStr"><is><t>Name</t></is></c></row><row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>"#,
        None,
        None,
    );
    assert!(corner.len() < 4096);
    assert!(unreadable(&corner).contains("200,000 rows"));
    // One long shared string used in 400 cells (12 GB once copied).
    let cells: String = (1..=400).map(|r| format!(r#"<row r="{r}"><c r="A{r}" t="s"><v>0</v></c></row>"#)).collect();
    let long = "x".repeat(2_000_000);
    assert!(unreadable(&xlsx(&cells, Some(&long), None)).contains("32,767"));
    // A part that inflates to 300 MB from a few hundred KB.
    let bomb = xlsx(
        r#"<row r="1"><c r="A1" t="inlineStr"><is><t>Name</t></is></c></row>"#,
        None,
        Some(("xl/media/big.bin", 300 << 20)),
    );
    assert!(bomb.len() < 2 << 20, "{} bytes", bomb.len());
    assert!(unreadable(&bomb).contains("200 MB"));
}

#[test]
fn a_huge_csv_is_refused_before_it_is_read() {
    let dir = tempdir();
    let path = dir.path().join("huge.csv");
    let f = std::fs::File::create(&path).unwrap();
    f.set_len(3 << 30).unwrap(); // a sparse 3 GB file: its size is known without reading it
    let started = std::time::Instant::now();
    match aidmap::import::table::read_file(&path) {
        Err(aidmap::Error::UnreadableFile(why)) => assert!(why.contains("64 MB"), "{why}"),
        other => panic!("{other:?}"),
    }
    assert!(started.elapsed().as_millis() < 500, "not read");
}

/// A copy of the Monaco pack changed by `sql` (and `edit` on its raw connection).
fn crafted_pack(dir: &Path, name: &str, edit: impl FnOnce(&rusqlite::Connection)) -> PathBuf {
    let path = dir.join(format!("{name}.region"));
    std::fs::copy(crate::region::pack_path("monaco"), &path).unwrap();
    let conn = rusqlite::Connection::open(&path).unwrap();
    edit(&conn);
    drop(conn);
    path
}

#[test]
fn hostile_region_packs_are_refused_as_damaged_packs() {
    use aidmap::region::RegionPack;
    let dir = tempdir();
    let sql = |s: &'static str| move |c: &rusqlite::Connection| c.execute_batch(s).unwrap();
    let cases: Vec<(&str, PathBuf)> = vec![
        (
            "a view",
            crafted_pack(
                dir.path(),
                "view",
                sql("ALTER TABLE array RENAME TO array_real;
                 CREATE VIEW array AS WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n)
                 SELECT name, data FROM array_real, n;"),
            ),
        ),
        (
            "a trigger",
            crafted_pack(dir.path(), "trigger", sql("CREATE TRIGGER t AFTER INSERT ON meta BEGIN SELECT 1; END;")),
        ),
        ("an extra array", crafted_pack(dir.path(), "extra", sql("INSERT INTO array VALUES ('evil', zeroblob(16));"))),
        (
            "a longer lat",
            crafted_pack(dir.path(), "long", sql("UPDATE array SET data = data || zeroblob(8) WHERE name = 'lat';")),
        ),
        (
            "NaN latitudes",
            crafted_pack(dir.path(), "nan", |c| {
                let mut lat: Vec<u8> =
                    c.query_row("SELECT data FROM array WHERE name = 'lat'", [], |r| r.get(0)).unwrap();
                lat[..8].copy_from_slice(&f64::NAN.to_le_bytes());
                c.execute("UPDATE array SET data = ?1 WHERE name = 'lat'", [lat]).unwrap();
            }),
        ),
    ];
    for (what, path) in cases {
        let started = std::time::Instant::now();
        match RegionPack::open_guarded(&path, std::time::Duration::from_secs(20)) {
            Err(aidmap::Error::RegionDamaged(why)) => {
                let text = aidmap::Error::RegionDamaged(why).to_string();
                assert!(text.starts_with("the region pack is damaged"), "{what}: {text}");
            }
            Err(e) => panic!("{what}: {e}"),
            Ok(_) => panic!("{what}: opened"),
        }
        assert!(started.elapsed().as_secs() < 5, "{what}: refused quickly");
    }
    // The CLI too, in one line, for `region info`.
    let path = dir.path().join("nan.region");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_aidmap"))
        .args(["region", "info", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("region pack is damaged"));
}

/// The Monaco basemap with its metadata replaced by `metadata` (already compressed as the
/// header says), every later section moved along.
fn with_metadata(archive: &[u8], metadata: &[u8]) -> Vec<u8> {
    let field = |i: usize| u64::from_le_bytes(archive[i..i + 8].try_into().unwrap()) as usize;
    let (root_off, root_len) = (field(8), field(16));
    let (meta_off, meta_len) = (field(24), field(32));
    let (leaf_off, leaf_len) = (field(40), field(48));
    let (data_off, data_len) = (field(56), field(64));
    assert!(root_off < meta_off && meta_off < data_off, "the usual layout");
    let mut out = archive[..meta_off].to_vec();
    out.extend_from_slice(metadata);
    let shift = metadata.len() as i64 - meta_len as i64;
    let moved = |off: usize| (off as i64 + shift) as u64;
    let rest = &archive[meta_off + meta_len..];
    out.extend_from_slice(rest);
    out[32..40].copy_from_slice(&(metadata.len() as u64).to_le_bytes());
    if leaf_len > 0 {
        out[40..48].copy_from_slice(&moved(leaf_off).to_le_bytes());
    }
    out[56..64].copy_from_slice(&moved(data_off).to_le_bytes());
    let _ = (root_len, data_len);
    out
}

#[test]
fn a_basemap_with_a_metadata_bomb_is_refused_within_its_cap() {
    use std::io::Write;
    let pack = aidmap::region::RegionPack::open(&crate::region::pack_path("monaco")).unwrap();
    let archive = pack.basemap().unwrap().unwrap();
    assert!(aidmap::region::pmtiles_archive::check(&archive).is_ok());
    // Real metadata, recompressed, still reads (the rewrite itself is sound).
    let gz = |bytes: &[u8]| {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        e.write_all(bytes).unwrap();
        e.finish().unwrap()
    };
    let same = with_metadata(&archive, &gz(br#"{"vector_layers":[{"id":"earth"},{"id":"water"},{"id":"roads"}]}"#));
    assert!(
        aidmap::region::pmtiles_archive::check(&same).is_ok(),
        "{:?}",
        aidmap::region::pmtiles_archive::check(&same)
    );
    // 200 MB of spaces in a few hundred KB of metadata.
    let mut bomb_json = b"{\"vector_layers\":[],\"pad\":\"".to_vec();
    bomb_json.resize(200 << 20, b' ');
    let bomb = with_metadata(&archive, &gz(&bomb_json));
    assert!(bomb.len() < archive.len() + (1 << 20));
    let started = std::time::Instant::now();
    match aidmap::region::pmtiles_archive::check(&bomb) {
        Err(aidmap::Error::NotABasemap(why)) => assert!(why.contains("metadata"), "{why}"),
        other => panic!("{other:?}"),
    }
    assert!(started.elapsed().as_secs() < 5);
}

/// The closure index closes exactly what `geo`'s `intersects` closes: lines across roads,
/// areas with a hole, a star-shaped area, tested on every road of Monaco.
#[test]
fn closures_through_the_index_close_exactly_what_geometry_says() {
    use aidmap::region::closure_index::ClosureIndex;
    use aidmap::region::router::ClosureShape;
    use geo::{Coord, Intersects, Line, LineString, Polygon};
    let pack = aidmap::region::RegionPack::open(&crate::region::pack_path("monaco")).unwrap();
    let g = pack.router().unwrap().graph();
    let (cx, cy) = (7.4225, 43.7375);
    let ring = |r: f64, n: usize, spikes: bool| -> LineString<f64> {
        (0..=n)
            .map(|i| {
                let t = i as f64 / n as f64 * std::f64::consts::TAU;
                let rr = if spikes && i % 2 == 1 { r * 0.45 } else { r };
                (cx + rr * t.cos() * 1.4, cy + rr * t.sin())
            })
            .collect()
    };
    let shapes = vec![
        ClosureShape::Area(Polygon::new(ring(0.004, 240, true), vec![])),
        ClosureShape::Area(Polygon::new(
            ring(0.002, 60, false).0.iter().map(|c| (c.x + 0.01, c.y - 0.004)).collect::<LineString<f64>>(),
            vec![ring(0.0008, 30, false).0.iter().map(|c| (c.x + 0.01, c.y - 0.004)).collect()],
        )),
        ClosureShape::Line(LineString::from(vec![(7.41, 43.728), (7.425, 43.745), (7.43, 43.74)])),
    ];
    let index = ClosureIndex::new(&shapes);
    let tail = g.tail();
    let (mut closed, mut differ) = (0, 0);
    for arc in 0..g.arc_count() {
        let (a, b) = (tail[arc] as usize, g.head[arc] as usize);
        let (p, q) = (Coord { x: g.lon[a], y: g.lat[a] }, Coord { x: g.lon[b], y: g.lat[b] });
        let segment = Line::new(p, q);
        let exact = shapes.iter().any(|s| match s {
            ClosureShape::Line(l) => l.intersects(&segment),
            ClosureShape::Area(a) => a.intersects(&segment),
        });
        closed += exact as usize;
        differ += (exact != index.closes(p, q)) as usize;
    }
    assert!(closed > 100, "the shapes close something: {closed}");
    assert_eq!(differ, 0, "of {} arcs", g.arc_count());
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile")
}

/// Writes the committed corpus of hostile files (and the small XLSX ones as fuzz seeds):
/// `cargo test -p aidmap --test tests write_the_hostile_corpus -- --ignored`.
#[test]
#[ignore]
fn write_the_hostile_corpus() {
    let out = corpus_dir();
    std::fs::create_dir_all(&out).unwrap();
    let dir = tempdir();
    let op = crafted(dir.path(), "corpus", CASES[0].1);
    std::fs::copy(&op, out.join("operation-audit-trigger.aidmap")).unwrap();
    let pack = crafted_pack(dir.path(), "nan", |c| {
        let mut lat: Vec<u8> = c.query_row("SELECT data FROM array WHERE name = 'lat'", [], |r| r.get(0)).unwrap();
        lat[..8].copy_from_slice(&f64::NAN.to_le_bytes());
        c.execute("UPDATE array SET data = ?1 WHERE name = 'lat'", [lat]).unwrap();
        c.execute_batch("VACUUM").unwrap();
    });
    std::fs::copy(&pack, out.join("region-nan-latitude.region")).unwrap();
    let corner = xlsx(
        r#"<row r="1"><c r="A1" t="inlineStr"><is><t>Name</t></is></c></row><row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>"#,
        None,
        None,
    );
    let cells: String = (1..=400).map(|r| format!(r#"<row r="{r}"><c r="A{r}" t="s"><v>0</v></c></row>"#)).collect();
    let shared = xlsx(&cells, Some(&"x".repeat(2_000_000)), None);
    let bomb = xlsx(
        r#"<row r="1"><c r="A1" t="inlineStr"><is><t>Name</t></is></c></row>"#,
        None,
        Some(("xl/media/big.bin", 300 << 20)),
    );
    for (name, bytes) in
        [("sheet-sparse-corner.xlsx", &corner), ("sheet-shared-string.xlsx", &shared), ("sheet-zip-bomb.xlsx", &bomb)]
    {
        std::fs::write(out.join(name), bytes).unwrap();
    }
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/import_table");
    std::fs::write(seeds.join("hostile-sparse-corner.xlsx"), &corner).unwrap();
    std::fs::write(seeds.join("hostile-shared-string.xlsx"), &shared).unwrap();
    let region = aidmap::region::RegionPack::open(&crate::region::pack_path("monaco")).unwrap();
    let archive = region.basemap().unwrap().unwrap();
    let mut json = b"{\"vector_layers\":[],\"pad\":\"".to_vec();
    json.resize(200 << 20, b' ');
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    std::io::Write::write_all(&mut e, &json).unwrap();
    std::fs::write(out.join("basemap-metadata-bomb.pmtiles"), with_metadata(&archive, &e.finish().unwrap())).unwrap();
}

/// Every committed hostile file through the CLI, as a separate process under a 3 GB address
/// space limit (`ulimit -v`): a clear refusal naming the problem, quickly, and within memory.
#[test]
fn the_committed_hostile_corpus_is_refused_within_time_and_memory() {
    let dir = tempdir();
    let store = new_store(dir.path());
    let db = store.path().to_path_buf();
    drop(store);
    let pack = dir.path().join("basemap.region");
    std::fs::copy(crate::region::pack_path("monaco"), &pack).unwrap();
    let cli = env!("CARGO_BIN_EXE_aidmap");
    let cases: Vec<(&str, Vec<String>, &str)> = vec![
        (
            "operation-audit-trigger.aidmap",
            vec!["households".into(), "list".into(), "--db".into()],
            "changed outside Aidmap",
        ),
        ("region-nan-latitude.region", vec!["region".into(), "info".into()], "region pack is damaged"),
        ("sheet-sparse-corner.xlsx", vec!["import".into(), "households".into()], "200,000 rows"),
        ("sheet-shared-string.xlsx", vec!["import".into(), "households".into()], "32,767"),
        ("sheet-zip-bomb.xlsx", vec!["import".into(), "households".into()], "200 MB"),
        (
            "basemap-metadata-bomb.pmtiles",
            vec!["region".into(), "basemap".into(), pack.display().to_string()],
            "metadata",
        ),
    ];
    for (file, args, expected) in cases {
        let path = corpus_dir().join(file);
        assert!(path.exists(), "{file} (write it: write_the_hostile_corpus)");
        let copy = dir.path().join(file);
        std::fs::copy(&path, &copy).unwrap();
        let mut all: Vec<String> = args;
        all.push(copy.display().to_string());
        if all[0] == "import" {
            all.extend(["--db".into(), db.display().to_string()]);
        }
        let quoted: Vec<String> = all.iter().map(|a| format!("'{a}'")).collect();
        let started = std::time::Instant::now();
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("ulimit -v 3000000; exec '{cli}' {}", quoted.join(" ")))
            .env("AIDMAP_CONFIG_DIR", dir.path().join("config"))
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success() && err.contains(expected), "{file}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "{file}: one line: {err}");
        assert!(started.elapsed().as_secs() < 20, "{file}: {:?}", started.elapsed());
    }
}
