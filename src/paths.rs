//! What kind of file a path names, and which files belong to a SQLite database: the checks that
//! keep an export or an open from replacing a device, a pipe, a database or its side files.

use std::fs::Metadata;
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::{Path, PathBuf};

/// The files SQLite keeps beside a database while it is in use; replacing one loses changes
/// that were committed but not yet copied into the database.
pub const SIDE_FILE_SUFFIXES: [&str; 3] = ["-wal", "-shm", "-journal"];

/// What a file that is not a regular file is, in words; `None` for a regular file.
pub fn irregular_kind(metadata: &Metadata) -> Option<&'static str> {
    let kind = metadata.file_type();
    if kind.is_file() {
        None
    } else if kind.is_dir() {
        Some("a directory")
    } else if kind.is_char_device() {
        Some("a character device")
    } else if kind.is_block_device() {
        Some("a block device")
    } else if kind.is_fifo() {
        Some("a named pipe (FIFO)")
    } else if kind.is_socket() {
        Some("a socket")
    } else {
        Some("not a regular file")
    }
}

/// Whether the regular file at `path` is an SQLite database (of any program). Only regular files
/// are opened: opening a named pipe to read its first bytes would wait for a writer forever.
pub fn is_sqlite_file(path: &Path) -> bool {
    use std::io::Read;
    if !std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
        return false;
    }
    let mut magic = [0u8; 16];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut magic))
        .is_ok_and(|()| &magic == b"SQLite format 3\0")
}

/// The database whose side file `path` would be (`x.db` for `x.db-wal`), when that database
/// exists; whether the side file exists does not matter, as SQLite would take a file of that
/// name for one.
pub fn database_of_side_file(path: &Path) -> Option<PathBuf> {
    let name = path.file_name()?.to_str()?;
    let stem = SIDE_FILE_SUFFIXES
        .iter()
        .find_map(|suffix| name.strip_suffix(suffix))?;
    let database = path.with_file_name(stem);
    is_sqlite_file(&database).then_some(database)
}

/// Whether `metadata` is the file this process's standard output is: `--out /dev/stdout`, or a
/// path the shell redirected standard output to.
pub fn is_standard_output(metadata: &Metadata) -> bool {
    // SAFETY: fstat only writes into the zeroed struct it is given.
    let mut stat: libc::stat = unsafe { std::mem::zeroed() };
    let found = unsafe { libc::fstat(libc::STDOUT_FILENO, &mut stat) } == 0;
    #[allow(
        clippy::useless_conversion,
        reason = "dev_t and ino_t are narrower on some platforms"
    )]
    let same = found
        && u64::from(stat.st_dev) == metadata.dev()
        && u64::from(stat.st_ino) == metadata.ino();
    same
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_pipes_and_directories_are_named() {
        let dir = tempfile::tempdir().expect("temp dir");
        let fifo = dir.path().join("pipe");
        let c_path = std::ffi::CString::new(fifo.to_str().expect("utf-8")).expect("no NUL");
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
        let kind = |p: &Path| irregular_kind(&std::fs::metadata(p).expect("exists"));
        assert_eq!(kind(&fifo), Some("a named pipe (FIFO)"));
        assert_eq!(kind(Path::new("/dev/null")), Some("a character device"));
        assert_eq!(kind(dir.path()), Some("a directory"));
        let file = dir.path().join("plain");
        std::fs::write(&file, "x").expect("write");
        assert_eq!(kind(&file), None);
        // Must not block on the pipe.
        assert!(!is_sqlite_file(&fifo));
    }

    #[test]
    fn side_files_are_known_by_their_database() {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("w.db");
        let mut header = b"SQLite format 3\0".to_vec();
        header.resize(4096, 0);
        std::fs::write(&db, header).expect("database");
        for suffix in SIDE_FILE_SUFFIXES {
            let side = dir.path().join(format!("w.db{suffix}"));
            assert_eq!(database_of_side_file(&side), Some(db.clone()), "{suffix}");
        }
        assert_eq!(
            database_of_side_file(&dir.path().join("other.db-wal")),
            None
        );
        assert_eq!(database_of_side_file(&dir.path().join("w.db.csv")), None);
    }
}
