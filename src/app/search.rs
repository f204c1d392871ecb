//! Search within the list on screen: the timeline and a history ask the store
//! (`Timeline::find_match`); the people list looks through the rows it holds.

use super::{App, Request, View};

impl App {
    /// The search typed so far: the timeline and a history ask the store; the people list
    /// looks itself.
    pub(super) fn search_as_typed(&mut self, view: View, text: String) {
        self.set_search(view, text.clone());
        if text.trim().is_empty() {
            return;
        }
        match view {
            View::Timeline | View::History => self.requests.push_back(Request::FindMatch {
                in_history: view == View::History,
                forward: true,
                inclusive: true,
            }),
            _ => self.find_in_list(view, true, true),
        }
    }

    pub(super) fn set_search(&mut self, view: View, text: String) {
        match view {
            View::People => self.people.search = text,
            View::History => self.history.list.search = text,
            View::Timeline | View::Stats | View::Chart => self.timeline.search = text,
        }
    }

    pub(super) fn search_of(&self, view: View) -> &str {
        match view {
            View::People => &self.people.search,
            View::History => &self.history.list.search,
            View::Timeline | View::Stats | View::Chart => &self.timeline.search,
        }
    }

    pub(super) fn selected_index(&self, view: View) -> usize {
        match view {
            View::People => self.people.selected,
            View::History => self.history.list.selected,
            View::Timeline | View::Stats | View::Chart => self.timeline.selected,
        }
    }

    pub(super) fn select_index(&mut self, view: View, index: usize) {
        match view {
            View::People => self.people.selected = index,
            View::History => self.history.list.selected = index,
            View::Timeline | View::Stats | View::Chart => self.timeline.selected = index,
        }
    }

    /// Moves to the next (or previous) match in the people list, wrapping around, and says
    /// which match it is.
    pub(super) fn find_in_list(&mut self, view: View, forward: bool, inclusive: bool) {
        let text = self.search_of(view).to_string();
        let found: Vec<usize> = match view {
            View::People => (0..self.people.people.len())
                .filter(|i| self.people.matches(*i, &text))
                .collect(),
            View::Timeline | View::History | View::Stats | View::Chart => return,
        };
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
}
