//! The `aidmap` command line: a thin shell over the core, for scripts, tests and support.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use aidmap::demo::{self, DemoOptions};
use aidmap::household::Household;
use aidmap::need::Need;
use aidmap::vocab::NeedStatus;
use aidmap::{csv_safe, ids, Error, Store};
use clap::{Parser, Subcommand, ValueEnum};

#[derive(Parser)]
#[command(name = "aidmap", version, about = "Aidmap: offline coordination of disaster-response mutual aid")]
struct Cli {
    /// A file whose first line is the operation's passphrase (or set AIDMAP_PASSPHRASE).
    #[arg(long, global = true)]
    passphrase_file: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
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
    /// Households of an operation.
    Households {
        #[command(subcommand)]
        action: ListAction,
    },
    /// Needs of an operation.
    Needs {
        #[command(subcommand)]
        action: NeedsAction,
    },
}

#[derive(Subcommand)]
enum ListAction {
    List {
        #[arg(long)]
        db: PathBuf,
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
    },
}

#[derive(Subcommand)]
enum NeedsAction {
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

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Json,
    Csv,
}

fn parse_status(s: &str) -> Result<NeedStatus, String> {
    NeedStatus::parse(s).ok_or_else(|| {
        let all: Vec<_> = NeedStatus::ALL.iter().map(|s| s.key()).collect();
        format!("unknown status {s:?} (expected one of: {})", all.join(", "))
    })
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // Usage errors are one line on stderr like every other error; help and version print as usual.
        Err(e) if e.use_stderr() && e.kind() != clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            eprintln!("aidmap: {}", one_line(&e));
            return ExitCode::from(2);
        }
        Err(e) => e.exit(),
    };
    let passphrase = match passphrase(cli.passphrase_file.as_deref()) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("aidmap: {e}");
            return ExitCode::FAILURE;
        }
    };
    match run(cli.command, passphrase.as_deref()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("aidmap: {e}");
            ExitCode::FAILURE
        }
    }
}

/// A clap error's message without the usage and "try --help" hints that follow it.
fn one_line(e: &clap::Error) -> String {
    let text = e.to_string();
    let message: Vec<&str> = text.lines().map(str::trim).take_while(|l| !l.is_empty()).collect();
    message.join(" ").trim_start_matches("error: ").to_string()
}

fn installation() -> Result<String, Error> {
    Ok(ids::installation_id(&ids::cli_config_dir())?)
}

/// The passphrase from `--passphrase-file` (first line) or `AIDMAP_PASSPHRASE`, if any.
fn passphrase(file: Option<&Path>) -> Result<Option<String>, String> {
    if let Some(file) = file {
        let text = std::fs::read_to_string(file).map_err(|e| format!("cannot read the passphrase file: {e}"))?;
        return Ok(Some(text.lines().next().unwrap_or("").to_string()));
    }
    Ok(std::env::var("AIDMAP_PASSPHRASE").ok())
}

fn open(db: &Path, passphrase: Option<&str>) -> Result<Store, Error> {
    Store::unlock(db, &installation()?, aidmap::OpenMode::ReadOnly, passphrase)
}

fn run(command: Command, passphrase: Option<&str>) -> Result<(), Error> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match command {
        Command::Demo { out: path, households, seed, date } => {
            let date = date.unwrap_or_else(|| chrono::Local::now().date_naive());
            let started = std::time::Instant::now();
            let store = demo::write(&path, &DemoOptions { households, seed, date }, &installation()?)?;
            let info = store.info()?;
            writeln!(
                out,
                "wrote {} ({} active households, {} open needs) in {:.1} s",
                path.display(),
                info.households,
                info.open_needs,
                started.elapsed().as_secs_f64()
            )?;
        }
        Command::New { file, name } => {
            let store = Store::create_encrypted(&file, &name, &installation()?, passphrase)?;
            let how = if store.encrypted() { "encrypted" } else { "not encrypted: no passphrase given" };
            writeln!(out, "created {} ({how})", file.display())?;
        }
        Command::Households { action: ListAction::List { db, format } } => {
            let households = open(&db, passphrase)?.households()?;
            match format {
                Format::Json => write_json(&mut out, &households)?,
                Format::Csv => households_csv(&mut out, &households)?,
            }
        }
        Command::Needs { action: NeedsAction::List { db, status, format } } => {
            let needs = open(&db, passphrase)?.needs(status)?;
            match format {
                Format::Json => write_json(&mut out, &needs)?,
                Format::Csv => needs_csv(&mut out, &needs)?,
            }
        }
    }
    Ok(())
}

fn write_json<T: serde::Serialize>(out: &mut impl Write, rows: &[T]) -> Result<(), Error> {
    serde_json::to_writer_pretty(&mut *out, rows).map_err(|e| Error::Internal(e.to_string()))?;
    writeln!(out)?;
    Ok(())
}

fn csv_error(e: csv::Error) -> Error {
    Error::Io(std::io::Error::other(e))
}

fn write_csv<const N: usize>(
    out: &mut impl Write,
    header: [&str; N],
    rows: impl Iterator<Item = [String; N]>,
) -> Result<(), Error> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(header).map_err(csv_error)?;
    for row in rows {
        w.write_record(row.iter().map(|c| csv_safe::cell(c))).map_err(csv_error)?;
    }
    w.flush()?;
    Ok(())
}

fn households_csv(out: &mut impl Write, rows: &[Household]) -> Result<(), Error> {
    let header = [
        "id",
        "name",
        "phones",
        "address",
        "lat",
        "lon",
        "location_source",
        "adults",
        "children",
        "seniors",
        "vulnerabilities",
        "languages",
        "access_notes",
        "consent_status",
        "consent_date",
        "consent_scope",
        "status",
        "notes",
        "created_at",
        "updated_at",
        "updated_by",
    ];
    write_csv(
        out,
        header,
        rows.iter().map(|h| {
            [
                h.id.clone(),
                h.name.clone(),
                h.phones.iter().map(|p| p.original.as_str()).collect::<Vec<_>>().join("; "),
                h.address.clone(),
                h.lat.to_string(),
                h.lon.to_string(),
                h.location_source.key().into(),
                h.adults.to_string(),
                h.children.to_string(),
                h.seniors.to_string(),
                h.vulnerabilities.iter().map(|v| v.key()).collect::<Vec<_>>().join("; "),
                h.languages.join("; "),
                h.access_notes.clone(),
                h.consent.status.key().into(),
                h.consent.date.clone().unwrap_or_default(),
                h.consent.scope.clone(),
                h.status.key().into(),
                h.notes.clone(),
                h.created_at.clone(),
                h.updated_at.clone(),
                h.updated_by.clone(),
            ]
        }),
    )
}

fn needs_csv(out: &mut impl Write, rows: &[Need]) -> Result<(), Error> {
    let header = [
        "id",
        "household_id",
        "category",
        "quantity",
        "unit",
        "urgency",
        "requested_at",
        "wanted_by",
        "status",
        "notes",
        "created_at",
        "updated_at",
        "updated_by",
    ];
    write_csv(
        out,
        header,
        rows.iter().map(|n| {
            [
                n.id.clone(),
                n.household_id.clone(),
                n.category.key().into(),
                n.quantity.to_string(),
                n.unit.clone(),
                n.urgency.key().into(),
                n.requested_at.clone(),
                n.wanted_by.clone().unwrap_or_default(),
                n.status.key().into(),
                n.notes.clone(),
                n.created_at.clone(),
                n.updated_at.clone(),
                n.updated_by.clone(),
            ]
        }),
    )
}
