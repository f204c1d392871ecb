//! Copying a whole record from one database to an empty other one, on either engine: every
//! table row for row, numbers, versions, kept counts and the log of changes included, so that
//! everything that names them (ordinals, the log, a colleague's "#42") means the same in the
//! copy. The two schemas have the same tables and columns; PostgreSQL is written with `COPY`
//! into tables whose keys, indexes and foreign keys are set aside and made again from the rows
//! once they are in (`Dialect::set_aside_upkeep`), SQLite with one prepared insert.

use super::db::{Begin, Conn};
use super::{Result, Store, StoreError};
use crate::domain::Invalid;

/// Every table of a record and its columns, parents before children.
const TABLES: &[(&str, &str)] = &[
    (
        "person",
        "id, name, name_key, country, events, last_seen, meetings, notes, short_name, home",
    ),
    (
        "person_title",
        "person_id, position, title, from_date, until_date",
    ),
    ("person_name", "person_id, kind, position, name, name_key"),
    (
        "event",
        "id, uuid, date_first, date_last, precision, circa, end_first, end_precision, title, \
         kind, mode, status, city, country, venue, notes, search_text, version, trip_link",
    ),
    (
        "participation",
        "event_id, person_id, position, side, head, date_first, meets",
    ),
    ("trip_member", "person_id, event_id, trip"),
    (
        "source",
        "event_id, position, outlet, citing, url, published, via",
    ),
    (
        "claim",
        "event_id, position, aspect, value, sources, note, count",
    ),
    ("unnamed_side", "event_id, side"),
    ("tally", "dimension, value, events"),
    (
        "series_place",
        "series, event_id, date_first, date_last, to_the_day, happened, low, high, previous, \
         visit",
    ),
    ("pair_meetings", "mode, first, second, meetings"),
    (
        "prior",
        "series, first, second, count, last_date, last_place, sources, disputed",
    ),
    (
        "undo_log",
        "id, action, number, before, after, undone, at, author",
    ),
];

/// What a copy wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Copied {
    pub events: usize,
    pub people: usize,
    pub priors: usize,
    pub changes: usize,
}

impl Store {
    /// Copies this record into `to`, which must hold nothing yet, in one transaction there:
    /// all of it or none. What is copied is the record as it was when the copy began, whatever
    /// others write meanwhile. `progress` is told how many rows of how many are copied.
    pub fn copy_into(
        &self,
        to: &mut Store,
        mut progress: impl FnMut(usize, usize),
    ) -> Result<Copied> {
        if to.label == self.label {
            return Err(refused(
                &to.label,
                "is the database copied from; nothing was written",
            ));
        }
        let holds = |store: &Store, table: &str| -> Result<usize> {
            Ok(store
                .conn
                .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| {
                    super::count_column(r, 0)
                })?)
        };
        for (table, _) in TABLES {
            if holds(to, table)? > 0 {
                return Err(refused(
                    &to.label,
                    "already holds a record; copy into an empty database; nothing was written",
                ));
            }
        }
        let reading = self.conn.begin(Begin::Read)?;
        let mut rows = Vec::with_capacity(TABLES.len());
        for (table, _) in TABLES {
            rows.push(holds(self, table)?);
        }
        let total = rows.iter().sum();
        let names: Vec<&str> = TABLES.iter().map(|(table, _)| *table).collect();
        let copied = to.write(|tx| {
            let put_back = tx.dialect().set_aside_upkeep(tx, &names)?;
            let mut done = 0;
            for ((table, columns), count) in TABLES.iter().zip(&rows) {
                copy_table(&self.conn, tx, table, columns, &mut |n| {
                    progress(done + n, total);
                })?;
                done += count;
            }
            tx.dialect().gather_statistics(tx, &names)?;
            for statement in &put_back {
                tx.execute_batch(statement)?;
            }
            // The store's own search index, where it keeps one, reads the events it
            // indexes: rows copied in are indexed once, at the end.
            tx.dialect().rebuild_search_index(tx)?;
            Ok(())
        });
        copied?;
        reading.commit()?;
        let count = |table: &str| {
            TABLES
                .iter()
                .position(|(t, _)| *t == table)
                .map_or(0, |i| rows[i])
        };
        Ok(Copied {
            events: count("event"),
            people: count("person"),
            priors: count("prior"),
            changes: count("undo_log"),
        })
    }
}

/// Copies every row of `table` from `from` into `to`, telling `copied` how many so far.
fn copy_table(
    from: &Conn,
    to: &Conn,
    table: &str,
    columns: &str,
    copied: &mut dyn FnMut(usize),
) -> Result<()> {
    let select = format!("SELECT {columns} FROM {table}");
    let rows = to.copy_rows(from, &select, table, columns, copied)?;
    copied(rows);
    Ok(())
}

fn refused(label: &str, why: &str) -> StoreError {
    StoreError::Invalid(Invalid::new(label, "", why))
}
