//! Reading the JSON input format into a [`Document`], with errors that name
//! the record and keep serde's line and column.

use crate::error::{ErrorKind, RecordRef, Result, Section};
use crate::input::{ClaimRecord, Document};
use serde::Deserialize;
use serde_json::error::Category;

/// Below this size a text is parsed serially: cutting it is not worth it.
const PARALLEL_FROM_BYTES: usize = 1 << 20;

/// The size of a run of claims parsed at once on one core: small enough to
/// share the work evenly and to report progress, large enough that a run
/// costs far more than scheduling it.
const RUN_BYTES: usize = 1 << 20;

/// Reads a document from JSON text.
pub(crate) fn document_from_str(text: &str) -> Result<Document> {
    document_from_slice(text.as_bytes(), &mut |_| {})
}

/// Reads a document from JSON bytes. A large text is cut into its claims and
/// the rest ([`split`](super::split)), and the runs of claims are parsed on
/// all cores; if the text cannot be cut, or anything in it fails to parse,
/// it is parsed again whole and serially, so that errors are exactly those
/// of a serial parse. That parse is plain; only on a schema error is the
/// text parsed once more with path tracking (`serde_path_to_error` triples
/// the cost of a parse) to name the record. `progress` is called on the
/// calling thread with the number of bytes parsed so far (every few MiB,
/// and at the end).
pub(crate) fn document_from_slice(text: &[u8], progress: &mut dyn FnMut(u64)) -> Result<Document> {
    document_from_slice_in_runs(text, PARALLEL_FROM_BYTES, RUN_BYTES, progress)
}

/// [`document_from_slice`] with its two sizes given.
fn document_from_slice_in_runs(
    text: &[u8],
    parallel_from_bytes: usize,
    run_bytes: usize,
    progress: &mut dyn FnMut(u64),
) -> Result<Document> {
    if let Some(document) = in_parallel(text, parallel_from_bytes, run_bytes, progress) {
        progress(text.len() as u64);
        return Ok(document);
    }
    let document = match serde_json::from_slice(text) {
        Ok(document) => Ok(document),
        Err(error) if error.classify() != Category::Data => Err(classify(error, None, None).into()),
        Err(_) => {
            let mut de = serde_json::Deserializer::from_slice(text);
            match read(&mut de) {
                Ok(document) => Ok(document),
                Err((error, path)) => Err(classify(error, path, Some(text)).into()),
            }
        }
    };
    progress(text.len() as u64);
    document
}

/// The document parsed with its claims in runs on all cores, or `None` if
/// the text is small, cannot be cut, or fails to parse.
fn in_parallel(
    text: &[u8],
    parallel_from_bytes: usize,
    run_bytes: usize,
    progress: &mut dyn FnMut(u64),
) -> Option<Document> {
    let mut cut = cut_in_runs(text, parallel_from_bytes, run_bytes)?;
    let mut document = std::mem::take(&mut cut.head);
    let mut parsed = Vec::new();
    cut.parse_each(progress, &|_| {}, Some, &mut |run: Vec<ClaimRecord>| parsed.push(run))?;
    document.claims.reserve_exact(parsed.iter().map(Vec::len).sum());
    for run in parsed {
        document.claims.extend(run);
    }
    Some(document)
}

/// A large JSON text cut for parsing its claims run by run: everything but
/// the claims, parsed, and the claims in runs of whole elements.
pub(crate) struct Cut<'a> {
    /// The document without its claims (its `claims` is empty).
    pub head: Document,
    /// Runs of consecutive claims, in order (see [`split`](super::split)).
    runs: Vec<&'a [u8]>,
    /// The bytes parsed so far (the head).
    parsed_bytes: u64,
}

/// Cuts a text for parsing run by run, and parses all but its claims; `None`
/// when the text is under a MiB, cannot be cut, or its head fails to parse
/// (then a serial parse reports what is wrong).
pub(crate) fn cut(text: &[u8]) -> Option<Cut<'_>> {
    cut_in_runs(text, PARALLEL_FROM_BYTES, RUN_BYTES)
}

/// [`cut`] with its two sizes given.
pub(crate) fn cut_in_runs(text: &[u8], parallel_from_bytes: usize, run_bytes: usize) -> Option<Cut<'_>> {
    if text.len() < parallel_from_bytes {
        return None;
    }
    let split = super::split::split(text, run_bytes)?;
    let head: Document = serde_json::from_slice(&split.rest).ok()?;
    Some(Cut { head, runs: split.runs, parsed_bytes: split.rest.len() as u64 })
}

impl<'a> Cut<'a> {
    /// Parses the runs of claims, a window of a few runs per thread at a
    /// time on rayon's threads (those of the pool the caller runs in); each
    /// run's records (any type that reads a claim: [`ClaimRecord`], or one
    /// that borrows from the text) go through `convert` on the thread that
    /// parsed them, and the results to `each`, in input order, on the
    /// calling thread. Once a window is parsed, `release` is called with
    /// each of its runs (their text is not read again) and `progress` with
    /// the bytes parsed so far. `None` as soon as a run fails to parse or to
    /// convert.
    pub(crate) fn parse_each<R: Deserialize<'a>, T: Send>(
        &self,
        progress: &mut dyn FnMut(u64),
        release: &dyn Fn(&[u8]),
        convert: impl Fn(Vec<R>) -> Option<T> + Sync,
        each: &mut dyn FnMut(T),
    ) -> Option<()> {
        use rayon::prelude::*;
        let window = 4 * rayon::current_num_threads().max(1);
        let mut done = self.parsed_bytes;
        for part in self.runs.chunks(window) {
            let converted: Vec<Option<T>> = part.par_iter().map(|&run| convert(elements(run)?)).collect();
            part.iter().for_each(|run| release(run));
            for run in converted {
                each(run?);
            }
            done += part.iter().map(|run| run.len() as u64).sum::<u64>();
            progress(done);
        }
        Some(())
    }
}

/// The elements of a run (`{...},{...}`, as in the array it was cut from),
/// parsed where they lie in the text: what parsing `[` + run + `]` as an
/// array gives, without copying the run to put the brackets around it.
/// `None` where that array would not parse.
fn elements<'a, R: Deserialize<'a>>(run: &'a [u8]) -> Option<Vec<R>> {
    let skip_ws = |text: &'a [u8]| {
        let start = text.iter().position(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r')).unwrap_or(text.len());
        &text[start..]
    };
    let mut records = Vec::new();
    let mut rest = skip_ws(run);
    if rest.is_empty() {
        return Some(records);
    }
    loop {
        // One value (an element follows every comma); an object or an
        // array ends itself, anything else must be followed by a delimiter.
        let mut values = serde_json::Deserializer::from_slice(rest).into_iter::<R>();
        records.push(values.next()?.ok()?);
        rest = skip_ws(rest.get(values.byte_offset()..)?);
        match rest.split_first() {
            None => return Some(records),
            Some((b',', after)) => rest = after,
            Some(_) => return None,
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

/// Reads a document from a file, as [`with_file`] maps or reads it; see
/// [`document_from_slice`] for the parse, the errors and `progress`.
pub(crate) fn document_from_file(path: &std::path::Path, progress: &mut dyn FnMut(u64)) -> Result<Document> {
    with_file(path, |text, _| document_from_slice(text, progress))?
}

/// Calls `read` with the bytes of a file: a regular file is memory-mapped
/// (the text is paged in from the kernel's cache, not copied onto the
/// heap); anything else (a pipe, a terminal) is read into memory first.
/// `read` may call its second argument with a part of the text it will not
/// read again: the pages that part covers whole are released from the
/// process's memory (a mapped file's pages stay in the kernel's cache and
/// would fault in again if read), so that a large file is not resident
/// whole once read.
pub(crate) fn with_file<R>(path: &std::path::Path, read: impl FnOnce(&[u8], &dyn Fn(&[u8])) -> R) -> Result<R> {
    let io = |source| ErrorKind::Io { source };
    let mut file = std::fs::File::open(path).map_err(io)?;
    let regular = file.metadata().map_err(io)?.is_file();
    // SAFETY: a mapped file changed by another process while it is read
    // would break the slice's contract. The engine reads inputs that nothing
    // else writes at the time, as every tool that maps its input does; a
    // file truncated under it would end the process with SIGBUS, not give
    // wrong answers in silence.
    let mapped = if regular { unsafe { memmap2::Mmap::map(&file) }.ok() } else { None };
    match mapped {
        Some(map) => {
            // Sequential reading is the common case; failing to advise is harmless.
            let _ = map.advise(memmap2::Advice::Sequential);
            Ok(read(&map, &|part| release_pages(&map, part)))
        }
        None => {
            let mut text = Vec::new();
            std::io::Read::read_to_end(&mut file, &mut text).map_err(io)?;
            Ok(read(&text, &|_| {}))
        }
    }
}

/// Releases the pages of `map` that `part` (a slice of it) covers whole.
pub(crate) fn release_pages(map: &memmap2::Mmap, part: &[u8]) {
    // A multiple of every page size Linux uses; a larger page is released
    // when the range covers it whole, never a page outside the range.
    const PAGE: usize = 4096;
    let Some(start) = (part.as_ptr() as usize).checked_sub(map.as_ptr() as usize) else { return };
    let end = start + part.len();
    let (first, last) = (start.div_ceil(PAGE) * PAGE, end / PAGE * PAGE);
    if end <= map.len() && first < last {
        // SAFETY: `map` is a read-only shared mapping of a file: MADV_DONTNEED
        // drops those pages from this process's memory, and a later read of
        // them faults them in again from the file, unchanged (a private or an
        // anonymous mapping would lose its contents, which is why the call is
        // unsafe). Nothing borrows the pages mutably; failing to advise is
        // harmless.
        let _ = unsafe { map.unchecked_advise_range(memmap2::UncheckedAdvice::DontNeed, first, last - first) };
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

fn classify(error: serde_json::Error, path: Option<serde_path_to_error::Path>, text: Option<&[u8]>) -> ErrorKind {
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
fn record_at(path: &serde_path_to_error::Path, text: Option<&[u8]>) -> Option<RecordRef> {
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

fn id_of(text: &[u8], section: Section, index: usize) -> Option<String> {
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
    let ids: Ids = serde_json::from_slice(text).ok()?;
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

    /// Reads a document from JSON bytes (standard input read whole, say),
    /// parsed on all cores as a file is.
    ///
    /// # Errors
    ///
    /// As [`Dataset::from_json_bytes`](crate::Dataset::from_json_bytes), before validation.
    pub fn from_json_bytes(text: &[u8]) -> Result<Document> {
        document_from_slice(text, &mut |_| {})
    }

    /// Reads a document from a reader, streaming.
    ///
    /// # Errors
    ///
    /// As [`Dataset::from_json_reader`](crate::Dataset::from_json_reader), before validation.
    pub fn from_json_reader<R: std::io::Read>(reader: R) -> Result<Document> {
        document_from_reader(reader)
    }

    /// Reads a document from a JSON file (memory-mapped, parsed on all
    /// cores, as [`Dataset::from_json_file`](crate::Dataset::from_json_file)
    /// does), calling `progress` with the number of bytes parsed so far.
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::LATAKIA_2014_JSON as LATAKIA;
    use crate::test_support::in_pool;

    /// A run's elements parsed where they lie are those of the array made
    /// by putting brackets around it, and a run that would not make an
    /// array is refused.
    #[test]
    fn a_runs_elements_are_those_of_the_bracketed_run() {
        let runs = [
            "",
            " \n\t\r ",
            "{}",
            "{\"a\":1}",
            " {\"a\":1} , {\"b\":[1,{}]}\n",
            "1,2,3",
            "1 , \"x\" ,null,true",
            "{\"a\":\"},{\"}",
            "[1,2],[3]", // well formed
            ",",
            "{},",
            ",{}",
            "{} {}",
            "{},,{}",
            "1 2",
            "{",
            "{}}",
            "]",
            "{\"a\":1}x",
            "tru",
            "1,",
            "\"a", // not
        ];
        for run in runs {
            let bracketed = serde_json::from_slice::<Vec<serde_json::Value>>(format!("[{run}]").as_bytes()).ok();
            assert_eq!(elements::<serde_json::Value>(run.as_bytes()), bracketed, "{run:?}");
        }
    }

    #[test]
    fn a_document_parsed_in_runs_is_the_one_parsed_whole() {
        let whole: Document = serde_json::from_str(LATAKIA).unwrap();
        assert!(whole.claims.len() > 20);
        for threads in [1, 2] {
            for run_bytes in [0, 100, 1000, 1 << 20] {
                let mut reported = Vec::new();
                let parsed = in_pool(threads, || {
                    document_from_slice_in_runs(LATAKIA.as_bytes(), 0, run_bytes, &mut |n| reported.push(n))
                });
                assert_eq!(parsed.unwrap(), whole, "{threads} threads, runs of {run_bytes} bytes");
                assert_eq!(reported.last(), Some(&(LATAKIA.len() as u64)));
                assert!(reported.windows(2).all(|w| w[0] <= w[1]), "{reported:?}");
            }
        }
    }

    #[test]
    fn an_error_in_a_run_is_reported_as_a_serial_parse_reports_it() {
        let mut whole: serde_json::Value = serde_json::from_str(LATAKIA).unwrap();
        let claims = whole["claims"].as_array_mut().unwrap();
        let middle = claims.len() / 2;
        let id = claims[middle]["id"].as_str().unwrap().to_owned();
        claims[middle]["when"] = serde_json::json!(17);
        let text = serde_json::to_string_pretty(&whole).unwrap();
        let broken = [
            text.clone(),
            // Not JSON at all, in the middle of the claims.
            text.replacen(&format!("\"id\": \"{id}\""), &format!("\"id\": \"{id}\" \"x\""), 1),
            text.replacen("\"claims\"", "\"claim\"", 1),
        ];
        for text in broken {
            let serial = document_from_slice_in_runs(text.as_bytes(), usize::MAX, 0, &mut |_| {}).unwrap_err();
            let in_runs = document_from_slice_in_runs(text.as_bytes(), 0, 100, &mut |_| {}).unwrap_err();
            assert_eq!(in_runs.to_string(), serial.to_string());
        }
        let error = document_from_slice_in_runs(text.as_bytes(), 0, 100, &mut |_| {}).unwrap_err();
        assert!(error.to_string().contains(&id), "{error}");
    }
}
