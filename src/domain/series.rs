//! The series an event belongs to, and each member's place in its series, computed in one pass
//! over the series: the store keeps these places so that an ordinal costs one lookup instead of
//! a pass over a pair's whole history. `rank` is the program's one ranking; the tests hold it to
//! the rule as first written, event against event (`oracle`).

use std::collections::HashMap;

use chrono::NaiveDate;

use super::event::{Participant, heads};
use super::keywords::{Kind, Mode, Status};
use super::ordinal::Ordinal;
use super::{FuzzyDate, Precision};

/// A series of events that ordinals count along.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Series {
    /// The meetings (or calls, in that mode) in which both people headed their sides;
    /// `first < second`.
    Meetings { mode: Mode, first: i64, second: i64 },
    /// A person's visits to a country: their trips away from home that went there (see
    /// `trip`), each counted once; every event of a visit holds the visit's place.
    Visits { person: i64, country: String },
}

impl Series {
    /// The pair's series, whichever way round the people are given.
    pub fn meetings(mode: Mode, a: i64, b: i64) -> Series {
        Series::Meetings {
            mode,
            first: a.min(b),
            second: a.max(b),
        }
    }

    /// The key the store files the series under: "in-person 12 34", "visit 12 RU".
    pub fn key(&self) -> String {
        let mut key = String::new();
        self.write_key(&mut key);
        key
    }

    /// Puts `key` at the end of `out`, which a caller looking up many keys reuses.
    pub fn write_key(&self, out: &mut String) {
        use std::fmt::Write as _;
        // Writing to a String cannot fail.
        let _ = match self {
            Series::Meetings {
                mode,
                first,
                second,
            } => write!(out, "{} {first} {second}", mode.as_str()),
            Series::Visits { person, country } => write!(out, "visit {person} {country}"),
        };
    }

    pub fn parse(key: &str) -> Option<Series> {
        let mut words = key.split(' ');
        let kind = words.next()?;
        let a = words.next()?;
        let b = words.next()?;
        if words.next().is_some() {
            return None;
        }
        if kind == "visit" {
            return Some(Series::Visits {
                person: a.parse().ok()?,
                country: b.to_string(),
            });
        }
        Some(Series::meetings(
            kind.parse().ok()?,
            a.parse().ok()?,
            b.parse().ok()?,
        ))
    }
}

/// The meeting series an event with these facts belongs to. A cancelled event belongs to
/// none: it has no ordinal and counts for no other; nor does a stopover, which is never a
/// meeting. Visits are counted per trip, over a person's whole history (`trip::visit_places`).
pub fn series_of(
    kind: Kind,
    mode: Mode,
    status: Status,
    participants: &[Participant],
) -> Vec<Series> {
    if status == Status::Cancelled || kind == Kind::Stopover {
        return Vec::new();
    }
    let heads = heads(participants);
    let mut found = Vec::new();
    // Co-heads of one side do not meet each other; each meets every head of the other sides.
    for (i, a) in heads.iter().enumerate() {
        for b in heads[i + 1..].iter().filter(|b| b.side != a.side) {
            found.push(Series::meetings(mode, a.person_id, b.person_id));
        }
    }
    found
}

/// One event in a series, as ranking needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeriesMember {
    pub event_id: i64,
    pub first: NaiveDate,
    pub last: NaiveDate,
    /// Known to the day: two such events on one day are ordered by their numbers.
    pub to_the_day: bool,
    /// Counts for the others (reported or confirmed); a planned member has a place ("will be
    /// the 3rd") but does not push the others back.
    pub happened: bool,
}

impl SeriesMember {
    pub fn new(event_id: i64, date: &FuzzyDate, happened: bool) -> SeriesMember {
        SeriesMember {
            event_id,
            first: date.first(),
            last: date.last(),
            to_the_day: date.precision() == Precision::Day,
            happened,
        }
    }
}

/// A member's place in its series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeriesPlace {
    pub ordinal: Ordinal,
    /// The latest member that happened certainly before this one.
    pub previous: Option<i64>,
}

/// The place of each member (in the order given): the members that happened certainly before
/// (ended before it began, or on the same day with a lower number, both known to the day),
/// plus one, up to those whose order cannot be known.
/// O(n log n) for a series of n.
pub fn rank(members: &[SeriesMember]) -> Vec<SeriesPlace> {
    let counted: Vec<&SeriesMember> = members.iter().filter(|m| m.happened).collect();
    // By last day, with the latest (first day, number) so far: the members certainly before
    // a day are a prefix of this order.
    let mut by_last: Vec<(NaiveDate, (NaiveDate, i64))> = counted
        .iter()
        .map(|m| (m.last, (m.first, m.event_id)))
        .collect();
    by_last.sort_unstable();
    let mut latest_so_far = Vec::with_capacity(by_last.len());
    let mut latest: Option<(NaiveDate, i64)> = None;
    for (_, key) in &by_last {
        latest = latest.max(Some(*key));
        latest_so_far.push(latest);
    }
    let mut firsts: Vec<NaiveDate> = counted.iter().map(|m| m.first).collect();
    firsts.sort_unstable();
    let mut same_day: HashMap<NaiveDate, Vec<i64>> = HashMap::new();
    for m in counted.iter().filter(|m| m.to_the_day) {
        same_day.entry(m.first).or_default().push(m.event_id);
    }
    for numbers in same_day.values_mut() {
        numbers.sort_unstable();
    }
    members
        .iter()
        .map(|m| {
            let strictly_before = by_last.partition_point(|(last, _)| *last < m.first);
            let strictly_after = firsts.len() - firsts.partition_point(|first| *first <= m.last);
            let (day_before, day_after, day_previous) = match same_day.get(&m.first) {
                Some(numbers) if m.to_the_day => {
                    let below = numbers.partition_point(|n| *n < m.event_id);
                    let above = numbers.partition_point(|n| *n <= m.event_id);
                    let previous = below.checked_sub(1).map(|i| numbers[i]);
                    (below, numbers.len() - above, previous)
                }
                _ => (0, 0, None),
            };
            let before = strictly_before + day_before;
            let others = counted.len() - usize::from(m.happened);
            let uncertain = others - before - strictly_after - day_after;
            let previous = day_previous.or_else(|| {
                strictly_before
                    .checked_sub(1)
                    .and_then(|i| latest_so_far[i])
                    .map(|(_, id)| id)
            });
            SeriesPlace {
                ordinal: Ordinal {
                    low: before + 1,
                    high: before + 1 + uncertain,
                },
                previous,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use uuid::Uuid;

    use super::*;
    use crate::domain::Country;
    use crate::domain::counting::Criteria;
    use crate::domain::event::{Event, EventPlace as Where};
    use crate::domain::oracle::{ordinal_of, visit_ordinal};

    const RU: &str = "RU";

    fn event(id: i64, date: &str, status: Status, mode: Mode) -> Event {
        Event {
            id,
            uuid: Uuid::nil(),
            version: 1,
            date: FuzzyDate::parse_iso(date).unwrap(),
            end_date: None,
            title: format!("event {id}"),
            kind: Kind::Meeting,
            mode,
            status,
            place: Where {
                city: String::new(),
                country: Country::parse(RU).ok(),
                venue: String::new(),
            },
            notes: String::new(),
            participants: [(1, "RU"), (2, "US")]
                .iter()
                .map(|(id, side)| Participant {
                    person_id: *id,
                    name: format!("P{id}"),
                    side: Country::parse(side).unwrap(),
                    head: false,
                })
                .collect(),
            sources: Vec::new(),
            claims: Vec::new(),
            unnamed_sides: Vec::new(),
        }
    }

    fn date() -> impl Strategy<Value = String> {
        (2020..2023i32, 1..13u32, 1..29u32, 0..10u8).prop_map(|(y, m, d, p)| match p {
            0 => format!("{y}"),
            1 | 2 => format!("{y}-{m:02}"),
            _ => format!("{y}-{m:02}-{d:02}"),
        })
    }

    fn status() -> impl Strategy<Value = Status> {
        prop_oneof![
            Just(Status::Confirmed),
            Just(Status::Reported),
            Just(Status::Planned),
            Just(Status::Cancelled)
        ]
    }

    proptest! {
        /// Ranking a whole series at once gives every member the ordinal and previous meeting
        /// that counting one event against the history gives.
        #[test]
        fn rank_agrees_with_ordinal_of(dates in proptest::collection::vec((date(), status()), 1..40)) {
            let history: Vec<Event> = dates
                .iter()
                .enumerate()
                .map(|(i, (d, s))| event(i as i64 + 1, d, *s, Mode::InPerson))
                .collect();
            let members: Vec<SeriesMember> = history
                .iter()
                .filter(|e| e.status != Status::Cancelled)
                .map(|e| SeriesMember::new(e.id, &e.date, e.status.happened()))
                .collect();
            let places = rank(&members);
            for (member, place) in members.iter().zip(&places) {
                let target = history.iter().find(|e| e.id == member.event_id).unwrap();
                let expected = ordinal_of(target, &history, &[1, 2], Criteria::FACE_TO_FACE).unwrap();
                prop_assert_eq!(place.ordinal, expected.ordinal, "event {}", member.event_id);
                prop_assert_eq!(place.previous, expected.previous.map(|e| e.id));
                let visit = visit_ordinal(target, &history, 2, Country::parse("US").ok().as_ref());
                prop_assert_eq!(Some(place.ordinal), visit);
            }
        }
    }

    #[test]
    fn series_keys_read_back() {
        for series in [
            Series::meetings(Mode::Phone, 34, 12),
            Series::Visits {
                person: 7,
                country: "TR".into(),
            },
        ] {
            assert_eq!(Series::parse(&series.key()), Some(series.clone()));
        }
        assert_eq!(Series::meetings(Mode::Phone, 34, 12).key(), "phone 12 34");
        assert_eq!(Series::parse("visit 1"), None);
    }

    #[test]
    fn an_event_belongs_to_each_pair_of_heads_unless_a_stopover() {
        let mut e = event(1, "2025-04-11", Status::Confirmed, Mode::InPerson);
        e.participants.push(Participant {
            person_id: 3,
            name: "P3".into(),
            side: Country::parse("TR").unwrap(),
            head: false,
        });
        let found = series_of(e.kind, e.mode, e.status, &e.participants);
        assert_eq!(
            found,
            vec![
                Series::meetings(Mode::InPerson, 1, 2),
                Series::meetings(Mode::InPerson, 1, 3),
                Series::meetings(Mode::InPerson, 2, 3),
            ]
        );
        assert!(
            series_of(
                Kind::Meeting,
                Mode::InPerson,
                Status::Cancelled,
                &e.participants
            )
            .is_empty()
        );
        assert!(
            series_of(
                Kind::Stopover,
                Mode::InPerson,
                Status::Confirmed,
                &e.participants
            )
            .is_empty(),
            "a stopover is never a meeting"
        );
    }
}
