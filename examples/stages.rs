//! Times each stage of the pipeline on one input file, as the command line
//! runs them, and the floor beside them: the bare parse of the same file
//! from a memory-mapped slice into the input types and into
//! `serde_json::Value`. For BENCHMARKS.md.
//!
//! ```text
//! cargo run --release --example stages -- /tmp/sim-1000000.json
//! cargo run --release --example stages -- /tmp/sim-1000000.json --only pipeline
//! ```
//!
//! Each stage prints its wall time and the CPU time of the whole process
//! over it (so `cores` is how many cores it kept busy on average).

use clap::Parser;
use frontline::input::Document;
use frontline::reconcile::{reconcile, Config};
use frontline::{graph, Analysis, Dataset, Format};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

#[derive(Parser, Debug)]
struct Args {
    /// The input dataset.
    input: PathBuf,
    /// `floor` (the bare parses only), `pipeline` (the stages only), `read`
    /// (`Dataset::from_json_file` only) or `all`.
    #[arg(long, default_value = "all")]
    only: String,
}

/// The process's CPU time (user + system) so far, in seconds.
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else { return f64::NAN };
    // Fields after the command name (which is in parentheses): utime is the
    // 14th field of the line, stime the 15th, in clock ticks (100 a second).
    let Some(after) = stat.rsplit_once(')').map(|(_, rest)| rest) else { return f64::NAN };
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok()).unwrap_or(f64::NAN);
    (ticks(11) + ticks(12)) / 100.0
}

/// The process's resident memory now and at its peak so far, in MB, as the
/// kernel counts them (`VmRSS`, `VmHWM`: file-backed pages touched count).
fn memory_mb() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
            .map_or(f64::NAN, |kb| kb / 1000.0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

fn timed<T>(name: &str, f: impl FnOnce() -> T) -> T {
    let (wall, cpu) = (Instant::now(), cpu_seconds());
    let value = f();
    let (wall, cpu) = (wall.elapsed().as_secs_f64(), cpu_seconds() - cpu);
    let (rss, peak) = memory_mb();
    eprintln!(
        "{name:<28} {wall:7.3} s wall  {cpu:7.2} s cpu  {:4.2} cores  rss {rss:6.0} MB  peak {peak:6.0} MB",
        cpu / wall
    );
    value
}

fn main() -> ExitCode {
    let args = Args::parse();
    eprintln!(
        "sizes: Claim {} B, ClaimRecord {} B (each plus its strings on the heap)",
        std::mem::size_of::<frontline::model::Claim>(),
        std::mem::size_of::<frontline::input::ClaimRecord>()
    );
    let floor = args.only == "floor" || args.only == "all";
    let pipeline = args.only == "pipeline" || args.only == "all";
    if args.only == "read" {
        let dataset = timed("read, parse and validate", || Dataset::from_json_file(&args.input));
        return if dataset.is_ok() { ExitCode::SUCCESS } else { ExitCode::FAILURE };
    }
    if floor {
        let file = match std::fs::File::open(&args.input) {
            Ok(file) => file,
            Err(error) => {
                eprintln!("error: {}: {error}", args.input.display());
                return ExitCode::FAILURE;
            }
        };
        // SAFETY: the file is not modified while it is mapped (a benchmark's input).
        let map = match unsafe { memmap2::Mmap::map(&file) } {
            Ok(map) => map,
            Err(error) => {
                eprintln!("error: mapping {}: {error}", args.input.display());
                return ExitCode::FAILURE;
            }
        };
        // Touch every page first, so that the parses below do not pay for
        // reading the file.
        let sum = timed("floor: touch the mapped file", || map.iter().step_by(4096).map(|&b| b as u64).sum::<u64>());
        let document = timed("floor: parse to Document", || serde_json::from_slice::<Document>(&map));
        if let Ok(document) = document {
            let dataset = timed("validate (from_document)", || Dataset::from_document(document));
            drop(dataset);
        }
        let value = timed("floor: parse to Value", || serde_json::from_slice::<serde_json::Value>(&map));
        drop(value);
        eprintln!("({} bytes, checksum {sum})", map.len());
    }
    if pipeline {
        let total = (Instant::now(), cpu_seconds());
        let dataset = match timed("read, parse and validate", || Dataset::from_json_file(&args.input)) {
            Ok(dataset) => dataset,
            Err(error) => {
                eprintln!("error: {error}");
                return ExitCode::FAILURE;
            }
        };
        let config = Config::default();
        // In `Analysis::new`'s order: EM's working set is freed before the
        // graphs are built.
        let reconciliation = timed("reconcile (EM)", || reconcile(&dataset, &config));
        eprintln!("  EM iterations: {}", reconciliation.iterations());
        let graphs = timed("graphs", || graph::build_all(&dataset));
        drop((graphs, reconciliation));
        let analysis = timed("Analysis::new (both again)", || Analysis::new(&dataset, &config, None));
        let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::sink());
        let written =
            timed("write the JSON report", || Format::Json.write(&analysis, &mut out).and_then(|()| out.flush()));
        if let Err(error) = written {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
        // What a process pays at its end for freeing what it built (the
        // command line skips it: it forgets both before it exits).
        let (freeing, freeing_cpu) = (Instant::now(), cpu_seconds());
        drop(analysis);
        drop(dataset);
        let (wall, cpu) = (freeing.elapsed().as_secs_f64(), cpu_seconds() - freeing_cpu);
        eprintln!("{:<28} {wall:7.3} s wall  {cpu:7.2} s cpu  {:4.2} cores", "free the Analysis, Dataset", cpu / wall);
        let (wall, cpu) = (total.0.elapsed().as_secs_f64(), cpu_seconds() - total.1);
        eprintln!("{:<28} {wall:7.3} s wall  {cpu:7.2} s cpu  {:4.2} cores", "total (with both twice)", cpu / wall);
    }
    ExitCode::SUCCESS
}
