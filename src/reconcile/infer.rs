//! Inference on one location: evidence per segment and state, the
//! forward-backward pass, and how well each observation agrees with the
//! posterior.
//!
//! The hidden state is the location's state on each elementary segment.
//! Control persists: across the boundary between segments `k` and `k+1`,
//! separated by Δ days (half of each length), state x stays with
//! probability ρ_x = exp(-λ·f_x·Δ) and is otherwise drawn uniformly from all
//! K states, where f_x is 1 for a held state and
//! [`Config::contested_exit_factor`](super::Config::contested_exit_factor)
//! for `contested` (contested spells are short). Because that transition
//! is "stay, or jump uniformly", one step of forward or backward costs
//! O(K), not O(K²).
//!
//! Each observation is one claim: "the truth lies in R". A source with
//! accuracy `a` makes a true statement with probability `a` (see
//! [`likelihoods`] for the exact form). When the statement serves the
//! source's own side, a share `b` of such statements is propaganda, said
//! whatever the state. The likelihood is raised to the claim's certainty weight
//! and spread over the segments it covers in proportion to their length, so
//! that cutting a window into more segments never adds evidence.

use super::observe::{LocationModel, Observation};

/// A source's parameters, as the inference uses them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct SourceParams {
    pub accuracy: f64,
    pub self_serving: f64,
}

/// Observations over more segments than this, and at least a second long,
/// go through difference arrays and prefix sums; shorter ones are summed
/// directly (which keeps instants exact).
const DIRECT_SEGMENTS: usize = 8;
const ONE_SECOND_IN_DAYS: f64 = 1.0 / 86_400.0;

/// The likelihood of an observation for a state inside and outside R.
///
/// `a` is the probability that the source's statement is true. A claim
/// naming one state is a one-coin report: `a` for that state, the rest
/// `(1 - a)` shared evenly by the K - 1 others (informative when a > 1/K).
/// A claim excluding one state ("not S", from a withdrawal or a denial) is
/// true with probability `a`: `a` inside R, `1 - a` outside (informative
/// when a > 1/2). When the statement serves the source's own side, a share
/// `b` of such statements is propaganda: said whatever the state, so its
/// likelihood is `b + (1 - b)·honest`.
pub(crate) fn likelihoods(o: &Observation, k: usize, p: SourceParams) -> Option<(f64, f64)> {
    let r = o.size(k);
    if r == 0 || r >= k {
        return None;
    }
    let (h_in, h_out) = honest_likelihoods(o, k, p);
    if o.serving {
        let noise = propaganda(p);
        Some((noise + (1.0 - p.self_serving) * h_in, noise + (1.0 - p.self_serving) * h_out))
    } else {
        Some((h_in, h_out))
    }
}

/// The likelihood of a self-serving statement under the propaganda branch:
/// propaganda always says what serves the source's side, whatever the
/// state, so the branch contributes the share `b` itself under every state.
pub(crate) fn propaganda(p: SourceParams) -> f64 {
    p.self_serving
}

/// The likelihood of an honest statement for a state inside and outside R.
pub(crate) fn honest_likelihoods(o: &Observation, k: usize, p: SourceParams) -> (f64, f64) {
    if o.negated {
        (p.accuracy, 1.0 - p.accuracy)
    } else {
        (p.accuracy, (1.0 - p.accuracy) / (k - 1).max(1) as f64)
    }
}

fn direct(o: &Observation) -> bool {
    o.end - o.first <= DIRECT_SEGMENTS || o.span < ONE_SECOND_IN_DAYS
}

/// The share of observation `o` that falls on segment `k`.
fn fraction(o: &Observation, model: &LocationModel, k: usize) -> f64 {
    if o.span > 0.0 {
        model.len[k] / o.span
    } else {
        1.0 / (o.end - o.first) as f64
    }
}

/// The posterior over states of every segment (row-major, `segments × K`;
/// rows before `first_observed` are zero), and each observation's agreement:
/// the length-weighted posterior probability that the truth lies in its R.
#[derive(Clone, Debug, Default)]
pub(crate) struct Posterior {
    pub gamma: Vec<f64>,
    pub agreement: Vec<f64>,
    /// Expected number of jumps of the chain (for learning the change rate).
    pub jumps: f64,
    /// Total time between segment midpoints, in days (the exposure).
    pub exposure: f64,
}

/// Runs the forward-backward pass on one location.
///
/// # Complexity
///
/// O(n + S·K) time and memory for n observations, S segments, K states.
pub(crate) fn posterior(
    model: &LocationModel,
    params: &[SourceParams],
    change_rate_per_day: f64,
    contested_factor: f64,
) -> Posterior {
    let k = model.states.len();
    let s = model.segments();
    let mut evidence = vec![0.0f64; s * k];
    // Difference arrays for long observations: a rate per day for every
    // state (`all`) and per state (`one`).
    let mut diff_all = vec![0.0f64; s + 1];
    let mut diff_one = vec![0.0f64; (s + 1) * k];
    let mut any_long = false;
    for o in &model.observations {
        let Some((l_in, l_out)) = likelihoods(o, k, params[o.source.as_usize()]) else { continue };
        let (log_in, log_out) = (o.weight * l_in.ln(), o.weight * l_out.ln());
        if direct(o) {
            for seg in o.first..o.end {
                let f = fraction(o, model, seg);
                let row = &mut evidence[seg * k..(seg + 1) * k];
                for (x, e) in row.iter_mut().enumerate() {
                    *e += f * if o.contains(x) { log_in } else { log_out };
                }
            }
        } else {
            any_long = true;
            let (base, special) = if o.negated { (log_in, log_out) } else { (log_out, log_in) };
            let rate = 1.0 / o.span;
            diff_all[o.first] += rate * base;
            diff_all[o.end] -= rate * base;
            diff_one[o.first * k + o.state] += rate * (special - base);
            diff_one[o.end * k + o.state] -= rate * (special - base);
        }
    }
    if any_long {
        let mut all = 0.0;
        let mut one = vec![0.0; k];
        for seg in 0..s {
            all += diff_all[seg];
            for x in 0..k {
                one[x] += diff_one[seg * k + x];
                evidence[seg * k + x] += model.len[seg] * (all + one[x]);
            }
        }
    }

    let mut gamma = vec![0.0f64; s * k];
    let start = model.first_observed;
    let (jumps, exposure) = if start < s {
        forward_backward(model, &evidence, &mut gamma, start, change_rate_per_day, contested_factor)
    } else {
        (0.0, 0.0)
    };
    let agreement = agreements(model, &gamma);
    Posterior { gamma, agreement, jumps, exposure }
}

/// Fills `gamma`; returns the expected number of jumps and the exposure.
fn forward_backward(
    model: &LocationModel,
    evidence: &[f64],
    gamma: &mut [f64],
    start: usize,
    rate: f64,
    contested_factor: f64,
) -> (f64, f64) {
    let k = model.states.len();
    let s = model.segments();
    let uniform = 1.0 / k as f64;
    // Emissions, rescaled per segment for stability.
    let mut emission = vec![0.0f64; s * k];
    for seg in start..s {
        let row = &evidence[seg * k..(seg + 1) * k];
        let max = row.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        for x in 0..k {
            emission[seg * k + x] = (row[x] - max).exp();
        }
    }
    let gap = |seg: usize| 0.5 * (model.len[seg] + model.len[seg + 1]);
    // State x is left at rate `rate · factor(x)`: contested spells are short.
    let contested = k - 1;
    let factor = |x: usize| if x == contested { contested_factor } else { 1.0 };
    let mut rho = vec![0.0f64; k];
    // Two exponentials a step: every held state shares one stay probability.
    let set_rho = |rho: &mut [f64], seg: usize| {
        let g = gap(seg);
        let held = (-rate * g).exp();
        rho.fill(held);
        if let Some(r) = rho.get_mut(contested) {
            *r = (-rate * contested_factor * g).exp();
        }
    };

    let mut alpha = vec![0.0f64; s * k];
    for x in 0..k {
        alpha[start * k + x] = uniform * emission[start * k + x];
    }
    normalise(&mut alpha[start * k..(start + 1) * k]);
    for seg in start + 1..s {
        set_rho(&mut rho, seg - 1);
        let (done, rest) = alpha.split_at_mut(seg * k);
        let previous = &done[(seg - 1) * k..];
        let leave: f64 = previous.iter().zip(&rho).map(|(p, r)| p * (1.0 - r)).sum::<f64>() * uniform;
        let row = &mut rest[..k];
        for x in 0..k {
            row[x] = emission[seg * k + x] * (rho[x] * previous[x] + leave);
        }
        normalise(row);
    }

    let mut beta = vec![1.0f64; k];
    let mut weighted = vec![0.0f64; k];
    let (mut jumps, mut exposure) = (0.0, 0.0);
    for seg in (start..s).rev() {
        if seg + 1 < s {
            set_rho(&mut rho, seg);
            let mut total = 0.0;
            for x in 0..k {
                weighted[x] = emission[(seg + 1) * k + x] * beta[x];
                total += weighted[x];
            }
            // Two-slice marginal of "the chain jumped between seg and seg+1".
            let row = &alpha[seg * k..(seg + 1) * k];
            let stay_mass: f64 = (0..k).map(|x| row[x] * rho[x] * weighted[x]).sum();
            let jump_mass: f64 = (0..k).map(|x| row[x] * (1.0 - rho[x])).sum::<f64>() * uniform * total;
            if stay_mass + jump_mass > 0.0 {
                jumps += jump_mass / (stay_mass + jump_mass);
            }
            // Exposure in units of the base rate: time in a state counts by its factor.
            let next = &gamma[(seg + 1) * k..(seg + 2) * k];
            exposure += gap(seg) * (0..k).map(|x| next[x] * factor(x)).sum::<f64>();
            for x in 0..k {
                beta[x] = rho[x] * weighted[x] + (1.0 - rho[x]) * uniform * total;
            }
            normalise(&mut beta);
        }
        let row = &mut gamma[seg * k..(seg + 1) * k];
        for x in 0..k {
            row[x] = alpha[seg * k + x] * beta[x];
        }
        normalise(row);
    }
    (jumps, exposure)
}

/// The index of the largest value of a row (ties to the lower index).
pub(crate) fn most_likely(row: &[f64]) -> usize {
    let mut best = 0;
    for (x, &value) in row.iter().enumerate().skip(1) {
        if value > row[best] {
            best = x;
        }
    }
    best
}

fn normalise(row: &mut [f64]) {
    let total: f64 = row.iter().sum();
    if total > 0.0 && total.is_finite() {
        row.iter_mut().for_each(|v| *v /= total);
    } else {
        let uniform = 1.0 / row.len() as f64;
        row.iter_mut().for_each(|v| *v = uniform);
    }
}

/// Each observation's length-weighted probability of its R under `gamma`
/// (a distribution over states per segment).
pub(crate) fn agreements(model: &LocationModel, gamma: &[f64]) -> Vec<f64> {
    let k = model.states.len();
    let s = model.segments();
    let long = model.observations.iter().any(|o| !direct(o));
    // Prefix sums of len·γ per state, for long observations.
    let prefix = if long {
        let mut prefix = vec![0.0f64; (s + 1) * k];
        for seg in 0..s {
            for x in 0..k {
                prefix[(seg + 1) * k + x] = prefix[seg * k + x] + model.len[seg] * gamma[seg * k + x];
            }
        }
        prefix
    } else {
        Vec::new()
    };
    model
        .observations
        .iter()
        .map(|o| {
            let in_state = if direct(o) {
                (o.first..o.end).map(|seg| fraction(o, model, seg) * gamma[seg * k + o.state]).sum::<f64>()
            } else {
                (prefix[o.end * k + o.state] - prefix[o.first * k + o.state]) / o.span
            };
            let in_state = in_state.clamp(0.0, 1.0);
            if o.negated {
                1.0 - in_state
            } else {
                in_state
            }
        })
        .collect()
}
