//! Every parameter of the reconciliation, with documented defaults.

use crate::model::Certainty;

/// The parameters of [`reconcile`](crate::reconcile::reconcile).
///
/// The defaults were chosen on the simulator (`examples/evaluate.rs`); the
/// README records the figures they give.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// Expected number of control changes per day at a location, absent
    /// evidence (the rate λ of the persistence model: a side's control
    /// stays with probability `exp(-λ·Δ)` over Δ days): the prior and
    /// starting value
    /// when `learn_change_rate`, the value otherwise. Default 0.7: a front
    /// line moves fast (Observatory 45 changed hands about every two days),
    /// and a low prior lets EM settle on "nothing ever changes, every source
    /// is noisy".
    pub change_rate_per_day: f64,
    /// Whether to learn the change rate from the data (by EM, across all
    /// locations, with `change_rate_per_day` as a prior worth
    /// `change_rate_prior_days` days of observation). Default true.
    pub learn_change_rate: bool,
    /// The weight of the prior change rate against the pooled evidence of
    /// all locations, in days of exposure. Default 30.
    pub change_rate_prior_days: f64,
    /// The weight of the pooled rate against one location's own evidence,
    /// in days: a location with little evidence keeps the pooled rate.
    /// Default 5.
    pub location_rate_prior_days: f64,
    /// How much faster the chain leaves `contested` than a held state: a
    /// contested spell is usually short, a hold long. 1 treats every state
    /// alike. Default 3 (on the simulator, 3 and 4 beat 1 and 2; 4 loses
    /// reversals of Observatory 45 that the Latakia sources support).
    pub contested_exit_factor: f64,
    /// The share of a source's true reports of fighting (`contested`) made
    /// while one side holds the place and is attacked there: under a held
    /// state, a "contested" claim's likelihood is `f·a + (1 − f)·(1 − a)/(K − 1)`
    /// instead of the one-coin `(1 − a)/(K − 1)` (see
    /// [`crate::reconcile`], "Reports of fighting"), so that a side's hold,
    /// reported, is not undone by reports of fighting around it. 0 reads
    /// "contested" as excluding every hold. Default 0.1. Measured at its
    /// introduction (1 December 2026; `examples/battles.rs`,
    /// `examples/evaluate.rs --seeds 5`: accuracy, change recall,
    /// precision), against 0: real battles 162 of 175 documented changes
    /// found (the same: al-Hasakah 30 against 29, Aleppo 34 against 35) and
    /// 94 of 98 end states right against 93; narrative 0.895, 0.843, 0.790
    /// against 0.897, 0.834, 0.767; hostile 0.854, 0.770, 0.793 against
    /// 0.843, 0.775, 0.792; default 0.939, 0.874, 0.890 against 0.938,
    /// 0.869, 0.889; unbiased 0.958, 0.904, 0.974 against 0.959, 0.904,
    /// 0.973. 0.15 scores about the same (narrative recall 0.849, unbiased
    /// accuracy 0.954); from 0.2 the battles lose (al-Hasakah 28, and from
    /// 0.25 three end states of Aleppo).
    pub contested_while_held: f64,
    /// A capture by S also says S did not hold the location right before
    /// the capture's window (and a withdrawal by S that S did): this is that
    /// observation's weight relative to the claim's own (beside the event's
    /// transition factor, see [`crate::reconcile`]). Default 1. Neither 0
    /// nor 1 wins everywhere (measured at commit 1953e22, with
    /// [`Config::event_after_weight`] 0,
    /// `examples/evaluate.rs --seeds 5` and `examples/battles.rs`): 0 scores
    /// better on the simulator (narrative accuracy, recall, precision 0.865,
    /// 0.822, 0.739 against 0.859, 0.807, 0.724; hostile 0.850, 0.779, 0.809
    /// against 0.844, 0.774, 0.787) and finds one more documented change at
    /// Latakia (16/21), but loses two at Damascus (4/10 against 6/10) and
    /// two of Latakia's end states (8/10 against 10/10): real reporting
    /// keeps 1.
    pub event_before_weight: f64,
    /// The weight of the evidence of the state right after a capture or a
    /// withdrawal (S holds it, or S does not), relative to the claim's own,
    /// where the event's transition factor already carries the claim's
    /// evidence (see [`crate::reconcile`]). Default 0: the transition factor
    /// is calibrated so that, alone, the claim makes the change as likely as
    /// its source is precise, and evidence on the state after it as well
    /// would count the claim twice. The observation still serves for the
    /// claim's agreement, the segments' support and its source's learned
    /// accuracy. Measured against 1 when it was introduced (commit 1953e22;
    /// `examples/evaluate.rs --seeds 5`, `examples/battles.rs`): narrative accuracy, recall, precision 0.859,
    /// 0.807, 0.724 against 0.821, 0.810, 0.673; default 0.940, 0.881, 0.887
    /// against 0.936, 0.890, 0.872; hostile 0.844, 0.774, 0.787 against
    /// 0.839, 0.790, 0.776; real battles the same but for Damascus (6/10
    /// documented changes found against 8/10: Midan's capture inside days
    /// that five sources call contested) and al-Hasakah (26/33 against
    /// 27/33), and one more end state right in Aleppo (31/35).
    pub event_after_weight: f64,
    /// An event dated by a range ("by D", a window longer than a day): the
    /// chance of its change at a boundary before its last day, relative to
    /// the chain's prior there, against 1 on the last day (see
    /// [`crate::reconcile`], "An event dated by a range"). A report says
    /// when it was made, and reporting follows events: a change long before
    /// D would have been reported before D. Default 0.5. Measured at its
    /// introduction (`examples/evaluate.rs --seeds 5`,
    /// `examples/battles.rs`), against 1 (no lean): real battles 154 of 180
    /// documented changes found against 148 (al-Bab 48 against 46,
    /// al-Hasakah 28 against 27, Aleppo 32 against 31, north-eastern Syria
    /// 22 against 20), end states the same; narrative accuracy, recall,
    /// precision 0.897, 0.831, 0.728 against 0.897, 0.825, 0.722; the dense
    /// scenarios unchanged. 0.25 scores the same on the battles and 0.834,
    /// 0.730 on the narrative; 0.1 finds 152, and 0 (the change always on
    /// the last day) 151 (al-Bab 44).
    pub range_early_weight: f64,
    /// Exponent on a claim's likelihood by certainty: a `claimed` claim
    /// counts as 0.7 of a plain report. Defaults: confirmed 1.2, reported
    /// 1.0, claimed 0.7, unverified 0.4.
    pub certainty_weight: CertaintyWeights,
    /// Prior accuracy of an independent source (no affiliation). Default 0.8.
    pub independent_accuracy: f64,
    /// Prior accuracy of an affiliated source, for what it reports honestly.
    /// Default 0.75.
    pub affiliated_accuracy: f64,
    /// Prior tendency of an affiliated source to claim for its own side
    /// regardless of the facts: the share of its self-serving claims that
    /// carry no information. It is not learned (see [`crate::reconcile`]).
    /// Default 0.2.
    pub self_serving: f64,
    /// How many claims' worth of weight the prior carries when a source's
    /// parameters are learned: sources with few claims stay near the prior
    /// of their affiliation group. Default 10. A source's own
    /// `prior_strength` ([`Source::prior_strength`]) replaces it for that
    /// source.
    ///
    /// [`Source::prior_strength`]: crate::model::Source::prior_strength
    pub prior_strength: f64,
    /// How many claims' worth the default prior carries against the pooled
    /// evidence of an affiliation group, when learning the group's mean.
    /// Default 10.
    pub group_prior_strength: f64,
    /// Learned accuracies are kept within this range (read as a range in
    /// `0..=1` whatever the order of its ends; a bound that is not a number
    /// falls back to its default); the floor of 0.6 keeps a bad source
    /// weakly informative rather than inverted or
    /// ignored (with sparse data, EM otherwise spirals down: uncertain
    /// posteriors make every source look poor, which makes the posteriors
    /// more uncertain). Default (0.6, 0.99).
    pub accuracy_bounds: (f64, f64),
    /// How hard the M-step's agreement is, in `0..=1`: 0 counts each claim
    /// by the posterior probability of what it says (soft EM), 1 by whether
    /// the most likely state agrees with it (hard, "classification" EM).
    /// Soft EM spirals down on sparse data (uncertain posteriors make every
    /// source look poor, which makes the posteriors more uncertain); hard EM
    /// confirms itself. Default 0.5, the better of 0, 0.5 and 1 on the
    /// simulator and the one that keeps the Latakia sources credible.
    pub em_hardness: f64,
    /// Most EM iterations. Default 50.
    pub max_iterations: usize,
    /// EM's passes over all locations stop when no accuracy and not the
    /// pooled change rate moves by this much, and the locations whose own
    /// change rate still moves by this many changes per day hold less than
    /// this share of the observations; each of those is then iterated alone
    /// until its rate moves by less. So the passes over all locations do not
    /// grow with their number. Default 1e-3: on the simulator 1e-4 gave the
    /// same timelines with more iterations.
    pub tolerance: f64,
    /// Sources with fewer claims than this get the Admiralty grade F
    /// (cannot be judged). Default 3.
    pub min_claims_for_grade: usize,
    /// A contradiction favours the claim whose agreement with the timeline is
    /// higher by at least this much; otherwise neither. Default 0.1.
    pub favour_margin: f64,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            change_rate_per_day: 0.7,
            learn_change_rate: true,
            change_rate_prior_days: 30.0,
            location_rate_prior_days: 5.0,
            contested_exit_factor: 3.0,
            contested_while_held: 0.1,
            event_before_weight: 1.0,
            event_after_weight: 0.0,
            range_early_weight: 0.5,
            certainty_weight: CertaintyWeights::default(),
            independent_accuracy: 0.8,
            affiliated_accuracy: 0.75,
            self_serving: 0.2,
            prior_strength: 10.0,
            group_prior_strength: 10.0,
            accuracy_bounds: (0.6, 0.99),
            em_hardness: 0.5,
            max_iterations: 50,
            tolerance: 1e-3,
            min_claims_for_grade: 3,
            favour_margin: 0.1,
        }
    }
}

impl Config {
    /// [`Config::accuracy_bounds`] as an ordered range within `0..=1`.
    pub(crate) fn accuracy_range(&self) -> (f64, f64) {
        let bound = |value: f64, default: f64| if value.is_nan() { default } else { value.clamp(0.0, 1.0) };
        let (a, b) = (bound(self.accuracy_bounds.0, 0.6), bound(self.accuracy_bounds.1, 0.99));
        (a.min(b), a.max(b))
    }
}

/// Likelihood exponents by [`Certainty`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CertaintyWeights {
    /// For `confirmed`. Default 1.2.
    pub confirmed: f64,
    /// For `reported`. Default 1.0.
    pub reported: f64,
    /// For `claimed`. Default 0.7.
    pub claimed: f64,
    /// For `unverified`. Default 0.4.
    pub unverified: f64,
}

impl Default for CertaintyWeights {
    fn default() -> CertaintyWeights {
        CertaintyWeights { confirmed: 1.2, reported: 1.0, claimed: 0.7, unverified: 0.4 }
    }
}

impl CertaintyWeights {
    /// The exponent for one certainty.
    pub fn of(&self, certainty: Certainty) -> f64 {
        match certainty {
            Certainty::Confirmed => self.confirmed,
            Certainty::Reported => self.reported,
            Certainty::Claimed => self.claimed,
            Certainty::Unverified => self.unverified,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accuracy_bounds_are_read_as_a_range_whatever_is_given() {
        let with = |bounds| Config { accuracy_bounds: bounds, ..Config::default() };
        assert_eq!(Config::default().accuracy_range(), (0.6, 0.99));
        assert_eq!(with((0.9, 0.7)).accuracy_range(), (0.7, 0.9));
        assert_eq!(with((f64::NAN, 2.0)).accuracy_range(), (0.6, 1.0));
        assert_eq!(with((-1.0, f64::NAN)).accuracy_range(), (0.0, 0.99));
    }
}
