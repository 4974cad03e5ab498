//! Cutting a CSV text into chunks of whole records, so that the chunks can
//! be read on all cores ([`imported`](super::imported)'s `read_slice`).
//!
//! A line feed ends a record unless it is inside a quoted field, and in a
//! file whose quotes are all where RFC 4180 puts them (opening a field,
//! closing it, or doubled inside it) a byte is inside a quoted field exactly
//! when an odd number of quotes come before it. So the quotes of fixed-size
//! pieces are counted on all cores, and each piece's first line feed after
//! an even number of quotes (from the start) is a record's end. Whether the
//! quotes are all where RFC 4180 puts them is checked chunk by chunk, as the
//! chunks are read ([`plain_quotes`]): if one is not, the caller reads the
//! text serially instead.

use std::ops::Range;

/// Cuts `text[from..]` (`from`: where a record starts, outside any quotes)
/// into chunks of about `size` bytes each (at least one byte), in order and
/// covering it all. Each chunk but the first starts where the csv crate's
/// reader, reading the text from the start, would start the record after
/// the one before: just after the first byte (`\r` or `\n`) of that
/// record's terminator. The cut is right only if every chunk passes
/// [`plain_quotes`].
pub(crate) fn split(text: &[u8], from: usize, size: usize) -> Vec<Range<usize>> {
    use rayon::prelude::*;
    let size = size.max(1);
    let len = text.len();
    if from >= len {
        return Vec::new();
    }
    let starts: Vec<usize> = (from..len).step_by(size).collect();
    // The quotes in each piece, counted on all cores.
    let quotes: Vec<usize> = starts
        .par_iter()
        .map(|&start| memchr::memchr_iter(b'"', text.get(start..(start + size).min(len)).unwrap_or_default()).count())
        .collect();
    let mut odd = Vec::with_capacity(starts.len());
    let mut before = 0usize;
    for count in &quotes {
        odd.push(before % 2 == 1);
        before += count;
    }
    let ends: Vec<Option<usize>> = starts
        .par_iter()
        .zip(odd.par_iter())
        .skip(1)
        .map(|(&start, &odd)| record_start_after(text, from, start, odd))
        .collect();
    let mut chunks = Vec::with_capacity(starts.len());
    let mut start = from;
    for end in ends.into_iter().flatten() {
        if end > start {
            chunks.push(start..end);
            start = end;
        }
    }
    if start < len {
        chunks.push(start..len);
    }
    chunks
}

/// Where the record after the first record end at or after `at` starts,
/// as a serial reader finds it (just after the first byte of the
/// terminator); `odd`: whether an odd number of quotes precede `at`.
/// `None` when no record ends after `at`.
fn record_start_after(text: &[u8], from: usize, at: usize, mut odd: bool) -> Option<usize> {
    let mut search = at;
    let line_feed = loop {
        let found = search + memchr::memchr2(b'"', b'\n', text.get(search..)?)?;
        if text.get(found) == Some(&b'"') {
            odd = !odd;
        } else if !odd {
            break found;
        }
        search = found + 1;
    };
    // Back over the rest of the terminator and any empty lines before it:
    // the serial reader skips those as it starts the next record.
    let mut first = line_feed;
    while first > from && matches!(text.get(first - 1), Some(b'\r' | b'\n')) {
        first -= 1;
    }
    (first > from).then_some(first + 1)
}

/// Whether every quote of `chunk` (whole records, starting outside any
/// quotes) is where RFC 4180 puts quotes: opening a field, closing one
/// (before a comma, a terminator or the end), or doubled inside one; and
/// the chunk ends outside quotes. Then the csv crate's reader and the
/// parity of quotes agree on which line feeds end records.
pub(crate) fn plain_quotes(chunk: &[u8]) -> bool {
    let mut at = 0;
    let mut inside = false;
    while let Some(found) = chunk.get(at..).and_then(|rest| memchr::memchr(b'"', rest)) {
        let quote = at + found;
        if inside {
            match chunk.get(quote + 1) {
                Some(b'"') => {
                    at = quote + 2;
                    continue;
                }
                None | Some(b',' | b'\n' | b'\r') => inside = false,
                Some(_) => return false,
            }
        } else {
            let opens = quote == 0 || matches!(chunk.get(quote - 1), Some(b',' | b'\n' | b'\r'));
            if !opens {
                return false;
            }
            inside = true;
        }
        at = quote + 1;
    }
    !inside
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quoted_line_feed_does_not_end_a_record() {
        let text = b"h\n\"a\nb\nc\",1\nd,2\n";
        // Pieces of 3 bytes start inside the quoted field; none of them may cut there.
        let chunks = split(text, 2, 3);
        let starts: Vec<usize> = chunks.iter().map(|c| c.start).collect();
        assert_eq!(starts, [2, 12]);
        assert_eq!(chunks.last().map(|c| c.end), Some(text.len()));
        assert!(chunks.iter().all(|c| plain_quotes(&text[c.clone()])));
    }

    #[test]
    fn a_cut_is_where_a_serial_reader_starts_the_next_record() {
        // After `\r` of a CRLF, and before empty lines.
        let text = b"h\r\na\r\n\n\r\nb\r\n";
        let chunks = split(text, 2, 1);
        let starts: Vec<usize> = chunks.iter().map(|c| c.start).collect();
        assert_eq!(starts, [2, 5, 11]);
    }

    #[test]
    fn quotes_out_of_place_are_found() {
        assert!(plain_quotes(b"a,\"b,\"\"c\"\"\"\n\"d\"\r\n"));
        assert!(!plain_quotes(b"a,b\"c\n"));
        assert!(!plain_quotes(b"a,\"b\"c\n"));
        assert!(!plain_quotes(b"a,\"b\n"));
        assert!(!plain_quotes(b"a, \"b\"\n"));
    }
}
