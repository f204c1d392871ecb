//! A person's history: their events in order, each with what it counts for them, read a page
//! at a time like the timeline (it is a timeline filtered to the person).

use super::timeline::Timeline;
use super::{Action, Effect, Request};
use crate::domain::{Event, Person};
use crate::store::{MetMost, Store};

/// How many of the people met most the header names.
const MET_MOST: usize = 6;

#[derive(Debug, Default)]
pub struct History {
    pub person: Option<Person>,
    /// Whom the person met face to face most often, most first.
    pub met_most: Vec<MetMost>,
    /// What is known from before the record: "5 meetings with Donald Trump, the last in 2019, …".
    pub priors: Vec<String>,
    /// The person's events; each loaded row carries its history notes.
    pub list: Timeline,
    pub(super) stale: bool,
}

impl History {
    pub fn selected_event(&self) -> Option<&Event> {
        self.list.selected_event()
    }

    pub fn matches(&self, index: usize, text: &str) -> bool {
        self.list
            .row(index)
            .is_some_and(|r| super::timeline::event_matches(&r.event, text))
    }

    /// Opens (or reads again) `person_id`'s history: a new person starts at their first event.
    pub(super) fn open(
        &mut self,
        store: &Store,
        person_id: i64,
        style: crate::domain::date::DateStyle,
    ) -> crate::store::Result<()> {
        let person = store.person(person_id)?;
        if self.person.as_ref().map(|p| p.id) == Some(person_id) {
            // The same person read again (after a write): names and titles may have changed.
            self.list.history_of = Some(person.clone());
        } else {
            self.list = Timeline::of_person(person.clone());
        }
        self.list.recount(store)?;
        self.met_most = store.met_most(person_id, MET_MOST)?;
        self.priors = crate::report::priors_of(store, person_id, style)?;
        self.person = Some(person);
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
            Action::Back if !self.list.search.is_empty() => {
                self.list.search.clear();
                return Some(Effect::Say("search cleared".into()));
            }
            movement if movement.moves() => {
                self.list.selected =
                    super::step(movement, self.list.selected, self.list.total, page);
            }
            _ => return None,
        }
        Some(Effect::Nothing)
    }
}
