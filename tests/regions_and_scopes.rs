//! Counts by region and within a scope, as a user runs them: `count` with --since, --until,
//! --year and --role, `count PERSON --visits` and `--trips`, regions of one's own in
//! config.toml, and `attache regions`.

#![allow(clippy::unwrap_used, reason = "a test fails loudly by design")]

mod common;

use assert_cmd::Command;
use common::{Engine, TempDb};
use predicates::str::contains;
use serde_json::{Value, json};

/// The binary on `db`, reading its configuration from the test's own folder.
fn attache(db: &TempDb) -> Command {
    let mut cmd = db.cmd();
    cmd.env("XDG_CONFIG_HOME", db.file("config"));
    cmd
}

fn stdout(db: &TempDb, args: &[&str]) -> String {
    let out = attache(db)
        .args(args)
        .assert()
        .success()
        .get_output()
        .clone();
    String::from_utf8(out.stdout).unwrap()
}

fn json_of(db: &TempDb, args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    serde_json::from_str(&stdout(db, &all)).unwrap()
}

fn refused(db: &TempDb, args: &[&str]) -> String {
    let out = attache(db)
        .args(args)
        .assert()
        .code(1)
        .stdout("")
        .get_output()
        .clone();
    String::from_utf8(out.stderr).unwrap()
}

/// The events counted in each visit or trip of a count.
fn events(json: &Value, key: &str) -> Vec<Vec<i64>> {
    json[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            v["events"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| n.as_i64().unwrap())
                .collect()
        })
        .collect()
}

fn ordinals(json: &Value, key: &str) -> Vec<String> {
    json[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["ordinal"].as_str().unwrap().to_string())
        .collect()
}

/// Antony Blinken's travels, numbered 1 to 16 in this order: Israel in 2016 (as Deputy
/// Secretary), Israel, Egypt and Jordan in May 2021, Israel in January 2023, the trip of 12–16
/// October 2023 (Israel, Jordan, Qatar, Bahrain, Saudi Arabia, the UAE, Egypt, Israel again),
/// Washington, then Israel and Jordan in November 2023.
fn blinken() -> TempDb {
    let stops = [
        ("2016-03-09", "Jerusalem", "IL", "Benjamin Netanyahu"),
        ("2021-05-25", "Jerusalem", "IL", "Benjamin Netanyahu"),
        ("2021-05-26", "Cairo", "EG", "Abdel Fattah el-Sisi"),
        ("2021-05-26", "Amman", "JO", "Abdullah II"),
        ("2023-01-30", "Jerusalem", "IL", "Benjamin Netanyahu"),
        ("2023-10-12", "Tel Aviv", "IL", "Benjamin Netanyahu"),
        ("2023-10-13", "Amman", "JO", "Abdullah II"),
        ("2023-10-13", "Doha", "QA", "Tamim bin Hamad Al Thani"),
        ("2023-10-14", "Manama", "BH", "Salman bin Hamad Al Khalifa"),
        ("2023-10-14", "Riyadh", "SA", "Faisal bin Farhan"),
        ("2023-10-14", "Abu Dhabi", "AE", "Mohamed bin Zayed"),
        ("2023-10-15", "Cairo", "EG", "Abdel Fattah el-Sisi"),
        ("2023-10-16", "Tel Aviv", "IL", "Benjamin Netanyahu"),
        ("2023-10-20", "Washington", "US", "Jake Sullivan"),
        ("2023-11-03", "Tel Aviv", "IL", "Benjamin Netanyahu"),
        ("2023-11-04", "Amman", "JO", "Ayman Safadi"),
    ];
    let events: Vec<Value> = stops
        .iter()
        .map(|(date, city, country, host)| {
            json!({
                "date": date,
                "title": format!("Antony Blinken meets {host} in {city}"),
                "kind": "meeting",
                "mode": "in-person",
                "status": "confirmed",
                "city": city,
                "country": country,
                "participants": [
                    {"name": "Antony Blinken", "side": "US", "head": false},
                    {"name": host, "side": country, "head": false},
                ],
            })
        })
        .collect();
    let file = json!({
        "attache": 2,
        "events": events,
        "people": [{
            "name": "Antony Blinken",
            "country": "US",
            "titles": [
                {"title": "Deputy Secretary of State", "from": "2015-01-09", "until": "2017-01-20"},
                {"title": "Secretary of State", "from": "2021-01-26", "until": "2025-01-20"},
            ],
        }],
    });
    let db = TempDb::empty();
    let path = db.file("blinken.json");
    std::fs::write(&path, file.to_string()).unwrap();
    attache(&db)
        .arg("import")
        .arg(&path)
        .assert()
        .success()
        .stdout(contains("imported 16 events"));
    db
}

#[test]
fn a_country_twice_in_one_trip_is_one_visit() {
    let db = blinken();
    let json = json_of(&db, &["count", "blinken", "--visits", "--country", "IL"]);
    assert_eq!(json["count"], 5);
    assert_eq!(
        events(&json, "visits"),
        [vec![1], vec![2], vec![5], vec![6, 13], vec![15]]
    );
    assert_eq!(json["visits"][3]["first"], "2023-10-12");
    assert_eq!(json["visits"][3]["last"], "2023-10-16");
    assert_eq!(json["visits"][3]["trip"], 6);
    let text = stdout(&db, &["count", "blinken", "--visits", "--country", "il"]);
    assert!(
        text.starts_with("5 visits to Israel by Antony Blinken in this record\n"),
        "{text}"
    );
    let fourth: Vec<&str> = text
        .lines()
        .find(|l| l.starts_with("4th "))
        .unwrap()
        .split("  ")
        .map(str::trim)
        .filter(|cell| !cell.is_empty())
        .collect();
    assert_eq!(
        fourth,
        [
            "4th",
            "12 Oct 2023 – 16 Oct 2023",
            "Tel Aviv (Israel)",
            "#6 #13"
        ]
    );
}

#[test]
fn visits_to_a_region_count_each_trip_once_and_scopes_renumber_them() {
    let db = blinken();
    // "his second trip to the Middle East since the war began"
    let json = json_of(
        &db,
        &[
            "count",
            "Blinken",
            "--visits",
            "--region",
            "middle east",
            "--since",
            "2023-10-07",
        ],
    );
    assert_eq!(json["count"], 2);
    assert_eq!(ordinals(&json, "visits"), ["1st", "2nd"]);
    assert_eq!(events(&json, "visits")[1], [15, 16]);
    assert_eq!(json["regions"], json!(["Middle East"]));
    assert_eq!(
        json["visits"][0]["countries"],
        json!(["IL", "JO", "QA", "BH", "SA", "AE", "EG"])
    );
    let text = stdout(
        &db,
        &[
            "count",
            "blinken",
            "--visits",
            "--region",
            "Middle East",
            "--since",
            "2023-10-07",
        ],
    );
    assert!(
        text.starts_with(
            "2 visits to the Middle East by Antony Blinken since 7 Oct 2023 in this record\n"
        ),
        "{text}"
    );
    // Egypt is not in Western Asia; a region and a country together count visits to either.
    let western_asia = json_of(&db, &["count", "blinken", "--visits", "--region", "145"]);
    assert_eq!(events(&western_asia, "visits")[1], [2, 4]);
    let either = json_of(
        &db,
        &[
            "count",
            "blinken",
            "--visits",
            "--region",
            "Western Asia",
            "--country",
            "EG",
        ],
    );
    assert_eq!(events(&either, "visits")[1], [2, 3, 4]);
}

#[test]
fn each_scope_on_visits() {
    let db = blinken();
    let count = |extra: &[&str]| {
        let mut args = vec!["count", "blinken", "--visits", "--country", "IL"];
        args.extend(extra);
        let json = json_of(&db, &args);
        (json["count"].as_u64().unwrap(), events(&json, "visits"))
    };
    assert_eq!(count(&["--since", "2023-10-07"]).0, 2);
    assert_eq!(
        count(&["--until", "2021-12-31"]),
        (2, vec![vec![1], vec![2]])
    );
    assert_eq!(count(&["--year", "2023"]).0, 3);
    // 2023-10 is from 1 October: the October trip is in it, and so is November's.
    assert_eq!(count(&["--since", "2023-10"]).0, 2);
    assert_eq!(
        count(&["--since", "2021-01-01", "--until", "2023-06-30"]).1,
        [vec![2], vec![5]]
    );
    let secretary = count(&["--role", "secretary of state"]);
    assert_eq!(secretary.0, 4, "the 2016 visit was as Deputy Secretary");
    let json = json_of(
        &db,
        &[
            "count",
            "blinken",
            "--visits",
            "--country",
            "IL",
            "--role",
            "secretary of state",
            "--since",
            "2023-10-07",
        ],
    );
    assert_eq!(json["role"], "Secretary of State");
    assert_eq!(json["since"], "2023-10-07");
}

#[test]
fn trips_count_every_journey_or_those_to_a_place() {
    let db = blinken();
    let json = json_of(&db, &["count", "blinken", "--trips"]);
    assert_eq!(json["count"], 5);
    assert!(json.get("visits").is_none(), "{json}");
    assert_eq!(json["home"], "US");
    assert_eq!(events(&json, "trips")[3], [6, 7, 8, 9, 10, 11, 12, 13]);
    let to_egypt = json_of(&db, &["count", "blinken", "--trips", "--country", "EG"]);
    assert_eq!(
        events(&to_egypt, "trips"),
        [vec![2, 3, 4], vec![6, 7, 8, 9, 10, 11, 12, 13]]
    );
    let deputy = json_of(
        &db,
        &[
            "count",
            "blinken",
            "--trips",
            "--role",
            "Deputy Secretary of State",
        ],
    );
    assert_eq!(events(&deputy, "trips"), [vec![1]]);
    let text = stdout(&db, &["count", "blinken", "--trips", "--year", "2023"]);
    assert!(
        text.starts_with("3 trips abroad by Antony Blinken in 2023 in this record\n"),
        "{text}"
    );
    let csv = stdout(&db, &["count", "blinken", "--trips", "--format", "csv"]);
    assert!(csv.starts_with("ordinal,first,last,countries,places,events,trip,planned\r\n"));
    assert!(
        csv.contains("2nd,2021-05-25,2021-05-26,IL EG JO,Jerusalem (Israel); Cairo (Egypt); Amman (Jordan),2 3 4,2,\r\n"),
        "{csv}"
    );
}

on_each_engine!(visits_in_the_bundled_record, each_scope_on_meetings);

fn visits_in_the_bundled_record(engine: Engine) {
    let db = TempDb::seeded_on(engine);
    let json = json_of(&db, &["count", "witkoff", "--visits", "--country", "RU"]);
    assert_eq!(json["count"], 7);
    assert_eq!(
        ordinals(&json, "visits"),
        ["1st", "2nd", "3rd", "4th", "5th", "6th", "7th"]
    );
    let since = json_of(
        &db,
        &[
            "count",
            "witkoff",
            "--visits",
            "--country",
            "RU",
            "--since",
            "2025-03-01",
        ],
    );
    assert_eq!(since["count"], 6);
    assert_eq!(since["visits"][0]["first"], "2025-03-13");
    assert_eq!(since["visits"][0]["ordinal"], "1st");
    // Home is no visit; the country's name is whatever `Country::name` gives.
    let home = stdout(&db, &["count", "witkoff", "--visits", "--country", "US"]);
    let lines: Vec<&str> = home.lines().collect();
    assert!(lines[0].starts_with("0 visits to "), "{home}");
    assert!(
        lines[1].ends_with(" is Steve Witkoff's home: events there are no visits)"),
        "{home}"
    );
    // Dmitriev's title of envoy dates from 23 February 2025: the Riyadh talks came before.
    let envoy = json_of(
        &db,
        &[
            "count",
            "dmitriev",
            "--trips",
            "--role",
            "Special Presidential Envoy for Investment and Economic Cooperation with Foreign Countries",
        ],
    );
    assert_eq!(envoy["count"], 8);
    assert_eq!(json_of(&db, &["count", "dmitriev", "--trips"])["count"], 9);
}

fn each_scope_on_meetings(engine: Engine) {
    let db = TempDb::seeded_on(engine);
    let meetings = |extra: &[&str]| {
        let mut args = vec!["count", "putin", "witkoff"];
        args.extend(extra);
        json_of(&db, &args)
    };
    let since = meetings(&["--since", "2025-04-01"]);
    assert_eq!(since["count"], 5);
    // Numbered within the scope: the 11 April meeting is the 3rd in all, the 1st since April.
    assert_eq!(since["meetings"][0]["date"], "2025-04-11");
    assert_eq!(since["meetings"][0]["ordinal"], "1st");
    assert_eq!(since["since"], "2025-04-01");
    assert_eq!(meetings(&["--until", "2025-04-11"])["count"], 3);
    assert_eq!(meetings(&["--year", "2025"])["count"], 6);
    assert_eq!(meetings(&["--year", "2024"])["count"], 0);
    let text = stdout(&db, &["count", "putin", "witkoff", "--since", "2025-04-01"]);
    assert!(
        text.starts_with(
            "5 face-to-face meetings between Vladimir Putin and Steve Witkoff since 1 Apr 2025 in this record\n1st "
        ),
        "{text}"
    );
    // What is known from before the record counts from the beginning only: a period that
    // only ends keeps the record's numbers, one that starts numbers afresh.
    let until = json_of(&db, &["count", "putin", "trump", "--until", "2025-08-15"]);
    assert_eq!(until["meetings"][0]["ordinal"], "6th");
    let since = json_of(&db, &["count", "putin", "trump", "--since", "2025-08-01"]);
    assert_eq!(since["meetings"][0]["ordinal"], "1st");
    let text = stdout(&db, &["count", "putin", "trump", "--since", "2025-08-01"]);
    assert!(
        text.starts_with("1 face-to-face meeting between Vladimir Putin and Donald Trump since 1 Aug 2025 in this record\n"),
        "{text}"
    );
    // The role is the first named person's.
    let envoy =
        "Special Presidential Envoy for Investment and Economic Cooperation with Foreign Countries";
    let all = json_of(&db, &["count", "dmitriev", "witkoff", "--any-role"]);
    let as_envoy = json_of(
        &db,
        &[
            "count",
            "dmitriev",
            "witkoff",
            "--any-role",
            "--role",
            envoy,
        ],
    );
    assert_eq!(all["count"], 14);
    assert_eq!(as_envoy["count"], 13, "not the Riyadh talks of 18 Feb 2025");
    assert_eq!(as_envoy["meetings"][0]["date"], "2025-04-02");
    assert_eq!(as_envoy["meetings"][0]["ordinal"], "1st");
    let said = refused(
        &db,
        &[
            "count",
            "witkoff",
            "dmitriev",
            "--any-role",
            "--role",
            envoy,
        ],
    );
    assert!(
        said.contains("Steve Witkoff never held the title"),
        "{said}"
    );
}

#[test]
fn regions_of_ones_own_extend_and_replace_the_shipped() {
    let db = blinken();
    let dir = db.file("config").join("attache");
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("config.toml");
    std::fs::write(
        &config,
        "[regions]\nGulf = [\"SA\", \"AE\", \"QA\", \"BH\", \"KW\", \"OM\"]\n\"middle east\" = [\"IL\"]\n",
    )
    .unwrap();
    let gulf = json_of(&db, &["count", "blinken", "--visits", "--region", "gulf"]);
    assert_eq!(gulf["count"], 1);
    assert_eq!(events(&gulf, "visits"), [vec![8, 9, 10, 11]]);
    let narrowed = json_of(
        &db,
        &["count", "blinken", "--visits", "--region", "Middle East"],
    );
    assert_eq!(narrowed["count"], 5, "Israel only: the user's Middle East");
    let listed = stdout(&db, &["regions", "GULF"]);
    assert!(
        listed.starts_with("Gulf: 6 countries\nSource: config.toml\n"),
        "{listed}"
    );
    std::fs::write(&config, "[regions]\nGulf = [\"SA\",\n  \"XX\"]\n").unwrap();
    let said = refused(&db, &["count", "blinken", "--visits", "--region", "gulf"]);
    assert_eq!(
        said,
        format!(
            "error: {}: line 3: [regions] \"Gulf\": \"XX\" is not an ISO 3166-1 alpha-2 country code\n",
            config.display()
        )
    );
    // A count by country does not read the regions.
    let by_country = json_of(&db, &["count", "blinken", "--visits", "--country", "SA"]);
    assert_eq!(by_country["count"], 1);
}

#[test]
fn regions_lists_them_and_one_region_its_countries() {
    let db = TempDb::empty();
    let all = stdout(&db, &["regions"]);
    assert!(all.starts_with("REGION "), "{all}");
    assert!(all.contains("\nWestern Asia "), "{all}");
    let one = json_of(&db, &["regions", "western asia"]);
    assert_eq!(one["m49"], "145");
    assert_eq!(one["countries"].as_array().unwrap().len(), 18);
    assert_eq!(
        one["url"],
        "https://unstats.un.org/unsd/methodology/m49/overview/"
    );
    let middle_east = stdout(&db, &["regions", "Middle East"]);
    assert!(
        middle_east.starts_with("Middle East: 17 countries\n"),
        "{middle_east}"
    );
    assert!(middle_east.contains("\nEG  Egypt\n"), "{middle_east}");
}

#[test]
fn mistakes_are_refused_with_what_is_wrong() {
    let db = blinken();
    fn visits<'a>(extra: &[&'a str]) -> Vec<&'a str> {
        let mut args = vec!["count", "blinken", "--visits", "--country", "IL"];
        args.extend(extra);
        args
    }
    assert_eq!(
        refused(
            &db,
            &["count", "blinken", "--visits", "--region", "Midle East"]
        ),
        "error: unknown region \"Midle East\" (did you mean \"Middle East\"? attache regions lists them)\n"
    );
    assert!(refused(&db, &["regions", "Atlantis"]).contains("unknown region \"Atlantis\""));
    assert_eq!(
        refused(&db, &visits(&["--since", "2023-02-30"])),
        "error: --since: no such day (2023-02-30)\n"
    );
    assert_eq!(
        refused(
            &db,
            &visits(&["--since", "2024-01-01", "--until", "2023-12-31"])
        ),
        "error: --until 31 Dec 2023 is before --since 1 Jan 2024: the period is empty\n"
    );
    assert!(refused(&db, &visits(&["--year", "twenty"])).starts_with("error: --year: not a year"));
    assert!(
        refused(&db, &visits(&["--role", "Senator"]))
            .contains("Antony Blinken never held the title \"Senator\"")
    );
    assert!(
        refused(&db, &["count", "Blinkin", "--trips"])
            .contains("unknown person \"Blinkin\" (did you mean \"Antony Blinken\"?)")
    );
    assert!(refused(&db, &["count", "a", "--trips"]).contains("ambiguous name \"a\""));
    assert!(refused(&db, &visits(&["--country", "XX"])).contains("--country: not an ISO"));
    // Usage errors, as clap's: exit 2.
    for usage in [
        visits(&["--year", "2023", "--since", "2023-10-07"]),
        vec!["count", "blinken", "--visits"],
        vec!["count", "blinken", "--country", "IL"],
        vec!["count", "blinken"],
        vec!["count", "blinken", "netanyahu", "--trips"],
        vec!["count", "blinken", "--trips", "--any-role"],
    ] {
        attache(&db).args(&usage).assert().code(2).stdout("");
    }
}
