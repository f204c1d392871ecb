//! Random keys, pastes, clicks and terminal sizes against the real `App` over a seeded store,
//! drawing every frame: no panic, and afterwards the selection, the position shown, `G` and the
//! store's kept counts are all as they must be.
//!
//! CI runs a short pass. The long run (see TESTING.md):
//! `PROPTEST_CASES=100000 cargo test --release --test tui_property`

#![allow(clippy::unwrap_used, reason = "a test fails loudly by design")]

#[path = "common/pg.rs"]
mod pg;

use attache::app::{Action, App, Overlay, View};
use attache::store::{EventFilter, Store};
use attache::ui::{self, Theme};
use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;

#[derive(Debug, Clone)]
enum Step {
    Key(KeyEvent),
    Paste(String),
    Click(u16, u16),
    Wheel(u16, u16, bool),
    Resize(u16, u16),
}

/// Text that has broken interfaces: Cyrillic, Turkish, Arabic, CJK, emoji and flags,
/// combining marks, right-to-left text, the en dash.
const SAMPLES: &[&str] = &[
    "Путин",
    "Арнавутköy",
    "İstanbul",
    "ıİğş",
    "بوتين",
    "習近平",
    "👍🏽",
    "🇷🇺🇺🇸",
    "e\u{301}",
    "\u{202e}abc",
    "Trump–Putin",
    "a\tb",
    "x\ny",
];

fn key(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
    KeyEvent::new(code, modifiers)
}

fn step() -> impl Strategy<Value = Step> {
    let bound: Vec<char> = "jkgGhlnNftTsS?aeduxoyq1234/ ".chars().collect();
    let named = vec![
        key(KeyCode::Enter, KeyModifiers::NONE),
        key(KeyCode::Esc, KeyModifiers::NONE),
        key(KeyCode::Tab, KeyModifiers::NONE),
        key(KeyCode::BackTab, KeyModifiers::SHIFT),
        key(KeyCode::Backspace, KeyModifiers::NONE),
        key(KeyCode::Delete, KeyModifiers::NONE),
        key(KeyCode::Up, KeyModifiers::NONE),
        key(KeyCode::Down, KeyModifiers::NONE),
        key(KeyCode::Left, KeyModifiers::NONE),
        key(KeyCode::Right, KeyModifiers::NONE),
        key(KeyCode::PageUp, KeyModifiers::NONE),
        key(KeyCode::PageDown, KeyModifiers::NONE),
        key(KeyCode::Home, KeyModifiers::NONE),
        key(KeyCode::End, KeyModifiers::NONE),
        key(KeyCode::Char('s'), KeyModifiers::CONTROL),
        key(KeyCode::Char('d'), KeyModifiers::CONTROL),
        key(KeyCode::Char('u'), KeyModifiers::CONTROL),
        key(KeyCode::Char('w'), KeyModifiers::CONTROL),
        key(KeyCode::Char('r'), KeyModifiers::CONTROL),
        key(KeyCode::Char('c'), KeyModifiers::CONTROL),
        key(KeyCode::Up, KeyModifiers::ALT),
        key(KeyCode::Down, KeyModifiers::CONTROL),
    ];
    let sample_chars: Vec<char> = SAMPLES.iter().flat_map(|s| s.chars()).collect();
    prop_oneof![
        5 => prop::sample::select(bound).prop_map(|c| Step::Key(key(KeyCode::Char(c), KeyModifiers::NONE))),
        4 => prop::sample::select(named).prop_map(Step::Key),
        2 => prop::sample::select(sample_chars).prop_map(|c| Step::Key(key(KeyCode::Char(c), KeyModifiers::NONE))),
        2 => any::<char>().prop_map(|c| Step::Key(key(KeyCode::Char(c), KeyModifiers::NONE))),
        1 => prop::collection::vec(prop::sample::select(SAMPLES.to_vec()), 1..4).prop_map(|p| Step::Paste(p.concat())),
        1 => (0u16..250, 0u16..80).prop_map(|(x, y)| Step::Click(x, y)),
        1 => (0u16..250, 0u16..80, any::<bool>()).prop_map(|(x, y, d)| Step::Wheel(x, y, d)),
        1 => (1u16..=250, 1u16..=80).prop_map(|(w, h)| Step::Resize(w, h)),
    ]
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
}

/// One pass of the loop in `tui`: size the list, sync, draw, drop the outside work.
fn frame(app: &mut App, store: &mut Store, terminal: &mut Terminal<TestBackend>) {
    let size = terminal.size().unwrap();
    let area = Rect::new(0, 0, size.width, size.height);
    app.viewport = ui::list_rows(area, app).max(1);
    app.sync(store);
    app.viewport = ui::list_rows(area, app).max(1);
    terminal.draw(|f| ui::draw(f, app, &Theme::PLAIN)).unwrap();
    app.outside.clear();
}

fn run(steps: &[Step], size: (u16, u16)) -> Result<(), TestCaseError> {
    run_on(Store::open_in_memory().unwrap(), steps, size)
}

/// The steps on `store` once the seed data is in it.
fn run_on(
    mut store: Store,
    steps: &[Step],
    (width, height): (u16, u16),
) -> Result<(), TestCaseError> {
    attache::interchange::seed(&mut store).unwrap();
    let mut app = App::new(today());
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    frame(&mut app, &mut store, &mut terminal);
    for step in steps {
        let size = terminal.size().unwrap();
        let area = Rect::new(0, 0, size.width, size.height);
        match step {
            Step::Key(key) => app.handle_key(*key),
            Step::Paste(text) => app.handle_paste(text),
            Step::Click(x, y) => {
                if let Some(action) = ui::click_action(area, &app, *x, *y)
                    && app.overlay.is_none()
                {
                    app.update(action);
                }
            }
            Step::Wheel(x, y, down) => {
                if app.overlay.is_none() {
                    app.update(ui::wheel_action(area, &app, *x, *y, *down));
                }
            }
            Step::Resize(w, h) => terminal.backend_mut().resize(*w, *h),
        }
        frame(&mut app, &mut store, &mut terminal);
        let timeline = &app.timeline;
        prop_assert!(timeline.total == 0 || timeline.selected < timeline.total);
        // A query the engine refuses shows as an error in the status line, not as a panic.
        let status = app.status.as_deref().unwrap_or_default();
        prop_assert!(
            !status.contains("database error"),
            "{} after {:?}",
            status,
            step
        );
    }
    check_invariants(&mut app, &mut store, &mut terminal)
}

fn check_invariants(
    app: &mut App,
    store: &mut Store,
    terminal: &mut Terminal<TestBackend>,
) -> Result<(), TestCaseError> {
    if let Some(Overlay::Form(_)) = app.overlay {
        prop_assert!(app.form().is_some());
    }
    app.overlay = None;
    let differences = store.kept_count_differences().unwrap();
    prop_assert!(differences.is_empty(), "{:?}", differences);
    app.update(Action::Show(View::Timeline));
    frame(app, store, terminal);
    let total = store.event_count(&app.timeline.filter).unwrap();
    prop_assert_eq!(
        app.timeline.total,
        total,
        "the timeline counts what the store has"
    );
    if total > 0 {
        let selected = app.timeline.selected_row().map(|r| r.event.id);
        prop_assert!(selected.is_some(), "the selection is on a loaded row");
        prop_assert_eq!(
            app.position_label(),
            format!(
                "{} / {}",
                attache::interchange::thousands(app.timeline.selected + 1),
                attache::interchange::thousands(total)
            )
        );
    }
    app.timeline.focus = attache::app::Focus::List;
    app.update(Action::Bottom);
    frame(app, store, terminal);
    if total > 0 {
        prop_assert_eq!(app.timeline.selected, total - 1, "G reaches the last row");
        let last = store
            .events_page(&app.timeline.filter, app.timeline.order, total - 1, 1)
            .unwrap();
        prop_assert_eq!(
            app.timeline.selected_row().map(|r| r.event.id),
            last.first().map(|e| e.id),
            "G shows the last event"
        );
    }
    for view in [View::People, View::History, View::Stats] {
        app.update(Action::Show(view));
        frame(app, store, terminal);
        let (index, len) = match view {
            View::People => (app.people.selected, app.people.people.len()),
            View::History => (app.history.list.selected, app.history.list.total),
            _ => (app.stats.row, app.stats.people.len()),
        };
        prop_assert!(len == 0 || index < len, "{:?}: {} of {}", view, index, len);
        let status = app.status.as_deref().unwrap_or_default();
        prop_assert!(!status.contains("database error"), "{:?}: {}", view, status);
    }
    prop_assert_eq!(
        store.event_count(&EventFilter::default()).unwrap() == 0,
        app.empty
    );
    Ok(())
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(48)
}

#[test]
fn random_keys_never_break_the_interface() {
    // Exports typed at random land in a folder of the test's own.
    let dir = tempfile::tempdir().unwrap();
    std::env::set_current_dir(dir.path()).unwrap();
    let config = ProptestConfig {
        cases: cases(),
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    proptest!(config, |(steps in prop::collection::vec(step(), 1..60), width in 1u16..=250, height in 1u16..=80)| {
        run(&steps, (width, height))?;
    });
}

/// The same on PostgreSQL, a database per case: fewer cases, each costs a database of its own.
#[test]
fn random_keys_never_break_the_interface_on_postgresql() {
    if !pg::available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::env::set_current_dir(dir.path()).unwrap();
    let config = ProptestConfig {
        cases: cases().div_ceil(3),
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    proptest!(config, |(steps in prop::collection::vec(step(), 1..60), width in 1u16..=250, height in 1u16..=80)| {
        let store = Store::open_postgres(&pg::fresh_database().unwrap()).unwrap();
        run_on(store, &steps, (width, height))?;
    });
}

/// Every text field with each sample typed, the cursor moved back and a letter inserted.
#[test]
fn typed_text_in_every_prompt_and_the_form() {
    let typed = |keys: &str| -> Vec<Step> {
        keys.chars()
            .map(|c| Step::Key(key(KeyCode::Char(c), KeyModifiers::NONE)))
            .collect()
    };
    let enter = Step::Key(key(KeyCode::Enter, KeyModifiers::NONE));
    let left = Step::Key(key(KeyCode::Left, KeyModifiers::NONE));
    let esc = Step::Key(key(KeyCode::Esc, KeyModifiers::NONE));
    for opener in ["/", "f", "t", "?/", "a", "2/", "3/"] {
        for text in SAMPLES {
            let mut steps = typed(opener);
            steps.extend(typed(text));
            steps.extend([left.clone(), left.clone()]);
            steps.extend(typed("x"));
            steps.push(enter.clone());
            steps.push(esc.clone());
            for size in [(80, 24), (160, 48), (12, 4)] {
                run(&steps, size).unwrap_or_else(|e| panic!("{opener}{text} at {size:?}: {e}"));
            }
        }
    }
}
