//! Locations: positions whose control is claimed.

use super::ids::LocationId;

/// A position: a town, village, hill, crossing; as interned in a
/// [`Dataset`](crate::Dataset).
#[derive(Clone, Debug, PartialEq)]
pub struct Location {
    pub(crate) id: String,
    pub(crate) name: Option<String>,
    pub(crate) kind: Option<String>,
    pub(crate) coords: Option<[f64; 2]>,
    pub(crate) aliases: Vec<String>,
    pub(crate) part_of: Option<LocationId>,
}

impl Location {
    /// The location's id as the input gives it (`"observatory-45"`).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The location's display name, or its id when the input gives none.
    pub fn name(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.id)
    }

    /// The name exactly as the input gives it, if any.
    pub fn given_name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// What kind of position it is (`"hill"`, `"town"`), if given.
    pub fn kind(&self) -> Option<&str> {
        self.kind.as_deref()
    }

    /// `[latitude, longitude]` in degrees, if given.
    pub fn coords(&self) -> Option<[f64; 2]> {
        self.coords
    }

    /// Other names of the position.
    pub fn aliases(&self) -> &[String] {
        &self.aliases
    }

    /// The larger location this one is part of (Kasab's main square is part of Kasab).
    pub fn part_of(&self) -> Option<LocationId> {
        self.part_of
    }
}
