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
    let supported = supported(model, &map);
    let runs = runs(start, &map, &supported);

    // Observations intersecting each run, by a sweep over runs in order.
    let mut order: Vec<usize> = (0..model.observations.len()).collect();
    order.sort_by_key(|&i| (model.observations[i].first, i));
    let mut next = 0;
    let mut active: Vec<usize> = Vec::new();
    let mut segments = Vec::with_capacity(runs.len() + 1);
    let run_segment = RunSegment { dataset, model, posterior, params };
    for &(a, b) in &runs {
        if a < start {
            segments.push(run_segment.unknown(a, b));
            continue;
        }
        active.retain(|&i| model.observations[i].end > a);
        while next < order.len() && model.observations[order[next]].first < b {
            if model.observations[order[next]].end > a {
                active.push(order[next]);
            }
            next += 1;
        }
        segments.push(run_segment.of(a, b, map[a], supported[a], &active));
    }
    // The open end: the last state, carried forward.
    if let (Some(&last), true, Some(&from)) = (map.last(), start < s, model.cuts.last()) {
        segments.push(Segment {
            from,
            to: None,
            state: model.states[last],
            confidence: posterior.gamma[(s - 1) * k + last].clamp(0.0, 1.0),
            support: Vec::new(),
            dissent: Vec::new(),
            basis: Basis::Inferred,
            strongest: None,
        });
    }

    // Each segment's span in cut indices (the open end has none).
    let mut spans: Vec<(usize, usize)> = runs;
    spans.push((s, s));
    let reversals = reversals(model, &segments, &spans);
    (Timeline { location: model.location, segments, reversals }, agrees)
}

/// Whether some observation covering each segment has the segment's most
/// likely state (`map`) in its set: difference arrays per state, O(n + S·K).
/// The "before" half of an event supports nothing.
fn supported(model: &LocationModel, map: &[usize]) -> Vec<bool> {
    let k = model.states.len();
    let s = model.segments();
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
    for (seg, &x) in map.iter().enumerate() {
        neg_all += negative_all[seg];
        for y in 0..k {
            pos[y] += positive[seg * k + y];
            neg_one[y] += negative_one[seg * k + y];
        }
        supported[seg] = pos[x] + neg_all - neg_one[x] > 0;
    }
    supported
}

/// Maximal runs of elementary segments: an unknown prefix before `start`,
/// then runs of equal (most likely state, supported).
fn runs(start: usize, map: &[usize], supported: &[bool]) -> Vec<(usize, usize)> {
    let s = map.len();
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
    runs
}

/// Builds the segment of one run.
struct RunSegment<'a> {
    dataset: &'a Dataset,
    model: &'a LocationModel,
    posterior: &'a Posterior,
    params: &'a [SourceParams],
}

impl RunSegment<'_> {
    fn cut(&self, i: usize) -> chrono::DateTime<chrono::Utc> {
        self.model.cuts.get(i).copied().unwrap_or(chrono::DateTime::<chrono::Utc>::MAX_UTC)
    }

    /// The `unknown` segment before any evidence.
    fn unknown(&self, a: usize, b: usize) -> Segment {
        Segment {
            from: self.cut(a),
            to: Some(self.cut(b)),
            state: ControlState::Unknown,
            confidence: 0.0,
            support: Vec::new(),
            dissent: Vec::new(),
            basis: Basis::Inferred,
            strongest: None,
        }
    }

    /// The segment of the run `a..b` in state `x`, given the observations
    /// that intersect it: support, dissent, why it won, confidence, basis.
    fn of(&self, a: usize, b: usize, x: usize, supported: bool, active: &[usize]) -> Segment {
        let (model, k) = (self.model, self.model.states.len());
        let (mut support, mut dissent): (Vec<ClaimId>, Vec<ClaimId>) = (Vec::new(), Vec::new());
        let mut support_sources: Vec<SourceId> = Vec::new();
        // Why the state won: the supporting claim with the most evidence for
        // it (its log-likelihood ratio, in versus out; ties to the lower
        // claim id), or failing any, the event whose "before" half implies it.
        let mut strongest: Option<(f64, ClaimId)> = None;
        let mut implied: Option<(f64, ClaimId)> = None;
        for &i in active {
            let o = &model.observations[i];
            if o.contains(x) {
                let w = self
                    .params
                    .get(o.source.as_usize())
                    .and_then(|&p| likelihoods(o, k, p))
                    .map_or(0.0, |(l_in, l_out)| o.weight * (l_in / l_out).ln());
                let best = if o.before { &mut implied } else { &mut strongest };
                if best.is_none_or(|(v, c)| w > v || (w == v && o.claim < c)) {
                    *best = Some((w, o.claim));
                }
            }
            match (o.before, o.contains(x)) {
                (true, _) => {}
                (false, true) => {
                    support.push(o.claim);
                    support_sources.push(o.source);
                }
                (false, false) => dissent.push(o.claim),
            }
        }
        for list in [&mut support, &mut dissent] {
            list.sort_unstable();
            list.dedup();
        }
        support_sources.sort_unstable();
        support_sources.dedup();

        let (mut mass, mut length) = (0.0, 0.0);
        for seg in a..b {
            mass += model.len[seg] * self.posterior.gamma[seg * k + x];
            length += model.len[seg];
        }
        let confidence = if length > 0.0 {
            mass / length
        } else {
            (a..b).map(|seg| self.posterior.gamma[seg * k + x]).sum::<f64>() / (b - a) as f64
        };
        let state = model.states[x];
        let basis = if supported { basis(self.dataset, state, &support_sources) } else { Basis::Inferred };
        Segment {
            from: self.cut(a),
            to: Some(self.cut(b)),
            state,
            confidence: confidence.clamp(0.0, 1.0),
            support,
            dissent,
            basis,
            strongest: strongest.or(implied).map(|(_, claim)| claim),
        }
    }
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
        // Both sides are states of the location (the segments come from
        // them); were one not, the reversal would stand with no claims.
        let sides = index_of(from).zip(index_of(to));
        let mut claims: Vec<ClaimId> = active
            .iter()
            .filter_map(|&(_, _, i)| {
                let (f, t) = sides?;
                match i.checked_sub(observations) {
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
