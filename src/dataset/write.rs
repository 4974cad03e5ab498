//! Writing a dataset back in the input format.

use super::Dataset;
use crate::input::{
    ActorRecord, AssertsRecord, ClaimRecord, Document, LocationRecord, RangeRecord, SourceRecord, WhenRecord,
};
use crate::model::{ActorId, Assertion, When};

impl Dataset {
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
                    id: c.id.to_string(),
                    source: self.source(c.source).id.clone(),
                    location: self.location(c.location).id.clone(),
                    asserts: match c.asserts {
                        Assertion::Holds(a) => AssertsRecord::Holds(actor_id(a)),
                        Assertion::Captured(a) => AssertsRecord::Captured(actor_id(a)),
                        Assertion::Withdrew(a) => AssertsRecord::Withdrew(actor_id(a)),
                        Assertion::Contested => AssertsRecord::Contested,
                        Assertion::Denies(d) => AssertsRecord::Denies(self.claim(d).id.to_string()),
                    },
                    when: match c.when {
                        When::At(p) => WhenRecord::At(p.to_string()),
                        When::Range { from, to } => {
                            WhenRecord::Range(RangeRecord { from: from.to_string(), to: to.to_string() })
                        }
                    },
                    certainty: c.certainty,
                    reported: c.reported.map(|r| r.to_string()),
                    cite: c.cite().map(str::to_owned),
                    quote: c.quote().map(str::to_owned),
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
}
