//! Claims from the command line: `claim list/add/remove`, `add --count-claim`, and `check`
//! setting a scoped count against the record's count over the same scope.

#![allow(clippy::unwrap_used, reason = "a test fails loudly by design")]

mod common;

use common::{Engine, TempDb};
use predicates::prelude::*;
use predicates::str::contains;

fn version(db: &TempDb, event: &str) -> i64 {
    db.json(&["show", event, "--format", "json"])["version"]
        .as_i64()
        .unwrap()
}

fn claims_are_added_listed_removed_and_undone(engine: Engine) {
    let db = TempDb::seeded_on(engine);
    let before = db.stdout(&["claim", "list", "10"]);
    assert!(
        before.starts_with(
            "  1  count: 3 meetings Vladimir Putin, Steve Witkoff: third meeting (News.az"
        ),
        "{before}"
    );
    let added = db.stdout(&[
        "claim",
        "add",
        "10",
        "duration",
        "Interfax-Russia: about 4 h",
    ]);
    assert!(
        added.starts_with("added claim 6 to #10 (version 2)\n"),
        "{added}"
    );
    assert!(
        added.contains("  6  duration: about 4 h (Interfax-Russia)\n"),
        "{added}"
    );
    // Family names are enough; the claim keeps the names the record knows.
    let added = db.stdout(&[
        "claim",
        "add",
        "10",
        "count",
        "News.az: 3 meetings putin, witkoff in 2025",
        "--note",
        "this year",
    ]);
    assert!(
        added.contains("  7  count: 3 meetings Vladimir Putin, Steve Witkoff in 2025 (News.az"),
        "{added}"
    );
    assert!(added.ends_with("[this year]\n"), "{added}");

    // Refusals change nothing.
    db.refuses(&["claim", "add", "999", "duration", "TASS: 3 h"])
        .stderr(contains("no event with id 999"));
    db.refuses(&["claim", "add", "10", "count", "News.az 3 meetings Putin"])
        .stderr(
            contains("count claim: expected SOURCE: VALUE")
                .and(contains("a count is SOURCE: N KIND PEOPLE [to CC|REGION]")),
        );
    db.refuses(&[
        "claim",
        "add",
        "10",
        "count",
        "News.az: 3 dinners Putin, Witkoff",
    ])
    .stderr(contains("what is counted: meetings, phone calls"));
    db.refuses(&[
        "claim",
        "add",
        "10",
        "count",
        "Pravda: 3 meetings Putin, Witkoff",
    ])
    .stderr(contains(
        "count claim: not one of the event's sources (name it as the sources list does) (Pravda)",
    ));
    db.refuses(&[
        "claim",
        "add",
        "10",
        "count",
        "News.az: 3 meetings Putin, Nobody Known",
    ])
    .stderr(contains(
        "count claim: nobody on record or among the participants is named \"Nobody Known\"",
    ));
    db.refuses(&["claim", "add", "10", "length", "TASS: 3 h"])
        .stderr(contains("aspect: unknown aspect"));
    db.refuses(&["claim", "remove", "10", "9"]).stderr(contains(
        "claim: #10 has 7 claims; give a number from 1 to 7 (9)",
    ));
    db.refuses(&["claim", "remove", "10", "1", "--if-version", "1"])
        .stderr(contains("#10 was changed"));
    assert_eq!(version(&db, "10"), 3, "nothing was written");

    let removed = db.stdout(&["claim", "remove", "10", "6", "--if-version", "3"]);
    assert_eq!(
        removed,
        "removed claim 6 from #10 (version 4): duration: about 4 h (Interfax-Russia); attache undo brings it back\n"
    );
    assert!(db.stdout(&["undo"]).starts_with("undid editing #10"));
    let after = db.stdout(&["claim", "list", "10"]);
    assert!(after.contains("  6  duration: about 4 h"), "{after}");
    assert_eq!(after.lines().count(), 7);
}

fn add_takes_count_claims_about_its_own_participants(engine: Engine) {
    let db = TempDb::seeded_on(engine);
    let before = db.event_count();
    let add = |count: &str| {
        let mut cmd = db.cmd();
        cmd.args([
            "add",
            "--date",
            "2026-01-22",
            "--title",
            "Talks in Abu Dhabi",
            "--participant",
            "Ann Example:US:lead",
            "--participant",
            "Boris Sample:RU:lead",
            "--source",
            "Reuters",
            "--create-people",
            "--count-claim",
            count,
        ]);
        cmd
    };
    add("Reuters: 2 meetings Ann Example, Boris Sample")
        .assert()
        .success()
        .stdout(contains(
            "Reuters counts the 2nd; this record counts the 1st ≠",
        ));
    add("AP: 1 meetings Ann Example, Boris Sample")
        .assert()
        .code(1)
        .stderr(contains("count claim: not one of the event's sources"));
    add("Reuters: 1 visits Ann Example")
        .assert()
        .code(1)
        .stderr(contains("visits and trips say where they went"));
    assert_eq!(db.event_count(), before + 1, "only the first was added");
}

fn check_compares_a_scoped_count_within_its_scope(engine: Engine) {
    let db = TempDb::seeded_on(engine);
    // #25, 2 Dec 2025, is the 6th Putin–Witkoff meeting on record, the 3rd since 20 Apr 2025,
    // and Witkoff's 6th trip to Russia in 2025 (February, March, twice in April, August), the
    // 4th since 1 Apr 2025.
    for claim in [
        "TASS: 6 meetings Putin, Witkoff in 2025",
        "TASS: 3 meetings Putin, Witkoff since 2025-04-20",
        "TASS: 5 meetings Putin, Witkoff since 2025-04-20",
        "TASS: 1 meetings Putin, Witkoff in 2024",
        "TASS: 6 meetings Putin, Witkoff as Special Envoy to the Middle East",
        "TASS: 6 meetings Putin, Witkoff as Secretary of State",
        "TASS: 4 trips Steve Witkoff to RU since 2025",
        "TASS: 4 trips Steve Witkoff to RU since 2025-04-01",
    ] {
        db.stdout(&["claim", "add", "25", "count", claim]);
    }
    let shown = db.stdout(&["show", "25"]);
    for line in [
        "TASS called this the 6th in 2025 ✓",
        "TASS called this the 3rd since 20 Apr 2025 ✓",
        "TASS counts the 5th since 20 Apr 2025; this record counts the 3rd ≠",
        "TASS counts the 1st in 2024; this event is not within what was counted (in 2024) ≠",
        "TASS called this the 6th as Special Envoy to the Middle East ✓",
        "TASS counts the 6th as Secretary of State; nobody counted was Secretary of State on this day, by the titles on record ≠",
        "TASS counts the 4th since 1 Jan 2025; this record counts the 6th ≠",
        "TASS called this the 4th since 1 Apr 2025 ✓",
    ] {
        assert!(shown.contains(line), "{line}\n{shown}");
    }
    let out = db.stdout(&["check"]);
    assert!(
        out.contains(
            "≠ #25 2 Dec 2025 Vladimir Putin receives Steve Witkoff and Jared Kushner at the Kremlin\n    TASS: Steve Witkoff's 4th trip to Russia since 1 Jan 2025\n    this record: 6th\n"
        ),
        "{out}"
    );
    assert!(
        out.ends_with(
            "27 published counts: 21 agree with this record, 1 follows a disputed count before it, 5 do not\n"
        ),
        "{out}"
    );
    let json = db.json(&["check", "--format", "json"]);
    let published = |ending: &str, number: u64| {
        json.as_array()
            .unwrap()
            .iter()
            .find(|c| {
                c["published"].as_str().unwrap().ends_with(ending)
                    && c["number_published"] == number
            })
            .map(|c| (c["record"].as_u64(), c["agrees"].as_bool()))
            .unwrap()
    };
    assert_eq!(published("since 20 Apr 2025", 5), (Some(3), Some(false)));
    assert_eq!(
        published("trip to Russia since 1 Jan 2025", 4),
        (Some(6), Some(false))
    );
    assert_eq!(
        published("trip to Russia since 1 Apr 2025", 4),
        (Some(4), Some(true))
    );
}

crate::on_each_engine!(
    claims_are_added_listed_removed_and_undone,
    add_takes_count_claims_about_its_own_participants,
    check_compares_a_scoped_count_within_its_scope,
);
