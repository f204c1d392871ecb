//! iCalendar (RFC 5545): one all-day VEVENT per event, spanning the days its date may denote
//! (a month-precision event spans the month), with the event's UUID as its UID.

use std::io::Write;

use chrono::{DateTime, Days, Utc};

use super::ExportError;
use crate::domain::{Event, Status};
use crate::report::Ordinals;
use crate::store::{EventFilter, Order, Store};

pub fn export(
    store: &Store,
    filter: &EventFilter,
    out: &mut dyn Write,
    now: DateTime<Utc>,
) -> Result<usize, ExportError> {
    let mut ordinals = Ordinals::new(store, super::FILE_DATES);
    out.write_all(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//attache//attache//EN\r\nCALSCALE:GREGORIAN\r\nX-WR-CALNAME:attache\r\n")?;
    let count =
        ordinals.for_each_event::<ExportError>(filter, Order::OldestFirst, |event, ordinals| {
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

/// One VEVENT, written here rather than through a calendar crate: the one in use folded lines in
/// time quadratic in their length (an 8 MB note took 30 s); this is linear.
fn vevent(event: &Event, ordinals: &[String], now: DateTime<Utc>) -> String {
    let last = event
        .end_date
        .map_or(event.date.last(), |end| end.last().max(event.date.last()));
    let mut out = String::from("BEGIN:VEVENT\r\n");
    content_line(&mut out, "UID", &escaped(&event.uuid.to_string()));
    content_line(
        &mut out,
        "DTSTAMP",
        &now.format("%Y%m%dT%H%M%SZ").to_string(),
    );
    content_line(
        &mut out,
        "DTSTART;VALUE=DATE",
        &event.date.first().format("%Y%m%d").to_string(),
    );
    content_line(
        &mut out,
        "DTEND;VALUE=DATE",
        &(last + Days::new(1)).format("%Y%m%d").to_string(),
    );
    content_line(&mut out, "SUMMARY", &escaped(&event.title));
    // A calendar's place is read, and looked up on a map, by the country's name, not its code.
    let place: Vec<&str> = [event.place.venue.as_str(), event.place.city.as_str()]
        .into_iter()
        .chain(event.place.country.as_ref().map(|c| c.name()))
        .filter(|p| !p.is_empty())
        .collect();
    if !place.is_empty() {
        content_line(&mut out, "LOCATION", &escaped(&place.join(", ")));
    }
    let status = match event.status {
        Status::Confirmed => "CONFIRMED",
        Status::Planned | Status::Reported => "TENTATIVE",
        Status::Cancelled => "CANCELLED",
    };
    content_line(&mut out, "STATUS", status);
    if let Some(url) = event
        .sources
        .iter()
        .map(|s| s.url.as_str())
        .find(|u| !u.is_empty())
    {
        // A URI value is not TEXT: its commas and semicolons stay as they are.
        content_line(&mut out, "URL", url);
    }
    content_line(
        &mut out,
        "DESCRIPTION",
        &escaped(&description(event, ordinals)),
    );
    out.push_str("END:VEVENT\r\n");
    out
}

/// A TEXT value escaped as RFC 5545 (3.3.11) asks: backslash, semicolon, comma, and line breaks
/// as `\n`.
fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

/// Appends `NAME:value` folded into lines of at most 75 octets, each continuation starting with
/// a space, never inside a UTF-8 character (RFC 5545, 3.1).
fn content_line(out: &mut String, name: &str, value: &str) {
    const LIMIT: usize = 75;
    let line = format!("{name}:{value}");
    let mut start = 0;
    let mut room = LIMIT;
    while line.len() - start > room {
        let mut end = start + room;
        while !line.is_char_boundary(end) {
            end -= 1;
        }
        out.push_str(&line[start..end]);
        out.push_str("\r\n ");
        start = end;
        room = LIMIT - 1;
    }
    out.push_str(&line[start..]);
    out.push_str("\r\n");
}

fn description(event: &Event, ordinals: &[String]) -> String {
    let mut parts: Vec<String> = ordinals.to_vec();
    if event.date.circa() || event.date.precision() != crate::domain::Precision::Day {
        parts.push(format!("Date: {}", event.date.display(super::FILE_DATES)));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_fold_at_75_octets_between_characters() {
        let mut out = String::new();
        let value = "Пу".repeat(100);
        content_line(&mut out, "SUMMARY", &value);
        for line in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(line.len() <= 75, "{line}");
        }
        let unfolded = out.replace("\r\n ", "");
        assert_eq!(unfolded, format!("SUMMARY:{value}\r\n"));
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escaped("a\\b; c, d\r\ne\nf"), "a\\\\b\\; c\\, d\\ne\\nf");
    }
}
