//! Imports through the store: a file's records checked against the record while reading only,
//! then written in one transaction through a batch that keeps the counts. The readers of files
//! (`interchange`) see records and outcomes, never SQL.

use super::db::{Conn, Optional, Tx};

use super::{Batch, NewPeople, Result, Store, StoreError, people, priors};
use crate::domain::prior::Prior;
use crate::domain::{EventDraft, Invalid, Person};

/// What happened to one record on import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Imported,
    AlreadyPresent,
    /// The id was on record with other content, which the record replaced.
    Replaced,
    /// The id was on record with other content, which was kept.
    ConflictSkipped,
}

/// What an import does with a record whose id is on record with different content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OnConflict {
    /// Refuse the whole import, naming the record.
    #[default]
    Refuse,
    /// Keep what is on record.
    Skip,
    /// Replace what is on record with the file's.
    Replace,
}

/// What is on record for a draft's id.
enum OnRecord {
    Absent,
    Same,
    /// The id is on record, as this event number, with other content.
    Different(i64),
}

fn on_record(conn: &Conn, draft: &EventDraft) -> Result<OnRecord> {
    if let Some(uuid) = &draft.uuid {
        let known: Option<i64> = conn
            .prepare_cached("SELECT id FROM event WHERE uuid = ?")?
            .query_row([uuid.to_string()], |r| r.get(0))
            .optional()?;
        return Ok(match known {
            None => OnRecord::Absent,
            Some(number) if draft.describes(&super::read_event(conn, number)?) => OnRecord::Same,
            Some(number) => OnRecord::Different(number),
        });
    }
    Ok(match super::same_event(conn, draft)? {
        Some(_) => OnRecord::Same,
        None => OnRecord::Absent,
    })
}

fn conflict(draft: &EventDraft) -> StoreError {
    let id = draft.uuid.map(|u| u.to_string()).unwrap_or_default();
    StoreError::Invalid(Invalid::new(
        "id",
        &id,
        "exists with different content; --on-conflict skip keeps it, replace takes the file's",
    ))
}

/// An import's first pass, reading only.
pub struct ImportCheck<'c> {
    conn: &'c Conn,
}

impl ImportCheck<'_> {
    /// Refuses a record that `Importer::record` would refuse.
    pub fn record(&self, draft: &EventDraft, on_conflict: OnConflict) -> Result<()> {
        if on_conflict != OnConflict::Refuse || draft.uuid.is_none() {
            return Ok(());
        }
        match on_record(self.conn, draft)? {
            OnRecord::Different(_) => Err(conflict(draft)),
            OnRecord::Absent | OnRecord::Same => Ok(()),
        }
    }
}

/// An import's writing pass: one transaction, its counts kept in a batch until the end.
pub struct Importer<'a, 'b> {
    tx: &'a Tx<'b>,
    batch: Batch,
    /// What the log says was imported: "events.csv: 26 events".
    pub what: String,
    /// What the import says of itself to writers waiting for it (none for a dry run, which
    /// holds no lock).
    announcer: Option<&'a mut super::writer::Announcer>,
}

impl Importer<'_, '_> {
    /// Says how far the import has come (`done` of `total` bytes or records), for writers
    /// waiting for it.
    pub fn progress(&mut self, done: u64, total: u64) {
        if let Some(announcer) = &mut self.announcer {
            announcer.progress(self.tx, done, total);
        }
    }

    /// Saves one record unless the same event is already present: the same id, or for a record
    /// without one, the same date, title and participants. A known id with other content is a
    /// conflict, settled by `on_conflict`.
    pub fn record(&mut self, draft: &EventDraft, on_conflict: OnConflict) -> Result<Outcome> {
        match on_record(self.tx, draft)? {
            OnRecord::Same => Ok(Outcome::AlreadyPresent),
            OnRecord::Different(number) => match on_conflict {
                OnConflict::Refuse => Err(conflict(draft)),
                OnConflict::Skip => Ok(Outcome::ConflictSkipped),
                OnConflict::Replace => {
                    super::replace_event(self.tx, number, draft, NewPeople::ExactOrCreate)?;
                    Ok(Outcome::Replaced)
                }
            },
            OnRecord::Absent => {
                self.batch.insert_event(self.tx, draft)?;
                Ok(Outcome::Imported)
            }
        }
    }

    /// A person as a file gives them: a new name creates them; a known one (by any of their
    /// names) gets what the record lacks, and nothing recorded is overwritten.
    pub fn person(&mut self, person: &Person) -> Result<()> {
        match people::person_id_by_name(self.tx, &person.name)? {
            None => {
                people::create_person(self.tx, person)?;
            }
            Some(id) => people::fill_in_person(self.tx, id, person)?,
        }
        Ok(())
    }

    /// The person with exactly this name (or another name of theirs).
    pub fn person_id(&self, name: &str) -> Result<Option<i64>> {
        people::person_id_by_name(self.tx, name)
    }

    /// Records a prior count unless one is recorded for its series already.
    pub fn prior(&mut self, prior: &Prior) -> Result<()> {
        priors::put_prior(self.tx, prior, false).map(drop)
    }
}

fn people_count(conn: &Conn) -> Result<usize> {
    Ok(conn.query_row("SELECT count(*) FROM person", [], |r| {
        super::count_column(r, 0)
    })?)
}

impl Store {
    /// Runs an import's first pass, which reads only: a bad file is refused without keeping
    /// another program from writing.
    pub fn check_import<T, E: From<StoreError>>(
        &mut self,
        work: impl FnOnce(&ImportCheck) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        self.transaction(false, |tx| work(&ImportCheck { conn: tx }))
    }

    /// Runs an import's writing pass in one transaction, committed when `commit` is set and
    /// `work` succeeds: a dry run sees every check a real run would make. Returns what `work`
    /// returned and how many people the import created.
    /// `work_name` ("import of events.csv") is what waiting writers are told.
    pub fn import<T, E: From<StoreError>>(
        &mut self,
        commit: bool,
        work_name: &str,
        work: impl FnOnce(&mut Importer) -> std::result::Result<T, E>,
    ) -> std::result::Result<(T, usize), E> {
        let author = self.author().to_string();
        // Kept until the transaction has ended: settling the counts and committing are part
        // of what others wait for.
        let mut announcer =
            super::writer::Announcer::new(self.engine(), self.label(), &author, work_name);
        self.transaction(commit, |tx| {
            let before = people_count(tx)?;
            let mut importer = Importer {
                tx,
                batch: Batch::default(),
                what: String::new(),
                announcer: commit.then_some(&mut announcer),
            };
            let value = work(&mut importer)?;
            importer.batch.finish(tx)?;
            let created = people_count(tx)?.saturating_sub(before);
            // Logged for `attache log`, not undone: the subject is what `what` says.
            tx.execute(
                "INSERT INTO undo_log (action, number, after, at, author) VALUES ('import', 0, ?, ?, ?)",
                rusqlite::params![importer.what, chrono::Utc::now().to_rfc3339(), author],
            )
            .map_err(StoreError::from)?;
            Ok((value, created))
        })
    }
}
