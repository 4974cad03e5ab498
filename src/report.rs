//! The report: the JSON output format ([`crate::format_reference`],
//! section 3.1, which gives every key and its meaning) as serialisable
//! types, separate from the internal model so that either can change
//! without breaking the other.
//!
//! Two keys are left out when they would say nothing: a location's
//! `unexamined_pairs` when it is 0, and the top-level `as_of` when the
//! report is not a replay. A contradiction's explanation in words is in the
//! text report and
//! [`Contradiction::explanation`](crate::graph::Contradiction::explanation),
//! not here: it is derived from the two claims, and on a large dataset it
//! was a quarter of the output's size and time.

use crate::analysis::Analysis;
use crate::graph::ContradictionKind;
use crate::model::{format_instant, ActorId, ClaimId};
use crate::reconcile::{Basis, ControlState, Grade};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// The whole output document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema), schemars(deny_unknown_fields))]
pub struct Report<'a> {
    /// The as-of time of a replay (input form), absent for a full reconciliation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub as_of: Option<String>,
    /// Every location, in id order.
    pub locations: Vec<LocationReport<'a>>,
    /// Every contradiction, by location id, then window start, then claims.
    pub contradictions: Vec<ContradictionReport<'a>>,
    /// Every source, in id order.
    pub sources: Vec<SourceReport<'a>>,
    /// Where every input claim went.
    pub accounting: Accounting,
}

/// One location's timeline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema), schemars(deny_unknown_fields))]
pub struct LocationReport<'a> {
    /// The location's id.
    pub location: Cow<'a, str>,
    /// Its display name.
    pub name: Cow<'a, str>,
    /// Its claims' ids in chronological order.
    pub claims: Vec<Cow<'a, str>>,
    /// The reconciled timeline.
    pub timeline: Vec<SegmentReport<'a>>,
    /// Changes of holding side along the timeline.
    pub reversals: Vec<ReversalReport<'a>>,
    /// Changes of holder along the chain of claims, as the sources tell it.
    pub claimed_reversals: Vec<ReversalReport<'a>>,
    /// Pairs of overlapping claims the control graph did not compare (see
    /// [`crate::graph::PAIR_BUDGET`]); left out when 0.
    #[serde(default, skip_serializing_if = "is_zero")]
    #[cfg_attr(feature = "schema", schemars(range(min = 1)))]
    pub unexamined_pairs: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// One segment of a timeline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema), schemars(deny_unknown_fields))]
pub struct SegmentReport<'a> {
    /// RFC 3339, UTC.
    pub from: String,
    /// RFC 3339, UTC; null for the open end.
    pub to: Option<String>,
    /// `held`, `contested` or `unknown`.
    #[cfg_attr(feature = "schema", schemars(extend("enum" = ["held", "contested", "unknown"])))]
    pub state: Cow<'a, str>,
    /// The holding side's id when held, otherwise null.
    pub side: Option<Cow<'a, str>>,
    /// Posterior probability of the state, rounded to 4 decimals.
    #[cfg_attr(feature = "schema", schemars(range(min = 0, max = 1)))]
    pub confidence: f64,
    /// Supporting claim ids.
    pub support: Vec<Cow<'a, str>>,
    /// Dissenting claim ids.
    pub dissent: Vec<Cow<'a, str>>,
    /// `assessed`, `claimed` or `inferred`.
    pub basis: Basis,
    /// Why the state won: the id of the supporting claim that weighs most
    /// for it, or failing any, of the event whose "before" state implies it
    /// (then absent from `support`); null when no claim speaks of the stretch.
    #[serde(default)]
    pub strongest: Option<Cow<'a, str>>,
}

/// A change of holding side.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema), schemars(deny_unknown_fields))]
pub struct ReversalReport<'a> {
    /// RFC 3339, UTC.
    pub at: String,
    /// The side before.
    pub from: Cow<'a, str>,
    /// The side after.
    pub to: Cow<'a, str>,
    /// The claims that carry it.
    pub claims: Vec<Cow<'a, str>>,
}

/// A contradiction between two claims.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema), schemars(deny_unknown_fields))]
pub struct ContradictionReport<'a> {
    /// `conflicting_control`, `held_vs_contested`, `denial` or `self_contradiction`.
    pub kind: ContradictionKind,
    /// The location's id.
    pub location: Cow<'a, str>,
    /// The two claims (a denial first).
    pub claims: [Cow<'a, str>; 2],
    /// Where they conflict: start, RFC 3339.
    pub from: String,
    /// Where they conflict: end, RFC 3339.
    pub to: String,
    /// The claim the timeline bears out, or null.
    pub favoured: Option<Cow<'a, str>>,
}

/// What was learned about a source.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema), schemars(deny_unknown_fields))]
pub struct SourceReport<'a> {
    /// The source's id.
    pub source: Cow<'a, str>,
    /// Probability that its claims are true, rounded to 4 decimals.
    #[cfg_attr(feature = "schema", schemars(range(min = 0, max = 1)))]
    pub reliability: f64,
    /// Admiralty letter.
    pub grade: Grade,
    /// Number of claims.
    pub claims: usize,
    /// Number agreeing with the timeline.
    pub agreeing: usize,
    /// Learned accuracy of its honest reports, rounded to 4 decimals.
    #[cfg_attr(feature = "schema", schemars(range(min = 0, max = 1)))]
    pub accuracy: f64,
    /// Learned share of its self-serving claims that carry no information.
    #[cfg_attr(feature = "schema", schemars(range(min = 0, max = 1)))]
    pub self_serving: f64,
}

/// Where every input claim went.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema), schemars(deny_unknown_fields))]
pub struct Accounting {
    /// How many claims the input had.
    pub claims: usize,
    /// The claims in no segment's support or dissent, with the reason.
    pub unplaced: Vec<Unplaced>,
}

/// A claim left out of the timelines.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema), schemars(deny_unknown_fields))]
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

impl<'a> Report<'a> {
    pub(crate) fn new(analysis: &'a Analysis<'_>) -> Report<'a> {
        Report {
            as_of: as_of(analysis),
            locations: locations(analysis).collect(),
            contradictions: contradictions(analysis).collect(),
            sources: sources(analysis).collect(),
            accounting: accounting(analysis),
        }
    }

    /// The report as compact JSON, one line, as the `json` format writes it.
    pub fn to_json(&self) -> String {
        // Cannot fail: no maps with non-string keys; floats are finite.
        serde_json::to_string(self).unwrap_or_default()
    }
}

// The parts of the report, each built one item at a time: `Report::new`
// collects them, `Streamed` serialises them as they come, so that both give
// the same document and the streamed one never holds it whole.

fn as_of(analysis: &Analysis<'_>) -> Option<String> {
    analysis.as_of().map(|t| t.to_string())
}

fn claim_ids<'a>(dataset: &'a crate::Dataset, ids: &[ClaimId]) -> Vec<Cow<'a, str>> {
    ids.iter().map(|&c| Cow::Borrowed(dataset.claim(c).id())).collect()
}

fn locations<'a>(analysis: &'a Analysis<'_>) -> impl Iterator<Item = LocationReport<'a>> + 'a {
    let dataset = analysis.dataset();
    let rec = analysis.reconciliation();
    let actor = move |id: ActorId| Cow::Borrowed(dataset.actor(id).id());
    dataset.location_ids().map(move |l| {
        let timeline = rec.timeline(l);
        let reversal = |at, from, to, claims: &[ClaimId]| ReversalReport {
            at: format_instant(at),
            from: actor(from),
            to: actor(to),
            claims: claim_ids(dataset, claims),
        };
        LocationReport {
            location: Cow::Borrowed(dataset.location(l).id()),
            name: Cow::Borrowed(dataset.location(l).name()),
            claims: claim_ids(dataset, dataset.claims_at(l)),
            timeline: timeline
                .segments
                .iter()
                .map(|s| SegmentReport {
                    from: format_instant(s.from),
                    to: s.to.map(format_instant),
                    state: Cow::Borrowed(match s.state {
                        ControlState::Held(_) => "held",
                        ControlState::Contested => "contested",
                        ControlState::Unknown => "unknown",
                    }),
                    side: match s.state {
                        ControlState::Held(side) => Some(actor(side)),
                        _ => None,
                    },
                    confidence: round4(s.confidence),
                    support: claim_ids(dataset, &s.support),
                    dissent: claim_ids(dataset, &s.dissent),
                    basis: s.basis,
                    strongest: s.strongest.map(|c| Cow::Borrowed(dataset.claim(c).id())),
                })
                .collect(),
            reversals: timeline.reversals.iter().map(|r| reversal(r.at, r.from, r.to, &r.claims)).collect(),
            claimed_reversals: analysis
                .graph(l)
                .claimed_reversals()
                .iter()
                .map(|r| reversal(r.at, r.from, r.to, &r.claims))
                .collect(),
            unexamined_pairs: analysis.graph(l).unexamined_pairs(),
        }
    })
}

fn contradictions<'a>(analysis: &'a Analysis<'_>) -> impl Iterator<Item = ContradictionReport<'a>> + 'a {
    let dataset = analysis.dataset();
    let rec = analysis.reconciliation();
    let claim = move |id: ClaimId| Cow::Borrowed(dataset.claim(id).id());
    analysis.graphs().iter().flat_map(|g| g.contradictions()).map(move |c| ContradictionReport {
        kind: c.kind(),
        location: Cow::Borrowed(dataset.location(c.location()).id()),
        claims: c.claims().map(claim),
        from: format_instant(c.window().start()),
        to: format_instant(c.window().end()),
        favoured: rec.favoured(c).map(claim),
    })
}

fn sources<'a>(analysis: &'a Analysis<'_>) -> impl Iterator<Item = SourceReport<'a>> + 'a {
    let dataset = analysis.dataset();
    analysis.reconciliation().sources().iter().map(move |s| SourceReport {
        source: Cow::Borrowed(dataset.source(s.source).id()),
        reliability: round4(s.reliability),
        grade: s.grade,
        claims: s.claims,
        agreeing: s.agreeing,
        accuracy: round4(s.accuracy),
        self_serving: round4(s.self_serving),
    })
}

fn accounting(analysis: &Analysis<'_>) -> Accounting {
    Accounting { claims: analysis.total_claims(), unplaced: analysis.unplaced() }
}

/// The report of an analysis, serialised as it is built: the same document
/// as [`Report`], item by item.
pub(crate) struct Streamed<'a, 'b>(pub(crate) &'a Analysis<'b>);

impl Serialize for Streamed<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        struct Seq<F>(F);
        impl<I: Iterator<Item = T>, T: Serialize, F: Fn() -> I> Serialize for Seq<F> {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_seq((self.0)())
            }
        }
        let analysis = self.0;
        let as_of = as_of(analysis);
        let mut report = serializer.serialize_struct("Report", if as_of.is_some() { 5 } else { 4 })?;
        match &as_of {
            Some(t) => report.serialize_field("as_of", t)?,
            None => report.skip_field("as_of")?,
        }
        report.serialize_field("locations", &Seq(|| locations(analysis)))?;
        report.serialize_field("contradictions", &Seq(|| contradictions(analysis)))?;
        report.serialize_field("sources", &Seq(|| sources(analysis)))?;
        report.serialize_field("accounting", &accounting(analysis))?;
        report.end()
    }
}
