//! The state of the terminal interface and how it changes: a key becomes an `Action`
//! (`keymap`), `update` changes the state without touching the store, and `sync` then loads
//! from the store what the new state shows and carries out the requests `update` queued.
//! Drawing only reads this state. Each view is a module of its own with its state, its keys
//! and its loader; what opens over a view is one `Overlay`.

mod calendar;
mod chart;
pub mod filter;
pub mod form;
mod history;
pub mod keymap;
mod overlay;
mod people;
pub mod person_form;
mod requests;
mod search;
mod stats;
mod timeline;

use std::collections::VecDeque;

pub use calendar::Calendar;
pub use chart::{Bar, Chart, KINDS, SPLIT_MOST, Tally, part_name};
pub use history::History;
pub use overlay::{Help, MessageLog, Overlay, Prompt, PromptKind, Question};
pub use people::{PeopleList, PeopleSort};
pub use stats::{Cell, Meeting, Stats};
pub use timeline::{
    EventDetail, Focus, SideMember, Timeline, TimelineRow, event_matches, row_matches,
};

use chrono::NaiveDate;
use crossterm::event::KeyEvent;

use crate::domain::date::DateStyle;
use crate::domain::{Event, EventDraft, FuzzyDate};
use crate::store::{EventFilter, Order, Store};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Timeline,
    People,
    History,
    Stats,
    Chart,
}

impl View {
    pub const ALL: [View; 5] = [
        View::Timeline,
        View::People,
        View::History,
        View::Stats,
        View::Chart,
    ];

    pub fn title(self) -> &'static str {
        match self {
            View::Timeline => "Timeline",
            View::People => "People",
            View::History => "History",
            View::Stats => "Stats",
            View::Chart => "Chart",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Left,
    Right,
    Open,
    Back,
    NextFocus,
    Show(View),
    Search,
    NextMatch,
    PreviousMatch,
    Filter,
    JumpToDate,
    JumpToToday,
    CycleSort,
    LoadSeed,
    Help,
    /// Export what the view shows to CSV.
    Export,
    Add,
    Edit,
    Delete,
    /// Merge the selected person into another (People).
    Merge,
    Undo,
    Redo,
    /// Open the selected event's source in the browser.
    OpenLink,
    /// Copy a citation of the selected event to the clipboard.
    CopyCitation,
    /// Show the last messages of the status bar, whole.
    Messages,
    Quit,
    /// Selects a row of the current list, as a mouse click does.
    Select(usize),
    /// One bar of the chart stands for a shorter period (`true`) or a longer one.
    ZoomIn,
    ZoomOut,
    /// Scrolls the detail pane down (`true`) or up, as the mouse wheel over it does.
    ScrollDetail(bool),
}

impl Action {
    /// Whether this moves the selection in a list: what every view does with the same keys.
    pub fn moves(self) -> bool {
        matches!(
            self,
            Action::Up
                | Action::Down
                | Action::PageUp
                | Action::PageDown
                | Action::Top
                | Action::Bottom
                | Action::Select(_)
        )
    }
}

/// Work for `sync`, which has the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Request {
    /// Select this event, or the nearest row to where it would be.
    Follow(NaiveDate, i64),
    /// The next match of the timeline's search, or of the history's.
    FindMatch {
        in_history: bool,
        forward: bool,
        inclusive: bool,
    },
    ApplyFilter(String),
    JumpTo(FuzzyDate),
    OpenHistory(i64),
    /// Filter the timeline to a period of the chart, and show it.
    Brush(String),
    /// List the meetings behind the selected cell of the stats matrix.
    OpenCell,
    OpenEvent(i64),
    LoadSeed,
    Export {
        path: String,
        overwrite: bool,
        /// The spreadsheet variant: a byte-order mark first, as `export --excel` writes.
        excel: bool,
    },
    OpenForm(Option<i64>),
    /// Save what the form holds; `anyway` once the user said to save a likely duplicate.
    SaveForm {
        draft: Box<EventDraft>,
        anyway: bool,
    },
    Delete(i64),
    OpenPersonForm(i64),
    SavePerson(Box<crate::domain::Person>),
    /// Ask for the person to merge this one into.
    OpenMerge(i64),
    /// Ask whether to merge `other` into `keep`, saying how many events move.
    AskMerge {
        keep: i64,
        other: i64,
    },
    Merge {
        keep: i64,
        other: i64,
    },
    /// Ask whether to delete this person, or say why they cannot be.
    AskDeletePerson(i64),
    DeletePerson(i64),
    Undo,
    Redo,
    /// Everything shown read again from the store, then the status says why.
    Reload(String),
    /// The store's bounded check of the record, asked once at start.
    CheckRecord,
}

/// What a view makes of a key.
pub(crate) enum Effect {
    Nothing,
    Say(String),
    Request(Request),
    RequestAndSay(Request, String),
}

/// Something for the terminal loop to do outside the interface.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outside {
    /// Put this text on the clipboard (OSC 52).
    Copy(String),
    /// Open this address in the browser.
    OpenUrl(String),
}

pub struct App {
    pub view: View,
    pub quit: bool,
    pub timeline: Timeline,
    pub people: PeopleList,
    pub history: History,
    pub stats: Stats,
    pub chart: Chart,
    /// The month grid of the go-to-date prompt, while it is open.
    pub calendar: Option<Calendar>,
    /// The one thing open over the view, if any: help, a prompt, the form, a question.
    pub overlay: Option<Overlay>,
    /// A message for the status bar, cleared by the next key.
    pub status: Option<String>,
    /// The last messages of the status bar, oldest first, for the message log.
    pub messages: VecDeque<String>,
    /// The message last put in `messages`, while it is still the status.
    logged: Option<String>,
    /// The database holds no events at all.
    pub empty: bool,
    /// Rows the current list shows, set by the loop from the terminal's size.
    pub viewport: usize,
    pub today: NaiveDate,
    /// Where the database is, for the help's about line.
    pub database: String,
    pub keymap: keymap::KeyMap,
    /// Where the detail pane goes beside the timeline.
    pub detail_placement: crate::config::DetailPlacement,
    /// How the interface shows dates, from the configuration.
    pub date_style: DateStyle,
    /// Work for the terminal loop: the clipboard, the browser.
    pub outside: Vec<Outside>,
    /// Everyone's label (the heads column, the matrix): read when the record is first shown
    /// and again after it changed, not for each page or filter, as it is made from every
    /// person on record.
    pub labels: crate::domain::names::Labels,
    labels_read: bool,
    back: Vec<View>,
    requests: VecDeque<Request>,
}

impl App {
    pub fn new(today: NaiveDate) -> Self {
        App {
            view: View::Timeline,
            quit: false,
            timeline: Timeline {
                stale: true,
                ..Timeline::default()
            },
            people: PeopleList::default(),
            history: History::default(),
            stats: Stats::default(),
            chart: Chart::default(),
            calendar: None,
            overlay: None,
            status: None,
            messages: VecDeque::new(),
            logged: None,
            empty: false,
            viewport: 20,
            today,
            database: String::new(),
            keymap: keymap::KeyMap::default(),
            detail_placement: crate::config::DetailPlacement::default(),
            date_style: DateStyle::default(),
            outside: Vec::new(),
            labels: crate::domain::names::Labels::default(),
            labels_read: false,
            back: Vec::new(),
            requests: VecDeque::from([Request::CheckRecord]),
        }
    }

    pub fn form(&self) -> Option<&form::Form> {
        match &self.overlay {
            Some(Overlay::Form(form)) => Some(form),
            _ => None,
        }
    }

    pub fn person_form(&self) -> Option<&person_form::PersonForm> {
        match &self.overlay {
            Some(Overlay::PersonForm(form)) => Some(form),
            _ => None,
        }
    }

    pub fn prompt(&self) -> Option<&Prompt> {
        match &self.overlay {
            Some(Overlay::Prompt(prompt)) => Some(prompt),
            _ => None,
        }
    }

    pub fn message_log(&self) -> Option<&MessageLog> {
        match &self.overlay {
            Some(Overlay::Messages(log)) => Some(log),
            _ => None,
        }
    }

    pub fn help(&self) -> Option<&Help> {
        match &self.overlay {
            Some(Overlay::Help(help)) => Some(help),
            _ => None,
        }
    }

    pub fn question(&self) -> Option<&Question> {
        match &self.overlay {
            Some(Overlay::Question(question)) => Some(question),
            _ => None,
        }
    }

    /// A key press: whatever is open over the view takes it, else the key map.
    pub fn handle_key(&mut self, key: KeyEvent) {
        self.log_status();
        self.status = None;
        self.logged = None;
        match self.overlay.take() {
            None => {
                if let Some(action) = self.keymap.action_for(&key) {
                    self.update(action);
                }
            }
            Some(Overlay::Form(form)) => self.form_key(form, key),
            Some(Overlay::PersonForm(form)) => self.person_form_key(form, key),
            Some(Overlay::Question(question)) => self.answer(question, key),
            Some(Overlay::Help(help)) => self.help_key(help, key),
            Some(Overlay::Prompt(prompt)) => self.prompt_key(prompt, key),
            Some(Overlay::Messages(log)) => self.messages_key(log, key),
        }
    }

    /// Keeps the status in the message log, once for each time it is said: whoever set it (a
    /// key, the store, the terminal loop), it is logged before the next key clears it or when
    /// the store was synced.
    fn log_status(&mut self) {
        /// As many as a few screens of the log show; older ones go.
        const KEPT: usize = 100;
        if let Some(said) = &self.status
            && self.logged.as_ref() != Some(said)
        {
            if self.messages.len() == KEPT {
                self.messages.pop_front();
            }
            self.messages.push_back(said.clone());
            self.logged = Some(said.clone());
        }
    }

    /// Another program wrote to the database: read everything again.
    pub fn reload(&mut self) {
        self.requests.push_back(Request::Reload(
            "the database was changed elsewhere; reloaded".into(),
        ));
    }

    /// Reloads everything shown from the store, then says `why`.
    pub fn reload_saying(&mut self, why: String) {
        self.requests.push_back(Request::Reload(why));
    }

    /// Pasted text: into the form's focused field, or the prompt being typed.
    pub fn handle_paste(&mut self, text: &str) {
        match &mut self.overlay {
            Some(Overlay::Form(form)) => form.paste(text),
            Some(Overlay::PersonForm(form)) => form.paste(text),
            Some(Overlay::Prompt(prompt)) => {
                prompt.replace_selection();
                for c in text.chars().filter(|c| !c.is_control()) {
                    prompt.input.handle(tui_input::InputRequest::InsertChar(c));
                }
                prompt.error = None;
                prompt.complete_name();
                if let PromptKind::Search(view) = prompt.kind {
                    let text = prompt.input.value().to_string();
                    self.search_as_typed(view, text);
                }
            }
            Some(Overlay::Help(help)) if help.filtering => {
                for c in text.chars().filter(|c| !c.is_control()) {
                    help.filter.handle(tui_input::InputRequest::InsertChar(c));
                }
            }
            _ => {}
        }
    }

    fn go_to(&mut self, view: View) {
        if self.view != view {
            self.back.push(self.view);
            self.view = view;
        }
    }

    /// The event the current view shows selected, if it shows one.
    pub fn selected_event(&self) -> Option<&Event> {
        match self.view {
            View::Timeline => self.timeline.selected_event(),
            View::History => self.history.selected_event(),
            View::Stats => self.stats.selected_event(),
            View::People | View::Chart => None,
        }
    }

    /// The person `3` opens: the one selected in People, the participant selected in the
    /// detail, or the first head of the selected event.
    fn person_in_context(&self) -> Option<i64> {
        match self.view {
            View::People => self.people.selected_person().map(|p| p.person.id),
            View::Timeline => self.timeline.person_in_context(),
            View::History | View::Stats | View::Chart => None,
        }
    }

    pub fn update(&mut self, action: Action) {
        let page = self.viewport.max(1);
        if self.view == View::Timeline
            && action == Action::Back
            && self.timeline.focus == Focus::List
            && let Some(before) = self.chart.unbrush(&self.timeline.filter_text)
        {
            self.requests.push_back(Request::ApplyFilter(before));
            self.view = self.back.pop().unwrap_or(View::Chart);
            return;
        }
        let effect = match self.view {
            View::Timeline => self.timeline.act(action, page),
            View::People => self.people.act(action, page),
            View::History => self.history.act(action, page),
            View::Stats => self.stats.act(action, page),
            View::Chart => self.chart.act(action),
        };
        match effect {
            Some(effect) => self.apply(effect),
            None => self.update_app(action),
        }
    }

    fn apply(&mut self, effect: Effect) {
        match effect {
            Effect::Nothing => {}
            Effect::Say(text) => self.status = Some(text),
            Effect::Request(request) => self.requests.push_back(request),
            Effect::RequestAndSay(request, text) => {
                self.requests.push_back(request);
                self.status = Some(text);
            }
        }
    }

    /// The keys that mean the same in every view.
    fn update_app(&mut self, action: Action) {
        match action {
            Action::Quit => self.quit = true,
            Action::Help => self.overlay = Some(Overlay::Help(Help::default())),
            Action::Messages => {
                if self.messages.is_empty() {
                    self.status = Some("no messages yet".into());
                } else {
                    self.overlay = Some(Overlay::Messages(MessageLog::default()));
                }
            }
            Action::Show(View::History) => match self.person_in_context() {
                Some(id) => self.requests.push_back(Request::OpenHistory(id)),
                None if self.history.person.is_some() => self.go_to(View::History),
                None => self.status = Some("select a person or an event first".into()),
            },
            Action::Show(view) => self.go_to(view),
            Action::Back => {
                if let Some(previous) = self.back.pop() {
                    self.view = previous;
                }
            }
            Action::Search => {
                let view = match self.view {
                    View::Stats | View::Chart => {
                        self.go_to(View::Timeline);
                        View::Timeline
                    }
                    View::Timeline => {
                        self.timeline.focus = Focus::List;
                        View::Timeline
                    }
                    view => view,
                };
                let current = self.search_of(view).to_string();
                self.open_prompt(PromptKind::Search(view), &current);
            }
            Action::NextMatch | Action::PreviousMatch => {
                let view = if matches!(self.view, View::Stats | View::Chart) {
                    View::Timeline
                } else {
                    self.view
                };
                let forward = action == Action::NextMatch;
                if self.search_of(view).trim().is_empty() {
                    self.status = Some("no search; press / to search".into());
                } else if view == View::Timeline || view == View::History {
                    self.go_to(view);
                    self.requests.push_back(Request::FindMatch {
                        in_history: view == View::History,
                        forward,
                        inclusive: false,
                    });
                } else {
                    self.find_in_list(view, forward, false);
                }
            }
            Action::Filter => {
                self.go_to(View::Timeline);
                let current = self.timeline.filter_text.clone();
                self.open_prompt(PromptKind::Filter, &current);
            }
            Action::JumpToDate => {
                self.go_to(View::Timeline);
                let day = self
                    .timeline
                    .selected_event()
                    .map_or(self.today, |e| e.date.first());
                self.calendar = Some(Calendar::new(day));
                self.open_prompt(PromptKind::Date, "");
            }
            Action::JumpToToday => {
                self.go_to(View::Timeline);
                self.requests
                    .push_back(Request::JumpTo(FuzzyDate::day(self.today)));
            }
            Action::LoadSeed => {
                if self.empty {
                    self.requests.push_back(Request::LoadSeed);
                } else {
                    self.status = Some("the database already holds events; `attache seed` adds the seed data from a shell".into());
                }
            }
            Action::Export => match self.view {
                View::Timeline => {
                    let name = timeline_file_name(
                        &self.timeline.filter_text,
                        &self.timeline.search,
                        self.today,
                    );
                    self.open_prompt(PromptKind::Export, &name);
                }
                View::History => match &self.history.person {
                    Some(person) => {
                        let name =
                            format!("attache-history-{}-{}.csv", slug(&person.name), self.today);
                        self.open_prompt(PromptKind::Export, &name);
                    }
                    None => self.status = Some("open a person's history first".into()),
                },
                View::People | View::Stats | View::Chart => {
                    self.status =
                        Some("x exports the timeline (1) or a person's history (3)".into());
                }
            },
            Action::Add => self.requests.push_back(Request::OpenForm(None)),
            Action::Edit => match self.selected_event() {
                Some(event) => self.requests.push_back(Request::OpenForm(Some(event.id))),
                None => self.status = Some("select an event to edit".into()),
            },
            Action::Delete => match self.selected_event() {
                Some(event) => {
                    let label = format!(
                        "#{} \"{}\" ({})",
                        event.id,
                        event.title,
                        event.date.display(self.date_style)
                    );
                    self.overlay = Some(Overlay::Question(Question {
                        subject: format!("Delete {label}"),
                        choices: "? y deletes it, n keeps it",
                        yes: Request::Delete(event.id),
                        kept: "kept".into(),
                        back_to: None,
                        back_on_yes: false,
                    }));
                }
                None => self.status = Some("select an event to delete".into()),
            },
            Action::Merge => {
                self.status = Some("m merges people: select one in People (2)".into());
            }
            Action::Undo => self.requests.push_back(Request::Undo),
            Action::Redo => self.requests.push_back(Request::Redo),
            Action::OpenLink => {
                let url = self.selected_event().map(|event| {
                    event
                        .sources
                        .iter()
                        .find(|s| !s.url.is_empty())
                        .map(|s| s.url.clone())
                });
                match url {
                    Some(Some(url)) => {
                        self.status = Some(format!("opening {url}"));
                        self.outside.push(Outside::OpenUrl(url));
                    }
                    Some(None) => self.status = Some("this event's sources have no address".into()),
                    None => self.status = Some("select an event first".into()),
                }
            }
            Action::CopyCitation => match self.selected_event() {
                Some(event) => {
                    let citation = crate::report::citation(event, self.date_style);
                    self.status = Some(format!("copied: {citation}"));
                    self.outside.push(Outside::Copy(citation));
                }
                None => self.status = Some("select an event first".into()),
            },
            Action::NextFocus => {
                self.status =
                    Some("Tab moves between the list and the detail in the timeline".into());
            }
            Action::CycleSort => {
                self.status = Some("s sorts the timeline (1) and the people (2)".into());
            }
            Action::ZoomIn | Action::ZoomOut => {
                self.status = Some("+ and - zoom the chart (5)".into());
            }
            Action::Open
            | Action::Left
            | Action::Right
            | Action::Up
            | Action::Down
            | Action::PageUp
            | Action::PageDown
            | Action::Top
            | Action::Bottom
            | Action::Select(_)
            | Action::ScrollDetail(_) => {}
        }
    }

    /// Loads from the store what the state now shows, and carries out requests that need it.
    /// A store error becomes a status message; the interface stays up.
    pub fn sync(&mut self, store: &mut Store) {
        if let Err(error) = self.try_sync(store) {
            self.requests.clear();
            self.status = Some(format!("error: {error}"));
        }
        self.log_status();
    }

    fn try_sync(&mut self, store: &mut Store) -> crate::store::Result<()> {
        if !self.labels_read {
            self.labels = store.labels()?;
            self.labels_read = true;
        }
        if self.timeline.stale {
            self.recount(store)?;
        }
        while let Some(request) = self.requests.pop_front() {
            self.carry_out(request, store)?;
        }
        self.timeline
            .load(store, self.viewport, &self.labels, self.date_style)?;
        if self.history.stale {
            match self.history.person.as_ref().map(|p| p.id) {
                Some(id) => self.history.open(store, id, self.date_style)?,
                None => self.history.stale = false,
            }
        }
        let dating = matches!(self.prompt(), Some(p) if p.kind == PromptKind::Date);
        match &mut self.calendar {
            Some(calendar) if dating => calendar.load(store, &self.timeline.filter)?,
            _ => self.calendar = None,
        }
        if self.view == View::History {
            self.history
                .list
                .load(store, self.viewport, &self.labels, self.date_style)?;
        }
        match self.view {
            View::People if !self.people.loaded => self.people.load(store)?,
            View::Stats if !self.stats.loaded => {
                self.stats
                    .load(store, &self.timeline.filter, &self.timeline.filter_text)?;
            }
            View::Chart => {
                if !self.chart.loaded {
                    self.chart.load(
                        store,
                        &self.timeline.filter,
                        &self.timeline.filter_text,
                        self.viewport,
                    )?;
                }
                self.chart.set_fit(self.viewport);
                if self.chart.stale {
                    self.chart.read_bars(store, &self.timeline.filter)?;
                }
            }
            _ => {}
        }
        keep_visible(
            &mut self.people.scroll,
            self.people.selected,
            self.viewport,
            self.people.people.len(),
        );
        Ok(())
    }

    fn recount(&mut self, store: &Store) -> crate::store::Result<()> {
        self.timeline.recount(store)?;
        self.empty = if self.timeline.filter == EventFilter::default() {
            self.timeline.total == 0
        } else {
            store.event_count(&EventFilter::default())? == 0
        };
        Ok(())
    }

    /// After a write: the timeline is counted again now, and everything else read from the
    /// store is read again when next shown.
    fn changed_store(&mut self, store: &Store) -> crate::store::Result<()> {
        self.timeline.detail = None;
        self.people.loaded = false;
        self.stats.loaded = false;
        self.chart.loaded = false;
        self.history.stale = true;
        self.labels = store.labels()?;
        self.recount(store)
    }

    /// The events the current view shows, and their order: the timeline with its filter and
    /// search, or the person's history.
    pub fn shown(&self) -> (EventFilter, Order) {
        match (self.view, &self.history.person) {
            (View::History, Some(person)) => (
                EventFilter {
                    people: vec![person.id],
                    ..EventFilter::default()
                },
                Order::OldestFirst,
            ),
            _ => (self.timeline.matching(), self.timeline.order),
        }
    }

    /// "123 / 4,567": the position in the current list.
    pub fn position_label(&self) -> String {
        let (index, total) = match self.view {
            View::Timeline => (self.timeline.selected, self.timeline.total),
            View::People => (self.people.selected, self.people.people.len()),
            View::History => (self.history.list.selected, self.history.list.total),
            View::Stats => (self.stats.row, self.stats.people.len()),
            View::Chart => (self.chart.cursor, self.chart.periods),
        };
        if total == 0 {
            "0 / 0".into()
        } else {
            format!(
                "{} / {}",
                crate::interchange::thousands(index + 1),
                crate::interchange::thousands(total)
            )
        }
    }
}

/// The next index in a list of `len` rows after a movement key.
fn step(action: Action, current: usize, len: usize, page: usize) -> usize {
    let last = len.saturating_sub(1);
    match action {
        Action::Up => current.saturating_sub(1),
        Action::Down => (current + 1).min(last),
        Action::PageUp => current.saturating_sub(page),
        Action::PageDown => (current + page).min(last),
        Action::Top => 0,
        Action::Bottom => last,
        Action::Select(index) => index.min(last),
        _ => current,
    }
}

/// Moves `scroll` so that `selected` is among the `rows` shown from it, and no further down a
/// list of `len` than fills the rows: a list that grew taller (a resized terminal) shows from
/// higher up rather than leave its lower rows empty.
fn keep_visible(scroll: &mut usize, selected: usize, rows: usize, len: usize) {
    let rows = rows.max(1);
    if selected < *scroll {
        *scroll = selected;
    } else if selected >= *scroll + rows {
        *scroll = selected + 1 - rows;
    }
    *scroll = (*scroll).min(len.saturating_sub(rows));
}

/// "~/exports/x.csv" with the home folder in place of `~`.
pub fn expand_home(path: &str) -> std::path::PathBuf {
    let home = || directories::BaseDirs::new().map(|d| d.home_dir().to_path_buf());
    match path.strip_prefix("~") {
        Some(rest) if rest.is_empty() || rest.starts_with('/') => match home() {
            Some(home) => home.join(rest.trim_start_matches('/')),
            None => path.into(),
        },
        _ => path.into(),
    }
}

/// The file name the timeline's export offers: what the filter and the search keep, then
/// the day, "attache-timeline-witkoff-meeting-2026-12-06.csv". A filter's dates keep their
/// key ("from-2025-08"); the other keys go, their values say enough. Long filters are cut at
/// a word.
fn timeline_file_name(filter: &str, search: &str, today: NaiveDate) -> String {
    const MOST: usize = 48;
    let words = filter
        .split_whitespace()
        .map(|word| match word.split_once(':') {
            Some((key @ ("from" | "to"), value)) => format!("{key} {value}"),
            Some((_, value)) => value.to_string(),
            None => word.to_string(),
        });
    let mut about = String::new();
    for word in words.chain(std::iter::once(search.to_string())) {
        let word = slug(&word);
        if word.is_empty() || about.chars().count() + word.chars().count() + 1 > MOST {
            continue;
        }
        about.push_str(&word);
        about.push('-');
    }
    format!("attache-timeline-{about}{today}.csv")
}

/// "Vladimir Putin" → "vladimir-putin", for file names: letters of any script kept.
fn slug(name: &str) -> String {
    let words: Vec<String> = name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    words.join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_from_people_and_home() {
        assert_eq!(slug("Vladimir Putin"), "vladimir-putin");
        assert_eq!(slug("Владимир  Путин"), "владимир-путин");
        assert_eq!(slug("O'Brien–Smith"), "o-brien-smith");
        let day = NaiveDate::from_ymd_opt(2026, 12, 6).unwrap_or_default();
        assert_eq!(
            timeline_file_name("", "", day),
            "attache-timeline-2026-12-06.csv"
        );
        assert_eq!(
            timeline_file_name("person:witkoff kind:meeting from:2025-08", "Riyadh", day),
            "attache-timeline-witkoff-meeting-from-2025-08-riyadh-2026-12-06.csv"
        );
        assert_eq!(
            timeline_file_name("person:\"Владимир Путин\"", "", day),
            "attache-timeline-владимир-путин-2026-12-06.csv"
        );
        let long = "person:witkoff ".repeat(10);
        assert!(timeline_file_name(&long, "", day).chars().count() <= 17 + 48 + 14);
        assert_eq!(expand_home("a/b.csv"), std::path::PathBuf::from("a/b.csv"));
        if let Some(dirs) = directories::BaseDirs::new() {
            assert_eq!(expand_home("~/x.csv"), dirs.home_dir().join("x.csv"));
            assert_eq!(expand_home("~"), dirs.home_dir().to_path_buf());
        }
        assert_eq!(
            expand_home("~other/x"),
            std::path::PathBuf::from("~other/x")
        );
    }
}
