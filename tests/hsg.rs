//! The Office of the Historian's travels and visits files: the rows of the fixture
//! (tests/fixtures/hsg, written for these tests in the Office's format), imported all or
//! nothing, and, in an ignored test that reads the Office's own files, the officials the remarks
//! name measured against what a careful reader takes from 170 of their rows.

#![allow(clippy::unwrap_used, reason = "a test fails loudly by design")]

mod common;

use std::collections::{BTreeSet, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};

use attache::interchange::hsg::{countries, remarks};
use common::TempDb;
use predicates::str::contains;

fn fixture(part: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/hsg")
        .join(part)
        .display()
        .to_string()
}

fn imported() -> TempDb {
    let db = TempDb::empty();
    db.cmd()
        .args([
            "import",
            "--format",
            "hsg",
            &fixture("travels"),
            &fixture("visits"),
        ])
        .assert()
        .success()
        .stdout("imported 16 events, 0 already present, 25 new people\n");
    db
}

fn event<'a>(events: &'a serde_json::Value, title: &str) -> &'a serde_json::Value {
    events
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["title"] == title)
        .unwrap_or_else(|| panic!("no event {title}"))
}

fn sides(event: &serde_json::Value) -> Vec<(String, String, bool)> {
    event["participants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap().to_string(),
                p["side"].as_str().unwrap().to_string(),
                p["head"].as_bool().unwrap(),
            )
        })
        .collect()
}

fn side(name: &str, code: &str, head: bool) -> (String, String, bool) {
    (name.to_string(), code.to_string(), head)
}

#[test]
fn trips_are_events_with_the_officials_met_on_their_sides() {
    let db = imported();
    let events = db.json(&["list", "--format", "json"]);
    let berlin = event(&events, "John Forbes Kerry in Berlin, Germany");
    assert_eq!(berlin["kind"], "visit");
    assert_eq!(berlin["city"], "Berlin");
    assert_eq!(berlin["date"], "2013-02-26");
    assert_eq!(berlin["end_date"], "2013-02-27");
    assert_eq!(
        sides(berlin),
        vec![
            side("John Forbes Kerry", "US", true),
            side("Angela Merkel", "DE", true),
            side("Guido Westerwelle", "DE", true),
            side("Sergey Lavrov", "RU", true),
        ]
    );
    assert_eq!(
        berlin["sources"][0]["url"],
        "https://history.state.gov/departmenthistory/travels/secretary/kerry-john-forbes"
    );
    assert_eq!(berlin["sources"][0]["outlet"], "Office of the Historian");
    assert!(
        berlin["notes"]
            .as_str()
            .unwrap()
            .ends_with("Office of the Historian, travels record 9021."),
        "{}",
        berlin["notes"]
    );
    let beijing = event(&events, "Michael R. Pompeo in Beijing, China");
    assert_eq!(
        sides(beijing),
        vec![side("Michael R. Pompeo", "US", true)],
        "officials named by no name are nobody's counterparts"
    );
}

#[test]
fn the_secretary_with_the_president_is_on_the_same_event() {
    let db = imported();
    let events = db.json(&["list", "--format", "json"]);
    let ramallah = event(
        &events,
        "Barack Obama in Ramallah, Bethlehem, Palestinian Authority",
    );
    assert_eq!(
        sides(ramallah),
        vec![
            side("Barack Obama", "US", true),
            side("Mahmoud Abbas", "PS", true),
            side("John Forbes Kerry", "US", false),
        ]
    );
    assert_eq!(ramallah["sources"].as_array().unwrap().len(), 2);
    let singapore = event(&events, "Donald J. Trump in Singapore, Singapore");
    assert_eq!(
        sides(singapore),
        vec![
            side("Donald J. Trump", "US", true),
            side("Kim Jong-un", "KP", true),
            side("Lee Hsien Loong", "SG", true),
            side("Michael R. Pompeo", "US", false),
        ]
    );
    let kerry_events = events
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| {
            e["title"]
                .as_str()
                .unwrap()
                .starts_with("John Forbes Kerry")
        })
        .count();
    assert_eq!(kerry_events, 2, "three of Kerry's five rows joined Obama's");
}

#[test]
fn a_counterpart_known_elsewhere_by_nationality_is_on_their_countrys_side() {
    let db = imported();
    let events = db.json(&["list", "--format", "json"]);
    let dmz = event(&events, "Donald J. Trump in Seoul, Korea, South");
    assert_eq!(
        sides(dmz),
        vec![
            side("Donald J. Trump", "US", true),
            side("Moon Jae-in", "KR", true),
            side("Kim Jong-un", "KP", true),
        ]
    );
}

#[test]
fn stops_on_the_way_are_stopovers() {
    let db = imported();
    let events = db.json(&["list", "--format", "json"]);
    let ramstein = event(
        &events,
        "Barack Obama: stopover in Ramstein Air Base, Germany",
    );
    assert_eq!(ramstein["kind"], "stopover");
    let ottawa = event(&events, "Barack Obama in Ottawa, Canada");
    assert_eq!(ottawa["kind"], "visit");
}

#[test]
fn visitors_head_their_side_and_the_sitting_president_the_american_one() {
    let db = imported();
    let events = db.json(&["list", "--format", "json"]);
    let netanyahu = event(
        &events,
        "Visit of Prime Minister Benjamin Netanyahu (Israel)",
    );
    assert_eq!(netanyahu["country"], "US");
    assert_eq!(
        sides(netanyahu),
        vec![
            side("Benjamin Netanyahu", "IL", true),
            side("Barack Obama", "US", true),
        ]
    );
    assert_eq!(
        netanyahu["sources"][0]["url"],
        "https://history.state.gov/departmenthistory/visits/israel"
    );
    let hull = event(&events, "Visit of Prime Minister Mackenzie King (Canada)");
    assert_eq!(
        sides(hull),
        vec![
            side("Mackenzie King", "CA", true),
            side("Cordell Hull", "US", true)
        ]
    );
    let kalakaua = event(&events, "Visit of King Kalakaua (Hawaii)");
    assert_eq!(
        sides(kalakaua),
        vec![
            side("Kalakaua", "US", true),
            side("Ulysses S. Grant", "US", true)
        ]
    );
}

#[test]
fn a_visit_may_bring_several_visitors_who_head_their_side_as_their_office_has_it() {
    let db = imported();
    let events = db.json(&["list", "--format", "json"]);
    let jordan = event(
        &events,
        "Visit of King Abdullah II and Crown Prince Hussein (Jordan)",
    );
    assert_eq!(
        sides(jordan),
        vec![
            side("Abdullah II", "JO", true),
            side("Hussein", "JO", false),
            side("Joseph R. Biden", "US", true),
        ]
    );
}

#[test]
fn people_have_a_home_country_and_their_titles_at_the_dates() {
    let db = imported();
    let kerry = db.json(&["person", "show", "John Forbes Kerry", "--format", "json"]);
    assert_eq!(kerry["country"], "US");
    assert_eq!(kerry["titles"][0]["title"], "Secretary of State");
    assert_eq!(kerry["titles"][0]["from"], "2013-02-26");
    let trump = db.json(&["person", "show", "Donald J. Trump", "--format", "json"]);
    assert_eq!(trump["titles"].as_array().unwrap().len(), 2);
    assert_eq!(trump["titles"][0]["until"], "2021-01-19");
    let netanyahu = db.json(&["person", "show", "Benjamin Netanyahu", "--format", "json"]);
    assert_eq!(netanyahu["country"], "IL");
    assert_eq!(netanyahu["titles"][0]["title"], "Prime Minister");
    assert_eq!(netanyahu["titles"][0]["from"], "2010-03-22");
}

#[test]
fn importing_again_finds_everything_present_and_a_dry_run_writes_nothing() {
    let db = imported();
    db.cmd()
        .args([
            "import",
            "--format",
            "hsg",
            &fixture("travels"),
            &fixture("visits"),
        ])
        .assert()
        .success()
        .stdout("imported 0 events, 16 already present, 0 new people\n");
    let fresh = TempDb::empty();
    fresh
        .cmd()
        .args([
            "import",
            "--dry-run",
            "--format",
            "hsg",
            &fixture("travels/president-travels/obama-barack.xml"),
        ])
        .assert()
        .success()
        .stdout("would import 6 events, 0 already present, 8 new people\n");
    assert!(!fresh.path.exists(), "a dry run creates no database");
}

/// A copy of a fixture file with `from` replaced by `to`, in the database's folder.
fn altered(db: &TempDb, part: &str, from: &str, to: &str) -> PathBuf {
    let text = std::fs::read_to_string(fixture(part)).unwrap();
    assert!(text.contains(from));
    let path = db.file(Path::new(part).file_name().unwrap().to_str().unwrap());
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    path
}

#[test]
fn a_country_that_cannot_be_placed_refuses_the_import_with_its_file_and_line() {
    let db = TempDb::empty();
    let path = altered(
        &db,
        "visits/data/2010.xml",
        r#"<from id="israel">"#,
        r#"<from id="atlantis">"#,
    );
    let shown = path.display().to_string();
    db.refuses(&["import", "--format", "hsg", &fixture("travels"), &shown])
        .stderr(contains(format!(
            "{shown}:8: from: country id \"atlantis\" (Israel) is not one attache can place"
        )))
        .stderr(contains("nothing was written"));
    assert_eq!(db.event_count(), 0);
}

#[test]
fn a_dry_run_reports_every_problem() {
    let db = TempDb::empty();
    let path = altered(
        &db,
        "travels/president-travels/obama-barack.xml",
        r#"<country id="canada">"#,
        r#"<country id="narnia">"#,
    );
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replacen("<start-date>2009-03-31", "<start-date>2009-02-30", 1),
    )
    .unwrap();
    let shown = path.display().to_string();
    db.refuses(&["import", "--dry-run", "--format", "hsg", &shown])
        .stderr(contains(format!(
            "{shown}:9: country: country id \"narnia\""
        )))
        .stderr(contains(format!(
            "{shown}:21: start-date: not a date YYYY-MM-DD (2009-02-30)"
        )))
        .stderr(contains("2 problems; nothing was written"));
}

#[test]
fn other_files_are_refused_when_named_and_passed_over_in_folders() {
    let db = TempDb::empty();
    let other = db.file("build.xml");
    std::fs::write(&other, "<project name=\"travels\"/>\n").unwrap();
    let shown = other.display().to_string();
    db.refuses(&["import", "--format", "hsg", &shown])
        .stderr(contains(format!(
            "{shown}:1: <project>: not an Office of the Historian travels or visits file"
        )));
    let folder = db.dir.path().display().to_string();
    db.refuses(&["import", "--format", "hsg", &folder])
        .stderr(contains(
            "no travels (<trips>) or visits (<visits>) files found",
        ));
    let broken = db.file("broken.xml");
    std::fs::write(&broken, "<trips>\n  <trip>\n</trips>\n").unwrap();
    db.refuses(&["import", "--format", "hsg", &folder])
        .stderr(contains(format!(
            "{}:3: not well-formed XML",
            broken.display()
        )));
}

#[test]
fn csv_and_json_take_one_file() {
    let db = TempDb::empty();
    db.refuses(&["import", "a.csv", "b.csv"])
        .stderr(contains("b.csv: one file at a time for CSV and JSON"));
}

/// The folder holding the Office's own files (a clone of `HistoryAtState/travels`, or a folder
/// with one inside): `ATTACHE_HSG_DATA`, else the steering repository's shared copy.
fn office_data() -> PathBuf {
    let folder = std::env::var_os("ATTACHE_HSG_DATA").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/hsg"),
        PathBuf::from,
    );
    assert!(
        folder.is_dir(),
        "no Office of the Historian data at {}: this test reads the remarks from the Office's own \
         travels files; set ATTACHE_HSG_DATA to a clone of https://github.com/HistoryAtState/travels \
         (or a folder holding one), or put a copy at ../shared/hsg",
        folder.display()
    );
    folder
}

/// A row of the Office's travels files: its country id, first day and remarks.
struct Trip {
    country: String,
    day: chrono::NaiveDate,
    remarks: String,
}

/// Every `<trip>` of the `<trips>` files under `folder`, by id.
fn office_trips(folder: &Path, trips: &mut HashMap<String, Trip>) {
    for entry in std::fs::read_dir(folder).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if name.starts_with('.') {
            continue;
        }
        if path.is_dir() {
            office_trips(&path, trips);
            continue;
        }
        if !name.ends_with(".xml") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let document =
            roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        if !document.root_element().has_tag_name("trips") {
            continue;
        }
        for trip in document
            .root_element()
            .children()
            .filter(|n| n.has_tag_name("trip"))
        {
            let child = |tag: &str| trip.children().find(|n| n.has_tag_name(tag)).unwrap();
            let text = |tag: &str| {
                let words: String = child(tag)
                    .descendants()
                    .filter(|n| n.is_text())
                    .filter_map(|n| n.text())
                    .collect();
                words.split_whitespace().collect::<Vec<_>>().join(" ")
            };
            trips.insert(
                text("id"),
                Trip {
                    country: child("country").attribute("id").unwrap().to_string(),
                    day: text("start-date").parse().unwrap(),
                    remarks: text("remarks"),
                },
            );
        }
    }
}

/// One hand-checked row: the officials a careful reader takes from the remarks of the trip with
/// that id, by name as written and the country whose side they are on.
struct Checked {
    id: String,
    expected: BTreeSet<(String, String)>,
}

fn checked_rows() -> Vec<Checked> {
    let text = std::fs::read_to_string(fixture("counterparts.tsv")).unwrap();
    text.lines()
        .skip(1)
        .map(|line| {
            let (id, officials) = line
                .split_once('\t')
                .unwrap_or_else(|| panic!("not an id and a tab: {line}"));
            let expected = officials
                .split(';')
                .filter(|c| !c.is_empty())
                .map(|c| {
                    let (name, side) = c.split_once('|').unwrap();
                    (name.to_string(), side.to_string())
                })
                .collect();
            Checked {
                id: id.to_string(),
                expected,
            }
        })
        .collect()
}

/// `cargo test --test hsg -- --ignored precision`: reads the remarks of the checked rows from the
/// Office's files (see `office_data`) and fails when they are not there.
#[test]
#[ignore = "reads the Office of the Historian's own files: ATTACHE_HSG_DATA or ../shared/hsg"]
fn precision_and_recall_of_the_counterparts_on_the_offices_rows() {
    let folder = office_data();
    let mut trips = HashMap::new();
    office_trips(&folder, &mut trips);
    let rows = checked_rows();
    assert!(rows.len() >= 100, "{} rows", rows.len());
    let (mut right, mut found, mut expected) = (0_u32, 0_u32, 0_u32);
    for row in &rows {
        let trip = trips.get(&row.id).unwrap_or_else(|| {
            panic!(
                "travels record {} is not in the trips files under {} ({} rows read)",
                row.id,
                folder.display(),
                trips.len()
            )
        });
        let host = countries::code_of_id(&trip.country, trip.day).unwrap();
        let got: BTreeSet<(String, String)> = remarks::counterparts(&trip.remarks, &host, trip.day)
            .into_iter()
            .map(|c| (c.name, c.side.to_string()))
            .collect();
        right += u32::try_from(got.intersection(&row.expected).count()).unwrap();
        found += u32::try_from(got.len()).unwrap();
        expected += u32::try_from(row.expected.len()).unwrap();
        for wrong in got.difference(&row.expected) {
            println!("{}: found {wrong:?}, not expected", row.id);
        }
        for missed in row.expected.difference(&got) {
            println!("{}: missed {missed:?}", row.id);
        }
    }
    let precision = f64::from(right) / f64::from(found);
    let recall = f64::from(right) / f64::from(expected);
    // Written to the standard error itself, which the test harness does not capture, so that
    // the figures show without --nocapture (the rows above show with it, or on failure).
    writeln!(
        std::io::stderr(),
        "{} rows, {expected} officials named: {found} found, {right} right; precision {precision:.3}, recall {recall:.3}",
        rows.len()
    )
    .unwrap();
    assert!(precision >= 0.975, "precision {precision:.3}");
    assert!(recall >= 0.96, "recall {recall:.3}");
}
