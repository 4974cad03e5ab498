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

use crate::input::{
    ActorRecord, AssertsRecord, ClaimRecord, Document, LocationRecord, RangeRecord, SourceRecord, WhenRecord,
};
use crate::model::{Certainty, ControlState};
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

impl TrueState {
    /// The same state in a dataset's terms (the crate's one control-state
    /// type): side `i` is the actor `side-{i}`; `None` if the dataset has no
    /// such actor.
    pub fn in_dataset(self, dataset: &crate::Dataset) -> Option<ControlState> {
        match self {
            TrueState::Held(i) => dataset.actor_id(&side_id(i)).map(ControlState::Held),
            TrueState::Contested => Some(ControlState::Contested),
        }
    }
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
                prior_strength: None,
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

/// A scenario shaped like real reporting on a battle: event-driven, sparse,
/// few sources (see [`Narrative::default`]). Run it with
/// [`Narrative::simulate`]; [`Scenario`] is the dense, daily-sampled kind.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Narrative {
    /// Number of locations.
    pub locations: usize,
    /// Number of days simulated, from 1 January 2014.
    pub days: u32,
    /// Number of sides (each with two units that claims name).
    pub sides: usize,
    /// Share of locations that never change hands.
    pub stable_share: f64,
    /// Share of locations that are hot spots: quiet, then one or two bursts
    /// of [`Narrative::burst_days`] days in which control flips every
    /// [`Narrative::burst_hold_days`] days on average.
    pub hot_share: f64,
    /// Mean days between changes of hands at the other locations.
    pub mean_hold_days: f64,
    /// Length of a hot spot's burst, in days.
    pub burst_days: u32,
    /// Mean days a side holds a hot spot during a burst.
    pub burst_hold_days: f64,
    /// Chance that a change of hands goes through a contested spell (1 to 3 days).
    pub contested_chance: f64,
    /// The narrator (the article's voice): chance of reporting a change on its day.
    pub narrator_coverage: f64,
    /// The narrator's accuracy: otherwise it names the wrong side or is a
    /// few days off.
    pub narrator_accuracy: f64,
    /// Chance that the narrator states a long hold as a range ("held from
    /// ... to ..."), per hold of at least 20 days.
    pub narrator_range_chance: f64,
    /// A second unaffiliated source (a monitor): chance of reporting a change.
    pub monitor_coverage: f64,
    /// The monitor's accuracy.
    pub monitor_accuracy: f64,
    /// Each side's outlet: chance of claiming its own side's capture.
    pub outlet_gain_coverage: f64,
    /// Chance that an outlet concedes its side's loss.
    pub outlet_concede: f64,
    /// Chance that an outlet denies the capture claims of its side's loss.
    pub outlet_deny: f64,
    /// Chance that an outlet answers its side's loss by claiming it still holds.
    pub outlet_false_hold: f64,
    /// An outlet's false captures per location-day where its side does not
    /// hold (five times as many at a hot spot during a burst).
    pub outlet_false_capture_rate: f64,
}

impl Default for Narrative {
    /// 40 locations over 240 days and three sides: 40% never change hands,
    /// 20% are hot spots (bursts of 14 days with a flip every 3 days), the
    /// rest change about every 80 days, 30% of changes through a contested
    /// spell. The narrator reports 85% of changes on the day (95% right)
    /// and states a third of long holds as ranges; a monitor reports 35%
    /// (85% right); each side's outlet claims 70% of its side's gains,
    /// concedes 10% of its losses, denies 40%, answers 25% with a false
    /// "we still hold", and claims a false capture about once a year per
    /// location.
    fn default() -> Narrative {
        Narrative {
            locations: 40,
            days: 240,
            sides: 3,
            stable_share: 0.4,
            hot_share: 0.2,
            mean_hold_days: 80.0,
            burst_days: 14,
            burst_hold_days: 3.0,
            contested_chance: 0.3,
            narrator_coverage: 0.85,
            narrator_accuracy: 0.95,
            narrator_range_chance: 0.35,
            monitor_coverage: 0.35,
            monitor_accuracy: 0.85,
            outlet_gain_coverage: 0.7,
            outlet_concede: 0.1,
            outlet_deny: 0.4,
            outlet_false_hold: 0.25,
            outlet_false_capture_rate: 0.001,
        }
    }
}

/// The narrator, the monitor, then one outlet per side.
const NARRATOR: usize = 0;
const MONITOR: usize = 1;
const OUTLETS: usize = 2;

/// Collects one location's claims in the input format.
struct Writer<'a> {
    start: NaiveDate,
    location: String,
    counter: usize,
    claims: &'a mut Vec<ClaimRecord>,
}

impl Writer<'_> {
    fn day(&self, d: i64) -> String {
        let d = u64::try_from(d).unwrap_or(0);
        self.start.checked_add_days(Days::new(d)).unwrap_or(self.start).format("%Y-%m-%d").to_string()
    }

    /// Adds a claim over days `from..=to`, said `lag` days after `to`;
    /// returns its id.
    fn push(
        &mut self,
        source: usize,
        asserts: AssertsRecord,
        (from, to): (i64, i64),
        certainty: Certainty,
        lag: i64,
    ) -> String {
        let id = format!("{}-{:06}", self.location, self.counter);
        self.counter += 1;
        let when = if from >= to {
            WhenRecord::At(self.day(to))
        } else {
            WhenRecord::Range(RangeRecord { from: self.day(from), to: self.day(to) })
        };
        let reported = (lag > 0).then(|| self.day(to + lag));
        self.claims.push(ClaimRecord {
            id: id.clone(),
            source: format!("source-{source:03}"),
            location: self.location.clone(),
            asserts,
            when,
            certainty,
            reported,
            cite: None,
            quote: None,
        });
        id
    }
}

impl Narrative {
    /// Runs the scenario with a seed. The same scenario and seed always give
    /// the same simulation.
    ///
    /// # Complexity
    ///
    /// O(locations × days × sides).
    ///
    /// # Example
    ///
    /// ```
    /// use frontline::sim::Narrative;
    /// let sim = Narrative { locations: 5, ..Narrative::default() }.simulate(1);
    /// let dataset = frontline::Dataset::from_document(sim.document.clone())?;
    /// assert_eq!(dataset.sides().len(), 3);
    /// # Ok::<(), frontline::Error>(())
    /// ```
    pub fn simulate(&self, seed: u64) -> Simulation {
        let mut rng = StdRng::seed_from_u64(seed);
        let start = NaiveDate::from_ymd_opt(2014, 1, 1).unwrap_or_default();
        let sides = self.sides.max(2);
        let unit = |side: usize, rng: &mut StdRng| match rng.gen_range(0..7) {
            0 => side_id(side),
            k => format!("unit-{side}-{}", if k % 2 == 0 { 'a' } else { 'b' }),
        };
        let mut document = Document {
            actors: (0..sides)
                .flat_map(|s| {
                    [
                        ActorRecord { id: side_id(s), name: Some(format!("Side {s}")), parent: None },
                        ActorRecord { id: format!("unit-{s}-a"), name: None, parent: Some(side_id(s)) },
                        ActorRecord { id: format!("unit-{s}-b"), name: None, parent: Some(side_id(s)) },
                    ]
                })
                .collect(),
            sources: (0..OUTLETS + sides)
                .map(|i| SourceRecord {
                    id: format!("source-{i:03}"),
                    name: Some(match i {
                        NARRATOR => "Narrator".to_owned(),
                        MONITOR => "Monitor".to_owned(),
                        _ => format!("Outlet of side {}", i - OUTLETS),
                    }),
                    affiliation: (i >= OUTLETS).then(|| side_id(i - OUTLETS)),
                    prior: None,
                    prior_strength: None,
                })
                .collect(),
            locations: (0..self.locations)
                .map(|l| LocationRecord { id: format!("loc-{l:05}"), ..LocationRecord::default() })
                .collect(),
            claims: Vec::new(),
        };
        let mut truth = Vec::with_capacity(self.locations);
        for l in 0..self.locations {
            let (states, bursts) = self.truth(&mut rng, sides);
            let mut writer =
                Writer { start, location: format!("loc-{l:05}"), counter: 0, claims: &mut document.claims };
            self.report(&mut rng, &mut writer, &states, &bursts, sides, &unit);
            truth.push(LocationTruth { location: writer.location, days: states });
        }
        Simulation { start, document, truth }
    }

    /// One location's true states, and its bursts (day ranges) if a hot spot.
    fn truth(&self, rng: &mut StdRng, sides: usize) -> (Vec<TrueState>, Vec<(usize, usize)>) {
        let days = self.days as usize;
        let kind: f64 = rng.gen();
        let stable = kind < self.stable_share;
        let hot = !stable && kind < self.stable_share + self.hot_share;
        let mut bursts = Vec::new();
        if hot && days > self.burst_days as usize + 10 {
            for _ in 0..rng.gen_range(1..=2) {
                let from = rng.gen_range(10..days - self.burst_days as usize);
                bursts.push((from, from + self.burst_days as usize));
            }
        }
        let in_burst = |d: usize| bursts.iter().any(|&(a, b)| a <= d && d < b);
        let mut holder = rng.gen_range(0..sides);
        // A hot spot flips between its first holder and one rival.
        let home = holder;
        let rival = (holder + rng.gen_range(1..sides)) % sides;
        let mut states = Vec::with_capacity(days);
        let mut contested_left = 0usize;
        let mut next_holder = holder;
        for d in 0..days {
            if contested_left > 0 {
                contested_left -= 1;
                if contested_left == 0 {
                    holder = next_holder;
                    states.push(TrueState::Held(holder));
                } else {
                    states.push(TrueState::Contested);
                }
                continue;
            }
            let chance = if stable {
                0.0
            } else if in_burst(d) {
                1.0 / self.burst_hold_days.max(1.0)
            } else if hot {
                0.0
            } else {
                1.0 / self.mean_hold_days.max(1.0)
            };
            if d > 0 && rng.gen_bool(chance.clamp(0.0, 1.0)) {
                next_holder = match (hot, holder == rival) {
                    (true, true) => home,
                    (true, false) => rival,
                    (false, _) => (holder + rng.gen_range(1..sides)) % sides,
                };
                if rng.gen_bool(self.contested_chance.clamp(0.0, 1.0)) {
                    contested_left = if in_burst(d) { 1 } else { rng.gen_range(1..=3) };
                    states.push(TrueState::Contested);
                    continue;
                }
                holder = next_holder;
            }
            states.push(TrueState::Held(holder));
        }
        (states, bursts)
    }

    /// The claims on one location: changes, contested spells, long holds,
    /// and the outlets' propaganda.
    fn report(
        &self,
        rng: &mut StdRng,
        w: &mut Writer<'_>,
        states: &[TrueState],
        bursts: &[(usize, usize)],
        sides: usize,
        unit: &dyn Fn(usize, &mut StdRng) -> String,
    ) {
        let days = states.len() as i64;
        let last = days - 1;
        let chance = |rng: &mut StdRng, p: f64| rng.gen_bool(p.clamp(0.0, 1.0));
        let other_side = |rng: &mut StdRng, not: usize| (not + rng.gen_range(1..sides)) % sides;
        // Holds (side, first day, last day) and contested spells.
        let mut holds: Vec<(usize, usize, usize)> = Vec::new();
        let mut spells: Vec<(usize, usize)> = Vec::new();
        for (d, state) in states.iter().enumerate() {
            match *state {
                TrueState::Held(s) => match holds.last_mut() {
                    Some(h) if h.0 == s && h.2 + 1 == d => h.2 = d,
                    _ => holds.push((s, d, d)),
                },
                TrueState::Contested => match spells.last_mut() {
                    Some(c) if c.1 + 1 == d => c.1 = d,
                    _ => spells.push((d, d)),
                },
            }
        }
        // Changes of hands: from one hold to the next with another side.
        for pair in holds.windows(2) {
            let (a, _, _) = pair[0];
            let (b, d, _) = pair[1];
            if a == b {
                continue;
            }
            let d = d as i64;
            let mut captures = Vec::new();
            if chance(rng, self.narrator_coverage) {
                let (mut side, mut day) = (b, d);
                if !chance(rng, self.narrator_accuracy) {
                    if chance(rng, 0.5) {
                        side = other_side(rng, b);
                    } else {
                        day = (d + [-3, -2, -1, 1, 2, 3][rng.gen_range(0..6)]).clamp(0, last);
                    }
                }
                let certainty = if chance(rng, 0.2) { Certainty::Confirmed } else { Certainty::Reported };
                let lag = i64::from(chance(rng, 0.2));
                let wording: f64 = rng.gen();
                let id = if wording < 0.8 {
                    w.push(NARRATOR, AssertsRecord::Captured(unit(side, rng)), (day, day), certainty, lag)
                } else if wording < 0.9 {
                    // "X held Y" the day after.
                    let next = (day + 1).min(last);
                    w.push(NARRATOR, AssertsRecord::Holds(unit(side, rng)), (next, next), certainty, lag)
                } else {
                    // "By D, X had captured Y".
                    let from = (day - rng.gen_range(1..=3)).max(0);
                    w.push(NARRATOR, AssertsRecord::Captured(unit(side, rng)), (from, day), certainty, lag)
                };
                captures.push(id);
            }
            if chance(rng, self.monitor_coverage) {
                let side = if chance(rng, self.monitor_accuracy) { b } else { other_side(rng, b) };
                let lag = rng.gen_range(0..=2);
                captures.push(w.push(
                    MONITOR,
                    AssertsRecord::Captured(unit(side, rng)),
                    (d, d),
                    Certainty::Reported,
                    lag,
                ));
            }
            if chance(rng, self.outlet_gain_coverage) {
                let certainty = if chance(rng, 0.4) { Certainty::Claimed } else { Certainty::Reported };
                captures.push(w.push(OUTLETS + b, AssertsRecord::Captured(unit(b, rng)), (d, d), certainty, 0));
            }
            // The loser's outlet: concedes, or denies and claims it still holds.
            if chance(rng, self.outlet_concede) {
                w.push(OUTLETS + a, AssertsRecord::Withdrew(unit(a, rng)), (d, d), Certainty::Reported, 0);
            } else {
                if !captures.is_empty() && chance(rng, self.outlet_deny) {
                    let target = captures[rng.gen_range(0..captures.len())].clone();
                    let day = (d + rng.gen_range(0..=1)).min(last);
                    w.push(OUTLETS + a, AssertsRecord::Denies(target), (day, day), Certainty::Reported, 0);
                }
                if chance(rng, self.outlet_false_hold) {
                    let day = (d + rng.gen_range(0..=1)).min(last);
                    w.push(OUTLETS + a, AssertsRecord::Holds(unit(a, rng)), (day, day), Certainty::Claimed, 0);
                }
            }
        }
        // Contested spells: the narrator says so half the time, the monitor less.
        for &(from, to) in &spells {
            if chance(rng, 0.5) {
                w.push(NARRATOR, AssertsRecord::Contested, (from as i64, to as i64), Certainty::Reported, 0);
            }
            if chance(rng, 0.3) {
                let day = rng.gen_range(from..=to) as i64;
                w.push(MONITOR, AssertsRecord::Contested, (day, day), Certainty::Reported, 0);
            }
        }
        // Long holds: a range from the narrator, a day's "we hold it" from the holder.
        for &(side, from, to) in &holds {
            let length = to - from + 1;
            if length >= 20 && chance(rng, self.narrator_range_chance) {
                let a = from + rng.gen_range(0..=length / 4);
                let b = to - rng.gen_range(0..=length / 4);
                w.push(NARRATOR, AssertsRecord::Holds(unit(side, rng)), (a as i64, b as i64), Certainty::Reported, 0);
            }
            if length >= 10 && chance(rng, 0.3) {
                let day = rng.gen_range(from..=to) as i64;
                w.push(OUTLETS + side, AssertsRecord::Holds(unit(side, rng)), (day, day), Certainty::Reported, 0);
            }
        }
        // Propaganda: false captures, sometimes denied by the holder's outlet.
        for (d, state) in states.iter().enumerate() {
            let hot = bursts.iter().any(|&(a, b)| a <= d && d < b);
            let rate = self.outlet_false_capture_rate * if hot { 5.0 } else { 1.0 };
            for side in 0..sides {
                if *state == TrueState::Held(side) || !chance(rng, rate) {
                    continue;
                }
                let certainty = if chance(rng, 0.5) { Certainty::Claimed } else { Certainty::Reported };
                let id = w.push(
                    OUTLETS + side,
                    AssertsRecord::Captured(unit(side, rng)),
                    (d as i64, d as i64),
                    certainty,
                    0,
                );
                if let TrueState::Held(holder) = *state {
                    if chance(rng, self.outlet_deny) {
                        w.push(
                            OUTLETS + holder,
                            AssertsRecord::Denies(id),
                            (d as i64, d as i64),
                            Certainty::Reported,
                            0,
                        );
                    }
                }
            }
        }
    }
}
