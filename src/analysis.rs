//! The whole pipeline in one value: a dataset (replayed as of a time, if
//! asked), its control graphs, its reconciliation, and the claims left out.

use crate::graph::{self, ControlGraph};
use crate::model::{format_instant, LocationId, TimePoint};
use crate::reconcile::{self, Config, Reconciliation};
use crate::report::{Report, Unplaced};
use crate::Dataset;
use std::borrow::Cow;

/// Everything computed from a dataset: build it with [`Analysis::new`], then
/// read the graphs and the reconciliation, or render the [`Report`].
///
/// # Example
///
/// ```
/// # let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/data/latakia-2014.json")).unwrap();
/// use frontline::{Analysis, Config, Dataset};
/// let dataset = Dataset::from_json_str(&text)?;
/// let analysis = Analysis::new(&dataset, &Config::default(), Some("2014-03-27".parse()?));
/// // Claims reported after 27 March are listed as unplaced, not dropped.
/// let report = analysis.report();
/// assert_eq!(report.accounting.claims, dataset.claims().len());
/// assert!(!report.accounting.unplaced.is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Analysis<'a> {
    dataset: Cow<'a, Dataset>,
    as_of: Option<TimePoint>,
    total_claims: usize,
    excluded: Vec<Unplaced>,
    graphs: Vec<ControlGraph>,
    reconciliation: Reconciliation,
}

impl<'a> Analysis<'a> {
    /// Runs the pipeline: replays `dataset` as of `as_of` (all claims if
    /// `None`), reconciles, then builds every control graph.
    ///
    /// # Complexity
    ///
    /// That of [`graph::build_all`] plus [`reconcile::reconcile`].
    pub fn new(dataset: &'a Dataset, config: &Config, as_of: Option<TimePoint>) -> Analysis<'a> {
        let (replayed, excluded) = match as_of {
            None => (Cow::Borrowed(dataset), Vec::new()),
            Some(until) => {
                let known = dataset.as_of(until);
                let excluded = dataset
                    .claims()
                    .iter()
                    .filter(|c| known.claim_id(c.id()).is_none())
                    .map(|c| Unplaced {
                        claim: c.id().to_owned(),
                        reason: format!(
                            "reported after the as-of time {} (reported by {})",
                            until,
                            format_instant(c.reported_window().end())
                        ),
                    })
                    .collect();
                (Cow::Owned(known), excluded)
            }
        };
        // Reconciled first: its working set (every location's model and
        // posteriors) is freed before the graphs are built, so the two are
        // never in memory together.
        let reconciliation = reconcile::reconcile(&replayed, config);
        let graphs = graph::build_all(&replayed);
        Analysis { total_claims: dataset.claims().len(), dataset: replayed, as_of, excluded, graphs, reconciliation }
    }

    /// The dataset the analysis ran on (the replayed one, with `as_of`).
    pub fn dataset(&self) -> &Dataset {
        &self.dataset
    }

    /// The as-of time, if the analysis is a replay.
    pub fn as_of(&self) -> Option<TimePoint> {
        self.as_of
    }

    /// The control graph of every location, in location id order.
    pub fn graphs(&self) -> &[ControlGraph] {
        &self.graphs
    }

    /// The control graph of one location.
    ///
    /// # Panics
    ///
    /// If the id does not come from the dataset.
    pub fn graph(&self, location: LocationId) -> &ControlGraph {
        &self.graphs[location.as_usize()]
    }

    /// The reconciliation.
    pub fn reconciliation(&self) -> &Reconciliation {
        &self.reconciliation
    }

    /// How many claims the input dataset had (before any replay).
    pub fn total_claims(&self) -> usize {
        self.total_claims
    }

    /// The input claims left out, with the reason: those reported after the
    /// as-of time, and any claim that gave no evidence.
    pub fn unplaced(&self) -> Vec<Unplaced> {
        let mut unplaced = self.excluded.clone();
        for (index, claim) in self.dataset.claims().iter().enumerate() {
            let placed = crate::model::ClaimId::new(index).and_then(|id| self.reconciliation.agreement(id)).is_some();
            if !placed {
                unplaced.push(Unplaced {
                    claim: claim.id().to_owned(),
                    reason: "gave no evidence on any segment".to_owned(),
                });
            }
        }
        unplaced.sort_by(|a, b| a.claim.cmp(&b.claim));
        unplaced
    }

    /// The report: the JSON output format ([`crate::format_reference`],
    /// section 3.1).
    pub fn report(&self) -> Report<'_> {
        Report::new(self)
    }
}
