//! iCalendar (RFC 5545): one all-day VEVENT per event, spanning the days its date may denote
//! (a month-precision event spans the month), with the event's UUID as its UID.

use std::io::Write;

use chrono::{DateTime, Days, Utc};
use icalendar::{Component, EventLike, EventStatus};

use crate::domain::{Event, Status};
use crate::report::Ordinals;
use crate::store::{BoxError, EventFilter, Order, Store};

pub fn export(
    store: &Store,
    filter: &EventFilter,
    out: &mut dyn Write,
    now: DateTime<Utc>,
) -> Result<usize, BoxError> {
    let mut ordinals = Ordinals::new(store);
    out.write_all(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//attache//attache//EN\r\nCALSCALE:GREGORIAN\r\nX-WR-CALNAME:attache\r\n")?;
    let count = ordinals.for_each_event(filter, Order::OldestFirst, |event, ordinals| {
        let sentences: Vec<String> = ordinals
            .for_event(event)?
            .into_iter()
            .map(|l| l.sentence)
            .collect();
        out.write_all(vevent(event, &sentences, now).as_bytes())?;
        Ok(())
    })?;
    out.write_all(b"END:VCALENDAR\r\n")?;
    Ok(count)
}

fn vevent(event: &Event, ordinals: &[String], now: DateTime<Utc>) -> String {
    let last = event
        .end_date
        .map_or(event.date.last(), |end| end.last().max(event.date.last()));
    let mut vevent = icalendar::Event::new();
    vevent
        .uid(&event.uuid.to_string())
        .timestamp(now)
        .summary(&event.title)
        .starts(event.date.first())
        .ends(last + Days::new(1));
    let place: Vec<&str> = [event.place.venue.as_str(), event.place.city.as_str()]
        .into_iter()
        .chain(event.place.country.as_ref().map(|c| c.code()))
        .filter(|p| !p.is_empty())
        .collect();
    if !place.is_empty() {
        vevent.location(&place.join(", "));
    }
    vevent.status(match event.status {
        Status::Confirmed => EventStatus::Confirmed,
        Status::Planned | Status::Reported => EventStatus::Tentative,
        Status::Cancelled => EventStatus::Cancelled,
    });
    if let Some(url) = event
        .sources
        .iter()
        .map(|s| s.url.as_str())
        .find(|u| !u.is_empty())
    {
        vevent.url(url);
    }
    vevent.description(&description(event, ordinals));
    vevent.done().to_string()
}

fn description(event: &Event, ordinals: &[String]) -> String {
    let mut parts: Vec<String> = ordinals.to_vec();
    if event.date.circa() || event.date.precision() != crate::domain::Precision::Day {
        parts.push(format!("Date: {}", event.date.display()));
    }
    parts.push(format!(
        "{} · {} · {}",
        event.kind, event.mode, event.status
    ));
    if !event.participants.is_empty() {
        let people: Vec<String> = event
            .participants
            .iter()
            .map(|p| {
                format!(
                    "{} ({}){}",
                    p.name,
                    p.side,
                    if event.heads_side(p.person_id) {
                        ", head"
                    } else {
                        ""
                    }
                )
            })
            .collect();
        parts.push(format!("Participants: {}", people.join("; ")));
    }
    for source in &event.sources {
        let mut line = format!("Source: {}", source.attribution());
        if !source.url.is_empty() {
            line.push_str(&format!(" <{}>", source.url));
        }
        parts.push(line);
    }
    if !event.notes.trim().is_empty() {
        parts.push(event.notes.trim().to_string());
    }
    parts.join("\n")
}
