//! Output formats: each reads an [`Analysis`] (and its
//! [`Report`](crate::report::Report)) and writes; nothing in the pipeline
//! reads them. [`Format`] is the one list of formats: the command line
//! parses it from its name, and [`Format::write`] streams any of them.
//!
//! # Example
//!
//! ```
//! use frontline::{Analysis, Config, Dataset, Format};
//! let dataset = Dataset::from_json_str(r#"{"actors": [{"id": "army"}], "sources": [{"id": "tv"}],
//!   "locations": [{"id": "hill"}],
//!   "claims": [{"id": "c", "source": "tv", "location": "hill", "asserts": {"holds": "army"}, "when": "2014-03-22"}]}"#)?;
//! let analysis = Analysis::new(&dataset, &Config::default(), None);
//! let format: Format = "json".parse()?;
//! assert!(format.render(&analysis).starts_with("{\"locations\""));
//! assert_eq!("dot".parse::<Format>()?, Format::Dot);
//! assert!("xml".parse::<Format>().is_err());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod dot;
mod text;

use crate::analysis::Analysis;
use crate::report::Streamed;
use std::fmt;
use std::str::FromStr;

/// An output format (described in [`format_reference`](crate::format_reference),
/// section 3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Format {
    /// A readable report per location, then the sources.
    #[default]
    Text,
    /// The JSON report, compact: one line.
    Json,
    /// The same JSON report, indented for reading.
    JsonPretty,
    /// Graphviz DOT of the control graphs.
    Dot,
}

impl Format {
    /// Every format, in the order the command line lists them.
    pub const ALL: [Format; 4] = [Format::Text, Format::Json, Format::JsonPretty, Format::Dot];

    /// The format's name, as [`FromStr`] reads it: `text`, `json`,
    /// `json-pretty`, `dot`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Json => "json",
            Format::JsonPretty => "json-pretty",
            Format::Dot => "dot",
        }
    }

    /// The indented form of a format where it has one (`json` becomes
    /// `json-pretty`); the format itself otherwise.
    pub fn pretty(self) -> Format {
        match self {
            Format::Json => Format::JsonPretty,
            other => other,
        }
    }

    /// Writes an analysis in this format, streaming: nothing the size of the
    /// output is held in memory. Wrap `writer` in a [`std::io::BufWriter`]
    /// if it is unbuffered (a file, stdout).
    ///
    /// # Errors
    ///
    /// Only what `writer` returns.
    pub fn write(self, analysis: &Analysis<'_>, writer: &mut impl std::io::Write) -> std::io::Result<()> {
        match self {
            Format::Text => text::write(analysis, writer),
            Format::Json => {
                crate::report::write_json(analysis, writer)?;
                writer.write_all(b"\n")
            }
            Format::JsonPretty => {
                serde_json::to_writer_pretty(&mut *writer, &Streamed(analysis)).map_err(std::io::Error::from)?;
                writer.write_all(b"\n")
            }
            Format::Dot => dot::write(analysis, writer),
        }
    }

    /// An analysis in this format, as a string.
    pub fn render(self, analysis: &Analysis<'_>) -> String {
        let mut out = Vec::new();
        // Writing to a `Vec` cannot fail.
        let _ = self.write(analysis, &mut out);
        // The writers write UTF-8 only.
        String::from_utf8(out).unwrap_or_default()
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A format name that [`Format`] does not know.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown output format {given:?}: expected one of text, json, json-pretty, dot")]
pub struct UnknownFormat {
    /// The name given.
    pub given: String,
}

impl FromStr for Format {
    type Err = UnknownFormat;

    fn from_str(name: &str) -> Result<Format, UnknownFormat> {
        Format::ALL.into_iter().find(|f| f.name() == name).ok_or_else(|| UnknownFormat { given: name.to_owned() })
    }
}
