//! The state of the terminal interface and how it changes: a key becomes an `Action`
//! (`keymap`), `update` changes the state without touching the store, and `sync` then loads
//! from the store what the new state shows and carries out the requests `update` queued.
//! Drawing only reads this state. Each view is a module of its own with its state, its keys
//! and its loader; what opens over a view is one `Overlay`.

pub mod filter;
pub mod form;
mod history;
pub mod keymap;
mod overlay;
mod people;
mod stats;
mod timeline;

use std::collections::VecDeque;

pub use history::{History, HistoryRow};
pub use overlay::{Help, Overlay, Prompt, PromptKind, Question};
pub use people::{PeopleList, PeopleSort};
pub use stats::{Cell, Meeting, Stats};
pub use timeline::{Detail, Focus, Member, Row, Timeline, event_matches, row_matches};

use chrono::NaiveDate;
use crossterm::event::{Event as TermEvent, KeyCode, KeyEvent};
use tui_input::backend::crossterm::to_input_request;

use crate::domain::{Event, EventDraft, FuzzyDate};
use crate::report::Ordinals;
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
    /// Open the selected event's source in the browser.
    OpenLink,
    /// Copy a citation of the selected event to the clipboard.
    CopyCitation,
    Quit,
    /// Selects a row of the current list, as a mouse click does.
    Select(usize),
    /// Scrolls the detail pane down (`true`) or up, as the mouse wheel over it does.
    ScrollDetail(bool),
}

/// Work for `sync`, which has the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Request {
    /// Select this event, or the nearest row to where it would be.
    Follow(NaiveDate, i64),
    FindMatch {
        forward: bool,
        inclusive: bool,
    },
    ApplyFilter(String),
    JumpTo(FuzzyDate),
    OpenHistory(i64),
    OpenEvent(i64),
    LoadSeed,
    Export {
        path: String,
        overwrite: bool,
    },
    OpenForm(Option<i64>),
    SaveForm(Box<EventDraft>),
    Delete(i64),
    Undo,
    Redo,
    Reload,
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
    /// The one thing open over the view, if any: help, a prompt, the form, a question.
    pub overlay: Option<Overlay>,
    /// A message for the status bar, cleared by the next key.
    pub status: Option<String>,
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
    /// Work for the terminal loop: the clipboard, the browser.
    pub outside: Vec<Outside>,
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
            overlay: None,
            status: None,
            empty: false,
            viewport: 20,
            today,
            database: String::new(),
            keymap: keymap::KeyMap::default(),
            detail_placement: crate::config::DetailPlacement::default(),
            outside: Vec::new(),
            back: Vec::new(),
            requests: VecDeque::new(),
        }
    }

    pub fn form(&self) -> Option<&form::Form> {
        match &self.overlay {
            Some(Overlay::Form(form)) => Some(form),
            _ => None,
        }
    }

    pub fn prompt(&self) -> Option<&Prompt> {
        match &self.overlay {
            Some(Overlay::Prompt(prompt)) => Some(prompt),
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
        self.status = None;
        match self.overlay.take() {
            None => {
                if let Some(action) = self.keymap.action_for(&key) {
                    self.update(action);
                }
            }
            Some(Overlay::Form(form)) => self.form_key(form, key),
            Some(Overlay::Question(question)) => self.answer(question, key),
            Some(Overlay::Help(help)) => self.help_key(help, key),
            Some(Overlay::Prompt(prompt)) => self.prompt_key(prompt, key),
        }
    }

    /// Another program wrote to the database: read everything again.
    pub fn reload(&mut self) {
        self.requests.push_back(Request::Reload);
    }

    /// Pasted text: into the form's focused field, or the prompt being typed.
    pub fn handle_paste(&mut self, text: &str) {
        match &mut self.overlay {
            Some(Overlay::Form(form)) => form.paste(text),
            Some(Overlay::Prompt(prompt)) => {
                for c in text.chars().filter(|c| !c.is_control()) {
                    prompt.input.handle(tui_input::InputRequest::InsertChar(c));
                }
                prompt.error = None;
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

    fn form_key(&mut self, mut form: Box<form::Form>, key: KeyEvent) {
        match form.handle_key(key) {
            form::Outcome::Stay => {}
            form::Outcome::Close => {
                self.status = Some("closed the form; nothing was saved".into());
                return;
            }
            form::Outcome::Save(draft) => self.requests.push_back(Request::SaveForm(draft)),
        }
        if form.tried && !form.problems().is_empty() {
            let count = form.problems().len();
            self.status = Some(format!(
                "not saved: {count} {} to fix, marked in the form",
                if count == 1 { "problem" } else { "problems" }
            ));
        }
        self.overlay = Some(Overlay::Form(form));
    }

    fn answer(&mut self, question: Question, key: KeyEvent) {
        if matches!(key.code, KeyCode::Char('y') | KeyCode::Char('Y')) {
            self.requests.push_back(question.yes);
        } else {
            self.status = Some(question.kept);
            self.overlay = question.back_to.map(|o| *o);
        }
    }

    fn help_key(&mut self, mut help: Help, key: KeyEvent) {
        if help.filtering {
            match key.code {
                KeyCode::Enter => help.filtering = false,
                KeyCode::Esc => {
                    help.filtering = false;
                    help.filter.reset();
                }
                _ => {
                    if let Some(request) = to_input_request(&TermEvent::Key(key)) {
                        help.filter.handle(request);
                        help.scroll = 0;
                    }
                }
            }
            self.overlay = Some(Overlay::Help(help));
            return;
        }
        let page = self.viewport.max(2) - 1;
        match key.code {
            KeyCode::Esc | KeyCode::Char('q') | KeyCode::Char('?') => return,
            KeyCode::Char('/') => help.filtering = true,
            KeyCode::Char('j') | KeyCode::Down => help.scroll += 1,
            KeyCode::Char('k') | KeyCode::Up => help.scroll = help.scroll.saturating_sub(1),
            KeyCode::PageDown | KeyCode::Char(' ') => help.scroll += page,
            KeyCode::PageUp => help.scroll = help.scroll.saturating_sub(page),
            KeyCode::Char('g') | KeyCode::Home => help.scroll = 0,
            KeyCode::Char('G') | KeyCode::End => help.scroll = usize::MAX / 2,
            _ => {}
        }
        self.overlay = Some(Overlay::Help(help));
    }

    fn prompt_key(&mut self, mut prompt: Prompt, key: KeyEvent) {
        match key.code {
            KeyCode::Esc => {
                if let PromptKind::Search(view) = prompt.kind {
                    self.set_search(view, prompt.previous.clone());
                    self.select_index(view, prompt.origin);
                }
                return;
            }
            KeyCode::Enter => {
                let text = prompt.input.value().trim().to_string();
                match prompt.kind {
                    PromptKind::Search(_) => return,
                    PromptKind::Filter => self.requests.push_back(Request::ApplyFilter(text)),
                    PromptKind::Export => self.requests.push_back(Request::Export {
                        path: text,
                        overwrite: false,
                    }),
                    PromptKind::Date => match FuzzyDate::parse_human(&text, self.today) {
                        Ok(date) => {
                            self.requests.push_back(Request::JumpTo(date));
                            return;
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
                if let PromptKind::Search(view) = prompt.kind {
                    self.select_index(view, prompt.origin);
                    self.search_as_typed(view, prompt.input.value().to_string());
                }
            }
        }
        self.overlay = Some(Overlay::Prompt(prompt));
    }

    /// The search typed so far: the timeline asks the store; the other lists look themselves.
    fn search_as_typed(&mut self, view: View, text: String) {
        self.set_search(view, text.clone());
        if text.trim().is_empty() {
            return;
        }
        match view {
            View::Timeline => self.requests.push_back(Request::FindMatch {
                forward: true,
                inclusive: true,
            }),
            _ => self.find_in_list(view, true, true),
        }
    }

    fn set_search(&mut self, view: View, text: String) {
        match view {
            View::People => self.people.search = text,
            View::History => self.history.search = text,
            View::Timeline | View::Stats => self.timeline.search = text,
        }
    }

    fn search_of(&self, view: View) -> &str {
        match view {
            View::People => &self.people.search,
            View::History => &self.history.search,
            View::Timeline | View::Stats => &self.timeline.search,
        }
    }

    fn selected_index(&self, view: View) -> usize {
        match view {
            View::People => self.people.selected,
            View::History => self.history.selected,
            View::Timeline | View::Stats => self.timeline.selected,
        }
    }

    fn select_index(&mut self, view: View, index: usize) {
        match view {
            View::People => self.people.selected = index,
            View::History => self.history.selected = index,
            View::Timeline | View::Stats => self.timeline.selected = index,
        }
    }

    /// Moves to the next (or previous) match in the people list or the history, wrapping
    /// around, and says which match it is.
    fn find_in_list(&mut self, view: View, forward: bool, inclusive: bool) {
        let text = self.search_of(view).to_string();
        let (len, matches): (usize, Box<dyn Fn(usize) -> bool + '_>) = match view {
            View::People => (
                self.people.people.len(),
                Box::new(|i| self.people.matches(i, &text)),
            ),
            View::History => (
                self.history.rows.len(),
                Box::new(|i| self.history.matches(i, &text)),
            ),
            View::Timeline | View::Stats => return,
        };
        let found: Vec<usize> = (0..len).filter(|i| matches(*i)).collect();
        drop(matches);
        let current = self.selected_index(view);
        let next = if forward {
            found
                .iter()
                .find(|i| {
                    if inclusive {
                        **i >= current
                    } else {
                        **i > current
                    }
                })
                .or(found.first())
        } else {
            found.iter().rev().find(|i| **i < current).or(found.last())
        };
        match next {
            Some(index) => {
                let at = found.iter().position(|i| i == index).unwrap_or(0) + 1;
                self.select_index(view, *index);
                self.status = Some(format!("match {at} of {}", found.len()));
            }
            None => self.status = Some(format!("no match for \"{}\"", text.trim())),
        }
    }

    fn open_prompt(&mut self, kind: PromptKind, value: &str) {
        let view = match kind {
            PromptKind::Search(view) => view,
            _ => View::Timeline,
        };
        self.overlay = Some(Overlay::Prompt(Prompt::new(
            kind,
            value,
            self.selected_index(view),
            self.search_of(view).to_string(),
        )));
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
            View::People => None,
        }
    }

    /// The person `3` opens: the one selected in People, the participant selected in the
    /// detail, or the first head of the selected event.
    fn person_in_context(&self) -> Option<i64> {
        match self.view {
            View::People => self.people.selected_person().map(|p| p.person.id),
            View::Timeline => self.timeline.person_in_context(),
            View::History | View::Stats => None,
        }
    }

    pub fn update(&mut self, action: Action) {
        let page = self.viewport.max(1);
        let effect = match self.view {
            View::Timeline => self.timeline.act(action, page),
            View::People => self.people.act(action, page),
            View::History => self.history.act(action, page),
            View::Stats => self.stats.act(action, page),
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
                    View::Stats => {
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
                let view = if self.view == View::Stats {
                    View::Timeline
                } else {
                    self.view
                };
                let forward = action == Action::NextMatch;
                if self.search_of(view).trim().is_empty() {
                    self.status = Some("no search; press / to search".into());
                } else if view == View::Timeline {
                    self.go_to(View::Timeline);
                    self.requests.push_back(Request::FindMatch {
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
                    let name = format!("attache-timeline-{}.csv", self.today);
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
                View::People | View::Stats => {
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
                        event.date.display()
                    );
                    self.overlay = Some(Overlay::Question(Question {
                        subject: format!("Delete {label}"),
                        choices: "? y deletes it, n keeps it",
                        yes: Request::Delete(event.id),
                        kept: "kept".into(),
                        back_to: None,
                    }));
                }
                None => self.status = Some("select an event to delete".into()),
            },
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
                    let citation = crate::report::citation(event);
                    self.status = Some(format!("copied: {citation}"));
                    self.outside.push(Outside::Copy(citation));
                }
                None => self.status = Some("select an event first".into()),
            },
            Action::NextFocus => {
                self.status =
                    Some("Tab moves between the list and the detail in the timeline".into());
            }
            Action::Open
            | Action::Left
            | Action::Right
            | Action::CycleSort
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
            self.status = Some(format!("error: {error:#}"));
        }
    }

    fn try_sync(&mut self, store: &mut Store) -> anyhow::Result<()> {
        if self.timeline.stale {
            self.recount(store)?;
        }
        while let Some(request) = self.requests.pop_front() {
            self.carry_out(request, store)?;
        }
        self.timeline.load(store, self.viewport)?;
        if self.history.stale {
            match self.history.person.as_ref().map(|p| p.id) {
                Some(id) => self.history.load(store, id)?,
                None => self.history.stale = false,
            }
        }
        match self.view {
            View::People if !self.people.loaded => self.people.load(store)?,
            View::Stats if !self.stats.loaded => {
                self.stats
                    .load(store, &self.timeline.filter, &self.timeline.filter_text)?;
            }
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
        self.timeline.recount(store)?;
        self.empty = if self.timeline.filter == EventFilter::default() {
            self.timeline.total == 0
        } else {
            store.event_count(&EventFilter::default())? == 0
        };
        Ok(())
    }

    fn carry_out(&mut self, request: Request, store: &mut Store) -> anyhow::Result<()> {
        match request {
            Request::Follow(date, id) => self.timeline.select_position(store, date, id)?,
            Request::FindMatch { forward, inclusive } => {
                let said = self
                    .timeline
                    .find_match(store, self.viewport, forward, inclusive)?;
                if !said.is_empty() {
                    self.status = Some(said);
                }
            }
            Request::ApplyFilter(text) => self.apply_filter(store, text)?,
            Request::JumpTo(date) => self.jump_to(store, date)?,
            Request::OpenHistory(person_id) => {
                self.history.load(store, person_id)?;
                self.history.selected = 0;
                self.history.scroll = 0;
                self.go_to(View::History);
            }
            Request::OpenEvent(id) => self.open_event(store, id)?,
            Request::Export { path, overwrite } => self.export(store, path, overwrite)?,
            Request::OpenForm(number) => {
                let known = form::Known {
                    people: store.names()?,
                    cities: store.cities()?,
                    person_countries: store.countries_by_person()?,
                    city_countries: store.countries_by_city()?,
                };
                let form = match number {
                    Some(number) => form::Form::editing(&store.event(number)?, self.today, known),
                    None => form::Form::new(self.today, known),
                };
                self.overlay = Some(Overlay::Form(Box::new(form)));
            }
            Request::SaveForm(draft) => self.save_form(store, &draft)?,
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
                let undo = request == Request::Undo;
                let done = if undo { store.undo()? } else { store.redo()? };
                self.changed_store(store)?;
                self.status = Some(done.unwrap_or_else(|| {
                    if undo {
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

    fn apply_filter(&mut self, store: &Store, text: String) -> anyhow::Result<()> {
        let resolve = |name: &str| {
            store
                .resolve_person(name)
                .map(|p| p.id)
                .map_err(|e| e.to_string())
        };
        match filter::parse(&text, &resolve, self.today) {
            Ok(filter) => {
                let current = self
                    .timeline
                    .selected_event()
                    .map(|e| (e.date.first(), e.id));
                self.timeline.filter = filter;
                self.timeline.filter_text = text;
                self.overlay = None;
                self.stats.loaded = false;
                self.recount(store)?;
                if let Some((date, id)) = current {
                    self.timeline.select_position(store, date, id)?;
                }
                self.status = Some(match self.timeline.total {
                    0 => "no events match the filter; Esc clears it".to_string(),
                    1 => "1 event matches".to_string(),
                    n => format!("{} events match", crate::interchange::thousands(n)),
                });
            }
            Err(error) => match &mut self.overlay {
                Some(Overlay::Prompt(prompt)) => prompt.error = Some(error),
                _ => self.status = Some(error),
            },
        }
        Ok(())
    }

    /// Selects the event on `date`, or else the one nearest to it, and says which.
    fn jump_to(&mut self, store: &Store, date: FuzzyDate) -> anyhow::Result<()> {
        let timeline = &mut self.timeline;
        timeline.focus = Focus::List;
        if timeline.total == 0 {
            self.status = Some("no events to go to".into());
            return Ok(());
        }
        let (first, last) = (date.first(), date.last());
        let newest_first = timeline.order == Order::NewestFirst;
        // The two events either side of the date's start (oldest first) or end (newest first).
        let at = if newest_first {
            store.position(&timeline.filter, Order::OldestFirst, last, i64::MAX)?
        } else {
            store.position(&timeline.filter, Order::OldestFirst, first, i64::MIN)?
        };
        let around = store.events_page(
            &timeline.filter,
            Order::OldestFirst,
            at.saturating_sub(1),
            2,
        )?;
        let within = |e: &&Event| e.date.last() >= first && e.date.first() <= last;
        let distance = |e: &&Event| {
            let to_start = (e.date.first() - last).num_days().max(0);
            let to_end = (first - e.date.last()).num_days().max(0);
            to_start.max(to_end)
        };
        let inside = if newest_first {
            around.iter().rev().find(within)
        } else {
            around.iter().find(within)
        };
        let chosen = inside.or_else(|| around.iter().min_by_key(distance));
        let Some(chosen) = chosen else {
            return Ok(());
        };
        timeline.select_position(store, chosen.date.first(), chosen.id)?;
        self.status = Some(if within(&chosen) {
            format!("went to {}", date.display())
        } else {
            format!(
                "no event on {}; nearest: {}",
                date.display(),
                chosen.date.display()
            )
        });
        Ok(())
    }

    fn open_event(&mut self, store: &Store, id: i64) -> anyhow::Result<()> {
        let event = store.event(id)?;
        let (date, id) = (event.date.first(), event.id);
        let timeline = &self.timeline;
        let visible = store.position(&timeline.filter, timeline.order, date, id)?;
        let shown = store
            .events_page(&timeline.filter, timeline.order, visible, 1)?
            .first()
            .is_some_and(|e| e.id == id);
        if !shown {
            self.timeline.filter = EventFilter::default();
            self.timeline.filter_text.clear();
            self.stats.loaded = false;
            self.recount(store)?;
            self.status = Some("filter cleared to show the event".into());
        }
        self.timeline.select_position(store, date, id)?;
        self.go_to(View::Timeline);
        self.timeline.focus = Focus::Detail;
        self.timeline.member = 0;
        Ok(())
    }

    fn save_form(&mut self, store: &mut Store, draft: &EventDraft) -> anyhow::Result<()> {
        let editing = self.form().and_then(|f| f.editing);
        let saved = match editing {
            None => store.add_event(draft, crate::store::NewPeople::Create),
            Some(number) => store
                .edit_event(number, draft, crate::store::NewPeople::Create)
                .map(|()| number),
        };
        let number = match saved {
            Ok(number) => number,
            Err(error) => {
                self.status = Some(format!("not saved: {error:#}"));
                return Ok(());
            }
        };
        self.overlay = None;
        self.changed_store(store)?;
        self.open_event(store, number)?;
        let event = store.event(number)?;
        let ordinal = Ordinals::new(store)
            .headline(&event)?
            .replacen("will be", "this will be", 1);
        let verb = if editing.is_some() { "saved" } else { "added" };
        self.status = Some(match ordinal.as_str() {
            "" => format!("{verb} #{number}"),
            o if o.starts_with("this will be") => format!("{verb} #{number}: {o}"),
            o => format!("{verb} #{number}: this is the {o}"),
        });
        Ok(())
    }

    /// After a write: the timeline is counted again now, and everything else read from the
    /// store is read again when next shown.
    fn changed_store(&mut self, store: &Store) -> anyhow::Result<()> {
        self.timeline.detail = None;
        self.people.loaded = false;
        self.stats.loaded = false;
        self.history.stale = true;
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

    fn export(&mut self, store: &Store, path: String, overwrite: bool) -> anyhow::Result<()> {
        let refuse = |app: &mut App, error: String| match &mut app.overlay {
            Some(Overlay::Prompt(prompt)) => prompt.error = Some(error),
            _ => app.status = Some(format!("not exported: {error}")),
        };
        if path.is_empty() {
            refuse(self, "type a file name".into());
            return Ok(());
        }
        let target = expand_home(&path);
        if target.is_dir() {
            refuse(self, format!("{path} is a folder; add a file name"));
            return Ok(());
        }
        if target.exists() && !overwrite {
            let prompt = self.overlay.take();
            self.overlay = Some(Overlay::Question(Question {
                subject: format!("{path} exists"),
                choices: ". Overwrite it? y overwrites, n goes back",
                yes: Request::Export {
                    path,
                    overwrite: true,
                },
                kept: "not exported; the file is unchanged".into(),
                back_to: prompt.map(Box::new),
            }));
            return Ok(());
        }
        let person = match self.view {
            View::History => self.history.person.as_ref().map(|p| p.id),
            _ => None,
        };
        let (filter, order) = self.shown();
        let written = crate::interchange::write_file_atomically(&target, |out| match person {
            Some(person) => crate::interchange::csv::export_history(store, person, out),
            None => crate::interchange::csv::export(store, &filter, order, out, Default::default()),
        });
        match written {
            Ok(rows) => {
                self.overlay = None;
                self.status = Some(format!(
                    "exported {} {} to {}",
                    crate::interchange::thousands(rows),
                    if rows == 1 { "row" } else { "rows" },
                    target.display()
                ));
            }
            Err(error) => refuse(self, error.to_string()),
        }
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

/// Moves `scroll` so that `selected` is among the `rows` shown from it.
fn keep_visible(scroll: &mut usize, selected: usize, rows: usize) {
    let rows = rows.max(1);
    if selected < *scroll {
        *scroll = selected;
    } else if selected >= *scroll + rows {
        *scroll = selected + 1 - rows;
    }
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
