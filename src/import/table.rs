//! A spreadsheet as a table of text cells: CSV (crate `csv`; UTF-8, else Windows-1252 — and
//! the report says which) or XLSX (crate `calamine`; cached values of formula cells, dates as
//! `YYYY-MM-DD`). Structural problems (a row with the wrong number of cells, a formula) are
//! collected per row; only an unreadable file is an error.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use serde::Serialize;
use ts_rs::TS;

use super::RowProblem;
use crate::error::{Error, Result};

/// The largest file an import reads (a 50 MB sheet is well past any hub's household list).
pub const MAX_BYTES: usize = 64 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Table {
    pub headers: Vec<String>,
    /// Data rows, each as long as `headers` (short rows padded, long rows cut and reported).
    pub rows: Vec<Vec<String>>,
    /// Spreadsheet row number (1 = header) of each data row.
    pub row_numbers: Vec<u32>,
    /// `UTF-8`, `Windows-1252` or `XLSX`.
    pub encoding: String,
    pub problems: Vec<RowProblem>,
}

/// Reads a spreadsheet file: its size is checked before a byte is read (a 3 GB file was read
/// whole before the limit was checked). Returns the table and the file's name.
pub fn read_file(path: &std::path::Path) -> Result<(Table, String)> {
    let bytes = crate::read_limit::read_within(path, MAX_BYTES as u64, empty("it is larger than 64 MB"))?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    Ok((read(&bytes, &name)?, name))
}

pub fn read(bytes: &[u8], file_name: &str) -> Result<Table> {
    if bytes.len() > MAX_BYTES {
        return Err(empty("it is larger than 64 MB"));
    }
    let is_zip = bytes.starts_with(b"PK\x03\x04");
    let lower = file_name.to_lowercase();
    if is_zip || lower.ends_with(".xlsx") || lower.ends_with(".xlsm") {
        return read_xlsx(bytes);
    }
    read_csv(bytes)
}

fn empty(what: &'static str) -> Error {
    Error::UnreadableFile(what)
}

fn read_csv(bytes: &[u8]) -> Result<Table> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let (text, encoding) = match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_string(), "UTF-8"),
        Err(_) => (encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes).0.into_owned(), "Windows-1252"),
    };
    if text.trim().is_empty() {
        return Err(empty("it is empty"));
    }
    // A binary file (an image, an archive, a map extract) is not a spreadsheet.
    let controls = text.chars().take(4096).filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')).count();
    if controls > 0 {
        return Err(empty("it is not a CSV or XLSX spreadsheet"));
    }
    let first_line = text.lines().next().unwrap_or_default();
    let delimiter =
        [b',', b';', b'\t'].into_iter().max_by_key(|d| first_line.bytes().filter(|b| b == d).count()).unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(Cursor::new(text.as_bytes()));
    let mut records = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|_| {
            let _ = i;
            empty("its rows cannot be read as CSV")
        })?;
        records.push(record.iter().map(|c| c.trim().to_string()).collect::<Vec<_>>());
    }
    Ok(shape(records, encoding.into(), vec![]))
}

/// The most a workbook may inflate to, all its parts together (a zip bomb stops here).
pub const MAX_INFLATED: u64 = 200 * 1024 * 1024;
/// The largest sheet an import reads: far beyond any hub's list, far below what a forged
/// dimension (a cell at XFD1048576) would make a dense grid allocate.
pub const MAX_ROWS: u32 = 200_000;
pub const MAX_COLUMNS: u32 = 200;
/// All the text of a sheet together (a 30 MB shared string used in 400 cells is 12 GB).
pub const MAX_TEXT: usize = 64 * 1024 * 1024;
/// Cells in the rows that hold something (each empty one still costs a string).
pub const MAX_GRID: usize = 5_000_000;
/// Excel's own limit for one cell.
pub const MAX_CELL: usize = 32_767;

/// Inflates every part of the workbook through a counting reader, stopping past
/// `MAX_INFLATED`: declared sizes can lie, so the bytes are counted as they come.
fn check_inflated(bytes: &[u8]) -> Result<()> {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| empty("it is not a readable XLSX workbook"))?;
    let mut total: u64 = 0;
    let mut buf = vec![0u8; 64 * 1024];
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).map_err(|_| empty("it is not a readable XLSX workbook"))?;
        loop {
            let n =
                std::io::Read::read(&mut entry, &mut buf).map_err(|_| empty("it is not a readable XLSX workbook"))?;
            if n == 0 {
                break;
            }
            total += n as u64;
            if total > MAX_INFLATED {
                return Err(empty("it inflates to more than 200 MB (a workbook this large is not a hub's sheet)"));
            }
        }
    }
    Ok(())
}

/// The first sheet read cell by cell (calamine's streaming reader): a grid is built only for
/// the cells present, within `MAX_ROWS` × `MAX_COLUMNS` and `MAX_TEXT`.
fn read_xlsx(bytes: &[u8]) -> Result<Table> {
    check_inflated(bytes)?;
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|_| empty("it is not a readable XLSX workbook"))?;
    let sheet = book.sheet_names().first().cloned().ok_or_else(|| empty("the workbook has no sheet"))?;
    let mut reader = book.worksheet_cells_reader(&sheet).map_err(|_| empty("its first sheet cannot be read"))?;
    let mut cells: Vec<((u32, u32), String, bool)> = Vec::new();
    let mut text = 0usize;
    let (mut first_row, mut first_col) = (u32::MAX, u32::MAX);
    while let Some(cell) = reader.next_cell_with_formula().map_err(|_| empty("its first sheet cannot be read"))? {
        let (r, c) = cell.pos;
        let value = cell_text(&Data::from(cell.value));
        let formula = cell.formula.is_some_and(|f| !f.is_empty());
        if value.is_empty() && !formula {
            continue;
        }
        if r >= MAX_ROWS || c >= MAX_COLUMNS {
            return Err(empty("it has cells beyond 200,000 rows or 200 columns"));
        }
        if value.len() > MAX_CELL {
            return Err(empty("a cell holds more than 32,767 characters"));
        }
        text += value.len();
        if text > MAX_TEXT {
            return Err(empty("its cells hold more than 64 MB of text"));
        }
        (first_row, first_col) = (first_row.min(r), first_col.min(c));
        cells.push(((r, c), value, formula));
    }
    drop(reader);
    if cells.is_empty() {
        return Ok(shape(vec![], "XLSX".into(), vec![]));
    }
    let rows = cells.iter().map(|((r, _), _, _)| r - first_row).max().unwrap_or(0) as usize + 1;
    let cols = cells.iter().map(|((_, c), _, _)| c - first_col).max().unwrap_or(0) as usize + 1;
    // Only rows that hold something get their cells (blank rows stay empty and are skipped).
    let present: std::collections::HashSet<u32> = cells.iter().map(|((r, _), _, _)| *r).collect();
    if present.len() * cols > MAX_GRID {
        return Err(empty("it has more than 5,000,000 cells in its rows"));
    }
    let mut records = vec![Vec::new(); rows];
    let mut problems = Vec::new();
    for ((r, c), value, formula) in cells {
        let (r, c) = ((r - first_row) as usize, (c - first_col) as usize);
        if formula && r > 0 {
            problems.push(RowProblem::new(r as u32 + 1, Some(c), "formula"));
        }
        let row = &mut records[r];
        if row.is_empty() {
            row.resize(cols, String::new());
        }
        row[c] = value;
    }
    let mut table = shape(records, "XLSX".into(), vec![]);
    for p in &mut problems {
        p.column = p.column_index.and_then(|i| table.headers.get(i).cloned());
    }
    table.problems.extend(problems);
    Ok(table)
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => match dt.as_datetime() {
            Some(t) if t.time() == chrono::NaiveTime::MIN => t.date().format("%Y-%m-%d").to_string(),
            Some(t) => t.format("%Y-%m-%dT%H:%M:%S").to_string(),
            None => dt.to_string(),
        },
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(_) => String::new(),
    }
}

/// Header row + data rows of the header's width; blank rows dropped; odd rows reported.
fn shape(records: Vec<Vec<String>>, encoding: String, mut problems: Vec<RowProblem>) -> Table {
    let mut it = records.into_iter().enumerate().filter(|(_, r)| r.iter().any(|c| !c.is_empty()));
    let Some((_, mut headers)) = it.next() else {
        // No header row: `read` turns this into an error.
        return Table { headers: vec![], rows: vec![], row_numbers: vec![], encoding, problems };
    };
    while headers.last().is_some_and(|h| h.is_empty()) {
        headers.pop();
    }
    for (i, h) in headers.iter_mut().enumerate() {
        if h.is_empty() {
            *h = format!("column {}", i + 1);
        }
    }
    let width = headers.len();
    let (mut rows, mut row_numbers) = (Vec::new(), Vec::new());
    for (i, mut row) in it {
        let number = i as u32 + 1;
        if row.len() > width && row[width..].iter().any(|c| !c.is_empty()) {
            problems.push(RowProblem::new(number, None, "too_many_cells").skips());
        } else if row.len() < width {
            problems.push(RowProblem::new(number, None, "too_few_cells"));
        }
        row.resize(width, String::new());
        rows.push(row);
        row_numbers.push(number);
    }
    Table { headers, rows, row_numbers, encoding, problems }
}
