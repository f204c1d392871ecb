//! Ordinal sentences for stored events: the counting rules applied to the store's histories.
//! Shared by the command line, the exports and the TUI so that all say the same thing.

use std::collections::HashMap;
use std::rc::Rc;

use crate::domain::counting::{self, Criteria, Ordinal, Rule};
use crate::domain::{Event, Person};
use crate::store::{Result, Store};

/// The ordinal of one event among the meetings of one set of people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrdinalLine {
    /// The people, in sentence order.
    pub people: Vec<(i64, String)>,
    pub ordinal: Ordinal,
    /// "3rd face-to-face meeting between Vladimir Putin and Steve Witkoff".
    pub sentence: String,
    /// "previous: 13 Mar 2025, Moscow, 29 days earlier".
    pub previous: Option<String>,
}

/// Computes ordinals, keeping the histories it has read so that a page of events sharing the
/// same pairs reads each history once.
pub struct Ordinals<'s> {
    store: &'s Store,
    histories: HashMap<Vec<i64>, Rc<Vec<Event>>>,
}

/// Histories kept at once; past this the cache starts again, bounding memory on large exports.
const CACHED_HISTORIES: usize = 512;

impl<'s> Ordinals<'s> {
    pub fn new(store: &'s Store) -> Self {
        Ordinals {
            store,
            histories: HashMap::new(),
        }
    }

    pub fn history(&mut self, people: &[i64]) -> Result<Rc<Vec<Event>>> {
        let mut key = people.to_vec();
        key.sort_unstable();
        if let Some(found) = self.histories.get(&key) {
            return Ok(Rc::clone(found));
        }
        if self.histories.len() >= CACHED_HISTORIES {
            self.histories.clear();
        }
        let history = Rc::new(self.store.events_with_all(&key)?);
        self.histories.insert(key, Rc::clone(&history));
        Ok(history)
    }

    /// One sentence for each pair of heads of sides: face-to-face meetings for an in-person
    /// event, calls for a phone or video call. Empty where fewer than two sides have a head, or
    /// for a cancelled event.
    pub fn for_event(&mut self, event: &Event) -> Result<Vec<OrdinalLine>> {
        let mut heads: Vec<(i64, String)> = event
            .heads()
            .iter()
            .map(|p| (p.person_id, p.name.clone()))
            .collect();
        counting::sort_by_surname(&mut heads, |(_, name)| name);
        let criteria = Criteria {
            mode: event.mode,
            rule: Rule::Heads,
        };
        let mut lines = Vec::new();
        for (i, first) in heads.iter().enumerate() {
            for second in &heads[i + 1..] {
                let pair = [first.clone(), second.clone()];
                if let Some(line) = self.line(event, &pair, criteria)? {
                    lines.push(line);
                }
            }
        }
        Ok(lines)
    }

    /// The ordinal of `event` among the meetings of `people` (in sentence order).
    pub fn line(
        &mut self,
        event: &Event,
        people: &[(i64, String)],
        criteria: Criteria,
    ) -> Result<Option<OrdinalLine>> {
        let ids: Vec<i64> = people.iter().map(|(id, _)| *id).collect();
        if !criteria.involves(event, &ids) {
            return Ok(None);
        }
        let history = self.history(&ids)?;
        Ok(ordinal_line(event, people, criteria, &history))
    }

    /// The first ordinal sentence of the event, or an empty string: the CSV `ordinal` column.
    pub fn headline(&mut self, event: &Event) -> Result<String> {
        Ok(self
            .for_event(event)?
            .into_iter()
            .next()
            .map(|l| l.sentence)
            .unwrap_or_default())
    }
}

/// The ordinal of `event` among the meetings of `people` (in sentence order) found in
/// `history`, which must hold every event all of them took part in.
pub fn ordinal_line(
    event: &Event,
    people: &[(i64, String)],
    criteria: Criteria,
    history: &[Event],
) -> Option<OrdinalLine> {
    let ids: Vec<i64> = people.iter().map(|(id, _)| *id).collect();
    let names: Vec<&str> = people.iter().map(|(_, n)| n.as_str()).collect();
    counting::ordinal_of(event, history, &ids, criteria).map(|o| OrdinalLine {
        people: people.to_vec(),
        ordinal: o.ordinal,
        sentence: o.sentence(&names),
        previous: o.previous_phrase(event),
    })
}

/// The sentences for `person`'s meetings with the other heads in `event`, counted from the
/// person's own history (which holds every meeting of theirs).
pub fn person_lines(event: &Event, person_id: i64, history: &[Event]) -> Vec<OrdinalLine> {
    let heads = event.heads();
    let Some(me) = heads.iter().find(|h| h.person_id == person_id) else {
        return Vec::new();
    };
    let criteria = Criteria {
        mode: event.mode,
        rule: Rule::Heads,
    };
    heads
        .iter()
        .filter(|other| other.person_id != person_id)
        .filter_map(|other| {
            let mut pair = vec![
                (me.person_id, me.name.clone()),
                (other.person_id, other.name.clone()),
            ];
            counting::sort_by_surname(&mut pair, |(_, name)| name);
            ordinal_line(event, &pair, criteria, history)
        })
        .collect()
}

/// "Steve Witkoff's 3rd visit to Russian Federation", for a person away from home.
pub fn visit_sentence(event: &Event, person: &Person, history: &[Event]) -> Option<String> {
    let ordinal = counting::visit_ordinal(event, history, person.id, person.country.as_ref())?;
    let country = event.place.country.as_ref()?;
    Some(format!(
        "{}'s {} visit to {}",
        person.name,
        ordinal.phrase(),
        with_article(&country_name(country))
    ))
}

/// "the Russian Federation", "the United States of America", but "Türkiye".
fn with_article(name: &str) -> String {
    let plural_or_union = [
        "Federation",
        "States",
        "Emirates",
        "Kingdom",
        "Republic",
        "Islands",
    ];
    if plural_or_union.iter().any(|w| name.contains(w)) {
        format!("the {name}")
    } else {
        name.to_string()
    }
}

/// The visit sentence for `person` at `event`, reading only that person's in-person events in
/// the event's country, and nothing at all when the event is at home.
pub fn visit_sentence_from_store(
    store: &Store,
    event: &Event,
    person: &Person,
) -> Result<Option<String>> {
    let Some(country) = event.place.country.as_ref() else {
        return Ok(None);
    };
    if person.country.as_ref() == Some(country) || event.mode != crate::domain::Mode::InPerson {
        return Ok(None);
    }
    let filter = crate::store::EventFilter {
        people: vec![person.id],
        country: Some(country.clone()),
        mode: Some(crate::domain::Mode::InPerson),
        ..crate::store::EventFilter::default()
    };
    let there = store.events_page(
        &filter,
        crate::store::Order::OldestFirst,
        0,
        usize::MAX >> 1,
    )?;
    Ok(visit_sentence(event, person, &there))
}

/// The name to print for a country: its ISO 3166-1 name, or the code where that has none.
pub fn country_name(country: &crate::domain::Country) -> String {
    match country.name() {
        "" => country.code().to_string(),
        name => name.to_string(),
    }
}

/// "Putin–Witkoff": the heads of the sides by surname, in sentence order.
pub fn heads_label(event: &Event) -> String {
    let mut heads: Vec<&str> = event.heads().iter().map(|p| p.name.as_str()).collect();
    counting::sort_by_surname(&mut heads, |name| name);
    let surnames: Vec<&str> = heads.iter().map(|name| counting::surname(name)).collect();
    surnames.join("–")
}

/// "Kirill Dmitriev met Steve Witkoff in Washington", "Vladimir Putin and Donald Trump spoke by
/// phone"; the title where fewer than two sides have a head.
pub fn what_happened(event: &Event) -> String {
    let heads: Vec<&str> = event.heads().iter().map(|p| p.name.as_str()).collect();
    let place = match event.place.city.as_str() {
        "" => String::new(),
        city => format!(" in {city}"),
    };
    match (event.mode, heads.as_slice()) {
        (_, [] | [_]) => event.title.clone(),
        (crate::domain::Mode::Phone, _) => {
            format!("{} spoke by phone", counting::join_names(&heads))
        }
        (crate::domain::Mode::Video, _) => {
            format!("{} spoke by video", counting::join_names(&heads))
        }
        (_, [first, second]) => format!("{first} met {second}{place}"),
        (_, many) => format!("{} met{place}", counting::join_names(many)),
    }
}

/// "a week after", "3 days before", "the same day as".
pub fn gap_phrase(days: i64) -> String {
    let direction = if days >= 0 { "after" } else { "before" };
    match days.unsigned_abs() {
        0 => "the same day as".to_string(),
        1 => format!("the day {direction}"),
        n @ 2..=5 => format!("{n} days {direction}"),
        n => match (n + 3) / 7 {
            1 => format!("a week {direction}"),
            weeks => format!("{weeks} weeks {direction}"),
        },
    }
}

/// Events of the same heads within `days` either side of `event`, nearest first, each with the
/// phrase that relates it: "a week after Kirill Dmitriev met Steve Witkoff in Washington".
pub fn related(store: &Store, event: &Event, days: u64) -> Result<Vec<(Event, String)>> {
    let window = chrono::Days::new(days);
    let from = event.date.first() - window;
    let to = event.date.last() + window;
    let mut found: Vec<Event> = Vec::new();
    for head in event.heads() {
        let filter = crate::store::EventFilter {
            people: vec![head.person_id],
            from: Some(crate::domain::FuzzyDate::day(from)),
            to: Some(crate::domain::FuzzyDate::day(to)),
            ..crate::store::EventFilter::default()
        };
        for other in store.events_page(&filter, crate::store::Order::OldestFirst, 0, 50)? {
            if other.id != event.id && !found.iter().any(|f| f.id == other.id) {
                found.push(other);
            }
        }
    }
    let gap = |other: &Event| (event.date.first() - other.date.first()).num_days();
    found.sort_by_key(|other| (gap(other).abs(), other.id));
    Ok(found
        .into_iter()
        .filter_map(|other| {
            let phrase = format!("{} {}", relation(event, &other)?, what_happened(&other));
            Some((other, phrase))
        })
        .collect())
}

/// How `event` stands to `other` in time, as precisely as both dates allow: "a week after"
/// between days, "in the same month as" where one is known only to the month, and nothing
/// where that cannot be said.
fn relation(event: &Event, other: &Event) -> Option<String> {
    use crate::domain::Precision;
    let (a, b) = (&event.date, &other.date);
    if a.precision() == Precision::Day
        && b.precision() == Precision::Day
        && !a.circa()
        && !b.circa()
    {
        return Some(gap_phrase((a.first() - b.first()).num_days()));
    }
    let month = |d: &crate::domain::FuzzyDate| d.first().format("%Y-%m").to_string();
    let known_to_month = |d: &crate::domain::FuzzyDate| d.precision() != Precision::Year;
    (known_to_month(a) && known_to_month(b) && month(a) == month(b))
        .then(|| "in the same month as".to_string())
}

/// What the history says of each event: "3rd meeting with Steve Witkoff", "2nd visit to the
/// Russian Federation", "in the US delegation".
pub fn history_notes(event: &Event, person: &Person, history: &[Event]) -> Vec<String> {
    let noun = match event.mode {
        crate::domain::Mode::InPerson => "meeting",
        crate::domain::Mode::Phone => "phone call",
        crate::domain::Mode::Video => "video call",
    };
    let mut notes: Vec<String> = person_lines(event, person.id, history)
        .into_iter()
        .map(|line| {
            let others: Vec<&str> = line
                .people
                .iter()
                .filter(|(id, _)| *id != person.id)
                .map(|(_, name)| name.as_str())
                .collect();
            let prefix = if event.status == crate::domain::Status::Planned {
                "will be the "
            } else {
                ""
            };
            format!(
                "{prefix}{} {noun} with {}",
                line.ordinal.phrase(),
                counting::join_names(&others)
            )
        })
        .collect();
    if let Some(visit) = visit_sentence(event, person, history) {
        notes.push(
            visit
                .trim_start_matches(&format!("{}'s ", person.name))
                .to_string(),
        );
    }
    if !event.heads_side(person.id)
        && let Some(me) = event.participants.iter().find(|p| p.person_id == person.id)
    {
        notes.push(format!("in the {} delegation", me.side));
    }
    notes
}

/// A citation of the event to paste into a text: "Steve Witkoff meets Vladimir Putin, St
/// Petersburg, 11 Apr 2025. Reuters citing RIA <https://…>".
pub fn citation(event: &Event) -> String {
    let mut text = event.title.clone();
    let city = &event.place.city;
    if !city.is_empty() && !event.title.contains(city.as_str()) {
        text.push_str(&format!(", {city}"));
    }
    text.push_str(&format!(", {}.", event.date.display()));
    let sources: Vec<String> = event
        .sources
        .iter()
        .map(|s| match s.url.as_str() {
            "" => s.attribution(),
            url => format!("{} <{url}>", s.attribution()),
        })
        .collect();
    if !sources.is_empty() {
        text.push(' ');
        text.push_str(&sources.join("; "));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dated(text: &str) -> Event {
        Event {
            id: 1,
            uuid: uuid::Uuid::nil(),
            date: crate::domain::FuzzyDate::parse_iso(text).unwrap(),
            end_date: None,
            title: "t".into(),
            kind: crate::domain::Kind::Meeting,
            mode: crate::domain::Mode::InPerson,
            status: crate::domain::Status::Confirmed,
            place: crate::domain::Place::default(),
            notes: String::new(),
            participants: Vec::new(),
            sources: Vec::new(),
        }
    }

    #[test]
    fn relations_respect_the_precision_of_dates() {
        let day = dated("2025-04-11");
        assert_eq!(
            relation(&day, &dated("2025-04-10")).as_deref(),
            Some("the day after")
        );
        assert_eq!(
            relation(&day, &dated("2025-04")).as_deref(),
            Some("in the same month as")
        );
        assert_eq!(
            relation(&dated("2025-04"), &day).as_deref(),
            Some("in the same month as")
        );
        assert_eq!(relation(&day, &dated("2025-03")), None);
        assert_eq!(relation(&day, &dated("2025")), None);
        assert_eq!(
            relation(&day, &dated("c. 2025-04-10")).as_deref(),
            Some("in the same month as")
        );
    }

    #[test]
    fn gaps_read_as_people_say_them() {
        let cases = [
            (0, "the same day as"),
            (1, "the day after"),
            (-1, "the day before"),
            (3, "3 days after"),
            (9, "a week after"),
            (-7, "a week before"),
            (12, "2 weeks after"),
            (21, "3 weeks after"),
        ];
        for (days, phrase) in cases {
            assert_eq!(gap_phrase(days), phrase, "{days}");
        }
    }
}
