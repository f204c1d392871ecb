//! `verify`: the record checked end to end, and with `--repair` what is derived from the events
//! rebuilt.

use std::io::Write;

use super::{CliError, Result};
use clap::Args;
use serde::Serialize;

use crate::store::{Finding, Part, Store, StoreError, Verification};

#[derive(Debug, Args)]
#[command(after_help = "Example:\n  attache verify --repair")]
pub struct VerifyArgs {
    /// Rebuild what differs from the events (kept places, counts, the search index) and take
    /// out undo entries that cannot be undone, in one transaction; say what changed
    #[arg(long)]
    pub repair: bool,
    /// A listing, or JSON for scripts
    #[arg(long, value_enum, default_value = "table")]
    pub format: super::person::Format,
}

#[derive(Serialize)]
struct Report<'a> {
    database: &'a str,
    ok: bool,
    checked: &'a [crate::store::Checked],
    findings: &'a [Finding],
    #[serde(skip_serializing_if = "Option::is_none")]
    repaired: Option<&'a [Finding]>,
}

pub fn run(store: &mut Store, args: &VerifyArgs, out: &mut dyn Write) -> Result<()> {
    let json = args.format == super::person::Format::Json;
    if !args.repair {
        let verification = store.verify()?;
        let Verification { checked, findings } = &verification;
        if json {
            let report = Report {
                database: store.label(),
                ok: findings.is_empty(),
                checked,
                findings,
                repaired: None,
            };
            writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
        } else {
            for c in checked {
                let wrong = findings.iter().filter(|f| f.part == c.part).count();
                let verdict = match wrong {
                    0 => "ok".to_string(),
                    1 => "1 difference".to_string(),
                    n => format!("{n} differences"),
                };
                writeln!(out, "{}: {verdict} ({})", c.part.name(), c.how)?;
            }
            for f in findings {
                writeln!(out, "≠ {}: {}", f.part.name(), f.what)?;
            }
        }
        return differs(findings, "");
    }
    let repair = store.repair()?;
    if json {
        let report = Report {
            database: store.label(),
            ok: repair.refused.is_empty(),
            checked: &[],
            findings: &repair.refused,
            repaired: Some(&repair.repaired),
        };
        writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
    } else if repair.refused.is_empty() {
        for f in &repair.repaired {
            match f.part {
                Part::UndoLog => writeln!(out, "removed from the undo log: {}", f.what)?,
                part => writeln!(out, "rebuilt {}: {}", part.name(), f.what)?,
            }
        }
        match repair.repaired.len() {
            0 => writeln!(out, "nothing differs from the events; nothing was changed")?,
            n => writeln!(
                out,
                "{n} {} repaired in one transaction; the record now verifies",
                if n == 1 { "difference" } else { "differences" }
            )?,
        }
    } else {
        for f in &repair.refused {
            writeln!(out, "≠ {}: {}", f.part.name(), f.what)?;
        }
    }
    differs(
        &repair.refused,
        "; --repair rebuilds only what is derived from the events, so nothing was changed: restore the database from a backup",
    )
}

/// Exit 1, after the report, when anything differs.
fn differs(findings: &[Finding], then: &str) -> Result<()> {
    match findings.len() {
        0 => Ok(()),
        1 => refuse!("1 difference found{then}"),
        n => refuse!("{n} differences found{then}"),
    }
}

/// A database whose recorded migrations differ is refused on opening; `verify` reports that
/// refusal as its finding, in its own form, and exits 1.
pub fn refused_on_opening(
    error: &CliError,
    args: &VerifyArgs,
    out: &mut dyn Write,
) -> Option<Result<()>> {
    let CliError::Store(store_error @ StoreError::MigrationsDiffer { path, .. }) = error else {
        return None;
    };
    let finding = Finding {
        part: Part::Migrations,
        what: store_error.to_string(),
    };
    let findings = [finding];
    let shown = if args.format == super::person::Format::Json {
        let report = Report {
            database: path,
            ok: false,
            checked: &[],
            findings: &findings,
            repaired: args.repair.then_some(&[]),
        };
        serde_json::to_string_pretty(&report).map_err(CliError::from)
    } else {
        Ok(format!(
            "≠ {}: {}",
            Part::Migrations.name(),
            findings[0].what
        ))
    };
    let written = shown.and_then(|text| Ok(writeln!(out, "{text}")?));
    Some(written.and_then(|()| {
        differs(
            &findings,
            if args.repair {
                "; the migrations are not derived from the events, so nothing was changed"
            } else {
                ""
            },
        )
    }))
}
