//! The example programs, run as a user runs them (`cargo test` builds them
//! into `target/<profile>/examples/`). The command line `frontline` has its
//! own tests, in `cli/tests/`.

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
fn the_reconcile_example_prints_the_same_report_from_the_file() {
    let a = run("latakia", &[]);
    let b = run("reconcile", &[&data()]);
    assert!(a.status.success() && b.status.success(), "{}", String::from_utf8_lossy(&b.stderr));
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn the_reconcile_example_names_the_bad_record_and_exits_2() {
    let path = temp_file(
        "bad-example.json",
        r#"{"actors": [{"id": "army"}], "sources": [{"id": "tv", "affiliation": "army"}],
            "locations": [{"id": "hill"}],
            "claims": [{"id": "c1", "source": "tv", "location": "hill", "asserts": {"holds": "rebels"}, "when": "2014-03-22"}]}"#,
    );
    let out = run("reconcile", &[path.to_str().expect("utf-8 path")]);
    let _ = std::fs::remove_file(&path);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("claim \"c1\"") && stderr.contains("rebels"), "{stderr}");
    assert!(out.stdout.is_empty());
}
