//! ACLED exports (CSV, with ACLED's own column names, in any order; other
//! columns ignored) read into a [`Document`](super::Document): the reference
//! is [`format_reference`](crate::format_reference), section 1.9.
//!
//! | `sub_event_type` | claim |
//! |---|---|
//! | `Non-state actor overtakes territory`, `Government regains territory`, `Non-violent transfer of territory` | `{"captured": actor1}` |
//! | `Armed clash` | `"contested"` |
//! | `Headquarters or base established` | `{"holds": actor1}` |
//! | anything else | none: counted in [`Imported::ignored`] |
//!
//! Each outlet of `source` (`;`-separated) makes a claim of its own, so that
//! reliability is learned per outlet. The window is `event_date` for
//! `time_precision` 1, the seven days centred on it for 2 (a week), its
//! calendar month for 3. `timestamp` (ACLED's last update, Unix seconds)
//! becomes `reported`, `notes` the `quote`, `event_id_cnty` the `cite`.
//!
//! ```
//! use frontline::input::{acled, sides::Sides};
//!
//! let csv = "event_id_cnty,event_date,time_precision,sub_event_type,actor1,inter1,actor2,inter2,\
//! country,admin1,admin2,admin3,location,latitude,longitude,source,notes,timestamp\n\
//! SYR1,2017-02-23,1,Non-state actor overtakes territory,Syrian National Army,2,Islamic State (Syria),2,\
//! Syria,Aleppo,Al Bab,Al Bab,Al Bab,36.3706,37.5157,Anadolu Agency; SOHR,SNA takes al-Bab.,1487894400\n";
//! let imported = acled::read(csv.as_bytes(), "export.csv", &Sides::default())?;
//! assert_eq!(imported.document.claims.len(), 2); // one per outlet
//! assert_eq!(imported.unmapped_actors["Syrian National Army"], "rebel-groups");
//! let dataset = frontline::Dataset::from_document(imported.document)?;
//! assert_eq!(dataset.sources().len(), 2);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use super::imported::{self, acled_inter_side, Builder, Event, ImportError, Imported, SkipReason};
use super::sides::Sides;
use super::{AssertsRecord, RangeRecord, WhenRecord};
use chrono::{Datelike, NaiveDate, TimeDelta};
use serde::Deserialize;

/// The columns the reader needs; others may be there, in any order.
pub const COLUMNS: [&str; 14] = [
    "event_id_cnty",
    "event_date",
    "time_precision",
    "sub_event_type",
    "actor1",
    "inter1",
    "country",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "source",
    "notes",
    "timestamp",
];

#[derive(Deserialize)]
struct Row<'r> {
    event_id_cnty: &'r str,
    event_date: &'r str,
    time_precision: &'r str,
    sub_event_type: &'r str,
    actor1: &'r str,
    inter1: &'r str,
    #[serde(default)]
    actor2: &'r str,
    #[serde(default)]
    inter2: &'r str,
    country: &'r str,
    admin1: &'r str,
    #[serde(default)]
    admin2: &'r str,
    #[serde(default)]
    admin3: &'r str,
    location: &'r str,
    latitude: &'r str,
    longitude: &'r str,
    source: &'r str,
    notes: &'r str,
    timestamp: &'r str,
}

/// Reads one ACLED export; rows it cannot use are in
/// [`Imported::skipped`]. For several files into one document, see
/// [`Import`](super::Import).
///
/// # Errors
///
/// [`ImportError::Io`] and [`ImportError::MissingColumns`].
pub fn read<R: std::io::Read>(reader: R, file: &str, sides: &Sides) -> Result<Imported, ImportError> {
    let mut builder = Builder::new(sides);
    read_into(&mut builder, reader, file, false)?;
    Ok(builder.finish())
}

pub(crate) fn read_into<R: std::io::Read>(
    builder: &mut Builder<'_>,
    reader: R,
    file: &str,
    strict: bool,
) -> Result<(), ImportError> {
    imported::read_rows(builder, reader, file, strict, &COLUMNS, |builder, headers, record| {
        row_into(builder, &imported::row(headers, record)?)
    })
}

/// The claim one sub-event type makes, given the acting actor; `None` for
/// kinds of event that say nothing about control.
fn assertion(sub_event_type: &str) -> Option<fn(String) -> AssertsRecord> {
    match sub_event_type.trim() {
        "Non-state actor overtakes territory"
        | "Government regains territory"
        | "Non-violent transfer of territory" => Some(AssertsRecord::Captured),
        "Armed clash" => Some(|_| AssertsRecord::Contested),
        "Headquarters or base established" => Some(AssertsRecord::Holds),
        _ => None,
    }
}

fn row_into(builder: &mut Builder<'_>, row: &Row<'_>) -> Result<(), SkipReason> {
    let Some(assert) = assertion(row.sub_event_type) else {
        builder.ignore(row.sub_event_type.trim());
        return Ok(());
    };
    let id = row.event_id_cnty.trim();
    if id.is_empty() {
        return Err(SkipReason::Empty { field: "event_id_cnty" });
    }
    let date = parse_date("event_date", row.event_date)?;
    let when = window(date, row.time_precision)?;
    let reported = match row.timestamp.trim() {
        "" => None,
        text => Some(instant(text)?),
    };
    if row.location.trim().is_empty() {
        return Err(SkipReason::Empty { field: "location" });
    }
    let coords = imported::coords(row.latitude, row.longitude)?;
    let outlets = imported::outlets(row.source);
    if outlets.is_empty() {
        return Err(SkipReason::Empty { field: "source" });
    }
    if row.actor1.trim().is_empty() {
        return Err(SkipReason::Empty { field: "actor1" });
    }
    let actor1 = builder.actor(row.actor1.trim(), acled_inter_side(row.inter1)).ok_or_else(|| {
        SkipReason::UnmappedActor { actor: row.actor1.trim().to_owned(), field: "inter1", code: row.inter1.to_owned() }
    })?;
    if !builder.first_time(id) {
        return Err(SkipReason::DuplicateEvent(id.to_owned()));
    }
    // The other actor takes part in the place's sides when it maps; it is
    // not what the claim asserts, so an unmappable one is no reason to skip.
    if !row.actor2.trim().is_empty() {
        builder.actor(row.actor2.trim(), acled_inter_side(row.inter2));
    }
    let location = imported::location_id(&[row.country, row.admin1, row.admin2, row.admin3, row.location]);
    builder.location(location.clone(), row.location.trim(), coords);
    let notes = row.notes.trim();
    builder.event(Event {
        claim_prefix: id.to_owned(),
        location,
        asserts: assert(actor1),
        when,
        outlets: outlets.into_iter().map(|outlet| (outlet, reported.clone())).collect(),
        cite: id.to_owned(),
        quote: (!notes.is_empty()).then_some(notes),
    });
    Ok(())
}

/// `2014-03-22` or `22 March 2014` (ACLED has used both).
pub(crate) fn parse_date(field: &'static str, text: &str) -> Result<NaiveDate, SkipReason> {
    let text = text.trim();
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(text, "%d %B %Y"))
        .map_err(|_| SkipReason::BadDate { field, value: text.to_owned() })
}

/// The window `time_precision` gives the date: the day (1), the seven days
/// centred on it (2), its calendar month (3).
fn window(date: NaiveDate, precision: &str) -> Result<WhenRecord, SkipReason> {
    let day = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    let range = |from: Option<NaiveDate>, to: Option<NaiveDate>| match (from, to) {
        (Some(from), Some(to)) => Ok(WhenRecord::Range(RangeRecord { from: day(from), to: day(to) })),
        _ => Err(SkipReason::BadDate { field: "event_date", value: day(date) }),
    };
    match precision.trim() {
        "1" => Ok(WhenRecord::At(day(date))),
        "2" => range(date.checked_sub_signed(TimeDelta::days(3)), date.checked_add_signed(TimeDelta::days(3))),
        "3" => {
            let first = date.with_day(1);
            let next = first.and_then(|f| f.checked_add_months(chrono::Months::new(1)));
            range(first, next.and_then(|n| n.pred_opt()))
        }
        other => Err(SkipReason::BadCode { field: "time_precision", value: other.to_owned(), expected: "1, 2, 3" }),
    }
}

/// A Unix time in seconds as an RFC 3339 datetime.
fn instant(text: &str) -> Result<String, SkipReason> {
    let bad = || SkipReason::BadNumber { field: "timestamp", value: text.to_owned() };
    let seconds: i64 = text.parse().map_err(|_| bad())?;
    let instant = chrono::DateTime::from_timestamp(seconds, 0).ok_or_else(bad)?;
    Ok(instant.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_date_forms_and_every_precision() {
        let d = parse_date("event_date", "22 March 2014").unwrap();
        assert_eq!(d, parse_date("event_date", "2014-03-22").unwrap());
        assert!(parse_date("event_date", "32 March 2014").is_err());
        assert_eq!(window(d, "1").unwrap(), WhenRecord::At("2014-03-22".into()));
        let week = WhenRecord::Range(RangeRecord { from: "2014-03-19".into(), to: "2014-03-25".into() });
        assert_eq!(window(d, "2").unwrap(), week);
        let month = WhenRecord::Range(RangeRecord { from: "2014-03-01".into(), to: "2014-03-31".into() });
        assert_eq!(window(d, "3").unwrap(), month);
        let feb = NaiveDate::from_ymd_opt(2016, 2, 10).unwrap();
        let leap = WhenRecord::Range(RangeRecord { from: "2016-02-01".into(), to: "2016-02-29".into() });
        assert_eq!(window(feb, "3").unwrap(), leap);
        assert!(matches!(window(d, "4"), Err(SkipReason::BadCode { field: "time_precision", .. })));
    }

    #[test]
    fn timestamps_are_unix_seconds() {
        assert_eq!(instant("1487894400").unwrap(), "2017-02-24T00:00:00Z");
        assert!(instant("yesterday").is_err());
    }
}
