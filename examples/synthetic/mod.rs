//! A synthetic record of diplomatic events, heavy-tailed the way real diplomacy is: a few people
//! take part in thousands of events, most in a handful. Shared by the `generate` and `bench`
//! examples; the output depends only on the count, so the same count gives the same file.
//!
//! - People: `count / 50` (at least 60), drawn with Zipf-like weights `1 / rank^s`. In the
//!   flat shape `s` is 0.5, so that the busiest person is in about 4.4% of all events at 100,000
//!   events and 1.4% at a million (the weights flatten as people grow with the count); in the
//!   heavy shape `s` is chosen for each count so that the busiest person stays in about 5% of
//!   all events at every size, as the busiest envoys of a real archive do.
//! - Events: two sides, each headed by its first member (marked `*` where the side has more than
//!   one), 2 to 6 participants; one meeting in twenty is between a head and their usual
//!   counterpart (the next busiest person from another country), so that the busiest pair of
//!   heads meets about 50 times per 100,000 events; 1 to 3 sources; dates over 35 years (1991–2025), 90% to the day,
//!   7% to the month, 3% to the year; 15% phone and 5% video calls, and every fiftieth event, when in
//!   person, a stopover; 10% planned, 5% cancelled.
//! - Names: Latin for most countries, Cyrillic for Russia and Ukraine ("Анна Петрова 12").

use std::io::Write;

/// A small deterministic generator (SplitMix64), so that benchmarks are repeatable without a
/// random-number crate.
pub struct Mix(u64);

impl Mix {
    pub fn new(seed: u64) -> Mix {
        Mix(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

const COUNTRIES: [(&str, &str); 16] = [
    ("RU", "Moscow"),
    ("US", "Washington"),
    ("TR", "Istanbul"),
    ("SA", "Riyadh"),
    ("AE", "Abu Dhabi"),
    ("CN", "Beijing"),
    ("FR", "Paris"),
    ("DE", "Berlin"),
    ("GB", "London"),
    ("IN", "New Delhi"),
    ("BR", "Brasília"),
    ("JP", "Tokyo"),
    ("UA", "Kyiv"),
    ("QA", "Doha"),
    ("EG", "Cairo"),
    ("MY", "Kuala Lumpur"),
];
const FIRST: [&str; 8] = [
    "Anna", "Boris", "Carla", "Farid", "Grace", "Hiro", "Julia", "Karim",
];
const FIRST_CYRILLIC: [&str; 8] = [
    "Анна",
    "Борис",
    "Дмитрий",
    "Елена",
    "Иван",
    "Юлия",
    "Сергей",
    "Ольга",
];
const LAST: [&str; 16] = [
    "Петров",
    "Smith",
    "Yılmaz",
    "Al-Saud",
    "Haddad",
    "Wang",
    "Martin",
    "Müller",
    "Jones",
    "Sharma",
    "Silva",
    "Tanaka",
    "Коваленко",
    "Al-Thani",
    "Mansour",
    "Rahman",
];
const KINDS: [&str; 4] = ["meeting", "talks", "visit", "summit"];
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
const OUTLETS: [&str; 6] = [
    "TASS",
    "Reuters",
    "RIA Novosti",
    "AP",
    "Коммерсантъ",
    "Anadolu",
];

/// How participation is spread over people (see the module's header).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Flat,
    Heavy,
}

impl Shape {
    pub fn name(self) -> &'static str {
        match self {
            Shape::Flat => "flat",
            Shape::Heavy => "heavy",
        }
    }

    pub fn parse(word: &str) -> Option<Shape> {
        match word {
            "flat" => Some(Shape::Flat),
            "heavy" => Some(Shape::Heavy),
            _ => None,
        }
    }

    /// The exponent of the weights for `people` people.
    fn exponent(self, people: usize) -> f64 {
        let total = |s: f64| (1..=people).map(|r| 1.0 / (r as f64).powf(s)).sum::<f64>();
        match self {
            Shape::Flat => 0.5,
            // The busiest person takes one draw in 78 (about 5% of events, each drawing about
            // four people), found by bisection: the total falls as the exponent rises.
            Shape::Heavy => {
                let (mut low, mut high) = (0.0, 2.0);
                for _ in 0..40 {
                    let middle = (low + high) / 2.0;
                    if total(middle) > 78.0 {
                        low = middle;
                    } else {
                        high = middle;
                    }
                }
                (low + high) / 2.0
            }
        }
    }
}

/// Who may be drawn: names, home countries, and the cumulative Zipf-like weights.
pub struct People {
    names: Vec<String>,
    countries: Vec<usize>,
    cumulative: Vec<f64>,
}

impl People {
    pub fn new(events: usize, shape: Shape) -> People {
        let count = (events / 50).max(60);
        let exponent = shape.exponent(count);
        let mut names = Vec::with_capacity(count);
        let mut countries = Vec::with_capacity(count);
        let mut cumulative = Vec::with_capacity(count);
        let mut total = 0.0;
        for rank in 0..count {
            let country = (rank * 7 + rank / 16) % COUNTRIES.len();
            let cyrillic = matches!(COUNTRIES[country].0, "RU" | "UA");
            let first = if cyrillic {
                FIRST_CYRILLIC[rank % FIRST_CYRILLIC.len()]
            } else {
                FIRST[rank % FIRST.len()]
            };
            names.push(format!("{first} {} {rank}", LAST[country]));
            countries.push(country);
            total += 1.0 / ((rank + 1) as f64).powf(exponent);
            cumulative.push(total);
        }
        People {
            names,
            countries,
            cumulative,
        }
    }

    pub fn draw(&self, mix: &mut Mix) -> usize {
        let total = self.cumulative.last().copied().unwrap_or(1.0);
        let target = mix.unit() * total;
        self.cumulative
            .partition_point(|w| *w < target)
            .min(self.names.len() - 1)
    }

    /// The busiest person's name: rank 0 draws most.
    pub fn busiest(&self) -> &str {
        &self.names[0]
    }

    /// The busiest pair of heads: rank 0 and the usual counterpart.
    pub fn busiest_pair(&self) -> (&str, &str) {
        (&self.names[0], &self.names[self.counterpart(0)])
    }

    /// Someone's usual counterpart: the next busiest person from another country.
    fn counterpart(&self, person: usize) -> usize {
        (person + 1..self.names.len())
            .chain(0..person)
            .find(|p| self.countries[*p] != self.countries[person])
            .unwrap_or(person)
    }

    pub fn name(&self, rank: usize) -> &str {
        &self.names[rank]
    }
}

/// Writes `count` events of this shape as CSV in attache's import format.
pub fn write_csv(count: usize, shape: Shape, out: &mut impl Write) -> std::io::Result<()> {
    let people = People::new(count, shape);
    let mut mix = Mix::new(count as u64);
    writeln!(
        out,
        "id,date,end_date,circa,title,kind,mode,status,city,country,venue,participants,sources,notes,ordinal"
    )?;
    let mut writer = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(out);
    for i in 0..count {
        let year = 1991 + mix.below(35);
        let month = 1 + mix.below(12);
        let day = 1 + mix.below(28);
        let date = match mix.below(100) {
            0..=2 => format!("{year}"),
            3..=9 => format!("{year}-{month:02}"),
            _ => format!("{year}-{month:02}-{day:02}"),
        };
        let circa = mix.below(50) == 0;
        let (mode, kind) = match mix.below(20) {
            0..=2 => ("phone", "call"),
            3 => ("video", "call"),
            // Every fiftieth event, when in person, is a stopover on the way (part of a trip,
            // never a visit or a meeting); chosen by number, so that the rest of the record is
            // what it was before stopovers.
            _ if i % 50 == 0 => ("in-person", "stopover"),
            _ => ("in-person", KINDS[mix.below(KINDS.len() as u64) as usize]),
        };
        let status = match mix.below(20) {
            0 | 1 => "planned",
            2 => "cancelled",
            3..=8 => "reported",
            _ => "confirmed",
        };
        let first = people.draw(&mut mix);
        // Heads keep regular counterparts: one meeting in twenty is with the usual one.
        let mut second = if mix.below(20) == 0 {
            people.counterpart(first)
        } else {
            people.draw(&mut mix)
        };
        let mut tries = 0;
        while people.countries[second] == people.countries[first] && tries < 20 {
            second = people.draw(&mut mix);
            tries += 1;
        }
        if people.countries[second] == people.countries[first] {
            second = people.counterpart(first);
        }
        let mut sides: [Vec<usize>; 2] = [vec![first], vec![second]];
        let extra = mix.below(5);
        for _ in 0..extra {
            let other = people.draw(&mut mix);
            let side = if people.countries[other] == people.countries[first] {
                0
            } else if people.countries[other] == people.countries[second] {
                1
            } else {
                mix.below(2) as usize
            };
            if !sides.iter().flatten().any(|p| *p == other) {
                sides[side].push(other);
            }
        }
        let mut participants = Vec::new();
        for side in &sides {
            let code = COUNTRIES[people.countries[side[0]]].0;
            for (n, member) in side.iter().enumerate() {
                let head = if n == 0 && side.len() > 1 { "*" } else { "" };
                participants.push(format!("{} ({code}){head}", people.name(*member)));
            }
        }
        let host = if mode == "in-person" {
            people.countries[if mix.below(2) == 0 { first } else { second }]
        } else {
            people.countries[first]
        };
        let (country, city) = COUNTRIES[host];
        let topic = TOPICS[mix.below(TOPICS.len() as u64) as usize];
        let sources: Vec<String> = (0..1 + mix.below(3))
            .map(|s| {
                let outlet = OUTLETS[mix.below(OUTLETS.len() as u64) as usize];
                format!("{outlet} <https://example.org/{i}/{s}>")
            })
            .collect();
        let uuid = format!(
            "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
            mix.next() & 0xffff_ffff,
            mix.below(1 << 16),
            mix.below(1 << 12),
            mix.below(1 << 12),
            mix.below(1 << 48)
        );
        let surname = |p: usize| people.name(p).split(' ').nth(1).unwrap_or("").to_string();
        let title = format!("{}–{} talks on {topic}", surname(first), surname(second));
        let notes = if mix.below(10) == 0 {
            "Стороны обсудили «широкий круг вопросов»."
        } else {
            ""
        };
        let (place_city, place_country) = if mode == "in-person" {
            (city, country)
        } else {
            ("", "")
        };
        writer.write_record([
            uuid.as_str(),
            &date,
            "",
            if circa { "true" } else { "false" },
            &title,
            kind,
            mode,
            status,
            place_city,
            place_country,
            "",
            &participants.join("; "),
            &sources.join("; "),
            notes,
            "",
        ])?;
    }
    writer.flush()?;
    Ok(())
}
