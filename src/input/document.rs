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
use std::borrow::Cow;

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

/// A [`ClaimRecord`] whose strings are borrowed from the text where they
/// can be (a string with no escape in it): what the reading of a large text
/// parses each claim into, so that a claim's references and times are not
/// copied onto the heap only to be looked up and dropped. It reads exactly
/// the JSON that a [`ClaimRecord`] reads (the same fields, defaults and
/// refusals; a test checks it), and a `ClaimRecord` converts into it
/// without copying: validation reads claims through it alone.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ClaimFields<'a> {
    #[serde(default, borrow)]
    pub id: Cow<'a, str>,
    #[serde(borrow)]
    pub source: Cow<'a, str>,
    #[serde(borrow)]
    pub location: Cow<'a, str>,
    #[serde(borrow)]
    pub asserts: AssertsFields<'a>,
    #[serde(borrow)]
    pub when: WhenFields<'a>,
    #[serde(default)]
    pub certainty: Certainty,
    #[serde(default, borrow)]
    pub reported: Option<Cow<'a, str>>,
    #[serde(default)]
    pub cite: Option<String>,
    #[serde(default)]
    pub quote: Option<String>,
}

/// [`AssertsRecord`], its ids borrowed where they can be.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum AssertsFields<'a> {
    Holds(#[serde(borrow)] Cow<'a, str>),
    Captured(#[serde(borrow)] Cow<'a, str>),
    Withdrew(#[serde(borrow)] Cow<'a, str>),
    Contested,
    Denies(#[serde(borrow)] Cow<'a, str>),
}

/// [`WhenRecord`], its times borrowed where they can be.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(untagged, expecting = "a date, an RFC 3339 datetime, or {\"from\": T, \"to\": T}")]
pub(crate) enum WhenFields<'a> {
    At(#[serde(borrow)] Cow<'a, str>),
    Range(#[serde(borrow)] RangeFields<'a>),
}

/// [`RangeRecord`], its times borrowed where they can be.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RangeFields<'a> {
    #[serde(borrow)]
    pub from: Cow<'a, str>,
    #[serde(borrow)]
    pub to: Cow<'a, str>,
}

impl From<ClaimRecord> for ClaimFields<'static> {
    fn from(r: ClaimRecord) -> ClaimFields<'static> {
        ClaimFields {
            id: Cow::Owned(r.id),
            source: Cow::Owned(r.source),
            location: Cow::Owned(r.location),
            asserts: match r.asserts {
                AssertsRecord::Holds(a) => AssertsFields::Holds(Cow::Owned(a)),
                AssertsRecord::Captured(a) => AssertsFields::Captured(Cow::Owned(a)),
                AssertsRecord::Withdrew(a) => AssertsFields::Withdrew(Cow::Owned(a)),
                AssertsRecord::Contested => AssertsFields::Contested,
                AssertsRecord::Denies(c) => AssertsFields::Denies(Cow::Owned(c)),
            },
            when: match r.when {
                WhenRecord::At(t) => WhenFields::At(Cow::Owned(t)),
                WhenRecord::Range(RangeRecord { from, to }) => {
                    WhenFields::Range(RangeFields { from: Cow::Owned(from), to: Cow::Owned(to) })
                }
            },
            certainty: r.certainty,
            reported: r.reported.map(Cow::Owned),
            cite: r.cite,
            quote: r.quote,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Claims as JSON: every form of each field, and every way of getting
    /// one wrong. `ClaimFields` reads each exactly as `ClaimRecord` does:
    /// both refuse it, or both read it and the record converts into the
    /// fields read.
    #[test]
    fn claim_fields_read_what_a_claim_record_reads() {
        let texts = [
            r#"{"id":"c1","source":"s","location":"l","asserts":{"holds":"a"},"when":"2014-01-01"}"#,
            r#"{"source":"s","location":"l","asserts":"contested","when":"2014-01","reported":"2014-02-01"}"#,
            r#"{"id":"c\"2","source":"s\u0041","location":"l\n","asserts":{"captured":"a\\b"},"when":{"from":"2014-01-01","to":"2014-02-01T10:00:00Z"}}"#,
            r#"{"id":"c3","source":"s","location":"l","asserts":{"withdrew":"a"},"when":"2014","certainty":"claimed","cite":"x","quote":"y"}"#,
            r#"{"id":"c4","source":"s","location":"l","asserts":{"denies":"c1"},"when":"2014-01-01","reported":null,"cite":null}"#,
            r#"  {"id" : "c5", "source" : "s", "location" : "l", "asserts" : "contested", "when" : "2014-01-01", "certainty" : "unverified"}  "#,
            // Wrong: an unknown field, at the top and inside.
            r#"{"id":"c","source":"s","location":"l","asserts":"contested","when":"2014-01-01","extra":1}"#,
            r#"{"id":"c","source":"s","location":"l","asserts":"contested","when":{"from":"2014","to":"2015","x":1}}"#,
            // Wrong: a missing field, a wrong type, an unknown assertion or certainty.
            r#"{"id":"c","location":"l","asserts":"contested","when":"2014-01-01"}"#,
            r#"{"id":"c","source":"s","location":"l","asserts":"contested"}"#,
            r#"{"id":1,"source":"s","location":"l","asserts":"contested","when":"2014-01-01"}"#,
            r#"{"id":"c","source":"s","location":"l","asserts":{"razed":"a"},"when":"2014-01-01"}"#,
            r#"{"id":"c","source":"s","location":"l","asserts":"holds","when":"2014-01-01"}"#,
            r#"{"id":"c","source":"s","location":"l","asserts":"contested","when":"2014-01-01","certainty":"sure"}"#,
            r#"{"id":"c","source":"s","location":"l","asserts":"contested","when":{"from":"2014"}}"#,
            r#"{"id":"c","source":"s","location":"l","asserts":"contested","when":["2014"]}"#,
            r#"{"id":"c","source":"s","location":"l","asserts":"contested","when":null}"#,
            r#"{"id":"c","source":"s","location":"l","asserts":{"holds":"a","captured":"b"},"when":"2014"}"#,
            // Wrong: a repeated field, not an object, not JSON.
            r#"{"id":"c","id":"d","source":"s","location":"l","asserts":"contested","when":"2014-01-01"}"#,
            r#"["c","s","l","contested","2014-01-01"]"#,
            r#"{"id":"c","source":"s","#,
        ];
        for text in texts {
            let record = serde_json::from_str::<ClaimRecord>(text);
            let fields = serde_json::from_str::<ClaimFields<'_>>(text);
            match (record, fields) {
                (Ok(record), Ok(fields)) => assert_eq!(ClaimFields::from(record), fields, "{text}"),
                (Err(_), Err(_)) => {}
                (record, fields) => panic!("{text}: {record:?} against {fields:?}"),
            }
        }
        // The strings without escapes are borrowed from the text.
        let text = texts[0];
        let fields: ClaimFields<'_> = serde_json::from_str(text).unwrap();
        assert!(matches!(fields.id, Cow::Borrowed("c1")));
        assert!(matches!(fields.asserts, AssertsFields::Holds(Cow::Borrowed("a"))));
        assert!(matches!(fields.when, WhenFields::At(Cow::Borrowed("2014-01-01"))));
    }
}
