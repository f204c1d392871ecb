//! Paths that could lose data or hang, and hostile input on every path: each test here failed on
//! the build before its fix (RELIABILITY.md lists them).

#![allow(clippy::unwrap_used, reason = "a test fails loudly by design")]

mod common;

use std::os::unix::fs::FileTypeExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use common::TempDb;
use predicates::prelude::*;
use predicates::str::contains;

fn is_root() -> bool {
    // SAFETY: geteuid cannot fail.
    unsafe { libc::geteuid() == 0 }
}

/// A character device to point attache at. As root, a null device made in the test's own folder
/// (as `mknod mynull c 1 3`), so that a regression replaces that and not the system's; as
/// another user, /dev/full, which that user cannot replace.
fn character_device(dir: &Path) -> PathBuf {
    if !is_root() {
        return PathBuf::from("/dev/full");
    }
    let path = dir.join("mynull");
    let c_path = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path; makedev(1, 3) is the null device.
    let made = unsafe { libc::mknod(c_path.as_ptr(), libc::S_IFCHR | 0o666, libc::makedev(1, 3)) };
    assert_eq!(made, 0, "mknod as root");
    path
}

fn fifo(dir: &Path) -> PathBuf {
    let path = dir.join("pipe");
    let c_path = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o666) }, 0);
    path
}

fn kind(path: &Path) -> std::fs::FileType {
    std::fs::symlink_metadata(path).unwrap().file_type()
}

#[test]
fn an_export_refuses_devices_pipes_directories_and_sockets_and_leaves_them_be() {
    let db = TempDb::seeded();
    let device = character_device(db.dir.path());
    let pipe = fifo(db.dir.path());
    let socket_path = db.file("sock");
    let _listener = std::os::unix::net::UnixListener::bind(&socket_path).unwrap();
    let directory = db.file("folder");
    std::fs::create_dir(&directory).unwrap();
    for (target, said) in [
        (&device, "it is a character device"),
        (&pipe, "it is a named pipe (FIFO)"),
        (&socket_path, "it is a socket"),
        (&directory, "it is a directory"),
    ] {
        for format in ["csv", "json", "ics", "md"] {
            db.cmd()
                .args(["export", "--format", format, "--out"])
                .arg(target)
                .timeout(Duration::from_secs(20))
                .assert()
                .code(1)
                .stdout("")
                .stderr(contains(said))
                .stderr(contains(
                    "an export writes a new or regular file only, nothing was written",
                ));
        }
    }
    assert!(kind(&device).is_char_device(), "the device is still one");
    assert!(kind(&pipe).is_fifo(), "the pipe is still one");
    assert!(kind(&socket_path).is_socket());
    assert_eq!(std::fs::read_dir(&directory).unwrap().count(), 0);
}

#[test]
fn an_export_to_standard_output_by_name_writes_there() {
    let db = TempDb::seeded();
    let named = db.stdout(&["export", "--out", "/dev/stdout"]);
    let plain = db.stdout(&["export"]);
    assert_eq!(named, plain);
    assert_eq!(named.lines().count(), 37);
}

/// A connection that keeps the database open, so that committed changes stay in the write-ahead
/// log instead of being copied into the file when the last program closes it.
fn hold_open(db: &Path) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row("PRAGMA wal_autocheckpoint = 0", [], |_| Ok(()))
        .unwrap();
    conn.query_row("SELECT count(*) FROM event", [], |_| Ok(()))
        .unwrap();
    conn
}

#[test]
fn an_export_never_writes_over_a_side_file_of_the_database() {
    let db = TempDb::seeded();
    let holder = hold_open(&db.path);
    db.cmd()
        .args([
            "add",
            "--date",
            "2025-05-01",
            "--title",
            "Kept only in the log so far",
            "--participant",
            "Putin:RU",
        ])
        .assert()
        .success()
        .stdout(contains("added #37"));
    let wal = PathBuf::from(format!("{}-wal", db.path.display()));
    let wal_before = std::fs::read(&wal).unwrap();
    assert!(!wal_before.is_empty(), "the change is in the log");
    let link = db.file("latest.csv");
    std::os::unix::fs::symlink(&wal, &link).unwrap();
    let side_files = ["-wal", "-shm", "-journal"]
        .map(|suffix| PathBuf::from(format!("{}{suffix}", db.path.display())));
    for target in side_files.iter().chain([&link]) {
        db.cmd()
            .args(["export", "--out"])
            .arg(target)
            .assert()
            .code(1)
            .stdout("")
            .stderr(contains(format!(
                "SQLite keeps the changes of {} in a file of this name",
                std::fs::canonicalize(&db.path).unwrap().display()
            )));
    }
    assert_eq!(
        std::fs::read(&wal).unwrap(),
        wal_before,
        "the log untouched"
    );
    assert!(
        !side_files[2].exists(),
        "no journal made where there was none"
    );
    db.cmd()
        .args(["show", "37"])
        .assert()
        .success()
        .stdout(contains("Kept only in the log so far"));
    let integrity: String = holder
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
    drop(holder);
    assert_eq!(db.event_count(), 37);
}

#[test]
fn a_database_must_be_a_regular_file() {
    let db = TempDb::empty();
    let device = character_device(db.dir.path());
    let pipe = fifo(db.dir.path());
    for (target, said) in [
        (&device, "it is a character device, not a database file"),
        (&pipe, "it is a named pipe (FIFO), not a database file"),
    ] {
        for args in [
            &["list"][..],
            &["add", "--date", "2025-01-01", "--title", "x"],
        ] {
            common::attache_on(target)
                .args(args)
                .timeout(Duration::from_secs(20))
                .assert()
                .code(1)
                .stdout("")
                .stderr(contains(format!(
                    "{}: cannot open the database: {said}",
                    target.display()
                )));
        }
    }
    let journal = PathBuf::from(format!("{}-journal", device.display()));
    assert!(!journal.exists(), "no journal beside the device");
    assert!(kind(&pipe).is_fifo());
}

#[test]
fn a_dry_run_import_creates_no_database_anywhere() {
    let db = TempDb::empty();
    let file = db.file("events.csv");
    let seeded = TempDb::seeded();
    std::fs::write(&file, seeded.stdout(&["export"])).unwrap();
    db.cmd()
        .args(["import", "--dry-run"])
        .arg(&file)
        .assert()
        .success()
        .stdout("would import 36 events, 0 already present, 31 new people\n");
    assert!(!db.path.exists(), "the database was created");
    assert!(!PathBuf::from(format!("{}-wal", db.path.display())).exists());

    // The default database (no --db): neither the file nor its folder appears.
    let home = tempfile::tempdir().unwrap();
    common::attache()
        .env("HOME", home.path())
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .args(["import", "--dry-run"])
        .arg(&file)
        .assert()
        .success()
        .stdout(contains("would import 36 events"));
    assert_eq!(
        std::fs::read_dir(home.path()).unwrap().count(),
        0,
        "nothing written in the home folder"
    );
}

#[test]
fn a_dry_run_shows_control_codes_in_the_file_instead_of_sending_them() {
    let db = TempDb::seeded();
    let csv = db.file("hostile.csv");
    std::fs::write(
        &csv,
        "date,title,participants\n\u{1b}[2J,Clear the screen,Putin (RU)\n2025-01-01,\u{1b}]52;c;ZWNobyBwd25lZA==\u{7} x\u{0}y,Nobody (XX)\n",
    )
    .unwrap();
    let json = db.file("hostile.json");
    std::fs::write(
        &json,
        r#"{"attache":2,"events":[{"date":"2025-13-01","title":"T\u001b]52;c;ZWNobyBwd25lZA==\u0007 x"}]}"#,
    )
    .unwrap();
    for file in [&csv, &json] {
        for dry_run in [true, false] {
            let mut cmd = db.cmd();
            cmd.arg("import");
            if dry_run {
                cmd.arg("--dry-run");
            }
            let out = cmd.arg(file).output().unwrap();
            assert_eq!(out.status.code(), Some(1), "{}", file.display());
            let stderr = String::from_utf8(out.stderr).unwrap();
            assert!(
                !stderr.chars().any(|c| c.is_control() && c != '\n'),
                "a raw control code reached the terminal: {stderr:?}"
            );
            assert!(stderr.contains("\\u{1b}"), "{stderr}");
        }
    }
    assert_eq!(db.event_count(), 36);
}

#[test]
fn output_into_a_closed_pipe_ends_quietly_and_closes_the_database() {
    use std::os::fd::{FromRawFd, OwnedFd};
    use std::os::unix::process::ExitStatusExt;
    let db = TempDb::seeded();
    let mut fds = [0; 2];
    // SAFETY: pipe fills the two descriptors it is given.
    assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
    // SAFETY: both descriptors were just opened and are owned here alone.
    let (reader, writer) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
    // The reader is gone before attache writes a byte: every write meets a closed pipe.
    drop(reader);
    for args in [&["list"][..], &["export"], &["history", "putin"]] {
        let out = std::process::Command::new(assert_cmd::cargo::cargo_bin!("attache"))
            .env_remove("ATTACHE_DB")
            .arg("--db")
            .arg(&db.path)
            .args(args)
            .stdout(std::process::Stdio::from(writer.try_clone().unwrap()))
            .output()
            .unwrap();
        assert_eq!(out.status.signal(), None, "{args:?} died of a signal");
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert_eq!(String::from_utf8_lossy(&out.stderr), "", "{args:?}");
        for suffix in ["-wal", "-shm"] {
            assert!(
                !PathBuf::from(format!("{}{suffix}", db.path.display())).exists(),
                "{args:?} left {suffix} behind: the database was not closed"
            );
        }
    }
    db.cmd()
        .arg("list")
        .assert()
        .success()
        .stdout(predicate::str::contains("Witkoff"));
}

#[test]
fn counts_out_of_range_are_refused_not_stored_as_another_number() {
    let db = TempDb::seeded();
    let priors_before = db.stdout(&["prior", "list", "--format", "json"]);
    db.refuses(&[
        "prior",
        "set",
        "Putin",
        "Witkoff",
        "--count",
        "18446744073709551615",
        "--source",
        "TASS",
    ])
    .stderr(contains(
        "count: is more than 100000, the largest count attache takes (18446744073709551615)",
    ));
    let json = db.file("priors.json");
    let mut record = db.json(&["export", "--format", "json"]);
    record["priors"] = serde_json::json!([{
        "people": ["Vladimir Putin", "Steve Witkoff"],
        "kind": "in-person",
        "count": 9_223_372_036_854_775_807_u64,
        "sources": [{"outlet": "TASS"}],
    }]);
    std::fs::write(&json, record.to_string()).unwrap();
    db.refuses(&["import", json.to_str().unwrap()])
        .stderr(contains("is more than 100000"));
    assert_eq!(
        db.stdout(&["prior", "list", "--format", "json"]),
        priors_before,
        "no prior count changed"
    );
}

#[test]
fn a_database_whose_tables_do_not_match_its_version_is_refused_without_a_backup_each_try() {
    let db = TempDb::seeded();
    {
        let conn = rusqlite::Connection::open(&db.path).unwrap();
        // Out of WAL mode too: setting the journal mode back rewrites the header, which must
        // not happen to a file that is refused.
        conn.execute_batch("PRAGMA journal_mode = DELETE; PRAGMA user_version = 10")
            .unwrap();
    }
    let before = std::fs::read(&db.path).unwrap();
    for _ in 0..3 {
        // The differences are listed in order of name: later schemas' columns may come first.
        db.refuses(&["list"])
            .stderr(contains(format!(
                "{}: its tables are not those of schema version 10, which it says it is at (",
                db.path.display()
            )))
            .stderr(contains("event.version is not in version 10"));
    }
    assert_eq!(std::fs::read(&db.path).unwrap(), before, "the file changed");
    let backups: Vec<_> = std::fs::read_dir(db.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains(".bak"))
        .collect();
    assert_eq!(backups, Vec::<String>::new(), "backups piled up");
}

#[test]
fn a_database_that_cannot_be_read_says_permission_denied_and_its_path() {
    use std::os::unix::fs::PermissionsExt;
    let db = TempDb::seeded();
    std::fs::set_permissions(&db.path, std::fs::Permissions::from_mode(0o000)).unwrap();
    // Root reads any file: the refusal is met as another user.
    let out = common::as_unprivileged(&db.path)
        .args(["count", "putin", "witkoff"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!(
            "error: {}: cannot open the database: permission denied\n",
            db.path.display()
        )
    );
    std::fs::set_permissions(&db.path, std::fs::Permissions::from_mode(0o644)).unwrap();
}

/// Puts text into a stored event's field directly, as an older attache or another program could
/// have, past the limits input now has.
fn plant(db: &Path, column: &str, text: &str) {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.execute(
        &format!("UPDATE event SET {column} = ? WHERE id = 1"),
        [text],
    )
    .unwrap();
}

#[test]
fn even_a_wide_listing_caps_its_cells() {
    let db = TempDb::seeded();
    plant(&db.path, "title", &"Переговоры ".repeat(100_000));
    let out = db.stdout(&["--wide", "list"]);
    let longest = out
        .lines()
        .map(unicode_width::UnicodeWidthStr::width)
        .max()
        .unwrap();
    assert!(longest < 1_400, "a line of {longest} columns");
    assert!(out.contains('…'), "the cut is shown");
    let csv = db.stdout(&["export"]);
    assert!(
        csv.contains(&"Переговоры ".repeat(100_000).trim_end().to_string()),
        "CSV keeps the cell whole"
    );
}

#[test]
fn an_icalendar_export_of_a_long_note_is_whole_and_not_quadratic() {
    let db = TempDb::seeded();
    // 4 MB: the quadratic folding took minutes on this in a debug build; a linear one, moments.
    let note = "Ушаков: переговоры, продолжатся; ".repeat(70_000);
    plant(&db.path, "notes", &note);
    let out = db
        .cmd()
        .args(["export", "--format", "ics"])
        .timeout(Duration::from_secs(120))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.split("\r\n").all(|line| line.len() <= 75),
        "every line folded at 75 octets"
    );
    let unfolded = text.replace("\r\n ", "");
    let escaped = note.trim().replace(',', "\\,").replace(';', "\\;");
    assert!(unfolded.contains(&escaped), "the note is whole");
}

#[test]
fn input_longer_than_its_field_takes_is_refused_with_the_limit() {
    let db = TempDb::seeded();
    let long_title = "T".repeat(501);
    db.refuses(&[
        "add",
        "--date",
        "2025-05-01",
        "--title",
        &long_title,
        "--participant",
        "Putin:RU",
    ])
    .stderr(contains("title: 501 characters; at most 500"));
    let csv = db.file("long.csv");
    std::fs::write(
        &csv,
        format!(
            "date,title,notes,participants\n2025-05-01,Fine,,Putin (RU)\n2025-05-02,Long notes,{},Putin (RU)\n",
            "n".repeat(100_001)
        ),
    )
    .unwrap();
    db.refuses(&["import", csv.to_str().unwrap()])
        .stderr(contains(":3: notes: 100001 characters; at most 100000"));
    db.refuses(&["person", "edit", "Putin", "--add-alias", &"П".repeat(501)])
        .stderr(contains("alias: 501 characters; at most 500"));
    let url = format!("https://example.com/{}", "a".repeat(2_048));
    db.refuses(&[
        "add",
        "--date",
        "2025-05-01",
        "--title",
        "Fine",
        "--participant",
        "Putin:RU",
        "--source",
        &format!("TASS <{url}>"),
    ])
    .stderr(contains("source: 2068 characters; at most 2048"));
    assert_eq!(db.event_count(), 36);
}

#[test]
fn a_writing_command_never_attaches_a_new_name_to_someone_by_prefix() {
    let db = TempDb::seeded();
    let events_of = |name: &str| {
        db.json(&["history", name, "--format", "json"])["events"]
            .as_array()
            .unwrap()
            .len()
    };
    let witkoff_before = events_of("Steve Witkoff");
    // Without --create-people a prefix is refused, naming the close match.
    db.refuses(&[
        "add",
        "--date",
        "2025-05-01",
        "--title",
        "Talks",
        "--participant",
        "Steve Witk:US",
    ])
    .stderr(contains(
        "unknown person \"Steve Witk\" (did you mean \"Steve Witkoff\"?)",
    ));
    // With it, a prefix is a new person, not the one it begins.
    db.cmd()
        .args(["add", "--date", "2025-05-01", "--title", "Talks"])
        .args(["--participant", "Steve Witk:GB", "--create-people"])
        .assert()
        .success();
    assert_eq!(events_of("Steve Witkoff"), witkoff_before);
    let json = db.json(&["person", "show", "Steve Witk", "--format", "json"]);
    assert_eq!(json["name"], "Steve Witk", "{json}");
    // A family name is a whole word, still taken; so is any name in any case.
    db.cmd()
        .args(["add", "--date", "2025-05-02", "--title", "Talks again"])
        .args(["--participant", "witkoff:US", "--participant", "ПУТИН:RU"])
        .assert()
        .success();
    assert_eq!(events_of("Steve Witkoff"), witkoff_before + 1);
}
