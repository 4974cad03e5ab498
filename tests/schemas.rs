//! The JSON Schemas in `schemas/` (docs/FORMAT.md, section 6): they are what
//! `frontline::schema` generates from the serde types; every dataset in
//! `data/`, the reference's example and their reports (with and without
//! `as_of`) validate against them; and they refuse what the reader refuses
//! and what the writer never writes.
//!
//! `FRONTLINE_BLESS=1 cargo test --test lib schemas` rewrites the files from
//! the code.

use super::latakia;
use frontline::model::TimePoint;
use frontline::schema::{input_schema, report_schema};
use frontline::{Analysis, Config, Dataset, Format};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

const INPUT: &str = "schemas/input.schema.json";
const REPORT: &str = "schemas/report.schema.json";

fn repository(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// Whether this run rewrites `schemas/` (`FRONTLINE_BLESS=1`).
fn blessing() -> bool {
    std::env::var_os("FRONTLINE_BLESS").is_some_and(|v| v == "1")
}

/// The schema the code generates for the file at `path`, as text.
fn generated(path: &str) -> String {
    match path {
        INPUT => input_schema(),
        _ => report_schema(),
    }
}

/// The checked-in schema at `path`, parsed (while blessing, the generated
/// one, which is being written).
fn checked_in(path: &str) -> Value {
    if blessing() {
        return parse(&generated(path));
    }
    let text = std::fs::read_to_string(repository(path))
        .unwrap_or_else(|e| panic!("{path}: {e}; write it with `FRONTLINE_BLESS=1 cargo test --test lib schemas`"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path} is not JSON: {e}"))
}

/// A validator for the checked-in schema at `path`.
fn validator(path: &str) -> jsonschema::Validator {
    jsonschema::draft202012::new(&checked_in(path)).unwrap_or_else(|e| panic!("{path} does not compile: {e}"))
}

fn errors(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator.iter_errors(instance).map(|e| format!("at `{}`: {e}", e.instance_path())).collect()
}

fn assert_valid(validator: &jsonschema::Validator, instance: &Value, what: &str) {
    let errors = errors(validator, instance);
    assert!(errors.is_empty(), "{what} does not validate:\n{}", errors.join("\n"));
}

fn assert_invalid(validator: &jsonschema::Validator, instance: &Value, what: &str) {
    assert!(!validator.is_valid(instance), "{what} validates, but should not");
}

/// The datasets of `data/` (not the `*.expect.json` beside them), by path.
fn datasets() -> Vec<PathBuf> {
    let dir = repository("data");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "json") && !p.to_string_lossy().ends_with(".expect.json"));
    files.sort();
    assert!(files.len() >= 6, "the real datasets are missing from {}", dir.display());
    files
}

fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON: {e}"))
}

#[test]
fn the_checked_in_schemas_are_the_generated_ones() {
    let mut stale = Vec::new();
    for path in [INPUT, REPORT] {
        let generated = generated(path);
        let file = repository(path);
        if blessing() {
            std::fs::create_dir_all(file.parent().expect("schemas/")).expect("create schemas/");
            std::fs::write(&file, &generated).unwrap_or_else(|e| panic!("{path}: {e}"));
        } else if std::fs::read_to_string(&file).ok().as_deref() != Some(generated.as_str()) {
            stale.push(path);
        }
    }
    assert!(
        stale.is_empty(),
        "{}: not what the code generates (frontline::schema); if the change of format is meant, regenerate \
         with `FRONTLINE_BLESS=1 cargo test --test lib schemas`, review the diff and update docs/FORMAT.md",
        stale.join(", ")
    );
}

#[test]
fn the_schemas_are_draft_2020_12_schemas() {
    for path in [INPUT, REPORT] {
        let schema = checked_in(path);
        assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema", "{path}");
        if let Err(error) = jsonschema::meta::validate(&schema) {
            panic!("{path} is not a valid JSON Schema: {error}");
        }
    }
}

#[test]
fn every_dataset_and_its_report_validate() {
    let (input, report) = (validator(INPUT), validator(REPORT));
    for path in datasets() {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_valid(&input, &parse(&text), &name);
        let dataset = Dataset::from_json_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let analysis = Analysis::new(&dataset, &Config::default(), None);
        assert_valid(&report, &parse(&Format::Json.render(&analysis)), &format!("the report of {name}"));
        // A dataset written back by the crate is in the format too.
        assert_valid(&input, &parse(&dataset.to_json_string()), &format!("{name} written back"));
    }
}

#[test]
fn the_reference_example_and_its_report_validate() {
    let text = super::format_reference::block_after("### 1.2 A complete example", "json");
    assert_valid(&validator(INPUT), &parse(text), "the example of docs/FORMAT.md, section 1.2");
    let dataset = Dataset::from_json_str(text).expect("the example validates");
    let analysis = Analysis::new(&dataset, &Config::default(), None);
    let report = Format::JsonPretty.render(&analysis);
    assert_valid(&validator(REPORT), &parse(&report), "the report of the example of section 1.2");
}

#[test]
fn the_latakia_reports_validate_with_and_without_as_of() {
    let report = validator(REPORT);
    let dataset = latakia();
    let config = Config::default();
    let replays = [None, Some("2014-03-27"), Some("2014-03-31T12:00:00+02:00")];
    for as_of in replays {
        let time = as_of.map(|t| t.parse::<TimePoint>().expect("a time"));
        let analysis = Analysis::new(&dataset, &config, time);
        let what = format!("the Latakia report as of {as_of:?}");
        for format in [Format::Json, Format::JsonPretty] {
            let document = parse(&format.render(&analysis));
            assert_eq!(document.get("as_of").is_some(), as_of.is_some(), "{what}: `as_of` only in a replay");
            assert_valid(&report, &document, &format!("{what} ({format})"));
        }
        // The collected `Report` serialises to the same document as the
        // streamed writer: it validates too.
        let collected = serde_json::to_value(analysis.report()).expect("a report serialises");
        assert_valid(&report, &collected, &format!("{what}, collected"));
    }
}

/// A small document in the format, with every optional field.
fn small() -> Value {
    json!({
        "actors": [{"id": "army", "name": "Army"}, {"id": "rebels", "parent": null}],
        "sources": [
            {"id": "tv", "name": null, "affiliation": "army", "prior": 0.8, "prior_strength": 5},
            {"id": "afp", "affiliation": null}
        ],
        "locations": [{"id": "hill", "kind": "hill", "coords": [35.9, 35.98], "aliases": ["Hill 1"]},
                      {"id": "foot", "part_of": "hill", "coords": null}],
        "claims": [
            {"id": "c1", "source": "tv", "location": "hill", "asserts": {"holds": "army"}, "when": "2014-03-22",
             "certainty": "claimed", "reported": "2014-03-22T20:00:00Z", "cite": "1", "quote": "..."},
            {"id": "c2", "source": "afp", "location": "hill", "asserts": "contested",
             "when": {"from": "2014-03-23", "to": "2014-03-24T12:00:00.5+02:00"}, "reported": null},
            {"id": "c3", "source": "afp", "location": "hill", "asserts": {"captured": "rebels"}, "when": "2014-03-25"},
            {"id": "c4", "source": "tv", "location": "hill", "asserts": {"withdrew": "army"}, "when": "2014-03-25"},
            {"id": "c5", "source": "tv", "location": "hill", "asserts": {"denies": "c3"}, "when": "2014-03-26"}
        ]
    })
}

/// Sets the value at a JSON pointer (its parent must exist), or removes it
/// when `value` is `None`.
fn edit(mut document: Value, pointer: &str, value: Option<Value>) -> Value {
    let (parent, key) = pointer.rsplit_once('/').expect("a pointer");
    let parent = document.pointer_mut(parent).unwrap_or_else(|| panic!("no {parent}"));
    match (parent, value) {
        (Value::Object(map), Some(value)) => {
            map.insert(key.to_owned(), value);
        }
        (Value::Object(map), None) => {
            map.remove(key).unwrap_or_else(|| panic!("no {pointer}"));
        }
        (Value::Array(items), Some(value)) => items[key.parse::<usize>().expect("an index")] = value,
        (Value::Array(items), None) => {
            items.remove(key.parse::<usize>().expect("an index"));
        }
        _ => panic!("{pointer} is not in an object or an array"),
    }
    document
}

/// Appends `value` to the list at a JSON pointer.
fn append(mut document: Value, pointer: &str, value: Value) -> Value {
    document
        .pointer_mut(pointer)
        .and_then(Value::as_array_mut)
        .unwrap_or_else(|| panic!("no list {pointer}"))
        .push(value);
    document
}

#[test]
fn the_input_schema_accepts_what_the_reader_accepts_in_the_format() {
    let input = validator(INPUT);
    let without_prior = edit(edit(small(), "/sources/0/prior_strength", None), "/sources/0/prior", None);
    let cases = [
        ("the small document", small()),
        ("an empty document", json!({})),
        ("a claim without certainty", edit(small(), "/claims/0/certainty", None)),
        ("a source without prior", without_prior),
        ("`prior` 0", edit(small(), "/sources/0/prior", Some(json!(0)))),
        ("`coords` at the limits", edit(small(), "/locations/0/coords", Some(json!([-90, 180])))),
        ("`when` a month", edit(small(), "/claims/0/when", Some(json!("2014-03")))),
        ("`when` a year", edit(small(), "/claims/0/when", Some(json!("2014")))),
        ("a range of months", edit(small(), "/claims/0/when", Some(json!({"from": "2014-03", "to": "2014-12"})))),
    ];
    for (what, document) in cases {
        assert_valid(&input, &document, what);
        if let Err(error) = Dataset::from_json_str(&document.to_string()) {
            panic!("{what}: the reader refuses it: {error}");
        }
    }
}

#[test]
fn the_input_schema_refuses_what_the_reader_refuses() {
    let input = validator(INPUT);
    let cases = [
        ("an unknown key on a claim", "/claims/0/confidence", Some(json!(0.9))),
        ("an unknown key on a source", "/sources/1/affiliaton", Some(json!(null))),
        ("an unknown top-level key", "/claim", Some(json!([]))),
        ("`asserts` with a wrong keyword", "/claims/0/asserts", Some(json!({"took": "army"}))),
        ("`asserts` a bare keyword", "/claims/0/asserts", Some(json!("holds"))),
        ("`asserts` with two keys", "/claims/0/asserts", Some(json!({"holds": "army", "captured": "army"}))),
        ("a claim without an id", "/claims/0/id", None),
        ("a claim with an empty id", "/claims/0/id", Some(json!(""))),
        ("an actor with a null id", "/actors/0/id", Some(json!(null))),
        ("a claim without `when`", "/claims/0/when", None),
        ("a claim without `source`", "/claims/0/source", None),
        ("`when` in words", "/claims/0/when", Some(json!("22 March 2014"))),
        ("`when` a number", "/claims/0/when", Some(json!(20140322))),
        ("`when` a month 13", "/claims/0/when", Some(json!("2014-13"))),
        ("`when` a month 0", "/claims/0/when", Some(json!("2014-00"))),
        ("`reported` a month", "/claims/0/reported", Some(json!("2014-03"))),
        ("a datetime without an offset", "/claims/0/when", Some(json!("2014-03-31T20:00:00"))),
        ("a datetime without seconds", "/claims/0/reported", Some(json!("2014-03-31 20:00"))),
        ("a date with an offset", "/claims/0/when", Some(json!("2014-03-15Z"))),
        ("a range with a missing key", "/claims/1/when", Some(json!({"from": "2014-03-23"}))),
        (
            "a range with an extra key",
            "/claims/1/when",
            Some(json!({"from": "2014-03-23", "to": "2014-03-24", "at": "2014-03-23"})),
        ),
        ("`reported` a range", "/claims/0/reported", Some(json!({"from": "2014-03-23", "to": "2014-03-24"}))),
        ("an unknown certainty", "/claims/0/certainty", Some(json!("likely"))),
        ("a null certainty", "/claims/0/certainty", Some(json!(null))),
        ("`prior` out of range", "/sources/0/prior", Some(json!(1.5))),
        ("`prior` a string", "/sources/0/prior", Some(json!("0.8"))),
        ("a negative `prior_strength`", "/sources/0/prior_strength", Some(json!(-1))),
        ("`prior_strength` without `prior`", "/sources/1/prior_strength", Some(json!(5))),
        ("`coords` out of range", "/locations/0/coords", Some(json!([135.9, 35.98]))),
        ("`coords` with three numbers", "/locations/0/coords", Some(json!([35.9, 35.98, 0]))),
        ("null `aliases`", "/locations/0/aliases", Some(json!(null))),
        ("a null section", "/claims", Some(json!(null))),
    ];
    for (what, pointer, value) in cases {
        let changed = edit(small(), pointer, value);
        assert_invalid(&input, &changed, what);
        assert!(Dataset::from_json_str(&changed.to_string()).is_err(), "{what}: the reader takes it");
    }
    // The reference's examples of errors in the format itself (section 1.7).
    assert_invalid(&input, &json!({"sources": [{"id": "afp", "affiliaton": null}]}), "the misspelt affiliation");
}

#[test]
fn the_report_schema_refuses_what_the_writer_never_writes() {
    let report = validator(REPORT);
    let dataset = latakia();
    let analysis = Analysis::new(&dataset, &Config::default(), None);
    let document = parse(&Format::Json.render(&analysis));
    assert!(document.pointer("/contradictions/0").is_some(), "Latakia has contradictions");
    // `unexamined_pairs` appears only when not 0.
    assert_valid(&report, &edit(document.clone(), "/locations/0/unexamined_pairs", Some(json!(3))), "3 pairs");
    let cases = [
        ("a report without `accounting`", edit(document.clone(), "/accounting", None)),
        ("a report without `sources`", edit(document.clone(), "/sources", None)),
        ("an unknown top-level key", edit(document.clone(), "/version", Some(json!(1)))),
        ("a null `as_of`", edit(document.clone(), "/as_of", Some(json!(null)))),
        ("`unexamined_pairs` 0", edit(document.clone(), "/locations/0/unexamined_pairs", Some(json!(0)))),
        ("a location without `claimed_reversals`", edit(document.clone(), "/locations/0/claimed_reversals", None)),
        ("a segment without `strongest`", edit(document.clone(), "/locations/0/timeline/0/strongest", None)),
        ("an unknown state", edit(document.clone(), "/locations/0/timeline/0/state", Some(json!("won")))),
        ("an unknown basis", edit(document.clone(), "/locations/0/timeline/0/basis", Some(json!("guessed")))),
        ("a confidence above 1", edit(document.clone(), "/locations/0/timeline/0/confidence", Some(json!(1.5)))),
        ("an unknown grade", edit(document.clone(), "/sources/0/grade", Some(json!("G")))),
        ("a count below 0", edit(document.clone(), "/sources/0/claims", Some(json!(-1)))),
        ("an unknown contradiction kind", edit(document.clone(), "/contradictions/0/kind", Some(json!("clash")))),
        ("a contradiction of three claims", append(document.clone(), "/contradictions/0/claims", json!("x"))),
        ("an unplaced claim without a reason", append(document.clone(), "/accounting/unplaced", json!({"claim": "x"}))),
    ];
    for (what, changed) in cases {
        assert_invalid(&report, &changed, what);
    }
}
