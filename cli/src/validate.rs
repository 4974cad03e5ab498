//! `frontline validate`: every problem of each file, each naming its record.

use crate::progress::Progress;
use frontline::Dataset;
use std::path::PathBuf;
use std::process::ExitCode;

/// Lists every problem of each input file, each naming its record.
///
/// Prints `FILE: ok (N claims ...)` for a valid file, and one line
/// `FILE: PROBLEM` per problem otherwise (up to --limit per file). Exits
/// with 2 when any file has a problem. Each file is checked on its own.
#[derive(clap::Args, Debug)]
#[command(after_help = "\
Examples:
  frontline validate data/latakia-2014.json
  frontline validate claims-*.json --limit 20
  frontline import ucdp ged.csv | frontline validate -")]
pub struct Args {
    /// The input datasets (JSON, docs/FORMAT.md section 1); `-` for standard input.
    #[arg(required = true, value_name = "FILE")]
    inputs: Vec<PathBuf>,
    /// The most problems listed per file.
    #[arg(long, default_value_t = 100, value_name = "N")]
    limit: usize,
    /// No progress on stderr, even on a terminal.
    #[arg(long, short)]
    quiet: bool,
}

pub fn run(args: Args) -> ExitCode {
    let mut bad = false;
    for path in &args.inputs {
        let name = crate::read::name(path);
        let progress = Progress::new(args.quiet);
        progress.reading(std::fs::metadata(path).map(|m| m.len()).unwrap_or(0));
        let read = crate::read::document(path, &progress);
        progress.finish();
        let document = match read {
            Ok(document) => document,
            Err(message) => {
                println!("{message}");
                bad = true;
                continue;
            }
        };
        let problems = Dataset::problems(&document, args.limit);
        for problem in &problems {
            println!("{name}: {}", crate::with_causes(problem));
        }
        if problems.is_empty() {
            let counts = [document.actors.len(), document.sources.len(), document.locations.len()];
            println!(
                "{name}: ok ({} claims, {} actors, {} sources, {} locations)",
                document.claims.len(),
                counts[0],
                counts[1],
                counts[2]
            );
        } else {
            bad = true;
            if problems.len() == args.limit {
                println!("{name}: stopped at {} problems (--limit)", args.limit);
            }
        }
    }
    if bad {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}
