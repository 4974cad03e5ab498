use frontline::reconcile::{reconcile, Config, ControlState};
use frontline::score::{self, match_changes};
use frontline::sim::Narrative;
use frontline::Dataset;
use std::collections::BTreeMap;

fn main() {
    let mut cats: BTreeMap<String, usize> = BTreeMap::new();
    let mut missed: BTreeMap<String, usize> = BTreeMap::new();
    let verbose = std::env::args().any(|a| a == "-v");
    for seed in 1..=5u64 {
        let sim = Narrative::default().simulate(seed);
        let dataset = Dataset::from_document(sim.document.clone()).unwrap();
        let result = reconcile(&dataset, &Config::default());
        if seed == 1 {
            for s in result.sources() {
                println!(
                    "{} acc {:.3} rel {:.3} claims {}",
                    dataset.source(s.source).id(),
                    s.accuracy,
                    s.reliability,
                    s.claims
                );
            }
        }
        for (l, location) in dataset.location_ids().enumerate() {
            let Some((first, _)) = score::claim_days(&dataset, location) else { continue };
            let truth = &sim.truth[l];
            let offset = usize::try_from((first - sim.start).num_days()).unwrap_or(0);
            let t: Vec<ControlState> = truth.days.iter().skip(offset).filter_map(|&s| s.in_dataset(&dataset)).collect();
            let known = score::daily_changes(location, first, &t);
            let timeline = result.timeline(location);
            let found = score::reversals(timeline);
            let m = match_changes(&known, &found);
            let mut taken = vec![false; found.len()];
            for (i, x) in m.iter().enumerate() {
                if let Some(j) = x {
                    taken[*j] = true;
                } else {
                    // what claims exist near the missed change
                    let day = known[i].window.start();
                    let near: Vec<String> = dataset
                        .claims_at(location)
                        .iter()
                        .filter(|&&c| {
                            let w = dataset.claim(c).window();
                            (w.start() - day).num_days().abs() <= 1
                        })
                        .map(|&c| {
                            let cl = dataset.claim(c);
                            format!("{}:{}", dataset.source(cl.source()).id(), cl.asserts().keyword())
                        })
                        .collect();
                    let key = if near.is_empty() { "none".to_string() } else { near.join(",") };
                    *missed
                        .entry(if near.is_empty() { "no claim within a day".into() } else { "claims".into() })
                        .or_default() += 1;
                    if verbose {
                        println!("MISS seed {seed} {} {} near: {key}", dataset.location(location).id(), day);
                    }
                }
            }
            for (j, r) in timeline.reversals.iter().enumerate() {
                if taken[j] {
                    continue;
                }
                let strongest = r
                    .claims
                    .iter()
                    .map(|&c| {
                        let cl = dataset.claim(c);
                        let src = dataset.source(cl.source());
                        let serving =
                            src.side().is_some_and(|s| Some(s) == cl.asserts().actor().map(|a| dataset.side_of(a)));
                        format!(
                            "{}{}:{}",
                            if src.id().contains("000") {
                                "narrator"
                            } else if src.id().contains("001") {
                                "monitor"
                            } else {
                                "outlet"
                            },
                            if serving { "(serving)" } else { "" },
                            cl.asserts().keyword()
                        )
                    })
                    .collect::<Vec<_>>();
                let mut s = strongest.clone();
                s.sort();
                s.dedup();
                *cats.entry(s.join(",")).or_default() += 1;
                if verbose {
                    println!("FP seed {seed} {} {} {:?}", dataset.location(location).id(), r.at, strongest);
                }
            }
        }
    }
    let mut v: Vec<_> = cats.into_iter().collect();
    v.sort_by_key(|x| std::cmp::Reverse(x.1));
    for (k, n) in v.iter().take(25) {
        println!("{n:5} {k}");
    }
    println!("missed: {missed:?}");
}
