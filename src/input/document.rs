//! The JSON input format ([`crate::format_reference`], section 1) as Rust
//! types.
//!
//! A [`Document`] is exactly what the JSON file says, strings and all, before
//! validation. Build one by hand to feed the engine from Rust, or get one from
//! [`Dataset::to_document`](crate::Dataset::to_document) to write a dataset
//! back. [`Dataset::from_document`](crate::Dataset::from_document) validates it.
//!
//! Every record rejects unknown fields (a typo must not silently drop data).
//! A missing `id` reads as the empty string, which validation then reports
//! with the record's index.

use crate::model::Certainty;
use serde::{Deserialize, Serialize};

/// A whole input file: four sections, each optional (empty when left out).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Document {
    /// Forces that can hold ground.
    #[serde(default)]
    pub actors: Vec<ActorRecord>,
    /// Who makes claims.
    #[serde(default)]
    pub sources: Vec<SourceRecord>,
    /// Positions whose control is claimed.
    #[serde(default)]
    pub locations: Vec<LocationRecord>,
    /// The statements themselves.
    #[serde(default)]
    pub claims: Vec<ClaimRecord>,
}

/// An actor as the input gives it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", schemars(transform = crate::schema::id_required))]
pub struct ActorRecord {
    /// Unique among actors.
    #[serde(default)]
    pub id: String,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The id of the parent actor; none for a side.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
}

/// A source as the input gives it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", schemars(transform = crate::schema::id_required))]
#[cfg_attr(feature = "schema", schemars(transform = crate::schema::strength_needs_prior))]
pub struct SourceRecord {
    /// Unique among sources.
    #[serde(default)]
    pub id: String,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The id of the actor the source leans to; null for an independent source.
    #[serde(default)]
    pub affiliation: Option<String>,
    /// A reliability prior in `0..=1`: the prior mean of the source's
    /// accuracy when reconciling. Reconciliation clamps it to
    /// [`Config::accuracy_bounds`](crate::Config::accuracy_bounds) (0.6 to
    /// 0.99 by default): a source right less often than chance among the
    /// states would be anti-informative, and the floor is deliberate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(range(min = 0, max = 1)))]
    pub prior: Option<f64>,
    /// How many claims' worth of evidence `prior` weighs against the
    /// source's own claims, a finite number ≥ 0 (0: the claims alone decide;
    /// 1000: the prior all but stays). Only with `prior`; without it,
    /// [`Config::prior_strength`](crate::Config::prior_strength).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(range(min = 0)))]
    pub prior_strength: Option<f64>,
}

/// A location as the input gives it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", schemars(transform = crate::schema::id_required))]
pub struct LocationRecord {
    /// Unique among locations.
    #[serde(default)]
    pub id: String,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// What kind of position (`"hill"`, `"town"`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// `[latitude, longitude]` in degrees, latitude first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(schema_with = "crate::schema::coords"))]
    pub coords: Option<[f64; 2]>,
    /// Other names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "schema", schemars(extend("default" = [])))]
    pub aliases: Vec<String>,
    /// The id of the larger location this one is part of.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part_of: Option<String>,
}

/// A claim as the input gives it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", schemars(transform = crate::schema::id_required))]
pub struct ClaimRecord {
    /// Unique among claims.
    #[serde(default)]
    pub id: String,
    /// The id of the source making the claim.
    pub source: String,
    /// The id of the location the claim is about.
    pub location: String,
    /// What the claim says.
    pub asserts: AssertsRecord,
    /// The claim's window: a date, a month (`2014-03`), a year (`2014`), a
    /// datetime, or `{"from": T, "to": T}`.
    pub when: WhenRecord,
    /// How firmly the source puts it; `reported` when left out.
    #[serde(default, skip_serializing_if = "is_default_certainty")]
    #[cfg_attr(feature = "schema", schemars(extend("default" = "reported")))]
    pub certainty: Certainty,
    /// When the source said it: a date or a datetime; the end of the window
    /// when left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::Time>"))]
    pub reported: Option<String>,
    /// A citation, carried through untouched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cite: Option<String>,
    /// The sentence the claim comes from, carried through untouched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
}

fn is_default_certainty(c: &Certainty) -> bool {
    *c == Certainty::Reported
}

/// What a claim asserts, as the input gives it: `{"holds": ACTOR}`,
/// `{"captured": ACTOR}`, `{"withdrew": ACTOR}`, `"contested"` or
/// `{"denies": CLAIM}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum AssertsRecord {
    /// `{"holds": ACTOR}`
    Holds(String),
    /// `{"captured": ACTOR}`
    Captured(String),
    /// `{"withdrew": ACTOR}`
    Withdrew(String),
    /// `"contested"`
    Contested,
    /// `{"denies": CLAIM}`
    Denies(String),
}

/// A claim's window as the input gives it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged, expecting = "a date, an RFC 3339 datetime, or {\"from\": T, \"to\": T}")]
pub enum WhenRecord {
    /// A date (the whole UTC day), a month or a year (all its days), or a
    /// datetime (that instant).
    At(#[cfg_attr(feature = "schema", schemars(with = "crate::schema::WhenTime"))] String),
    /// An inclusive range.
    Range(RangeRecord),
}

/// `{"from": T, "to": T}`, each a date or a datetime, both inclusive.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RangeRecord {
    /// The first day or instant (of a month or a year: its first day).
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::WhenTime"))]
    pub from: String,
    /// The last day or instant (of a month or a year: its last day); not
    /// before `from`.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::WhenTime"))]
    pub to: String,
}
