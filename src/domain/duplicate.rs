//! Likely duplicates: two records of what is probably one event, as when the same trip is
//! entered twice or imported under two ids. The rule: their days overlap (end dates count),
//! they have the same heads or the same participants, and the same city (or neither has one).

use std::collections::{BTreeSet, HashMap};
use std::hash::Hash;

use chrono::{Days, NaiveDate};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use super::date::DateStyle;
use super::{Country, Event, EventDraft};

/// How far before a date the store looks for events on record that may overlap it: a person
/// with thousands of events is read for this window, not for their whole history. A year
/// covers every event without an end date (dated to the year at worst) and every one whose end
/// date is within a year of its start; an event on record that lasts longer is not found as
/// the duplicate of one that starts more than a year after it (a file's own records are
/// compared over any length).
pub const REACH_DAYS: u64 = 366;

/// What the rule reads of an event or a draft. `K` names a person: a number on record, or a
/// name key for someone a file brings who is not on record yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Likeness<K: Ord> {
    pub first: NaiveDate,
    pub last: NaiveDate,
    /// Sorted, each once.
    pub heads: Vec<K>,
    /// Sorted, each once.
    pub participants: Vec<K>,
    /// The city, folded: "São Paulo" and "sao paulo" are one city.
    pub city: String,
}

impl<K: Ord> Likeness<K> {
    /// Whether `self` and `other` are likely the same event. Someone must be in both: events
    /// whose sides were not named are never taken for each other.
    pub fn same_as(&self, other: &Likeness<K>) -> bool {
        let overlap = self.first <= other.last && other.first <= self.last;
        let same_heads = !self.heads.is_empty() && self.heads == other.heads;
        let same_people = !self.participants.is_empty() && self.participants == other.participants;
        overlap && (same_heads || same_people) && self.city == other.city
    }

    /// The one person every likely duplicate of this event has: its first head, or with no
    /// head its first participant. Someone with the same heads has that head; someone with the
    /// same participants has every participant, heads included.
    pub fn key_person(&self) -> Option<&K> {
        self.heads.first().or_else(|| self.participants.first())
    }
}

impl<K: Ord + Clone> Likeness<K> {
    /// An event's likeness, its people named by `who` (the key a person's number stands for).
    pub fn of_event(event: &Event, who: impl Fn(i64) -> K) -> Self {
        Likeness {
            first: event.date.first(),
            last: last_day(event.date, event.end_date),
            heads: set(event.heads().iter().map(|p| who(p.person_id))),
            participants: set(event.participants.iter().map(|p| who(p.person_id))),
            city: fold(&event.place.city),
        }
    }

    /// A draft's likeness, its participants named by `who` (the person a name stands for),
    /// called once for each participant, in the draft's order.
    pub fn of_draft(draft: &EventDraft, mut who: impl FnMut(&str) -> K) -> Self {
        let people: Vec<(K, &Country, bool)> = draft
            .participants
            .iter()
            .map(|p| (who(&p.name), &p.side, p.head))
            .collect();
        // As `event::heads`: a side of one is headed by its member, a larger side by those
        // marked.
        let heads = set(people
            .iter()
            .filter(|(_, side, head)| *head || people.iter().filter(|q| q.1 == *side).count() == 1)
            .map(|(key, _, _)| key.clone()));
        Likeness {
            first: draft.date.first(),
            last: last_day(draft.date, draft.end_date),
            heads,
            participants: set(people.into_iter().map(|(key, _, _)| key)),
            city: fold(&draft.place.city),
        }
    }
}

/// An event as a message names it beside another: "#12 on 11 Apr 2025 ("Talks in Riyadh")".
pub fn describe(number: i64, date: &super::FuzzyDate, title: &str, style: DateStyle) -> String {
    format!(
        "#{number} on {} (\"{}\")",
        date.display(style),
        super::text::excerpt(title)
    )
}

/// "likely the same event as #12 on 11 Apr 2025 ("Talks")" and any others, for a refusal.
pub fn refusal(events: &[Event], style: DateStyle) -> String {
    let named: Vec<String> = events
        .iter()
        .map(|e| describe(e.id, &e.date, &e.title, style))
        .collect();
    format!(
        "likely the same event as {} (overlapping dates, the same heads or participants, the same city)",
        named.join(" and ")
    )
}

/// Sorted, each once, in as little memory as it takes: a file's records are held this way.
fn set<K: Ord>(keys: impl Iterator<Item = K>) -> Vec<K> {
    let mut keys: Vec<K> = keys.collect();
    keys.sort();
    keys.dedup();
    keys.shrink_to_fit();
    keys
}

/// Likenesses met so far (the records of a file), found again by person and first day, so
/// that each new one is compared only with those of its people in its days.
#[derive(Debug)]
pub struct Seen<K: Ord + Hash + Clone, T> {
    /// Each met likeness under each of its participants, by its first day.
    by_person: HashMap<K, BTreeSet<(NaiveDate, usize)>>,
    met: Vec<(Likeness<K>, T)>,
    /// The most days any likeness met lasts after its first: how far back to look.
    longest: u64,
}

impl<K: Ord + Hash + Clone, T: Clone> Default for Seen<K, T> {
    fn default() -> Self {
        Seen {
            by_person: HashMap::new(),
            met: Vec::new(),
            longest: 0,
        }
    }
}

impl<K: Ord + Hash + Clone, T: Clone> Seen<K, T> {
    /// The tags of the likenesses met before that `likeness` is likely the same as, in the
    /// order they were met; then remembers `likeness` with `tag`.
    pub fn meet(&mut self, likeness: Likeness<K>, tag: T) -> Vec<T> {
        let mut same = Vec::new();
        if let Some(dates) = likeness.key_person().and_then(|k| self.by_person.get(k)) {
            let from = likeness
                .first
                .checked_sub_days(Days::new(self.longest))
                .unwrap_or(NaiveDate::MIN);
            let mut found: Vec<usize> = dates
                .range((from, 0)..=(likeness.last, usize::MAX))
                .map(|(_, i)| *i)
                .filter(|i| self.met[*i].0.same_as(&likeness))
                .collect();
            found.sort_unstable();
            same.extend(found.into_iter().map(|i| self.met[i].1.clone()));
        }
        let index = self.met.len();
        for person in &likeness.participants {
            self.by_person
                .entry(person.clone())
                .or_default()
                .insert((likeness.first, index));
        }
        let days = (likeness.last - likeness.first).num_days().unsigned_abs();
        self.longest = self.longest.max(days);
        self.met.push((likeness, tag));
        same
    }
}

/// The last day an event may cover: its end date's, else its date's.
fn last_day(date: super::FuzzyDate, end: Option<super::FuzzyDate>) -> NaiveDate {
    end.map_or(date.last(), |end| end.last().max(date.last()))
}

/// Text compared as readers would: case, accents and runs of spaces set aside ("Genève",
/// "GENEVE " and "geneve" are one).
pub fn fold(text: &str) -> String {
    let plain: String = text
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .collect::<String>()
        .to_lowercase();
    plain.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{DraftParticipant, FuzzyDate};

    fn draft(date: &str, city: &str, people: &[(&str, &str, bool)]) -> EventDraft {
        let mut d = EventDraft::new(FuzzyDate::parse_iso(date).unwrap(), "Talks");
        d.place.city = city.into();
        d.participants = people
            .iter()
            .map(|(name, side, head)| DraftParticipant {
                name: name.to_string(),
                side: Country::parse(side).unwrap(),
                head: *head,
            })
            .collect();
        d
    }

    fn like(d: &EventDraft) -> Likeness<String> {
        Likeness::of_draft(d, |name| name.to_lowercase())
    }

    #[test]
    fn the_same_heads_on_overlapping_days_in_one_city_are_likely_one_event() {
        let a = draft(
            "2025-04-11",
            "St Petersburg",
            &[("Putin", "RU", false), ("Witkoff", "US", false)],
        );
        let mut b = draft(
            "2025-04",
            "st  petersburg",
            &[
                ("Putin", "RU", true),
                ("Dmitriev", "RU", false),
                ("Witkoff", "US", false),
            ],
        );
        assert!(
            like(&a).same_as(&like(&b)),
            "same heads, the month holds the day"
        );
        b.place.city = "Moscow".into();
        assert!(!like(&a).same_as(&like(&b)), "another city");
        b.place.city = String::new();
        assert!(!like(&a).same_as(&like(&b)), "one city against none");
        let mut c = a.clone();
        c.place.city = String::new();
        let mut d = a.clone();
        d.place.city = String::new();
        assert!(like(&c).same_as(&like(&d)), "both without a city");
    }

    #[test]
    fn end_dates_count_and_separate_days_do_not_overlap() {
        let people = [("Putin", "RU", false), ("Witkoff", "US", false)];
        let mut visit = draft("2025-04-10", "Moscow", &people);
        let meeting = draft("2025-04-12", "Moscow", &people);
        assert!(!like(&visit).same_as(&like(&meeting)));
        visit.end_date = FuzzyDate::parse_iso("2025-04-12").ok();
        assert!(like(&visit).same_as(&like(&meeting)));
        assert!(
            like(&meeting).same_as(&like(&visit)),
            "the rule is symmetric"
        );
    }

    #[test]
    fn the_same_participants_count_whoever_heads() {
        let a = draft(
            "2025-04-11",
            "",
            &[("A", "RU", false), ("B", "RU", false), ("C", "US", true)],
        );
        let b = draft(
            "2025-04-11",
            "",
            &[("A", "RU", true), ("B", "RU", false), ("D", "US", true)],
        );
        assert!(!like(&a).same_as(&like(&b)), "other heads, other people");
        let c = draft(
            "2025-04-11",
            "",
            &[("A", "RU", true), ("B", "RU", false), ("C", "US", false)],
        );
        assert!(like(&a).same_as(&like(&c)), "the same three people");
        assert_eq!(like(&a).key_person(), Some(&"c".to_string()));
    }

    #[test]
    fn events_without_named_people_are_never_taken_for_each_other() {
        let a = draft("2025-04-11", "", &[]);
        assert!(!like(&a).same_as(&like(&a)));
        assert_eq!(like(&a).key_person(), None);
    }

    #[test]
    fn records_met_before_are_found_by_any_of_their_people() {
        let mut seen: Seen<String, u64> = Seen::default();
        let a = draft(
            "2025-04-10",
            "Moscow",
            &[("A", "RU", false), ("B", "RU", false), ("C", "US", true)],
        );
        let mut long = a.clone();
        long.date = FuzzyDate::parse_iso("2024-01-01").unwrap();
        long.end_date = FuzzyDate::parse_iso("2025-12-31").ok();
        assert!(seen.meet(like(&long), 2).is_empty());
        assert_eq!(
            seen.meet(like(&a), 3),
            [2],
            "the long one began a year before"
        );
        let next_year = draft("2026-04-10", "Moscow", &[("C", "US", true)]);
        assert!(seen.meet(like(&next_year), 4).is_empty());
        // Other heads, the same people: found though it is kept under another first head.
        let b = draft(
            "2025-04-10",
            "moscow",
            &[("A", "RU", true), ("B", "RU", false), ("C", "US", false)],
        );
        assert_eq!(like(&b).key_person(), Some(&"a".to_string()));
        assert_eq!(seen.meet(like(&b), 5), [2, 3]);
    }

    #[test]
    fn folding_sets_case_accents_and_spaces_aside() {
        assert_eq!(fold(" Genève "), "geneve");
        assert_eq!(fold("SÃO  Paulo"), "sao paulo");
        assert_eq!(fold("Санкт-Петербург"), "санкт-петербург");
    }
}
