//! The per-location control graph: which claims corroborate, contradict,
//! deny, precede and reverse one another.
//!
//! # When two claims contradict
//!
//! Claims are compared at the level of **sides** (an actor's root), over
//! their half-open windows, through [`Meaning`], the
//! one reading of an assertion that the reconciliation and the scores share
//! too. Each assertion means:
//!
//! * `holds S` over `W`: S held the location at every instant of `W`;
//! * `contested` over `W`: no side held it firmly at any instant of `W`;
//! * `captured S` within `W`: at some instant `t` in `W`, S took it, and held
//!   it right after `t`; (weakly, someone else held it before `t`: this part
//!   is never used to find contradictions, because a side can lose and retake
//!   a post within the same report window);
//! * `withdrew S` within `W`: at some instant `t` in `W`, S stopped holding it;
//!   who holds it after is not said;
//! * `denies C`: the claim C is false.
//!
//! Two claims about one location then relate as follows; windows that only
//! touch (`[a, b)` and `[b, c)`) never overlap, so they never contradict.
//!
//! | pair | contradiction when | kind |
//! |---|---|---|
//! | `holds S` / `holds T`, S ≠ T | windows overlap | `conflicting_control` |
//! | `holds S` / `contested` | windows overlap | `held_vs_contested` |
//! | `captured S` / `holds T`, T ≠ S | the capture window lies inside the hold window: there is no instant left for S to hold it | `conflicting_control` |
//! | `captured S` / `contested` | the capture window lies inside the contested window | `held_vs_contested` |
//! | `withdrew S` / `holds S` | the withdrawal window lies inside the hold window | `conflicting_control` |
//! | event / event (captured, withdrew) | both are the very same instant and their after-states exclude each other (`captured S`/`captured T`, `captured S`/`withdrew S`); otherwise both can be true in some order | `conflicting_control` |
//! | `denies C` / `C` | always | `denial` |
//!
//! Everything else is compatible: `captured S` and `holds S`, `withdrew S`
//! and `holds T`, `withdrew S` and `contested`, two captures by different
//! sides on the same day (the post changed hands twice), a capture that
//! starts before a hold window begins. A contradicting pair from one source
//! is a `self_contradiction` instead. Two claims from different sources
//! **corroborate** when their windows overlap and they assert the same state
//! (`holds S`/`holds S`, `contested`/`contested`, `captured S`/`captured S`,
//! `withdrew S`/`withdrew S`, or `captured S` and `holds S`).
//!
//! The **chain of claimed holders** is the sequence of `holds` and `captured`
//! claims in chronological order (see [`Dataset::claims_at`]); consecutive
//! claims in it are linked by a `precedes` edge when they name the same side
//! and a `reverses` edge when the side changes. The chain is what the sources
//! say, not what happened: the reconciled timeline is in [`crate::reconcile`].

use crate::describe;
use crate::model::{ActorId, Claim, ClaimId, ControlState, LocationId, Meaning, StateSet, Window};
use crate::Dataset;
use chrono::{DateTime, Utc};
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::unionfind::UnionFind;
use petgraph::visit::EdgeRef;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The type of an edge of a [`ControlGraph`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EdgeKind {
    /// Same state, overlapping windows, different sources (undirected in
    /// meaning; stored from the earlier claim to the later).
    Corroborates,
    /// Incompatible states over overlapping windows (undirected in meaning).
    Contradicts,
    /// From a denial to the claim it denies.
    Denies,
    /// Consecutive claims in the chain of claimed holders naming the same side.
    Precedes,
    /// Consecutive claims in the chain of claimed holders naming different sides.
    Reverses,
}

impl EdgeKind {
    /// The edge type's name in the output formats (`"corroborates"`, ...).
    pub fn name(self) -> &'static str {
        match self {
            EdgeKind::Corroborates => "corroborates",
            EdgeKind::Contradicts => "contradicts",
            EdgeKind::Denies => "denies",
            EdgeKind::Precedes => "precedes",
            EdgeKind::Reverses => "reverses",
        }
    }
}

impl fmt::Display for EdgeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The type of a [`Contradiction`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ContradictionKind {
    /// Different sides in control over the same instants.
    ConflictingControl,
    /// One claim has a side in control, the other says no side was.
    HeldVsContested,
    /// One claim denies the other.
    Denial,
    /// One source contradicts itself (any kind but an explicit denial).
    SelfContradiction,
}

impl ContradictionKind {
    /// The kind's name in the output formats (`"conflicting_control"`, ...).
    pub fn name(self) -> &'static str {
        match self {
            ContradictionKind::ConflictingControl => "conflicting_control",
            ContradictionKind::HeldVsContested => "held_vs_contested",
            ContradictionKind::Denial => "denial",
            ContradictionKind::SelfContradiction => "self_contradiction",
        }
    }
}

/// Two claims about one location that cannot both be true.
#[derive(Clone, Debug, PartialEq)]
pub struct Contradiction {
    kind: ContradictionKind,
    location: LocationId,
    claims: [ClaimId; 2],
    window: Window,
}

impl Contradiction {
    /// What kind of contradiction it is.
    pub fn kind(&self) -> ContradictionKind {
        self.kind
    }

    /// The location both claims are about.
    pub fn location(&self) -> LocationId {
        self.location
    }

    /// The two claims: for a denial, the denial first; otherwise in id order.
    pub fn claims(&self) -> [ClaimId; 2] {
        self.claims
    }

    /// Where the two conflict: the overlap of their windows, or for a denial
    /// the denied claim's window.
    pub fn window(&self) -> Window {
        self.window
    }

    /// One line in plain words, built on demand (a large dataset has
    /// hundreds of thousands of contradictions; their words are only needed
    /// for the ones shown).
    ///
    /// # Panics
    ///
    /// If `dataset` is not the one the graph was built from.
    pub fn explanation(&self, dataset: &Dataset) -> String {
        explain(dataset, self)
    }
}

/// A change of claimed holder in the chain of claims (not the reconciled
/// timeline): the claim `claims[1]` names another side than `claims[0]`,
/// the claim before it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimedReversal {
    /// The start of the later claim's window.
    pub at: DateTime<Utc>,
    /// The side the earlier claim names.
    pub from: ActorId,
    /// The side the later claim names.
    pub to: ActorId,
    /// The earlier and the later claim.
    pub claims: [ClaimId; 2],
}

/// The control graph of one location.
///
/// Nodes are the location's claims in chronological order (node `i` is
/// `dataset.claims_at(location)[i]`); edges are typed by [`EdgeKind`].
#[derive(Clone, Debug)]
pub struct ControlGraph {
    location: LocationId,
    graph: DiGraph<ClaimId, EdgeKind>,
    contradictions: Vec<Contradiction>,
    reversals: Vec<ClaimedReversal>,
    unexamined: u64,
}

/// How many pairs of overlapping claims one location's graph compares at
/// most, spread evenly over its claims (but see [`MIN_PAIRS_PER_CLAIM`]): the
/// bound that keeps the graph of a location with a million claims on the
/// same days in memory. Data in which every claim overlaps fewer than
/// `PAIR_BUDGET / n` others (all real data seen so far) is compared in full.
pub const PAIR_BUDGET: usize = 4_000_000;

/// Every claim is compared with at least this many overlapping later claims,
/// whatever the budget.
pub const MIN_PAIRS_PER_CLAIM: usize = 16;

impl ControlGraph {
    /// Builds the control graph of one location.
    ///
    /// # Arguments
    ///
    /// * `dataset`: the validated dataset.
    /// * `location`: a location of it.
    ///
    /// # Returns
    ///
    /// The graph, its contradictions (sorted by window start, then claim ids)
    /// and the claimed reversals in time order.
    ///
    /// # Complexity
    ///
    /// The claims are already sorted by window start ([`Dataset::claims_at`]),
    /// so one sweep compares each claim only with the claims whose windows
    /// start before it ends: O(n log n + p) for n claims and p overlapping
    /// pairs, plus O(c log c) to sort c contradictions. When windows are
    /// short against the span of the data, p is O(k) for k edges. p is
    /// bounded by max([`PAIR_BUDGET`], n · [`MIN_PAIRS_PER_CLAIM`]); pairs
    /// beyond it are counted in [`ControlGraph::unexamined_pairs`].
    ///
    /// # Panics
    ///
    /// If `location` does not come from `dataset`.
    ///
    /// # Example
    ///
    /// ```
    /// use frontline::{graph::ControlGraph, Dataset};
    /// let dataset = Dataset::from_json_str(r#"{
    ///   "actors": [{"id": "army"}, {"id": "rebels"}],
    ///   "sources": [{"id": "tv", "affiliation": "army"}, {"id": "monitor", "affiliation": "rebels"}],
    ///   "locations": [{"id": "hill"}],
    ///   "claims": [
    ///     {"id": "a", "source": "tv", "location": "hill", "asserts": {"holds": "army"}, "when": "2014-03-24"},
    ///     {"id": "b", "source": "monitor", "location": "hill", "asserts": {"holds": "rebels"}, "when": "2014-03-24"}
    ///   ]}"#)?;
    /// let graph = ControlGraph::build(&dataset, dataset.location_id("hill").unwrap());
    /// assert_eq!(graph.contradictions().len(), 1);
    /// assert_eq!(graph.claimed_reversals().len(), 1);
    /// # Ok::<(), frontline::Error>(())
    /// ```
    pub fn build(dataset: &Dataset, location: LocationId) -> ControlGraph {
        let claims = dataset.claims_at(location);
        let mut graph = DiGraph::with_capacity(claims.len(), claims.len() * 2);
        let nodes: Vec<NodeIndex> = claims.iter().map(|&c| graph.add_node(c)).collect();
        let meanings: Vec<Meaning> = claims.iter().map(|&c| dataset.meaning(dataset.claim(c))).collect();
        let mut contradictions = Vec::new();

        // Claims are sorted by window start, so the claims overlapping claim
        // i among the later ones are exactly those starting before i ends.
        // Each claim is compared with at most `per_claim` of them, the
        // nearest in time; the rest are counted, not compared.
        let starts: Vec<DateTime<Utc>> = claims.iter().map(|&c| dataset.claim(c).window().start()).collect();
        let per_claim = (PAIR_BUDGET / claims.len().max(1)).max(MIN_PAIRS_PER_CLAIM);
        let mut unexamined = 0u64;
        for i in 0..claims.len() {
            let a = dataset.claim(claims[i]);
            let a_end = a.window().end();
            let overlapping_end = starts.partition_point(|&t| t < a_end).max(i + 1);
            let end = overlapping_end.min(i + 1 + per_claim);
            unexamined += (overlapping_end - end) as u64;
            for j in i + 1..end {
                let b = dataset.claim(claims[j]);
                let Some(link) = relate(meanings[i], a, meanings[j], b) else { continue };
                match link {
                    Link::Corroborates => {
                        graph.add_edge(nodes[i], nodes[j], EdgeKind::Corroborates);
                    }
                    Link::Contradicts(kind) => {
                        graph.add_edge(nodes[i], nodes[j], EdgeKind::Contradicts);
                        contradictions.push(contradiction(dataset, kind, claims[i], claims[j]));
                    }
                }
            }
        }

        for (i, (&c, meaning)) in claims.iter().zip(&meanings).enumerate() {
            if let Meaning::Denial(target) = *meaning {
                // Validation guarantees the target is about this location.
                if let Some(&j) = nodes.get(dataset.position_at_location(target)) {
                    graph.add_edge(nodes[i], j, EdgeKind::Denies);
                }
                contradictions.push(contradiction(dataset, ContradictionKind::Denial, c, target));
            }
        }

        let mut reversals = Vec::new();
        let mut previous: Option<(usize, ActorId)> = None;
        for (i, meaning) in meanings.iter().enumerate() {
            let Some(side) = meaning.holder() else { continue };
            if let Some((p, before)) = previous {
                if before == side {
                    graph.add_edge(nodes[p], nodes[i], EdgeKind::Precedes);
                } else {
                    graph.add_edge(nodes[p], nodes[i], EdgeKind::Reverses);
                    reversals.push(ClaimedReversal {
                        at: dataset.claim(claims[i]).window().start(),
                        from: before,
                        to: side,
                        claims: [claims[p], claims[i]],
                    });
                }
            }
            previous = Some((i, side));
        }

        contradictions.sort_by_key(|x| (x.window.start(), x.claims, x.kind));
        ControlGraph { location, graph, contradictions, reversals, unexamined }
    }

    /// The location this graph is about.
    pub fn location(&self) -> LocationId {
        self.location
    }

    /// The petgraph graph: node weights are claim ids, edge weights their type.
    pub fn graph(&self) -> &DiGraph<ClaimId, EdgeKind> {
        &self.graph
    }

    /// The contradictions among the location's claims, sorted by window start.
    pub fn contradictions(&self) -> &[Contradiction] {
        &self.contradictions
    }

    /// How many pairs of overlapping claims were not compared because the
    /// location has more than [`PAIR_BUDGET`] of them (0 for all but
    /// pathological data). Their contradictions, if any, are missing.
    pub fn unexamined_pairs(&self) -> u64 {
        self.unexamined
    }

    /// The changes of claimed holder along the chain of claims, in time order.
    pub fn claimed_reversals(&self) -> &[ClaimedReversal] {
        &self.reversals
    }

    /// The claims linked by `kind` edges, as `(from, to)` pairs in insertion order.
    pub fn edges(&self, kind: EdgeKind) -> impl Iterator<Item = (ClaimId, ClaimId)> + '_ {
        self.graph
            .edge_references()
            .filter(move |e| *e.weight() == kind)
            .map(|e| (self.graph[e.source()], self.graph[e.target()]))
    }

    /// Dispute clusters: connected groups of two or more claims linked by
    /// contradiction or denial, each in chronological order, ordered by
    /// their first claim.
    ///
    /// # Complexity
    ///
    /// O(n + k α(n)) with petgraph's union-find, for n claims and k edges.
    pub fn dispute_clusters(&self) -> Vec<Vec<ClaimId>> {
        let n = self.graph.node_count();
        let mut sets = UnionFind::<usize>::new(n);
        for edge in self.graph.edge_references() {
            if matches!(edge.weight(), EdgeKind::Contradicts | EdgeKind::Denies) {
                sets.union(edge.source().index(), edge.target().index());
            }
        }
        // Nodes are numbered in chronological order, so pushing them in node
        // order keeps each cluster chronological and records its first node.
        let mut by_root: Vec<(usize, Vec<ClaimId>)> = vec![(usize::MAX, Vec::new()); n];
        for (node, root) in sets.into_labeling().into_iter().enumerate() {
            let entry = &mut by_root[root];
            entry.0 = entry.0.min(node);
            entry.1.push(self.graph[NodeIndex::new(node)]);
        }
        let mut clusters: Vec<(usize, Vec<ClaimId>)> =
            by_root.into_iter().filter(|(_, list)| list.len() >= 2).collect();
        clusters.sort_by_key(|(first, _)| *first);
        clusters.into_iter().map(|(_, list)| list).collect()
    }
}

/// Builds the control graph of every location, in location id order
/// (locations in parallel).
///
/// # Complexity
///
/// The sum of [`ControlGraph::build`] over the locations, spread over the
/// available cores.
pub fn build_all(dataset: &Dataset) -> Vec<ControlGraph> {
    use rayon::prelude::*;
    let locations: Vec<LocationId> = dataset.location_ids().collect();
    locations.par_iter().map(|&l| ControlGraph::build(dataset, l)).collect()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Link {
    Corroborates,
    Contradicts(ContradictionKind),
}

/// How two claims with overlapping windows relate (see the module docs).
/// Symmetric: `relate(a, b) == relate(b, a)`.
fn relate(ma: Meaning, a: &Claim, mb: Meaning, b: &Claim) -> Option<Link> {
    // Each window once: a claim's window is computed from its times.
    let (wa, wb) = (a.window(), b.window());
    wa.overlap(&wb)?;
    let link = match (ma, mb) {
        (Meaning::Denial(_), _) | (_, Meaning::Denial(_)) => None,
        (Meaning::Throughout(x), Meaning::Throughout(y)) => Some(state_vs_state(x, y)),
        (Meaning::Throughout(x), event) => state_vs_event(x, wa, event, wb),
        (event, Meaning::Throughout(x)) => state_vs_event(x, wb, event, wa),
        (e, f) => event_vs_event(e, wa, f, wb),
    }?;
    Some(match link {
        Link::Corroborates if a.source() == b.source() => return None,
        Link::Contradicts(_) if a.source() == b.source() => Link::Contradicts(ContradictionKind::SelfContradiction),
        other => other,
    })
}

/// The kind of a contradiction between two states: a side in control
/// against no side in control, or anything else.
fn kind_of(x: ControlState, y: ControlState) -> ContradictionKind {
    if (x == ControlState::Contested) != (y == ControlState::Contested) {
        ContradictionKind::HeldVsContested
    } else {
        ContradictionKind::ConflictingControl
    }
}

fn state_vs_state(x: ControlState, y: ControlState) -> Link {
    if x == y {
        Link::Corroborates
    } else {
        Link::Contradicts(kind_of(x, y))
    }
}

/// A state over one window against an event within another: they
/// corroborate when the event puts the location in that very state; they
/// contradict when the event's after-state excludes the state and the event
/// window lies inside the state window (no instant is left for the event).
fn state_vs_event(state: ControlState, state_window: Window, event: Meaning, event_window: Window) -> Option<Link> {
    let after = event.after()?;
    if after == StateSet::Is(state) {
        return Some(Link::Corroborates);
    }
    let excluded = after.is_disjoint(StateSet::Is(state)) && state_window.contains(&event_window);
    excluded.then(|| Link::Contradicts(kind_of(state, after.state())))
}

/// Two events contradict only at the very same instant, with after-states
/// that exclude each other; otherwise both can be true in some order.
fn event_vs_event(e: Meaning, ew: Window, f: Meaning, fw: Window) -> Option<Link> {
    if e == f {
        return Some(Link::Corroborates);
    }
    let same_instant = ew.is_instant() && ew == fw;
    let exclusive = e.after()?.is_disjoint(f.after()?);
    (same_instant && exclusive).then_some(Link::Contradicts(ContradictionKind::ConflictingControl))
}

fn contradiction(dataset: &Dataset, kind: ContradictionKind, x: ClaimId, y: ClaimId) -> Contradiction {
    let (cx, cy) = (dataset.claim(x), dataset.claim(y));
    let location = cx.location();
    if kind == ContradictionKind::Denial {
        return Contradiction { kind, location, claims: [x, y], window: cy.window() };
    }
    let (x, y) = if x <= y { (x, y) } else { (y, x) };
    let window = cx.window().overlap(&cy.window()).unwrap_or(cx.window());
    Contradiction { kind, location, claims: [x, y], window }
}

/// One line in plain words about a contradiction (see [`Contradiction::explanation`]).
fn explain(dataset: &Dataset, c: &Contradiction) -> String {
    let [x, y] = c.claims;
    let (cx, cy) = (dataset.claim(x), dataset.claim(y));
    let source = |c: &Claim| dataset.source(c.source()).name();
    let says =
        |c: &Claim| format!("{} says {} ({})", source(c), describe::assertion(dataset, c), describe::when(c.when()));
    match c.kind {
        ContradictionKind::Denial => {
            format!("{}: {} {}", describe::when(cx.when()), source(cx), describe::assertion(dataset, cx))
        }
        ContradictionKind::ConflictingControl => {
            format!("{}; {}: they cannot both be true over {}", says(cx), says(cy), describe::window(c.window))
        }
        ContradictionKind::HeldVsContested => format!(
            "{}; {}: a side in firm control and no side in control over {}",
            says(cx),
            says(cy),
            describe::window(c.window)
        ),
        ContradictionKind::SelfContradiction => format!(
            "{} says {} ({}) and also {} ({})",
            source(cx),
            describe::assertion(dataset, cx),
            describe::when(cx.when()),
            describe::assertion(dataset, cy),
            describe::when(cy.when())
        ),
    }
}
