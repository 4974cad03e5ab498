//! Each source's priors and the M-step: accuracy shrunk toward its own
//! prior (with its strength) or its affiliation group's learned mean.

use super::em::Tally;
use super::infer::SourceParams;
use super::Config;
use crate::model::ActorId;
use crate::Dataset;

/// `(m·prior + agreeing)/(m + total)`: a prior worth `m` claims against
/// the evidence; the prior alone when there is neither (a source's own
/// `prior_strength` of 0 and no claims), rather than 0/0.
pub(super) fn shrink(m: f64, prior: f64, agreeing: f64, total: f64) -> f64 {
    let denominator = m + total;
    if denominator == 0.0 {
        prior
    } else {
        (m * prior + agreeing) / denominator
    }
}

/// The priors of every source: its own `prior` if given, otherwise the
/// default of its affiliation group.
pub(super) struct Priors {
    /// Clamped to [`Config::accuracy_range`].
    pub accuracy_prior: Vec<f64>,
    has_own_prior: Vec<bool>,
    /// How many claims' worth each source's accuracy prior weighs: its own
    /// `prior_strength`, or [`Config::prior_strength`].
    pub strength: Vec<f64>,
    /// `Some(side)` for an affiliated source.
    group: Vec<Option<ActorId>>,
    self_serving_prior: Vec<f64>,
    /// [`Config::contested_while_held`], within `0..=1` (0 for NaN).
    fighting_while_held: f64,
}

impl Priors {
    pub fn new(dataset: &Dataset, config: &Config) -> Priors {
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
            fighting_while_held: if config.contested_while_held.is_nan() {
                0.0
            } else {
                config.contested_while_held.clamp(0.0, 1.0)
            },
        }
    }

    pub fn initial(&self) -> Vec<SourceParams> {
        self.accuracy_prior
            .iter()
            .zip(&self.self_serving_prior)
            .map(|(&accuracy, &self_serving)| SourceParams {
                accuracy,
                self_serving,
                fighting_while_held: self.fighting_while_held,
            })
            .collect()
    }

    /// New parameters from the tallies: each group's mean is learned (shrunk
    /// toward the default), each source is shrunk toward its group's mean.
    pub fn m_step(&self, dataset: &Dataset, tallies: &[Tally], config: &Config) -> Vec<SourceParams> {
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
                SourceParams { accuracy, self_serving, fighting_while_held: self.fighting_while_held }
            })
            .collect()
    }
}
