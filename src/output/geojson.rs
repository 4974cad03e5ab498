//! GeoJSON (RFC 7946) for GIS tools: one Feature per timeline segment of
//! each located place, or one per place at an instant; streamed with the
//! `geojson` crate's `FeatureWriter`, one Feature at a time.

use super::Options;
use crate::analysis::Analysis;
use crate::model::{format_instant, ClaimId, LocationId};
use crate::reconcile::{ControlState, Segment};
use crate::report::round4;
use crate::Dataset;
use geojson::{Feature, FeatureCollection, FeatureWriter, Geometry, JsonObject, JsonValue, Value};
use serde_json::json;

fn to_io(error: geojson::Error) -> std::io::Error {
    match error {
        geojson::Error::Io(error) => error,
        other => std::io::Error::other(other),
    }
}

fn ids(dataset: &Dataset, claims: &[ClaimId]) -> JsonValue {
    JsonValue::Array(claims.iter().map(|&c| JsonValue::from(dataset.claim(c).id())).collect())
}

/// A Feature's properties; keys inserted in alphabetical order, so that the
/// output is the same whether serde_json keeps insertion order or sorts.
fn properties(dataset: &Dataset, l: LocationId, segment: Option<&Segment>, end: Option<String>) -> JsonObject {
    let location = dataset.location(l);
    let (state, side) = match segment.map(|s| s.state) {
        Some(ControlState::Held(side)) => ("held", JsonValue::from(dataset.actor(side).id())),
        Some(ControlState::Contested) => ("contested", JsonValue::Null),
        Some(ControlState::Unknown) | None => ("unknown", JsonValue::Null),
    };
    let mut p = JsonObject::new();
    p.insert("basis".into(), JsonValue::from(segment.map_or("inferred", |s| s.basis.name())));
    p.insert("confidence".into(), JsonValue::from(segment.map_or(0.0, |s| round4(s.confidence))));
    p.insert("dissent".into(), segment.map_or_else(|| json!([]), |s| ids(dataset, &s.dissent)));
    p.insert("end".into(), end.map_or(JsonValue::Null, JsonValue::from));
    p.insert("location".into(), JsonValue::from(location.id()));
    p.insert("name".into(), JsonValue::from(location.name()));
    p.insert("side".into(), side);
    p.insert("start".into(), segment.map_or(JsonValue::Null, |s| JsonValue::from(format_instant(s.from))));
    p.insert("state".into(), JsonValue::from(state));
    p.insert("support".into(), segment.map_or_else(|| json!([]), |s| ids(dataset, &s.support)));
    p
}

fn feature(point: [f64; 2], properties: JsonObject) -> Feature {
    let [latitude, longitude] = point;
    Feature {
        bbox: None,
        // GeoJSON's order: longitude, then latitude.
        geometry: Some(Geometry::new(Value::Point(vec![longitude, latitude]))),
        id: None,
        properties: Some(properties),
        foreign_members: None,
    }
}

/// Writes the FeatureCollection.
pub(crate) fn write(analysis: &Analysis<'_>, options: &Options, out: &mut impl std::io::Write) -> std::io::Result<()> {
    let dataset = analysis.dataset();
    let rec = analysis.reconciliation();
    let located: Vec<(LocationId, [f64; 2])> =
        dataset.location_ids().filter_map(|l| dataset.location(l).coords().map(|c| (l, c))).collect();
    let unlocated: Vec<JsonValue> = dataset
        .location_ids()
        .filter(|&l| dataset.location(l).coords().is_none())
        .map(|l| json!({"location": dataset.location(l).id(), "name": dataset.location(l).name()}))
        .collect();
    let at = options.at.map(|t| t.start());
    let mut members: Vec<(&str, JsonValue)> = Vec::new();
    if let Some(t) = analysis.as_of() {
        members.push(("as_of", JsonValue::from(t.to_string())));
    }
    if let Some(t) = at {
        members.push(("at", JsonValue::from(format_instant(t))));
    }
    members.push(("unlocated", JsonValue::Array(unlocated)));
    // Every located place has a feature: with `at`, one; otherwise one per
    // segment, or one `unknown` feature for a place without any.
    let features = match at {
        Some(_) => located.len(),
        None => located.iter().map(|(l, _)| rec.timeline(*l).segments.len().max(1)).sum(),
    };
    if features == 0 {
        // The writer cannot close a collection that has foreign members but
        // no features; this one is small.
        let collection = FeatureCollection {
            bbox: None,
            features: Vec::new(),
            foreign_members: Some(members.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()),
        };
        serde_json::to_writer(&mut *out, &collection).map_err(std::io::Error::from)?;
        return out.write_all(b"\n");
    }
    let mut writer = FeatureWriter::from_writer(&mut *out);
    for (key, value) in &members {
        writer.write_foreign_member(key, value).map_err(to_io)?;
    }
    for &(l, point) in &located {
        let timeline = rec.timeline(l);
        match at {
            Some(t) => {
                let segment = timeline.segment_at(t);
                let end = match segment {
                    Some(s) => s.to.map(format_instant),
                    // Before the first segment: unknown until it starts.
                    None => timeline.segments.first().map(|s| format_instant(s.from)),
                };
                writer.write_feature(&feature(point, properties(dataset, l, segment, end))).map_err(to_io)?;
            }
            None if timeline.segments.is_empty() => {
                writer.write_feature(&feature(point, properties(dataset, l, None, None))).map_err(to_io)?;
            }
            None => {
                for segment in &timeline.segments {
                    let props = properties(dataset, l, Some(segment), segment.to.map(format_instant));
                    writer.write_feature(&feature(point, props)).map_err(to_io)?;
                }
            }
        }
    }
    writer.finish().map_err(to_io)?;
    drop(writer);
    out.write_all(b"\n")
}
