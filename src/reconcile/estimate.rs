//! The final pass: posteriors with the learned parameters, the timelines,
//! each claim's agreement, and each source's estimate and grade.

use super::em::Fit;
use super::infer;
use super::observe::LocationModel;
use super::priors::{shrink, Priors};
use super::result::{Grade, Reconciliation, SourceEstimate};
use super::timeline;
use super::Config;
use crate::model::SourceId;
use crate::Dataset;
use rayon::prelude::*;

/// The reconciliation from what EM learned.
pub(super) fn finish(
    dataset: &Dataset,
    models: &[LocationModel],
    priors: &Priors,
    fit: Fit,
    config: &Config,
) -> Reconciliation {
    let Fit { params, rates, initial, iterations, converged } = fit;
    // The final pass: posteriors with the learned parameters.
    let n = dataset.claims().len();
    let mut agreement = vec![None; n];
    let mut agrees = vec![None; n];
    // Per source: Σ weight · P(what it says), and Σ weight, by the final
    // posteriors (soft, unlike the tempered M-step).
    let mut evidence = vec![(0.0f64, 0.0f64); dataset.sources().len()];
    let mut timelines = Vec::with_capacity(models.len());
    // The sources' logarithms, once (the same values as per claim).
    let k_max = models.iter().map(|m| m.states.len()).max().unwrap_or(0);
    let logs = infer::SourceLogs::new(&params, k_max);
    let finals: Vec<_> = models
        .par_iter()
        .zip(&rates)
        .map(|(model, &rate)| {
            let start = initial.of(model);
            let chain = infer::Chain { initial: &start, rate, contested_factor: config.contested_exit_factor };
            let posterior = infer::posterior_with(model, &params, &logs, chain);
            let (timeline, hard) = timeline::build(dataset, model, &posterior, &params);
            (timeline, hard, posterior.agreement)
        })
        .collect();
    // Merged in location order: deterministic whatever the threads did.
    for ((timeline, hard, soft), model) in finals.into_iter().zip(models) {
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
