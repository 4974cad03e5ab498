//! The example programs, run as a user runs them (`cargo test` builds them
//! into `target/<profile>/examples/`).

use std::path::PathBuf;
use std::process::{Command, Output};

fn example(name: &str) -> PathBuf {
    // The test binary is `target/<profile>/deps/lib-<hash>`.
    let exe = std::env::current_exe().expect("the test binary's path");
    let profile = exe.parent().and_then(|deps| deps.parent()).expect("target/<profile>");
    let path = profile.join("examples").join(name);
    assert!(path.exists(), "{} is not built; run `cargo test`, which builds the examples", path.display());
    path
}

fn run(name: &str, args: &[&str]) -> Output {
    Command::new(example(name)).args(args).output().expect("the example runs")
}

fn data() -> String {
    concat!(env!("CARGO_MANIFEST_DIR"), "/data/latakia-2014.json").to_owned()
}

fn temp_file(name: &str, text: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!("frontline-{}-{name}", std::process::id()));
    std::fs::write(&path, text).expect("write");
    path
}

#[test]
fn latakia_prints_the_text_report() {
    let out = run("latakia", &[]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(text.contains("== Observatory 45 (observatory-45) =="), "{text}");
    assert!(text.contains("Timeline:") && text.contains("Reversals (") && text.contains("Contradictions ("));
    assert!(
        text.contains("denies Syrian state TV's claim of 31 Mar 2014 that Syrian Arab Army captured Observatory 45")
    );
    assert!(text.contains("Accounting: 59 claims, 59 placed, 0 unplaced."), "{text}");
}

#[test]
fn reconcile_json_has_the_keys_of_the_contract() {
    let out = run("reconcile", &[&data(), "--format", "json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
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
    assert!(denial.expect("a denial")["favoured"].is_string() || denial.expect("a denial")["favoured"].is_null());
}

#[test]
fn the_latakia_example_and_reconcile_agree() {
    let a = run("latakia", &["--format", "json"]);
    let b = run("reconcile", &[&data(), "--format", "json"]);
    assert!(a.status.success() && b.status.success());
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn as_of_replays_with_fewer_claims() {
    let out = run("reconcile", &[&data(), "--as-of", "2014-03-27", "--format", "json"]);
    assert!(out.status.success());
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
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
    let out = run("reconcile", &[path.to_str().expect("utf-8 path")]);
    let _ = std::fs::remove_file(&path);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("claim \"c1\"") && stderr.contains("rebels"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(out.stdout.is_empty());
}

#[test]
fn a_missing_file_and_malformed_json_exit_2() {
    let out = run("reconcile", &["/nonexistent/frontline.json"]);
    assert_eq!(out.status.code(), Some(2));
    let path = temp_file("malformed.json", "{\"claims\": [");
    let out = run("reconcile", &[path.to_str().expect("utf-8 path")]);
    let _ = std::fs::remove_file(&path);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("line 1"));
}

#[test]
fn dot_output_renders_with_graphviz() {
    let out = run("reconcile", &[&data(), "--format", "dot"]);
    assert!(out.status.success());
    let dot = String::from_utf8(out.stdout).expect("utf-8");
    assert!(dot.starts_with("digraph frontline {"));
    assert!(dot.contains("subgraph \"cluster_observatory-45\""));
    assert!(dot.contains("label=\"denies\""));
    let graphviz = Command::new("dot")
        .arg("-Tsvg")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn();
    let mut child = match graphviz {
        Ok(child) => child,
        // CI installs graphviz; a developer machine without it checks the text only.
        Err(_) if std::env::var_os("CI").is_none() => return,
        Err(error) => panic!("graphviz's dot is needed in CI: {error}"),
    };
    use std::io::Write;
    child.stdin.take().expect("stdin").write_all(dot.as_bytes()).expect("write");
    let rendered = child.wait_with_output().expect("dot runs");
    assert!(rendered.status.success(), "{}", String::from_utf8_lossy(&rendered.stderr));
    assert!(String::from_utf8_lossy(&rendered.stdout).contains("<svg"));
}

#[test]
fn a_closed_pipe_ends_the_output_quietly() {
    use std::io::Read;
    // A report far larger than a pipe's buffer.
    let sim = frontline::sim::simulate(&frontline::sim::Scenario::default(), 3);
    let path = temp_file("large.json", &serde_json::to_string(&sim.document).expect("serialises"));
    for format in ["text", "json", "dot", "geojson", "csv", "svg", "html"] {
        let mut child = Command::new(example("reconcile"))
            .args([path.to_str().expect("utf-8 path"), "--format", format])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("the example runs");
        let mut first = [0u8; 16];
        child.stdout.take().expect("stdout").read_exact(&mut first).expect("some output");
        // The pipe closes here, as `| head` closes it.
        let out = child.wait_with_output().expect("it ends");
        assert!(out.status.success(), "{format}: {:?}", out.status);
        assert!(out.stderr.is_empty(), "{format}: {}", String::from_utf8_lossy(&out.stderr));
    }
    let _ = std::fs::remove_file(&path);
}
