//! The pipeline's stages on generated data (the simulator), at 10 thousand,
//! 100 thousand and 1 million claims: parse+validate (from a string),
//! graph building, reconciliation, and the whole pipeline from JSON text to
//! the JSON report written out.
//!
//! ```text
//! cargo bench --bench pipeline                 # all sizes
//! cargo bench --bench pipeline -- 100000       # one size
//! ```

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use frontline::reconcile::{reconcile, Config};
use frontline::sim::{simulate, Scenario};
use frontline::{graph, Analysis, Dataset, Format};
use std::time::Duration;

fn input(claims: usize) -> String {
    let sim = simulate(&Scenario::sized(claims), 42);
    match serde_json::to_string(&sim.document) {
        Ok(text) => text,
        Err(error) => panic!("the simulator's document serialises: {error}"),
    }
}

fn parse(text: &str) -> Dataset {
    match Dataset::from_json_str(text) {
        Ok(dataset) => dataset,
        Err(error) => panic!("the simulator writes valid datasets: {error}"),
    }
}

fn stages(c: &mut Criterion) {
    let config = Config::default();
    for claims in [10_000usize, 100_000, 1_000_000] {
        let text = input(claims);
        let dataset = parse(&text);
        let n = dataset.claims().len() as u64;
        let mut group = c.benchmark_group("pipeline");
        group.throughput(Throughput::Elements(n));
        group.sample_size(10);
        group.measurement_time(Duration::from_secs(if claims >= 1_000_000 { 60 } else { 10 }));
        // The stages' results are dropped outside the timing.
        group.bench_with_input(BenchmarkId::new("parse_validate", claims), &text, |b, text| {
            b.iter_with_large_drop(|| parse(text))
        });
        group.bench_with_input(BenchmarkId::new("graphs", claims), &dataset, |b, d| {
            b.iter_with_large_drop(|| graph::build_all(d))
        });
        group.bench_with_input(BenchmarkId::new("reconcile", claims), &dataset, |b, d| {
            b.iter_with_large_drop(|| reconcile(d, &config))
        });
        // As the command line does it: the report streamed to a writer.
        group.bench_with_input(BenchmarkId::new("json_to_json", claims), &text, |b, text| {
            b.iter(|| {
                let dataset = parse(text);
                let analysis = Analysis::new(&dataset, &config, None);
                Format::Json.write(&analysis, &mut std::io::sink())
            })
        });
        group.finish();
    }
}

criterion_group!(benches, stages);
criterion_main!(benches);
