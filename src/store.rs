//! The SQLite store: opening (pragmas, migrations, refusing files it must not touch), writes in
//! transactions, and queries that read a page at a time through indexes.

mod copy;
mod counts;
pub(crate) mod db;
mod history;
mod import;
mod people;
mod priors;
mod ranks;
mod schema;
mod server;
mod verify;
mod writer;

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::NaiveDate;
use rusqlite::{Connection, OpenFlags, params};
use uuid::Uuid;

use db::{Begin, Conn, Optional, Row, Tx, Value};

use crate::domain::{
    Country, Event, EventDraft, FuzzyDate, Invalid, Kind, Mode, Participant, Place, Precision,
    Source, Status,
};

pub use copy::Copied;
pub use db::{DbError, Engine};
pub use history::ChangeRecord;
pub use import::{ImportCheck, Importer, OnConflict, Outcome};
pub use people::{MetMost, PersonMatch, PersonSummary, match_person, name_key};
pub use ranks::KeptPlace;
pub use schema::LATEST_VERSION;
pub use server::is_url as is_postgres_url;
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

impl From<rusqlite::Error> for StoreError {
    fn from(error: rusqlite::Error) -> Self {
        StoreError::Database(error.into())
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

/// Whether this process may create files in `dir`. Root may write anywhere, but a directory
/// without write permission for anyone is honoured as read-only, as a read-only file is.
fn writable_directory(dir: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let Ok(c_path) = std::ffi::CString::new(dir.as_os_str().as_bytes()) else {
        return false;
    };
    // SAFETY: `c_path` is a valid NUL-terminated string that outlives the call.
    let allowed = unsafe { libc::access(c_path.as_ptr(), libc::W_OK) } == 0;
    allowed && std::fs::metadata(dir).is_ok_and(|m| !m.permissions().readonly())
}

/// How long a write waits for another program's write to finish before giving up.
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// A count read from a row: SQLite's integers are signed, counts are not.
pub(crate) fn count_column(row: &Row, index: usize) -> db::Result<usize> {
    let n: i64 = row.get(index)?;
    usize::try_from(n).map_err(|e| DbError::conversion(index, e))
}

/// `wanted`, or `wanted.1`, `wanted.2`… where that exists.
fn free_name(wanted: &str) -> PathBuf {
    let mut path = PathBuf::from(wanted);
    let mut n = 1;
    while path.exists() {
        path = PathBuf::from(format!("{wanted}.{n}"));
        n += 1;
    }
    path
}

/// Refuses a database whose recorded migrations are not this program's, before anything is
/// written to it.
fn verify_migrations(conn: &Conn, path: &str, version: i64) -> Result<()> {
    let Ok(recorded_from) = i64::try_from(schema::RECORDED_MIGRATIONS) else {
        return Ok(());
    };
    if version < recorded_from {
        return Ok(());
    }
    let recorded: std::collections::HashMap<i64, String> = conn
        .prepare("SELECT version, hash FROM schema_migration")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<db::Result<_>>()?;
    for (index, sql) in schema::MIGRATIONS.iter().enumerate() {
        let Ok(number) = i64::try_from(index + 1) else {
            break;
        };
        if number > version {
            break;
        }
        let how = match recorded.get(&number) {
            None => "is not recorded as applied, unlike",
            Some(hash) if *hash != schema::migration_hash(sql) => {
                "recorded in the database differs from"
            }
            Some(_) => continue,
        };
        return Err(StoreError::MigrationsDiffer {
            path: path.to_string(),
            version: number,
            how,
        });
    }
    Ok(())
}

/// A SQLite database's tables as `table.column`, and its indexes as `index NAME`: what a
/// migration expects to find.
fn shape(conn: &Connection) -> rusqlite::Result<std::collections::BTreeSet<String>> {
    let mut shape = std::collections::BTreeSet::new();
    let objects: Vec<(String, String)> = conn
        .prepare("SELECT type, name FROM sqlite_master WHERE type IN ('table', 'index') AND name NOT LIKE 'sqlite_%'")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (kind, name) in objects {
        if kind == "index" {
            shape.insert(format!("index {name}"));
            continue;
        }
        let columns: Vec<String> = conn
            .prepare("SELECT name FROM pragma_table_info(?)")?
            .query_map([&name], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        shape.extend(columns.into_iter().map(|column| format!("{name}.{column}")));
    }
    Ok(shape)
}

/// Refuses a file whose tables are not those of the schema version it records (a version set
/// back by hand, or by another program): migrating it would fail half-way, or worse, succeed.
fn check_shape(conn: &Connection, path: &str, version: i64) -> Result<()> {
    let expected = Connection::open_in_memory()?;
    let steps = usize::try_from(version).unwrap_or(0);
    for sql in &schema::MIGRATIONS[..steps.min(schema::MIGRATIONS.len())] {
        expected.execute_batch(sql)?;
    }
    let (found, expected) = (shape(conn)?, shape(&expected)?);
    if found == expected {
        return Ok(());
    }
    let mut differences: Vec<String> = found
        .difference(&expected)
        .map(|extra| format!("{extra} is not in version {version}"))
        .chain(
            expected
                .difference(&found)
                .map(|missing| format!("{missing} is missing")),
        )
        .collect();
    let more = differences.len().saturating_sub(3);
    differences.truncate(3);
    if more > 0 {
        differences.push(format!("{more} more"));
    }
    Err(StoreError::ShapeDiffers {
        path: path.to_string(),
        version,
        differences: differences.join("; "),
    })
}

/// Why a file could not be opened, in the user's words rather than the system's error number.
fn io_reason(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => error.to_string(),
    }
}

/// The operating system's name for the user, or "unknown".
fn default_author() -> String {
    ["USER", "LOGNAME", "USERNAME"]
        .iter()
        .find_map(|var| std::env::var(var).ok().filter(|v| !v.trim().is_empty()))
        .unwrap_or_else(|| "unknown".to_string())
}

/// `file:` URI opening `path` as immutable, its characters percent-encoded where URIs need it.
fn immutable_uri(path: &Path) -> std::io::Result<String> {
    let absolute = std::path::absolute(path)?;
    let mut uri = String::from("file:");
    for byte in absolute.as_os_str().as_encoded_bytes() {
        match byte {
            b'/' | b'-' | b'_' | b'.' | b'~' | b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' => {
                uri.push(char::from(*byte));
            }
            _ => uri.push_str(&format!("%{byte:02X}")),
        }
    }
    uri.push_str("?immutable=1");
    Ok(uri)
}

/// Creates an empty database file readable by its owner only: a record of sources and notes is
/// private unless its owner shares it. SQLite gives its side files the same mode.
fn create_private(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map(drop)
}

/// A lock held past the busy timeout reads as another program writing, not as a broken store.
fn busy_or(path: &str, error: DbError) -> StoreError {
    let busy = matches!(
        error.sqlite_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    ) || error.postgres_code() == Some(&postgres::error::SqlState::LOCK_NOT_AVAILABLE);
    if busy {
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

/// Which events to read. Every condition must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventFilter {
    /// Each of these people took part.
    pub people: Vec<i64>,
    /// Held in this country.
    pub country: Option<Country>,
    /// One of the sides is this country.
    pub side: Option<Country>,
    pub kind: Option<Kind>,
    pub mode: Option<Mode>,
    pub status: Option<Status>,
    /// Starting no earlier than this date's first day.
    pub from: Option<FuzzyDate>,
    /// Starting no later than this date's last day.
    pub to: Option<FuzzyDate>,
    /// Each of these phrases appears in the title, place, venue or a participant's name,
    /// ignoring case.
    pub search: Vec<String>,
}

impl EventFilter {
    /// The one search this filter asks for, lower-cased, when it asks for nothing else and the
    /// index can answer it (three characters or more).
    fn only_search(&self) -> Option<String> {
        match self.search.as_slice() {
            [text] if text.trim().chars().count() >= 3 && !text.contains('\0') => {
                let rest = EventFilter {
                    search: Vec::new(),
                    ..self.clone()
                };
                (rest == EventFilter::default()).then(|| text.trim().to_lowercase())
            }
            _ => None,
        }
    }

    /// The one person this filter asks for, when it asks for nothing else.
    fn only_person(&self) -> Option<i64> {
        match self.people.as_slice() {
            [person] => {
                let rest = EventFilter {
                    people: Vec::new(),
                    ..self.clone()
                };
                (rest == EventFilter::default()).then_some(*person)
            }
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Order {
    #[default]
    OldestFirst,
    NewestFirst,
}

/// How names given for participants become people.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewPeople {
    /// Resolve names as on the command line (surname, prefix); an unknown name is an error.
    Refuse,
    /// Resolve names as on the command line; an unknown name becomes a new person.
    Create,
    /// Match the full name exactly (ignoring case), else create: for files, where "Putin" must
    /// not silently become "Vladimir Putin".
    ExactOrCreate,
}

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

const EVENT_COLUMNS: &str = "e.id, e.uuid, e.date_first, e.precision, e.circa, e.end_first, \
     e.end_precision, e.title, e.kind, e.mode, e.status, e.city, e.country, e.venue, e.notes, \
     e.version";

impl Store {
    /// Opens or creates the database at `path`. A file that is not attache's, or was written by a
    /// newer attache, is refused before anything is written to it. A file without write
    /// permission, or in a directory without it, is opened read-only, even for root.
    pub fn open(path: &Path) -> Result<Store> {
        let label = path.display().to_string();
        let cannot_open = |reason: String| StoreError::CannotOpen {
            path: label.clone(),
            reason,
        };
        let metadata = match std::fs::metadata(path) {
            Ok(metadata) => Some(metadata),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => None,
            Err(error) => return Err(cannot_open(io_reason(&error))),
        };
        // SQLite would open a device or a pipe as if it were a file, and leave a journal beside
        // it; a database is a regular file.
        if let Some(kind) = metadata.as_ref().and_then(crate::paths::irregular_kind) {
            return Err(cannot_open(format!("it is {kind}, not a database file")));
        }
        let Some(metadata) = metadata else {
            create_private(path).map_err(|e| cannot_open(e.to_string()))?;
            let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
            let conn =
                Connection::open_with_flags(path, flags).map_err(|e| cannot_open(e.to_string()))?;
            return Store::prepare(conn, label, None);
        };
        // Asked first, so that the user reads why, not SQLite's words for it (nor the address
        // it was opened by).
        if let Err(error) = std::fs::File::open(path) {
            return Err(cannot_open(io_reason(&error)));
        }
        let dir = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let read_only = if metadata.permissions().readonly() {
            Some(ReadOnlyBecause::File)
        } else if !writable_directory(&dir) {
            Some(ReadOnlyBecause::Directory(dir.display().to_string()))
        } else {
            None
        };
        let Some(why) = read_only else {
            let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
            let conn =
                Connection::open_with_flags(path, flags).map_err(|e| cannot_open(e.to_string()))?;
            return Store::prepare(conn, label, None);
        };
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let wal = PathBuf::from(format!("{label}-wal"));
        let pending_log = std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0);
        // A write-ahead-log database is read through a shared-memory file beside it, which a
        // read-only directory cannot hold: there it opens as immutable (nobody can be writing
        // it), unless its log holds changes, which only a normal reader sees.
        if why == ReadOnlyBecause::File || pending_log {
            let conn =
                Connection::open_with_flags(path, flags).map_err(|e| cannot_open(e.to_string()))?;
            let readable = conn.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(()));
            match readable {
                Ok(()) => return Store::prepare(conn, label, Some(why)),
                Err(_) if pending_log => {
                    return Err(StoreError::UnreadableLog {
                        path: label,
                        wal: wal.display().to_string(),
                    });
                }
                Err(_) => {}
            }
        }
        let uri = immutable_uri(path).map_err(|e| cannot_open(e.to_string()))?;
        let conn = Connection::open_with_flags(uri, flags | OpenFlags::SQLITE_OPEN_URI)
            .map_err(|e| cannot_open(e.to_string()))?;
        Store::prepare(conn, label, Some(why))
    }

    pub fn open_in_memory() -> Result<Store> {
        Store::prepare(Connection::open_in_memory()?, ":memory:".into(), None)
    }

    fn prepare(
        conn: Connection,
        label: String,
        read_only: Option<ReadOnlyBecause>,
    ) -> Result<Store> {
        let not_a_database = |e: rusqlite::Error| match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::NotADatabase) => StoreError::NotADatabase {
                path: label.clone(),
            },
            _ => StoreError::CannotOpen {
                path: label.clone(),
                reason: e.to_string(),
            },
        };
        // Read-only checks come first: nothing may touch a file that is not ours to change.
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(not_a_database)?;
        let application_id: i64 = conn
            .query_row("PRAGMA application_id", [], |r| r.get(0))
            .map_err(not_a_database)?;
        let tables: i64 = conn
            .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
            .map_err(not_a_database)?;
        let foreign = (application_id != 0 && application_id != schema::APPLICATION_ID)
            || (application_id == 0 && tables > 0);
        if foreign {
            return Err(StoreError::Foreign { path: label });
        }
        // A negative version is none that attache writes; migrating from it would skip every
        // migration.
        if version < 0 {
            return Err(StoreError::UnknownVersion {
                path: label,
                found: version,
            });
        }
        if version > LATEST_VERSION {
            return Err(StoreError::TooNew {
                path: label,
                found: version,
                supported: LATEST_VERSION,
            });
        }
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // SQLite's default page cache is 2 MB; a million events' indexes want more to stay fast.
        conn.pragma_update(None, "cache_size", -64 * 1024)?;
        conn.pragma_update(None, "foreign_keys", true)?;
        // The series and events a write marks live in temporary tables with their own cache;
        // a million-event import marks a million, which may spill to a file rather than grow.
        conn.pragma_update(Some("temp"), "cache_size", -4 * 1024)?;
        let sqlite = conn;
        let conn = Conn::Sqlite(sqlite);
        verify_migrations(&conn, &label, version)?;
        let Conn::Sqlite(sqlite) = &conn else {
            unreachable!("opened as SQLite above");
        };
        if let Some(why) = &read_only {
            if version < LATEST_VERSION {
                return Err(StoreError::ReadOnlyOld {
                    path: label,
                    why: why.clone(),
                    supported: LATEST_VERSION,
                });
            }
        } else {
            sqlite.pragma_update(None, "journal_mode", "WAL")?;
            sqlite.pragma_update(None, "synchronous", "NORMAL")?;
        }
        let mut store = Store {
            conn,
            label,
            read_only,
            author: default_author(),
            upgraded: None,
            wait: DEFAULT_WAIT,
            on_wait: None,
            wait_stoppable: false,
            address: None,
        };
        // Migrations write through the temporary tables too.
        store
            .conn
            .execute_batch(ranks::dirty_tables(Engine::Sqlite))?;
        store.migrate(version)?;
        Ok(store)
    }

    fn migrate(&mut self, from: i64) -> Result<()> {
        // A file holding data is copied before its schema changes, so that an upgrade can be
        // undone by hand and a newer attache's file never costs an older one's data.
        if from >= LATEST_VERSION {
            return Ok(());
        }
        if let Conn::Sqlite(sqlite) = &self.conn
            && from > 0
        {
            check_shape(sqlite, &self.label, from)?;
        }
        let file = self.label != ":memory:";
        let mut copy = None;
        if file && from > 0 {
            let kept = free_name(&format!("{}.schema-{from}.bak", self.label));
            self.backup(&kept)?;
            copy = Some(kept);
        }
        let migrated = self.apply_migrations(from);
        match (&copy, migrated) {
            (Some(copy), Ok(())) => {
                self.upgraded = Some(format!(
                    "upgraded {} from schema version {from} to {LATEST_VERSION}; the file as it was is kept as {}",
                    self.label,
                    copy.display()
                ));
                Ok(())
            }
            (_, Ok(())) => Ok(()),
            // Every step is in one transaction: the file is as it was, and its copy is not
            // needed (nor left to pile up on every try).
            (copy, Err(error)) => {
                if let Some(copy) = copy {
                    let _ = std::fs::remove_file(copy);
                }
                Err(error)
            }
        }
    }

    /// Applies the migrations after `from`, all in one transaction.
    fn apply_migrations(&mut self, from: i64) -> Result<()> {
        let label = self.label.clone();
        let tx = self
            .conn
            .begin(Begin::Write)
            .map_err(|e| busy_or(&label, e))?;
        let done = usize::try_from(from).unwrap_or(0);
        for (index, sql) in schema::MIGRATIONS.iter().enumerate().skip(done) {
            tx.execute_batch(sql)?;
            if index + 1 == schema::SERIES_PLACES {
                ranks::rebuild(&tx)?;
            }
            if index + 1 == schema::PERSON_NAMES {
                people::key_names(&tx)?;
            }
            let version = index + 1;
            if version >= schema::RECORDED_MIGRATIONS {
                let now = chrono::Utc::now().to_rfc3339();
                // The migrations before the table existed are recorded with it; when they ran
                // is known only if it was now.
                let first = if version == schema::RECORDED_MIGRATIONS {
                    1
                } else {
                    version
                };
                for recorded in first..=version {
                    let applied_at = (recorded > done).then_some(now.as_str());
                    tx.execute(
                        "INSERT INTO schema_migration (version, hash, applied_at) VALUES (?, ?, ?)",
                        params![
                            i64::try_from(recorded).unwrap_or(i64::MAX),
                            schema::migration_hash(schema::MIGRATIONS[recorded - 1]),
                            applied_at
                        ],
                    )?;
                }
            }
            schema::set_version(&tx, index as i64 + 1)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Writes a consistent copy of the database to `to` while other programs may be using it
    /// (SQLite's online backup): into a temporary file beside it, renamed when whole, readable
    /// by its owner only. An existing file is not replaced.
    pub fn backup(&self, to: &Path) -> Result<()> {
        use std::os::unix::fs::PermissionsExt;
        let refuse = |reason: &str| {
            StoreError::Invalid(Invalid::new("backup", &to.display().to_string(), reason))
        };
        if to.exists() {
            return Err(refuse("the file exists; choose another name"));
        }
        let dir = match to.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let temp = tempfile::Builder::new()
            .prefix(".attache-backup")
            .tempfile_in(&dir)
            .map_err(|e| refuse(&format!("cannot write in {}: {}", dir.display(), e.kind())))?;
        std::fs::set_permissions(temp.path(), std::fs::Permissions::from_mode(0o600))
            .map_err(|e| refuse(&e.to_string()))?;
        let Conn::Sqlite(conn) = &self.conn else {
            return Err(refuse(
                "a PostgreSQL database is backed up with pg_dump or the server's own backups",
            ));
        };
        conn.backup(
            rusqlite::MAIN_DB,
            temp.path(),
            None::<fn(rusqlite::backup::Progress)>,
        )?;
        temp.persist_noclobber(to)
            .map_err(|e| refuse(&format!("cannot write: {}", e.error.kind())))?;
        Ok(())
    }

    /// Changes whenever another connection commits to the file: how the interface notices an
    /// `attache add` run from another shell.
    pub fn data_version(&self) -> Result<i64> {
        match &self.conn {
            Conn::Sqlite(_) => Ok(self
                .conn
                .query_row("PRAGMA data_version", [], |r| r.get(0))?),
            Conn::Postgres(pg) => Ok(pg.changes_by_others()?),
        }
    }

    pub fn schema_version(&self) -> Result<i64> {
        let sql = match self.conn.engine() {
            Engine::Sqlite => "PRAGMA user_version",
            Engine::Postgres => "SELECT version FROM attache_schema",
        };
        Ok(self.conn.query_row(sql, [], |r| r.get(0))?)
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
        match &self.conn {
            Conn::Postgres(pg) => pg.is_closed(),
            Conn::Sqlite(_) => false,
        }
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
        let refused = |e: DbError| match e.sqlite_code() {
            Some(rusqlite::ErrorCode::ReadOnly) => read_only(),
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
        // A PostgreSQL writer leaves the server's queue for the lock each time it stops to
        // report, and joins again at its end: it stays in long enough for a queue of writers to
        // pass (with 200 ms, eight writers at once left some waiting past any limit), and once
        // it has said what it waits for, unless someone may stop it, to the end of its wait.
        let poll = |told: bool, left: Duration| match conn.engine() {
            Engine::Sqlite => WAIT_POLL,
            Engine::Postgres if told && !self.wait_stoppable => left,
            Engine::Postgres if told => 10 * WAIT_POLL,
            Engine::Postgres => WAIT_TOLD_AFTER,
        };
        loop {
            let left = self.wait.saturating_sub(started.elapsed());
            let slice = poll(told, left).min(left).max(WAIT_LEAST);
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

    pub fn event_count(&self, filter: &EventFilter) -> Result<usize> {
        if *filter == EventFilter::default() {
            // From the kept tally: every event has one kind.
            return Ok(self.conn.query_row(
                "SELECT coalesce(sum(events), 0) FROM tally WHERE dimension = 'kind'",
                [],
                |r| count_column(r, 0),
            )?);
        }
        if let Some(text) = filter.only_search() {
            // Counted in the index alone, without reading the events.
            let (sql, pattern) = match self.conn.engine() {
                Engine::Sqlite => (
                    "SELECT count(*) FROM event_search WHERE event_search MATCH ?",
                    fts_phrase(&text),
                ),
                Engine::Postgres => (
                    "SELECT count(*) FROM event WHERE search_text LIKE ? ESCAPE '\\'",
                    format!("%{}%", like_escape(&text)),
                ),
            };
            return Ok(self
                .conn
                .query_row(sql, [pattern], |r| count_column(r, 0))?);
        }
        if let Some(person) = filter.only_person() {
            // Kept by the store's writes: the person's events.
            return Ok(self
                .conn
                .query_row("SELECT events FROM person WHERE id = ?", [person], |r| {
                    count_column(r, 0)
                })
                .optional()?
                .unwrap_or(0));
        }
        let Scan {
            counted_from,
            clause,
            values,
            ..
        } = Scan::of(filter, self.conn.engine());
        let sql = format!("SELECT count(*) FROM {counted_from} WHERE {clause}");
        Ok(self
            .conn
            .query_row(&sql, db::params_from_iter(values), |r| count_column(r, 0))?)
    }

    /// `event_count` when it is at most `cap`, else `cap + 1`: a common word stops being counted
    /// once it is past the cap, instead of every match being read (on PostgreSQL, 37 ms
    /// against 230 ms for a surname in a quarter of a million events).
    pub fn event_count_up_to(&self, filter: &EventFilter, cap: usize) -> Result<usize> {
        let limit = Value::Integer(i64::try_from(cap).unwrap_or(i64::MAX - 1) + 1);
        if *filter == EventFilter::default() || filter.only_person().is_some() {
            return Ok(self.event_count(filter)?.min(cap + 1));
        }
        let (sql, values) = match (filter.only_search(), self.conn.engine()) {
            (Some(text), Engine::Sqlite) => (
                "SELECT count(*) FROM (SELECT 1 FROM event_search WHERE event_search MATCH ? \
                 LIMIT ?) AS capped"
                    .to_string(),
                vec![Value::Text(fts_phrase(&text)), limit],
            ),
            _ => {
                let Scan {
                    counted_from,
                    clause,
                    mut values,
                    ..
                } = Scan::of(filter, self.conn.engine());
                values.push(limit);
                (
                    format!(
                        "SELECT count(*) FROM (SELECT 1 FROM {counted_from} WHERE {clause} \
                         LIMIT ?) AS capped"
                    ),
                    values,
                )
            }
        };
        Ok(self
            .conn
            .query_row(&sql, db::params_from_iter(values), |r| count_column(r, 0))?)
    }

    /// One page of events in timeline order, with their participants and sources.
    pub fn events_page(
        &self,
        filter: &EventFilter,
        order: Order,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<Event>> {
        self.events_beside(filter, order, None, false, offset, limit)
    }

    /// Events beside a point of the timeline in `order`: from the point (`key`, or the start
    /// when `None`) onwards, or, `backward`, those before it (or before the end), nearest
    /// first; `skip` of them passed over, then up to `take`. Keyset paging: the cost is
    /// `skip + take` wherever the point is.
    pub fn events_beside(
        &self,
        filter: &EventFilter,
        order: Order,
        key: Option<(NaiveDate, i64)>,
        backward: bool,
        skip: usize,
        take: usize,
    ) -> Result<Vec<Event>> {
        let Scan {
            from,
            clause,
            mut values,
            date: date_column,
            id: id_column,
            ..
        } = Scan::of(filter, self.conn.engine());
        let ascending = (order == Order::OldestFirst) != backward;
        let direction = if ascending { "ASC" } else { "DESC" };
        let point = match key {
            Some((date, id)) => {
                let comparison = match (order, backward) {
                    (Order::OldestFirst, false) => ">=",
                    (Order::OldestFirst, true) => "<",
                    (Order::NewestFirst, false) => "<=",
                    (Order::NewestFirst, true) => ">",
                };
                values.push(Value::Text(date.to_string()));
                values.push(Value::Integer(id));
                format!("AND ({date_column}, {id_column}) {comparison} (?, ?)")
            }
            None => String::new(),
        };
        values.push(Value::Integer(take as i64));
        values.push(Value::Integer(skip as i64));
        let sql = format!(
            "SELECT {EVENT_COLUMNS} FROM {from} WHERE {clause} {point} \
             ORDER BY {date_column} {direction}, {id_column} {direction} LIMIT ? OFFSET ?"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let events = stmt
            .query_map(db::params_from_iter(values), event_from_row)?
            .collect::<db::Result<Vec<_>>>()?;
        self.complete(events)
    }

    /// Calls `each` on every matching event in timeline order, a page at a time, so that exports
    /// of any size run in little memory; all pages are read in one read transaction, so that
    /// they show the record as it was when the first was read, whatever other programs write.
    pub fn for_each_page(
        &self,
        filter: &EventFilter,
        order: Order,
        mut each: impl FnMut(&[Event]) -> std::result::Result<(), BoxError>,
    ) -> std::result::Result<usize, BoxError> {
        let reading = if self.conn.is_autocommit() {
            Some(self.conn.begin(Begin::Read)?)
        } else {
            None
        };
        let result = self.pages(filter, order, &mut each);
        if let Some(reading) = reading {
            // Only read: ending it cannot lose anything.
            reading.commit()?;
        }
        result
    }

    fn pages(
        &self,
        filter: &EventFilter,
        order: Order,
        each: &mut impl FnMut(&[Event]) -> std::result::Result<(), BoxError>,
    ) -> std::result::Result<usize, BoxError> {
        const PAGE: usize = 1000;
        let Scan {
            from,
            clause,
            values,
            date: date_column,
            id: id_column,
            ..
        } = Scan::of(filter, self.conn.engine());
        let (direction, comparison) = match order {
            Order::OldestFirst => ("ASC", ">"),
            Order::NewestFirst => ("DESC", "<"),
        };
        let mut after: Option<(String, i64)> = None;
        let mut seen = 0;
        loop {
            let mut page_values = values.clone();
            let keyset = match &after {
                Some((date, id)) => {
                    page_values.push(Value::Text(date.clone()));
                    page_values.push(Value::Integer(*id));
                    format!("AND ({date_column}, {id_column}) {comparison} (?, ?)")
                }
                None => String::new(),
            };
            let sql = format!(
                "SELECT {EVENT_COLUMNS} FROM {from} WHERE {clause} {keyset} \
                 ORDER BY {date_column} {direction}, {id_column} {direction} LIMIT {PAGE}"
            );
            let mut stmt = self.conn.prepare_cached(&sql)?;
            let events = stmt
                .query_map(db::params_from_iter(page_values), event_from_row)?
                .collect::<db::Result<Vec<_>>>()?;
            let events = self.complete(events)?;
            each(&events)?;
            seen += events.len();
            match events.last() {
                Some(last) if events.len() == PAGE => {
                    after = Some((last.date.first().to_string(), last.id));
                }
                _ => return Ok(seen),
            }
        }
    }

    /// How many events under `filter` come before the point (`date`, `id`) in `order`: the
    /// row index of that event, or where it would be if the filter leaves it out.
    pub fn position(
        &self,
        filter: &EventFilter,
        order: Order,
        date: NaiveDate,
        id: i64,
    ) -> Result<usize> {
        if *filter == EventFilter::default() {
            return self.position_in_all(order, date, id);
        }
        let Scan {
            counted_from,
            clause,
            mut values,
            date: date_column,
            id: id_column,
            ..
        } = Scan::of(filter, self.conn.engine());
        let comparison = match order {
            Order::OldestFirst => "<",
            Order::NewestFirst => ">",
        };
        values.push(Value::Text(date.to_string()));
        values.push(Value::Integer(id));
        let sql = format!(
            "SELECT count(*) FROM {counted_from} WHERE {clause} \
             AND ({date_column}, {id_column}) {comparison} (?, ?)"
        );
        Ok(self
            .conn
            .query_row(&sql, db::params_from_iter(values), |r| count_column(r, 0))?)
    }

    /// `position` in the whole timeline: the kept events per month before the point's month,
    /// plus a count within its month, so that a jump costs the same at any size.
    fn position_in_all(&self, order: Order, date: NaiveDate, id: i64) -> Result<usize> {
        let month = date.format("%Y-%m").to_string();
        let month_start = format!("{month}-01");
        let earlier_months: usize = self.conn.query_row(
            "SELECT coalesce(sum(events), 0) FROM tally WHERE dimension = 'month' AND value < ?",
            [&month],
            |r| count_column(r, 0),
        )?;
        let (before, at): (usize, usize) = self.conn.query_row(
            "SELECT count(*) FILTER (WHERE (date_first, id) < (?2, ?3)), \
                    count(*) FILTER (WHERE date_first = ?2 AND id = ?3) \
             FROM event WHERE date_first >= ?1 AND date_first <= ?2",
            params![month_start, date.to_string(), id],
            |r| Ok((count_column(r, 0)?, count_column(r, 1)?)),
        )?;
        let before = earlier_months + before;
        Ok(match order {
            Order::OldestFirst => before,
            Order::NewestFirst => self
                .event_count(&EventFilter::default())?
                .saturating_sub(before + at),
        })
    }

    /// The first event under `filter` past the point (`date`, `id`) in `order` (or before it,
    /// when `forward` is false) whose title, place or names contain `text`; with `within`, only
    /// among that many events past the point.
    pub fn next_match(
        &self,
        filter: &EventFilter,
        order: Order,
        from: (NaiveDate, i64),
        text: &str,
        forward: bool,
        within: Option<usize>,
    ) -> Result<Option<(NaiveDate, i64)>> {
        if text.contains('\0') {
            // As in `filter_clause`: nothing stored holds one.
            return Ok(None);
        }
        let ascending = (order == Order::OldestFirst) == forward;
        let (comparison, direction) = if ascending {
            (">", "ASC")
        } else {
            ("<", "DESC")
        };
        let point = [Value::Text(from.0.to_string()), Value::Integer(from.1)];
        let (sql, values) = match within {
            None => {
                let mut searching = filter.clone();
                searching.search.push(text.to_string());
                let Scan {
                    from,
                    clause,
                    mut values,
                    date,
                    id,
                    ..
                } = Scan::of(&searching, self.conn.engine());
                values.extend(point);
                let sql = format!(
                    "SELECT {date}, {id} FROM {from} WHERE {clause} \
                     AND ({date}, {id}) {comparison} (?, ?) \
                     ORDER BY {date} {direction}, {id} {direction} LIMIT 1"
                );
                (sql, values)
            }
            Some(rows) => {
                let Scan {
                    from,
                    clause,
                    mut values,
                    date,
                    id,
                    ..
                } = Scan::of(filter, self.conn.engine());
                values.extend(point);
                values.push(Value::Integer(rows as i64));
                values.push(Value::Text(format!(
                    "%{}%",
                    like_escape(&text.trim().to_lowercase())
                )));
                let sql = format!(
                    "SELECT date_first, id FROM (SELECT {date} AS date_first, {id} AS id, \
                     e.search_text FROM {from} WHERE {clause} AND ({date}, {id}) {comparison} (?, ?) \
                     ORDER BY {date} {direction}, {id} {direction} LIMIT ?) AS nearby \
                     WHERE search_text LIKE ? ESCAPE '\\' \
                     ORDER BY date_first {direction}, id {direction} LIMIT 1"
                );
                (sql, values)
            }
        };
        Ok(self
            .conn
            .query_row(&sql, db::params_from_iter(values), |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?)
    }

    /// Every city events were held in, for completion.
    pub fn cities(&self) -> Result<Vec<String>> {
        Ok(self
            .tally("city", "value")?
            .into_iter()
            .map(|(city, _)| city)
            .collect())
    }

    /// Events per month ("2025-04") among those `filter` keeps, in order.
    pub fn events_per_month(&self, filter: &EventFilter) -> Result<Vec<(String, usize)>> {
        self.breakdown(filter, "month", "substr(e.date_first, 1, 7)", "value")
    }

    /// Events per kind among those `filter` keeps, most first.
    pub fn events_per_kind(&self, filter: &EventFilter) -> Result<Vec<(String, usize)>> {
        self.breakdown(filter, "kind", "e.kind", "events DESC, value")
    }

    /// Events per country where held among those `filter` keeps, most first; events with no
    /// country are left out.
    pub fn events_per_country(&self, filter: &EventFilter) -> Result<Vec<(String, usize)>> {
        self.breakdown(filter, "country", "e.country", "events DESC, value")
    }

    /// Counts of events by `dimension`: from the counts kept by the store's writes (`counts`)
    /// when nothing is filtered out, else by grouping the events the filter keeps.
    fn breakdown(
        &self,
        filter: &EventFilter,
        dimension: &str,
        expression: &str,
        order: &str,
    ) -> Result<Vec<(String, usize)>> {
        if *filter == EventFilter::default() {
            return self.tally(dimension, order);
        }
        let Scan {
            from,
            clause,
            values,
            ..
        } = Scan::of(filter, self.conn.engine());
        let sql = format!(
            "SELECT {expression} AS value, count(*) AS events FROM {from} \
             WHERE {clause} AND {expression} IS NOT NULL GROUP BY 1 ORDER BY {order}"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(db::params_from_iter(values), |r| {
            Ok((r.get::<String>(0)?, count_column(r, 1)?))
        })?;
        Ok(rows.collect::<db::Result<Vec<_>>>()?)
    }

    /// Counts kept by the store's writes (`counts`), rather than a pass over every event.
    fn tally(&self, dimension: &str, order: &str) -> Result<Vec<(String, usize)>> {
        let sql = format!(
            "SELECT value, events FROM tally WHERE dimension = ? AND events > 0 ORDER BY {order}"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([dimension], |r| {
            Ok((r.get::<String>(0)?, count_column(r, 1)?))
        })?;
        Ok(rows.collect::<db::Result<Vec<_>>>()?)
    }

    /// The people who headed their side in the most in-person events that happened (among
    /// those `filter` keeps), most first: those with the most face-to-face meetings to show.
    pub fn most_active(&self, filter: &EventFilter, limit: usize) -> Result<Vec<(i64, String)>> {
        if *filter == EventFilter::default() {
            let mut stmt = self.conn.prepare_cached(
                "SELECT id, name FROM person WHERE meetings > 0 \
                 ORDER BY meetings DESC, name_key LIMIT ?",
            )?;
            let rows = stmt.query_map([limit as i64], |r| Ok((r.get(0)?, r.get(1)?)))?;
            return Ok(rows.collect::<db::Result<Vec<_>>>()?);
        }
        let Scan {
            from,
            clause,
            mut values,
            id,
            ..
        } = Scan::of(filter, self.conn.engine());
        values.push(Value::Integer(limit as i64));
        let sql = format!(
            "SELECT p.id, p.name FROM (SELECT person_id, count(*) AS meetings FROM participation \
             WHERE meets = 1 AND event_id IN (SELECT {id} FROM {from} WHERE {clause}) \
             GROUP BY person_id) m JOIN person p ON p.id = m.person_id \
             ORDER BY m.meetings DESC, p.name_key LIMIT ?"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(db::params_from_iter(values), |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<db::Result<Vec<_>>>()?)
    }

    /// The person `person` met face to face most often (among the events `filter` keeps).
    pub fn most_met(&self, person: i64, filter: &EventFilter) -> Result<Option<(i64, String)>> {
        if *filter == EventFilter::default() {
            return Ok(self
                .met_most(person, 1)?
                .into_iter()
                .next()
                .map(|m| (m.person_id, m.name)));
        }
        let Scan {
            from,
            clause,
            mut values,
            id,
            ..
        } = Scan::of(filter, self.conn.engine());
        values.insert(0, Value::Integer(person));
        let sql = format!(
            "SELECT q.person_id, p.name FROM participation a \
             JOIN participation q ON q.event_id = a.event_id AND q.person_id <> a.person_id \
             AND q.meets = 1 JOIN person p ON p.id = q.person_id \
             WHERE a.person_id = ? AND a.meets = 1 \
             AND a.event_id IN (SELECT {id} FROM {from} WHERE {clause}) \
             GROUP BY q.person_id, p.name, p.name_key ORDER BY count(*) DESC, p.name_key LIMIT 1"
        );
        Ok(self
            .conn
            .query_row(&sql, db::params_from_iter(values), |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?)
    }

    /// The numbers of the events `filter` keeps, in timeline order.
    pub fn event_ids(&self, filter: &EventFilter) -> Result<Vec<i64>> {
        let Scan {
            from,
            clause,
            values,
            date,
            id,
            ..
        } = Scan::of(filter, self.conn.engine());
        let sql = format!("SELECT {id} FROM {from} WHERE {clause} ORDER BY {date}, {id}");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(db::params_from_iter(values), |r| r.get(0))?;
        Ok(rows.collect::<db::Result<Vec<_>>>()?)
    }

    /// The numbers and UUIDs of up to `limit` events whose UUID starts with `prefix`.
    pub fn events_by_uuid_prefix(&self, prefix: &str, limit: usize) -> Result<Vec<(i64, String)>> {
        let prefix = prefix.to_lowercase();
        // UUIDs are lower-case hex and dashes, all below 'g': a range the unique index serves.
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, uuid FROM event WHERE uuid >= ?1 AND uuid < ?1 || 'g' ORDER BY uuid LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![prefix, limit as i64], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
        Ok(rows.collect::<db::Result<Vec<_>>>()?)
    }

    /// The number of an event with the same date, title and participants as `draft`.
    pub fn find_same_event(&self, draft: &EventDraft) -> Result<Option<i64>> {
        same_event(&self.conn, draft)
    }

    pub fn event(&self, id: i64) -> Result<Event> {
        read_event(&self.conn, id)
    }

    pub fn event_id_by_uuid(&self, uuid: &Uuid) -> Result<Option<i64>> {
        Ok(self
            .conn
            .query_row(
                "SELECT id FROM event WHERE uuid = ?",
                [uuid.to_string()],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Every event in which all of `people` took part, in timeline order: the history that
    /// ordinals among those people are counted from.
    pub fn events_with_all(&self, people: &[i64]) -> Result<Vec<Event>> {
        self.events_of_all(people, Detail::Full)
    }

    /// As `events_with_all`, with what counting reads (dates, kinds, status, participants and
    /// their sides) but without sources and claims: the history a count by any role or among
    /// three people is made from.
    pub fn events_to_count(&self, people: &[i64]) -> Result<Vec<Event>> {
        self.events_of_all(people, Detail::Counting)
    }

    fn events_of_all(&self, people: &[i64], detail: Detail) -> Result<Vec<Event>> {
        if people.is_empty() {
            return Ok(Vec::new());
        }
        let filter = EventFilter {
            people: people.to_vec(),
            ..EventFilter::default()
        };
        let Scan {
            from,
            clause,
            values,
            date,
            id,
            ..
        } = Scan::of(&filter, self.conn.engine());
        let sql =
            format!("SELECT {EVENT_COLUMNS} FROM {from} WHERE {clause} ORDER BY {date}, {id}");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let events = stmt
            .query_map(db::params_from_iter(values), event_from_row)?
            .collect::<db::Result<Vec<_>>>()?;
        complete(&self.conn, events, detail)
    }

    fn complete(&self, events: Vec<Event>) -> Result<Vec<Event>> {
        complete(&self.conn, events, Detail::Full)
    }

    /// These events, in the order given.
    pub fn events(&self, ids: &[i64]) -> Result<Vec<Event>> {
        let mut found = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(500) {
            let marks = vec!["?"; chunk.len()].join(",");
            let sql = format!("SELECT {EVENT_COLUMNS} FROM event e WHERE e.id IN ({marks})");
            let mut stmt = self.conn.prepare_cached(&sql)?;
            let mut events: std::collections::HashMap<i64, Event> = stmt
                .query_map(db::params_from_iter(chunk), event_from_row)?
                .map(|row| row.map(|e| (e.id, e)))
                .collect::<db::Result<_>>()?;
            let ordered: Vec<Event> = chunk.iter().filter_map(|id| events.remove(id)).collect();
            found.extend(self.complete(ordered)?);
        }
        Ok(found)
    }

    /// The kept places of these events in their series, by event.
    pub fn kept_places(
        &self,
        events: &[i64],
    ) -> Result<std::collections::HashMap<i64, Vec<KeptPlace>>> {
        ranks::places(&self.conn, events)
    }

    /// The numbers of the events that hold a published count (a claim of aspect count), in
    /// timeline order.
    pub fn events_with_published_counts(&self) -> Result<Vec<i64>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT e.id FROM event e WHERE EXISTS \
             (SELECT 1 FROM claim c WHERE c.event_id = e.id AND c.aspect = 'count') \
             ORDER BY e.date_first, e.id",
        )?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<db::Result<_>>()?)
    }

    /// The dates of the reported (not confirmed) members of `series` that certainly come
    /// before place `below`.
    pub fn reported_before(
        &self,
        series: &crate::domain::series::Series,
        below: usize,
    ) -> Result<Vec<FuzzyDate>> {
        ranks::reported_before(&self.conn, series, below)
    }

    /// The events of a series in timeline order, as far as `until`: (number, happened).
    pub fn series_events(
        &self,
        series: &crate::domain::series::Series,
        until: Option<NaiveDate>,
    ) -> Result<Vec<(i64, bool)>> {
        ranks::series_events(&self.conn, series, until)
    }
}

/// One event with its participants and sources, on any connection or transaction.
fn read_event(conn: &Conn, id: i64) -> Result<Event> {
    let sql = format!("SELECT {EVENT_COLUMNS} FROM event e WHERE e.id = ?");
    let event = conn
        .query_row(&sql, [id], event_from_row)
        .optional()?
        .ok_or_else(|| StoreError::NoSuchEvent(id.to_string()))?;
    Ok(complete(conn, vec![event], Detail::Full)?.remove(0))
}

/// Fills in participants, sides without named members, sources and claims for events read
/// without them.
/// How much of each event to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Detail {
    Full,
    /// Participants and sides only: what counting reads.
    Counting,
}

fn complete(conn: &Conn, mut events: Vec<Event>, detail: Detail) -> Result<Vec<Event>> {
    for chunk in events.chunks_mut(500) {
        let ids: Vec<Value> = chunk.iter().map(|e| Value::Integer(e.id)).collect();
        let index: std::collections::HashMap<i64, usize> =
            chunk.iter().enumerate().map(|(i, e)| (e.id, i)).collect();
        let of = |event_id: i64| index.get(&event_id).copied();
        let participants = rows_by_event(
            conn,
            "SELECT pa.event_id, pa.person_id, p.name, pa.side, pa.head FROM participation pa \
             JOIN person p ON p.id = pa.person_id \
             WHERE pa.event_id IN ({marks}) ORDER BY pa.event_id, pa.position",
            &ids,
            |r| {
                Ok(Participant {
                    person_id: r.get(1)?,
                    name: r.get(2)?,
                    side: required_country(r, 3)?,
                    head: r.get(4)?,
                })
            },
        )?;
        for (event_id, participant) in participants {
            if let Some(i) = of(event_id) {
                chunk[i].participants.push(participant);
            }
        }
        let sides = rows_by_event(
            conn,
            "SELECT event_id, side FROM unnamed_side WHERE event_id IN ({marks}) \
             ORDER BY event_id, side",
            &ids,
            |r| required_country(r, 1),
        )?;
        for (event_id, side) in sides {
            if let Some(i) = of(event_id) {
                chunk[i].unnamed_sides.push(side);
            }
        }
        if detail == Detail::Counting {
            continue;
        }
        let sources = rows_by_event(
            conn,
            "SELECT event_id, outlet, citing, url, published, via FROM source \
             WHERE event_id IN ({marks}) ORDER BY event_id, position",
            &ids,
            |r| {
                Ok(Source {
                    outlet: r.get(1)?,
                    citing: r.get(2)?,
                    url: r.get(3)?,
                    published: r.get::<Option<NaiveDate>>(4)?,
                    via: r.get(5)?,
                })
            },
        )?;
        for (event_id, source) in sources {
            if let Some(i) = of(event_id) {
                chunk[i].sources.push(source);
            }
        }
        let claims = rows_by_event(
            conn,
            "SELECT event_id, aspect, value, sources, note, count FROM claim \
             WHERE event_id IN ({marks}) ORDER BY event_id, position",
            &ids,
            |r| {
                Ok((
                    r.get::<String>(1)?,
                    r.get::<String>(2)?,
                    r.get::<String>(3)?,
                    r.get::<String>(4)?,
                    r.get::<Option<String>>(5)?,
                ))
            },
        )?;
        for (event_id, (aspect, value, sources, note, count)) in claims {
            if let Some(i) = of(event_id) {
                chunk[i]
                    .claims
                    .push(claim_from_columns(&aspect, value, &sources, note, count)?);
            }
        }
    }
    Ok(events)
}

/// The rows `sql` gives for these events (it names them as `IN ({marks})` and reads the
/// event's number first), each read by `read`.
fn rows_by_event<T>(
    conn: &Conn,
    sql: &str,
    ids: &[Value],
    read: impl Fn(&Row) -> db::Result<T>,
) -> Result<Vec<(i64, T)>> {
    let marks = vec!["?"; ids.len()].join(",");
    let mut stmt = conn.prepare(&sql.replace("{marks}", &marks))?;
    let rows = stmt.query_map(db::params_from_iter(ids.iter()), |r| {
        Ok((r.get::<i64>(0)?, read(r)?))
    })?;
    Ok(rows.collect::<db::Result<_>>()?)
}

/// A stored claim; a column that fails to read back means the file was edited by hand, which
/// is reported rather than hidden.
fn claim_from_columns(
    aspect: &str,
    value: String,
    sources: &str,
    note: String,
    count: Option<String>,
) -> Result<crate::domain::claim::Claim> {
    let broken = |what: String| StoreError::Database(DbError::conversion(0, what));
    let aspect = aspect.parse().map_err(broken)?;
    let sources = sources
        .split(',')
        .filter(|s| !s.is_empty())
        .map(|s| s.parse::<usize>().map_err(|e| broken(e.to_string())))
        .collect::<Result<_>>()?;
    let count = match count {
        Some(text) => {
            let record: crate::domain::record::CountRecord =
                serde_json::from_str(&text).map_err(|e| broken(e.to_string()))?;
            Some(record.to_count().map_err(|e| broken(e.to_string()))?)
        }
        None => None,
    };
    Ok(crate::domain::claim::Claim {
        aspect,
        value,
        sources,
        note,
        count,
    })
}

/// Sides are checked on the way in; one that fails to read back means the file was edited by
/// hand, which is reported rather than hidden.
fn required_country(row: &Row, index: usize) -> db::Result<Country> {
    let text: String = row.get(index)?;
    Country::parse(&text).map_err(|reason| DbError::conversion(index, format!("{reason}: {text}")))
}

fn country_column(row: &Row, index: usize) -> db::Result<Option<Country>> {
    let text: Option<String> = row.get(index)?;
    Ok(text.and_then(|t| Country::parse(&t).ok()))
}

fn precision_from(text: &str) -> Precision {
    match text {
        "month" => Precision::Month,
        "year" => Precision::Year,
        _ => Precision::Day,
    }
}

fn fuzzy_from(first: NaiveDate, precision: &str, circa: bool) -> FuzzyDate {
    let date = FuzzyDate::day(first).with_circa(circa);
    match precision_from(precision) {
        Precision::Day => date,
        Precision::Month => FuzzyDate::from_parts(
            chrono::Datelike::year(&first),
            Some(chrono::Datelike::month(&first)),
            None,
            circa,
        )
        .unwrap_or(date),
        Precision::Year => {
            FuzzyDate::from_parts(chrono::Datelike::year(&first), None, None, circa).unwrap_or(date)
        }
    }
}

fn keyword<T: std::str::FromStr>(row: &Row, index: usize) -> db::Result<T> {
    let text: String = row.get(index)?;
    text.parse()
        .map_err(|_| DbError::conversion(index, format!("unexpected value {text:?}")))
}

fn event_from_row(row: &Row) -> db::Result<Event> {
    let uuid_text: String = row.get(1)?;
    let uuid = Uuid::parse_str(&uuid_text).map_err(|e| DbError::conversion(1, e))?;
    let precision: String = row.get(3)?;
    let end_first: Option<NaiveDate> = row.get(5)?;
    let end_precision: Option<String> = row.get(6)?;
    Ok(Event {
        id: row.get(0)?,
        uuid,
        date: fuzzy_from(row.get(2)?, &precision, row.get(4)?),
        end_date: end_first
            .map(|d| fuzzy_from(d, end_precision.as_deref().unwrap_or("day"), false)),
        title: row.get(7)?,
        kind: keyword(row, 8)?,
        mode: keyword(row, 9)?,
        status: keyword(row, 10)?,
        place: Place {
            city: row.get(11)?,
            country: country_column(row, 12)?,
            venue: row.get(13)?,
        },
        notes: row.get(14)?,
        version: row.get(15)?,
        participants: Vec::new(),
        sources: Vec::new(),
        claims: Vec::new(),
        unnamed_sides: Vec::new(),
    })
}

/// Where a filtered read starts, and the columns that order it. For the events of people, the
/// first person's participations in date order: the (person, date) index holds the event's
/// number too, so a page of a person's events reads that page and no more, where starting
/// from the events would sort all of the person's events first.
struct Scan {
    from: &'static str,
    /// What counting needs: without the events, when nothing is asked of them.
    counted_from: &'static str,
    clause: String,
    values: Vec<Value>,
    date: &'static str,
    id: &'static str,
}

impl Scan {
    fn of(filter: &EventFilter, engine: Engine) -> Scan {
        let Some((first, others)) = filter.people.split_first() else {
            let (clause, values) = filter_clause(filter, engine);
            return Scan {
                from: "event e",
                counted_from: "event e",
                clause,
                values,
                date: "e.date_first",
                id: "e.id",
            };
        };
        let rest = EventFilter {
            people: Vec::new(),
            ..filter.clone()
        };
        // Dates are bounded through the participation below; anything else asks of the events.
        let asks_of_events = rest
            != EventFilter {
                from: rest.from,
                to: rest.to,
                ..EventFilter::default()
            };
        let (rest_clause, rest_values) = if asks_of_events {
            filter_clause(&rest, engine)
        } else {
            ("TRUE".to_string(), Vec::new())
        };
        let mut clause = "pa.person_id = ?".to_string();
        let mut values = vec![Value::Integer(*first)];
        // The participation's date is the event's: bounds go through the index.
        if let Some(from) = &filter.from {
            clause.push_str(" AND pa.date_first >= ?");
            values.push(Value::Text(from.first().to_string()));
        }
        if let Some(to) = &filter.to {
            clause.push_str(" AND pa.date_first <= ?");
            values.push(Value::Text(to.last().to_string()));
        }
        for other in others {
            clause.push_str(
                " AND EXISTS (SELECT 1 FROM participation q WHERE q.event_id = pa.event_id \
                 AND q.person_id = ?)",
            );
            values.push(Value::Integer(*other));
        }
        clause.push_str(" AND ");
        clause.push_str(&rest_clause);
        values.extend(rest_values);
        let from = "participation pa JOIN event e ON e.id = pa.event_id";
        Scan {
            from,
            counted_from: if asks_of_events {
                from
            } else {
                "participation pa"
            },
            clause,
            values,
            date: "pa.date_first",
            id: "pa.event_id",
        }
    }
}

/// The WHERE clause for a filter, over `event e`, with its parameters: all but the people,
/// which `Scan` reads from the participation index.
fn filter_clause(filter: &EventFilter, engine: Engine) -> (String, Vec<Value>) {
    let mut conditions = vec!["TRUE".to_string()];
    let mut values = Vec::new();
    if let Some(country) = &filter.country {
        conditions.push("e.country = ?".into());
        values.push(Value::Text(country.code().into()));
    }
    if let Some(side) = &filter.side {
        conditions.push(
            "(EXISTS (SELECT 1 FROM participation pa WHERE pa.event_id = e.id AND pa.side = ?) \
             OR EXISTS (SELECT 1 FROM unnamed_side us WHERE us.event_id = e.id AND us.side = ?))"
                .into(),
        );
        values.push(Value::Text(side.code().into()));
        values.push(Value::Text(side.code().into()));
    }

    let keywords = [
        ("e.kind", filter.kind.map(|k| k.as_str())),
        ("e.mode", filter.mode.map(|m| m.as_str())),
        ("e.status", filter.status.map(|s| s.as_str())),
    ];
    for (column, value) in keywords {
        if let Some(value) = value {
            conditions.push(format!("{column} = ?"));
            values.push(Value::Text(value.into()));
        }
    }
    if let Some(from) = &filter.from {
        conditions.push("e.date_first >= ?".into());
        values.push(Value::Text(from.first().to_string()));
    }
    if let Some(to) = &filter.to {
        conditions.push("e.date_first <= ?".into());
        values.push(Value::Text(to.last().to_string()));
    }
    for search in filter
        .search
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
    {
        let lowered = search.to_lowercase();
        if lowered.contains('\0') {
            // Stored text holds no NUL (input refuses control characters), and neither FTS5's
            // query syntax nor LIKE can take one: it would end the string.
            conditions.push("FALSE".into());
            continue;
        }
        // The trigram index finds strings of three characters or more; shorter ones are
        // looked for row by row. PostgreSQL's trigram index (pg_trgm) serves LIKE itself.
        if lowered.chars().count() >= 3 && engine == Engine::Sqlite {
            conditions
                .push("e.id IN (SELECT rowid FROM event_search WHERE event_search MATCH ?)".into());
            values.push(Value::Text(fts_phrase(&lowered)));
        } else {
            conditions.push("e.search_text LIKE ? ESCAPE '\\'".into());
            values.push(Value::Text(format!("%{}%", like_escape(&lowered))));
        }
    }
    (conditions.join(" AND "), values)
}

/// `text` as one FTS5 phrase: quoted, so that no character in it is query syntax.
fn fts_phrase(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

fn like_escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// What searches look through: title, place and everyone's names, lower-cased so that a search
/// ignores case in every script. Trimmed as they are stored, so that the text made when an
/// event is saved is the text its stored fields make again (`refresh_search_text`, `verify`).
fn search_text(title: &str, place: &Place, names: &[String]) -> String {
    let mut parts = vec![
        title.trim().to_string(),
        place.city.trim().to_string(),
        place.venue.trim().to_string(),
    ];
    if let Some(country) = &place.country {
        parts.push(country.code().into());
        parts.push(country.name().into());
    }
    parts.extend(names.iter().cloned());
    parts.join("\n").to_lowercase()
}

/// Writes again the search text of every event `person` takes part in, with everyone's names
/// as they are now: an event is found by every name of its people, so a change to a person's
/// names changes what finds their events.
pub(crate) fn refresh_search_text(tx: &Tx, person: i64) -> Result<()> {
    let numbers: Vec<i64> = tx
        .prepare_cached("SELECT DISTINCT event_id FROM participation WHERE person_id = ?")?
        .query_map([person], |r| r.get(0))?
        .collect::<db::Result<_>>()?;
    let mut others: std::collections::HashMap<i64, Vec<String>> = std::collections::HashMap::new();
    for number in numbers {
        let event = read_event(tx, number)?;
        let mut names = Vec::new();
        for p in &event.participants {
            names.push(p.name.clone());
            let theirs = match others.entry(p.person_id) {
                std::collections::hash_map::Entry::Occupied(known) => known.into_mut(),
                std::collections::hash_map::Entry::Vacant(slot) => {
                    let (mut native, aliases) = people::names_of(tx, p.person_id)?;
                    native.extend(aliases);
                    slot.insert(native)
                }
            };
            names.extend(theirs.iter().cloned());
        }
        let text = search_text(&event.title, &event.place, &names);
        let changed = tx
            .prepare_cached(
                "UPDATE event SET search_text = ?1 WHERE id = ?2 AND search_text <> ?1",
            )?
            .execute(params![text, number])?;
        if changed > 0 {
            ranks::to_index(tx, number)?;
        }
    }
    Ok(())
}

/// Inserts a validated event; participants are resolved to people (or created) as `new_people`
/// says. Takes the caller's transaction so that an import is one transaction.
/// The number of an event with the same date, title and participants (by name and side) as
/// `draft`, if there is one.
pub(super) fn same_event(tx: &Conn, draft: &EventDraft) -> Result<Option<i64>> {
    let mut stmt = tx.prepare_cached(
        "SELECT id FROM event WHERE date_first = ? AND precision = ? AND title = ?",
    )?;
    let candidates = stmt
        .query_map(
            params![
                draft.date.first(),
                draft.date.precision().as_str(),
                draft.title.trim()
            ],
            |r| r.get::<i64>(0),
        )?
        .collect::<db::Result<Vec<_>>>()?;
    let mut wanted: Vec<(String, String)> = draft
        .participants
        .iter()
        .map(|p| (name_key(&p.name), p.side.to_string()))
        .collect();
    wanted.sort();
    let mut people = tx.prepare_cached(
        "SELECT p.name_key, pa.side FROM participation pa JOIN person p ON p.id = pa.person_id \
         WHERE pa.event_id = ?",
    )?;
    for id in candidates {
        let mut present = people
            .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<db::Result<Vec<(String, String)>>>()?;
        present.sort();
        if present == wanted {
            return Ok(Some(id));
        }
    }
    Ok(None)
}

/// Writes `draft` over the event with this number, keeping its number; for imports, which are
/// not undone one event at a time.
pub(super) fn replace_event(
    tx: &Tx,
    number: i64,
    draft: &EventDraft,
    new_people: NewPeople,
) -> Result<()> {
    save_event(tx, draft, new_people, Target::Replace(number)).map(drop)
}

pub fn insert_event(tx: &Tx, draft: &EventDraft, new_people: NewPeople) -> Result<i64> {
    save_event(tx, draft, new_people, Target::New(None))
}

/// What an import of many events sums in memory and writes once at its end, instead of one
/// statement per event: the tallies, each person's events and last day seen, and the people
/// already found by name.
#[derive(Debug, Default)]
pub(super) struct Batch {
    people: std::collections::HashMap<String, people::Candidate>,
    tallies: std::collections::HashMap<(&'static str, String), i64>,
    joined: std::collections::HashMap<i64, counts::Joined>,
}

impl Batch {
    /// Inserts a validated event as `insert_event` does, creating people not found by their
    /// exact name, with the counts kept in the batch until `finish`.
    pub fn insert_event(&mut self, tx: &Tx, draft: &EventDraft) -> Result<i64> {
        save_event_in(
            tx,
            draft,
            NewPeople::ExactOrCreate,
            Target::New(None),
            Some(self),
        )
    }

    /// Writes the counts summed so far.
    pub fn finish(self, tx: &Tx) -> Result<()> {
        for ((dimension, value), delta) in &self.tallies {
            counts::add_to_tally(tx, dimension, value, *delta)?;
        }
        for (person, joined) in &self.joined {
            counts::people_joined(tx, *person, joined)?;
        }
        Ok(())
    }
}

/// Where `save_event` writes.
#[derive(Debug, Clone, Copy)]
enum Target {
    /// A new row, with this number if given (restoring a deleted event keeps its number).
    New(Option<i64>),
    /// Over the event with this number, keeping the number.
    Replace(i64),
}

fn save_event(tx: &Tx, draft: &EventDraft, new_people: NewPeople, target: Target) -> Result<i64> {
    save_event_in(tx, draft, new_people, target, None)
}

fn save_event_in(
    tx: &Tx,
    draft: &EventDraft,
    new_people: NewPeople,
    target: Target,
    mut batch: Option<&mut Batch>,
) -> Result<i64> {
    draft.validate()?;
    let mut person_ids = Vec::with_capacity(draft.participants.len());
    let mut seen = std::collections::HashSet::with_capacity(draft.participants.len());
    let mut names = Vec::with_capacity(draft.participants.len());
    for p in &draft.participants {
        // An exact name found or created once in a batch stands for the same person after.
        let known = batch
            .as_deref()
            .filter(|_| new_people == NewPeople::ExactOrCreate)
            .and_then(|b| b.people.get(&name_key(&p.name)).cloned());
        let person = match known {
            Some(person) => person,
            None => match people::resolve_for_write(tx, &p.name, new_people, &p.side)? {
                Some(person) => {
                    if let Some(batch) = batch.as_deref_mut() {
                        batch.people.insert(name_key(&p.name), person.clone());
                    }
                    person
                }
                None => {
                    return Err(Invalid::new("participant", &p.name, "unknown person").into());
                }
            },
        };
        if !seen.insert(person.0) {
            return Err(Invalid::new(
                "participant",
                &p.name,
                &format!("is the same person as another participant ({})", person.1),
            )
            .into());
        }
        person_ids.push(person.0);
        names.push(person.1.clone());
        names.extend(person.2.iter().cloned());
    }
    let uuid = draft.uuid.unwrap_or_else(Uuid::new_v4);
    let mut replaced = None;
    let (sql, number) = match target {
        Target::New(number) => (
            "INSERT INTO event (uuid, date_first, date_last, precision, circa, end_first, end_precision, \
             title, kind, mode, status, city, country, venue, notes, search_text, id) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            number,
        ),
        Target::Replace(number) => {
            replaced = Some((
                counts::Counted::stored(tx, number)?,
                counts::participants(tx, number)?,
            ));
            ranks::leave(tx, number)?;
            tx.execute("DELETE FROM participation WHERE event_id = ?", [number])?;
            tx.execute("DELETE FROM source WHERE event_id = ?", [number])?;
            tx.execute("DELETE FROM claim WHERE event_id = ?", [number])?;
            tx.execute("DELETE FROM unnamed_side WHERE event_id = ?", [number])?;
            (
                "UPDATE event SET uuid = ?, date_first = ?, date_last = ?, precision = ?, circa = ?, \
                 end_first = ?, end_precision = ?, title = ?, kind = ?, mode = ?, status = ?, city = ?, \
                 country = ?, venue = ?, notes = ?, search_text = ?, version = version + 1 \
                 WHERE id = ? RETURNING id",
                Some(number),
            )
        }
    };
    // Cached: an import runs this once per event.
    let written: Option<i64> = tx
        .prepare_cached(sql)?
        .query_row(
            params![
                uuid.to_string(),
                draft.date.first(),
                draft.date.last(),
                draft.date.precision().as_str(),
                draft.date.circa(),
                draft.end_date.map(|d| d.first()),
                draft.end_date.map(|d| d.precision().as_str()),
                draft.title.trim(),
                draft.kind.as_str(),
                draft.mode.as_str(),
                draft.status.as_str(),
                draft.place.city.trim(),
                draft.place.country.as_ref().map(Country::code),
                draft.place.venue.trim(),
                draft.notes,
                search_text(&draft.title, &draft.place, &names),
                number,
            ],
            |r| r.get(0),
        )
        .optional()
        .map_err(|e| match (e.sqlite_code(), e.postgres_code()) {
            (Some(rusqlite::ErrorCode::ConstraintViolation), _)
            | (_, Some(&postgres::error::SqlState::UNIQUE_VIOLATION))
                if e.to_string().contains("uuid") =>
            {
                StoreError::Invalid(Invalid::new(
                    "id",
                    &uuid.to_string(),
                    "another event has this id",
                ))
            }
            _ => e.into(),
        })?;
    let event_id = match (target, written) {
        (_, Some(id)) => id,
        (Target::Replace(number), None) => {
            return Err(StoreError::NoSuchEvent(number.to_string()));
        }
        (Target::New(_), None) => return Err(DbError::no_rows().into()),
    };
    ranks::to_index(tx, event_id)?;
    let happened_in_person = draft.mode == Mode::InPerson && draft.status.happened();
    let mut on_side: std::collections::HashMap<&Country, usize> = std::collections::HashMap::new();
    for p in &draft.participants {
        *on_side.entry(&p.side).or_default() += 1;
    }
    for (position, (p, person_id)) in draft.participants.iter().zip(&person_ids).enumerate() {
        let alone = on_side.get(&p.side) == Some(&1);
        let meets = happened_in_person && (p.head || alone);
        tx.prepare_cached(
            "INSERT INTO participation (event_id, person_id, position, side, head, date_first, meets) \
             VALUES (?, ?, ?, ?, ?, ?, ?)",
        )?
        .execute(params![
                event_id,
                person_id,
                position as i64,
                p.side.code(),
                p.head,
                draft.date.first(),
                meets
            ])?;
        let joined = counts::Joined::one(draft.date.first(), meets);
        match (&replaced, batch.as_deref_mut()) {
            (Some(_), _) => {}
            (None, Some(batch)) => batch.joined.entry(*person_id).or_default().add(&joined),
            (None, None) => counts::people_joined(tx, *person_id, &joined)?,
        }
    }
    let participants: Vec<Participant> = draft
        .participants
        .iter()
        .zip(&person_ids)
        .map(|(p, id)| Participant {
            person_id: *id,
            name: String::new(),
            side: p.side.clone(),
            head: p.head,
        })
        .collect();
    ranks::join(
        tx,
        event_id,
        &draft.date,
        draft.status,
        draft.mode,
        draft.place.country.as_ref(),
        &participants,
    )?;
    if let Some((old, mut people)) = replaced {
        if let Some(old) = old {
            old.tally(tx, -1)?;
        }
        people.extend(&person_ids);
        counts::recount_people(tx, &people)?;
    }
    match batch {
        Some(batch) => {
            for key in counts::Counted::of(draft).keys() {
                *batch.tallies.entry(key).or_default() += 1;
            }
        }
        None => counts::Counted::of(draft).tally(tx, 1)?,
    }
    for (position, s) in draft.sources.iter().enumerate() {
        tx.prepare_cached(
            "INSERT INTO source (event_id, position, outlet, citing, url, published, via) VALUES (?, ?, ?, ?, ?, ?, ?)",
        )?
        .execute(params![event_id, position as i64, s.outlet.trim(), s.citing.trim(), s.url.trim(), s.published, s.via.trim()])?;
    }
    for side in &draft.unnamed_sides {
        tx.prepare_cached(
            "INSERT INTO unnamed_side (event_id, side) VALUES (?, ?) ON CONFLICT DO NOTHING",
        )?
        .execute(params![event_id, side.code()])?;
    }
    for (position, claim) in draft.claims.iter().enumerate() {
        let sources: Vec<String> = claim.sources.iter().map(usize::to_string).collect();
        let count = claim
            .count
            .as_ref()
            .map(|c| serde_json::to_string(&crate::domain::record::CountRecord::of(c)))
            .transpose()
            .map_err(|e| StoreError::Database(DbError::conversion(0, e)))?;
        tx.prepare_cached(
            "INSERT INTO claim (event_id, position, aspect, value, sources, note, count) VALUES (?, ?, ?, ?, ?, ?, ?)",
        )?
        .execute(params![
            event_id,
            position as i64,
            claim.aspect.as_str(),
            claim.value.trim(),
            sources.join(","),
            claim.note,
            count
        ])?;
    }
    Ok(event_id)
}

/// The path the database lives at unless told otherwise: the platform's data directory.
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "attache").map(|d| d.data_dir().join("attache.db"))
}

#[cfg(test)]
mod tests;
