//! A simulator with ground truth (feature `sim`): true control timelines,
//! and sources that report on them with coverage, accuracy, self-serving
//! bias by affiliation, reporting lag, certainty words, denials, and copying.
//!
//! It exists to measure the reconciliation against the truth
//! (`examples/evaluate.rs`) and to generate large inputs for benchmarks.
//! The same [`Scenario`] and seed always give the same dataset.
//!
//! There are two kinds of scenario: the dense, daily-sampled [`Scenario`]
//! (run by [`simulate`], in `dense.rs`) and the event-driven [`Narrative`]
//! (in `narrative.rs`). Both produce a [`Simulation`].
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

mod dense;
mod narrative;

pub use dense::{simulate, Scenario, SourceSpec};
pub use narrative::Narrative;

use crate::input::{AssertsRecord, ClaimRecord, Document, LocationRecord, RangeRecord, WhenRecord};
use crate::model::{Certainty, ControlState};
use chrono::{Days, NaiveDate};
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

/// The actor id of side `side` (an index into the sides).
fn side_id(side: usize) -> String {
    format!("side-{side}")
}

/// The first day simulated: 1 January 2014.
fn first_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2014, 1, 1).unwrap_or_default()
}

/// Collects one location's claims in the input format (both kinds of
/// scenario write their claims through it).
struct Writer<'a> {
    /// Day 0.
    start: NaiveDate,
    /// The location's id.
    location: String,
    /// The number of claims written so far on the location (the next id).
    counter: usize,
    /// The dataset's claims.
    claims: &'a mut Vec<ClaimRecord>,
}

impl Writer<'_> {
    /// Day `d` (day 0 if negative) as the input format writes it.
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

/// The simulated locations, `loc-00000` on, with nothing but their ids.
fn locations(n: usize) -> Vec<LocationRecord> {
    (0..n).map(|l| LocationRecord { id: format!("loc-{l:05}"), ..LocationRecord::default() }).collect()
}
