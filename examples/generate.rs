//! Writes a simulated dataset (and optionally its ground truth) in the input
//! format, or as an ACLED-layout CSV export, for benchmarks and experiments.
//!
//! ```text
//! cargo run --release --example generate -- --claims 1000000 > big.json
//! cargo run --release --example generate -- --claims 10000 --truth truth.json > small.json
//! cargo run --release --example generate -- --claims 1000000 --acled-sides sides.json > acled.csv
//! ```

use clap::Parser;
use frontline::input::{AssertsRecord, Document, WhenRecord};
use frontline::sim::{simulate, Scenario};
use std::collections::BTreeMap;
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
    /// Write the claims as an ACLED export (CSV, one row per claim, every
    /// column of ACLED's layout) instead of JSON, and the mapping of sides
    /// for `frontline import acled --sides` here.
    #[arg(long, value_name = "SIDES")]
    acled_sides: Option<PathBuf>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let sim = simulate(&Scenario::sized(args.claims), args.seed);
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    let written = match &args.acled_sides {
        None => serde_json::to_writer(&mut stdout, &sim.document).map_err(std::io::Error::other),
        Some(sides) => write_acled(&sim.document, &mut stdout, sides),
    };
    if let Err(error) = written.and_then(|()| stdout.flush()) {
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

/// ACLED's columns, in the order of its 2023 layout.
const COLUMNS: [&str; 31] = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
];

/// One row per claim: a capture, a hold or a contested place as the
/// sub-event the importer maps to it; withdrawals and denials as air
/// strikes (rows the importer counts and ignores). Dates alternate between
/// ACLED's two forms; a window longer than a day is its first day.
fn write_acled(document: &Document, out: &mut impl Write, sides_path: &PathBuf) -> std::io::Result<()> {
    let side_of = |actor: &str| -> String {
        let mut id = actor;
        while let Some(parent) = document.actors.iter().find(|a| a.id == id).and_then(|a| a.parent.as_deref()) {
            id = parent;
        }
        id.to_owned()
    };
    let actors: BTreeMap<&str, String> = document.actors.iter().map(|a| (a.id.as_str(), side_of(&a.id))).collect();
    let outlets: BTreeMap<&str, Option<String>> =
        document.sources.iter().map(|s| (s.id.as_str(), s.affiliation.as_deref().map(&side_of))).collect();
    let sides = serde_json::json!({"actors": actors, "outlets": outlets});
    std::fs::write(sides_path, serde_json::to_string_pretty(&sides).map_err(std::io::Error::other)?)?;

    let any_actor = document.actors.first().map_or("", |a| a.id.as_str());
    let places: std::collections::HashMap<&str, usize> =
        document.locations.iter().enumerate().map(|(i, l)| (l.id.as_str(), i)).collect();
    let mut csv = csv::Writer::from_writer(out);
    csv.write_record(COLUMNS)?;
    for (n, claim) in document.claims.iter().enumerate() {
        let (event_type, sub_event, actor) = match &claim.asserts {
            AssertsRecord::Captured(actor) if n % 2 == 0 => {
                ("Battles", "Non-state actor overtakes territory", actor.as_str())
            }
            AssertsRecord::Captured(actor) => ("Battles", "Government regains territory", actor.as_str()),
            AssertsRecord::Holds(actor) => {
                ("Strategic developments", "Headquarters or base established", actor.as_str())
            }
            AssertsRecord::Contested => ("Battles", "Armed clash", any_actor),
            _ => ("Explosions/Remote violence", "Air/drone strike", any_actor),
        };
        let day = match &claim.when {
            WhenRecord::At(at) => at.get(..10).unwrap_or(at),
            WhenRecord::Range(range) => range.from.get(..10).unwrap_or(&range.from),
        };
        let date = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").map_err(std::io::Error::other)?;
        let event_date =
            if n % 2 == 0 { date.format("%Y-%m-%d").to_string() } else { date.format("%d %B %Y").to_string() };
        let timestamp = date.and_hms_opt(12, 0, 0).map_or(0, |t| t.and_utc().timestamp()) + 86_400;
        // Admin areas and coordinates are the location's own.
        let location = places.get(claim.location.as_str()).copied().unwrap_or(0);
        let latitude = format!("{:.4}", 32.0 + (location % 613) as f64 / 100.0);
        let longitude = format!("{:.4}", 36.0 + (location % 421) as f64 / 100.0);
        let notes = format!(
            "On {event_date}, {actor} was reported at {} ({sub_event}); {} reported it, citing local sources.",
            claim.location, claim.source
        );
        let row: [&str; 31] = [
            &format!("SIM{n}"),
            &event_date,
            &date.format("%Y").to_string(),
            "1",
            "Political violence",
            event_type,
            sub_event,
            actor,
            "",
            "2",
            "",
            "",
            "",
            "20",
            "",
            "760",
            "Middle East",
            "Syria",
            &format!("Region {}", location % 14),
            &format!("District {}", location % 61),
            &format!("Subdistrict {location}"),
            &claim.location,
            &latitude,
            &longitude,
            "1",
            &claim.source,
            "Local partner-National",
            &notes,
            "0",
            "",
            &timestamp.to_string(),
        ];
        csv.write_record(row)?;
    }
    csv.flush()
}
