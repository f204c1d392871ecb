//! Who holds the write lock, for those who wait for it: a long write (an import) announces
//! itself, who runs it, what it is and how far it has come, and a writer that finds the lock
//! held says what it waits for instead of failing at once.
//!
//! On SQLite the announcement is a small file beside the database (`DB.attache-writer`), written
//! whole and removed when the write ends; a file left by a writer that died is ignored, as its
//! process is gone. On PostgreSQL it is the session's `application_name`, set for the
//! transaction only, which every session can read from `pg_stat_activity`.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::db::Conn;
use super::engine::Dialect;

/// How often a long write refreshes what it says of itself.
const REFRESH: Duration = Duration::from_secs(1);

/// What a long write says of itself while it holds the lock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Announcement {
    pub author: String,
    /// "import of events.csv".
    pub work: String,
    /// How far, in percent, when known.
    pub percent: Option<u8>,
    pub pid: u32,
    /// When it took the lock (RFC 3339).
    pub since: String,
}

impl Announcement {
    /// "ann's import of events.csv (41% written, since 12:03:55 UTC)".
    pub fn describe(&self) -> String {
        let since = chrono::DateTime::parse_from_rfc3339(&self.since)
            .map(|t| t.format("%H:%M:%S UTC").to_string())
            .unwrap_or_default();
        let mut detail = Vec::new();
        if let Some(percent) = self.percent {
            detail.push(format!("{percent}% written"));
        }
        if !since.is_empty() {
            detail.push(format!("since {since}"));
        }
        let detail = if detail.is_empty() {
            String::new()
        } else {
            format!(" ({})", detail.join(", "))
        };
        format!("{}'s {}{detail}", self.author, self.work)
    }

    /// The form PostgreSQL keeps: `application_name` holds 63 bytes.
    fn short(&self) -> String {
        let mut text = format!(
            "attache: {}'s {}{}",
            self.author,
            self.work,
            self.percent
                .map(|p| format!(" ({p}% written)"))
                .unwrap_or_default()
        );
        let mut end = text.len().min(63);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
        text
    }
}

/// Where a SQLite database's announcement is kept.
pub fn announcement_file(database: &str) -> PathBuf {
    PathBuf::from(format!("{database}.attache-writer"))
}

/// A long write's announcement: made at its first progress (when the write holds the lock),
/// refreshed at most once a `REFRESH`, and withdrawn when dropped, after the write has ended.
pub struct Announcer {
    file: Option<PathBuf>,
    said: Announcement,
    last: Option<Instant>,
}

impl Announcer {
    /// An announcement of `work` by `author` on the database `label` (none for a database in
    /// memory), not yet made.
    pub fn new(dialect: &dyn Dialect, label: &str, author: &str, work: &str) -> Announcer {
        Announcer {
            file: dialect.announcement_file(label),
            said: Announcement {
                author: author.to_string(),
                work: work.to_string(),
                percent: None,
                pid: std::process::id(),
                since: chrono::Utc::now().to_rfc3339(),
            },
            last: None,
        }
    }

    /// Says how far the work has come, `done` of `total` (bytes, records), through `conn`,
    /// which holds the write lock.
    pub fn progress(&mut self, conn: &Conn, done: u64, total: u64) {
        if self.last.is_some_and(|last| last.elapsed() < REFRESH) {
            return;
        }
        let percent = match total {
            0 => None,
            total => Some(u8::try_from((done.min(total) * 100) / total).unwrap_or(100)),
        };
        if self.last.is_none() || self.said.percent != percent {
            self.said.percent = percent;
            self.publish(conn);
        }
        self.last = Some(Instant::now());
    }

    /// Best effort: an announcement that cannot be made leaves the others to wait without it.
    fn publish(&self, conn: &Conn) {
        match &self.file {
            Some(path) => {
                let Ok(text) = serde_json::to_vec(&self.said) else {
                    return;
                };
                let dir = match path.parent() {
                    Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
                    _ => PathBuf::from("."),
                };
                if let Ok(temp) = tempfile::NamedTempFile::new_in(dir)
                    && std::fs::write(temp.path(), text).is_ok()
                {
                    let _ = temp.persist(path);
                }
            }
            None => conn.dialect().announce(conn, &self.said.short()),
        }
    }
}

impl Drop for Announcer {
    fn drop(&mut self) {
        if let Some(path) = &self.file {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// What the writer holding the lock says of itself, if it says anything: for SQLite its file,
/// if its process still runs; for PostgreSQL the name of the session holding the lock.
pub fn current_writer(conn: &Conn, label: &str) -> Option<String> {
    conn.dialect().current_writer(conn, label)
}

/// What the writer announced in the file beside the database `label`, if its process still
/// runs.
pub(super) fn announced(label: &str) -> Option<String> {
    let text = std::fs::read(announcement_file(label)).ok()?;
    let said: Announcement = serde_json::from_slice(&text).ok()?;
    process_runs(said.pid).then(|| said.describe())
}

fn process_runs(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    // SAFETY: signal 0 only asks whether the process exists; nothing is sent.
    let result = unsafe { libc::kill(pid, 0) };
    result == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

/// A writer waiting for the lock: what it is told each time it finds the lock still held, and
/// whether it goes on waiting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiting {
    /// What the holder says of itself, if anything.
    pub holder: Option<String>,
    pub waited: Duration,
    pub limit: Duration,
    /// The wait is over (the lock was taken): the last report, whose answer does not matter.
    pub over: bool,
}

impl Waiting {
    /// "waiting for ann's import of events.csv (41% written) to finish; 55 s more at most".
    pub fn describe(&self) -> String {
        let who = self
            .holder
            .clone()
            .unwrap_or_else(|| "another program writing to the database".to_string());
        let left = self.limit.saturating_sub(self.waited).as_secs();
        format!("waiting for {who} to finish; {left} s more at most")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_announcement_describes_itself_and_fits_postgresql() {
        let said = Announcement {
            author: "Анна".into(),
            work: "import of переговоры-2025-полный-архив-всех-встреч.csv".into(),
            percent: Some(41),
            pid: 1,
            since: "2026-12-06T12:03:55+00:00".into(),
        };
        assert_eq!(
            said.describe(),
            "Анна's import of переговоры-2025-полный-архив-всех-встреч.csv (41% written, since 12:03:55 UTC)"
        );
        assert!(said.short().len() <= 63);
        assert!(said.short().starts_with("attache: Анна's import of"));
        let short_name = Announcement {
            work: "import of archive.csv".into(),
            ..said
        };
        assert_eq!(
            short_name.short(),
            "attache: Анна's import of archive.csv (41% written)"
        );
    }

    #[test]
    fn a_dead_writer_is_not_waited_for() {
        assert!(process_runs(std::process::id()));
        // Beyond the kernel's largest process number.
        assert!(!process_runs(4_194_305));
    }
}
