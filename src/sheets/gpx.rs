//! GPX 1.1 for OsmAnd and Organic Maps: the stops as numbered waypoints in order, and the road
//! route as a track (written with the `gpx` crate).

use std::io::Write;

use gpx::{Gpx, GpxVersion, Track, TrackSegment, Waypoint};

use super::Sheet;
use crate::error::{Error, Result};

fn point(lat: f64, lon: f64) -> Waypoint {
    Waypoint::new(geo_types::Point::new(lon, lat))
}

/// Text as XML 1.0 allows it: C0/C1 controls (but tab and line breaks) and U+FFFE/U+FFFF are
/// dropped (a GPX reader refuses the whole file over one).
fn xml_text(s: &str) -> String {
    s.chars()
        .filter(|&c| (!c.is_control() || matches!(c, '\t' | '\n' | '\r')) && !matches!(c, '\u{FFFE}' | '\u{FFFF}'))
        .collect()
}

pub fn write(sheet: &Sheet, out: impl Write) -> Result<()> {
    let waypoints = sheet
        .stops
        .iter()
        .map(|s| {
            let mut w = point(s.lat, s.lon);
            w.name = Some(xml_text(&format!("{}. {}", s.number, s.alias)));
            let items: Vec<String> = s.items.iter().map(|i| i.text()).collect();
            w.description = Some(xml_text(&format!("{} {} — {}", s.eta, s.place(), items.join(", "))));
            w
        })
        .collect();
    let mut segment = TrackSegment::new();
    segment.points = sheet.path.iter().map(|p| point(p[1], p[0])).collect();
    let mut track = Track::new();
    track.name = Some(xml_text(&super::Words::of(sheet.language).title(sheet.run_number, &sheet.day)));
    track.segments = vec![segment];
    let gpx = Gpx {
        version: GpxVersion::Gpx11,
        creator: Some("Aidmap".into()),
        waypoints,
        tracks: vec![track],
        ..Gpx::default()
    };
    gpx::write(&gpx, out).map_err(|e| Error::Internal(format!("GPX: {e}")))
}
