//! `attache export --format html`: the page as a real browser reads it (headless Chromium, from
//! the distribution's packages), and as an HTML5 parser reads it where no browser is needed.
//!
//! Without Chromium the browser tests say once that they were skipped, unless
//! `ATTACHE_REQUIRE_CHROMIUM=1`, under which that is a failure.

#![allow(clippy::unwrap_used, reason = "a test fails loudly by design")]

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use common::TempDb;
use predicates::str::contains;
use scraper::{ElementRef, Html, Selector};

/// The policy the page must carry: what makes a load from anywhere fail, and so be seen.
const POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'";

fn select<'a>(dom: &'a Html, selector: &str) -> Vec<ElementRef<'a>> {
    dom.select(&Selector::parse(selector).unwrap()).collect()
}

fn text(element: &ElementRef) -> String {
    element.text().collect()
}

/// Chromium's path, or `None` after saying why the test is skipped.
fn chromium() -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .flat_map(|dir| ["chromium", "chromium-browser"].map(|name| dir.join(name)))
            .find(|path| path.is_file())
    });
    if found.is_none() {
        let why = "Chromium tests skipped: no chromium on PATH (apt-get install chromium)";
        assert!(
            std::env::var("ATTACHE_REQUIRE_CHROMIUM").as_deref() != Ok("1"),
            "{why}, and ATTACHE_REQUIRE_CHROMIUM=1 requires them"
        );
        // Past the test harness's capture of `eprintln!`: a skip is seen, not hidden.
        let _ = writeln!(std::io::stderr(), "{why}");
    }
    found
}

/// What Chromium made of a page: the document after loading, and every message the page
/// wrote to its console (a load the policy refused, a broken attribute, a script's output).
struct Rendered {
    dom: Html,
    console: Vec<String>,
}

fn render(browser: &Path, page: &Path) -> Rendered {
    let profile = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(output.status.success(), "chromium failed: {output:?}");
    let dom = String::from_utf8(output.stdout).unwrap();
    assert!(dom.contains("</html>"), "no document from chromium: {dom}");
    Rendered {
        dom: Html::parse_document(&dom),
        console: String::from_utf8_lossy(&output.stderr)
            .lines()
            .filter(|line| line.contains(":CONSOLE"))
            .map(str::to_string)
            .collect(),
    }
}

fn export(db: &TempDb, name: &str, filters: &[&str]) -> PathBuf {
    let page = db.file(name);
    db.cmd()
        .args(["export", "--format", "html", "--out"])
        .arg(&page)
        .args(filters)
        .timeout(Duration::from_secs(60))
        .assert()
        .success();
    page
}

/// (number, title) of each event `list` gives under `filters`.
fn listed(db: &TempDb, filters: &[&str]) -> Vec<(u64, String)> {
    let mut args = vec!["list", "--format", "json", "--limit", "100000"];
    args.extend_from_slice(filters);
    db.json(&args)
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["number"].as_u64().unwrap(),
                e["title"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// (number, title) of each event on the page, in its order.
fn on_page(dom: &Html) -> Vec<(u64, String)> {
    select(dom, "article.event")
        .iter()
        .map(|article| {
            let id = article.value().attr("id").unwrap();
            let number = id.strip_prefix("event-").unwrap().parse().unwrap();
            let title = article
                .select(&Selector::parse("h3 .title").unwrap())
                .next()
                .unwrap();
            assert_eq!(title.value().attr("dir"), Some("auto"));
            (number, text(&title))
        })
        .collect()
}

/// The count each bar's title gives: "Mar 2025: 4 events (…)".
fn bar_counts(dom: &Html) -> Vec<usize> {
    select(dom, "svg rect.bar")
        .iter()
        .map(|bar| {
            let title = bar
                .select(&Selector::parse("title").unwrap())
                .next()
                .unwrap();
            let title = text(&title);
            let (_, after) = title.rsplit_once(": ").unwrap();
            after.split(' ').next().unwrap().parse().unwrap()
        })
        .collect()
}

fn with_names(db: &TempDb) {
    db.cmd()
        .args([
            "add",
            "--date",
            "2025-06-02",
            "--title",
            "لقاء في الدوحة 多哈会谈",
            "--city",
            "الدوحة",
            "--country",
            "QA",
            "--participant",
            "محمد بن عبدالرحمن آل ثاني:QA:lead",
            "--participant",
            "王毅:CN:lead",
            "--participant",
            "Анна Петрова:RU",
            "--source",
            "Al Jazeera <https://www.aljazeera.net/news/2025/6/2/x>",
            "--create-people",
        ])
        .assert()
        .success();
}

#[test]
fn every_exported_event_shows_in_chromium_with_one_bar_per_period_and_nothing_failing() {
    let Some(browser) = chromium() else {
        return;
    };
    let db = TempDb::seeded();
    with_names(&db);
    let page = export(&db, "timeline.html", &[]);
    let rendered = render(&browser, &page);
    assert_eq!(rendered.console, Vec::<String>::new(), "nothing may fail");
    let dom = &rendered.dom;

    let policy = select(dom, "head meta[http-equiv=\"Content-Security-Policy\"]");
    assert_eq!(policy.len(), 1);
    assert_eq!(policy[0].value().attr("content"), Some(POLICY));
    assert!(select(dom, "script, link, img, iframe, object, embed").is_empty());

    let events = listed(&db, &[]);
    assert_eq!(events.len(), 37);
    assert_eq!(
        on_page(dom),
        events,
        "every event, by number and title, in order"
    );

    // One bar per period from the first event's first day to the last's, empty ones kept.
    let days: Vec<chrono::NaiveDate> = db
        .json(&["list", "--format", "json", "--limit", "100000"])
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            attache::domain::FuzzyDate::parse_iso(e["date"].as_str().unwrap())
                .unwrap()
                .first()
        })
        .collect();
    let (first, last) = (days[0], days[days.len() - 1]);
    let unit = attache::domain::period::Unit::for_span(first, last, 60);
    let counts = bar_counts(dom);
    assert_eq!(counts.len(), unit.periods(first, last));
    assert_eq!(counts.iter().sum::<usize>(), events.len());
    let caption = text(&select(dom, "figure.chart figcaption")[0]);
    assert!(
        caption.starts_with(&format!("Events per {}", unit.name())),
        "{caption}"
    );

    for name in ["محمد بن عبدالرحمن آل ثاني", "王毅", "Анна Петрова"]
    {
        let shown: Vec<String> = select(dom, ".sides .name").iter().map(text).collect();
        assert!(shown.iter().any(|n| n == name), "{name} in {shown:?}");
    }
}

#[test]
fn the_load_check_fails_on_a_page_that_loads_from_elsewhere() {
    let Some(browser) = chromium() else {
        return;
    };
    let db = TempDb::seeded();
    let page = export(
        &db,
        "timeline.html",
        &["--from", "2025-04", "--to", "2025-04"],
    );
    let clean = render(&browser, &page);
    assert_eq!(clean.console, Vec::<String>::new());
    let html = std::fs::read_to_string(&page).unwrap();
    for intruder in [
        "<img src=\"https://example.invalid/pixel.png\">",
        "<script src=\"https://example.invalid/track.js\"></script>",
        "<link rel=\"stylesheet\" href=\"file:///etc/hostname\">",
    ] {
        let tampered = db.file("tampered.html");
        std::fs::write(
            &tampered,
            html.replace("<main>", &format!("<main>{intruder}")),
        )
        .unwrap();
        let rendered = render(&browser, &tampered);
        assert!(
            rendered
                .console
                .iter()
                .any(|line| line.contains("Content Security Policy")),
            "{intruder} was not caught: {:?}",
            rendered.console
        );
    }
}

/// Text that would be markup if it were not escaped: in a title, a venue, a name, and a
/// source's address and whom it cites.
fn hostile(db: &TempDb) {
    db.cmd()
        .args([
            "add",
            "--date",
            "2025-03-02",
            "--title",
            "<script>alert(1)</script>",
            "--venue",
            "\"><img src=x onerror=alert(1)>",
            "--city",
            "Doha",
            "--country",
            "QA",
            "--participant",
            "</span><script>alert(2)</script>:QA:lead",
            "--participant",
            "Tom & 'Jerry':US:lead",
            "--source",
            "Al Jazeera citing \"officials\" <https://example.com/a\"onmouseover=\"alert(1)'x>",
            "--create-people",
        ])
        .assert()
        .success();
}

fn assert_hostile_text_stays_text(dom: &Html) {
    assert!(select(dom, "script, img").is_empty(), "{}", dom.html());
    assert!(
        select(dom, "[onerror], [onmouseover]").is_empty(),
        "{}",
        dom.html()
    );
    assert_eq!(
        text(&select(dom, "#event-1 .title")[0]),
        "<script>alert(1)</script>"
    );
    assert_eq!(
        text(&select(dom, "#event-1 .place")[0]),
        "Doha, Qatar · \"><img src=x onerror=alert(1)>"
    );
    let names: Vec<String> = select(dom, "#event-1 .sides .name")
        .iter()
        .map(text)
        .collect();
    assert_eq!(names, ["</span><script>alert(2)</script>", "Tom & 'Jerry'"]);
    let links = select(dom, "#event-1 .sources a");
    assert_eq!(links.len(), 1);
    assert_eq!(
        links[0].value().attr("href"),
        Some("https://example.com/a\"onmouseover=\"alert(1)'x")
    );
    assert_eq!(
        text(&select(dom, "#event-1 .sources li")[0]),
        "Al Jazeera citing \"officials\""
    );
}

#[test]
fn a_hostile_title_stays_text() {
    let db = TempDb::empty();
    hostile(&db);
    let page = export(&db, "hostile.html", &[]);
    let parsed = Html::parse_document(&std::fs::read_to_string(&page).unwrap());
    assert_hostile_text_stays_text(&parsed);
    if let Some(browser) = chromium() {
        let rendered = render(&browser, &page);
        assert_eq!(rendered.console, Vec::<String>::new());
        assert_hostile_text_stays_text(&rendered.dom);
    }
}

#[test]
fn right_to_left_and_cjk_names_keep_their_text_and_direction() {
    let db = TempDb::empty();
    with_names(&db);
    let html = db.stdout(&["export", "--format", "html"]);
    let dom = Html::parse_document(&html);
    assert_eq!(select(&dom, "html")[0].value().attr("lang"), Some("en"));
    assert!(
        html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">"),
        "the encoding is declared first"
    );
    let title = &select(&dom, "#event-1 .title")[0];
    assert_eq!(text(title), "لقاء في الدوحة 多哈会谈");
    assert_eq!(title.value().attr("dir"), Some("auto"));
    let place = &select(&dom, "#event-1 .place")[0];
    assert_eq!(text(place), "الدوحة, Qatar");
    assert_eq!(place.value().attr("dir"), Some("auto"));
    let names: Vec<(String, Option<&str>)> = select(&dom, "#event-1 .sides .name")
        .iter()
        .map(|n| (text(n), n.value().attr("dir")))
        .collect();
    assert_eq!(
        names,
        [
            ("محمد بن عبدالرحمن آل ثاني".to_string(), Some("auto")),
            ("王毅".to_string(), Some("auto")),
            ("Анна Петрова".to_string(), Some("auto")),
        ]
    );
}

#[test]
fn filters_narrow_the_page_as_they_narrow_the_list() {
    let db = TempDb::seeded();
    for filters in [
        &["--person", "putin"][..],
        &["--from", "2025-06"][..],
        &[
            "--person", "witkoff", "--from", "2025-04", "--to", "2025-08",
        ][..],
    ] {
        let mut args = vec!["export", "--format", "html"];
        args.extend_from_slice(filters);
        let dom = Html::parse_document(&db.stdout(&args));
        let expected = listed(&db, filters);
        assert!(!expected.is_empty() && expected.len() < 36, "{filters:?}");
        assert_eq!(on_page(&dom), expected, "{filters:?}");
        assert_eq!(
            bar_counts(&dom).iter().sum::<usize>(),
            expected.len(),
            "{filters:?}"
        );
    }
}

#[test]
fn the_chart_keeps_empty_periods() {
    let db = TempDb::empty();
    // Two Mondays twelve weeks apart: more days than bars, few enough weeks.
    for date in ["2025-01-06", "2025-03-31"] {
        db.cmd()
            .args([
                "add",
                "--date",
                date,
                "--title",
                &format!("Talks on {date}"),
                "--participant",
                "Putin:RU:lead",
                "--create-people",
            ])
            .assert()
            .success();
    }
    let dom = Html::parse_document(&db.stdout(&["export", "--format", "html"]));
    let counts = bar_counts(&dom);
    assert_eq!(counts.len(), 13, "weeks of 6 Jan to 31 Mar 2025");
    assert_eq!(counts.first(), Some(&1));
    assert_eq!(counts.last(), Some(&1));
    assert!(counts[1..12].iter().all(|c| *c == 0));
    let titles: Vec<String> = select(&dom, "svg rect.bar title")
        .iter()
        .map(text)
        .collect();
    assert_eq!(titles[0], "the week of 6 Jan 2025: 1 event (meeting 1)");
    assert_eq!(titles[1], "the week of 13 Jan 2025: 0 events");
}

#[test]
fn an_empty_export_is_a_page_that_says_so() {
    let db = TempDb::seeded();
    let html = db.stdout(&["export", "--format", "html", "--from", "2030"]);
    let dom = Html::parse_document(&html);
    assert!(select(&dom, "article.event, svg").is_empty());
    assert_eq!(text(&select(&dom, ".summary")[0]), "No events.");
}

#[test]
fn an_html_export_refuses_what_other_exports_refuse() {
    let db = TempDb::seeded();
    let folder = db.file("folder");
    std::fs::create_dir(&folder).unwrap();
    db.cmd()
        .args(["export", "--format", "html", "--out"])
        .arg(&folder)
        .assert()
        .code(1)
        .stdout("")
        .stderr(contains("it is a directory"));
    let before = std::fs::read(&db.path).unwrap();
    db.cmd()
        .args(["export", "--format", "html", "--out"])
        .arg(&db.path)
        .assert()
        .code(1)
        .stdout("")
        .stderr(contains("is a database; an export never replaces one"));
    assert_eq!(std::fs::read(&db.path).unwrap(), before);
    db.refuses(&["export", "--format", "html", "--person", "nobody at all"]);
    db.cmd()
        .args(["export", "--format", "htm"])
        .assert()
        .code(2)
        .stderr(contains("html"));
}
