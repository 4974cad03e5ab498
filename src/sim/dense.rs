//! The dense, daily-sampled scenario: every source may report on every
//! location every day.

use super::{first_day, locations, side_id, LocationTruth, Simulation, TrueState, Writer};
use crate::input::{ActorRecord, AssertsRecord, Document, SourceRecord};
use crate::model::Certainty;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};

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

/// Runs a scenario with a seed.
///
/// # Complexity
///
/// O(locations × days × sources).
pub fn simulate(scenario: &Scenario, seed: u64) -> Simulation {
    let mut rng = StdRng::seed_from_u64(seed);
    let start = first_day();
    let sides = scenario.sides.max(2);
    let mut document = scenario.document(sides);
    let mut truth = Vec::with_capacity(scenario.locations);
    for l in 0..scenario.locations {
        let states = scenario.truth(&mut rng, sides);
        let mut writer = Writer { start, location: format!("loc-{l:05}"), counter: 0, claims: &mut document.claims };
        for day in 0..states.len() {
            scenario.report_day(&mut rng, &mut writer, sides, &states, day);
        }
        truth.push(LocationTruth { location: writer.location, days: states });
    }
    Simulation { start, document, truth }
}

impl Scenario {
    /// The dataset without its claims: each side with one unit, the
    /// sources, and the locations.
    fn document(&self, sides: usize) -> Document {
        Document {
            actors: (0..sides)
                .flat_map(|s| {
                    [
                        ActorRecord { id: side_id(s), name: Some(format!("Side {s}")), parent: None },
                        ActorRecord { id: format!("unit-{s}"), name: None, parent: Some(side_id(s)) },
                    ]
                })
                .collect(),
            sources: self
                .sources
                .iter()
                .enumerate()
                .map(|(i, spec)| SourceRecord {
                    id: format!("source-{i:03}"),
                    name: None,
                    affiliation: spec.affiliation.map(|a| side_id(a % sides)),
                    prior: None,
                    prior_strength: None,
                })
                .collect(),
            locations: locations(self.locations),
            claims: Vec::new(),
        }
    }

    /// One location's true state on each day: a side holds until it loses,
    /// sometimes through a contested spell.
    fn truth(&self, rng: &mut StdRng, sides: usize) -> Vec<TrueState> {
        let days = self.days as usize;
        let change_chance = 1.0 / self.mean_hold_days.max(1.0);
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
                if rng.gen_bool(self.contested_chance) {
                    contested_left = rng.gen_range(1..=self.max_contested_days.max(1));
                    states.push(TrueState::Contested);
                    continue;
                }
                holder = (holder + rng.gen_range(1..sides)) % sides;
            }
            states.push(TrueState::Held(holder));
        }
        states
    }

    /// One location's claims of one day: the observing sources' reports,
    /// the copiers' copies of them, each written with its certainty, lag
    /// and wording, then the partisan sources' denials.
    fn report_day(&self, rng: &mut StdRng, w: &mut Writer<'_>, sides: usize, states: &[TrueState], day: usize) {
        let state = states[day];
        let changed = day > 0 && states[day - 1] != state;
        let mut reports = self.observe(rng, sides, state);
        self.copy(rng, &mut reports);
        let mut ids = Vec::with_capacity(reports.len());
        for &(i, said) in &reports {
            let spec = &self.sources[i];
            let propaganda = spec.affiliation.is_some_and(|a| said == TrueState::Held(a % sides) && said != state);
            let certainty = spec.certainty(rng, propaganda);
            let lag = rng.gen_range(0..=spec.max_lag_days);
            let wording = rng.gen_bool(self.capture_wording.clamp(0.0, 1.0));
            let d = day as i64;
            ids.push(w.push(i, state_record(said, changed, wording), (d, d), certainty, i64::from(lag)));
        }
        self.deny(rng, w, sides, day, &reports, &ids);
    }

    /// The reports of the sources that observe (all but the copiers) on a
    /// location and day whose true state is `state`: (source, state said).
    fn observe(&self, rng: &mut StdRng, sides: usize, state: TrueState) -> Vec<(usize, TrueState)> {
        let mut reports = Vec::new();
        for (i, spec) in self.sources.iter().enumerate() {
            if spec.copies.is_some() || !rng.gen_bool(spec.coverage.clamp(0.0, 1.0)) {
                continue;
            }
            reports.push((i, spec.says(rng, sides, state)));
        }
        reports
    }

    /// Adds the copiers' reports: each copies each report of its source
    /// with chance `coverage`.
    fn copy(&self, rng: &mut StdRng, reports: &mut Vec<(usize, TrueState)>) {
        for (i, spec) in self.sources.iter().enumerate() {
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
    }

    /// Denials: a partisan source denies an opposing source's contradicting
    /// claim of the same day (`reports` and their claims' `ids`, in order).
    fn deny(
        &self,
        rng: &mut StdRng,
        w: &mut Writer<'_>,
        sides: usize,
        day: usize,
        reports: &[(usize, TrueState)],
        ids: &[String],
    ) {
        let d = day as i64;
        for &(i, said) in reports {
            let spec = &self.sources[i];
            let Some(own) = spec.affiliation.map(|a| a % sides) else { continue };
            for (&(j, other), target) in reports.iter().zip(ids) {
                let opposing = self.sources[j].affiliation.is_some_and(|a| a % sides != own);
                if opposing && other != said && rng.gen_bool(spec.denial_rate.clamp(0.0, 1.0)) {
                    w.push(i, AssertsRecord::Denies(target.clone()), (d, d), Certainty::Reported, 0);
                }
            }
        }
    }
}

impl SourceSpec {
    /// What the source says of a location whose true state is `state`:
    /// its own side holding (propaganda, with chance `bias` when untrue),
    /// else the truth (with chance `accuracy`), else another state at random.
    fn says(&self, rng: &mut StdRng, sides: usize, state: TrueState) -> TrueState {
        match self.affiliation.map(|a| a % sides) {
            Some(own) if state != TrueState::Held(own) && rng.gen_bool(self.bias.clamp(0.0, 1.0)) => {
                TrueState::Held(own)
            }
            _ if rng.gen_bool(self.accuracy.clamp(0.0, 1.0)) => state,
            _ => {
                let others: Vec<TrueState> =
                    (0..sides).map(TrueState::Held).chain([TrueState::Contested]).filter(|&s| s != state).collect();
                others[rng.gen_range(0..others.len())]
            }
        }
    }

    /// The certainty word of a report: propaganda is often `claimed`,
    /// accurate sources sometimes say `confirmed`, poor ones `unverified`.
    fn certainty(&self, rng: &mut StdRng, propaganda: bool) -> Certainty {
        if propaganda && rng.gen_bool(0.5) {
            Certainty::Claimed
        } else if self.accuracy >= 0.85 && rng.gen_bool(0.3) {
            Certainty::Confirmed
        } else if self.accuracy < 0.6 && rng.gen_bool(0.5) {
            Certainty::Unverified
        } else {
            Certainty::Reported
        }
    }
}

/// A report's assertion of `state`: contested, or a side holding, worded as
/// a capture if the state `changed` that day and `capture_wording` (drawn
/// with chance [`Scenario::capture_wording`]).
fn state_record(state: TrueState, changed: bool, capture_wording: bool) -> AssertsRecord {
    match state {
        TrueState::Contested => AssertsRecord::Contested,
        TrueState::Held(s) if changed && capture_wording => AssertsRecord::Captured(side_id(s)),
        TrueState::Held(s) => AssertsRecord::Holds(side_id(s)),
    }
}
