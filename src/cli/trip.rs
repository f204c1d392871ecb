//! `attache trip`: the user's word on where a trip breaks, when the rule of days gets it wrong.

use std::io::Write;

use clap::{Args, Subcommand};

use super::Result;
use super::events::find_event;
use crate::store::Store;

#[derive(Debug, Args)]
pub struct TripArgs {
    #[command(subcommand)]
    pub command: TripCommand,
}

#[derive(Debug, Subcommand)]
pub enum TripCommand {
    /// Make EVENT start a new trip for its people, however close it is to the one before
    #[command(after_help = "Example:\n  attache trip split 41")]
    Split {
        /// The event's number, UUID, or a unique prefix of its UUID
        event: String,
    },
    /// Make the later of two events continue the earlier's trip, however far apart they are,
    /// for the people they have in common
    #[command(after_help = "Example:\n  attache trip join 40 43")]
    Join {
        /// One event: number, UUID, or a unique prefix of its UUID
        one: String,
        /// The other
        other: String,
    },
}

pub fn run(store: &mut Store, args: TripArgs, out: &mut dyn Write) -> Result<()> {
    let shown = match args.command {
        TripCommand::Split { event } => {
            let event = find_event(store, &event)?;
            store.split_trip(event.id)?;
            writeln!(out, "#{} now starts a trip", event.id)?;
            event
        }
        TripCommand::Join { one, other } => {
            let (one, other) = (find_event(store, &one)?, find_event(store, &other)?);
            store.join_trip(one.id, other.id)?;
            let (earlier, later) = if (one.date.first(), one.id) < (other.date.first(), other.id) {
                (one, other)
            } else {
                (other, one)
            };
            writeln!(
                out,
                "#{} now continues the trip of #{}",
                later.id, earlier.id
            )?;
            later
        }
    };
    for line in crate::report::trip_lines(store, &shown, super::DATES)? {
        writeln!(out, "  {line}")?;
    }
    writeln!(out, "attache undo takes it back")?;
    Ok(())
}
