//! CSV for spreadsheets, R and pandas: one row per timeline segment,
//! written with the `csv` crate, one row at a time.

use crate::analysis::Analysis;
use crate::model::{format_instant, ClaimId};
use crate::reconcile::ControlState;
use crate::report::round4;
use crate::Dataset;

/// One row; the field names are the header.
#[derive(serde::Serialize)]
struct Row<'a> {
    location: &'a str,
    name: &'a str,
    from: String,
    to: String,
    state: &'static str,
    side: &'a str,
    confidence: f64,
    basis: &'static str,
    support: String,
    dissent: String,
}

/// Claim ids as a JSON array: unambiguous whatever the ids contain.
fn ids(dataset: &Dataset, claims: &[ClaimId]) -> String {
    let list: Vec<&str> = claims.iter().map(|&c| dataset.claim(c).id()).collect();
    serde_json::to_string(&list).unwrap_or_default()
}

fn to_io(error: csv::Error) -> std::io::Error {
    match error.into_kind() {
        csv::ErrorKind::Io(error) => error,
        other => std::io::Error::other(format!("{other:?}")),
    }
}

/// Writes the header and one row per segment, locations in id order.
pub(crate) fn write(analysis: &Analysis<'_>, out: &mut impl std::io::Write) -> std::io::Result<()> {
    let dataset = analysis.dataset();
    let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(&mut *out);
    let mut wrote_header = false;
    for timeline in analysis.reconciliation().timelines() {
        let location = dataset.location(timeline.location);
        for s in &timeline.segments {
            let (state, side) = match s.state {
                ControlState::Held(a) => ("held", dataset.actor(a).id()),
                ControlState::Contested => ("contested", ""),
                ControlState::Unknown => ("unknown", ""),
            };
            writer
                .serialize(Row {
                    location: location.id(),
                    name: location.name(),
                    from: format_instant(s.from),
                    to: s.to.map(format_instant).unwrap_or_default(),
                    state,
                    side,
                    confidence: round4(s.confidence),
                    basis: s.basis.name(),
                    support: ids(dataset, &s.support),
                    dissent: ids(dataset, &s.dissent),
                })
                .map_err(to_io)?;
            wrote_header = true;
        }
    }
    if !wrote_header {
        writer
            .write_record([
                "location",
                "name",
                "from",
                "to",
                "state",
                "side",
                "confidence",
                "basis",
                "support",
                "dissent",
            ])
            .map_err(to_io)?;
    }
    writer.flush()
}
