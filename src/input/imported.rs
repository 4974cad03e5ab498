//! What the readers of other formats ([`acled`](super::acled),
//! [`ucdp`](super::ucdp)) return: a [`Document`] and the account of every
//! row that did not become claims; and the builder they share.

use super::sides::Sides;
use super::{ActorRecord, AssertsRecord, ClaimRecord, Document, LocationRecord, SourceRecord, WhenRecord};
use crate::model::Certainty;
use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasherDefault;
use std::ops::Range;

/// An imported export: the document, and every row that is not in it.
///
/// Nothing is dropped silently: a row is either claims in `document`, or in
/// `skipped` (it should have been usable but was not: with its row number
/// and the reason), or counted in `ignored` (its kind of event says nothing
/// about who holds the place, such as an air strike).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Imported {
    /// The claims, with the actors, sources and locations they name.
    pub document: Document,
    /// Rows that could not be used, in file and row order.
    pub skipped: Vec<SkippedRow>,
    /// Rows of kinds of event that say nothing about control, counted by kind
    /// (ACLED's `sub_event_type`, UCDP's `type_of_violence`).
    pub ignored: BTreeMap<String, u64>,
    /// Actors that the mapping of sides does not name, each with the side it
    /// fell back to.
    pub unmapped_actors: BTreeMap<String, String>,
}

/// A row that could not be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SkippedRow {
    /// The file it is in, as the caller named it.
    pub file: String,
    /// Its line in the file (the header is line 1).
    pub row: u64,
    /// Why it could not be used.
    pub reason: SkipReason,
}

impl std::fmt::Display for SkippedRow {
    /// `x.csv, row 7: event_date "32 March 2014" is not a date ...`
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}, row {}: {}", self.file, self.row, self.reason)
    }
}

/// Why a row could not be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SkipReason {
    /// A field that must have a value is empty.
    #[error("`{field}` is empty")]
    Empty {
        /// The column.
        field: &'static str,
    },
    /// A date that cannot be read.
    #[error("`{field}` is {value:?}, not a date (YYYY-MM-DD or \"22 March 2014\")")]
    BadDate {
        /// The column.
        field: &'static str,
        /// The text given.
        value: String,
    },
    /// A code outside the values the format defines.
    #[error("`{field}` is {value:?}, not one of {expected}")]
    BadCode {
        /// The column.
        field: &'static str,
        /// The text given.
        value: String,
        /// The values allowed.
        expected: &'static str,
    },
    /// A number that cannot be read.
    #[error("`{field}` is {value:?}, not a number")]
    BadNumber {
        /// The column.
        field: &'static str,
        /// The text given.
        value: String,
    },
    /// Latitude and longitude that are not a place on Earth.
    #[error(
        "latitude {latitude:?}, longitude {longitude:?} is not a place (latitude within ±90, longitude within ±180)"
    )]
    BadCoordinates {
        /// The latitude given.
        latitude: String,
        /// The longitude given.
        longitude: String,
    },
    /// The acting actor maps to no side.
    #[error("actor {actor:?} is not in the mapping of sides and `{field}` ({code:?}) names no kind of actor")]
    UnmappedActor {
        /// The actor.
        actor: String,
        /// The column of its type code.
        field: &'static str,
        /// The code given.
        code: String,
    },
    /// The event is placed too coarsely to be about one location.
    #[error("`where_prec` is {0}: the event is not placed at a location (only 1 to 4 are)")]
    NotPlaced(u8),
    /// The window ends before it starts.
    #[error("`date_end` ({end}) is before `date_start` ({start})")]
    InvertedDates {
        /// `date_start`.
        start: String,
        /// `date_end`.
        end: String,
    },
    /// An event id seen on an earlier row.
    #[error("event {0:?} repeats an earlier row's id")]
    DuplicateEvent(String),
    /// The row does not fit the file's header (a wrong number of fields, or
    /// text that is not UTF-8).
    #[error("unreadable row: {0}")]
    Unreadable(String),
}

/// Why an export could not be imported at all.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ImportError {
    /// The file could not be read.
    #[error("{file}: could not read it")]
    Io {
        /// The file.
        file: String,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The header lacks columns the reader needs.
    #[error("{file}: the header has no column {}", .columns.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", "))]
    MissingColumns {
        /// The file.
        file: String,
        /// The columns missing.
        columns: Vec<&'static str>,
    },
    /// The mapping of sides is not one ([`Sides`]).
    #[error("the mapping of sides: {problem}")]
    Sides {
        /// What is wrong with it.
        problem: String,
    },
    /// A row could not be used and the import is strict.
    #[error("{0} (strict import)")]
    Strict(SkippedRow),
}

/// The kinds of ACLED actor (`inter1`, `inter2`), by number and by the words
/// of the 2023 layout, with the id of the side an unmapped actor falls back to.
pub(crate) fn acled_inter_side(code: &str) -> Option<(&'static str, &'static str)> {
    const KINDS: [(&str, &str, &str); 8] = [
        ("1", "state forces", "state-forces"),
        ("2", "rebel group", "rebel-groups"),
        ("3", "political militia", "political-militias"),
        ("4", "identity militia", "identity-militias"),
        ("5", "rioters", "rioters"),
        ("6", "protesters", "protesters"),
        ("7", "civilians", "civilians"),
        ("8", "external/other forces", "external-other-forces"),
    ];
    let code = trim(code);
    KINDS
        .iter()
        .find(|(number, words, _)| code == *number || code.eq_ignore_ascii_case(words))
        .map(|&(_, words, id)| (id, words))
}

/// Builds one document from the rows of one or more exports.
#[derive(Debug)]
pub(crate) struct Builder<'a> {
    sides: &'a Sides,
    actors: BTreeMap<String, ActorRecord>,
    /// The ids of `actors`, by their [`hash`].
    actor_ids: Seen,
    sources: BTreeMap<String, SourceRecord>,
    /// The ids of `sources`, by their [`hash`].
    source_ids: Seen,
    locations: BTreeMap<String, LocationRecord>,
    /// The ids of `locations`, by their [`hash`].
    location_ids: Seen,
    claims: Vec<ClaimRecord>,
    /// Event ids seen, by the hash [`hash`] gave them while parsing.
    events: Events,
    imported: Imported,
}

/// One event, read from a row, before it becomes one claim per outlet.
pub(crate) struct Event<'r> {
    pub claim_prefix: &'r str,
    pub location: String,
    pub asserts: AssertsRecord,
    pub when: WhenRecord,
    /// Each outlet, with the time it reported.
    pub outlets: Vec<(&'r str, Option<String>)>,
    pub cite: String,
    pub quote: Option<String>,
}

/// One claim per outlet of the event, added to `claims` (while parsing, in
/// parallel: the claims need nothing but the row).
pub(crate) fn claims(claims: &mut Vec<ClaimRecord>, event: Event<'_>) {
    let Event { claim_prefix, location, asserts, when, outlets, cite, quote } = event;
    let mut last = Some((location, asserts, when, cite, quote));
    let count = outlets.len();
    for (n, (outlet, reported)) in outlets.into_iter().enumerate() {
        // The last outlet takes the event's strings; the others copy them.
        let Some(shared) = (if n + 1 == count { last.take() } else { last.clone() }) else { break };
        let (location, asserts, when, cite, quote) = shared;
        claims.push(ClaimRecord {
            id: claim_id(claim_prefix, outlet),
            source: outlet.to_owned(),
            location,
            asserts,
            when,
            certainty: Certainty::Reported,
            reported,
            cite: Some(cite),
            quote,
        });
    }
}

impl<'a> Builder<'a> {
    pub(crate) fn new(sides: &'a Sides) -> Builder<'a> {
        let mut builder = Builder {
            sides,
            actors: BTreeMap::new(),
            actor_ids: Seen::default(),
            sources: BTreeMap::new(),
            source_ids: Seen::default(),
            locations: BTreeMap::new(),
            location_ids: Seen::default(),
            claims: Vec::new(),
            events: Events::default(),
            imported: Imported::default(),
        };
        for side in sides.sides() {
            builder.side(side, None);
        }
        builder
    }

    fn side(&mut self, id: &str, name: Option<&str>) {
        let hash = hash(id);
        if !self.actor_ids.contains(hash, id) {
            let record = ActorRecord { id: id.to_owned(), name: name.map(str::to_owned), parent: None };
            self.actors.insert(id.to_owned(), record);
            self.actor_ids.insert(hash, id);
        }
    }

    /// Adds the actor (its id is its name; `hash` is the name's [`hash`])
    /// with its side as parent: the side the mapping gives, or else
    /// `fallback` (id, display name), which is then listed among the
    /// unmapped actors. `false` when neither maps it.
    pub(crate) fn actor(&mut self, name: &str, hash: u64, fallback: Option<(&str, &str)>) -> bool {
        if self.actor_ids.contains(hash, name) {
            return true;
        }
        let side = match self.sides.side_of(name) {
            Some(side) => side.to_owned(),
            None => {
                let Some((side, side_name)) = fallback else { return false };
                self.side(side, Some(side_name));
                self.imported.unmapped_actors.insert(name.to_owned(), side.to_owned());
                side.to_owned()
            }
        };
        self.side(&side, None);
        if name != side {
            let record = ActorRecord { id: name.to_owned(), name: None, parent: Some(side) };
            self.actors.insert(name.to_owned(), record);
            self.actor_ids.insert(hash, name);
        }
        true
    }

    /// Adds the location the first time its id is seen (`hash`: the id's [`hash`]).
    pub(crate) fn location(&mut self, id: &str, hash: u64, name: &str, coords: Option<[f64; 2]>) {
        if !self.location_ids.contains(hash, id) {
            let record =
                LocationRecord { id: id.to_owned(), name: Some(name.to_owned()), coords, ..LocationRecord::default() };
            self.locations.insert(id.to_owned(), record);
            self.location_ids.insert(hash, id);
        }
    }

    /// Adds the sources of a row's claims the first time each is seen
    /// (`hashes`: their [`hash`]es).
    fn sources(&mut self, claims: &[ClaimRecord], hashes: &[u64]) {
        for (claim, &hash) in claims.iter().zip(hashes) {
            let outlet = claim.source.as_str();
            if !self.source_ids.contains(hash, outlet) {
                let affiliation = self.sides.affiliation_of(outlet).map(str::to_owned);
                if let Some(side) = &affiliation {
                    self.side(side, None);
                }
                let record = SourceRecord { id: outlet.to_owned(), affiliation, ..SourceRecord::default() };
                self.sources.insert(outlet.to_owned(), record);
                self.source_ids.insert(hash, outlet);
            }
        }
    }

    pub(crate) fn ignore(&mut self, kind: &str) {
        match self.imported.ignored.get_mut(kind) {
            Some(count) => *count += 1,
            None => {
                self.imported.ignored.insert(kind.to_owned(), 1);
            }
        }
    }

    /// Records a row that could not be used; an error when `strict`.
    pub(crate) fn skip(&mut self, file: &str, row: u64, reason: SkipReason, strict: bool) -> Result<(), ImportError> {
        let skipped = SkippedRow { file: file.to_owned(), row, reason };
        if strict {
            return Err(ImportError::Strict(skipped));
        }
        self.imported.skipped.push(skipped);
        Ok(())
    }

    /// Whether the event id is new; remembers it. `hash` is the id's
    /// [`hash`], computed where the row is parsed.
    pub(crate) fn first_time(&mut self, event: &str, hash: u64) -> bool {
        self.events.insert(hash, event)
    }

    /// Room for about `claims` more claims from about `rows` more rows.
    fn reserve(&mut self, claims: usize, rows: usize) {
        self.claims.reserve(claims);
        self.events.first.reserve(rows);
    }

    pub(crate) fn finish(self) -> Imported {
        let mut imported = self.imported;
        imported.document = Document {
            actors: self.actors.into_values().collect(),
            sources: self.sources.into_values().collect(),
            locations: self.locations.into_values().collect(),
            claims: self.claims,
        };
        imported
    }
}

/// The hash of an id (an event's, an actor's, a location's, an outlet's),
/// computed with the rest of its row (in parallel), so that the tables
/// filled one row at a time in file order do not hash.
pub(crate) fn hash(id: &str) -> u64 {
    use std::hash::BuildHasher;
    foldhash::fast::FixedState::default().hash_one(id)
}

/// Strings seen, found by their [`hash`] (a hash shared by two strings
/// keeps both).
#[derive(Debug, Default)]
struct Seen(HashMap<u64, Vec<String>, BuildHasherDefault<Prehashed>>);

impl Seen {
    fn contains(&self, hash: u64, text: &str) -> bool {
        self.0.get(&hash).is_some_and(|texts| texts.iter().any(|t| t == text))
    }

    fn insert(&mut self, hash: u64, text: &str) {
        self.0.entry(hash).or_default().push(text.to_owned());
    }
}

/// The set of event ids seen: a million ids are a million rows, so they
/// are kept in one string, not a string each, and found by their [`hash`].
#[derive(Debug, Default)]
struct Events {
    /// Each hash, with where the first id of that hash is in `text`.
    first: HashMap<u64, Range<usize>, BuildHasherDefault<Prehashed>>,
    /// Other ids of a hash already in `first` (two ids with one hash).
    others: Vec<(u64, Range<usize>)>,
    text: String,
}

impl Events {
    /// Adds the id; `false` if it was there.
    fn insert(&mut self, hash: u64, id: &str) -> bool {
        let text = &self.text;
        let is = |at: &Range<usize>| text.get(at.clone()) == Some(id);
        let seen = match self.first.get(&hash) {
            None => false,
            Some(at) => is(at) || self.others.iter().any(|(other, at)| *other == hash && is(at)),
        };
        if seen {
            return false;
        }
        let at = self.text.len()..self.text.len() + id.len();
        self.text.push_str(id);
        match self.first.entry(hash) {
            std::collections::hash_map::Entry::Vacant(entry) => {
                entry.insert(at);
            }
            std::collections::hash_map::Entry::Occupied(_) => self.others.push((hash, at)),
        }
        true
    }
}

/// The hasher of [`Events`] and [`Seen`]: their hash, already computed.
#[derive(Debug, Default)]
struct Prehashed(u64);

impl std::hash::Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only `write_u64` is used; any other key still hashes.
        for &byte in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(byte);
        }
    }

    fn write_u64(&mut self, hash: u64) {
        self.0 = hash;
    }
}

/// `EVENT/OUTLET`, the id of an event's claim by one outlet.
fn claim_id(event: &str, outlet: &str) -> String {
    let mut id = String::with_capacity(event.len() + 1 + outlet.len());
    id.push_str(event);
    id.push('/');
    id.push_str(outlet);
    id
}

/// The outlets named in a `;`-separated list, trimmed, each once, in order.
/// Each with room for the time it reported (none yet).
pub(crate) fn outlets(list: &str) -> Vec<(&str, Option<String>)> {
    let mut seen: Vec<(&str, Option<String>)> = Vec::new();
    for outlet in list.split(';').map(str::trim).filter(|o| !o.is_empty()) {
        if !seen.iter().any(|(o, _)| *o == outlet) {
            seen.push((outlet, None));
        }
    }
    seen
}

/// `[latitude, longitude]` from two columns: `Ok(None)` when both are empty.
pub(crate) fn coords(latitude: &str, longitude: &str) -> Result<Option<[f64; 2]>, SkipReason> {
    let (lat, lon) = (trim(latitude), trim(longitude));
    if lat.is_empty() && lon.is_empty() {
        return Ok(None);
    }
    let bad = || SkipReason::BadCoordinates { latitude: lat.to_owned(), longitude: lon.to_owned() };
    let (lat_value, lon_value) = match (lat.parse::<f64>(), lon.parse::<f64>()) {
        (Ok(a), Ok(b)) => (a, b),
        _ => return Err(bad()),
    };
    if lat_value.abs() <= 90.0 && lon_value.abs() <= 180.0 {
        Ok(Some([lat_value, lon_value]))
    } else {
        Err(bad())
    }
}

/// A location's id: its name under its administrative areas, from the
/// largest, the empty ones left out (`Syria / Aleppo / al-Bab`).
pub(crate) fn location_id(parts: &[&str]) -> String {
    let mut id = String::with_capacity(parts.iter().map(|p| p.len() + 3).sum());
    for part in parts.iter().map(|p| trim(p)).filter(|p| !p.is_empty()) {
        if !id.is_empty() {
            id.push_str(" / ");
        }
        id.push_str(part);
    }
    id
}

/// A date as `YYYY-MM-DD`.
pub(crate) fn iso_date(date: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    let mut text = String::with_capacity(10);
    if !push_digits(&mut text, date.year(), 4) {
        return format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day());
    }
    for (separator, part) in [('-', date.month()), ('-', date.day())] {
        text.push(separator);
        push_digits(&mut text, i32::try_from(part).unwrap_or(i32::MAX), 2);
    }
    text
}

/// A datetime as RFC 3339 to the second, in UTC (`2014-03-22T12:00:00Z`),
/// as chrono's `to_rfc3339_opts(SecondsFormat::Secs, true)` writes it.
pub(crate) fn rfc3339_seconds(instant: chrono::DateTime<chrono::Utc>) -> String {
    use chrono::Timelike;
    let year = chrono::Datelike::year(&instant);
    if !(0..=9999).contains(&year) {
        return instant.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    }
    let mut text = iso_date(instant.date_naive());
    for (separator, part) in [('T', instant.hour()), (':', instant.minute()), (':', instant.second())] {
        text.push(separator);
        push_digits(&mut text, i32::try_from(part).unwrap_or(i32::MAX), 2);
    }
    text.push('Z');
    text
}

/// Pushes `value` as exactly `width` decimal digits, zero-padded (what
/// `format!("{value:0width$}")` writes for it); `false`, with nothing
/// pushed, when it has more digits or is negative. Dates are a million
/// strings of an import: the formatting machinery costs more than the digits.
fn push_digits(text: &mut String, value: i32, width: u32) -> bool {
    let Ok(value) = u32::try_from(value) else { return false };
    if value >= 10u32.pow(width) {
        return false;
    }
    for place in (0..width).rev() {
        let digit = value / 10u32.pow(place) % 10;
        text.push(char::from(b'0' + digit as u8));
    }
    true
}

/// `text.trim()`, without decoding characters when the text starts and
/// ends with a visible ASCII character (the common case: nothing to trim).
pub(crate) fn trim(text: &str) -> &str {
    let visible = |byte: Option<&u8>| byte.is_some_and(u8::is_ascii_graphic);
    if visible(text.as_bytes().first()) && visible(text.as_bytes().last()) {
        text
    } else {
        text.trim()
    }
}

/// The columns of `needed` that the header lacks.
pub(crate) fn missing_columns(headers: &csv::StringRecord, needed: &[&'static str]) -> Vec<&'static str> {
    needed.iter().copied().filter(|column| !headers.iter().any(|h| h.trim() == *column)).collect()
}

/// What a row says once read, before the builder takes it.
pub(crate) enum Outcome<P> {
    /// A row to use.
    Use(P),
    /// A row of a kind of event that says nothing about control.
    Ignore(String),
}

/// Where a row's parser puts what it makes: the row's claims (complete:
/// they need nothing but the row), and the text of the strings that the
/// builder looks up ([`Span`]s), without a string of their own each.
#[derive(Default)]
pub(crate) struct Sink {
    claims: Vec<ClaimRecord>,
    text: String,
}

impl Sink {
    /// Keeps `text` for the builder.
    pub(crate) fn keep(&mut self, text: &str) -> Span {
        let start = self.text.len();
        self.text.push_str(text);
        Span { start, end: self.text.len() }
    }

    /// Adds the event's claims.
    pub(crate) fn event(&mut self, event: Event<'_>) {
        claims(&mut self.claims, event);
    }
}

/// A string kept in a [`Sink`].
#[derive(Clone, Copy, Debug)]
pub(crate) struct Span {
    start: usize,
    end: usize,
}

impl Span {
    /// The string, from the text of the [`Sink`] that kept it.
    pub(crate) fn of(self, text: &str) -> &str {
        text.get(self.start..self.end).unwrap_or_default()
    }
}

/// The parser of a row: what it says, its claims put in the sink.
pub(crate) trait Parse<P>: Fn(&csv::StringRecord, &mut Sink) -> Result<Outcome<P>, SkipReason> + Sync {}
impl<P, F: Fn(&csv::StringRecord, &mut Sink) -> Result<Outcome<P>, SkipReason> + Sync> Parse<P> for F {}

/// What the builder does with a used row, in file order: maps its actors,
/// checks its event id, adds its location (the row's kept text given).
/// An error skips the row and its claims.
pub(crate) trait Apply<P>: FnMut(&mut Builder<'_>, P, &str) -> Result<(), SkipReason> {}
impl<P, A: FnMut(&mut Builder<'_>, P, &str) -> Result<(), SkipReason>> Apply<P> for A {}

/// What a row says, or why the csv reader could not read it.
enum Said<P> {
    Row(Result<Outcome<P>, SkipReason>),
    /// A row read from a chunk ([`parse_chunk`]) that does not fit the
    /// header: its record number and byte from the chunk's start.
    Unfit {
        record: u64,
        byte: u64,
        unfit: Unfit,
    },
}

/// How a row does not fit the header, as the csv reader says it.
enum Unfit {
    Width { len: usize, width: usize },
    Utf8(csv::Utf8Error),
}

impl Unfit {
    /// The reason, in the words the csv crate's error has for it when a
    /// file is read serially (record, line and byte from the file's start).
    fn reason(self, record: u64, line: u64, byte: u64) -> SkipReason {
        SkipReason::Unreadable(match self {
            Unfit::Width { len, width } => format!(
                "CSV error: record {record} (line: {line}, byte: {byte}): found record with {len} fields, \
                 but the previous record has {width} fields"
            ),
            Unfit::Utf8(error) => {
                let field = error.field();
                format!("CSV parse error: record {record} (line {line}, field: {field}, byte: {byte}): {error}")
            }
        })
    }
}

/// Where a run of rows starts in its file: the record (the header is 0),
/// the line (the header's is 1) and the byte.
#[derive(Clone, Copy, Debug, Default)]
struct Place {
    record: u64,
    line: u64,
    byte: u64,
}

/// A run of rows parsed (on one core), before the builder takes them.
struct Parsed<P> {
    /// Each row's line, what it says, and how many claims it made.
    rows: Vec<(u64, Said<P>, usize)>,
    /// The claims of the rows, in order.
    claims: Vec<ClaimRecord>,
    /// The [`hash`] of each claim's source.
    sources: Vec<u64>,
    /// The text of the rows' [`Span`]s.
    text: String,
}

impl<P> Parsed<P> {
    /// Room for about `rows` rows (a guess: more or fewer may come).
    fn with_capacity(rows: usize) -> Parsed<P> {
        Parsed {
            rows: Vec::with_capacity(rows),
            claims: Vec::with_capacity(rows),
            sources: Vec::new(),
            text: String::with_capacity(rows * 96),
        }
    }

    /// Parses one row, on line `line`.
    fn push(&mut self, line: u64, record: &csv::StringRecord, parse: &impl Parse<P>) {
        let mut sink = Sink { claims: std::mem::take(&mut self.claims), text: std::mem::take(&mut self.text) };
        let before = sink.claims.len();
        let outcome = parse(record, &mut sink);
        if !matches!(outcome, Ok(Outcome::Use(_))) {
            sink.claims.truncate(before);
        }
        self.rows.push((line, Said::Row(outcome), sink.claims.len() - before));
        self.claims = sink.claims;
        self.text = sink.text;
    }

    /// The sources' hashes, once every row is in.
    fn finish(mut self) -> Parsed<P> {
        let Parsed { claims, sources, .. } = &mut self;
        sources.extend(claims.iter().map(|claim| hash(&claim.source)));
        self
    }

    /// Hands the rows to the builder in order; `place` is where the run
    /// starts in the file. A row the builder refuses is skipped with its claims.
    /// The run is left empty, its buffers kept for another.
    fn apply(
        &mut self,
        builder: &mut Builder<'_>,
        place: Place,
        file: &str,
        strict: bool,
        apply: &mut impl Apply<P>,
    ) -> Result<(), ImportError> {
        let Parsed { rows, claims, sources, text } = self;
        let (sources, text) = (&*sources, &*text);
        let mut refused: Vec<Range<usize>> = Vec::new();
        let mut at = 0;
        for (line, said, count) in rows.drain(..) {
            let made = at..at + count;
            at = made.end;
            let line = place.line + line;
            let outcome = match said {
                Said::Row(outcome) => outcome,
                Said::Unfit { record, byte, unfit } => {
                    Err(unfit.reason(place.record + record, line, place.byte + byte))
                }
            };
            let used = match outcome {
                Ok(Outcome::Use(row)) => apply(builder, row, text).map(|()| {
                    let made_claims = claims.get(made.clone()).unwrap_or_default();
                    builder.sources(made_claims, sources.get(made.clone()).unwrap_or_default());
                }),
                Ok(Outcome::Ignore(kind)) => {
                    builder.ignore(&kind);
                    Ok(())
                }
                Err(reason) => Err(reason),
            };
            if let Err(reason) = used {
                refused.push(made);
                builder.skip(file, line, reason, strict)?;
            }
        }
        if refused.is_empty() {
            builder.claims.append(claims);
        } else {
            let mut refused = refused.into_iter().peekable();
            for (n, claim) in claims.drain(..).enumerate() {
                while refused.peek().is_some_and(|r| r.end <= n) {
                    refused.next();
                }
                if !refused.peek().is_some_and(|r| r.contains(&n)) {
                    builder.claims.push(claim);
                }
            }
        }
        self.sources.clear();
        self.text.clear();
        Ok(())
    }
}

/// How many rows are read before they are parsed, in parallel.
pub(crate) const BATCH: usize = 1 << 14;

/// How many rows of a batch one core parses at a time.
const RUN: usize = 1 << 10;

/// The size of the chunks of a text parsed on one core at a time.
pub(super) const CHUNK_BYTES: usize = 1 << 20;

/// A batch of rows read and not yet parsed: the records (the first
/// `filled` hold rows), then a row after them that does not fit the header.
struct Batch {
    records: Vec<csv::StringRecord>,
    filled: usize,
    unreadable: Option<(u64, SkipReason)>,
}

/// The header of a CSV export, checked for `columns`.
fn read_headers<R: std::io::Read>(
    csv: &mut csv::Reader<R>,
    file: &str,
    columns: &[&'static str],
) -> Result<csv::StringRecord, ImportError> {
    let headers = csv.headers().map_err(|error| io_error(file, error))?.clone();
    let missing = missing_columns(&headers, columns);
    if !missing.is_empty() {
        return Err(ImportError::MissingColumns { file: file.to_owned(), columns: missing });
    }
    Ok(headers)
}

fn io_error(file: &str, error: csv::Error) -> ImportError {
    let source = match error.into_kind() {
        csv::ErrorKind::Io(source) => source,
        other => std::io::Error::other(format!("{other:?}")),
    };
    ImportError::Io { file: file.to_owned(), source }
}

fn csv_reader<R: std::io::Read>(reader: R) -> csv::Reader<R> {
    csv::ReaderBuilder::new().trim(csv::Trim::Headers).from_reader(reader)
}

/// Reads every row of a CSV export whose header has `columns` (in any
/// order; other columns ignored), from a reader. `prepare` sees the header
/// once and gives the parser of a row. Rows are read in batches on this
/// thread while another takes the batches in turn: each is parsed in
/// parallel (the parser needs nothing but the row) and then handed to
/// `apply` in file order, so the result does not depend on the threads. A
/// row that does not fit, or that the parser or `apply` refuses, is
/// skipped with its line number (an error when `strict`).
pub(crate) fn read_rows<R, P, F>(
    builder: &mut Builder<'_>,
    reader: R,
    file: &str,
    strict: bool,
    columns: &[&'static str],
    prepare: impl FnOnce(&csv::StringRecord) -> F,
    mut apply: impl Apply<P> + Send,
) -> Result<(), ImportError>
where
    R: std::io::Read,
    P: Send,
    F: Parse<P> + Send,
{
    let mut csv = csv_reader(reader);
    let headers = read_headers(&mut csv, file, columns)?;
    read_serially(builder, csv, file, strict, &prepare(&headers), &mut apply)
}

/// Reads every row of a CSV export, as [`read_rows`] does, from its bytes
/// (a file memory-mapped, say): the text is cut into chunks of whole
/// records ([`csv_chunks`](super::csv_chunks)), each read and parsed on
/// one core, and the rows handed to `apply` in file order, a window of
/// chunks at a time while the next window is parsed. A row that does not
/// fit the header or is not UTF-8 is skipped with the words the serial
/// reader's error has for it (its record, line and byte in the file). If
/// the text cannot be cut safely (a quote out of place), it is read
/// serially instead. `release` is given each window of chunks once it is
/// applied (the part of a mapped file whose pages are no longer needed).
/// Chunks are about `chunk_bytes` long ([`CHUNK_BYTES`]; tests cut smaller).
#[allow(clippy::too_many_arguments)]
pub(crate) fn read_slice<P, F>(
    builder: &mut Builder<'_>,
    text: &[u8],
    file: &str,
    strict: bool,
    columns: &[&'static str],
    prepare: impl FnOnce(&csv::StringRecord) -> F,
    mut apply: impl Apply<P> + Send,
    release: &dyn Fn(&[u8]),
    chunk_bytes: usize,
) -> Result<(), ImportError>
where
    P: Send,
    F: Parse<P> + Send,
{
    use rayon::prelude::*;
    let mut csv = csv_reader(text);
    let headers = read_headers(&mut csv, file, columns)?;
    let parse = prepare(&headers);
    let body = csv.position();
    let chunks = super::csv_chunks::split(text, usize::try_from(body.byte()).unwrap_or(usize::MAX), chunk_bytes);
    let plain = chunks.par_iter().all(|chunk| text.get(chunk.clone()).is_some_and(super::csv_chunks::plain_quotes));
    if !plain {
        // Quotes out of place: the chunks may not be cut at records' ends.
        let mut csv = csv_reader(text);
        read_headers(&mut csv, file, columns)?;
        return read_serially(builder, csv, file, strict, &parse, &mut apply);
    }
    // A window of chunks is parsed on all cores while the window before
    // it is applied in order (on one of them).
    let mut place = Place { record: body.record(), line: body.line(), byte: body.byte() };
    let mut parsed: Vec<(Parsed<P>, Place)> = Vec::new();
    let window = 4 * rayon::current_num_threads().max(1);
    let mut windows = chunks.chunks(window);
    let mut reserved = false;
    // The buffers of the runs applied, emptied, for the chunks parsed next:
    // fresh memory costs a page fault and the zeroing of each page.
    let mut spare: Vec<Parsed<P>> = Vec::new();
    // The bytes of the chunks in `parsed`.
    let mut applying: Option<Range<usize>> = None;
    loop {
        let next = windows.next();
        let buffers: Vec<Option<Parsed<P>>> = next.unwrap_or_default().iter().map(|_| spare.pop()).collect();
        let (parsing, applied) = rayon::join(
            || {
                next.map(|window| {
                    window
                        .par_iter()
                        .zip(buffers)
                        .map(|(chunk, buffer)| {
                            let chunk = text.get(chunk.clone()).unwrap_or_default();
                            // ACLED's rows are some hundreds of bytes long.
                            let buffer = buffer.unwrap_or_else(|| Parsed::with_capacity(chunk.len() / 256));
                            parse_chunk(chunk, headers.len(), &parse, buffer)
                        })
                        .collect::<Vec<_>>()
                })
            },
            || -> Result<Vec<Parsed<P>>, ImportError> {
                let mut emptied = Vec::with_capacity(parsed.len());
                for (mut rows, at) in parsed.drain(..) {
                    rows.apply(builder, at, file, strict, &mut apply)?;
                    emptied.push(rows);
                }
                Ok(emptied)
            },
        );
        spare.extend(applied?);
        if let Some(applied) = applying.take() {
            release(text.get(applied).unwrap_or_default());
        }
        let Some(parsing) = parsing else { return Ok(()) };
        if !reserved {
            // The first window tells how many claims and rows the rest
            // holds: the claims are moved once, not again as their vector grows.
            reserved = true;
            let bytes = next.unwrap_or_default().iter().map(|chunk| chunk.end - chunk.start).sum();
            let claims = parsing.iter().map(|(rows, _)| rows.claims.len()).sum();
            let rows = parsing.iter().map(|(rows, _)| rows.rows.len()).sum();
            let body = text.len().saturating_sub(usize::try_from(place.byte).unwrap_or(usize::MAX));
            builder.reserve(scaled(claims, bytes, body), scaled(rows, bytes, body));
        }
        let parsed_chunks = next.unwrap_or_default();
        applying = parsed_chunks.first().zip(parsed_chunks.last()).map(|(first, last)| first.start..last.end);
        for ((rows, size), chunk) in parsing.into_iter().zip(parsed_chunks) {
            parsed.push((rows, place));
            place.record += size.record;
            place.line += size.line;
            place.byte += (chunk.end - chunk.start) as u64;
        }
    }
}

/// `count` in `part` bytes, scaled to `whole` bytes, with a sixteenth more.
fn scaled(count: usize, part: usize, whole: usize) -> usize {
    let estimate = count as u128 * 17 * whole as u128 / (16 * part.max(1) as u128);
    usize::try_from(estimate).unwrap_or(usize::MAX).max(count)
}

/// The rows of a chunk of whole records, parsed, with their records,
/// lines and bytes counted from the chunk's start; and the number of
/// records and of line feeds in the chunk.
fn parse_chunk<P>(chunk: &[u8], width: usize, parse: &impl Parse<P>, mut parsed: Parsed<P>) -> (Parsed<P>, Place) {
    let mut csv = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(chunk);
    let mut record = csv::ByteRecord::new();
    // Read as the serial reader does: a wrong width first, then UTF-8.
    // Reading from a slice has no I/O errors, nor csv errors but these.
    while csv.read_byte_record(&mut record).unwrap_or(false) {
        let at = record.position().cloned().unwrap_or_else(csv::Position::new);
        // Lines count from 1 at the chunk's start.
        let line = at.line().saturating_sub(1);
        let unfit = |unfit| Said::Unfit { record: at.record(), byte: at.byte(), unfit };
        if record.len() != width {
            parsed.rows.push((line, unfit(Unfit::Width { len: record.len(), width }), 0));
            continue;
        }
        match csv::StringRecord::from_byte_record(std::mem::take(&mut record)) {
            Ok(row) => {
                parsed.push(line, &row, parse);
                record = row.into_byte_record();
            }
            Err(error) => {
                parsed.rows.push((line, unfit(Unfit::Utf8(error.utf8_error().clone())), 0));
                record = error.into_byte_record();
            }
        }
    }
    let end = csv.position();
    (parsed.finish(), Place { record: end.record(), line: end.line().saturating_sub(1), byte: end.byte() })
}

/// The rest of [`read_rows`], after the header: batches read on this
/// thread, parsed and applied on another.
fn read_serially<R, P, F>(
    builder: &mut Builder<'_>,
    mut csv: csv::Reader<R>,
    file: &str,
    strict: bool,
    parse: &F,
    apply: &mut (impl Apply<P> + Send),
) -> Result<(), ImportError>
where
    R: std::io::Read,
    P: Send,
    F: Parse<P> + Send,
{
    std::thread::scope(|scope| {
        // Two batches wait at most; the worker hands emptied ones back.
        let (full, batches) = std::sync::mpsc::sync_channel::<Batch>(1);
        let (emptied, empty) = std::sync::mpsc::channel::<Vec<csv::StringRecord>>();
        let worker = scope.spawn(move || apply_batches(builder, batches, emptied, file, strict, parse, apply));
        let mut read = Ok(());
        let mut done = false;
        while !done {
            let mut batch = Batch { records: empty.try_recv().unwrap_or_default(), filled: 0, unreadable: None };
            // Fill the batch, up to the end, a full batch, or a row that does not fit.
            while batch.filled < BATCH {
                if batch.records.len() == batch.filled {
                    batch.records.push(csv::StringRecord::new());
                }
                let Some(record) = batch.records.get_mut(batch.filled) else { break };
                match csv.read_record(record) {
                    Ok(true) => batch.filled += 1,
                    Ok(false) => {
                        done = true;
                        break;
                    }
                    Err(error) if matches!(error.kind(), csv::ErrorKind::Io(_)) => {
                        read = Err(io_error(file, error));
                        done = true;
                        break;
                    }
                    Err(error) => {
                        let line = error.position().map_or(0, |p| p.line());
                        batch.unreadable = Some((line, SkipReason::Unreadable(error.to_string())));
                        break;
                    }
                }
            }
            // The worker is gone only when a strict import met a row it cannot use.
            if full.send(batch).is_err() {
                break;
            }
        }
        drop(full);
        let applied = match worker.join() {
            Ok(applied) => applied,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        // Rows before a read error come first, as they do in the file.
        applied.and(read)
    })
}

/// The worker of [`read_serially`]: each batch parsed in parallel, then
/// applied in file order.
fn apply_batches<P: Send>(
    builder: &mut Builder<'_>,
    batches: std::sync::mpsc::Receiver<Batch>,
    emptied: std::sync::mpsc::Sender<Vec<csv::StringRecord>>,
    file: &str,
    strict: bool,
    parse: &impl Parse<P>,
    apply: &mut impl Apply<P>,
) -> Result<(), ImportError> {
    use rayon::prelude::*;
    for Batch { records, filled, unreadable } in batches {
        let rows = records.get(..filled).unwrap_or_default();
        let parsed: Vec<Parsed<P>> = rows
            .par_chunks(RUN)
            .map(|run| {
                let mut parsed = Parsed::with_capacity(run.len());
                for record in run {
                    parsed.push(record.position().map_or(0, |p| p.line()), record, parse);
                }
                parsed.finish()
            })
            .collect();
        for mut run in parsed {
            run.apply(builder, Place::default(), file, strict, apply)?;
        }
        if let Some((line, reason)) = unreadable {
            builder.skip(file, line, reason, strict)?;
        }
        // The reader may have finished: then the batch is not needed.
        let _ = emptied.send(records);
    }
    Ok(())
}

/// Deserialises a row by the header's names.
pub(crate) fn row<'r, T: serde::Deserialize<'r>>(
    headers: &'r csv::StringRecord,
    record: &'r csv::StringRecord,
) -> Result<T, SkipReason> {
    record.deserialize(Some(headers)).map_err(|error| SkipReason::Unreadable(error.to_string()))
}

/// A reader of an export's bytes (`acled::read_slice_into`): the builder,
/// the text, the file's name, strict or not, and where to release the parts read.
type ReadSlice = fn(&mut Builder<'_>, &[u8], &str, bool, &dyn Fn(&[u8])) -> Result<(), ImportError>;

/// Reads several exports into one document.
///
/// ```
/// use frontline::input::{sides::Sides, Import};
///
/// let sides = Sides::default();
/// let mut import = Import::new(&sides, false);
/// let header = "event_id_cnty,event_date,time_precision,sub_event_type,actor1,inter1,\
/// country,admin1,location,latitude,longitude,source,notes,timestamp\n";
/// let a = format!("{header}SYR1,2019-10-12,1,Armed clash,SDF,2,Syria,Al Hasakeh,Ras al Ain,36.85,40.07,SOHR,,\n");
/// let b = format!("{header}SYR2,2019-10-13,1,Air/drone strike,Military Forces of Turkey,8,Syria,Al Hasakeh,Ras al Ain,36.85,40.07,SOHR,,\n");
/// import.acled(a.as_bytes(), "a.csv")?;
/// import.acled(b.as_bytes(), "b.csv")?;
/// let imported = import.finish();
/// assert_eq!(imported.document.claims.len(), 1);
/// assert_eq!(imported.ignored["Air/drone strike"], 1);
/// # Ok::<(), frontline::input::ImportError>(())
/// ```
#[derive(Debug)]
pub struct Import<'a> {
    builder: Builder<'a>,
    strict: bool,
}

impl<'a> Import<'a> {
    /// An import mapping actors and outlets through `sides`; when `strict`,
    /// the first row that cannot be used is an error.
    pub fn new(sides: &'a Sides, strict: bool) -> Import<'a> {
        Import { builder: Builder::new(sides), strict }
    }

    /// Adds an ACLED export ([`acled`](super::acled)) from a reader (read
    /// and applied in batches); `file` names it in messages. A file is
    /// read faster with [`Import::acled_file`].
    ///
    /// # Errors
    ///
    /// [`ImportError::Io`], [`ImportError::MissingColumns`], and
    /// [`ImportError::Strict`] for a row that cannot be used when strict.
    pub fn acled<R: std::io::Read>(&mut self, reader: R, file: &str) -> Result<(), ImportError> {
        super::acled::read_into(&mut self.builder, reader, file, self.strict)
    }

    /// Adds an ACLED export from its bytes, read on all cores (the same
    /// result as [`Import::acled`]).
    ///
    /// # Errors
    ///
    /// As [`Import::acled`].
    pub fn acled_bytes(&mut self, text: &[u8], file: &str) -> Result<(), ImportError> {
        super::acled::read_slice_into(&mut self.builder, text, file, self.strict, &|_| {})
    }

    /// Adds an ACLED export from a file: memory-mapped and read on all
    /// cores ([`Import::acled_bytes`]); anything but a regular file (a pipe)
    /// is read as [`Import::acled`] reads. `file` names it in messages.
    ///
    /// # Errors
    ///
    /// As [`Import::acled`].
    pub fn acled_file(&mut self, path: impl AsRef<std::path::Path>, file: &str) -> Result<(), ImportError> {
        self.file(path.as_ref(), file, super::acled::read_slice_into, Import::acled)
    }

    /// Adds a UCDP GED export ([`ucdp`](super::ucdp)) from a reader; `file`
    /// names it in messages. A file is read faster with [`Import::ucdp_file`].
    ///
    /// # Errors
    ///
    /// As [`Import::acled`].
    pub fn ucdp<R: std::io::Read>(&mut self, reader: R, file: &str) -> Result<(), ImportError> {
        super::ucdp::read_into(&mut self.builder, reader, file, self.strict)
    }

    /// Adds a UCDP GED export from its bytes, read on all cores (the same
    /// result as [`Import::ucdp`]).
    ///
    /// # Errors
    ///
    /// As [`Import::acled`].
    pub fn ucdp_bytes(&mut self, text: &[u8], file: &str) -> Result<(), ImportError> {
        super::ucdp::read_slice_into(&mut self.builder, text, file, self.strict, &|_| {})
    }

    /// Adds a UCDP GED export from a file, as [`Import::acled_file`] does.
    ///
    /// # Errors
    ///
    /// As [`Import::acled`].
    pub fn ucdp_file(&mut self, path: impl AsRef<std::path::Path>, file: &str) -> Result<(), ImportError> {
        self.file(path.as_ref(), file, super::ucdp::read_slice_into, Import::ucdp)
    }

    /// A regular file memory-mapped and read by `bytes` (its pages released
    /// as they are read); anything else read by `reader`.
    fn file(
        &mut self,
        path: &std::path::Path,
        file: &str,
        bytes: ReadSlice,
        reader: fn(&mut Self, std::io::BufReader<std::fs::File>, &str) -> Result<(), ImportError>,
    ) -> Result<(), ImportError> {
        let io = |source| ImportError::Io { file: file.to_owned(), source };
        let opened = std::fs::File::open(path).map_err(io)?;
        let regular = opened.metadata().map_err(io)?.is_file();
        // Its pages are mapped at once (`populate`), which costs far less than
        // a page fault for each.
        // SAFETY: a mapped file changed by another process while it is read
        // would break the slice's contract. Exports are read while nothing
        // else writes them, as every tool that maps its input assumes; a
        // file truncated under it would end the process with SIGBUS, not
        // give wrong answers in silence.
        let mapped = if regular { unsafe { memmap2::MmapOptions::new().populate().map(&opened) }.ok() } else { None };
        match mapped {
            Some(map) => {
                // Failing to advise is harmless.
                let _ = map.advise(memmap2::Advice::Sequential);
                let release = |part: &[u8]| super::json::release_pages(&map, part);
                bytes(&mut self.builder, &map, file, self.strict, &release)
            }
            None => reader(self, std::io::BufReader::with_capacity(1 << 16, opened), file),
        }
    }

    /// The document and the account of every row.
    pub fn finish(self) -> Imported {
        self.builder.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, NaiveDate};

    #[test]
    fn dates_and_instants_are_written_as_chrono_writes_them() {
        let days = [(2014, 3, 22), (1, 1, 1), (0, 12, 31), (999, 7, 4), (9999, 12, 31), (10000, 1, 1), (-1, 6, 9)];
        for (year, month, day) in days {
            let date = NaiveDate::from_ymd_opt(year, month, day).unwrap();
            let chrono = format!("{:04}-{:02}-{:02}", year, month, day);
            assert_eq!(iso_date(date), chrono, "{date:?}");
        }
        // Around the Unix epoch, the first and last second of a day, and
        // years of five digits and before year 0, which take chrono's own path.
        let seconds = [0, 1, -1, 1_395_489_600, 1_395_575_999, 253_402_300_799, 253_402_300_800, -62_167_219_201];
        for second in seconds {
            let instant = DateTime::from_timestamp(second, 0).unwrap();
            let chrono = instant.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
            assert_eq!(rfc3339_seconds(instant), chrono, "{second}");
        }
    }

    #[test]
    fn trimming_is_str_trim() {
        for text in ["", " ", "a", " a", "a ", "\ta\n", "\u{a0}a", "a\u{2003}", "é", " é ", "ab c", "a\u{85}"] {
            assert_eq!(trim(text), text.trim(), "{text:?}");
        }
    }

    #[test]
    fn an_estimate_scales_with_a_margin_and_is_never_below_the_count() {
        assert_eq!(scaled(100, 1000, 10_000), 1062);
        assert_eq!(scaled(100, 0, 10_000), 1_062_500);
        assert_eq!(scaled(100, 1000, 10), 100);
    }
}
