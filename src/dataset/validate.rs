//! Validation and interning: from the input format's records to a
//! [`Dataset`], every reference resolved, the first problem reported with
//! its record.

use super::Dataset;
use crate::error::{DenialProblem, ErrorKind, RecordRef, Result, Section};
use crate::input::{ActorRecord, AssertsFields, AssertsRecord, ClaimFields, ClaimRecord, Document, LocationRecord};
use crate::input::{SourceRecord, WhenFields};
use crate::model::time::TimeProblem;
use crate::model::{
    Actor, ActorId, Assertion, Claim, ClaimId, Location, LocationId, Source, SourceId, TimePoint, When,
};
use rayon::prelude::*;

impl Dataset {
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
        Ok(Dataset::assemble(actors, sources, locations, claims))
    }

    /// The dataset of validated records, each section in id order: the
    /// claims grouped per location and sorted by window.
    pub(super) fn assemble(
        actors: Vec<Actor>,
        sources: Vec<Source>,
        locations: Vec<Location>,
        claims: Vec<Claim>,
    ) -> Dataset {
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
                (claim.window().start(), claim.window().end(), claim.reported_window().start(), id)
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
        Dataset { actors, sources, locations, claims, by_location, position, sides }
    }
}

/// The sorted order of one section's ids.
pub(super) struct Order {
    /// `rank[input index]` = interned index.
    rank: Vec<u32>,
    /// `input_index[interned index]` = input index.
    pub(super) input_index: Vec<usize>,
}

impl Order {
    /// Sorts a section's ids, rejecting missing and repeated ones.
    pub(super) fn new<'a>(section: Section, ids: impl ExactSizeIterator<Item = &'a str>) -> Result<Order> {
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
    pub(super) fn rank(&self, index: usize) -> usize {
        self.rank[index] as usize
    }

    /// Moves `records` (given in input order, as many as the ids) to their
    /// interned positions, in place (following the permutation's cycles).
    pub(super) fn permute<T>(&self, records: &mut [T]) {
        let mut rank = self.rank.clone();
        for i in 0..rank.len().min(records.len()) {
            while rank[i] as usize != i {
                let j = rank[i] as usize;
                records.swap(i, j);
                rank.swap(i, j);
            }
        }
    }

    /// The ids of `records` (given in input order) in interned order.
    pub(super) fn sorted_ids<'a, T>(&self, records: &'a [T], id: impl Fn(&'a T) -> &'a str) -> Vec<&'a str> {
        self.input_index.iter().map(|&i| id(&records[i])).collect()
    }
}

/// Resolves string ids of one section to interned indices.
pub(super) struct Lookup<'a> {
    section: Section,
    /// The section's ids in interned (sorted) order.
    ids: Vec<&'a str>,
    /// The same, hashed, for the sections every claim refers to (a hash
    /// lookup costs a third of a binary search among thousands of ids).
    hashed: Option<std::collections::HashMap<&'a str, u32>>,
}

impl<'a> Lookup<'a> {
    pub(super) fn new(section: Section, ids: Vec<&'a str>) -> Lookup<'a> {
        Lookup { section, ids, hashed: None }
    }

    /// As [`Lookup::new`], with a hash map beside the sorted ids.
    pub(super) fn hashed(section: Section, ids: Vec<&'a str>) -> Lookup<'a> {
        // Fits: sections are checked against u32 in `Order::new`.
        let hashed = ids.iter().enumerate().map(|(position, &id)| (id, position as u32)).collect();
        Lookup { section, ids, hashed: Some(hashed) }
    }

    /// Resolves a reference from `record`'s `field`, or reports it dangling.
    pub(super) fn resolve(&self, record: impl FnOnce() -> RecordRef, field: &'static str, id: &str) -> Result<u32> {
        let found = match &self.hashed {
            Some(hashed) => hashed.get(id).copied(),
            // Fits: sections are checked against u32 in `Order::new`.
            None => self.ids.binary_search(&id).ok().map(|position| position as u32),
        };
        found.ok_or_else(|| {
            ErrorKind::DanglingReference {
                record: record(),
                field,
                target_section: self.section,
                target: id.to_owned(),
            }
            .into()
        })
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
pub(super) fn roots(parents: &[Option<u32>]) -> std::result::Result<Vec<u32>, usize> {
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

pub(super) fn build_actors(records: Vec<ActorRecord>, order: &Order) -> Result<Vec<Actor>> {
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
            Actor {
                id: r.id,
                name: r.name,
                parent: parents[rank].map(ActorId::from_index),
                side: ActorId::from_index(sides[rank]),
            }
        })
        .collect();
    Ok(in_rank_order(order, actors))
}

pub(super) fn build_sources(records: Vec<SourceRecord>, order: &Order, actors: &[Actor]) -> Result<Vec<Source>> {
    let actor_lookup = Lookup::new(Section::Actors, actors.iter().map(|a| a.id.as_str()).collect());
    let mut sources = Vec::with_capacity(records.len());
    for (index, r) in records.into_iter().enumerate() {
        let record = || RecordRef::new(Section::Sources, index, &r.id);
        let affiliation = match &r.affiliation {
            Some(a) => Some(ActorId::from_index(actor_lookup.resolve(record, "affiliation", a)?)),
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

pub(super) fn build_locations(records: Vec<LocationRecord>, order: &Order) -> Result<Vec<Location>> {
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
            part_of: parents[order.rank(index)].map(LocationId::from_index),
        })
        .collect();
    Ok(in_rank_order(order, locations))
}

fn parse_time(record: impl FnOnce() -> RecordRef, field: &'static str, text: &str) -> Result<TimePoint> {
    TimePoint::parse(text).map_err(|problem: TimeProblem| {
        ErrorKind::BadTime { record: record(), field, value: text.to_owned(), problem }.into()
    })
}

/// A time of `when`: its first and last day or instant (a month or a year
/// is coarser than a day).
fn parse_period(record: impl FnOnce() -> RecordRef, field: &'static str, text: &str) -> Result<(TimePoint, TimePoint)> {
    crate::model::time::parse_period(text).map_err(|problem: TimeProblem| {
        ErrorKind::BadTime { record: record(), field, value: text.to_owned(), problem }.into()
    })
}

fn build_claims(
    records: Vec<ClaimRecord>,
    order: &Order,
    sources: &[Source],
    locations: &[Location],
    actors: &[Actor],
) -> Result<Vec<Claim>> {
    let source_lookup = Lookup::hashed(Section::Sources, sources.iter().map(|s| s.id.as_str()).collect());
    let location_lookup = Lookup::hashed(Section::Locations, locations.iter().map(|l| l.id.as_str()).collect());
    let actor_lookup = Lookup::hashed(Section::Actors, actors.iter().map(|a| a.id.as_str()).collect());
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
        .map(|((index, r), denied)| build_claim(index, r.into(), denied, &lookups))
        .collect();
    let mut claims = Vec::with_capacity(built.len());
    for claim in built {
        claims.push(claim?);
    }
    let claims = in_rank_order(order, claims);
    for (rank, claim) in claims.iter().enumerate() {
        if let Assertion::Denies(target) = claim.asserts {
            let denied = &claims[target.as_usize()];
            if let Some(problem) = denial_problem(claim, rank, denied, target.as_usize()) {
                return Err(ErrorKind::InvalidDenial {
                    record: RecordRef::new(Section::Claims, order.input_index[rank], &claim.id),
                    target: denied.id.to_string(),
                    problem,
                }
                .into());
            }
        }
    }
    Ok(claims)
}

/// What is wrong with a denial (the claim at `rank`, denying the claim at
/// `target`), if anything.
pub(super) fn denial_problem(claim: &Claim, rank: usize, denied: &Claim, target: usize) -> Option<DenialProblem> {
    if target == rank {
        Some(DenialProblem::OfItself)
    } else if matches!(denied.asserts, Assertion::Denies(_)) {
        Some(DenialProblem::OfADenial)
    } else if denied.location != claim.location {
        Some(DenialProblem::OtherLocation)
    } else {
        None
    }
}

/// The lookups a claim's references resolve through.
pub(super) struct ClaimLookups<'a> {
    pub(super) source: &'a Lookup<'a>,
    pub(super) location: &'a Lookup<'a>,
    pub(super) actor: &'a Lookup<'a>,
}

/// Checks one claim record and interns it (its denial target, if any,
/// already resolved).
pub(super) fn build_claim(
    index: usize,
    r: ClaimFields<'_>,
    denied: Option<u32>,
    lookups: &ClaimLookups<'_>,
) -> Result<Claim> {
    // Built only on the error path: it copies the id.
    let record = || RecordRef::new(Section::Claims, index, &r.id);
    let source = lookups.source.resolve(record, "source", &r.source)?;
    let location = lookups.location.resolve(record, "location", &r.location)?;
    let actor =
        |field, id: &str| -> Result<ActorId> { Ok(ActorId::from_index(lookups.actor.resolve(record, field, id)?)) };
    let asserts = match (&r.asserts, denied) {
        (AssertsFields::Holds(a), _) => Assertion::Holds(actor("asserts.holds", a)?),
        (AssertsFields::Captured(a), _) => Assertion::Captured(actor("asserts.captured", a)?),
        (AssertsFields::Withdrew(a), _) => Assertion::Withdrew(actor("asserts.withdrew", a)?),
        (AssertsFields::Contested, _) => Assertion::Contested,
        (AssertsFields::Denies(_), Some(target)) => Assertion::Denies(ClaimId::from_index(target)),
        // Resolved before (in `build_claims`); an unresolved one is dangling.
        (AssertsFields::Denies(target), None) => {
            return Err(ErrorKind::DanglingReference {
                record: record(),
                field: "asserts.denies",
                target_section: Section::Claims,
                target: target.to_string(),
            }
            .into())
        }
    };
    let when = match &r.when {
        WhenFields::At(text) => match parse_period(record, "when", text)? {
            (from, to) if from == to => When::At(from),
            // A month or a year.
            (from, to) => When::Range { from, to },
        },
        WhenFields::Range(range) => {
            let from = parse_period(record, "when.from", &range.from)?.0;
            let to = parse_period(record, "when.to", &range.to)?.1;
            if to.start() < from.start() {
                return Err(ErrorKind::InvertedWindow {
                    record: record(),
                    from: range.from.to_string(),
                    to: range.to.to_string(),
                }
                .into());
            }
            When::Range { from, to }
        }
    };
    let reported = match &r.reported {
        Some(text) => Some(parse_time(record, "reported", text)?),
        None => None,
    };
    Ok(Claim {
        source: SourceId::from_index(source),
        location: LocationId::from_index(location),
        asserts,
        when,
        certainty: r.certainty,
        reported,
        text: Claim::text_of(r.cite, r.quote),
        id: r.id.into_owned().into_boxed_str(),
    })
}
