//! The command line as a user runs it: the real binary on temporary databases.

#![allow(clippy::unwrap_used, reason = "a test fails loudly by design")]

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use common::{Engine, TempDb};
use predicates::prelude::*;
use predicates::str::contains;

#[test]
fn help_is_everywhere() {
    let db = TempDb::empty();
    for command in [
        vec![],
        vec!["list"],
        vec!["show"],
        vec!["history"],
        vec!["count"],
        vec!["add"],
        vec!["seed"],
        vec!["import"],
        vec!["export"],
    ] {
        let mut args = command.clone();
        args.push("--help");
        db.cmd()
            .args(&args)
            .assert()
            .success()
            .stdout(contains("Usage: attache"));
    }
}

#[test]
fn usage_errors_exit_2() {
    let db = TempDb::empty();
    db.cmd().arg("frobnicate").assert().code(2);
    db.cmd().args(["count", "putin"]).assert().code(2);
    db.cmd().args(["list", "--format", "xml"]).assert().code(2);
    db.cmd()
        .args(["add", "--title", "x"])
        .assert()
        .code(2)
        .stderr(contains("--date"));
}

#[test]
fn an_explicit_database_starts_empty_and_seed_is_idempotent() {
    let db = TempDb::empty();
    for reading in [
        &["list"][..],
        &["show", "1"],
        &["history", "putin"],
        &["export"],
    ] {
        db.refuses(reading)
            .stderr(format!("error: no database at {}\n", db.path.display()));
        assert!(!db.path.exists(), "{reading:?} created the database");
    }
    db.cmd().arg("seed").assert().success().stdout(contains(
        "imported 36 events, 0 already present, 31 new people",
    ));
    assert_eq!(
        db.stdout(&["seed"]),
        "imported 0 events, 36 already present, 0 new people\n"
    );
    assert_eq!(db.event_count(), 36);
}

#[test]
fn the_environment_variable_selects_the_database() {
    let db = TempDb::seeded();
    let mut cmd = assert_cmd::cargo::cargo_bin_cmd!("attache");
    cmd.env("ATTACHE_DB", &db.path)
        .args(["count", "putin", "witkoff"]);
    cmd.assert()
        .success()
        .stdout(contains("7 face-to-face meetings"));
}

#[test]
fn the_default_database_is_created_and_seeded_on_first_use() {
    let home = tempfile::tempdir().unwrap();
    let run = || {
        let mut cmd = assert_cmd::cargo::cargo_bin_cmd!("attache");
        cmd.env_remove("ATTACHE_DB")
            .env("HOME", home.path())
            .env("XDG_DATA_HOME", home.path().join("data"))
            .args(["list", "--kind", "call"]);
        cmd
    };
    run()
        .assert()
        .success()
        .stderr(contains("loaded the bundled seed data"))
        .stdout(contains("11 events"));
    assert!(home.path().join("data/attache/attache.db").exists());
    run()
        .assert()
        .success()
        .stderr("")
        .stdout(contains("11 events"));
}

fn list_filters_and_formats(engine: Engine) {
    let db = TempDb::seeded_on(engine);
    let table = db.stdout(&["list", "--search", "istanbul"]);
    assert!(
        table.contains("embassy-operations consultations, first round"),
        "{table}"
    );
    assert!(table.ends_with("2 events\n"), "{table}");
    let calls = db.json(&["list", "--kind", "call", "--format", "json"]);
    assert_eq!(calls.as_array().unwrap().len(), 11);
    assert_eq!(
        calls[7]["ordinals"][0],
        "8th phone call between Vladimir Putin and Donald Trump in this record"
    );
    let both = db.json(&[
        "list", "--person", "lavrov", "--person", "rubio", "--format", "json",
    ]);
    assert_eq!(both.as_array().unwrap().len(), 4);
    let spring = db.json(&[
        "list", "--from", "2025-04", "--to", "2025-04", "--format", "json",
    ]);
    let dates: Vec<&str> = spring
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["date"].as_str().unwrap())
        .collect();
    assert_eq!(
        dates,
        ["2025-04-02", "2025-04-10", "2025-04-11", "2025-04-25"]
    );
    let newest = db.json(&["list", "--newest-first", "--limit", "1", "--format", "json"]);
    assert_eq!(newest[0]["date"], "2026-03-11");
    let csv = db.stdout(&["list", "--country", "TR", "--format", "csv"]);
    assert!(csv.starts_with("id,date,end_date,circa,title,kind,mode,status,city,country,venue,participants,sources,notes,ordinal,number\r\n"));
    assert_eq!(csv.lines().count(), 3);
    assert!(csv.contains("Alexander Darchiev (RU)*; Sonata Coulter (US)*"));
    db.cmd()
        .args(["list", "--side", "SA"])
        .assert()
        .success()
        .stdout(contains("Riyadh"));
}

fn list_refuses_bad_filters(engine: Engine) {
    let db = TempDb::seeded_on(engine);
    db.refuses(&["list", "--from", "2025-02-30"])
        .stderr("error: --from: no such day (2025-02-30)\n");
    db.refuses(&["list", "--kind", "dinner"])
        .stderr(contains("--kind: unknown kind"));
    db.refuses(&["list", "--country", "Russia"])
        .stderr(contains(
            "--country: not an ISO 3166-1 alpha-2 country code (Russia)",
        ));
    db.refuses(&["list", "--person", "Nobody"])
        .stderr(contains("unknown person \"Nobody\""));
}

fn show_gives_the_founding_example(engine: Engine) {
    let db = TempDb::seeded_on(engine);
    let number = db.json(&["list", "--search", "St Petersburg", "--format", "json"])[0]["number"]
        .as_i64()
        .unwrap();
    let text = db.stdout(&["show", &number.to_string()]);
    for expected in [
        "Steve Witkoff meets Vladimir Putin in St Petersburg",
        "Fri 11 Apr 2025",
        "St Petersburg, RU · Presidential Library",
        "RU  Vladimir Putin (head)",
        "Kirill Dmitriev",
        "US  Steve Witkoff (head)",
        "3rd face-to-face meeting between Vladimir Putin and Steve Witkoff in this record, counting the reported meeting of 11 Feb 2025 · previous: 13 Mar 2025, Moscow, 29 days earlier",
        "Steve Witkoff's 3rd visit to Russia in this record",
        "Reuters citing RIA, citing the Kremlin",
        "News.az citing Axios, citing a source familiar with the trip and FlightRadar data",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    let json = db.json(&["show", &number.to_string(), "--format", "json"]);
    assert_eq!(json["ordinal_details"][0]["low"], 3);
    assert_eq!(
        json["ordinal_details"][0]["previous"],
        "previous: 13 Mar 2025, Moscow, 29 days earlier"
    );
    let uuid = json["id"].as_str().unwrap();
    db.cmd()
        .args(["show", uuid])
        .assert()
        .success()
        .stdout(contains("St Petersburg"));
}

#[test]
fn tables_in_a_pipe_keep_their_cells_whole() {
    let db = TempDb::seeded();
    let title =
        "Special Presidential Envoy for Investment and Economic Cooperation with Foreign Countries";
    let text = db.stdout(&["show", "10"]);
    assert!(text.contains(title), "a title cut in a pipe:\n{text}");
    let long = "x".repeat(400);
    db.cmd()
        .args(["add", "--date", "2026-05-01", "--title", &long])
        .args(["--participant", "Vladimir Putin:RU:lead"])
        .assert()
        .success();
    let listing = db.stdout(&["list", "--from", "2026-05"]);
    assert!(
        listing.contains(&long),
        "a long title cut in a pipe:\n{listing}"
    );
}

fn show_refuses_unknown_ids(engine: Engine) {
    let db = TempDb::seeded_on(engine);
    db.refuses(&["show", "999"])
        .stderr("error: no event with id 999\n");
    db.refuses(&["show", "abc"])
        .stderr(contains("expected an event number, a UUID"));
    db.refuses(&["show", "00000000-0000-0000-0000-000000000000"]);
}

fn history_lists_ordinals_and_counterparts(engine: Engine) {
    let db = TempDb::seeded_on(engine);
    let text = db.stdout(&["history", "witkoff"]);
    assert!(
        text.starts_with("Steve Witkoff (Стив Уиткофф), US\n"),
        "{text}"
    );
    assert!(
        text.contains("Most frequent counterparts: Vladimir Putin ×7 · Kirill Dmitriev ×6"),
        "{text}"
    );
    assert!(text.contains("in the US delegation"), "{text}");
    let json = db.json(&["history", "Стив Уиткофф", "--format", "json"]);
    assert_eq!(json["counterparts"][0]["name"], "Vladimir Putin");
    assert_eq!(json["counterparts"][0]["face_to_face"], 7);
    assert_eq!(json["counterparts"][0]["together"], 8);
    let events = json["events"].as_array().unwrap();
    let anchorage = events.iter().find(|e| e["date"] == "2025-08-15").unwrap();
    assert_eq!(anchorage["heads_side"], false);
    assert_eq!(anchorage["ordinals"].as_array().unwrap().len(), 0);
    db.refuses(&["history", "Sergey"])
        .stderr("error: ambiguous name \"Sergey\": could be Sergey Beseda, Sergey Lavrov\n");
}

fn count_follows_the_press_rules(engine: Engine) {
    let db = TempDb::seeded_on(engine);
    let json = db.json(&["count", "Putin", "Witkoff", "--format", "json"]);
    assert_eq!(json["count"], 7);
    assert_eq!(json["meetings"][2]["date"], "2025-04-11");
    assert_eq!(json["meetings"][2]["place"], "St Petersburg, RU");
    assert_eq!(json["meetings"][5]["ordinal"], "6th");
    assert_eq!(
        json["meetings"][5]["reported"],
        "counting the reported meeting of 11 Feb 2025"
    );
    assert_eq!(json["meetings"][0].get("reported"), None);
    assert_eq!(
        db.json(&[
            "count",
            "putin",
            "witkoff",
            "--until",
            "2025-04-11",
            "--format",
            "json"
        ])["count"],
        3
    );
    assert_eq!(
        db.json(&[
            "count",
            "putin",
            "witkoff",
            "--any-role",
            "--format",
            "json"
        ])["count"],
        8
    );
    assert_eq!(
        db.json(&[
            "count", "trump", "putin", "--mode", "phone", "--format", "json"
        ])["count"],
        11
    );
    assert_eq!(
        db.json(&["count", "lavrov", "rubio", "--format", "json"])["count"],
        3
    );
    assert_eq!(
        db.json(&[
            "count",
            "putin",
            "witkoff",
            "dmitriev",
            "--any-role",
            "--format",
            "json"
        ])["count"],
        6
    );
    let text = db.stdout(&["count", "darchiev", "coulter"]);
    assert!(
        text.starts_with(
            "2 face-to-face meetings between Sonata Coulter and Alexander Darchiev in this record\n"
        ),
        "{text}"
    );
}

fn count_refuses_unknown_and_ambiguous_people(engine: Engine) {
    let db = TempDb::seeded_on(engine);
    db.refuses(&["count", "putin", "Witkopf"])
        .stderr("error: unknown person \"Witkopf\" (did you mean \"Steve Witkoff\"?)\n");
    db.refuses(&["count", "putin", "sergey"])
        .stderr(contains("could be Sergey Beseda, Sergey Lavrov"));
    db.refuses(&["count", "putin", "vladimir putin"])
        .stderr(contains("same person twice"));
    db.refuses(&["count", "putin", "witkoff", "--until", "tomorrowish"])
        .stderr(contains("--until: not a date"));
    db.refuses(&["count", "putin", "witkoff", "--mode", "telepathy"])
        .stderr(contains("--mode: unknown mode"));
}

fn add_prints_the_new_event_with_its_ordinal(engine: Engine) {
    let db = TempDb::seeded_on(engine);
    db.cmd()
        .args([
            "add", "--date", "2026-04-15", "--title", "Witkoff and Kushner meet Putin in Moscow",
            "--city", "Moscow", "--country", "RU", "--venue", "Kremlin",
            "--participant", "Putin:RU", "--participant", "Witkoff:US:lead", "--participant", "Jared Kushner:US",
            "--source", "Example <https://example.org/witkoff-kushner-moscow>",
        ])
        .assert()
        .success()
        .stdout(contains("added #37"))
        .stdout(contains("8th face-to-face meeting between Vladimir Putin and Steve Witkoff as heads of their sides in this record, counting the reported meeting of 11 Feb 2025 · together once before in other roles, 15 Aug 2025 in Anchorage · previous: 22 Jan 2026, Moscow, 83 days earlier"))
        .stdout(contains("Steve Witkoff's 8th visit to Russia in this record"));
    db.cmd()
        .args([
            "add",
            "--date",
            "2026-05",
            "--status",
            "planned",
            "--title",
            "Next round",
            "--participant",
            "Putin:RU",
            "--participant",
            "Witkoff:US",
        ])
        .assert()
        .success()
        .stdout(contains("will be the 9th face-to-face meeting"));
    db.cmd()
        .args([
            "add",
            "--date",
            "2026-02-01",
            "--title",
            "New envoy",
            "--participant",
            "Ann Example:GB",
            "--create-people",
        ])
        .assert()
        .success();
    assert_eq!(db.event_count(), 39);
}

fn add_refuses_bad_input_and_writes_nothing(engine: Engine) {
    let db = TempDb::seeded_on(engine);
    let bad: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["--date", "2025-02-30", "--title", "x"],
            "error: date: no such day (2025-02-30)\n",
        ),
        (
            vec!["--date", "11/04/2025", "--title", "x"],
            "error: date: not a date; expected YYYY-MM-DD, YYYY-MM, YYYY, \"11 Apr 2025\" or \"April 11, 2025\" (11/04/2025)\n",
        ),
        (
            vec![
                "--date",
                "2025-04-11",
                "--end-date",
                "2025-04-10",
                "--title",
                "x",
            ],
            "error: end date: is before the start date 2025-04-11 (2025-04-10)\n",
        ),
        (
            vec!["--date", "2025-04-11", "--title", "  "],
            "error: title: must not be empty (  )\n",
        ),
        (
            vec![
                "--date",
                "2025-04-11",
                "--title",
                "x",
                "--participant",
                "Putin:XX",
            ],
            "error: participant: side XX: not an ISO 3166-1 alpha-2 country code (Putin:XX)\n",
        ),
        (
            vec![
                "--date",
                "2025-04-11",
                "--title",
                "x",
                "--participant",
                "Putin",
            ],
            "error: participant: expected NAME:SIDE or NAME:SIDE:lead (Putin)\n",
        ),
        (
            vec![
                "--date",
                "2025-04-11",
                "--title",
                "x",
                "--participant",
                "Witkopf:US",
            ],
            "error: participant: unknown person \"Witkopf\" (did you mean \"Steve Witkoff\"?); --create-people adds new people\n",
        ),
        (
            vec![
                "--date",
                "2025-04-11",
                "--title",
                "x",
                "--participant",
                "Sergey:RU",
            ],
            "error: ambiguous name \"Sergey\": could be Sergey Beseda, Sergey Lavrov\n",
        ),
        (
            vec!["--date", "2025-04-11", "--title", "x", "--kind", "dinner"],
            "error: kind: unknown kind (expected one of: meeting, talks, visit, summit, call, stopover, other) (dinner)\n",
        ),
        (
            vec!["--date", "2025-04-11", "--title", "x", "--country", "ZZ"],
            "error: country: not an ISO 3166-1 alpha-2 country code (ZZ)\n",
        ),
        (
            vec![
                "--date",
                "2025-04-11",
                "--title",
                "x",
                "--source",
                "TASS <tass.com>",
            ],
            "error: source: expected an http:// or https:// address (tass.com)\n",
        ),
        (
            vec!["--date", "2025-05-01", "--title", "Nobody at all"],
            "error: participants: an event has at least one side: name a participant, or a side whose members were not named\n",
        ),
    ];
    for (args, message) in bad {
        let mut all = vec!["add"];
        all.extend(&args);
        db.cmd()
            .args(&all)
            .assert()
            .code(1)
            .stdout("")
            .stderr(message);
    }
    assert_eq!(db.event_count(), 36);
    let people = db.json(&["history", "putin", "--format", "json"]);
    assert_eq!(people["name"], "Vladimir Putin");
}

#[test]
fn a_database_from_a_newer_attache_is_refused_untouched() {
    let db = TempDb::empty();
    {
        let conn = rusqlite::Connection::open(&db.path).unwrap();
        conn.execute_batch("PRAGMA application_id = 1635021923; PRAGMA user_version = 99; CREATE TABLE future (x);").unwrap();
    }
    let before = std::fs::read(&db.path).unwrap();
    db.cmd().arg("list").assert().code(1).stderr(
        contains("written by a newer version of attache (schema version 99")
            .and(contains("the file was not changed")),
    );
    assert_eq!(std::fs::read(&db.path).unwrap(), before);
}

#[test]
fn a_database_whose_migrations_differ_is_refused_untouched() {
    let db = TempDb::seeded();
    {
        let conn = rusqlite::Connection::open(&db.path).unwrap();
        conn.execute(
            "UPDATE schema_migration SET hash = 'edited' WHERE version = 1",
            [],
        )
        .unwrap();
    }
    let before = std::fs::read(&db.path).unwrap();
    db.cmd().arg("list").assert().code(1).stderr(format!(
        "error: {}: schema migration 1 recorded in the database differs from this attache's: the file was changed by another build of attache; it was not changed now\n",
        db.path.display()
    ));
    assert_eq!(std::fs::read(&db.path).unwrap(), before);
}

#[test]
fn files_that_are_not_databases_give_a_clear_error() {
    let db = TempDb::empty();
    std::fs::write(&db.path, "Date,Title\n2025-04-11,Talks\n".repeat(40)).unwrap();
    db.cmd().arg("list").assert().code(1).stderr(format!(
        "error: {}: not a database file\n",
        db.path.display()
    ));
    let dir = tempfile::tempdir().unwrap();
    common::attache_on(dir.path())
        .arg("list")
        .assert()
        .code(1)
        .stderr(contains("cannot open the database: it is a directory"));
    common::attache_on(&dir.path().join("missing/dir/x.db"))
        .arg("list")
        .assert()
        .code(1)
        .stderr(contains("no database at"));
    common::attache_on(&dir.path().join("missing/dir/x.db"))
        .arg("seed")
        .assert()
        .code(1)
        .stderr(contains("cannot open the database"));
}

#[test]
fn a_read_only_database_can_be_read_but_not_changed() {
    let db = TempDb::seeded();
    std::fs::set_permissions(&db.path, std::fs::Permissions::from_mode(0o444)).unwrap();
    db.cmd()
        .args(["count", "putin", "witkoff"])
        .assert()
        .success()
        .stdout(contains("7 face-to-face"));
    db.refuses(&["add", "--date", "2025-04-11", "--title", "x"])
        .stderr(contains(
            "the database file is read-only; nothing was written",
        ));
    db.cmd()
        .arg("seed")
        .assert()
        .code(1)
        .stderr(contains("read-only"));
}

#[test]
fn a_database_in_a_read_only_directory_can_be_read_but_not_changed() {
    let db = TempDb::seeded();
    let dir = db.dir.path();
    let give_to_nobody = |path: &Path| {
        if unsafe { libc::geteuid() } == 0 {
            let c_path = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
            assert_eq!(unsafe { libc::chown(c_path.as_ptr(), 65534, 65534) }, 0);
        }
    };
    give_to_nobody(dir);
    give_to_nobody(&db.path);
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o555)).unwrap();
    let files_before: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();

    for mut cmd in [common::as_unprivileged(&db.path), {
        let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin!("attache"));
        cmd.env_remove("ATTACHE_DB").arg("--db").arg(&db.path);
        cmd
    }] {
        let out = cmd.args(["count", "putin", "witkoff"]).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stdout).contains("7 face-to-face"));
    }
    let out = common::as_unprivileged(&db.path)
        .args([
            "add",
            "--date",
            "2025-04-11",
            "--title",
            "x",
            "--participant",
            "Putin:RU",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "the database is in a read-only directory ({}); nothing was written",
            dir.display()
        )),
        "{stderr}"
    );
    let files_after: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        files_after, files_before,
        "no side file left in the directory"
    );
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(db.event_count(), 36);
}

fn output_into_a_closed_pipe_ends_quietly(engine: Engine) {
    let db = TempDb::seeded_on(engine);
    let output = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "{} --db {} list | head -n 1",
            assert_cmd::cargo::cargo_bin!("attache").display(),
            db.path.display()
        ))
        .output()
        .unwrap();
    assert!(output.status.success());
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
}

fn undo_and_redo_from_the_command_line(engine: Engine) {
    let db = TempDb::seeded_on(engine);
    assert_eq!(db.stdout(&["undo"]), "nothing to undo\n");
    db.cmd()
        .args([
            "add",
            "--date",
            "2026-01-22",
            "--title",
            "Kremlin talks",
            "--participant",
            "Putin:RU",
            "--participant",
            "Witkoff:US",
        ])
        .assert()
        .success();
    assert_eq!(db.event_count(), 37);
    assert_eq!(db.stdout(&["undo"]), "undid adding #37 \"Kremlin talks\"\n");
    assert_eq!(db.event_count(), 36);
    assert_eq!(db.stdout(&["redo"]), "redid adding #37 \"Kremlin talks\"\n");
    assert_eq!(db.stdout(&["redo"]), "nothing to redo\n");
    assert_eq!(db.event_count(), 37);
}

fn without_a_terminal_attache_prints_the_timeline(engine: Engine) {
    let db = TempDb::seeded_on(engine);
    let text = db.stdout(&[]);
    assert!(text.starts_with("#   DATE"), "{text}");
    assert!(text.ends_with("36 events\n"), "{text}");
}

fn a_call_is_by_phone_unless_told_and_never_in_person(engine: Engine) {
    let db = TempDb::seeded_on(engine);
    let added = db.stdout(&[
        "add",
        "--date",
        "2026-01-10",
        "--title",
        "Trump–Putin call",
        "--kind",
        "call",
        "--participant",
        "Trump:US",
        "--participant",
        "Putin:RU",
    ]);
    assert!(
        added.contains("11th phone call between Vladimir Putin and Donald Trump"),
        "{added}"
    );
    db.refuses(&[
        "add",
        "--date",
        "2026-01-11",
        "--title",
        "Another call",
        "--kind",
        "call",
        "--mode",
        "in-person",
        "--participant",
        "Trump:US",
        "--participant",
        "Putin:RU",
    ])
    .stderr(contains("mode: a call cannot be in person"));
    assert_eq!(db.event_count(), 37);
}

fn adding_the_same_event_twice_needs_allow_duplicate(engine: Engine) {
    let db = TempDb::seeded_on(engine);
    let args = [
        "add",
        "--date",
        "2025-04-11",
        "--title",
        "Steve Witkoff meets Vladimir Putin in St Petersburg",
        "--participant",
        "Putin:RU",
        "--participant",
        "Ushakov:RU",
        "--participant",
        "Dmitriev:RU",
        "--participant",
        "witkoff:US",
    ];
    db.refuses(&args).stderr(contains(
        "#10 has the same date, title and participants; nothing was added (--allow-duplicate adds it anyway)",
    ));
    assert_eq!(db.event_count(), 36);
    let mut forced = args.to_vec();
    forced.push("--allow-duplicate");
    db.cmd().args(&forced).assert().success();
    assert_eq!(db.event_count(), 37);
}

fn history_and_count_write_csv(engine: Engine) {
    let db = TempDb::seeded_on(engine);
    let history = db.stdout(&["history", "darchiev", "--format", "csv"]);
    let mut lines = history.split("\r\n");
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("id,date,end_date,circa,title")
    );
    assert!(
        history.contains("2nd meeting with Sonata Coulter"),
        "{history}"
    );
    let count = db.stdout(&["count", "putin", "witkoff", "--format", "csv"]);
    let rows: Vec<&str> = count.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(
        rows[0],
        "ordinal,number,id,date,city,country,venue,title,planned"
    );
    assert_eq!(rows.len(), 8, "{count}");
    assert!(rows[3].starts_with("3rd,10,"), "{count}");
}

fn every_output_states_the_heads(engine: Engine) {
    let db = TempDb::seeded_on(engine);
    let shown = db.json(&["show", "1", "--format", "json"]);
    let heads: Vec<bool> = shown["participants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["head"].as_bool().unwrap())
        .collect();
    assert_eq!(heads, [true, true], "a side of one is its own head");
    let listed = db.json(&["list", "--format", "json", "--limit", "1"]);
    assert_eq!(listed[0]["participants"][1]["head"], true);
    let csv = db.stdout(&["export"]);
    assert!(
        csv.contains("Vladimir Putin (RU)*; Steve Witkoff (US)*"),
        "{csv}"
    );
    // Both forms import: the explicit mark and a side of one without it. CSV does not carry
    // prior counts, which the ordinal column reflects: without them both read the same.
    db.stdout(&["prior", "remove", "Putin", "Trump"]);
    db.stdout(&["prior", "remove", "Lavrov", "Rubio"]);
    let csv = db.stdout(&["export"]);
    let other = TempDb::empty_on(engine);
    let file = other.file("in.csv");
    std::fs::write(
        &file,
        csv.replace(
            "Vladimir Putin (RU)*; Steve Witkoff (US)*",
            "Vladimir Putin (RU); Steve Witkoff (US)",
        ),
    )
    .unwrap();
    other
        .cmd()
        .args(["import", file.to_str().unwrap()])
        .assert()
        .success();
    assert_eq!(
        other.stdout(&["export"]),
        csv,
        "the round trip is byte for byte"
    );
}

fn show_takes_a_unique_uuid_prefix(engine: Engine) {
    let db = TempDb::seeded_on(engine);
    let listed = db.json(&["list", "--format", "json", "--limit", "1"]);
    let uuid = listed[0]["id"].as_str().unwrap().to_string();
    let shown = db.stdout(&["show", &uuid[..8]]);
    assert!(
        shown.starts_with("#1  Steve Witkoff meets Vladimir Putin in Moscow"),
        "{shown}"
    );
    db.refuses(&["show", "zzzz"])
        .stderr(contains("expected an event number, a UUID"));
    db.refuses(&["show", "ffffffff"])
        .stderr(contains("no event with id ffffffff"));
}

#[test]
fn help_describes_every_option_and_ends_with_an_example() {
    let db = TempDb::empty();
    let top = db.stdout(&["--help"]);
    let commands: Vec<String> = top
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter(|l| !l[2..].starts_with(' '))
        .map(|l| l.split_whitespace().next().unwrap().to_string())
        .filter(|c| c != "help")
        .collect();
    assert!(commands.len() >= 12, "{top}");
    for doc in top.lines().filter_map(|l| l.trim().strip_prefix("docs/")) {
        let file = doc.split_whitespace().next().unwrap();
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("docs")
            .join(file);
        assert!(
            path.is_file(),
            "--help names docs/{file}, which is not there"
        );
    }
    assert!(top.contains("docs/interface.md"), "{top}");
    for command in &commands {
        let help = db.stdout(&[command, "--help"]);
        let options: Vec<&str> = help
            .lines()
            .skip_while(|l| !l.starts_with("Options:"))
            .skip(1)
            .take_while(|l| !l.is_empty())
            .collect();
        for (i, line) in options.iter().enumerate() {
            let flag = line.trim_start();
            if flag.starts_with('-') {
                let described = flag.trim_end().contains("  ")
                    || options
                        .get(i + 1)
                        .is_some_and(|next| !next.trim_start().starts_with('-'));
                assert!(described, "{command}: {flag} has no description\n{help}");
            }
        }
        let example = help.split("Example:\n").nth(1).unwrap_or("");
        assert!(
            example.trim_start().starts_with("attache "),
            "{command} --help ends without an example:\n{help}"
        );
    }
}

#[test]
fn completions_man_page_and_default_configuration() {
    let db = TempDb::empty();
    let bash = db.stdout(&["completions", "bash"]);
    assert!(bash.contains("attache") && bash.contains("--db"), "{bash}");
    let man = db.stdout(&["man"]);
    assert!(
        man.starts_with(".ie") || man.contains(".TH attache"),
        "{}",
        &man[..200.min(man.len())]
    );
    let config = db.stdout(&["config", "--default"]);
    assert!(config.contains("[keys]") && config.contains("quit = [\"q\", \"ctrl-c\"]"));
    assert!(!db.path.exists(), "none of these touches a database");
}

fn the_welcome_screens_example_works_on_an_empty_database(engine: Engine) {
    let db = TempDb::empty_on(engine);
    let args = attache::ui::WELCOME_ADD;
    let mut words = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for c in args.chars() {
        match c {
            '"' => quoted = !quoted,
            ' ' if !quoted => words.push(std::mem::take(&mut current)),
            c => current.push(c),
        }
    }
    words.push(current);
    let mut all = vec!["add".to_string()];
    all.extend(words);
    db.cmd().args(&all).assert().success();
    assert_eq!(db.event_count(), 1);
}

/// A title as a hostile file would carry it: set the window title, write the clipboard, clear
/// the screen.
const HOSTILE: &str = "Talks\u{1b}]0;pwned\u{7}\u{1b}]52;c;aGk=\u{7}\u{1b}[2J\u{202e}end";

fn control_characters_in_files_and_arguments_are_refused(engine: Engine) {
    let db = TempDb::seeded_on(engine);
    let file = db.file("hostile.csv");
    let csv = db.stdout(&["export"]);
    let header = csv.lines().next().unwrap();
    let row = csv.lines().nth(1).unwrap().replacen(
        "Steve Witkoff meets Vladimir Putin in Moscow",
        &HOSTILE.replace('\u{202e}', ""),
        1,
    );
    let row = row.replacen(&row[..36], "00000000-0000-4000-8000-000000000001", 1);
    std::fs::write(&file, format!("{header}\r\n{row}\r\n")).unwrap();
    db.refuses(&["import", file.to_str().unwrap()])
        .stderr(format!(
            "error: {}:2: title: control character U+001B; nothing was written\n",
            file.display()
        ));
    db.refuses(&[
        "add",
        "--date",
        "2026-01-22",
        "--title",
        HOSTILE,
        "--participant",
        "Putin:RU",
    ])
    .stderr("error: title: control character U+001B\n");
    let people = db.file("hostile-people.json");
    std::fs::write(
        &people,
        r#"{"attache": 1, "people": [{"name": "Ann\u001b]0;pwned\u0007 Lee"}]}"#,
    )
    .unwrap();
    db.refuses(&["import", people.to_str().unwrap()])
        .stderr(contains(
            "people[0] (Ann\\u{1b}]0;pwned\\u{7} Lee): name: control character U+001B; nothing was written",
        ));
    assert_eq!(db.event_count(), 36);
    db.refuses(&["history", "Ann"])
        .stderr(contains("unknown person"));
}

#[test]
fn stored_control_characters_are_shown_not_sent_to_the_terminal() {
    let db = TempDb::seeded();
    // As an older version (or another program) might have stored it.
    let conn = rusqlite::Connection::open(&db.path).unwrap();
    conn.execute("UPDATE event SET title = ?1 WHERE id = 1", [HOSTILE])
        .unwrap();
    drop(conn);
    let shown_as = "Talks\\u{1b}]0;pwned\\u{7}\\u{1b}]52;c;aGk=\\u{7}\\u{1b}[2J\\u{202e}end";
    for args in [
        &["list", "--limit", "1"][..],
        &["show", "1"],
        &["history", "putin"],
        &["count", "putin", "witkoff"],
        &["export", "--format", "md"],
        &["export", "--format", "ics"],
    ] {
        let text = db.stdout(args);
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{202e}'),
            "{args:?} passed it on"
        );
        assert!(text.contains("Talks\\u{1b}"), "{args:?}:\n{text}");
        if args[0] == "show" {
            assert!(text.contains(shown_as), "{text}");
        }
    }
    // Data formats keep the text as stored, JSON escaping it.
    let json = db.stdout(&["show", "1", "--format", "json"]);
    assert!(json.contains("\\u001b]52;c;"), "{json}");
}

/// A title of a megabyte is refused at the door with the limit, naming the line, and without
/// quoting it back (tests/reliability.rs lists one planted past the limit).
fn a_huge_title_is_refused_with_the_limit(engine: Engine) {
    let db = TempDb::seeded_on(engine);
    let title = "Талкс ".repeat(200_000).trim().to_string();
    let file = db.file("huge.csv");
    std::fs::write(
        &file,
        format!("date,title,participants\n2025-05-01,{title},Vladimir Putin (RU)\n"),
    )
    .unwrap();
    let refused = db
        .refuses(&["import", file.to_str().unwrap()])
        .get_output()
        .stderr
        .clone();
    let refused = String::from_utf8(refused).unwrap();
    assert!(
        refused.contains(":2: title: 1199999 characters; at most 500"),
        "{refused}"
    );
    assert!(refused.len() < 1_000, "the title was quoted back");
    assert_eq!(db.event_count(), 36);
}

fn aliases_and_native_names_find_a_person_everywhere(engine: Engine) {
    let db = TempDb::seeded_on(engine);
    db.refuses(&[
        "add", "--date", "2026-01-01", "--title", "Talks", "--participant", "Sergej Lavrov:RU",
    ])
    .stderr(contains(
        "unknown person \"Sergej Lavrov\" (did you mean \"Sergey Lavrov\"?); --create-people adds new people",
    ));
    let edited = db.stdout(&[
        "person",
        "edit",
        "Sergey Lavrov",
        "--add-alias",
        "Sergej Lavrov",
        "--add-native",
        "Сергей Лавров",
        "--add-title",
        "Minister of Foreign Affairs:2004-03-09",
    ]);
    assert!(edited.starts_with("edited Sergey Lavrov\n"), "{edited}");
    assert!(
        edited.contains("also written  Sergei Lavrov; Sergej Lavrov"),
        "{edited}"
    );
    assert!(
        edited.contains("Minister of Foreign Affairs (from 9 Mar 2004)"),
        "{edited}"
    );
    // The command line, the filter and file imports resolve the alias as the name.
    let count = db.stdout(&["count", "Sergej Lavrov", "rubio"]);
    assert!(
        count.starts_with("3 face-to-face meetings between Sergey Lavrov and Marco Rubio"),
        "{count}"
    );
    let listed = db.json(&["list", "--person", "сергей лавров", "--format", "json"]);
    assert_eq!(listed.as_array().unwrap().len(), 4);
    let csv = db.file("alias.csv");
    std::fs::write(
        &csv,
        "date,title,participants\n2026-02-01,Talks,Sergej Lavrov (RU)*; Marco Rubio (US)*\n",
    )
    .unwrap();
    let imported = db.stdout(&["import", csv.to_str().unwrap()]);
    assert!(imported.contains("0 new people"), "{imported}");
    let person = db.json(&["person", "show", "lavrov", "--format", "json"]);
    assert_eq!(person["name"], "Sergey Lavrov");
    assert_eq!(
        person["aliases"],
        serde_json::json!(["Sergei Lavrov", "Sergej Lavrov"])
    );
    assert_eq!(person["events"], 5);
    // A name that is another person's cannot be an alias.
    db.refuses(&["person", "edit", "Lavrov", "--add-alias", "Marco Rubio"])
        .stderr("error: alias: is already a name of Marco Rubio (Marco Rubio)\n");
    db.refuses(&[
        "person",
        "edit",
        "Lavrov",
        "--add-title",
        "Minister:2004-13-01",
    ])
    .stderr(contains("add-title: dates are YYYY-MM-DD"));
    // A search finds a person's events by every name of theirs, as long as it is theirs.
    let searched = |db: &TempDb| {
        db.json(&["list", "--search", "Sergej Lavrov", "--format", "json"])
            .as_array()
            .unwrap()
            .len()
    };
    assert_eq!(searched(&db), 5);
    assert_eq!(db.stdout(&["undo"]), "undid editing Sergey Lavrov\n");
    assert_eq!(searched(&db), 0, "undone, the alias finds nothing");
    db.refuses(&["person", "show", "Sergej Lavrov"])
        .stderr(contains("unknown person"));
}

fn a_short_name_labels_a_person_and_travels_with_the_record(engine: Engine) {
    let db = TempDb::seeded_on(engine);
    // Until one is set, the short name is found from the name: the name before "bin".
    let faisal = db.json(&["person", "show", "Faisal bin Farhan", "--format", "json"]);
    assert_eq!(faisal["short"], "Faisal");
    assert!(faisal.get("short_name").is_none(), "{faisal}");
    let edited = db.stdout(&["person", "edit", "witkoff", "--short", " Special  Envoy "]);
    assert!(
        edited.contains("\n  short name    Special Envoy\n"),
        "{edited}"
    );
    let listed = db.stdout(&["list", "--person", "witkoff", "--limit", "1"]);
    assert!(listed.contains("Putin–Special Envoy"), "{listed}");
    let shown = db.json(&["person", "show", "witkoff", "--format", "json"]);
    assert_eq!(shown["short_name"], "Special Envoy");
    assert_eq!(shown["short"], "Special Envoy");

    // What is refused changes nothing.
    db.refuses(&["person", "edit", "witkoff", "--short", "  "])
        .stderr(contains("short: must not be empty"));
    db.refuses(&["person", "edit", "Nobody Known", "--short", "Nobody"])
        .stderr(contains("unknown person"));
    db.cmd()
        .args([
            "person",
            "edit",
            "witkoff",
            "--short",
            "X",
            "--short-default",
        ])
        .assert()
        .failure()
        .stdout("");
    let again = db.json(&["person", "show", "witkoff", "--format", "json"]);
    assert_eq!(again["short_name"], "Special Envoy");

    // An export carries it; a new record importing the export has it.
    let file = db.file("record.json");
    db.stdout(&[
        "export",
        "--format",
        "json",
        "--out",
        file.to_str().unwrap(),
    ]);
    let other = TempDb::empty_on(engine);
    other.stdout(&["import", file.to_str().unwrap()]);
    let imported = other.json(&["person", "show", "witkoff", "--format", "json"]);
    assert_eq!(imported["short_name"], "Special Envoy");
    assert_eq!(imported["short"], "Special Envoy");

    // The family name leaves out suffixes and reads Chinese names family name first.
    db.stdout(&[
        "add",
        "--create-people",
        "--date",
        "2026-03-02",
        "--title",
        "Grant receives Li",
        "--participant",
        "Ulysses S. Grant II:US",
        "--participant",
        "Li Keqiang:CN",
    ]);
    let listed = db.stdout(&["list", "--search", "Grant receives Li"]);
    assert!(listed.contains(" Grant–Li "), "{listed}");

    // Back to the name's own, and that is undone as any edit is.
    let default = db.stdout(&["person", "edit", "witkoff", "--short-default"]);
    assert!(
        default.contains("\n  short name    Witkoff (from the name)\n"),
        "{default}"
    );
    assert_eq!(db.stdout(&["undo"]), "undid editing Steve Witkoff\n");
    let undone = db.json(&["person", "show", "witkoff", "--format", "json"]);
    assert_eq!(undone["short"], "Special Envoy");
}

fn merging_two_people_moves_their_events_and_undoes(engine: Engine) {
    let db = TempDb::seeded_on(engine);
    db.stdout(&[
        "add",
        "--create-people",
        "--date",
        "2026-01-01",
        "--title",
        "Lavrov and Rubio again",
        "--participant",
        "Sergej Lavrov:RU",
        "--participant",
        "Marco Rubio:US",
    ]);
    db.stdout(&[
        "add",
        "--create-people",
        "--date",
        "2026-01-02",
        "--title",
        "Both spellings in one room",
        "--participant",
        "Sergej Lavrov:RU:lead",
        "--participant",
        "Sergey Lavrov:RU",
        "--participant",
        "Marco Rubio:US",
    ]);
    let merged = db.json(&[
        "person",
        "merge",
        "Sergey Lavrov",
        "Sergej Lavrov",
        "--format",
        "json",
    ]);
    assert_eq!(merged["merged"], "Sergej Lavrov");
    assert_eq!(merged["events_moved"], 2);
    assert_eq!(merged["person"]["events"], 6);
    assert_eq!(
        merged["person"]["aliases"],
        serde_json::json!(["Sergei Lavrov", "Sergej Lavrov"])
    );
    // Where both spellings were in one event, one participant stays, heading the side.
    let both = db.json(&["list", "--search", "Both spellings", "--format", "json"]);
    let participants = both[0]["participants"].as_array().unwrap();
    assert_eq!(participants.len(), 2, "{participants:?}");
    assert_eq!(participants[0]["name"], "Sergey Lavrov");
    assert_eq!(participants[0]["head"], true);
    let count = db.stdout(&["count", "Sergey Lavrov", "Marco Rubio"]);
    assert!(count.starts_with("5 face-to-face meetings"), "{count}");
    db.refuses(&["person", "delete", "Lavrov"]).stderr(contains(
        "has prior counts (attache prior list); remove them first",
    ));

    assert_eq!(
        db.stdout(&["undo"]),
        "undid merging Sergej Lavrov into Sergey Lavrov\n"
    );
    let back = db.json(&["person", "show", "Sergej Lavrov", "--format", "json"]);
    assert_eq!(back["events"], 2);
    let count = db.stdout(&["count", "Sergey Lavrov", "Marco Rubio"]);
    assert!(count.starts_with("3 face-to-face meetings"), "{count}");
    assert_eq!(
        db.stdout(&["redo"]),
        "redid merging Sergej Lavrov into Sergey Lavrov\n"
    );
    assert_eq!(
        db.json(&["person", "show", "Sergej Lavrov", "--format", "json"])["name"],
        "Sergey Lavrov"
    );
}

fn only_a_person_without_events_is_deleted(engine: Engine) {
    let db = TempDb::seeded_on(engine);
    db.stdout(&[
        "add",
        "--create-people",
        "--date",
        "2026-01-01",
        "--title",
        "A meeting",
        "--participant",
        "Ann Example:GB",
        "--participant",
        "Marco Rubio:US",
    ]);
    db.refuses(&["person", "delete", "Ann Example"])
        .stderr(contains("takes part in 1 event;"));
    db.stdout(&["undo"]);
    db.stdout(&["person", "edit", "Ann Example", "--country", "GB"]);
    let shown = db.stdout(&["person", "show", "Ann Example"]);
    assert!(
        shown.contains("none: this person takes part in no event"),
        "{shown}"
    );
    assert_eq!(
        db.stdout(&["person", "delete", "Ann Example"]),
        "deleted Ann Example\n"
    );
    db.refuses(&["person", "show", "Ann Example"])
        .stderr(contains("unknown person"));
    assert_eq!(db.stdout(&["undo"]), "undid deleting Ann Example\n");
    assert_eq!(
        db.json(&["person", "show", "Ann Example", "--format", "json"])["country"],
        "GB"
    );
}

fn co_heads_each_meet_the_other_sides_heads(engine: Engine) {
    let db = TempDb::seeded_on(engine);
    let added = db.stdout(&[
        "add",
        "--create-people",
        "--date",
        "2026-03-24",
        "--title",
        "Expert talks",
        "--city",
        "Riyadh",
        "--country",
        "SA",
        "--participant",
        "Grigory Karasin:RU:lead",
        "--participant",
        "Sergey Beseda:RU:lead",
        "--participant",
        "Andrew Peek:US:lead",
        "--participant",
        "Michael Anton:US:lead",
        "--participant",
        "Ann Aide:US",
    ]);
    for pair in [
        "between Grigory Karasin and Andrew Peek",
        "between Michael Anton and Grigory Karasin",
        "between Sergey Beseda and Andrew Peek",
        "between Michael Anton and Sergey Beseda",
    ] {
        assert!(added.contains(pair), "{pair}\n{added}");
    }
    let listed = db.stdout(&["list", "--search", "Expert talks"]);
    assert!(listed.contains("Anton/Peek–Beseda/Karasin"), "{listed}");
    // The bundled record holds their first, on 2025-03-24.
    let count = db.stdout(&["count", "Beseda", "Peek"]);
    assert!(
        count.starts_with("2 face-to-face meetings between"),
        "{count}"
    );
    // Co-heads of one side sat together; they did not meet each other.
    let count = db.stdout(&["count", "Beseda", "Karasin"]);
    assert!(count.starts_with("0 face-to-face meetings"), "{count}");
    let csv = db.stdout(&["export", "--from", "2026-03-24"]);
    assert!(
        csv.contains("Grigory Karasin (RU)*; Sergey Beseda (RU)*; Andrew Peek (US)*; Michael Anton (US)*; Ann Aide (US)"),
        "{csv}"
    );
}

fn prior_counts_continue_the_ordinals_and_mark_true_firsts(engine: Engine) {
    let db = TempDb::seeded_on(engine);
    // The bundled record counts five meetings before it (TIME), the last in 2019 (Sputnik);
    // The Times of India and Charter97 count six.
    let shown = db.stdout(&["show", "19"]);
    assert!(
        shown.contains(
            "6th, or 7th by the count of The Times of India and Charter97, face-to-face meeting between Vladimir Putin and Donald Trump, counting 5 before this record · the first since 2019, the G20 summit in Japan\n"
        ),
        "{shown}"
    );
    assert!(
        shown.contains("TIME via dnyuz.com called this the 6th ✓"),
        "{shown}"
    );
    // The same source again replaces its own count; made the disputing count, it ends the
    // dispute, the disputing sources joining the record's.
    assert_eq!(
        db.stdout(&[
            "prior",
            "set",
            "Putin",
            "Trump",
            "--count",
            "6",
            "--last",
            "2019-06-28",
            "--place",
            "Osaka",
            "--source",
            "TIME <https://example.org/count>",
            "--source",
            "Sputnik",
        ]),
        "6 face-to-face meetings between Vladimir Putin and Donald Trump before this record, the last on 28 Jun 2019, Osaka (The Times of India via delhinewsdaily.com <https://delhinewsdaily.com/alaska-summit-7th-known-face-to-face-meeting-between-trump-putin-times-of-india-delhi-news-daily>; Charter97 <https://charter97.org/ru/news/2025/8/15/652217/>; TIME <https://example.org/count>; Sputnik)\n"
    );
    let shown = db.stdout(&["show", "19"]);
    assert!(
        shown.contains("7th face-to-face meeting between Vladimir Putin and Donald Trump, counting 6 before this record · the first since 28 Jun 2019, Osaka\n"),
        "{shown}"
    );
    let count = db.stdout(&["count", "Putin", "Trump"]);
    assert!(
        count.starts_with("1 face-to-face meeting between Vladimir Putin and Donald Trump in this record; 7 counting 6 before it\n7th "),
        "{count}"
    );
    // A prior count of zero makes the record's first a true first.
    db.stdout(&[
        "prior", "set", "Lavrov", "Rubio", "--count", "0", "--source", "Reuters",
    ]);
    let rubio = db.stdout(&["count", "Lavrov", "Rubio"]);
    assert!(
        rubio.starts_with("3 face-to-face meetings between Sergey Lavrov and Marco Rubio\n"),
        "{rubio}"
    );
    let listed = db.json(&["prior", "list", "--format", "json"]);
    assert_eq!(listed.as_array().unwrap().len(), 2);
    let osaka = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["count"] == 6)
        .unwrap();
    assert_eq!(osaka["kind"], "in-person");
    assert_eq!(osaka["last"], "2019-06-28");
    assert_eq!(osaka["place"], "Osaka");
    // A country is named as a sentence names it, article and all.
    db.stdout(&[
        "prior",
        "set",
        "Dmitriev",
        "--country",
        "US",
        "--count",
        "2",
        "--source",
        "Reuters",
    ]);
    assert_eq!(
        db.stdout(&["prior", "remove", "Dmitriev", "--country", "US"]),
        "removed the prior count of Kirill Dmitriev's visits to the United States\n"
    );
    db.refuses(&[
        "prior", "set", "Putin", "Trump", "--count", "0", "--last", "2019", "--source", "X",
    ])
    .stderr(contains(
        "count: a count of zero (a true first) has no last meeting",
    ));
    db.refuses(&["prior", "set", "Putin", "--count", "2", "--source", "X"])
        .stderr(contains("give --country, or name two people"));
    db.refuses(&["person", "delete", "Rubio"])
        .stderr(contains("has prior counts"));
    assert_eq!(
        db.stdout(&["prior", "remove", "Putin", "Trump"]),
        "removed the prior count of face-to-face meetings between Vladimir Putin and Donald Trump\n"
    );
    assert!(
        db.stdout(&["show", "19"])
            .contains("Donald Trump in this record")
    );
}

/// `check --strict` is for scripts: exit 1, after the report, when a published count differs
/// from the record's (≠); one that follows a disputed count before the record (≈) is not a
/// difference.
#[test]
fn check_strict_fails_on_a_count_that_differs() {
    let db = TempDb::seeded();
    let plain = db.stdout(&["check"]);
    db.cmd()
        .args(["check", "--strict"])
        .assert()
        .code(1)
        .stdout(plain)
        .stderr("error: 1 published count differs from this record\n");
    db.stdout(&["delete", "23"]);
    let left = db.stdout(&["check"]);
    assert!(left.contains("≈ #19"), "{left}");
    assert!(!left.contains("≠"), "{left}");
    db.stdout(&["check", "--strict"]);
    assert!(
        db.stdout(&["check", "--strict", "--format", "json"])
            .contains("\"verdict\": \"disputed\"")
    );
}

fn check_sets_published_counts_against_the_record(engine: Engine) {
    let db = TempDb::seeded_on(engine);
    let out = db.stdout(&["check"]);
    assert!(
        out.contains(
            "≠ #23 25 Oct 2025 Kirill Dmitriev meets Steve Witkoff and Jared Kushner in Miami\n    The Moscow Times: Kirill Dmitriev's 2nd visit to the United States since 24 Feb 2022\n    this record: 3rd\n"
        ),
        "{out}"
    );
    // The Times of India counts from its own six meetings before the record, not TIME's five.
    assert!(
        out.contains(
            "≈ #19 15 Aug 2025 Trump–Putin summit in Anchorage\n    The Times of India via delhinewsdaily.com: 7th face-to-face meeting between Vladimir Putin and Donald Trump\n    this record: 6th; the 7th is by the count of The Times of India and Charter97 before this record, which disputes the one it follows\n"
        ),
        "{out}"
    );
    assert!(
        out.ends_with("19 published counts: 17 agree with this record, 1 follows a disputed count before it, 1 does not\n"),
        "{out}"
    );
    let json = db.json(&["check", "--format", "json"]);
    let checks = json.as_array().unwrap();
    assert_eq!(checks.len(), 19);
    let tass = checks.iter().find(|c| c["date"] == "2025-12-02").unwrap();
    assert_eq!(
        (
            tass["number_published"].as_u64(),
            tass["record"].as_u64(),
            tass["agrees"].as_bool()
        ),
        (Some(6), Some(6), Some(true))
    );
    assert_eq!(tass["record_ordinal"], "6th");
    assert_eq!(tass["verdict"], "agrees");
    assert_eq!(tass["sentence"], "TASS called this the 6th ✓");
    let miami = checks.iter().find(|c| c["number"] == 23).unwrap();
    assert_eq!(
        (miami["number_published"].as_u64(), miami["record"].as_u64()),
        (Some(2), Some(3))
    );
    assert_eq!(miami["verdict"], "differs");
    let anchorage = checks
        .iter()
        .find(|c| c["number"] == 19 && c["disputed"].is_string())
        .unwrap();
    assert_eq!(anchorage["verdict"], "disputed");
    // A published count the record disagrees with, added from a file, shows in the detail too.
    let shown = db.stdout(&["show", "25"]);
    assert!(shown.contains("TASS called this the 6th ✓"), "{shown}");
    let file = db.file("claims.json");
    let mut event = db.json(&["show", "25", "--format", "json"]);
    event["claims"] = serde_json::json!([{
        "aspect": "count",
        "value": "the fifth meeting",
        "sources": ["Breitbart"],
        "count": {"people": ["Putin", "Witkoff"], "kind": "in-person", "number": 5}
    }]);
    let id = event["id"].as_str().unwrap().to_string();
    let document = serde_json::json!({"attache": 2, "events": [event]});
    std::fs::write(&file, document.to_string()).unwrap();
    db.refuses(&["import", file.to_str().unwrap()]).stderr(contains(format!(
        "id: exists with different content; --on-conflict skip keeps it, replace takes the file's ({id})"
    )));
    db.stdout(&["import", "--on-conflict", "replace", file.to_str().unwrap()]);
    let shown = db.stdout(&["show", "25"]);
    assert!(
        shown.contains("Breitbart counts the 5th; this record counts the 6th ≠"),
        "{shown}"
    );
    let out = db.stdout(&["check"]);
    assert!(
        out.ends_with("19 published counts: 16 agree with this record, 1 follows a disputed count before it, 2 do not\n"),
        "{out}"
    );
    // A claim naming a source the event does not have is refused with its place.
    event["claims"][0]["sources"] = serde_json::json!(["Pravda"]);
    std::fs::write(
        &file,
        serde_json::json!({"attache": 2, "events": [event]}).to_string(),
    )
    .unwrap();
    db.refuses(&["import", "--on-conflict", "replace", file.to_str().unwrap()])
        .stderr(contains("claims: not one of the event's sources"));
}

fn a_side_without_named_members_is_kept_and_found(engine: Engine) {
    let db = TempDb::seeded_on(engine);
    let abu_dhabi = db.json(&[
        "list",
        "--side",
        "RU",
        "--from",
        "2025-11-01",
        "--to",
        "2025-11-30",
        "--format",
        "json",
    ]);
    let events = abu_dhabi.as_array().unwrap();
    assert_eq!(events.len(), 1, "{abu_dhabi}");
    assert_eq!(events[0]["unnamed_sides"], serde_json::json!(["RU"]));
    let id = events[0]["id"].as_str().unwrap().to_string();
    let shown = db.stdout(&["show", &id]);
    assert!(
        shown.contains("  RU  delegation (members not named)"),
        "{shown}"
    );
    let csv = db.stdout(&["export", "--from", "2025-11-24", "--to", "2025-11-24"]);
    assert!(csv.contains("Dan Driscoll (US)*; (RU)"), "{csv}");
    db.refuses(&[
        "add",
        "--date",
        "2026-01-01",
        "--title",
        "x",
        "--participant",
        "Putin:RU",
        "--participant",
        "Witkoff:US",
        "--unnamed-side",
        "RU",
    ])
    .stderr("error: participant: a side without named members has no participants listed (RU)\n");
    let added = db.stdout(&[
        "add",
        "--date",
        "2026-01-01",
        "--title",
        "Talks with a US delegation",
        "--participant",
        "Putin:RU",
        "--unnamed-side",
        "US",
    ]);
    assert!(
        added.contains("US  delegation (members not named)"),
        "{added}"
    );
}

fn edits_carry_versions_and_changes_their_authors(engine: Engine) {
    let db = TempDb::seeded_on(engine);
    let version = |db: &TempDb| db.json(&["show", "10", "--format", "json"])["version"].as_i64();
    assert_eq!(version(&db), Some(1));
    let edited = db.stdout(&[
        "--as",
        "alice",
        "edit",
        "10",
        "--venue",
        "Presidential Library",
        "--if-version",
        "1",
    ]);
    assert!(edited.starts_with("edited #10 (version 2)\n"), "{edited}");
    // Bob read version 1: his edit and his delete are refused, naming who changed it.
    db.cmd()
        .args([
            "--as",
            "bob",
            "edit",
            "10",
            "--title",
            "Bob's title",
            "--if-version",
            "1",
        ])
        .assert()
        .code(1)
        .stdout("")
        .stderr(
            contains("error: #10 was changed by alice on ").and(contains(
                "since version 1 (it is at version 2 now); nothing was written",
            )),
        );
    db.refuses(&["--as", "bob", "delete", "10", "--if-version", "1"])
        .stderr(contains("#10 was changed by alice"));
    assert_eq!(
        db.json(&["show", "10", "--format", "json"])["title"],
        "Steve Witkoff meets Vladimir Putin in St Petersburg"
    );
    db.cmd()
        .env("ATTACHE_USER", "bob")
        .args([
            "add",
            "--date",
            "2026-01-01",
            "--title",
            "Bob's meeting",
            "--participant",
            "Putin:RU",
        ])
        .assert()
        .success();
    // Undo takes back one's own change, not a colleague's later one.
    assert_eq!(
        db.stdout(&["--as", "alice", "undo"]),
        "undid editing #10 \"Steve Witkoff meets Vladimir Putin in St Petersburg\"\n"
    );
    assert_eq!(db.event_count(), 37, "Bob's event stays");
    assert_eq!(version(&db), Some(3), "an undo is a change too");
    let log = db.json(&["log", "--format", "json"]);
    let entries: Vec<(&str, &str, bool)> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["author"].as_str().unwrap(),
                c["what"].as_str().unwrap(),
                c["undone"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        entries[..2],
        [("bob", "added", false), ("alice", "edited", true)]
    );
    // Imports are logged too (the seed's, first), though not undone.
    assert_eq!(entries[2].1, "imported");
    assert_eq!(
        log[2]["subject"],
        "seed-data/attache.json: 36 events, 0 already present"
    );
    assert_eq!(
        db.stdout(&["delete", "37"]),
        "deleted #37 \"Bob's meeting\"; attache undo brings it back\n"
    );
}

/// With no USER or LOGNAME (containers, cron), the author is the operating system's name for
/// the user, not "unknown"; an import, which changes no one event, has no number in the log.
#[test]
fn the_log_asks_the_system_who_the_author_is() {
    let db = TempDb::seeded();
    let whoami = std::process::Command::new("id")
        .arg("-un")
        .output()
        .unwrap();
    let user = String::from_utf8(whoami.stdout).unwrap().trim().to_string();
    let mut cmd = db.cmd();
    cmd.env_clear();
    if let Some(path) = std::env::var_os("PATH") {
        cmd.env("PATH", path);
    }
    cmd.args(["delete", "36"]).assert().success();
    let log = db.json(&["log", "--format", "json"]);
    assert_eq!(log[0]["what"], "deleted");
    assert_eq!(log[0]["author"], user.as_str());
    assert_eq!(log[0]["number"], 36);
    assert_eq!(log[1]["what"], "imported");
    assert!(log[1]["number"].is_null(), "{}", log[1]);
}

/// A trip the user joined travels with the record in JSON: imported into another database, the
/// two April meetings are still one visit; a misspelt word is refused, and nothing is written.
#[test]
fn a_json_export_carries_the_users_trips() {
    let db = TempDb::seeded();
    db.stdout(&["trip", "join", "11", "10"]);
    let file = db.dir.path().join("record.json");
    db.stdout(&[
        "export",
        "--format",
        "json",
        "--out",
        file.to_str().unwrap(),
    ]);
    let text = std::fs::read_to_string(&file).unwrap();
    assert_eq!(text.matches("\"trip\": \"join\"").count(), 1);
    let elsewhere = TempDb::empty();
    elsewhere.stdout(&["import", file.to_str().unwrap()]);
    let visits = elsewhere.stdout(&["count", "witkoff", "--visits", "--country", "RU"]);
    assert!(
        visits.starts_with("6 visits to Russia by Steve Witkoff"),
        "{visits}"
    );
    let misspelt = db.dir.path().join("misspelt.json");
    std::fs::write(
        &misspelt,
        text.replace("\"trip\": \"join\"", "\"trip\": \"joined\""),
    )
    .unwrap();
    let third = TempDb::empty();
    third
        .refuses(&["import", misspelt.to_str().unwrap()])
        .stderr(contains("trip: is \"split\""));
    let listed: serde_json::Value =
        serde_json::from_str(&third.stdout(&["list", "--format", "json"])).unwrap();
    assert_eq!(
        listed.as_array().map(Vec::len),
        Some(0),
        "nothing is written"
    );
}

/// Witkoff's trips to Russia in April 2025 were two (11 and 25 April); joined, they are one
/// visit, and undo makes them two again.
fn trips_split_and_join_from_the_command_line(engine: Engine) {
    let db = TempDb::seeded_on(engine);
    let joined = db.stdout(&["trip", "join", "11", "10"]);
    assert!(
        joined.starts_with("#11 now continues the trip of #10\n")
            && joined.contains("  Steve Witkoff's trip of 11–25 Apr 2025: Russia (2 events)\n"),
        "{joined}"
    );
    let shown = db.stdout(&["show", "11"]);
    assert!(
        shown.contains("Steve Witkoff's 3rd visit to Russia in this record")
            && shown.contains("\nTrips\n  Steve Witkoff's trip of 11–25 Apr 2025"),
        "{shown}"
    );
    db.refuses(&["trip", "join", "10", "11"])
        .stderr(contains("are already on one trip"));
    db.refuses(&["trip", "split", "10"])
        .stderr(contains("already starts a trip for its people"));
    db.refuses(&["trip", "split", "2"])
        .stderr(contains("was not held in person"));
    db.refuses(&["trip", "split", "99"])
        .stderr(contains("no event with id 99"));
    db.refuses(&["trip", "join", "4", "10"])
        .stderr(contains("have no one in common"));
    assert!(db.stdout(&["undo"]).starts_with("undid editing #11"));
    let shown = db.stdout(&["show", "11"]);
    assert!(
        shown.contains("Steve Witkoff's 4th visit to Russia in this record")
            && !shown.contains("\nTrips\n"),
        "{shown}"
    );
    db.cmd()
        .args([
            "add",
            "--date",
            "2026-04-15",
            "--title",
            "Witkoff for the other side",
            "--participant",
            "Witkoff:RU",
        ])
        .assert()
        .success();
    let checked = db.stdout(&["check"]);
    assert!(
        checked.contains("  Steve Witkoff: home US (their country); also headed RU ×1\n"),
        "{checked}"
    );
}

fn every_ordinal_says_how_far_back_it_counts(engine: Engine) {
    let db = TempDb::seeded_on(engine);
    // Sergey Lavrov was in New York for the UN General Assembly before the record begins.
    let shown = db.stdout(&["show", "21"]);
    assert!(
        shown.contains("\n  Sergey Lavrov's 2nd visit to the United States in this record\n"),
        "{shown}"
    );
    // TASS's "eighth" is of the year; the record's is of the record.
    let call = db.stdout(&["show", "22"]);
    assert!(
        call.contains("\n  8th phone call between Vladimir Putin and Donald Trump in this record · previous: 18 Aug 2025, 59 days earlier\n"),
        "{call}"
    );
    // A prior count of zero (a true first) makes the count whole: nothing to add.
    let kuala_lumpur = db.stdout(&["show", "17"]);
    assert!(
        kuala_lumpur.contains(
            "\n  2nd face-to-face meeting between Sergey Lavrov and Marco Rubio, none before this record · previous:"
        ),
        "{kuala_lumpur}"
    );
    let history = db.stdout(&["history", "Witkoff"]);
    assert!(
        history.contains("2nd meeting with Vladimir Putin; 2nd visit to Russia\n"),
        "{history}"
    );
    // The scope is said once, in the heading; a count reaching before the record says so.
    assert_eq!(
        history.to_lowercase().matches("in this record").count(),
        1,
        "{history}"
    );
    assert!(history.contains("ORDINAL IN THIS RECORD"), "{history}");
    let lavrov = db.stdout(&["history", "Lavrov"]);
    assert!(
        lavrov.contains(
            "1st meeting with Marco Rubio, none before this record; 1st visit to Saudi Arabia\n"
        ),
        "{lavrov}"
    );
    let json = db.json(&["history", "Witkoff", "--format", "json"]);
    assert_eq!(
        json["events"][2]["ordinals"][0],
        "2nd face-to-face meeting between Vladimir Putin and Steve Witkoff in this record",
        "JSON keeps whole sentences for scripts"
    );
}

fn a_pair_together_before_in_other_roles_is_told_so(engine: Engine) {
    let db = TempDb::seeded_on(engine);
    // Dmitriev sat in the Russian delegation at Riyadh, where Witkoff sat in the American one.
    let washington = "1st face-to-face meeting between Kirill Dmitriev and Steve Witkoff as heads of their sides in this record · together once before, 18 Feb 2025 in Riyadh";
    let shown = db.stdout(&["show", "8"]);
    assert!(shown.contains(&format!("\n  {washington}\n")), "{shown}");
    let csv = db.stdout(&["show", "8", "--format", "csv"]);
    assert!(csv.contains(washington), "{csv}");
    // An export reads the kept counts alone, a lookup per event.
    let csv = db.stdout(&["export", "--from", "2025-04-02", "--to", "2025-04-02"]);
    assert!(
        csv.contains(
            "1st face-to-face meeting between Kirill Dmitriev and Steve Witkoff in this record"
        ),
        "{csv}"
    );
    let json = db.json(&["show", "8", "--format", "json"]);
    assert_eq!(
        json["ordinal_details"][0]["together"],
        "together once before, 18 Feb 2025 in Riyadh"
    );
    // After meetings as heads, the other times are said as such; the reported meeting the
    // ordinal counts is said with the ordinal.
    let miami = db.stdout(&["show", "23"]);
    assert!(
        miami.contains("2nd face-to-face meeting between Kirill Dmitriev and Steve Witkoff as heads of their sides in this record · together 5 times before in other roles, last 15 Aug 2025 in Anchorage · previous: 2 Apr 2025, Washington"),
        "{miami}"
    );
    let kremlin = db.stdout(&["show", "25"]);
    assert!(
        kremlin.contains("6th face-to-face meeting between Vladimir Putin and Steve Witkoff as heads of their sides in this record, counting the reported meeting of 11 Feb 2025 · together once before in other roles, 15 Aug 2025 in Anchorage · previous:"),
        "{kremlin}"
    );
    // A call is not a time together, and a pair never together otherwise is not told so.
    assert!(!db.stdout(&["show", "22"]).contains("together"));
    assert!(!db.stdout(&["show", "5"]).contains("together"));
}

fn disputed_prior_counts_are_said_listed_carried_and_checked(engine: Engine) {
    let db = TempDb::seeded_on(engine);
    let set = db.stdout(&[
        "prior",
        "set",
        "Putin",
        "Trump",
        "--count",
        "6",
        "--source",
        "news.mail.ru <https://news.mail.ru/politics/66666/>",
    ]);
    assert!(
        set.starts_with("5 face-to-face meetings between Vladimir Putin and Donald Trump before this record, the last in 2019, the G20 summit in Japan (TIME via dnyuz.com <"),
        "{set}"
    );
    assert!(
        set.ends_with(">)\n  disputed: 6 before this record, the last in 2019, the G20 summit in Japan (The Times of India via delhinewsdaily.com <https://delhinewsdaily.com/alaska-summit-7th-known-face-to-face-meeting-between-trump-putin-times-of-india-delhi-news-daily>; Charter97 <https://charter97.org/ru/news/2025/8/15/652217/>; news.mail.ru <https://news.mail.ru/politics/66666/>)\n"),
        "{set}"
    );
    let shown = db.stdout(&["show", "19"]);
    assert!(
        shown.contains("\n  6th, or 7th by the count of The Times of India, Charter97 and news.mail.ru, face-to-face meeting between Vladimir Putin and Donald Trump, counting 5 before this record · the first since 2019, the G20 summit in Japan\n"),
        "{shown}"
    );
    // A source given again replaces its own count, and the others stay.
    db.stdout(&[
        "prior",
        "set",
        "Putin",
        "Trump",
        "--count",
        "7",
        "--source",
        "news.mail.ru",
    ]);
    let shown = db.stdout(&["show", "19"]);
    assert!(
        shown.contains("\n  6th, or 7th by the count of The Times of India and Charter97, or 8th by news.mail.ru's count, face-to-face meeting between"),
        "{shown}"
    );
    let listed = db.stdout(&["prior", "list"]);
    assert!(
        listed.contains("\n  disputed: 6 before this record, the last in 2019, the G20 summit in Japan (The Times of India via delhinewsdaily.com <https://delhinewsdaily.com/alaska-summit-7th-known-face-to-face-meeting-between-trump-putin-times-of-india-delhi-news-daily>; Charter97 <https://charter97.org/ru/news/2025/8/15/652217/>)\n  disputed: 7 before this record (news.mail.ru)\n"),
        "{listed}"
    );
    let json = db.json(&["prior", "list", "--format", "json"]);
    let trump = json
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["people"][0] == "Vladimir Putin" && p["people"][1] == "Donald Trump")
        .unwrap();
    assert_eq!(trump["count"], 5);
    assert_eq!(trump["disputed"][0]["count"], 6);
    assert_eq!(trump["disputed"][1]["sources"][0]["outlet"], "news.mail.ru");

    // JSON carries the disputes: a fresh record importing the export lists the same.
    let file = db.file("record.json");
    db.stdout(&[
        "export",
        "--format",
        "json",
        "--out",
        file.to_str().unwrap(),
    ]);
    let other = TempDb::empty_on(engine);
    other.stdout(&["import", file.to_str().unwrap()]);
    // Listed by series, whose key holds the people's numbers, which the import gives anew.
    let by_people = |list: serde_json::Value| {
        let mut list = list.as_array().unwrap().clone();
        list.sort_by_key(|p| p["people"].to_string());
        list
    };
    assert_eq!(
        by_people(other.json(&["prior", "list", "--format", "json"])),
        by_people(json)
    );
    assert_eq!(other.stdout(&["show", "19"]), db.stdout(&["show", "19"]));

    // A published count that matches a disputing one is neither the record's nor wrong.
    let mut event = db.json(&["show", "19", "--format", "json"]);
    event["sources"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({"outlet": "news.mail.ru"}));
    event["claims"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({
            "aspect": "count",
            "value": "the eighth meeting",
            "sources": ["news.mail.ru"],
            "count": {"people": ["Putin", "Trump"], "kind": "in-person", "number": 8}
        }));
    let claims = db.file("claims.json");
    std::fs::write(
        &claims,
        serde_json::json!({"attache": 2, "events": [event]}).to_string(),
    )
    .unwrap();
    db.stdout(&[
        "import",
        "--on-conflict",
        "replace",
        claims.to_str().unwrap(),
    ]);
    let shown = db.stdout(&["show", "19"]);
    assert!(
        shown.contains("news.mail.ru called this the 8th, by news.mail.ru's count before this record; this record counts the 6th, a disputed count ≈"),
        "{shown}"
    );
    let out = db.stdout(&["check"]);
    assert!(
        out.contains("≈ #19 15 Aug 2025 Trump–Putin summit in Anchorage\n    news.mail.ru: 8th face-to-face meeting between Vladimir Putin and Donald Trump\n    this record: 6th; the 8th is by news.mail.ru's count before this record, which disputes the one it follows\n"),
        "{out}"
    );
    assert!(
        out.ends_with("20 published counts: 17 agree with this record, 2 follow a disputed count before it, 1 does not\n"),
        "{out}"
    );
    // One source's count taken away leaves the others.
    let left = db.stdout(&[
        "prior",
        "remove",
        "Putin",
        "Trump",
        "--source",
        "News.mail.ru",
    ]);
    assert!(
        left.ends_with(">)\n  disputed: 6 before this record, the last in 2019, the G20 summit in Japan (The Times of India via delhinewsdaily.com <https://delhinewsdaily.com/alaska-summit-7th-known-face-to-face-meeting-between-trump-putin-times-of-india-delhi-news-daily>; Charter97 <https://charter97.org/ru/news/2025/8/15/652217/>)\n"),
        "{left}"
    );
    db.refuses(&["prior", "remove", "Putin", "Trump", "--source", "Pravda"])
        .stderr(contains(
            "source: gives none of the recorded counts (Pravda)",
        ));
    for source in ["The Times of India", "Charter97"] {
        db.stdout(&["prior", "remove", "Putin", "Trump", "--source", source]);
    }
    let shown = db.stdout(&["show", "19"]);
    assert!(
        shown.contains("\n  6th face-to-face meeting between Vladimir Putin and Donald Trump, counting 5 before this record"),
        "{shown}"
    );
    db.stdout(&[
        "prior",
        "set",
        "Putin",
        "Trump",
        "--count",
        "7",
        "--source",
        "news.mail.ru",
    ]);
    let checks = db.json(&["check", "--format", "json"]);
    let mail = checks
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["by"] == "news.mail.ru")
        .unwrap();
    assert_eq!(
        (mail["agrees"].as_bool(), mail["disputed"].as_str()),
        (Some(false), Some("news.mail.ru's count"))
    );
}

fn a_summit_shows_the_pairs_that_met_before_and_counts_the_rest(engine: Engine) {
    let db = TempDb::seeded_on(engine);
    let mut args = vec![
        "add",
        "--create-people",
        "--date",
        "2026-06-15",
        "--title",
        "G7 summit",
        "--city",
        "Kananaskis",
        "--country",
        "CA",
    ];
    for participant in [
        "Vladimir Putin:RU:lead",
        "Sergey Lavrov:RU",
        "Donald Trump:US:lead",
        "Marco Rubio:US",
        "Mark Carney:CA",
        "Emmanuel Macron:FR",
        "Friedrich Merz:DE",
        "Giorgia Meloni:IT",
    ] {
        args.extend(["--participant", participant]);
    }
    let added = db.stdout(&args);
    // Six heads: only Putin and Trump met before; the other fourteen pairs meet first.
    assert!(
        added.contains("\n  7th, or 8th by the count of The Times of India and Charter97, face-to-face meeting between Vladimir Putin and Donald Trump, counting 5 before this record · previous: 15 Aug 2025, Anchorage"),
        "{added}"
    );
    assert!(
        added.contains("\n  first face-to-face meetings in this record: 14 pairs\n"),
        "{added}"
    );
    assert!(!added.contains("1st face-to-face meeting"), "{added}");
    let csv = db.stdout(&["export", "--from", "2026-06-15"]);
    assert!(
        csv.contains("7th, or 8th by the count of The Times of India and Charter97, face-to-face meeting between Vladimir Putin and Donald Trump, counting 5 before this record; first face-to-face meetings in this record: 14 pairs"),
        "{csv}"
    );
    // JSON says the sentences the CSV cell joins, as `show` says them.
    let json = db.json(&["list", "--from", "2026-06-15", "--format", "json"]);
    let mut reader = ::csv::Reader::from_reader(csv.as_bytes());
    let row = reader.records().next().unwrap().unwrap();
    let sentences: Vec<&str> = row[14].split("; ").collect();
    assert_eq!(json[0]["ordinals"], serde_json::json!(sentences), "{csv}");
}

crate::on_each_engine!(
    trips_split_and_join_from_the_command_line,
    list_filters_and_formats,
    list_refuses_bad_filters,
    show_gives_the_founding_example,
    show_refuses_unknown_ids,
    history_lists_ordinals_and_counterparts,
    count_follows_the_press_rules,
    count_refuses_unknown_and_ambiguous_people,
    add_prints_the_new_event_with_its_ordinal,
    add_refuses_bad_input_and_writes_nothing,
    output_into_a_closed_pipe_ends_quietly,
    undo_and_redo_from_the_command_line,
    without_a_terminal_attache_prints_the_timeline,
    a_call_is_by_phone_unless_told_and_never_in_person,
    adding_the_same_event_twice_needs_allow_duplicate,
    history_and_count_write_csv,
    every_output_states_the_heads,
    show_takes_a_unique_uuid_prefix,
    the_welcome_screens_example_works_on_an_empty_database,
    control_characters_in_files_and_arguments_are_refused,
    a_huge_title_is_refused_with_the_limit,
    aliases_and_native_names_find_a_person_everywhere,
    merging_two_people_moves_their_events_and_undoes,
    a_short_name_labels_a_person_and_travels_with_the_record,
    only_a_person_without_events_is_deleted,
    co_heads_each_meet_the_other_sides_heads,
    prior_counts_continue_the_ordinals_and_mark_true_firsts,
    every_ordinal_says_how_far_back_it_counts,
    a_pair_together_before_in_other_roles_is_told_so,
    disputed_prior_counts_are_said_listed_carried_and_checked,
    a_summit_shows_the_pairs_that_met_before_and_counts_the_rest,
    check_sets_published_counts_against_the_record,
    a_side_without_named_members_is_kept_and_found,
    edits_carry_versions_and_changes_their_authors,
);

/// Both engines hold the same record: a copy there and back exports byte for byte what the
/// original does, and keeps the numbers, the log and the counts.
#[test]
fn a_record_copied_to_postgresql_and_back_exports_the_same_bytes() {
    let Some(url) = common::pg::fresh_database() else {
        return;
    };
    let db = TempDb::seeded();
    db.cmd()
        .args([
            "add",
            "--date",
            "2026-01-22",
            "--title",
            "Talks in Abu Dhabi — Дмитриев",
        ])
        .args([
            "--participant",
            "Dmitriev:RU",
            "--participant",
            "Witkoff:US",
        ])
        .assert()
        .success();
    db.cmd()
        .args(["edit", "27", "--title", "Talks in Abu Dhabi"])
        .assert()
        .success();
    let back = db.file("back.db");
    for (from, to) in [
        (db.path.to_str().unwrap(), url.as_str()),
        (&url, back.to_str().unwrap()),
    ] {
        common::attache()
            .args(["copy", from, to])
            .assert()
            .success()
            .stdout(contains(
                "copied 37 events, 31 people, 2 prior counts and 3 logged changes",
            ));
    }
    let copied = TempDb::at(url.clone());
    let again = TempDb::at(back);
    for args in [
        &["export", "--format", "csv"][..],
        &["export", "--format", "json"],
        &["export", "--format", "md"],
        &["log", "--format", "json"],
        &["show", "27", "--format", "json"],
        &["count", "putin", "witkoff"],
        &["check"],
    ] {
        let original = db.stdout(args);
        assert_eq!(copied.stdout(args), original, "{args:?} on PostgreSQL");
        assert_eq!(again.stdout(args), original, "{args:?} copied back");
    }
}

/// The export reads a page of events at a time (10,000 on PostgreSQL, 1,000 on SQLite) with
/// their people, sides, sources and kept ordinals, each table in one statement per page on
/// PostgreSQL and in lists of 500 on SQLite: over pages of events whose numbers are out of
/// timeline order, with text a CSV must quote, both give the same bytes.
#[test]
fn a_postgresql_export_over_several_pages_is_the_sqlite_exports_bytes() {
    let Some(url) = common::pg::fresh_database() else {
        return;
    };
    let db = TempDb::empty();
    let file = db.file("events.csv");
    let mut csv = csv::Writer::from_path(&file).unwrap();
    csv.write_record([
        "date",
        "title",
        "kind",
        "mode",
        "city",
        "country",
        "participants",
        "sources",
        "notes",
    ])
    .unwrap();
    let heads = [
        "Владимир Путин (RU)*",
        "Steve Witkoff 🇺🇸 (US)*",
        "Kirill Dmitriev (RU)",
        "Marco Rubio (US)*",
        "李强 (CN)*",
    ];
    for i in 0..10_500_usize {
        // Numbered in this order, read in timeline order: a page's numbers are scattered.
        let day = chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap()
            + chrono::Days::new((i as u64 * 7919) % 3000);
        let mut participants = format!("{}; {}", heads[i % 5], heads[(i + 1 + i / 5 % 4) % 5]);
        if i % 2 == 1 {
            // Listed first but numbered after the heads: read in the order listed.
            participants.insert_str(0, "Юрий Ушаков (RU); ");
        }
        if i % 7 == 0 {
            participants.push_str("; (UA)");
        }
        let phone = i % 3 == 0;
        csv.write_record([
            day.to_string(),
            format!("Переговоры №{i}, \"round\" 🤝"),
            (if phone { "call" } else { "meeting" }).to_string(),
            (if phone { "phone" } else { "in-person" }).to_string(),
            "Абу-Даби, \"ОАЭ\"".to_string(),
            "AE".to_string(),
            participants,
            if i % 2 == 0 {
                format!("ТАСС <https://example.org/{i}>; Reuters <https://example.org/r/{i}>")
            } else {
                String::new()
            },
            if i % 4 == 0 {
                format!("line one, with \"quotes\"\nline two — 😀 {i}")
            } else {
                String::new()
            },
        ])
        .unwrap();
    }
    csv.flush().unwrap();
    db.cmd()
        .args(["import", "--allow-duplicates", file.to_str().unwrap()])
        .assert()
        .success();
    common::attache()
        .args(["copy", db.path.to_str().unwrap(), &url])
        .assert()
        .success();
    let on_sqlite = db.stdout(&["export", "--format", "csv"]);
    assert_eq!(on_sqlite.matches("Переговоры №").count(), 10_500);
    for shown in [
        "(UA)",
        "2nd face-to-face meeting",
        "line two — 😀",
        "Reuters <",
    ] {
        assert!(on_sqlite.contains(shown), "{shown} in the export");
    }
    let on_postgres = TempDb::at(url).stdout(&["export", "--format", "csv"]);
    assert!(on_postgres == on_sqlite, "the exports differ");
}

/// What keeps a PostgreSQL record's tables: every index, key and foreign key (with whether it
/// was checked) and trigger (with whether it is on).
fn postgresql_upkeep(url: &str) -> Vec<String> {
    let mut client = postgres::Client::connect(url, postgres::NoTls).unwrap();
    client
        .query(
            "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() \
             UNION ALL SELECT conrelid::regclass || ' ' || conname || ' ' || \
             pg_get_constraintdef(oid) || ' ' || convalidated FROM pg_constraint \
             WHERE connamespace = current_schema()::regnamespace \
             UNION ALL SELECT tgrelid::regclass || ' ' || tgname || ' ' || tgenabled::text \
             FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1",
            &[],
        )
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect()
}

/// A copy into PostgreSQL makes the indexes, keys and foreign keys after the rows and fills
/// ids itself: once it is in, the record is kept as one made by attache is, and the next
/// event, person and logged change take the numbers after the copied ones.
#[test]
fn a_copy_into_postgresql_leaves_its_tables_kept_as_a_new_records() {
    let (Some(fresh), Some(url)) = (common::pg::fresh_database(), common::pg::fresh_database())
    else {
        return;
    };
    common::attache()
        .args(["--db", &fresh, "list"])
        .assert()
        .success();
    let kept = postgresql_upkeep(&fresh);
    assert!(kept.iter().any(|line| line.contains("gin_trgm_ops")));
    let db = TempDb::seeded();
    common::attache()
        .args(["copy", db.path.to_str().unwrap(), &url])
        .assert()
        .success();
    assert_eq!(postgresql_upkeep(&url), kept);
    let copied = TempDb::at(url);
    copied
        .cmd()
        .args(["add", "--date", "2026-04-15", "--title", "Talks in Muscat"])
        .args([
            "--participant",
            "Putin:RU",
            "--participant",
            "Badr Albusaidi:OM",
            "--create-people",
        ])
        .assert()
        .success()
        .stdout(contains("added #37"));
    assert_eq!(copied.event_count(), 37);
    assert_eq!(
        copied
            .json(&["log", "--format", "json"])
            .as_array()
            .unwrap()
            .len(),
        db.json(&["log", "--format", "json"])
            .as_array()
            .unwrap()
            .len()
            + 1
    );
}

/// A copy refused by the server at its very end, when the foreign keys set aside for the
/// load are checked, leaves the database as it was: empty, and kept as before.
#[test]
fn a_copy_into_postgresql_failing_at_its_end_leaves_the_database_as_it_was() {
    let Some(url) = common::pg::fresh_database() else {
        return;
    };
    common::attache()
        .args(["--db", &url, "list"])
        .assert()
        .success();
    let kept = postgresql_upkeep(&url);
    let db = TempDb::seeded();
    // A participant who is not in the record, which only a damaged file could hold.
    rusqlite::Connection::open(&db.path)
        .unwrap()
        .execute_batch(
            "PRAGMA foreign_keys = OFF; INSERT INTO participation (event_id, person_id, position, side, head, date_first, meets) \
             SELECT event_id, 999999, position + 100, side, head, date_first, meets \
             FROM participation LIMIT 1",
        )
        .unwrap();
    common::attache()
        .args(["copy", db.path.to_str().unwrap(), &url])
        .assert()
        .failure()
        .stdout("")
        .stderr(contains("participation_person_id_fkey"));
    assert_eq!(postgresql_upkeep(&url), kept);
    assert_eq!(TempDb::at(url).event_count(), 0);
}

#[test]
fn a_copy_goes_only_into_an_empty_database() {
    let db = TempDb::seeded();
    let other = TempDb::seeded();
    let copy = |from: &Path, to: &Path| {
        let mut cmd = common::attache();
        cmd.arg("copy").arg(from).arg(to);
        cmd
    };
    let before = std::fs::read(&other.path).unwrap();
    copy(&db.path, &other.path)
        .assert()
        .code(1)
        .stdout("")
        .stderr(contains(
            "already holds a record; copy into an empty database; nothing was written",
        ));
    assert_eq!(std::fs::read(&other.path).unwrap(), before);
    let missing = db.file("missing.db");
    let target = db.file("new.db");
    copy(&missing, &target)
        .assert()
        .code(1)
        .stderr(contains("no database at"));
    assert!(!target.exists());
    copy(&db.path, &target)
        .assert()
        .success()
        .stdout(contains("copied 36 events, 31 people"));
}

#[test]
fn postgresql_is_reached_through_a_unix_socket_too() {
    let Some(url) = common::pg::fresh_database() else {
        return;
    };
    let Some(socket) = common::pg::socket_address(&url) else {
        return;
    };
    let db = TempDb::at(socket);
    db.cmd().arg("seed").assert().success();
    assert_eq!(db.event_count(), 36);
}

/// A PostgreSQL database made by a newer attache, or holding someone else's tables, is
/// refused before anything is written to it.
#[test]
fn a_postgresql_database_not_ours_to_change_is_refused_untouched() {
    let Some(url) = common::pg::fresh_database() else {
        return;
    };
    let db = TempDb::at(url.clone());
    db.cmd().arg("seed").assert().success();
    let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    client
        .batch_execute("UPDATE attache_schema SET version = version + 1")
        .unwrap();
    let events = |client: &mut postgres::Client| -> i64 {
        client
            .query_one("SELECT count(*) FROM event", &[])
            .unwrap()
            .get(0)
    };
    db.cmd()
        .args(["add", "--date", "2026-01-22", "--title", "Refused"])
        .assert()
        .code(1)
        .stderr(contains(format!(
            "written by a newer version of attache (schema version {}",
            attache::store::LATEST_VERSION + 1
        )));
    assert_eq!(events(&mut client), 36);

    let Some(foreign) = common::pg::fresh_database() else {
        return;
    };
    let mut other = postgres::Client::connect(&foreign, postgres::NoTls).unwrap();
    other
        .batch_execute("CREATE TABLE invoices (id INTEGER)")
        .unwrap();
    common::attache()
        .args(["--db", &foreign, "seed"])
        .assert()
        .code(1)
        .stderr(contains("not an attache database (it holds other tables)"));
    let tables: i64 = other
        .query_one(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(tables, 1);
}

/// A server that does not answer is the store failing (exit 3, with the cause); a database the
/// server says does not exist is a wrong address (exit 1). A password is never printed.
#[test]
fn postgresql_errors_say_whose_they_are() {
    common::attache()
        .args(["--db", "postgres://ann:secret@127.0.0.1:1/attache", "list"])
        .assert()
        .code(3)
        .stdout("")
        .stderr(contains(
            "postgres://ann:***@127.0.0.1:1/attache: cannot reach the database server: error connecting to server: Connection refused",
        ))
        .stderr(contains("secret").not());
    let Some(url) = common::pg::fresh_database() else {
        return;
    };
    let (server, _) = url.rsplit_once('/').unwrap();
    common::attache()
        .args(["--db", &format!("{server}/no_such_database"), "list"])
        .assert()
        .code(1)
        .stderr(contains(
            "cannot open the database: database \"no_such_database\" does not exist",
        ));
}

/// Runs the binary on `db` with standard output on /dev/full, where every write fails with
/// "No space left on device", as on a full disk.
fn on_a_full_disk(db: &TempDb, args: &[&str]) -> assert_cmd::assert::Assert {
    use assert_cmd::assert::OutputAssertExt;
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin!("attache"));
    cmd.env_remove("ATTACHE_DB");
    for variable in common::PG_VARIABLES {
        cmd.env_remove(variable);
    }
    cmd.arg("--db")
        .arg(&db.path)
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(full);
    cmd.output().unwrap().assert()
}

#[test]
fn an_output_that_cannot_be_written_fails_every_command_with_exit_3() {
    let db = TempDb::seeded();
    let copy = db.file("copy.db");
    let backup = db.file("backup.db");
    let exported = db.file("events.json");
    db.cmd()
        .args(["export", "--format", "json", "--out"])
        .arg(&exported)
        .assert()
        .success();
    let exported = exported.to_str().unwrap();
    let commands: Vec<Vec<&str>> = vec![
        vec![],
        vec!["list"],
        vec!["list", "--format", "csv"],
        vec!["list", "--format", "json"],
        vec!["list", "--limit", "3", "--format", "csv"],
        vec!["show", "1"],
        vec!["show", "1", "--format", "json"],
        vec!["history", "darchiev"],
        vec!["history", "darchiev", "--format", "csv"],
        vec!["history", "darchiev", "--format", "json"],
        vec!["count", "putin", "witkoff"],
        vec!["count", "putin", "witkoff", "--format", "csv"],
        vec!["count", "putin", "witkoff", "--format", "json"],
        vec!["export"],
        vec!["export", "--format", "json"],
        vec!["export", "--format", "ics"],
        vec!["export", "--format", "md"],
        vec!["export", "--out", "-"],
        vec!["export", "--out", "/dev/stdout"],
        vec!["log"],
        vec!["log", "--format", "json"],
        vec!["person", "show", "putin"],
        vec!["person", "show", "putin", "--format", "json"],
        vec!["prior", "list"],
        vec!["prior", "list", "--format", "json"],
        vec!["check"],
        vec!["check", "--format", "json"],
        vec!["verify"],
        vec!["verify", "--format", "json"],
        vec!["config", "--default"],
        vec!["config", "--path"],
        vec!["completions", "bash"],
        vec!["man"],
        // Commands that change the record say what they did after doing it.
        vec!["seed"],
        vec!["import", exported],
        vec!["import", "--dry-run", exported],
        vec![
            "add",
            "--date",
            "2026-01-05",
            "--title",
            "Talks on a full disk",
            "--participant",
            "Putin:RU",
            "--participant",
            "Witkoff:US",
        ],
        vec!["edit", "27", "--title", "Talks, renamed"],
        vec!["delete", "27"],
        vec!["undo"],
        vec!["redo"],
        vec!["person", "edit", "putin", "--add-alias", "V. V. Putin"],
        vec![
            "prior", "set", "Putin", "Witkoff", "--count", "1", "--source", "Reuters",
        ],
        vec!["prior", "remove", "Putin", "Witkoff"],
        vec!["backup", backup.to_str().unwrap()],
        vec!["copy", db.path.to_str().unwrap(), copy.to_str().unwrap()],
    ];
    for args in commands {
        on_a_full_disk(&db, &args).code(3).stderr(
            predicate::str::starts_with("error: ").and(contains("No space left on device")),
        );
    }
}

/// `show` and the timeline's detail say an event's facts alike, line for line: a summit
/// counted from a disputed prior count, a meeting counting a reported one and said by several
/// sources, and an event on a trip.
#[test]
fn show_and_the_detail_say_the_same_facts() {
    use attache::report::{ClaimGroup, CountCheck};
    let db = TempDb::seeded();
    let mut store = attache::store::Store::open(&db.path).unwrap();
    let mut app = attache::app::App::new(chrono::NaiveDate::from_ymd_opt(2026, 11, 27).unwrap());
    app.viewport = 10;
    app.sync(&mut store);
    for (number, said) in [
        (
            19,
            "6th, or 7th by the count of The Times of India and Charter97, face-to-face",
        ),
        (25, "counting the reported meeting of 11 Feb 2025"),
        (25, "Lenta.ru · 5 Dec 2025 <https://lenta.ru/"),
        (
            31,
            "Steve Witkoff's trip of 22–23 Jan 2026: Russia, United Arab Emirates",
        ),
    ] {
        while app.timeline.selected_event().unwrap().id != number {
            app.timeline.selected += 1;
            app.sync(&mut store);
        }
        let facts = &app.timeline.detail.as_ref().unwrap().facts;
        let mut detail: Vec<String> = (facts.ordinals.iter())
            .chain(&facts.firsts)
            .chain(&facts.visits)
            .chain(&facts.trips)
            .cloned()
            .collect();
        detail.extend(facts.counts.iter().map(CountCheck::line));
        detail.extend(facts.claims.iter().map(ClaimGroup::line));
        detail.extend(
            facts
                .sources
                .iter()
                .map(|(source, url)| match url.as_str() {
                    "" => source.clone(),
                    url => format!("{source} <{url}>"),
                }),
        );
        let text = db.stdout(&["show", &number.to_string()]);
        let headings = ["Ordinals", "Trips", "What the sources say", "Sources"];
        let shown: Vec<&str> = text
            .lines()
            .skip_while(|l| !headings.contains(l))
            .take_while(|l| *l != "Notes")
            .filter_map(|l| l.strip_prefix("  "))
            .collect();
        assert_eq!(shown, detail, "#{number}");
        assert!(
            shown.iter().any(|l| l.contains(said)),
            "#{number}: {shown:#?}"
        );
    }
}
