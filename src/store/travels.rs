//! A person's visits, read for a count or a check: their whole history in one query (with the
//! participants of its events), grouped into trips in the domain.

use super::Result;
use crate::domain::scope::Scope;
use crate::domain::travels::{Counted, Travels};
use crate::domain::{Country, Event, Person};

impl super::Store {
    /// The trips of `person`, with the history they are made from (every event they took part
    /// in, read at once): the one place a count's trips are made, so that every count of
    /// visits groups them alike.
    pub fn travels(&self, person: &Person) -> Result<(Travels, Vec<Event>)> {
        let history = self.events_to_count(&[person.id])?;
        // The kept grouping's own reading, so that the user's splits and joins count here too
        // and a count agrees with the kept ordinals.
        let (home, stops) = super::trips::home_and_stops(&self.conn, person.id)?;
        Ok((Travels::from_stops(person, home, stops, &history), history))
    }

    /// The visits of person `person_id` to the countries `within` admits that `scope` counts,
    /// in order, each with its place among them (planned ones included, marked): what a
    /// published count of visits is checked against.
    pub fn visits_of(
        &self,
        person_id: i64,
        within: impl Fn(&Country) -> bool,
        scope: &Scope,
    ) -> Result<Vec<Counted>> {
        let person = self.person(person_id)?;
        Ok(self.travels(&person)?.0.visits(within, scope))
    }

    /// The trips of person `person_id` that `scope` counts (those to the countries `within`
    /// admits, when given), in order, each with its place among them: what a published count
    /// of trips is checked against.
    pub fn trips_of(
        &self,
        person_id: i64,
        within: Option<&dyn Fn(&Country) -> bool>,
        scope: &Scope,
    ) -> Result<Vec<Counted>> {
        let person = self.person(person_id)?;
        Ok(self.travels(&person)?.0.trips(within, scope))
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::store::Store;
    use crate::store::tests::each_engine;

    #[test]
    fn the_visits_of_a_person_in_the_bundled_record() {
        each_engine(|mut store: Store| {
            crate::interchange::seed(&mut store).unwrap();
            let witkoff = store.resolve_person("witkoff").unwrap();
            let russia = Country::parse("RU").unwrap();
            let all = store
                .visits_of(witkoff.id, |c| *c == russia, &Scope::default())
                .unwrap();
            assert_eq!(all.len(), 7);
            assert!(all.iter().all(|v| v.happened));
            let since = Scope {
                since: NaiveDate::from_ymd_opt(2025, 4, 1),
                ..Scope::default()
            };
            let scoped = store
                .visits_of(witkoff.id, |c| *c == russia, &since)
                .unwrap();
            let places: Vec<(usize, i64)> = scoped
                .iter()
                .map(|v| (v.place.ordinal.low, v.stops[0].event_id))
                .collect();
            assert_eq!(places, [(1, 10), (2, 11), (3, 18), (4, 25), (5, 30)]);
            let home = Country::parse("US").unwrap();
            assert!(
                store
                    .visits_of(witkoff.id, |c| *c == home, &Scope::default())
                    .unwrap()
                    .is_empty()
            );
            let trips = store.trips_of(witkoff.id, None, &since).unwrap();
            let trips: Vec<Vec<i64>> = trips
                .iter()
                .map(|t| t.stops.iter().map(|s| s.event_id).collect())
                .collect();
            assert_eq!(
                trips,
                [
                    vec![10],
                    vec![11],
                    vec![18],
                    vec![25],
                    vec![29],
                    vec![30, 31],
                    vec![33],
                    vec![34]
                ],
                "from April: Russia four times, then Davos, Moscow on to Abu Dhabi the next day, \
                 Abu Dhabi, Geneva; Washington, Anchorage and Miami are home"
            );
            let saudi = |c: &Country| c.code() == "SA";
            let to_riyadh = store
                .trips_of(witkoff.id, Some(&saudi), &Scope::default())
                .unwrap();
            assert_eq!(to_riyadh.len(), 1);
        });
    }
}
