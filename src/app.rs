//! The state of the terminal interface and how it changes: a key becomes an `Action`
//! (`keymap`), `update` changes the state without touching the store, and `sync` then loads
//! from the store what the new state shows (a page of the timeline, the selected event's
//! detail, a person's history). Drawing only reads this state.

pub mod filter;
pub mod form;
pub mod keymap;
mod views;

pub use views::{
    Cell, Detail, History, HistoryRow, Member, PeopleList, PeopleSort, Row, Stats, Timeline,
    row_matches,
};
use views::{MATRIX_PEOPLE, WINDOW, history_notes, keep_visible, load_detail};

use chrono::NaiveDate;
use crossterm::event::{Event as TermEvent, KeyCode, KeyEvent};
use tui_input::Input;
use tui_input::backend::crossterm::to_input_request;

use crate::domain::counting::{self, Criteria};
use crate::domain::{Event, FuzzyDate};
use crate::report::{self, Ordinals};
use crate::store::{EventFilter, Order, Store};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Timeline,
    People,
    History,
    Stats,
}

impl View {
    pub const ALL: [View; 4] = [View::Timeline, View::People, View::History, View::Stats];

    pub fn title(self) -> &'static str {
        match self {
            View::Timeline => "Timeline",
            View::People => "People",
            View::History => "History",
            View::Stats => "Stats",
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
    Undo,
    Redo,
    Quit,
    /// Selects a row of the current list, as a mouse click does.
    Select(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    List,
    Detail,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptKind {
    Search,
    Filter,
    Date,
    Export,
}

impl PromptKind {
    pub fn label(self) -> &'static str {
        match self {
            PromptKind::Search => "/",
            PromptKind::Filter => "filter: ",
            PromptKind::Date => "go to date: ",
            PromptKind::Export => "export CSV to: ",
        }
    }
}

/// A line being typed at the bottom of the screen.
#[derive(Debug, Clone)]
pub struct Prompt {
    pub kind: PromptKind,
    pub input: Input,
    pub error: Option<String>,
    /// Where the selection was when the prompt opened, to go back to on Esc.
    origin: usize,
    /// An existing file the user was warned about; Enter on the same path overwrites it.
    overwrite: Option<String>,
}

/// Work for `sync`, which has the store.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Request {
    /// Select this event, or the nearest row to where it would be.
    Follow {
        date: NaiveDate,
        id: i64,
    },
    FindMatch {
        forward: bool,
        inclusive: bool,
    },
    ApplyFilter(String),
    JumpTo(FuzzyDate),
    OpenHistory(i64),
    OpenEvent(i64),
    LoadSeed,
    Export(String),
    OpenForm(Option<i64>),
    SaveForm(Box<crate::domain::EventDraft>),
    Delete(i64),
    Undo,
    Redo,
    Reload,
}

pub struct App {
    pub view: View,
    pub focus: Focus,
    pub quit: bool,
    pub timeline: Timeline,
    pub people: PeopleList,
    pub history: History,
    pub stats: Stats,
    pub prompt: Option<Prompt>,
    /// The help overlay, with what has been typed to filter it.
    pub help: Option<Input>,
    /// The entry form, open over the current view.
    pub form: Option<form::Form>,
    /// A deletion waiting for y: the event's number and how it is named.
    pub confirm_delete: Option<(i64, String)>,
    /// A message for the status bar, cleared by the next key.
    pub status: Option<String>,
    /// The database holds no events at all.
    pub empty: bool,
    /// Rows the current list shows, set by the loop from the terminal's size.
    pub viewport: usize,
    pub today: NaiveDate,
    back: Vec<View>,
    requests: Vec<Request>,
    history_stale: bool,
}

impl App {
    pub fn new(today: NaiveDate) -> Self {
        App {
            view: View::Timeline,
            focus: Focus::List,
            quit: false,
            timeline: Timeline {
                stale: true,
                ..Timeline::default()
            },
            people: PeopleList::default(),
            history: History::default(),
            stats: Stats::default(),
            prompt: None,
            help: None,
            form: None,
            confirm_delete: None,
            status: None,
            empty: false,
            viewport: 20,
            today,
            back: Vec::new(),
            requests: Vec::new(),
            history_stale: false,
        }
    }

    /// A key press: a field being typed in takes it first, then the key map.
    pub fn handle_key(&mut self, key: KeyEvent) {
        self.status = None;
        if let Some(form) = self.form.as_mut() {
            match form.handle_key(key) {
                form::Outcome::Stay => {}
                form::Outcome::Close => self.form = None,
                form::Outcome::Save(draft) => self.requests.push(Request::SaveForm(draft)),
            }
            if self
                .form
                .as_ref()
                .is_some_and(|f| f.tried && !f.problems().is_empty())
            {
                let count = self.form.as_ref().map_or(0, |f| f.problems().len());
                self.status = Some(format!(
                    "not saved: {count} {} to fix, marked in the form",
                    if count == 1 { "problem" } else { "problems" }
                ));
            }
        } else if let Some((number, _)) = self.confirm_delete.take() {
            if matches!(key.code, KeyCode::Char('y') | KeyCode::Char('Y')) {
                self.requests.push(Request::Delete(number));
            } else {
                self.status = Some("kept".into());
            }
        } else if self.help.is_some() {
            self.help_key(key);
        } else if self.prompt.is_some() {
            self.prompt_key(key);
        } else if let Some(action) = keymap::action_for(&key) {
            self.update(action);
        }
    }

    /// Another program wrote to the database: read everything again.
    pub fn reload(&mut self) {
        self.requests.push(Request::Reload);
    }

    /// Pasted text: into the form's focused field, or the prompt being typed.
    pub fn handle_paste(&mut self, text: &str) {
        if let Some(form) = self.form.as_mut() {
            form.paste(text);
        } else if let Some(prompt) = self.prompt.as_mut() {
            for c in text.chars().filter(|c| !c.is_control()) {
                prompt.input.handle(tui_input::InputRequest::InsertChar(c));
            }
        }
    }

    /// The event the selection points at in the timeline or a history.
    fn selected_event(&self) -> Option<&Event> {
        match self.view {
            View::History => self
                .history
                .rows
                .get(self.history.selected)
                .map(|r| &r.event),
            _ => self.timeline.selected_row().map(|r| &r.event),
        }
    }

    fn help_key(&mut self, key: KeyEvent) {
        let Some(input) = self.help.as_mut() else {
            return;
        };
        match key.code {
            KeyCode::Esc | KeyCode::Enter => self.help = None,
            _ => {
                if let Some(request) = to_input_request(&TermEvent::Key(key)) {
                    input.handle(request);
                }
            }
        }
    }

    fn prompt_key(&mut self, key: KeyEvent) {
        let Some(prompt) = self.prompt.as_mut() else {
            return;
        };
        match key.code {
            KeyCode::Esc => {
                let origin = prompt.origin;
                if prompt.kind == PromptKind::Search {
                    self.timeline.search.clear();
                    self.timeline.selected = origin;
                }
                self.prompt = None;
            }
            KeyCode::Enter => {
                let text = prompt.input.value().trim().to_string();
                match prompt.kind {
                    PromptKind::Search => self.prompt = None,
                    PromptKind::Filter => self.requests.push(Request::ApplyFilter(text)),
                    PromptKind::Export => self.requests.push(Request::Export(text)),
                    PromptKind::Date => match FuzzyDate::parse_human(&text, self.today) {
                        Ok(date) => {
                            self.requests.push(Request::JumpTo(date));
                            self.prompt = None;
                        }
                        Err(e) => prompt.error = Some(format!("{e} ({text})")),
                    },
                }
            }
            _ => {
                if let Some(request) = to_input_request(&TermEvent::Key(key)) {
                    prompt.input.handle(request);
                }
                prompt.error = None;
                if prompt.kind == PromptKind::Search {
                    self.timeline.search = prompt.input.value().to_string();
                    self.timeline.selected = prompt.origin;
                    if !self.timeline.search.trim().is_empty() {
                        self.requests.push(Request::FindMatch {
                            forward: true,
                            inclusive: true,
                        });
                    }
                }
            }
        }
    }

    fn open_prompt(&mut self, kind: PromptKind, value: &str) {
        self.prompt = Some(Prompt {
            kind,
            input: Input::new(value.to_string()),
            error: None,
            origin: self.timeline.selected,
            overwrite: None,
        });
    }

    fn go_to(&mut self, view: View) {
        if self.view != view {
            self.back.push(self.view);
            self.view = view;
        }
    }

    /// The person `3` opens: the one selected in People, the participant selected in the
    /// detail, or the first head of the selected event.
    fn person_in_context(&self) -> Option<i64> {
        match self.view {
            View::People => self
                .people
                .people
                .get(self.people.selected)
                .map(|p| p.person.id),
            View::Timeline => {
                let detail = self.timeline.detail.as_ref()?;
                if self.focus == Focus::Detail {
                    detail
                        .members()
                        .nth(self.timeline.member)
                        .map(|m| m.person_id)
                } else {
                    let heads = detail.event.heads();
                    heads
                        .first()
                        .map(|p| p.person_id)
                        .or_else(|| detail.event.participants.first().map(|p| p.person_id))
                }
            }
            View::History | View::Stats => None,
        }
    }

    pub fn update(&mut self, action: Action) {
        match action {
            Action::Quit => self.quit = true,
            Action::Help => self.help = Some(Input::default()),
            Action::Show(View::History) => match self.person_in_context() {
                Some(id) => self.requests.push(Request::OpenHistory(id)),
                None if self.history.person.is_some() => self.go_to(View::History),
                None => self.status = Some("select a person or an event first".into()),
            },
            Action::Show(view) => self.go_to(view),
            Action::Back => self.back(),
            Action::NextFocus => {
                if self.view == View::Timeline && self.timeline.detail.is_some() {
                    self.focus = match self.focus {
                        Focus::List => Focus::Detail,
                        Focus::Detail => Focus::List,
                    };
                }
            }
            Action::Search => {
                self.go_to(View::Timeline);
                self.focus = Focus::List;
                let current = self.timeline.search.clone();
                self.open_prompt(PromptKind::Search, &current);
            }
            Action::NextMatch | Action::PreviousMatch => {
                if self.timeline.search.trim().is_empty() {
                    self.status = Some("no search; press / to search".into());
                } else {
                    self.go_to(View::Timeline);
                    self.requests.push(Request::FindMatch {
                        forward: action == Action::NextMatch,
                        inclusive: false,
                    });
                }
            }
            Action::Filter => {
                self.go_to(View::Timeline);
                let current = self.timeline.filter_text.clone();
                self.open_prompt(PromptKind::Filter, &current);
            }
            Action::JumpToDate => {
                self.go_to(View::Timeline);
                self.open_prompt(PromptKind::Date, "");
            }
            Action::JumpToToday => {
                self.go_to(View::Timeline);
                self.requests
                    .push(Request::JumpTo(FuzzyDate::day(self.today)));
            }
            Action::CycleSort => self.cycle_sort(),
            Action::LoadSeed => {
                if self.empty {
                    self.requests.push(Request::LoadSeed);
                } else {
                    self.status = Some("the database already holds events; `attache seed` adds the seed data from a shell".into());
                }
            }
            Action::Export => match self.view {
                View::Timeline | View::History => {
                    let name = format!(
                        "attache-{}-{}.csv",
                        self.view.title().to_lowercase(),
                        self.today
                    );
                    self.open_prompt(PromptKind::Export, &name);
                }
                View::People | View::Stats => {
                    self.status =
                        Some("x exports the timeline (1) or a person's history (3)".into());
                }
            },
            Action::Add => self.requests.push(Request::OpenForm(None)),
            Action::Edit => match self.selected_event() {
                Some(event) => self.requests.push(Request::OpenForm(Some(event.id))),
                None => self.status = Some("select an event to edit".into()),
            },
            Action::Delete => match self.selected_event() {
                Some(event) => {
                    let label = format!(
                        "#{} \"{}\" ({})",
                        event.id,
                        event.title,
                        event.date.display()
                    );
                    self.confirm_delete = Some((event.id, label));
                }
                None => self.status = Some("select an event to delete".into()),
            },
            Action::Undo => self.requests.push(Request::Undo),
            Action::Redo => self.requests.push(Request::Redo),
            Action::Open => self.open(),
            Action::Left | Action::Right => {
                if self.view == View::Stats && !self.stats.open {
                    let last = self.stats.people.len().saturating_sub(1);
                    self.stats.column = match action {
                        Action::Left => self.stats.column.saturating_sub(1),
                        _ => (self.stats.column + 1).min(last),
                    };
                }
            }
            Action::Up
            | Action::Down
            | Action::PageUp
            | Action::PageDown
            | Action::Top
            | Action::Bottom
            | Action::Select(_) => self.move_selection(action),
        }
    }

    fn back(&mut self) {
        if self.view == View::Timeline && self.focus == Focus::Detail {
            self.focus = Focus::List;
        } else if self.view == View::Stats && self.stats.open {
            self.stats.open = false;
        } else if self.view == View::Timeline && !self.timeline.filter_text.is_empty() {
            self.requests.push(Request::ApplyFilter(String::new()));
        } else if self.view == View::Timeline && !self.timeline.search.is_empty() {
            self.timeline.search.clear();
        } else if let Some(previous) = self.back.pop() {
            self.view = previous;
        }
    }

    fn cycle_sort(&mut self) {
        match self.view {
            View::Timeline => {
                self.timeline.order = match self.timeline.order {
                    Order::OldestFirst => Order::NewestFirst,
                    Order::NewestFirst => Order::OldestFirst,
                };
                self.timeline.stale = true;
                if let Some(row) = self.timeline.selected_row() {
                    let (date, id) = (row.event.date.first(), row.event.id);
                    self.requests.push(Request::Follow { date, id });
                }
                let label = match self.timeline.order {
                    Order::OldestFirst => "oldest first",
                    Order::NewestFirst => "newest first",
                };
                self.status = Some(format!("timeline: {label}"));
            }
            View::People => {
                self.people.sort = match self.people.sort {
                    PeopleSort::Name => PeopleSort::Events,
                    PeopleSort::Events => PeopleSort::LastSeen,
                    PeopleSort::LastSeen => PeopleSort::Name,
                };
                self.people.sort();
                self.status = Some(format!("people by {}", self.people.sort.label()));
            }
            View::History | View::Stats => {}
        }
    }

    fn open(&mut self) {
        match self.view {
            View::Timeline => match self.focus {
                Focus::List => {
                    if self.timeline.detail.is_some() {
                        self.focus = Focus::Detail;
                        self.timeline.member = 0;
                    }
                }
                Focus::Detail => {
                    if let Some(id) = self.person_in_context() {
                        self.requests.push(Request::OpenHistory(id));
                    }
                }
            },
            View::People => {
                if let Some(id) = self.person_in_context() {
                    self.requests.push(Request::OpenHistory(id));
                }
            }
            View::History => {
                if let Some(row) = self.history.rows.get(self.history.selected) {
                    self.requests.push(Request::OpenEvent(row.event.id));
                }
            }
            View::Stats => {
                if self.stats.open {
                    let chosen = self
                        .stats
                        .cell()
                        .and_then(|c| c.meetings.get(self.stats.meeting));
                    if let Some(event) = chosen {
                        self.requests.push(Request::OpenEvent(event.id));
                    }
                } else if self.stats.cell().is_some_and(|c| !c.meetings.is_empty()) {
                    self.stats.open = true;
                    self.stats.meeting = 0;
                }
            }
        }
    }

    fn move_selection(&mut self, action: Action) {
        let page = self.viewport.max(1);
        let step = |current: usize, len: usize| -> usize {
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
        };
        match self.view {
            View::Timeline => match self.focus {
                Focus::List => {
                    self.timeline.selected = step(self.timeline.selected, self.timeline.total)
                }
                Focus::Detail => match action {
                    Action::PageDown => {
                        self.timeline.detail_scroll =
                            self.timeline.detail_scroll.saturating_add(page as u16 / 2)
                    }
                    Action::PageUp => {
                        self.timeline.detail_scroll =
                            self.timeline.detail_scroll.saturating_sub(page as u16 / 2)
                    }
                    _ => {
                        let members = self
                            .timeline
                            .detail
                            .as_ref()
                            .map_or(0, |d| d.members().count());
                        self.timeline.member = step(self.timeline.member, members);
                    }
                },
            },
            View::People => {
                self.people.selected = step(self.people.selected, self.people.people.len());
            }
            View::History => {
                self.history.selected = step(self.history.selected, self.history.rows.len());
            }
            View::Stats => {
                if self.stats.open {
                    let count = self.stats.cell().map_or(0, |c| c.meetings.len());
                    self.stats.meeting = step(self.stats.meeting, count);
                } else {
                    self.stats.row = step(self.stats.row, self.stats.people.len());
                }
            }
        }
    }

    /// Loads from the store what the state now shows, and carries out requests that need it.
    /// A store error becomes a status message; the interface stays up.
    pub fn sync(&mut self, store: &mut Store) {
        if let Err(error) = self.try_sync(store) {
            self.status = Some(format!("error: {error}"));
        }
    }

    fn try_sync(&mut self, store: &mut Store) -> anyhow::Result<()> {
        if self.timeline.stale {
            self.recount(store)?;
        }
        for request in std::mem::take(&mut self.requests) {
            self.carry_out(request, store)?;
        }
        self.load_timeline(store)?;
        if self.history_stale {
            match self.history.person.as_ref().map(|p| p.id) {
                Some(id) => self.load_history(store, id)?,
                None => self.history_stale = false,
            }
        }
        match self.view {
            View::People if !self.people.loaded => {
                self.people.people = store.people()?;
                self.people.loaded = true;
                self.people.sort();
            }
            View::Stats if !self.stats.loaded => self.load_stats(store)?,
            _ => {}
        }
        keep_visible(&mut self.people.scroll, self.people.selected, self.viewport);
        keep_visible(
            &mut self.history.scroll,
            self.history.selected,
            self.viewport,
        );
        Ok(())
    }

    fn recount(&mut self, store: &Store) -> anyhow::Result<()> {
        self.timeline.total = store.event_count(&self.timeline.filter)?;
        self.empty = if self.timeline.filter == EventFilter::default() {
            self.timeline.total == 0
        } else {
            store.event_count(&EventFilter::default())? == 0
        };
        self.timeline.rows.clear();
        self.timeline.stale = false;
        Ok(())
    }

    fn select_position(&mut self, store: &Store, date: NaiveDate, id: i64) -> anyhow::Result<()> {
        let position = store.position(&self.timeline.filter, self.timeline.order, date, id)?;
        self.timeline.selected = position.min(self.timeline.total.saturating_sub(1));
        Ok(())
    }

    fn carry_out(&mut self, request: Request, store: &mut Store) -> anyhow::Result<()> {
        match request {
            Request::Follow { date, id } => self.select_position(store, date, id)?,
            Request::FindMatch { forward, inclusive } => {
                self.find_match(store, forward, inclusive)?
            }
            Request::ApplyFilter(text) => {
                let today = self.today;
                let resolve = |name: &str| {
                    store
                        .resolve_person(name)
                        .map(|p| p.id)
                        .map_err(|e| e.to_string())
                };
                match filter::parse(&text, &resolve, today) {
                    Ok(filter) => {
                        let current = self
                            .timeline
                            .selected_row()
                            .map(|r| (r.event.date.first(), r.event.id));
                        self.timeline.filter = filter;
                        self.timeline.filter_text = text;
                        self.prompt = None;
                        self.recount(store)?;
                        if let Some((date, id)) = current {
                            self.select_position(store, date, id)?;
                        }
                    }
                    Err(error) => match self.prompt.as_mut() {
                        Some(prompt) => prompt.error = Some(error),
                        None => self.status = Some(error),
                    },
                }
            }
            Request::JumpTo(date) => {
                let (day, id) = match self.timeline.order {
                    Order::OldestFirst => (date.first(), i64::MIN),
                    Order::NewestFirst => (date.last(), i64::MAX),
                };
                self.select_position(store, day, id)?;
                self.focus = Focus::List;
                self.status = Some(format!("went to {}", date.display()));
            }
            Request::OpenHistory(person_id) => {
                self.load_history(store, person_id)?;
                self.history.selected = 0;
                self.history.scroll = 0;
                self.go_to(View::History);
            }
            Request::OpenEvent(id) => {
                let event = store.event(id)?;
                let (date, id) = (event.date.first(), event.id);
                let visible =
                    store.position(&self.timeline.filter, self.timeline.order, date, id)?;
                let shown = self.timeline.row(visible).is_some_and(|r| r.event.id == id)
                    || store
                        .events_page(&self.timeline.filter, self.timeline.order, visible, 1)?
                        .first()
                        .is_some_and(|e| e.id == id);
                if !shown {
                    self.timeline.filter = EventFilter::default();
                    self.timeline.filter_text.clear();
                    self.recount(store)?;
                    self.status = Some("filter cleared to show the event".into());
                }
                self.select_position(store, date, id)?;
                self.go_to(View::Timeline);
                self.focus = Focus::Detail;
                self.timeline.member = 0;
            }
            Request::Export(path) => self.export(store, path)?,
            Request::OpenForm(number) => {
                let known = form::Known {
                    people: store.names()?,
                    cities: store.cities()?,
                };
                self.form = Some(match number {
                    Some(number) => form::Form::editing(&store.event(number)?, self.today, known),
                    None => form::Form::new(self.today, known),
                });
            }
            Request::SaveForm(draft) => {
                let editing = self.form.as_ref().and_then(|f| f.editing);
                let saved = match editing {
                    None => store.add_event(&draft, crate::store::NewPeople::Create),
                    Some(number) => store
                        .edit_event(number, &draft, crate::store::NewPeople::Create)
                        .map(|()| number),
                };
                match saved {
                    Ok(number) => {
                        self.form = None;
                        self.changed_store(store)?;
                        self.carry_out(Request::OpenEvent(number), store)?;
                        let event = store.event(number)?;
                        let ordinal = Ordinals::new(store).headline(&event)?.replacen(
                            "will be",
                            "this will be",
                            1,
                        );
                        let verb = if editing.is_some() { "saved" } else { "added" };
                        self.status = Some(match ordinal.as_str() {
                            "" => format!("{verb} #{number}"),
                            o if o.starts_with("this will be") => format!("{verb} #{number}: {o}"),
                            o => format!("{verb} #{number}: this is the {o}"),
                        });
                    }
                    Err(error) => self.status = Some(format!("not saved: {error}")),
                }
            }
            Request::Delete(number) => {
                let event = store.delete_event(number)?;
                self.changed_store(store)?;
                self.status = Some(format!("deleted #{number} \"{}\"; u undoes", event.title));
            }
            Request::Reload => {
                self.changed_store(store)?;
                self.status = Some("the database was changed elsewhere; reloaded".into());
            }
            Request::Undo | Request::Redo => {
                let done = if request == Request::Undo {
                    store.undo()?
                } else {
                    store.redo()?
                };
                self.changed_store(store)?;
                self.status = Some(done.unwrap_or_else(|| {
                    if request == Request::Undo {
                        "nothing to undo"
                    } else {
                        "nothing to redo"
                    }
                    .to_string()
                }));
            }
            Request::LoadSeed => {
                let summary = crate::interchange::seed(store)?;
                self.status = Some(summary.line(false));
                self.changed_store(store)?;
            }
        }
        Ok(())
    }

    /// After a write: the timeline is counted again now, and everything else read from the
    /// store is read again when next shown.
    fn changed_store(&mut self, store: &Store) -> anyhow::Result<()> {
        self.timeline.detail = None;
        self.people.loaded = false;
        self.stats.loaded = false;
        self.history_stale = true;
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
            _ => {
                let mut filter = self.timeline.filter.clone();
                if !self.timeline.search.trim().is_empty() {
                    filter.search.push(self.timeline.search.clone());
                }
                (filter, self.timeline.order)
            }
        }
    }

    fn export(&mut self, store: &Store, path: String) -> anyhow::Result<()> {
        let Some(prompt) = self.prompt.as_mut() else {
            return Ok(());
        };
        if path.is_empty() {
            prompt.error = Some("type a file name".into());
            return Ok(());
        }
        let target = std::path::Path::new(&path);
        if target.exists() && prompt.overwrite.as_deref() != Some(path.as_str()) {
            prompt.error = Some(format!("{path} exists: Enter overwrites it, Esc keeps it"));
            prompt.overwrite = Some(path);
            return Ok(());
        }
        let (filter, order) = self.shown();
        let written = crate::interchange::write_file_atomically(target, |out| {
            crate::interchange::csv::export(store, &filter, order, out, Default::default())
        });
        match written {
            Ok(rows) => {
                self.prompt = None;
                self.status = Some(format!(
                    "exported {} {} to {path}",
                    crate::interchange::thousands(rows),
                    if rows == 1 { "row" } else { "rows" }
                ));
            }
            Err(error) => {
                if let Some(prompt) = self.prompt.as_mut() {
                    prompt.error = Some(error.to_string());
                }
            }
        }
        Ok(())
    }

    fn load_history(&mut self, store: &Store, person_id: i64) -> anyhow::Result<()> {
        let person = store.person(person_id)?;
        let events = store.person_history(person_id)?;
        self.history.rows = events
            .iter()
            .map(|event| HistoryRow {
                event: event.clone(),
                notes: history_notes(event, &person, &events),
            })
            .collect();
        self.history.counterparts = counting::counterparts(&events, person_id);
        self.history.person = Some(person);
        self.history.selected = self
            .history
            .selected
            .min(self.history.rows.len().saturating_sub(1));
        self.history_stale = false;
        Ok(())
    }

    fn find_match(&mut self, store: &Store, forward: bool, inclusive: bool) -> anyhow::Result<()> {
        let text = self.timeline.search.trim().to_string();
        if text.is_empty() {
            return Ok(());
        }
        self.load_timeline(store)?;
        let Some(row) = self.timeline.selected_row() else {
            return Ok(());
        };
        if inclusive && row_matches(row, &text) {
            return Ok(());
        }
        let from = (row.event.date.first(), row.event.id);
        let found = store.next_match(
            &self.timeline.filter,
            self.timeline.order,
            from,
            &text,
            forward,
        )?;
        let wrapped = match found {
            Some(found) => Some((found, false)),
            None => {
                // Dates are compared as ISO text in the store, so the edges must be four-digit
                // years: chrono's own MIN and MAX print with a sign and sort wrongly.
                let edge = match (self.timeline.order == Order::OldestFirst) == forward {
                    true => (
                        NaiveDate::from_ymd_opt(1, 1, 1).unwrap_or_default(),
                        i64::MIN,
                    ),
                    false => (
                        NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or_default(),
                        i64::MAX,
                    ),
                };
                store
                    .next_match(
                        &self.timeline.filter,
                        self.timeline.order,
                        edge,
                        &text,
                        forward,
                    )?
                    .map(|f| (f, true))
            }
        };
        match wrapped {
            Some(((date, id), wrapped)) => {
                self.select_position(store, date, id)?;
                if wrapped {
                    self.status = Some("search wrapped around".into());
                }
            }
            None => self.status = Some(format!("no match for \"{text}\"")),
        }
        Ok(())
    }

    fn load_timeline(&mut self, store: &Store) -> anyhow::Result<()> {
        let timeline = &mut self.timeline;
        if timeline.total == 0 {
            timeline.selected = 0;
            timeline.rows.clear();
            timeline.detail = None;
            return Ok(());
        }
        timeline.selected = timeline.selected.min(timeline.total - 1);
        keep_visible(&mut timeline.scroll, timeline.selected, self.viewport);
        let wanted_end = (timeline.scroll + self.viewport + 1).min(timeline.total);
        let covered = timeline.window_start <= timeline.scroll.min(timeline.selected)
            && timeline.window_start + timeline.rows.len() >= wanted_end.max(timeline.selected + 1);
        if !covered {
            let start = timeline
                .scroll
                .min(timeline.selected)
                .saturating_sub(WINDOW / 4);
            let events = store.events_page(&timeline.filter, timeline.order, start, WINDOW)?;
            let mut ordinals = Ordinals::new(store);
            timeline.rows = events
                .into_iter()
                .map(|event| {
                    let badge = ordinals
                        .for_event(&event)?
                        .first()
                        .map(|l| l.ordinal.badge())
                        .unwrap_or_default();
                    Ok(Row {
                        heads: report::heads_label(&event),
                        badge,
                        event,
                    })
                })
                .collect::<crate::store::Result<Vec<_>>>()?;
            timeline.window_start = start;
        }
        let selected_id = timeline.selected_row().map(|r| r.event.id);
        if timeline.detail.as_ref().map(|d| d.event.id) != selected_id {
            timeline.member = 0;
            timeline.detail_scroll = 0;
            timeline.detail = match timeline.selected_row() {
                Some(row) => Some(load_detail(store, &row.event)?),
                None => None,
            };
        }
        Ok(())
    }

    fn load_stats(&mut self, store: &Store) -> anyhow::Result<()> {
        let stats = &mut self.stats;
        stats.months = store.events_per_month()?;
        stats.kinds = store.events_per_kind()?;
        stats.countries = store.events_per_country()?;
        stats.people = store.most_active(MATRIX_PEOPLE)?;
        let mut ordinals = Ordinals::new(store);
        stats.cells = Vec::with_capacity(stats.people.len());
        for (a, _) in &stats.people {
            let mut row = Vec::with_capacity(stats.people.len());
            for (b, _) in &stats.people {
                let meetings = if a == b {
                    Vec::new()
                } else {
                    let history = ordinals.history(&[*a, *b])?;
                    counting::meetings(&history, &[*a, *b], Criteria::FACE_TO_FACE, None)
                        .into_iter()
                        .cloned()
                        .collect()
                };
                row.push(Cell { meetings });
            }
            stats.cells.push(row);
        }
        stats.row = stats.row.min(stats.people.len().saturating_sub(1));
        stats.column = stats.column.min(stats.people.len().saturating_sub(1));
        stats.loaded = true;
        Ok(())
    }

    /// "123 / 4,567": the position in the current list.
    pub fn position_label(&self) -> String {
        let (index, total) = match self.view {
            View::Timeline => (self.timeline.selected, self.timeline.total),
            View::People => (self.people.selected, self.people.people.len()),
            View::History => (self.history.selected, self.history.rows.len()),
            View::Stats => (self.stats.row, self.stats.people.len()),
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
