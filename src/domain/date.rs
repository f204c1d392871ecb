//! Dates as the press reports them: to the day, the month or the year, possibly "circa".

use std::fmt;

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    Day,
    Month,
    Year,
}

impl Precision {
    pub fn as_str(self) -> &'static str {
        match self {
            Precision::Day => "day",
            Precision::Month => "month",
            Precision::Year => "year",
        }
    }
}

/// A date known to a given precision. `first` is the first day it may denote; for month and
/// year precision it is the first of the month or year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FuzzyDate {
    first: NaiveDate,
    precision: Precision,
    circa: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("no such day")]
    NoSuchDay,
    #[error("month must be 1 to 12")]
    NoSuchMonth,
    #[error(
        "not a date; expected YYYY-MM-DD, YYYY-MM, YYYY, \"11 Apr 2025\" or \"April 11, 2025\""
    )]
    Malformed,
    #[error("year out of range")]
    YearOutOfRange,
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

impl FuzzyDate {
    pub fn day(date: NaiveDate) -> Self {
        FuzzyDate {
            first: date,
            precision: Precision::Day,
            circa: false,
        }
    }

    pub fn from_parts(
        year: i32,
        month: Option<u32>,
        day: Option<u32>,
        circa: bool,
    ) -> Result<Self, DateError> {
        if !(1..=9999).contains(&year) {
            return Err(DateError::YearOutOfRange);
        }
        if let Some(m) = month
            && !(1..=12).contains(&m)
        {
            return Err(DateError::NoSuchMonth);
        }
        let (first, precision) = match (month, day) {
            (Some(m), Some(d)) => (
                NaiveDate::from_ymd_opt(year, m, d).ok_or(DateError::NoSuchDay)?,
                Precision::Day,
            ),
            (Some(m), None) => (
                NaiveDate::from_ymd_opt(year, m, 1).ok_or(DateError::NoSuchDay)?,
                Precision::Month,
            ),
            (None, None) => (
                NaiveDate::from_ymd_opt(year, 1, 1).ok_or(DateError::NoSuchDay)?,
                Precision::Year,
            ),
            (None, Some(_)) => return Err(DateError::Malformed),
        };
        Ok(FuzzyDate {
            first,
            precision,
            circa,
        })
    }

    pub fn with_circa(self, circa: bool) -> Self {
        FuzzyDate { circa, ..self }
    }

    pub fn first(&self) -> NaiveDate {
        self.first
    }

    pub fn precision(&self) -> Precision {
        self.precision
    }

    pub fn circa(&self) -> bool {
        self.circa
    }

    /// The last day this date may denote.
    pub fn last(&self) -> NaiveDate {
        match self.precision {
            Precision::Day => self.first,
            Precision::Month => self.first + Months::new(1) - chrono::Days::new(1),
            Precision::Year => NaiveDate::from_ymd_opt(self.first.year(), 12, 31)
                .expect("31 December exists in every year"),
        }
    }

    /// ISO 8601 at the date's precision, without the circa mark: `2025-04-11`, `2025-04`, `2025`.
    pub fn to_iso(&self) -> String {
        let mut text = String::with_capacity(10);
        self.push_iso(&mut text);
        text
    }

    /// Appends `to_iso`'s text to `out`: an export writes a date for every row, and chrono's
    /// formatting reads its pattern again each time.
    pub fn push_iso(&self, out: &mut String) {
        use std::fmt::Write;
        let year = self.first.year();
        if !(0..=9999).contains(&year) {
            // chrono writes these with a sign ("+10000", "-0001").
            let pattern = match self.precision {
                Precision::Day => "%Y-%m-%d",
                Precision::Month => "%Y-%m",
                Precision::Year => "%Y",
            };
            let _ = write!(out, "{}", self.first.format(pattern));
            return;
        }
        let _ = match self.precision {
            Precision::Day => write!(
                out,
                "{year:04}-{:02}-{:02}",
                self.first.month(),
                self.first.day()
            ),
            Precision::Month => write!(out, "{year:04}-{:02}", self.first.month()),
            Precision::Year => write!(out, "{year:04}"),
        };
    }

    /// Parses ISO 8601 at any precision, with an optional circa prefix. This is the strict form
    /// used in files and on the command line.
    pub fn parse_iso(text: &str) -> Result<Self, DateError> {
        let (circa, rest) = strip_circa(text.trim());
        parse_iso_body(rest).map(|d| d.with_circa(circa))
    }

    /// Parses what a person types: ISO forms, `11 Apr 2025`, `April 11, 2025`, `Apr 2025`,
    /// `today`, `yesterday`, each with an optional `c.`/`circa` prefix.
    pub fn parse_human(text: &str, today: NaiveDate) -> Result<Self, DateError> {
        let (circa, rest) = strip_circa(text.trim());
        let lower = rest.to_lowercase();
        match lower.as_str() {
            "today" => return Ok(FuzzyDate::day(today).with_circa(circa)),
            "yesterday" => {
                let day = today.pred_opt().ok_or(DateError::YearOutOfRange)?;
                return Ok(FuzzyDate::day(day).with_circa(circa));
            }
            _ => {}
        }
        if lower.starts_with(|c: char| c.is_ascii_digit()) && !lower.contains(' ') {
            return parse_iso_body(&lower).map(|d| d.with_circa(circa));
        }
        parse_words(&lower).map(|d| d.with_circa(circa))
    }

    /// For people, in the given style: `11 Apr 2025`, `Apr 2025`, `2025`, prefixed `c. ` when
    /// approximate; or ISO (`2025-04-11`).
    pub fn display(&self, style: DateStyle) -> String {
        if style == DateStyle::Iso {
            return self.to_string();
        }
        let body = match self.precision {
            Precision::Day => self.first.format("%-d %b %Y").to_string(),
            Precision::Month => self.first.format("%b %Y").to_string(),
            Precision::Year => self.first.format("%Y").to_string(),
        };
        if self.circa {
            format!("c. {body}")
        } else {
            body
        }
    }

    /// With the weekday where the day is known: "Fri 11 Apr 2025".
    pub fn display_long(&self, style: DateStyle) -> String {
        let iso = style == DateStyle::Iso;
        let body = match self.precision {
            Precision::Day if iso => self.first.format("%a %Y-%m-%d").to_string(),
            Precision::Month if iso => self.first.format("%Y-%m").to_string(),
            Precision::Day => self.first.format("%a %-d %b %Y").to_string(),
            Precision::Month => self.first.format("%B %Y").to_string(),
            Precision::Year => self.first.format("%Y").to_string(),
        };
        if self.circa {
            format!("c. {body}")
        } else {
            body
        }
    }
}

/// How dates are shown to people: the configuration's `date-style`, carried by whoever
/// formats, so that two views in one process can differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DateStyle {
    /// 11 Apr 2025
    #[default]
    #[serde(rename = "day-month-year")]
    Human,
    /// 2025-04-11
    Iso,
}

impl fmt::Display for FuzzyDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.circa {
            write!(f, "c. {}", self.to_iso())
        } else {
            f.write_str(&self.to_iso())
        }
    }
}

fn strip_circa(text: &str) -> (bool, &str) {
    let lower = text.to_ascii_lowercase();
    for prefix in ["circa ", "circa", "ca. ", "ca.", "c. ", "c.", "c "] {
        if lower.starts_with(prefix) {
            return (true, text[prefix.len()..].trim_start());
        }
    }
    (false, text)
}

fn parse_number(text: &str) -> Result<u32, DateError> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) || text.len() > 4 {
        return Err(DateError::Malformed);
    }
    text.parse().map_err(|_| DateError::Malformed)
}

fn parse_year(text: &str) -> Result<i32, DateError> {
    if text.len() != 4 {
        return Err(DateError::Malformed);
    }
    parse_number(text).map(|y| y as i32)
}

fn parse_iso_body(text: &str) -> Result<FuzzyDate, DateError> {
    let parts: Vec<&str> = text.split('-').collect();
    let year = parse_year(parts[0])?;
    let two_digits = |s: &str| {
        if s.len() == 2 {
            parse_number(s)
        } else {
            Err(DateError::Malformed)
        }
    };
    match parts.as_slice() {
        [_] => FuzzyDate::from_parts(year, None, None, false),
        [_, m] => FuzzyDate::from_parts(year, Some(two_digits(m)?), None, false),
        [_, m, d] => FuzzyDate::from_parts(year, Some(two_digits(m)?), Some(two_digits(d)?), false),
        _ => Err(DateError::Malformed),
    }
}

fn month_from_word(word: &str) -> Option<u32> {
    let word = word.trim_end_matches('.');
    if word.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| m.starts_with(word) && (word.len() == 3 || word.len() <= m.len()))
        .and_then(|i| u32::try_from(i + 1).ok())
}

/// `11 apr 2025`, `april 11, 2025`, `apr 11 2025`, `apr 2025`.
fn parse_words(text: &str) -> Result<FuzzyDate, DateError> {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    match words.as_slice() {
        [day, month, year] if day.starts_with(|c: char| c.is_ascii_digit()) => {
            let month = month_from_word(month).ok_or(DateError::Malformed)?;
            FuzzyDate::from_parts(parse_year(year)?, Some(month), Some(parse_day(day)?), false)
        }
        [month, day, year] => {
            let month = month_from_word(month).ok_or(DateError::Malformed)?;
            FuzzyDate::from_parts(parse_year(year)?, Some(month), Some(parse_day(day)?), false)
        }
        [month, year] => {
            let month = month_from_word(month).ok_or(DateError::Malformed)?;
            FuzzyDate::from_parts(parse_year(year)?, Some(month), None, false)
        }
        _ => Err(DateError::Malformed),
    }
}

fn parse_day(text: &str) -> Result<u32, DateError> {
    let digits = text.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    if digits.len() > 2 {
        return Err(DateError::Malformed);
    }
    parse_number(digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 4, 11).unwrap()
    }

    #[test]
    fn iso_forms_keep_their_precision() {
        let d = FuzzyDate::parse_iso("2025-04-11").unwrap();
        assert_eq!(
            (d.precision(), d.to_iso()),
            (Precision::Day, "2025-04-11".into())
        );
        let m = FuzzyDate::parse_iso("2025-04").unwrap();
        assert_eq!(m.precision(), Precision::Month);
        assert_eq!(m.last(), NaiveDate::from_ymd_opt(2025, 4, 30).unwrap());
        let y = FuzzyDate::parse_iso("2025").unwrap();
        assert_eq!(y.last(), NaiveDate::from_ymd_opt(2025, 12, 31).unwrap());
        assert_eq!(FuzzyDate::parse_iso("2024-02").unwrap().last().day(), 29);
    }

    #[test]
    fn iso_text_is_chronos_at_every_year_and_precision() {
        for year in [-1, 0, 7, 999, 2025, 9999, 10_000] {
            let first = NaiveDate::from_ymd_opt(year, 3, 9).unwrap();
            for (precision, pattern) in [
                (Precision::Day, "%Y-%m-%d"),
                (Precision::Month, "%Y-%m"),
                (Precision::Year, "%Y"),
            ] {
                let date = FuzzyDate {
                    first,
                    precision,
                    circa: false,
                };
                assert_eq!(date.to_iso(), first.format(pattern).to_string());
            }
        }
    }

    #[test]
    fn impossible_and_malformed_dates_are_refused() {
        assert_eq!(
            FuzzyDate::parse_iso("2025-02-30"),
            Err(DateError::NoSuchDay)
        );
        assert_eq!(FuzzyDate::parse_iso("2025-13"), Err(DateError::NoSuchMonth));
        for bad in [
            "",
            "11/04/2025",
            "2025-4-11",
            "25-04-11",
            "2025-04-11-01",
            "soon",
            "2025-04-1x",
        ] {
            assert_eq!(
                FuzzyDate::parse_iso(bad),
                Err(DateError::Malformed),
                "{bad}"
            );
        }
    }

    #[test]
    fn circa_prefixes() {
        for text in ["c. 2025-04", "circa 2025-04", "c.2025-04", "ca. 2025-04"] {
            let d = FuzzyDate::parse_iso(text).unwrap();
            assert!(d.circa(), "{text}");
            assert_eq!(d.to_iso(), "2025-04");
        }
        assert_eq!(
            FuzzyDate::parse_iso("c. 2025")
                .unwrap()
                .display(DateStyle::Human),
            "c. 2025"
        );
    }

    #[test]
    fn human_forms() {
        let expect = FuzzyDate::parse_iso("2025-04-11").unwrap();
        for text in [
            "11 Apr 2025",
            "April 11, 2025",
            "apr 11 2025",
            "11th April 2025",
            "today",
            "2025-04-11",
        ] {
            assert_eq!(FuzzyDate::parse_human(text, today()), Ok(expect), "{text}");
        }
        assert_eq!(
            FuzzyDate::parse_human("yesterday", today())
                .unwrap()
                .to_iso(),
            "2025-04-10"
        );
        let month = FuzzyDate::parse_human("Apr 2025", today()).unwrap();
        assert_eq!(month.precision(), Precision::Month);
        assert!(
            FuzzyDate::parse_human("c. April 2025", today())
                .unwrap()
                .circa()
        );
        assert_eq!(
            FuzzyDate::parse_human("30 Feb 2025", today()),
            Err(DateError::NoSuchDay)
        );
        assert_eq!(
            FuzzyDate::parse_human("Smarch 3, 2025", today()),
            Err(DateError::Malformed)
        );
    }

    #[test]
    fn display_forms() {
        let d = FuzzyDate::parse_iso("2025-04-11").unwrap();
        assert_eq!(d.display(DateStyle::Human), "11 Apr 2025");
        assert_eq!(d.display_long(DateStyle::Human), "Fri 11 Apr 2025");
        assert_eq!(
            FuzzyDate::parse_iso("2025-04")
                .unwrap()
                .display(DateStyle::Human),
            "Apr 2025"
        );
    }

    #[test]
    fn two_styles_side_by_side() {
        let day = FuzzyDate::parse_iso("2025-04-11").unwrap();
        let month = FuzzyDate::parse_iso("c. 2025-04").unwrap();
        let shown = |style| {
            (
                day.display(style),
                day.display_long(style),
                month.display(style),
                month.display_long(style),
            )
        };
        let human = shown(DateStyle::Human);
        let iso = shown(DateStyle::Iso);
        assert_eq!(
            human,
            (
                "11 Apr 2025".into(),
                "Fri 11 Apr 2025".into(),
                "c. Apr 2025".into(),
                "c. April 2025".into()
            )
        );
        assert_eq!(
            iso,
            (
                "2025-04-11".into(),
                "Fri 2025-04-11".into(),
                "c. 2025-04".into(),
                "c. 2025-04".into()
            )
        );
    }
}
