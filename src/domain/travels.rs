//! A person's travels as counts see them: their trips (`trip::trips`) made from their
//! history, and the visits or trips a scope counts, each with its place among them ("his 8th
//! visit to Israel since 7 Oct 2023"). `count --visits`, `count --trips` and the check of a
//! published count of visits all count here, with the same rules as the kept ordinals.

use std::collections::HashMap;

use super::scope::Scope;
use super::series::{SeriesMember, SeriesPlace, rank};
use super::trip::{self, Stop, Trip, Visit};
use super::{Country, Event, FuzzyDate, Kind, Mode, Person, Precision, Status, Title};

/// An event as a stop on its participants' travels: in person and not cancelled. It lasts to
/// its end date where it has one, so that a three-day conference is not a gap in a trip.
pub fn stop_of(event: &Event) -> Option<Stop> {
    if event.mode != Mode::InPerson || event.status == Status::Cancelled {
        return None;
    }
    let last = event
        .end_date
        .map_or(event.date.last(), |end| end.last().max(event.date.last()));
    Some(Stop {
        event_id: event.id,
        first: event.date.first(),
        last,
        to_the_day: event.date.precision() == Precision::Day,
        country: event.place.country.clone(),
        stopover: event.kind == Kind::Stopover,
        happened: event.status.happened(),
        link: None,
    })
}

/// A person's trips, with what scoping them needs.
#[derive(Debug, Clone)]
pub struct Travels {
    /// Their country, or else the side they took most often.
    pub home: Option<Country>,
    pub trips: Vec<Trip>,
    /// Each stop's date as recorded, which a scope is tested against.
    dates: HashMap<i64, FuzzyDate>,
    titles: Vec<Title>,
}

/// A visit or a trip counted within a scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counted {
    /// The trip it is (or is part of).
    pub trip: Trip,
    /// Its events: those in the places counted for a visit, the whole trip's for a trip.
    pub stops: Vec<Stop>,
    /// Its place among the visits (or trips) the scope counts.
    pub place: SeriesPlace,
    /// Reported or confirmed; a planned visit has a place ("will be the 3rd") but is not
    /// counted.
    pub happened: bool,
}

impl Travels {
    /// The travels of `person`, from their history (every event they took part in:
    /// `Store::events_to_count(&[person.id])`): their home is their country or their usual
    /// side, their stops the in-person events not cancelled.
    pub fn of(person: &Person, history: &[Event]) -> Travels {
        let sides = history.iter().filter_map(|e| {
            e.participants
                .iter()
                .find(|p| p.person_id == person.id)
                .map(|p| &p.side)
        });
        let home = trip::home(person.country.as_ref(), sides).cloned();
        let stops: Vec<Stop> = history.iter().filter_map(stop_of).collect();
        Travels::from_stops(person, home, stops, history)
    }

    /// The travels of `person` from `home` through these stops (as `stop_of` makes them, or as
    /// the store keeps them, with the user's splits and joins), scoped by the dates of the
    /// events of `history` they stand for.
    pub fn from_stops(
        person: &Person,
        home: Option<Country>,
        mut stops: Vec<Stop>,
        history: &[Event],
    ) -> Travels {
        stops.sort_by_key(|s| (s.first, s.event_id));
        Travels {
            trips: trip::trips(&stops, home.as_ref()),
            home,
            dates: history.iter().map(|e| (e.id, e.date)).collect(),
            titles: person.titles.clone(),
        }
    }

    /// Whether a visit or trip starting with `stop` is in `scope`: its first event is within
    /// the period and, for a role, the person held the title then.
    fn in_scope(&self, stop: &Stop, scope: &Scope) -> bool {
        self.dates
            .get(&stop.event_id)
            .is_some_and(|date| scope.covers(date) && scope.holds_role(date, &self.titles))
    }

    /// The visits to the countries `within` admits that `scope` counts, in order, each with its
    /// place among them: one per trip, however many events the trip held there.
    pub fn visits(&self, within: impl Fn(&Country) -> bool, scope: &Scope) -> Vec<Counted> {
        let visits: Vec<Visit> = self
            .trips
            .iter()
            .filter_map(|t| t.visit_to(&within))
            .collect();
        self.ranked(visits, scope)
    }

    /// The trips `scope` counts (those to the countries `within` admits, when given), in order,
    /// each with its place among them.
    pub fn trips(&self, within: Option<&dyn Fn(&Country) -> bool>, scope: &Scope) -> Vec<Counted> {
        let trips: Vec<Visit> = self
            .trips
            .iter()
            .filter(|t| within.is_none_or(|within| t.visit_to(within).is_some()))
            .map(|t| Visit {
                trip: t,
                stops: t.stops.iter().collect(),
            })
            .collect();
        self.ranked(trips, scope)
    }

    /// Those of `visits` that `scope` counts, each placed among them. A scope that only ends
    /// numbers them as the whole record does (what it leaves out all comes after): only a start
    /// or a role numbers them afresh.
    fn ranked(&self, visits: Vec<Visit>, scope: &Scope) -> Vec<Counted> {
        let numbering = Scope {
            until: None,
            ..scope.clone()
        };
        let visits: Vec<Visit> = visits
            .into_iter()
            .filter(|v| self.in_scope(v.stops[0], &numbering))
            .collect();
        let members: Vec<SeriesMember> = visits.iter().map(Visit::member).collect();
        visits
            .into_iter()
            .zip(&members)
            .zip(rank(&members))
            .filter(|((visit, _), _)| self.in_scope(visit.stops[0], scope))
            .map(|((visit, member), place)| Counted {
                trip: visit.trip.clone(),
                stops: visit.stops.into_iter().cloned().collect(),
                place,
                happened: member.happened,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use uuid::Uuid;

    use super::*;
    use crate::domain::event::{EventPlace as Where, Participant};

    const BLINKEN: i64 = 1;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn event(id: i64, date: &str, country: &str) -> Event {
        Event {
            id,
            uuid: Uuid::new_v4(),
            version: 1,
            date: FuzzyDate::parse_iso(date).unwrap(),
            end_date: None,
            title: format!("event {id}"),
            kind: Kind::Visit,
            mode: Mode::InPerson,
            status: Status::Confirmed,
            place: Where {
                city: format!("City{id}"),
                country: Country::parse(country).ok(),
                venue: String::new(),
            },
            notes: String::new(),
            participants: vec![Participant {
                person_id: BLINKEN,
                name: "Antony Blinken".into(),
                side: Country::parse("US").unwrap(),
                head: true,
            }],
            sources: vec![],
            claims: vec![],
            unnamed_sides: Vec::new(),
        }
    }

    fn blinken() -> Person {
        Person {
            id: BLINKEN,
            name: "Antony Blinken".into(),
            titles: vec![
                Title {
                    title: "Deputy Secretary of State".into(),
                    from: Some(day("2015-01-09")),
                    until: Some(day("2017-01-20")),
                },
                Title {
                    title: "Secretary of State".into(),
                    from: Some(day("2021-01-26")),
                    until: Some(day("2025-01-20")),
                },
            ],
            ..Person::default()
        }
    }

    /// Israel in 2016, May 2021, January 2023, then the trip of 12–16 October 2023 (Israel
    /// twice, Jordan, Qatar, Bahrain, Saudi Arabia, the UAE, Egypt) and Israel and Jordan in
    /// November 2023; Washington between them.
    fn history() -> Vec<Event> {
        let mut events = vec![
            event(1, "2016-03-08", "IL"),
            event(2, "2021-05-25", "IL"),
            event(3, "2021-05-26", "EG"),
            event(4, "2023-01-30", "IL"),
            event(5, "2023-10-12", "IL"),
            event(6, "2023-10-13", "JO"),
            event(7, "2023-10-13", "QA"),
            event(8, "2023-10-14", "BH"),
            event(9, "2023-10-14", "SA"),
            event(10, "2023-10-14", "AE"),
            event(11, "2023-10-15", "EG"),
            event(12, "2023-10-16", "IL"),
            event(13, "2023-10-20", "US"),
            event(14, "2023-11-03", "IL"),
            event(15, "2023-11-04", "JO"),
            event(16, "2024-02", "IL"),
        ];
        events[15].status = Status::Planned;
        events
    }

    fn israel(c: &Country) -> bool {
        c.code() == "IL"
    }

    fn ordinals(counted: &[Counted]) -> Vec<(i64, usize)> {
        counted
            .iter()
            .map(|c| (c.stops[0].event_id, c.place.ordinal.low))
            .collect()
    }

    #[test]
    fn a_country_twice_in_one_trip_is_one_visit() {
        let travels = Travels::of(&blinken(), &history());
        assert_eq!(travels.home, Country::parse("US").ok(), "the usual side");
        let visits = travels.visits(israel, &Scope::default());
        assert_eq!(
            ordinals(&visits),
            [(1, 1), (2, 2), (4, 3), (5, 4), (14, 5), (16, 6)]
        );
        let october: Vec<i64> = visits[3].stops.iter().map(|s| s.event_id).collect();
        assert_eq!(october, [5, 12]);
        assert_eq!(visits[3].trip.stops.len(), 8);
        assert!(
            !visits[5].happened,
            "the planned visit has a place but does not count"
        );
    }

    #[test]
    fn a_scope_counts_from_its_start_and_renumbers() {
        let travels = Travels::of(&blinken(), &history());
        let since = Scope {
            since: Some(day("2023-10-07")),
            ..Scope::default()
        };
        assert_eq!(
            ordinals(&travels.visits(israel, &since)),
            [(5, 1), (14, 2), (16, 3)]
        );
        let until = Scope {
            until: Some(day("2021-12-31")),
            ..Scope::default()
        };
        assert_eq!(ordinals(&travels.visits(israel, &until)), [(1, 1), (2, 2)]);
        let year = Scope::year(2023).unwrap();
        assert_eq!(
            ordinals(&travels.visits(israel, &year)),
            [(4, 1), (5, 2), (14, 3)]
        );
        // Ending a scope leaves what comes before numbered as in the whole record: the visit of
        // February 2024 (known to the month) may come after one on the 10th (home between
        // them), so the latter is the 6th or 7th, until the 10th too.
        let mut events = history();
        events[15].status = Status::Confirmed;
        events.push(event(17, "2024-02-05", "US"));
        events.push(event(18, "2024-02-10", "IL"));
        let with_february = Travels::of(&blinken(), &events);
        let until = Scope {
            until: Some(day("2024-02-10")),
            ..Scope::default()
        };
        let last = with_february.visits(israel, &until);
        assert_eq!(last.len(), 6, "February 2024 may end after the 10th");
        assert_eq!(last[5].stops[0].event_id, 18);
        assert_eq!(
            (last[5].place.ordinal.low, last[5].place.ordinal.high),
            (6, 7)
        );
        // February 2024 may have begun before the 2nd: not wholly since then.
        let late = Scope {
            since: Some(day("2024-02-02")),
            ..Scope::default()
        };
        assert!(travels.visits(israel, &late).is_empty());
    }

    #[test]
    fn a_role_scope_counts_what_was_done_holding_the_title() {
        let travels = Travels::of(&blinken(), &history());
        let secretary = Scope {
            role: Some("secretary of state".into()),
            ..Scope::default()
        };
        assert_eq!(
            ordinals(&travels.visits(israel, &secretary)),
            [(2, 1), (4, 2), (5, 3), (14, 4), (16, 5)]
        );
        let deputy = Scope {
            role: Some("Deputy Secretary of State".into()),
            ..Scope::default()
        };
        assert_eq!(ordinals(&travels.trips(None, &deputy)), [(1, 1)]);
    }

    #[test]
    fn a_region_counts_a_trip_through_several_of_its_countries_once() {
        let travels = Travels::of(&blinken(), &history());
        let regions = crate::domain::region::Regions::shipped();
        let middle_east = regions.find("Middle East").unwrap();
        let since = Scope {
            since: Some(day("2023-10-07")),
            ..Scope::default()
        };
        let visits = travels.visits(|c| middle_east.contains(c), &since);
        assert_eq!(ordinals(&visits), [(5, 1), (14, 2), (16, 3)]);
        assert_eq!(
            visits[0].stops.len(),
            8,
            "every event of the trip is in the region"
        );
        // Egypt is in Northern Africa: a visit to Africa is the trip's events there.
        let africa = regions.find("Africa").unwrap();
        assert_eq!(
            ordinals(&travels.visits(|c| africa.contains(c), &Scope::default())),
            [(3, 1), (11, 2)]
        );
    }

    #[test]
    fn trips_count_every_journey_or_those_to_a_place() {
        let travels = Travels::of(&blinken(), &history());
        assert_eq!(
            ordinals(&travels.trips(None, &Scope::default())),
            [(1, 1), (2, 2), (4, 3), (5, 4), (14, 5), (16, 6)]
        );
        let jordan = |c: &Country| c.code() == "JO";
        let to_jordan = travels.trips(Some(&jordan), &Scope::default());
        assert_eq!(ordinals(&to_jordan), [(5, 1), (14, 2)]);
        assert_eq!(to_jordan[1].stops.len(), 2, "the whole trip");
    }

    #[test]
    fn the_users_split_of_a_trip_makes_two_visits() {
        let events = history();
        let mut stops: Vec<Stop> = events.iter().filter_map(stop_of).collect();
        let riyadh = stops.iter_mut().find(|s| s.event_id == 9).unwrap();
        riyadh.link = Some(crate::domain::trip::Link::Split);
        let travels = Travels::from_stops(&blinken(), Country::parse("US").ok(), stops, &events);
        let since = Scope {
            since: Some(day("2023-10-07")),
            ..Scope::default()
        };
        // Israel on the 12th, then again on the 16th after a trip of its own from Riyadh.
        assert_eq!(
            ordinals(&travels.visits(israel, &since)),
            [(5, 1), (12, 2), (14, 3), (16, 4)]
        );
    }

    #[test]
    fn a_cancelled_event_or_a_call_is_no_stop() {
        let mut events = history();
        events[0].status = Status::Cancelled;
        events[1].mode = Mode::Phone;
        let travels = Travels::of(&blinken(), &events);
        let visits = travels.visits(israel, &Scope::default());
        assert_eq!(visits[0].stops[0].event_id, 4);
        let mut long = event(20, "2024-06-10", "IT");
        long.end_date = FuzzyDate::parse_iso("2024-06-13").ok();
        assert_eq!(stop_of(&long).unwrap().last, day("2024-06-13"));
    }
}
