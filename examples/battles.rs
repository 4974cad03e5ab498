//! Scores the reconciliation on the real battles in `data/` against the
//! expectations written from each article's text (`data/*.expect.json`).
//!
//! ```text
//! cargo run --release --example battles [-- --misses]
//! ```
//!
//! For each battle: the documented changes of control found by the
//! reconciled reversals within a day (and by the naive replay baseline),
//! the end states right at the end of their day, and the contradicting
//! pairs of claims found in the control graphs. `--misses` lists what was
//! missed, with the article's sentence.

use frontline::reconcile::ControlState;
use frontline::score::{score_battle, Expectations};
use frontline::{Analysis, Config, Dataset};
use std::path::{Path, PathBuf};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let misses = std::env::args().any(|a| a == "--misses");
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&data)?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".expect.json"))
        .collect();
    files.sort();
    println!(
        "{:<24} {:>7} {:>6} {:>14} {:>14} {:>11} {:>14}",
        "battle", "claims", "sides", "changes found", "replay finds", "end states", "contradictions"
    );
    for file in files {
        let expected: Expectations =
            serde_json::from_str(&std::fs::read_to_string(&file)?).map_err(|e| format!("{}: {e}", file.display()))?;
        let dataset = Dataset::from_json_file(data.join(&expected.dataset))?;
        let resolved = expected.resolve(&dataset).map_err(|e| format!("{}: {e}", file.display()))?;
        let analysis = Analysis::new(&dataset, &Config::default(), None);
        let score = score_battle(&dataset, &resolved, analysis.graphs(), analysis.reconciliation());
        let name = expected.dataset.trim_end_matches(".json");
        let ratio = |a: usize, b: usize| format!("{a}/{b} {:>3.0}%", 100.0 * a as f64 / b.max(1) as f64);
        println!(
            "{:<24} {:>7} {:>6} {:>14} {:>14} {:>11} {:>14}",
            name,
            dataset.claims().len(),
            dataset.sides().len(),
            ratio(score.changes.matched, score.changes.known),
            ratio(score.replay_changes.matched, score.replay_changes.known),
            format!("{}/{}", score.end_states_right, resolved.end_states.len()),
            format!("{}/{}", score.contradictions_found, resolved.contradictions.len()),
        );
        if misses {
            for &i in &score.missed_changes {
                let c = &expected.changes[i];
                let from = c.from.as_deref().unwrap_or("?");
                println!("    missed change: {} {} {} -> {}: {}", c.location, c.day, from, c.to, c.quote);
            }
            for (i, given) in &score.wrong_end_states {
                let e = &expected.end_states[*i];
                let want = e.side.as_deref().unwrap_or("contested");
                let got = match given {
                    ControlState::Held(side) => dataset.actor(*side).id(),
                    ControlState::Contested => "contested",
                    ControlState::Unknown => "unknown",
                };
                println!("    wrong end state: {} at {}: {want} expected, got {got}", e.location, e.at);
            }
            for &i in &score.missed_contradictions {
                let c = &expected.contradictions[i];
                println!("    missed contradiction: {} / {}: {}", c.claims[0], c.claims[1], c.note);
            }
        }
    }
    Ok(())
}
