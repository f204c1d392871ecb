//! Visits kept per trip: what the store ranks and keeps, and the user's splits and joins.

use crate::store::db::params;

use super::super::*;
use super::each_engine;
use crate::domain::series::Series;
use crate::domain::{Country, DraftParticipant, EventDraft, FuzzyDate, Kind, Mode};
use crate::store::engine::sqlite::open as open_sqlite;

/// An in-person event in `country` on `date`, with each (name, side, head).
fn stop(date: &str, country: &str, who: &[(&str, &str, bool)]) -> EventDraft {
    let mut d = EventDraft::new(
        FuzzyDate::parse_iso(date).unwrap(),
        &format!("in {country}"),
    );
    d.place.country = Country::parse(country).ok();
    d.participants = who
        .iter()
        .map(|(name, side, head)| DraftParticipant {
            name: name.to_string(),
            side: Country::parse(side).unwrap(),
            head: *head,
        })
        .collect();
    d
}

const BLINKEN: (&str, &str, bool) = ("Antony Blinken", "US", true);

fn add(store: &mut Store, draft: &EventDraft) -> i64 {
    store.add_event(draft, NewPeople::Create).unwrap()
}

fn person(store: &Store, name: &str) -> i64 {
    store
        .names()
        .unwrap()
        .into_iter()
        .find(|(_, n, _)| n == name)
        .unwrap()
        .0
}

/// The kept place (low end) of `event` among `name`'s visits to `country`.
fn visit(store: &Store, event: i64, name: &str, country: &str) -> Option<usize> {
    let series = Series::Visits {
        person: person(store, name),
        country: country.into(),
    };
    store
        .kept_places(&[event])
        .unwrap()
        .remove(&event)
        .unwrap_or_default()
        .into_iter()
        .find(|p| p.series == series)
        .map(|p| p.ordinal.low)
}

fn clean(store: &Store) {
    assert_eq!(
        store.kept_count_differences().unwrap(),
        Vec::<String>::new()
    );
    assert_eq!(store.verify().unwrap().findings, Vec::new());
}

#[test]
fn a_trip_with_a_country_twice_is_one_visit_and_each_event_holds_its_place() {
    each_engine(|mut store| {
        let ids: Vec<i64> = [
            ("2023-10-12", "IL"),
            ("2023-10-13", "JO"),
            ("2023-10-14", "QA"),
            ("2023-10-15", "EG"),
            ("2023-10-16", "IL"),
            ("2023-11-03", "IL"),
        ]
        .iter()
        .map(|(date, country)| add(&mut store, &stop(date, country, &[BLINKEN])))
        .collect();
        let places: Vec<Option<usize>> = [ids[0], ids[4], ids[5]]
            .iter()
            .map(|e| visit(&store, *e, "Antony Blinken", "IL"))
            .collect();
        assert_eq!(places, [Some(1), Some(1), Some(2)]);
        let trip = store
            .trip_of(ids[1], person(&store, "Antony Blinken"))
            .unwrap()
            .unwrap();
        assert_eq!(trip.id, ids[0]);
        assert_eq!(trip.events.len(), 5);
        let codes: Vec<&str> = trip.countries.iter().map(Country::code).collect();
        assert_eq!(codes, ["IL", "JO", "QA", "EG"]);
        clean(&store);
    });
}

#[test]
fn two_events_in_one_country_on_one_day_are_one_visit() {
    each_engine(|mut store| {
        let earlier = add(&mut store, &stop("2021-03-23", "BE", &[BLINKEN]));
        let a = add(&mut store, &stop("2021-03-24", "BE", &[BLINKEN]));
        let b = add(&mut store, &stop("2021-03-24", "BE", &[BLINKEN]));
        let later = add(&mut store, &stop("2021-12-01", "BE", &[BLINKEN]));
        let places: Vec<Option<usize>> = [earlier, a, b, later]
            .iter()
            .map(|e| visit(&store, *e, "Antony Blinken", "BE"))
            .collect();
        assert_eq!(places, [Some(1), Some(1), Some(1), Some(2)]);
        clean(&store);
    });
}

#[test]
fn a_stopover_is_part_of_a_trip_but_never_a_visit_nor_a_meeting() {
    each_engine(|mut store| {
        let mut ramstein = stop(
            "2015-01-24",
            "DE",
            &[("Barack Obama", "US", true), ("Angela Merkel", "DE", true)],
        );
        ramstein.kind = Kind::Stopover;
        let ramstein = add(&mut store, &ramstein);
        let delhi = add(
            &mut store,
            &stop("2015-01-25", "IN", &[("Barack Obama", "US", true)]),
        );
        let obama = person(&store, "Barack Obama");
        assert_eq!(visit(&store, ramstein, "Barack Obama", "DE"), None);
        assert_eq!(visit(&store, delhi, "Barack Obama", "IN"), Some(1));
        let places = store.kept_places(&[ramstein]).unwrap();
        assert!(
            places.get(&ramstein).is_none_or(Vec::is_empty),
            "no meeting place either: {places:?}"
        );
        assert!(store.met_most(obama, 5).unwrap().is_empty(), "met no one");
        let trip = store.trip_of(ramstein, obama).unwrap().unwrap();
        assert_eq!(trip.events, [ramstein, delhi]);
        assert_eq!(trip.countries, [Country::parse("IN").unwrap()]);
        clean(&store);
    });
}

#[test]
fn home_is_the_usual_side_until_a_country_is_given() {
    each_engine(|mut store| {
        let chiang = ("Chiang Kai-shek", "CN", true);
        // Seen first heading the Chinese side in Cairo, then three times the Taiwanese one in
        // Taipei.
        let cairo = add(&mut store, &stop("1943-11-23", "EG", &[chiang]));
        let taipei: Vec<i64> = ["1950-03-01", "1955-03-01", "1960-03-01"]
            .iter()
            .map(|d| {
                add(
                    &mut store,
                    &stop(d, "TW", &[("Chiang Kai-shek", "TW", true)]),
                )
            })
            .collect();
        let id = person(&store, "Chiang Kai-shek");
        assert_eq!(
            store.person(id).unwrap().country,
            None,
            "no country from the first side"
        );
        for event in &taipei {
            assert_eq!(
                visit(&store, *event, "Chiang Kai-shek", "TW"),
                None,
                "at home"
            );
        }
        assert_eq!(visit(&store, cairo, "Chiang Kai-shek", "EG"), Some(1));
        assert_eq!(
            store.people_on_several_sides().unwrap(),
            vec![SeveralSides {
                person: id,
                name: "Chiang Kai-shek".into(),
                home: "TW".into(),
                given: false,
                sides: vec![("CN".to_string(), 1)]
            }]
        );
        // Given a home of CN, Taipei is abroad: each stay there a visit of its own.
        let mut given = store.person(id).unwrap();
        given.country = Country::parse("CN").ok();
        store.edit_person(&given).unwrap();
        let places: Vec<Option<usize>> = taipei
            .iter()
            .map(|e| visit(&store, *e, "Chiang Kai-shek", "TW"))
            .collect();
        assert_eq!(places, [Some(1), Some(2), Some(3)]);
        assert_eq!(
            store.other_sides(id).unwrap(),
            vec![("TW".to_string(), 3)],
            "the detail's sides other than home"
        );
        clean(&store);
        store.undo().unwrap();
        assert_eq!(visit(&store, taipei[0], "Chiang Kai-shek", "TW"), None);
        clean(&store);
    });
}

#[test]
fn the_user_splits_and_joins_trips_and_undo_takes_it_back() {
    each_engine(|mut store| {
        let zelensky = ("Volodymyr Zelensky", "UA", true);
        let ua = add(&mut store, &stop("2024-09-20", "UA", &[zelensky]));
        let un = add(&mut store, &stop("2024-09-22", "US", &[zelensky]));
        let dc = add(&mut store, &stop("2024-09-26", "US", &[zelensky]));
        let next = add(&mut store, &stop("2024-09-27", "US", &[zelensky]));
        let places = |store: &Store| -> Vec<Option<usize>> {
            [un, dc, next]
                .iter()
                .map(|e| visit(store, *e, "Volodymyr Zelensky", "US"))
                .collect()
        };
        assert_eq!(places(&store), [Some(1), Some(2), Some(2)]);
        store.join_trip(dc, un).unwrap();
        assert_eq!(places(&store), [Some(1), Some(1), Some(1)]);
        clean(&store);
        store.split_trip(next).unwrap();
        assert_eq!(places(&store), [Some(1), Some(1), Some(2)]);
        clean(&store);
        store.undo().unwrap();
        assert_eq!(places(&store), [Some(1), Some(1), Some(1)]);
        store.undo().unwrap();
        assert_eq!(places(&store), [Some(1), Some(2), Some(2)]);
        store.redo().unwrap();
        assert_eq!(places(&store), [Some(1), Some(1), Some(1)]);
        clean(&store);
        // A deleted event comes back with the user's word on its trip.
        store.delete_event(dc).unwrap();
        store.undo().unwrap();
        assert_eq!(places(&store), [Some(1), Some(1), Some(1)]);
        clean(&store);

        let refused = |result: Result<()>, says: &str| match result {
            Err(e) => assert!(e.to_string().contains(says), "{e} should say {says}"),
            Ok(()) => panic!("should be refused: {says}"),
        };
        refused(store.split_trip(un), "already starts a trip");
        refused(store.split_trip(ua), "is on no trip");
        refused(store.join_trip(un, next), "already on one trip");
        refused(store.join_trip(un, un), "itself");
        refused(store.split_trip(999), "999");
        let mut call = stop("2024-09-23", "US", &[zelensky]);
        call.mode = Mode::Phone;
        let call = add(&mut store, &call);
        refused(store.split_trip(call), "not held in person");
        let other = add(
            &mut store,
            &stop("2024-09-28", "US", &[("Joe Biden", "US", true)]),
        );
        refused(store.join_trip(next, other), "no one in common");
        let far = add(&mut store, &stop("2024-12-01", "FR", &[zelensky]));
        let home = add(&mut store, &stop("2024-11-01", "UA", &[zelensky]));
        refused(store.join_trip(next, far), "at home between them");
        store.delete_event(home).unwrap();
        let between = add(&mut store, &stop("2024-11-01", "DE", &[zelensky]));
        refused(
            store.join_trip(next, far),
            &format!("another trip of Volodymyr Zelensky (#{between})"),
        );
        clean(&store);
    });
}

/// A record from before trips (schema 11) keeps a visit place per event; opening it with
/// this attache ranks every person's visits again, per trip.
#[test]
fn an_upgrade_ranks_visits_per_trip() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v11.db");
    {
        let conn = open_sqlite(&path).unwrap();
        for (index, sql) in schema::MIGRATIONS[..11].iter().enumerate() {
            conn.execute_batch(sql).unwrap();
            if index + 1 >= schema::RECORDED_MIGRATIONS {
                for recorded in (if index + 1 == schema::RECORDED_MIGRATIONS {
                    1
                } else {
                    index + 1
                })..=index + 1
                {
                    conn.execute(
                        "INSERT INTO schema_migration (version, hash) VALUES (?, ?)",
                        params![
                            recorded as i64,
                            schema::migration_hash(schema::MIGRATIONS[recorded - 1])
                        ],
                    )
                    .unwrap();
                }
            }
        }
        conn.execute_batch(&format!(
            "PRAGMA application_id = {}; PRAGMA user_version = 11;
             INSERT INTO person (id, name, name_key, country) VALUES (1, 'Antony Blinken', 'antony blinken', 'US');
             INSERT INTO event (id, uuid, date_first, date_last, precision, title, kind, mode, status, country)
               VALUES (1, '00000000-0000-4000-8000-000000000001', '2021-03-24', '2021-03-24', 'day', 'NATO', 'meeting', 'in-person', 'confirmed', 'BE'),
                      (2, '00000000-0000-4000-8000-000000000002', '2021-03-24', '2021-03-24', 'day', 'EU', 'meeting', 'in-person', 'confirmed', 'BE'),
                      (3, '00000000-0000-4000-8000-000000000003', '2021-12-01', '2021-12-01', 'day', 'NATO', 'meeting', 'in-person', 'confirmed', 'BE');
             INSERT INTO participation (event_id, person_id, position, side, head, date_first, meets) VALUES
               (1, 1, 0, 'US', 1, '2021-03-24', 1), (2, 1, 0, 'US', 1, '2021-03-24', 1), (3, 1, 0, 'US', 1, '2021-12-01', 1);
             INSERT INTO series_place (series, event_id, date_first, date_last, to_the_day, happened, low, high)
               VALUES ('visit 1 BE', 1, '2021-03-24', '2021-03-24', 1, 1, 1, 1),
                      ('visit 1 BE', 2, '2021-03-24', '2021-03-24', 1, 1, 2, 2),
                      ('visit 1 BE', 3, '2021-12-01', '2021-12-01', 1, 1, 3, 3);
             UPDATE person SET events = 3, meetings = 3, last_seen = '2021-12-01';
             INSERT INTO tally VALUES ('month', '2021-03', 2), ('month', '2021-12', 1),
               ('kind', 'meeting', 3), ('country', 'BE', 3);",
            schema::APPLICATION_ID
        ))
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), LATEST_VERSION);
    let places: Vec<Option<usize>> = [1, 2, 3]
        .iter()
        .map(|e| visit(&store, *e, "Antony Blinken", "BE"))
        .collect();
    assert_eq!(
        places,
        [Some(1), Some(1), Some(2)],
        "the 24 March events are one visit"
    );
    assert_eq!(
        store.kept_count_differences().unwrap(),
        Vec::<String>::new()
    );
}

/// A copy keeps the user's splits and joins and the kept trips with the rest of the record.
#[test]
fn a_copy_keeps_the_trips_as_the_user_cut_them() {
    let mut store = Store::open_in_memory().unwrap();
    let zelensky = ("Volodymyr Zelensky", "UA", true);
    let un = add(&mut store, &stop("2024-09-22", "US", &[zelensky]));
    let dc = add(&mut store, &stop("2024-09-26", "US", &[zelensky]));
    store.join_trip(un, dc).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut copy = Store::open(&dir.path().join("copy.db")).unwrap();
    store.copy_into(&mut copy, |_, _| {}).unwrap();
    assert_eq!(visit(&copy, dc, "Volodymyr Zelensky", "US"), Some(1));
    clean(&copy);
    // The link came along: taking it back in the copy makes two visits again.
    copy.undo().unwrap();
    assert_eq!(visit(&copy, dc, "Volodymyr Zelensky", "US"), Some(2));
}
