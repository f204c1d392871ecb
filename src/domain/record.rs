//! An event in the form files carry it: plain text fields, so that every problem can be
//! reported with the field it is in. Exports, imports and the undo log all use it.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{Country, DraftParticipant, Event, EventDraft, FuzzyDate, Invalid, Place, Source};

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
    #[serde(default)]
    pub sources: Vec<Source>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
    /// Written for readers; ignored on import.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ordinals: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ParticipantRecord {
    pub name: String,
    pub side: String,
    #[serde(default)]
    pub head: bool,
}

impl EventRecord {
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
            sources: event.sources.clone(),
            notes: event.notes.clone(),
            ordinals,
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
            place: Place {
                city: self.city.trim().to_string(),
                country,
                venue: self.venue.trim().to_string(),
            },
            notes: self.notes.clone(),
            participants,
            sources: self.sources.clone(),
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
