//! Reading the JSON input format into a [`Document`], with errors that name
//! the record and keep serde's line and column.

use crate::error::{ErrorKind, RecordRef, Result, Section};
use crate::input::Document;
use serde::Deserialize;
use serde_json::error::Category;

/// Reads a document from JSON text. The happy path parses once, plainly;
/// only on a schema error is the text parsed again with path tracking
/// (`serde_path_to_error` triples the cost of a parse) to name the record.
pub(crate) fn document_from_str(text: &str) -> Result<Document> {
    match serde_json::from_str(text) {
        Ok(document) => Ok(document),
        Err(error) if error.classify() != Category::Data => Err(classify(error, None, None).into()),
        Err(_) => {
            let mut de = serde_json::Deserializer::from_str(text);
            match read(&mut de) {
                Ok(document) => Ok(document),
                Err((error, path)) => Err(classify(error, path, Some(text)).into()),
            }
        }
    }
}

/// Reads a document from a reader, streaming, with path tracking (a reader
/// cannot be read twice).
pub(crate) fn document_from_reader<R: std::io::Read>(reader: R) -> Result<Document> {
    let reader = std::io::BufReader::with_capacity(1 << 16, reader);
    let mut de = serde_json::Deserializer::from_reader(reader);
    read(&mut de).map_err(|(error, path)| classify(error, path, None).into())
}

/// Reads a document from a file, streaming: the raw text is never held
/// whole. On a schema error the file is read again (only then), with path
/// tracking, to name the record by its index and id.
/// `progress` is called with the number of bytes read so far, every 1 MiB.
pub(crate) fn document_from_file(path: &std::path::Path, progress: &mut dyn FnMut(u64)) -> Result<Document> {
    let open = || std::fs::File::open(path).map_err(|source| ErrorKind::Io { source });
    let counted = Counted { inner: open()?, read: 0, reported: 0, progress };
    let reader = std::io::BufReader::with_capacity(1 << 16, counted);
    let error = match serde_json::from_reader(reader) {
        Ok(document) => return Ok(document),
        Err(error) if error.classify() != Category::Data => return Err(classify(error, None, None).into()),
        Err(error) => error,
    };
    let mut de = serde_json::Deserializer::from_reader(std::io::BufReader::with_capacity(1 << 16, open()?));
    let (error, path_in_document) = match read(&mut de) {
        Err(found) => found,
        // The file changed between the two reads: report the first error.
        Ok(_) => (error, None),
    };
    let mut kind = classify(error, path_in_document, None);
    if let ErrorKind::Schema { record: Some(record), .. } = &mut kind {
        if record.id.is_none() {
            if let Ok(text) = std::fs::read_to_string(path) {
                record.id = id_of(&text, record.section, record.index);
            }
        }
    }
    Err(kind.into())
}

/// A reader that tells how far it has read.
struct Counted<'a, R> {
    inner: R,
    read: u64,
    reported: u64,
    progress: &'a mut dyn FnMut(u64),
}

impl<R: std::io::Read> std::io::Read for Counted<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        if self.read - self.reported >= 1 << 20 || n == 0 {
            self.reported = self.read;
            (self.progress)(self.read);
        }
        Ok(n)
    }
}

fn read<'de, R: serde_json::de::Read<'de>>(
    de: &mut serde_json::Deserializer<R>,
) -> std::result::Result<Document, (serde_json::Error, Option<serde_path_to_error::Path>)> {
    let document = match serde_path_to_error::deserialize(&mut *de) {
        Ok(document) => document,
        Err(error) => {
            let path = error.path().clone();
            return Err((error.into_inner(), Some(path)));
        }
    };
    de.end().map_err(|error| (error, None))?;
    Ok(document)
}

fn classify(error: serde_json::Error, path: Option<serde_path_to_error::Path>, text: Option<&str>) -> ErrorKind {
    let (line, column) = (error.line(), error.column());
    match error.classify() {
        Category::Io => ErrorKind::Io { source: error.into() },
        Category::Syntax | Category::Eof => ErrorKind::Malformed { line, column, source: Box::new(error) },
        Category::Data => {
            let path_text = path.as_ref().map(|p| p.to_string()).unwrap_or_else(|| ".".to_owned());
            let record = path.as_ref().and_then(|p| record_at(p, text));
            ErrorKind::Schema { record, path: path_text, line, column, source: Box::new(error) }
        }
    }
}

/// The record a path like `claims[3].when` points into; its id is looked up
/// in the text when the text is at hand (only on this error path).
fn record_at(path: &serde_path_to_error::Path, text: Option<&str>) -> Option<RecordRef> {
    use serde_path_to_error::Segment;
    let mut segments = path.iter();
    let section = match segments.next()? {
        Segment::Map { key } => Section::from_key(key)?,
        _ => return None,
    };
    let index = match segments.next()? {
        Segment::Seq { index } => *index,
        _ => return None,
    };
    let id = text.and_then(|text| id_of(text, section, index)).unwrap_or_default();
    Some(RecordRef::new(section, index, &id))
}

fn id_of(text: &str, section: Section, index: usize) -> Option<String> {
    #[derive(Deserialize)]
    struct Ids {
        #[serde(default)]
        actors: Vec<IdOnly>,
        #[serde(default)]
        sources: Vec<IdOnly>,
        #[serde(default)]
        locations: Vec<IdOnly>,
        #[serde(default)]
        claims: Vec<IdOnly>,
    }
    #[derive(Deserialize)]
    struct IdOnly {
        #[serde(default)]
        id: Option<serde_json::Value>,
    }
    let ids: Ids = serde_json::from_str(text).ok()?;
    let list = match section {
        Section::Actors => ids.actors,
        Section::Sources => ids.sources,
        Section::Locations => ids.locations,
        Section::Claims => ids.claims,
    };
    match list.into_iter().nth(index)?.id? {
        serde_json::Value::String(id) => Some(id),
        _ => None,
    }
}

impl Document {
    /// Reads a document from JSON text, without validating it (that is
    /// [`Dataset::from_document`](crate::Dataset::from_document)).
    ///
    /// # Errors
    ///
    /// As [`Dataset::from_json_str`](crate::Dataset::from_json_str), before validation.
    pub fn from_json_str(text: &str) -> Result<Document> {
        document_from_str(text)
    }

    /// Reads a document from a reader, streaming.
    ///
    /// # Errors
    ///
    /// As [`Dataset::from_json_reader`](crate::Dataset::from_json_reader), before validation.
    pub fn from_json_reader<R: std::io::Read>(reader: R) -> Result<Document> {
        document_from_reader(reader)
    }

    /// Reads a document from a JSON file, streaming, calling `progress` with
    /// the number of bytes read so far (every MiB, and at the end).
    ///
    /// # Errors
    ///
    /// As [`Dataset::from_json_file`](crate::Dataset::from_json_file), before validation.
    pub fn from_json_file_with_progress(
        path: impl AsRef<std::path::Path>,
        mut progress: impl FnMut(u64),
    ) -> Result<Document> {
        document_from_file(path.as_ref(), &mut progress)
    }
}
