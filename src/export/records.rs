//! What households, sites with stock and volunteers put in an export, one record at a time.

use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde_json::{json, Value};

use super::writers::*;
use super::ITEM_COLUMNS;
use crate::error::{Error, Result};
use crate::phone::Phone;
use crate::vocab::{Capability, ConsentStatus, HouseholdStatus, LegalBasis, LocationSource, Urgency, Vulnerability};

/// One household row as read for the export (the JSON lists still as text: parsed only when
/// their column is chosen).
struct HouseholdRow {
    id: String,
    name: String,
    phones: String,
    address: String,
    lat: f64,
    lon: f64,
    location_source: LocationSource,
    adults: u32,
    children: u32,
    seniors: u32,
    vulnerabilities: String,
    languages: String,
    access_notes: String,
    consent_status: ConsentStatus,
    consent_date: Option<String>,
    consent_scope: String,
    consent_basis: Option<LegalBasis>,
    status: HouseholdStatus,
    notes: String,
    updated_at: String,
    open_rank: u8,
    open_needs: u32,
    landmark: String,
}

impl HouseholdRow {
    /// The CSV cell of a column (before escaping).
    fn cell(&self, key: &str) -> Result<Value> {
        if key != "consent" {
            return self.value(key);
        }
        // In this order, not the sorted keys of the GeoJSON object.
        let parts = [
            ("status", Some(self.consent_status.key())),
            ("date", self.consent_date.as_deref()),
            ("scope", Some(self.consent_scope.as_str())),
            ("basis", self.consent_basis.map(|b| b.key())),
        ];
        let text: Vec<String> =
            parts.iter().filter_map(|(k, v)| v.filter(|v| !v.is_empty()).map(|v| format!("{k}: {v}"))).collect();
        Ok(Value::String(text.join("; ")))
    }

    fn value(&self, key: &str) -> Result<Value> {
        Ok(match key {
            "id" => json!(self.id),
            "status" => json!(self.status.key()),
            "lat" => json!(self.lat),
            "lon" => json!(self.lon),
            "adults" => json!(self.adults),
            "children" => json!(self.children),
            "seniors" => json!(self.seniors),
            "open_needs" => json!(self.open_needs),
            "most_urgent" => match Urgency::ALL.get(self.open_rank as usize) {
                Some(u) if self.open_needs > 0 => json!(u.key()),
                _ => Value::Null,
            },
            "location_source" => json!(self.location_source.key()),
            "updated_at" => json!(self.updated_at),
            "name" => json!(self.name),
            "phones" => {
                let phones: Vec<Phone> = parse_json(&self.phones)?;
                list(&phones.iter().map(|p| p.original.as_str()).collect::<Vec<_>>())
            }
            "address" => json!(self.address),
            "landmark" => json!(self.landmark),
            "plus_code" => json!(crate::pluscode::encode(self.lat, self.lon, 10)),
            "access_notes" => json!(self.access_notes),
            "notes" => json!(self.notes),
            "languages" => list(&parse_json::<Vec<String>>(&self.languages)?),
            "vulnerabilities" => list(&parse_json::<Vec<Vulnerability>>(&self.vulnerabilities)?),
            "consent" => json!({
                "status": self.consent_status.key(),
                "date": self.consent_date,
                "scope": self.consent_scope,
                "basis": self.consent_basis.map(|b| b.key()),
            }),
            other => return Err(Error::Internal(format!("export column {other}"))),
        })
    }
}

/// Every household not purged, in id order, one at a time.
pub(super) fn households(
    conn: &Connection,
    cols: &[&'static str],
    only: Option<&std::collections::HashSet<String>>,
    out: &mut Rows<'_>,
) -> Result<u32> {
    let mut stmt = conn.prepare(
        "SELECT id, name, phones, address, lat, lon, location_source, adults, children, seniors,
                vulnerabilities, languages, access_notes, consent_status, consent_date, consent_scope,
                consent_basis, status, notes, updated_at, open_rank, open_needs, landmark
         FROM household WHERE purged_at IS NULL ORDER BY id",
    )?;
    let mut rows = stmt.query([])?;
    let mut n = 0u32;
    let mut cells = Vec::with_capacity(cols.len());
    while let Some(r) = rows.next()? {
        let id: String = r.get(0)?;
        if only.is_some_and(|only| !only.contains(&id)) {
            continue;
        }
        let h = HouseholdRow {
            id,
            name: r.get(1)?,
            phones: r.get(2)?,
            address: r.get(3)?,
            lat: r.get(4)?,
            lon: r.get(5)?,
            location_source: r.get(6)?,
            adults: r.get(7)?,
            children: r.get(8)?,
            seniors: r.get(9)?,
            vulnerabilities: r.get(10)?,
            languages: r.get(11)?,
            access_notes: r.get(12)?,
            consent_status: r.get(13)?,
            consent_date: r.get(14)?,
            consent_scope: r.get(15)?,
            consent_basis: r.get(16)?,
            status: r.get(17)?,
            notes: r.get(18)?,
            updated_at: r.get(19)?,
            open_rank: r.get(20)?,
            open_needs: r.get(21)?,
            landmark: r.get(22)?,
        };
        match out {
            Rows::Csv(c) => {
                cells.clear();
                for key in cols {
                    cells.push(h.cell(key)?);
                }
                c.row(&cells)?;
            }
            Rows::Geojson(g) => {
                let mut props = Vec::with_capacity(cols.len());
                for &key in cols.iter().filter(|k| !matches!(**k, "lat" | "lon")) {
                    props.push((key, h.value(key)?));
                }
                g.feature(Some((h.lon, h.lat)), &props)?;
            }
        }
        n += 1;
    }
    Ok(n)
}

fn site_value(s: &crate::site::Site, key: &str) -> Value {
    match key {
        "id" => json!(s.id),
        "name" => json!(s.name),
        "kind" => json!(s.kind.key()),
        "lat" => json!(s.lat),
        "lon" => json!(s.lon),
        "address" => json!(s.address),
        "active" => json!(s.active),
        "updated_at" => json!(s.updated_at),
        "contact" => json!(s.contact),
        "notes" => json!(s.notes),
        _ => Value::Null,
    }
}

fn item_value(r: &crate::stock::StockRow, key: &str) -> Value {
    match key {
        "item" => json!(r.item.name),
        "category" => json!(r.item.category.key()),
        "unit" => json!(r.item.unit),
        "quantity" => json!(r.quantity),
        "low" => json!(r.low),
        "next_expiry" => json!(r.next_expiry),
        _ => Value::Null,
    }
}

/// Every site with its stock: one CSV row per stocked item, one feature per site.
pub(super) fn sites(conn: &Connection, cols: &[&'static str], out: &mut Rows<'_>) -> Result<u32> {
    let with_items = cols.iter().any(|c| ITEM_COLUMNS.contains(c));
    let mut n = 0u32;
    for s in crate::stock::sites_with_stock(conn)? {
        match out {
            Rows::Csv(c) => {
                let stock: Vec<Option<&crate::stock::StockRow>> =
                    if with_items && !s.stock.is_empty() { s.stock.iter().map(Some).collect() } else { vec![None] };
                for row in stock {
                    let cells: Vec<Value> = cols
                        .iter()
                        .map(|key| match (ITEM_COLUMNS.contains(key), row) {
                            (true, Some(r)) => item_value(r, key),
                            (true, None) => Value::Null,
                            (false, _) => site_value(&s.site, key),
                        })
                        .collect();
                    c.row(&cells)?;
                    n += 1;
                }
            }
            Rows::Geojson(g) => {
                let mut props: Vec<(&str, Value)> = cols
                    .iter()
                    .filter(|k| !matches!(**k, "lat" | "lon") && !ITEM_COLUMNS.contains(k))
                    .map(|&k| (k, site_value(&s.site, k)))
                    .collect();
                if with_items {
                    let stock: Vec<Value> = s
                        .stock
                        .iter()
                        .map(|r| {
                            let entry: serde_json::Map<String, Value> = cols
                                .iter()
                                .filter(|k| ITEM_COLUMNS.contains(k))
                                .map(|k| (k.to_string(), item_value(r, k)))
                                .collect();
                            Value::Object(entry)
                        })
                        .collect();
                    props.push(("stock", Value::Array(stock)));
                }
                g.feature(Some((s.site.lon, s.site.lat)), &props)?;
                n += 1;
            }
        }
    }
    Ok(n)
}

/// Every volunteer, active or not, with their vehicles and how many shifts are still to come.
pub(super) fn volunteers(
    conn: &Connection,
    cols: &[&'static str],
    now: DateTime<Utc>,
    out: &mut Rows<'_>,
) -> Result<u32> {
    let all = crate::volunteer::VolunteerFilter { include_inactive: true, ..Default::default() };
    let vehicles = crate::vehicle::list(conn)?;
    let now = crate::clock::timestamp(now);
    let mut upcoming = conn.prepare("SELECT count(*) FROM shift WHERE volunteer_id = ?1 AND ends_at > ?2")?;
    let home = cols.contains(&"home_lat") && cols.contains(&"home_lon");
    let mut n = 0u32;
    for v in crate::volunteer::list(conn, &all)? {
        let own: Vec<&crate::vehicle::Vehicle> =
            vehicles.iter().filter(|x| x.owner_id.as_deref() == Some(v.id.as_str())).collect();
        let mut capabilities: Vec<Capability> = own.iter().flat_map(|x| x.capabilities.iter().copied()).collect();
        capabilities.sort();
        capabilities.dedup();
        let next_shifts: u32 = upcoming.query_row(rusqlite::params![v.id, now], |r| r.get(0))?;
        let value = |key: &str| -> Value {
            match key {
                "id" => json!(v.id),
                "name" => json!(v.name),
                "phone" => json!(v.phone),
                "roles" => list(&v.roles.iter().map(|r| r.key()).collect::<Vec<_>>()),
                "languages" => list(&v.languages),
                "active" => json!(v.active),
                "vehicle_kinds" => list(&own.iter().map(|x| x.kind.key()).collect::<Vec<_>>()),
                "capacity_kg" => list(&own.iter().map(|x| x.capacity_kg).collect::<Vec<_>>()),
                "capacity_l" => list(&own.iter().map(|x| x.capacity_l).collect::<Vec<_>>()),
                "capabilities" => list(&capabilities.iter().map(|c| c.key()).collect::<Vec<_>>()),
                "next_shifts" => json!(next_shifts),
                "home_lat" => json!(v.home_lat),
                "home_lon" => json!(v.home_lon),
                "notes" => json!(v.notes),
                _ => Value::Null,
            }
        };
        match out {
            Rows::Csv(c) => c.row(&cols.iter().map(|k| value(k)).collect::<Vec<_>>())?,
            Rows::Geojson(g) => {
                let point = match (home, v.home_lat, v.home_lon) {
                    (true, Some(lat), Some(lon)) => Some((lon, lat)),
                    _ => None,
                };
                let props: Vec<(&str, Value)> = cols
                    .iter()
                    .filter(|k| !(home && matches!(**k, "home_lat" | "home_lon")))
                    .map(|&k| (k, value(k)))
                    .collect();
                g.feature(point, &props)?;
            }
        }
        n += 1;
    }
    Ok(n)
}
