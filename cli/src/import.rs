//! `frontline import`: an ACLED or UCDP GED export as a dataset in the JSON
//! input format, on standard output.

use frontline::input::sides::Sides;
use frontline::input::{Import, ImportError};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Imports ACLED or UCDP GED CSV exports as one dataset (JSON) on stdout.
///
/// Rows that cannot be used are listed on stderr with their row number and
/// reason (up to --limit, then counted); rows of kinds of event that say
/// nothing about control are counted by kind; actors the mapping of sides
/// does not name are listed with the side they fell back to (ACLED: by
/// their inter code; UCDP: a side of their own). Exits with 2 when a file
/// cannot be read, and with --strict on the first row that cannot be used.
#[derive(clap::Args, Debug)]
#[command(after_help = "\
Examples:
  frontline import acled export.csv --sides sides.json > dataset.json
  frontline import acled 2016.csv 2017.csv --sides sides.json | frontline reconcile -
  frontline import ucdp GEDEvent_v24_1.csv --strict --pretty

The mapping of sides (--sides) is JSON:
  {\"actors\": {\"Military Forces of Syria (2000-)\": \"government\", \"Military Forces of Turkey*\": \"turkey\"},
   \"outlets\": {\"SANA\": \"government\", \"Anadolu Agency\": \"turkey\", \"Reuters\": null}}
A name ending in * is a prefix. See docs/FORMAT.md, section 1.9.")]
pub struct Args {
    /// The layout of the exports.
    #[arg(value_enum)]
    format: Layout,
    /// The CSV exports; `-` for standard input.
    #[arg(required = true, value_name = "CSV")]
    inputs: Vec<PathBuf>,
    /// The mapping of actors and outlets to sides (JSON).
    #[arg(long, value_name = "MAP")]
    sides: Option<PathBuf>,
    /// Fail on the first row that cannot be used, instead of listing it.
    #[arg(long)]
    strict: bool,
    /// Indent the JSON.
    #[arg(long)]
    pretty: bool,
    /// The most unusable rows listed on stderr (all are counted).
    #[arg(long, default_value_t = 100, value_name = "N")]
    limit: usize,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
enum Layout {
    /// ACLED's export (event_id_cnty, event_date, sub_event_type, ...).
    Acled,
    /// UCDP's Georeferenced Event Dataset (id, side_a, side_b, where_prec, ...).
    Ucdp,
}

pub fn run(args: Args) -> ExitCode {
    match import(&args) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

fn import(args: &Args) -> Result<ExitCode, String> {
    let sides = match &args.sides {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
            Sides::from_json_str(&text).map_err(|e| format!("{}: {e}", path.display()))?
        }
        None => Sides::default(),
    };
    let mut import = Import::new(&sides, args.strict);
    for path in &args.inputs {
        let name = crate::read::name(path);
        let added = if path.as_os_str() == "-" {
            add(&mut import, args.format, std::io::stdin().lock(), &name)
        } else {
            std::fs::File::open(path).map_err(|e| format!("{name}: {e}"))?;
            // Memory-mapped and read on all cores.
            match args.format {
                Layout::Acled => import.acled_file(path, &name),
                Layout::Ucdp => import.ucdp_file(path, &name),
            }
        };
        added.map_err(|error| crate::with_causes(&error))?;
    }
    let imported = import.finish();
    for row in imported.skipped.iter().take(args.limit) {
        eprintln!("skipped: {row}");
    }
    if imported.skipped.len() > args.limit {
        eprintln!("skipped: {} more rows (--limit {})", imported.skipped.len() - args.limit, args.limit);
    }
    for (kind, count) in &imported.ignored {
        eprintln!("ignored: {count} rows of {kind:?} (not about control)");
    }
    for (actor, side) in &imported.unmapped_actors {
        eprintln!("unmapped actor: {actor:?} -> side {side:?}");
    }
    eprintln!(
        "imported: {} claims at {} locations from {} sources; {} rows skipped, {} ignored",
        imported.document.claims.len(),
        imported.document.locations.len(),
        imported.document.sources.len(),
        imported.skipped.len(),
        imported.ignored.values().sum::<u64>()
    );
    let mut stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let written = if args.pretty {
        serde_json::to_writer_pretty(&mut stdout, &imported.document)
    } else {
        serde_json::to_writer(&mut stdout, &imported.document)
    };
    let written = written.map_err(std::io::Error::from).and_then(|()| writeln!(stdout)).and_then(|()| stdout.flush());
    // The process ends here: freeing a million records one string at a
    // time would only cost time.
    std::mem::forget(imported);
    match written {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        Err(error) => {
            eprintln!("error: writing the dataset: {error}");
            Ok(ExitCode::FAILURE)
        }
    }
}

fn add<R: std::io::Read>(import: &mut Import<'_>, layout: Layout, reader: R, name: &str) -> Result<(), ImportError> {
    match layout {
        Layout::Acled => import.acled(reader, name),
        Layout::Ucdp => import.ucdp(reader, name),
    }
}
