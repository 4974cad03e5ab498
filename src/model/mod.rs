//! The data model: actors, sources, locations, claims and their times.
//!
//! These are the interned forms that live inside a [`Dataset`](crate::Dataset):
//! references between records are small-integer ids, and strings remain only
//! for ids, names and provenance. The input format's own types live in
//! [`crate::input`].

mod actor;
mod claim;
mod control;
mod ids;
mod location;
mod source;
pub(crate) mod time;

pub use actor::Actor;
pub use claim::{Assertion, Certainty, Claim};
pub use control::{ControlState, Meaning, StateSet};
pub use ids::{ActorId, ClaimId, LocationId, SourceId};
pub use location::Location;
pub use source::Source;
pub use time::{format_instant, TimeParseError, TimePoint, TimeProblem, When, Window};

/// Indexing a section of a dataset by its id type: `actors[id]` for an
/// [`ActorId`], and so on. Panics, like any index, for an id from another
/// dataset.
macro_rules! index_by_id {
    ($($id:ty => $record:ty),* $(,)?) => {$(
        impl std::ops::Index<$id> for [$record] {
            type Output = $record;
            fn index(&self, id: $id) -> &$record {
                &self[id.as_usize()]
            }
        }
    )*};
}

index_by_id!(ActorId => Actor, SourceId => Source, LocationId => Location, ClaimId => Claim);
