//! Trips and visits, as the press counts them. A trip is a person's journey away from home:
//! their consecutive in-person events outside their home country, each starting no more than
//! one day after the trip so far ends. A visit to a country (or a region: any set of countries)
//! is a trip that includes it, counted once per trip however many events it held there; a
//! stopover is part of a trip but never a visit. "Blinken's 8th visit to Israel" counts trips.

use std::collections::{BTreeMap, HashMap};

use chrono::{Days, NaiveDate};

use super::Country;
use super::series::{SeriesMember, SeriesPlace, rank};

/// The user's word on where a trip breaks, overriding the rule of days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Link {
    /// This event starts a new trip, however close it is to the previous one.
    Split,
    /// This event continues the previous trip, however far apart they are.
    Join,
}

/// One of the person's in-person events, as grouping needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stop {
    pub event_id: i64,
    pub first: NaiveDate,
    pub last: NaiveDate,
    /// Known to the day (two such events on one day are ordered by their numbers).
    pub to_the_day: bool,
    /// Where it was held. An event whose country is not known is part of no trip: it neither
    /// extends one nor breaks it.
    pub country: Option<Country>,
    /// A stop on the way (refuelling, transit): part of the trip, not a visit.
    pub stopover: bool,
    /// Reported or confirmed: only trips that happened push later ones back.
    pub happened: bool,
    pub link: Option<Link>,
}

/// A journey away from home: its events in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trip {
    pub stops: Vec<Stop>,
}

impl Trip {
    pub fn first(&self) -> NaiveDate {
        self.stops[0].first
    }

    pub fn last(&self) -> NaiveDate {
        self.stops
            .iter()
            .map(|s| s.last)
            .max()
            .unwrap_or(self.first())
    }

    /// The trip's number: its first event's.
    pub fn id(&self) -> i64 {
        self.stops[0].event_id
    }

    /// The countries it visited (stopovers aside), in the order first reached.
    pub fn countries(&self) -> Vec<&Country> {
        let mut seen: Vec<&Country> = Vec::new();
        for stop in self.stops.iter().filter(|s| !s.stopover) {
            if let Some(country) = &stop.country
                && !seen.contains(&country)
            {
                seen.push(country);
            }
        }
        seen
    }

    /// The visit this trip makes to the countries `within` admits, if it makes one: its
    /// events there, stopovers aside.
    pub fn visit_to(&self, within: impl Fn(&Country) -> bool) -> Option<Visit<'_>> {
        let stops: Vec<&Stop> = self
            .stops
            .iter()
            .filter(|s| !s.stopover && s.country.as_ref().is_some_and(&within))
            .collect();
        (!stops.is_empty()).then_some(Visit { trip: self, stops })
    }
}

/// A trip's visit to a country or region: the trip's events there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Visit<'a> {
    pub trip: &'a Trip,
    pub stops: Vec<&'a Stop>,
}

impl Visit<'_> {
    /// The visit as ranking sees it: it lasts from its first event there to its last, and it
    /// happened if any of them did.
    pub fn member(&self) -> SeriesMember {
        let first = self.stops[0];
        SeriesMember {
            event_id: first.event_id,
            first: first.first,
            last: self
                .stops
                .iter()
                .map(|s| s.last)
                .max()
                .unwrap_or(first.last),
            to_the_day: self.stops.iter().all(|s| s.to_the_day),
            happened: self.stops.iter().any(|s| s.happened),
        }
    }
}

/// A person's home: the country given for them, or else the side they take most often (on a
/// tie, the first code in alphabetical order, so that home never depends on which event was
/// entered first).
pub fn home<'a>(
    given: Option<&'a Country>,
    sides: impl IntoIterator<Item = &'a Country>,
) -> Option<&'a Country> {
    if given.is_some() {
        return given;
    }
    let mut tally: HashMap<&Country, usize> = HashMap::new();
    for side in sides {
        *tally.entry(side).or_default() += 1;
    }
    tally
        .into_iter()
        .max_by(|(a, m), (b, n)| m.cmp(n).then_with(|| b.cmp(a)))
        .map(|(country, _)| country)
}

/// Groups a person's in-person events (in timeline order: first day, then number) into trips
/// away from `home`. An event at home ends the trip under way; an event whose country is not
/// known is left out.
pub fn trips(stops: &[Stop], home: Option<&Country>) -> Vec<Trip> {
    let mut found: Vec<Trip> = Vec::new();
    let mut under_way = false;
    for stop in stops {
        let Some(country) = &stop.country else {
            continue;
        };
        if Some(country) == home {
            under_way = false;
            continue;
        }
        let continues = under_way
            && match stop.link {
                Some(Link::Join) => true,
                Some(Link::Split) => false,
                None => found.last().is_some_and(|trip| {
                    trip.last()
                        .checked_add_days(Days::new(1))
                        .is_some_and(|next_day| stop.first <= next_day)
                }),
            };
        match found.last_mut() {
            Some(trip) if continues => trip.stops.push(stop.clone()),
            _ => found.push(Trip {
                stops: vec![stop.clone()],
            }),
        }
        under_way = true;
    }
    found
}

/// A visit's place among the person's visits to its country: what is kept for each of its
/// events, so that every event of one visit reads the same ordinal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitPlace {
    pub country: Country,
    /// The visit's events there, in timeline order.
    pub events: Vec<i64>,
    pub member: SeriesMember,
    pub place: SeriesPlace,
}

/// Every visit the trips make, each country's visits ranked as one series: by country code,
/// then in trip order. One pass over the stops, one ranking per country.
pub fn visit_places(trips: &[Trip]) -> Vec<VisitPlace> {
    let mut by_country: BTreeMap<&Country, Vec<Visit<'_>>> = BTreeMap::new();
    for trip in trips {
        let mut here: Vec<(&Country, Vec<&Stop>)> = Vec::new();
        for stop in trip.stops.iter().filter(|s| !s.stopover) {
            let Some(country) = &stop.country else {
                continue;
            };
            match here.iter_mut().find(|(c, _)| *c == country) {
                Some((_, stops)) => stops.push(stop),
                None => here.push((country, vec![stop])),
            }
        }
        for (country, stops) in here {
            by_country
                .entry(country)
                .or_default()
                .push(Visit { trip, stops });
        }
    }
    let mut found = Vec::new();
    for (country, visits) in by_country {
        let members: Vec<SeriesMember> = visits.iter().map(Visit::member).collect();
        for ((visit, member), place) in visits.iter().zip(&members).zip(rank(&members)) {
            found.push(VisitPlace {
                country: country.clone(),
                events: visit.stops.iter().map(|s| s.event_id).collect(),
                member: *member,
                place,
            });
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stop(id: i64, first: &str, last: &str, country: &str) -> Stop {
        let day = |d: &str| NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
        Stop {
            event_id: id,
            first: day(first),
            last: day(last),
            to_the_day: true,
            country: Country::parse(country).ok(),
            stopover: false,
            happened: true,
            link: None,
        }
    }

    fn us() -> Country {
        Country::parse("US").unwrap()
    }

    fn ids(trips: &[Trip]) -> Vec<Vec<i64>> {
        trips
            .iter()
            .map(|t| t.stops.iter().map(|s| s.event_id).collect())
            .collect()
    }

    /// Blinken, 12–16 October 2023: Israel, Jordan, Qatar, Bahrain, Saudi Arabia, the UAE,
    /// Egypt, Israel again. One trip, and one visit to Israel.
    fn october_2023() -> Vec<Stop> {
        vec![
            stop(1, "2023-10-12", "2023-10-12", "IL"),
            stop(2, "2023-10-13", "2023-10-13", "JO"),
            stop(3, "2023-10-13", "2023-10-13", "QA"),
            stop(4, "2023-10-14", "2023-10-14", "BH"),
            stop(5, "2023-10-14", "2023-10-14", "SA"),
            stop(6, "2023-10-14", "2023-10-14", "AE"),
            stop(7, "2023-10-15", "2023-10-15", "EG"),
            stop(8, "2023-10-16", "2023-10-16", "IL"),
        ]
    }

    #[test]
    fn a_trip_with_a_country_twice_is_one_visit_there() {
        let found = trips(&october_2023(), Some(&us()));
        assert_eq!(ids(&found), vec![(1..=8).collect::<Vec<i64>>()]);
        let israel = Country::parse("IL").unwrap();
        let visit = found[0].visit_to(|c| *c == israel).unwrap();
        assert_eq!(
            visit.stops.iter().map(|s| s.event_id).collect::<Vec<_>>(),
            [1, 8]
        );
        assert_eq!(found[0].countries().len(), 7);
    }

    #[test]
    fn a_gap_of_more_than_a_day_or_a_stop_at_home_ends_a_trip() {
        let stops = vec![
            stop(1, "2021-03-22", "2021-03-22", "BE"),
            stop(2, "2021-03-22", "2021-03-24", "BE"),
            // Starts the day after the trip so far ends: the same trip.
            stop(3, "2021-03-25", "2021-03-25", "DE"),
            // Two days later: a new trip.
            stop(4, "2021-03-27", "2021-03-27", "DE"),
            stop(5, "2021-03-28", "2021-03-28", "US"),
            stop(6, "2021-03-28", "2021-03-28", "DE"),
        ];
        assert_eq!(
            ids(&trips(&stops, Some(&us()))),
            vec![vec![1, 2, 3], vec![4], vec![6]]
        );
    }

    #[test]
    fn the_user_may_split_or_join_trips() {
        let mut stops = october_2023();
        stops[4].link = Some(Link::Split);
        assert_eq!(
            ids(&trips(&stops, Some(&us()))),
            vec![vec![1, 2, 3, 4], vec![5, 6, 7, 8]]
        );
        let mut apart = vec![
            stop(1, "2024-09-22", "2024-09-22", "US"),
            stop(2, "2024-09-25", "2024-09-25", "US"),
        ];
        let ua = Country::parse("UA").unwrap();
        assert_eq!(trips(&apart, Some(&ua)).len(), 2);
        apart[1].link = Some(Link::Join);
        assert_eq!(ids(&trips(&apart, Some(&ua))), vec![vec![1, 2]]);
    }

    #[test]
    fn a_stopover_is_part_of_a_trip_but_never_a_visit() {
        let mut stops = vec![
            stop(1, "2015-01-24", "2015-01-24", "DE"),
            stop(2, "2015-01-25", "2015-01-27", "IN"),
        ];
        stops[0].stopover = true;
        let found = trips(&stops, Some(&us()));
        assert_eq!(ids(&found), vec![vec![1, 2]]);
        let germany = Country::parse("DE").unwrap();
        assert!(found[0].visit_to(|c| *c == germany).is_none());
        assert_eq!(found[0].countries(), vec![&Country::parse("IN").unwrap()]);
    }

    #[test]
    fn an_event_at_home_is_never_a_visit_and_home_is_the_usual_side() {
        let tw = Country::parse("TW").unwrap();
        let cn = Country::parse("CN").unwrap();
        let sides = [&cn, &tw, &tw, &tw];
        // Seen first on the CN side, but heading the TW side most often.
        assert_eq!(home(None, sides), Some(&tw));
        assert_eq!(home(Some(&cn), sides), Some(&cn));
        assert_eq!(home(None, [&tw, &cn]), Some(&cn), "a tie goes by code");
        assert_eq!(home(None, []), None);
        let taipei = vec![stop(1, "1950-01-01", "1950-01-01", "TW")];
        assert!(trips(&taipei, Some(&tw)).is_empty());
    }

    #[test]
    fn visits_rank_as_trips() {
        // Zelensky in the United States on 25 and 26 September 2024: one visit, not two.
        let ua = Country::parse("UA").unwrap();
        let stops = vec![
            stop(1, "2022-12-21", "2022-12-21", "US"),
            stop(2, "2024-09-25", "2024-09-25", "US"),
            stop(3, "2024-09-26", "2024-09-26", "US"),
        ];
        let found = trips(&stops, Some(&ua));
        let members: Vec<SeriesMember> = found
            .iter()
            .filter_map(|t| t.visit_to(|c| *c == us()))
            .map(|v| v.member())
            .collect();
        let places = rank(&members);
        assert_eq!(
            places.iter().map(|p| p.ordinal.low).collect::<Vec<_>>(),
            [1, 2]
        );
        assert_eq!(members[1].event_id, 2);
    }

    #[test]
    fn every_event_of_a_visit_holds_the_visits_place() {
        let mut stops = october_2023();
        stops.push(stop(9, "2023-11-03", "2023-11-03", "IL"));
        stops.push(stop(10, "2023-11-03", "2023-11-03", "IL"));
        stops[1].stopover = true;
        let found = visit_places(&trips(&stops, Some(&us())));
        let israel: Vec<(Vec<i64>, usize)> = found
            .iter()
            .filter(|v| v.country.code() == "IL")
            .map(|v| (v.events.clone(), v.place.ordinal.low))
            .collect();
        assert_eq!(israel, vec![(vec![1, 8], 1), (vec![9, 10], 2)]);
        assert!(
            found.iter().all(|v| v.country.code() != "JO"),
            "a stopover is no visit"
        );
        assert_eq!(found[0].country.code(), "AE", "by country code");
        assert_eq!(found.len(), 7);
    }
}
