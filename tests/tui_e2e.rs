//! The real binary in a real terminal: tmux runs it, sends keys and reads the screen.
//! Needs tmux (`.ci/run` installs it).

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

    /// The screen once it shows `needle`; fails with the screen after 10 seconds.
    fn wait_for(&self, needle: &str) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(needle) {
                return screen;
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "waited for {needle:?}; the screen shows:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
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
    let binary = assert_cmd::cargo::cargo_bin!("attache");
    tmux.type_text(&format!(
        "{} --db {}; echo \"exi\"\"ted $? $(stty -a | tr ' ' '\\n' | grep -x -e icanon -e -icanon) end\"",
        binary.display(),
        db.path.display()
    ));
    tmux.keys(&["Enter"]);

    let screen = tmux.wait_for("1 Timeline");
    assert!(screen.contains("── February 2025 ─"), "{screen}");
    assert!(
        screen.contains("Steve Witkoff meets Vladimir Putin in Moscow"),
        "{screen}"
    );
    assert!(screen.contains("Timeline 1 / 26"), "{screen}");

    tmux.keys(&["/"]);
    tmux.type_text("Istanbul");
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for("Timeline 4 / 26 · /Istanbul");
    assert!(
        screen.contains("1st face-to-face meeting between Sonata Coulter and Alexander Darchiev"),
        "{screen}"
    );

    tmux.keys(&["n"]);
    let screen =
        tmux.wait_for("2nd face-to-face meeting between Sonata Coulter and Alexander Darchiev");
    assert!(
        screen.contains("Russian Consulate General, Istanbul"),
        "{screen}"
    );
    assert!(screen.contains("Timeline 9 / 26"), "{screen}");

    tmux.keys(&["Enter"]);
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for("Met most: Sonata Coulter ×2");
    assert!(
        screen.contains("Alexander Darchiev  Александр Дарчиев  RU"),
        "{screen}"
    );
    assert!(
        screen.contains("2nd meeting with Sonata Coulter"),
        "{screen}"
    );

    tmux.keys(&["?"]);
    let screen = tmux.wait_for("Keys — type to filter");
    assert!(
        screen.contains("incremental") || screen.contains("search titles, places and names"),
        "{screen}"
    );
    tmux.keys(&["Escape"]);
    tmux.wait_for("History 1 / 2");

    tmux.keys(&["q"]);
    // The command line reads "exi""ted", so only the output matches.
    let screen = tmux.wait_for("exited ");
    assert!(
        screen.lines().any(|l| l == "exited 0 icanon end"),
        "exit status 0 and the terminal back in cooked mode:\n{screen}"
    );
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
    let binary = assert_cmd::cargo::cargo_bin!("attache");
    tmux.type_text(&format!("{} --db {}", binary.display(), db.path.display()));
    tmux.keys(&["Enter"]);
    let wide = tmux.wait_for("1 Timeline");
    assert!(wide.contains("│"), "side by side at 120 columns:\n{wide}");
    tmux.run(&["resize-window", "-t", "main", "-x", "80", "-y", "24"]);
    let narrow = tmux.wait_for(" Detail ─");
    assert!(narrow.lines().all(|l| l.chars().count() <= 80), "{narrow}");
    tmux.keys(&["q"]);
}
