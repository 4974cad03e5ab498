//! `frontline`, the command line of the `frontline` library: reconcile
//! datasets, validate them, and import ACLED and UCDP GED exports.
//!
//! ```text
//! cargo install --path cli
//! frontline reconcile data/latakia-2014.json
//! frontline import acled export.csv --sides sides.json | frontline reconcile -
//! ```
//!
//! The commands, their arguments and exit codes are described in
//! `docs/FORMAT.md`, section 4 (`frontline::format_reference`).

mod import;
mod progress;
mod read;
mod reconcile;
mod validate;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Reconciles conflicting reports of territorial control.
#[derive(Parser, Debug)]
#[command(name = "frontline", version, about, after_help = EXAMPLES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

const EXAMPLES: &str = "\
Examples:
  frontline reconcile data/latakia-2014.json
  frontline validate claims.json more-claims.json
  frontline import acled export.csv --sides sides.json | frontline reconcile -";

#[derive(Subcommand, Debug)]
enum Command {
    Reconcile(reconcile::Args),
    Validate(validate::Args),
    Import(import::Args),
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Reconcile(args) => reconcile::run(args),
        Command::Validate(args) => validate::run(args),
        Command::Import(args) => import::run(args),
    }
}

/// An error and its causes on one line, as `error: ...` prints it.
fn with_causes(error: &dyn std::error::Error) -> String {
    let mut message = error.to_string();
    let mut cause = error.source();
    while let Some(inner) = cause {
        message.push_str(&format!(": {inner}"));
        cause = inner.source();
    }
    message
}
