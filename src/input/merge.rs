//! Several documents (one per input file) merged into one.

use super::Document;
use crate::error::{ErrorKind, RecordRef, Result, Section};
use std::collections::HashMap;

/// Merges documents, each with the name of the file it came from, into one.
///
/// The sections are concatenated in the order given. A record whose id an
/// earlier file already has is left out when it is identical to that one
/// (the same actor in two files is the same actor), and refused when it
/// differs. Repeated ids within one file are kept, for validation to report.
///
/// # Errors
///
/// [`ErrorKind::ConflictingRecords`], naming the record (its section, its
/// index in the later file, its id) and both files.
///
/// # Example
///
/// ```
/// use frontline::input::{merge, Document};
///
/// let a: Document = serde_json::from_str(r#"{"actors": [{"id": "army"}, {"id": "rebels"}]}"#)?;
/// let b: Document = serde_json::from_str(r#"{"actors": [{"id": "army"}], "locations": [{"id": "hill"}]}"#)?;
/// let merged = merge([("a.json".to_owned(), a.clone()), ("b.json".to_owned(), b)])?;
/// assert_eq!((merged.actors.len(), merged.locations.len()), (2, 1));
///
/// let c: Document = serde_json::from_str(r#"{"actors": [{"id": "army", "name": "Syrian Arab Army"}]}"#)?;
/// let error = merge([("a.json".to_owned(), a), ("c.json".to_owned(), c)]).unwrap_err();
/// assert_eq!(error.to_string(), r#"actor "army" (actors[0]) in c.json differs from the one in a.json"#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn merge(documents: impl IntoIterator<Item = (String, Document)>) -> Result<Document> {
    let mut merged = Document::default();
    let mut seen: [HashMap<String, (usize, usize)>; 4] = Default::default();
    let mut files: Vec<String> = Vec::new();
    for (file, document) in documents {
        let index = files.len();
        files.push(file);
        let Document { actors, sources, locations, claims } = document;
        let [a, s, l, c] = &mut seen;
        add(&mut merged.actors, a, Section::Actors, index, &files, actors, |r| &r.id)?;
        add(&mut merged.sources, s, Section::Sources, index, &files, sources, |r| &r.id)?;
        add(&mut merged.locations, l, Section::Locations, index, &files, locations, |r| &r.id)?;
        add(&mut merged.claims, c, Section::Claims, index, &files, claims, |r| &r.id)?;
    }
    Ok(merged)
}

/// Appends one file's section, leaving out what an earlier file has.
fn add<T: PartialEq>(
    merged: &mut Vec<T>,
    seen: &mut HashMap<String, (usize, usize)>,
    section: Section,
    file: usize,
    files: &[String],
    records: Vec<T>,
    id: impl Fn(&T) -> &String,
) -> Result<()> {
    for (index, record) in records.into_iter().enumerate() {
        let key = id(&record);
        match seen.get(key.as_str()) {
            Some(&(earlier, at)) if earlier != file => {
                if merged.get(at) != Some(&record) {
                    return Err(ErrorKind::ConflictingRecords {
                        record: RecordRef::new(section, index, key),
                        file: files.get(file).cloned().unwrap_or_default(),
                        earlier_file: files.get(earlier).cloned().unwrap_or_default(),
                    }
                    .into());
                }
            }
            Some(_) => merged.push(record),
            None => {
                if !key.is_empty() {
                    seen.insert(key.clone(), (file, merged.len()));
                }
                merged.push(record);
            }
        }
    }
    Ok(())
}
