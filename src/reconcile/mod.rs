//! Reconciliation: the most likely control timeline of every location,
//! learned source reliability, and how each claim fares against it.
//!
//! # The model
//!
//! Per location, the time between all claim boundaries is cut into
//! elementary segments, and the location's state on each (held by one of
//! the sides claimed there, or contested) is a hidden Markov chain in which
//! control persists unless evidence moves it; the chance of a change grows
//! with the time elapsed. Every claim is one observation, weighted by its
//! source's learned parameters and its certainty; a denial is evidence
//! against the denied claim's state over the denied claim's window.
//! Forward-backward gives each segment's posterior, and the most likely
//! state with its posterior probability is the timeline with its confidence.
//!
//! Each source has two parameters: an **accuracy** (how often what it
//! reports honestly is true) and, for a source affiliated with a side, a
//! **self-serving** rate (the share of its claims in its own side's favour
//! that carry no information). So a source claiming a gain for its own side
//! is weaker evidence than one conceding a gain to the other side. The
//! accuracy is learned by expectation-maximisation across all locations,
//! starting from the priors of [`Config`], and each source is shrunk toward
//! the mean of its affiliation group (which is itself learned, and shrunk
//! toward the default) so that sources with few claims keep moderate
//! values. A source's own `prior`
//! ([`Source::prior`](crate::model::Source::prior)) takes the place of its
//! group's mean, worth its own `prior_strength`
//! ([`Source::prior_strength`](crate::model::Source::prior_strength))
//! claims where it gives one and [`Config::prior_strength`] otherwise: the
//! accuracy is `(m·prior + Σ)/(m + Σw)` over its claims' weighted agreement
//! Σ and weight Σw, and its final reliability likewise on the final
//! posteriors. A prior outside [`Config::accuracy_bounds`] (0.6 to 0.99 by
//! default) is clamped into it without a word, for the accuracy and the
//! reliability alike, as every learned accuracy is: a source right less
//! often than chance among the K states would be anti-informative (its
//! claims would count for the other states), and the floor keeping every
//! source weakly informative is deliberate. The self-serving rate stays at
//! [`Config::self_serving`]: learned by EM, it drifted to whatever cap it
//! was given on the simulator and the timelines got worse (honest and
//! propaganda reports are only weakly identifiable from one another). A full
//! confusion matrix per source is deliberately absent: it overfits sparse
//! data.
//!
//! # Event-driven reporting
//!
//! Reports are not samples of the state at random times: a source reports a
//! capture because one happened, and says little in between. So a capture
//! or a withdrawal is also evidence on the **transition** inside its window
//! (the idea of Dong, Berti-Équille and Srivastava, "Truth discovery and
//! copying detection in a dynamic world", VLDB 2009, where sources capture
//! changes of a value; the chain and its forward-backward pass follow
//! Rabiner's HMM tutorial, 1989; the per-source accuracy with its prior is a
//! one-coin form of Dawid and Skene, 1979).
//!
//! * **The chain.** Across the boundary between segments, held by x, the
//!   location stays with `ρ_x = exp(−λ·f_x·Δ)` (Δ the days between the
//!   segments' midpoints, `f_x` = 1, or
//!   [`Config::contested_exit_factor`] for contested) or jumps to any of the
//!   K states with `J_x = (1 − ρ_x)/K` each. Its first state follows an
//!   initial distribution over the dataset's sides, learned by EM from every
//!   location's first posterior (pseudo-counts 2 per side; `contested` keeps
//!   a small fixed weight: a place is held by someone before the fighting
//!   reaches it).
//! * **An event claim's transition factor.** A capture of S whose window
//!   covers the boundaries `b ∈ W` multiplies the transitions into S across
//!   each of them by a likelihood ratio
//!   `LR = odds(a) / odds(p_W)`, with `a` the source's accuracy and
//!   `p_W = (1 − exp(−λ·Δ_W))/K` the chain's own prior chance of a change
//!   into S over W: alone, the claim lifts the chance of that change to the
//!   source's precision, however quiet the place had been (a change rate
//!   learned over quiet months no longer makes a well-sourced capture too
//!   costly to believe). The ratio is raised to the certainty weight. A
//!   self-serving claim's precision is the mixture `a' = (1 − b)·a + b·p_W`
//!   in place of `a`: an honest report, or propaganda said whatever
//!   happened, and so right only as often as the chain's own prior (the
//!   affiliation discount). Several claims multiply. A
//!   withdrawal of S does the same for the transitions out of S. The factor
//!   enters the transition additively, as an event mass
//!   `E_y = J̄·(LR_y − 1)` into y (and `F_x` out of x), `J̄` a held state's
//!   jump mass, so that `T(x, y) = [x = y]·(ρ_x + J_x) + [x ≠ y]·(J_x + E_y + F_x)`:
//!   an event pulls equally from every prior state, however sticky, and one
//!   step of forward or backward still costs O(K). So `contested` ends when
//!   a capture says so.
//! * **A capture at a location's first claim** gets a one-day segment before
//!   it, where the initial distribution says who most likely lost it.
//! * **An event dated by a range** ("by 5 August": a window longer than a
//!   day) gives its last day a segment of its own, so the change can fall
//!   at the start of the range or at its end; with nothing else to place
//!   it, the range before its last day stays uncertain and the new holder
//!   is certain from the last day on (on the real battles: Aleppo 19 → 24 of
//!   38 documented changes found, al-Hasakah 26 → 27 of 33; the simulator
//!   unchanged).
//! * **Several outcomes in one window from one source** ("seized in the
//!   morning, lost in the afternoon": a capture by S and one by T, both
//!   dated that day) are a sequence, not a contradiction: the window is cut
//!   into as many parts as outcomes, so the chain can change hands that many
//!   times inside it, in the order the evidence around it prefers.
//! * **The state right after an event** carries no evidence of its own
//!   ([`Config::event_after_weight`] 0): the transition factor is already
//!   calibrated to the claim's precision, and counting the state after it
//!   too would count the claim twice. The state right before it keeps
//!   [`Config::event_before_weight`].
//! * **The change rate λ** is learned per location from the expected jumps
//!   of the base process only (not those the events explain), shrunk toward
//!   the pooled rate; the events carry the busy days, the rate the quiet
//!   months.
//!
//! What this does not model yet: two opposite changes within one window
//! reported by different sources (on the simulator, cutting those windows
//! too costs the dense scenario's change precision 0.887 → 0.828), the
//! silence of a source that reports most changes (tried: change precision
//! rises on the simulator, but recall falls, 0.774 → 0.578 on the hostile
//! scenario, and al-Bab loses 6 documented changes), and copying between
//! sources.
//!
//! # Complexity
//!
//! For a location with n claims: O(n log n) to cut segments and place
//! observations (once), then O(n + S·K) time and memory per EM iteration for
//! S ≤ 2n segments and K states (the sides claimed at that location plus
//! contested: sides claimed elsewhere cost nothing). Observations and event
//! windows spanning many segments use difference arrays and prefix sums, so
//! a long window costs O(1), not O(segments covered).

mod config;
mod infer;
#[cfg(test)]
mod math_tests;
mod observe;
mod timeline;

/// The state of a location over a segment of its timeline (one type for
/// the whole crate: see [`crate::model::Meaning`]).
pub use crate::model::ControlState;
pub use config::{CertaintyWeights, Config};

use crate::graph::Contradiction;
use crate::model::{ActorId, ClaimId, LocationId, SourceId};
use crate::Dataset;
use chrono::{DateTime, Utc};
use infer::SourceParams;
use observe::LocationModel;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::fmt;

/// What a segment's state rests on, in the sense conflict mappers use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Basis {
    /// A source aligned with another side concedes it, or two or more
    /// distinct sources support it and not all are aligned with the holder.
    Assessed,
    /// It rests only on sources aligned with the holding side, or on one source.
    Claimed,
    /// No claim supports it: carried from neighbouring evidence, or unknown.
    Inferred,
}

impl Basis {
    /// The basis' name in the output formats.
    pub fn name(self) -> &'static str {
        match self {
            Basis::Assessed => "assessed",
            Basis::Claimed => "claimed",
            Basis::Inferred => "inferred",
        }
    }
}

/// A maximal stretch of a location's timeline in one state.
#[derive(Clone, Debug, PartialEq)]
pub struct Segment {
    /// The first instant.
    pub from: DateTime<Utc>,
    /// The first instant after; `None` for the open end after the last evidence.
    pub to: Option<DateTime<Utc>>,
    /// The most likely state.
    pub state: ControlState,
    /// The posterior probability of that state, averaged over the segment by
    /// length (0 for `Unknown`).
    pub confidence: f64,
    /// Claims whose observation over this segment includes the state, in id order.
    pub support: Vec<ClaimId>,
    /// Claims whose observation over this segment excludes it, in id order.
    pub dissent: Vec<ClaimId>,
    /// What the state rests on.
    pub basis: Basis,
    /// Why the state won: the supporting claim that weighs most for it (the
    /// largest log-likelihood ratio of its observation, with its source's
    /// learned parameters and its certainty); failing any, a later capture or
    /// withdrawal whose "before" state implies it (then not in `support`);
    /// `None` when no claim speaks of the stretch.
    pub strongest: Option<ClaimId>,
}

/// A change of holding side along a reconciled timeline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reversal {
    /// Where the new side's segment begins.
    pub at: DateTime<Utc>,
    /// The side holding before.
    pub from: ActorId,
    /// The side holding after.
    pub to: ActorId,
    /// The claims that carry the change, in id order: every claim whose
    /// evidence, from the end of the old side's run to the end of the new
    /// side's first supported segment, prefers the new side to the old (a
    /// hold or capture by the new side, a withdrawal of the old, a denial of
    /// the old side's claim, the state before a later event, a capture by
    /// the old side whose window spans the change).
    pub claims: Vec<ClaimId>,
}

/// The reconciled timeline of one location.
#[derive(Clone, Debug, PartialEq)]
pub struct Timeline {
    /// The location.
    pub location: LocationId,
    /// Maximal segments in time order, not overlapping.
    pub segments: Vec<Segment>,
    /// Changes of holding side, in time order.
    pub reversals: Vec<Reversal>,
}

/// A letter on the Admiralty (NATO) source-reliability scale.
///
/// Cut points on the learned reliability r: **A** r ≥ 0.90 (completely
/// reliable), **B** ≥ 0.80 (usually reliable), **C** ≥ 0.65 (fairly
/// reliable), **D** ≥ 0.50 (not usually reliable), **E** below 0.50
/// (unreliable), **F** fewer claims than
/// [`Config::min_claims_for_grade`] (reliability cannot be judged).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Grade {
    /// Completely reliable.
    A,
    /// Usually reliable.
    B,
    /// Fairly reliable.
    C,
    /// Not usually reliable.
    D,
    /// Unreliable.
    E,
    /// Reliability cannot be judged.
    F,
}

impl Grade {
    /// The grade for a reliability and a number of claims.
    pub fn of(reliability: f64, claims: usize, config: &Config) -> Grade {
        match reliability {
            _ if claims < config.min_claims_for_grade => Grade::F,
            r if r >= 0.90 => Grade::A,
            r if r >= 0.80 => Grade::B,
            r if r >= 0.65 => Grade::C,
            r if r >= 0.50 => Grade::D,
            _ => Grade::E,
        }
    }
}

impl fmt::Display for Grade {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

/// What was learned about one source.
#[derive(Clone, Debug, PartialEq)]
pub struct SourceEstimate {
    /// The source.
    pub source: SourceId,
    /// The learned accuracy of what it reports honestly.
    pub accuracy: f64,
    /// The learned share of its self-serving claims that carry no
    /// information (0 for independent sources).
    pub self_serving: f64,
    /// The probability that a claim of this source is true, by the
    /// reconciled posteriors, shrunk toward its prior.
    pub reliability: f64,
    /// Its number of claims.
    pub claims: usize,
    /// How many of them agree with the most likely state of the timeline.
    pub agreeing: usize,
    /// Its Admiralty grade.
    pub grade: Grade,
}

/// The result of [`reconcile`].
#[derive(Clone, Debug, PartialEq)]
pub struct Reconciliation {
    timelines: Vec<Timeline>,
    sources: Vec<SourceEstimate>,
    agreement: Vec<Option<f64>>,
    agrees: Vec<Option<bool>>,
    iterations: usize,
    converged: bool,
    change_rates: Vec<f64>,
    favour_margin: f64,
}

impl Reconciliation {
    /// The timeline of every location, in location id order.
    pub fn timelines(&self) -> &[Timeline] {
        &self.timelines
    }

    /// The timeline of one location.
    ///
    /// # Panics
    ///
    /// If the id does not come from the reconciled dataset.
    pub fn timeline(&self, location: LocationId) -> &Timeline {
        &self.timelines[location.as_usize()]
    }

    /// What was learned about every source, in source id order.
    pub fn sources(&self) -> &[SourceEstimate] {
        &self.sources
    }

    /// How far the timeline bears a claim out: the posterior probability of
    /// what it asserts, averaged over its window (for an event, at the end
    /// of its window). `None` for a claim that gave no evidence.
    pub fn agreement(&self, claim: ClaimId) -> Option<f64> {
        self.agreement.get(claim.as_usize()).copied().flatten()
    }

    /// Whether the timeline's most likely state agrees with a claim over
    /// most of its window. `None` for a claim that gave no evidence.
    pub fn agrees(&self, claim: ClaimId) -> Option<bool> {
        self.agrees.get(claim.as_usize()).copied().flatten()
    }

    /// Which claim of a contradiction the timeline favours: the one it bears
    /// out more, by at least [`Config::favour_margin`]; `None` if neither.
    /// For a denial, the denial is favoured when the denied state is unlikely.
    pub fn favoured(&self, contradiction: &Contradiction) -> Option<ClaimId> {
        let [a, b] = contradiction.claims();
        let (sa, sb) = (self.agreement(a)?, self.agreement(b)?);
        if sa >= sb + self.favour_margin {
            Some(a)
        } else if sb >= sa + self.favour_margin {
            Some(b)
        } else {
            None
        }
    }

    /// The change rate per day the reconciliation used at a location
    /// (learned, unless [`Config::learn_change_rate`] is off).
    ///
    /// # Panics
    ///
    /// If the id does not come from the reconciled dataset.
    pub fn change_rate(&self, location: LocationId) -> f64 {
        self.change_rates[location.as_usize()]
    }

    /// How many EM iterations ran.
    pub fn iterations(&self) -> usize {
        self.iterations
    }

    /// Whether EM converged within [`Config::max_iterations`].
    pub fn converged(&self) -> bool {
        self.converged
    }
}

/// Per-source sums of one E-step, accumulated in canonical order.
#[derive(Clone, Copy, Debug, Default)]
struct Tally {
    /// Σ weight · P(honest, truth in R)
    honest_right: f64,
    /// Σ weight · P(honest)
    honest: f64,
}

/// Reconciles every location of a dataset.
///
/// # Arguments
///
/// * `dataset`: the claims (use [`Dataset::as_of`] first for a replay).
/// * `config`: the model's parameters.
///
/// # Returns
///
/// The timeline of every location, the learned parameters and grade of
/// every source, and every claim's agreement with the timeline.
///
/// # Complexity
///
/// O(N log N) to prepare N claims, then O(N + Σ S·K) per EM iteration (see
/// the module docs), at most [`Config::max_iterations`] iterations.
///
/// # Example
///
/// ```
/// use frontline::{reconcile::{reconcile, Config, ControlState}, Dataset};
/// let dataset = Dataset::from_json_str(r#"{
///   "actors": [{"id": "army"}, {"id": "rebels"}],
///   "sources": [{"id": "tv", "affiliation": "army"}, {"id": "wire"}, {"id": "ngo"}],
///   "locations": [{"id": "hill"}],
///   "claims": [
///     {"id": "a", "source": "wire", "location": "hill", "asserts": {"holds": "rebels"}, "when": "2014-03-24"},
///     {"id": "b", "source": "ngo", "location": "hill", "asserts": {"holds": "rebels"}, "when": "2014-03-24"},
///     {"id": "c", "source": "tv", "location": "hill", "asserts": {"holds": "army"}, "when": "2014-03-24",
///      "certainty": "claimed"}
///   ]}"#)?;
/// let result = reconcile(&dataset, &Config::default());
/// let hill = dataset.location_id("hill").unwrap();
/// let first = &result.timeline(hill).segments[0];
/// assert_eq!(first.state, ControlState::Held(dataset.actor_id("rebels").unwrap()));
/// assert!(first.confidence > 0.8);
/// # Ok::<(), frontline::Error>(())
/// ```
pub fn reconcile(dataset: &Dataset, config: &Config) -> Reconciliation {
    let locations: Vec<LocationId> = dataset.location_ids().collect();
    let models: Vec<LocationModel> = locations.par_iter().map(|&l| LocationModel::build(dataset, l, config)).collect();
    let priors = Priors::new(dataset, config);
    let mut params = priors.initial();
    let mut rates = vec![config.change_rate_per_day; models.len()];
    let mut initial = Initial::new(dataset);
    let mut iterations = 0;
    let mut converged = false;
    while iterations < config.max_iterations {
        let EStep { tallies, chains, firsts } = e_step(dataset, &models, &params, &initial, &rates, config);
        let next = priors.m_step(dataset, &tallies, config);
        let next_rates = if config.learn_change_rate { learn_rates(&chains, config) } else { rates.clone() };
        let rate_change = rates.iter().zip(&next_rates).map(|(r, q)| (r - q).abs()).fold(0.0, f64::max);
        let delta = params.iter().zip(&next).map(|(p, q)| (p.accuracy - q.accuracy).abs()).fold(rate_change, f64::max);
        params = next;
        rates = next_rates;
        initial = Initial::learn(dataset, &models, &firsts);
        iterations += 1;
        if delta < config.tolerance {
            converged = true;
            break;
        }
    }

    // The final pass: posteriors with the learned parameters.
    let n = dataset.claims().len();
    let mut agreement = vec![None; n];
    let mut agrees = vec![None; n];
    // Per source: Σ weight · P(what it says), and Σ weight, by the final
    // posteriors (soft, unlike the tempered M-step).
    let mut evidence = vec![(0.0f64, 0.0f64); dataset.sources().len()];
    let mut timelines = Vec::with_capacity(models.len());
    let finals: Vec<_> = models
        .par_iter()
        .zip(&rates)
        .map(|(model, &rate)| {
            let start = initial.of(model);
            let chain = infer::Chain { initial: &start, rate, contested_factor: config.contested_exit_factor };
            let posterior = infer::posterior(model, &params, chain);
            let (timeline, hard) = timeline::build(dataset, model, &posterior, &params);
            (timeline, hard, posterior.agreement)
        })
        .collect();
    // Merged in location order: deterministic whatever the threads did.
    for ((timeline, hard, soft), model) in finals.into_iter().zip(&models) {
        for ((o, &soft), &hard) in model.observations.iter().zip(&soft).zip(&hard) {
            let e = &mut evidence[o.source.as_usize()];
            e.0 += o.weight * soft;
            e.1 += o.weight;
            if !o.before {
                agreement[o.claim.as_usize()] = Some(soft);
                agrees[o.claim.as_usize()] = Some(hard);
            }
        }
        timelines.push(timeline);
    }
    let mut claims = vec![0usize; dataset.sources().len()];
    let mut agreeing = vec![0usize; dataset.sources().len()];
    for (index, claim) in dataset.claims().iter().enumerate() {
        claims[claim.source().as_usize()] += 1;
        if agrees[index] == Some(true) {
            agreeing[claim.source().as_usize()] += 1;
        }
    }
    let sources = dataset
        .sources()
        .iter()
        .enumerate()
        .filter_map(|(i, _)| SourceId::new(i))
        .map(|source| {
            let i = source.as_usize();
            let (agreement, weight) = evidence[i];
            let reliability = shrink(priors.strength[i], priors.accuracy_prior[i], agreement, weight).clamp(0.0, 1.0);
            SourceEstimate {
                source,
                accuracy: params[i].accuracy,
                self_serving: params[i].self_serving,
                reliability,
                claims: claims[i],
                agreeing: agreeing[i],
                grade: Grade::of(reliability, claims[i], config),
            }
        })
        .collect();
    Reconciliation {
        timelines,
        sources,
        agreement,
        agrees,
        iterations,
        converged,
        change_rates: rates,
        favour_margin: config.favour_margin,
    }
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
struct Initial {
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
    fn of(&self, model: &LocationModel) -> Vec<f64> {
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

/// `(m·prior + agreeing)/(m + total)`: a prior worth `m` claims against
/// the evidence; the prior alone when there is neither (a source's own
/// `prior_strength` of 0 and no claims), rather than 0/0.
fn shrink(m: f64, prior: f64, agreeing: f64, total: f64) -> f64 {
    let denominator = m + total;
    if denominator == 0.0 {
        prior
    } else {
        (m * prior + agreeing) / denominator
    }
}

/// The priors of every source: its own `prior` if given, otherwise the
/// default of its affiliation group.
struct Priors {
    /// Clamped to [`Config::accuracy_range`].
    accuracy_prior: Vec<f64>,
    has_own_prior: Vec<bool>,
    /// How many claims' worth each source's accuracy prior weighs: its own
    /// `prior_strength`, or [`Config::prior_strength`].
    strength: Vec<f64>,
    /// `Some(side)` for an affiliated source.
    group: Vec<Option<ActorId>>,
    self_serving_prior: Vec<f64>,
}

impl Priors {
    fn new(dataset: &Dataset, config: &Config) -> Priors {
        let (lo, hi) = config.accuracy_range();
        let group: Vec<Option<ActorId>> = dataset.sources().iter().map(|s| s.side()).collect();
        let default_accuracy =
            |g: Option<ActorId>| if g.is_some() { config.affiliated_accuracy } else { config.independent_accuracy };
        Priors {
            accuracy_prior: dataset
                .sources()
                .iter()
                .map(|s| s.prior().unwrap_or(default_accuracy(s.side())).clamp(lo, hi))
                .collect(),
            has_own_prior: dataset.sources().iter().map(|s| s.prior().is_some()).collect(),
            strength: dataset.sources().iter().map(|s| s.prior_strength().unwrap_or(config.prior_strength)).collect(),
            self_serving_prior: group.iter().map(|g| if g.is_some() { config.self_serving } else { 0.0 }).collect(),
            group,
        }
    }

    fn initial(&self) -> Vec<SourceParams> {
        self.accuracy_prior
            .iter()
            .zip(&self.self_serving_prior)
            .map(|(&accuracy, &self_serving)| SourceParams { accuracy, self_serving })
            .collect()
    }

    /// New parameters from the tallies: each group's mean is learned (shrunk
    /// toward the default), each source is shrunk toward its group's mean.
    fn m_step(&self, dataset: &Dataset, tallies: &[Tally], config: &Config) -> Vec<SourceParams> {
        let (lo, hi) = config.accuracy_range();
        // Group sums in source id order (deterministic).
        let mut groups: std::collections::BTreeMap<Option<ActorId>, (Tally, f64)> = Default::default();
        for (i, t) in tallies.iter().enumerate() {
            let entry = groups.entry(self.group[i]).or_insert_with(|| {
                let default_accuracy =
                    if self.group[i].is_some() { config.affiliated_accuracy } else { config.independent_accuracy };
                (Tally::default(), default_accuracy)
            });
            entry.0.honest_right += t.honest_right;
            entry.0.honest += t.honest;
        }
        let g = config.group_prior_strength;
        (0..dataset.sources().len())
            .map(|i| {
                let t = tallies[i];
                let (group_tally, default_accuracy) =
                    groups.get(&self.group[i]).copied().unwrap_or((Tally::default(), self.accuracy_prior[i]));
                let group_accuracy = (g * default_accuracy + group_tally.honest_right) / (g + group_tally.honest);
                let prior = if self.has_own_prior[i] { self.accuracy_prior[i] } else { group_accuracy };
                let accuracy = shrink(self.strength[i], prior, t.honest_right, t.honest).clamp(lo, hi);
                // Not learned: on the simulator, EM on the self-serving share
                // drifts to whatever cap it is given (propaganda and honest
                // reports are only weakly identifiable), and the timelines
                // get worse; the prior of the affiliation group stays.
                let self_serving = self.self_serving_prior[i];
                SourceParams { accuracy, self_serving }
            })
            .collect()
    }
}
