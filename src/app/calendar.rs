//! The month grid the go-to-date prompt shows, as calcurse has it: the days that hold events
//! (under the timeline's filter) are marked, the arrow keys move the day while nothing is typed,
//! and Enter with nothing typed goes to it. Only the month on screen is read, through the date
//! index.

use chrono::{Datelike, Days, Months, NaiveDate};
use crossterm::event::KeyCode;

use crate::domain::period::Unit;
use crate::store::{EventFilter, Store};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    /// The day under the cursor.
    pub day: NaiveDate,
    /// Events on each day of the month shown, the 1st first.
    pub events: Vec<usize>,
    /// The month `events` was read for.
    read: Option<NaiveDate>,
}

impl Calendar {
    pub fn new(day: NaiveDate) -> Self {
        Calendar {
            day,
            events: Vec::new(),
            read: None,
        }
    }

    /// The first day of the month shown.
    pub fn month(&self) -> NaiveDate {
        Unit::Month.start(self.day)
    }

    /// Events on `day` of the month shown (1 to 31), once read.
    pub fn events_on(&self, day: u32) -> usize {
        self.events
            .get(day.saturating_sub(1) as usize)
            .copied()
            .unwrap_or(0)
    }

    /// Moves the day for an arrow or page key; `false` for any other key.
    pub(super) fn move_by(&mut self, key: KeyCode) -> bool {
        let moved = match key {
            KeyCode::Left => self.day.pred_opt(),
            KeyCode::Right => self.day.succ_opt(),
            KeyCode::Up => self.day.checked_sub_days(Days::new(7)),
            KeyCode::Down => self.day.checked_add_days(Days::new(7)),
            KeyCode::PageUp => self.day.checked_sub_months(Months::new(1)),
            KeyCode::PageDown => self.day.checked_add_months(Months::new(1)),
            _ => return false,
        };
        if let Some(day) = moved {
            self.day = day;
        }
        true
    }

    /// Reads the month shown when it is not the one read.
    pub(super) fn load(&mut self, store: &Store, filter: &EventFilter) -> crate::store::Result<()> {
        let month = self.month();
        if self.read == Some(month) {
            return Ok(());
        }
        let last = Unit::Month.last(month);
        let mut events = vec![0; last.day() as usize];
        for (day, _, n) in store.events_per_day_and_kind(filter, month, last)? {
            if let Some(slot) = events.get_mut(day.day0() as usize) {
                *slot += n;
            }
        }
        self.events = events;
        self.read = Some(month);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrows_move_by_days_weeks_and_months() {
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let mut calendar = Calendar::new(day("2025-01-31"));
        assert!(calendar.move_by(KeyCode::Right));
        assert_eq!(calendar.day, day("2025-02-01"));
        assert_eq!(calendar.month(), day("2025-02-01"));
        calendar.move_by(KeyCode::Up);
        assert_eq!(calendar.day, day("2025-01-25"));
        calendar.move_by(KeyCode::Down);
        calendar.move_by(KeyCode::Left);
        assert_eq!(calendar.day, day("2025-01-31"));
        calendar.move_by(KeyCode::PageDown);
        assert_eq!(calendar.day, day("2025-02-28"));
        calendar.move_by(KeyCode::PageUp);
        assert_eq!(calendar.day, day("2025-01-28"));
        assert!(!calendar.move_by(KeyCode::Char('3')));
        assert_eq!(calendar.day, day("2025-01-28"));
    }
}
