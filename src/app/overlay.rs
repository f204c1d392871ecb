//! What can open over a view: the help, a prompt at the bottom, the entry form, or a yes/no
//! question. One at a time, as one `enum`, so that each key goes to exactly one place.

use crossterm::event::{Event as TermEvent, KeyCode, KeyEvent};
use tui_input::backend::crossterm::to_input_request;
use tui_input::{Input, InputRequest};

use super::form::{self, Form};
use super::{App, Request, View};
use crate::domain::FuzzyDate;

pub enum Overlay {
    Help(Help),
    Prompt(Prompt),
    Form(Box<Form>),
    PersonForm(Box<super::person_form::PersonForm>),
    Question(Question),
    Messages(MessageLog),
}

/// The message log: the last messages of the status bar, whole, newest at the bottom.
#[derive(Debug, Clone, Default)]
pub struct MessageLog {
    /// Lines scrolled up from the newest.
    pub back: usize,
}

/// The help overlay: every key, filtered by what was typed after `/`, scrolled with j/k.
#[derive(Debug, Clone, Default)]
pub struct Help {
    pub filter: Input,
    /// Keys go into the filter (after `/`) rather than scrolling.
    pub filtering: bool,
    pub scroll: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptKind {
    /// Search the list of this view.
    Search(View),
    Filter,
    Date,
    Export,
    /// The person to merge this one (by number) into.
    MergeInto(i64),
}

impl PromptKind {
    pub fn label(self) -> &'static str {
        match self {
            PromptKind::Search(_) => "/",
            PromptKind::Filter => "filter: ",
            PromptKind::Date => "go to date: ",
            PromptKind::Export => "export CSV to: ",
            PromptKind::MergeInto(_) => "merge into: ",
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
    pub(super) origin: usize,
    /// The search that was active when the prompt opened, restored on Esc.
    pub(super) previous: String,
    /// The people a name typed here is completed from (id, name, other names); empty for a
    /// prompt that does not take a person.
    pub(super) people: Vec<(i64, String, Vec<String>)>,
    /// The person the typed name stands for, shown after it: "→ Sergey Lavrov".
    pub hint: Option<String>,
    pub(super) chosen: Option<i64>,
    /// The whole value is selected, as a browser's find box shows the last search: a typed
    /// character or a paste replaces it, a deletion clears it, a cursor key keeps it to edit.
    pub selected: bool,
    /// An export is written for spreadsheet programs (Tab switches).
    pub excel: bool,
}

impl Prompt {
    pub(super) fn new(kind: PromptKind, value: &str, origin: usize, previous: String) -> Self {
        Prompt {
            kind,
            input: Input::new(value.to_string()),
            error: None,
            origin,
            previous,
            people: Vec::new(),
            hint: None,
            chosen: None,
            selected: false,
            excel: false,
        }
    }

    /// What the prompt says before the value: an export names the variant it writes.
    pub fn label(&self) -> &'static str {
        match self.kind {
            PromptKind::Export if self.excel => "export CSV for Excel to: ",
            kind => kind.label(),
        }
    }

    /// Switches an export between plain CSV and CSV for spreadsheet programs.
    pub(super) fn toggle_excel(&mut self) {
        self.excel = !self.excel;
        self.hint = Some(Self::export_hint(self.excel));
    }

    fn export_hint(excel: bool) -> String {
        if excel {
            "  Tab: plain CSV".into()
        } else {
            "  Tab: CSV for Excel".into()
        }
    }

    /// Drops a selected value before `request` edits it; a cursor movement only unselects.
    pub(super) fn edit_selection(&mut self, request: InputRequest) {
        let moves = matches!(
            request,
            InputRequest::SetCursor(_)
                | InputRequest::GoToPrevChar
                | InputRequest::GoToNextChar
                | InputRequest::GoToPrevWord
                | InputRequest::GoToNextWord
                | InputRequest::GoToStart
                | InputRequest::GoToEnd
        );
        if moves {
            self.selected = false;
        } else {
            self.replace_selection();
        }
    }

    /// Empties a selected value, for what is typed or pasted in its place.
    pub(super) fn replace_selection(&mut self) {
        if std::mem::take(&mut self.selected) {
            self.input.reset();
        }
    }

    /// Finds the person typed so far among `people`: the one it stands for, or why none.
    pub(super) fn complete_name(&mut self) {
        if self.people.is_empty() {
            return;
        }
        use crate::store::PersonMatch;
        self.chosen = None;
        self.hint = match crate::store::match_person(self.input.value(), &self.people) {
            _ if self.input.value().trim().is_empty() => None,
            PersonMatch::Found(id) => {
                self.chosen = Some(id);
                self.people
                    .iter()
                    .find(|(p, _, _)| *p == id)
                    .map(|(_, name, _)| format!("  → {name} (Tab completes)"))
            }
            PersonMatch::Ambiguous(names) => Some(format!("  could be {}", names.join(", "))),
            PersonMatch::Unknown { suggestion } => Some(match suggestion {
                Some(name) => format!("  nobody by that name; did you mean {name}?"),
                None => "  nobody by that name".to_string(),
            }),
        };
    }
}

/// A question answered with y or n, such as "Delete …?".
pub struct Question {
    /// What is asked about: "Delete #3 \"…\" (11 Apr 2025)", cut first where room is short.
    pub subject: String,
    /// What y and n do: "? y deletes it, n keeps it".
    pub choices: &'static str,
    pub(super) yes: Request,
    /// What a no says in the status bar.
    pub(super) kept: String,
    /// What a no goes back to: the prompt the question came from.
    pub(super) back_to: Option<Box<Overlay>>,
    /// A yes goes back to `back_to` too, before its request: a form saved after a question is
    /// still the form being saved.
    pub(super) back_on_yes: bool,
}

/// The keys of each overlay: the one open takes the key, and puts itself back unless the key
/// closed it.
impl App {
    pub(super) fn form_key(&mut self, mut form: Box<form::Form>, key: KeyEvent) {
        match form.handle_key(key, &self.keymap) {
            form::FormOutcome::Stay => {}
            form::FormOutcome::Reload(number) => {
                self.requests.push_back(Request::OpenForm(Some(number)));
                self.status = Some(format!("#{number} as it is now; what was typed is dropped"));
                return;
            }
            form::FormOutcome::Close => {
                self.status = Some("closed the form; nothing was saved".into());
                return;
            }
            form::FormOutcome::Save(draft) => {
                let close = form.close_to_known();
                if !close.is_empty() {
                    let pairs: Vec<String> = close
                        .iter()
                        .map(|(typed, known)| format!("{typed} (close to {known} on record)"))
                        .collect();
                    self.overlay = Some(Overlay::Question(Question {
                        subject: format!("Add new people: {}", pairs.join(", ")),
                        choices: "? y adds them, n goes back to the form",
                        yes: Request::SaveForm {
                            draft,
                            anyway: false,
                        },
                        kept: "not saved: fix the names, or save again and answer y".into(),
                        back_to: Some(Box::new(Overlay::Form(form))),
                        back_on_yes: true,
                    }));
                    return;
                }
                self.requests.push_back(Request::SaveForm {
                    draft,
                    anyway: false,
                });
            }
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

    pub(super) fn person_form_key(
        &mut self,
        mut form: Box<super::person_form::PersonForm>,
        key: KeyEvent,
    ) {
        use super::person_form::PersonFormOutcome;
        match form.handle_key(key, &self.keymap) {
            PersonFormOutcome::Stay => {}
            PersonFormOutcome::Close => {
                self.status = Some("closed the person form; nothing was saved".into());
                return;
            }
            PersonFormOutcome::Save(person) => self.requests.push_back(Request::SavePerson(person)),
        }
        if form.confirm_discard {
            self.status = Some("Esc again discards what was typed; Ctrl-S saves it".into());
        } else if let Some(problem) = &form.problem {
            self.status = Some(format!("not saved: {problem}"));
        }
        self.overlay = Some(Overlay::PersonForm(form));
    }

    pub(super) fn answer(&mut self, question: Question, key: KeyEvent) {
        if matches!(key.code, KeyCode::Char('y') | KeyCode::Char('Y')) {
            if question.back_on_yes {
                self.overlay = question.back_to.map(|o| *o);
            }
            self.requests.push_back(question.yes);
        } else {
            self.status = Some(question.kept);
            self.overlay = question.back_to.map(|o| *o);
        }
    }

    pub(super) fn help_key(&mut self, mut help: Help, key: KeyEvent) {
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

    pub(super) fn messages_key(&mut self, mut log: MessageLog, key: KeyEvent) {
        let page = self.viewport.max(2) - 1;
        let closes = self.keymap.action_for(&key) == Some(super::Action::Messages);
        match key.code {
            KeyCode::Esc | KeyCode::Char('q') => return,
            _ if closes => return,
            KeyCode::Char('k') | KeyCode::Up => log.back += 1,
            KeyCode::Char('j') | KeyCode::Down => log.back = log.back.saturating_sub(1),
            KeyCode::PageUp => log.back += page,
            KeyCode::PageDown | KeyCode::Char(' ') => log.back = log.back.saturating_sub(page),
            KeyCode::Char('g') | KeyCode::Home => log.back = usize::MAX / 2,
            KeyCode::Char('G') | KeyCode::End => log.back = 0,
            _ => {}
        }
        self.overlay = Some(Overlay::Messages(log));
    }

    pub(super) fn prompt_key(&mut self, mut prompt: Prompt, key: KeyEvent) {
        if prompt.kind == PromptKind::Date
            && prompt.input.value().is_empty()
            && let Some(calendar) = &mut self.calendar
        {
            if calendar.move_by(key.code) {
                self.overlay = Some(Overlay::Prompt(prompt));
                return;
            }
            if key.code == KeyCode::Enter {
                self.requests
                    .push_back(Request::JumpTo(FuzzyDate::day(calendar.day)));
                return;
            }
        }
        match key.code {
            KeyCode::Esc => {
                if let PromptKind::Search(view) = prompt.kind {
                    self.set_search(view, prompt.previous.clone());
                    self.select_index(view, prompt.origin);
                }
                return;
            }
            KeyCode::Tab if prompt.kind == PromptKind::Export => prompt.toggle_excel(),
            KeyCode::Tab if !prompt.people.is_empty() => {
                if let Some(name) = prompt
                    .chosen
                    .and_then(|id| prompt.people.iter().find(|(p, _, _)| *p == id))
                    .map(|(_, name, _)| name.clone())
                {
                    prompt.input = Input::new(name);
                    prompt.complete_name();
                }
            }
            KeyCode::Enter => {
                let text = prompt.input.value().trim().to_string();
                match prompt.kind {
                    // Said again from where the search stands, so the count stays in sight
                    // once the prompt is gone.
                    PromptKind::Search(view) => {
                        let typed = prompt.input.value().to_string();
                        self.search_as_typed(view, typed);
                        return;
                    }
                    PromptKind::MergeInto(other) => match prompt.chosen {
                        Some(keep) => {
                            self.requests.push_back(Request::AskMerge { keep, other });
                            return;
                        }
                        None => {
                            prompt.error = Some("type the name of the person to keep".into());
                        }
                    },
                    PromptKind::Filter => self.requests.push_back(Request::ApplyFilter(text)),
                    PromptKind::Export => self.requests.push_back(Request::Export {
                        path: text,
                        overwrite: false,
                        excel: prompt.excel,
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
                    prompt.edit_selection(request);
                    prompt.input.handle(request);
                }
                prompt.error = None;
                prompt.complete_name();
                if let PromptKind::Search(view) = prompt.kind {
                    self.select_index(view, prompt.origin);
                    self.search_as_typed(view, prompt.input.value().to_string());
                }
            }
        }
        self.overlay = Some(Overlay::Prompt(prompt));
    }

    pub(super) fn open_prompt(&mut self, kind: PromptKind, value: &str) {
        let view = match kind {
            PromptKind::Search(view) => view,
            _ => View::Timeline,
        };
        let mut prompt = Prompt::new(
            kind,
            value,
            self.selected_index(view),
            self.search_of(view).to_string(),
        );
        // A new search starts over, as in a browser; the last one is there to keep or edit.
        prompt.selected = matches!(kind, PromptKind::Search(_)) && !value.is_empty();
        if kind == PromptKind::Export {
            prompt.hint = Some(Prompt::export_hint(false));
        }
        self.overlay = Some(Overlay::Prompt(prompt));
    }
}
