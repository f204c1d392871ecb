//! A readable timeline in Markdown, for reports: month headings, one entry per event with its
//! ordinal, the heads of the sides and the sources as links.

use std::io::Write;

use super::ExportError;
use crate::domain::Event;
use crate::report::Ordinals;
use crate::store::{EventFilter, Order, Store};

/// Escapes the characters Markdown reads as formatting inside a line (user text never starts
/// one, so list and heading markers need no escaping).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\`*_[]<>|~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out.replace('\n', " ")
}

fn month(event: &Event) -> String {
    match event.date.precision() {
        crate::domain::Precision::Year => event.date.first().format("%Y").to_string(),
        _ => event.date.first().format("%B %Y").to_string(),
    }
}

pub fn export(
    store: &Store,
    filter: &EventFilter,
    out: &mut dyn Write,
) -> Result<usize, ExportError> {
    let mut ordinals = Ordinals::new(store, super::FILE_DATES);
    writeln!(out, "# Timeline")?;
    let mut current = String::new();
    let count =
        ordinals.for_each_event::<ExportError>(filter, Order::OldestFirst, |event, ordinals| {
            let heading = month(event);
            if heading != current {
                writeln!(out, "\n## {heading}\n")?;
                current = heading;
            }
            let mut when = event.date.display(super::FILE_DATES);
            if let Some(end) = &event.end_date {
                when.push_str(&format!(" – {}", end.display(super::FILE_DATES)));
            }
            let mut line = format!("- **{}** — {}", escape(&when), escape(&event.title));
            match event.status {
                crate::domain::Status::Planned => line.push_str(" *(planned)*"),
                crate::domain::Status::Cancelled => line.push_str(" *(cancelled)*"),
                _ => {}
            }
            let place = event.place.with_venue(", ");
            if !place.is_empty() {
                line.push_str(&format!(" ({})", escape(&place)));
            }
            writeln!(out, "{line}")?;
            for ordinal in ordinals.for_event(event)? {
                writeln!(out, "  - *{}*", escape(&ordinal.sentence))?;
            }
            if !event.participants.is_empty() {
                let people: Vec<String> = event
                    .participants
                    .iter()
                    .map(|p| {
                        let name = escape(&p.name);
                        let name = if event.heads_side(p.person_id) {
                            format!("**{name}**")
                        } else {
                            name
                        };
                        format!("{name} ({})", p.side)
                    })
                    .collect();
                writeln!(out, "  - {}", people.join(", "))?;
            }
            if !event.sources.is_empty() {
                let sources: Vec<String> = event
                    .sources
                    .iter()
                    .map(|s| {
                        let outlet = if s.url.is_empty() {
                            escape(&s.outlet)
                        } else {
                            format!("[{}](<{}>)", escape(&s.outlet), s.url)
                        };
                        if s.citing.is_empty() {
                            outlet
                        } else {
                            format!("{outlet} citing {}", escape(&s.citing))
                        }
                    })
                    .collect();
                writeln!(out, "  - Sources: {}", sources.join("; "))?;
            }
            Ok(())
        })?;
    if count == 0 {
        writeln!(out, "\nNo events.")?;
    }
    Ok(count)
}
