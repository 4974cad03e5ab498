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
use crate::graph::{Contradiction, ContradictionKind};
use crate::model::{format_instant, ActorId, ClaimId, LocationId};
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
    analysis.dataset().location_ids().map(move |l| location(analysis, l))
}

fn location<'a>(analysis: &'a Analysis<'_>, l: LocationId) -> LocationReport<'a> {
    let dataset = analysis.dataset();
    let rec = analysis.reconciliation();
    let actor = move |id: ActorId| Cow::Borrowed(dataset.actor(id).id());
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
}

fn contradictions<'a>(analysis: &'a Analysis<'_>) -> impl Iterator<Item = ContradictionReport<'a>> + 'a {
    analysis.graphs().iter().flat_map(|g| g.contradictions()).map(move |c| contradiction(analysis, c))
}

fn contradiction<'a>(analysis: &'a Analysis<'_>, c: &Contradiction) -> ContradictionReport<'a> {
    let dataset = analysis.dataset();
    let claim = move |id: ClaimId| Cow::Borrowed(dataset.claim(id).id());
    ContradictionReport {
        kind: c.kind(),
        location: Cow::Borrowed(dataset.location(c.location()).id()),
        claims: c.claims().map(claim),
        from: format_instant(c.window().start()),
        to: format_instant(c.window().end()),
        favoured: analysis.reconciliation().favoured(c).map(claim),
    }
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

/// How many locations (or locations' contradictions) one task renders: at a
/// million claims, a run of locations is a few megabytes of JSON.
const RUN_ITEMS: usize = 64;

/// Writes the compact JSON report: the same bytes as [`Streamed`] through
/// `serde_json::to_writer`, but with the locations and the contradictions
/// rendered in runs on all cores, a window of runs at a time, and written in
/// order (so the output does not depend on the threads, and the memory it
/// takes is bounded by the window, not the report).
///
/// # Errors
///
/// Only what `writer` returns.
pub(crate) fn write_json(analysis: &Analysis<'_>, writer: &mut impl std::io::Write) -> std::io::Result<()> {
    write_json_in_runs(analysis, writer, RUN_ITEMS)
}

/// [`write_json`] with runs of `run_items` items.
fn write_json_in_runs(
    analysis: &Analysis<'_>,
    writer: &mut impl std::io::Write,
    run_items: usize,
) -> std::io::Result<()> {
    writer.write_all(b"{")?;
    if let Some(t) = as_of(analysis) {
        writer.write_all(b"\"as_of\":")?;
        serde_json::to_writer(&mut *writer, &t)?;
        writer.write_all(b",")?;
    }
    writer.write_all(b"\"locations\":[")?;
    let ids: Vec<LocationId> = analysis.dataset().location_ids().collect();
    write_runs(writer, &ids, run_items, |&l, out| out.push(&location(analysis, l)))?;
    writer.write_all(b"],\"contradictions\":[")?;
    write_runs(writer, analysis.graphs(), run_items, |graph, out| {
        graph.contradictions().iter().try_for_each(|c| out.push(&contradiction(analysis, c)))
    })?;
    writer.write_all(b"],\"sources\":")?;
    serde_json::to_writer(&mut *writer, &sources(analysis).collect::<Vec<_>>())?;
    writer.write_all(b",\"accounting\":")?;
    serde_json::to_writer(&mut *writer, &accounting(analysis))?;
    writer.write_all(b"}")
}

/// The elements of a JSON array rendered by one task, comma-separated.
#[derive(Default)]
struct Elements {
    bytes: Vec<u8>,
    count: usize,
}

impl Elements {
    fn push(&mut self, element: &impl Serialize) -> serde_json::Result<()> {
        if self.count > 0 {
            self.bytes.push(b',');
        }
        self.count += 1;
        serde_json::to_writer(&mut self.bytes, element)
    }
}

/// Writes the elements `render` makes of each item, comma-separated, in the
/// items' order: runs of `run_items` items are rendered in parallel, a
/// window of one run per thread at a time, and written as they come back in
/// order, each window's while the next one is rendered (so two windows, two
/// runs per thread, are in memory at most).
fn write_runs<T: Sync>(
    writer: &mut impl std::io::Write,
    items: &[T],
    run_items: usize,
    render: impl Fn(&T, &mut Elements) -> serde_json::Result<()> + Sync,
) -> std::io::Result<()> {
    use rayon::prelude::*;
    let run_items = run_items.max(1);
    let window = run_items * rayon::current_num_threads().max(1);
    let render_window = |part: &[T]| -> Vec<serde_json::Result<Elements>> {
        part.par_chunks(run_items)
            .map(|run| {
                let mut out = Elements::default();
                run.iter().try_for_each(|item| render(item, &mut out))?;
                Ok(out)
            })
            .collect()
    };
    let mut first = true;
    let mut write_window = |runs: Vec<serde_json::Result<Elements>>| -> std::io::Result<()> {
        for run in runs {
            let run = run?;
            if run.count == 0 {
                continue;
            }
            if !first {
                writer.write_all(b",")?;
            }
            writer.write_all(&run.bytes)?;
            first = false;
        }
        Ok(())
    };
    let mut parts = items.chunks(window);
    let mut rendered = parts.next().map(render_window);
    while let Some(runs) = rendered.take() {
        // The next window is rendered on the pool while this thread writes
        // this one; the writing waits for nothing but its own window.
        let mut next = None;
        let written = rayon::in_place_scope(|scope| {
            if let Some(part) = parts.next() {
                let next = &mut next;
                let render_window = &render_window;
                scope.spawn(move |_| *next = Some(render_window(part)));
            }
            write_window(runs)
        });
        written?;
        rendered = next;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::in_pool;
    use crate::Config;

    #[test]
    fn the_json_written_in_runs_is_the_streamed_json_for_any_threads_and_runs() {
        let dataset = crate::data::latakia_2014();
        for as_of in [None, Some("2014-03-27".parse().unwrap())] {
            let analysis = Analysis::new(&dataset, &Config::default(), as_of);
            let expected = serde_json::to_vec(&Streamed(&analysis)).unwrap();
            assert!(expected.len() > 1000 && analysis.graphs().iter().any(|g| !g.contradictions().is_empty()));
            for threads in [1, 2, 3] {
                for run_items in [0, 1, 2, 5, RUN_ITEMS] {
                    let mut written = Vec::new();
                    in_pool(threads, || write_json_in_runs(&analysis, &mut written, run_items)).unwrap();
                    assert!(written == expected, "{threads} threads, runs of {run_items}");
                }
            }
        }
    }
}
