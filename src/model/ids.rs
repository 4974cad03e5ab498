//! Small-integer ids for the records of a [`Dataset`](crate::Dataset).
//!
//! Inside a dataset every actor, source, location and claim is interned to a
//! `u32` index, assigned in the sorted order of the records' string ids. That
//! order is what makes every result independent of the order of the input
//! arrays. Strings appear only at the edges: input, output and messages.

macro_rules! define_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[repr(transparent)]
        pub struct $name(u32);

        impl $name {
            /// Creates an id from an index, or `None` if it does not fit in a `u32`.
            pub fn new(index: usize) -> Option<Self> {
                u32::try_from(index).ok().map(Self)
            }

            /// The index of the record in its section of the dataset.
            pub fn as_usize(self) -> usize {
                self.0 as usize
            }

            /// The id of an interned index (which always fits: a dataset
            /// refuses more records than `u32` counts).
            pub(crate) fn from_index(index: u32) -> Self {
                Self(index)
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}({})", stringify!($name), self.0)
            }
        }
    };
}

define_id!(
    /// An actor of a [`Dataset`](crate::Dataset): a force that can hold ground.
    ActorId
);
define_id!(
    /// A source of a [`Dataset`](crate::Dataset): who made a claim.
    SourceId
);
define_id!(
    /// A location of a [`Dataset`](crate::Dataset): a position that can be held.
    LocationId
);
define_id!(
    /// A claim of a [`Dataset`](crate::Dataset): one statement of one source.
    ClaimId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_their_index_and_debug_prints_the_value() {
        let id = ClaimId::new(42).unwrap();
        assert_eq!(id.as_usize(), 42);
        assert_eq!(format!("{id:?}"), "ClaimId(42)");
        assert!(ActorId::new(usize::MAX).is_none() || usize::BITS == 32);
        assert!(SourceId::new(1) < SourceId::new(2));
    }
}
