//! The mapping from the actors and outlets of an ACLED or UCDP export to the
//! sides of the conflict, read from a small JSON file (`--sides` on the
//! command line; [`format_reference`](crate::format_reference), section 1.9).
//!
//! ```json
//! {
//!   "actors": {
//!     "Military Forces of Syria (2000-)": "government",
//!     "Military Forces of Turkey*": "turkey",
//!     "Islamic State (Syria)": "isil"
//!   },
//!   "outlets": {"SANA": "government", "Anadolu Agency": "turkey", "Reuters": null}
//! }
//! ```
//!
//! `actors` maps an actor's name, exactly, to the id of its side; a name
//! ending in `*` is a prefix and maps every actor whose name starts with the
//! rest (the longest matching prefix wins). `outlets` gives an outlet's
//! affiliation (a side id) or `null` for an independent outlet; an outlet it
//! does not name is independent. Every side named becomes an actor of the
//! imported document.
//!
//! ```
//! # #[cfg(feature = "import")] {
//! use frontline::input::sides::Sides;
//!
//! let sides = Sides::from_json_str(r#"{"actors": {"Military Forces of Turkey*": "turkey"}}"#)?;
//! assert_eq!(sides.side_of("Military Forces of Turkey (2002-)"), Some("turkey"));
//! assert_eq!(sides.side_of("Military Forces of Syria (2000-)"), None);
//! # }
//! # Ok::<(), frontline::input::ImportError>(())
//! ```

use super::ImportError;
use serde::Deserialize;
use std::collections::BTreeMap;

/// Actors and outlets mapped to sides. The default maps nothing: every
/// actor falls back to what the export says of it, every outlet is
/// independent.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sides {
    exact: BTreeMap<String, String>,
    /// `(prefix, side)`, longest prefix first.
    prefixes: Vec<(String, String)>,
    outlets: BTreeMap<String, Option<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SidesFile {
    #[serde(default)]
    actors: BTreeMap<String, String>,
    #[serde(default)]
    outlets: BTreeMap<String, Option<String>>,
}

impl Sides {
    /// Reads a mapping from its JSON text.
    ///
    /// # Errors
    ///
    /// [`ImportError::Sides`] when the text is not such a mapping, or a side
    /// id is empty.
    pub fn from_json_str(text: &str) -> Result<Sides, ImportError> {
        let file: SidesFile =
            serde_json::from_str(text).map_err(|source| ImportError::Sides { problem: source.to_string() })?;
        let mut sides = Sides { outlets: file.outlets, ..Sides::default() };
        for (name, side) in file.actors {
            if side.is_empty() {
                return Err(ImportError::Sides { problem: format!("actor {name:?} maps to an empty side id") });
            }
            match name.strip_suffix('*') {
                Some(prefix) => sides.prefixes.push((prefix.to_owned(), side)),
                None => {
                    sides.exact.insert(name, side);
                }
            }
        }
        if let Some((outlet, _)) = sides.outlets.iter().find(|(_, side)| side.as_deref() == Some("")) {
            return Err(ImportError::Sides { problem: format!("outlet {outlet:?} maps to an empty side id") });
        }
        // Longest first; ties in name order, so the match does not depend
        // on the file's order.
        sides.prefixes.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        Ok(sides)
    }

    /// The side an actor's name maps to: its exact entry, or else the
    /// longest prefix entry it starts with.
    pub fn side_of(&self, actor: &str) -> Option<&str> {
        if let Some(side) = self.exact.get(actor) {
            return Some(side);
        }
        self.prefixes.iter().find(|(prefix, _)| actor.starts_with(prefix.as_str())).map(|(_, side)| side.as_str())
    }

    /// The side an outlet is affiliated with; `None` for an independent or
    /// unnamed outlet.
    pub fn affiliation_of(&self, outlet: &str) -> Option<&str> {
        self.outlets.get(outlet).and_then(|side| side.as_deref())
    }

    /// Every side id the mapping names, in order.
    pub fn sides(&self) -> impl Iterator<Item = &str> {
        let mut all: Vec<&str> = self
            .exact
            .values()
            .chain(self.prefixes.iter().map(|(_, side)| side))
            .map(String::as_str)
            .chain(self.outlets.values().filter_map(|side| side.as_deref()))
            .collect();
        all.sort_unstable();
        all.dedup();
        all.into_iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_names_win_over_prefixes_and_the_longest_prefix_wins() {
        let sides = Sides::from_json_str(
            r#"{"actors": {"Military Forces of*": "any-army", "Military Forces of Syria*": "government",
                           "Military Forces of Syria (2000-) Air Force": "air"},
                "outlets": {"SANA": "government", "Reuters": null}}"#,
        )
        .unwrap();
        assert_eq!(sides.side_of("Military Forces of Syria (2000-)"), Some("government"));
        assert_eq!(sides.side_of("Military Forces of Syria (2000-) Air Force"), Some("air"));
        assert_eq!(sides.side_of("Military Forces of Turkey (2002-)"), Some("any-army"));
        assert_eq!(sides.side_of("Islamic State (Syria)"), None);
        assert_eq!(sides.affiliation_of("SANA"), Some("government"));
        assert_eq!(sides.affiliation_of("Reuters"), None);
        assert_eq!(sides.affiliation_of("AFP"), None);
        assert_eq!(sides.sides().collect::<Vec<_>>(), ["air", "any-army", "government"]);
    }

    #[test]
    fn a_bad_mapping_is_refused_with_the_problem() {
        let error = Sides::from_json_str(r#"{"actor": {}}"#).unwrap_err();
        assert!(error.to_string().contains("unknown field `actor`"), "{error}");
        let error = Sides::from_json_str(r#"{"actors": {"SDF": ""}}"#).unwrap_err();
        assert!(error.to_string().contains("\"SDF\" maps to an empty side id"), "{error}");
    }
}
