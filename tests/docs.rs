//! The documentation as a reader runs it: every ```console block of README.md and docs/*.md is
//! run against the real binary on a freshly seeded database (trycmd), and every screen of the
//! interface in them is the snapshot the interface's tests draw. `TRYCMD=overwrite cargo test
//! --test docs` writes the program's present output into the console blocks.

#![allow(clippy::unwrap_used, reason = "a test fails loudly by design")]

use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn documents() -> Vec<PathBuf> {
    let mut files = vec![root().join("README.md")];
    let mut docs: Vec<PathBuf> = std::fs::read_dir(root().join("docs"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .collect();
    docs.sort();
    files.extend(docs);
    files
}

/// Each document runs on a database of its own, seeded as `attache seed` seeds it, so that an
/// example that changes the record (a trip joined, then undone) cannot change another's output.
#[test]
fn the_command_examples_print_what_they_show() {
    let home = tempfile::tempdir().unwrap();
    for document in documents() {
        let text = std::fs::read_to_string(&document).unwrap();
        if !text.contains("```console") {
            continue;
        }
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("attache.db");
        let seeded = std::process::Command::new(env!("CARGO_BIN_EXE_attache"))
            .args(["--db".as_ref(), db.as_os_str(), "seed".as_ref()])
            .output()
            .unwrap();
        assert!(seeded.status.success(), "{seeded:?}");
        let cases = trycmd::TestCases::new();
        cases
            .env("ATTACHE_DB", db.display().to_string())
            .env("ATTACHE_USER", "ann")
            .env("HOME", home.path().display().to_string())
            .env(
                "XDG_CONFIG_HOME",
                home.path().join("config").display().to_string(),
            )
            .env(
                "XDG_DATA_HOME",
                home.path().join("data").display().to_string(),
            )
            .env("NO_COLOR", "1")
            .case(&document);
        cases.run();
    }
}

/// The lines of an insta snapshot of a `TestBackend`: each row between quotes, its trailing
/// spaces dropped (insta may note hidden cells of wide characters after the closing quote).
fn snapshot_screen(name: &str) -> String {
    let path = root().join(format!("tests/snapshots/tui_snapshots__{name}.snap"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let body = text.splitn(3, "---\n").nth(2).unwrap();
    body.lines()
        .map(|line| {
            let inner = line.strip_prefix('"').unwrap();
            let end = inner
                .find("\" Hidden by multi-width symbols")
                .unwrap_or_else(|| inner.rfind('"').unwrap());
            format!("{}\n", inner[..end].trim_end())
        })
        .collect()
}

/// A screen in the documents is marked `<!-- snapshot: NAME -->` on the line before its block.
#[test]
fn the_screens_are_the_interface_as_its_tests_draw_it() {
    let mut screens = 0;
    for document in documents() {
        let text = std::fs::read_to_string(&document).unwrap();
        let mut lines = text.lines();
        while let Some(line) = lines.next() {
            let Some(name) = line
                .strip_prefix("<!-- snapshot: ")
                .and_then(|rest| rest.strip_suffix(" -->"))
            else {
                continue;
            };
            assert_eq!(
                lines.next(),
                Some("```text"),
                "{}: {name}",
                document.display()
            );
            let shown: String = lines
                .by_ref()
                .take_while(|l| *l != "```")
                .map(|l| format!("{}\n", l.trim_end()))
                .collect();
            assert_eq!(
                shown,
                snapshot_screen(name),
                "{} shows {name} otherwise than tests/snapshots draws it",
                document.display()
            );
            screens += 1;
        }
    }
    assert!(
        screens >= 4,
        "only {screens} screens found in the documents"
    );
}
