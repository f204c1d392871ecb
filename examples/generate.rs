//! Writes a synthetic record of diplomatic events as CSV in attache's format, for benchmarks:
//!
//!     cargo run --release --example generate -- 1000000 > bench-data/events.csv
//!
//! The output depends only on the count: the same count gives the same file.

#![allow(
    clippy::unwrap_used,
    clippy::cast_possible_truncation,
    reason = "a generator for benchmarks: a failure should stop it, and its random numbers are bounded by the modulo that makes them"
)]

use std::io::{BufWriter, Write};

/// A small deterministic generator (SplitMix64), so that benchmarks are repeatable without a
/// random-number crate.
struct Mix(u64);

impl Mix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const COUNTRIES: [&str; 16] = [
    "RU", "US", "TR", "SA", "AE", "CN", "FR", "DE", "GB", "IN", "BR", "JP", "UA", "QA", "EG", "MY",
];
const CITIES: [&str; 16] = [
    "Moscow",
    "Washington",
    "Istanbul",
    "Riyadh",
    "Abu Dhabi",
    "Beijing",
    "Paris",
    "Berlin",
    "London",
    "New Delhi",
    "Brasília",
    "Tokyo",
    "Kyiv",
    "Doha",
    "Cairo",
    "Kuala Lumpur",
];
const FIRST: [&str; 12] = [
    "Anna", "Boris", "Carla", "Dmitry", "Elena", "Farid", "Grace", "Hiro", "Ivan", "Julia",
    "Karim", "Lena",
];
const LAST: [&str; 16] = [
    "Petrov",
    "Smith",
    "Yilmaz",
    "Al-Saud",
    "Haddad",
    "Wang",
    "Martin",
    "Müller",
    "Jones",
    "Sharma",
    "Silva",
    "Tanaka",
    "Kovalenko",
    "Al-Thani",
    "Mansour",
    "Rahman",
];
const KINDS: [&str; 5] = ["meeting", "talks", "visit", "summit", "call"];
const TOPICS: [&str; 8] = [
    "energy",
    "trade",
    "security",
    "embassies",
    "grain",
    "prisoners",
    "sanctions",
    "shipping",
];

fn person(mix: &mut Mix) -> (String, usize) {
    let id = mix.below(4000) as usize;
    let country = id % COUNTRIES.len();
    let name = format!("{} {} {}", FIRST[id % FIRST.len()], LAST[country], id);
    (name, country)
}

fn main() {
    let count: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let mut mix = Mix(count as u64);
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    writeln!(out, "id,date,end_date,circa,title,kind,mode,status,city,country,venue,participants,sources,notes,ordinal").unwrap();
    for i in 0..count {
        let year = 1990 + mix.below(36);
        let month = 1 + mix.below(12);
        let day = 1 + mix.below(28);
        let date = match mix.below(20) {
            0 => format!("{year}"),
            1 | 2 => format!("{year}-{month:02}"),
            _ => format!("{year}-{month:02}-{day:02}"),
        };
        let kind = KINDS[mix.below(KINDS.len() as u64) as usize];
        let mode = if kind == "call" { "phone" } else { "in-person" };
        let status =
            ["confirmed", "confirmed", "reported", "planned", "cancelled"][mix.below(5) as usize];
        let place = mix.below(CITIES.len() as u64) as usize;
        let (a, side_a) = person(&mut mix);
        let (mut b, mut side_b) = person(&mut mix);
        if side_b == side_a {
            side_b = (side_a + 1) % COUNTRIES.len();
            b = format!(
                "{} {} {}",
                FIRST[i % FIRST.len()],
                LAST[side_b],
                4000 + side_b
            );
        }
        let mut participants =
            format!("{a} ({})*; {b} ({})*", COUNTRIES[side_a], COUNTRIES[side_b]);
        if mix.below(3) == 0 {
            let (c, _) = person(&mut mix);
            if c != a && c != b {
                participants.push_str(&format!("; {c} ({})", COUNTRIES[side_a]));
            }
        }
        let topic = TOPICS[mix.below(TOPICS.len() as u64) as usize];
        let uuid = format!(
            "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
            mix.next() as u32,
            mix.below(1 << 16),
            mix.below(1 << 12),
            mix.below(1 << 12),
            mix.below(1 << 48)
        );
        writeln!(
            out,
            "{uuid},{date},,false,Talks on {topic} in {city},{kind},{mode},{status},{city},{country},,{participants},Wire <https://example.org/{i}>,,",
            city = CITIES[place],
            country = COUNTRIES[place],
        )
        .unwrap();
    }
}
