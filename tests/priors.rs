//! A source's own `prior` and `prior_strength`: how much EM may move it.

use frontline::reconcile::{reconcile, ControlState, Reconciliation};
use frontline::{Config, Dataset};
use serde_json::{json, Value};

/// Ten locations; at each, `wire` and `ngo` (independent, no prior) say the
/// army holds it. `herald` (independent, `prior` 0.95, and `extra` merged
/// into its record) agrees at the first two and says the rebels hold the
/// other eight. Every claim is a plain `reported` hold (weight 1, one
/// observation), all on one day.
fn outvoted(extra: Value) -> Dataset {
    let mut herald = json!({"id": "herald", "prior": 0.95});
    if let (Some(record), Value::Object(extra)) = (herald.as_object_mut(), extra) {
        record.extend(extra);
    }
    let mut locations = Vec::new();
    let mut claims = Vec::new();
    for i in 0..10 {
        let place = format!("p{i}");
        let says = if i < 2 { "army" } else { "rebels" };
        for (source, side) in [("wire", "army"), ("ngo", "army"), ("herald", says)] {
            claims.push(json!({"id": format!("{place}-{source}"), "source": source, "location": place,
                               "asserts": {"holds": side}, "when": "2014-03-01"}));
        }
        locations.push(json!({"id": place}));
    }
    let document = json!({
        "actors": [{"id": "army"}, {"id": "rebels"}],
        "sources": [{"id": "wire"}, {"id": "ngo"}, herald],
        "locations": locations,
        "claims": claims,
    });
    match Dataset::from_json_str(&document.to_string()) {
        Ok(dataset) => dataset,
        Err(error) => panic!("the test dataset does not validate: {error}"),
    }
}

/// `(accuracy, reliability)` learned for a source.
fn learned(result: &Reconciliation, dataset: &Dataset, source: &str) -> (f64, f64) {
    let id = dataset.source_id(source).expect("a source of the dataset");
    let estimate = result.sources().iter().find(|e| e.source == id).expect("an estimate per source");
    (estimate.accuracy, estimate.reliability)
}

/// The weighted agreement with the final posteriors of `source`'s claims
/// (each has weight 1 here): the Σ of its final reliability.
fn final_agreement(result: &Reconciliation, dataset: &Dataset, source: &str) -> f64 {
    let id = dataset.source_id(source).expect("a source of the dataset");
    dataset
        .claims()
        .iter()
        .filter(|c| c.source() == id)
        .map(|c| dataset.claim_id(c.id()).and_then(|c| result.agreement(c)).expect("every hold is evidence"))
        .sum()
}

/// The army holds every location of [`outvoted`]: `wire` and `ngo` win.
fn army_holds_everything(result: &Reconciliation, dataset: &Dataset) {
    let army = ControlState::Held(dataset.actor_id("army").expect("army"));
    for (location, timeline) in dataset.locations().iter().zip(result.timelines()) {
        assert!(timeline.segments.iter().all(|s| s.state == army), "{}: {:?}", location.id(), timeline.segments);
    }
}

#[test]
fn a_strong_prior_keeps_an_outvoted_source_near_it() {
    // herald's accuracy is (m·0.95 + S)/(m + Σw) (its own prior replaces its
    // group's mean), Σw = 10 claims of weight 1 and 0 ≤ S ≤ 10 whatever the
    // posteriors. With m = 1000: between 950/1010 = 0.94059 and
    // 960/1010 = 0.95050, so within 0.01 of 0.95 however badly it fares.
    // (Measured: 0.9427, the two agreements and eight near-misses.) Its
    // reliability is the same formula on the final posteriors, with S the
    // sum of its claims' agreements, which the result reports.
    let config = Config::default();
    let dataset = outvoted(json!({"prior_strength": 1000}));
    let herald = dataset.source_id("herald").expect("herald");
    assert_eq!(dataset.source(herald).prior_strength(), Some(1000.0));
    let result = reconcile(&dataset, &config);
    assert!(result.converged());
    let (accuracy, reliability) = learned(&result, &dataset, "herald");
    assert!((950.0 / 1010.0..=960.0 / 1010.0).contains(&accuracy), "accuracy {accuracy}");
    assert!((accuracy - 0.95).abs() < 0.01, "accuracy {accuracy}");
    let s = final_agreement(&result, &dataset, "herald");
    let derived = (1000.0 * 0.95 + s) / (1000.0 + 10.0);
    assert!((reliability - derived).abs() < 1e-12, "reliability {reliability}, derived {derived}");
    assert!((reliability - 0.95).abs() < 0.01, "reliability {reliability}");
    // The prior does not overturn two sources: they still carry every place.
    army_holds_everything(&result, &dataset);
}

#[test]
fn without_a_strength_an_outvoted_source_moves_away_from_its_prior() {
    // The same source with the config's strength (10; given or not) and
    // with 0. Wire and ngo carry every location (asserted), so in the M-step
    // each of herald's eight rebel claims counts its tempered agreement
    // 0.5·hard + 0.5·soft with hard = 0 and soft = P(rebels), and its two
    // army claims at most 1 each: S ≤ 2 + 8·0.5·max P(rebels). The final
    // posteriors (EM converged, so those of its last E-step up to its
    // tolerance) give P(rebels) < 0.125 at each, so S < 2.5 and
    //   m = 10: accuracy (9.5 + S)/20 < 0.6,
    //   m = 0:  accuracy S/10 < 0.25,
    // both below the floor of Config::accuracy_bounds: exactly 0.6, 0.35
    // away from the prior. (Measured: P(rebels) 0.003.) The reliability is
    // not clamped to the bounds: (m·0.95 + S')/(m + 10) with S' the final
    // agreements (soft), S' < 2 + 8·0.125 = 3; measured about 0.58 and 0.20.
    let config = Config::default();
    let (floor, _) = config.accuracy_bounds;
    for (extra, m) in [(json!({}), 10.0), (json!({"prior_strength": 0}), 0.0)] {
        let dataset = outvoted(extra.clone());
        let result = reconcile(&dataset, &config);
        assert!(result.converged());
        army_holds_everything(&result, &dataset);
        for claim in dataset.claims().iter().filter(|c| c.id().ends_with("-herald")).skip(2) {
            let agreement = dataset.claim_id(claim.id()).and_then(|c| result.agreement(c)).expect("evidence");
            assert!(agreement < 0.125, "{extra}: {} has agreement {agreement}", claim.id());
        }
        let (accuracy, reliability) = learned(&result, &dataset, "herald");
        assert_eq!(accuracy, floor, "{extra}: the accuracy falls to the floor");
        assert!(0.95 - accuracy > 0.3, "{extra}: accuracy {accuracy}");
        let s = final_agreement(&result, &dataset, "herald");
        let derived = (m * 0.95 + s) / (m + 10.0);
        assert!((reliability - derived).abs() < 1e-12, "{extra}: reliability {reliability}, derived {derived}");
        let bound = (m * 0.95 + 3.0) / (m + 10.0);
        assert!(reliability < bound, "{extra}: reliability {reliability} not below {bound}");
    }
}

#[test]
fn a_strength_equal_to_the_configs_changes_nothing() {
    // Given or defaulted, the strength is the same number in the same
    // formulas: the results are equal to the last bit.
    let default = Config::default();
    let plain = reconcile(&outvoted(json!({})), &default);
    let strength = default.prior_strength;
    assert_eq!(reconcile(&outvoted(json!({"prior_strength": strength})), &default), plain);
    // A non-default config strength, given on the source too.
    let config = Config { prior_strength: 25.0, ..Config::default() };
    assert_eq!(
        reconcile(&outvoted(json!({"prior_strength": 25.0})), &config),
        reconcile(&outvoted(json!({})), &config)
    );
    // The real Latakia data with own priors on an independent and an
    // affiliated source (one inside the accuracy bounds, one clamped).
    let mut document = crate::latakia().to_document();
    for source in &mut document.sources {
        match source.id.as_str() {
            "article" => source.prior = Some(0.9),
            "sohr" => source.prior = Some(0.3),
            _ => {}
        }
    }
    let without = Dataset::from_document(document.clone()).expect("valid");
    for source in &mut document.sources {
        if source.prior.is_some() {
            source.prior_strength = Some(strength);
        }
    }
    let with = Dataset::from_document(document).expect("valid");
    assert_ne!(with, without);
    assert_eq!(reconcile(&with, &default), reconcile(&without, &default));
}

#[test]
fn a_prior_below_the_accuracy_floor_is_clamped_however_strong() {
    // A prior of 0.3 would make herald's claims count for the states it does
    // not name; it is clamped to the floor 0.6 first, so with m = 1000 the
    // accuracy lies between the floor and (600 + 10)/1010 = 0.6040, and the
    // reliability is (1000·0.6 + S)/1010 with S its final agreements.
    let dataset = outvoted(json!({"prior": 0.3, "prior_strength": 1000}));
    let result = reconcile(&dataset, &Config::default());
    let (accuracy, reliability) = learned(&result, &dataset, "herald");
    assert!((0.6..=610.0 / 1010.0).contains(&accuracy), "accuracy {accuracy}");
    let derived = (1000.0 * 0.6 + final_agreement(&result, &dataset, "herald")) / 1010.0;
    assert!((reliability - derived).abs() < 1e-12, "reliability {reliability}, derived {derived}");
    assert_eq!(dataset.source(dataset.source_id("herald").expect("herald")).prior(), Some(0.3), "kept as given");
}

#[test]
fn a_zero_strength_without_claims_keeps_the_prior() {
    // Neither prior weight nor evidence: (0·0.7 + 0)/(0 + 0) would be 0/0;
    // the prior stands for both the accuracy and the reliability.
    let mut document = outvoted(json!({})).to_document();
    document.sources.push(frontline::input::SourceRecord {
        id: "silent".into(),
        prior: Some(0.7),
        prior_strength: Some(0.0),
        ..Default::default()
    });
    let dataset = Dataset::from_document(document).expect("valid");
    let result = reconcile(&dataset, &Config::default());
    assert_eq!(learned(&result, &dataset, "silent"), (0.7, 0.7));
}

#[test]
fn an_own_strength_enters_the_m_step_exactly() {
    // The hard-EM fixture of the crate's math tests (src/reconcile/math_tests.rs,
    // the fixed point solved by hand), with blog's prior 0.7 given a
    // strength of 40 instead of the config's 10. Hard EM counts a claim 1
    // when the most likely state agrees with it: blog's h4 (weight 1)
    // disagrees, t2 (unverified, 0.4) agrees, so its accuracy is
    //   (40·0.7 + 0.4)/(40 + 1.4) = 28.4/41.4 = 0.685990...
    // (0.649122... with 10). Its prior replaces its group's mean, so the
    // others are as derived there: wire (10·14.6/17.6 + 3)/13, the group
    // mean counting blog's tallies whatever its prior. Blog still loses h4
    // to three sources and a denial (its accuracy stays below the 0.7 it
    // starts from), so the states, tallies and fixed point are the same.
    // The dataset of the hand-solved EM test in src/reconcile/math_tests.rs,
    // with blog's prior given a strength of 40.
    let mut document: frontline::input::Document =
        serde_json::from_str(include_str!("data/em_by_hand.json")).expect("parses");
    for source in document.sources.iter_mut().filter(|s| s.id == "blog") {
        source.prior_strength = Some(40.0);
    }
    let dataset = Dataset::from_document(document).expect("valid");
    let config = Config { em_hardness: 1.0, learn_change_rate: false, ..Config::default() };
    let result = reconcile(&dataset, &config);
    for (source, derived) in [("blog", 28.4 / 41.4), ("wire", (10.0 * 14.6 / 17.6 + 3.0) / 13.0)] {
        let (accuracy, _) = learned(&result, &dataset, source);
        assert!((accuracy - derived).abs() < 1e-9, "{source}: accuracy {accuracy}, derived by hand {derived}");
    }
    assert!(result.converged());
    assert_eq!(result.iterations(), 2, "the fixed point is reached at the first M-step");
}

#[test]
fn a_prior_strength_round_trips_through_the_document() {
    let dataset = outvoted(json!({"prior_strength": 1000}));
    let document = dataset.to_document();
    let strengths: Vec<(&str, Option<f64>, Option<f64>)> =
        document.sources.iter().map(|s| (s.id.as_str(), s.prior, s.prior_strength)).collect();
    assert_eq!(strengths, [("herald", Some(0.95), Some(1000.0)), ("ngo", None, None), ("wire", None, None)]);
    assert_eq!(Dataset::from_document(document).expect("valid"), dataset);
    let text = dataset.to_json_string();
    assert_eq!(text.matches("\"prior_strength\"").count(), 1, "only where given:\n{text}");
    let again = Dataset::from_json_str(&text).expect("valid");
    assert_eq!(again, dataset);
    let herald = again.source_id("herald").expect("herald");
    assert_eq!(again.source(herald).prior_strength(), Some(1000.0));
    // A strength of 0 is a strength, not an absence.
    let zero = outvoted(json!({"prior_strength": 0}));
    let again = Dataset::from_json_str(&zero.to_json_string()).expect("valid");
    assert_eq!(again.source(herald).prior_strength(), Some(0.0));
    assert_eq!(again, zero);
}
