//! The command line's arguments (clap): every command, its options and their parsers.

use std::path::PathBuf;

use aidmap::vocab::{AuditAction, NeedStatus};
use clap::{Parser, Subcommand, ValueEnum};

#[derive(Parser)]
#[command(name = "aidmap", version, about = "Aidmap: offline coordination of disaster-response mutual aid")]
pub(crate) struct Cli {
    /// A file whose first line is the operation's passphrase (or set AIDMAP_PASSPHRASE).
    #[arg(long, global = true)]
    pub passphrase_file: Option<PathBuf>,
    /// The operator name the audit log records for changes (or set AIDMAP_OPERATOR).
    #[arg(long, global = true, env = "AIDMAP_OPERATOR", default_value = "command line")]
    pub operator: String,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub(crate) enum Command {
    /// Write a demo operation: households on real Monaco addresses, fictional people.
    Demo {
        out: PathBuf,
        #[arg(long, default_value_t = 300)]
        households: u32,
        #[arg(long, default_value_t = 7)]
        seed: u64,
        /// The demo's "today" (YYYY-MM-DD); default: today.
        #[arg(long)]
        date: Option<chrono::NaiveDate>,
    },
    /// Create a new, empty operation.
    New {
        file: PathBuf,
        #[arg(long)]
        name: String,
    },
    /// Changes between replicas of one operation (laptops and hubs working together).
    Sync {
        #[command(subcommand)]
        action: SyncAction,
    },
    /// Households of an operation.
    Households {
        #[command(subcommand)]
        action: HouseholdsAction,
    },
    /// Supply sites of an operation, with their stock (JSON: per item).
    Sites {
        #[command(subcommand)]
        action: ListAction,
    },
    /// Volunteers of an operation, with their vehicles and shifts.
    Volunteers {
        #[command(subcommand)]
        action: ListAction,
    },
    /// Needs of an operation.
    Needs {
        #[command(subcommand)]
        action: NeedsAction,
    },
    /// The item catalogue (with contents, medical mark, category defaults).
    Items {
        #[command(subcommand)]
        action: ListAction,
    },
    /// Write a consistent, verified copy of an operation (encrypted like the original).
    Backup {
        #[arg(long)]
        db: PathBuf,
        #[arg(long)]
        out: PathBuf,
    },
    /// Check a backup and write it as a new operation file (never over an existing one).
    Restore {
        file: PathBuf,
        #[arg(long)]
        out: PathBuf,
    },
    /// Show the audit log, newest first.
    Audit {
        #[arg(long)]
        db: PathBuf,
        /// One JSON array instead of text lines.
        #[arg(long)]
        json: bool,
        /// create, update, delete, merge, import, export, backup, restore, sync, purge, rekey, encrypt, settings
        #[arg(long, value_parser = parse_action)]
        action: Option<AuditAction>,
        /// Only entries by this operator.
        #[arg(long = "by")]
        by: Option<String>,
        /// Only entries naming this record id.
        #[arg(long)]
        record: Option<String>,
        /// From this day (YYYY-MM-DD, UTC).
        #[arg(long)]
        since: Option<chrono::NaiveDate>,
        /// Up to this day (YYYY-MM-DD, UTC).
        #[arg(long)]
        until: Option<chrono::NaiveDate>,
        #[arg(long, default_value_t = 1000)]
        limit: u32,
    },
    /// Region packs: road routing and address search built from an OSM extract.
    Region {
        #[command(subcommand)]
        action: RegionAction,
    },
    /// Driving times and distances on a region pack.
    Route {
        #[command(subcommand)]
        action: RouteAction,
    },
    /// Find addresses, streets and places in a region pack.
    Geocode {
        #[arg(long)]
        region: PathBuf,
        query: String,
        #[arg(long, default_value_t = 10)]
        limit: usize,
    },
    /// Import households, sites with stock, or volunteers with vehicles and shifts from a CSV or
    /// XLSX file, in one transaction; prints the report (row by row problems).
    Import {
        #[arg(value_enum)]
        kind: ImportKindArg,
        file: PathBuf,
        #[arg(long)]
        db: PathBuf,
        /// JSON `{"columns": {"Header": "field"}, "separator": ";", "date_order": "dmy"}`;
        /// default: suggested from the headers.
        #[arg(long)]
        mapping: Option<PathBuf>,
        /// Region pack for the address search (default: the one beside the operation).
        #[arg(long)]
        region: Option<PathBuf>,
        /// Rows whose own coordinates the region pack doubts: `address` (use where the address
        /// was found), `coordinates` (keep them) or `place` (wait to be placed by hand).
        /// Default: the address when found, else place.
        #[arg(long, value_parser = ["address", "coordinates", "place"])]
        coordinates: Option<String>,
        #[arg(long)]
        dry_run: bool,
        #[arg(long)]
        json: bool,
    },
    /// Export households, sites with their stock, or volunteers to a CSV or GeoJSON file (personal
    /// fields only when named in --columns; volunteers' by default); or drivers' route sheets
    /// (GPX, phone-friendly HTML or CSV, one file per run in the --out folder). Recorded in the
    /// audit log.
    Export {
        #[arg(value_enum)]
        kind: ExportKindArg,
        #[arg(long)]
        db: PathBuf,
        #[arg(long, value_enum)]
        format: ExportFormatArg,
        /// Column keys, comma-separated, in order (default: the non-personal columns; for volunteers,
        /// their contact details too).
        #[arg(long, value_delimiter = ',')]
        columns: Vec<String>,
        #[arg(long)]
        out: PathBuf,
        /// Sheets: one run (its id, from `plans list --json` or the board).
        #[arg(long, conflicts_with = "date")]
        run: Option<String>,
        /// Sheets: every run of the date's dispatched plan (else its draft), YYYY-MM-DD.
        #[arg(long)]
        date: Option<chrono::NaiveDate>,
        /// Sheets as PDF: paper size, a4 or letter.
        #[arg(long, default_value = "a4", value_parser = ["a4", "letter"])]
        paper: String,
        /// Sheets as PDF: also one file with every run (a page break between runs).
        #[arg(long)]
        combined: bool,
        /// Sheets: the language of their fixed words, en, es or fr (default: the operation's choice).
        #[arg(long, value_parser = ["en", "es", "fr"])]
        language: Option<String>,
    },
    /// Likely duplicate households (same phone, same address or within 30 m, similar names).
    Duplicates {
        #[arg(long)]
        db: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Plan routes for a routing instance file (VRPLIB .vrp, Solomon .txt or mutual-aid-vrp/1
    /// JSON): the solution JSON goes to --out (or stdout), a summary line to stderr.
    Solve {
        instance: PathBuf,
        /// Time limit in seconds (fractions allowed).
        #[arg(long, value_parser = parse_seconds)]
        seconds: f64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Also stop after this many iterations (exact, repeatable runs).
        #[arg(long)]
        iterations: Option<u64>,
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Plan the supply runs of a date: that day's driver shifts against the open needs, saved as
    /// the day's draft plan (replacing an earlier draft); prints a summary (JSON: the whole plan).
    Plan {
        #[arg(long)]
        db: PathBuf,
        /// The day, YYYY-MM-DD (this computer's local time).
        #[arg(long)]
        date: chrono::NaiveDate,
        /// Search time, 1–600 seconds.
        #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=600))]
        seconds: u32,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Stop after this many search iterations instead (repeatable results).
        #[arg(long)]
        iterations: Option<u64>,
        #[arg(long)]
        json: bool,
    },
    /// The coordinator's figures of a date (deliveries, open needs, areas, stock cover,
    /// volunteers) as the Dashboard shows them: JSON, CSV, or the situation report PDF (counts
    /// only, no personal data).
    Report {
        #[arg(long)]
        db: PathBuf,
        /// The day, YYYY-MM-DD (this computer's local time; default today).
        #[arg(long)]
        date: Option<chrono::NaiveDate>,
        /// json, csv or pdf.
        #[arg(long, default_value = "json", value_parser = ["json", "csv", "pdf"])]
        format: String,
        /// The file to write (default: print JSON or CSV; a PDF needs a file).
        #[arg(long)]
        out: Option<PathBuf>,
        /// The PDF's language: en, es or fr.
        #[arg(long, default_value = "en", value_parser = ["en", "es", "fr"])]
        language: String,
    },
    /// Saved supply-run plans.
    Plans {
        #[command(subcommand)]
        action: PlansAction,
    },
    /// Routing instances: generate mutual-aid benchmark instances, check solutions.
    Vrp {
        #[command(subcommand)]
        action: VrpAction,
    },
    /// Remove personal data past the operation's retention settings (set in the app).
    Purge {
        #[arg(long)]
        db: PathBuf,
        /// Only say what would be purged.
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Subcommand)]
pub(crate) enum PlansAction {
    /// Every saved plan, newest day first: day, status, runs, stops, needs served and unserved.
    List {
        #[arg(long)]
        db: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// A plan as the board shows it, with every stop's loads (the day's dispatched plan, else
    /// its draft, with --date).
    Show {
        #[arg(long)]
        db: PathBuf,
        #[arg(long, conflicts_with = "date")]
        plan: Option<String>,
        #[arg(long)]
        date: Option<chrono::NaiveDate>,
        #[arg(long)]
        json: bool,
    },
    /// Dispatch a draft: its stored loads are issued from the depots, its needs assigned.
    Dispatch {
        #[arg(long)]
        db: PathBuf,
        #[arg(long)]
        plan: String,
    },
    /// Record what happened at a stop of a dispatched plan.
    Outcome {
        #[arg(long)]
        db: PathBuf,
        #[arg(long)]
        plan: String,
        /// The stop: its number in the plan (runs in order, 1-based) or its id.
        #[arg(long)]
        stop: String,
        #[arg(long, value_parser = ["delivered", "partly", "nobody_home", "refused", "unsafe", "clear"])]
        outcome: String,
        /// What was handed over of an item (partly), ITEM=QTY with the item's name or id; repeatable.
        #[arg(long)]
        delivered: Vec<String>,
    },
}

#[derive(Subcommand)]
pub(crate) enum HouseholdsAction {
    List {
        #[arg(long)]
        db: PathBuf,
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
        /// Only the households the app's list finds for this text (name, phone or address).
        #[arg(long)]
        search: Option<String>,
    },
    /// Change fields of one household: FIELD=VALUE, with FIELD one of name, address, notes,
    /// access_notes, adults, children, seniors, status (active|closed), phones (comma-separated).
    Set {
        #[arg(long)]
        db: PathBuf,
        #[arg(long)]
        id: String,
        #[arg(required = true)]
        fields: Vec<String>,
    },
    /// Merge two records of one household, as the duplicates dialog does (audited, undoable in
    /// the app): the kept one takes the --take fields of the other, the other's needs move over
    /// and identical open needs become one.
    Merge {
        #[arg(long)]
        db: PathBuf,
        #[arg(long)]
        keep: String,
        #[arg(long)]
        merge: String,
        /// Fields to take from the merged record, comma-separated (name, address, all_phones…).
        #[arg(long, value_delimiter = ',')]
        take: Vec<String>,
    },
}

#[derive(Subcommand)]
pub(crate) enum SyncAction {
    /// Write into a folder (a USB stick, a shared or Syncthing folder) every change it lacks.
    Export {
        #[arg(long)]
        db: PathBuf,
        #[arg(long)]
        to: PathBuf,
    },
    /// Apply the changes a folder holds that the operation lacks.
    Import {
        #[arg(long)]
        db: PathBuf,
        #[arg(long)]
        from: PathBuf,
        /// Accept replicas never seen before (otherwise their changes are held).
        #[arg(long)]
        accept_new_peers: bool,
        #[arg(long)]
        json: bool,
    },
    /// This replica, its peers, pending changes and conflicts waiting for review.
    Status {
        #[arg(long)]
        db: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Accept a held replica (compare its key's fingerprint with the one its laptop shows).
    Accept {
        #[arg(long)]
        db: PathBuf,
        #[arg(long)]
        peer: String,
    },
}

#[derive(Subcommand)]
pub(crate) enum ListAction {
    List {
        #[arg(long)]
        db: PathBuf,
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
    },
}

#[derive(Subcommand)]
pub(crate) enum NeedsAction {
    /// Add an open need for a catalogue item to a household.
    Add {
        #[arg(long)]
        db: PathBuf,
        #[arg(long)]
        household: String,
        /// The item's name or id.
        #[arg(long)]
        item: String,
        #[arg(long)]
        quantity: f64,
        /// The item's unit (default) or its contents unit ("L" for 1.5 L bottles).
        #[arg(long)]
        unit: Option<String>,
        /// critical, high, normal or low
        #[arg(long, default_value = "normal", value_parser = ["critical", "high", "normal", "low"])]
        urgency: String,
        #[arg(long)]
        wanted_by: Option<chrono::NaiveDate>,
        #[arg(long, default_value = "")]
        notes: String,
    },
    List {
        #[arg(long)]
        db: PathBuf,
        /// open, assigned, delivered, cancelled or failed
        #[arg(long, value_parser = parse_status)]
        status: Option<NeedStatus>,
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
    },
}

#[derive(Subcommand)]
pub(crate) enum RegionAction {
    /// Build a region pack from an OSM extract (.osm.pbf); progress goes to stderr.
    Build {
        extract: PathBuf,
        #[arg(long)]
        out: PathBuf,
    },
    /// Bounds, counts, build date and source of a region pack.
    Info { region: PathBuf },
    /// Use a Protomaps .pmtiles extract as the pack's basemap (a basemap-only pack is made if
    /// REGION does not exist yet). Writes a new file and swaps it in.
    Basemap { region: PathBuf, pmtiles: PathBuf },
}

#[derive(Subcommand)]
pub(crate) enum VrpAction {
    /// Write a seeded mutual-aid-vrp/1 instance (the benchmark's held-out recipe).
    Generate {
        #[arg(long)]
        stops: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long)]
        out: PathBuf,
    },
    /// Check a solution (JSON or VRPLIB .sol) against an instance: cost, feasibility, violations.
    Check {
        instance: PathBuf,
        solution: PathBuf,
        /// The whole evaluation as JSON, with every route's schedule.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub(crate) enum ImportKindArg {
    Households,
    Sites,
    Volunteers,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub(crate) enum ExportKindArg {
    Households,
    Sites,
    Volunteers,
    /// Drivers' route sheets of a saved plan's runs (--run or --date; --out is a folder).
    Sheets,
    /// The depots' packing list of a date's plan (--date; csv or pdf; --out is a folder).
    Packing,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ExportFormatArg {
    Csv,
    Geojson,
    Gpx,
    Html,
    Pdf,
}

#[derive(Subcommand)]
pub(crate) enum RouteAction {
    /// A duration/distance table between the points of a CSV file (id,lat,lon).
    Matrix {
        /// Without one, distances are straight-line estimates (× 1.3, at 25 km/h), said so on stderr.
        #[arg(long)]
        region: Option<PathBuf>,
        #[arg(long)]
        points: PathBuf,
        /// Road closures (LineString / Polygon GeoJSON) to avoid.
        #[arg(long)]
        closures: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum Format {
    Json,
    Csv,
}

pub(crate) fn parse_status(s: &str) -> Result<NeedStatus, String> {
    NeedStatus::parse(s).ok_or_else(|| {
        let all: Vec<_> = NeedStatus::ALL.iter().map(|s| s.key()).collect();
        format!("unknown status {s:?} (expected one of: {})", all.join(", "))
    })
}

pub(crate) fn parse_seconds(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v.is_finite() && v > 0.0 && v < 1e9 => Ok(v),
        _ => Err(format!("{s:?} is not a positive number of seconds")),
    }
}

pub(crate) fn parse_action(s: &str) -> Result<AuditAction, String> {
    AuditAction::parse(s).ok_or_else(|| {
        let all: Vec<_> = AuditAction::ALL.iter().map(|s| s.key()).collect();
        format!("unknown action {s:?} (expected one of: {})", all.join(", "))
    })
}
