//! `check`: every published count in the record set against the record's own, and the people
//! who headed a side other than their home.

use std::io::Write;

use clap::Args;
use serde::Serialize;

use super::Result;
use crate::report::{CountCheck, check_counts};
use crate::store::Store;

#[derive(Debug, Args)]
#[command(after_help = "Example:\n  attache check --format json\n  attache check --strict")]
pub struct CheckArgs {
    /// A listing, or JSON for scripts
    #[arg(long, value_enum, default_value = "table")]
    pub format: super::person::Format,

    /// Exit 1, after the report, when any published count differs from the record's (≠); one
    /// that follows a disputed count before the record (≈) does not fail
    #[arg(long)]
    pub strict: bool,
}

#[derive(Serialize)]
struct CheckJson {
    number: i64,
    date: String,
    title: String,
    by: String,
    published: String,
    number_published: usize,
    /// The record's ordinal as a number, where it counts the event; the lowest where the
    /// record leaves it open ("3rd or 4th").
    record: Option<usize>,
    /// The highest the record's ordinal could be: `record` unless the record leaves it open.
    record_high: Option<usize>,
    /// The record's ordinal in words: "3rd", "3rd or 4th".
    record_ordinal: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    why_none: Option<String>,
    agrees: bool,
    /// Whose disputing count before the record it agrees with, where it agrees with one.
    #[serde(skip_serializing_if = "Option::is_none")]
    disputed: Option<String>,
    /// "agrees" (✓), "disputed" (≈: follows a disputed count before the record) or "differs"
    /// (≠).
    verdict: &'static str,
    /// The check as `show` says it: "TASS called this the 6th ✓".
    sentence: String,
}

/// What a check found: it agrees (✓), follows a disputed count before the record (≈), or
/// differs (≠).
fn verdict(check: &CountCheck) -> (&'static str, &'static str) {
    match (check.agrees, &check.disputed) {
        (true, _) => ("✓", "agrees"),
        (false, Some(_)) => ("≈", "disputed"),
        (false, None) => ("≠", "differs"),
    }
}

pub fn run(store: &Store, args: &CheckArgs, out: &mut dyn Write) -> Result<()> {
    let numbers = store.events_with_published_counts()?;
    let events = store.events(&numbers)?;
    let mut found: Vec<(crate::domain::Event, CountCheck)> = Vec::new();
    for event in events {
        for check in check_counts(store, &event, super::DATES)? {
            found.push((event.clone(), check));
        }
    }
    if args.format == super::person::Format::Json {
        let json: Vec<CheckJson> = found
            .iter()
            .map(|(event, check)| CheckJson {
                number: event.id,
                date: event.date.to_string(),
                title: event.title.clone(),
                by: check.by.clone(),
                published: check.published.clone(),
                number_published: check.number,
                record: check.record.map(|r| r.low),
                record_high: check.record.map(|r| r.high),
                record_ordinal: check.record.map(|r| r.phrase()),
                why_none: check.missing.clone(),
                agrees: check.agrees,
                disputed: check.disputed.clone(),
                verdict: verdict(check).1,
                sentence: check.line(),
            })
            .collect();
        writeln!(out, "{}", serde_json::to_string_pretty(&json)?)?;
        return strictly(args, &found);
    }
    for (event, check) in &found {
        writeln!(
            out,
            "{} #{} {} {}",
            verdict(check).0,
            event.id,
            event.date.display(super::DATES),
            event.title
        )?;
        writeln!(out, "    {}: {}", check.by, check.published)?;
        match (&check.record, &check.missing) {
            (Some(record), _) => {
                write!(out, "    this record: {}", record.phrase())?;
                match &check.disputed {
                    Some(whose) => writeln!(
                        out,
                        "; the {} is by {whose} before this record, which disputes the one it follows",
                        crate::domain::ordinal::ordinal_word(check.number)
                    )?,
                    None => writeln!(out)?,
                }
            }
            (None, Some(why)) => writeln!(out, "    {why}")?,
            (None, None) => {}
        }
    }
    let agree = found.iter().filter(|(_, c)| c.agrees).count();
    let disputed = found.iter().filter(|(_, c)| c.disputed.is_some()).count();
    let total = found.len();
    let differ = total - agree - disputed;
    let disputed = match disputed {
        0 => String::new(),
        n => format!(
            ", {n} {} a disputed count before it",
            if n == 1 { "follows" } else { "follow" }
        ),
    };
    writeln!(
        out,
        "{total} published {}: {agree} {} with this record{disputed}, {differ} {}",
        if total == 1 { "count" } else { "counts" },
        if agree == 1 { "agrees" } else { "agree" },
        if differ == 1 { "does not" } else { "do not" }
    )?;
    several_sides(store, out)?;
    strictly(args, &found)
}

/// Under `--strict`, a refusal (exit 1) when any published count differs from the record's.
fn strictly(args: &CheckArgs, found: &[(crate::domain::Event, CountCheck)]) -> Result<()> {
    let differ = found
        .iter()
        .filter(|(_, c)| verdict(c).1 == "differs")
        .count();
    match differ {
        0 => Ok(()),
        _ if !args.strict => Ok(()),
        1 => refuse!("1 published count differs from this record"),
        n => refuse!("{n} published counts differ from this record"),
    }
}

/// People seen heading a side other than their home: a visit is counted from home, so either
/// the record filed them on a wrong side or their home needs saying (`person edit --country`).
fn several_sides(store: &Store, out: &mut dyn Write) -> Result<()> {
    let found = store.people_on_several_sides()?;
    if found.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "\nSeen on several sides (visits are counted from home; attache person edit NAME --country CODE sets it)"
    )?;
    for person in &found {
        let how = if person.given {
            "their country"
        } else {
            "the side they take most often"
        };
        let others: Vec<String> = person
            .sides
            .iter()
            .map(|(side, n)| format!("{side} ×{n}"))
            .collect();
        writeln!(
            out,
            "  {}: home {} ({how}); also headed {}",
            person.name,
            person.home,
            others.join(", ")
        )?;
    }
    Ok(())
}
