//! Route sheets for drivers: a saved plan's runs as the minimum a driver needs — the household's
//! first name, the address, the phone only with consent, the items, access notes, and flags
//! ("cold chain", "medical priority") instead of vulnerabilities in words, the cross street, and
//! only the notes a coordinator marked "for the driver"; never other notes, never household
//! status fields. Each output format (`gpx`, `csv`, `html`, `pdf`, navigation `links`) renders a
//! `Sheet`; nothing else in a format module reads the operation.

pub mod cross;
pub mod csv;
pub mod files;
pub mod gpx;
pub mod html;
pub mod links;
pub mod map_background;
mod options_store;
pub use options_store::{set_sheet_options, sheet_options};
pub mod door_knock;
pub mod pdf;
pub mod words;

use std::sync::Arc;

use chrono::{DateTime, Local, NaiveDate};
use serde::{Deserialize, Serialize};

pub use words::{SheetLanguage, Words};

use crate::error::{Error, Result};
use crate::plan::types::PlanView;
use crate::vocab::{ConsentStatus, Vulnerability};
use crate::Store;

/// Which optional fields go out (the rest never do).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct SheetFields {
    /// The household's phone, only where it gave consent.
    pub phone: bool,
    pub access_notes: bool,
    /// "cold chain" / "medical priority" flags.
    pub flags: bool,
    /// Household and need notes marked "for the driver" (unmarked notes never go out).
    #[serde(default = "yes")]
    pub driver_notes: bool,
}

fn yes() -> bool {
    true
}

impl Default for SheetFields {
    fn default() -> Self {
        SheetFields { phone: true, access_notes: true, flags: true, driver_notes: true }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct SheetOptions {
    pub fields: SheetFields,
    /// The sheet says "destroy after" this many days after the run's day.
    pub destroy_after_days: u32,
    /// The language of the sheets' fixed words.
    #[serde(default)]
    pub language: SheetLanguage,
}

impl Default for SheetOptions {
    fn default() -> Self {
        SheetOptions { fields: SheetFields::default(), destroy_after_days: 3, language: SheetLanguage::En }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct SheetItem {
    pub quantity: f64,
    pub unit: String,
    /// The catalogue item's name, else the need's category in the sheet's language.
    pub name: String,
    /// Loaded as that catalogue item (quantity counts items), not only requested in `unit`.
    pub catalogued: bool,
    /// In the sheet's language, after the item: the quantity as asked when converted ("(18 L)")
    /// and the item it stands in for ("— instead of Water 5 L").
    pub note: String,
}

impl SheetItem {
    /// "12 × Water 1.5 L (18 L)" for a catalogue item (what is loaded), "2 tarp shelter" otherwise.
    pub fn text(&self) -> String {
        if self.catalogued {
            format!("{} × {}{}", number(self.quantity), self.name, self.note)
        } else {
            format!("{} {} {}{}", number(self.quantity), self.unit, self.name, self.note)
        }
    }
}

pub use crate::text::number;

#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct SheetStop {
    /// 1-based position in the run.
    pub number: usize,
    /// Local `HH:MM`.
    pub eta: String,
    pub lat: f64,
    pub lon: f64,
    pub address: String,
    /// The stop's plus code (10 digits, a cell of about 14 m) when it has no street address.
    pub plus_code: Option<String>,
    /// The households' landmarks ("blue tent behind the church"), when they have one.
    pub landmark: Option<String>,
    /// The nearest street meeting the stop's own street (from the region pack's roads).
    pub cross_street: Option<String>,
    /// The first household's first name.
    pub alias: String,
    pub phone: Option<String>,
    pub access_notes: Option<String>,
    pub items: Vec<SheetItem>,
    pub cold_chain: bool,
    pub medical_priority: bool,
    /// Household and need notes marked "for the driver", joined.
    pub driver_notes: Option<String>,
}

impl SheetStop {
    /// Where the stop is, in words: its address (and landmark), or, without a street address,
    /// its plus code and landmark ("8FVC9G8F+6X · blue tent behind the church").
    pub fn place(&self) -> String {
        let landmark = self.landmark.as_deref().unwrap_or("");
        let parts: Vec<&str> = if self.address.trim().is_empty() {
            vec![self.plus_code.as_deref().unwrap_or(""), landmark]
        } else {
            vec![self.address.as_str(), landmark]
        };
        parts.into_iter().filter(|p| !p.is_empty()).collect::<Vec<_>>().join(" · ")
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sheet {
    pub plan_id: String,
    pub run_id: String,
    /// "Run 3".
    pub run_number: usize,
    pub day: String,
    /// The driver's first name.
    pub driver: String,
    pub vehicle: String,
    pub depot: String,
    pub depot_address: String,
    pub depot_at: (f64, f64),
    /// Local `HH:MM`.
    pub start: String,
    pub end: String,
    pub distance_km: f64,
    /// `YYYY-MM-DD`.
    pub destroy_after: String,
    pub stops: Vec<SheetStop>,
    /// The road route (lon, lat) from the depot through the stops and back.
    pub path: Vec<[f64; 2]>,
    pub language: SheetLanguage,
    /// The basemap under the route, per tile (empty without a region pack's basemap).
    #[serde(skip)]
    pub basemap: Vec<Arc<Vec<map_background::Shape>>>,
}

/// What the export dialog shows: one stop exactly as the sheets carry it.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct SheetPreview {
    /// "Run 2 — 2026-12-02", in the sheet's language.
    pub title: String,
    pub driver: String,
    /// The "destroy after" line.
    pub destroy: String,
    pub stop: SheetStop,
}

fn first_name(name: &str) -> String {
    name.split_whitespace().next().unwrap_or("").to_string()
}

/// A driver as sheets and packing lists name them: first name and surname initial ("Inès H."),
/// so that two drivers called Inès are told apart, on paper and in file names.
pub fn driver_label(name: &str) -> String {
    let mut words = name.split_whitespace();
    let first = words.next().unwrap_or("").to_string();
    match words.last().and_then(|w| w.chars().next()) {
        Some(c) => format!("{first} {}.", c.to_uppercase()),
        None => first,
    }
}

fn local_hm(at: &str) -> String {
    DateTime::parse_from_rfc3339(at).map(|t| t.with_timezone(&Local).format("%H:%M").to_string()).unwrap_or_default()
}

/// The sheets of a plan's runs that have stops (all, or only `run_id`); cross streets from
/// `streets` where there is a road graph.
pub fn from_view(
    store: &Store,
    view: &PlanView,
    run_id: Option<&str>,
    options: &SheetOptions,
    streets: Option<&cross::Streets<'_>>,
) -> Result<Vec<Sheet>> {
    let words = Words::of(options.language);
    let day =
        NaiveDate::parse_from_str(&view.info.day, "%Y-%m-%d").map_err(|_| Error::Internal("bad plan day".into()))?;
    let destroy_after = (day + chrono::Days::new(options.destroy_after_days.into())).to_string();
    let sites = store.sites()?;
    let mut sheets = Vec::new();
    // Runs keep the number the board gives them (their place in the plan), also when some
    // have no stops: "run 5" on a sheet is run 5 on the board and in the packing list.
    for (index, run) in view.runs.iter().enumerate() {
        let number = index + 1;
        if run.stops.is_empty() {
            continue;
        }
        if run_id.is_some_and(|id| id != run.id) {
            continue;
        }
        let site = sites.iter().find(|s| s.id == run.site_id);
        let mut stops = Vec::new();
        for (k, stop) in run.stops.iter().enumerate() {
            let homes: Vec<_> = {
                let mut seen = std::collections::HashSet::new();
                let ids: Vec<&str> =
                    stop.needs.iter().map(|n| n.household_id.as_str()).filter(|id| seen.insert(*id)).collect();
                ids.iter().filter_map(|id| crate::household::get(store.conn(), id).ok()).collect()
            };
            let home = homes.first();
            let consented = |h: &&crate::household::Household| h.consent.status == ConsentStatus::Given;
            let phone = home
                .filter(|_| options.fields.phone)
                .filter(consented)
                .and_then(|h| h.phones.first())
                .map(|p| p.original.clone());
            let access =
                homes.iter().map(|h| h.access_notes.trim()).filter(|a| !a.is_empty()).collect::<Vec<_>>().join(" / ");
            let landmark =
                homes.iter().map(|h| h.landmark.trim()).filter(|a| !a.is_empty()).collect::<Vec<_>>().join(" / ");
            let medical = homes.iter().any(|h| {
                h.vulnerabilities
                    .iter()
                    .any(|v| matches!(v, Vulnerability::Oxygen | Vulnerability::Dialysis | Vulnerability::ColdChain))
            }) || stop.needs.iter().any(|n| n.category == crate::vocab::Category::Medicine);
            let mut notes: Vec<String> = Vec::new();
            if options.fields.driver_notes {
                notes.extend(homes.iter().filter(|h| h.notes_for_driver).map(|h| h.notes.trim().to_string()));
                for n in &stop.needs {
                    if let Ok(need) = crate::need::get(store.conn(), &n.need_id) {
                        if need.notes_for_driver {
                            notes.push(need.notes.trim().to_string());
                        }
                    }
                }
                let mut seen = std::collections::HashSet::new();
                notes.retain(|n| !n.is_empty() && seen.insert(n.clone()));
            }
            stops.push(SheetStop {
                number: k + 1,
                eta: local_hm(&stop.eta),
                lat: stop.lat,
                lon: stop.lon,
                address: stop.address.clone(),
                plus_code: stop.address.trim().is_empty().then(|| crate::pluscode::encode(stop.lat, stop.lon, 10)),
                landmark: (!landmark.is_empty()).then_some(landmark),
                cross_street: streets.and_then(|s| s.cross_street(stop.lat, stop.lon, &stop.address)),
                alias: home.map(|h| first_name(&h.name)).unwrap_or_default(),
                phone,
                access_notes: (options.fields.access_notes && !access.is_empty()).then_some(access),
                // Exactly the stored loads (a need without one, from an old plan, as asked).
                items: stop
                    .needs
                    .iter()
                    .map(|n| match stop.loads.iter().find(|l| l.need_id == n.need_id) {
                        Some(l) => {
                            let mut note = String::new();
                            if let Some(asked) = &l.asked {
                                note.push_str(&format!(" ({asked})"));
                            }
                            if let Some(own) = &l.substitute_for_name {
                                note.push_str(&format!(" — {} {own}", words.instead_of));
                            }
                            SheetItem {
                                quantity: l.quantity,
                                unit: l.unit.clone(),
                                name: l.item_name.clone(),
                                catalogued: true,
                                note,
                            }
                        }
                        None => SheetItem {
                            quantity: n.quantity,
                            unit: n.unit.clone(),
                            name: words.category(n.category).to_string(),
                            catalogued: false,
                            note: String::new(),
                        },
                    })
                    .collect(),
                cold_chain: options.fields.flags && stop.needs.iter().any(|n| n.cold_chain),
                medical_priority: options.fields.flags && medical,
                driver_notes: (!notes.is_empty()).then(|| notes.join(" / ")),
            });
        }
        sheets.push(Sheet {
            plan_id: view.info.id.clone(),
            run_id: run.id.clone(),
            run_number: number,
            day: view.info.day.clone(),
            driver: driver_label(&run.driver),
            vehicle: run.vehicle.clone(),
            depot: run.site_name.clone(),
            depot_address: site.map(|s| s.address.clone()).unwrap_or_default(),
            depot_at: site.map(|s| (s.lat, s.lon)).unwrap_or_default(),
            start: local_hm(&run.departure),
            end: local_hm(&run.back),
            distance_km: (run.distance_m as f64 / 100.0).round() / 10.0,
            destroy_after: destroy_after.clone(),
            stops,
            path: run.path.clone(),
            language: options.language,
            basemap: Vec::new(),
        });
    }
    if run_id.is_some() && sheets.is_empty() {
        return Err(Error::NotFound("run"));
    }
    Ok(sheets)
}

/// A file name for a sheet: `2026-12-02-run-03-ines-h`.
pub fn file_stem(sheet: &Sheet) -> String {
    let folded: String =
        crate::text::fold(&sheet.driver).chars().map(|c| if c.is_alphanumeric() { c } else { ' ' }).collect();
    let mut name = folded.split_whitespace().collect::<Vec<_>>().join("-");
    // File systems cap a name at 255 bytes: a 200-character CJK driver name (600 bytes) made
    // every export fail. The driver's part keeps at most 120 bytes, cut at a character.
    while name.len() > 120 {
        name.pop();
    }
    format!("{}-run-{:02}-{}", sheet.day, sheet.run_number, name)
}
