//! People: finding them by the names users type, creating them, and summarising their records.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, Transaction, params};

use super::{Result, Store, StoreError, country_column};
use crate::domain::counting::surname;
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

/// A candidate for matching: id, name, native name.
pub(super) type Candidate = (i64, String, String);

pub fn name_key(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Matches `typed` against `people` case-insensitively: by full name (or native-script name),
/// then by surname, then by unique prefix of the name or of any word in it.
pub fn match_person(typed: &str, people: &[Candidate]) -> PersonMatch {
    let key = name_key(typed);
    if key.is_empty() {
        return PersonMatch::Unknown { suggestion: None };
    }
    let keys: Vec<(i64, &str, String, String)> = people
        .iter()
        .map(|(id, name, native)| (*id, name.as_str(), name_key(name), name_key(native)))
        .collect();
    type Stage = fn(&str, &str) -> bool;
    let stages: [Stage; 3] = [
        |full, key| full == key,
        |full, key| surname(full) == key,
        |full, key| full.starts_with(key) || full.split(' ').any(|w| w.starts_with(key)),
    ];
    for stage in stages {
        let mut found: Vec<(i64, &str)> = keys
            .iter()
            .filter(|(_, _, full, native)| {
                stage(full, &key) || (!native.is_empty() && stage(native, &key))
            })
            .map(|(id, name, _, _)| (*id, *name))
            .collect();
        found.dedup_by_key(|(id, _)| *id);
        match found.as_slice() {
            [] => continue,
            [(id, _)] => return PersonMatch::Found(*id),
            many => {
                let mut names: Vec<String> = many.iter().map(|(_, n)| n.to_string()).collect();
                names.sort();
                return PersonMatch::Ambiguous(names);
            }
        }
    }
    let suggestion = keys
        .iter()
        .map(|(_, name, full, _)| {
            let whole = strsim::jaro_winkler(&key, full);
            let last = strsim::jaro_winkler(&key, surname(full));
            (whole.max(last), *name)
        })
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, name)| name.to_string());
    PersonMatch::Unknown { suggestion }
}

fn all_candidates(conn: &rusqlite::Connection) -> Result<Vec<Candidate>> {
    let mut stmt = conn.prepare_cached("SELECT id, name, native_name FROM person ORDER BY id")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

fn exact(conn: &rusqlite::Connection, name: &str) -> Result<Option<Candidate>> {
    Ok(conn
        .prepare_cached("SELECT id, name, native_name FROM person WHERE name_key = ?")?
        .query_row([name_key(name)], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?)
}

fn resolve(
    conn: &rusqlite::Connection,
    name: &str,
) -> Result<std::result::Result<i64, StoreError>> {
    if let Some((id, _, _)) = exact(conn, name)? {
        return Ok(Ok(id));
    }
    let candidates = all_candidates(conn)?;
    Ok(match match_person(name, &candidates) {
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

/// Finds or creates the person a participant's name stands for: (id, name, native name).
pub(super) fn resolve_for_write(
    tx: &Transaction,
    name: &str,
    new_people: super::NewPeople,
    side: &Country,
) -> Result<Option<Candidate>> {
    use super::NewPeople;
    let found = match new_people {
        NewPeople::ExactOrCreate => exact(tx, name)?.map(|c| c.0).ok_or(None),
        NewPeople::Refuse | NewPeople::Create => match resolve(tx, name)? {
            Ok(id) => Ok(id),
            Err(StoreError::UnknownPerson { .. }) if new_people == NewPeople::Create => Err(None),
            Err(other) => Err(Some(other)),
        },
    };
    let id = match found {
        Ok(id) => id,
        Err(Some(error)) => return Err(error),
        Err(None) => create_person(tx, name, "", Some(side), &[])?,
    };
    Ok(tx
        .prepare_cached("SELECT id, name, native_name FROM person WHERE id = ?")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?)
}

/// Creates a person; the name must be new (ignoring case).
pub fn create_person(
    tx: &Transaction,
    name: &str,
    native_name: &str,
    country: Option<&Country>,
    titles: &[Title],
) -> Result<i64> {
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err(Invalid::new("name", &name, "must not be empty").into());
    }
    if exact(tx, &name)?.is_some() {
        return Err(Invalid::new("name", &name, "a person with this name exists").into());
    }
    tx.execute(
        "INSERT INTO person (name, name_key, native_name, country) VALUES (?, ?, ?, ?)",
        params![
            name,
            name_key(&name),
            native_name.trim(),
            country.map(Country::code)
        ],
    )?;
    let id = tx.last_insert_rowid();
    insert_titles(tx, id, titles)?;
    Ok(id)
}

fn insert_titles(tx: &Transaction, person_id: i64, titles: &[Title]) -> Result<()> {
    for (position, title) in titles.iter().enumerate() {
        tx.execute(
            "INSERT INTO person_title (person_id, position, title, from_date, until_date) VALUES (?, ?, ?, ?, ?)",
            params![person_id, position as i64, title.title.trim(), title.from, title.until],
        )?;
    }
    Ok(())
}

/// Fills in what is blank about a known person; what is recorded is never overwritten.
pub fn fill_in_person(
    tx: &Transaction,
    id: i64,
    native_name: &str,
    country: Option<&Country>,
    titles: &[Title],
) -> Result<()> {
    tx.execute(
        "UPDATE person SET native_name = ? WHERE id = ? AND native_name = ''",
        params![native_name.trim(), id],
    )?;
    tx.execute(
        "UPDATE person SET country = ? WHERE id = ? AND country IS NULL",
        params![country.map(Country::code), id],
    )?;
    let recorded: i64 = tx.query_row(
        "SELECT count(*) FROM person_title WHERE person_id = ?",
        [id],
        |r| r.get(0),
    )?;
    if recorded == 0 {
        insert_titles(tx, id, titles)?;
    }
    Ok(())
}

/// The id of the person with exactly this name (ignoring case), if any.
pub fn person_id_by_name(tx: &Transaction, name: &str) -> Result<Option<i64>> {
    Ok(exact(tx, name)?.map(|c| c.0))
}

impl Store {
    /// Finds the person a typed name means; an ambiguous or unknown name is an error that lists
    /// the candidates or suggests the closest name.
    pub fn resolve_person(&self, name: &str) -> Result<Person> {
        let id = resolve(&self.conn, name)??;
        self.person(id)
    }

    /// Everyone's id, name and native-script name: what names are completed and matched from.
    pub fn names(&self) -> Result<Vec<(i64, String, String)>> {
        all_candidates(&self.conn)
    }

    /// Each person's country, by name, for filling in a participant's side.
    pub fn countries_by_person(&self) -> Result<std::collections::HashMap<String, String>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT name, country FROM person WHERE country IS NOT NULL")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The country each city's events were most often held in, for filling in a place.
    pub fn countries_by_city(&self) -> Result<std::collections::HashMap<String, String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT city, country FROM event WHERE city <> '' AND country IS NOT NULL \
             GROUP BY city, country ORDER BY count(*)",
        )?;
        // The most frequent pair comes last and wins.
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn person(&self, id: i64) -> Result<Person> {
        let (name, native_name, country) = self.conn.query_row(
            "SELECT name, native_name, country FROM person WHERE id = ?",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, country_column(r, 2)?)),
        )?;
        let mut stmt = self.conn.prepare_cached(
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
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(Person {
            id,
            name,
            native_name,
            country,
            titles,
        })
    }

    fn titles(&self) -> Result<HashMap<i64, Vec<Title>>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT person_id, title, from_date, until_date FROM person_title ORDER BY person_id, position",
        )?;
        let mut titles: HashMap<i64, Vec<Title>> = HashMap::new();
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
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
    /// event that happened), most first: from the kept counts of the person's pairs. (Without
    /// `INDEXED BY` SQLite scans every pair of the mode for the second half.)
    pub fn met_most(&self, id: i64, limit: usize) -> Result<Vec<MetMost>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT m.other, p.name, m.meetings FROM ( \
                 SELECT second AS other, meetings FROM pair_meetings \
                 WHERE mode = 'in-person' AND first = ?1 \
                 UNION ALL \
                 SELECT first, meetings FROM pair_meetings INDEXED BY pair_meetings_second \
                 WHERE mode = 'in-person' AND second = ?1) m \
             JOIN person p ON p.id = m.other \
             ORDER BY m.meetings DESC, p.name_key LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![id, limit as i64], |r| {
            Ok(MetMost {
                person_id: r.get(0)?,
                name: r.get(1)?,
                face_to_face: super::count_column(r, 2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Everyone, by name, with how many events they took part in and when they were last seen.
    pub fn people(&self) -> Result<Vec<PersonSummary>> {
        let mut titles = self.titles()?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, name, native_name, country, events, last_seen FROM person ORDER BY name_key",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                Person {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    native_name: r.get(2)?,
                    country: country_column(r, 3)?,
                    titles: Vec::new(),
                },
                super::count_column(r, 4)?,
                r.get::<_, Option<NaiveDate>>(5)?,
            ))
        })?;
        let mut people = Vec::new();
        for row in rows {
            let (mut person, events, last_seen) = row?;
            person.titles = titles.remove(&person.id).unwrap_or_default();
            people.push(PersonSummary {
                person,
                events,
                last_seen,
            });
        }
        Ok(people)
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
        .map(|(id, n, native)| (id, n.to_string(), native.to_string()))
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
            (1, "Ann Lee".into(), "".into()),
            (2, "Ann Leeds".into(), "".into()),
        ];
        assert_eq!(match_person("ann lee", &p), PersonMatch::Found(1));
        assert_eq!(match_person("lee", &p), PersonMatch::Found(1));
    }
}
