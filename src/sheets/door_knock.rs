//! The door-knock list of a selection: for volunteers going door to door in an area, one block
//! per household — name, address (or plus code), landmark, phone only with consent — with tick
//! boxes, on A4 pages drawn by the route sheets' PDF engine. Households in the order of their
//! address (then name), so a street reads in one go.

use rusqlite::Connection;

use super::pdf::{render_pages, text, Op, Paper, GREY, MARGIN};
use super::SheetLanguage;
use crate::error::Result;
use crate::vocab::{ConsentStatus, HouseholdStatus};

struct Words {
    title: &'static str,
    households: &'static str,
    phone: &'static str,
    landmark: &'static str,
    plus_code: &'static str,
    ticks: &'static str,
    notes: &'static str,
    destroy: &'static str,
}

fn words(language: SheetLanguage) -> Words {
    match language {
        SheetLanguage::En => Words {
            title: "Door-knock list",
            households: "households",
            phone: "Phone",
            landmark: "Landmark",
            plus_code: "Plus code",
            ticks: "☐ visited   ☐ nobody home   ☐ needs something   ☐ refused",
            notes: "Notes: ______________________________________________",
            destroy: "Personal information: destroy this list after use.",
        },
        SheetLanguage::Es => Words {
            title: "Lista puerta a puerta",
            households: "hogares",
            phone: "Teléfono",
            landmark: "Referencia",
            plus_code: "Código plus",
            ticks: "☐ visitado   ☐ nadie en casa   ☐ necesita algo   ☐ rechazado",
            notes: "Notas: ______________________________________________",
            destroy: "Información personal: destruya esta lista después de usarla.",
        },
        SheetLanguage::Fr => Words {
            title: "Liste de porte-à-porte",
            households: "foyers",
            phone: "Téléphone",
            landmark: "Repère",
            plus_code: "Code plus",
            ticks: "☐ visité   ☐ personne   ☐ a besoin de quelque chose   ☐ refusé",
            notes: "Notes : ______________________________________________",
            destroy: "Informations personnelles : détruire cette liste après usage.",
        },
    }
}

/// The list's PDF for the households `ids` (those not purged), in `language`; `day` goes in
/// the title.
pub fn render(conn: &Connection, ids: &[String], language: SheetLanguage, day: &str) -> Result<Vec<u8>> {
    let w = words(language);
    let mut homes = Vec::new();
    for id in ids {
        match crate::household::get(conn, id) {
            Ok(h) => homes.push(h),
            Err(crate::Error::NotFound(_)) => continue,
            Err(e) => return Err(e),
        }
    }
    // Closed households are not knocked on.
    homes.retain(|h| h.status == HouseholdStatus::Active);
    homes.sort_by(|a, b| a.address.cmp(&b.address).then(a.name.cmp(&b.name)));
    let paper = Paper::A4;
    let (_, height) = paper.size();
    let mut pages: Vec<Vec<Op>> = vec![vec![]];
    let mut y = MARGIN;
    let title = format!("{} — {day} — {} {}", w.title, homes.len(), w.households);
    pages[0].push(text(MARGIN, y + 14.0, 15.0, true, title));
    y += 22.0;
    pages[0].push(Op::Text { x: MARGIN, y: y + 9.0, size: 8.5, bold: false, text: w.destroy.into(), color: GREY });
    y += 18.0;
    for h in &homes {
        let mut lines: Vec<(f32, bool, String)> = vec![(12.0, true, h.name.clone())];
        if h.address.trim().is_empty() {
            lines.push((10.5, false, format!("{}: {}", w.plus_code, crate::pluscode::encode(h.lat, h.lon, 10))));
        } else {
            lines.push((10.5, false, h.address.clone()));
        }
        if !h.landmark.trim().is_empty() {
            lines.push((10.5, false, format!("{}: {}", w.landmark, h.landmark.trim())));
        }
        if h.consent.status == ConsentStatus::Given {
            if let Some(p) = h.phones.first() {
                lines.push((10.5, false, format!("{}: {}", w.phone, p.original)));
            }
        }
        lines.push((10.0, false, w.ticks.into()));
        lines.push((10.0, false, w.notes.into()));
        let block: f32 = lines.iter().map(|l| l.0 + 4.0).sum::<f32>() + 8.0;
        if y + block > height - MARGIN {
            pages.push(vec![]);
            y = MARGIN;
        }
        let page = pages.last_mut().expect("a page");
        for (size, bold, line) in lines {
            page.push(text(MARGIN, y + size, size, bold, line));
            y += size + 4.0;
        }
        page.push(Op::Line { points: vec![(MARGIN, y + 3.0), (595.0 - MARGIN, y + 3.0)], width: 0.5, color: GREY });
        y += 8.0;
    }
    render_pages(pages, paper)
}
