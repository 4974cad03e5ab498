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

/// Runs EM over all locations from the priors until the parameters move by
/// less than [`Config::tolerance`] or [`Config::max_iterations`] is reached.
pub(super) fn fit(dataset: &Dataset, models: &[LocationModel], priors: &Priors, config: &Config) -> Fit {
    let mut params = priors.initial();
    let mut rates = vec![config.change_rate_per_day; models.len()];
    let mut initial = Initial::new(dataset);
    let mut iterations = 0;
    let mut converged = false;
    while iterations < config.max_iterations {
        let EStep { tallies, chains, firsts } = e_step(dataset, models, &params, &initial, &rates, config);
        let next = priors.m_step(dataset, &tallies, config);
        let next_rates = if config.learn_change_rate { learn_rates(&chains, config) } else { rates.clone() };
        let rate_change = rates.iter().zip(&next_rates).map(|(r, q)| (r - q).abs()).fold(0.0, f64::max);
        let delta = params.iter().zip(&next).map(|(p, q)| (p.accuracy - q.accuracy).abs()).fold(rate_change, f64::max);
        params = next;
        rates = next_rates;
        initial = Initial::learn(dataset, models, &firsts);
        iterations += 1;
        if delta < config.tolerance {
            converged = true;
            break;
        }
    }

    Fit { params, rates, initial, iterations, converged }
}

/// Per-source sums of one E-step, accumulated in canonical order.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Tally {
    /// Σ weight · P(honest, truth in R)
    pub honest_right: f64,
    /// Σ weight · P(honest)
    pub honest: f64,
}

/// One E-step, locations in parallel: per-source tallies (each location's
/// summed in observation order, then the locations' in location order, so
/// the result does not depend on the threads), and each location's
/// expected jumps and exposure.
fn e_step(
    dataset: &Dataset,
    models: &[LocationModel],
    params: &[SourceParams],
    initial: &Initial,
    rates: &[f64],
    config: &Config,
) -> EStep {
    let locals: Vec<(LocalTally, (f64, f64), Vec<f64>)> = models
        .par_iter()
        .zip(rates)
        .map(|(model, &rate)| {
            let start = initial.of(model);
            let chain = infer::Chain { initial: &start, rate, contested_factor: config.contested_exit_factor };
            let posterior = infer::posterior(model, params, chain);
            let k = model.states.len();
            let start = model.first_observed;
            let first = posterior.gamma.get(start * k..(start + 1) * k).map(<[f64]>::to_vec).unwrap_or_default();
            (tally(model, &posterior, params, config.em_hardness), (posterior.jumps, posterior.exposure), first)
        })
        .collect();
    let mut tallies = vec![Tally::default(); dataset.sources().len()];
    let mut chains = Vec::with_capacity(models.len());
    let mut firsts = Vec::with_capacity(models.len());
    for (local, chain, first) in locals {
        merge(&mut tallies, &local);
        chains.push(chain);
        firsts.push(first);
    }
    EStep { tallies, chains, firsts }
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
/// before, and a place is held by someone before the fighting reaches it.
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

/// Each location's change rate: its expected jumps over its exposure,
/// shrunk toward the pooled rate of all locations, itself shrunk toward
/// [`Config::change_rate_per_day`].
fn learn_rates(chains: &[(f64, f64)], config: &Config) -> Vec<f64> {
    let prior_days = config.change_rate_prior_days;
    let (jumps, exposure) = chains.iter().fold((0.0, 0.0), |(j, e), &(cj, ce)| (j + cj, e + ce));
    let pooled = (config.change_rate_per_day * prior_days + jumps) / (prior_days + exposure);
    chains
        .iter()
        .map(|&(j, e)| (pooled * config.location_rate_prior_days + j) / (config.location_rate_prior_days + e))
        .collect()
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

/// One location's responsibilities, per source (sorted by source).
fn tally(
    model: &LocationModel,
    posterior: &infer::Posterior,
    params: &[SourceParams],
    hardness: f64,
) -> Vec<(usize, Tally)> {
    let mut tallies = vec![Tally::default(); model.sources.len()];
    let k = model.states.len();
    let agreement = tempered_agreement(model, posterior, hardness);
    for (o, &agree) in model.observations.iter().zip(&agreement) {
        let p = params[o.source.as_usize()];
        let t = &mut tallies[o.slot];
        let Some((l_in, l_out)) = infer::likelihoods(o, k, p) else { continue };
        if o.serving {
            let honest = 1.0 - p.self_serving;
            let (h_in, h_out) = infer::honest_likelihoods(o, k, p);
            let right = agree * honest * h_in / l_in;
            let wrong = (1.0 - agree) * honest * h_out / l_out;
            t.honest_right += o.weight * right;
            t.honest += o.weight * (right + wrong);
        } else {
            t.honest_right += o.weight * agree;
            t.honest += o.weight;
        }
    }
    model.sources.iter().map(|s| s.as_usize()).zip(tallies).collect()
}

/// One location's tallies: `(source index, tally)`, sorted by source.
type LocalTally = Vec<(usize, Tally)>;

/// Adds one location's tallies to the global ones.
fn merge(tallies: &mut [Tally], local: &[(usize, Tally)]) {
    for (source, t) in local {
        let total = &mut tallies[*source];
        total.honest_right += t.honest_right;
        total.honest += t.honest;
    }
}
