//! The validated, interned dataset every later stage works on.

use crate::error::{ErrorKind, RecordRef, Result, Section};
use crate::input::{
    ActorRecord, AssertsRecord, ClaimRecord, Document, LocationRecord, RangeRecord, SourceRecord, WhenRecord,
};
use crate::model::time::TimeProblem;
use crate::model::{
    Actor, ActorId, Assertion, Claim, ClaimId, Location, LocationId, Meaning, Source, SourceId, TimePoint, When,
};
use rayon::prelude::*;

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
    /// Reads and validates a dataset from JSON text.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Malformed`] for text that is not JSON (with line and
    /// column), [`ErrorKind::Schema`] for JSON that does not fit the format
    /// (naming the record and path), and the validation errors of
    /// [`Dataset::from_document`].
    pub fn from_json_str(text: &str) -> Result<Dataset> {
        Dataset::from_document(crate::io::json_in::document_from_str(text)?)
    }

    /// Reads and validates a dataset from a reader, streaming: the raw text
    /// is never held whole in memory.
    ///
    /// # Errors
    ///
    /// As [`Dataset::from_json_str`], plus [`ErrorKind::Io`]. A schema error
    /// names its record by index (the reader cannot be re-read for its id).
    pub fn from_json_reader<R: std::io::Read>(reader: R) -> Result<Dataset> {
        Dataset::from_document(crate::io::json_in::document_from_reader(reader)?)
    }

    /// Reads and validates a dataset from a JSON file, streaming.
    ///
    /// # Errors
    ///
    /// As [`Dataset::from_json_reader`]; a schema error names its record by
    /// id too (the file is read again on that error path only).
    pub fn from_json_file(path: impl AsRef<std::path::Path>) -> Result<Dataset> {
        Dataset::from_json_file_with_progress(path, |_| {})
    }

    /// As [`Dataset::from_json_file`], calling `progress` with the number of
    /// bytes read so far (every MiB, and at the end), for a progress bar.
    ///
    /// # Errors
    ///
    /// As [`Dataset::from_json_file`].
    pub fn from_json_file_with_progress(
        path: impl AsRef<std::path::Path>,
        mut progress: impl FnMut(u64),
    ) -> Result<Dataset> {
        Dataset::from_document(crate::io::json_in::document_from_file(path.as_ref(), &mut progress)?)
    }

    /// Validates a [`Document`] and interns it.
    ///
    /// # Errors
    ///
    /// The first problem found, checking sections in the order actors,
    /// sources, locations, claims: a missing or duplicate id, a reference
    /// that does not resolve, a cycle of `parent` or `part_of`, a prior
    /// outside `0..=1`, a prior strength that is negative, not finite or
    /// given without a prior, coordinates out of range, a time that cannot
    /// be read, a window whose `to` is before its `from`, or a denial of
    /// itself, of a denial, or of a claim about another location.
    ///
    /// # Complexity
    ///
    /// O(n log n) time for n records (sorting ids, resolving references by
    /// binary search), O(n) extra memory.
    pub fn from_document(document: Document) -> Result<Dataset> {
        let Document { actors, sources, locations, claims } = document;

        let actor_order = Order::new(Section::Actors, actors.iter().map(|a| a.id.as_str()))?;
        let actors = build_actors(actors, &actor_order)?;
        let source_order = Order::new(Section::Sources, sources.iter().map(|s| s.id.as_str()))?;
        let sources = build_sources(sources, &source_order, &actors)?;
        let location_order = Order::new(Section::Locations, locations.iter().map(|l| l.id.as_str()))?;
        let locations = build_locations(locations, &location_order)?;
        let claim_order = Order::new(Section::Claims, claims.iter().map(|c| c.id.as_str()))?;
        let claims = build_claims(claims, &claim_order, &sources, &locations, &actors)?;

        let mut by_location: Vec<Vec<ClaimId>> = vec![Vec::new(); locations.len()];
        for (index, claim) in claims.iter().enumerate() {
            if let (Some(id), Some(list)) = (ClaimId::new(index), by_location.get_mut(claim.location.as_usize())) {
                list.push(id);
            }
        }
        // Claims are interned in id order, so the id breaks ties.
        by_location.par_iter_mut().for_each(|list| {
            list.sort_by_cached_key(|&id| {
                let claim = &claims[id.as_usize()];
                (claim.window.start(), claim.window.end(), claim.reported_window().start(), id)
            })
        });
        let mut position = vec![0u32; claims.len()];
        for list in &by_location {
            for (i, id) in list.iter().enumerate() {
                // Fits: there are fewer claims than u32::MAX (see `Order::new`).
                position[id.as_usize()] = i as u32;
            }
        }
        let sides =
            actors.iter().enumerate().filter(|(_, a)| a.is_side()).filter_map(|(i, _)| ActorId::new(i)).collect();
        Ok(Dataset { actors, sources, locations, claims, by_location, position, sides })
    }

    /// The dataset in the input format, records sorted by id; reading it back
    /// gives an equal dataset.
    pub fn to_document(&self) -> Document {
        let actor_id = |id: ActorId| self.actor(id).id.clone();
        Document {
            actors: self
                .actors
                .iter()
                .map(|a| ActorRecord { id: a.id.clone(), name: a.name.clone(), parent: a.parent.map(actor_id) })
                .collect(),
            sources: self
                .sources
                .iter()
                .map(|s| SourceRecord {
                    id: s.id.clone(),
                    name: s.name.clone(),
                    affiliation: s.affiliation.map(actor_id),
                    prior: s.prior,
                    prior_strength: s.prior_strength,
                })
                .collect(),
            locations: self
                .locations
                .iter()
                .map(|l| LocationRecord {
                    id: l.id.clone(),
                    name: l.name.clone(),
                    kind: l.kind.clone(),
                    coords: l.coords,
                    aliases: l.aliases.clone(),
                    part_of: l.part_of.map(|p| self.location(p).id.clone()),
                })
                .collect(),
            claims: self
                .claims
                .iter()
                .map(|c| ClaimRecord {
                    id: c.id.clone(),
                    source: self.source(c.source).id.clone(),
                    location: self.location(c.location).id.clone(),
                    asserts: match c.asserts {
                        Assertion::Holds(a) => AssertsRecord::Holds(actor_id(a)),
                        Assertion::Captured(a) => AssertsRecord::Captured(actor_id(a)),
                        Assertion::Withdrew(a) => AssertsRecord::Withdrew(actor_id(a)),
                        Assertion::Contested => AssertsRecord::Contested,
                        Assertion::Denies(d) => AssertsRecord::Denies(self.claim(d).id.clone()),
                    },
                    when: match c.when {
                        When::At(p) => WhenRecord::At(p.to_string()),
                        When::Range { from, to } => {
                            WhenRecord::Range(RangeRecord { from: from.to_string(), to: to.to_string() })
                        }
                    },
                    certainty: c.certainty,
                    reported: c.reported.map(|r| r.to_string()),
                    cite: c.cite.clone(),
                    quote: c.quote.clone(),
                })
                .collect(),
        }
    }

    /// Writes the dataset as pretty JSON in the input format.
    ///
    /// # Errors
    ///
    /// Only what the writer returns.
    pub fn write_json<W: std::io::Write>(&self, writer: W) -> std::io::Result<()> {
        serde_json::to_writer_pretty(writer, &self.to_document()).map_err(std::io::Error::from)
    }

    /// The dataset as pretty JSON in the input format.
    pub fn to_json_string(&self) -> String {
        // Serialising a `Document` cannot fail: it has no maps with non-string
        // keys, and serde_json writes any float.
        serde_json::to_string_pretty(&self.to_document()).unwrap_or_default()
    }

    /// The dataset as it could be known by the end of `until`: only the
    /// claims reported by then (a claim counts as reported when its whole
    /// `reported` window, by default the last instant of its window, ends by
    /// the end of `until`), plus the claims those denials name (a denial
    /// shows the denied claim was known). Actors, sources and locations are
    /// kept whole.
    ///
    /// # Complexity
    ///
    /// O(n log n) for n claims.
    ///
    /// # Example
    ///
    /// ```
    /// # let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/data/latakia-2014.json")).unwrap();
    /// let dataset = frontline::Dataset::from_json_str(&text)?;
    /// let known = dataset.as_of("2014-03-27".parse()?);
    /// assert!(known.claims().len() < dataset.claims().len());
    /// assert!(known.claim_id("o45-0331-state-tv").is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn as_of(&self, until: TimePoint) -> Dataset {
        let cutoff = until.end();
        let mut keep: Vec<bool> = self.claims.iter().map(|c| c.reported_window().end() <= cutoff).collect();
        for (index, claim) in self.claims.iter().enumerate() {
            if let (true, Assertion::Denies(target)) = (keep[index], claim.asserts) {
                keep[target.as_usize()] = true;
            }
        }
        self.with_claims(&keep)
    }

    /// A copy with only the claims whose `keep` entry is true; denials must
    /// not lose their targets.
    fn with_claims(&self, keep: &[bool]) -> Dataset {
        let mut new_id = vec![None; self.claims.len()];
        let mut claims = Vec::new();
        for (index, claim) in self.claims.iter().enumerate() {
            if keep.get(index).copied().unwrap_or(false) {
                new_id[index] = ClaimId::new(claims.len());
                claims.push(claim.clone());
            }
        }
        for claim in &mut claims {
            if let Assertion::Denies(target) = claim.asserts {
                if let Some(id) = new_id[target.as_usize()] {
                    claim.asserts = Assertion::Denies(id);
                }
            }
        }
        let by_location = self
            .by_location
            .iter()
            .map(|list| list.iter().filter_map(|c| new_id[c.as_usize()]).collect())
            .collect::<Vec<Vec<ClaimId>>>();
        let mut position = vec![0u32; claims.len()];
        for list in &by_location {
            for (i, id) in list.iter().enumerate() {
                position[id.as_usize()] = i as u32;
            }
        }
        Dataset {
            actors: self.actors.clone(),
            sources: self.sources.clone(),
            locations: self.locations.clone(),
            claims,
            by_location,
            position,
            sides: self.sides.clone(),
        }
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
        &self.actors[id.as_usize()]
    }

    /// The source with this id.
    ///
    /// # Panics
    ///
    /// If the id does not come from this dataset.
    pub fn source(&self, id: SourceId) -> &Source {
        &self.sources[id.as_usize()]
    }

    /// The location with this id.
    ///
    /// # Panics
    ///
    /// If the id does not come from this dataset.
    pub fn location(&self, id: LocationId) -> &Location {
        &self.locations[id.as_usize()]
    }

    /// The claim with this id.
    ///
    /// # Panics
    ///
    /// If the id does not come from this dataset.
    pub fn claim(&self, id: ClaimId) -> &Claim {
        &self.claims[id.as_usize()]
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

fn find<T>(records: &[T], id: &str, key: impl Fn(&T) -> &String) -> Option<usize> {
    records.binary_search_by(|r| key(r).as_str().cmp(id)).ok()
}

/// The sorted order of one section's ids.
struct Order {
    /// `rank[input index]` = interned index.
    rank: Vec<u32>,
    /// `input_index[interned index]` = input index.
    input_index: Vec<usize>,
}

impl Order {
    /// Sorts a section's ids, rejecting missing and repeated ones.
    fn new<'a>(section: Section, ids: impl ExactSizeIterator<Item = &'a str>) -> Result<Order> {
        let mut sorted: Vec<(&str, usize)> = Vec::with_capacity(ids.len());
        for (index, id) in ids.enumerate() {
            if id.is_empty() {
                return Err(ErrorKind::MissingId { record: RecordRef::new(section, index, id) }.into());
            }
            if u32::try_from(index).is_err() {
                return Err(ErrorKind::TooMany { record: RecordRef::new(section, index, id) }.into());
            }
            sorted.push((id, index));
        }
        sorted.par_sort_unstable();
        for pair in sorted.windows(2) {
            if pair[0].0 == pair[1].0 {
                let (id, index) = pair[1];
                return Err(
                    ErrorKind::DuplicateId { record: RecordRef::new(section, index, id), first: pair[0].1 }.into()
                );
            }
        }
        let mut rank = vec![0u32; sorted.len()];
        for (position, &(_, index)) in sorted.iter().enumerate() {
            // Fits: `position < len`, and `len` was checked against u32 above.
            rank[index] = position as u32;
        }
        let input_index = sorted.into_iter().map(|(_, index)| index).collect();
        Ok(Order { rank, input_index })
    }

    fn len(&self) -> usize {
        self.rank.len()
    }

    /// The interned index of the record at `index` in the input.
    fn rank(&self, index: usize) -> usize {
        self.rank[index] as usize
    }

    /// The ids of `records` (given in input order) in interned order.
    fn sorted_ids<'a, T>(&self, records: &'a [T], id: impl Fn(&'a T) -> &'a str) -> Vec<&'a str> {
        self.input_index.iter().map(|&i| id(&records[i])).collect()
    }
}

/// Resolves string ids of one section to interned indices.
struct Lookup<'a> {
    section: Section,
    /// The section's ids in interned (sorted) order.
    ids: Vec<&'a str>,
}

impl<'a> Lookup<'a> {
    fn new(section: Section, ids: Vec<&'a str>) -> Lookup<'a> {
        Lookup { section, ids }
    }

    /// Resolves a reference from `record`'s `field`, or reports it dangling.
    fn resolve(&self, record: impl FnOnce() -> RecordRef, field: &'static str, id: &str) -> Result<u32> {
        match self.ids.binary_search(&id) {
            // Fits: sections are checked against u32 in `Order::new`.
            Ok(position) => Ok(position as u32),
            Err(_) => Err(ErrorKind::DanglingReference {
                record: record(),
                field,
                target_section: self.section,
                target: id.to_owned(),
            }
            .into()),
        }
    }
}

/// Places records (given in input order) at their interned positions.
fn in_rank_order<T>(order: &Order, records: Vec<T>) -> Vec<T> {
    let mut slots: Vec<Option<T>> = (0..records.len()).map(|_| None).collect();
    for (index, record) in records.into_iter().enumerate() {
        slots[order.rank(index)] = Some(record);
    }
    slots.into_iter().flatten().collect()
}

/// The root of every node of a forest given by parent links (interned
/// indices), or the index of a node on a cycle.
fn roots(parents: &[Option<u32>]) -> std::result::Result<Vec<u32>, usize> {
    const UNSEEN: u32 = u32::MAX;
    let mut root = vec![UNSEEN; parents.len()];
    let mut on_path = vec![false; parents.len()];
    let mut path = Vec::new();
    for start in 0..parents.len() {
        let mut node = start;
        while root[node] == UNSEEN {
            if on_path[node] {
                return Err(node);
            }
            on_path[node] = true;
            path.push(node);
            match parents[node] {
                Some(parent) => node = parent as usize,
                None => {
                    root[node] = node as u32;
                    break;
                }
            }
        }
        let found = root[node];
        for visited in path.drain(..) {
            root[visited] = found;
            on_path[visited] = false;
        }
    }
    Ok(root)
}

fn build_actors(records: Vec<ActorRecord>, order: &Order) -> Result<Vec<Actor>> {
    let mut parents = vec![None; order.len()];
    {
        let lookup = Lookup::new(Section::Actors, order.sorted_ids(&records, |a| a.id.as_str()));
        for (index, record) in records.iter().enumerate() {
            if let Some(parent) = &record.parent {
                let record_ref = || RecordRef::new(Section::Actors, index, &record.id);
                parents[order.rank(index)] = Some(lookup.resolve(record_ref, "parent", parent)?);
            }
        }
    }
    let sides = roots(&parents).map_err(|rank| {
        let index = order.input_index[rank];
        ErrorKind::Cycle { record: RecordRef::new(Section::Actors, index, &records[index].id), field: "parent" }
    })?;
    let actors = records
        .into_iter()
        .enumerate()
        .map(|(index, r)| {
            let rank = order.rank(index);
            Actor { id: r.id, name: r.name, parent: parents[rank].map(actor_id), side: actor_id(sides[rank]) }
        })
        .collect();
    Ok(in_rank_order(order, actors))
}

// Interned indices are below `u32::MAX` by construction (see `Order::new`),
// so these conversions cannot fail; `u32 -> usize` is lossless on the
// platforms Rust's std supports for this crate (32 and 64 bits).
fn actor_id(rank: u32) -> ActorId {
    ActorId::new(rank as usize).unwrap_or_else(|| unreachable!("interned indices fit in u32"))
}

fn source_id(rank: u32) -> SourceId {
    SourceId::new(rank as usize).unwrap_or_else(|| unreachable!("interned indices fit in u32"))
}

fn location_id(rank: u32) -> LocationId {
    LocationId::new(rank as usize).unwrap_or_else(|| unreachable!("interned indices fit in u32"))
}

fn claim_id(rank: u32) -> ClaimId {
    ClaimId::new(rank as usize).unwrap_or_else(|| unreachable!("interned indices fit in u32"))
}

fn build_sources(records: Vec<SourceRecord>, order: &Order, actors: &[Actor]) -> Result<Vec<Source>> {
    let actor_lookup = Lookup::new(Section::Actors, actors.iter().map(|a| a.id.as_str()).collect());
    let mut sources = Vec::with_capacity(records.len());
    for (index, r) in records.into_iter().enumerate() {
        let record = || RecordRef::new(Section::Sources, index, &r.id);
        let affiliation = match &r.affiliation {
            Some(a) => Some(actor_id(actor_lookup.resolve(record, "affiliation", a)?)),
            None => None,
        };
        if let Some(value) = r.prior {
            if !(0.0..=1.0).contains(&value) {
                return Err(ErrorKind::PriorOutOfRange { record: record(), value }.into());
            }
        }
        if let Some(value) = r.prior_strength {
            if !(value.is_finite() && value >= 0.0) {
                return Err(ErrorKind::PriorStrengthOutOfRange { record: record(), value }.into());
            }
            if r.prior.is_none() {
                return Err(ErrorKind::PriorStrengthWithoutPrior { record: record() }.into());
            }
        }
        sources.push(Source {
            affiliated_side: affiliation.map(|a| actors[a.as_usize()].side),
            affiliation,
            id: r.id,
            name: r.name,
            prior: r.prior,
            prior_strength: r.prior_strength,
        });
    }
    Ok(in_rank_order(order, sources))
}

fn build_locations(records: Vec<LocationRecord>, order: &Order) -> Result<Vec<Location>> {
    let mut parents = vec![None; order.len()];
    {
        let lookup = Lookup::new(Section::Locations, order.sorted_ids(&records, |l| l.id.as_str()));
        for (index, r) in records.iter().enumerate() {
            let record = || RecordRef::new(Section::Locations, index, &r.id);
            if let Some(part_of) = &r.part_of {
                parents[order.rank(index)] = Some(lookup.resolve(record, "part_of", part_of)?);
            }
            if let Some(coords @ [lat, lon]) = r.coords {
                if !((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)) {
                    return Err(ErrorKind::CoordsOutOfRange { record: record(), coords }.into());
                }
            }
        }
    }
    roots(&parents).map_err(|rank| {
        let index = order.input_index[rank];
        ErrorKind::Cycle { record: RecordRef::new(Section::Locations, index, &records[index].id), field: "part_of" }
    })?;
    let locations = records
        .into_iter()
        .enumerate()
        .map(|(index, r)| Location {
            id: r.id,
            name: r.name,
            kind: r.kind,
            coords: r.coords,
            aliases: r.aliases,
            part_of: parents[order.rank(index)].map(location_id),
        })
        .collect();
    Ok(in_rank_order(order, locations))
}

fn parse_time(record: &RecordRef, field: &'static str, text: &str) -> Result<TimePoint> {
    TimePoint::parse(text).map_err(|problem: TimeProblem| {
        ErrorKind::BadTime { record: record.clone(), field, value: text.to_owned(), problem: problem.describe() }.into()
    })
}

fn build_claims(
    records: Vec<ClaimRecord>,
    order: &Order,
    sources: &[Source],
    locations: &[Location],
    actors: &[Actor],
) -> Result<Vec<Claim>> {
    let source_lookup = Lookup::new(Section::Sources, sources.iter().map(|s| s.id.as_str()).collect());
    let location_lookup = Lookup::new(Section::Locations, locations.iter().map(|l| l.id.as_str()).collect());
    let actor_lookup = Lookup::new(Section::Actors, actors.iter().map(|a| a.id.as_str()).collect());
    // Denials point into the claims section itself: resolve them while the
    // records are still borrowed.
    let denied: Vec<Option<u32>> = {
        let lookup = Lookup::new(Section::Claims, order.sorted_ids(&records, |c| c.id.as_str()));
        let mut denied = Vec::with_capacity(records.len());
        for (index, r) in records.iter().enumerate() {
            denied.push(match &r.asserts {
                AssertsRecord::Denies(target) => {
                    let record = || RecordRef::new(Section::Claims, index, &r.id);
                    Some(lookup.resolve(record, "asserts.denies", target)?)
                }
                _ => None,
            });
        }
        denied
    };
    // Each claim is checked on its own, in parallel; the first error in
    // input order is the one reported, whatever the threads did.
    let lookups = ClaimLookups { source: &source_lookup, location: &location_lookup, actor: &actor_lookup };
    let built: Vec<Result<Claim>> = records
        .into_par_iter()
        .enumerate()
        .zip(denied)
        .map(|((index, r), denied)| build_claim(index, r, denied, &lookups))
        .collect();
    let mut claims = Vec::with_capacity(built.len());
    for claim in built {
        claims.push(claim?);
    }
    let claims = in_rank_order(order, claims);
    for (rank, claim) in claims.iter().enumerate() {
        if let Assertion::Denies(target) = claim.asserts {
            let denied = &claims[target.as_usize()];
            let problem = if target.as_usize() == rank {
                Some("a claim cannot deny itself")
            } else if matches!(denied.asserts, Assertion::Denies(_)) {
                Some("that claim is itself a denial; deny the claim it denies, or assert a state")
            } else if denied.location != claim.location {
                Some("that claim is about another location")
            } else {
                None
            };
            if let Some(problem) = problem {
                return Err(ErrorKind::InvalidDenial {
                    record: RecordRef::new(Section::Claims, order.input_index[rank], &claim.id),
                    target: denied.id.clone(),
                    problem,
                }
                .into());
            }
        }
    }
    Ok(claims)
}

/// The lookups a claim's references resolve through.
struct ClaimLookups<'a> {
    source: &'a Lookup<'a>,
    location: &'a Lookup<'a>,
    actor: &'a Lookup<'a>,
}

/// Checks one claim record and interns it (its denial target, if any,
/// already resolved).
fn build_claim(index: usize, r: ClaimRecord, denied: Option<u32>, lookups: &ClaimLookups<'_>) -> Result<Claim> {
    let record = RecordRef::new(Section::Claims, index, &r.id);
    let source = lookups.source.resolve(|| record.clone(), "source", &r.source)?;
    let location = lookups.location.resolve(|| record.clone(), "location", &r.location)?;
    let actor =
        |field, id: &str| -> Result<ActorId> { Ok(actor_id(lookups.actor.resolve(|| record.clone(), field, id)?)) };
    let asserts = match (&r.asserts, denied) {
        (AssertsRecord::Holds(a), _) => Assertion::Holds(actor("asserts.holds", a)?),
        (AssertsRecord::Captured(a), _) => Assertion::Captured(actor("asserts.captured", a)?),
        (AssertsRecord::Withdrew(a), _) => Assertion::Withdrew(actor("asserts.withdrew", a)?),
        (AssertsRecord::Contested, _) => Assertion::Contested,
        (AssertsRecord::Denies(_), Some(target)) => Assertion::Denies(claim_id(target)),
        (AssertsRecord::Denies(_), None) => unreachable!("denials are resolved before"),
    };
    let when = match &r.when {
        WhenRecord::At(text) => When::At(parse_time(&record, "when", text)?),
        WhenRecord::Range(range) => {
            let from = parse_time(&record, "when.from", &range.from)?;
            let to = parse_time(&record, "when.to", &range.to)?;
            if to.start() < from.start() {
                return Err(ErrorKind::InvertedWindow { record, from: range.from.clone(), to: range.to.clone() }.into());
            }
            When::Range { from, to }
        }
    };
    let reported = match &r.reported {
        Some(text) => Some(parse_time(&record, "reported", text)?),
        None => None,
    };
    Ok(Claim {
        source: source_id(source),
        location: location_id(location),
        asserts,
        window: when.window(),
        when,
        certainty: r.certainty,
        reported,
        cite: r.cite,
        quote: r.quote,
        id: r.id,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
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
