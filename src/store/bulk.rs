//! The bulk path of a large import into SQLite: once an import has written as many events as
//! the record held before it (and at least `AFTER` of them), the secondary indexes that the
//! writing pass never reads are dropped, and made again from the rows before the import ranks
//! its series and commits. Random inserts into half a dozen indexes become appends and one
//! sort per index; the indexes come back with the same definitions, in the same transaction,
//! so that a failed import leaves the record as it was. The series of the events written on
//! the bulk path are marked for ranking at its end in one statement, and their people's trips
//! are grouped in one sorted pass (`trips::settle_in_one_pass`). Which engines take it, and how
//! they list their indexes, is the dialect's (`Dialect::droppable_indexes`).

use super::Result;
use super::db::Tx;

/// Events an import writes row by row before it considers the bulk path: below this, making
/// the indexes again costs more than the inserts it saves.
const AFTER: usize = 2_000;

/// The tables whose indexes the bulk path drops.
const TABLES: &str = "'event', 'participation', 'series_place', 'trip_member'";

/// Indexes the writing pass reads, kept: a record without an id is found by its date.
const KEPT: &str = "'event_timeline'";

/// The indexes dropped for a bulk load, by name with their definitions, and the last event
/// written before: those after it are marked for ranking at the end.
#[derive(Debug)]
pub(super) struct Dropped {
    indexes: Vec<(String, String)>,
    after: i64,
}

/// Whether an import that has written `written` events into a record that held `before` should
/// take the bulk path now.
pub(super) fn due(tx: &Tx, before: usize, written: usize) -> bool {
    written >= AFTER && written >= before && tx.dialect().takes_bulk_path()
}

/// Drops the indexes the writing pass does not read; `after` is the last event written before.
pub(super) fn drop_indexes(tx: &Tx, after: i64) -> Result<Dropped> {
    let indexes = tx.dialect().droppable_indexes(tx, TABLES, KEPT)?;
    for (name, _) in &indexes {
        tx.execute_batch(&format!("DROP INDEX \"{name}\""))?;
    }
    // Until the import has ended (`Store::import`), commit included.
    tx.dialect().bulk_in_little_memory(tx, true)?;
    Ok(Dropped { indexes, after })
}

impl Dropped {
    /// Makes the dropped indexes again, each from one sort of its table, ranks the marked series
    /// and those of the events written since in one pass, and groups their people's trips again
    /// in one pass (visits are ranked with the trips).
    pub(super) fn restore(self, tx: &Tx) -> Result<()> {
        for (_, sql) in &self.indexes {
            tx.execute_batch(sql)?;
        }
        tx.execute(
            "INSERT INTO dirty_series SELECT DISTINCT series FROM series_place              WHERE event_id > ? AND visit IS NULL ON CONFLICT DO NOTHING",
            [self.after],
        )?;
        super::ranks::rank_in_one_pass(tx)?;
        tx.execute(
            "INSERT INTO dirty_trips SELECT DISTINCT person_id FROM participation              WHERE event_id > ? ON CONFLICT DO NOTHING",
            [self.after],
        )?;
        super::trips::settle_in_one_pass(tx)
    }
}
