//! The scope of a count: the period it covers and the title the person held, as the press
//! scopes its counts ("his eighth visit to Israel since 7 Oct 2023", "her third trip as
//! Secretary of State"). One type for every count (meetings, visits, trips, published counts),
//! so that a count and a claim about it are scoped alike.

use chrono::NaiveDate;

use super::Title;
use super::date::{DateStyle, FuzzyDate, Precision};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    /// Counted from this day on (inclusive).
    pub since: Option<NaiveDate>,
    /// Counted up to this day (inclusive).
    pub until: Option<NaiveDate>,
    /// Only events at which the person held this title (compared without regard to case).
    pub role: Option<String>,
}

impl Scope {
    /// The calendar year `year`, as `--year` gives it.
    pub fn year(year: i32) -> Option<Scope> {
        Some(Scope {
            since: NaiveDate::from_ymd_opt(year, 1, 1),
            until: Some(NaiveDate::from_ymd_opt(year, 12, 31)?),
            role: None,
        })
    }

    pub fn is_whole_record(&self) -> bool {
        self == &Scope::default()
    }

    /// Whether an event dated `date` falls within the period: wholly, so that an event that
    /// may have been before `since` is not counted after it.
    pub fn covers(&self, date: &FuzzyDate) -> bool {
        self.since.is_none_or(|since| since <= date.first())
            && self.until.is_none_or(|until| date.last() <= until)
    }

    /// Whether the person, with these dated titles, held the scope's title on the event's
    /// first day (any title when the scope names none).
    pub fn holds_role(&self, date: &FuzzyDate, titles: &[Title]) -> bool {
        self.role.as_deref().is_none_or(|role| {
            titles.iter().any(|t| {
                t.title.trim().eq_ignore_ascii_case(role.trim()) && t.held_on(date.first())
            })
        })
    }

    /// What a sentence says of the scope: " since 7 Oct 2023", " in 2024",
    /// " from 1 Jan 2024 to 30 Jun 2024", " as Secretary of State"; empty for the whole record.
    pub fn phrase(&self, style: DateStyle) -> String {
        let day = |d: NaiveDate| FuzzyDate::from_day(d).display(style);
        let whole_year = match (self.since, self.until) {
            (Some(s), Some(u)) => {
                use chrono::Datelike;
                (s.ordinal() == 1 && u.year() == s.year() && u == last_of_year(s.year()))
                    .then_some(s.year())
            }
            _ => None,
        };
        let mut text = match (self.since, self.until, whole_year) {
            (_, _, Some(year)) => format!(" in {year}"),
            (Some(s), Some(u), None) => format!(" from {} to {}", day(s), day(u)),
            (Some(s), None, _) => format!(" since {}", day(s)),
            (None, Some(u), _) => format!(" until {}", day(u)),
            (None, None, _) => String::new(),
        };
        if let Some(role) = &self.role {
            text.push_str(&format!(" as {}", role.trim()));
        }
        text
    }
}

fn last_of_year(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 12, 31).expect("every year has a 31 December")
}

impl FuzzyDate {
    /// A date known to the day.
    pub fn from_day(day: NaiveDate) -> FuzzyDate {
        FuzzyDate::parse_iso(&day.format("%Y-%m-%d").to_string())
            .expect("a calendar day reads back")
    }

    pub fn is_to_the_day(&self) -> bool {
        self.precision() == Precision::Day
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn date(text: &str) -> FuzzyDate {
        FuzzyDate::parse_iso(text).unwrap()
    }

    #[test]
    fn a_period_covers_only_events_wholly_inside_it() {
        let since = Scope {
            since: Some(day("2023-10-07")),
            ..Scope::default()
        };
        assert!(since.covers(&date("2023-10-07")));
        assert!(!since.covers(&date("2023-10-06")));
        // October 2023 may have begun before the 7th.
        assert!(!since.covers(&date("2023-10")));
        let year = Scope::year(2024).unwrap();
        assert!(year.covers(&date("2024-12-31")) && !year.covers(&date("2025-01-01")));
        assert!(Scope::default().covers(&date("1866")));
    }

    #[test]
    fn a_role_scope_follows_the_dated_titles() {
        let titles = [
            Title {
                title: "Senator".into(),
                from: None,
                until: Some(day("2021-01-19")),
            },
            Title {
                title: "Secretary of State".into(),
                from: Some(day("2021-01-26")),
                until: None,
            },
        ];
        let secretary = Scope {
            role: Some("secretary of state".into()),
            ..Scope::default()
        };
        assert!(secretary.holds_role(&date("2023-10-12"), &titles));
        assert!(!secretary.holds_role(&date("2020-06-01"), &titles));
        assert!(Scope::default().holds_role(&date("2020-06-01"), &[]));
    }

    #[test]
    fn a_scope_is_said_as_the_press_says_it() {
        let since = Scope {
            since: Some(day("2023-10-07")),
            ..Scope::default()
        };
        assert_eq!(since.phrase(DateStyle::Human), " since 7 Oct 2023");
        assert_eq!(
            Scope::year(2025).unwrap().phrase(DateStyle::Human),
            " in 2025"
        );
        let both = Scope {
            since: Some(day("2024-01-01")),
            until: Some(day("2024-06-30")),
            role: Some("Secretary of State".into()),
        };
        assert_eq!(
            both.phrase(DateStyle::Human),
            " from 1 Jan 2024 to 30 Jun 2024 as Secretary of State"
        );
        assert_eq!(Scope::default().phrase(DateStyle::Human), "");
    }
}
