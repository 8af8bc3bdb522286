//! GPX 1.1 for OsmAnd and Organic Maps: the stops as numbered waypoints in order, and the road
//! route as a track (written with the `gpx` crate).

use std::io::Write;

use gpx::{Gpx, GpxVersion, Track, TrackSegment, Waypoint};

use super::Sheet;
use crate::error::{Error, Result};

fn point(lat: f64, lon: f64) -> Waypoint {
    Waypoint::new(geo_types::Point::new(lon, lat))
}

pub fn write(sheet: &Sheet, out: impl Write) -> Result<()> {
    let waypoints = sheet
        .stops
        .iter()
        .map(|s| {
            let mut w = point(s.lat, s.lon);
            w.name = Some(format!("{}. {}", s.number, s.alias));
            let items: Vec<String> = s.items.iter().map(|i| i.text()).collect();
            w.description = Some(format!("{} {} — {}", s.eta, s.address, items.join(", ")));
            w
        })
        .collect();
    let mut segment = TrackSegment::new();
    segment.points = sheet.path.iter().map(|p| point(p[1], p[0])).collect();
    let mut track = Track::new();
    track.name = Some(super::Words::of(sheet.language).title(sheet.run_number, &sheet.day));
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
