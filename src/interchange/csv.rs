//! The CSV format (RFC 4180, UTF-8, one row per event). Columns, in order:
//! `id, date, end_date, circa, title, kind, mode, status, city, country, venue, participants,
//! sources, notes, ordinal, number`.
//!
//! `ordinal` holds every ordinal sentence of the event (each pair of heads, each head's visit)
//! joined by `; `, and `number` the event's number on record (`#12`); both are written for
//! readers and ignored on import, so files written before `number` existed read the same.
//!
//! `participants` is `NAME (SIDE)` entries joined by `; `, with `*` after a side's head;
//! `sources` is `OUTLET[ citing WHOM][ <URL>]` entries joined by `; `. A backslash escapes the
//! character after it inside these two cells, so that names and outlets may hold anything.

use std::borrow::Cow;
use std::io::{Read, Seek, SeekFrom, Write};
use std::sync::mpsc;

use super::{
    EventRecord, ExportError, FileProblem, ImportError, ImportSummary, ParticipantRecord, file_name,
};
use crate::domain::{Event, EventDraft, Invalid, Source};
use crate::report::{Ordinals, PageSentences};
use crate::store::{EventFilter, Order, Store, StoreError};

pub const COLUMNS: [&str; 16] = [
    "id",
    "date",
    "end_date",
    "circa",
    "title",
    "kind",
    "mode",
    "status",
    "city",
    "country",
    "venue",
    "participants",
    "sources",
    "notes",
    "ordinal",
    "number",
];

/// How cells are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WriteOptions {
    /// Start with a byte-order mark, for spreadsheet programs.
    pub excel: bool,
    /// Leave cells that a spreadsheet would run as formulas as they are.
    pub raw: bool,
}

/// Characters that make a spreadsheet read a cell as a formula. A leading `'` is included so
/// that a cell that already starts with one reads back unchanged.
const FORMULA_STARTS: [char; 7] = ['=', '+', '-', '@', '\t', '\r', '\''];

fn neutralise(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(FORMULA_STARTS) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// Reverses `neutralise`: a `'` before a formula character was put there on export.
fn unneutralise(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_STARTS) => rest,
        _ => cell,
    }
}

/// Writes rows of events, with the header first.
pub struct EventWriter<W: Write> {
    writer: csv::Writer<W>,
    options: WriteOptions,
    /// Cells built for each row, kept so that a row allocates nothing once they have grown.
    date: String,
    end_date: String,
    participants: String,
    sources: String,
    number: String,
}

impl<W: Write> EventWriter<W> {
    pub fn new(mut out: W, options: WriteOptions) -> std::io::Result<Self> {
        if options.excel {
            out.write_all("\u{feff}".as_bytes())?;
        }
        // Fewer, larger writes: each is a system call.
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .buffer_capacity(1 << 16)
            .from_writer(out);
        writer.write_record(COLUMNS)?;
        Ok(EventWriter {
            writer,
            options,
            date: String::new(),
            end_date: String::new(),
            participants: String::new(),
            sources: String::new(),
            number: String::new(),
        })
    }

    /// One row: the cells of `EventRecord::from_event` (a side of one is headed by its
    /// member), written from the event without copying it into a record.
    pub fn write(&mut self, event: &Event, ordinal: &str) -> std::io::Result<()> {
        use std::fmt::Write as _;
        let heads: Vec<i64> = event.heads().iter().map(|p| p.person_id).collect();
        let mut uuid = uuid::Uuid::encode_buffer();
        let id = event.uuid.hyphenated().encode_lower(&mut uuid);
        self.date.clear();
        event.date.push_iso(&mut self.date);
        self.end_date.clear();
        if let Some(end) = &event.end_date {
            end.push_iso(&mut self.end_date);
        }
        self.participants.clear();
        push_participants(
            &mut self.participants,
            event
                .participants
                .iter()
                .map(|p| (p.name.as_str(), p.side.code(), heads.contains(&p.person_id))),
            event.unnamed_sides.iter().map(|side| side.code()),
        );
        self.sources.clear();
        push_sources(&mut self.sources, &event.sources);
        self.number.clear();
        let _ = write!(self.number, "{}", event.id);
        let cells: [&str; 16] = [
            id,
            &self.date,
            &self.end_date,
            if event.date.circa() { "true" } else { "false" },
            &event.title,
            event.kind.as_str(),
            event.mode.as_str(),
            event.status.as_str(),
            &event.place.city,
            event.place.country.as_ref().map_or("", |c| c.code()),
            &event.place.venue,
            &self.participants,
            &self.sources,
            &event.notes,
            ordinal,
            &self.number,
        ];
        for cell in cells {
            if self.options.raw {
                self.writer.write_field(cell)?;
            } else {
                self.writer.write_field(neutralise(cell).as_bytes())?;
            }
        }
        self.writer.write_record(None::<&[u8]>)?;
        Ok(())
    }

    pub fn finish(mut self) -> std::io::Result<W> {
        self.writer.flush()?;
        self.writer
            .into_inner()
            .map_err(|e| std::io::Error::other(e.to_string()))
    }
}

/// Writes every event `filter` selects, in timeline order; returns the number of rows. The
/// pages are read from the store on this thread while a second thread says their ordinals,
/// makes their CSV and writes it out, so that an export takes about the longer of the two, not
/// their sum.
pub fn export(
    store: &Store,
    filter: &EventFilter,
    order: Order,
    out: &mut (dyn Write + Send),
    options: WriteOptions,
) -> Result<usize, ExportError> {
    let mut ordinals = Ordinals::new(store, super::FILE_DATES).sentences_only();
    // One page waits while one is made into CSV and the next is read: three pages at most.
    let (pages, pages_to_write) = mpsc::sync_channel::<Page>(1);
    let (made, pages_made) = mpsc::channel::<Page>();
    let mut writer_stopped = false;
    std::thread::scope(|scope| {
        let writer = scope.spawn(move || write_pages(pages_to_write, made, out, options));
        let read = ordinals.for_each_page_said::<ExportError>(filter, order, |page, said| {
            if pages.send((page, said)).is_err() {
                writer_stopped = true;
                return Err(ExportError::Write(std::io::Error::other(
                    "the thread making the CSV stopped",
                )));
            }
            pages_made.try_iter().for_each(drop);
            Ok(())
        });
        drop(pages);
        pages_made.iter().for_each(drop);
        let written = writer
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        first_failure(read, written, writer_stopped)
    })
}

/// A page of events and what their ordinal sentences rest on.
type Page = (Vec<Event>, PageSentences);

/// What an export comes to from how its two parts ended: the reading (`read`) and the thread
/// making and writing the CSV (`written`). The first failure is the one to report: the reading
/// stopping because the thread had (`writer_stopped`) is a consequence.
fn first_failure(
    read: Result<usize, ExportError>,
    written: Result<(), ExportError>,
    writer_stopped: bool,
) -> Result<usize, ExportError> {
    match (read, written) {
        (_, Err(written)) if writer_stopped => Err(written),
        (Err(read), _) => Err(read),
        (Ok(_), Err(written)) => Err(written),
        (Ok(count), Ok(())) => Ok(count),
    }
}

/// The CSV of each page sent, its ordinals said from what was read with it, written to `out`;
/// each page is then handed back to be freed by the thread that allocated it (freed here, the
/// two threads contended for the allocator: most exports of 100,000 events took 1.1–1.3 s
/// instead of 0.6–0.7 s).
fn write_pages(
    pages: mpsc::Receiver<Page>,
    made: mpsc::Sender<Page>,
    out: &mut (dyn Write + Send),
    options: WriteOptions,
) -> Result<(), ExportError> {
    let mut writer = EventWriter::new(out, options)?;
    for (events, mut said) in pages {
        for event in &events {
            let ordinal = said.sentences(event)?.join("; ");
            writer.write(event, &ordinal)?;
        }
        // Should the reading thread have stopped, the page is freed here instead.
        let _ = made.send((events, said));
    }
    writer.finish()?.flush()?;
    Ok(())
}

/// Any table as CSV with the conventions of the event export: a header row, CRLF line ends,
/// and cells a spreadsheet would run as formulas neutralised.
pub fn write_table(
    out: &mut dyn Write,
    header: &[&str],
    rows: &[Vec<String>],
) -> std::io::Result<()> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    writer.write_record(header)?;
    for row in rows {
        for cell in row {
            writer.write_field(neutralise(cell).as_bytes())?;
        }
        writer.write_record(None::<&[u8]>)?;
    }
    writer.flush()?;
    Ok(())
}

/// A person's history as CSV: their events in order, the `ordinal` column holding what each
/// counts for that person ("3rd meeting with Steve Witkoff; 2nd visit to …").
pub fn export_history(
    store: &Store,
    person_id: i64,
    out: &mut dyn Write,
    options: WriteOptions,
) -> Result<usize, ExportError> {
    let person = store.person(person_id)?;
    let events = store.person_history(person_id)?;
    let mut writer = EventWriter::new(out, options)?;
    let mut ordinals = Ordinals::new(store, super::FILE_DATES);
    ordinals.read(&events)?;
    for event in &events {
        let notes = ordinals.history_notes(event, &person)?;
        writer.write(event, &notes.join("; "))?;
    }
    writer.finish()?;
    Ok(events.len())
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_escaped(&mut out, text);
    out
}

fn push_escaped(out: &mut String, text: &str) {
    for c in text.chars() {
        if matches!(c, '\\' | ';' | '<' | '>') {
            out.push('\\');
        }
        out.push(c);
    }
}

/// Appends `text` escaped, then with each of `words` (" via ", " citing ", in that order)
/// escaped by its first letter; text with nothing to escape is copied as it is.
fn push_escaped_words(out: &mut String, text: &str, words: &[&str]) {
    if !text.contains(['\\', ';', '<', '>']) && !words.iter().any(|w| text.contains(w)) {
        out.push_str(text);
        return;
    }
    let mut escaped = escape(text);
    for word in words {
        escaped = escaped.replace(word, &format!(" \\{}", &word[1..]));
    }
    out.push_str(&escaped);
}

/// Participants as `NAME (SIDE)` entries, then each side whose members were not named as
/// `(SIDE)`.
pub fn encode_participants(participants: &[ParticipantRecord], unnamed_sides: &[String]) -> String {
    let mut out = String::new();
    push_participants(
        &mut out,
        participants
            .iter()
            .map(|p| (p.name.as_str(), p.side.as_str(), p.head)),
        unnamed_sides.iter().map(String::as_str),
    );
    out
}

/// `encode_participants` appended to `out`, from (name, side, head) entries.
fn push_participants<'a>(
    out: &mut String,
    named: impl Iterator<Item = (&'a str, &'a str, bool)>,
    unnamed_sides: impl Iterator<Item = &'a str>,
) {
    let mut first = true;
    let mut separate = |out: &mut String| {
        if !first {
            out.push_str("; ");
        }
        first = false;
    };
    for (name, side, head) in named {
        separate(out);
        push_escaped(out, name);
        out.push_str(" (");
        out.push_str(side);
        out.push(')');
        if head {
            out.push('*');
        }
    }
    for side in unnamed_sides {
        separate(out);
        out.push('(');
        out.push_str(side);
        out.push(')');
    }
}

pub fn encode_sources(sources: &[Source]) -> String {
    let mut out = String::new();
    push_sources(&mut out, sources);
    out
}

fn push_sources(out: &mut String, sources: &[Source]) {
    for (i, s) in sources.iter().enumerate() {
        if i > 0 {
            out.push_str("; ");
        }
        // Escaping the first letter keeps " citing " or " via " inside a name from reading
        // as the separator: the reader takes the first " via " as the site's, then the first
        // " citing " before it as whom the outlet cites.
        push_escaped_words(out, &s.outlet, &[" via ", " citing "]);
        if !s.citing.is_empty() {
            out.push_str(" citing ");
            push_escaped_words(out, &s.citing, &[" via "]);
        }
        if !s.via.is_empty() {
            out.push_str(" via ");
            push_escaped(out, &s.via);
        }
        if !s.url.is_empty() {
            out.push_str(" <");
            push_escaped(out, &s.url);
            out.push('>');
        }
    }
}

/// A cell's characters, each marked as escaped or not.
type Marked = Vec<(char, bool)>;

fn mark(text: &str) -> Marked {
    let mut out = Vec::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some(next) => out.push((next, true)),
                None => out.push(('\\', true)),
            }
        } else {
            out.push((c, false));
        }
    }
    out
}

fn plain(marked: &[(char, bool)]) -> String {
    marked
        .iter()
        .map(|(c, _)| c)
        .collect::<String>()
        .trim()
        .to_string()
}

/// Where `pattern` starts among unescaped characters at or after `from`.
fn find(marked: &[(char, bool)], pattern: &str, from: usize) -> Option<usize> {
    let pattern: Vec<char> = pattern.chars().collect();
    (from..=marked.len().saturating_sub(pattern.len())).find(|&i| {
        marked.len() >= i + pattern.len()
            && pattern
                .iter()
                .enumerate()
                .all(|(k, c)| marked[i + k] == (*c, false))
    })
}

fn split_entries(text: &str) -> Vec<Marked> {
    let marked = mark(text);
    let mut entries = Vec::new();
    let mut start = 0;
    while let Some(at) = find(&marked, "; ", start) {
        entries.push(marked[start..at].to_vec());
        start = at + 2;
    }
    entries.push(marked[start..].to_vec());
    entries.retain(|e| e.iter().any(|(c, _)| !c.is_whitespace()));
    entries
}

/// The named participants of a `participants` cell, and the sides listed without a name
/// (`(RU)`: a delegation whose members were not named).
pub fn decode_participants(text: &str) -> Result<(Vec<ParticipantRecord>, Vec<String>), Invalid> {
    let mut unnamed = Vec::new();
    let mut named = Vec::new();
    for mut entry in split_entries(text) {
        while entry.first().is_some_and(|(c, e)| c.is_whitespace() && !e) {
            entry.remove(0);
        }
        if entry.len() == 4 && entry[0] == ('(', false) && entry[3] == (')', false) {
            unnamed.push(plain(&entry[1..3]));
            continue;
        }
        named.push(entry);
    }
    let named = named
        .into_iter()
        .map(|mut entry| {
            while entry.last().is_some_and(|(c, e)| c.is_whitespace() && !e) {
                entry.pop();
            }
            let head = entry.last() == Some(&('*', false));
            if head {
                entry.pop();
            }
            let bad = || {
                Invalid::new(
                    "participants",
                    &plain(&entry),
                    "expected NAME (SIDE), with * after the head of a side",
                )
            };
            let n = entry.len();
            let shaped = n >= 5
                && entry[n - 1] == (')', false)
                && entry[n - 4] == ('(', false)
                && entry[n - 5] == (' ', false);
            if !shaped {
                return Err(bad());
            }
            let name = plain(&entry[..n - 5]);
            if name.is_empty() {
                return Err(bad());
            }
            Ok(ParticipantRecord {
                name,
                side: plain(&entry[n - 3..n - 1]),
                head,
            })
        })
        .collect::<Result<_, _>>()?;
    Ok((named, unnamed))
}

pub fn decode_sources(text: &str) -> Result<Vec<Source>, Invalid> {
    split_entries(text)
        .into_iter()
        .map(|mut entry| {
            while entry.last().is_some_and(|(c, e)| c.is_whitespace() && !e) {
                entry.pop();
            }
            let mut url = String::new();
            if entry.last() == Some(&('>', false)) {
                let open = (0..entry.len()).rev().find(|&i| entry[i] == ('<', false));
                match open {
                    Some(open) => {
                        url = plain(&entry[open + 1..entry.len() - 1]);
                        entry.truncate(open);
                    }
                    None => {
                        return Err(Invalid::new(
                            "sources",
                            &plain(&entry),
                            "a URL is closed with > but not opened with <",
                        ));
                    }
                }
            }
            let mut via = String::new();
            if let Some(at) = find(&entry, " via ", 0) {
                via = plain(&entry[at + 5..]);
                entry.truncate(at);
            }
            let (outlet, citing) = match find(&entry, " citing ", 0) {
                Some(at) => (plain(&entry[..at]), plain(&entry[at + 8..])),
                None => (plain(&entry), String::new()),
            };
            let source = Source {
                outlet,
                citing,
                via,
                url,
                published: None,
            };
            source.validate().map_err(|mut invalid| {
                invalid.field = "sources".into();
                invalid
            })?;
            Ok(source)
        })
        .collect()
}

/// Passes a file through, noting where each of its line ends is.
struct LineIndex<R> {
    inner: R,
    read: u64,
    newlines: std::rc::Rc<std::cell::RefCell<LineEnds>>,
}

/// The line ends read and not yet passed: the reader asks for the lines of rows in the file's
/// order, so those before the last row asked for are only counted, and a file of any length
/// needs no more than its reader's buffer holds.
#[derive(Default)]
struct LineEnds {
    passed: u64,
    ahead: std::collections::VecDeque<u64>,
}

impl LineEnds {
    /// The line of the byte at `byte`, no earlier than the last one asked for.
    fn line(&mut self, byte: u64) -> u64 {
        while self.ahead.front().is_some_and(|end| *end <= byte) {
            self.ahead.pop_front();
            self.passed += 1;
        }
        self.passed + 1
    }
}

impl<R: Read> Read for LineIndex<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut newlines = self.newlines.borrow_mut();
        for (i, byte) in buf[..n].iter().enumerate() {
            if *byte == b'\n' {
                newlines.ahead.push_back(self.read + i as u64);
            }
        }
        self.read += n as u64;
        Ok(n)
    }
}

/// How a CSV file is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReadOptions {
    pub dry_run: bool,
    /// Columns this format does not have are skipped instead of refused.
    pub ignore_unknown: bool,
    /// Cells are taken as written: for files exported with `--raw`, where a leading `'` is data
    /// rather than the mark that neutralised a formula.
    pub raw: bool,
    pub on_conflict: super::OnConflict,
    /// Import rows that are likely duplicates of events on record or of each other.
    pub allow_duplicates: bool,
}

/// Which pass over the file an import is making, for its progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pass {
    /// Reading and checking every row, without holding the write lock.
    Checking,
    /// Writing, inside the one write transaction.
    Writing,
}

/// Reads a CSV file into the store in one transaction, a row at a time. The file is read twice:
/// first every row is parsed and checked against what is on record, holding no lock, so that a
/// bad file is refused without ever keeping another program from writing; then the rows are
/// written in one transaction. At the first bad row nothing is written; a dry run reports every
/// bad row.
pub fn import<R: Read + Seek>(
    store: &mut Store,
    mut input: R,
    label: &str,
    options: ReadOptions,
    mut progress: impl FnMut(Pass, u64),
) -> Result<ImportSummary, ImportError> {
    let mut problems = Vec::new();
    let mut duplicates = Vec::new();
    let mut timeline = Timeline::new(options.on_conflict);
    let mut columns = Vec::new();
    store.check_import(|check| -> Result<(), ImportError> {
        let mut rows = Rows::open(&mut input, label, &options)?;
        columns.clone_from(&rows.columns);
        while let Some((line, row)) = rows.next() {
            progress(Pass::Checking, rows.bytes_read());
            // A refused value is the file's problem; a failing store is not, and says so as is.
            let checked = match row {
                Err(text) => Err(text),
                Ok(draft) => {
                    timeline.meet(&draft, rows.start);
                    let found = if options.allow_duplicates {
                        check
                            .record(&draft, options.on_conflict)
                            .map(|()| Vec::new())
                    } else {
                        check.record_with_duplicates(&draft, options.on_conflict, line)
                    };
                    match found {
                        Ok(found) => {
                            duplicates.extend(found.iter().map(|duplicate| {
                                super::duplicate_problem(
                                    format!("{label}:{line}"),
                                    duplicate,
                                    |other| format!("line {other}"),
                                )
                            }));
                            Ok(())
                        }
                        Err(StoreError::Invalid(invalid)) => Err(invalid.to_string()),
                        Err(other) => return Err(other.into()),
                    }
                }
            };
            if let Err(text) = checked {
                problems.push(rows.problem(line, text));
                if !options.dry_run {
                    break;
                }
            }
        }
        Ok(())
    })?;
    if !options.dry_run
        && let Some(first) = problems.pop()
    {
        return Err(ImportError::Problem(first));
    }
    if !problems.is_empty() {
        problems.extend(duplicates);
        return Err(ImportError::Problems(problems));
    }
    if !duplicates.is_empty() {
        return Err(ImportError::Duplicates(duplicates));
    }
    let unreadable = |e: std::io::Error| ImportError::Unreadable {
        path: label.to_string(),
        reason: e.to_string(),
    };
    let total = input.seek(SeekFrom::End(0)).map_err(unreadable)?;
    input.seek(SeekFrom::Start(0)).map_err(unreadable)?;
    let work_name = format!("import of {}", file_name(label));
    let starts = timeline.into_starts();
    let (mut summary, new_people) = store.import(!options.dry_run, &work_name, |importer| {
        let mut summary = ImportSummary::default();
        // The rows were checked; what can still go wrong here is what another program wrote
        // between the two passes (an event with one of the file's ids).
        let mut record = |importer: &mut crate::store::Importer,
                          draft: &EventDraft,
                          line: &mut dyn FnMut() -> u64| {
            match importer.record(draft, options.on_conflict) {
                Ok(outcome) => {
                    summary.count(outcome);
                    Ok(())
                }
                Err(StoreError::Invalid(invalid)) => Err(ImportError::Problem(rows_problem(
                    label,
                    line(),
                    invalid.to_string(),
                ))),
                Err(other) => Err(other.into()),
            }
        };
        match &starts {
            Some(starts) => {
                let mut rows = csv::ReaderBuilder::new()
                    .has_headers(false)
                    .flexible(true)
                    .from_reader(&mut input);
                let mut row = csv::StringRecord::new();
                let count = starts.len().max(1) as u64;
                for (done, start) in (1..).zip(starts) {
                    let at = total.saturating_mul(done) / count;
                    progress(Pass::Writing, at);
                    importer.progress(at, total);
                    let mut position = csv::Position::new();
                    position.set_byte(*start);
                    let read = rows
                        .seek(position)
                        .map_err(|e| e.to_string())
                        .and_then(|()| match rows.read_record(&mut row) {
                            Ok(true) => record_from_row(&row, &columns, options.raw)
                                .and_then(|record| record.to_draft())
                                .map_err(|invalid| invalid.to_string()),
                            Ok(false) => {
                                Err("the file ended early: was it changed during the import?"
                                    .into())
                            }
                            Err(e) => Err(format!("malformed CSV: {e}")),
                        });
                    let input = rows.get_mut();
                    let mut line = || line_at(&mut **input, *start).unwrap_or(0);
                    match read {
                        Ok(draft) => record(importer, &draft, &mut line)?,
                        Err(text) => {
                            return Err(ImportError::Problem(rows_problem(label, line(), text)));
                        }
                    }
                }
            }
            None => {
                let mut rows = Rows::open(&mut input, label, &options)?;
                while let Some((line, row)) = rows.next() {
                    progress(Pass::Writing, rows.bytes_read());
                    importer.progress(rows.bytes_read(), total);
                    let draft =
                        row.map_err(|text| ImportError::Problem(rows.problem(line, text)))?;
                    record(importer, &draft, &mut || line)?;
                }
            }
        }
        importer.what = summary.log_line(label);
        Ok::<_, ImportError>(summary)
    })?;
    summary.new_people = new_people;
    Ok(summary)
}

/// The order the writing pass takes a file's rows in: by date, then as the file has them, so
/// that events are numbered in timeline order and a page of the timeline finds its events'
/// participants and sources side by side. The file's own order is kept where the order decides
/// what the import does: an id met twice when conflicts are skipped (the first is kept), and a
/// replacing import (a row without an id may be the same as what an event was before it was
/// replaced, or as what it is after). One record met twice with the same content has one date,
/// and so do rows without an id that are the same record: they keep the file's order among
/// themselves.
struct Timeline {
    /// Each row as its day, shifted above where it starts in the file.
    keys: Vec<u64>,
    /// The ids met, folded to 64 bits: two that fold alike only cost the file's order.
    ids: Vec<u64>,
    /// Whether the order of one id met twice decides what is kept. An import that refuses
    /// conflicts refuses such a file in any order, naming the second of the two rows it
    /// meets; one that replaces keeps the file's order anyway.
    ids_matter: bool,
    in_file_order: bool,
}

/// Bits of a key for where a row starts: files up to 4 TiB.
const START_BITS: u32 = 42;
/// Days of a key are counted from about 5,700 years before the Common Era.
const DAY_SHIFT: i64 = 1 << 21;

impl Timeline {
    fn new(on_conflict: super::OnConflict) -> Self {
        Timeline {
            keys: Vec::new(),
            ids: Vec::new(),
            ids_matter: on_conflict == super::OnConflict::Skip,
            in_file_order: on_conflict == super::OnConflict::Replace,
        }
    }

    fn meet(&mut self, draft: &EventDraft, start: Option<u64>) {
        use chrono::Datelike;
        if self.in_file_order {
            return;
        }
        let day = i64::from(draft.date.first().num_days_from_ce()) + DAY_SHIFT;
        let key = match (u64::try_from(day), start) {
            (Ok(day), Some(start)) if day < 1 << (64 - START_BITS) && start < 1 << START_BITS => {
                day << START_BITS | start
            }
            _ => {
                self.in_file_order = true;
                return;
            }
        };
        self.keys.push(key);
        if self.ids_matter
            && let Some(uuid) = draft.uuid
        {
            let (high, low) = uuid.as_u64_pair();
            self.ids.push(high ^ low);
        }
    }

    /// Where each row starts, in the order to write them; `None` when that is the file's
    /// order, which a reading from start to end gives.
    fn into_starts(self) -> Option<Vec<u64>> {
        let Timeline {
            mut keys,
            mut ids,
            in_file_order,
            ..
        } = self;
        if in_file_order || keys.is_sorted() {
            return None;
        }
        ids.sort_unstable();
        if ids.windows(2).any(|pair| pair[0] == pair[1]) {
            return None;
        }
        drop(ids);
        keys.sort_unstable();
        for key in &mut keys {
            *key &= (1 << START_BITS) - 1;
        }
        Some(keys)
    }
}

/// The physical line of the byte at `byte`, as `Rows` counts it, read from the file's start: for
/// a row met out of the file's order, which only a refused row needs.
fn line_at<R: Read + Seek>(input: &mut R, byte: u64) -> std::io::Result<u64> {
    input.seek(SeekFrom::Start(0))?;
    let mut head = input.take(byte + 1);
    let mut buffer = [0; 8192];
    let mut newlines = 0;
    loop {
        let n = head.read(&mut buffer)?;
        if n == 0 {
            return Ok(newlines + 1);
        }
        newlines += buffer[..n].iter().filter(|b| **b == b'\n').count() as u64;
    }
}

/// A pair whose count in a CSV file's `ordinal` column is not the record's own after the file
/// was imported: the file was exported from a record that knew of meetings before its first
/// (a prior count), which CSV does not carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrdinalGap {
    /// The first line that says so.
    pub line: u64,
    /// The pair, by their names on record.
    pub people: [String; 2],
    pub mode: crate::domain::Mode,
    /// The number the file gives at that line.
    pub in_file: usize,
    /// The record's own, at the same event.
    pub in_record: usize,
}

impl OrdinalGap {
    /// How many meetings the file counts before the record's first that the record does not:
    /// the prior count it implies, when it counts more.
    pub fn implied_prior(&self) -> Option<usize> {
        self.in_file
            .checked_sub(self.in_record)
            .filter(|more| *more > 0)
    }

    /// "line 20: Vladimir Putin and Donald Trump, 6th in the file, 1st in the record", with the
    /// command that records the prior count the file implies.
    pub fn describe(&self) -> String {
        use crate::domain::ordinal::ordinal_word;
        let [first, second] = &self.people;
        let mut text = format!(
            "line {}: {first} and {second} ({}), {} in the file, {} in the record",
            self.line,
            self.mode.meeting_noun(),
            ordinal_word(self.in_file),
            ordinal_word(self.in_record)
        );
        if let Some(prior) = self.implied_prior() {
            let mode = match self.mode {
                crate::domain::Mode::InPerson => String::new(),
                other => format!(" --mode {}", other.as_str()),
            };
            text.push_str(&format!(
                ": {prior} before the record's first; to record them:\n    attache prior set {} {} --count {prior}{mode} --source SOURCE",
                shell_word(first),
                shell_word(second)
            ));
        }
        text
    }
}

/// A name as one word of a shell command line: in double quotes, with what a shell expands
/// inside them escaped.
fn shell_word(text: &str) -> String {
    let mut word = String::from("\"");
    for c in text.chars() {
        if matches!(c, '"' | '\\' | '$' | '`') {
            word.push('\\');
        }
        word.push(c);
    }
    word.push('"');
    word
}

/// The number an `ordinal` cell starts with and what follows the first " between " in it:
/// (6, "Vladimir Putin and Donald Trump, counting 5 before this record") for "6th face-to-face
/// meeting between …". The wording around them may change; a cell that does not start with a
/// number and an ordinal suffix, or names nobody, is not read.
fn read_ordinal(cell: &str) -> Option<(usize, &str)> {
    let cell = cell.trim_start();
    let digits = cell.len() - cell.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let number = cell[..digits].parse().ok()?;
    if !cell[digits..].starts_with(|c: char| c.is_alphabetic()) {
        return None;
    }
    let at = cell.find(" between ")?;
    Some((number, &cell[at + " between ".len()..]))
}

/// After a CSV file was imported: each pair whose number in the file's `ordinal` column is not
/// the record's own at the same event, at the first line that shows it. Cells that cannot be
/// read, and rows whose event is not found, are passed over: this is a warning, not a check.
/// One event is read for each pair, not for each row.
pub fn ordinal_gaps<R: Read>(
    store: &Store,
    input: R,
    label: &str,
    options: &ReadOptions,
) -> Result<Vec<OrdinalGap>, ImportError> {
    let mut rows = Rows::open(input, label, options)?;
    let Some(column) = rows.column("ordinal") else {
        return Ok(Vec::new());
    };
    let mut ordinals = Ordinals::new(store, super::FILE_DATES);
    let mut done = std::collections::HashSet::new();
    let mut gaps = Vec::new();
    while let Some((line, row)) = rows.next_filled(Some(column)) {
        let Ok(draft) = row else { continue };
        let Some((in_file, names)) = rows.row.get(column).and_then(read_ordinal) else {
            continue;
        };
        // A pair's rows all imply one count; the first whose event is found says it.
        let named = names.to_string();
        if done.contains(&named) {
            continue;
        }
        let number = match draft.uuid {
            Some(uuid) => store.event_id_by_uuid(&uuid)?,
            None => store.find_same_event(&draft)?,
        };
        let Some(number) = number else { continue };
        let event = store.event(number)?;
        // Read once, whether or not the record names the pair so (someone renamed since).
        done.insert(named.clone());
        for line_of_record in ordinals.for_event(&event)? {
            let [(_, a), (_, b)] = line_of_record.people.as_slice() else {
                continue;
            };
            let pair = [format!("{a} and {b}"), format!("{b} and {a}")];
            if !pair.iter().any(|p| names.starts_with(p.as_str())) {
                continue;
            }
            let kept = &line_of_record.ordinal;
            if !(kept.low..=kept.high).contains(&in_file) {
                gaps.push(OrdinalGap {
                    line,
                    people: [a.clone(), b.clone()],
                    mode: event.mode,
                    in_file,
                    in_record: kept.low,
                });
            }
            break;
        }
    }
    Ok(gaps)
}

/// The rows of a CSV file as drafts, each with its physical line.
struct Rows<'a, R> {
    reader: csv::Reader<LineIndex<R>>,
    newlines: std::rc::Rc<std::cell::RefCell<LineEnds>>,
    columns: Vec<Option<usize>>,
    row: csv::StringRecord,
    label: &'a str,
    raw: bool,
    /// Where the last row read starts, as the reader can be sent back to it.
    start: Option<u64>,
}

impl<'a, R: Read> Rows<'a, R> {
    /// Reads and checks the header.
    fn open(input: R, label: &'a str, options: &ReadOptions) -> Result<Self, ImportError> {
        let newlines = std::rc::Rc::new(std::cell::RefCell::new(LineEnds::default()));
        let input = LineIndex {
            inner: input,
            read: 0,
            newlines: std::rc::Rc::clone(&newlines),
        };
        let mut rows = Rows {
            reader: csv::ReaderBuilder::new().flexible(false).from_reader(input),
            newlines,
            columns: Vec::new(),
            row: csv::StringRecord::new(),
            label,
            raw: options.raw,
            start: None,
        };
        let header_problem = |text: String| ImportError::Problem(rows_problem(label, 1, text));
        let headers = rows
            .reader
            .headers()
            .map_err(|e| header_problem(format!("unreadable header: {e}")))?
            .clone();
        if headers
            .iter()
            .all(|h| h.trim_start_matches('\u{feff}').trim().is_empty())
        {
            return Err(header_problem("the file is empty".into()));
        }
        let known = |h: &str| COLUMNS.contains(&h.trim_start_matches('\u{feff}').trim());
        if !headers.iter().any(known) {
            return Err(header_problem(format!(
                "no header: the first line must name the columns ({}), as attache's export writes them",
                COLUMNS.join(", ")
            )));
        }
        for name in headers.iter() {
            let name = name.trim_start_matches('\u{feff}').trim();
            match COLUMNS.iter().position(|c| *c == name) {
                Some(known) => {
                    if rows.columns.contains(&Some(known)) {
                        return Err(header_problem(format!("{name}: the column appears twice")));
                    }
                    rows.columns.push(Some(known));
                }
                None if options.ignore_unknown => rows.columns.push(None),
                None => {
                    return Err(header_problem(format!(
                        "{name}: unknown column (columns are: {}; --ignore-unknown skips others)",
                        COLUMNS.join(", ")
                    )));
                }
            }
        }
        for required in ["date", "title"] {
            let index = COLUMNS.iter().position(|c| *c == required);
            if !rows.columns.contains(&index) {
                return Err(header_problem(format!(
                    "{required}: required column is missing"
                )));
            }
        }
        Ok(rows)
    }

    /// The next row's physical line and its draft, or what is wrong with it.
    fn next(&mut self) -> Option<(u64, Result<EventDraft, String>)> {
        self.next_filled(None)
    }

    /// As `next`, passing over the rows whose column `filled` (when given) is blank without
    /// making drafts of them: a pass that needs one column of a few rows costs a scan.
    fn next_filled(&mut self, filled: Option<usize>) -> Option<(u64, Result<EventDraft, String>)> {
        loop {
            let before = self.physical_line(self.reader.position().byte());
            return match self.reader.read_record(&mut self.row) {
                Ok(false) => None,
                Err(e) => {
                    let line = e
                        .position()
                        .map(|p| self.physical_line(p.byte()))
                        .unwrap_or(before);
                    Some((line, Err(format!("malformed CSV: {e}"))))
                }
                Ok(true)
                    if filled.is_some_and(|column| {
                        self.row
                            .get(column)
                            .is_none_or(|field| field.trim().is_empty())
                    }) =>
                {
                    continue;
                }
                Ok(true) => {
                    self.start = self.row.position().map(|p| p.byte());
                    let line = self.start.map_or(before, |byte| self.physical_line(byte));
                    let draft = record_from_row(&self.row, &self.columns, self.raw)
                        .and_then(|record| record.to_draft())
                        .map_err(|invalid| invalid.to_string());
                    Some((line, draft))
                }
            };
        }
    }

    /// The csv crate counts a CRLF file's lines one short (a record there starts at the LF of
    /// the CRLF before it); the line named must be the one an editor shows, so lines are counted
    /// from the bytes read, a line end at the record's first byte included.
    fn physical_line(&self, byte: u64) -> u64 {
        self.newlines.borrow_mut().line(byte)
    }

    /// Where the column named `name` is in each row, when the file has it.
    fn column(&self, name: &str) -> Option<usize> {
        let index = COLUMNS.iter().position(|c| *c == name)?;
        self.columns.iter().position(|c| *c == Some(index))
    }

    fn bytes_read(&self) -> u64 {
        self.reader.position().byte()
    }

    fn problem(&self, line: u64, text: String) -> FileProblem {
        rows_problem(self.label, line, text)
    }
}

fn rows_problem(label: &str, line: u64, text: String) -> FileProblem {
    FileProblem {
        location: format!("{label}:{line}"),
        problem: text,
    }
}

fn record_from_row(
    row: &csv::StringRecord,
    columns: &[Option<usize>],
    raw: bool,
) -> Result<EventRecord, Invalid> {
    let mut record = EventRecord::default();
    for (cell, column) in row.iter().zip(columns) {
        let Some(column) = column else { continue };
        let cell = if raw { cell } else { unneutralise(cell) };
        let name = COLUMNS[*column];
        match name {
            "id" => record.id = cell.to_string(),
            "date" => record.date = cell.to_string(),
            "end_date" => record.end_date = cell.to_string(),
            "circa" => {
                record.circa = match cell.trim().to_lowercase().as_str() {
                    "true" => true,
                    "false" | "" => false,
                    _ => return Err(Invalid::new("circa", cell, "expected true or false")),
                }
            }
            "title" => record.title = cell.to_string(),
            "kind" => record.kind = cell.to_string(),
            "mode" => record.mode = cell.to_string(),
            "status" => record.status = cell.to_string(),
            "city" => record.city = cell.to_string(),
            "country" => record.country = cell.to_string(),
            "venue" => record.venue = cell.to_string(),
            "participants" => {
                (record.participants, record.unnamed_sides) = decode_participants(cell)?;
            }
            "sources" => record.sources = decode_sources(cell)?,
            "notes" => record.notes = cell.to_string(),
            _ => {}
        }
    }
    Ok(record)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_export_reports_its_first_failure_not_what_followed_from_it() {
        let io = |kind, what: &str| std::io::Error::new(kind, what.to_string());
        let said = |result: Result<usize, ExportError>| result.unwrap_err().to_string();
        let full = || ExportError::Write(io(std::io::ErrorKind::StorageFull, "no space left"));
        let reading = || ExportError::Write(io(std::io::ErrorKind::Other, "the thread stopped"));
        // The output failed: the reading stopped for it.
        assert_eq!(
            said(first_failure(Err(reading()), Err(full()), true)),
            "no space left"
        );
        // The output failed after the last page was read.
        assert_eq!(
            said(first_failure(Ok(3), Err(full()), false)),
            "no space left"
        );
        // The reading failed first; the thread making the CSV had nothing wrong.
        let corrupt = ExportError::Write(io(std::io::ErrorKind::Other, "disk image is malformed"));
        assert_eq!(
            said(first_failure(Err(corrupt), Ok(()), false)),
            "disk image is malformed"
        );
        assert_eq!(first_failure(Ok(3), Ok(()), false).unwrap(), 3);
    }

    fn p(name: &str, side: &str, head: bool) -> ParticipantRecord {
        ParticipantRecord {
            name: name.into(),
            side: side.into(),
            head,
        }
    }

    #[test]
    fn a_row_is_found_again_where_it_starts_with_its_line() {
        let text = "id,date,title,participants,notes\n,2025-05-01,One,(RU),\n,2025-05-02,Two,(RU),\"Over\ntwo lines\"\n,2025-05-03,Three,(RU),\n";
        for text in [text.to_string(), text.replace('\n', "\r\n")] {
            let bytes = text.as_bytes();
            let mut rows = Rows::open(bytes, "f.csv", &ReadOptions::default()).unwrap();
            let mut met = Vec::new();
            while let Some((line, draft)) = rows.next() {
                draft.unwrap();
                met.push((line, rows.start.unwrap(), rows.row.clone()));
            }
            let lines: Vec<u64> = met.iter().map(|(line, _, _)| *line).collect();
            assert_eq!(lines, [2, 3, 5]);
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .from_reader(std::io::Cursor::new(bytes));
            let mut row = csv::StringRecord::new();
            for (line, start, read) in met.into_iter().rev() {
                let mut position = csv::Position::new();
                position.set_byte(start);
                reader.seek(position).unwrap();
                assert!(reader.read_record(&mut row).unwrap());
                assert_eq!(row, read);
                assert_eq!(
                    line_at(&mut std::io::Cursor::new(bytes), start).unwrap(),
                    line
                );
            }
        }
    }

    #[test]
    fn participants_read_as_the_issue_writes_them() {
        let text = "Vladimir Putin (RU)*; Kirill Dmitriev (RU); Steve Witkoff (US)*";
        let (parsed, unnamed) = decode_participants(text).unwrap();
        assert!(unnamed.is_empty());
        assert_eq!(
            parsed,
            vec![
                p("Vladimir Putin", "RU", true),
                p("Kirill Dmitriev", "RU", false),
                p("Steve Witkoff", "US", true)
            ]
        );
        assert_eq!(encode_participants(&parsed, &[]), text);
        let (named, unnamed) = decode_participants("Dan Driscoll (US)*; (RU)").unwrap();
        assert_eq!(
            (named.len(), unnamed.as_slice()),
            (1, ["RU".to_string()].as_slice())
        );
        assert_eq!(
            encode_participants(&named, &unnamed),
            "Dan Driscoll (US)*; (RU)"
        );
    }

    #[test]
    fn awkward_names_survive() {
        let people = vec![
            p("A (RU); B", "US", false),
            p("x*; y\\", "RU", true),
            p("Ann (née Lee) *", "GB", false),
        ];
        let text = encode_participants(&people, &[]);
        assert_eq!(decode_participants(&text).unwrap().0, people, "{text}");
    }

    #[test]
    fn sources_with_citing_and_url() {
        let sources = decode_sources("RIA citing the Kremlin; Axios citing a source familiar with the trip and FlightRadar data <https://news.az/x>").unwrap();
        assert_eq!(sources[0].attribution(), "RIA citing the Kremlin");
        assert_eq!(
            sources[1].citing,
            "a source familiar with the trip and FlightRadar data"
        );
        assert_eq!(sources[1].url, "https://news.az/x");
        let odd = vec![Source {
            outlet: "Cite citing Co <x>; y via z".into(),
            citing: "a <b> via c".into(),
            via: "news via site.com".into(),
            url: "https://a.b/c;d".into(),
            published: None,
        }];
        let text = encode_sources(&odd);
        assert_eq!(decode_sources(&text).unwrap(), odd, "{text}");
        let read =
            decode_sources("TASS via news-pravda.com <https://finland.news-pravda.com/x>").unwrap();
        assert_eq!(
            (read[0].outlet.as_str(), read[0].via.as_str()),
            ("TASS", "news-pravda.com")
        );
    }

    #[test]
    fn malformed_cells_are_refused_with_the_column() {
        assert_eq!(
            decode_participants("Vladimir Putin").unwrap_err().field,
            "participants"
        );
        assert_eq!(
            decode_participants(" x(RU)").unwrap_err().field,
            "participants"
        );
        assert_eq!(
            decode_sources("TASS <ftp://x>").unwrap_err().field,
            "sources"
        );
        assert_eq!(
            decode_sources("TASS https://x>").unwrap_err().field,
            "sources"
        );
        assert!(decode_participants("").unwrap().0.is_empty());
    }

    #[test]
    fn ordinal_cells_are_read_by_their_number_and_names_only() {
        let cases = [
            (
                "6th face-to-face meeting between Vladimir Putin and Donald Trump, counting 5 before this record",
                Some((
                    6,
                    "Vladimir Putin and Donald Trump, counting 5 before this record",
                )),
            ),
            (
                "1st phone call between Vladimir Putin and Donald Trump in this record",
                Some((1, "Vladimir Putin and Donald Trump in this record")),
            ),
            (
                "6th, or 7th by TASS's count, face-to-face meeting between A B and C D",
                Some((6, "A B and C D")),
            ),
            (
                "3rd or 4th face-to-face meeting between A and B",
                Some((3, "A and B")),
            ),
            ("first meetings in this record: 11 pairs", None),
            ("12 pairs met between March and May", None),
            ("3rd meeting with Steve Witkoff; 2nd visit to Turkey", None),
            ("", None),
        ];
        for (cell, read) in cases {
            assert_eq!(read_ordinal(cell), read, "{cell}");
        }
    }

    #[test]
    fn formulas_are_neutralised_and_read_back() {
        for cell in ["=SUM(A1)", "+1", "-2", "@x", "\tx", "\rx", "'quoted", "'=x"] {
            let written = neutralise(cell);
            assert!(written.starts_with('\''), "{cell:?}");
            assert_eq!(unneutralise(&written), cell);
        }
        assert_eq!(neutralise("Putin"), "Putin");
        assert_eq!(unneutralise("'hello"), "'hello");
    }
}
