//! What each view draws, at 80×24, at 160×48 and at sizes too small to be useful (which must
//! draw what fits and never panic).

#![allow(clippy::unwrap_used, reason = "a test fails loudly by design")]

#[path = "common/keys.rs"]
mod keys;

use attache::app::{App, View};
use attache::domain::date::DateStyle;
use attache::store::Store;
use attache::ui::{self, Theme};
use chrono::NaiveDate;
use keys::{press, type_text};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;

const THEME: Theme = Theme::PLAIN;

fn seeded() -> (App, Store) {
    let mut store = Store::open_in_memory().unwrap();
    attache::interchange::seed(&mut store).unwrap();
    let app = App::new(NaiveDate::from_ymd_opt(2026, 11, 27).unwrap());
    (app, store)
}

/// Sizes the lists for the terminal, syncs and draws, as the loop does.
fn draw(app: &mut App, store: &mut Store, width: u16, height: u16) -> Terminal<TestBackend> {
    let area = Rect::new(0, 0, width, height);
    app.viewport = ui::list_rows(area, app).max(1);
    app.sync(store);
    app.viewport = ui::list_rows(area, app).max(1);
    app.sync(store);
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| ui::draw(frame, app, &THEME)).unwrap();
    terminal
}

/// Opens a view the way a user would, then snapshots it at both sizes.
fn snapshot_both(name: &str, keys: &str) {
    for (width, height) in [(80, 24), (160, 48)] {
        let (mut app, mut store) = seeded();
        draw(&mut app, &mut store, width, height);
        press(&mut app, &mut store, keys);
        let terminal = draw(&mut app, &mut store, width, height);
        insta::assert_snapshot!(format!("{name}_{width}x{height}"), terminal.backend());
    }
}

#[test]
fn timeline() {
    snapshot_both("timeline", "");
}

/// Two interfaces in one process, one in each date style, drawn in turn: the style is each
/// interface's own.
#[test]
fn two_date_styles_side_by_side() {
    let (mut human, mut store) = seeded();
    let mut iso = App::new(human.today);
    iso.date_style = DateStyle::Iso;
    let first = draw(&mut iso, &mut store, 160, 48).backend().to_string();
    let second = draw(&mut human, &mut store, 160, 48).backend().to_string();
    let again = draw(&mut iso, &mut store, 160, 48).backend().to_string();
    let date = iso.timeline.selected_event().unwrap().date;
    assert_eq!(
        date.to_iso().len(),
        10,
        "the first event is dated to the day"
    );
    for iso_screen in [&first, &again] {
        assert!(iso_screen.contains(&date.to_iso()), "{iso_screen}");
        assert!(
            !iso_screen.contains(&date.display(DateStyle::Human)),
            "{iso_screen}"
        );
    }
    assert!(second.contains(&date.display(DateStyle::Human)), "{second}");
    assert!(!second.contains(&date.to_iso()), "{second}");
}

#[test]
fn timeline_at_the_founding_event() {
    for (width, height) in [(80, 24), (160, 48)] {
        let (mut app, mut store) = seeded();
        draw(&mut app, &mut store, width, height);
        press(&mut app, &mut store, "t");
        type_text(&mut app, &mut store, "2025-04-11");
        press(&mut app, &mut store, "Enter Tab");
        let terminal = draw(&mut app, &mut store, width, height);
        insta::assert_snapshot!(
            format!("founding_event_{width}x{height}"),
            terminal.backend()
        );
    }
}

#[test]
fn people() {
    snapshot_both("people", "2");
}

#[test]
fn history() {
    snapshot_both("history", "j j j j j j j j j 3");
}

#[test]
fn stats() {
    snapshot_both("stats", "4");
}

#[test]
fn stats_cell() {
    snapshot_both("stats_cell", "4 Right Enter");
}

#[test]
fn help() {
    snapshot_both("help", "?");
}

#[test]
fn filter_prompt_with_an_error() {
    let (mut app, mut store) = seeded();
    press(&mut app, &mut store, "f");
    type_text(&mut app, &mut store, "side:XX");
    press(&mut app, &mut store, "Enter");
    let terminal = draw(&mut app, &mut store, 80, 24);
    insta::assert_snapshot!("filter_error_80x24", terminal.backend());
    let terminal = draw(&mut app, &mut store, 160, 48);
    insta::assert_snapshot!("filter_error_160x48", terminal.backend());
}

#[test]
fn welcome_on_an_empty_database() {
    for (width, height) in [(80, 24), (160, 48)] {
        let mut store = Store::open_in_memory().unwrap();
        let mut app = App::new(NaiveDate::from_ymd_opt(2026, 11, 27).unwrap());
        let terminal = draw(&mut app, &mut store, width, height);
        insta::assert_snapshot!(format!("welcome_{width}x{height}"), terminal.backend());
    }
}

#[test]
fn wide_characters_keep_columns_aligned() {
    let mut store = Store::open_in_memory().unwrap();
    let mut app = App::new(NaiveDate::from_ymd_opt(2026, 11, 27).unwrap());
    let mut cmd = attache::domain::EventDraft::new(
        attache::domain::FuzzyDate::parse_iso("2025-05-01").unwrap(),
        "習近平與普京會談 in Moscow",
    );
    cmd.place.city = "Москва".into();
    cmd.participants = vec![
        attache::domain::DraftParticipant {
            name: "習近平".into(),
            side: attache::domain::Country::parse("CN").unwrap(),
            head: false,
        },
        attache::domain::DraftParticipant {
            name: "Владимир Путин".into(),
            side: attache::domain::Country::parse("RU").unwrap(),
            head: false,
        },
    ];
    store
        .add_event(&cmd, attache::store::NewPeople::Create)
        .unwrap();
    let terminal = draw(&mut app, &mut store, 80, 24);
    let buffer = terminal.backend().buffer();
    // The badge column starts at the same cell on the header and on the wide row.
    let line = |y: u16| {
        (0..80)
            .map(|x| buffer[(x, y)].symbol().to_string())
            .collect::<String>()
    };
    let header = line(1);
    let row = line(3);
    assert_eq!(
        header.find("NTH").map(|i| header[..i].chars().count()),
        Some(77),
        "{header}"
    );
    assert!(row.ends_with("1st"), "{row:?}");
    insta::assert_snapshot!("wide_characters_80x24", terminal.backend());
}

#[test]
fn tiny_terminals_draw_what_fits() {
    for view in ["1", "2", "3", "4", "?"] {
        for (width, height) in [(1, 1), (2, 2), (10, 3), (20, 5), (40, 8)] {
            let (mut app, mut store) = seeded();
            draw(&mut app, &mut store, width, height);
            press(&mut app, &mut store, view);
            let terminal = draw(&mut app, &mut store, width, height);
            assert_eq!(
                terminal.backend().buffer().area,
                Rect::new(0, 0, width, height)
            );
        }
    }
    let (mut app, mut store) = seeded();
    let terminal = draw(&mut app, &mut store, 20, 5);
    insta::assert_snapshot!("timeline_20x5", terminal.backend());
    assert_eq!(app.view, View::Timeline);
}

#[test]
fn no_color_draws_without_colours() {
    use ratatui::style::Color;
    let colours_used = |theme: Theme| {
        let (mut app, mut store) = seeded();
        press(&mut app, &mut store, "/");
        type_text(&mut app, &mut store, "Istanbul");
        press(&mut app, &mut store, "Enter");
        let area = Rect::new(0, 0, 120, 30);
        app.viewport = ui::list_rows(area, &app);
        app.sync(&mut store);
        let mut terminal = Terminal::new(TestBackend::new(120, 30)).unwrap();
        terminal
            .draw(|frame| ui::draw(frame, &app, &theme))
            .unwrap();
        terminal
            .backend()
            .buffer()
            .content()
            .iter()
            .filter(|cell| cell.fg != Color::Reset || cell.bg != Color::Reset)
            .count()
    };
    assert_eq!(colours_used(Theme::PLAIN), 0);
    assert!(
        colours_used(Theme {
            color: true,
            ..Theme::PLAIN
        }) > 0
    );
}

#[test]
fn entry_form() {
    for (width, height) in [(80, 24), (160, 48)] {
        let (mut app, mut store) = seeded();
        draw(&mut app, &mut store, width, height);
        press(&mut app, &mut store, "a");
        type_text(&mut app, &mut store, "Witkoff and Kushner meet Putin");
        press(&mut app, &mut store, "Tab");
        type_text(&mut app, &mut store, "22 Jan 2026");
        press(&mut app, &mut store, "Tab Tab Tab Tab Tab");
        type_text(&mut app, &mut store, "Mosc");
        let terminal = draw(&mut app, &mut store, width, height);
        insta::assert_snapshot!(
            format!("form_completing_{width}x{height}"),
            terminal.backend()
        );
        press(&mut app, &mut store, "Enter Tab Tab");
        type_text(&mut app, &mut store, "putin");
        press(&mut app, &mut store, "Tab");
        type_text(&mut app, &mut store, "XX");
        press(&mut app, &mut store, "Tab Space Tab");
        type_text(&mut app, &mut store, "Nobody Known");
        press(&mut app, &mut store, "C-s");
        let terminal = draw(&mut app, &mut store, width, height);
        insta::assert_snapshot!(format!("form_refused_{width}x{height}"), terminal.backend());
    }
}

#[test]
fn delete_confirmation() {
    snapshot_both("delete_confirmation", "j d");
}

#[test]
fn overwrite_question() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("taken.csv");
    std::fs::write(&path, "").unwrap();
    for (width, height) in [(80, 24), (160, 48)] {
        let (mut app, mut store) = seeded();
        draw(&mut app, &mut store, width, height);
        press(&mut app, &mut store, "x C-u");
        type_text(&mut app, &mut store, path.to_str().unwrap());
        press(&mut app, &mut store, "Enter");
        let terminal = draw(&mut app, &mut store, width, height);
        let text = screen_lines(&terminal).join("\n");
        assert!(
            text.contains("exists. Overwrite it? y overwrites, n goes back"),
            "{text}"
        );
        let shown: Vec<String> = text
            .replace(&dir.path().display().to_string(), "DIR")
            .lines()
            .map(|l| l.trim_end().to_string())
            .collect();
        let shown = shown.join("\n");
        insta::assert_snapshot!(format!("overwrite_question_{width}x{height}"), shown);
    }
}

#[test]
fn a_click_selects_the_row_under_it() {
    use attache::app::Action;
    let (mut app, mut store) = seeded();
    let terminal = draw(&mut app, &mut store, 80, 24);
    let buffer = terminal.backend().buffer().clone();
    let line = |y: u16| {
        (0..80)
            .map(|x| buffer[(x, y)].symbol().to_string())
            .collect::<String>()
    };
    let y = (0..24)
        .find(|y| line(*y).starts_with(" #5 13 Mar 2025"))
        .expect("the row is on screen");
    let area = Rect::new(0, 0, 80, 24);
    let index = ui::row_at(area, &app, 20, y).expect("a row under the click");
    app.update(Action::Select(index));
    app.sync(&mut store);
    assert_eq!(
        app.timeline.selected_row().unwrap().event.date.to_iso(),
        "2025-03-13"
    );
    let heading = (0..24)
        .find(|y| line(*y).starts_with("── March 2025"))
        .unwrap();
    assert_eq!(
        ui::row_at(area, &app, 20, heading),
        None,
        "a heading is not a row"
    );
    assert_eq!(ui::row_at(area, &app, 20, 0), None, "nor is the tab bar");
}

/// Keys, then text typed a character at a time, then more keys; snapshot at both sizes.
fn snapshot_typed(name: &str, steps: &[(&str, &str)]) {
    for (width, height) in [(80, 24), (160, 48)] {
        let (mut app, mut store) = seeded();
        draw(&mut app, &mut store, width, height);
        for (keys, text) in steps {
            press(&mut app, &mut store, keys);
            type_text(&mut app, &mut store, text);
        }
        let terminal = draw(&mut app, &mut store, width, height);
        insta::assert_snapshot!(format!("{name}_{width}x{height}"), terminal.backend());
    }
}

#[test]
fn every_prompt_takes_any_script() {
    snapshot_typed("typed_search", &[("/", "Путин")]);
    snapshot_typed("typed_filter", &[("f", "person:Путин кремль")]);
    snapshot_typed("typed_date", &[("t", "11 апреля 2025–")]);
    snapshot_typed("typed_help_filter", &[("? /", "習近平 👍🏽")]);
    snapshot_typed("typed_export", &[("x C-u", "~/экспорт 習近平.csv")]);
    snapshot_typed("typed_people_search", &[("2 /", "Дарч")]);
    snapshot_typed("typed_history_search", &[("2 G Enter /", "İstanbul")]);
}

#[test]
fn the_form_takes_any_script_in_every_field() {
    snapshot_typed(
        "typed_form",
        &[
            ("a", "Trump–Putin встреча 習近平 👍🏽"),
            ("Tab", "11 апреля 2025"),
            ("Tab Tab Tab Tab Tab", "Arnavutköy"),
            ("Tab", "TR"),
            ("Tab", "قصر e\u{301}"),
            ("Tab Enter", "Владимир Путин"),
            ("Tab", "RU"),
            ("Tab Space Tab Enter", "習近平"),
            ("Tab", "ZZ"),
            ("Tab Space Tab Tab Enter", "ТАСС"),
            ("Tab", "Песков"),
            ("Tab", "not a url"),
            ("C-s", ""),
        ],
    );
}

fn screen_lines(terminal: &Terminal<TestBackend>) -> Vec<String> {
    let buffer = terminal.backend().buffer();
    (0..buffer.area.height)
        .map(|y| {
            (0..buffer.area.width)
                .map(|x| buffer[(x, y)].symbol().to_string())
                .collect()
        })
        .collect()
}

#[test]
fn a_month_heading_always_has_its_label_and_a_row_under_it() {
    let (mut app, mut store) = seeded();
    for height in 6..=24 {
        for keys in ["g", "j j j"] {
            press(&mut app, &mut store, keys);
            let terminal = draw(&mut app, &mut store, 80, height);
            let lines = screen_lines(&terminal);
            for line in lines.iter().filter(|l| l.starts_with("──")) {
                let label = line.trim_matches(|c: char| c == '─' || c.is_whitespace());
                assert!(
                    !label.is_empty(),
                    "an empty heading at height {height}:\n{}",
                    lines.join("\n")
                );
            }
        }
    }
}

#[test]
fn counts_of_one_are_singular() {
    let (mut app, mut store) = seeded();
    press(&mut app, &mut store, "2 /");
    type_text(&mut app, &mut store, "Faisal");
    press(&mut app, &mut store, "Enter Enter");
    let terminal = draw(&mut app, &mut store, 80, 24);
    let text = screen_lines(&terminal).join("\n");
    assert!(
        text.contains("1 event ") && !text.contains("1 events"),
        "{text}"
    );
}

#[test]
fn stored_control_characters_show_and_keep_the_columns() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hostile.db");
    let mut store = Store::open(&path).unwrap();
    attache::interchange::seed(&mut store).unwrap();
    drop(store);
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute(
        "UPDATE event SET title = ?1 WHERE id = 1",
        ["Talks\u{1b}]52;c;aGk=\u{7}\u{1b}[2J\u{202e}end"],
    )
    .unwrap();
    drop(conn);
    // Written behind attache's back, so its search text is stale. The check at start samples
    // the newest events only, and #1 is the oldest of the bundled record's 36, so the status
    // bar stays quiet here (tui_state covers what it says when the sample finds something).
    let mut store = Store::open(&path).unwrap();
    let mut app = App::new(NaiveDate::from_ymd_opt(2026, 11, 27).unwrap());
    for (width, height) in [(80, 24), (160, 48)] {
        let terminal = draw(&mut app, &mut store, width, height);
        let lines = screen_lines(&terminal);
        assert!(
            lines
                .iter()
                .all(|l| !l.contains('\u{1b}') && !l.contains('\u{202e}'))
        );
        let nth = lines[1].find("NTH").unwrap();
        let row = &lines[3];
        assert!(row.contains("Talks\\u{1b}"), "{row}");
        assert_eq!(
            row.char_indices()
                .nth(lines[1][..nth].chars().count())
                .map(|(_, c)| c),
            Some('1'),
            "{}",
            lines.join("\n")
        );
        insta::assert_snapshot!(
            format!("hostile_title_{width}x{height}"),
            terminal.backend()
        );
    }
}

#[test]
fn person_form() {
    snapshot_both("person_form", "2 / W i t k o f f Enter e");
}

#[test]
fn merge_prompt_with_completion() {
    snapshot_both("merge_prompt", "2 / K a r a s Enter m B e s");
}

/// A count claim in the form: what is counted, who, where, the number and the scope, each a
/// field of its own.
#[test]
fn form_with_a_count_claim() {
    use attache::app::form::Slot;
    let (mut app, mut store) = seeded();
    draw(&mut app, &mut store, 80, 24);
    press(&mut app, &mut store, "t");
    type_text(&mut app, &mut store, "2025-12-02");
    press(&mut app, &mut store, "Enter e");
    for _ in 0..100 {
        if app.form().unwrap().focus != Slot::AddClaim {
            press(&mut app, &mut store, "Tab");
        }
    }
    press(
        &mut app,
        &mut store,
        "Enter Right Right Right Right Right Tab Right Right Right Tab",
    );
    for (text, keys) in [
        ("witk", "Enter"),
        ("RU", "Tab"),
        ("6", "Tab"),
        ("2025", "Tab Tab"),
        ("Special Envoy", "Tab"),
        ("the sixth visit this year", "Tab"),
        ("1", ""),
    ] {
        type_text(&mut app, &mut store, text);
        press(&mut app, &mut store, keys);
    }
    let terminal = draw(&mut app, &mut store, 80, 24);
    insta::assert_snapshot!("form_count_claim_80x24", terminal.backend());
}

/// A published count of trips is set against the record's own trips over the same scope, and a
/// disagreement is drawn as one.
#[test]
fn a_count_of_trips_is_set_against_the_record_in_the_detail() {
    use attache::domain::claim::{Aspect, Claim, Counted, Destination, PublishedCount};
    let (mut app, mut store) = seeded();
    let mut draft =
        attache::domain::record::EventRecord::from_event(&store.event(25).unwrap(), vec![])
            .to_draft()
            .unwrap();
    draft.claims.push(Claim {
        aspect: Aspect::Count,
        value: "his fifth trip to Russia this year".into(),
        sources: vec![0],
        note: String::new(),
        count: Some(PublishedCount {
            people: vec!["Steve Witkoff".into()],
            counted: Counted::Trips(Destination::Country(
                attache::domain::Country::parse("RU").unwrap(),
            )),
            number: 5,
            scope: attache::domain::scope::Scope::year(2025).unwrap(),
        }),
    });
    store
        .edit_event(25, &draft, attache::store::NewPeople::Refuse)
        .unwrap();
    let theme = Theme {
        color: true,
        ..Theme::PLAIN
    };
    draw(&mut app, &mut store, 160, 48);
    press(&mut app, &mut store, "t");
    type_text(&mut app, &mut store, "2025-12-02");
    press(&mut app, &mut store, "Enter Tab");
    let area = Rect::new(0, 0, 160, 48);
    app.viewport = ui::list_rows(area, &app).max(1);
    app.sync(&mut store);
    let mut terminal = Terminal::new(TestBackend::new(160, 48)).unwrap();
    terminal
        .draw(|frame| ui::draw(frame, &app, &theme))
        .unwrap();
    let buffer = terminal.backend().buffer();
    let style_of = |text: &str| {
        (0..48).find_map(|y| {
            let line: String = (0..160).map(|x| buffer[(x, y)].symbol()).collect();
            let at = line.find(text)?;
            let x = u16::try_from(line[..at].chars().count()).ok()?;
            Some(buffer[(x, y)].fg)
        })
    };
    assert_eq!(
        style_of("TASS counts the 5th in 2025; this record counts the 6th ≠"),
        theme.error().fg
    );
    assert_eq!(style_of("TASS called this the 6th"), theme.ordinal().fg);
}

/// Two presidents Bush: the matrix's rows and columns and the timeline's heads tell them apart
/// by their initials, where their family name alone would read "Bush" twice.
#[test]
fn two_people_of_one_family_name_are_told_apart() {
    use attache::domain::{Country, DraftParticipant, EventDraft, FuzzyDate};
    let mut store = Store::open_in_memory().unwrap();
    for (date, title, city, country, heads) in [
        (
            "1990-05-31",
            "Washington summit",
            "Washington",
            "US",
            [("George H. W. Bush", "US"), ("Mikhail Gorbachev", "SU")],
        ),
        (
            "1991-07-30",
            "Moscow summit",
            "Moscow",
            "SU",
            [("George H. W. Bush", "US"), ("Mikhail Gorbachev", "SU")],
        ),
        (
            "2001-06-16",
            "Brdo summit",
            "Kranj",
            "SI",
            [("George W. Bush", "US"), ("Vladimir Putin", "RU")],
        ),
    ] {
        let mut draft = EventDraft::new(FuzzyDate::parse_iso(date).unwrap(), title);
        draft.place.city = city.into();
        draft.place.country = Country::parse(country).ok();
        draft.participants = heads
            .iter()
            .map(|(name, side)| DraftParticipant {
                name: (*name).into(),
                side: Country::parse(side).unwrap(),
                head: true,
            })
            .collect();
        store
            .add_event(&draft, attache::store::NewPeople::Create)
            .unwrap();
    }
    let mut app = App::new(NaiveDate::from_ymd_opt(2026, 11, 27).unwrap());
    let terminal = draw(&mut app, &mut store, 80, 24);
    insta::assert_snapshot!("two_bushes_timeline_80x24", terminal.backend());
    press(&mut app, &mut store, "4");
    let terminal = draw(&mut app, &mut store, 80, 24);
    insta::assert_snapshot!("two_bushes_matrix_80x24", terminal.backend());
}

/// The text of the screen's last line, the status bar.
fn status_line(terminal: &Terminal<TestBackend>) -> String {
    screen_lines(terminal).pop().unwrap()
}

#[test]
fn the_discard_question_is_asked_on_the_question_line() {
    let (mut app, mut store) = seeded();
    press(&mut app, &mut store, "a");
    type_text(&mut app, &mut store, "Draft");
    press(
        &mut app,
        &mut store,
        "Tab Tab Tab Tab Tab Tab Tab Tab Tab Tab Tab",
    );
    press(&mut app, &mut store, "Esc");
    let terminal = draw(&mut app, &mut store, 80, 24);
    let lines = screen_lines(&terminal);
    let (status, body) = lines.split_last().unwrap();
    assert!(status.contains("Discard your changes?"), "{status}");
    assert!(
        body.iter().all(|l| !l.contains("Discard")),
        "{}",
        body.join("\n")
    );
}

/// A side's problem never runs on from the head box's label: it takes a line of its own.
#[test]
fn a_sides_problem_stays_apart_from_the_head_box() {
    let (mut app, mut store) = seeded();
    press(
        &mut app,
        &mut store,
        "a Tab Tab Tab Tab Tab Tab Tab Tab Tab",
    );
    type_text(&mut app, &mut store, "Someone New");
    press(&mut app, &mut store, "Tab");
    type_text(&mut app, &mut store, "ZZ");
    press(&mut app, &mut store, "Tab");
    for width in [80, 160] {
        let lines = screen_lines(&draw(&mut app, &mut store, width, 30));
        let head = lines
            .iter()
            .position(|l| l.contains("heads the delegation"))
            .unwrap();
        assert!(
            !lines[head].contains("side: a country code"),
            "{}",
            lines[head]
        );
        assert!(
            lines[head + 1].contains("↑ side: a country code such as RU"),
            "{}",
            lines[head + 1]
        );
    }
}

/// At 140 columns the help is as wide as its lines, none of them cut.
#[test]
fn the_help_widens_to_its_lines() {
    let (mut app, mut store) = seeded();
    press(&mut app, &mut store, "?");
    let terminal = draw(&mut app, &mut store, 140, 45);
    let lines = screen_lines(&terminal);
    let filter = lines
        .iter()
        .find(|l| l.contains("filter the timeline by person"))
        .unwrap();
    assert!(!filter.contains('…'), "{filter}");
    let top = lines.iter().find(|l| l.contains("┌ Keys")).unwrap();
    assert!(top.trim().chars().count() > 80, "{top}");
}

/// The footer names the keys of the view and pane in use, as lazygit and htop do.
#[test]
fn the_footer_shows_the_keys_of_the_view_in_use() {
    let (mut app, mut store) = seeded();
    let footer = |app: &mut App, store: &mut Store, keys: &str| {
        press(app, store, keys);
        status_line(&draw(app, store, 140, 30))
    };
    let timeline = footer(&mut app, &mut store, "");
    for hint in [
        "?:help",
        "/:search",
        "f:filter",
        "t:date",
        "a:add",
        "Tab:detail",
    ] {
        assert!(timeline.contains(hint), "{hint}: {timeline}");
    }
    let detail = footer(&mut app, &mut store, "Tab");
    for hint in ["Tab:list", "o:link", "y:cite"] {
        assert!(detail.contains(hint), "{hint}: {detail}");
    }
    assert!(!detail.contains("f:filter"), "{detail}");
    let people = footer(&mut app, &mut store, "2");
    for hint in ["Enter:history", "s:sort", "m:merge"] {
        assert!(people.contains(hint), "{hint}: {people}");
    }
    assert!(!people.contains("t:date"), "{people}");
    let history = footer(&mut app, &mut store, "Enter");
    for hint in ["Enter:open", "x:export"] {
        assert!(history.contains(hint), "{hint}: {history}");
    }
    assert!(!history.contains("s:sort"), "{history}");
}

/// A history says its scope once, in the ordinal column's heading, and the column keeps each
/// ordinal in view, however long the titles.
#[test]
fn a_history_says_its_scope_once() {
    let (mut app, mut store) = seeded();
    press(&mut app, &mut store, "2 /");
    type_text(&mut app, &mut store, "Witkoff");
    press(&mut app, &mut store, "Enter Enter");
    let lines = screen_lines(&draw(&mut app, &mut store, 80, 24));
    let text = lines.join("\n");
    assert_eq!(
        text.to_lowercase().matches("in this record").count(),
        1,
        "{text}"
    );
    let heading = lines.iter().find(|l| l.starts_with("DATE")).unwrap();
    assert!(heading.contains("ORDINAL IN THIS RECORD"), "{heading}");
    for ordinal in [
        "1st meeting with Vladimir Putin; 1st visit to Russia",
        "in the US delegation",
    ] {
        assert!(text.contains(ordinal), "{ordinal}\n{text}");
    }
}

/// The history's header says how long before the selected event the person's previous one was.
#[test]
fn a_history_says_the_days_since_the_previous_event() {
    let (mut app, mut store) = seeded();
    press(&mut app, &mut store, "2 /");
    type_text(&mut app, &mut store, "Witkoff");
    press(&mut app, &mut store, "Enter Enter j j j j j j");
    let text = screen_lines(&draw(&mut app, &mut store, 80, 24)).join("\n");
    assert!(
        text.contains("6 Aug 2025: 103 days since Steve Witkoff's previous event"),
        "{text}"
    );
    assert!(text.contains("6 Aug 2025   +103 d"), "{text}");
}

#[test]
fn the_search_prompt_shows_the_count_while_typing() {
    let (mut app, mut store) = seeded();
    draw(&mut app, &mut store, 80, 24);
    press(&mut app, &mut store, "/");
    type_text(&mut app, &mut store, "Witk");
    let lines = screen_lines(&draw(&mut app, &mut store, 80, 24));
    let bottom = lines.last().unwrap();
    assert!(bottom.starts_with("/Witk"), "{bottom}");
    assert!(bottom.contains("match 1 of "), "{bottom}");
}

/// A list scrolled down in a small terminal fills a larger one from its first row when the
/// terminal grows, as the loop sizes the list again on a resize.
#[test]
fn a_resized_terminal_shows_the_list_from_the_top_when_it_all_fits() {
    let (mut app, mut store) = seeded();
    draw(&mut app, &mut store, 60, 20);
    press(&mut app, &mut store, "t");
    type_text(&mut app, &mut store, "2026-03-09");
    press(&mut app, &mut store, "Enter");
    assert!(app.timeline.scroll > 0);
    let lines = screen_lines(&draw(&mut app, &mut store, 200, 60));
    assert!(
        lines[2].starts_with("── February 2025"),
        "{}",
        lines.join("\n")
    );
    assert_eq!(app.timeline.scroll, 0);
    assert_eq!(app.timeline.selected, 34, "the selection stays");
}

/// The columns `ui::timeline` keeps at each width, in its stated order of giving way (KIND,
/// then PLACE, then #, then HEADS with NTH), and each column starting at its header's cell on
/// a row of co-heads named in Cyrillic and CJK.
#[test]
fn timeline_columns_give_way_in_their_stated_order_and_stay_aligned() {
    let all = ["#", "DATE", "KIND", "TITLE", "PLACE", "HEADS", "NTH"];
    for (width, height, shown) in [
        (60, 20, vec!["#", "DATE", "TITLE", "PLACE", "HEADS", "NTH"]),
        (80, 24, all.to_vec()),
        (140, 45, all.to_vec()),
        (200, 60, all.to_vec()),
        (50, 20, vec!["#", "DATE", "TITLE", "HEADS", "NTH"]),
        (40, 20, vec!["DATE", "TITLE"]),
    ] {
        let mut store = Store::open_in_memory().unwrap();
        let mut app = App::new(NaiveDate::from_ymd_opt(2026, 11, 27).unwrap());
        let mut draft = attache::domain::EventDraft::new(
            attache::domain::FuzzyDate::parse_iso("2025-05-01").unwrap(),
            "習近平與普京會談",
        );
        draft.place.city = "Москва".into();
        draft.participants = [
            ("習近平", "CN"),
            ("王毅", "CN"),
            ("Владимир Путин", "RU"),
            ("Сергей Лавров", "RU"),
        ]
        .into_iter()
        .map(|(name, side)| attache::domain::DraftParticipant {
            name: name.into(),
            side: attache::domain::Country::parse(side).unwrap(),
            head: true,
        })
        .collect();
        store
            .add_event(&draft, attache::store::NewPeople::Create)
            .unwrap();
        let terminal = draw(&mut app, &mut store, width, height);
        let buffer = terminal.backend().buffer();
        let cells = |y: u16| -> Vec<String> {
            (0..width)
                .map(|x| buffer[(x, y)].symbol().to_string())
                .collect()
        };
        // The list's part of each line, left of a detail beside it.
        let lines: Vec<String> = screen_lines(&terminal)
            .into_iter()
            .map(|l| l.split('│').next().unwrap_or_default().to_string())
            .collect();
        assert_eq!(
            lines[1].split_whitespace().collect::<Vec<_>>(),
            shown,
            "at {width} columns:\n{}",
            lines.join("\n")
        );
        let (header, row) = (cells(1), cells(3));
        assert!(lines[3].contains("1 May 2025"), "{}", lines[3]);
        for name in shown.iter().filter(|n| **n != "#") {
            let first = name.chars().next().unwrap().to_string();
            let at = (0..header.len())
                .find(|&x| {
                    header[x] == first
                        && (x == 0 || header[x - 1] == " ")
                        && lines[1][..].contains(name)
                })
                .unwrap();
            assert!(
                row[at] != " " && (at == 0 || row[at - 1] == " "),
                "{name} at cell {at}, {width} columns:\n{}\n{}",
                lines[1],
                lines[3]
            );
        }
        if shown.contains(&"HEADS") {
            assert!(lines[3].trim_end().ends_with("1st"), "{}", lines[3]);
        }
    }
}

/// A message too long to share the bar's line gets lines of its own above it, whole where it
/// fits in four; the position on the bar stays whole.
#[test]
fn a_long_message_has_lines_of_its_own_and_the_position_stays_whole() {
    let mut store = Store::open_in_memory().unwrap();
    let mut app = App::new(NaiveDate::from_ymd_opt(2026, 11, 27).unwrap());
    draw(&mut app, &mut store, 60, 20);
    press(&mut app, &mut store, "S");
    let said = app.status.clone().unwrap();
    let lines = screen_lines(&draw(&mut app, &mut store, 60, 20));
    assert!(
        lines[19].starts_with(" Timeline 1 / 36 · list "),
        "{}",
        lines[19]
    );
    assert!(!lines[19].contains(&said), "{}", lines[19]);
    assert_eq!(lines[18].trim(), said, "{}", lines.join("\n"));

    press(&mut app, &mut store, "y");
    let said = app.status.clone().unwrap();
    assert!(said.starts_with("copied: Steve Witkoff meets"), "{said}");
    let lines = screen_lines(&draw(&mut app, &mut store, 120, 24));
    assert!(
        lines[23].starts_with(" Timeline 1 / 36 · list "),
        "{}",
        lines[23]
    );
    let shown: String = lines[..23]
        .iter()
        .rev()
        .take_while(|l| l.starts_with(' ') && !l.starts_with(" attache"))
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .map(|l| l.split_whitespace().collect::<String>())
        .collect();
    assert!(
        shown.ends_with(&said.split_whitespace().collect::<String>()),
        "{}",
        lines.join("\n")
    );
}

#[test]
fn chart() {
    snapshot_both("chart", "5");
}

#[test]
fn chart_zoomed_in() {
    for (width, height) in [(80, 24), (160, 48)] {
        let (mut app, mut store) = seeded();
        draw(&mut app, &mut store, width, height);
        press(&mut app, &mut store, "5");
        // Drawn once, as the loop does, so the chart has its width before the keys.
        draw(&mut app, &mut store, width, height);
        press(&mut app, &mut store, "+ h h");
        let terminal = draw(&mut app, &mut store, width, height);
        insta::assert_snapshot!(
            format!("chart_zoomed_in_{width}x{height}"),
            terminal.backend()
        );
    }
}

#[test]
fn calendar() {
    snapshot_both("calendar", "t Down");
}

#[test]
fn stats_cell_rhythm() {
    snapshot_both("stats_cell_rhythm", "4 Right Enter j j j j j j");
}
