//! Times and time windows.
//!
//! Input times are either a bare date (the whole UTC day) or an RFC 3339
//! datetime (that instant). Internally every time is a half-open [`Window`]
//! `[start, end)` on chrono's UTC timeline: a date `D` is `[D 00:00, D+1 00:00)`
//! and an instant `t` is `[t, t + 1ns)`, so that "inclusive" input windows
//! become half-open intervals whose overlap tests need no special cases.

use chrono::{DateTime, NaiveDate, SecondsFormat, TimeDelta, Utc};
use std::fmt;

/// One time as the input gives it: a whole day or an instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TimePoint {
    /// A bare date: the whole day, in UTC.
    Date(NaiveDate),
    /// An RFC 3339 datetime: that instant.
    Instant(DateTime<Utc>),
}

/// Why a time string could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeProblem {
    /// Neither `YYYY-MM-DD` nor an RFC 3339 datetime.
    Unreadable,
    /// Readable, but its end lies past the last instant chrono can represent.
    OutOfRange,
    /// In a claim's `when`: none of a date, a month (`YYYY-MM`), a year
    /// (`YYYY`) or an RFC 3339 datetime.
    UnreadableWhen,
}

impl TimeProblem {
    /// The problem in words, as error messages give it.
    pub fn describe(&self) -> &'static str {
        match self {
            TimeProblem::Unreadable => "expected a date (YYYY-MM-DD) or an RFC 3339 datetime",
            TimeProblem::OutOfRange => "the time lies outside the range that can be represented",
            TimeProblem::UnreadableWhen => {
                "expected a date (YYYY-MM-DD), a month (YYYY-MM), a year (YYYY) or an RFC 3339 datetime"
            }
        }
    }
}

impl std::fmt::Display for TimeProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.describe())
    }
}

impl TimePoint {
    /// Parses a bare date (`2014-03-22`) or an RFC 3339 datetime
    /// (`2014-03-22T14:00:00Z`, any offset; converted to UTC).
    pub(crate) fn parse(text: &str) -> Result<TimePoint, TimeProblem> {
        let text = text.trim();
        // The fast path for `YYYY-MM-DD`; chrono's parser for the rest
        // (signed and long years).
        if let Some(date) = parse_date(text).or_else(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()) {
            // The day must have an end we can represent.
            date.succ_opt().ok_or(TimeProblem::OutOfRange)?;
            return Ok(TimePoint::Date(date));
        }
        let instant = DateTime::parse_from_rfc3339(text).map_err(|_| TimeProblem::Unreadable)?.with_timezone(&Utc);
        instant.checked_add_signed(TimeDelta::nanoseconds(1)).ok_or(TimeProblem::OutOfRange)?;
        Ok(TimePoint::Instant(instant))
    }

    /// The first instant this time covers.
    pub fn start(self) -> DateTime<Utc> {
        match self {
            TimePoint::Date(date) => date.and_time(chrono::NaiveTime::MIN).and_utc(),
            TimePoint::Instant(t) => t,
        }
    }

    /// The first instant after this time (exclusive end). Construction through
    /// parsing guarantees it exists; for an unrepresentable end it saturates.
    pub fn end(self) -> DateTime<Utc> {
        match self {
            TimePoint::Date(date) => date
                .succ_opt()
                .map(|d| d.and_time(chrono::NaiveTime::MIN).and_utc())
                .unwrap_or(DateTime::<Utc>::MAX_UTC),
            TimePoint::Instant(t) => {
                t.checked_add_signed(TimeDelta::nanoseconds(1)).unwrap_or(DateTime::<Utc>::MAX_UTC)
            }
        }
    }

    /// The window this time covers.
    pub fn window(self) -> Window {
        Window { start: self.start(), end: self.end() }
    }
}

/// A time of a claim's `when` as its first and last day or instant: a date
/// or a datetime is both; a month (`2014-03`) runs from its first day to its
/// last, a year (`2014`) from 1 January to 31 December.
pub(crate) fn parse_period(text: &str) -> Result<(TimePoint, TimePoint), TimeProblem> {
    let trimmed = text.trim();
    let b = trimmed.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = b.get(range)?;
        part.iter().try_fold(0u32, |n, &c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')))
    };
    let (first, last) = match b.len() {
        4 => {
            let year = digits(0..4).ok_or(TimeProblem::UnreadableWhen)? as i32;
            (NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year, 12, 31))
        }
        7 if b.get(4) == Some(&b'-') => {
            let year = digits(0..4).ok_or(TimeProblem::UnreadableWhen)? as i32;
            let month = digits(5..7).ok_or(TimeProblem::UnreadableWhen)?;
            let first = NaiveDate::from_ymd_opt(year, month, 1).ok_or(TimeProblem::UnreadableWhen)?;
            let next = first.checked_add_months(chrono::Months::new(1)).ok_or(TimeProblem::OutOfRange)?;
            (Some(first), next.pred_opt())
        }
        _ => {
            let point = TimePoint::parse(text).map_err(|problem| match problem {
                TimeProblem::Unreadable => TimeProblem::UnreadableWhen,
                other => other,
            })?;
            return Ok((point, point));
        }
    };
    match (first, last) {
        (Some(first), Some(last)) => {
            last.succ_opt().ok_or(TimeProblem::OutOfRange)?;
            Ok((TimePoint::Date(first), TimePoint::Date(last)))
        }
        _ => Err(TimeProblem::UnreadableWhen),
    }
}

/// `YYYY-MM-DD` (four-digit year), the common case, without chrono's
/// format machinery; `None` for anything else, including impossible dates.
pub(crate) fn parse_date(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        b[range].iter().try_fold(0u32, |n, &c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')))
    };
    let year = i32::try_from(number(0..4)?).ok()?;
    NaiveDate::from_ymd_opt(year, number(5..7)?, number(8..10)?)
}

impl std::str::FromStr for TimePoint {
    type Err = TimeParseError;

    /// Parses a bare date (`2014-03-22`, the whole UTC day) or an RFC 3339
    /// datetime (that instant, converted to UTC).
    fn from_str(text: &str) -> Result<TimePoint, TimeParseError> {
        TimePoint::parse(text).map_err(|problem| TimeParseError { text: text.to_owned(), problem: problem.describe() })
    }
}

/// Why a string is not a [`TimePoint`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{text:?} is not a time: {problem}")]
pub struct TimeParseError {
    text: String,
    problem: &'static str,
}

impl fmt::Display for TimePoint {
    /// Writes the input form: `2014-03-22` or `2014-03-22T14:00:00Z`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TimePoint::Date(date) => write!(f, "{}", date.format("%Y-%m-%d")),
            TimePoint::Instant(t) => f.write_str(&t.to_rfc3339_opts(SecondsFormat::AutoSi, true)),
        }
    }
}

/// A claim's `when`: one time, or an inclusive range of two.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum When {
    /// A single day or instant.
    At(TimePoint),
    /// From `from` through `to`, both inclusive; `to` does not start before `from`.
    Range {
        /// The first day or instant of the range.
        from: TimePoint,
        /// The last day or instant of the range.
        to: TimePoint,
    },
}

impl When {
    /// The half-open window this covers.
    pub fn window(self) -> Window {
        match self {
            When::At(point) => point.window(),
            When::Range { from, to } => Window { start: from.start(), end: to.end() },
        }
    }
}

/// A half-open time window `[start, end)`, with `start < end`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Window {
    start: DateTime<Utc>,
    end: DateTime<Utc>,
}

impl Window {
    /// Creates `[start, end)`, or `None` unless `start < end`.
    pub fn new(start: DateTime<Utc>, end: DateTime<Utc>) -> Option<Window> {
        (start < end).then_some(Window { start, end })
    }

    /// The first instant inside the window.
    pub fn start(&self) -> DateTime<Utc> {
        self.start
    }

    /// The first instant after the window.
    pub fn end(&self) -> DateTime<Utc> {
        self.end
    }

    /// The window's length.
    pub fn duration(&self) -> TimeDelta {
        self.end - self.start
    }

    /// The common part of two windows, if they share any instant.
    pub fn overlap(&self, other: &Window) -> Option<Window> {
        Window::new(self.start.max(other.start), self.end.min(other.end))
    }

    /// Whether `other` lies entirely inside `self`.
    pub fn contains(&self, other: &Window) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// Whether the window is a single instant (as an RFC 3339 datetime gives).
    pub fn is_instant(&self) -> bool {
        self.end - self.start == TimeDelta::nanoseconds(1)
    }
}

/// Writes an instant as RFC 3339 in UTC with a `Z`, seconds precision unless
/// finer precision is needed: the one format of every time in the output.
pub fn format_instant(t: DateTime<Utc>) -> String {
    use chrono::{Datelike, Timelike};
    // The common case, whole seconds in years 0..=9999, without chrono's
    // general formatter nor `write!` (the report formats millions of these):
    // the digits are put down directly, as `{:04}-{:02}-...` would.
    let naive = t.naive_utc();
    if naive.nanosecond() == 0 && (0..=9999).contains(&naive.year()) {
        let mut digits = [0u8; 20];
        let fields = [
            (0, 4, naive.year().unsigned_abs()),
            (5, 2, naive.month()),
            (8, 2, naive.day()),
            (11, 2, naive.hour()),
            (14, 2, naive.minute()),
            (17, 2, naive.second()),
        ];
        for (at, width, mut value) in fields {
            for digit in digits[at..at + width].iter_mut().rev() {
                *digit = b'0' + (value % 10) as u8;
                value /= 10;
            }
        }
        for (at, separator) in [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':'), (19, b'Z')] {
            digits[at] = separator;
        }
        // ASCII digits and separators: always UTF-8.
        return String::from_utf8(digits.to_vec()).unwrap_or_default();
    }
    t.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn a_month_and_a_year_run_from_their_first_day_to_their_last() {
        let window = |text| {
            let (from, to) = parse_period(text).unwrap();
            When::Range { from, to }.window()
        };
        let march = window("2014-03");
        assert_eq!((march.start(), march.end()), (utc("2014-03-01T00:00:00Z"), utc("2014-04-01T00:00:00Z")));
        let february = window("2016-02");
        assert_eq!(february.end(), utc("2016-03-01T00:00:00Z"));
        let december = window("2014-12");
        assert_eq!(december.end(), utc("2015-01-01T00:00:00Z"));
        let year = window("2014");
        assert_eq!((year.start(), year.end()), (utc("2014-01-01T00:00:00Z"), utc("2015-01-01T00:00:00Z")));
        // A date and a datetime are their own first and last.
        let day = TimePoint::parse("2014-03-22").unwrap();
        assert_eq!(parse_period(" 2014-03-22 "), Ok((day, day)));
        for bad in ["2014-13", "2014-00", "2014-3", "14-03", "201", "20145", "2014-03-", "March 2014", "2014/03"] {
            assert_eq!(parse_period(bad), Err(TimeProblem::UnreadableWhen), "{bad}");
        }
    }

    #[test]
    fn a_date_covers_its_whole_utc_day() {
        let w = TimePoint::parse("2014-03-22").unwrap().window();
        assert_eq!(w.start(), utc("2014-03-22T00:00:00Z"));
        assert_eq!(w.end(), utc("2014-03-23T00:00:00Z"));
        assert!(!w.is_instant());
    }

    #[test]
    fn a_datetime_is_an_instant_converted_to_utc() {
        let p = TimePoint::parse("2014-03-22T14:00:00+02:00").unwrap();
        assert_eq!(p.start(), utc("2014-03-22T12:00:00Z"));
        assert!(p.window().is_instant());
        assert_eq!(p.to_string(), "2014-03-22T12:00:00Z");
    }

    #[test]
    fn a_range_is_inclusive_of_both_ends() {
        let when =
            When::Range { from: TimePoint::parse("2014-03-31").unwrap(), to: TimePoint::parse("2014-04-01").unwrap() };
        let w = when.window();
        assert_eq!(w.start(), utc("2014-03-31T00:00:00Z"));
        assert_eq!(w.end(), utc("2014-04-02T00:00:00Z"));
    }

    #[test]
    fn unreadable_and_out_of_range_times_are_told_apart() {
        assert_eq!(TimePoint::parse("22 March 2014"), Err(TimeProblem::Unreadable));
        assert_eq!(TimePoint::parse("2014-02-30"), Err(TimeProblem::Unreadable));
        assert_eq!(TimePoint::parse("+262142-12-31"), Err(TimeProblem::OutOfRange));
    }

    #[test]
    fn the_fast_instant_format_agrees_with_chrono() {
        let mut times: Vec<DateTime<Utc>> = [
            "2014-03-22T00:00:00Z",
            "2014-03-22T14:05:09Z",
            "0001-01-01T00:00:00Z",
            "9999-12-31T23:59:59Z",
            "2014-03-22T14:05:09.5Z",
        ]
        .iter()
        .map(|text| utc(text))
        .collect();
        times.push(NaiveDate::from_ymd_opt(-44, 3, 15).unwrap().and_hms_opt(12, 0, 0).unwrap().and_utc());
        times.push(NaiveDate::from_ymd_opt(12345, 1, 1).unwrap().and_hms_opt(0, 0, 0).unwrap().and_utc());
        for t in times {
            assert_eq!(format_instant(t), t.to_rfc3339_opts(SecondsFormat::AutoSi, true));
        }
    }

    #[test]
    fn the_fast_date_path_agrees_with_chrono() {
        for text in [
            "2014-03-22",
            "0001-01-01",
            "9999-12-31",
            "2016-02-29",
            "2015-02-29",
            "2014-13-01",
            "2014-00-10",
            "20x4-03-22",
            "2014-03-2a",
        ] {
            assert_eq!(parse_date(text), NaiveDate::parse_from_str(text, "%Y-%m-%d").ok(), "{text}");
        }
        assert_eq!(TimePoint::parse("-0044-03-15").map(|p| p.to_string()), Ok("-0044-03-15".to_owned()));
    }

    #[test]
    fn windows_that_only_touch_do_not_overlap() {
        let a = TimePoint::parse("2014-03-22").unwrap().window();
        let b = TimePoint::parse("2014-03-23").unwrap().window();
        assert!(a.overlap(&b).is_none());
        let c =
            When::Range { from: TimePoint::parse("2014-03-22").unwrap(), to: TimePoint::parse("2014-03-23").unwrap() }
                .window();
        assert_eq!(c.overlap(&b), Some(b));
        assert!(c.contains(&a) && !a.contains(&c));
    }
}
