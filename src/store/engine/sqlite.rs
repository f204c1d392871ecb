//! SQLite, through rusqlite: a connection per file, `BEGIN IMMEDIATE` for the write lock, and a
//! full-text index (FTS5, trigrams) that the store writes itself, once per commit. Opening a
//! file is `store::sqlite`'s.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::ErrorCode;
use rusqlite::types::{ToSqlOutput, ValueRef};

use super::{Columns, Connection, Cursor, Dialect, Prepared};
use crate::store::db::{Begin, Conn, DbError, Engine, Refusal, Result, Row, Value, params};
use crate::store::filter::{fts_phrase, like_escape};

/// A store's connection to an open SQLite file.
pub fn conn(connection: rusqlite::Connection) -> Conn {
    Conn::new(Link(connection))
}

pub struct Sqlite;

impl Dialect for Sqlite {
    fn engine(&self) -> Engine {
        Engine::Sqlite
    }

    fn schema_version(&self) -> &'static str {
        "PRAGMA user_version"
    }

    fn temp_tables(&self) -> &'static str {
        "CREATE TEMP TABLE IF NOT EXISTS dirty_series (series TEXT PRIMARY KEY) WITHOUT ROWID; \
         CREATE TEMP TABLE IF NOT EXISTS dirty_trips (person_id INTEGER PRIMARY KEY); \
         CREATE TEMP TABLE IF NOT EXISTS unindexed (event_id INTEGER PRIMARY KEY)"
    }

    /// SQLite has no queue for its lock: a writer tries again each poll, with the poll as its
    /// busy timeout.
    fn write_slice(&self, _told: bool, _stoppable: bool, _left: Duration) -> Duration {
        crate::store::WAIT_POLL
    }

    /// The trigram index finds strings of three characters or more; shorter ones are looked
    /// for row by row.
    fn search_condition(&self, lowered: &str) -> (&'static str, Value) {
        if lowered.chars().count() >= 3 {
            (
                "e.id IN (SELECT rowid FROM event_search WHERE event_search MATCH ?)",
                Value::Text(fts_phrase(lowered)),
            )
        } else {
            (
                "e.search_text LIKE ? ESCAPE '\\'",
                Value::Text(format!("%{}%", like_escape(lowered))),
            )
        }
    }

    fn search_count(&self, text: &str) -> (&'static str, Value) {
        (
            "SELECT count(*) FROM event_search WHERE event_search MATCH ?",
            Value::Text(fts_phrase(text)),
        )
    }

    fn capped_search_count(&self, text: &str) -> Option<(&'static str, Value)> {
        Some((
            "SELECT count(*) FROM (SELECT 1 FROM event_search WHERE event_search MATCH ? \
             LIMIT ?) AS capped",
            Value::Text(fts_phrase(text)),
        ))
    }

    /// Without it SQLite looks the row up by its event, a page read anywhere in the table for
    /// each; by the person, the lookups fall in one run of the index.
    fn person_date_index_hint(&self) -> &'static str {
        "INDEXED BY participation_person_date"
    }

    fn mark_unindexed(&self, conn: &Conn, event_id: i64) -> Result<()> {
        conn.prepare_cached("INSERT INTO unindexed VALUES (?) ON CONFLICT DO NOTHING")?
            .execute([event_id])
            .map(drop)
    }

    fn index_marked(&self, conn: &Conn) -> Result<()> {
        conn.execute_batch(
            "INSERT INTO event_search (rowid, search_text) \
             SELECT e.id, e.search_text FROM unindexed u JOIN event e ON e.id = u.event_id; \
             DELETE FROM unindexed;",
        )
    }

    /// Schema 5's triggers take an event's old text out of the index as its row changes or
    /// goes; taking out text the index never held corrupts it.
    fn index_if_marked(&self, conn: &Conn, event_id: i64) -> Result<()> {
        let indexed = conn
            .prepare_cached(
                "INSERT INTO event_search (rowid, search_text) \
                 SELECT e.id, e.search_text FROM unindexed u JOIN event e ON e.id = u.event_id \
                 WHERE u.event_id = ?",
            )?
            .execute([event_id])?;
        if indexed > 0 {
            conn.prepare_cached("DELETE FROM unindexed WHERE event_id = ?")?
                .execute([event_id])?;
        }
        Ok(())
    }

    fn rebuild_search_index(&self, conn: &Conn) -> Result<()> {
        conn.execute_batch("INSERT INTO event_search (event_search) VALUES ('rebuild')")
    }

    /// FTS5's integrity-check, which SQLite runs as a write.
    fn check_search_index(&self, conn: &Conn, against_events: bool) -> Result<()> {
        let sql = if against_events {
            "INSERT INTO event_search (event_search, rank) VALUES ('integrity-check', 1)"
        } else {
            "INSERT INTO event_search (event_search) VALUES ('integrity-check')"
        };
        conn.execute(sql, []).map(drop)
    }

    fn search_index_finds(&self, conn: &Conn, event_id: i64, phrase: &str) -> Result<bool> {
        conn.prepare_cached("SELECT 1 FROM event_search WHERE event_search MATCH ? AND rowid = ?")?
            .exists(params![fts_phrase(phrase), event_id])
    }

    fn search_check(&self, read_only: bool) -> &'static str {
        if read_only {
            "every event's search text written again and compared (the index's own check \
             writes, which a read-only database does not allow)"
        } else {
            "every event's search text written again and compared; FTS5's integrity-check of the index against it"
        }
    }

    fn check_file(&self, conn: &Conn) -> Result<(String, Vec<String>)> {
        let mut stmt = conn.prepare("PRAGMA integrity_check")?;
        let said: Vec<String> = stmt.query_map([], |r| r.get(0))?.collect::<Result<_>>()?;
        let mut findings: Vec<String> = said.into_iter().filter(|line| line != "ok").collect();
        let mut stmt = conn.prepare("PRAGMA foreign_key_check")?;
        let broken: Vec<(String, i64, String)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<Result<_>>()?;
        findings.extend(broken.into_iter().map(|(table, row, parent)| {
            format!("row {row} of {table} refers to a missing row of {parent}")
        }));
        Ok((
            "SQLite's integrity_check and foreign_key_check".into(),
            findings,
        ))
    }

    /// Appends and one sort per index cost less than random inserts into half a dozen.
    fn takes_bulk_path(&self) -> bool {
        true
    }

    /// SQLite gives a sort as much memory as the page cache holds: the cache is made small for
    /// the while (the pages it drops stay in the operating system's cache); a million-event
    /// import took about as long with it (BENCHMARKS.md, third round).
    fn bulk_in_little_memory(&self, conn: &Conn, little: bool) -> Result<()> {
        let kib = if little {
            crate::store::sqlite::BULK_CACHE_KIB
        } else {
            crate::store::sqlite::PAGE_CACHE_KIB
        };
        conn.execute_batch(&format!("PRAGMA main.cache_size = -{kib}"))?;
        Ok(())
    }

    /// From `sqlite_master`, which keeps each index's own `CREATE INDEX` text.
    fn droppable_indexes(
        &self,
        conn: &Conn,
        tables: &str,
        kept: &str,
    ) -> Result<Vec<(String, String)>> {
        let sql = format!(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL \
             AND tbl_name IN ({tables}) AND name NOT IN ({kept}) ORDER BY name"
        );
        conn.prepare(&sql)?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect()
    }

    /// A parameter for each number: SQLite plans a statement in microseconds, and a list of
    /// 500 stays well within its limit on parameters.
    fn among(&self, ids: &[i64]) -> (String, Vec<Value>) {
        (
            format!("IN ({})", vec!["?"; ids.len()].join(",")),
            ids.iter().map(|id| Value::Integer(*id)).collect(),
        )
    }

    fn among_most(&self) -> usize {
        500
    }

    fn pass_page(&self) -> usize {
        1000
    }

    /// SQLite's planner goes by its indexes until statistics are asked for.
    fn gather_statistics(&self, _conn: &Conn, _tables: &[&str]) -> Result<()> {
        Ok(())
    }

    /// Not measured on SQLite: a copy into it writes row by row with its indexes in place.
    fn set_aside_upkeep(&self, _conn: &Conn, _tables: &[&str]) -> Result<Vec<String>> {
        Ok(Vec::new())
    }

    /// Beside the database; a database in memory has no other writer.
    fn announcement_file(&self, label: &str) -> Option<PathBuf> {
        (label != ":memory:").then(|| crate::store::announcement_file(label))
    }

    /// The announcement is the file's.
    fn announce(&self, _conn: &Conn, _short: &str) {}

    fn current_writer(&self, _conn: &Conn, label: &str) -> Option<String> {
        crate::store::writer::announced(label)
    }
}

struct Link(rusqlite::Connection);

impl Connection for Link {
    fn dialect(&self) -> &'static dyn Dialect {
        &Sqlite
    }

    fn prepare(&self, sql: &str, cached: bool) -> Result<Box<dyn Prepared + '_>> {
        Ok(Box::new(if cached {
            Statement::Cached(self.0.prepare_cached(sql)?)
        } else {
            Statement::Once(self.0.prepare(sql)?)
        }))
    }

    fn execute_batch(&self, sql: &str) -> Result<()> {
        Ok(self.0.execute_batch(sql)?)
    }

    fn for_each_row(&self, sql: &str, each: &mut dyn FnMut(&Row) -> Result<()>) -> Result<()> {
        let mut statement = self.0.prepare(sql)?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            each(&Row::new(row))?;
        }
        Ok(())
    }

    /// Row by row through one prepared insert: SQLite has no faster way in.
    fn copy_rows(
        &self,
        from: &Conn,
        select: &str,
        table: &str,
        columns: &str,
        copied: &mut dyn FnMut(usize),
    ) -> Result<usize> {
        let width = columns.split(',').count();
        let marks = vec!["?"; width].join(", ");
        let mut insert = self
            .0
            .prepare_cached(&format!("INSERT INTO {table} ({columns}) VALUES ({marks})"))?;
        let mut rows = 0;
        from.for_each_row(select, |row| {
            let values = (0..width)
                .map(|i| row.get::<Value>(i))
                .collect::<Result<Vec<_>>>()?;
            insert.execute(bound(&values))?;
            rows += 1;
            if rows % 10_000 == 0 {
                copied(rows);
            }
            Ok(())
        })?;
        Ok(rows)
    }

    fn is_autocommit(&self) -> bool {
        self.0.is_autocommit()
    }

    fn changes_by_others(&self) -> Result<i64> {
        Ok(self.0.query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }

    fn is_closed(&self) -> bool {
        false
    }

    /// SQLite's online backup.
    fn backup(&self, to: &Path) -> Option<Result<()>> {
        Some(
            self.0
                .backup(
                    rusqlite::MAIN_DB,
                    to,
                    None::<fn(rusqlite::backup::Progress)>,
                )
                .map_err(DbError::from),
        )
    }

    /// Waits with `poll` as its busy timeout (`busy_timeout` is restored after).
    fn try_begin_write(&self, poll: Duration, busy_timeout: Duration) -> Result<bool> {
        self.0.busy_timeout(poll)?;
        let begun = self.0.execute_batch("BEGIN IMMEDIATE");
        self.0.busy_timeout(busy_timeout)?;
        match begun {
            Ok(()) => Ok(true),
            Err(e)
                if matches!(
                    e.sqlite_error_code(),
                    Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
                ) =>
            {
                Ok(false)
            }
            Err(e) => Err(e.into()),
        }
    }

    fn begin(&self, begin: Begin) -> Result<()> {
        Ok(self.0.execute_batch(match begin {
            Begin::Write => "BEGIN IMMEDIATE",
            Begin::Trial | Begin::Read => "BEGIN DEFERRED",
        })?)
    }

    fn commit(&self, _begin: Begin) -> Result<()> {
        Ok(self.0.execute_batch("COMMIT")?)
    }

    fn rollback(&self) -> Result<()> {
        Ok(self.0.execute_batch("ROLLBACK")?)
    }
}

/// A statement kept in the connection's cache, or made for one use.
enum Statement<'c> {
    Cached(rusqlite::CachedStatement<'c>),
    Once(rusqlite::Statement<'c>),
}

impl<'c> Statement<'c> {
    fn get(&mut self) -> &mut rusqlite::Statement<'c> {
        match self {
            Statement::Cached(s) => s,
            Statement::Once(s) => s,
        }
    }
}

impl Prepared for Statement<'_> {
    fn execute(&mut self, values: &[Value]) -> Result<usize> {
        Ok(self.get().execute(bound(values))?)
    }

    fn query(&mut self, values: &[Value]) -> Result<Box<dyn Cursor + '_>> {
        Ok(Box::new(Rows(self.get().query(bound(values))?)))
    }
}

struct Rows<'s>(rusqlite::Rows<'s>);

impl Cursor for Rows<'_> {
    fn next(&mut self) -> Result<Option<Row<'_>>> {
        Ok(self.0.next()?.map(|row| Row::new(row)))
    }
}

impl Columns for rusqlite::Row<'_> {
    fn value(&self, index: usize) -> Result<Value> {
        Ok(match self.get_ref(index)? {
            ValueRef::Null => Value::Null,
            ValueRef::Integer(i) => Value::Integer(i),
            ValueRef::Real(r) => Value::Real(r),
            ValueRef::Text(text) => Value::Text(
                std::str::from_utf8(text)
                    .map_err(|e| DbError::conversion(index, e))?
                    .to_string(),
            ),
            ValueRef::Blob(bytes) => Value::Blob(bytes.to_vec()),
        })
    }

    fn text(&self, index: usize) -> Result<Option<std::borrow::Cow<'_, str>>> {
        match self.get_ref(index)? {
            ValueRef::Null => Ok(None),
            ValueRef::Text(text) => std::str::from_utf8(text)
                .map(|text| Some(std::borrow::Cow::Borrowed(text)))
                .map_err(|e| DbError::conversion(index, e)),
            _ => Err(DbError::conversion(index, "not text")),
        }
    }
}

/// The values as rusqlite binds them, borrowed.
fn bound(values: &[Value]) -> rusqlite::ParamsFromIter<impl Iterator<Item = Bound<'_>>> {
    rusqlite::params_from_iter(values.iter().map(Bound))
}

struct Bound<'a>(&'a Value);

impl rusqlite::ToSql for Bound<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(match self.0 {
            Value::Null => ValueRef::Null,
            Value::Integer(i) => ValueRef::Integer(*i),
            Value::Real(r) => ValueRef::Real(*r),
            Value::Text(text) => ValueRef::Text(text.as_bytes()),
            Value::Blob(bytes) => ValueRef::Blob(bytes),
        }))
    }
}

impl From<rusqlite::Error> for DbError {
    fn from(error: rusqlite::Error) -> Self {
        let refusal = match &error {
            rusqlite::Error::QueryReturnedNoRows => return DbError::no_rows(),
            rusqlite::Error::SqliteFailure(failure, _) => match failure.code {
                ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => Some(Refusal::Busy),
                ErrorCode::ReadOnly => Some(Refusal::ReadOnly),
                ErrorCode::DatabaseCorrupt => Some(Refusal::Corrupt),
                ErrorCode::ConstraintViolation
                    if matches!(
                        failure.extended_code,
                        rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                            | rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY
                    ) =>
                {
                    Some(Refusal::Duplicate)
                }
                _ => None,
            },
            _ => None,
        };
        DbError::engine(error.to_string(), refusal)
    }
}

/// A plain connection to a SQLite file, as another program would open it: for tests that
/// write what attache would refuse.
#[cfg(test)]
pub fn open(path: &Path) -> Result<Conn> {
    Ok(conn(rusqlite::Connection::open(path)?))
}
