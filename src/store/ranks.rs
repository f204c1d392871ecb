//! The places schema 4 keeps: for each event, its place in every series it belongs to (the
//! meetings of a pair of heads, a person's visits to a country), so that an ordinal is one
//! lookup. A write marks the series it touches; before the transaction commits, `settle` ranks
//! each marked series again (bounded work for the series, not for the table) and writes the
//! places that changed. An import of a million events marks each series once and ranks it once.
//! New search text is indexed at the same moment, in one statement (see schema 5).
//! `differences` checks every place against a fresh ranking.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::store::db::params;
use chrono::NaiveDate;

use super::db::{self, Conn, Tx};

use super::Result;
use crate::domain::ordinal::Ordinal;
use crate::domain::series::{self, Series, SeriesMember, SeriesPlace};
use crate::domain::{FuzzyDate, Kind, Mode, Participant, Status};

/// An event's search text was written: it is indexed when the transaction settles.
pub(super) fn to_index(tx: &Tx, event_id: i64) -> Result<()> {
    Ok(tx.dialect().mark_unindexed(tx, event_id)?)
}

/// An event's row is about to be rewritten or deleted: its search text, if still waiting to be
/// indexed, is indexed first (see `Dialect::index_if_marked`).
pub(super) fn index_before_change(tx: &Tx, event_id: i64) -> Result<()> {
    Ok(tx.dialect().index_if_marked(tx, event_id)?)
}

/// When the series and trips an event joins are marked for ranking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Marked {
    /// As the event is written.
    Now,
    /// By the caller, for many events at once (`store::bulk`).
    Later,
}

/// An event joins its series: its rows are written unranked and the series marked, and its
/// people's trips are marked to be grouped again (its participations must be written), unless
/// the caller marks them `Later`.
pub(super) fn join(
    tx: &Tx,
    event_id: i64,
    date: &FuzzyDate,
    facts: (Kind, Mode, Status),
    participants: &[Participant],
    marked: Marked,
) -> Result<()> {
    let (kind, mode, status) = facts;
    if marked == Marked::Now {
        super::trips::mark_event(tx, event_id)?;
    }
    let member = SeriesMember::new(event_id, date, status.happened());
    let mut insert = tx.prepare_cached(
        "INSERT INTO series_place (series, event_id, date_first, date_last, to_the_day, happened) \
         VALUES (?, ?, ?, ?, ?, ?)",
    )?;
    let mut mark =
        tx.prepare_cached("INSERT INTO dirty_series VALUES (?) ON CONFLICT DO NOTHING")?;
    for series in series::series_of(kind, mode, status, participants) {
        let key = series.key();
        insert.execute(params![
            key,
            event_id,
            member.first,
            member.last,
            member.to_the_day,
            member.happened
        ])?;
        if marked == Marked::Now {
            mark.execute([&key])?;
        }
    }
    Ok(())
}

/// An event leaves its series (before it is deleted or rewritten): its rows go, the meeting
/// series are marked, and so are its people's trips (visits are ranked per trip, never as a
/// series of events).
pub(super) fn leave(tx: &Tx, event_id: i64) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO dirty_series SELECT series FROM series_place WHERE event_id = ? \
         AND visit IS NULL ON CONFLICT DO NOTHING",
    )?
    .execute([event_id])?;
    super::trips::mark_event(tx, event_id)?;
    tx.prepare_cached("DELETE FROM series_place WHERE event_id = ?")?
        .execute([event_id])?;
    Ok(())
}

/// Ranks every marked series again and groups every marked person's trips again, writing the
/// places that changed; indexes the search text written since the last commit.
pub(super) fn settle(tx: &Tx) -> Result<()> {
    tx.dialect().index_marked(tx)?;
    rank_marked(tx)?;
    super::trips::settle(tx)
}

fn rank_marked(tx: &Tx) -> Result<()> {
    let marked: Vec<String> = {
        let mut stmt = tx.prepare_cached("SELECT series FROM dirty_series")?;
        stmt.query_map([], |r| r.get(0))?
            .collect::<db::Result<_>>()?
    };
    for key in &marked {
        rank_series(tx, key, members(tx, key)?, Written::Now)?;
    }
    tx.execute("DELETE FROM dirty_series", [])?;
    Ok(())
}

/// A stored member with the place it has now.
struct Stored {
    member: SeriesMember,
    place: SeriesPlace,
}

/// The columns `stored` reads, after the series.
const PLACE_COLUMNS: &str =
    "event_id, date_first, date_last, to_the_day, happened, low, high, previous";

/// A stored member from `PLACE_COLUMNS`, read from the column `at` on.
fn stored(r: &db::Row, at: usize) -> db::Result<Stored> {
    Ok(Stored {
        member: SeriesMember {
            event_id: r.get(at)?,
            first: r.get(at + 1)?,
            last: r.get(at + 2)?,
            to_the_day: r.get(at + 3)?,
            happened: r.get(at + 4)?,
        },
        place: SeriesPlace {
            ordinal: Ordinal {
                low: super::count_column(r, at + 5)?,
                high: super::count_column(r, at + 6)?,
            },
            previous: r.get(at + 7)?,
        },
    })
}

fn members(conn: &Conn, key: &str) -> Result<Vec<Stored>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {PLACE_COLUMNS} FROM series_place WHERE series = ?"
    ))?;
    let rows = stmt.query_map([key], |r| stored(r, 0))?;
    Ok(rows.collect::<db::Result<_>>()?)
}

/// Ranks every marked series again, as `settle` does, from one pass over their places sorted by
/// series, for an import that marked tens of thousands of series at once (`store::bulk`): the
/// engine reads the table in its stored order and sorts it once, where `settle` reads each
/// series by the series index, a lookup at random in the table for every place. The places
/// that changed are set aside as they come (appended, not placed) and written sorted in the
/// table's own order, one sweep. Memory follows the longest series. Marked series left without
/// a member are ranked by `settle`.
pub(super) fn rank_in_one_pass(tx: &Tx) -> Result<()> {
    tx.execute_batch(
        "CREATE TEMP TABLE pending_place (event_id INTEGER NOT NULL, series TEXT NOT NULL, \
         low INTEGER NOT NULL, high INTEGER NOT NULL, previous INTEGER)",
    )?;
    {
        // `|| ''` keeps the engine from reading the places in the series index's order.
        let mut stmt = tx.prepare(&format!(
            "SELECT series, {PLACE_COLUMNS} FROM series_place \
             WHERE series || '' IN (SELECT series FROM dirty_series) ORDER BY series || ''"
        ))?;
        let rows = stmt.query_map([], |r| Ok((r.get::<String>(0)?, stored(r, 1)?)))?;
        let mut series: Option<(String, Vec<Stored>)> = None;
        for row in rows {
            let (key, place) = row?;
            if let Some((done, members)) = series.take_if(|(now, _)| *now != key) {
                rank_series(tx, &done, members, Written::Later)?;
            }
            series
                .get_or_insert_with(|| (key, Vec::new()))
                .1
                .push(place);
        }
        if let Some((done, members)) = series {
            rank_series(tx, &done, members, Written::Later)?;
        }
    }
    {
        let mut update = tx.prepare_cached(
            "UPDATE series_place SET low = ?, high = ?, previous = ? \
             WHERE event_id = ? AND series = ?",
        )?;
        let mut pending = tx.prepare(
            "SELECT low, high, previous, event_id, series FROM pending_place \
             ORDER BY event_id, series",
        )?;
        let rows = pending.query_map([], |r| {
            Ok((
                r.get::<i64>(0)?,
                r.get::<i64>(1)?,
                r.get::<Option<i64>>(2)?,
                r.get::<i64>(3)?,
                r.get::<String>(4)?,
            ))
        })?;
        for row in rows {
            let (low, high, previous, event, key) = row?;
            update.execute(params![low, high, previous, event, key])?;
        }
    }
    tx.execute_batch(
        "DROP TABLE pending_place; DELETE FROM dirty_series WHERE EXISTS \
         (SELECT 1 FROM series_place sp WHERE sp.series = dirty_series.series)",
    )?;
    Ok(())
}

/// Where `rank_series` writes the places that changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Written {
    /// Over the kept places, each as it is found.
    Now,
    /// Into `pending_place`, written by `rank_in_one_pass` in the table's own order.
    Later,
}

fn rank_series(tx: &Tx, key: &str, stored: Vec<Stored>, written: Written) -> Result<()> {
    let all: Vec<SeriesMember> = stored.iter().map(|s| s.member).collect();
    if let Some(Series::Meetings {
        mode,
        first,
        second,
    }) = Series::parse(key)
    {
        let meetings = all.iter().filter(|m| m.happened).count();
        count_pair(tx, mode, first, second, meetings)?;
    }
    let mut update = tx.prepare_cached(match written {
        Written::Now => {
            "UPDATE series_place SET low = ?, high = ?, previous = ? WHERE series = ? AND event_id = ?"
        }
        Written::Later => {
            "INSERT INTO pending_place (low, high, previous, series, event_id) VALUES (?, ?, ?, ?, ?)"
        }
    })?;
    for (now, place) in stored.iter().zip(series::rank(&all)) {
        if now.place != place {
            update.execute(params![
                place.ordinal.low as i64,
                place.ordinal.high as i64,
                place.previous,
                key,
                now.member.event_id
            ])?;
        }
    }
    Ok(())
}

/// What ranking needs of a stored event: its number, date, status, mode, country and people.
struct StoredEvent {
    id: i64,
    date: FuzzyDate,
    kind: Kind,
    status: Status,
    mode: Mode,
    participants: Vec<Participant>,
}

/// Calls `each` on every stored event, by number.
fn each_event(conn: &Conn, mut each: impl FnMut(StoredEvent) -> Result<()>) -> Result<()> {
    let mut events = conn.prepare(
        "SELECT id, date_first, precision, circa, mode, status, kind FROM event ORDER BY id",
    )?;
    let rows = events.query_map([], |r| {
        Ok((
            r.get::<i64>(0)?,
            super::fuzzy_from(r.get(1)?, &r.get::<String>(2)?, r.get(3)?),
            super::keyword::<Mode>(r, 4)?,
            super::keyword::<Status>(r, 5)?,
            super::keyword::<Kind>(r, 6)?,
        ))
    })?;
    for row in rows {
        let (id, date, mode, status, kind) = row?;
        each(StoredEvent {
            id,
            date,
            kind,
            status,
            mode,
            participants: participants(conn, id)?,
        })?;
    }
    Ok(())
}

/// Keeps how many times a pair met; a pair that never met has no row.
fn count_pair(tx: &Tx, mode: Mode, first: i64, second: i64, meetings: usize) -> Result<()> {
    if meetings == 0 {
        tx.prepare_cached("DELETE FROM pair_meetings WHERE mode = ? AND first = ? AND second = ?")?
            .execute(params![mode.as_str(), first, second])?;
    } else {
        tx.prepare_cached(
            "INSERT INTO pair_meetings (mode, first, second, meetings) VALUES (?, ?, ?, ?) \
             ON CONFLICT (mode, first, second) DO UPDATE SET meetings = excluded.meetings",
        )?
        .execute(params![mode.as_str(), first, second, meetings as i64])?;
    }
    Ok(())
}

/// Every series' members as the events make them, by series, in the order the table's
/// series index keeps them: what the kept places are checked against.
fn fresh(conn: &Conn) -> Result<BTreeMap<String, Vec<SeriesMember>>> {
    let mut by_series: BTreeMap<String, Vec<SeriesMember>> = BTreeMap::new();
    each_event(conn, |e| {
        for series in series::series_of(e.kind, e.mode, e.status, &e.participants) {
            by_series
                .entry(series.key())
                .or_default()
                .push(SeriesMember::new(e.id, &e.date, e.status.happened()));
        }
        Ok(())
    })?;
    Ok(by_series)
}

/// Fills the table's meeting places from the events, for a database from before schema 4:
/// every event joins its series, then each series is ranked in turn, so that memory follows
/// the longest series, not the record. Visits are left to `trips::rebuild`.
pub(super) fn rebuild(tx: &Tx) -> Result<()> {
    tx.execute(
        "DELETE FROM series_place WHERE series NOT LIKE 'visit %'",
        [],
    )?;
    each_event(tx, |e| {
        join(
            tx,
            e.id,
            &e.date,
            (e.kind, e.mode, e.status),
            &e.participants,
            Marked::Now,
        )
    })?;
    rank_marked(tx)
}

fn participants(conn: &Conn, event_id: i64) -> Result<Vec<Participant>> {
    let mut stmt = conn.prepare_cached(
        "SELECT person_id, side, head FROM participation WHERE event_id = ? ORDER BY position",
    )?;
    let rows = stmt.query_map([event_id], |r| {
        Ok(Participant {
            person_id: r.get(0)?,
            name: String::new(),
            side: super::required_country(r, 1)?,
            head: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<db::Result<_>>()?)
}

/// The kept places (and the members' kept dates) that differ from a fresh ranking of the
/// events, named. The kept rows are read a series at a time and each series is ranked when it
/// has been read whole, so that memory follows the members, not every place twice. Visits
/// are checked person by person (`trips::differences`).
pub(super) fn differences(conn: &Conn) -> Result<Vec<String>> {
    let fresh = fresh(conn)?;
    let mut unread = fresh.iter().peekable();
    let mut found = Vec::new();
    let mut series: Option<(String, BTreeMap<i64, Stored>)> = None;
    conn.for_each_row(
        "SELECT series, event_id, date_first, date_last, to_the_day, happened, low, high, \
         previous FROM series_place WHERE visit IS NULL ORDER BY series",
        |r| {
            let key: String = r.get(0)?;
            if series.as_ref().is_none_or(|(now, _)| *now != key) {
                if let Some((done, kept)) = series.take() {
                    compare_up_to(&done, kept, &mut unread, &mut found);
                }
                series = Some((key, BTreeMap::new()));
            }
            let stored = Stored {
                member: SeriesMember {
                    event_id: r.get(1)?,
                    first: r.get(2)?,
                    last: r.get(3)?,
                    to_the_day: r.get(4)?,
                    happened: r.get(5)?,
                },
                place: SeriesPlace {
                    ordinal: Ordinal {
                        low: super::count_column(r, 6)?,
                        high: super::count_column(r, 7)?,
                    },
                    previous: r.get(8)?,
                },
            };
            if let Some((_, kept)) = series.as_mut() {
                kept.insert(stored.member.event_id, stored);
            }
            Ok(())
        },
    )?;
    if let Some((done, kept)) = series.take() {
        compare_up_to(&done, kept, &mut unread, &mut found);
    }
    for (key, members) in unread {
        compare(key, Some(members), BTreeMap::new(), &mut found);
    }
    found.extend(super::trips::differences(conn)?);
    Ok(found)
}

type Unread<'a> =
    std::iter::Peekable<std::collections::btree_map::Iter<'a, String, Vec<SeriesMember>>>;

/// Compares the kept series `key`, and before it every fresh series that sorts before it (and
/// so has no kept row).
fn compare_up_to(
    key: &str,
    kept: BTreeMap<i64, Stored>,
    unread: &mut Unread,
    found: &mut Vec<String>,
) {
    while let Some((earlier, members)) = unread.next_if(|(fresh, _)| fresh.as_str() < key) {
        compare(earlier, Some(members), BTreeMap::new(), found);
    }
    let members = unread
        .next_if(|(fresh, _)| fresh.as_str() == key)
        .map(|(_, m)| m);
    compare(key, members, kept, found);
}

/// Ranks one series from its fresh members and names each kept place or date that differs.
fn compare(
    key: &str,
    members: Option<&Vec<SeriesMember>>,
    kept: BTreeMap<i64, Stored>,
    found: &mut Vec<String>,
) {
    let members = members.map_or(&[][..], Vec::as_slice);
    let ranked: BTreeMap<i64, (SeriesMember, SeriesPlace)> = members
        .iter()
        .zip(series::rank(members))
        .map(|(member, place)| (member.event_id, (*member, place)))
        .collect();
    let events: BTreeSet<i64> = ranked.keys().chain(kept.keys()).copied().collect();
    for event in events {
        let (fresh, stored) = (ranked.get(&event), kept.get(&event));
        let kept_place = stored.map(|s| &s.place);
        if fresh.map(|(_, place)| place) != kept_place {
            found.push(format!(
                "place of #{event} in series {key}: kept {}, ranked {}",
                described(kept_place),
                described(fresh.map(|(_, place)| place))
            ));
        } else if let (Some((member, _)), Some(stored)) = (fresh, stored)
            && *member != stored.member
        {
            found.push(format!(
                "#{event} in series {key} is kept as {:?}, its event says {:?}",
                stored.member, member
            ));
        }
    }
}

/// "3rd, after #5", "1st", or "none" for a place not held.
fn described(place: Option<&SeriesPlace>) -> String {
    match place {
        None => "none".into(),
        Some(place) if place.ordinal.low == 0 => "no place yet".into(),
        Some(place) => match place.previous {
            Some(previous) => format!("{}, after #{previous}", place.ordinal.phrase()),
            None => place.ordinal.phrase(),
        },
    }
}

/// A kept place, with what the sentence about it needs of the previous meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptPlace {
    pub series: Series,
    pub ordinal: Ordinal,
    /// The previous meeting's date and city.
    pub previous: Option<(FuzzyDate, String)>,
}

/// The kept places of these events, by event; with `previous`, each with its previous
/// meeting's date and city, else without (a read of the previous event for every place, at
/// random across the file, which a listing that prints only ordinals does without).
pub(super) fn places(
    conn: &Conn,
    events: &[i64],
    previous: bool,
) -> Result<HashMap<i64, Vec<KeptPlace>>> {
    let mut found: HashMap<i64, Vec<KeptPlace>> = HashMap::with_capacity(events.len());
    // A range may hold events not asked for: their places are passed over. Searched by halves,
    // which costs less than hashing each row's number.
    let mut asked = events.to_vec();
    asked.sort_unstable();
    for span in super::events::spans(events, conn.dialect().among_most()) {
        let sql = if previous {
            "SELECT sp.event_id, sp.series, sp.low, sp.high, pe.date_first, pe.precision, \
             pe.circa, pe.city FROM series_place sp LEFT JOIN event pe ON pe.id = sp.previous \
             WHERE sp.event_id {events} ORDER BY sp.event_id, sp.series"
        } else {
            "SELECT sp.event_id, sp.series, sp.low, sp.high FROM series_place sp \
             WHERE sp.event_id {events} ORDER BY sp.event_id, sp.series"
        };
        let (sql, values) = span.query(conn, sql);
        let mut stmt = conn.prepare_cached(&sql)?;
        // The key is parsed where it is read, with no copy of its text.
        let rows = stmt.query_map(db::params_from_iter(values), |r| {
            let event_id = r.get::<i64>(0)?;
            if asked.binary_search(&event_id).is_err() {
                return Ok(None);
            }
            let key = super::rows::required_text(r, 1)?;
            let Some(series) = Series::parse(&key) else {
                return Ok(None);
            };
            let previous_day: Option<NaiveDate> = if previous { r.date(4)? } else { None };
            let previous = match previous_day {
                Some(day) => Some((
                    super::fuzzy_from(day, &r.get::<String>(5)?, r.get(6)?),
                    r.get::<String>(7)?,
                )),
                None => None,
            };
            Ok(Some((
                event_id,
                KeptPlace {
                    series,
                    ordinal: Ordinal {
                        low: super::count_column(r, 2)?,
                        high: super::count_column(r, 3)?,
                    },
                    previous,
                },
            )))
        })?;
        for row in rows {
            if let Some((event_id, place)) = row? {
                found.entry(event_id).or_default().push(place);
            }
        }
    }
    Ok(found)
}

/// The kept ordinals of a page of events as stored, each series by its key: read on one thread
/// and looked up on another (the CSV export), where a series is found by its key without the
/// keys being parsed, or held by event, where they were read.
#[derive(Debug, Default)]
pub struct PageOrdinals {
    /// Every key read, one after another.
    keys: String,
    /// Each place: its event, where its key is in `keys`, its ordinal; by event.
    places: Vec<(i64, std::ops::Range<usize>, Ordinal)>,
}

impl PageOrdinals {
    /// The ordinal of `event` in the series filed under `key` (`Series::key`), if it was read.
    pub fn find(&self, event: i64, key: &str) -> Option<Ordinal> {
        let first = self.places.partition_point(|(number, ..)| *number < event);
        self.places[first..]
            .iter()
            .take_while(|(number, ..)| *number == event)
            .find(|(_, at, _)| &self.keys[at.clone()] == key)
            .map(|(.., ordinal)| *ordinal)
    }
}

/// The kept ordinals of these events (`PageOrdinals`).
pub(super) fn page_ordinals(conn: &Conn, events: &[i64]) -> Result<PageOrdinals> {
    let mut asked = events.to_vec();
    asked.sort_unstable();
    let mut found = PageOrdinals::default();
    let PageOrdinals { keys, places } = &mut found;
    for span in super::events::spans(events, conn.dialect().among_most()) {
        let (sql, values) = span.query(
            conn,
            "SELECT sp.event_id, sp.series, sp.low, sp.high FROM series_place sp \
             WHERE sp.event_id {events} ORDER BY sp.event_id, sp.series",
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(db::params_from_iter(values), |r| {
            let event_id = r.get::<i64>(0)?;
            if asked.binary_search(&event_id).is_err() {
                return Ok(None);
            }
            let start = keys.len();
            keys.push_str(&super::rows::required_text(r, 1)?);
            let ordinal = Ordinal {
                low: super::count_column(r, 2)?,
                high: super::count_column(r, 3)?,
            };
            Ok(Some((event_id, start..keys.len(), ordinal)))
        })?;
        for place in rows {
            places.extend(place?);
        }
    }
    // Ranges come before lists: one sort puts the places of every span by event.
    if !places.is_sorted_by_key(|(event, ..)| *event) {
        places.sort_by_key(|(event, ..)| *event);
    }
    Ok(found)
}

/// The members of a series in timeline order, up to and including the events starting on or
/// before `until`: (event number, happened). A visit is listed once, by its first event.
pub(super) fn series_events(
    conn: &Conn,
    series: &Series,
    until: Option<NaiveDate>,
) -> Result<Vec<(i64, bool)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT event_id, happened FROM series_place WHERE series = ? AND date_first <= ? \
         AND coalesce(visit, event_id) = event_id ORDER BY date_first, event_id",
    )?;
    // Dates are ISO text in the store: the bound must be a four-digit year to compare.
    let until = until.map_or_else(|| "9999-12-31".to_string(), |d| d.to_string());
    let rows = stmt.query_map(params![series.key(), until], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<db::Result<_>>()?)
}

/// The date of the last member of `series` that happened, read backwards along the series
/// index: a cell of the stats view shows it without reading the pair's history.
pub(super) fn last_happened(conn: &Conn, series: &Series) -> Result<Option<FuzzyDate>> {
    let mut stmt = conn.prepare_cached(
        "SELECT e.date_first, e.precision, e.circa FROM series_place sp \
         JOIN event e ON e.id = sp.event_id \
         WHERE sp.series = ? AND sp.happened = 1 AND coalesce(sp.visit, sp.event_id) = sp.event_id \
         ORDER BY sp.date_first DESC, sp.event_id DESC LIMIT 1",
    )?;
    let mut rows = stmt.query_map(params![series.key()], |r| {
        Ok(super::fuzzy_from(
            r.get::<NaiveDate>(0)?,
            &r.get::<String>(1)?,
            r.get(2)?,
        ))
    })?;
    Ok(rows.next().transpose()?)
}

/// The dates of the members of `series` that certainly come before the place `below` (their
/// highest possible place is lower) and are only reported, not confirmed: what an ordinal
/// counting them rests on.
pub(super) fn reported_before(
    conn: &Conn,
    series: &Series,
    below: usize,
) -> Result<Vec<FuzzyDate>> {
    let mut stmt = conn.prepare_cached(
        "SELECT e.date_first, e.precision, e.circa FROM series_place sp \
         JOIN event e ON e.id = sp.event_id \
         WHERE sp.series = ? AND sp.high < ? AND sp.happened = 1 AND e.status = 'reported' \
         AND coalesce(sp.visit, sp.event_id) = sp.event_id \
         ORDER BY sp.date_first, sp.event_id",
    )?;
    let below = i64::try_from(below).unwrap_or(i64::MAX);
    let rows = stmt.query_map(params![series.key(), below], |r| {
        Ok(super::fuzzy_from(
            r.get::<NaiveDate>(0)?,
            &r.get::<String>(1)?,
            r.get(2)?,
        ))
    })?;
    Ok(rows.collect::<db::Result<_>>()?)
}
