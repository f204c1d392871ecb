//! Likely duplicates on record (the rule is `domain::duplicate`): found through one person's
//! events in a window of dates, which the (person, date) index reads directly, so that neither
//! a million events nor a person with thousands of them is read through.

use crate::store::db::params;
use chrono::{Days, NaiveDate};

use super::db::{self, Conn};
use super::rows::{EVENT_COLUMNS, event_from_row};
use super::{Result, Store, people};
use crate::domain::duplicate::{Likeness, REACH_DAYS};
use crate::domain::{Event, EventDraft};

impl Store {
    /// The events on record that `draft` is likely a duplicate of, in timeline order, leaving
    /// out `except` (the event being edited). Names are taken as `add` and the form take them;
    /// someone not on record is in no event on record.
    pub fn likely_duplicates(&self, draft: &EventDraft, except: Option<i64>) -> Result<Vec<Event>> {
        likely_duplicates(&self.conn, &self.likeness(draft)?, except)
    }

    /// What the duplicate rule reads of `draft`, its names taken as `add` and the form take
    /// them: a person's number on record, `None` for someone not on record.
    pub fn likeness(&self, draft: &EventDraft) -> Result<Likeness<Option<i64>>> {
        let mut people = Vec::with_capacity(draft.participants.len());
        for p in &draft.participants {
            people.push(people::resolve(&self.conn, &p.name, people::Reach::WholeName)?.ok());
        }
        let mut people = people.into_iter();
        Ok(Likeness::of_draft(draft, |_| people.next().flatten()))
    }
}

/// The events on record whose likeness is likely the same as `likeness` (its people by their
/// number on record, `None` for someone not on record), leaving out `except`.
pub(super) fn likely_duplicates(
    conn: &Conn,
    likeness: &Likeness<Option<i64>>,
    except: Option<i64>,
) -> Result<Vec<Event>> {
    let Some(Some(person)) = likeness.key_person() else {
        return Ok(Vec::new());
    };
    let from = likeness
        .first
        .checked_sub_days(Days::new(REACH_DAYS))
        .unwrap_or(NaiveDate::MIN);
    // Events that ended before the window are passed over here; those with an end date are
    // judged by the rule, which reads it at its precision.
    let sql = format!(
        "SELECT {EVENT_COLUMNS} FROM participation pa JOIN event e ON e.id = pa.event_id \
         WHERE pa.person_id = ? AND pa.date_first >= ? AND pa.date_first <= ? \
         AND (e.date_last >= ? OR e.end_first IS NOT NULL) AND e.id <> ? \
         ORDER BY pa.date_first, pa.event_id"
    );
    let events = conn
        .prepare_cached(&sql)?
        .query_map(
            params![
                person,
                from,
                likeness.last,
                likeness.first,
                except.unwrap_or(0)
            ],
            event_from_row,
        )?
        .collect::<db::Result<Vec<Event>>>()?;
    let events = super::events::with_people(conn, events)?;
    Ok(events
        .into_iter()
        .filter(|event| Likeness::of_event(event, Some).same_as(likeness))
        .collect())
}
