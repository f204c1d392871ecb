//! The facts of one event as lines of text, for `show` and the timeline's detail alike: its
//! ordinals with the previous meeting, visits, trips, published counts, claims and sources.
//! Each lays the lines out its own way and words none of these facts itself, so that the two
//! cannot say the same fact differently.

use super::{
    ClaimGroup, CountCheck, OrdinalLine, Ordinals, check_counts, claim_groups, summit, trip_lines,
};
use crate::domain::date::DateStyle;
use crate::domain::{Event, FuzzyDate, Source};
use crate::store::{Result, Store};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    /// Each ordinal sentence, as `ordinal_line` says it; a summit's shortened (`summit`).
    pub ordinals: Vec<String>,
    /// A summit's line for the pairs meeting first: "first face-to-face meetings in this
    /// record: 11 pairs".
    pub firsts: Option<String>,
    /// "Steve Witkoff's 3rd visit to Russia in this record".
    pub visits: Vec<String>,
    /// Each head's trip, and any head heading a side other than their home.
    pub trips: Vec<String>,
    /// Each published count against the record's: "TASS called this the 6th ✓".
    pub counts: Vec<CountCheck>,
    /// The claims, by aspect, disputed ones marked.
    pub claims: Vec<ClaimGroup>,
    /// Each source as `source_line` says it, with its address (empty where it has none).
    pub sources: Vec<(String, String)>,
}

impl Facts {
    /// Reads and words the facts of `event`, its dates in `style`.
    pub fn of(store: &Store, event: &Event, style: DateStyle) -> Result<Facts> {
        let mut ordinals = Ordinals::new(store, style);
        let (mut lines, firsts) = summit(event, ordinals.for_shown_event(event)?);
        ordinals.note_reported(event, &mut lines)?;
        let mut visits = Vec::new();
        for head in event.heads() {
            let person = store.person(head.person_id)?;
            visits.extend(ordinals.visit(event, &person)?);
        }
        Ok(Facts {
            ordinals: lines.iter().map(ordinal_line).collect(),
            firsts,
            visits,
            trips: trip_lines(store, event, style)?,
            counts: check_counts(store, event, style)?,
            claims: claim_groups(event),
            sources: event
                .sources
                .iter()
                .map(|s| (source_line(s, style), s.url.clone()))
                .collect(),
        })
    }
}

/// "3rd face-to-face meeting between … in this record, counting the reported meeting of
/// 11 Feb 2025 · previous: 13 Mar 2025, Moscow, 29 days earlier": the sentence, what it counts
/// that is only reported, and the meeting before it.
fn ordinal_line(line: &OrdinalLine) -> String {
    let mut text = line.with_reported();
    if let Some(previous) = &line.previous {
        text.push_str(&format!(" · {previous}"));
    }
    text
}

/// "TASS citing the Kremlin · 3 Dec 2025": who published, and when where that is known.
fn source_line(source: &Source, style: DateStyle) -> String {
    match source.published {
        Some(day) => format!(
            "{} · {}",
            source.attribution(),
            FuzzyDate::day(day).display(style)
        ),
        None => source.attribution(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_fact_takes_the_date_style_it_is_given() {
        let mut store = Store::open_in_memory().unwrap();
        crate::interchange::seed(&mut store).unwrap();
        let kremlin = store.event(25).unwrap();
        let trip = store.event(31).unwrap();
        let iso = Facts::of(&store, &kremlin, DateStyle::Iso).unwrap();
        assert!(
            iso.ordinals[0].contains("counting the reported meeting of 2025-02-11"),
            "{:?}",
            iso.ordinals
        );
        assert!(
            iso.ordinals[0].ends_with(" · previous: 2025-08-06, Moscow, 118 days earlier"),
            "{:?}",
            iso.ordinals
        );
        assert!(
            iso.sources
                .iter()
                .any(|(s, _)| s == "Lenta.ru · 2025-12-05")
        );
        let human = Facts::of(&store, &kremlin, DateStyle::Human).unwrap();
        assert!(
            human.ordinals[0].ends_with(" · previous: 6 Aug 2025, Moscow, 118 days earlier"),
            "{:?}",
            human.ordinals
        );
        assert!(
            human
                .sources
                .iter()
                .any(|(s, _)| s == "Lenta.ru · 5 Dec 2025")
        );
        assert_eq!(
            Facts::of(&store, &trip, DateStyle::Iso).unwrap().trips,
            [
                "Steve Witkoff's trip of 2026-01-22 – 2026-01-23: Russia, United Arab Emirates \
                 (2 events)"
            ]
        );
    }
}
