//! People: finding them by the names users type, creating them, and summarising their records.

use std::collections::HashMap;

use crate::store::db::params;
use chrono::NaiveDate;

use super::db::{self, Conn, Optional, Tx};

use super::{Result, Store, StoreError, country_column};
use crate::domain::names::{Labels, family_name};
use crate::domain::{Country, Event, Invalid, Person, Title};

/// Someone a person met face to face, both heading their sides, and how many times.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetMost {
    pub person_id: i64,
    pub name: String,
    pub face_to_face: usize,
}

/// A person with the size of their record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonSummary {
    pub person: Person,
    pub events: usize,
    pub last_seen: Option<NaiveDate>,
}

/// How a typed name matched the people on record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PersonMatch {
    Found(i64),
    Ambiguous(Vec<String>),
    Unknown { suggestion: Option<String> },
}

/// The last word of a name: found as a family name is, so that "Farhan" still finds "Faisal
/// bin Farhan", whose family name by the rules of `names` is "Faisal".
fn last_word(name: &str) -> &str {
    name.split_whitespace().last().unwrap_or(name)
}

/// A candidate for matching: id, name, and the other names they are found by (native names,
/// aliases).
pub(super) type Candidate = (i64, String, Vec<String>);

pub fn name_key(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// How far a typed name may reach to find someone on record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// A whole name, alias or family name, or a unique prefix: for reading (`count witk`).
    Prefix,
    /// A whole name, alias or family name only (a prefix is a suggestion): for writing, so that
    /// a new "John Kerr" is never attached to John Kerry on record.
    WholeName,
}

/// Matches `typed` against `people` case-insensitively: by full name (or any other name of
/// theirs: native-script names, aliases), then by surname, then by unique prefix of a name or
/// of any word in it.
pub fn match_person(typed: &str, people: &[Candidate]) -> PersonMatch {
    match_person_within(typed, people, Reach::Prefix)
}

/// As `match_person`; where `reach` is `WholeName`, a unique prefix is only a suggestion.
pub fn match_person_within(typed: &str, people: &[Candidate], reach: Reach) -> PersonMatch {
    let key = name_key(typed);
    if key.is_empty() {
        return PersonMatch::Unknown { suggestion: None };
    }
    let keys: Vec<(i64, &str, Vec<String>)> = people
        .iter()
        .map(|(id, name, others)| {
            let keys = std::iter::once(name_key(name))
                .chain(others.iter().map(|n| name_key(n)))
                .filter(|k| !k.is_empty())
                .collect();
            (*id, name.as_str(), keys)
        })
        .collect();
    type Stage = fn(&str, &str) -> bool;
    let stages: [Stage; 3] = [
        |full, key| full == key,
        |full, key| family_name(full) == key || last_word(full) == key,
        |full, key| full.starts_with(key) || full.split(' ').any(|w| w.starts_with(key)),
    ];
    for (index, stage) in stages.into_iter().enumerate() {
        let prefix = index == 2;
        let mut found: Vec<(i64, &str)> = keys
            .iter()
            .filter(|(_, _, names)| names.iter().any(|n| stage(n, &key)))
            .map(|(id, name, _)| (*id, *name))
            .collect();
        found.dedup_by_key(|(id, _)| *id);
        match found.as_slice() {
            [] => continue,
            // A prefix of one name only suggests that person to a writing command, which then
            // refuses it or makes someone new; a prefix of several is ambiguous either way.
            [(_, name)] if prefix && reach == Reach::WholeName => {
                return PersonMatch::Unknown {
                    suggestion: Some(name.to_string()),
                };
            }
            [(id, _)] => return PersonMatch::Found(*id),
            many => {
                let mut names: Vec<String> = many.iter().map(|(_, n)| n.to_string()).collect();
                names.sort();
                return PersonMatch::Ambiguous(names);
            }
        }
    }
    PersonMatch::Unknown {
        suggestion: closest(&key, people),
    }
}

/// The person whose name (or another name of theirs) is closest to `key`, when one is close:
/// "Sergei Lavrov" for "Sergey Lavrov", "Witkopf" for "Witkoff".
fn closest(key: &str, people: &[Candidate]) -> Option<String> {
    people
        .iter()
        .map(|(_, name, others)| {
            let score = std::iter::once(name)
                .chain(others)
                .map(|n| {
                    let full = name_key(n);
                    let whole = strsim::jaro_winkler(key, &full);
                    let last = strsim::jaro_winkler(key, family_name(&full));
                    whole.max(last)
                })
                .fold(0.0_f64, f64::max);
            (score, name)
        })
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, name)| name.to_string())
}

fn all_candidates(conn: &Conn) -> Result<Vec<Candidate>> {
    let mut others = other_names(conn, None)?;
    let mut stmt = conn.prepare_cached("SELECT id, name FROM person ORDER BY id")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<i64>(0)?, r.get::<String>(1)?)))?;
    let mut candidates = Vec::new();
    for row in rows {
        let (id, name) = row?;
        candidates.push((id, name, others.remove(&id).unwrap_or_default()));
    }
    Ok(candidates)
}

/// Everyone's native names, then aliases, by person; with `among` (a query of their numbers),
/// only those people's.
pub(super) fn other_names(conn: &Conn, among: Option<&str>) -> Result<HashMap<i64, Vec<String>>> {
    let among = among.map_or(String::new(), |ids| format!("WHERE person_id IN ({ids})"));
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT person_id, name FROM person_name {among} ORDER BY person_id, kind DESC, position"
    ))?;
    let mut names: HashMap<i64, Vec<String>> = HashMap::new();
    for row in stmt.query_map([], |r| Ok((r.get::<i64>(0)?, r.get::<String>(1)?)))? {
        let (id, name) = row?;
        names.entry(id).or_default().push(name);
    }
    Ok(names)
}

/// A person's native-script names, then their aliases.
type NativeAndAliases = (Vec<String>, Vec<String>);

/// One person's native names and aliases.
pub(super) fn names_of(conn: &Conn, id: i64) -> Result<NativeAndAliases> {
    let mut stmt = conn.prepare_cached(
        "SELECT kind, name FROM person_name WHERE person_id = ? ORDER BY kind DESC, position",
    )?;
    let mut native = Vec::new();
    let mut aliases = Vec::new();
    for row in stmt.query_map([id], |r| Ok((r.get::<String>(0)?, r.get::<String>(1)?)))? {
        let (kind, name) = row?;
        if kind == "native" {
            native.push(name);
        } else {
            aliases.push(name);
        }
    }
    Ok((native, aliases))
}

fn candidate(conn: &Conn, id: i64) -> Result<Option<Candidate>> {
    let Some(name) = conn
        .prepare_cached("SELECT name FROM person WHERE id = ?")?
        .query_row([id], |r| r.get::<String>(0))
        .optional()?
    else {
        return Ok(None);
    };
    let (mut others, aliases) = names_of(conn, id)?;
    others.extend(aliases);
    Ok(Some((id, name, others)))
}

/// The person with exactly this name, ignoring case: their name first, else one of their
/// other names.
fn exact(conn: &Conn, name: &str) -> Result<Option<Candidate>> {
    match exact_id(conn, name)? {
        Some(id) => candidate(conn, id),
        None => Ok(None),
    }
}

/// The number of the person with exactly this name, or another name of theirs (ignoring case).
pub(super) fn exact_id(conn: &Conn, name: &str) -> Result<Option<i64>> {
    let key = name_key(name);
    let id: Option<i64> = conn
        .prepare_cached("SELECT id FROM person WHERE name_key = ?")?
        .query_row([&key], |r| r.get(0))
        .optional()?;
    Ok(match id {
        Some(id) => Some(id),
        None => conn
            .prepare_cached(
                "SELECT person_id FROM person_name WHERE name_key = ? ORDER BY person_id LIMIT 1",
            )?
            .query_row([&key], |r| r.get(0))
            .optional()?,
    })
}

pub(super) fn resolve(
    conn: &Conn,
    name: &str,
    reach: Reach,
) -> Result<std::result::Result<i64, StoreError>> {
    if let Some((id, _, _)) = exact(conn, name)? {
        return Ok(Ok(id));
    }
    let candidates = all_candidates(conn)?;
    Ok(match match_person_within(name, &candidates, reach) {
        PersonMatch::Found(id) => Ok(id),
        PersonMatch::Ambiguous(candidates) => Err(StoreError::AmbiguousPerson {
            name: name.trim().to_string(),
            candidates,
        }),
        PersonMatch::Unknown { suggestion } => Err(StoreError::UnknownPerson {
            name: name.trim().to_string(),
            suggestion,
        }),
    })
}

/// Finds or creates the person a participant's name stands for: (id, name, other names).
pub(super) fn resolve_for_write(
    tx: &Tx,
    name: &str,
    new_people: super::NewPeople,
) -> Result<Option<Candidate>> {
    use super::NewPeople;
    let found = match new_people {
        NewPeople::ExactOrCreate => exact(tx, name)?.map(|c| c.0).ok_or(None),
        NewPeople::Refuse | NewPeople::Create => match resolve(tx, name, Reach::WholeName)? {
            Ok(id) => Ok(id),
            Err(StoreError::UnknownPerson { .. }) if new_people == NewPeople::Create => Err(None),
            Err(other) => Err(Some(other)),
        },
    };
    let id = match found {
        Ok(id) => id,
        Err(Some(error)) => return Err(error),
        // No country is given them from the side they are first seen on: until one is, their
        // home is the side they take most often (`domain::trip::home`).
        Err(None) => create_person(
            tx,
            &Person {
                name: name.to_string(),
                ..Person::default()
            },
        )?,
    };
    candidate(tx, id)
}

/// Fills in `person_name.name_key` from the names, lower-cased in every script.
pub(super) fn key_names(tx: &Tx) -> Result<()> {
    let rows: Vec<(i64, String, i64, String)> = tx
        .prepare("SELECT person_id, kind, position, name FROM person_name")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<db::Result<_>>()?;
    let mut update = tx.prepare(
        "UPDATE person_name SET name_key = ? WHERE person_id = ? AND kind = ? AND position = ?",
    )?;
    for (id, kind, position, name) in rows {
        update.execute(params![name_key(&name), id, kind, position])?;
    }
    Ok(())
}

/// Collapses runs of white space; what every stored name looks like.
fn tidy(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Refuses a person's names that are empty, carry control characters, or are another
/// person's name (their name, native name or alias): a name must find one person.
fn check_names(tx: &Tx, person: &Person) -> Result<()> {
    if tidy(&person.name).is_empty() {
        return Err(Invalid::new("name", &person.name, "must not be empty").into());
    }
    let fields = std::iter::once(("name", &person.name))
        .chain(person.native_names.iter().map(|n| ("native name", n)))
        .chain(person.aliases.iter().map(|n| ("alias", n)))
        .chain(person.titles.iter().map(|t| ("title", &t.title)));
    for (field, text) in fields {
        crate::domain::text::check_input(field, text, false)?;
        if field == "title" {
            continue;
        }
        if tidy(text).is_empty() {
            return Err(Invalid::new(field, text, "must not be empty").into());
        }
        if let Some((other, other_name, _)) = exact(tx, text)?
            && other != person.id
        {
            return Err(
                Invalid::new(field, text, &format!("is already a name of {other_name}")).into(),
            );
        }
    }
    crate::domain::text::check_input("short name", &person.short_name, false)?;
    crate::domain::text::check_input("notes", &person.notes, true)?;
    Ok(())
}

/// Creates a person; their names must be new (ignoring case).
pub fn create_person(tx: &Tx, person: &Person) -> Result<i64> {
    check_names(tx, person)?;
    insert_person(tx, person)
}

/// Creates a person as given, with `person.id` when it is not 0 (undo puts a person back as
/// they were), without checking their names.
pub(super) fn insert_person(tx: &Tx, person: &Person) -> Result<i64> {
    let name = tidy(&person.name);
    let id: i64 = tx
        .prepare_cached(
            "INSERT INTO person (id, name, name_key, country, notes, short_name) \
             VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        )?
        .query_row(
            params![
                (person.id != 0).then_some(person.id),
                name,
                name_key(&name),
                person.country.as_ref().map(Country::code),
                person.notes.trim(),
                tidy(&person.short_name),
            ],
            |r| r.get(0),
        )?;
    insert_names(tx, id, &person.native_names, &person.aliases)?;
    insert_titles(tx, id, &person.titles)?;
    Ok(id)
}

/// Writes `person` over what is recorded for `person.id`: names, country, titles, notes.
pub(super) fn overwrite_person(tx: &Tx, person: &Person) -> Result<()> {
    check_names(tx, person)?;
    write_person(tx, person)
}

/// Removes a person who takes part in no event, with their names and titles.
pub(super) fn remove_person(tx: &Tx, id: i64) -> Result<()> {
    tx.execute("DELETE FROM person WHERE id = ?", [id])?;
    Ok(())
}

/// `overwrite_person` without checking the names: for undo, which puts back a whole state.
pub(super) fn write_person(tx: &Tx, person: &Person) -> Result<()> {
    let name = tidy(&person.name);
    let changed = tx.execute(
        "UPDATE person SET name = ?, name_key = ?, country = ?, notes = ?, short_name = ? \
         WHERE id = ?",
        params![
            name,
            name_key(&name),
            person.country.as_ref().map(Country::code),
            person.notes.trim(),
            tidy(&person.short_name),
            person.id
        ],
    )?;
    if changed == 0 {
        return Err(StoreError::NoSuchPerson(person.id.to_string()));
    }
    // Their country is their home: every trip and visit of theirs may move with it.
    super::trips::mark_person(tx, person.id)?;
    tx.execute("DELETE FROM person_name WHERE person_id = ?", [person.id])?;
    tx.execute("DELETE FROM person_title WHERE person_id = ?", [person.id])?;
    insert_names(tx, person.id, &person.native_names, &person.aliases)?;
    insert_titles(tx, person.id, &person.titles)?;
    Ok(())
}

fn insert_names(tx: &Tx, id: i64, native: &[String], aliases: &[String]) -> Result<()> {
    let mut insert = tx.prepare_cached(
        "INSERT INTO person_name (person_id, kind, position, name, name_key) VALUES (?, ?, ?, ?, ?)",
    )?;
    for (kind, names) in [("native", native), ("alias", aliases)] {
        let mut seen = std::collections::HashSet::new();
        let mut position = 0_i64;
        for name in names.iter().map(|n| tidy(n)) {
            if seen.insert(name_key(&name)) {
                insert.execute(params![id, kind, position, name, name_key(&name)])?;
                position += 1;
            }
        }
    }
    Ok(())
}

fn insert_titles(tx: &Tx, person_id: i64, titles: &[Title]) -> Result<()> {
    for (position, title) in titles.iter().enumerate() {
        tx.execute(
            "INSERT INTO person_title (person_id, position, title, from_date, until_date) VALUES (?, ?, ?, ?, ?)",
            params![person_id, position as i64, title.title.trim(), title.from, title.until],
        )?;
    }
    Ok(())
}

/// Adds what a file says about a known person that the record does not: native names and
/// aliases it lacks, a country where none is recorded, titles where none are. What is recorded
/// is never overwritten.
pub fn fill_in_person(tx: &Tx, id: i64, from_file: &Person) -> Result<()> {
    let mut person = read_person(tx, id)?;
    let before = person.clone();
    let known: std::collections::HashSet<String> = person.all_names().map(name_key).collect();
    for name in &from_file.native_names {
        if !known.contains(&name_key(name)) {
            person.native_names.push(name.clone());
        }
    }
    for name in &from_file.aliases {
        if !known.contains(&name_key(name)) {
            person.aliases.push(name.clone());
        }
    }
    if person.country.is_none() {
        person.country = from_file.country.clone();
    }
    if person.titles.is_empty() {
        person.titles = from_file.titles.clone();
    }
    if person.notes.is_empty() {
        person.notes = from_file.notes.clone();
    }
    if person.short_name.is_empty() {
        person.short_name = from_file.short_name.clone();
    }
    if person != before {
        overwrite_person(tx, &person)?;
    }
    Ok(())
}

/// The id of the person with exactly this name, or another name of theirs (ignoring case).
pub fn person_id_by_name(tx: &Tx, name: &str) -> Result<Option<i64>> {
    Ok(exact(tx, name)?.map(|c| c.0))
}

/// Everything recorded about one person.
pub(super) fn read_person(conn: &Conn, id: i64) -> Result<Person> {
    let (name, country, notes, short_name) = conn
        .prepare_cached("SELECT name, country, notes, short_name FROM person WHERE id = ?")?
        .query_row([id], |r| {
            Ok((r.get(0)?, country_column(r, 1)?, r.get(2)?, r.get(3)?))
        })
        .optional()?
        .ok_or_else(|| StoreError::NoSuchPerson(id.to_string()))?;
    let mut stmt = conn.prepare_cached(
        "SELECT title, from_date, until_date FROM person_title WHERE person_id = ? ORDER BY position",
    )?;
    let titles = stmt
        .query_map([id], |r| {
            Ok(Title {
                title: r.get(0)?,
                from: r.get(1)?,
                until: r.get(2)?,
            })
        })?
        .collect::<db::Result<Vec<_>>>()?;
    let (native_names, aliases) = names_of(conn, id)?;
    Ok(Person {
        id,
        name,
        native_names,
        aliases,
        short_name,
        country,
        titles,
        notes,
    })
}

impl Store {
    /// Finds the person a typed name means; an ambiguous or unknown name is an error that lists
    /// the candidates or suggests the closest name.
    pub fn resolve_person(&self, name: &str) -> Result<Person> {
        let id = resolve(&self.conn, name, Reach::Prefix)??;
        self.person(id)
    }

    /// Everyone's id, name and other names (native names, then aliases): what names are
    /// completed and matched from.
    pub fn names(&self) -> Result<Vec<(i64, String, Vec<String>)>> {
        all_candidates(&self.conn)
    }

    /// Each person's home (their country, or else the side they take most often), by name,
    /// for filling in a participant's side.
    pub fn countries_by_person(&self) -> Result<std::collections::HashMap<String, String>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT name, home FROM person WHERE home IS NOT NULL")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<db::Result<_>>()?)
    }

    /// The country each city's events were most often held in, for filling in a place.
    pub fn countries_by_city(&self) -> Result<std::collections::HashMap<String, String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT city, country FROM event WHERE city <> '' AND country IS NOT NULL \
             GROUP BY city, country ORDER BY count(*)",
        )?;
        // The most frequent pair comes last and wins.
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<db::Result<_>>()?)
    }

    pub fn person(&self, id: i64) -> Result<Person> {
        read_person(&self.conn, id)
    }

    /// One person with the size of their record.
    pub fn person_summary(&self, id: i64) -> Result<PersonSummary> {
        let person = read_person(&self.conn, id)?;
        let (events, last_seen) = self.conn.query_row(
            "SELECT events, last_seen FROM person WHERE id = ?",
            [id],
            |r| Ok((super::count_column(r, 0)?, r.get::<Option<NaiveDate>>(1)?)),
        )?;
        Ok(PersonSummary {
            person,
            events,
            last_seen,
        })
    }

    /// Everyone's native names and aliases, by person.
    fn kinds_of_names(&self) -> Result<HashMap<i64, NativeAndAliases>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT person_id, kind, name FROM person_name ORDER BY person_id, kind DESC, position",
        )?;
        let mut names: HashMap<i64, NativeAndAliases> = HashMap::new();
        let rows = stmt.query_map([], |r| {
            Ok((r.get::<i64>(0)?, r.get::<String>(1)?, r.get(2)?))
        })?;
        for row in rows {
            let (id, kind, name) = row?;
            let entry = names.entry(id).or_default();
            if kind == "native" {
                entry.0.push(name);
            } else {
                entry.1.push(name);
            }
        }
        Ok(names)
    }

    fn titles(&self) -> Result<HashMap<i64, Vec<Title>>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT person_id, title, from_date, until_date FROM person_title ORDER BY person_id, position",
        )?;
        let mut titles: HashMap<i64, Vec<Title>> = HashMap::new();
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<i64>(0)?,
                Title {
                    title: r.get(1)?,
                    from: r.get(2)?,
                    until: r.get(3)?,
                },
            ))
        })?;
        for row in rows {
            let (id, title) = row?;
            titles.entry(id).or_default().push(title);
        }
        Ok(titles)
    }

    /// The people `id` met face to face most often (both heading their sides of an in-person
    /// event that happened), most first: from the kept counts of the person's pairs. The
    /// `limit`-th highest count is read first from the count indexes, then only the pairs at or
    /// above it with their names, so that the busiest person's thousands of partners are never
    /// all read (ties at that count are all read, to order them by name).
    pub fn met_most(&self, id: i64, limit: usize) -> Result<Vec<MetMost>> {
        let least: Option<i64> = self.conn.query_row(
            "SELECT min(meetings) FROM ( \
                 SELECT meetings FROM (SELECT meetings FROM pair_meetings \
                     WHERE mode = 'in-person' AND first = ?1 ORDER BY meetings DESC LIMIT ?2) f \
                 UNION ALL \
                 SELECT meetings FROM (SELECT meetings FROM pair_meetings \
                     WHERE mode = 'in-person' AND second = ?1 ORDER BY meetings DESC LIMIT ?2) s \
                 ORDER BY meetings DESC LIMIT ?2) top",
            params![id, limit as i64],
            |r| r.get(0),
        )?;
        let Some(least) = least else {
            return Ok(Vec::new());
        };
        let mut stmt = self.conn.prepare_cached(
            "SELECT m.other, p.name, m.meetings FROM ( \
                 SELECT second AS other, meetings FROM pair_meetings \
                 WHERE mode = 'in-person' AND first = ?1 AND meetings >= ?3 \
                 UNION ALL \
                 SELECT first, meetings FROM pair_meetings \
                 WHERE mode = 'in-person' AND second = ?1 AND meetings >= ?3) m \
             JOIN person p ON p.id = m.other \
             ORDER BY m.meetings DESC, p.name_key LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![id, limit as i64, least], |r| {
            Ok(MetMost {
                person_id: r.get(0)?,
                name: r.get(1)?,
                face_to_face: super::count_column(r, 2)?,
            })
        })?;
        Ok(rows.collect::<db::Result<_>>()?)
    }

    /// The one person `id` met face to face most often, the first by name among equals: the
    /// highest count on either side of the person's pairs is the top of an index, and only the
    /// pairs with that count are read, not every partner.
    pub fn met_most_of_all(&self, id: i64) -> Result<Option<(i64, String)>> {
        let most: Option<i64> = self.conn.query_row(
            "SELECT max(m) FROM ( \
                 SELECT max(meetings) AS m FROM pair_meetings WHERE mode = 'in-person' AND first = ?1 \
                 UNION ALL \
                 SELECT max(meetings) FROM pair_meetings WHERE mode = 'in-person' AND second = ?1) t",
            params![id],
            |r| r.get(0),
        )?;
        let Some(most) = most else {
            return Ok(None);
        };
        Ok(self
            .conn
            .query_row(
                "SELECT m.other, p.name FROM ( \
                     SELECT second AS other FROM pair_meetings \
                     WHERE mode = 'in-person' AND first = ?1 AND meetings = ?2 \
                     UNION ALL \
                     SELECT first FROM pair_meetings \
                     WHERE mode = 'in-person' AND second = ?1 AND meetings = ?2) m \
                 JOIN person p ON p.id = m.other ORDER BY p.name_key LIMIT 1",
                params![id, most],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }

    /// Everyone, by name, with how many events they took part in and when they were last seen.
    pub fn people(&self) -> Result<Vec<PersonSummary>> {
        let mut titles = self.titles()?;
        let mut names = self.kinds_of_names()?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, name, country, notes, events, last_seen, short_name FROM person \
             ORDER BY name_key",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                Person {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    country: country_column(r, 2)?,
                    notes: r.get(3)?,
                    short_name: r.get(6)?,
                    ..Person::default()
                },
                super::count_column(r, 4)?,
                r.get::<Option<NaiveDate>>(5)?,
            ))
        })?;
        let mut people = Vec::new();
        for row in rows {
            let (mut person, events, last_seen) = row?;
            person.titles = titles.remove(&person.id).unwrap_or_default();
            (person.native_names, person.aliases) = names.remove(&person.id).unwrap_or_default();
            people.push(PersonSummary {
                person,
                events,
                last_seen,
            });
        }
        Ok(people)
    }

    /// Everyone's label, told apart from everyone else's (`names::Labels`): one pass over the
    /// people, not their events.
    pub fn labels(&self) -> Result<Labels> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, name, short_name FROM person")?;
        let rows = stmt
            .query_map([], |r| {
                Ok((r.get::<i64>(0)?, r.get::<String>(1)?, r.get::<String>(2)?))
            })?
            .collect::<db::Result<Vec<_>>>()?;
        Ok(Labels::new(rows.iter().map(|(id, name, short)| {
            (*id, name.as_str(), short.as_str())
        })))
    }

    /// A person's events in timeline order, with every participant of each: enough to count
    /// the ordinal of any meeting the person was in.
    pub fn person_history(&self, id: i64) -> Result<Vec<Event>> {
        self.events_with_all(&[id])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn people() -> Vec<Candidate> {
        [
            (1, "Vladimir Putin", "Владимир Путин"),
            (2, "Steve Witkoff", "Стив Уиткофф"),
            (3, "Sergey Lavrov", ""),
            (4, "Sergey Beseda", ""),
            (5, "Donald Trump", ""),
            (6, "Dan Driscoll", ""),
        ]
        .into_iter()
        .map(|(id, n, native)| {
            let others = if native.is_empty() {
                Vec::new()
            } else {
                vec![native.to_string()]
            };
            (id, n.to_string(), others)
        })
        .collect()
    }

    #[test]
    fn full_name_surname_prefix_and_native_script() {
        let p = people();
        assert_eq!(match_person("vladimir putin", &p), PersonMatch::Found(1));
        assert_eq!(match_person("WITKOFF", &p), PersonMatch::Found(2));
        assert_eq!(match_person("lav", &p), PersonMatch::Found(3));
        assert_eq!(match_person("путин", &p), PersonMatch::Found(1));
        assert_eq!(
            match_person("  Steve   Witkoff ", &p),
            PersonMatch::Found(2)
        );
    }

    #[test]
    fn ambiguous_names_list_the_candidates() {
        let p = people();
        assert_eq!(
            match_person("sergey", &p),
            PersonMatch::Ambiguous(vec!["Sergey Beseda".into(), "Sergey Lavrov".into()])
        );
        assert_eq!(
            match_person("d", &p),
            PersonMatch::Ambiguous(vec!["Dan Driscoll".into(), "Donald Trump".into()])
        );
    }

    #[test]
    fn unknown_names_suggest_the_closest() {
        let p = people();
        assert_eq!(
            match_person("Witkopf", &p),
            PersonMatch::Unknown {
                suggestion: Some("Steve Witkoff".into())
            }
        );
        assert_eq!(
            match_person("Zelensky", &p),
            PersonMatch::Unknown { suggestion: None }
        );
        assert_eq!(
            match_person("  ", &p),
            PersonMatch::Unknown { suggestion: None }
        );
    }

    #[test]
    fn an_exact_name_beats_a_prefix_of_another() {
        let p: Vec<Candidate> = vec![
            (1, "Ann Lee".into(), Vec::new()),
            (2, "Ann Leeds".into(), Vec::new()),
        ];
        assert_eq!(match_person("ann lee", &p), PersonMatch::Found(1));
        assert_eq!(match_person("lee", &p), PersonMatch::Found(1));
    }
}
