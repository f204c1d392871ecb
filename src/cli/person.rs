//! `person`: show, edit, merge and delete people.

use std::io::Write;

use chrono::NaiveDate;
use clap::{Args, Subcommand};
use serde::Serialize;

use super::Result;
use crate::domain::{Country, Invalid, Person, Title};
use crate::store::{PersonSummary, Store};

/// How a person is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
}

#[derive(Debug, Args)]
#[command(after_help = "Example:\n  attache person merge \"Sergey Lavrov\" \"Sergei Lavrov\"")]
pub struct PersonArgs {
    #[command(subcommand)]
    pub command: PersonCommand,
}

#[derive(Debug, Subcommand)]
pub enum PersonCommand {
    /// Everything recorded about a person: names in every spelling, country, titles, notes
    Show {
        /// Full name, alias, native name, surname, or a unique prefix; any case
        name: String,
        /// An aligned listing or JSON
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// Change a person's name, short name, country, other names, titles or notes (undo with
    /// `attache undo`)
    Edit(EditArgs),
    /// Merge OTHER into KEEP: OTHER's events name KEEP, OTHER's names become KEEP's aliases,
    /// and OTHER is gone (undo with `attache undo`)
    Merge {
        /// The person who stays
        keep: String,
        /// The person merged into KEEP
        other: String,
        /// What to print: the person as they are now, as a listing or as JSON
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// Delete a person who takes part in no event (undo with `attache undo`)
    Delete {
        /// Who: full name, alias, native name, surname, or a unique prefix
        name: String,
        /// A line of text, or JSON
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
}

#[derive(Debug, Args)]
#[command(
    after_help = "Example:\n  attache person edit Lavrov --add-alias \"Sergei Lavrov\" \
    --add-native \"Сергей Лавров\" --add-title \"Minister of Foreign Affairs:2004-03-09\""
)]
pub struct EditArgs {
    /// Who: full name, alias, native name, surname, or a unique prefix
    pub name: String,
    /// The name the record shows from now on (the old one is kept as an alias)
    #[arg(long = "name", value_name = "NAME")]
    pub new_name: Option<String>,
    /// The short name labels show (the heads column, the matrix): "MBS", "Grant"
    #[arg(long, value_name = "TEXT")]
    pub short: Option<String>,
    /// Labels show the family name again, found from the name (see the README)
    #[arg(long, conflicts_with = "short")]
    pub short_default: bool,
    /// ISO 3166-1 alpha-2 code; "" clears it
    #[arg(long, value_name = "CC")]
    pub country: Option<String>,
    /// Another spelling or transliteration the person is found by
    #[arg(long, value_name = "NAME")]
    pub add_alias: Vec<String>,
    /// An alias to forget
    #[arg(long, value_name = "NAME")]
    pub remove_alias: Vec<String>,
    /// The name in another script, as sources print it
    #[arg(long, value_name = "NAME")]
    pub add_native: Vec<String>,
    /// A native-script name to forget
    #[arg(long, value_name = "NAME")]
    pub remove_native: Vec<String>,
    /// A title with the dates it was held where known: "TITLE[:FROM[:UNTIL]]", dates as
    /// YYYY-MM-DD
    #[arg(long, value_name = "TITLE[:FROM[:UNTIL]]")]
    pub add_title: Vec<String>,
    /// Free text about the person; replaces the notes recorded
    #[arg(long, value_name = "TEXT")]
    pub notes: Option<String>,
    /// What to print: the person as they are now, as a listing or as JSON
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

impl PersonArgs {
    pub fn format(&self) -> Format {
        match &self.command {
            PersonCommand::Show { format, .. }
            | PersonCommand::Merge { format, .. }
            | PersonCommand::Delete { format, .. } => *format,
            PersonCommand::Edit(args) => args.format,
        }
    }
}

#[derive(Serialize)]
struct PersonJson {
    #[serde(flatten)]
    person: Person,
    /// The short name labels show: the one set (`short_name`), or the family name.
    short: String,
    events: usize,
    last_seen: Option<NaiveDate>,
}

impl PersonJson {
    fn of(summary: PersonSummary) -> Self {
        PersonJson {
            short: summary.person.short().to_string(),
            person: summary.person,
            events: summary.events,
            last_seen: summary.last_seen,
        }
    }
}

pub fn run(store: &mut Store, args: PersonArgs, out: &mut dyn Write) -> Result<()> {
    match args.command {
        PersonCommand::Show { name, format } => {
            let person = store.resolve_person(&name)?;
            print_person(store, person.id, format, out)
        }
        PersonCommand::Edit(args) => {
            let person = store.resolve_person(&args.name)?;
            let edited = edited(person, &args)?;
            let after = store.edit_person(&edited)?;
            if args.format != Format::Json {
                writeln!(out, "edited {}", after.name)?;
            }
            print_person(store, after.id, args.format, out)
        }
        PersonCommand::Merge {
            keep,
            other,
            format,
        } => {
            let kept = store.resolve_person(&keep)?;
            let merged = store.resolve_person(&other)?;
            let (after, moved) = store.merge_people(kept.id, merged.id)?;
            if format == Format::Json {
                #[derive(Serialize)]
                struct Merged {
                    merged: String,
                    events_moved: usize,
                    person: PersonJson,
                }
                let json = Merged {
                    merged: merged.name,
                    events_moved: moved,
                    person: PersonJson::of(store.person_summary(after.id)?),
                };
                writeln!(out, "{}", serde_json::to_string_pretty(&json)?)?;
                return Ok(());
            }
            writeln!(
                out,
                "merged {} into {}: {moved} {} now name {}; \"{}\" is kept as an alias",
                merged.name,
                after.name,
                if moved == 1 { "event" } else { "events" },
                after.name,
                merged.name
            )?;
            print_person(store, after.id, format, out)
        }
        PersonCommand::Delete { name, format } => {
            let person = store.resolve_person(&name)?;
            let gone = store.delete_person(person.id)?;
            if format == Format::Json {
                writeln!(
                    out,
                    "{}",
                    serde_json::to_string_pretty(&serde_json::json!({ "deleted": gone.name }))?
                )?;
            } else {
                writeln!(out, "deleted {}", gone.name)?;
            }
            Ok(())
        }
    }
}

/// `person` with the changes `args` asks for; a problem names its option.
fn edited(mut person: Person, args: &EditArgs) -> Result<Person> {
    let key = crate::store::name_key;
    if let Some(name) = &args.new_name {
        let old = std::mem::replace(&mut person.name, name.trim().to_string());
        if key(&old) != key(name) && !person.aliases.iter().any(|a| key(a) == key(&old)) {
            person.aliases.push(old);
        }
        person.aliases.retain(|a| key(a) != key(name));
    }
    if let Some(short) = &args.short {
        if short.trim().is_empty() {
            return Err(Invalid::new(
                "short",
                short,
                "must not be empty (--short-default labels the person by their family name)",
            )
            .into());
        }
        person.short_name = short.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    if args.short_default {
        person.short_name.clear();
    }
    if let Some(country) = &args.country {
        person.country = match country.trim() {
            "" => None,
            code => Some(Country::parse_field("country", code)?),
        };
    }
    for (removed, list, field) in [
        (&args.remove_alias, &mut person.aliases, "remove-alias"),
        (
            &args.remove_native,
            &mut person.native_names,
            "remove-native",
        ),
    ] {
        for name in removed {
            let before = list.len();
            list.retain(|n| key(n) != key(name));
            if list.len() == before {
                return Err(Invalid::new(field, name, "not one of the person's names").into());
            }
        }
    }
    person.aliases.extend(args.add_alias.iter().cloned());
    person.native_names.extend(args.add_native.iter().cloned());
    for spec in &args.add_title {
        person.titles.push(Title::parse_spec("add-title", spec)?);
    }
    if let Some(notes) = &args.notes {
        person.notes = notes.clone();
    }
    Ok(person)
}

fn day_text(day: NaiveDate) -> String {
    crate::domain::FuzzyDate::day(day).display(super::DATES)
}

fn print_person(store: &Store, id: i64, format: Format, out: &mut dyn Write) -> Result<()> {
    let summary = store.person_summary(id)?;
    if format == Format::Json {
        writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&PersonJson::of(summary))?
        )?;
        return Ok(());
    }
    let p = &summary.person;
    let mut heading = p.name.clone();
    if let Some(country) = &p.country {
        heading.push_str(&format!(" ({})", country.code()));
    }
    writeln!(out, "{heading}")?;
    let line = |out: &mut dyn Write, label: &str, text: &str| -> std::io::Result<()> {
        writeln!(out, "  {label:<13} {text}")
    };
    if !p.native_names.is_empty() {
        line(out, "native names", &p.native_names.join("; "))?;
    }
    if !p.aliases.is_empty() {
        line(out, "also written", &p.aliases.join("; "))?;
    }
    let mut short = if p.short_name.is_empty() {
        format!("{} (from the name)", p.short())
    } else {
        p.short_name.clone()
    };
    let label = store.labels()?.get(p.id, &p.name).to_string();
    if label != p.short() {
        short.push_str(&format!(
            "; labelled {label}, as another person's is the same"
        ));
    }
    line(out, "short name", &short)?;
    for (i, title) in p.titles.iter().enumerate() {
        let dates = match (title.from, title.until) {
            (None, None) => String::new(),
            (Some(from), None) => format!(" (from {})", day_text(from)),
            (None, Some(until)) => format!(" (until {})", day_text(until)),
            (Some(from), Some(until)) => format!(" ({} to {})", day_text(from), day_text(until)),
        };
        line(
            out,
            if i == 0 { "titles" } else { "" },
            &format!("{}{dates}", title.title),
        )?;
    }
    let events = match (summary.events, summary.last_seen) {
        (0, _) => "none: this person takes part in no event (`attache person delete` removes them)"
            .to_string(),
        (n, Some(last)) => format!("{n}, last on {}", day_text(last)),
        (n, None) => n.to_string(),
    };
    line(out, "events", &events)?;
    // Visits are counted from home; where it is not given, say where it comes from.
    if p.country.is_none()
        && let Some(home) = store.home(id)?
    {
        line(
            out,
            "home",
            &format!("{} (the side they take most often)", home.code()),
        )?;
    }
    let others: Vec<String> = store
        .other_sides(id)?
        .iter()
        .map(|(side, n)| format!("{side} ×{n}"))
        .collect();
    if !others.is_empty() {
        line(out, "also headed", &others.join(", "))?;
    }
    for (i, text) in p.notes.lines().enumerate() {
        line(out, if i == 0 { "notes" } else { "" }, text)?;
    }
    Ok(())
}
