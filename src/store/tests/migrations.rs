//! PostgreSQL's migrations from the version-11 baseline on. The mechanism runs here with steps
//! of the tests' own (a version 12 that adds regions and counts them, a 13), and the record
//! with attache's own, from a version-11 record made by the release before migrations
//! (`tests/fixtures/postgresql-v11.sql`).

use super::pg;
use crate::store::server::migrations::{self, settle};
use crate::store::{LATEST_VERSION, Store, StoreError};

/// Version 12 of the tests: a table filled from the record, so that running it twice fails
/// and running it on the wrong rows shows.
const REGIONS: &str = r#"
CREATE TABLE region (
    country TEXT COLLATE "C" PRIMARY KEY,
    events  BIGINT NOT NULL
);
INSERT INTO region SELECT country, count(*) FROM event WHERE country IS NOT NULL GROUP BY country;
"#;

/// Another build's version 12.
const OTHER_REGIONS: &str = "CREATE TABLE region (country TEXT PRIMARY KEY);";

/// Version 13 of the tests.
const TRIPS: &str = "ALTER TABLE event ADD COLUMN trip BIGINT;";

/// Made by attache before PostgreSQL had migrations, with its JSON export of the time.
const V11_DUMP: &str = include_str!("../../../tests/fixtures/postgresql-v11.sql");
const V11_EXPORT: &str = include_str!("../../../tests/fixtures/postgresql-v11.json");

const LABEL: &str = "the test database";

/// What the release recorded for its schema, and what this attache's baseline must hash to.
const BASELINE_HASH: &str = "abab1fc85c6a8410";

fn connect(url: &str) -> postgres::Client {
    postgres::Client::connect(url, postgres::NoTls).unwrap()
}

/// A new database holding the version-11 record, or `None` without PostgreSQL.
fn v11_database() -> Option<String> {
    let url = pg::fresh_database()?;
    // The dump empties the search path of the session that loads it: a connection of its own.
    connect(&url).batch_execute(V11_DUMP).unwrap();
    Some(url)
}

/// Everything a migration could change or a refusal must leave alone: the tables and their
/// columns, the version, the recorded migrations and the events.
fn state(url: &str) -> Vec<String> {
    let mut client = connect(url);
    let mut state: Vec<String> = client
        .query(
            "SELECT table_name || '.' || column_name FROM information_schema.columns
              WHERE table_schema = current_schema() ORDER BY 1",
            &[],
        )
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect();
    for sql in [
        "SELECT 'version ' || version FROM attache_schema",
        "SELECT 'migration ' || version || ' ' || hash || ' ' || applied_at FROM schema_migration ORDER BY version",
        "SELECT 'event ' || id || ' ' || title || ' ' || version FROM event ORDER BY id",
    ] {
        state.extend(client.query(sql, &[]).unwrap().iter().map(|row| row.get(0)));
    }
    state
}

fn recorded(url: &str) -> Vec<(i64, String)> {
    connect(url)
        .query(
            "SELECT version, hash FROM schema_migration ORDER BY version",
            &[],
        )
        .unwrap()
        .iter()
        .map(|row| (row.get(0), row.get(1)))
        .collect()
}

fn version(url: &str) -> i64 {
    connect(url)
        .query_one("SELECT version FROM attache_schema", &[])
        .unwrap()
        .get(0)
}

fn hash(sql: &str) -> String {
    crate::store::schema::migration_hash(sql)
}

#[test]
fn a_version_11_record_made_by_the_release_before_migrations_upgrades_once() {
    let Some(url) = v11_database() else {
        return;
    };
    let mut client = connect(&url);
    let notice = settle(&mut client, LABEL, &[REGIONS]).unwrap();
    assert_eq!(
        notice.as_deref(),
        Some(
            "upgraded the test database from schema version 11 to 12; an attache older than this one can no longer open it"
        )
    );
    assert_eq!(version(&url), 12);
    assert_eq!(
        recorded(&url),
        [(11, BASELINE_HASH.to_string()), (12, hash(REGIONS))]
    );
    // The step ran on the record as it was: 26 events, of which one was deleted and one added.
    let regions: Vec<(String, i64)> = client
        .query(
            "SELECT country, events FROM region WHERE country IN ('RU', 'US') ORDER BY 1",
            &[],
        )
        .unwrap()
        .iter()
        .map(|row| (row.get(0), row.get(1)))
        .collect();
    assert_eq!(regions, [("RU".to_string(), 8), ("US".to_string(), 5)]);

    // Opened again, nothing runs: REGIONS run twice would fail on its table.
    let before = state(&url);
    assert_eq!(settle(&mut client, LABEL, &[REGIONS]).unwrap(), None);
    assert_eq!(state(&url), before);

    // A later release goes on from 12.
    let notice = settle(&mut client, LABEL, &[REGIONS, TRIPS]).unwrap();
    assert!(
        notice
            .as_deref()
            .is_some_and(|n| n.contains("from schema version 12 to 13")),
        "{notice:?}"
    );
    assert_eq!(recorded(&url).last(), Some(&(13, hash(TRIPS))));
}

/// The test the issue asks for: the release's version-11 record, opened by this attache (and
/// so upgraded to the latest schema), exports what a fresh database importing the release's
/// export of it exports.
#[test]
fn a_version_11_record_upgraded_to_the_latest_exports_as_a_fresh_import_of_it() {
    let Some(url) = v11_database() else {
        return;
    };
    let upgraded = Store::open_postgres(&url).unwrap();
    assert_eq!(upgraded.schema_version().unwrap(), LATEST_VERSION);
    assert_eq!(
        upgraded.upgraded.is_some(),
        !migrations::MIGRATIONS.is_empty()
    );
    assert_eq!(
        upgraded.kept_count_differences().unwrap(),
        Vec::<String>::new()
    );
    let Some(fresh_url) = pg::fresh_database() else {
        return;
    };
    let mut fresh = Store::open_postgres(&fresh_url).unwrap();
    crate::interchange::json::import(
        &mut fresh,
        V11_EXPORT.as_bytes(),
        "postgresql-v11.json",
        false,
        crate::interchange::OnConflict::default(),
        false,
    )
    .unwrap();
    let export = |store: &Store| {
        let mut out = Vec::new();
        crate::interchange::json::export(store, &crate::store::EventFilter::default(), &mut out)
            .unwrap();
        String::from_utf8(out).unwrap()
    };
    let ours = export(&upgraded);
    assert_eq!(ours, export(&fresh));
    assert!(
        ours.contains("Presidential Library, reading room"),
        "{ours}"
    );
    assert!(ours.contains("Sergei Lavrov"), "{ours}");
}

#[test]
fn a_new_database_is_created_through_every_step_and_says_nothing() {
    let Some(url) = pg::fresh_database() else {
        return;
    };
    let notice = settle(&mut connect(&url), LABEL, &[REGIONS, TRIPS]).unwrap();
    assert_eq!(notice, None);
    assert_eq!(version(&url), 13);
    assert_eq!(
        recorded(&url),
        [
            (11, BASELINE_HASH.to_string()),
            (12, hash(REGIONS)),
            (13, hash(TRIPS))
        ]
    );
}

/// Two attaches opening an old record at once: one upgrades it, the other waits for the lock
/// and finds it done. Without the lock both would run the step and one would fail.
#[test]
fn two_openers_at_once_apply_a_step_once() {
    let Some(url) = v11_database() else {
        return;
    };
    let slow = format!("SELECT pg_sleep(0.5);{REGIONS}");
    let start = std::sync::Barrier::new(2);
    let notices: Vec<Option<String>> = std::thread::scope(|scope| {
        let openers: Vec<_> = (0..2)
            .map(|_| {
                scope.spawn(|| {
                    let mut client = connect(&url);
                    start.wait();
                    settle(&mut client, LABEL, &[slow.as_str()])
                })
            })
            .collect();
        openers
            .into_iter()
            .map(|opener| opener.join().unwrap().unwrap())
            .collect()
    });
    assert_eq!(
        notices.iter().filter(|n| n.is_some()).count(),
        1,
        "{notices:?}"
    );
    assert_eq!(version(&url), 12);
    assert_eq!(recorded(&url).len(), 2);
}

/// Every write takes the writers' lock first; an upgrade waits for it, and gives up as a write
/// does when it is held too long, changing nothing.
#[test]
fn an_upgrade_waits_for_a_write_under_way_and_gives_up_as_busy() {
    let Some(url) = v11_database() else {
        return;
    };
    let before = state(&url);
    let mut writer = connect(&url);
    let mut write = writer.transaction().unwrap();
    write
        .batch_execute("SELECT pg_advisory_xact_lock(7243656315)")
        .unwrap();
    let mut client = connect(&url);
    client.batch_execute("SET lock_timeout = '200ms'").unwrap();
    let err = settle(&mut client, LABEL, &[REGIONS]).unwrap_err();
    assert!(matches!(err, StoreError::Busy { .. }), "{err}");
    write.rollback().unwrap();
    assert_eq!(state(&url), before);
    assert!(settle(&mut client, LABEL, &[REGIONS]).unwrap().is_some());
}

/// All steps or none: the second step failing takes the first back with it.
#[test]
fn a_failing_step_leaves_the_record_at_11_as_it_was() {
    let Some(url) = v11_database() else {
        return;
    };
    let before = state(&url);
    let broken = "ALTER TABLE event ADD COLUMN trip BIGINT; SELECT 1 / 0;";
    let err = settle(&mut connect(&url), LABEL, &[REGIONS, broken]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the test database: cannot open the database: cannot upgrade attache's tables from schema version 11 to 13 (they were left at 11): migration 13: division by zero"
    );
    assert_eq!(state(&url), before);
}

#[test]
fn a_record_from_a_newer_attache_is_refused_untouched() {
    let Some(url) = v11_database() else {
        return;
    };
    let mut client = connect(&url);
    settle(&mut client, LABEL, &[REGIONS, TRIPS]).unwrap();
    let before = state(&url);
    let err = settle(&mut client, LABEL, &[REGIONS]).unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::TooNew {
                found: 13,
                supported: 12,
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(state(&url), before);
}

/// A record whose recorded migrations are not this attache's (an edited release, a fork) is
/// refused before any step runs, even one it lacks.
#[test]
fn a_record_whose_migrations_differ_is_refused_untouched() {
    let Some(url) = v11_database() else {
        return;
    };
    let mut client = connect(&url);
    settle(&mut client, LABEL, &[REGIONS]).unwrap();
    let before = state(&url);
    let refusal = |client: &mut postgres::Client, steps: &[&str]| {
        settle(client, LABEL, steps).unwrap_err().to_string()
    };
    assert_eq!(
        refusal(&mut client, &[OTHER_REGIONS, TRIPS]),
        "the test database: schema migration 12 recorded in the database differs from this attache's: the file was changed by another build of attache; it was not changed now"
    );
    assert_eq!(state(&url), before);

    client
        .batch_execute("UPDATE schema_migration SET hash = 'edited' WHERE version = 11")
        .unwrap();
    let before = state(&url);
    assert!(
        refusal(&mut client, &[REGIONS, TRIPS])
            .contains("schema migration 11 recorded in the database differs"),
        "the baseline"
    );
    assert_eq!(state(&url), before);

    client
        .batch_execute(&format!(
            "UPDATE schema_migration SET hash = '{BASELINE_HASH}' WHERE version = 11;
             DELETE FROM schema_migration WHERE version = 12"
        ))
        .unwrap();
    let before = state(&url);
    assert!(
        refusal(&mut client, &[REGIONS, TRIPS])
            .contains("schema migration 12 is not recorded as applied, unlike this attache's")
    );
    assert_eq!(state(&url), before);
}

/// One version number means the same tables on both engines: a fresh record at the latest
/// version has the same tables and columns on each (less each engine's own: PostgreSQL's
/// version row, SQLite's sequences and search index).
#[test]
fn both_engines_have_the_same_tables_and_columns_at_the_latest_version() {
    let Some(url) = pg::fresh_database() else {
        return;
    };
    drop(Store::open_postgres(&url).unwrap());
    let mut postgres: Vec<String> = connect(&url)
        .query(
            "SELECT table_name || '.' || column_name FROM information_schema.columns
              WHERE table_schema = current_schema() AND table_name <> 'attache_schema'",
            &[],
        )
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect();
    postgres.sort();
    let sqlite = Store::open_in_memory().unwrap();
    let mut columns: Vec<String> = sqlite
        .conn
        .prepare(
            "SELECT m.name || '.' || c.name FROM sqlite_master m, pragma_table_info(m.name) c
              WHERE m.type = 'table' AND m.name <> 'sqlite_sequence'
                AND m.name NOT LIKE 'event_search%'",
        )
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<crate::store::db::Result<_>>()
        .unwrap();
    columns.sort();
    assert_eq!(postgres, columns);
}

/// The release's version-11 record, upgraded: its people have no short name set, and one set
/// afterwards is kept as on SQLite.
#[test]
fn a_version_11_record_upgraded_labels_people_by_family_name_until_one_is_set() {
    let Some(url) = v11_database() else {
        return;
    };
    let mut store = Store::open_postgres(&url).unwrap();
    let people = store.people().unwrap();
    assert!(people.iter().all(|p| p.person.short_name.is_empty()));
    let witkoff = store.resolve_person("Steve Witkoff").unwrap();
    assert_eq!(witkoff.short(), "Witkoff");
    let mut edited = witkoff.clone();
    edited.short_name = "Envoy".into();
    store.edit_person(&edited).unwrap();
    assert_eq!(store.person(witkoff.id).unwrap().short_name, "Envoy");
    assert_eq!(
        store.labels().unwrap().get(witkoff.id, &witkoff.name),
        "Envoy"
    );
}

/// Visits are ranked per trip from schema 13 on (`store::trips`), in Rust, after the step's
/// SQL: a record upgraded from 11 has every visit place worked out again, whatever it held.
#[test]
fn a_version_11_record_upgraded_ranks_its_visits_again_per_trip() {
    let Some(url) = v11_database() else {
        return;
    };
    let mut client = connect(&url);
    let stale = client
        .execute(
            "UPDATE series_place SET low = 99, high = 99 WHERE series LIKE 'visit %'",
            &[],
        )
        .unwrap();
    assert!(stale > 0, "the release kept visit places");
    let upgraded = Store::open_postgres(&url).unwrap();
    assert_eq!(
        upgraded.kept_count_differences().unwrap(),
        Vec::<String>::new()
    );
    let per_trip: i64 = client
        .query_one(
            "SELECT count(*) FROM series_place WHERE visit IS NOT NULL AND low < 99",
            &[],
        )
        .unwrap()
        .get(0);
    assert!(per_trip > 0);
    assert_eq!(upgraded.verify().unwrap().findings, Vec::new());
}
