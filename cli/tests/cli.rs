//! The binary `frontline`, run as a user runs it: every subcommand, its
//! exit codes and messages, and `import ... | reconcile -`.
//!
//! The CSV fixtures in `tests/data/` are hand-made (see its README), in the
//! exact layouts of ACLED and UCDP GED exports.

use serde_json::Value;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_frontline");

fn root(path: &str) -> String {
    format!("{}/../{path}", env!("CARGO_MANIFEST_DIR"))
}

fn data() -> String {
    root("data/latakia-2014.json")
}

fn acled() -> String {
    root("tests/data/acled-northern-syria.csv")
}

fn ucdp() -> String {
    root("tests/data/ucdp-ged-northern-syria.csv")
}

fn sides() -> String {
    root("tests/data/sides-northern-syria.json")
}

fn run(args: &[&str]) -> Output {
    Command::new(BIN).args(args).output().expect("frontline runs")
}

/// Runs with `input` on standard input.
fn run_with_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("frontline runs");
    let mut stdin = child.stdin.take().expect("stdin");
    let input = input.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().expect("it ends");
    writer.join().expect("the writer thread").expect("stdin written");
    out
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn temp_file(name: &str, text: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!("frontline-cli-{}-{name}", std::process::id()));
    std::fs::write(&path, text).expect("write");
    path
}

fn json(out: &Output) -> Value {
    assert!(out.status.success(), "{}", stderr(out));
    serde_json::from_slice(&out.stdout).expect("one JSON document")
}

#[test]
fn every_command_has_help_with_an_example() {
    for command in [&["--help"][..], &["reconcile", "--help"], &["validate", "--help"], &["import", "--help"]] {
        let out = run(command);
        assert!(out.status.success(), "{command:?}");
        let help = String::from_utf8(out.stdout).expect("utf-8");
        assert!(help.contains("Examples:\n  frontline "), "{command:?}: {help}");
    }
    let out = run(&["--version"]);
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), format!("frontline {}", env!("CARGO_PKG_VERSION")));
}

#[test]
fn a_bad_as_of_time_prints_what_the_reference_shows() {
    let reference = std::fs::read_to_string(root("docs/FORMAT.md")).expect("docs/FORMAT.md");
    let after = reference.split("frontline reconcile data/latakia-2014.json --as-of nope").nth(1).expect("the example");
    let documented = after.split("```text\n").nth(1).and_then(|b| b.split("```").next()).expect("its output");
    let out = run(&["reconcile", &data(), "--as-of", "nope"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stderr(&out), documented);
}

#[test]
fn reconcile_json_has_the_keys_of_the_contract() {
    let report = json(&run(&["reconcile", &data(), "--format", "json"]));
    for key in ["locations", "contradictions", "sources", "accounting"] {
        assert!(report.get(key).is_some(), "no {key}");
    }
    let o45 = report["locations"].as_array().expect("array").iter().find(|l| l["location"] == "observatory-45");
    let segment = &o45.expect("o45")["timeline"][0];
    for key in ["from", "to", "state", "side", "confidence", "support", "dissent", "basis"] {
        assert!(segment.get(key).is_some(), "segment has no {key}");
    }
    assert_eq!(report["accounting"]["claims"], 59);
    let denial = report["contradictions"].as_array().expect("array").iter().find(|c| c["kind"] == "denial");
    let favoured = &denial.expect("a denial")["favoured"];
    assert!(favoured.is_string() || favoured.is_null());
}

#[test]
fn the_file_and_the_embedded_dataset_give_the_same_report() {
    use frontline::{Analysis, Config, Format};
    let dataset = frontline::data::latakia_2014();
    let analysis = Analysis::new(&dataset, &Config::default(), None);
    for format in Format::ALL {
        let out = run(&["reconcile", &data(), "--format", &format.to_string()]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert_eq!(String::from_utf8(out.stdout).expect("utf-8"), format.render(&analysis), "{format}");
    }
}

/// The options of the picture formats, from the command line to the output.
#[test]
fn the_picture_options_reach_the_pictures() {
    // --at: one GeoJSON feature per located place (5 in Latakia), at that time.
    let out = run(&["reconcile", &data(), "--format", "geojson", "--at", "2014-03-27"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let collection: Value = serde_json::from_slice(&out.stdout).expect("GeoJSON");
    assert_eq!(collection["at"], "2014-03-27T00:00:00Z");
    assert_eq!(collection["features"].as_array().map(Vec::len), Some(5));
    // --locations: those lanes only; --page and --per-page: one of them.
    let lanes = |args: &[&str]| -> Vec<String> {
        let out = run(&[&["reconcile", &data(), "--format", "svg"], args].concat());
        assert!(out.status.success(), "{}", stderr(&out));
        let svg = String::from_utf8(out.stdout).expect("UTF-8");
        svg.match_indices("<g class=\"lane\" data-location=\"")
            .map(|(i, m)| svg[i + m.len()..].split('"').next().unwrap_or("").to_owned())
            .collect()
    };
    let mut two = lanes(&["--locations", "kasab,al-samra"]);
    two.sort();
    assert_eq!(two, ["al-samra", "kasab"]);
    let second = lanes(&["--locations", "kasab,al-samra", "--per-page", "1", "--page", "2"]);
    assert_eq!(second.len(), 1);
    assert!(two.contains(&second[0]));
    // --tiles: map tiles under the HTML map.
    let out = run(&["reconcile", &data(), "--format", "html", "--tiles", "https://tiles.example/{z}/{x}/{y}.png"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("<image href=\"https:&#x2f;&#x2f;tiles.example&#x2f;"));
    // A location the dataset lacks, a page past the last: exit 2, nothing written.
    for args in [["--locations", "atlantis"], ["--page", "2"]] {
        let out = run(&[&["reconcile", &data(), "--format", "svg"], &args[..]].concat());
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
        assert!(stderr(&out).starts_with("error: "), "{}", stderr(&out));
    }
    let out = run(&["reconcile", &data(), "--format", "svg", "--page", "0"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn standard_input_reads_as_a_file_does() {
    let text = std::fs::read(data()).expect("the dataset");
    let from_stdin = run_with_stdin(&["reconcile", "-", "--format", "json"], &text);
    let from_file = run(&["reconcile", &data(), "--format", "json"]);
    assert!(from_stdin.status.success(), "{}", stderr(&from_stdin));
    assert_eq!(from_stdin.stdout, from_file.stdout);
}

#[test]
fn several_files_are_merged_into_one_dataset() {
    // The Latakia dataset split in two: the actors, sources and locations in
    // one file, the claims (and again one actor, identical) in the other.
    let mut whole: Value = serde_json::from_str(frontline::data::LATAKIA_2014_JSON).expect("JSON");
    let claims = whole.as_object_mut().and_then(|sections| sections.remove("claims")).expect("claims");
    let first_actor = whole["actors"][0].clone();
    let parts = temp_file("parts.json", &whole.to_string());
    let claims_file =
        temp_file("claims.json", &serde_json::json!({"actors": [first_actor], "claims": claims}).to_string());
    let (parts_path, claims_path) = (parts.to_str().expect("utf-8"), claims_file.to_str().expect("utf-8"));
    let merged = run(&["reconcile", parts_path, claims_path, "--format", "json"]);
    let single = run(&["reconcile", &data(), "--format", "json"]);
    assert!(merged.status.success(), "{}", stderr(&merged));
    assert_eq!(merged.stdout, single.stdout);

    // The same actor id with another parent in the second file: refused,
    // naming the record and both files.
    let mut changed = whole["actors"][0].clone();
    changed["name"] = Value::from("someone else");
    let conflicting = temp_file("conflict.json", &serde_json::json!({"actors": [changed]}).to_string());
    let out = run(&["reconcile", parts_path, conflicting.to_str().expect("utf-8")]);
    for path in [&parts, &claims_file, &conflicting] {
        let _ = std::fs::remove_file(path);
    }
    assert_eq!(out.status.code(), Some(2));
    let message = stderr(&out);
    let id = whole["actors"][0]["id"].as_str().expect("an id");
    assert!(message.contains(&format!("actor {id:?} (actors[0]) in {}", conflicting.display())), "{message}");
    assert!(message.contains(&format!("differs from the one in {}", parts.display())), "{message}");
}

#[test]
fn as_of_replays_with_fewer_claims() {
    let report = json(&run(&["reconcile", &data(), "--as-of", "2014-03-27", "--format", "json"]));
    assert_eq!(report["as_of"], "2014-03-27");
    assert!(!report["accounting"]["unplaced"].as_array().expect("array").is_empty());
}

#[test]
fn bad_input_exits_2_with_the_record_named_and_no_panic() {
    let path = temp_file(
        "bad.json",
        r#"{"actors": [{"id": "army"}], "sources": [{"id": "tv", "affiliation": "army"}],
            "locations": [{"id": "hill"}],
            "claims": [{"id": "c1", "source": "tv", "location": "hill", "asserts": {"holds": "rebels"}, "when": "2014-03-22"}]}"#,
    );
    let out = run(&["reconcile", path.to_str().expect("utf-8 path")]);
    let _ = std::fs::remove_file(&path);
    assert_eq!(out.status.code(), Some(2));
    let message = stderr(&out);
    assert!(message.contains("claim \"c1\"") && message.contains("rebels"), "{message}");
    assert!(!message.contains("panicked"), "{message}");
    assert!(out.stdout.is_empty());
}

#[test]
fn a_missing_file_malformed_json_and_a_csv_exit_2() {
    let out = run(&["reconcile", "/nonexistent/frontline.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).starts_with("error: /nonexistent/frontline.json: could not read the input"),
        "{}",
        stderr(&out)
    );
    let path = temp_file("malformed.json", "{\"claims\": [");
    let out = run(&["reconcile", path.to_str().expect("utf-8 path")]);
    let _ = std::fs::remove_file(&path);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("line 1"));
    let out = run(&["reconcile", &acled()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("malformed JSON at line 1"), "{}", stderr(&out));
    let out = run(&["reconcile"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn dot_output_renders_with_graphviz() {
    let out = run(&["reconcile", &data(), "--format", "dot"]);
    assert!(out.status.success());
    let dot = String::from_utf8(out.stdout).expect("utf-8");
    assert!(dot.starts_with("digraph frontline {"));
    assert!(dot.contains("subgraph \"cluster_observatory-45\""));
    assert!(dot.contains("label=\"denies\""));
    let graphviz =
        Command::new("dot").arg("-Tsvg").stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn();
    let mut child = match graphviz {
        Ok(child) => child,
        // CI installs graphviz; a developer machine without it checks the text only.
        Err(_) if std::env::var_os("CI").is_none() => return,
        Err(error) => panic!("graphviz's dot is needed in CI: {error}"),
    };
    child.stdin.take().expect("stdin").write_all(dot.as_bytes()).expect("write");
    let rendered = child.wait_with_output().expect("dot runs");
    assert!(rendered.status.success(), "{}", String::from_utf8_lossy(&rendered.stderr));
    assert!(String::from_utf8_lossy(&rendered.stdout).contains("<svg"));
}

#[test]
fn a_closed_pipe_ends_the_output_quietly() {
    // A report far larger than a pipe's buffer.
    let sim = frontline::sim::simulate(&frontline::sim::Scenario::default(), 3);
    let path = temp_file("large.json", &serde_json::to_string(&sim.document).expect("serialises"));
    for format in ["text", "json", "dot", "geojson", "csv", "svg", "html"] {
        let mut child = Command::new(BIN)
            .args(["reconcile", path.to_str().expect("utf-8 path"), "--format", format])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("frontline runs");
        let mut first = [0u8; 16];
        child.stdout.take().expect("stdout").read_exact(&mut first).expect("some output");
        // The pipe closes here, as `| head` closes it.
        let out = child.wait_with_output().expect("it ends");
        assert!(out.status.success(), "{format}: {:?}", out.status);
        assert!(out.stderr.is_empty(), "{format}: {}", stderr(&out));
    }
    let _ = std::fs::remove_file(&path);
}

#[test]
fn validate_accepts_a_good_file() {
    let out = run(&["validate", &data()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let whole: Value = serde_json::from_str(frontline::data::LATAKIA_2014_JSON).expect("JSON");
    let count = |section: &str| whole[section].as_array().expect("a section").len();
    let expected = format!(
        ": ok (59 claims, {} actors, {} sources, {} locations)\n",
        count("actors"),
        count("sources"),
        count("locations")
    );
    assert!(text.ends_with(&expected), "{text}");
}

#[test]
fn validate_lists_every_problem_naming_each_record_up_to_the_limit() {
    let path = temp_file(
        "problems.json",
        r#"{"actors": [{"id": "army"}, {"id": "rebels"}],
            "sources": [{"id": "tv", "affiliation": "army"}],
            "locations": [{"id": "hill", "coords": [95.0, 36.0]}, {"id": "town"}],
            "claims": [
              {"id": "c1", "source": "tv", "location": "town", "asserts": {"holds": "militia"}, "when": "2014-03-22"},
              {"id": "c2", "source": "tv", "location": "town", "asserts": "contested", "when": "2014-13"},
              {"id": "c3", "source": "radio", "location": "town", "asserts": "contested", "when": "2014-03"},
              {"id": "c4", "source": "tv", "location": "town", "asserts": "contested", "when": "2014"}
            ]}"#,
    );
    let file = path.to_str().expect("utf-8 path");
    let out = run(&["validate", file]);
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines,
        [
            format!("{file}: location \"hill\" (locations[0]): `coords` [95, 36] is not a [latitude, longitude] pair"),
            format!("{file}: claim \"c1\" (claims[0]): `asserts.holds` names actor \"militia\", which does not exist"),
            format!(
                "{file}: claim \"c2\" (claims[1]): `when` is \"2014-13\": expected a date (YYYY-MM-DD), a month \
                 (YYYY-MM), a year (YYYY) or an RFC 3339 datetime"
            ),
            format!("{file}: claim \"c3\" (claims[2]): `source` names source \"radio\", which does not exist"),
        ]
        .map(|line| line.to_string()),
        "{text}"
    );
    let out = run(&["validate", file, "--limit", "1"]);
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let _ = std::fs::remove_file(&path);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(text.lines().count(), 2, "{text}");
    assert!(text.ends_with(": stopped at 1 problems (--limit)\n"), "{text}");
}

/// Runs `import` and returns the document and stderr.
fn import(args: &[&str]) -> (Value, String) {
    let out = run(args);
    let message = stderr(&out);
    assert!(out.status.success(), "{message}");
    (serde_json::from_slice(&out.stdout).expect("one JSON document"), message)
}

fn claim<'a>(document: &'a Value, id: &str) -> &'a Value {
    let found = document["claims"].as_array().expect("claims").iter().find(|c| c["id"] == id);
    found.unwrap_or_else(|| panic!("no claim {id}"))
}

#[test]
fn import_acled_maps_every_sub_event_date_form_precision_and_outlet() {
    let (document, message) = import(&["import", "acled", &acled(), "--sides", &sides()]);
    // Territorial sub-events are captures by actor1.
    let overtakes = claim(&document, "SYR1001/SOHR");
    assert_eq!(overtakes["asserts"], serde_json::json!({"captured": "Operation Euphrates Shield"}));
    let regains = claim(&document, "SYR1005/RIA Novosti");
    assert_eq!(regains["asserts"], serde_json::json!({"captured": "Military Forces of Syria (2000-)"}));
    let transfer = claim(&document, "SYR1009/SOHR");
    assert_eq!(transfer["asserts"], serde_json::json!({"captured": "Operation Euphrates Shield"}));
    // A clash is contested; a base is a hold.
    assert_eq!(claim(&document, "SYR1004/SANA")["asserts"], "contested");
    let base = claim(&document, "SYR1008/Hurriyet Daily News");
    assert_eq!(base["asserts"], serde_json::json!({"holds": "Military Forces of Turkey (2016-)"}));
    // Both date forms; precision 1 is the day, 2 the week around it, 3 the month.
    assert_eq!(overtakes["when"], "2016-11-15"); // "15 November 2016"
    assert_eq!(claim(&document, "SYR1004/SOHR")["when"], "2017-02-11"); // "2017-02-11"
    assert_eq!(claim(&document, "SYR1003/SOHR")["when"], serde_json::json!({"from": "2016-11-19", "to": "2016-11-25"}));
    assert_eq!(base["when"], serde_json::json!({"from": "2017-02-01", "to": "2017-02-28"}));
    // timestamp, notes and the event id.
    assert_eq!(overtakes["reported"], "2016-11-16T00:00:00Z");
    assert_eq!(overtakes["cite"], "SYR1001");
    assert!(overtakes["quote"].as_str().expect("a quote").starts_with("On 15 November 2016, Operation Euphrates"));
    assert!(claim(&document, "SYR2004/SOHR").get("reported").is_none());
    // One claim per outlet, each outlet once (Anadolu Agency is named twice).
    let al_bab: Vec<&str> = document["claims"]
        .as_array()
        .expect("claims")
        .iter()
        .filter(|c| c["cite"] == "SYR1006")
        .map(|c| c["source"].as_str().expect("a source"))
        .collect();
    assert_eq!(al_bab, ["Anadolu Agency", "SOHR", "Reuters"]);
    let source = |id: &str| document["sources"].as_array().expect("sources").iter().find(|s| s["id"] == id).cloned();
    assert_eq!(source("Anadolu Agency").expect("Anadolu")["affiliation"], "turkey");
    assert_eq!(source("SOHR").expect("SOHR")["affiliation"], Value::Null);
    // Locations by name under their admin areas, with coordinates.
    let location = document["locations"].as_array().expect("locations").iter().find(|l| l["name"] == "Qabasin");
    let qabasin = location.expect("Qabasin");
    assert_eq!(qabasin["id"], "Syria / Aleppo / Al Bab / Qabasin / Qabasin");
    assert_eq!(qabasin["coords"], serde_json::json!([36.3547, 37.6866]));
    // Mapped actors hang under their side; unmapped ones under their inter code's.
    let actor = |id: &str| document["actors"].as_array().expect("actors").iter().find(|a| a["id"] == id).cloned();
    assert_eq!(actor("Operation Euphrates Shield").expect("OES")["parent"], "turkey");
    assert_eq!(actor("Hamza Division").expect("Hamza")["parent"], "rebel-groups");
    // 20 rows: 15 events of which one names an outlet twice, 27 claims; 3 skipped, 2 ignored.
    assert_eq!(document["claims"].as_array().expect("claims").len(), 27);
    let skipped: Vec<&str> = message.lines().filter(|l| l.starts_with("skipped: ")).collect();
    let csv = acled();
    assert_eq!(
        skipped,
        [
            format!("skipped: {csv}, row 12: `event_date` is \"31 February 2017\", not a date (YYYY-MM-DD or \"22 March 2014\")"),
            format!("skipped: {csv}, row 19: latitude \"366.975\", longitude \"38.9567\" is not a place (latitude within ±90, longitude within ±180)"),
            format!("skipped: {csv}, row 21: actor \"Sultan Murad Division\" is not in the mapping of sides and `inter1` (\"\") names no kind of actor"),
        ]
    );
    assert!(message.contains("ignored: 1 rows of \"Suicide bomb\" (not about control)"), "{message}");
    assert!(message.contains("ignored: 1 rows of \"Shelling/artillery/missile attack\""), "{message}");
    assert!(message.contains("unmapped actor: \"Hamza Division\" -> side \"rebel-groups\""), "{message}");
    assert!(message.contains("unmapped actor: \"Unidentified Armed Group (Syria)\" -> side \"political-militias\""));
    assert!(
        message.contains("imported: 27 claims at 7 locations from 9 sources; 3 rows skipped, 2 ignored"),
        "{message}"
    );
}

#[test]
fn strict_import_fails_on_the_first_unusable_row() {
    let out = run(&["import", "acled", &acled(), "--sides", &sides(), "--strict"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let message = stderr(&out);
    assert!(
        message.starts_with(&format!("error: {}, row 12: `event_date` is \"31 February 2017\"", acled())),
        "{message}"
    );
    assert!(message.trim_end().ends_with("(strict import)"), "{message}");
}

#[test]
fn import_without_the_columns_names_those_missing() {
    let path = temp_file("short.csv", "event_id_cnty,event_date\nSYR1,2014-03-22\n");
    let out = run(&["import", "acled", path.to_str().expect("utf-8 path")]);
    let _ = std::fs::remove_file(&path);
    assert_eq!(out.status.code(), Some(2));
    let message = stderr(&out);
    assert!(message.contains("the header has no column `time_precision`, `sub_event_type`, `actor1`"), "{message}");
}

#[test]
fn import_ucdp_places_each_event_by_its_precision() {
    let (document, message) = import(&["import", "ucdp", &ucdp(), "--sides", &sides()]);
    // where_prec 1: the town; 3: the district; 4: the governorate.
    assert_eq!(
        claim(&document, "ucdp-171002/SANA")["location"],
        "Syria / Aleppo governorate / al-Bab district / Tadef town"
    );
    assert_eq!(claim(&document, "ucdp-171001/AFP")["location"], "Syria / Aleppo governorate / al-Bab district");
    assert_eq!(claim(&document, "ucdp-171004/Xinhua")["location"], "Syria / Aleppo governorate");
    // Contested over date_start..date_end; each office reported on its own date.
    let al_bab = claim(&document, "ucdp-171003/Anadolu Agency");
    assert_eq!(al_bab["asserts"], "contested");
    assert_eq!(al_bab["when"], serde_json::json!({"from": "2017-02-20", "to": "2017-02-23"}));
    assert_eq!(al_bab["reported"], "2017-02-23");
    assert_eq!(claim(&document, "ucdp-171003/SOHR")["reported"], "2017-02-24");
    assert_eq!(claim(&document, "ucdp-171002/SANA")["when"], "2017-02-11");
    assert_eq!(
        claim(&document, "ucdp-190001/Reuters")["when"],
        serde_json::json!({"from": "2019-10-12", "to": "2019-10-13"})
    );
    assert_eq!(document["claims"].as_array().expect("claims").len(), 10);
    let csv = ucdp();
    assert!(message.contains(&format!("skipped: {csv}, row 6: `where_prec` is 6")), "{message}");
    assert!(message
        .contains(&format!("skipped: {csv}, row 8: `date_end` (2017-02-26) is before `date_start` (2017-02-27)")));
    assert!(message.contains("ignored: 1 rows of \"one-sided violence (type_of_violence 3)\""), "{message}");
    assert!(message.contains("unmapped actor: \"PKK\" -> side \"PKK\""), "{message}");
}

/// `frontline import acled x.csv | frontline reconcile -`, two processes and a pipe.
fn import_piped_into_reconcile(layout: &str, csv: &str) -> String {
    let mut importer = Command::new(BIN)
        .args(["import", layout, csv, "--sides", &sides()])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("import runs");
    let pipe = importer.stdout.take().expect("stdout");
    let reconciled = Command::new(BIN).args(["reconcile", "-"]).stdin(pipe).output().expect("reconcile runs");
    assert!(importer.wait().expect("import ends").success());
    assert!(reconciled.status.success(), "{}", stderr(&reconciled));
    String::from_utf8(reconciled.stdout).expect("utf-8")
}

#[test]
fn an_acled_export_piped_into_reconcile_gives_a_timeline() {
    let text = import_piped_into_reconcile("acled", &acled());
    assert!(text.contains("== Al Bab (Syria / Aleppo / Al Bab / Al Bab / Al Bab) =="), "{text}");
    // Qabasin: taken by the rebels on 15 November, retaken by IS on 19 November.
    assert!(text.contains("  15 Nov 2016: isil → turkey  (SYR1001/"), "{text}");
    assert!(text.contains("  19 Nov 2016: turkey → isil  (SYR1002/SOHR"), "{text}");
    assert!(text.contains("Accounting: 27 claims, 27 placed, 0 unplaced."), "{text}");
}

#[test]
fn a_ucdp_export_piped_into_reconcile_gives_a_timeline() {
    let text = import_piped_into_reconcile("ucdp", &ucdp());
    assert!(text.contains("== Tadef town (Syria / Aleppo governorate / al-Bab district / Tadef town) =="), "{text}");
    assert!(text.contains("Accounting: 10 claims, 10 placed, 0 unplaced."), "{text}");
}
