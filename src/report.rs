//! The report: the output format (DESIGN.md section 5) as serialisable
//! types, separate from the internal model so that either can change
//! without breaking the other.
//!
//! Beyond the keys DESIGN.md fixes, the report adds, per location, `name`,
//! `claims` (its claim ids in chronological order) and `claimed_reversals`
//! (changes of holder along the chain of claims); per contradiction,
//! `explanation`; per source, `accuracy` and `self_serving`; and at the top,
//! `as_of` when the report is a replay.

use crate::analysis::Analysis;
use crate::graph::ContradictionKind;
use crate::model::{format_instant, ActorId, ClaimId};
use crate::reconcile::{Basis, ControlState, Grade};
use serde::{Deserialize, Serialize};

/// The whole output document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// The as-of time of a replay (input form), absent for a full reconciliation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<String>,
    /// Every location, in id order.
    pub locations: Vec<LocationReport>,
    /// Every contradiction, by location id, then window start, then claims.
    pub contradictions: Vec<ContradictionReport>,
    /// Every source, in id order.
    pub sources: Vec<SourceReport>,
    /// Where every input claim went.
    pub accounting: Accounting,
}

/// One location's timeline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LocationReport {
    /// The location's id.
    pub location: String,
    /// Its display name.
    pub name: String,
    /// Its claims' ids in chronological order.
    pub claims: Vec<String>,
    /// The reconciled timeline.
    pub timeline: Vec<SegmentReport>,
    /// Changes of holding side along the timeline.
    pub reversals: Vec<ReversalReport>,
    /// Changes of holder along the chain of claims, as the sources tell it.
    pub claimed_reversals: Vec<ReversalReport>,
}

/// One segment of a timeline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SegmentReport {
    /// RFC 3339, UTC.
    pub from: String,
    /// RFC 3339, UTC; null for the open end.
    pub to: Option<String>,
    /// `held`, `contested` or `unknown`.
    pub state: String,
    /// The holding side's id when held, otherwise null.
    pub side: Option<String>,
    /// Posterior probability of the state, rounded to 4 decimals.
    pub confidence: f64,
    /// Supporting claim ids.
    pub support: Vec<String>,
    /// Dissenting claim ids.
    pub dissent: Vec<String>,
    /// `assessed`, `claimed` or `inferred`.
    pub basis: Basis,
}

/// A change of holding side.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReversalReport {
    /// RFC 3339, UTC.
    pub at: String,
    /// The side before.
    pub from: String,
    /// The side after.
    pub to: String,
    /// The claims that carry it.
    pub claims: Vec<String>,
}

/// A contradiction between two claims.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ContradictionReport {
    /// `conflicting_control`, `held_vs_contested`, `denial` or `self_contradiction`.
    pub kind: ContradictionKind,
    /// The location's id.
    pub location: String,
    /// The two claims (a denial first).
    pub claims: [String; 2],
    /// Where they conflict: start, RFC 3339.
    pub from: String,
    /// Where they conflict: end, RFC 3339.
    pub to: String,
    /// The claim the timeline bears out, or null.
    pub favoured: Option<String>,
    /// One line in plain words.
    pub explanation: String,
}

/// What was learned about a source.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SourceReport {
    /// The source's id.
    pub source: String,
    /// Probability that its claims are true, rounded to 4 decimals.
    pub reliability: f64,
    /// Admiralty letter.
    pub grade: Grade,
    /// Number of claims.
    pub claims: usize,
    /// Number agreeing with the timeline.
    pub agreeing: usize,
    /// Learned accuracy of its honest reports, rounded to 4 decimals.
    pub accuracy: f64,
    /// Learned share of its self-serving claims that carry no information.
    pub self_serving: f64,
}

/// Where every input claim went.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Accounting {
    /// How many claims the input had.
    pub claims: usize,
    /// The claims in no segment's support or dissent, with the reason.
    pub unplaced: Vec<Unplaced>,
}

/// A claim left out of the timelines.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unplaced {
    /// The claim's id.
    pub claim: String,
    /// Why.
    pub reason: String,
}

/// Rounds to 4 decimals, the precision of every figure in the report.
pub(crate) fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

impl Report {
    pub(crate) fn new(analysis: &Analysis<'_>) -> Report {
        let dataset = analysis.dataset();
        let rec = analysis.reconciliation();
        let claim = |id: ClaimId| dataset.claim(id).id().to_owned();
        let claims = |ids: &[ClaimId]| ids.iter().map(|&c| claim(c)).collect::<Vec<_>>();
        let actor = |id: ActorId| dataset.actor(id).id().to_owned();

        let locations = dataset
            .location_ids()
            .map(|l| {
                let timeline = rec.timeline(l);
                let graph = analysis.graph(l);
                LocationReport {
                    location: dataset.location(l).id().to_owned(),
                    name: dataset.location(l).name().to_owned(),
                    claims: claims(dataset.claims_at(l)),
                    timeline: timeline
                        .segments
                        .iter()
                        .map(|s| SegmentReport {
                            from: format_instant(s.from),
                            to: s.to.map(format_instant),
                            state: match s.state {
                                ControlState::Held(_) => "held",
                                ControlState::Contested => "contested",
                                ControlState::Unknown => "unknown",
                            }
                            .to_owned(),
                            side: match s.state {
                                ControlState::Held(side) => Some(actor(side)),
                                _ => None,
                            },
                            confidence: round4(s.confidence),
                            support: claims(&s.support),
                            dissent: claims(&s.dissent),
                            basis: s.basis,
                        })
                        .collect(),
                    reversals: timeline
                        .reversals
                        .iter()
                        .map(|r| ReversalReport {
                            at: format_instant(r.at),
                            from: actor(r.from),
                            to: actor(r.to),
                            claims: claims(&r.claims),
                        })
                        .collect(),
                    claimed_reversals: graph
                        .claimed_reversals()
                        .iter()
                        .map(|r| ReversalReport {
                            at: format_instant(r.at),
                            from: actor(r.from),
                            to: actor(r.to),
                            claims: claims(&r.claims),
                        })
                        .collect(),
                }
            })
            .collect();

        let contradictions = analysis
            .graphs()
            .iter()
            .flat_map(|g| g.contradictions())
            .map(|c| ContradictionReport {
                kind: c.kind(),
                location: dataset.location(c.location()).id().to_owned(),
                claims: c.claims().map(claim),
                from: format_instant(c.window().start()),
                to: format_instant(c.window().end()),
                favoured: rec.favoured(c).map(claim),
                explanation: c.explanation().to_owned(),
            })
            .collect();

        let sources = rec
            .sources()
            .iter()
            .map(|s| SourceReport {
                source: dataset.source(s.source).id().to_owned(),
                reliability: round4(s.reliability),
                grade: s.grade,
                claims: s.claims,
                agreeing: s.agreeing,
                accuracy: round4(s.accuracy),
                self_serving: round4(s.self_serving),
            })
            .collect();

        Report {
            as_of: analysis.as_of().map(|t| t.to_string()),
            locations,
            contradictions,
            sources,
            accounting: Accounting { claims: analysis.total_claims(), unplaced: analysis.unplaced() },
        }
    }

    /// The report as pretty JSON.
    pub fn to_json(&self) -> String {
        // Cannot fail: no maps with non-string keys; floats are finite.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}
