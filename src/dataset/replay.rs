//! The as-of replay: the dataset as it could be known at a time.

use super::Dataset;
use crate::model::{Assertion, ClaimId, TimePoint};

impl Dataset {
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
}
