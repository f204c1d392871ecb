//! Adding, editing and deleting events, and editing, merging and deleting people, with an undo
//! log kept in the database, so that undo and redo survive a restart. Each change and its log
//! entry are one transaction.

use crate::store::db::params;

use super::db::{self, Optional, Tx};
use serde::{Deserialize, Serialize};

use super::{NewPeople, Result, Store, StoreError, Target, people, save_event, trips};
use crate::domain::record::EventRecord;
use crate::domain::trip::Link;
use crate::domain::{Event, EventDraft, Invalid, Person};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Change {
    Add,
    Edit,
    Delete,
    /// A change to people (an edit, a merge, a delete) and to the events it touched, logged as
    /// `People` states.
    People,
}

impl Change {
    fn as_str(self) -> &'static str {
        match self {
            Change::Add => "add",
            Change::Edit => "edit",
            Change::Delete => "delete",
            Change::People => "people",
        }
    }

    fn parse(text: &str) -> Option<Change> {
        [Change::Add, Change::Edit, Change::Delete, Change::People]
            .into_iter()
            .find(|c| c.as_str() == text)
    }

    fn gerund(self) -> &'static str {
        match self {
            Change::Add => "adding",
            Change::Edit => "editing",
            Change::Delete => "deleting",
            Change::People => "changing",
        }
    }
}

/// The people a change touched and the events it moved between them, as they were before it
/// or after it; `what` says the change for undo's message ("merging Sergei Lavrov into Sergey
/// Lavrov").
#[derive(Debug, Clone, Serialize, Deserialize)]
struct People {
    what: String,
    /// Everything recorded about each, with their number.
    people: Vec<Person>,
    events: Vec<(i64, EventRecord)>,
}

fn people_text(state: &People) -> Result<String> {
    serde_json::to_string(state)
        .map_err(|e| StoreError::Database(super::db::DbError::conversion(0, e)))
}

fn people_state(text: &str) -> Result<People> {
    serde_json::from_str(text)
        .map_err(|e| StoreError::Database(super::db::DbError::conversion(0, e)))
}

/// Puts people and their events into the state `to` records, coming from `from`. People come
/// first, as they were (names are not checked: the state was whole when it was logged), so
/// that each event's names find the right person; people `to` does not have go last, once no
/// event names them.
fn put_people(tx: &Tx, from: &People, to: &People) -> Result<()> {
    for person in &to.people {
        let exists: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM person WHERE id = ?)",
            [person.id],
            |r| r.get(0),
        )?;
        if exists {
            people::write_person(tx, person)?;
        } else {
            people::insert_person(tx, person)?;
        }
    }
    for (number, record) in &to.events {
        save_event(
            tx,
            &record.to_draft()?,
            NewPeople::ExactOrCreate,
            Target::Replace(*number),
        )?;
    }
    for gone in from
        .people
        .iter()
        .filter(|p| !to.people.iter().any(|q| q.id == p.id))
    {
        people::remove_person(tx, gone.id)?;
    }
    for person in &to.people {
        super::refresh_search_text(tx, person.id)?;
    }
    Ok(())
}

/// The event as the log keeps it, with the user's word on its trip.
fn snapshot(tx: &Tx, event: &Event) -> Result<String> {
    let mut record = EventRecord::from_event(event, Vec::new());
    record.trip = trips::link_name(trips::link_of(tx, event.id)?).to_string();
    serde_json::to_string(&record)
        .map_err(|e| StoreError::Database(super::db::DbError::conversion(0, e)))
}

fn restore(text: &str) -> Result<(EventDraft, Option<Link>)> {
    let record: EventRecord = serde_json::from_str(text)
        .map_err(|e| StoreError::Database(super::db::DbError::conversion(0, e)))?;
    Ok((record.to_draft()?, trips::link_named(&record.trip)))
}

fn log(
    tx: &Tx,
    author: &str,
    change: Change,
    number: i64,
    before: Option<&str>,
    after: Option<&str>,
) -> Result<()> {
    // A new change ends what its author could redo.
    tx.execute(
        "DELETE FROM undo_log WHERE undone = 1 AND author IN (?, '')",
        [author],
    )?;
    tx.execute(
        "INSERT INTO undo_log (action, number, before, after, at, author) VALUES (?, ?, ?, ?, ?, ?)",
        params![
            change.as_str(),
            number,
            before,
            after,
            chrono::Utc::now().to_rfc3339(),
            author
        ],
    )?;
    Ok(())
}

struct Entry {
    id: i64,
    change: Change,
    number: i64,
    before: Option<String>,
    after: Option<String>,
}

impl Entry {
    fn title(&self) -> String {
        if self.change == Change::People {
            return String::new();
        }
        let text = self
            .after
            .as_deref()
            .or(self.before.as_deref())
            .unwrap_or("{}");
        serde_json::from_str::<EventRecord>(text)
            .map(|r| r.title)
            .unwrap_or_default()
    }

    fn describe(&self, verb: &str) -> String {
        if self.change == Change::People {
            let what = self
                .after
                .as_deref()
                .and_then(|text| people_state(text).ok())
                .map(|state| state.what)
                .unwrap_or_default();
            return format!("{verb} {what}");
        }
        format!(
            "{verb} {} #{} \"{}\"",
            self.change.gerund(),
            self.number,
            self.title()
        )
    }
}

/// The change `author` would undo (or redo, when `undone`): their own, or one from before
/// changes had authors.
fn entry(tx: &Tx, undone: bool, author: &str) -> Result<Option<Entry>> {
    let order = if undone { "ASC" } else { "DESC" };
    let sql = format!(
        "SELECT id, action, number, before, after FROM undo_log \
         WHERE undone = ? AND author IN (?, '') AND action <> 'import' ORDER BY id {order} LIMIT 1"
    );
    let row = tx
        .query_row(&sql, params![undone, author], |r| {
            Ok((
                r.get::<i64>(0)?,
                r.get::<String>(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
            ))
        })
        .optional()?;
    Ok(row.and_then(|(id, action, number, before, after)| {
        Change::parse(&action).map(|change| Entry {
            id,
            change,
            number,
            before,
            after,
        })
    }))
}

/// Puts the event with `number` into the state `text` records, or removes it for `None`.
fn put(tx: &Tx, number: i64, text: Option<&str>) -> Result<()> {
    let exists: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM event WHERE id = ?)",
        [number],
        |r| r.get(0),
    )?;
    let Some(text) = text else {
        return super::counts::delete_event(tx, number);
    };
    let (draft, link) = restore(text)?;
    let target = if exists {
        Target::Replace(number)
    } else {
        Target::New(Some(number))
    };
    save_event(tx, &draft, NewPeople::ExactOrCreate, target)?;
    trips::set_link(tx, number, link)
}

/// A logged change that undo or redo could not carry out: (its number in the log, why).
/// Each entry must hold the states its change needs, readable as the change was written; and
/// an author's undone changes end at their next change (`log` removes them), so none may be
/// older than a change of theirs that is not undone. `newest` bounds the check to that many
/// of the latest entries.
pub(super) fn broken_entries(conn: &db::Conn, newest: Option<usize>) -> Result<Vec<(i64, String)>> {
    let limit = newest.map_or(i64::MAX, |n| i64::try_from(n).unwrap_or(i64::MAX));
    let mut stmt = conn.prepare(
        "SELECT id, action, before, after, undone, author FROM undo_log ORDER BY id DESC LIMIT ?",
    )?;
    let rows = stmt.query_map([limit], |r| {
        Ok((
            r.get::<i64>(0)?,
            r.get::<String>(1)?,
            r.get::<Option<String>>(2)?,
            r.get::<Option<String>>(3)?,
            r.get::<bool>(4)?,
            r.get::<String>(5)?,
        ))
    })?;
    let mut broken = Vec::new();
    // Authors with a change not undone, seen among the later entries.
    let mut went_on: std::collections::HashMap<String, i64> = std::collections::HashMap::new();
    for row in rows {
        let (id, action, before, after, undone, author) = row?;
        let state = |text: &Option<String>, people: bool| -> std::result::Result<(), String> {
            let text = text.as_deref().ok_or("it is missing")?;
            if people {
                people_state(text).map(drop).map_err(|e| e.to_string())
            } else {
                restore(text).map(drop).map_err(|e| e.to_string())
            }
        };
        let (needs_before, needs_after, people) = match Change::parse(&action) {
            Some(Change::Add) => (false, true, false),
            Some(Change::Edit) => (true, true, false),
            Some(Change::Delete) => (true, false, false),
            Some(Change::People) => (true, true, true),
            None => (false, false, false),
        };
        let checks = [
            (needs_before, "the state before it", &before),
            (needs_after, "the state after it", &after),
        ];
        for (needed, which, text) in checks {
            if let (true, Err(why)) = (needed, state(text, people)) {
                broken.push((id, format!("{action}: {which} cannot be read: {why}")));
            }
        }
        if action == "import" || author.is_empty() {
            continue;
        }
        match (undone, went_on.get(&author)) {
            (true, Some(later)) => broken.push((
                id,
                format!(
                    "{action} by {author} is marked undone, but their later change {later} is not"
                ),
            )),
            (false, _) => {
                went_on.entry(author).or_insert(id);
            }
            (true, None) => {}
        }
    }
    broken.reverse();
    Ok(broken)
}

/// One change as `attache log` lists it.
#[derive(Debug, Clone, Serialize)]
pub struct ChangeRecord {
    /// When, RFC 3339, UTC.
    pub at: String,
    pub author: String,
    /// "added", "edited", "deleted", or for people "edited person", "merged", "deleted person".
    pub what: String,
    /// The event's number, or the person's; none for an import, which changes many.
    pub number: Option<i64>,
    /// "#10 \"Steve Witkoff meets …\"", "Sergei Lavrov into Sergey Lavrov".
    pub subject: String,
    pub undone: bool,
}

/// Puts back the state before `entry` (undo), or after it (`forward`: redo).
fn apply(tx: &Tx, entry: &Entry, forward: bool) -> Result<()> {
    let (from, to) = if forward {
        (entry.before.as_deref(), entry.after.as_deref())
    } else {
        (entry.after.as_deref(), entry.before.as_deref())
    };
    if entry.change != Change::People {
        return put(tx, entry.number, to);
    }
    let state = |text: Option<&str>| people_state(text.unwrap_or("{}"));
    put_people(tx, &state(from)?, &state(to)?)
}

/// Refuses a change made against `version` of an event that is no longer at it, saying who
/// changed it last and when.
fn unchanged_since(tx: &Tx, event: &Event, version: Option<i64>) -> Result<()> {
    let Some(expected) = version else {
        return Ok(());
    };
    if event.version == expected {
        return Ok(());
    }
    let last: Option<(String, String)> = tx
        .query_row(
            "SELECT author, at FROM undo_log WHERE number = ? AND action IN ('add', 'edit', 'delete') \
             ORDER BY id DESC LIMIT 1",
            [event.id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    Err(StoreError::Changed {
        number: event.id,
        expected,
        found: event.version,
        by: last.map(|(author, at)| {
            let when = chrono::DateTime::parse_from_rfc3339(&at)
                .map(|t| t.format("%-d %b %Y %H:%M UTC").to_string())
                .unwrap_or(at);
            match author.as_str() {
                "" => format!(" on {when}"),
                author => format!(" by {author} on {when}"),
            }
        }),
    })
}

/// Refuses an event that makes no trip: only in-person events that were not cancelled do.
fn travelled(event: &Event) -> Result<()> {
    use crate::domain::{Mode, Status};
    let why = match (event.mode, event.status) {
        (_, Status::Cancelled) => {
            "was cancelled: only events that took place or are planned make trips"
        }
        (Mode::InPerson, _) => return Ok(()),
        _ => "was not held in person: only in-person events make trips",
    };
    Err(Invalid::new("event", &format!("#{}", event.id), why).into())
}

/// Writes the user's word on `event`'s trip, logged as an edit of the event.
fn relink(tx: &Tx, author: &str, event: &Event, link: Link) -> Result<()> {
    let before = snapshot(tx, event)?;
    trips::set_link(tx, event.id, Some(link))?;
    let after = snapshot(tx, event)?;
    log(
        tx,
        author,
        Change::Edit,
        event.id,
        Some(&before),
        Some(&after),
    )
}

/// Every event `person` takes part in, by number, as the undo log keeps events.
fn events_of(tx: &Tx, person: i64) -> Result<Vec<(i64, EventRecord)>> {
    let numbers: Vec<i64> = tx
        .prepare_cached(
            "SELECT DISTINCT event_id FROM participation WHERE person_id = ? ORDER BY event_id",
        )?
        .query_map([person], |r| r.get(0))?
        .collect::<db::Result<_>>()?;
    numbers
        .into_iter()
        .map(|number| {
            let event = super::read_event(tx, number)?;
            Ok((number, EventRecord::from_event(&event, Vec::new())))
        })
        .collect()
}

fn log_people(tx: &Tx, author: &str, person: i64, before: &People, after: &People) -> Result<()> {
    log(
        tx,
        author,
        Change::People,
        person,
        Some(&people_text(before)?),
        Some(&people_text(after)?),
    )
}

impl Store {
    /// Validates and saves a new event in its own transaction, recorded for undo; returns its
    /// number.
    pub fn add_event(&mut self, draft: &EventDraft, new_people: NewPeople) -> Result<i64> {
        let author = self.author.clone();
        self.write(|tx| {
            let number = save_event(tx, draft, new_people, Target::New(None))?;
            let after = snapshot(tx, &super::read_event(tx, number)?)?;
            log(tx, &author, Change::Add, number, None, Some(&after))?;
            Ok(number)
        })
    }

    /// Replaces the event with `number` by `draft`, keeping its number and id.
    pub fn edit_event(
        &mut self,
        number: i64,
        draft: &EventDraft,
        new_people: NewPeople,
    ) -> Result<()> {
        self.edit_event_if(number, draft, new_people, None)
    }

    /// `edit_event`, refused when `version` is given and the event is no longer at it: someone
    /// changed it since it was read.
    pub fn edit_event_if(
        &mut self,
        number: i64,
        draft: &EventDraft,
        new_people: NewPeople,
        version: Option<i64>,
    ) -> Result<()> {
        let author = self.author.clone();
        self.write(|tx| {
            let before = super::read_event(tx, number)?;
            unchanged_since(tx, &before, version)?;
            let mut draft = draft.clone();
            draft.uuid = Some(before.uuid);
            save_event(tx, &draft, new_people, Target::Replace(number))?;
            let after = snapshot(tx, &super::read_event(tx, number)?)?;
            log(
                tx,
                &author,
                Change::Edit,
                number,
                Some(&snapshot(tx, &before)?),
                Some(&after),
            )?;
            Ok(())
        })
    }

    /// Deletes the event with `number`; returns what it was.
    pub fn delete_event(&mut self, number: i64) -> Result<Event> {
        self.delete_event_if(number, None)
    }

    /// `delete_event`, refused when `version` is given and the event is no longer at it.
    pub fn delete_event_if(&mut self, number: i64, version: Option<i64>) -> Result<Event> {
        let author = self.author.clone();
        self.write(|tx| {
            let before = super::read_event(tx, number)?;
            unchanged_since(tx, &before, version)?;
            let kept = snapshot(tx, &before)?;
            super::counts::delete_event(tx, number)?;
            log(tx, &author, Change::Delete, number, Some(&kept), None)?;
            Ok(before)
        })
    }

    /// Writes `person` over what is recorded for them (`person.id`): name, other names,
    /// country, titles, notes. Their events' search text follows, so that a search finds them
    /// by the new names.
    pub fn edit_person(&mut self, person: &Person) -> Result<Person> {
        let author = self.author.clone();
        self.write(|tx| {
            let before = people::read_person(tx, person.id)?;
            people::overwrite_person(tx, person)?;
            let after = people::read_person(tx, person.id)?;
            super::refresh_search_text(tx, person.id)?;
            let what = format!("editing {}", after.name);
            log_people(
                tx,
                &author,
                person.id,
                &People {
                    what: what.clone(),
                    people: vec![before.clone()],
                    events: Vec::new(),
                },
                &People {
                    what,
                    people: vec![after.clone()],
                    events: Vec::new(),
                },
            )?;
            Ok(after)
        })
    }

    /// Merges `other` into `keep`: every event of `other`'s names `keep` instead (once, where
    /// both took part: `keep` heads the side if either did), `other`'s names become `keep`'s
    /// aliases and native names, their titles and notes join `keep`'s, and `other` is gone.
    /// Returns `keep` as they are now and how many events changed.
    pub fn merge_people(&mut self, keep: i64, other: i64) -> Result<(Person, usize)> {
        if keep == other {
            return Err(crate::domain::Invalid::new(
                "person",
                "",
                "cannot merge a person into themselves",
            )
            .into());
        }
        let author = self.author.clone();
        self.write(|tx| {
            let kept = people::read_person(tx, keep)?;
            let merged = people::read_person(tx, other)?;
            if Store::has_priors(tx, other)? {
                return Err(crate::domain::Invalid::new(
                    "person",
                    &merged.name,
                    "has prior counts (attache prior list); set them for the person kept and remove these first",
                )
                .into());
            }
            let events_before = events_of(tx, other)?;
            let mut events_after = Vec::with_capacity(events_before.len());
            for (number, record) in &events_before {
                let mut draft = record.to_draft()?;
                let mut kept_head = None;
                for p in draft.participants.iter_mut() {
                    let key = people::name_key(&p.name);
                    if key == people::name_key(&merged.name) {
                        p.name = kept.name.clone();
                        kept_head = Some(p.head);
                    }
                }
                // Where both took part, the first of them stays, heading if either did.
                let key = people::name_key(&kept.name);
                let head = draft
                    .participants
                    .iter()
                    .filter(|p| people::name_key(&p.name) == key)
                    .any(|p| p.head)
                    || kept_head == Some(true);
                let mut seen = false;
                draft.participants.retain_mut(|p| {
                    if people::name_key(&p.name) != key {
                        return true;
                    }
                    let first = !seen;
                    seen = true;
                    p.head = head;
                    first
                });
                save_event(
                    tx,
                    &draft,
                    NewPeople::ExactOrCreate,
                    Target::Replace(*number),
                )?;
                let event = super::read_event(tx, *number)?;
                events_after.push((*number, EventRecord::from_event(&event, Vec::new())));
            }
            people::remove_person(tx, other)?;
            let mut after = kept.clone();
            let known: std::collections::HashSet<String> =
                after.all_names().map(people::name_key).collect();
            for name in std::iter::once(&merged.name).chain(&merged.aliases) {
                if !known.contains(&people::name_key(name)) {
                    after.aliases.push(name.clone());
                }
            }
            for name in &merged.native_names {
                if !known.contains(&people::name_key(name)) {
                    after.native_names.push(name.clone());
                }
            }
            for title in &merged.titles {
                if !after.titles.contains(title) {
                    after.titles.push(title.clone());
                }
            }
            if after.country.is_none() {
                after.country = merged.country.clone();
            }
            if !merged.notes.trim().is_empty() {
                after.notes = [after.notes.trim(), merged.notes.trim()]
                    .into_iter()
                    .filter(|n| !n.is_empty())
                    .collect::<Vec<_>>()
                    .join("\n");
            }
            people::overwrite_person(tx, &after)?;
            super::refresh_search_text(tx, keep)?;
            let after = people::read_person(tx, keep)?;
            let what = format!("merging {} into {}", merged.name, kept.name);
            log_people(
                tx,
                &author,
                keep,
                &People {
                    what: what.clone(),
                    people: vec![kept.clone(), merged.clone()],
                    events: events_before.clone(),
                },
                &People {
                    what,
                    people: vec![after.clone()],
                    events: events_after,
                },
            )?;
            Ok((after, events_before.len()))
        })
    }

    /// Deletes a person who takes part in no event; returns who they were.
    pub fn delete_person(&mut self, id: i64) -> Result<Person> {
        let author = self.author.clone();
        self.write(|tx| {
            let person = people::read_person(tx, id)?;
            let events = events_of(tx, id)?.len();
            if Store::has_priors(tx, id)? {
                return Err(crate::domain::Invalid::new(
                    "person",
                    &person.name,
                    "has prior counts (attache prior list); remove them first",
                )
                .into());
            }
            if events > 0 {
                return Err(crate::domain::Invalid::new(
                    "person",
                    &person.name,
                    &format!(
                        "takes part in {events} {}; only a person without events can be deleted (merge them into another instead)",
                        if events == 1 { "event" } else { "events" }
                    ),
                )
                .into());
            }
            people::remove_person(tx, id)?;
            let what = format!("deleting {}", person.name);
            log_people(
                tx,
                &author,
                id,
                &People {
                    what: what.clone(),
                    people: vec![person.clone()],
                    events: Vec::new(),
                },
                &People {
                    what,
                    people: Vec::new(),
                    events: Vec::new(),
                },
            )?;
            Ok(person)
        })
    }

    /// The changes recorded, newest first, at most `limit`.
    pub fn changes(&self, limit: usize) -> Result<Vec<ChangeRecord>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, action, number, before, after, undone, at, author FROM undo_log \
             ORDER BY id DESC LIMIT ?",
        )?;
        let rows = stmt.query_map([i64::try_from(limit).unwrap_or(i64::MAX)], |r| {
            Ok((
                r.get::<i64>(0)?,
                r.get::<String>(1)?,
                r.get::<i64>(2)?,
                r.get::<Option<String>>(3)?,
                r.get::<Option<String>>(4)?,
                r.get::<bool>(5)?,
                r.get::<String>(6)?,
                r.get::<String>(7)?,
            ))
        })?;
        let mut changes = Vec::new();
        for row in rows {
            let (id, action, number, before, after, undone, at, author) = row?;
            if action == "import" {
                changes.push(ChangeRecord {
                    at,
                    author,
                    what: "imported".into(),
                    number: None,
                    subject: after.unwrap_or_default(),
                    undone,
                });
                continue;
            }
            let Some(change) = Change::parse(&action) else {
                continue;
            };
            let entry = Entry {
                id,
                change,
                number,
                before,
                after,
            };
            let (what, subject) = match change {
                Change::Add => (
                    "added".to_string(),
                    format!("#{number} \"{}\"", entry.title()),
                ),
                Change::Edit => (
                    "edited".to_string(),
                    format!("#{number} \"{}\"", entry.title()),
                ),
                Change::Delete => (
                    "deleted".to_string(),
                    format!("#{number} \"{}\"", entry.title()),
                ),
                Change::People => {
                    let what = entry
                        .after
                        .as_deref()
                        .and_then(|text| people_state(text).ok())
                        .map(|state| state.what)
                        .unwrap_or_default();
                    let (verb, rest) = what.split_once(' ').unwrap_or((what.as_str(), ""));
                    let verb = match verb {
                        "editing" => "edited person",
                        "merging" => "merged",
                        "deleting" => "deleted person",
                        other => other,
                    };
                    (verb.to_string(), rest.to_string())
                }
            };
            changes.push(ChangeRecord {
                at,
                author,
                what,
                number: Some(number),
                subject,
                undone,
            });
        }
        Ok(changes)
    }

    /// Makes the event with `number` start a new trip for its people, however close it is to
    /// the trip before; recorded for undo as an edit of the event.
    pub fn split_trip(&mut self, number: i64) -> Result<()> {
        let author = self.author.clone();
        self.write(|tx| {
            let event = super::read_event(tx, number)?;
            travelled(&event)?;
            let starts: Vec<Option<i64>> = event
                .participants
                .iter()
                .map(|p| trips::trip_id(tx, number, p.person_id))
                .collect::<Result<_>>()?;
            if starts.iter().all(Option::is_none) {
                return Err(Invalid::new(
                    "event",
                    &format!("#{number}"),
                    "is on no trip: its people are at home, or its country is not known",
                )
                .into());
            }
            if starts.iter().flatten().all(|trip| *trip == number) {
                return Err(Invalid::new(
                    "event",
                    &format!("#{number}"),
                    "already starts a trip for its people",
                )
                .into());
            }
            relink(tx, &author, &event, Link::Split)
        })
    }

    /// Makes the later of two events continue the earlier's trip, for the people they have in
    /// common, however far apart they are; recorded for undo as an edit of the later one.
    /// Refused when the common people are at home between them, or another trip lies between
    /// (join that one first).
    pub fn join_trip(&mut self, one: i64, other: i64) -> Result<()> {
        let author = self.author.clone();
        self.write(|tx| {
            let (a, b) = (super::read_event(tx, one)?, super::read_event(tx, other)?);
            if a.id == b.id {
                return Err(Invalid::new(
                    "event",
                    &format!("#{one}"),
                    "cannot be joined to itself",
                )
                .into());
            }
            travelled(&a)?;
            travelled(&b)?;
            let (earlier, later) = if (a.date.first(), a.id) < (b.date.first(), b.id) {
                (a, b)
            } else {
                (b, a)
            };
            let common: Vec<&crate::domain::Participant> = later
                .participants
                .iter()
                .filter(|p| earlier.participants.iter().any(|q| q.person_id == p.person_id))
                .collect();
            if common.is_empty() {
                return Err(Invalid::new(
                    "events",
                    &format!("#{} and #{}", earlier.id, later.id),
                    "have no one in common: a trip is a person's",
                )
                .into());
            }
            // Those at home at the earlier event make no trip of it: the join is for the others.
            let mut away = Vec::new();
            for p in common {
                if trips::trip_id(tx, earlier.id, p.person_id)?.is_some() {
                    away.push(p);
                }
            }
            let common = away;
            if common.is_empty() {
                return Err(Invalid::new(
                    "event",
                    &format!("#{}", earlier.id),
                    "is on no trip for the people the two share: they are at home there, or its country is not known",
                )
                .into());
            }
            let on = |tx: &Tx, event: i64| -> Result<Vec<Option<i64>>> {
                common
                    .iter()
                    .map(|p| trips::trip_id(tx, event, p.person_id))
                    .collect()
            };
            if on(tx, earlier.id)? == on(tx, later.id)? {
                return Err(Invalid::new(
                    "events",
                    &format!("#{} and #{}", earlier.id, later.id),
                    "are already on one trip",
                )
                .into());
            }
            relink(tx, &author, &later, Link::Join)?;
            trips::settle(tx)?;
            for (p, trip) in common.iter().zip(on(tx, later.id)?) {
                let wanted = trips::trip_id(tx, earlier.id, p.person_id)?;
                let reason = match trip {
                    Some(trip) if Some(trip) == wanted => continue,
                    Some(trip) if trip != later.id => format!(
                        "another trip of {} (#{trip}) lies between them: join it to #{} first",
                        p.name, earlier.id
                    ),
                    _ => format!(
                        "{} is at home between them, or #{} is on no trip for them",
                        p.name, later.id
                    ),
                };
                return Err(Invalid::new(
                    "events",
                    &format!("#{} and #{}", earlier.id, later.id),
                    &reason,
                )
                .into());
            }
            Ok(())
        })
    }

    /// Undoes the last change not yet undone; says what it undid, or `None` when there is
    /// nothing to undo.
    pub fn undo(&mut self) -> Result<Option<String>> {
        let author = self.author.clone();
        self.write(|tx| {
            let Some(entry) = entry(tx, false, &author)? else {
                return Ok(None);
            };
            apply(tx, &entry, false)?;
            tx.execute("UPDATE undo_log SET undone = 1 WHERE id = ?", [entry.id])?;
            Ok(Some(entry.describe("undid")))
        })
    }

    /// Redoes the change undone last.
    pub fn redo(&mut self) -> Result<Option<String>> {
        let author = self.author.clone();
        self.write(|tx| {
            let Some(entry) = entry(tx, true, &author)? else {
                return Ok(None);
            };
            apply(tx, &entry, true)?;
            tx.execute("UPDATE undo_log SET undone = 0 WHERE id = ?", [entry.id])?;
            Ok(Some(entry.describe("redid")))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Country, DraftParticipant, FuzzyDate};

    fn draft(title: &str) -> EventDraft {
        let mut d = EventDraft::new(FuzzyDate::parse_iso("2025-04-11").unwrap(), title);
        d.participants = vec![
            DraftParticipant {
                name: "Vladimir Putin".into(),
                side: Country::parse("RU").unwrap(),
                head: false,
            },
            DraftParticipant {
                name: "Steve Witkoff".into(),
                side: Country::parse("US").unwrap(),
                head: false,
            },
        ];
        d
    }

    fn titles(store: &Store) -> Vec<(i64, String)> {
        store
            .events_page(
                &super::super::EventFilter::default(),
                super::super::Order::OldestFirst,
                0,
                100,
            )
            .unwrap()
            .into_iter()
            .map(|e| (e.id, e.title))
            .collect()
    }

    #[test]
    fn undo_and_redo_walk_back_and_forth_and_survive_a_restart() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("undo.db");
        {
            let mut store = Store::open(&path).unwrap();
            let first = store.add_event(&draft("First"), NewPeople::Create).unwrap();
            let second = store
                .add_event(&draft("Second"), NewPeople::Create)
                .unwrap();
            store
                .edit_event(first, &draft("First, corrected"), NewPeople::Create)
                .unwrap();
            store.delete_event(second).unwrap();
            assert_eq!(titles(&store), vec![(1, "First, corrected".to_string())]);
        }
        let mut store = Store::open(&path).unwrap();
        assert_eq!(
            store.undo().unwrap().unwrap(),
            "undid deleting #2 \"Second\""
        );
        assert_eq!(
            titles(&store),
            vec![(1, "First, corrected".into()), (2, "Second".into())],
            "the number comes back too"
        );
        assert_eq!(
            store.undo().unwrap().unwrap(),
            "undid editing #1 \"First, corrected\""
        );
        assert_eq!(titles(&store)[0].1, "First");
        drop(store);
        let mut store = Store::open(&path).unwrap();
        assert_eq!(
            store.redo().unwrap().unwrap(),
            "redid editing #1 \"First, corrected\""
        );
        assert_eq!(titles(&store)[0].1, "First, corrected");
        store.undo().unwrap();
        store.undo().unwrap();
        store.undo().unwrap();
        assert!(titles(&store).is_empty());
        assert_eq!(store.undo().unwrap(), None);
        assert_eq!(store.redo().unwrap().unwrap(), "redid adding #1 \"First\"");
        store.add_event(&draft("Third"), NewPeople::Create).unwrap();
        assert_eq!(
            store.redo().unwrap(),
            None,
            "a new change ends the redo history"
        );
    }

    #[test]
    fn an_edit_keeps_the_events_identity() {
        super::super::tests::each_engine(|store| {
            let mut store = store;
            let number = store.add_event(&draft("A"), NewPeople::Create).unwrap();
            let uuid = store.event(number).unwrap().uuid;
            let mut changed = draft("B");
            changed.participants.pop();
            store
                .edit_event(number, &changed, NewPeople::Create)
                .unwrap();
            let event = store.event(number).unwrap();
            assert_eq!(
                (event.uuid, event.title.as_str(), event.participants.len()),
                (uuid, "B", 1)
            );
            assert!(matches!(
                store.edit_event(99, &changed, NewPeople::Create),
                Err(StoreError::NoSuchEvent(_))
            ));
            assert!(matches!(
                store.delete_event(99),
                Err(StoreError::NoSuchEvent(_))
            ));
        });
    }
}
