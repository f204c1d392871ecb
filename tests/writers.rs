//! Several programs writing to one database file at once.

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
