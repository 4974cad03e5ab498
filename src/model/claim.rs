//! Claims: one source's statement about one location over one time window.

use super::ids::{ActorId, ClaimId, LocationId, SourceId};
use super::time::{TimePoint, When, Window};
use serde::{Deserialize, Serialize};
use std::fmt;

/// What a claim says about its location over its window.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Assertion {
    /// The actor held the location throughout the window.
    Holds(ActorId),
    /// The actor took the location at some instant inside the window, and held
    /// it right after.
    Captured(ActorId),
    /// The actor left the location at some instant inside the window; who
    /// holds it after is not said.
    Withdrew(ActorId),
    /// Fighting, no side in firm control, throughout the window.
    Contested,
    /// The named claim is false.
    Denies(ClaimId),
}

impl Assertion {
    /// The actor the assertion names, if any.
    pub fn actor(&self) -> Option<ActorId> {
        match *self {
            Assertion::Holds(a) | Assertion::Captured(a) | Assertion::Withdrew(a) => Some(a),
            Assertion::Contested | Assertion::Denies(_) => None,
        }
    }

    /// Whether it reports a change (a capture or a withdrawal) rather than a state.
    pub fn is_event(&self) -> bool {
        matches!(self, Assertion::Captured(_) | Assertion::Withdrew(_))
    }

    /// The assertion's keyword in the input format (`"holds"`, `"contested"`, ...).
    pub fn keyword(&self) -> &'static str {
        match self {
            Assertion::Holds(_) => "holds",
            Assertion::Captured(_) => "captured",
            Assertion::Withdrew(_) => "withdrew",
            Assertion::Contested => "contested",
            Assertion::Denies(_) => "denies",
        }
    }
}

/// How firmly the source puts it. The wording decides: "confirmed",
/// plain reporting, "claimed", "could not be verified".
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Certainty {
    /// Stated as confirmed.
    Confirmed,
    /// Reported plainly (the default).
    #[default]
    Reported,
    /// Claimed by the source, typically about its own side.
    Claimed,
    /// Explicitly unverified ("could not be verified", "reportedly").
    Unverified,
}

impl Certainty {
    /// The keyword in the input format.
    pub fn keyword(&self) -> &'static str {
        match self {
            Certainty::Confirmed => "confirmed",
            Certainty::Reported => "reported",
            Certainty::Claimed => "claimed",
            Certainty::Unverified => "unverified",
        }
    }
}

impl fmt::Display for Certainty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.keyword())
    }
}

/// One source's statement about one location over one time window, as
/// interned in a [`Dataset`](crate::Dataset).
#[derive(Clone, Debug, PartialEq)]
pub struct Claim {
    pub(crate) id: Box<str>,
    pub(crate) source: SourceId,
    pub(crate) location: LocationId,
    pub(crate) asserts: Assertion,
    pub(crate) when: When,
    pub(crate) certainty: Certainty,
    pub(crate) reported: Option<TimePoint>,
    /// The citation and the quote, boxed: most claims have neither, and a
    /// claim is then a pointer's size smaller than with two empty strings.
    pub(crate) text: Option<Box<ClaimText>>,
}

/// What a claim carries through untouched: its citation and its quote.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct ClaimText {
    pub(crate) cite: Option<String>,
    pub(crate) quote: Option<String>,
}

impl Claim {
    /// A claim's boxed [`ClaimText`], or `None` when it has neither.
    pub(crate) fn text_of(cite: Option<String>, quote: Option<String>) -> Option<Box<ClaimText>> {
        (cite.is_some() || quote.is_some()).then(|| Box::new(ClaimText { cite, quote }))
    }
}

impl Claim {
    /// The claim's id as the input gives it.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Who made the claim.
    pub fn source(&self) -> SourceId {
        self.source
    }

    /// The location the claim is about.
    pub fn location(&self) -> LocationId {
        self.location
    }

    /// What the claim says.
    pub fn asserts(&self) -> Assertion {
        self.asserts
    }

    /// The claim's time as the input gives it.
    pub fn when(&self) -> When {
        self.when
    }

    /// The half-open window the claim covers.
    pub fn window(&self) -> Window {
        // Not stored: a claim is 24 bytes smaller, and this is a few
        // additions.
        self.when.window()
    }

    /// How firmly the source puts it.
    pub fn certainty(&self) -> Certainty {
        self.certainty
    }

    /// When the source said it, as the input gives it (if it does).
    pub fn reported(&self) -> Option<TimePoint> {
        self.reported
    }

    /// The window within which the claim was made public: the `reported`
    /// time if given, otherwise the last instant of the claim's window.
    pub fn reported_window(&self) -> Window {
        match self.reported {
            Some(point) => point.window(),
            None => {
                let window = self.window();
                let end = window.end();
                let last = end - chrono::TimeDelta::nanoseconds(1);
                Window::new(last, end).unwrap_or(window)
            }
        }
    }

    /// The citation (e.g. the article's footnote number), carried through untouched.
    pub fn cite(&self) -> Option<&str> {
        self.text.as_ref().and_then(|t| t.cite.as_deref())
    }

    /// The sentence the claim comes from, carried through untouched.
    pub fn quote(&self) -> Option<&str> {
        self.text.as_ref().and_then(|t| t.quote.as_deref())
    }
}
