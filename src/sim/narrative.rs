//! The event-driven scenario: few sources, reporting the changes of hands,
//! contested spells and long holds of a battle, and some propaganda.

use super::{first_day, locations, side_id, LocationTruth, Simulation, TrueState, Writer};
use crate::input::{ActorRecord, AssertsRecord, Document, SourceRecord};
use crate::model::Certainty;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};

/// A scenario shaped like real reporting on a battle: event-driven, sparse,
/// few sources (see [`Narrative::default`]). Run it with
/// [`Narrative::simulate`]; [`Scenario`](super::Scenario) is the dense, daily-sampled kind.
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
        let start = first_day();
        let sides = self.sides.max(2);
        let mut document = self.document(sides);
        let mut truth = Vec::with_capacity(self.locations);
        for l in 0..self.locations {
            let (states, bursts) = self.truth(&mut rng, sides);
            let mut writer =
                Writer { start, location: format!("loc-{l:05}"), counter: 0, claims: &mut document.claims };
            self.report(&mut rng, &mut writer, &states, &bursts, sides);
            truth.push(LocationTruth { location: writer.location, days: states });
        }
        Simulation { start, document, truth }
    }

    /// The dataset without its claims: each side with two units, the
    /// narrator, the monitor and the outlets, and the locations.
    fn document(&self, sides: usize) -> Document {
        Document {
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
            locations: locations(self.locations),
            claims: Vec::new(),
        }
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
    /// and the outlets' propaganda, in that order (the order of the random
    /// draws, which the seed's output depends on).
    fn report(
        &self,
        rng: &mut StdRng,
        w: &mut Writer<'_>,
        states: &[TrueState],
        bursts: &[(usize, usize)],
        sides: usize,
    ) {
        let (holds, spells) = holds_and_spells(states);
        let mut reporter = Reporter { scenario: self, rng, w, sides, last: states.len() as i64 - 1 };
        // Changes of hands: from one hold to the next with another side.
        for pair in holds.windows(2) {
            let (a, _, _) = pair[0];
            let (b, d, _) = pair[1];
            if a != b {
                reporter.change(a, b, d as i64);
            }
        }
        for &(from, to) in &spells {
            reporter.spell(from, to);
        }
        for &(side, from, to) in &holds {
            reporter.hold(side, from, to);
        }
        reporter.propaganda(states, bursts);
    }
}

/// A side's unbroken hold of a location: (side, first day, last day).
type Hold = (usize, usize, usize);

/// A contested spell: (first day, last day).
type Spell = (usize, usize);

/// A location's holds and contested spells, in order.
fn holds_and_spells(states: &[TrueState]) -> (Vec<Hold>, Vec<Spell>) {
    let mut holds: Vec<Hold> = Vec::new();
    let mut spells: Vec<Spell> = Vec::new();
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
    (holds, spells)
}

/// Writes one location's claims: its sources' reports and the outlets'
/// propaganda, each kind of event by one method. Days are counted from day
/// 0, as [`Writer::push`] takes them.
struct Reporter<'a, 'w> {
    /// The scenario's rates.
    scenario: &'a Narrative,
    /// The simulation's one random stream.
    rng: &'a mut StdRng,
    /// Where the claims go.
    w: &'a mut Writer<'w>,
    /// The number of sides.
    sides: usize,
    /// The location's last day.
    last: i64,
}

impl Reporter<'_, '_> {
    /// True with chance `p` (clamped to 0..=1).
    fn chance(&mut self, p: f64) -> bool {
        self.rng.gen_bool(p.clamp(0.0, 1.0))
    }

    /// A side other than `not`, at random.
    fn other_side(&mut self, not: usize) -> usize {
        (not + self.rng.gen_range(1..self.sides)) % self.sides
    }

    /// The actor a claim names for a side: the side itself or one of its
    /// two units.
    fn unit(&mut self, side: usize) -> String {
        match self.rng.gen_range(0..7) {
            0 => side_id(side),
            k => format!("unit-{side}-{}", if k % 2 == 0 { 'a' } else { 'b' }),
        }
    }

    /// A change of hands from side `a` to side `b` on day `d`: the
    /// narrator's, the monitor's and the winner's outlet's capture claims,
    /// then the loser's outlet's answer.
    fn change(&mut self, a: usize, b: usize, d: i64) {
        let mut captures = Vec::new();
        if self.chance(self.scenario.narrator_coverage) {
            captures.push(self.narrator_capture(b, d));
        }
        if self.chance(self.scenario.monitor_coverage) {
            captures.push(self.monitor_capture(b, d));
        }
        if self.chance(self.scenario.outlet_gain_coverage) {
            let certainty = if self.chance(0.4) { Certainty::Claimed } else { Certainty::Reported };
            let unit = self.unit(b);
            captures.push(self.w.push(OUTLETS + b, AssertsRecord::Captured(unit), (d, d), certainty, 0));
        }
        self.loser_answers(a, d, &captures);
    }

    /// The narrator's claim of side `b`'s capture on day `d`; returns its
    /// id. Mostly right, else the wrong side or a few days off; worded as a
    /// capture that day, as a hold the day after ("X held Y"), or as a
    /// capture by that day ("By D, X had captured Y").
    fn narrator_capture(&mut self, b: usize, d: i64) -> String {
        let (mut side, mut day) = (b, d);
        if !self.chance(self.scenario.narrator_accuracy) {
            if self.chance(0.5) {
                side = self.other_side(b);
            } else {
                day = (d + [-3, -2, -1, 1, 2, 3][self.rng.gen_range(0..6)]).clamp(0, self.last);
            }
        }
        let certainty = if self.chance(0.2) { Certainty::Confirmed } else { Certainty::Reported };
        let lag = i64::from(self.chance(0.2));
        let wording: f64 = self.rng.gen();
        if wording < 0.8 {
            let unit = self.unit(side);
            self.w.push(NARRATOR, AssertsRecord::Captured(unit), (day, day), certainty, lag)
        } else if wording < 0.9 {
            let next = (day + 1).min(self.last);
            let unit = self.unit(side);
            self.w.push(NARRATOR, AssertsRecord::Holds(unit), (next, next), certainty, lag)
        } else {
            let from = (day - self.rng.gen_range(1..=3)).max(0);
            let unit = self.unit(side);
            self.w.push(NARRATOR, AssertsRecord::Captured(unit), (from, day), certainty, lag)
        }
    }

    /// The monitor's claim of side `b`'s capture on day `d`, sometimes
    /// naming the wrong side, up to two days late; returns its id.
    fn monitor_capture(&mut self, b: usize, d: i64) -> String {
        let side = if self.chance(self.scenario.monitor_accuracy) { b } else { self.other_side(b) };
        let lag: i64 = self.rng.gen_range(0..=2);
        let unit = self.unit(side);
        self.w.push(MONITOR, AssertsRecord::Captured(unit), (d, d), Certainty::Reported, lag)
    }

    /// Side `a`'s outlet answers its loss on day `d`: it concedes, or it
    /// may deny one of the `captures` (claim ids) and may claim it still
    /// holds, on the day or the next.
    fn loser_answers(&mut self, a: usize, d: i64, captures: &[String]) {
        if self.chance(self.scenario.outlet_concede) {
            let unit = self.unit(a);
            self.w.push(OUTLETS + a, AssertsRecord::Withdrew(unit), (d, d), Certainty::Reported, 0);
            return;
        }
        if !captures.is_empty() && self.chance(self.scenario.outlet_deny) {
            let target = captures[self.rng.gen_range(0..captures.len())].clone();
            let day = (d + self.rng.gen_range(0..=1)).min(self.last);
            self.w.push(OUTLETS + a, AssertsRecord::Denies(target), (day, day), Certainty::Reported, 0);
        }
        if self.chance(self.scenario.outlet_false_hold) {
            let day = (d + self.rng.gen_range(0..=1)).min(self.last);
            let unit = self.unit(a);
            self.w.push(OUTLETS + a, AssertsRecord::Holds(unit), (day, day), Certainty::Claimed, 0);
        }
    }

    /// A contested spell over days `from..=to`: the narrator says so half
    /// the time (as a range), the monitor less (one day of it).
    fn spell(&mut self, from: usize, to: usize) {
        if self.chance(0.5) {
            self.w.push(NARRATOR, AssertsRecord::Contested, (from as i64, to as i64), Certainty::Reported, 0);
        }
        if self.chance(0.3) {
            let day = self.rng.gen_range(from..=to) as i64;
            self.w.push(MONITOR, AssertsRecord::Contested, (day, day), Certainty::Reported, 0);
        }
    }

    /// A hold of `side` over days `from..=to`: if long, a range from the
    /// narrator and a day's "we hold it" from the holder's outlet.
    fn hold(&mut self, side: usize, from: usize, to: usize) {
        let length = to - from + 1;
        if length >= 20 && self.chance(self.scenario.narrator_range_chance) {
            let a = from + self.rng.gen_range(0..=length / 4);
            let b = to - self.rng.gen_range(0..=length / 4);
            let unit = self.unit(side);
            self.w.push(NARRATOR, AssertsRecord::Holds(unit), (a as i64, b as i64), Certainty::Reported, 0);
        }
        if length >= 10 && self.chance(0.3) {
            let day = self.rng.gen_range(from..=to) as i64;
            let unit = self.unit(side);
            self.w.push(OUTLETS + side, AssertsRecord::Holds(unit), (day, day), Certainty::Reported, 0);
        }
    }

    /// Propaganda: the outlets' false captures (more at a hot spot during a
    /// burst), sometimes denied by the holder's outlet.
    fn propaganda(&mut self, states: &[TrueState], bursts: &[(usize, usize)]) {
        for (d, state) in states.iter().enumerate() {
            let hot = bursts.iter().any(|&(a, b)| a <= d && d < b);
            let rate = self.scenario.outlet_false_capture_rate * if hot { 5.0 } else { 1.0 };
            let d = d as i64;
            for side in 0..self.sides {
                if *state == TrueState::Held(side) || !self.chance(rate) {
                    continue;
                }
                let certainty = if self.chance(0.5) { Certainty::Claimed } else { Certainty::Reported };
                let unit = self.unit(side);
                let id = self.w.push(OUTLETS + side, AssertsRecord::Captured(unit), (d, d), certainty, 0);
                if let TrueState::Held(holder) = *state {
                    if self.chance(self.scenario.outlet_deny) {
                        self.w.push(OUTLETS + holder, AssertsRecord::Denies(id), (d, d), Certainty::Reported, 0);
                    }
                }
            }
        }
    }
}
