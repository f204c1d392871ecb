//! The JSON format: the full record (people with titles, events with participants and
//! sources), documented in `docs/json-format.md`. It is also the form of the bundled seed data.

use std::collections::BTreeSet;
use std::io::{Read, Write};

use serde::{Deserialize, Serialize};

use super::{EventRecord, ExportError, FileProblem, ImportError, ImportSummary, file_name};
use crate::domain::prior::{Prior, PriorCount};
use crate::domain::series::Series;
use crate::domain::text::excerpt;
use crate::domain::{Country, FuzzyDate, Invalid, Mode, Title};
use crate::report::Ordinals;
use crate::store::{self, EventFilter, Order, Store, StoreError};

/// The format's version, written as `"attache": 2`. Version 2 gives people several native
/// names, aliases and notes; version 1 files are read as they are.
pub const FORMAT_VERSION: u32 = 2;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    pub attache: u32,
    #[serde(default)]
    pub events: Vec<EventRecord>,
    #[serde(default)]
    pub people: Vec<PersonRecord>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub priors: Vec<PriorRecord>,
}

/// A prior count as files carry it: people by name.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PriorRecord {
    /// Two people (their meetings) or one (their visits to `country`).
    pub people: Vec<String>,
    /// "in-person", "phone", "video", or "visit".
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    pub count: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub place: String,
    #[serde(default)]
    pub sources: Vec<crate::domain::Source>,
    /// Counts other sources give that dispute this one, each with its sources.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub disputed: Vec<PriorCountRecord>,
}

/// A count that disputes a prior's, as files carry it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PriorCountRecord {
    pub count: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub place: String,
    #[serde(default)]
    pub sources: Vec<crate::domain::Source>,
}

impl PriorCountRecord {
    fn from_count(count: &PriorCount) -> Self {
        PriorCountRecord {
            count: count.count,
            last: count.last.map(|d| d.to_string()),
            place: count.place.clone(),
            sources: count.sources.clone(),
        }
    }

    fn to_count(&self) -> Result<PriorCount, Invalid> {
        let last = match &self.last {
            Some(date) => Some(
                FuzzyDate::parse_iso(date)
                    .map_err(|e| Invalid::new("last", date, &e.to_string()))?,
            ),
            None => None,
        };
        Ok(PriorCount {
            count: self.count,
            last,
            place: self.place.clone(),
            sources: self.sources.clone(),
        })
    }
}

impl PriorRecord {
    pub fn from_prior(store: &Store, prior: &Prior) -> Result<Self, StoreError> {
        let (kind, country) = match &prior.series {
            Series::Meetings { mode, .. } => (mode.as_str().to_string(), None),
            Series::Visits { country, .. } => ("visit".to_string(), Some(country.clone())),
        };
        let people = crate::report::series_names(store, &prior.series)?;
        let first = PriorCountRecord::from_count(prior.count());
        Ok(PriorRecord {
            people,
            kind,
            country,
            count: first.count,
            last: first.last,
            place: first.place,
            sources: first.sources,
            disputed: prior
                .disputed()
                .iter()
                .map(PriorCountRecord::from_count)
                .collect(),
        })
    }

    /// What can be checked before the people are known: everything but the names.
    fn check(&self) -> Result<(), Invalid> {
        let stand_ins: Vec<i64> = (1..).take(self.people.len()).collect();
        self.with_ids(&stand_ins)?.validate()
    }

    /// The prior count this record states, its people found by name (or another name of
    /// theirs).
    fn to_prior(&self, importer: &store::Importer) -> Result<Prior, StoreError> {
        let mut ids = Vec::new();
        for name in &self.people {
            match importer.person_id(name)? {
                Some(id) => ids.push(id),
                None => return Err(Invalid::new("people", name, "unknown person").into()),
            }
        }
        Ok(self.with_ids(&ids)?)
    }

    fn with_ids(&self, ids: &[i64]) -> Result<Prior, Invalid> {
        let series = match (self.kind.as_str(), ids, &self.country) {
            ("visit", [person], Some(country)) => Series::Visits {
                person: *person,
                country: Country::parse_field("country", country)?.code().to_string(),
            },
            (mode, [a, b], None) if a != b => {
                let mode: Mode = mode
                    .parse()
                    .map_err(|reason: String| Invalid::new("kind", mode, &reason))?;
                Series::meetings(mode, *a, *b)
            }
            _ => {
                return Err(Invalid::new(
                    "people",
                    &self.people.join(", "),
                    "a prior count names two people (meetings) or one with a country (visits)",
                ));
            }
        };
        let first = PriorCountRecord {
            count: self.count,
            last: self.last.clone(),
            place: self.place.clone(),
            sources: self.sources.clone(),
        };
        let mut prior = Prior::new(series, first.to_count()?);
        for other in &self.disputed {
            prior.counts.push(other.to_count()?);
        }
        Ok(prior)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PersonRecord {
    pub name: String,
    /// One native-script name, as files of format version 1 give it; read, never written.
    #[serde(default, skip_serializing)]
    pub native_name: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub native_names: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// The short name set for labels; absent when labels use the family name.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub short_name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub country: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub titles: Vec<Title>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
}

/// Writes the events that `filter` selects, then the people in them (or everyone, when the
/// filter selects everything), a page at a time.
pub fn export(
    store: &Store,
    filter: &EventFilter,
    out: &mut dyn Write,
) -> Result<usize, ExportError> {
    let mut ordinals = Ordinals::new(store, super::FILE_DATES);
    let mut people = BTreeSet::new();
    write!(out, "{{\n  \"attache\": {FORMAT_VERSION},\n  \"events\": [")?;
    let mut first = true;
    let count =
        ordinals.for_each_event::<ExportError>(filter, Order::OldestFirst, |event, ordinals| {
            let mut record = EventRecord::from_event(event, ordinals.sentences(event)?);
            record.trip = store.trip_link_name(event.id)?.to_string();
            people.extend(event.participants.iter().map(|p| p.person_id));
            write!(out, "{}\n    ", if first { "" } else { "," })?;
            first = false;
            write_indented(out, &record, "    ")?;
            Ok(())
        })?;
    write!(
        out,
        "{}],\n  \"people\": [",
        if first { "" } else { "\n  " }
    )?;
    let everyone = *filter == EventFilter::default();
    let mut first = true;
    for summary in store.people()? {
        if !everyone && !people.contains(&summary.person.id) {
            continue;
        }
        let p = summary.person;
        let record = PersonRecord {
            name: p.name,
            native_name: String::new(),
            native_names: p.native_names,
            aliases: p.aliases,
            short_name: p.short_name,
            country: p.country.map(|c| c.to_string()).unwrap_or_default(),
            titles: p.titles,
            notes: p.notes,
        };
        write!(out, "{}\n    ", if first { "" } else { "," })?;
        first = false;
        write_indented(out, &record, "    ")?;
    }
    write!(out, "{}]", if first { "" } else { "\n  " })?;
    // The prior counts of the people exported, in a stable order.
    let priors: Vec<Prior> = store
        .priors()?
        .into_values()
        .filter(|p| {
            everyone
                || match &p.series {
                    Series::Meetings { first, second, .. } => {
                        people.contains(first) && people.contains(second)
                    }
                    Series::Visits { person, .. } => people.contains(person),
                }
        })
        .collect();
    let mut records = priors
        .iter()
        .map(|p| PriorRecord::from_prior(store, p))
        .collect::<Result<Vec<_>, _>>()?;
    records.sort_by(|a, b| (&a.people, &a.kind, &a.country).cmp(&(&b.people, &b.kind, &b.country)));
    if !records.is_empty() {
        write!(out, ",\n  \"priors\": [")?;
        for (i, record) in records.iter().enumerate() {
            write!(out, "{}\n    ", if i == 0 { "" } else { "," })?;
            write_indented(out, record, "    ")?;
        }
        write!(out, "\n  ]")?;
    }
    writeln!(out, "\n}}")?;
    Ok(count)
}

fn write_indented(
    out: &mut dyn Write,
    value: &impl Serialize,
    indent: &str,
) -> std::io::Result<()> {
    let text = serde_json::to_string_pretty(value)?;
    let mut lines = text.lines();
    if let Some(first) = lines.next() {
        out.write_all(first.as_bytes())?;
    }
    for line in lines {
        write!(out, "\n{indent}{line}")?;
    }
    Ok(())
}

/// Reads a JSON document into the store in one transaction: people first (a known person's
/// The largest JSON file imported: a document is parsed whole, using a few times its size in
/// memory.
pub const MAX_BYTES: u64 = 256 << 20;

/// blank fields are filled in, nothing is overwritten), then events, skipping those present.
pub fn import(
    store: &mut Store,
    input: impl Read,
    label: &str,
    dry_run: bool,
    on_conflict: super::OnConflict,
    allow_duplicates: bool,
) -> Result<ImportSummary, ImportError> {
    let document: Document = serde_json::from_reader(input).map_err(|e| {
        ImportError::Problem(FileProblem {
            location: format!("{label}:{}", e.line()),
            problem: format!("not a valid attache JSON file: {e}"),
        })
    })?;
    if document.attache > FORMAT_VERSION {
        return Err(ImportError::Problem(FileProblem {
            location: label.to_string(),
            problem: format!(
                "written in JSON format version {} by a newer attache; this version reads up to {FORMAT_VERSION}",
                document.attache
            ),
        }));
    }
    // Everything is checked first, reading only, so that a bad file is refused without ever
    // keeping another program from writing.
    let mut problems = Vec::new();
    let mut duplicates = Vec::new();
    let event_at = |i: usize| {
        let title = document.events.get(i).map_or("", |e| e.title.as_str());
        format!("events[{i}] ({})", excerpt(title))
    };
    store.check_import(|check| -> Result<(), ImportError> {
        let people = document.people.iter().enumerate().map(|(i, person)| {
            let location = format!("{label}: people[{i}] ({})", excerpt(&person.name));
            (location, person.check().map_err(StoreError::from))
        });
        let events = document.events.iter().enumerate().map(|(i, record)| {
            let location = format!("{label}: {}", event_at(i));
            let checked = record
                .trip_link()
                .and_then(|_| record.to_draft())
                .map_err(StoreError::from)
                .and_then(|draft| {
                    if allow_duplicates {
                        return check.record(&draft, on_conflict);
                    }
                    let at = u64::try_from(i).unwrap_or(u64::MAX);
                    for duplicate in check.record_with_duplicates(&draft, on_conflict, at)? {
                        duplicates.push(super::duplicate_problem(
                            location.clone(),
                            &duplicate,
                            |other| event_at(usize::try_from(other).unwrap_or(usize::MAX)),
                        ));
                    }
                    Ok(())
                });
            (location, checked)
        });
        let priors = document.priors.iter().enumerate().map(|(i, prior)| {
            let location = format!("{label}: priors[{i}] ({})", prior.people.join(", "));
            (location, prior.check().map_err(StoreError::from))
        });
        for (location, checked) in people.chain(events).chain(priors) {
            // A refused value is the file's problem; a failing store is not, and says so as is.
            match checked {
                Ok(()) => {}
                Err(StoreError::Invalid(invalid)) => {
                    problems.push(FileProblem {
                        location,
                        problem: invalid.to_string(),
                    });
                    if !dry_run {
                        break;
                    }
                }
                Err(other) => return Err(other.into()),
            }
        }
        Ok(())
    })?;
    if !dry_run && let Some(first) = problems.pop() {
        return Err(ImportError::Problem(first));
    }
    if !problems.is_empty() {
        problems.extend(duplicates);
        return Err(ImportError::Problems(problems));
    }
    if !duplicates.is_empty() {
        return Err(ImportError::Duplicates(duplicates));
    }
    let total = u64::try_from(document.events.len()).unwrap_or(u64::MAX);
    let (mut summary, new_people) = store.import(
        !dry_run,
        &format!("import of {}", file_name(label)),
        |importer| {
            // The file was checked; what can still go wrong here is what another program wrote
            // meanwhile (an event with one of the file's ids).
            let refuse = |location: String, invalid: Invalid| {
                ImportError::Problem(FileProblem {
                    location,
                    problem: invalid.to_string(),
                })
            };
            for (i, person) in document.people.iter().enumerate() {
                let merged = person
                    .check()
                    .and_then(|()| person.to_person())
                    .map_err(StoreError::from)
                    .and_then(|person| importer.person(&person));
                match merged {
                    Ok(()) => {}
                    Err(StoreError::Invalid(invalid)) => {
                        return Err(refuse(
                            format!("{label}: people[{i}] ({})", excerpt(&person.name)),
                            invalid,
                        ));
                    }
                    Err(other) => return Err(other.into()),
                }
            }
            let mut summary = ImportSummary::default();
            for (i, record) in document.events.iter().enumerate() {
                importer.progress(u64::try_from(i).unwrap_or(u64::MAX), total);
                let location = || format!("{label}: events[{i}] ({})", excerpt(&record.title));
                let draft = record
                    .to_draft()
                    .map_err(|invalid| refuse(location(), invalid))?;
                let link = record
                    .trip_link()
                    .map_err(|invalid| refuse(location(), invalid))?;
                match importer.record_with_link(&draft, on_conflict, link) {
                    Ok(outcome) => summary.count(outcome),
                    Err(StoreError::Invalid(invalid)) => return Err(refuse(location(), invalid)),
                    Err(other) => return Err(other.into()),
                }
            }
            // A prior count on record is kept, as a person's recorded fields are.
            for (i, record) in document.priors.iter().enumerate() {
                let location = || format!("{label}: priors[{i}] ({})", record.people.join(", "));
                match record
                    .to_prior(importer)
                    .and_then(|prior| importer.prior(&prior))
                {
                    Ok(_) => {}
                    Err(StoreError::Invalid(invalid)) => return Err(refuse(location(), invalid)),
                    Err(other) => return Err(other.into()),
                }
            }
            importer.what = summary.log_line(label);
            Ok::<_, ImportError>(summary)
        },
    )?;
    summary.new_people = new_people;
    Ok(summary)
}

impl PersonRecord {
    fn to_person(&self) -> Result<crate::domain::Person, Invalid> {
        let country = match self.country.trim() {
            "" => None,
            code => Some(Country::parse_field("country", code)?),
        };
        let native_names = std::iter::once(&self.native_name)
            .chain(&self.native_names)
            .filter(|n| !n.trim().is_empty())
            .cloned()
            .collect();
        Ok(crate::domain::Person {
            id: 0,
            name: self.name.clone(),
            native_names,
            aliases: self.aliases.clone(),
            short_name: self.short_name.trim().to_string(),
            country,
            titles: self.titles.clone(),
            notes: self.notes.clone(),
        })
    }

    /// What a person's record must be to be read: a name, a known country, text without
    /// control characters.
    fn check(&self) -> Result<(), Invalid> {
        if self.name.trim().is_empty() {
            return Err(Invalid::new("name", &self.name, "must not be empty"));
        }
        if !self.country.trim().is_empty() {
            Country::parse_field("country", self.country.trim())?;
        }
        let texts = [("name", &self.name), ("native_name", &self.native_name)]
            .into_iter()
            .chain(self.native_names.iter().map(|n| ("native_names", n)))
            .chain(self.aliases.iter().map(|n| ("aliases", n)))
            .chain(std::iter::once(("short_name", &self.short_name)))
            .chain(self.titles.iter().map(|t| ("titles", &t.title)));
        for (field, text) in texts {
            crate::domain::text::check_input(field, text, false)?;
        }
        crate::domain::text::check_input("notes", &self.notes, true)?;
        Ok(())
    }
}
