//! `seed`, `import` and `export`.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use super::{Access, FilterArgs, Result};
use crate::interchange::visible::Visible;
use crate::interchange::{self, ExportError, ImportError, csv, hsg, html, ics, json, markdown};
use crate::store::{Order, Store};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FileFormat {
    Csv,
    Json,
    /// The Office of the Historian's travels and visits XML files (history.state.gov): files,
    /// or folders searched for them, such as clones of its two repositories
    Hsg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Csv,
    Json,
    /// iCalendar: one all-day event per event, for calendar programs
    Ics,
    /// Markdown: a readable timeline for reports
    Md,
    /// HTML: a timeline page to publish, with a chart, in one file that loads nothing else
    Html,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// A CSV or JSON file as `attache export` writes them; for --format hsg, a travels or
    /// visits file of the Office of the Historian or a folder holding them
    pub file: PathBuf,
    /// More files or folders, for --format hsg
    #[arg(value_name = "PATH")]
    pub more: Vec<PathBuf>,
    /// Check every row and report every problem without writing anything
    #[arg(long)]
    pub dry_run: bool,
    /// Skip CSV columns this format does not have instead of refusing the file
    #[arg(long)]
    pub ignore_unknown: bool,
    /// The file's format [default: json for .json files, else csv]
    #[arg(long, value_enum)]
    pub format: Option<FileFormat>,
    /// Take CSV cells as written, for files exported with `export --raw` (a leading ' is data)
    #[arg(long)]
    pub raw: bool,
    /// What to do with an event whose id is on record with different content: refuse the
    /// import, skip it (keep what is on record), or replace what is on record
    #[arg(long, value_enum, default_value = "refuse")]
    pub on_conflict: ConflictChoice,
    /// Import events that are likely duplicates (overlapping dates, the same heads or
    /// participants, the same city) of events on record or of each other, instead of refusing
    /// the file
    #[arg(long)]
    pub allow_duplicates: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ConflictChoice {
    Refuse,
    Skip,
    Replace,
}

impl From<ConflictChoice> for interchange::OnConflict {
    fn from(choice: ConflictChoice) -> Self {
        match choice {
            ConflictChoice::Refuse => interchange::OnConflict::Refuse,
            ConflictChoice::Skip => interchange::OnConflict::Skip,
            ConflictChoice::Replace => interchange::OnConflict::Replace,
        }
    }
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Write to this file (- for standard output) [default: standard output]
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// The file format: CSV, JSON, iCalendar (ics), Markdown (md) or a web page (html)
    #[arg(long, value_enum, default_value = "csv")]
    pub format: ExportFormat,
    /// Start CSV with a byte-order mark, for spreadsheet programs
    #[arg(long)]
    pub excel: bool,
    /// Leave cells starting with = + - @ as they are (by default they are prefixed with ')
    #[arg(long)]
    pub raw: bool,
}

pub fn seed(store: &mut Store, out: &mut dyn Write) -> Result<()> {
    let summary = interchange::seed(store)?;
    writeln!(out, "{}", summary.line(false))?;
    Ok(())
}

pub fn import(store: &mut Store, args: &ImportArgs, out: &mut dyn Write) -> Result<()> {
    let label = args.file.display().to_string();
    let format = args.format.unwrap_or_else(|| {
        let is_json = args
            .file
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"));
        if is_json {
            FileFormat::Json
        } else {
            FileFormat::Csv
        }
    });
    if format == FileFormat::Hsg {
        return import_hsg(store, args, out);
    }
    if let Some(extra) = args.more.first() {
        refuse!(
            "{}: one file at a time for CSV and JSON; several paths are for --format hsg",
            extra.display()
        );
    }
    let file = std::fs::File::open(&args.file).map_err(|e| ImportError::Unreadable {
        path: label.clone(),
        reason: e.to_string(),
    })?;
    let result = match format {
        FileFormat::Json => {
            // A JSON document is read whole; past this size, CSV (read a row at a time) is the
            // way in.
            let size = file.metadata().map(|m| m.len()).unwrap_or(0);
            if size > json::MAX_BYTES {
                refuse!(
                    "{label}: {} MiB of JSON; JSON files over {} MiB are not read (a document is read whole): export to CSV or split the file",
                    size / (1 << 20),
                    json::MAX_BYTES / (1 << 20)
                );
            }
            json::import(
                store,
                std::io::BufReader::new(file),
                &label,
                args.dry_run,
                args.on_conflict.into(),
                args.allow_duplicates,
            )
        }
        FileFormat::Csv | FileFormat::Hsg => {
            let bar = progress_bar(&file);
            let result = csv::import(
                store,
                std::io::BufReader::new(file),
                &label,
                csv::ReadOptions {
                    dry_run: args.dry_run,
                    ignore_unknown: args.ignore_unknown,
                    raw: args.raw,
                    on_conflict: args.on_conflict.into(),
                    allow_duplicates: args.allow_duplicates,
                },
                |pass, bytes| {
                    let message = match pass {
                        csv::Pass::Checking => "checking",
                        csv::Pass::Writing => "importing",
                    };
                    // Each pass reads the whole file: its bar and estimate start over.
                    if bar.message() != message {
                        bar.reset();
                        bar.set_message(message);
                    }
                    bar.set_position(bytes);
                },
            );
            bar.finish_and_clear();
            result
        }
    };
    report(result, &label, args.dry_run, out)?;
    if format == FileFormat::Csv && !args.dry_run {
        warn_of_ordinal_gaps(store, args, &label)?;
    }
    Ok(())
}

/// Imports the Office of the Historian's files at the paths given, with a bar over the events
/// on a terminal.
fn import_hsg(store: &mut Store, args: &ImportArgs, out: &mut dyn Write) -> Result<()> {
    let paths: Vec<PathBuf> = std::iter::once(args.file.clone())
        .chain(args.more.iter().cloned())
        .collect();
    let label = paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let bar = bar_on_terminal(0);
    let result = hsg::import(
        store,
        &paths,
        hsg::ReadOptions {
            dry_run: args.dry_run,
            on_conflict: args.on_conflict.into(),
        },
        |pass, done, total| {
            let message = match pass {
                csv::Pass::Checking => "checking",
                csv::Pass::Writing => "importing",
            };
            if bar.message() != message {
                bar.reset();
                bar.set_message(message);
                bar.set_length(total);
            }
            bar.set_position(done);
        },
    );
    bar.finish_and_clear();
    report(result, &label, args.dry_run, out)
}

/// Prints an import's summary, or refuses with its problems.
fn report(
    result: std::result::Result<interchange::ImportSummary, ImportError>,
    label: &str,
    dry_run: bool,
    out: &mut dyn Write,
) -> Result<()> {
    match result {
        Ok(summary) => {
            writeln!(out, "{}", summary.line(dry_run))?;
            Ok(())
        }
        Err(ImportError::Problems(problems)) => {
            for problem in &problems {
                super::say(&problem.to_string());
            }
            refuse!(
                "{label}: {} {}; nothing was written",
                problems.len(),
                if problems.len() == 1 {
                    "problem"
                } else {
                    "problems"
                }
            )
        }
        Err(ImportError::Duplicates(duplicates)) => {
            for duplicate in &duplicates {
                super::say(&duplicate.to_string());
            }
            refuse!(
                "{label}: {} likely {}; nothing was written (--allow-duplicates imports {} anyway)",
                duplicates.len(),
                if duplicates.len() == 1 {
                    "duplicate"
                } else {
                    "duplicates"
                },
                if duplicates.len() == 1 { "it" } else { "them" },
            )
        }
        Err(ImportError::Problem(problem)) => {
            refuse!("{problem}; nothing was written")
        }
        Err(other) => Err(other.into()),
    }
}

/// Says on standard error which pairs an imported CSV file counts differently from the record
/// now (`csv::ordinal_gaps`): a CSV file carries events, not the prior counts its ordinals may
/// have counted from.
fn warn_of_ordinal_gaps(store: &Store, args: &ImportArgs, label: &str) -> Result<()> {
    let file = std::fs::File::open(&args.file).map_err(|e| ImportError::Unreadable {
        path: label.to_string(),
        reason: e.to_string(),
    })?;
    let options = csv::ReadOptions {
        ignore_unknown: args.ignore_unknown,
        raw: args.raw,
        ..csv::ReadOptions::default()
    };
    let gaps = csv::ordinal_gaps(store, std::io::BufReader::new(file), label, &options)?;
    if gaps.is_empty() {
        return Ok(());
    }
    let mut text = format!(
        "warning: {label}: its ordinal column counts {} {} otherwise than the record now does; \
         CSV carries events, not the prior counts an ordinal may count from:",
        gaps.len(),
        if gaps.len() == 1 { "pair" } else { "pairs" }
    );
    for gap in &gaps {
        text.push_str(&format!("\n  {}", gap.describe()));
    }
    text.push_str(
        "\n  (SOURCE: who counts them; or import the JSON export instead, which carries prior counts)",
    );
    super::say(&text);
    Ok(())
}

/// Copies the record at `from` into the empty database at `to`, with a bar on a terminal. A
/// file the copy created is removed again when the copy fails.
pub fn copy(from: &Path, to: &Path, out: &mut dyn Write) -> Result<()> {
    let (source, _) = super::open_store(Some(from), Access::Read)?;
    let new_file = !crate::store::is_postgres_url(&to.to_string_lossy()) && !to.exists();
    let copied = super::open_store(Some(to), Access::Write).and_then(|(mut target, _)| {
        let bar = bar_on_terminal(0);
        bar.set_message("copying");
        let copied = source.copy_into(&mut target, |rows, total| {
            bar.set_length(total as u64);
            bar.set_position(rows as u64);
        });
        bar.finish_and_clear();
        Ok((copied?, target.label().to_string()))
    });
    let (copied, label) = match copied {
        Ok(done) => done,
        Err(error) => {
            if new_file {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", to.display()));
                }
            }
            return Err(error);
        }
    };
    writeln!(
        out,
        "copied {} events, {} people, {} prior counts and {} logged changes from {} to {label}",
        interchange::thousands(copied.events),
        interchange::thousands(copied.people),
        interchange::thousands(copied.priors),
        interchange::thousands(copied.changes),
        source.label(),
    )?;
    Ok(())
}

/// A bar over the file's bytes on stderr, drawn only when stderr is a terminal.
fn progress_bar(file: &std::fs::File) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    bar_on_terminal(file.metadata().map(|m| m.len()).unwrap_or(0))
}

/// A bar of `length` steps on stderr, drawn only when stderr is a terminal.
fn bar_on_terminal(length: u64) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(length);
    let style = indicatif::ProgressStyle::with_template("{msg:9} {wide_bar} {percent}% {eta} left")
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
    bar.set_style(style);
    bar
}

pub fn export(store: &Store, args: &ExportArgs, out: &mut (dyn Write + Send)) -> Result<()> {
    let filter = args.filter.to_filter(store)?;
    let write = |target: &mut (dyn Write + Send)| -> Result<usize, ExportError> {
        match args.format {
            ExportFormat::Csv => csv::export(
                store,
                &filter,
                Order::OldestFirst,
                target,
                csv::WriteOptions {
                    excel: args.excel,
                    raw: args.raw,
                },
            ),
            ExportFormat::Json => json::export(store, &filter, target),
            ExportFormat::Ics => ics::export(
                store,
                &filter,
                &mut Visible::keeping_crlf(target),
                chrono::Utc::now(),
            ),
            ExportFormat::Md => markdown::export(store, &filter, &mut Visible::new(target)),
            ExportFormat::Html => html::export(store, &filter, &mut Visible::new(target)),
        }
    };
    match args.out.as_deref() {
        None => {
            write(out)?;
        }
        Some(path) if path.as_os_str() == "-" => {
            write(out)?;
        }
        Some(path) => {
            if interchange::export_target(path)? == interchange::ExportTarget::StandardOutput {
                write(out)?;
                return Ok(());
            }
            let count = interchange::write_file_atomically(path, write)?;
            super::say(&format!(
                "wrote {} events to {}",
                interchange::thousands(count),
                path.display()
            ));
        }
    }
    Ok(())
}
