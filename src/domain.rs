//! The plain types of attache and the rules that count meetings. No I/O here.

pub mod claim;
pub mod counting;
pub mod country;
pub mod date;
pub mod duplicate;
pub mod event;
pub mod keywords;
pub mod names;
#[cfg(test)]
mod oracle;
pub mod ordinal;
pub mod period;
pub mod prior;
pub mod record;
pub mod region;
pub mod scope;
pub mod series;
pub mod text;
pub mod travels;
pub mod trip;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub use country::Country;
pub use date::{DateError, FuzzyDate, Precision};
pub use event::{DraftParticipant, Event, EventDraft, Participant, Place, Source};
pub use keywords::{Kind, Mode, Status};

/// A value that failed a check, with the field it was given for: prints as
/// `date: no such day (2025-02-30)`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {reason}{}", if value.is_empty() { String::new() } else { format!(" ({value})") })]
pub struct Invalid {
    pub field: String,
    pub value: String,
    pub reason: String,
}

impl Invalid {
    pub fn new(field: &str, value: &str, reason: &str) -> Self {
        Invalid {
            field: field.to_string(),
            value: value.to_string(),
            reason: reason.to_string(),
        }
    }
}

/// Where in an event a problem is, as data: the form places its marker by this, so that
/// rewording a message cannot move it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Title,
    EndDate,
    Mode,
    City,
    Venue,
    Notes,
    /// The participants as a whole: too many, or a side both named and said to be unnamed.
    Participants,
    /// The participant at this position in the draft.
    Participant(usize),
    Source(usize, SourcePart),
    Claim(usize, ClaimPart),
}

/// The part of a source a problem is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourcePart {
    /// The outlet, and the site it was read at, typed with it.
    Outlet,
    Citing,
    Url,
}

/// The part of a claim a problem is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimPart {
    Value,
    Note,
    Sources,
    /// What a published count counts, which the claim's aspect decides.
    Count,
    /// The people a published count names.
    CountPeople,
    /// The country or region of a count of visits or trips.
    CountPlace,
    /// The number published.
    CountNumber,
    /// The period it was counted over.
    CountPeriod,
    /// The title held over what was counted.
    CountRole,
}

/// A rule of a valid event that a draft breaks, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub field: Field,
    pub invalid: Invalid,
}

/// The largest count input may give (a prior count, a published count): far beyond any pair's
/// meetings or any person's visits, and well inside every integer the record stores.
pub const MAX_COUNT: usize = 100_000;

/// Refuses a count beyond `MAX_COUNT`, so that what is said to be stored is what is stored.
pub fn check_count(field: &str, count: usize) -> Result<(), Invalid> {
    if count > MAX_COUNT {
        return Err(Invalid::new(
            field,
            &count.to_string(),
            &format!("is more than {MAX_COUNT}, the largest count attache takes"),
        ));
    }
    Ok(())
}

/// A title a person held, with the dates they held it where known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Title {
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<NaiveDate>,
}

impl Title {
    /// "TITLE[:FROM[:UNTIL]]": the dates are the last fields when they are dates (or empty), so a
    /// title may hold a colon.
    pub fn parse_spec(field: &str, spec: &str) -> Result<Title, Invalid> {
        let date = |text: &str| -> Result<Option<NaiveDate>, Invalid> {
            match text.trim() {
                "" => Ok(None),
                day => NaiveDate::parse_from_str(day, "%Y-%m-%d")
                    .map(Some)
                    .map_err(|_| Invalid::new(field, spec, "dates are YYYY-MM-DD")),
            }
        };
        let looks_dated = |text: &str| {
            let t = text.trim();
            t.is_empty() || (t.len() == 10 && t.as_bytes()[4] == b'-' && t.as_bytes()[7] == b'-')
        };
        let parts: Vec<&str> = spec.split(':').collect();
        let (title, from, until) = match parts.as_slice() {
            [rest @ .., from, until]
                if !rest.is_empty() && looks_dated(from) && looks_dated(until) =>
            {
                (rest.join(":"), date(from)?, date(until)?)
            }
            [rest @ .., from] if !rest.is_empty() && looks_dated(from) => {
                (rest.join(":"), date(from)?, None)
            }
            _ => (spec.to_string(), None, None),
        };
        if title.trim().is_empty() {
            return Err(Invalid::new(field, spec, "the title is empty"));
        }
        if let (Some(from), Some(until)) = (from, until)
            && until < from
        {
            return Err(Invalid::new(field, spec, "ends before it starts"));
        }
        Ok(Title {
            title: title.trim().to_string(),
            from,
            until,
        })
    }

    /// The title as `parse_spec` reads it: "Ambassador to the United States:2025-03-06".
    pub fn spec(&self) -> String {
        let day = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        match (self.from, self.until) {
            (None, None) => self.title.clone(),
            (from, None) => format!("{}:{}", self.title, day(from)),
            (from, until) => format!("{}:{}:{}", self.title, day(from), day(until)),
        }
    }

    pub fn held_on(&self, day: NaiveDate) -> bool {
        self.from.is_none_or(|f| f <= day) && self.until.is_none_or(|u| day <= u)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Person {
    pub id: i64,
    /// The one name the record shows.
    pub name: String,
    /// The name in its own scripts, as the sources print it: "Владимир Путин"; the first is
    /// the one shown.
    pub native_names: Vec<String>,
    /// Other spellings and transliterations ("Sergei Lavrov"), found as the name is.
    pub aliases: Vec<String>,
    /// The short name set for labels ("MBS"), or "": then the family name is, by the rules
    /// of `names`, and follows the name when it changes.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub short_name: String,
    pub country: Option<Country>,
    pub titles: Vec<Title>,
    pub notes: String,
}

impl Person {
    /// The native-script name shown beside the name, or "".
    pub fn native_name(&self) -> &str {
        self.native_names.first().map_or("", String::as_str)
    }

    /// The short name labels show: the one set, or the family name ("Grant" for "Ulysses S.
    /// Grant II").
    pub fn short(&self) -> &str {
        names::short_name(&self.name, &self.short_name)
    }

    /// Every name the person is found by: the name, native names, aliases.
    pub fn all_names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str())
            .chain(self.native_names.iter().map(String::as_str))
            .chain(self.aliases.iter().map(String::as_str))
    }

    /// The titles held on `day`, joined: "CEO, Russian Direct Investment Fund; Special ...".
    pub fn titles_on(&self, day: NaiveDate) -> String {
        let held: Vec<&str> = self
            .titles
            .iter()
            .filter(|t| t.held_on(day))
            .map(|t| t.title.as_str())
            .collect();
        held.join("; ")
    }

    /// The titles without an end date, or else the last one recorded.
    pub fn current_title(&self) -> String {
        let open: Vec<&str> = self
            .titles
            .iter()
            .filter(|t| t.until.is_none())
            .map(|t| t.title.as_str())
            .collect();
        if open.is_empty() {
            self.titles
                .last()
                .map(|t| t.title.clone())
                .unwrap_or_default()
        } else {
            open.join("; ")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_follow_their_dates() {
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let darchiev = Person {
            id: 1,
            name: "Alexander Darchiev".into(),
            native_names: vec!["Александр Дарчиев".into()],
            country: Country::parse("RU").ok(),
            titles: vec![
                Title {
                    title: "Director, North Atlantic Department".into(),
                    from: None,
                    until: Some(day("2025-03-05")),
                },
                Title {
                    title: "Ambassador to the United States".into(),
                    from: Some(day("2025-03-06")),
                    until: None,
                },
            ],
            ..Person::default()
        };
        assert_eq!(
            darchiev.titles_on(day("2025-02-27")),
            "Director, North Atlantic Department"
        );
        assert_eq!(
            darchiev.titles_on(day("2025-04-10")),
            "Ambassador to the United States"
        );
        assert_eq!(darchiev.current_title(), "Ambassador to the United States");
    }
}
