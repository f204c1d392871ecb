//! Events, the people in them and the reports about them.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::date::FuzzyDate;
use super::keywords::{Kind, Mode, Status};
use super::{Country, Field, Invalid, Problem, SourcePart};

/// The most participants one event may have: more than any delegation, and a bound on the work
/// a single row of a file can ask for.
pub const MAX_PARTICIPANTS: usize = 500;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EventPlace {
    pub city: String,
    pub country: Option<Country>,
    pub venue: String,
}

impl EventPlace {
    /// "St Petersburg, RU · Presidential Library", the venue after `separator`; empty when
    /// nothing is known.
    pub fn with_venue(&self, separator: &str) -> String {
        match (self.short(), self.venue.as_str()) {
            (short, "") => short,
            (short, venue) if short.is_empty() => venue.to_string(),
            (short, venue) => format!("{short}{separator}{venue}"),
        }
    }

    /// "St Petersburg, RU"; empty when nothing is known.
    pub fn short(&self) -> String {
        match (&self.city[..], &self.country) {
            ("", None) => String::new(),
            ("", Some(c)) => c.to_string(),
            (city, None) => city.to_string(),
            (city, Some(c)) => format!("{city}, {c}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Participant {
    pub person_id: i64,
    pub name: String,
    pub side: Country,
    /// Marked as heading the side's delegation.
    pub head: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Source {
    pub outlet: String,
    /// Whom the outlet cites: "the Kremlin", "a source familiar with the trip".
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub citing: String,
    /// The site the outlet's report was read at, when another site republished it: "TASS via
    /// news-pravda.com" (the outlet is TASS, not the address).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub via: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<chrono::NaiveDate>,
}

impl Source {
    pub fn validate(&self) -> Result<(), Invalid> {
        self.check().map_err(|(_, invalid)| invalid)
    }

    /// As `validate`, saying which part of the source is wrong.
    pub fn check(&self) -> Result<(), (SourcePart, Invalid)> {
        for (part, field, text) in [
            (SourcePart::Outlet, "source", &self.outlet),
            (SourcePart::Citing, "source", &self.citing),
            (SourcePart::Outlet, "source", &self.via),
            (SourcePart::Url, "source url", &self.url),
        ] {
            super::text::check_input(field, text, false).map_err(|invalid| (part, invalid))?;
        }
        if self.outlet.trim().is_empty() {
            return Err((
                SourcePart::Outlet,
                Invalid::new("source", &self.outlet, "outlet is empty"),
            ));
        }
        if !self.url.is_empty() && !looks_like_url(&self.url) {
            return Err((
                SourcePart::Url,
                Invalid::new(
                    "source url",
                    &self.url,
                    "expected an http:// or https:// address",
                ),
            ));
        }
        Ok(())
    }

    /// "RIA citing the Kremlin", "TASS via news-pravda.com".
    pub fn attribution(&self) -> String {
        let mut text = self.outlet.clone();
        if !self.citing.is_empty() {
            text.push_str(&format!(" citing {}", self.citing));
        }
        if !self.via.is_empty() {
            text.push_str(&format!(" via {}", self.via));
        }
        text
    }

    /// Splits "TASS via news-pravda.com", as typed in an outlet field, into the outlet and the
    /// site it was read at.
    pub fn outlet_and_via(text: &str) -> (String, String) {
        match text.rsplit_once(" via ") {
            Some((outlet, via)) if !outlet.trim().is_empty() && !via.trim().is_empty() => {
                (outlet.trim().to_string(), via.trim().to_string())
            }
            _ => (text.trim().to_string(), String::new()),
        }
    }
}

fn looks_like_url(text: &str) -> bool {
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"));
    match rest {
        Some(rest) => {
            let host = rest.split(['/', '?', '#']).next().unwrap_or("");
            !host.is_empty() && host.contains('.') && !text.chars().any(char::is_whitespace)
        }
        None => false,
    }
}

/// A stored event with its participants (in their recorded order) and sources.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub id: i64,
    pub uuid: Uuid,
    /// Raised by every change: what an edit made against it names, to be refused when someone
    /// else changed the event since.
    pub version: i64,
    pub date: FuzzyDate,
    pub end_date: Option<FuzzyDate>,
    pub title: String,
    pub kind: Kind,
    pub mode: Mode,
    pub status: Status,
    pub place: EventPlace,
    pub notes: String,
    pub participants: Vec<Participant>,
    pub sources: Vec<Source>,
    /// What each source says about one aspect of the event.
    pub claims: Vec<super::claim::Claim>,
    /// Sides whose members were not named: "a Russian delegation".
    pub unnamed_sides: Vec<Country>,
}

impl Event {
    /// The participants heading each side, in the order sides first appear. A side with one
    /// participant is headed by that participant; a side of several by those marked (co-heads),
    /// or by nobody when none is marked.
    pub fn heads(&self) -> Vec<&Participant> {
        heads(&self.participants)
    }

    pub fn heads_side(&self, person_id: i64) -> bool {
        self.heads().iter().any(|p| p.person_id == person_id)
    }

    /// The title, marked when the event is not (yet) known to have happened: "... (planned)".
    pub fn title_with_status(&self) -> String {
        match self.status {
            Status::Planned => format!("{} (planned)", self.title),
            Status::Cancelled => format!("{} (cancelled)", self.title),
            Status::Reported | Status::Confirmed => self.title.clone(),
        }
    }

    pub fn has_participant(&self, person_id: i64) -> bool {
        self.participants.iter().any(|p| p.person_id == person_id)
    }
}

/// The heads of the sides: a side of one is headed by its member, a larger side by the members
/// marked head (none, one, or co-heads).
pub fn heads(participants: &[Participant]) -> Vec<&Participant> {
    // Every row of a listing and an export asks for the heads several times: no list of sides
    // or of members is built, only the heads found.
    let mut heads = Vec::new();
    for (i, first) in participants.iter().enumerate() {
        let side = &first.side;
        if participants[..i].iter().any(|p| &p.side == side) {
            continue;
        }
        let mut members = participants[i..].iter().filter(|p| &p.side == side);
        match (members.next(), members.next()) {
            (Some(alone), None) => heads.push(alone),
            _ => heads.extend(
                participants[i..]
                    .iter()
                    .filter(|p| &p.side == side && p.head),
            ),
        }
    }
    heads
}

/// What a user supplies to create or replace an event: participants are named, not yet resolved
/// to people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventDraft {
    pub uuid: Option<Uuid>,
    pub date: FuzzyDate,
    pub end_date: Option<FuzzyDate>,
    pub title: String,
    pub kind: Kind,
    pub mode: Mode,
    pub status: Status,
    pub place: EventPlace,
    pub notes: String,
    pub participants: Vec<DraftParticipant>,
    pub sources: Vec<Source>,
    pub claims: Vec<super::claim::Claim>,
    pub unnamed_sides: Vec<Country>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftParticipant {
    pub name: String,
    pub side: Country,
    pub head: bool,
}

impl EventDraft {
    /// Whether this draft says what `event` says: the same dates, title, kind, mode, status,
    /// place, notes, participants (by name, side and whether they head it, in any order) and
    /// sources (in order). Heads are compared as they count, so a side of one is headed whether
    /// or not it was marked.
    pub fn describes(&self, event: &Event) -> bool {
        let mut sizes: std::collections::HashMap<&Country, usize> =
            std::collections::HashMap::new();
        for p in &self.participants {
            *sizes.entry(&p.side).or_default() += 1;
        }
        let mut mine: Vec<(String, &Country, bool)> = self
            .participants
            .iter()
            .map(|p| {
                (
                    p.name.trim().to_lowercase(),
                    &p.side,
                    p.head || sizes[&p.side] == 1,
                )
            })
            .collect();
        let heads: Vec<i64> = event.heads().iter().map(|p| p.person_id).collect();
        let mut theirs: Vec<(String, &Country, bool)> = event
            .participants
            .iter()
            .map(|p| (p.name.to_lowercase(), &p.side, heads.contains(&p.person_id)))
            .collect();
        mine.sort();
        theirs.sort();
        // A publication date the draft leaves out (CSV has no column for it) is not a change.
        let same_source = |a: &Source, b: &Source| {
            (a.outlet.trim(), a.citing.trim(), a.via.trim(), a.url.trim())
                == (
                    b.outlet.as_str(),
                    b.citing.as_str(),
                    b.via.as_str(),
                    b.url.as_str(),
                )
                && a.published.is_none_or(|date| Some(date) == b.published)
        };
        // Claims a draft leaves out (CSV has no column for them) are not a change either.
        let same_claims = self.claims.is_empty() || self.claims == event.claims;
        let mut unnamed = self.unnamed_sides.clone();
        unnamed.sort();
        let mut recorded = event.unnamed_sides.clone();
        recorded.sort();
        self.date == event.date
            && self.end_date == event.end_date
            && self.title.trim() == event.title
            && (self.kind, self.mode, self.status) == (event.kind, event.mode, event.status)
            && self.place.city.trim() == event.place.city
            && self.place.country == event.place.country
            && self.place.venue.trim() == event.place.venue
            && self.notes == event.notes
            && mine == theirs
            && self.sources.len() == event.sources.len()
            && self
                .sources
                .iter()
                .zip(&event.sources)
                .all(|(a, b)| same_source(a, b))
            && same_claims
            && unnamed == recorded
    }

    pub fn new(date: FuzzyDate, title: &str) -> Self {
        EventDraft {
            uuid: None,
            date,
            end_date: None,
            title: title.to_string(),
            kind: Kind::Meeting,
            mode: Mode::InPerson,
            status: Status::Confirmed,
            place: EventPlace::default(),
            notes: String::new(),
            participants: Vec::new(),
            sources: Vec::new(),
            claims: Vec::new(),
            unnamed_sides: Vec::new(),
        }
    }

    /// Checks everything that can be checked without the store, naming the first bad field.
    pub fn validate(&self) -> Result<(), Invalid> {
        match self.problems().into_iter().next() {
            Some(problem) => Err(problem.invalid),
            None => Ok(()),
        }
    }

    /// Every rule of a valid event that this draft breaks, with its field: the one set of rules
    /// that the command line, imports and the form all apply (the form shows each beside its
    /// field).
    pub fn problems(&self) -> Vec<Problem> {
        let mut found = Vec::new();
        let mut push = |field: Field, invalid: Invalid| found.push(Problem { field, invalid });
        for (field, name, text, lines) in [
            (Field::Title, "title", &self.title, false),
            (Field::City, "city", &self.place.city, false),
            (Field::Venue, "venue", &self.place.venue, false),
            (Field::Notes, "notes", &self.notes, true),
        ] {
            if let Err(invalid) = super::text::check_input(name, text, lines) {
                push(field, invalid);
            }
        }
        if self.title.trim().is_empty() {
            push(
                Field::Title,
                Invalid::new("title", &self.title, "must not be empty"),
            );
        }
        if let Some(end) = &self.end_date
            && end.last() < self.date.first()
        {
            push(
                Field::EndDate,
                Invalid::new(
                    "end date",
                    &end.to_iso(),
                    &format!("is before the start date {}", self.date.to_iso()),
                ),
            );
        }
        if self.kind == Kind::Call && self.mode == Mode::InPerson {
            push(
                Field::Mode,
                Invalid::new(
                    "mode",
                    self.mode.as_str(),
                    "a call cannot be in person: use phone or video, or another kind",
                ),
            );
        }
        if self.participants.len() > MAX_PARTICIPANTS {
            push(
                Field::Participants,
                Invalid::new(
                    "participants",
                    "",
                    &format!(
                        "{} participants; at most {MAX_PARTICIPANTS} per event",
                        self.participants.len()
                    ),
                ),
            );
            // Each of thousands checked would only repeat the point.
            return found;
        }
        // Sets, not pairwise comparisons: a file may hold hundreds of participants in a cell.
        let mut names = std::collections::HashSet::with_capacity(self.participants.len());
        for (i, p) in self.participants.iter().enumerate() {
            let problem =
                if let Err(invalid) = super::text::check_input("participant", &p.name, false) {
                    Some(invalid)
                } else if p.name.trim().is_empty() {
                    Some(Invalid::new("participant", &p.name, "name is empty"))
                } else if !names.insert(p.name.trim().to_lowercase()) {
                    Some(Invalid::new("participant", &p.name, "is listed twice"))
                } else {
                    None
                };
            if let Some(invalid) = problem {
                push(Field::Participant(i), invalid);
            }
        }
        if self.participants.is_empty() && self.unnamed_sides.is_empty() {
            push(
                Field::Participants,
                Invalid::new(
                    "participants",
                    "",
                    "an event has at least one side: name a participant, or a side whose members were not named",
                ),
            );
        }
        for side in &self.unnamed_sides {
            if self.participants.iter().any(|p| &p.side == side) {
                push(
                    Field::Participants,
                    Invalid::new(
                        "participant",
                        side.code(),
                        "a side without named members has no participants listed",
                    ),
                );
            }
        }
        for (i, source) in self.sources.iter().enumerate() {
            if let Err((part, invalid)) = source.check() {
                push(Field::Source(i, part), invalid);
            }
        }
        for (i, claim) in self.claims.iter().enumerate() {
            if let Err((part, invalid)) = claim.check(self.sources.len()) {
                push(Field::Claim(i, part), invalid);
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn participant(id: i64, side: &str, head: bool) -> Participant {
        Participant {
            person_id: id,
            name: format!("P{id}"),
            side: Country::parse(side).unwrap(),
            head,
        }
    }

    fn event(participants: Vec<Participant>) -> Event {
        Event {
            id: 1,
            uuid: Uuid::nil(),
            version: 1,
            date: FuzzyDate::parse_iso("2025-04-11").unwrap(),
            end_date: None,
            title: "t".into(),
            kind: Kind::Meeting,
            mode: Mode::InPerson,
            status: Status::Confirmed,
            place: EventPlace::default(),
            notes: String::new(),
            participants,
            sources: vec![],
            claims: vec![],
            unnamed_sides: vec![],
        }
    }

    #[test]
    fn a_lone_participant_heads_their_side() {
        let e = event(vec![
            participant(1, "RU", false),
            participant(2, "US", false),
        ]);
        assert!(e.heads_side(1) && e.heads_side(2));
    }

    #[test]
    fn a_side_of_several_is_headed_only_by_its_marked_head() {
        let e = event(vec![
            participant(1, "RU", true),
            participant(3, "RU", false),
            participant(2, "US", false),
            participant(4, "US", false),
        ]);
        assert!(e.heads_side(1));
        assert!(!e.heads_side(3));
        assert!(!e.heads_side(2), "no head is marked on the US side");
        assert_eq!(e.heads().len(), 1);
    }

    #[test]
    fn urls_are_checked() {
        let mut s = Source {
            outlet: "TASS".into(),
            url: "https://tass.com/world/1942591".into(),
            ..Source::default()
        };
        assert!(s.validate().is_ok());
        s.url = "tass.com".into();
        assert_eq!(s.validate().unwrap_err().field, "source url");
        s.url = "https://".into();
        assert!(s.validate().is_err());
    }

    #[test]
    fn draft_validation_names_the_field() {
        let date = FuzzyDate::parse_iso("2025-04-11").unwrap();
        let mut d = EventDraft::new(date, "  ");
        d.unnamed_sides = vec![Country::parse("RU").unwrap()];
        assert_eq!(d.validate().unwrap_err().field, "title");
        d.title = "Talks".into();
        d.end_date = Some(FuzzyDate::parse_iso("2025-04-10").unwrap());
        let err = d.validate().unwrap_err();
        assert_eq!(
            err.to_string(),
            "end date: is before the start date 2025-04-11 (2025-04-10)"
        );
        d.end_date = Some(FuzzyDate::parse_iso("2025-04").unwrap());
        assert!(
            d.validate().is_ok(),
            "a month-precision end may include the start"
        );
        let side = Country::parse("US").unwrap();
        d.participants = vec![
            DraftParticipant {
                name: "A".into(),
                side: side.clone(),
                head: true,
            },
            DraftParticipant {
                name: "B".into(),
                side,
                head: true,
            },
        ];
        assert!(d.validate().is_ok(), "a side may have co-heads");
    }

    #[test]
    fn an_event_has_a_side_named_or_not() {
        let date = FuzzyDate::parse_iso("2025-05-01").unwrap();
        let mut d = EventDraft::new(date, "Nobody at all");
        let err = d.validate().unwrap_err();
        assert_eq!(err.field, "participants");
        assert!(err.reason.contains("at least one side"), "{err}");
        d.unnamed_sides = vec![Country::parse("RU").unwrap()];
        assert!(
            d.validate().is_ok(),
            "a delegation whose members were not named"
        );
        d.unnamed_sides.clear();
        d.participants.push(DraftParticipant {
            name: "Steve Witkoff".into(),
            side: Country::parse("US").unwrap(),
            head: false,
        });
        assert!(d.validate().is_ok());
    }

    #[test]
    fn each_problem_names_its_field_as_data() {
        use crate::domain::ClaimPart;
        use crate::domain::claim::{Aspect, Claim};
        let date = FuzzyDate::parse_iso("2025-04-11").unwrap();
        let mut d = EventDraft::new(date, "Talks");
        d.kind = Kind::Call;
        d.sources = vec![Source {
            outlet: "TASS".into(),
            citing: "the\u{7}Kremlin".into(),
            url: "tass.com".into(),
            ..Source::default()
        }];
        d.claims = vec![
            Claim {
                aspect: Aspect::Duration,
                value: "3 h".into(),
                sources: vec![4],
                note: String::new(),
                count: None,
            },
            Claim {
                aspect: Aspect::Duration,
                value: "3 h".into(),
                sources: vec![],
                note: "a\u{7}b".into(),
                count: None,
            },
        ];
        let fields: Vec<Field> = d.problems().into_iter().map(|p| p.field).collect();
        assert_eq!(
            fields,
            [
                Field::Mode,
                Field::Participants,
                Field::Source(0, SourcePart::Citing),
                Field::Claim(0, ClaimPart::Sources),
                Field::Claim(1, ClaimPart::Note),
            ]
        );
    }
}
