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
    let mut rest = Vec::with_capacity(text.len() - (end - start) + 2);
    rest.extend_from_slice(text.get(..start)?);
    rest.extend_from_slice(b"[]");
    rest.extend_from_slice(text.get(end..)?);
    Some(Split { rest, runs })
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
        let split = split(text.as_bytes(), run_bytes).unwrap_or_else(|| panic!("no split: {text}"));
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
        let split = split(text.as_bytes(), 0).unwrap_or_else(|| panic!("no split"));
        assert_eq!(split.runs.len(), 8, "one element a run at size 0");
    }

    #[test]
    fn an_empty_or_missing_claims_array() {
        check(r#"{"claims": [ ]}"#, 0);
        check(r#"{"actors": [], "claims": []}"#, 0);
        assert!(split(br#"{"actors": []}"#, 0).is_none());
        assert!(split(b"{}", 0).is_none());
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
            assert!(split(text.as_bytes(), 0).is_none(), "{text}");
        }
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
            let mut map = serde_json::Map::new();
            map.insert("actors".to_owned(), before);
            map.insert("claims".to_owned(), Value::Array(claims));
            map.insert("sources".to_owned(), after);
            let document = Value::Object(map);
            let text = if pretty {
                serde_json::to_string_pretty(&document)
            } else {
                serde_json::to_string(&document)
            };
            let text = text.unwrap_or_default();
            check(&text, run_bytes);
        }
    }
}
