//! `attache verify` as a user runs it, on both engines: a clean record verifies and is left as
//! it was; each derived thing corrupted by hand is named, exits 1, and `--repair` rebuilds it.

#![allow(clippy::unwrap_used, reason = "a test fails loudly by design")]

mod common;
#[path = "../examples/synthetic/mod.rs"]
#[allow(
    dead_code,
    clippy::cast_possible_truncation,
    clippy::cast_precision_loss,
    reason = "the benchmarks' generator, whose random numbers are bounded by the modulo that makes them; the tests write CSV only"
)]
mod synthetic;

use common::{Engine, TempDb};
use predicates::prelude::*;
use predicates::str::contains;

/// Runs SQL on the test's database, behind attache's back.
fn corrupt(db: &TempDb, engine: Engine, sql: &str) {
    match engine {
        Engine::Sqlite => rusqlite::Connection::open(&db.path)
            .unwrap()
            .execute_batch(sql)
            .unwrap(),
        Engine::Postgres => postgres::Client::connect(db.path.to_str().unwrap(), postgres::NoTls)
            .unwrap()
            .batch_execute(sql)
            .unwrap(),
    }
}

const TABLES: [&str; 15] = [
    "event",
    "participation",
    "person",
    "person_name",
    "person_title",
    "source",
    "claim",
    "unnamed_side",
    "tally",
    "series_place",
    "pair_meetings",
    "prior",
    "undo_log",
    "schema_migration",
    "attache_schema",
];

/// Everything the database holds: the file's bytes, or every table's rows as text.
fn snapshot(db: &TempDb, engine: Engine) -> Vec<u8> {
    match engine {
        Engine::Sqlite => std::fs::read(&db.path).unwrap(),
        Engine::Postgres => {
            let mut client =
                postgres::Client::connect(db.path.to_str().unwrap(), postgres::NoTls).unwrap();
            let mut all = String::new();
            for table in TABLES {
                let rows: String = client
                    .query_one(
                        &format!(
                            "SELECT coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '') \
                             FROM {table} t"
                        ),
                        &[],
                    )
                    .unwrap()
                    .get(0);
                all.push_str(&rows);
            }
            all.into_bytes()
        }
    }
}

fn a_clean_record_verifies_and_is_left_as_it_was(engine: Engine) {
    let seeded = TempDb::seeded_on(engine);
    let generated = TempDb::empty_on(engine);
    let csv = generated.file("generated.csv");
    synthetic::write_csv(
        1500,
        synthetic::Shape::Flat,
        &mut std::fs::File::create(&csv).unwrap(),
    )
    .unwrap();
    generated
        .cmd()
        .arg("import")
        .arg(&csv)
        .assert()
        .success()
        .stdout(contains("imported 1,500 events"));
    for db in [&seeded, &generated] {
        let before = snapshot(db, engine);
        db.cmd()
            .arg("verify")
            .assert()
            .success()
            .stderr("")
            .stdout(contains("kept counts: ok"))
            .stdout(contains("kept places: ok (every series ranked again"))
            .stdout(contains("search index: ok"))
            .stdout(contains("undo log: ok"))
            .stdout(contains("≠").not());
        db.cmd()
            .args(["verify", "--repair"])
            .assert()
            .success()
            .stdout("nothing differs from the events; nothing was changed\n");
        assert!(snapshot(db, engine) == before, "verify changed the record");
    }
}

/// Each derived thing corrupted by hand: (SQL, what `verify` says of it). #37 is the event the
/// test adds; #10 the third Putin–Witkoff meeting.
fn corruptions(engine: Engine) -> Vec<(&'static str, &'static str)> {
    let mut all = vec![
        (
            "UPDATE series_place SET low = 7, high = 7 WHERE event_id = 10 AND series = 'in-person 1 2'",
            "≠ kept places: place of #10 in series in-person 1 2: kept 7th, after #5, ranked 3rd, after #5",
        ),
        (
            "DELETE FROM tally WHERE dimension = 'month' AND value = '2025-04'",
            "≠ kept counts: events per month of 2025-04: kept none, counted 4",
        ),
        (
            "UPDATE person SET last_seen = '2020-01-01' WHERE id = 2",
            "≠ kept counts: last seen of Steve Witkoff (#2): kept 2020-01-01, counted 2026-03-11",
        ),
        (
            "UPDATE event SET search_text = 'stale' WHERE id = 37",
            "≠ search index: #37: the search text is not what its title, place and people make",
        ),
        (
            "UPDATE undo_log SET after = NULL WHERE action = 'add'",
            "≠ undo log: entry 2: add: the state after it cannot be read",
        ),
    ];
    if engine == Engine::Sqlite {
        all.push((
            "INSERT INTO event_search (event_search, rowid, search_text) \
             SELECT 'delete', id, search_text FROM event WHERE id = 37",
            "≠ search index: the index does not match the events' search text",
        ));
    }
    all
}

fn each_corruption_is_named_exits_1_and_is_repaired(engine: Engine) {
    let db = TempDb::seeded_on(engine);
    db.cmd()
        .args([
            "add",
            "--date",
            "2026-01-22",
            "--title",
            "Talks in Abu Dhabi",
        ])
        .args(["--city", "Abu Dhabi", "--country", "AE"])
        .args([
            "--participant",
            "Dmitriev:RU",
            "--participant",
            "Witkoff:US",
        ])
        .assert()
        .success();
    for (sql, said) in corruptions(engine) {
        corrupt(&db, engine, sql);
        db.cmd()
            .arg("verify")
            .assert()
            .code(1)
            .stdout(contains(said))
            .stderr(predicate::str::is_match("^error: [12] differences? found\n$").unwrap());
        let part = said
            .trim_start_matches("≠ ")
            .split(':')
            .next()
            .unwrap()
            .to_string();
        let rebuilt = if part == "undo log" {
            "removed from the undo log: ".to_string()
        } else {
            format!("rebuilt {part}: ")
        };
        db.cmd()
            .args(["verify", "--repair"])
            .assert()
            .success()
            .stdout(contains(rebuilt))
            .stdout(contains(
                "repaired in one transaction; the record now verifies",
            ));
        let before = snapshot(&db, engine);
        db.cmd().arg("verify").assert().success();
        assert!(snapshot(&db, engine) == before, "{sql}");
    }
    // The searches and counts read what was rebuilt.
    let found = db.json(&["list", "--search", "abu dhabi", "--format", "json"]);
    assert!(
        found.as_array().unwrap().iter().any(|e| e["number"] == 37),
        "{found}"
    );
    db.cmd()
        .args(["count", "putin", "witkoff", "--until", "2025-04-11"])
        .assert()
        .success()
        .stdout(contains("3rd"));
}

fn several_corruptions_are_listed_and_repaired_in_json(engine: Engine) {
    let db = TempDb::seeded_on(engine);
    corrupt(
        &db,
        engine,
        "UPDATE tally SET events = 99 WHERE dimension = 'kind' AND value = 'call'; \
         UPDATE series_place SET previous = NULL WHERE event_id = 10",
    );
    let out = db
        .cmd()
        .args(["verify", "--format", "json"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let report: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(report["ok"], false);
    let parts: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["part"].as_str().unwrap())
        .collect();
    assert_eq!(parts[0], "counts");
    assert!(parts[1..].iter().all(|p| *p == "places"), "{parts:?}");
    assert_eq!(report["checked"].as_array().unwrap().len(), 6);
    let repaired = db.json(&["verify", "--repair", "--format", "json"]);
    assert_eq!(repaired["ok"], true);
    assert_eq!(repaired["repaired"], report["findings"]);
    assert_eq!(
        db.json(&["verify", "--format", "json"])["findings"],
        serde_json::json!([])
    );
}

fn a_hand_edited_migration_hash_is_named_and_not_repaired(engine: Engine) {
    let db = TempDb::seeded_on(engine);
    corrupt(
        &db,
        engine,
        "UPDATE schema_migration SET hash = '0123456789abcdef' \
         WHERE version = (SELECT max(version) FROM schema_migration)",
    );
    let before = snapshot(&db, engine);
    db.cmd()
        .arg("verify")
        .assert()
        .code(1)
        .stdout(contains("≠ migrations: "))
        .stdout(contains(
            "recorded in the database differs from this attache's",
        ))
        .stderr("error: 1 difference found\n");
    db.cmd()
        .args(["verify", "--repair"])
        .assert()
        .code(1)
        .stdout(contains("≠ migrations: "))
        .stderr(
            "error: 1 difference found; the migrations are not derived from the events, so nothing was changed\n",
        );
    let json = db
        .cmd()
        .args(["verify", "--format", "json"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let report: serde_json::Value = serde_json::from_slice(&json).unwrap();
    assert_eq!(report["findings"][0]["part"], "migrations");
    assert!(snapshot(&db, engine) == before);
}

/// Text typed with spaces around it is stored trimmed, and searched as stored: the record
/// verifies after it.
fn text_with_spaces_around_it_verifies(engine: Engine) {
    let db = TempDb::seeded_on(engine);
    db.cmd()
        .args([
            "add",
            "--date",
            "2026-01-22",
            "--title",
            "  Talks in Doha  ",
        ])
        .args([
            "--city",
            " Doha ",
            "--venue",
            " Sheraton ",
            "--country",
            "QA",
        ])
        .args([
            "--participant",
            "Dmitriev:RU",
            "--participant",
            "Witkoff:US",
        ])
        .assert()
        .success();
    db.cmd().arg("verify").assert().success();
}

crate::on_each_engine!(
    a_clean_record_verifies_and_is_left_as_it_was,
    each_corruption_is_named_exits_1_and_is_repaired,
    several_corruptions_are_listed_and_repaired_in_json,
    a_hand_edited_migration_hash_is_named_and_not_repaired,
    text_with_spaces_around_it_verifies,
);

/// A file SQLite itself finds damaged is reported, and `--repair` writes nothing to it.
#[test]
fn a_damaged_file_is_reported_and_not_repaired() {
    let db = TempDb::seeded();
    corrupt(
        &db,
        Engine::Sqlite,
        "PRAGMA foreign_keys = OFF; \
         INSERT INTO person_title (person_id, position, title) VALUES (999, 0, 'Nobody'); \
         UPDATE tally SET events = 0 WHERE dimension = 'kind' AND value = 'call';",
    );
    let before = snapshot(&db, Engine::Sqlite);
    db.cmd()
        .arg("verify")
        .assert()
        .code(1)
        .stdout(contains("the file: 1 difference"))
        .stdout(contains(
            "of person_title refers to a missing row of person",
        ))
        .stderr("error: 2 differences found\n");
    db.cmd()
        .args(["verify", "--repair"])
        .assert()
        .code(1)
        .stdout(contains("≠ the file: "))
        .stderr(contains(
            "--repair rebuilds only what is derived from the events, so nothing was changed: restore the database from a backup",
        ));
    assert!(snapshot(&db, Engine::Sqlite) == before);
}
