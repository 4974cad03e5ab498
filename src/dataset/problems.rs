//! Every problem of a document, not only the first: the checks of
//! `validate`, run so that one problem does not hide the next.

use super::validate::{
    build_actors, build_claim, build_locations, build_sources, denial_problem, ClaimLookups, Lookup, Order,
};
use super::Dataset;
use crate::error::{Error, ErrorKind, RecordRef, Section};
use crate::input::{AssertsRecord, Document};
use crate::model::{Assertion, Claim};
use rayon::prelude::*;
use std::collections::HashMap;

impl Dataset {
    /// The problems of a document, up to `limit` of them; empty when
    /// [`Dataset::from_document`] accepts it.
    ///
    /// Each problem is the error that [`Dataset::from_document`] would give
    /// for it, naming its record. Listed, in this order: every missing or
    /// repeated id, section by section; and when every section's ids are
    /// sound, the first other problem of each of actors, sources (checked
    /// when the actors are sound) and locations, then every problem of every
    /// claim, in input order.
    ///
    /// # Example
    ///
    /// ```
    /// let document = serde_json::from_str(r#"{
    ///   "actors": [{"id": "army"}],
    ///   "sources": [{"id": "tv", "affiliation": "army"}],
    ///   "locations": [{"id": "hill"}],
    ///   "claims": [
    ///     {"id": "c1", "source": "tv", "location": "hill", "asserts": {"holds": "rebels"}, "when": "2014-03-22"},
    ///     {"id": "c2", "source": "radio", "location": "hill", "asserts": "contested", "when": "2014-03-22"},
    ///     {"id": "c3", "source": "tv", "location": "hill", "asserts": "contested", "when": "2014-02-30"}
    ///   ]}"#)?;
    /// let problems = frontline::Dataset::problems(&document, 100);
    /// let named: Vec<_> = problems.iter().map(|p| p.record().and_then(|r| r.id.clone())).collect();
    /// assert_eq!(named, [Some("c1".into()), Some("c2".into()), Some("c3".into())]);
    /// assert_eq!(frontline::Dataset::problems(&document, 2).len(), 2);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn problems(document: &Document, limit: usize) -> Vec<Error> {
        let mut found = Vec::new();
        collect(document, &mut found);
        found.truncate(limit);
        found
    }
}

fn collect(document: &Document, found: &mut Vec<Error>) {
    let Document { actors, sources, locations, claims } = document;
    let actor_order = order(Section::Actors, actors.iter().map(|r| r.id.as_str()), found);
    let source_order = order(Section::Sources, sources.iter().map(|r| r.id.as_str()), found);
    let location_order = order(Section::Locations, locations.iter().map(|r| r.id.as_str()), found);
    let claim_order = order(Section::Claims, claims.iter().map(|r| r.id.as_str()), found);
    let (Some(actor_order), Some(source_order), Some(location_order), Some(order)) =
        (actor_order, source_order, location_order, claim_order)
    else {
        return;
    };
    if let Some(built) = first(build_actors(document.actors.clone(), &actor_order), found) {
        first(build_sources(document.sources.clone(), &source_order, &built), found);
    }
    first(build_locations(document.locations.clone(), &location_order), found);
    // A claim refers to records by id only: with every section's ids sound,
    // each claim can be checked whatever else is wrong with those records.
    let source_lookup = Lookup::new(Section::Sources, source_order.sorted_ids(sources, |s| s.id.as_str()));
    let location_lookup = Lookup::new(Section::Locations, location_order.sorted_ids(locations, |l| l.id.as_str()));
    let actor_lookup = Lookup::new(Section::Actors, actor_order.sorted_ids(actors, |a| a.id.as_str()));
    let claim_lookup = Lookup::new(Section::Claims, order.sorted_ids(claims, |c| c.id.as_str()));
    let lookups = ClaimLookups { source: &source_lookup, location: &location_lookup, actor: &actor_lookup };
    // Each claim on its own, in input order.
    let built: Vec<crate::Result<Claim>> = claims
        .par_iter()
        .enumerate()
        .map(|(index, record)| {
            let denied = match &record.asserts {
                AssertsRecord::Denies(target) => {
                    let record_ref = || RecordRef::new(Section::Claims, index, &record.id);
                    Some(claim_lookup.resolve(record_ref, "asserts.denies", target)?)
                }
                _ => None,
            };
            build_claim(index, record.clone().into(), denied, &lookups)
        })
        .collect();
    let built: Vec<Option<Claim>> =
        built.into_iter().map(|claim| claim.map_err(|error| found.push(error)).ok()).collect();
    // Denials, between the claims that are sound.
    for (index, claim) in built.iter().enumerate() {
        let Some(claim @ Claim { asserts: Assertion::Denies(target), .. }) = claim else { continue };
        let Some(Some(denied)) = order.input_index.get(target.as_usize()).map(|&i| &built[i]) else { continue };
        if let Some(problem) = denial_problem(claim, order.rank(index), denied, target.as_usize()) {
            let record = RecordRef::new(Section::Claims, index, &claim.id);
            found.push(ErrorKind::InvalidDenial { record, target: denied.id.to_string(), problem }.into());
        }
    }
}

/// The value built, or `None` after noting the error.
fn first<T>(built: crate::Result<T>, found: &mut Vec<Error>) -> Option<T> {
    built.map_err(|error| found.push(error)).ok()
}

/// The section's order, or `None` after listing every missing and repeated id.
fn order<'a>(
    section: Section,
    ids: impl ExactSizeIterator<Item = &'a str> + Clone,
    found: &mut Vec<Error>,
) -> Option<Order> {
    if let Ok(order) = Order::new(section, ids.clone()) {
        return Some(order);
    }
    let mut first: HashMap<&str, usize> = HashMap::new();
    for (index, id) in ids.enumerate() {
        let record = RecordRef::new(section, index, id);
        if id.is_empty() {
            found.push(ErrorKind::MissingId { record }.into());
        } else if let Some(&first) = first.get(id) {
            found.push(ErrorKind::DuplicateId { record, first }.into());
        } else {
            first.insert(id, index);
        }
    }
    None
}
