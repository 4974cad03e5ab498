//! `frontline` reconciles conflicting reports of territorial control.
//!
//! Sources disagree: an opposition monitor says the rebels hold a hilltop,
//! state TV says the army retook it, the monitor denies that the next day.
//! `frontline` takes every **claim** (who holds which position, when, per
//! which source and that source's affiliation) and answers three questions:
//!
//! * **What is each source saying?** A validated [`Dataset`], read from the
//!   JSON input format ([`input`]), with errors that name the record.
//! * **Where do they disagree?** A per-location [`graph::ControlGraph`] with
//!   typed edges (corroborates, contradicts, denies, precedes, reverses),
//!   typed [`graph::Contradiction`]s, claimed reversals and dispute clusters.
//! * **What most likely happened?** [`reconcile::reconcile`]: a timeline per
//!   location whose segments carry a state, a confidence (a posterior
//!   probability), the claims that support and dissent, and a basis
//!   (assessed, claimed, inferred); source reliability learned from the data,
//!   with an Admiralty grade.
//!
//! [`Analysis`] runs the whole pipeline (optionally as of a time, with only
//! the claims reported by then) and renders the [`report::Report`] as JSON,
//! text or Graphviz DOT, and, with the cargo features of the same names, as
//! GeoJSON, CSV, an SVG timeline or a self-contained HTML report
//! ([`output`]).
//!
//! [`format_reference`] is the reference of the formats: every field of the
//! JSON input and how it is validated, what the engine does with each
//! assertion, every key of the JSON report, the text and DOT outputs, the
//! command line, and the invariants the tests check. It is
//! `docs/FORMAT.md` in the repository.
//!
//! # Example
//!
//! ```
//! use frontline::graph::ContradictionKind;
//! use frontline::{Analysis, Config, Dataset, Format};
//!
//! let dataset = Dataset::from_json_str(r#"{
//!   "actors": [{"id": "government"}, {"id": "army", "parent": "government"}, {"id": "opposition"}],
//!   "sources": [{"id": "sohr", "affiliation": "opposition"}, {"id": "state-tv", "affiliation": "government"},
//!               {"id": "afp", "affiliation": null}],
//!   "locations": [{"id": "observatory-45", "name": "Observatory 45"}],
//!   "claims": [
//!     {"id": "o45-0322-sohr", "source": "sohr", "location": "observatory-45",
//!      "asserts": {"captured": "opposition"}, "when": "2014-03-22"},
//!     {"id": "o45-0323-afp", "source": "afp", "location": "observatory-45",
//!      "asserts": {"holds": "opposition"}, "when": "2014-03-23"},
//!     {"id": "o45-0331-tv", "source": "state-tv", "location": "observatory-45",
//!      "asserts": {"captured": "army"}, "when": "2014-03-31", "certainty": "claimed"},
//!     {"id": "o45-0401-sohr", "source": "sohr", "location": "observatory-45",
//!      "asserts": {"denies": "o45-0331-tv"}, "when": "2014-04-01"}
//!   ]}"#)?;
//!
//! let analysis = Analysis::new(&dataset, &Config::default(), None);
//! let o45 = dataset.location_id("observatory-45").unwrap();
//!
//! // The reconciled timeline: the rebels took the hill on 22 March (a
//! // capture says the other side held it right before).
//! let timeline = analysis.reconciliation().timeline(o45);
//! let first = &timeline.reversals[0];
//! assert_eq!(first.to, dataset.actor_id("opposition").unwrap());
//! assert_eq!(first.at.to_string(), "2014-03-22 00:00:00 UTC");
//! assert!(first.claims.contains(&dataset.claim_id("o45-0322-sohr").unwrap()));
//! for segment in &timeline.segments {
//!     assert!((0.0..=1.0).contains(&segment.confidence));
//! }
//!
//! // The contradictions: SOHR's denial of state TV's claim.
//! let graph = analysis.graph(o45);
//! let denial = graph.contradictions().iter().find(|c| c.kind() == ContradictionKind::Denial).unwrap();
//! assert_eq!(dataset.claim(denial.claims()[0]).id(), "o45-0401-sohr");
//!
//! // The JSON report (format_reference, section 3.1): every claim accounted for.
//! let report = analysis.report();
//! assert_eq!(report.accounting.claims, 4);
//! assert!(Format::Json.render(&analysis).starts_with('{'));
//! # Ok::<(), frontline::Error>(())
//! ```
//!
//! The command line is the binary `frontline` of the crate in `cli/`
//! (`cargo install --path cli`, then `frontline reconcile INPUT.json`);
//! [`data::latakia_2014`] is the embedded 2014 Latakia dataset.
// Every public item is documented; a missing doc is a build error.
#![deny(missing_docs)]
// Users print our types while debugging; every public type has `Debug`.
#![warn(missing_debug_implementations)]

mod analysis;
pub mod data;
mod dataset;
mod describe;
mod error;
pub mod graph;
pub mod input;
pub mod model;
pub mod output;
pub mod reconcile;
pub mod report;
#[cfg(feature = "schema")]
pub mod schema;
pub mod score;
#[cfg(feature = "sim")]
pub mod sim;
#[cfg(test)]
mod test_support;

pub use analysis::Analysis;
pub use dataset::Dataset;
pub use error::{DenialProblem, Error, ErrorKind, RecordRef, Result, Section};
pub use output::Format;
pub use reconcile::Config;

// The reference of the formats, from `docs/FORMAT.md`: a module with no
// items, only documentation, so that it is in the API documentation and a
// clone of the repository has it as a file.
#[doc = include_str!("../docs/FORMAT.md")]
pub mod format_reference {}
