//! Scores a reconciliation against what is known to have happened: the
//! simulator's truth, or the expectations written from a real battle's text.
//!
//! The unit that matters to an analyst is the **change of control**: a side
//! took a place from another. A timeline can be right on most days and
//! still erase every change, so changes are scored on their own, beside the
//! share of days whose state is right.
//!
//! * A known change is **found** when a reversal between the same sides
//!   (`from` → `to`; a known change with no `from` matches any `from`) lies
//!   within [`CHANGE_TOLERANCE`] of the change's day, and each reversal
//!   matches at most one known change ([`match_changes`]).
//! * **Recall** is the share of known changes found; **precision** the share
//!   of reversals that match a known change.
//!
//! The naive methods an analyst would use without the engine are here too,
//! as daily states from which reversals are read the same way
//! ([`Baseline`]), so that every figure is set beside its reference.
//!
//! The expectation files of the real battles in `data/` (`*.expect.json`)
//! are read by [`Expectations`] and scored by [`score_battle`].

use crate::graph::ControlGraph;
use crate::model::{ActorId, ClaimId, LocationId, TimePoint, Window};
use crate::reconcile::{ControlState, Reconciliation, Timeline};
use crate::Dataset;
use chrono::{DateTime, Days, NaiveDate, TimeDelta, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How far a reversal may lie from a known change's day and still find it:
/// one day on either side of that day.
pub const CHANGE_TOLERANCE: TimeDelta = TimeDelta::days(1);

/// A change of control: `to` took `location` from `from` within `window`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Change {
    /// Where.
    pub location: LocationId,
    /// When: a day for a known change, an instant for a reversal.
    pub window: Window,
    /// The side that held it before; `None` when not known (matches any).
    pub from: Option<ActorId>,
    /// The side that took it.
    pub to: ActorId,
}

impl Change {
    /// The distance from an instant to this change's window (0 inside it).
    fn distance(&self, t: DateTime<Utc>) -> TimeDelta {
        if t < self.window.start() {
            self.window.start() - t
        } else if t >= self.window.end() {
            t - self.window.end()
        } else {
            TimeDelta::zero()
        }
    }

    /// Whether a found change can stand for this known one.
    fn matches(&self, found: &Change) -> bool {
        self.location == found.location
            && self.to == found.to
            && self.from.is_none_or(|from| found.from == Some(from))
            && self.distance(found.window.start()) <= CHANGE_TOLERANCE
    }
}

/// The changes of holding side along a reconciled timeline, as [`Change`]s
/// (each at the instant its new side's segment begins).
pub fn reversals(timeline: &Timeline) -> Vec<Change> {
    timeline
        .reversals
        .iter()
        .filter_map(|r| {
            Some(Change {
                location: timeline.location,
                window: Window::new(r.at, r.at + TimeDelta::nanoseconds(1))?,
                from: Some(r.from),
                to: r.to,
            })
        })
        .collect()
}

/// Matches known changes to found ones, one to one.
///
/// # Returns
///
/// For each known change, the index of the found change matched to it.
///
/// # Complexity
///
/// O(k·f) for k known and f found changes: for each known change in time
/// order, the earliest unmatched found change that matches it. Every known
/// change accepts found changes in a window of the same width around its
/// day, so taking the earliest is a maximum matching per (location, sides).
pub fn match_changes(known: &[Change], found: &[Change]) -> Vec<Option<usize>> {
    let mut order: Vec<usize> = (0..known.len()).collect();
    order.sort_by_key(|&i| (known[i].window, i));
    let mut found_order: Vec<usize> = (0..found.len()).collect();
    found_order.sort_by_key(|&j| (found[j].window, j));
    let mut taken = vec![false; found.len()];
    let mut matched = vec![None; known.len()];
    for i in order {
        let pick = found_order.iter().copied().find(|&j| !taken[j] && known[i].matches(&found[j]));
        if let Some(j) = pick {
            taken[j] = true;
            matched[i] = Some(j);
        }
    }
    matched
}

/// How many known changes were found, and how many found changes match one.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeScore {
    /// Known changes.
    pub known: usize,
    /// Changes the method found (reversals).
    pub found: usize,
    /// Known changes matched to a found one.
    pub matched: usize,
}

impl ChangeScore {
    /// Scores found changes against known ones.
    pub fn of(known: &[Change], found: &[Change]) -> ChangeScore {
        let matched = match_changes(known, found).iter().flatten().count();
        ChangeScore { known: known.len(), found: found.len(), matched }
    }

    /// Scores found changes against required known ones and optional ones:
    /// changes that may have happened where no method is expected to show
    /// them (the simulator's change on a location's first claimed day, from
    /// the holder before any claim). The required ones are matched first
    /// ([`match_changes`]); a found change left over that matches an
    /// optional one counts neither as found nor as matched (no hit, no
    /// false alarm); a found change that matches neither is a false alarm.
    ///
    /// # Example
    ///
    /// ```
    /// use frontline::model::{ActorId, LocationId, TimePoint};
    /// use frontline::score::{Change, ChangeScore};
    /// let change = |day: &str, from: usize, to: usize| Change {
    ///     location: LocationId::new(0).unwrap(),
    ///     window: day.parse::<TimePoint>().unwrap().window(),
    ///     from: Some(ActorId::new(from).unwrap()),
    ///     to: ActorId::new(to).unwrap(),
    /// };
    /// let required = [change("2014-03-25", 1, 0)];
    /// let optional = [change("2014-03-20", 0, 1)];
    /// // The first day's change found, and a wrong one on that day.
    /// let found = [change("2014-03-20", 0, 1), change("2014-03-20", 2, 1), change("2014-03-25", 1, 0)];
    /// let score = ChangeScore::with_optional(&required, &optional, &found);
    /// assert_eq!(score, ChangeScore { known: 1, found: 2, matched: 1 });
    /// ```
    pub fn with_optional(required: &[Change], optional: &[Change], found: &[Change]) -> ChangeScore {
        let matched = match_changes(required, found);
        let mut taken = vec![false; found.len()];
        for &j in matched.iter().flatten() {
            if let Some(t) = taken.get_mut(j) {
                *t = true;
            }
        }
        let left: Vec<Change> = found.iter().zip(&taken).filter(|(_, &t)| !t).map(|(c, _)| *c).collect();
        let optional_hits = match_changes(optional, &left).iter().flatten().count();
        ChangeScore {
            known: required.len(),
            found: found.len() - optional_hits,
            matched: matched.iter().flatten().count(),
        }
    }

    /// The share of known changes found (1 when there are none).
    pub fn recall(&self) -> f64 {
        if self.known == 0 {
            1.0
        } else {
            self.matched as f64 / self.known as f64
        }
    }

    /// The share of found changes that match a known one (1 when none were found).
    pub fn precision(&self) -> f64 {
        if self.found == 0 {
            1.0
        } else {
            self.matched as f64 / self.found as f64
        }
    }

    /// Adds another score's counts.
    pub fn add(&mut self, other: ChangeScore) {
        self.known += other.known;
        self.found += other.found;
        self.matched += other.matched;
    }
}

/// The changes of holding side in a sequence of daily states (`days[i]` is
/// the state on day `first + i`), each dated to the first day of the new
/// holder. Contested and unknown days are passed over: A, contested, B is
/// one change from A to B.
pub fn daily_changes(location: LocationId, first: NaiveDate, days: &[ControlState]) -> Vec<Change> {
    let mut changes = Vec::new();
    let mut holder = None;
    for (i, state) in days.iter().enumerate() {
        let ControlState::Held(side) = *state else { continue };
        if let Some(before) = holder.filter(|&b| b != side) {
            if let Some(window) = day_window(first, i) {
                changes.push(Change { location, window, from: Some(before), to: side });
            }
        }
        holder = Some(side);
    }
    changes
}

/// The window of day `first + offset`.
pub fn day_window(first: NaiveDate, offset: usize) -> Option<Window> {
    let day = first.checked_add_days(Days::new(offset as u64))?;
    Some(TimePoint::Date(day).window())
}

/// The state of a reconciled timeline at an instant.
pub fn state_at(timeline: &Timeline, t: DateTime<Utc>) -> ControlState {
    timeline
        .segments
        .iter()
        .find(|s| s.from <= t && s.to.is_none_or(|to| t < to))
        .map_or(ControlState::Unknown, |s| s.state)
}

/// A naive way of reading claims, set beside the reconciliation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Baseline {
    /// Majority vote of the claims whose window covers the instant, carried
    /// forward when none does (ties keep the previous answer).
    Majority,
    /// What the most recently reported claim about a time up to the instant
    /// says.
    Latest,
    /// Every capture and hold applied in the order of what it describes
    /// (window start), carried forward: the analyst's "replay".
    Replay,
}

impl Baseline {
    /// Every baseline, in the order the reports show them.
    pub const ALL: [Baseline; 3] = [Baseline::Majority, Baseline::Latest, Baseline::Replay];

    /// Its name in reports.
    pub fn name(self) -> &'static str {
        match self {
            Baseline::Majority => "majority",
            Baseline::Latest => "latest",
            Baseline::Replay => "replay",
        }
    }

    /// The state this baseline reads from a location's claims at noon of
    /// each of `days` days from `first`.
    ///
    /// # Complexity
    ///
    /// O(days · n) for n claims at the location.
    pub fn daily(self, dataset: &Dataset, location: LocationId, first: NaiveDate, days: usize) -> Vec<ControlState> {
        let claims = dataset.claims_at(location);
        let said = |c: ClaimId| dataset.meaning(dataset.claim(c)).stated();
        let mut previous = ControlState::Unknown;
        (0..days)
            .map(|offset| {
                let Some(noon) = first
                    .checked_add_days(Days::new(offset as u64))
                    .and_then(|d| d.and_hms_opt(12, 0, 0))
                    .map(|t| t.and_utc())
                else {
                    return previous;
                };
                let answer = match self {
                    Baseline::Majority => {
                        let mut votes: BTreeMap<ControlState, usize> = BTreeMap::new();
                        for &c in claims {
                            let w = dataset.claim(c).window();
                            if let (true, Some(state)) = (w.start() <= noon && noon < w.end(), said(c)) {
                                *votes.entry(state).or_default() += 1;
                            }
                        }
                        let best = votes.values().copied().max().unwrap_or(0);
                        let mut winners = votes.iter().filter(|(_, &v)| v == best);
                        match (winners.next(), winners.next()) {
                            (Some((&state, _)), None) => state,
                            _ => previous,
                        }
                    }
                    Baseline::Latest => claims
                        .iter()
                        .filter(|&&c| dataset.claim(c).window().start() <= noon && said(c).is_some())
                        .max_by_key(|&&c| {
                            let claim = dataset.claim(c);
                            (claim.reported_window().start(), claim.window().start(), c)
                        })
                        .and_then(|&c| said(c))
                        .unwrap_or(previous),
                    Baseline::Replay => claims
                        .iter()
                        .filter(|&&c| {
                            dataset.claim(c).window().start() <= noon
                                && dataset.meaning(dataset.claim(c)).holder().is_some()
                        })
                        .max_by_key(|&&c| (dataset.claim(c).window().start(), dataset.claim(c).window().end(), c))
                        .and_then(|&c| said(c))
                        .unwrap_or(previous),
                };
                previous = answer;
                answer
            })
            .collect()
    }
}

/// The expectations written from a real battle's text, before the engine
/// ran: the format of `data/*.expect.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expectations {
    /// The dataset's file name, beside this file in `data/`.
    pub dataset: String,
    /// The article's title.
    pub article: String,
    /// The changes of control the text documents.
    pub changes: Vec<ExpectedChange>,
    /// The end states the text states.
    pub end_states: Vec<ExpectedEndState>,
    /// Pairs of claims the text shows contradicting each other.
    pub contradictions: Vec<ExpectedContradiction>,
}

/// A documented change of control.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectedChange {
    /// The location's id.
    pub location: String,
    /// The day of the change (`YYYY-MM-DD`).
    pub day: NaiveDate,
    /// The side that held it before, if the text says.
    pub from: Option<String>,
    /// The side that took it.
    pub to: String,
    /// The sentence that documents it.
    pub quote: String,
}

/// A state the text gives a place at the end.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectedEndState {
    /// The location's id.
    pub location: String,
    /// The day; the state is read at the end of it.
    pub at: NaiveDate,
    /// `held` or `contested`.
    pub state: EndState,
    /// The holding side when held.
    pub side: Option<String>,
    /// The sentence.
    pub quote: String,
}

/// The kind of an expected end state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EndState {
    /// Held by a side.
    Held,
    /// No side in control.
    Contested,
}

/// Two claims the text shows contradicting each other.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectedContradiction {
    /// The two claim ids.
    pub claims: [String; 2],
    /// Why they contradict, in a few words.
    pub note: String,
}

/// An expectation that does not fit its dataset.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ExpectationError {
    /// A location id that the dataset does not have.
    #[error("{entry}: location {id:?} does not exist in the dataset")]
    UnknownLocation {
        /// Which entry (`changes[3]`).
        entry: String,
        /// The id.
        id: String,
    },
    /// An actor id that is not a side (a root actor) of the dataset.
    #[error("{entry}: {id:?} is not a side of the dataset")]
    NotASide {
        /// Which entry.
        entry: String,
        /// The id.
        id: String,
    },
    /// A claim id that the dataset does not have.
    #[error("{entry}: claim {id:?} does not exist in the dataset")]
    UnknownClaim {
        /// Which entry.
        entry: String,
        /// The id.
        id: String,
    },
    /// A held end state without a side, or a contested one with a side.
    #[error("{entry}: a `held` end state names its side, a `contested` one names none")]
    SideMismatch {
        /// Which entry.
        entry: String,
    },
    /// A contradiction between a claim and itself.
    #[error("{entry}: a contradiction needs two different claims")]
    SameClaim {
        /// Which entry.
        entry: String,
    },
}

/// Expectations resolved against their dataset's ids.
#[derive(Clone, Debug, PartialEq)]
pub struct Resolved {
    /// The documented changes.
    pub changes: Vec<Change>,
    /// The end states: location, the end of the day, and the state.
    pub end_states: Vec<(LocationId, DateTime<Utc>, ControlState)>,
    /// The contradicting pairs.
    pub contradictions: Vec<[ClaimId; 2]>,
}

impl Expectations {
    /// Resolves every id against the dataset.
    ///
    /// # Errors
    ///
    /// The first entry naming a location, side or claim the dataset does not
    /// have, or an end state whose side does not fit its state.
    pub fn resolve(&self, dataset: &Dataset) -> Result<Resolved, ExpectationError> {
        let location = |entry: &dyn Fn() -> String, id: &str| {
            dataset
                .location_id(id)
                .ok_or_else(|| ExpectationError::UnknownLocation { entry: entry(), id: id.to_owned() })
        };
        let side = |entry: &dyn Fn() -> String, id: &str| {
            dataset
                .actor_id(id)
                .filter(|&a| dataset.actor(a).is_side())
                .ok_or_else(|| ExpectationError::NotASide { entry: entry(), id: id.to_owned() })
        };
        let mut changes = Vec::with_capacity(self.changes.len());
        for (i, c) in self.changes.iter().enumerate() {
            let entry = || format!("changes[{i}]");
            changes.push(Change {
                location: location(&entry, &c.location)?,
                window: TimePoint::Date(c.day).window(),
                from: c.from.as_deref().map(|f| side(&entry, f)).transpose()?,
                to: side(&entry, &c.to)?,
            });
        }
        let mut end_states = Vec::with_capacity(self.end_states.len());
        for (i, e) in self.end_states.iter().enumerate() {
            let entry = || format!("end_states[{i}]");
            let state = match (e.state, &e.side) {
                (EndState::Held, Some(s)) => ControlState::Held(side(&entry, s)?),
                (EndState::Contested, None) => ControlState::Contested,
                _ => return Err(ExpectationError::SideMismatch { entry: entry() }),
            };
            let end = TimePoint::Date(e.at).window().end() - TimeDelta::nanoseconds(1);
            end_states.push((location(&entry, &e.location)?, end, state));
        }
        let mut contradictions = Vec::with_capacity(self.contradictions.len());
        for (i, c) in self.contradictions.iter().enumerate() {
            let entry = || format!("contradictions[{i}]");
            let claim = |id: &str| {
                dataset.claim_id(id).ok_or_else(|| ExpectationError::UnknownClaim { entry: entry(), id: id.to_owned() })
            };
            let pair = [claim(&c.claims[0])?, claim(&c.claims[1])?];
            if pair[0] == pair[1] {
                return Err(ExpectationError::SameClaim { entry: entry() });
            }
            contradictions.push(pair);
        }
        Ok(Resolved { changes, end_states, contradictions })
    }
}

/// How a reconciliation fares against a battle's expectations.
#[derive(Clone, Debug, PartialEq)]
pub struct BattleScore {
    /// Documented changes found by the reconciled timelines' reversals.
    pub changes: ChangeScore,
    /// The same for the replay baseline, on the same days.
    pub replay_changes: ChangeScore,
    /// The documented changes not found (indexes into the expectations).
    pub missed_changes: Vec<usize>,
    /// End states right, out of [`Resolved::end_states`].
    pub end_states_right: usize,
    /// End states the replay baseline gets right.
    pub replay_end_states_right: usize,
    /// The end states the reconciliation got wrong (indexes), with the state it gave.
    pub wrong_end_states: Vec<(usize, ControlState)>,
    /// Contradicting pairs the control graphs hold, out of [`Resolved::contradictions`].
    pub contradictions_found: usize,
    /// The pairs they do not hold (indexes).
    pub missed_contradictions: Vec<usize>,
}

/// Scores one battle: documented changes against the reconciled reversals
/// (and against the replay baseline's), end states against the timelines at
/// the end of their day, contradictions against the control graphs.
///
/// `graphs` and `reconciliation` are those of `dataset` (as
/// [`crate::Analysis`] holds them). Precision counts every reversal of a
/// location that has at least one documented change.
pub fn score_battle(
    dataset: &Dataset,
    expected: &Resolved,
    graphs: &[ControlGraph],
    reconciliation: &Reconciliation,
) -> BattleScore {
    let mut locations: Vec<LocationId> = expected.changes.iter().map(|c| c.location).collect();
    locations.sort_unstable();
    locations.dedup();
    let mut found = Vec::new();
    let mut replayed = Vec::new();
    for &l in &locations {
        found.extend(reversals(reconciliation.timeline(l)));
        if let Some((first, days)) = claim_days(dataset, l) {
            replayed.extend(daily_changes(l, first, &Baseline::Replay.daily(dataset, l, first, days)));
        }
    }
    let matched = match_changes(&expected.changes, &found);
    let missed_changes = matched.iter().enumerate().filter(|(_, m)| m.is_none()).map(|(i, _)| i).collect();

    let mut wrong_end_states = Vec::new();
    let mut replay_end_states_right = 0;
    for (i, &(l, at, state)) in expected.end_states.iter().enumerate() {
        let given = state_at(reconciliation.timeline(l), at);
        if given != state {
            wrong_end_states.push((i, given));
        }
        let replay = claim_days(dataset, l).and_then(|(first, _)| {
            let last = at.date_naive();
            let days = (last - first).num_days();
            let days = usize::try_from(days).ok()? + 1;
            Baseline::Replay.daily(dataset, l, first, days).last().copied()
        });
        if replay == Some(state) {
            replay_end_states_right += 1;
        }
    }

    let missed_contradictions: Vec<usize> = expected
        .contradictions
        .iter()
        .enumerate()
        .filter(|(_, [a, b])| {
            let l = dataset.claim(*a).location();
            !graphs.get(l.as_usize()).is_some_and(|g| {
                g.contradictions().iter().any(|c| {
                    let [x, y] = c.claims();
                    (x == *a && y == *b) || (x == *b && y == *a)
                })
            })
        })
        .map(|(i, _)| i)
        .collect();

    BattleScore {
        changes: ChangeScore {
            known: expected.changes.len(),
            found: found.len(),
            matched: matched.iter().flatten().count(),
        },
        replay_changes: ChangeScore::of(&expected.changes, &replayed),
        missed_changes,
        end_states_right: expected.end_states.len() - wrong_end_states.len(),
        replay_end_states_right,
        wrong_end_states,
        contradictions_found: expected.contradictions.len() - missed_contradictions.len(),
        missed_contradictions,
    }
}

/// The first day of a location's claims and the number of days to the last
/// day any of them covers.
pub fn claim_days(dataset: &Dataset, location: LocationId) -> Option<(NaiveDate, usize)> {
    let claims = dataset.claims_at(location);
    let first = claims.iter().map(|&c| dataset.claim(c).window().start()).min()?.date_naive();
    let last = claims.iter().map(|&c| dataset.claim(c).window().end() - TimeDelta::nanoseconds(1)).max()?.date_naive();
    let days = usize::try_from((last - first).num_days()).ok()? + 1;
    Some((first, days))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Window {
        text.parse::<TimePoint>().map(|t| t.window()).unwrap_or_else(|e| panic!("{e}"))
    }

    fn change(location: usize, when: &str, from: Option<usize>, to: usize) -> Change {
        let id = |i| ActorId::new(i).unwrap_or_else(|| panic!("id"));
        Change {
            location: LocationId::new(location).unwrap_or_else(|| panic!("id")),
            window: day(when),
            from: from.map(id),
            to: id(to),
        }
    }

    #[test]
    fn a_change_is_found_within_a_day_of_its_day_and_not_further() {
        let known = [change(0, "2014-03-22", Some(0), 1)];
        for (when, found) in [
            ("2014-03-21", true),
            ("2014-03-22", true),
            ("2014-03-23", true),
            ("2014-03-24T00:00:00Z", true),
            ("2014-03-24T00:00:01Z", false),
            ("2014-03-20T23:59:59Z", false),
        ] {
            let mut at = change(0, when, Some(0), 1);
            at.window = Window::new(at.window.start(), at.window.start() + TimeDelta::nanoseconds(1)).unwrap();
            assert_eq!(ChangeScore::of(&known, &[at]).matched == 1, found, "{when}");
        }
    }

    #[test]
    fn sides_location_and_unknown_from_decide_a_match() {
        let known = change(0, "2014-03-22", Some(0), 1);
        assert!(!known.matches(&change(0, "2014-03-22", Some(2), 1)), "another from");
        assert!(!known.matches(&change(0, "2014-03-22", Some(0), 2)), "another to");
        assert!(!known.matches(&change(1, "2014-03-22", Some(0), 1)), "another location");
        assert!(change(0, "2014-03-22", None, 1).matches(&change(0, "2014-03-22", Some(2), 1)), "from unknown");
    }

    #[test]
    fn matching_is_one_to_one() {
        let known = [change(0, "2014-03-22", Some(0), 1), change(0, "2014-03-23", Some(0), 1)];
        let one = [change(0, "2014-03-22", Some(0), 1)];
        assert_eq!(ChangeScore::of(&known, &one), ChangeScore { known: 2, found: 1, matched: 1 });
        let two = [change(0, "2014-03-22", Some(0), 1), change(0, "2014-03-24", Some(0), 1)];
        assert_eq!(match_changes(&known, &two), vec![Some(0), Some(1)]);
        let score = ChangeScore::of(&known, &two);
        assert_eq!((score.recall(), score.precision()), (1.0, 1.0));
    }

    #[test]
    fn an_optional_change_found_is_neither_a_hit_nor_a_false_alarm_and_never_takes_a_required_ones_match() {
        let required = [change(0, "2014-03-21", Some(0), 1)];
        let optional = [change(0, "2014-03-20", Some(0), 1)];
        // One reversal within a day of both: it is the required change's.
        let one = [change(0, "2014-03-20", Some(0), 1)];
        assert_eq!(
            ChangeScore::with_optional(&required, &optional, &one),
            ChangeScore { known: 1, found: 1, matched: 1 }
        );
        // Two: the second finds the optional change and drops out.
        let two = [change(0, "2014-03-20", Some(0), 1), change(0, "2014-03-21", Some(0), 1)];
        assert_eq!(
            ChangeScore::with_optional(&required, &optional, &two),
            ChangeScore { known: 1, found: 1, matched: 1 }
        );
        // A reversal on the optional change's day between other sides is a false alarm.
        let wrong = [change(0, "2014-03-20", Some(2), 1)];
        assert_eq!(
            ChangeScore::with_optional(&required, &optional, &wrong),
            ChangeScore { known: 1, found: 1, matched: 0 }
        );
        // Without optional changes it is `of`.
        assert_eq!(ChangeScore::with_optional(&required, &[], &two), ChangeScore::of(&required, &two));
    }

    #[test]
    fn daily_changes_pass_over_contested_and_unknown_days() {
        let l = LocationId::new(0).unwrap();
        let a = ControlState::Held(ActorId::new(0).unwrap());
        let b = ControlState::Held(ActorId::new(1).unwrap());
        let first = NaiveDate::from_ymd_opt(2014, 3, 20).unwrap();
        let days = [ControlState::Unknown, a, a, ControlState::Contested, b, b, a];
        let changes = daily_changes(l, first, &days);
        assert_eq!(changes.len(), 2);
        assert_eq!(changes[0].window, day("2014-03-24"));
        assert_eq!((changes[0].from, changes[0].to), (Some(ActorId::new(0).unwrap()), ActorId::new(1).unwrap()));
        assert_eq!(changes[1].window, day("2014-03-26"));
    }
}
