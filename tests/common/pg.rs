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
    let bin = binaries_or_skip(
        "no initdb/pg_ctl found (install the postgresql package, or set \
         ATTACHE_TEST_PG=postgres://USER@HOST:PORT/DB)",
    )?;
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

/// The binaries' folder, or `None` after saying why the tests are skipped (a failure under
/// `ATTACHE_REQUIRE_PG=1`).
fn binaries_or_skip(why: &str) -> Option<PathBuf> {
    let found = binaries();
    if found.is_none() {
        let why = format!("PostgreSQL tests skipped: {why}");
        assert!(
            std::env::var("ATTACHE_REQUIRE_PG").as_deref() != Ok("1"),
            "{why}, and ATTACHE_REQUIRE_PG=1 requires them"
        );
        // Past the test harness's capture of `eprintln!`: a skip is seen, not hidden.
        let _ = writeln!(std::io::stderr(), "{why}");
    }
    found
}

/// How a server of a test's own differs from initdb's: lines added to `postgresql.conf`, a
/// `pg_hba.conf` in place of initdb's, files put in the data directory before the start (a
/// certificate and its key, `standby.signal`), and a password for the role `attache`.
#[derive(Default)]
pub struct Setup<'a> {
    pub conf: &'a str,
    pub hba: Option<&'a str>,
    pub files: Vec<(&'a str, Vec<u8>)>,
    pub password: Option<&'a str>,
}

/// A server of a test's own, for what the shared one is not (TLS, passwords, a standby),
/// listening on 127.0.0.1 and a socket in its folder, and stopped when dropped.
pub struct OwnServer {
    pub dir: PathBuf,
    pub data: PathBuf,
    pub port: u16,
    bin: PathBuf,
    run_as: RunAs,
}

impl OwnServer {
    /// Starts the server, or says the test is skipped and gives `None` (see `available`).
    pub fn start(setup: Setup) -> Option<OwnServer> {
        let bin = binaries_or_skip("no initdb/pg_ctl found for a server of the test's own")?;
        let dir = tempfile::Builder::new()
            .prefix("attache-own-pg")
            .tempdir()
            .unwrap()
            .keep();
        let run_as: RunAs = (unsafe { libc::geteuid() } == 0).then(postgres_user);
        if let Some((uid, gid)) = run_as {
            std::os::unix::fs::chown(&dir, Some(uid), Some(gid)).unwrap();
        }
        let server = OwnServer {
            data: dir.join("data"),
            dir,
            port: free_port(),
            bin,
            run_as,
        };
        let mut initdb = as_user(run_as, &server.bin.join("initdb"));
        initdb.args([
            "-U",
            "attache",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        ]);
        if let Some(password) = setup.password {
            let file = server.dir.join("password");
            server.write_private(&file, password.as_bytes());
            initdb.arg(format!("--pwfile={}", file.display()));
        }
        let status = initdb
            .arg("-D")
            .arg(&server.data)
            .stdout(std::process::Stdio::null())
            .status()
            .expect("run initdb");
        assert!(status.success(), "initdb failed");
        let conf = server.data.join("postgresql.conf");
        let mut text = std::fs::read_to_string(&conf).unwrap();
        text.push_str(&format!(
            "\nport = {}\nunix_socket_directories = '{}'\nlisten_addresses = '127.0.0.1'\n{}\n",
            server.port,
            server.dir.display(),
            setup.conf
        ));
        std::fs::write(&conf, text).unwrap();
        if let Some(hba) = setup.hba {
            std::fs::write(server.data.join("pg_hba.conf"), hba).unwrap();
        }
        for (name, bytes) in &setup.files {
            server.write_private(&server.data.join(name), bytes);
        }
        let status = server
            .pg_ctl(&["-w", "-t", "60", "start", "-l"])
            .arg(server.dir.join("log"))
            .stdout(std::process::Stdio::null())
            .status()
            .expect("run pg_ctl");
        assert!(
            status.success(),
            "pg_ctl start failed: see {}",
            server.dir.join("log").display()
        );
        Some(server)
    }

    /// `pg_ctl -D DATA` on this server, then `args`.
    pub fn pg_ctl(&self, args: &[&str]) -> Command {
        let mut command = as_user(self.run_as, &self.bin.join("pg_ctl"));
        command.arg("-D").arg(&self.data).args(args);
        command
    }

    /// A connection through the socket, which every set-up here trusts.
    pub fn client(&self, database: &str) -> postgres::Client {
        let address = format!(
            "host={} port={} user=attache dbname={database}",
            self.dir.display(),
            self.port
        );
        postgres::Client::connect(&address, postgres::NoTls).expect("connect through the socket")
    }

    /// A file only the server's user can read, as PostgreSQL wants its key.
    fn write_private(&self, path: &Path, bytes: &[u8]) {
        use std::os::unix::fs::PermissionsExt;
        std::fs::write(path, bytes).unwrap();
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
        if let Some((uid, gid)) = self.run_as {
            std::os::unix::fs::chown(path, Some(uid), Some(gid)).unwrap();
        }
    }
}

impl Drop for OwnServer {
    fn drop(&mut self) {
        let _ = self
            .pg_ctl(&["-m", "immediate", "stop"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status();
        let _ = std::fs::remove_dir_all(&self.dir);
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
