//! Actors: forces that can hold ground, in a tree whose roots are sides.

use super::ids::ActorId;

/// A force that can hold ground, as interned in a [`Dataset`](crate::Dataset).
///
/// Actors form a tree; a root of the tree is a **side**. Control is compared
/// between sides, so "al-Nusra holds X" and "the rebels hold X" agree when
/// `nusra` has `opposition` as its root.
#[derive(Clone, Debug, PartialEq)]
pub struct Actor {
    pub(crate) id: String,
    pub(crate) name: Option<String>,
    pub(crate) parent: Option<ActorId>,
    pub(crate) side: ActorId,
}

impl Actor {
    /// The actor's id as the input gives it (`"nusra"`).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The actor's display name, or its id when the input gives none.
    pub fn name(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.id)
    }

    /// The name exactly as the input gives it, if any.
    pub fn given_name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// The actor's parent in the actor tree, `None` for a side.
    pub fn parent(&self) -> Option<ActorId> {
        self.parent
    }

    /// The root of the actor's tree: the side it fights for (itself for a side).
    pub fn side(&self) -> ActorId {
        self.side
    }

    /// Whether the actor is a side (a root of the tree).
    pub fn is_side(&self) -> bool {
        self.parent.is_none()
    }
}
