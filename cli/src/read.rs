//! Reading the JSON inputs: one file, several merged into one dataset, or
//! standard input (`-`).

use crate::progress::Progress;
use frontline::input::Document;
use frontline::Dataset;
use std::path::{Path, PathBuf};

/// How messages name an input.
pub fn name(path: &Path) -> String {
    if is_stdin(path) {
        "standard input".to_owned()
    } else {
        path.display().to_string()
    }
}

fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// The bytes of every input file (standard input counts 0).
fn total_size(paths: &[PathBuf]) -> u64 {
    paths.iter().filter(|p| !is_stdin(p)).filter_map(|p| std::fs::metadata(p).ok()).map(|m| m.len()).sum()
}

/// Reads one input as a document (not validated).
pub fn document(path: &Path, progress: &Progress) -> Result<Document, String> {
    let read = if is_stdin(path) {
        Document::from_json_reader(std::io::stdin().lock())
    } else {
        let mut last = 0;
        Document::from_json_file_with_progress(path, |bytes| {
            progress.read(bytes - last);
            last = bytes;
        })
    };
    read.map_err(|error| format!("{}: {}", name(path), crate::with_causes(&error)))
}

/// Reads the inputs, merged into one dataset when there are several, and
/// validates it.
pub fn dataset(paths: &[PathBuf], progress: &Progress) -> Result<Dataset, String> {
    progress.reading(total_size(paths));
    let read = match paths {
        // One file: the library's one call that reads and validates a file.
        [path] if !is_stdin(path) => {
            let mut last = 0;
            Dataset::from_json_file_with_progress(path, |bytes| {
                progress.read(bytes - last);
                last = bytes;
            })
        }
        [_] => Dataset::from_json_reader(std::io::stdin().lock()),
        _ => {
            let mut documents = Vec::with_capacity(paths.len());
            for path in paths {
                documents.push((name(path), document(path, progress)?));
            }
            frontline::input::merge(documents).and_then(Dataset::from_document)
        }
    };
    let names = paths.iter().map(|p| name(p)).collect::<Vec<_>>().join(" + ");
    read.map_err(|error| format!("{names}: {}", crate::with_causes(&error)))
}
