//! The format reference (`docs/FORMAT.md`) shows the code's real output: its
//! complete example dataset (section 1.2) validates, the JSON, text, DOT,
//! GeoJSON and CSV outputs it prints for that example are byte for byte what
//! the code writes now, and its SVG and HTML excerpts are parts of it. A change to an output format fails here until the reference
//! is regenerated.

use frontline::output::Options;
use frontline::{Analysis, Config, Dataset, Format};

const REFERENCE: &str = include_str!("../docs/FORMAT.md");

/// The body of the first fenced block tagged `tag` after `marker`.
pub(crate) fn block_after(marker: &str, tag: &str) -> &'static str {
    let from = REFERENCE.find(marker).unwrap_or_else(|| panic!("docs/FORMAT.md has no {marker:?}"));
    let fence = format!("```{tag}\n");
    let start = REFERENCE[from..].find(&fence).map(|i| from + i + fence.len());
    let start = start.unwrap_or_else(|| panic!("no ```{tag} block after {marker:?}"));
    let end = REFERENCE[start..].find("\n```").map(|i| start + i).expect("the block is closed");
    &REFERENCE[start..end]
}

fn example() -> Dataset {
    let text = block_after("### 1.2 A complete example", "json");
    Dataset::from_json_str(text).unwrap_or_else(|e| panic!("the example of section 1.2 does not validate: {e}"))
}

fn assert_same(name: &str, documented: &str, written: &str) {
    if documented != written.trim_end_matches('\n') {
        let line = documented.lines().zip(written.lines()).position(|(a, b)| a != b);
        panic!(
            "docs/FORMAT.md's {name} differs from what the code writes (first differing line: {line:?}):\n{written}"
        );
    }
}

#[test]
fn the_documented_example_outputs_are_what_the_code_writes() {
    let dataset = example();
    let analysis = Analysis::new(&dataset, &Config::default(), None);
    let cases = [
        ("JSON report", "The report of the example of section 1.2", "json", Format::JsonPretty),
        ("text report", "The text report of the example:", "text", Format::Text),
        ("DOT output", "The DOT output of the example:", "dot", Format::Dot),
        ("GeoJSON output", "The GeoJSON output of the example", "json", Format::Geojson),
        ("CSV output", "The CSV output of the example:", "csv", Format::Csv),
    ];
    for (name, marker, tag, format) in cases {
        assert_same(name, block_after(marker, tag), &format.render(&analysis));
    }
    let mut at = Options::default();
    at.at = Some("2014-03-24".parse().expect("a date"));
    assert_same(
        "GeoJSON snapshot",
        block_after("With `at` set to `2014-03-24`", "json"),
        &Format::Geojson.render_with(&analysis, &at),
    );
}

/// The SVG and HTML examples are excerpts: each must be a part of what the
/// code writes, byte for byte.
#[test]
fn the_documented_picture_excerpts_are_part_of_what_the_code_writes() {
    let dataset = example();
    let analysis = Analysis::new(&dataset, &Config::default(), None);
    let cases = [
        ("SVG lane", "The lane of Kasab in the SVG timeline of the example:", "svg", Format::Svg),
        ("HTML segment", "A segment of Observatory 45 in the HTML report of the example:", "html", Format::Html),
    ];
    for (name, marker, tag, format) in cases {
        let written = format.render(&analysis);
        let excerpt = block_after(marker, tag);
        assert!(excerpt.lines().count() > 3, "the {name} excerpt is too short to say anything");
        assert!(written.contains(excerpt), "docs/FORMAT.md's {name} is not part of what the code writes:\n{written}");
    }
}

#[test]
fn every_format_the_reference_names_parses_and_no_other() {
    for format in Format::ALL {
        assert!(REFERENCE.contains(&format!("`{}`", format.name())), "{format} is not in docs/FORMAT.md");
        assert_eq!(format.name().parse::<Format>(), Ok(format));
    }
    assert!("xml".parse::<Format>().is_err());
    assert!("JSON".parse::<Format>().is_err(), "names are exact");
}
