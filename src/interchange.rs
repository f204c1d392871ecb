//! Files in and out: CSV, JSON, iCalendar, Markdown and HTML. Readers and writers work over
//! `io::Read`/`io::Write`; imports run in one transaction and skip what is already present.

pub mod csv;
pub mod hsg;
pub mod html;
pub mod ics;
pub mod json;
pub mod markdown;
pub mod visible;

use crate::domain::date::DateStyle;
pub use crate::domain::record::{EventRecord, ParticipantRecord};
use crate::store::StoreError;

/// The date style of what files and their messages say: a file reads the same whoever writes
/// it, whatever date style their screen is set to.
pub const FILE_DATES: DateStyle = DateStyle::Human;
pub use crate::store::{Duplicate, ImportOutcome, OnConflict};

/// Where an export named by the user goes.
#[derive(Debug, PartialEq, Eq)]
pub enum ExportTarget {
    /// The path is this process's standard output (`--out /dev/stdout`): written there as it
    /// is, nothing renamed.
    StandardOutput,
    /// A regular file, new or existing, written whole through a temporary file beside it; a
    /// symbolic link is followed to its target.
    File(std::path::PathBuf),
}

/// Decides where an export to `path` may go, refusing, with the reason, anything but a new or
/// regular file or standard output: a directory, a device, a named pipe or a socket (renaming
/// over one would replace it; opening one could wait forever), a database of any program, and a
/// database's side files, through links too. Nothing is written.
pub fn export_target(path: &std::path::Path) -> Result<ExportTarget, ExportError> {
    let refuse = |why: String| {
        ExportError::Refused(format!(
            "{}: {why}; an export writes a new or regular file only, nothing was written",
            path.display()
        ))
    };
    // Asked before following links by name: /dev/stdout leads through /proc/self/fd/1 to a
    // pipe that has no name to follow.
    if let Ok(metadata) = std::fs::metadata(path) {
        if crate::paths::is_standard_output(&metadata) {
            return Ok(ExportTarget::StandardOutput);
        }
        if let Some(kind) = crate::paths::irregular_kind(&metadata) {
            return Err(refuse(format!("it is {kind}")));
        }
    }
    let linked = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    let resolved = if linked {
        std::fs::canonicalize(path).map_err(|e| {
            ExportError::Refused(format!("cannot follow the link {}: {e}", path.display()))
        })?
    } else {
        path.to_path_buf()
    };
    if crate::paths::is_sqlite_file(&resolved) {
        return Err(ExportError::Refused(format!(
            "{} is a database; an export never replaces one (choose another file name)",
            path.display()
        )));
    }
    if let Some(database) = crate::paths::database_of_side_file(&resolved) {
        return Err(refuse(format!(
            "SQLite keeps the changes of {} in a file of this name",
            database.display()
        )));
    }
    Ok(ExportTarget::File(resolved))
}

/// Writes to a temporary file beside `path`, then renames it over `path`, so that a failed
/// export never leaves a half-written file where a good one was. Only what `export_target`
/// accepts as a file is written; standard output is refused here (the interface owns the
/// terminal), as is everything it refuses. The file keeps the mode of the one it replaces, or
/// gets the usual mode for a new file.
pub fn write_file_atomically(
    path: &std::path::Path,
    write: impl FnOnce(&mut (dyn std::io::Write + Send)) -> Result<usize, ExportError>,
) -> Result<usize, ExportError> {
    use std::io::Write;
    use std::os::unix::fs::PermissionsExt;
    let path = match export_target(path)? {
        ExportTarget::File(path) => path,
        ExportTarget::StandardOutput => {
            return Err(ExportError::Refused(format!(
                "{}: it is standard output, which cannot be written from here; nothing was written",
                path.display()
            )));
        }
    };
    let path = path.as_path();
    let mode = match std::fs::metadata(path) {
        Ok(existing) => existing.permissions().mode() & 0o7777,
        Err(_) => 0o666 & !current_umask(),
    };
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    // A place the export cannot start in is the user's to change, as the targets refused above.
    let cannot_write_in = |e: std::io::Error| {
        ExportError::Refused(format!(
            "cannot write in {}: {}",
            dir.display(),
            without_path(&e)
        ))
    };
    let mut temp = tempfile::NamedTempFile::new_in(&dir).map_err(cannot_write_in)?;
    temp.as_file()
        .set_permissions(std::fs::Permissions::from_mode(mode))
        .map_err(cannot_write_in)?;
    let count = {
        let mut buffered = std::io::BufWriter::new(temp.as_file_mut());
        let count = write(&mut buffered)?;
        buffered.flush()?;
        count
    };
    temp.persist(path).map_err(|e| {
        ExportError::Refused(format!(
            "cannot write {}: {}",
            path.display(),
            without_path(&e.error)
        ))
    })?;
    Ok(count)
}

/// The last part of a file's path, as a message names the file to someone waiting for it.
pub fn file_name(label: &str) -> &str {
    std::path::Path::new(label)
        .file_name()
        .and_then(|name| name.to_str())
        .unwrap_or(label)
}

/// The process's file-creation mask, read by setting it and setting it back.
fn current_umask() -> u32 {
    // SAFETY: umask cannot fail; the mask is restored at once.
    unsafe {
        let mask = libc::umask(0o022);
        libc::umask(mask);
        #[allow(
            clippy::useless_conversion,
            reason = "mode_t is narrower on some platforms"
        )]
        u32::from(mask)
    }
}

/// What went wrong, without the temporary file's name that tempfile appends to its errors
/// (`… at path "/dir/.tmpAbC123"`, its inner error not being reachable): the user named
/// another file and should not see ours.
fn without_path(error: &std::io::Error) -> String {
    let text = error.to_string();
    match text.rfind(" at path \"") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

/// The bundled seed data, embedded so that an installed binary has it too.
pub const SEED: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/seed-data/attache.json"
));

/// Loads the bundled seed data through the same import as users' files; running it twice adds
/// nothing.
pub fn seed(store: &mut crate::store::Store) -> Result<ImportSummary, ImportError> {
    // An event the user has since edited is theirs now: seeding again leaves it as it is.
    json::import(
        store,
        SEED.as_bytes(),
        "seed-data/attache.json",
        false,
        OnConflict::Skip,
        // Seeding never stops on an event the user entered as well: seeded events are
        // matched by id, and what the user wrote is theirs.
        true,
    )
}

/// Counts for the summary line of an import.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ImportSummary {
    pub imported: usize,
    pub already_present: usize,
    pub new_people: usize,
    pub replaced: usize,
    pub conflicts_skipped: usize,
}

impl ImportSummary {
    pub fn count(&mut self, outcome: ImportOutcome) {
        match outcome {
            ImportOutcome::Imported => self.imported += 1,
            ImportOutcome::AlreadyPresent => self.already_present += 1,
            ImportOutcome::Replaced => self.replaced += 1,
            ImportOutcome::ConflictSkipped => self.conflicts_skipped += 1,
        }
    }

    /// What `attache log` says of the import: "events.csv: 26 events, 0 already present".
    pub fn log_line(&self, label: &str) -> String {
        let mut line = format!(
            "{label}: {} {}, {} already present",
            thousands(self.imported),
            if self.imported == 1 {
                "event"
            } else {
                "events"
            },
            thousands(self.already_present)
        );
        if self.replaced > 0 {
            line.push_str(&format!(", {} replaced", thousands(self.replaced)));
        }
        line
    }

    /// "imported 998,211 events, 1,789 already present, 4,032 new people".
    pub fn line(&self, dry_run: bool) -> String {
        let verb = if dry_run { "would import" } else { "imported" };
        let mut line = format!(
            "{verb} {} {}, {} already present, {} new {}",
            thousands(self.imported),
            if self.imported == 1 {
                "event"
            } else {
                "events"
            },
            thousands(self.already_present),
            thousands(self.new_people),
            if self.new_people == 1 {
                "person"
            } else {
                "people"
            },
        );
        if self.replaced > 0 {
            line.push_str(&format!(", {} replaced", thousands(self.replaced)));
        }
        if self.conflicts_skipped > 0 {
            line.push_str(&format!(
                ", {} kept as on record though the file differs",
                thousands(self.conflicts_skipped)
            ));
        }
        line
    }
}

/// 1234567 → "1,234,567".
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A problem in an input file, with where it is: `FILE:LINE: column: what is wrong (value)`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{location}: {problem}")]
pub struct FileProblem {
    pub location: String,
    pub problem: String,
}

/// A record refused as the likely duplicate of another (`domain::duplicate`): "likely the
/// same event as #12 on 11 Apr 2025 ("Talks in Riyadh")", or as a record of the file, which
/// `in_file` names ("line 3").
pub fn duplicate_problem(
    location: String,
    duplicate: &Duplicate,
    in_file: impl Fn(u64) -> String,
) -> FileProblem {
    let other = match duplicate {
        Duplicate::OnRecord {
            number,
            date,
            title,
        } => crate::domain::duplicate::describe(*number, date, title, FILE_DATES),
        Duplicate::InFile(at) => in_file(*at),
    };
    FileProblem {
        location,
        problem: format!(
            "likely the same event as {other} (overlapping dates, the same heads or participants, the same city)"
        ),
    }
}

/// Why an export did not complete. Nothing is left half-written in a file: a file is written
/// whole or not at all.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// Where the export was to go is not a place an export writes.
    #[error("{0}")]
    Refused(String),
    /// Writing the output failed: a full disk, a device error.
    #[error(transparent)]
    Write(#[from] std::io::Error),
    /// Reading the events failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The first problem, when not a dry run; nothing was written.
    #[error("{0}")]
    Problem(FileProblem),
    /// Every problem found by a dry run.
    #[error("{} problems; nothing was written", .0.len())]
    Problems(Vec<FileProblem>),
    /// Every record that is likely the duplicate of another; nothing was written.
    #[error("{} likely duplicates; nothing was written", .0.len())]
    Duplicates(Vec<FileProblem>),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{path}: {reason}")]
    Unreadable { path: String, reason: String },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(998_211), "998,211");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn summary_line() {
        let s = ImportSummary {
            imported: 998_211,
            already_present: 1_789,
            new_people: 4_032,
            ..ImportSummary::default()
        };
        assert_eq!(
            s.line(false),
            "imported 998,211 events, 1,789 already present, 4,032 new people"
        );
        let one = ImportSummary {
            imported: 1,
            already_present: 0,
            new_people: 1,
            ..ImportSummary::default()
        };
        assert_eq!(
            one.line(true),
            "would import 1 event, 0 already present, 1 new person"
        );
        let settled = ImportSummary {
            replaced: 2,
            conflicts_skipped: 1,
            ..ImportSummary::default()
        };
        assert_eq!(
            settled.line(false),
            "imported 0 events, 0 already present, 0 new people, 2 replaced, 1 kept as on record though the file differs"
        );
    }

    #[test]
    fn records_name_the_bad_column() {
        let good = EventRecord {
            date: "2025-04-11".into(),
            title: "Talks".into(),
            unnamed_sides: vec!["RU".into()],
            ..EventRecord::default()
        };
        assert!(good.to_draft().is_ok());
        let cases = [
            (
                EventRecord {
                    date: "2025-02-30".into(),
                    ..good.clone()
                },
                "date: no such day (2025-02-30)",
            ),
            (
                EventRecord {
                    end_date: "2025-04-01".into(),
                    ..good.clone()
                },
                "end_date: is before the start date 2025-04-11 (2025-04-01)",
            ),
            (
                EventRecord {
                    title: " ".into(),
                    ..good.clone()
                },
                "title: must not be empty",
            ),
            (
                EventRecord {
                    kind: "dinner".into(),
                    ..good.clone()
                },
                "kind: unknown kind (expected one of: meeting, talks, visit, summit, call, stopover, other) (dinner)",
            ),
            (
                EventRecord {
                    country: "XX".into(),
                    ..good.clone()
                },
                "country: not an ISO 3166-1 alpha-2 country code (XX)",
            ),
            (
                EventRecord {
                    id: "123".into(),
                    ..good.clone()
                },
                "id: not a UUID (123)",
            ),
            (
                EventRecord {
                    title: "Talks\x1b]52;c;aGk=\x07".into(),
                    ..good.clone()
                },
                "title: control character U+001B",
            ),
            (
                EventRecord {
                    notes: "line one\nline two\u{9b}".into(),
                    ..good.clone()
                },
                "notes: control character U+009B",
            ),
            (
                EventRecord {
                    unnamed_sides: Vec::new(),
                    ..good.clone()
                },
                "participants: an event has at least one side: name a participant, or a side whose members were not named",
            ),
        ];
        for (record, message) in cases {
            assert_eq!(record.to_draft().unwrap_err().to_string(), message);
        }
    }
}
