//! What each view holds: the loaded window of the timeline and the selected event's detail,
//! the people list, a person's history, the stats; and how the detail and history are read.

use crate::domain::counting::{self, Counterpart};
use crate::domain::{Country, Event, FuzzyDate, Person};
use crate::report::{self, OrdinalLine, Ordinals};
use crate::store::{EventFilter, Order, PersonSummary, Store};

/// One loaded row of the timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub event: Event,
    /// "Putin–Witkoff".
    pub heads: String,
    /// The ordinal of the heads' meeting: "3rd".
    pub badge: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub person_id: i64,
    pub name: String,
    pub head: bool,
    /// Titles held on the day of the event.
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detail {
    pub event: Event,
    pub sides: Vec<(Country, Vec<Member>)>,
    pub ordinals: Vec<OrdinalLine>,
    pub visits: Vec<String>,
    pub related: Vec<String>,
}

impl Detail {
    pub fn members(&self) -> impl Iterator<Item = &Member> {
        self.sides.iter().flat_map(|(_, members)| members)
    }
}

/// How many rows of the timeline are kept loaded around the selection.
pub(super) const WINDOW: usize = 240;

#[derive(Debug, Default)]
pub struct Timeline {
    pub filter: EventFilter,
    /// The filter as typed, shown in the status bar.
    pub filter_text: String,
    pub order: Order,
    pub total: usize,
    pub selected: usize,
    /// The first row shown.
    pub scroll: usize,
    /// `rows[0]` is row number `window_start`.
    pub window_start: usize,
    pub rows: Vec<Row>,
    /// The current search, highlighted in rows.
    pub search: String,
    pub detail: Option<Detail>,
    /// The selected participant when the detail has focus.
    pub member: usize,
    /// Lines of the detail scrolled past (PgUp/PgDn with the detail focused).
    pub detail_scroll: u16,
    pub(super) stale: bool,
}

impl Timeline {
    pub fn row(&self, index: usize) -> Option<&Row> {
        index
            .checked_sub(self.window_start)
            .and_then(|i| self.rows.get(i))
    }

    pub fn selected_row(&self) -> Option<&Row> {
        self.row(self.selected)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PeopleSort {
    #[default]
    Name,
    Events,
    LastSeen,
}

impl PeopleSort {
    pub fn label(self) -> &'static str {
        match self {
            PeopleSort::Name => "name",
            PeopleSort::Events => "events",
            PeopleSort::LastSeen => "last seen",
        }
    }
}

#[derive(Debug, Default)]
pub struct PeopleList {
    pub people: Vec<PersonSummary>,
    pub sort: PeopleSort,
    pub selected: usize,
    pub scroll: usize,
    pub(super) loaded: bool,
}

impl PeopleList {
    pub(super) fn sort(&mut self) {
        let selected = self.people.get(self.selected).map(|p| p.person.id);
        match self.sort {
            PeopleSort::Name => self.people.sort_by_key(|p| p.person.name.to_lowercase()),
            PeopleSort::Events => self.people.sort_by(|a, b| {
                b.events
                    .cmp(&a.events)
                    .then_with(|| a.person.name.cmp(&b.person.name))
            }),
            PeopleSort::LastSeen => self.people.sort_by(|a, b| {
                b.last_seen
                    .cmp(&a.last_seen)
                    .then_with(|| a.person.name.cmp(&b.person.name))
            }),
        }
        if let Some(id) = selected {
            self.selected = self
                .people
                .iter()
                .position(|p| p.person.id == id)
                .unwrap_or(0);
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryRow {
    pub event: Event,
    /// Ordinal sentences, the visit count, or the delegation the person sat in.
    pub notes: Vec<String>,
}

#[derive(Debug, Default)]
pub struct History {
    pub person: Option<Person>,
    pub rows: Vec<HistoryRow>,
    pub counterparts: Vec<Counterpart>,
    pub selected: usize,
    pub scroll: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub meetings: Vec<Event>,
}

impl Cell {
    pub fn last(&self) -> Option<&FuzzyDate> {
        self.meetings.last().map(|e| &e.date)
    }
}

/// People in the matrix of the stats view.
pub(super) const MATRIX_PEOPLE: usize = 6;

#[derive(Debug, Default)]
pub struct Stats {
    pub months: Vec<(String, usize)>,
    pub kinds: Vec<(String, usize)>,
    pub countries: Vec<(String, usize)>,
    pub people: Vec<(i64, String)>,
    /// `cells[row][column]`: face-to-face meetings of the two people.
    pub cells: Vec<Vec<Cell>>,
    pub row: usize,
    pub column: usize,
    /// The meetings behind the selected cell are listed.
    pub open: bool,
    pub meeting: usize,
    pub(super) loaded: bool,
}

impl Stats {
    pub fn cell(&self) -> Option<&Cell> {
        self.cells.get(self.row).and_then(|r| r.get(self.column))
    }
}

/// Moves `scroll` so that `selected` is among the `rows` shown from it.
pub(super) fn keep_visible(scroll: &mut usize, selected: usize, rows: usize) {
    let rows = rows.max(1);
    if selected < *scroll {
        *scroll = selected;
    } else if selected >= *scroll + rows {
        *scroll = selected + 1 - rows;
    }
}

/// Whether the search text appears in the row's title, place or names, ignoring case.
pub fn row_matches(row: &Row, text: &str) -> bool {
    let text = text.trim().to_lowercase();
    if text.is_empty() {
        return false;
    }
    let event = &row.event;
    [
        event.title.as_str(),
        event.place.city.as_str(),
        event.place.venue.as_str(),
    ]
    .into_iter()
    .chain(event.participants.iter().map(|p| p.name.as_str()))
    .any(|field| field.to_lowercase().contains(&text))
}

/// What the history says of each event: "3rd meeting with Steve Witkoff", "2nd visit to the
/// Russian Federation", "in the US delegation".
pub(super) fn history_notes(event: &Event, person: &Person, history: &[Event]) -> Vec<String> {
    let noun = match event.mode {
        crate::domain::Mode::InPerson => "meeting",
        crate::domain::Mode::Phone => "phone call",
        crate::domain::Mode::Video => "video call",
    };
    let mut notes: Vec<String> = report::person_lines(event, person.id, history)
        .into_iter()
        .map(|line| {
            let others: Vec<&str> = line
                .people
                .iter()
                .filter(|(id, _)| *id != person.id)
                .map(|(_, name)| name.as_str())
                .collect();
            let prefix = if event.status == crate::domain::Status::Planned {
                "will be the "
            } else {
                ""
            };
            format!(
                "{prefix}{} {noun} with {}",
                line.ordinal.phrase(),
                counting::join_names(&others)
            )
        })
        .collect();
    if let Some(visit) = report::visit_sentence(event, person, history) {
        notes.push(
            visit
                .trim_start_matches(&format!("{}'s ", person.name))
                .to_string(),
        );
    }
    if !event.heads_side(person.id)
        && let Some(me) = event.participants.iter().find(|p| p.person_id == person.id)
    {
        notes.push(format!("in the {} delegation", me.side));
    }
    notes
}

pub(super) fn load_detail(store: &Store, event: &Event) -> anyhow::Result<Detail> {
    let heads = event.heads();
    let mut sides: Vec<(Country, Vec<Member>)> = Vec::new();
    for p in &event.participants {
        let person = store.person(p.person_id)?;
        let member = Member {
            person_id: p.person_id,
            name: p.name.clone(),
            head: heads.iter().any(|h| h.person_id == p.person_id),
            title: person.titles_on(event.date.first()),
        };
        match sides.iter_mut().find(|(side, _)| side == &p.side) {
            Some((_, members)) => members.push(member),
            None => sides.push((p.side.clone(), vec![member])),
        }
    }
    let ordinals = Ordinals::new(store).for_event(event)?;
    let mut visits = Vec::new();
    for head in &heads {
        let person = store.person(head.person_id)?;
        visits.extend(report::visit_sentence_from_store(store, event, &person)?);
    }
    let related = report::related(store, event, 21)?
        .into_iter()
        .take(6)
        .map(|(other, phrase)| format!("{phrase} ({})", other.date.display()))
        .collect();
    Ok(Detail {
        event: event.clone(),
        sides,
        ordinals,
        visits,
        related,
    })
}
