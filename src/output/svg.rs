//! The SVG timeline: one lane per location, a colour per side, `contested`
//! hatched, `unknown` blank, confidence as opacity, the basis as the bar's
//! height, reversals marked, each claim a tick coloured by its source's
//! side, a time axis. Rendered with a `minijinja` template, which escapes
//! every text.
//!
//! It stays bounded whatever the input: one page of locations (see
//! [`Options`]), and per lane at most one bar per pixel column (each column
//! shows the segment at its middle instant), one tick per pixel column and
//! colour, one reversal mark per pixel column. What is left out is counted
//! in the picture's notes.

use super::palette;
use super::select::{self, Page};
use super::Options;
use crate::analysis::Analysis;
use crate::describe;
use crate::model::{ActorId, ControlState, LocationId};
use crate::reconcile::{Basis, Segment};
use crate::report::round4;
use chrono::{DateTime, TimeDelta, Utc};
use minijinja::{AutoEscape, Environment};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// The drawing's width, and where the plot runs.
const WIDTH: u32 = 1200;
const PLOT_X: u32 = 250;
const PLOT_W: u32 = 920;
/// A lane's height.
const LANE_H: u32 = 32;
/// How many sides the legend names before it says "and n more".
const LEGEND_SIDES: usize = 24;
/// How many segments per lane the HTML report lists with their claims
/// (and links from the bars).
pub(super) const LISTED_SEGMENTS: usize = 100;

const TEMPLATE: &str = include_str!("templates/timeline.svg.j2");

/// A bar: a run of pixel columns showing one segment.
#[derive(Serialize)]
struct Bar {
    x: u32,
    y: f64,
    w: u32,
    h: f64,
    fill: String,
    opacity: f64,
    hatched: bool,
    blank: bool,
    title: String,
    href: Option<String>,
}

/// A claim tick or a reversal mark.
#[derive(Serialize)]
struct Mark {
    x: f64,
    colour: String,
    title: String,
}

#[derive(Serialize)]
struct Lane {
    id: String,
    name: String,
    full_name: String,
    caption: String,
    y: u32,
    bars: Vec<Bar>,
    ticks: Vec<Mark>,
    reversals: Vec<Mark>,
}

#[derive(Serialize)]
struct AxisTick {
    x: f64,
    label: String,
}

#[derive(Serialize)]
struct LegendItem {
    x: u32,
    y: u32,
    kind: &'static str,
    colour: String,
    label: String,
}

/// Everything the template draws.
#[derive(Serialize)]
pub(super) struct Timeline {
    width: u32,
    height: u32,
    plot_x: u32,
    plot_end: u32,
    lanes_top: u32,
    lanes_bottom: u32,
    title: String,
    notes: Vec<String>,
    summary: Vec<String>,
    legend: Vec<LegendItem>,
    axis: Vec<AxisTick>,
    lanes: Vec<Lane>,
}

fn seconds(t: DateTime<Utc>) -> f64 {
    t.timestamp() as f64 + f64::from(t.timestamp_subsec_nanos()) / 1e9
}

/// The time span the plot covers: from the first segment or claim to the
/// last end of a segment, claim or reversal (an open last segment gets a day).
pub(super) fn span(analysis: &Analysis<'_>, locations: &[LocationId]) -> (DateTime<Utc>, DateTime<Utc>) {
    let dataset = analysis.dataset();
    let mut lo: Option<DateTime<Utc>> = None;
    let mut hi: Option<DateTime<Utc>> = None;
    let mut see = |t: DateTime<Utc>| {
        lo = Some(lo.map_or(t, |l| l.min(t)));
        hi = Some(hi.map_or(t, |h| h.max(t)));
    };
    for &l in locations {
        let timeline = analysis.reconciliation().timeline(l);
        for s in timeline.segments.first().into_iter().chain(timeline.segments.last()) {
            see(s.from);
            match s.to {
                Some(to) => see(to),
                None => see(s.from.checked_add_signed(TimeDelta::days(1)).unwrap_or(s.from)),
            }
        }
        for &c in dataset.claims_at(l) {
            let w = dataset.claim(c).window();
            see(w.start());
            see(w.end());
        }
    }
    let lo = lo.unwrap_or(DateTime::<Utc>::UNIX_EPOCH);
    let hi = hi.unwrap_or(lo);
    let hi = if hi <= lo { lo.checked_add_signed(TimeDelta::days(1)).unwrap_or(DateTime::<Utc>::MAX_UTC) } else { hi };
    (lo, hi)
}

/// Maps instants to x, within the plot.
#[derive(Clone, Copy)]
pub(super) struct Scale {
    t0: f64,
    t1: f64,
}

impl Scale {
    pub(super) fn new((lo, hi): (DateTime<Utc>, DateTime<Utc>)) -> Scale {
        Scale { t0: seconds(lo), t1: seconds(hi).max(seconds(lo) + 1.0) }
    }

    /// The x of an instant, clamped to the plot, to 0.1 px.
    fn x(self, t: DateTime<Utc>) -> f64 {
        let share = ((seconds(t) - self.t0) / (self.t1 - self.t0)).clamp(0.0, 1.0);
        ((f64::from(PLOT_X) + share * f64::from(PLOT_W)) * 10.0).round() / 10.0
    }

    /// The pixel column of an instant.
    fn column(self, t: DateTime<Utc>) -> u32 {
        let share = ((seconds(t) - self.t0) / (self.t1 - self.t0)).clamp(0.0, 1.0);
        ((share * f64::from(PLOT_W)) as u32).min(PLOT_W - 1)
    }

    /// The middle instant of a pixel column.
    fn middle(self, column: u32) -> f64 {
        self.t0 + (f64::from(column) + 0.5) / f64::from(PLOT_W) * (self.t1 - self.t0)
    }
}

/// A segment's span in words.
pub(super) fn segment_span(s: &Segment) -> String {
    let to = s.to.map(describe::instant).unwrap_or_else(|| "…".to_owned());
    format!("{} → {}", describe::instant(s.from), to)
}

fn bar_height(basis: Basis) -> f64 {
    match basis {
        Basis::Assessed => 18.0,
        Basis::Claimed => 12.0,
        Basis::Inferred => 6.0,
    }
}

/// `1 claim`, `2 claims`.
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

fn truncate(text: &str, chars: usize) -> String {
    if text.chars().count() <= chars {
        text.to_owned()
    } else {
        let mut short: String = text.chars().take(chars.saturating_sub(1)).collect();
        short.push('…');
        short
    }
}

/// The lane of one location; counts what it could not draw separately.
fn lane(analysis: &Analysis<'_>, l: LocationId, index: usize, y: u32, scale: Scale, links: bool) -> (Lane, usize) {
    let dataset = analysis.dataset();
    let timeline = analysis.reconciliation().timeline(l);
    let location = dataset.location(l);
    let bar_middle = f64::from(y) + 13.0;
    // One sample per pixel column; runs of the same segment become one bar.
    let mut bars = Vec::new();
    let mut drawn = BTreeSet::new();
    let mut next = 0usize;
    let mut run: Option<(usize, u32, u32)> = None;
    let segments = &timeline.segments;
    let flush = |run: Option<(usize, u32, u32)>, bars: &mut Vec<Bar>| {
        let Some((i, first, last)) = run else { return };
        let Some(s) = segments.get(i) else { return };
        let h = bar_height(s.basis);
        bars.push(Bar {
            x: PLOT_X + first,
            y: bar_middle - h / 2.0,
            w: last - first + 1,
            h,
            fill: palette::state_colour(dataset, s.state),
            opacity: round4(if s.state == ControlState::Unknown { 1.0 } else { 0.25 + 0.75 * s.confidence }),
            hatched: s.state == ControlState::Contested,
            blank: s.state == ControlState::Unknown,
            title: format!(
                "{}: {}: {} ({:.2}, {}); {} supporting, {} dissenting claims",
                location.name(),
                segment_span(s),
                describe::state(dataset, s.state),
                round4(s.confidence),
                s.basis.name(),
                s.support.len(),
                s.dissent.len()
            ),
            href: (links && i < LISTED_SEGMENTS).then(|| format!("#seg-{index}-{i}")),
        });
    };
    for column in 0..PLOT_W {
        let t = scale.middle(column);
        while segments.get(next).is_some_and(|s| s.to.is_some_and(|to| seconds(to) <= t)) {
            next += 1;
        }
        let here = segments.get(next).filter(|s| seconds(s.from) <= t).map(|_| next);
        match (here, run) {
            (Some(i), Some((j, first, _))) if i == j => run = Some((i, first, column)),
            (Some(i), _) => {
                flush(run.take(), &mut bars);
                drawn.insert(i);
                run = Some((i, column, column));
            }
            (None, _) => flush(run.take(), &mut bars),
        }
    }
    flush(run, &mut bars);
    let hidden = segments.len() - drawn.len();
    // Claim ticks: one per pixel column and colour.
    let mut ticks: BTreeMap<(u32, String), (usize, String)> = BTreeMap::new();
    for &c in dataset.claims_at(l) {
        let claim = dataset.claim(c);
        let colour = dataset
            .source(claim.source())
            .side()
            .map_or_else(|| palette::INDEPENDENT.to_owned(), |side| palette::actor_colour(dataset, side));
        let entry = ticks.entry((scale.column(claim.window().start()), colour)).or_insert((0, String::new()));
        if entry.0 == 0 {
            entry.1 = describe::claim_line(dataset, claim);
        }
        entry.0 += 1;
    }
    let ticks = ticks
        .into_iter()
        .map(|((column, colour), (count, first))| Mark {
            x: f64::from(PLOT_X + column) + 0.5,
            colour,
            title: if count == 1 { first } else { format!("{first} (and {} more here)", count - 1) },
        })
        .collect();
    let mut reversals: BTreeMap<u32, String> = BTreeMap::new();
    for r in &timeline.reversals {
        let words =
            format!("{}: {} → {}", describe::instant(r.at), dataset.actor(r.from).name(), dataset.actor(r.to).name());
        reversals
            .entry(scale.column(r.at))
            .and_modify(|w| {
                w.push_str("; ");
                w.push_str(&words);
            })
            .or_insert(words);
    }
    let reversals = reversals
        .into_iter()
        .map(|(column, title)| Mark { x: f64::from(PLOT_X + column), colour: "#000000".into(), title })
        .collect();
    let caption = format!(
        "{} · {} · {}",
        count(dataset.claims_at(l).len(), "claim"),
        count(timeline.reversals.len(), "reversal"),
        count(analysis.graph(l).contradictions().len(), "contradiction")
    );
    let lane = Lane {
        id: location.id().to_owned(),
        name: truncate(location.name(), 30),
        full_name: format!("{} ({})", location.name(), location.id()),
        caption,
        y,
        bars,
        ticks,
        reversals,
    };
    (lane, hidden)
}

/// The axis ticks: a round step (days, months, years) giving at most ten.
fn axis(scale: Scale, (lo, hi): (DateTime<Utc>, DateTime<Utc>)) -> Vec<AxisTick> {
    let days = (seconds(hi) - seconds(lo)) / 86_400.0;
    let steps = [1.0, 2.0, 7.0, 14.0, 30.0, 91.0, 182.0, 365.0, 730.0, 1826.0, 3652.0];
    let step = steps.into_iter().find(|s| days / s <= 10.0).unwrap_or_else(|| (days / 10.0).ceil());
    let yearly = step >= 365.0;
    let start = lo.date_naive();
    let mut ticks = Vec::new();
    for k in 0..=11 {
        let offset = TimeDelta::try_days((step * f64::from(k)) as i64);
        let Some(date) = offset.and_then(|d| start.checked_add_signed(d)) else { break };
        let t = date.and_time(chrono::NaiveTime::MIN).and_utc();
        if t < lo || t > hi {
            continue;
        }
        let label = if yearly { date.format("%Y").to_string() } else { date.format("%-d %b %Y").to_string() };
        ticks.push(AxisTick { x: scale.x(t), label });
    }
    ticks
}

/// The sides that the page's lanes show (states held, sources' sides).
fn sides_shown(analysis: &Analysis<'_>, locations: &[LocationId]) -> BTreeSet<ActorId> {
    let dataset = analysis.dataset();
    let mut sides = BTreeSet::new();
    for &l in locations {
        for s in &analysis.reconciliation().timeline(l).segments {
            if let ControlState::Held(side) = s.state {
                sides.insert(side);
            }
        }
        for &c in dataset.claims_at(l) {
            if let Some(side) = dataset.source(dataset.claim(c).source()).side() {
                sides.insert(side);
            }
        }
    }
    sides
}

fn legend(analysis: &Analysis<'_>, locations: &[LocationId], top: u32) -> (Vec<LegendItem>, u32) {
    let dataset = analysis.dataset();
    let sides = sides_shown(analysis, locations);
    let mut items: Vec<(&'static str, String, String)> = sides
        .iter()
        .take(LEGEND_SIDES)
        .map(|&s| {
            ("side", palette::actor_colour(dataset, s), format!("held by {}", truncate(dataset.actor(s).name(), 30)))
        })
        .collect();
    if sides.len() > LEGEND_SIDES {
        items.push(("note", String::new(), format!("and {} more sides", sides.len() - LEGEND_SIDES)));
    }
    items.push(("contested", palette::CONTESTED.to_owned(), "contested".to_owned()));
    items.push(("unknown", String::new(), "unknown (before any claim)".to_owned()));
    items.push(("assessed", "#777777".to_owned(), "assessed: tall bar".to_owned()));
    items.push(("claimed", "#777777".to_owned(), "claimed: medium bar".to_owned()));
    items.push(("inferred", "#777777".to_owned(), "inferred: short bar".to_owned()));
    items.push(("opacity", "#777777".to_owned(), "paler: lower confidence".to_owned()));
    items.push(("reversal", "#000000".to_owned(), "reversal (change of holder)".to_owned()));
    items.push(("tick", palette::INDEPENDENT.to_owned(), "claim by an independent source".to_owned()));
    items.push(("tick", "#999999".to_owned(), "claim tick: its source's side colour".to_owned()));
    let per_row = 4u32;
    let mut out = Vec::new();
    let mut rows = 0;
    for (i, (kind, colour, label)) in items.into_iter().enumerate() {
        let i = i as u32;
        rows = i / per_row + 1;
        out.push(LegendItem { x: 20 + (i % per_row) * 290, y: top + (i / per_row) * 20, kind, colour, label });
    }
    (out, top + rows * 20)
}

/// The drawing of one page.
pub(super) fn timeline(analysis: &Analysis<'_>, page: &Page, links: bool) -> Timeline {
    let range = span(analysis, &page.locations);
    let scale = Scale::new(range);
    let mut notes = Vec::new();
    let last = page.first + page.locations.len().saturating_sub(1);
    let order = "ordered by volatility: reversals, then contradictions, then claims";
    notes.push(if page.pages > 1 {
        format!(
            "Locations {}–{} of {} shown ({order}); page {} of {}: the others are on the other pages.",
            page.first, last, page.selected, page.page, page.pages
        )
    } else {
        format!("{}, {order}.", count(page.locations.len(), "location"))
    });
    if page.selected < page.total {
        notes.push(format!(
            "{} of the dataset's {} locations selected by the location filter.",
            page.selected, page.total
        ));
    }
    if let Some(t) = analysis.as_of() {
        notes.push(format!("As of {t}: only the claims reported by then."));
    }
    let (legend, legend_end) = legend(analysis, &page.locations, 62 + 16 * notes.len() as u32);
    let lanes_top = legend_end + 34;
    let mut lanes = Vec::new();
    let mut hidden = 0;
    for (index, &l) in page.locations.iter().enumerate() {
        let (lane, h) = lane(analysis, l, index, lanes_top + index as u32 * LANE_H, scale, links);
        hidden += h;
        lanes.push(lane);
    }
    let ticks: usize = lanes.iter().map(|l| l.ticks.len()).sum();
    let claims: usize = page.locations.iter().map(|&l| analysis.dataset().claims_at(l).len()).sum();
    let mut more = Vec::new();
    if hidden > 0 {
        more.push(format!(
            "{} narrower than a pixel not drawn separately (each pixel shows the segment at its middle).",
            count(hidden, "segment")
        ));
    }
    if ticks < claims {
        more.push(format!("{} drawn as {} (one per pixel and colour).", count(claims, "claim"), count(ticks, "tick")));
    }
    let lanes_bottom = lanes_top + page.locations.len() as u32 * LANE_H;
    let height = lanes_bottom + 24 + 16 * more.len() as u32 + 10;
    let title = format!("frontline: reconciled control of {}", count(page.locations.len(), "location"));
    Timeline {
        width: WIDTH,
        height,
        plot_x: PLOT_X,
        plot_end: PLOT_X + PLOT_W,
        lanes_top,
        lanes_bottom,
        title,
        notes,
        summary: more,
        legend,
        axis: axis(scale, range),
        lanes,
    }
}

/// The template environment of the pictures: every text is escaped.
pub(super) fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|_| AutoEscape::Html);
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env
}

/// A template error as an I/O error; a failed write keeps its kind (a
/// closed pipe stays `BrokenPipe`).
pub(super) fn to_io(error: minijinja::Error) -> std::io::Error {
    let mut kind = std::io::ErrorKind::Other;
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(&error);
    while let Some(c) = cause {
        if let Some(io) = c.downcast_ref::<std::io::Error>() {
            kind = io.kind();
            break;
        }
        cause = c.source();
    }
    std::io::Error::new(kind, error.to_string())
}

/// Renders a drawing as SVG text.
pub(super) fn render(timeline: &Timeline, out: &mut impl std::io::Write) -> std::io::Result<()> {
    let mut env = environment();
    env.add_template("timeline.svg", TEMPLATE).map_err(to_io)?;
    let template = env.get_template("timeline.svg").map_err(to_io)?;
    template.render_captured_to(minijinja::context! { t => timeline }, &mut *out).map_err(to_io)?;
    Ok(())
}

/// Writes the SVG timeline of the page `options` asks for.
pub(crate) fn write(analysis: &Analysis<'_>, options: &Options, out: &mut impl std::io::Write) -> std::io::Result<()> {
    let page = select::page(analysis, options)?;
    out.write_all(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")?;
    render(&timeline(analysis, &page, false), out)?;
    out.write_all(b"\n")
}
