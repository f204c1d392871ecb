//! The timeline: a window of rows loaded around the selection by paging the store, the
//! selected event's detail, search within the filtered timeline, and the keys of this view.

use chrono::NaiveDate;

use super::{Action, Effect, Request, keep_visible};
use crate::domain::date::DateStyle;
use crate::domain::names::Labels;
use crate::domain::{Country, Event, Person};
use crate::report::{self, Facts, Ordinals};
use crate::store::{EventFilter, Order, Store};

/// One loaded row of the timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineRow {
    pub event: Event,
    /// "Putin–Witkoff".
    pub heads: String,
    /// The ordinal of the heads' meeting: "3rd" (empty in a history, which shows `notes`).
    pub badge: String,
    /// In a person's history, what the event counts for them: "3rd meeting with …".
    pub notes: Vec<String>,
    /// In a person's history, the days since their previous event: the rhythm of their
    /// diplomacy; `None` for their first event, and on the timeline.
    pub gap: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SideMember {
    pub person_id: i64,
    pub name: String,
    pub head: bool,
    /// Titles held on the day of the event.
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventDetail {
    pub event: Event,
    pub sides: Vec<(Country, Vec<SideMember>)>,
    /// What `show` says of the event too, worded alike.
    pub facts: Facts,
    pub related: Vec<String>,
}

impl EventDetail {
    pub fn members(&self) -> impl Iterator<Item = &SideMember> {
        self.sides.iter().flat_map(|(_, members)| members)
    }
}

/// Which pane of the timeline takes the keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Focus {
    #[default]
    List,
    Detail,
}

/// How many rows are loaded beyond each edge of the screen. Each row loaded costs its
/// participants, sources and ordinals, so a key that lands far away (`G`, a jump, a filter)
/// reads the screen and these few more; moving past them reads the rows again from the nearest
/// edge.
const MARGIN: usize = 12;

/// How far a search of one or two characters looks, row by row, past the selection.
const SHORT_SEARCH_ROWS: usize = 1000;

/// Up to this many matches, the status says which one is selected ("match 3 of 12").
const COUNTED_MATCHES: usize = 10_000;

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
    pub rows: Vec<TimelineRow>,
    /// The current search, highlighted in rows.
    pub search: String,
    pub detail: Option<EventDetail>,
    pub focus: Focus,
    /// The selected participant when the detail has focus.
    pub member: usize,
    /// Lines of the detail scrolled past.
    pub detail_scroll: u16,
    /// The last point jumped to, with the number of rows before it: where the rows around a
    /// jump are read from.
    pub(super) jumped_to: Option<Anchor>,
    /// This list is a person's history: its rows carry notes, and it has no detail pane.
    pub(super) history_of: Option<Person>,
    pub(super) stale: bool,
}

/// A point of the timeline and how many rows come before it: rows are read onwards and back
/// from the nearest such point, so that a page costs the same at any distance from the start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Anchor {
    before: usize,
    key: Option<(NaiveDate, i64)>,
}

impl Anchor {
    fn of(index: usize, event: &Event) -> Anchor {
        Anchor {
            before: index,
            key: Some((event.date.first(), event.id)),
        }
    }

    /// Rows to pass over to reach `start..end` from here.
    fn distance(&self, start: usize, end: usize) -> usize {
        self.before.saturating_sub(end) + start.saturating_sub(self.before)
    }
}

impl Timeline {
    /// A person's events, oldest first.
    pub(super) fn of_person(person: Person) -> Timeline {
        Timeline {
            filter: EventFilter {
                people: vec![person.id],
                ..EventFilter::default()
            },
            history_of: Some(person),
            stale: true,
            ..Timeline::default()
        }
    }

    pub fn row(&self, index: usize) -> Option<&TimelineRow> {
        index
            .checked_sub(self.window_start)
            .and_then(|i| self.rows.get(i))
    }

    pub fn selected_row(&self) -> Option<&TimelineRow> {
        self.row(self.selected)
    }

    pub fn selected_event(&self) -> Option<&Event> {
        self.selected_row().map(|r| &r.event)
    }

    /// The filter with the search added: the rows that count as matches.
    pub fn matching(&self) -> EventFilter {
        let mut filter = self.filter.clone();
        if !self.search.trim().is_empty() {
            filter.search.push(self.search.clone());
        }
        filter
    }

    /// The person the detail's selection, or else the selected event's first head, stands for.
    pub(super) fn person_in_context(&self) -> Option<i64> {
        let detail = self.detail.as_ref()?;
        if self.focus == Focus::Detail {
            return detail.members().nth(self.member).map(|m| m.person_id);
        }
        let heads = detail.event.heads();
        heads
            .first()
            .map(|p| p.person_id)
            .or_else(|| detail.event.participants.first().map(|p| p.person_id))
    }

    /// The keys of this view; `None` for those it leaves to the app.
    pub(super) fn act(&mut self, action: Action, page: usize) -> Option<Effect> {
        match action {
            Action::NextFocus => {
                if self.detail.is_some() {
                    self.focus = match self.focus {
                        Focus::List => Focus::Detail,
                        Focus::Detail => Focus::List,
                    };
                    self.member = 0;
                }
            }
            Action::Open => match self.focus {
                Focus::List if self.detail.is_some() => {
                    self.focus = Focus::Detail;
                    self.member = 0;
                }
                Focus::List => {}
                Focus::Detail => {
                    return self
                        .person_in_context()
                        .map(|id| Effect::Request(Request::OpenHistory(id)));
                }
            },
            Action::Back => {
                if self.focus == Focus::Detail {
                    self.focus = Focus::List;
                } else if !self.filter_text.is_empty() {
                    return Some(Effect::Request(Request::ApplyFilter(String::new())));
                } else if !self.search.is_empty() {
                    self.search.clear();
                    return Some(Effect::Say("search cleared".into()));
                } else {
                    return None;
                }
            }
            Action::CycleSort => {
                self.order = match self.order {
                    Order::OldestFirst => Order::NewestFirst,
                    Order::NewestFirst => Order::OldestFirst,
                };
                self.stale = true;
                let label = match self.order {
                    Order::OldestFirst => "oldest first",
                    Order::NewestFirst => "newest first",
                };
                let follow = self
                    .selected_event()
                    .map(|e| Request::Follow(e.date.first(), e.id));
                return Some(match follow {
                    Some(request) => Effect::RequestAndSay(request, format!("timeline: {label}")),
                    None => Effect::Say(format!("timeline: {label}")),
                });
            }
            Action::ScrollDetail(down) => self.scroll_detail(down, 3),
            movement if movement.moves() => match self.focus {
                Focus::List => {
                    self.selected = super::step(movement, self.selected, self.total, page)
                }
                Focus::Detail => match action {
                    Action::PageDown => self.scroll_detail(true, page / 2),
                    Action::PageUp => self.scroll_detail(false, page / 2),
                    _ => {
                        let members = self.detail.as_ref().map_or(0, |d| d.members().count());
                        self.member = super::step(movement, self.member, members, page);
                    }
                },
            },
            _ => return None,
        }
        Some(Effect::Nothing)
    }

    fn scroll_detail(&mut self, down: bool, lines: usize) {
        let lines = u16::try_from(lines.max(1)).unwrap_or(u16::MAX);
        self.detail_scroll = if down {
            self.detail_scroll.saturating_add(lines)
        } else {
            self.detail_scroll.saturating_sub(lines)
        };
    }

    pub(super) fn recount(&mut self, store: &Store) -> crate::store::Result<()> {
        self.total = store.event_count(&self.filter)?;
        self.rows.clear();
        self.jumped_to = None;
        self.stale = false;
        Ok(())
    }

    pub(super) fn select_position(
        &mut self,
        store: &Store,
        date: NaiveDate,
        id: i64,
    ) -> crate::store::Result<()> {
        let position = store.position(&self.filter, self.order, date, id)?;
        self.selected = position.min(self.total.saturating_sub(1));
        self.jumped_to = Some(Anchor {
            before: position,
            key: Some((date, id)),
        });
        Ok(())
    }

    /// Loads the rows around the selection and the selected event's detail, where not loaded;
    /// `labels` name the heads.
    pub(super) fn load(
        &mut self,
        store: &Store,
        viewport: usize,
        labels: &Labels,
        style: DateStyle,
    ) -> crate::store::Result<()> {
        if self.total == 0 {
            self.selected = 0;
            self.rows.clear();
            self.detail = None;
            self.focus = Focus::List;
            return Ok(());
        }
        self.selected = self.selected.min(self.total - 1);
        keep_visible(&mut self.scroll, self.selected, viewport, self.total);
        let wanted_end = (self.scroll + viewport + 1).min(self.total);
        let covered = self.window_start <= self.scroll.min(self.selected)
            && self.window_start + self.rows.len() >= wanted_end.max(self.selected + 1);
        if !covered {
            let window = viewport + 1 + 2 * MARGIN;
            let start = self.scroll.min(self.selected).saturating_sub(MARGIN);
            let events = self.read_rows(store, start, (start + window).min(self.total))?;
            let mut ordinals = Ordinals::new(store, style);
            ordinals.read(&events)?;
            let person = self.history_of.as_ref();
            let rows = events
                .into_iter()
                .map(|event| {
                    // A history shows what each event counts for the person; the timeline,
                    // the heads' ordinal.
                    let (badge, notes) = match person {
                        Some(person) => (String::new(), ordinals.history_notes(&event, person)?),
                        None => (ordinals.badge(&event)?, Vec::new()),
                    };
                    Ok(TimelineRow {
                        heads: report::heads_label(&event, labels),
                        badge,
                        notes,
                        gap: None,
                        event,
                    })
                })
                .collect::<crate::store::Result<Vec<_>>>()?;
            self.rows = rows;
            self.window_start = start;
            if self.history_of.is_some() {
                self.measure_gaps(store)?;
            }
        }
        if self.history_of.is_some() {
            return Ok(());
        }
        // Loaded again when the selected event changes, or is edited in place.
        if self.detail.as_ref().map(|d| &d.event) != self.selected_event() {
            let selected = self.selected_event().cloned();
            if self.detail.as_ref().map(|d| d.event.id) != selected.as_ref().map(|e| e.id) {
                self.member = 0;
                self.detail_scroll = 0;
            }
            self.detail = match &selected {
                Some(event) => Some(load_detail(store, event, style)?),
                None => None,
            };
        }
        Ok(())
    }

    /// Each loaded row's days since the person's previous event (a history is read oldest
    /// first): the row above it, or, for the first row loaded, the one event before the window,
    /// read back from its key (one indexed row, so the cost follows the window, not the length
    /// of the history).
    fn measure_gaps(&mut self, store: &Store) -> crate::store::Result<()> {
        let before = match self.rows.first() {
            Some(row) => store
                .events_beside(
                    &self.filter,
                    self.order,
                    Some((row.event.date.first(), row.event.id)),
                    true,
                    0,
                    1,
                )?
                .pop(),
            None => None,
        };
        let mut previous = before.map(|e| e.date.first());
        for row in &mut self.rows {
            let day = row.event.date.first();
            row.gap = previous.map(|p| (day - p).num_days());
            previous = Some(day);
        }
        Ok(())
    }

    /// Rows `start..end`, read onwards and back from the nearest known point: the start, the
    /// end, the rows loaded now, or the last point jumped to.
    fn read_rows(
        &self,
        store: &Store,
        start: usize,
        end: usize,
    ) -> crate::store::Result<Vec<Event>> {
        let mut anchors = vec![
            Anchor {
                before: 0,
                key: None,
            },
            Anchor {
                before: self.total,
                key: None,
            },
        ];
        if let (Some(first), Some(last)) = (self.rows.first(), self.rows.last()) {
            anchors.push(Anchor::of(self.window_start, &first.event));
            anchors.push(Anchor::of(
                self.window_start + self.rows.len() - 1,
                &last.event,
            ));
        }
        anchors.extend(self.jumped_to);
        let Some(anchor) = anchors.into_iter().min_by_key(|a| a.distance(start, end)) else {
            return Ok(Vec::new());
        };
        let before_end = end.min(anchor.before);
        let mut events = if start < before_end {
            let skip = anchor.before - before_end;
            let mut back = store.events_beside(
                &self.filter,
                self.order,
                anchor.key,
                true,
                skip,
                before_end - start,
            )?;
            back.reverse();
            back
        } else {
            Vec::new()
        };
        let onward_start = start.max(anchor.before);
        if onward_start < end {
            events.extend(store.events_beside(
                &self.filter,
                self.order,
                anchor.key,
                false,
                onward_start - anchor.before,
                end - onward_start,
            )?);
        }
        Ok(events)
    }

    /// Moves to the next (or previous) event that matches the search, wrapping around, and
    /// says which match it is of how many.
    pub(super) fn find_match(
        &mut self,
        store: &Store,
        viewport: usize,
        forward: bool,
        inclusive: bool,
        labels: &Labels,
        style: DateStyle,
    ) -> crate::store::Result<String> {
        let text = self.search.trim().to_string();
        if text.is_empty() {
            return Ok(String::new());
        }
        self.load(store, viewport, labels, style)?;
        let Some(row) = self.selected_row() else {
            return Ok(format!("no match for \"{text}\""));
        };
        let from = (row.event.date.first(), row.event.id);
        // The index finds strings of three characters or more; a shorter one is looked for
        // row by row, so only in the next rows, and the matches are not counted.
        if text.chars().count() < 3 {
            let found = if inclusive && row_matches(row, &text) {
                Some(from)
            } else {
                let within = Some(SHORT_SEARCH_ROWS);
                store.next_match(&self.filter, self.order, from, &text, forward, within)?
            };
            let rows = crate::interchange::thousands(SHORT_SEARCH_ROWS);
            let Some((date, id)) = found else {
                return Ok(format!(
                    "no match for \"{text}\" in the next {rows} rows; type three characters to search everything"
                ));
            };
            self.select_position(store, date, id)?;
            return Ok(format!(
                "next match within {rows} rows; type three characters to count them all"
            ));
        }
        let mut wrapped = false;
        // A common word is found in the next rows, row by row, sooner than the index lists all
        // of its matches; a rare one is not, and the index finds it at any distance.
        let near = Some(SHORT_SEARCH_ROWS);
        let found = if inclusive && row_matches(row, &text) {
            Some(from)
        } else if let Some(found) =
            store.next_match(&self.filter, self.order, from, &text, forward, near)?
        {
            Some(found)
        } else {
            match store.next_match(&self.filter, self.order, from, &text, forward, None)? {
                Some(found) => Some(found),
                None => {
                    wrapped = true;
                    store.next_match(
                        &self.filter,
                        self.order,
                        edge(self.order, forward),
                        &text,
                        forward,
                        None,
                    )?
                }
            }
        };
        let Some((date, id)) = found else {
            return Ok(format!("no match for \"{text}\""));
        };
        self.select_position(store, date, id)?;
        let matching = self.matching();
        let total = store.event_count_up_to(&matching, COUNTED_MATCHES)?;
        // Which match this is takes a pass over the matches before it: said for a few.
        let mut said = if total <= COUNTED_MATCHES {
            let index = store.position(&matching, self.order, date, id)? + 1;
            format!(
                "match {} of {}",
                crate::interchange::thousands(index),
                crate::interchange::thousands(total)
            )
        } else {
            format!(
                "one of more than {} matches",
                crate::interchange::thousands(COUNTED_MATCHES)
            )
        };
        if wrapped && !inclusive {
            said.push_str(" (wrapped around)");
        }
        Ok(said)
    }
}

/// Where a search starts over after the last match. Dates are compared as ISO text in the
/// store, so the edges must be four-digit years: chrono's own MIN and MAX print with a sign
/// and sort wrongly.
fn edge(order: Order, forward: bool) -> (NaiveDate, i64) {
    if (order == Order::OldestFirst) == forward {
        (
            NaiveDate::from_ymd_opt(1, 1, 1).unwrap_or_default(),
            i64::MIN,
        )
    } else {
        (
            NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or_default(),
            i64::MAX,
        )
    }
}

/// Whether the search text appears in the event's title, place or names, ignoring case.
pub fn event_matches(event: &Event, text: &str) -> bool {
    let text = text.trim().to_lowercase();
    if text.is_empty() {
        return false;
    }
    [
        event.title.as_str(),
        event.place.city.as_str(),
        event.place.venue.as_str(),
    ]
    .into_iter()
    .chain(event.participants.iter().map(|p| p.name.as_str()))
    .any(|field| field.to_lowercase().contains(&text))
}

pub fn row_matches(row: &TimelineRow, text: &str) -> bool {
    event_matches(&row.event, text)
}

fn load_detail(
    store: &Store,
    event: &Event,
    style: DateStyle,
) -> crate::store::Result<EventDetail> {
    let heads = event.heads();
    let mut sides: Vec<(Country, Vec<SideMember>)> = Vec::new();
    for p in &event.participants {
        let person = store.person(p.person_id)?;
        let member = SideMember {
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
    let related = report::related(store, event, 21, 6)?
        .into_iter()
        .map(|(other, phrase)| format!("{phrase} ({})", other.date.display(style)))
        .collect();
    Ok(EventDetail {
        event: event.clone(),
        sides,
        facts: Facts::of(store, event, style)?,
        related,
    })
}
