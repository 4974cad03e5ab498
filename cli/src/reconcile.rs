//! `frontline reconcile`: the report of one dataset (several files merged).

use crate::progress::Progress;
use frontline::model::TimePoint;
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
  frontline import acled export.csv | frontline reconcile -")]
pub struct Args {
    /// The input datasets (JSON, docs/FORMAT.md section 1); `-` for standard input.
    #[arg(required = true, value_name = "FILE")]
    inputs: Vec<PathBuf>,
    /// Reconcile with only the claims reported up to this date or RFC 3339 datetime.
    #[arg(long, value_name = "DATE")]
    as_of: Option<TimePoint>,
    /// Output format: text, json, json-pretty or dot (docs/FORMAT.md, section 3).
    #[arg(long, default_value_t = Format::Text)]
    format: Format,
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
    let written = format.write(&analysis, &mut stdout).and_then(|()| stdout.flush());
    progress.finish();
    match written {
        Ok(()) => ExitCode::SUCCESS,
        // A closed pipe (`| head`) is not an error worth a message.
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: writing the report: {error}");
            ExitCode::FAILURE
        }
    }
}
