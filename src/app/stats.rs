//! The stats view: events per month, kind and country, and who met whom, for the events the
//! timeline's filter keeps.

use super::{Action, Effect, Request};
use std::collections::HashSet;

use crate::domain::ordinal::ordinal_word;
use crate::domain::series::Series;
use crate::domain::{Event, FuzzyDate, Mode};
use crate::store::{EventFilter, Store};

/// One face-to-face meeting of a cell's two people, with its place in their series ("3rd").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meeting {
    pub event: Event,
    pub ordinal: String,
}

/// The face-to-face meetings of two people: counted when the matrix is drawn, read when the
/// cell is opened.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Cell {
    /// How many meetings the cell stands for.
    pub count: usize,
    /// The date of the last one.
    pub last: Option<FuzzyDate>,
    /// The meetings themselves, once the cell is opened.
    pub meetings: Vec<Meeting>,
}

impl Cell {
    pub fn count(&self) -> usize {
        self.count
    }

    /// Days from each listed meeting's first day back to the previous one's: the rhythm of the
    /// channel; `None` for the first.
    pub fn gaps(&self) -> Vec<Option<i64>> {
        let mut previous: Option<chrono::NaiveDate> = None;
        self.meetings
            .iter()
            .map(|m| {
                let day = m.event.date.first();
                let gap = previous.map(|p| (day - p).num_days());
                previous = Some(day);
                gap
            })
            .collect()
    }
}

/// The most active people in the matrix; their most frequent counterparts join them, up to
/// `MATRIX_MOST`.
const MATRIX_PEOPLE: usize = 6;
const MATRIX_MOST: usize = 10;

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
    /// The timeline's filter as typed, when the stats were counted under one.
    pub filter_text: String,
    /// The filter itself: what opening a cell keeps of the pair's meetings.
    filter: EventFilter,
    pub(super) loaded: bool,
}

/// `months` ("2025-08" and its count, in order) with each month between them that has no
/// events added with a count of 0: a gap in the record shows as one, not as a jump.
fn every_month(months: Vec<(String, usize)>) -> Vec<(String, usize)> {
    let parse = |label: &str| {
        let (year, month) = label.split_once('-')?;
        Some((year.parse::<i32>().ok()?, month.parse::<u32>().ok()?))
    };
    let mut out: Vec<(String, usize)> = Vec::with_capacity(months.len());
    for (label, count) in months {
        if let (Some((mut year, mut month)), Some(next)) =
            (out.last().and_then(|(last, _)| parse(last)), parse(&label))
        {
            loop {
                (year, month) = if month >= 12 {
                    (year + 1, 1)
                } else {
                    (year, month + 1)
                };
                if (year, month) >= next {
                    break;
                }
                out.push((format!("{year:04}-{month:02}"), 0));
            }
        }
        out.push((label, count));
    }
    out
}

impl Stats {
    pub fn cell(&self) -> Option<&Cell> {
        self.cells.get(self.row).and_then(|r| r.get(self.column))
    }

    /// The meeting selected in an open cell: the one event this view shows.
    pub fn selected_event(&self) -> Option<&Event> {
        self.open
            .then(|| self.cell()?.meetings.get(self.meeting).map(|m| &m.event))
            .flatten()
    }

    /// Reads the meetings of the selected cell and lists them.
    pub(super) fn open_cell(&mut self, store: &Store) -> crate::store::Result<()> {
        let Some(cell) = self
            .cells
            .get_mut(self.row)
            .and_then(|r| r.get_mut(self.column))
        else {
            return Ok(());
        };
        let (a, b) = (self.people[self.row].0, self.people[self.column].0);
        let numbers = numbers(store, a, b, &self.filter)?;
        let ids: Vec<i64> = numbers.iter().map(|(_, id)| *id).collect();
        cell.meetings = store
            .events(&ids)?
            .into_iter()
            .zip(&numbers)
            .map(|(event, (i, _))| Meeting {
                event,
                ordinal: ordinal_word(i + 1),
            })
            .collect();
        self.open = true;
        self.meeting = 0;
        Ok(())
    }

    fn name(&self, index: usize) -> &str {
        self.people.get(index).map_or("", |(_, n)| n.as_str())
    }

    pub(super) fn load(
        &mut self,
        store: &Store,
        filter: &EventFilter,
        filter_text: &str,
    ) -> crate::store::Result<()> {
        self.months = every_month(store.events_per_month(filter)?);
        self.kinds = store.events_per_kind(filter)?;
        self.countries = store.events_per_country(filter)?;
        let mut people = store.most_active(filter, MATRIX_PEOPLE)?;
        for (id, _) in people.clone() {
            if people.len() >= MATRIX_MOST {
                break;
            }
            if let Some(other) = store.most_met(id, filter)?
                && !people.iter().any(|(p, _)| *p == other.0)
            {
                people.push(other);
            }
        }
        self.cells = vec![vec![Cell::default(); people.len()]; people.len()];
        for (row, (a, _)) in people.iter().enumerate() {
            for (column, (b, _)) in people.iter().enumerate().skip(row + 1) {
                let (count, last) = if *filter == EventFilter::default() {
                    store.meetings_tally(Mode::InPerson, *a, *b)?
                } else {
                    let numbers = numbers(store, *a, *b, filter)?;
                    let last = match numbers.last() {
                        Some((_, id)) => Some(store.event(*id)?.date),
                        None => None,
                    };
                    (numbers.len(), last)
                };
                let cell = Cell {
                    count,
                    last,
                    meetings: Vec::new(),
                };
                self.cells[column][row] = cell.clone();
                self.cells[row][column] = cell;
            }
        }
        self.people = people;
        self.filter_text = filter_text.to_string();
        self.filter = filter.clone();
        self.row = self.row.min(self.people.len().saturating_sub(1));
        self.column = self.column.min(self.people.len().saturating_sub(1));
        self.meeting = 0;
        self.open = false;
        self.loaded = true;
        Ok(())
    }

    pub(super) fn act(&mut self, action: Action, page: usize) -> Option<Effect> {
        match action {
            Action::Open if self.open => {
                return self
                    .selected_event()
                    .map(|e| Effect::Request(Request::OpenEvent(e.id)));
            }
            Action::Open => match self.cell() {
                Some(cell) if cell.count() > 0 => return Some(Effect::Request(Request::OpenCell)),
                Some(_) if self.row == self.column => {
                    return Some(Effect::Say("choose a cell with two people".into()));
                }
                Some(_) => {
                    return Some(Effect::Say(format!(
                        "{} and {} have no face-to-face meetings in this record",
                        self.name(self.row),
                        self.name(self.column)
                    )));
                }
                None => return Some(Effect::Say("no meetings to show".into())),
            },
            Action::Back if self.open => self.open = false,
            Action::Left | Action::Right if !self.open => {
                let last = self.people.len().saturating_sub(1);
                self.column = match action {
                    Action::Left => self.column.saturating_sub(1),
                    _ => (self.column + 1).min(last),
                };
            }
            Action::Edit | Action::Delete if !self.open => {
                return Some(Effect::Say(
                    "e and d act on events: Enter lists a cell's meetings, where they do".into(),
                ));
            }
            movement if movement.moves() => {
                if self.open {
                    let count = self.cell().map_or(0, |c| c.meetings.len());
                    self.meeting = super::step(movement, self.meeting, count, page);
                } else {
                    self.row = super::step(movement, self.row, self.people.len(), page);
                }
            }
            _ => return None,
        }
        Some(Effect::Nothing)
    }
}

/// The face-to-face meetings of `a` and `b` that `filter` keeps, each with its place in the
/// pair's series (from 0) and its number: the pair's whole series is read, so only for a cell
/// opened or a matrix counted under a filter.
fn numbers(
    store: &Store,
    a: i64,
    b: i64,
    filter: &EventFilter,
) -> crate::store::Result<Vec<(usize, i64)>> {
    let filtered = *filter != EventFilter::default();
    let kept: HashSet<i64> = if filtered {
        store
            .event_ids(&EventFilter {
                people: vec![a, b],
                ..filter.clone()
            })?
            .into_iter()
            .collect()
    } else {
        HashSet::new()
    };
    Ok(store
        .series_events(&Series::meetings(Mode::InPerson, a, b), None)?
        .into_iter()
        .filter_map(|(id, happened)| happened.then_some(id))
        .enumerate()
        .filter(|(_, id)| !filtered || kept.contains(id))
        .collect())
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_month_fills_gaps_across_years() {
        let months = |list: &[(&str, usize)]| {
            list.iter()
                .map(|(m, n)| ((*m).to_string(), *n))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            super::every_month(months(&[("2025-11", 2), ("2026-02", 1)])),
            months(&[
                ("2025-11", 2),
                ("2025-12", 0),
                ("2026-01", 0),
                ("2026-02", 1)
            ])
        );
        assert_eq!(super::every_month(Vec::new()), Vec::new());
    }
}
