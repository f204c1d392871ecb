//! An event in the form files carry it: plain text fields, so that every problem can be
//! reported with the field it is in. Exports, imports and the undo log all use it.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::claim::{Claim, Counted, Destination, PublishedCount};
use super::scope::Scope;
use super::{Country, DraftParticipant, Event, EventDraft, EventPlace, FuzzyDate, Invalid, Source};

/// An event as files carry it: plain text fields, so that every problem can be reported with
/// the field it is in.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct EventRecord {
    /// The event's UUID; empty for a new event.
    #[serde(default)]
    pub id: String,
    pub date: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub end_date: String,
    #[serde(default)]
    pub circa: bool,
    pub title: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub mode: String,
    #[serde(default)]
    pub status: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub city: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub country: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub venue: String,
    #[serde(default)]
    pub participants: Vec<ParticipantRecord>,
    /// Sides whose members were not named, by country code.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unnamed_sides: Vec<String>,
    #[serde(default)]
    pub sources: Vec<Source>,
    /// What each source says about one aspect; left out when there is none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub claims: Vec<ClaimRecord>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
    /// Written for readers; ignored on import.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ordinals: Vec<String>,
    /// The user's word on the event's trip, as the undo log and the JSON file keep it: "split"
    /// (it starts a new trip) or "join" (it continues the previous one); empty for the rule of
    /// days.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub trip: String,
}

/// A claim as files carry it: its sources named as the event's sources are ("Sputnik citing
/// Yuri Ushakov", or the outlet alone where that is unambiguous).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ClaimRecord {
    pub aspect: String,
    pub value: String,
    #[serde(default)]
    pub sources: Vec<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<CountRecord>,
}

/// A published count as files carry it. Files written before counts had a period, a role, a
/// region or trips carry `since` alone, which reads as it always did.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CountRecord {
    /// Two people (meetings) or one (visits and trips).
    pub people: Vec<String>,
    /// "in-person", "phone", "video", "visit" or "trip".
    pub kind: String,
    /// Where the visits or trips went: a country code, or else `region`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// A region by its name ("Middle East").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    pub number: usize,
    /// Counted from this date on (YYYY-MM-DD; a month or year starts on its first day).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
    /// Counted up to this date (a month or year ends on its last day).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
    /// Only while the person held this title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
}

impl CountRecord {
    pub fn of(count: &PublishedCount) -> Self {
        let (kind, destination) = match &count.counted {
            Counted::Meetings(mode) => (mode.to_string(), None),
            Counted::Visits(to) => ("visit".to_string(), Some(to)),
            Counted::Trips(to) => ("trip".to_string(), Some(to)),
        };
        let (country, region) = match destination {
            Some(Destination::Country(country)) => (Some(country.to_string()), None),
            Some(Destination::Region(name)) => (None, Some(name.clone())),
            None => (None, None),
        };
        CountRecord {
            people: count.people.clone(),
            kind,
            country,
            region,
            number: count.number,
            since: count.scope.since.map(|d| d.to_string()),
            until: count.scope.until.map(|d| d.to_string()),
            role: count.scope.role.clone(),
        }
    }

    pub fn to_count(&self) -> Result<PublishedCount, Invalid> {
        let destination = || match (&self.country, &self.region) {
            (Some(country), None) => Ok(Destination::Country(Country::parse_field(
                "claims", country,
            )?)),
            (None, Some(region)) => Ok(Destination::Region(region.trim().to_string())),
            (Some(country), Some(region)) => Err(Invalid::new(
                "claims",
                &format!("{country}, {region}"),
                "a count names a country or a region, not both",
            )),
            (None, None) => Err(Invalid::new(
                "claims",
                &self.kind,
                "a count of visits or trips names a country or a region",
            )),
        };
        let counted = match self.kind.as_str() {
            "visit" => Counted::Visits(destination()?),
            "trip" => Counted::Trips(destination()?),
            mode => Counted::Meetings(
                mode.parse()
                    .map_err(|e: String| Invalid::new("claims", mode, &e))?,
            ),
        };
        let day = |date: &Option<String>| {
            date.as_deref()
                .map(|text| {
                    FuzzyDate::parse_iso(text)
                        .map_err(|e| Invalid::new("claims", text, &e.to_string()))
                })
                .transpose()
        };
        Ok(PublishedCount {
            people: self.people.iter().map(|p| p.trim().to_string()).collect(),
            counted,
            number: self.number,
            scope: Scope {
                since: day(&self.since)?.map(|d| d.first()),
                until: day(&self.until)?.map(|d| d.last()),
                role: self
                    .role
                    .as_deref()
                    .map(str::trim)
                    .filter(|r| !r.is_empty())
                    .map(str::to_string),
            },
        })
    }
}

impl ClaimRecord {
    /// The record of `claim`, its sources named from `sources` (the event's).
    pub fn of(claim: &Claim, sources: &[Source]) -> Self {
        ClaimRecord {
            aspect: claim.aspect.as_str().to_string(),
            value: claim.value.clone(),
            sources: claim
                .sources
                .iter()
                .filter_map(|&i| sources.get(i))
                .map(|s| source_name(s, sources))
                .collect(),
            note: claim.note.clone(),
            count: claim.count.as_ref().map(CountRecord::of),
        }
    }

    /// The claim this record states, its sources found among `sources` (the event's).
    pub fn to_claim(&self, sources: &[Source]) -> Result<Claim, Invalid> {
        let aspect = self
            .aspect
            .parse()
            .map_err(|e: String| Invalid::new("claims", &self.aspect, &e))?;
        let mut positions = Vec::new();
        for name in &self.sources {
            let wanted = name.trim().to_lowercase();
            let found = sources
                .iter()
                .position(|s| source_name(s, sources).to_lowercase() == wanted)
                .or_else(|| {
                    sources
                        .iter()
                        .position(|s| s.attribution().to_lowercase() == wanted)
                });
            match found {
                Some(i) => positions.push(i),
                None => {
                    return Err(Invalid::new(
                        "claims",
                        name,
                        "not one of the event's sources (name it as the sources list does)",
                    ));
                }
            }
        }
        Ok(Claim {
            aspect,
            value: self.value.trim().to_string(),
            sources: positions,
            note: self.note.clone(),
            count: self.count.as_ref().map(CountRecord::to_count).transpose()?,
        })
    }
}

/// How a claim names one of the event's sources: by its outlet where no other source has it,
/// else by its whole attribution.
fn source_name(source: &Source, all: &[Source]) -> String {
    let shared = all.iter().filter(|s| s.outlet == source.outlet).count() > 1;
    if shared {
        source.attribution()
    } else {
        source.outlet.clone()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ParticipantRecord {
    pub name: String,
    pub side: String,
    #[serde(default)]
    pub head: bool,
}

impl EventRecord {
    /// The user's word on the event's trip, read from `trip`: an unknown word is refused, so
    /// that a file never loses a split or join to a misspelling.
    pub fn trip_link(&self) -> Result<Option<super::trip::Link>, Invalid> {
        match self.trip.trim() {
            "" => Ok(None),
            "split" => Ok(Some(super::trip::Link::Split)),
            "join" => Ok(Some(super::trip::Link::Join)),
            other => Err(Invalid::new(
                "trip",
                other,
                "is \"split\" (the event starts a new trip) or \"join\" (it continues the previous one)",
            )),
        }
    }

    /// The record of a stored event. Heads are stated as they count: a side of one is headed
    /// by its member, so that member is marked head even when the store holds no mark.
    pub fn from_event(event: &Event, ordinals: Vec<String>) -> Self {
        let heads: Vec<i64> = event.heads().iter().map(|p| p.person_id).collect();
        EventRecord {
            id: event.uuid.to_string(),
            date: event.date.to_iso(),
            end_date: event.end_date.map(|d| d.to_iso()).unwrap_or_default(),
            circa: event.date.circa(),
            title: event.title.clone(),
            kind: event.kind.to_string(),
            mode: event.mode.to_string(),
            status: event.status.to_string(),
            city: event.place.city.clone(),
            country: event
                .place
                .country
                .as_ref()
                .map(|c| c.to_string())
                .unwrap_or_default(),
            venue: event.place.venue.clone(),
            participants: event
                .participants
                .iter()
                .map(|p| ParticipantRecord {
                    name: p.name.clone(),
                    side: p.side.to_string(),
                    head: heads.contains(&p.person_id),
                })
                .collect(),
            unnamed_sides: event.unnamed_sides.iter().map(|c| c.to_string()).collect(),
            sources: event.sources.clone(),
            claims: event
                .claims
                .iter()
                .map(|c| ClaimRecord::of(c, &event.sources))
                .collect(),
            notes: event.notes.clone(),
            ordinals,
            trip: String::new(),
        }
    }

    /// Checks every field and builds the draft to save. Empty kind, mode and status take the
    /// defaults of `attache add`: meeting, in person, confirmed.
    pub fn to_draft(&self) -> Result<EventDraft, Invalid> {
        let date = FuzzyDate::parse_iso(&self.date)
            .map_err(|e| Invalid::new("date", &self.date, &e.to_string()))?
            .with_circa(self.circa);
        let end_date = match self.end_date.trim() {
            "" => None,
            text => Some(
                FuzzyDate::parse_iso(text)
                    .map_err(|e| Invalid::new("end_date", &self.end_date, &e.to_string()))?,
            ),
        };
        let or_default = |text: &str, default: &str| match text.trim() {
            "" => default.to_string(),
            given => given.to_string(),
        };
        let uuid = match self.id.trim() {
            "" => None,
            text => {
                Some(Uuid::parse_str(text).map_err(|_| Invalid::new("id", text, "not a UUID"))?)
            }
        };
        let country = match self.country.trim() {
            "" => None,
            text => Some(Country::parse_field("country", text)?),
        };
        let participants = self
            .participants
            .iter()
            .map(|p| {
                Ok(DraftParticipant {
                    name: p.name.trim().to_string(),
                    side: Country::parse(&p.side).map_err(|reason| {
                        Invalid::new(
                            "participants",
                            &p.side,
                            &format!("side of {}: {reason}", p.name),
                        )
                    })?,
                    head: p.head,
                })
            })
            .collect::<Result<Vec<_>, Invalid>>()?;
        let draft = EventDraft {
            uuid,
            date,
            end_date,
            title: self.title.trim().to_string(),
            kind: or_default(&self.kind, "meeting")
                .parse()
                .map_err(|e: String| Invalid::new("kind", &self.kind, &e))?,
            mode: or_default(&self.mode, "in-person")
                .parse()
                .map_err(|e: String| Invalid::new("mode", &self.mode, &e))?,
            status: or_default(&self.status, "confirmed")
                .parse()
                .map_err(|e: String| Invalid::new("status", &self.status, &e))?,
            place: EventPlace {
                city: self.city.trim().to_string(),
                country,
                venue: self.venue.trim().to_string(),
            },
            notes: self.notes.clone(),
            participants,
            unnamed_sides: self
                .unnamed_sides
                .iter()
                .map(|side| Country::parse_field("participants", side))
                .collect::<Result<_, _>>()?,
            sources: self.sources.clone(),
            claims: self
                .claims
                .iter()
                .map(|c| c.to_claim(&self.sources))
                .collect::<Result<_, _>>()?,
        };
        draft.validate().map_err(|mut invalid| {
            invalid.field = file_column(&invalid.field).to_string();
            invalid
        })?;
        Ok(draft)
    }
}

/// Domain checks name fields as a person would; files name their columns.
fn file_column(field: &str) -> &str {
    match field {
        "end date" => "end_date",
        "participant" => "participants",
        "source" | "source url" => "sources",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Mode;

    fn read(json: &str) -> PublishedCount {
        serde_json::from_str::<CountRecord>(json)
            .unwrap()
            .to_count()
            .unwrap()
    }

    fn day(text: &str) -> Option<chrono::NaiveDate> {
        chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
    }

    /// Databases and files written before counts had a period, a role, a region or trips hold
    /// counts with `since` alone, at any precision: they read as they always did, and are
    /// written back unchanged.
    #[test]
    fn counts_written_before_scopes_read_as_before() {
        let old = r#"{"people":["Kirill Dmitriev"],"kind":"visit","country":"US","number":2,"since":"2022-02-24"}"#;
        let count = read(old);
        assert_eq!(
            count.counted,
            Counted::Visits(Destination::Country(Country::parse("US").unwrap()))
        );
        assert_eq!(
            count.scope,
            Scope {
                since: day("2022-02-24"),
                ..Scope::default()
            }
        );
        assert_eq!(
            serde_json::to_string(&CountRecord::of(&count)).unwrap(),
            old,
            "written back as it was"
        );
        let meetings = read(r#"{"people":["Putin","Witkoff"],"kind":"in-person","number":3}"#);
        assert_eq!(meetings.counted, Counted::Meetings(Mode::InPerson));
        assert!(meetings.scope.is_whole_record());
        // A month or a year counts from its first day.
        let year = read(r#"{"people":["A","B"],"kind":"phone","number":8,"since":"2025"}"#);
        assert_eq!(year.scope.since, day("2025-01-01"));
    }

    #[test]
    fn trips_regions_periods_and_roles_go_and_come_back() {
        let count = PublishedCount {
            people: vec!["Antony Blinken".into()],
            counted: Counted::Trips(Destination::Region("Middle East".into())),
            number: 11,
            scope: Scope {
                since: day("2023-10-07"),
                until: day("2024-12-31"),
                role: Some("Secretary of State".into()),
            },
        };
        let json = serde_json::to_string(&CountRecord::of(&count)).unwrap();
        assert_eq!(
            json,
            r#"{"people":["Antony Blinken"],"kind":"trip","region":"Middle East","number":11,"since":"2023-10-07","until":"2024-12-31","role":"Secretary of State"}"#
        );
        assert_eq!(read(&json), count);
        let until =
            read(r#"{"people":["A"],"kind":"visit","country":"IL","number":1,"until":"2024-02"}"#);
        assert_eq!(
            until.scope.until,
            day("2024-02-29"),
            "a month ends on its last day"
        );
        for (json, reason) in [
            (
                r#"{"people":["A"],"kind":"trip","number":1}"#,
                "names a country or a region",
            ),
            (
                r#"{"people":["A"],"kind":"visit","country":"IL","region":"Levant","number":1}"#,
                "not both",
            ),
        ] {
            let record: CountRecord = serde_json::from_str(json).unwrap();
            assert!(
                record.to_count().unwrap_err().reason.contains(reason),
                "{json}"
            );
        }
    }
}
