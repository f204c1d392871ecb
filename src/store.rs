//! The record's store, in a SQLite file or a PostgreSQL database: the `Store` type, its errors,
//! and the transactions every write goes through, waiting its turn for the write lock. Opening
//! (`sqlite`, `server`), reading (`events`, `filter`, `rows`) and saving (`save`) have files of
//! their own.

mod bulk;
mod copy;
mod counts;
pub(crate) mod db;
mod duplicates;
mod engine;
mod events;
mod filter;
mod history;
mod import;
mod people;
mod priors;
mod ranks;
mod rows;
mod save;
mod schema;
mod server;
mod sqlite;
mod together;
mod travels;
mod trips;
mod verify;
mod writer;

use std::path::PathBuf;
use std::time::Duration;

use db::{Begin, Conn, Tx};
// Reached by the other files here as `super::…`.
use events::{read_event, same_event};
use rows::{country_column, fuzzy_from, keyword, required_country};
use save::{Batch, Target, refresh_search_text, save_event, search_text};

use crate::domain::Invalid;

pub use copy::Copied;
pub use db::{DbError, Engine};
pub use events::{Depth, Order};
pub use filter::EventFilter;
pub use history::ChangeRecord;
pub use import::{Duplicate, ImportCheck, ImportOutcome, Importer, OnConflict};
pub use people::{
    MetMost, PersonMatch, PersonSummary, Reach, match_person, match_person_within, name_key,
};
pub use ranks::{KeptPlace, PageOrdinals};
pub(crate) use rows::count_column;
pub use save::{NewPeople, insert_event};
pub use schema::LATEST_VERSION;
pub use server::is_url as is_postgres_url;
pub use together::Together;
pub use trips::{SeveralSides, TripSummary};
pub use verify::{Checked, Finding, Part, Repair, Verification};
pub use writer::{Waiting, announcement_file};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(transparent)]
    Invalid(#[from] Invalid),
    #[error(
        "{path}: written by a newer version of attache (schema version {found}; this version knows up to {supported}); the file was not changed"
    )]
    TooNew {
        path: String,
        found: i64,
        supported: i64,
    },
    #[error("{path}: schema version {found} is not one attache writes; the file was not changed")]
    UnknownVersion { path: String, found: i64 },
    #[error(
        "{path}: schema migration {version} {how} this attache's: the file was changed by another build of attache; it was not changed now"
    )]
    MigrationsDiffer {
        path: String,
        version: i64,
        how: &'static str,
    },
    #[error(
        "{path}: its tables are not those of schema version {version}, which it says it is at ({differences}); the file was not changed"
    )]
    ShapeDiffers {
        path: String,
        version: i64,
        differences: String,
    },
    #[error("{path}: not an attache database (it holds other tables); the file was not changed")]
    Foreign { path: String },
    #[error("{path}: not a database file")]
    NotADatabase { path: String },
    #[error("{path}: cannot open the database: {reason}")]
    CannotOpen { path: String, reason: String },
    #[error("{path}: cannot reach the database server: {reason}")]
    Unreachable { path: String, reason: String },
    #[error("{path}: the database {why}; nothing was written")]
    ReadOnly { path: String, why: ReadOnlyBecause },
    #[error(
        "{path}: the database {why} and needs upgrading to schema version {supported}; open it once where it can be written"
    )]
    ReadOnlyOld {
        path: String,
        why: ReadOnlyBecause,
        supported: i64,
    },
    #[error(
        "{path}: {wal} holds changes not yet in the database, and the directory is read-only so they cannot be read; open it once where the directory is writable"
    )]
    UnreadableLog { path: String, wal: String },
    #[error("no event with id {0}")]
    NoSuchEvent(String),
    #[error(
        "#{number} was changed{} since version {expected} (it is at version {found} now); nothing was written",
        by.clone().unwrap_or_default()
    )]
    Changed {
        number: i64,
        expected: i64,
        found: i64,
        by: Option<String>,
    },
    #[error("no person with id {0}")]
    NoSuchPerson(String),
    #[error("unknown person \"{name}\"{}", suggestion.as_ref().map(|s| format!(" (did you mean \"{s}\"?)")).unwrap_or_default())]
    UnknownPerson {
        name: String,
        suggestion: Option<String>,
    },
    #[error("ambiguous name \"{name}\": could be {}", candidates.join(", "))]
    AmbiguousPerson {
        name: String,
        candidates: Vec<String>,
    },
    #[error(
        "{path}: {} kept the database locked for {waited} s while writing; nothing was written, try again (or wait longer with --wait SECONDS)",
        holder.as_deref().unwrap_or("another program")
    )]
    Busy {
        path: String,
        waited: u64,
        holder: Option<String>,
    },
    #[error("{path}: stopped waiting for {holder}; nothing was written")]
    StoppedWaiting { path: String, holder: String },
    // Not marked as the source: the message already carries the engine's, and `{:#}` would
    // print it twice.
    #[error("database error: {0}")]
    Database(DbError),
}

impl From<DbError> for StoreError {
    fn from(error: DbError) -> Self {
        StoreError::Database(error)
    }
}

/// Why a database is opened for reading only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadOnlyBecause {
    File,
    /// SQLite keeps its write-ahead log and lock files beside the database, so a directory that
    /// cannot be written leaves the file readable only.
    Directory(String),
}

impl std::fmt::Display for ReadOnlyBecause {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            ReadOnlyBecause::File => write!(f, "file is read-only"),
            ReadOnlyBecause::Directory(dir) => write!(f, "is in a read-only directory ({dir})"),
        }
    }
}

/// How long a write waits for another program's write to finish before giving up.
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// The user's name as the environment gives it, else as the operating system knows the user
/// (containers and cron set no USER), else "unknown".
fn default_author() -> String {
    ["USER", "LOGNAME", "USERNAME"]
        .iter()
        .find_map(|var| std::env::var(var).ok().filter(|v| !v.trim().is_empty()))
        .or_else(|| whoami::username().ok().filter(|v| !v.trim().is_empty()))
        .unwrap_or_else(|| "unknown".to_string())
}

/// A lock held past the busy timeout reads as another program writing, not as a broken store.
fn busy_or(path: &str, error: DbError) -> StoreError {
    if error.refusal() == Some(db::Refusal::Busy) {
        StoreError::Busy {
            path: path.to_string(),
            waited: BUSY_TIMEOUT.as_secs(),
            holder: None,
        }
    } else {
        error.into()
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// Any error from a callback while streaming events: the store's, or the writer's.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

pub struct Store {
    conn: Conn,
    label: String,
    read_only: Option<ReadOnlyBecause>,
    /// Who makes the changes written through this store: the log says so, and undo takes back
    /// their own changes only.
    author: String,
    /// Said when opening upgraded the schema: from which version to which, and where the copy
    /// of a SQLite file as it was is kept (a PostgreSQL database is copied by `pg_dump` first,
    /// as the README advises).
    pub upgraded: Option<String>,
    /// How long a write waits for another writer to finish before giving up.
    wait: Duration,
    /// Told, while a write waits, what it waits for; answers whether to go on waiting.
    on_wait: Option<WaitReport>,
    /// Whether `on_wait` may stop a wait; when it cannot, a PostgreSQL writer, once it has said
    /// what it waits for, keeps its place in the server's queue to the end.
    wait_stoppable: bool,
    /// The PostgreSQL address as given (with its password), to connect again after the server
    /// went away.
    address: Option<String>,
    /// The regions a published count of visits or trips may name: the shipped ones, and the
    /// user's once the caller has read them from the configuration.
    regions: crate::domain::region::Regions,
}

/// What a waiting writer calls each time it finds the lock still held: `false` stops waiting.
pub type WaitReport = Box<dyn FnMut(&Waiting) -> bool + Send>;

/// How long a command waits for another writer by default: scripts want an answer soon.
pub const DEFAULT_WAIT: Duration = Duration::from_secs(5);

/// How often a waiting writer tries the lock again and says what it waits for.
const WAIT_POLL: Duration = Duration::from_millis(200);

/// The shortest try for the lock: even a wait of 0 s tries once.
const WAIT_LEAST: Duration = Duration::from_millis(1);

/// How long a writer waits before it says what it waits for.
const WAIT_TOLD_AFTER: Duration = Duration::from_millis(800);

impl Store {
    /// Changes whenever another connection commits to the file: how the interface notices an
    /// `attache add` run from another shell.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self.conn.changes_by_others()?)
    }

    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row(self.conn.dialect().schema_version(), [], |r| r.get(0))?)
    }

    /// Which engine holds the record.
    pub fn engine(&self) -> Engine {
        self.conn.engine()
    }

    pub fn label(&self) -> &str {
        &self.label
    }

    /// How long a write waits for another writer (`--wait`), what it is told meanwhile, and
    /// whether it may be told to stop (someone at the keyboard) or only informed (a script).
    pub fn set_wait(&mut self, wait: Duration, on_wait: Option<WaitReport>, stoppable: bool) {
        self.wait = wait;
        self.on_wait = on_wait;
        self.wait_stoppable = stoppable;
    }

    /// Whether the connection to the database server was lost: it stopped or restarted. A file
    /// is never lost this way.
    pub fn connection_lost(&self) -> bool {
        self.conn.is_closed()
    }

    /// Connects to the server again after the connection was lost, keeping who writes and how
    /// long writes wait.
    pub fn reconnect(&mut self) -> Result<()> {
        let Some(address) = self.address.clone() else {
            return Ok(());
        };
        self.conn = Store::open_postgres(&address)?.conn;
        Ok(())
    }

    /// What the writer holding the lock says of itself, if one does.
    pub fn current_writer(&self) -> Option<String> {
        writer::current_writer(&self.conn, &self.label)
    }

    /// The regions counts are checked against from now on (the user's `[regions]` with the
    /// shipped ones).
    pub fn set_regions(&mut self, regions: crate::domain::region::Regions) {
        self.regions = regions;
    }

    pub fn regions(&self) -> &crate::domain::region::Regions {
        &self.regions
    }

    /// Names who makes the changes from now on (`--as`, `ATTACHE_USER`).
    pub fn set_author(&mut self, name: &str) {
        let name = name.trim();
        if !name.is_empty() {
            self.author = name.to_string();
        }
    }

    pub fn author(&self) -> &str {
        &self.author
    }

    /// Runs `work` in one transaction: all of it is written or none.
    fn write<T>(&mut self, work: impl FnOnce(&Tx) -> Result<T>) -> Result<T> {
        self.transaction(true, work)
    }

    /// Runs `work` in one transaction, committed when `commit` is set and `work` succeeds, and
    /// otherwise rolled back: a dry run sees every check a real run would make.
    fn transaction<T, E: From<StoreError>>(
        &mut self,
        commit: bool,
        work: impl FnOnce(&Tx) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        let why = self.read_only.clone().unwrap_or(ReadOnlyBecause::File);
        let path = self.label.clone();
        let read_only = || StoreError::ReadOnly {
            path: path.clone(),
            why: why.clone(),
        };
        if self.read_only.is_some() && commit {
            return Err(read_only().into());
        }
        // A write takes the write lock at once, so that it waits its turn (the busy timeout)
        // instead of failing when a reader in it upgrades while another program writes.
        let begin = if commit { Begin::Write } else { Begin::Trial };
        let label = self.label.clone();
        let refused = |e: DbError| match e.refusal() {
            Some(db::Refusal::ReadOnly) => read_only(),
            _ => busy_or(&label, e),
        };
        let tx = if commit {
            self.begin_write().map_err(|e| match e {
                StoreError::Database(db) => refused(db),
                other => other,
            })?
        } else {
            self.conn.begin(begin).map_err(refused)?
        };
        let value = work(&tx)?;
        if commit {
            ranks::settle(&tx)?;
            tx.commit().map_err(refused)?;
        }
        Ok(value)
    }

    /// Takes the write lock, waiting up to `wait` for another writer and telling `on_wait`
    /// what it waits for.
    fn begin_write(&mut self) -> Result<Tx<'_>> {
        let started = std::time::Instant::now();
        let conn = &self.conn;
        let mut told = false;
        loop {
            let left = self.wait.saturating_sub(started.elapsed());
            let slice = conn
                .dialect()
                .write_slice(told, self.wait_stoppable, left)
                .min(left)
                .max(WAIT_LEAST);
            let taken = conn.try_begin_write(slice, BUSY_TIMEOUT)?;
            let waited = started.elapsed();
            let over = taken.is_some() || waited >= self.wait;
            // Writers taking turns wait moments; only a longer wait is worth a word.
            if !over && waited < WAIT_TOLD_AFTER {
                continue;
            }
            let holder = match over {
                true => None,
                false => writer::current_writer(conn, &self.label),
            };
            let waiting = Waiting {
                holder,
                waited,
                limit: self.wait,
                over,
            };
            let go_on = match self.on_wait.as_mut() {
                Some(report) if told || !over => report(&waiting),
                _ => true,
            };
            told = true;
            if let Some(tx) = taken {
                return Ok(tx);
            }
            if over {
                return Err(StoreError::Busy {
                    path: self.label.clone(),
                    waited: self.wait.as_secs(),
                    holder: writer::current_writer(conn, &self.label),
                });
            }
            if !go_on {
                return Err(StoreError::StoppedWaiting {
                    path: self.label.clone(),
                    holder: waiting
                        .holder
                        .unwrap_or_else(|| "another program".to_string()),
                });
            }
        }
    }
}

/// The path the database lives at unless told otherwise: the platform's data directory.
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "attache").map(|d| d.data_dir().join("attache.db"))
}

#[cfg(test)]
mod tests;
