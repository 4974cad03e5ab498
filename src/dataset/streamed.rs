//! Reading and validating a large JSON text run by run: each run of claims
//! is checked and interned on the thread that parsed it, and its records
//! dropped, so the input's records and the dataset are never in memory
//! whole together (nor, for a mapped file, the file's pages: each run's are
//! released once it is parsed). When anything is wrong, the text is read
//! again the ordinary way ([`Dataset::from_document`] of the whole
//! document), which reports the same first error as before.

use super::validate::{build_actors, build_claim, build_locations, build_sources, denial_problem};
use super::validate::{ClaimLookups, Lookup, Order};
use super::Dataset;
use crate::error::{Result, Section};
use crate::input::json;
use crate::input::{AssertsFields, ClaimFields, Document};
use crate::model::{Assertion, Claim, ClaimId};

impl Dataset {
    /// Reads and validates a dataset from JSON bytes: a large text run by
    /// run (this module's docs), calling `release` with each run's text once
    /// it is parsed; any other text, or one with any problem, through its
    /// [`Document`].
    pub(super) fn from_json_slice(
        text: &[u8],
        progress: &mut dyn FnMut(u64),
        release: &dyn Fn(&[u8]),
    ) -> Result<Dataset> {
        if let Some(dataset) = json::cut(text).and_then(|cut| in_runs(cut, progress, release)) {
            progress(text.len() as u64);
            return Ok(dataset);
        }
        Dataset::from_document(json::document_from_slice(text, progress)?)
    }
}

/// One run's claims, interned but for their denials' targets: `(index in
/// the run, target id)`, the claim's own target a placeholder until then.
struct Run {
    claims: Vec<Claim>,
    denials: Vec<(usize, String)>,
}

/// The dataset of a cut text read run by run, or `None` for one with any
/// problem.
fn in_runs(mut cut: json::Cut<'_>, progress: &mut dyn FnMut(u64), release: &dyn Fn(&[u8])) -> Option<Dataset> {
    let Document { actors, sources, locations, claims } = std::mem::take(&mut cut.head);
    if !claims.is_empty() {
        return None;
    }
    let actor_order = Order::new(Section::Actors, actors.iter().map(|a| a.id.as_str())).ok()?;
    let actors = build_actors(actors, &actor_order).ok()?;
    let source_order = Order::new(Section::Sources, sources.iter().map(|s| s.id.as_str())).ok()?;
    let sources = build_sources(sources, &source_order, &actors).ok()?;
    let location_order = Order::new(Section::Locations, locations.iter().map(|l| l.id.as_str())).ok()?;
    let locations = build_locations(locations, &location_order).ok()?;

    let mut claims: Vec<Claim> = Vec::new();
    let mut denials: Vec<(usize, String)> = Vec::new();
    {
        let source = Lookup::hashed(Section::Sources, sources.iter().map(|s| s.id.as_str()).collect());
        let location = Lookup::hashed(Section::Locations, locations.iter().map(|l| l.id.as_str()).collect());
        let actor = Lookup::hashed(Section::Actors, actors.iter().map(|a| a.id.as_str()).collect());
        let lookups = ClaimLookups { source: &source, location: &location, actor: &actor };
        // Each claim read into fields borrowed from the text where they can
        // be: its references and times are only looked up and parsed.
        let convert = |records: Vec<ClaimFields<'_>>| -> Option<Run> {
            let mut run = Run { claims: Vec::with_capacity(records.len()), denials: Vec::new() };
            for (index, record) in records.into_iter().enumerate() {
                let placeholder = match &record.asserts {
                    AssertsFields::Denies(target) => {
                        run.denials.push((index, target.to_string()));
                        Some(0)
                    }
                    _ => None,
                };
                // The index only names the record in an error, and an error
                // sends the text the ordinary way.
                run.claims.push(build_claim(index, record, placeholder, &lookups).ok()?);
            }
            Some(run)
        };
        // The one vector grows in place (a large allocation is remapped,
        // not copied) as each run's claims are moved into it and the run freed.
        cut.parse_each(progress, release, convert, &mut |run: Run| {
            let offset = claims.len();
            denials.extend(run.denials.into_iter().map(|(index, target)| (offset + index, target)));
            claims.extend(run.claims);
        })?;
    }

    let order = Order::new(Section::Claims, claims.iter().map(|c| &*c.id)).ok()?;
    // Denials resolve against the sorted ids, before the claims move.
    let targets: Vec<(usize, u32)> = {
        let lookup = Lookup::new(Section::Claims, order.input_index.iter().map(|&i| &*claims[i].id).collect());
        let mut targets = Vec::with_capacity(denials.len());
        for (index, target) in &denials {
            let record = || crate::error::RecordRef::new(Section::Claims, *index, "");
            targets.push((order.rank(*index), lookup.resolve(record, "asserts.denies", target).ok()?));
        }
        targets
    };
    drop(denials);
    order.permute(&mut claims);
    for (rank, target) in targets {
        claims[rank].asserts = Assertion::Denies(ClaimId::from_index(target));
    }
    for (rank, claim) in claims.iter().enumerate() {
        if let Assertion::Denies(target) = claim.asserts {
            if denial_problem(claim, rank, &claims[target.as_usize()], target.as_usize()).is_some() {
                return None;
            }
        }
    }
    Some(Dataset::assemble(actors, sources, locations, claims))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::LATAKIA_2014_JSON as LATAKIA;
    use crate::input::AssertsRecord;
    use crate::test_support::in_pool;

    fn read_in_runs(text: &str, run_bytes: usize, released: &mut usize) -> Option<Dataset> {
        let cut = json::cut_in_runs(text.as_bytes(), 0, run_bytes)?;
        let bytes = std::cell::Cell::new(0);
        let dataset = in_runs(cut, &mut |_| {}, &|run| bytes.set(bytes.get() + run.len()));
        *released = bytes.get();
        dataset
    }

    #[test]
    fn a_dataset_read_in_runs_is_the_one_read_whole() {
        let whole = Dataset::from_document(json::document_from_str(LATAKIA).unwrap()).unwrap();
        let claims_text = LATAKIA.find("\"claims\"").map(|at| LATAKIA.len() - at).unwrap();
        for threads in [1, 2] {
            for run_bytes in [0, 100, 1000, 1 << 20] {
                let mut released = 0;
                let read = in_pool(threads, || read_in_runs(LATAKIA, run_bytes, &mut released));
                assert_eq!(read.as_ref(), Some(&whole), "{threads} threads, runs of {run_bytes} bytes");
                // Every claim's text is released once parsed (all but the
                // brackets and separators between the runs).
                assert!(released > claims_text * 9 / 10 && released < claims_text, "{released} of {claims_text}");
            }
        }
        // Reversed input arrays give the same dataset.
        let mut document = json::document_from_str(LATAKIA).unwrap();
        document.claims.reverse();
        let reversed = serde_json::to_string_pretty(&document).unwrap();
        assert_eq!(read_in_runs(&reversed, 100, &mut 0), Some(whole));
    }

    #[test]
    fn a_dataset_with_a_problem_is_left_to_the_whole_reading_which_reports_it() {
        let document = json::document_from_str(LATAKIA).unwrap();
        let first = document.claims[0].id.clone();
        let denial = document.claims.iter().find(|c| matches!(c.asserts, AssertsRecord::Denies(_))).unwrap();
        let denial_id = denial.id.clone();
        let broken = [
            // A reference that does not resolve.
            LATAKIA.replacen("\"source\": \"", "\"source\": \"nobody-", 1),
            // A repeated id.
            LATAKIA.replacen(&format!("\"id\": \"{denial_id}\""), &format!("\"id\": \"{first}\""), 1),
            // A denial of itself.
            {
                let mut document = document.clone();
                let at = document.claims.iter().position(|c| c.id == denial_id).unwrap();
                document.claims[at].asserts = AssertsRecord::Denies(denial_id.clone());
                serde_json::to_string(&document).unwrap()
            },
            // A denial of nothing.
            {
                let mut document = document.clone();
                let at = document.claims.iter().position(|c| c.id == denial_id).unwrap();
                document.claims[at].asserts = AssertsRecord::Denies("no-such-claim".into());
                serde_json::to_string(&document).unwrap()
            },
            // A bad time.
            LATAKIA.replacen("\"when\": \"2014-", "\"when\": \"2014-13-", 1),
        ];
        for text in broken {
            // The whole reading reports a problem; the reading in runs gives
            // up, so that the whole one reports it (`Dataset::from_json_slice`).
            assert!(Dataset::from_document(json::document_from_str(&text).unwrap()).is_err(), "{text:.200}");
            assert_eq!(read_in_runs(&text, 100, &mut 0), None);
        }
    }
}
