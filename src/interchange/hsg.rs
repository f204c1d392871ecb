//! The Office of the Historian's records (history.state.gov, public domain): the foreign
//! travels of the Presidents and Secretaries of State (`<trips>` files, one `<trip>` each
//! journey's stop) and the visits of foreign leaders to the United States (`<visits>` files).
//! The files are read whole (the largest is under 400 KB), turned into the drafts and people
//! the other imports make, and written through the same all-or-nothing import.

pub mod countries;
mod presidents;
pub mod remarks;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use uuid::Uuid;

use super::csv::Pass;
use super::{FileProblem, ImportError, ImportSummary, OnConflict};
use crate::domain::{
    Country, DraftParticipant, EventDraft, EventPlace, FuzzyDate, Kind, Person, Source, Title,
};
use crate::store::{Store, StoreError};
use remarks::Counterpart;

/// Who the events' source is.
pub const OUTLET: &str = "Office of the Historian";

const SITE: &str = "https://history.state.gov/departmenthistory";

/// What a run of `import` does.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReadOptions {
    pub dry_run: bool,
    pub on_conflict: OnConflict,
}

/// What was read, before anything is written: the events and the people in them.
#[derive(Debug, Default)]
struct Plan {
    events: Vec<Planned>,
    people: Vec<Person>,
}

/// One event to write, with the file and line of the row it comes from.
#[derive(Debug)]
struct Planned {
    location: String,
    draft: EventDraft,
}

/// Reads every trips and visits file at `paths` (files, or folders searched for them), then
/// imports them in one transaction: nothing is written when any row is refused, and a dry run
/// writes nothing at all. `progress` is told how many of the events each pass has done.
pub fn import(
    store: &mut Store,
    paths: &[PathBuf],
    options: ReadOptions,
    mut progress: impl FnMut(Pass, u64, u64),
) -> Result<ImportSummary, ImportError> {
    let plan = read(paths, options.dry_run)?;
    let total = u64::try_from(plan.events.len()).unwrap_or(u64::MAX);
    let mut problems = Vec::new();
    store.check_import(|check| -> Result<(), ImportError> {
        for (done, planned) in (1..).zip(&plan.events) {
            progress(Pass::Checking, done, total);
            match check.record(&planned.draft, options.on_conflict) {
                Ok(()) => {}
                Err(StoreError::Invalid(invalid)) => {
                    problems.push(FileProblem {
                        location: planned.location.clone(),
                        problem: invalid.to_string(),
                    });
                    if !options.dry_run {
                        break;
                    }
                }
                Err(other) => return Err(other.into()),
            }
        }
        Ok(())
    })?;
    refuse_problems(problems, options.dry_run)?;
    let label = paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let (mut summary, new_people) = store.import(
        !options.dry_run,
        &format!("import of {}", super::file_name(&label)),
        |importer| {
            for person in &plan.people {
                importer.person(person)?;
            }
            let mut summary = ImportSummary::default();
            for (done, planned) in (1..).zip(&plan.events) {
                progress(Pass::Writing, done, total);
                importer.progress(done, total);
                match importer.record(&planned.draft, options.on_conflict) {
                    Ok(outcome) => summary.count(outcome),
                    Err(StoreError::Invalid(invalid)) => {
                        return Err(ImportError::Problem(FileProblem {
                            location: planned.location.clone(),
                            problem: invalid.to_string(),
                        }));
                    }
                    Err(other) => return Err(other.into()),
                }
            }
            importer.what = summary.log_line(&label);
            Ok::<_, ImportError>(summary)
        },
    )?;
    summary.new_people = new_people;
    Ok(summary)
}

fn refuse_problems(mut problems: Vec<FileProblem>, dry_run: bool) -> Result<(), ImportError> {
    if problems.is_empty() {
        return Ok(());
    }
    if dry_run {
        return Err(ImportError::Problems(problems));
    }
    Err(ImportError::Problem(problems.swap_remove(0)))
}

/// Reads the files at `paths` into the events and people to write, refusing every row that
/// cannot be placed (all of them in a dry run, else the first) with its file and line.
fn read(paths: &[PathBuf], dry_run: bool) -> Result<Plan, ImportError> {
    let mut files = Vec::new();
    for path in paths {
        gather(path, true, &mut files)?;
    }
    let mut problems = Vec::new();
    let mut trips = Vec::new();
    let mut visits = Vec::new();
    for (path, explicit) in &files {
        let label = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| ImportError::Unreadable {
            path: label.clone(),
            reason: e.to_string(),
        })?;
        let document = match roxmltree::Document::parse(&text) {
            Ok(document) => document,
            Err(error) => {
                problems.push(FileProblem {
                    location: format!("{label}:{}", error.pos().row),
                    problem: format!("not well-formed XML: {error}"),
                });
                continue;
            }
        };
        let root = document.root_element();
        match root.tag_name().name() {
            "trips" => read_rows(&document, &label, "trip", &mut problems, |row| {
                trips.push(Trip::read(row)?);
                Ok(())
            }),
            "visits" => read_rows(&document, &label, "visit", &mut problems, |row| {
                visits.push(Visit::read(row)?);
                Ok(())
            }),
            // A clone holds other XML (build files, the list of Presidents): a folder is
            // searched for the two kinds, a file named on its own must be one of them.
            other if *explicit => problems.push(FileProblem {
                location: format!("{label}:{}", line(&document, root)),
                problem: format!(
                    "<{other}>: not an Office of the Historian travels or visits file (their root element is <trips> or <visits>)"
                ),
            }),
            _ => {}
        }
    }
    if files.iter().all(|(_, explicit)| !explicit) && trips.is_empty() && visits.is_empty() {
        let named = paths
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ");
        problems.push(FileProblem {
            location: named,
            problem: "no travels (<trips>) or visits (<visits>) files found".to_string(),
        });
    }
    refuse_problems(problems, dry_run)?;
    // Travellers and hosts are on the side of the United States.
    let us = Country::parse("US").map_err(|reason| {
        ImportError::Problem(FileProblem {
            location: "US".to_string(),
            problem: reason,
        })
    })?;
    let plan = Planner::default().plan(trips, visits, &us);
    let problems: Vec<FileProblem> = plan
        .events
        .iter()
        .filter_map(|planned| {
            planned.draft.validate().err().map(|invalid| FileProblem {
                location: planned.location.clone(),
                problem: invalid.to_string(),
            })
        })
        .collect();
    refuse_problems(problems, dry_run)?;
    Ok(plan)
}

/// Adds the XML files at `path` to `files`: the path itself when it is a file (`explicit`),
/// else every `.xml` file under it, in name order, hidden folders (`.git`) left out.
fn gather(
    path: &Path,
    explicit: bool,
    files: &mut Vec<(PathBuf, bool)>,
) -> Result<(), ImportError> {
    let unreadable = |e: std::io::Error| ImportError::Unreadable {
        path: path.display().to_string(),
        reason: e.to_string(),
    };
    let metadata = std::fs::metadata(path).map_err(unreadable)?;
    if !metadata.is_dir() {
        if explicit
            || path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("xml"))
        {
            files.push((path.to_path_buf(), explicit));
        }
        return Ok(());
    }
    let mut entries = std::fs::read_dir(path)
        .map_err(unreadable)?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(unreadable)?;
    entries.sort();
    for entry in entries {
        let hidden = entry
            .file_name()
            .is_some_and(|name| name.to_string_lossy().starts_with('.'));
        if !hidden {
            gather(&entry, false, files)?;
        }
    }
    Ok(())
}

/// The line a node starts on, as an editor counts.
fn line(document: &roxmltree::Document, node: roxmltree::Node) -> u32 {
    document.text_pos_at(node.range().start).row
}

/// A row of a file, for reading its fields with the file and line they are at.
struct HsgRecord<'a, 'input> {
    document: &'a roxmltree::Document<'input>,
    node: roxmltree::Node<'a, 'input>,
    label: &'a str,
}

impl HsgRecord<'_, '_> {
    fn location(&self) -> String {
        format!("{}:{}", self.label, line(self.document, self.node))
    }

    fn problem(&self, at: roxmltree::Node, problem: String) -> FileProblem {
        FileProblem {
            location: format!("{}:{}", self.label, line(self.document, at)),
            problem,
        }
    }

    fn element(&self, name: &str) -> Result<roxmltree::Node<'_, '_>, FileProblem> {
        self.node
            .children()
            .find(|c| c.has_tag_name(name))
            .ok_or_else(|| self.problem(self.node, format!("<{}>: has no <{name}>", self.tag())))
    }

    fn tag(&self) -> &str {
        self.node.tag_name().name()
    }

    /// The text of a child element, its lines joined by single spaces.
    fn text(&self, name: &str) -> Result<String, FileProblem> {
        let element = self.element(name)?;
        let text: String = element
            .descendants()
            .filter(|n| n.is_text())
            .filter_map(|n| n.text())
            .collect();
        Ok(text.split_whitespace().collect::<Vec<_>>().join(" "))
    }

    fn date(&self, name: &str) -> Result<NaiveDate, FileProblem> {
        let text = self.text(name)?;
        text.parse().map_err(|_| {
            let at = self.element(name).map(|e| e.id());
            let node = at.ok().and_then(|id| self.document.get_node(id));
            self.problem(
                node.unwrap_or(self.node),
                format!("{name}: not a date YYYY-MM-DD ({text})"),
            )
        })
    }

    /// The country of the element `name` (`<country id="…">`, `<from id="…">`) on `day`.
    fn country(
        &self,
        name: &str,
        day: NaiveDate,
    ) -> Result<(String, String, Country), FileProblem> {
        let element = self.element(name)?;
        let id = element.attribute("id").unwrap_or("").trim().to_string();
        let text = self.text(name)?;
        match countries::code_of_id(&id, day) {
            Some(code) => Ok((id, text, code)),
            None => Err(self.problem(
                element,
                format!("{name}: country id \"{id}\" ({text}) is not one attache can place; nothing was dropped, the import is refused"),
            )),
        }
    }
}

fn read_rows<'a, 'input>(
    document: &'a roxmltree::Document<'input>,
    label: &'a str,
    tag: &str,
    problems: &mut Vec<FileProblem>,
    mut each: impl FnMut(&HsgRecord<'a, 'input>) -> Result<(), FileProblem>,
) {
    for node in document
        .root_element()
        .children()
        .filter(|n| n.is_element())
    {
        let row = HsgRecord {
            document,
            node,
            label,
        };
        if !node.has_tag_name(tag) {
            problems.push(row.problem(
                node,
                format!("<{}>: expected <{tag}>", node.tag_name().name()),
            ));
            continue;
        }
        if let Err(problem) = each(&row) {
            problems.push(problem);
        }
    }
}

/// Who travelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    President,
    Secretary,
}

impl Role {
    fn title(self) -> &'static str {
        match self {
            Role::President => "President",
            Role::Secretary => "Secretary of State",
        }
    }

    fn path(self) -> &'static str {
        match self {
            Role::President => "president",
            Role::Secretary => "secretary",
        }
    }
}

#[derive(Debug)]
struct Trip {
    location: String,
    id: String,
    role: Role,
    who: String,
    name: String,
    start: NaiveDate,
    end: NaiveDate,
    country_text: String,
    country: Country,
    locale: String,
    remarks: String,
}

impl Trip {
    fn read(row: &HsgRecord) -> Result<Trip, FileProblem> {
        let role = match row.node.attribute("role").unwrap_or("") {
            "president" => Role::President,
            "secretary" => Role::Secretary,
            other => {
                return Err(row.problem(
                    row.node,
                    format!("role: \"{other}\" is neither president nor secretary"),
                ));
            }
        };
        let start = row.date("start-date")?;
        let (_, country_text, country) = row.country("country", start)?;
        Ok(Trip {
            location: row.location(),
            id: row.text("id")?,
            role,
            who: row.node.attribute("who").unwrap_or("").to_string(),
            name: row.text("name")?,
            start,
            end: row.date("end-date")?,
            country_text,
            country,
            locale: row.text("locale")?,
            remarks: row.text("remarks")?,
        })
    }

    fn url(&self) -> String {
        format!("{SITE}/travels/{}/{}", self.role.path(), self.who)
    }

    fn place(&self) -> String {
        if self.locale.is_empty() {
            self.country_text.clone()
        } else {
            format!("{}, {}", self.locale, self.country_text)
        }
    }
}

#[derive(Debug)]
struct Visit {
    location: String,
    id: String,
    start: NaiveDate,
    end: NaiveDate,
    visitor: String,
    from_id: String,
    from_text: String,
    from: Country,
    description: String,
}

impl Visit {
    fn read(row: &HsgRecord) -> Result<Visit, FileProblem> {
        let start = row.date("start-date")?;
        let (from_id, from_text, from) = row.country("from", start)?;
        let visitor = row.text("visitor")?;
        if visitor.is_empty() {
            return Err(row.problem(row.node, "visitor: is empty".to_string()));
        }
        Ok(Visit {
            location: row.location(),
            id: row.text("id")?,
            start,
            end: row.date("end-date")?,
            visitor,
            from_id,
            from_text,
            from,
            description: row.text("description")?,
        })
    }
}

/// The people of an import, by name: the same name is the same person.
#[derive(Debug, Default)]
struct Planner {
    order: Vec<String>,
    people: HashMap<String, Known>,
}

#[derive(Debug, Default)]
struct Known {
    country: Option<Country>,
    /// Titles known in full (a President's terms).
    terms: Vec<Title>,
    /// Titles as the rows give them, on the days of the rows.
    seen: Vec<(NaiveDate, String)>,
}

impl Planner {
    fn know(&mut self, name: &str, country: &Country) -> &mut Known {
        if !self.people.contains_key(name) {
            self.order.push(name.to_string());
        }
        let known = self.people.entry(name.to_string()).or_default();
        if known.country.is_none() {
            known.country = Some(country.clone());
        }
        known
    }

    fn saw(&mut self, name: &str, country: &Country, title: &str, days: &[NaiveDate]) {
        let known = self.know(name, country);
        if !title.is_empty() {
            known
                .seen
                .extend(days.iter().map(|day| (*day, title.to_string())));
        }
    }

    fn plan(mut self, trips: Vec<Trip>, visits: Vec<Visit>, us: &Country) -> Plan {
        let mut events: Vec<Planned> = Vec::new();
        // The President's trips by country, for the Secretary who went with them.
        let mut presidential: HashMap<Country, Vec<(NaiveDate, NaiveDate, usize)>> = HashMap::new();
        let (presidents, secretaries): (Vec<Trip>, Vec<Trip>) =
            trips.into_iter().partition(|t| t.role == Role::President);
        let trips: Vec<&Trip> = presidents.iter().chain(&secretaries).collect();
        let mut named: Vec<Vec<Counterpart>> = trips
            .iter()
            .map(|trip| remarks::counterparts(&trip.remarks, &trip.country, trip.start))
            .collect();
        let days: Vec<NaiveDate> = trips.iter().map(|trip| trip.start).collect();
        place_at_home(&mut named, &days, &visits);
        for (trip, counterparts) in trips.into_iter().zip(named) {
            for c in &counterparts {
                self.saw(&c.name, &c.side, &c.title, &[trip.start, trip.end]);
            }
            let days = [trip.start, trip.end];
            match trip.role {
                Role::President => {
                    let terms = presidents::titles(&trip.who);
                    let known = self.know(&trip.name, us);
                    if terms.is_empty() {
                        known.seen.extend(
                            days.iter()
                                .map(|d| (*d, Role::President.title().to_string())),
                        );
                    } else {
                        known.terms = terms;
                    }
                }
                Role::Secretary => self.saw(&trip.name, us, Role::Secretary.title(), &days),
            }
            if trip.role == Role::Secretary && remarks::accompanies_president(&trip.remarks) {
                let joined = presidential.get(&trip.country).and_then(|list| {
                    list.iter()
                        .find(|(start, end, _)| *start <= trip.end && trip.start <= *end)
                        .map(|(_, _, index)| *index)
                });
                if let Some(index) = joined {
                    join(&mut events[index].draft, trip, &counterparts, us);
                    continue;
                }
            }
            let index = events.len();
            events.push(Planned {
                location: trip.location.clone(),
                draft: trip_draft(trip, &counterparts, us),
            });
            if trip.role == Role::President {
                presidential
                    .entry(trip.country.clone())
                    .or_default()
                    .push((trip.start, trip.end, index));
            }
        }
        for visit in &visits {
            let draft = self.visit_draft(visit, us);
            events.push(Planned {
                location: visit.location.clone(),
                draft,
            });
        }
        let people = self
            .order
            .iter()
            .filter_map(|name| self.people.get(name).map(|known| (name, known)))
            .map(|(name, known)| Person {
                name: name.clone(),
                country: known.country.clone(),
                titles: if known.terms.is_empty() {
                    runs(&known.seen)
                } else {
                    known.terms.clone()
                },
                ..Person::default()
            })
            .collect();
        Plan { events, people }
    }

    fn visit_draft(&mut self, visit: &Visit, us: &Country) -> EventDraft {
        let days = [visit.start, visit.end];
        let mut participants: Vec<DraftParticipant> = Vec::new();
        for (title, name) in remarks::visitors(&visit.visitor) {
            self.saw(&name, &visit.from, &title, &days);
            // The first visitor heads the side; those who came with them as their office has it.
            let head = participants.is_empty() || remarks::heads_side(&title);
            if !participants
                .iter()
                .any(|p| p.name.eq_ignore_ascii_case(&name))
            {
                participants.push(DraftParticipant {
                    name,
                    side: visit.from.clone(),
                    head,
                });
            }
        }
        let host = match remarks::named_host(&visit.description, visit.start) {
            Some((title, host)) => {
                self.saw(&host, us, &title, &days);
                Some(host)
            }
            None => presidents::sitting(visit.start).map(|term| {
                let known = self.know(term.name, us);
                if known.terms.is_empty() {
                    known.terms = presidents::titles(term.who);
                }
                term.name.to_string()
            }),
        };
        if let Some(host) = host
            && !participants
                .iter()
                .any(|p| p.name.eq_ignore_ascii_case(&host))
        {
            participants.push(DraftParticipant {
                name: host,
                side: us.clone(),
                head: true,
            });
        }
        let mut draft = EventDraft::new(
            FuzzyDate::day(visit.start),
            &format!("Visit of {} ({})", visit.visitor, visit.from_text),
        );
        draft.uuid = Some(record_uuid("visits", &visit.id));
        draft.end_date = (visit.end != visit.start).then(|| FuzzyDate::day(visit.end));
        draft.kind = Kind::Visit;
        draft.place = EventPlace {
            city: String::new(),
            country: Some(us.clone()),
            venue: String::new(),
        };
        draft.notes = notes(&visit.description, "visits", &visit.id);
        draft.participants = participants;
        draft.sources = vec![source(format!("{SITE}/visits/{}", visit.from_id))];
        draft
    }
}

/// Moves an official whom the remarks place in the host's country only for want of saying
/// otherwise to the country that other rows of the ten years around say outright they are of
/// (by a nationality, "of Kuwait", or as a visitor from it): "Chairman Kim Jong-un" at the
/// DMZ, in South Korea, is the "North Korean leader Kim Jong-un" of other rows, "Prime Minister
/// Netanyahu" in Ramallah the "Israeli Prime Minister Netanyahu" of others. Where those rows
/// disagree (a family name of two countries), the official stays with the host.
fn place_at_home(named: &mut [Vec<Counterpart>], days: &[NaiveDate], visits: &[Visit]) {
    let mut homes: HashMap<String, Vec<(NaiveDate, Country)>> = HashMap::new();
    for (counterparts, day) in named.iter().zip(days) {
        for c in counterparts.iter().filter(|c| !c.by_host) {
            homes
                .entry(c.name.clone())
                .or_default()
                .push((*day, c.side.clone()));
        }
    }
    for visit in visits {
        for (_, name) in remarks::visitors(&visit.visitor) {
            homes
                .entry(name)
                .or_default()
                .push((visit.start, visit.from.clone()));
        }
    }
    for (counterparts, day) in named.iter_mut().zip(days) {
        for c in counterparts.iter_mut().filter(|c| c.by_host) {
            let Some(said) = homes.get(&c.name) else {
                continue;
            };
            let mut near = said
                .iter()
                .filter(|(when, _)| (*when - *day).num_days().abs() <= 3652)
                .map(|(_, country)| country);
            if let Some(home) = near.next()
                && near.all(|other| other == home)
                && home.code() != "US"
            {
                c.side = home.clone();
            }
        }
    }
}

/// A title held over the days it is seen with, one run for each stretch in which it does not
/// change: a Prime Minister who became President and then Prime Minister again has three.
fn runs(seen: &[(NaiveDate, String)]) -> Vec<Title> {
    let mut seen = seen.to_vec();
    seen.sort();
    let mut titles: Vec<Title> = Vec::new();
    for (day, title) in seen {
        match titles.last_mut() {
            Some(last) if last.title == title => last.until = Some(day),
            _ => titles.push(Title {
                title,
                from: Some(day),
                until: Some(day),
            }),
        }
    }
    titles
}

/// The id an event read from record `id` of `collection` always has, so that importing the
/// same files again finds it present.
fn record_uuid(collection: &str, id: &str) -> Uuid {
    Uuid::new_v5(
        &Uuid::NAMESPACE_URL,
        format!("{SITE}/{collection}#{id}").as_bytes(),
    )
}

fn source(url: String) -> Source {
    Source {
        outlet: OUTLET.to_string(),
        citing: String::new(),
        via: String::new(),
        url,
        published: None,
    }
}

fn notes(text: &str, collection: &str, id: &str) -> String {
    let record = format!("{OUTLET}, {collection} record {id}.");
    if text.is_empty() {
        record
    } else {
        format!("{text}\n{record}")
    }
}

fn trip_draft(trip: &Trip, counterparts: &[Counterpart], us: &Country) -> EventDraft {
    let stopover = counterparts.is_empty() && remarks::is_stopover(&trip.remarks);
    let title = if stopover {
        format!("{}: stopover in {}", trip.name, trip.place())
    } else {
        format!("{} in {}", trip.name, trip.place())
    };
    let mut draft = EventDraft::new(FuzzyDate::day(trip.start), &title);
    draft.uuid = Some(record_uuid("travels", &trip.id));
    draft.end_date = (trip.end != trip.start).then(|| FuzzyDate::day(trip.end));
    draft.kind = if stopover {
        Kind::Stopover
    } else {
        Kind::Visit
    };
    draft.place = EventPlace {
        city: trip.locale.clone(),
        country: Some(trip.country.clone()),
        venue: String::new(),
    };
    draft.notes = notes(&trip.remarks, "travels", &trip.id);
    draft.participants = vec![DraftParticipant {
        name: trip.name.clone(),
        side: us.clone(),
        head: true,
    }];
    add_counterparts(&mut draft, counterparts);
    draft.sources = vec![source(trip.url())];
    draft
}

/// Adds the Secretary who went with the President to the President's event: on the US side
/// (the President heads it), with the officials their remarks name, their remarks in the notes
/// and their page among the sources; the event spans both rows' days.
fn join(draft: &mut EventDraft, trip: &Trip, counterparts: &[Counterpart], us: &Country) {
    if !has_participant(draft, &trip.name) {
        draft.participants.push(DraftParticipant {
            name: trip.name.clone(),
            side: us.clone(),
            head: false,
        });
    }
    add_counterparts(draft, counterparts);
    let start = draft.date.first().min(trip.start);
    let end = draft
        .end_date
        .as_ref()
        .map_or(draft.date.last(), FuzzyDate::last)
        .max(trip.end);
    draft.date = FuzzyDate::day(start);
    draft.end_date = (end != start).then(|| FuzzyDate::day(end));
    draft.notes = format!(
        "{}\n{}: {}",
        draft.notes,
        trip.name,
        notes(&trip.remarks, "travels", &trip.id)
    );
    draft.sources.push(source(trip.url()));
    if draft.kind == Kind::Stopover && !counterparts.is_empty() {
        draft.kind = Kind::Visit;
    }
}

fn has_participant(draft: &EventDraft, name: &str) -> bool {
    draft
        .participants
        .iter()
        .any(|p| p.name.to_lowercase() == name.to_lowercase())
}

fn add_counterparts(draft: &mut EventDraft, counterparts: &[Counterpart]) {
    for c in counterparts {
        if !has_participant(draft, &c.name) {
            draft.participants.push(DraftParticipant {
                name: c.name.clone(),
                side: c.side.clone(),
                head: c.head,
            });
        }
    }
}
