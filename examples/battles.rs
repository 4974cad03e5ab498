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
//!
//! A documented change whose text does not say who held the place before
//! (`from` null) can only be found by a reversal, and a reversal needs a
//! holder before it: where the timeline has none (the place is contested
//! or unknown from its first claim until the new side holds it), the
//! reconciliation shows the documented change and the reversals cannot.
//! The column `+first holds` counts, besides the changes found, those
//! documented changes with no `from` that a timeline's first held segment
//! after no holder matches (same side, within a day, one to one): a
//! separate figure, so that both readings are in view.

use frontline::reconcile::ControlState;
use frontline::reconcile::Timeline;
use frontline::score::{match_changes, score_battle, Change, Expectations};
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
        "{:<24} {:>7} {:>6} {:>14} {:>13} {:>14} {:>11} {:>14}",
        "battle", "claims", "sides", "changes found", "+first holds", "replay finds", "end states", "contradictions"
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
        // Missed changes with no `from`, against the first holds after no holder.
        let unknown_from: Vec<usize> =
            score.missed_changes.iter().copied().filter(|&i| resolved.changes[i].from.is_none()).collect();
        let known: Vec<Change> = unknown_from.iter().map(|&i| resolved.changes[i]).collect();
        let mut locations: Vec<_> = known.iter().map(|c| c.location).collect();
        locations.sort_unstable();
        locations.dedup();
        let holds: Vec<Change> =
            locations.iter().filter_map(|&l| first_hold(analysis.reconciliation().timeline(l))).collect();
        let by_first_holds: Vec<usize> =
            match_changes(&known, &holds).iter().zip(&unknown_from).filter_map(|(m, &i)| m.map(|_| i)).collect();
        println!(
            "{:<24} {:>7} {:>6} {:>14} {:>13} {:>14} {:>11} {:>14}",
            name,
            dataset.claims().len(),
            dataset.sides().len(),
            ratio(score.changes.matched, score.changes.known),
            ratio(score.changes.matched + by_first_holds.len(), score.changes.known),
            ratio(score.replay_changes.matched, score.replay_changes.known),
            format!("{}/{}", score.end_states_right, resolved.end_states.len()),
            format!("{}/{}", score.contradictions_found, resolved.contradictions.len()),
        );
        if misses {
            for &i in &score.missed_changes {
                let c = &expected.changes[i];
                let from = c.from.as_deref().unwrap_or("?");
                let note = if by_first_holds.contains(&i) { " (shown as the first hold after no holder)" } else { "" };
                println!("    missed change{note}: {} {} {} -> {}: {}", c.location, c.day, from, c.to, c.quote);
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

/// The timeline's first held segment, when no side holds the place before
/// it (contested or unknown from the start), as a change from nobody known.
fn first_hold(timeline: &Timeline) -> Option<Change> {
    let segment = timeline.segments.iter().find(|s| matches!(s.state, ControlState::Held(_)))?;
    let ControlState::Held(to) = segment.state else { return None };
    let first = timeline.segments.first()?;
    if first.from == segment.from {
        return None;
    }
    let window = frontline::model::Window::new(segment.from, segment.from + chrono::TimeDelta::nanoseconds(1))?;
    Some(Change { location: timeline.location, window, from: None, to })
}
