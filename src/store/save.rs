//! Saving an event: its people resolved, its row, participations, sources and claims written,
//! and the counts, ranks and search text that follow from it kept up to date.

use std::collections::{HashMap, HashSet};

use crate::store::db::params;
use uuid::Uuid;

use super::db::{self, DbError, Optional, Tx};
use super::{Result, StoreError, counts, name_key, people, ranks, read_event};
use crate::domain::{Country, EventDraft, EventPlace, Invalid, Kind, Mode, Participant};

/// How names given for participants become people.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewPeople {
    /// Resolve names as on the command line (surname, prefix); an unknown name is an error.
    Refuse,
    /// Resolve names as on the command line; an unknown name becomes a new person.
    Create,
    /// Match the full name exactly (ignoring case), else create: for files, where "Putin" must
    /// not silently become "Vladimir Putin".
    ExactOrCreate,
}

/// What searches look through: title, place and everyone's names, lower-cased so that a search
/// ignores case in every script. Trimmed as they are stored, so that the text made when an
/// event is saved is the text its stored fields make again (`refresh_search_text`, `verify`).
pub(super) fn search_text(title: &str, place: &EventPlace, names: &[String]) -> String {
    let mut parts = vec![
        title.trim().to_string(),
        place.city.trim().to_string(),
        place.venue.trim().to_string(),
    ];
    if let Some(country) = &place.country {
        parts.push(country.code().into());
        parts.push(country.iso_name().into());
    }
    parts.extend(names.iter().cloned());
    parts.join("\n").to_lowercase()
}

/// Writes again the search text of every event `person` takes part in, with everyone's names
/// as they are now: an event is found by every name of its people, so a change to a person's
/// names changes what finds their events.
pub(crate) fn refresh_search_text(tx: &Tx, person: i64) -> Result<()> {
    let numbers: Vec<i64> = tx
        .prepare_cached("SELECT DISTINCT event_id FROM participation WHERE person_id = ?")?
        .query_map([person], |r| r.get(0))?
        .collect::<db::Result<_>>()?;
    let mut others: HashMap<i64, Vec<String>> = HashMap::new();
    for number in numbers {
        let event = read_event(tx, number)?;
        let mut names = Vec::new();
        for p in &event.participants {
            names.push(p.name.clone());
            let theirs = match others.entry(p.person_id) {
                std::collections::hash_map::Entry::Occupied(known) => known.into_mut(),
                std::collections::hash_map::Entry::Vacant(slot) => {
                    let (mut native, aliases) = people::names_of(tx, p.person_id)?;
                    native.extend(aliases);
                    slot.insert(native)
                }
            };
            names.extend(theirs.iter().cloned());
        }
        let text = search_text(&event.title, &event.place, &names);
        ranks::index_before_change(tx, number)?;
        let changed = tx
            .prepare_cached(
                "UPDATE event SET search_text = ?1 WHERE id = ?2 AND search_text <> ?1",
            )?
            .execute(params![text, number])?;
        if changed > 0 {
            ranks::to_index(tx, number)?;
        }
    }
    Ok(())
}

/// Writes `draft` over the event with this number, keeping its number; for imports, which are
/// not undone one event at a time.
fn replace_event(tx: &Tx, number: i64, draft: &EventDraft, new_people: NewPeople) -> Result<()> {
    save_event(tx, draft, new_people, Target::Replace(number)).map(drop)
}

/// Inserts a validated event; participants are resolved to people (or created) as `new_people`
/// says. Takes the caller's transaction so that an import is one transaction.
pub fn insert_event(tx: &Tx, draft: &EventDraft, new_people: NewPeople) -> Result<i64> {
    save_event(tx, draft, new_people, Target::New(None))
}

/// What an import of many events sums in memory and writes once at its end, instead of one
/// statement per event: the tallies, each person's events and last day seen, and the people
/// already found by name.
#[derive(Debug, Default)]
pub(super) struct Batch {
    /// Set once the import took the bulk path (`store::bulk`): the series and trips of the
    /// events it writes are marked for ranking in one statement at its end, not row by row.
    pub(super) bulk: bool,
    people: HashMap<String, people::Candidate>,
    tallies: HashMap<(&'static str, String), i64>,
    joined: HashMap<i64, counts::Joined>,
}

impl Batch {
    /// Inserts a validated event as `insert_event` does, creating people not found by their
    /// exact name, with the counts kept in the batch until `finish`.
    pub fn insert_event(&mut self, tx: &Tx, draft: &EventDraft) -> Result<i64> {
        save_event_in(
            tx,
            draft,
            NewPeople::ExactOrCreate,
            Target::New(None),
            Some(self),
        )
    }

    /// Writes `draft` over the event `number` as `replace_event` does. Its people, old and new,
    /// are counted again from the rows, which already hold every event the batch summed for
    /// them (the replaced one too, when this import wrote it): what the batch summed for them is
    /// dropped.
    pub fn replace_event(&mut self, tx: &Tx, number: i64, draft: &EventDraft) -> Result<()> {
        let before = counts::participants(tx, number)?;
        replace_event(tx, number, draft, NewPeople::ExactOrCreate)?;
        for person in before.into_iter().chain(counts::participants(tx, number)?) {
            self.joined.remove(&person);
        }
        Ok(())
    }

    /// Writes the counts summed so far.
    pub fn finish(self, tx: &Tx) -> Result<()> {
        for ((dimension, value), delta) in &self.tallies {
            counts::add_to_tally(tx, dimension, value, *delta)?;
        }
        for (person, joined) in &self.joined {
            counts::people_joined(tx, *person, joined)?;
        }
        Ok(())
    }
}

/// Where `save_event` writes.
#[derive(Debug, Clone, Copy)]
pub(super) enum Target {
    /// A new row, with this number if given (restoring a deleted event keeps its number).
    New(Option<i64>),
    /// Over the event with this number, keeping the number.
    Replace(i64),
}

pub(super) fn save_event(
    tx: &Tx,
    draft: &EventDraft,
    new_people: NewPeople,
    target: Target,
) -> Result<i64> {
    save_event_in(tx, draft, new_people, target, None)
}

/// Writes `draft` where `target` says. With a `batch`, the people found and the counts are kept
/// in it, to be written once at the import's end.
fn save_event_in(
    tx: &Tx,
    draft: &EventDraft,
    new_people: NewPeople,
    target: Target,
    mut batch: Option<&mut Batch>,
) -> Result<i64> {
    draft.validate()?;
    let people = resolve_people(tx, draft, new_people, batch.as_deref_mut())?;
    let person_ids: Vec<i64> = people.iter().map(|person| person.0).collect();
    let replaced = match target {
        Target::New(_) => None,
        Target::Replace(number) => Some(take_out(tx, number)?),
    };
    let event_id = write_row(tx, draft, target, &people)?;
    ranks::to_index(tx, event_id)?;
    // A replaced event's people are counted again from scratch below.
    let joined_to = match replaced {
        Some(_) => Joining::Recounted,
        None => Joining::Added(batch.as_deref_mut()),
    };
    write_participations(tx, event_id, draft, &person_ids, joined_to)?;
    let marked = if batch.as_ref().is_some_and(|b| b.bulk) {
        ranks::Marked::Later
    } else {
        ranks::Marked::Now
    };
    join_series(tx, event_id, draft, &person_ids, marked)?;
    if let Some(replaced) = replaced {
        replaced.recount(tx, &person_ids)?;
    }
    tally(tx, draft, batch)?;
    write_sources(tx, event_id, draft)?;
    write_unnamed_sides(tx, event_id, draft)?;
    write_claims(tx, event_id, draft)?;
    Ok(event_id)
}

/// The person each participant of `draft` names, found or created as `new_people` says; one
/// person named twice is refused.
fn resolve_people(
    tx: &Tx,
    draft: &EventDraft,
    new_people: NewPeople,
    mut batch: Option<&mut Batch>,
) -> Result<Vec<people::Candidate>> {
    let mut found = Vec::with_capacity(draft.participants.len());
    let mut seen = HashSet::with_capacity(draft.participants.len());
    for p in &draft.participants {
        // An exact name found or created once in a batch stands for the same person after.
        let known = batch
            .as_deref()
            .filter(|_| new_people == NewPeople::ExactOrCreate)
            .and_then(|b| b.people.get(&name_key(&p.name)).cloned());
        let person = match known {
            Some(person) => person,
            None => match people::resolve_for_write(tx, &p.name, new_people)? {
                Some(person) => {
                    if let Some(batch) = batch.as_deref_mut() {
                        batch.people.insert(name_key(&p.name), person.clone());
                    }
                    person
                }
                None => {
                    return Err(Invalid::new("participant", &p.name, "unknown person").into());
                }
            },
        };
        if !seen.insert(person.0) {
            return Err(Invalid::new(
                "participant",
                &p.name,
                &format!("is the same person as another participant ({})", person.1),
            )
            .into());
        }
        found.push(person);
    }
    Ok(found)
}

/// What an event being replaced counted for, read before its rows are taken out.
struct Replaced {
    counted: Option<counts::Counted>,
    people: Vec<i64>,
}

impl Replaced {
    /// Takes back what the old event counted for, and counts its people and the new ones again.
    fn recount(mut self, tx: &Tx, person_ids: &[i64]) -> Result<()> {
        if let Some(old) = self.counted {
            old.tally(tx, -1)?;
        }
        self.people.extend(person_ids);
        counts::recount_people(tx, &self.people)
    }
}

/// Takes the event `number`'s participations, sources, claims and unnamed sides out, and its
/// place in its series, keeping what it counted for.
fn take_out(tx: &Tx, number: i64) -> Result<Replaced> {
    let replaced = Replaced {
        counted: counts::Counted::stored(tx, number)?,
        people: counts::participants(tx, number)?,
    };
    ranks::leave(tx, number)?;
    tx.execute("DELETE FROM participation WHERE event_id = ?", [number])?;
    tx.execute("DELETE FROM source WHERE event_id = ?", [number])?;
    tx.execute("DELETE FROM claim WHERE event_id = ?", [number])?;
    tx.execute("DELETE FROM unnamed_side WHERE event_id = ?", [number])?;
    Ok(replaced)
}

/// Inserts or updates the event's own row, searchable by the names of `people`; its number.
fn write_row(
    tx: &Tx,
    draft: &EventDraft,
    target: Target,
    people: &[people::Candidate],
) -> Result<i64> {
    let names: Vec<String> = people
        .iter()
        .flat_map(|person| std::iter::once(&person.1).chain(&person.2))
        .cloned()
        .collect();
    let uuid = draft.uuid.unwrap_or_else(Uuid::new_v4);
    let (sql, number) = match target {
        Target::New(number) => (
            "INSERT INTO event (uuid, date_first, date_last, precision, circa, end_first, end_precision, \
             title, kind, mode, status, city, country, venue, notes, search_text, id) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            number,
        ),
        Target::Replace(number) => (
            "UPDATE event SET uuid = ?, date_first = ?, date_last = ?, precision = ?, circa = ?, \
             end_first = ?, end_precision = ?, title = ?, kind = ?, mode = ?, status = ?, city = ?, \
             country = ?, venue = ?, notes = ?, search_text = ?, version = version + 1 \
             WHERE id = ? RETURNING id",
            Some(number),
        ),
    };
    if let Target::Replace(number) = target {
        ranks::index_before_change(tx, number)?;
    }
    // Cached: an import runs this once per event.
    let written: Option<i64> = tx
        .prepare_cached(sql)?
        .query_row(
            params![
                uuid.to_string(),
                draft.date.first(),
                draft.date.last(),
                draft.date.precision().as_str(),
                draft.date.circa(),
                draft.end_date.map(|d| d.first()),
                draft.end_date.map(|d| d.precision().as_str()),
                draft.title.trim(),
                draft.kind.as_str(),
                draft.mode.as_str(),
                draft.status.as_str(),
                draft.place.city.trim(),
                draft.place.country.as_ref().map(Country::code),
                draft.place.venue.trim(),
                draft.notes,
                search_text(&draft.title, &draft.place, &names),
                number,
            ],
            |r| r.get(0),
        )
        .optional()
        .map_err(|e| match e.refusal() {
            Some(super::db::Refusal::Duplicate) if e.to_string().contains("uuid") => {
                StoreError::Invalid(Invalid::new(
                    "id",
                    &uuid.to_string(),
                    "another event has this id",
                ))
            }
            _ => e.into(),
        })?;
    match (target, written) {
        (_, Some(id)) => Ok(id),
        (Target::Replace(number), None) => Err(StoreError::NoSuchEvent(number.to_string())),
        (Target::New(_), None) => Err(DbError::no_rows().into()),
    }
}

/// How a new participation counts in its person's events and last day seen.
enum Joining<'b> {
    /// Added now, or to the batch when there is one.
    Added(Option<&'b mut Batch>),
    /// Left to a recount of everyone once the event is written.
    Recounted,
}

/// Inserts the event's participations in their order, each marked as meeting face to face when
/// the event happened in person and the participant heads their side or is alone on it.
fn write_participations(
    tx: &Tx,
    event_id: i64,
    draft: &EventDraft,
    person_ids: &[i64],
    mut joining: Joining,
) -> Result<()> {
    // A stopover is never a meeting.
    let happened_in_person =
        draft.mode == Mode::InPerson && draft.status.happened() && draft.kind != Kind::Stopover;
    let mut on_side: HashMap<&Country, usize> = HashMap::new();
    for p in &draft.participants {
        *on_side.entry(&p.side).or_default() += 1;
    }
    for (position, (p, person_id)) in draft.participants.iter().zip(person_ids).enumerate() {
        let alone = on_side.get(&p.side) == Some(&1);
        let meets = happened_in_person && (p.head || alone);
        tx.prepare_cached(
            "INSERT INTO participation (event_id, person_id, position, side, head, date_first, meets) \
             VALUES (?, ?, ?, ?, ?, ?, ?)",
        )?
        .execute(params![
                event_id,
                person_id,
                position as i64,
                p.side.code(),
                p.head,
                draft.date.first(),
                meets
            ])?;
        let joined = counts::Joined::one(draft.date.first(), meets);
        match &mut joining {
            Joining::Recounted => {}
            Joining::Added(Some(batch)) => batch.joined.entry(*person_id).or_default().add(&joined),
            Joining::Added(None) => counts::people_joined(tx, *person_id, &joined)?,
        }
    }
    Ok(())
}

/// Places the event in its series, by its people and their sides.
fn join_series(
    tx: &Tx,
    event_id: i64,
    draft: &EventDraft,
    person_ids: &[i64],
    marked: ranks::Marked,
) -> Result<()> {
    let participants: Vec<Participant> = draft
        .participants
        .iter()
        .zip(person_ids)
        .map(|(p, id)| Participant {
            person_id: *id,
            name: String::new(),
            side: p.side.clone(),
            head: p.head,
        })
        .collect();
    ranks::join(
        tx,
        event_id,
        &draft.date,
        (draft.kind, draft.mode, draft.status),
        &participants,
        marked,
    )
}

/// Counts the event in the kept tallies, or in the batch's until it finishes.
fn tally(tx: &Tx, draft: &EventDraft, batch: Option<&mut Batch>) -> Result<()> {
    match batch {
        Some(batch) => {
            for key in counts::Counted::of(draft).keys() {
                *batch.tallies.entry(key).or_default() += 1;
            }
            Ok(())
        }
        None => counts::Counted::of(draft).tally(tx, 1),
    }
}

fn write_sources(tx: &Tx, event_id: i64, draft: &EventDraft) -> Result<()> {
    for (position, s) in draft.sources.iter().enumerate() {
        tx.prepare_cached(
            "INSERT INTO source (event_id, position, outlet, citing, url, published, via) VALUES (?, ?, ?, ?, ?, ?, ?)",
        )?
        .execute(params![event_id, position as i64, s.outlet.trim(), s.citing.trim(), s.url.trim(), s.published, s.via.trim()])?;
    }
    Ok(())
}

fn write_unnamed_sides(tx: &Tx, event_id: i64, draft: &EventDraft) -> Result<()> {
    for side in &draft.unnamed_sides {
        tx.prepare_cached(
            "INSERT INTO unnamed_side (event_id, side) VALUES (?, ?) ON CONFLICT DO NOTHING",
        )?
        .execute(params![event_id, side.code()])?;
    }
    Ok(())
}

/// Inserts the claims, a published count as its JSON record.
fn write_claims(tx: &Tx, event_id: i64, draft: &EventDraft) -> Result<()> {
    for (position, claim) in draft.claims.iter().enumerate() {
        let sources: Vec<String> = claim.sources.iter().map(usize::to_string).collect();
        let count = claim
            .count
            .as_ref()
            .map(|c| serde_json::to_string(&crate::domain::record::CountRecord::of(c)))
            .transpose()
            .map_err(|e| StoreError::Database(DbError::conversion(0, e)))?;
        tx.prepare_cached(
            "INSERT INTO claim (event_id, position, aspect, value, sources, note, count) VALUES (?, ?, ?, ?, ?, ?, ?)",
        )?
        .execute(params![
            event_id,
            position as i64,
            claim.aspect.as_str(),
            claim.value.trim(),
            sources.join(","),
            claim.note,
            count
        ])?;
    }
    Ok(())
}
