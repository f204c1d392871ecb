//! The two engines behind `db::Conn`, one file each: `sqlite` and `postgres`. A `Connection` runs
//! statements through the engine's driver; a `Dialect` is the SQL and the habits in which the
//! engines differ (placeholders, locking, temporary tables, full-text search, index hints, the
//! engine's own checks), so that the store's other files name no engine.

pub mod postgres;
pub mod sqlite;

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::db::{Begin, Conn, DbError, Engine, Result, Row, Value};

/// What differs between the engines, other than how statements are run.
pub trait Dialect: Send + Sync {
    fn engine(&self) -> Engine;

    /// The query giving the schema version.
    fn schema_version(&self) -> &'static str;

    /// Creates this connection's temporary tables: the series and the people's trips touched
    /// by writes not yet settled, and what the store's own search index has still to index.
    fn temp_tables(&self) -> &'static str;

    /// How long a writer queues for the lock before it looks again: `told` once it has said
    /// what it waits for, `stoppable` when someone may tell it to stop, `left` of its wait.
    fn write_slice(&self, told: bool, stoppable: bool, left: Duration) -> Duration;

    /// The condition finding events (`e`) whose search text holds `lowered`, and its value.
    fn search_condition(&self, lowered: &str) -> (&'static str, Value);

    /// The count of every event whose search text holds `text`, read from the index alone.
    fn search_count(&self, text: &str) -> (&'static str, Value);

    /// The same count stopped at its second value, where the index can count alone.
    fn capped_search_count(&self, text: &str) -> Option<(&'static str, Value)>;

    /// The condition that an event's number (the column it follows) is one of `ids`, and its
    /// values.
    fn among(&self, ids: &[i64]) -> (String, Vec<Value>);

    /// The most numbers one `among` names: the events whose rows one statement reads.
    fn among_most(&self) -> usize;

    /// How many events a pass over the timeline (an export) reads at a time.
    fn pass_page(&self) -> usize;

    /// The hint making the planner find a person's participation by their rows in date order.
    fn person_date_index_hint(&self) -> &'static str;

    /// Marks an event whose search text was written, to be indexed when the write settles.
    fn mark_unindexed(&self, conn: &Conn, event_id: i64) -> Result<()>;

    /// Indexes the search text of the events marked since the last settling.
    fn index_marked(&self, conn: &Conn) -> Result<()>;

    /// Indexes now the search text of this event if it is marked: its row is about to change
    /// or go, and what takes the old text out of the index must find it there.
    fn index_if_marked(&self, conn: &Conn, event_id: i64) -> Result<()>;

    /// Indexes every event's search text again.
    fn rebuild_search_index(&self, conn: &Conn) -> Result<()>;

    /// The engine's own check of the search index; `against_events` compares it with the text
    /// it indexes too. A damaged index is refused as `Refusal::Corrupt`.
    fn check_search_index(&self, conn: &Conn, against_events: bool) -> Result<()>;

    /// Whether the search index finds the event by `phrase` (three characters of its text).
    fn search_index_finds(&self, conn: &Conn, event_id: i64, phrase: &str) -> Result<bool>;

    /// How the search index is checked, in words for `verify`.
    fn search_check(&self, read_only: bool) -> &'static str;

    /// The engine's own check of the database: how it was checked, and what it found.
    fn check_file(&self, conn: &Conn) -> Result<(String, Vec<String>)>;

    /// Gathers the planner's statistics of `tables` after a bulk copy into them, where the
    /// engine would do so only later.
    fn gather_statistics(&self, conn: &Conn, tables: &[&str]) -> Result<()>;

    /// Before a bulk copy into the empty `tables` in this transaction, sets aside what the
    /// engine would otherwise keep up row by row (indexes, keys, triggers), where it may, and
    /// returns the statements that put it back from the rows once they are in, to be run in
    /// the same transaction.
    fn set_aside_upkeep(&self, conn: &Conn, tables: &[&str]) -> Result<Vec<String>>;

    /// Whether a large import drops indexes and makes them again once its rows are in
    /// (`store::bulk`).
    fn takes_bulk_path(&self) -> bool;

    /// While `little`, an import on the bulk path and its commit keep little in memory: the
    /// engine's cache, and its sorts (the indexes made again, the trips grouped in one pass),
    /// spill to files rather than raise the import's peak memory.
    fn bulk_in_little_memory(&self, conn: &Conn, little: bool) -> Result<()>;

    /// The (name, definition) of the indexes on `tables` but those `kept`, for the bulk path.
    fn droppable_indexes(
        &self,
        conn: &Conn,
        tables: &str,
        kept: &str,
    ) -> Result<Vec<(String, String)>>;

    /// Where a long write on the database `label` announces itself, if in a file.
    fn announcement_file(&self, label: &str) -> Option<PathBuf>;

    /// Announces a long write through the connection, where it is not a file's.
    fn announce(&self, conn: &Conn, short: &str);

    /// What the writer holding the lock says of itself, if it says anything.
    fn current_writer(&self, conn: &Conn, label: &str) -> Option<String>;
}

/// A connection through an engine's driver.
pub trait Connection: Send {
    fn dialect(&self) -> &'static dyn Dialect;

    /// A statement, kept in the connection's cache when `cached`.
    fn prepare(&self, sql: &str, cached: bool) -> Result<Box<dyn Prepared + '_>>;

    fn execute_batch(&self, sql: &str) -> Result<()>;

    fn for_each_row(&self, sql: &str, each: &mut dyn FnMut(&Row) -> Result<()>) -> Result<()>;

    fn copy_rows(
        &self,
        from: &Conn,
        select: &str,
        table: &str,
        columns: &str,
        copied: &mut dyn FnMut(usize),
    ) -> Result<usize>;

    fn is_autocommit(&self) -> bool;

    fn changes_by_others(&self) -> Result<i64>;

    fn is_closed(&self) -> bool;

    fn backup(&self, to: &Path) -> Option<Result<()>>;

    /// Whether the write transaction began within `poll`.
    fn try_begin_write(&self, poll: Duration, busy_timeout: Duration) -> Result<bool>;

    fn begin(&self, begin: Begin) -> Result<()>;

    fn commit(&self, begin: Begin) -> Result<()>;

    fn rollback(&self) -> Result<()>;
}

/// A prepared statement.
pub trait Prepared {
    fn execute(&mut self, values: &[Value]) -> Result<usize>;

    fn query(&mut self, values: &[Value]) -> Result<Box<dyn Cursor + '_>>;
}

/// The rows of a query, one at a time.
pub trait Cursor {
    fn next(&mut self) -> Result<Option<Row<'_>>>;
}

/// A row's columns.
pub trait Columns {
    fn value(&self, index: usize) -> Result<Value>;

    /// A text column's value, borrowed where the engine holds it, for a caller that only
    /// looks at it (a keyword, a date): `None` for NULL.
    fn text(&self, index: usize) -> Result<Option<std::borrow::Cow<'_, str>>> {
        Ok(match self.value(index)? {
            Value::Null => None,
            Value::Text(text) => Some(std::borrow::Cow::Owned(text)),
            _ => return Err(DbError::conversion(index, "not text")),
        })
    }
}
