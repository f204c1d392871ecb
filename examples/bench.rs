//! The performance benchmark: builds synthetic records (see `synthetic/mod.rs`) of each size
//! and shape given, and prints the median and worst of several runs for import, export, the
//! interface's keystrokes and two commands, with `sqlite3` as the baseline for import and
//! export; then `attache copy` into a throwaway PostgreSQL server and an export from there; and
//! at the end one table of the figures the performance targets name, for every record.
//!
//!     cargo run --release --example bench -- 10000 100000 1000000
//!
//! (run so, it builds the release binary it measures first).
//!
//! Options: `--runs N` (default 5; import and export run `min(N, 3)` times, once from a
//! million events up), `--dir DIR` (where the files go; default a temporary directory, removed
//! at the end), `--shapes flat,heavy` (the generator's shapes, default both), `--attache BIN`
//! (the binary measured, default the release build beside this one: an older build measures
//! the "before" of a change), `--no-postgres`. BENCHMARKS.md has the figures and what each
//! change bought.

#![allow(
    clippy::unwrap_used,
    clippy::cast_possible_truncation,
    clippy::cast_precision_loss,
    clippy::cast_sign_loss,
    clippy::zombie_processes,
    reason = "a benchmark: a failure should stop it, its figures are small positive numbers, and its children are waited for with wait4, which also gives their peak memory"
)]

#[path = "../tests/common/pg.rs"]
mod pg;
mod synthetic;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use attache::app::App;
use attache::interchange::thousands;
use attache::store::Store;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use synthetic::Shape;

struct Options {
    sizes: Vec<usize>,
    runs: usize,
    dir: Option<PathBuf>,
    shapes: Vec<Shape>,
    attache: Option<PathBuf>,
    postgres: bool,
}

fn options() -> Options {
    let mut options = Options {
        sizes: Vec::new(),
        runs: 5,
        dir: None,
        shapes: vec![Shape::Flat, Shape::Heavy],
        attache: None,
        postgres: true,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--runs" => options.runs = args.next().and_then(|n| n.parse().ok()).unwrap_or(5),
            "--dir" => options.dir = args.next().map(PathBuf::from),
            "--attache" => options.attache = args.next().map(PathBuf::from),
            "--no-postgres" => options.postgres = false,
            "--shapes" => {
                options.shapes = args
                    .next()
                    .unwrap()
                    .split(',')
                    .map(|word| Shape::parse(word).expect("a shape is flat or heavy"))
                    .collect();
            }
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

/// Lowers this process's own peak resident memory to what it holds now. A child's peak as
/// `wait4` gives it starts from its parent's peak at the moment it was started (Linux copies
/// the high-water mark into the child and keeps it across `exec`): without this, every child
/// measured after the benchmark once held a big file would report that file's size.
fn forget_own_peak() {
    std::fs::write("/proc/self/clear_refs", "5").expect("Linux's /proc/self/clear_refs");
}

/// Runs a program to its end and returns its wall time and peak resident memory (KiB).
fn run(command: &mut Command) -> (Duration, i64) {
    forget_own_peak();
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

/// One `attache export` of the record at `db` (a file or a PostgreSQL address) as CSV into
/// `out`, written afresh: its wall time and peak memory.
fn export_once(binary: &Path, db: &std::ffi::OsStr, out: &Path) -> (Duration, i64) {
    let _ = std::fs::remove_file(out);
    run(Command::new(binary)
        .arg("--db")
        .arg(db)
        .arg("export")
        .arg("--out")
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::null()))
}

/// The build of attache beside this one. Run through `cargo run`, which builds the library and
/// this example but not the binary, the binary is built first: otherwise the benchmark would
/// time whatever build of it was left there.
fn attache_binary() -> PathBuf {
    let here = std::env::current_exe().unwrap();
    let profile = here.parent().unwrap().parent().unwrap();
    if let (Some(cargo), Some(manifest)) = (
        std::env::var_os("CARGO"),
        std::env::var_os("CARGO_MANIFEST_DIR"),
    ) {
        let mut build = Command::new(cargo);
        build.args(["build", "--bin", "attache", "--manifest-path"]);
        build.arg(Path::new(&manifest).join("Cargo.toml"));
        if profile.file_name() == Some("release".as_ref()) {
            build.arg("--release");
        }
        assert!(build.status().unwrap().success(), "building attache failed");
    }
    let binary = profile.join("attache");
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
    /// A figure that is not a time (a size), with its ratio, in place of the times.
    figure: Option<(String, String)>,
}

impl Row {
    fn timed(measure: &str, times: Times) -> Row {
        Row {
            measure: measure.into(),
            times,
            baseline: None,
            memory: None,
            figure: None,
        }
    }

    fn ratio(&self) -> Option<f64> {
        let baseline = self.baseline.as_ref()?;
        Some(self.times.median().as_secs_f64() / baseline.median().as_secs_f64().max(1e-9))
    }
}

/// The figures of one record that the targets name, for the summary at the end.
struct Summary {
    record: String,
    cells: Vec<(&'static str, String)>,
}

/// The measures the summary gathers, with their targets.
const TARGETS: [(&str, &str); 8] = [
    (
        "import ÷ sqlite3 .import",
        "≤ 4× (100,000), ≤ 5× (1,000,000)",
    ),
    ("import peak memory", "≤ 100 MB"),
    ("export CSV ÷ sqlite3 -csv", "≤ 3×"),
    ("database size ÷ CSV", "≤ 3×"),
    (
        "keys (G, jump, filter, stats, history, chart): slowest median / worst",
        "≤ 5 ms / ≤ 20 ms",
    ),
    ("attache copy SQLite → PostgreSQL", "≤ 60 s (1,000,000)"),
    ("export on PostgreSQL ÷ on SQLite", "≤ 1.3×"),
    ("busiest person's share of events", ""),
];

/// The interface's measures the key target names: each measure whose name starts so.
const TARGET_KEYS: [&str; 6] = [
    "G",
    "jump to a date",
    "filter by the busiest person",
    "stats view",
    "busiest person's history",
    "chart",
];

fn main() {
    let options = options();
    let temporary = tempfile::tempdir().unwrap();
    let dir = options
        .dir
        .clone()
        .unwrap_or_else(|| temporary.path().to_path_buf());
    std::fs::create_dir_all(&dir).unwrap();
    let binary = options.attache.clone().unwrap_or_else(attache_binary);
    let sqlite3 = sqlite3();
    println!(
        "attache benchmark: {} runs each (import and export {}), {} cores, {}",
        options.runs,
        options.runs.min(3),
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        binary.display()
    );
    let mut summaries = Vec::new();
    for &size in &options.sizes {
        for &shape in &options.shapes {
            summaries.push(measure(&options, &dir, &binary, &sqlite3, size, shape));
        }
    }
    println!("\nThe targets\n");
    let mut header = "| what |".to_string();
    let mut rule = "|---|".to_string();
    for summary in &summaries {
        header.push_str(&format!(" {} |", summary.record));
        rule.push_str("---|");
    }
    println!("{header} target |\n{rule}---|");
    for (what, target) in TARGETS {
        let mut line = format!("| {what} |");
        for summary in &summaries {
            let cell = summary
                .cells
                .iter()
                .find(|(name, _)| *name == what)
                .map_or("", |(_, cell)| cell.as_str());
            line.push_str(&format!(" {cell} |"));
        }
        println!("{line} {target} |");
    }
}

/// Measures one record: its import, export, interface, commands and PostgreSQL copy; prints
/// its table and returns what the targets name.
fn measure(
    options: &Options,
    dir: &Path,
    binary: &Path,
    sqlite3: &str,
    size: usize,
    shape: Shape,
) -> Summary {
    let name = format!("{size}-{}", shape.name());
    let csv = dir.join(format!("events-{name}.csv"));
    let mut file = std::io::BufWriter::new(std::fs::File::create(&csv).unwrap());
    synthetic::write_csv(size, shape, &mut file).unwrap();
    drop(file);
    let people = synthetic::People::new(size, shape);
    let busiest_named = format!("{} (", people.busiest());
    let busiest_events =
        std::io::BufRead::lines(std::io::BufReader::new(std::fs::File::open(&csv).unwrap()))
            .filter(|line| line.as_ref().unwrap().contains(&busiest_named))
            .count();
    let mut rows: Vec<Row> = Vec::new();
    let db = dir.join(format!("attache-{name}.db"));
    let slow_runs = if size >= 1_000_000 {
        1
    } else {
        options.runs.min(3)
    };

    let mut import = Times::default();
    let mut import_memory = 0;
    let mut baseline = Times::default();
    let bare = dir.join(format!("bare-{name}.db"));
    for _ in 0..slow_runs {
        remove_database(&db);
        let (took, memory) = run(Command::new(binary)
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
        let _ = std::fs::remove_file(&bare);
        let (took, _) = run(Command::new(sqlite3)
            .arg(&bare)
            .arg(".mode csv")
            .arg(format!(".import {} bare", csv.display()))
            .stdout(Stdio::null()));
        baseline.0.push(took);
    }
    rows.push(Row {
        baseline: Some(baseline),
        memory: Some(import_memory),
        ..Row::timed("CSV import", import)
    });

    let mut export = Times::default();
    let mut export_memory = 0;
    let mut baseline = Times::default();
    let out = dir.join(format!("export-{name}.csv"));
    for _ in 0..slow_runs {
        let (took, memory) = export_once(binary, db.as_os_str(), &out);
        export.0.push(took);
        export_memory = export_memory.max(memory);
        let (took, _) = run(Command::new(sqlite3)
            .arg("-csv")
            .arg(&bare)
            .arg("SELECT * FROM bare")
            .stdout(Stdio::null()));
        baseline.0.push(took);
    }
    rows.push(Row {
        baseline: Some(baseline),
        memory: Some(export_memory),
        ..Row::timed("CSV export", export)
    });
    let megabytes =
        |path: &Path| std::fs::metadata(path).map_or(0.0, |m| m.len() as f64 / 1024.0 / 1024.0);
    let size_ratio = megabytes(&db) / megabytes(&csv).max(1e-9);
    rows.push(Row {
        figure: Some((
            format!("{:.0} MB", megabytes(&db)),
            format!("{size_ratio:.1}× the CSV ({:.0} MB)", megabytes(&csv)),
        )),
        ..Row::timed("database size", Times::default())
    });

    // The interface, in a child process that prints one line per measure.
    let here = std::env::current_exe().unwrap();
    forget_own_peak();
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
    let mut keys = (Duration::ZERO, Duration::ZERO);
    for line in output.lines() {
        let mut parts = line.split('\t');
        let measure = parts.next().unwrap().to_string();
        let times = Times(
            parts
                .map(|t| Duration::from_nanos(t.parse().unwrap()))
                .collect(),
        );
        if TARGET_KEYS.iter().any(|key| {
            measure == *key
                || measure.starts_with(&format!("{key} "))
                || measure.starts_with(&format!("{key}("))
        }) {
            keys = (keys.0.max(times.median()), keys.1.max(times.worst()));
        }
        rows.push(Row::timed(&measure, times));
    }
    rows.push(Row {
        memory: Some(usage.ru_maxrss),
        ..Row::timed("peak memory browsing", Times::default())
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
            let (took, _) = run(Command::new(binary)
                .arg("--db")
                .arg(&db)
                .args(&args)
                .stdout(Stdio::null()));
            times.0.push(took);
        }
        rows.push(Row::timed(measure, times));
    }

    let mut copy_cell = "not measured".to_string();
    let mut postgres_cell = "not measured".to_string();
    if let Some(url) = options.postgres.then(pg::fresh_database).flatten() {
        let (took, memory) = run(Command::new(binary)
            .arg("copy")
            .arg(&db)
            .arg(&url)
            .stdout(Stdio::null())
            .stderr(Stdio::null()));
        copy_cell = show(took);
        rows.push(Row {
            memory: Some(memory),
            ..Row::timed("attache copy SQLite → PostgreSQL", Times(vec![took]))
        });
        let sqlite_export = rows[1].times.clone();
        let mut export = Times::default();
        for _ in 0..slow_runs {
            let (took, _) = export_once(binary, url.as_ref(), &out);
            export.0.push(took);
        }
        let row = Row {
            baseline: Some(sqlite_export),
            ..Row::timed("CSV export on PostgreSQL (baseline: on SQLite)", export)
        };
        postgres_cell = format!("{:.1}×", row.ratio().unwrap());
        rows.push(row);
    }

    let record = format!("{} {}", thousands(size), shape.name());
    println!(
        "\n{record} events (the busiest person, {}, in {} events: {:.1}%)",
        people.busiest(),
        thousands(busiest_events),
        busiest_events as f64 * 100.0 / size as f64
    );
    print_table(&rows);
    let ratio = |measure: &str| {
        rows.iter()
            .find(|row| row.measure == measure)
            .and_then(Row::ratio)
            .map_or(String::new(), |r| format!("{r:.1}×"))
    };
    Summary {
        record,
        cells: vec![
            (TARGETS[0].0, ratio("CSV import")),
            (
                TARGETS[1].0,
                format!("{:.0} MB", import_memory as f64 / 1024.0),
            ),
            (TARGETS[2].0, ratio("CSV export")),
            (TARGETS[3].0, format!("{size_ratio:.1}×")),
            (TARGETS[4].0, format!("{} / {}", show(keys.0), show(keys.1))),
            (TARGETS[5].0, copy_cell),
            (TARGETS[6].0, postgres_cell),
            (
                TARGETS[7].0,
                format!("{:.1}%", busiest_events as f64 * 100.0 / size as f64),
            ),
        ],
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

fn print_table(rows: &[Row]) {
    println!("\n| measure | median | worst | baseline | ratio | peak memory |");
    println!("|---|---|---|---|---|---|");
    for row in rows {
        let timed = !row.times.0.is_empty();
        let (median, worst) = if timed {
            (show(row.times.median()), show(row.times.worst()))
        } else {
            (String::new(), String::new())
        };
        let (baseline, ratio) = match (&row.baseline, &row.figure) {
            (Some(b), _) => (show(b.median()), format!("{:.1}×", row.ratio().unwrap())),
            (None, Some((figure, ratio))) => (figure.clone(), ratio.clone()),
            (None, None) => (String::new(), String::new()),
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
