//! `history` and `count`.

use std::collections::HashMap;
use std::io::Write;

use clap::Args;
use serde::Serialize;

use super::{Format, Result, ScopeArgs, check_role, keyword, table};
use crate::domain::counting::{self, Criteria, Rule, counterparts};
use crate::domain::series::Series;
use crate::domain::{Event, Mode, Person, Status};
use crate::report::Ordinals;
use crate::store::Store;

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Full name, surname, or a unique prefix; any case
    pub name: String,
    /// How to print it: an aligned table, CSV (as `export` writes it) or JSON
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("travel").args(["visits", "trips"])))]
#[command(group(clap::ArgGroup::new("place").args(["countries", "regions"]).multiple(true)))]
pub struct CountArgs {
    /// Two or more people for their meetings, one for --visits or --trips: full name,
    /// surname, or a unique prefix
    #[arg(required = true, num_args = 1.., value_name = "NAME")]
    pub names: Vec<String>,
    #[command(flatten)]
    pub scope: ScopeArgs,
    /// Count the person's visits to the places named: trips that include them, each counted
    /// once however many events it held there
    #[arg(long, requires = "place")]
    pub visits: bool,
    /// Count the person's trips away from home (those that include the places named, when
    /// some are)
    #[arg(long)]
    pub trips: bool,
    /// With --visits or --trips: a country (ISO 3166 code); repeat for any of several
    #[arg(long = "country", value_name = "CC", requires = "travel")]
    pub countries: Vec<String>,
    /// With --visits or --trips: a region (`attache regions` lists them), in any case
    #[arg(long = "region", value_name = "NAME", requires = "travel")]
    pub regions: Vec<String>,
    /// Count every in-person event all of them attended, not only those each headed a side in
    #[arg(long, conflicts_with = "travel")]
    pub any_role: bool,
    /// in-person, phone or video
    #[arg(long, default_value = "in-person", conflicts_with = "travel")]
    pub mode: String,
    /// How to print it: an aligned table, CSV (as `export` writes it) or JSON
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

impl CountArgs {
    /// Meetings need two people or more, travels one.
    pub fn check_usage(&self) -> std::result::Result<(), clap::Error> {
        use clap::CommandFactory;
        use clap::error::ErrorKind;
        let (kind, message) = match (self.visits || self.trips, self.names.len()) {
            (true, 1) | (false, 2..) => return Ok(()),
            (true, _) => (
                ErrorKind::TooManyValues,
                "--visits and --trips count one person's travels: name one person",
            ),
            (false, _) => (
                ErrorKind::TooFewValues,
                "a count of meetings names two or more people; add --visits or --trips to count \
                 one person's travels",
            ),
        };
        let mut command = super::Cli::command();
        // Built, the command's usage names the program: "attache count".
        command.build();
        let count = command
            .find_subcommand_mut("count")
            .expect("count is a command");
        Err(count.error(kind, message))
    }
}

#[derive(Serialize)]
struct HistoryEntry {
    number: i64,
    date: String,
    title: String,
    kind: String,
    mode: String,
    status: String,
    place: String,
    side: String,
    heads_side: bool,
    ordinals: Vec<String>,
    visit: Option<String>,
    /// The ordinals as the table's column says them, the whole record's scope left to the
    /// heading: "2nd meeting with Vladimir Putin; 2nd visit to Russia".
    #[serde(skip)]
    notes: Vec<String>,
}

#[derive(Serialize)]
struct CounterpartJson {
    name: String,
    face_to_face: usize,
    together: usize,
    last: String,
}

#[derive(Serialize)]
struct HistoryJson {
    name: String,
    native_name: String,
    country: Option<String>,
    titles: Vec<crate::domain::Title>,
    events: Vec<HistoryEntry>,
    counterparts: Vec<CounterpartJson>,
}

fn entries(store: &Store, person: &Person, history: &[Event]) -> Result<Vec<HistoryEntry>> {
    let mut ordinals = Ordinals::new(store, super::DATES);
    ordinals.read(history)?;
    history
        .iter()
        .map(|event| {
            let mine = event.participants.iter().find(|p| p.person_id == person.id);
            let visit = ordinals.visit(event, person)?;
            Ok(HistoryEntry {
                number: event.id,
                date: event.date.to_string(),
                title: event.title.clone(),
                kind: event.kind.to_string(),
                mode: event.mode.to_string(),
                status: event.status.to_string(),
                place: event.place.short(),
                side: mine.map(|p| p.side.to_string()).unwrap_or_default(),
                heads_side: event.heads_side(person.id),
                ordinals: ordinals
                    .person_lines(event, person.id)?
                    .into_iter()
                    .map(|l| l.sentence)
                    .collect(),
                visit,
                notes: ordinals.history_notes(event, person)?,
            })
        })
        .collect()
}

pub fn history(store: &Store, args: &HistoryArgs, out: &mut dyn Write) -> Result<()> {
    let person = store.resolve_person(&args.name)?;
    let history = store.person_history(person.id)?;
    let entries = entries(store, &person, &history)?;
    let met = counterparts(&history, person.id);
    match args.format {
        Format::Json => {
            let json = HistoryJson {
                name: person.name.clone(),
                native_name: person.native_name().to_string(),
                country: person.country.as_ref().map(|c| c.to_string()),
                titles: person.titles.clone(),
                events: entries,
                counterparts: met
                    .iter()
                    .map(|c| CounterpartJson {
                        name: c.name.clone(),
                        face_to_face: c.face_to_face,
                        together: c.together,
                        last: c.last.to_string(),
                    })
                    .collect(),
            };
            writeln!(out, "{}", serde_json::to_string_pretty(&json)?)?;
        }
        Format::Csv => {
            crate::interchange::csv::export_history(store, person.id, out, Default::default())?;
        }
        Format::Table => {
            let mut heading = person.name.clone();
            if !person.native_name().is_empty() {
                heading.push_str(&format!(" ({})", person.native_name()));
            }
            if let Some(country) = &person.country {
                heading.push_str(&format!(", {country}"));
            }
            writeln!(out, "{heading}")?;
            let title = person.current_title();
            if !title.is_empty() {
                writeln!(out, "{title}")?;
            }
            let in_person = history
                .iter()
                .filter(|e| e.mode == Mode::InPerson && e.status.happened())
                .count();
            writeln!(
                out,
                "{} events, {in_person} of them in person{}\n",
                history.len(),
                history
                    .last()
                    .map(|e| format!("; last seen {}", e.date.display(super::DATES)))
                    .unwrap_or_default()
            )?;
            let rows: Vec<Vec<String>> = history
                .iter()
                .zip(&entries)
                .map(|(event, entry)| {
                    vec![
                        event.id.to_string(),
                        event.date.display(super::DATES),
                        event.title.clone(),
                        event.place.short(),
                        entry.notes.join("; "),
                    ]
                })
                .collect();
            out.write_all(
                table::render(
                    &[
                        "#",
                        "DATE",
                        "TITLE",
                        "PLACE",
                        crate::report::HISTORY_ORDINALS,
                    ],
                    &rows,
                )
                .as_bytes(),
            )?;
            let top: Vec<String> = met
                .iter()
                .filter(|c| c.face_to_face > 0)
                .take(8)
                .map(|c| format!("{} ×{}", c.name, c.face_to_face))
                .collect();
            if !top.is_empty() {
                writeln!(out, "\nMost frequent counterparts: {}", top.join(" · "))?;
            }
        }
    }
    Ok(())
}

#[derive(Serialize)]
struct MeetingJson {
    ordinal: String,
    /// "counting the reported meeting of 11 Feb 2025": what the ordinal rests on that is only
    /// reported.
    #[serde(skip_serializing_if = "Option::is_none")]
    reported: Option<String>,
    number: i64,
    id: String,
    date: String,
    place: String,
    city: String,
    country: Option<String>,
    venue: String,
    title: String,
}

#[derive(Serialize)]
struct CountJson {
    count: usize,
    people: Vec<String>,
    mode: String,
    any_role: bool,
    since: Option<String>,
    until: Option<String>,
    role: Option<String>,
    meetings: Vec<MeetingJson>,
    planned: Vec<MeetingJson>,
}

pub fn count(store: &Store, args: &CountArgs, out: &mut dyn Write) -> Result<()> {
    let mut scope = args.scope.scope()?;
    if args.visits || args.trips {
        let person = store.resolve_person(&args.names[0])?;
        check_role(&mut scope, &person)?;
        return super::travels::count(store, args, &person, &scope, out);
    }
    let mut people: Vec<Person> = Vec::new();
    for name in &args.names {
        let person = store.resolve_person(name)?;
        if people.iter().any(|p| p.id == person.id) {
            refuse!("{name}: names the same person twice ({})", person.name);
        }
        people.push(person);
    }
    // A role is the first named person's: "Blinken's meetings with Wang Yi as Secretary".
    check_role(&mut scope, &people[0])?;
    let subject_titles = &people[0].titles;
    let criteria = Criteria {
        mode: keyword::<Mode>("--mode", &args.mode)?,
        rule: if args.any_role {
            Rule::AnyRole
        } else {
            Rule::Heads
        },
    };
    let ids: Vec<i64> = people.iter().map(|p| p.id).collect();
    let mut named: Vec<(i64, String)> = people.iter().map(|p| (p.id, p.name.clone())).collect();
    if args.names.len() == 2 {
        counting::sort_by_surname(&mut named, |(_, n)| n);
    }
    let names: Vec<&str> = named.iter().map(|(_, n)| n.as_str()).collect();
    // What is known from before the record has no dates to scope: it counts only in a count
    // from the beginning, by any title.
    let from_the_beginning = scope.since.is_none() && scope.role.is_none();
    // A pair of heads has a kept series: read only its events and their kept places. Counts by
    // any role, or among three or more, are counted from the events all of them attended.
    let mut prior = None;
    let (history, mut phrases) = match (criteria.rule, ids.as_slice()) {
        (Rule::Heads, [a, b]) => {
            let series = Series::meetings(criteria.mode, *a, *b);
            prior = store
                .priors()?
                .remove(&series)
                .filter(|_| from_the_beginning);
            let numbers: Vec<i64> = store
                .series_events(&series, scope.until)?
                .into_iter()
                .map(|(id, _)| id)
                .collect();
            let places = store.kept_places(&numbers)?;
            let phrases: HashMap<i64, String> = places
                .into_iter()
                .filter_map(|(id, kept)| {
                    let place = kept.into_iter().find(|p| p.series == series)?;
                    let scoped = crate::domain::prior::scoped(
                        place.ordinal,
                        prior.as_ref(),
                        &crate::domain::scope::Scope::default(),
                        super::DATES,
                    );
                    Some((id, scoped.ordinal.phrase()))
                })
                .collect();
            (store.events(&numbers)?, phrases)
        }
        _ => {
            let history = store.events_to_count(&ids)?;
            let phrases = counting::places(&history, &ids, criteria)
                .into_iter()
                .map(|(id, place)| (id, place.ordinal.phrase()))
                .collect();
            (history, phrases)
        }
    };
    if !from_the_beginning {
        // Numbered again within the scope: "the 8th since 7 Oct 2023". A scope that only ends
        // keeps the record's numbers: what it leaves out all comes after.
        phrases = counting::scoped_places(&history, &ids, criteria, &scope, subject_titles)
            .into_iter()
            .map(|(id, place)| (id, place.ordinal.phrase()))
            .collect();
    }
    let found = counting::meetings(&history, &ids, criteria, &scope, subject_titles);
    // Each ordinal says which earlier meetings it counts that are only reported.
    let mut reported_notes: HashMap<i64, String> = HashMap::new();
    let mut reported = Vec::new();
    for event in &found {
        if let Some(note) = crate::report::reported_phrase(criteria.mode, &reported, super::DATES) {
            reported_notes.insert(event.id, note);
        }
        if event.status == Status::Reported {
            reported.push(event.date);
        }
    }
    let planned: Vec<&Event> = history
        .iter()
        .filter(|e| e.status == Status::Planned && criteria.involves(e, &ids))
        .filter(|e| counting::within(e, &scope, subject_titles))
        .collect();
    let describe = |event: &Event| {
        let ordinal = phrases.get(&event.id).cloned().unwrap_or_default();
        MeetingJson {
            ordinal,
            reported: reported_notes.get(&event.id).cloned(),
            number: event.id,
            id: event.uuid.to_string(),
            date: event.date.to_string(),
            place: event.place.short(),
            city: event.place.city.clone(),
            country: event.place.country.as_ref().map(|c| c.to_string()),
            venue: event.place.venue.clone(),
            title: event.title.clone(),
        }
    };
    let meetings: Vec<MeetingJson> = found.iter().map(|e| describe(e)).collect();
    let planned: Vec<MeetingJson> = planned.iter().map(|e| describe(e)).collect();
    let noun = criteria.noun();
    match args.format {
        Format::Json => {
            let json = CountJson {
                count: meetings.len(),
                people: names.iter().map(|n| n.to_string()).collect(),
                mode: criteria.mode.to_string(),
                any_role: args.any_role,
                since: scope.since.map(|d| d.to_string()),
                until: scope.until.map(|d| d.to_string()),
                role: scope.role.clone(),
                meetings,
                planned,
            };
            writeln!(out, "{}", serde_json::to_string_pretty(&json)?)?;
        }
        Format::Csv => {
            let rows: Vec<Vec<String>> = meetings
                .iter()
                .map(|m| (m, ""))
                .chain(planned.iter().map(|m| (m, "planned")))
                .map(|(m, planned)| {
                    vec![
                        m.ordinal.clone(),
                        m.number.to_string(),
                        m.id.clone(),
                        m.date.clone(),
                        m.city.clone(),
                        m.country.clone().unwrap_or_default(),
                        m.venue.clone(),
                        m.title.clone(),
                        planned.to_string(),
                    ]
                })
                .collect();
            let header = [
                "ordinal", "number", "id", "date", "city", "country", "venue", "title", "planned",
            ];
            crate::interchange::csv::write_table(out, &header, &rows)?;
        }
        Format::Table => {
            let plural = if meetings.len() == 1 {
                noun.to_string()
            } else {
                plural_noun(noun)
            };
            let mut heading = format!(
                "{} {plural} between {}",
                meetings.len(),
                counting::join_names(&names)
            );
            heading.push_str(&scope.phrase(super::DATES));
            match &prior {
                Some(prior) if prior.count().count == 0 => {}
                Some(prior) => heading.push_str(&format!(
                    " in this record; {} counting {} before it",
                    meetings.len() + prior.count().count,
                    prior.count().count
                )),
                None => heading.push_str(" in this record"),
            }
            writeln!(out, "{heading}")?;
            let rows = |list: &[MeetingJson]| -> Vec<Vec<String>> {
                list.iter()
                    .map(|m| {
                        let date = crate::domain::FuzzyDate::parse_iso(&m.date)
                            .map(|d| d.display(super::DATES))
                            .unwrap_or_else(|_| m.date.clone());
                        let ordinal = match &m.reported {
                            Some(note) => format!("{}, {note}", m.ordinal),
                            None => m.ordinal.clone(),
                        };
                        vec![
                            ordinal,
                            date,
                            m.place.clone(),
                            m.title.clone(),
                            format!("#{}", m.number),
                        ]
                    })
                    .collect()
            };
            if !meetings.is_empty() {
                out.write_all(table::align(&rows(&meetings)).as_bytes())?;
            }
            if !planned.is_empty() {
                writeln!(out, "\nPlanned (will be):")?;
                out.write_all(table::align(&rows(&planned)).as_bytes())?;
            }
        }
    }
    Ok(())
}

/// "face-to-face meetings", "phone calls", "in-person meetings (any role)".
fn plural_noun(noun: &str) -> String {
    match noun.split_once(" (") {
        Some((head, tail)) => format!("{head}s ({tail}"),
        None => format!("{noun}s"),
    }
}
