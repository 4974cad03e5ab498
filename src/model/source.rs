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

    /// The reliability prior in `0..=1` the input gives, if any.
    pub fn prior(&self) -> Option<f64> {
        self.prior
    }
}
