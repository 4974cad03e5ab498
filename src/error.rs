//! The error type for reading and validating input.

use std::fmt;

/// The result type of reading and validating input.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why an input could not be read or validated.
///
/// The message names the record (by id, or by its index in its section where
/// the id is missing or unknown) and the problem; the underlying cause, if
/// any, is the error's [`source`](std::error::Error::source).
/// [`Error::kind`] gives the details as data.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct Error(Box<ErrorKind>);

impl Error {
    /// What went wrong, as data.
    pub fn kind(&self) -> &ErrorKind {
        &self.0
    }

    /// The record the error is about, if it is about one.
    pub fn record(&self) -> Option<&RecordRef> {
        match self.kind() {
            ErrorKind::Io { .. } | ErrorKind::Malformed { .. } => None,
            ErrorKind::Schema { record, .. } => record.as_ref(),
            ErrorKind::MissingId { record }
            | ErrorKind::DuplicateId { record, .. }
            | ErrorKind::DanglingReference { record, .. }
            | ErrorKind::Cycle { record, .. }
            | ErrorKind::InvertedWindow { record, .. }
            | ErrorKind::PriorOutOfRange { record, .. }
            | ErrorKind::PriorStrengthOutOfRange { record, .. }
            | ErrorKind::PriorStrengthWithoutPrior { record }
            | ErrorKind::CoordsOutOfRange { record, .. }
            | ErrorKind::BadTime { record, .. }
            | ErrorKind::InvalidDenial { record, .. }
            | ErrorKind::TooMany { record }
            | ErrorKind::ConflictingRecords { record, .. } => Some(record),
        }
    }
}

impl From<ErrorKind> for Error {
    fn from(kind: ErrorKind) -> Error {
        Error(Box::new(kind))
    }
}

/// The sections of the input format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Section {
    /// `actors`
    Actors,
    /// `sources`
    Sources,
    /// `locations`
    Locations,
    /// `claims`
    Claims,
}

impl Section {
    /// The section's key in the input format (`"claims"`).
    pub fn key(self) -> &'static str {
        match self {
            Section::Actors => "actors",
            Section::Sources => "sources",
            Section::Locations => "locations",
            Section::Claims => "claims",
        }
    }

    /// The word for one record of the section (`"claim"`).
    pub fn singular(self) -> &'static str {
        match self {
            Section::Actors => "actor",
            Section::Sources => "source",
            Section::Locations => "location",
            Section::Claims => "claim",
        }
    }

    pub(crate) fn from_key(key: &str) -> Option<Section> {
        match key {
            "actors" => Some(Section::Actors),
            "sources" => Some(Section::Sources),
            "locations" => Some(Section::Locations),
            "claims" => Some(Section::Claims),
            _ => None,
        }
    }
}

/// Names one input record: its section, its index there, and its id when it has one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordRef {
    /// The section the record is in.
    pub section: Section,
    /// The record's position in its section, from 0.
    pub index: usize,
    /// The record's id, when it has a usable one.
    pub id: Option<String>,
}

impl RecordRef {
    pub(crate) fn new(section: Section, index: usize, id: &str) -> RecordRef {
        let id = (!id.is_empty()).then(|| id.to_owned());
        RecordRef { section, index, id }
    }
}

impl fmt::Display for RecordRef {
    /// `claim "o45-0322-sohr"` (`claims[3]`), or `claims[3]` without an id.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.id {
            Some(id) => write!(f, "{} {:?} ({}[{}])", self.section.singular(), id, self.section.key(), self.index),
            None => write!(f, "{}[{}]", self.section.key(), self.index),
        }
    }
}

/// What went wrong, with the record and the field it concerns.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The input could not be read.
    #[error("could not read the input")]
    Io {
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The input is not well-formed JSON.
    #[error("malformed JSON at line {line}, column {column}")]
    Malformed {
        /// 1-based line of the problem.
        line: usize,
        /// 1-based column of the problem.
        column: usize,
        /// The parser's error (for JSON, a `serde_json::Error`).
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// Well-formed JSON that does not fit the input format: a wrong type, an
    /// unknown field, a missing field.
    #[error("{} does not fit the input format at `{path}` (line {line}, column {column})", record_or_document(.record))]
    Schema {
        /// The record the problem is in, when it is inside one.
        record: Option<RecordRef>,
        /// Where in the document, as `claims[3].when`.
        path: String,
        /// 1-based line of the problem.
        line: usize,
        /// 1-based column of the problem.
        column: usize,
        /// The parser's error (for JSON, a `serde_json::Error`).
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// A record has no id, or an empty one.
    #[error("{record} has no id")]
    MissingId {
        /// The record.
        record: RecordRef,
    },
    /// Two records of a section share an id.
    #[error("{record} repeats the id of {}[{first}]", .record.section.key())]
    DuplicateId {
        /// The later record.
        record: RecordRef,
        /// The index of the first record with that id.
        first: usize,
    },
    /// A reference names a record that does not exist.
    #[error("{record}: `{field}` names {target_section} {target:?}, which does not exist", target_section = .target_section.singular())]
    DanglingReference {
        /// The record holding the reference.
        record: RecordRef,
        /// The field holding it (`"parent"`, `"source"`, `"asserts.holds"`, ...).
        field: &'static str,
        /// The section the reference should point into.
        target_section: Section,
        /// The id that does not resolve.
        target: String,
    },
    /// Following `parent` (actors) or `part_of` (locations) leads back to the record.
    #[error("{record}: `{field}` leads back to itself (a cycle)")]
    Cycle {
        /// A record on the cycle.
        record: RecordRef,
        /// `"parent"` or `"part_of"`.
        field: &'static str,
    },
    /// A window's `to` starts before its `from`.
    #[error("{record}: `when.to` ({to}) is before `when.from` ({from})")]
    InvertedWindow {
        /// The claim.
        record: RecordRef,
        /// `from` as given.
        from: String,
        /// `to` as given.
        to: String,
    },
    /// A source's prior lies outside `0..=1`.
    #[error("{record}: `prior` is {value}, not within 0..=1")]
    PriorOutOfRange {
        /// The source.
        record: RecordRef,
        /// The value given.
        value: f64,
    },
    /// A source's prior strength is negative, not a number, or infinite.
    #[error("{record}: `prior_strength` is {value}, not a finite number >= 0")]
    PriorStrengthOutOfRange {
        /// The source.
        record: RecordRef,
        /// The value given.
        value: f64,
    },
    /// A source gives `prior_strength` without a `prior` for it to weigh.
    #[error("{record}: `prior_strength` is given without `prior`")]
    PriorStrengthWithoutPrior {
        /// The source.
        record: RecordRef,
    },
    /// Coordinates outside latitude -90..=90, longitude -180..=180.
    #[error("{record}: `coords` [{}, {}] is not a [latitude, longitude] pair", .coords[0], .coords[1])]
    CoordsOutOfRange {
        /// The location.
        record: RecordRef,
        /// The value given.
        coords: [f64; 2],
    },
    /// A time could not be read or represented.
    #[error("{record}: `{field}` is {value:?}: {problem}")]
    BadTime {
        /// The claim.
        record: RecordRef,
        /// `"when"`, `"when.from"`, `"when.to"` or `"reported"`.
        field: &'static str,
        /// The text given.
        value: String,
        /// What is wrong with it.
        problem: crate::model::TimeProblem,
    },
    /// A denial that cannot be meant: of itself, of another denial, or of a
    /// claim about another location.
    #[error("{record}: denies {target:?}, but {problem}")]
    InvalidDenial {
        /// The denying claim.
        record: RecordRef,
        /// The denied claim's id.
        target: String,
        /// What is wrong.
        problem: DenialProblem,
    },
    /// Two input files have records of one section with the same id that
    /// differ ([`input::merge`](crate::input::merge)).
    #[error("{record} in {file} differs from the one in {earlier_file}")]
    ConflictingRecords {
        /// The record in the later file (its index is in that file).
        record: RecordRef,
        /// The later file.
        file: String,
        /// The earlier file, with the record of that id.
        earlier_file: String,
    },
    /// A section has more records than ids can number (2^32).
    #[error("{record}: too many records in the section")]
    TooMany {
        /// The first record past the limit.
        record: RecordRef,
    },
}

/// Why a denial cannot be meant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DenialProblem {
    /// The claim denies itself.
    OfItself,
    /// The denied claim is itself a denial.
    OfADenial,
    /// The denied claim is about another location.
    OtherLocation,
}

impl fmt::Display for DenialProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DenialProblem::OfItself => "a claim cannot deny itself",
            DenialProblem::OfADenial => "that claim is itself a denial; deny the claim it denies, or assert a state",
            DenialProblem::OtherLocation => "that claim is about another location",
        })
    }
}

fn record_or_document(record: &Option<RecordRef>) -> String {
    match record {
        Some(r) => r.to_string(),
        None => "the document".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_is_named_by_id_and_index_or_by_index_alone() {
        let with_id = RecordRef::new(Section::Claims, 3, "o45");
        assert_eq!(with_id.to_string(), "claim \"o45\" (claims[3])");
        let without = RecordRef::new(Section::Sources, 0, "");
        assert_eq!(without.to_string(), "sources[0]");
    }

    #[test]
    fn the_error_stays_small() {
        assert_eq!(std::mem::size_of::<Error>(), std::mem::size_of::<usize>());
    }
}
