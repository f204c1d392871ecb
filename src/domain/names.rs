//! Short names: the word or two a person is labelled by where space is short (the timeline's
//! heads column, the matrix of who met whom), and family names, which sentences sort people by.
//!
//! A person's short name is the one set for them (`attache person edit NAME --short TEXT`),
//! or else their family name, found by these rules, in order:
//!
//! - Titles before the name and suffixes after it are not names: "Sir", "Dr.", "Prince",
//!   "Sheikh"; "Jr.", "Sr.", "II", "III". "Ulysses S. Grant II" is "Grant", "King Charles III"
//!   is "Charles".
//! - A name of one word, such as a name written in Chinese, Japanese or Korean characters
//!   without spaces ("习近平"), is its own short name.
//! - An Arabic or Malay name built on "bin", "ibn" or "bint" (son or daughter of) has no
//!   family name in the Western sense; the press names the person by the name before it on
//!   second reference ("Prince Faisal", "Sheikh Tamim", "Anwar"), and so does attache:
//!   "Faisal bin Farhan" is "Faisal". Those the press names otherwise ("bin Laden") are set by
//!   hand.
//! - A Chinese or Korean name written in Latin letters family name first, as the press
//!   writes them, is its first word: "Xi Jinping" is "Xi", "Kim Jong Un" is "Kim", "Moon
//!   Jae-in" is "Moon". It is taken to be one when its first word is a common Chinese or Korean
//!   family name and the rest is a given name as those are romanised: hyphenated ("Jae-in",
//!   "Ing-wen"), pinyin ("Jinping"), or two short words ("Jong Un"). Japanese and Vietnamese
//!   names, which the English press writes family name last or names by the last word ("Shigeru
//!   Ishiba", "To Lam"), follow the next rule.
//! - Otherwise the last word, with the particles before it: "de Gaulle", "von der Leyen".
//!
//! Two people whose short names are the same are told apart where they are labelled: by the
//! initials of the names before the short name ("G.H.W. Bush", "G.W. Bush"), or by their full
//! names where initials do not tell them apart either.

use std::collections::HashMap;

/// Words before a name that are titles, compared without case and without a final full stop.
const TITLES: &[&str] = &[
    "adm",
    "admiral",
    "amir",
    "crown",
    "dame",
    "dr",
    "emir",
    "gen",
    "general",
    "h.e",
    "king",
    "lady",
    "lord",
    "mr",
    "mrs",
    "ms",
    "mx",
    "pope",
    "president",
    "prince",
    "princess",
    "prof",
    "queen",
    "rev",
    "shaikh",
    "sheikh",
    "sheikha",
    "sir",
    "sultan",
];

/// Words after a name that are not names: generations, degrees, honours.
const SUFFIXES: &[&str] = &[
    "cbe", "esq", "ii", "iii", "iv", "jr", "kbe", "obe", "phd", "sr", "vi", "vii", "viii",
];

/// Words that belong to the family name after them: "de Gaulle", "von der Leyen".
const PARTICLES: &[&str] = &[
    "al", "da", "das", "de", "del", "della", "den", "der", "di", "dos", "du", "el", "la", "le",
    "ten", "ter", "van", "von",
];

/// "Son of", "daughter of": the name before is the one a person is called by.
const NASAB: &[&str] = &["bin", "bint", "binti", "ibn", "ابن", "بن", "بنت"];

/// Common Chinese and Korean family names as the press romanises them (pinyin, Wade-Giles,
/// Korean): the first word of a name written family name first.
const EAST_ASIAN_FAMILY_NAMES: &[&str] = &[
    "ahn", "bai", "ban", "bo", "cai", "cao", "chan", "chang", "chen", "cheng", "cheung", "chiang",
    "cho", "choe", "choi", "chu", "chun", "chung", "dai", "deng", "ding", "dong", "du", "fan",
    "feng", "fu", "gao", "goh", "gu", "guo", "han", "he", "ho", "hong", "hou", "hsu", "hu", "hua",
    "huang", "hwang", "hyun", "jang", "jia", "jiang", "jin", "jung", "kang", "ke", "kim", "ko",
    "kong", "kwon", "lai", "lau", "lee", "leung", "li", "liang", "lien", "lim", "lin", "liu", "lu",
    "luo", "ma", "mao", "meng", "moon", "ng", "oh", "ong", "pan", "park", "peng", "qi", "qian",
    "qin", "ren", "ri", "roh", "seo", "shen", "shi", "shin", "song", "soong", "su", "sun", "tan",
    "tang", "teo", "tian", "tsai", "tung", "wan", "wang", "wei", "wen", "wong", "wu", "xi", "xiao",
    "xie", "xiong", "xu", "yan", "yang", "yao", "ye", "yoo", "yoon", "yu", "yuan", "zeng", "zhai",
    "zhang", "zhao", "zheng", "zhou", "zhu",
];

/// The words of `name` as byte ranges into it, so that a short name is a slice of the name.
fn words(name: &str) -> Vec<(usize, usize)> {
    name.split_whitespace()
        .map(|w| {
            let start = w.as_ptr() as usize - name.as_ptr() as usize;
            (start, start + w.len())
        })
        .collect()
}

/// Whether `word`, without the punctuation around it, is one of `list` (lower case, in byte
/// order), ignoring case. The lists are searched by halves and compared in place, without a
/// lower-cased copy of the word: every person's label is made each time the record changes,
/// and an export sorts each event's heads by family name.
fn listed(list: &[&str], word: &str) -> bool {
    let word = word.trim_matches(|c: char| c == ',' || c == '.');
    list.binary_search_by(|entry| {
        entry
            .bytes()
            .cmp(word.bytes().map(|b| b.to_ascii_lowercase()))
    })
    .is_ok()
}

/// Whether two words are the same, ignoring case and the punctuation around them.
fn same_word(a: &str, b: &str) -> bool {
    let bare = |w: &str| {
        w.trim_matches(|c: char| c == ',' || c == '.')
            .to_lowercase()
    };
    bare(a) == bare(b)
}

/// The family name of `name` by the rules in this module's documentation: "Bush" for "George
/// H. W. Bush", "Xi" for "Xi Jinping", "Faisal" for "Faisal bin Farhan".
pub fn family_name(name: &str) -> &str {
    let (start, end) = family_span(name);
    name[start..end].trim_end_matches(',')
}

/// Where in `name` its family name is, as a byte range.
fn family_span(name: &str) -> (usize, usize) {
    let words = words(name);
    let kept = kept_words(name, &words);
    let span = |from: usize, to: usize| (words[from].0, words[to].1);
    let (first, last) = match kept {
        Some(range) => range,
        None => return (0, name.len()),
    };
    if first == last {
        return span(first, first);
    }
    let text = |i: usize| &name[words[i].0..words[i].1];
    if let Some(nasab) = (first + 1..=last).find(|&i| listed(NASAB, text(i))) {
        return span(first, nasab - 1);
    }
    // The list is looked at first, so that most names make no list of their words.
    if listed(EAST_ASIAN_FAMILY_NAMES, text(first))
        && family_name_first(&(first..=last).map(text).collect::<Vec<_>>())
    {
        return span(first, first);
    }
    let mut from = last;
    while from > first + 1 && listed(PARTICLES, text(from - 1)) {
        from -= 1;
    }
    span(from, last)
}

/// The first and last word of `name` that are names (not titles or suffixes), by index into
/// `words`; none when the name has no words.
fn kept_words(name: &str, words: &[(usize, usize)]) -> Option<(usize, usize)> {
    if words.is_empty() {
        return None;
    }
    let text = |i: usize| &name[words[i].0..words[i].1];
    let mut first = 0;
    let mut last = words.len() - 1;
    while first < last && listed(TITLES, text(first)) {
        first += 1;
    }
    while first < last && listed(SUFFIXES, text(last)) {
        last -= 1;
    }
    Some((first, last))
}

/// Whether a name of these words is a Chinese or Korean name written family name first.
fn family_name_first(words: &[&str]) -> bool {
    let Some((family, given)) = words.split_first() else {
        return false;
    };
    if !listed(EAST_ASIAN_FAMILY_NAMES, family) {
        return false;
    }
    match given {
        [one] => {
            let parts: Vec<&str> = one.split('-').collect();
            (parts.len() == 2 && parts.iter().all(|p| !p.is_empty()))
                || (one.chars().count() > 1 && is_pinyin(&one.to_lowercase()))
        }
        [a, b] => [a, b]
            .iter()
            .all(|w| w.chars().count() <= 5 && w.chars().all(char::is_alphabetic)),
        _ => false,
    }
}

/// Whether `word` (lower case) is a run of pinyin syllables: "jinping", "keqiang".
fn is_pinyin(word: &str) -> bool {
    const INITIALS: &[&str] = &[
        "zh", "ch", "sh", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h", "j", "q", "x",
        "r", "z", "c", "s", "y", "w", "",
    ];
    const FINALS: &[&str] = &[
        "iang", "iong", "uang", "ang", "eng", "ing", "ong", "ian", "iao", "uai", "uan", "ai", "ei",
        "ao", "ou", "an", "en", "in", "un", "er", "ia", "ie", "iu", "ua", "uo", "ui", "ue", "a",
        "o", "e", "i", "u",
    ];
    if !word.is_ascii() {
        return false;
    }
    // ends[i]: the first i bytes are whole syllables.
    let mut ends = vec![false; word.len() + 1];
    ends[0] = true;
    for start in 0..word.len() {
        if !ends[start] {
            continue;
        }
        let rest = &word[start..];
        for initial in INITIALS {
            let Some(after) = rest.strip_prefix(initial) else {
                continue;
            };
            for fin in FINALS {
                if after.starts_with(fin) {
                    ends[start + initial.len() + fin.len()] = true;
                }
            }
        }
    }
    ends[word.len()]
}

/// The short name a person is labelled by: `set` when it is not blank, else the family name.
pub fn short_name<'a>(name: &'a str, set: &'a str) -> &'a str {
    match set.trim() {
        "" => family_name(name),
        set => set,
    }
}

/// "G.H.W. Bush" for "George H. W. Bush" with the short name "Bush": the initials of the
/// names before the short name; none when the short name is not the end of the name or
/// nothing comes before it.
fn with_initials(name: &str, short: &str) -> Option<String> {
    let words = words(name);
    let (first, last) = kept_words(name, &words)?;
    let text = |i: usize| &name[words[i].0..words[i].1];
    let short_words = short.split_whitespace().count();
    let start = (last + 1).checked_sub(short_words)?;
    if start <= first
        || !(start..=last)
            .map(text)
            .zip(short.split_whitespace())
            .all(|(a, b)| same_word(a, b))
    {
        return None;
    }
    let initials: String = (first..start)
        .filter_map(|i| text(i).chars().next())
        .map(|c| format!("{c}."))
        .collect();
    Some(format!("{initials} {short}"))
}

/// The label of each person, told apart from everyone else's: their short name, or where
/// others share it, the short name with initials, or the full name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Labels {
    /// Only those whose label is not their family name: most people need no entry.
    by_id: HashMap<i64, String>,
}

impl Labels {
    /// Labels for `people`: (id, name, the short name set for them or "").
    pub fn new<'a>(people: impl IntoIterator<Item = (i64, &'a str, &'a str)>) -> Labels {
        // Sorted by short name, those who share one are next to each other: a sort costs
        // less than a map of groups, as this runs over every person on record.
        let mut shorts: Vec<(String, i64, &str, &str, bool)> = people
            .into_iter()
            .map(|(id, name, set)| {
                let short = short_name(name, set);
                (short.to_lowercase(), id, name, short, set.trim().is_empty())
            })
            .collect();
        shorts.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut by_id = HashMap::new();
        for group in shorts.chunk_by(|a, b| a.0 == b.0) {
            if let [(_, id, _, short, by_rule)] = group {
                if !by_rule {
                    by_id.insert(*id, (*short).to_string());
                }
                continue;
            }
            let initials: Vec<Option<String>> = group
                .iter()
                .map(|(_, _, name, short, _)| with_initials(name, short))
                .collect();
            let shared = |label: &str| {
                let key = label.to_lowercase();
                initials
                    .iter()
                    .flatten()
                    .filter(|o| o.to_lowercase() == key)
                    .count()
                    > 1
            };
            for ((_, id, name, _, _), label) in group.iter().zip(&initials) {
                let label = match label {
                    Some(label) if !shared(label) => label.clone(),
                    _ => (*name).to_string(),
                };
                by_id.insert(*id, label);
            }
        }
        Labels { by_id }
    }

    /// The label of the person `id`, whose name is `name`.
    pub fn get<'a>(&'a self, id: i64, name: &'a str) -> &'a str {
        self.by_id
            .get(&id)
            .map_or_else(|| family_name(name), String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `listed` searches by halves: a list out of order would miss words it holds.
    #[test]
    fn every_word_of_every_list_is_found_in_any_case() {
        for list in [TITLES, SUFFIXES, PARTICLES, NASAB, EAST_ASIAN_FAMILY_NAMES] {
            for pair in list.windows(2) {
                assert!(pair[0] < pair[1], "{} before {}", pair[0], pair[1]);
            }
            for word in list {
                assert_eq!(word.to_lowercase(), *word);
                assert!(listed(list, word), "{word}");
                assert!(listed(list, &word.to_uppercase()), "{word}");
                assert!(listed(list, &format!("{word}.,")), "{word}");
                assert!(!listed(list, &format!("{word}x")), "{word}");
            }
        }
        assert!(!listed(TITLES, "Dra"));
    }

    #[test]
    fn the_family_name_leaves_out_titles_and_suffixes() {
        for (name, family) in [
            ("Vladimir Putin", "Putin"),
            ("Ulysses S. Grant II", "Grant"),
            ("George H. W. Bush", "Bush"),
            ("Martin Luther King, Jr.", "King"),
            ("John D. Rockefeller III", "Rockefeller"),
            ("Robert F. Kennedy Jr", "Kennedy"),
            ("Dr. Henry Kissinger", "Kissinger"),
            ("Sir Keir Starmer", "Starmer"),
            ("Prince William", "William"),
            ("King Charles III", "Charles"),
            ("Sheikh Mohammed bin Zayed", "Mohammed"),
            ("Pope Francis", "Francis"),
            ("Madonna", "Madonna"),
            ("Sir", "Sir"),
            ("", ""),
        ] {
            assert_eq!(family_name(name), family, "{name}");
        }
    }

    #[test]
    fn names_without_a_western_family_name() {
        for (name, family) in [
            // Arabic and Malay names built on "son of": the name before it.
            ("Mohammed bin Salman", "Mohammed"),
            ("Faisal bin Farhan", "Faisal"),
            ("Tamim bin Hamad Al Thani", "Tamim"),
            ("Anwar bin Ibrahim", "Anwar"),
            ("محمد بن سلمان", "محمد"),
            // Chinese and Korean names written family name first.
            ("Xi Jinping", "Xi"),
            ("Wang Yi", "Wang"),
            ("Li Keqiang", "Li"),
            ("Kim Jong Un", "Kim"),
            ("Kim Jong-un", "Kim"),
            ("Moon Jae-in", "Moon"),
            ("Tsai Ing-wen", "Tsai"),
            ("Lee Hsien Loong", "Lee"),
            // ... and not when the rest is no East Asian given name.
            ("Kim Darroch", "Darroch"),
            ("John Lee", "Lee"),
            ("Carrie Lam", "Lam"),
            ("Lee Harvey Oswald", "Oswald"),
            // Japanese and Vietnamese names as the English press writes them.
            ("Shigeru Ishiba", "Ishiba"),
            ("To Lam", "Lam"),
            // One word in Chinese characters, Cyrillic, particles.
            ("习近平", "习近平"),
            ("Владимир Путин", "Путин"),
            ("Charles de Gaulle", "de Gaulle"),
            ("Ursula von der Leyen", "von der Leyen"),
            ("Jean-Yves Le Drian", "Le Drian"),
            ("Van Morrison", "Morrison"),
            ("Musaed Al-Aiban", "Al-Aiban"),
        ] {
            assert_eq!(family_name(name), family, "{name}");
        }
    }

    #[test]
    fn a_short_name_set_wins_over_the_family_name() {
        assert_eq!(short_name("Mohammed bin Salman", "MBS"), "MBS");
        assert_eq!(short_name("Mohammed bin Salman", "  "), "Mohammed");
    }

    #[test]
    fn people_who_share_a_short_name_are_told_apart() {
        let labels = Labels::new([
            (1, "George H. W. Bush", ""),
            (2, "George W. Bush", ""),
            (3, "Vladimir Putin", ""),
            (4, "Ulysses S. Grant", ""),
            (5, "Ulysses S. Grant II", ""),
            (6, "Kim Jong Un", ""),
            (7, "Kim Yo Jong", ""),
            (8, "Mohammed bin Salman", "MBS"),
            (9, "Jeb Bush", "Jeb"),
        ]);
        assert_eq!(labels.get(1, "George H. W. Bush"), "G.H.W. Bush");
        assert_eq!(labels.get(2, "George W. Bush"), "G.W. Bush");
        assert_eq!(labels.get(3, "Vladimir Putin"), "Putin");
        // Initials that are the same again: the full names.
        assert_eq!(labels.get(4, "Ulysses S. Grant"), "Ulysses S. Grant");
        assert_eq!(labels.get(5, "Ulysses S. Grant II"), "Ulysses S. Grant II");
        // A family name first has no initials before it.
        assert_eq!(labels.get(6, "Kim Jong Un"), "Kim Jong Un");
        assert_eq!(labels.get(7, "Kim Yo Jong"), "Kim Yo Jong");
        assert_eq!(labels.get(8, "Mohammed bin Salman"), "MBS");
        assert_eq!(labels.get(9, "Jeb Bush"), "Jeb");
        // Someone the labels were not made with: their family name.
        assert_eq!(labels.get(10, "Donald Trump"), "Trump");
    }

    #[test]
    fn pinyin_is_told_from_other_words() {
        for word in ["jinping", "keqiang", "yi", "xuexiang", "qiang"] {
            assert!(is_pinyin(word), "{word}");
        }
        for word in ["darroch", "davis", "harvey", "björn"] {
            assert!(!is_pinyin(word), "{word}");
        }
    }
}
