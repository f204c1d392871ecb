//! What is known from before the record's first event: how many meetings a pair had (or visits
//! a person made to a country) before it, the last of them, and who says so. Ordinals continue
//! from it; without it, an ordinal says it counts only this record. Sources may disagree: a
//! prior holds each count with the sources that give it, and sentences say both.

use super::counting::join_names;
use super::date::DateStyle;
use super::ordinal::Ordinal;
use super::scope::Scope;
use super::series::Series;
use super::{FuzzyDate, Invalid, Source};

/// One count of what came before the record, as its sources give it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriorCount {
    /// Meetings (or visits) before the record's first. Zero marks the record's first as a
    /// true first.
    pub count: usize,
    /// The last of them, where known.
    pub last: Option<FuzzyDate>,
    pub place: String,
    pub sources: Vec<Source>,
}

impl PriorCount {
    /// ", the last on 28 Jun 2019, Osaka", ", the last in 2019, the G20 summit in Japan", or
    /// nothing where neither is known.
    pub fn last_phrase(&self, style: DateStyle) -> String {
        let mut text = String::new();
        if let Some(last) = &self.last {
            let on = if last.precision() == super::date::Precision::Day {
                "on"
            } else {
                "in"
            };
            text.push_str(&format!(", the last {on} {}", last.display(style)));
        }
        if !self.place.trim().is_empty() {
            if text.is_empty() {
                text.push_str(", the last");
            }
            text.push_str(&format!(", {}", self.place.trim()));
        }
        text
    }

    /// "news.mail.ru's count", "the count of news.mail.ru and The Times of India": whose count
    /// this is, by outlet.
    pub fn whose(&self) -> String {
        let mut outlets: Vec<&str> = Vec::new();
        for source in &self.sources {
            let outlet = source.outlet.trim();
            if !outlets.iter().any(|o| o.eq_ignore_ascii_case(outlet)) {
                outlets.push(outlet);
            }
        }
        match outlets.as_slice() {
            [one] => format!("{one}'s count"),
            many => format!("the count of {}", join_names(many)),
        }
    }

    pub fn validate(&self) -> Result<(), Invalid> {
        super::text::check_input("place", &self.place, false)?;
        super::check_count("count", self.count)?;
        if self.count == 0 && (self.last.is_some() || !self.place.trim().is_empty()) {
            return Err(Invalid::new(
                "count",
                "0",
                "a count of zero (a true first) has no last meeting",
            ));
        }
        if self.sources.is_empty() {
            return Err(Invalid::new(
                "source",
                "",
                "say who counts them: a prior count needs a source",
            ));
        }
        self.sources.iter().try_for_each(Source::validate)
    }

    /// Whether `source` is one of this count's, by outlet: a source counts once.
    fn names(&self, source: &Source) -> bool {
        self.sources.iter().any(|s| same_outlet(s, source))
    }
}

fn same_outlet(a: &Source, b: &Source) -> bool {
    a.outlet.trim().eq_ignore_ascii_case(b.outlet.trim())
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prior {
    pub series: Series,
    /// Each count that sources give, the first the one ordinals continue from (the first
    /// recorded); never empty, no two of one number, no source in two.
    pub counts: Vec<PriorCount>,
}

impl Prior {
    pub fn new(series: Series, count: PriorCount) -> Prior {
        Prior {
            series,
            counts: vec![count],
        }
    }

    /// The count ordinals continue from.
    pub fn count(&self) -> &PriorCount {
        &self.counts[0]
    }

    /// The counts that disagree with the first.
    pub fn disputed(&self) -> &[PriorCount] {
        &self.counts[1..]
    }

    /// Adds what `count`'s sources say: a source given again replaces its earlier count (which
    /// goes when no source is left to it, the new one taking its place in the order), a count
    /// of a number already held joins its sources (and its last meeting, where given), and any
    /// other is a new, disputing count.
    pub fn add(&mut self, count: PriorCount) {
        let mut freed = None;
        let mut i = 0;
        while i < self.counts.len() {
            let held = &mut self.counts[i];
            if held.count != count.count {
                held.sources.retain(|s| !count.names(s));
                if held.sources.is_empty() {
                    self.counts.remove(i);
                    freed.get_or_insert(i);
                    continue;
                }
            }
            i += 1;
        }
        match self.counts.iter_mut().find(|c| c.count == count.count) {
            Some(held) => {
                for source in count.sources {
                    match held.sources.iter_mut().find(|s| same_outlet(s, &source)) {
                        Some(same) => *same = source,
                        None => held.sources.push(source),
                    }
                }
                if count.last.is_some() || !count.place.trim().is_empty() {
                    held.last = count.last;
                    held.place = count.place;
                }
            }
            None => {
                let at = freed.unwrap_or(self.counts.len()).min(self.counts.len());
                self.counts.insert(at, count);
            }
        }
    }

    /// Takes the source named `outlet` from the count that holds it (and the count, where no
    /// source is left to it); whether one held it. Where the first count goes, the next is the
    /// one ordinals continue from.
    pub fn remove_source(&mut self, outlet: &str) -> bool {
        let gone = Source {
            outlet: outlet.to_string(),
            ..Source::default()
        };
        let Some(i) = self.counts.iter().position(|c| c.names(&gone)) else {
            return false;
        };
        self.counts[i].sources.retain(|s| !same_outlet(s, &gone));
        if self.counts[i].sources.is_empty() {
            self.counts.remove(i);
        }
        true
    }

    pub fn validate(&self) -> Result<(), Invalid> {
        if self.counts.is_empty() {
            return Err(Invalid::new(
                "count",
                "",
                "a prior count needs a count and a source",
            ));
        }
        for (i, count) in self.counts.iter().enumerate() {
            count.validate()?;
            let earlier = &self.counts[..i];
            if earlier.iter().any(|c| c.count == count.count) {
                return Err(Invalid::new(
                    "count",
                    &count.count.to_string(),
                    "is given twice: one count holds all the sources that give it",
                ));
            }
            if let Some(source) = count
                .sources
                .iter()
                .find(|s| earlier.iter().any(|c| c.names(s)))
            {
                return Err(Invalid::new(
                    "source",
                    &source.outlet,
                    "gives two counts: a source gives one",
                ));
            }
        }
        Ok(())
    }
}

/// How an ordinal counted in the record reads, given what is known from before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scoped {
    /// The ordinal continued from the prior count.
    pub ordinal: Ordinal,
    /// The ordinal by each disputing count, with whose count it is.
    pub disputed: Vec<(Ordinal, String)>,
    /// Whether a prior count applies (of any number, a true first's zero included).
    pub prior: bool,
    /// Said after the sentence: " in this record" where nothing before the record is known,
    /// ", counting 6 before this record" where it is, the scope (" since 7 Oct 2023") for a
    /// count over part of the record.
    pub suffix: String,
    /// In place of the previous meeting, for the record's first where the last earlier one is
    /// known: "the first since 28 Jun 2019, Osaka".
    pub since: Option<String>,
}

impl Scoped {
    /// "6th", or where sources disagree on what came before, "6th, or 7th by news.mail.ru's
    /// count,": the words before the noun.
    pub fn phrase(&self) -> String {
        let mut text = self.ordinal.phrase();
        for (ordinal, whose) in &self.disputed {
            text.push_str(&format!(", or {} by {whose}", ordinal.phrase()));
        }
        if !self.disputed.is_empty() {
            text.push(',');
        }
        text
    }

    /// " (or 7th by news.mail.ru's count)": the disputed alternatives said after a short
    /// line, where the noun must come first so that a cut column still says what is counted.
    pub fn alternatives(&self) -> String {
        if self.disputed.is_empty() {
            return String::new();
        }
        let each: Vec<String> = self
            .disputed
            .iter()
            .map(|(ordinal, whose)| format!("{} by {whose}", ordinal.phrase()))
            .collect();
        format!(" (or {})", each.join(", or "))
    }
}

/// What an ordinal counted from the record's start with nothing known before it says of its
/// scope; a list of such ordinals says it once, in its heading.
pub const IN_THIS_RECORD: &str = " in this record";

/// `ordinal`, counted within `scope` of the record, read with what is known from before it.
/// A prior count applies to a count from the record's start in any role; a count since a date
/// or in one role says its scope instead.
pub fn scoped(ordinal: Ordinal, prior: Option<&Prior>, scope: &Scope, style: DateStyle) -> Scoped {
    let from_start = scope.since.is_none() && scope.role.is_none();
    let mut suffix = scope.phrase(style);
    let prior = prior.filter(|_| from_start);
    let Some(prior) = prior else {
        if from_start {
            suffix.push_str(IN_THIS_RECORD);
        }
        return Scoped {
            ordinal,
            disputed: Vec::new(),
            prior: false,
            suffix,
            since: None,
        };
    };
    let after = |count: &PriorCount| Ordinal {
        low: ordinal.low + count.count,
        high: ordinal.high + count.count,
    };
    let first = prior.count();
    let disputed = prior
        .disputed()
        .iter()
        .map(|c| (after(c), c.whose()))
        .collect();
    if first.count == 0 {
        // Said, so that a count from a known true first does not read as a bare claim.
        suffix.push_str(", none before this record");
        return Scoped {
            ordinal,
            disputed,
            prior: true,
            suffix,
            since: None,
        };
    }
    let since = (ordinal.low == 1).then(|| {
        let mut parts = vec![];
        if let Some(last) = &first.last {
            parts.push(last.display(style));
        }
        if !first.place.trim().is_empty() {
            parts.push(first.place.trim().to_string());
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!("the first since {}", parts.join(", "))
        }
    });
    suffix.push_str(&format!(", counting {} before this record", first.count));
    Scoped {
        ordinal: after(first),
        disputed,
        prior: true,
        suffix,
        since: since.filter(|s| !s.is_empty()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Mode;

    fn source(outlet: &str) -> Source {
        Source {
            outlet: outlet.into(),
            ..Source::default()
        }
    }

    fn count(count: usize, last: Option<&str>, place: &str, outlets: &[&str]) -> PriorCount {
        PriorCount {
            count,
            last: last.map(|d| FuzzyDate::parse_iso(d).unwrap()),
            place: place.into(),
            sources: outlets.iter().map(|o| source(o)).collect(),
        }
    }

    fn prior(n: usize, last: Option<&str>, place: &str) -> Prior {
        Prior::new(
            Series::meetings(Mode::InPerson, 1, 2),
            count(n, last, place, &["TASS"]),
        )
    }

    fn whole() -> Scope {
        Scope::default()
    }

    #[test]
    fn an_ordinal_without_a_prior_says_it_counts_this_record() {
        let first = Ordinal { low: 1, high: 1 };
        let third = Ordinal { low: 3, high: 3 };
        assert_eq!(
            scoped(first, None, &whole(), DateStyle::Human).suffix,
            " in this record"
        );
        assert_eq!(
            scoped(third, None, &whole(), DateStyle::Human).suffix,
            " in this record"
        );
        assert_eq!(
            scoped(first, Some(&prior(0, None, "")), &whole(), DateStyle::Human).suffix,
            ", none before this record"
        );
        let osaka = prior(6, Some("2019-06-28"), "Osaka");
        assert_eq!(
            scoped(first, Some(&osaka), &whole(), DateStyle::Human),
            Scoped {
                ordinal: Ordinal { low: 7, high: 7 },
                disputed: Vec::new(),
                prior: true,
                suffix: ", counting 6 before this record".into(),
                since: Some("the first since 28 Jun 2019, Osaka".into()),
            }
        );
        let later = scoped(third, Some(&osaka), &whole(), DateStyle::Human);
        assert_eq!((later.ordinal.low, later.since), (9, None));
    }

    #[test]
    fn a_scoped_count_says_its_scope_and_leaves_the_prior_aside() {
        let eighth = Ordinal { low: 8, high: 8 };
        let since = Scope {
            since: chrono::NaiveDate::from_ymd_opt(2023, 10, 7),
            ..Scope::default()
        };
        let osaka = prior(6, Some("2019-06-28"), "Osaka");
        let said = scoped(eighth, Some(&osaka), &since, DateStyle::Human);
        assert_eq!(
            (said.ordinal.low, said.suffix.as_str()),
            (8, " since 7 Oct 2023")
        );
        let until = Scope {
            until: chrono::NaiveDate::from_ymd_opt(2024, 1, 1),
            ..Scope::default()
        };
        assert_eq!(
            scoped(eighth, None, &until, DateStyle::Human).suffix,
            " until 1 Jan 2024 in this record"
        );
        assert_eq!(
            scoped(eighth, Some(&osaka), &until, DateStyle::Human).suffix,
            " until 1 Jan 2024, counting 6 before this record"
        );
    }

    #[test]
    fn disputed_counts_are_each_said_with_whose_they_are() {
        let mut anchorage = Prior::new(
            Series::meetings(Mode::InPerson, 1, 2),
            count(5, Some("2019"), "", &["TIME"]),
        );
        anchorage.add(count(6, None, "", &["news.mail.ru"]));
        anchorage.add(count(6, None, "", &["The Times of India"]));
        assert!(anchorage.validate().is_ok());
        let said = scoped(
            Ordinal { low: 1, high: 1 },
            Some(&anchorage),
            &whole(),
            DateStyle::Human,
        );
        assert_eq!(
            said.phrase(),
            "6th, or 7th by the count of news.mail.ru and The Times of India,"
        );
        assert_eq!(said.suffix, ", counting 5 before this record");
        assert_eq!(
            said.alternatives(),
            " (or 7th by the count of news.mail.ru and The Times of India)"
        );
        anchorage.add(count(7, None, "", &["The Times of India"]));
        assert_eq!(
            scoped(
                Ordinal { low: 2, high: 2 },
                Some(&anchorage),
                &whole(),
                DateStyle::Human
            )
            .phrase(),
            "7th, or 8th by news.mail.ru's count, or 9th by The Times of India's count,"
        );
        let undisputed = scoped(
            Ordinal { low: 2, high: 2 },
            Some(&prior(1, None, "")),
            &whole(),
            DateStyle::Human,
        );
        assert_eq!(undisputed.phrase(), "3rd");
    }

    #[test]
    fn a_source_given_again_replaces_its_count_in_its_place() {
        let mut p = Prior::new(
            Series::meetings(Mode::InPerson, 1, 2),
            count(5, None, "", &["TIME"]),
        );
        p.add(count(6, None, "", &["news.mail.ru"]));
        p.add(count(4, Some("2019"), "Osaka", &["time"]));
        let numbers: Vec<usize> = p.counts.iter().map(|c| c.count).collect();
        assert_eq!(numbers, [4, 6]);
        assert_eq!(p.count().place, "Osaka");
        // Agreeing with another count joins it, and the emptied one goes.
        p.add(count(6, None, "", &["TIME"]));
        assert_eq!(p.counts.len(), 1);
        assert_eq!(p.count().whose(), "the count of news.mail.ru and TIME");
        // A count the same source gives again keeps its last meeting unless a new one is given.
        p.add(count(6, Some("2019-06-28"), "Osaka", &["TIME"]));
        p.add(count(6, None, "", &["news.mail.ru"]));
        assert_eq!(
            p.count().last_phrase(DateStyle::Human),
            ", the last on 28 Jun 2019, Osaka"
        );
        assert!(p.validate().is_ok());
    }

    #[test]
    fn a_source_taken_away_takes_its_count_when_it_was_the_only_one() {
        let mut p = Prior::new(
            Series::meetings(Mode::InPerson, 1, 2),
            count(5, None, "", &["TIME", "Sputnik"]),
        );
        p.add(count(6, None, "", &["news.mail.ru"]));
        assert!(p.remove_source("time"));
        assert_eq!(p.count().whose(), "Sputnik's count");
        assert!(!p.remove_source("TIME"));
        assert!(p.remove_source("Sputnik"));
        assert_eq!(p.count().count, 6);
        assert!(p.disputed().is_empty());
    }

    #[test]
    fn a_prior_count_is_checked() {
        assert!(prior(6, Some("2019-06-28"), "Osaka").validate().is_ok());
        assert_eq!(
            prior(0, Some("2019-06-28"), "")
                .validate()
                .unwrap_err()
                .to_string(),
            "count: a count of zero (a true first) has no last meeting (0)"
        );
        let mut unsourced = prior(2, None, "");
        unsourced.counts[0].sources.clear();
        assert!(
            unsourced
                .validate()
                .unwrap_err()
                .to_string()
                .contains("needs a source")
        );
        let mut twice = prior(2, None, "");
        twice.counts.push(count(2, None, "", &["RIA"]));
        assert!(twice.validate().unwrap_err().to_string().contains("twice"));
        let mut both = prior(2, None, "");
        both.counts.push(count(3, None, "", &["tass"]));
        assert!(
            both.validate()
                .unwrap_err()
                .to_string()
                .contains("gives two counts")
        );
    }
}
