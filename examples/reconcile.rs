//! Reconciles a dataset of territorial-control claims and prints the report.
//!
//! ```text
//! cargo run --release --example reconcile -- INPUT.json [--as-of DATE] [--format text|json|json-pretty|dot] [--pretty] [--quiet]
//! ```
//!
//! Bad input: a message on stderr naming the record and the problem, exit
//! code 2. On a terminal, a run that takes more than a second shows its
//! progress on stderr (`--quiet` turns that off).
//!
//! The input, the outputs and this command line are described in full in
//! `docs/FORMAT.md` (`frontline::format_reference` in the API docs).

use clap::Parser;
use frontline::{model::TimePoint, Analysis, Config, Dataset, Format};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// Reconciles conflicting reports of territorial control.
#[derive(Parser, Debug)]
#[command(version, about)]
struct Args {
    /// The input dataset (JSON, in the format of docs/FORMAT.md, section 1).
    input: PathBuf,
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

/// Progress on stderr: silent for the first second, and when stderr is not
/// a terminal or `--quiet` is given.
struct Progress {
    enabled: bool,
    start: Instant,
    last: Instant,
    shown: bool,
}

impl Progress {
    fn new(enabled: bool) -> Progress {
        let now = Instant::now();
        Progress { enabled, start: now, last: now, shown: false }
    }

    /// Shows `message` if the run is past its first second, at most four
    /// times a second unless `force`.
    fn say(&mut self, message: impl FnOnce() -> String, force: bool) {
        let now = Instant::now();
        let due = force || now - self.last >= Duration::from_millis(250);
        if !self.enabled || now - self.start < Duration::from_secs(1) || !due {
            return;
        }
        self.last = now;
        self.shown = true;
        let elapsed = (now - self.start).as_secs_f64();
        eprint!("\r\x1b[2K[{elapsed:6.1} s] {}", message());
    }

    fn finish(&mut self) {
        if self.shown {
            self.say(|| "done".to_owned(), true);
            eprintln!();
        }
    }
}

fn main() -> ExitCode {
    let args = Args::parse();
    let mut progress = Progress::new(!args.quiet && std::io::stderr().is_terminal());
    let size = std::fs::metadata(&args.input).map(|m| m.len()).unwrap_or(0);
    let mb = |bytes: u64| bytes as f64 / 1e6;
    let read = Dataset::from_json_file_with_progress(&args.input, |bytes| {
        progress.say(|| format!("reading {:.0} of {:.0} MB", mb(bytes), mb(size)), false);
    });
    let dataset = match read {
        Ok(dataset) => dataset,
        Err(error) => {
            progress.finish();
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
    let format = if args.pretty { args.format.pretty() } else { args.format };
    progress.say(
        || format!("reconciling {} claims at {} locations", dataset.claims().len(), dataset.locations().len()),
        true,
    );
    let analysis = Analysis::new(&dataset, &Config::default(), args.as_of);
    progress.say(|| "writing the report".to_owned(), true);
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
