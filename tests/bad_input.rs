//! One test per kind of bad input: the error variant, and a message that
//! names the record and the problem.

use frontline::{Dataset, Error, ErrorKind, Section};
use serde_json::{json, Value};

fn base() -> Value {
    json!({
      "actors": [
        {"id": "government", "name": "Syrian government forces"},
        {"id": "army", "parent": "government"},
        {"id": "opposition"}
      ],
      "sources": [
        {"id": "sohr", "affiliation": "opposition"},
        {"id": "afp", "affiliation": null, "prior": 0.8}
      ],
      "locations": [
        {"id": "kasab", "coords": [35.92, 35.98]},
        {"id": "kasab-square", "part_of": "kasab"}
      ],
      "claims": [
        {"id": "c1", "source": "sohr", "location": "kasab", "asserts": {"captured": "opposition"}, "when": "2014-03-22"},
        {"id": "c2", "source": "afp", "location": "kasab", "asserts": "contested",
         "when": {"from": "2014-03-23", "to": "2014-03-24"}},
        {"id": "c3", "source": "afp", "location": "kasab", "asserts": {"denies": "c1"}, "when": "2014-03-25"}
      ]
    })
}

fn read(value: &Value) -> Result<Dataset, Error> {
    Dataset::from_json_str(&value.to_string())
}

/// Applies `change` to the base document, reads it, and returns the error.
fn error_after(change: impl FnOnce(&mut Value)) -> Error {
    let mut value = base();
    change(&mut value);
    match read(&value) {
        Ok(_) => panic!("expected an error for {value}"),
        Err(error) => error,
    }
}

/// Asserts the message names the record and mentions each of `words`.
fn names(error: &Error, record: &str, words: &[&str]) {
    let message = error.to_string();
    assert!(message.contains(record), "{message:?} does not name {record}");
    for word in words {
        assert!(message.contains(word), "{message:?} does not say {word}");
    }
}

#[test]
fn the_base_document_is_valid() {
    let d = read(&base()).expect("valid");
    assert_eq!(d.claims().len(), 3);
}

#[test]
fn malformed_json_reports_line_and_column() {
    let error = Dataset::from_json_str("{\n  \"actors\": [\n    {\"id\": \"army\",}\n  ]\n}").unwrap_err();
    match error.kind() {
        ErrorKind::Malformed { line, column, .. } => assert_eq!((*line, *column), (3, 19)),
        other => panic!("{other:?}"),
    }
    assert!(error.to_string().contains("line 3"), "{error}");
}

#[test]
fn truncated_json_is_malformed() {
    let text = base().to_string();
    let error = Dataset::from_json_str(&text[..text.len() / 2]).unwrap_err();
    assert!(matches!(error.kind(), ErrorKind::Malformed { .. }), "{error}");
}

#[test]
fn a_wrong_type_names_the_record_and_the_path() {
    let error = error_after(|v| v["claims"][1]["source"] = json!(42));
    match error.kind() {
        ErrorKind::Schema { record: Some(record), path, .. } => {
            assert_eq!(record.section, Section::Claims);
            assert_eq!(record.index, 1);
            assert_eq!(record.id.as_deref(), Some("c2"));
            assert_eq!(path, "claims[1].source");
        }
        other => panic!("{other:?}"),
    }
    names(&error, "claim \"c2\"", &["claims[1].source"]);
}

#[test]
fn an_unknown_field_is_an_error() {
    let error = error_after(|v| v["sources"][0]["afiliation"] = json!("opposition"));
    assert!(matches!(error.kind(), ErrorKind::Schema { .. }), "{error}");
    names(&error, "source \"sohr\"", &["sources[0]"]);
    let cause = std::error::Error::source(&error).map(|e| e.to_string()).unwrap_or_default();
    assert!(cause.contains("afiliation"), "the cause names the field: {cause}");
}

#[test]
fn a_missing_id_names_the_record_by_index() {
    let error = error_after(|v| {
        v["locations"][1].as_object_mut().expect("object").remove("id");
    });
    assert!(matches!(error.kind(), ErrorKind::MissingId { .. }), "{error}");
    names(&error, "locations[1]", &["no id"]);
}

#[test]
fn a_duplicate_id_is_an_error_in_every_section() {
    for (section, index, id) in
        [("actors", 2, "army"), ("sources", 1, "sohr"), ("locations", 1, "kasab"), ("claims", 2, "c1")]
    {
        let error = error_after(|v| {
            v[section][index]["id"] = json!(id);
            if section == "locations" {
                v[section][index].as_object_mut().expect("object").remove("part_of");
            }
            if section == "claims" {
                v[section][index]["asserts"] = json!("contested");
            }
        });
        match error.kind() {
            ErrorKind::DuplicateId { record, .. } => assert_eq!(record.section.key(), section),
            other => panic!("{section}: {other:?}"),
        }
        names(&error, &format!("{id:?}"), &["repeats the id"]);
    }
}

#[test]
fn every_kind_of_dangling_reference_is_named() {
    type Change = Box<dyn Fn(&mut Value)>;
    let cases: Vec<(&str, Change, &str, &str)> = vec![
        ("actor parent", Box::new(|v| v["actors"][1]["parent"] = json!("govt")), "actor \"army\"", "`parent`"),
        (
            "source affiliation",
            Box::new(|v| v["sources"][0]["affiliation"] = json!("rebels")),
            "source \"sohr\"",
            "`affiliation`",
        ),
        (
            "location part_of",
            Box::new(|v| v["locations"][1]["part_of"] = json!("kesab")),
            "location \"kasab-square\"",
            "`part_of`",
        ),
        ("claim source", Box::new(|v| v["claims"][0]["source"] = json!("reuters")), "claim \"c1\"", "`source`"),
        ("claim location", Box::new(|v| v["claims"][0]["location"] = json!("latakia")), "claim \"c1\"", "`location`"),
        (
            "claim actor",
            Box::new(|v| v["claims"][0]["asserts"] = json!({"holds": "isis"})),
            "claim \"c1\"",
            "`asserts.holds`",
        ),
        (
            "denied claim",
            Box::new(|v| v["claims"][2]["asserts"] = json!({"denies": "c9"})),
            "claim \"c3\"",
            "`asserts.denies`",
        ),
    ];
    for (what, change, record, field) in cases {
        let error = error_after(change);
        assert!(matches!(error.kind(), ErrorKind::DanglingReference { .. }), "{what}: {error}");
        names(&error, record, &[field, "does not exist"]);
    }
}

#[test]
fn a_parent_cycle_is_an_error() {
    let error = error_after(|v| v["actors"][0]["parent"] = json!("army"));
    assert!(matches!(error.kind(), ErrorKind::Cycle { field: "parent", .. }), "{error}");
    names(&error, "actor", &["cycle"]);
}

#[test]
fn a_part_of_cycle_is_an_error() {
    let error = error_after(|v| v["locations"][0]["part_of"] = json!("kasab-square"));
    assert!(matches!(error.kind(), ErrorKind::Cycle { field: "part_of", .. }), "{error}");
    names(&error, "location", &["cycle"]);
}

#[test]
fn an_inverted_window_is_an_error() {
    let error = error_after(|v| v["claims"][1]["when"] = json!({"from": "2014-03-24", "to": "2014-03-23"}));
    assert!(matches!(error.kind(), ErrorKind::InvertedWindow { .. }), "{error}");
    names(&error, "claim \"c2\"", &["before"]);
}

#[test]
fn a_prior_out_of_range_is_an_error() {
    for prior in [1.5, -0.1] {
        let error = error_after(|v| v["sources"][1]["prior"] = json!(prior));
        assert!(matches!(error.kind(), ErrorKind::PriorOutOfRange { .. }), "{error}");
        names(&error, "source \"afp\"", &["prior"]);
    }
}

#[test]
fn a_negative_prior_strength_is_an_error() {
    let error = error_after(|v| v["sources"][1]["prior_strength"] = json!(-1.0));
    match error.kind() {
        ErrorKind::PriorStrengthOutOfRange { record, value } => {
            assert_eq!((record.section, record.index, record.id.as_deref()), (Section::Sources, 1, Some("afp")));
            assert_eq!(*value, -1.0);
        }
        other => panic!("{other:?}"),
    }
    names(&error, "source \"afp\"", &["`prior_strength`", "-1"]);
}

#[test]
fn a_prior_strength_that_is_not_finite_is_an_error() {
    // JSON has no NaN or infinity (serde_json refuses `1e400`), so these come
    // from a document built in Rust.
    for strength in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let mut document: frontline::input::Document = serde_json::from_value(base()).expect("the base document");
        document.sources[1].prior_strength = Some(strength);
        let error = Dataset::from_document(document).unwrap_err();
        assert!(matches!(error.kind(), ErrorKind::PriorStrengthOutOfRange { .. }), "{error}");
        names(&error, "source \"afp\"", &["`prior_strength`"]);
        assert_eq!(error.record().map(|r| r.index), Some(1));
    }
}

#[test]
fn a_prior_strength_without_a_prior_is_an_error() {
    let error = error_after(|v| v["sources"][0]["prior_strength"] = json!(5));
    match error.kind() {
        ErrorKind::PriorStrengthWithoutPrior { record } => {
            assert_eq!((record.section, record.index, record.id.as_deref()), (Section::Sources, 0, Some("sohr")));
        }
        other => panic!("{other:?}"),
    }
    names(&error, "source \"sohr\"", &["`prior_strength`", "without `prior`"]);
}

#[test]
fn a_prior_strength_of_zero_or_more_with_a_prior_is_valid() {
    for strength in [0.0, 0.5, 10.0, 1e6] {
        let mut value = base();
        value["sources"][1]["prior_strength"] = json!(strength);
        let dataset = read(&value).unwrap_or_else(|e| panic!("prior_strength {strength}: {e}"));
        let afp = dataset.source_id("afp").expect("afp");
        assert_eq!(dataset.source(afp).prior_strength(), Some(strength));
    }
    let dataset = read(&base()).expect("valid");
    let afp = dataset.source_id("afp").expect("afp");
    assert_eq!(dataset.source(afp).prior_strength(), None, "no strength given");
}

#[test]
fn a_bad_date_is_an_error() {
    for (field, value) in
        [("when", json!("22 March 2014")), ("when", json!("2014-02-30")), ("reported", json!("yesterday"))]
    {
        let error = error_after(|v| v["claims"][0][field] = value.clone());
        assert!(matches!(error.kind(), ErrorKind::BadTime { .. }), "{error}");
        names(&error, "claim \"c1\"", &[field]);
    }
}

#[test]
fn a_month_and_a_year_are_windows_and_bad_ones_are_errors() {
    let mut value = base();
    value["claims"][0]["when"] = json!("2014-03");
    value["claims"][1]["when"] = json!({"from": "2014", "to": "2015-02"});
    let dataset = read(&value).expect("valid");
    let window = |id: &str| dataset.claim(dataset.claim_id(id).expect("a claim")).window();
    let day = |d: &str| format!("{d}T00:00:00Z").parse::<chrono::DateTime<chrono::Utc>>().expect("a time");
    assert_eq!((window("c1").start(), window("c1").end()), (day("2014-03-01"), day("2014-04-01")));
    assert_eq!((window("c2").start(), window("c2").end()), (day("2014-01-01"), day("2015-03-01")));
    for bad in ["2014-13", "2014-00", "2014-3", "201"] {
        let error = error_after(|v| v["claims"][0]["when"] = json!(bad));
        assert!(matches!(error.kind(), ErrorKind::BadTime { .. }), "{error}");
        names(&error, "claim \"c1\"", &["`when`", bad, "a month (YYYY-MM), a year (YYYY)"]);
    }
    // A month is not a `reported` time.
    let error = error_after(|v| v["claims"][0]["reported"] = json!("2014-03"));
    names(&error, "claim \"c1\"", &["`reported`", "expected a date (YYYY-MM-DD) or an RFC 3339 datetime"]);
}

#[test]
fn coordinates_out_of_range_are_an_error() {
    for coords in [json!([135.9, 35.9]), json!([-90.5, 35.9]), json!([35.9, 180.5]), json!([35.9, -181])] {
        let error = error_after(|v| v["locations"][0]["coords"] = coords.clone());
        assert!(matches!(error.kind(), ErrorKind::CoordsOutOfRange { .. }), "{error}");
        names(&error, "location \"kasab\"", &["coords", "is not a [latitude, longitude] pair"]);
    }
    // The poles and the antimeridian are places.
    let mut value = base();
    value["locations"][0]["coords"] = json!([-90, 180]);
    assert!(read(&value).is_ok());
}

#[test]
fn an_impossible_denial_is_an_error() {
    let error = error_after(|v| v["claims"][2]["asserts"] = json!({"denies": "c3"}));
    assert!(matches!(error.kind(), ErrorKind::InvalidDenial { .. }), "{error}");
    names(&error, "claim \"c3\"", &["itself"]);
}

#[test]
fn a_file_error_names_the_record_by_id_too() {
    let mut value = base();
    value["claims"][2]["certainty"] = json!("certain");
    let path = std::env::temp_dir().join(format!("frontline-bad-{}.json", std::process::id()));
    std::fs::write(&path, value.to_string()).expect("write");
    let error = Dataset::from_json_file(&path).unwrap_err();
    let _ = std::fs::remove_file(&path);
    names(&error, "claim \"c3\"", &["claims[2].certainty"]);
}
