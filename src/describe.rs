//! Plain words for claims and times, shared by explanations and the text report.

use crate::model::{Assertion, Claim, ControlState, TimePoint, When, Window};
use crate::Dataset;
use chrono::{DateTime, Datelike, Utc};

/// `22 Mar 2014`, `31 Mar – 1 Apr 2014`, `2014-03-22 14:00 UTC`.
pub(crate) fn when(when: When) -> String {
    match when {
        When::At(point) => point_text(point),
        When::Range { from: TimePoint::Date(a), to: TimePoint::Date(b) } if a.year() == b.year() => {
            format!("{} – {}", a.format("%-d %b"), b.format("%-d %b %Y"))
        }
        When::Range { from, to } => format!("{} – {}", point_text(from), point_text(to)),
    }
}

fn point_text(point: TimePoint) -> String {
    match point {
        TimePoint::Date(d) => d.format("%-d %b %Y").to_string(),
        TimePoint::Instant(t) => instant(t),
    }
}

/// `2014-03-22 14:00 UTC`, or `22 Mar 2014` at midnight.
pub(crate) fn instant(t: DateTime<Utc>) -> String {
    if t.time() == chrono::NaiveTime::MIN {
        t.format("%-d %b %Y").to_string()
    } else {
        t.format("%Y-%m-%d %H:%M UTC").to_string()
    }
}

/// A window as days when it is whole days: `22 Mar 2014`, `22 Mar – 24 Mar 2014`.
pub(crate) fn window(w: Window) -> String {
    let midnight = |t: DateTime<Utc>| t.time() == chrono::NaiveTime::MIN;
    if midnight(w.start()) && midnight(w.end()) {
        let last = w.end() - chrono::TimeDelta::days(1);
        if last.date_naive() == w.start().date_naive() {
            return w.start().format("%-d %b %Y").to_string();
        }
        return format!("{} – {}", w.start().format("%-d %b"), last.format("%-d %b %Y"));
    }
    format!("{} – {}", instant(w.start()), instant(w.end()))
}

/// What a claim says, in words: `Syrian Arab Army captured Observatory 45`.
pub(crate) fn assertion(dataset: &Dataset, claim: &Claim) -> String {
    let place = dataset.location(claim.location()).name();
    let actor = |a| dataset.actor(a).name();
    match claim.asserts() {
        Assertion::Holds(a) => format!("{} held {place}", actor(a)),
        Assertion::Captured(a) => format!("{} captured {place}", actor(a)),
        Assertion::Withdrew(a) => format!("{} withdrew from {place}", actor(a)),
        Assertion::Contested => format!("{place} was contested"),
        Assertion::Denies(target) => {
            let denied = dataset.claim(target);
            format!(
                "denies {}'s claim of {} that {}",
                dataset.source(denied.source()).name(),
                when(denied.when()),
                assertion(dataset, denied)
            )
        }
    }
}

/// A claim in one line: `22 Mar 2014: Syrian Observatory for Human Rights: ...`.
pub(crate) fn claim_line(dataset: &Dataset, claim: &Claim) -> String {
    let source = dataset.source(claim.source()).name();
    let says = assertion(dataset, claim);
    let verb = if matches!(claim.asserts(), Assertion::Denies(_)) { "" } else { "says " };
    format!("{}: {source} {verb}{says}", when(claim.when()))
}

/// A state in words: `held by Rebel coalition`, `contested`, `unknown`.
pub(crate) fn state(dataset: &Dataset, state: ControlState) -> String {
    match state {
        ControlState::Held(a) => format!("held by {}", dataset.actor(a).name()),
        ControlState::Contested => "contested".to_owned(),
        ControlState::Unknown => "unknown".to_owned(),
    }
}
