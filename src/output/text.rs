//! The readable report: per location its claims, timeline, reversals and
//! contradictions; then the source table and the accounting.

use crate::analysis::Analysis;
use crate::describe;
use crate::model::{ActorId, Certainty, ClaimId, LocationId};
use crate::reconcile::{ControlState, Segment};
use crate::report::round4;
use crate::Dataset;
use chrono::{DateTime, Utc};
use std::fmt::Write as _;

/// Why a segment's state won, in a few words: its strongest claim, or
/// where an unsupported state comes from.
fn why(dataset: &Dataset, s: &Segment) -> String {
    match (s.strongest, s.state, s.to) {
        (Some(c), _, _) if !s.support.contains(&c) => {
            format!(
                "implied by the state right before a later event: {}",
                describe::claim_line(dataset, dataset.claim(c))
            )
        }
        (Some(c), _, _) => {
            let claim = dataset.claim(c);
            let others = s.support.len().saturating_sub(1);
            let mut text = format!(
                "{} ({}, {})",
                describe::claim_line(dataset, claim),
                claim.certainty(),
                dataset.source(claim.source()).side().map_or_else(
                    || "unaffiliated".to_owned(),
                    |side| format!("aligned with {}", dataset.actor(side).name())
                )
            );
            match others {
                0 => {}
                1 => text.push_str("; 1 more claim agrees"),
                n => {
                    let _ = write!(text, "; {n} more claims agree");
                }
            }
            if !s.dissent.is_empty() {
                let _ = write!(text, "; {} against", s.dissent.len());
            }
            text
        }
        (None, ControlState::Unknown, _) => "before any claim about this place".to_owned(),
        (None, _, None) => "after the last claim: the last state, carried forward".to_owned(),
        (None, _, Some(_)) if !s.dissent.is_empty() => {
            format!("no claim says so here, and {} against; the claims around it outweigh them", s.dissent.len())
        }
        (None, _, Some(_)) => {
            "no claim covers this stretch: the most likely state between the claims around it".to_owned()
        }
    }
}

/// Writes the text report.
pub(crate) fn write(analysis: &Analysis<'_>, out: &mut impl std::io::Write) -> std::io::Result<()> {
    let dataset = analysis.dataset();
    if let Some(t) = analysis.as_of() {
        writeln!(out, "As of {t}: only the claims reported by then.\n")?;
    }
    for l in dataset.location_ids() {
        if !dataset.claims_at(l).is_empty() {
            write_location(analysis, l, out)?;
        }
    }
    write_sources(analysis, out)?;
    write_accounting(analysis, out)
}

/// Claim ids, comma-separated.
fn ids(dataset: &Dataset, list: &[ClaimId]) -> String {
    list.iter().map(|&c| dataset.claim(c).id()).collect::<Vec<_>>().join(", ")
}

/// A change of holder in one line: `25 Mar 2014: A → B  (claims)`.
fn change(dataset: &Dataset, at: DateTime<Utc>, from: ActorId, to: ActorId, claims: &[ClaimId]) -> String {
    let side = |a| dataset.actor(a).name();
    format!("{}: {} → {}  ({})", describe::instant(at), side(from), side(to), ids(dataset, claims))
}

/// One location: its claims, timeline, reversals, claimed changes and
/// contradictions.
fn write_location(analysis: &Analysis<'_>, l: LocationId, out: &mut impl std::io::Write) -> std::io::Result<()> {
    let dataset = analysis.dataset();
    let location = dataset.location(l);
    writeln!(out, "== {} ({}) ==", location.name(), location.id())?;
    writeln!(out, "Claims:")?;
    for &c in dataset.claims_at(l) {
        let claim = dataset.claim(c);
        let mut line = describe::claim_line(dataset, claim);
        if claim.certainty() != Certainty::Reported {
            let _ = write!(line, " [{}]", claim.certainty());
        }
        if let Some(cite) = claim.cite() {
            let _ = write!(line, " (cite {cite})");
        }
        writeln!(out, "  {line}  <{}>", claim.id())?;
    }
    let timeline = analysis.reconciliation().timeline(l);
    writeln!(out, "Timeline:")?;
    for s in &timeline.segments {
        writeln!(out, "{}", segment_line(dataset, s))?;
        writeln!(out, "      why: {}", why(dataset, s))?;
    }
    if !timeline.reversals.is_empty() {
        writeln!(out, "Reversals ({}):", timeline.reversals.len())?;
        for r in &timeline.reversals {
            writeln!(out, "  {}", change(dataset, r.at, r.from, r.to, &r.claims))?;
        }
    }
    let graph = analysis.graph(l);
    if !graph.claimed_reversals().is_empty() {
        writeln!(out, "Claimed changes of holder ({}):", graph.claimed_reversals().len())?;
        for r in graph.claimed_reversals() {
            writeln!(out, "  {}", change(dataset, r.at, r.from, r.to, &r.claims))?;
        }
    }
    if graph.unexamined_pairs() > 0 {
        writeln!(
            out,
            "Note: {} pairs of overlapping claims were not compared (more than the graph's budget); their contradictions are not listed.",
            graph.unexamined_pairs()
        )?;
    }
    if !graph.contradictions().is_empty() {
        writeln!(out, "Contradictions ({}):", graph.contradictions().len())?;
        for c in graph.contradictions() {
            let favoured = match analysis.reconciliation().favoured(c) {
                Some(f) => format!("favoured: {}", dataset.claim(f).id()),
                None => "favoured: neither".to_owned(),
            };
            writeln!(out, "  [{}] {}  ({})", c.kind().name(), c.explanation(dataset), favoured)?;
        }
    }
    writeln!(out)
}

/// A timeline segment in one line: its span, state, confidence, basis,
/// support and dissent.
fn segment_line(dataset: &Dataset, s: &Segment) -> String {
    let to = s.to.map(describe::instant).unwrap_or_else(|| "…".to_owned());
    let state = match s.state {
        ControlState::Held(a) => format!("held by {}", dataset.actor(a).name()),
        ControlState::Contested => "contested".to_owned(),
        ControlState::Unknown => "unknown".to_owned(),
    };
    let mut line = format!(
        "  {} → {}  {}  ({:.2})  {}",
        describe::instant(s.from),
        to,
        state,
        round4(s.confidence),
        s.basis.name()
    );
    if !s.support.is_empty() {
        let _ = write!(line, "  support: {}", ids(dataset, &s.support));
    }
    if !s.dissent.is_empty() {
        let _ = write!(line, "  dissent: {}", ids(dataset, &s.dissent));
    }
    line
}

/// The source table.
fn write_sources(analysis: &Analysis<'_>, out: &mut impl std::io::Write) -> std::io::Result<()> {
    writeln!(out, "Sources:")?;
    writeln!(
        out,
        "  {:<22} {:>5} {:>11} {:>6} {:>8} {:>8} {:>12}",
        "source", "grade", "reliability", "claims", "agreeing", "accuracy", "self-serving"
    )?;
    for s in analysis.reconciliation().sources() {
        writeln!(
            out,
            "  {:<22} {:>5} {:>11.2} {:>6} {:>8} {:>8.2} {:>12.2}",
            analysis.dataset().source(s.source).id(),
            s.grade.to_string(),
            s.reliability,
            s.claims,
            s.agreeing,
            s.accuracy,
            s.self_serving
        )?;
    }
    Ok(())
}

/// Every input claim accounted for.
fn write_accounting(analysis: &Analysis<'_>, out: &mut impl std::io::Write) -> std::io::Result<()> {
    let unplaced = analysis.unplaced();
    writeln!(
        out,
        "\nAccounting: {} claims, {} placed, {} unplaced.",
        analysis.total_claims(),
        analysis.total_claims() - unplaced.len(),
        unplaced.len()
    )?;
    for u in &unplaced {
        writeln!(out, "  {}: {}", u.claim, u.reason)?;
    }
    Ok(())
}
