//! frontline (crate docs are written below, once the pipeline is complete).
#![deny(missing_docs)]
#![warn(missing_debug_implementations)]

mod dataset;
mod describe;
mod error;
mod io;
pub mod graph;
pub mod model;

pub use dataset::Dataset;
pub use error::{Error, ErrorKind, RecordRef, Result, Section};

/// The JSON input format as Rust types.
pub mod input {
    pub use crate::io::document::*;
}
