//! Reconciles the embedded Latakia 2014 dataset and prints the text report.
//!
//! ```text
//! cargo run --release --example latakia [-- --format text|json|json-pretty|dot|geojson|csv|svg|html [--pretty]]
//! ```

use frontline::{Analysis, Config, Format};
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let format = match std::env::args().skip_while(|a| a != "--format").nth(1).map(|name| name.parse::<Format>()) {
        None => Format::Text,
        Some(Ok(format)) if std::env::args().any(|a| a == "--pretty") => format.pretty(),
        Some(Ok(format)) => format,
        Some(Err(error)) => {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
    };
    // Validated on every call; the crate's tests prove it valid.
    let dataset = frontline::data::latakia_2014();
    let analysis = Analysis::new(&dataset, &Config::default(), None);
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    match format.write(&analysis, &mut stdout).and_then(|()| stdout.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: writing the report: {error}");
            ExitCode::FAILURE
        }
    }
}
