//! The HTML report: one self-contained file (CSS, script and data inline,
//! no network) with a map of the located places and a day slider, the SVG
//! timeline, the contradictions in words, the source table with grades, and
//! each segment's claims with their quotes and cites. Rendered with a
//! `minijinja` template, which escapes every text.
//!
//! Bounded like the SVG timeline (one page of locations), and within a
//! page: at most [`svg::LISTED_SEGMENTS`] segments listed per location,
//! [`CLAIMS_LISTED`] claims per side of a segment, [`ROWS`] contradictions
//! and sources, [`DAYS`] steps of the slider. The report says what it
//! leaves out.

use super::map;
use super::palette;
use super::select;
use super::svg::{self, to_io};
use super::Options;
use crate::analysis::Analysis;
use crate::describe;
use crate::graph::ContradictionKind;
use crate::model::{ClaimId, ControlState};
use crate::report::round4;
use crate::Dataset;
use chrono::TimeDelta;
use serde::Serialize;

/// Claims listed per side (support, dissent) of a segment.
const CLAIMS_LISTED: usize = 8;
/// Contradictions listed, and sources listed.
const ROWS: usize = 1000;
/// Steps of the day slider at most (longer spans step by several days).
const DAYS: i64 = 2000;

const TEMPLATE: &str = include_str!("templates/report.html.j2");

#[derive(Serialize)]
struct ClaimView {
    id: String,
    line: String,
    certainty: String,
    cite: Option<String>,
    quote: Option<String>,
}

#[derive(Serialize)]
struct ClaimList {
    claims: Vec<ClaimView>,
    more: usize,
}

#[derive(Serialize)]
struct SegmentView {
    anchor: String,
    span: String,
    state: String,
    colour: String,
    confidence: String,
    basis: &'static str,
    support: ClaimList,
    dissent: ClaimList,
}

#[derive(Serialize)]
struct LocationView {
    id: String,
    name: String,
    segments: Vec<SegmentView>,
    more_segments: usize,
}

#[derive(Serialize)]
struct ContradictionView {
    location: String,
    kind: &'static str,
    words: String,
    favoured: String,
}

#[derive(Serialize)]
struct SourceView {
    id: String,
    name: String,
    side: String,
    colour: String,
    grade: String,
    reliability: String,
    claims: usize,
    agreeing: usize,
    accuracy: String,
    self_serving: String,
}

/// A place on the map, with its state at each step of the slider as runs
/// `[first step, state index, confidence]`.
#[derive(Serialize)]
struct Place {
    id: String,
    name: String,
    x: f64,
    y: f64,
    runs: Vec<(usize, usize, f64)>,
}

/// A state the map can show: its words and colour.
#[derive(Serialize)]
struct MapState {
    label: String,
    colour: String,
}

/// The data the page's script reads.
#[derive(Serialize)]
struct Data {
    days: Vec<String>,
    states: Vec<MapState>,
    places: Vec<Place>,
    locations: Vec<PageLocation>,
}

#[derive(Serialize)]
struct PageLocation {
    id: String,
    located: bool,
}

fn claim_list(dataset: &Dataset, ids: &[ClaimId]) -> ClaimList {
    let claims = ids
        .iter()
        .take(CLAIMS_LISTED)
        .map(|&c| {
            let claim = dataset.claim(c);
            ClaimView {
                id: claim.id().to_owned(),
                line: describe::claim_line(dataset, claim),
                certainty: claim.certainty().to_string(),
                cite: claim.cite().map(str::to_owned),
                quote: claim.quote().map(str::to_owned),
            }
        })
        .collect();
    ClaimList { claims, more: ids.len().saturating_sub(CLAIMS_LISTED) }
}

/// Writes the report of the page `options` asks for.
pub(crate) fn write(analysis: &Analysis<'_>, options: &Options, out: &mut impl std::io::Write) -> std::io::Result<()> {
    let dataset = analysis.dataset();
    let rec = analysis.reconciliation();
    let page = select::page(analysis, options)?;
    let mut timeline_svg = Vec::new();
    svg::render(&svg::timeline(analysis, &page, true), &mut timeline_svg)?;
    let timeline_svg = String::from_utf8(timeline_svg).map_err(std::io::Error::other)?;

    // The slider's days, from the first day of the span to its last.
    let (lo, hi) = svg::span(analysis, &page.locations);
    let first_day = lo.date_naive().and_time(chrono::NaiveTime::MIN).and_utc();
    let days_total = (hi - first_day).num_days() + 1;
    let step = (days_total + DAYS - 1) / DAYS;
    let mut days = Vec::new();
    let mut instants = Vec::new();
    let mut k = 0;
    while k < days_total.max(1) {
        let Some(t) = TimeDelta::try_days(k).and_then(|d| first_day.checked_add_signed(d)) else { break };
        if t >= hi && !instants.is_empty() {
            break;
        }
        days.push(describe::instant(t));
        instants.push(t);
        k += step.max(1);
    }
    // The map's states: unknown, contested, then the sides.
    let mut states = vec![
        MapState { label: "unknown".into(), colour: "#ffffff".into() },
        MapState { label: "contested".into(), colour: palette::CONTESTED.into() },
    ];
    for &side in dataset.sides() {
        states.push(MapState {
            label: format!("held by {}", dataset.actor(side).name()),
            colour: palette::actor_colour(dataset, side),
        });
    }
    let located: Vec<_> = page.locations.iter().filter_map(|&l| dataset.location(l).coords().map(|c| (l, c))).collect();
    let points: Vec<[f64; 2]> = located.iter().map(|(_, c)| *c).collect();
    let (positions, tiles) = map::layout(&points, options.tiles.as_deref());
    let places = located
        .iter()
        .zip(positions)
        .map(|(&(l, _), (x, y))| {
            let timeline = rec.timeline(l);
            let mut runs: Vec<(usize, usize, f64)> = Vec::new();
            for (i, &t) in instants.iter().enumerate() {
                let (state, confidence) = match timeline.segment_at(t) {
                    Some(s) => (
                        match s.state {
                            ControlState::Unknown => 0,
                            ControlState::Contested => 1,
                            ControlState::Held(side) => 2 + dataset.sides().binary_search(&side).unwrap_or(0),
                        },
                        (s.confidence * 100.0).round() / 100.0,
                    ),
                    None => (0, 0.0),
                };
                if runs.last().is_none_or(|&(_, s, c)| s != state || c != confidence) {
                    runs.push((i, state, confidence));
                }
            }
            let location = dataset.location(l);
            Place { id: location.id().into(), name: location.name().into(), x, y, runs }
        })
        .collect();
    let unlocated: Vec<(String, String)> = page
        .locations
        .iter()
        .filter(|&&l| dataset.location(l).coords().is_none())
        .map(|&l| (dataset.location(l).id().to_owned(), dataset.location(l).name().to_owned()))
        .collect();

    // The contradictions of the page's locations, in words.
    let mut contradictions = Vec::new();
    let mut contradictions_total = 0;
    for &l in &page.locations {
        for c in analysis.graph(l).contradictions() {
            contradictions_total += 1;
            if contradictions.len() >= ROWS {
                continue;
            }
            let favoured = match rec.favoured(c) {
                Some(f) => {
                    let claim = dataset.claim(f);
                    format!("the timeline favours {} ({})", dataset.source(claim.source()).name(), claim.id())
                }
                None => "the timeline favours neither".to_owned(),
            };
            contradictions.push(ContradictionView {
                location: dataset.location(l).name().to_owned(),
                kind: match c.kind() {
                    ContradictionKind::ConflictingControl => "two holders at once",
                    ContradictionKind::HeldVsContested => "held or contested",
                    ContradictionKind::Denial => "a denial",
                    ContradictionKind::SelfContradiction => "a source against itself",
                },
                words: c.explanation(dataset),
                favoured,
            });
        }
    }
    let sources: Vec<SourceView> = rec
        .sources()
        .iter()
        .take(ROWS)
        .map(|s| {
            let source = dataset.source(s.source);
            SourceView {
                id: source.id().into(),
                name: source.name().into(),
                side: source.side().map_or_else(|| "independent".to_owned(), |a| dataset.actor(a).name().to_owned()),
                colour: source
                    .side()
                    .map_or_else(|| palette::INDEPENDENT.to_owned(), |a| palette::actor_colour(dataset, a)),
                grade: s.grade.to_string(),
                reliability: format!("{:.2}", round4(s.reliability)),
                claims: s.claims,
                agreeing: s.agreeing,
                accuracy: format!("{:.2}", round4(s.accuracy)),
                self_serving: format!("{:.2}", round4(s.self_serving)),
            }
        })
        .collect();
    let locations: Vec<LocationView> = page
        .locations
        .iter()
        .enumerate()
        .map(|(index, &l)| {
            let timeline = rec.timeline(l);
            let segments = timeline
                .segments
                .iter()
                .take(svg::LISTED_SEGMENTS)
                .enumerate()
                .map(|(i, s)| SegmentView {
                    anchor: format!("seg-{index}-{i}"),
                    span: svg::segment_span(s),
                    state: describe::state(dataset, s.state),
                    colour: palette::state_colour(dataset, s.state),
                    confidence: format!("{:.2}", round4(s.confidence)),
                    basis: s.basis.name(),
                    support: claim_list(dataset, &s.support),
                    dissent: claim_list(dataset, &s.dissent),
                })
                .collect();
            let location = dataset.location(l);
            LocationView {
                id: location.id().into(),
                name: location.name().into(),
                segments,
                more_segments: timeline.segments.len().saturating_sub(svg::LISTED_SEGMENTS),
            }
        })
        .collect();
    let data = Data {
        days,
        states,
        places,
        locations: page
            .locations
            .iter()
            .map(|&l| PageLocation {
                id: dataset.location(l).id().into(),
                located: dataset.location(l).coords().is_some(),
            })
            .collect(),
    };
    let unplaced = analysis.unplaced();
    let contradictions_more = contradictions_total - contradictions.len();
    let mut env = svg::environment();
    env.add_template("report.html", TEMPLATE).map_err(to_io)?;
    let template = env.get_template("report.html").map_err(to_io)?;
    let context = minijinja::context! {
        title => "frontline report",
        as_of => analysis.as_of().map(|t| t.to_string()),
        claims => analysis.total_claims(),
        placed => analysis.total_claims() - unplaced.len(),
        unplaced => unplaced,
        locations_total => page.total,
        page_locations => page.locations.len(),
        step => step,
        timeline => minijinja::Value::from_safe_string(timeline_svg),
        map_w => map::WIDTH,
        map_h => map::HEIGHT,
        tiles => tiles,
        tile_source => options.tiles.as_deref(),
        unlocated => unlocated,
        contradictions => contradictions,
        contradictions_more => contradictions_more,
        sources => sources,
        sources_more => rec.sources().len().saturating_sub(ROWS),
        locations => locations,
        claims_listed => CLAIMS_LISTED,
        data => data,
    };
    template.render_captured_to(context, &mut *out).map_err(to_io)?;
    out.write_all(b"\n")
}
