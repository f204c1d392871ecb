//! `claim`: what the sources say about an event, listed, added and removed one at a time; and
//! the count claims `add --count-claim` takes.

use std::io::Write;

use clap::{Args, Subcommand};

use super::events::find_event;
use super::{CliError, Result, keyword, today};
use crate::domain::claim::typed;
use crate::domain::claim::{Aspect, Claim, PublishedCount};
use crate::domain::record::{ClaimRecord, CountRecord, EventRecord};
use crate::domain::{Event, Invalid, Source};
use crate::store::{NewPeople, PersonMatch, Reach, Store, match_person_within};

#[derive(Debug, Args)]
#[command(
    after_help = "Example:\n  attache claim add 10 count \"TASS: 6 meetings Vladimir Putin, Steve Witkoff\""
)]
pub struct ClaimArgs {
    #[command(subcommand)]
    pub command: ClaimCommand,
}

#[derive(Debug, Subcommand)]
pub enum ClaimCommand {
    /// An event's claims, numbered as `claim remove` takes them
    #[command(after_help = "Example:\n  attache claim list 10")]
    List {
        /// The event's number, UUID, or a unique prefix of its UUID
        id: String,
    },
    /// Add a claim to an event (undo takes it back)
    #[command(after_help = concat!(
        "A claim is \"SOURCE: VALUE\", the source named by its outlet as the event's sources \
         are (several separated by commas). A count claim (aspect count) is\n  ",
        "SOURCE: N KIND PEOPLE [to CC|REGION] [since DATE] [until DATE] [in YEAR] [as TITLE] [\"WORDING\"]\n",
        "KIND is meetings, phone calls, video calls (two people), visits or trips (one person, \
         to a country code or a region by name).\n\n",
        "Examples:\n",
        "  attache claim add 10 duration \"Interfax: almost 4.5 h\"\n",
        "  attache claim add 27 count \"Reuters: 8 visits Antony Blinken to IL since 2023-10-07\"\n",
        "  attache claim add 30 count 'TASS: 8 phone calls Vladimir Putin, Donald Trump in 2025 \"the eighth call this year\"'"
    ))]
    Add {
        /// The event's number, UUID, or a unique prefix of its UUID
        id: String,
        /// What it is about: date, time, duration, venue, participant, title, outcome, count or
        /// other
        aspect: String,
        /// "SOURCE: VALUE", or for a count "SOURCE: N KIND PEOPLE ..." (see below)
        claim: String,
        /// A note on the claim: how it was counted, whom it cites
        #[arg(long, default_value = "")]
        note: String,
        /// Refuse (exit 1, nothing written) unless the event is still at this version (`show
        /// --format json` gives it)
        #[arg(long, value_name = "V")]
        if_version: Option<i64>,
    },
    /// Remove an event's claim N, as `claim list` numbers them (undo brings it back)
    #[command(after_help = "Example:\n  attache claim remove 10 2 --if-version 3")]
    Remove {
        /// The event's number, UUID, or a unique prefix of its UUID
        id: String,
        /// The claim's number in `claim list`
        number: usize,
        /// Refuse (exit 1, nothing written) unless the event is still at this version
        #[arg(long, value_name = "V")]
        if_version: Option<i64>,
    },
}

impl ClaimCommand {
    pub fn writes(&self) -> bool {
        !matches!(self, ClaimCommand::List { .. })
    }
}

pub fn run(store: &mut Store, args: ClaimArgs, out: &mut dyn Write) -> Result<()> {
    match args.command {
        ClaimCommand::List { id } => {
            let event = find_event(store, &id)?;
            list(&event, out)
        }
        ClaimCommand::Add {
            id,
            aspect,
            claim,
            note,
            if_version,
        } => {
            let event = find_event(store, &id)?;
            let aspect: Aspect = keyword("aspect", &aspect)?;
            let mut draft = EventRecord::from_event(&event, Vec::new()).to_draft()?;
            let participants: Vec<String> =
                event.participants.iter().map(|p| p.name.clone()).collect();
            let mut claim = match aspect {
                Aspect::Count => count_claim(store, &claim, &participants, &draft.sources)?,
                aspect => {
                    let typed = typed::parse_claim("claim", &claim)?;
                    let record = ClaimRecord {
                        aspect: aspect.as_str().to_string(),
                        value: typed.value,
                        sources: typed.sources,
                        note: String::new(),
                        count: None,
                    };
                    record
                        .to_claim(&draft.sources)
                        .map_err(|e| named(e, "claim"))?
                }
            };
            claim.note = note.trim().to_string();
            draft.claims.push(claim);
            let number = draft.claims.len();
            save(store, &event, &draft, if_version)?;
            let event = store.event(event.id)?;
            writeln!(
                out,
                "added claim {number} to #{} (version {})",
                event.id, event.version
            )?;
            list(&event, out)
        }
        ClaimCommand::Remove {
            id,
            number,
            if_version,
        } => {
            let event = find_event(store, &id)?;
            let claims = event.claims.len();
            if claims == 0 {
                refuse!("claim: #{} has no claims", event.id);
            }
            if number == 0 || number > claims {
                refuse!(
                    "claim: #{} has {claims} claim{}; give a number from 1 to {claims} ({number})",
                    event.id,
                    if claims == 1 { "" } else { "s" }
                );
            }
            let gone = line(&event, &event.claims[number - 1]);
            let mut draft = EventRecord::from_event(&event, Vec::new()).to_draft()?;
            draft.claims.remove(number - 1);
            save(store, &event, &draft, if_version)?;
            let event = store.event(event.id)?;
            writeln!(
                out,
                "removed claim {number} from #{} (version {}): {gone}; attache undo brings it back",
                event.id, event.version
            )?;
            Ok(())
        }
    }
}

/// Writes the changed event, refused if it changed since it was read (or since `if_version`):
/// the draft was made from what was read, and would otherwise undo a colleague's change.
fn save(
    store: &mut Store,
    event: &Event,
    draft: &crate::domain::EventDraft,
    if_version: Option<i64>,
) -> Result<()> {
    let version = if_version.unwrap_or(event.version);
    store.edit_event_if(event.id, draft, NewPeople::Refuse, Some(version))?;
    Ok(())
}

fn list(event: &Event, out: &mut dyn Write) -> Result<()> {
    if event.claims.is_empty() {
        writeln!(out, "#{} has no claims", event.id)?;
        return Ok(());
    }
    for (i, claim) in event.claims.iter().enumerate() {
        writeln!(out, "  {}  {}", i + 1, line(event, claim))?;
    }
    Ok(())
}

/// "duration: almost 4.5 h (Interfax)", "count: 6 meetings Vladimir Putin, Steve Witkoff: the
/// sixth meeting (TASS)".
fn line(event: &Event, claim: &Claim) -> String {
    let mut text = format!("{}: ", claim.aspect.as_str());
    if let Some(count) = claim.count.as_ref().map(PublishedCount::typed)
        && count != claim.value
    {
        text.push_str(&format!("{count}: "));
    }
    text.push_str(&claim.value);
    let by: Vec<String> = claim
        .sources
        .iter()
        .filter_map(|&i| event.sources.get(i))
        .map(Source::attribution)
        .collect();
    if !by.is_empty() {
        text.push_str(&format!(" ({})", by.join(", ")));
    }
    if !claim.note.is_empty() {
        text.push_str(&format!(" [{}]", claim.note.replace('\n', " ")));
    }
    text
}

/// A count claim as typed, for an event with these participants and sources: its people as
/// the record names them (or as the event names a participant the record does not have yet),
/// its sources found among the event's.
pub fn count_claim(
    store: &Store,
    text: &str,
    participants: &[String],
    sources: &[Source],
) -> Result<Claim> {
    let field = "count claim";
    let mut typed = typed::parse_count(field, text, today())?;
    known_people(store, &mut typed.count, participants)?;
    // Without the publisher's wording, the count as the record names it stands for it.
    let value = typed.wording.unwrap_or_else(|| typed.count.typed());
    let record = ClaimRecord {
        aspect: Aspect::Count.as_str().to_string(),
        value,
        sources: typed.sources,
        note: String::new(),
        count: Some(CountRecord::of(&typed.count)),
    };
    record.to_claim(sources).map_err(|e| named(e, field))
}

fn named(mut invalid: Invalid, field: &str) -> CliError {
    invalid.field = field.to_string();
    invalid.into()
}

/// Each name of `count` as the record has it: a whole name, alias or family name of someone on
/// record, or one of the event's participants.
fn known_people(store: &Store, count: &mut PublishedCount, participants: &[String]) -> Result<()> {
    let everyone = store.names()?;
    for name in &mut count.people {
        let participant = participants
            .iter()
            .find(|p| crate::store::name_key(p) == crate::store::name_key(name));
        match match_person_within(name, &everyone, Reach::WholeName) {
            PersonMatch::Found(id) => {
                if let Some((_, known, _)) = everyone.iter().find(|(p, _, _)| *p == id) {
                    *name = known.clone();
                }
            }
            _ if participant.is_some() => {}
            PersonMatch::Ambiguous(names) => refuse!(
                "count claim: \"{name}\" could be {}; give the whole name",
                names.join(", ")
            ),
            PersonMatch::Unknown { suggestion } => refuse!(
                "count claim: nobody on record or among the participants is named \"{name}\"{}",
                suggestion
                    .map(|s| format!(" (did you mean \"{s}\"?)"))
                    .unwrap_or_default()
            ),
        }
    }
    Ok(())
}
