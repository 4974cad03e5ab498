//! Sources: who made a claim, and which side they lean to.

use super::ids::ActorId;

/// Who said it: an outlet, a monitor, an official, as interned in a
/// [`Dataset`](crate::Dataset).
#[derive(Clone, Debug, PartialEq)]
pub struct Source {
    pub(crate) id: String,
    pub(crate) name: Option<String>,
    pub(crate) affiliation: Option<ActorId>,
    pub(crate) affiliated_side: Option<ActorId>,
    pub(crate) prior: Option<f64>,
    pub(crate) prior_strength: Option<f64>,
}

impl Source {
    /// The source's id as the input gives it (`"sohr"`).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The source's display name, or its id when the input gives none.
    pub fn name(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.id)
    }

    /// The name exactly as the input gives it, if any.
    pub fn given_name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// The actor the source leans to, `None` for an independent source.
    pub fn affiliation(&self) -> Option<ActorId> {
        self.affiliation
    }

    /// The side (root actor) of the source's affiliation, `None` if independent.
    pub fn side(&self) -> Option<ActorId> {
        self.affiliated_side
    }

    /// The reliability prior in `0..=1` the input gives, if any: the prior
    /// mean of the source's accuracy in [`reconcile`](crate::reconcile::reconcile),
    /// worth [`Source::prior_strength`] claims. Without one, the source's
    /// prior is the learned mean of its affiliation group.
    ///
    /// Reconciliation clamps it to
    /// [`Config::accuracy_bounds`](crate::Config::accuracy_bounds) (0.6 to
    /// 0.99 by default), as it does every learned accuracy: a source right
    /// less often than chance among the states would be anti-informative
    /// (its claims would count for the other states), and the floor is
    /// deliberate. The value returned here is the one given, unclamped.
    pub fn prior(&self) -> Option<f64> {
        self.prior
    }

    /// How many claims' worth of evidence the input says [`Source::prior`]
    /// weighs, if it says so: a finite number ≥ 0, and only with a prior.
    /// The source's learned accuracy is `(m·prior + Σ)/(m + Σw)` over its
    /// claims' weighted agreement Σ and weight Σw, with `m` this strength, or
    /// [`Config::prior_strength`](crate::Config::prior_strength) when `None`.
    pub fn prior_strength(&self) -> Option<f64> {
        self.prior_strength
    }
}
