//! Reconciles a dataset of territorial-control claims and prints the report.
//!
//! ```text
//! cargo run --release --example reconcile -- INPUT.json [--as-of DATE] [--format text|json|dot]
//! ```
//!
//! Bad input: a message on stderr naming the record and the problem, exit code 2.

use clap::{Parser, ValueEnum};
use frontline::{model::TimePoint, Analysis, Config, Dataset, Format};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Reconciles conflicting reports of territorial control.
#[derive(Parser, Debug)]
#[command(version, about)]
struct Args {
    /// The input dataset (JSON, the format of DESIGN.md section 2).
    input: PathBuf,
    /// Reconcile with only the claims reported up to this date or RFC 3339 datetime.
    #[arg(long, value_name = "DATE")]
    as_of: Option<TimePoint>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    format: OutputFormat,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum OutputFormat {
    Text,
    Json,
    Dot,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let dataset = match Dataset::from_json_file(&args.input) {
        Ok(dataset) => dataset,
        Err(error) => {
            let mut message = format!("error: {}: {error}", args.input.display());
            let mut cause = std::error::Error::source(&error);
            while let Some(inner) = cause {
                message.push_str(&format!(": {inner}"));
                cause = inner.source();
            }
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let format = match args.format {
        OutputFormat::Text => Format::Text,
        OutputFormat::Json => Format::Json,
        OutputFormat::Dot => Format::Dot,
    };
    let analysis = Analysis::new(&dataset, &Config::default(), args.as_of);
    let mut stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    match analysis.write(format, &mut stdout).and_then(|()| stdout.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        // A closed pipe (`| head`) is not an error worth a message.
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: writing the report: {error}");
            ExitCode::FAILURE
        }
    }
}
