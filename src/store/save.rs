//! Saving an event: its people resolved, its row, participations, sources and claims written,
//! and the counts, ranks and search text that follow from it kept up to date.

use std::collections::HashMap;

use rusqlite::params;
use uuid::Uuid;

use super::db::{self, DbError, Optional, Tx};
use super::{Result, StoreError, counts, name_key, people, ranks, read_event};
use crate::domain::{Country, EventDraft, Invalid, Mode, Participant, Place};

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
pub(super) fn search_text(title: &str, place: &Place, names: &[String]) -> String {
    let mut parts = vec![
        title.trim().to_string(),
        place.city.trim().to_string(),
        place.venue.trim().to_string(),
    ];
    if let Some(country) = &place.country {
        parts.push(country.code().into());
        parts.push(country.name().into());
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
pub(super) fn replace_event(
    tx: &Tx,
    number: i64,
    draft: &EventDraft,
    new_people: NewPeople,
) -> Result<()> {
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

fn save_event_in(
    tx: &Tx,
    draft: &EventDraft,
    new_people: NewPeople,
    target: Target,
    mut batch: Option<&mut Batch>,
) -> Result<i64> {
    draft.validate()?;
    let mut person_ids = Vec::with_capacity(draft.participants.len());
    let mut seen = std::collections::HashSet::with_capacity(draft.participants.len());
    let mut names = Vec::with_capacity(draft.participants.len());
    for p in &draft.participants {
        // An exact name found or created once in a batch stands for the same person after.
        let known = batch
            .as_deref()
            .filter(|_| new_people == NewPeople::ExactOrCreate)
            .and_then(|b| b.people.get(&name_key(&p.name)).cloned());
        let person = match known {
            Some(person) => person,
            None => match people::resolve_for_write(tx, &p.name, new_people, &p.side)? {
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
        person_ids.push(person.0);
        names.push(person.1.clone());
        names.extend(person.2.iter().cloned());
    }
    let uuid = draft.uuid.unwrap_or_else(Uuid::new_v4);
    let mut replaced = None;
    let (sql, number) = match target {
        Target::New(number) => (
            "INSERT INTO event (uuid, date_first, date_last, precision, circa, end_first, end_precision, \
             title, kind, mode, status, city, country, venue, notes, search_text, id) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            number,
        ),
        Target::Replace(number) => {
            replaced = Some((
                counts::Counted::stored(tx, number)?,
                counts::participants(tx, number)?,
            ));
            ranks::leave(tx, number)?;
            tx.execute("DELETE FROM participation WHERE event_id = ?", [number])?;
            tx.execute("DELETE FROM source WHERE event_id = ?", [number])?;
            tx.execute("DELETE FROM claim WHERE event_id = ?", [number])?;
            tx.execute("DELETE FROM unnamed_side WHERE event_id = ?", [number])?;
            (
                "UPDATE event SET uuid = ?, date_first = ?, date_last = ?, precision = ?, circa = ?, \
                 end_first = ?, end_precision = ?, title = ?, kind = ?, mode = ?, status = ?, city = ?, \
                 country = ?, venue = ?, notes = ?, search_text = ?, version = version + 1 \
                 WHERE id = ? RETURNING id",
                Some(number),
            )
        }
    };
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
        .map_err(|e| match (e.sqlite_code(), e.postgres_code()) {
            (Some(rusqlite::ErrorCode::ConstraintViolation), _)
            | (_, Some(&postgres::error::SqlState::UNIQUE_VIOLATION))
                if e.to_string().contains("uuid") =>
            {
                StoreError::Invalid(Invalid::new(
                    "id",
                    &uuid.to_string(),
                    "another event has this id",
                ))
            }
            _ => e.into(),
        })?;
    let event_id = match (target, written) {
        (_, Some(id)) => id,
        (Target::Replace(number), None) => {
            return Err(StoreError::NoSuchEvent(number.to_string()));
        }
        (Target::New(_), None) => return Err(DbError::no_rows().into()),
    };
    ranks::to_index(tx, event_id)?;
    let happened_in_person = draft.mode == Mode::InPerson && draft.status.happened();
    let mut on_side: std::collections::HashMap<&Country, usize> = std::collections::HashMap::new();
    for p in &draft.participants {
        *on_side.entry(&p.side).or_default() += 1;
    }
    for (position, (p, person_id)) in draft.participants.iter().zip(&person_ids).enumerate() {
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
        match (&replaced, batch.as_deref_mut()) {
            (Some(_), _) => {}
            (None, Some(batch)) => batch.joined.entry(*person_id).or_default().add(&joined),
            (None, None) => counts::people_joined(tx, *person_id, &joined)?,
        }
    }
    let participants: Vec<Participant> = draft
        .participants
        .iter()
        .zip(&person_ids)
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
        draft.status,
        draft.mode,
        draft.place.country.as_ref(),
        &participants,
    )?;
    if let Some((old, mut people)) = replaced {
        if let Some(old) = old {
            old.tally(tx, -1)?;
        }
        people.extend(&person_ids);
        counts::recount_people(tx, &people)?;
    }
    match batch {
        Some(batch) => {
            for key in counts::Counted::of(draft).keys() {
                *batch.tallies.entry(key).or_default() += 1;
            }
        }
        None => counts::Counted::of(draft).tally(tx, 1)?,
    }
    for (position, s) in draft.sources.iter().enumerate() {
        tx.prepare_cached(
            "INSERT INTO source (event_id, position, outlet, citing, url, published, via) VALUES (?, ?, ?, ?, ?, ?, ?)",
        )?
        .execute(params![event_id, position as i64, s.outlet.trim(), s.citing.trim(), s.url.trim(), s.published, s.via.trim()])?;
    }
    for side in &draft.unnamed_sides {
        tx.prepare_cached(
            "INSERT INTO unnamed_side (event_id, side) VALUES (?, ?) ON CONFLICT DO NOTHING",
        )?
        .execute(params![event_id, side.code()])?;
    }
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
    Ok(event_id)
}
