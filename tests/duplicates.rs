//! Nothing attached to the wrong record: likely duplicates refused by `add`, `edit` and
//! imports unless allowed, events without a side refused everywhere, and a CSV file whose
//! ordinals count from prior counts it does not carry.

#![allow(clippy::unwrap_used, reason = "a test fails loudly by design")]

mod common;

use common::{Engine, TempDb};
use predicates::prelude::*;
use predicates::str::contains;

/// #25 of the seed: Vladimir Putin receives Steve Witkoff and Jared Kushner at the Kremlin,
/// Moscow, 2 Dec 2025.
const KREMLIN: &str =
    "#25 on 2 Dec 2025 (\"Vladimir Putin receives Steve Witkoff and Jared Kushner at t…\")";

fn add_refuses_a_likely_duplicate_unless_allowed(engine: Engine) {
    let db = TempDb::seeded_on(engine);
    let seeded = db.event_count();
    // The same heads, a month that holds the day, the city in other letters.
    let again = [
        "add",
        "--date",
        "2025-12",
        "--title",
        "Putin and Witkoff talk again",
        "--participant",
        "Putin:RU",
        "--participant",
        "Witkoff:US",
        "--city",
        "MOSCOW",
    ];
    db.refuses(&again).stderr(format!(
        "error: likely the same event as {KREMLIN} (overlapping dates, the same heads or participants, the same city); nothing was added (--allow-duplicate adds it anyway)\n"
    ));
    assert_eq!(db.event_count(), seeded);
    let mut allowed = again.to_vec();
    allowed.push("--allow-duplicate");
    db.cmd()
        .args(&allowed)
        .assert()
        .success()
        .stdout(contains(format!("added #{}", seeded + 1)));
    // Elsewhere on the same day is another event.
    db.cmd()
        .args([
            "add",
            "--date",
            "2025-12-02",
            "--title",
            "Putin and Witkoff in St Petersburg",
            "--participant",
            "Putin:RU",
            "--participant",
            "Witkoff:US",
            "--city",
            "St Petersburg",
        ])
        .assert()
        .success()
        .stdout(contains(format!("added #{}", seeded + 2)));
}

#[test]
fn an_edit_that_makes_a_likely_duplicate_is_refused_unless_allowed() {
    let db = TempDb::seeded();
    let added = (db.event_count() + 1).to_string();
    db.cmd()
        .args([
            "add",
            "--date",
            "2025-12-02",
            "--title",
            "Putin and Witkoff in St Petersburg",
            "--participant",
            "Putin:RU",
            "--participant",
            "Witkoff:US",
            "--city",
            "St Petersburg",
        ])
        .assert()
        .success();
    db.refuses(&["edit", &added, "--city", "Moscow"]).stderr(format!(
        "error: #{added}: likely the same event as {KREMLIN} (overlapping dates, the same heads or participants, the same city); nothing was changed (--allow-duplicate saves it anyway)\n"
    ));
    assert_eq!(
        db.json(&["show", &added, "--format", "json"])["city"],
        "St Petersburg"
    );
    db.cmd()
        .args(["edit", &added, "--city", "Moscow", "--allow-duplicate"])
        .assert()
        .success();
    // What the rule does not read may change without a question.
    db.cmd()
        .args(["edit", &added, "--notes", "Reported by one outlet only"])
        .assert()
        .success();
}

/// The seed's first two events as a CSV file whose rows have new ids: each is the same trip as
/// one on record, and the file holds the first twice.
fn same_trips_under_new_ids(db: &TempDb) -> std::path::PathBuf {
    let csv = db.stdout(&["export", "--format", "csv"]);
    let mut lines: Vec<String> = csv.lines().take(3).map(str::to_string).collect();
    lines.push(lines[1].clone());
    let ids = [
        "11111111-1111-4111-8111-111111111111",
        "22222222-2222-4222-8222-222222222222",
        "33333333-3333-4333-8333-333333333333",
    ];
    for (line, id) in lines[1..].iter_mut().zip(ids) {
        let (_, rest) = line.split_once(',').unwrap();
        *line = format!("{id},{rest}");
    }
    let path = db.file("again.csv");
    std::fs::write(&path, lines.join("\r\n") + "\r\n").unwrap();
    path
}

#[test]
fn an_import_lists_every_likely_duplicate_with_both_places_and_writes_nothing() {
    let db = TempDb::seeded();
    let seeded = db.event_count();
    let path = same_trips_under_new_ids(&db);
    let file = path.display().to_string();
    let first = "#1 on 11 Feb 2025 (\"";
    db.refuses(&["import", &file])
        .stderr(contains(format!("{file}:2: likely the same event as {first}")))
        .stderr(contains(format!("{file}:3: likely the same event as #2 on 12 Feb 2025")))
        .stderr(contains(format!("{file}:4: likely the same event as {first}")))
        .stderr(contains(format!("{file}:4: likely the same event as line 2 (")))
        .stderr(contains(format!(
            "error: {file}: 4 likely duplicates; nothing was written (--allow-duplicates imports them anyway)"
        )));
    assert_eq!(db.event_count(), seeded);
    db.refuses(&["import", &file, "--dry-run"])
        .stderr(contains("4 likely duplicates"));
    db.cmd()
        .args(["import", &file, "--allow-duplicates"])
        .assert()
        .success()
        .stdout("imported 3 events, 0 already present, 0 new people\n");
    assert_eq!(db.event_count(), seeded + 3);
}

#[test]
fn importing_a_record_into_itself_finds_nothing_twice() {
    let db = TempDb::seeded();
    let path = db.file("all.csv");
    db.cmd()
        .args(["export", "--out", path.to_str().unwrap()])
        .assert()
        .success();
    db.cmd()
        .args(["import", path.to_str().unwrap()])
        .assert()
        .success()
        .stdout("imported 0 events, 36 already present, 0 new people\n");
}

#[test]
fn a_json_file_holding_one_trip_twice_is_refused_naming_both_records() {
    let db = TempDb::empty();
    let trip = |id: &str| {
        serde_json::json!({
            "id": id,
            "date": "2025-04-11",
            "title": "Witkoff meets Putin in St Petersburg",
            "city": "Saint Petersburg",
            "participants": [
                {"name": "Vladimir Putin", "side": "RU", "head": true},
                {"name": "Steve Witkoff", "side": "US", "head": true}
            ]
        })
    };
    let mut second = trip("22222222-2222-4222-8222-222222222222");
    second["title"] = "Putin receives Witkoff".into();
    second["city"] = "saint  petersburg".into();
    let document = serde_json::json!({
        "attache": 2,
        "events": [trip("11111111-1111-4111-8111-111111111111"), second]
    });
    let path = db.file("trip.json");
    std::fs::write(&path, document.to_string()).unwrap();
    let file = path.display().to_string();
    db.refuses(&["import", &file]).stderr(contains(format!(
        "{file}: events[1] (Putin receives Witkoff): likely the same event as events[0] (Witkoff meets Putin in St Petersburg)"
    )));
    assert_eq!(db.event_count(), 0);
    db.cmd()
        .args(["import", &file, "--allow-duplicates"])
        .assert()
        .success()
        .stdout("imported 2 events, 0 already present, 2 new people\n");
}

#[test]
fn an_event_without_a_side_is_refused_on_import() {
    let db = TempDb::empty();
    let csv = db.file("nobody.csv");
    std::fs::write(
        &csv,
        "date,title,participants\n2025-05-01,Talks,(RU)\n2025-05-02,Nobody at all,\n",
    )
    .unwrap();
    db.refuses(&["import", csv.to_str().unwrap()]).stderr(format!(
        "error: {}:3: participants: an event has at least one side: name a participant, or a side whose members were not named; nothing was written\n",
        csv.display()
    ));
    let json = db.file("nobody.json");
    std::fs::write(
        &json,
        r#"{"attache": 2, "events": [{"date": "2025-05-01", "title": "Nobody at all"}]}"#,
    )
    .unwrap();
    db.refuses(&["import", json.to_str().unwrap()])
        .stderr(contains(
            "events[0] (Nobody at all): participants: an event has at least one side",
        ));
    assert_eq!(db.event_count(), 0);
}

#[test]
fn a_csv_export_imported_elsewhere_warns_of_the_prior_counts_it_does_not_carry() {
    let from = TempDb::seeded();
    let path = from.file("events.csv");
    from.cmd()
        .args(["export", "--out", path.to_str().unwrap()])
        .assert()
        .success();
    let exported = std::fs::read_to_string(&path).unwrap();
    // The seed's prior count of 5 is disputed by another of 6: the column says both.
    assert!(exported.contains(
        "6th, or 7th by the count of The Times of India and Charter97, face-to-face meeting between Vladimir Putin and Donald Trump"
    ));
    let to = TempDb::empty();
    to.cmd()
        .args(["import", path.to_str().unwrap()])
        .assert()
        .success()
        .stdout("imported 36 events, 0 already present, 31 new people\n")
        .stderr(contains(format!(
            "warning: {}: its ordinal column counts 1 pair otherwise than the record now does",
            path.display()
        )))
        .stderr(contains(
            "Vladimir Putin and Donald Trump (face-to-face meeting), 6th in the file, 1st in the record: 5 before the record's first",
        ))
        .stderr(contains(
            "attache prior set \"Vladimir Putin\" \"Donald Trump\" --count 5 --source SOURCE",
        ))
        .stderr(contains("the JSON export").and(contains("Lavrov").not()));
    // The command it gives, with a source, brings the file's count back.
    to.cmd()
        .args([
            "prior",
            "set",
            "Vladimir Putin",
            "Donald Trump",
            "--count",
            "5",
            "--source",
            "TASS",
        ])
        .assert()
        .success();
    let again = to.stdout(&["export", "--format", "csv"]);
    assert!(again.contains("6th face-to-face meeting between Vladimir Putin and Donald Trump"));
    // Imported again, the file agrees with the record: nothing to say.
    to.cmd()
        .args(["import", path.to_str().unwrap()])
        .assert()
        .success()
        .stderr("");
}

crate::on_each_engine!(add_refuses_a_likely_duplicate_unless_allowed);
