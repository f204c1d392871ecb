//! Imports through the store: a file's records checked against the record while reading only,
//! then written in one transaction through a batch that keeps the counts. The readers of files
//! (`interchange`) see records and outcomes, never SQL.

use crate::store::db::params;
use std::collections::HashMap;

use uuid::Uuid;

use super::db::{Conn, Optional, Tx};

use super::{Batch, Result, Store, StoreError, people, priors};
use crate::domain::duplicate::{Likeness, Seen};
use crate::domain::prior::Prior;
use crate::domain::{EventDraft, FuzzyDate, Invalid, Person};

/// What happened to one record on import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportOutcome {
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

/// A likely duplicate of a record a file brings (see `domain::duplicate`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Duplicate {
    /// An event on record.
    OnRecord {
        number: i64,
        date: FuzzyDate,
        title: String,
    },
    /// A record met before in the same file, by the place its reader gave it (a line, an
    /// index).
    InFile(u64),
}

/// Someone a file names: a person on record, or a name not on record yet.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Who {
    OnRecord(i64),
    New(String),
}

/// A record of a file met by the check: where it is, and what makes a later record the same
/// record rather than a duplicate of it.
#[derive(Debug, Clone, Copy)]
struct Met {
    at: u64,
    uuid: Option<Uuid>,
    /// For a record without an id, a hash of what `same_event` compares (date, title,
    /// participants): a second such record is already present once the first is imported.
    same: u64,
}

impl Met {
    fn of(draft: &EventDraft, at: u64) -> Met {
        use std::hash::{Hash, Hasher};
        let mut people: Vec<(String, &str)> = draft
            .participants
            .iter()
            .map(|p| (people::name_key(&p.name), p.side.code()))
            .collect();
        people.sort();
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        (draft.date, draft.title.trim(), people).hash(&mut hasher);
        Met {
            at,
            uuid: draft.uuid,
            same: hasher.finish(),
        }
    }

    /// Whether `self` and `other` are one record, which the import takes once.
    fn is(&self, other: &Met) -> bool {
        match (self.uuid, other.uuid) {
            (Some(mine), Some(theirs)) => mine == theirs,
            (None, None) => self.same == other.same,
            _ => false,
        }
    }
}

/// An import's first pass, reading only.
pub struct ImportCheck<'c> {
    conn: &'c Conn,
    /// Names met so far and whom they stand for on record, by name key: a file names the same
    /// few people in row after row.
    named: HashMap<String, Option<i64>>,
    /// Each person met, as a small number: a file's records are held in memory as these.
    people: HashMap<Who, u32>,
    /// The file's records met so far that will be imported.
    seen: Seen<u32, Met>,
}

impl ImportCheck<'_> {
    /// As `record`, and then the likely duplicates of a record `Importer::record` would
    /// import (nothing is said of one already present, or kept as on record): events on record,
    /// then records of the file met before; `at` is where this one is, as
    /// `Duplicate::InFile` names it to later ones. The same id twice in a file is one record,
    /// not a duplicate; so are two records without an id that the import takes as one (the
    /// same date, title and participants).
    pub fn record_with_duplicates(
        &mut self,
        draft: &EventDraft,
        on_conflict: OnConflict,
        at: u64,
    ) -> Result<Vec<Duplicate>> {
        let except = match on_record(self.conn, draft)? {
            OnRecord::Different(_) if on_conflict == OnConflict::Refuse => {
                return Err(conflict(draft));
            }
            OnRecord::Same => return Ok(Vec::new()),
            OnRecord::Different(_) if on_conflict == OnConflict::Skip => return Ok(Vec::new()),
            OnRecord::Different(number) => Some(number),
            OnRecord::Absent => None,
        };
        // Each participant once, in the draft's order, as `Likeness::of_draft` asks for them.
        let mut whos = Vec::with_capacity(draft.participants.len());
        for p in &draft.participants {
            let key = people::name_key(&p.name);
            let id = match self.named.get(&key) {
                Some(id) => *id,
                None => {
                    let id = people::exact_id(self.conn, &p.name)?;
                    self.named.insert(key.clone(), id);
                    id
                }
            };
            whos.push(id.map_or(Who::New(key), Who::OnRecord));
        }
        let mut on_record_ids = whos.iter().map(|who| match who {
            Who::OnRecord(id) => Some(*id),
            Who::New(_) => None,
        });
        let on_record = Likeness::of_draft(draft, |_| on_record_ids.next().flatten());
        let mut found: Vec<Duplicate> =
            super::duplicates::likely_duplicates(self.conn, &on_record, except)?
                .into_iter()
                .map(|event| Duplicate::OnRecord {
                    number: event.id,
                    date: event.date,
                    title: event.title,
                })
                .collect();
        let mut whos = whos.into_iter();
        let in_file = Likeness::of_draft(draft, |_| {
            let who = whos.next().unwrap_or(Who::New(String::new()));
            let next = u32::try_from(self.people.len()).unwrap_or(u32::MAX);
            *self.people.entry(who).or_insert(next)
        });
        let met = Met::of(draft, at);
        found.extend(
            self.seen
                .meet(in_file, met)
                .into_iter()
                .filter(|other| !other.is(&met))
                .map(|other| Duplicate::InFile(other.at)),
        );
        Ok(found)
    }

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
    /// The events on record when the import began, and the events it has written since.
    before: usize,
    written: usize,
    /// The indexes dropped once the import took the bulk path (`store::bulk`).
    dropped: Option<super::bulk::Dropped>,
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
    pub fn record(&mut self, draft: &EventDraft, on_conflict: OnConflict) -> Result<ImportOutcome> {
        Ok(self.record_at(draft, on_conflict)?.0)
    }

    /// As `record`, with the user's word on the event's trip as the file carries it: kept on
    /// the event when the record writes it.
    pub fn record_with_link(
        &mut self,
        draft: &EventDraft,
        on_conflict: OnConflict,
        link: Option<crate::domain::trip::Link>,
    ) -> Result<ImportOutcome> {
        let (outcome, written) = self.record_at(draft, on_conflict)?;
        if let (Some(event), Some(link)) = (written, link) {
            super::trips::set_link(self.tx, event, Some(link))?;
        }
        Ok(outcome)
    }

    /// What `record` did, and the number of the event it wrote, if it wrote one.
    fn record_at(
        &mut self,
        draft: &EventDraft,
        on_conflict: OnConflict,
    ) -> Result<(ImportOutcome, Option<i64>)> {
        match on_record(self.tx, draft)? {
            OnRecord::Same => Ok((ImportOutcome::AlreadyPresent, None)),
            OnRecord::Different(number) => match on_conflict {
                OnConflict::Refuse => Err(conflict(draft)),
                OnConflict::Skip => Ok((ImportOutcome::ConflictSkipped, None)),
                OnConflict::Replace => {
                    self.batch.replace_event(self.tx, number, draft)?;
                    Ok((ImportOutcome::Replaced, Some(number)))
                }
            },
            OnRecord::Absent => {
                let number = self.batch.insert_event(self.tx, draft)?;
                self.written += 1;
                if self.dropped.is_none() && super::bulk::due(self.tx, self.before, self.written) {
                    self.dropped = Some(super::bulk::drop_indexes(self.tx, number)?);
                    self.batch.bulk = true;
                }
                Ok((ImportOutcome::Imported, Some(number)))
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

/// The events on record, from the kept tally of kinds (every event has one kind), without
/// reading the events.
fn events_count(conn: &Conn) -> Result<usize> {
    Ok(conn.query_row(
        "SELECT CAST(coalesce(sum(events), 0) AS BIGINT) FROM tally WHERE dimension = 'kind'",
        [],
        |r| super::count_column(r, 0),
    )?)
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
        work: impl FnOnce(&mut ImportCheck) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        self.transaction(false, |tx| {
            work(&mut ImportCheck {
                conn: tx,
                named: HashMap::new(),
                people: HashMap::new(),
                seen: Seen::default(),
            })
        })
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
            super::writer::Announcer::new(self.conn.dialect(), self.label(), &author, work_name);
        let done = self.transaction(commit, |tx| {
            let before = people_count(tx)?;
            let mut importer = Importer {
                tx,
                batch: Batch::default(),
                before: events_count(tx)?,
                written: 0,
                dropped: None,
                what: String::new(),
                announcer: commit.then_some(&mut announcer),
            };
            let value = work(&mut importer)?;
            if let Some(dropped) = importer.dropped {
                dropped.restore(tx)?;
            }
            importer.batch.finish(tx)?;
            let created = people_count(tx)?.saturating_sub(before);
            // Logged for `attache log`, not undone: the subject is what `what` says.
            tx.execute(
                "INSERT INTO undo_log (action, number, after, at, author) VALUES ('import', 0, ?, ?, ?)",
                params![importer.what, chrono::Utc::now().to_rfc3339(), author],
            )
            .map_err(StoreError::from)?;
            Ok((value, created))
        });
        // The bulk path made the cache small (`bulk::drop_indexes`); the record's other work
        // wants it whole again, whether or not the import succeeded.
        self.conn
            .dialect()
            .bulk_in_little_memory(&self.conn, false)
            .map_err(StoreError::from)?;
        done
    }
}
