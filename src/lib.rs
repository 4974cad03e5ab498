//! frontline (crate docs are written below, once the pipeline is complete).
#![deny(missing_docs)]
#![warn(missing_debug_implementations)]

mod analysis;
mod dataset;
mod describe;
mod error;
pub mod graph;
mod io;
pub mod model;
pub mod reconcile;
pub mod report;
#[cfg(feature = "sim")]
pub mod sim;

pub use analysis::{Analysis, Format};
pub use dataset::Dataset;
pub use error::{Error, ErrorKind, RecordRef, Result, Section};
pub use reconcile::Config;

/// The JSON input format as Rust types.
pub mod input {
    pub use crate::io::document::*;
}
