//! The entry form's state machine: typing, moving, completion, every check, refusing an invalid
//! save with nothing written, discarding, and delete, undo and redo from the interface.

#![allow(clippy::unwrap_used, reason = "a test fails loudly by design")]

#[path = "common/keys.rs"]
mod keys;

use attache::app::form::{Resolved, Slot};
use attache::app::{App, Focus};
use attache::domain::{Kind, Mode, Status};
use attache::store::{EventFilter, Store};
use chrono::NaiveDate;
use keys::{press, type_text};

fn seeded() -> (App, Store) {
    let mut store = Store::open_in_memory().unwrap();
    attache::interchange::seed(&mut store).unwrap();
    let mut app = App::new(NaiveDate::from_ymd_opt(2026, 11, 27).unwrap());
    app.viewport = 10;
    app.sync(&mut store);
    (app, store)
}

fn count(store: &Store) -> usize {
    store.event_count(&EventFilter::default()).unwrap()
}

fn focus(app: &App) -> Slot {
    app.form().unwrap().focus
}

fn problem(app: &App, slot: Slot) -> Option<String> {
    app.form().unwrap().problem(slot)
}

/// Fills in a valid new meeting of Putin and Witkoff, heads marked, with one source.
fn fill_valid(app: &mut App, store: &mut Store) {
    fill_valid_on(app, store, "15 Apr 2026");
}

/// As `fill_valid`, on `date`.
fn fill_valid_on(app: &mut App, store: &mut Store, date: &str) {
    press(app, store, "a");
    type_text(app, store, "Witkoff and Kushner meet Putin");
    press(app, store, "Tab");
    type_text(app, store, date);
    press(app, store, "Tab Tab Tab Tab Tab");
    type_text(app, store, "Mosc");
    // Choosing Moscow fills the country.
    press(app, store, "Enter Tab");
    type_text(app, store, "Kremlin");
    press(app, store, "Tab");
    type_text(app, store, "putin");
    press(app, store, "Tab");
    type_text(app, store, "RU");
    press(app, store, "Tab Tab");
    type_text(app, store, "witk");
    // Choosing Steve Witkoff fills his side.
    press(app, store, "Enter");
    press(app, store, "Tab Space Tab Tab");
    type_text(app, store, "Example");
    press(app, store, "Tab Tab");
    type_text(app, store, "https://example.org/witkoff-kushner-moscow");
}

#[test]
fn the_form_opens_on_the_title_and_tab_visits_fields_in_order() {
    let (mut app, mut store) = seeded();
    press(&mut app, &mut store, "a");
    assert_eq!(focus(&app), Slot::Title);
    let order = [
        Slot::Date,
        Slot::EndDate,
        Slot::Kind,
        Slot::Mode,
        Slot::Status,
        Slot::City,
        Slot::Country,
        Slot::Venue,
        Slot::AddPerson,
        Slot::AddSource,
        Slot::AddClaim,
        Slot::Notes,
    ];
    for expected in order {
        press(&mut app, &mut store, "Tab");
        assert_eq!(focus(&app), expected);
    }
    press(&mut app, &mut store, "Tab");
    assert_eq!(focus(&app), Slot::Notes, "Tab stops at the last field");
    press(&mut app, &mut store, "BackTab BackTab BackTab");
    assert_eq!(focus(&app), Slot::AddPerson);
    press(&mut app, &mut store, "Esc");
    assert!(app.form().is_none(), "an untouched form closes on Esc");
}

#[test]
fn dates_are_read_forgivingly_and_shown_as_understood() {
    let (mut app, mut store) = seeded();
    press(&mut app, &mut store, "a Tab");
    let cases = [
        ("2025-04-11", "Fri 11 Apr 2025"),
        ("11 Apr 2025", "Fri 11 Apr 2025"),
        ("April 11, 2025", "Fri 11 Apr 2025"),
        ("2025-04", "April 2025"),
        ("2025", "2025"),
        ("today", "Fri 27 Nov 2026"),
        ("yesterday", "Thu 26 Nov 2026"),
        ("c. 2025-04", "c. April 2025"),
        ("circa 11 Apr 2025", "c. Fri 11 Apr 2025"),
    ];
    for (typed, shown) in cases {
        press(&mut app, &mut store, "C-u");
        type_text(&mut app, &mut store, typed);
        assert_eq!(
            app.form()
                .unwrap()
                .date_preview(Slot::Date, app.date_style)
                .as_deref(),
            Some(shown),
            "{typed}"
        );
    }
}

#[test]
fn each_check_shows_beside_its_field() {
    let (mut app, mut store) = seeded();
    press(&mut app, &mut store, "a");
    assert_eq!(
        problem(&app, Slot::Title),
        None,
        "not before the field was visited"
    );
    press(&mut app, &mut store, "Tab");
    // The domain's own words, as `attache add` gives them.
    assert_eq!(
        problem(&app, Slot::Title).as_deref(),
        Some("must not be empty")
    );
    type_text(&mut app, &mut store, "2025-02-30");
    press(&mut app, &mut store, "Tab");
    assert_eq!(problem(&app, Slot::Date).as_deref(), Some("no such day"));
    type_text(&mut app, &mut store, "2025-01-01");
    press(&mut app, &mut store, "BackTab C-u");
    type_text(&mut app, &mut store, "2025-02-03");
    press(&mut app, &mut store, "Tab Tab");
    assert_eq!(
        problem(&app, Slot::EndDate).as_deref(),
        Some("is before the start date 2025-02-03")
    );
    press(&mut app, &mut store, "Tab Tab Tab Tab");
    type_text(&mut app, &mut store, "XX");
    press(&mut app, &mut store, "Tab Tab");
    assert_eq!(
        problem(&app, Slot::Country).as_deref(),
        Some("not an ISO 3166-1 alpha-2 country code")
    );
    press(&mut app, &mut store, "Tab");
    assert_eq!(
        problem(&app, Slot::AddPerson).as_deref(),
        Some(
            "an event has at least one side: name a participant, or a side whose members were not named"
        ),
        "an event has a side, as on the command line"
    );
    press(&mut app, &mut store, "BackTab");
    type_text(&mut app, &mut store, "Putin");
    press(&mut app, &mut store, "Tab");
    type_text(&mut app, &mut store, "RU");
    press(&mut app, &mut store, "Tab Space Tab");
    type_text(&mut app, &mut store, "Lavrov");
    press(&mut app, &mut store, "Tab");
    type_text(&mut app, &mut store, "RU");
    press(&mut app, &mut store, "Tab Space Tab");
    assert_eq!(
        problem(&app, Slot::PersonHead(1)),
        None,
        "a side may have co-heads"
    );
    type_text(&mut app, &mut store, "Sergey");
    press(&mut app, &mut store, "Tab Tab Tab");
    assert_eq!(
        problem(&app, Slot::PersonName(2)).as_deref(),
        Some("could be Sergey Beseda, Sergey Lavrov")
    );
    assert_eq!(
        problem(&app, Slot::PersonSide(2)).as_deref(),
        Some("side: a country code such as RU")
    );
    press(&mut app, &mut store, "Tab");
    type_text(&mut app, &mut store, "TASS");
    press(&mut app, &mut store, "Tab Tab");
    type_text(&mut app, &mut store, "tass.com/politics/1");
    press(&mut app, &mut store, "Tab");
    assert_eq!(
        problem(&app, Slot::Url(0)).as_deref(),
        Some("expected an http:// or https:// address")
    );
}

#[test]
fn an_invalid_save_is_refused_keeping_everything_typed() {
    let (mut app, mut store) = seeded();
    press(&mut app, &mut store, "a Tab");
    type_text(&mut app, &mut store, "2025-02-30");
    press(&mut app, &mut store, "Tab");
    type_text(&mut app, &mut store, "2025-03-01");
    press(&mut app, &mut store, "C-s");
    assert_eq!(
        focus(&app),
        Slot::Title,
        "focus goes to the first invalid field"
    );
    assert_eq!(
        app.status.as_deref(),
        Some("not saved: 3 problems to fix, marked in the form"),
        "the title, the date, and no side"
    );
    let form = app.form().unwrap();
    assert_eq!(form.date.value(), "2025-02-30");
    assert_eq!(form.end_date.value(), "2025-03-01");
    assert_eq!(
        form.problem(Slot::Title).as_deref(),
        Some("must not be empty"),
        "after a save every problem shows"
    );
    assert_eq!(form.problem(Slot::Date).as_deref(), Some("no such day"));
    assert_eq!(count(&store), 36, "nothing written");
}

#[test]
fn completion_for_people_places_and_countries() {
    let (mut app, mut store) = seeded();
    press(&mut app, &mut store, "a Tab Tab Tab Tab Tab Tab");
    type_text(&mut app, &mut store, "mosc");
    assert_eq!(app.form().unwrap().completions(), ["Moscow"]);
    press(&mut app, &mut store, "Enter");
    assert_eq!(app.form().unwrap().city.value(), "Moscow");
    assert_eq!(
        focus(&app),
        Slot::Country,
        "Enter takes the completion and moves on"
    );
    assert_eq!(
        app.form().unwrap().country.value(),
        "RU",
        "Moscow's country is filled in"
    );
    press(&mut app, &mut store, "C-u");
    type_text(&mut app, &mut store, "türk");
    assert_eq!(
        app.form().unwrap().completions(),
        ["TR Turkey"],
        "a country is found by the names people type, shown by the press's"
    );
    press(&mut app, &mut store, "C-u");
    type_text(&mut app, &mut store, "russ");
    press(&mut app, &mut store, "Enter");
    assert_eq!(app.form().unwrap().country.value(), "RU");
    press(&mut app, &mut store, "Tab");
    type_text(&mut app, &mut store, "s");
    let offered = app.form().unwrap().completions();
    assert!(
        offered.len() > 2 && offered.contains(&"Steve Witkoff".to_string()),
        "{offered:?}"
    );
    press(&mut app, &mut store, "Backspace");
    type_text(&mut app, &mut store, "Уит");
    assert_eq!(
        app.form().unwrap().completions(),
        ["Steve Witkoff"],
        "native-script names too"
    );
    press(&mut app, &mut store, "C-u");
    type_text(&mut app, &mut store, "Yuriy");
    assert_eq!(
        app.form().unwrap().completions(),
        ["Yuri Ushakov"],
        "and aliases"
    );
    // A first name alone is no whole name: saving would ask about a new person close to him.
    assert_eq!(
        app.form().unwrap().resolved(0),
        Some(Resolved::New {
            close: Some("Yuri Ushakov".into())
        })
    );
    type_text(&mut app, &mut store, " Ushakov");
    assert_eq!(
        app.form().unwrap().resolved(0),
        Some(Resolved::Person("Yuri Ushakov".into())),
        "an alias is a whole name"
    );
    press(&mut app, &mut store, "C-u");
    type_text(&mut app, &mut store, "Sergey");
    press(&mut app, &mut store, "Down Enter");
    assert_eq!(
        app.form().unwrap().participants[0].name.value(),
        "Sergey Lavrov",
        "Down picks the second"
    );
    assert_eq!(
        app.form().unwrap().resolved(0),
        Some(Resolved::Person("Sergey Lavrov".into()))
    );
}

#[test]
fn choices_cycle_and_rows_are_added_removed_and_reordered() {
    let (mut app, mut store) = seeded();
    press(
        &mut app,
        &mut store,
        "a Tab Tab Tab Right Tab Left Tab Right Right",
    );
    let form = app.form().unwrap();
    assert_eq!(
        (form.kind, form.mode, form.status),
        (Kind::Talks, Mode::Video, Status::Planned),
        "confirmed, cancelled, then round to planned"
    );
    press(&mut app, &mut store, "Tab Tab Tab Tab");
    for name in ["A One", "B Two", "C Three"] {
        type_text(&mut app, &mut store, name);
        press(&mut app, &mut store, "Tab");
        type_text(&mut app, &mut store, "GB");
        press(&mut app, &mut store, "Tab Tab");
    }
    let names = |app: &App| -> Vec<String> {
        app.form()
            .unwrap()
            .participants
            .iter()
            .map(|p| p.name.value().to_string())
            .collect()
    };
    assert_eq!(names(&app), ["A One", "B Two", "C Three"]);
    press(&mut app, &mut store, "BackTab BackTab BackTab M-Up");
    assert_eq!(names(&app), ["A One", "C Three", "B Two"]);
    assert_eq!(focus(&app), Slot::PersonName(1), "focus follows the row");
    press(&mut app, &mut store, "C-Up C-Up");
    assert_eq!(names(&app), ["C Three", "A One", "B Two"]);
    press(&mut app, &mut store, "C-d");
    assert_eq!(names(&app), ["A One", "B Two"]);
    assert_eq!(
        app.form().unwrap().resolved(0),
        Some(Resolved::New { close: None })
    );
}

#[test]
fn line_editing_and_paste() {
    let (mut app, mut store) = seeded();
    press(&mut app, &mut store, "a");
    type_text(&mut app, &mut store, "Talks in Riyadh today");
    press(&mut app, &mut store, "C-w");
    assert_eq!(app.form().unwrap().title.value(), "Talks in Riyadh ");
    press(&mut app, &mut store, "Home");
    type_text(&mut app, &mut store, "US–Russia ");
    assert_eq!(
        app.form().unwrap().title.value(),
        "US–Russia Talks in Riyadh "
    );
    press(&mut app, &mut store, "C-u");
    app.handle_paste("Pasted\ntitle");
    assert_eq!(app.form().unwrap().title.value(), "Pasted title");
    press(
        &mut app,
        &mut store,
        "Tab Tab Tab Tab Tab Tab Tab Tab Tab Tab Tab Tab",
    );
    assert_eq!(focus(&app), Slot::Notes);
    app.handle_paste("first line\nsecond line");
    press(&mut app, &mut store, "Enter");
    type_text(&mut app, &mut store, "third");
    assert_eq!(
        app.form().unwrap().notes.lines(),
        ["first line", "second line", "third"]
    );
}

#[test]
fn discarding_a_changed_form_asks_first() {
    let (mut app, mut store) = seeded();
    press(&mut app, &mut store, "a");
    type_text(&mut app, &mut store, "Draft");
    press(&mut app, &mut store, "Esc");
    assert!(app.form().unwrap().confirm_discard);
    press(&mut app, &mut store, "n");
    assert!(!app.form().unwrap().confirm_discard);
    assert_eq!(app.form().unwrap().title.value(), "Draft", "nothing lost");
    press(&mut app, &mut store, "Esc y");
    assert!(app.form().is_none());
    assert_eq!(count(&store), 36);
}

#[test]
fn a_saved_event_is_selected_with_its_ordinal() {
    let (mut app, mut store) = seeded();
    fill_valid(&mut app, &mut store);
    press(&mut app, &mut store, "C-s");
    assert!(app.form().is_none());
    assert_eq!(count(&store), 37);
    assert_eq!(
        app.status.as_deref(),
        Some(
            "added #37: this is the 8th face-to-face meeting between Vladimir Putin and Steve Witkoff in this record"
        )
    );
    assert_eq!(app.timeline.focus, Focus::Detail);
    let detail = app.timeline.detail.as_ref().unwrap();
    assert_eq!(detail.event.id, 37);
    assert_eq!(detail.event.title, "Witkoff and Kushner meet Putin");
    assert_eq!(
        detail.facts.ordinals[0].rsplit(" · ").next(),
        Some("previous: 22 Jan 2026, Moscow, 83 days earlier")
    );
    let names: Vec<&str> = detail
        .event
        .participants
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(
        names,
        ["Vladimir Putin", "Steve Witkoff"],
        "typed names resolved to the people on record"
    );
    assert_eq!(detail.event.sources[0].outlet, "Example");
}

#[test]
fn editing_keeps_the_number_and_shows_the_new_ordinal() {
    let (mut app, mut store) = seeded();
    press(&mut app, &mut store, "t");
    type_text(&mut app, &mut store, "2025-04-11");
    press(&mut app, &mut store, "Enter e");
    let form = app.form().unwrap();
    assert_eq!(form.editing, Some(10));
    assert_eq!(
        form.title.value(),
        "Steve Witkoff meets Vladimir Putin in St Petersburg"
    );
    assert_eq!(form.participants.len(), 4);
    assert_eq!(form.sources.len(), 7);
    assert_eq!(
        form.sources[0].outlet.value(),
        "Reuters via brecorder.com",
        "the outlet field holds the site it was read at"
    );
    let claims_before = store.event(10).unwrap().claims;
    assert_eq!(claims_before.len(), 5);
    press(&mut app, &mut store, "End");
    type_text(&mut app, &mut store, " (Presidential Library)");
    press(&mut app, &mut store, "C-s");
    assert_eq!(
        app.status.as_deref(),
        Some(
            "saved #10: this is the 3rd face-to-face meeting between Vladimir Putin and Steve Witkoff in this record"
        )
    );
    assert_eq!(
        store.event(10).unwrap().title,
        "Steve Witkoff meets Vladimir Putin in St Petersburg (Presidential Library)"
    );
    let after = store.event(10).unwrap();
    assert_eq!(
        after.claims, claims_before,
        "the form keeps the claims it does not edit"
    );
    assert_eq!(after.sources[0].via, "brecorder.com");
    assert_eq!(count(&store), 36);
}

#[test]
fn delete_asks_naming_the_event_and_undo_brings_it_back() {
    let (mut app, mut store) = seeded();
    press(&mut app, &mut store, "t");
    type_text(&mut app, &mut store, "2025-04-11");
    press(&mut app, &mut store, "Enter d");
    assert_eq!(
        app.question().map(|q| q.subject.as_str()),
        Some("Delete #10 \"Steve Witkoff meets Vladimir Putin in St Petersburg\" (11 Apr 2025)")
    );
    press(&mut app, &mut store, "n");
    assert_eq!(count(&store), 36, "any other key keeps it");
    press(&mut app, &mut store, "d y");
    assert_eq!(count(&store), 35);
    assert_eq!(
        app.status.as_deref(),
        Some("deleted #10 \"Steve Witkoff meets Vladimir Putin in St Petersburg\"; u undoes")
    );
    press(&mut app, &mut store, "u");
    assert_eq!(count(&store), 36);
    assert_eq!(
        app.status.as_deref(),
        Some("undid deleting #10 \"Steve Witkoff meets Vladimir Putin in St Petersburg\"")
    );
    assert_eq!(store.event(10).unwrap().participants.len(), 4);
    press(&mut app, &mut store, "C-r");
    assert_eq!(count(&store), 35);
    press(&mut app, &mut store, "u u");
    assert_eq!(
        app.status.as_deref(),
        Some("nothing to undo"),
        "the seed import is not an undoable change"
    );
}

#[test]
fn a_new_name_close_to_someone_on_record_is_asked_about_before_saving() {
    let (mut app, mut store) = seeded();
    press(&mut app, &mut store, "a");
    type_text(&mut app, &mut store, "Lavrov meets Rubio");
    press(&mut app, &mut store, "Tab");
    type_text(&mut app, &mut store, "22 Jan 2026");
    press(&mut app, &mut store, "Tab Tab Tab Tab Tab Tab Tab Tab");
    type_text(&mut app, &mut store, "Sergej Lavrow");
    press(&mut app, &mut store, "Tab");
    type_text(&mut app, &mut store, "RU");
    assert_eq!(
        app.form().unwrap().resolved(0),
        Some(Resolved::New {
            close: Some("Sergey Lavrov".into())
        })
    );
    press(&mut app, &mut store, "C-s");
    assert_eq!(
        app.question().unwrap().subject,
        "Add new people: Sergej Lavrow (close to Sergey Lavrov on record)"
    );
    press(&mut app, &mut store, "n");
    assert!(
        app.form().is_some(),
        "n goes back to the form, everything kept"
    );
    assert_eq!(count(&store), 36);
    press(&mut app, &mut store, "C-s y");
    assert!(app.form().is_none());
    assert_eq!(count(&store), 37);
    assert_eq!(
        store.resolve_person("Sergej Lavrow").unwrap().name,
        "Sergej Lavrow"
    );
}

#[test]
fn a_likely_duplicate_is_asked_about_before_saving() {
    let (mut app, mut store) = seeded();
    // #25: Putin receives Witkoff and Kushner at the Kremlin, 2 Dec 2025.
    fill_valid_on(&mut app, &mut store, "2 Dec 2025");
    press(&mut app, &mut store, "C-s");
    assert_eq!(
        app.question().unwrap().subject,
        "Event #25 on 2 Dec 2025 (\"Vladimir Putin receives Steve Witkoff and Jared Kushner at t…\") looks the same"
    );
    assert_eq!(count(&store), 36, "nothing is saved before the answer");
    press(&mut app, &mut store, "n");
    assert!(
        app.form().is_some(),
        "n goes back to the form, everything kept"
    );
    assert_eq!(count(&store), 36);
    press(&mut app, &mut store, "C-s y");
    assert!(app.form().is_none());
    assert_eq!(count(&store), 37);
    assert!(app.status.as_deref().unwrap().starts_with("added #"));
}

#[test]
fn a_day_apart_is_no_duplicate_and_saves_without_a_question() {
    let (mut app, mut store) = seeded();
    fill_valid_on(&mut app, &mut store, "3 Dec 2025");
    press(&mut app, &mut store, "C-s");
    assert!(app.question().is_none());
    assert!(app.form().is_none());
    assert_eq!(count(&store), 37);
}

#[test]
fn an_event_without_a_side_is_not_saved() {
    let (mut app, mut store) = seeded();
    press(&mut app, &mut store, "a");
    type_text(&mut app, &mut store, "Nobody at all");
    press(&mut app, &mut store, "Tab");
    type_text(&mut app, &mut store, "1 May 2025");
    press(&mut app, &mut store, "C-s");
    assert!(app.form().is_some(), "the form stays open");
    assert_eq!(count(&store), 36);
    assert_eq!(
        focus(&app),
        Slot::AddPerson,
        "the save goes to the missing side"
    );
    assert_eq!(
        problem(&app, Slot::AddPerson).as_deref(),
        Some(
            "an event has at least one side: name a participant, or a side whose members were not named"
        )
    );
}

/// The form and the command line apply one set of rules, in the domain's words.
#[test]
fn the_form_shows_the_domains_rules_in_its_words() {
    let (mut app, mut store) = seeded();
    press(&mut app, &mut store, "a");
    type_text(&mut app, &mut store, "A call");
    press(&mut app, &mut store, "Tab");
    type_text(&mut app, &mut store, "2025-04-11");
    press(&mut app, &mut store, "Tab Tab Right Right Right Right");
    assert_eq!(app.form().unwrap().kind, Kind::Call);
    press(&mut app, &mut store, "Tab Left");
    assert_eq!(app.form().unwrap().mode, Mode::InPerson);
    press(&mut app, &mut store, "Tab");
    let message = "a call cannot be in person: use phone or video, or another kind";
    assert_eq!(problem(&app, Slot::Mode).as_deref(), Some(message));
    let mut draft = attache::domain::EventDraft::new(
        attache::domain::FuzzyDate::parse_iso("2025-04-11").unwrap(),
        "A call",
    );
    draft.kind = Kind::Call;
    draft.mode = Mode::InPerson;
    assert_eq!(draft.validate().unwrap_err().reason, message);
}

#[test]
fn claims_are_added_reordered_and_follow_their_sources() {
    let (mut app, mut store) = seeded();
    press(&mut app, &mut store, "t");
    type_text(&mut app, &mut store, "2025-04-25");
    press(&mut app, &mut store, "Enter e");
    let form = app.form().unwrap();
    assert_eq!(form.claims.len(), 3);
    assert_eq!(form.claims[1].value.value(), "3 h");
    assert_eq!(form.claims[1].sources.value(), "1");
    let count = &form.claims[0].count;
    assert_eq!(
        (
            count.people[0].value(),
            count.people[1].value(),
            count.number.value()
        ),
        ("Vladimir Putin", "Steve Witkoff", "4"),
        "the published count is in its fields"
    );
    // A new claim: aspect chosen with ←/→, said by sources 2 and 4.
    while focus(&app) != Slot::AddClaim {
        press(&mut app, &mut store, "Tab");
    }
    press(&mut app, &mut store, "Enter Right Right Right Right");
    assert_eq!(
        app.form().unwrap().claims[3].aspect,
        attache::domain::claim::Aspect::Outcome
    );
    press(&mut app, &mut store, "Tab");
    type_text(&mut app, &mut store, "constructive and useful");
    press(&mut app, &mut store, "Tab");
    type_text(&mut app, &mut store, "2, 9");
    press(&mut app, &mut store, "C-s");
    assert_eq!(
        problem(&app, Slot::ClaimSources(3)).as_deref(),
        Some("names source 9 of an event with 4"),
        "the domain's rule, beside the field"
    );
    press(&mut app, &mut store, "C-u");
    type_text(&mut app, &mut store, "2, 4");
    // The first source removed: the numbers follow the sources that stay.
    while focus(&app) != Slot::Outlet(0) {
        press(&mut app, &mut store, "BackTab");
    }
    press(&mut app, &mut store, "C-d");
    let form = app.form().unwrap();
    assert_eq!(
        form.claims[1].sources.value(),
        "",
        "its only source is gone"
    );
    assert_eq!(form.claims[3].sources.value(), "1, 3");
    press(&mut app, &mut store, "C-s");
    assert!(app.form().is_none(), "{:?}", app.status);
    let event = store
        .events_page(
            &attache::store::EventFilter::default(),
            attache::store::Order::OldestFirst,
            0,
            100,
        )
        .unwrap()
        .into_iter()
        .find(|e| e.date.to_iso() == "2025-04-25")
        .unwrap();
    let outcome = event.claims.last().unwrap();
    assert_eq!(
        (outcome.value.as_str(), outcome.sources.as_slice()),
        ("constructive and useful", [0, 2].as_slice())
    );
    assert_eq!(event.sources[0].outlet, "Hürriyet Daily News");
}

#[test]
fn a_save_over_a_colleagues_change_is_refused_keeping_the_form() {
    let (mut app, mut store) = seeded();
    press(&mut app, &mut store, "t");
    type_text(&mut app, &mut store, "2025-04-11");
    press(&mut app, &mut store, "Enter e End");
    type_text(&mut app, &mut store, " (mine)");
    // Meanwhile a colleague edits the same event.
    let mut theirs =
        attache::domain::record::EventRecord::from_event(&store.event(10).unwrap(), vec![])
            .to_draft()
            .unwrap();
    theirs.title = "Their title".into();
    store.set_author("colleague");
    store
        .edit_event(10, &theirs, attache::store::NewPeople::Create)
        .unwrap();
    store.set_author("me");
    press(&mut app, &mut store, "C-s");
    let status = app.status.clone().unwrap_or_default();
    assert!(
        status.starts_with("not saved: #10 was changed by colleague on "),
        "{status}"
    );
    assert_eq!(
        app.form().unwrap().title.value(),
        "Steve Witkoff meets Vladimir Putin in St Petersburg (mine)",
        "everything typed is kept"
    );
    assert_eq!(store.event(10).unwrap().title, "Their title");
    // Ctrl-L loads the event as it is now, their change included.
    press(&mut app, &mut store, "C-l");
    let form = app.form().unwrap();
    assert_eq!(form.title.value(), "Their title");
    assert_eq!(form.version, Some(2));
    press(&mut app, &mut store, "End");
    type_text(&mut app, &mut store, " (mine)");
    press(&mut app, &mut store, "C-s");
    assert!(app.form().is_none(), "{:?}", app.status);
    assert_eq!(store.event(10).unwrap().title, "Their title (mine)");
}

#[test]
fn the_forms_keys_are_rebound_by_the_configuration_and_the_footer_follows() {
    let (mut app, mut store) = seeded();
    app.keymap = attache::config::Config::parse(
        "[keys]\nform-save = \"ctrl-w\"\nform-row-up = \"ctrl-k\"\nform-row-down = \"ctrl-j\"\n",
    )
    .unwrap()
    .keymap;
    press(&mut app, &mut store, "a");
    let footer = |app: &App| {
        let mut terminal =
            ratatui::Terminal::new(ratatui::backend::TestBackend::new(100, 30)).unwrap();
        terminal
            .draw(|frame| attache::ui::draw(frame, app, &attache::ui::Theme::PLAIN))
            .unwrap();
        let buffer = terminal.backend().buffer();
        (0..buffer.area.width)
            .map(|x| buffer[(x, buffer.area.height - 2)].symbol().to_string())
            .collect::<String>()
    };
    let shown = footer(&app);
    assert!(
        shown.contains("Ctrl-W save · Esc cancel · Tab move · Ctrl-D remove row")
            && shown.contains("Ctrl-K/Ctrl-J reorder"),
        "{shown}"
    );
    press(&mut app, &mut store, "C-s");
    assert!(!app.form().unwrap().tried, "ctrl-s no longer saves");
    press(&mut app, &mut store, "C-w");
    assert!(app.form().unwrap().tried, "ctrl-w saves");
    assert_eq!(
        focus(&app),
        Slot::Title,
        "the first problem takes the focus"
    );
}

#[test]
fn notes_edit_with_the_keys_of_every_field_by_characters_in_any_script() {
    let (mut app, mut store) = seeded();
    press(&mut app, &mut store, "a");
    press(
        &mut app,
        &mut store,
        "Tab Tab Tab Tab Tab Tab Tab Tab Tab Tab Tab Tab",
    );
    assert_eq!(focus(&app), Slot::Notes);
    type_text(&mut app, &mut store, "Путин и 習近平");
    press(&mut app, &mut store, "Left Left Left Enter");
    type_text(&mut app, &mut store, "👍🏽");
    let notes = |app: &App| app.form().unwrap().notes.clone();
    assert_eq!(notes(&app).lines(), ["Путин и ", "👍🏽習近平"]);
    assert_eq!(notes(&app).cursor(), (1, 2), "a character at a time");
    press(&mut app, &mut store, "Up");
    assert_eq!(notes(&app).cursor(), (0, 2));
    // Ctrl-U deletes the line, as in every other field.
    press(&mut app, &mut store, "C-u Down Home Backspace");
    assert_eq!(notes(&app).lines(), ["👍🏽習近平"]);
    assert_eq!(notes(&app).cursor(), (0, 0));
}

/// A count claim is edited field by field: what is counted, who (completed from the record),
/// where, the number and the scope; each problem beside its field; saved, it is the count.
#[test]
fn the_form_takes_a_count_claim_by_its_fields() {
    use attache::app::form::CountKind;
    use attache::domain::claim::{Aspect, Counted, Destination};
    let (mut app, mut store) = seeded();
    press(&mut app, &mut store, "t");
    type_text(&mut app, &mut store, "2025-12-02");
    press(&mut app, &mut store, "Enter e");
    let claims = app.form().unwrap().claims.len();
    while focus(&app) != Slot::AddClaim {
        press(&mut app, &mut store, "Tab");
    }
    // Duration, the new claim's aspect, is five steps from count.
    press(&mut app, &mut store, "Enter Right Right Right Right Right");
    assert_eq!(app.form().unwrap().claims[claims].aspect, Aspect::Count);
    press(&mut app, &mut store, "Tab");
    assert_eq!(focus(&app), Slot::CountKind(claims));
    press(&mut app, &mut store, "Right Right Right");
    assert_eq!(
        app.form().unwrap().claims[claims].count.kind,
        CountKind::Visits
    );
    press(&mut app, &mut store, "Tab");
    type_text(&mut app, &mut store, "witk");
    assert_eq!(app.form().unwrap().completions(), ["Steve Witkoff"]);
    press(&mut app, &mut store, "Enter");
    assert_eq!(
        focus(&app),
        Slot::CountPlace(claims),
        "a visit names one person, then where"
    );
    type_text(&mut app, &mut store, "ZZ");
    press(&mut app, &mut store, "Tab");
    assert_eq!(
        problem(&app, Slot::CountPlace(claims)).as_deref(),
        Some("not an ISO 3166-1 alpha-2 country code")
    );
    type_text(&mut app, &mut store, "six");
    press(&mut app, &mut store, "Tab");
    assert_eq!(
        problem(&app, Slot::CountNumber(claims)).as_deref(),
        Some("the number published, such as 6")
    );
    type_text(&mut app, &mut store, "2025-12");
    press(&mut app, &mut store, "Tab");
    type_text(&mut app, &mut store, "2025-06");
    press(&mut app, &mut store, "Tab");
    assert!(
        problem(&app, Slot::CountUntil(claims))
            .is_some_and(|p| p.contains("counted until a day before it is counted from")),
        "{:?}",
        problem(&app, Slot::CountUntil(claims))
    );
    press(&mut app, &mut store, "Tab");
    type_text(&mut app, &mut store, "the sixth visit this year");
    press(&mut app, &mut store, "Tab");
    type_text(&mut app, &mut store, "1");
    press(&mut app, &mut store, "C-s");
    assert!(app.form().is_some(), "refused while fields do not read");
    let refused: Vec<Slot> = app
        .form()
        .unwrap()
        .problems()
        .iter()
        .map(|(s, _)| *s)
        .collect();
    assert_eq!(
        refused,
        [
            Slot::CountPlace(claims),
            Slot::CountNumber(claims),
            Slot::CountNumber(claims),
            Slot::CountUntil(claims),
        ],
        "{:?}",
        app.form().unwrap().problems()
    );
    assert_eq!(focus(&app), Slot::CountPlace(claims), "the first problem");
    // Each field put right.
    for (slot, text) in [
        (Slot::CountPlace(claims), "ru"),
        (Slot::CountNumber(claims), "6"),
        (Slot::CountSince(claims), "2025"),
        (Slot::CountUntil(claims), ""),
    ] {
        for _ in 0..12 {
            if focus(&app) != slot {
                press(&mut app, &mut store, "Tab");
            }
        }
        assert_eq!(focus(&app), slot);
        press(&mut app, &mut store, "C-u");
        type_text(&mut app, &mut store, text);
    }
    assert_eq!(app.form().unwrap().problems(), &[]);
    press(&mut app, &mut store, "C-s");
    assert!(app.form().is_none(), "{:?}", app.status);
    let claim = store.event(25).unwrap().claims.pop().unwrap();
    assert_eq!(claim.value, "the sixth visit this year");
    assert_eq!(claim.sources, [0]);
    let count = claim.count.unwrap();
    assert_eq!(count.people, ["Steve Witkoff"]);
    assert_eq!(
        count.counted,
        Counted::Visits(Destination::Country(
            attache::domain::Country::parse("RU").unwrap()
        ))
    );
    assert_eq!(count.number, 6);
    assert_eq!(count.scope.since, NaiveDate::from_ymd_opt(2025, 1, 1));
    assert_eq!((count.scope.until, count.scope.role), (None, None));
    // Opened again, the count is in its fields.
    press(&mut app, &mut store, "e");
    let row = &app.form().unwrap().claims[claims].count;
    assert_eq!(
        (row.kind, row.place.value(), row.since.value()),
        (CountKind::Visits, "RU", "2025-01-01")
    );
}

#[test]
fn a_city_is_completed_from_its_native_name() {
    let (mut app, mut store) = seeded();
    press(&mut app, &mut store, "a Tab Tab Tab Tab Tab Tab");
    assert_eq!(focus(&app), Slot::City);
    type_text(&mut app, &mut store, "Мос");
    assert_eq!(app.form().unwrap().completions(), ["Moscow"]);
    press(&mut app, &mut store, "Enter");
    assert_eq!(app.form().unwrap().city.value(), "Moscow");
    assert_eq!(app.form().unwrap().country.value(), "RU");
}

/// Leaving a name or a city with Tab fills what it implies, as choosing it with Enter does, and
/// nothing the user typed.
#[test]
fn leaving_a_known_name_with_tab_fills_its_side() {
    let (mut app, mut store) = seeded();
    press(&mut app, &mut store, "a Tab Tab Tab Tab Tab Tab");
    type_text(&mut app, &mut store, "Moscow");
    press(&mut app, &mut store, "Tab");
    assert_eq!(app.form().unwrap().country.value(), "RU");
    press(&mut app, &mut store, "Tab Tab");
    type_text(&mut app, &mut store, "Vladimir Putin");
    assert_eq!(focus(&app), Slot::PersonName(0));
    press(&mut app, &mut store, "Tab");
    assert_eq!(focus(&app), Slot::PersonSide(0));
    assert_eq!(app.form().unwrap().participants[0].side.value(), "RU");
    assert_eq!(problem(&app, Slot::PersonSide(0)), None);
    press(&mut app, &mut store, "C-u");
    type_text(&mut app, &mut store, "US");
    press(&mut app, &mut store, "BackTab Tab");
    assert_eq!(
        app.form().unwrap().participants[0].side.value(),
        "US",
        "what the user typed stays"
    );
}

/// A source's published date is read as the event's date is: "3 Dec 2025" as well as ISO.
#[test]
fn a_published_date_is_read_as_any_date_field() {
    let (mut app, mut store) = seeded();
    fill_valid(&mut app, &mut store);
    press(&mut app, &mut store, "Tab");
    assert_eq!(focus(&app), Slot::Published(0));
    type_text(&mut app, &mut store, "3 Dec 2025");
    let published = |app: &App| {
        app.form()
            .unwrap()
            .problems()
            .iter()
            .find(|(slot, _)| *slot == Slot::Published(0))
            .map(|(_, problem)| problem.clone())
    };
    assert_eq!(published(&app), None);
    assert_eq!(
        app.form().unwrap().draft().unwrap().sources[0].published,
        NaiveDate::from_ymd_opt(2025, 12, 3)
    );
    press(&mut app, &mut store, "C-u");
    type_text(&mut app, &mut store, "Dec 2025");
    assert_eq!(
        published(&app).as_deref(),
        Some("a day, such as 3 Dec 2025")
    );
    press(&mut app, &mut store, "C-u");
    type_text(&mut app, &mut store, "2025-12-03");
    assert_eq!(published(&app), None);
}
