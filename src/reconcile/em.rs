//! Expectation–maximisation over all locations: the E-step per location
//! (in parallel, merged in location order), the learned change rates and
//! initial distribution; the M-step per source is in [`super::priors`].

use super::infer::{self, SourceParams};
use super::observe::LocationModel;
use super::priors::Priors;
use super::Config;
use crate::model::ControlState;
use crate::Dataset;
use rayon::prelude::*;

/// What EM learns: each source's parameters, each location's change rate,
/// the initial distribution, and how it ended.
pub(super) struct Fit {
    pub params: Vec<SourceParams>,
    pub rates: Vec<f64>,
    pub initial: Initial,
    pub iterations: usize,
    pub converged: bool,
}

/// Runs EM over all locations from the priors, in two phases.
///
/// The whole iteration (E-step over every location, M-step of every
/// source, the change rates and the initial distribution) repeats until the
/// shared parameters settle and the locations still moving weigh nothing in
/// them: no source's accuracy and not the pooled change rate moves by
/// [`Config::tolerance`] or more, and the locations whose own change rate
/// moves by the tolerance or more hold less than that share of the
/// observations. This test does not grow stricter with the number of
/// locations, as a test on every location's own rate does (the slowest of
/// more locations is slower: at a million claims a single location's rate,
/// converging by a factor of 0.85 an iteration, held every location for 9
/// more iterations). On a small dataset, where any one location weighs more
/// than the tolerance, it is the test on every rate.
///
/// The passes are accelerated by SQUAREM ([`Squarem`]): after every two
/// plain passes, the accuracies and the change rates jump to the squared
/// extrapolation of the two steps, and the next pass starts from there.
/// Each pass is still one plain EM step from its input, and the test above
/// compares its input with its output, so the point where it stops is a
/// point that one EM step moves by less than the tolerance, as before; the
/// acceleration only takes fewer passes to get there (at one million
/// simulated claims 11 instead of 20; see BENCHMARKS.md).
///
/// Then each location whose own rate still moved by the tolerance or more
/// is iterated alone, the shared parameters held, until its rate moves by
/// less (that location's own EM; the others are not recomputed): the tail
/// costs one location's forward–backward per iteration, not a pass over
/// all of them. Each location has at most [`Config::max_iterations`]
/// iterations in all (shared and own). Every step depends only on the
/// location and the shared parameters, so the result is the same for any
/// order of the locations and any number of threads.
pub(super) fn fit(dataset: &Dataset, models: &[LocationModel], priors: &Priors, config: &Config) -> Fit {
    let mut params = priors.initial();
    let mut rates = vec![config.change_rate_per_day; models.len()];
    let mut pooled = config.change_rate_per_day;
    let mut initial = Initial::new(dataset);
    let mut iterations = 0;
    let mut shared_converged = false;
    let mut moving: Vec<usize> = Vec::new();
    let k_max = models.iter().map(|m| m.states.len()).max().unwrap_or(0);
    let claims = models.iter().map(|m| m.observations.len()).sum::<usize>().max(1) as f64;
    let mut squarem = Squarem::default();
    while iterations < config.max_iterations {
        let input = Squarem::point(&params, &rates);
        let logs = infer::SourceLogs::new(&params, k_max);
        let EStep { tallies, chains, firsts } = e_step(dataset, models, &params, &logs, &initial, &rates, config);
        let next = priors.m_step(dataset, &tallies, config);
        let (next_pooled, next_rates) =
            if config.learn_change_rate { learn_rates(&chains, config) } else { (pooled, rates.clone()) };
        let shared_change = params
            .iter()
            .zip(&next)
            .map(|(p, q)| (p.accuracy - q.accuracy).abs())
            .fold((pooled - next_pooled).abs(), f64::max);
        moving = (0..models.len()).filter(|&l| (rates[l] - next_rates[l]).abs() >= config.tolerance).collect();
        params = next;
        rates = next_rates;
        pooled = next_pooled;
        initial = Initial::learn(dataset, models, &firsts);
        iterations += 1;
        let moving_share = moving.iter().map(|&l| models[l].observations.len()).sum::<usize>() as f64 / claims;
        if shared_change < config.tolerance && moving_share < config.tolerance {
            shared_converged = true;
            break;
        }
        // A jump only where a pass is left to start from it: what EM
        // returns is always the output of a plain step.
        if iterations < config.max_iterations {
            if let Some(jump) = squarem.after(input, &Squarem::point(&params, &rates)) {
                Squarem::set(&jump, &mut params, &mut rates, config);
            }
        }
    }
    let mut converged = shared_converged;
    if shared_converged && !moving.is_empty() {
        let logs = infer::SourceLogs::new(&params, k_max);
        let budget = config.max_iterations - iterations;
        let own = |l: usize| settle(&models[l], rates[l], pooled, &params, &logs, &initial, config, budget);
        let settled: Vec<(f64, bool)> = moving.par_iter().map(|&l| own(l)).collect();
        for (&l, (rate, done)) in moving.iter().zip(settled) {
            rates[l] = rate;
            converged &= done;
        }
    }

    Fit { params, rates, initial, iterations, converged }
}

/// One location's own EM of its change rate, the shared parameters held:
/// from `rate`, until the rate moves by less than [`Config::tolerance`]
/// (then `true`) or `budget` iterations have run (then `false`).
#[allow(clippy::too_many_arguments)]
fn settle(
    model: &LocationModel,
    mut rate: f64,
    pooled: f64,
    params: &[SourceParams],
    logs: &infer::SourceLogs,
    initial: &Initial,
    config: &Config,
    budget: usize,
) -> (f64, bool) {
    for _ in 0..budget {
        let step = location_step(model, rate, params, logs, initial, config, false);
        let next = location_rate(pooled, step.chain, config);
        let change = (next - rate).abs();
        rate = next;
        if change < config.tolerance {
            return (rate, true);
        }
    }
    (rate, false)
}

/// SQUAREM, the squared iterative method of Varadhan and Roland ("Simple
/// and globally convergent methods for accelerating the convergence of any
/// EM algorithm", Scandinavian Journal of Statistics 35, 2008), scheme S3,
/// on the parameters EM iterates: every source's accuracy and every
/// location's change rate, as one vector θ.
///
/// From θ₀ and two plain EM steps θ₁ = F(θ₀), θ₂ = F(θ₁), with
/// `r = θ₁ − θ₀` and `v = θ₂ − 2θ₁ + θ₀`, the next point is
/// `θ₀ − 2αr + α²v` with the step `α = −‖r‖/‖v‖`, kept within
/// `[−MAX_STEP, −1]` (`α = −1` gives θ₂ itself); an accuracy is clamped
/// into [`Config::accuracy_bounds`] and a rate that would not be positive
/// keeps θ₂'s. The pass after a jump is the scheme's stabilising step
/// F(θ′) and is not part of a cycle; the next cycle starts from its
/// output. The initial distribution and the pooled rate are those of the
/// last pass (they follow from the others in one step). The arithmetic is
/// serial, in source then location order: the same bits for any number of
/// threads.
#[derive(Debug, Default)]
struct Squarem {
    /// The inputs of the current cycle's plain passes (θ₀, then θ₁).
    cycle: Vec<Vec<f64>>,
    /// The next pass starts from a jump (its input is not θ₀ of a cycle).
    stabilising: bool,
}

impl Squarem {
    /// The largest step length: a bound on how far one jump extrapolates.
    const MAX_STEP: f64 = 8.0;

    /// θ: the accuracies in source order, then the rates in location order.
    fn point(params: &[SourceParams], rates: &[f64]) -> Vec<f64> {
        params.iter().map(|p| p.accuracy).chain(rates.iter().copied()).collect()
    }

    /// Puts θ back into the accuracies and the rates, each in its domain.
    fn set(point: &[f64], params: &mut [SourceParams], rates: &mut [f64], config: &Config) {
        let (lo, hi) = config.accuracy_range();
        let (accuracies, new_rates) = point.split_at(params.len().min(point.len()));
        for (p, &a) in params.iter_mut().zip(accuracies) {
            p.accuracy = if a.is_finite() { a.clamp(lo, hi) } else { p.accuracy };
        }
        for (rate, &r) in rates.iter_mut().zip(new_rates) {
            if r.is_finite() && r > 0.0 {
                *rate = r;
            }
        }
    }

    /// After a pass from `input` to `output`: the point to jump to, when
    /// this pass ends a cycle of two plain ones.
    fn after(&mut self, input: Vec<f64>, output: &[f64]) -> Option<Vec<f64>> {
        if std::mem::take(&mut self.stabilising) {
            return None;
        }
        self.cycle.push(input);
        let [t0, t1] = <[Vec<f64>; 2]>::try_from(std::mem::take(&mut self.cycle)).map_err(|c| self.cycle = c).ok()?;
        let (mut rr, mut vv) = (0.0, 0.0);
        for ((a, b), c) in t0.iter().zip(&t1).zip(output) {
            let (r, v) = (b - a, c - 2.0 * b + a);
            rr += r * r;
            vv += v * v;
        }
        if vv.is_nan() || vv <= 0.0 {
            return None;
        }
        let alpha = (-(rr / vv).sqrt()).clamp(-Squarem::MAX_STEP, -1.0);
        self.stabilising = true;
        Some(
            t0.iter()
                .zip(&t1)
                .zip(output)
                .map(|((a, b), c)| a - 2.0 * alpha * (b - a) + alpha * alpha * (c - 2.0 * b + a))
                .collect(),
        )
    }
}

/// Per-source sums of one E-step, as the M-step reads them.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Tally {
    /// Σ weight · P(honest, truth in R)
    pub honest_right: f64,
    /// Σ weight · P(honest)
    pub honest: f64,
}

/// An exact sum of reals: fixed point with 64 fractional bits in an `i128`.
/// Each term is rounded once, to 2⁻⁶⁴ (5·10⁻²⁰); after that, adding is
/// exact, so associative and commutative, unlike adding `f64`s: partial
/// sums merged in any grouping and any order (by threads, or by machines)
/// give the same bits. Sums up to 2⁶³ fit; beyond, they saturate.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct ExactSum(i128);

impl ExactSum {
    /// 2⁶⁴, the scale of the fixed point.
    const ONE: f64 = 18_446_744_073_709_551_616.0;

    /// A sum of one term (a NaN counts as 0).
    pub fn of(x: f64) -> ExactSum {
        // What `(x * ONE).round() as i128` gives (the product is exact;
        // `round` goes half away from zero; `as` saturates and maps NaN to
        // 0), taken from the bits with integer arithmetic: x = ±m·2^e with
        // an integer m < 2⁵³, so x·2⁶⁴ = ±m·2^(e+64).
        let bits = x.to_bits();
        let biased = ((bits >> 52) & 0x7ff) as i32;
        let fraction = bits & ((1u64 << 52) - 1);
        let negative = bits >> 63 == 1;
        if biased == 0x7ff {
            return ExactSum(match (fraction, negative) {
                (0, false) => i128::MAX,
                (0, true) => i128::MIN,
                _ => 0,
            });
        }
        let (m, e) = if biased == 0 { (fraction, -1074) } else { (fraction | (1u64 << 52), biased - 1075) };
        let shift = e + 64;
        let magnitude: i128 = if shift > 74 {
            // At least 2¹²⁷: saturated.
            return ExactSum(if negative { i128::MIN } else { i128::MAX });
        } else if shift >= 0 {
            i128::from(m) << shift
        } else if shift < -53 {
            // Under a half.
            0
        } else {
            // Rounded half away from zero: up when the first bit shifted out is 1.
            let down = -shift;
            i128::from((m >> down) + ((m >> (down - 1)) & 1))
        };
        ExactSum(if negative { -magnitude } else { magnitude })
    }

    /// The sum, rounded to the nearest `f64`.
    pub fn value(self) -> f64 {
        self.0 as f64 / ExactSum::ONE
    }
}

impl std::ops::Add for ExactSum {
    type Output = ExactSum;
    fn add(self, other: ExactSum) -> ExactSum {
        ExactSum(self.0.saturating_add(other.0))
    }
}

impl std::ops::AddAssign for ExactSum {
    fn add_assign(&mut self, other: ExactSum) {
        *self = *self + other;
    }
}

/// One source's sums in an E-step (see [`Tally`]), exact.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct SourceSums {
    /// Σ weight · P(honest, truth in R)
    pub honest_right: ExactSum,
    /// Σ weight · P(honest)
    pub honest: ExactSum,
}

impl std::ops::Add for SourceSums {
    type Output = SourceSums;
    fn add(self, other: SourceSums) -> SourceSums {
        SourceSums { honest_right: self.honest_right + other.honest_right, honest: self.honest + other.honest }
    }
}

/// What one E-step learns about the sources from some locations: per
/// source, its [`SourceSums`]. A commutative monoid under [`merge`]
/// (`Add`), with the empty value as its identity: the statistics of any
/// set of locations are the merge of those of its parts, whatever the
/// parts and the order. So an E-step is a map over locations (each its own
/// statistics, [`location_step`]) and a reduce over sources (merging them),
/// on threads here, on partitions of a distributed engine alike.
///
/// [`merge`]: SourceStatistics::merge
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct SourceStatistics {
    /// `(source index, sums)`, sorted by source, each source once.
    sums: Vec<(usize, SourceSums)>,
}

impl SourceStatistics {
    /// The merge of two sets of statistics: sources' sums added.
    pub fn merge(self, other: SourceStatistics) -> SourceStatistics {
        let mut sums = Vec::with_capacity(self.sums.len().max(other.sums.len()));
        let (mut a, mut b) = (self.sums.into_iter().peekable(), other.sums.into_iter().peekable());
        loop {
            let next = match (a.peek(), b.peek()) {
                (Some(x), Some(y)) if x.0 == y.0 => a.next().zip(b.next()).map(|(x, y)| (x.0, x.1 + y.1)),
                (Some(x), Some(y)) if x.0 < y.0 => a.next(),
                (Some(_), Some(_)) => b.next(),
                (Some(_), None) => a.next(),
                (None, Some(_)) => b.next(),
                (None, None) => None,
            };
            match next {
                Some(entry) => sums.push(entry),
                None => break,
            }
        }
        SourceStatistics { sums }
    }

    /// Adds these statistics into a table of every source's sums (indexed
    /// by source): the same as [`merge`](SourceStatistics::merge) into it.
    pub fn add_to(&self, table: &mut [SourceSums]) {
        for (source, sums) in &self.sums {
            if let Some(t) = table.get_mut(*source) {
                *t = *t + *sums;
            }
        }
    }

    /// The sums as the M-step reads them, for `sources` sources.
    pub fn tallies(&self, sources: usize) -> Vec<Tally> {
        let mut tallies = vec![Tally::default(); sources];
        for (source, sums) in &self.sums {
            if let Some(t) = tallies.get_mut(*source) {
                *t = Tally { honest_right: sums.honest_right.value(), honest: sums.honest.value() };
            }
        }
        tallies
    }
}

impl std::ops::Add for SourceStatistics {
    type Output = SourceStatistics;
    fn add(self, other: SourceStatistics) -> SourceStatistics {
        self.merge(other)
    }
}

/// What one location gives an E-step: its sources' statistics, its
/// expected jumps and exposure, and its posterior at its first segment.
struct LocationStep {
    statistics: SourceStatistics,
    chain: (f64, f64),
    first: Vec<f64>,
}

/// The E-step at one location: the map of the map-reduce.
fn location_step(
    model: &LocationModel,
    rate: f64,
    params: &[SourceParams],
    logs: &infer::SourceLogs,
    initial: &Initial,
    config: &Config,
    with_statistics: bool,
) -> LocationStep {
    let start = initial.of(model);
    let chain = infer::Chain { initial: &start, rate, contested_factor: config.contested_exit_factor };
    let posterior = infer::posterior_with(model, params, logs, chain);
    let k = model.states.len();
    let start = model.first_observed;
    let first = posterior.gamma.get(start * k..(start + 1) * k).map(<[f64]>::to_vec).unwrap_or_default();
    LocationStep {
        statistics: if with_statistics {
            statistics(model, &posterior, params, config.em_hardness)
        } else {
            SourceStatistics::default()
        },
        chain: (posterior.jumps, posterior.exposure),
        first,
    }
}

/// One E-step, locations in parallel: the sources' statistics merged (in
/// any grouping: the sum is exact), and each location's expected jumps and
/// exposure and first posterior, in location order.
fn e_step(
    dataset: &Dataset,
    models: &[LocationModel],
    params: &[SourceParams],
    logs: &infer::SourceLogs,
    initial: &Initial,
    rates: &[f64],
    config: &Config,
) -> EStep {
    let steps: Vec<LocationStep> = models
        .par_iter()
        .zip(rates)
        .map(|(model, &rate)| location_step(model, rate, params, logs, initial, config, true))
        .collect();
    let mut chains = Vec::with_capacity(models.len());
    let mut firsts = Vec::with_capacity(models.len());
    // The merge, into one dense table rather than pairwise: the same exact
    // sums, without copying every source's entry once per location.
    let mut merged = vec![SourceSums::default(); dataset.sources().len()];
    for step in steps {
        step.statistics.add_to(&mut merged);
        chains.push(step.chain);
        firsts.push(step.first);
    }
    let merged = SourceStatistics { sums: merged.into_iter().enumerate().collect() };
    EStep { tallies: merged.tallies(dataset.sources().len()), chains, firsts }
}

/// What one E-step gathers: per source its tallies, per location its
/// expected jumps and exposure, and its posterior at its first segment.
struct EStep {
    tallies: Vec<Tally>,
    chains: Vec<(f64, f64)>,
    firsts: Vec<Vec<f64>>,
}

/// The distribution of a location's state when it first appears in the
/// claims (the initial distribution π of the chain, Rabiner §III), over the
/// dataset's sides and `contested`: learned by EM from every location's
/// first posterior, with [`Initial::PRIOR`] pseudo-counts per state. Where
/// a location's first claim is an event, its first segment is the one-day
/// lead-in before it, and there `contested` keeps a fixed quarter of a
/// side's prior weight: a capture says another side held the place right
/// before, and a place is held by someone before the fighting reaches it;
/// before a first report of fighting (a first claim "contested") it has no
/// weight at all, the report itself being the change into `contested`.
/// Elsewhere the weight of `contested` is learned from the locations whose
/// first claim is a state (so a lone first report of fighting is not
/// overridden by the sides' learned weights).
#[derive(Clone, Debug)]
pub(super) struct Initial {
    /// Weight per actor id (only sides are used).
    sides: Vec<f64>,
    /// Weight of `contested` at a first segment that is not a lead-in.
    contested: f64,
}

impl Initial {
    /// Pseudo-counts per side.
    const PRIOR: f64 = 2.0;

    fn new(dataset: &Dataset) -> Initial {
        Initial { sides: vec![Initial::PRIOR; dataset.actors().len()], contested: Initial::PRIOR }
    }

    /// The distribution over one location's states.
    pub(super) fn of(&self, model: &LocationModel) -> Vec<f64> {
        let mut weights: Vec<f64> = model
            .states
            .iter()
            .map(|state| match state {
                ControlState::Held(side) => self.sides.get(side.as_usize()).copied().unwrap_or(Initial::PRIOR),
                ControlState::Contested | ControlState::Unknown if model.lead_in_held => 0.0,
                ControlState::Contested | ControlState::Unknown if model.lead_in => Initial::PRIOR / 4.0,
                ControlState::Contested | ControlState::Unknown => self.contested,
            })
            .collect();
        let total: f64 = weights.iter().sum();
        if total > 0.0 {
            weights.iter_mut().for_each(|w| *w /= total);
        }
        weights
    }

    /// Learned from each location's posterior at its first observed segment.
    fn learn(dataset: &Dataset, models: &[LocationModel], firsts: &[Vec<f64>]) -> Initial {
        let mut initial = Initial::new(dataset);
        for (model, first) in models.iter().zip(firsts) {
            for (state, p) in model.states.iter().zip(first) {
                match state {
                    ControlState::Held(side) => {
                        if let Some(w) = initial.sides.get_mut(side.as_usize()) {
                            *w += p;
                        }
                    }
                    ControlState::Contested if !model.lead_in => initial.contested += p,
                    ControlState::Contested | ControlState::Unknown => {}
                }
            }
        }
        initial
    }
}

/// The pooled change rate of all locations (their expected jumps over their
/// exposure, shrunk toward [`Config::change_rate_per_day`]) and each
/// location's own ([`location_rate`]).
fn learn_rates(chains: &[(f64, f64)], config: &Config) -> (f64, Vec<f64>) {
    let prior_days = config.change_rate_prior_days;
    let (jumps, exposure) = chains.iter().fold((0.0, 0.0), |(j, e), &(cj, ce)| (j + cj, e + ce));
    let pooled = (config.change_rate_per_day * prior_days + jumps) / (prior_days + exposure);
    (pooled, chains.iter().map(|&chain| location_rate(pooled, chain, config)).collect())
}

/// A location's change rate: its expected jumps over its exposure, shrunk
/// toward the pooled rate.
fn location_rate(pooled: f64, (jumps, exposure): (f64, f64), config: &Config) -> f64 {
    (pooled * config.location_rate_prior_days + jumps) / (config.location_rate_prior_days + exposure)
}

/// Each observation's agreement with the timeline for the M-step: a blend of
/// its posterior probability (soft EM) and its agreement with the most likely
/// state of every segment (hard EM), `hardness` being the hard share.
fn tempered_agreement(model: &LocationModel, posterior: &infer::Posterior, hardness: f64) -> Vec<f64> {
    if hardness <= 0.0 {
        return posterior.agreement.clone();
    }
    let k = model.states.len();
    let s = model.segments();
    let mut one_hot = vec![0.0; s * k];
    for seg in model.first_observed.min(s)..s {
        let row = &posterior.gamma[seg * k..(seg + 1) * k];
        one_hot[seg * k + infer::most_likely(row)] = 1.0;
    }
    infer::agreements(model, &one_hot)
        .iter()
        .zip(&posterior.agreement)
        .map(|(hard, soft)| hardness * hard + (1.0 - hardness) * soft)
        .collect()
}

/// One location's responsibilities, per source.
fn statistics(
    model: &LocationModel,
    posterior: &infer::Posterior,
    params: &[SourceParams],
    hardness: f64,
) -> SourceStatistics {
    let mut sums = vec![SourceSums::default(); model.sources.len()];
    let k = model.states.len();
    let agreement = tempered_agreement(model, posterior, hardness);
    for (o, &agree) in model.observations.iter().zip(&agreement) {
        let p = params[o.source.as_usize()];
        let t = &mut sums[o.slot];
        let Some((l_in, l_out)) = infer::likelihoods(o, k, p) else { continue };
        if o.serving {
            let honest = 1.0 - p.self_serving;
            let (h_in, h_out) = infer::honest_likelihoods(o, k, p);
            let right = agree * honest * h_in / l_in;
            let wrong = (1.0 - agree) * honest * h_out / l_out;
            t.honest_right += ExactSum::of(o.weight * right);
            t.honest += ExactSum::of(o.weight * (right + wrong));
        } else {
            t.honest_right += ExactSum::of(o.weight * agree);
            t.honest += ExactSum::of(o.weight);
        }
    }
    // `model.sources` is sorted, each source once.
    SourceStatistics { sums: model.sources.iter().map(|s| s.as_usize()).zip(sums).collect() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_exact_sum_is_associative_where_floats_are_not() {
        let (a, b, c) = (0.1, 0.2, 0.3);
        assert_ne!((a + b) + c, a + (b + c));
        let [x, y, z] = [a, b, c].map(ExactSum::of);
        assert_eq!((x + y) + z, x + (y + z));
        assert_eq!(x + y, y + x);
        assert!(((x + y + z).value() - 0.6).abs() < 1e-15);
        assert_eq!(ExactSum::of(f64::NAN), ExactSum::default());
    }

    /// [`ExactSum::of`], from the bits, gives what rounding the scaled term
    /// and converting it to `i128` gives: at the edges (under a half,
    /// saturated, not finite, subnormal), at the halves and on many terms
    /// of every size.
    #[test]
    fn an_exact_sum_of_one_term_is_the_rounded_scaled_term() {
        let reference = |x: f64| (x * ExactSum::ONE).round() as i128;
        let mut terms = vec![0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 2.0, -2.0, 1e-30, -1e-30, 1e300, -1e300, f64::INFINITY];
        terms.extend([f64::NEG_INFINITY, f64::NAN, -f64::NAN, f64::MIN_POSITIVE, -f64::MIN_POSITIVE, 5e-324, -5e-324]);
        terms.extend([
            f64::MAX,
            f64::MIN,
            2f64.powi(63),
            -(2f64.powi(63)),
            2f64.powi(62) * 1.5,
            -(2f64.powi(63) * 1.5),
        ]);
        for k in 1..=70 {
            let half = (0.5 + f64::from(k)) / ExactSum::ONE;
            terms.extend([half, -half, 1.0 - f64::EPSILON / 2.0, -0.5 + f64::EPSILON / 4.0]);
            let edge = 2f64.powi(k - 64);
            terms.extend([edge, -edge, edge * (1.0 - f64::EPSILON), -edge * (1.0 - f64::EPSILON), edge * 1.5]);
        }
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..100_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let mantissa = (x >> 11) as f64 / (1u64 << 53) as f64;
            let exponent = if x % 4 == 0 { (x % 2200) as i32 - 1100 } else { (x % 90) as i32 - 80 };
            let sign = if x & 1 == 0 { 1.0 } else { -1.0 };
            terms.push(sign * mantissa * 2f64.powi(exponent));
        }
        for term in terms {
            assert_eq!(ExactSum::of(term).0, reference(term), "{term:e}");
        }
    }

    /// On a linear contraction with one ratio ρ (EM's slow approach near a
    /// fixed point), one cycle of two plain steps jumps onto the fixed point
    /// (the step length is then `−1/(1 − ρ)`); the pass after the jump is not
    /// part of a cycle, and a jump keeps every parameter in its domain.
    #[test]
    fn squarem_jumps_onto_the_fixed_point_of_a_linear_contraction() {
        let fixed = [0.9, 0.7, 0.05, 0.2];
        let rho = 0.85;
        let step = |x: &[f64]| x.iter().zip(&fixed).map(|(x, f)| f + rho * (x - f)).collect::<Vec<f64>>();
        let mut squarem = Squarem::default();
        let t0 = vec![0.6, 0.99, 0.7, 0.7];
        let t1 = step(&t0);
        assert_eq!(squarem.after(t0, &t1), None);
        let t2 = step(&t1);
        let jump = squarem.after(t1, &t2).unwrap_or_default();
        assert_eq!(jump.len(), fixed.len());
        for (x, f) in jump.iter().zip(&fixed) {
            assert!((x - f).abs() < 1e-12, "{jump:?}");
        }
        // The stabilising pass, then a new cycle of two.
        assert_eq!(squarem.after(jump.clone(), &step(&jump)), None);
        assert_eq!(squarem.after(jump.clone(), &step(&jump)), None);

        let config = Config::default();
        let mut params = vec![SourceParams { accuracy: 0.8, self_serving: 0.2, fighting_while_held: 0.1 }; 2];
        let mut rates = vec![0.1, 0.3];
        Squarem::set(&[1.7, 0.1, -0.5, 0.02], &mut params, &mut rates, &config);
        assert_eq!(params.iter().map(|p| p.accuracy).collect::<Vec<_>>(), [0.99, 0.6]);
        assert_eq!(params[0].self_serving, 0.2);
        assert_eq!(rates, [0.1, 0.02]);
    }

    /// A location's own EM, from a rate far from its fixed point, ends where
    /// one more step moves the rate by less than the tolerance; without
    /// iterations it stays where it started.
    #[test]
    fn a_location_settled_alone_is_at_its_fixed_point() {
        let dataset = crate::data::aleppo_2012();
        let config = Config::default();
        let rivals = super::super::observe::Rivals::of(&dataset);
        let params = Priors::new(&dataset, &config).initial();
        let initial = Initial::new(&dataset);
        let logs = infer::SourceLogs::new(&params, infer::SourceLogs::MOST_STATES);
        let pooled = config.change_rate_per_day;
        let mut settled = 0;
        for location in dataset.location_ids() {
            let model = LocationModel::build(&dataset, location, &rivals, &config);
            let start = 0.5;
            let (rate, done) = settle(&model, start, pooled, &params, &logs, &initial, &config, 50);
            assert!(done, "{location:?}");
            let step = location_step(&model, rate, &params, &logs, &initial, &config, false);
            let next = location_rate(pooled, step.chain, &config);
            // Within the tolerance of the last move, which was under it, and
            // a contraction shrinks the next one further.
            assert!((next - rate).abs() < config.tolerance, "{location:?}: {rate} then {next}");
            settled += usize::from((rate - start).abs() > 0.1);
            assert_eq!(settle(&model, start, pooled, &params, &logs, &initial, &config, 0), (start, false));
        }
        assert!(settled > 0);
    }

    /// One E-step's source statistics over two halves of the locations,
    /// merged, equal those over all of them, bit for bit, in either order.
    #[test]
    fn statistics_over_two_halves_merged_equal_those_over_all_locations() {
        let dataset = crate::data::aleppo_2012();
        let config = Config::default();
        let rivals = super::super::observe::Rivals::of(&dataset);
        let models: Vec<LocationModel> =
            dataset.location_ids().map(|l| LocationModel::build(&dataset, l, &rivals, &config)).collect();
        assert!(models.len() >= 4, "{} locations", models.len());
        let params = Priors::new(&dataset, &config).initial();
        let initial = Initial::new(&dataset);
        let logs = infer::SourceLogs::new(&params, infer::SourceLogs::MOST_STATES);
        let over = |models: &[LocationModel]| {
            models
                .iter()
                .map(|m| {
                    location_step(m, config.change_rate_per_day, &params, &logs, &initial, &config, true).statistics
                })
                .fold(SourceStatistics::default(), SourceStatistics::merge)
        };
        let all = over(&models);
        let (first, second) = models.split_at(models.len() / 2);
        assert_eq!(over(first).merge(over(second)), all);
        assert_eq!(over(second).merge(over(first)), all);
        let mut reversed: Vec<LocationModel> = models.clone();
        reversed.reverse();
        assert_eq!(over(&reversed), all);
        // The statistics say something: every source with claims has some
        // honest weight, and is right on no more of it than it has.
        let tallies = all.tallies(dataset.sources().len());
        assert!(tallies.iter().filter(|t| t.honest > 0.0).count() >= dataset.sources().len() / 2);
        assert!(tallies.iter().all(|t| t.honest_right <= t.honest + 1e-12 && t.honest_right >= 0.0));
    }
}
