//! `prior`: what is known from before the record's first event of a pair's meetings or a
//! person's visits to a country.

use std::io::Write;

use clap::{Args, Subcommand};

use super::{Result, date_arg, keyword};
use crate::domain::prior::{Prior, PriorCount};
use crate::domain::series::Series;
use crate::domain::{Country, Invalid, Mode};
use crate::interchange::csv::{decode_sources, encode_sources};
use crate::interchange::json::PriorRecord;
use crate::store::Store;

#[derive(Debug, Args)]
#[command(
    after_help = "Example:\n  attache prior set Putin Trump --count 6 --last 2019-06-28 \
    --place Osaka --source \"TASS <https://tass.com/politics/1999999>\""
)]
pub struct PriorArgs {
    #[command(subcommand)]
    pub command: PriorCommand,
}

/// Whose series: two people (their meetings) or one person and `--country` (their visits).
#[derive(Debug, Args)]
pub struct Whose {
    /// One person with --country (their visits there), or two (their meetings)
    #[arg(required = true, num_args = 1..=2, value_name = "NAME")]
    pub names: Vec<String>,
    /// Count one person's visits to this country (ISO 3166-1 alpha-2) instead of meetings
    #[arg(long, value_name = "CC")]
    pub country: Option<String>,
    /// For meetings: in-person, phone or video
    #[arg(long, default_value = "in-person")]
    pub mode: String,
}

#[derive(Debug, Subcommand)]
pub enum PriorCommand {
    /// Record how many meetings (or visits) came before the record's first, and the last of
    /// them, by the sources given: another source's different count is kept beside it as a
    /// dispute; a source given again replaces its own count
    Set {
        #[command(flatten)]
        whose: Whose,
        /// How many before the record's first; 0 marks the record's first as a true first
        #[arg(long)]
        count: usize,
        /// The date of the last one before the record, at any precision
        #[arg(long, value_name = "DATE")]
        last: Option<String>,
        /// Where the last one was
        #[arg(long, value_name = "PLACE", default_value = "")]
        place: String,
        /// Who counts them: "OUTLET[ citing WHOM][ <URL>]"; repeat
        #[arg(long = "source", value_name = "SOURCE", required = true)]
        sources: Vec<String>,
    },
    /// Forget a prior count, or with --source one source's count of it
    Remove {
        #[command(flatten)]
        whose: Whose,
        /// Take only this source (by outlet) from the count that names it; the count goes when
        /// no source is left to it, and the prior when no count is
        #[arg(long, value_name = "OUTLET")]
        source: Option<String>,
    },
    /// Every prior count
    List {
        /// An aligned table or JSON
        #[arg(long, value_enum, default_value = "table")]
        format: super::person::Format,
    },
}

fn series_of(store: &Store, whose: &Whose) -> Result<Series> {
    let people: Vec<i64> = whose
        .names
        .iter()
        .map(|n| store.resolve_person(n).map(|p| p.id))
        .collect::<std::result::Result<_, _>>()?;
    Ok(match (people.as_slice(), &whose.country) {
        ([person], Some(country)) => Series::Visits {
            person: *person,
            country: Country::parse_field("country", country)?.code().to_string(),
        },
        ([_], None) => {
            return Err(Invalid::new(
                "country",
                "",
                "one person's prior count is of visits: give --country, or name two people",
            )
            .into());
        }
        ([a, b], None) => {
            if a == b {
                return Err(
                    Invalid::new("names", &whose.names[1], "name two different people").into(),
                );
            }
            Series::meetings(keyword::<Mode>("mode", &whose.mode)?, *a, *b)
        }
        _ => {
            return Err(Invalid::new(
                "country",
                "",
                "--country counts one person's visits; name one person with it",
            )
            .into());
        }
    })
}

pub fn run(store: &mut Store, args: PriorArgs, out: &mut dyn Write) -> Result<()> {
    match args.command {
        PriorCommand::Set {
            whose,
            count,
            last,
            place,
            sources,
        } => {
            let series = series_of(store, &whose)?;
            let mut count = PriorCount {
                count,
                last: last.as_deref().map(|d| date_arg("last", d)).transpose()?,
                place,
                sources: Vec::new(),
            };
            for text in &sources {
                count.sources.extend(decode_sources(text).map_err(|mut e| {
                    e.field = "source".into();
                    e
                })?);
            }
            let prior = store.add_prior_count(&series, count)?;
            writeln!(out, "{}", describe(store, &prior)?)?;
            Ok(())
        }
        PriorCommand::Remove {
            whose,
            source: Some(outlet),
        } => {
            let series = series_of(store, &whose)?;
            match store.remove_prior_source(&series, &outlet)? {
                Some(prior) => writeln!(out, "{}", describe(store, &prior)?)?,
                None => writeln!(
                    out,
                    "removed the prior count of {}",
                    subject(store, &series)?
                )?,
            }
            Ok(())
        }
        PriorCommand::Remove {
            whose,
            source: None,
        } => {
            let series = series_of(store, &whose)?;
            if !store.remove_prior(&series)? {
                return Err(Invalid::new(
                    "prior",
                    &whose.names.join(", "),
                    "no prior count is recorded",
                )
                .into());
            }
            writeln!(
                out,
                "removed the prior count of {}",
                subject(store, &series)?
            )?;
            Ok(())
        }
        PriorCommand::List { format } => {
            let mut priors: Vec<Prior> = store.priors()?.into_values().collect();
            priors.sort_by_key(|p| p.series.key());
            if format == super::person::Format::Json {
                let json: Vec<PriorRecord> = priors
                    .iter()
                    .map(|p| PriorRecord::from_prior(store, p))
                    .collect::<std::result::Result<_, _>>()?;
                writeln!(out, "{}", serde_json::to_string_pretty(&json)?)?;
                return Ok(());
            }
            if priors.is_empty() {
                writeln!(out, "no prior counts (attache prior set adds one)")?;
            }
            for prior in &priors {
                writeln!(out, "{}", describe(store, prior)?)?;
            }
            Ok(())
        }
    }
}

/// "face-to-face meetings between Vladimir Putin and Donald Trump", "Sergey Lavrov's visits to
/// Saudi Arabia".
fn subject(store: &Store, series: &Series) -> Result<String> {
    let names = crate::report::series_names(store, series)?;
    Ok(match series {
        Series::Meetings { mode, .. } => {
            let noun = match mode {
                Mode::InPerson => "face-to-face meetings",
                Mode::Phone => "phone calls",
                Mode::Video => "video calls",
            };
            format!("{noun} between {}", names.join(" and "))
        }
        Series::Visits { country, .. } => {
            let country = Country::parse_field("country", country)?;
            format!("{}'s visits to {}", names.concat(), country.in_sentence())
        }
    })
}

/// "6 face-to-face meetings between Vladimir Putin and Donald Trump before this record, the
/// last on 28 Jun 2019 in Osaka (TASS <…>)", and a line for each count that disputes it:
/// "  disputed: 7 before this record (news.mail.ru <…>)".
fn describe(store: &Store, prior: &Prior) -> Result<String> {
    let first = prior.count();
    let mut text = format!(
        "{} {} before this record",
        first.count,
        subject(store, &prior.series)?
    );
    if first.count == 0 {
        text.push_str(": the record's first is a true first");
    }
    text.push_str(&first.last_phrase(super::DATES));
    text.push_str(&format!(" ({})", encode_sources(&first.sources)));
    for other in prior.disputed() {
        text.push_str(&format!(
            "\n  disputed: {} before this record{}{} ({})",
            other.count,
            if other.count == 0 {
                " (a true first)"
            } else {
                ""
            },
            other.last_phrase(super::DATES),
            encode_sources(&other.sources)
        ));
    }
    Ok(text)
}
