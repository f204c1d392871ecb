//! Opening a SQLite file: what it must not touch (a file that is not attache's, a newer
//! schema, a device), reading one that cannot be written, migrating with a copy kept, and
//! backing up.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

use super::db::{Begin, params};
use super::engine::sqlite;
use super::{
    BUSY_TIMEOUT, DEFAULT_WAIT, LATEST_VERSION, ReadOnlyBecause, Result, Store, StoreError,
    busy_or, default_author, people, ranks, schema, trips,
};
use crate::domain::Invalid;

/// The page cache of a connection, in KiB: SQLite's default is 2 MB; a million events' indexes
/// want more to stay fast.
pub(crate) const PAGE_CACHE_KIB: i64 = 64 * 1024;

/// The page cache, and so the memory of each sort, of an import once it takes the bulk path
/// (`Dialect::bulk_in_little_memory`).
pub(crate) const BULK_CACHE_KIB: i64 = 16 * 1024;

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
        conn.pragma_update(None, "cache_size", -PAGE_CACHE_KIB)?;
        conn.pragma_update(None, "foreign_keys", true)?;
        // The series and events a write marks live in temporary tables with their own cache;
        // a million-event import marks a million, which may spill to a file rather than grow.
        conn.pragma_update(Some("temp"), "cache_size", -4 * 1024)?;
        verify_migrations(&conn, &label, version)?;
        // Before the journal mode is set, which rewrites the header of a file not yet in WAL.
        if version > 0 && version < LATEST_VERSION {
            check_shape(&conn, &label, version)?;
        }
        if let Some(why) = &read_only {
            if version < LATEST_VERSION {
                return Err(StoreError::ReadOnlyOld {
                    path: label,
                    why: why.clone(),
                    supported: LATEST_VERSION,
                });
            }
        } else {
            conn.pragma_update(None, "journal_mode", "WAL")?;
            conn.pragma_update(None, "synchronous", "NORMAL")?;
        }
        let mut store = Store {
            conn: sqlite::conn(conn),
            label,
            read_only,
            author: default_author(),
            upgraded: None,
            wait: DEFAULT_WAIT,
            on_wait: None,
            wait_stoppable: false,
            address: None,
            regions: crate::domain::region::Regions::shipped(),
        };
        // Migrations write through the temporary tables too.
        store
            .conn
            .execute_batch(store.conn.dialect().temp_tables())?;
        store.migrate(version)?;
        Ok(store)
    }

    fn migrate(&mut self, from: i64) -> Result<()> {
        // A file holding data is copied before its schema changes, so that an upgrade can be
        // undone by hand and a newer attache's file never costs an older one's data.
        if from >= LATEST_VERSION {
            return Ok(());
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
            if index + 1 == schema::TRIPS {
                trips::rebuild(&tx)?;
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
        let Some(backed_up) = self.conn.backup(temp.path()) else {
            return Err(refuse(
                "a PostgreSQL database is backed up with pg_dump or the server's own backups",
            ));
        };
        backed_up?;
        temp.persist_noclobber(to)
            .map_err(|e| refuse(&format!("cannot write: {}", e.error.kind())))?;
        Ok(())
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(error: rusqlite::Error) -> Self {
        StoreError::Database(error.into())
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
fn verify_migrations(conn: &Connection, path: &str, version: i64) -> Result<()> {
    let Ok(recorded_from) = i64::try_from(schema::RECORDED_MIGRATIONS) else {
        return Ok(());
    };
    if version < recorded_from {
        return Ok(());
    }
    let recorded: std::collections::HashMap<i64, String> = conn
        .prepare("SELECT version, hash FROM schema_migration")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
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
