//! Input formats: the JSON input format as Rust types (described in
//! [`format_reference`](crate::format_reference), section 1), and its
//! reader. Every input format ends in a [`Document`], which
//! [`Dataset::from_document`](crate::Dataset::from_document) validates.

mod document;
pub(crate) mod json;
mod split;

pub use document::*;
