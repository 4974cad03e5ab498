//! Measures the reconciliation against the simulator's ground truth.
//!
//! ```text
//! cargo run --release --example evaluate -- [--seeds 5] [--write DIR]
//! ```
//!
//! For the default scenario (partisan sources with self-serving bias,
//! copying, denials), an unbiased one and a hostile one (see
//! `frontline::sim::Scenario`), over several seeds, it reports the
//! share of (location, day) pairs whose state at noon each method gets
//! right, from each location's first claim on:
//!
//! * `reconciled`: the state of the reconciled timeline's segment at noon;
//! * `majority`: majority vote of the claims whose window covers that noon
//!   (carried forward when none does; ties keep the previous answer);
//! * `latest`: the state asserted by the most recently reported claim about
//!   a time up to that noon.

use clap::Parser;
use frontline::model::{Assertion, ClaimId};
use frontline::reconcile::{reconcile, Config, ControlState};
use frontline::sim::{simulate, Scenario, Simulation, TrueState};
use frontline::Dataset;
use std::collections::BTreeMap;
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(about = "Accuracy of the reconciliation against simulated ground truth")]
struct Args {
    /// Seeds 1..=N per scenario.
    #[arg(long, default_value_t = 5)]
    seeds: u64,
    /// Write the first seed's dataset and truth of each scenario to this directory.
    #[arg(long)]
    write: Option<PathBuf>,
}

#[derive(Default, Clone, Copy)]
struct Score {
    right: [usize; 3],
    total: usize,
}

fn side_index(dataset: &Dataset, side: frontline::model::ActorId) -> Option<usize> {
    dataset.actor(side).id().strip_prefix("side-")?.parse().ok()
}

fn evaluate(sim: &Simulation, config: &Config) -> Result<Score, Box<dyn std::error::Error>> {
    let dataset = Dataset::from_document(sim.document.clone())?;
    let result = reconcile(&dataset, config);
    let mut score = Score::default();
    let said = |claim: ClaimId| -> Option<TrueState> {
        let c = dataset.claim(claim);
        match c.asserts() {
            Assertion::Holds(a) | Assertion::Captured(a) => {
                side_index(&dataset, dataset.side_of(a)).map(TrueState::Held)
            }
            Assertion::Contested => Some(TrueState::Contested),
            _ => None,
        }
    };
    for (l, location) in dataset.location_ids().enumerate() {
        let claims = dataset.claims_at(location);
        let Some(&first) = claims.first() else { continue };
        let first_day = (dataset.claim(first).window().start().date_naive() - sim.start).num_days().max(0) as usize;
        let timeline = result.timeline(location);
        let mut majority: Option<TrueState> = None;
        for day in first_day..sim.truth[l].days.len() {
            let Some(truth) = sim.state(l, day) else { continue };
            let noon = (sim.start + chrono::Days::new(day as u64)).and_hms_opt(12, 0, 0).unwrap_or_default().and_utc();

            let reconciled =
                timeline.segments.iter().find(|s| s.from <= noon && s.to.is_none_or(|to| noon < to)).and_then(|s| {
                    match s.state {
                        ControlState::Held(side) => side_index(&dataset, side).map(TrueState::Held),
                        ControlState::Contested => Some(TrueState::Contested),
                        ControlState::Unknown => None,
                    }
                });

            let mut votes: BTreeMap<(u8, usize), usize> = BTreeMap::new();
            for &c in claims {
                let w = dataset.claim(c).window();
                if w.start() <= noon && noon < w.end() {
                    if let Some(state) = said(c) {
                        let key = match state {
                            TrueState::Held(s) => (0, s),
                            TrueState::Contested => (1, 0),
                        };
                        *votes.entry(key).or_default() += 1;
                    }
                }
            }
            let best = votes.values().copied().max().unwrap_or(0);
            let winners: Vec<_> = votes.iter().filter(|(_, &v)| v == best).collect();
            if winners.len() == 1 {
                majority = winners
                    .first()
                    .map(|((kind, s), _)| if *kind == 0 { TrueState::Held(*s) } else { TrueState::Contested });
            }

            let latest = claims
                .iter()
                .filter(|&&c| dataset.claim(c).window().start() <= noon && said(c).is_some())
                .max_by_key(|&&c| {
                    let claim = dataset.claim(c);
                    (claim.reported_window().start(), claim.window().start(), c)
                })
                .and_then(|&c| said(c));

            score.total += 1;
            for (slot, answer) in [reconciled, majority, latest].into_iter().enumerate() {
                if answer == Some(truth) {
                    score.right[slot] += 1;
                }
            }
        }
    }
    Ok(score)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let config = Config::default();
    println!("{:<10} {:>5} {:>11} {:>9} {:>7} {:>7}", "scenario", "seed", "reconciled", "majority", "latest", "points");
    for (name, scenario) in
        [("default", Scenario::default()), ("unbiased", Scenario::unbiased()), ("hostile", Scenario::hostile())]
    {
        let mut total = Score::default();
        for seed in 1..=args.seeds {
            let sim = simulate(&scenario, seed);
            if let (Some(dir), 1) = (&args.write, seed) {
                std::fs::create_dir_all(dir)?;
                std::fs::write(dir.join(format!("{name}-dataset.json")), serde_json::to_string_pretty(&sim.document)?)?;
                std::fs::write(dir.join(format!("{name}-truth.json")), serde_json::to_string_pretty(&sim.truth)?)?;
            }
            let score = evaluate(&sim, &config)?;
            let share = |i: usize| score.right[i] as f64 / score.total.max(1) as f64;
            println!(
                "{:<10} {:>5} {:>11.3} {:>9.3} {:>7.3} {:>7}",
                name,
                seed,
                share(0),
                share(1),
                share(2),
                score.total
            );
            for i in 0..3 {
                total.right[i] += score.right[i];
            }
            total.total += score.total;
        }
        let share = |i: usize| total.right[i] as f64 / total.total.max(1) as f64;
        println!("{:<10} {:>5} {:>11.3} {:>9.3} {:>7.3} {:>7}", name, "all", share(0), share(1), share(2), total.total);
    }
    Ok(())
}
