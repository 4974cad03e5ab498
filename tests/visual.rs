//! The picture formats (docs/FORMAT.md sections 3.4 to 3.7): GeoJSON and
//! CSV read back and checked against the JSON report; the SVG timeline
//! parsed as XML; the HTML report self-contained, and opened in headless
//! Chromium (`browser_*`, ignored: `.ci/run` runs them); the DOT output
//! through Graphviz; a million claims (`heavy_*`, ignored).

use crate::{latakia, LATAKIA};
use frontline::output::Options;
use frontline::{Analysis, Config, Dataset, Format};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

/// The input's locations, read from the file itself: id → coords (if any).
fn input_locations() -> BTreeMap<String, Option<[f64; 2]>> {
    let input: Value = serde_json::from_str(LATAKIA).expect("JSON");
    input["locations"]
        .as_array()
        .expect("locations")
        .iter()
        .map(|l| {
            let coords = l
                .get("coords")
                .and_then(Value::as_array)
                .map(|c| [c[0].as_f64().expect("latitude"), c[1].as_f64().expect("longitude")]);
            (l["id"].as_str().expect("id").to_owned(), coords)
        })
        .collect()
}

/// The JSON report of an analysis, parsed.
fn report(analysis: &Analysis<'_>) -> Value {
    serde_json::from_str(&Format::Json.render(analysis)).expect("the JSON report")
}

fn written(format: Format, analysis: &Analysis<'_>, options: &Options) -> std::io::Result<String> {
    let mut out = Vec::new();
    format.write_with(analysis, options, &mut out)?;
    Ok(String::from_utf8(out).expect("UTF-8"))
}

#[test]
fn geojson_has_a_feature_per_segment_of_each_located_place_in_longitude_latitude_order() {
    let dataset = latakia();
    let analysis = Analysis::new(&dataset, &Config::default(), None);
    let collection: Value = serde_json::from_str(&Format::Geojson.render(&analysis)).expect("GeoJSON is JSON");
    // The crate's own reader accepts it too.
    let parsed: geojson::GeoJson = Format::Geojson.render(&analysis).parse().expect("valid GeoJSON");
    assert!(matches!(parsed, geojson::GeoJson::FeatureCollection(_)));
    assert_eq!(collection["type"], "FeatureCollection");
    let inputs = input_locations();
    let report = report(&analysis);
    // Places without coordinates are listed, by id and name, not dropped.
    let unlocated: BTreeSet<&str> = collection["unlocated"]
        .as_array()
        .expect("unlocated")
        .iter()
        .map(|u| u["location"].as_str().expect("id"))
        .collect();
    let expected: BTreeSet<&str> = inputs.iter().filter(|(_, c)| c.is_none()).map(|(id, _)| id.as_str()).collect();
    assert_eq!(unlocated, expected);
    assert!(!unlocated.is_empty() && unlocated.len() < inputs.len(), "Latakia has places with and without coords");
    let features = collection["features"].as_array().expect("features");
    for location in report["locations"].as_array().expect("locations") {
        let id = location["location"].as_str().expect("id");
        let mine: Vec<&Value> = features.iter().filter(|f| f["properties"]["location"] == id).collect();
        let Some(Some([latitude, longitude])) = inputs.get(id) else {
            assert!(mine.is_empty(), "{id} has no coords but has features");
            continue;
        };
        let timeline = location["timeline"].as_array().expect("timeline");
        assert_eq!(mine.len(), timeline.len(), "{id}: one feature per segment");
        for (feature, segment) in mine.iter().zip(timeline) {
            assert_eq!(feature["geometry"]["type"], "Point");
            assert_eq!(feature["geometry"]["coordinates"], serde_json::json!([longitude, latitude]), "{id}");
            let p = &feature["properties"];
            assert_eq!(p["start"], segment["from"]);
            assert_eq!(p["end"], segment["to"]);
            for key in ["state", "side", "confidence", "basis", "support", "dissent"] {
                assert_eq!(p[key], segment[key], "{id}: {key}");
            }
            assert_eq!(p["name"], location["name"]);
        }
        // The open end is null, on the last feature only.
        assert!(mine.last().expect("features")["properties"]["end"].is_null(), "{id}");
        assert!(mine[..mine.len() - 1].iter().all(|f| f["properties"]["end"].is_string()), "{id}");
    }
}

#[test]
fn geojson_at_a_date_gives_each_located_place_its_state_then() {
    let dataset = latakia();
    let analysis = Analysis::new(&dataset, &Config::default(), None);
    let report = report(&analysis);
    let mut options = Options::default();
    options.at = Some("2014-03-27".parse().expect("date"));
    let collection: Value =
        serde_json::from_str(&written(Format::Geojson, &analysis, &options).expect("writes")).expect("GeoJSON is JSON");
    assert_eq!(collection["at"], "2014-03-27T00:00:00Z");
    let features = collection["features"].as_array().expect("features");
    let located: Vec<String> = input_locations().into_iter().filter(|(_, c)| c.is_some()).map(|(id, _)| id).collect();
    assert_eq!(features.len(), located.len(), "one feature per located place");
    for feature in features {
        let p = &feature["properties"];
        let id = p["location"].as_str().expect("id");
        let location = report["locations"].as_array().expect("locations").iter().find(|l| l["location"] == id);
        // The segment covering the instant, found by comparing the RFC 3339 texts.
        let t = "2014-03-27T00:00:00Z";
        let segment = location.expect("in the report")["timeline"]
            .as_array()
            .expect("timeline")
            .iter()
            .find(|s| s["from"].as_str().expect("from") <= t && s["to"].as_str().is_none_or(|to| t < to))
            .expect("a segment covers 27 March");
        assert_eq!(p["state"], segment["state"], "{id}");
        assert_eq!(p["side"], segment["side"], "{id}");
        assert_eq!(p["start"], segment["from"], "{id}");
    }
    // Before any claim: unknown everywhere, and still one feature per place.
    options.at = Some("2000-01-01".parse().expect("date"));
    let early: Value =
        serde_json::from_str(&written(Format::Geojson, &analysis, &options).expect("writes")).expect("JSON");
    let early = early["features"].as_array().expect("features");
    assert_eq!(early.len(), located.len());
    assert!(early.iter().all(|f| f["properties"]["state"] == "unknown" && f["properties"]["start"].is_null()));
}

#[test]
fn csv_has_a_row_per_segment_that_reads_back() {
    let dataset = latakia();
    let analysis = Analysis::new(&dataset, &Config::default(), None);
    let report = report(&analysis);
    let text = Format::Csv.render(&analysis);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().expect("a header").iter().map(str::to_owned).collect();
    assert_eq!(
        header,
        ["location", "name", "from", "to", "state", "side", "confidence", "basis", "support", "dissent"]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a row")).collect();
    let segments: Vec<(&Value, &Value)> = report["locations"]
        .as_array()
        .expect("locations")
        .iter()
        .flat_map(|l| l["timeline"].as_array().expect("timeline").iter().map(move |s| (l, s)))
        .collect();
    assert_eq!(rows.len(), segments.len());
    for (row, (location, segment)) in rows.iter().zip(segments) {
        assert_eq!(&row[0], location["location"].as_str().expect("id"));
        assert_eq!(&row[1], location["name"].as_str().expect("name"));
        assert_eq!(&row[2], segment["from"].as_str().expect("from"));
        assert_eq!(&row[3], segment["to"].as_str().unwrap_or(""));
        assert_eq!(&row[4], segment["state"].as_str().expect("state"));
        assert_eq!(&row[5], segment["side"].as_str().unwrap_or(""));
        assert_eq!(row[6].parse::<f64>().expect("a number"), segment["confidence"].as_f64().expect("number"));
        assert_eq!(&row[7], segment["basis"].as_str().expect("basis"));
        let support: Value = serde_json::from_str(&row[8]).expect("support is a JSON array");
        assert_eq!(support, segment["support"]);
        let dissent: Value = serde_json::from_str(&row[9]).expect("dissent is a JSON array");
        assert_eq!(dissent, segment["dissent"]);
    }
}

/// The lanes of an SVG timeline: the `data-location` of each `g.lane`.
fn lanes(svg: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("the SVG is not XML: {e}"));
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    assert_eq!(doc.root_element().tag_name().namespace(), Some("http://www.w3.org/2000/svg"));
    doc.descendants()
        .filter(|n| n.attribute("class") == Some("lane"))
        .map(|n| n.attribute("data-location").expect("a lane names its location").to_owned())
        .collect()
}

#[test]
fn the_svg_timeline_is_xml_with_a_lane_per_location_most_volatile_first() {
    let dataset = latakia();
    let analysis = Analysis::new(&dataset, &Config::default(), None);
    let svg = Format::Svg.render(&analysis);
    let lanes = lanes(&svg);
    assert_eq!(lanes.len(), dataset.locations().len());
    // Observatory 45 has the most reversals of the article.
    assert_eq!(lanes[0], "observatory-45");
    let reversals = |id: &str| analysis.reconciliation().timeline(dataset.location_id(id).expect("id")).reversals.len();
    assert!(lanes.windows(2).all(|w| reversals(&w[0]) >= reversals(&w[1])), "{lanes:?}");
    let doc = roxmltree::Document::parse(&svg).expect("XML");
    let text: String = doc.descendants().filter_map(|n| n.text()).collect();
    for words in ["held by Syrian government forces", "held by Rebel coalition", "contested", "reversal", "20 Mar 2014"]
    {
        assert!(text.contains(words), "the legend or axis lacks {words:?}");
    }
    // Contested segments are hatched; each claim a tick with its claim's words.
    assert!(doc
        .descendants()
        .any(|n| n.attribute("fill") == Some("url(#hatch)") && n.attribute("class") == Some("segment")));
    assert!(doc.descendants().filter(|n| n.attribute("class") == Some("claim")).count() > 20);
    assert!(
        text.contains("Syrian Observatory for Human Rights says Rebel coalition captured Observatory 45"),
        "tick titles"
    );
}

#[test]
fn the_location_filter_and_pages_choose_the_lanes() {
    let dataset = latakia();
    let analysis = Analysis::new(&dataset, &Config::default(), None);
    let mut options = Options::default();
    options.locations = vec!["kasab".into(), "al-samra".into(), "kasab".into()];
    let svg = written(Format::Svg, &analysis, &options).expect("writes");
    let mut shown = lanes(&svg);
    shown.sort();
    assert_eq!(shown, ["al-samra", "kasab"]);
    options.locations.push("atlantis".into());
    let error = written(Format::Svg, &analysis, &options).expect_err("an unknown location");
    assert_eq!(error.kind(), std::io::ErrorKind::InvalidInput);
    assert!(error.to_string().contains("\"atlantis\""), "{error}");
    // Pages of 5: 14 locations on 3 pages, each once.
    let mut all = Vec::new();
    for page in 1..=3 {
        let mut options = Options::default();
        options.per_page = 5;
        options.page = page;
        let svg = written(Format::Svg, &analysis, &options).expect("writes");
        assert!(svg.contains(&format!("page {page} of 3")), "the picture says which page it is");
        all.extend(lanes(&svg));
    }
    assert_eq!(all, lanes(&Format::Svg.render(&analysis)), "the pages, in order, are the whole timeline");
    let mut options = Options::default();
    options.per_page = 5;
    options.page = 4;
    assert!(written(Format::Svg, &analysis, &options).is_err(), "there is no page 4");
}

#[test]
fn the_html_report_is_one_file_with_every_part() {
    let dataset = latakia();
    let analysis = Analysis::new(&dataset, &Config::default(), None);
    let html = Format::Html.render(&analysis);
    // Self-contained: no external script, style, image or link.
    for needle in ["<link", "src=", "@import", "url(http", "href=\"http", "https://"] {
        assert!(!html.contains(needle), "the report loads {needle:?} from elsewhere");
    }
    assert!(html.contains("<style>") && html.contains("<script>") && html.contains("const DATA = {"));
    // Every location is in the timeline; the ones without coords are listed.
    let timeline =
        &html[html.find("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1200\"").expect("the timeline")..];
    let timeline = &timeline[..timeline.find("</svg>").expect("closed") + 6];
    assert_eq!(lanes(timeline).len(), dataset.locations().len());
    for (id, coords) in input_locations() {
        match coords {
            Some(_) => assert!(html.contains(&format!("<circle data-location=\"{id}\"")), "{id} is not on the map"),
            None => assert!(html.contains(&format!("<li data-location=\"{id}\">")), "{id} is not listed"),
        }
    }
    // The contradictions in words, the source table with grades and their legend.
    assert!(html
        .contains("denies Syrian state TV&#x27;s claim of 31 Mar 2014 that Syrian Arab Army captured Observatory 45"));
    assert!(html.contains("<td class=\"grade\">") && html.contains("completely reliable"));
    // Every segment's claims, with quotes and cites, linked from its bar.
    let o45 = dataset.location_id("observatory-45").expect("o45");
    let claim = dataset.claim(dataset.claim_id("o45-0322-sohr").expect("the claim"));
    let cite = claim.cite().expect("a cite");
    assert!(html.contains(&format!("(cite {cite})")));
    let quote = claim.quote().expect("a quote").replace('\'', "&#x27;").replace('"', "&quot;");
    assert!(html.contains(&quote), "the quote of o45-0322-sohr");
    let index = 0; // Observatory 45 is the first lane.
    for i in 0..analysis.reconciliation().timeline(o45).segments.len() {
        assert!(html.contains(&format!("<details id=\"seg-{index}-{i}\">")));
        assert!(html.contains(&format!("<a href=\"#seg-{index}-{i}\">")));
    }
}

#[test]
fn map_tiles_are_drawn_only_when_asked() {
    let dataset = latakia();
    let analysis = Analysis::new(&dataset, &Config::default(), None);
    assert!(!Format::Html.render(&analysis).contains("<image"), "no tiles by default");
    let mut options = Options::default();
    options.tiles = Some("https://tiles.example/{z}/{x}/{y}.png?a=1&b=2".into());
    // The template escapes `/` in attributes as `&#x2f;`, which browsers read as `/`.
    let html = written(Format::Html, &analysis, &options).expect("writes").replace("&#x2f;", "/");
    let tiles: Vec<&str> = html.lines().filter(|l| l.starts_with("<image href=\"https://tiles.example/")).collect();
    assert!(!tiles.is_empty() && tiles.len() <= 12, "{} tiles", tiles.len());
    // Kasab is at 35.92 N, 35.98 E: at zoom z its tile is x = floor((lon + 180) / 360 * 2^z).
    let z: u32 =
        tiles[0]["<image href=\"https://tiles.example/".len()..].split('/').next().expect("z").parse().expect("a zoom");
    let x = ((35.9833 + 180.0) / 360.0 * f64::from(2u32.pow(z))).floor();
    assert!(tiles.iter().any(|t| t.contains(&format!("/{z}/{x}/"))), "{tiles:?}");
    // The template's `&` is escaped in the attribute.
    assert!(tiles[0].contains(".png?a=1&amp;b=2"), "{}", tiles[0]);
}

#[test]
fn dot_has_a_legend_and_each_claim_filled_with_its_reconciled_state() {
    let dataset = latakia();
    let analysis = Analysis::new(&dataset, &Config::default(), None);
    let dot = Format::Dot.render(&analysis);
    assert!(dot.contains("\"legend\" [shape=plaintext, label=<<table"));
    let report = report(&analysis);
    // Observatory 45's first capture: the timeline says who held it at the
    // end of that day, and the node says the same.
    let o45 = report["locations"].as_array().expect("locations").iter().find(|l| l["location"] == "observatory-45");
    let on_22 = o45.expect("o45")["timeline"]
        .as_array()
        .expect("timeline")
        .iter()
        .find(|s| s["from"].as_str() <= Some("2014-03-22T23:59:59Z") && s["to"].as_str() > Some("2014-03-22T23:59:59Z"))
        .expect("a segment on 22 March");
    assert_eq!(on_22["side"], "opposition");
    let node = dot.lines().find(|l| l.trim_start().starts_with("\"o45-0322-sohr\" [")).expect("the node");
    assert!(node.contains("\\ntimeline: held by Rebel coalition ("), "{node}");
    let rebel_fill = dot.lines().find(|l| l.contains("timeline: held by Rebel coalition (")).map(|l| {
        let at = l.find("fillcolor=").expect("a fill");
        l[at..].to_owned()
    });
    assert!(rebel_fill.is_some_and(|f| node.contains(&f)), "{node}");
    // Graphviz reads it (CI installs graphviz; see also tests/cli.rs).
    let graphviz = Command::new("dot")
        .arg("-Tsvg")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn();
    let mut child = match graphviz {
        Ok(child) => child,
        Err(_) if std::env::var_os("CI").is_none() => return,
        Err(error) => panic!("graphviz's dot is needed in CI: {error}"),
    };
    use std::io::Write;
    child.stdin.take().expect("stdin").write_all(dot.as_bytes()).expect("write");
    let rendered = child.wait_with_output().expect("dot runs");
    assert!(rendered.status.success(), "{}", String::from_utf8_lossy(&rendered.stderr));
    assert!(String::from_utf8_lossy(&rendered.stdout).contains("Legend"));
}

#[test]
fn a_location_with_500_claims_stays_one_readable_lane() {
    // 500 claims by 20 sources of two sides and none over 100 days.
    let mut doc = serde_json::json!({
        "actors": [{"id": "a"}, {"id": "b"}],
        "sources": [], "locations": [{"id": "hill", "coords": [35.0, 36.0]}], "claims": []
    });
    for s in 0..20 {
        let affiliation = match s % 3 {
            0 => Value::Null,
            1 => "a".into(),
            _ => "b".into(),
        };
        doc["sources"]
            .as_array_mut()
            .expect("array")
            .push(serde_json::json!({"id": format!("s{s}"), "affiliation": affiliation}));
    }
    for i in 0..500 {
        let day = format!("2014-{:02}-{:02}", 1 + (i % 100) / 28, 1 + (i % 100) % 28);
        let holder = if (i / 30) % 2 == 0 { "a" } else { "b" };
        doc["claims"].as_array_mut().expect("array").push(serde_json::json!({
            "id": format!("c{i:03}"), "source": format!("s{}", i % 20), "location": "hill",
            "asserts": {"holds": holder}, "when": day}));
    }
    let dataset = Dataset::from_json_str(&doc.to_string()).expect("valid");
    let analysis = Analysis::new(&dataset, &Config::default(), None);
    let svg = Format::Svg.render(&analysis);
    let parsed = roxmltree::Document::parse(&svg).expect("XML");
    let ticks = parsed.descendants().filter(|n| n.attribute("class") == Some("claim")).count();
    // One tick per day and colour at most: 100 days, 3 colours.
    assert!((100..=300).contains(&ticks), "{ticks} ticks");
    assert!(svg.contains("500 claims drawn as"), "the picture says it merged ticks");
}

/// A writer that keeps nothing: it counts bytes and the largest single write.
#[derive(Default)]
struct Counting {
    bytes: usize,
    largest: usize,
}

impl std::io::Write for Counting {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.bytes += buf.len();
        self.largest = self.largest.max(buf.len());
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A million simulated claims, every location with coordinates: GeoJSON
/// and CSV stream (no write larger than 1 MiB, output far larger), the SVG
/// and HTML stay bounded and say what they summarise.
#[test]
#[ignore = "heavy: run in release by .ci/run"]
fn heavy_a_million_claims_in_every_picture_format() {
    let mut document = frontline::sim::simulate(&frontline::sim::Scenario::sized(1_000_000), 7).document;
    for (i, location) in document.locations.iter_mut().enumerate() {
        location.coords = Some([35.0 + (i % 100) as f64 * 0.01, 36.0 + (i / 100) as f64 * 0.01]);
    }
    let dataset = Dataset::from_document(document).expect("valid");
    assert!(dataset.claims().len() >= 900_000, "{} claims", dataset.claims().len());
    let analysis = Analysis::new(&dataset, &Config::default(), None);
    let segments: usize = analysis.reconciliation().timelines().iter().map(|t| t.segments.len()).sum();
    for format in [Format::Geojson, Format::Csv] {
        let mut out = Counting::default();
        format.write(&analysis, &mut out).expect("writes");
        assert!(out.bytes > segments * 100, "{format}: {} bytes for {segments} segments", out.bytes);
        assert!(out.largest <= 1 << 20, "{format}: a write of {} bytes", out.largest);
        eprintln!("{format}: {} bytes for {segments} segments, largest write {} bytes", out.bytes, out.largest);
    }
    let svg = Format::Svg.render(&analysis);
    assert!(svg.len() < 4 << 20, "SVG: {} bytes", svg.len());
    assert_eq!(lanes(&svg).len(), 50, "one page of 50 lanes");
    assert!(svg.contains("the others are on the other pages"));
    let html = Format::Html.render(&analysis);
    assert!(html.len() < 40 << 20, "HTML: {} bytes", html.len());
    assert!(html.contains("This report shows 50 of the"));
    eprintln!("{} claims: SVG {} bytes, HTML {} bytes", dataset.claims().len(), svg.len(), html.len());
}

/// Where Debian's chromium is; a clear failure when it is missing.
fn chromium() -> std::path::PathBuf {
    for name in ["chromium", "chromium-browser"] {
        if let Ok(out) = Command::new("which").arg(name).output() {
            if out.status.success() {
                return std::path::PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
            }
        }
    }
    panic!("headless Chromium is needed for this test: install Debian's `chromium` package (apt-get install -y chromium; .ci/run does)");
}

/// Opens the Latakia report in headless Chromium with `#selftest`: the
/// page's script checks that every location is in the timeline and on the
/// map (or listed without coordinates) and that moving the slider changes
/// the map, and writes its verdict into the page; Chromium prints every
/// console message (errors included) as an `INFO:CONSOLE` line on stderr.
#[test]
#[ignore = "browser: needs Chromium; run by .ci/run"]
fn browser_the_html_report_renders_without_console_errors() {
    let browser = chromium();
    let dataset = latakia();
    let analysis = Analysis::new(&dataset, &Config::default(), None);
    let dir = std::env::temp_dir().join(format!("frontline-browser-{}", std::process::id()));
    let profile = dir.join("profile");
    std::fs::create_dir_all(&profile).expect("a temp dir");
    let page = dir.join("report.html");
    std::fs::write(&page, Format::Html.render(&analysis)).expect("write the report");
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=5000",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("file://{}#selftest", page.display()))
        .output()
        .expect("chromium runs");
    let _ = std::fs::remove_dir_all(&dir);
    let dom = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "chromium failed: {stderr}");
    let console: Vec<&str> = stderr.lines().filter(|l| l.contains(":CONSOLE")).collect();
    assert!(console.is_empty(), "the page wrote to the console:\n{}", console.join("\n"));
    let verdict = dom.find("selftest: ").map(|i| &dom[i..]).and_then(|v| v.split('<').next());
    let verdict = verdict.unwrap_or_else(|| panic!("the page's self-test wrote no verdict; the DOM:\n{dom}"));
    assert!(verdict.starts_with("selftest: pass: 14 locations in the timeline, 5 on the map, 9 listed"), "{verdict}");
    for location in dataset.locations() {
        assert!(dom.contains(&format!("data-location=\"{}\"", location.id())), "{} is not in the page", location.id());
    }
}

/// Times far from today, Unicode and markup in names: every picture format
/// gives an answer (the SVG still XML), never a panic; a located place with
/// no claim still has its GeoJSON feature.
#[test]
fn extreme_times_and_hostile_names_draw_without_panic() {
    for when in [
        serde_json::json!("-262143-01-01"),
        serde_json::json!({"from": "0001-01-01", "to": "+262142-12-30"}),
        serde_json::json!("9999-12-31T23:59:59.999999999Z"),
    ] {
        let doc = serde_json::json!({
            "actors": [{"id": "a", "name": "<b>Army</b> & \"friends\""}, {"id": "b", "name": "كتيبة"}],
            "sources": [{"id": "s", "affiliation": "a"}],
            "locations": [{"id": "x", "name": "]]></svg><script>alert(1)</script>", "coords": [90.0, -180.0]},
                          {"id": "empty", "coords": [-90.0, 180.0]}],
            "claims": [{"id": "c", "source": "s", "location": "x", "asserts": {"holds": "a"}, "when": when}]
        });
        let dataset = Dataset::from_json_str(&doc.to_string()).unwrap_or_else(|e| panic!("{when}: {e}"));
        let analysis = Analysis::new(&dataset, &Config::default(), None);
        for format in [Format::Geojson, Format::Csv, Format::Svg, Format::Html, Format::Dot] {
            assert!(!format.render(&analysis).is_empty(), "{format} at {when}");
        }
        let svg = Format::Svg.render(&analysis);
        assert_eq!(lanes(&svg).len(), 2, "{when}");
        assert!(!svg.contains("<script>") && !Format::Html.render(&analysis).contains("<script>alert"), "escaped");
        let geojson: Value = serde_json::from_str(&Format::Geojson.render(&analysis)).expect("JSON");
        let empty =
            geojson["features"].as_array().expect("features").iter().find(|f| f["properties"]["location"] == "empty");
        assert_eq!(empty.expect("the place without claims")["properties"]["state"], "unknown");
    }
}
