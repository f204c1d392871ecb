//! `list`, `show` and `add`.

use std::io::Write;

use clap::Args;
use serde::Serialize;

use super::{CliError, FilterArgs, Format, Result, date_arg, keyword, table};
use crate::domain::duplicate::{self, Likeness};
use crate::domain::{Country, DraftParticipant, Event, EventDraft, EventPlace, Invalid};
use crate::interchange::EventRecord;
use crate::interchange::csv::{EventWriter, WriteOptions, decode_sources};
use crate::report::{self, ClaimGroup, CountCheck, Facts, Ordinals};
use crate::store::{NewPeople, Order, Store, StoreError};

#[derive(Debug, Args)]
pub struct ListArgs {
    #[command(flatten)]
    pub filter: FilterArgs,
    /// At most this many events
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// Newest first
    #[arg(long)]
    pub newest_first: bool,
    /// How to print it: an aligned table, CSV (as `export` writes it) or JSON
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The event's number (as in `list`), its UUID, or a unique prefix of the UUID
    pub id: String,
    /// How to print it: an aligned table, CSV (as `export` writes it) or JSON
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// When it happened: 2025-04-11, 2025-04 or 2025 (c. or circa for approximate)
    #[arg(long)]
    pub date: String,
    /// The last day, for events over several days
    #[arg(long, value_name = "DATE")]
    pub end_date: Option<String>,
    /// What happened, as a headline: "Witkoff meets Putin in St Petersburg"
    #[arg(long)]
    pub title: String,
    /// meeting, talks, visit, summit, call or other
    #[arg(long, default_value = "meeting")]
    pub kind: String,
    /// in-person, phone or video [default: phone for a call, else in-person]
    #[arg(long)]
    pub mode: Option<String>,
    /// planned, reported, confirmed or cancelled
    #[arg(long, default_value = "confirmed")]
    pub status: String,
    /// The city it was held in
    #[arg(long, default_value = "")]
    pub city: String,
    /// Where it was held (ISO 3166 code)
    #[arg(long, value_name = "CC")]
    pub country: Option<String>,
    /// Building or occasion: "Russian Consulate General, Istanbul"
    #[arg(long, default_value = "")]
    pub venue: String,
    /// Free notes: durations, who said what
    #[arg(long, default_value = "")]
    pub notes: String,
    /// "NAME:SIDE" or "NAME:SIDE:lead" for the head of the side's delegation; repeat
    #[arg(long = "participant", value_name = "NAME:SIDE[:lead]")]
    pub participants: Vec<String>,
    /// A side whose members were not named ("a Russian delegation"): its country code; repeat
    #[arg(long = "unnamed-side", value_name = "CC")]
    pub unnamed_sides: Vec<String>,
    /// "OUTLET[ citing WHOM][ <URL>]", as in "RIA citing the Kremlin <https://...>"; repeat
    #[arg(long = "source", value_name = "SOURCE")]
    pub sources: Vec<String>,
    /// A count a source published: "SOURCE: N KIND PEOPLE [to CC|REGION] [since DATE] [until
    /// DATE] [in YEAR] [as TITLE]", KIND meetings, phone calls, video calls (two people), visits
    /// or trips (one person, to a country code or a region), SOURCE one of --source by outlet:
    /// "Reuters: 8 visits Antony Blinken to IL since 2023-10-07"; a quoted wording may end it;
    /// repeat
    #[arg(long = "count-claim", value_name = "CLAIM")]
    pub count_claims: Vec<String>,
    /// Create people not yet on record instead of refusing their names
    #[arg(long)]
    pub create_people: bool,
    /// Add the event even when it is likely a duplicate of one on record (the same date,
    /// title and participants; or overlapping dates, the same heads or participants and the
    /// same city)
    #[arg(long)]
    pub allow_duplicate: bool,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Example:\n  attache edit 10 --venue \"Presidential Library\" --if-version 1"
)]
pub struct EditArgs {
    /// The event's number, UUID, or a unique prefix of its UUID
    pub id: String,
    /// Refuse (exit 1, nothing written) unless the event is still at this version (`show
    /// --format json` gives it)
    #[arg(long, value_name = "V")]
    pub if_version: Option<i64>,
    /// When it happened: 2025-04-11, 2025-04 or 2025 (c. or circa for approximate)
    #[arg(long)]
    pub date: Option<String>,
    /// The last day, for events over several days ("" removes it)
    #[arg(long, value_name = "DATE")]
    pub end_date: Option<String>,
    /// What happened, as a headline
    #[arg(long)]
    pub title: Option<String>,
    /// meeting, talks, visit, summit, call or other
    #[arg(long)]
    pub kind: Option<String>,
    /// in-person, phone or video
    #[arg(long)]
    pub mode: Option<String>,
    /// planned, reported, confirmed or cancelled
    #[arg(long)]
    pub status: Option<String>,
    /// The city it was held in
    #[arg(long)]
    pub city: Option<String>,
    /// Where it was held (ISO 3166 code; "" removes it)
    #[arg(long, value_name = "CC")]
    pub country: Option<String>,
    /// Building or occasion
    #[arg(long)]
    pub venue: Option<String>,
    /// Free notes; replace those recorded
    #[arg(long)]
    pub notes: Option<String>,
    /// "NAME:SIDE" or "NAME:SIDE:lead"; repeat; given, they replace every participant
    #[arg(long = "participant", value_name = "NAME:SIDE[:lead]")]
    pub participants: Vec<String>,
    /// A side whose members were not named; repeat; given, they replace those recorded
    #[arg(long = "unnamed-side", value_name = "CC")]
    pub unnamed_sides: Vec<String>,
    /// "OUTLET[ citing WHOM][ via SITE][ <URL>]"; repeat; given, they replace every source
    /// (and the claims that name sources keep their positions)
    #[arg(long = "source", value_name = "SOURCE")]
    pub sources: Vec<String>,
    /// Create people not yet on record instead of refusing their names
    #[arg(long)]
    pub create_people: bool,
    /// Save the change even when it makes the event likely a duplicate of another (overlapping
    /// dates, the same heads or participants, the same city)
    #[arg(long)]
    pub allow_duplicate: bool,
}

#[derive(Serialize)]
struct NumberedRecord {
    number: i64,
    #[serde(flatten)]
    record: EventRecord,
}

pub fn list(store: &Store, args: &ListArgs, out: &mut dyn Write) -> Result<()> {
    let filter = args.filter.to_filter(store)?;
    let order = if args.newest_first {
        Order::NewestFirst
    } else {
        Order::OldestFirst
    };
    let mut ordinals = Ordinals::new(store, super::DATES);
    let mut visit = |each: &mut dyn FnMut(&Event, &mut Ordinals) -> Result<()>| -> Result<()> {
        match args.limit {
            Some(limit) => {
                let events = store.events_page(&filter, order, 0, limit)?;
                ordinals.read(&events)?;
                for event in &events {
                    each(event, &mut ordinals)?;
                }
            }
            None => {
                ordinals.for_each_event(&filter, order, |event, ordinals| each(event, ordinals))?;
            }
        }
        Ok(())
    };
    match args.format {
        Format::Table => {
            let labels = store.labels()?;
            let header = ["#", "DATE", "KIND", "TITLE", "PLACE", "HEADS", "NTH"];
            let mut table = table::Streaming::new(&mut *out, &header);
            visit(&mut |event, ordinals| {
                let badge = ordinals.badge(event)?;
                table.row(vec![
                    event.id.to_string(),
                    event.date.display(super::DATES),
                    event.kind.to_string(),
                    event.title_with_status(),
                    event.place.short(),
                    report::heads_label(event, &labels),
                    badge,
                ])?;
                Ok(())
            })?;
            match table.finish()? {
                0 => writeln!(out, "no events match")?,
                1 => writeln!(out, "1 event")?,
                count => writeln!(out, "{} events", crate::interchange::thousands(count))?,
            }
        }
        Format::Csv => {
            let mut writer = EventWriter::new(&mut *out, WriteOptions::default())?;
            visit(&mut |event, ordinals| {
                writer.write(event, &ordinals.sentences(event)?.join("; "))?;
                Ok(())
            })?;
            writer.finish()?;
        }
        Format::Json => {
            write!(out, "[")?;
            let mut first = true;
            visit(&mut |event, ordinals| {
                let numbered = NumberedRecord {
                    number: event.id,
                    record: EventRecord::from_event(event, ordinals.sentences(event)?),
                };
                write!(
                    out,
                    "{}\n  {}",
                    if first { "" } else { "," },
                    serde_json::to_string(&numbered)?
                )?;
                first = false;
                Ok(())
            })?;
            writeln!(out, "{}]", if first { "" } else { "\n" })?;
        }
    }
    Ok(())
}

/// Finds an event by its number, its UUID, or a unique prefix of its UUID.
pub fn find_event(store: &Store, id: &str) -> Result<Event> {
    let id = id.trim().trim_start_matches('#');
    if let Ok(number) = id.parse::<i64>() {
        return Ok(store.event(number)?);
    }
    if let Ok(uuid) = uuid::Uuid::parse_str(id) {
        return match store.event_id_by_uuid(&uuid)? {
            Some(number) => Ok(store.event(number)?),
            None => Err(StoreError::NoSuchEvent(id.to_string()).into()),
        };
    }
    let hex = id.chars().all(|c| c.is_ascii_hexdigit() || c == '-');
    if !hex || id.len() < 4 {
        refuse!("id: expected an event number, a UUID or at least 4 characters of one ({id})");
    }
    match store.events_by_uuid_prefix(id, 4)?.as_slice() {
        [] => Err(StoreError::NoSuchEvent(id.to_string()).into()),
        [(number, _)] => Ok(store.event(*number)?),
        several => {
            let found: Vec<&str> = several.iter().map(|(_, uuid)| uuid.as_str()).collect();
            refuse!(
                "id: {id} begins more than one event's UUID ({}{}); give more of it",
                found.join(", "),
                if several.len() == 4 { ", …" } else { "" }
            )
        }
    }
}

#[derive(Serialize)]
struct OrdinalJson {
    people: Vec<String>,
    sentence: String,
    low: usize,
    high: usize,
    previous: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reported: Option<String>,
    /// Where the pair was together before in other roles: "together once before, 18 Feb
    /// 2025 in Riyadh".
    #[serde(skip_serializing_if = "Option::is_none")]
    together: Option<String>,
}

#[derive(Serialize)]
struct ShowJson {
    number: i64,
    /// Raised by every change; `edit` and `delete` take it as `--if-version`.
    version: i64,
    #[serde(flatten)]
    record: EventRecord,
    ordinal_details: Vec<OrdinalJson>,
    visits: Vec<String>,
    /// The trip each head was on, when away from home.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    trips: Vec<String>,
}

pub fn show(store: &Store, args: &ShowArgs, out: &mut dyn Write) -> Result<()> {
    let event = find_event(store, &args.id)?;
    write_event(store, &event, args.format, out)
}

fn visits(ordinals: &mut Ordinals, store: &Store, event: &Event) -> Result<Vec<String>> {
    let mut lines = Vec::new();
    for head in event.heads() {
        let person = store.person(head.person_id)?;
        lines.extend(ordinals.visit(event, &person)?);
    }
    Ok(lines)
}

pub fn write_event(
    store: &Store,
    event: &Event,
    format: Format,
    out: &mut dyn Write,
) -> Result<()> {
    // The table reads its own, as the detail does (`Facts`).
    let ordinal_lines = || -> Result<_> {
        let mut ordinals = Ordinals::new(store, super::DATES);
        let mut lines = ordinals.for_shown_event(event)?;
        ordinals.note_reported(event, &mut lines)?;
        Ok((ordinals, lines))
    };
    match format {
        Format::Json => {
            let (mut ordinals, lines) = ordinal_lines()?;
            let visits = visits(&mut ordinals, store, event)?;
            let trips = crate::report::trip_lines(store, event, super::DATES)?;
            let shown = ShowJson {
                number: event.id,
                version: event.version,
                record: EventRecord::from_event(
                    event,
                    crate::report::sentences_of(event, lines.clone(), visits.clone()),
                ),
                ordinal_details: lines
                    .iter()
                    .map(|l| OrdinalJson {
                        people: l.people.iter().map(|(_, n)| n.clone()).collect(),
                        sentence: l.sentence.clone(),
                        low: l.ordinal.low,
                        high: l.ordinal.high,
                        previous: l.previous.clone(),
                        reported: l.reported.clone(),
                        together: l.together.clone(),
                    })
                    .collect(),
                visits,
                trips,
            };
            writeln!(out, "{}", serde_json::to_string_pretty(&shown)?)?;
        }
        Format::Csv => {
            let (mut ordinals, lines) = ordinal_lines()?;
            let visits = visits(&mut ordinals, store, event)?;
            let mut writer = EventWriter::new(&mut *out, WriteOptions::default())?;
            let said = crate::report::sentences_of(event, lines, visits);
            writer.write(event, &said.join("; "))?;
            writer.finish()?;
        }
        Format::Table => {
            writeln!(out, "#{}  {}", event.id, event.title)?;
            let mut when = event.date.display_long(super::DATES);
            if let Some(end) = &event.end_date {
                when.push_str(&format!(" to {}", end.display_long(super::DATES)));
            }
            writeln!(out, "  Date     {when}")?;
            writeln!(
                out,
                "  Kind     {} · {} · {}",
                event.kind, event.mode, event.status
            )?;
            let place = event.place.with_venue(" · ");
            if !place.is_empty() {
                writeln!(out, "  Place    {place}")?;
            }
            writeln!(out, "  Id       {}", event.uuid)?;
            write_sides(store, event, out)?;
            let facts = Facts::of(store, event, super::DATES)?;
            let ordinals = (facts.ordinals.iter())
                .chain(&facts.firsts)
                .chain(&facts.visits);
            write_section(out, "Ordinals", ordinals.cloned())?;
            write_section(out, "Trips", facts.trips)?;
            let counts = facts.counts.iter().map(CountCheck::line);
            let claims = facts.claims.iter().map(ClaimGroup::line);
            write_section(out, "What the sources say", counts.chain(claims))?;
            let sources = facts.sources.into_iter().map(|(source, url)| match url {
                url if url.is_empty() => source,
                url => format!("{source} <{url}>"),
            });
            write_section(out, "Sources", sources)?;
            if !event.notes.trim().is_empty() {
                writeln!(out, "\nNotes")?;
                for line in event.notes.lines() {
                    writeln!(out, "  {line}")?;
                }
            }
        }
    }
    Ok(())
}

/// A heading and its lines, indented; nothing where there are none.
fn write_section(
    out: &mut dyn Write,
    heading: &str,
    lines: impl IntoIterator<Item = String>,
) -> Result<()> {
    let mut lines = lines.into_iter().peekable();
    if lines.peek().is_some() {
        writeln!(out, "\n{heading}")?;
    }
    for line in lines {
        writeln!(out, "  {line}")?;
    }
    Ok(())
}

fn write_sides(store: &Store, event: &Event, out: &mut dyn Write) -> Result<()> {
    if event.participants.is_empty() && event.unnamed_sides.is_empty() {
        return Ok(());
    }
    writeln!(out, "\nSides")?;
    let heads = event.heads();
    let mut sides: Vec<&Country> = Vec::new();
    for p in &event.participants {
        if !sides.contains(&&p.side) {
            sides.push(&p.side);
        }
    }
    let mut rows = Vec::new();
    for side in sides {
        let mut first = true;
        for p in event.participants.iter().filter(|p| &p.side == side) {
            let person = store.person(p.person_id)?;
            let head = heads.iter().any(|h| h.person_id == p.person_id);
            rows.push(vec![
                if first {
                    format!("  {side}")
                } else {
                    String::new()
                },
                format!("{}{}", p.name, if head { " (head)" } else { "" }),
                person.titles_on(event.date.first()),
            ]);
            first = false;
        }
    }
    for side in &event.unnamed_sides {
        rows.push(vec![
            format!("  {side}"),
            "delegation (members not named)".to_string(),
            String::new(),
        ]);
    }
    out.write_all(table::align(&rows).as_bytes())?;
    Ok(())
}

/// "Vladimir Putin:RU:lead" → name, side, head. The name may itself hold colons.
pub fn parse_participant(text: &str) -> std::result::Result<DraftParticipant, Invalid> {
    let mut parts: Vec<&str> = text.split(':').collect();
    let head = match parts.last() {
        Some(last) if ["lead", "head"].contains(&last.trim().to_lowercase().as_str()) => {
            parts.pop();
            true
        }
        _ => false,
    };
    let shape = || Invalid::new("participant", text, "expected NAME:SIDE or NAME:SIDE:lead");
    if parts.len() < 2 {
        return Err(shape());
    }
    let side = parts.pop().ok_or_else(shape)?.trim();
    let name = parts.join(":");
    if name.trim().is_empty() {
        return Err(shape());
    }
    let side = Country::parse(side)
        .map_err(|reason| Invalid::new("participant", text, &format!("side {side}: {reason}")))?;
    Ok(DraftParticipant {
        name: name.trim().to_string(),
        side,
        head,
    })
}

pub fn add(store: &mut Store, args: &AddArgs, out: &mut dyn Write) -> Result<()> {
    let mut draft = EventDraft::new(date_arg("date", &args.date)?, &args.title);
    draft.end_date = args
        .end_date
        .as_deref()
        .map(|t| date_arg("end date", t))
        .transpose()?;
    draft.kind = keyword("kind", &args.kind)?;
    draft.mode = match &args.mode {
        Some(mode) => keyword("mode", mode)?,
        None => draft.kind.usual_mode(),
    };
    draft.status = keyword("status", &args.status)?;
    draft.place = EventPlace {
        city: args.city.trim().to_string(),
        country: args
            .country
            .as_deref()
            .map(|c| Country::parse_field("country", c))
            .transpose()?,
        venue: args.venue.trim().to_string(),
    };
    draft.notes = args.notes.clone();
    draft.participants = participants(&args.participants)?;
    draft.unnamed_sides = unnamed_sides(&args.unnamed_sides)?;
    draft.sources = sources(&args.sources)?;
    let participants: Vec<String> = draft.participants.iter().map(|p| p.name.clone()).collect();
    for text in &args.count_claims {
        let claim = super::claim::count_claim(store, text, &participants, &draft.sources)?;
        draft.claims.push(claim);
    }
    if !args.allow_duplicate {
        let mut resolved = draft.clone();
        for p in &mut resolved.participants {
            if let Ok(person) = store.resolve_person(&p.name) {
                p.name = person.name;
            }
        }
        if let Some(number) = store.find_same_event(&resolved)? {
            refuse!(
                "#{number} has the same date, title and participants; nothing was added \
                 (--allow-duplicate adds it anyway)"
            );
        }
        let likely = store.likely_duplicates(&draft, None)?;
        if !likely.is_empty() {
            refuse!(
                "{}; nothing was added (--allow-duplicate adds it anyway)",
                duplicate::refusal(&likely, super::DATES)
            );
        }
    }
    let new_people = if args.create_people {
        NewPeople::Create
    } else {
        NewPeople::Refuse
    };
    let id = store.add_event(&draft, new_people).map_err(|e| match e {
        StoreError::UnknownPerson { name, suggestion } => CliError::Refused(format!(
            "participant: unknown person \"{name}\"{}; --create-people adds new people",
            suggestion
                .map(|s| format!(" (did you mean \"{s}\"?)"))
                .unwrap_or_default()
        )),
        other => other.into(),
    })?;
    let event = store.event(id)?;
    writeln!(out, "added #{id}")?;
    write_event(store, &event, Format::Table, out)
}

/// `--participant` values as a draft's participants.
fn participants(given: &[String]) -> Result<Vec<crate::domain::DraftParticipant>> {
    Ok(given
        .iter()
        .map(|p| parse_participant(p))
        .collect::<std::result::Result<_, _>>()?)
}

/// `--unnamed-side` values.
fn unnamed_sides(given: &[String]) -> Result<Vec<Country>> {
    Ok(given
        .iter()
        .map(|side| Country::parse_field("unnamed-side", side))
        .collect::<std::result::Result<_, _>>()?)
}

/// `--source` values, each of which may hold several sources.
fn sources(given: &[String]) -> Result<Vec<crate::domain::Source>> {
    let mut found = Vec::new();
    for text in given {
        found.extend(decode_sources(text).map_err(|mut e| {
            e.field = "source".into();
            e
        })?);
    }
    Ok(found)
}

/// `attache edit`: the event as recorded, with what the options give in place of what they
/// name.
pub fn edit(store: &mut Store, args: &EditArgs, out: &mut dyn Write) -> Result<()> {
    let event = find_event(store, &args.id)?;
    let mut draft = EventRecord::from_event(&event, Vec::new()).to_draft()?;
    if let Some(date) = &args.date {
        draft.date = date_arg("date", date)?;
    }
    if let Some(end) = &args.end_date {
        draft.end_date = match end.trim() {
            "" => None,
            text => Some(date_arg("end date", text)?),
        };
    }
    if let Some(title) = &args.title {
        draft.title = title.clone();
    }
    if let Some(kind) = &args.kind {
        draft.kind = keyword("kind", kind)?;
    }
    if let Some(mode) = &args.mode {
        draft.mode = keyword("mode", mode)?;
    }
    if let Some(status) = &args.status {
        draft.status = keyword("status", status)?;
    }
    if let Some(city) = &args.city {
        draft.place.city = city.trim().to_string();
    }
    if let Some(country) = &args.country {
        draft.place.country = match country.trim() {
            "" => None,
            code => Some(Country::parse_field("country", code)?),
        };
    }
    if let Some(venue) = &args.venue {
        draft.place.venue = venue.trim().to_string();
    }
    if let Some(notes) = &args.notes {
        draft.notes = notes.clone();
    }
    if !args.participants.is_empty() {
        draft.participants = participants(&args.participants)?;
    }
    if !args.unnamed_sides.is_empty() {
        draft.unnamed_sides = unnamed_sides(&args.unnamed_sides)?;
    }
    if !args.sources.is_empty() {
        draft.sources = sources(&args.sources)?;
    }
    let new_people = if args.create_people {
        NewPeople::Create
    } else {
        NewPeople::Refuse
    };
    // An edit that leaves what the rule reads as it was (notes, sources, a title) is not asked
    // about an event that was already like another.
    if !args.allow_duplicate && store.likeness(&draft)? != Likeness::of_event(&event, Some) {
        let likely = store.likely_duplicates(&draft, Some(event.id))?;
        if !likely.is_empty() {
            refuse!(
                "#{}: {}; nothing was changed (--allow-duplicate saves it anyway)",
                event.id,
                duplicate::refusal(&likely, super::DATES)
            );
        }
    }
    store.edit_event_if(event.id, &draft, new_people, args.if_version)?;
    let event = store.event(event.id)?;
    writeln!(out, "edited #{} (version {})", event.id, event.version)?;
    write_event(store, &event, Format::Table, out)
}

/// `attache delete`.
pub fn delete(
    store: &mut Store,
    id: &str,
    if_version: Option<i64>,
    out: &mut dyn Write,
) -> Result<()> {
    let event = find_event(store, id)?;
    let gone = store.delete_event_if(event.id, if_version)?;
    writeln!(
        out,
        "deleted #{} \"{}\"; attache undo brings it back",
        gone.id, gone.title
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn participants_parse_from_the_right() {
        let p = parse_participant("Vladimir Putin:RU:lead").unwrap();
        assert_eq!(
            (p.name.as_str(), p.side.code(), p.head),
            ("Vladimir Putin", "RU", true)
        );
        let p = parse_participant("Ratio: A Person:us").unwrap();
        assert_eq!(
            (p.name.as_str(), p.side.code(), p.head),
            ("Ratio: A Person", "US", false)
        );
        assert!(
            parse_participant("Putin")
                .unwrap_err()
                .to_string()
                .contains("expected NAME:SIDE")
        );
        assert!(
            parse_participant("Putin:XX")
                .unwrap_err()
                .to_string()
                .contains("side XX")
        );
        assert!(parse_participant(":RU").is_err());
    }
}
