//! Writes per second and search latency on existing records, one or more databases side by
//! side (a SQLite file, a postgres:// address), for docs/scaling.md:
//!
//!     cargo run --release --example scaling -- m.db postgres://attache@127.0.0.1/m
//!
//! Each write is one `add_event` in its own transaction, as `attache add` makes it (without
//! starting a process); the events written are deleted again at the end. Searches and pages
//! are timed warm, median of seven runs.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a benchmark fails loudly"
)]

use std::time::{Duration, Instant};

use attache::domain::{Country, DraftParticipant, EventDraft, FuzzyDate};
use attache::store::{EventFilter, NewPeople, Order, Store};

fn open(db: &str) -> Store {
    Store::open_any(std::path::Path::new(db)).unwrap()
}

fn draft(title: &str, a: &str, b: &str) -> EventDraft {
    let mut draft = EventDraft::new(FuzzyDate::parse_iso("2026-01-22").unwrap(), title);
    draft.participants = vec![
        DraftParticipant {
            name: a.to_string(),
            side: Country::parse("RU").unwrap(),
            head: true,
        },
        DraftParticipant {
            name: b.to_string(),
            side: Country::parse("US").unwrap(),
            head: true,
        },
    ];
    draft
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn timed(mut work: impl FnMut()) -> Duration {
    let times = (0..7)
        .map(|_| {
            let start = Instant::now();
            work();
            start.elapsed()
        })
        .collect();
    median(times)
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let databases: Vec<String> = std::env::args().skip(1).collect();
    assert!(!databases.is_empty(), "usage: scaling DB [DB...]");
    for db in &databases {
        let mut store = open(db);
        let everything = EventFilter::default();
        let events = store.event_count(&everything).unwrap();
        let busiest = store.most_active(&everything, 2).unwrap();
        let (a, b) = (busiest[0].1.clone(), busiest[1].1.clone());
        println!("{} ({} events)", store.label(), events);

        let mut written = Vec::new();
        let single = 300;
        let start = Instant::now();
        for i in 0..single {
            let id = store
                .add_event(
                    &draft(&format!("scaling single {i}"), &a, &b),
                    NewPeople::Refuse,
                )
                .unwrap();
            written.push(id);
        }
        let elapsed = start.elapsed();
        println!(
            "  one writer: {single} adds in {:.1} s = {:.0} writes/s",
            elapsed.as_secs_f64(),
            single as f64 / elapsed.as_secs_f64()
        );
        for writers in [4, 8] {
            let each = 100;
            let start = Instant::now();
            let ids: Vec<i64> = std::thread::scope(|scope| {
                let threads: Vec<_> = (0..writers)
                    .map(|w| {
                        let (db, a, b) = (db.clone(), a.clone(), b.clone());
                        scope.spawn(move || {
                            let mut store = open(&db);
                            (0..each)
                                .map(|i| {
                                    store
                                        .add_event(
                                            &draft(&format!("scaling {w}/{i}"), &a, &b),
                                            NewPeople::Refuse,
                                        )
                                        .unwrap()
                                })
                                .collect::<Vec<_>>()
                        })
                    })
                    .collect();
                threads
                    .into_iter()
                    .flat_map(|t| t.join().unwrap())
                    .collect()
            });
            let elapsed = start.elapsed();
            written.extend(ids);
            println!(
                "  {writers} writers at once: {} adds in {:.1} s = {:.0} writes/s",
                writers * each,
                elapsed.as_secs_f64(),
                (writers * each) as f64 / elapsed.as_secs_f64()
            );
        }

        for (label, text) in [("a surname", "петров"), ("a word found nowhere", "zqxjw")] {
            let filter = EventFilter {
                search: vec![text.to_string()],
                ..EventFilter::default()
            };
            let mut found = 0;
            let count = timed(|| found = store.event_count(&filter).unwrap());
            let page = timed(|| {
                store
                    .events_beside(&filter, Order::OldestFirst, None, false, 0, 50)
                    .unwrap();
            });
            println!(
                "  search {label} ({text:?}, {found} events): count {}, first 50 {}",
                ms(count),
                ms(page)
            );
        }
        let person = EventFilter {
            people: vec![busiest[0].0],
            ..EventFilter::default()
        };
        let first_page = timed(|| {
            store
                .events_beside(&everything, Order::OldestFirst, None, false, 0, 50)
                .unwrap();
        });
        let person_page = timed(|| {
            store
                .events_beside(&person, Order::NewestFirst, None, false, 0, 50)
                .unwrap();
        });
        println!(
            "  timeline first 50 {}; the busiest person's latest 50 {}",
            ms(first_page),
            ms(person_page)
        );

        for id in written {
            store.delete_event(id).unwrap();
        }
    }
}
