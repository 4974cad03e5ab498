//! Cutting a JSON document's top-level `claims` array into runs of whole
//! elements, so that the runs can be parsed on several cores.
//!
//! The scanner knows only as much JSON as it needs to find where values end:
//! strings (with their escapes), nesting, and the separators between them.
//! It does not check the text; whatever it does not understand (a key with
//! an escape, a `claims` key given twice, a `claims` that is not an array,
//! text it cannot make sense of) makes it give up, and the caller parses the
//! whole text serially, which reports any error as before. What it accepts,
//! serde_json still parses strictly: the rest of the document with an empty
//! `claims`, and each run as an array of its own.
//!
//! When `claims` is the document's last key (as this crate and the
//! simulator write it), its elements are not scanned at all: the runs are
//! guessed at the first `}`, `,`, `{` past every `run_bytes` bytes
//! ([`guessed_runs`]), and the parse of each run checks the guess, so that
//! the scan, which was serial, costs nothing. A wrong guess makes a run fail
//! to parse, and the text goes to the serial parse as on any error.

/// A document cut for parsing in parallel: everything but the claims, and
/// the claims in runs of whole elements.
pub(crate) struct Split<'a> {
    /// The document with the `claims` array replaced by `[]`.
    pub rest: Vec<u8>,
    /// Runs of consecutive elements of `claims`, each a slice of the text
    /// from the first element's first byte to the last one's last byte
    /// (so `[` + run + `]` is an array of those elements), in order.
    pub runs: Vec<&'a [u8]>,
}

/// Cuts `text` into the rest and runs of about `run_bytes` bytes each (a run
/// ends at the first element boundary past that size), or `None` when the
/// document has no `claims` array to cut or the scanner gives up.
pub(crate) fn split(text: &[u8], run_bytes: usize) -> Option<Split<'_>> {
    split_with(text, run_bytes, true)
}

/// [`split`], the runs of a last `claims` array guessed
/// ([`guessed_runs`]) when `guess`, else always found by scanning it.
fn split_with(text: &[u8], run_bytes: usize, guess: bool) -> Option<Split<'_>> {
    let mut i = skip_ws(text, 0);
    if text.get(i) != Some(&b'{') {
        return None;
    }
    i = skip_ws(text, i + 1);
    let mut claims: Option<(usize, usize)> = None;
    if text.get(i) != Some(&b'}') {
        loop {
            let key_start = i;
            i = skip_string(text, i)?;
            let key = text.get(key_start + 1..i - 1)?;
            if key.contains(&b'\\') {
                return None;
            }
            i = skip_ws(text, i);
            if text.get(i) != Some(&b':') {
                return None;
            }
            let value_start = skip_ws(text, i + 1);
            if guess && key == b"claims" && claims.is_none() && text.get(value_start) == Some(&b'[') {
                if let Some(end) = last_array_end(text) {
                    if end > value_start {
                        return Some(cut_at(text, value_start, end, guessed_runs(text, value_start, end, run_bytes)));
                    }
                }
            }
            i = skip_value(text, value_start)?;
            if key == b"claims" {
                if claims.is_some() || text.get(value_start) != Some(&b'[') {
                    return None;
                }
                claims = Some((value_start, i));
            }
            i = skip_ws(text, i);
            match text.get(i) {
                Some(b',') => i = skip_ws(text, i + 1),
                Some(b'}') => break,
                _ => return None,
            }
        }
    }
    if skip_ws(text, i + 1) != text.len() {
        return None;
    }
    let (start, end) = claims?;
    let runs = runs(text, start, end, run_bytes)?;
    Some(cut_at(text, start, end, runs))
}

/// The split of `text` whose `claims` array is `text[start..end]`, into `runs`.
fn cut_at<'a>(text: &'a [u8], start: usize, end: usize, runs: Vec<&'a [u8]>) -> Split<'a> {
    let mut rest = Vec::with_capacity(text.len() - (end - start) + 2);
    rest.extend_from_slice(text.get(..start).unwrap_or_default());
    rest.extend_from_slice(b"[]");
    rest.extend_from_slice(text.get(end..).unwrap_or_default());
    Split { rest, runs }
}

/// Past the `]` that closes the document's last value, if the text ends with
/// `]`, then `}` (whitespace around them): where `claims` ends when it is the
/// last key, as this crate and the simulator write it.
fn last_array_end(text: &[u8]) -> Option<usize> {
    let close = skip_ws_back(text, text.len()).checked_sub(1)?;
    if text.get(close) != Some(&b'}') {
        return None;
    }
    let end = skip_ws_back(text, close);
    (text.get(end.checked_sub(1)?) == Some(&b']')).then_some(end)
}

/// The runs of the array `text[start..end]` guessed without scanning it: from
/// about every `run_bytes` bytes, the next `}`, whitespace, `,`, whitespace,
/// `{` is taken to be a boundary between two elements. A guess is checked by
/// parsing, not here: the run before a wrong guess (a `},{` inside a string,
/// or inside an element) ends inside a string or an open object or array, and
/// `[` + run + `]` fails to parse, so a split whose every run parses is the
/// array's elements; if `claims` is not in fact the last key, the last run
/// fails the same way. One failed run sends the text to the serial parse.
fn guessed_runs(text: &[u8], start: usize, end: usize, run_bytes: usize) -> Vec<&[u8]> {
    // The elements lie in text[first..last]: past the `[`, before the `]`.
    let first = skip_ws(text, start + 1);
    let last = skip_ws_back(text, end - 1);
    let mut runs = Vec::new();
    if first >= last {
        return runs;
    }
    let mut run_start = first;
    let mut from = first + run_bytes.max(1);
    while let Some(close) = text.get(from..last).and_then(|rest| memchr::memchr(b'}', rest)).map(|at| from + at) {
        let comma = skip_ws(text, close + 1);
        let next = skip_ws(text, comma + 1);
        if text.get(comma) == Some(&b',') && text.get(next) == Some(&b'{') {
            runs.extend(text.get(run_start..close + 1));
            run_start = next;
            from = next + run_bytes.max(1);
        } else {
            from = close + 1;
        }
    }
    runs.extend(text.get(run_start..last));
    runs
}

/// The runs of the array `text[start..end]` (from its `[` to past its `]`).
fn runs(text: &[u8], start: usize, end: usize, run_bytes: usize) -> Option<Vec<&[u8]>> {
    let mut runs = Vec::new();
    let mut i = skip_ws(text, start + 1);
    if text.get(i) == Some(&b']') {
        return (i + 1 == end).then_some(runs);
    }
    let mut run_start = i;
    loop {
        let element_end = skip_value(text, i)?;
        i = skip_ws(text, element_end);
        let last = match text.get(i) {
            Some(b',') => false,
            Some(b']') => true,
            _ => return None,
        };
        if last || element_end - run_start >= run_bytes {
            runs.push(text.get(run_start..element_end)?);
            if last {
                return (i + 1 == end).then_some(runs);
            }
            run_start = skip_ws(text, i + 1);
        }
        i = skip_ws(text, i + 1);
    }
}

fn skip_ws(text: &[u8], mut i: usize) -> usize {
    while matches!(text.get(i), Some(b' ' | b'\n' | b'\r' | b'\t')) {
        i += 1;
    }
    i
}

/// Back past the whitespace that ends `text[..i]`.
fn skip_ws_back(text: &[u8], mut i: usize) -> usize {
    while i > 0 && matches!(text.get(i - 1), Some(b' ' | b'\n' | b'\r' | b'\t')) {
        i -= 1;
    }
    i
}

/// Past the string that starts at `text[i]` (a `"`).
fn skip_string(text: &[u8], i: usize) -> Option<usize> {
    if text.get(i) != Some(&b'"') {
        return None;
    }
    let mut i = i + 1;
    loop {
        i += memchr::memchr2(b'"', b'\\', text.get(i..)?)?;
        match text.get(i)? {
            b'"' => return Some(i + 1),
            // An escape: the backslash and the character it escapes.
            _ => i += 2,
        }
    }
}

/// Past the value that starts at `text[i]`: a string, an object or array
/// (with everything nested in it), or a scalar (up to the next separator).
fn skip_value(text: &[u8], i: usize) -> Option<usize> {
    match text.get(i)? {
        b'"' => skip_string(text, i),
        b'{' | b'[' => {
            // One pass, byte by byte: the strings inside are short (ids,
            // dates), too short for a search to pay for its start.
            let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
            for (offset, &byte) in text.get(i..)?.iter().enumerate() {
                if in_string {
                    if escaped {
                        escaped = false;
                    } else if byte == b'\\' {
                        escaped = true;
                    } else if byte == b'"' {
                        in_string = false;
                    }
                    continue;
                }
                match byte {
                    b'"' => in_string = true,
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(i + offset + 1);
                        }
                    }
                    _ => {}
                }
            }
            None
        }
        b',' | b'}' | b']' | b':' => None,
        _ => {
            let length = text.get(i..)?.iter().position(|b| b",}] \n\r\t".contains(b)).unwrap_or(text.len() - i);
            Some(i + length)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::Value;

    /// The elements of every run, parsed, in order.
    fn elements(split: &Split<'_>) -> Vec<Value> {
        split
            .runs
            .iter()
            .flat_map(|run| {
                let array = [b"[".as_slice(), run, b"]"].concat();
                match serde_json::from_slice::<Vec<Value>>(&array) {
                    Ok(elements) => elements,
                    Err(error) => panic!("a run is not a list of elements: {error}: {}", String::from_utf8_lossy(run)),
                }
            })
            .collect()
    }

    /// What serde_json reads: the rest, and the claims apart.
    fn reference(text: &str) -> (Value, Vec<Value>) {
        let mut value: Value = serde_json::from_str(text).unwrap_or(Value::Null);
        let claims = match value.get_mut("claims").map(Value::take) {
            Some(Value::Array(claims)) => claims,
            _ => Vec::new(),
        };
        if let Some(slot) = value.get_mut("claims") {
            *slot = Value::Array(Vec::new());
        }
        (value, claims)
    }

    fn check(text: &str, run_bytes: usize) {
        let split = split_with(text.as_bytes(), run_bytes, false).unwrap_or_else(|| panic!("no split: {text}"));
        let (rest, claims) = reference(text);
        let parsed_rest: Value = serde_json::from_slice(&split.rest).unwrap_or(Value::Null);
        assert_eq!(parsed_rest, rest, "{text}");
        assert_eq!(elements(&split), claims, "{text}");
    }

    #[test]
    fn strings_with_brackets_quotes_and_escapes_do_not_cut() {
        let text = r#" { "actors" : [ {"id": "a]}"} ] ,
            "claims" : [ {"id": "x\"],[{", "q": "\\"}, {"id": "y\\\\", "n": [1, {"a": [ ]}]} ,
                         "\u005d", 12.5e3, true, null, [ ], { } ] , "sources": ["claims"] } "#;
        for run_bytes in [0, 1, 20, 1 << 20] {
            check(text, run_bytes);
        }
        let split = split_with(text.as_bytes(), 0, false).unwrap_or_else(|| panic!("no split"));
        assert_eq!(split.runs.len(), 8, "one element a run at size 0");
    }

    #[test]
    fn an_empty_or_missing_claims_array() {
        check(r#"{"claims": [ ]}"#, 0);
        check(r#"{"actors": [], "claims": []}"#, 0);
        assert!(split_with(br#"{"actors": []}"#, 0, false).is_none());
        assert!(split_with(b"{}", 0, false).is_none());
    }

    #[test]
    fn what_the_scanner_does_not_understand_is_left_to_serde() {
        for text in [
            r#"{"claims": [1,]}"#,
            r#"{"claims": [1 2]}"#,
            r#"{"claims": [1], "claims": [2]}"#,
            r#"{"cl\u0061ims": [1]}"#,
            r#"{"claims": {"a": 1}}"#,
            r#"{"claims": [1]} x"#,
            r#"{"claims": [1]"#,
            r#"{"claims": ["unterminated]}"#,
            r#"[{"claims": [1]}]"#,
            r#"{"claims" [1]}"#,
            r#"{"a": 1 "claims": [1]}"#,
        ] {
            assert!(split_with(text.as_bytes(), 0, false).is_none(), "{text}");
            // Guessed runs may be cut where the scan gives up, but then one
            // of them does not parse, and the text goes to serde whole.
            if let Some(cut) = split(text.as_bytes(), 0) {
                assert!(!runs_parse(&cut), "{text}");
            }
        }
    }

    /// Whether every run parses as a list of elements.
    fn runs_parse(split: &Split<'_>) -> bool {
        split
            .runs
            .iter()
            .all(|run| serde_json::from_slice::<Vec<Value>>(&[b"[".as_slice(), run, b"]"].concat()).is_ok())
    }

    #[test]
    fn guessed_runs_of_a_real_dataset_are_its_elements() {
        let text = crate::data::LATAKIA_2014_JSON;
        let (rest, claims) = reference(text);
        for run_bytes in [0, 1, 100, 1000, 1 << 20] {
            let cut = split(text.as_bytes(), run_bytes).unwrap_or_else(|| panic!("no split"));
            assert!(cut.runs.len() > 1 || run_bytes == 1 << 20, "{run_bytes}: {} runs", cut.runs.len());
            assert_eq!(elements(&cut), claims, "{run_bytes}");
            assert_eq!(serde_json::from_slice::<Value>(&cut.rest).unwrap_or(Value::Null), rest);
        }
    }

    #[test]
    fn a_wrong_guess_inside_a_string_fails_to_parse() {
        let text = r#"{"claims": [{"q": "a}, {b"}, {"q": "c"}]}"#;
        let cut = split(text.as_bytes(), 1).unwrap_or_else(|| panic!("no split"));
        assert!(!runs_parse(&cut), "{:?}", cut.runs);
        let text = r#"{"claims": [{"q": [{"a": 1}, {"b": 2}]}, {"q": "c"}]}"#;
        let cut = split(text.as_bytes(), 1).unwrap_or_else(|| panic!("no split"));
        assert!(!runs_parse(&cut), "{:?}", cut.runs);
    }

    /// Any JSON value, with strings full of the characters that matter.
    fn value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(Value::from),
            "[\"\\\\\\[\\]{},: a\u{e9}\u{1F600}\n]{0,8}".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 32, 5, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
                prop::collection::btree_map("[\"\\\\\\[\\]{}a]{0,4}", inner, 0..4)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    /// A document of `actors`, `claims` and, if given, `sources`, in that
    /// order, compact or pretty.
    fn document_text(actors: Value, claims: Vec<Value>, sources: Option<Value>, pretty: bool) -> String {
        let mut map = serde_json::Map::new();
        map.insert("actors".to_owned(), actors);
        map.insert("claims".to_owned(), Value::Array(claims));
        if let Some(sources) = sources {
            map.insert("sources".to_owned(), sources);
        }
        let document = Value::Object(map);
        let text = if pretty { serde_json::to_string_pretty(&document) } else { serde_json::to_string(&document) };
        text.unwrap_or_default()
    }

    proptest! {
        #[test]
        fn runs_are_the_elements_serde_json_reads(
            claims in prop::collection::vec(value(), 0..12),
            before in value(),
            after in value(),
            pretty in any::<bool>(),
            run_bytes in 0usize..64,
        ) {
            // Keys are written in sorted order: one section before `claims`, one after.
            let text = document_text(before, claims, Some(after), pretty);
            check(&text, run_bytes);
        }

        /// Guessed runs are sound: where every run parses, they are the
        /// elements serde_json reads, whatever the strings hold.
        #[test]
        fn guessed_runs_that_parse_are_the_elements_serde_json_reads(
            claims in prop::collection::vec(value(), 0..12),
            before in value(),
            pretty in any::<bool>(),
            run_bytes in 0usize..64,
        ) {
            let text = document_text(before, claims, None, pretty);
            let (rest, claims) = reference(&text);
            if let Some(cut) = split(text.as_bytes(), run_bytes) {
                if runs_parse(&cut) {
                    prop_assert_eq!(elements(&cut), claims);
                    prop_assert_eq!(serde_json::from_slice::<Value>(&cut.rest).unwrap_or(Value::Null), rest);
                }
            }
        }
    }
}
