//! What is known from before the record's first event: how many meetings a pair had (or visits
//! a person made to a country) before it, the last of them, and who says so. Ordinals continue
//! from it; without it, a first in the record says so instead of reading as a first ever.

use super::ordinal::Ordinal;
use super::series::Series;
use super::{FuzzyDate, Invalid, Source};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prior {
    pub series: Series,
    /// Meetings (or visits) before the record's first. Zero marks the record's first as a
    /// true first.
    pub count: usize,
    /// The last of them, where known.
    pub last: Option<FuzzyDate>,
    pub place: String,
    pub sources: Vec<Source>,
}

impl Prior {
    /// ", the last on 28 Jun 2019, Osaka", ", the last in 2019, the G20 summit in Japan", or
    /// nothing where neither is known.
    pub fn last_phrase(&self) -> String {
        let mut text = String::new();
        if let Some(last) = &self.last {
            let on = if last.precision() == super::date::Precision::Day {
                "on"
            } else {
                "in"
            };
            text.push_str(&format!(", the last {on} {}", last.display()));
        }
        if !self.place.trim().is_empty() {
            if text.is_empty() {
                text.push_str(", the last");
            }
            text.push_str(&format!(", {}", self.place.trim()));
        }
        text
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
}

/// How an ordinal counted in the record reads, given what is known from before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scoped {
    /// The ordinal continued from the prior count.
    pub ordinal: Ordinal,
    /// Said after the sentence: " in this record" for a first that may not be one,
    /// ", counting 6 before this record" where earlier ones are known.
    pub suffix: String,
    /// In place of the previous meeting, for the record's first where the last earlier one is
    /// known: "the first since 28 Jun 2019, Osaka".
    pub since: Option<String>,
}

/// `ordinal`, counted within the record, read with what is known from before it.
pub fn scoped(ordinal: Ordinal, prior: Option<&Prior>) -> Scoped {
    match prior {
        None => Scoped {
            ordinal,
            suffix: if ordinal.low == 1 {
                " in this record".into()
            } else {
                String::new()
            },
            since: None,
        },
        Some(prior) if prior.count == 0 => Scoped {
            ordinal,
            suffix: String::new(),
            since: None,
        },
        Some(prior) => {
            let since = (ordinal.low == 1).then(|| {
                let mut parts = vec![];
                if let Some(last) = &prior.last {
                    parts.push(last.display());
                }
                if !prior.place.trim().is_empty() {
                    parts.push(prior.place.trim().to_string());
                }
                if parts.is_empty() {
                    String::new()
                } else {
                    format!("the first since {}", parts.join(", "))
                }
            });
            Scoped {
                ordinal: Ordinal {
                    low: ordinal.low + prior.count,
                    high: ordinal.high + prior.count,
                },
                suffix: format!(", counting {} before this record", prior.count),
                since: since.filter(|s| !s.is_empty()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Mode;

    fn prior(count: usize, last: Option<&str>, place: &str) -> Prior {
        Prior {
            series: Series::meetings(Mode::InPerson, 1, 2),
            count,
            last: last.map(|d| FuzzyDate::parse_iso(d).unwrap()),
            place: place.into(),
            sources: vec![Source {
                outlet: "TASS".into(),
                ..Source::default()
            }],
        }
    }

    #[test]
    fn a_first_in_the_record_says_so_unless_the_record_knows_better() {
        let first = Ordinal { low: 1, high: 1 };
        let third = Ordinal { low: 3, high: 3 };
        assert_eq!(scoped(first, None).suffix, " in this record");
        assert_eq!(scoped(third, None).suffix, "");
        assert_eq!(scoped(first, Some(&prior(0, None, ""))).suffix, "");
        let osaka = prior(6, Some("2019-06-28"), "Osaka");
        assert_eq!(
            scoped(first, Some(&osaka)),
            Scoped {
                ordinal: Ordinal { low: 7, high: 7 },
                suffix: ", counting 6 before this record".into(),
                since: Some("the first since 28 Jun 2019, Osaka".into()),
            }
        );
        let later = scoped(third, Some(&osaka));
        assert_eq!((later.ordinal.low, later.since), (9, None));
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
        unsourced.sources.clear();
        assert!(
            unsourced
                .validate()
                .unwrap_err()
                .to_string()
                .contains("needs a source")
        );
    }
}
