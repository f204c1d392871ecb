//! Claims: what each source says about one aspect of an event. Two claims about one aspect with
//! different values make it disputed; both are kept, each with its sources.

pub mod typed;

use serde::{Deserialize, Serialize};

use super::keywords::Mode;
use super::scope::Scope;
use super::{ClaimPart, Country, Invalid};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Aspect {
    Date,
    Time,
    Duration,
    Venue,
    Participant,
    Title,
    Outcome,
    Count,
    Other,
}

impl Aspect {
    pub const ALL: [Aspect; 9] = [
        Aspect::Date,
        Aspect::Time,
        Aspect::Duration,
        Aspect::Venue,
        Aspect::Participant,
        Aspect::Title,
        Aspect::Outcome,
        Aspect::Count,
        Aspect::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Aspect::Date => "date",
            Aspect::Time => "time",
            Aspect::Duration => "duration",
            Aspect::Venue => "venue",
            Aspect::Participant => "participant",
            Aspect::Title => "title",
            Aspect::Outcome => "outcome",
            Aspect::Count => "count",
            Aspect::Other => "other",
        }
    }

    /// "Duration", for a heading.
    pub fn label(self) -> String {
        let word = self.as_str();
        let mut chars = word.chars();
        chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect())
            .unwrap_or_default()
    }
}

impl std::str::FromStr for Aspect {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        let text = text.trim().to_lowercase();
        Aspect::ALL
            .into_iter()
            .find(|a| a.as_str() == text)
            .ok_or_else(|| {
                let names: Vec<&str> = Aspect::ALL.iter().map(|a| a.as_str()).collect();
                format!("unknown aspect (expected one of: {})", names.join(", "))
            })
    }
}

/// Where the visits or trips a published count counts went: a country, or a region by its name
/// ("Middle East").
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    Country(Country),
    Region(String),
}

impl Destination {
    /// "IL" or "il" is Israel; "Middle East" is a region. Two letters that are no country code
    /// are refused rather than taken for a region: they are a mistyped code.
    pub fn parse(text: &str) -> Result<Destination, String> {
        let text = text.trim();
        if text.is_empty() {
            return Err("a country code or a region's name".to_string());
        }
        match Country::parse(text) {
            Ok(country) => Ok(Destination::Country(country)),
            Err(reason)
                if text.chars().count() == 2 && text.chars().all(|c| c.is_ascii_alphabetic()) =>
            {
                Err(reason)
            }
            Err(_) => Ok(Destination::Region(text.to_string())),
        }
    }
}

impl std::fmt::Display for Destination {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Destination::Country(country) => write!(f, "{country}"),
            Destination::Region(name) => f.write_str(name),
        }
    }
}

/// What a published count counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Counted {
    /// Meetings (or calls) of a pair, in this mode.
    Meetings(Mode),
    /// Visits of one person to a country or region: each stay there counts.
    Visits(Destination),
    /// Trips of one person to a country or region: one journey counts once, however many
    /// stops it made there.
    Trips(Destination),
}

impl Counted {
    /// How many people a count of this names: a pair for meetings, one traveller otherwise.
    pub fn people(&self) -> usize {
        match self {
            Counted::Meetings(_) => 2,
            Counted::Visits(_) | Counted::Trips(_) => 1,
        }
    }

    pub fn destination(&self) -> Option<&Destination> {
        match self {
            Counted::Meetings(_) => None,
            Counted::Visits(to) | Counted::Trips(to) => Some(to),
        }
    }
}

/// A published ordinal: "TASS: the 6th meeting between Putin and Witkoff", "The Moscow Times:
/// his 2nd US visit since 2022", "AP: his 11th trip to the Middle East since 7 Oct 2023".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedCount {
    /// Two people for meetings, one for visits and trips; by name as the record knows them.
    pub people: Vec<String>,
    pub counted: Counted,
    /// The ordinal published for this event.
    pub number: usize,
    /// What the publisher counted over ("since the 2022 invasion", "in 2025", "as Secretary of
    /// State"); the whole record where they say nothing.
    pub scope: Scope,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub aspect: Aspect,
    /// What is claimed, as the source puts it: "about 3 h", "agreed to develop a roadmap".
    pub value: String,
    /// Positions in the event's source list (from 0).
    pub sources: Vec<usize>,
    pub note: String,
    /// For a claim of aspect `count`: what it counts.
    pub count: Option<PublishedCount>,
}

impl Claim {
    /// Checks the claim against an event with `sources` sources.
    pub fn validate(&self, sources: usize) -> Result<(), Invalid> {
        self.check(sources).map_err(|(_, invalid)| invalid)
    }

    /// As `validate`, saying which part of the claim is wrong: the count's parts first, as the
    /// form lists them before the wording.
    pub fn check(&self, sources: usize) -> Result<(), (ClaimPart, Invalid)> {
        let at = |part: ClaimPart| move |invalid: Invalid| (part, invalid);
        self.check_count()?;
        super::text::check_input("claims", &self.value, false).map_err(at(ClaimPart::Value))?;
        super::text::check_input("claims", &self.note, true).map_err(at(ClaimPart::Note))?;
        if self.value.trim().is_empty() {
            return Err((
                ClaimPart::Value,
                Invalid::new("claims", "", "a claim's value is empty"),
            ));
        }
        if let Some(&beyond) = self.sources.iter().find(|&&s| s >= sources) {
            return Err((
                ClaimPart::Sources,
                Invalid::new(
                    "claims",
                    &self.value,
                    &format!("names source {} of an event with {sources}", beyond + 1),
                ),
            ));
        }
        Ok(())
    }

    fn check_count(&self) -> Result<(), (ClaimPart, Invalid)> {
        let count = match (&self.count, self.aspect) {
            (None, Aspect::Count) => {
                return Err((
                    ClaimPart::Count,
                    Invalid::new(
                        "claims",
                        &self.value,
                        "a count claim says what it counts: people, kind and number",
                    ),
                ));
            }
            (Some(_), aspect) if aspect != Aspect::Count => {
                return Err((
                    ClaimPart::Count,
                    Invalid::new(
                        "claims",
                        &self.value,
                        "only a claim of aspect count has a count",
                    ),
                ));
            }
            (Some(count), _) => count,
            (None, _) => return Ok(()),
        };
        count.check()
    }
}

impl PublishedCount {
    /// The rules of a count: the first problem, with the part it is in.
    pub fn check(&self) -> Result<(), (ClaimPart, Invalid)> {
        self.problems().into_iter().next().map_or(Ok(()), Err)
    }

    /// Every part of the count that breaks a rule, one problem a part, in the form's order.
    pub fn problems(&self) -> Vec<(ClaimPart, Invalid)> {
        [
            (ClaimPart::CountPeople, self.check_people()),
            (ClaimPart::CountPlace, self.check_place()),
            (ClaimPart::CountNumber, self.check_number()),
            (ClaimPart::CountPeriod, self.check_period()),
            (ClaimPart::CountRole, self.check_role()),
        ]
        .into_iter()
        .filter_map(|(part, checked)| checked.err().map(|invalid| (part, invalid)))
        .collect()
    }

    fn check_people(&self) -> Result<(), Invalid> {
        for name in &self.people {
            super::text::check_input("claims", name, false)?;
        }
        let names = self.people.join(", ");
        if self.people.len() != self.counted.people()
            || self.people.iter().any(|p| p.trim().is_empty())
        {
            return Err(Invalid::new(
                "claims",
                &names,
                "a count names two people (meetings) or one (visits and trips)",
            ));
        }
        if let Counted::Meetings(_) = self.counted
            && same_people(&self.people[..1], &self.people[1..])
        {
            return Err(Invalid::new(
                "claims",
                &names,
                "a count of meetings names two different people",
            ));
        }
        Ok(())
    }

    fn check_place(&self) -> Result<(), Invalid> {
        let Some(Destination::Region(name)) = self.counted.destination() else {
            return Ok(());
        };
        super::text::check_input("claims", name, false)?;
        if name.trim().is_empty() {
            return Err(Invalid::new(
                "claims",
                "",
                "visits and trips name a country or a region",
            ));
        }
        Ok(())
    }

    fn check_number(&self) -> Result<(), Invalid> {
        if self.number == 0 {
            return Err(Invalid::new("claims", "0", "a published count starts at 1"));
        }
        super::check_count("claims", self.number)
    }

    fn check_period(&self) -> Result<(), Invalid> {
        match (self.scope.since, self.scope.until) {
            (Some(since), Some(until)) if until < since => Err(Invalid::new(
                "claims",
                &until.to_string(),
                &format!("counted until a day before it is counted from ({since})"),
            )),
            _ => Ok(()),
        }
    }

    fn check_role(&self) -> Result<(), Invalid> {
        let Some(role) = &self.scope.role else {
            return Ok(());
        };
        super::text::check_input("claims", role, false)?;
        if role.trim().is_empty() {
            return Err(Invalid::new(
                "claims",
                "",
                "a role in a scope is a title, such as Secretary of State",
            ));
        }
        Ok(())
    }
}

/// The aspects on which `claims` disagree: two claims of one aspect with different values (for
/// counts, different numbers for the same people, kind and scope).
pub fn disputed(claims: &[Claim]) -> Vec<Aspect> {
    let mut found = Vec::new();
    for (i, a) in claims.iter().enumerate() {
        for b in &claims[i + 1..] {
            let differ = match (&a.count, &b.count) {
                (Some(x), Some(y)) => {
                    x.counted == y.counted
                        && x.scope == y.scope
                        && same_people(&x.people, &y.people)
                        && x.number != y.number
                }
                _ => {
                    a.aspect == b.aspect
                        && a.value.trim().to_lowercase() != b.value.trim().to_lowercase()
                }
            };
            if differ && !found.contains(&a.aspect) {
                found.push(a.aspect);
            }
        }
    }
    found
}

fn same_people(a: &[String], b: &[String]) -> bool {
    let key = |names: &[String]| {
        let mut keys: Vec<String> = names.iter().map(|n| n.trim().to_lowercase()).collect();
        keys.sort();
        keys
    };
    key(a) == key(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim(aspect: Aspect, value: &str) -> Claim {
        Claim {
            aspect,
            value: value.into(),
            sources: vec![0],
            note: String::new(),
            count: None,
        }
    }

    #[test]
    fn different_values_of_one_aspect_are_a_dispute() {
        let claims = [
            claim(Aspect::Duration, "3 h"),
            claim(Aspect::Duration, "more than 2 h"),
            claim(Aspect::Outcome, "a roadmap"),
            claim(Aspect::Outcome, "A roadmap"),
        ];
        assert_eq!(disputed(&claims), [Aspect::Duration]);
    }

    #[test]
    fn counts_disagree_only_about_the_same_thing() {
        let count = |people: [&str; 2], number| Claim {
            count: Some(PublishedCount {
                people: people.iter().map(|p| p.to_string()).collect(),
                counted: Counted::Meetings(Mode::InPerson),
                number,
                scope: Scope::default(),
            }),
            ..claim(Aspect::Count, "nth")
        };
        let claims = [
            count(["Putin", "Witkoff"], 6),
            count(["Witkoff", "Putin"], 6),
            count(["Putin", "Trump"], 2),
        ];
        assert!(disputed(&claims).is_empty());
        let claims = [
            count(["Putin", "Witkoff"], 6),
            count(["Witkoff", "Putin"], 5),
        ];
        assert_eq!(disputed(&claims), [Aspect::Count]);
        // The 6th in the whole record and the 3rd this year are no dispute.
        let mut this_year = count(["Putin", "Witkoff"], 3);
        if let Some(c) = this_year.count.as_mut() {
            c.scope = Scope::year(2025).unwrap();
        }
        assert!(disputed(&[count(["Putin", "Witkoff"], 6), this_year]).is_empty());
    }

    #[test]
    fn a_destination_is_a_country_or_a_region_by_name() {
        assert_eq!(
            Destination::parse(" il "),
            Ok(Destination::Country(Country::parse("IL").unwrap()))
        );
        assert_eq!(
            Destination::parse("Middle East"),
            Ok(Destination::Region("Middle East".into()))
        );
        assert_eq!(
            Destination::parse("ZZ"),
            Err("not an ISO 3166-1 alpha-2 country code".to_string())
        );
        assert!(Destination::parse(" ").is_err());
    }

    #[test]
    fn a_claim_is_checked() {
        assert!(claim(Aspect::Duration, "3 h").validate(1).is_ok());
        assert!(
            claim(Aspect::Duration, "3 h")
                .validate(0)
                .unwrap_err()
                .reason
                .contains("names source 1 of an event with 0")
        );
        assert!(
            claim(Aspect::Count, "6th")
                .validate(1)
                .unwrap_err()
                .reason
                .contains("says what it counts")
        );
        assert!(claim(Aspect::Other, " ").validate(1).is_err());
        assert_eq!("Duration".parse::<Aspect>(), Ok(Aspect::Duration));
        assert!(
            "length"
                .parse::<Aspect>()
                .unwrap_err()
                .contains("unknown aspect")
        );
    }
}
