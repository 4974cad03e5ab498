//! JSON Schemas (draft 2020-12) of the input format and of the JSON report
//! ([`crate::format_reference`], section 6), derived from the serde types
//! with `schemars`. Only with the feature `schema`.
//!
//! [`input_schema`] describes what [`Dataset::from_json_str`] reads
//! ([`Document`]): every record closed to unknown keys, the required fields,
//! the five forms of `asserts`, the two forms of `when`, the documented time
//! forms, the ranges of `prior`, `prior_strength` and `coords`. What needs
//! more than one record (references, unique ids, cycles, denials) or the
//! calendar (`2014-02-30`, a range that runs backwards) is left to
//! validation, which reports it with the record's name.
//!
//! [`report_schema`] describes what [`Format::Json`] and
//! [`Format::JsonPretty`] write ([`Report`]), key for key: `as_of` only in
//! a replay, `unexamined_pairs` only when not 0, `to`, `side`, `strongest`
//! and `favoured` always there and possibly null.
//!
//! Each is returned as JSON text: two-space indents, the keys of every
//! object in byte order, a final newline. The repository keeps them as
//! `schemas/input.schema.json` and `schemas/report.schema.json`, and a test
//! checks that the files are what these functions return
//! (`FRONTLINE_BLESS=1 cargo test --test lib schemas` rewrites them).
//!
//! ```
//! let input = frontline::schema::input_schema();
//! assert!(input.contains(r#""title": "frontline input""#));
//! let report = frontline::schema::report_schema();
//! assert!(report.ends_with("}\n"));
//! ```
//!
//! [`Dataset::from_json_str`]: crate::Dataset::from_json_str
//! [`Document`]: crate::input::Document
//! [`Format::Json`]: crate::Format::Json
//! [`Format::JsonPretty`]: crate::Format::JsonPretty
//! [`Report`]: crate::report::Report

use crate::input::Document;
use crate::report::Report;
use schemars::generate::SchemaSettings;
use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde_json::{Map, Value};
use std::borrow::Cow;

/// How to bring `schemas/` up to date, in each file's `$comment`.
const REGENERATE: &str = "Generated from the Rust types by frontline::schema (feature `schema`); \
     do not edit. Regenerate with `FRONTLINE_BLESS=1 cargo test --test lib schemas`.";

/// The schema of the input format, as JSON text: what
/// [`Dataset::from_json_str`](crate::Dataset::from_json_str) reads, as far
/// as one record at a time can say it.
pub fn input_schema() -> String {
    let generator = SchemaSettings::draft2020_12().for_deserialize().into_generator();
    finish(
        generator.into_root_schema_for::<Document>().to_value(),
        "frontline input",
        "A frontline input document: actors, sources, locations and the claims made about them (docs/FORMAT.md, section 1).",
    )
}

/// The schema of the JSON report, as JSON text: what
/// [`Format::Json`](crate::Format::Json) and
/// [`Format::JsonPretty`](crate::Format::JsonPretty) write, key for key.
pub fn report_schema() -> String {
    let generator = SchemaSettings::draft2020_12().for_serialize().into_generator();
    let mut schema = generator.into_root_schema_for::<Report<'_>>().to_value();
    // A default says what a reader assumes for a key left out; the writer
    // leaves out only `as_of` and `unexamined_pairs`, and the schema says so.
    remove_key(&mut schema, "default");
    finish(
        schema,
        "frontline report",
        "The JSON report of frontline: reconciled timelines, contradictions, sources and the accounting of every claim (docs/FORMAT.md, section 3.1).",
    )
}

/// The root's title, description and `$comment`, plain descriptions, keys
/// sorted, as pretty JSON text with a final newline.
fn finish(mut schema: Value, title: &str, description: &str) -> String {
    plain_descriptions(&mut schema);
    if let Value::Object(root) = &mut schema {
        root.insert("title".into(), title.into());
        root.insert("description".into(), description.into());
        root.insert("$comment".into(), REGENERATE.into());
    }
    // Cannot fail: a `Value` has only string keys and finite numbers.
    let mut text = serde_json::to_string_pretty(&sorted(&schema)).unwrap_or_default();
    text.push('\n');
    text
}

/// `value` with the keys of every object sorted, whatever the order of
/// `serde_json`'s maps (insertion order with its `preserve_order` feature).
fn sorted(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            Value::Object(keys.into_iter().map(|k| (k.clone(), sorted(&map[k]))).collect::<Map<_, _>>())
        }
        Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
        other => other.clone(),
    }
}

/// Removes `key` from every object of a schema.
fn remove_key(value: &mut Value, key: &str) {
    match value {
        Value::Object(map) => {
            map.remove(key);
            map.values_mut().for_each(|v| remove_key(v, key));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| remove_key(v, key)),
        _ => {}
    }
}

/// The descriptions, which come from the doc comments, as plain text: a
/// paragraph on one line, and a rustdoc link reduced to its text.
fn plain_descriptions(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                match v {
                    Value::String(text) if key == "description" => *text = plain(text),
                    _ => plain_descriptions(v),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(plain_descriptions),
        _ => {}
    }
}

/// A doc comment as plain text: lines joined within a paragraph, and
/// ``[`Config::accuracy_bounds`](crate::Config::accuracy_bounds)`` or
/// ``[`crate::graph::PAIR_BUDGET`]`` written as the code span alone, less
/// any `crate::`.
fn plain(doc: &str) -> String {
    let joined =
        doc.split("\n\n").map(|p| p.split('\n').collect::<Vec<_>>().join(" ")).collect::<Vec<_>>().join("\n\n");
    let mut out = String::with_capacity(joined.len());
    let mut rest = joined.as_str();
    while let Some(open) = rest.find("[`") {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find("`]") {
            Some(close) => {
                let code = &after[..close + 1];
                out.push_str(&code.replacen("`crate::", "`", 1));
                rest = &after[close + 2..];
                // An explicit target, `(path)`, goes too.
                if let Some(target) = rest.strip_prefix('(').and_then(|r| r.find(')').map(|end| &r[end + 1..])) {
                    rest = target;
                }
            }
            None => {
                out.push('[');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

// Hand-written parts, used by the derives through `#[schemars(...)]`.

/// A time of the input (`when`, its `from` and `to`, `reported`): a date or
/// an RFC 3339 datetime with seconds and an offset, as section 1.6 of the
/// reference writes them. The reader also takes a few undocumented forms
/// (section 1.7, "Accepted but not part of the format"); the schema does not.
pub(crate) struct Time;

impl JsonSchema for Time {
    fn schema_name() -> Cow<'static, str> {
        "Time".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "description": "A date, YYYY-MM-DD (the whole UTC day), or an RFC 3339 datetime with seconds and an offset, Z or ±hh:mm (that instant), e.g. \"2014-03-22\", \"2014-03-26T14:00:00+02:00\".",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2}))?$",
        })
    }
}

/// A time of a claim's `when` (itself, or its `from` or `to`): a [`Time`],
/// or a month (`YYYY-MM`) or a year (`YYYY`), section 1.6 of the reference.
pub(crate) struct WhenTime;

impl JsonSchema for WhenTime {
    fn schema_name() -> Cow<'static, str> {
        "WhenTime".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "description": "A date, YYYY-MM-DD (the whole UTC day), a month, YYYY-MM (the whole month), a year, YYYY (the whole year), or an RFC 3339 datetime with seconds and an offset, Z or ±hh:mm (that instant), e.g. \"2014-03-22\", \"2014-03\", \"2014\", \"2014-03-26T14:00:00+02:00\".",
            "pattern": "^[0-9]{4}(-(0[1-9]|1[0-2])|-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2}))?)?$",
        })
    }
}

/// `coords`: `[latitude, longitude]` in degrees, each in range, or null.
pub(crate) fn coords(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "type": ["array", "null"],
        "prefixItems": [
            {"type": "number", "minimum": -90, "maximum": 90, "description": "Latitude in degrees."},
            {"type": "number", "minimum": -180, "maximum": 180, "description": "Longitude in degrees."},
        ],
        "items": false,
        "minItems": 2,
        "maxItems": 2,
        "description": "[latitude, longitude] in degrees: latitude first (as ACLED and UCDP give them; GeoJSON's order is the reverse).",
    })
}

/// For a record whose `id` reads as `""` when left out (`#[serde(default)]`)
/// and is then refused by validation: the schema requires a non-empty `id`.
pub(crate) fn id_required(schema: &mut Schema) {
    if let Some(Value::Object(id)) = schema.get_mut("properties").and_then(|p| p.get_mut("id")) {
        id.remove("default");
        id.insert("minLength".into(), 1.into());
    }
    let required = schema.ensure_object().entry("required").or_insert_with(|| Value::Array(Vec::new()));
    if let Value::Array(required) = required {
        if !required.iter().any(|r| r == "id") {
            required.insert(0, "id".into());
        }
    }
}

/// A source's `prior_strength` needs its `prior` (section 1.4).
pub(crate) fn strength_needs_prior(schema: &mut Schema) {
    schema.insert("dependentRequired".into(), serde_json::json!({"prior_strength": ["prior"]}));
}
