//! Reads a dataset from a file, reconciles it and prints the text report:
//! the library's pipeline in a few lines. The command line for users is the
//! binary `frontline` (`cli/`: `cargo install --path cli`, then
//! `frontline reconcile INPUT.json`).
//!
//! ```text
//! cargo run --release --example reconcile -- INPUT.json
//! ```

use frontline::{Analysis, Config, Dataset, Format};
use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(path) = std::env::args_os().nth(1) else {
        eprintln!("usage: reconcile INPUT.json");
        return ExitCode::from(2);
    };
    let dataset = match Dataset::from_json_file(&path) {
        Ok(dataset) => dataset,
        Err(error) => {
            eprintln!("error: {}: {error}", path.to_string_lossy());
            return ExitCode::from(2);
        }
    };
    let analysis = Analysis::new(&dataset, &Config::default(), None);
    print!("{}", Format::Text.render(&analysis));
    ExitCode::SUCCESS
}
