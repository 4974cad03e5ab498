//! The invariants of the format reference (`docs/FORMAT.md`, section 5,
//! "Invariants"; `frontline::format_reference`), as property tests on
//! generated datasets (the simulator, small scenarios).

use frontline::input::AssertsRecord;
use frontline::input::{ClaimRecord, Document, RangeRecord, SourceRecord, WhenRecord};
use frontline::model::{format_instant, TimePoint};
use frontline::reconcile::{reconcile, Config, ControlState};
use frontline::sim::{simulate, Scenario};
use frontline::{graph, Analysis, Dataset, Format};
use proptest::prelude::*;
use std::collections::BTreeSet;

fn small(locations: usize, days: u32) -> Scenario {
    Scenario { locations, days, ..Scenario::default() }
}

fn generated(seed: u64, locations: usize, days: u32) -> Document {
    simulate(&small(locations, days), seed).document
}

/// A deterministic Fisher–Yates shuffle driven by `seed`.
fn shuffle<T>(items: &mut [T], seed: u64) {
    let mut state = seed | 1;
    for i in (1..items.len()).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        items.swap(i, (state % (i as u64 + 1)) as usize);
    }
}

fn dataset(document: Document) -> Dataset {
    match Dataset::from_document(document) {
        Ok(d) => d,
        Err(error) => panic!("the simulator wrote an invalid dataset: {error}"),
    }
}

fn config() -> ProptestConfig {
    ProptestConfig { cases: 24, ..ProptestConfig::default() }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_permutation_of_the_input_gives_byte_identical_output(seed in 0u64..10_000, order in any::<u64>(), locations in 1usize..4, days in 3u32..20) {
        let mut document = generated(seed, locations, days);
        // Coordinates for all but the last location, so that GeoJSON has
        // both features and places without coordinates.
        let located = document.locations.len().saturating_sub(1);
        for (i, location) in document.locations.iter_mut().take(located).enumerate() {
            location.coords = Some([35.0 + i as f64 * 0.1, 36.0 - i as f64 * 0.1]);
        }
        let mut shuffled = document.clone();
        shuffle(&mut shuffled.actors, order);
        shuffle(&mut shuffled.sources, order.rotate_left(7));
        shuffle(&mut shuffled.locations, order.rotate_left(13));
        shuffle(&mut shuffled.claims, order.rotate_left(29));
        let (a, b) = (dataset(document), dataset(shuffled));
        let config = Config::default();
        let (x, y) = (Analysis::new(&a, &config, None), Analysis::new(&b, &config, None));
        prop_assert_eq!(Format::Json.render(&x), Format::Json.render(&y));
        prop_assert_eq!(Format::Text.render(&x), Format::Text.render(&y));
        prop_assert_eq!(Format::Dot.render(&x), Format::Dot.render(&y));
        for format in [Format::Geojson, Format::Csv, Format::Svg, Format::Html] {
            let (a, b) = (format.render(&x), format.render(&y));
            prop_assert!(!a.is_empty(), "{} wrote nothing", format);
            prop_assert_eq!(a, b, "{}", format);
        }
        let mut at = frontline::output::Options::default();
        at.at = Some("2014-01-05".parse::<TimePoint>().expect("date"));
        prop_assert_eq!(Format::Geojson.render_with(&x, &at), Format::Geojson.render_with(&y, &at));
    }

    #[test]
    fn graph_edges_and_contradictions_do_not_depend_on_claim_order(seed in 0u64..10_000, order in any::<u64>()) {
        let document = generated(seed, 2, 12);
        let mut shuffled = document.clone();
        shuffle(&mut shuffled.claims, order);
        let (a, b) = (dataset(document), dataset(shuffled));
        let edges = |d: &Dataset| -> BTreeSet<(String, String, String, String)> {
            graph::build_all(d).iter().flat_map(|g| {
                g.graph().edge_indices().filter_map(|e| {
                    let (s, t) = g.graph().edge_endpoints(e)?;
                    let kind = g.graph()[e];
                    Some((d.location(g.location()).id().to_owned(), d.claim(g.graph()[s]).id().to_owned(), d.claim(g.graph()[t]).id().to_owned(), kind.name().to_owned()))
                }).collect::<Vec<_>>()
            }).collect()
        };
        prop_assert_eq!(edges(&a), edges(&b));
        let contradictions = |d: &Dataset| -> Vec<(String, String, String)> {
            graph::build_all(d).iter().flat_map(|g| g.contradictions().to_vec()).map(|c| {
                let [x, y] = c.claims();
                (c.kind().name().to_owned(), d.claim(x).id().to_owned(), d.claim(y).id().to_owned())
            }).collect()
        };
        let (ca, cb) = (contradictions(&a), contradictions(&b));
        prop_assert_eq!(&ca, &cb);
        for (kind, x, y) in &ca {
            prop_assert_ne!(x, y, "a claim contradicts itself ({})", kind);
        }
    }

    #[test]
    fn a_contradiction_is_symmetric_in_its_two_claims(seed in 0u64..10_000) {
        // Reversing the claims array reverses which claim the sweep meets
        // first; the same pairs must contradict, with the same kind.
        let document = generated(seed, 2, 10);
        let mut reversed = document.clone();
        reversed.claims.reverse();
        let pairs = |d: &Dataset| -> BTreeSet<(String, BTreeSet<String>)> {
            graph::build_all(d).iter().flat_map(|g| g.contradictions().to_vec()).map(|c| {
                (c.kind().name().to_owned(), c.claims().iter().map(|&x| d.claim(x).id().to_owned()).collect())
            }).collect()
        };
        prop_assert_eq!(pairs(&dataset(document)), pairs(&dataset(reversed)));
    }

    #[test]
    fn serialising_and_reading_back_gives_an_equal_dataset(seed in 0u64..10_000, locations in 1usize..4) {
        let d = dataset(generated(seed, locations, 10));
        let again = Dataset::from_json_str(&d.to_json_string());
        prop_assert_eq!(again.ok(), Some(d));
    }

    #[test]
    fn replay_after_every_report_equals_the_full_reconciliation(seed in 0u64..10_000) {
        let d = dataset(generated(seed, 2, 12));
        let config = Config::default();
        let (full, late) = (Analysis::new(&d, &config, None), Analysis::new(&d, &config, Some("2030-01-01".parse::<TimePoint>().expect("date"))));
        let (full, mut late) = (full.report(), late.report());
        prop_assert_eq!(late.as_of.take(), Some("2030-01-01".to_owned()));
        prop_assert_eq!(late, full);
    }

    #[test]
    fn every_claim_is_accounted_for_and_timelines_are_well_formed(seed in 0u64..10_000, cutoff in 0u64..15) {
        let d = dataset(generated(seed, 3, 12));
        let as_of = (cutoff > 0).then(|| format!("2014-01-{cutoff:02}").parse::<TimePoint>().expect("date"));
        let analysis = Analysis::new(&d, &Config::default(), as_of);
        let report = analysis.report();
        let mut seen: BTreeSet<String> = report.accounting.unplaced.iter().map(|u| u.claim.clone()).collect();
        for location in &report.locations {
            let mut previous_end: Option<String> = None;
            for (i, s) in location.timeline.iter().enumerate() {
                prop_assert!((0.0..=1.0).contains(&s.confidence));
                if let Some(end) = &previous_end {
                    prop_assert_eq!(end, &s.from, "segments touch, in order");
                }
                prop_assert!(s.to.as_ref().is_none_or(|to| to > &s.from));
                prop_assert!(s.to.is_some() || i + 1 == location.timeline.len(), "only the last segment is open");
                prop_assert_eq!(s.side.is_some(), s.state == "held");
                previous_end = s.to.clone();
                seen.extend(s.support.iter().map(|c| c.to_string()));
                seen.extend(s.dissent.iter().map(|c| c.to_string()));
            }
        }
        let all: BTreeSet<String> = d.claims().iter().map(|c| c.id().to_owned()).collect();
        prop_assert_eq!(seen, all);
        prop_assert_eq!(report.accounting.claims, d.claims().len());
    }

    #[test]
    fn an_agreeing_claim_from_a_new_source_never_lowers_confidence(seed in 0u64..10_000, pick in any::<prop::sample::Index>()) {
        let document = generated(seed, 2, 12);
        let d = dataset(document.clone());
        let config = Config::default();
        let before = reconcile(&d, &config);
        // Closed, held segments.
        let candidates: Vec<(String, frontline::reconcile::Segment)> = before.timelines().iter().flat_map(|t| {
            t.segments.iter().filter(|s| s.to.is_some() && matches!(s.state, ControlState::Held(_)))
                .map(|s| (d.location(t.location).id().to_owned(), s.clone())).collect::<Vec<_>>()
        }).collect();
        prop_assume!(!candidates.is_empty());
        let (location, segment) = candidates[pick.index(candidates.len())].clone();
        let ControlState::Held(side) = segment.state else { unreachable!() };
        let (from, to) = (segment.from, segment.to.expect("closed"));
        let mut more = document;
        more.sources.push(SourceRecord { id: "zz-new-witness".into(), name: None, affiliation: None, prior: None, prior_strength: None });
        more.claims.push(ClaimRecord {
            id: "zz-new-claim".into(),
            source: "zz-new-witness".into(),
            location: location.clone(),
            asserts: AssertsRecord::Holds(d.actor(side).id().to_owned()),
            when: WhenRecord::Range(RangeRecord { from: format_instant(from), to: format_instant(to - chrono::TimeDelta::nanoseconds(1)) }),
            certainty: Default::default(),
            reported: None,
            cite: None,
            quote: None,
        });
        let e = dataset(more);
        let after = reconcile(&e, &config);
        let l = e.location_id(&location).expect("location");
        let new_side = e.actor_id(d.actor(side).id()).expect("side");
        // The winning state stays.
        for s in &after.timeline(l).segments {
            if s.from < to && s.to.is_none_or(|t| t > from) {
                prop_assert_eq!(s.state, ControlState::Held(new_side));
            }
        }
        // Its confidence over the segment's stretch of time does not drop.
        // (The segment itself may merge with neighbours once the new claim
        // supports it, and a merged segment's confidence averages over a
        // longer stretch; the new claim's agreement is the posterior over
        // exactly the old segment's window, the quantity to compare.)
        let over_window = after.agreement(e.claim_id("zz-new-claim").expect("the claim")).expect("placed");
        prop_assert!(over_window >= segment.confidence - 1e-9, "{} < {}", over_window, segment.confidence);
    }
}

#[test]
fn the_output_does_not_depend_on_the_number_of_threads() {
    let d = dataset(simulate(&Scenario { locations: 12, days: 30, ..Scenario::default() }, 11).document);
    let run = |threads: usize| -> String {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("a thread pool");
        pool.install(|| Format::Json.render(&Analysis::new(&d, &Config::default(), None)))
    };
    let one = run(1);
    assert_eq!(one, run(2));
    assert_eq!(one, run(5));
}

#[test]
fn sides_claimed_elsewhere_change_nothing_here() {
    // The same claims, with and without 300 more sides that no claim
    // names: a location's states are the sides claimed there (plus
    // contested), so the whole report is the same.
    let base = generated(5, 2, 20);
    let mut crowded = base.clone();
    for i in 0..300 {
        crowded.actors.push(frontline::input::ActorRecord { id: format!("zz-side-{i:03}"), name: None, parent: None });
    }
    let d = dataset(base);
    let e = dataset(crowded);
    assert_eq!(e.sides().len(), d.sides().len() + 300);
    let config = Config::default();
    let (a, b) = (Analysis::new(&d, &config, None), Analysis::new(&e, &config, None));
    assert_eq!(Format::Json.render(&a), Format::Json.render(&b));
}

/// Every reversal of every real dataset in `data/` names the claims that
/// carry it, each about that location; every segment some claim supports
/// says which claim weighs most, and that claim is among its support.
#[test]
fn every_reversal_names_its_claims_and_every_supported_segment_its_strongest() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/data");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "json") && !p.to_string_lossy().ends_with(".expect.json"));
    files.sort();
    assert!(files.len() >= 6, "the real datasets are missing from {dir}");
    let mut reversals = 0;
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let dataset = Dataset::from_json_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let result = reconcile(&dataset, &Config::default());
        for timeline in result.timelines() {
            let name = dataset.location(timeline.location).id();
            for r in &timeline.reversals {
                reversals += 1;
                assert!(!r.claims.is_empty(), "{}: the reversal at {name} on {} names no claim", path.display(), r.at);
                for &c in &r.claims {
                    assert_eq!(dataset.claim(c).location(), timeline.location, "{}: {name}", path.display());
                }
            }
            for s in &timeline.segments {
                if let (false, Some(c)) = (s.support.is_empty(), s.strongest) {
                    assert!(
                        s.support.contains(&c),
                        "{}: {name} at {}: strongest not in support",
                        path.display(),
                        s.from
                    );
                }
                if s.basis != frontline::reconcile::Basis::Inferred {
                    assert!(!s.support.is_empty(), "{}: {name} at {}: a basis with no support", path.display(), s.from);
                }
                if !s.support.is_empty() {
                    assert!(
                        s.strongest.is_some(),
                        "{}: {name} at {}: supported but no strongest",
                        path.display(),
                        s.from
                    );
                }
            }
        }
    }
    assert!(reversals > 50, "only {reversals} reversals in all the real datasets");
}
