use crate::store::db::params;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use chrono::NaiveDate;

use super::*;
use crate::domain::{
    Country, DraftParticipant, Event, EventDraft, EventPlace, FuzzyDate, Kind, Mode, Source, Status,
};
use engine::sqlite::open as open_sqlite;

mod migrations;
#[path = "../../tests/common/pg.rs"]
mod pg;
mod trips;

/// Runs `test` on a new SQLite store in memory and, unless PostgreSQL is missing, on a new
/// PostgreSQL database: one test body for both engines.
pub(super) fn each_engine(test: impl Fn(Store)) {
    test(Store::open_in_memory().unwrap());
    if let Some(url) = pg::fresh_database() {
        eprintln!("the same test on PostgreSQL");
        test(Store::open_postgres(&url).unwrap());
    }
}

fn draft(date: &str, title: &str, who: &[(&str, &str, bool)]) -> EventDraft {
    let mut d = EventDraft::new(FuzzyDate::parse_iso(date).unwrap(), title);
    d.place.city = "Moscow".into();
    d.place.country = Country::parse("RU").ok();
    d.participants = who
        .iter()
        .map(|(name, side, head)| DraftParticipant {
            name: name.to_string(),
            side: Country::parse(side).unwrap(),
            head: *head,
        })
        .collect();
    // An event has a side: one without named people is a delegation whose members were not
    // named.
    if d.participants.is_empty() {
        d.unnamed_sides = vec![Country::parse("RU").unwrap()];
    }
    d
}

fn seeded(mut store: Store) -> Store {
    let pair = [
        ("Vladimir Putin", "RU", false),
        ("Steve Witkoff", "US", false),
    ];
    store
        .add_event(
            &draft("2025-03-13", "Kremlin talks", &pair),
            NewPeople::Create,
        )
        .unwrap();
    store
        .add_event(
            &draft("2025-02-11", "First meeting", &pair),
            NewPeople::Create,
        )
        .unwrap();
    store
        .add_event(
            &draft(
                "2025-04-10",
                "Embassy talks in Istanbul",
                &[
                    ("Alexander Darchiev", "RU", true),
                    ("Sonata Coulter", "US", true),
                ],
            ),
            NewPeople::Create,
        )
        .unwrap();
    store
}

#[test]
fn a_new_database_is_at_the_latest_schema_and_marked_as_ours() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.db");
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), LATEST_VERSION);
    drop(store);
    let again = Store::open(&path).unwrap();
    assert_eq!(again.schema_version().unwrap(), LATEST_VERSION);
    let app: i64 = again
        .conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .unwrap();
    assert_eq!(app, schema::APPLICATION_ID);
    let wal: String = again
        .conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(wal, "wal");
}

#[test]
fn every_migration_applies_in_turn_from_an_empty_file() {
    let store = Store::open_in_memory().unwrap();
    for table in ["person", "person_title", "event", "participation", "source"] {
        let found: i64 = store
            .conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?",
                [table],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(found, 1, "{table}");
    }
    let foreign_keys: i64 = store
        .conn
        .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
        .unwrap();
    assert_eq!(foreign_keys, 1);
}

#[test]
fn a_database_from_a_newer_version_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("future.db");
    {
        let conn = open_sqlite(&path).unwrap();
        conn.execute_batch(&format!(
            "PRAGMA application_id = {}; PRAGMA user_version = {}; CREATE TABLE later (x);",
            schema::APPLICATION_ID,
            LATEST_VERSION + 1
        ))
        .unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let err = Store::open(&path).err().unwrap();
    assert!(matches!(err, StoreError::TooNew { found, .. } if found == LATEST_VERSION + 1));
    assert!(
        err.to_string().contains("newer version of attache"),
        "{err}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert!(!dir.path().join("future.db-wal").exists());
}

fn recorded_migrations(path: &Path) -> Vec<(i64, String, Option<String>)> {
    let conn = open_sqlite(path).unwrap();
    conn.prepare("SELECT version, hash, applied_at FROM schema_migration ORDER BY version")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<db::Result<_>>()
        .unwrap()
}

#[test]
fn a_database_records_its_migrations_and_refuses_different_ones() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("recorded.db");
    drop(Store::open(&path).unwrap());
    let recorded = recorded_migrations(&path);
    let expected: Vec<(i64, String)> = schema::MIGRATIONS
        .iter()
        .enumerate()
        .map(|(i, sql)| (i as i64 + 1, schema::migration_hash(sql)))
        .collect();
    assert_eq!(
        recorded
            .iter()
            .map(|(v, h, _)| (*v, h.clone()))
            .collect::<Vec<_>>(),
        expected
    );
    assert!(recorded.iter().all(|(_, _, at)| at.is_some()));
    drop(Store::open(&path).unwrap());

    // Another build's migration 3, then none at all recorded for it.
    let conn = open_sqlite(&path).unwrap();
    conn.execute(
        "UPDATE schema_migration SET hash = '0123456789abcdef' WHERE version = 3",
        [],
    )
    .unwrap();
    drop(conn);
    let before = std::fs::read(&path).unwrap();
    let err = Store::open(&path).err().unwrap();
    assert_eq!(
        err.to_string(),
        format!(
            "{}: schema migration 3 recorded in the database differs from this attache's: the file was changed by another build of attache; it was not changed now",
            path.display()
        )
    );
    assert_eq!(std::fs::read(&path).unwrap(), before);
    let conn = open_sqlite(&path).unwrap();
    conn.execute("DELETE FROM schema_migration WHERE version = 3", [])
        .unwrap();
    drop(conn);
    let err = Store::open(&path).err().unwrap();
    assert!(
        err.to_string()
            .contains("schema migration 3 is not recorded as applied, unlike this attache's"),
        "{err}"
    );
}

#[test]
fn an_upgraded_database_records_the_migrations_it_went_through() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v5.db");
    {
        let conn = open_sqlite(&path).unwrap();
        for sql in &schema::MIGRATIONS[..5] {
            conn.execute_batch(sql).unwrap();
        }
        conn.execute_batch(&format!(
            "PRAGMA application_id = {}; PRAGMA user_version = 5;",
            schema::APPLICATION_ID
        ))
        .unwrap();
    }
    drop(Store::open(&path).unwrap());
    let recorded = recorded_migrations(&path);
    assert_eq!(recorded.len(), schema::MIGRATIONS.len());
    // When the first five ran is not known; the sixth ran now.
    assert!(recorded[..5].iter().all(|(_, _, at)| at.is_none()));
    assert!(recorded[5..].iter().all(|(_, _, at)| at.is_some()));
}

#[test]
fn a_negative_schema_version_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("odd.db");
    {
        let conn = open_sqlite(&path).unwrap();
        conn.execute_batch(&format!(
            "PRAGMA application_id = {}; PRAGMA user_version = -1; CREATE TABLE odd (x);",
            schema::APPLICATION_ID
        ))
        .unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let err = Store::open(&path).err().unwrap();
    assert!(
        matches!(err, StoreError::UnknownVersion { found: -1, .. }),
        "{err}"
    );
    assert!(
        err.to_string()
            .ends_with("schema version -1 is not one attache writes; the file was not changed")
    );
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn a_new_database_is_readable_by_its_owner_only() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("private.db");
    let store = Store::open(&path).unwrap();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(&dir.path().join("private.db-wal")), 0o600);
    drop(store);
}

#[test]
fn files_that_are_not_attache_databases_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("notes.db");
    std::fs::write(
        &text,
        "these are my notes, not a database, and they are long enough",
    )
    .unwrap();
    let err = Store::open(&text).err().unwrap();
    assert!(matches!(err, StoreError::NotADatabase { .. }), "{err}");
    assert!(err.to_string().ends_with("not a database file"));

    let other = dir.path().join("other.db");
    open_sqlite(&other)
        .unwrap()
        .execute_batch("CREATE TABLE mine (x)")
        .unwrap();
    let before = std::fs::read(&other).unwrap();
    assert!(matches!(
        Store::open(&other).err().unwrap(),
        StoreError::Foreign { .. }
    ));
    assert_eq!(std::fs::read(&other).unwrap(), before);

    let missing_dir = dir.path().join("no/such/dir/x.db");
    assert!(matches!(
        Store::open(&missing_dir).err().unwrap(),
        StoreError::CannotOpen { .. }
    ));
    assert!(matches!(
        Store::open(dir.path()).err().unwrap(),
        StoreError::CannotOpen { .. }
    ));
}

#[test]
fn a_read_only_file_can_be_read_but_not_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ro.db");
    {
        let mut store = Store::open(&path).unwrap();
        store
            .add_event(
                &draft("2025-02-11", "First", &[("A B", "RU", false)]),
                NewPeople::Create,
            )
            .unwrap();
    }
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
    let before = std::fs::read(&path).unwrap();
    let mut store = Store::open(&path).unwrap();
    assert_eq!(store.event_count(&EventFilter::default()).unwrap(), 1);
    let err = store
        .add_event(&draft("2025-02-12", "Second", &[]), NewPeople::Create)
        .unwrap_err();
    assert!(matches!(err, StoreError::ReadOnly { .. }), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn events_read_back_as_written() {
    each_engine(|store| {
        let mut store = store;
        let mut d = draft(
            "2025-04-02",
            "Dmitriev in Washington",
            &[
                ("Kirill Dmitriev", "RU", true),
                ("Steve Witkoff", "US", false),
                ("Jared Kushner", "US", false),
            ],
        );
        d.end_date = Some(FuzzyDate::parse_iso("2025-04-03").unwrap());
        d.date = FuzzyDate::parse_iso("c. 2025-04-02").unwrap();
        d.place = EventPlace {
            city: "Washington".into(),
            country: Country::parse("US").ok(),
            venue: "White House".into(),
        };
        d.status = Status::Reported;
        d.sources = vec![Source {
            outlet: "Ukrainska Pravda".into(),
            citing: "Reuters".into(),
            url: "https://www.pravda.com.ua/eng/news/2025/04/3/7505768/".into(),
            published: NaiveDate::from_ymd_opt(2025, 4, 3),
            via: "news-pravda.com".into(),
        }];
        d.claims = vec![crate::domain::claim::Claim {
            aspect: crate::domain::claim::Aspect::Duration,
            value: "about 3 h".into(),
            sources: vec![0],
            note: "Ushakov".into(),
            count: None,
        }];
        d.notes = "line one\nline two".into();
        let id = store.add_event(&d, NewPeople::Create).unwrap();
        let e = store.event(id).unwrap();
        assert_eq!(e.date, d.date);
        assert_eq!(e.end_date, d.end_date);
        assert_eq!(
            (e.title.as_str(), e.status, e.notes.as_str()),
            (
                "Dmitriev in Washington",
                Status::Reported,
                "line one\nline two"
            )
        );
        assert_eq!(e.place, d.place);
        assert_eq!(e.sources, d.sources);
        assert_eq!(e.claims, d.claims);
        let names: Vec<(&str, &str, bool)> = e
            .participants
            .iter()
            .map(|p| (p.name.as_str(), p.side.code(), p.head))
            .collect();
        assert_eq!(
            names,
            vec![
                ("Kirill Dmitriev", "RU", true),
                ("Steve Witkoff", "US", false),
                ("Jared Kushner", "US", false)
            ]
        );
        assert!(matches!(store.event(9999), Err(StoreError::NoSuchEvent(_))));
    });
}

#[test]
fn a_failed_write_leaves_nothing_behind() {
    each_engine(|store| {
        let mut store = seeded(store);
        let people_before = store.people().unwrap().len();
        let bad = draft(
            "2025-05-01",
            "Talks",
            &[
                ("New Person", "RU", false),
                ("Putin", "RU", false),
                ("Nobody Known", "US", false),
            ],
        );
        let err = store.add_event(&bad, NewPeople::Refuse).unwrap_err();
        assert!(matches!(err, StoreError::UnknownPerson { .. }), "{err}");
        assert_eq!(store.event_count(&EventFilter::default()).unwrap(), 3);
        assert_eq!(store.people().unwrap().len(), people_before);

        let twice = draft(
            "2025-05-01",
            "Talks",
            &[("Vladimir Putin", "RU", false), ("putin", "RU", false)],
        );
        let err = store.add_event(&twice, NewPeople::Refuse).unwrap_err();
        assert!(err.to_string().starts_with("participant:"), "{err}");
        assert_eq!(store.event_count(&EventFilter::default()).unwrap(), 3);
    });
}

#[test]
fn a_duplicate_uuid_is_refused() {
    each_engine(|store| {
        let mut store = seeded(store);
        let existing = store
            .events_page(&EventFilter::default(), Order::OldestFirst, 0, 1)
            .unwrap()[0]
            .uuid;
        let mut d = draft("2025-05-01", "Copy", &[]);
        d.uuid = Some(existing);
        let err = store.add_event(&d, NewPeople::Refuse).unwrap_err();
        assert!(
            err.to_string().starts_with("id: another event has this id"),
            "{err}"
        );
    });
}

#[test]
fn pages_come_in_timeline_order_and_filters_combine() {
    each_engine(|store| {
        let store = seeded(store);
        let all = store
            .events_page(&EventFilter::default(), Order::OldestFirst, 0, 10)
            .unwrap();
        let titles: Vec<&str> = all.iter().map(|e| e.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "First meeting",
                "Kremlin talks",
                "Embassy talks in Istanbul"
            ]
        );
        let newest = store
            .events_page(&EventFilter::default(), Order::NewestFirst, 1, 1)
            .unwrap();
        assert_eq!(newest[0].title, "Kremlin talks");

        let putin = store.resolve_person("putin").unwrap().id;
        let filter = EventFilter {
            people: vec![putin],
            from: FuzzyDate::parse_iso("2025-03").ok(),
            ..EventFilter::default()
        };
        assert_eq!(store.event_count(&filter).unwrap(), 1);
        let search = EventFilter {
            search: vec!["ISTANBUL".into()],
            ..EventFilter::default()
        };
        assert_eq!(store.event_count(&search).unwrap(), 1);
        let by_name = EventFilter {
            search: vec!["coulter".into()],
            ..EventFilter::default()
        };
        assert_eq!(store.event_count(&by_name).unwrap(), 1);
        let wildcard = EventFilter {
            search: vec!["%".into()],
            ..EventFilter::default()
        };
        assert_eq!(store.event_count(&wildcard).unwrap(), 0);
        let side = EventFilter {
            side: Country::parse("US").ok(),
            to: FuzzyDate::parse_iso("2025-03-13").ok(),
            ..EventFilter::default()
        };
        assert_eq!(store.event_count(&side).unwrap(), 2);
    });
}

#[test]
fn streaming_visits_every_event_once_across_pages() {
    each_engine(|store| {
        let mut store = store;
        store
            .write(|tx| {
                for i in 0..2500 {
                    let day = 1 + (i % 28);
                    insert_event(
                        tx,
                        &draft(&format!("2024-02-{day:02}"), &format!("e{i}"), &[]),
                        NewPeople::Refuse,
                    )?;
                }
                Ok(())
            })
            .unwrap();
        let mut seen = Vec::new();
        let count = store
            .for_each_page(&EventFilter::default(), Order::NewestFirst, |page| {
                seen.extend(page.iter().map(|e| (e.date.first(), e.id)));
                Ok(())
            })
            .unwrap();
        assert_eq!(count, 2500);
        let mut sorted = seen.clone();
        sorted.sort_by(|a, b| b.cmp(a));
        sorted.dedup();
        assert_eq!(seen, sorted);
    });
}

#[test]
fn kept_ordinals_are_the_kept_places_without_the_previous_meeting() {
    each_engine(|store| {
        let store = seeded(store);
        let ids = store.event_ids(&EventFilter::default()).unwrap();
        let whole = store.kept_places(&ids).unwrap();
        assert!(
            whole.values().flatten().any(|p| p.previous.is_some()),
            "the seed holds a pair that met before"
        );
        let sorted = |places: std::collections::HashMap<i64, Vec<KeptPlace>>| {
            places
                .into_iter()
                .map(|(id, mut places)| {
                    places.sort_by_key(|p| p.series.key());
                    (id, places)
                })
                .collect::<std::collections::HashMap<_, _>>()
        };
        let bare = sorted(whole)
            .into_iter()
            .map(|(id, places)| {
                let places = places
                    .into_iter()
                    .map(|p| KeptPlace {
                        previous: None,
                        ..p
                    })
                    .collect::<Vec<_>>();
                (id, places)
            })
            .collect::<std::collections::HashMap<_, _>>();
        let ordinals = sorted(store.kept_ordinals(&ids).unwrap());
        assert_eq!(ordinals, bare);
    });
}

/// The names a reading keeps from page to page: those asked for are held, each right; past
/// the most it holds (a page never asks more here), it lets the others go rather than grow.
#[test]
fn names_read_for_earlier_pages_are_the_right_ones_and_bounded() {
    use super::events::NamesRead;
    each_engine(|mut store| {
        let mut ids = Vec::new();
        for i in 0..30 {
            let name = format!("Envoy Кириллов {i}");
            let d = draft("2024-01-01", &format!("Talks {i}"), &[(&name, "RU", true)]);
            let number = store.add_event(&d, NewPeople::Create).unwrap();
            let event = store.event(number).unwrap();
            ids.push((event.participants[0].person_id, name));
        }
        let mut names = NamesRead::at_most(12);
        let people = |range: std::ops::Range<usize>| -> Vec<i64> {
            ids[range].iter().map(|(id, _)| *id).collect()
        };
        for (page, range) in [0..5, 3..10, 9..21, 20..30].into_iter().enumerate() {
            // Asked twice over, as a page names its busiest people many times.
            let asked = [people(range.clone()), people(range.clone())].concat();
            names.read(&store.conn, &asked).unwrap();
            for (id, name) in &ids[range] {
                assert_eq!(names.of(*id), Some(name), "page {page}");
            }
            assert!(names.held() <= 12, "page {page}: {}", names.held());
        }
        assert_eq!(names.of(0), None);
    });
}

#[test]
fn rows_read_by_range_or_one_by_one_are_the_same() {
    use super::events::{Span, spans};
    each_engine(|mut store| {
        let pair = [
            ("Vladimir Putin", "RU", true),
            ("Steve Witkoff", "US", true),
        ];
        let start = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
        for i in 0..80u64 {
            let day = (start + chrono::Days::new(i)).to_string();
            let mut d = draft(&day, &format!("Talks {i}"), &pair);
            d.sources = vec![Source {
                outlet: "TASS".into(),
                url: format!("https://example.org/{i}"),
                ..Source::default()
            }];
            store.add_event(&d, NewPeople::Create).unwrap();
        }
        // Gaps in the numbers, as deletions leave them.
        for number in [3, 10, 11, 12, 40] {
            store.delete_event(number).unwrap();
        }
        let all = store.event_ids(&EventFilter::default()).unwrap();
        let every = |step: usize| all.iter().copied().step_by(step).collect::<Vec<i64>>();
        let mixed: Vec<i64> = all[..30]
            .iter()
            .copied()
            .chain(every(9).into_iter().filter(|id| *id > all[29]))
            .collect();
        assert!(matches!(spans(&all, 500)[..], [Span::Range(1, 80)]));
        // Every second event: a range, whose rows of the events between are passed over.
        assert!(
            spans(&every(2), 500)
                .iter()
                .any(|s| matches!(s, Span::Range(..)))
        );
        assert!(
            spans(&every(6), 500)
                .iter()
                .all(|s| matches!(s, Span::List(_)))
        );
        let mixed_spans = spans(&mixed, 500);
        assert!(mixed_spans.iter().any(|s| matches!(s, Span::Range(..))));
        assert!(mixed_spans.iter().any(|s| matches!(s, Span::List(_))));
        let listed: usize = mixed_spans
            .iter()
            .map(|s| match s {
                Span::Range(first, last) => mixed
                    .iter()
                    .filter(|id| (first..=last).contains(id))
                    .count(),
                Span::List(ids) => ids.len(),
            })
            .sum();
        assert_eq!(listed, mixed.len(), "each event in one span");
        for ids in [all.clone(), every(2), every(6), mixed] {
            let one_by_one: Vec<Event> = ids.iter().map(|id| store.event(*id).unwrap()).collect();
            assert_eq!(store.events(&ids).unwrap(), one_by_one);
            assert!(
                one_by_one
                    .iter()
                    .all(|e| e.participants.len() == 2 && e.sources.len() == 1)
            );
            let places = store.kept_places(&ids).unwrap();
            let mut asked = ids.clone();
            asked.sort_unstable();
            let mut keys: Vec<i64> = places.keys().copied().collect();
            keys.sort_unstable();
            assert_eq!(
                keys, asked,
                "the places of the events asked for, and no others"
            );
            for id in &ids {
                assert_eq!(places[id], store.kept_places(&[*id]).unwrap()[id]);
            }
            // The export's reading of the same places, found by series key.
            let page = store.page_ordinals(&ids).unwrap();
            let kept = store.kept_ordinals(&all).unwrap();
            assert!(kept.values().all(|places| !places.is_empty()));
            for (id, places) in &kept {
                for place in places {
                    let found = page.find(*id, &place.series.key());
                    if ids.contains(id) {
                        assert_eq!(found, Some(place.ordinal), "event {id}");
                    } else {
                        assert_eq!(found, None, "event {id}, not asked for");
                    }
                }
                assert_eq!(page.find(*id, "in-person 1 999999"), None);
            }
        }
    });
}

#[test]
fn people_resolve_and_summarise() {
    each_engine(|store| {
        let store = seeded(store);
        assert_eq!(
            store.resolve_person("witkoff").unwrap().name,
            "Steve Witkoff"
        );
        let err = store.resolve_person("Witkopf").unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown person \"Witkopf\" (did you mean \"Steve Witkoff\"?)"
        );
        let summary = store.people().unwrap();
        let putin = summary
            .iter()
            .find(|s| s.person.name == "Vladimir Putin")
            .unwrap();
        assert_eq!(putin.events, 2);
        assert_eq!(putin.last_seen, NaiveDate::from_ymd_opt(2025, 3, 13));
        assert_eq!(
            putin.person.country, None,
            "a person created from a participant is given no country: their home is their usual side"
        );
        let sides = store.countries_by_person().unwrap();
        assert_eq!(sides.get("Vladimir Putin").map(String::as_str), Some("RU"));
    });
}

/// The migration that keeps disputing prior counts leaves a prior recorded before it as the
/// one count ordinals continue from, undisputed; a dispute added after it is kept.
#[test]
fn a_prior_recorded_before_disputes_were_kept_upgrades_undisputed() {
    use crate::domain::prior::PriorCount;
    use crate::domain::series::Series;
    let mine = schema::MIGRATIONS
        .iter()
        .position(|m| m.contains("ADD COLUMN disputed"))
        .unwrap()
        + 1;
    let before = mine - 1;
    let series = Series::meetings(Mode::InPerson, 1, 2);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("before.db");
    {
        let conn = open_sqlite(&path).unwrap();
        for sql in &schema::MIGRATIONS[..before] {
            conn.execute_batch(sql).unwrap();
        }
        for (i, sql) in schema::MIGRATIONS[..before].iter().enumerate() {
            conn.execute(
                "INSERT INTO schema_migration (version, hash) VALUES (?, ?)",
                params![i as i64 + 1, schema::migration_hash(sql)],
            )
            .unwrap();
        }
        conn.execute_batch(&format!(
            "PRAGMA application_id = {}; PRAGMA user_version = {before};
             INSERT INTO person (id, name, name_key, country) VALUES
               (1, 'Vladimir Putin', 'vladimir putin', 'RU'), (2, 'Donald Trump', 'donald trump', 'US');
             INSERT INTO prior (series, first, second, count, last_date, last_place, sources)
               VALUES ('{}', 1, 2, 5, '2019', 'Osaka', '[{{\"outlet\":\"TIME\"}}]');",
            schema::APPLICATION_ID,
            series.key()
        ))
        .unwrap();
    }
    let time = PriorCount {
        count: 5,
        last: FuzzyDate::parse_iso("2019").ok(),
        place: "Osaka".into(),
        sources: vec![Source {
            outlet: "TIME".into(),
            ..Source::default()
        }],
    };
    let mut store = Store::open(&path).unwrap();
    assert!(store.upgraded.is_some());
    assert_eq!(
        store.priors().unwrap()[&series].counts,
        std::slice::from_ref(&time)
    );
    let mail = PriorCount {
        count: 6,
        last: None,
        place: String::new(),
        sources: vec![Source {
            outlet: "news.mail.ru".into(),
            ..Source::default()
        }],
    };
    store.add_prior_count(&series, mail.clone()).unwrap();
    drop(store);
    let store = Store::open(&path).unwrap();
    assert_eq!(store.priors().unwrap()[&series].counts, [time, mail]);
}

#[test]
fn a_version_1_database_with_data_is_migrated_and_backfilled() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v1.db");
    {
        let conn = open_sqlite(&path).unwrap();
        conn.execute_batch(schema::MIGRATIONS[0]).unwrap();
        conn.execute_batch(&format!(
            "PRAGMA application_id = {}; PRAGMA user_version = 1;
             INSERT INTO person (id, name, name_key, country) VALUES (1, 'Vladimir Putin', 'vladimir putin', 'RU'),
               (2, 'Steve Witkoff', 'steve witkoff', 'US'), (3, 'Kirill Dmitriev', 'kirill dmitriev', 'RU');
             INSERT INTO event (id, uuid, date_first, date_last, precision, title, kind, mode, status)
               VALUES (1, '00000000-0000-4000-8000-000000000001', '2025-04-11', '2025-04-11', 'day', 'St Petersburg', 'meeting', 'in-person', 'confirmed'),
                      (2, '00000000-0000-4000-8000-000000000002', '2025-10-16', '2025-10-16', 'day', 'Call', 'call', 'phone', 'confirmed');
             INSERT INTO participation (event_id, person_id, position, side, head) VALUES
               (1, 1, 0, 'RU', 1), (1, 3, 1, 'RU', 0), (1, 2, 2, 'US', 0), (2, 1, 0, 'RU', 0), (2, 2, 1, 'US', 0);",
            schema::APPLICATION_ID
        ))
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), LATEST_VERSION);
    let kept = dir.path().join("v1.db.schema-1.bak");
    assert_eq!(
        store.upgraded,
        Some(format!(
            "upgraded {} from schema version 1 to {LATEST_VERSION}; the file as it was is kept as {}",
            path.display(),
            kept.display()
        ))
    );
    let old = open_sqlite(&kept).unwrap();
    let version: i64 = old
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, 1, "the copy is the file as it was");
    let mut stmt = store
        .conn
        .prepare("SELECT event_id, person_id, date_first, meets FROM participation ORDER BY event_id, person_id")
        .unwrap();
    let meets: Vec<(i64, i64, String, bool)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .map(|row| row.unwrap())
        .collect();
    drop(stmt);
    assert_eq!(
        meets,
        vec![
            (1, 1, "2025-04-11".into(), true),
            (1, 2, "2025-04-11".into(), true),
            (1, 3, "2025-04-11".into(), false),
            (2, 1, "2025-10-16".into(), false),
            (2, 2, "2025-10-16".into(), false),
        ],
        "heads of in-person events meet; a call does not; Dmitriev sat in Putin's delegation"
    );
    let people = store.people().unwrap();
    let putin = people.iter().find(|p| p.person.id == 1).unwrap();
    assert_eq!(
        (putin.events, putin.last_seen),
        (2, NaiveDate::from_ymd_opt(2025, 10, 16))
    );
    let active: Vec<i64> = store
        .most_active(&EventFilter::default(), 5)
        .unwrap()
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    assert_eq!(active, vec![2, 1]);
    let places: i64 = store
        .conn
        .query_row("SELECT count(*) FROM series_place WHERE low > 0", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(places > 0, "schema 4 ranks the events already there");
    assert_eq!(
        store.kept_count_differences().unwrap(),
        Vec::<String>::new()
    );
    let once = |value: &str| (value.to_string(), 1);
    assert_eq!(
        store.events_per_month(&EventFilter::default()).unwrap(),
        vec![once("2025-04"), once("2025-10")]
    );
    assert_eq!(
        store.events_per_kind(&EventFilter::default()).unwrap(),
        vec![once("call"), once("meeting")]
    );
    assert!(
        store
            .events_per_country(&EventFilter::default())
            .unwrap()
            .is_empty()
    );
    assert!(store.cities().unwrap().is_empty());
    let undo: i64 = store
        .conn
        .query_row("SELECT count(*) FROM undo_log", [], |r| r.get(0))
        .unwrap();
    assert_eq!(undo, 0);
}

mod kept_counts {
    use chrono::Datelike;
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn a_wrong_kept_count_is_named() {
        each_engine(|store| {
            let store = seeded(store);
            assert_eq!(
                store.kept_count_differences().unwrap(),
                Vec::<String>::new()
            );
            store
                .conn
                .execute(
                    "UPDATE tally SET events = events + 1 WHERE dimension = 'kind'",
                    [],
                )
                .unwrap();
            store
                .conn
                .execute("UPDATE person SET events = 0", [])
                .unwrap();
            let found = store.kept_count_differences().unwrap();
            assert_eq!(found.len(), 2, "{found:?}");
            assert!(found[0].starts_with("events per person: kept"));
            assert!(found[1].starts_with("events per kind: kept"));
        });
    }

    #[derive(Debug, Clone)]
    enum Op {
        Add {
            day: u32,
            kind: usize,
            country: usize,
            people: Vec<usize>,
        },
        Edit {
            target: usize,
            day: u32,
            kind: usize,
            country: usize,
            people: Vec<usize>,
        },
        Delete {
            target: usize,
        },
        Split {
            target: usize,
        },
        Join {
            one: usize,
            other: usize,
        },
        /// Gives a person a home (`COUNTRIES.len()`: none, back to their usual side).
        Home {
            person: usize,
            country: usize,
        },
        Undo,
        Redo,
    }

    const PEOPLE: [&str; 4] = [
        "Vladimir Putin",
        "Steve Witkoff",
        "Sergey Lavrov",
        "Marco Rubio",
    ];
    const COUNTRIES: [&str; 3] = ["RU", "US", "TR"];

    fn built(day: u32, kind: usize, country: usize, people: &[usize]) -> EventDraft {
        // Days close together, so that trips of several events and days at home between
        // them are common.
        let date =
            NaiveDate::from_ymd_opt(2025, 1, 1).unwrap() + chrono::Days::new(u64::from(day % 60));
        let mut d = EventDraft::new(
            FuzzyDate::from_parts(date.year(), Some(date.month()), Some(date.day()), false)
                .unwrap(),
            "t",
        );
        d.kind = Kind::ALL[kind % Kind::ALL.len()];
        d.mode = d.kind.usual_mode();
        d.place.city = ["Moscow", "Istanbul", ""][day as usize % 3].to_string();
        d.place.country = if country == COUNTRIES.len() {
            None
        } else {
            Country::parse(COUNTRIES[country]).ok()
        };
        let mut seen = Vec::new();
        for p in people {
            if !seen.contains(p) {
                seen.push(*p);
                d.participants.push(crate::domain::DraftParticipant {
                    name: PEOPLE[*p].into(),
                    side: Country::parse(if p % 2 == 0 { "RU" } else { "US" }).unwrap(),
                    head: false,
                });
            }
        }
        if d.participants.is_empty() {
            d.unnamed_sides = vec![Country::parse("US").unwrap()];
        }
        d
    }

    fn op() -> impl Strategy<Value = Op> {
        let people = prop::collection::vec(0..PEOPLE.len(), 0..4);
        prop_oneof![
            (0u32..400, 0..Kind::ALL.len(), 0usize..4, people.clone()).prop_map(
                |(day, kind, country, people)| Op::Add {
                    day,
                    kind,
                    country,
                    people
                }
            ),
            (0usize..20, 0u32..400, 0..Kind::ALL.len(), 0usize..4, people).prop_map(
                |(target, day, kind, country, people)| Op::Edit {
                    target,
                    day,
                    kind,
                    country,
                    people
                }
            ),
            (0usize..20).prop_map(|target| Op::Delete { target }),
            (0usize..20).prop_map(|target| Op::Split { target }),
            (0usize..20, 0usize..20).prop_map(|(one, other)| Op::Join { one, other }),
            (0..PEOPLE.len(), 0..=COUNTRIES.len())
                .prop_map(|(person, country)| Op::Home { person, country }),
            Just(Op::Undo),
            Just(Op::Redo),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(40))]

        #[test]
        fn kept_counts_match_a_fresh_count(ops in prop::collection::vec(op(), 1..25)) {
            let mut store = Store::open_in_memory().unwrap();
            apply(&mut store, ops);
            prop_assert_eq!(store.kept_count_differences().unwrap(), Vec::<String>::new());
            // `verify` recounts the same from the events, and more: nothing may differ.
            prop_assert_eq!(store.verify().unwrap().findings, Vec::new());
            prop_assert_eq!(store.quick_check().unwrap(), Vec::new());
        }
    }

    proptest! {
        // A database per case costs a server round of its own: fewer cases than in memory.
        #![proptest_config(ProptestConfig::with_cases(8))]

        #[test]
        fn kept_counts_match_a_fresh_count_on_postgresql(ops in prop::collection::vec(op(), 1..25)) {
            let Some(url) = super::pg::fresh_database() else {
                return Ok(());
            };
            let mut store = Store::open_postgres(&url).unwrap();
            apply(&mut store, ops);
            prop_assert_eq!(store.kept_count_differences().unwrap(), Vec::<String>::new());
            // `verify` recounts the same from the events, and more: nothing may differ.
            prop_assert_eq!(store.verify().unwrap().findings, Vec::new());
            prop_assert_eq!(store.quick_check().unwrap(), Vec::new());
        }
    }

    fn apply(store: &mut Store, ops: Vec<Op>) {
        for op in ops {
            let numbers: Vec<i64> = store
                .events_page(&EventFilter::default(), Order::OldestFirst, 0, 100)
                .unwrap()
                .iter()
                .map(|e| e.id)
                .collect();
            match op {
                Op::Add {
                    day,
                    kind,
                    country,
                    people,
                } => {
                    store
                        .add_event(&built(day, kind, country, &people), NewPeople::Create)
                        .unwrap();
                }
                Op::Edit {
                    target,
                    day,
                    kind,
                    country,
                    people,
                } if !numbers.is_empty() => {
                    store
                        .edit_event(
                            numbers[target % numbers.len()],
                            &built(day, kind, country, &people),
                            NewPeople::Create,
                        )
                        .unwrap();
                }
                Op::Delete { target } if !numbers.is_empty() => {
                    store.delete_event(numbers[target % numbers.len()]).unwrap();
                }
                // Refusals (no trip there, nothing in common) are part of the test: they
                // must leave the kept places as they were.
                Op::Split { target } if !numbers.is_empty() => {
                    let _ = store.split_trip(numbers[target % numbers.len()]);
                }
                Op::Join { one, other } if !numbers.is_empty() => {
                    let _ = store
                        .join_trip(numbers[one % numbers.len()], numbers[other % numbers.len()]);
                }
                Op::Home { person, country } => {
                    let found = store
                        .names()
                        .unwrap()
                        .into_iter()
                        .find(|(_, name, _)| name == PEOPLE[person]);
                    if let Some((id, ..)) = found {
                        let mut given = store.person(id).unwrap();
                        given.country = COUNTRIES.get(country).and_then(|c| Country::parse(c).ok());
                        store.edit_person(&given).unwrap();
                    }
                }
                Op::Undo => {
                    store.undo().unwrap();
                }
                Op::Redo => {
                    store.redo().unwrap();
                }
                _ => {}
            }
        }
    }
}

/// The shortcuts for the whole timeline (kept tallies for the count and the position) and
/// keyset reads agree with the general queries.
#[test]
fn whole_timeline_shortcuts_agree_with_the_general_queries() {
    each_engine(|store| {
        let store = seeded(store);
        let everything = EventFilter::default();
        // Keeps every event but takes the general path.
        let general = EventFilter {
            from: FuzzyDate::parse_iso("1900").ok(),
            ..EventFilter::default()
        };
        let total = store.event_count(&everything).unwrap();
        assert_eq!(total, store.event_count(&general).unwrap());
        for order in [Order::OldestFirst, Order::NewestFirst] {
            let all = store.events_page(&general, order, 0, total).unwrap();
            for (index, event) in all.iter().enumerate() {
                let date = event.date.first();
                assert_eq!(
                    store.position(&everything, order, date, event.id).unwrap(),
                    index
                );
                assert_eq!(
                    store.position(&general, order, date, event.id).unwrap(),
                    index
                );
            }
            // A point between events: where it would be.
            let day = NaiveDate::from_ymd_opt(2025, 4, 5).unwrap();
            assert_eq!(
                store.position(&everything, order, day, 0).unwrap(),
                store.position(&general, order, day, 0).unwrap()
            );
            // Keyset reads from any point equal OFFSET reads.
            for (index, event) in all.iter().enumerate() {
                let key = Some((event.date.first(), event.id));
                let numbers = |events: Vec<Event>| events.iter().map(|e| e.id).collect::<Vec<_>>();
                let onward = numbers(
                    store
                        .events_beside(&everything, order, key, false, 0, total)
                        .unwrap(),
                );
                assert_eq!(onward, numbers(all[index..].to_vec()));
                let mut back = numbers(
                    store
                        .events_beside(&everything, order, key, true, 1, total)
                        .unwrap(),
                );
                back.reverse();
                assert_eq!(back, numbers(all[..index.saturating_sub(1)].to_vec()));
            }
        }
    });
}

/// Searches of three characters or more go through the trigram index, shorter ones row by row;
/// both find text in any script, ignoring case, and follow edits and deletes.
#[test]
fn search_finds_substrings_in_any_script_and_follows_writes() {
    each_engine(|store| {
        let mut store = seeded(store);
        let found = |store: &Store, text: &str| {
            let filter = EventFilter {
                search: vec![text.to_string()],
                ..EventFilter::default()
            };
            store.event_count(&filter).unwrap()
        };
        let mut draft = draft(
            "2025-05-01",
            "Встреча в Кремле «по Украине» – 習近平",
            &[("Владимир Путин", "RU", false)],
        );
        let number = store.add_event(&draft, NewPeople::Create).unwrap();
        assert_eq!(found(&store, "КРЕМЛ"), 1, "case folded in Cyrillic");
        assert_eq!(found(&store, "Kremlin"), 1, "the seeded Kremlin talks");
        assert_eq!(found(&store, "習近平"), 1);
        assert_eq!(found(&store, "習近"), 1, "two characters, row by row");
        assert_eq!(found(&store, "«по"), 1);
        assert_eq!(
            found(&store, "\"quoted\""),
            0,
            "quotes are text, not query syntax"
        );
        assert_eq!(found(&store, "NEAR(a b)"), 0);
        assert!(found(&store, "putin") > 1, "names are searched");
        draft.title = "Переговоры в Стамбуле".into();
        store.edit_event(number, &draft, NewPeople::Create).unwrap();
        assert_eq!(
            found(&store, "кремл"),
            0,
            "the old title is gone from the index"
        );
        assert_eq!(found(&store, "стамбул"), 1);
        store.delete_event(number).unwrap();
        assert_eq!(found(&store, "стамбул"), 0);
        assert_eq!(
            store.kept_count_differences().unwrap(),
            Vec::<String>::new()
        );
    });
}

/// A bounded search looks at that many events past the point and no further.
#[test]
fn a_bounded_search_stops_after_its_rows() {
    each_engine(|store| {
        let mut store = store;
        store
            .write(|tx| {
                for i in 0..1500 {
                    let title = if i == 1200 {
                        "Ξ far".to_string()
                    } else {
                        format!("e{i}")
                    };
                    insert_event(tx, &draft("2024-02-01", &title, &[]), NewPeople::Refuse)?;
                }
                Ok(())
            })
            .unwrap();
        let start = (NaiveDate::from_ymd_opt(2024, 2, 1).unwrap(), 0);
        let find = |within| {
            store
                .next_match(
                    &EventFilter::default(),
                    Order::OldestFirst,
                    start,
                    "ξ",
                    true,
                    within,
                )
                .unwrap()
        };
        assert_eq!(find(Some(1000)), None);
        assert_eq!(find(Some(1201)).map(|(_, id)| id), Some(1201));
        assert_eq!(find(None).map(|(_, id)| id), Some(1201));
    });
}

/// A filter of dates alone is counted, and its positions found, from the kept events per month:
/// the same as picking the events out of the whole timeline, for ranges within a month, across
/// months, open at either end, empty, and for points outside the range.
#[test]
fn counts_and_positions_within_dates_agree_with_picking_from_the_whole_timeline() {
    each_engine(|mut store| {
        let pair = [
            ("Vladimir Putin", "RU", true),
            ("Steve Witkoff", "US", true),
        ];
        let dates = [
            "2024-12-31",
            "2025-01",
            "2025-02-01",
            "2025-02-11",
            "2025-02-11",
            "2025",
            "2025-03-14",
            "2025-03-31",
            "2025-04-11",
            "2025-04-12",
            "2025-06-30",
            "2025-07-01",
            "2026-01-01",
        ];
        for date in dates {
            store
                .add_event(&draft(date, "Talks", &pair), NewPeople::Create)
                .unwrap();
        }
        let everything = store
            .events_page(&EventFilter::default(), Order::OldestFirst, 0, 100)
            .unwrap();
        assert_eq!(everything.len(), dates.len());
        let day = |text: &str| Some(FuzzyDate::parse_iso(text).unwrap());
        let ranges = [
            (day("2025-02"), day("2025-04-11")),
            (day("2025-03-14"), day("2025-03-14")),
            (day("2025"), None),
            (None, day("2025-06")),
            (day("2025-12"), day("2025-01")),
        ];
        for (from, to) in ranges {
            let filter = EventFilter {
                from,
                to,
                ..EventFilter::default()
            };
            let kept: Vec<&Event> = everything
                .iter()
                .filter(|e| from.as_ref().is_none_or(|f| e.date.first() >= f.first()))
                .filter(|e| to.as_ref().is_none_or(|t| e.date.first() <= t.last()))
                .collect();
            assert!(
                from.is_none() || kept.len() < everything.len(),
                "{filter:?}"
            );
            assert_eq!(
                store.event_count(&filter).unwrap(),
                kept.len(),
                "{filter:?}"
            );
            for order in [Order::OldestFirst, Order::NewestFirst] {
                for point in &everything {
                    let key = (point.date.first(), point.id);
                    let sorted = |e: &&&Event| (e.date.first(), e.id);
                    let expected = kept
                        .iter()
                        .filter(|e| match order {
                            Order::OldestFirst => sorted(e) < key,
                            Order::NewestFirst => sorted(e) > key,
                        })
                        .count();
                    assert_eq!(
                        store.position(&filter, order, key.0, key.1).unwrap(),
                        expected,
                        "{filter:?} {order:?} {key:?}"
                    );
                }
            }
        }
    });
}

/// A filter by people reads from the first person's participations: the same events, order,
/// counts and positions as picking them out of the whole timeline.
#[test]
fn reads_by_person_agree_with_picking_from_the_whole_timeline() {
    each_engine(|store| {
        let store = seeded(store);
        let everything = store
            .events_page(&EventFilter::default(), Order::OldestFirst, 0, 100)
            .unwrap();
        let people: Vec<i64> = store
            .people()
            .unwrap()
            .iter()
            .map(|p| p.person.id)
            .collect();
        let mut filters = Vec::new();
        for a in &people {
            filters.push(vec![*a]);
            for b in &people {
                if a != b {
                    filters.push(vec![*a, *b]);
                }
            }
        }
        for people in filters {
            for bounded in [false, true] {
                let filter = EventFilter {
                    people: people.clone(),
                    from: bounded.then(|| FuzzyDate::parse_iso("2025-03").unwrap()),
                    ..EventFilter::default()
                };
                for order in [Order::OldestFirst, Order::NewestFirst] {
                    let mut expected: Vec<&Event> = everything
                        .iter()
                        .filter(|e| people.iter().all(|p| e.has_participant(*p)))
                        .filter(|e| {
                            !bounded
                                || e.date.first() >= NaiveDate::from_ymd_opt(2025, 3, 1).unwrap()
                        })
                        .collect();
                    if order == Order::NewestFirst {
                        expected.reverse();
                    }
                    let numbers: Vec<i64> = expected.iter().map(|e| e.id).collect();
                    let read: Vec<i64> = store
                        .events_page(&filter, order, 0, 100)
                        .unwrap()
                        .iter()
                        .map(|e| e.id)
                        .collect();
                    assert_eq!(read, numbers, "{filter:?} {order:?}");
                    assert_eq!(store.event_count(&filter).unwrap(), numbers.len());
                    for (index, event) in expected.iter().enumerate() {
                        let key = (event.date.first(), event.id);
                        assert_eq!(store.position(&filter, order, key.0, key.1).unwrap(), index);
                        let onward: Vec<i64> = store
                            .events_beside(&filter, order, Some(key), false, 0, 100)
                            .unwrap()
                            .iter()
                            .map(|e| e.id)
                            .collect();
                        assert_eq!(onward, numbers[index..]);
                    }
                }
            }
        }
    });
}

/// A search holding a NUL (pasted into a prompt) finds nothing, without an error from the
/// index or a LIKE pattern cut short at the NUL.
#[test]
fn a_search_with_a_nul_finds_nothing() {
    each_engine(|store| {
        let store = seeded(store);
        for text in ["\0Путин", "\0", "a\0b", "kre\0mlin"] {
            let filter = EventFilter {
                search: vec![text.to_string()],
                ..EventFilter::default()
            };
            assert_eq!(store.event_count(&filter).unwrap(), 0, "{text:?}");
            assert!(
                store
                    .events_page(&filter, Order::OldestFirst, 0, 10)
                    .unwrap()
                    .is_empty()
            );
            let start = (NaiveDate::from_ymd_opt(2000, 1, 1).unwrap(), 0);
            for within in [None, Some(1000)] {
                let found = store
                    .next_match(
                        &EventFilter::default(),
                        Order::OldestFirst,
                        start,
                        text,
                        true,
                        within,
                    )
                    .unwrap();
                assert_eq!(found, None, "{text:?}");
            }
        }
    });
}

/// How the interface notices another program's write: the data version changes after it, and
/// not after the store's own writes.
#[test]
fn another_connections_commit_changes_the_data_version() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("shared.db");
    let mut targets = vec![file.display().to_string()];
    targets.extend(pg::fresh_database());
    for target in targets {
        let open = || Store::open_any(Path::new(&target)).unwrap();
        let mut watching = open();
        let mut writing = open();
        let seen = watching.data_version().unwrap();
        watching
            .add_event(&draft("2025-04-11", "Own write", &[]), NewPeople::Refuse)
            .unwrap();
        assert_eq!(
            watching.data_version().unwrap(),
            seen,
            "{target}: own write"
        );
        writing
            .add_event(
                &draft("2025-04-12", "Another's write", &[]),
                NewPeople::Refuse,
            )
            .unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(1);
        while watching.data_version().unwrap() == seen {
            assert!(
                std::time::Instant::now() < deadline,
                "{target}: another's write unseen after a second"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }
}

/// A capped count is the count up to the cap, and one past it beyond: for a search alone (the
/// index), a search with other conditions, a person, everything.
#[test]
fn a_capped_count_stops_one_past_the_cap() {
    each_engine(|mut store| {
        store
            .write(|tx| {
                for i in 0..30 {
                    let who = [
                        ("Vladimir Putin", "RU", true),
                        ("Steve Witkoff", "US", true),
                    ];
                    let d = draft(
                        &format!("2024-03-{:02}", 1 + i % 28),
                        &format!("Talks {i}"),
                        &who,
                    );
                    insert_event(tx, &d, NewPeople::Create)?;
                }
                Ok(())
            })
            .unwrap();
        let putin = store.resolve_person("putin").unwrap().id;
        let filters = [
            EventFilter::default(),
            EventFilter {
                search: vec!["talks".into()],
                ..EventFilter::default()
            },
            EventFilter {
                search: vec!["talks".into()],
                country: Country::parse("RU").ok(),
                ..EventFilter::default()
            },
            EventFilter {
                people: vec![putin],
                ..EventFilter::default()
            },
        ];
        for filter in filters {
            assert_eq!(store.event_count(&filter).unwrap(), 30, "{filter:?}");
            assert_eq!(
                store.event_count_up_to(&filter, 100).unwrap(),
                30,
                "{filter:?}"
            );
            assert_eq!(
                store.event_count_up_to(&filter, 30).unwrap(),
                30,
                "{filter:?}"
            );
            assert_eq!(
                store.event_count_up_to(&filter, 10).unwrap(),
                11,
                "{filter:?}"
            );
        }
    });
}

/// The stats view's cells and counterparts come from the kept counts and the ends of the
/// series, not the pairs' histories: both must say what the history read whole says.
#[test]
fn met_most_reads_the_top_counts_with_their_ties_from_both_halves_of_the_pairs() {
    each_engine(|mut store| {
        // Abe is made before Mia, so that their pair is kept with Mia second; the rest after.
        let meetings = [
            ("Abe Alpha", 2),
            ("Zed Zulu", 3),
            ("Dan Dune", 2),
            ("Cat Crow", 2),
            ("Bo Bell", 1),
        ];
        let mut day = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
        for (other, times) in meetings {
            for _ in 0..times {
                let sides = [(other, "DE", true), ("Mia Main", "FR", true)];
                store
                    .add_event(&draft(&day.to_string(), "Talks", &sides), NewPeople::Create)
                    .unwrap();
                day = day.succ_opt().unwrap();
            }
        }
        let mia = store.resolve_person("Mia Main").unwrap().id;
        let order = [
            ("Zed Zulu", 3),
            ("Abe Alpha", 2),
            ("Cat Crow", 2),
            ("Dan Dune", 2),
            ("Bo Bell", 1),
        ];
        for limit in 0..=order.len() + 1 {
            let found: Vec<(String, usize)> = store
                .met_most(mia, limit)
                .unwrap()
                .into_iter()
                .map(|m| (m.name, m.face_to_face))
                .collect();
            let expected: Vec<(String, usize)> = order
                .iter()
                .take(limit)
                .map(|(name, times)| (name.to_string(), *times))
                .collect();
            assert_eq!(found, expected, "limit {limit}");
        }
    });
}

#[test]
fn kept_pair_tallies_agree_with_the_history_read_whole() {
    use crate::domain::series::Series;
    each_engine(|store| {
        let mut store = seeded(store);
        // Two counterparts met once each: the first by name is the one who was met most.
        for (date, other) in [("2025-05-01", "Zed Zulu"), ("2025-05-02", "Abe Alpha")] {
            store
                .add_event(
                    &draft(
                        date,
                        "Talks",
                        &[("Yan Yellow", "FR", true), (other, "DE", true)],
                    ),
                    NewPeople::Create,
                )
                .unwrap();
        }
        let people: Vec<i64> = store
            .people()
            .unwrap()
            .iter()
            .map(|p| p.person.id)
            .collect();
        for &a in &people {
            let expected = store
                .met_most(a, 1)
                .unwrap()
                .into_iter()
                .next()
                .map(|m| (m.person_id, m.name));
            assert_eq!(store.met_most_of_all(a).unwrap(), expected);
            for &b in people.iter().filter(|b| **b != a) {
                let happened: Vec<i64> = store
                    .series_events(&Series::meetings(Mode::InPerson, a, b), None)
                    .unwrap()
                    .into_iter()
                    .filter_map(|(id, happened)| happened.then_some(id))
                    .collect();
                let last = happened.last().map(|id| store.event(*id).unwrap().date);
                assert_eq!(
                    store.meetings_tally(Mode::InPerson, a, b).unwrap(),
                    (happened.len(), last),
                    "{a} and {b}"
                );
            }
        }
        let yellow = store.resolve_person("Yan Yellow").unwrap().id;
        assert_eq!(
            store.met_most_of_all(yellow).unwrap().map(|(_, name)| name),
            Some("Abe Alpha".to_string())
        );
        let putin = store.resolve_person("putin").unwrap().id;
        let witkoff = store.resolve_person("witkoff").unwrap().id;
        assert!(
            store
                .meetings_tally(Mode::InPerson, putin, witkoff)
                .unwrap()
                .0
                > 1
        );
    });
}

/// Every reader of the store answers on each engine, over every shape of filter: the SQL of
/// each is written once for both, and a query one engine refuses fails here.
#[test]
fn every_reader_answers_under_every_filter() {
    use crate::domain::series::Series;
    each_engine(|store| {
        let mut store = seeded(store);
        let putin = store.resolve_person("putin").unwrap().id;
        let witkoff = store.resolve_person("witkoff").unwrap().id;
        let prior = crate::domain::prior::Prior::new(
            Series::meetings(Mode::InPerson, putin, witkoff),
            crate::domain::prior::PriorCount {
                count: 2,
                last: None,
                place: String::new(),
                sources: vec![Source {
                    outlet: "TASS".into(),
                    citing: String::new(),
                    url: String::new(),
                    published: None,
                    via: String::new(),
                }],
            },
        );
        store.set_prior(&prior).unwrap();
        let filters = [
            EventFilter::default(),
            EventFilter {
                people: vec![putin],
                ..EventFilter::default()
            },
            EventFilter {
                people: vec![putin, witkoff],
                country: Country::parse("RU").ok(),
                search: vec!["kremlin".into(), "ta".into()],
                from: FuzzyDate::parse_iso("2025").ok(),
                ..EventFilter::default()
            },
            EventFilter {
                side: Country::parse("US").ok(),
                kind: Some(Kind::Meeting),
                ..EventFilter::default()
            },
        ];
        let point = (NaiveDate::from_ymd_opt(2025, 3, 1).unwrap(), 2);
        for filter in &filters {
            for order in [Order::OldestFirst, Order::NewestFirst] {
                store
                    .events_beside(filter, order, Some(point), true, 0, 5)
                    .unwrap();
                store.position(filter, order, point.0, point.1).unwrap();
                for within in [None, Some(10)] {
                    store
                        .next_match(filter, order, point, "talks", true, within)
                        .unwrap();
                }
            }
            store.event_count(filter).unwrap();
            store.event_count_up_to(filter, 1).unwrap();
            store.events_per_month(filter).unwrap();
            store.events_per_kind(filter).unwrap();
            store.events_per_country(filter).unwrap();
            store.most_active(filter, 5).unwrap();
            store.most_met(putin, filter).unwrap();
            store.event_ids(filter).unwrap();
        }
        let ids = store.event_ids(&EventFilter::default()).unwrap();
        let first = store.event(ids[0]).unwrap();
        store.events(&ids).unwrap();
        store.kept_places(&ids).unwrap();
        store.kept_ordinals(&ids).unwrap();
        store
            .events_by_uuid_prefix(&first.uuid.to_string()[..4], 5)
            .unwrap();
        store.event_id_by_uuid(&first.uuid).unwrap();
        store
            .find_same_event(&draft("2025-03-13", "Kremlin talks", &[]))
            .unwrap();
        store.events_with_all(&[putin, witkoff]).unwrap();
        store.events_to_count(&[putin, witkoff]).unwrap();
        store.events_with_published_counts().unwrap();
        store.series_events(&prior.series, None).unwrap();
        store
            .series_members(
                &prior.series,
                NaiveDate::from_ymd_opt(2025, 1, 1),
                NaiveDate::MAX,
            )
            .unwrap();
        store.reported_before(&prior.series, 3).unwrap();
        store.cities().unwrap();
        store.met_most(putin, 5).unwrap();
        store.people().unwrap();
        store.person_summary(putin).unwrap();
        store.person_history(putin).unwrap();
        store.names().unwrap();
        store.countries_by_person().unwrap();
        store.countries_by_city().unwrap();
        store.priors().unwrap();
        store
            .together_before(
                &prior.series,
                NaiveDate::from_ymd_opt(2025, 12, 31).unwrap(),
            )
            .unwrap();
        store.changes(10).unwrap();
        store.data_version().unwrap();
        assert_eq!(store.schema_version().unwrap(), LATEST_VERSION);
        assert_eq!(
            store.kept_count_differences().unwrap(),
            Vec::<String>::new()
        );
    });
}

/// Claims stored before counts had periods, roles, regions or trips hold `since` alone, at any
/// precision; such a database reads as it always did.
#[test]
fn a_count_stored_with_since_alone_reads_back() {
    each_engine(|mut store| {
        let mut event = draft(
            "2025-10-24",
            "Dmitriev in Miami",
            &[("Kirill Dmitriev", "RU", true)],
        );
        event.sources = vec![Source {
            outlet: "The Moscow Times".into(),
            ..Source::default()
        }];
        let id = store.add_event(&event, NewPeople::Create).unwrap();
        store
            .conn
            .execute(
                "INSERT INTO claim (event_id, position, aspect, value, sources, note, count) \
                 VALUES (?, 0, 'count', 'his second US visit since 2022', '0', '', ?)",
                params![
                    id,
                    r#"{"people":["Kirill Dmitriev"],"kind":"visit","number":2,"country":"US","since":"2022"}"#
                ],
            )
            .unwrap();
        let count = store.event(id).unwrap().claims[0].count.clone().unwrap();
        assert_eq!(
            count.counted,
            crate::domain::claim::Counted::Visits(crate::domain::claim::Destination::Country(
                Country::parse("US").unwrap()
            ))
        );
        assert_eq!(count.scope.since, NaiveDate::from_ymd_opt(2022, 1, 1));
        assert_eq!((count.scope.until, count.scope.role), (None, None));
    });
}

/// A record made before people had short names (schema 11), with two people of one family
/// name, is upgraded with none set: labels are family names, told apart; a short name set
/// afterwards is kept, and undone.
#[test]
fn a_version_11_database_is_upgraded_to_short_names_by_the_family_name() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v11.db");
    {
        let conn = open_sqlite(&path).unwrap();
        for sql in &schema::MIGRATIONS[..11] {
            conn.execute_batch(sql).unwrap();
        }
        for (version, sql) in schema::MIGRATIONS[..11].iter().enumerate() {
            conn.execute(
                "INSERT INTO schema_migration (version, hash) VALUES (?, ?)",
                params![version as i64 + 1, schema::migration_hash(sql)],
            )
            .unwrap();
        }
        conn.execute_batch(&format!(
            "PRAGMA application_id = {}; PRAGMA user_version = 11;
             INSERT INTO person (id, name, name_key, country) VALUES
               (1, 'George H. W. Bush', 'george h. w. bush', 'US'),
               (2, 'George W. Bush', 'george w. bush', 'US'),
               (3, 'Ulysses S. Grant II', 'ulysses s. grant ii', 'US');",
            schema::APPLICATION_ID
        ))
        .unwrap();
    }
    let mut store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), LATEST_VERSION);
    let grant = store.person(3).unwrap();
    assert_eq!(grant.short_name, "");
    assert_eq!(grant.short(), "Grant");
    let labels = store.labels().unwrap();
    assert_eq!(labels.get(1, "George H. W. Bush"), "G.H.W. Bush");
    assert_eq!(labels.get(2, "George W. Bush"), "G.W. Bush");
    assert_eq!(labels.get(3, "Ulysses S. Grant II"), "Grant");

    let mut edited = store.person(1).unwrap();
    edited.short_name = "  Bush  41 ".into();
    assert_eq!(store.edit_person(&edited).unwrap().short_name, "Bush 41");
    drop(store);
    let mut store = Store::open(&path).unwrap();
    assert_eq!(store.person(1).unwrap().short(), "Bush 41");
    let labels = store.labels().unwrap();
    assert_eq!(labels.get(1, "George H. W. Bush"), "Bush 41");
    assert_eq!(
        labels.get(2, "George W. Bush"),
        "Bush",
        "no one else's is Bush now"
    );
    store.undo().unwrap();
    assert_eq!(store.person(1).unwrap().short_name, "");
}

/// The indexes of the record, by name with their definitions.
fn indexes(store: &Store) -> Vec<(String, Option<String>)> {
    store
        .conn
        .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<db::Result<_>>()
        .unwrap()
}

/// The page cache the connection has now, in KiB (`cache_size` as SQLite gives it, negative).
fn page_cache_kib(store: &Store) -> i64 {
    let size: i64 = store
        .conn
        .query_row("PRAGMA cache_size", [], |r| r.get(0))
        .unwrap();
    -size
}

/// Imports `count` meetings between two pairs of people, in Moscow, over 25 years; `fail`
/// makes the import fail after its last record.
fn import_many(store: &mut Store, count: usize, fail: bool) -> Result<()> {
    import_range(store, 0..count, fail)
}

/// As `import_many`, the meetings numbered `numbers` of the same sequence.
fn import_range(store: &mut Store, numbers: std::ops::Range<usize>, fail: bool) -> Result<()> {
    let names = [
        "Vladimir Putin",
        "Sergei Lavrov",
        "Steve Witkoff",
        "Marco Rubio",
    ];
    store
        .import(true, "import of many.csv", |importer| {
            for i in numbers.clone() {
                let date = format!("{}-{:02}-{:02}", 2000 + i % 25, 1 + i % 12, 1 + i % 28);
                let who = [
                    (names[i % 2], "RU", false),
                    (names[2 + (i / 2) % 2], "US", false),
                ];
                importer.record(
                    &draft(&date, &format!("talks {i}"), &who),
                    OnConflict::Refuse,
                )?;
            }
            if fail {
                return Err(StoreError::NoSuchEvent("the end of the file".into()));
            }
            Ok(())
        })
        .map(drop)
}

#[test]
fn an_import_large_enough_for_the_bulk_path_keeps_every_index_and_every_kept_count() {
    let mut store = Store::open_in_memory().unwrap();
    import_many(&mut store, 10, false).unwrap();
    let before = indexes(&store);
    import_many(&mut store, 2_600, false).unwrap();
    assert_eq!(indexes(&store), before);
    assert_eq!(
        page_cache_kib(&store),
        super::sqlite::PAGE_CACHE_KIB,
        "the bulk path's small cache ends with the import"
    );
    assert_eq!(store.verify().unwrap().findings, Vec::new());
    let visits: i64 = store
        .conn
        .query_row(
            "SELECT count(*) FROM series_place WHERE series LIKE 'visit %'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(visits > 0, "the Americans' visits to Moscow are ranked");
    let filter = EventFilter {
        search: vec!["talks 2599".into()],
        ..EventFilter::default()
    };
    let found = store
        .events_page(&filter, Order::OldestFirst, 0, 10)
        .unwrap();
    assert_eq!(found.len(), 1, "the search index holds the last event");
}

/// Every kept place of a meeting series and every kept pair count, in a fixed order.
fn places_and_pairs(store: &Store) -> Vec<String> {
    let mut kept: Vec<String> = store
        .conn
        .prepare(
            "SELECT series, event_id, low, high, previous FROM series_place \
             ORDER BY series, event_id",
        )
        .unwrap()
        .query_map([], |r| {
            Ok(format!(
                "{} #{} {}-{} after {:?}",
                r.get::<String>(0)?,
                r.get::<i64>(1)?,
                r.get::<i64>(2)?,
                r.get::<i64>(3)?,
                r.get::<Option<i64>>(4)?
            ))
        })
        .unwrap()
        .collect::<db::Result<_>>()
        .unwrap();
    kept.extend(
        store
            .conn
            .prepare("SELECT mode, first, second, meetings FROM pair_meetings ORDER BY 1, 2, 3")
            .unwrap()
            .query_map([], |r| {
                Ok(format!(
                    "{} {} {}: {}",
                    r.get::<String>(0)?,
                    r.get::<i64>(1)?,
                    r.get::<i64>(2)?,
                    r.get::<i64>(3)?
                ))
            })
            .unwrap()
            .collect::<db::Result<Vec<_>>>()
            .unwrap(),
    );
    kept
}

#[test]
fn a_bulk_import_ranks_its_series_as_imports_row_by_row_do() {
    // The bulk path ranks the series in one pass (`ranks::rank_in_one_pass`); imports below
    // its threshold rank them one at a time. Dates wrap around, so the places of the events
    // on record before move as the later ones come in between them.
    let mut bulk = Store::open_in_memory().unwrap();
    import_range(&mut bulk, 0..100, false).unwrap();
    import_range(&mut bulk, 100..2_600, false).unwrap();
    let mut by_row = Store::open_in_memory().unwrap();
    for from in (0..2_600).step_by(100) {
        import_range(&mut by_row, from..from + 100, false).unwrap();
    }
    let kept = places_and_pairs(&bulk);
    assert_eq!(kept, places_and_pairs(&by_row));
    assert!(
        kept.iter().any(|place| place.ends_with(": 650")),
        "each of the four pairs met 650 times: {:?}",
        &kept[kept.len() - 4..]
    );
    assert_eq!(bulk.verify().unwrap().findings, Vec::new());
}

#[test]
fn a_bulk_import_that_fails_leaves_the_record_and_its_indexes_as_they_were() {
    let mut store = Store::open_in_memory().unwrap();
    import_many(&mut store, 10, false).unwrap();
    let before = indexes(&store);
    assert!(import_many(&mut store, 2_600, true).is_err());
    assert_eq!(indexes(&store), before);
    assert_eq!(page_cache_kib(&store), super::sqlite::PAGE_CACHE_KIB);
    let events: i64 = store
        .conn
        .query_row("SELECT count(*) FROM event", [], |r| r.get(0))
        .unwrap();
    assert_eq!(events, 10);
    assert_eq!(store.verify().unwrap().findings, Vec::new());
}
