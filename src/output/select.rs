//! Which locations the SVG timeline and the HTML report show, in which
//! order: the [`Options`] filter, ordered by volatility, one page.

use super::{invalid, Options};
use crate::analysis::Analysis;
use crate::model::LocationId;
use std::cmp::Reverse;

/// One page of locations, in the order they are drawn.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Page {
    /// The locations on this page, most volatile first.
    pub(crate) locations: Vec<LocationId>,
    /// How many locations the filter kept (on all pages).
    pub(crate) selected: usize,
    /// How many locations the dataset has.
    pub(crate) total: usize,
    /// The position of this page's first location among the selected, from 1.
    pub(crate) first: usize,
    /// This page's number, from 1, and how many pages there are.
    pub(crate) page: usize,
    /// How many pages there are.
    pub(crate) pages: usize,
}

/// The page of locations `options` asks for. The order does not depend on
/// the order of the input: volatility (reversals, contradictions, claims,
/// all descending), then id.
pub(crate) fn page(analysis: &Analysis<'_>, options: &Options) -> std::io::Result<Page> {
    let dataset = analysis.dataset();
    let mut chosen: Vec<LocationId> = if options.locations.is_empty() {
        dataset.location_ids().collect()
    } else {
        let mut ids = Vec::with_capacity(options.locations.len());
        for name in &options.locations {
            let id = dataset.location_id(name).ok_or_else(|| {
                invalid(format!("the location filter names {name:?}, which is not a location of the dataset"))
            })?;
            ids.push(id);
        }
        ids.sort_unstable();
        ids.dedup();
        ids
    };
    let rec = analysis.reconciliation();
    chosen.sort_by_key(|&l| {
        (
            Reverse(rec.timeline(l).reversals.len()),
            Reverse(analysis.graph(l).contradictions().len()),
            Reverse(dataset.claims_at(l).len()),
            l,
        )
    });
    let per_page = options.per_page.max(1);
    let pages = chosen.len().div_ceil(per_page).max(1);
    if options.page == 0 || options.page > pages {
        return Err(invalid(format!("page {} asked, but there are pages 1 to {pages}", options.page)));
    }
    let skip = (options.page - 1) * per_page;
    let selected = chosen.len();
    let locations: Vec<LocationId> = chosen.into_iter().skip(skip).take(per_page).collect();
    Ok(Page { locations, selected, total: dataset.locations().len(), first: skip + 1, page: options.page, pages })
}
