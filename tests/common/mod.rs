//! Helpers shared by the integration tests: a temporary database and the real binary.

#![allow(clippy::unwrap_used, reason = "a test fails loudly by design")]
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

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
        let db = TempDb::empty();
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

pub fn attache_on(db: &Path) -> Command {
    let mut cmd = assert_cmd::cargo::cargo_bin_cmd!("attache");
    cmd.env_remove("ATTACHE_DB").arg("--db").arg(db);
    cmd
}
