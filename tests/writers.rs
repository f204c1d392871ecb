//! Several programs writing to one database file at once.

#![allow(clippy::unwrap_used, reason = "a test fails loudly by design")]

mod common;

use attache::app::App;
use attache::store::Store;
use common::{Engine, TempDb};
use predicates::str::contains;

/// Several writer processes at once (`attache add`, each as its own author), an interface open
/// meanwhile and a reader exporting in a loop: no write is lost, nobody sees an error, the
/// interface follows, and each author's log holds their own changes, which undo takes back.
/// Four writers on one SQLite file, eight on one PostgreSQL database, 200 adds each.
fn writers_at_once_lose_nothing_and_see_no_error(engine: Engine) {
    const ADDS: usize = 200;
    let writers = match engine {
        Engine::Sqlite => 4,
        Engine::Postgres => 8,
    };
    let db = TempDb::seeded_on(engine);
    let done = std::sync::atomic::AtomicBool::new(false);
    let (failures, interface) = std::thread::scope(|scope| {
        let adding: Vec<_> = (0..writers)
            .map(|w| {
                let db = &db;
                scope.spawn(move || {
                    let mut failed = Vec::new();
                    for i in 0..ADDS {
                        let output = db
                            .cmd()
                            .args(["--as", &format!("writer{w}")])
                            .args(["add", "--date", "2026-01-22", "--title"])
                            .arg(format!("writer {w} add {i}"))
                            .args(["--participant", "Putin:RU", "--participant", "Witkoff:US"])
                            // Each writer adds the same meeting again and again, on purpose.
                            .arg("--allow-duplicate")
                            .output()
                            .unwrap();
                        if !output.status.success() {
                            failed.push(String::from_utf8_lossy(&output.stderr).into_owned());
                        }
                    }
                    failed
                })
            })
            .collect();
        let exporter = scope.spawn(|| {
            let mut failed = Vec::new();
            while !done.load(std::sync::atomic::Ordering::SeqCst) {
                let output = db
                    .cmd()
                    .args(["export", "--format", "json"])
                    .output()
                    .unwrap();
                if !output.status.success() {
                    failed.push(String::from_utf8_lossy(&output.stderr).into_owned());
                }
                // A reader now and then, as a colleague exporting would: back to back, a debug
                // build's exports take the two cores the writers need.
                std::thread::sleep(std::time::Duration::from_millis(250));
            }
            failed
        });
        let interface = scope.spawn(|| watch_as_the_interface_does(&db, &done));
        let mut all: Vec<String> = adding.into_iter().flat_map(|w| w.join().unwrap()).collect();
        done.store(true, std::sync::atomic::Ordering::SeqCst);
        all.extend(exporter.join().unwrap());
        (all, interface.join().unwrap())
    });
    assert_eq!(failures, Vec::<String>::new());
    let total = 36 + writers * ADDS;
    assert_eq!(db.event_count(), total);
    let (reloads, shown) = interface;
    assert!(reloads > 0, "the interface never noticed the writers");
    assert_eq!(shown, total, "the interface after its last reload");
    // Each author's changes are theirs in the log, in the order they made them.
    let log = db.json(&["log", "--format", "json", "--limit", "100000"]);
    for w in 0..writers {
        let author = format!("writer{w}");
        let titles: Vec<&str> = log
            .as_array()
            .unwrap()
            .iter()
            .filter(|change| change["author"] == author.as_str())
            .map(|change| change["subject"].as_str().unwrap())
            .collect();
        // A subject reads `#37 "writer 0 add 0"`.
        let titles: Vec<&str> = titles
            .iter()
            .map(|subject| subject.split_once(' ').unwrap().1.trim_matches('"'))
            .collect();
        let expected: Vec<String> = (0..ADDS)
            .rev()
            .map(|i| format!("writer {w} add {i}"))
            .collect();
        assert_eq!(titles, expected, "{author}'s log");
    }
    // Undo takes back the undoer's own last add, whoever wrote after it.
    db.cmd()
        .args(["--as", "writer1", "undo"])
        .assert()
        .success()
        .stdout(contains(format!("writer 1 add {}", ADDS - 1)));
    assert_eq!(db.event_count(), total - 1);
}

/// The interface's loop without a terminal: watch the data version, reload when it changes,
/// read a screen. Returns how often it reloaded and how many events it showed last.
fn watch_as_the_interface_does(
    db: &TempDb,
    done: &std::sync::atomic::AtomicBool,
) -> (usize, usize) {
    let mut store = Store::open_any(&db.path).unwrap();
    let mut app = App::new(chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap());
    app.viewport = 40;
    app.sync(&mut store);
    let mut seen = store.data_version().unwrap();
    let mut reloads = 0;
    let mut last_round = false;
    loop {
        let version = store.data_version().unwrap();
        if version != seen {
            seen = version;
            reloads += 1;
            app.reload();
        }
        app.sync(&mut store);
        assert!(
            !app.status
                .as_deref()
                .unwrap_or_default()
                .starts_with("error"),
            "{:?}",
            app.status
        );
        if last_round {
            return (reloads, app.timeline.total);
        }
        last_round = done.load(std::sync::atomic::Ordering::SeqCst);
        std::thread::sleep(std::time::Duration::from_millis(if last_round {
            1200
        } else {
            100
        }));
    }
}

#[test]
fn a_lock_held_too_long_is_reported_as_another_writer() {
    let db = TempDb::seeded();
    let holder = rusqlite::Connection::open(&db.path).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    // A store failure, not a refusal of the input: exit status 3.
    db.cmd()
        .args(["add", "--date", "2026-01-22", "--title", "Blocked"])
        .args(["--participant", "Putin:RU"])
        .assert()
        .code(3)
        .stdout("")
        .stderr(contains(
            "another program kept the database locked for 5 s while writing; nothing was written",
        ));
    holder.execute_batch("ROLLBACK").unwrap();
    assert_eq!(db.event_count(), 36);
}

#[test]
fn a_backup_taken_while_others_write_is_whole() {
    let db = TempDb::seeded();
    let copy = db.file("copy.db");
    std::thread::scope(|scope| {
        let writer = scope.spawn(|| {
            for i in 0..15 {
                db.cmd()
                    .args(["add", "--date", "2026-01-22", "--title"])
                    .arg(format!("during the backup {i}"))
                    .args(["--participant", "Putin:RU", "--allow-duplicate"])
                    .assert()
                    .success();
            }
        });
        std::thread::sleep(std::time::Duration::from_millis(100));
        db.cmd()
            .args(["backup", copy.to_str().unwrap()])
            .assert()
            .success()
            .stdout(format!(
                "backed up {} to {}\n",
                db.path.display(),
                copy.display()
            ));
        writer.join().unwrap();
    });
    let conn = rusqlite::Connection::open(&copy).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    let events: i64 = conn
        .query_row("SELECT count(*) FROM event", [], |r| r.get(0))
        .unwrap();
    assert!((36..=51).contains(&events), "{events}");
    let copied = common::attache_on(&copy)
        .args(["list", "--format", "json"])
        .output()
        .unwrap();
    assert!(copied.status.success());
    db.cmd()
        .args(["backup", copy.to_str().unwrap()])
        .assert()
        .code(1)
        .stderr(predicates::str::contains(
            "the file exists; choose another name",
        ));
}

#[test]
fn a_file_is_checked_before_the_write_lock_is_taken() {
    let db = TempDb::seeded();
    let csv = db.file("late-problem.csv");
    let mut rows = String::from("date,title,participants\n");
    for i in 0..2_000 {
        rows.push_str(&format!("2026-02-01,Checked row {i},Vladimir Putin (RU)\n"));
    }
    rows.push_str("2026-02-31,The bad row,Vladimir Putin (RU)\n");
    std::fs::write(&csv, rows).unwrap();
    let json = db.file("late-problem.json");
    std::fs::write(
        &json,
        r#"{"attache": 1, "events": [{"date": "2026-02-01", "title": "Fine", "unnamed_sides": ["RU"]}, {"date": "2026-13-01", "title": "Bad month"}]}"#,
    )
    .unwrap();
    // Another program writing all along: a bad file is refused for what is wrong with it, at
    // once, instead of waiting its turn for the lock and then failing on it.
    let holder = rusqlite::Connection::open(&db.path).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    db.cmd()
        .args(["import", csv.to_str().unwrap()])
        .assert()
        .code(1)
        .stderr(contains(
            "late-problem.csv:2002: date: no such day (2026-02-31)",
        ));
    db.cmd()
        .args(["import", json.to_str().unwrap()])
        .assert()
        .code(1)
        .stderr(contains("events[1] (Bad month): date"));
    // Its rows, Putin again and again on one day, are likely duplicates of each other too; the
    // bad row is what is looked for here.
    db.cmd()
        .args([
            "import",
            "--dry-run",
            "--allow-duplicates",
            csv.to_str().unwrap(),
        ])
        .assert()
        .code(1)
        .stderr(contains("1 problem; nothing was written"));
    holder.execute_batch("ROLLBACK").unwrap();
    assert_eq!(db.event_count(), 36);
}

/// A CSV file of `rows` events, each with two of a few hundred people.
fn archive(db: &TempDb, name: &str, rows: usize) -> std::path::PathBuf {
    use std::fmt::Write as _;
    let mut text = String::from("date,title,participants\n");
    for i in 0..rows {
        let _ = writeln!(
            text,
            "{}-{:02}-{:02},Archived talks {name} {i},Envoy {} (GB); Minister {} (FR)",
            // The same two people on the same day come back every 4,200 rows: another year
            // keeps them apart, as likely duplicates would be refused.
            2024 - i / 4_200,
            i % 12 + 1,
            i % 28 + 1,
            i % 300,
            i % 200
        );
    }
    let path = db.file(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// Waits until an import run by `author` holds the write lock and says so.
fn until_announced(db: &TempDb, engine: Engine, import: &mut std::process::Child) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(300);
    loop {
        let announced = match engine {
            Engine::Sqlite => {
                attache::store::announcement_file(&db.path.display().to_string()).exists()
            }
            Engine::Postgres => {
                let mut client =
                    postgres::Client::connect(&db.path.display().to_string(), postgres::NoTls)
                        .unwrap();
                client
                    .query_one(
                        "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'attache: ann''s import of%'",
                        &[],
                    )
                    .unwrap()
                    .get::<_, i64>(0)
                    > 0
            }
        };
        if announced {
            return;
        }
        assert!(
            import.try_wait().unwrap().is_none(),
            "the import ended before it was seen writing"
        );
        assert!(std::time::Instant::now() < deadline, "never announced");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// A change made while an import writes waits for it, saying whose import it is and how far it
/// has come, then goes through; one that may not wait so long gives up naming the writer.
fn a_change_waits_for_an_import_saying_whose_it_is(engine: Engine) {
    // Long enough that the change waits past the moment it says what it waits for (0.8 s),
    // with the binary built either way: an optimised build imports 6,000 rows sooner.
    const ROWS: usize = if cfg!(debug_assertions) {
        6_000
    } else {
        60_000
    };
    let db = TempDb::seeded_on(engine);
    let file = archive(&db, "archive.csv", ROWS);
    let mut import = std::process::Command::new(assert_cmd::cargo::cargo_bin!("attache"))
        .env_remove("ATTACHE_DB")
        .args(["--db"])
        .arg(&db.path)
        .args(["--as", "ann", "import"])
        .arg(&file)
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    until_announced(&db, engine, &mut import);
    let add = db
        .cmd()
        .args(["--wait", "300", "add", "--date", "2025-05-01"])
        .args([
            "--title",
            "Made during the import",
            "--participant",
            "Putin:RU",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&add.stderr).into_owned();
    assert!(import.wait().unwrap().success());
    assert!(add.status.success(), "{stderr}");
    assert!(
        stderr.contains("waiting for ann's import of archive.csv ("),
        "{stderr}"
    );
    assert!(stderr.contains("% written"), "{stderr}");
    assert_eq!(db.event_count(), 36 + ROWS + 1);
    let announcement = attache::store::announcement_file(&db.path.display().to_string());
    assert!(!announcement.exists(), "the announcement was withdrawn");

    // A writer that holds on (held here, announcing itself as an import would): a change that
    // may wait 1 s gives up, naming it.
    let holder = HeldLock::take(&db, engine);
    let add = db
        .cmd()
        .args(["--wait", "1", "add", "--date", "2025-05-02"])
        .args(["--title", "Given up", "--participant", "Putin:RU"])
        .output()
        .unwrap();
    drop(holder);
    let stderr = String::from_utf8_lossy(&add.stderr).into_owned();
    assert_eq!(add.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains("ann's import of held.csv (50% written")
            && stderr
                .contains("kept the database locked for 1 s while writing; nothing was written"),
        "{stderr}"
    );
    assert_eq!(db.event_count(), 36 + ROWS + 1);
}

/// The write lock taken by the test, with the announcement an import would make.
enum HeldLock {
    Sqlite(rusqlite::Connection, std::path::PathBuf),
    Postgres(postgres::Client),
}

impl HeldLock {
    fn take(db: &TempDb, engine: Engine) -> HeldLock {
        match engine {
            Engine::Sqlite => {
                let conn = rusqlite::Connection::open(&db.path).unwrap();
                conn.execute_batch("BEGIN IMMEDIATE").unwrap();
                let file = attache::store::announcement_file(&db.path.display().to_string());
                std::fs::write(
                    &file,
                    format!(
                        r#"{{"author":"ann","work":"import of held.csv","percent":50,"pid":{},"since":"2026-12-06T12:03:55+00:00"}}"#,
                        std::process::id()
                    ),
                )
                .unwrap();
                HeldLock::Sqlite(conn, file)
            }
            Engine::Postgres => {
                let mut client =
                    postgres::Client::connect(&db.path.display().to_string(), postgres::NoTls)
                        .unwrap();
                client
                    .batch_execute(
                        "BEGIN; SELECT pg_advisory_xact_lock(7243656315); \
                         SELECT set_config('application_name', \
                         'attache: ann''s import of held.csv (50% written)', true)",
                    )
                    .unwrap();
                HeldLock::Postgres(client)
            }
        }
    }
}

impl Drop for HeldLock {
    fn drop(&mut self) {
        match self {
            HeldLock::Sqlite(conn, file) => {
                let _ = conn.execute_batch("ROLLBACK");
                let _ = std::fs::remove_file(file);
            }
            HeldLock::Postgres(client) => {
                let _ = client.batch_execute("ROLLBACK");
            }
        }
    }
}

crate::on_each_engine!(
    writers_at_once_lose_nothing_and_see_no_error,
    a_change_waits_for_an_import_saying_whose_it_is
);
