//! From a location's claims to the inputs of the sequence model: elementary
//! segments, the states a location can be in, and one observation per claim.
//! None of this depends on the learned parameters, so it is built once.

use super::Config;
use crate::model::{ActorId, ClaimId, ControlState, LocationId, Meaning, SourceId, StateSet};
use crate::Dataset;
use chrono::{DateTime, Utc};

/// What one claim says about one range of elementary segments: the truth
/// is in `R`, where `R = {state}` or, when `negated`, every state but it.
#[derive(Clone, Debug)]
pub(crate) struct Observation {
    pub claim: ClaimId,
    pub source: SourceId,
    /// The source's index in [`LocationModel::sources`].
    pub slot: usize,
    /// First segment covered.
    pub first: usize,
    /// One past the last segment covered.
    pub end: usize,
    /// Index into [`LocationModel::states`].
    pub state: usize,
    pub negated: bool,
    /// The certainty exponent.
    pub weight: f64,
    /// A further factor on the observation's evidence (not on its weight in
    /// learning its source's accuracy).
    pub scale: f64,
    /// Whether `R` contains the source's own side.
    pub serving: bool,
    /// Total length of the covered segments, in days.
    pub span: f64,
    /// Whether this is the weak "before" half of an event (the state right
    /// before a capture or withdrawal); it then counts for the claim's
    /// evidence but not for its agreement.
    pub before: bool,
}

impl Observation {
    /// Whether state `x` lies in `R`.
    pub fn contains(&self, x: usize) -> bool {
        (x == self.state) != self.negated
    }

    /// `|R|` among `k` states.
    pub fn size(&self, k: usize) -> usize {
        if self.negated {
            k - 1
        } else {
            1
        }
    }
}

/// What an event claim (a capture or a withdrawal) says about the change
/// itself: a transition into (or out of) `state` at one of the boundaries
/// `first..end` (boundary `j` lies between segments `j - 1` and `j`).
#[derive(Clone, Debug)]
pub(crate) struct Transition {
    pub claim: ClaimId,
    pub source: SourceId,
    /// First boundary (at least 1).
    pub first: usize,
    /// One past the last boundary.
    pub end: usize,
    /// Index into [`LocationModel::states`].
    pub state: usize,
    /// A capture (into `state`) or a withdrawal (out of it).
    pub into: bool,
    /// The certainty exponent.
    pub weight: f64,
    /// Whether the event serves the source's own side.
    pub serving: bool,
    /// Days from the midpoint of the segment before the window to that of
    /// its last segment.
    pub span: f64,
    /// Whether the window is longer than a day ("by D"): its last segment
    /// is then its last day.
    pub ranged: bool,
    /// The relative chance of the change before the last day of a ranged
    /// window ([`Config::range_early_weight`]).
    pub early: f64,
    /// For a window over two boundaries or more: the days between the
    /// midpoints around its first boundary, the part of them inside the
    /// window (half its first segment), and those around its last boundary.
    pub steps: Option<(f64, f64, f64)>,
}

/// One location, ready for inference.
#[derive(Clone, Debug)]
pub(crate) struct LocationModel {
    pub location: LocationId,
    /// Segment boundaries: segment `i` is `[cuts[i], cuts[i + 1])`.
    pub cuts: Vec<DateTime<Utc>>,
    /// Segment lengths in days.
    pub len: Vec<f64>,
    /// The sides claimed at this location (at least two where the dataset
    /// has two; sorted), then `Contested`.
    pub states: Vec<ControlState>,
    pub observations: Vec<Observation>,
    /// What the event claims say about changes.
    pub transitions: Vec<Transition>,
    /// The first segment any observation touches; earlier ones are `unknown`.
    pub first_observed: usize,
    /// Whether the first segment is the one-day lead-in before a first
    /// claim that is an event (where the event says who did not hold it) or
    /// a report of fighting.
    pub lead_in: bool,
    /// Whether that lead-in comes before a first report of fighting (a
    /// `contested` claim): the place was held by a side before it.
    pub lead_in_held: bool,
    /// The sources of the observations, sorted, each once.
    pub sources: Vec<SourceId>,
}

impl LocationModel {
    pub fn segments(&self) -> usize {
        self.len.len()
    }

    /// Builds the model of one location: its segments, its states, then
    /// each claim placed on them.
    ///
    /// # Complexity
    ///
    /// O(n log n) for n claims.
    pub fn build(dataset: &Dataset, location: LocationId, rivals: &Rivals, config: &Config) -> LocationModel {
        let ids = dataset.claims_at(location);
        let (mut cuts, lead_in, lead_in_held) = cut_times(dataset, ids);
        cuts.shrink_to_fit();
        let origin = cuts.first().copied();
        let days = |t: DateTime<Utc>| origin.map_or(0.0, |o| days_between(o, t));
        let len: Vec<f64> = cuts.windows(2).map(|w| days(w[1]) - days(w[0])).collect();
        let states = location_states(dataset, ids, rivals);
        let mut placer =
            Placer { dataset, config, cuts: &cuts, len: &len, states: &states, lead_in_held, model: Placed::default() };
        for &id in ids {
            placer.place(id);
        }
        let Placed { mut observations, mut transitions } = placer.model;
        // Every location's model stays alive through EM: no spare capacity
        // (the observations' and cuts' was a quarter of EM's working set).
        observations.shrink_to_fit();
        transitions.shrink_to_fit();
        let first_observed = observations
            .iter()
            .map(|o| o.first)
            .chain(transitions.iter().map(|t| t.first - 1))
            .min()
            .map(|first| if lead_in { 0 } else { first })
            .unwrap_or(len.len());
        let mut sources: Vec<SourceId> = observations.iter().map(|o| o.source).collect();
        sources.sort_unstable();
        sources.dedup();
        sources.shrink_to_fit();
        for o in &mut observations {
            o.slot = sources.binary_search(&o.source).unwrap_or(0);
        }
        LocationModel {
            location,
            cuts,
            len,
            states,
            observations,
            transitions,
            first_observed,
            lead_in,
            lead_in_held,
            sources,
        }
    }
}

/// The instants that cut a location's time into elementary segments, sorted
/// and distinct, and whether the first segment is a lead-in: every claim
/// window's ends; inside windows where one source reports several outcomes,
/// as many parts; the last day of an event dated by a range; and a day
/// before a first claim that is an event or a report of fighting (and
/// whether it is the latter).
fn cut_times(dataset: &Dataset, ids: &[ClaimId]) -> (Vec<DateTime<Utc>>, bool, bool) {
    let day = chrono::TimeDelta::days(1);
    let mut cuts: Vec<DateTime<Utc>> = Vec::with_capacity(ids.len() * 2);
    for &id in ids {
        let window = dataset.claim(id).window();
        cuts.push(window.start());
        cuts.push(window.end());
    }
    // A source that reports events of different outcomes in one window
    // ("taken in the morning, lost in the afternoon") reports a sequence
    // inside it (a source does not contradict itself in one breath): cut
    // that window into as many parts as outcomes, so that the chain can
    // change hands that many times inside it, in whichever order the
    // evidence around it prefers.
    type Outcome = Option<(bool, ControlState)>;
    let mut events: Vec<(DateTime<Utc>, DateTime<Utc>, SourceId, Outcome)> = ids
        .iter()
        .map(|&id| dataset.claim(id))
        .filter_map(|claim| {
            let meaning = dataset.meaning(claim);
            let outcome = meaning.after().map(|set| (set.is_negated(), set.state()));
            meaning.is_event().then(|| {
                let window = claim.window();
                (window.start(), window.end(), claim.source(), outcome)
            })
        })
        .collect();
    events.sort_unstable();
    events.dedup();
    // An event dated by a range ("by 5 August") happened somewhere in it:
    // its last day gets a segment of its own, so that the change can fall at
    // the start of the range or at its end.
    cuts.extend(events.iter().filter(|e| e.1 - e.0 > day).map(|e| e.1 - day));
    for group in events.chunk_by(|x, y| (x.0, x.1, x.2) == (y.0, y.1, y.2)) {
        let (start, end, parts) = (group[0].0, group[0].1, group.len());
        let Ok(parts) = i32::try_from(parts) else { continue };
        if parts >= 2 {
            let step = (end - start) / parts;
            cuts.extend((1..parts).map(|i| start + step * i));
        }
    }
    cuts.sort_unstable();
    cuts.dedup();
    // An event at the very start says who did not hold the place right
    // before it: give that moment a segment (one day long).
    let earliest = cuts.first().copied();
    let event_first = events.first().map(|e| e.0) == earliest;
    // So does a first report of fighting ("contested"): a place is held by
    // a side before the fighting reaches it.
    let fighting_first = !event_first
        && ids.iter().map(|&id| dataset.claim(id)).any(|claim| {
            // The meaning first: it is cheaper than the window.
            matches!(dataset.meaning(claim), Meaning::Throughout(ControlState::Contested))
                && Some(claim.window().start()) == earliest
        });
    if let (true, Some(t)) = (event_first || fighting_first, earliest) {
        if let Some(before) = t.checked_sub_signed(day) {
            cuts.insert(0, before);
            return (cuts, true, fighting_first);
        }
    }
    (cuts, false, false)
}

/// A location's states: the sides claimed there (at least two), sorted, then
/// `contested`.
fn location_states(dataset: &Dataset, ids: &[ClaimId], rivals: &Rivals) -> Vec<ControlState> {
    let mut sides = sides_claimed(dataset, ids);
    // With one side claimed here, the alternative is its usual opponent:
    // a lone "S captured it" says someone else held it before, most likely
    // the side S takes places from elsewhere in the dataset.
    if let [only] = sides[..] {
        sides.extend(rivals.opponent_of(only));
    }
    // With fewer than two sides claimed here, the sides of the dataset that
    // come first by id fill up to two, so that "contested" or a single side
    // is weighed against a real alternative (with only one state, every
    // posterior would be a meaningless 1).
    for &side in dataset.sides() {
        if sides.len() >= 2 {
            break;
        }
        if !sides.contains(&side) {
            sides.push(side);
        }
    }
    sides.sort_unstable();
    let mut states: Vec<ControlState> = sides.into_iter().map(ControlState::Held).collect();
    states.push(ControlState::Contested);
    states
}

/// The sides claimed at a location (by the claims `ids`), sorted, each once.
fn sides_claimed(dataset: &Dataset, ids: &[ClaimId]) -> Vec<ActorId> {
    let mut sides: Vec<ActorId> =
        ids.iter().filter_map(|&id| dataset.claim(id).asserts().actor()).map(|actor| dataset.side_of(actor)).collect();
    sides.sort_unstable();
    sides.dedup();
    sides
}

/// Who takes places from whom: for every ordered pair of sides (s, x), how
/// many claims that s captured a location follow a claim naming x as its
/// holder or captor, and how many claims naming s as holder or captor
/// follow one naming x. Built once per dataset, O(n) for n claims (each
/// location's claims are in time order).
#[derive(Clone, Debug, Default)]
pub(crate) struct Rivals {
    /// Actors in the dataset.
    n: usize,
    /// `captured[s·n + x]`: captures by s after a claim naming x.
    captured: Vec<u32>,
    /// `followed[s·n + x]`: claims naming s after a claim naming x.
    followed: Vec<u32>,
}

impl Rivals {
    pub fn of(dataset: &Dataset) -> Rivals {
        let n = dataset.actors().len();
        let (mut captured, mut followed) = (vec![0u32; n * n], vec![0u32; n * n]);
        for location in dataset.location_ids() {
            let mut last: Option<ActorId> = None;
            for &id in dataset.claims_at(location) {
                let (side, took) = match dataset.meaning(dataset.claim(id)) {
                    Meaning::Took(side) => (side, true),
                    Meaning::Throughout(ControlState::Held(side)) => (side, false),
                    _ => continue,
                };
                if let Some(pair) = last.filter(|&x| x != side).map(|x| side.as_usize() * n + x.as_usize()) {
                    for (table, counts) in [(&mut followed, true), (&mut captured, took)] {
                        if let Some(count) = table.get_mut(pair).filter(|_| counts) {
                            *count += 1;
                        }
                    }
                }
                last = Some(side);
            }
        }
        Rivals { n, captured, followed }
    }

    /// The usual opponent of `side`: the side it captures places from most
    /// often, else the side that captures places from it most often, else
    /// the same two by every claim naming a holder or captor (ties to the
    /// lower id); `None` when it never follows or precedes another side.
    pub fn opponent_of(&self, side: ActorId) -> Option<ActorId> {
        let s = side.as_usize();
        let from = |table: &[u32]| most((0..self.n).map(|x| table.get(s * self.n + x).copied().unwrap_or(0)));
        let by = |table: &[u32]| most((0..self.n).map(|x| table.get(x * self.n + s).copied().unwrap_or(0)));
        from(&self.captured)
            .or_else(|| by(&self.captured))
            .or_else(|| from(&self.followed))
            .or_else(|| by(&self.followed))
    }
}

/// The index of the largest positive count (the lowest index among ties),
/// as an actor id.
fn most(counts: impl Iterator<Item = u32>) -> Option<ActorId> {
    let (best, count) = counts.enumerate().fold((0, 0), |(b, c), (i, x)| if x > c { (i, x) } else { (b, c) });
    u32::try_from(best).ok().filter(|_| count > 0).map(ActorId::from_index)
}

/// What placing the claims produces.
#[derive(Default)]
struct Placed {
    observations: Vec<Observation>,
    transitions: Vec<Transition>,
}

/// Places each claim of a location on its segments and states.
struct Placer<'a> {
    dataset: &'a Dataset,
    config: &'a Config,
    cuts: &'a [DateTime<Utc>],
    len: &'a [f64],
    states: &'a [ControlState],
    /// Whether the first segment is the lead-in before a first report of
    /// fighting.
    lead_in_held: bool,
    model: Placed,
}

impl Placer<'_> {
    fn segment_at(&self, t: DateTime<Utc>) -> usize {
        self.cuts.binary_search(&t).unwrap_or_else(|i| i)
    }

    fn state_index(&self, state: ControlState) -> usize {
        self.states.binary_search(&state).unwrap_or(0)
    }

    /// Whether a set of states includes the source's own side.
    fn serves(&self, set: StateSet, own: Option<ActorId>) -> bool {
        own.is_some_and(|own| {
            let own = ControlState::Held(own);
            self.states.binary_search(&own).is_ok() && set.contains(own)
        })
    }

    /// Days from the start of the location's time to the middle of a segment.
    fn midpoint(&self, seg: usize) -> f64 {
        self.cuts.first().map_or(0.0, |&origin| days_between(origin, self.cuts[seg])) + 0.5 * self.len[seg]
    }

    /// One claim: its observation (what it says of the state over its
    /// window; for an event, of the state right after it), an event's
    /// transition and the state right before it.
    fn place(&mut self, id: ClaimId) {
        let (dataset, config) = (self.dataset, self.config);
        let claim = dataset.claim(id);
        // A denial speaks of the denied claim's window, with the complement
        // of what that claim says.
        let (subject, denied) = match dataset.meaning(claim) {
            Meaning::Denial(target) => (dataset.claim(target), true),
            _ => (claim, false),
        };
        let meaning = dataset.meaning(subject);
        let Some(after) = meaning.after() else { return };
        let said = if denied { after.complement() } else { after };
        // The elementary segments it speaks of: its window, or for an event
        // the last segment of its window (the state right after).
        let window = subject.window();
        let event_start = self.segment_at(window.start());
        let end = self.segment_at(window.end()).max(event_start + 1);
        let first = if meaning.is_event() { end - 1 } else { event_start };
        let own = dataset.source(claim.source()).side();
        let state = self.state_index(said.state());
        let weight = config.certainty_weight.of(claim.certainty());
        let last_cut = self.cuts.len() - 1;
        let mut observation = Observation {
            claim: id,
            source: claim.source(),
            slot: 0,
            first,
            end,
            state,
            negated: said.is_negated(),
            weight,
            scale: 1.0,
            serving: self.serves(said, own),
            span: days_between(self.cuts[first], self.cuts[end.min(last_cut)]),
            before: false,
        };
        // An event (not a denied one) is evidence of a change at one of the
        // boundaries from its window's start to its last segment, over the
        // time from the middle of the segment before the window to that of
        // its last segment. The transition carries the claim's evidence,
        // calibrated to its precision; the state after it adds only what
        // `event_after_weight` gives (counting it fully would count the
        // claim twice).
        let first_boundary = event_start.max(1);
        if !denied && meaning.is_event() && first_boundary < end {
            self.model.transitions.push(Transition {
                claim: id,
                source: claim.source(),
                first: first_boundary,
                end,
                state,
                into: matches!(meaning, Meaning::Took(_)),
                weight,
                serving: observation.serving,
                span: self.midpoint(end - 1) - self.midpoint(first_boundary - 1),
                ranged: window.end() - window.start() > chrono::TimeDelta::days(1),
                early: config.range_early_weight,
                steps: (end - 1 > first_boundary).then(|| {
                    (
                        self.midpoint(first_boundary) - self.midpoint(first_boundary - 1),
                        0.5 * self.len[first_boundary],
                        self.midpoint(end - 1) - self.midpoint(end - 2),
                    )
                }),
            });
            observation.scale = config.event_after_weight;
        }
        // A first report of fighting says that the fighting reached the
        // place: a change into `contested` from whoever held it (the
        // lead-in), calibrated as a capture is.
        let fighting = matches!(meaning, Meaning::Throughout(ControlState::Contested));
        if !denied && fighting && self.lead_in_held && event_start == 1 && self.len.len() > 1 {
            self.model.transitions.push(Transition {
                claim: id,
                source: claim.source(),
                first: 1,
                end: 2,
                state,
                into: true,
                weight,
                serving: false,
                span: self.midpoint(1) - self.midpoint(0),
                ranged: false,
                early: config.range_early_weight,
                steps: None,
            });
            // Over one segment the transition carries the claim's evidence
            // (as a capture's does); over a longer window the state it
            // claims throughout keeps its own.
            if end - first == 1 {
                observation.scale = config.event_after_weight;
            }
        }
        self.model.observations.push(observation);
        // An event also says what held right before its window: not S before
        // a capture by S, S before a withdrawal by S. A denial of an event
        // says only that the event did not happen, which neither fixes the
        // state before it nor the state after it alone: it keeps its
        // evidence on the state after.
        let before = if denied { None } else { meaning.before() };
        if let (Some(before), true) = (before, event_start > 0 && config.event_before_weight > 0.0) {
            self.model.observations.push(Observation {
                claim: id,
                source: claim.source(),
                slot: 0,
                first: event_start - 1,
                end: event_start,
                state: self.state_index(before.state()),
                negated: before.is_negated(),
                weight: weight * config.event_before_weight,
                scale: 1.0,
                serving: self.serves(before, own),
                span: days_between(self.cuts[event_start - 1], self.cuts[event_start]),
                before: true,
            });
        }
    }
}

/// Days from `a` to `b`, as a float, without overflow for any chrono times.
pub(crate) fn days_between(a: DateTime<Utc>, b: DateTime<Utc>) -> f64 {
    let delta = b - a;
    let seconds = delta.num_seconds() as f64;
    let nanos = delta.subsec_nanos() as f64;
    (seconds + nanos * 1e-9) / 86_400.0
}
