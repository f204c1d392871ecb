//! Writes a synthetic record of diplomatic events as CSV in attache's format, for benchmarks:
//!
//!     cargo run --release --example generate -- 1000000 > events.csv
//!     cargo run --release --example generate -- 1000000 heavy > events.csv
//!
//! The distribution is described in `synthetic/mod.rs` and in BENCHMARKS.md.

#![allow(
    clippy::unwrap_used,
    clippy::cast_possible_truncation,
    clippy::cast_precision_loss,
    reason = "a generator for benchmarks: a failure should stop it, and its random numbers are bounded by the modulo that makes them"
)]

#[allow(dead_code, reason = "the benchmark uses the rest of it")]
mod synthetic;

fn main() {
    let count: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let shape = std::env::args()
        .nth(2)
        .map_or(synthetic::Shape::Flat, |word| {
            synthetic::Shape::parse(&word).expect("the shape is flat or heavy")
        });
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    synthetic::write_csv(count, shape, &mut out).unwrap();
}
