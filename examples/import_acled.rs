//! Imports ACLED CSV exports into memory with the library (no JSON written)
//! and prints what they became and how long the import took: the import
//! alone, for the benchmark in `BENCHMARKS.md` against `pandas.read_csv`,
//! in wall time and in CPU time (all threads, user and system, from the
//! start of the process), as `pandas.read_csv` is timed inside Python.
//! The command for users is `frontline import acled` (`cli/`).
//!
//! ```text
//! cargo run --release --example import_acled -- EXPORT.csv [SIDES.json]
//! ```

use frontline::input::{sides::Sides, Import};
use std::process::ExitCode;
use std::time::Instant;

/// The CPU time of this process so far, user and system, all threads
/// (Linux's `/proc/self/stat`, in its fixed 100 ticks a second); `None`
/// elsewhere.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The fields after the command's name, which is in parentheses: the
    // 14th and 15th of the line are the user and system ticks.
    let mut fields = stat.get(stat.rfind(')')? + 2..)?.split(' ').skip(11);
    let user: f64 = fields.next()?.parse().ok()?;
    let system: f64 = fields.next()?.parse().ok()?;
    Some((user + system) / 100.0)
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: import_acled EXPORT.csv [SIDES.json]");
        return ExitCode::from(2);
    };
    let sides = match args.next().map(|p| std::fs::read_to_string(&p).map(|text| (p, text))) {
        None => Sides::default(),
        Some(Err(error)) => {
            eprintln!("error: the mapping of sides: {error}");
            return ExitCode::from(2);
        }
        Some(Ok((p, text))) => match Sides::from_json_str(&text) {
            Ok(sides) => sides,
            Err(error) => {
                eprintln!("error: {p}: {error}");
                return ExitCode::from(2);
            }
        },
    };
    let start = Instant::now();
    let mut import = Import::new(&sides, false);
    // Memory-mapped and read on all cores.
    if let Err(error) = import.acled_file(&path, &path) {
        eprintln!("error: {error}");
        return ExitCode::from(2);
    }
    let imported = import.finish();
    let seconds = start.elapsed().as_secs_f64();
    let cpu = cpu_seconds().map_or_else(String::new, |cpu| format!(", {cpu:.2} s of CPU"));
    let document = &imported.document;
    println!(
        "{} claims, {} locations, {} sources, {} actors; {} rows skipped, {} ignored; imported in {seconds:.2} s{cpu}",
        document.claims.len(),
        document.locations.len(),
        document.sources.len(),
        document.actors.len(),
        imported.skipped.len(),
        imported.ignored.values().sum::<u64>()
    );
    // Freeing a million records one string at a time is not the import.
    std::mem::forget(imported);
    ExitCode::SUCCESS
}
