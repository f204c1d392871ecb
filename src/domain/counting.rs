//! The counting rules: which events count as meetings of a set of people, and the ordinal of a
//! meeting among them, as the press counts ("the third face-to-face meeting between ..."),
//! ranked as every series is (`series::rank`).

use std::cmp::Ordering;
use std::collections::HashMap;

use super::Title;
use super::date::{DateStyle, FuzzyDate, Precision};
use super::event::Event;
use super::keywords::{Mode, Status};
use super::names::family_name;
use super::scope::Scope;
use super::series::{SeriesMember, SeriesPlace, rank};

/// Which participants count as having met.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// Each of the people headed their own side: the press count. Someone sitting in another's
    /// delegation (Witkoff at the Anchorage summit) has not met the other side's head as a
    /// principal.
    Heads,
    /// All of the people were present, in any role.
    AnyRole,
}

/// What to count: a mode and a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Criteria {
    pub mode: Mode,
    pub rule: Rule,
}

impl Criteria {
    pub const FACE_TO_FACE: Criteria = Criteria {
        mode: Mode::InPerson,
        rule: Rule::Heads,
    };

    pub fn noun(&self) -> &'static str {
        match (self.mode, self.rule) {
            (Mode::InPerson, Rule::AnyRole) => "in-person meeting (any role)",
            (mode, _) => mode.meeting_noun(),
        }
    }

    /// Whether `event` is a meeting of all of `people` in this sense, whatever its status.
    pub fn involves(&self, event: &Event, people: &[i64]) -> bool {
        if event.mode != self.mode || people.is_empty() {
            return false;
        }
        match self.rule {
            Rule::AnyRole => people.iter().all(|p| event.has_participant(*p)),
            Rule::Heads => {
                // Each heads (or co-heads) a side of their own: co-heads of one side do not
                // meet each other.
                let heads = event.heads();
                let mut sides = std::collections::HashSet::new();
                people.iter().all(|p| {
                    heads
                        .iter()
                        .find(|h| h.person_id == *p)
                        .is_some_and(|h| sides.insert(&h.side))
                })
            }
        }
    }
}

/// The order of the timeline: by first possible day, then id.
pub fn timeline_order(a: &Event, b: &Event) -> Ordering {
    a.date.first().cmp(&b.date.first()).then(a.id.cmp(&b.id))
}

/// "previous: 13 Mar 2025, Moscow, 29 days earlier", of a meeting on `date` in `city` before
/// one on `target`.
pub fn previous_phrase(
    date: &FuzzyDate,
    city: &str,
    target: &FuzzyDate,
    style: DateStyle,
) -> String {
    let mut parts = vec![date.display(style)];
    if !city.is_empty() {
        parts.push(city.to_string());
    }
    if let Some(days) = days_between(date, target) {
        parts.push(match days {
            0 => "the same day".to_string(),
            1 => "1 day earlier".to_string(),
            n => format!("{n} days earlier"),
        });
    }
    format!("previous: {}", parts.join(", "))
}

/// Whole days from `earlier` to `later`, where both are known to the day.
pub fn days_between(earlier: &FuzzyDate, later: &FuzzyDate) -> Option<i64> {
    let exact = earlier.precision() == Precision::Day && later.precision() == Precision::Day;
    exact.then(|| (later.first() - earlier.first()).num_days())
}

/// "A and B", "A, B and C".
pub fn join_names(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Sorts people for sentences by family name (`names::family_name`), then full name, so that
/// a pair always reads the same way: "between Vladimir Putin and Steve Witkoff".
pub fn sort_by_surname<T>(items: &mut [T], name: impl Fn(&T) -> &str) {
    items.sort_by(|a, b| {
        let (a, b) = (name(a), name(b));
        without_case(family_name(a), family_name(b)).then_with(|| a.cmp(b))
    });
}

/// `a` and `b` compared in lower case; most names are ASCII, compared without a lower-cased
/// copy (an export sorts the heads of every event).
fn without_case(a: &str, b: &str) -> std::cmp::Ordering {
    if a.is_ascii() && b.is_ascii() {
        a.bytes()
            .map(|c| c.to_ascii_lowercase())
            .cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
    } else {
        a.to_lowercase().cmp(&b.to_lowercase())
    }
}

/// Whether `event` is within `scope` for a count whose subject (the first person named) held
/// these `titles`: its date wholly in the period, and the subject holding the scope's title.
pub fn within(event: &Event, scope: &Scope, titles: &[Title]) -> bool {
    scope.covers(&event.date) && scope.holds_role(&event.date, titles)
}

/// Meetings of `people` that happened within `scope` (`within`), in timeline order.
pub fn meetings<'a>(
    history: &'a [Event],
    people: &[i64],
    criteria: Criteria,
    scope: &Scope,
    titles: &[Title],
) -> Vec<&'a Event> {
    let mut found: Vec<&Event> = history
        .iter()
        .filter(|e| e.status.happened() && criteria.involves(e, people))
        .filter(|e| within(e, scope, titles))
        .collect();
    found.sort_by(|a, b| timeline_order(a, b));
    found
}

/// The place of each meeting of `people` within `scope` among those within it, numbered afresh
/// ("the 8th since 7 Oct 2023"), by event number; `history` as for `places`.
pub fn scoped_places(
    history: &[Event],
    people: &[i64],
    criteria: Criteria,
    scope: &Scope,
    titles: &[Title],
) -> HashMap<i64, SeriesPlace> {
    let members: Vec<SeriesMember> = history
        .iter()
        .filter(|e| e.status != Status::Cancelled && criteria.involves(e, people))
        .filter(|e| within(e, scope, titles))
        .map(|e| SeriesMember::new(e.id, &e.date, e.status.happened()))
        .collect();
    members
        .iter()
        .map(|m| m.event_id)
        .zip(rank(&members))
        .collect()
}

/// The place of each meeting of `people` in `history` (by `criteria`) among them, by event
/// number: one ranking of the whole history (`series::rank`), however long it is. `history`
/// must hold every event in which all of `people` took part; a cancelled event has no place.
pub fn places(history: &[Event], people: &[i64], criteria: Criteria) -> HashMap<i64, SeriesPlace> {
    scoped_places(history, people, criteria, &Scope::default(), &[])
}

/// Someone a person met across the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counterpart {
    pub person_id: i64,
    pub name: String,
    /// Meetings in which both headed their sides: the press count.
    pub face_to_face: usize,
    /// In-person events in which they sat on different sides, in any role.
    pub together: usize,
    pub last: FuzzyDate,
}

/// The people `person_id` met on other sides in the events of `history` that happened in person,
/// most face-to-face meetings first.
pub fn counterparts(history: &[Event], person_id: i64) -> Vec<Counterpart> {
    let mut found: HashMap<i64, Counterpart> = HashMap::new();
    for event in history
        .iter()
        .filter(|e| e.status.happened() && e.mode == Mode::InPerson)
    {
        let Some(mine) = event.participants.iter().find(|p| p.person_id == person_id) else {
            continue;
        };
        let heads = event.heads();
        let i_head = heads.iter().any(|h| h.person_id == person_id);
        for other in event.participants.iter().filter(|p| p.side != mine.side) {
            let entry = found.entry(other.person_id).or_insert_with(|| Counterpart {
                person_id: other.person_id,
                name: other.name.clone(),
                face_to_face: 0,
                together: 0,
                last: event.date,
            });
            entry.together += 1;
            if i_head && heads.iter().any(|h| h.person_id == other.person_id) {
                entry.face_to_face += 1;
            }
            if entry.last.first() < event.date.first() {
                entry.last = event.date;
            }
        }
    }
    let mut list: Vec<Counterpart> = found.into_values().collect();
    list.sort_by(|a, b| {
        b.face_to_face
            .cmp(&a.face_to_face)
            .then(b.together.cmp(&a.together))
            .then_with(|| a.name.cmp(&b.name))
    });
    list
}

#[cfg(test)]
mod tests {
    use uuid::Uuid;

    use proptest::prelude::*;

    use super::*;
    use crate::domain::Country;
    use crate::domain::event::{EventPlace as Where, Participant};
    use crate::domain::keywords::Kind;
    use crate::domain::oracle::{ordinal_of, visit_ordinal};
    use crate::domain::ordinal::Ordinal;

    const PUTIN: i64 = 1;
    const WITKOFF: i64 = 2;
    const TRUMP: i64 = 3;
    const DMITRIEV: i64 = 4;
    const ERDOGAN: i64 = 5;

    struct Builder {
        events: Vec<Event>,
    }

    impl Builder {
        fn new() -> Self {
            Builder { events: vec![] }
        }

        /// `who` lists (person, side, marked head).
        fn add(
            &mut self,
            date: &str,
            mode: Mode,
            status: Status,
            who: &[(i64, &str, bool)],
        ) -> i64 {
            let id = self.events.len() as i64 + 1;
            self.events.push(Event {
                id,
                uuid: Uuid::new_v4(),
                version: 1,
                date: FuzzyDate::parse_iso(date).unwrap(),
                end_date: None,
                title: format!("event {id}"),
                kind: Kind::Meeting,
                mode,
                status,
                place: Where {
                    city: format!("City{id}"),
                    country: Some(Country::parse("RU").unwrap()),
                    venue: String::new(),
                },
                notes: String::new(),
                participants: who
                    .iter()
                    .map(|(pid, side, head)| Participant {
                        person_id: *pid,
                        name: format!("Person {pid}"),
                        side: Country::parse(side).unwrap(),
                        head: *head,
                    })
                    .collect(),
                sources: vec![],
                claims: vec![],
                unnamed_sides: Vec::new(),
            });
            id
        }

        fn meet(&mut self, date: &str) -> i64 {
            self.add(
                date,
                Mode::InPerson,
                Status::Confirmed,
                &[(PUTIN, "RU", false), (WITKOFF, "US", false)],
            )
        }

        fn event(&self, id: i64) -> &Event {
            &self.events[usize::try_from(id - 1).unwrap()]
        }

        /// The pair's ordinal by the rule, which the program's ranking must give too.
        fn ordinal(&self, id: i64, criteria: Criteria) -> Option<Ordinal> {
            let pair = [PUTIN, WITKOFF];
            let rule = ordinal_of(self.event(id), &self.events, &pair, criteria);
            let ranked = places(&self.events, &pair, criteria).remove(&id);
            assert_eq!(
                ranked.map(|p| (p.ordinal, p.previous)),
                rule.as_ref().map(|o| (o.ordinal, o.previous.map(|e| e.id))),
                "event {id}"
            );
            rule.map(|o| o.ordinal)
        }

        fn phrase(&self, id: i64) -> String {
            self.ordinal(id, Criteria::FACE_TO_FACE)
                .map(|o| o.phrase())
                .unwrap_or_default()
        }
    }

    #[test]
    fn meetings_are_numbered_by_date() {
        let mut b = Builder::new();
        let third = b.meet("2025-04-11");
        let first = b.meet("2025-02-11");
        let second = b.meet("2025-03-13");
        assert_eq!(
            (b.phrase(first), b.phrase(second), b.phrase(third)),
            ("1st".into(), "2nd".into(), "3rd".into())
        );
        let o = ordinal_of(
            b.event(third),
            &b.events,
            &[PUTIN, WITKOFF],
            Criteria::FACE_TO_FACE,
        )
        .unwrap();
        assert_eq!(o.previous.map(|e| e.id), Some(second));
        assert_eq!(
            o.previous_phrase(b.event(third)).unwrap(),
            "previous: 13 Mar 2025, City3, 29 days earlier"
        );
        assert_eq!(
            o.sentence(&["Vladimir Putin", "Steve Witkoff"]),
            "3rd face-to-face meeting between Vladimir Putin and Steve Witkoff"
        );
    }

    #[test]
    fn same_day_meetings_follow_record_order() {
        let mut b = Builder::new();
        let morning = b.meet("2025-04-11");
        let evening = b.meet("2025-04-11");
        assert_eq!(b.phrase(morning), "1st");
        assert_eq!(b.phrase(evening), "2nd");
        let o = ordinal_of(
            b.event(evening),
            &b.events,
            &[PUTIN, WITKOFF],
            Criteria::FACE_TO_FACE,
        )
        .unwrap();
        assert_eq!(
            o.previous_phrase(b.event(evening)).unwrap(),
            "previous: 11 Apr 2025, City1, the same day"
        );
    }

    #[test]
    fn imprecise_dates_give_a_range_instead_of_an_invented_day() {
        let mut b = Builder::new();
        b.meet("2025-02-11");
        let in_april = b.meet("2025-04");
        let april_11 = b.meet("2025-04-11");
        let may = b.meet("2025-05-02");
        assert_eq!(b.phrase(april_11), "2nd or 3rd");
        assert_eq!(b.phrase(in_april), "2nd or 3rd");
        assert_eq!(b.phrase(may), "4th");
        let in_2025 = b.meet("2025");
        assert_eq!(b.phrase(in_2025), "1st to 5th");
        assert_eq!(
            b.ordinal(in_2025, Criteria::FACE_TO_FACE).unwrap().badge(),
            "1st-5th"
        );
    }

    #[test]
    fn planned_events_will_be_and_do_not_count_for_others() {
        let mut b = Builder::new();
        b.meet("2025-02-11");
        let planned = b.add(
            "2025-05-01",
            Mode::InPerson,
            Status::Planned,
            &[(PUTIN, "RU", false), (WITKOFF, "US", false)],
        );
        let later = b.meet("2025-06-01");
        let o = ordinal_of(
            b.event(planned),
            &b.events,
            &[PUTIN, WITKOFF],
            Criteria::FACE_TO_FACE,
        )
        .unwrap();
        assert!(o.planned);
        assert_eq!(
            o.sentence(&["A", "B"]),
            "will be the 2nd face-to-face meeting between A and B"
        );
        assert_eq!(b.phrase(later), "2nd");
    }

    #[test]
    fn cancelled_events_are_not_counted() {
        let mut b = Builder::new();
        let cancelled = b.add(
            "2025-03-01",
            Mode::InPerson,
            Status::Cancelled,
            &[(PUTIN, "RU", false), (WITKOFF, "US", false)],
        );
        let reported = b.add(
            "2025-04-01",
            Mode::InPerson,
            Status::Reported,
            &[(PUTIN, "RU", false), (WITKOFF, "US", false)],
        );
        assert_eq!(b.ordinal(cancelled, Criteria::FACE_TO_FACE), None);
        assert_eq!(b.phrase(reported), "1st");
    }

    #[test]
    fn phone_calls_are_counted_apart_from_meetings() {
        let mut b = Builder::new();
        b.meet("2025-02-11");
        let call = b.add(
            "2025-02-12",
            Mode::Phone,
            Status::Confirmed,
            &[(PUTIN, "RU", false), (WITKOFF, "US", false)],
        );
        let meeting = b.meet("2025-03-13");
        assert_eq!(b.phrase(call), "", "a call is not a face-to-face meeting");
        assert_eq!(b.phrase(meeting), "2nd");
        let phone = Criteria {
            mode: Mode::Phone,
            rule: Rule::Heads,
        };
        let o = ordinal_of(b.event(call), &b.events, &[PUTIN, WITKOFF], phone).unwrap();
        assert_eq!(o.sentence(&["A", "B"]), "1st phone call between A and B");
    }

    #[test]
    fn sitting_in_another_delegation_counts_only_with_any_role() {
        let mut b = Builder::new();
        b.meet("2025-04-11");
        let summit = b.add(
            "2025-08-15",
            Mode::InPerson,
            Status::Confirmed,
            &[
                (TRUMP, "US", true),
                (WITKOFF, "US", false),
                (PUTIN, "RU", true),
            ],
        );
        let kremlin = b.meet("2025-12-02");
        assert_eq!(b.phrase(summit), "");
        assert_eq!(b.phrase(kremlin), "2nd");
        let any = Criteria {
            mode: Mode::InPerson,
            rule: Rule::AnyRole,
        };
        assert_eq!(b.ordinal(kremlin, any).unwrap().phrase(), "3rd");
        let whole = Scope::default();
        assert_eq!(
            meetings(&b.events, &[PUTIN, WITKOFF], any, &whole, &[]).len(),
            3
        );
    }

    #[test]
    fn a_scope_numbers_the_meetings_within_it_afresh() {
        let mut b = Builder::new();
        b.meet("2025-02-11");
        let march = b.meet("2025-03-13");
        let april = b.meet("2025-04");
        let since = Scope {
            since: chrono::NaiveDate::from_ymd_opt(2025, 3, 1),
            ..Scope::default()
        };
        let pair = [PUTIN, WITKOFF];
        let places = scoped_places(&b.events, &pair, Criteria::FACE_TO_FACE, &since, &[]);
        assert_eq!(places[&march].ordinal.phrase(), "1st");
        assert_eq!(places[&april].ordinal.phrase(), "2nd");
        assert_eq!(places.len(), 2);
        let found = meetings(&b.events, &pair, Criteria::FACE_TO_FACE, &since, &[]);
        assert_eq!(
            found.iter().map(|e| e.id).collect::<Vec<_>>(),
            [march, april]
        );
        let envoy = [Title {
            title: "Special Envoy".into(),
            from: chrono::NaiveDate::from_ymd_opt(2025, 4, 1),
            until: None,
        }];
        let as_envoy = Scope {
            role: Some("special envoy".into()),
            ..Scope::default()
        };
        let places = scoped_places(&b.events, &pair, Criteria::FACE_TO_FACE, &as_envoy, &envoy);
        assert_eq!(places.keys().collect::<Vec<_>>(), [&april]);
        assert_eq!(places[&april].ordinal.phrase(), "1st");
    }

    #[test]
    fn a_side_without_a_marked_head_has_no_principal() {
        let mut b = Builder::new();
        let e = b.add(
            "2025-04-11",
            Mode::InPerson,
            Status::Confirmed,
            &[
                (PUTIN, "RU", false),
                (DMITRIEV, "RU", false),
                (WITKOFF, "US", false),
            ],
        );
        assert_eq!(b.phrase(e), "");
        assert!(
            b.ordinal(
                e,
                Criteria {
                    mode: Mode::InPerson,
                    rule: Rule::AnyRole
                }
            )
            .is_some()
        );
    }

    #[test]
    fn three_way_meetings_count_for_each_pair_and_the_trio() {
        let mut b = Builder::new();
        b.meet("2025-01-01");
        let trio = b.add(
            "2025-02-01",
            Mode::InPerson,
            Status::Confirmed,
            &[
                (PUTIN, "RU", false),
                (WITKOFF, "US", false),
                (ERDOGAN, "TR", false),
            ],
        );
        assert_eq!(b.phrase(trio), "2nd");
        let o = ordinal_of(
            b.event(trio),
            &b.events,
            &[PUTIN, WITKOFF, ERDOGAN],
            Criteria::FACE_TO_FACE,
        )
        .unwrap();
        assert_eq!(o.ordinal.phrase(), "1st");
        assert_eq!(
            o.sentence(&["A", "B", "C"]),
            "1st face-to-face meeting between A, B and C"
        );
    }

    #[test]
    fn until_limits_the_count() {
        let mut b = Builder::new();
        b.meet("2025-02-11");
        b.meet("2025-03-13");
        b.meet("2025-04-11");
        let until = |day: u32| Scope {
            until: chrono::NaiveDate::from_ymd_opt(2025, 3, day),
            ..Scope::default()
        };
        let pair = [PUTIN, WITKOFF];
        let count = |scope: &Scope| meetings(&b.events, &pair, Criteria::FACE_TO_FACE, scope, &[]);
        assert_eq!(count(&until(31)).len(), 2);
        assert_eq!(count(&until(12)).len(), 1);
        let april = Scope {
            until: chrono::NaiveDate::from_ymd_opt(2025, 4, 30),
            ..Scope::default()
        };
        assert_eq!(count(&april).len(), 3);
    }

    #[test]
    fn visits_are_counted_per_country_away_from_home() {
        let mut b = Builder::new();
        let first = b.meet("2025-02-11");
        b.add(
            "2025-02-20",
            Mode::Phone,
            Status::Confirmed,
            &[(PUTIN, "RU", false), (WITKOFF, "US", false)],
        );
        let second = b.meet("2025-03-13");
        let us = Country::parse("US").unwrap();
        let ru = Country::parse("RU").unwrap();
        assert_eq!(
            visit_ordinal(b.event(first), &b.events, WITKOFF, Some(&us))
                .unwrap()
                .phrase(),
            "1st"
        );
        assert_eq!(
            visit_ordinal(b.event(second), &b.events, WITKOFF, Some(&us))
                .unwrap()
                .phrase(),
            "2nd"
        );
        assert_eq!(
            visit_ordinal(b.event(second), &b.events, PUTIN, Some(&ru)),
            None
        );
    }

    #[test]
    fn counterparts_rank_by_face_to_face_meetings() {
        let mut b = Builder::new();
        b.meet("2025-02-11");
        b.meet("2025-03-13");
        b.add(
            "2025-04-02",
            Mode::InPerson,
            Status::Confirmed,
            &[(DMITRIEV, "RU", false), (WITKOFF, "US", false)],
        );
        b.add(
            "2025-08-15",
            Mode::InPerson,
            Status::Confirmed,
            &[
                (TRUMP, "US", true),
                (WITKOFF, "US", false),
                (PUTIN, "RU", true),
            ],
        );
        let list = counterparts(&b.events, WITKOFF);
        let summary: Vec<(i64, usize, usize)> = list
            .iter()
            .map(|c| (c.person_id, c.face_to_face, c.together))
            .collect();
        assert_eq!(summary, vec![(PUTIN, 2, 3), (DMITRIEV, 1, 1)]);
        assert_eq!(list[0].last.to_iso(), "2025-08-15");
    }

    #[test]
    fn names_compare_as_their_lower_case() {
        let words = [
            "Bush",
            "bush",
            "BUSH",
            "Busha",
            "Bus",
            "van",
            "Van",
            "Öztürk",
            "öztürk",
            "ÖZTÜRK",
            "Ozturk",
            "ΣΟΦΟΣ",
            "σοφος",
            "Zhang",
            "[a]",
            "_",
        ];
        for a in words {
            for b in words {
                assert_eq!(
                    without_case(a, b),
                    a.to_lowercase().cmp(&b.to_lowercase()),
                    "{a} {b}"
                );
            }
        }
    }

    #[test]
    fn names_sort_by_surname() {
        let mut names = vec!["Steve Witkoff", "Vladimir Putin", "Donald Trump"];
        sort_by_surname(&mut names, |n| n);
        assert_eq!(names, ["Vladimir Putin", "Donald Trump", "Steve Witkoff"]);
        // By the family name, not the last word: "II" and "Jinping" sort nowhere.
        let mut others = vec!["Ulysses S. Grant II", "Henry Kissinger", "Xi Jinping"];
        sort_by_surname(&mut others, |n| n);
        assert_eq!(
            others,
            ["Ulysses S. Grant II", "Henry Kissinger", "Xi Jinping"]
        );
        assert_eq!(
            join_names(&names),
            "Vladimir Putin, Donald Trump and Steve Witkoff"
        );
    }

    /// `count --any-role` (and a count among three or more) ranks the whole history at once:
    /// 20,000 meetings of a pair take milliseconds, where weighing each against every other
    /// took minutes.
    #[test]
    fn a_long_history_is_ranked_in_one_pass() {
        let mut b = Builder::new();
        let start = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
        for day in 0..20_000 {
            let date = (start + chrono::Days::new(day))
                .format("%Y-%m-%d")
                .to_string();
            b.add(
                &date,
                Mode::InPerson,
                Status::Confirmed,
                &[
                    (PUTIN, "RU", false),
                    (DMITRIEV, "RU", false),
                    (WITKOFF, "US", false),
                ],
            );
        }
        let any = Criteria {
            mode: Mode::InPerson,
            rule: Rule::AnyRole,
        };
        let clock = std::time::Instant::now();
        let found = places(&b.events, &[PUTIN, WITKOFF], any);
        let took = clock.elapsed();
        assert!(took < std::time::Duration::from_secs(2), "{took:?}");
        assert_eq!(found.len(), 20_000);
        assert_eq!(
            found[&20_000].ordinal,
            Ordinal {
                low: 20_000,
                high: 20_000
            }
        );
        assert_eq!(found[&20_000].previous, Some(19_999));
    }

    fn side() -> impl Strategy<Value = &'static str> {
        prop_oneof![Just("RU"), Just("US"), Just("TR")]
    }

    fn happening() -> impl Strategy<Value = (String, Mode, Status)> {
        let date = (2024..2026i32, 1..13u32, 1..29u32, 0..6u8).prop_map(|(y, m, d, p)| match p {
            0 => format!("{y}"),
            1 => format!("{y}-{m:02}"),
            _ => format!("{y}-{m:02}-{d:02}"),
        });
        let mode = prop_oneof![Just(Mode::InPerson), Just(Mode::Phone)];
        let status = prop_oneof![
            Just(Status::Confirmed),
            Just(Status::Reported),
            Just(Status::Planned),
            Just(Status::Cancelled)
        ];
        (date, mode, status)
    }

    proptest! {
        /// The program's ranking gives every meeting of any people, by either rule, the
        /// ordinal and previous meeting the rule as first written gives.
        #[test]
        fn places_agree_with_the_oracle(
            events in proptest::collection::vec(
                (happening(), proptest::collection::vec((side(), any::<bool>()), 3)),
                1..30,
            ),
            trio in any::<bool>(),
            any_role in any::<bool>(),
            phone in any::<bool>(),
        ) {
            let mut b = Builder::new();
            for ((date, mode, status), seats) in &events {
                let who: Vec<(i64, &str, bool)> = [PUTIN, WITKOFF, DMITRIEV]
                    .iter()
                    .zip(seats)
                    .map(|(id, (side, head))| (*id, *side, *head))
                    .collect();
                b.add(date, *mode, *status, &who);
            }
            let people: &[i64] = if trio { &[PUTIN, WITKOFF, DMITRIEV] } else { &[PUTIN, WITKOFF] };
            let criteria = Criteria {
                mode: if phone { Mode::Phone } else { Mode::InPerson },
                rule: if any_role { Rule::AnyRole } else { Rule::Heads },
            };
            let found = places(&b.events, people, criteria);
            for event in &b.events {
                let rule = ordinal_of(event, &b.events, people, criteria);
                prop_assert_eq!(
                    found.get(&event.id).map(|p| (p.ordinal, p.previous)),
                    rule.map(|o| (o.ordinal, o.previous.map(|e| e.id))),
                    "event {}", event.id
                );
            }
        }
    }
}
