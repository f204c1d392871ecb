//! The filter typed after `f`: `person:putin kind:meeting side:RU from:2025-03 to:2025-06`, with
//! any other words searched for in titles, places and names.

use chrono::NaiveDate;

use crate::domain::{Country, FuzzyDate};
use crate::store::EventFilter;

/// Every key the filter takes, with what its value is; the help and the prompt's hint show them.
pub const KEYS: &[(&str, &str)] = &[
    ("person", "NAME"),
    ("side", "CC"),
    ("country", "CC"),
    ("kind", "KIND"),
    ("mode", "MODE"),
    ("status", "STATUS"),
    ("from", "DATE"),
    ("to", "DATE"),
];

/// "person:NAME side:CC … words": what the filter prompt takes.
pub fn hint() -> String {
    let keys: Vec<String> = KEYS.iter().map(|(k, v)| format!("{k}:{v}")).collect();
    format!("{} words", keys.join(" "))
}

/// "person: side: …": the filter's keys, for the help.
pub fn key_list() -> String {
    let keys: Vec<String> = KEYS.iter().map(|(k, _)| format!("{k}:")).collect();
    keys.join(" ")
}

/// Splits on spaces, keeping "quoted words" together.
fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            c if c.is_whitespace() && !quoted => {
                if !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                }
            }
            c => current.push(c),
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Parses a filter; `resolve` turns a typed name into a person's id or says why it cannot.
pub fn parse(
    text: &str,
    resolve: &dyn Fn(&str) -> Result<i64, String>,
    today: NaiveDate,
) -> Result<EventFilter, String> {
    let mut filter = EventFilter::default();
    let mut words = Vec::new();
    for token in tokens(text) {
        let Some((key, value)) = token.split_once(':') else {
            words.push(token);
            continue;
        };
        let bad = |reason: String| format!("{key}: {reason} ({value})");
        match key.to_lowercase().as_str() {
            "person" => filter.people.push(resolve(value)?),
            "side" => filter.side = Some(Country::parse(value).map_err(bad)?),
            "country" => filter.country = Some(Country::parse(value).map_err(bad)?),
            "kind" => filter.kind = Some(value.parse().map_err(bad)?),
            "mode" => filter.mode = Some(value.parse().map_err(bad)?),
            "status" => filter.status = Some(value.parse().map_err(bad)?),
            "from" => filter.from = Some(date(value, today).map_err(bad)?),
            "to" => filter.to = Some(date(value, today).map_err(bad)?),
            _ => return Err(format!("unknown filter {key}: (use {})", key_list())),
        }
    }
    if !words.is_empty() {
        filter.search = vec![words.join(" ")];
    }
    Ok(filter)
}

fn date(text: &str, today: NaiveDate) -> Result<FuzzyDate, String> {
    FuzzyDate::parse_human(text, today).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 4, 11).unwrap()
    }

    fn resolve(name: &str) -> Result<i64, String> {
        match name.to_lowercase().as_str() {
            "putin" | "vladimir putin" => Ok(1),
            _ => Err(format!("unknown person \"{name}\"")),
        }
    }

    #[test]
    fn keys_words_and_quotes() {
        let f = parse(
            "person:\"Vladimir Putin\" kind:meeting side:us from:2025-03 Kremlin talks",
            &resolve,
            today(),
        )
        .unwrap();
        assert_eq!(f.people, vec![1]);
        assert_eq!(f.kind, Some(crate::domain::Kind::Meeting));
        assert_eq!(f.side.unwrap().code(), "US");
        assert_eq!(f.from.unwrap().to_iso(), "2025-03");
        assert_eq!(f.search, ["Kremlin talks"]);
        assert_eq!(
            parse("", &resolve, today()).unwrap(),
            EventFilter::default()
        );
    }

    #[test]
    fn mistakes_say_what_is_wrong() {
        assert_eq!(
            parse("person:nobody", &resolve, today()).unwrap_err(),
            "unknown person \"nobody\""
        );
        assert!(
            parse("side:XX", &resolve, today())
                .unwrap_err()
                .starts_with("side: not an ISO")
        );
        assert!(
            parse("from:2025-02-30", &resolve, today())
                .unwrap_err()
                .contains("no such day")
        );
        assert!(
            parse("colour:red", &resolve, today())
                .unwrap_err()
                .starts_with("unknown filter colour:")
        );
    }
}
