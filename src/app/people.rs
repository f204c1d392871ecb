//! The people list: everyone on record with their number of events, sorted three ways.

use super::{Action, Effect, Request};
use crate::store::{PersonSummary, Store};

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
    /// The search typed after `/` in this view, highlighted in the list.
    pub search: String,
    pub(super) loaded: bool,
}

impl PeopleList {
    pub fn selected_person(&self) -> Option<&PersonSummary> {
        self.people.get(self.selected)
    }

    /// Whether a person's name, in any script, contains the search text.
    pub fn matches(&self, index: usize, text: &str) -> bool {
        let text = text.trim().to_lowercase();
        !text.is_empty()
            && self.people.get(index).is_some_and(|p| {
                p.person
                    .all_names()
                    .any(|name| name.to_lowercase().contains(&text))
            })
    }

    pub(super) fn load(&mut self, store: &Store) -> crate::store::Result<()> {
        self.people = store.people()?;
        self.loaded = true;
        self.sort();
        self.selected = self.selected.min(self.people.len().saturating_sub(1));
        Ok(())
    }

    fn sort(&mut self) {
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

    pub(super) fn act(&mut self, action: Action, page: usize) -> Option<Effect> {
        match action {
            Action::Open => {
                return self
                    .selected_person()
                    .map(|p| Effect::Request(Request::OpenHistory(p.person.id)));
            }
            Action::CycleSort => {
                self.sort = match self.sort {
                    PeopleSort::Name => PeopleSort::Events,
                    PeopleSort::Events => PeopleSort::LastSeen,
                    PeopleSort::LastSeen => PeopleSort::Name,
                };
                self.sort();
                return Some(Effect::Say(format!("people by {}", self.sort.label())));
            }
            Action::Edit => {
                return self
                    .selected_person()
                    .map(|p| Effect::Request(Request::OpenPersonForm(p.person.id)));
            }
            Action::Merge => {
                return self
                    .selected_person()
                    .map(|p| Effect::Request(Request::OpenMerge(p.person.id)));
            }
            Action::Delete => {
                return self
                    .selected_person()
                    .map(|p| Effect::Request(Request::AskDeletePerson(p.person.id)));
            }
            Action::Back if !self.search.is_empty() => {
                self.search.clear();
                return Some(Effect::Say("search cleared".into()));
            }
            movement if movement.moves() => {
                self.selected = super::step(movement, self.selected, self.people.len(), page);
            }
            _ => return None,
        }
        Some(Effect::Nothing)
    }
}
