//! Every rule of the contradiction table in the module docs of
//! `frontline::graph`, one row each: two claims about one location, and
//! the contradiction (of which kind), corroboration, or nothing expected
//! between them. Each row runs with the claims in both orders (ids and
//! input order swapped): the rules are symmetric.

use frontline::graph::{ContradictionKind, ControlGraph, EdgeKind};
use frontline::Dataset;

/// One claim: its source, its `asserts` and its `when`, as JSON. In a
/// denial, `FIRST` stands for the id of the row's first claim.
#[derive(Clone, Copy)]
struct Spec {
    source: &'static str,
    asserts: &'static str,
    when: &'static str,
}

const fn claim(source: &'static str, asserts: &'static str, when: &'static str) -> Spec {
    Spec { source, asserts, when }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Expect {
    Contradiction(ContradictionKind),
    Corroboration,
    Nothing,
}

use ContradictionKind::{ConflictingControl, Denial, HeldVsContested, SelfContradiction};
use Expect::{Contradiction, Corroboration, Nothing};

const ARMY: &str = r#"{"holds": "army"}"#;
const BRIGADE: &str = r#"{"holds": "brigade"}"#;
const REBELS: &str = r#"{"holds": "rebels"}"#;
const CONTESTED: &str = r#""contested""#;
const ARMY_TAKES: &str = r#"{"captured": "army"}"#;
const BRIGADE_TAKES: &str = r#"{"captured": "brigade"}"#;
const REBELS_TAKE: &str = r#"{"captured": "rebels"}"#;
const ARMY_LEAVES: &str = r#"{"withdrew": "army"}"#;
const BRIGADE_LEAVES: &str = r#"{"withdrew": "brigade"}"#;
const REBELS_LEAVE: &str = r#"{"withdrew": "rebels"}"#;
const DENIES_FIRST: &str = r#"{"denies": "FIRST"}"#;

const DAY1: &str = r#""2014-03-01""#;
const DAY2: &str = r#""2014-03-02""#;
const DAY3: &str = r#""2014-03-03""#;
const DAYS1_2: &str = r#"{"from": "2014-03-01", "to": "2014-03-02"}"#;
const DAYS1_3: &str = r#"{"from": "2014-03-01", "to": "2014-03-03"}"#;
const DAYS2_3: &str = r#"{"from": "2014-03-02", "to": "2014-03-03"}"#;
const DAYS2_4: &str = r#"{"from": "2014-03-02", "to": "2014-03-04"}"#;
const DAYS3_4: &str = r#"{"from": "2014-03-03", "to": "2014-03-04"}"#;
const NOON: &str = r#""2014-03-02T12:00:00Z""#;
const EVENING: &str = r#""2014-03-02T18:00:00Z""#;
/// Through noon (the instant included): `[00:00, 12:00 + 1 ns)`.
const MORNING_TO_NOON: &str = r#"{"from": "2014-03-02T00:00:00Z", "to": "2014-03-02T12:00:00Z"}"#;
/// The first instant after `MORNING_TO_NOON`: the two windows touch.
const NOON_PLUS_1NS: &str = r#""2014-03-02T12:00:00.000000001Z""#;

/// `(name, first claim, second claim, expected)`.
type Row = (&'static str, Spec, Spec, Expect);

const ROWS: &[Row] = &[
    // holds S / holds T
    ("holds_same_side_overlapping", claim("wire", ARMY, DAYS1_3), claim("ngo", ARMY, DAY2), Corroboration),
    ("holds_same_side_through_a_subunit", claim("wire", ARMY, DAY1), claim("ngo", BRIGADE, DAY1), Corroboration),
    ("holds_same_side_touching", claim("wire", ARMY, DAY1), claim("ngo", ARMY, DAY2), Nothing),
    ("holds_same_side_same_source", claim("wire", ARMY, DAYS1_3), claim("wire", ARMY, DAY2), Nothing),
    (
        "holds_other_side_overlapping",
        claim("wire", ARMY, DAYS1_3),
        claim("ngo", REBELS, DAY3),
        Contradiction(ConflictingControl),
    ),
    (
        "holds_other_side_subunit",
        claim("wire", BRIGADE, DAY1),
        claim("ngo", REBELS, DAY1),
        Contradiction(ConflictingControl),
    ),
    ("holds_other_side_touching_days", claim("wire", ARMY, DAY1), claim("ngo", REBELS, DAY2), Nothing),
    (
        "holds_other_side_touching_at_a_nanosecond",
        claim("wire", ARMY, MORNING_TO_NOON),
        claim("ngo", REBELS, NOON_PLUS_1NS),
        Nothing,
    ),
    (
        "holds_other_side_same_instant",
        claim("wire", ARMY, NOON),
        claim("ngo", REBELS, NOON),
        Contradiction(ConflictingControl),
    ),
    // holds S / contested
    (
        "holds_vs_contested_overlapping",
        claim("wire", ARMY, DAYS1_2),
        claim("ngo", CONTESTED, DAYS2_3),
        Contradiction(HeldVsContested),
    ),
    ("holds_vs_contested_touching", claim("wire", ARMY, DAY1), claim("ngo", CONTESTED, DAY2), Nothing),
    ("contested_vs_contested", claim("wire", CONTESTED, DAY2), claim("ngo", CONTESTED, DAYS1_3), Corroboration),
    // captured S / holds T
    (
        "captured_inside_hold_other_side",
        claim("wire", REBELS, DAYS1_3),
        claim("ngo", ARMY_TAKES, DAY2),
        Contradiction(ConflictingControl),
    ),
    (
        "captured_same_window_as_hold_other_side",
        claim("wire", REBELS, DAY2),
        claim("ngo", ARMY_TAKES, DAY2),
        Contradiction(ConflictingControl),
    ),
    (
        "captured_by_subunit_inside_hold_other_side",
        claim("wire", REBELS, DAYS1_3),
        claim("ngo", BRIGADE_TAKES, NOON),
        Contradiction(ConflictingControl),
    ),
    (
        "captured_starting_before_hold_other_side",
        claim("wire", ARMY_TAKES, DAYS1_2),
        claim("ngo", REBELS, DAYS2_4),
        Nothing,
    ),
    (
        "captured_ending_after_hold_other_side",
        claim("wire", REBELS, DAYS1_2),
        claim("ngo", ARMY_TAKES, DAYS2_3),
        Nothing,
    ),
    ("captured_touching_hold_other_side", claim("wire", REBELS, DAY1), claim("ngo", ARMY_TAKES, DAY2), Nothing),
    ("captured_inside_hold_same_side", claim("wire", ARMY, DAYS1_3), claim("ngo", ARMY_TAKES, DAY2), Corroboration),
    (
        "captured_overlapping_hold_same_side",
        claim("wire", ARMY_TAKES, DAYS1_2),
        claim("ngo", ARMY, DAYS2_4),
        Corroboration,
    ),
    (
        "captured_by_subunit_with_hold_same_side",
        claim("wire", ARMY, DAY2),
        claim("ngo", BRIGADE_TAKES, NOON),
        Corroboration,
    ),
    // captured S / contested
    (
        "captured_inside_contested",
        claim("wire", CONTESTED, DAYS1_3),
        claim("ngo", ARMY_TAKES, DAY2),
        Contradiction(HeldVsContested),
    ),
    ("captured_not_inside_contested", claim("wire", CONTESTED, DAYS1_2), claim("ngo", ARMY_TAKES, DAYS2_3), Nothing),
    // withdrew S / holds
    (
        "withdrew_inside_hold_same_side",
        claim("wire", ARMY, DAYS1_3),
        claim("ngo", ARMY_LEAVES, DAY2),
        Contradiction(ConflictingControl),
    ),
    (
        "withdrew_subunit_inside_hold_same_side",
        claim("wire", ARMY, DAY2),
        claim("ngo", BRIGADE_LEAVES, NOON),
        Contradiction(ConflictingControl),
    ),
    ("withdrew_not_inside_hold_same_side", claim("wire", ARMY, DAYS1_3), claim("ngo", ARMY_LEAVES, DAYS3_4), Nothing),
    ("withdrew_inside_hold_other_side", claim("wire", REBELS, DAYS1_3), claim("ngo", ARMY_LEAVES, DAY2), Nothing),
    ("withdrew_inside_contested", claim("wire", CONTESTED, DAYS1_3), claim("ngo", ARMY_LEAVES, DAY2), Nothing),
    // event / event
    (
        "captured_captured_same_side",
        claim("wire", ARMY_TAKES, DAY2),
        claim("ngo", BRIGADE_TAKES, DAYS2_3),
        Corroboration,
    ),
    (
        "captured_captured_other_sides_same_instant",
        claim("wire", ARMY_TAKES, NOON),
        claim("ngo", REBELS_TAKE, NOON),
        Contradiction(ConflictingControl),
    ),
    (
        "captured_captured_other_sides_same_day",
        claim("wire", ARMY_TAKES, DAY2),
        claim("ngo", REBELS_TAKE, DAY2),
        Nothing,
    ),
    (
        "captured_captured_other_sides_instant_in_day",
        claim("wire", ARMY_TAKES, DAY2),
        claim("ngo", REBELS_TAKE, NOON),
        Nothing,
    ),
    (
        "captured_captured_other_sides_other_instants",
        claim("wire", ARMY_TAKES, NOON),
        claim("ngo", REBELS_TAKE, EVENING),
        Nothing,
    ),
    (
        "captured_withdrew_same_side_same_instant",
        claim("wire", ARMY_TAKES, NOON),
        claim("ngo", ARMY_LEAVES, NOON),
        Contradiction(ConflictingControl),
    ),
    ("captured_withdrew_same_side_same_day", claim("wire", ARMY_TAKES, DAY2), claim("ngo", ARMY_LEAVES, DAY2), Nothing),
    (
        "captured_withdrew_other_sides_same_instant",
        claim("wire", ARMY_TAKES, NOON),
        claim("ngo", REBELS_LEAVE, NOON),
        Nothing,
    ),
    ("withdrew_withdrew_same_side", claim("wire", ARMY_LEAVES, DAY2), claim("ngo", ARMY_LEAVES, NOON), Corroboration),
    (
        "withdrew_withdrew_other_sides_same_instant",
        claim("wire", ARMY_LEAVES, NOON),
        claim("ngo", REBELS_LEAVE, NOON),
        Nothing,
    ),
    // denials
    ("denial_of_a_hold", claim("wire", ARMY, DAY1), claim("ngo", DENIES_FIRST, DAY3), Contradiction(Denial)),
    ("denial_of_a_capture", claim("wire", ARMY_TAKES, DAY2), claim("ngo", DENIES_FIRST, DAY2), Contradiction(Denial)),
    (
        "denial_by_the_same_source",
        claim("wire", CONTESTED, DAY1),
        claim("wire", DENIES_FIRST, DAY2),
        Contradiction(Denial),
    ),
    // one source against itself
    (
        "self_contradiction_holds",
        claim("wire", ARMY, DAY1),
        claim("wire", REBELS, DAY1),
        Contradiction(SelfContradiction),
    ),
    (
        "self_contradiction_held_vs_contested",
        claim("wire", ARMY, DAYS1_2),
        claim("wire", CONTESTED, DAY2),
        Contradiction(SelfContradiction),
    ),
    (
        "self_contradiction_capture_inside_hold",
        claim("wire", REBELS, DAYS1_3),
        claim("wire", ARMY_TAKES, DAY2),
        Contradiction(SelfContradiction),
    ),
    (
        "self_contradiction_same_instant_events",
        claim("wire", ARMY_TAKES, NOON),
        claim("wire", ARMY_LEAVES, NOON),
        Contradiction(SelfContradiction),
    ),
    ("same_source_compatible_claims", claim("wire", ARMY, DAYS1_3), claim("wire", ARMY_TAKES, DAY2), Nothing),
    ("same_source_touching_windows", claim("wire", ARMY, DAY1), claim("wire", REBELS, DAY2), Nothing),
];

/// The dataset of one row, with the first claim's id `first` and the
/// second's `second`, listed in the input in that order unless `reversed`.
fn row_dataset(name: &str, (a, b): (Spec, Spec), (first, second): (&str, &str), reversed: bool) -> Dataset {
    let record = |id: &str, spec: Spec| {
        format!(
            r#"{{"id": "{id}", "source": "{}", "location": "hill", "asserts": {}, "when": {}}}"#,
            spec.source,
            spec.asserts.replace("FIRST", first),
            spec.when
        )
    };
    let json = format!(
        r#"{{
  "actors": [{{"id": "army"}}, {{"id": "rebels"}}, {{"id": "brigade", "parent": "army"}}],
  "sources": [{{"id": "wire"}}, {{"id": "ngo"}}],
  "locations": [{{"id": "hill"}}],
  "claims": [{}]
}}"#,
        if reversed { [record(second, b), record(first, a)] } else { [record(first, a), record(second, b)] }.join(", ")
    );
    match Dataset::from_json_str(&json) {
        Ok(dataset) => dataset,
        Err(error) => panic!("row {name}: the dataset does not validate: {error}"),
    }
}

/// What the graph of one row says about its two claims.
fn outcome(name: &str, dataset: &Dataset, (first, second): (&str, &str)) -> Expect {
    let hill = dataset.location_id("hill").expect("the location");
    let graph = ControlGraph::build(dataset, hill);
    let (a, b) = (dataset.claim_id(first).expect("claim"), dataset.claim_id(second).expect("claim"));
    let count = |kind| graph.edges(kind).count();
    let contradictions = graph.contradictions();
    match (contradictions, count(EdgeKind::Corroborates)) {
        ([], 0) => {
            assert_eq!(count(EdgeKind::Contradicts) + count(EdgeKind::Denies), 0, "row {name}: stray edges");
            Nothing
        }
        ([], 1) => {
            let pair = graph.edges(EdgeKind::Corroborates).next().expect("one edge");
            assert!(pair == (a, b) || pair == (b, a), "row {name}: corroboration between {pair:?}");
            Corroboration
        }
        ([c], 0) => {
            let (wa, wb) = (dataset.claim(a).window(), dataset.claim(b).window());
            if c.kind() == Denial {
                // The denial first, then the claim it denies, over that claim's window.
                assert_eq!(c.claims(), [b, a], "row {name}: the denial's claims");
                assert_eq!(c.window(), wa, "row {name}: a denial's window is the denied claim's");
                assert_eq!((count(EdgeKind::Denies), count(EdgeKind::Contradicts)), (1, 0), "row {name}");
                assert!(graph.edges(EdgeKind::Denies).eq([(b, a)]), "row {name}: the denies edge");
            } else {
                assert_eq!(c.claims(), [a.min(b), a.max(b)], "row {name}: the claims, in id order");
                assert_eq!(Some(c.window()), wa.overlap(&wb), "row {name}: the window is the overlap");
                assert_eq!((count(EdgeKind::Contradicts), count(EdgeKind::Denies)), (1, 0), "row {name}");
            }
            Contradiction(c.kind())
        }
        (found, corroborations) => {
            panic!("row {name}: {} contradictions and {corroborations} corroborations", found.len())
        }
    }
}

#[test]
fn every_rule_of_the_contradiction_table() {
    let mut failures = Vec::new();
    for &(name, a, b, expected) in ROWS {
        // Both orders: ids and input order swapped (a denial still names the
        // row's first claim).
        for (ids, reversed) in [(("p", "q"), false), (("q", "p"), true)] {
            let dataset = row_dataset(name, (a, b), ids, reversed);
            let got = outcome(name, &dataset, ids);
            if got != expected {
                failures.push(format!("{name} (first claim {:?}): expected {expected:?}, got {got:?}", ids.0));
            }
        }
    }
    assert!(failures.is_empty(), "rules broken:\n{}", failures.join("\n"));
}

#[test]
fn the_table_covers_every_kind_and_outcome() {
    let has = |e: Expect| ROWS.iter().any(|row| row.3 == e);
    for kind in [ConflictingControl, HeldVsContested, Denial, SelfContradiction] {
        assert!(has(Contradiction(kind)), "no row for {kind:?}");
    }
    assert!(has(Corroboration) && has(Nothing));
    let mut names: Vec<&str> = ROWS.iter().map(|row| row.0).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), ROWS.len(), "row names are unique");
}
