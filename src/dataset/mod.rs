//! The validated, interned dataset every later stage works on: the store
//! and its lookups here; validation in `validate`, writing back in `write`,
//! the as-of replay in `replay`.

mod problems;
mod replay;
mod streamed;
mod validate;
mod write;

#[cfg(doc)]
use crate::error::ErrorKind;
use crate::error::Result;
use crate::model::{Actor, ActorId, Claim, ClaimId, Location, LocationId, Meaning, Source, SourceId};

/// A validated set of actors, sources, locations and claims.
///
/// Every reference is resolved to a small-integer id; ids are assigned in the
/// sorted order of the records' string ids, so a `Dataset` (and everything
/// computed from it) does not depend on the order of the input arrays.
/// Claims are grouped per location and sorted by window.
///
/// A `Dataset` is immutable: the graph and the reconciliation are pure
/// functions of it.
///
/// # Example
///
/// ```
/// let dataset = frontline::Dataset::from_json_str(r#"{
///   "actors": [{"id": "army"}, {"id": "rebels"}],
///   "sources": [{"id": "tv", "affiliation": "army"}],
///   "locations": [{"id": "hill"}],
///   "claims": [{"id": "c1", "source": "tv", "location": "hill",
///               "asserts": {"holds": "army"}, "when": "2014-03-22"}]
/// }"#)?;
/// let hill = dataset.location_id("hill").unwrap();
/// assert_eq!(dataset.claims_at(hill).len(), 1);
/// # Ok::<(), frontline::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Dataset {
    actors: Vec<Actor>,
    sources: Vec<Source>,
    locations: Vec<Location>,
    claims: Vec<Claim>,
    by_location: Vec<Vec<ClaimId>>,
    /// `position[claim]` = the claim's index in `by_location[its location]`.
    position: Vec<u32>,
    sides: Vec<ActorId>,
}

impl Dataset {
    /// Reads and validates a dataset from JSON text (a large text is parsed
    /// on all cores).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Malformed`] for text that is not JSON (with line and
    /// column), [`ErrorKind::Schema`] for JSON that does not fit the format
    /// (naming the record and path), and the validation errors of
    /// [`Dataset::from_document`].
    pub fn from_json_str(text: &str) -> Result<Dataset> {
        Dataset::from_json_slice(text.as_bytes(), &mut |_| {}, &|_| {})
    }

    /// Reads and validates a dataset from JSON bytes, as
    /// [`Dataset::from_json_str`]: for a text already in memory, such as
    /// standard input read whole (invalid UTF-8 inside a string is a
    /// [`ErrorKind::Malformed`] error). A large text is validated run by
    /// run of claims as they are parsed, so that its records and the
    /// dataset are never in memory whole together; the errors are those of
    /// [`Dataset::from_document`] of the whole document.
    ///
    /// # Errors
    ///
    /// As [`Dataset::from_json_str`].
    pub fn from_json_bytes(text: &[u8]) -> Result<Dataset> {
        Dataset::from_json_slice(text, &mut |_| {}, &|_| {})
    }

    /// Reads and validates a dataset from a reader, streaming: the raw text
    /// is never held whole in memory, at about a third of the speed of
    /// [`Dataset::from_json_bytes`] on one core.
    ///
    /// # Errors
    ///
    /// As [`Dataset::from_json_str`], plus [`ErrorKind::Io`]. A schema error
    /// names its record by index (the reader cannot be re-read for its id).
    pub fn from_json_reader<R: std::io::Read>(reader: R) -> Result<Dataset> {
        Dataset::from_document(crate::input::json::document_from_reader(reader)?)
    }

    /// Reads and validates a dataset from a JSON file: a regular file is
    /// memory-mapped (paged in from the kernel's cache, never copied onto
    /// the heap, and each run of claims' pages released once parsed) and
    /// read as [`Dataset::from_json_bytes`] reads, on all cores; anything
    /// else (a pipe, `/dev/stdin`) is read into memory first. The file must
    /// not be changed while it is read.
    ///
    /// # Errors
    ///
    /// As [`Dataset::from_json_str`], plus [`ErrorKind::Io`]; a schema error
    /// names its record by index and id.
    pub fn from_json_file(path: impl AsRef<std::path::Path>) -> Result<Dataset> {
        Dataset::from_json_file_with_progress(path, |_| {})
    }

    /// As [`Dataset::from_json_file`], calling `progress` with the number of
    /// bytes parsed so far (every few MiB, and at the end), for a progress
    /// bar.
    ///
    /// # Errors
    ///
    /// As [`Dataset::from_json_file`].
    pub fn from_json_file_with_progress(
        path: impl AsRef<std::path::Path>,
        mut progress: impl FnMut(u64),
    ) -> Result<Dataset> {
        crate::input::json::with_file(path.as_ref(), |text, release| {
            Dataset::from_json_slice(text, &mut progress, release)
        })?
    }

    /// All actors, in id order (index = [`ActorId`]).
    pub fn actors(&self) -> &[Actor] {
        &self.actors
    }

    /// All sources, in id order (index = [`SourceId`]).
    pub fn sources(&self) -> &[Source] {
        &self.sources
    }

    /// All locations, in id order (index = [`LocationId`]).
    pub fn locations(&self) -> &[Location] {
        &self.locations
    }

    /// All claims, in id order (index = [`ClaimId`]).
    pub fn claims(&self) -> &[Claim] {
        &self.claims
    }

    /// The sides: actors that are roots of the actor tree, in id order.
    pub fn sides(&self) -> &[ActorId] {
        &self.sides
    }

    /// The actor with this id.
    ///
    /// # Panics
    ///
    /// If the id does not come from this dataset.
    pub fn actor(&self, id: ActorId) -> &Actor {
        &self.actors[..][id]
    }

    /// The source with this id.
    ///
    /// # Panics
    ///
    /// If the id does not come from this dataset.
    pub fn source(&self, id: SourceId) -> &Source {
        &self.sources[..][id]
    }

    /// The location with this id.
    ///
    /// # Panics
    ///
    /// If the id does not come from this dataset.
    pub fn location(&self, id: LocationId) -> &Location {
        &self.locations[..][id]
    }

    /// The claim with this id.
    ///
    /// # Panics
    ///
    /// If the id does not come from this dataset.
    pub fn claim(&self, id: ClaimId) -> &Claim {
        &self.claims[..][id]
    }

    /// The claims about a location in chronological order: by window start,
    /// then window end, then the time the claim was reported, then id.
    ///
    /// # Panics
    ///
    /// If the id does not come from this dataset.
    pub fn claims_at(&self, location: LocationId) -> &[ClaimId] {
        &self.by_location[location.as_usize()]
    }

    /// The index of a claim in [`Dataset::claims_at`] of its location.
    ///
    /// # Panics
    ///
    /// If the id does not come from this dataset.
    pub fn position_at_location(&self, claim: ClaimId) -> usize {
        self.position[claim.as_usize()] as usize
    }

    /// The side an actor fights for (the root of its tree).
    pub fn side_of(&self, actor: ActorId) -> ActorId {
        self.actor(actor).side
    }

    /// What a claim of this dataset says about control, at the level of
    /// sides: the one reading of an assertion that the control graph, the
    /// reconciliation and the scores share.
    ///
    /// # Panics
    ///
    /// If the claim does not come from this dataset.
    pub fn meaning(&self, claim: &Claim) -> Meaning {
        Meaning::of(claim.asserts(), |a| self.side_of(a))
    }

    /// Looks up an actor by its string id. O(log n).
    pub fn actor_id(&self, id: &str) -> Option<ActorId> {
        find(&self.actors, id, |a| &a.id).and_then(ActorId::new)
    }

    /// Looks up a source by its string id. O(log n).
    pub fn source_id(&self, id: &str) -> Option<SourceId> {
        find(&self.sources, id, |s| &s.id).and_then(SourceId::new)
    }

    /// Looks up a location by its string id. O(log n).
    pub fn location_id(&self, id: &str) -> Option<LocationId> {
        find(&self.locations, id, |l| &l.id).and_then(LocationId::new)
    }

    /// Looks up a claim by its string id. O(log n).
    pub fn claim_id(&self, id: &str) -> Option<ClaimId> {
        find(&self.claims, id, |c| &c.id).and_then(ClaimId::new)
    }

    /// Iterates over the location ids.
    pub fn location_ids(&self) -> impl Iterator<Item = LocationId> + '_ {
        (0..self.locations.len()).filter_map(LocationId::new)
    }
}

fn find<T>(records: &[T], id: &str, key: impl Fn(&T) -> &str) -> Option<usize> {
    records.binary_search_by(|r| key(r).cmp(id)).ok()
}

#[cfg(test)]
mod tests {
    use super::validate::roots;
    use super::*;
    use crate::model::Assertion;
    use crate::ErrorKind;

    const SMALL: &str = r#"{
      "actors": [{"id": "opposition"}, {"id": "nusra", "parent": "opposition"},
                 {"id": "government"}, {"id": "army", "parent": "government"}],
      "sources": [{"id": "sohr", "affiliation": "opposition"}, {"id": "afp", "affiliation": null, "prior": 0.8}],
      "locations": [{"id": "o45", "name": "Observatory 45"}, {"id": "square", "part_of": "kasab"}, {"id": "kasab"}],
      "claims": [
        {"id": "b", "source": "sohr", "location": "o45", "asserts": {"captured": "nusra"}, "when": "2014-03-22"},
        {"id": "a", "source": "afp", "location": "o45", "asserts": "contested",
         "when": {"from": "2014-03-20", "to": "2014-03-21"}},
        {"id": "c", "source": "afp", "location": "o45", "asserts": {"denies": "b"}, "when": "2014-03-23"}
      ]
    }"#;

    #[test]
    fn records_are_interned_in_id_order_and_resolved() {
        let d = Dataset::from_json_str(SMALL).unwrap();
        let ids: Vec<&str> = d.actors().iter().map(|a| a.id()).collect();
        assert_eq!(ids, ["army", "government", "nusra", "opposition"]);
        let nusra = d.actor_id("nusra").unwrap();
        assert_eq!(d.side_of(nusra), d.actor_id("opposition").unwrap());
        assert_eq!(d.sides().len(), 2);
        let square = d.location_id("square").unwrap();
        assert_eq!(d.location(square).part_of(), d.location_id("kasab"));
        let sohr = d.source_id("sohr").unwrap();
        assert_eq!(d.source(sohr).side(), d.actor_id("opposition"));
        let c = d.claim(d.claim_id("c").unwrap());
        assert_eq!(c.asserts(), Assertion::Denies(d.claim_id("b").unwrap()));
    }

    #[test]
    fn claims_at_a_location_are_in_time_order() {
        let d = Dataset::from_json_str(SMALL).unwrap();
        let o45 = d.location_id("o45").unwrap();
        let order: Vec<&str> = d.claims_at(o45).iter().map(|&c| d.claim(c).id()).collect();
        assert_eq!(order, ["a", "b", "c"]);
        assert!(d.claims_at(d.location_id("kasab").unwrap()).is_empty());
    }

    #[test]
    fn the_input_order_does_not_matter() {
        let d = Dataset::from_json_str(SMALL).unwrap();
        let mut doc = d.to_document();
        doc.claims.reverse();
        doc.actors.reverse();
        doc.locations.rotate_left(1);
        assert_eq!(Dataset::from_document(doc).unwrap(), d);
    }

    #[test]
    fn writing_back_and_reading_again_gives_an_equal_dataset() {
        let d = Dataset::from_json_str(SMALL).unwrap();
        let again = Dataset::from_json_str(&d.to_json_string()).unwrap();
        assert_eq!(again, d);
    }

    #[test]
    fn bytes_read_as_the_same_text_does_and_bad_utf8_is_malformed() {
        assert_eq!(Dataset::from_json_bytes(SMALL.as_bytes()).unwrap(), Dataset::from_json_str(SMALL).unwrap());
        let mut bytes = SMALL.replace("Observatory 45", "Observatory \u{1}").into_bytes();
        let at = bytes.iter().position(|&b| b == 1).unwrap();
        bytes[at] = 0xff;
        let err = Dataset::from_json_bytes(&bytes).unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::Malformed { .. }), "{err}");
    }

    #[test]
    fn roots_finds_sides_and_cycles() {
        assert_eq!(roots(&[None, Some(0), Some(1)]), Ok(vec![0, 0, 0]));
        assert!(roots(&[Some(1), Some(2), Some(0)]).is_err());
        assert!(roots(&[Some(0)]).is_err());
    }

    #[test]
    fn a_denial_of_a_denial_is_rejected() {
        let text = SMALL.replace(
            r#""when": "2014-03-23"}"#,
            r#""when": "2014-03-23"},
          {"id": "d", "source": "sohr", "location": "o45", "asserts": {"denies": "c"}, "when": "2014-03-24"}"#,
        );
        let err = Dataset::from_json_str(&text).unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::InvalidDenial { .. }), "{err}");
        assert!(err.to_string().contains("claim \"d\""), "{err}");
    }
}
