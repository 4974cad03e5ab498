//! Input and output formats: JSON in; JSON, text and DOT out.

pub(crate) mod document;
pub(crate) mod dot;
pub(crate) mod json_in;
pub(crate) mod text;
