//! Verifying a record end to end, and rebuilding what is derived from its events.
//!
//! Much of what the store keeps is derived from the events so that reads stay cheap: each
//! participation's date and whether it was a face-to-face meeting it headed, the people's
//! counts, the tallies, the places in each series and the pairs' meetings (`counts`, `ranks`),
//! and the search text with its index. `verify` recounts each of them from the events with the
//! store's own code (the ranking of `ranks`, the heads of `domain::series`, the search text of
//! `search_text`), checks the file (SQLite's `integrity_check`, the server's `amcheck` where it
//! is installed) and the undo log, and names what differs. `repair` rebuilds what differs in one
//! transaction, and takes out undo entries that could never be undone. `quick_check` does the
//! same on a bounded sample, for the interface's start.

use std::collections::{BTreeSet, HashMap};

use crate::store::db::params;
use serde::Serialize;

use super::db::{self, Begin, Conn, Row};
use super::{Result, Store, StoreError, busy_or, counts, history, people, ranks, trips};
use crate::domain::series;
use crate::domain::{EventPlace, Kind, Mode, Participant, Status};

/// What part of the record a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Part {
    /// The database's own structure: pages, indexes, foreign keys.
    File,
    /// The migrations the database records against this build's.
    Migrations,
    /// People's counts, the tallies, the pairs' meetings and each participation's own.
    Counts,
    /// Each event's place in its series.
    Places,
    /// The search text of each event and the index over it.
    Search,
    /// The log that undo and redo read.
    UndoLog,
}

impl Part {
    pub fn name(self) -> &'static str {
        match self {
            Part::File => "the file",
            Part::Migrations => "migrations",
            Part::Counts => "kept counts",
            Part::Places => "kept places",
            Part::Search => "search index",
            Part::UndoLog => "undo log",
        }
    }

    /// Whether `repair` can put it right from the events: the file and the migrations are not
    /// derived from them.
    pub fn repairable(self) -> bool {
        !matches!(self, Part::File | Part::Migrations)
    }
}

/// One thing that differs from what the events say.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub part: Part,
    pub what: String,
}

impl Finding {
    fn new(part: Part, what: impl Into<String>) -> Finding {
        Finding {
            part,
            what: what.into(),
        }
    }
}

/// What one part's check did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Checked {
    pub part: Part,
    pub how: String,
}

/// The result of `verify`: what was checked and what differs.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Verification {
    pub checked: Vec<Checked>,
    pub findings: Vec<Finding>,
}

/// The result of `repair`: what differed and was put right in its transaction, or, when the
/// file itself or its migrations are wrong, what kept it from writing anything.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Repair {
    pub repaired: Vec<Finding>,
    pub refused: Vec<Finding>,
}

/// How many of the newest events and log entries `quick_check` looks at.
const SAMPLE: usize = 32;
/// How many of the newest events have their people's counts recounted, and are looked up in
/// the search index, at start.
const SAMPLE_PEOPLE: usize = 4;
/// Where a count at start stops.
const COUNT_CAP: i64 = 200;

impl Store {
    /// Checks the whole record; changes nothing.
    pub fn verify(&self) -> Result<Verification> {
        let reading = self.conn.begin(Begin::Read)?;
        let mut verification = verify_on(&reading, self.read_only.is_some())?;
        // Only read: ending it cannot lose anything.
        reading.commit()?;
        if self.read_only.is_none() {
            with_index_check(&self.conn, &mut verification)?;
        }
        Ok(verification)
    }

    /// Rebuilds what `verify` finds differing from the events, in one transaction, and checks
    /// the record again before committing. Writes nothing when nothing differs, or when the
    /// file or its migrations are wrong (`Repair::refused`): rebuilding on a damaged file could
    /// only spread the damage.
    pub fn repair(&mut self) -> Result<Repair> {
        if let Some(why) = &self.read_only {
            return Err(StoreError::ReadOnly {
                path: self.label.clone(),
                why: why.clone(),
            });
        }
        let label = self.label.clone();
        let tx = self
            .conn
            .begin(Begin::Write)
            .map_err(|e| busy_or(&label, e))?;
        let mut found = verify_on(&tx, false)?;
        with_index_check(&tx, &mut found)?;
        let found = found.findings;
        let (repaired, refused): (Vec<Finding>, Vec<Finding>) =
            found.into_iter().partition(|f| f.part.repairable());
        if !refused.is_empty() || repaired.is_empty() {
            return Ok(Repair { repaired, refused });
        }
        rebuild(&tx, &repaired)?;
        let mut left = verify_on(&tx, false)?;
        with_index_check(&tx, &mut left)?;
        let left = left.findings;
        if !left.is_empty() {
            let said: Vec<String> = left.iter().map(|f| f.what.clone()).collect();
            return Err(StoreError::Database(db::DbError::conversion(
                0,
                format!(
                    "the rebuilt record still differs, so nothing was written: {}",
                    said.join("; ")
                ),
            )));
        }
        tx.commit().map_err(|e| busy_or(&label, e))?;
        Ok(Repair {
            repaired,
            refused: Vec::new(),
        })
    }

    /// A bounded check for the interface's start: the newest events' own derived columns,
    /// search text, indexing and series, their people's counts, the tallies' totals against
    /// each other and the newest month's against its events, and the newest log entries. Its
    /// cost follows the sample, not the record.
    pub fn quick_check(&self) -> Result<Vec<Finding>> {
        let conn = &self.conn;
        let mut findings = Vec::new();
        let totals: Vec<i64> = conn
            .prepare_cached(
                "SELECT coalesce(sum(events), 0) FROM tally WHERE dimension = 'month' \
                 UNION ALL SELECT coalesce(sum(events), 0) FROM tally WHERE dimension = 'kind'",
            )?
            .query_map([], |r| r.get(0))?
            .collect::<db::Result<_>>()?;
        if totals.first() != totals.get(1) {
            findings.push(Finding::new(
                Part::Counts,
                format!("the tallies disagree on the number of events: {totals:?}"),
            ));
        }
        let newest = format!("SELECT id FROM event ORDER BY id DESC LIMIT {SAMPLE}");
        let pass = event_pass(conn, Some(&newest))?;
        findings.extend(pass.findings(conn)?);
        let mut kept_series: HashMap<i64, BTreeSet<String>> = HashMap::new();
        let rows: Vec<(i64, String)> = conn
            .prepare_cached(&format!(
                "SELECT event_id, series FROM series_place WHERE event_id IN ({newest}) \
                 AND visit IS NULL"
            ))?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<db::Result<_>>()?;
        for (event, series) in rows {
            kept_series.entry(event).or_default().insert(series);
        }
        for (event, expected) in &pass.series {
            let kept = kept_series.remove(event).unwrap_or_default();
            if kept != *expected {
                findings.push(Finding::new(
                    Part::Places,
                    format!("#{event} is kept in the series {kept:?}, not {expected:?}"),
                ));
            }
        }
        findings.extend(
            trips::sample_differences(conn, &newest)?
                .into_iter()
                .map(|what| Finding::new(Part::Places, what)),
        );
        findings.extend(indexed(conn, &pass.texts)?);
        findings.extend(sampled_people(conn)?);
        findings.extend(newest_month(conn)?);
        findings.extend(
            history::broken_entries(conn, Some(SAMPLE))?
                .into_iter()
                .map(|(id, why)| Finding::new(Part::UndoLog, format!("entry {id}: {why}"))),
        );
        Ok(findings)
    }
}

/// Every check but FTS5's own of the index (`with_index_check`), on one snapshot of the
/// record; `read_only` says why that one is not run.
fn verify_on(conn: &Conn, read_only: bool) -> Result<Verification> {
    let mut v = Verification::default();
    let (how, findings) = file(conn)?;
    v.checked.push(Checked {
        part: Part::File,
        how,
    });
    v.findings.extend(findings);
    let recorded: i64 =
        conn.query_row("SELECT count(*) FROM schema_migration", [], |r| r.get(0))?;
    v.checked.push(Checked {
        part: Part::Migrations,
        how: format!(
            "{recorded} recorded, each as this build's: opening checks them, and refuses a database whose migrations differ"
        ),
    });

    let names = person_names(conn, None)?;
    let pass = event_pass(conn, None)?;
    v.findings.extend(pass.findings(conn)?);
    v.findings
        .extend(counts::differences(conn)?.into_iter().map(|d| {
            let whose = match d.what {
                "events per person" | "face-to-face meetings per person" | "last seen" => d
                    .key
                    .parse::<i64>()
                    .ok()
                    .and_then(|id| names.get(&id).map(|n| format!("{n} (#{id})")))
                    .unwrap_or(d.key),
                _ => d.key,
            };
            Finding::new(
                Part::Counts,
                format!(
                    "{} of {whose}: kept {}, counted {}",
                    d.what,
                    d.kept.as_deref().unwrap_or("none"),
                    d.counted.as_deref().unwrap_or("none")
                ),
            )
        }));
    v.checked.push(Checked {
        part: Part::Counts,
        how: format!(
            "{} events' participations, every person's counts, the tallies and the pairs' meetings recounted",
            pass.events
        ),
    });
    v.findings.extend(
        ranks::differences(conn)?
            .into_iter()
            .map(|d| Finding::new(Part::Places, d)),
    );
    v.checked.push(Checked {
        part: Part::Places,
        how: "every series ranked again from its events".into(),
    });
    v.checked.push(Checked {
        part: Part::Search,
        how: conn.dialect().search_check(read_only).to_string(),
    });
    let broken = history::broken_entries(conn, None)?;
    v.findings.extend(
        broken
            .into_iter()
            .map(|(id, why)| Finding::new(Part::UndoLog, format!("entry {id}: {why}"))),
    );
    let entries: i64 = conn.query_row("SELECT count(*) FROM undo_log", [], |r| r.get(0))?;
    v.checked.push(Checked {
        part: Part::UndoLog,
        how: format!(
            "{entries} {} read as undo and redo would read {}",
            if entries == 1 { "entry" } else { "entries" },
            if entries == 1 { "it" } else { "them" }
        ),
    });
    v.findings.sort_by_key(|f| f.part);
    Ok(v)
}

/// The engine's own check of the index against the events' search text (FTS5's, on SQLite).
/// SQLite runs it as a write, which a read transaction would have to be upgraded for, failing
/// when another program has written since it began: it runs on its own, or in `repair`'s write.
fn with_index_check(conn: &Conn, v: &mut Verification) -> Result<()> {
    if let Err(error) = conn.dialect().check_search_index(conn, true) {
        if error.refusal() != Some(db::Refusal::Corrupt) {
            return Err(error.into());
        }
        v.findings.push(Finding::new(
            Part::Search,
            format!("the index does not match the events' search text: {error}"),
        ));
        v.findings.sort_by_key(|f| f.part);
    }
    Ok(())
}

/// The engine's own check of the database (`Dialect::check_file`), its complaints as findings.
fn file(conn: &Conn) -> Result<(String, Vec<Finding>)> {
    let (how, said) = conn.dialect().check_file(conn)?;
    let findings = said
        .into_iter()
        .map(|line| Finding::new(Part::File, line))
        .collect();
    Ok((how, findings))
}

/// Everyone's name by number; with `among` (a query of their numbers), those people's.
fn person_names(conn: &Conn, among: Option<&str>) -> Result<HashMap<i64, String>> {
    let among = among.map_or(String::new(), |ids| format!("WHERE id IN ({ids})"));
    let mut stmt = conn.prepare(&format!("SELECT id, name FROM person {among}"))?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<db::Result<_>>()?)
}

/// A participation whose derived columns differ from what its event says.
struct WrongParticipation {
    event: i64,
    person: i64,
    date_first: String,
    meets: bool,
}

/// What one pass over the events found.
#[derive(Default)]
struct Pass {
    events: usize,
    participations: Vec<WrongParticipation>,
    /// Events whose search text is not what their title, place and people make: (number,
    /// text it should be).
    search: Vec<(i64, String)>,
    /// For a sample: each event's series, and its search text.
    series: Vec<(i64, BTreeSet<String>)>,
    texts: Vec<(i64, String)>,
}

impl Pass {
    fn findings(&self, conn: &Conn) -> Result<Vec<Finding>> {
        let names = if self.participations.is_empty() {
            HashMap::new()
        } else {
            person_names(conn, None)?
        };
        let mut found: Vec<Finding> = self
            .participations
            .iter()
            .map(|p| {
                let who = names.get(&p.person).cloned().unwrap_or_default();
                Finding::new(
                    Part::Counts,
                    format!(
                        "participation of {who} (#{}) in #{}: should be dated {}{}",
                        p.person,
                        p.event,
                        p.date_first,
                        if p.meets {
                            ", a face-to-face meeting they headed"
                        } else {
                            ", not a face-to-face meeting they headed"
                        }
                    ),
                )
            })
            .collect();
        found.extend(self.search.iter().map(|(event, _)| {
            Finding::new(
                Part::Search,
                format!("#{event}: the search text is not what its title, place and people make"),
            )
        }));
        Ok(found)
    }
}

/// The event being read in `event_pass`, with its participations as stored.
struct Reading {
    id: i64,
    title: String,
    place: EventPlace,
    search_text: String,
    date_first: String,
    kind: Kind,
    mode: Mode,
    status: Status,
    /// (position, participant, stored date, stored meets)
    participants: Vec<(i64, Participant, String, bool)>,
}

/// One pass over the events (those `only` selects, when given) and their participations,
/// checking what each event's own rows derive from it.
fn event_pass(conn: &Conn, only: Option<&str>) -> Result<Pass> {
    // A sample reads the names of its own people only, so that its cost follows the sample.
    let among =
        only.map(|ids| format!("SELECT person_id FROM participation WHERE event_id IN ({ids})"));
    let mut names: HashMap<i64, Vec<String>> = HashMap::new();
    for (id, name) in person_names(conn, among.as_deref())? {
        names.entry(id).or_default().insert(0, name);
    }
    for (id, others) in people::other_names(conn, among.as_deref())? {
        names.entry(id).or_default().extend(others);
    }
    let sample = only.is_some();
    let condition = only.map_or(String::new(), |ids| format!("WHERE e.id IN ({ids})"));
    let sql = format!(
        "SELECT e.id, e.title, e.city, e.venue, e.country, e.search_text, e.date_first, e.mode, \
         e.status, pa.position, pa.person_id, pa.side, pa.head, pa.date_first, pa.meets, e.kind \
         FROM event e LEFT JOIN participation pa ON pa.event_id = e.id {condition} ORDER BY e.id"
    );
    let mut pass = Pass::default();
    let mut reading: Option<Reading> = None;
    conn.for_each_row(&sql, |r| {
        let id: i64 = r.get(0)?;
        if reading.as_ref().is_none_or(|e| e.id != id) {
            if let Some(done) = reading.take() {
                check_event(done, &names, sample, &mut pass);
            }
            reading = Some(Reading {
                id,
                title: r.get(1)?,
                place: EventPlace {
                    city: r.get(2)?,
                    country: super::country_column(r, 4)?,
                    venue: r.get(3)?,
                },
                search_text: r.get(5)?,
                date_first: r.get(6)?,
                kind: super::keyword(r, 15)?,
                mode: super::keyword(r, 7)?,
                status: super::keyword(r, 8)?,
                participants: Vec::new(),
            });
        }
        if let (Some(event), Some(position)) = (reading.as_mut(), r.get::<Option<i64>>(9)?) {
            event.participants.push(participation(r, position)?);
        }
        Ok(())
    })?;
    if let Some(done) = reading.take() {
        check_event(done, &names, sample, &mut pass);
    }
    Ok(pass)
}

fn participation(r: &Row, position: i64) -> db::Result<(i64, Participant, String, bool)> {
    Ok((
        position,
        Participant {
            person_id: r.get(10)?,
            name: String::new(),
            side: super::required_country(r, 11)?,
            head: r.get(12)?,
        },
        r.get(13)?,
        r.get(14)?,
    ))
}

fn check_event(
    mut event: Reading,
    names: &HashMap<i64, Vec<String>>,
    sample: bool,
    pass: &mut Pass,
) {
    pass.events += 1;
    event.participants.sort_by_key(|(position, ..)| *position);
    let people: Vec<Participant> = event
        .participants
        .iter()
        .map(|(_, p, ..)| p.clone())
        .collect();
    let heads = crate::domain::event::heads(&people);
    let in_person =
        event.mode == Mode::InPerson && event.status.happened() && event.kind != Kind::Stopover;
    for (_, p, date_first, meets) in &event.participants {
        let should_meet = in_person && heads.iter().any(|h| h.person_id == p.person_id);
        if *date_first != event.date_first || *meets != should_meet {
            pass.participations.push(WrongParticipation {
                event: event.id,
                person: p.person_id,
                date_first: event.date_first.clone(),
                meets: should_meet,
            });
        }
    }
    let said: Vec<String> = people
        .iter()
        .flat_map(|p| names.get(&p.person_id).cloned().unwrap_or_default())
        .collect();
    let text = super::search_text(&event.title, &event.place, &said);
    if text != event.search_text {
        pass.search.push((event.id, text));
    }
    if sample {
        let keys = series::series_of(event.kind, event.mode, event.status, &people)
            .iter()
            .map(series::Series::key)
            .collect();
        pass.series.push((event.id, keys));
        pass.texts.push((event.id, event.search_text));
    }
}

/// Whether the index finds each of these events by the start of its search text: a stale or
/// missing row is not found. On PostgreSQL the index is the server's own, kept with the row.
fn indexed(conn: &Conn, texts: &[(i64, String)]) -> Result<Vec<Finding>> {
    let mut findings = Vec::new();
    // One trigram is one lookup in the index; a phrase of more would read a list for each.
    for (event, text) in texts.iter().rev().take(SAMPLE_PEOPLE) {
        let phrase: String = text.chars().take(3).collect();
        if phrase.chars().count() < 3 || phrase.contains(['\0', '\n']) {
            continue;
        }
        if !conn.dialect().search_index_finds(conn, *event, &phrase)? {
            findings.push(Finding::new(
                Part::Search,
                format!("#{event} is missing from the search index"),
            ));
        }
    }
    Ok(findings)
}

/// The kept counts of the people in the newest events against a count of their rows, each
/// count stopping past `COUNT_CAP` rows so that a person in thousands of events costs what one
/// in a few hundred does: a kept count past the cap is only checked to be past it too. The
/// day last seen is one step down an index whatever the size.
fn sampled_people(conn: &Conn) -> Result<Vec<Finding>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT p.id, p.name, p.events, p.meetings, coalesce(p.last_seen, ''), \
         (SELECT count(*) FROM (SELECT 1 FROM participation q WHERE q.person_id = p.id \
          LIMIT {above}) AS capped), \
         (SELECT count(*) FROM (SELECT 1 FROM participation q WHERE q.person_id = p.id \
          AND q.meets = 1 LIMIT {above}) AS capped), \
         (SELECT coalesce(max(q.date_first), '') FROM participation q WHERE q.person_id = p.id) \
         FROM person p WHERE p.id IN (SELECT pa.person_id FROM participation pa \
         WHERE pa.event_id IN (SELECT id FROM event ORDER BY id DESC LIMIT {SAMPLE_PEOPLE}))",
        above = COUNT_CAP + 1
    ))?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<i64>(0)?,
            r.get::<String>(1)?,
            (r.get::<i64>(2)?, r.get::<i64>(3)?, r.get::<String>(4)?),
            (r.get::<i64>(5)?, r.get::<i64>(6)?, r.get::<String>(7)?),
        ))
    })?;
    let capped = |kept: i64| kept.min(COUNT_CAP + 1);
    let mut findings = Vec::new();
    for row in rows {
        let (id, name, kept, counted) = row?;
        let wrong = [
            ("events", capped(kept.0) != counted.0),
            ("face-to-face meetings", capped(kept.1) != counted.1),
            ("last seen", kept.2 != counted.2),
        ];
        for (what, _) in wrong.iter().filter(|(_, wrong)| *wrong) {
            findings.push(Finding::new(
                Part::Counts,
                format!("{what} of {name} (#{id}) differ from a count of their rows"),
            ));
        }
    }
    Ok(findings)
}

/// The month of the newest event: its tally against a count of its events, capped as
/// `sampled_people` caps its counts.
fn newest_month(conn: &Conn) -> Result<Vec<Finding>> {
    let month: Option<String> = db::Optional::optional(conn.query_row(
        "SELECT substr(date_first, 1, 7) FROM event ORDER BY id DESC LIMIT 1",
        [],
        |r| r.get(0),
    ))?;
    let Some(month) = month else {
        return Ok(Vec::new());
    };
    let (kept, counted): (i64, i64) = conn.query_row(
        &format!(
            "SELECT coalesce((SELECT events FROM tally WHERE dimension = 'month' AND value = ?1), 0), \
             (SELECT count(*) FROM (SELECT 1 FROM event WHERE date_first >= ?2 \
              AND date_first <= ?3 LIMIT {}) AS capped)",
            COUNT_CAP + 1
        ),
        params![month, format!("{month}-01"), format!("{month}-31")],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(if kept.min(COUNT_CAP + 1) == counted {
        Vec::new()
    } else {
        vec![Finding::new(
            Part::Counts,
            format!("events per month of {month}: kept {kept}, counted {counted}"),
        )]
    })
}

/// Rebuilds what `found` names from the events.
fn rebuild(tx: &db::Tx, found: &[Finding]) -> Result<()> {
    let parts: BTreeSet<Part> = found.iter().map(|f| f.part).collect();
    if parts.contains(&Part::Counts) || parts.contains(&Part::Search) {
        let pass = event_pass(tx, None)?;
        let mut fix = tx.prepare_cached(
            "UPDATE participation SET date_first = ?, meets = ? WHERE event_id = ? AND person_id = ?",
        )?;
        for p in &pass.participations {
            fix.execute(params![p.date_first, p.meets, p.event, p.person])?;
        }
        let mut rewrite = tx.prepare_cached("UPDATE event SET search_text = ? WHERE id = ?")?;
        for (event, text) in &pass.search {
            rewrite.execute(params![text, event])?;
        }
    }
    let pairs_differ = counts::differences(tx)?
        .iter()
        .any(|d| d.what == "meetings per pair");
    if parts.contains(&Part::Places) || pairs_differ {
        // Ranking every series again writes every pair that met; one that did not keeps no row.
        tx.execute("DELETE FROM pair_meetings", [])?;
        ranks::rebuild(tx)?;
        trips::rebuild(tx)?;
    }
    let mut people = Vec::new();
    for d in counts::differences(tx)? {
        let dimension = match d.what {
            "events per month" => "month",
            "events per kind" => "kind",
            "events per country" => "country",
            "events per city" => "city",
            _ => {
                if let Ok(id) = d.key.parse::<i64>() {
                    people.push(id);
                }
                continue;
            }
        };
        match d.counted.as_deref().map(str::parse::<i64>) {
            Some(Ok(events)) => tx.execute(
                "INSERT INTO tally (dimension, value, events) VALUES (?, ?, ?) \
                 ON CONFLICT (dimension, value) DO UPDATE SET events = excluded.events",
                params![dimension, d.key, events],
            )?,
            _ => tx.execute(
                "DELETE FROM tally WHERE dimension = ? AND value = ?",
                params![dimension, d.key],
            )?,
        };
    }
    people.sort_unstable();
    people.dedup();
    counts::recount_people(tx, &people)?;
    if parts.contains(&Part::Search) {
        tx.dialect().rebuild_search_index(tx)?;
    }
    let broken: BTreeSet<i64> = history::broken_entries(tx, None)?
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    for id in broken {
        tx.execute("DELETE FROM undo_log WHERE id = ?", [id])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
