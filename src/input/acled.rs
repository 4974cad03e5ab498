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

use super::imported::{self, acled_inter_side, Builder, Event, ImportError, Imported, Outcome, Sink, SkipReason, Span};
use super::sides::Sides;
use super::{AssertsRecord, RangeRecord, WhenRecord};
use chrono::{Datelike, NaiveDate, TimeDelta};

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

/// Columns read when the export has them.
const OPTIONAL: [&str; 4] = ["actor2", "inter2", "admin2", "admin3"];

/// Where each column the reader uses is in the header, found once.
struct Positions {
    /// Of [`COLUMNS`], in its order.
    needed: [usize; COLUMNS.len()],
    /// Of [`OPTIONAL`], in its order.
    optional: [Option<usize>; OPTIONAL.len()],
}

impl Positions {
    /// The first column of each name (the header has every one of
    /// [`COLUMNS`]: [`imported::read_rows`] checked).
    fn of(headers: &csv::StringRecord) -> Positions {
        let position = |name: &str| headers.iter().position(|h| h.trim() == name);
        Positions { needed: COLUMNS.map(|name| position(name).unwrap_or(usize::MAX)), optional: OPTIONAL.map(position) }
    }

    /// The row's fields by name.
    fn row<'r>(&self, record: &'r csv::StringRecord) -> Result<Row<'r>, SkipReason> {
        let [event_id_cnty, event_date, time_precision, sub_event_type, actor1, inter1, country, admin1, location, latitude, longitude, source, notes, timestamp] =
            self.needed.map(|at| record.get(at));
        let [actor2, inter2, admin2, admin3] = self.optional.map(|at| at.and_then(|at| record.get(at)).unwrap_or(""));
        let short = || SkipReason::Unreadable(format!("the row has {} fields, fewer than the header", record.len()));
        Ok(Row {
            event_id_cnty: event_id_cnty.ok_or_else(short)?,
            event_date: event_date.ok_or_else(short)?,
            time_precision: time_precision.ok_or_else(short)?,
            sub_event_type: sub_event_type.ok_or_else(short)?,
            actor1: actor1.ok_or_else(short)?,
            inter1: inter1.ok_or_else(short)?,
            actor2,
            inter2,
            country: country.ok_or_else(short)?,
            admin1: admin1.ok_or_else(short)?,
            admin2,
            admin3,
            location: location.ok_or_else(short)?,
            latitude: latitude.ok_or_else(short)?,
            longitude: longitude.ok_or_else(short)?,
            source: source.ok_or_else(short)?,
            notes: notes.ok_or_else(short)?,
            timestamp: timestamp.ok_or_else(short)?,
        })
    }
}

/// A row's fields by name.
struct Row<'r> {
    event_id_cnty: &'r str,
    event_date: &'r str,
    time_precision: &'r str,
    sub_event_type: &'r str,
    actor1: &'r str,
    inter1: &'r str,
    actor2: &'r str,
    inter2: &'r str,
    country: &'r str,
    admin1: &'r str,
    admin2: &'r str,
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
    let mut import = super::Import::new(sides, false);
    import.acled(reader, file)?;
    Ok(import.finish())
}

pub(crate) fn read_into<R: std::io::Read>(
    builder: &mut Builder<'_>,
    reader: R,
    file: &str,
    strict: bool,
) -> Result<(), ImportError> {
    imported::read_rows(builder, reader, file, strict, &COLUMNS, prepare, apply)
}

/// `release` is given each part of `text` that is read and applied.
pub(crate) fn read_slice_into(
    builder: &mut Builder<'_>,
    text: &[u8],
    file: &str,
    strict: bool,
    release: &dyn Fn(&[u8]),
) -> Result<(), ImportError> {
    imported::read_slice(builder, text, file, strict, &COLUMNS, prepare, apply, release, imported::CHUNK_BYTES)
}

/// The parser of a row, given the header.
fn prepare(
    headers: &csv::StringRecord,
) -> impl Fn(&csv::StringRecord, &mut Sink) -> Result<Outcome<Parsed>, SkipReason> {
    let positions = Positions::of(headers);
    move |record, sink| parse(&positions, record, sink)
}

/// The claim one sub-event type makes, given the acting actor; `None` for
/// kinds of event that say nothing about control.
fn assertion(sub_event_type: &str) -> Option<fn(&str) -> AssertsRecord> {
    match imported::trim(sub_event_type) {
        "Non-state actor overtakes territory"
        | "Government regains territory"
        | "Non-violent transfer of territory" => Some(|actor| AssertsRecord::Captured(actor.to_owned())),
        "Armed clash" => Some(|_| AssertsRecord::Contested),
        "Headquarters or base established" => Some(|actor| AssertsRecord::Holds(actor.to_owned())),
        _ => None,
    }
}

/// The side an unmapped actor falls back to (by its `inter` code), or the
/// code when it names no kind of actor.
type Fallback = Result<(&'static str, &'static str), String>;

/// What the builder needs of a row, in file order, once its claims are made.
struct Parsed {
    id: Span,
    /// The [`imported::hash`] of `id`, and so on below.
    id_hash: u64,
    actor1: Span,
    actor1_hash: u64,
    fallback1: Fallback,
    /// Empty when the row has none.
    actor2: Span,
    actor2_hash: u64,
    fallback2: Fallback,
    location: Span,
    location_hash: u64,
    /// The location's name: the end of its id, this long.
    name_len: usize,
    coords: Option<[f64; 2]>,
}

fn fallback(code: &str) -> Fallback {
    acled_inter_side(code).ok_or_else(|| code.to_owned())
}

/// Everything about a row that needs nothing but the row (run in
/// parallel): its checks, and its claims, put in the sink.
fn parse(positions: &Positions, record: &csv::StringRecord, sink: &mut Sink) -> Result<Outcome<Parsed>, SkipReason> {
    let row = positions.row(record)?;
    let Some(assert) = assertion(row.sub_event_type) else {
        return Ok(Outcome::Ignore(imported::trim(row.sub_event_type).to_owned()));
    };
    let id = imported::trim(row.event_id_cnty);
    if id.is_empty() {
        return Err(SkipReason::Empty { field: "event_id_cnty" });
    }
    let date = parse_date("event_date", row.event_date)?;
    let when = window(date, row.time_precision)?;
    let reported = match imported::trim(row.timestamp) {
        "" => None,
        text => Some(instant(text)?),
    };
    let name = imported::trim(row.location);
    if name.is_empty() {
        return Err(SkipReason::Empty { field: "location" });
    }
    let coords = imported::coords(row.latitude, row.longitude)?;
    let outlets = imported::outlets(row.source);
    if outlets.is_empty() {
        return Err(SkipReason::Empty { field: "source" });
    }
    let actor1 = imported::trim(row.actor1);
    if actor1.is_empty() {
        return Err(SkipReason::Empty { field: "actor1" });
    }
    let actor2 = imported::trim(row.actor2);
    let notes = imported::trim(row.notes);
    let location = imported::location_id(&[row.country, row.admin1, row.admin2, row.admin3, row.location]);
    let parsed = Parsed {
        id: sink.keep(id),
        id_hash: imported::hash(id),
        actor1: sink.keep(actor1),
        actor1_hash: imported::hash(actor1),
        fallback1: fallback(row.inter1),
        actor2: sink.keep(actor2),
        actor2_hash: if actor2.is_empty() { 0 } else { imported::hash(actor2) },
        fallback2: if actor2.is_empty() { Err(String::new()) } else { fallback(row.inter2) },
        location: sink.keep(&location),
        location_hash: imported::hash(&location),
        name_len: name.len(),
        coords,
    };
    // Every outlet reported at the row's time; the last takes the string.
    let mut outlets = outlets;
    if let Some(((_, last), others)) = outlets.split_last_mut() {
        for (_, time) in others {
            time.clone_from(&reported);
        }
        *last = reported;
    }
    sink.event(Event {
        claim_prefix: id,
        cite: id.to_owned(),
        location,
        asserts: assert(actor1),
        when,
        outlets,
        quote: (!notes.is_empty()).then(|| notes.to_owned()),
    });
    Ok(Outcome::Use(parsed))
}

/// The row's actors mapped to sides, its event id checked and its location
/// added (in file order).
fn apply(builder: &mut Builder<'_>, row: Parsed, text: &str) -> Result<(), SkipReason> {
    let actor1 = row.actor1.of(text);
    if !builder.actor(actor1, row.actor1_hash, row.fallback1.as_ref().ok().copied()) {
        return Err(SkipReason::UnmappedActor {
            actor: actor1.to_owned(),
            field: "inter1",
            code: row.fallback1.err().unwrap_or_default(),
        });
    }
    let id = row.id.of(text);
    if !builder.first_time(id, row.id_hash) {
        return Err(SkipReason::DuplicateEvent(id.to_owned()));
    }
    // The other actor takes part in the place's sides when it maps; it is
    // not what the claim asserts, so an unmappable one is no reason to skip.
    let actor2 = row.actor2.of(text);
    if !actor2.is_empty() {
        builder.actor(actor2, row.actor2_hash, row.fallback2.ok());
    }
    let location = row.location.of(text);
    let name = location.get(location.len().saturating_sub(row.name_len)..).unwrap_or_default();
    builder.location(location, row.location_hash, name, row.coords);
    Ok(())
}

/// `2014-03-22` or `22 March 2014` (ACLED has used both).
pub(crate) fn parse_date(field: &'static str, text: &str) -> Result<NaiveDate, SkipReason> {
    let text = imported::trim(text);
    crate::model::time::parse_date(text)
        .or_else(|| day_month_year(text))
        .or_else(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok())
        .or_else(|| NaiveDate::parse_from_str(text, "%d %B %Y").ok())
        .ok_or_else(|| SkipReason::BadDate { field, value: text.to_owned() })
}

/// `22 March 2014` with the month's full English name, the common case of
/// the second form, without chrono's format machinery (which reads the
/// rest, abbreviations included).
fn day_month_year(text: &str) -> Option<NaiveDate> {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let mut parts = text.split(' ');
    let (day, month, year) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || year.len() != 4 || !(1..=2).contains(&day.len()) {
        return None;
    }
    let month = MONTHS.iter().position(|m| m.eq_ignore_ascii_case(month))?;
    NaiveDate::from_ymd_opt(year.parse().ok()?, u32::try_from(month).ok()? + 1, day.parse().ok()?)
}

/// The window `time_precision` gives the date: the day (1), the seven days
/// centred on it (2), its calendar month (3).
fn window(date: NaiveDate, precision: &str) -> Result<WhenRecord, SkipReason> {
    let day = imported::iso_date;
    let range = |from: Option<NaiveDate>, to: Option<NaiveDate>| match (from, to) {
        (Some(from), Some(to)) => Ok(WhenRecord::Range(RangeRecord { from: day(from), to: day(to) })),
        _ => Err(SkipReason::BadDate { field: "event_date", value: day(date) }),
    };
    match imported::trim(precision) {
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
    Ok(imported::rfc3339_seconds(instant))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_date_forms_and_every_precision() {
        let d = parse_date("event_date", "22 March 2014").unwrap();
        assert_eq!(d, parse_date("event_date", "2014-03-22").unwrap());
        assert!(parse_date("event_date", "32 March 2014").is_err());
        assert_eq!(parse_date("event_date", "2 Mar 2014").unwrap(), NaiveDate::from_ymd_opt(2014, 3, 2).unwrap());
        assert_eq!(parse_date("event_date", "02 march 2014").unwrap(), NaiveDate::from_ymd_opt(2014, 3, 2).unwrap());
        assert!(parse_date("event_date", "22 Marchh 2014").is_err());
        assert!(parse_date("event_date", "22 March 2014 x").is_err());
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
    fn rows_keep_their_order_and_numbers_across_batches() {
        // More rows than a batch; a bad date and a repeated event id after
        // the first batch.
        let mut csv = String::from(
            "event_id_cnty,event_date,time_precision,sub_event_type,actor1,inter1,country,admin1,location,\
             latitude,longitude,source,notes,timestamp\n",
        );
        let rows = super::imported::BATCH + 100;
        for n in 0..rows {
            let (id, date) = match n {
                n if n == rows - 50 => (format!("E{n}"), "2014-02-30"),
                n if n == rows - 10 => ("E3".to_owned(), "2014-03-22"),
                n => (format!("E{n}"), "2014-03-22"),
            };
            csv.push_str(&format!("{id},{date},1,Armed clash,Army,1,Syria,Latakia,Kasab,35.92,35.98,SOHR,,\n"));
        }
        let imported = read(csv.as_bytes(), "big.csv", &Sides::default()).unwrap();
        let lines: Vec<u64> = imported.skipped.iter().map(|s| s.row).collect();
        // Data row n is on line n + 2 (the header is line 1).
        assert_eq!(lines, [(rows - 50 + 2) as u64, (rows - 10 + 2) as u64]);
        assert!(matches!(imported.skipped[1].reason, SkipReason::DuplicateEvent(ref id) if id == "E3"));
        let ids: Vec<String> =
            (0..rows).filter(|&n| n != rows - 50 && n != rows - 10).map(|n| format!("E{n}/SOHR")).collect();
        let claims: Vec<&str> = imported.document.claims.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(claims, ids);
    }

    #[test]
    fn a_row_that_does_not_fit_the_header_is_skipped_with_its_line() {
        let csv = "event_id_cnty,event_date,time_precision,sub_event_type,actor1,inter1,country,admin1,location,\
                   latitude,longitude,source,notes,timestamp\n\
                   E1,2014-03-22,1,Armed clash,Army,1,Syria,Latakia,Kasab,35.92,35.98,SOHR,,\n\
                   E2,2014-03-23,1,Armed clash,Army,1,Syria\n\
                   E3,2014-03-24,1,Armed clash,Army,1,Syria,Latakia,Kasab,35.92,35.98,SOHR,,\n";
        let imported = read(csv.as_bytes(), "short-row.csv", &Sides::default()).unwrap();
        assert_eq!(imported.skipped.len(), 1);
        assert_eq!(imported.skipped[0].row, 3);
        assert!(matches!(imported.skipped[0].reason, SkipReason::Unreadable(_)), "{}", imported.skipped[0]);
        let ids: Vec<&str> = imported.document.claims.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["E1/SOHR", "E3/SOHR"]);
    }

    const HEADER: &str = "event_id_cnty,event_date,time_precision,sub_event_type,actor1,inter1,country,admin1,\
                          location,latitude,longitude,source,notes,timestamp";

    /// The text imported serially (from a reader) and in chunks of
    /// `chunk_bytes` on two threads: the imports, or their errors' words.
    fn serial_and_in_chunks(text: &[u8], chunk_bytes: usize, strict: bool) -> [Result<Imported, String>; 2] {
        let sides = Sides::default();
        let serial = {
            let mut builder = Builder::new(&sides);
            read_into(&mut builder, text, "t.csv", strict).map(|()| builder.finish()).map_err(|e| e.to_string())
        };
        let in_chunks = crate::test_support::in_pool(2, || {
            let mut builder = Builder::new(&sides);
            imported::read_slice(&mut builder, text, "t.csv", strict, &COLUMNS, prepare, apply, &|_| {}, chunk_bytes)
                .map(|()| builder.finish())
                .map_err(|e| e.to_string())
        });
        [serial, in_chunks]
    }

    fn row(id: &str, date: &str, notes: &str) -> String {
        format!("{id},{date},1,Armed clash,Army,1,Syria,Latakia,Kasab,35.92,35.98,SOHR,{notes},\n")
    }

    #[test]
    fn a_quoted_line_feed_across_a_chunk_boundary_stays_in_its_row() {
        let notes = "\"Fighting, then\nmore fighting.\nA \"\"quote\"\".\"";
        let text = format!(
            "{HEADER}\n{}{}{}",
            row("E1", "2014-03-22", ""),
            row("E2", "2014-03-22", notes),
            row("E3", "2014-03-22", "")
        );
        // Every chunk size, so that some cut inside the quoted notes.
        for chunk_bytes in 1..text.len() + 1 {
            let [serial, in_chunks] = serial_and_in_chunks(text.as_bytes(), chunk_bytes, false);
            assert_eq!(in_chunks, serial, "chunks of {chunk_bytes} bytes");
        }
        let [imported, _] = serial_and_in_chunks(text.as_bytes(), 40, false);
        let imported = imported.unwrap();
        assert_eq!(imported.document.claims.len(), 3);
        assert_eq!(imported.document.claims[1].quote.as_deref(), Some("Fighting, then\nmore fighting.\nA \"quote\"."));
    }

    #[test]
    fn a_bad_row_in_a_later_chunk_is_named_by_its_line() {
        // The header is line 1; E1 takes lines 2 to 4 (its notes hold two
        // line feeds); the bad date is on line 6, a short row on line 7.
        let text = format!(
            "{HEADER}\n{}{}{}E4,2014-03-24,1,Armed clash\n{}",
            row("E1", "2014-03-22", "\"a\nb\nc\""),
            row("E2", "2014-03-22", ""),
            row("E3", "2014-02-30", ""),
            row("E5", "2014-03-22", "")
        );
        for chunk_bytes in [1, 50, 100, 200] {
            let [serial, in_chunks] = serial_and_in_chunks(text.as_bytes(), chunk_bytes, false);
            assert_eq!(in_chunks, serial, "chunks of {chunk_bytes} bytes");
            let imported = in_chunks.unwrap();
            let rows: Vec<u64> = imported.skipped.iter().map(|s| s.row).collect();
            assert_eq!(rows, [6, 7], "chunks of {chunk_bytes} bytes");
            assert!(matches!(imported.skipped[0].reason, SkipReason::BadDate { .. }));
            assert!(imported.skipped[1].to_string().contains("found record with 4 fields"), "{}", imported.skipped[1]);
            let [serial, in_chunks] = serial_and_in_chunks(text.as_bytes(), chunk_bytes, true);
            assert_eq!(in_chunks, serial);
            assert!(in_chunks.unwrap_err().starts_with("t.csv, row 6: "));
        }
    }

    mod generated {
        use super::*;
        use proptest::prelude::*;

        /// A field's text, quoted when it must be (or anyway, at random).
        fn field(text: String, quote: bool) -> String {
            if quote || text.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", text.replace('"', "\"\""))
            } else {
                text
            }
        }

        /// One line of an ACLED-like export: a row (good or bad in the ways
        /// exports are), an empty line, or a row the csv reader refuses.
        fn line() -> impl Strategy<Value = Vec<u8>> {
            let id = (0u8..12).prop_map(|n| format!("E{n}"));
            let date = prop::sample::select(vec!["2014-03-22", "22 March 2014", "2014-02-30", ""]);
            let kind = prop::sample::select(vec!["Armed clash", "Government regains territory", "Air/drone strike"]);
            let actor = prop::sample::select(vec![("Army", "1"), ("SDF", "2"), ("Band", "x"), ("", "1")]);
            let notes = ("[a ,\"\n\r\u{e9}]{0,12}", any::<bool>()).prop_map(|(text, quote)| field(text, quote));
            let place = prop::sample::select(vec!["Kasab", "Rabia", ""]);
            let row = (id, date, kind, actor, notes, place).prop_map(|(id, date, kind, (actor, inter), notes, place)| {
                format!("{id},{date},1,{kind},{actor},{inter},Syria,Latakia,{place},35.9,35.9,SOHR; SANA,{notes},1487894400")
                    .into_bytes()
            });
            prop_oneof![
                8 => row,
                1 => Just(Vec::new()),
                1 => Just(b"E9,2014-03-22,1,Armed clash".to_vec()),
                1 => Just(b"E10,2014-03-22,1,Armed clash,Army,1,Syria,Latakia,Kasab,35.9,35.9,SOHR,\xff,".to_vec()),
                1 => Just(b"E11,2014-03-22,1,Armed clash,Army,1,Syria,Latakia,Kasab,35.9,35.9,SOHR,a\"b,".to_vec()),
            ]
        }

        proptest! {
            #[test]
            fn rows_read_in_chunks_are_the_rows_read_serially(
                lines in prop::collection::vec((line(), prop::sample::select(vec!["\n", "\r\n", "\r"])), 0..24),
                last in any::<bool>(),
                chunk_bytes in 1usize..300,
                strict in any::<bool>(),
            ) {
                let mut text = format!("{HEADER}\r\n").into_bytes();
                let count = lines.len();
                for (n, (line, end)) in lines.into_iter().enumerate() {
                    text.extend(line);
                    if n + 1 < count || last {
                        text.extend(end.as_bytes());
                    }
                }
                let [serial, in_chunks] = serial_and_in_chunks(&text, chunk_bytes, strict);
                prop_assert_eq!(in_chunks, serial);
            }
        }
    }

    #[test]
    fn every_part_read_in_chunks_is_released_once_in_order() {
        let header = "event_id_cnty,event_date,time_precision,sub_event_type,actor1,inter1,country,admin1,location,\
                      latitude,longitude,source,notes,timestamp\n";
        let mut text = String::from(header);
        for n in 0..200 {
            text.push_str(&format!("E{n},2014-03-22,1,Armed clash,Army,1,Syria,Latakia,Kasab,35.92,35.98,SOHR,,\n"));
        }
        let text = text.as_bytes();
        let sides = Sides::default();
        for chunk_bytes in [1, 64, 300, 1 << 20] {
            let released = std::sync::Mutex::new(Vec::new());
            let release = |part: &[u8]| {
                let start = part.as_ptr() as usize - text.as_ptr() as usize;
                released.lock().unwrap().push(start..start + part.len());
            };
            let claims = crate::test_support::in_pool(2, || {
                let mut builder = Builder::new(&sides);
                imported::read_slice(
                    &mut builder,
                    text,
                    "t.csv",
                    false,
                    &COLUMNS,
                    prepare,
                    apply,
                    &release,
                    chunk_bytes,
                )
                .map(|()| builder.finish().document.claims.len())
            });
            assert_eq!(claims.unwrap(), 200);
            // The parts follow each other from the end of the header to the end of the text.
            let mut end = header.len();
            for part in released.into_inner().unwrap() {
                assert_eq!(part.start, end, "chunks of {chunk_bytes} bytes");
                end = part.end;
            }
            assert_eq!(end, text.len(), "chunks of {chunk_bytes} bytes");
        }
    }

    #[test]
    fn timestamps_are_unix_seconds() {
        assert_eq!(instant("1487894400").unwrap(), "2017-02-24T00:00:00Z");
        assert!(instant("yesterday").is_err());
    }
}
