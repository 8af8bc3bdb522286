//! Export of households, sites with their stock, and volunteers as CSV or GeoJSON, for printing,
//! spreadsheets and other GIS tools. The caller chooses the columns; personal fields (names,
//! phones, addresses, notes…) are off by default. Rows are written one at a time, so a large
//! operation never sits in memory as a whole.
//!
//! - CSV: a header of column keys, then one row per household, per volunteer, or per site and
//!   stocked item (a site without stock, or an export without item columns: one row per site).
//!   Every cell goes through `csv_safe::cell`; lists are joined with `"; "`.
//! - GeoJSON: a `FeatureCollection` with one `Point` feature per household or site; the point
//!   (`[lon, lat]`) is the location, always present, so `lat` and `lon` are never repeated as
//!   properties (and always count as exported). A site's stock is a `stock` array property. A
//!   volunteer's geometry is their home only when `home_lat` and `home_lon` are both chosen
//!   (personal, off by default), and `null` otherwise.
//!
//! `write` is a plain function over a connection; `Store::export_to` writes a file and records
//! the export in the audit log (column keys and counts, never values).

use std::io::Write;

use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use ts_rs::TS;

use crate::error::{Error, FieldError, Result, Rule};
use crate::phone::Phone;
use crate::vocab::{Capability, ConsentStatus, HouseholdStatus, LegalBasis, LocationSource, Urgency, Vulnerability};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ExportKind {
    Households,
    Sites,
    Volunteers,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ExportFormat {
    Csv,
    Geojson,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExportRequest {
    pub kind: ExportKind,
    pub format: ExportFormat,
    /// Chosen column keys, in the order they are written; empty = the defaults.
    pub columns: Vec<String>,
}

/// A column the export dialog offers.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ExportColumn {
    pub key: String,
    /// Personal data (name, phone, address, notes…): off by default (except for volunteers, whose
    /// export is a contact list by nature; flagged all the same).
    pub personal: bool,
    pub default: bool,
}

/// What was written.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ExportSummary {
    /// Data rows: CSV lines after the header, or GeoJSON features.
    pub rows: u32,
    /// The keys of the columns whose data is in the file, in order (for GeoJSON households and
    /// sites, `lat` and `lon` always: they are the geometry).
    pub columns: Vec<String>,
    #[ts(type = "number")]
    pub bytes: u64,
}

impl ExportKind {
    pub fn key(self) -> &'static str {
        match self {
            ExportKind::Households => "households",
            ExportKind::Sites => "sites",
            ExportKind::Volunteers => "volunteers",
        }
    }

    /// The audit log's entity for this kind.
    pub fn entity(self) -> &'static str {
        match self {
            ExportKind::Households => "household",
            ExportKind::Sites => "site",
            ExportKind::Volunteers => "volunteer",
        }
    }
}

impl ExportFormat {
    pub fn key(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Geojson => "geojson",
        }
    }

    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Geojson => "geojson",
        }
    }
}

/// (key, personal, default)
type Spec = (&'static str, bool, bool);

const HOUSEHOLD_COLUMNS: &[Spec] = &[
    ("id", false, true),
    ("status", false, true),
    ("lat", false, true),
    ("lon", false, true),
    ("adults", false, true),
    ("children", false, true),
    ("seniors", false, true),
    ("open_needs", false, true),
    ("most_urgent", false, true),
    ("location_source", false, true),
    ("updated_at", false, true),
    ("name", true, false),
    ("phones", true, false),
    ("address", true, false),
    ("access_notes", true, false),
    ("notes", true, false),
    ("languages", true, false),
    ("vulnerabilities", true, false),
    ("consent", true, false),
];

/// The item columns of a site export: one CSV row per stocked item, the `stock` array in GeoJSON.
const ITEM_COLUMNS: &[&str] = &["item", "category", "unit", "quantity", "low", "next_expiry"];

const SITE_COLUMNS: &[Spec] = &[
    ("id", false, true),
    ("name", false, true),
    ("kind", false, true),
    ("lat", false, true),
    ("lon", false, true),
    ("address", false, true),
    ("active", false, true),
    ("updated_at", false, true),
    ("item", false, true),
    ("category", false, true),
    ("unit", false, true),
    ("quantity", false, true),
    ("low", false, true),
    ("next_expiry", false, true),
    ("contact", true, false),
    ("notes", true, false),
];

const VOLUNTEER_COLUMNS: &[Spec] = &[
    ("id", false, true),
    ("name", true, true),
    ("phone", true, true),
    ("roles", false, true),
    ("languages", true, true),
    ("active", false, true),
    ("vehicle_kinds", false, true),
    ("capacity_kg", false, true),
    ("capacity_l", false, true),
    ("capabilities", false, true),
    ("next_shifts", false, true),
    ("home_lat", true, false),
    ("home_lon", true, false),
    ("notes", true, false),
];

fn specs(kind: ExportKind) -> &'static [Spec] {
    match kind {
        ExportKind::Households => HOUSEHOLD_COLUMNS,
        ExportKind::Sites => SITE_COLUMNS,
        ExportKind::Volunteers => VOLUNTEER_COLUMNS,
    }
}

/// Every column an export of `kind` can have, in their usual order.
pub fn columns(kind: ExportKind) -> Vec<ExportColumn> {
    specs(kind)
        .iter()
        .map(|&(key, personal, default)| ExportColumn { key: key.to_string(), personal, default })
        .collect()
}

/// The columns to write: the chosen ones (trimmed, blanks and repeats dropped) or the defaults.
/// An unknown key is a validation error on `columns`.
pub fn resolve(kind: ExportKind, chosen: &[String]) -> Result<Vec<&'static str>> {
    let specs = specs(kind);
    let mut out: Vec<&'static str> = Vec::new();
    for key in chosen.iter().map(|k| k.trim()).filter(|k| !k.is_empty()) {
        let Some(&(known, _, _)) = specs.iter().find(|s| s.0 == key) else {
            return Err(Error::Validation(vec![FieldError { field: "columns".into(), rule: Rule::Unknown }]));
        };
        if !out.contains(&known) {
            out.push(known);
        }
    }
    if out.is_empty() {
        out = specs.iter().filter(|s| s.2).map(|s| s.0).collect();
    }
    Ok(out)
}

/// Writes the export to `out` (see the module's doc for the formats).
pub fn write(conn: &Connection, req: &ExportRequest, out: &mut dyn Write) -> Result<ExportSummary> {
    write_at(conn, req, Utc::now(), out)
}

/// `write` with the time that decides which shifts are still to come (`next_shifts`).
pub fn write_at(
    conn: &Connection,
    req: &ExportRequest,
    now: DateTime<Utc>,
    out: &mut dyn Write,
) -> Result<ExportSummary> {
    let mut cols = resolve(req.kind, &req.columns)?;
    if req.format == ExportFormat::Geojson && req.kind != ExportKind::Volunteers {
        for key in ["lat", "lon"] {
            if !cols.contains(&key) {
                cols.push(key);
            }
        }
    }
    let mut sink = Counter { inner: std::io::BufWriter::with_capacity(1 << 16, out), bytes: 0 };
    let mut writer = match req.format {
        ExportFormat::Csv => Rows::Csv(CsvRows::new(&mut sink, &cols)?),
        ExportFormat::Geojson => Rows::Geojson(GeojsonRows::new(&mut sink)?),
    };
    let rows = match req.kind {
        ExportKind::Households => households(conn, &cols, &mut writer)?,
        ExportKind::Sites => sites(conn, &cols, &mut writer)?,
        ExportKind::Volunteers => volunteers(conn, &cols, now, &mut writer)?,
    };
    writer.finish()?;
    sink.flush()?;
    Ok(ExportSummary { rows, columns: cols.iter().map(|c| c.to_string()).collect(), bytes: sink.bytes })
}

/// Counts the bytes that pass through.
struct Counter<W: Write> {
    inner: W,
    bytes: u64,
}

impl<W: Write> Write for Counter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

fn csv_error(e: csv::Error) -> Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e.into(),
        other => Error::Internal(format!("csv: {other:?}")),
    }
}

fn json_error(e: serde_json::Error) -> Error {
    if e.is_io() {
        std::io::Error::from(e).into()
    } else {
        Error::Internal(format!("json: {e}"))
    }
}

/// One feature's location: `[lon, lat]`, or none (a `null` geometry).
type Point = Option<(f64, f64)>;

enum Rows<'a> {
    Csv(CsvRows<'a>),
    Geojson(GeojsonRows<'a>),
}

struct CsvRows<'a> {
    w: csv::Writer<&'a mut dyn Write>,
}

impl<'a> CsvRows<'a> {
    fn new(out: &'a mut dyn Write, cols: &[&str]) -> Result<Self> {
        let mut w = csv::Writer::from_writer(out);
        w.write_record(cols.iter().map(|c| crate::csv_safe::cell(c))).map_err(csv_error)?;
        Ok(CsvRows { w })
    }

    fn row(&mut self, cells: &[Value]) -> Result<()> {
        self.w.write_record(cells.iter().map(|v| crate::csv_safe::cell(&text(v)))).map_err(csv_error)
    }
}

struct GeojsonRows<'a> {
    out: &'a mut dyn Write,
    features: u32,
}

impl<'a> GeojsonRows<'a> {
    fn new(out: &'a mut dyn Write) -> Result<Self> {
        out.write_all(b"{\"type\":\"FeatureCollection\",\"features\":[\n")?;
        Ok(GeojsonRows { out, features: 0 })
    }

    /// One feature; its properties in the order given (a JSON object written by hand, since
    /// serde_json's map would sort them).
    fn feature(&mut self, point: Point, properties: &[(&str, Value)]) -> Result<()> {
        if self.features > 0 {
            self.out.write_all(b",\n")?;
        }
        self.features += 1;
        self.out.write_all(b"{\"type\":\"Feature\",\"geometry\":")?;
        match point {
            Some((lon, lat)) => {
                self.out.write_all(b"{\"type\":\"Point\",\"coordinates\":")?;
                serde_json::to_writer(&mut self.out, &[lon, lat]).map_err(json_error)?;
                self.out.write_all(b"}")?;
            }
            None => self.out.write_all(b"null")?,
        }
        self.out.write_all(b",\"properties\":{")?;
        for (i, (key, value)) in properties.iter().enumerate() {
            if i > 0 {
                self.out.write_all(b",")?;
            }
            serde_json::to_writer(&mut self.out, key).map_err(json_error)?;
            self.out.write_all(b":")?;
            serde_json::to_writer(&mut self.out, value).map_err(json_error)?;
        }
        self.out.write_all(b"}}")?;
        Ok(())
    }
}

impl Rows<'_> {
    fn finish(self) -> Result<()> {
        match self {
            Rows::Csv(mut c) => c.w.flush()?,
            Rows::Geojson(g) => g.out.write_all(b"\n]}\n")?,
        }
        Ok(())
    }
}

/// A value as one CSV cell: lists joined with `"; "`, objects as `key: value` pairs, `null` empty.
fn text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => i.to_string(),
            (None, Some(f)) => f.to_string(),
            _ => n.to_string(),
        },
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(text).collect::<Vec<_>>().join("; "),
        Value::Object(map) => map
            .iter()
            .filter(|(_, v)| !v.is_null() && v.as_str() != Some(""))
            .map(|(k, v)| format!("{k}: {}", text(v)))
            .collect::<Vec<_>>()
            .join("; "),
    }
}

fn list<T: Serialize>(items: &[T]) -> Value {
    serde_json::to_value(items).unwrap_or(Value::Null)
}

fn parse_json<T: serde::de::DeserializeOwned>(s: &str) -> Result<T> {
    Ok(serde_json::from_str(s)?)
}

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
fn households(conn: &Connection, cols: &[&'static str], out: &mut Rows<'_>) -> Result<u32> {
    let mut stmt = conn.prepare(
        "SELECT id, name, phones, address, lat, lon, location_source, adults, children, seniors,
                vulnerabilities, languages, access_notes, consent_status, consent_date, consent_scope,
                consent_basis, status, notes, updated_at, open_rank, open_needs
         FROM household WHERE purged_at IS NULL ORDER BY id",
    )?;
    let mut rows = stmt.query([])?;
    let mut n = 0u32;
    let mut cells = Vec::with_capacity(cols.len());
    while let Some(r) = rows.next()? {
        let h = HouseholdRow {
            id: r.get(0)?,
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
fn sites(conn: &Connection, cols: &[&'static str], out: &mut Rows<'_>) -> Result<u32> {
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
fn volunteers(conn: &Connection, cols: &[&'static str], now: DateTime<Utc>, out: &mut Rows<'_>) -> Result<u32> {
    let all = crate::volunteer::VolunteerFilter { include_inactive: true, ..Default::default() };
    let vehicles = crate::vehicle::list(conn)?;
    let now = crate::store::timestamp(now);
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
