use frontline::reconcile::{reconcile, Config};
use frontline::Dataset;
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let d = Dataset::from_json_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let r = reconcile(&d, &Config::default());
    for l in d.location_ids() {
        println!("{} rate {:.4} reversals {}", d.location(l).id(), r.change_rate(l), r.timeline(l).reversals.len());
    }
    for s in r.sources() {
        println!("{} acc {:.3}", d.source(s.source).id(), s.accuracy);
    }
}
