//! The real datasets that come with the crate, validated: the 2014 Latakia
//! offensive and five more battles of the Syrian civil war, each encoded
//! from its Wikipedia article (`data/README.md` holds the attribution and
//! the encoders' judgement calls).
//!
//! ```
//! use frontline::{Analysis, Config};
//!
//! let dataset = frontline::data::latakia_2014();
//! let analysis = Analysis::new(&dataset, &Config::default(), None);
//! assert_eq!(analysis.report().accounting.claims, 59);
//! ```
//!
//! The JSON text of each is compiled into the crate; the functions
//! validate it on every call. They cannot fail at run time: the text is
//! fixed when the crate is built, and a test validates every one of them
//! (a dataset that did not validate would fail the crate's own tests, never
//! a user's program).

use crate::Dataset;

/// `data/latakia-2014.json`: the 2014 Latakia offensive (Observatory 45,
/// Kessab, ...), the crate's first real case.
pub const LATAKIA_2014_JSON: &str = include_str!("../data/latakia-2014.json");
/// `data/aleppo-2012.json`: the 2012 combat operations of the Battle of Aleppo.
pub const ALEPPO_2012_JSON: &str = include_str!("../data/aleppo-2012.json");
/// `data/damascus-2012.json`: the Battle of Damascus (2012).
pub const DAMASCUS_2012_JSON: &str = include_str!("../data/damascus-2012.json");
/// `data/al-hasakah-2015.json`: the Battle of al-Hasakah (2015).
pub const AL_HASAKAH_2015_JSON: &str = include_str!("../data/al-hasakah-2015.json");
/// `data/al-bab-2016.json`: the Battle of al-Bab (2016–2017).
pub const AL_BAB_2016_JSON: &str = include_str!("../data/al-bab-2016.json");
/// `data/northeast-syria-2019.json`: the 2019 Turkish offensive into north-eastern Syria.
pub const NORTHEAST_SYRIA_2019_JSON: &str = include_str!("../data/northeast-syria-2019.json");

/// The embedded datasets, each with its file's name (without `.json`).
pub const ALL: [(&str, &str); 6] = [
    ("latakia-2014", LATAKIA_2014_JSON),
    ("aleppo-2012", ALEPPO_2012_JSON),
    ("damascus-2012", DAMASCUS_2012_JSON),
    ("al-hasakah-2015", AL_HASAKAH_2015_JSON),
    ("al-bab-2016", AL_BAB_2016_JSON),
    ("northeast-syria-2019", NORTHEAST_SYRIA_2019_JSON),
];

/// Validates embedded text, which the crate's tests prove valid.
fn embedded(name: &str, text: &str) -> Dataset {
    match Dataset::from_json_str(text) {
        Ok(dataset) => dataset,
        // Unreachable: `every_embedded_dataset_validates` checks each text.
        Err(error) => panic!("the embedded data/{name}.json does not validate: {error}"),
    }
}

/// The 2014 Latakia offensive, validated.
pub fn latakia_2014() -> Dataset {
    embedded("latakia-2014", LATAKIA_2014_JSON)
}

/// The 2012 combat operations of the Battle of Aleppo, validated.
pub fn aleppo_2012() -> Dataset {
    embedded("aleppo-2012", ALEPPO_2012_JSON)
}

/// The Battle of Damascus (2012), validated.
pub fn damascus_2012() -> Dataset {
    embedded("damascus-2012", DAMASCUS_2012_JSON)
}

/// The Battle of al-Hasakah (2015), validated.
pub fn al_hasakah_2015() -> Dataset {
    embedded("al-hasakah-2015", AL_HASAKAH_2015_JSON)
}

/// The Battle of al-Bab (2016–2017), validated.
pub fn al_bab_2016() -> Dataset {
    embedded("al-bab-2016", AL_BAB_2016_JSON)
}

/// The 2019 Turkish offensive into north-eastern Syria, validated.
pub fn northeast_syria_2019() -> Dataset {
    embedded("northeast-syria-2019", NORTHEAST_SYRIA_2019_JSON)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_embedded_dataset_validates() {
        for (name, text) in ALL {
            if let Err(error) = Dataset::from_json_str(text) {
                panic!("data/{name}.json: {error}");
            }
        }
        let functions: [fn() -> Dataset; 6] =
            [latakia_2014, aleppo_2012, damascus_2012, al_hasakah_2015, al_bab_2016, northeast_syria_2019];
        for ((name, _), dataset) in ALL.iter().zip(functions.map(|f| f())) {
            assert!(!dataset.claims().is_empty(), "{name}");
        }
        assert_eq!(latakia_2014().claims().len(), 59);
    }
}
