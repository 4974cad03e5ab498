//! A simulator with ground truth (feature `sim`): true control timelines,
//! and sources that report on them with coverage, accuracy, self-serving
//! bias by affiliation, reporting lag, certainty words, denials, and copying.
//!
//! It exists to measure the reconciliation against the truth
//! (`examples/evaluate.rs`) and to generate large inputs for benchmarks.
//! The same [`Scenario`] and seed always give the same dataset.
//!
//! # Example
//!
//! ```
//! use frontline::sim::{simulate, Scenario};
//! let sim = simulate(&Scenario { locations: 3, days: 20, ..Scenario::default() }, 7);
//! let dataset = frontline::Dataset::from_document(sim.document.clone())?;
//! assert_eq!(dataset.locations().len(), 3);
//! # Ok::<(), frontline::Error>(())
//! ```

use crate::input::{ActorRecord, AssertsRecord, ClaimRecord, Document, LocationRecord, SourceRecord, WhenRecord};
use crate::model::Certainty;
use chrono::{Days, NaiveDate};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};

/// The true state of a location on a day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TrueState {
    /// Held by side `i` (an index into [`Scenario::sides`]).
    Held(usize),
    /// No side in control.
    Contested,
}

/// How one simulated source behaves.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SourceSpec {
    /// The side it leans to (an index into the sides), or `None`.
    pub affiliation: Option<usize>,
    /// Chance of reporting on a given location and day.
    pub coverage: f64,
    /// Chance that an honest report is right (otherwise another state at random).
    pub accuracy: f64,
    /// Chance that, when the truth is not its side holding, it claims its
    /// side holds anyway (propaganda).
    pub bias: f64,
    /// Reports are published up to this many days late.
    pub max_lag_days: u32,
    /// Copy the reports of this source (an index into the sources) instead
    /// of observing, with chance `coverage` per report of that source.
    pub copies: Option<usize>,
    /// Chance of denying a claim of an opposing source that contradicts its
    /// own report on the same location and day.
    pub denial_rate: f64,
}

/// The parameters of a simulation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scenario {
    /// Number of locations.
    pub locations: usize,
    /// Number of days simulated, from 1 January 2014.
    pub days: u32,
    /// Number of sides.
    pub sides: usize,
    /// Mean number of days a side holds a location before losing it.
    pub mean_hold_days: f64,
    /// Chance that a change of hands goes through a contested spell.
    pub contested_chance: f64,
    /// Longest contested spell, in days.
    pub max_contested_days: u32,
    /// Chance that a report of a capture says `captured` (else `holds`).
    pub capture_wording: f64,
    /// The sources.
    pub sources: Vec<SourceSpec>,
}

impl Default for Scenario {
    /// 40 locations over 60 days, two sides, control changing hands about
    /// every 10 days (often through a contested spell of a day or two);
    /// three independent wires (each reporting on a location one day in
    /// four, 85% accurate), three outlets per side that claim their own side
    /// holds in 35% of the reports where it does not, one poor independent
    /// source, and two aggregators that copy one partisan outlet each.
    /// [`Scenario::hostile`] is a harder variant.
    fn default() -> Scenario {
        let wire = SourceSpec {
            affiliation: None,
            coverage: 0.25,
            accuracy: 0.85,
            bias: 0.0,
            max_lag_days: 1,
            copies: None,
            denial_rate: 0.0,
        };
        let partisan = |side| SourceSpec {
            affiliation: Some(side),
            coverage: 0.3,
            accuracy: 0.8,
            bias: 0.35,
            max_lag_days: 0,
            copies: None,
            denial_rate: 0.3,
        };
        let mut sources = vec![wire.clone(), wire.clone(), wire];
        for side in 0..2 {
            sources.extend([partisan(side), partisan(side), partisan(side)]);
        }
        sources.push(SourceSpec {
            affiliation: None,
            coverage: 0.15,
            accuracy: 0.55,
            bias: 0.0,
            max_lag_days: 2,
            copies: None,
            denial_rate: 0.0,
        });
        // Aggregators copying one partisan outlet of each side.
        for (side, copied) in [(0, 3), (1, 6)] {
            sources.push(SourceSpec {
                affiliation: Some(side),
                coverage: 0.6,
                accuracy: 0.8,
                bias: 0.0,
                max_lag_days: 1,
                copies: Some(copied),
                denial_rate: 0.0,
            });
        }
        Scenario {
            locations: 40,
            days: 60,
            sides: 2,
            mean_hold_days: 10.0,
            contested_chance: 0.4,
            max_contested_days: 2,
            capture_wording: 0.7,
            sources,
        }
    }
}

impl Scenario {
    /// The default scenario made harder: control changes hands about every
    /// 6 days (with many one-day holds), wires report half as often, and
    /// partisan outlets claim their own side holds in half the reports where
    /// it does not. Partisan claims then outnumber independent ones five to
    /// one, and half of the opposing side's claims are propaganda.
    pub fn hostile() -> Scenario {
        let mut scenario = Scenario { mean_hold_days: 6.0, ..Scenario::default() };
        for source in &mut scenario.sources {
            if source.affiliation.is_none() && source.accuracy >= 0.85 {
                source.coverage = 0.12;
            }
            if source.copies.is_none() && source.affiliation.is_some() {
                source.bias = 0.5;
            }
        }
        scenario
    }

    /// The default scenario with every source honest: no bias, no
    /// copying, no denials, the same accuracy for all.
    pub fn unbiased() -> Scenario {
        let mut scenario = Scenario::default();
        for source in &mut scenario.sources {
            source.bias = 0.0;
            source.copies = None;
            source.denial_rate = 0.0;
            source.accuracy = 0.8;
            source.coverage = 0.2;
        }
        scenario
    }

    /// A scenario sized for benchmarks: about `claims` claims over
    /// `claims / 250` locations and 120 days, with 300 sources.
    pub fn sized(claims: usize) -> Scenario {
        let base = Scenario::default();
        let sources = (0..300)
            .map(|i| {
                let n = base.sources.len();
                let mut s = base.sources[i % n].clone();
                s.copies = s.copies.map(|c| c + (i / n) * n);
                s.coverage = 250.0 / (120.0 * 300.0) * 1.2;
                s
            })
            .collect();
        Scenario { days: 120, locations: (claims / 250).max(1), sources, ..base }
    }
}

/// The truth of one location: its state on each day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LocationTruth {
    /// The location's id in the dataset.
    pub location: String,
    /// The state on each day, from day 0.
    pub days: Vec<TrueState>,
}

/// What a simulation produces: the dataset and the truth behind it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Simulation {
    /// The first day simulated.
    pub start: NaiveDate,
    /// The dataset, in the input format.
    pub document: Document,
    /// The true state of every location on every day.
    pub truth: Vec<LocationTruth>,
}

impl Simulation {
    /// The true state of a location (by index) on a day, if simulated.
    pub fn state(&self, location: usize, day: usize) -> Option<TrueState> {
        self.truth.get(location)?.days.get(day).copied()
    }
}

fn side_id(side: usize) -> String {
    format!("side-{side}")
}

fn state_record(state: TrueState, changed: bool, capture_wording: bool) -> AssertsRecord {
    match state {
        TrueState::Contested => AssertsRecord::Contested,
        TrueState::Held(s) if changed && capture_wording => AssertsRecord::Captured(side_id(s)),
        TrueState::Held(s) => AssertsRecord::Holds(side_id(s)),
    }
}

/// Runs a scenario with a seed.
///
/// # Complexity
///
/// O(locations × days × sources).
pub fn simulate(scenario: &Scenario, seed: u64) -> Simulation {
    let mut rng = StdRng::seed_from_u64(seed);
    let start = NaiveDate::from_ymd_opt(2014, 1, 1).unwrap_or_default();
    let sides = scenario.sides.max(2);
    let days = scenario.days as usize;
    let day_text =
        |d: usize| start.checked_add_days(Days::new(d as u64)).unwrap_or(start).format("%Y-%m-%d").to_string();

    let mut document = Document {
        actors: (0..sides)
            .flat_map(|s| {
                [
                    ActorRecord { id: side_id(s), name: Some(format!("Side {s}")), parent: None },
                    ActorRecord { id: format!("unit-{s}"), name: None, parent: Some(side_id(s)) },
                ]
            })
            .collect(),
        sources: scenario
            .sources
            .iter()
            .enumerate()
            .map(|(i, spec)| SourceRecord {
                id: format!("source-{i:03}"),
                name: None,
                affiliation: spec.affiliation.map(|a| side_id(a % sides)),
                prior: None,
            })
            .collect(),
        locations: (0..scenario.locations)
            .map(|l| LocationRecord { id: format!("loc-{l:05}"), ..LocationRecord::default() })
            .collect(),
        claims: Vec::new(),
    };

    let mut truth = Vec::with_capacity(scenario.locations);
    let change_chance = 1.0 / scenario.mean_hold_days.max(1.0);
    for l in 0..scenario.locations {
        // The truth: a side holds until it loses, sometimes through a contested spell.
        let mut states = Vec::with_capacity(days);
        let mut holder = rng.gen_range(0..sides);
        let mut contested_left = 0u32;
        for _ in 0..days {
            if contested_left > 0 {
                contested_left -= 1;
                if contested_left == 0 {
                    holder = (holder + rng.gen_range(1..sides)) % sides;
                    states.push(TrueState::Held(holder));
                } else {
                    states.push(TrueState::Contested);
                }
                continue;
            }
            if !states.is_empty() && rng.gen_bool(change_chance) {
                if rng.gen_bool(scenario.contested_chance) {
                    contested_left = rng.gen_range(1..=scenario.max_contested_days.max(1));
                    states.push(TrueState::Contested);
                    continue;
                }
                holder = (holder + rng.gen_range(1..sides)) % sides;
            }
            states.push(TrueState::Held(holder));
        }

        // The reports: (source, day, what it says), day by day.
        let location_id = format!("loc-{l:05}");
        let mut counter = 0usize;
        for day in 0..days {
            let state = states[day];
            let changed = day > 0 && states[day - 1] != state;
            let mut reports: Vec<(usize, TrueState)> = Vec::new();
            for (i, spec) in scenario.sources.iter().enumerate() {
                if spec.copies.is_some() || !rng.gen_bool(spec.coverage.clamp(0.0, 1.0)) {
                    continue;
                }
                let own = spec.affiliation.map(|a| a % sides);
                let said = match own {
                    Some(own) if state != TrueState::Held(own) && rng.gen_bool(spec.bias.clamp(0.0, 1.0)) => {
                        TrueState::Held(own)
                    }
                    _ if rng.gen_bool(spec.accuracy.clamp(0.0, 1.0)) => state,
                    _ => {
                        let others: Vec<TrueState> = (0..sides)
                            .map(TrueState::Held)
                            .chain([TrueState::Contested])
                            .filter(|&s| s != state)
                            .collect();
                        others[rng.gen_range(0..others.len())]
                    }
                };
                reports.push((i, said));
            }
            for (i, spec) in scenario.sources.iter().enumerate() {
                if let Some(copied) = spec.copies {
                    let copies: Vec<TrueState> =
                        reports.iter().filter(|(s, _)| *s == copied).map(|&(_, said)| said).collect();
                    for said in copies {
                        if rng.gen_bool(spec.coverage.clamp(0.0, 1.0)) {
                            reports.push((i, said));
                        }
                    }
                }
            }
            let first_claim = document.claims.len();
            for &(i, said) in &reports {
                let spec = &scenario.sources[i];
                let propaganda = spec.affiliation.is_some_and(|a| said == TrueState::Held(a % sides) && said != state);
                let certainty = if propaganda && rng.gen_bool(0.5) {
                    Certainty::Claimed
                } else if spec.accuracy >= 0.85 && rng.gen_bool(0.3) {
                    Certainty::Confirmed
                } else if spec.accuracy < 0.6 && rng.gen_bool(0.5) {
                    Certainty::Unverified
                } else {
                    Certainty::Reported
                };
                let lag = rng.gen_range(0..=spec.max_lag_days) as usize;
                let wording = rng.gen_bool(scenario.capture_wording.clamp(0.0, 1.0));
                document.claims.push(ClaimRecord {
                    id: format!("{location_id}-{counter:06}"),
                    source: format!("source-{i:03}"),
                    location: location_id.clone(),
                    asserts: state_record(said, changed, wording),
                    when: WhenRecord::At(day_text(day)),
                    certainty,
                    reported: (lag > 0).then(|| day_text(day + lag)),
                    cite: None,
                    quote: None,
                });
                counter += 1;
            }
            // Denials: a partisan source denies an opposing source's
            // contradicting claim of the same day.
            let today: Vec<(usize, usize, TrueState)> =
                reports.iter().enumerate().map(|(k, &(i, said))| (first_claim + k, i, said)).collect();
            for &(_, i, said) in &today {
                let spec = &scenario.sources[i];
                let Some(own) = spec.affiliation.map(|a| a % sides) else { continue };
                for &(target, j, other) in &today {
                    let opposing = scenario.sources[j].affiliation.is_some_and(|a| a % sides != own);
                    if opposing && other != said && rng.gen_bool(spec.denial_rate.clamp(0.0, 1.0)) {
                        let target_id = document.claims[target].id.clone();
                        document.claims.push(ClaimRecord {
                            id: format!("{location_id}-{counter:06}"),
                            source: format!("source-{i:03}"),
                            location: location_id.clone(),
                            asserts: AssertsRecord::Denies(target_id),
                            when: WhenRecord::At(day_text(day)),
                            certainty: Certainty::Reported,
                            reported: None,
                            cite: None,
                            quote: None,
                        });
                        counter += 1;
                    }
                }
            }
        }
        truth.push(LocationTruth { location: location_id, days: states });
    }
    Simulation { start, document, truth }
}
