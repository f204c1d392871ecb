//! The real binary in a real terminal: tmux runs it, sends keys and reads the screen.
//! Needs tmux (`.ci/run` installs it).

#![allow(clippy::unwrap_used, reason = "a test fails loudly by design")]

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

use common::TempDb;

struct Tmux {
    socket: String,
}

impl Tmux {
    /// A tmux server of the test's own, so that tests running at once do not meet.
    fn start(name: &str, width: u16, height: u16) -> Tmux {
        let socket = format!("attache-e2e-{}-{name}", std::process::id());
        let tmux = Tmux { socket };
        tmux.run(&[
            "new-session",
            "-d",
            "-s",
            "main",
            "-x",
            &width.to_string(),
            "-y",
            &height.to_string(),
            "env PS1='$ ' sh",
        ]);
        tmux
    }

    fn run(&self, args: &[&str]) -> String {
        let output = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux runs (install it: apt-get install tmux)");
        assert!(
            output.status.success(),
            "tmux {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "main"];
        args.extend_from_slice(keys);
        self.run(&args);
    }

    fn type_text(&self, text: &str) {
        self.run(&["send-keys", "-t", "main", "-l", text]);
    }

    fn screen(&self) -> String {
        self.run(&["capture-pane", "-p", "-t", "main"])
    }

    /// The screen once it shows every one of `needles` (a frame may be captured half-drawn, so
    /// everything checked is waited for); fails with the screen after 10 seconds.
    fn wait_for_all(&self, needles: &[&str]) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if needles.iter().all(|n| screen.contains(n)) {
                return screen;
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "waited for {needles:?}; the screen shows:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn wait_for(&self, needle: &str) -> String {
        self.wait_for_all(&[needle])
    }
}

impl Tmux {
    /// Types the real binary's command line on `db` at the shell, `then` following it.
    fn launch(&self, db: &TempDb, then: &str) {
        let binary = assert_cmd::cargo::cargo_bin!("attache");
        self.type_text(&format!(
            "{} --db {}{then}",
            binary.display(),
            db.path.display()
        ));
        self.keys(&["Enter"]);
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .arg("kill-server")
            .output();
    }
}

#[test]
fn a_session_from_search_to_history_to_help_to_quit() {
    let db = TempDb::seeded();
    let tmux = Tmux::start("session", 100, 30);
    tmux.launch(
        &db,
        "; echo \"exi\"\"ted $? $(stty -a | tr ' ' '\\n' | grep -x -e icanon -e -icanon) end\"",
    );

    tmux.wait_for_all(&[
        "1 Timeline",
        "── February 2025 ─",
        "Steve Witkoff meets Vladimir Putin in Moscow",
        "Timeline 1 / 36",
    ]);

    tmux.keys(&["/"]);
    tmux.type_text("Istanbul");
    tmux.keys(&["Enter"]);
    tmux.wait_for_all(&[
        "Timeline 4 / 36 · list · /Istanbul",
        "1st face-to-face meeting between Sonata Coulter and Alexander Darchiev",
    ]);

    tmux.keys(&["n"]);
    tmux.wait_for_all(&[
        "2nd face-to-face meeting between Sonata Coulter and Alexander Darchiev",
        "Russian Consulate General, Istanbul",
        "Timeline 9 / 36",
    ]);

    tmux.keys(&["Enter"]);
    tmux.keys(&["Enter"]);
    tmux.wait_for_all(&[
        "Met most: Sonata Coulter ×2",
        "Alexander Darchiev  Александр Дарчиев  RU",
        "2nd meeting with Sonata Coulter",
        "History 1 / 3",
    ]);

    tmux.keys(&["?"]);
    tmux.wait_for_all(&[
        "Keys — / filter",
        "search this list: titles, places and names",
        "quit",
    ]);
    tmux.keys(&["Escape"]);
    tmux.wait_for("History 1 / 3");

    tmux.keys(&["q"]);
    // The command line reads "exi""ted", so only the output matches: exit status 0, and the
    // terminal back in cooked mode.
    let screen = tmux.wait_for("exited 0 icanon end");
    assert!(
        !screen.contains("1 Timeline"),
        "the alternate screen was left:\n{screen}"
    );
    assert!(
        screen.contains("--db"),
        "the shell's screen is back:\n{screen}"
    );
}

#[test]
fn resizing_redraws_at_once() {
    let db = TempDb::seeded();
    let tmux = Tmux::start("resize", 120, 30);
    tmux.launch(&db, "");
    tmux.wait_for_all(&["1 Timeline", "│ Detail", "Timeline 1 / 36"]);
    tmux.run(&["resize-window", "-t", "main", "-x", "80", "-y", "24"]);
    let narrow = tmux.wait_for(" Detail #1 ─");
    assert!(narrow.lines().all(|l| l.chars().count() <= 80), "{narrow}");
    tmux.keys(&["q"]);
}

#[test]
fn adding_an_event_through_the_form_then_undoing_it() {
    let db = TempDb::seeded();
    let tmux = Tmux::start("form", 100, 32);
    // The marker is split on the command line, so only the shell's output after exit matches.
    tmux.launch(&db, "; echo \"attache \"\"exited\"");
    tmux.wait_for("Timeline 1 / 36");

    tmux.keys(&["a"]);
    tmux.wait_for("Add an event");
    tmux.type_text("Witkoff and Kushner meet Putin");
    tmux.keys(&["Tab"]);
    tmux.type_text("15 Apr 2026");
    tmux.wait_for("Wed 15 Apr 2026");
    tmux.keys(&["Tab", "Tab", "Tab", "Tab", "Tab"]);
    tmux.type_text("Moscow");
    tmux.keys(&["Tab"]);
    tmux.type_text("RU");
    tmux.keys(&["Tab"]);
    tmux.type_text("Kremlin");
    tmux.keys(&["Tab"]);
    tmux.type_text("Putin");
    tmux.keys(&["Tab"]);
    tmux.type_text("RU");
    tmux.keys(&["Tab", "Tab"]);
    tmux.type_text("witk");
    tmux.wait_for("Steve Witkoff");
    tmux.keys(&["Enter"]);
    // Choosing a known person fills their side.
    tmux.wait_for("[US  ]");
    tmux.keys(&["Tab", "Tab", "Tab"]);
    tmux.type_text("Example");
    tmux.keys(&["Tab", "Tab"]);
    tmux.type_text("https://example.org/witkoff-kushner-moscow");
    tmux.wait_for_all(&["→ Vladimir Putin", "→ Steve Witkoff", "[Example"]);
    tmux.keys(&["C-s"]);
    tmux.wait_for_all(&[
        // The whole line, "… in this record", is wider than the status bar leaves it.
        "added #37: this is the 8th face-to-face meeting between Vladimir Putin and Steve",
        "Witkoff and Kushner meet Putin",
    ]);
    tmux.keys(&["q"]);
    tmux.wait_for("attache exited");

    let found = db.json(&["list", "--format", "json", "--search", "Kushner meet Putin"]);
    let events = found.as_array().unwrap();
    assert_eq!(events.len(), 1, "{found}");
    let event = &events[0];
    assert_eq!(event["date"], "2026-04-15");
    assert_eq!(event["city"], "Moscow");
    assert_eq!(event["venue"], "Kremlin");
    let participants: Vec<(&str, &str)> = event["participants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["name"].as_str().unwrap(), p["side"].as_str().unwrap()))
        .collect();
    assert_eq!(
        participants,
        [("Vladimir Putin", "RU"), ("Steve Witkoff", "US")]
    );
    assert_eq!(event["sources"][0]["outlet"], "Example");
    assert_eq!(
        event["ordinals"][0],
        "8th face-to-face meeting between Vladimir Putin and Steve Witkoff in this record"
    );

    db.cmd()
        .arg("undo")
        .assert()
        .success()
        .stdout("undid adding #37 \"Witkoff and Kushner meet Putin\"\n");
    let after = db.json(&["list", "--format", "json", "--search", "Kushner meet Putin"]);
    assert_eq!(after.as_array().unwrap().len(), 0);
    assert_eq!(db.event_count(), 36);
}

#[test]
fn an_event_added_from_another_shell_appears() {
    let db = TempDb::seeded();
    let tmux = Tmux::start("other", 100, 30);
    tmux.launch(&db, "");
    tmux.wait_for("Timeline 1 / 36");
    db.cmd()
        .args([
            "add",
            "--date",
            "2026-04-15",
            "--title",
            "Added from a shell",
            "--participant",
            "Putin:RU",
            "--participant",
            "Witkoff:US",
        ])
        .assert()
        .success();
    tmux.wait_for_all(&[
        "Timeline 1 / 37",
        "the database was changed elsewhere; reloaded",
    ]);
    tmux.keys(&["G"]);
    tmux.wait_for_all(&[
        "Added from a shell",
        "8th face-to-face meeting between Vladimir Putin and Steve Witkoff",
    ]);
    tmux.keys(&["q"]);
}

impl Tmux {
    /// A tmux format read from the pane: `#{alternate_on}`, `#{cursor_flag}`, ….
    fn pane(&self, format: &str) -> String {
        self.run(&["display-message", "-p", "-t", "main", format])
            .trim()
            .to_string()
    }
}

/// `o` with no browser that works says it failed and why, at once, instead of "opening …".
#[test]
fn opening_a_link_without_a_browser_says_why() {
    let db = TempDb::seeded();
    let tmux = Tmux::start("browser", 100, 30);
    let browser = db.file("browser");
    std::fs::write(
        &browser,
        "#!/bin/sh\necho \"no method available for opening $1\" >&2\nexit 3\n",
    )
    .unwrap();
    std::fs::set_permissions(
        &browser,
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    tmux.type_text(&format!("BROWSER={} ", browser.display()));
    tmux.launch(&db, "");
    tmux.wait_for("Timeline 1 / 36");
    tmux.keys(&["o"]);
    tmux.wait_for_all(&[
        "could not open the link",
        "exit status: 3",
        "no method available",
    ]);
    tmux.keys(&["q"]);
}

#[test]
fn any_script_typed_into_search_the_form_and_the_filter() {
    let db = TempDb::seeded();
    let tmux = Tmux::start("script", 100, 30);
    tmux.launch(&db, "; echo \"attache \"\"exited $?\"");
    tmux.wait_for("Timeline 1 / 36");

    tmux.keys(&["/"]);
    tmux.type_text("Путин");
    tmux.wait_for_all(&["/Путин", "1 Timeline"]);
    tmux.keys(&["Enter", "Escape", "Escape"]);

    tmux.keys(&["a"]);
    tmux.wait_for("Add an event");
    tmux.type_text("Trump–Putin 習近平 встреча");
    tmux.keys(&["Left", "Left"]);
    tmux.type_text("x");
    tmux.wait_for("Trump–Putin 習近平 встреxча");
    tmux.keys(&["Escape"]);
    tmux.wait_for("Discard your changes?");
    tmux.keys(&["y"]);
    tmux.wait_for("closed the form; nothing was saved");

    tmux.keys(&["f"]);
    tmux.type_text("person:Путин");
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for_all(&["filter: person:Путин (Esc clears)", "Putin–Witkoff"]);
    assert!(!screen.contains("Coulter–Darchiev"), "{screen}");
    tmux.keys(&["q"]);
    tmux.wait_for("attache exited 0");
}

#[test]
fn sigterm_sighup_sigint_and_sigquit_restore_the_terminal() {
    for (signal, status) in [("TERM", 143), ("HUP", 129), ("INT", 130), ("QUIT", 131)] {
        let db = TempDb::seeded();
        let tmux = Tmux::start(&format!("sig{signal}"), 100, 30);
        tmux.launch(
            &db,
            "; echo \"exi\"\"ted $? $(stty -a | tr ' ' '\\n' | grep -x -e icanon -e -icanon) end\"",
        );
        tmux.wait_for("Timeline 1 / 36");
        assert_eq!(tmux.pane("#{alternate_on}"), "1");
        let killed = Command::new("pkill")
            .args([
                &format!("-{signal}"),
                "-f",
                "--",
                &format!("--db {}", db.path.display()),
            ])
            .status()
            .expect("pkill runs");
        assert!(killed.success(), "the interface was found and signalled");
        let screen = tmux.wait_for(&format!("exited {status} icanon end"));
        assert!(!screen.contains("1 Timeline"), "{screen}");
        assert_eq!(
            tmux.pane("#{alternate_on}"),
            "0",
            "SIG{signal}: the alternate screen was left"
        );
        assert_eq!(
            tmux.pane("#{cursor_flag}"),
            "1",
            "SIG{signal}: the cursor shows"
        );
        assert_eq!(
            tmux.pane("#{mouse_any_flag}#{mouse_button_flag}#{mouse_standard_flag}"),
            "000",
            "SIG{signal}: mouse capture is off"
        );
    }
}

#[test]
fn the_first_run_says_it_created_the_database() {
    let home = tempfile::tempdir().unwrap();
    let tmux = Tmux::start("firstrun", 120, 30);
    let binary = assert_cmd::cargo::cargo_bin!("attache");
    tmux.type_text(&format!(
        "env -u ATTACHE_DB XDG_DATA_HOME={0}/data XDG_CONFIG_HOME={0}/config {1}",
        home.path().display(),
        binary.display()
    ));
    tmux.keys(&["Enter"]);
    tmux.wait_for_all(&[
        "created ",
        "loaded the bundled seed data",
        "Steve Witkoff meets",
    ]);
    tmux.keys(&["?"]);
    tmux.wait_for(&format!("database {}/data/attache", home.path().display()));
    tmux.keys(&["q", "q"]);
}

#[test]
fn tables_fit_the_terminal_unless_wide() {
    let db = TempDb::seeded();
    let tmux = Tmux::start("tables", 60, 40);
    tmux.launch(&db, " list --limit 5; echo \"listed\"\"-narrow\"");
    let screen = tmux.wait_for("listed-narrow");
    let rows: Vec<&str> = screen.lines().filter(|l| l.contains("2025")).collect();
    assert!(rows.len() >= 5, "{screen}");
    assert!(rows.iter().all(|l| l.chars().count() <= 60), "{screen}");
    assert!(rows.iter().any(|l| l.contains('…')), "{screen}");
    tmux.run(&["send-keys", "-t", "main", "clear", "Enter"]);
    tmux.launch(
        &db,
        " --wide list --limit 5 | cat; echo \"listed\"\"-wide\"",
    );
    let wide = tmux.wait_for("listed-wide");
    assert!(!wide.contains('…'), "{wide}");
}

#[test]
fn closing_the_terminal_ends_the_interface() {
    let db = TempDb::seeded();
    let tmux = Tmux::start("hangup", 100, 30);
    tmux.launch(&db, "");
    tmux.wait_for("Timeline 1 / 36");
    let pattern = format!("--db {}", db.path.display());
    let running = || {
        Command::new("pgrep")
            .args(["-f", "--", &pattern])
            .output()
            .is_ok_and(|o| o.status.success())
    };
    assert!(running());
    drop(tmux);
    let start = Instant::now();
    while running() {
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "the interface still runs with its terminal gone"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn the_detail_beside_the_list_leaves_the_list_whole() {
    let db = TempDb::seeded();
    let tmux = Tmux::start("wide", 160, 40);
    tmux.launch(&db, "");
    tmux.wait_for("Timeline 1 / 36");
    tmux.keys(&["t"]);
    tmux.type_text("2025-04-11");
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for_all(&["https://tass.com/world/1942591", "went to 11 Apr 2025"]);
    // Every row of the list keeps its date and title beside the detail's addresses.
    for row in [
        "19 May 2025 call    Trump–Putin phone call",
        "14 Jun 2025 call    Trump–Putin phone call",
    ] {
        assert!(screen.contains(row), "{row} is garbled:\n{screen}");
    }
    assert!(
        screen.contains("(2 Apr 2025)"),
        "a date stays whole when wrapped:\n{screen}"
    );
    tmux.keys(&["q"]);
}

#[test]
fn two_people_merged_in_the_people_view_and_the_merge_undone() {
    let db = TempDb::seeded();
    db.cmd()
        .args([
            "add",
            "--create-people",
            "--date",
            "2026-01-02",
            "--title",
            "Lavrov and Rubio again",
        ])
        .args([
            "--participant",
            "Sergej Lavrow:RU",
            "--participant",
            "Marco Rubio:US",
        ])
        .assert()
        .success();
    let tmux = Tmux::start("merge", 100, 30);
    tmux.launch(&db, "; echo \"attache \"\"exited\"");
    tmux.wait_for("Timeline 1 / 37");
    tmux.keys(&["2", "/"]);
    tmux.type_text("Lavrow");
    tmux.keys(&["Enter", "m"]);
    tmux.wait_for("merge into:");
    tmux.type_text("lavr");
    tmux.wait_for("→ Sergey Lavrov (Tab completes)");
    tmux.keys(&["Tab", "Enter"]);
    tmux.wait_for("Merge Sergej Lavrow into Sergey Lavrov: 1 event move to Sergey Lavrov");
    tmux.keys(&["y"]);
    tmux.wait_for("merged Sergej Lavrow into Sergey Lavrov: 1 event moved; u undoes");
    let merged = db.json(&["person", "show", "Sergej Lavrow", "--format", "json"]);
    assert_eq!(merged["name"], "Sergey Lavrov");
    tmux.keys(&["u"]);
    tmux.wait_for("undid merging Sergej Lavrow into Sergey Lavrov");
    tmux.keys(&["q"]);
    tmux.wait_for("attache exited");
    let back = db.json(&["person", "show", "Sergej Lavrow", "--format", "json"]);
    assert_eq!(
        (back["name"].as_str(), back["events"].as_u64()),
        (Some("Sergej Lavrow"), Some(1))
    );
}

#[test]
fn a_save_waits_for_another_writer_saying_for_what_and_esc_stops_waiting() {
    let db = TempDb::seeded();
    // Another writer: holding the lock and announcing itself as an import would.
    let holder = rusqlite::Connection::open(&db.path).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let announcement = attache::store::announcement_file(&db.path.display().to_string());
    std::fs::write(
        &announcement,
        format!(
            r#"{{"author":"ann","work":"import of archive.csv","percent":40,"pid":{},"since":"2026-12-06T12:03:55+00:00"}}"#,
            std::process::id()
        ),
    )
    .unwrap();
    let tmux = Tmux::start("waiting", 120, 32);
    tmux.launch(&db, " --wait 600; echo \"attache \"\"exited\"");
    tmux.wait_for("Timeline 1 / 36");
    tmux.keys(&["a"]);
    tmux.wait_for("Add an event");
    tmux.type_text("Saved after the import");
    tmux.keys(&["Tab"]);
    tmux.type_text("22 Jan 2026");
    tmux.wait_for("Thu 22 Jan 2026");
    // An event has a side.
    tmux.keys(&["Tab", "Tab", "Tab", "Tab", "Tab", "Tab", "Tab", "Tab"]);
    tmux.type_text("Putin");
    tmux.keys(&["Tab"]);
    tmux.type_text("RU");
    tmux.keys(&["C-s"]);
    tmux.wait_for_all(&[
        "waiting for ann's import of archive.csv (40% written, since 12:03:55 UTC) to finish",
        "Esc stops waiting",
    ]);
    tmux.keys(&["Escape"]);
    let screen = tmux.wait_for_all(&[
        "not saved:",
        "stopped waiting for ann's import of archive.csv",
    ]);
    assert!(
        screen.contains("Add an event") && screen.contains("Saved after the import"),
        "the form keeps what was typed: {screen}"
    );

    // The other writer finishes; the same save now goes through.
    holder.execute_batch("ROLLBACK").unwrap();
    std::fs::remove_file(&announcement).unwrap();
    tmux.keys(&["C-s"]);
    tmux.wait_for("added #37");
    tmux.keys(&["q"]);
    tmux.wait_for("attache exited");
    assert_eq!(db.event_count(), 37);
}

#[test]
fn the_interface_outlives_a_restart_of_the_database_server() {
    let Some(server) = common::pg::OwnServer::start(common::pg::Setup::default()) else {
        return;
    };
    server
        .client("postgres")
        .batch_execute("CREATE DATABASE attache")
        .unwrap();
    let address = format!("postgres://attache@127.0.0.1:{}/attache", server.port);
    let db = TempDb::at(address.clone());
    db.cmd().arg("seed").assert().success();
    let tmux = Tmux::start("restart", 140, 32);
    tmux.launch(&db, "; echo \"attache \"\"exited\" $?");
    tmux.wait_for("Timeline 1 / 36");
    tmux.keys(&["a"]);
    tmux.wait_for("Add an event");
    tmux.type_text("Typed while the server restarts");
    tmux.keys(&["Tab"]);
    tmux.type_text("22 Jan 2026");
    tmux.wait_for("Thu 22 Jan 2026");
    // An event has a side.
    tmux.keys(&["Tab", "Tab", "Tab", "Tab", "Tab", "Tab", "Tab", "Tab"]);
    tmux.type_text("Putin");
    tmux.keys(&["Tab"]);
    tmux.type_text("RU");

    let stopped = server
        .pg_ctl(&["-m", "fast", "-w", "stop"])
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(stopped.success());
    tmux.wait_for("the database server cannot be reached");
    tmux.keys(&["C-s"]);
    let screen = tmux.wait_for_all(&["not saved:", "cannot be reached"]);
    assert!(
        screen.contains("Add an event") && screen.contains("Typed while the server restarts"),
        "the form keeps what was typed: {screen}"
    );

    let started = server
        .pg_ctl(&["-w", "-t", "60", "start", "-l"])
        .arg(server.dir.join("log"))
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(started.success());
    tmux.wait_for(&format!("connected to {address} again"));
    tmux.keys(&["C-s"]);
    tmux.wait_for("added #37");
    tmux.keys(&["q"]);
    tmux.wait_for("attache exited 0");
    assert_eq!(db.event_count(), 37);
}

#[test]
fn the_chart_zooms_brushes_a_period_and_comes_back() {
    let db = TempDb::seeded();
    let tmux = Tmux::start("chart", 80, 24);
    tmux.launch(&db, "");
    tmux.wait_for("Timeline 1 / 36");
    tmux.keys(&["5"]);
    tmux.wait_for_all(&[
        "Events per month, 2025-02 to 2026-03 (14 months) · every event",
        "Mar 2026: 2 events (1 talks, 1 call)",
    ]);
    tmux.keys(&["+"]);
    tmux.wait_for("Events per week, 2025-W05 to 2026-W14 (62 weeks)");
    // Back to months, then to the first month of the record.
    tmux.keys(&["-", "g"]);
    tmux.wait_for("Feb 2025: ");
    tmux.keys(&["Enter"]);
    let timeline = tmux.wait_for("filter: from:2025-02-01 to:2025-02-28");
    assert!(timeline.contains("11 Feb 2025"), "{timeline}");
    assert!(timeline.contains("Timeline 1 / 4 "), "{timeline}");
    assert!(!timeline.contains("Mar 2025"), "{timeline}");
    tmux.keys(&["Escape"]);
    let chart = tmux.wait_for("Events per month, 2025-02 to 2026-03");
    assert!(chart.contains("Feb 2025: "), "{chart}");
    assert!(chart.contains("every event"), "{chart}");
    tmux.keys(&["q"]);
}
