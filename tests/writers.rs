//! Several programs writing to one database file at once.

#![allow(clippy::unwrap_used, reason = "a test fails loudly by design")]

mod common;

use common::TempDb;
use predicates::str::contains;

#[test]
fn four_writers_at_once_lose_nothing_and_see_no_error() {
    const WRITERS: usize = 4;
    const ADDS: usize = 40;
    let db = TempDb::seeded();
    let failures: Vec<String> = std::thread::scope(|scope| {
        let writers: Vec<_> = (0..WRITERS)
            .map(|w| {
                let db = &db;
                scope.spawn(move || {
                    let mut failed = Vec::new();
                    for i in 0..ADDS {
                        let output = db
                            .cmd()
                            .args(["add", "--date", "2026-01-22", "--title"])
                            .arg(format!("writer {w} add {i}"))
                            .args(["--participant", "Putin:RU", "--participant", "Witkoff:US"])
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
            for _ in 0..20 {
                let output = db
                    .cmd()
                    .args(["export", "--format", "json"])
                    .output()
                    .unwrap();
                if !output.status.success() {
                    failed.push(String::from_utf8_lossy(&output.stderr).into_owned());
                }
            }
            failed
        });
        let mut all: Vec<String> = writers
            .into_iter()
            .flat_map(|w| w.join().unwrap())
            .collect();
        all.extend(exporter.join().unwrap());
        all
    });
    assert_eq!(failures, Vec::<String>::new());
    assert_eq!(db.event_count(), 26 + WRITERS * ADDS);
    // Every add was logged for undo, in order: undo takes back the last one written.
    let last = db.json(&["list", "--format", "json", "--newest-first", "--limit", "1"]);
    let undone = db.stdout(&["undo"]);
    assert!(
        undone.contains(last[0]["title"].as_str().unwrap()),
        "{undone}"
    );
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
    assert_eq!(db.event_count(), 26);
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
                    .args(["--participant", "Putin:RU"])
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
    assert!((26..=41).contains(&events), "{events}");
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
        r#"{"attache": 1, "events": [{"date": "2026-02-01", "title": "Fine"}, {"date": "2026-13-01", "title": "Bad month"}]}"#,
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
    db.cmd()
        .args(["import", "--dry-run", csv.to_str().unwrap()])
        .assert()
        .code(1)
        .stderr(contains("1 problem; nothing was written"));
    holder.execute_batch("ROLLBACK").unwrap();
    assert_eq!(db.event_count(), 26);
}
