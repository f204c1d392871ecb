//! The interface's state machine: key sequences in each view, checked without a terminal.

#![allow(clippy::unwrap_used, reason = "a test fails loudly by design")]

#[path = "common/keys.rs"]
mod keys;

use attache::app::{App, Focus, PeopleSort, PromptKind, View};
use attache::domain::period::Unit;
use attache::store::{Order, Store};
use chrono::NaiveDate;
use keys::{press, type_text};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
}

fn seeded() -> (App, Store) {
    let mut store = Store::open_in_memory().unwrap();
    attache::interchange::seed(&mut store).unwrap();
    let mut app = App::new(today());
    app.viewport = 10;
    app.sync(&mut store);
    (app, store)
}

fn selected_title(app: &App) -> String {
    app.timeline
        .selected_row()
        .map(|r| r.event.title.clone())
        .unwrap_or_default()
}

fn selected_date(app: &App) -> String {
    app.timeline
        .selected_row()
        .map(|r| r.event.date.to_iso())
        .unwrap_or_default()
}

#[test]
fn the_timeline_opens_on_the_first_event_with_its_detail() {
    let (app, _) = seeded();
    assert_eq!(app.view, View::Timeline);
    assert_eq!(app.timeline.total, 36);
    assert_eq!(app.position_label(), "1 / 36");
    assert_eq!(selected_date(&app), "2025-02-11");
    let detail = app.timeline.detail.as_ref().unwrap();
    assert_eq!(
        detail.facts.ordinals[0],
        "1st face-to-face meeting between Vladimir Putin and Steve Witkoff in this record"
    );
    assert_eq!(app.timeline.row(0).unwrap().badge, "1st");
    assert_eq!(app.timeline.row(0).unwrap().heads, "Putin–Witkoff");
}

#[test]
fn moving_through_the_timeline() {
    let (mut app, mut store) = seeded();
    press(&mut app, &mut store, "j j Down");
    assert_eq!(app.timeline.selected, 3);
    press(&mut app, &mut store, "k");
    assert_eq!(app.timeline.selected, 2);
    press(&mut app, &mut store, "G");
    assert_eq!(app.timeline.selected, 35);
    press(&mut app, &mut store, "j");
    assert_eq!(app.timeline.selected, 35, "stops at the end");
    press(&mut app, &mut store, "PgUp");
    assert_eq!(app.timeline.selected, 25);
    press(&mut app, &mut store, "g k");
    assert_eq!(app.timeline.selected, 0, "stops at the start");
    press(&mut app, &mut store, "PgDn End");
    assert_eq!(app.position_label(), "36 / 36");
    assert!(app.timeline.scroll + app.viewport > app.timeline.selected);
    press(&mut app, &mut store, "Home");
    assert_eq!(app.timeline.scroll, 0);
}

#[test]
fn the_founding_event_shows_its_ordinal_and_what_surrounds_it() {
    let (mut app, mut store) = seeded();
    press(&mut app, &mut store, "t");
    type_text(&mut app, &mut store, "11 Apr 2025");
    press(&mut app, &mut store, "Enter");
    assert_eq!(
        selected_title(&app),
        "Steve Witkoff meets Vladimir Putin in St Petersburg"
    );
    let detail = app.timeline.detail.as_ref().unwrap();
    assert_eq!(
        detail.facts.ordinals[0].rsplit(" · ").next(),
        Some("previous: 13 Mar 2025, Moscow, 29 days earlier")
    );
    assert!(
        detail
            .related
            .iter()
            .any(|r| r.starts_with("a week after Kirill Dmitriev met Steve Witkoff in Washington")),
        "{:?}",
        detail.related
    );
    assert!(
        detail
            .related
            .iter()
            .any(|r| r.starts_with("2 weeks before Vladimir Putin met Steve Witkoff in Moscow")),
        "{:?}",
        detail.related
    );
    let heads: Vec<(&str, bool)> = detail
        .members()
        .map(|m| (m.name.as_str(), m.head))
        .collect();
    assert_eq!(
        heads,
        [
            ("Vladimir Putin", true),
            ("Yuri Ushakov", false),
            ("Kirill Dmitriev", false),
            ("Steve Witkoff", true)
        ]
    );
}

#[test]
fn incremental_search_with_next_and_previous() {
    let (mut app, mut store) = seeded();
    press(&mut app, &mut store, "/");
    assert_eq!(
        app.prompt().map(|p| p.kind),
        Some(PromptKind::Search(View::Timeline))
    );
    type_text(&mut app, &mut store, "Ist");
    assert_eq!(selected_date(&app), "2025-02-27", "moves as you type");
    type_text(&mut app, &mut store, "anbul");
    press(&mut app, &mut store, "Enter");
    assert!(app.prompt().is_none());
    assert_eq!(app.timeline.search, "Istanbul");
    press(&mut app, &mut store, "n");
    assert_eq!(selected_date(&app), "2025-04-10");
    press(&mut app, &mut store, "n");
    assert_eq!(selected_date(&app), "2025-02-27");
    assert_eq!(app.status.as_deref(), Some("match 1 of 2 (wrapped around)"));
    press(&mut app, &mut store, "N");
    assert_eq!(selected_date(&app), "2025-04-10");
    press(&mut app, &mut store, "/ End");
    type_text(&mut app, &mut store, "Дарчиев");
    assert_eq!(
        app.status.as_deref(),
        Some("no match for \"IstanbulДарчиев\"")
    );
    press(&mut app, &mut store, "Esc");
    assert_eq!(
        selected_date(&app),
        "2025-04-10",
        "Esc goes back to where the search began"
    );
    assert_eq!(
        app.timeline.search, "Istanbul",
        "and to the search before it"
    );
    press(&mut app, &mut store, "Esc");
    assert!(app.timeline.search.is_empty(), "Esc again clears it");
}

#[test]
fn a_search_says_its_count_after_enter_and_slash_starts_a_new_one() {
    let (mut app, mut store) = seeded();
    press(&mut app, &mut store, "/");
    type_text(&mut app, &mut store, "Witk");
    press(&mut app, &mut store, "Enter");
    assert!(app.prompt().is_none());
    assert_eq!(status(&app), "match 1 of 18", "the count stays after Enter");
    press(&mut app, &mut store, "n /");
    let prompt = app.prompt().unwrap();
    assert!(prompt.selected, "the last search is offered selected");
    assert_eq!(prompt.input.value(), "Witk");
    type_text(&mut app, &mut store, "Lavrov");
    assert_eq!(app.timeline.search, "Lavrov", "what is typed replaces it");
    assert_eq!(status(&app), "match 1 of 4");
    press(&mut app, &mut store, "Enter / End");
    assert!(
        !app.prompt().unwrap().selected,
        "a cursor key keeps it to edit"
    );
    type_text(&mut app, &mut store, "x");
    assert_eq!(app.timeline.search, "Lavrovx");
    press(&mut app, &mut store, "Esc /");
    press(&mut app, &mut store, "Backspace");
    assert_eq!(
        app.prompt().unwrap().input.value(),
        "",
        "a deletion clears the selected search"
    );
}

#[test]
fn a_search_matches_names_in_other_scripts() {
    let (mut app, mut store) = seeded();
    press(&mut app, &mut store, "/");
    type_text(&mut app, &mut store, "coulter");
    press(&mut app, &mut store, "Enter");
    assert_eq!(selected_date(&app), "2025-02-27");
}

#[test]
fn filtering_keeps_the_selection_and_esc_clears_it() {
    let (mut app, mut store) = seeded();
    press(&mut app, &mut store, "t");
    type_text(&mut app, &mut store, "2025-04-11");
    press(&mut app, &mut store, "Enter f");
    type_text(&mut app, &mut store, "person:putin kind:meeting");
    press(&mut app, &mut store, "Enter");
    assert!(app.prompt().is_none());
    assert_eq!(app.timeline.total, 7);
    assert_eq!(
        selected_date(&app),
        "2025-04-11",
        "still visible, still selected"
    );
    assert_eq!(app.position_label(), "3 / 7");
    assert_eq!(app.timeline.filter_text, "person:putin kind:meeting");
    press(&mut app, &mut store, "Esc");
    assert_eq!(app.timeline.total, 36);
    assert!(app.timeline.filter_text.is_empty());
    assert_eq!(selected_date(&app), "2025-04-11");
}

/// Clearing the filter says so, not "36 events match" as if a filter still held.
#[test]
fn clearing_the_filter_says_it_was_cleared() {
    let (mut app, mut store) = seeded();
    press(&mut app, &mut store, "f");
    type_text(&mut app, &mut store, "person:putin");
    press(&mut app, &mut store, "Enter");
    assert_eq!(app.status.as_deref(), Some("19 events match"));
    press(&mut app, &mut store, "Esc");
    assert_eq!(app.timeline.total, 36);
    assert_eq!(app.status.as_deref(), Some("filter cleared: all 36 events"));
}

#[test]
fn a_bad_filter_says_why_and_changes_nothing() {
    let (mut app, mut store) = seeded();
    press(&mut app, &mut store, "f");
    type_text(&mut app, &mut store, "person:sergey");
    press(&mut app, &mut store, "Enter");
    let prompt = app.prompt().expect("the prompt stays open");
    assert_eq!(
        prompt.error.as_deref(),
        Some("ambiguous name \"sergey\": could be Sergey Beseda, Sergey Lavrov")
    );
    assert_eq!(app.timeline.total, 36);
    press(&mut app, &mut store, "Esc");
    assert!(app.prompt().is_none());
    press(&mut app, &mut store, "t");
    type_text(&mut app, &mut store, "2025-02-30");
    press(&mut app, &mut store, "Enter");
    assert_eq!(
        app.prompt().unwrap().error.as_deref(),
        Some("no such day (2025-02-30)")
    );
}

#[test]
fn jumping_to_today_and_sorting_newest_first() {
    let (mut app, mut store) = seeded();
    press(&mut app, &mut store, "T");
    assert_eq!(
        selected_date(&app),
        "2026-03-11",
        "nothing after today: the last event"
    );
    press(&mut app, &mut store, "g j j s");
    assert_eq!(app.timeline.order, Order::NewestFirst);
    assert_eq!(
        selected_date(&app),
        "2025-02-18",
        "the same event, now near the end"
    );
    assert_eq!(app.position_label(), "34 / 36");
    press(&mut app, &mut store, "g");
    assert_eq!(selected_date(&app), "2026-03-11");
    press(&mut app, &mut store, "t");
    type_text(&mut app, &mut store, "2025-04");
    press(&mut app, &mut store, "Enter");
    assert_eq!(
        selected_date(&app),
        "2025-04-25",
        "newest first: the latest event of April"
    );
}

#[test]
fn from_an_event_to_a_participants_history_and_back() {
    let (mut app, mut store) = seeded();
    press(&mut app, &mut store, "Enter");
    assert_eq!(app.timeline.focus, Focus::Detail);
    press(&mut app, &mut store, "j Enter");
    assert_eq!(app.view, View::History);
    let history = &app.history;
    assert_eq!(history.person.as_ref().unwrap().name, "Steve Witkoff");
    assert_eq!(history.met_most[0].name, "Vladimir Putin");
    assert_eq!(history.met_most[0].face_to_face, 7);
    let anchorage = history
        .list
        .rows
        .iter()
        .find(|r| r.event.date.to_iso() == "2025-08-15")
        .unwrap();
    assert_eq!(anchorage.notes, ["in the US delegation"]);
    let fifth = history
        .list
        .rows
        .iter()
        .find(|r| r.event.date.to_iso() == "2025-08-06")
        .unwrap();
    // The scope is the list heading's to say, once.
    assert_eq!(
        fifth.notes,
        ["5th meeting with Vladimir Putin", "5th visit to Russia"]
    );
    press(&mut app, &mut store, "Esc");
    assert_eq!(app.view, View::Timeline);
    assert_eq!(app.timeline.focus, Focus::Detail);
    press(&mut app, &mut store, "Backspace");
    assert_eq!(app.timeline.focus, Focus::List);
}

/// The rhythm of a person's diplomacy: each event of their history says how long after their
/// previous one it came.
#[test]
fn a_history_gives_the_days_since_the_persons_previous_event() {
    let (mut app, mut store) = seeded();
    press(&mut app, &mut store, "Enter j Enter");
    assert_eq!(app.history.person.as_ref().unwrap().name, "Steve Witkoff");
    let gap = |app: &App, date: &str| {
        app.history
            .list
            .rows
            .iter()
            .find(|r| r.event.date.to_iso() == date)
            .unwrap()
            .gap
    };
    assert_eq!(gap(&app, "2025-02-11"), None, "his first event");
    assert_eq!(gap(&app, "2025-02-18"), Some(7), "Moscow, then Riyadh");
    assert_eq!(
        gap(&app, "2025-08-06"),
        Some(103),
        "from the Kremlin on 25 April to the Kremlin on 6 August"
    );
    assert_eq!(gap(&app, "2025-08-15"), Some(9), "then Anchorage");
}

#[test]
fn the_history_shows_what_is_known_from_before_the_record() {
    let (mut app, mut store) = seeded();
    let putin = store.resolve_person("Putin").unwrap().id;
    let trump = store.resolve_person("Trump").unwrap().id;
    store
        .set_prior(&attache::domain::prior::Prior::new(
            attache::domain::series::Series::meetings(
                attache::domain::Mode::InPerson,
                putin,
                trump,
            ),
            attache::domain::prior::PriorCount {
                count: 6,
                last: attache::domain::FuzzyDate::parse_iso("2019-06-28").ok(),
                place: "Osaka".into(),
                sources: vec![attache::domain::Source {
                    outlet: "TASS".into(),
                    ..Default::default()
                }],
            },
        ))
        .unwrap();
    app.sync(&mut store);
    press(&mut app, &mut store, "f");
    type_text(&mut app, &mut store, "person:Trump kind:summit");
    press(&mut app, &mut store, "Enter Enter Enter");
    assert_eq!(app.view, View::History);
    assert_eq!(app.history.person.as_ref().unwrap().name, "Donald Trump");
    assert_eq!(
        app.history.priors,
        ["6 meetings with Vladimir Putin, the last on 28 Jun 2019, Osaka"]
    );
    let anchorage = app
        .history
        .list
        .rows
        .iter()
        .find(|r| r.event.date.to_iso() == "2025-08-15")
        .unwrap();
    assert_eq!(
        anchorage.notes[0],
        "7th meeting with Vladimir Putin, counting 6 before this record"
    );
}

#[test]
fn a_history_entry_opens_its_event() {
    let (mut app, mut store) = seeded();
    press(&mut app, &mut store, "f");
    type_text(&mut app, &mut store, "kind:call");
    press(&mut app, &mut store, "Enter 3");
    assert_eq!(
        app.history.person.as_ref().unwrap().name,
        "Donald Trump",
        "the first head of the selected call"
    );
    press(&mut app, &mut store, "j Enter");
    assert_eq!(app.view, View::Timeline);
    assert_eq!(app.timeline.focus, Focus::Detail);
    assert_eq!(selected_date(&app), "2025-03-18");
}

#[test]
fn people_sort_and_open() {
    let (mut app, mut store) = seeded();
    press(&mut app, &mut store, "2");
    assert_eq!(app.view, View::People);
    assert_eq!(app.people.people.len(), 31);
    assert_eq!(app.people.people[0].person.name, "Alexander Darchiev");
    press(&mut app, &mut store, "s");
    assert_eq!(app.people.sort, PeopleSort::Events);
    assert_eq!(app.people.people[0].person.name, "Vladimir Putin");
    press(&mut app, &mut store, "s");
    assert_eq!(app.people.sort, PeopleSort::LastSeen);
    press(&mut app, &mut store, "g Enter");
    assert_eq!(app.view, View::History);
    assert_eq!(app.history.person.as_ref().unwrap().name, "Jared Kushner");
    press(&mut app, &mut store, "Esc");
    assert_eq!(app.view, View::People);
}

#[test]
fn stats_and_the_meetings_behind_a_cell() {
    let (mut app, mut store) = seeded();
    press(&mut app, &mut store, "4");
    let stats = &app.stats;
    assert_eq!(
        stats.months.first().map(|(m, n)| (m.as_str(), *n)),
        Some(("2025-02", 4))
    );
    assert_eq!(stats.kinds[0], ("meeting".to_string(), 12));
    let names: Vec<&str> = stats.people.iter().map(|(_, n)| n.as_str()).collect();
    let putin = names.iter().position(|n| *n == "Vladimir Putin").unwrap();
    let witkoff = names.iter().position(|n| *n == "Steve Witkoff").unwrap();
    assert_eq!(stats.cells[putin][witkoff].count(), 7);
    assert_eq!(
        stats.cells[putin][witkoff].last.unwrap().to_iso(),
        "2026-01-22"
    );
    let moves = format!("{} {}", "j ".repeat(putin), "Right ".repeat(witkoff));
    press(&mut app, &mut store, &format!("g {moves} Enter"));
    assert!(app.stats.open);
    press(&mut app, &mut store, "j j Enter");
    assert_eq!(app.view, View::Timeline);
    assert_eq!(selected_date(&app), "2025-04-11");
}

#[test]
fn help_filters_after_slash_scrolls_and_closes_on_q() {
    let (mut app, mut store) = seeded();
    press(&mut app, &mut store, "? /");
    assert!(app.help().is_some());
    type_text(&mut app, &mut store, "quit");
    assert_eq!(app.help().unwrap().filter.value(), "quit");
    assert!(!app.quit, "typing q in the help's filter does not quit");
    press(&mut app, &mut store, "Enter j j");
    assert_eq!(app.help().unwrap().scroll, 2);
    press(&mut app, &mut store, "k q");
    assert!(app.help().is_none(), "q closes the help");
    assert!(!app.quit);
    for close in ["?", "Esc"] {
        press(&mut app, &mut store, "?");
        press(&mut app, &mut store, close);
        assert!(app.help().is_none(), "{close} closes the help");
    }
    press(&mut app, &mut store, "q");
    assert!(app.quit);
}

#[test]
fn an_empty_database_welcomes_and_can_load_the_seed() {
    let mut store = Store::open_in_memory().unwrap();
    let mut app = App::new(today());
    app.sync(&mut store);
    assert!(app.empty);
    assert_eq!(app.position_label(), "0 / 0");
    press(&mut app, &mut store, "j k G Enter / x");
    assert!(app.timeline.detail.is_none());
    press(&mut app, &mut store, "Esc S");
    assert!(!app.empty);
    assert_eq!(app.timeline.total, 36);
    assert_eq!(
        app.status.as_deref(),
        Some("imported 36 events, 0 already present, 31 new people")
    );
}

fn clear_prompt(app: &mut App, store: &mut Store) {
    let typed = app.prompt().map_or(0, |p| p.input.value().chars().count());
    for _ in 0..typed {
        press(app, store, "Backspace");
    }
}

#[test]
fn x_exports_what_the_view_shows() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, mut store) = seeded();
    press(&mut app, &mut store, "f");
    type_text(&mut app, &mut store, "person:darchiev");
    press(&mut app, &mut store, "Enter /");
    type_text(&mut app, &mut store, "second round");
    press(&mut app, &mut store, "Enter x");
    let prompt = app.prompt().unwrap();
    assert_eq!(prompt.kind, PromptKind::Export);
    assert_eq!(
        prompt.input.value(),
        "attache-timeline-darchiev-second-round-2026-11-27.csv",
        "the name says what the filter and the search keep"
    );
    clear_prompt(&mut app, &mut store);
    let path = dir.path().join("view.csv");
    type_text(&mut app, &mut store, path.to_str().unwrap());
    press(&mut app, &mut store, "Enter");
    assert!(app.prompt().is_none());
    assert_eq!(
        app.status,
        Some(format!("exported 1 row to {}", path.display()))
    );
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text.lines().count(), 2, "{text}");
    assert!(text.contains("second round"));
    assert!(
        text.contains("2nd face-to-face meeting between Sonata Coulter and Alexander Darchiev")
    );

    press(&mut app, &mut store, "Esc Esc 3 x");
    assert_eq!(
        app.prompt().unwrap().input.value(),
        "attache-history-alexander-darchiev-2026-11-27.csv",
        "a history export is named after the person"
    );
    clear_prompt(&mut app, &mut store);
    type_text(&mut app, &mut store, path.to_str().unwrap());
    press(&mut app, &mut store, "Enter");
    assert_eq!(
        app.question().unwrap().subject,
        format!("{} exists", path.display())
    );
    press(&mut app, &mut store, "n");
    assert_eq!(
        app.prompt().map(|p| p.input.value()),
        Some(path.to_str().unwrap()),
        "n goes back to the path"
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        text,
        "nothing written on n"
    );
    press(&mut app, &mut store, "Enter y");
    assert_eq!(app.view, View::History);
    assert!(app.question().is_none() && app.prompt().is_none());
    let history = std::fs::read_to_string(&path).unwrap();
    assert_eq!(history.lines().count(), 1 + app.history.list.total);
    assert!(
        history.contains("2nd meeting with Sonata Coulter"),
        "the person's own ordinals: {history}"
    );
    assert_eq!(
        app.status,
        Some(format!(
            "exported {} rows to {}",
            app.history.list.total,
            path.display()
        ))
    );

    press(&mut app, &mut store, "2 x");
    assert!(app.prompt().is_none());
    assert_eq!(
        app.status.as_deref(),
        Some("x exports the timeline (1) or a person's history (3)")
    );
}

/// Tab in the export prompt switches to the spreadsheet variant (`export --excel`); the
/// message names the file in full, wherever the path was typed from.
#[test]
fn an_export_for_excel_and_its_full_path() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, mut store) = seeded();
    press(&mut app, &mut store, "x");
    assert_eq!(app.prompt().unwrap().label(), "export CSV to: ");
    press(&mut app, &mut store, "Tab");
    assert_eq!(app.prompt().unwrap().label(), "export CSV for Excel to: ");
    clear_prompt(&mut app, &mut store);
    let here = std::env::current_dir().unwrap();
    let up = "../".repeat(here.components().count() - 1);
    let typed = format!(
        "{up}{}/excel.csv",
        dir.path().display().to_string().trim_start_matches('/')
    );
    type_text(&mut app, &mut store, &typed);
    press(&mut app, &mut store, "Enter");
    let written = std::fs::canonicalize(dir.path().join("excel.csv")).unwrap();
    assert_eq!(
        status(&app),
        format!("exported 36 rows to {} (CSV for Excel)", written.display())
    );
    let bytes = std::fs::read(&written).unwrap();
    assert!(
        bytes.starts_with("\u{feff}id,".as_bytes()),
        "a byte-order mark first"
    );
    press(&mut app, &mut store, "x Tab Tab");
    assert_eq!(
        app.prompt().unwrap().label(),
        "export CSV to: ",
        "Tab again: plain"
    );
}

#[test]
fn an_export_that_cannot_be_written_says_why() {
    let (mut app, mut store) = seeded();
    press(&mut app, &mut store, "x");
    clear_prompt(&mut app, &mut store);
    type_text(&mut app, &mut store, "/no/such/dir/out.csv");
    press(&mut app, &mut store, "Enter");
    let error = app.prompt().unwrap().error.clone().unwrap();
    assert_eq!(
        error, "cannot write in /no/such/dir: No such file or directory (os error 2)",
        "no temporary file's name"
    );
}

#[test]
fn the_last_event_stays_reachable_after_edit_delete_and_undo() {
    let (mut app, mut store) = seeded();
    press(&mut app, &mut store, "G e");
    let title = app.form().unwrap().title.value().to_string();
    press(&mut app, &mut store, "End");
    type_text(&mut app, &mut store, " – renamed");
    press(&mut app, &mut store, "C-s");
    assert_eq!(app.timeline.selected, 35);
    assert!(
        app.timeline
            .detail
            .as_ref()
            .unwrap()
            .event
            .title
            .ends_with("– renamed"),
        "the detail shows the edited event"
    );
    press(&mut app, &mut store, "Esc d y");
    assert_eq!(app.timeline.total, 35);
    press(&mut app, &mut store, "u");
    assert_eq!(app.timeline.total, 36);
    press(&mut app, &mut store, "g G");
    assert_eq!(app.position_label(), "36 / 36");
    assert!(
        app.timeline
            .selected_row()
            .unwrap()
            .event
            .title
            .ends_with("– renamed")
    );
    press(&mut app, &mut store, "u g End");
    assert_eq!(app.timeline.selected_row().unwrap().event.title, title);
    press(&mut app, &mut store, "k j");
    assert_eq!(app.position_label(), "36 / 36");
}

fn status(app: &App) -> &str {
    app.status.as_deref().unwrap_or("")
}

/// What the status bar said stays in the message log (M, rebindable and in the help), each
/// time it was said, the newest last.
#[test]
fn the_message_log_keeps_what_the_status_bar_said() {
    let (mut app, mut store) = seeded();
    press(&mut app, &mut store, "s s u u");
    press(&mut app, &mut store, "M");
    assert!(app.message_log().is_some());
    let last: Vec<&str> = app
        .messages
        .iter()
        .rev()
        .take(4)
        .rev()
        .map(String::as_str)
        .collect();
    assert_eq!(
        last,
        [
            "timeline: newest first",
            "timeline: oldest first",
            "nothing to undo",
            "nothing to undo"
        ]
    );
    press(&mut app, &mut store, "k Esc");
    assert!(app.message_log().is_none());
    assert!(
        attache::ui::help_lines(&app, "messages")
            .iter()
            .any(|(keys, _)| keys == "M"),
        "listed in the help"
    );
    let mut keymap = attache::app::keymap::KeyMap::default();
    keymap.bind("messages", &["L".to_string()]).unwrap();
    app.keymap = keymap;
    press(&mut app, &mut store, "L");
    assert!(app.message_log().is_some(), "rebindable");
    press(&mut app, &mut store, "L");
    assert!(app.message_log().is_none(), "its own key closes it");
}

#[test]
fn keys_act_only_on_what_the_view_shows() {
    let (mut app, mut store) = seeded();
    // In People, d and e act on the selected person: someone with events is not deleted.
    press(&mut app, &mut store, "2 d");
    assert!(app.question().is_none(), "no event is shown in People");
    assert!(
        status(&app).contains("only a person without events is deleted"),
        "{}",
        status(&app)
    );
    press(&mut app, &mut store, "e");
    assert!(app.form().is_none());
    assert!(app.person_form().is_some());
    press(&mut app, &mut store, "Esc");
    press(&mut app, &mut store, "4 d");
    assert!(app.question().is_none(), "nor in the stats matrix");
    // In an open cell the selected meeting is shown, so d asks about that one.
    press(&mut app, &mut store, "l Enter j d");
    let subject = app.question().unwrap().subject.clone();
    assert_eq!(
        subject,
        "Delete #5 \"Vladimir Putin receives Steve Witkoff at the Kremlin\" (13 Mar 2025)"
    );
    press(&mut app, &mut store, "n");
    assert_eq!(status(&app), "kept");
    assert_eq!(store.event_count(&Default::default()).unwrap(), 36);
}

#[test]
fn undo_and_redo_say_what_they_did_in_any_view() {
    let (mut app, mut store) = seeded();
    press(&mut app, &mut store, "G d y 2 u");
    assert!(
        status(&app).starts_with("undid deleting #36"),
        "{}",
        status(&app)
    );
    press(&mut app, &mut store, "C-r");
    assert!(
        status(&app).starts_with("redid deleting #36"),
        "{}",
        status(&app)
    );
}

#[test]
fn slash_searches_the_people_list_and_the_history() {
    let (mut app, mut store) = seeded();
    press(&mut app, &mut store, "2 /");
    assert_eq!(app.prompt().unwrap().kind, PromptKind::Search(View::People));
    type_text(&mut app, &mut store, "Дар");
    assert_eq!(app.view, View::People, "the search stays in the list");
    let found = app.people.selected_person().unwrap().person.name.clone();
    assert_eq!(found, "Alexander Darchiev");
    assert_eq!(status(&app), "match 1 of 1");
    type_text(&mut app, &mut store, "zz");
    assert_eq!(status(&app), "no match for \"Дарzz\"");
    press(&mut app, &mut store, "Esc / ");
    type_text(&mut app, &mut store, "witk");
    press(&mut app, &mut store, "Enter Enter /");
    type_text(&mut app, &mut store, "Moscow");
    assert_eq!(app.view, View::History);
    assert!(status(&app).starts_with("match 1 of "), "{}", status(&app));
    let first = app.history.list.selected;
    press(&mut app, &mut store, "Enter n");
    assert!(app.history.list.selected > first);
    assert!(status(&app).starts_with("match 2 of "), "{}", status(&app));
}

#[test]
fn the_timeline_search_counts_matches_and_says_no_match_while_typing() {
    let (mut app, mut store) = seeded();
    press(&mut app, &mut store, "/");
    type_text(&mut app, &mut store, "Riyadh");
    assert_eq!(status(&app), "match 1 of 2");
    type_text(&mut app, &mut store, "x");
    assert_eq!(status(&app), "no match for \"Riyadhx\"");
}

/// One or two characters are looked for row by row in the next rows only, which the status
/// says; the third character searches and counts through the index.
#[test]
fn a_search_of_one_or_two_characters_looks_only_ahead() {
    let (mut app, mut store) = seeded();
    press(&mut app, &mut store, "/");
    type_text(&mut app, &mut store, "Ri");
    assert_eq!(selected_date(&app), "2025-02-18", "the first Riyadh event");
    assert_eq!(
        status(&app),
        "next match within 1,000 rows; type three characters to count them all"
    );
    // Three characters and more search names in every spelling too ("Riy" finds Yuriy Ushakov).
    type_text(&mut app, &mut store, "ya");
    assert_eq!(status(&app), "match 1 of 2");
    press(&mut app, &mut store, "Esc Esc /");
    type_text(&mut app, &mut store, "qz");
    assert_eq!(
        status(&app),
        "no match for \"qz\" in the next 1,000 rows; type three characters to search everything"
    );
}

#[test]
fn stats_follow_the_filter_and_the_matrix_takes_counterparts() {
    let (mut app, mut store) = seeded();
    press(&mut app, &mut store, "f");
    type_text(&mut app, &mut store, "to:2025-12");
    press(&mut app, &mut store, "Enter 4");
    let names: Vec<&str> = app.stats.people.iter().map(|(_, n)| n.as_str()).collect();
    assert!(
        names.contains(&"Alexander Darchiev") && names.contains(&"Sonata Coulter"),
        "{names:?}"
    );
    let darchiev = names
        .iter()
        .position(|n| *n == "Alexander Darchiev")
        .unwrap();
    let coulter = names.iter().position(|n| *n == "Sonata Coulter").unwrap();
    assert_eq!(app.stats.cells[darchiev][coulter].count(), 2);
    // An empty cell says so; the cell's list shows each meeting's ordinal.
    press(&mut app, &mut store, "g h h h h h h h h h h l l l Enter");
    assert!(!app.stats.open);
    assert!(
        status(&app).contains("no face-to-face meetings in this record"),
        "{}",
        status(&app)
    );
    press(&mut app, &mut store, "g h h h h h h h h h h l Enter");
    assert!(app.stats.open);
    let ordinals: Vec<&str> = app
        .stats
        .cell()
        .unwrap()
        .meetings
        .iter()
        .map(|m| m.ordinal.as_str())
        .collect();
    assert_eq!(ordinals, ["1st", "2nd", "3rd", "4th", "5th", "6th"]);
    press(&mut app, &mut store, "Esc f");
    clear_prompt(&mut app, &mut store);
    type_text(&mut app, &mut store, "from:2025-08");
    press(&mut app, &mut store, "Enter 4");
    assert_eq!(app.stats.filter_text, "from:2025-08");
    assert!(
        app.stats
            .months
            .iter()
            .all(|(m, _)| m.as_str() >= "2025-08"),
        "{:?}",
        app.stats.months
    );
    let total: usize = app.stats.kinds.iter().map(|(_, n)| n).sum();
    assert_eq!(total, app.timeline.total);
}

#[test]
fn stats_under_a_filter_keep_the_months_without_events() {
    let (mut app, mut store) = seeded();
    press(&mut app, &mut store, "f");
    type_text(&mut app, &mut store, "person:putin kind:meeting");
    press(&mut app, &mut store, "Enter 4");
    let months: Vec<(&str, usize)> = app
        .stats
        .months
        .iter()
        .map(|(m, n)| (m.as_str(), *n))
        .collect();
    assert_eq!(months.first(), Some(&("2025-02", 1)), "{months:?}");
    assert_eq!(months.last(), Some(&("2026-01", 1)), "{months:?}");
    assert_eq!(
        months.len(),
        12,
        "every month from the first to the last: {months:?}"
    );
    assert!(months.contains(&("2025-09", 0)), "{months:?}");
    let counted: usize = months.iter().map(|(_, n)| n).sum();
    assert_eq!(counted, app.timeline.total);
}

#[test]
fn a_jump_to_a_day_without_events_says_which_it_chose() {
    let (mut app, mut store) = seeded();
    press(&mut app, &mut store, "T");
    assert_eq!(
        status(&app),
        "no event on 27 Nov 2026; nearest: 11 Mar 2026"
    );
    press(&mut app, &mut store, "t");
    type_text(&mut app, &mut store, "2025-04-11");
    press(&mut app, &mut store, "Enter");
    assert_eq!(status(&app), "went to 11 Apr 2025");
    press(&mut app, &mut store, "t");
    type_text(&mut app, &mut store, "2025-04-05");
    press(&mut app, &mut store, "Enter");
    assert_eq!(status(&app), "no event on 5 Apr 2025; nearest: 2 Apr 2025");
}

#[test]
fn the_form_fills_country_and_side_and_calls_go_by_phone() {
    let (mut app, mut store) = seeded();
    press(&mut app, &mut store, "a Tab Tab Tab Right");
    let form = app.form().unwrap();
    assert_eq!(form.kind.as_str(), "talks");
    press(&mut app, &mut store, "Right Right Right");
    let form = app.form().unwrap();
    assert_eq!((form.kind.as_str(), form.mode.as_str()), ("call", "phone"));
    press(&mut app, &mut store, "Right");
    assert_eq!(app.form().unwrap().mode.as_str(), "in-person");
    press(&mut app, &mut store, "Tab Tab Tab");
    type_text(&mut app, &mut store, "Ista");
    press(&mut app, &mut store, "Enter");
    assert_eq!(app.form().unwrap().city.value(), "Istanbul");
    assert_eq!(app.form().unwrap().country.value(), "TR");
    press(&mut app, &mut store, "Tab Enter");
    type_text(&mut app, &mut store, "darch");
    press(&mut app, &mut store, "Enter");
    assert_eq!(app.form().unwrap().participants[0].side.value(), "RU");
}

#[test]
fn the_mouse_scrolls_the_detail_and_switches_views() {
    use attache::ui;
    use ratatui::layout::Rect;
    let (mut app, mut store) = seeded();
    let area = Rect::new(0, 0, 160, 48);
    app.update(ui::wheel_action(area, &app, 120, 20, true));
    assert_eq!(
        app.timeline.detail_scroll, 3,
        "the wheel over the detail scrolls it"
    );
    assert_eq!(app.timeline.selected, 0);
    app.update(ui::wheel_action(area, &app, 10, 20, true));
    assert_eq!(
        app.timeline.selected, 1,
        "over the list it moves the selection"
    );
    let tab = ui::click_action(area, &app, 25, 0).unwrap();
    app.update(tab);
    app.sync(&mut store);
    assert_eq!(app.view, View::People);
}

#[test]
fn o_and_y_hand_the_link_and_the_citation_to_the_terminal() {
    use attache::app::Outside;
    let (mut app, mut store) = seeded();
    press(&mut app, &mut store, "t");
    type_text(&mut app, &mut store, "2025-04-11");
    press(&mut app, &mut store, "Enter y o");
    assert_eq!(
        app.outside,
        [
            Outside::Copy(
                "Steve Witkoff meets Vladimir Putin in St Petersburg, 11 Apr 2025. Reuters citing RIA, citing the Kremlin via brecorder.com <https://www.brecorder.com/news/40357106/trump-envoy-witkoff-arrives-in-russia-ria-cites-kremlin>; News.az citing Axios, citing a source familiar with the trip and FlightRadar data <https://news.az/news/trump-envoy-witkoff-visits-russia-for-talks-with-putin-media>; Interfax citing Dmitry Peskov <https://m.interfax.ru/1020507>; TASS <https://tass.com/world/1942591>; Interfax-Russia <https://www.interfax-russia.ru/index.php/northwest/main/vstrecha-putina-i-uitkoffa-zavershena>; SOTT citing RT <https://www.sott.net/article/499002-Putins-latest-talks-with-Trumps-envoy-What-we-know-so-far>; Reuters via energynews.oedigital.com <https://energynews.oedigital.com/fossil-fuels/2025/04/17/putins-envoy-to-russia-says-that-witkoffs-contacts-with-the-russians-are-extremely-productive>".into()
            ),
            Outside::OpenUrl(
                "https://www.brecorder.com/news/40357106/trump-envoy-witkoff-arrives-in-russia-ria-cites-kremlin".into()
            ),
        ]
    );
}

#[test]
fn the_help_lists_every_filter_key_and_the_form_and_mouse_keys() {
    let (app, _) = seeded();
    let lines = attache::ui::help_lines(&app, "");
    let text: String = lines.iter().map(|(k, h)| format!("{k} {h}\n")).collect();
    for (key, _) in attache::app::filter::KEYS {
        assert!(
            text.contains(&format!("{key}:")),
            "{key}: missing from\n{text}"
        );
    }
    for wanted in [
        "ctrl-s",
        "form: save",
        "mouse",
        "source in the browser",
        "copy a citation",
    ] {
        assert!(text.contains(wanted), "{wanted}: missing from\n{text}");
    }
    let filtered = attache::ui::help_lines(&app, "mouse");
    assert!(
        filtered.len() >= 2
            && filtered
                .iter()
                .all(|(k, h)| format!("{k}{h}").contains("mouse"))
    );
}

/// However the timeline got there (jumps, the ends, pages, steps, a filter, the other order),
/// the rows it has loaded are the rows at those positions.
#[test]
fn loaded_rows_are_the_rows_at_their_positions_after_any_move() {
    let mut store = Store::open_in_memory().unwrap();
    let mut csv = String::from("date,title,participants\n");
    for i in 0..1200 {
        let (year, day) = (1990 + i % 30, 1 + i % 28);
        let who = if i % 3 == 0 {
            "Vladimir Putin (RU)"
        } else {
            "Steve Witkoff (US)"
        };
        csv.push_str(&format!("{year}-03-{day:02},event {i},{who}\n"));
    }
    // The same person on the same day every 420 rows: likely duplicates, loaded as they are.
    attache::interchange::csv::import(
        &mut store,
        std::io::Cursor::new(csv.as_bytes()),
        "events.csv",
        attache::interchange::csv::ReadOptions {
            allow_duplicates: true,
            ..attache::interchange::csv::ReadOptions::default()
        },
        |_, _| {},
    )
    .unwrap();
    let mut app = App::new(today());
    app.viewport = 10;
    app.sync(&mut store);
    let check = |app: &App, store: &Store, after: &str| {
        let (filter, order) = app.shown();
        let expected: Vec<i64> = store
            .events_page(
                &filter,
                order,
                app.timeline.window_start,
                app.timeline.rows.len(),
            )
            .unwrap()
            .iter()
            .map(|e| e.id)
            .collect();
        let loaded: Vec<i64> = app.timeline.rows.iter().map(|r| r.event.id).collect();
        assert_eq!(loaded, expected, "after {after}");
        assert!(app.timeline.selected_row().is_some(), "after {after}");
    };
    check(&app, &store, "opening");
    for keys in [
        "G",
        "k k k",
        "PgUp PgUp PgUp",
        "g",
        "PgDn",
        "j",
        "t",
        "2005-03-15 Enter",
        "PgUp",
        "PgUp PgUp",
        "G",
        "t",
        "1991 Enter",
        "j j",
        "s",
        "G",
        "t",
        "2010-03-01 Enter",
        "PgDn",
        "PgDn PgDn PgDn PgDn PgDn PgDn PgDn PgDn PgDn PgDn PgDn PgDn PgDn PgDn PgDn PgDn PgDn PgDn PgDn PgDn PgDn PgDn PgDn PgDn",
        "s",
        "f",
    ] {
        if keys.ends_with("Enter") && !keys.starts_with("Enter") {
            let (text, _) = keys.rsplit_once(' ').unwrap();
            type_text(&mut app, &mut store, text);
            press(&mut app, &mut store, "Enter");
        } else {
            press(&mut app, &mut store, keys);
        }
        check(&app, &store, keys);
    }
    type_text(&mut app, &mut store, "person:putin");
    press(&mut app, &mut store, "Enter");
    for keys in ["G", "t", "2001 Enter", "k", "PgUp PgUp PgUp", "g", "j"] {
        if keys.ends_with("Enter") {
            let (text, _) = keys.rsplit_once(' ').unwrap();
            type_text(&mut app, &mut store, text);
            press(&mut app, &mut store, "Enter");
        } else {
            press(&mut app, &mut store, keys);
        }
        check(&app, &store, keys);
    }
    // A person's history pages the same way.
    press(&mut app, &mut store, "Esc 3");
    assert_eq!(app.view, View::History);
    assert_eq!(app.history.list.total, 400, "Putin is in every third event");
    for keys in [
        "G",
        "k k",
        "PgUp PgUp PgUp PgUp PgUp PgUp PgUp PgUp",
        "g",
        "PgDn",
        "G",
    ] {
        press(&mut app, &mut store, keys);
        let (filter, order) = app.shown();
        let list = &app.history.list;
        let expected: Vec<i64> = store
            .events_page(&filter, order, list.window_start, list.rows.len())
            .unwrap()
            .iter()
            .map(|e| e.id)
            .collect();
        let loaded: Vec<i64> = list.rows.iter().map(|r| r.event.id).collect();
        assert_eq!(loaded, expected, "history after {keys}");
        // The first loaded row's gap reaches back past the window to the event before it.
        let before = list.window_start.saturating_sub(1);
        let days: Vec<NaiveDate> = store
            .events_page(
                &filter,
                order,
                before,
                list.window_start - before + list.rows.len(),
            )
            .unwrap()
            .iter()
            .map(|e| e.date.first())
            .collect();
        let mut expected_gaps: Vec<Option<i64>> = days
            .windows(2)
            .map(|w| Some((w[1] - w[0]).num_days()))
            .collect();
        if list.window_start == 0 {
            expected_gaps.insert(0, None);
        }
        let gaps: Vec<Option<i64>> = list.rows.iter().map(|r| r.gap).collect();
        assert_eq!(gaps, expected_gaps, "history gaps after {keys}");
        assert!(list.selected_row().is_some(), "history after {keys}");
    }
    assert_eq!(app.history.list.selected, 399);
}

/// Past 10,000 matches the status gives their number without counting which one is selected;
/// a common word is found in the next rows without listing all its matches.
#[test]
fn a_search_with_very_many_matches_says_how_many() {
    let mut store = Store::open_in_memory().unwrap();
    let mut csv = String::from("date,title,participants\n");
    for i in 0..10_050 {
        csv.push_str(&format!("2001-01-{:02},Talks {i},(RU)\n", 1 + i % 28));
    }
    attache::interchange::csv::import(
        &mut store,
        std::io::Cursor::new(csv.as_bytes()),
        "events.csv",
        attache::interchange::csv::ReadOptions::default(),
        |_, _| {},
    )
    .unwrap();
    let mut app = App::new(today());
    app.viewport = 10;
    app.sync(&mut store);
    press(&mut app, &mut store, "/");
    type_text(&mut app, &mut store, "talks 1");
    assert_eq!(
        status(&app),
        "match 1 of 1,161",
        "Talks 1, 10 to 19, 100 to 199, 1000 to 1999, 10000 to 10049"
    );
    press(&mut app, &mut store, "Esc Esc /");
    type_text(&mut app, &mut store, "tal");
    assert_eq!(status(&app), "one of more than 10,000 matches");
    type_text(&mut app, &mut store, "ks 9999");
    assert_eq!(status(&app), "match 1 of 1");
}

fn select_person(app: &mut App, store: &mut Store, name: &str) {
    press(app, store, "2 /");
    type_text(app, store, name);
    press(app, store, "Enter");
    assert_eq!(app.people.selected_person().unwrap().person.name, name);
}

#[test]
fn people_are_edited_merged_and_deleted_in_the_people_view() {
    let (mut app, mut store) = seeded();
    let mut draft = attache::domain::EventDraft::new(
        attache::domain::FuzzyDate::parse_iso("2026-04-15").unwrap(),
        "Lavrov and Rubio again",
    );
    draft.participants = vec![
        attache::domain::DraftParticipant {
            name: "Sergej Lavrow".into(),
            side: attache::domain::Country::parse("RU").unwrap(),
            head: false,
        },
        attache::domain::DraftParticipant {
            name: "Marco Rubio".into(),
            side: attache::domain::Country::parse("US").unwrap(),
            head: false,
        },
    ];
    store
        .add_event(&draft, attache::store::NewPeople::Create)
        .unwrap();
    app.sync(&mut store);

    // e: the person form, its fields, saved and undone.
    select_person(&mut app, &mut store, "Sergej Lavrow");
    press(&mut app, &mut store, "e");
    let form = app.person_form().unwrap();
    assert_eq!(form.fields[0].value(), "Sergej Lavrow");
    assert_eq!(form.fields[1].value(), "", "no short name set");
    assert_eq!(
        form.fields[2].value(),
        "",
        "no country from the side first seen on: home is the usual side until one is given"
    );
    press(&mut app, &mut store, "Tab Tab Tab");
    type_text(&mut app, &mut store, "Sergei Lawrow");
    press(&mut app, &mut store, "Tab");
    type_text(&mut app, &mut store, "Сергей Лавров");
    press(&mut app, &mut store, "C-s");
    assert!(
        app.person_form().is_some(),
        "a native name of another is refused"
    );
    assert!(
        status(&app).contains("is already a name of Sergey Lavrov"),
        "{}",
        status(&app)
    );
    press(&mut app, &mut store, "C-u C-s");
    assert!(app.person_form().is_none());
    assert_eq!(status(&app), "saved Sergej Lavrow; u undoes");
    assert_eq!(
        store.resolve_person("Sergei Lawrow").unwrap().name,
        "Sergej Lavrow"
    );
    press(&mut app, &mut store, "u");
    assert_eq!(status(&app), "undid editing Sergej Lavrow");
    assert!(store.resolve_person("Sergei Lawrow").is_err());

    // d: a person with events is not deleted.
    select_person(&mut app, &mut store, "Sergej Lavrow");
    press(&mut app, &mut store, "d");
    assert!(app.question().is_none());
    assert!(
        status(&app).starts_with("Sergej Lavrow takes part in 1 event;"),
        "{}",
        status(&app)
    );

    // m: merged into the person chosen by name, after a question naming both.
    press(&mut app, &mut store, "m");
    type_text(&mut app, &mut store, "lavr");
    assert_eq!(
        app.prompt().unwrap().hint.as_deref(),
        Some("  → Sergey Lavrov (Tab completes)")
    );
    press(&mut app, &mut store, "Tab");
    assert_eq!(app.prompt().unwrap().input.value(), "Sergey Lavrov");
    press(&mut app, &mut store, "Enter");
    assert_eq!(
        app.question().unwrap().subject,
        "Merge Sergej Lavrow into Sergey Lavrov: 1 event move to Sergey Lavrov, and \"Sergej Lavrow\" becomes an alias"
    );
    press(&mut app, &mut store, "y");
    assert_eq!(
        status(&app),
        "merged Sergej Lavrow into Sergey Lavrov: 1 event moved; u undoes"
    );
    assert_eq!(
        store.resolve_person("Sergej Lavrow").unwrap().name,
        "Sergey Lavrov"
    );
    assert!(
        !app.people
            .people
            .iter()
            .any(|p| p.person.name == "Sergej Lavrow")
    );
    press(&mut app, &mut store, "u");
    assert_eq!(
        status(&app),
        "undid merging Sergej Lavrow into Sergey Lavrov"
    );
    assert!(
        app.people
            .people
            .iter()
            .any(|p| p.person.name == "Sergej Lavrow" && p.events == 1)
    );

    // d on a person left without events: asked, deleted, and undone.
    press(&mut app, &mut store, "1 G d y");
    assert!(status(&app).starts_with("deleted #37"), "{}", status(&app));
    select_person(&mut app, &mut store, "Sergej Lavrow");
    assert_eq!(app.people.selected_person().unwrap().events, 0);
    press(&mut app, &mut store, "d");
    assert_eq!(
        app.question().unwrap().subject,
        "Delete Sergej Lavrow, who takes part in no event"
    );
    press(&mut app, &mut store, "y");
    assert_eq!(status(&app), "deleted Sergej Lavrow; u undoes");
    assert!(store.resolve_person("Sergej Lavrow").is_err());
    press(&mut app, &mut store, "u");
    assert_eq!(
        store.resolve_person("Sergej Lavrow").unwrap().name,
        "Sergej Lavrow"
    );
    assert!(store.kept_count_differences().unwrap().is_empty());
}

#[test]
fn the_filter_finds_people_by_their_aliases() {
    let (mut app, mut store) = seeded();
    press(&mut app, &mut store, "f");
    type_text(&mut app, &mut store, "person:\"Sergei Lavrov\"");
    press(&mut app, &mut store, "Enter");
    let by_alias = app.timeline.total;
    press(&mut app, &mut store, "f C-u");
    type_text(&mut app, &mut store, "person:lavrov");
    press(&mut app, &mut store, "Enter");
    assert_eq!(app.timeline.total, by_alias);
    assert_eq!(by_alias, 4, "{}", status(&app));
}

/// The interface checks the newest events at start and says when the record needs `verify`,
/// after any notice it was started with; a sound record starts without a word.
#[test]
fn a_record_that_needs_verify_says_so_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("needs-verify.db");
    {
        let mut store = Store::open(&path).unwrap();
        attache::interchange::seed(&mut store).unwrap();
    }
    let start = |notice: Option<&str>| {
        let mut store = Store::open(&path).unwrap();
        let mut app = App::new(today());
        app.status = notice.map(str::to_string);
        app.sync(&mut store);
        app.status
    };
    assert_eq!(start(None), None);
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch(
            "UPDATE event SET search_text = 'stale' WHERE id = (SELECT max(id) FROM event)",
        )
        .unwrap();
    let said = start(None).unwrap_or_default();
    assert!(
        said == "the record needs `attache verify` (search index)",
        "{said}"
    );
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch("UPDATE person SET events = 0")
        .unwrap();
    assert_eq!(
        start(None).unwrap_or_default(),
        "the record needs `attache verify` (kept counts, search index)",
        "each part once, in the order verify lists them"
    );
    let said = start(Some("created the database")).unwrap_or_default();
    assert!(
        said.starts_with("created the database · the record needs `attache verify`"),
        "{said}"
    );
}

/// A short name set in the person form labels the person's events in the timeline at once;
/// undone, the family name is back.
#[test]
fn a_short_name_set_in_the_form_relabels_the_heads() {
    let (mut app, mut store) = seeded();
    select_person(&mut app, &mut store, "Steve Witkoff");
    press(&mut app, &mut store, "e Tab");
    type_text(&mut app, &mut store, "Envoy");
    press(&mut app, &mut store, "C-s");
    assert_eq!(status(&app), "saved Steve Witkoff; u undoes");
    press(&mut app, &mut store, "1");
    assert_eq!(app.timeline.row(0).unwrap().heads, "Envoy–Putin");
    press(&mut app, &mut store, "u");
    assert_eq!(app.timeline.row(0).unwrap().heads, "Putin–Witkoff");
}

#[test]
fn a_summits_detail_shows_the_pairs_that_met_before_and_one_line_for_the_rest() {
    let (mut app, mut store) = seeded();
    let mut draft = attache::domain::EventDraft::new(
        attache::domain::FuzzyDate::parse_iso("2026-06-15").unwrap(),
        "G7 summit",
    );
    draft.participants = [
        ("Vladimir Putin", "RU", true),
        ("Sergey Lavrov", "RU", false),
        ("Donald Trump", "US", true),
        ("Marco Rubio", "US", false),
        ("Mark Carney", "CA", false),
        ("Emmanuel Macron", "FR", false),
        ("Friedrich Merz", "DE", false),
        ("Giorgia Meloni", "IT", false),
    ]
    .into_iter()
    .map(|(name, side, head)| attache::domain::DraftParticipant {
        name: name.into(),
        side: attache::domain::Country::parse(side).unwrap(),
        head,
    })
    .collect();
    store
        .add_event(&draft, attache::store::NewPeople::Create)
        .unwrap();
    app.reload();
    app.sync(&mut store);
    press(&mut app, &mut store, "G");
    assert_eq!(selected_title(&app), "G7 summit");
    let detail = app.timeline.detail.as_ref().unwrap();
    // Each line's sentence, before the previous meeting.
    let sentences: Vec<&str> = (detail.facts.ordinals.iter())
        .map(|l| l.split(" · ").next().unwrap())
        .collect();
    // Six heads make fifteen pairs; only Putin and Trump had met, and the seed's prior for
    // them is disputed (5 by TIME, 6 by The Times of India and Charter97).
    assert_eq!(
        sentences,
        [
            "7th, or 8th by the count of The Times of India and Charter97, face-to-face meeting between Vladimir Putin and Donald Trump, counting 5 before this record"
        ]
    );
    assert_eq!(
        detail.facts.firsts.as_deref(),
        Some("first face-to-face meetings in this record: 14 pairs")
    );
}

#[test]
fn the_chart_zooms_moves_brushes_and_comes_back() {
    let (mut app, mut store) = seeded();
    press(&mut app, &mut store, "5");
    assert_eq!(app.view, View::Chart);
    // Ten bars fit: the record's fourteen months are shown as five quarters, the last under
    // the cursor.
    assert_eq!(app.chart.unit, Unit::Quarter);
    assert_eq!(app.chart.periods, 5);
    assert_eq!(app.chart.cursor, 4);
    let total: usize = app.chart.bars.iter().map(|b| b.tally.total()).sum();
    assert_eq!(total, 36);

    press(&mut app, &mut store, "+");
    assert_eq!(app.chart.unit, Unit::Month);
    assert_eq!(app.chart.periods, 14);
    assert_eq!(
        app.chart.cursor_start(),
        NaiveDate::from_ymd_opt(2026, 1, 1)
    );
    assert_eq!(app.status.as_deref(), Some("one bar a month: 14 months"));
    press(&mut app, &mut store, "l");
    let february = app.chart.cursor_bar().unwrap().tally.total();
    assert!(app.chart.cursor_phrase().starts_with("Feb 2026: "));

    press(&mut app, &mut store, "Enter");
    assert_eq!(app.view, View::Timeline);
    assert_eq!(app.timeline.filter_text, "from:2026-02-01 to:2026-02-28");
    assert_eq!(app.timeline.total, february);

    press(&mut app, &mut store, "Esc");
    assert_eq!(app.view, View::Chart);
    assert_eq!(app.timeline.filter_text, "");
    assert_eq!(app.chart.unit, Unit::Month);
    assert_eq!(
        app.chart.cursor_start(),
        NaiveDate::from_ymd_opt(2026, 2, 1)
    );
    // A second Esc is the ordinary one: back to the view before the chart.
    press(&mut app, &mut store, "Esc");
    assert_eq!(app.view, View::Timeline);
}

#[test]
fn the_chart_keeps_empty_periods_and_moves_within_them() {
    let (mut app, mut store) = seeded();
    press(&mut app, &mut store, "5 + + g");
    assert_eq!(app.chart.unit, Unit::Week);
    assert_eq!(app.chart.cursor, 0);
    assert_eq!(app.chart.bars.len(), 10);
    assert!(app.chart.bars.iter().any(|b| b.tally.total() == 0));
    press(&mut app, &mut store, "h");
    assert_eq!(app.chart.cursor, 0);
    press(&mut app, &mut store, "PgDn l");
    assert_eq!(app.chart.cursor, 11);
    assert_eq!(app.chart.scroll, 2);
    press(&mut app, &mut store, "G");
    assert_eq!(app.chart.cursor, app.chart.periods - 1);
    press(&mut app, &mut store, "+ +");
    assert_eq!(app.chart.unit, Unit::Day);
    assert_eq!(
        app.status.as_deref(),
        Some("the chart is at its finest already: day")
    );
    press(&mut app, &mut store, "- - - - - -");
    assert_eq!(app.chart.unit, Unit::Decade);
    assert_eq!(app.chart.periods, 1);
}

#[test]
fn the_chart_follows_the_filter_and_a_brush_keeps_it() {
    let (mut app, mut store) = seeded();
    press(&mut app, &mut store, "f");
    type_text(&mut app, &mut store, "kind:call");
    press(&mut app, &mut store, "Enter 5");
    assert_eq!(app.chart.filter_text, "kind:call");
    assert!(app.chart.split);
    let calls: usize = app.chart.bars.iter().map(|b| b.tally.0[2]).sum();
    let all: usize = app.chart.bars.iter().map(|b| b.tally.total()).sum();
    assert!(calls > 0);
    assert_eq!(calls, all);
    press(&mut app, &mut store, "Enter");
    assert!(
        app.timeline
            .filter_text
            .starts_with("kind:call from:2026-01-01 to:2026-03-31"),
        "{}",
        app.timeline.filter_text
    );
    press(&mut app, &mut store, "Esc");
    assert_eq!(app.timeline.filter_text, "kind:call");
    assert_eq!(app.view, View::Chart);
}

#[test]
fn the_calendar_moves_with_the_arrows_and_goes_to_its_day() {
    let (mut app, mut store) = seeded();
    press(&mut app, &mut store, "t");
    let calendar = app.calendar.as_ref().unwrap();
    assert_eq!(calendar.day, NaiveDate::from_ymd_opt(2025, 2, 11).unwrap());
    // February 2025: 11, 12, 18 and 27 hold events.
    let marked: Vec<u32> = (1..=28).filter(|d| calendar.events_on(*d) > 0).collect();
    assert_eq!(marked, [11, 12, 18, 27]);
    press(&mut app, &mut store, "Down PgDn");
    let calendar = app.calendar.as_ref().unwrap();
    assert_eq!(calendar.day, NaiveDate::from_ymd_opt(2025, 3, 18).unwrap());
    assert_eq!(calendar.events_on(18), 1);
    press(&mut app, &mut store, "Enter");
    assert!(app.prompt().is_none());
    assert!(app.calendar.is_none());
    assert_eq!(selected_date(&app), "2025-03-18");
    // Typing a date still works, and the arrows then edit what is typed.
    press(&mut app, &mut store, "t");
    type_text(&mut app, &mut store, "2025-08-15");
    press(&mut app, &mut store, "Left Enter");
    assert_eq!(selected_date(&app), "2025-08-15");
}

#[test]
fn a_pair_s_meetings_have_their_gaps() {
    let (mut app, mut store) = seeded();
    press(&mut app, &mut store, "4 Right Enter");
    let cell = app.stats.cell().unwrap();
    assert_eq!(cell.count(), 7);
    assert_eq!(
        cell.gaps(),
        [
            None,
            Some(30),
            Some(29),
            Some(14),
            Some(103),
            Some(118),
            Some(51)
        ]
    );
}
