//! Input formats: the JSON input format as Rust types (described in
//! [`format_reference`](crate::format_reference), section 1), and its
//! reader. Every input format ends in a [`Document`], which
//! [`Dataset::from_document`](crate::Dataset::from_document) validates;
//! several documents merge into one with [`merge`].
//!
//! With the feature `import`, the readers of ACLED (`acled`) and UCDP GED
//! (`ucdp`) CSV exports, whose actors and outlets map to sides through
//! `sides`, each returning an `Imported` document (`Import` reads several
//! exports into one).

#[cfg(feature = "import")]
pub mod acled;
#[cfg(feature = "import")]
mod csv_chunks;
mod document;
#[cfg(feature = "import")]
mod imported;
pub(crate) mod json;
mod merge;
#[cfg(feature = "import")]
pub mod sides;
mod split;
#[cfg(feature = "import")]
pub mod ucdp;

pub use document::*;
#[cfg(feature = "import")]
pub use imported::{Import, ImportError, Imported, SkipReason, SkippedRow};
pub use merge::merge;
