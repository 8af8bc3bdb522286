//! What route sheets say beyond the stop list: notes marked "for the driver" (and only those),
//! cross streets from the region pack's roads, the sheet's language, the basemap under the
//! PDF's map, and the export dialog's one-stop preview.

use std::process::Command;

use aidmap::sheets::files::{self, SheetFormat, Which};
use aidmap::sheets::pdf::Paper;
use aidmap::sheets::{SheetLanguage, SheetOptions};

use crate::util::*;

fn pdftotext(path: &std::path::Path) -> String {
    let out = Command::new("pdftotext").arg(path).arg("-").output().expect("pdftotext (poppler-utils)");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap().split_whitespace().collect::<Vec<_>>().join(" ")
}

fn read_all(paths: &[std::path::PathBuf]) -> String {
    paths
        .iter()
        .map(
            |p| {
                if p.extension().is_some_and(|e| e == "pdf") {
                    pdftotext(p)
                } else {
                    std::fs::read_to_string(p).unwrap()
                }
            },
        )
        .collect::<Vec<_>>()
        .join("\n")
}

fn every_format(store: &mut aidmap::Store, sheets: &[aidmap::sheets::Sheet], dir: &std::path::Path) -> String {
    let mut out = Vec::new();
    for format in
        [SheetFormat::Gpx, SheetFormat::Html, SheetFormat::Csv, SheetFormat::Pdf { paper: Paper::A4, combined: false }]
    {
        out.extend(files::export(store, sheets, format, dir).unwrap());
    }
    read_all(&out)
}

#[test]
fn only_notes_marked_for_the_driver_go_out_and_only_while_that_field_is_on() {
    let dir = tempdir();
    let (mut store, view) = crate::sheets::planned(dir.path(), None);
    let run = view.runs.iter().find(|r| !r.stops.is_empty()).unwrap();
    let stop = &run.stops[0];
    let home = stop.needs[0].household_id.clone();
    let h = store.households().unwrap().into_iter().find(|h| h.id == home).unwrap();
    let mut input = aidmap::merge::input_of(&h);
    input.notes = "Dog in the yard, friendly".into();
    store.update_household(&home, &input).unwrap();
    let need = aidmap::need::get(store.conn(), &stop.needs[0].need_id).unwrap();
    let mut need_input = aidmap::need::NeedInput::new(need.category, need.quantity, &need.unit, need.urgency);
    need_input.notes = "Leave with the neighbour at 4".into();
    store.update_need(&need.id, &need_input).unwrap();
    let which = Which::Run(&run.id);

    let sheets = files::sheets(&store, None, &which, &SheetOptions::default()).unwrap();
    let text = every_format(&mut store, &sheets, &dir.path().join("unmarked"));
    assert!(!text.contains("Dog in the yard") && !text.contains("neighbour at 4"), "unmarked notes went out");

    input.notes_for_driver = true;
    store.update_household(&home, &input).unwrap();
    need_input.notes_for_driver = true;
    store.update_need(&need.id, &need_input).unwrap();
    let sheets = files::sheets(&store, None, &which, &SheetOptions::default()).unwrap();
    assert_eq!(
        sheets[0].stops[0].driver_notes.as_deref(),
        Some("Dog in the yard, friendly / Leave with the neighbour at 4")
    );
    let dir_marked = dir.path().join("marked");
    let mut out = Vec::new();
    for format in
        [SheetFormat::Gpx, SheetFormat::Html, SheetFormat::Csv, SheetFormat::Pdf { paper: Paper::A4, combined: false }]
    {
        out.extend(files::export(&mut store, &sheets, format, &dir_marked).unwrap());
    }
    for path in out.iter().filter(|p| p.extension().is_some_and(|e| e != "gpx")) {
        let text = read_all(std::slice::from_ref(path));
        assert!(text.contains("Dog in the yard, friendly"), "marked household note missing in {path:?}");
        assert!(text.contains("neighbour at 4"), "marked need note missing in {path:?}");
    }

    let mut options = SheetOptions::default();
    options.fields.driver_notes = false;
    let sheets = files::sheets(&store, None, &which, &options).unwrap();
    let text = every_format(&mut store, &sheets, &dir.path().join("off"));
    assert!(!text.contains("Dog in the yard") && !text.contains("neighbour at 4"), "the field was switched off");
    let after = store.households().unwrap().into_iter().find(|h| h.id == home).unwrap();
    assert!(after.notes_for_driver, "the mark is kept with the household");
}

#[test]
fn stops_get_a_cross_street_from_the_region_pack_that_is_not_their_own_street() {
    let dir = tempdir();
    let region = crate::region::open("monaco");
    let (store, view) = crate::sheets::planned(dir.path(), Some(&region));
    let sheets = files::sheets(&store, Some(&region), &Which::Plan(&view.info.id), &Default::default()).unwrap();
    let stops: Vec<_> = sheets.iter().flat_map(|s| &s.stops).collect();
    let crossed: Vec<_> = stops.iter().filter(|s| s.cross_street.is_some()).collect();
    assert!(crossed.len() * 10 >= stops.len() * 7, "{} of {} stops have a cross street", crossed.len(), stops.len());
    for s in &crossed {
        let cross = aidmap::text::fold(s.cross_street.as_deref().unwrap());
        assert!(
            !aidmap::text::fold(&s.address).contains(&cross),
            "{:?} is the stop's own street: {}",
            cross,
            s.address
        );
    }
    // Without a pack there is no road graph to read them from.
    let bare = files::sheets(&store, None, &Which::Plan(&view.info.id), &Default::default()).unwrap();
    assert!(bare.iter().flat_map(|s| &s.stops).all(|s| s.cross_street.is_none()));
}

#[test]
fn sheets_speak_the_chosen_language() {
    let dir = tempdir();
    let (mut store, view) = crate::sheets::planned(dir.path(), None);
    let run = view.runs.iter().find(|r| !r.stops.is_empty()).unwrap();
    for (language, run_word, delivered, destroy) in [
        (SheetLanguage::Es, "Ruta", "entregado", "destruya esta hoja"),
        (SheetLanguage::Fr, "Tournée", "livré", "détruire cette feuille"),
        (SheetLanguage::En, "Run", "delivered", "destroy this sheet"),
    ] {
        let options = SheetOptions { language, ..Default::default() };
        let sheets = files::sheets(&store, None, &Which::Run(&run.id), &options).unwrap();
        let out = dir.path().join(language.code());
        let pdf =
            files::export(&mut store, &sheets, SheetFormat::Pdf { paper: Paper::A4, combined: false }, &out).unwrap();
        let text = pdftotext(&pdf[0]);
        assert!(text.contains(&format!("{run_word} {} — ", sheets[0].run_number)), "{language:?}: {text}");
        assert!(text.contains(&format!("☐ {delivered}")) && text.contains(destroy), "{language:?}");
        let html = files::export(&mut store, &sheets, SheetFormat::Html, &out).unwrap();
        let page = std::fs::read_to_string(&html[0]).unwrap();
        assert!(page.contains(&format!("<html lang=\"{}\"", language.code())) && page.contains(delivered));
    }
}

#[test]
fn the_pdf_map_draws_the_region_basemap_under_the_route() {
    let dir = tempdir();
    let region = crate::region::open("monaco");
    let (mut store, view) = crate::sheets::planned(dir.path(), Some(&region));
    let which = Which::Plan(&view.info.id);
    let mut with = files::sheets(&store, Some(&region), &which, &Default::default()).unwrap();
    assert!(with.iter().all(|s| s.basemap.is_empty()), "no tile is decoded until a PDF asks for the map");
    files::add_basemap(&region, &mut with).unwrap();
    let sheet = with.iter().max_by_key(|s| s.stops.len()).unwrap();
    let layers: std::collections::HashSet<_> = sheet.basemap.iter().flat_map(|t| t.iter().map(|s| s.layer)).collect();
    use aidmap::sheets::map_background::Layer;
    for layer in [Layer::MinorRoad, Layer::MajorRoad] {
        assert!(layers.contains(&layer), "{layer:?} in the basemap under run {}: {layers:?}", sheet.run_number);
    }
    let mut without = with.clone();
    for s in &mut without {
        s.basemap.clear();
    }
    let a4 = SheetFormat::Pdf { paper: Paper::A4, combined: false };
    let one = |sheets: &[aidmap::sheets::Sheet], sub: &str, store: &mut aidmap::Store| {
        let target = sheets.iter().find(|s| s.run_id == sheet.run_id).unwrap();
        let written = files::export(store, std::slice::from_ref(target), a4, &dir.path().join(sub)).unwrap();
        written[0].clone()
    };
    let (mapped, bare) = (one(&with, "with", &mut store), one(&without, "without", &mut store));
    let (a, b) = (std::fs::metadata(&mapped).unwrap().len(), std::fs::metadata(&bare).unwrap().len());
    assert!(a > b + 5_000, "the basemap adds drawing: {a} bytes against {b}");
    assert!(pdftotext(&mapped).contains("OpenStreetMap contributors"));

    // The map as a picture: kept beside the demo sheet to look at.
    let png = dir.path().join("map");
    let ok = Command::new("pdftoppm")
        .args(["-r", "110", "-f", "1", "-l", "1", "-png", "-singlefile"])
        .arg(&mapped)
        .arg(&png)
        .status()
        .unwrap();
    assert!(ok.success());
    let artifacts = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("artifacts/sheets");
    std::fs::create_dir_all(&artifacts).unwrap();
    std::fs::copy(dir.path().join("map.png"), artifacts.join("demo-sheet-map.png")).unwrap();
}

#[test]
fn the_preview_shows_one_stop_as_the_options_send_it() {
    let dir = tempdir();
    let (store, view) = crate::sheets::planned(dir.path(), None);
    let preview = files::preview(&store, None, &view.info.id, &SheetOptions::default()).unwrap().unwrap();
    assert!(!preview.stop.items.is_empty() && !preview.stop.address.is_empty());
    assert!(preview.stop.access_notes.is_some() || preview.stop.phone.is_some(), "the richest stop is shown");
    assert!(preview.destroy.contains("destroy this sheet"));
    let options = SheetOptions {
        fields: aidmap::sheets::SheetFields { phone: false, access_notes: false, flags: false, driver_notes: false },
        language: SheetLanguage::Es,
        ..Default::default()
    };
    let bare = files::preview(&store, None, &view.info.id, &options).unwrap().unwrap();
    assert_eq!(bare.stop.number, preview.stop.number, "the same stop, its fields off");
    assert!(bare.stop.phone.is_none() && bare.stop.access_notes.is_none() && !bare.stop.cold_chain);
    assert!(bare.title.starts_with("Ruta "));
}

#[test]
fn a_failed_export_leaves_no_file_of_it_behind() {
    let dir = tempdir();
    let (mut store, view) = crate::sheets::planned(dir.path(), None);
    let sheets = files::sheets(&store, None, &Which::Plan(&view.info.id), &Default::default()).unwrap();
    assert!(sheets.len() >= 3, "the demo day has three runs or more");
    let out = dir.path().join("out");
    // The third file cannot be made: its temporary name is taken by a folder.
    let blocked = out.join(format!("{}.html.part", aidmap::sheets::file_stem(&sheets[2])));
    std::fs::create_dir_all(&blocked).unwrap();
    assert!(files::export(&mut store, &sheets, SheetFormat::Html, &out).is_err());
    let left: Vec<_> = std::fs::read_dir(&out).unwrap().flatten().map(|e| e.path()).collect();
    assert_eq!(left, vec![blocked], "the two files written before the failure are gone");
}

#[test]
fn long_stops_break_between_their_lines_and_every_google_leg_gets_a_code() {
    let dir = tempdir();
    let (mut store, view) = crate::sheets::planned(dir.path(), None);
    let mut sheet = files::sheets(&store, None, &Which::Plan(&view.info.id), &Default::default()).unwrap().remove(0);
    // 45 stops: five Google legs, more than one row of codes.
    let first = sheet.stops[0].clone();
    sheet.stops = (0..45)
        .map(|n| aidmap::sheets::SheetStop { number: n + 1, ..sheet.stops[n % sheet.stops.len()].clone() })
        .collect();
    // The first stop: 60 items and a note longer than a page, with a word longer than a line.
    let item = first.items[0].clone();
    sheet.stops[0].items =
        (0..60).map(|k| aidmap::sheets::SheetItem { name: format!("Item{k:02}"), ..item.clone() }).collect();
    sheet.stops[0].driver_notes = Some(format!("{} {}", "x".repeat(300), "Lorem ipsum dolor. ".repeat(150)));
    let written = files::export(
        &mut store,
        std::slice::from_ref(&sheet),
        SheetFormat::Pdf { paper: Paper::A4, combined: false },
        dir.path(),
    )
    .unwrap();
    let text = pdftotext(&written[0]);
    assert!(text.contains("Item59") && text.contains("(continued)"), "the block goes on over the page");
    assert!(text.contains("stops 41–45"), "the fifth leg's code is on the sheet");
    let info = Command::new("pdfinfo").arg(&written[0]).output().unwrap();
    let pages: usize = String::from_utf8_lossy(&info.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:").map(|n| n.trim().parse().unwrap()))
        .unwrap();
    assert!(pages >= 8, "{pages} pages");
    // Nothing is drawn below the page: every line of text lies inside the paper (bounding boxes).
    let bbox = Command::new("pdftotext").args(["-bbox"]).arg(&written[0]).arg("-").output().unwrap();
    let html = String::from_utf8_lossy(&bbox.stdout);
    let bottoms: Vec<f64> =
        html.split("yMax=\"").skip(1).map(|r| r.split('"').next().unwrap().parse::<f64>().unwrap()).collect();
    assert!(bottoms.len() > 500, "{} words found", bottoms.len());
    for ymax in bottoms {
        assert!(ymax <= 842.0 - 20.0, "text at y {ymax} runs off the page");
    }
}
