//! A person's history: their events in order, each with what it counts for them.

use super::{Action, Effect, Request};
use crate::domain::counting::{self, Counterpart};
use crate::domain::{Event, Person};
use crate::report::Ordinals;
use crate::store::Store;

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
    /// The search typed after `/` in this view, highlighted in the list.
    pub search: String,
    pub(super) stale: bool,
}

impl History {
    pub fn selected_event(&self) -> Option<&Event> {
        self.rows.get(self.selected).map(|r| &r.event)
    }

    pub fn matches(&self, index: usize, text: &str) -> bool {
        self.rows
            .get(index)
            .is_some_and(|r| super::timeline::event_matches(&r.event, text))
    }

    pub(super) fn load(&mut self, store: &Store, person_id: i64) -> anyhow::Result<()> {
        let person = store.person(person_id)?;
        let events = store.person_history(person_id)?;
        let mut ordinals = Ordinals::new(store);
        ordinals.read(&events)?;
        self.rows = events
            .iter()
            .map(|event| {
                Ok(HistoryRow {
                    event: event.clone(),
                    notes: ordinals.history_notes(event, &person)?,
                })
            })
            .collect::<crate::store::Result<_>>()?;
        self.counterparts = counting::counterparts(&events, person_id);
        if self.person.as_ref().map(|p| p.id) != Some(person_id) {
            self.search.clear();
        }
        self.person = Some(person);
        self.selected = self.selected.min(self.rows.len().saturating_sub(1));
        self.stale = false;
        Ok(())
    }

    pub(super) fn act(&mut self, action: Action, page: usize) -> Option<Effect> {
        match action {
            Action::Open => {
                return self
                    .selected_event()
                    .map(|e| Effect::Request(Request::OpenEvent(e.id)));
            }
            Action::Back if !self.search.is_empty() => {
                self.search.clear();
                return Some(Effect::Say("search cleared".into()));
            }
            movement if movement.moves() => {
                self.selected = super::step(movement, self.selected, self.rows.len(), page);
            }
            _ => return None,
        }
        Some(Effect::Nothing)
    }
}
