//! `frontline reconcile`: the report of one dataset (several files merged).

use crate::progress::Progress;
use frontline::model::TimePoint;
use frontline::output::Options;
use frontline::{Analysis, Config, Format};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Reconciles a dataset and prints the report.
///
/// Several files are merged into one dataset (a record in two files must be
/// the same in both); `-` reads standard input.
#[derive(clap::Args, Debug)]
#[command(after_help = "\
Examples:
  frontline reconcile data/latakia-2014.json
  frontline reconcile data/latakia-2014.json --as-of 2014-03-27 --format json --pretty
  frontline reconcile actors.json claims-march.json claims-april.json --format dot | dot -Tsvg > graphs.svg
  frontline reconcile data/latakia-2014.json --format html > latakia.html
  frontline reconcile data/latakia-2014.json --format geojson --at 2014-03-27 > latakia.geojson
  frontline reconcile data/latakia-2014.json --format svg --locations observatory-45,kasab > two.svg
  frontline import acled export.csv | frontline reconcile -")]
pub struct Args {
    /// The input datasets (JSON, docs/FORMAT.md section 1); `-` for standard input.
    #[arg(required = true, value_name = "FILE")]
    inputs: Vec<PathBuf>,
    /// Reconcile with only the claims reported up to this date or RFC 3339 datetime.
    #[arg(long, value_name = "DATE")]
    as_of: Option<TimePoint>,
    /// Output format: text, json, json-pretty, dot, geojson, csv, svg or html
    /// (docs/FORMAT.md, section 3).
    #[arg(long, default_value_t = Format::Text)]
    format: Format,
    /// GeoJSON: one feature per located place with its state at this date or
    /// RFC 3339 datetime (a date means 00:00 UTC), instead of one per segment.
    #[arg(long, value_name = "DATE")]
    at: Option<TimePoint>,
    /// SVG and HTML: show only these locations (ids, comma-separated).
    #[arg(long, value_name = "ID,...", value_delimiter = ',')]
    locations: Vec<String>,
    /// SVG and HTML: which page of locations to show (most volatile first).
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    page: u32,
    /// SVG and HTML: how many locations a page shows.
    #[arg(long, value_name = "N", default_value_t = 50, value_parser = clap::value_parser!(u32).range(1..))]
    per_page: u32,
    /// HTML: draw map tiles from this XYZ tile URL template ({z}, {x}, {y})
    /// under the map; the report then loads them when opened.
    #[arg(long, value_name = "URL")]
    tiles: Option<String>,
    /// Indent the JSON report for reading (it is one line otherwise).
    #[arg(long)]
    pretty: bool,
    /// No progress on stderr, even on a terminal.
    #[arg(long, short)]
    quiet: bool,
}

pub fn run(args: Args) -> ExitCode {
    let progress = Progress::new(args.quiet);
    let dataset = match crate::read::dataset(&args.inputs, &progress) {
        Ok(dataset) => dataset,
        Err(message) => {
            progress.finish();
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let format = if args.pretty { args.format.pretty() } else { args.format };
    progress.step(format!("reconciling {} claims at {} locations", dataset.claims().len(), dataset.locations().len()));
    let analysis = Analysis::new(&dataset, &Config::default(), args.as_of);
    progress.step("writing the report".to_owned());
    let mut stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let mut options = Options::default();
    options.at = args.at;
    options.locations = args.locations;
    options.page = args.page as usize;
    options.per_page = args.per_page as usize;
    options.tiles = args.tiles;
    let written = format.write_with(&analysis, &options, &mut stdout).and_then(|()| stdout.flush());
    progress.finish();
    // The process ends here: freeing the analysis and the dataset piece by
    // piece (millions of small allocations at a large input) would only
    // delay the exit, and the system takes the memory back whole.
    std::mem::forget(analysis);
    std::mem::forget(dataset);
    match written {
        Ok(()) => ExitCode::SUCCESS,
        // A closed pipe (`| head`) is not an error worth a message.
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        // A location the dataset lacks, a page past the last: a wrong
        // command line, found before anything is written.
        Err(error) if error.kind() == std::io::ErrorKind::InvalidInput => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
        Err(error) => {
            eprintln!("error: writing the report: {error}");
            ExitCode::FAILURE
        }
    }
}
