//! The command line: argument parsing (clap) and one module per subcommand. Each command
//! writes to the `Write` it is given, so that tests and pipes see the same output.

/// Returns a refusal of the input (exit 1), its message formatted as `format!` does.
macro_rules! refuse {
    ($($message:tt)+) => {
        return Err($crate::cli::CliError::Refused(format!($($message)+)))
    };
}

mod check;
mod claim;
mod events;
mod files;
mod people;
mod person;
mod prior;
mod regions;
mod table;
mod travels;
mod trip;
mod verify;

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

use crate::domain::date::DateStyle;
use crate::domain::scope::Scope;
use crate::domain::{Country, FuzzyDate, Invalid};
use crate::interchange::{ExportError, ImportError};
use crate::store::{EventFilter, Store, StoreError};

/// The command line's date style: the configuration's `date-style` is the interface's, and
/// what a command prints stays the same for the scripts that read it.
pub const DATES: DateStyle = DateStyle::Human;

/// Why a command did not complete: the kind decides the exit status (`exit_code`), the
/// message is the error's own.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The input was refused, in words naming what and why.
    #[error("{0}")]
    Refused(String),
    #[error(transparent)]
    Invalid(#[from] Invalid),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Import(#[from] ImportError),
    #[error(transparent)]
    Export(#[from] ExportError),
    /// Writing the output, or another file, failed.
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error("cannot create {}", .dir.display())]
    CannotCreate {
        dir: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Interface(#[from] crate::tui::InterfaceError),
}

impl From<serde_json::Error> for CliError {
    /// Only the program's own values are written as JSON, so only writing them can fail.
    fn from(error: serde_json::Error) -> Self {
        CliError::Io(error.into())
    }
}

pub type Result<T, E = CliError> = std::result::Result<T, E>;

#[derive(Debug, Parser)]
#[command(
    name = "attache",
    version,
    about = "A record of envoy meetings, delegations and talks: who met whom, when, where and how often",
    after_help = "With no command, opens the terminal interface on the database.\n\n\
        Read more in the docs/ folder of attache's source:\n  \
        docs/interface.md      the interface: its views and keys\n  \
        docs/commands.md       every command, names, dates and sides, people\n  \
        docs/counting.md       what counts as a meeting, a visit, a trip; prior and published counts\n  \
        docs/files.md          CSV, JSON, iCalendar, Markdown; the Office of the Historian's records\n  \
        docs/teams.md          one record for a desk on PostgreSQL; several writers; upgrades\n  \
        docs/configuration.md  keys, colours, display, regions"
)]
pub struct Cli {
    /// The database: a SQLite file [default: attache.db in the platform's data directory,
    /// created and seeded on first use], or a PostgreSQL database as
    /// postgres://USER@HOST:PORT/DB?sslmode=MODE, libpq's PG* variables and ~/.pgpass filling in
    /// what it leaves out (postgres:// alone takes them all). One named here starts empty until
    /// `attache seed`.
    #[arg(long, env = "ATTACHE_DB", global = true, value_name = "PATH|URL")]
    pub db: Option<PathBuf>,

    /// Print tables at full width instead of cutting them to the terminal's (as they are printed
    /// to a pipe or a file)
    #[arg(long, global = true)]
    pub wide: bool,

    /// Who makes the changes, as the log shows them and undo takes back its own [default: the
    /// operating-system user]
    #[arg(long = "as", env = "ATTACHE_USER", global = true, value_name = "NAME")]
    pub author: Option<String>,

    /// How long a change waits for another program that is writing (an import, a colleague's
    /// save) before giving up, saying what it waits for meanwhile [default: 5 for commands;
    /// for the interface, `wait` in config.toml, else 60]
    #[arg(long, env = "ATTACHE_WAIT", global = true, value_name = "SECONDS")]
    pub wait: Option<u64>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

impl Cli {
    /// What clap cannot check of the arguments (how many people a count names), refused as
    /// clap refuses a usage error: exit 2, with the usage.
    pub fn check_usage(&self) -> std::result::Result<(), clap::Error> {
        match &self.command {
            Some(Command::Count(args)) => args.check_usage(),
            _ => Ok(()),
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List events in date order
    #[command(
        after_help = "Example:\n  attache list --person putin --person witkoff --from 2025-03"
    )]
    List(events::ListArgs),
    /// Show one event with every participant, side, head, source and its ordinals
    #[command(after_help = "Example:\n  attache show 10")]
    Show(events::ShowArgs),
    /// A person's events in order, with the ordinal of each and their most frequent counterparts
    #[command(after_help = "Example:\n  attache history darchiev --format csv > darchiev.csv")]
    History(people::HistoryArgs),
    /// Count the meetings of two or more people, or one person's visits or trips, with their
    /// dates and places
    #[command(after_help = "Example:\n  \
        attache count putin witkoff --until 2025-04-11\n  \
        attache count witkoff --visits --country RU --since 2025-03-01\n  \
        attache count blinken --visits --region \"Middle East\" --since 2023-10-07\n  \
        attache count blinken --visits --country IL --role \"Secretary of State\"\n  \
        attache count dmitriev --trips --year 2025 --format json")]
    Count(people::CountArgs),
    /// List the regions `count --region` takes (the UN M49 regions, the Middle East and your
    /// own from config.toml), or the countries of one
    #[command(after_help = "Example:\n  attache regions\n  attache regions \"middle east\"")]
    Regions(regions::RegionsArgs),
    /// Add an event
    #[command(
        after_help = "Example:\n  attache add --date 2025-04-11 --title \"Witkoff meets Putin\" --participant \"Putin:RU\" --participant \"Witkoff:US\" --source \"RIA citing the Kremlin <https://ria.ru/>\""
    )]
    Add(events::AddArgs),
    /// Show, edit, merge or delete a person
    Person(person::PersonArgs),
    /// Set every published count ("TASS: the 6th meeting") against the record's own count
    Check(check::CheckArgs),
    /// List, add or remove what the sources say about an event (durations, outcomes,
    /// published counts)
    Claim(claim::ClaimArgs),
    /// Split a trip in two, or join two into one, where the rule of days (a trip goes on while
    /// each event starts no more than a day after the last) gets it wrong
    #[command(after_help = "Example:\n  attache trip join 40 43")]
    Trip(trip::TripArgs),
    /// Check the record end to end: the file, its migrations, every kept count and place
    /// against a recount from the events, the search index and the undo log; exit 1 if
    /// anything differs. --repair rebuilds what is derived from the events
    Verify(verify::VerifyArgs),
    /// Record, list or remove what is known from before the record: earlier meetings of a
    /// pair, earlier visits of a person to a country
    Prior(prior::PriorArgs),
    /// Change an event: the options given replace what they name (participants and sources as
    /// a whole); --if-version refuses when someone changed it since
    Edit(events::EditArgs),
    /// Delete an event; --if-version refuses when someone changed it since
    #[command(after_help = "Example:\n  attache delete 27 --if-version 2")]
    Delete {
        /// The event's number, UUID, or a unique prefix of its UUID
        id: String,
        /// Refuse (exit 1, nothing written) unless the event is still at this version (`show
        /// --format json` gives it)
        #[arg(long, value_name = "V")]
        if_version: Option<i64>,
    },
    /// The changes made, newest first: when, who, what (added, edited, deleted, people)
    #[command(after_help = "Example:\n  attache log --limit 10 --format json")]
    Log {
        /// At most this many
        #[arg(long, default_value = "50")]
        limit: usize,
        /// A table, or JSON
        #[arg(long, value_enum, default_value = "table")]
        format: person::Format,
    },
    /// Undo the last add, edit or delete (from the command line or the interface)
    #[command(after_help = "Example:\n  attache undo")]
    Undo,
    /// Redo what `undo` undid
    #[command(after_help = "Example:\n  attache redo")]
    Redo,
    /// Load the bundled seed data (running it twice adds nothing)
    #[command(after_help = "Example:\n  attache --db team.db seed")]
    Seed,
    /// Import events from a CSV or JSON file, or the Office of the Historian's travels and
    /// visits files (all or nothing)
    #[command(
        after_help = "Example:\n  attache import --dry-run events.csv\n  attache import --format hsg travels/ visits/"
    )]
    Import(files::ImportArgs),
    /// Export events to CSV, JSON, iCalendar, Markdown or HTML
    #[command(
        after_help = "Example:\n  attache export --person putin --format ics --out putin.ics"
    )]
    Export(files::ExportArgs),
    /// Copy a whole record (events, people, prior counts, the log) from one database to an
    /// empty other one: a SQLite file or a postgres:// address, either way
    #[command(after_help = "Example:\n  attache copy attache.db postgres://ann@db.example/attache")]
    Copy {
        /// The database copied from
        from: PathBuf,
        /// The database copied to: a new file, or an empty PostgreSQL database
        to: PathBuf,
    },
    /// Write a consistent copy of the database to FILE, while other programs may be using it
    #[command(after_help = "Example:\n  attache backup attache-2026-11-28.db")]
    Backup {
        /// Where the copy goes; an existing file is not replaced
        file: PathBuf,
    },
    /// Check the configuration file, print its path, or print a default one
    #[command(after_help = "Example:\n  attache config --default > ~/.config/attache/config.toml")]
    Config(ConfigArgs),
    /// Print shell completions for bash, zsh, fish, elvish or powershell
    #[command(
        after_help = "Example:\n  attache completions bash > ~/.local/share/bash-completion/completions/attache"
    )]
    Completions {
        /// The shell to complete for
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), for man
    #[command(after_help = "Example:\n  attache man > attache.1 && man ./attache.1")]
    Man,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
}

/// The scope of a count: the period and the title held, as every count takes them.
#[derive(Debug, Clone, Default, Args)]
pub struct ScopeArgs {
    /// Count only what began on or after this day (2023-10-07; 2023-10 is from 1 October)
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Count only what was over by this day (2025-04-11; 2025-04 is to 30 April); an event
    /// whose date may fall after it is left out
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// Count only this calendar year
    #[arg(long, value_name = "YYYY", conflicts_with_all = ["since", "until"])]
    pub year: Option<String>,
    /// Count only what the person (the first named, for meetings) did holding this title, by
    /// the dates of their titles: "Secretary of State"
    #[arg(long, value_name = "TITLE")]
    pub role: Option<String>,
}

impl ScopeArgs {
    /// The scope these options give; a date that does not read, or a period that ends before
    /// it begins, is refused.
    pub fn scope(&self) -> Result<Scope> {
        if let Some(year) = &self.year {
            let parsed = year
                .trim()
                .parse::<i32>()
                .ok()
                .filter(|y| (1..=9999).contains(y))
                .and_then(Scope::year);
            let Some(scope) = parsed else {
                return Err(Invalid::new("--year", year, "not a year (such as 2025)").into());
            };
            return Ok(Scope {
                role: self.role(),
                ..scope
            });
        }
        let since = optional(self.since.as_deref(), |t| date_arg("--since", t))?;
        let until = optional(self.until.as_deref(), |t| date_arg("--until", t))?;
        if let (Some(since), Some(until)) = (&since, &until)
            && until.last() < since.first()
        {
            refuse!(
                "--until {} is before --since {}: the period is empty",
                until.display(DATES),
                since.display(DATES)
            );
        }
        Ok(Scope {
            since: since.map(|d| d.first()),
            until: until.map(|d| d.last()),
            role: self.role(),
        })
    }

    fn role(&self) -> Option<String> {
        self.role
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(str::to_string)
    }
}

/// Refuses a role the person never held under any dates, so that a misspelt title is not an
/// empty count; a role they held is written as their titles write it.
pub fn check_role(scope: &mut Scope, person: &crate::domain::Person) -> Result<()> {
    let Some(role) = &scope.role else {
        return Ok(());
    };
    if let Some(title) = person
        .titles
        .iter()
        .find(|t| t.title.trim().eq_ignore_ascii_case(role))
    {
        scope.role = Some(title.title.trim().to_string());
        return Ok(());
    }
    let titles: Vec<&str> = person.titles.iter().map(|t| t.title.as_str()).collect();
    if titles.is_empty() {
        refuse!(
            "--role: {} has no titles on record (attache person edit adds them)",
            person.name
        );
    }
    refuse!(
        "--role: {} never held the title \"{role}\" (their titles: {})",
        person.name,
        titles.join("; ")
    );
}

/// Conditions shared by `list` and `export`.
#[derive(Debug, Clone, Default, Args)]
pub struct FilterArgs {
    /// Only events this person took part in (repeat for events with all of them)
    #[arg(long = "person", value_name = "NAME")]
    pub people: Vec<String>,
    /// Only events held in this country (ISO 3166 code, such as TR)
    #[arg(long, value_name = "CC")]
    pub country: Option<String>,
    /// Only events in which one side is this country
    #[arg(long, value_name = "CC")]
    pub side: Option<String>,
    /// Only events of this kind: meeting, talks, visit, summit, call, stopover, other
    #[arg(long, value_name = "KIND")]
    pub kind: Option<String>,
    /// Only events of this mode: in-person, phone, video
    #[arg(long, value_name = "MODE")]
    pub mode: Option<String>,
    /// Only events with this status: planned, reported, confirmed, cancelled
    #[arg(long, value_name = "STATUS")]
    pub status: Option<String>,
    /// Only events starting on or after this date (2025-04-11, 2025-04 or 2025)
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Only events starting on or before this date
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// Only events whose title, place or participants' names contain this text
    #[arg(long, value_name = "TEXT")]
    pub search: Option<String>,
}

impl FilterArgs {
    pub fn to_filter(&self, store: &Store) -> Result<EventFilter> {
        let people = self
            .people
            .iter()
            .map(|name| Ok(store.resolve_person(name)?.id))
            .collect::<Result<Vec<_>>>()?;
        Ok(EventFilter {
            people,
            country: optional(self.country.as_deref(), |t| {
                Country::parse_field("--country", t)
            })?,
            side: optional(self.side.as_deref(), |t| Country::parse_field("--side", t))?,
            kind: optional(self.kind.as_deref(), |t| keyword("--kind", t))?,
            mode: optional(self.mode.as_deref(), |t| keyword("--mode", t))?,
            status: optional(self.status.as_deref(), |t| keyword("--status", t))?,
            from: optional(self.from.as_deref(), |t| date_arg("--from", t))?,
            to: optional(self.to.as_deref(), |t| date_arg("--to", t))?,
            search: self.search.iter().cloned().collect(),
        })
    }
}

fn optional<T>(
    text: Option<&str>,
    parse: impl FnOnce(&str) -> std::result::Result<T, Invalid>,
) -> Result<Option<T>> {
    Ok(text.map(parse).transpose()?)
}

pub fn keyword<T: std::str::FromStr<Err = String>>(
    field: &str,
    text: &str,
) -> std::result::Result<T, Invalid> {
    text.parse()
        .map_err(|reason: String| Invalid::new(field, text, &reason))
}

pub fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// A date given on the command line: ISO at any precision, or the forms people type.
pub fn date_arg(field: &str, text: &str) -> std::result::Result<FuzzyDate, Invalid> {
    FuzzyDate::parse_human(text, today()).map_err(|e| Invalid::new(field, text, &e.to_string()))
}

/// Whether a command may create the database it names: only those that write do; a reading
/// command on a path with no database says so instead of leaving an empty file behind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Read,
    Write,
    /// A dry run: checks a write without making it, so a missing database is checked as an
    /// empty one and created nowhere.
    Trial,
}

/// Who makes the changes of this run (`--as`, `ATTACHE_USER`), set once before the store opens.
static AUTHOR: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// Names who makes this run's changes.
pub fn act_as(author: Option<String>) {
    if let Some(author) = author.filter(|a| !a.trim().is_empty()) {
        let _ = AUTHOR.set(author);
    }
}

/// How long this run's changes wait for another writer (`--wait`, `ATTACHE_WAIT`), when given.
static WAIT: std::sync::OnceLock<std::time::Duration> = std::sync::OnceLock::new();

/// Sets how long this run's changes wait for another writer.
pub fn wait_at_most(seconds: Option<u64>) {
    if let Some(seconds) = seconds {
        let _ = WAIT.set(std::time::Duration::from_secs(seconds));
    }
}

/// The wait `--wait` gave, if it was given.
pub fn chosen_wait() -> Option<std::time::Duration> {
    WAIT.get().copied()
}

/// Opens the database the user chose; the default one is created and seeded on first use, and
/// then the second value says so. A change waits for another writer as `--wait` says, telling
/// standard error what it waits for whenever that changes.
pub fn open_store(db: Option<&Path>, access: Access) -> Result<(Store, Option<String>)> {
    let (mut store, notice) = open_chosen(db, access)?;
    if let Some(author) = AUTHOR.get() {
        store.set_author(author);
    }
    // A mistake in `[regions]` is reported by the commands that count by region; the others,
    // `check` among them, go on with the shipped regions.
    if let Ok(regions) = regions::known() {
        store.set_regions(regions);
    }
    let mut reporter = WaitReporter::default();
    let report = move |waiting: &crate::store::Waiting| {
        reporter.tell(waiting);
        true
    };
    store.set_wait(
        chosen_wait().unwrap_or(crate::store::DEFAULT_WAIT),
        Some(Box::new(report)),
        false,
    );
    Ok((store, notice))
}

fn open_chosen(db: Option<&Path>, access: Access) -> Result<(Store, Option<String>)> {
    if let Some(path) = db {
        let file = !path.to_str().is_some_and(crate::store::is_postgres_url);
        // Only a file that is not there is missing: one that cannot be looked at says why when
        // opened.
        let missing = file
            && std::fs::metadata(path).is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound);
        if missing && access == Access::Read {
            refuse!("no database at {}", path.display());
        }
        if missing && access == Access::Trial {
            return Ok((Store::open_in_memory()?, None));
        }
        let store = Store::open_any(path)?;
        let notice = store.upgraded.clone();
        return Ok((store, notice));
    }
    let Some(path) = crate::store::default_path() else {
        refuse!("cannot find a data directory for the database; pass --db PATH");
    };
    let first_use = !path.exists();
    if first_use && access == Access::Trial {
        return Ok((Store::open_in_memory()?, None));
    }
    if first_use && let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|source| CliError::CannotCreate {
            dir: dir.to_path_buf(),
            source,
        })?;
    }
    let mut store = Store::open(&path)?;
    let mut notice = store.upgraded.clone();
    if first_use {
        let summary = crate::interchange::seed(&mut store)?;
        notice = Some(format!(
            "created {} and loaded the bundled seed data ({})",
            path.display(),
            summary.line(false)
        ));
    }
    Ok((store, notice))
}

fn log(store: &Store, limit: usize, format: person::Format, out: &mut dyn Write) -> Result<()> {
    let changes = store.changes(limit)?;
    if format == person::Format::Json {
        writeln!(out, "{}", serde_json::to_string_pretty(&changes)?)?;
        return Ok(());
    }
    let rows: Vec<Vec<String>> = changes
        .iter()
        .map(|c| {
            let when = chrono::DateTime::parse_from_rfc3339(&c.at)
                .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
                .unwrap_or_else(|_| c.at.clone());
            vec![
                when,
                c.author.clone(),
                format!("{}{}", c.what, if c.undone { " (undone)" } else { "" }),
                c.subject.clone(),
            ]
        })
        .collect();
    if rows.is_empty() {
        writeln!(out, "no changes recorded")?;
    } else {
        out.write_all(table::align(&rows).as_bytes())?;
    }
    Ok(())
}

fn undo_or_redo(done: Option<String>, nothing: &str, out: &mut dyn Write) -> Result<()> {
    match done {
        Some(what) => writeln!(out, "{what}")?,
        None => writeln!(out, "{nothing}")?,
    }
    Ok(())
}

/// What `attache` does with no command: the terminal interface, or the timeline as text when
/// not attached to a terminal (`attache | less`).
pub fn run_default(db: Option<&Path>, out: &mut dyn Write) -> Result<()> {
    use std::io::IsTerminal;
    let interactive = std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
    let access = if interactive {
        Access::Write
    } else {
        Access::Read
    };
    let (store, notice) = open_store(db, access)?;
    if interactive {
        let (config, problem) = match crate::config::default_path() {
            Some(path) => crate::config::Config::load(&path),
            None => (crate::config::Config::default(), None),
        };
        let notice = match (notice, problem) {
            (Some(a), Some(b)) => Some(format!("{a} · {b}")),
            (a, b) => a.or(b),
        };
        let start = crate::tui::Start {
            today: today(),
            config,
            notice,
        };
        return Ok(crate::tui::run(store, start)?);
    }
    if let Some(notice) = notice {
        say(&notice);
    }
    let out = &mut crate::interchange::visible::Visible::new(out);
    let args = events::ListArgs {
        filter: FilterArgs::default(),
        limit: None,
        newest_first: false,
        format: Format::Table,
    };
    events::list(&store, &args, out)
}

/// Standard output, noting when the program reading it has gone (`attache list | head`), so that
/// the command can end quietly, closing the database as usual, whatever its error became.
pub struct StandardOutput(std::io::Stdout);

impl Default for StandardOutput {
    fn default() -> Self {
        StandardOutput(std::io::stdout())
    }
}

static READER_WENT_AWAY: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Whether a write to standard output found the reading end of its pipe closed.
pub fn reader_went_away() -> bool {
    READER_WENT_AWAY.load(std::sync::atomic::Ordering::Relaxed)
}

impl StandardOutput {
    fn noting<T>(result: std::io::Result<T>) -> std::io::Result<T> {
        if let Err(error) = &result
            && error.kind() == std::io::ErrorKind::BrokenPipe
        {
            READER_WENT_AWAY.store(true, std::sync::atomic::Ordering::Relaxed);
        }
        result
    }
}

impl Write for StandardOutput {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        Self::noting(self.0.write(buf))
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Self::noting(self.0.flush())
    }
}

/// Tells standard error what a change waits for: on a terminal one line kept up to date, for
/// a log a line when the wait starts and then every `LOGGED_EVERY`.
#[derive(Default)]
struct WaitReporter {
    shown: String,
    logged: Option<std::time::Instant>,
}

impl WaitReporter {
    const LOGGED_EVERY: std::time::Duration = std::time::Duration::from_secs(10);

    fn tell(&mut self, waiting: &crate::store::Waiting) {
        use std::io::IsTerminal;
        if waiting.over {
            if !self.shown.is_empty() {
                eprint!("\r\x1b[K");
                self.shown.clear();
            }
            return;
        }
        let text = crate::domain::text::visible(&waiting.describe(), false).into_owned();
        if std::io::stderr().is_terminal() {
            if text != self.shown {
                eprint!("\r\x1b[K{text}");
                self.shown = text;
            }
        } else if self
            .logged
            .is_none_or(|logged| logged.elapsed() >= Self::LOGGED_EVERY)
        {
            eprintln!("{text}");
            self.logged = Some(std::time::Instant::now());
        }
    }
}

/// Writes a message for the user to standard error; it may quote typed or stored text, which is
/// shown, never passed to the terminal as control codes.
pub fn say(message: &str) {
    eprintln!("{}", crate::domain::text::visible(message, true));
}

/// The exit status for an error: 3 when the store or the system failed (the engine, a server
/// not answering, a lock held too long, a failed write), 1 when the input was refused. Usage
/// errors (2) are clap's.
pub fn exit_code(error: &CliError) -> u8 {
    let store = |error: &StoreError| {
        let failed = matches!(
            error,
            StoreError::Database(_) | StoreError::Busy { .. } | StoreError::Unreachable { .. }
        );
        if failed { 3 } else { 1 }
    };
    match error {
        CliError::Refused(_)
        | CliError::Invalid(_)
        | CliError::Export(ExportError::Refused(_))
        | CliError::Import(
            ImportError::Problem(_)
            | ImportError::Problems(_)
            | ImportError::Duplicates(_)
            | ImportError::Unreadable { .. },
        ) => 1,
        CliError::Store(error)
        | CliError::Import(ImportError::Store(error))
        | CliError::Export(ExportError::Store(error))
        | CliError::Interface(crate::tui::InterfaceError::Store(error)) => store(error),
        CliError::Io(_)
        | CliError::CannotCreate { .. }
        | CliError::Export(ExportError::Write(_))
        | CliError::Interface(crate::tui::InterfaceError::Terminal(_)) => 3,
    }
}

/// Cuts tables to the terminal's width when standard output is a terminal, unless `wide`. Output
/// to a pipe or a file is read by programs, which want whole cells: it is printed as `--wide`.
pub fn fit_tables(wide: bool) {
    use std::io::IsTerminal;
    let terminal = std::io::stdout().is_terminal();
    let width = (!wide && terminal)
        .then(|| crossterm::terminal::size().ok())
        .flatten()
        .map(|(columns, _)| usize::from(columns));
    table::limit_width(width, wide || !terminal);
}

/// Runs one command.
pub fn run(command: Command, db: Option<&Path>, out: &mut (dyn Write + Send)) -> Result<()> {
    match &command {
        Command::Config(args) => return config(args, out),
        Command::Completions { shell } => {
            // Written here, not by clap_complete, which panics when the output fails.
            let mut script = Vec::new();
            clap_complete::generate(*shell, &mut Cli::command(), "attache", &mut script);
            out.write_all(&script)?;
            return Ok(());
        }
        Command::Man => {
            clap_mangen::Man::new(Cli::command()).render(out)?;
            return Ok(());
        }
        Command::Copy { from, to } => return files::copy(from, to, out),
        Command::Regions(args) => return regions::run(args, out),
        _ => {}
    }
    let access = match &command {
        Command::Add(_)
        | Command::Edit(_)
        | Command::Delete { .. }
        | Command::Undo
        | Command::Redo
        | Command::Trip(_)
        | Command::Seed => Access::Write,
        Command::Import(args) if args.dry_run => Access::Trial,
        Command::Import(_) => Access::Write,
        Command::Person(args) if !matches!(args.command, person::PersonCommand::Show { .. }) => {
            Access::Write
        }
        Command::Prior(args) if !matches!(args.command, prior::PriorCommand::List { .. }) => {
            Access::Write
        }
        Command::Claim(args) if args.command.writes() => Access::Write,
        _ => Access::Read,
    };
    let (mut store, notice) = match (open_store(db, access), &command) {
        (Ok(opened), _) => opened,
        (Err(error), Command::Verify(args)) => {
            return verify::refused_on_opening(&error, args, out).unwrap_or(Err(error));
        }
        (Err(error), _) => return Err(error),
    };
    if let Some(notice) = notice {
        say(&notice);
    }
    // Text for people to read shows stored control characters instead of passing them to the
    // terminal; CSV and JSON are data, JSON escaping them itself.
    let for_people = match &command {
        Command::List(args) => args.format == Format::Table,
        Command::Show(args) => args.format == Format::Table,
        Command::History(args) => args.format == Format::Table,
        Command::Count(args) => args.format == Format::Table,
        Command::Person(args) => args.format() == person::Format::Table,
        Command::Check(args) => args.format == person::Format::Table,
        Command::Verify(args) => args.format == person::Format::Table,
        Command::Log { format, .. } => *format == person::Format::Table,
        Command::Prior(prior::PriorArgs {
            command: prior::PriorCommand::List { format },
        }) => *format == person::Format::Table,
        Command::Export(_) => false,
        _ => true,
    };
    if for_people {
        let mut shown = crate::interchange::visible::Visible::new(out);
        dispatch(command, &mut store, &mut shown)?;
        return Ok(shown.flush()?);
    }
    dispatch(command, &mut store, out)
}

fn dispatch(command: Command, store: &mut Store, out: &mut (dyn Write + Send)) -> Result<()> {
    match command {
        Command::List(args) => events::list(store, &args, out),
        Command::Show(args) => events::show(store, &args, out),
        Command::Add(args) => events::add(store, &args, out),
        Command::Edit(args) => events::edit(store, &args, out),
        Command::Delete { id, if_version } => events::delete(store, &id, if_version, out),
        Command::Log { limit, format } => log(store, limit, format, out),
        Command::History(args) => people::history(store, &args, out),
        Command::Count(args) => people::count(store, &args, out),
        Command::Person(args) => person::run(store, args, out),
        Command::Prior(args) => prior::run(store, args, out),
        Command::Check(args) => check::run(store, &args, out),
        Command::Claim(args) => claim::run(store, args, out),
        Command::Trip(args) => trip::run(store, args, out),
        Command::Verify(args) => verify::run(store, &args, out),
        Command::Undo => undo_or_redo(store.undo()?, "nothing to undo", out),
        Command::Redo => undo_or_redo(store.redo()?, "nothing to redo", out),
        Command::Seed => files::seed(store, out),
        Command::Import(args) => files::import(store, &args, out),
        Command::Export(args) => files::export(store, &args, out),
        Command::Backup { file } => {
            store.backup(&file)?;
            writeln!(out, "backed up {} to {}", store.label(), file.display())?;
            Ok(())
        }
        Command::Config(_)
        | Command::Completions { .. }
        | Command::Man
        | Command::Copy { .. }
        | Command::Regions(_) => Ok(()),
    }
}

#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// Print a full configuration file with every setting at its default, explained
    #[arg(long, conflicts_with = "path")]
    pub default: bool,
    /// Print where the configuration file is read from
    #[arg(long)]
    pub path: bool,
}

fn config(args: &ConfigArgs, out: &mut dyn Write) -> Result<()> {
    if args.default {
        out.write_all(crate::config::default_file().as_bytes())?;
        return Ok(());
    }
    let Some(path) = crate::config::default_path() else {
        refuse!("cannot find a configuration directory on this system");
    };
    if args.path {
        writeln!(out, "{}", path.display())?;
        return Ok(());
    }
    match crate::config::Config::load(&path) {
        (_, Some(problem)) => refuse!("{problem}"),
        (_, None) if path.exists() => writeln!(out, "{}: fine", path.display())?,
        (_, None) => writeln!(
            out,
            "{} does not exist; the defaults are in use (attache config --default prints them)",
            path.display()
        )?,
    }
    Ok(())
}
