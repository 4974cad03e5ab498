//! UCDP Georeferenced Event Dataset (GED) exports (CSV, with GED's column
//! names, in any order; other columns ignored) read into a
//! [`Document`](super::Document): the reference is
//! [`format_reference`](crate::format_reference), section 1.9.
//!
//! Each event of state-based or non-state violence (`type_of_violence` 1
//! or 2) is fighting between `side_a` and `side_b`: a `"contested"` claim
//! over `date_start` through `date_end` (GED already widens them by
//! `date_prec`), at the place `where_prec` allows: the named place for 1 (exact)
//! and 2 (within 25 km), the second-order area `adm_2` for 3, the
//! first-order area `adm_1` for 4. An event placed more coarsely (5: a line
//! or an undefined area, 6: the country, 7: international waters) is
//! skipped; one-sided violence (3) is counted in [`Imported::ignored`].
//! Each office of `source_office` (`;`-separated) makes a claim of its own,
//! reported on its `source_date` when the two lists are as long.
//!
//! Sides come from the mapping ([`Sides`]); an actor it does not name is a
//! side of its own, listed in [`Imported::unmapped_actors`].
//!
//! ```
//! use frontline::input::{sides::Sides, ucdp};
//!
//! let csv = "id,type_of_violence,side_a,side_b,source_office,source_date,source_headline,where_prec,\
//! where_description,adm_1,adm_2,latitude,longitude,country,date_prec,date_start,date_end\n\
//! 171,1,Government of Syria,IS,Reuters;AFP,2016-12-01;2016-12-02,Fighting near Tadef,1,\
//! Tadef town,Aleppo governorate,al-Bab district,36.3467,37.5306,Syria,1,2016-12-01,2016-12-01\n";
//! let imported = ucdp::read(csv.as_bytes(), "ged.csv", &Sides::default())?;
//! assert_eq!(imported.document.claims.len(), 2);
//! assert_eq!(imported.document.claims[0].reported.as_deref(), Some("2016-12-01"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use super::imported::{self, Builder, Event, ImportError, Imported, Outcome, Sink, SkipReason, Span};
use super::sides::Sides;
use super::{AssertsRecord, RangeRecord, WhenRecord};
use serde::Deserialize;

/// The columns the reader needs; others may be there, in any order.
pub const COLUMNS: [&str; 16] = [
    "id",
    "type_of_violence",
    "side_a",
    "side_b",
    "source_office",
    "source_date",
    "source_headline",
    "where_prec",
    "where_description",
    "adm_1",
    "adm_2",
    "latitude",
    "longitude",
    "country",
    "date_start",
    "date_end",
];

#[derive(Deserialize)]
struct Row<'r> {
    id: &'r str,
    type_of_violence: &'r str,
    side_a: &'r str,
    side_b: &'r str,
    source_office: &'r str,
    source_date: &'r str,
    source_headline: &'r str,
    where_prec: &'r str,
    where_description: &'r str,
    adm_1: &'r str,
    adm_2: &'r str,
    latitude: &'r str,
    longitude: &'r str,
    country: &'r str,
    date_start: &'r str,
    date_end: &'r str,
}

/// Reads one GED export; rows it cannot use are in [`Imported::skipped`].
/// For several files into one document, see [`Import`](super::Import).
///
/// # Errors
///
/// [`ImportError::Io`] and [`ImportError::MissingColumns`].
pub fn read<R: std::io::Read>(reader: R, file: &str, sides: &Sides) -> Result<Imported, ImportError> {
    let mut import = super::Import::new(sides, false);
    import.ucdp(reader, file)?;
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

/// The parser of a row, by the header's names.
fn prepare(
    headers: &csv::StringRecord,
) -> impl Fn(&csv::StringRecord, &mut Sink) -> Result<Outcome<Parsed>, SkipReason> {
    let headers = headers.clone();
    move |record, sink| parse(&headers, record, sink)
}

/// What the builder needs of a row, in file order, once its claims are made.
struct Parsed {
    id: Span,
    /// `ucdp ID`, the key of its event among all imported, and its [`imported::hash`].
    key: Span,
    key_hash: u64,
    /// Each with its hash; empty when the row has none.
    sides: [(Span, u64); 2],
    location: Span,
    location_hash: u64,
    place: Span,
    coords: Option<[f64; 2]>,
}

/// Everything about a row that needs nothing but the row (run in
/// parallel): its checks, and its claims, put in the sink.
fn parse(
    headers: &csv::StringRecord,
    record: &csv::StringRecord,
    sink: &mut Sink,
) -> Result<Outcome<Parsed>, SkipReason> {
    let row: Row<'_> = imported::row(headers, record)?;
    match row.type_of_violence.trim() {
        "1" | "2" => {}
        "3" => return Ok(Outcome::Ignore("one-sided violence (type_of_violence 3)".to_owned())),
        other => {
            let value = other.to_owned();
            return Err(SkipReason::BadCode { field: "type_of_violence", value, expected: "1, 2, 3" });
        }
    }
    let id = row.id.trim();
    if id.is_empty() {
        return Err(SkipReason::Empty { field: "id" });
    }
    let start = day(row.date_start);
    let end = day(row.date_end);
    let from = super::acled::parse_date("date_start", start)?;
    let to = super::acled::parse_date("date_end", end)?;
    if to < from {
        return Err(SkipReason::InvertedDates { start: start.to_owned(), end: end.to_owned() });
    }
    let when = if from == to {
        WhenRecord::At(imported::iso_date(from))
    } else {
        WhenRecord::Range(RangeRecord { from: imported::iso_date(from), to: imported::iso_date(to) })
    };
    let (place, path): (&str, Vec<&str>) = match row.where_prec.trim() {
        "1" | "2" => (row.where_description, vec![row.country, row.adm_1, row.adm_2, row.where_description]),
        "3" => (row.adm_2, vec![row.country, row.adm_1, row.adm_2]),
        "4" => (row.adm_1, vec![row.country, row.adm_1]),
        coarse @ ("5" | "6" | "7") => return Err(SkipReason::NotPlaced(coarse.parse().unwrap_or(0))),
        other => {
            let value = other.to_owned();
            return Err(SkipReason::BadCode { field: "where_prec", value, expected: "1 to 7" });
        }
    };
    if place.trim().is_empty() {
        return Err(SkipReason::Empty { field: "where_description" });
    }
    let coords = imported::coords(row.latitude, row.longitude)?;
    let mut offices = imported::outlets(row.source_office);
    if offices.is_empty() {
        return Err(SkipReason::Empty { field: "source_office" });
    }
    let dates: Vec<&str> = row.source_date.split(';').map(str::trim).collect();
    let count = offices.len();
    // The n-th date is the n-th office's when the lists match (offices named
    // twice are kept once, which breaks the match: then no date is used).
    let reported = |n: usize| {
        let date = if dates.len() == count { dates.get(n).map(|d| day(d)) } else { None };
        date.and_then(|d| super::acled::parse_date("source_date", d).ok()).map(imported::iso_date)
    };
    for (n, (_, time)) in offices.iter_mut().enumerate() {
        *time = reported(n);
    }
    let headline = row.source_headline.trim();
    let location = imported::location_id(&path);
    let key = format!("ucdp {id}");
    let side = |sink: &mut Sink, name: &str| {
        let name = name.trim();
        (sink.keep(name), if name.is_empty() { 0 } else { imported::hash(name) })
    };
    let parsed = Parsed {
        id: sink.keep(id),
        key_hash: imported::hash(&key),
        key: sink.keep(&key),
        sides: [side(sink, row.side_a), side(sink, row.side_b)],
        location: sink.keep(&location),
        location_hash: imported::hash(&location),
        place: sink.keep(place.trim()),
        coords,
    };
    sink.event(Event {
        claim_prefix: &format!("ucdp-{id}"),
        location,
        asserts: AssertsRecord::Contested,
        when,
        outlets: offices,
        cite: format!("UCDP GED {id}"),
        quote: (!headline.is_empty()).then(|| headline.to_owned()),
    });
    Ok(Outcome::Use(parsed))
}

/// The row's event id checked, its sides mapped and its location added (in
/// file order).
fn apply(builder: &mut Builder<'_>, row: Parsed, text: &str) -> Result<(), SkipReason> {
    if !builder.first_time(row.key.of(text), row.key_hash) {
        return Err(SkipReason::DuplicateEvent(row.id.of(text).to_owned()));
    }
    for (side, hash) in row.sides {
        let side = side.of(text);
        if !side.is_empty() {
            builder.actor(side, hash, Some((side, side)));
        }
    }
    builder.location(row.location.of(text), row.location_hash, row.place.of(text), row.coords);
    Ok(())
}

/// The date of a GED date or datetime (`2016-11-14 00:00:00.000`).
fn day(text: &str) -> &str {
    let text = text.trim();
    text.split([' ', 'T']).next().unwrap_or(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fixture_read_in_chunks_is_the_fixture_read_serially() {
        let text = include_str!("../../tests/data/ucdp-ged-northern-syria.csv").as_bytes();
        let sides = Sides::default();
        let mut builder = Builder::new(&sides);
        read_into(&mut builder, text, "ged.csv", false).unwrap();
        let serial = builder.finish();
        // The fixture has rows skipped for several reasons, an ignored one and unmapped sides.
        assert!(!serial.skipped.is_empty() && !serial.ignored.is_empty() && !serial.unmapped_actors.is_empty());
        for chunk_bytes in [1, 64, 300, 1 << 20] {
            let in_chunks = crate::test_support::in_pool(2, || {
                let mut builder = Builder::new(&sides);
                imported::read_slice(
                    &mut builder,
                    text,
                    "ged.csv",
                    false,
                    &COLUMNS,
                    prepare,
                    apply,
                    &|_| {},
                    chunk_bytes,
                )
                .map(|()| builder.finish())
            });
            assert_eq!(in_chunks.unwrap(), serial, "chunks of {chunk_bytes} bytes");
        }
    }
}
