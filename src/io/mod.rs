//! Input and output formats: JSON in; JSON, text and DOT out.

pub(crate) mod document;
pub(crate) mod json_in;
