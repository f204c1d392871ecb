//! The trips and visits schema 12 keeps (see `domain::trip`): for each person, the trip each
//! of their in-person events away from home belongs to (`trip_member`), and the place of each
//! visit among their visits to its country, written on every event of the visit
//! (`series_place`, series `visit PERSON COUNTRY`). A write marks the people of the events it
//! touches; before the transaction commits, `settle` groups each marked person's history into
//! trips again and writes what changed, so that a write costs the person's history and an
//! ordinal stays one lookup. A change to one event can move trip boundaries around it, and
//! with them visits to other countries; a change of home moves all of them: every one of the
//! person's trips and visits is worked out again, never one series alone.

use std::collections::BTreeMap;

use crate::store::db::params;
use chrono::NaiveDate;

use super::db::{self, Conn, Tx};
use super::{Result, StoreError};
use crate::domain::ordinal::Ordinal;
use crate::domain::series::{Series, SeriesMember, SeriesPlace};
use crate::domain::trip::{self, Link, Stop};
use crate::domain::{Country, Kind, Mode, Status};

/// The people of this event (as its participations stand now) are to be grouped again.
pub(super) fn mark_event(tx: &Tx, event_id: i64) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO dirty_trips SELECT person_id FROM participation WHERE event_id = ? \
         ON CONFLICT DO NOTHING",
    )?
    .execute([event_id])?;
    Ok(())
}

/// This person's trips are to be grouped again (their home may have changed).
pub(super) fn mark_person(tx: &Tx, person: i64) -> Result<()> {
    tx.prepare_cached("INSERT INTO dirty_trips VALUES (?) ON CONFLICT DO NOTHING")?
        .execute([person])?;
    Ok(())
}

/// Groups every marked person's trips again and writes what changed.
pub(super) fn settle(tx: &Tx) -> Result<()> {
    let marked: Vec<i64> = tx
        .prepare_cached("SELECT person_id FROM dirty_trips ORDER BY person_id")?
        .query_map([], |r| r.get(0))?
        .collect::<db::Result<_>>()?;
    for person in marked {
        regroup(tx, person)?;
    }
    tx.execute("DELETE FROM dirty_trips", [])?;
    Ok(())
}

/// Groups everyone's trips and ranks their visits from the events, for a database from before
/// schema 12 (or one `verify --repair` rebuilds).
pub(super) fn rebuild(tx: &Tx) -> Result<()> {
    tx.execute_batch(
        "DELETE FROM series_place WHERE series LIKE 'visit %'; DELETE FROM trip_member; \
         INSERT INTO dirty_trips SELECT id FROM person WHERE true ON CONFLICT DO NOTHING",
    )?;
    settle(tx)
}

/// What a person's trips and visits are, worked out from their history, or as kept.
#[derive(Debug, Default, PartialEq, Eq)]
struct Grouping {
    home: Option<String>,
    /// Each event away from home: the trip it belongs to (the trip's first event).
    trips: BTreeMap<i64, i64>,
    /// Each (visit series, event): the visit's first event, dates and place.
    visits: BTreeMap<(String, i64), (SeriesMember, SeriesPlace)>,
}

/// The columns of a participation joined to its event that a stop is read from, in the order
/// `side_and_stop` reads them.
const STOP_COLUMNS: &str = "pa.side, e.id, e.date_first, e.date_last, e.precision, e.end_first, \
     e.end_precision, e.country, e.kind, e.status, e.trip_link, e.mode";

/// A participation's side, and the stop it makes when the event happened in person (or was
/// planned so), from `STOP_COLUMNS` read from column `at` on.
fn side_and_stop(r: &db::Row, at: usize) -> db::Result<(Country, Option<Stop>)> {
    let side = super::required_country(r, at)?;
    let status = super::keyword::<Status>(r, at + 9)?;
    if super::keyword::<Mode>(r, at + 11)? != Mode::InPerson || status == Status::Cancelled {
        return Ok((side, None));
    }
    let precision: String = r.get(at + 4)?;
    let ends: Option<NaiveDate> = r.get(at + 5)?;
    let last: NaiveDate = match ends {
        Some(day) => {
            let precision: Option<String> = r.get(at + 6)?;
            super::fuzzy_from(day, precision.as_deref().unwrap_or("day"), false).last()
        }
        None => r.get(at + 3)?,
    };
    let link: Option<String> = r.get(at + 10)?;
    Ok((
        side,
        Some(Stop {
            event_id: r.get(at + 1)?,
            first: r.get(at + 2)?,
            last: last.max(r.get(at + 3)?),
            to_the_day: precision == "day",
            country: super::country_column(r, at + 7)?,
            stopover: super::keyword::<Kind>(r, at + 8)? == Kind::Stopover,
            happened: status.happened(),
            link: link.as_deref().and_then(link_named),
        }),
    ))
}

fn given_home(conn: &Conn, person: i64) -> Result<Option<Country>> {
    let given: Option<Option<Country>> = conn
        .prepare_cached("SELECT country FROM person WHERE id = ?")?
        .query_map([person], |r| super::country_column(r, 0))?
        .next()
        .transpose()?;
    Ok(given.flatten())
}

/// The person's home and their in-person events with the user's links, in timeline order: what
/// trips are grouped from. One pass over their participations gives both.
pub(super) fn home_and_stops(conn: &Conn, person: i64) -> Result<(Option<Country>, Vec<Stop>)> {
    let given = given_home(conn, person)?;
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {STOP_COLUMNS} FROM participation pa \
         JOIN event e ON e.id = pa.event_id WHERE pa.person_id = ? \
         ORDER BY pa.date_first, pa.event_id"
    ))?;
    let mut sides: Vec<Country> = Vec::new();
    let mut stops: Vec<Stop> = Vec::new();
    for row in stmt.query_map([person], |r| side_and_stop(r, 0))? {
        let (side, stop) = row?;
        sides.push(side);
        stops.extend(stop);
    }
    let home = trip::home(given.as_ref(), &sides).cloned();
    Ok((home, stops))
}

fn fresh(conn: &Conn, person: i64) -> Result<Grouping> {
    let (home, stops) = home_and_stops(conn, person)?;
    Ok(grouping(person, home, &stops))
}

/// The person's trips and visits as `stops` (in timeline order) make them, away from `home`.
fn grouping(person: i64, home: Option<Country>, stops: &[Stop]) -> Grouping {
    let trips = trip::trips(stops, home.as_ref());
    let mut grouping = Grouping {
        home: home.map(|c| c.code().to_string()),
        ..Grouping::default()
    };
    for trip in &trips {
        for stop in &trip.stops {
            grouping.trips.insert(stop.event_id, trip.id());
        }
    }
    for visit in trip::visit_places(&trips) {
        let key = Series::Visits {
            person,
            country: visit.country.code().to_string(),
        }
        .key();
        for event in visit.events {
            grouping
                .visits
                .insert((key.clone(), event), (visit.member, visit.place));
        }
    }
    grouping
}

/// The bounds of the person's visit series keys: "visit 12 " up to "visit 12!" (the next
/// character), so that one range of the series index reads them.
fn visit_range(person: i64) -> (String, String) {
    (format!("visit {person} "), format!("visit {person}!"))
}

fn kept(conn: &Conn, person: i64) -> Result<Grouping> {
    let home: Option<Option<String>> = conn
        .prepare_cached("SELECT home FROM person WHERE id = ?")?
        .query_map([person], |r| r.get(0))?
        .next()
        .transpose()?;
    let trips: BTreeMap<i64, i64> = conn
        .prepare_cached("SELECT event_id, trip FROM trip_member WHERE person_id = ?")?
        .query_map([person], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<db::Result<_>>()?;
    let (from, to) = visit_range(person);
    let visits = conn
        .prepare_cached(
            "SELECT series, event_id, visit, date_first, date_last, to_the_day, happened, low, \
             high, previous FROM series_place WHERE series > ? AND series < ?",
        )?
        .query_map(params![from, to], |r| {
            let event: i64 = r.get(1)?;
            let visit: Option<i64> = r.get(2)?;
            Ok((
                (r.get::<String>(0)?, event),
                (
                    SeriesMember {
                        event_id: visit.unwrap_or(event),
                        first: r.get(3)?,
                        last: r.get(4)?,
                        to_the_day: r.get(5)?,
                        happened: r.get(6)?,
                    },
                    SeriesPlace {
                        ordinal: Ordinal {
                            low: super::count_column(r, 7)?,
                            high: super::count_column(r, 8)?,
                        },
                        previous: r.get(9)?,
                    },
                ),
            ))
        })?
        .collect::<db::Result<_>>()?;
    Ok(Grouping {
        home: home.flatten(),
        trips,
        visits,
    })
}

/// Groups the person's trips again and writes the trips, visit places and home that changed.
fn regroup(tx: &Tx, person: i64) -> Result<()> {
    let wanted = fresh(tx, person)?;
    write_grouping(tx, person, wanted, VisitsWritten::Now)
}

/// Groups the trips of every marked person again, as `settle` does, from one pass over their
/// participations sorted by person and date, for an import that marked thousands of people at
/// once (`store::bulk`): the engine reads the events in the order they are stored and sorts
/// their participations once, where `settle` reads each participation's event by its number,
/// person after person, across the whole table. Memory follows the longest history.
pub(super) fn settle_in_one_pass(tx: &Tx) -> Result<()> {
    // CROSS JOIN keeps the events as the outer loop, read in the order they are stored; the
    // `+` keeps the engine from looking each event up once per marked person.
    let mut stmt = tx.prepare(&format!(
        "SELECT pa.person_id, {STOP_COLUMNS} FROM event e CROSS JOIN participation pa \
         ON pa.event_id = e.id WHERE +pa.person_id IN (SELECT person_id FROM dirty_trips) \
         ORDER BY pa.person_id, pa.date_first, pa.event_id"
    ))?;
    tx.execute_batch(&format!(
        "CREATE TEMP TABLE pending_visit ({VISIT_PLACE_COLUMNS})"
    ))?;
    let mut person: Option<i64> = None;
    let mut sides: Vec<Country> = Vec::new();
    let mut stops: Vec<Stop> = Vec::new();
    let rows = stmt.query_map([], |r| Ok((r.get::<i64>(0)?, side_and_stop(r, 1)?)))?;
    for row in rows {
        let (whose, (side, stop)) = row?;
        if let Some(done) = person.filter(|done| *done != whose) {
            regroup_from(tx, done, &mut sides, &mut stops)?;
        }
        person = Some(whose);
        sides.push(side);
        stops.extend(stop);
    }
    if let Some(done) = person {
        regroup_from(tx, done, &mut sides, &mut stops)?;
    }
    write_pending_visits(tx)?;
    // Marked people without a participation left have no trips: `settle` clears what they kept.
    settle(tx)
}

/// Regroups `person` from the sides and stops one pass read for them, and empties both.
fn regroup_from(
    tx: &Tx,
    person: i64,
    sides: &mut Vec<Country>,
    stops: &mut Vec<Stop>,
) -> Result<()> {
    let given = given_home(tx, person)?;
    let home = trip::home(given.as_ref(), sides.iter()).cloned();
    let wanted = grouping(person, home, stops);
    write_grouping(tx, person, wanted, VisitsWritten::Later)?;
    tx.prepare_cached("DELETE FROM dirty_trips WHERE person_id = ?")?
        .execute([person])?;
    sides.clear();
    stops.clear();
    Ok(())
}

/// The columns of a visit's place in `series_place`.
const VISIT_PLACE_COLUMNS: &str =
    "series, event_id, visit, date_first, date_last, to_the_day, happened, low, high, previous";

const VISIT_PLACE_INSERT: &str = "INSERT INTO series_place (series, event_id, visit, date_first, \
     date_last, to_the_day, happened, low, high, previous)";

/// A visit place written over the one kept for the same event and series.
const VISIT_PLACE_UPSERT: &str = "ON CONFLICT (event_id, series) DO UPDATE SET \
     visit = excluded.visit, date_first = excluded.date_first, date_last = excluded.date_last, \
     to_the_day = excluded.to_the_day, happened = excluded.happened, low = excluded.low, \
     high = excluded.high, previous = excluded.previous";

/// When `write_grouping` writes the visit places that changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum VisitsWritten {
    /// Each as it is found.
    Now,
    /// Into `pending_visit`, written by `write_pending_visits` in the table's own order.
    Later,
}

/// Writes the visit places `write_grouping` set aside, sorted by event as `series_place` is
/// stored: one sweep through the table instead of an insert at a random place for each.
fn write_pending_visits(tx: &Tx) -> Result<()> {
    tx.execute_batch(&format!(
        "{VISIT_PLACE_INSERT} SELECT {VISIT_PLACE_COLUMNS} FROM pending_visit WHERE true \
         ORDER BY event_id, series {VISIT_PLACE_UPSERT}; DROP TABLE pending_visit"
    ))?;
    Ok(())
}

/// Writes the trips, visit places and home of `wanted` that differ from what is kept.
fn write_grouping(tx: &Tx, person: i64, wanted: Grouping, visits: VisitsWritten) -> Result<()> {
    let now = kept(tx, person)?;
    if now.home != wanted.home {
        tx.prepare_cached("UPDATE person SET home = ? WHERE id = ?")?
            .execute(params![wanted.home, person])?;
    }
    let mut gone =
        tx.prepare_cached("DELETE FROM trip_member WHERE person_id = ? AND event_id = ?")?;
    for event in now.trips.keys().filter(|e| !wanted.trips.contains_key(e)) {
        gone.execute(params![person, event])?;
    }
    let mut put = tx.prepare_cached(
        "INSERT INTO trip_member (person_id, event_id, trip) VALUES (?, ?, ?) \
         ON CONFLICT (person_id, event_id) DO UPDATE SET trip = excluded.trip",
    )?;
    for (event, trip) in &wanted.trips {
        if now.trips.get(event) != Some(trip) {
            put.execute(params![person, event, trip])?;
        }
    }
    let mut gone =
        tx.prepare_cached("DELETE FROM series_place WHERE series = ? AND event_id = ?")?;
    for (key, event) in now.visits.keys().filter(|k| !wanted.visits.contains_key(k)) {
        gone.execute(params![key, event])?;
    }
    let values = "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    let mut put = tx.prepare_cached(&match visits {
        VisitsWritten::Now => format!("{VISIT_PLACE_INSERT} {values} {VISIT_PLACE_UPSERT}"),
        VisitsWritten::Later => {
            format!("INSERT INTO pending_visit ({VISIT_PLACE_COLUMNS}) {values}")
        }
    })?;
    for ((key, event), (member, place)) in &wanted.visits {
        if now.visits.get(&(key.clone(), *event)) != Some(&(*member, *place)) {
            put.execute(params![
                key,
                event,
                member.event_id,
                member.first,
                member.last,
                member.to_the_day,
                member.happened,
                place.ordinal.low as i64,
                place.ordinal.high as i64,
                place.previous
            ])?;
        }
    }
    Ok(())
}

/// The kept trips, visit places and homes that differ from a fresh grouping of each person's
/// history, named. One person at a time, so that memory follows the longest history.
pub(super) fn differences(conn: &Conn) -> Result<Vec<String>> {
    let people: Vec<i64> = conn
        .prepare("SELECT id FROM person ORDER BY id")?
        .query_map([], |r| r.get(0))?
        .collect::<db::Result<_>>()?;
    differences_of(conn, &people)
}

/// `differences` for these people only.
fn differences_of(conn: &Conn, people: &[i64]) -> Result<Vec<String>> {
    let mut found = Vec::new();
    for &person in people {
        let now = kept(conn, person)?;
        let wanted = fresh(conn, person)?;
        if now == wanted {
            continue;
        }
        if now.home != wanted.home {
            found.push(format!(
                "home of person {person}: kept {}, worked out {}",
                now.home.as_deref().unwrap_or("none"),
                wanted.home.as_deref().unwrap_or("none")
            ));
        }
        let events: std::collections::BTreeSet<&i64> =
            now.trips.keys().chain(wanted.trips.keys()).collect();
        for event in events {
            let (a, b) = (now.trips.get(event), wanted.trips.get(event));
            if a != b {
                found.push(format!(
                    "trip of #{event} for person {person}: kept {}, grouped {}",
                    a.map_or("none".into(), |t| format!("#{t}")),
                    b.map_or("none".into(), |t| format!("#{t}"))
                ));
            }
        }
        let keys: std::collections::BTreeSet<&(String, i64)> =
            now.visits.keys().chain(wanted.visits.keys()).collect();
        for key in keys {
            let (a, b) = (now.visits.get(key), wanted.visits.get(key));
            if a != b {
                let said = |v: Option<&(SeriesMember, SeriesPlace)>| {
                    v.map_or("none".to_string(), |(m, p)| {
                        format!("{} (visit of #{})", p.ordinal.phrase(), m.event_id)
                    })
                };
                found.push(format!(
                    "place of #{} in series {}: kept {}, ranked {}",
                    key.1,
                    key.0,
                    said(a),
                    said(b)
                ));
            }
        }
    }
    Ok(found)
}

/// What the check at start can say of trips in bounded time: each participation in these
/// events (`events`: a query of event numbers) is on a trip, and holds a visit place there,
/// exactly when the event is away from the person's kept home (a stopover holds none). Whole
/// histories are grouped again by `differences` only.
pub(super) fn sample_differences(conn: &Conn, events: &str) -> Result<Vec<String>> {
    let sql = format!(
        "SELECT e.id, pa.person_id, e.kind, e.country IS NOT NULL AND e.country IS DISTINCT FROM p.home, \
         tm.trip IS NOT NULL, (SELECT count(*) FROM series_place sp WHERE sp.event_id = e.id \
         AND sp.series = 'visit ' || pa.person_id || ' ' || e.country) \
         FROM event e JOIN participation pa ON pa.event_id = e.id \
         JOIN person p ON p.id = pa.person_id \
         LEFT JOIN trip_member tm ON tm.person_id = pa.person_id AND tm.event_id = e.id \
         WHERE e.id IN ({events}) AND e.mode = 'in-person' AND e.status <> 'cancelled' \
         ORDER BY e.id, pa.person_id"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<i64>(0)?,
            r.get::<i64>(1)?,
            super::keyword::<Kind>(r, 2)?,
            r.get::<bool>(3)?,
            r.get::<bool>(4)?,
            r.get::<i64>(5)?,
        ))
    })?;
    let mut found = Vec::new();
    for row in rows {
        let (event, person, kind, away, on_trip, places) = row?;
        let visits = i64::from(away && kind != Kind::Stopover);
        if on_trip != away || places != visits {
            found.push(format!(
                "#{event} for person {person}: kept {} with {places} visit place(s), should be {} with {visits}",
                if on_trip { "on a trip" } else { "on none" },
                if away { "on a trip" } else { "on none" },
            ));
        }
    }
    Ok(found)
}

/// A trip as the detail shows it: its days, countries and events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TripSummary {
    /// The trip's number: its first event's.
    pub id: i64,
    pub first: NaiveDate,
    pub last: NaiveDate,
    /// The countries it visited, stopovers aside, in the order first reached.
    pub countries: Vec<Country>,
    pub events: Vec<i64>,
}

/// The number of the trip `event` belongs to for `person` (its first event's), as kept.
pub(super) fn trip_id(conn: &Conn, event: i64, person: i64) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT trip FROM trip_member WHERE person_id = ? AND event_id = ?")?
        .query_map(params![person, event], |r| r.get(0))?
        .next()
        .transpose()?)
}

/// The trip `event` belongs to for `person`, if it is part of one: two lookups by index.
pub(super) fn trip_of(conn: &Conn, event: i64, person: i64) -> Result<Option<TripSummary>> {
    let Some(trip) = trip_id(conn, event, person)? else {
        return Ok(None);
    };
    let mut stmt = conn.prepare_cached(
        "SELECT e.id, e.date_first, e.date_last, e.country, e.kind FROM trip_member tm \
         JOIN event e ON e.id = tm.event_id WHERE tm.person_id = ? AND tm.trip = ? \
         ORDER BY e.date_first, e.id",
    )?;
    let rows: Vec<(i64, NaiveDate, NaiveDate, Option<Country>, Kind)> = stmt
        .query_map(params![person, trip], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                super::country_column(r, 3)?,
                super::keyword::<Kind>(r, 4)?,
            ))
        })?
        .collect::<db::Result<_>>()?;
    let Some(first) = rows.first().map(|r| r.1) else {
        return Ok(None);
    };
    let mut countries: Vec<Country> = Vec::new();
    for (_, _, _, country, kind) in &rows {
        if let Some(country) = country
            && *kind != Kind::Stopover
            && !countries.contains(country)
        {
            countries.push(country.clone());
        }
    }
    Ok(Some(TripSummary {
        id: trip,
        first,
        last: rows.iter().map(|r| r.2).max().unwrap_or(first),
        countries,
        events: rows.iter().map(|r| r.0).collect(),
    }))
}

/// A link as the store and the undo log write it.
pub(super) fn link_name(link: Option<Link>) -> &'static str {
    match link {
        Some(Link::Split) => "split",
        Some(Link::Join) => "join",
        None => "",
    }
}

pub(super) fn link_named(text: &str) -> Option<Link> {
    match text {
        "split" => Some(Link::Split),
        "join" => Some(Link::Join),
        _ => None,
    }
}

/// The user's word on `event`'s trip, as kept.
pub(super) fn link_of(conn: &Conn, event: i64) -> Result<Option<Link>> {
    let link: Option<Option<String>> = conn
        .prepare_cached("SELECT trip_link FROM event WHERE id = ?")?
        .query_map([event], |r| r.get(0))?
        .next()
        .transpose()?;
    match link {
        None => Err(StoreError::NoSuchEvent(event.to_string())),
        Some(link) => Ok(link.as_deref().and_then(link_named)),
    }
}

/// Writes the user's word on `event`'s trip and marks its people.
pub(super) fn set_link(tx: &Tx, event: i64, link: Option<Link>) -> Result<()> {
    let text = link.map(|l| link_name(Some(l)));
    tx.prepare_cached("UPDATE event SET trip_link = ? WHERE id = ?")?
        .execute(params![text, event])?;
    mark_event(tx, event)
}

/// A person who headed a side other than their home.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeveralSides {
    pub person: i64,
    pub name: String,
    /// Their home: their country, or else the side they take most often.
    pub home: String,
    /// Whether the home is their country as given, not their usual side.
    pub given: bool,
    /// Each other side they headed, by code, with how often.
    pub sides: Vec<(String, i64)>,
}

/// Each person who headed a side other than their home (as worked out): people a record may
/// have filed on the wrong side, or whose home needs saying.
pub(super) fn several_sides(conn: &Conn) -> Result<Vec<SeveralSides>> {
    let mut stmt = conn.prepare(
        "SELECT p.id, p.name, p.home, p.country IS NOT NULL, pa.side, count(*) \
         FROM participation pa \
         JOIN person p ON p.id = pa.person_id \
         WHERE p.home IS NOT NULL AND pa.side <> p.home AND (pa.head = 1 OR NOT EXISTS \
         (SELECT 1 FROM participation q WHERE q.event_id = pa.event_id AND q.side = pa.side \
          AND q.person_id <> pa.person_id)) \
         GROUP BY p.id, p.name, p.home, p.country, pa.side ORDER BY p.name, p.id, pa.side",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<i64>(0)?,
            r.get::<String>(1)?,
            r.get::<String>(2)?,
            r.get::<bool>(3)?,
            r.get::<String>(4)?,
            r.get::<i64>(5)?,
        ))
    })?;
    let mut found: Vec<SeveralSides> = Vec::new();
    for row in rows {
        let (person, name, home, given, side, n) = row?;
        match found.last_mut() {
            Some(last) if last.person == person => last.sides.push((side, n)),
            _ => found.push(SeveralSides {
                person,
                name,
                home,
                given,
                sides: vec![(side, n)],
            }),
        }
    }
    Ok(found)
}

/// The sides a person headed other than their home, with how often: for the detail.
pub(super) fn other_sides(conn: &Conn, person: i64) -> Result<Vec<(String, i64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT pa.side, count(*) FROM participation pa JOIN person p ON p.id = pa.person_id \
         WHERE pa.person_id = ? AND p.home IS NOT NULL AND pa.side <> p.home AND (pa.head = 1 \
         OR NOT EXISTS (SELECT 1 FROM participation q WHERE q.event_id = pa.event_id \
         AND q.side = pa.side AND q.person_id <> pa.person_id)) \
         GROUP BY pa.side ORDER BY pa.side",
    )?;
    let rows = stmt.query_map([person], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<db::Result<_>>()?)
}

impl super::Store {
    /// The user's word on `event`'s trip as files write it: "split", "join", or "" for the
    /// rule of days.
    pub fn trip_link_name(&self, event: i64) -> Result<&'static str> {
        Ok(link_name(link_of(&self.conn, event)?))
    }

    /// The person's home as last worked out: their country, or else their usual side.
    pub fn home(&self, person: i64) -> Result<Option<Country>> {
        let home: Option<Option<Country>> = self
            .conn
            .prepare_cached("SELECT home FROM person WHERE id = ?")?
            .query_map([person], |r| super::country_column(r, 0))?
            .next()
            .transpose()?;
        Ok(home.flatten())
    }

    /// The trip `event` belongs to for `person`, when it is part of one.
    pub fn trip_of(&self, event: i64, person: i64) -> Result<Option<TripSummary>> {
        trip_of(&self.conn, event, person)
    }

    /// Each person who headed a side other than their home, by name.
    pub fn people_on_several_sides(&self) -> Result<Vec<SeveralSides>> {
        several_sides(&self.conn)
    }

    /// The sides `person` headed other than their home, with how often.
    pub fn other_sides(&self, person: i64) -> Result<Vec<(String, i64)>> {
        other_sides(&self.conn, person)
    }
}
