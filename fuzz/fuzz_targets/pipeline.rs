//! Arbitrary bytes through the whole pipeline: an error or a report in every
//! format, never a panic.
#![no_main]

use frontline::{Analysis, Config, Dataset, Format};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(dataset) = Dataset::from_json_reader(data) else { return };
    let config = Config::default();
    let analysis = Analysis::new(&dataset, &config, None);
    let json = Format::Json.render(&analysis);
    assert!(serde_json::from_str::<serde_json::Value>(&json).is_ok());
    let _ = Format::Text.render(&analysis);
    let _ = Format::Dot.render(&analysis);
    // A replay as of the middle of the data.
    if let Some(claim) = dataset.claims().first() {
        let as_of = frontline::model::TimePoint::Instant(claim.window().start());
        let _ = Format::Json.render(&Analysis::new(&dataset, &config, Some(as_of)));
    }
});
