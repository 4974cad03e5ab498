//! From posteriors to the reconciled timeline of one location: maximal
//! segments, their support and dissent, basis, confidence, and reversals.

use super::infer::{agreements, likelihoods, most_likely, Posterior, SourceParams};
use super::observe::LocationModel;
use super::{Basis, ControlState, Reversal, Segment, Timeline};
use crate::model::{ActorId, ClaimId, SourceId};
use crate::Dataset;

/// The reconciled timeline of one location, and for each of its
/// observations whether the timeline's most likely state agrees with it.
pub(crate) fn build(
    dataset: &Dataset,
    model: &LocationModel,
    posterior: &Posterior,
    params: &[SourceParams],
) -> (Timeline, Vec<bool>) {
    let k = model.states.len();
    let s = model.segments();
    let start = model.first_observed.min(s);
    // The most likely state of each segment (ties to the lower index).
    let map: Vec<usize> = (0..s).map(|seg| most_likely(&posterior.gamma[seg * k..(seg + 1) * k])).collect();
    let mut one_hot = vec![0.0; s * k];
    for (seg, &x) in map.iter().enumerate() {
        one_hot[seg * k + x] = 1.0;
    }
    let agrees: Vec<bool> = agreements(model, &one_hot).into_iter().map(|a| a >= 0.5).collect();

    // Whether some observation covering each segment has its most likely
    // state in R: difference arrays per state, O(n + S·K).
    let mut positive = vec![0i64; (s + 1) * k];
    let mut negative_all = vec![0i64; s + 1];
    let mut negative_one = vec![0i64; (s + 1) * k];
    for o in model.observations.iter().filter(|o| !o.before) {
        if o.negated {
            negative_all[o.first] += 1;
            negative_all[o.end] -= 1;
            negative_one[o.first * k + o.state] += 1;
            negative_one[o.end * k + o.state] -= 1;
        } else {
            positive[o.first * k + o.state] += 1;
            positive[o.end * k + o.state] -= 1;
        }
    }
    let mut supported = vec![false; s];
    let (mut pos, mut neg_all, mut neg_one) = (vec![0i64; k], 0i64, vec![0i64; k]);
    for seg in 0..s {
        neg_all += negative_all[seg];
        for x in 0..k {
            pos[x] += positive[seg * k + x];
            neg_one[x] += negative_one[seg * k + x];
        }
        let x = map[seg];
        supported[seg] = pos[x] + neg_all - neg_one[x] > 0;
    }

    // Maximal runs: an unknown prefix, then runs of equal (state, supported).
    let mut runs: Vec<(usize, usize)> = Vec::new();
    if start > 0 {
        runs.push((0, start));
    }
    let mut seg = start;
    while seg < s {
        let mut end = seg + 1;
        while end < s && map[end] == map[seg] && supported[end] == supported[seg] {
            end += 1;
        }
        runs.push((seg, end));
        seg = end;
    }

    // Observations intersecting each run, by a sweep over runs in order.
    let mut order: Vec<usize> = (0..model.observations.len()).collect();
    order.sort_by_key(|&i| (model.observations[i].first, i));
    let mut next = 0;
    let mut active: Vec<usize> = Vec::new();
    let mut segments = Vec::with_capacity(runs.len() + 1);
    for &(a, b) in &runs {
        let cut = |i: usize| model.cuts.get(i).copied().unwrap_or(chrono::DateTime::<chrono::Utc>::MAX_UTC);
        if a < start {
            segments.push(Segment {
                from: cut(a),
                to: Some(cut(b)),
                state: ControlState::Unknown,
                confidence: 0.0,
                support: Vec::new(),
                dissent: Vec::new(),
                basis: Basis::Inferred,
                strongest: None,
            });
            continue;
        }
        active.retain(|&i| model.observations[i].end > a);
        while next < order.len() && model.observations[order[next]].first < b {
            let o = &model.observations[order[next]];
            if o.end > a {
                active.push(order[next]);
            }
            next += 1;
        }
        let x = map[a];
        let (mut support, mut dissent): (Vec<ClaimId>, Vec<ClaimId>) = (Vec::new(), Vec::new());
        let mut support_sources: Vec<SourceId> = Vec::new();
        // Why the state won: the supporting claim with the most evidence for
        // it (its log-likelihood ratio, in versus out; ties to the lower
        // claim id), or failing any, the event whose "before" half implies it.
        let mut strongest: Option<(f64, ClaimId)> = None;
        let mut implied: Option<(f64, ClaimId)> = None;
        for &i in &active {
            let o = &model.observations[i];
            let weight = || {
                params
                    .get(o.source.as_usize())
                    .and_then(|&p| likelihoods(o, k, p))
                    .map_or(0.0, |(l_in, l_out)| o.weight * (l_in / l_out).ln())
            };
            let best = if o.before { &mut implied } else { &mut strongest };
            if o.contains(x) {
                let w = weight();
                if best.is_none_or(|(v, c)| w > v || (w == v && o.claim < c)) {
                    *best = Some((w, o.claim));
                }
            }
            if o.before {
                continue;
            }
            if o.contains(x) {
                support.push(o.claim);
                support_sources.push(o.source);
            } else {
                dissent.push(o.claim);
            }
        }
        let strongest = strongest.or(implied);
        support.sort_unstable();
        support.dedup();
        dissent.sort_unstable();
        dissent.dedup();
        support_sources.sort_unstable();
        support_sources.dedup();

        let (mut mass, mut length) = (0.0, 0.0);
        for seg in a..b {
            mass += model.len[seg] * posterior.gamma[seg * k + x];
            length += model.len[seg];
        }
        let confidence = if length > 0.0 {
            mass / length
        } else {
            (a..b).map(|seg| posterior.gamma[seg * k + x]).sum::<f64>() / (b - a) as f64
        };
        let state = model.states[x];
        let basis = if supported[a] { basis(dataset, state, &support_sources) } else { Basis::Inferred };
        segments.push(Segment {
            from: cut(a),
            to: Some(cut(b)),
            state,
            confidence: confidence.clamp(0.0, 1.0),
            support,
            dissent,
            basis,
            strongest: strongest.map(|(_, claim)| claim),
        });
    }
    // The open end: the last state, carried forward.
    if let (Some(&last), true) = (map.last(), start < s) {
        let state = model.states[last];
        if let Some(&from) = model.cuts.last() {
            segments.push(Segment {
                from,
                to: None,
                state,
                confidence: posterior.gamma[(s - 1) * k + last].clamp(0.0, 1.0),
                support: Vec::new(),
                dissent: Vec::new(),
                basis: Basis::Inferred,
                strongest: None,
            });
        }
    }

    // Each segment's span in cut indices (the open end has none).
    let mut spans: Vec<(usize, usize)> = runs.clone();
    spans.push((s, s));
    let reversals = reversals(model, &segments, &spans);
    (Timeline { location: model.location, segments, reversals }, agrees)
}

/// The changes of holding side along the segments, each with the claims
/// that carry it: every claim whose evidence, between the end of the old
/// holder's run and the end of the new holder's first supported segment
/// (or of its run, if none is supported), prefers the new holder to the
/// old one: a statement whose set contains the new side and not the old
/// (a hold, a capture's after or before state, a withdrawal, a denial), or
/// an event whose window spans a boundary there, into the new side or out
/// of the old, or a capture by the old side (which says it had lost the
/// place first). `spans` gives each segment's range of elementary segments.
///
/// # Complexity
///
/// O(n log n + r + m) for n observations and transitions, r reversals and
/// m claims named, by one sweep in time order.
fn reversals(model: &LocationModel, segments: &[Segment], spans: &[(usize, usize)]) -> Vec<Reversal> {
    // The stretches of the changes: (from, to, first elementary segment,
    // one past the last, the segment where the new side begins).
    let mut stretches: Vec<(ActorId, ActorId, usize, usize, usize)> = Vec::new();
    let mut holder: Option<(ActorId, usize)> = None;
    for (index, segment) in segments.iter().enumerate() {
        let ControlState::Held(side) = segment.state else { continue };
        if let Some((before, last)) = holder.filter(|&(b, _)| b != side) {
            let start = spans.get(last + 1).map_or(model.segments(), |span| span.0);
            let run = segments[index..].iter().zip(&spans[index..]).take_while(|(s, _)| s.state == segment.state);
            let mut end = spans[index].1;
            for (s, span) in run {
                end = span.1;
                if !s.support.is_empty() {
                    break;
                }
            }
            stretches.push((before, side, start, end.max(start + 1), index));
        }
        holder = Some((side, index));
    }
    if stretches.is_empty() {
        return Vec::new();
    }
    let index_of = |side: ActorId| model.states.binary_search(&ControlState::Held(side)).ok();
    // Observations and transitions by their first elementary segment (a
    // transition across boundary j touches segments j - 1 and j).
    let mut items: Vec<(usize, usize, usize)> = Vec::new();
    for (i, o) in model.observations.iter().enumerate() {
        items.push((o.first, o.end, i));
    }
    let observations = model.observations.len();
    for (i, t) in model.transitions.iter().enumerate() {
        items.push((t.first - 1, t.end, observations + i));
    }
    items.sort_unstable();
    let mut next = 0;
    let mut active: Vec<(usize, usize, usize)> = Vec::new();
    let mut out = Vec::with_capacity(stretches.len());
    for (from, to, first, end, index) in stretches {
        active.retain(|item| item.1 > first);
        while next < items.len() && items[next].0 < end {
            if items[next].1 > first {
                active.push(items[next]);
            }
            next += 1;
        }
        let (Some(f), Some(t)) = (index_of(from), index_of(to)) else { continue };
        let mut claims: Vec<ClaimId> = active
            .iter()
            .filter_map(|&(_, _, i)| match i.checked_sub(observations) {
                None => {
                    let o = &model.observations[i];
                    (o.contains(t) && !o.contains(f)).then_some(o.claim)
                }
                Some(j) => {
                    // An event into the new side or out of the old one; or a
                    // capture by the old side whose window spans the change:
                    // it says the old side had lost the place before it.
                    let e = &model.transitions[j];
                    let carries = if e.into { e.state == t || e.state == f } else { e.state == f };
                    carries.then_some(e.claim)
                }
            })
            .collect();
        claims.sort_unstable();
        claims.dedup();
        out.push(Reversal { at: segments[index].from, from, to, claims });
    }
    out
}

/// The basis of a segment whose state some claims support
/// ([`crate::format_reference`], section 2.5):
/// `assessed` when a source aligned with another side concedes it, or when
/// at least two distinct sources support it and not all of them are aligned
/// with the holding side; `claimed` otherwise (only aligned sources, or a
/// single source).
fn basis(dataset: &Dataset, state: ControlState, sources: &[SourceId]) -> Basis {
    let side_of = |s: SourceId| dataset.source(s).side();
    match state {
        ControlState::Held(holder) => {
            let concession = sources.iter().any(|&s| side_of(s).is_some_and(|own| own != holder));
            let all_aligned = sources.iter().all(|&s| side_of(s) == Some(holder));
            if concession || (sources.len() >= 2 && !all_aligned) {
                Basis::Assessed
            } else {
                Basis::Claimed
            }
        }
        _ if sources.len() >= 2 => Basis::Assessed,
        _ => Basis::Claimed,
    }
}
