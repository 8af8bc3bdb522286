//! The two output formats, a row (CSV) or a feature (GeoJSON) at a time, and cell text.

use std::io::Write;

use serde::Serialize;
use serde_json::Value;

use crate::error::{Error, Result};

/// Counts the bytes that pass through.
pub(super) struct Counter<W: Write> {
    pub(super) inner: W,
    pub(super) bytes: u64,
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

pub(crate) fn csv_error(e: csv::Error) -> Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e.into(),
        other => Error::Internal(format!("csv: {other:?}")),
    }
}

pub(super) fn json_error(e: serde_json::Error) -> Error {
    if e.is_io() {
        std::io::Error::from(e).into()
    } else {
        Error::Internal(format!("json: {e}"))
    }
}

/// One feature's location: `[lon, lat]`, or none (a `null` geometry).
pub(super) type Point = Option<(f64, f64)>;

// One value per export, so the size difference between the variants costs nothing.
#[allow(clippy::large_enum_variant)]
pub(super) enum Rows<'a> {
    Csv(CsvRows<'a>),
    Geojson(GeojsonRows<'a>),
}

pub(super) struct CsvRows<'a> {
    w: csv::Writer<&'a mut dyn Write>,
}

impl<'a> CsvRows<'a> {
    pub(super) fn new(out: &'a mut dyn Write, cols: &[&str]) -> Result<Self> {
        let mut w = csv::Writer::from_writer(out);
        w.write_record(cols.iter().map(|c| crate::csv_safe::cell(c))).map_err(csv_error)?;
        Ok(CsvRows { w })
    }

    pub(super) fn row(&mut self, cells: &[Value]) -> Result<()> {
        // Numbers (coordinates, counts) stay numbers; every text cell is formula-safe.
        let cell = |v: &Value| if v.is_number() { text(v) } else { crate::csv_safe::cell(&text(v)) };
        self.w.write_record(cells.iter().map(cell)).map_err(csv_error)
    }
}

pub(super) struct GeojsonRows<'a> {
    out: &'a mut dyn Write,
    features: u32,
}

impl<'a> GeojsonRows<'a> {
    pub(super) fn new(out: &'a mut dyn Write) -> Result<Self> {
        out.write_all(b"{\"type\":\"FeatureCollection\",\"features\":[\n")?;
        Ok(GeojsonRows { out, features: 0 })
    }

    /// One feature; its properties in the order given (a JSON object written by hand, since
    /// serde_json's map would sort them).
    pub(super) fn feature(&mut self, point: Point, properties: &[(&str, Value)]) -> Result<()> {
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
    pub(super) fn finish(self) -> Result<()> {
        match self {
            Rows::Csv(mut c) => c.w.flush()?,
            Rows::Geojson(g) => g.out.write_all(b"\n]}\n")?,
        }
        Ok(())
    }
}

/// A value as one CSV cell: lists joined with `"; "`, objects as `key: value` pairs, `null` empty.
pub(super) fn text(v: &Value) -> String {
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

pub(super) fn list<T: Serialize>(items: &[T]) -> Value {
    serde_json::to_value(items).unwrap_or(Value::Null)
}

pub(super) fn parse_json<T: serde::de::DeserializeOwned>(s: &str) -> Result<T> {
    Ok(serde_json::from_str(s)?)
}
