//! The entry form for adding and editing an event: its fields, how keys move and edit them,
//! completion, and the checks run as the user types. No store access: what the form completes
//! from is handed to it when it opens, and saving is the app's to do.

use chrono::NaiveDate;
use crossterm::event::{Event as TermEvent, KeyCode, KeyEvent, KeyModifiers};
use tui_input::backend::crossterm::to_input_request;
use tui_input::{Input, InputRequest};

use super::keymap::{FormAction, KeyMap};
use crate::domain::claim::{Aspect, Claim, Counted, Destination, PublishedCount};
use crate::domain::scope::Scope;
use crate::domain::{
    ClaimPart, Country, DraftParticipant, Event, EventDraft, EventPlace, Field, FuzzyDate, Kind,
    Mode, Source, SourcePart, Status,
};
use crate::store::{PersonMatch, Reach, match_person_within, name_key};

/// A place the focus can be, in the order Tab visits them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    Title,
    Date,
    EndDate,
    Kind,
    Mode,
    Status,
    City,
    Country,
    Venue,
    PersonName(usize),
    PersonSide(usize),
    PersonHead(usize),
    AddPerson,
    Outlet(usize),
    Citing(usize),
    Url(usize),
    Published(usize),
    AddSource,
    ClaimAspect(usize),
    /// What a count claim counts: meetings in a mode, visits or trips.
    CountKind(usize),
    /// One of the people a count claim names: the first, or the second of a pair.
    CountPerson(usize, usize),
    /// Where the visits or trips went: a country code or a region's name.
    CountPlace(usize),
    CountNumber(usize),
    CountSince(usize),
    CountUntil(usize),
    CountRole(usize),
    ClaimValue(usize),
    ClaimSources(usize),
    ClaimNote(usize),
    AddClaim,
    Notes,
}

/// Text of several lines on the same editor as every one-line field: a `tui_input::Input` a
/// line, so that the notes and the other fields take the same keys and move the cursor by the
/// same characters.
#[derive(Debug, Clone)]
pub struct Notes {
    lines: Vec<Input>,
    /// The line with the cursor.
    row: usize,
}

impl Notes {
    /// `text` with the cursor at its start.
    pub fn new(text: &str) -> Self {
        let mut lines: Vec<Input> = text
            .lines()
            .map(|line| Input::new(line.to_string()).with_cursor(0))
            .collect();
        if lines.is_empty() {
            lines.push(Input::default());
        }
        Notes { lines, row: 0 }
    }

    pub fn lines(&self) -> Vec<&str> {
        self.lines.iter().map(Input::value).collect()
    }

    /// The text, its lines joined by line breaks.
    pub fn text(&self) -> String {
        self.lines().join("\n")
    }

    /// (line, character) of the cursor.
    pub fn cursor(&self) -> (usize, usize) {
        (self.row, self.lines[self.row].cursor())
    }

    fn at_start(&self) -> bool {
        self.lines[self.row].cursor() == 0
    }

    fn at_end(&self) -> bool {
        let line = &self.lines[self.row];
        line.cursor() == line.value().chars().count()
    }

    /// Moves the cursor to line `row`, at `column` or the line's end when it is shorter.
    fn go(&mut self, row: usize, column: usize) {
        self.row = row;
        let line = &mut self.lines[row];
        line.handle(InputRequest::SetCursor(column));
    }

    fn break_line(&mut self) {
        let line = &self.lines[self.row];
        let (before, after): (String, String) = {
            let at = line.cursor();
            let chars: Vec<char> = line.value().chars().collect();
            (chars[..at].iter().collect(), chars[at..].iter().collect())
        };
        self.lines[self.row] = Input::new(before);
        self.lines
            .insert(self.row + 1, Input::new(after).with_cursor(0));
        self.row += 1;
    }

    /// Joins line `row + 1` to line `row`, the cursor where they meet.
    fn join(&mut self, row: usize) {
        let next = self.lines.remove(row + 1);
        let line = &self.lines[row];
        let at = line.value().chars().count();
        self.lines[row] = Input::new(format!("{}{}", line.value(), next.value())).with_cursor(at);
        self.row = row;
    }

    /// A key; says whether the text changed. Keys that cross a line end move to the next or
    /// previous line; the rest edit the line as a one-line field does.
    fn key(&mut self, key: KeyEvent) -> bool {
        let last = self.lines.len() - 1;
        let column = self.lines[self.row].cursor();
        match key.code {
            KeyCode::Enter => {
                self.break_line();
                return true;
            }
            KeyCode::Up if self.row > 0 => self.go(self.row - 1, column),
            KeyCode::Down if self.row < last => self.go(self.row + 1, column),
            KeyCode::Left if self.at_start() && self.row > 0 => {
                self.go(self.row - 1, usize::MAX);
            }
            KeyCode::Right if self.at_end() && self.row < last => self.go(self.row + 1, 0),
            KeyCode::Backspace if self.at_start() && self.row > 0 => {
                self.join(self.row - 1);
                return true;
            }
            KeyCode::Delete if self.at_end() && self.row < last => {
                self.join(self.row);
                return true;
            }
            _ => {
                return to_input_request(&TermEvent::Key(key))
                    .and_then(|request| self.lines[self.row].handle(request))
                    .is_some_and(|changed| changed.value);
            }
        }
        false
    }

    /// Pasted text at the cursor, its line breaks kept.
    fn insert_str(&mut self, text: &str) {
        for c in text.chars() {
            match c {
                '\n' => self.break_line(),
                '\r' => {}
                c => {
                    self.lines[self.row].handle(InputRequest::InsertChar(c));
                }
            }
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct ParticipantRow {
    pub name: Input,
    pub side: Input,
    pub head: bool,
}

#[derive(Debug, Clone, Default)]
pub struct SourceRow {
    pub outlet: Input,
    pub citing: Input,
    pub url: Input,
    pub published: Input,
}

/// A claim: what the sources numbered in `sources` (as in the form's list) say about one
/// aspect of the event.
#[derive(Debug, Clone)]
pub struct ClaimRow {
    pub aspect: Aspect,
    pub value: Input,
    /// "1, 3": the numbers of the form's sources that say it.
    pub sources: Input,
    pub note: Input,
    /// What a claim of aspect count counts, field by field; kept while the aspect changes, so
    /// that passing over count on the way to another aspect loses nothing typed.
    pub count: CountRow,
}

impl Default for ClaimRow {
    fn default() -> Self {
        ClaimRow {
            aspect: Aspect::Duration,
            value: Input::default(),
            sources: Input::default(),
            note: Input::default(),
            count: CountRow::default(),
        }
    }
}

/// What a published count counts, as the form offers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CountKind {
    Meetings(Mode),
    Visits,
    Trips,
}

impl CountKind {
    pub const ALL: [CountKind; 5] = [
        CountKind::Meetings(Mode::InPerson),
        CountKind::Meetings(Mode::Phone),
        CountKind::Meetings(Mode::Video),
        CountKind::Visits,
        CountKind::Trips,
    ];

    pub fn label(self) -> &'static str {
        match self {
            CountKind::Meetings(Mode::InPerson) => "face-to-face meetings",
            CountKind::Meetings(Mode::Phone) => "phone calls",
            CountKind::Meetings(Mode::Video) => "video calls",
            CountKind::Visits => "visits",
            CountKind::Trips => "trips",
        }
    }

    /// How many people it names.
    pub fn people(self) -> usize {
        match self {
            CountKind::Meetings(_) => 2,
            CountKind::Visits | CountKind::Trips => 1,
        }
    }

    fn of(counted: &Counted) -> CountKind {
        match counted {
            Counted::Meetings(mode) => CountKind::Meetings(*mode),
            Counted::Visits(_) => CountKind::Visits,
            Counted::Trips(_) => CountKind::Trips,
        }
    }
}

/// A published count's fields, as typed.
#[derive(Debug, Clone)]
pub struct CountRow {
    pub kind: CountKind,
    /// The pair for meetings; the first alone for visits and trips.
    pub people: [Input; 2],
    /// A country code or a region's name, for visits and trips.
    pub place: Input,
    pub number: Input,
    pub since: Input,
    pub until: Input,
    /// The title held over what was counted.
    pub role: Input,
}

impl Default for CountRow {
    fn default() -> Self {
        CountRow {
            kind: CountKind::Meetings(Mode::InPerson),
            people: Default::default(),
            place: Input::default(),
            number: Input::default(),
            since: Input::default(),
            until: Input::default(),
            role: Input::default(),
        }
    }
}

impl CountRow {
    fn of(count: &PublishedCount) -> Self {
        let day = |d: Option<NaiveDate>| input(&d.map(|d| d.to_string()).unwrap_or_default());
        CountRow {
            kind: CountKind::of(&count.counted),
            people: [0, 1].map(|k| input(count.people.get(k).map_or("", String::as_str))),
            place: input(
                &count
                    .counted
                    .destination()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
            ),
            number: input(&count.number.to_string()),
            since: day(count.scope.since),
            until: day(count.scope.until),
            role: input(count.scope.role.as_deref().unwrap_or_default()),
        }
    }
}

/// "1, 3" → the positions 0 and 2; what does not read as such numbers, `None`.
fn source_numbers(text: &str) -> Option<Vec<usize>> {
    text.split([',', ' '])
        .filter(|t| !t.is_empty())
        .map(|t| t.parse::<usize>().ok().filter(|n| *n > 0).map(|n| n - 1))
        .collect()
}

/// The positions of the sources a claim row names, as far as its numbers read.
pub fn source_numbers_of(claim: &ClaimRow) -> Vec<usize> {
    source_numbers(claim.sources.value()).unwrap_or_default()
}

fn numbers_text(positions: &[usize]) -> String {
    positions
        .iter()
        .map(|p| (p + 1).to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The lists of rows the form holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RowList {
    People,
    Sources,
    Claims,
}

/// What the form completes from, read from the store when it opens.
#[derive(Debug, Clone, Default)]
pub struct Known {
    /// (id, name, native-script name).
    pub people: Vec<(i64, String, Vec<String>)>,
    pub cities: Vec<String>,
    /// A person's country by name, to fill in an empty side.
    pub person_countries: std::collections::HashMap<String, String>,
    /// A city's usual country, to fill in an empty country.
    pub city_countries: std::collections::HashMap<String, String>,
}

/// What a typed participant name stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    Person(String),
    /// Nobody on record by this name; `close` is someone whose name is close to it ("Sergey
    /// Lavrov" for "Sergei Lavrov"), asked about before a new person is made.
    New {
        close: Option<String>,
    },
    Ambiguous(Vec<String>),
}

/// Whether a form action meant something where the focus is.
enum Acted {
    Done(FormOutcome),
    NotHere,
}

/// What the user chose to do with the form; the app carries it out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormOutcome {
    Stay,
    Close,
    Save(Box<EventDraft>),
    /// Open the event being edited again as it is now, dropping what was typed: after a save
    /// refused because someone changed it since.
    Reload(i64),
}

pub struct Form {
    /// The number of the event being edited; `None` for a new one.
    pub editing: Option<i64>,
    /// The version of the event when the form opened: a save is refused if someone changed it
    /// since.
    pub version: Option<i64>,
    pub focus: Slot,
    pub title: Input,
    pub date: Input,
    pub end_date: Input,
    pub kind: Kind,
    pub mode: Mode,
    pub status: Status,
    pub city: Input,
    pub country: Input,
    pub venue: Input,
    pub participants: Vec<ParticipantRow>,
    pub sources: Vec<SourceRow>,
    pub notes: Notes,
    pub known: Known,
    /// The completion chosen among those offered for the focused field.
    pub completion: usize,
    /// Something was typed since the form opened.
    pub changed: bool,
    /// Esc was pressed on a changed form: waiting for y or n.
    pub confirm_discard: bool,
    /// A save was tried: every problem is shown, not only those of fields visited.
    pub tried: bool,
    pub claims: Vec<ClaimRow>,
    /// The sides of the event being edited whose members were not named: kept as they are.
    pub unnamed_sides: Vec<Country>,
    /// The trip each head of the event being edited is on, as saved: read-only (`attache trip`
    /// splits and joins them).
    pub trips: Vec<String>,
    visited: Vec<Slot>,
    /// A field filled from what another implies (a side from the person) and not typed in
    /// since: typing there replaces it, as typing over a browser's filled-in value does.
    implied: Option<Slot>,
    today: NaiveDate,
    /// Every problem, checked once after each change: drawing asks for them field by field,
    /// every frame.
    found: Vec<(Slot, String)>,
}

/// `text` in lower-case Latin letters, for finding a name typed in another script.
fn fold(text: &str) -> String {
    deunicode::deunicode(text).to_lowercase()
}

fn input(text: &str) -> Input {
    Input::new(text.to_string())
}

fn cycle<T: Copy + PartialEq>(all: &[T], current: T, forward: bool) -> T {
    let at = all.iter().position(|v| *v == current).unwrap_or(0);
    let next = if forward {
        (at + 1) % all.len()
    } else {
        (at + all.len() - 1) % all.len()
    };
    all[next]
}

impl Form {
    pub fn new(today: NaiveDate, known: Known) -> Self {
        let mut form = Form {
            editing: None,
            version: None,
            focus: Slot::Title,
            title: Input::default(),
            date: Input::default(),
            end_date: Input::default(),
            kind: Kind::Meeting,
            mode: Mode::InPerson,
            status: Status::Confirmed,
            city: Input::default(),
            country: Input::default(),
            venue: Input::default(),
            participants: Vec::new(),
            sources: Vec::new(),
            notes: Notes::new(""),
            known,
            completion: 0,
            changed: false,
            confirm_discard: false,
            tried: false,
            claims: Vec::new(),
            unnamed_sides: Vec::new(),
            trips: Vec::new(),
            visited: Vec::new(),
            implied: None,
            today,
            found: Vec::new(),
        };
        form.refresh();
        form
    }

    /// The form filled in with `event`, to edit it.
    pub fn editing(event: &Event, today: NaiveDate, known: Known) -> Self {
        let mut form = Form::new(today, known);
        form.editing = Some(event.id);
        form.version = Some(event.version);
        form.title = input(&event.title);
        form.date = input(&event.date.to_string());
        form.end_date = input(&event.end_date.map(|d| d.to_iso()).unwrap_or_default());
        form.kind = event.kind;
        form.mode = event.mode;
        form.status = event.status;
        form.city = input(&event.place.city);
        form.country = input(event.place.country.as_ref().map_or("", |c| c.code()));
        form.venue = input(&event.place.venue);
        form.participants = event
            .participants
            .iter()
            .map(|p| ParticipantRow {
                name: input(&p.name),
                side: input(p.side.code()),
                head: p.head,
            })
            .collect();
        form.sources = event
            .sources
            .iter()
            .map(|s| SourceRow {
                // The outlet field holds the site it was read at too: "TASS via news-pravda.com".
                outlet: input(&if s.via.is_empty() {
                    s.outlet.clone()
                } else {
                    format!("{} via {}", s.outlet, s.via)
                }),
                citing: input(&s.citing),
                url: input(&s.url),
                published: input(&s.published.map(|d| d.to_string()).unwrap_or_default()),
            })
            .collect();
        form.notes = Notes::new(&event.notes);
        form.unnamed_sides = event.unnamed_sides.clone();
        form.claims = event
            .claims
            .iter()
            .map(|c| ClaimRow {
                aspect: c.aspect,
                value: input(&c.value),
                sources: input(&numbers_text(&c.sources)),
                note: input(&c.note),
                count: c.count.as_ref().map(CountRow::of).unwrap_or_default(),
            })
            .collect();
        form.refresh();
        form
    }

    /// Every slot, in Tab order.
    pub fn slots(&self) -> Vec<Slot> {
        let mut slots = vec![
            Slot::Title,
            Slot::Date,
            Slot::EndDate,
            Slot::Kind,
            Slot::Mode,
            Slot::Status,
            Slot::City,
            Slot::Country,
            Slot::Venue,
        ];
        for i in 0..self.participants.len() {
            slots.extend([
                Slot::PersonName(i),
                Slot::PersonSide(i),
                Slot::PersonHead(i),
            ]);
        }
        slots.push(Slot::AddPerson);
        for i in 0..self.sources.len() {
            slots.extend([
                Slot::Outlet(i),
                Slot::Citing(i),
                Slot::Url(i),
                Slot::Published(i),
            ]);
        }
        slots.push(Slot::AddSource);
        for (i, claim) in self.claims.iter().enumerate() {
            slots.push(Slot::ClaimAspect(i));
            if claim.aspect == Aspect::Count {
                slots.extend(Form::count_slots(i, claim.count.kind));
            }
            slots.extend([
                Slot::ClaimValue(i),
                Slot::ClaimSources(i),
                Slot::ClaimNote(i),
            ]);
        }
        slots.extend([Slot::AddClaim, Slot::Notes]);
        slots
    }

    /// The fields of count claim `i`, in Tab order: a second person only for a pair, a place
    /// only for visits and trips.
    pub fn count_slots(i: usize, kind: CountKind) -> Vec<Slot> {
        let mut slots = vec![Slot::CountKind(i), Slot::CountPerson(i, 0)];
        match kind {
            CountKind::Meetings(_) => slots.push(Slot::CountPerson(i, 1)),
            CountKind::Visits | CountKind::Trips => slots.push(Slot::CountPlace(i)),
        }
        slots.extend([
            Slot::CountNumber(i),
            Slot::CountSince(i),
            Slot::CountUntil(i),
            Slot::CountRole(i),
        ]);
        slots
    }

    fn step(&mut self, forward: bool) {
        let slots = self.slots();
        let at = slots.iter().position(|s| *s == self.focus).unwrap_or(0);
        let next = if forward {
            (at + 1).min(slots.len() - 1)
        } else {
            at.saturating_sub(1)
        };
        self.move_to(slots[next]);
    }

    fn move_to(&mut self, slot: Slot) {
        self.imply(self.focus);
        if !self.visited.contains(&self.focus) {
            self.visited.push(self.focus);
        }
        self.focus = slot;
        if self.implied != Some(slot) {
            self.implied = None;
        }
        self.completion = 0;
    }

    /// The single-line text field at `slot`, if it is one.
    pub fn input(&self, slot: Slot) -> Option<&Input> {
        Some(match slot {
            Slot::Title => &self.title,
            Slot::Date => &self.date,
            Slot::EndDate => &self.end_date,
            Slot::City => &self.city,
            Slot::Country => &self.country,
            Slot::Venue => &self.venue,
            Slot::PersonName(i) => &self.participants.get(i)?.name,
            Slot::PersonSide(i) => &self.participants.get(i)?.side,
            Slot::Outlet(i) => &self.sources.get(i)?.outlet,
            Slot::Citing(i) => &self.sources.get(i)?.citing,
            Slot::Url(i) => &self.sources.get(i)?.url,
            Slot::Published(i) => &self.sources.get(i)?.published,
            Slot::ClaimValue(i) => &self.claims.get(i)?.value,
            Slot::ClaimSources(i) => &self.claims.get(i)?.sources,
            Slot::ClaimNote(i) => &self.claims.get(i)?.note,
            Slot::CountPerson(i, k) => self.claims.get(i)?.count.people.get(k)?,
            Slot::CountPlace(i) => &self.claims.get(i)?.count.place,
            Slot::CountNumber(i) => &self.claims.get(i)?.count.number,
            Slot::CountSince(i) => &self.claims.get(i)?.count.since,
            Slot::CountUntil(i) => &self.claims.get(i)?.count.until,
            Slot::CountRole(i) => &self.claims.get(i)?.count.role,
            _ => return None,
        })
    }

    fn input_mut(&mut self, slot: Slot) -> Option<&mut Input> {
        Some(match slot {
            Slot::Title => &mut self.title,
            Slot::Date => &mut self.date,
            Slot::EndDate => &mut self.end_date,
            Slot::City => &mut self.city,
            Slot::Country => &mut self.country,
            Slot::Venue => &mut self.venue,
            Slot::PersonName(i) => &mut self.participants.get_mut(i)?.name,
            Slot::PersonSide(i) => &mut self.participants.get_mut(i)?.side,
            Slot::Outlet(i) => &mut self.sources.get_mut(i)?.outlet,
            Slot::Citing(i) => &mut self.sources.get_mut(i)?.citing,
            Slot::Url(i) => &mut self.sources.get_mut(i)?.url,
            Slot::Published(i) => &mut self.sources.get_mut(i)?.published,
            Slot::ClaimValue(i) => &mut self.claims.get_mut(i)?.value,
            Slot::ClaimSources(i) => &mut self.claims.get_mut(i)?.sources,
            Slot::ClaimNote(i) => &mut self.claims.get_mut(i)?.note,
            Slot::CountPerson(i, k) => self.claims.get_mut(i)?.count.people.get_mut(k)?,
            Slot::CountPlace(i) => &mut self.claims.get_mut(i)?.count.place,
            Slot::CountNumber(i) => &mut self.claims.get_mut(i)?.count.number,
            Slot::CountSince(i) => &mut self.claims.get_mut(i)?.count.since,
            Slot::CountUntil(i) => &mut self.claims.get_mut(i)?.count.until,
            Slot::CountRole(i) => &mut self.claims.get_mut(i)?.count.role,
            _ => return None,
        })
    }

    /// What the focused field could be completed to: known people for a participant's name
    /// or a count's, known cities, country codes.
    pub fn completions(&self) -> Vec<String> {
        let Some(typed) = self
            .input(self.focus)
            .map(|i| i.value().trim().to_lowercase())
        else {
            return Vec::new();
        };
        if typed.is_empty() {
            return Vec::new();
        }
        let starts = |text: &str| {
            let text = text.to_lowercase();
            text.starts_with(&typed) || text.split_whitespace().any(|w| w.starts_with(&typed))
        };
        let mut found: Vec<String> = match self.focus {
            Slot::PersonName(_) | Slot::CountPerson(..) => self
                .known
                .people
                .iter()
                .filter(|(_, name, others)| starts(name) || others.iter().any(|n| starts(n)))
                .map(|(_, name, _)| name.clone())
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect(),
            Slot::City => {
                // A place typed in its own script ("Мос") is found by its letters in Latin, as
                // a person is by their native name.
                let folded = fold(&typed);
                self.known
                    .cities
                    .iter()
                    .filter(|c| {
                        let latin = fold(c);
                        starts(c)
                            || latin.starts_with(&folded)
                            || latin.split_whitespace().any(|w| w.starts_with(&folded))
                    })
                    .cloned()
                    .collect()
            }
            Slot::Country | Slot::PersonSide(_) | Slot::CountPlace(_) => {
                crate::domain::Country::all()
                    .filter(|c| {
                        starts(c.code()) || starts(c.name()) || c.other_names().any(&starts)
                    })
                    .map(|c| format!("{} {}", c.code(), c.name()))
                    .collect()
            }
            _ => Vec::new(),
        };
        let exact = |f: &String| {
            f.to_lowercase() == typed || f.to_lowercase().starts_with(&format!("{typed} "))
        };
        if found.len() == 1 && exact(&found[0]) {
            return Vec::new();
        }
        found.truncate(6);
        found
    }

    fn accept_completion(&mut self) {
        let choices = self.completions();
        let Some(choice) = choices.get(self.completion.min(choices.len().saturating_sub(1))) else {
            return;
        };
        let value = match self.focus {
            Slot::Country | Slot::PersonSide(_) | Slot::CountPlace(_) => {
                choice.split(' ').next().unwrap_or("").to_string()
            }
            _ => choice.clone(),
        };
        if let Some(field) = self.input_mut(self.focus) {
            *field = Input::new(value);
            self.changed = true;
        }
        self.completion = 0;
        self.imply(self.focus);
    }

    /// What a known city or person at `slot` implies fills what is still empty, and nothing
    /// the user typed: the city's usual country, the person's side. Done on choosing a
    /// completion and on leaving the field, however it is left.
    fn imply(&mut self, slot: Slot) {
        match slot {
            Slot::City => {
                let city = self.city.value().trim().to_lowercase();
                let country = self
                    .known
                    .city_countries
                    .iter()
                    .find(|(name, _)| name.to_lowercase() == city)
                    .map(|(_, country)| country.clone());
                if let Some(country) = country
                    && self.country.value().trim().is_empty()
                {
                    self.country = Input::new(country);
                    self.implied = Some(Slot::Country);
                }
            }
            Slot::PersonName(i) => {
                let Some(Resolved::Person(name)) = self.resolved(i) else {
                    return;
                };
                if let Some(country) = self.known.person_countries.get(&name).cloned()
                    && let Some(row) = self.participants.get_mut(i)
                    && row.side.value().trim().is_empty()
                {
                    row.side = Input::new(country);
                    self.implied = Some(Slot::PersonSide(i));
                }
            }
            _ => {}
        }
    }

    fn type_into(&mut self, key: KeyEvent) {
        if self.focus == Slot::Notes {
            if self.notes.key(key) {
                self.changed = true;
            }
            return;
        }
        let Some(request) = to_input_request(&TermEvent::Key(key)) else {
            return;
        };
        let replacing = self.implied.take() == Some(self.focus)
            && matches!(request, InputRequest::InsertChar(_));
        if let Some(field) = self.input_mut(self.focus) {
            if replacing {
                *field = Input::default();
            }
            let response = field.handle(request);
            if response.is_some_and(|r| r.value) {
                self.changed = true;
                self.completion = 0;
            }
        }
    }

    /// Pasted text goes into the focused field as if typed; line breaks only into Notes.
    pub fn paste(&mut self, text: &str) {
        if self.focus == Slot::Notes {
            self.notes.insert_str(text);
            self.changed = true;
        } else if let Some(field) = self.input_mut(self.focus) {
            let line: String = text
                .replace(['\r', '\n', '\t'], " ")
                .chars()
                .filter(|c| !crate::domain::text::is_hidden(*c))
                .collect();
            for c in line.chars() {
                field.handle(InputRequest::InsertChar(c));
            }
            self.changed = true;
        }
        self.refresh();
    }

    fn cycle_choice(&mut self, forward: bool) {
        match self.focus {
            Slot::Kind => {
                let before = self.kind;
                self.kind = cycle(Kind::ALL, self.kind, forward);
                // The mode follows the kind while it is the one the kind implies.
                if self.mode == before.usual_mode() {
                    self.mode = self.kind.usual_mode();
                }
            }
            Slot::Mode => self.mode = cycle(Mode::ALL, self.mode, forward),
            Slot::ClaimAspect(i) => {
                if let Some(claim) = self.claims.get_mut(i) {
                    claim.aspect = cycle(&Aspect::ALL, claim.aspect, forward);
                }
            }
            Slot::CountKind(i) => {
                if let Some(claim) = self.claims.get_mut(i) {
                    claim.count.kind = cycle(&CountKind::ALL, claim.count.kind, forward);
                }
            }
            Slot::Status => self.status = cycle(Status::ALL, self.status, forward),
            _ => return,
        }
        self.changed = true;
    }

    fn row_of(slot: Slot) -> Option<(RowList, usize)> {
        match slot {
            Slot::PersonName(i) | Slot::PersonSide(i) | Slot::PersonHead(i) => {
                Some((RowList::People, i))
            }
            Slot::Outlet(i) | Slot::Citing(i) | Slot::Url(i) | Slot::Published(i) => {
                Some((RowList::Sources, i))
            }
            Slot::ClaimAspect(i)
            | Slot::CountKind(i)
            | Slot::CountPerson(i, _)
            | Slot::CountPlace(i)
            | Slot::CountNumber(i)
            | Slot::CountSince(i)
            | Slot::CountUntil(i)
            | Slot::CountRole(i)
            | Slot::ClaimValue(i)
            | Slot::ClaimSources(i)
            | Slot::ClaimNote(i) => Some((RowList::Claims, i)),
            _ => None,
        }
    }

    /// Claims name sources by their number in the list: when sources move or go, the numbers
    /// follow (`to` gives a source's new position, or none when it is gone).
    fn renumber_claim_sources(&mut self, to: impl Fn(usize) -> Option<usize>) {
        for claim in &mut self.claims {
            if let Some(positions) = source_numbers(claim.sources.value()) {
                let moved: Vec<usize> = positions.into_iter().filter_map(&to).collect();
                claim.sources = input(&numbers_text(&moved));
            }
        }
    }

    fn remove_row(&mut self) {
        self.implied = None;
        match Form::row_of(self.focus) {
            Some((RowList::People, i)) => {
                self.participants.remove(i);
                self.focus = if self.participants.is_empty() {
                    Slot::AddPerson
                } else {
                    Slot::PersonName(i.min(self.participants.len() - 1))
                };
            }
            Some((RowList::Sources, i)) => {
                self.sources.remove(i);
                self.renumber_claim_sources(|p| match p.cmp(&i) {
                    std::cmp::Ordering::Less => Some(p),
                    std::cmp::Ordering::Equal => None,
                    std::cmp::Ordering::Greater => Some(p - 1),
                });
                self.focus = if self.sources.is_empty() {
                    Slot::AddSource
                } else {
                    Slot::Outlet(i.min(self.sources.len() - 1))
                };
            }
            Some((RowList::Claims, i)) => {
                self.claims.remove(i);
                self.focus = if self.claims.is_empty() {
                    Slot::AddClaim
                } else {
                    Slot::ClaimValue(i.min(self.claims.len() - 1))
                };
            }
            None => return,
        }
        self.changed = true;
    }

    /// Moves the focused participant, source or claim one place up or down, focus following
    /// it.
    fn move_row(&mut self, up: bool) {
        self.implied = None;
        let Some((rows, i)) = Form::row_of(self.focus) else {
            return;
        };
        let len = match rows {
            RowList::People => self.participants.len(),
            RowList::Sources => self.sources.len(),
            RowList::Claims => self.claims.len(),
        };
        let j = if up {
            i.checked_sub(1)
        } else {
            (i + 1 < len).then_some(i + 1)
        };
        let Some(j) = j else { return };
        match rows {
            RowList::People => self.participants.swap(i, j),
            RowList::Sources => {
                self.sources.swap(i, j);
                self.renumber_claim_sources(|p| {
                    Some(if p == i {
                        j
                    } else if p == j {
                        i
                    } else {
                        p
                    })
                });
            }
            RowList::Claims => self.claims.swap(i, j),
        }
        self.focus = match self.focus {
            Slot::PersonName(_) => Slot::PersonName(j),
            Slot::PersonSide(_) => Slot::PersonSide(j),
            Slot::PersonHead(_) => Slot::PersonHead(j),
            Slot::Outlet(_) => Slot::Outlet(j),
            Slot::Citing(_) => Slot::Citing(j),
            Slot::Url(_) => Slot::Url(j),
            Slot::Published(_) => Slot::Published(j),
            Slot::ClaimAspect(_) => Slot::ClaimAspect(j),
            Slot::CountKind(_) => Slot::CountKind(j),
            Slot::CountPerson(_, k) => Slot::CountPerson(j, k),
            Slot::CountPlace(_) => Slot::CountPlace(j),
            Slot::CountNumber(_) => Slot::CountNumber(j),
            Slot::CountSince(_) => Slot::CountSince(j),
            Slot::CountUntil(_) => Slot::CountUntil(j),
            Slot::CountRole(_) => Slot::CountRole(j),
            Slot::ClaimValue(_) => Slot::ClaimValue(j),
            Slot::ClaimSources(_) => Slot::ClaimSources(j),
            Slot::ClaimNote(_) => Slot::ClaimNote(j),
            other => other,
        };
        self.changed = true;
    }

    /// A key for the form, looked up in `keys`; says whether to stay, close, or save.
    pub fn handle_key(&mut self, key: KeyEvent, keys: &KeyMap) -> FormOutcome {
        if self.confirm_discard {
            return match key.code {
                KeyCode::Char('y') | KeyCode::Char('Y') => FormOutcome::Close,
                _ => {
                    self.confirm_discard = false;
                    FormOutcome::Stay
                }
            };
        }
        let outcome = match keys.form_action_for(&key).map(|action| self.act(action)) {
            Some(Acted::Done(outcome)) => outcome,
            Some(Acted::NotHere) | None => {
                self.type_key(key);
                FormOutcome::Stay
            }
        };
        self.refresh();
        outcome
    }

    fn choosing(&self) -> bool {
        matches!(
            self.focus,
            Slot::Kind | Slot::Mode | Slot::Status | Slot::ClaimAspect(_) | Slot::CountKind(_)
        )
    }

    /// Does what `action` does where the focus is, or says it means nothing here, where its key
    /// is typed instead (space in a text field, ↑ ↓ in the notes).
    fn act(&mut self, action: FormAction) -> Acted {
        let offered = !self.completions().is_empty();
        match action {
            FormAction::Save => return Acted::Done(self.save()),
            FormAction::Reload => {
                if let Some(number) = self.editing {
                    return Acted::Done(FormOutcome::Reload(number));
                }
            }
            FormAction::Close if self.changed => self.confirm_discard = true,
            FormAction::Close => return Acted::Done(FormOutcome::Close),
            FormAction::RemoveRow => self.remove_row(),
            FormAction::RowUp | FormAction::RowDown => self.move_row(action == FormAction::RowUp),
            FormAction::NextField => self.step(true),
            FormAction::PreviousField => self.step(false),
            FormAction::Down if offered => {
                self.completion = (self.completion + 1).min(self.completions().len() - 1);
            }
            FormAction::Up if offered => self.completion = self.completion.saturating_sub(1),
            FormAction::Down | FormAction::Up if self.focus == Slot::Notes => {
                return Acted::NotHere;
            }
            FormAction::Down => self.step(true),
            FormAction::Up => self.step(false),
            FormAction::PreviousChoice | FormAction::NextChoice if self.choosing() => {
                self.cycle_choice(action == FormAction::NextChoice);
            }
            FormAction::Toggle if self.choosing() => self.cycle_choice(true),
            FormAction::Toggle | FormAction::Accept
                if matches!(self.focus, Slot::PersonHead(_)) =>
            {
                if let Slot::PersonHead(i) = self.focus {
                    self.participants[i].head = !self.participants[i].head;
                    self.changed = true;
                }
            }
            FormAction::Accept if self.focus == Slot::AddPerson => {
                self.participants.push(ParticipantRow::default());
                self.move_to(Slot::PersonName(self.participants.len() - 1));
            }
            FormAction::Accept if self.focus == Slot::AddSource => {
                self.sources.push(SourceRow::default());
                self.move_to(Slot::Outlet(self.sources.len() - 1));
            }
            FormAction::Accept if self.focus == Slot::AddClaim => {
                self.claims.push(ClaimRow::default());
                self.move_to(Slot::ClaimAspect(self.claims.len() - 1));
            }
            FormAction::Accept if self.focus == Slot::Notes => return Acted::NotHere,
            FormAction::Accept => {
                if offered {
                    self.accept_completion();
                }
                self.step(true);
            }
            FormAction::PreviousChoice | FormAction::NextChoice | FormAction::Toggle => {
                return Acted::NotHere;
            }
        }
        Acted::Done(FormOutcome::Stay)
    }

    /// A key no binding takes here, typed into the focused field; typing on an add button
    /// starts a new row with what is typed.
    fn type_key(&mut self, key: KeyEvent) {
        let control = key.modifiers.contains(KeyModifiers::CONTROL);
        if matches!(key.code, KeyCode::Char(_))
            && !control
            && matches!(self.focus, Slot::AddPerson | Slot::AddSource)
        {
            if self.focus == Slot::AddPerson {
                self.participants.push(ParticipantRow::default());
                self.move_to(Slot::PersonName(self.participants.len() - 1));
            } else {
                self.sources.push(SourceRow::default());
                self.move_to(Slot::Outlet(self.sources.len() - 1));
            }
        }
        self.type_into(key);
    }

    fn save(&mut self) -> FormOutcome {
        self.tried = true;
        if let Some((slot, _)) = self.found.first() {
            self.focus = *slot;
            return FormOutcome::Stay;
        }
        match self.draft() {
            Some(draft) => FormOutcome::Save(Box::new(draft)),
            None => FormOutcome::Stay,
        }
    }

    fn parse_date(&self, text: &str) -> Result<FuzzyDate, String> {
        FuzzyDate::parse_human(text, self.today).map_err(|e| e.to_string())
    }

    /// The day a source was published, read as every date field is ("3 Dec 2025",
    /// "2025-12-03"); none where left empty. A source is dated to the day.
    fn published(&self, source: &SourceRow) -> Result<Option<NaiveDate>, String> {
        let text = source.published.value().trim();
        if text.is_empty() {
            return Ok(None);
        }
        let date = self.parse_date(text)?;
        if date.precision() != crate::domain::date::Precision::Day || date.circa() {
            return Err("a day, such as 3 Dec 2025".to_string());
        }
        Ok(Some(date.first()))
    }

    /// "Fri 11 Apr 2025": how the date field was understood.
    pub fn date_preview(
        &self,
        slot: Slot,
        style: crate::domain::date::DateStyle,
    ) -> Option<String> {
        let text = self.input(slot)?.value();
        if text.trim().is_empty() {
            return None;
        }
        self.parse_date(text).ok().map(|d| d.display_long(style))
    }

    /// What the typed name of participant `i` stands for.
    pub fn resolved(&self, i: usize) -> Option<Resolved> {
        self.resolve(self.participants.get(i)?.name.value())
    }

    fn resolve(&self, name: &str) -> Option<Resolved> {
        let name = name.trim();
        if name.is_empty() {
            return None;
        }
        // As saving will: a whole name, alias or family name, never a prefix.
        Some(
            match match_person_within(name, &self.known.people, Reach::WholeName) {
                PersonMatch::Found(id) => {
                    let found = self.known.people.iter().find(|(p, _, _)| *p == id);
                    Resolved::Person(found.map(|(_, n, _)| n.clone()).unwrap_or_default())
                }
                PersonMatch::Ambiguous(names) => Resolved::Ambiguous(names),
                PersonMatch::Unknown { suggestion } => Resolved::New { close: suggestion },
            },
        )
    }

    /// What the typed name of person `k` of count claim `i` stands for.
    pub fn count_resolved(&self, i: usize, k: usize) -> Option<Resolved> {
        self.resolve(self.claims.get(i)?.count.people.get(k)?.value())
    }

    /// The new people the form would create whose names are close to someone on record:
    /// (the name typed, the close name), asked about before saving.
    pub fn close_to_known(&self) -> Vec<(String, String)> {
        (0..self.participants.len())
            .filter_map(|i| match self.resolved(i) {
                Some(Resolved::New { close: Some(close) }) => {
                    Some((self.participants[i].name.value().trim().to_string(), close))
                }
                _ => None,
            })
            .collect()
    }

    /// Every problem, by field, in Tab order: what the form cannot read (a date, a country
    /// code, a name that could be several people), then the domain's rules of a valid event,
    /// the same that `attache add` and imports apply, each beside its field.
    pub fn problems(&self) -> &[(Slot, String)] {
        &self.found
    }

    fn refresh(&mut self) {
        self.found = self.check();
    }

    fn check(&self) -> Vec<(Slot, String)> {
        let mut found = Vec::new();
        let start = match self.date.value().trim() {
            "" => {
                found.push((Slot::Date, "a date is required".to_string()));
                None
            }
            text => match self.parse_date(text) {
                Ok(date) => Some(date),
                Err(e) => {
                    found.push((Slot::Date, e));
                    None
                }
            },
        };
        let end = match self.end_date.value().trim() {
            "" => None,
            text => match self.parse_date(text) {
                Ok(end) => Some(end),
                Err(e) => {
                    found.push((Slot::EndDate, e));
                    None
                }
            },
        };
        if !self.country.value().trim().is_empty() && Country::parse(self.country.value()).is_err()
        {
            found.push((
                Slot::Country,
                "not an ISO 3166-1 alpha-2 country code".to_string(),
            ));
        }
        let mut people: Vec<String> = Vec::new();
        for (i, row) in self.participants.iter().enumerate() {
            match self.resolved(i) {
                Some(Resolved::Ambiguous(names)) => {
                    found.push((
                        Slot::PersonName(i),
                        format!("could be {}", names.join(", ")),
                    ));
                }
                // Two spellings of one person: the store would refuse it.
                Some(Resolved::Person(name)) if people.contains(&name) => {
                    found.push((Slot::PersonName(i), "is listed twice".to_string()));
                }
                Some(Resolved::Person(name)) => people.push(name),
                Some(Resolved::New { .. }) | None => {}
            }
            if Country::parse(row.side.value()).is_err() {
                found.push((
                    Slot::PersonSide(i),
                    "side: a country code such as RU".to_string(),
                ));
            }
        }
        for (i, source) in self.sources.iter().enumerate() {
            if let Err(problem) = self.published(source) {
                found.push((Slot::Published(i), problem));
            }
        }
        for (i, claim) in self.claims.iter().enumerate() {
            if claim.aspect == Aspect::Count {
                found.extend(self.check_count(i, &claim.count));
            }
            if source_numbers(claim.sources.value()).is_none() {
                found.push((
                    Slot::ClaimSources(i),
                    "the numbers of the sources above that say it, such as 1, 3".to_string(),
                ));
            }
        }
        // The domain's rules, over what the form reads; a stand-in date where none is read, and
        // then no word on the end date, which is only wrong beside a start.
        let draft = self.read_draft(start.unwrap_or(FuzzyDate::day(self.today)), end);
        let rows: Vec<usize> = (0..self.participants.len())
            .filter(|&i| Country::parse(self.participants[i].side.value()).is_ok())
            .collect();
        for problem in draft.problems() {
            let slot = match problem.field {
                Field::Title => Slot::Title,
                Field::EndDate if start.is_none() => continue,
                Field::EndDate => Slot::EndDate,
                Field::Mode => Slot::Mode,
                Field::City => Slot::City,
                Field::Venue => Slot::Venue,
                Field::Notes => Slot::Notes,
                // Rows typed but none read (a side that is no country): their own problems say
                // why, not that the event has no side.
                Field::Participants
                    if draft.participants.is_empty() && !self.participants.is_empty() =>
                {
                    continue;
                }
                Field::Participants => Slot::AddPerson,
                Field::Participant(k) => Slot::PersonName(rows.get(k).copied().unwrap_or(0)),
                Field::Source(i, SourcePart::Outlet) => Slot::Outlet(i),
                Field::Source(i, SourcePart::Citing) => Slot::Citing(i),
                Field::Source(i, SourcePart::Url) => Slot::Url(i),
                Field::Claim(i, ClaimPart::Value) => Slot::ClaimValue(i),
                Field::Claim(i, ClaimPart::Note) => Slot::ClaimNote(i),
                Field::Claim(i, ClaimPart::Sources) => Slot::ClaimSources(i),
                Field::Claim(i, ClaimPart::Count) => Slot::ClaimAspect(i),
                // Every problem of a count is found with its fields, not only the first.
                Field::Claim(
                    _,
                    ClaimPart::CountPeople
                    | ClaimPart::CountPlace
                    | ClaimPart::CountNumber
                    | ClaimPart::CountPeriod
                    | ClaimPart::CountRole,
                ) => continue,
            };
            found.push((slot, problem.invalid.reason));
        }
        let order = self.slots();
        found.sort_by_key(|(slot, _)| order.iter().position(|s| s == slot));
        found
    }

    /// Every problem of count claim `i`, each beside its field: what the form cannot read,
    /// then the domain's rules for a count, all of them at once.
    fn check_count(&self, i: usize, count: &CountRow) -> Vec<(Slot, String)> {
        let mut found = Vec::new();
        for k in 0..count.kind.people() {
            let name = count.people[k].value().trim();
            match self.resolve(name) {
                Some(Resolved::Ambiguous(names)) => found.push((
                    Slot::CountPerson(i, k),
                    format!("could be {}", names.join(", ")),
                )),
                // A participant new to the record is known once this event is saved.
                Some(Resolved::New { close })
                    if !self
                        .participants
                        .iter()
                        .any(|p| name_key(p.name.value()) == name_key(name)) =>
                {
                    found.push((
                        Slot::CountPerson(i, k),
                        match close {
                            Some(close) => {
                                format!("nobody on record by this name (did you mean {close}?)")
                            }
                            None => "nobody on record or among the participants by this name"
                                .to_string(),
                        },
                    ));
                }
                _ => {}
            }
        }
        if count.kind.people() == 1
            && let Err(reason) = Destination::parse(count.place.value())
            && !count.place.value().trim().is_empty()
        {
            found.push((Slot::CountPlace(i), reason));
        }
        if count.number.value().trim().parse::<usize>().is_err() {
            found.push((
                Slot::CountNumber(i),
                "the number published, such as 6".to_string(),
            ));
        }
        for (slot, text) in [
            (Slot::CountSince(i), count.since.value()),
            (Slot::CountUntil(i), count.until.value()),
        ] {
            if !text.trim().is_empty()
                && let Err(e) = self.parse_date(text)
            {
                found.push((slot, e));
            }
        }
        // The count's rules, after what does not read: a field shows what it lacks first.
        for (part, invalid) in self.read_count(count).problems() {
            let slot = match part {
                ClaimPart::CountPlace => Slot::CountPlace(i),
                ClaimPart::CountNumber => Slot::CountNumber(i),
                ClaimPart::CountPeriod => Slot::CountUntil(i),
                ClaimPart::CountRole => Slot::CountRole(i),
                // The empty one, else the second of a pair (named twice).
                _ => Slot::CountPerson(
                    i,
                    (0..count.kind.people())
                        .find(|&k| count.people[k].value().trim().is_empty())
                        .unwrap_or(count.kind.people() - 1),
                ),
            };
            found.push((slot, invalid.reason));
        }
        found
    }

    /// Count claim `row`'s fields as a count: what does not read is left out (a date) or left
    /// empty (a place, a number of 0), for `problems` to name.
    fn read_count(&self, row: &CountRow) -> PublishedCount {
        let people = row.people[..row.kind.people()]
            .iter()
            .map(|name| match self.resolve(name.value()) {
                Some(Resolved::Person(known)) => known,
                _ => name.value().trim().to_string(),
            })
            .collect();
        let place = || {
            Destination::parse(row.place.value())
                .unwrap_or_else(|_| Destination::Region(row.place.value().trim().to_string()))
        };
        let counted = match row.kind {
            CountKind::Meetings(mode) => Counted::Meetings(mode),
            CountKind::Visits => Counted::Visits(place()),
            CountKind::Trips => Counted::Trips(place()),
        };
        let day = |input: &Input| match input.value().trim() {
            "" => None,
            text => self.parse_date(text).ok(),
        };
        PublishedCount {
            people,
            counted,
            number: row.number.value().trim().parse().unwrap_or(0),
            scope: Scope {
                since: day(&row.since).map(|d| d.first()),
                until: day(&row.until).map(|d| d.last()),
                role: Some(row.role.value().trim().to_string()).filter(|r| !r.is_empty()),
            },
        }
    }

    /// The event as the form reads it: values that do not read (a side that is no country) are
    /// left out, for `problems` to name.
    fn read_draft(&self, date: FuzzyDate, end: Option<FuzzyDate>) -> EventDraft {
        let mut draft = EventDraft::new(date, self.title.value());
        draft.end_date = end;
        draft.kind = self.kind;
        draft.mode = self.mode;
        draft.status = self.status;
        draft.place = EventPlace {
            city: self.city.value().trim().to_string(),
            country: Country::parse(self.country.value()).ok(),
            venue: self.venue.value().trim().to_string(),
        };
        draft.participants = self
            .participants
            .iter()
            .filter_map(|row| {
                Some(DraftParticipant {
                    name: row.name.value().trim().to_string(),
                    side: Country::parse(row.side.value()).ok()?,
                    head: row.head,
                })
            })
            .collect();
        draft.sources = self
            .sources
            .iter()
            .map(|s| {
                let (outlet, via) = Source::outlet_and_via(s.outlet.value());
                Source {
                    outlet,
                    via,
                    citing: s.citing.value().trim().to_string(),
                    url: s.url.value().trim().to_string(),
                    published: self.published(s).ok().flatten(),
                }
            })
            .collect();
        draft.notes = self.notes.text().trim_end().to_string();
        draft.claims = self
            .claims
            .iter()
            .map(|row| Claim {
                aspect: row.aspect,
                value: row.value.value().trim().to_string(),
                sources: source_numbers(row.sources.value()).unwrap_or_default(),
                note: row.note.value().trim().to_string(),
                count: (row.aspect == Aspect::Count).then(|| self.read_count(&row.count)),
            })
            .collect();
        draft
    }

    /// The problem to show beside `slot`: once it has been visited, or after a save was tried.
    pub fn problem(&self, slot: Slot) -> Option<String> {
        let show = self.tried || self.visited.contains(&slot);
        if !show {
            return None;
        }
        self.found
            .iter()
            .find(|(s, _)| *s == slot)
            .map(|(_, p)| p.clone())
    }

    /// The event the form describes, when it has no problems.
    pub fn draft(&self) -> Option<EventDraft> {
        if !self.found.is_empty() {
            return None;
        }
        let date = self.parse_date(self.date.value()).ok()?;
        let end = match self.end_date.value().trim() {
            "" => None,
            text => Some(self.parse_date(text).ok()?),
        };
        let mut draft = self.read_draft(date, end);
        draft.title = draft.title.trim().to_string();
        // Names as typed become the people they stand for.
        for (i, participant) in draft.participants.iter_mut().enumerate() {
            if let Some(Resolved::Person(name)) = self.resolved(i) {
                participant.name = name;
            }
        }
        // A side named now is no longer one without named members.
        draft.unnamed_sides = self
            .unnamed_sides
            .iter()
            .filter(|side| !draft.participants.iter().any(|p| &p.side == *side))
            .cloned()
            .collect();
        Some(draft)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 4, 11).unwrap_or_default()
    }

    #[test]
    fn a_problem_is_placed_by_its_field_not_by_its_wording() {
        let mut form = Form::new(day(), Known::default());
        form.title = input("Talks");
        form.date = input("2025-04-11");
        form.sources.push(SourceRow {
            outlet: input("TASS"),
            citing: input("the\u{7}Kremlin"),
            ..SourceRow::default()
        });
        form.claims.push(ClaimRow {
            value: input("3 h"),
            sources: input("1"),
            note: input("a\u{7}b"),
            ..ClaimRow::default()
        });
        form.refresh();
        let slots: Vec<Slot> = form.problems().iter().map(|(s, _)| *s).collect();
        // No participant yet: the rule that an event has a side is placed at the button that
        // adds one.
        assert_eq!(
            slots,
            [Slot::AddPerson, Slot::Citing(0), Slot::ClaimNote(0)]
        );
    }

    #[test]
    fn problems_are_checked_once_a_change_not_at_every_look() {
        let keys = KeyMap::default();
        let mut form = Form::new(day(), Known::default());
        form.tried = true;
        assert_eq!(
            form.problem(Slot::Title).as_deref(),
            Some("must not be empty")
        );
        // Set behind the form's back: what drawing reads stays what the last change found.
        form.title = input("Talks");
        assert!(form.problem(Slot::Title).is_some());
        form.handle_key(KeyEvent::from(KeyCode::Char('!')), &keys);
        assert_eq!(form.problem(Slot::Title), None);
        assert_eq!(form.title.value(), "Talks!");
        form.focus = Slot::Date;
        form.paste("2025-04-31");
        assert_eq!(form.problem(Slot::Date).as_deref(), Some("no such day"));
    }
}
