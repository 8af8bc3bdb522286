//! The printable route sheet: its text (pdftotext, poppler-utils) holds every stop in order and
//! nothing a driver must not get; its QR codes (pdftoppm + zbarimg, zbar-tools) decode to the
//! stops' coordinates and the Google Maps legs; A4 and Letter; every run in one combined file.
//! The first page of a demo sheet is kept as `artifacts/sheets/demo-sheet-1.png` to look at.

use std::process::Command;

use aidmap::sheets::files::{self, SheetFormat, Which};
use aidmap::sheets::pdf::Paper;

use crate::util::*;

fn pdftotext(path: &std::path::Path) -> String {
    let out = Command::new("pdftotext").arg("-layout").arg(path).arg("-").output().expect("pdftotext (poppler-utils)");
    assert!(out.status.success());
    // Runs of spaces collapsed: layout mode spaces words as they sit on the page.
    let text = String::from_utf8(out.stdout).unwrap();
    text.lines().map(|l| l.split_whitespace().collect::<Vec<_>>().join(" ")).collect::<Vec<_>>().join("\n")
}

#[test]
fn a_pdf_sheet_lists_every_stop_in_order_and_its_qr_codes_decode() {
    let dir = tempdir();
    let region = crate::region::open("monaco");
    let (mut store, view) = crate::sheets::planned(dir.path(), Some(&region));
    let which = Which::Plan(&view.info.id);
    let sheets = files::sheets(&store, Some(&region), &which, &Default::default()).unwrap();
    let format = SheetFormat::Pdf { paper: Paper::A4, combined: true };
    let started = std::time::Instant::now();
    let written = files::write(&mut store, Some(&region), &which, &Default::default(), format, dir.path()).unwrap();
    eprintln!("{} runs to PDF in {:?}", sheets.len(), started.elapsed());
    assert_eq!(written.len(), sheets.len() + usize::from(sheets.len() > 1), "one per run and the combined file");

    let sheet = sheets.iter().max_by_key(|s| s.stops.len()).unwrap();
    let path = written.iter().find(|p| p.to_string_lossy().contains(&aidmap::sheets::file_stem(sheet))).unwrap();
    let text = pdftotext(path);
    assert!(text.contains(&format!("Run {} — {}", sheet.run_number, sheet.day)));
    assert!(text.contains(&format!("destroy this sheet after {}", sheet.destroy_after)));
    assert!(text.contains("OpenStreetMap contributors"));
    let mut at = 0;
    for s in &sheet.stops {
        let heading = format!("{} {}", s.eta, s.alias);
        let found = text[at..].find(&heading).unwrap_or_else(|| panic!("stop {} ({heading}) in order", s.number));
        at += found + heading.len();
        let address = s.address.split_whitespace().next().unwrap_or("");
        assert!(text[at..].contains(address));
    }
    assert!(text.contains("☐ delivered"));

    // QR codes on the first page: the first stop's geo: URI and the first Google leg.
    let png = dir.path().join("page");
    let ok = Command::new("pdftoppm")
        .args(["-r", "200", "-f", "1", "-l", "1", "-png"])
        .arg(path)
        .arg(&png)
        .status()
        .unwrap();
    assert!(ok.success());
    let page = std::fs::read_dir(dir.path()).unwrap().flatten().map(|e| e.path()).find(|p| {
        p.file_name().unwrap().to_string_lossy().starts_with("page") && p.extension().is_some_and(|e| e == "png")
    });
    let page = page.expect("the first page as PNG");
    let artifacts = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("artifacts/sheets");
    std::fs::create_dir_all(&artifacts).unwrap();
    std::fs::copy(&page, artifacts.join("demo-sheet-1.png")).unwrap();
    let out = Command::new("zbarimg").args(["-q", "--raw"]).arg(&page).output().expect("zbarimg (zbar-tools)");
    let codes = String::from_utf8_lossy(&out.stdout);
    let first = &sheet.stops[0];
    assert!(codes.contains(&format!("geo:{:.6},{:.6}", first.lat, first.lon)), "{codes}");
    let leg = &aidmap::sheets::links::google(sheet)[0];
    assert!(codes.lines().any(|l| l == leg.url), "{codes}");

    // The combined file holds every run, each from a new page.
    let all = written.iter().find(|p| p.to_string_lossy().ends_with("all-runs.pdf")).unwrap();
    let text = pdftotext(all);
    for s in &sheets {
        assert!(text.contains(&format!("Run {} — {}", s.run_number, s.day)));
    }
    let info = Command::new("pdfinfo").arg(all).output().expect("pdfinfo (poppler-utils)");
    let pages: usize = String::from_utf8_lossy(&info.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:").map(|n| n.trim().parse().unwrap()))
        .unwrap();
    assert!(pages >= sheets.len(), "{pages} pages for {} runs", sheets.len());
}

#[test]
fn letter_paper_and_no_excluded_field_in_the_pdf() {
    let dir = tempdir();
    let (mut store, view) = crate::sheets::planned(dir.path(), None);
    let run = view.runs.iter().find(|r| !r.stops.is_empty()).unwrap();
    let home = run.stops[0].needs[0].household_id.clone();
    let h = store.households().unwrap().into_iter().find(|h| h.id == home).unwrap();
    let mut input = aidmap::merge::input_of(&h);
    input.name = "Zoë Qzxsentinelsurname".into();
    input.notes = "Qzxsentinelnotes".into();
    store.update_household(&home, &input).unwrap();
    let sheets = files::sheets(&store, None, &Which::Run(&run.id), &Default::default()).unwrap();
    let written =
        files::export(&mut store, &sheets, SheetFormat::Pdf { paper: Paper::Letter, combined: false }, dir.path())
            .unwrap();
    let info = Command::new("pdfinfo").arg(&written[0]).output().expect("pdfinfo (poppler-utils)");
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(info.contains("612 x 792 pts"), "{info}");
    assert!(info.contains("Pages:"));
    let text = pdftotext(&written[0]);
    assert!(text.contains("Zoë"));
    assert!(!text.contains("Qzxsentinel"), "a surname or a note in the PDF");
}
