//! Claims as typed on the command line: "Interfax: almost 4.5 h", and published counts in a few
//! words, as the press puts them: "Reuters: 8 visits Antony Blinken to IL since 2023-10-07".

use chrono::NaiveDate;

use super::{Counted, Destination, PublishedCount};
use crate::domain::keywords::Mode;
use crate::domain::scope::Scope;
use crate::domain::{FuzzyDate, Invalid};

/// The shape of a count claim, for messages.
pub const COUNT_GRAMMAR: &str = "SOURCE: N KIND PEOPLE [to CC|REGION] [since DATE] [until DATE] \
                                 [in YEAR] [as TITLE] [\"WORDING\"]";

/// A claim as typed: the sources it names (as the event's sources are named, by outlet), and
/// what they say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Typed {
    pub sources: Vec<String>,
    pub value: String,
}

/// A count claim as typed: its sources, the count, and the quoted wording at its end, which
/// becomes the claim's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypedCount {
    pub sources: Vec<String>,
    pub count: PublishedCount,
    pub wording: Option<String>,
}

/// "Interfax, TASS: almost 4.5 h": the sources before the first colon, separated by commas.
pub fn parse_claim(field: &str, text: &str) -> Result<Typed, Invalid> {
    let Some((sources, value)) = text.split_once(':') else {
        return Err(Invalid::new(
            field,
            text,
            "expected SOURCE: VALUE, the source named by its outlet as the event's sources are",
        ));
    };
    let sources: Vec<String> = sources.split(',').map(|s| s.trim().to_string()).collect();
    if sources.iter().any(String::is_empty) {
        return Err(Invalid::new(
            field,
            text,
            "names no source before the colon: SOURCE: VALUE",
        ));
    }
    let value = value.trim();
    if value.is_empty() {
        return Err(Invalid::new(field, text, "says nothing after the colon"));
    }
    Ok(Typed {
        sources,
        value: value.to_string(),
    })
}

/// "TASS: 6 meetings Vladimir Putin, Steve Witkoff", "AP: 11 trips Antony Blinken to Middle
/// East since 2023-10-07", "TASS: 8 phone calls Vladimir Putin and Donald Trump in 2025 \"the
/// eighth call this year\"". Dates are read as the `--date` option reads them, `today` for
/// "today".
pub fn parse_count(field: &str, text: &str, today: NaiveDate) -> Result<TypedCount, Invalid> {
    let claim = parse_claim(field, text).map_err(|e| with_grammar(field, text, &e.reason))?;
    let wrong = |reason: &str| Invalid::new(field, text, reason);
    let (body, wording) = split_wording(&claim.value).map_err(|reason| wrong(&reason))?;
    let words: Vec<&str> = body.split_whitespace().collect();
    let (number, rest) = words
        .split_first()
        .and_then(|(n, rest)| Some((number(n)?, rest)))
        .ok_or_else(|| wrong("begins with the number published, such as 6"))?;
    let (kind, rest) = kind(rest).ok_or_else(|| {
        wrong(
            "after the number, what is counted: meetings, phone calls, video calls, visits or trips",
        )
    })?;
    let rest = match rest.first() {
        Some(&"between" | &"of" | &"by") => &rest[1..],
        _ => rest,
    };
    let clauses = clauses(rest).map_err(|reason| wrong(&reason))?;
    let people = people(&clauses.people);
    let counted = match (kind, &clauses.to) {
        (Kind::Meetings(mode), None) => Counted::Meetings(mode),
        (Kind::Meetings(_), Some(_)) => {
            return Err(wrong(
                "meetings are counted for a pair, not to a place: leave out \"to\"",
            ));
        }
        (Kind::Visits | Kind::Trips, None) => {
            return Err(wrong(
                "visits and trips say where they went: to IL, to Middle East",
            ));
        }
        (Kind::Visits | Kind::Trips, Some(place)) => {
            let to = Destination::parse(place)
                .map_err(|reason| wrong(&format!("to {place}: {reason}")))?;
            if kind == Kind::Visits {
                Counted::Visits(to)
            } else {
                Counted::Trips(to)
            }
        }
    };
    if people.len() != counted.people() || people.iter().any(String::is_empty) {
        return Err(wrong(match counted {
            Counted::Meetings(_) => "meetings name two people: NAME, NAME or NAME and NAME",
            _ => "visits and trips name one person",
        }));
    }
    let day = |clause: &Option<String>, word: &str| {
        clause
            .as_deref()
            .map(|text| {
                FuzzyDate::parse_human(text, today)
                    .map_err(|e| wrong(&format!("{word} {text}: {e}")))
            })
            .transpose()
    };
    let mut scope = Scope {
        since: day(&clauses.since, "since")?.map(|d| d.first()),
        until: day(&clauses.until, "until")?.map(|d| d.last()),
        role: clauses.role.clone(),
    };
    if let Some(year) = &clauses.year {
        if scope.since.is_some() || scope.until.is_some() {
            return Err(wrong(
                "in YEAR is a period of its own: not with since or until",
            ));
        }
        let whole = year
            .parse::<i32>()
            .ok()
            .filter(|y| (1000..=9999).contains(y))
            .and_then(Scope::year)
            .ok_or_else(|| wrong(&format!("in {year}: expected a year, such as 2025")))?;
        scope.since = whole.since;
        scope.until = whole.until;
    }
    let count = PublishedCount {
        people,
        counted,
        number,
        scope,
    };
    count
        .check()
        .map_err(|(_, invalid)| wrong(&invalid.reason))?;
    Ok(TypedCount {
        sources: claim.sources,
        count,
        wording: wording.map(str::to_string),
    })
}

impl PublishedCount {
    /// The count as `parse_count` reads it, after "SOURCE: ": "8 visits Antony Blinken to IL
    /// since 2023-10-07".
    pub fn typed(&self) -> String {
        let (kind, to) = match &self.counted {
            Counted::Meetings(Mode::InPerson) => ("meetings", None),
            Counted::Meetings(Mode::Phone) => ("phone calls", None),
            Counted::Meetings(Mode::Video) => ("video calls", None),
            Counted::Visits(to) => ("visits", Some(to)),
            Counted::Trips(to) => ("trips", Some(to)),
        };
        let mut text = format!("{} {kind} {}", self.number, self.people.join(", "));
        if let Some(to) = to {
            text.push_str(&format!(" to {to}"));
        }
        let scope = &self.scope;
        let whole_year = scope
            .since
            .map(|s| chrono::Datelike::year(&s))
            .filter(|&y| {
                Scope::year(y).is_some_and(|w| w.since == scope.since && w.until == scope.until)
            });
        if let Some(year) = whole_year {
            text.push_str(&format!(" in {year}"));
        } else {
            if let Some(since) = scope.since {
                text.push_str(&format!(" since {since}"));
            }
            if let Some(until) = scope.until {
                text.push_str(&format!(" until {until}"));
            }
        }
        if let Some(role) = &scope.role {
            text.push_str(&format!(" as {role}"));
        }
        text
    }
}

fn with_grammar(field: &str, text: &str, reason: &str) -> Invalid {
    Invalid::new(
        field,
        text,
        &format!("{reason}; a count is {COUNT_GRAMMAR}"),
    )
}

/// The count and its quoted wording, where it ends with one.
fn split_wording(text: &str) -> Result<(&str, Option<&str>), String> {
    let text = text.trim();
    let Some(inner) = text.strip_suffix(['"', '”']) else {
        return Ok((text, None));
    };
    match inner.rfind(['"', '“']) {
        Some(at) => {
            let open = inner[at..].chars().next().map_or(1, char::len_utf8);
            let wording = inner[at + open..].trim();
            if wording.is_empty() {
                return Err("the quoted wording is empty".to_string());
            }
            Ok((inner[..at].trim(), Some(wording)))
        }
        None => Err("the wording at the end has no opening quote".to_string()),
    }
}

/// "6" or "6th".
fn number(word: &str) -> Option<usize> {
    let digits = word.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &word[digits.len()..];
    if !["", "st", "nd", "rd", "th"].contains(&suffix.to_lowercase().as_str()) {
        return None;
    }
    digits.parse().ok()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Meetings(Mode),
    Visits,
    Trips,
}

/// What is counted, from the words after the number: the longest phrase that fits.
fn kind<'a, 'w>(words: &'a [&'w str]) -> Option<(Kind, &'a [&'w str])> {
    const PHRASES: [(&str, Kind); 9] = [
        ("face-to-face meetings", Kind::Meetings(Mode::InPerson)),
        ("in-person meetings", Kind::Meetings(Mode::InPerson)),
        ("meetings", Kind::Meetings(Mode::InPerson)),
        ("phone calls", Kind::Meetings(Mode::Phone)),
        ("calls by phone", Kind::Meetings(Mode::Phone)),
        ("video calls", Kind::Meetings(Mode::Video)),
        ("calls", Kind::Meetings(Mode::Phone)),
        ("visits", Kind::Visits),
        ("trips", Kind::Trips),
    ];
    PHRASES.iter().find_map(|(phrase, kind)| {
        let wanted: Vec<&str> = phrase.split(' ').collect();
        let taken = words.get(..wanted.len())?;
        let fits = taken.iter().zip(&wanted).all(|(word, want)| {
            let word = word.to_lowercase();
            // "1st meeting" as well as "6 meetings".
            word == *want || Some(word.as_str()) == want.strip_suffix('s')
        });
        fits.then(|| (*kind, &words[wanted.len()..]))
    })
}

/// The words after what is counted, by the word that begins each clause.
#[derive(Debug, Default)]
struct Clauses {
    people: String,
    to: Option<String>,
    since: Option<String>,
    until: Option<String>,
    year: Option<String>,
    role: Option<String>,
}

/// Splits at the words "to", "since", "until", "in" and "as" (in lower case, so that they are
/// not taken from a name); "as" takes the rest, since a title may hold the others ("Special
/// Envoy to the Middle East").
fn clauses(words: &[&str]) -> Result<Clauses, String> {
    let mut found = Clauses::default();
    let mut current = "";
    let mut text: Vec<&str> = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    let put = |word: &str, text: &mut Vec<&str>, found: &mut Clauses| -> Result<(), String> {
        let value = text.join(" ");
        text.clear();
        if !word.is_empty() && value.is_empty() {
            return Err(format!("\"{word}\" is followed by nothing"));
        }
        let slot = match word {
            "" => {
                found.people = value;
                return Ok(());
            }
            "to" => &mut found.to,
            "since" => &mut found.since,
            "until" => &mut found.until,
            "in" => &mut found.year,
            _ => &mut found.role,
        };
        *slot = Some(value);
        Ok(())
    };
    for word in words {
        let marker = ["to", "since", "until", "in", "as"].contains(word) && current != "as";
        if !marker {
            text.push(word);
            continue;
        }
        put(current, &mut text, &mut found)?;
        if seen.contains(word) {
            return Err(format!("says \"{word}\" twice"));
        }
        seen.push(word);
        current = word;
    }
    put(current, &mut text, &mut found)?;
    Ok(found)
}

/// "Vladimir Putin, Steve Witkoff" or "Vladimir Putin and Steve Witkoff".
fn people(text: &str) -> Vec<String> {
    text.split(',')
        .flat_map(|part| part.split(" and "))
        .map(|name| name.trim().to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Country;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 6).unwrap()
    }

    fn day(text: &str) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
    }

    fn parsed(text: &str) -> TypedCount {
        parse_count("count claim", text, today()).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    fn refused(text: &str) -> String {
        parse_count("count claim", text, today())
            .map(|c| format!("accepted: {c:?}"))
            .unwrap_or_else(|e| e.to_string())
    }

    #[test]
    fn counts_read_as_the_press_puts_them() {
        let meetings = parsed("TASS: 6 meetings Vladimir Putin, Steve Witkoff");
        assert_eq!(meetings.sources, ["TASS"]);
        assert_eq!(meetings.count.people, ["Vladimir Putin", "Steve Witkoff"]);
        assert_eq!(meetings.count.counted, Counted::Meetings(Mode::InPerson));
        assert_eq!(meetings.count.number, 6);
        assert!(meetings.count.scope.is_whole_record());
        assert_eq!(meetings.wording, None);

        let visits = parsed("Reuters: 8 visits Antony Blinken to IL since 2023-10-07");
        assert_eq!(
            visits.count.counted,
            Counted::Visits(Destination::Country(Country::parse("IL").unwrap()))
        );
        assert_eq!(visits.count.people, ["Antony Blinken"]);
        assert_eq!(visits.count.scope.since, day("2023-10-07"));

        let trips = parsed("AP: 11 trips Antony Blinken to Middle East since 2023-10-07");
        assert_eq!(
            trips.count.counted,
            Counted::Trips(Destination::Region("Middle East".into()))
        );

        let calls = parsed(
            "TASS, RIA: 8th phone call between Vladimir Putin and Donald Trump in 2025 \"the eighth call this year\"",
        );
        assert_eq!(calls.sources, ["TASS", "RIA"]);
        assert_eq!(calls.count.counted, Counted::Meetings(Mode::Phone));
        assert_eq!(calls.count.people, ["Vladimir Putin", "Donald Trump"]);
        assert_eq!(calls.count.scope, Scope::year(2025).unwrap());
        assert_eq!(calls.wording.as_deref(), Some("the eighth call this year"));

        let role = parsed(
            "AP: 3 trips Antony Blinken to il until 2024-06 as Special Envoy to the Middle East",
        );
        assert_eq!(
            role.count.scope.until,
            day("2024-06-30"),
            "a month ends on its last day"
        );
        assert_eq!(
            role.count.scope.role.as_deref(),
            Some("Special Envoy to the Middle East"),
            "a title keeps the words that begin other clauses"
        );
    }

    #[test]
    fn a_count_that_does_not_read_says_why() {
        let cases = [
            ("6 meetings Putin, Witkoff", "expected SOURCE: VALUE"),
            (
                ": 6 meetings Putin, Witkoff",
                "names no source before the colon",
            ),
            ("TASS:", "says nothing after the colon"),
            (
                "TASS: meetings Putin, Witkoff",
                "begins with the number published",
            ),
            (
                "TASS: 6 dinners Putin, Witkoff",
                "what is counted: meetings, phone calls",
            ),
            (
                "TASS: 6 meetings Vladimir Putin",
                "meetings name two people",
            ),
            ("TASS: 6 meetings A, B, C", "meetings name two people"),
            ("TASS: 6 meetings Putin, Putin", "two different people"),
            (
                "TASS: 2 visits Putin, Trump to US",
                "visits and trips name one person",
            ),
            ("TASS: 2 visits Kirill Dmitriev", "say where they went"),
            (
                "TASS: 2 visits Kirill Dmitriev to ZZ",
                "to ZZ: not an ISO 3166-1",
            ),
            ("TASS: 6 meetings Putin, Witkoff to RU", "not to a place"),
            ("TASS: 0 meetings Putin, Witkoff", "starts at 1"),
            (
                "TASS: 6 meetings Putin, Witkoff since",
                "\"since\" is followed by nothing",
            ),
            (
                "TASS: 6 meetings Putin, Witkoff since 2025-02-30",
                "since 2025-02-30: no such day",
            ),
            (
                "TASS: 6 meetings Putin, Witkoff in 25",
                "in 25: expected a year",
            ),
            (
                "TASS: 6 meetings Putin, Witkoff in 2025 since 2025-03-01",
                "not with since or until",
            ),
            (
                "TASS: 6 meetings Putin, Witkoff since 2025 since 2024",
                "says \"since\" twice",
            ),
            (
                "TASS: 6 meetings Putin, Witkoff since 2025 until 2024",
                "counted until a day before",
            ),
            (
                "TASS: 6 meetings Putin, Witkoff the sixth\"",
                "has no opening quote",
            ),
        ];
        for (text, reason) in cases {
            let message = refused(text);
            assert!(message.contains(reason), "{text}: {message}");
            assert!(message.starts_with("count claim: "), "{message}");
        }
        assert!(refused("TASS 6 meetings").contains(COUNT_GRAMMAR));
    }

    #[test]
    fn a_count_is_typed_back_as_it_reads() {
        for text in [
            "6 meetings Vladimir Putin, Steve Witkoff",
            "8 visits Antony Blinken to IL since 2023-10-07",
            "11 trips Antony Blinken to Middle East since 2023-10-07 until 2024-12-31",
            "8 phone calls Vladimir Putin, Donald Trump in 2025",
            "2 video calls A B, C D until 2024-06-30 as Secretary of State",
        ] {
            let count = parsed(&format!("TASS: {text}")).count;
            assert_eq!(count.typed(), text);
        }
    }

    #[test]
    fn a_claim_names_its_sources_before_the_colon() {
        assert_eq!(
            parse_claim("claim", "Interfax, TASS: almost 4.5 h: no more"),
            Ok(Typed {
                sources: vec!["Interfax".into(), "TASS".into()],
                value: "almost 4.5 h: no more".into()
            })
        );
        assert!(parse_claim("claim", "almost 4.5 h").is_err());
    }
}
