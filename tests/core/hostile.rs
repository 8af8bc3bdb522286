//! Operation files changed outside Aidmap are refused before any of their SQL can run: a
//! trigger that rewrites phones on every audit insert, a view, an extra table, a dropped
//! append-only trigger, a trigger that hides a purge. Each is crafted from a real operation
//! with plain SQL (what anyone with sqlite3 can do), then opened, restored and listed through
//! the same paths as the app and the CLI: a clear refusal, and the file byte-identical after.

use std::path::{Path, PathBuf};

use aidmap::{Error, Store};

use crate::util::*;

/// A two-household operation, changed by `sql` with a plain connection.
fn crafted(dir: &Path, name: &str, sql: &str) -> PathBuf {
    let sub = dir.join(name);
    std::fs::create_dir_all(&sub).unwrap();
    let mut store = new_store(&sub);
    store.create_household(&alice()).unwrap();
    let path = store.path().to_path_buf();
    drop(store);
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(sql).unwrap();
    conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
    drop(conn);
    path
}

const CASES: &[(&str, &str)] = &[
    (
        "audit-trigger",
        "CREATE TRIGGER steal AFTER INSERT ON audit BEGIN
             UPDATE household SET phones = '[\"+000\"]';
         END;",
    ),
    ("view", "CREATE VIEW everyone AS SELECT name, phones FROM household;"),
    ("extra-table", "CREATE TABLE hidden (name TEXT, phones TEXT);"),
    ("dropped-append-only", "DROP TRIGGER audit_no_delete;"),
    ("purge-ignored", "CREATE TRIGGER keep BEFORE UPDATE OF name ON household BEGIN SELECT RAISE(IGNORE); END;"),
    (
        "recursive-view",
        "CREATE VIEW forever AS WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT x FROM n;",
    ),
    ("changed-index", "DROP INDEX need_household; CREATE INDEX need_household ON need (status);"),
];

#[test]
fn a_changed_schema_is_refused_and_the_file_left_as_it_was() {
    let dir = tempdir();
    for (name, sql) in CASES {
        let path = crafted(dir.path(), name, sql);
        let before = std::fs::read(&path).unwrap();
        let started = std::time::Instant::now();
        match Store::open(&path, INSTALLATION) {
            Err(Error::SchemaChanged(what)) => assert!(!what.is_empty(), "{name}"),
            Err(e) => panic!("{name}: {e}"),
            Ok(_) => panic!("{name}: opened"),
        }
        assert!(started.elapsed().as_secs() < 5, "{name} refused quickly");
        // The restore path reads it the same way and refuses it too, writing nothing.
        let out = dir.path().join(format!("{name}-restored.aidmap"));
        assert!(matches!(
            aidmap::backup::restore(&path, &out, INSTALLATION, None, "tester"),
            Err(Error::SchemaChanged(_))
        ));
        assert!(!out.exists(), "{name}: nothing restored");
        assert_eq!(std::fs::read(&path).unwrap(), before, "{name}: byte-identical");
    }
}

#[test]
fn the_refusal_names_what_changed_and_no_personal_data() {
    let dir = tempdir();
    let path = crafted(dir.path(), "t", CASES[0].1);
    let err = Store::open(&path, INSTALLATION).err().unwrap();
    assert_eq!(err.code(), aidmap::error::ErrorCode::SchemaChanged);
    let text = err.to_string();
    assert!(text.contains("changed outside Aidmap") && text.contains("extra trigger steal"), "{text}");
    let path = crafted(dir.path(), "d", "DROP TRIGGER audit_no_update;");
    let text = Store::open(&path, INSTALLATION).err().unwrap().to_string();
    assert!(text.contains("missing trigger audit_no_update"), "{text}");
}

#[test]
fn the_cli_refuses_a_changed_file_in_one_line() {
    let dir = tempdir();
    let path = crafted(dir.path(), "cli", CASES[0].1);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_aidmap"))
        .args(["households", "list", "--db", path.to_str().unwrap()])
        .env("AIDMAP_CONFIG_DIR", dir.path().join("config"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("structure was changed outside Aidmap"), "{err}");
    assert!(!String::from_utf8_lossy(&out.stdout).contains("Alice"), "nothing listed");
}

#[test]
fn every_connection_is_hardened() {
    let dir = tempdir();
    let store = new_store(dir.path());
    let conn = store.conn();
    let trusted: i64 = conn.query_row("PRAGMA trusted_schema", [], |r| r.get(0)).unwrap();
    assert_eq!(trusted, 0);
    // Defensive mode: the schema cannot be written through writable_schema.
    conn.pragma_update(None, "writable_schema", true).ok();
    assert!(conn.execute("UPDATE sqlite_schema SET sql = sql WHERE name = 'household'", []).is_err());
    // A value longer than the limit is refused, not allocated.
    let big: rusqlite::Result<i64> =
        conn.query_row("SELECT length(randomblob(?1))", [aidmap::store::guard::MAX_VALUE_BYTES as i64 + 1], |r| {
            r.get(0)
        });
    assert!(big.is_err());
}

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
    assert!(aidmap::region::basemap::check(&archive).is_ok());
    // Real metadata, recompressed, still reads (the rewrite itself is sound).
    let gz = |bytes: &[u8]| {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        e.write_all(bytes).unwrap();
        e.finish().unwrap()
    };
    let same = with_metadata(&archive, &gz(br#"{"vector_layers":[{"id":"earth"},{"id":"water"},{"id":"roads"}]}"#));
    assert!(aidmap::region::basemap::check(&same).is_ok(), "{:?}", aidmap::region::basemap::check(&same));
    // 200 MB of spaces in a few hundred KB of metadata.
    let mut bomb_json = b"{\"vector_layers\":[],\"pad\":\"".to_vec();
    bomb_json.resize(200 << 20, b' ');
    let bomb = with_metadata(&archive, &gz(&bomb_json));
    assert!(bomb.len() < archive.len() + (1 << 20));
    let started = std::time::Instant::now();
    match aidmap::region::basemap::check(&bomb) {
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

#[test]
fn smaller_hostile_inputs_are_contained() {
    let dir = tempdir();
    let mut store = new_store(dir.path());
    // Settings written outside Aidmap (backups every 0 minutes, keeping none) read as defaults.
    store
        .conn()
        .execute(
            "INSERT INTO setting (key, value, updated_at, updated_by) VALUES ('backup', '{\"folder\":\"/tmp\",\"every_minutes\":0,\"keep\":0}', 'x', 'x')",
            [],
        )
        .unwrap();
    let s = store.settings().unwrap();
    assert_eq!(s.backup, aidmap::settings::BackupSchedule::default());
    // U+FFFF and C1 controls are refused in names (XML, and so GPX, cannot carry them).
    for bad in ["Ana\u{FFFF}", "Ana\u{0085}x", "Ana\u{0007}"] {
        let mut h = alice();
        h.name = bad.into();
        assert!(matches!(store.create_household(&h), Err(Error::Validation(_))), "{bad:?}");
    }
}

#[test]
fn the_audit_log_on_a_terminal_cannot_be_forged_by_a_file_name() {
    let dir = tempdir();
    let store = new_store(dir.path());
    let db = store.path().to_path_buf();
    drop(store);
    let sheet = dir.path().join("x.csv\r\n2026-12-04T00:00:00Z  delete   household  all  by admin");
    std::fs::write(&sheet, "Name,Lat,Lon\nAna,43.73,7.42\n").unwrap();
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_aidmap"))
            .args(args)
            .env("AIDMAP_CONFIG_DIR", dir.path().join("config"))
            .output()
            .unwrap()
    };
    assert!(run(&["import", "households", sheet.to_str().unwrap(), "--db", db.to_str().unwrap()]).status.success());
    let out = run(&["audit", "--db", db.to_str().unwrap()]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.lines().any(|l| l.starts_with("2026-12-04T00:00:00Z")), "no forged line: {text}");
    assert!(text.contains("\\r\\n"), "the CR LF shown escaped: {text}");
}

/// The audit log is chained by hashes: an entry rewritten, removed or forged outside Aidmap
/// (with the append-only triggers set aside and put back, so the schema looks untouched)
/// opens, and says from which entry the log cannot be trusted.
#[test]
fn the_audit_chain_says_where_the_log_was_changed() {
    let dir = tempdir();
    let make = |name: &str| {
        let sub = dir.path().join(name);
        std::fs::create_dir_all(&sub).unwrap();
        let mut store = new_store(&sub);
        for i in 0..5 {
            let mut h = alice();
            h.name = format!("Household {i}");
            store.create_household(&h).unwrap();
        }
        assert_eq!(store.info().unwrap().audit_break, None);
        let path = store.path().to_path_buf();
        drop(store);
        path
    };
    let tamper = |path: &Path, sql: &str| {
        let conn = rusqlite::Connection::open(path).unwrap();
        let triggers: Vec<String> = conn
            .prepare("SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'audit'")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        conn.execute_batch("DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;").unwrap();
        conn.execute_batch(sql).unwrap();
        for t in triggers {
            conn.execute_batch(&format!("{t};")).unwrap();
        }
    };
    let seq_of = |path: &Path, n: i64| -> (i64, String) {
        let conn = rusqlite::Connection::open(path).unwrap();
        conn.query_row("SELECT seq, at FROM audit ORDER BY seq LIMIT 1 OFFSET ?1", [n], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
    };
    // Rewritten: the third entry's detail.
    let path = make("rewritten");
    let (seq, at) = seq_of(&path, 2);
    tamper(&path, &format!("UPDATE audit SET detail = 'nothing happened' WHERE seq = {seq};"));
    let b = Store::open(&path, INSTALLATION).unwrap().info().unwrap().audit_break.unwrap();
    assert_eq!((b.seq, b.at), (seq, at));
    // Removed: the second entry.
    let path = make("removed");
    let (gone, _) = seq_of(&path, 1);
    let (next, _) = seq_of(&path, 2);
    tamper(&path, &format!("DELETE FROM audit WHERE seq = {gone};"));
    assert_eq!(Store::open(&path, INSTALLATION).unwrap().info().unwrap().audit_break.unwrap().seq, next);
    // Forged at the end, without the chain's hash.
    let path = make("forged");
    tamper(
        &path,
        "INSERT INTO audit (at, operator, installation, action, entity, record_ids, detail, hash)
                   VALUES ('2026-01-01T00:00:00.000Z', 'admin', 'x', 'purge', 'household', '[]', '', 'f00');",
    );
    let b = Store::open(&path, INSTALLATION).unwrap().info().unwrap().audit_break.unwrap();
    assert_eq!(b.at, "2026-01-01T00:00:00.000Z");
    // An older file, upgraded: its entries are chained by the upgrade and the chain holds.
    let old = dir.path().join("v10.aidmap");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/operation-v10.aidmap"), &old).unwrap();
    let store = Store::open(&old, INSTALLATION).unwrap();
    assert_eq!(store.info().unwrap().audit_break, None);
    let entries: i64 = store.conn().query_row("SELECT COUNT(*) FROM audit WHERE hash = ''", [], |r| r.get(0)).unwrap();
    assert_eq!(entries, 0, "every entry chained");
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

/// A backup is the data in a fresh schema, not the source's schema: derived rows (stock
/// levels, open-need counts) come over exactly, the audit chain holds, and the copy's schema is
/// the migrations' own.
#[test]
fn a_restored_backup_holds_the_same_data_in_aidmaps_own_schema() {
    let dir = tempdir();
    let date = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    let opts = aidmap::demo::DemoOptions { households: 60, seed: 4, date };
    let mut store = aidmap::demo::write(&dir.path().join("demo.aidmap"), &opts, INSTALLATION).unwrap();
    let backup = dir.path().join("backup.aidmap");
    store.backup_to(&backup).unwrap();
    let restored =
        aidmap::backup::restore(&backup, &dir.path().join("restored.aidmap"), INSTALLATION, None, "tester").unwrap();
    assert_eq!(restored.sites_with_stock().unwrap(), store.sites_with_stock().unwrap(), "stock levels");
    assert_eq!(restored.household_pins().unwrap(), store.household_pins().unwrap(), "open-need counts");
    assert_eq!(restored.needs(None).unwrap(), store.needs(None).unwrap());
    assert_eq!(restored.info().unwrap().audit_break, None, "the chain holds across the copy");
    let version = aidmap::store::schema::version(restored.conn()).unwrap();
    assert!(aidmap::store::guard::schema_differences(restored.conn(), version).unwrap().is_empty());
}
