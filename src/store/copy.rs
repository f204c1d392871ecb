//! Copying a whole record from one database to an empty other one, on either engine: people,
//! events, prior counts and the log of changes, each keeping its number, so that everything
//! that names them (ordinals, the log, a colleague's "#42") means the same in the copy.

use super::db::{Begin, Value};
use super::{
    Batch, EventFilter, NewPeople, Order, Result, Store, StoreError, Target, people, priors,
    save_event_in,
};
use crate::domain::Invalid;
use crate::domain::record::EventRecord;

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
    /// others write meanwhile. `progress` is told how many events are copied so far.
    pub fn copy_into(&self, to: &mut Store, mut progress: impl FnMut(usize)) -> Result<Copied> {
        if to.label == self.label {
            return Err(refused(
                &to.label,
                "is the database copied from; nothing was written",
            ));
        }
        if to.event_count(&EventFilter::default())? > 0 || !to.people()?.is_empty() {
            return Err(refused(
                &to.label,
                "already holds a record; copy into an empty database; nothing was written",
            ));
        }
        let reading = self.conn.begin(Begin::Read)?;
        let people = self.people()?;
        let priors = self.priors()?;
        let changes = self.change_rows()?;
        let copied = to.write(|tx| {
            for summary in &people {
                people::insert_person(tx, &summary.person)?;
            }
            let mut batch = Batch::default();
            let mut events = 0;
            let mut failure = None;
            let paged = self.for_each_page(&EventFilter::default(), Order::OldestFirst, |page| {
                for event in page {
                    let written = EventRecord::from_event(event, Vec::new())
                        .to_draft()
                        .map_err(StoreError::from)
                        .and_then(|draft| {
                            save_event_in(
                                tx,
                                &draft,
                                NewPeople::ExactOrCreate,
                                Target::New(Some(event.id)),
                                Some(&mut batch),
                            )
                        })
                        .and_then(|_| {
                            Ok(tx.execute(
                                "UPDATE event SET version = ? WHERE id = ?",
                                [event.version, event.id],
                            )?)
                        });
                    if let Err(error) = written {
                        failure = Some(error);
                        return Err("copy failed".into());
                    }
                    events += 1;
                }
                progress(events);
                Ok(())
            });
            if let Some(error) = failure {
                return Err(error);
            }
            paged.map_err(|e| StoreError::CannotOpen {
                path: self.label.clone(),
                reason: e.to_string(),
            })?;
            batch.finish(tx)?;
            for prior in priors.values() {
                priors::put_prior(tx, prior, false)?;
            }
            for row in &changes {
                tx.execute(
                    "INSERT INTO undo_log (id, action, number, before, after, undone, at, author) \
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    db_params(row),
                )?;
            }
            Ok(Copied {
                events,
                people: people.len(),
                priors: priors.len(),
                changes: changes.len(),
            })
        })?;
        reading.commit()?;
        Ok(copied)
    }

    /// The log of changes as stored, oldest first.
    fn change_rows(&self) -> Result<Vec<Vec<Value>>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, action, number, before, after, undone, at, author FROM undo_log ORDER BY id",
        )?;
        let rows = stmt.query_map([], |r| (0..8).map(|i| r.get::<Value>(i)).collect())?;
        Ok(rows.collect::<super::db::Result<_>>()?)
    }
}

fn db_params(row: &[Value]) -> super::db::FromIter<std::slice::Iter<'_, Value>> {
    super::db::params_from_iter(row.iter())
}

fn refused(label: &str, why: &str) -> StoreError {
    StoreError::Invalid(Invalid::new(label, "", why))
}
