//! The counting rules as first written: each event weighed against every other of a history,
//! slow (quadratic in a pair's history) and plain to check against the press. The program ranks
//! with `series::rank` alone; these are the tests' oracle, which it must agree with.

use std::cmp::Ordering;

use super::Country;
use super::counting::{Criteria, join_names, previous_phrase, timeline_order};
use super::date::{DateStyle, Precision};
use super::event::Event;
use super::keywords::{Mode, Status};
use super::ordinal::Ordinal;

/// How two events are ordered in time, where that can be known.
fn chronology(a: &Event, b: &Event) -> Option<Ordering> {
    if a.date.last() < b.date.first() {
        return Some(Ordering::Less);
    }
    if a.date.first() > b.date.last() {
        return Some(Ordering::Greater);
    }
    let both_single_day =
        a.date.precision() == Precision::Day && b.date.precision() == Precision::Day;
    // Same day: the record's order (its id) stands for the order of the day.
    both_single_day.then(|| a.id.cmp(&b.id))
}

/// One meeting's place in the series of meetings of a set of people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingOrdinal<'a> {
    pub ordinal: Ordinal,
    pub criteria: Criteria,
    /// The event is planned: it "will be" the Nth.
    pub planned: bool,
    /// The latest meeting certainly before this one.
    pub previous: Option<&'a Event>,
}

/// The ordinal of `target` among the meetings of `people` found in `history`. `history` must hold
/// every event in which all of `people` took part (it may hold others, and `target` itself);
/// only events that happened count. `None` where `target` is not such a meeting or was cancelled.
pub fn ordinal_of<'a>(
    target: &Event,
    history: &'a [Event],
    people: &[i64],
    criteria: Criteria,
) -> Option<MeetingOrdinal<'a>> {
    if target.status == Status::Cancelled || !criteria.involves(target, people) {
        return None;
    }
    let mut before = 0;
    let mut uncertain = 0;
    let mut previous: Option<&Event> = None;
    let earlier = history
        .iter()
        .filter(|e| e.id != target.id && e.status.happened() && criteria.involves(e, people));
    for event in earlier {
        match chronology(event, target) {
            Some(Ordering::Less) => {
                before += 1;
                let later = previous.is_none_or(|p| timeline_order(p, event).is_lt());
                if later {
                    previous = Some(event);
                }
            }
            Some(_) => {}
            None => uncertain += 1,
        }
    }
    Some(MeetingOrdinal {
        ordinal: Ordinal {
            low: before + 1,
            high: before + 1 + uncertain,
        },
        criteria,
        planned: target.status == Status::Planned,
        previous,
    })
}

impl MeetingOrdinal<'_> {
    /// "3rd face-to-face meeting between Vladimir Putin and Steve Witkoff", or "will be the 3rd
    /// ..." for a planned event.
    pub fn sentence(&self, names: &[&str]) -> String {
        let prefix = if self.planned { "will be the " } else { "" };
        format!(
            "{prefix}{} {} between {}",
            self.ordinal.phrase(),
            self.criteria.noun(),
            join_names(names)
        )
    }

    /// "previous: 13 Mar 2025, Moscow, 29 days earlier".
    pub fn previous_phrase(&self, target: &Event) -> Option<String> {
        let previous = self.previous?;
        Some(previous_phrase(
            &previous.date,
            &previous.place.city,
            &target.date,
            DateStyle::Human,
        ))
    }
}

/// The visit of `person` (from `home`) to the event's country, counted among that person's
/// in-person events there. `None` at home, for calls and for cancelled events.
pub fn visit_ordinal(
    target: &Event,
    person_history: &[Event],
    person_id: i64,
    home: Option<&Country>,
) -> Option<Ordinal> {
    let country = target.place.country.as_ref()?;
    let is_visit = |e: &Event| {
        e.mode == Mode::InPerson
            && e.place.country.as_ref() == Some(country)
            && e.has_participant(person_id)
    };
    if home == Some(country) || target.status == Status::Cancelled || !is_visit(target) {
        return None;
    }
    let mut before = 0;
    let mut uncertain = 0;
    for e in person_history
        .iter()
        .filter(|e| e.id != target.id && e.status.happened() && is_visit(e))
    {
        match chronology(e, target) {
            Some(Ordering::Less) => before += 1,
            Some(_) => {}
            None => uncertain += 1,
        }
    }
    Some(Ordinal {
        low: before + 1,
        high: before + 1 + uncertain,
    })
}
