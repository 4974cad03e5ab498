//! Hostile input: each gets a clear error or a correct answer, within
//! bounded memory, and never a panic.

use frontline::input::{ActorRecord, AssertsRecord, ClaimRecord, Document, LocationRecord, SourceRecord, WhenRecord};
use frontline::reconcile::{Config, ControlState};
use frontline::{Analysis, Dataset, ErrorKind, Format};
use serde_json::json;

fn small_document() -> serde_json::Value {
    json!({
      "actors": [{"id": "government"}, {"id": "opposition"}],
      "sources": [{"id": "monitor", "affiliation": "opposition"}, {"id": "wire"}],
      "locations": [{"id": "hill"}],
      "claims": [
        {"id": "c1", "source": "wire", "location": "hill", "asserts": {"holds": "government"}, "when": "2014-03-22"}
      ]
    })
}

#[test]
fn very_deep_nesting_is_an_error_not_a_stack_overflow() {
    for depth in [200usize, 100_000] {
        let text = format!("{{\"actors\": {}{}}}", "[".repeat(depth), "]".repeat(depth));
        let error = Dataset::from_json_str(&text).unwrap_err();
        assert!(matches!(error.kind(), ErrorKind::Malformed { .. } | ErrorKind::Schema { .. }), "{error}");
        let error = Dataset::from_json_reader(text.as_bytes()).unwrap_err();
        assert!(matches!(error.kind(), ErrorKind::Malformed { .. } | ErrorKind::Schema { .. }), "{error}");
    }
}

#[test]
fn a_10_mb_quote_is_carried_through() {
    huge_quote_is_carried_through(10 << 20);
}

/// A 100 MB quote takes 15 s in a debug build: `.ci/run` runs it in release.
#[test]
#[ignore = "heavy: run in release by .ci/run"]
fn heavy_a_100_mb_quote_is_carried_through() {
    huge_quote_is_carried_through(100 << 20);
}

fn huge_quote_is_carried_through(size: usize) {
    let mut value = small_document();
    let quote = "x".repeat(size);
    value["claims"][0]["quote"] = json!(quote);
    let text = value.to_string();
    drop(value);
    let dataset = Dataset::from_json_str(&text).expect("valid");
    drop(text);
    let claim = dataset.claim(dataset.claim_id("c1").expect("c1"));
    assert_eq!(claim.quote().map(str::len), Some(size));
    let analysis = Analysis::new(&dataset, &Config::default(), None);
    assert_eq!(analysis.report().accounting.claims, 1);
}

#[test]
fn arabic_and_other_unicode_ids_work_everywhere() {
    let text = r#"{
      "actors": [{"id": "الحكومة", "name": "القوات الحكومية"}, {"id": "المعارضة"}],
      "sources": [{"id": "المرصد", "affiliation": "المعارضة"}, {"id": "😀-wire"}],
      "locations": [{"id": "كسب", "name": "كسب", "aliases": ["Kessab", "Քեսապ"]}],
      "claims": [
        {"id": "ك-١", "source": "😀-wire", "location": "كسب", "asserts": {"holds": "الحكومة"}, "when": "2014-03-22"},
        {"id": "ك-٢", "source": "المرصد", "location": "كسب", "asserts": {"denies": "ك-١"}, "when": "2014-03-23"}
      ]}"#;
    let dataset = Dataset::from_json_str(text).expect("valid");
    let analysis = Analysis::new(&dataset, &Config::default(), None);
    let json = Format::Json.render(&analysis);
    assert!(json.contains("\"location\":\"كسب\""), "{json}");
    assert!(Format::Text.render(&analysis).contains("القوات الحكومية"));
    assert!(Format::Dot.render(&analysis).contains("\"ك-١\""));
    let error = Dataset::from_json_str(
        &text.replace("\"asserts\": {\"denies\": \"ك-١\"}", "\"asserts\": {\"denies\": \"ك-٣\"}"),
    )
    .unwrap_err();
    assert!(error.to_string().contains("\"ك-٢\""), "{error}");
}

#[test]
fn dates_at_chrono_s_limits_are_errors_or_answers() {
    // The last day chrono can represent has no representable end: an error.
    let mut value = small_document();
    value["claims"][0]["when"] = json!("+262142-12-31");
    let error = Dataset::from_json_str(&value.to_string()).unwrap_err();
    assert!(matches!(error.kind(), ErrorKind::BadTime { .. }), "{error}");
    // Far but representable times give an answer.
    for when in [
        json!("-262143-01-01"),
        json!({"from": "0001-01-01", "to": "+262142-12-30"}),
        json!("9999-12-31T23:59:59.999999999Z"),
    ] {
        let mut value = small_document();
        value["claims"][0]["when"] = when.clone();
        let dataset = Dataset::from_json_str(&value.to_string()).unwrap_or_else(|e| panic!("{when}: {e}"));
        let analysis = Analysis::new(&dataset, &Config::default(), None);
        let report = analysis.report();
        assert_eq!(report.locations[0].timeline[0].state, "held", "{when}");
        let _ = Format::Text.render(&analysis);
    }
    // An out-of-range year and an impossible date are errors.
    for when in ["+262144-01-01", "2014-02-30", "2014-03-22T25:00:00Z"] {
        let mut value = small_document();
        value["claims"][0]["when"] = json!(when);
        assert!(Dataset::from_json_str(&value.to_string()).is_err(), "{when}");
    }
}

#[test]
fn nan_and_infinite_numbers_are_rejected() {
    // JSON has no NaN or infinity: the literals are malformed, and numbers too
    // large for f64 are errors, not infinities.
    let base = small_document().to_string();
    for literal in ["NaN", "Infinity", "-Infinity", "1e400"] {
        let prior = base.replace("{\"id\":\"wire\"}", &format!("{{\"id\":\"wire\",\"prior\":{literal}}}"));
        let coords = base.replace("{\"id\":\"hill\"}", &format!("{{\"id\":\"hill\",\"coords\":[{literal},0]}}"));
        for text in [prior, coords] {
            assert_ne!(text, base, "the literal went in");
            let error = Dataset::from_json_str(&text).unwrap_err();
            assert!(
                matches!(error.kind(), ErrorKind::Malformed { .. } | ErrorKind::Schema { .. }),
                "{literal}: {error}"
            );
        }
    }
    // Values that parse but are out of range are named.
    let text = base.replace("{\"id\":\"wire\"}", "{\"id\":\"wire\",\"prior\":1e300}");
    assert!(matches!(Dataset::from_json_str(&text).unwrap_err().kind(), ErrorKind::PriorOutOfRange { .. }));
}

#[test]
fn ten_thousand_claims_on_one_location_within_bounded_memory() {
    many_claims_on_one_location(10_000, 100);
}

/// A hundred thousand claims take half a minute in a debug build: `.ci/run`
/// runs them in release, with the million.
#[test]
#[ignore = "heavy: run in release by .ci/run"]
fn heavy_a_hundred_thousand_claims_on_one_location_within_bounded_memory() {
    many_claims_on_one_location(100_000, 100);
}

/// The million-claim case takes minutes in a debug build: `.ci/run` runs it
/// in release (`cargo test --release -- --ignored heavy`).
#[test]
#[ignore = "heavy: run in release by .ci/run"]
fn heavy_a_million_claims_on_one_location_within_bounded_memory() {
    many_claims_on_one_location(1_000_000, 100);
}

/// `n` claims spread evenly over `days` days at one location, so that every
/// claim overlaps `n / days` others.
fn many_claims_on_one_location(n: usize, days: usize) {
    let day = |d: usize| format!("2014-{:02}-{:02}", 1 + d / 28, 1 + d % 28);
    let document = Document {
        actors: vec![
            ActorRecord { id: "government".into(), name: None, parent: None },
            ActorRecord { id: "opposition".into(), name: None, parent: None },
        ],
        sources: (0..20)
            .map(|s| SourceRecord {
                id: format!("s{s:02}"),
                name: None,
                affiliation: None,
                prior: None,
                prior_strength: None,
            })
            .collect(),
        locations: vec![LocationRecord { id: "hill".into(), ..LocationRecord::default() }],
        claims: (0..n)
            .map(|i| {
                let d = i % days;
                // The government holds the first half of the days, the
                // opposition the second; one claim in ten says otherwise.
                let truth = if d < days / 2 { "government" } else { "opposition" };
                let other = if d < days / 2 { "opposition" } else { "government" };
                ClaimRecord {
                    id: format!("c{i:07}"),
                    source: format!("s{:02}", i % 20),
                    location: "hill".into(),
                    asserts: AssertsRecord::Holds(if (i / days) % 10 == 3 { other } else { truth }.into()),
                    when: WhenRecord::At(day(d)),
                    certainty: Default::default(),
                    reported: None,
                    cite: None,
                    quote: None,
                }
            })
            .collect(),
    };
    let dataset = Dataset::from_document(document).expect("valid");
    let analysis = Analysis::new(&dataset, &Config::default(), None);
    let hill = dataset.location_id("hill").expect("hill");
    let graph = analysis.graph(hill);
    // Beyond the pair budget, the graph compares a bounded number of pairs
    // and says how many it left (the heavy cases; comparing four million
    // pairs takes a quarter of a minute in a debug build).
    let overlapping = (n / days) * (n / days).saturating_sub(1) / 2 * days;
    let over_budget = overlapping > frontline::graph::PAIR_BUDGET.max(n * frontline::graph::MIN_PAIRS_PER_CLAIM);
    assert_eq!(graph.unexamined_pairs() > 0, over_budget, "{overlapping} overlapping pairs");
    assert!(
        graph.graph().edge_count() <= frontline::graph::PAIR_BUDGET.max(n * frontline::graph::MIN_PAIRS_PER_CLAIM) + n
    );
    // The answer is right: one reversal, in the middle.
    let timeline = analysis.reconciliation().timeline(hill);
    assert_eq!(timeline.reversals.len(), 1);
    let government = dataset.actor_id("government").expect("government");
    assert_eq!(timeline.segments[0].state, ControlState::Held(government));
    assert!(timeline.segments[0].confidence > 0.99);
    assert_eq!(analysis.total_claims(), n);
    assert!(analysis.unplaced().is_empty());
    // The outputs stream: nothing the size of the report is held.
    let mut notes = Notes::default();
    Format::Text.write(&analysis, &mut notes).expect("writes");
    assert_eq!(notes.found, over_budget, "the text report says whether pairs were left uncompared");
    Format::Json.write(&analysis, &mut std::io::sink()).expect("writes");
}

/// A writer that keeps nothing but whether the text report's note on
/// unexamined pairs went through it.
#[derive(Default)]
struct Notes {
    line: Vec<u8>,
    found: bool,
}

impl std::io::Write for Notes {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        for &byte in buf {
            if byte == b'\n' {
                self.found |= self.line.starts_with(b"Note:") && self.line.ends_with(b"are not listed.");
                self.line.clear();
            } else if self.line.len() < 200 {
                self.line.push(byte);
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
