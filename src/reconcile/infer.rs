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

use super::observe::{LocationModel, Observation, Transition};

/// A source's parameters, as the inference uses them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct SourceParams {
    pub accuracy: f64,
    pub self_serving: f64,
    /// [`Config::contested_while_held`](super::Config::contested_while_held).
    pub fighting_while_held: f64,
}

/// Observations over more segments than this, and at least a second long,
/// go through difference arrays and prefix sums; shorter ones are summed
/// directly (which keeps instants exact).
pub(crate) const DIRECT_SEGMENTS: usize = 8;
const ONE_SECOND_IN_DAYS: f64 = 1.0 / 86_400.0;

/// The likelihood of an observation for a state inside and outside R.
///
/// `a` is the probability that the source's statement is true. A claim
/// naming one state is a one-coin report: `a` for that state, the rest
/// `(1 - a)` shared evenly by the K - 1 others (informative when a > 1/K).
/// A report of fighting (`contested`) is also made, honestly, while a side
/// holds the place and is attacked there: under each held state its
/// likelihood is `f·a + (1 - f)·(1 - a)/(K - 1)`, f being
/// [`Config::contested_while_held`](super::Config::contested_while_held).
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
    one_coin(Variant::of(o, k), k, p)
}

/// What kind of statement an observation is, for its likelihoods: of one
/// state, of all but one, or of fighting (`contested`, the last state).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Variant {
    One = 0,
    AllBut = 1,
    Fighting = 2,
}

impl Variant {
    /// The variants, in the order [`SourceLogs`] stores them (their
    /// discriminants).
    const ALL: [Variant; 3] = [Variant::One, Variant::AllBut, Variant::Fighting];
}

// `SourceLogs` indexes its table by discriminant, in the order of `ALL`.
const _: () = assert!(Variant::ALL[0] as usize == 0 && Variant::ALL[1] as usize == 1 && Variant::ALL[2] as usize == 2);

impl Variant {
    fn of(o: &Observation, k: usize) -> Variant {
        if o.negated {
            Variant::AllBut
        } else if o.state + 1 == k {
            Variant::Fighting
        } else {
            Variant::One
        }
    }
}

/// The honest likelihoods, inside and outside R, of a statement of the
/// variant at a location of `k ≥ 2` states.
fn one_coin(variant: Variant, k: usize, p: SourceParams) -> (f64, f64) {
    let a = p.accuracy;
    let wrong = (1.0 - a) / (k - 1).max(1) as f64;
    match variant {
        Variant::One => (a, wrong),
        Variant::AllBut => (a, 1.0 - a),
        Variant::Fighting => (a, p.fighting_while_held * a + (1.0 - p.fighting_while_held) * wrong),
    }
}

/// Every source's log-likelihoods ([`likelihoods`], then `ln`) for the
/// locations of up to `k_max` states, computed once per EM iteration: there
/// are few sources and many claims, so the evidence of a claim looks its
/// logarithms up instead of taking them. The same values, bit for bit, as
/// taking them per claim; a location of more states than the table holds
/// takes them per claim.
#[derive(Clone, Debug, Default)]
pub(crate) struct SourceLogs {
    /// Locations of 2 to `k_max` states are in the table.
    k_max: usize,
    /// Per source, per K from 2, per ([`Variant`], serving): `(ln in, ln out)`.
    table: Vec<(f64, f64)>,
}

impl SourceLogs {
    /// The largest K a table holds: a location of more states takes its
    /// logarithms per claim (its claims are few against the table's size).
    pub const MOST_STATES: usize = 8;

    /// Entries per source and K: every [`Variant`], serving or not.
    const VARIANTS: usize = Variant::ALL.len() * 2;

    /// The table for `params`, for locations of up to `k_max` states (at
    /// most [`SourceLogs::MOST_STATES`]).
    pub fn new(params: &[SourceParams], k_max: usize) -> SourceLogs {
        let k_max = k_max.min(SourceLogs::MOST_STATES);
        if k_max < 2 {
            return SourceLogs::default();
        }
        let mut table = Vec::with_capacity(params.len() * (k_max - 1) * Self::VARIANTS);
        for &p in params {
            for k in 2..=k_max {
                for variant in Variant::ALL {
                    for serving in [false, true] {
                        let (l_in, l_out) = variant_likelihoods(variant, serving, k, p);
                        table.push((l_in.ln(), l_out.ln()));
                    }
                }
            }
        }
        SourceLogs { k_max, table }
    }

    /// `(ln in, ln out)` of observation `o` at a location of `k` states,
    /// `None` where [`likelihoods`] gives none.
    fn of(&self, o: &Observation, k: usize, params: &[SourceParams]) -> Option<(f64, f64)> {
        if (2..=self.k_max).contains(&k) {
            let index = ((o.source.as_usize() * (self.k_max - 1) + (k - 2)) * Self::VARIANTS)
                + 2 * Variant::of(o, k) as usize
                + usize::from(o.serving);
            if let Some(&logs) = self.table.get(index) {
                return Some(logs);
            }
        }
        let (l_in, l_out) = likelihoods(o, k, params[o.source.as_usize()])?;
        Some((l_in.ln(), l_out.ln()))
    }
}

/// [`likelihoods`] of a statement of the variant at a location of `k ≥ 2`
/// states, as the same expressions compute it.
fn variant_likelihoods(variant: Variant, serving: bool, k: usize, p: SourceParams) -> (f64, f64) {
    let (h_in, h_out) = one_coin(variant, k, p);
    if serving {
        let noise = propaganda(p);
        (noise + (1.0 - p.self_serving) * h_in, noise + (1.0 - p.self_serving) * h_out)
    } else {
        (h_in, h_out)
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
    /// Total time between segment midpoints, in days, each gap weighted by
    /// the posterior of the state after it times that state's exit factor
    /// (the exposure in units of the base rate).
    pub exposure: f64,
}

/// The change process of one location: its initial distribution over its
/// states, its change rate per day, and how much faster `contested` is left.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Chain<'a> {
    pub initial: &'a [f64],
    pub rate: f64,
    pub contested_factor: f64,
}

/// Runs the forward-backward pass on one location.
///
/// # Complexity
///
/// O(n + S·K) time and memory for n observations, S segments, K states.
#[cfg(test)]
pub(crate) fn posterior(model: &LocationModel, params: &[SourceParams], chain: Chain<'_>) -> Posterior {
    posterior_with(model, params, &SourceLogs::default(), chain)
}

/// [`posterior`], the sources' log-likelihoods looked up in `logs` (built
/// from the same `params`).
pub(crate) fn posterior_with(
    model: &LocationModel,
    params: &[SourceParams],
    logs: &SourceLogs,
    chain: Chain<'_>,
) -> Posterior {
    let k = model.states.len();
    let s = model.segments();
    let mut gamma = vec![0.0f64; s * k];
    let (jumps, exposure) = SCRATCH.with(|scratch| {
        // A pass never runs inside another on one thread; if one did, it
        // would take fresh arrays.
        let Ok(mut scratch) = scratch.try_borrow_mut() else {
            return fresh_pass(model, params, logs, chain, &mut gamma, &mut Scratch::default());
        };
        let chain = fresh_pass(model, params, logs, chain, &mut gamma, &mut scratch);
        // The arrays of a very large location are not kept (the thread
        // would hold them to the end of the process); allocating them costs
        // little beside such a pass.
        if scratch.evidence.capacity() > Scratch::KEEP_AT_MOST {
            *scratch = Scratch::default();
        }
        chain
    });
    let agreement = agreements(model, &gamma);
    Posterior { gamma, agreement, jumps, exposure }
}

/// The working arrays of one location's pass, kept by each thread from one
/// location to the next (EM's passes run every location a dozen times):
/// each is cleared and filled to its size before use, so that a pass reads
/// exactly what fresh arrays would hold, without allocating and freeing
/// them every time.
#[derive(Default)]
struct Scratch {
    evidence: Vec<f64>,
    diff_all: Vec<f64>,
    diff_one: Vec<f64>,
    diff_into: Vec<f64>,
    diff_out: Vec<f64>,
    boosts: Boosts,
    stay: Vec<(f64, f64)>,
    emission: Vec<f64>,
    alpha: Vec<f64>,
}

impl Scratch {
    /// The most values (segments × states) whose arrays a thread keeps:
    /// 8 MB an array.
    const KEEP_AT_MOST: usize = 1 << 20;
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
}

/// `buffer` cleared and filled with `n` times `value`: what `vec![value; n]` holds.
fn filled<T: Copy>(buffer: &mut Vec<T>, n: usize, value: T) -> &mut [T] {
    buffer.clear();
    buffer.resize(n, value);
    buffer
}

/// The evidence, the events' factors and forward–backward of one location
/// in `scratch`'s arrays, filling `gamma`: its expected jumps and exposure.
fn fresh_pass(
    model: &LocationModel,
    params: &[SourceParams],
    logs: &SourceLogs,
    chain: Chain<'_>,
    gamma: &mut [f64],
    scratch: &mut Scratch,
) -> (f64, f64) {
    let Scratch { evidence, diff_all, diff_one, diff_into, diff_out, boosts, stay, emission, alpha } = scratch;
    evidence_into(model, params, logs, false, evidence, diff_all, diff_one);
    let boosted = boosts_into(model, params, chain.rate, boosts, diff_into, diff_out);
    let start = model.first_observed;
    if start < model.segments() {
        let steps = Steps::new(model, boosted.then_some(&*boosts), chain, start, stay);
        emissions_into(model, evidence, start, emission);
        forward_into(&steps, emission, chain.initial, start, alpha);
        backward(&steps, emission, alpha, gamma, start)
    } else {
        (0.0, 0.0)
    }
}

/// The log-evidence of every segment and state (row-major, `segments × K`):
/// each observation's `weight · ln(likelihood)`, spread over the segments it
/// covers by [`fraction`]. Long observations go through difference arrays
/// and prefix sums unless `force_direct` (which sums every one directly, for
/// tests).
#[cfg(test)]
pub(crate) fn evidence(model: &LocationModel, params: &[SourceParams], force_direct: bool) -> Vec<f64> {
    let mut evidence = Vec::new();
    let logs = SourceLogs::default();
    evidence_into(model, params, &logs, force_direct, &mut evidence, &mut Vec::new(), &mut Vec::new());
    evidence
}

/// [`evidence`] into `evidence`, the sources' log-likelihoods looked up in
/// `logs`, the difference arrays in `diff_all` and `diff_one`.
fn evidence_into(
    model: &LocationModel,
    params: &[SourceParams],
    logs: &SourceLogs,
    force_direct: bool,
    evidence: &mut Vec<f64>,
    diff_all: &mut Vec<f64>,
    diff_one: &mut Vec<f64>,
) {
    let k = model.states.len();
    let s = model.segments();
    let evidence = filled(evidence, s * k, 0.0);
    // Difference arrays for long observations: a rate per day for every
    // state (`all`) and per state (`one`).
    let diff_all = filled(diff_all, s + 1, 0.0);
    let diff_one = filled(diff_one, (s + 1) * k, 0.0);
    let mut any_long = false;
    for o in &model.observations {
        let Some((ln_in, ln_out)) = logs.of(o, k, params) else { continue };
        let (log_in, log_out) = (o.weight * o.scale * ln_in, o.weight * o.scale * ln_out);
        if force_direct || direct(o) {
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
}

/// The largest factor one boundary's events may put on a transition.
pub(crate) const MAX_LOG_BOOST: f64 = 40.0;

/// Per boundary and state, the factors that event claims put on the
/// transitions into (`into`) and out of (`out`) that state: `S·K` each,
/// 1 where no event speaks.
///
/// A capture of S by a source of accuracy `a` says that S took the place
/// within its window. Reports are event-driven: a source reports a capture
/// because one happened, so the claim's likelihood ratio for "a transition
/// into S within W" against "none" is set so that, alone, it lifts the
/// chain's prior chance of that transition (`p_W`, from the change rate
/// over W's boundaries) to the source's precision: `LR = odds(a) /
/// odds(p_W)`, raised to the certainty weight; for a self-serving claim `a`
/// is the mixture `(1 − b)·a + b·p_W` (propaganda, a share `b` of such
/// claims, is right only as often as the chain's prior). `a` is first
/// clamped to [0.5, 0.999] and the ratio to at least 1 (an event never
/// counts against the change it reports). Over several boundaries the
/// factor is shared by [`event_log_factors`], so that one transition
/// anywhere in W gets its share of the pull once. Difference arrays in log
/// space keep long windows O(1).
#[derive(Default)]
pub(crate) struct Boosts {
    pub into: Vec<f64>,
    pub out: Vec<f64>,
}

/// One event's log factors on the boundaries of its window: at the first
/// boundary, at the middle ones and at the last, `(first, middle, last)`
/// (all three the same for a window over one boundary).
///
/// `LR = odds(a')/odds(p_W)` (at least 1) sets the event's total pull
/// `P = p_W·LR`: alone, the claim lifts the chain's prior chance of the
/// change over its window to its precision. Over several boundaries, `P` is
/// shared in proportion to `ω_b`, the chain's prior chance of a change at
/// boundary b *inside the window*: at the first boundary only the half of
/// its gap that lies in the window counts (`ω = prior(h)`, h half the
/// window's first segment, where the prior `J̄ = prior(gap)` also counts
/// the time before the window), at the others their prior `J̄_b`; and for
/// an event dated by a range ("by D") every boundary before the one into
/// its last day is weighted by ε ([`Config::range_early_weight`]): a report
/// says when it was made, and a change long before D would have been
/// reported before D. So `J̄_b·LR_b = P·ω_b/Σω`, i.e. `LR_b = LR·p_W·ω_b /
/// (J̄_b·Σω)`: `LR·p_W/Σω` at the last boundary, ε times that at the middle
/// ones, `(ω_first/J̄_first)` times that at the first. Each is raised to the
/// certainty weight and kept within `[1, e^MAX_LOG_BOOST]`.
///
/// [`Config::range_early_weight`]: super::Config::range_early_weight
pub(crate) fn event_log_factors(t: &Transition, k: usize, p: SourceParams, rate: f64) -> (f64, f64, f64) {
    let prior = |days: f64| ((1.0 - (-rate * days).exp()) / k as f64).clamp(1e-12, 0.5);
    let p_window = prior(t.span);
    // The claim's precision: its source's accuracy, or for a self-serving
    // claim the mixture of an honest report (share 1 − b) and propaganda
    // said whatever happened (share b, as often right as the chain's own
    // prior chance of the change).
    let a = p.accuracy.clamp(0.5, 0.999);
    let a = if t.serving { (1.0 - p.self_serving) * a + p.self_serving * p_window } else { a };
    let log = ((a / (1.0 - a)) / (p_window / (1.0 - p_window))).max(1.0).ln();
    let clamp = |x: f64| (t.weight * x).clamp(0.0, MAX_LOG_BOOST);
    let Some((gap_first, half_first, gap_last)) = t.steps else {
        return (clamp(log), clamp(log), clamp(log));
    };
    let lean = if t.ranged { t.early.clamp(1e-12, 1.0) } else { 1.0 };
    let middle_span = t.span - gap_first - gap_last;
    let w_first = lean * prior(half_first);
    let w_middle = if t.end - t.first >= 3 { lean * prior(middle_span.max(0.0)) } else { 0.0 };
    let w_last = prior(gap_last);
    let last = log + (p_window / (w_first + w_middle + w_last)).ln();
    (clamp(last + (w_first / prior(gap_first)).ln()), clamp(last + lean.ln()), clamp(last))
}

/// `None` when the location has no event claim.
#[cfg(test)]
pub(crate) fn transition_boosts(model: &LocationModel, params: &[SourceParams], rate: f64) -> Option<Boosts> {
    let mut boosts = Boosts::default();
    boosts_into(model, params, rate, &mut boosts, &mut Vec::new(), &mut Vec::new()).then_some(boosts)
}

/// [`transition_boosts`] into `boosts` (`false` where there are none), the
/// difference arrays in `diff_into` and `diff_out`.
fn boosts_into(
    model: &LocationModel,
    params: &[SourceParams],
    rate: f64,
    boosts: &mut Boosts,
    diff_into: &mut Vec<f64>,
    diff_out: &mut Vec<f64>,
) -> bool {
    if model.transitions.is_empty() {
        return false;
    }
    let k = model.states.len();
    let s = model.segments();
    let diff_into = filled(diff_into, (s + 1) * k, 0.0);
    let diff_out = filled(diff_out, (s + 1) * k, 0.0);
    for t in &model.transitions {
        let p = params[t.source.as_usize()];
        let (first, middle, last) = event_log_factors(t, k, p, rate);
        let diff = if t.into { &mut *diff_into } else { &mut *diff_out };
        // `first` at the first boundary, `middle` up to the last, `last` there.
        diff[t.first * k + t.state] += first;
        diff[(t.first + 1) * k + t.state] += middle - first;
        diff[(t.end - 1) * k + t.state] += last - middle;
        diff[t.end * k + t.state] -= last;
    }
    let into = filled(&mut boosts.into, s * k, 1.0);
    let out = filled(&mut boosts.out, s * k, 1.0);
    let (mut run_into, mut run_out) = (vec![0.0f64; k], vec![0.0f64; k]);
    // A long window's middle boundaries share one log factor: each state's
    // last exponential is kept and reused for the same exponent.
    let (mut last_into, mut last_out) = (vec![(0.0f64, 1.0f64); k], vec![(0.0f64, 1.0f64); k]);
    for j in 0..s {
        for x in 0..k {
            run_into[x] += diff_into[j * k + x];
            run_out[x] += diff_out[j * k + x];
            into[j * k + x] = exp_reusing(&mut last_into[x], run_into[x].clamp(0.0, MAX_LOG_BOOST));
            out[j * k + x] = exp_reusing(&mut last_out[x], run_out[x].clamp(0.0, MAX_LOG_BOOST));
        }
    }
    true
}

/// `e^x`, without calling `exp` where `x` is 0 (most boundaries and states:
/// no event speaks there, and `e^0` is exactly 1).
fn exp_or_one(x: f64) -> f64 {
    if x == 0.0 {
        1.0
    } else {
        x.exp()
    }
}

/// [`exp_or_one`], reusing `last`, the previous `(x, e^x)` of the same
/// sequence, where `x` is the same number (the same bits) again, and
/// keeping this one: the same value, without calling `exp` again.
fn exp_reusing(last: &mut (f64, f64), x: f64) -> f64 {
    if x.to_bits() != last.0.to_bits() {
        *last = (x, exp_or_one(x));
    }
    last.1
}

/// The chain's transitions across the boundaries of one location.
///
/// The transition across boundary `j` (into segment `j`) is
/// `T(x, y) = [x = y]·(ρ_x + J_x) + [x ≠ y]·(J_x + E_y + F_x)` with
/// `J_x = (1 − ρ_x)/K`, `E_y = J̄·(B_y − 1)` the events' pull into y and
/// `F_x = J̄·(D_x − 1)` their push out of x (`J̄` a held state's `J`), so
/// one step still costs O(K).
struct Steps<'a> {
    model: &'a LocationModel,
    boosts: Option<&'a Boosts>,
    contested_factor: f64,
    /// Per segment from `start + 1`, the stay probabilities across the
    /// boundary into it, of a held state and of `contested`: computed once,
    /// read by the forward and the backward pass.
    stay: &'a [(f64, f64)],
}

/// One boundary's transition: each state's stay probability `ρ`, and the
/// events' masses into (`E`) and out of (`F`) each state.
struct Step {
    rho: Vec<f64>,
    into: Vec<f64>,
    out: Vec<f64>,
}

impl<'a> Steps<'a> {
    fn new(
        model: &'a LocationModel,
        boosts: Option<&'a Boosts>,
        chain: Chain<'_>,
        start: usize,
        stay: &'a mut Vec<(f64, f64)>,
    ) -> Steps<'a> {
        let stay = filled(stay, model.segments(), (1.0, 1.0));
        // Most gaps repeat the one before (daily segments are a day apart):
        // the pair of the last gap is kept and reused where the gap is the
        // same, the same values as taking both exponentials again.
        let mut last: Option<(f64, (f64, f64))> = None;
        for (seg, pair) in stay.iter_mut().enumerate().skip(start + 1) {
            let g = 0.5 * (model.len[seg - 1] + model.len[seg]);
            *pair = match last {
                Some((gap, same)) if gap.to_bits() == g.to_bits() => same,
                _ => ((-chain.rate * g).exp(), (-chain.rate * chain.contested_factor * g).exp()),
            };
            last = Some((g, *pair));
        }
        Steps { model, boosts, contested_factor: chain.contested_factor, stay }
    }

    fn k(&self) -> usize {
        self.model.states.len()
    }

    /// The days between the midpoints of segments `seg` and `seg + 1`.
    fn gap(&self, seg: usize) -> f64 {
        0.5 * (self.model.len[seg] + self.model.len[seg + 1])
    }

    /// How much faster state `x` is left than a held state: contested
    /// spells are short.
    fn factor(&self, x: usize) -> f64 {
        if x == self.k() - 1 {
            self.contested_factor
        } else {
            1.0
        }
    }

    /// Fills `step` for the boundary into segment `seg` (from `seg - 1`).
    /// Every held state shares one stay probability (two exponentials a
    /// step). The event masses are `E_y = J̄·(B_y − 1)` into y and
    /// `F_x = J̄·(D_x − 1)` out of x into each other state, `J̄` being a held
    /// state's jump mass (state 0 is held), so that an event's pull does not
    /// depend on how sticky the state it ends is.
    fn at(&self, seg: usize, step: &mut Step) {
        let k = self.k();
        let (held, contested) = self.stay[seg];
        step.rho.fill(held);
        if let Some(r) = step.rho.get_mut(k - 1) {
            *r = contested;
        }
        let Some(boosts) = self.boosts else { return };
        let jbar = (1.0 - step.rho[0]) / k as f64;
        for x in 0..k {
            step.into[x] = jbar * (boosts.into[seg * k + x] - 1.0);
            step.out[x] = jbar * (boosts.out[seg * k + x] - 1.0);
        }
    }

    fn step(&self) -> Step {
        let k = self.k();
        Step { rho: vec![0.0; k], into: vec![0.0; k], out: vec![0.0; k] }
    }
}

/// The emissions of every segment from `start`, rescaled per segment for
/// stability (row-major, `segments × K`).
fn emissions_into(model: &LocationModel, evidence: &[f64], start: usize, emission: &mut Vec<f64>) {
    let k = model.states.len();
    let s = model.segments();
    let emission = filled(emission, s * k, 0.0);
    // Segments under the same claims often repeat a row: each state's last
    // exponential is kept and reused for the same exponent.
    let mut last = vec![(0.0f64, 1.0f64); k];
    for seg in start..s {
        let row = &evidence[seg * k..(seg + 1) * k];
        let max = row.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        for x in 0..k {
            emission[seg * k + x] = exp_reusing(&mut last[x], row[x] - max);
        }
    }
}

/// The forward pass: `α` of every segment from `start`, each row
/// normalised.
fn forward_into(steps: &Steps<'_>, emission: &[f64], initial: &[f64], start: usize, alpha: &mut Vec<f64>) {
    let k = steps.k();
    let s = steps.model.segments();
    let uniform = 1.0 / k as f64;
    let mut step = steps.step();
    let alpha = filled(alpha, s * k, 0.0);
    for x in 0..k {
        alpha[start * k + x] = initial.get(x).copied().unwrap_or(uniform) * emission[start * k + x];
    }
    normalise(&mut alpha[start * k..(start + 1) * k]);
    for seg in start + 1..s {
        steps.at(seg, &mut step);
        let Step { rho, into, out } = &step;
        let (done, rest) = alpha.split_at_mut(seg * k);
        let previous = &done[(seg - 1) * k..];
        // L = Σ_x α(x)·J_x, Φ = Σ_x α(x)·F_x (α sums to 1).
        let leave: f64 = (0..k).map(|x| previous[x] * (1.0 - rho[x]) * uniform).sum();
        let pushed: f64 = (0..k).map(|x| previous[x] * out[x]).sum();
        let row = &mut rest[..k];
        for y in 0..k {
            let stay = previous[y] * rho[y];
            let arrive = leave + into[y] * (1.0 - previous[y]) + pushed - previous[y] * out[y];
            row[y] = emission[seg * k + y] * (stay + arrive);
        }
        normalise(row);
    }
}

/// The backward pass: fills `gamma` from `α` and `β`, and returns the
/// expected number of jumps of the base process (not those the events
/// explain: for learning its rate) and the exposure.
fn backward(steps: &Steps<'_>, emission: &[f64], alpha: &[f64], gamma: &mut [f64], start: usize) -> (f64, f64) {
    let k = steps.k();
    let s = steps.model.segments();
    let uniform = 1.0 / k as f64;
    let mut step = steps.step();
    let mut beta = vec![1.0f64; k];
    let mut weighted = vec![0.0f64; k];
    let (mut jumps, mut exposure) = (0.0, 0.0);
    for seg in (start..s).rev() {
        if seg + 1 < s {
            steps.at(seg + 1, &mut step);
            let Step { rho, into, out } = &step;
            // W = Σ_y w(y), EW = Σ_y E_y·w(y), w = emission·β of the next segment.
            let (mut total, mut pulled) = (0.0, 0.0);
            for y in 0..k {
                weighted[y] = emission[(seg + 1) * k + y] * beta[y];
                total += weighted[y];
                pulled += into[y] * weighted[y];
            }
            // Σ_y T(x, y)·w(y), and the base process's jump part of it:
            // computed once per state, into the new β (before it is
            // normalised), and read back by the two-slice marginals.
            for (x, b) in beta.iter_mut().enumerate() {
                let jump = (1.0 - rho[x]) * uniform;
                *b = rho[x] * weighted[x]
                    + jump * total
                    + out[x] * (total - weighted[x])
                    + (pulled - into[x] * weighted[x]);
            }
            // Two-slice marginals: the base process's jumps against
            // everything that happened across the boundary.
            let row = &alpha[seg * k..(seg + 1) * k];
            let all: f64 = (0..k).map(|x| row[x] * beta[x]).sum();
            let base_jumps: f64 = (0..k).map(|x| row[x] * (1.0 - rho[x]) * uniform * total).sum();
            if all > 0.0 {
                jumps += base_jumps / all;
            }
            // Exposure in units of the base rate: time in a state counts by its factor.
            let next = &gamma[(seg + 1) * k..(seg + 2) * k];
            exposure += steps.gap(seg) * (0..k).map(|x| next[x] * steps.factor(x)).sum::<f64>();
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reconcile::observe::Rivals;
    use crate::reconcile::Config;

    /// The table of logarithms gives, for every observation of a real
    /// battle (statements of one state, of all but one, of fighting,
    /// serving or not), the bits that taking them per claim gives.
    #[test]
    fn the_table_of_logarithms_is_the_per_claim_likelihoods() {
        let dataset = crate::data::aleppo_2012();
        let config = Config::default();
        let rivals = Rivals::of(&dataset);
        let params: Vec<SourceParams> = (0..dataset.sources().len())
            .map(|i| SourceParams {
                accuracy: 0.6 + 0.01 * (i % 30) as f64,
                self_serving: 0.2,
                fighting_while_held: config.contested_while_held,
            })
            .collect();
        let logs = SourceLogs::new(&params, SourceLogs::MOST_STATES);
        let mut kinds = std::collections::BTreeSet::new();
        for location in dataset.location_ids() {
            let model = LocationModel::build(&dataset, location, &rivals, &config);
            let k = model.states.len();
            for o in &model.observations {
                let direct = likelihoods(o, k, params[o.source.as_usize()]).map(|(i, u)| (i.ln(), u.ln()));
                assert_eq!(logs.of(o, k, &params), direct, "{o:?}");
                kinds.insert((Variant::of(o, k) as usize, o.serving));
            }
        }
        assert!(kinds.len() >= 4, "the battle has too few kinds of statement: {kinds:?}");
    }
}
