//! The performance benchmark: builds synthetic records (see `synthetic/mod.rs`) of each size
//! given, and prints the median and worst of several runs for import, export, the interface's
//! keystrokes and two commands, with `sqlite3` as the baseline for import and export.
//!
//!     cargo build --release && cargo run --release --example bench -- 10000 100000 1000000
//!
//! Options: `--runs N` (default 5; import and export run `min(N, 3)` times), `--dir DIR` (where
//! the files go; default a temporary directory, removed at the end). BENCHMARKS.md has the
//! figures and what each change bought.

#![allow(
    clippy::unwrap_used,
    clippy::cast_possible_truncation,
    clippy::cast_precision_loss,
    clippy::cast_sign_loss,
    clippy::zombie_processes,
    reason = "a benchmark: a failure should stop it, its figures are small positive numbers, and its children are waited for with wait4, which also gives their peak memory"
)]

mod synthetic;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use attache::app::App;
use attache::store::Store;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

struct Options {
    sizes: Vec<usize>,
    runs: usize,
    dir: Option<PathBuf>,
}

fn options() -> Options {
    let mut options = Options {
        sizes: Vec::new(),
        runs: 5,
        dir: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--runs" => options.runs = args.next().and_then(|n| n.parse().ok()).unwrap_or(5),
            "--dir" => options.dir = args.next().map(PathBuf::from),
            "--browse" => {
                // The interface's part, in a process of its own so that its peak memory is its own.
                let db = args.next().unwrap();
                let runs = args.next().and_then(|n| n.parse().ok()).unwrap_or(5);
                let busiest = args.next().unwrap();
                browse(Path::new(&db), runs, &busiest);
                std::process::exit(0);
            }
            size => options.sizes.push(size.replace('_', "").parse().unwrap()),
        }
    }
    if options.sizes.is_empty() {
        options.sizes = vec![10_000, 100_000];
    }
    options
}

/// The figures of one measure over several runs.
#[derive(Default, Clone)]
struct Times(Vec<Duration>);

impl Times {
    fn median(&self) -> Duration {
        let mut sorted = self.0.clone();
        sorted.sort();
        sorted.get(sorted.len() / 2).copied().unwrap_or_default()
    }

    fn worst(&self) -> Duration {
        self.0.iter().max().copied().unwrap_or_default()
    }
}

fn show(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms >= 1000.0 {
        format!("{:.2} s", ms / 1000.0)
    } else if ms >= 10.0 {
        format!("{ms:.0} ms")
    } else {
        format!("{ms:.2} ms")
    }
}

/// Runs a program to its end and returns its wall time and peak resident memory (KiB).
fn run(command: &mut Command) -> (Duration, i64) {
    let started = Instant::now();
    let child = command.spawn().unwrap();
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: a zeroed rusage is a valid value to be filled in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child, with valid pointers for the status and the usage.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let took = started.elapsed();
    assert_eq!(waited, pid, "wait4 failed");
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "{command:?} failed with status {status}"
    );
    (took, usage.ru_maxrss)
}

fn attache_binary() -> PathBuf {
    let here = std::env::current_exe().unwrap();
    let binary = here.parent().unwrap().parent().unwrap().join("attache");
    assert!(
        binary.exists(),
        "{} is missing: run `cargo build --release` first",
        binary.display()
    );
    binary
}

fn sqlite3() -> String {
    if Command::new("sqlite3").arg("--version").output().is_err() {
        eprintln!("installing the sqlite3 shell for the baseline");
        let _ = Command::new("sh")
            .args([
                "-c",
                "apt-get update -qq && apt-get install -y -qq sqlite3 >/dev/null",
            ])
            .status();
    }
    "sqlite3".into()
}

struct Row {
    measure: String,
    times: Times,
    baseline: Option<Times>,
    memory: Option<i64>,
}

fn main() {
    let options = options();
    let temporary = tempfile::tempdir().unwrap();
    let dir = options
        .dir
        .clone()
        .unwrap_or_else(|| temporary.path().to_path_buf());
    std::fs::create_dir_all(&dir).unwrap();
    let binary = attache_binary();
    let sqlite3 = sqlite3();
    println!(
        "attache benchmark: {} runs each (import and export {}), {} cores",
        options.runs,
        options.runs.min(3),
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    for &size in &options.sizes {
        let csv = dir.join(format!("events-{size}.csv"));
        let mut file = std::io::BufWriter::new(std::fs::File::create(&csv).unwrap());
        synthetic::write_csv(size, &mut file).unwrap();
        drop(file);
        let people = synthetic::People::new(size);
        let mut rows: Vec<Row> = Vec::new();
        let db = dir.join(format!("attache-{size}.db"));
        let slow_runs = options.runs.min(3);

        let mut import = Times::default();
        let mut import_memory = 0;
        let mut baseline = Times::default();
        for _ in 0..slow_runs {
            remove_database(&db);
            let (took, memory) = run(Command::new(&binary)
                .arg("--db")
                .arg(&db)
                .arg("import")
                .arg(&csv)
                // Events dated to the year overlap the rest of their pair's year: the synthetic
                // record holds likely duplicates, imported as they are.
                .arg("--allow-duplicates")
                .stdout(Stdio::null())
                .stderr(Stdio::null()));
            import.0.push(took);
            import_memory = import_memory.max(memory);
            let bare = dir.join(format!("bare-{size}.db"));
            let _ = std::fs::remove_file(&bare);
            let (took, _) = run(Command::new(&sqlite3)
                .arg(&bare)
                .arg(".mode csv")
                .arg(format!(".import {} bare", csv.display()))
                .stdout(Stdio::null()));
            baseline.0.push(took);
        }
        rows.push(Row {
            measure: "CSV import".into(),
            times: import,
            baseline: Some(baseline),
            memory: Some(import_memory),
        });

        let mut export = Times::default();
        let mut export_memory = 0;
        let mut baseline = Times::default();
        let out = dir.join(format!("export-{size}.csv"));
        for _ in 0..slow_runs {
            let _ = std::fs::remove_file(&out);
            let (took, memory) = run(Command::new(&binary)
                .arg("--db")
                .arg(&db)
                .arg("export")
                .arg("--out")
                .arg(&out)
                .stdout(Stdio::null())
                .stderr(Stdio::null()));
            export.0.push(took);
            export_memory = export_memory.max(memory);
            let (took, _) = run(Command::new(&sqlite3)
                .arg("-csv")
                .arg(dir.join(format!("bare-{size}.db")))
                .arg("SELECT * FROM bare")
                .stdout(Stdio::null()));
            baseline.0.push(took);
        }
        rows.push(Row {
            measure: "CSV export".into(),
            times: export,
            baseline: Some(baseline),
            memory: Some(export_memory),
        });

        // The interface, in a child process that prints one line per measure.
        let here = std::env::current_exe().unwrap();
        let child = Command::new(&here)
            .arg("--browse")
            .arg(&db)
            .arg(options.runs.to_string())
            .arg(people.busiest())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let pid = child.id() as libc::pid_t;
        let output = read_all(child);
        let mut status = 0;
        // SAFETY: a zeroed rusage is a valid value to be filled in.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        // SAFETY: waits for our own child, with valid pointers.
        unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        assert!(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0);
        for line in output.lines() {
            let mut parts = line.split('\t');
            let measure = parts.next().unwrap().to_string();
            let times = Times(
                parts
                    .map(|t| Duration::from_nanos(t.parse().unwrap()))
                    .collect(),
            );
            rows.push(Row {
                measure,
                times,
                baseline: None,
                memory: None,
            });
        }
        rows.push(Row {
            measure: "peak memory browsing".into(),
            times: Times::default(),
            baseline: None,
            memory: Some(usage.ru_maxrss),
        });

        let (first, second) = people.busiest_pair();
        for (measure, args) in [
            (
                "attache count (busiest pair)",
                vec!["count".to_string(), first.to_string(), second.to_string()],
            ),
            (
                "attache list --person (busiest) --limit 50",
                vec![
                    "list".into(),
                    "--person".into(),
                    first.to_string(),
                    "--limit".into(),
                    "50".into(),
                ],
            ),
        ] {
            let mut times = Times::default();
            for _ in 0..options.runs {
                let (took, _) = run(Command::new(&binary)
                    .arg("--db")
                    .arg(&db)
                    .args(&args)
                    .stdout(Stdio::null()));
                times.0.push(took);
            }
            rows.push(Row {
                measure: measure.into(),
                times,
                baseline: None,
                memory: None,
            });
        }
        print_table(size, &rows);
        let megabytes =
            |path: &Path| std::fs::metadata(path).map_or(0.0, |m| m.len() as f64 / 1024.0 / 1024.0);
        println!(
            "\ndatabase {:.0} MB for a CSV file of {:.0} MB ({:.1}×)",
            megabytes(&db),
            megabytes(&csv),
            megabytes(&db) / megabytes(&csv).max(1e-9)
        );
    }
}

fn read_all(mut child: std::process::Child) -> String {
    use std::io::Read;
    let mut text = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

fn remove_database(db: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
}

fn print_table(size: usize, rows: &[Row]) {
    println!("\n{size} events\n");
    println!("| measure | median | worst | baseline (sqlite3) | ratio | peak memory |");
    println!("|---|---|---|---|---|---|");
    for row in rows {
        let timed = !row.times.0.is_empty();
        let (median, worst) = if timed {
            (show(row.times.median()), show(row.times.worst()))
        } else {
            (String::new(), String::new())
        };
        let (baseline, ratio) = match &row.baseline {
            Some(b) => (
                show(b.median()),
                format!(
                    "{:.1}×",
                    row.times.median().as_secs_f64() / b.median().as_secs_f64().max(1e-9)
                ),
            ),
            None => (String::new(), String::new()),
        };
        let memory = row
            .memory
            .map(|kib| format!("{:.0} MB", kib as f64 / 1024.0))
            .unwrap_or_default();
        println!(
            "| {} | {median} | {worst} | {baseline} | {ratio} | {memory} |",
            row.measure
        );
    }
}

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn char_key(c: char) -> KeyEvent {
    key(KeyCode::Char(c))
}

/// The interface as the terminal loop runs it: a key, then `sync` with the store, then a frame
/// drawn on a 160×48 screen.
struct Screen {
    app: App,
    store: Store,
    terminal: Terminal<TestBackend>,
    theme: attache::ui::Theme,
}

impl Screen {
    fn open(db: &Path) -> Screen {
        // `--browse` also takes a postgres:// address (docs/scaling.md).
        let store = Store::open_any(db).unwrap();
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        let mut screen = Screen {
            app: App::new(today),
            store,
            terminal: Terminal::new(TestBackend::new(160, 48)).unwrap(),
            theme: attache::config::Config::default().theme(),
        };
        screen.frame();
        screen
    }

    fn frame(&mut self) {
        let area = ratatui::layout::Rect::new(0, 0, 160, 48);
        self.app.viewport = attache::ui::list_rows(area, &self.app).max(1);
        self.app.sync(&mut self.store);
        self.app.viewport = attache::ui::list_rows(area, &self.app).max(1);
        let (app, theme) = (&self.app, &self.theme);
        self.terminal
            .draw(|frame| attache::ui::draw(frame, app, theme))
            .unwrap();
        if let Some(status) = &self.app.status {
            assert!(!status.starts_with("error"), "{status}");
        }
    }

    /// Time from a key to its finished frame.
    fn press(&mut self, key: KeyEvent) -> Duration {
        let started = Instant::now();
        self.app.handle_key(key);
        self.frame();
        started.elapsed()
    }

    fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.press(char_key(c));
        }
    }
}

/// Measures the interface's actions `runs` times and prints `measure<TAB>nanos...` lines.
fn browse(db: &Path, runs: usize, busiest: &str) {
    let mut measures: Vec<(String, Vec<Duration>)> = Vec::new();
    let mut record = |name: &str, took: Duration| match measures.iter_mut().find(|m| m.0 == name) {
        Some(found) => found.1.push(took),
        None => measures.push((name.to_string(), vec![took])),
    };
    let surname = "Петров";
    for _ in 0..runs {
        let started = Instant::now();
        let mut screen = Screen::open(db);
        record("open and first frame (160×48)", started.elapsed());
        record("j", screen.press(char_key('j')));
        record("PgDn", screen.press(key(KeyCode::PageDown)));
        record("G", screen.press(char_key('G')));
        record("g", screen.press(char_key('g')));
        screen.press(char_key('t'));
        screen.type_text("2008-06-1");
        screen.press(char_key('5'));
        record(
            "jump to a date (t, Enter)",
            screen.press(key(KeyCode::Enter)),
        );
        screen.press(char_key('/'));
        let mut worst = Duration::ZERO;
        for c in surname.chars() {
            worst = worst.max(screen.press(char_key(c)));
        }
        record("search keystroke, a surname (worst of the word)", worst);
        screen.press(key(KeyCode::Esc));
        screen.press(key(KeyCode::Esc));
        screen.press(char_key('/'));
        let mut worst = Duration::ZERO;
        for c in "qzxv".chars() {
            worst = worst.max(screen.press(char_key(c)));
        }
        record("search keystroke, a word found nowhere (worst)", worst);
        screen.press(key(KeyCode::Esc));
        screen.press(key(KeyCode::Esc));
        screen.press(char_key('f'));
        screen.type_text(&format!("person:\"{busiest}\""));
        record(
            "filter by the busiest person (Enter)",
            screen.press(key(KeyCode::Enter)),
        );
        assert_eq!(
            screen.app.timeline.filter.people.len(),
            1,
            "the filter did not apply: {:?}",
            screen.app.status
        );
        record("j under the filter", screen.press(char_key('j')));
        record("G under the filter", screen.press(char_key('G')));
        screen.press(key(KeyCode::Esc));
        record("stats view (4)", screen.press(char_key('4')));
        record("chart view (5)", screen.press(char_key('5')));
        let mut worst = Duration::ZERO;
        for _ in 0..5 {
            worst = worst.max(screen.press(char_key('+')));
        }
        record("chart zoom in to days (+, worst)", worst);
        record("chart h in days", screen.press(char_key('h')));
        let mut worst = Duration::ZERO;
        for _ in 0..5 {
            worst = worst.max(screen.press(char_key('-')));
        }
        record("chart zoom out to decades (-, worst)", worst);
        record(
            "chart brush a decade (Enter)",
            screen.press(key(KeyCode::Enter)),
        );
        record("back to the chart (Esc)", screen.press(key(KeyCode::Esc)));
        screen.press(char_key('2'));
        screen.press(char_key('s'));
        screen.press(char_key('g'));
        record(
            "busiest person's history (Enter in People)",
            screen.press(key(KeyCode::Enter)),
        );
        assert_eq!(
            screen.app.history.person.as_ref().map(|p| p.name.as_str()),
            Some(busiest),
            "the history opened is not the busiest person's"
        );
        record("j in the history", screen.press(char_key('j')));
    }
    for (name, times) in measures {
        let nanos: Vec<String> = times.iter().map(|t| t.as_nanos().to_string()).collect();
        println!("{name}\t{}", nanos.join("\t"));
    }
}
