//! Writes a simulated dataset (and optionally its ground truth) in the input
//! format, for benchmarks and experiments.
//!
//! ```text
//! cargo run --release --example generate -- --claims 1000000 > big.json
//! cargo run --release --example generate -- --claims 10000 --truth truth.json > small.json
//! ```

use clap::Parser;
use frontline::sim::{simulate, Scenario};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(about = "Writes a simulated dataset of about N claims to stdout")]
struct Args {
    /// About how many claims (many locations over 120 days, 300 sources).
    #[arg(long, default_value_t = 10_000)]
    claims: usize,
    /// The simulator's seed.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Also write the true state of every location on every day here.
    #[arg(long)]
    truth: Option<PathBuf>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let sim = simulate(&Scenario::sized(args.claims), args.seed);
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    let written =
        serde_json::to_writer(&mut stdout, &sim.document).map_err(std::io::Error::other).and_then(|()| stdout.flush());
    if let Err(error) = written {
        eprintln!("error: writing the dataset: {error}");
        return ExitCode::FAILURE;
    }
    if let Some(path) = args.truth {
        let truth = serde_json::to_string(&sim.truth)
            .map_err(std::io::Error::other)
            .and_then(|text| std::fs::write(&path, text));
        if let Err(error) = truth {
            eprintln!("error: {}: {error}", path.display());
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
