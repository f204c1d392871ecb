//! Helpers shared by the integration tests: a temporary database and the real binary.

#![allow(clippy::unwrap_used, reason = "a test fails loudly by design")]
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

pub mod pg;

/// Where a test's record is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// Declares each named test function (taking an `Engine`) as a test on each engine:
/// `on_sqlite::NAME` and `on_postgres::NAME`, one body for both. Without PostgreSQL the
/// second says it was skipped (see `pg`).
#[macro_export]
macro_rules! on_each_engine {
    ($($name:ident),* $(,)?) => {
        mod on_sqlite {
            $(#[test]
            fn $name() {
                super::$name($crate::common::Engine::Sqlite);
            })*
        }
        mod on_postgres {
            $(#[test]
            fn $name() {
                if $crate::common::pg::available() {
                    super::$name($crate::common::Engine::Postgres);
                }
            })*
        }
    };
}

pub struct TempDb {
    pub dir: tempfile::TempDir,
    pub path: PathBuf,
}

impl TempDb {
    pub fn empty() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("test.db");
        TempDb { dir, path }
    }

    pub fn seeded() -> Self {
        TempDb::seeded_on(Engine::Sqlite)
    }

    /// An empty record on `engine`: a file in a new folder, or a new PostgreSQL database
    /// (with a new folder beside it for the test's files).
    pub fn empty_on(engine: Engine) -> Self {
        match engine {
            Engine::Sqlite => TempDb::empty(),
            Engine::Postgres => TempDb::at(pg::fresh_database().expect("PostgreSQL for this test")),
        }
    }

    /// The database `db` names (a file or an address), with a new folder for the test's files.
    pub fn at(db: impl Into<PathBuf>) -> Self {
        TempDb {
            dir: tempfile::tempdir().unwrap(),
            path: db.into(),
        }
    }

    pub fn seeded_on(engine: Engine) -> Self {
        let db = TempDb::empty_on(engine);
        db.cmd().arg("seed").assert().success();
        db
    }

    /// The binary on this database, with no default database reachable.
    pub fn cmd(&self) -> Command {
        attache_on(&self.path)
    }

    /// Runs a command that must fail as a user error: exit 1, nothing on standard output.
    pub fn refuses(&self, args: &[&str]) -> assert_cmd::assert::Assert {
        self.cmd().args(args).assert().code(1).stdout("")
    }

    pub fn file(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn stdout(&self, args: &[&str]) -> String {
        let out = self
            .cmd()
            .args(args)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        String::from_utf8(out).unwrap()
    }

    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        serde_json::from_str(&self.stdout(args)).unwrap()
    }

    pub fn event_count(&self) -> usize {
        self.json(&["list", "--format", "json"])
            .as_array()
            .unwrap()
            .len()
    }
}

/// A new, empty store on `engine`, opened in this process.
pub fn store_on(engine: Engine) -> attache::store::Store {
    match engine {
        Engine::Sqlite => attache::store::Store::open_in_memory().unwrap(),
        Engine::Postgres => {
            let url = pg::fresh_database().expect("PostgreSQL for this test");
            attache::store::Store::open_postgres(&url).unwrap()
        }
    }
}

/// libpq's variables, which complete a PostgreSQL address as they do for `psql`.
pub const PG_VARIABLES: [&str; 8] = [
    "PGHOST",
    "PGPORT",
    "PGUSER",
    "PGDATABASE",
    "PGPASSWORD",
    "PGSSLMODE",
    "PGSSLROOTCERT",
    "PGPASSFILE",
];

/// The binary with no database chosen by the environment.
pub fn attache() -> Command {
    let mut cmd = assert_cmd::cargo::cargo_bin_cmd!("attache");
    cmd.env_remove("ATTACHE_DB");
    for variable in PG_VARIABLES {
        cmd.env_remove(variable);
    }
    cmd
}

pub fn attache_on(db: &Path) -> Command {
    let mut cmd = attache();
    cmd.arg("--db").arg(db);
    cmd
}

/// Runs `attache` as the unprivileged user `nobody` when the tests run as root (root writes in
/// any directory, so only another user meets a real read-only one), else as this user.
pub fn as_unprivileged(db: &Path) -> std::process::Command {
    let binary = assert_cmd::cargo::cargo_bin!("attache");
    let root = unsafe { libc::geteuid() } == 0;
    let mut cmd = if root && Path::new("/usr/bin/setpriv").exists() {
        let mut cmd = std::process::Command::new("/usr/bin/setpriv");
        cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(binary);
        cmd
    } else {
        std::process::Command::new(binary)
    };
    cmd.env_remove("ATTACHE_DB").arg("--db").arg(db);
    cmd
}
