//! Tests of the inference math against its documented formulas
//! (issue 10, item 5): forward-backward against brute-force enumeration of
//! every state path, the evidence's difference arrays against direct
//! summation, the events' transition boosts against a direct per-boundary
//! product, and EM's fixed point on cases solved by hand.
//!
//! Everything "expected" here is computed from the formulas of the module
//! docs of [`super`] and [`super::infer`], not by calling the internals under
//! test.

use super::infer::{self, Chain, SourceParams, DIRECT_SEGMENTS, MAX_LOG_BOOST};
use super::observe::{LocationModel, Observation, Transition};
use super::{reconcile, Config};
use crate::model::ControlState;
use crate::Dataset;

// ---------------------------------------------------------------------------
// Helpers: datasets, parameters, and the documented formulas.

fn dataset(json: &str) -> Dataset {
    match Dataset::from_json_str(json) {
        Ok(dataset) => dataset,
        Err(error) => panic!("test dataset does not validate: {error}"),
    }
}

fn model_of(dataset: &Dataset, location: &str) -> LocationModel {
    let id = dataset.location_id(location).expect("the location exists");
    LocationModel::build(dataset, id, &super::observe::Rivals::of(dataset), &Config::default())
}

/// Parameters for every source of `dataset`, by source id string:
/// `(id, accuracy, self_serving)`; every source must be listed.
fn params(dataset: &Dataset, values: &[(&str, f64, f64)]) -> Vec<SourceParams> {
    dataset
        .sources()
        .iter()
        .map(|source| {
            let &(_, accuracy, self_serving) = values
                .iter()
                .find(|(id, _, _)| *id == source.id())
                .unwrap_or_else(|| panic!("no parameters for source {}", source.id()));
            SourceParams { accuracy, self_serving, fighting_while_held: Config::default().contested_while_held }
        })
        .collect()
}

fn close(a: f64, b: f64, tolerance: f64) -> bool {
    (a - b).abs() <= tolerance * 1f64.max(a.abs()).max(b.abs())
}

/// The likelihood of one observation for state `x`, as the docs of
/// `infer::likelihoods` define it: a claim naming one state is a one-coin
/// report (`a` for that state, `(1 − a)/(K − 1)` for each other); a claim
/// excluding one state is `a` inside R and `1 − a` outside; a report of
/// fighting (`contested`, the last state) is `f·a + (1 − f)·(1 − a)/(K − 1)`
/// under each held state; a self-serving claim keeps `b + (1 − b)·honest`.
fn documented_likelihood(o: &Observation, k: usize, p: SourceParams, x: usize) -> f64 {
    let inside = (x == o.state) != o.negated;
    let a = p.accuracy;
    let fighting = !o.negated && o.state == k - 1;
    let honest = match (o.negated, inside) {
        (_, true) => a,
        (true, false) => 1.0 - a,
        (false, false) if fighting => {
            p.fighting_while_held * a + (1.0 - p.fighting_while_held) * (1.0 - a) / (k - 1) as f64
        }
        (false, false) => (1.0 - a) / (k - 1) as f64,
    };
    if o.serving {
        p.self_serving + (1.0 - p.self_serving) * honest
    } else {
        honest
    }
}

/// The evidence by direct summation: every observation adds
/// `fraction · weight · ln(likelihood)` to every segment it covers, the
/// fraction being the segment's share of the observation's length (an equal
/// share when the observation has no length).
fn direct_evidence(model: &LocationModel, params: &[SourceParams]) -> Vec<f64> {
    let k = model.states.len();
    let mut evidence = vec![0.0; model.segments() * k];
    for o in &model.observations {
        let p = params[o.source.as_usize()];
        let count = (o.end - o.first) as f64;
        for seg in o.first..o.end {
            let fraction = if o.span > 0.0 { model.len[seg] / o.span } else { 1.0 / count };
            for x in 0..k {
                evidence[seg * k + x] += fraction * o.weight * o.scale * documented_likelihood(o, k, p, x).ln();
            }
        }
    }
    evidence
}

fn odds(p: f64) -> f64 {
    p / (1.0 - p)
}

/// One event claim's factor on the transitions of its window, from the
/// `Boosts` docs: `LR = odds(a)/odds(p_W)` with
/// `p_W = (1 − e^{−λ·span})/K` clamped to `[1e-12, 0.5]`; for a
/// self-serving claim `a` is the mixture `(1 − b)·a + b·p_W`; the certainty
/// weight is the exponent of
/// the claim's factor (as it is of an observation's likelihood), and the log
/// of the factor is clamped to `[0, MAX_LOG_BOOST]`. Returns that log.
///
/// (The code also clamps `a` to `[0.5, 0.999]` and the honest ratio to at
/// least 1; the tests keep `a` within the default accuracy bounds
/// `[0.6, 0.99]`, where neither clamp can act: `p_W ≤ 0.5 < a`.)
fn documented_log_factor(model: &LocationModel, t: &Transition, p: SourceParams, rate: f64, j: usize) -> f64 {
    let k = model.states.len();
    let prior = |days: f64| ((1.0 - (-rate * days).exp()) / k as f64).clamp(1e-12, 0.5);
    let p_window = prior(t.span);
    let a = if t.serving { (1.0 - p.self_serving) * p.accuracy + p.self_serving * p_window } else { p.accuracy };
    let ratio = (odds(a) / odds(p_window)).max(1.0);
    if t.end - t.first == 1 {
        return (t.weight * ratio.ln()).clamp(0.0, MAX_LOG_BOOST);
    }
    // Over several boundaries: LR_j = LR·p_W·ω_j/(J̄_j·Σω), ω the prior
    // chance inside the window (half the first segment at the first
    // boundary; the middle boundaries together count the prior of their
    // total gap), ε before the last day of a ranged event.
    let lean = if t.ranged { t.early } else { 1.0 };
    let (first, last) = (t.first, t.end - 1);
    let middle_gap: f64 = (first + 1..last).map(|m| gap(model, m)).sum();
    let w_first = lean * prior(0.5 * model.len[first]);
    let w_middle = if last > first + 1 { lean * prior(middle_gap) } else { 0.0 };
    let w_last = prior(gap(model, last));
    let (omega, jbar) = if j == first {
        (w_first, prior(gap(model, j)))
    } else if j == last {
        (w_last, w_last)
    } else {
        (lean, 1.0)
    };
    let lr = ratio * p_window * omega / (jbar * (w_first + w_middle + w_last));
    (t.weight * lr.ln()).clamp(0.0, MAX_LOG_BOOST)
}

/// Per boundary `j` (into segment `j`) and state, the product of the
/// factors of every event whose window covers the boundary, computed
/// boundary by boundary: `(into, out)`, `S·K` each.
fn direct_boosts(model: &LocationModel, params: &[SourceParams], rate: f64) -> (Vec<f64>, Vec<f64>) {
    let k = model.states.len();
    let s = model.segments();
    let mut into = vec![1.0; s * k];
    let mut out = vec![1.0; s * k];
    for j in 0..s {
        for x in 0..k {
            let (mut log_into, mut log_out) = (0.0, 0.0);
            for t in model.transitions.iter().filter(|t| t.state == x && t.first <= j && j < t.end) {
                let log = documented_log_factor(model, t, params[t.source.as_usize()], rate, j);
                if t.into {
                    log_into += log;
                } else {
                    log_out += log;
                }
            }
            into[j * k + x] = f64::clamp(log_into, 0.0, MAX_LOG_BOOST).exp();
            out[j * k + x] = f64::clamp(log_out, 0.0, MAX_LOG_BOOST).exp();
        }
    }
    (into, out)
}

/// The days between the midpoints of segments `j − 1` and `j` (boundary `j`).
fn gap(model: &LocationModel, j: usize) -> f64 {
    0.5 * (model.len[j - 1] + model.len[j])
}

// ---------------------------------------------------------------------------
// 1. Forward-backward against brute force.

/// The chain's transition across boundary `j` as the module docs define it:
/// `T(x, y) = [x = y]·(ρ_x + J_x) + [x ≠ y]·(J_x + E_y + F_x)`, with
/// `ρ_x = exp(−λ·f_x·Δ)`, `J_x = (1 − ρ_x)/K`, `E_y = J̄·(B_y − 1)`,
/// `F_x = J̄·(D_x − 1)`, `J̄ = (1 − exp(−λ·Δ))/K` (a held state's jump
/// mass). Returns `(T(x, y), J_x)`.
fn documented_transition(
    model: &LocationModel,
    (into, out): (&[f64], &[f64]),
    (rate, contested_factor): (f64, f64),
    j: usize,
    (x, y): (usize, usize),
) -> (f64, f64) {
    let k = model.states.len();
    let delta = gap(model, j);
    let factor = |z: usize| if model.states[z] == ControlState::Contested { contested_factor } else { 1.0 };
    let rho_x = (-rate * factor(x) * delta).exp();
    let jump_x = (1.0 - rho_x) / k as f64;
    let jbar = (1.0 - (-rate * delta).exp()) / k as f64;
    let e_y = jbar * (into[j * k + y] - 1.0);
    let f_x = jbar * (out[j * k + x] - 1.0);
    let t = if x == y { rho_x + jump_x } else { jump_x + e_y + f_x };
    (t, jump_x)
}

/// Every state path from the first observed segment on, its joint weight
/// `π(x₀)·e^{ev₀(x₀)}·Π T(x_{j−1}, x_j)·e^{ev_j(x_j)}`: the posterior
/// marginal of every segment (rows before the first observed one are zero),
/// and the expected number of base-process jumps
/// `Σ_j E[J_{x_{j−1}} / T(x_{j−1}, x_j)]` (the share of each transition's
/// mass that its `J` term carries).
fn brute_force(
    model: &LocationModel,
    evidence: &[f64],
    (into, out): (&[f64], &[f64]),
    initial: &[f64],
    rate: f64,
    contested_factor: f64,
) -> (Vec<f64>, f64) {
    let k = model.states.len();
    let s = model.segments();
    let start = model.first_observed;
    let n = s - start;
    let paths = k.pow(n as u32);
    let mut marginal = vec![0.0; s * k];
    let (mut total, mut jumps) = (0.0, 0.0);
    let mut path = vec![0usize; n];
    for code in 0..paths {
        let mut rest = code;
        for x in path.iter_mut() {
            *x = rest % k;
            rest /= k;
        }
        let mut weight = initial[path[0]] * evidence[start * k + path[0]].exp();
        let mut jump_share = 0.0;
        for i in 1..n {
            let j = start + i;
            let (t, jump) =
                documented_transition(model, (into, out), (rate, contested_factor), j, (path[i - 1], path[i]));
            weight *= t * evidence[j * k + path[i]].exp();
            jump_share += jump / t;
        }
        total += weight;
        jumps += weight * jump_share;
        for (i, &x) in path.iter().enumerate() {
            marginal[(start + i) * k + x] += weight;
        }
    }
    marginal.iter_mut().for_each(|m| *m /= total);
    (marginal, jumps / total)
}

/// K = 2 (a dataset with one side: the side and contested), 3 segments, a
/// contested claim and a capture (with its "before" observation).
const ONE_SIDE: &str = r#"{
  "actors": [{"id": "army"}],
  "sources": [{"id": "wire"}, {"id": "tv", "affiliation": "army"}],
  "locations": [{"id": "hill"}],
  "claims": [
    {"id": "a1", "source": "wire", "location": "hill", "asserts": {"holds": "army"}, "when": "2014-03-01"},
    {"id": "a2", "source": "tv", "location": "hill", "asserts": "contested", "when": "2014-03-02"},
    {"id": "a3", "source": "wire", "location": "hill", "asserts": {"captured": "army"}, "when": "2014-03-03",
     "certainty": "claimed"}
  ]}"#;

/// K = 3, 5 segments: a two-day hold, contested, a self-serving capture and
/// its denial, a withdrawal over two days (its transition spans two
/// boundaries).
const FIVE_SEGMENTS: &str = r#"{
  "actors": [{"id": "army"}, {"id": "rebels"}],
  "sources": [{"id": "wire"}, {"id": "ngo"}, {"id": "tv", "affiliation": "army"},
              {"id": "radio", "affiliation": "rebels"}],
  "locations": [{"id": "hill"}],
  "claims": [
    {"id": "b1", "source": "wire", "location": "hill", "asserts": {"holds": "army"},
     "when": {"from": "2014-03-01", "to": "2014-03-02"}},
    {"id": "b2", "source": "radio", "location": "hill", "asserts": {"captured": "rebels"}, "when": "2014-03-03",
     "certainty": "claimed"},
    {"id": "b3", "source": "ngo", "location": "hill", "asserts": "contested", "when": "2014-03-02"},
    {"id": "b4", "source": "tv", "location": "hill", "asserts": {"withdrew": "army"},
     "when": {"from": "2014-03-04", "to": "2014-03-05"}, "certainty": "confirmed"},
    {"id": "b5", "source": "ngo", "location": "hill", "asserts": {"denies": "b2"}, "when": "2014-03-05"}
  ]}"#;

/// K = 3, 5 segments: a capture at the first claim, dated by a two-day
/// range (a one-day segment is added before it, and its last day is a
/// segment of its own), an instant hold and an instant withdrawal (a
/// segment of one nanosecond).
const FIRST_CAPTURE: &str = r#"{
  "actors": [{"id": "army"}, {"id": "rebels"}],
  "sources": [{"id": "wire"}, {"id": "ngo"}, {"id": "tv", "affiliation": "army"}],
  "locations": [{"id": "hill"}],
  "claims": [
    {"id": "c1", "source": "tv", "location": "hill", "asserts": {"captured": "army"},
     "when": {"from": "2014-03-01", "to": "2014-03-02"}, "certainty": "confirmed"},
    {"id": "c2", "source": "wire", "location": "hill", "asserts": {"holds": "rebels"}, "when": "2014-03-03T12:00:00Z"},
    {"id": "c3", "source": "ngo", "location": "hill", "asserts": {"withdrew": "rebels"},
     "when": "2014-03-03T12:00:00Z", "certainty": "unverified"}
  ]}"#;

/// K = 3, 2 segments, no events: a hold, contested, and a denial of the hold.
const NO_EVENTS: &str = r#"{
  "actors": [{"id": "army"}, {"id": "rebels"}],
  "sources": [{"id": "wire"}, {"id": "ngo"}, {"id": "tv", "affiliation": "army"}],
  "locations": [{"id": "hill"}],
  "claims": [
    {"id": "d1", "source": "tv", "location": "hill", "asserts": {"holds": "army"}, "when": "2014-03-01"},
    {"id": "d2", "source": "ngo", "location": "hill", "asserts": "contested", "when": "2014-03-02"},
    {"id": "d3", "source": "wire", "location": "hill", "asserts": {"denies": "d1"}, "when": "2014-03-02"}
  ]}"#;

/// Parameters for the tiny datasets (sources not in a dataset are ignored).
const TINY_PARAMS: [&[(&str, f64, f64)]; 2] = [
    &[("wire", 0.8, 0.0), ("ngo", 0.72, 0.0), ("tv", 0.7, 0.2), ("radio", 0.85, 0.3)],
    &[("wire", 0.62, 0.0), ("ngo", 0.95, 0.0), ("tv", 0.9, 0.45), ("radio", 0.66, 0.1)],
];

fn tiny_params(dataset: &Dataset, which: usize) -> Vec<SourceParams> {
    let values: Vec<(&str, f64, f64)> =
        TINY_PARAMS[which].iter().copied().filter(|(id, _, _)| dataset.source_id(id).is_some()).collect();
    params(dataset, &values)
}

/// Checks the posterior of `infer::posterior` against the brute force for
/// one model, parameter set and chain.
fn check_against_brute_force(name: &str, model: &LocationModel, params: &[SourceParams], chain: Chain<'_>) {
    let k = model.states.len();
    let s = model.segments();
    let evidence = direct_evidence(model, params);
    let (into, out) = direct_boosts(model, params, chain.rate);
    let (expected, expected_jumps) =
        brute_force(model, &evidence, (&into, &out), chain.initial, chain.rate, chain.contested_factor);
    let got = infer::posterior(model, params, chain);
    assert_eq!(got.gamma.len(), s * k, "{name}: gamma's shape");
    for seg in 0..s {
        for x in 0..k {
            let (g, e) = (got.gamma[seg * k + x], expected[seg * k + x]);
            assert!(
                (g - e).abs() < 1e-9,
                "{name}: gamma[segment {seg}][state {x}] = {g}, brute force {e} (rate {}, initial {:?})",
                chain.rate,
                chain.initial
            );
        }
    }
    assert!(
        close(got.jumps, expected_jumps, 1e-9),
        "{name}: expected jumps {} against brute force {expected_jumps}",
        got.jumps
    );
    // With every state left at the same rate the exposure is the time
    // between the first observed segment's midpoint and the last one's.
    if chain.contested_factor == 1.0 {
        let exposure: f64 = (model.first_observed + 1..s).map(|j| gap(model, j)).sum();
        assert!(close(got.exposure, exposure, 1e-12), "{name}: exposure {} against {exposure}", got.exposure);
    }
}

#[test]
fn forward_backward_matches_brute_force_enumeration_of_every_path() {
    let cases = [
        ("one side", ONE_SIDE),
        ("five segments", FIVE_SEGMENTS),
        ("first capture", FIRST_CAPTURE),
        ("no events", NO_EVENTS),
    ];
    let mut with_events = 0;
    for (name, json) in cases {
        let dataset = dataset(json);
        let model = model_of(&dataset, "hill");
        let (k, s) = (model.states.len(), model.segments());
        assert!((2..=3).contains(&k) && (2..=5).contains(&s), "{name}: {k} states, {s} segments");
        let mut initials = vec![vec![1.0 / k as f64; k]];
        initials.push((0..k).map(|x| (x + 1) as f64 / (k * (k + 1) / 2) as f64).collect());
        for which in 0..TINY_PARAMS.len() {
            let params = tiny_params(&dataset, which);
            for rate in [0.05, 0.7, 3.0] {
                // The boosts must be non-trivial where there are events, or
                // the event masses would go untested.
                let (into, out) = direct_boosts(&model, &params, rate);
                if !model.transitions.is_empty() {
                    assert!(into.iter().chain(&out).any(|&b| b > 1.5), "{name}: trivial boosts");
                    with_events += 1;
                }
                for initial in &initials {
                    for contested_factor in [1.0, 3.0] {
                        let chain = Chain { initial, rate, contested_factor };
                        check_against_brute_force(name, &model, &params, chain);
                    }
                }
            }
        }
    }
    assert!(with_events > 0);
}

#[test]
fn the_tiny_cases_have_the_structure_the_brute_force_relies_on() {
    // One side: states [army, contested]; a capture across boundary 2.
    let model = model_of(&dataset(ONE_SIDE), "hill");
    assert_eq!(model.states.len(), 2);
    assert_eq!(model.states[1], ControlState::Contested);
    assert_eq!(model.len, vec![1.0, 1.0, 1.0]);
    let t: Vec<(usize, usize, bool)> = model.transitions.iter().map(|t| (t.first, t.end, t.into)).collect();
    assert_eq!(t, vec![(2, 3, true)]);
    // Five segments: the capture across boundary 2, the two-day withdrawal
    // across boundaries 3 and 4.
    let model = model_of(&dataset(FIVE_SEGMENTS), "hill");
    let mut t: Vec<(usize, usize, bool)> = model.transitions.iter().map(|t| (t.first, t.end, t.into)).collect();
    t.sort_unstable();
    assert_eq!(t, vec![(2, 3, true), (3, 5, false)]);
    assert!(model.observations.iter().any(|o| o.negated), "the denial and the withdrawal are negated");
    assert!(model.observations.iter().any(|o| o.serving), "the rebels' radio claims a rebel capture");
    // A capture first: a one-day segment before it, observed; its two-day
    // range cut before its last day, so it spans boundaries 1 and 2.
    let model = model_of(&dataset(FIRST_CAPTURE), "hill");
    assert_eq!(model.segments(), 5);
    assert_eq!(model.len[..3], [1.0, 1.0, 1.0]);
    assert_eq!(model.first_observed, 0);
    assert!(model.len[4] < 1e-12, "the instant's segment");
    let t: Vec<(usize, usize, bool)> = model.transitions.iter().map(|t| (t.first, t.end, t.into)).collect();
    assert!(t.contains(&(1, 3, true)), "{t:?}");
}

// ---------------------------------------------------------------------------
// 2. Evidence: difference arrays against direct summation.

/// A small deterministic generator (xorshift64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// One location with `n` claims of every kind from six sources (three
/// independent, one with its own prior, two affiliated), dates, ranges of up
/// to 40 days and instants over two months, so that many windows span far
/// more than [`DIRECT_SEGMENTS`] segments.
fn random_dataset(seed: u64, n: usize) -> Dataset {
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let base = chrono::NaiveDate::from_ymd_opt(2014, 3, 1).expect("a date");
    let day = |d: u64| (base + chrono::Days::new(d)).format("%Y-%m-%d").to_string();
    let sources = ["wire", "ngo", "blog", "tv", "radio", "unit"];
    let actors = ["army", "rebels", "brigade"];
    let certainties = ["confirmed", "reported", "claimed", "unverified"];
    let mut claims = Vec::with_capacity(n);
    // The state claims so far, for denials to name.
    let mut stated: Vec<usize> = Vec::new();
    for i in 0..n {
        let source = sources[rng.below(6) as usize];
        let start = rng.below(60);
        let when = match rng.below(4) {
            0 => format!("\"{}\"", day(start)),
            1 => format!("\"{}T{:02}:{:02}:00Z\"", day(start), rng.below(24), rng.below(60)),
            _ => format!("{{\"from\": \"{}\", \"to\": \"{}\"}}", day(start), day(start + 1 + rng.below(40))),
        };
        let actor = actors[rng.below(3) as usize];
        let asserts = match rng.below(7) {
            0 | 1 => format!("{{\"holds\": \"{actor}\"}}"),
            2 => "\"contested\"".to_owned(),
            3 => format!("{{\"captured\": \"{actor}\"}}"),
            4 => format!("{{\"withdrew\": \"{actor}\"}}"),
            _ if !stated.is_empty() => {
                format!("{{\"denies\": \"k{}\"}}", stated[rng.below(stated.len() as u64) as usize])
            }
            _ => "\"contested\"".to_owned(),
        };
        // Denials name a state claim (an event's is one segment long).
        if asserts.contains("holds") || asserts.contains("contested") {
            stated.push(i);
        }
        let certainty = certainties[rng.below(4) as usize];
        claims.push(format!(
            "{{\"id\": \"k{i}\", \"source\": \"{source}\", \"location\": \"hill\", \"asserts\": {asserts}, \
             \"when\": {when}, \"certainty\": \"{certainty}\"}}"
        ));
    }
    dataset(&format!(
        r#"{{
  "actors": [{{"id": "army"}}, {{"id": "rebels"}}, {{"id": "brigade", "parent": "army"}}],
  "sources": [{{"id": "wire"}}, {{"id": "ngo"}}, {{"id": "blog", "prior": 0.7}},
              {{"id": "tv", "affiliation": "army"}}, {{"id": "radio", "affiliation": "rebels"}},
              {{"id": "unit", "affiliation": "brigade"}}],
  "locations": [{{"id": "hill"}}],
  "claims": [{}]
}}"#,
        claims.join(",\n")
    ))
}

const RANDOM_PARAMS: &[(&str, f64, f64)] = &[
    ("wire", 0.83, 0.0),
    ("ngo", 0.91, 0.0),
    ("blog", 0.64, 0.0),
    ("tv", 0.77, 0.2),
    ("radio", 0.7, 0.35),
    ("unit", 0.97, 0.5),
];

#[test]
fn evidence_by_difference_arrays_equals_direct_summation() {
    for seed in 1..=6 {
        let dataset = random_dataset(seed, 80);
        let model = model_of(&dataset, "hill");
        let params = params(&dataset, RANDOM_PARAMS);
        let k = model.states.len();
        // Not vacuous: long observations of every sort take the other path.
        let long: Vec<&Observation> =
            model.observations.iter().filter(|o| o.end - o.first > DIRECT_SEGMENTS && o.span > 1.0).collect();
        assert!(long.len() >= 10, "seed {seed}: only {} long observations", long.len());
        assert!(long.iter().any(|o| o.negated), "seed {seed}: no long negated observation");
        assert!(long.iter().any(|o| o.serving), "seed {seed}: no long self-serving observation");
        assert!(long.iter().any(|o| o.weight != 1.0), "seed {seed}: no long weighted observation");
        assert!(model.segments() > 4 * DIRECT_SEGMENTS, "seed {seed}: {} segments", model.segments());
        // An observation's span is the length of the segments it covers, so
        // its fractions sum to 1: cutting a window never adds evidence.
        for o in &model.observations {
            let covered: f64 = model.len[o.first..o.end].iter().sum();
            assert!(close(o.span, covered, 1e-9), "seed {seed}: span {} against {covered}", o.span);
        }

        let expected = direct_evidence(&model, &params);
        let fast = infer::evidence(&model, &params, false);
        let forced = infer::evidence(&model, &params, true);
        assert_eq!(fast.len(), model.segments() * k);
        for (i, ((&e, &f), &d)) in expected.iter().zip(&fast).zip(&forced).enumerate() {
            let (seg, x) = (i / k, i % k);
            assert!(close(f, e, 1e-9), "seed {seed}: evidence[{seg}][{x}] = {f} by difference arrays, {e} summed");
            assert!(close(d, e, 1e-9), "seed {seed}: evidence[{seg}][{x}] = {d} summed in the code, {e} here");
        }
    }
}

// ---------------------------------------------------------------------------
// 3. Transition boosts against a direct per-boundary product.

fn check_boosts(name: &str, model: &LocationModel, params: &[SourceParams], rate: f64) {
    let (into, out) = direct_boosts(model, params, rate);
    let Some(got) = infer::transition_boosts(model, params, rate) else {
        assert!(model.transitions.is_empty(), "{name}: no boosts although there are events");
        return;
    };
    let k = model.states.len();
    for (i, (&g, &e)) in got.into.iter().zip(&into).enumerate() {
        assert!(close(g, e, 1e-9), "{name}, rate {rate}: into[{}][{}] = {g}, direct {e}", i / k, i % k);
    }
    for (i, (&g, &e)) in got.out.iter().zip(&out).enumerate() {
        assert!(close(g, e, 1e-9), "{name}, rate {rate}: out[{}][{}] = {g}, direct {e}", i / k, i % k);
    }
}

#[test]
fn transition_boosts_equal_the_direct_product_of_each_events_ratio() {
    let rates = [1e-10, 0.05, 0.7, 30.0];
    let mut clamped = 0;
    let mut unranged_long = 0;
    for seed in 1..=6 {
        let dataset = random_dataset(seed, 80);
        let model = model_of(&dataset, "hill");
        let params = params(&dataset, RANDOM_PARAMS);
        assert!(model.transitions.len() >= 10, "seed {seed}: {} events", model.transitions.len());
        assert!(model.transitions.iter().any(|t| t.end - t.first > DIRECT_SEGMENTS), "seed {seed}: no long event");
        assert!(model.transitions.iter().any(|t| t.serving && t.weight != 1.0));
        assert!(model.transitions.iter().any(|t| t.ranged), "seed {seed}: no ranged event");
        assert!(model.transitions.iter().any(|t| t.end - t.first >= 3), "seed {seed}: no middle boundaries");
        unranged_long += model.transitions.iter().filter(|t| !t.ranged && t.end - t.first >= 2).count();
        // An event's span is the chain's time over its boundaries.
        for t in &model.transitions {
            let span: f64 = (t.first..t.end).map(|j| gap(&model, j)).sum();
            assert!(close(t.span, span, 1e-9), "seed {seed}: span {} against {span}", t.span);
        }
        for rate in rates {
            check_boosts(&format!("seed {seed}"), &model, &params, rate);
            let (into, out) = direct_boosts(&model, &params, rate);
            clamped += into.iter().chain(&out).filter(|&&b| b >= MAX_LOG_BOOST.exp() * (1.0 - 1e-12)).count();
        }
    }
    // At a negligible rate the prior chance of a change is tiny and
    // overlapping events reach the clamp: that branch is tested too.
    assert!(clamped > 0, "the clamp was never reached");
    assert!(unranged_long > 0, "no window of a day or less over several boundaries");
    for (name, json) in [("one side", ONE_SIDE), ("five segments", FIVE_SEGMENTS), ("first capture", FIRST_CAPTURE)] {
        let dataset = dataset(json);
        for which in 0..TINY_PARAMS.len() {
            for rate in rates {
                check_boosts(name, &model_of(&dataset, "hill"), &tiny_params(&dataset, which), rate);
            }
        }
    }
}

#[test]
fn one_capture_boosts_its_boundary_by_the_odds_ratio_computed_by_hand() {
    // Rebels hold on 1 March, wire (accuracy 0.9) reports the army's capture
    // on 2 March: segments [1, 2) and [2, 3) March, one boundary between
    // them, Δ_W = 1 day. With λ = 0.7 and K = 3:
    //   p_W = (1 − e^{−0.7})/3 = 0.167805..., odds(p_W) = 0.201640...
    //   LR = odds(0.9)/odds(p_W) = 9/0.201640... = 44.6340...
    let dataset = dataset(
        r#"{
  "actors": [{"id": "army"}, {"id": "rebels"}],
  "sources": [{"id": "wire"}],
  "locations": [{"id": "hill"}],
  "claims": [
    {"id": "x", "source": "wire", "location": "hill", "asserts": {"holds": "rebels"}, "when": "2014-03-01"},
    {"id": "y", "source": "wire", "location": "hill", "asserts": {"captured": "army"}, "when": "2014-03-02"}
  ]}"#,
    );
    let model = model_of(&dataset, "hill");
    let params = params(&dataset, &[("wire", 0.9, 0.0)]);
    let boosts = infer::transition_boosts(&model, &params, 0.7).expect("an event");
    let army = 0;
    assert_eq!(model.states[army], ControlState::Held(dataset.actor_id("army").expect("army")));
    assert!((boosts.into[3 + army] - 44.634).abs() < 1e-3, "got {}", boosts.into[3 + army]);
    // Nowhere else, and nothing out of any state.
    let others = boosts.into.iter().enumerate().filter(|&(i, _)| i != 3 + army);
    assert!(others.chain(boosts.out.iter().enumerate()).all(|(_, &b)| b == 1.0));
}

#[test]
fn a_ranged_capture_leans_to_its_last_day_by_hand() {
    // Rebels hold on 1 March; wire (accuracy 0.9) reports the army's capture
    // "by 4 March" (2 to 4 March). Segments [1, 2), [2, 4), [4, 5) March:
    // boundary 1, the window's first (gap 1.5 days, of which half the
    // window's first segment, 1 day, lies inside the window) and boundary 2,
    // into the last day (gap 1.5 days); Δ_W = 3 days. With λ = 0.7, K = 3
    // and ε = 0.5:
    //   p_W = (1 − e^{−2.1})/3 = 0.292515..., LR = 9/odds(p_W) = 21.7677...
    //   ω_1 = ε·(1 − e^{−0.7})/3 = 0.5·0.167805 = 0.0839024...
    //   ω_2 = J̄_2 = J̄_1 = (1 − e^{−1.05})/3 = 0.216687...
    //   LR_2 = LR·p_W/(ω_1 + ω_2) = 21.7677·0.292515/0.300590 = 21.1829...
    //   LR_1 = LR_2·ω_1/J̄_1 = 8.2021...
    let dataset = dataset(
        r#"{
  "actors": [{"id": "army"}, {"id": "rebels"}],
  "sources": [{"id": "wire"}],
  "locations": [{"id": "hill"}],
  "claims": [
    {"id": "x", "source": "wire", "location": "hill", "asserts": {"holds": "rebels"}, "when": "2014-03-01"},
    {"id": "y", "source": "wire", "location": "hill", "asserts": {"captured": "army"},
     "when": {"from": "2014-03-02", "to": "2014-03-04"}}
  ]}"#,
    );
    let model = model_of(&dataset, "hill");
    assert_eq!(model.segments(), 3, "cuts {:?}", model.cuts);
    let params = params(&dataset, &[("wire", 0.9, 0.0)]);
    let boosts = infer::transition_boosts(&model, &params, 0.7).expect("an event");
    let (k, army) = (model.states.len(), 0);
    assert_eq!(model.states[army], ControlState::Held(dataset.actor_id("army").expect("army")));
    assert!((boosts.into[k + army] - 8.2021).abs() < 1e-3, "earlier boundary: {}", boosts.into[k + army]);
    assert!((boosts.into[2 * k + army] - 21.1829).abs() < 1e-3, "last day: {}", boosts.into[2 * k + army]);
    // The event's total pull is that of LR spread by the prior alone.
    let pull: f64 = 0.216687 * (boosts.into[k + army] + boosts.into[2 * k + army]);
    assert!((pull - 0.292515 * 21.7677).abs() < 1e-3, "pull {pull}");
}

// ---------------------------------------------------------------------------
// 4. EM on cases solved by hand.

fn accuracy_of(result: &super::Reconciliation, dataset: &Dataset, source: &str) -> f64 {
    let id = dataset.source_id(source).expect("the source exists");
    result.sources()[id.as_usize()].accuracy
}

#[test]
fn hard_em_reaches_the_fixed_point_derived_by_hand() {
    // Hard EM (em_hardness 1): a claim counts 1 when the most likely state
    // agrees with it over its window, else 0. Every location has one
    // segment, no events, and a clear majority, so the most likely states
    // are fixed from the first iteration on: rebels at the hill, the army in
    // the town, contested at the bridge. Every claim below is non-serving
    // (independent sources, or affiliated ones conceding the other side or
    // reporting fighting), so its tally is (weight·agree, weight).
    //
    // Weights (certainty exponents): reported 1, confirmed 1.2, claimed
    // 0.7, unverified 0.4.
    //
    //   wire : h1 (1, agrees), t1 (1, agrees), b1 (1, agrees)      → Σw·agree 3,   Σw 3
    //   ngo  : h2 (1.2, agrees), h5 denies h4 (1, agrees: not army
    //          at the hill), b2 (1, agrees)                         → 3.2,  3.2
    //   blog : h4 (1, disagrees), t2 (0.4, agrees)                  → 0.4,  1.4
    //   tv   : h3 (0.7, agrees), b3 (1, agrees)                     → 1.7,  1.7
    //   radio: t3 (1, agrees), b4 (1, disagrees)                    → 1,    2
    //
    // Groups (m = g = 10; defaults: independent 0.8, affiliated 0.75),
    // group mean = (g·default + Σ group's Σw·agree)/(g + Σ group's Σw):
    //   independent (wire, ngo, blog, its own prior notwithstanding):
    //       (8 + 6.6)/(10 + 7.6) = 14.6/17.6 = 0.829545...
    //   army (tv):    (7.5 + 1.7)/(10 + 1.7) = 9.2/11.7 = 0.786324...
    //   rebels (radio): (7.5 + 1)/(10 + 2)   = 8.5/12   = 0.708333...
    // Accuracy = (m·prior + Σw·agree)/(m + Σw), prior = the group mean, or
    // the source's own prior (blog: 0.7):
    //   wire  = (10·14.6/17.6 + 3)/13      = 0.869930...
    //   ngo   = (10·14.6/17.6 + 3.2)/13.2  = 0.870868...
    //   blog  = (10·0.7 + 0.4)/11.4        = 0.649122...
    //   tv    = (10·9.2/11.7 + 1.7)/11.7   = 0.817371...
    //   radio = (10·8.5/12 + 1)/12         = 0.673611...
    // The second iteration finds the same most likely states, hence the same
    // tallies: EM stops there, converged.
    // Shared with tests/priors.rs, which gives blog a prior strength.
    let dataset = dataset(include_str!("../../tests/data/em_by_hand.json"));
    let config = Config { em_hardness: 1.0, learn_change_rate: false, ..Config::default() };
    let result = reconcile(&dataset, &config);
    let group_independent = 14.6 / 17.6;
    let expected = [
        ("wire", (10.0 * group_independent + 3.0) / 13.0),
        ("ngo", (10.0 * group_independent + 3.2) / 13.2),
        ("blog", (10.0 * 0.7 + 0.4) / 11.4),
        ("tv", (10.0 * 9.2 / 11.7 + 1.7) / 11.7),
        ("radio", (10.0 * 8.5 / 12.0 + 1.0) / 12.0),
    ];
    for (source, accuracy) in expected {
        let got = accuracy_of(&result, &dataset, source);
        assert!((got - accuracy).abs() < 1e-6, "{source}: accuracy {got}, derived by hand {accuracy}");
    }
    assert!(result.converged());
    assert_eq!(result.iterations(), 2, "the fixed point is reached at the first M-step");
}

#[test]
fn one_soft_em_step_gives_the_accuracies_derived_by_hand() {
    // Soft EM (em_hardness 0), one iteration (max_iterations 1): the
    // accuracies are one M-step from the priors, on the posteriors the
    // priors give. Each location has one claim and one segment; its states
    // are [army, rebels, contested] and the initial distribution before any
    // learning is (2, 2, 2)/6 (no lead-in: the first claim is a state).
    //
    // Field: wire (independent, a = 0.8) says the army holds it. The
    // likelihoods are 0.8 for army, 0.1 for the others:
    //   P(army) = (2·0.8)/(2·0.8 + 2·0.1 + 2·0.1) = 1.6/2.0 = 0.8
    // a non-serving claim, tallied (P(army), 1).
    //
    // Depot: tv (army, a = 0.75, b = 0.2) says the army holds it, which
    // serves its side: likelihoods b + (1 − b)·honest, 0.2 + 0.8·0.75 = 0.8
    // for army and 0.2 + 0.8·0.125 = 0.3 for the others:
    //   P(army) = (2·0.8)/(2·0.8 + 2·0.3 + 2·0.3) = 1.6/2.8 = 0.571428...
    // The tally counts the honest branch only: right = P·(1 − b)·a/0.8 =
    // P·0.75, wrong = (1 − P)·(1 − b)·0.125/0.3 = (1 − P)·1/3; the source's
    // (right, right + wrong).
    //
    // M-step (m = g = 10): wire's group mean (8 + P₁)/(10 + 1), its accuracy
    // (10·mean + P₁)/(10 + 1); tv's group mean (7.5 + right)/(10 + h), its
    // accuracy (10·mean + right)/(10 + h), h = right + wrong.
    let dataset = dataset(
        r#"{
  "actors": [{"id": "army"}, {"id": "rebels"}],
  "sources": [{"id": "wire"}, {"id": "tv", "affiliation": "army"}],
  "locations": [{"id": "field"}, {"id": "depot"}],
  "claims": [
    {"id": "f", "source": "wire", "location": "field", "asserts": {"holds": "army"}, "when": "2014-03-01"},
    {"id": "d", "source": "tv", "location": "depot", "asserts": {"holds": "army"}, "when": "2014-03-01"}
  ]}"#,
    );
    let config = Config { em_hardness: 0.0, max_iterations: 1, learn_change_rate: false, ..Config::default() };
    let result = reconcile(&dataset, &config);
    assert_eq!(result.iterations(), 1);

    let p1 = 1.6 / 2.0;
    let wire_mean = (8.0 + p1) / 11.0;
    let wire = (10.0 * wire_mean + p1) / 11.0;
    let p2 = 1.6 / 2.8;
    let (right, wrong) = (p2 * 0.75, (1.0 - p2) / 3.0);
    let tv_mean = (7.5 + right) / (10.0 + right + wrong);
    let tv = (10.0 * tv_mean + right) / (10.0 + right + wrong);
    for (source, accuracy) in [("wire", wire), ("tv", tv)] {
        let got = accuracy_of(&result, &dataset, source);
        assert!((got - accuracy).abs() < 1e-6, "{source}: accuracy {got}, derived by hand {accuracy}");
    }
    // The final pass: the initial distribution learned once from the first
    // posteriors (every state 2 + Σ P: neither location starts with a
    // lead-in) and the learned accuracies give each claim's agreement,
    // P(army) at its location.
    let p1_other = 0.2 / 2.0;
    let p2_other = 0.6 / 2.8;
    let army = 2.0 + p1 + p2;
    let others = 2.0 * (2.0 + p1_other + p2_other);
    let field = army * wire / (army * wire + others * (1.0 - wire) / 2.0);
    let (tv_in, tv_out) = (0.2 + 0.8 * tv, 0.2 + 0.8 * (1.0 - tv) / 2.0);
    let depot = army * tv_in / (army * tv_in + others * tv_out);
    for (claim, expected) in [("f", field), ("d", depot)] {
        let id = dataset.claim_id(claim).expect("the claim exists");
        let got = result.agreement(id).expect("the claim gives evidence");
        assert!((got - expected).abs() < 1e-6, "claim {claim}: agreement {got}, derived by hand {expected}");
    }
}

// ---------------------------------------------------------------------------
// The second side of a location where one side is claimed.

#[test]
fn a_lone_capture_is_taken_from_the_side_its_captor_usually_captures_from() {
    // Sides a, b, c (ids in that order). Elsewhere a captures from c once,
    // and follows b once by a mere hold: captures come first, so a's usual
    // opponent is c, not b (the first side by id after a), and the hill,
    // where only "a captured" is claimed, is modelled with a, c, contested.
    let dataset = dataset(
        r#"{
  "actors": [{"id": "a"}, {"id": "b"}, {"id": "c"}],
  "sources": [{"id": "wire"}],
  "locations": [{"id": "hill"}, {"id": "x"}, {"id": "y"}],
  "claims": [
    {"id": "x1", "source": "wire", "location": "x", "asserts": {"holds": "c"}, "when": "2014-03-01"},
    {"id": "x2", "source": "wire", "location": "x", "asserts": {"captured": "a"}, "when": "2014-03-02"},
    {"id": "y1", "source": "wire", "location": "y", "asserts": {"holds": "b"}, "when": "2014-03-01"},
    {"id": "y2", "source": "wire", "location": "y", "asserts": {"holds": "a"}, "when": "2014-03-05"},
    {"id": "h1", "source": "wire", "location": "hill", "asserts": {"captured": "a"}, "when": "2014-03-03"}
  ]}"#,
    );
    let held = |id: &str| ControlState::Held(dataset.actor_id(id).expect("a side"));
    assert_eq!(model_of(&dataset, "hill").states, vec![held("a"), held("c"), ControlState::Contested]);
    // Without any capture by a, the claims' order alone decides: at y, a
    // follows b.
    let holds_only = dataset_without(&dataset, "x2");
    let rivals = super::observe::Rivals::of(&holds_only);
    assert_eq!(rivals.opponent_of(holds_only.actor_id("a").expect("a")), holds_only.actor_id("b"));
}

/// The dataset without one claim.
fn dataset_without(dataset: &Dataset, claim: &str) -> Dataset {
    let mut document = dataset.to_document();
    document.claims.retain(|c| c.id != claim);
    match Dataset::from_document(document) {
        Ok(dataset) => dataset,
        Err(error) => panic!("test dataset does not validate: {error}"),
    }
}

#[test]
fn a_first_report_of_fighting_is_a_change_from_a_held_lead_in() {
    // Two places held by the army elsewhere teach the initial distribution
    // that places start with the army. At the hill the first claim is
    // "contested" (the fighting reached it), then the rebels capture it; at
    // the ridge "contested" is the only claim.
    let dataset = dataset(
        r#"{
  "actors": [{"id": "army"}, {"id": "rebels"}],
  "sources": [{"id": "wire"}],
  "locations": [{"id": "hill"}, {"id": "ridge"}, {"id": "x"}, {"id": "y"}],
  "claims": [
    {"id": "x1", "source": "wire", "location": "x", "asserts": {"holds": "army"}, "when": "2014-03-01"},
    {"id": "y1", "source": "wire", "location": "y", "asserts": {"holds": "army"}, "when": "2014-03-01"},
    {"id": "h1", "source": "wire", "location": "hill", "asserts": "contested", "when": "2014-03-02"},
    {"id": "h2", "source": "wire", "location": "hill", "asserts": {"captured": "rebels"}, "when": "2014-03-10"},
    {"id": "r1", "source": "wire", "location": "ridge", "asserts": "contested", "when": "2014-03-02"}
  ]}"#,
    );
    let hill = model_of(&dataset, "hill");
    // The lead-in: a day before the first claim, observed from the start.
    assert!(hill.lead_in && hill.lead_in_held && hill.first_observed == 0);
    assert_eq!(hill.cuts[1] - hill.cuts[0], chrono::TimeDelta::days(1));
    // The report of fighting is a change into contested across the lead-in's boundary.
    let contested = hill.states.len() - 1;
    assert!(hill.transitions.iter().any(|t| t.into && t.state == contested && (t.first, t.end) == (1, 2)));
    let result = reconcile(&dataset, &Config::default());
    let id = |l: &str| dataset.location_id(l).expect("a location");
    let army = dataset.actor_id("army").expect("army");
    let rebels = dataset.actor_id("rebels").expect("rebels");
    // The capture out of the fighting is a change from the lead-in's holder.
    let reversals = &result.timeline(id("hill")).reversals;
    assert_eq!(reversals.len(), 1, "{reversals:?}");
    assert_eq!((reversals[0].from, reversals[0].to), (army, rebels));
    // A lone report of fighting is not outweighed by the held lead-in.
    let ridge = result.timeline(id("ridge"));
    let day = ridge.segments.iter().find(|s| s.support.iter().any(|&c| dataset.claim(c).id() == "r1"));
    assert!(day.is_some_and(|s| s.state == ControlState::Contested && s.confidence > 0.5), "{ridge:?}");
}

#[test]
fn a_reported_hold_amid_reports_of_fighting_stands_when_fighting_is_read_as_compatible_with_it() {
    // Aleppo's state radio and TV station: the article calls it contested on
    // 23 July, says the army holds it from 3 to 5 August, and calls it
    // contested again on 13 August (`data/aleppo-2012.json`; the expected end
    // state on 5 August is the army's). Fighting at a place does not say
    // that nobody holds it: with the default share of reports of fighting
    // made at a held place, the army holds it on 5 August; read as excluding
    // every hold (0), the reports of fighting around the hold outweigh it.
    let dataset = crate::data::aleppo_2012();
    let station = dataset.location_id("state-tv-station").expect("the station");
    let army = ControlState::Held(dataset.actor_id("government").expect("the government"));
    let on_5_august = |config: &Config| {
        let result = reconcile(&dataset, config);
        let t = "2012-08-05T12:00:00Z".parse().expect("a time");
        crate::score::state_at(result.timeline(station), t)
    };
    let default = Config::default();
    assert!(default.contested_while_held > 0.0);
    let exclusive = Config { contested_while_held: 0.0, ..Config::default() };
    assert_eq!((on_5_august(&default), on_5_august(&exclusive)), (army, ControlState::Contested));
}
