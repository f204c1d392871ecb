//! The counts schema 3 keeps, so that summaries need not read every event: each person's events
//! and last day seen, and events per month, kind, country and city. Every write to `event` or
//! `participation` goes through this module's functions, in the same transaction.
//! `Store::kept_count_differences` checks them against fresh counts (the store's property test
//! runs it after random changes, the interface's after random keys).

use crate::store::db::params;
use chrono::NaiveDate;

use super::db::{self, Optional, Tx};

use super::Result;
use crate::domain::EventDraft;

/// What an event adds to the tallies.
pub(super) struct Counted {
    month: String,
    kind: String,
    country: Option<String>,
    city: String,
}

impl Counted {
    pub(super) fn of(draft: &EventDraft) -> Counted {
        Counted {
            month: draft.date.first().format("%Y-%m").to_string(),
            kind: draft.kind.as_str().to_string(),
            country: draft.place.country.as_ref().map(|c| c.code().to_string()),
            city: draft.place.city.trim().to_string(),
        }
    }

    /// The stored event's share, read before it is changed or removed.
    pub(super) fn stored(tx: &Tx, number: i64) -> Result<Option<Counted>> {
        Ok(tx
            .prepare_cached(
                "SELECT substr(date_first, 1, 7), kind, country, city FROM event WHERE id = ?",
            )?
            .query_row([number], |r| {
                Ok(Counted {
                    month: r.get(0)?,
                    kind: r.get(1)?,
                    country: r.get(2)?,
                    city: r.get(3)?,
                })
            })
            .optional()?)
    }

    /// The tallies this event counts in: (dimension, value).
    pub(super) fn keys(self) -> impl Iterator<Item = (&'static str, String)> {
        [
            Some(("month", self.month)),
            Some(("kind", self.kind)),
            self.country.map(|c| ("country", c)),
            (!self.city.is_empty()).then_some(("city", self.city)),
        ]
        .into_iter()
        .flatten()
    }

    /// Adds (`delta` 1) or removes (-1) this event's share of the tallies.
    pub(super) fn tally(self, tx: &Tx, delta: i64) -> Result<()> {
        for (dimension, value) in self.keys() {
            add_to_tally(tx, dimension, &value, delta)?;
        }
        Ok(())
    }
}

pub(super) fn add_to_tally(tx: &Tx, dimension: &str, value: &str, delta: i64) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO tally (dimension, value, events) VALUES (?, ?, ?) \
         ON CONFLICT (dimension, value) DO UPDATE SET events = tally.events + excluded.events",
    )?
    .execute(params![dimension, value, delta])?;
    Ok(())
}

/// New participations of one person: how many, how many of them face-to-face meetings they
/// headed, and the latest day.
#[derive(Debug, Default)]
pub(super) struct Joined {
    events: i64,
    meetings: i64,
    last: Option<NaiveDate>,
}

impl Joined {
    pub(super) fn one(date: NaiveDate, meets: bool) -> Joined {
        Joined {
            events: 1,
            meetings: i64::from(meets),
            last: Some(date),
        }
    }

    pub(super) fn add(&mut self, other: &Joined) {
        self.events += other.events;
        self.meetings += other.meetings;
        self.last = self.last.max(other.last);
    }
}

/// Adds new participations to a person's kept counts.
pub(super) fn people_joined(tx: &Tx, person_id: i64, joined: &Joined) -> Result<()> {
    tx.prepare_cached(
        "UPDATE person SET events = events + ?3, meetings = meetings + ?4, \
         last_seen = CASE WHEN last_seen IS NULL OR ?1 > last_seen THEN ?1 ELSE last_seen END \
         WHERE id = ?2",
    )?
    .execute(params![
        joined.last,
        person_id,
        joined.events,
        joined.meetings
    ])?;
    Ok(())
}

/// Counts these people's events and last day again, after participations were removed.
pub(super) fn recount_people(tx: &Tx, people: &[i64]) -> Result<()> {
    let mut update = tx.prepare_cached(
        "UPDATE person SET \
         events = (SELECT count(*) FROM participation WHERE person_id = ?1), \
         meetings = (SELECT count(*) FROM participation WHERE person_id = ?1 AND meets = 1), \
         last_seen = (SELECT max(date_first) FROM participation WHERE person_id = ?1) \
         WHERE id = ?1",
    )?;
    for person in people {
        update.execute([person])?;
    }
    Ok(())
}

pub(super) fn participants(tx: &Tx, number: i64) -> Result<Vec<i64>> {
    let mut stmt = tx.prepare_cached("SELECT person_id FROM participation WHERE event_id = ?")?;
    let rows = stmt.query_map([number], |r| r.get(0))?;
    Ok(rows.collect::<db::Result<Vec<i64>>>()?)
}

/// Deletes an event (its participations and sources go with it) and its share of the counts.
pub(super) fn delete_event(tx: &Tx, number: i64) -> Result<()> {
    let counted = Counted::stored(tx, number)?;
    let people = participants(tx, number)?;
    super::ranks::leave(tx, number)?;
    super::ranks::index_before_change(tx, number)?;
    tx.prepare_cached("DELETE FROM event WHERE id = ?")?
        .execute([number])?;
    if let Some(counted) = counted {
        counted.tally(tx, -1)?;
    }
    recount_people(tx, &people)
}

/// Each kept count beside the fresh count it must equal: (what, kept query, fresh query). Each
/// query gives a key and a value; a person's key is their number, a tally's its value, a pair's
/// its mode and people. Keys absent from one side count as missing there.
pub(super) const CHECKS: &[(&str, &str, &str)] = &[
    (
        "events per person",
        "SELECT CAST(id AS TEXT), events FROM person",
        "SELECT CAST(p.id AS TEXT), count(pa.event_id) FROM person p LEFT JOIN participation pa \
         ON pa.person_id = p.id GROUP BY p.id",
    ),
    (
        "face-to-face meetings per person",
        "SELECT CAST(id AS TEXT), meetings FROM person",
        "SELECT CAST(p.id AS TEXT), count(pa.event_id) FROM person p LEFT JOIN participation pa \
         ON pa.person_id = p.id AND pa.meets = 1 GROUP BY p.id",
    ),
    (
        "last seen",
        "SELECT CAST(id AS TEXT), coalesce(last_seen, '') FROM person",
        "SELECT CAST(p.id AS TEXT), coalesce(max(e.date_first), '') FROM person p \
         LEFT JOIN participation pa ON pa.person_id = p.id LEFT JOIN event e ON e.id = pa.event_id \
         GROUP BY p.id",
    ),
    (
        "meetings per pair",
        "SELECT mode || ' ' || first || ' ' || second, meetings FROM pair_meetings",
        "SELECT series, count(*) FROM series_place WHERE happened = 1 \
         AND series NOT LIKE 'visit %' GROUP BY series",
    ),
    (
        "events per month",
        "SELECT value, events FROM tally WHERE dimension = 'month' AND events <> 0",
        "SELECT substr(date_first, 1, 7), count(*) FROM event GROUP BY 1",
    ),
    (
        "events per kind",
        "SELECT value, events FROM tally WHERE dimension = 'kind' AND events <> 0",
        "SELECT kind, count(*) FROM event GROUP BY 1",
    ),
    (
        "events per country",
        "SELECT value, events FROM tally WHERE dimension = 'country' AND events <> 0",
        "SELECT country, count(*) FROM event WHERE country IS NOT NULL GROUP BY 1",
    ),
    (
        "events per city",
        "SELECT value, events FROM tally WHERE dimension = 'city' AND events <> 0",
        "SELECT city, count(*) FROM event WHERE city <> '' GROUP BY 1",
    ),
];

/// A kept count that differs from a fresh count of the events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct CountDifference {
    /// Which count: the first column of `CHECKS`.
    pub what: &'static str,
    /// Whose: a person's number, a tally's value, a pair's mode and people.
    pub key: String,
    /// What is kept and what was counted, `None` where there is no row.
    pub kept: Option<String>,
    pub counted: Option<String>,
}

/// Every kept count that differs from a fresh count, by key.
pub(super) fn differences(conn: &db::Conn) -> Result<Vec<CountDifference>> {
    let rows = |sql: &str| -> Result<std::collections::BTreeMap<String, String>> {
        let mut stmt = conn.prepare(sql)?;
        let rows = stmt.query_map([], |r| {
            let value = match r.get::<db::Value>(1)? {
                db::Value::Integer(n) => n.to_string(),
                db::Value::Text(text) => text,
                other => format!("{other:?}"),
            };
            Ok((r.get::<String>(0)?, value))
        })?;
        Ok(rows.collect::<db::Result<_>>()?)
    };
    let mut differences = Vec::new();
    for (what, kept, fresh) in CHECKS {
        let (mut kept, fresh) = (rows(kept)?, rows(fresh)?);
        for (key, counted) in fresh {
            match kept.remove(&key) {
                Some(value) if value == counted => {}
                value => differences.push(CountDifference {
                    what,
                    key,
                    kept: value,
                    counted: Some(counted),
                }),
            }
        }
        differences.extend(kept.into_iter().map(|(key, value)| CountDifference {
            what,
            key,
            kept: Some(value),
            counted: None,
        }));
    }
    Ok(differences)
}

impl super::Store {
    /// The kept counts that differ from a fresh count of the events, named; empty when all
    /// agree.
    pub fn kept_count_differences(&self) -> Result<Vec<String>> {
        let mut by_count: Vec<(&str, Vec<String>)> = Vec::new();
        for d in differences(&self.conn)? {
            let said = format!(
                "kept {}, counted {} ({})",
                d.kept.as_deref().unwrap_or("none"),
                d.counted.as_deref().unwrap_or("none"),
                d.key
            );
            match by_count.iter_mut().find(|(what, _)| *what == d.what) {
                Some((_, all)) => all.push(said),
                None => by_count.push((d.what, vec![said])),
            }
        }
        let mut differences: Vec<String> = by_count
            .into_iter()
            .map(|(what, all)| format!("{what}: {}", all.join("; ")))
            .collect();
        differences.extend(super::ranks::differences(&self.conn)?);
        // The engine's own check of the search index (FTS5's, on SQLite).
        if let Err(error) = self.conn.dialect().check_search_index(&self.conn, false) {
            differences.push(format!("search index: {error}"));
        }
        Ok(differences)
    }
}
