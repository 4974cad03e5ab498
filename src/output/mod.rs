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
mod palette;
#[cfg(feature = "svg")]
mod select;
mod text;

#[cfg(feature = "csv")]
mod csv;
#[cfg(feature = "geojson")]
mod geojson;
#[cfg(feature = "html")]
mod html;
#[cfg(feature = "html")]
mod map;
#[cfg(feature = "svg")]
mod svg;

use crate::analysis::Analysis;
use crate::model::TimePoint;
use crate::report::Streamed;
use std::fmt;
use std::str::FromStr;

/// An output format (described in [`format_reference`](crate::format_reference),
/// section 3).
///
/// Every variant exists whatever the crate's features; the last four are
/// written only when the crate is built with the cargo feature of the same
/// name (`geojson`, `csv`, `svg`, `html`). Without it, [`Format::write`]
/// returns an error of kind [`std::io::ErrorKind::Unsupported`] that names
/// the feature, and [`Format::is_available`] says so beforehand.
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
    /// Graphviz DOT of the control graphs, with a legend and each claim's
    /// reconciled state.
    Dot,
    /// A GeoJSON FeatureCollection: one Feature per timeline segment of each
    /// located place (or, with [`Options::at`], one per place). Feature `geojson`.
    Geojson,
    /// CSV, one row per timeline segment. Feature `csv`.
    Csv,
    /// An SVG timeline, one lane per location. Feature `svg`.
    Svg,
    /// A self-contained HTML report: the timeline, a map with a day slider,
    /// contradictions, sources, and the claims behind each segment. Feature `html`.
    Html,
}

/// What some formats need beyond the analysis: the instant of a GeoJSON
/// snapshot, and which locations the SVG timeline and the HTML report show.
/// [`Options::default`] is what [`Format::write`] uses.
///
/// # Example
///
/// ```
/// use frontline::output::Options;
/// let mut options = Options::default();
/// options.at = Some("2014-03-27".parse()?);
/// options.locations = vec!["observatory-45".to_owned()];
/// assert_eq!(options.per_page, 50);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Options {
    /// GeoJSON: write one Feature per located place with its state at this
    /// time (a date means its first instant, 00:00 UTC) instead of one per
    /// segment. Ignored by the other formats.
    pub at: Option<TimePoint>,
    /// SVG and HTML: show only these locations (ids); empty shows all. An id
    /// that names no location is an error.
    pub locations: Vec<String>,
    /// SVG and HTML: how many locations one page shows (at least 1). The
    /// locations are ordered by volatility: most reversals first, then most
    /// contradictions, then most claims, then id.
    pub per_page: usize,
    /// SVG and HTML: which page to show, from 1.
    pub page: usize,
    /// HTML: a map tile URL template with `{z}`, `{x}` and `{y}` (an XYZ
    /// tile server, such as `https://tile.openstreetmap.org/{z}/{x}/{y}.png`)
    /// to draw under the map. The report then loads those tiles when it is
    /// opened; without it (the default) it needs no network at all.
    pub tiles: Option<String>,
}

impl Default for Options {
    fn default() -> Options {
        Options { at: None, locations: Vec::new(), per_page: 50, page: 1, tiles: None }
    }
}

impl Format {
    /// Every format, in the order the command line lists them.
    pub const ALL: [Format; 8] = [
        Format::Text,
        Format::Json,
        Format::JsonPretty,
        Format::Dot,
        Format::Geojson,
        Format::Csv,
        Format::Svg,
        Format::Html,
    ];

    /// The format's name, as [`FromStr`] reads it: `text`, `json`,
    /// `json-pretty`, `dot`, `geojson`, `csv`, `svg`, `html`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Json => "json",
            Format::JsonPretty => "json-pretty",
            Format::Dot => "dot",
            Format::Geojson => "geojson",
            Format::Csv => "csv",
            Format::Svg => "svg",
            Format::Html => "html",
        }
    }

    /// The cargo feature the format needs, if any.
    pub fn feature(self) -> Option<&'static str> {
        match self {
            Format::Text | Format::Json | Format::JsonPretty | Format::Dot => None,
            Format::Geojson => Some("geojson"),
            Format::Csv => Some("csv"),
            Format::Svg => Some("svg"),
            Format::Html => Some("html"),
        }
    }

    /// Whether this build of the crate writes the format (its feature is on).
    pub fn is_available(self) -> bool {
        match self {
            Format::Text | Format::Json | Format::JsonPretty | Format::Dot => true,
            Format::Geojson => cfg!(feature = "geojson"),
            Format::Csv => cfg!(feature = "csv"),
            Format::Svg => cfg!(feature = "svg"),
            Format::Html => cfg!(feature = "html"),
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

    /// Writes an analysis in this format with the default [`Options`]. See
    /// [`Format::write_with`].
    ///
    /// # Errors
    ///
    /// Those of [`Format::write_with`].
    pub fn write(self, analysis: &Analysis<'_>, writer: &mut impl std::io::Write) -> std::io::Result<()> {
        self.write_with(analysis, &Options::default(), writer)
    }

    /// Writes an analysis in this format. The JSON, text, DOT, GeoJSON and
    /// CSV outputs stream: nothing the size of the output is held in memory.
    /// The SVG timeline and the HTML report stay bounded instead: they show
    /// one page of locations and at most one mark per pixel, and say so when
    /// they leave something out. Wrap `writer` in a [`std::io::BufWriter`] if
    /// it is unbuffered (a file, stdout).
    ///
    /// # Errors
    ///
    /// What `writer` returns; [`std::io::ErrorKind::Unsupported`] for a
    /// format whose cargo feature is off; [`std::io::ErrorKind::InvalidInput`]
    /// when `options` name a location the dataset does not have, or a page
    /// past the last.
    pub fn write_with(
        self,
        analysis: &Analysis<'_>,
        options: &Options,
        writer: &mut impl std::io::Write,
    ) -> std::io::Result<()> {
        let _ = options;
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
            #[cfg(feature = "geojson")]
            Format::Geojson => geojson::write(analysis, options, writer),
            #[cfg(feature = "csv")]
            Format::Csv => csv::write(analysis, writer),
            #[cfg(feature = "svg")]
            Format::Svg => svg::write(analysis, options, writer),
            #[cfg(feature = "html")]
            Format::Html => html::write(analysis, options, writer),
            #[allow(unreachable_patterns)]
            other => Err(std::io::Error::new(
                std::io::ErrorKind::Unsupported,
                format!(
                    "the {other} format needs frontline built with the cargo feature `{}`",
                    other.feature().unwrap_or_default()
                ),
            )),
        }
    }

    /// An analysis in this format with the default options, as a string;
    /// empty for a format whose feature is off.
    pub fn render(self, analysis: &Analysis<'_>) -> String {
        self.render_with(analysis, &Options::default())
    }

    /// An analysis in this format, as a string; empty when
    /// [`Format::write_with`] fails (a feature off, a bad option).
    pub fn render_with(self, analysis: &Analysis<'_>, options: &Options) -> String {
        let mut out = Vec::new();
        if self.write_with(analysis, options, &mut out).is_err() {
            return String::new();
        }
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
#[error("unknown output format {given:?}: expected one of text, json, json-pretty, dot, geojson, csv, svg, html")]
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

/// An [`std::io::ErrorKind::InvalidInput`] error: a bad option.
#[cfg(feature = "svg")]
pub(crate) fn invalid(message: String) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidInput, message)
}
