//! The integration tests, in one binary (as jiff and csv do).

mod bad_input;
mod battles;
mod cli;
mod contradiction_rules;
mod encoding_variations;
mod format_reference;
mod hostile;
mod invariants;
mod latakia;
mod priors;
mod schemas;
mod visual;

/// The embedded Latakia 2014 dataset.
pub const LATAKIA: &str = frontline::data::LATAKIA_2014_JSON;

/// The Latakia dataset, validated.
pub fn latakia() -> frontline::Dataset {
    frontline::data::latakia_2014()
}
