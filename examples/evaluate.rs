//! Measures the reconciliation against the simulator's ground truth.
//!
//! ```text
//! cargo run --release --example evaluate -- [--seeds 5] [--scenario NAME] [--write DIR]
//! ```
//!
//! For each scenario (the dense `default`, `unbiased` and `hostile` ones of
//! `frontline::sim::Scenario`, and the event-driven `narrative` one of
//! `frontline::sim::Narrative`), over several seeds, it reports for the
//! reconciliation and three naive baselines (`frontline::score::Baseline`:
//! majority vote, latest claim, replay):
//!
//! * `acc`: the share of (location, day) pairs from each location's first
//!   claim on (nobody can know the days before it) whose state at noon is
//!   right;
//! * `rec` and `prec`: change-of-control recall and precision. A true change
//!   (a new side holds, after any contested spell) is found when a reversal
//!   between the same sides lies within a day of its first day, matched one
//!   to one (`frontline::score::match_changes`).
//!
//! A location's first claimed day needs a rule of its own. The truth's
//! changes are read from that day on, so a change *on* it (from whoever held
//! the place before to whoever holds it that day) is not required: only a
//! claim that says what held before (a capture, which gets a one-day
//! lead-in) can show it, and the baselines, read from that day, never can.
//! But a reversal that finds it (the lead-in's holder to the captor, as
//! the simulator's truth has them, within a day) is no false alarm either:
//! it counts neither as found nor as matched. A reversal there that the
//! truth does not have stays a false alarm. The required changes are
//! matched first. Two other readings, for comparison:
//!
//! * `--first-day-unseen` (the reading before 1 December 2026): every
//!   reversal into the first claimed day counts against precision, right
//!   or wrong.
//! * `--from-second-day`: the reconciliation's reversals before noon of the
//!   first claimed day are left out, right or wrong (a change on day d is
//!   one between the states at noon of days d − 1 and d, and the truth
//!   from the first claimed day on has none on that day).

use clap::Parser;
use frontline::reconcile::{reconcile, Config, ControlState};
use frontline::score::{self, Baseline, ChangeScore};
use frontline::sim::{Narrative, Scenario, Simulation};
use frontline::Dataset;
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(about = "Accuracy and change-of-control scores against simulated ground truth")]
struct Args {
    /// Seeds 1..=N per scenario.
    #[arg(long, default_value_t = 5)]
    seeds: u64,
    /// Only this scenario (default, unbiased, hostile, narrative).
    #[arg(long)]
    scenario: Option<String>,
    /// Write the first seed's dataset and truth of each scenario to this directory.
    #[arg(long)]
    write: Option<PathBuf>,
    /// Leave out the reconciliation's reversals before noon of a location's
    /// first claimed day, right or wrong.
    #[arg(long)]
    from_second_day: bool,
    /// Count every reversal into a location's first claimed day as a false
    /// alarm, even one the truth has (the reading before 1 December 2026).
    #[arg(long)]
    first_day_unseen: bool,
}

/// The methods scored, in column order.
const METHODS: [&str; 4] = ["reconciled", "majority", "latest", "replay"];

#[derive(Default, Clone, Copy)]
struct Score {
    right: [usize; 4],
    days: usize,
    changes: [ChangeScore; 4],
}

impl Score {
    fn add(&mut self, other: &Score) {
        for i in 0..4 {
            self.right[i] += other.right[i];
            self.changes[i].add(other.changes[i]);
        }
        self.days += other.days;
    }

    fn row(&self, name: &str, seed: &str) -> String {
        let mut row = format!("{name:<10} {seed:>4}");
        for i in 0..4 {
            let acc = self.right[i] as f64 / self.days.max(1) as f64;
            let c = self.changes[i];
            row += &format!("  {acc:>5.3} {:>5.3} {:>5.3}", c.recall(), c.precision());
        }
        row + &format!("  {:>6} {:>5}", self.days, self.changes[0].known)
    }
}

fn evaluate(sim: &Simulation, config: &Config, args: &Args) -> Result<Score, Box<dyn std::error::Error>> {
    let from_second_day = args.from_second_day;
    let first_day_seen = !(args.first_day_unseen || args.from_second_day);
    let dataset = Dataset::from_document(sim.document.clone())?;
    let result = reconcile(&dataset, config);
    let mut score = Score::default();
    for (l, location) in dataset.location_ids().enumerate() {
        let Some((first, _)) = score::claim_days(&dataset, location) else { continue };
        let Some(truth) = sim.truth.get(l) else { continue };
        let offset = usize::try_from((first - sim.start).num_days()).unwrap_or(0);
        // The last side that held the place before its first claimed day:
        // a change on that day is a true change from it.
        let before =
            truth.days.get(..offset).unwrap_or_default().iter().rev().find_map(|&s| match s.in_dataset(&dataset) {
                Some(held @ ControlState::Held(_)) => Some(held),
                _ => None,
            });
        let truth: Vec<ControlState> = truth.days.iter().skip(offset).filter_map(|&s| s.in_dataset(&dataset)).collect();
        let days = truth.len();
        // True changes from the first claim on. A change on the first
        // claimed day itself (from the holder before it) is not required:
        // only a claim that says what held before can show it. But a
        // reversal that finds it is no false alarm.
        let true_changes = score::daily_changes(location, first, &truth);
        let first_day_change = match (before, first.pred_opt()) {
            (Some(before), Some(day_before)) if first_day_seen => {
                let with_before: Vec<ControlState> = std::iter::once(before).chain(truth.iter().copied()).collect();
                score::daily_changes(location, day_before, &with_before)
                    .into_iter()
                    .find(|c| score::day_window(first, 0).is_some_and(|w| c.window == w))
            }
            _ => None,
        };

        let timeline = result.timeline(location);
        let reconciled: Vec<ControlState> = (0..days)
            .map(|d| {
                let noon = score::day_window(first, d).map(|w| w.start() + chrono::TimeDelta::hours(12));
                noon.map_or(ControlState::Unknown, |t| score::state_at(timeline, t))
            })
            .collect();
        let mut answers = vec![reconciled];
        answers.extend(Baseline::ALL.iter().map(|b| b.daily(&dataset, location, first, days)));
        for (i, answer) in answers.iter().enumerate() {
            score.right[i] += answer.iter().zip(&truth).filter(|(a, t)| a == t).count();
            let found = if i == 0 {
                let noon = score::day_window(first, 0).map(|w| w.start() + chrono::TimeDelta::hours(12));
                let judged = |c: &score::Change| !from_second_day || noon.is_some_and(|t| c.window.start() > t);
                score::reversals(timeline).into_iter().filter(judged).collect()
            } else {
                score::daily_changes(location, first, answer)
            };
            score.changes[i].add(ChangeScore::with_optional(&true_changes, first_day_change.as_slice(), &found));
        }
        score.days += days;
    }
    Ok(score)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let config = Config::default();
    type Run = Box<dyn Fn(u64) -> Simulation>;
    let scenarios: Vec<(&str, Run)> = vec![
        ("default", Box::new(|seed| frontline::sim::simulate(&Scenario::default(), seed))),
        ("unbiased", Box::new(|seed| frontline::sim::simulate(&Scenario::unbiased(), seed))),
        ("hostile", Box::new(|seed| frontline::sim::simulate(&Scenario::hostile(), seed))),
        ("narrative", Box::new(|seed| Narrative::default().simulate(seed))),
    ];
    if let Some(name) = &args.scenario {
        if !scenarios.iter().any(|(n, _)| n == name) {
            return Err(format!("no scenario {name:?} (default, unbiased, hostile, narrative)").into());
        }
    }
    let mut header = format!("{:<10} {:>4}", "scenario", "seed");
    for method in METHODS {
        header += &format!("  {method:<17}");
    }
    println!("{header}  {:>6} {:>5}", "days", "chg");
    println!("{:<15}{}", "", "  acc   rec   prec ".repeat(4));
    for (name, run) in &scenarios {
        if args.scenario.as_deref().is_some_and(|only| only != *name) {
            continue;
        }
        let mut total = Score::default();
        for seed in 1..=args.seeds {
            let sim = run(seed);
            if let (Some(dir), 1) = (&args.write, seed) {
                std::fs::create_dir_all(dir)?;
                std::fs::write(dir.join(format!("{name}-dataset.json")), serde_json::to_string_pretty(&sim.document)?)?;
                std::fs::write(dir.join(format!("{name}-truth.json")), serde_json::to_string_pretty(&sim.truth)?)?;
            }
            let score = evaluate(&sim, &config, &args)?;
            println!("{}", score.row(name, &seed.to_string()));
            total.add(&score);
        }
        println!("{}", total.row(name, "all"));
    }
    Ok(())
}
