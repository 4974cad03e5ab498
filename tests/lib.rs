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
pub const LATAKIA: &str = include_str!("../data/latakia-2014.json");

/// The Latakia dataset, validated.
pub fn latakia() -> frontline::Dataset {
    match frontline::Dataset::from_json_str(LATAKIA) {
        Ok(dataset) => dataset,
        Err(error) => panic!("data/latakia-2014.json does not validate: {error}"),
    }
}
