//! A throwaway PostgreSQL server for the tests that run on both engines: started once per test
//! program from the installed binaries (`initdb`, `pg_ctl`) in a temporary folder, as the
//! `postgres` user when the tests run as root, and stopped when the program ends; or the
//! server `ATTACHE_TEST_PG` names. Each test gets a database of its own.
//!
//! Without PostgreSQL the tests that need it say once that they were skipped, unless
//! `ATTACHE_REQUIRE_PG=1`, under which that is a failure.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails loudly by design"
)]
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

struct Server {
    /// A database to connect to for creating others.
    admin: String,
    /// The address up to the database name.
    base: String,
    /// The socket directory and port of a server of our own.
    socket: Option<(PathBuf, u16)>,
}

static SERVER: OnceLock<Option<Server>> = OnceLock::new();
/// The user and group PostgreSQL runs as, when the tests run as root.
type RunAs = Option<(u32, u32)>;
/// What the exit handler stops and removes: the binaries' folder, the data directory, and
/// who runs `pg_ctl`.
static STARTED: OnceLock<(PathBuf, PathBuf, RunAs)> = OnceLock::new();
static NEXT: AtomicUsize = AtomicUsize::new(0);
/// Databases made on a server named by `ATTACHE_TEST_PG`, dropped when the program ends.
static MADE: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

/// Whether tests on PostgreSQL can run (said once when they cannot).
pub fn available() -> bool {
    SERVER.get_or_init(start).is_some()
}

/// The address of a new, empty database, or `None` (said once) when PostgreSQL is missing.
pub fn fresh_database() -> Option<String> {
    let server = SERVER.get_or_init(start).as_ref()?;
    let name = format!(
        "attache_test_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::SeqCst)
    );
    let mut client = postgres::Client::connect(&server.admin, postgres::NoTls)
        .expect("connect to the test server");
    client
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .expect("create a test database");
    if server.socket.is_none() {
        MADE.lock().unwrap().push(name.clone());
    }
    Some(format!("{}/{name}", server.base))
}

/// The same database as `fresh_database` gives, reached through the server's Unix socket.
pub fn socket_address(url: &str) -> Option<String> {
    let server = SERVER.get_or_init(start).as_ref()?;
    let (dir, port) = server.socket.as_ref()?;
    let name = url.rsplit('/').next()?;
    Some(format!(
        "postgresql:///{name}?host={}&port={port}&user=attache",
        dir.display()
    ))
}

fn start() -> Option<Server> {
    if let Ok(url) = std::env::var("ATTACHE_TEST_PG") {
        let (base, _) = url
            .rsplit_once('/')
            .expect("ATTACHE_TEST_PG is postgres://USER@HOST:PORT/DB");
        // SAFETY: registers a plain function with no captured state.
        unsafe { libc::atexit(drop_made) };
        return Some(Server {
            admin: url.clone(),
            base: base.to_string(),
            socket: None,
        });
    }
    let Some(bin) = binaries() else {
        let why = "PostgreSQL tests skipped: no initdb/pg_ctl found (install the postgresql \
                   package, or set ATTACHE_TEST_PG=postgres://USER@HOST:PORT/DB)";
        assert!(
            std::env::var("ATTACHE_REQUIRE_PG").as_deref() != Ok("1"),
            "{why}, and ATTACHE_REQUIRE_PG=1 requires them"
        );
        // Past the test harness's capture of `eprintln!`: a skip is seen, not hidden.
        let _ = writeln!(std::io::stderr(), "{why}");
        return None;
    };
    let dir = tempfile::Builder::new()
        .prefix("attache-pg")
        .tempdir()
        .unwrap()
        .keep();
    // PostgreSQL refuses to run as root.
    let run_as: RunAs = (unsafe { libc::geteuid() } == 0).then(postgres_user);
    if let Some((uid, gid)) = run_as {
        std::os::unix::fs::chown(&dir, Some(uid), Some(gid)).unwrap();
    }
    let data = dir.join("data");
    let status = as_user(run_as, &bin.join("initdb"))
        .args([
            "-U",
            "attache",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
            "-D",
        ])
        .arg(&data)
        .stdout(std::process::Stdio::null())
        .status()
        .expect("run initdb");
    assert!(status.success(), "initdb failed");
    let port = free_port();
    STARTED.set((bin.clone(), data.clone(), run_as)).unwrap();
    // SAFETY: registers a plain function with no captured state.
    unsafe { libc::atexit(stop) };
    let options = format!(
        "-F -p {port} -k {} -c listen_addresses=127.0.0.1 -c max_connections=300",
        dir.display()
    );
    let status = as_user(run_as, &bin.join("pg_ctl"))
        .args(["-w", "-t", "60", "-o", &options, "-l"])
        .arg(dir.join("log"))
        .arg("-D")
        .arg(&data)
        .arg("start")
        .stdout(std::process::Stdio::null())
        .status()
        .expect("run pg_ctl");
    assert!(
        status.success(),
        "pg_ctl start failed: see {}",
        dir.join("log").display()
    );
    Some(Server {
        admin: format!("postgres://attache@127.0.0.1:{port}/postgres"),
        base: format!("postgres://attache@127.0.0.1:{port}"),
        socket: Some((dir, port)),
    })
}

extern "C" fn drop_made() {
    let Some(Some(server)) = SERVER.get() else {
        return;
    };
    let Ok(mut client) = postgres::Client::connect(&server.admin, postgres::NoTls) else {
        return;
    };
    for name in MADE.lock().map(|made| made.clone()).unwrap_or_default() {
        let _ = client.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
    }
}

extern "C" fn stop() {
    if let Some((bin, data, run_as)) = STARTED.get() {
        let _ = as_user(*run_as, &bin.join("pg_ctl"))
            .args(["-m", "immediate", "-D"])
            .arg(data)
            .arg("stop")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status();
        if let Some(dir) = data.parent() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// The folder holding `initdb` and `pg_ctl`: on the PATH, or Debian's versioned folder.
fn binaries() -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH")
        .map(|path| std::env::split_paths(&path).collect::<Vec<_>>())
        .unwrap_or_default();
    let mut debian: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|dirs| dirs.flatten().map(|d| d.path().join("bin")).collect())
        .unwrap_or_default();
    debian.sort_by_key(|dir| {
        dir.parent()
            .and_then(Path::file_name)
            .and_then(|v| v.to_str()?.parse::<u32>().ok())
            .unwrap_or(0)
    });
    debian.reverse();
    on_path
        .into_iter()
        .chain(debian)
        .find(|dir| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file())
}

fn postgres_user() -> (u32, u32) {
    for name in [c"postgres", c"nobody"] {
        // SAFETY: a valid C string; the result is read at once, before any other call.
        let entry = unsafe { libc::getpwnam(name.as_ptr()) };
        if !entry.is_null() {
            // SAFETY: checked non-null above.
            let entry = unsafe { &*entry };
            return (entry.pw_uid, entry.pw_gid);
        }
    }
    panic!("running as root, and neither a postgres nor a nobody user exists to run PostgreSQL");
}

fn as_user(run_as: RunAs, program: &Path) -> Command {
    match run_as {
        Some((uid, gid)) => {
            let mut command = Command::new("setpriv");
            command
                .arg(format!("--reuid={uid}"))
                .arg(format!("--regid={gid}"))
                .arg("--clear-groups")
                .arg(program)
                // The tests' working directory may not be readable by that user.
                .current_dir("/");
            command
        }
        None => Command::new(program),
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}
