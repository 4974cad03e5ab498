//! From posteriors to the reconciled timeline of one location: maximal
//! segments, their support and dissent, basis, confidence, and reversals.

use super::infer::{agreements, most_likely, Posterior};
use super::observe::LocationModel;
use super::{Basis, ControlState, Reversal, Segment, Timeline};
use crate::model::{ClaimId, SourceId};
use crate::Dataset;

/// The reconciled timeline of one location, and for each of its
/// observations whether the timeline's most likely state agrees with it.
pub(crate) fn build(dataset: &Dataset, model: &LocationModel, posterior: &Posterior) -> (Timeline, Vec<bool>) {
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
            });
            continue;
        }
        active.retain(|&i| model.observations[i].end > a);
        while next < order.len() && model.observations[order[next]].first < b {
            let o = &model.observations[order[next]];
            if o.end > a && !o.before {
                active.push(order[next]);
            }
            next += 1;
        }
        let x = map[a];
        let (mut support, mut dissent): (Vec<ClaimId>, Vec<ClaimId>) = (Vec::new(), Vec::new());
        let mut support_sources: Vec<SourceId> = Vec::new();
        for &i in &active {
            let o = &model.observations[i];
            if o.contains(x) {
                support.push(o.claim);
                support_sources.push(o.source);
            } else {
                dissent.push(o.claim);
            }
        }
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
            });
        }
    }

    let mut reversals = Vec::new();
    let mut holder = None;
    for (index, segment) in segments.iter().enumerate() {
        if let ControlState::Held(side) = segment.state {
            if let Some(before) = holder.filter(|&b| b != side) {
                // The claims that carry the change: the support of the new
                // holder's first supported segment, before its run ends.
                let claims = segments[index..]
                    .iter()
                    .take_while(|s| s.state == segment.state)
                    .find(|s| !s.support.is_empty())
                    .map(|s| s.support.clone())
                    .unwrap_or_default();
                reversals.push(Reversal { at: segment.from, from: before, to: side, claims });
            }
            holder = Some(side);
        }
    }
    (Timeline { location: model.location, segments, reversals }, agrees)
}

/// The basis of a segment whose state some claims support (DESIGN.md §3):
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
