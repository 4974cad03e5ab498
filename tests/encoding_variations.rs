//! Observatory 45 is the most volatile location of the Latakia offensive not
//! only as the dataset encodes the article, but also under other readings of
//! the same text (issue 10, item 2): the article's own voice encoded as a
//! wire source, its captures encoded as holds on the next day, and both.
//!
//! The variants transform the parsed [`Document`]; the data file is never
//! edited. "The most volatile" is read strictly, as in
//! `latakia::the_reconciled_timeline_of_observatory_45_reverses_most_often`:
//! Observatory 45 has more reversals than every other location (a tie would
//! make it one of the most volatile, not the most).

use super::LATAKIA;
use frontline::input::{AssertsRecord, Document, WhenRecord};
use frontline::model::TimePoint;
use frontline::reconcile::{reconcile, Config};
use frontline::Dataset;

/// The source that speaks with the article's own voice in the dataset.
const ARTICLE: &str = "article";
/// The wire source that voice becomes in the variants that re-encode it.
const WIRE: (&str, &str) = ("reuters", "Reuters");
/// At least this many reversals at Observatory 45 (the figure).
const MIN_REVERSALS: usize = 4;

/// The Latakia dataset as parsed, before validation.
fn document() -> Document {
    let document: Document = serde_json::from_str(LATAKIA).expect("data/latakia-2014.json parses");
    let article = document.sources.iter().find(|s| s.id == ARTICLE).expect("the article's voice is a source");
    assert!(article.affiliation.is_none(), "the article's voice is unaffiliated");
    assert!(
        article.name.as_deref().is_some_and(|n| n.contains("article's own voice")),
        "{ARTICLE:?} is the article's own voice: {:?}",
        article.name
    );
    document
}

/// The article's own voice re-encoded as a wire source: another id and name,
/// still unaffiliated, with the same claims. Its id sorts elsewhere among the
/// sources, so its internal id changes too. Returns how many claims moved.
fn voice_as_wire(document: &mut Document) -> usize {
    for source in document.sources.iter_mut().filter(|s| s.id == ARTICLE) {
        source.id = WIRE.0.to_owned();
        source.name = Some(WIRE.1.to_owned());
        source.affiliation = None;
    }
    let mut moved = 0;
    for claim in document.claims.iter_mut().filter(|c| c.source == ARTICLE) {
        claim.source = WIRE.0.to_owned();
        moved += 1;
    }
    moved
}

/// The day after the last day a claim's `when` covers.
fn next_day(when: &WhenRecord) -> String {
    let last = match when {
        WhenRecord::At(at) => at,
        WhenRecord::Range(range) => &range.to,
    };
    let last: TimePoint = last.parse().expect("a time the dataset validated");
    let day = (last.end() - chrono::TimeDelta::nanoseconds(1)).date_naive();
    day.succ_opt().expect("a day after").format("%Y-%m-%d").to_string()
}

/// Every `captured` of `source` re-encoded as a `holds` of the same actor on
/// the day after the capture's window: what the capture says about the state
/// afterwards, without the event. Its `reported` time is kept when it ends
/// after that day; otherwise it is dropped and defaults to the end of that
/// day (a source cannot report a day that has not ended). Returns how many
/// claims changed.
fn captures_as_next_day_holds(document: &mut Document, source: &str) -> usize {
    let mut changed = 0;
    for claim in document.claims.iter_mut().filter(|c| c.source == source) {
        let AssertsRecord::Captured(actor) = &claim.asserts else { continue };
        let day = next_day(&claim.when);
        let day_end = day.parse::<TimePoint>().expect("a date").end();
        let reported_later = claim
            .reported
            .as_deref()
            .is_some_and(|r| r.parse::<TimePoint>().expect("a time the dataset validated").end() > day_end);
        if !reported_later {
            claim.reported = None;
        }
        claim.asserts = AssertsRecord::Holds(actor.clone());
        claim.when = WhenRecord::At(day);
        changed += 1;
    }
    changed
}

/// The variant's dataset, validated.
fn variant(name: &str, transform: impl FnOnce(&mut Document)) -> Dataset {
    let mut document = document();
    transform(&mut document);
    Dataset::from_document(document).unwrap_or_else(|e| panic!("{name}: the variant does not validate: {e}"))
}

/// Checks, under the encoding `name`, that Observatory 45 has at least
/// [`MIN_REVERSALS`] reversals, strictly more than every other location, and
/// that each of its reversals names a claim; every failure is listed at once,
/// each naming the variant.
fn observatory_45_is_the_most_volatile(name: &str, dataset: &Dataset) {
    let result = reconcile(dataset, &Config::default());
    let o45 = dataset.location_id("observatory-45").expect("observatory-45");
    let mut counts: Vec<(usize, &str)> =
        result.timelines().iter().map(|t| (t.reversals.len(), dataset.location(t.location).id())).collect();
    counts.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    let top: Vec<String> = counts.iter().take(3).map(|(n, id)| format!("{id} {n}")).collect();
    let top = top.join(", ");
    let timeline = result.timeline(o45);
    let reversals = timeline.reversals.len();

    let mut failures = Vec::new();
    if reversals < MIN_REVERSALS {
        failures.push(format!(
            "{name}: Observatory 45 has {reversals} reversals, fewer than {MIN_REVERSALS} (most: {top})"
        ));
    }
    for other in result.timelines().iter().filter(|t| t.location != o45) {
        if other.reversals.len() >= reversals {
            failures.push(format!(
                "{name}: {} has {} reversals, Observatory 45 {reversals}: not the most volatile (most: {top})",
                dataset.location(other.location).id(),
                other.reversals.len(),
            ));
        }
    }
    for r in timeline.reversals.iter().filter(|r| r.claims.is_empty()) {
        failures.push(format!(
            "{name}: the reversal at Observatory 45 at {} from {} to {} names no claim",
            r.at,
            dataset.actor(r.from).id(),
            dataset.actor(r.to).id(),
        ));
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn observatory_45_is_the_most_volatile_as_encoded() {
    let name = "as encoded";
    observatory_45_is_the_most_volatile(name, &variant(name, |_| {}));
}

#[test]
fn observatory_45_is_the_most_volatile_with_the_article_s_voice_as_a_wire_source() {
    let name = "the article's voice as a wire source";
    let dataset = variant(name, |d| {
        let moved = voice_as_wire(d);
        assert!(moved >= 20, "{name}: {moved} claims moved");
    });
    assert!(dataset.source_id(ARTICLE).is_none() && dataset.source_id(WIRE.0).is_some(), "{name}");
    observatory_45_is_the_most_volatile(name, &dataset);
}

/// Only the article's own captures are re-encoded: reading "X captured Y" in
/// the article's voice as an event or as a state is the encoder's choice,
/// whereas a named source's capture is what that source claimed (SOHR, state
/// TV: a capture claimed is the claim, and a denial names it as such).
#[test]
#[ignore = "target unmet (issue 10): a capture read as a next-day hold leaves Observatory 45 with 2 reversals; run with --ignored to measure"]
fn target_unmet_observatory_45_is_the_most_volatile_with_the_article_s_captures_as_next_day_holds() {
    let name = "the article's captures as holds the next day";
    let dataset = variant(name, |d| {
        let changed = captures_as_next_day_holds(d, ARTICLE);
        assert!(changed >= 5, "{name}: {changed} captures re-encoded");
    });
    let o45_0323 = dataset.claim(dataset.claim_id("o45-0323-article").expect("o45-0323-article"));
    assert_eq!(o45_0323.window().start(), "2014-03-24".parse::<TimePoint>().expect("a date").start(), "{name}");
    observatory_45_is_the_most_volatile(name, &dataset);
}

#[test]
#[ignore = "target unmet (issue 10): a capture read as a next-day hold leaves Observatory 45 with 2 reversals; run with --ignored to measure"]
fn target_unmet_observatory_45_is_the_most_volatile_with_both_re_encodings() {
    let name = "the article's voice as a wire source, its captures as holds the next day";
    let dataset = variant(name, |d| {
        let changed = captures_as_next_day_holds(d, ARTICLE);
        let moved = voice_as_wire(d);
        assert!(changed >= 5 && moved >= 20, "{name}: {changed} captures re-encoded, {moved} claims moved");
    });
    observatory_45_is_the_most_volatile(name, &dataset);
}
