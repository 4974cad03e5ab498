//! What a reconciliation returns: timelines of segments and reversals,
//! source estimates with their grades, and each claim's agreement.

use super::Config;
use crate::graph::Contradiction;
use crate::model::{ActorId, ClaimId, ControlState, LocationId, SourceId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

/// What a segment's state rests on, in the sense conflict mappers use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Basis {
    /// A source aligned with another side concedes it, or two or more
    /// distinct sources support it and not all are aligned with the holder.
    Assessed,
    /// It rests only on sources aligned with the holding side, or on one source.
    Claimed,
    /// No claim supports it: carried from neighbouring evidence, or unknown.
    Inferred,
}

impl Basis {
    /// The basis' name in the output formats.
    pub fn name(self) -> &'static str {
        match self {
            Basis::Assessed => "assessed",
            Basis::Claimed => "claimed",
            Basis::Inferred => "inferred",
        }
    }
}

/// A maximal stretch of a location's timeline in one state.
#[derive(Clone, Debug, PartialEq)]
pub struct Segment {
    /// The first instant.
    pub from: DateTime<Utc>,
    /// The first instant after; `None` for the open end after the last evidence.
    pub to: Option<DateTime<Utc>>,
    /// The most likely state.
    pub state: ControlState,
    /// The posterior probability of that state, averaged over the segment by
    /// length (0 for `Unknown`).
    pub confidence: f64,
    /// Claims whose observation over this segment includes the state, in id order.
    pub support: Vec<ClaimId>,
    /// Claims whose observation over this segment excludes it, in id order.
    pub dissent: Vec<ClaimId>,
    /// What the state rests on.
    pub basis: Basis,
    /// Why the state won: the supporting claim that weighs most for it (the
    /// largest log-likelihood ratio of its observation, with its source's
    /// learned parameters and its certainty); failing any, a later capture or
    /// withdrawal whose "before" state implies it (then not in `support`);
    /// `None` when no claim speaks of the stretch.
    pub strongest: Option<ClaimId>,
}

/// A change of holding side along a reconciled timeline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reversal {
    /// Where the new side's segment begins.
    pub at: DateTime<Utc>,
    /// The side holding before.
    pub from: ActorId,
    /// The side holding after.
    pub to: ActorId,
    /// The claims that carry the change, in id order: every claim whose
    /// evidence, from the end of the old side's run to the end of the new
    /// side's first supported segment, prefers the new side to the old (a
    /// hold or capture by the new side, a withdrawal of the old, a denial of
    /// the old side's claim, the state before a later event, a capture by
    /// the old side whose window spans the change).
    pub claims: Vec<ClaimId>,
}

/// The reconciled timeline of one location.
#[derive(Clone, Debug, PartialEq)]
pub struct Timeline {
    /// The location.
    pub location: LocationId,
    /// Maximal segments in time order, not overlapping.
    pub segments: Vec<Segment>,
    /// Changes of holding side, in time order.
    pub reversals: Vec<Reversal>,
}

impl Timeline {
    /// The segment that holds the instant `t`, if any (none before the
    /// first segment).
    ///
    /// # Complexity
    ///
    /// O(log n) in the number of segments.
    pub fn segment_at(&self, t: DateTime<Utc>) -> Option<&Segment> {
        let after = self.segments.partition_point(|s| s.from <= t);
        let segment = self.segments.get(after.checked_sub(1)?)?;
        segment.to.is_none_or(|to| t < to).then_some(segment)
    }
}

/// A letter on the Admiralty (NATO) source-reliability scale.
///
/// Cut points on the learned reliability r: **A** r ≥ 0.90 (completely
/// reliable), **B** ≥ 0.80 (usually reliable), **C** ≥ 0.65 (fairly
/// reliable), **D** ≥ 0.50 (not usually reliable), **E** below 0.50
/// (unreliable), **F** fewer claims than
/// [`Config::min_claims_for_grade`] (reliability cannot be judged).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Grade {
    /// Completely reliable.
    A,
    /// Usually reliable.
    B,
    /// Fairly reliable.
    C,
    /// Not usually reliable.
    D,
    /// Unreliable.
    E,
    /// Reliability cannot be judged.
    F,
}

impl Grade {
    /// The grade for a reliability and a number of claims.
    pub fn of(reliability: f64, claims: usize, config: &Config) -> Grade {
        match reliability {
            _ if claims < config.min_claims_for_grade => Grade::F,
            r if r >= 0.90 => Grade::A,
            r if r >= 0.80 => Grade::B,
            r if r >= 0.65 => Grade::C,
            r if r >= 0.50 => Grade::D,
            _ => Grade::E,
        }
    }
}

impl fmt::Display for Grade {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

/// What was learned about one source.
#[derive(Clone, Debug, PartialEq)]
pub struct SourceEstimate {
    /// The source.
    pub source: SourceId,
    /// The learned accuracy of what it reports honestly.
    pub accuracy: f64,
    /// The learned share of its self-serving claims that carry no
    /// information (0 for independent sources).
    pub self_serving: f64,
    /// The probability that a claim of this source is true, by the
    /// reconciled posteriors, shrunk toward its prior.
    pub reliability: f64,
    /// Its number of claims.
    pub claims: usize,
    /// How many of them agree with the most likely state of the timeline.
    pub agreeing: usize,
    /// Its Admiralty grade.
    pub grade: Grade,
}

/// The result of [`reconcile`](super::reconcile()).
#[derive(Clone, Debug, PartialEq)]
pub struct Reconciliation {
    pub(super) timelines: Vec<Timeline>,
    pub(super) sources: Vec<SourceEstimate>,
    pub(super) agreement: Vec<Option<f64>>,
    pub(super) agrees: Vec<Option<bool>>,
    pub(super) iterations: usize,
    pub(super) converged: bool,
    pub(super) change_rates: Vec<f64>,
    pub(super) favour_margin: f64,
}

impl Reconciliation {
    /// The timeline of every location, in location id order.
    pub fn timelines(&self) -> &[Timeline] {
        &self.timelines
    }

    /// The timeline of one location.
    ///
    /// # Panics
    ///
    /// If the id does not come from the reconciled dataset.
    pub fn timeline(&self, location: LocationId) -> &Timeline {
        &self.timelines[location.as_usize()]
    }

    /// What was learned about every source, in source id order.
    pub fn sources(&self) -> &[SourceEstimate] {
        &self.sources
    }

    /// How far the timeline bears a claim out: the posterior probability of
    /// what it asserts, averaged over its window (for an event, at the end
    /// of its window). `None` for a claim that gave no evidence.
    pub fn agreement(&self, claim: ClaimId) -> Option<f64> {
        self.agreement.get(claim.as_usize()).copied().flatten()
    }

    /// Whether the timeline's most likely state agrees with a claim over
    /// most of its window. `None` for a claim that gave no evidence.
    pub fn agrees(&self, claim: ClaimId) -> Option<bool> {
        self.agrees.get(claim.as_usize()).copied().flatten()
    }

    /// Which claim of a contradiction the timeline favours: the one it bears
    /// out more, by at least [`Config::favour_margin`]; `None` if neither.
    /// For a denial, the denial is favoured when the denied state is unlikely.
    pub fn favoured(&self, contradiction: &Contradiction) -> Option<ClaimId> {
        let [a, b] = contradiction.claims();
        let (sa, sb) = (self.agreement(a)?, self.agreement(b)?);
        if sa >= sb + self.favour_margin {
            Some(a)
        } else if sb >= sa + self.favour_margin {
            Some(b)
        } else {
            None
        }
    }

    /// The change rate per day the reconciliation used at a location
    /// (learned, unless [`Config::learn_change_rate`] is off).
    ///
    /// # Panics
    ///
    /// If the id does not come from the reconciled dataset.
    pub fn change_rate(&self, location: LocationId) -> f64 {
        self.change_rates[location.as_usize()]
    }

    /// How many EM iterations ran.
    pub fn iterations(&self) -> usize {
        self.iterations
    }

    /// Whether EM converged within [`Config::max_iterations`].
    pub fn converged(&self) -> bool {
        self.converged
    }
}
