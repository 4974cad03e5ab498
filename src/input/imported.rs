//! What the readers of other formats ([`acled`](super::acled),
//! [`ucdp`](super::ucdp)) return: a [`Document`] and the account of every
//! row that did not become claims; and the builder they share.

use super::sides::Sides;
use super::{ActorRecord, AssertsRecord, ClaimRecord, Document, LocationRecord, SourceRecord, WhenRecord};
use crate::model::Certainty;
use std::collections::{BTreeMap, HashSet};

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
    let code = code.trim();
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
    sources: BTreeMap<String, SourceRecord>,
    locations: BTreeMap<String, LocationRecord>,
    claims: Vec<ClaimRecord>,
    /// Event ids seen, by the hash [`event_hash`] gave them while parsing.
    events: HashSet<EventId, std::hash::BuildHasherDefault<Prehashed>>,
    imported: Imported,
}

/// One event, read from a row, before it becomes one claim per outlet.
pub(crate) struct Event {
    pub claim_prefix: String,
    pub location: String,
    pub asserts: AssertsRecord,
    pub when: WhenRecord,
    /// Each outlet, with the time it reported.
    pub outlets: Vec<(String, Option<String>)>,
    pub cite: String,
    pub quote: Option<String>,
}

impl<'a> Builder<'a> {
    pub(crate) fn new(sides: &'a Sides) -> Builder<'a> {
        let mut builder = Builder {
            sides,
            actors: BTreeMap::new(),
            sources: BTreeMap::new(),
            locations: BTreeMap::new(),
            claims: Vec::new(),
            events: HashSet::default(),
            imported: Imported::default(),
        };
        for side in sides.sides() {
            builder.side(side, None);
        }
        builder
    }

    fn side(&mut self, id: &str, name: Option<&str>) {
        if !self.actors.contains_key(id) {
            let record = ActorRecord { id: id.to_owned(), name: name.map(str::to_owned), parent: None };
            self.actors.insert(id.to_owned(), record);
        }
    }

    /// The actor's id (its name), added with its side as parent: the side
    /// the mapping gives, or else `fallback` (id, display name), which is
    /// then listed among the unmapped actors. `None` when neither maps it.
    pub(crate) fn actor(&mut self, name: &str, fallback: Option<(&str, &str)>) -> Option<String> {
        if let Some(existing) = self.actors.get(name) {
            return Some(existing.id.clone());
        }
        let side = match self.sides.side_of(name) {
            Some(side) => side.to_owned(),
            None => {
                let (side, side_name) = fallback?;
                self.side(side, Some(side_name));
                self.imported.unmapped_actors.insert(name.to_owned(), side.to_owned());
                side.to_owned()
            }
        };
        self.side(&side, None);
        if name != side {
            let record = ActorRecord { id: name.to_owned(), name: None, parent: Some(side) };
            self.actors.insert(name.to_owned(), record);
        }
        Some(name.to_owned())
    }

    /// Adds the location the first time its id is seen.
    pub(crate) fn location(&mut self, id: &str, name: &str, coords: Option<[f64; 2]>) {
        if !self.locations.contains_key(id) {
            let record =
                LocationRecord { id: id.to_owned(), name: Some(name.to_owned()), coords, ..LocationRecord::default() };
            self.locations.insert(id.to_owned(), record);
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

    /// Whether the event id is new; remembers it.
    /// `hash` is the id's [`event_hash`], computed where the row is parsed.
    pub(crate) fn first_time(&mut self, event: &str, hash: u64) -> bool {
        self.events.insert(EventId { hash, id: event.to_owned() })
    }

    /// One claim per outlet of the event.
    pub(crate) fn event(&mut self, event: Event) {
        let Event { claim_prefix, location, asserts, when, outlets, cite, quote } = event;
        let mut last = Some((location, asserts, when, cite, quote));
        let count = outlets.len();
        for (n, (outlet, reported)) in outlets.into_iter().enumerate() {
            if !self.sources.contains_key(&outlet) {
                let affiliation = self.sides.affiliation_of(&outlet).map(str::to_owned);
                if let Some(side) = &affiliation {
                    self.side(side, None);
                }
                let record = SourceRecord { id: outlet.clone(), affiliation, ..SourceRecord::default() };
                self.sources.insert(outlet.clone(), record);
            }
            // The last outlet takes the event's strings; the others copy them.
            let Some(shared) = (if n + 1 == count { last.take() } else { last.clone() }) else { break };
            let (location, asserts, when, cite, quote) = shared;
            self.claims.push(ClaimRecord {
                id: claim_id(&claim_prefix, &outlet),
                source: outlet,
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

/// The hash of an event id, computed with the rest of the row (in parallel),
/// so that the set of ids seen, filled one row at a time, does not hash.
pub(crate) fn event_hash(id: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::hash::DefaultHasher::new();
    id.hash(&mut hasher);
    hasher.finish()
}

/// An event id with its [`event_hash`].
#[derive(Debug, PartialEq, Eq)]
struct EventId {
    hash: u64,
    id: String,
}

impl std::hash::Hash for EventId {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        state.write_u64(self.hash);
    }
}

/// The hasher of a set of [`EventId`]s: their hash, already computed.
#[derive(Debug, Default)]
struct Prehashed(u64);

impl std::hash::Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only `write_u64` is used ([`EventId`]); any other key still hashes.
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
pub(crate) fn outlets(list: &str) -> Vec<&str> {
    let mut seen: Vec<&str> = Vec::new();
    for outlet in list.split(';').map(str::trim).filter(|o| !o.is_empty()) {
        if !seen.contains(&outlet) {
            seen.push(outlet);
        }
    }
    seen
}

/// `[latitude, longitude]` from two columns: `Ok(None)` when both are empty.
pub(crate) fn coords(latitude: &str, longitude: &str) -> Result<Option<[f64; 2]>, SkipReason> {
    let (lat, lon) = (latitude.trim(), longitude.trim());
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
    for part in parts.iter().map(|p| p.trim()).filter(|p| !p.is_empty()) {
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
    format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day())
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

/// How many rows are read before they are parsed, in parallel.
pub(crate) const BATCH: usize = 1 << 14;

/// A batch of rows read and not yet parsed: the records (the first
/// `filled` hold rows), then a row after them that does not fit the header.
struct Batch {
    records: Vec<csv::StringRecord>,
    filled: usize,
    unreadable: Option<(u64, SkipReason)>,
}

/// Reads every row of a CSV export whose header has `columns` (in any
/// order; other columns ignored). `prepare` sees the header once and gives
/// the parser of a row. Rows are read in batches on this thread while
/// another takes the batches in turn: each is parsed in parallel (the
/// parser needs nothing but the row) and then handed to `apply` in file
/// order, so the result does not depend on the threads. A row that does
/// not fit, or that the parser or `apply` refuses, is skipped with its line
/// number (an error when `strict`).
pub(crate) fn read_rows<R, P, F, A>(
    builder: &mut Builder<'_>,
    reader: R,
    file: &str,
    strict: bool,
    columns: &[&'static str],
    prepare: impl FnOnce(&csv::StringRecord) -> F,
    apply: A,
) -> Result<(), ImportError>
where
    R: std::io::Read,
    P: Send,
    F: Fn(&csv::StringRecord) -> Result<Outcome<P>, SkipReason> + Send + Sync,
    A: FnMut(&mut Builder<'_>, P) -> Result<(), SkipReason> + Send,
{
    let mut csv = csv::ReaderBuilder::new().trim(csv::Trim::Headers).from_reader(reader);
    let io = |error: csv::Error| {
        let source = match error.into_kind() {
            csv::ErrorKind::Io(source) => source,
            other => std::io::Error::other(format!("{other:?}")),
        };
        ImportError::Io { file: file.to_owned(), source }
    };
    let headers = csv.headers().map_err(io)?.clone();
    let missing = missing_columns(&headers, columns);
    if !missing.is_empty() {
        return Err(ImportError::MissingColumns { file: file.to_owned(), columns: missing });
    }
    let parse = prepare(&headers);
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
                        read = Err(io(error));
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

/// The worker of [`read_rows`]: each batch parsed in parallel, then applied
/// in file order.
fn apply_batches<P, F, A>(
    builder: &mut Builder<'_>,
    batches: std::sync::mpsc::Receiver<Batch>,
    emptied: std::sync::mpsc::Sender<Vec<csv::StringRecord>>,
    file: &str,
    strict: bool,
    parse: F,
    mut apply: A,
) -> Result<(), ImportError>
where
    P: Send,
    F: Fn(&csv::StringRecord) -> Result<Outcome<P>, SkipReason> + Sync,
    A: FnMut(&mut Builder<'_>, P) -> Result<(), SkipReason>,
{
    use rayon::prelude::*;
    for Batch { records, filled, unreadable } in batches {
        let rows = records.get(..filled).unwrap_or_default();
        let parsed: Vec<Result<Outcome<P>, SkipReason>> = rows.par_iter().map(&parse).collect();
        for (record, outcome) in rows.iter().zip(parsed) {
            let used = match outcome {
                Ok(Outcome::Use(row)) => apply(builder, row),
                Ok(Outcome::Ignore(kind)) => {
                    builder.ignore(&kind);
                    Ok(())
                }
                Err(reason) => Err(reason),
            };
            if let Err(reason) = used {
                builder.skip(file, record.position().map_or(0, |p| p.line()), reason, strict)?;
            }
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

    /// Adds an ACLED export ([`acled`](super::acled)); `file` names it in messages.
    ///
    /// # Errors
    ///
    /// [`ImportError::Io`], [`ImportError::MissingColumns`], and
    /// [`ImportError::Strict`] for a row that cannot be used when strict.
    pub fn acled<R: std::io::Read>(&mut self, reader: R, file: &str) -> Result<(), ImportError> {
        super::acled::read_into(&mut self.builder, reader, file, self.strict)
    }

    /// Adds a UCDP GED export ([`ucdp`](super::ucdp)); `file` names it in messages.
    ///
    /// # Errors
    ///
    /// As [`Import::acled`].
    pub fn ucdp<R: std::io::Read>(&mut self, reader: R, file: &str) -> Result<(), ImportError> {
        super::ucdp::read_into(&mut self.builder, reader, file, self.strict)
    }

    /// The document and the account of every row.
    pub fn finish(self) -> Imported {
        self.builder.finish()
    }
}
