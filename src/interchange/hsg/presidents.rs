//! The Presidents of the United States since 1869 (the first visit in the visits file is of
//! 1874), as the travels repository's `presidents/presidents.xml` lists them: its ids, names
//! and dates of taking and leaving office. Kept here so that a clone of the visits repository
//! alone is imported with the same hosts.

use chrono::NaiveDate;

use crate::domain::Title;

/// One term of office: the travels files' id for the President, their name as those files
/// write it, the day they took office and the day they left it (none while in office).
pub struct Term {
    pub who: &'static str,
    pub name: &'static str,
    took: &'static str,
    left: Option<&'static str>,
}

const TERMS: &[Term] = &[
    term(
        "grant-ulysses-s",
        "Ulysses S. Grant",
        "1869-03-04",
        Some("1877-03-04"),
    ),
    term(
        "hayes-rutherford-b",
        "Rutherford B. Hayes",
        "1877-03-04",
        Some("1881-03-04"),
    ),
    term(
        "garfield-james-a",
        "James A. Garfield",
        "1881-03-04",
        Some("1881-09-19"),
    ),
    term(
        "arthur-chester-a",
        "Chester A. Arthur",
        "1881-09-19",
        Some("1885-03-04"),
    ),
    term(
        "cleveland-grover",
        "Grover Cleveland",
        "1885-03-04",
        Some("1889-03-04"),
    ),
    term(
        "harrison-benjamin",
        "Benjamin Harrison",
        "1889-03-04",
        Some("1893-03-04"),
    ),
    term(
        "cleveland-grover",
        "Grover Cleveland",
        "1893-03-04",
        Some("1897-03-04"),
    ),
    term(
        "mckinley-william",
        "William McKinley",
        "1897-03-04",
        Some("1901-09-14"),
    ),
    term(
        "roosevelt-theodore",
        "Theodore Roosevelt",
        "1901-09-14",
        Some("1909-03-04"),
    ),
    term(
        "taft-william-howard",
        "William Howard Taft",
        "1909-03-04",
        Some("1913-03-04"),
    ),
    term(
        "wilson-woodrow",
        "Woodrow Wilson",
        "1913-03-04",
        Some("1921-03-04"),
    ),
    term(
        "harding-warren-g",
        "Warren G. Harding",
        "1921-03-04",
        Some("1923-08-02"),
    ),
    term(
        "coolidge-calvin",
        "Calvin Coolidge",
        "1923-08-02",
        Some("1929-03-04"),
    ),
    term(
        "hoover-herbert-c",
        "Herbert C. Hoover",
        "1929-03-04",
        Some("1933-03-04"),
    ),
    term(
        "roosevelt-franklin-d",
        "Franklin D. Roosevelt",
        "1933-03-04",
        Some("1945-04-12"),
    ),
    term(
        "truman-harry-s",
        "Harry S. Truman",
        "1945-04-12",
        Some("1953-01-20"),
    ),
    term(
        "eisenhower-dwight-d",
        "Dwight D. Eisenhower",
        "1953-01-20",
        Some("1961-01-20"),
    ),
    term(
        "kennedy-john-f",
        "John F. Kennedy",
        "1961-01-20",
        Some("1963-11-22"),
    ),
    term(
        "johnson-lyndon-b",
        "Lyndon B. Johnson",
        "1963-11-22",
        Some("1969-01-20"),
    ),
    term(
        "nixon-richard-m",
        "Richard M. Nixon",
        "1969-01-20",
        Some("1974-08-09"),
    ),
    term(
        "ford-gerald-r",
        "Gerald R. Ford",
        "1974-08-09",
        Some("1977-01-20"),
    ),
    term(
        "carter-jimmy",
        "Jimmy Carter",
        "1977-01-20",
        Some("1981-01-20"),
    ),
    term(
        "reagan-ronald",
        "Ronald Reagan",
        "1981-01-20",
        Some("1989-01-20"),
    ),
    term(
        "bush-george-h-w",
        "George H.W. Bush",
        "1989-01-20",
        Some("1993-01-20"),
    ),
    term(
        "clinton-william-j",
        "William J. Clinton",
        "1993-01-20",
        Some("2001-01-20"),
    ),
    term(
        "bush-george-w",
        "George W. Bush",
        "2001-01-20",
        Some("2009-01-20"),
    ),
    term(
        "obama-barack",
        "Barack Obama",
        "2009-01-20",
        Some("2017-01-20"),
    ),
    term(
        "trump-donald-j",
        "Donald J. Trump",
        "2017-01-20",
        Some("2021-01-20"),
    ),
    term(
        "biden-joseph-r",
        "Joseph R. Biden",
        "2021-01-20",
        Some("2025-01-20"),
    ),
    term("trump-donald-j", "Donald J. Trump", "2025-01-20", None),
];

const fn term(
    who: &'static str,
    name: &'static str,
    took: &'static str,
    left: Option<&'static str>,
) -> Term {
    Term {
        who,
        name,
        took,
        left,
    }
}

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap_or(NaiveDate::MIN)
}

impl Term {
    fn took(&self) -> NaiveDate {
        day(self.took)
    }

    /// The last full day in office: the day of leaving belongs to the successor.
    fn last_day(&self) -> Option<NaiveDate> {
        self.left
            .map(|left| day(left).pred_opt().unwrap_or(NaiveDate::MIN))
    }

    fn covers(&self, on: NaiveDate) -> bool {
        self.took() <= on && self.last_day().is_none_or(|last| on <= last)
    }

    /// The family name, as remarks name a President: "Bush", "Roosevelt".
    fn surname(&self) -> &'static str {
        self.name.rsplit(' ').next().unwrap_or(self.name)
    }
}

/// The President in office on `day`.
pub fn sitting(on: NaiveDate) -> Option<&'static Term> {
    TERMS.iter().find(|t| t.covers(on))
}

/// Whether `name` (as remarks write it after "President": "Bush", "George W. Bush") is a
/// President of the United States in office on `day`, or any of them when `former`.
pub fn is_us_president(name: &str, on: NaiveDate, former: bool) -> bool {
    let surname = name.rsplit(' ').next().unwrap_or(name);
    TERMS
        .iter()
        .any(|t| t.surname() == surname && (former || t.covers(on)))
}

/// The Vice Presidents since 1953 (the Office of the Historian's pages of the Vice Presidents
/// of the United States): family name, first and last day in office. The remarks name them
/// among the Secretary's company ("the U.S. delegation led by Vice President Kamala Harris").
const VICE_PRESIDENTS: &[(&str, &str, Option<&str>)] = &[
    ("Nixon", "1953-01-20", Some("1961-01-19")),
    ("Johnson", "1961-01-20", Some("1963-11-22")),
    ("Humphrey", "1965-01-20", Some("1969-01-19")),
    ("Agnew", "1969-01-20", Some("1973-10-10")),
    ("Ford", "1973-12-06", Some("1974-08-09")),
    ("Rockefeller", "1974-12-19", Some("1977-01-19")),
    ("Mondale", "1977-01-20", Some("1981-01-19")),
    ("Bush", "1981-01-20", Some("1989-01-19")),
    ("Quayle", "1989-01-20", Some("1993-01-19")),
    ("Gore", "1993-01-20", Some("2001-01-19")),
    ("Cheney", "2001-01-20", Some("2009-01-19")),
    ("Biden", "2009-01-20", Some("2017-01-19")),
    ("Pence", "2017-01-20", Some("2021-01-19")),
    ("Harris", "2021-01-20", Some("2025-01-19")),
    ("Vance", "2025-01-20", None),
];

/// Whether `name` is the Vice President of the United States in office on `day`.
pub fn is_us_vice_president(name: &str, on: NaiveDate) -> bool {
    let surname = name.rsplit(' ').next().unwrap_or(name);
    VICE_PRESIDENTS.iter().any(|(family, from, until)| {
        *family == surname && day(from) <= on && until.is_none_or(|until| on <= day(until))
    })
}

/// The President's titles, one for each of their terms: "President" from the day they took
/// office to their last full day in it.
pub fn titles(who: &str) -> Vec<Title> {
    TERMS
        .iter()
        .filter(|t| t.who == who)
        .map(|t| Title {
            title: "President".to_string(),
            from: Some(t.took()),
            until: t.last_day(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sitting_president_changes_on_inauguration_day() {
        let on = |text: &str| sitting(day(text)).map(|t| t.name);
        assert_eq!(on("2009-01-19"), Some("George W. Bush"));
        assert_eq!(on("2009-01-20"), Some("Barack Obama"));
        assert_eq!(on("1874-12-12"), Some("Ulysses S. Grant"));
        assert_eq!(on("2026-01-01"), Some("Donald J. Trump"));
        assert_eq!(on("1860-01-01"), None);
    }

    #[test]
    fn second_terms_are_titles_of_their_own() {
        let terms = titles("trump-donald-j");
        assert_eq!(terms.len(), 2);
        assert_eq!(terms[0].until, Some(day("2021-01-19")));
        assert_eq!(terms[1].until, None);
    }

    #[test]
    fn us_presidents_are_known_by_family_name_in_their_term() {
        assert!(is_us_president("Bush", day("2004-11-19"), false));
        assert!(!is_us_president("Bush", day("1985-01-01"), false));
        assert!(is_us_president("Carter", day("1994-09-18"), true));
        assert!(!is_us_president("Taylor", day("1998-01-01"), false));
        assert!(is_us_vice_president("Kamala Harris", day("2024-02-15")));
        assert!(!is_us_vice_president("Yemi Osinbajo", day("2017-01-01")));
    }
}
