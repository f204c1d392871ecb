//! What the remarks of a trip and the description of a visit say in prose: the officials met
//! ("Met with President Tudjman and Foreign Minister Granic"), whether the stop was only on the
//! way somewhere else, whether the Secretary travelled with the President, and who a visitor
//! was ("Prime Minister Benjamin Netanyahu").

use chrono::NaiveDate;

use super::countries::{ADJECTIVE_FIRST_WORDS, ORGANISATIONS, code_of_adjective, code_of_id};
use super::presidents::{is_us_president, is_us_vice_president};
use crate::domain::Country;

/// An official named in the remarks, on the side of their country.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counterpart {
    pub name: String,
    pub title: String,
    pub side: Country,
    /// Heads of state or government and foreign ministers head their side.
    pub head: bool,
    /// Whether the side is the host's for want of anything said: no nationality, no "of
    /// Kuwait".
    pub by_host: bool,
}

/// The titles that name an official, longest first where one begins another, each with
/// whether its holder heads their side (heads of state or government, foreign ministers).
const TITLES: &[(&str, bool)] = &[
    ("President of the Council of Ministers", true),
    ("Chairman of the Council of Ministers", true),
    ("Chairman of the Presidency", true),
    ("Head of State", true),
    ("Provisional President", true),
    ("Alternate Prime Minister", false),
    ("Minister of State", false),
    ("Chancellor-elect", false),
    ("Regent", true),
    ("First Deputy Prime Minister", false),
    ("Deputy Prime Minister", false),
    ("Acting Prime Minister", true),
    ("Interim Prime Minister", true),
    ("Prime Minister-designate", false),
    ("Prime Minister", true),
    ("Acting President", true),
    ("Interim President", true),
    ("Vice President", false),
    ("Vice-President", false),
    ("President-elect", false),
    ("President-Elect", false),
    ("President", true),
    ("Vice Premier", false),
    ("Deputy Premier", false),
    ("Premier", true),
    ("Federal Chancellor", true),
    ("Chancellor", true),
    ("Crown Prince", false),
    ("Prince", false),
    ("Princess", false),
    ("King", true),
    ("Queen", true),
    ("Emperor", true),
    ("Empress", true),
    ("Emir", true),
    ("Amir", true),
    ("Sultan", true),
    ("Shah", true),
    ("Grand Duke", true),
    ("Grand Duchess", true),
    ("Deputy Chairman", false),
    ("Vice Chairman", false),
    ("Chairman", true),
    ("General Secretary", true),
    ("First Secretary", false),
    ("Generalissimo", true),
    ("Pope", true),
    ("Supreme Leader", true),
    ("Taoiseach", true),
    ("Governor General", false),
    ("Governor-General", false),
    ("Deputy Foreign Minister", false),
    ("Foreign Minister", true),
    ("Foreign Secretary", true),
    ("Foreign Affairs Minister", true),
    ("Foreign Affairs Secretary", true),
    ("Minister of Foreign Affairs", true),
    ("Minister for Foreign Affairs", true),
    ("Minister of External Affairs", true),
    ("External Affairs Minister", true),
    ("Secretary of Foreign Affairs", true),
    ("Minister of Foreign Relations", true),
    ("Defense Minister", false),
    ("Defence Minister", false),
    ("Minister of Defense", false),
    ("Minister of Defence", false),
    ("Finance Minister", false),
    ("State Councilor", false),
    ("State Counselor", false),
    // "North Korean leader Kim Jong-un": a leader named with no office, and so with no title.
    (LEADER, false),
];

const LEADER: &str = "leader";

/// Lower-case words inside names: "Muhammad bin Salman", "Valéry Giscard d'Estaing".
const PARTICLES: &[&str] = &[
    "bin", "bint", "ibn", "al", "el", "de", "del", "della", "der", "den", "di", "da", "dos", "das",
    "du", "van", "von", "y", "e", "la", "le", "ter", "zu", "ul", "ud",
];

/// Capitalised words that end a name rather than continue it.
const NOT_NAMES: &[&str] = &[
    "The",
    "U.S.",
    "US",
    "American",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Discussed",
    "Attended",
    "Met",
    "Also",
];

/// One word of the text: its letters without the punctuation around it, and whether
/// punctuation after it ends the phrase (a comma, a semicolon, a full stop not of an initial).
#[derive(Debug)]
struct Word<'a> {
    text: &'a str,
    ends: bool,
}

fn words(text: &str) -> Vec<Word<'_>> {
    // "Deputy Prime Minister/Foreign Minister Jean Asselborn" holds two titles.
    text.split(|c: char| c.is_whitespace() || c == '/')
        .filter(|raw| !raw.is_empty())
        .map(|raw| {
            let start = raw.trim_start_matches(['(', '"', '“', '‘', '[']);
            let text = start.trim_end_matches([',', ';', ':', ')', '"', '”', '’', ']', '!', '?']);
            let mut ends = text.len() < start.len();
            let text = if let Some(before) = text.strip_suffix('.') {
                if is_initial(text) {
                    text
                } else {
                    ends = true;
                    before
                }
            } else {
                text
            };
            Word { text, ends }
        })
        .collect()
}

/// Forms of address before a name, left out of it: "Minister of State Dr. Mohammed bin
/// Abdulaziz Al-Khulaifi".
const HONORIFICS: &[&str] = &["Dr.", "Mr.", "Mrs.", "Ms.", "Gen.", "Dr", "Mr", "Mrs", "Ms"];

/// "D.", "H.W.", "Jr.": a full stop that does not end the sentence.
fn is_initial(text: &str) -> bool {
    HONORIFICS.contains(&text)
        || matches!(text, "Jr." | "Sr." | "St.")
        || (text.len() >= 2
            && text.split_terminator('.').all(|part| {
                let mut chars = part.chars();
                matches!((chars.next(), chars.next()), (Some(c), None) if c.is_uppercase())
            }))
}

/// The title that starts at word `at`, with the number of its words.
fn title_at(words: &[Word], at: usize) -> Option<(&'static str, bool, usize)> {
    TITLES.iter().find_map(|&(title, head)| {
        let parts: Vec<&str> = title.split(' ').collect();
        let found = parts.iter().enumerate().all(|(k, part)| {
            words
                .get(at + k)
                .is_some_and(|w| w.text == *part && (k + 1 == parts.len() || !w.ends))
        });
        found.then_some((title, head, parts.len()))
    })
}

fn starts_upper(text: &str) -> bool {
    text.chars().next().is_some_and(char::is_uppercase)
}

/// Whether a word can be part of a name: capitalised ("Kai-shek" too), a particle between
/// capitalised words, or an elided particle ("d'Estaing", "al-Assad").
fn name_word(words: &[Word], at: usize) -> bool {
    let Some(word) = words.get(at) else {
        return false;
    };
    let text = word.text;
    if NOT_NAMES.contains(&text) || title_at(words, at).is_some() {
        return false;
    }
    if starts_upper(text) {
        return text.chars().any(char::is_alphabetic);
    }
    let elided = ["d'", "d’", "al-", "el-", "ad-", "as-"]
        .iter()
        .any(|p| text.strip_prefix(p).is_some_and(starts_upper));
    if elided {
        return true;
    }
    PARTICLES.contains(&text) && !word.ends && name_word(words, at + 1)
}

/// The name that starts at word `at` and the index after it.
fn name_at(words: &[Word], at: usize) -> (String, usize) {
    let mut parts = Vec::new();
    let mut next = at;
    while words
        .get(next)
        .is_some_and(|w| HONORIFICS.contains(&w.text))
    {
        next += 1;
    }
    while name_word(words, next) {
        let word = &words[next];
        parts.push(word.text);
        next += 1;
        if word.ends {
            break;
        }
    }
    let mut name = parts.join(" ");
    for possessive in ["'s", "’s"] {
        if let Some(stripped) = name.strip_suffix(possessive) {
            name = stripped.to_string();
        }
    }
    (name, next)
}

/// What stands before the title at `at`: a nationality ("Russian", "North Korean"), an
/// organisation ("UN"), "former", or nothing.
enum Before {
    Nothing,
    /// A nationality, and whether "former" stands before it.
    Country(Country, bool),
    Organisation,
    /// "the funeral of", "the late": the official was not met.
    Dead,
    Former,
    UnitedStates,
}

fn before(words: &[Word], at: usize, day: NaiveDate) -> Before {
    let word = |k: usize| {
        at.checked_sub(k)
            .and_then(|i| words.get(i))
            .filter(|w| !w.ends)
    };
    let mourned = (1..=3).map_while(word).any(|w| {
        matches!(
            w.text,
            "funeral" | "funerals" | "memorial" | "burial" | "late"
        )
    });
    if mourned {
        return Before::Dead;
    }
    let former = |k: usize| word(k).is_some_and(|w| matches!(w.text, "former" | "Former"));
    if let (Some(first), Some(second)) = (word(2), word(1))
        && ADJECTIVE_FIRST_WORDS.contains(&first.text)
        && let Some(country) = code_of_adjective(&format!("{} {}", first.text, second.text), day)
    {
        return Before::Country(country, former(3));
    }
    let Some(previous) = word(1) else {
        return Before::Nothing;
    };
    if let Some(country) = code_of_adjective(previous.text, day) {
        return Before::Country(country, former(2));
    }
    match previous.text {
        "former" | "Former" => Before::Former,
        "U.S." | "US" | "American" => Before::UnitedStates,
        text if ORGANISATIONS.contains(&text) => Before::Organisation,
        "Commission" => Before::Organisation,
        _ => Before::Nothing,
    }
}

/// The officials the remarks of a trip to `host` on `day` name, each once, in the order
/// named: those named with another country's adjective on that country's side, the rest on
/// the host's. Americans (the President in office, anyone called American or U.S.) and
/// officials of organisations are left out.
pub fn counterparts(remarks: &str, host: &Country, day: NaiveDate) -> Vec<Counterpart> {
    let words = words(remarks);
    let mut found: Vec<Counterpart> = Vec::new();
    let mut at = 0;
    while at < words.len() {
        let Some((title, head, length)) = title_at(&words, at) else {
            at += 1;
            continue;
        };
        let title_index = at;
        let start = at + length;
        if words[start - 1].ends {
            at = start;
            continue;
        }
        let (name, next) = name_at(&words, start);
        at = next.max(start);
        if name.is_empty() {
            continue;
        }
        let (side, title, head, by_host) = match before(&words, title_index, day) {
            Before::Organisation | Before::UnitedStates | Before::Dead => continue,
            Before::Former => {
                if title == "President" && is_us_president(&name, day, true) {
                    continue;
                }
                (host.clone(), format!("former {title}"), false, true)
            }
            Before::Country(country, _) if title == LEADER => (country, String::new(), head, false),
            Before::Country(country, true) => (country, format!("former {title}"), false, false),
            Before::Country(country, false) => (country, title.to_string(), head, false),
            Before::Nothing if title == LEADER => continue,
            Before::Nothing if title == "Pope" => match code_of_id("holy-see", day) {
                Some(holy_see) => (holy_see, title.to_string(), head, false),
                None => continue,
            },
            Before::Nothing => {
                if let Some(side) = of_country(&words, next, day) {
                    (side, title.to_string(), head, false)
                } else {
                    let american = match title {
                        "President" => is_us_president(&name, day, false),
                        "President-elect" => is_us_president(&name, day, true),
                        "Vice President" => is_us_vice_president(&name, day),
                        _ => false,
                    };
                    if american {
                        continue;
                    }
                    (host.clone(), title.to_string(), head, true)
                }
            }
        };
        if side.code() == "US" {
            continue;
        }
        if !found.iter().any(|c| c.name == name) {
            found.push(Counterpart {
                name,
                title,
                side,
                head,
                by_host,
            });
        }
    }
    found
}

/// The country named after a name, as in "President Djukanovic of Montenegro" or "Emir
/// al-Sabah of Kuwait".
fn of_country(words: &[Word], at: usize, day: NaiveDate) -> Option<Country> {
    let last_of_name = words.get(at.checked_sub(1)?)?;
    if last_of_name.ends || words.get(at)?.text != "of" {
        return None;
    }
    let mut id = String::new();
    for word in words.get(at + 1..)?.iter().take(3) {
        if !id.is_empty() {
            id.push('-');
        }
        id.push_str(&word.text.to_lowercase());
        if let Some(country) = code_of_id(&id, day) {
            return Some(country);
        }
        if word.ends {
            break;
        }
    }
    None
}

/// Whether the remarks say no more than that the stop was on the way somewhere else:
/// "Stopped en route to India", "Stopped while returning to Washington", "Refueling stop en
/// route from Uruguay", "Overnight stop en route to Cairo". A stop with anything else in it (a
/// summit attended, an official met) is a visit.
pub fn is_stopover(remarks: &str) -> bool {
    let mut stop = false;
    for sentence in sentences(remarks) {
        let lower = sentence.to_lowercase();
        let stopping = [
            "stopped",
            "stopover",
            "stop ",
            "refuel",
            "disembarked",
            "rested",
        ]
        .iter()
        .any(|w| lower.contains(w));
        let on_the_way = [
            "en route",
            "returning",
            "on the way",
            "return to",
            "before traveling",
            "traveling to",
            "refuel",
        ]
        .iter()
        .any(|w| lower.contains(w));
        let bookkeeping = ["left u.s", "returned", "[visit made", "arrived in"]
            .iter()
            .any(|w| lower.starts_with(w));
        if stopping && on_the_way {
            stop = true;
        } else if !bookkeeping {
            return false;
        }
    }
    stop
}

fn sentences(text: &str) -> impl Iterator<Item = String> {
    let words = words(text);
    let mut sentences = Vec::new();
    let mut current = Vec::new();
    let mut raw = text.split_whitespace();
    for word in &words {
        current.push(raw.next().unwrap_or(word.text));
        let full_stop = word.ends && current.last().is_some_and(|w| w.ends_with(['.', ';', ']']));
        if full_stop {
            sentences.push(current.join(" "));
            current.clear();
        }
    }
    if !current.is_empty() {
        sentences.push(current.join(" "));
    }
    sentences.into_iter()
}

/// Whether the Secretary's remarks say they travelled with the President: "Accompanied
/// President Nixon", "Joined President Clinton for meetings", "Participated in the President’s
/// summit".
pub fn accompanies_president(remarks: &str) -> bool {
    let lower = remarks.to_lowercase().replace('’', "'");
    if lower.contains("the president's") || lower.contains("with the president") {
        return true;
    }
    ["accompanied", "accompanying", "joined", "join"]
        .iter()
        .any(|verb| {
            lower.match_indices(verb).any(|(at, _)| {
                let after = lower[at + verb.len()..].trim_start();
                after.starts_with("president") || after.starts_with("the president")
            })
        })
}

/// The visitors a visit names, each a title and a name, as the visits file writes them:
/// "Prime Minister Benjamin Netanyahu" is ("Prime Minister", "Benjamin Netanyahu"); "Premier &
/// Prince Sihanouk" is ("Premier and Prince", "Sihanouk"); "President Andrzej Duda and Prime
/// Minister Donald Tusk" two visitors. A visitor without a known title is all name.
pub fn visitors(text: &str) -> Vec<(String, String)> {
    // One visitor of 1994 is a "President- elect".
    let text = text.replace("- elect", "-elect");
    let words = words(&text);
    let mut found = Vec::new();
    let mut titles: Vec<&str> = Vec::new();
    let mut name: Vec<&str> = Vec::new();
    let mut at = 0;
    while at < words.len() {
        let joins = matches!(words[at].text, "and" | "&") && title_at(&words, at + 1).is_some();
        if name.is_empty() {
            if let Some((title, _, length)) = title_at(&words, at) {
                titles.push(title);
                at += length;
                continue;
            }
            if joins && !titles.is_empty() {
                at += 1;
                continue;
            }
        } else {
            let after_comma = words[at - 1].ends && title_at(&words, at).is_some();
            if joins || after_comma {
                found.push((titles.join(" and "), name.join(" ")));
                titles.clear();
                name.clear();
                at += usize::from(joins);
                continue;
            }
        }
        if !HONORIFICS.contains(&words[at].text) {
            name.push(words[at].text);
        }
        at += 1;
    }
    if name.is_empty() {
        // A title alone ("King") is the visitor's name as the file gives it.
        name.append(&mut titles);
    }
    found.push((titles.join(" and "), name.join(" ")));
    found
}

/// Whether the holder of `title` (one of the titles of a visitor, joined by "and") heads
/// their side: a head of state or government, a foreign minister.
pub fn heads_side(title: &str) -> bool {
    title
        .split(" and ")
        .any(|part| TITLES.iter().any(|&(known, head)| known == part && head))
}

/// Whom a visit's description names as the visitor's host instead of the President: "Met
/// briefly with Secretary of State Hull", "Met with President-elect Eisenhower". None when the
/// description says the President met the visitor, or names no such host.
pub fn named_host(description: &str, day: NaiveDate) -> Option<(String, String)> {
    let words = words(description);
    let mut host = None;
    for (at, word) in words.iter().enumerate() {
        let title = match word.text {
            "President" => {
                if title_at(&words, at).is_some_and(|(t, _, _)| t == "President") {
                    let (name, _) = name_at(&words, at + 1);
                    if name.is_empty() || is_us_president(&name, day, false) {
                        return None;
                    }
                }
                continue;
            }
            "President-elect" | "President-Elect" => ("President-elect", 1),
            "Secretary"
                if words.get(at + 1).is_some_and(|w| w.text == "of")
                    && words.get(at + 2).is_some_and(|w| w.text == "State") =>
            {
                ("Secretary of State", 3)
            }
            _ => continue,
        };
        let follows_with = at
            .checked_sub(1)
            .and_then(|i| words.get(i))
            .is_some_and(|w| w.text == "with");
        if follows_with && host.is_none() {
            let (name, _) = name_at(&words, at + title.1);
            if !name.is_empty() {
                host = Some((title.0.to_string(), name));
            }
        }
    }
    let lower = description.to_lowercase();
    if lower.contains("with the president") {
        return None;
    }
    host
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn country(code: &str) -> Country {
        Country::parse(code).unwrap()
    }

    fn named(remarks: &str, host: &str, on: &str) -> Vec<(String, String, String, bool)> {
        counterparts(remarks, &country(host), day(on))
            .into_iter()
            .map(|c| (c.name, c.title, c.side.to_string(), c.head))
            .collect()
    }

    fn row(name: &str, title: &str, side: &str, head: bool) -> (String, String, String, bool) {
        (name.into(), title.into(), side.into(), head)
    }

    #[test]
    fn officials_met_go_on_the_host_side_with_their_titles() {
        assert_eq!(
            named(
                "Talks in London with Prime Minister David Cameron and Foreign Secretary William Hague on Syria.",
                "GB",
                "2013-02-25"
            ),
            vec![
                row("David Cameron", "Prime Minister", "GB", true),
                row("William Hague", "Foreign Secretary", "GB", true),
            ]
        );
    }

    #[test]
    fn another_countrys_adjective_puts_the_official_on_that_side() {
        assert_eq!(
            named(
                "Saw Foreign Minister Guido Westerwelle, Chancellor Angela Merkel, then Russian Foreign Minister Sergey Lavrov.",
                "DE",
                "2013-02-26"
            ),
            vec![
                row("Guido Westerwelle", "Foreign Minister", "DE", true),
                row("Angela Merkel", "Chancellor", "DE", true),
                row("Sergey Lavrov", "Foreign Minister", "RU", true),
            ]
        );
        assert_eq!(
            named(
                "Greeted North Korean Chairman Kim Jong Un at the border.",
                "KR",
                "2019-06-30"
            ),
            vec![row("Kim Jong Un", "Chairman", "KP", true)]
        );
    }

    #[test]
    fn the_american_president_and_organisations_are_not_counterparts() {
        assert_eq!(
            named(
                "Went with President Bush to the APEC leaders' meeting; saw UN Secretary-General Annan and NATO Secretary General Robertson there.",
                "CL",
                "2004-11-19"
            ),
            vec![]
        );
        assert_eq!(
            named(
                "Called on former President Nelson Mandela at his home.",
                "ZA",
                "2012-08-06"
            ),
            vec![row("Nelson Mandela", "former President", "ZA", false)]
        );
    }

    #[test]
    fn names_keep_initials_particles_and_numerals() {
        assert_eq!(
            named(
                "Talks with King Salman bin Abd al-Aziz Al Saud and Crown Prince Muhammad bin Salman. Joined a regional summit.",
                "SA",
                "2022-07-15"
            ),
            vec![
                row("Salman bin Abd al-Aziz Al Saud", "King", "SA", true),
                row("Muhammad bin Salman", "Crown Prince", "SA", false),
            ]
        );
        assert_eq!(
            named(
                "With President Ford at his talks with French President Giscard d'Estaing.",
                "FR",
                "1974-12-14"
            ),
            vec![row("Giscard d'Estaing", "President", "FR", true)]
        );
        assert_eq!(
            named("Briefed King Abdullah II's advisers.", "JO", "2013-05-22"),
            vec![row("Abdullah II", "King", "JO", true)]
        );
    }

    #[test]
    fn forms_of_address_popes_and_american_vice_presidents() {
        assert_eq!(
            named(
                "Talks with External Affairs Minister Dr. S. Jaishankar; called on Prime Minister Narendra Modi.",
                "IN",
                "2021-07-26"
            ),
            vec![
                row("S. Jaishankar", "External Affairs Minister", "IN", true),
                row("Narendra Modi", "Prime Minister", "IN", true),
            ]
        );
        assert_eq!(
            named("Received by Pope Pius XII.", "IT", "1950-01-01"),
            vec![row("Pius XII", "Pope", "VA", true)]
        );
        assert_eq!(
            named(
                "In Munich for the security conference in the U.S. delegation under Vice President Kamala Harris; saw UK Foreign Secretary David Cameron.",
                "DE",
                "2024-02-15"
            ),
            vec![row("David Cameron", "Foreign Secretary", "GB", true)]
        );
        assert_eq!(
            named(
                "Talks with President Kucan; also saw President Djukanovic of Montenegro.",
                "SI",
                "1999-06-21"
            ),
            vec![
                row("Kucan", "President", "SI", true),
                row("Djukanovic", "President", "YU", true),
            ]
        );
    }

    #[test]
    fn the_dead_are_not_met_and_former_officials_do_not_head() {
        assert_eq!(
            named(
                "At the funeral of King Hassan II, spoke with Palestinian Authority President Arafat.",
                "MA",
                "1999-07-25"
            ),
            vec![row("Arafat", "President", "PS", true)]
        );
        assert_eq!(
            named(
                "Saw Danish colonial officials; later called on former Mexican President Santa Anna.",
                "DK",
                "1866-01-09"
            ),
            vec![row("Santa Anna", "former President", "MX", false)]
        );
    }

    #[test]
    fn a_title_without_a_name_names_nobody() {
        assert!(
            named(
                "Talks with the President and the Prime Minister.",
                "FR",
                "1990-01-01"
            )
            .is_empty()
        );
        assert!(
            named(
                "Conferred with the Prime Ministers of Barbados, Dominica and St. Lucia.",
                "BB",
                "1982-04-08"
            )
            .is_empty()
        );
    }

    #[test]
    fn stops_on_the_way_are_stopovers() {
        for remarks in [
            "Brief stop en route to Delhi.",
            "Stopped while returning home.",
            "Refueling halt on the way from Lima.",
            "Stopover for the night en route to Rabat.",
            "Stopped on the way back to the U.S. [Visit made as President-elect.]",
            "Disembarked briefly on the way to the conference at Potsdam. Left U.S. July 7.",
        ] {
            assert!(is_stopover(remarks), "{remarks}");
        }
        for remarks in [
            "Took part in the G-7 summit. Stopped at a naval air station while returning home.",
            "State visit. Stopped en route to Tokyo.",
            "Private visit en route to a holiday in Hawaii.",
            "Talks with President Koivisto en route to Moscow.",
            "Talks with Prime Minister Harper.",
        ] {
            assert!(!is_stopover(remarks), "{remarks}");
        }
    }

    #[test]
    fn accompanying_the_president() {
        assert!(accompanies_president(
            "Accompanied President Nixon on his state visit."
        ));
        assert!(accompanies_president(
            "Attended the APEC ministers' meeting, then accompanied President Bush to the leaders' summit."
        ));
        assert!(accompanies_president(
            "Joined President Clinton for his talks in Sofia."
        ));
        assert!(accompanies_president(
            "Took part in the President’s meeting with North Korean leader Kim Jong-un."
        ));
        assert!(!accompanies_president("Talks with President Tudjman."));
    }

    fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
        expected
            .iter()
            .map(|(title, name)| (title.to_string(), name.to_string()))
            .collect()
    }

    #[test]
    fn visitors_are_a_title_and_a_name() {
        for (text, expected) in [
            (
                "Prime Minister Benjamin Netanyahu",
                ("Prime Minister", "Benjamin Netanyahu"),
            ),
            (
                "Premier & Prince Souvanna Phouma",
                ("Premier and Prince", "Souvanna Phouma"),
            ),
            ("King Abdullah II", ("King", "Abdullah II")),
            ("Dag Hammarskjöld", ("", "Dag Hammarskjöld")),
            (
                "President Tommy Esang Remengesau, Jr.",
                ("President", "Tommy Esang Remengesau Jr."),
            ),
            (
                "President- elect Carlos Salinas de Gortari",
                ("President-elect", "Carlos Salinas de Gortari"),
            ),
        ] {
            assert_eq!(visitors(text), pairs(&[expected]), "{text}");
        }
    }

    #[test]
    fn a_visit_may_name_several_visitors() {
        assert_eq!(
            visitors("President Lech Walesa and Prime Minister Hanna Suchocka"),
            pairs(&[
                ("President", "Lech Walesa"),
                ("Prime Minister", "Hanna Suchocka")
            ])
        );
        assert_eq!(
            visitors("President Hosni Mubarak, Prime Minister Atef Ebeid"),
            pairs(&[
                ("President", "Hosni Mubarak"),
                ("Prime Minister", "Atef Ebeid")
            ])
        );
        assert_eq!(
            visitors("King Hussein and Crown Prince Hassan"),
            pairs(&[("King", "Hussein"), ("Crown Prince", "Hassan")])
        );
        assert_eq!(
            visitors("President of the Council of Ministers Giulio Andreotti"),
            pairs(&[("President of the Council of Ministers", "Giulio Andreotti")])
        );
        assert!(heads_side("Prime Minister"));
        assert!(!heads_side("Crown Prince"));
    }

    #[test]
    fn a_host_other_than_the_president() {
        assert_eq!(
            named_host(
                "Talked briefly with Secretary of State Hull.",
                day("1943-12-06")
            ),
            Some(("Secretary of State".into(), "Hull".into()))
        );
        assert_eq!(
            named_host(
                "Talks with President-elect Eisenhower in New York.",
                day("1952-12-17")
            ),
            Some(("President-elect".into(), "Eisenhower".into()))
        );
        assert_eq!(
            named_host("Talks with President Truman.", day("1948-05-24")),
            None
        );
        assert_eq!(
            named_host("Working visit with talks.", day("2010-02-17")),
            None
        );
    }
}
